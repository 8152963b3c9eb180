# Preemptible hypercalls (continuations): the guest sees one call, hv does
# it in bounded pieces, re-executing the guest's VMCALL with the progress in
# its argument registers (hv/hypercall.h).
#  1. decrease_reservation of 5000 single pages, then populate_physmap of
#     the same 5000: each must return 5000 (pieces of 4096 extents).
#  2. GNTTABOP_copy of 150 8-byte copies within the guest's own memory (by
#     gfn): status 0 for each and the data where it belongs (pieces of 64).
# Prints what it did and powers off.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set XENMEM_decrease_reservation, 1
	.set XENMEM_populate_physmap, 6
	.set NPAGES, 5000
	.set FIRST_GFN, 0x8000
	.set NCOPY, 150

	.code64
main:
	call hv_init
	# The list of gfns: FIRST_GFN + i.
	lea list(%rip), %rdi
	mov $FIRST_GFN, %rax
	mov $NPAGES, %ecx
1:	mov %rax, (%rdi)
	add $8, %rdi
	inc %rax
	dec %ecx
	jnz 1b
	lea list(%rip), %rax
	mov %rax, resv(%rip)

	mov $XENMEM_decrease_reservation, %edi
	lea resv(%rip), %rsi
	HYPERCALL __HYPERVISOR_memory_op
	cmp $NPAGES, %rax
	jne fail
	mov $XENMEM_populate_physmap, %edi
	lea resv(%rip), %rsi
	HYPERCALL __HYPERVISOR_memory_op
	cmp $NPAGES, %rax
	jne fail
	PRINT msg1, msg1_len

	# NCOPY copies: src[i] -> dst[i], each 8 bytes, by gfn and offset.
	lea src(%rip), %r8
	shr $12, %r8			# src gfn
	lea dst(%rip), %r9
	shr $12, %r9			# dst gfn
	lea copies(%rip), %rdi
	xor %ecx, %ecx
2:	lea src(%rip), %rax
	lea 0x5000(%rcx), %rdx
	mov %rdx, (%rax,%rcx,8)		# the datum: 0x5000 + i
	mov %r8, (%rdi)			# source.u.gmfn
	movw $DOMID_SELF, 8(%rdi)
	lea (,%rcx,8), %edx
	mov %dx, 10(%rdi)		# source.offset
	mov %r9, 16(%rdi)		# dest.u.gmfn
	movw $DOMID_SELF, 24(%rdi)
	mov %dx, 26(%rdi)		# dest.offset
	movw $8, 32(%rdi)		# len
	movw $0, 34(%rdi)		# flags: gmfn both sides
	movw $0x7777, 36(%rdi)		# status (out)
	add $40, %rdi
	inc %ecx
	cmp $NCOPY, %ecx
	jb 2b
	mov $GNTTABOP_copy, %edi
	lea copies(%rip), %rsi
	mov $NCOPY, %edx
	HYPERCALL __HYPERVISOR_grant_table_op
	test %rax, %rax
	jnz fail
	lea copies(%rip), %rdi
	xor %ecx, %ecx
3:	cmpw $0, 36(%rdi)
	jne fail
	lea dst(%rip), %rax
	lea 0x5000(%rcx), %rdx
	cmp %rdx, (%rax,%rcx,8)
	jne fail
	add $40, %rdi
	inc %ecx
	cmp $NCOPY, %ecx
	jb 3b
	PRINT msg2, msg2_len
	SHUTDOWN SHUTDOWN_poweroff

	FAIL_RAX

	.section .rodata
msg1:	.ascii "continuations: 5000 pages out and back in\n"
	.set msg1_len, . - msg1
msg2:	.ascii "continuations: 150 grant copies\n"
	.set msg2_len, . - msg2
failmsg: .ascii "continuations: FAILED rax="
	.set failmsg_len, . - failmsg

	.data
	.balign 8
resv:	.quad 0				# extent_start
	.quad NPAGES			# nr_extents
	.long 0, 0			# extent_order, mem_flags
	.word DOMID_SELF, 0, 0, 0
	.balign 4096
src:	.fill 4096, 1, 0
dst:	.fill 4096, 1, 0
copies:	.fill NCOPY * 40, 1, 0
	.balign 8
list:	.fill NPAGES * 8, 1, 0
	.text
