# hea: a hypervisor-privileged SPR from guest supervisor state. `mtspr HDEC`
# raises the hypervisor emulation assistance interrupt (0xE40, HEIR = the
# instruction); hv emulates nothing and reflects an illegal-instruction
# program interrupt to the guest's handler at 0x700, which checks SRR1[44]
# and SRR0 (the mtspr), says so and powers off.
	.include "ppc.inc"

	.set	PROGRAM_VECTOR, 0x700
	.set	SRR1_ILLEGAL_HI, 0x8		# SRR1 bit 44 (1 << 19) in the upper halfword

	.text
	.globl	_start
_start:
	COPY_VECTOR PROGRAM_VECTOR, handler, handler_end
	li	3, 1000
hdec_write:
	mtspr	310, 3			# HDEC: hypervisor-privileged
	PUTS	bad, bad_end		# not reached
	SHUTDOWN crash

handler:
	mfsrr1	5
	andis.	5, 5, SRR1_ILLEGAL_HI
	beq	2f
	mfsrr0	5
	LA	6, hdec_write
	cmpd	5, 6
	bne	2f
	PUTS	ok, ok_end
	SHUTDOWN poweroff
2:	PUTS	bad, bad_end
	SHUTDOWN crash
handler_end:

	.data
ok:	.ascii	"hypervisor SPR: illegal instruction\n"
ok_end:
bad:	.ascii	"unexpected\n"
bad_end:
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
crash:
	.long	SHUTDOWN_crash
