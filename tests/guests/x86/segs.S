# Protected-mode segment limit and type checks (SDM vol. 3 5.3, 5.4): a 32-bit
# guest loads segments that are not flat and checks that each access beyond
# their limits or against their types faults with #GP(0), or #SS(0) through
# SS, before it changes anything, and that the accesses inside them work:
#   - a byte-granular limit (0xfff) and a page-granular one (G = 1, limit 0:
#     0xfff), crossing the limit by one byte;
#   - expand-down data segments with B = 1 (limit+1 .. 0xffffffff) and B = 0
#     (limit+1 .. 0xffff);
#   - a write to a read-only data segment (also a read-modify-write), a write
#     through CS, a read through an execute-only CS, an access through a null
#     DS and FS;
#   - string instructions: REP STOSB stops at the limit with EDI and ECX of
#     the faulting iteration, MOVS from beyond DS's limit, STOS through a
#     null ES;
#   - the stack: POP across SS's limit, an EBP-based operand (SS by default)
#     beyond it, PUSHAD below an expand-down stack's limit (ESP unchanged),
#     LRET and IRET frames across the limit;
#   - SSE operands (16 bytes), LES's far pointer (6 bytes), CMPXCHG8B (a
#     write), FXSAVE (512 bytes), which helpers access;
#   - segment register loads: not present (#NP, #SS for SS), execute-only
#     code, code or read-only data or DPL/RPL != CPL into SS, RPL > DPL, a
#     null SS, beyond the GDT, an LDT selector with no LDT (#GP(selector)).
# FS stays flat: the test's own bookkeeping goes through it.
	.include "pvh.inc"
	PVH_ENTRY

	.set SEL_CODE, 0x08
	.set SEL_DATA, 0x10
	.set SEL_SMALL, 0x18		# r/w, base 0x300000, limit 0xfff
	.set SEL_RO, 0x20		# read-only, same
	.set SEL_XO, 0x28		# execute-only code, flat
	.set SEL_EDB, 0x30		# expand-down r/w, B = 1, limit 0xfff
	.set SEL_ED16, 0x38		# expand-down r/w, B = 0, limit 0xfff
	.set SEL_PAGE, 0x40		# r/w, G = 1, limit 0 (0xfff)
	.set SEL_NP, 0x48		# data, not present
	.set SEL_DPL3, 0x50		# data, DPL 3

	.macro PRINT32 msg, len
	mov $__HYPERVISOR_console_io, %eax
	mov $CONSOLEIO_write, %ebx
	mov $\len, %ecx
	mov $\msg, %edx
	vmcall
	.endm

	# FAULT n, vector, instruction: the instruction must raise vector with
	# error code 0 (the handlers reload DS ES FS GS SS with flat data).
	.macro FAULT n, vec, insn:vararg
	movb $'A' + \n, %fs:fail_code
	movl $9f, %fs:resume
	movl $0xff, %fs:got_vec
	\insn
	jmp fail
9:	cmpl $\vec, %fs:got_vec
	jne fail
	cmpl $0, %fs:got_err
	jne fail
	.endm

	# FAULTE n, vector, error, instruction: with that error code.
	.macro FAULTE n, vec, err, insn:vararg
	movb $'A' + \n, %fs:fail_code
	movl $9f, %fs:resume
	movl $0xff, %fs:got_vec
	\insn
	jmp fail
9:	cmpl $\vec, %fs:got_vec
	jne fail
	cmpl $\err, %fs:got_err
	jne fail
	.endm

	.macro NOFAULT n, insn:vararg
	movb $'A' + \n, %fs:fail_code
	movl $fail, %fs:resume
	\insn
	.endm

	.macro SEG sel, regs:vararg
	mov $\sel, %eax
	.irp r, \regs
	mov %eax, %\r
	.endr
	.endm

	.code32
	lgdt gdtr
	ljmp $SEL_CODE, $1f
