# usercall: install a program-interrupt handler at 0x700, map the page of
# user_code through the hashed page table, drop to problem state with rfid
# (which turns translation on), and execute `sc 1` there. The hypervisor call is
# privileged: the guest's handler sees a program interrupt with SRR1[45]
# (privileged instruction) set, prints "privileged sc 1 trapped" through a
# hypercall from supervisor state and powers off.
	.include "ppc.inc"

	.set	PROGRAM_VECTOR, 0x700
	.set	MSR_PR, 0x4000
	.set	SRR1_PRIV_HI, 0x4		# SRR1 bit 45 (1 << 18) in the upper halfword

# STD_BE rs, off, ra: store a doubleword big-endian (the HPT's byte order).
	.macro STD_BE rs, off, ra
	.if SV_BIG_ENDIAN
	std	\rs, \off(\ra)
	.else
	li	11, \off
	stdbrx	\rs, \ra, 11
	.endif
	.endm

	.text
	.globl	_start
_start:
	COPY_VECTOR PROGRAM_VECTOR, handler, handler_end
	# Problem state always translates (rfid sets MSR[IR,DR] with PR): map
	# the page of user_code to itself. The hypervisor never wrote SDR1, so
	# its architected value 0 applies: a 256 KiB HPT at address 0 (2048
	# PTEGs of 128 bytes). Choose the VSID so that the primary hash of the
	# page is 0x100 -- PTEG 0x8000, clear of the vectors and this image.
	LA	3, user_code
	clrrdi	3, 3, 12		# EA (= RA) of the page
	srdi	4, 3, 12		# page index in segment 0
	xori	5, 4, 0x100		# VSID: hash = VSID ^ page index = 0x100
	sldi	6, 5, 12		# HPTE dw0 = AVPN << 7 | V,
	srdi	7, 3, 23		#   AVPN = VA[0:54] = VSID << 5 | EA >> 23
	sldi	7, 7, 7
	or	6, 6, 7
	ori	6, 6, 1
	ori	7, 3, 2			# HPTE dw1 = RPN | PP = 0b010 (read/write)
	li	8, 0x100
	sldi	8, 8, 7			# PTEG address 0x8000, slot 0
	STD_BE	6, 0, 8
	STD_BE	7, 8, 8
	ptesync
	sldi	9, 5, 12		# slbmte RS = VSID || Ks=0 Kp=1 (problem state key 1)
	ori	9, 9, 0x400
	lis	10, 0x0800		# RB = ESID 0 || V || index 0
	slbmte	9, 10
	isync
	# rfid to user_code with MSR[PR] = 1.
	LA	3, user_code
	mtsrr0	3
	mfmsr	4
	ori	4, 4, MSR_PR
	mtsrr1	4
	rfid

user_code:
	li	3, __HYPERVISOR_console_io
	sc	1			# privileged from problem state
	b	user_code		# not reached

handler:				# runs at 0x700, supervisor state
	mfsrr1	7
	andis.	7, 7, SRR1_PRIV_HI
	beq	2f
	PUTS	ok, ok_end
	SHUTDOWN poweroff
2:	PUTS	bad, bad_end
	SHUTDOWN crash
3:	b	3b
handler_end:

	.data
ok:	.ascii	"privileged sc 1 trapped\n"
ok_end:
bad:	.ascii	"unexpected program interrupt\n"
bad_end:
	.balign	4
poweroff:
	.long	SHUTDOWN_poweroff
crash:	.long	SHUTDOWN_crash
