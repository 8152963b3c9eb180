# The physmap ops of memory_op, run as two domains of one image (the role
# from CPUID 0x40000004 ECX, the domain id): domain 1 moves its own pages
# (XENMAPSPACE_gmfn, gmfn_range, a batch with a bad entry) and removes one
# (remove_from_physmap, twice); domain 2, started with target=1 (a device
# model for domain 1), maps domain 1's page `shared` with a gmfn_foreign
# batch, reads it, writes a reply into it and grants the foreign-mapped
# frame to domain 1, whose copy from that grant must be refused
# (GNTST_bad_page); then it removes the foreign mapping. Both images have
# `shared` at the same gfn: that is the rendezvous.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set SCHEDOP_yield, 0
	.set GREF, 8
	.set GNTST_general_error, -1

	.code64
main:
	call hv_init
	mov $0x40000004, %eax
	xor %ecx, %ecx
	cpuid
	test $0x10, %eax		# XEN_HVM_CPUID_DOMID_PRESENT
	jz fail
	cmp $1, %ecx
	je owner
	cmp $2, %ecx
	je devmodel
	jmp fail

# ------------------------------------------------------------- domain 1
owner:
	call reservation
	mov %rax, %r12
	# gmfn: the page at src moves to dst (dst's page is released).
	lea src(%rip), %rdi
	lea dst(%rip), %rsi
	mov $XENMAPSPACE_gmfn, %edx
	xor %ecx, %ecx
	call add_to_physmap
	test %rax, %rax
	jnz fail
	PRINT msg_moved, msg_moved_len
	PRINT dst, 16
	call reservation
	sub %rax, %r12
	PRINT msg_released, msg_released_len
	PRINT_DEC %r12
	NEWLINE
	# gmfn_range: two pages r0, r1 -> r2, r3.
	lea r0(%rip), %rdi
	lea r2(%rip), %rsi
	mov $XENMAPSPACE_gmfn_range, %edx
	mov $2, %ecx
	call add_to_physmap
	test %rax, %rax
	jnz fail
	PRINT msg_range, msg_range_len
	PRINT r2, 8
	PRINT r3, 8
	# A batch: dst back to src, and dst (empty now) to r0: errs 0, -EINVAL.
	STORE_GFN src, bgpfns
	STORE_GFN dst, bidxs
	mov %rax, bidxs + 8(%rip)
	STORE_GFN r0, bgpfns + 8
	movw $XENMAPSPACE_gmfn, batch_space(%rip)
	movw $0, batch_fdom(%rip)
	call batch
	test %rax, %rax
	jnz fail
	PRINT msg_batch, msg_batch_len
	call print_errs
	PRINT src, 16
	# remove_from_physmap src: its page goes; again: -ENOENT.
	call remove_src
	mov %rax, %r13
	call remove_src
	mov %rax, %r14
	PRINT msg_removed, msg_removed_len
	mov %r13, %rdi
	call print_signed
	PRINT msg_comma, 2
	mov %r14, %rdi
	call print_signed
	NEWLINE

	# Wait for the device model's reply in `shared` (bounded).
	mov $100000, %r12d
1:	cmpb $'r', shared(%rip)
	je 2f
	call yield
	dec %r12d
	jnz 1b
	jmp fail
2:	PRINT msg_reply, msg_reply_len
	PRINT shared, reply_len
	# Its grant of the foreign-mapped frame: a copy is refused.
	mov $100000, %r12d
3:	STORE_GFN copybuf, copy_dst
	GNTTAB_OP GNTTABOP_copy, copyop
	test %rax, %rax
	jnz fail
	movswq copy_status(%rip), %rax
	cmp $GNTST_general_error, %rax
	jne 4f				# granted by now
	call yield
	dec %r12d
	jnz 3b
	jmp fail
4:	mov %rax, %r13
	PRINT msg_copy, msg_copy_len
	mov %r13, %rdi
	call print_signed
	NEWLINE
	movl $0x656e6f64, shared(%rip)	# "done"
	SHUTDOWN SHUTDOWN_poweroff

# ------------------------------------------------------------- domain 2
devmodel:
	# Map domain 1's `shared` at fpage, and a hole of it at fpage2.
	STORE_GFN shared, bidxs
	movq $0xdead0, bidxs + 8(%rip)
	STORE_GFN fpage, bgpfns
	STORE_GFN fpage2, bgpfns + 8
	movw $XENMAPSPACE_gmfn_foreign, batch_space(%rip)
	movw $1, batch_fdom(%rip)
	call batch
	test %rax, %rax
	jnz fail
	PRINT msg_fbatch, msg_fbatch_len
	call print_errs
	cmpl $0, berrs(%rip)
	jne fail			# refused: nothing mapped
	PRINT msg_reads, msg_reads_len
	PRINT fpage, 13
	# Reply into domain 1's page, through the foreign mapping.
	lea reply(%rip), %rsi
	lea fpage(%rip), %rdi
	mov $reply_len, %ecx
	rep movsb
	# Grant the foreign-mapped gfn to domain 1 under GREF.
	STORE_GFN gnttab_page, xatp_gpfn
	ADD_TO_PHYSMAP xatp
	lea gnttab_page(%rip), %rbx
	lea fpage(%rip), %rax
	shr $12, %rax
	mov %eax, GREF * 8 + 4(%rbx)
	movw $1, GREF * 8 + 2(%rbx)
	sfence
	movw $GTF_permit_access, GREF * 8(%rbx)
	# Until domain 1 is done with it (bounded).
	mov $100000, %r12d
1:	cmpl $0x656e6f64, fpage(%rip)	# "done"
	je 2f
	call yield
	dec %r12d
	jnz 1b
	jmp fail
