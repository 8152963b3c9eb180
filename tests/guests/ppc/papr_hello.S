# papr_hello: a guest of the pseries platform (run with --platform=pseries).
# Checks that r3 points at a flattened device tree (magic 0xd00dfeed,
# big-endian), prints through H_PUT_TERM_CHAR in 16-byte chunks (characters
# packed big-endian in r6/r7, whatever the guest's byte order), then powers
# off through RTAS (the private hcall KVMPPC_H_RTAS with a big-endian
# argument block, as softvisor's RTAS blob makes it).
	.include "ppc.inc"
	.include "papr.inc"

	.text
	.globl	_start
_start:
	# The device tree header's magic, read big-endian.
	.if SV_BIG_ENDIAN
	lwz	9, 0(3)
	.else
	li	10, 0
	lwbrx	9, 10, 3
	.endif
	lis	10, 0xd00d
	ori	10, 10, 0xfeed
	clrldi	10, 10, 32
	cmpd	9, 10
	bne	bad_fdt

	LA	20, msg			# r20: next byte, r21: bytes left
	li	21, msg_end - msg
1:	cmpdi	21, 0
	beq	2f
	li	5, 16			# this chunk: min(16, left)
	cmpd	21, 5
	bge	3f
	mr	5, 21
3:	li	10, 0
	LD_BE8	6, 20, 10
	li	10, 8
	LD_BE8	7, 20, 10
	li	3, H_PUT_TERM_CHAR
	lis	4, VTERM@h
	sc	1
	cmpdi	3, 0
	bne	bad_hcall
	add	20, 20, 5
	subf	21, 5, 21
	b	1b

2:	RTAS	rtas_args		# power-off
3:	b	3b

bad_fdt:				# RTAS ibm,os-term: the guest gives up
bad_hcall:
	RTAS	rtas_os_term
4:	b	4b

	.data
msg:	.ascii	"hello from a pseries guest, through H_PUT_TERM_CHAR\n"
msg_end:
	.space	16			# the last chunk may read past msg_end
	RTAS_ARGS
