# The POWER CPU benchmark: a xorshift64 walk that loads, adds and stores
# into an 8 KiB table (12 instructions an iteration), then prints the sum in
# hex. Assembled twice from this one source:
#   guest (default): a softvisor guest; output via console_io, sched_op off
#   --defsym SV_USER=1: a static ppc64le Linux program for qemu-ppc64le
# so both peers run exactly the same loop. ITER iterations (--defsym).
	.ifndef ITER
	.set ITER, 10000000
	.endif

	.ifdef SV_USER
	.abiversion 2		# ELFv2: the entry is code, not a descriptor
	.endif
	.text
	.globl	_start
_start:
	lis	20, ITER@h
	ori	20, 20, ITER@l
	mtctr	20
	li	4, 1			# x
	li	5, 0			# sum
	lis	6, table@h
	ori	6, 6, table@l
loop:
	sldi	7, 4, 13
	xor	4, 4, 7
	srdi	7, 4, 7
	xor	4, 4, 7
	sldi	7, 4, 17
	xor	4, 4, 7
	andi.	8, 4, 0x1ff8
	ldx	9, 6, 8
	add	9, 9, 4
	stdx	9, 6, 8
	add	5, 5, 9
	bdnz	loop

	# Sum as 16 hex digits and a newline into out.
	lis	10, out@h
	ori	10, 10, out@l
	li	11, 16
	mtctr	11
	addi	12, 10, 16
1:	andi.	13, 5, 15
	cmpwi	13, 10
	addi	13, 13, '0'
	blt	2f
	addi	13, 13, 'a' - '0' - 10
2:	stbu	13, -1(12)
	srdi	5, 5, 4
	bdnz	1b
	li	13, 10
	stb	13, 16(10)

	.ifdef SV_USER
	li	0, 4			# write(1, out, 17)
	li	3, 1
	mr	4, 10
	li	5, 17
	sc
	li	0, 1			# exit(0)
	li	3, 0
	sc
	.else
	li	3, 18			# console_io(CONSOLEIO_write, 17, out)
	li	4, 0
	li	5, 17
	mr	6, 10
	sc	1
	li	3, 29			# sched_op(SCHEDOP_shutdown, &poweroff)
	li	4, 2
	lis	5, poweroff@h
	ori	5, 5, poweroff@l
	sc	1
	.endif
3:	b	3b

	.data
	.balign	8
out:	.space	24
poweroff:
	.long	0
	.balign	4096
table:	.space	8192
