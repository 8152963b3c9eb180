# 64-bit call gates in IA-32e mode (SDM vol. 3 5.8.3.1, 5.8.5): from CPL 3
# in 64-bit mode, a far CALL through a 16-byte gate to a 64-bit CPL 0
# segment takes RSP0 from the 64-bit TSS, loads a null SS with RPL 0 and
# pushes SS, RSP, CS, RIP as quadwords; LRETQ returns to CPL 3 (SS:RSP
# popped, ES holding DPL 0 data made null, FS kept). A gate whose target
# is not a 64-bit code segment is #GP(code selector).
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set K_CODE, 0x08
	.set K_DATA, 0x10
	.set U_CODE, 0x1b
	.set U_DATA, 0x23
	.set C32, 0x28			# 32-bit code, DPL 0
	.set SEL_TSS, 0x30		# 16 bytes
	.set G_MAIN, 0x40		# 16 bytes: -> K_CODE:g_main
	.set G_BAD, 0x50		# -> C32
	.set G_END, 0x60		# -> K_CODE:finish
	.set G_FAIL, 0x70		# -> K_CODE:fail

	.macro CHECK n
	movb $'A' + \n, fail_code(%rip)
	.endm

	# GATE where, cs, target, attr: a 16-byte gate descriptor.
	.macro GATE where, cs, target, attr
	lea \target(%rip), %rax
	lea \where(%rip), %rdi
	mov $\cs, %ecx
	mov $\attr, %edx
	call make_gate
	.endm

	.code64
main:
	call hv_init
	# Pages user-accessible: U in the PML4, PDPT and PD entries.
	orq $4, pvh_pml4(%rip)
	orq $4, pvh_pdpt(%rip)
	xor %ecx, %ecx
	lea pvh_pd(%rip), %rdi
1:	orq $4, (%rdi, %rcx, 8)
	inc %ecx
	cmp $512, %ecx
	jb 1b
	mov %cr3, %rax
	mov %rax, %cr3
	lgdt gdtr(%rip)
	push $K_CODE
	lea 1f(%rip), %rax
	push %rax
	lretq
1:	mov $K_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	GATE (gdt+G_MAIN), K_CODE, g_main, 0xec00
	GATE (gdt+G_BAD), C32, g_main, 0xec00
	GATE (gdt+G_END), K_CODE, finish, 0xec00
	GATE (gdt+G_FAIL), K_CODE, fail, 0xec00
	GATE (idt+13*16), K_CODE, h_gp, 0x8e00	# #GP
	lidt idtr(%rip)
	lea tss(%rip), %rax		# the TSS descriptor's base
	mov %ax, gdt + SEL_TSS + 2(%rip)
	shr $16, %rax
	mov %al, gdt + SEL_TSS + 4(%rip)
	mov %ah, gdt + SEL_TSS + 7(%rip)
	shr $16, %rax
	mov %eax, gdt + SEL_TSS + 8(%rip)
	lea kstack_top(%rip), %rax
	mov %rax, tss + 4(%rip)		# RSP0
	mov $SEL_TSS, %ax
	ltr %ax
	mov $U_DATA, %eax
	mov %eax, %fs
	push $U_DATA
	lea ustack_top(%rip), %rax
	push %rax
	pushfq
	push $U_CODE
	lea user(%rip), %rax
	push %rax
	iretq

# ---- CPL 3, 64-bit mode
user:
	CHECK 0
	lcall *p_main(%rip)
ret_main:
	CHECK 3
	mov %cs, %eax
	cmp $U_CODE, %eax
	jne ufail
	mov %ss, %eax
	cmp $U_DATA, %eax
	jne ufail
	lea ustack_top(%rip), %rax
	cmp %rax, %rsp
	jne ufail
	CHECK 4
	mov %es, %eax			# DPL 0 data: made null
	test %eax, %eax
	jne ufail
	mov %fs, %eax
	cmp $U_DATA, %eax
	jne ufail
	CHECK 5				# a gate to 32-bit code: #GP(C32)
	lea 1f(%rip), %rax
	mov %rax, resume(%rip)
	movq $0xff, got_err(%rip)
	lcall *p_bad(%rip)
	jmp ufail
