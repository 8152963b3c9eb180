# Grant tables v2 on POWER, in the guest's byte order (the same hv module as
# tests/guests/x86/gnttab2.S): set_version 2, map frame 0 and status frame
# 0, grant a page to ourselves (domain 1) as a full-page entry (ref 10) and
# bytes 64..95 of it as a sub-page entry (ref 11); map ref 10 (its status
# halfword reads GTF_reading|GTF_writing), copy through ref 11, fail to go
# back to v1 while mapped (-EBUSY), unmap (status 0), then back to v1.
	.include "ppc.inc"

	.set	__HYPERVISOR_memory_op, 12
	.set	__HYPERVISOR_grant_table_op, 20
	.set	XENMEM_add_to_physmap, 7
	.set	XENMAPSPACE_grant_table, 1
	.set	GNTTABOP_map_grant_ref, 0
	.set	GNTTABOP_unmap_grant_ref, 1
	.set	GNTTABOP_copy, 5
	.set	GNTTABOP_set_version, 8
	.set	GNTMAP_host_map, 2
	.set	GNTCOPY_source_gref, 1
	.set	GTF_permit_access, 1
	.set	GTF_sub_page, 0x100

	.text
	.globl	_start
_start:
	li	4, 2
	bl	set_version
	cmpdi	3, 0
	bne	fail
	# Frame 0 at gnttab_page, status frame 0 at status_page.
	LA	4, gnttab_page
	li	5, 0
	bl	map_frame
	LA	4, status_page
	lis	5, 0x8000			# XENMAPIDX_grant_table_status
	rldicl	5, 5, 0, 32			# (zero-extended)
	bl	map_frame

	# ref 10: full page; ref 11: bytes 64..95 (v2: 16-byte entries).
	LA	5, gnttab_page
	LA	4, secret
	srdi	4, 4, 12
	std	4, 10 * 16 + 8(5)
	std	4, 11 * 16 + 8(5)
	li	6, 1				# domain 1: ourselves
	sth	6, 10 * 16 + 2(5)
	sth	6, 11 * 16 + 2(5)
	li	6, 64
	sth	6, 11 * 16 + 4(5)		# page_off
	li	6, 32
	sth	6, 11 * 16 + 6(5)		# length
	lwsync
	li	6, GTF_permit_access
	sth	6, 10 * 16(5)
	li	6, GTF_permit_access | GTF_sub_page
	sth	6, 11 * 16(5)

	# Map ref 10 at mapped_page.
	LA	4, mapped_page
	LA	5, map_addr
	std	4, 0(5)
	LA	5, unmap_addr
	std	4, 0(5)
	GNTTAB_OP GNTTABOP_map_grant_ref, mapop
	cmpdi	3, 0
	bne	fail
	LA	5, map_status
	lha	6, 0(5)
	cmpwi	6, 0
	bne	fail
	PUTS	msg_mapped, msg_mapped_end
	li	3, __HYPERVISOR_console_io
	li	4, CONSOLEIO_write
	li	5, 16
	LA	6, mapped_page
	sc	1
	LA	5, status_page
	lhz	6, 10 * 2(5)
	cmpwi	6, 0x18				# GTF_reading | GTF_writing
	bne	fail
	PUTS	msg_status, msg_status_end

	# Copy the sub-page's 32 bytes into copybuf.
	LA	4, copybuf
	srdi	4, 4, 12
	LA	5, copy_dest
	std	4, 0(5)
	GNTTAB_OP GNTTABOP_copy, copyop
	cmpdi	3, 0
	bne	fail
	LA	5, copy_status
	lha	6, 0(5)
	cmpwi	6, 0
	bne	fail
	PUTS	msg_sub, msg_sub_end
	li	3, __HYPERVISOR_console_io
	li	4, CONSOLEIO_write
	li	5, 32
	LA	6, copybuf
	sc	1
	PUTS	newline, newline_end

	# Back to v1 while mapped: -EBUSY (-16).
	li	4, 1
	bl	set_version
	cmpdi	3, -16
	bne	fail
	PUTS	msg_busy, msg_busy_end

	LA	5, map_handle
	lwz	6, 0(5)
	LA	5, unmap_handle
	stw	6, 0(5)
	GNTTAB_OP GNTTABOP_unmap_grant_ref, unmapop
	cmpdi	3, 0
	bne	fail
	LA	5, status_page
	lhz	6, 10 * 2(5)
	cmpwi	6, 0
	bne	fail
	li	4, 1
	bl	set_version
	cmpdi	3, 0
	bne	fail
	PUTS	msg_v1, msg_v1_end
	SHUTDOWN poweroff

# set_version(r4 = version): r3 = the result.
set_version:
	LA	5, version
	stw	4, 0(5)
	li	3, __HYPERVISOR_grant_table_op
	li	4, GNTTABOP_set_version
	li	6, 1
	sc	1
	blr

# map_frame(r4 = page, r5 = idx): add_to_physmap(grant_table); fail on error.
map_frame:
	srdi	4, 4, 12
	LA	6, xatp_gpfn
	std	4, 0(6)
	LA	6, xatp_idx
	std	5, 0(6)
	ADD_TO_PHYSMAP xatp
	cmpdi	3, 0
	bne	fail
	blr

fail:	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
1:	b	1b

	.data
msg_mapped: .ascii "mapped: "
msg_mapped_end:
msg_status: .ascii "status while mapped: reading|writing\n"
msg_status_end:
msg_sub: .ascii	"sub-page copy: "
msg_sub_end:
newline: .ascii "\n"
newline_end:
msg_busy: .ascii "set_version 1 while mapped: -16\n"
msg_busy_end:
msg_v1:	.ascii	"unmapped, back to version 1\n"
msg_v1_end:
failmsg: .ascii	"gnttab2: FAILED\n"
failmsg_end:
	.balign	8
version: .long	0
	.balign	8
xatp:	.short	0x7ff0, 0
	.long	XENMAPSPACE_grant_table
xatp_idx: .quad	0
xatp_gpfn: .quad 0
copyop:	.quad	11				# source: ref 11
	.short	0x7ff0, 64
	.long	0
copy_dest:
	.quad	0
	.short	0x7ff0, 0
	.long	0
	.short	32, GNTCOPY_source_gref
copy_status:
	.short	0x7777, 0
	GNTTAB_MAP_OPS 10, 0x7ff0		# ref 10 of DOMID_SELF
	.balign	4
poweroff: .long	SHUTDOWN_poweroff
crash:	.long	SHUTDOWN_crash
	.balign	4096
gnttab_page: .fill 4096, 1, 0
status_page: .fill 4096, 1, 0
secret:	.ascii	"v2 full page ok\n"
	.fill	64 - 16, 1, 0
	.ascii	"bytes 64..95 of a sub-page grant"
	.fill	4096 - 96, 1, 0
copybuf: .fill	4096, 1, 0
mapped_page: .fill 4096, 1, 0
