# hello: print a line through console_io, then power off (exit status 0).
	.include "ppc.inc"

	.text
	.globl	_start
_start:
	PUTS	msg, msg_end
	SHUTDOWN poweroff
1:	b	1b

	.data
msg:	.ascii	"hello from ppc64 guest\n"
msg_end:
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff	# struct sched_shutdown, in the guest's byte order
