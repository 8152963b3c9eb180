# The local APIC and the ACPI tables end to end, as a PVH guest finds them:
# walk RSDP -> XSDT -> MADT (count the local APICs) and FADT (hardware-
# reduced, the sleep control register) -> DSDT (\_S5's SLP_TYP); then the
# xAPIC page: a one-shot timer interrupt and a self IPI; then x2APIC mode:
# a periodic timer (3 ticks), the TSC-deadline timer, and a self IPI held
# off by CR8 until it is lowered; every handler ends with an EOI. Finally
# power off through the ACPI sleep control register (no hypercall).
	.include "pvh.inc"
	.include "xen.inc"
	.include "apic.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set TIMER_VECTOR, 0x40
	.set IPI_VECTOR, 0x41

	.code64
main:
	call hv_init
	call map_high
	call idt_init

	# ---- ACPI: hvm_start_info.rsdp_paddr (offset 32).
	mov pvh_start_info(%rip), %ebx
	mov 32(%rbx), %rsi
	test %rsi, %rsi
	jz fail
	movabs $0x2052545020445352, %rax	# "RSD PTR "
	cmp %rax, (%rsi)
	jne fail
	mov 24(%rsi), %rsi			# XSDT
	cmpl $0x54445358, (%rsi)		# "XSDT"
	jne fail
	mov 4(%rsi), %ecx
	sub $36, %ecx
	shr $3, %ecx				# entries
	lea 36(%rsi), %rdx
1:	test %ecx, %ecx
	jz 2f
	mov (%rdx), %rdi
	cmpl $0x43495041, (%rdi)		# "APIC"
	jne 3f
	mov %rdi, madt(%rip)
3:	cmpl $0x50434146, (%rdi)		# "FACP"
	jne 4f
	mov %rdi, fadt(%rip)
4:	add $8, %rdx
	dec %ecx
	jmp 1b
2:	mov madt(%rip), %rsi
	test %rsi, %rsi
	jz fail
	cmpl $APIC, 36(%rsi)			# local APIC address
	jne fail
	# Count the Processor Local APIC structures (type 0) that are enabled.
	mov 4(%rsi), %ecx
	lea (%rsi, %rcx), %r8			# end
	lea 44(%rsi), %rdx
	xor %r9d, %r9d
5:	cmp %r8, %rdx
	jae 6f
	cmpb $0, (%rdx)
	jne 7f
	testb $1, 4(%rdx)
	jz 7f
	inc %r9d
7:	movzbl 1(%rdx), %eax
	test %eax, %eax
	jz fail
	add %rax, %rdx
	jmp 5b
6:	PRINT msg_madt, msg_madt_len
	PRINT_DEC %r9
	NEWLINE

	mov fadt(%rip), %rsi
	test %rsi, %rsi
	jz fail
	testl $(1 << 20), 112(%rsi)		# HW_REDUCED_ACPI
	jz fail
	cmpb $1, 244(%rsi)			# SLEEP_CONTROL_REG in system I/O
	jne fail
	mov 248(%rsi), %eax
	mov %ax, slp_port(%rip)
	mov 140(%rsi), %rsi			# X_DSDT
	cmpl $0x54445344, (%rsi)		# "DSDT"
	jne fail
	# Find NameSeg "_S5_", then PackageOp, PkgLength, NumElements, and
	# the first element: BytePrefix value.
	mov 4(%rsi), %ecx
	lea (%rsi, %rcx), %r8
	lea 36(%rsi), %rdx
8:	cmp %r8, %rdx
	jae fail
	cmpl $0x5f35535f, (%rdx)		# "_S5_"
	je 9f
	inc %rdx
	jmp 8b
9:	cmpb $0x12, 4(%rdx)
	jne fail
	cmpb $0x0a, 7(%rdx)
	jne fail
	movzbl 8(%rdx), %eax
	mov %al, slp_typ(%rip)
	PRINT msg_fadt, msg_fadt_len
	movzbl slp_typ(%rip), %edi
	call print_dec
	PRINT msg_port, msg_port_len
	movzwl slp_port(%rip), %edi
	call print_hex
	NEWLINE

	# ---- xAPIC: software-enable, one-shot timer.
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)
	movl $0xb, APIC_TIMER_DCR(%rbx)		# divide by 1
	movl $TIMER_VECTOR, APIC_LVT_TIMER(%rbx)
	movl $100000, APIC_TIMER_ICR(%rbx)
10:	cli
	cmpl $0, ticks(%rip)
	jne 11f
	sti
	hlt
	jmp 10b
11:	PRINT msg_oneshot, msg_oneshot_len

	# Self IPI through the ICR (shorthand self): it arrives within a few
	# instructions (the MMIO store ends the translation block's chain).
	movl $(1 << 18) | IPI_VECTOR, APIC_ICR_LO(%rbx)
	sti
	mov $100, %ecx
