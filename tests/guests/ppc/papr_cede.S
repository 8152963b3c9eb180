# papr_cede: H_CEDE as a pseries kernel's idle loop makes it (run with
# --platform=pseries). The guest points the decrementer vector 0x900 at its
# handler (an absolute branch written there), sets DEC to 1,000,000 and
# cedes with MSR[EE] = 0. hv blocks the vcpu; with nothing else to run,
# virtual time jumps to the decrementer's expiry, the vcpu wakes, H_CEDE
# returns H_SUCCESS with MSR[EE] = 1 and the decrementer interrupt is taken
# at once: the handler checks it came from the instruction after the sc,
# prints "cede ok" and powers off through RTAS. Anything else: ibm,os-term.
	.include "ppc.inc"
	.include "papr.inc"

	.text
	.globl	_start
_start:
	SET_VECTOR 0x900, dec_handler

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
	PUT_TERM8 msg, msg_end - msg
	RTAS	rtas_args		# power-off
1:	b	1b

fail:	RTAS	rtas_os_term		# ibm,os-term: the guest gives up
2:	b	2b

	.data
msg:	.ascii	"cede ok\n"
msg_end:
	.space	8
	RTAS_ARGS
