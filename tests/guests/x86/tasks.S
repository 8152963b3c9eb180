# 32-bit protected-mode segmentation (no paging):
#   - STR and SLDT into a 32-bit register zero-extend the selector;
#   - a 16-bit interrupt gate (type 6) pushes a 16-bit IP/CS/FLAGS frame and
#     its handler returns with IRETW;
#   - a double fault through a task gate (IDT[8] -> TSS 0x20): a bad DS load
#     is #GP, the #GP gate is not present (#NP), the two make #DF, which
#     switches tasks (a VM exit hv performs): the handler task finds the
#     error code on its stack, TR = 0x20, its link = 0x18, NT and CR0.TS set,
#     the old task's EIP saved at the faulting instruction and both TSSs busy;
#   - IRET with NT returns to the old task (its busy bit stays, the double
#     fault task's is cleared);
#   - a far JMP to a TSS switches without nesting, a far CALL with (link,
#     NT, the caller busy).
	.include "pvh.inc"
	PVH_ENTRY

	.set SEL_CODE, 0x08
	.set SEL_DATA, 0x10
	.set SEL_TSS_MAIN, 0x18
	.set SEL_TSS_DF, 0x20
	.set LOW, 0x8000		# where the 16-bit-gate code runs (offsets < 64 KiB)

	.macro PRINT32 msg, len
	mov $__HYPERVISOR_console_io, %eax
	mov $CONSOLEIO_write, %ebx
	mov $\len, %ecx
	mov $\msg, %edx
	vmcall
	.endm

	.macro CHECK n
	movb $'a' + \n, fail_code
	.endm

	.code32
	lgdt gdtr
	ljmp $SEL_CODE, $1f
1:	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $main_tss, %eax
	mov $gdt + SEL_TSS_MAIN, %edi
	call tss_desc
	mov $df_tss, %eax
	mov $gdt + SEL_TSS_DF, %edi
	call tss_desc
	mov $SEL_TSS_MAIN, %ax
	ltr %ax
	lidt idtr

	CHECK 1				# STR r32 zero-extends
	mov $0xffffffff, %eax
	str %eax
	cmp $SEL_TSS_MAIN, %eax
	jne fail
	CHECK 2				# SLDT r32 (null LDTR) too
	mov $0xffffffff, %eax
	sldt %eax
	test %eax, %eax
	jne fail
	PRINT32 msg_str, msg_str_len

	CHECK 3				# a 16-bit interrupt gate
	mov $lowcode, %esi
	mov $LOW, %edi
	mov $lowcode_end - lowcode, %ecx
	cld
	rep movsb
	mov %esp, %ebp
	mov $LOW, %eax
	call *%eax			# int $0x40 at LOW, ret at LOW + 2
	cmpl $1, count16
	jne fail
	mov saved_sp, %eax
	lea -10(%ebp), %ecx		# the call's return address, then 6 bytes
	cmp %ecx, %eax
	jne fail
	cmpw $LOW + 2, (%eax)
	jne fail
	cmpw $SEL_CODE, 2(%eax)
	jne fail
	PRINT32 msg_gate16, msg_gate16_len

	CHECK 4				# #GP -> #NP -> #DF through the task gate
	mov $0x1234, %eax		# beyond the GDT's limit
df_fault_insn:
	mov %eax, %ds
	jmp fail

after_return:				# IRET from the double fault task
	CHECK 11
	str %eax
	cmp $SEL_TSS_MAIN, %eax
	jne fail
	CHECK 12
	pushf
	pop %eax
	bt $14, %eax			# NT: the main task never had it
	jc fail
	CHECK 13
	movzbl gdt + SEL_TSS_DF + 5, %eax
	cmp $0x89, %eax			# the double fault TSS is available again
	jne fail
	movzbl gdt + SEL_TSS_MAIN + 5, %eax
	cmp $0x8b, %eax			# the main one busy
	jne fail
	PRINT32 msg_iret, msg_iret_len

	CHECK 14			# JMP to the double fault TSS, which CALLs back
	movl $jmp_task, df_tss + 0x20	# its EIP
	movl $df_stack_top, df_tss + 0x38	# and ESP
	ljmp $SEL_TSS_DF, $0
	CHECK 16			# back here through the CALL: nested
	str %eax
	cmp $SEL_TSS_MAIN, %eax
	jne fail
	pushf
	pop %eax
	bt $14, %eax
	jnc fail
	cmpw $SEL_TSS_DF, main_tss	# the link
	jne fail
	movzbl gdt + SEL_TSS_DF + 5, %eax
	cmp $0x8b, %eax			# the caller stays busy
	jne fail
	PRINT32 msg_jmpcall, msg_jmpcall_len
	mov $__HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %ebx
	movl $SHUTDOWN_poweroff, pvh_shutdown_reason
	mov $pvh_shutdown_reason, %ecx
	vmcall
	ud2

