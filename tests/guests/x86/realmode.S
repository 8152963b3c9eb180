# Real mode from a PVH start (SDM vol. 3 9.9.2 and 20.1): the guest copies a
# 16-bit program below 1 MiB, enters a 16-bit protected-mode code segment,
# clears CR0.PE and far-jumps into real mode. There it loads a word through
# every 16-bit ModRM addressing form (BX+SI ... disp16, mod 00/01/10, 16-bit
# wraparound, SS as the default segment of the BP forms, overrides, 67 and
# 66 prefixes), takes INT 30h and a #DE through the interrupt vector table,
# makes a far call into another segment, takes #GP and #SS for operands
# beyond the 64 KiB segment limits, then sets CR0.PE again, far-jumps
# to 32-bit code and goes on to long mode, where it compares what it stored
# with the values table 2-1 of SDM vol. 2 gives.
#
# Memory: the word at DS:o (DS = 0x1000) is o, at SS:o (SS = 0x2000) o ^
# 0x8000, so each load returns its own effective address (and segment).
# Results: ES = 0x3000.
	.include "pvh.inc"

	.set RM_BASE, 0x8000		# the 16-bit program runs at 0800:0000
	.set RM_SEG, RM_BASE >> 4
	.set RES, 0x30000
	.set BX_, 0x1234
	.set SI_, 0x0456
	.set DI_, 0xff00
	.set BP_, 0xfe80
	.set N_CHECKS, (rm_expect_end - rm_expect) / 2

	PVH_ENTRY
	xor %ecx, %ecx
1:	mov %ecx, %eax
	mov %ax, 0x10000(%ecx)
	xor $0x8000, %eax
	mov %ax, 0x20000(%ecx)
	add $2, %ecx
	cmp $0x10000, %ecx
	jb 1b
	mov $rm_start, %esi
	mov $RM_BASE, %edi
	mov $(rm_end - rm_start), %ecx
	cld
	rep movsb
	lgdt rm_gdtr
	ljmp $0x08, $(rm_pm16 - rm_start)

back32:	mov $0x20, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $pvh_stack_top, %esp
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	lea rm_expect(%rip), %rsi
	mov $RES, %edi
	xor %ecx, %ecx
1:	movzwl (%rdi,%rcx,2), %eax
	movzwl (%rsi,%rcx,2), %edx
	cmp %edx, %eax
	jne 2f
	inc %ecx
	cmp $N_CHECKS, %ecx
	jb 1b
	PRINT ok, ok_len
	SHUTDOWN SHUTDOWN_poweroff
2:	mov %rcx, %rbx
	mov %rax, %r12
	PRINT bad, bad_len
	mov %rbx, %rdi
	call print_dec
	PRINT got, got_len
	mov %r12, %rdi
	call print_hex
	PRINT nl, 1
	SHUTDOWN SHUTDOWN_poweroff

# ---- the 16-bit program (copied to RM_BASE; offsets relative to rm_start) ----
	.code16
rm_start:
rm_pm16:				# 16-bit protected mode, CS base RM_BASE
	mov $0x10, %ax			# 16-bit data segments, 64 KiB
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	lidtw %cs:(rm_ivtr - rm_start)
	mov %cr0, %eax
	and $0xfffffffe, %eax
	mov %eax, %cr0
	ljmp $RM_SEG, $(rm_real - rm_start)
