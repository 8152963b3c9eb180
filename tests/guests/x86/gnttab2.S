# Grant tables v2 through the real path: set_version 2, map the table's
# frame 0 and status frame 0 (XENMAPIDX_grant_table_status), list the status
# frames (get_status_frames), grant a page to ourselves (domain 1) as a v2
# full-page entry and bytes 64..95 of it as a sub-page entry; map the first
# (the status word shows GTF_reading|GTF_writing), copy through the second
# (inside: ok; past it: GNTST_general_error), try to go back to v1 while
# mapped (-EBUSY), unmap (the status word clears), then back to v1.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set MY_DOMID, 1
	.set GNTTABOP_get_status_frames, 9
	.set GTF_sub_page, 0x100
	.set XENMAPIDX_grant_table_status, 0x80000000

	.code64
main:
	call hv_init
	movl $2, version(%rip)
	call set_version
	test %rax, %rax
	jnz fail
	GNTTAB_OP GNTTABOP_get_version, getver
	test %rax, %rax
	jnz fail
	PRINT msg_ver, msg_ver_len
	mov getver_version(%rip), %edi
	call print_dec
	NEWLINE

	# Frame 0 and status frame 0 into the physmap.
	lea gnttab_page(%rip), %rdi
	xor %esi, %esi
	call map_frame
	lea status_page(%rip), %rdi
	mov $XENMAPIDX_grant_table_status, %esi
	call map_frame
	GNTTAB_OP_OK GNTTABOP_get_status_frames, gsf, gsf_status
	lea status_page(%rip), %rax
	shr $12, %rax
	cmp gsf_list(%rip), %rax
	jne fail
	PRINT msg_gsf, msg_gsf_len

	# v2 entries (16 bytes): ref 10 full page, ref 11 bytes 64..95 (past the
	# 8 reserved entries, which may stay mapped across a version change).
	lea gnttab_page(%rip), %rbx
	lea secret(%rip), %rax
	shr $12, %rax
	mov %rax, 10 * 16 + 8(%rbx)
	movw $MY_DOMID, 10 * 16 + 2(%rbx)
	mov %rax, 11 * 16 + 8(%rbx)
	movw $64, 11 * 16 + 4(%rbx)	# page_off
	movw $32, 11 * 16 + 6(%rbx)	# length
	movw $MY_DOMID, 11 * 16 + 2(%rbx)
	sfence
	movw $GTF_permit_access, 10 * 16(%rbx)
	movw $GTF_permit_access | GTF_sub_page, 11 * 16(%rbx)

	# Map ref 10; its status word.
	lea mapped_page(%rip), %rax
	mov %rax, map_addr(%rip)
	mov %rax, unmap_addr(%rip)
	GNTTAB_OP_OK GNTTABOP_map_grant_ref, mapop, map_status
	PRINT msg_mapped, msg_mapped_len
	PRINT mapped_page, 16
	PRINT msg_status, msg_status_len
	movzwl status_page + 10 * 2(%rip), %edi
	call print_hex
	NEWLINE

	# Copies through the sub-page grant: inside, then one byte past it.
	STORE_GFN copybuf, copy_dst
	GNTTAB_OP_OK GNTTABOP_copy, copyop, copy_status
	PRINT msg_sub, msg_sub_len
	PRINT copybuf, 32
	NEWLINE
	movw $65, copy_soff(%rip)
	GNTTAB_OP GNTTABOP_copy, copyop
	PRINT msg_past, msg_past_len
	movswq copy_status(%rip), %rdi
	call print_signed
	NEWLINE

	# Back to v1 while mapped: -EBUSY, still version 2.
	movl $1, version(%rip)
	call set_version
	mov %rax, %r12
	PRINT msg_busy, msg_busy_len
	mov %r12, %rdi
	call print_signed
	PRINT msg_still, msg_still_len
	mov version(%rip), %edi
	call print_dec
	NEWLINE

	mov map_handle(%rip), %eax
	mov %eax, unmap_handle(%rip)
	GNTTAB_OP_OK GNTTABOP_unmap_grant_ref, unmapop, unmap_status
	PRINT msg_unmapped, msg_unmapped_len
	movzwl status_page + 10 * 2(%rip), %edi
	call print_hex
	NEWLINE
	movl $1, version(%rip)
	call set_version
	test %rax, %rax
	jnz fail
	PRINT msg_v1, msg_v1_len
	SHUTDOWN SHUTDOWN_poweroff

# map_frame(rdi = page, esi = idx): XENMEM_add_to_physmap(grant_table).
map_frame:
	shr $12, %rdi
	mov %rdi, xatp_gpfn(%rip)
	mov %rsi, xatp_idx(%rip)
	ADD_TO_PHYSMAP xatp
	ret

set_version:
	GNTTAB_OP GNTTABOP_set_version, version
	ret

print_signed:
	test %rdi, %rdi
	jns 1f
	push %rdi
	PRINT msg_minus, 1
	pop %rdi
	neg %rdi
1:	jmp print_dec

	FAIL_RAX

	.section .rodata
msg_ver: .ascii "grant table version "
	.set msg_ver_len, . - msg_ver
msg_gsf: .ascii "status frame 0 listed where it is mapped\n"
	.set msg_gsf_len, . - msg_gsf
msg_mapped: .ascii "mapped: "
	.set msg_mapped_len, . - msg_mapped
msg_status: .ascii "status while mapped: "
	.set msg_status_len, . - msg_status
msg_sub: .ascii "sub-page copy: "
	.set msg_sub_len, . - msg_sub
msg_past: .ascii "copy past the sub-page: "
	.set msg_past_len, . - msg_past
msg_busy: .ascii "set_version 1 while mapped: "
	.set msg_busy_len, . - msg_busy
msg_still: .ascii ", version "
	.set msg_still_len, . - msg_still
msg_unmapped: .ascii "status after unmap: "
	.set msg_unmapped_len, . - msg_unmapped
msg_v1: .ascii "back to version 1\n"
	.set msg_v1_len, . - msg_v1
msg_minus: .ascii "-"
failmsg: .ascii "gnttab2: FAILED "
	.set failmsg_len, . - failmsg

	.data
	.balign 8
version: .long 0
getver:	.word DOMID_SELF, 0
getver_version: .long 0
xatp:	.word DOMID_SELF, 0
	.long XENMAPSPACE_grant_table
xatp_idx: .quad 0
xatp_gpfn: .quad 0
gsf:	.long 1				# nr_frames
	.word DOMID_SELF
gsf_status: .word 0x7777
	.quad gsf_list
gsf_list: .quad 0
copyop:	# ref 11 (the sub-page) at 64 -> the gmfn of copybuf (filled in)
	GNTCOPY copy, 11, DOMID_SELF, 64, 0, DOMID_SELF, 0, 32, GNTCOPY_source_gref
	GNTTAB_MAP_OPS 10, DOMID_SELF
	.balign 4096
gnttab_page: .fill 4096, 1, 0
status_page: .fill 4096, 1, 0
secret:	.ascii "v2 full page ok\n"
	.fill 64 - 16, 1, 0
	.ascii "bytes 64..95 of a sub-page grant"
	.fill 4096 - 96, 1, 0
copybuf: .fill 4096, 1, 0
mapped_page: .fill 4096, 1, 0
	.text
