# VCPUOP_send_nmi and SCHEDOP_watchdog: with interrupts off (IF=0), send
# ourselves an NMI: the handler at vector 2 runs at once. A non-NULL
# argument is -EINVAL, an absent vcpu -ENOENT. Then arm a 1 s watchdog,
# ping it once, and block with nothing to wake us: one virtual second
# later the watchdog shuts the domain down (exit status 2, "watchdog").
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set VCPUOP_send_nmi, 11
	.set SCHEDOP_watchdog, 6

	.code64
main:
	call hv_init
	# The NMI gate (vector 2), then IF = 0.
	lea nmi_handler(%rip), %rax
	lea idt + 2 * 16(%rip), %rdi
	mov %ax, (%rdi)
	movw $0x08, 2(%rdi)
	movw $0x8e00, 4(%rdi)
	shr $16, %rax
	mov %ax, 6(%rdi)
	shr $16, %rax
	mov %eax, 8(%rdi)
	lidt idtr(%rip)
	cli
	mov $VCPUOP_send_nmi, %edi
	xor %esi, %esi
	xor %edx, %edx
	HYPERCALL __HYPERVISOR_vcpu_op
	test %rax, %rax
	jnz fail
	cmpl $1, nmis(%rip)
	jne fail
	PRINT msg_nmi, msg_nmi_len
	mov $VCPUOP_send_nmi, %edi
	xor %esi, %esi
	lea idt(%rip), %rdx
	HYPERCALL __HYPERVISOR_vcpu_op
	mov %rax, %r12
	mov $VCPUOP_send_nmi, %edi
	mov $5, %esi
	xor %edx, %edx
	HYPERCALL __HYPERVISOR_vcpu_op
	mov %rax, %r13
	PRINT msg_errs, msg_errs_len
	neg %r12
	PRINT_DEC %r12
	PRINT msg_comma, 3
	neg %r13
	PRINT_DEC %r13
	NEWLINE
	cmpl $1, nmis(%rip)
	jne fail

	# A watchdog of 1 s, pinged once; then wait for nothing.
	movl $0, wd_id(%rip)
	call watchdog
	cmp $1, %rax
	jne fail
	movl $1, wd_id(%rip)
	call watchdog
	test %rax, %rax
	jnz fail
	PRINT msg_wd, msg_wd_len
1:	mov $SCHEDOP_block, %edi
	xor %esi, %esi
	HYPERCALL __HYPERVISOR_sched_op
	jmp 1b

watchdog:
	mov $SCHEDOP_watchdog, %edi
	lea wd(%rip), %rsi
	HYPERCALL __HYPERVISOR_sched_op
	ret

nmi_handler:
	incl nmis(%rip)
	iretq

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

	.section .rodata
msg_nmi: .ascii "NMI taken with IF=0\n"
	.set msg_nmi_len, . - msg_nmi
msg_errs: .ascii "send_nmi with an argument, to vcpu 5: -"
	.set msg_errs_len, . - msg_errs
msg_comma: .ascii ", -"
msg_wd:	.ascii "watchdog armed, blocking\n"
	.set msg_wd_len, . - msg_wd
failmsg: .ascii "nmi: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
nmis:	.long 0
wd:
wd_id:	.long 0
	.long 1				# timeout: 1 s
idtr:	.word 256 * 16 - 1
	.quad idt
	.balign 4096
idt:	.fill 4096, 1, 0
	.text