rm_real:
	xor %ax, %ax
	mov %ax, %ds
	movw $(rm_int30 - rm_start), 0xc0
	movw $RM_SEG, 0xc2
	movw $(rm_de - rm_start), 0
	movw $RM_SEG, 2
	movw $(rm_gp - rm_start), 13 * 4
	movw $RM_SEG, 13 * 4 + 2
	movw $(rm_ssf - rm_start), 12 * 4
	movw $RM_SEG, 12 * 4 + 2
	mov $(RES >> 4), %ax
	mov %ax, %es
	mov $0x1000, %ax
	mov %ax, %ds
	mov $0x2000, %ax
	mov %ax, %ss
	mov $BX_, %ebx
	mov $SI_, %esi
	mov $DI_, %edi
	mov $BP_, %ebp
	mov (%bx,%si), %ax
	mov %ax, %es:0
	mov (%bx,%di), %ax
	mov %ax, %es:2
	mov (%bp,%si), %ax
	mov %ax, %es:4
	mov (%bp,%di), %ax
	mov %ax, %es:6
	mov (%si), %ax
	mov %ax, %es:8
	mov (%di), %ax
	mov %ax, %es:10
	mov 0x5678, %cx
	mov %cx, %es:12
	mov (%bx), %ax
	mov %ax, %es:14
	mov 0x7e(%bx,%si), %ax
	mov %ax, %es:16
	mov -0x10(%bx,%di), %ax
	mov %ax, %es:18
	mov 0x12(%bp,%si), %ax
	mov %ax, %es:20
	mov -0x80(%bp,%di), %ax
	mov %ax, %es:22
	mov 0x32(%si), %ax
	mov %ax, %es:24
	mov -2(%di), %ax
	mov %ax, %es:26
	mov 0x44(%bp), %ax
	mov %ax, %es:28
	mov 0x56(%bx), %ax
	mov %ax, %es:30
	mov 0x8000(%bx,%si), %ax
	mov %ax, %es:32
	mov 0xf000(%bx,%di), %ax
	mov %ax, %es:34
	mov 0x0200(%bp,%si), %ax
	mov %ax, %es:36
	mov 0x9abc(%bp,%di), %ax
	mov %ax, %es:38
	mov 0x4322(%si), %ax
	mov %ax, %es:40
	mov 0x0102(%di), %ax
	mov %ax, %es:42
	mov 0x0abc(%bp), %ax
	mov %ax, %es:44
	mov 0x7ff0(%bx), %ax
	mov %ax, %es:46
	mov %ds:(%bp,%si), %ax
	mov %ax, %es:48
	mov %ss:(%bx,%si), %ax
	mov %ax, %es:50
	mov (%ebx,%esi,2), %ax
	mov %ax, %es:52
	mov 0x10(%ebp), %ax
	mov %ax, %es:54
	mov (%bx,%si), %eax
	mov %eax, %es:56
	lea 0x7e(%bp,%di), %ax
	mov %ax, %es:60
	# Interrupts through the IVT, with a stack at 0000:7FF0.
	xor %ax, %ax
	mov %ax, %ss
	mov $0x7ff0, %sp
	sti
	mov $0x11, %cx
	int $0x30
	pushf
	pop %ax
	and $0x200, %ax
	mov %ax, %es:62
	mov %cx, %es:64
	and $0x200, %dx
	mov %dx, %es:66
	cli
	xor %bl, %bl
	mov $5, %ax
	div %bl				# #DE: the handler skips it
	lcall $(RM_SEG - 1), $(rm_far - rm_start + 0x10)
	mov %cs, %es:72
	mov %sp, %es:74
	movw $0x600d, %es:76
	# Segment limits (64 KiB): a word at DS:FFFF and a byte at DS:10000
	# (a 32-bit offset) are #GP, a word at SS:FFFF is #SS; the handlers
	# skip DX bytes. A byte at DS:FFFF is fine.
	mov $0x1234, %ax
	mov $3, %dx
	mov 0xffff, %ax			# a1 ff ff
	mov $0x10000, %ebx
	mov $3, %dx
	addr32 mov (%ebx), %al		# 67 8a 03
	mov %ax, %es:82
	mov %bp, %cx
	mov $0xffff, %bp
	mov $3, %dx
	mov (%bp), %ax			# 8b 46 00: SS is the default segment
	mov %cx, %bp
	xor %ax, %ax
	mov 0xffff, %al
	mov %ax, %es:84
	# Back to protected mode, 32-bit code, then long mode.
	lgdtl %cs:(rm_gdtr16 - rm_start)
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x18, $back32
rm_int30:
	add $0x100, %cx
	pushf
	pop %dx
	iret
rm_de:	push %bp
	mov %sp, %bp
	addw $2, 2(%bp)			# the return IP: past the 2-byte DIV
	movw $0xde, %es:68
	pop %bp
	iret
rm_far:	mov %cs, %es:70
	lret
rm_gp:	push %bp
	mov %sp, %bp
	add %dx, 2(%bp)			# the return IP: past the faulting instruction
	incw %es:78
	pop %bp
	iret
