# SMP start and IPIs between two vcpus (run with --vcpus=2): the boot vcpu
# copies a real-mode trampoline below 1 MiB and wakes vcpu 1 with INIT,
# INIT de-assert, SIPI, SIPI (SDM vol. 3 8.4.4.1), as Linux's
# wakeup_secondary_cpu_via_init does; the AP goes from real mode through
# 32-bit protected mode to long mode, enables its xAPIC (logical ID 0x02,
# flat model) and halts with interrupts on. Then the boot vcpu sends it a
# fixed IPI by physical destination, one by logical destination, an
# all-excluding-self IPI (which the AP answers with an IPI back), and an
# NMI; each handler counts what it took, on which APIC.
	.include "pvh.inc"
	.include "apic.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set TRAMP, 0x8000		# the AP starts at 0800:0000
	.set SIPI_VECTOR, TRAMP >> 12
	.set V_FIXED, 0x50
	.set V_LOGICAL, 0x51
	.set V_OTHERS, 0x52
	.set V_BACK, 0x53

	.code64
main:
	call hv_init
	call map_high
	SET_GATE V_FIXED, fixed_isr
	SET_GATE V_LOGICAL, logical_isr
	SET_GATE V_OTHERS, others_isr
	SET_GATE V_BACK, back_isr
	SET_GATE 2, nmi_isr
	lidt idt_desc(%rip)

	# The boot vcpu's APIC: enabled, logical ID 0x01 (flat model).
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)
	movl $0x01000000, APIC_LDR(%rbx)

	lea tramp_start(%rip), %rsi
	mov $TRAMP, %edi
	mov $(tramp_end - tramp_start), %ecx
	cld
	rep movsb

	# INIT (level assert), INIT de-assert, SIPI, SIPI to APIC ID 1.
	movl $0x01000000, APIC_ICR_HI(%rbx)
	movl $0x00004500, APIC_ICR_LO(%rbx)
	movl $0x00008500, APIC_ICR_LO(%rbx)
	movl $0x00004600 | SIPI_VECTOR, APIC_ICR_LO(%rbx)
	movl $0x00004600 | SIPI_VECTOR, APIC_ICR_LO(%rbx)
	lea ap_alive(%rip), %rdi
	mov $1, %esi
	call wait_for
	PRINT msg_up, msg_up_len

	# Fixed, physical destination 1.
	movl $0x01000000, APIC_ICR_HI(%rbx)
	movl $V_FIXED, APIC_ICR_LO(%rbx)
	lea ap_fixed(%rip), %rdi
	mov $1, %esi
	call wait_for
	PRINT msg_fixed, msg_fixed_len

	# Fixed, logical destination 0x02 (flat model: the AP's bit).
	movl $0x02000000, APIC_ICR_HI(%rbx)
	movl $(1 << 11) | V_LOGICAL, APIC_ICR_LO(%rbx)
	lea ap_logical(%rip), %rdi
	mov $1, %esi
	call wait_for
	PRINT msg_logical, msg_logical_len

	# All excluding self: only the AP; it answers with V_BACK to APIC 0.
	sti
	movl $(3 << 18) | V_OTHERS, APIC_ICR_LO(%rbx)
	lea bsp_back(%rip), %rdi
	mov $1, %esi
	call wait_for
	cli
	cmpl $1, ap_others(%rip)
	jne fail
	cmpl $0, bsp_others(%rip)
	jne fail
	PRINT msg_others, msg_others_len

	# NMI to the AP.
	movl $0x01000000, APIC_ICR_HI(%rbx)
	movl $0x00000400, APIC_ICR_LO(%rbx)
	lea ap_nmis(%rip), %rdi
	mov $1, %esi
	call wait_for
	PRINT msg_nmi, msg_nmi_len
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

# wait_for(rdi = a 32-bit counter, esi = value): spin until the counter
# reaches the value (the other vcpu runs in its own quanta), or fail.
wait_for:
	mov $20000000, %ecx
1:	cmp %esi, (%rdi)
	jae 2f
	pause
	dec %ecx
	jnz 1b
	jmp fail
2:	ret

# Handlers (both vcpus share the IDT). The APIC ID tells who took it.
fixed_isr:
	lock incl ap_fixed(%rip)
	jmp eoi
logical_isr:
	lock incl ap_logical(%rip)
	jmp eoi
others_isr:
	push %rax
	mov $APIC + APIC_ID, %eax
	mov (%rax), %eax
	shr $24, %eax
	jnz 1f
	lock incl bsp_others(%rip)
	pop %rax
	jmp eoi
1:	lock incl ap_others(%rip)
	mov $APIC + APIC_ICR_HI, %eax
	movl $0, (%rax)				# to APIC ID 0
	mov $APIC + APIC_ICR_LO, %eax
	movl $V_BACK, (%rax)
	pop %rax
	jmp eoi
back_isr:
	lock incl bsp_back(%rip)
eoi:	push %rax
	call xapic_eoi
	pop %rax
	iretq
nmi_isr:
	lock incl ap_nmis(%rip)
	iretq

# ---- the AP: real mode (copied to TRAMP) -> 32-bit -> long mode ----
	AP_TRAMPOLINE
	lidt idt_desc(%rip)
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)
	movl $0x02000000, APIC_LDR(%rbx)
	lock incl ap_alive(%rip)
	sti
1:	hlt
	jmp 1b

	.section .rodata
msg_up:	.ascii "smp: vcpu 1 up through INIT-SIPI-SIPI, real mode to long mode\n"
	.set msg_up_len, . - msg_up
msg_fixed: .ascii "smp: fixed IPI, physical destination: taken by vcpu 1\n"
	.set msg_fixed_len, . - msg_fixed
msg_logical: .ascii "smp: fixed IPI, logical destination: taken by vcpu 1\n"
	.set msg_logical_len, . - msg_logical
msg_others: .ascii "smp: all-excluding-self reached vcpu 1 only, which answered\n"
	.set msg_others_len, . - msg_others
msg_nmi: .ascii "smp: NMI taken by vcpu 1\n"
	.set msg_nmi_len, . - msg_nmi
failmsg: .ascii "smp: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 4
ap_alive: .long 0
ap_fixed: .long 0
ap_logical: .long 0
ap_others: .long 0
bsp_others: .long 0
bsp_back: .long 0
ap_nmis: .long 0
	.balign 16
ap_stack: .fill 4096, 1, 0
ap_stack_top:
	.text
