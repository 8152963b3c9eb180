# Call gates in 32-bit protected mode (SDM vol. 3 5.8), from CPL 3:
#   - CALL through a 32-bit gate to CPL 0: SS:ESP from the TSS, the caller's
#     SS, ESP, two parameters, CS and EIP on the new stack; RET $8 back to
#     CPL 3 pops the parameters from both stacks and makes ES (DPL 0 data)
#     null but keeps FS (DPL 3);
#   - a 16-bit gate pushes words (SS, SP, one parameter, CS, IP; the
#     handler goes back to CPL 3 with IRET, as IP cannot hold the address);
#   - a gate to a DPL 3 segment calls without a stack switch;
#   - faults: gate DPL < CPL #GP(gate), gate not present #NP(gate), target
#     not present #NP(code), a bad SS1 in the TSS #TS(SS), JMP through a
#     gate to a more privileged segment #GP(code).
# Messages are printed at CPL 0 (reached through a gate at the end).
	.include "pvh.inc"
	PVH_ENTRY

	.set K_CODE, 0x08
	.set K_DATA, 0x10
	.set SEL_TSS, 0x18
	.set U_CODE, 0x23
	.set U_DATA, 0x2b
	.set G_MAIN, 0x30		# 32-bit gate, DPL 3, 2 params -> K_CODE:g_main
	.set G_DPL0, 0x38		# DPL 0 gate
	.set G_NP, 0x40			# not present gate
	.set G_CODE_NP, 0x48		# gate to a code segment not present
	.set C_NP, 0x50			# code, DPL 0, not present
	.set C_DPL1, 0x58		# code, DPL 1
	.set G_CPL1, 0x60		# gate -> C_DPL1 (SS1 in the TSS is bad)
	.set G_16, 0x68			# 16-bit gate, 1 param -> K_CODE:g_16
	.set G_SAME, 0x70		# gate -> U_CODE:g_same (no privilege change)
	.set G_END, 0x78		# gate -> K_CODE:finish
	.set G_FAIL, 0x80		# gate -> K_CODE:fail
	.set C_HIGH, 0x88		# code, DPL 0, base 0x100000 (where _start is:
					# g_16's offset in it fits the 16-bit gate)

	.macro PRINT32 msg, len
	mov $__HYPERVISOR_console_io, %eax
	mov $CONSOLEIO_write, %ebx
	mov $\len, %ecx
	mov $\msg, %edx
	vmcall
	.endm

	.macro CHECK n
	movb $'A' + \n, fail_code
	.endm

	# GATE sel, target, dpl_params: build a gate descriptor at run time
	# (type 0xc or 4 and the parameter count in dpl_params' low byte).
	.macro GATE sel, cs, target, attr
	mov $\target, %eax
	mov $gdt + \sel, %edi
	mov $\cs, %ecx
	mov $\attr, %edx
	call make_gate
	.endm

	# UFAULT n, vec, err, insn: at CPL 3, the instruction must fault.
	.macro UFAULT n, vec, err, insn:vararg
	CHECK \n
	movl $9f, resume
	movl $0xff, got_vec
	\insn
	jmp ufail
9:	cmpl $\vec, got_vec
	jne ufail
	cmpl $\err, got_err
	jne ufail
	.endm

	.code32
	lgdt gdtr
	ljmp $K_CODE, $1f
1:	mov $K_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	GATE G_MAIN, K_CODE, g_main, 0xec02
	GATE G_DPL0, K_CODE, g_main, 0x8c00
	GATE G_NP, K_CODE, g_main, 0x6c00
	GATE G_CODE_NP, C_NP, g_main, 0xec00
	GATE G_CPL1, C_DPL1, g_main, 0xec00
	GATE G_16, C_HIGH, (g_16-0x100000), 0xe401
	GATE G_SAME, U_CODE, g_same, 0xec00
	GATE G_END, K_CODE, finish, 0xec00
	GATE G_FAIL, K_CODE, fail, 0xec00
	# The TSS: SS0:ESP0 = K_DATA:kstack_top, SS1 = a DPL 3 segment (#TS).
	movl $kstack_top, tss + 4
	movl $K_DATA, tss + 8
	movl $kstack1_top, tss + 12
	movl $U_DATA, tss + 16
	mov $tss, %eax
	mov %ax, gdt + SEL_TSS + 2
	shr $16, %eax
	mov %al, gdt + SEL_TSS + 4
	mov %ah, gdt + SEL_TSS + 7
	mov $SEL_TSS, %ax
	ltr %ax
	mov $h_ts, %eax
	mov $idt + 10 * 8, %edi
	call make_idt
	mov $h_np, %eax
	mov $idt + 11 * 8, %edi
	call make_idt
	mov $h_ss, %eax
	mov $idt + 12 * 8, %edi
	call make_idt
	mov $h_gp, %eax
	mov $idt + 13 * 8, %edi
	call make_idt
	lidt idtr
	mov $U_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov $user, %eax
	jmp to_user

# to_user(eax = EIP): IRET to CPL 3 on the user stack.
to_user:
	push $U_DATA
	push $ustack_top
	pushf
	push $U_CODE
	push %eax
	iret

# ---- CPL 3
user:
	CHECK 0
	mov %cs, %eax
	cmp $U_CODE, %eax
	jne ufail
	CHECK 1				# CALL through the 32-bit gate to CPL 0
	push $0x1111
	push $0x2222
	lcall $G_MAIN | 3, $0
ret_main:
	CHECK 5				# back at CPL 3
	mov %cs, %eax
	cmp $U_CODE, %eax
	jne ufail
	mov %ss, %eax
	cmp $U_DATA, %eax
	jne ufail
	cmp $ustack_top, %esp		# RET $8 popped the parameters
	jne ufail
	CHECK 6
	mov %es, %eax			# DPL 0 data: made null
	test %eax, %eax
	jne ufail
	mov %fs, %eax			# DPL 3 data: kept
	cmp $U_DATA, %eax
	jne ufail
	mov $U_DATA, %eax
	mov %eax, %es

	UFAULT 7, 13, G_DPL0, lcall $G_DPL0 | 3, $0
	UFAULT 8, 11, G_NP, lcall $G_NP | 3, $0
	UFAULT 9, 11, C_NP, lcall $G_CODE_NP | 3, $0
	UFAULT 10, 10, U_DATA & ~3, lcall $G_CPL1 | 3, $0
	UFAULT 11, 13, K_CODE, ljmp $G_MAIN | 3, $0

	CHECK 12			# the 16-bit gate
	pushw $0x4444
	lcall $G_16 | 3, $0
after16:
	CHECK 15			# a gate to CPL 3: no stack switch
	lcall $G_SAME | 3, $0
	CHECK 17
	cmp $ustack_top, %esp
	jne ufail
	lcall $G_END | 3, $0

ufail:	lcall $G_FAIL | 3, $0

g_same:					# CPL 3, on the caller's stack
	CHECK 16
	lea 8(%esp), %eax
	cmp $ustack_top, %eax
	jne ufail
	cmpl $U_CODE, 4(%esp)
	jne ufail
	mov %cs, %eax
	cmp $U_CODE, %eax
	jne ufail
	lret

# ---- CPL 0
g_main:
	CHECK 2
	mov %cs, %eax
	cmp $K_CODE, %eax
	jne fail
	mov %ss, %eax
	cmp $K_DATA, %eax
	jne fail
	cmp $kstack_top - 24, %esp
	jne fail
	CHECK 3
	cmpl $ret_main, 0(%esp)
	jne fail
	cmpl $U_CODE, 4(%esp)
	jne fail
	cmpl $0x2222, 8(%esp)
	jne fail
	cmpl $0x1111, 12(%esp)
	jne fail
	cmpl $ustack_top - 8, 16(%esp)
	jne fail
	cmpl $U_DATA, 20(%esp)
	jne fail
	CHECK 4
	mov $K_DATA, %eax		# ES: DPL 0, FS stays DPL 3
	mov %eax, %es
	lret $8

g_16:					# CS = C_HIGH
	CHECK 13
	cmp $kstack_top - 10, %esp
	jne fail
	mov $after16, %eax		# IP: the offset's low 16 bits
	cmp %ax, 0(%esp)
	jne fail
	cmpw $U_CODE, 2(%esp)
	jne fail
	cmpw $0x4444, 4(%esp)
	jne fail
	mov $ustack_top - 2, %eax
	cmp %ax, 6(%esp)
	jne fail
	cmpw $U_DATA, 8(%esp)
	jne fail
	mov $after16, %eax
	jmp to_user

# #TS #NP #SS #GP from CPL 3: record, then IRET to `resume`.
h_ts:	movl $10, %ss:got_vec
	jmp 1f
h_np:	movl $11, %ss:got_vec
	jmp 1f
h_ss:	movl $12, %ss:got_vec
	jmp 1f
h_gp:	movl $13, %ss:got_vec
1:	popl %ss:got_err
	mov %ss:resume, %eax
	mov %eax, (%esp)
	iret

finish:
	mov $K_DATA, %eax
	mov %eax, %ds
	PRINT32 msg_call, msg_call_len
	PRINT32 msg_ret, msg_ret_len
	PRINT32 msg_faults, msg_faults_len
	PRINT32 msg_16, msg_16_len
	PRINT32 msg_same, msg_same_len
	mov $__HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %ebx
	movl $SHUTDOWN_poweroff, pvh_shutdown_reason
	mov $pvh_shutdown_reason, %ecx
	vmcall
	ud2

fail:
	mov $K_DATA, %eax
	mov %eax, %ds
	PRINT32 msg_fail, msg_fail_len
	mov $__HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %ebx
	movl $SHUTDOWN_crash, pvh_shutdown_reason
	mov $pvh_shutdown_reason, %ecx
	vmcall
	ud2

# make_gate(eax = offset, ecx = selector, edx = attribute word, edi = slot)
make_gate:
	mov %ax, (%edi)
	mov %cx, 2(%edi)
	mov %dx, 4(%edi)
	shr $16, %eax
	mov %ax, 6(%edi)
	ret

# make_idt(eax = handler, edi = slot): a 32-bit interrupt gate, DPL 0.
make_idt:
	mov $K_CODE, %ecx
	mov $0x8e00, %edx
	jmp make_gate

	.section .rodata
msg_call:	.ascii "callgate: CALL to CPL 0 through a 32-bit gate: TSS stack, SS ESP, 2 parameters, CS EIP\n"
	.set msg_call_len, . - msg_call
msg_ret:	.ascii "callgate: RET $8 to CPL 3: both stacks popped, ES (DPL 0) made null, FS kept\n"
	.set msg_ret_len, . - msg_ret
msg_faults:	.ascii "callgate: #GP(gate) #NP(gate) #NP(code) #TS(SS) #GP(code)\n"
	.set msg_faults_len, . - msg_faults
msg_16:	.ascii "callgate: a 16-bit gate pushes words\n"
	.set msg_16_len, . - msg_16
msg_same:	.ascii "callgate: a gate to CPL 3 from CPL 3 keeps the stack\n"
	.set msg_same_len, . - msg_same
msg_fail:	.ascii "FAILED at check "
fail_code:	.ascii "?\n"
	.set msg_fail_len, . - msg_fail

	.data
	.balign 8
gdt:	.quad 0
	.quad 0x00cf9a000000ffff	# 0x08: code, DPL 0
	.quad 0x00cf92000000ffff	# 0x10: data, DPL 0
	.quad 0x0000890000000067	# 0x18: 32-bit TSS (base set at run time)
	.quad 0x00cffa000000ffff	# 0x20: code, DPL 3
	.quad 0x00cff2000000ffff	# 0x28: data, DPL 3
	.quad 0, 0, 0, 0		# 0x30..0x48: gates
	.quad 0x00cf1a000000ffff	# 0x50: code, DPL 0, not present
	.quad 0x00cfba000000ffff	# 0x58: code, DPL 1
	.quad 0, 0, 0, 0, 0		# 0x60..0x80: gates
	.quad 0x00cf9a100000ffff	# 0x88: code, DPL 0, base 0x100000
gdt_end:
gdtr:	.word gdt_end - gdt - 1
	.long gdt
	.balign 8
idt:	.fill 256, 8, 0
idt_end:
idtr:	.word idt_end - idt - 1
	.long idt
	.balign 16
tss:	.fill 104, 1, 0
resume:	.long 0
got_vec:	.long 0
got_err:	.long 0
	.balign 16
	.fill 1024, 1, 0
kstack_top:
	.fill 256, 1, 0
kstack1_top:
	.fill 1024, 1, 0
ustack_top:
