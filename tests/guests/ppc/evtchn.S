# Event channels on POWER, through `sc 1` (the same hv modules as on x86):
# map shared_info, bind VIRQ_TIMER, arm set_timer_op 1 ms ahead of the
# pvclock, SCHEDOP_block, take the upcall as an external interrupt (0x500),
# check that the pending bit is the bound port, print "timer event on port N",
# power off. Built and run in both byte orders: hv keeps shared_info and
# vcpu_info in the guest's.
	.include "ppc.inc"

	.set	__HYPERVISOR_memory_op, 12
	.set	__HYPERVISOR_set_timer_op, 15
	.set	__HYPERVISOR_event_channel_op, 32
	.set	XENMEM_add_to_physmap, 7
	.set	EVTCHNOP_bind_virq, 1
	.set	SCHEDOP_block, 1
	.set	EXTERNAL_VECTOR, 0x500
	.set	SI_EVTCHN_PENDING, 2048
	.set	SI_EVTCHN_MASK, 2560

	.text
	.globl	_start
_start:
	COPY_VECTOR EXTERNAL_VECTOR, handler, handler_end

	# memory_op(XENMEM_add_to_physmap, {DOMID_SELF, 0, shared_info, 0, gfn})
	LA	4, shinfo
	srdi	4, 4, 12
	LA	5, xatp_gpfn
	std	4, 0(5)
	ADD_TO_PHYSMAP xatp
	cmpdi	3, 0
	bne	fail

	# event_channel_op(EVTCHNOP_bind_virq, {VIRQ_TIMER, vcpu 0, port out})
	li	3, __HYPERVISOR_event_channel_op
	li	4, EVTCHNOP_bind_virq
	LA	5, bindvirq
	sc	1
	cmpdi	3, 0
	bne	fail

	# set_timer_op(now + 1 ms)
	bl	now
	lis	5, 0xf
	ori	5, 5, 0x4240			# 1000000
	add	4, 3, 5
	li	3, __HYPERVISOR_set_timer_op
	sc	1
	cmpdi	3, 0
	bne	fail

	# MSR[EE] = 1, then block until the upcall.
	mfmsr	5
	ori	5, 5, 0x8000
	mtmsrd	5, 1
2:	LA	5, got_word
	ld	6, 0(5)
	cmpdi	6, 0
	bne	3f
	li	3, __HYPERVISOR_sched_op
	li	4, SCHEDOP_block
	sc	1
	b	2b

	# The lowest pending bit is the port; it must be the bound one.
3:	li	7, 0
4:	andi.	8, 6, 1
	bne	5f
	srdi	6, 6, 1
	addi	7, 7, 1
	b	4b
5:	LA	5, port
	lwz	8, 0(5)
	cmpw	7, 8
	bne	fail
	cmpwi	7, 10
	bge	fail
	addi	7, 7, '0'
	LA	5, digit
	stb	7, 0(5)
	PUTS	msg, msg_end
	SHUTDOWN poweroff

fail:	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
6:	b	6b

	.include "pvclock.inc"

# At 0x500 in real mode with MSR[EE] = 0: acknowledge the upcall
# (evtchn_upcall_pending and the selector), take the pending and unmasked
# ports of word 0, and return with MSR[EE] still 0 so that the line, which
# stays up until hv's next look at it, is not taken again.
handler:
	mtsprg	0, 3
	mtsprg	1, 4
	mtsprg	2, 5
	LA	3, shinfo
	li	4, 0
	stb	4, 0(3)
	std	4, 8(3)
	ld	4, SI_EVTCHN_PENDING(3)
	ld	5, SI_EVTCHN_MASK(3)
	andc	4, 4, 5
	ld	5, SI_EVTCHN_PENDING(3)
	andc	5, 5, 4
	std	5, SI_EVTCHN_PENDING(3)
	LA	3, got_word
	std	4, 0(3)
	mfsrr1	3
	li	4, 1
	sldi	4, 4, 15			# MSR[EE]
	andc	3, 3, 4
	mtsrr1	3
	mfsprg	3, 0
	mfsprg	4, 1
	mfsprg	5, 2
	rfid
handler_end:

	.data
msg:	.ascii	"timer event on port "
digit:	.ascii	"?\n"
msg_end:
failmsg: .ascii	"evtchn: FAILED\n"
failmsg_end:
	.balign	8
xatp:	.short	0x7ff0, 0			# DOMID_SELF
	.long	0				# XENMAPSPACE_shared_info
	.quad	0
xatp_gpfn:
	.quad	0
bindvirq:
	.long	0, 0				# VIRQ_TIMER, vcpu 0
port:	.long	0
got_word:
	.quad	0
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
crash:	.long	SHUTDOWN_crash
	.balign	4096
shinfo:	.fill	4096, 1, 0
