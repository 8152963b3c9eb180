# echo: console input under the Xen personality. Polls CONSOLEIO_read for up
# to 64 bytes at a time and writes each chunk back with CONSOLEIO_write
# behind "> "; a chunk holding 'q' powers off (exit status 0). A read that
# returns an error or more than asked crashes the guest.
	.include "ppc.inc"
	.set	CONSOLEIO_read, 1

	.text
	.globl	_start
_start:
	PUTS	ready, ready_end
1:	li	3, __HYPERVISOR_console_io
	li	4, CONSOLEIO_read
	li	5, 64
	LA	6, buf
	sc	1
	cmpdi	3, 0
	beq	1b			# nothing yet: poll again
	blt	fail
	cmpdi	3, 64
	bgt	fail
	mr	14, 3			# the count
	PUTS	prompt, prompt_end
	li	3, __HYPERVISOR_console_io
	li	4, CONSOLEIO_write
	mr	5, 14
	LA	6, buf
	sc	1
	# A 'q' anywhere in the chunk: power off.
	LA	7, buf
	mtctr	14
2:	lbz	8, 0(7)
	cmpdi	8, 'q'
	beq	3f
	addi	7, 7, 1
	bdnz	2b
	b	1b
3:	PUTS	bye, bye_end
	SHUTDOWN poweroff
fail:
	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
4:	b	4b

	.data
ready:	.ascii	"echo: ready\n"
ready_end:
prompt:	.ascii	"> "
prompt_end:
bye:	.ascii	"\necho: bye\n"
bye_end:
failmsg: .ascii	"echo: FAILED\n"
failmsg_end:
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
crash:
	.long	SHUTDOWN_crash
buf:	.fill	64, 1, 0