1:	SEG SEL_DATA, ds, es, ss, fs, gs
	mov $h_np, %eax
	mov $idt + 11 * 8, %edi
	call gate
	mov $h_ss, %eax
	mov $idt + 12 * 8, %edi
	call gate
	mov $h_gp, %eax
	mov $idt + 13 * 8, %edi
	call gate
	lidt idtr

	# ---- limits
	SEG SEL_SMALL, ds
	NOFAULT 0, movl 0xffc, %ebx
	NOFAULT 1, movb 0xfff, %bl
	FAULT 2, 13, movl 0xffd, %ebx
	SEG SEL_SMALL, ds
	FAULT 3, 13, movw %bx, 0xfff
	SEG SEL_PAGE, gs
	NOFAULT 4, movl %gs:0xffc, %ebx
	FAULT 5, 13, movl %gs:0x1000, %ebx
	SEG SEL_EDB, es
	NOFAULT 6, movl %es:0x1000, %ebx
	NOFAULT 7, movl %es:0xfffffffc, %ebx
	FAULT 8, 13, movl %es:0xffe, %ebx
	SEG SEL_ED16, gs
	NOFAULT 9, movl %gs:0xfffc, %ebx
	FAULT 10, 13, movl %gs:0xfffe, %ebx
	SEG SEL_ED16, gs
	FAULT 11, 13, movb %gs:0x10000, %bl
	SEG SEL_ED16, gs
	FAULT 12, 13, movb %gs:0xfff, %bl
	PRINT32 msg_limits, msg_limits_len

	# ---- types and null selectors
	SEG SEL_RO, ds
	NOFAULT 13, movl 0x10, %ebx
	FAULT 14, 13, movl %ebx, 0x10
	SEG SEL_RO, ds
	FAULT 15, 13, incl 0x10
	NOFAULT 16, movl %cs:cs_word, %ebx
	FAULT 17, 13, movl %ebx, %cs:cs_word
	ljmp $SEL_XO, $1f
1:	FAULT 18, 13, movl %cs:cs_word, %ebx
	SEG 0, ds, gs
	FAULT 19, 13, movl 0x1000, %ebx
	SEG 0, ds, gs
	FAULT 20, 13, movl %gs:0x1000, %ebx
	PRINT32 msg_types, msg_types_len

	# ---- string instructions
	SEG SEL_SMALL, es
	mov $0xff0, %edi
	mov $0x20, %ecx
	cld
	FAULT 21, 13, rep stosb
	movb $'A' + 22, %fs:fail_code
	cmp $0x1000, %edi
	jne fail
	cmp $0x10, %ecx
	jne fail
	SEG SEL_SMALL, ds
	mov $0xffe, %esi
	mov $0x1000, %edi
	FAULT 23, 13, movsl
	SEG 0, es
	FAULT 24, 13, stosb
	PRINT32 msg_strings, msg_strings_len

	# ---- the stack
	SEG SEL_SMALL, ss
	mov $0xffe, %esp
	FAULT 25, 12, pop %ebx
	SEG SEL_SMALL, ss
	mov $0x800, %esp
	NOFAULT 26, push %ebx
	mov $0xffc, %ebp
	NOFAULT 27, movl (%ebp), %ebx
	mov $0xffd, %ebp
	FAULT 28, 12, movl (%ebp), %ebx
	SEG SEL_EDB, ss
	mov $0x1010, %esp
	FAULT 29, 12, pushal
	movb $'A' + 30, %fs:fail_code
	cmpl $0x1010, got_esp
	jne fail
	SEG SEL_SMALL, ss
	mov $0xffe, %esp
	FAULT 54, 12, lret
	SEG SEL_SMALL, ss
	mov $0xffc, %esp
	FAULT 55, 12, iret
	PRINT32 msg_stack, msg_stack_len

	# ---- segment register loads (SDM MOV, POP: protected-mode exceptions)
	mov $SEL_NP, %ebx
	FAULTE 31, 11, SEL_NP, mov %ebx, %ds
	FAULTE 32, 12, SEL_NP, mov %ebx, %ss
	mov $SEL_XO, %ebx
	FAULTE 33, 13, SEL_XO, mov %ebx, %es
	mov $SEL_CODE, %ebx
	NOFAULT 34, mov %ebx, %es
	FAULTE 35, 13, SEL_CODE, mov %ebx, %ss
	mov $SEL_RO, %ebx
	FAULTE 36, 13, SEL_RO, mov %ebx, %ss
	mov $SEL_DPL3, %ebx
	NOFAULT 37, mov %ebx, %gs
	FAULTE 38, 13, SEL_DPL3, mov %ebx, %ss
	mov $SEL_DATA | 3, %ebx
	FAULTE 39, 13, SEL_DATA, mov %ebx, %ds
	FAULTE 40, 13, SEL_DATA, mov %ebx, %ss
	xor %ebx, %ebx
	FAULTE 41, 13, 0, mov %ebx, %ss
	mov $0x1000, %ebx
	FAULTE 42, 13, 0x1000, mov %ebx, %ds
	mov $4, %ebx
	FAULTE 43, 13, 4, mov %ebx, %ds
	push $SEL_NP
	FAULTE 44, 11, SEL_NP, pop %gs
	PRINT32 msg_loads, msg_loads_len

	# ---- operands that helpers access: SSE, far pointers, CMPXCHG8B, FXSAVE
	mov %cr4, %eax
	or $0x200, %eax			# CR4.OSFXSR
	mov %eax, %cr4
	SEG SEL_SMALL, ds
	NOFAULT 45, movups 0xff0, %xmm0
	FAULT 46, 13, movups 0xff8, %xmm0
	SEG SEL_RO, ds
	FAULT 47, 13, movups %xmm0, 0x10
	SEG SEL_SMALL, ds
	movw $0, 0xffe
	NOFAULT 48, les 0xffa, %ebx	# a null ES
	SEG SEL_SMALL, ds
	FAULT 49, 13, les 0xffc, %ebx
	SEG SEL_SMALL, ds
	FAULT 50, 13, cmpxchg8b 0xffc
	SEG SEL_RO, ds
	FAULT 51, 13, cmpxchg8b 0x10
	SEG SEL_SMALL, ds
	NOFAULT 52, fxsave 0xc00
	FAULT 53, 13, fxsave 0xe10
	PRINT32 msg_helpers, msg_helpers_len

	mov $__HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %ebx
	movl $SHUTDOWN_poweroff, pvh_shutdown_reason
	mov $pvh_shutdown_reason, %ecx
	vmcall
	ud2

# The #NP, #SS and #GP handlers: record the vector, the error code and the
# faulting ESP, reload flat segments and go on at `resume`.
h_np:	mov $SEL_DATA, %eax
	mov %eax, %ds
	movl $11, got_vec
	jmp 1f
h_ss:	mov $SEL_DATA, %eax
	mov %eax, %ds
	movl $12, got_vec
	jmp 1f
h_gp:	mov $SEL_DATA, %eax
	mov %eax, %ds
	movl $13, got_vec
1:	mov %ss:(%esp), %eax
	mov %eax, got_err
	lea 16(%esp), %eax
	mov %eax, got_esp
	SEG SEL_DATA, es, ss, fs, gs
	mov $pvh_stack_top, %esp
	jmp *resume

fail:
	SEG SEL_DATA, ds, es, ss, fs, gs
	mov $pvh_stack_top, %esp
	PRINT32 msg_fail, msg_fail_len
	mov $__HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %ebx
	movl $SHUTDOWN_crash, pvh_shutdown_reason
	mov $pvh_shutdown_reason, %ecx
	vmcall
	ud2

# gate(eax = handler, edi = IDT entry): a 32-bit interrupt gate, DPL 0.
gate:	mov %ax, (%edi)
	movw $SEL_CODE, 2(%edi)
	movw $0x8e00, 4(%edi)
	shr $16, %eax
	mov %ax, 6(%edi)
	ret

cs_word:	.long 0x12345678

	.section .rodata
msg_limits:	.ascii "segs: byte and page limits, expand-down with B=1 and B=0\n"
	.set msg_limits_len, . - msg_limits
msg_types:	.ascii "segs: read-only data, CS writes, execute-only reads, null selectors are #GP(0)\n"
	.set msg_types_len, . - msg_types
msg_strings:	.ascii "segs: string instructions stop at the limit\n"
	.set msg_strings_len, . - msg_strings
msg_stack:	.ascii "segs: POP, SS-based operands, PUSHAD, LRET and IRET beyond SS's limit are #SS(0)\n"
	.set msg_stack_len, . - msg_stack
msg_helpers:	.ascii "segs: SSE, far pointers, CMPXCHG8B and FXSAVE operands are checked too\n"
	.set msg_helpers_len, . - msg_helpers
msg_loads:	.ascii "segs: segment loads: #NP, #SS, #GP with the selector\n"
	.set msg_loads_len, . - msg_loads
msg_fail:	.ascii "FAILED at check "
fail_code:	.ascii "?\n"
	.set msg_fail_len, . - msg_fail

	.data
	.balign 8
gdt:	.quad 0
	.quad 0x00cf9a000000ffff	# 0x08: 32-bit code, execute/read
	.quad 0x00cf92000000ffff	# 0x10: data
	.quad 0x0040923000000fff	# 0x18: data, limit 0xfff
	.quad 0x0040903000000fff	# 0x20: read-only data, limit 0xfff
	.quad 0x00cf98000000ffff	# 0x28: 32-bit code, execute-only
	.quad 0x0040963000000fff	# 0x30: expand-down, B = 1
	.quad 0x0000963000000fff	# 0x38: expand-down, B = 0
	.quad 0x00c0923000000000	# 0x40: G = 1, limit 0
	.quad 0x00cf12000000ffff	# 0x48: data, not present
	.quad 0x00cff2000000ffff	# 0x50: data, DPL 3
gdt_end:
gdtr:	.word gdt_end - gdt - 1
	.long gdt
	.balign 8
idt:	.fill 256, 8, 0		# 11 (#NP), 12 (#SS), 13 (#GP): set at start
idt_end:
idtr:	.word idt_end - idt - 1
	.long idt
	.balign 4
resume:	.long 0
got_vec:	.long 0
got_err:	.long 0
got_esp:	.long 0
