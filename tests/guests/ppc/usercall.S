# usercall: install a program-interrupt handler at 0x700, drop to problem
# state with rfid, and execute `sc 1` there. The hypervisor call is
# privileged: the guest's handler sees a program interrupt with SRR1[45]
# (privileged instruction) set, prints "privileged sc 1 trapped" through a
# hypercall from supervisor state and powers off.
	.include "ppc.inc"

	.set	PROGRAM_VECTOR, 0x700
	.set	MSR_PR, 0x4000
	.set	SRR1_PRIV_HI, 0x4		# SRR1 bit 45 (1 << 18) in the upper halfword

	.text
	.globl	_start
_start:
	# Copy the handler to the vector (position-independent code).
	LA	3, handler
	li	4, PROGRAM_VECTOR
	li	5, (handler_end - handler) / 4
	mtctr	5
1:	lwz	6, 0(3)
	stw	6, 0(4)
	addi	3, 3, 4
	addi	4, 4, 4
	bdnz	1b
	sync
	li	4, PROGRAM_VECTOR
	icbi	0, 4
	isync
	# rfid to user_code with MSR[PR] = 1.
	LA	3, user_code
	mtsrr0	3
	mfmsr	4
	ori	4, 4, MSR_PR
	mtsrr1	4
	rfid

user_code:
	li	3, __HYPERVISOR_console_io
	sc	1			# privileged from problem state
	b	user_code		# not reached

handler:				# runs at 0x700, supervisor state
	mfsrr1	7
	andis.	7, 7, SRR1_PRIV_HI
	beq	2f
	PUTS	ok, ok_end
	SHUTDOWN poweroff
2:	PUTS	bad, bad_end
	SHUTDOWN crash
3:	b	3b
handler_end:

	.data
ok:	.ascii	"privileged sc 1 trapped\n"
ok_end:
bad:	.ascii	"unexpected program interrupt\n"
bad_end:
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
crash:	.long	SHUTDOWN_crash
