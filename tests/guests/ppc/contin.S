# Continuations on POWER: decrease_reservation of 5000 single pages and
# populate_physmap of the same 5000 through `sc 1`; hv does each in pieces
# of 4096 extents, returning the guest to the `sc 1` itself with the start
# extent in r4's high bits. Each call must return 5000; prints
# "continuations: 5000 pages out and back in". Both byte orders.
	.include "ppc.inc"

	.set	__HYPERVISOR_memory_op, 12
	.set	XENMEM_decrease_reservation, 1
	.set	XENMEM_populate_physmap, 6
	.set	NPAGES, 5000
	.set	FIRST_GFN, 0x7000

	.text
	.globl	_start
_start:
	# list[i] = FIRST_GFN + i; resv.extent_start = list.
	LA	5, list
	LA	6, resv
	std	5, 0(6)
	li	7, FIRST_GFN
	li	8, NPAGES
	mtctr	8
1:	std	7, 0(5)
	addi	5, 5, 8
	addi	7, 7, 1
	bdnz	1b

	li	3, __HYPERVISOR_memory_op
	li	4, XENMEM_decrease_reservation
	LA	5, resv
	sc	1
	cmpdi	3, NPAGES
	bne	fail
	li	3, __HYPERVISOR_memory_op
	li	4, XENMEM_populate_physmap
	LA	5, resv
	sc	1
	cmpdi	3, NPAGES
	bne	fail
	PUTS	msg, msg_end
	SHUTDOWN poweroff

fail:	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
2:	b	2b

	.data
msg:	.ascii	"continuations: 5000 pages out and back in\n"
msg_end:
failmsg: .ascii	"continuations: FAILED\n"
failmsg_end:
	.balign	8
resv:	.quad	0			# extent_start
	.quad	NPAGES			# nr_extents
	.long	0, 0			# extent_order, mem_flags
	.short	0x7ff0, 0, 0, 0		# DOMID_SELF
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
crash:	.long	SHUTDOWN_crash
	.balign	8
list:	.fill	NPAGES * 8, 1, 0