16:	cmpl $1, ipis(%rip)
	je 17f
	dec %ecx
	jnz 16b
17:	cli
	cmpl $1, ipis(%rip)
	jne fail
	PRINT msg_ipi, msg_ipi_len

	# ---- x2APIC mode.
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	or $0x400, %eax				# EXTD
	wrmsr
	movb $1, x2mode(%rip)
	mov $0x832, %ecx			# LVT timer: periodic
	mov $(1 << 17) | TIMER_VECTOR, %eax
	xor %edx, %edx
	wrmsr
	mov $0x838, %ecx			# initial count
	mov $20000, %eax
	wrmsr
12:	cli
	cmpl $4, ticks(%rip)
	jae 13f
	sti
	hlt
	jmp 12b
13:	mov $0x838, %ecx			# stop it
	xor %eax, %eax
	wrmsr
	PRINT msg_periodic, msg_periodic_len

	# TSC-deadline timer, 50 us ahead.
	mov $0x832, %ecx
	mov $(2 << 17) | TIMER_VECTOR, %eax
	xor %edx, %edx
	wrmsr
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	add $50000, %rax
	mov %rax, %rdx
	shr $32, %rdx
	mov $MSR_TSC_DEADLINE, %ecx
	wrmsr
14:	cli
	cmpl $5, ticks(%rip)
	jae 15f
	sti
	hlt
	jmp 14b
15:	mov $MSR_TSC_DEADLINE, %ecx
	rdmsr
	or %edx, %eax
	jnz fail				# cleared when it fired
	PRINT msg_deadline, msg_deadline_len

	# CR8 = 15 holds off a class-4 IPI; lowering it lets it in.
	mov $15, %eax
	mov %rax, %cr8
	mov $0x83f, %ecx			# SELF IPI
	mov $IPI_VECTOR, %eax
	xor %edx, %edx
	wrmsr
	sti
	nop
	nop
	cli
	cmpl $1, ipis(%rip)
	jne fail
	mov %cr8, %rax
	cmp $15, %rax
	jne fail
	sti
	xor %eax, %eax
	mov %rax, %cr8
	nop
	nop
	cli
	cmpl $2, ipis(%rip)
	jne fail
	PRINT msg_cr8, msg_cr8_len

	# ---- power off: SLP_TYP << 2 | SLP_EN to the sleep control register.
	PRINT msg_off, msg_off_len
	movzbl slp_typ(%rip), %eax
	shl $2, %eax
	or $0x20, %eax
	movzwl slp_port(%rip), %edx
	out %al, %dx
	PRINT msg_alive, msg_alive_len
fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

# Interrupt handlers: count, then EOI in the APIC's current mode.
timer_isr:
	incl ticks(%rip)
	jmp eoi
ipi_isr:
	incl ipis(%rip)
eoi:	push %rax
	push %rcx
	push %rdx
	cmpb $0, x2mode(%rip)
	jne 1f
	call xapic_eoi
	jmp 2f
1:	mov $0x80b, %ecx
	xor %eax, %eax
	xor %edx, %edx
	wrmsr
2:	pop %rdx
	pop %rcx
	pop %rax
	iretq

idt_init:
	SET_GATE TIMER_VECTOR, timer_isr
	SET_GATE IPI_VECTOR, ipi_isr
	lidt idt_desc(%rip)
	ret

	.section .rodata
msg_madt: .ascii "madt: local APICs "
	.set msg_madt_len, . - msg_madt
msg_fadt: .ascii "fadt: hardware-reduced, S5 sleep type "
	.set msg_fadt_len, . - msg_fadt
msg_port: .ascii " at port "
	.set msg_port_len, . - msg_port
msg_oneshot: .ascii "xapic one-shot timer interrupt\n"
	.set msg_oneshot_len, . - msg_oneshot
msg_ipi: .ascii "xapic self IPI\n"
	.set msg_ipi_len, . - msg_ipi
msg_periodic: .ascii "x2apic periodic timer: 3 more ticks\n"
	.set msg_periodic_len, . - msg_periodic
msg_deadline: .ascii "x2apic tsc-deadline timer interrupt\n"
	.set msg_deadline_len, . - msg_deadline
msg_cr8: .ascii "cr8 held the IPI off until lowered\n"
	.set msg_cr8_len, . - msg_cr8
msg_off: .ascii "powering off through ACPI\n"
	.set msg_off_len, . - msg_off
msg_alive: .ascii "still running after the sleep register write\n"
	.set msg_alive_len, . - msg_alive
failmsg: .ascii "lapic: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
madt:	.quad 0
fadt:	.quad 0
ticks:	.long 0
ipis:	.long 0
slp_port: .word 0
slp_typ: .byte 0
x2mode:	.byte 0
	.text