1:	cmpq $C32, got_err(%rip)
	jne ufail
	lcall *p_end(%rip)
ufail:	lcall *p_fail(%rip)

# ---- CPL 0
g_main:
	CHECK 1
	mov %cs, %eax
	cmp $K_CODE, %eax
	jne fail
	mov %ss, %eax			# null, RPL 0
	test %eax, %eax
	jne fail
	lea kstack_top - 32(%rip), %rax
	cmp %rax, %rsp
	jne fail
	CHECK 2
	lea ret_main(%rip), %rax
	cmp %rax, 0(%rsp)
	jne fail
	cmpq $U_CODE, 8(%rsp)
	jne fail
	lea ustack_top(%rip), %rax
	cmp %rax, 16(%rsp)
	jne fail
	cmpq $U_DATA, 24(%rsp)
	jne fail
	mov $K_DATA, %eax
	mov %eax, %es
	lretq

h_gp:	popq got_err(%rip)
	mov resume(%rip), %rax
	mov %rax, (%rsp)
	iretq

finish:
	PRINT msg_gate, msg_gate_len
	PRINT msg_ret, msg_ret_len
	PRINT msg_bad, msg_bad_len
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT msg_fail, msg_fail_len
	SHUTDOWN SHUTDOWN_crash

# make_gate(rax = offset, ecx = selector, edx = attribute word, rdi = slot)
make_gate:
	mov %ax, (%rdi)
	mov %cx, 2(%rdi)
	mov %dx, 4(%rdi)
	shr $16, %rax
	mov %ax, 6(%rdi)
	shr $16, %rax
	mov %eax, 8(%rdi)
	movl $0, 12(%rdi)
	ret

	.section .rodata
msg_gate:	.ascii "callgate64: CALL through a 64-bit gate to CPL 0: RSP0, null SS, SS RSP CS RIP as quadwords\n"
	.set msg_gate_len, . - msg_gate
msg_ret:	.ascii "callgate64: LRETQ to CPL 3: SS:RSP popped, ES (DPL 0) made null, FS kept\n"
	.set msg_ret_len, . - msg_ret
msg_bad:	.ascii "callgate64: a gate to a 32-bit code segment is #GP(code)\n"
	.set msg_bad_len, . - msg_bad

	.data
msg_fail:	.ascii "FAILED at check "
fail_code:	.ascii "?\n"
	.set msg_fail_len, . - msg_fail
	.balign 8
gdt:	.quad 0
	.quad 0x00af9a000000ffff	# 0x08: 64-bit code, DPL 0
	.quad 0x00cf92000000ffff	# 0x10: data, DPL 0
	.quad 0x00affa000000ffff	# 0x18: 64-bit code, DPL 3
	.quad 0x00cff2000000ffff	# 0x20: data, DPL 3
	.quad 0x00cf9a000000ffff	# 0x28: 32-bit code, DPL 0
	.quad 0x0000890000000067, 0	# 0x30: 64-bit TSS
	.quad 0, 0, 0, 0, 0, 0, 0, 0	# 0x40..0x70: gates
gdt_end:
gdtr:	.word gdt_end - gdt - 1
	.quad gdt
	.balign 16
idt:	.fill 256 * 16, 1, 0
idt_end:
idtr:	.word idt_end - idt - 1
	.quad idt
p_main:	.long 0
	.word G_MAIN | 3
p_bad:	.long 0
	.word G_BAD | 3
p_end:	.long 0
	.word G_END | 3
p_fail:	.long 0
	.word G_FAIL | 3
	.balign 16
tss:	.fill 104, 1, 0
resume:	.quad 0
got_err:	.quad 0
	.balign 16
	.fill 1024, 1, 0
kstack_top:
	.fill 1024, 1, 0
ustack_top:
