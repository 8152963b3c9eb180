# hdec: count down 327,680 instructions (longer than the run driver's time
# slice of 200,000), then print a line and power off. hv ends the slice
# with the hypervisor decrementer: the exits trace shows 0x980 at exactly
# 200,000 instructions, and the guest never notices.
	.include "ppc.inc"

	.text
	.globl	_start
_start:
	lis	7, 5		# 5 << 16 = 327680
	mtctr	7
1:	bdnz	1b
counted:
	PUTS	msg, msg_end
	SHUTDOWN poweroff
2:	b	2b

	.data
msg:	.ascii	"counted past a time slice\n"
msg_end:
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
