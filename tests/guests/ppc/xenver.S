# xenver: xen_version(XENVER_version) and print "xen version MAJOR.MINOR".
	.include "ppc.inc"

	.text
	.globl	_start
_start:
	li	3, __HYPERVISOR_xen_version
	li	4, XENVER_version
	li	5, 0
	sc	1
	mr	31, 3			# (major << 16) | minor
	PUTS	pre, pre_end
	srdi	3, 31, 16
	bl	print_dec
	PUTS	dot, dot_end
	clrldi	3, 31, 48
	bl	print_dec
	PUTS	nl, nl_end
	SHUTDOWN poweroff
1:	b	1b

# print_dec: print r3 (unsigned) in decimal. Clobbers r3-r10, uses buf.
print_dec:
	mflr	10
	LA	8, buf_end		# digits are written backwards from buf_end
	mr	9, 8
	li	7, 10
2:	divdu	5, 3, 7
	mulld	6, 5, 7
	subf	6, 6, 3			# r6 = r3 % 10
	addi	6, 6, '0'
	stbu	6, -1(9)
	mr.	3, 5
	bne	2b
	li	3, __HYPERVISOR_console_io
	li	4, CONSOLEIO_write
	subf	5, 9, 8			# length
	mr	6, 9
	sc	1
	mtlr	10
	blr

	.data
pre:	.ascii	"xen version "
pre_end:
dot:	.ascii	"."
dot_end:
nl:	.ascii	"\n"
nl_end:
buf:	.space	24
buf_end:
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
