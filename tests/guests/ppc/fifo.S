# FIFO event channels on POWER, through `sc 1` (the same hv module as on
# x86): EVTCHNOP_init_control and expand_array, bind VIRQ_TIMER (port 1) and
# an IPI (port 2) at priority 3; send the IPI, then SCHEDOP_poll the timer
# port until set_timer_op fires it. The control block must then say READY
# bits 3 and 7 with HEAD[3] = 2 and HEAD[7] = 1, and the event words
# PENDING | LINKED; the guest drains the queues highest priority first and
# prints "fifo events: 2 1". Built and run in both byte orders: hv writes the
# words in the guest's.
	.include "ppc.inc"

	.set	__HYPERVISOR_set_timer_op, 15
	.set	__HYPERVISOR_event_channel_op, 32
	.set	EVTCHNOP_bind_virq, 1
	.set	EVTCHNOP_send, 4
	.set	EVTCHNOP_bind_ipi, 7
	.set	EVTCHNOP_init_control, 11
	.set	EVTCHNOP_expand_array, 12
	.set	EVTCHNOP_set_priority, 13
	.set	SCHEDOP_poll, 3
	.set	W_PENDING_LINKED, 0xa000	# (PENDING | LINKED) >> 16

# EVOP op, arg: event_channel_op(op, arg); non-zero -> fail.
	.macro EVOP op, arg
	li	3, __HYPERVISOR_event_channel_op
	li	4, \op
	LA	5, \arg
	sc	1
	cmpdi	3, 0
	bne	fail
	.endm

	.text
	.globl	_start
_start:
	# init_control {gfn of cb, offset 0, vcpu 0}; link_bits must be 17.
	LA	4, cb
	srdi	4, 4, 12
	LA	5, initctl
	std	4, 0(5)
	EVOP	EVTCHNOP_init_control, initctl
	LA	5, initctl
	lbz	6, 16(5)
	cmpwi	6, 17
	bne	fail
	# expand_array {gfn of array} (zeroed: every port unmasked)
	LA	4, array
	srdi	4, 4, 12
	LA	5, expand
	std	4, 0(5)
	EVOP	EVTCHNOP_expand_array, expand

	EVOP	EVTCHNOP_bind_virq, bindvirq
	EVOP	EVTCHNOP_bind_ipi, bindipi
	LA	5, bindipi
	lwz	6, 4(5)
	LA	5, setprio
	stw	6, 0(5)
	LA	5, sendport
	stw	6, 0(5)
	EVOP	EVTCHNOP_set_priority, setprio
	EVOP	EVTCHNOP_send, sendport

	# set_timer_op(now + 100 us), then poll the timer port (no timeout).
	bl	now
	addi	4, 3, 0x7fff
	addis	4, 4, 1				# + 0x17fff ns
	li	3, __HYPERVISOR_set_timer_op
	sc	1
	cmpdi	3, 0
	bne	fail
	LA	5, bindvirq
	lwz	6, 8(5)
	LA	5, pollport
	stw	6, 0(5)
	li	3, __HYPERVISOR_sched_op
	li	4, SCHEDOP_poll
	LA	5, poll
	sc	1
	cmpdi	3, 0
	bne	fail

	# READY = bits 3 and 7, HEAD[3] = the IPI, HEAD[7] = the timer.
	LA	9, cb
	lwz	6, 0(9)
	cmpwi	6, 0x88
	bne	fail
	lwz	6, 8 + 4 * 3(9)
	cmpwi	6, 2
	bne	fail
	lwz	6, 8 + 4 * 7(9)
	cmpwi	6, 1
	bne	fail
	LA	10, array
	lwz	6, 4(10)
	srwi	6, 6, 16
	cmplwi	6, W_PENDING_LINKED
	bne	fail
	lwz	6, 8(10)
	srwi	6, 6, 16
	cmplwi	6, W_PENDING_LINKED
	bne	fail

	# Drain: ready = READY, READY = 0; the lowest set bit first; its
	# head's word cleared (one event per queue here); log the port.
	lwz	11, 0(9)
	li	6, 0
	stw	6, 0(9)
	LA	12, digits
1:	cmpwi	11, 0
	beq	2f
	neg	6, 11
	and	6, 6, 11			# lowest set bit
	andc	11, 11, 6
	cntlzw	6, 6
	subfic	6, 6, 31			# q
	slwi	6, 6, 2
	addi	6, 6, 8
	lwzx	7, 9, 6				# HEAD[q]
	slwi	8, 7, 2
	li	6, 0
	stwx	6, 10, 8			# the word: taken
	addi	7, 7, '0'
	stb	7, 0(12)
	addi	12, 12, 2
	b	1b
2:	PUTS	msg, msg_end
	SHUTDOWN poweroff

fail:	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
6:	b	6b

# r3 = system time now in ns: the time base, which ticks once per
# instruction and equals system time while the vcpu has never blocked
# (hv/time.h).
now:
	mftb	3
	blr

	.data
msg:	.ascii	"fifo events: "
digits:	.ascii	"? ?\n"
msg_end:
failmsg: .ascii	"fifo: FAILED\n"
failmsg_end:
	.balign	8
initctl: .quad	0			# control_gfn
	.long	0, 0			# offset, vcpu
	.quad	0			# link_bits (out)
expand:	.quad	0
bindvirq:
	.long	0, 0, 0			# VIRQ_TIMER, vcpu 0, port (out)
bindipi: .long	0, 0			# vcpu 0, port (out)
setprio: .long	0, 3
sendport: .long	0
pollport: .long	0
	.balign	8
poll:	.quad	pollport		# ports
	.long	1, 0			# nr_ports
	.quad	0			# timeout: none
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
crash:	.long	SHUTDOWN_crash
	.balign	4096
cb:	.fill	4096, 1, 0
array:	.fill	4096, 1, 0
