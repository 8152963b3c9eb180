# memory_op's physmap ops on POWER (either byte order: the structures are
# in the guest's): move a page (XENMAPSPACE_gmfn), a batch of two moves
# whose second names an empty gfn (errs: 0, -EINVAL), then
# remove_from_physmap of a page, twice (0, then -ENOENT); print what moved.
	.include "ppc.inc"

	.set	__HYPERVISOR_memory_op, 12
	.set	XENMEM_current_reservation, 3
	.set	XENMEM_add_to_physmap, 7
	.set	XENMEM_remove_from_physmap, 15
	.set	XENMEM_add_to_physmap_batch, 23
	.set	XENMAPSPACE_gmfn, 2

	.text
	.globl	_start
_start:
	# gmfn: src -> dst.
	LA	4, src
	srdi	4, 4, 12
	LA	5, atp_idx
	std	4, 0(5)
	LA	4, dst
	srdi	4, 4, 12
	LA	5, atp_gpfn
	std	4, 0(5)
	ADD_TO_PHYSMAP atp
	cmpdi	3, 0
	bne	fail
	PUTS	msg_moved, msg_moved_end
	li	3, __HYPERVISOR_console_io
	li	4, CONSOLEIO_write
	li	5, 16
	LA	6, dst
	sc	1

	# A batch: dst -> src, then dst (empty now) -> r0.
	LA	4, dst
	srdi	4, 4, 12
	LA	5, bidxs
	std	4, 0(5)
	std	4, 8(5)
	LA	4, src
	srdi	4, 4, 12
	LA	5, bgpfns
	std	4, 0(5)
	LA	4, r0
	srdi	4, 4, 12
	std	4, 8(5)
	li	3, __HYPERVISOR_memory_op
	li	4, XENMEM_add_to_physmap_batch
	LA	5, batch
	sc	1
	cmpdi	3, 0
	bne	fail
	LA	5, berrs
	lwz	6, 0(5)
	cmpwi	6, 0
	bne	fail
	lwz	6, 4(5)
	cmpwi	6, -22
	bne	fail
	PUTS	msg_batch, msg_batch_end
	li	3, __HYPERVISOR_console_io
	li	4, CONSOLEIO_write
	li	5, 16
	LA	6, src
	sc	1

	# remove_from_physmap src: 0, then -ENOENT.
	LA	4, src
	srdi	4, 4, 12
	LA	5, rfp_gpfn
	std	4, 0(5)
	li	3, __HYPERVISOR_memory_op
	li	4, XENMEM_remove_from_physmap
	LA	5, rfp
	sc	1
	cmpdi	3, 0
	bne	fail
	li	3, __HYPERVISOR_memory_op
	li	4, XENMEM_remove_from_physmap
	LA	5, rfp
	sc	1
	cmpdi	3, -2
	bne	fail
	PUTS	msg_removed, msg_removed_end
	SHUTDOWN poweroff

fail:	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
1:	b	1b

	.data
msg_moved: .ascii "gmfn: moved: "
msg_moved_end:
msg_batch: .ascii "batch errs 0, -22; back at src: "
msg_batch_end:
msg_removed: .ascii "remove_from_physmap: 0, then -2\n"
msg_removed_end:
failmsg: .ascii	"physmap: FAILED\n"
failmsg_end:
	.balign	8
atp:	.short	0x7ff0, 0			# DOMID_SELF, size
	.long	XENMAPSPACE_gmfn
atp_idx: .quad	0
atp_gpfn: .quad	0
batch:	.short	0x7ff0, XENMAPSPACE_gmfn, 2, 0	# domid, space, size, u
	.quad	bidxs, bgpfns, berrs
bidxs:	.quad	0, 0
bgpfns:	.quad	0, 0
berrs:	.long	0x7777, 0x7777
rfp:	.short	0x7ff0, 0, 0, 0
rfp_gpfn: .quad	0
	.balign	4
poweroff: .long	SHUTDOWN_poweroff
crash:	.long	SHUTDOWN_crash
	.balign	4096
src:	.ascii	"the page at src\n"
	.fill	4096 - 16, 1, 0
dst:	.fill	4096, 1, 0
r0:	.fill	4096, 1, 0
