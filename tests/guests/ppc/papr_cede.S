# papr_cede: H_CEDE as a pseries kernel's idle loop makes it (run with
# --platform=pseries). The guest points the decrementer vector 0x900 at its
# handler (an absolute branch written there), sets DEC to 1,000,000 and
# cedes with MSR[EE] = 0. hv blocks the vcpu; with nothing else to run,
# virtual time jumps to the decrementer's expiry, the vcpu wakes, H_CEDE
# returns H_SUCCESS with MSR[EE] = 1 and the decrementer interrupt is taken
# at once: the handler checks it came from the instruction after the sc,
# prints "cede ok" and powers off through RTAS. Anything else: ibm,os-term.
	.include "ppc.inc"

	.set H_CEDE, 0xe0
	.set H_PUT_TERM_CHAR, 0x58
	.set KVMPPC_H_RTAS, 0xf000
	.set VTERM, 0x30000000

	.text
	.globl	_start
_start:
	# 0x900: ba dec_handler (opcode 18, AA = 1).
	LA	9, dec_handler
	lis	10, 0x4800
	or	9, 9, 10
	ori	9, 9, 2
	li	10, 0x900
	stw	9, 0(10)
	dcbst	0, 10
	sync
	icbi	0, 10
	isync

	lis	9, 0x000f		# DEC = 0xf4240 = 1,000,000
	ori	9, 9, 0x4240
	mtdec	9
	li	3, H_CEDE
	sc	1
after_cede:
	b	fail			# the decrementer interrupt must come first

dec_handler:
	cmpdi	3, 0			# H_CEDE's status
	bne	fail
	mfsrr0	9
	LA	10, after_cede
	cmpd	9, 10
	bne	fail
	mfsrr1	9			# taken with EE = 1 (bit 48)
	andi.	9, 9, 0x8000
	beq	fail
	li	3, H_PUT_TERM_CHAR
	lis	4, VTERM@h
	li	5, msg_end - msg
	LA	10, msg
	li	9, 0
	.if SV_BIG_ENDIAN
	ldx	6, 10, 9
	.else
	ldbrx	6, 10, 9
	.endif
	li	7, 0
	sc	1
	lis	3, 0			# RTAS power-off
	ori	3, 3, KVMPPC_H_RTAS
	LA	4, rtas_args
	sc	1
1:	b	1b

fail:	lis	3, 0			# RTAS ibm,os-term: the guest gives up
	ori	3, 3, KVMPPC_H_RTAS
	LA	4, rtas_os_term
	sc	1
2:	b	2b

	.data
msg:	.ascii	"cede ok\n"
msg_end:
	.space	8
	.balign	4
rtas_args:
	.byte	0, 0, 0x20, 0x03,  0, 0, 0, 2,  0, 0, 0, 1
	.byte	0xff, 0xff, 0xff, 0xff,  0xff, 0xff, 0xff, 0xff,  0, 0, 0, 0
rtas_os_term:
	.byte	0, 0, 0x20, 0x0a,  0, 0, 0, 1,  0, 0, 0, 1,  0, 0, 0, 0,  0, 0, 0, 0