df_task:
	CHECK 5
	cmpl $0, (%esp)			# #DF's error code
	jne fail
	CHECK 6
	str %eax
	cmp $SEL_TSS_DF, %eax
	jne fail
	CHECK 7
	cmpw $SEL_TSS_MAIN, df_tss	# the link
	jne fail
	CHECK 8
	cmpl $df_fault_insn, main_tss + 0x20	# the old task's EIP
	jne fail
	cmpl $0x1234, main_tss + 0x28	# its EAX
	jne fail
	CHECK 9
	pushf
	pop %eax
	bt $14, %eax			# EFLAGS.NT
	jnc fail
	mov %cr0, %eax
	bt $3, %eax			# CR0.TS
	jnc fail
	CHECK 10
	movzbl gdt + SEL_TSS_DF + 5, %eax
	cmp $0x8b, %eax			# busy
	jne fail
	movzbl gdt + SEL_TSS_MAIN + 5, %eax
	cmp $0x8b, %eax
	jne fail
	PRINT32 msg_df, msg_df_len
	clts
	movl $after_return, main_tss + 0x20	# resume the main task there
	add $4, %esp			# the error code
	iret

jmp_task:				# the double fault TSS, entered by JMP
	CHECK 15
	str %eax
	cmp $SEL_TSS_DF, %eax
	jne fail
	pushf
	pop %eax
	bt $14, %eax			# JMP does not nest
	jc fail
	movzbl gdt + SEL_TSS_MAIN + 5, %eax
	cmp $0x89, %eax			# JMP left the old task available
	jne fail
	lcall $SEL_TSS_MAIN, $0

fail:
	PRINT32 msg_fail, msg_fail_len
	mov $__HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %ebx
	movl $SHUTDOWN_crash, pvh_shutdown_reason
	mov $pvh_shutdown_reason, %ecx
	vmcall
	ud2

# tss_desc(eax = base, edi = descriptor): an available 32-bit TSS, limit 0x67.
tss_desc:
	movw $0x67, (%edi)
	mov %eax, %ecx
	mov %cx, 2(%edi)
	shr $16, %ecx
	mov %cl, 4(%edi)
	movb $0x89, 5(%edi)
	movb $0, 6(%edi)
	mov %ch, 7(%edi)
	ret

lowcode:				# copied to LOW
	int $0x40
	ret
	.fill 13, 1, 0x90
h16:					# LOW + 0x10: the 16-bit gate's handler
	mov %esp, saved_sp
	incl count16
	iretw
lowcode_end:

	.section .rodata
msg_str:	.ascii "tasks: STR and SLDT zero-extend into 32-bit registers\n"
	.set msg_str_len, . - msg_str
msg_gate16:	.ascii "tasks: a 16-bit interrupt gate pushed IP, CS, FLAGS as words\n"
	.set msg_gate16_len, . - msg_gate16
msg_df:	.ascii "tasks: double fault through a task gate: new task, link, NT, TS, error code\n"
	.set msg_df_len, . - msg_df
msg_iret:	.ascii "tasks: IRET with NT returned to the old task\n"
	.set msg_iret_len, . - msg_iret
msg_jmpcall:	.ascii "tasks: far JMP and CALL to a TSS switch tasks (CALL nests)\n"
	.set msg_jmpcall_len, . - msg_jmpcall
msg_fail:	.ascii "FAILED at check "
fail_code:	.ascii "?\n"
	.set msg_fail_len, . - msg_fail

	.data
	.balign 8
gdt:	.quad 0
	.quad 0x00cf9a000000ffff	# 0x08: 32-bit code
	.quad 0x00cf92000000ffff	# 0x10: data
	.quad 0				# 0x18: main TSS (tss_desc)
	.quad 0				# 0x20: double fault TSS
gdt_end:
gdtr:	.word gdt_end - gdt - 1
	.long gdt
	.balign 8
idt:	.fill 8, 8, 0
	.long SEL_TSS_DF << 16, 0x8500	# 8: task gate
	.fill 0x40 - 9, 8, 0		# 13 (#GP): not present
	.long (SEL_CODE << 16) | (LOW + 0x10), 0x8600	# 0x40: 16-bit interrupt gate
	.fill 256 - 0x41, 8, 0
idt_end:
idtr:	.word idt_end - idt - 1
	.long idt
	.balign 16
main_tss:
	.fill 104, 1, 0
	.balign 16
df_tss:
	.long 0				# link
	.fill 6, 4, 0			# ESP0..SS2
	.long 0				# CR3
	.long df_task			# EIP
	.long 2				# EFLAGS
	.fill 4, 4, 0			# EAX ECX EDX EBX
	.long df_stack_top		# ESP
	.fill 3, 4, 0			# EBP ESI EDI
	.long SEL_DATA, SEL_CODE, SEL_DATA, SEL_DATA, SEL_DATA, SEL_DATA
	.long 0				# LDT
	.long 0				# T, I/O map base
count16:	.long 0
saved_sp:	.long 0
	.balign 16
df_stack:	.fill 1024, 1, 0
df_stack_top:
