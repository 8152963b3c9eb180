# Grant tables v1 through the real path: query the table size, map frame 0
# of the table into the physmap (XENMAPSPACE_grant_table), grant one of our
# own pages to ourselves (domain 1: softvisor's first guest), then
# GNTTABOP_copy from the grant into another buffer and GNTTABOP_map_grant_ref
# it at a third page; print what both read, unmap, power off.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set MY_DOMID, 1

	.code64
main:
	call hv_init
	# query_size {DOMID_SELF} -> nr_frames, max_nr_frames, status
	GNTTAB_OP_OK GNTTABOP_query_size, qsize, qsize_status
	PRINT msg_max, msg_max_len
	mov qsize_max(%rip), %edi
	call print_dec
	NEWLINE

	# The table's frame 0 at gnttab_page.
	STORE_GFN gnttab_page, xatp_gpfn
	ADD_TO_PHYSMAP xatp

	# grant_entry_v1[1] = { GTF_permit_access, MY_DOMID, gfn of secret }
	lea secret(%rip), %rax
	shr $12, %rax
	lea gnttab_page(%rip), %rbx
	mov %eax, 8 + 4(%rbx)
	movw $MY_DOMID, 8 + 2(%rbx)
	movw $GTF_permit_access, 8(%rbx)

	# copy {source: ref 1 of DOMID_SELF, offset 0; dest: gmfn of copybuf}
	STORE_GFN copybuf, copy_dst
	GNTTAB_OP_OK GNTTABOP_copy, copyop, copy_status
	PRINT copybuf, secret_len

	# map ref 1 at mapped_page, read through it, unmap.
	lea mapped_page(%rip), %rax
	mov %rax, map_addr(%rip)
	mov %rax, unmap_addr(%rip)
	GNTTAB_OP_OK GNTTABOP_map_grant_ref, mapop, map_status
mapped:					# (tests/gdb: the grant is mapped here)
	PRINT msg_mapped, msg_mapped_len
	lea mapped_page(%rip), %rdx
	mov $CONSOLEIO_write, %edi
	mov $secret_len, %esi
	HYPERCALL __HYPERVISOR_console_io
	mov map_handle(%rip), %eax
	mov %eax, unmap_handle(%rip)
	GNTTAB_OP_OK GNTTABOP_unmap_grant_ref, unmapop, unmap_status
	PRINT msg_done, msg_done_len
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

	.section .rodata
msg_max: .ascii "grant table: max frames "
	.set msg_max_len, . - msg_max
msg_mapped: .ascii "mapped: "
	.set msg_mapped_len, . - msg_mapped
msg_done: .ascii "unmapped\n"
	.set msg_done_len, . - msg_done
failmsg: .ascii "gnttab: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
qsize:	.word DOMID_SELF, 0
	.long 0				# nr_frames (out)
qsize_max:
	.long 0				# max_nr_frames (out)
qsize_status:
	.word 0x7777, 0
xatp:	.word DOMID_SELF, 0
	.long XENMAPSPACE_grant_table
	.quad 0				# idx: frame 0
xatp_gpfn:
	.quad 0
copyop:	# ref 1 of ours at 0 -> the gmfn of copybuf (filled in)
	GNTCOPY copy, 1, DOMID_SELF, 0, 0, DOMID_SELF, 0, secret_len, GNTCOPY_source_gref
	GNTTAB_MAP_OPS 1, DOMID_SELF
	.balign 4096
gnttab_page: .fill 4096, 1, 0
secret:	.ascii "a secret shared through a grant\n"
	.set secret_len, . - secret
	.balign 4096
copybuf: .fill 4096, 1, 0
mapped_page: .fill 4096, 1, 0
	.text
