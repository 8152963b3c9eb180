# crash: shut down with SHUTDOWN_crash (exit status 2).
	.include "ppc.inc"

	.text
	.globl	_start
_start:
	PUTS	msg, msg_end
	SHUTDOWN crash
1:	b	1b

	.data
msg:	.ascii	"ppc64 guest crashing on purpose\n"
msg_end:
	.balign	4
crash:	.long	SHUTDOWN_crash
