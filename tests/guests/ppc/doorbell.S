# doorbell: the privileged doorbell through hv's HFSCR[MSGP]. msgsndp to this
# thread with MSR[EE] = 0 leaves DPDES = 1; msgclrp clears it; sent again,
# enabling EE takes 0xA00, whose handler sees SRR0 after the mtmsrd and
# DPDES = 0 (taking it cleared it). Then the hypervisor doorbell msgsnd: a
# hypervisor-privileged instruction (HEA exit), which hv reflects as an
# illegal-instruction program interrupt to the handler at 0x700.
	.include "ppc.inc"

	.set	SRR1_ILLEGAL_HI, 0x8		# SRR1 bit 44 (1 << 19) in the upper halfword
	.set	DBELL_SERVER_HI, 0x2800		# message type 5 << 27, upper halfword

# COPY src, src_end, vector: copy a handler to its vector.
	.macro COPY src, end, vec
	LA	3, \src
	li	4, \vec
	li	5, (\end - \src) / 4
	mtctr	5
1:	lwz	6, 0(3)
	stw	6, 0(4)
	addi	3, 3, 4
	addi	4, 4, 4
	bdnz	1b
	.endm

	.text
	.globl	_start
_start:
	COPY	dbell_handler, dbell_handler_end, 0xa00
	COPY	prog_handler, prog_handler_end, 0x700
	sync
	isync
	lis	9, DBELL_SERVER_HI	# RB: type 5, TIR 0 (this thread)
	msgsndp	9
	mfspr	10, 176			# DPDES
	cmpdi	10, 1
	bne	fail
	msgclrp	9
	mfspr	10, 176
	cmpdi	10, 0
	bne	fail
	msgsndp	9
	li	4, 0
	ori	4, 4, 0x8000		# MSR[EE]
	mtmsrd	4, 1
after_ee:
	b	fail			# the doorbell comes first

dbell_handler:
	mfsrr0	5
	LA	6, after_ee
	cmpd	5, 6
	bne	1f
	mfspr	10, 176
	cmpdi	10, 0
	bne	1f
	PUTS	ok1, ok1_end
	li	4, 0
	mtmsrd	4, 1			# EE off again
	msgsnd	9			# hypervisor-privileged
1:	PUTS	bad, bad_end
	SHUTDOWN crash
dbell_handler_end:

prog_handler:
	mfsrr1	5
	andis.	5, 5, SRR1_ILLEGAL_HI
	beq	1f
	PUTS	ok2, ok2_end
	SHUTDOWN poweroff
1:	PUTS	bad, bad_end
	SHUTDOWN crash
prog_handler_end:

fail:
	PUTS	bad, bad_end
	SHUTDOWN crash

	.data
ok1:	.ascii	"privileged doorbell taken at 0xa00\n"
ok1_end:
ok2:	.ascii	"msgsnd from the guest: illegal instruction\n"
ok2_end:
bad:	.ascii	"unexpected\n"
bad_end:
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
crash:
	.long	SHUTDOWN_crash