2:	movw $0, GREF * 8(%rbx)
	# The foreign mapping goes: its reference on domain 1's page with it.
	STORE_GFN fpage, rfp_gpfn
	mov $XENMEM_remove_from_physmap, %edi
	lea rfp(%rip), %rsi
	HYPERCALL __HYPERVISOR_memory_op
	mov %rax, %r13
	PRINT msg_fremoved, msg_fremoved_len
	mov %r13, %rdi
	call print_signed
	NEWLINE
	# A domain that does not exist.
	movw $9, batch_fdom(%rip)
	movw $1, batch_size(%rip)
	call batch
	test %rax, %rax
	jnz fail
	PRINT msg_nodom, msg_nodom_len
	movslq berrs(%rip), %rdi
	call print_signed
	NEWLINE
	SHUTDOWN SHUTDOWN_poweroff

# ------------------------------------------------------------- helpers
# add_to_physmap(rdi = from, rsi = to, edx = space, ecx = size): rax.
add_to_physmap:
	shr $12, %rdi
	shr $12, %rsi
	mov %rdi, atp_idx(%rip)
	mov %rsi, atp_gpfn(%rip)
	mov %edx, atp_space(%rip)
	mov %cx, atp_size(%rip)
	mov $XENMEM_add_to_physmap, %edi
	lea atp(%rip), %rsi
	HYPERCALL __HYPERVISOR_memory_op
	ret

batch:
	movl $0x7777, berrs(%rip)
	movl $0x7777, berrs + 4(%rip)
	mov $XENMEM_add_to_physmap_batch, %edi
	lea batch_arg(%rip), %rsi
	HYPERCALL __HYPERVISOR_memory_op
	ret

print_errs:
	movslq berrs(%rip), %rdi
	call print_signed
	PRINT msg_comma, 2
	movslq berrs + 4(%rip), %rdi
	call print_signed
	NEWLINE
	ret

remove_src:
	STORE_GFN src, rfp_gpfn
	mov $XENMEM_remove_from_physmap, %edi
	lea rfp(%rip), %rsi
	HYPERCALL __HYPERVISOR_memory_op
	ret

reservation:
	mov $XENMEM_current_reservation, %edi
	lea self(%rip), %rsi
	HYPERCALL __HYPERVISOR_memory_op
	ret

yield:
	mov $SCHEDOP_yield, %edi
	xor %esi, %esi
	HYPERCALL __HYPERVISOR_sched_op
	ret

print_signed:
	test %rdi, %rdi
	jns 1f
	push %rdi
	PRINT msg_minus, 1
	pop %rdi
	neg %rdi
1:	jmp print_dec

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

	.section .rodata
msg_moved: .ascii "gmfn: moved: "
	.set msg_moved_len, . - msg_moved
msg_released: .ascii "gmfn: pages released: "
	.set msg_released_len, . - msg_released
msg_range: .ascii "gmfn_range: "
	.set msg_range_len, . - msg_range
msg_batch: .ascii "batch errs: "
	.set msg_batch_len, . - msg_batch
msg_removed: .ascii "remove_from_physmap: "
	.set msg_removed_len, . - msg_removed
msg_reply: .ascii "the device model wrote: "
	.set msg_reply_len, . - msg_reply
msg_copy: .ascii "copy from the foreign-mapped grant: "
	.set msg_copy_len, . - msg_copy
msg_fbatch: .ascii "foreign batch errs: "
	.set msg_fbatch_len, . - msg_fbatch
msg_reads: .ascii "device model reads: "
	.set msg_reads_len, . - msg_reads
msg_fremoved: .ascii "foreign mapping removed: "
	.set msg_fremoved_len, . - msg_fremoved
msg_nodom: .ascii "foreign map of no domain: "
	.set msg_nodom_len, . - msg_nodom
msg_comma: .ascii ", "
msg_minus: .ascii "-"
reply:	.ascii "reply from the device model!\n"
	.set reply_len, . - reply
failmsg: .ascii "physmap: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
self:	.word DOMID_SELF
	.balign 8
atp:	.word DOMID_SELF
atp_size: .word 0
atp_space: .long 0
atp_idx: .quad 0
atp_gpfn: .quad 0
batch_arg:
	.word DOMID_SELF
batch_space: .word 0
batch_size: .word 2
batch_fdom: .word 0
	.quad bidxs, bgpfns, berrs
bidxs:	.quad 0, 0
bgpfns:	.quad 0, 0
berrs:	.long 0, 0
rfp:	.word DOMID_SELF, 0, 0, 0
rfp_gpfn: .quad 0
xatp:	.word DOMID_SELF, 0
	.long XENMAPSPACE_grant_table
	.quad 0
xatp_gpfn: .quad 0
copyop:	# GREF of domain 2 -> the gmfn of copybuf (filled in)
	GNTCOPY copy, GREF, 2, 0, 0, DOMID_SELF, 0, 16, GNTCOPY_source_gref
	.balign 4096
src:	.ascii "the page at src\n"
	.fill 4096 - 16, 1, 0
dst:	.fill 4096, 1, 0
r0:	.ascii "range 0 "
	.fill 4096 - 8, 1, 0
r1:	.ascii "range 1\n"
	.fill 4096 - 8, 1, 0
r2:	.fill 4096, 1, 0
r3:	.fill 4096, 1, 0
shared:	.ascii "owner's page\n"
	.fill 4096 - 13, 1, 0
fpage:	.fill 4096, 1, 0
fpage2:	.fill 4096, 1, 0
copybuf: .fill 4096, 1, 0
gnttab_page: .fill 4096, 1, 0
	.text