rm_ssf:	push %bp
	mov %sp, %bp
	add %dx, 2(%bp)
	incw %es:80
	pop %bp
	iret
rm_ivtr:
	.word 0x3ff
	.long 0
rm_gdtr16:
	.word rm_gdt_end - rm_gdt - 1
	.long rm_gdt
rm_end:

	.section .rodata
	.balign 8
rm_gdt:
	.quad 0
	.quad 0x00009b000000ffff | (RM_BASE << 16)	# 0x08: 16-bit code at RM_BASE
	.quad 0x000093000000ffff			# 0x10: 16-bit data, base 0
	.quad 0x00cf9b000000ffff			# 0x18: 32-bit code
	.quad 0x00cf93000000ffff			# 0x20: 32-bit data
rm_gdt_end:
rm_gdtr:
	.word rm_gdt_end - rm_gdt - 1
	.long rm_gdt

	# What each slot must hold: DS words are their offset, SS words the
	# offset ^ 0x8000; offsets wrap at 64 KiB.
	.set DS_, 0
	.set SS_, 0x8000
rm_expect:
	.word ((BX_ + SI_) & 0xffff) ^ DS_
	.word ((BX_ + DI_) & 0xffff) ^ DS_
	.word ((BP_ + SI_) & 0xffff) ^ SS_
	.word ((BP_ + DI_) & 0xffff) ^ SS_
	.word SI_ ^ DS_
	.word DI_ ^ DS_
	.word 0x5678 ^ DS_
	.word BX_ ^ DS_
	.word ((BX_ + SI_ + 0x7e) & 0xffff) ^ DS_
	.word ((BX_ + DI_ - 0x10) & 0xffff) ^ DS_
	.word ((BP_ + SI_ + 0x12) & 0xffff) ^ SS_
	.word ((BP_ + DI_ - 0x80) & 0xffff) ^ SS_
	.word ((SI_ + 0x32) & 0xffff) ^ DS_
	.word ((DI_ - 2) & 0xffff) ^ DS_
	.word ((BP_ + 0x44) & 0xffff) ^ SS_
	.word ((BX_ + 0x56) & 0xffff) ^ DS_
	.word ((BX_ + SI_ + 0x8000) & 0xffff) ^ DS_
	.word ((BX_ + DI_ + 0xf000) & 0xffff) ^ DS_
	.word ((BP_ + SI_ + 0x0200) & 0xffff) ^ SS_
	.word ((BP_ + DI_ + 0x9abc) & 0xffff) ^ SS_
	.word ((SI_ + 0x4322) & 0xffff) ^ DS_
	.word ((DI_ + 0x0102) & 0xffff) ^ DS_
	.word ((BP_ + 0x0abc) & 0xffff) ^ SS_
	.word ((BX_ + 0x7ff0) & 0xffff) ^ DS_
	.word ((BP_ + SI_) & 0xffff) ^ DS_		# ds: override on a BP form
	.word ((BX_ + SI_) & 0xffff) ^ SS_		# ss: override
	.word (BX_ + 2 * SI_) ^ DS_			# 67: [ebx+esi*2]
	.word (BP_ + 0x10) ^ SS_			# 67: [ebp+0x10] uses SS
	.word ((BX_ + SI_) & 0xffff) ^ DS_		# 66: a dword, low half
	.word ((BX_ + SI_ + 2) & 0xffff) ^ DS_		# and high half
	.word (BP_ + DI_ + 0x7e) & 0xffff		# LEA wraps too
	.word 0x200					# IRET restored IF
	.word 0x111					# INT 30h ran its handler
	.word 0						# with IF clear
	.word 0xde					# #DE went through vector 0
	.word RM_SEG - 1				# the far call's CS
	.word RM_SEG					# CS after the far return
	.word 0x7ff0					# SP balanced
	.word 0x600d
	.word 2						# two #GP beyond DS's limit
	.word 1						# one #SS beyond SS's limit
	.word 0x1234					# the faulting loads changed nothing
	.word 0x00ff					# a byte at DS:FFFF is inside
rm_expect_end:

ok:	.ascii "realmode: all checks passed\n"
	.set ok_len, . - ok
bad:	.ascii "realmode: check "
	.set bad_len, . - bad
got:	.ascii " failed, got "
	.set got_len, . - got
nl:	.ascii "\n"
