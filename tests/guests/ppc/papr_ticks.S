# papr_ticks: a pseries guest that prints and sleeps in turn (run with
# --platform=pseries), for snapshot tests: eight times it prints "tick N",
# computes a running checksum over its own memory (state a restore must
# bring back), arms the decrementer 300,000 ticks ahead and cedes with
# MSR[EE] = 0. Each wake-up takes the decrementer interrupt (0x900), whose
# handler parks DEC far ahead and returns. Every cede is an idle jump of
# virtual time, so the run has many run-driver rounds with output between
# them. It ends with "ticks done SUM" and powers off through RTAS.
	.include "ppc.inc"
	.include "papr.inc"

	.text
	.globl	_start
_start:
	SET_VECTOR 0x900, dec_handler
	li	20, 0			# tick number
	li	21, 0			# running sum
loop:
	# "tick N\n": the digit into the message, then 7 bytes to the vty.
	LA	10, msg
	addi	9, 20, '0'
	stb	9, 5(10)
	li	9, 0
	LD_BE8	6, 10, 9
	VTERM_PUT 7
	# sum = sum * 31 + tick + (the low 32 bits of the time base) & 0xff
	mulli	21, 21, 31
	add	21, 21, 20
	mftb	9
	andi.	9, 9, 0xff
	add	21, 21, 9
	# Sleep: DEC 300,000 ahead, cede with EE = 0.
	li	9, 0
	mtmsrd	9, 1
	lis	9, 0x0004		# 0x493e0 = 300,000
	ori	9, 9, 0x93e0
	mtdec	9
	li	3, H_CEDE
	sc	1
	addi	20, 20, 1
	cmpdi	20, 8
	blt	loop

	# "ticks done " then the sum's low byte as two hex digits.
	LA	10, done
	li	9, 0
	LD_BE8	6, 10, 9
	VTERM_PUT 8
	LA	10, hex
	rldicl	9, 21, 60, 60
	lbzx	11, 10, 9
	andi.	9, 21, 0xf
	lbzx	12, 10, 9
	LA	10, tail
	stb	11, 3(10)
	stb	12, 4(10)
	li	9, 0
	LD_BE8	6, 10, 9
	VTERM_PUT 6
	RTAS	rtas_args		# power-off
1:	b	1b

dec_handler:
	lis	9, 0x7fff		# park the decrementer
	mtdec	9
	rfid

	.data
	.balign	8
msg:	.ascii	"tick 0\n\0"
done:	.ascii	"ticks do"
tail:	.ascii	"ne XX\n\0\0"
hex:	.ascii	"0123456789abcdef"
	RTAS_ARGS
