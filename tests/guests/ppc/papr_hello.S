# papr_hello: a guest of the pseries platform (run with --platform=pseries).
# Checks that r3 points at a flattened device tree (magic 0xd00dfeed,
# big-endian), prints through H_PUT_TERM_CHAR in 16-byte chunks (characters
# packed big-endian in r6/r7, whatever the guest's byte order), then powers
# off through RTAS (the private hcall KVMPPC_H_RTAS with a big-endian
# argument block, as softvisor's RTAS blob makes it).
	.include "ppc.inc"

	.set H_PUT_TERM_CHAR, 0x58
	.set KVMPPC_H_RTAS, 0xf000
	.set VTERM, 0x30000000

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
	.if SV_BIG_ENDIAN
	ldx	6, 20, 10
	li	10, 8
	ldx	7, 20, 10
	.else
	ldbrx	6, 20, 10
	li	10, 8
	ldbrx	7, 20, 10
	.endif
	li	3, H_PUT_TERM_CHAR
	lis	4, VTERM@h
	sc	1
	cmpdi	3, 0
	bne	bad_hcall
	add	20, 20, 5
	subf	21, 5, 21
	b	1b

2:	lis	3, 0			# RTAS power-off
	ori	3, 3, KVMPPC_H_RTAS
	LA	4, rtas_args
	sc	1
3:	b	3b

bad_fdt:				# RTAS ibm,os-term: the guest gives up
bad_hcall:
	lis	3, 0
	ori	3, 3, KVMPPC_H_RTAS
	LA	4, rtas_os_term
	sc	1
4:	b	4b

	.data
msg:	.ascii	"hello from a pseries guest, through H_PUT_TERM_CHAR\n"
msg_end:
	.space	16			# the last chunk may read past msg_end
	.balign	4
	# struct rtas_args, big-endian: power-off (token 0x2003), 2 args, 1 ret.
rtas_args:
	.byte	0, 0, 0x20, 0x03,  0, 0, 0, 2,  0, 0, 0, 1
	.byte	0xff, 0xff, 0xff, 0xff,  0xff, 0xff, 0xff, 0xff,  0, 0, 0, 0
	# ibm,os-term (token 0x200a), 1 arg (a message address: 0), 1 ret.
rtas_os_term:
	.byte	0, 0, 0x20, 0x0a,  0, 0, 0, 1,  0, 0, 0, 1,  0, 0, 0, 0,  0, 0, 0, 0
