# papr_hpt: the hashed page table hv owns for a pseries partition, driven the
# way a pseries kernel drives it (run with --platform=pseries).
#   1. H_ENTER for a page outside RAM fails with H_PARAMETER (-4);
#   2. H_ENTER maps EA 0x10000000 (segment ESID 1, VSID 0, 4 KiB pages:
#      hash 0, so PTEG 0 whatever the HPT's size) to the page `page`, read/
#      write (PP = 2); slbmte installs the segment;
#   3. with data translation on (MSR[DR]), a store through EA 0x10000000
#      lands in `page` (read back in real mode), and the walk set R and C in
#      the HPTE (H_READ);
#   4. H_REMOVE with H_AVPN removes it and returns the old entry;
# then it prints "hpt ok" through H_PUT_TERM_CHAR and powers off through
# RTAS. Any failure calls ibm,os-term (a crash, exit status 2).
	.include "ppc.inc"
	.include "papr.inc"

	.set H_REMOVE, 0x04
	.set H_ENTER, 0x08
	.set H_READ, 0x0c
	.set H_AVPN_HI, 0x8000			# H_AVPN = 1 << 31

	.text
	.globl	_start
_start:
	# 1. A logical page far outside RAM.
	li	3, H_ENTER
	li	4, 0
	li	5, 0
	li	6, 1			# dw0: AVPN 0, V
	lis	7, 0x7fff		# dw1: RPN 0x7fff0000 << 16 ...
	sldi	7, 7, 16
	ori	7, 7, 2
	sc	1
	cmpdi	3, -4
	bne	fail

	# 2. EA 0x10000000 -> page.
	li	3, H_ENTER
	li	4, 0
	li	5, 0
	li	6, 1
	LA	7, page
	ori	7, 7, 2			# PP = 010: read/write
	sc	1
	cmpdi	3, 0
	bne	fail
	mr	20, 4			# r20: the slot H_ENTER chose
	lis	9, 0x1800		# RB: ESID 1 | V, index 0
	li	8, 0			# RS: VSID 0, Ks = Kp = 0, 4K, 256M
	slbmte	8, 9
	isync

	# 3. A store through the translation.
	mfmsr	21
	ori	9, 21, 0x10		# MSR[DR]
	mtmsrd	9
	isync
	lis	5, 0x1000
	lis	6, 0x1234
	ori	6, 6, 0x5678
	stw	6, 0x40(5)
	mtmsrd	21
	isync
	LA	5, page
	lwz	7, 0x40(5)
	cmpw	6, 7
	bne	fail
	li	3, H_READ
	li	4, 0
	mr	5, 20
	sc	1
	cmpdi	3, 0
	bne	fail
	andi.	9, 5, 0x180		# R and C
	cmpdi	9, 0x180
	bne	fail

	# 4. H_REMOVE(H_AVPN, slot, avpn 0).
	li	3, H_REMOVE
	lis	4, H_AVPN_HI
	clrldi	4, 4, 32
	mr	5, 20
	li	6, 0
	sc	1
	cmpdi	3, 0
	bne	fail
	cmpdi	4, 1			# the old dw0
	bne	fail

	PUT_TERM8 msg, msg_end - msg

	RTAS	rtas_args		# power-off
1:	b	1b

fail:	RTAS	rtas_os_term		# ibm,os-term: the guest gives up
2:	b	2b

	.data
msg:	.ascii	"hpt ok\n"
msg_end:
	.space	8
	RTAS_ARGS
	.balign	4096
page:	.space	4096
