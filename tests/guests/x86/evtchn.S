# Event channels end to end: map shared_info, register vcpu_info, set the
# callback vector, bind VIRQ_TIMER, arm a singleshot timer 1 ms ahead, HLT,
# take the upcall interrupt, check the pending bit is the bound port, print
# "timer event on port N"; then a timer that expires while the vcpu runs
# must interrupt it at once; power off.
	.include "pvh.inc"
	.include "xen.inc"
	.include "idt.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	call idt_init

	MAP_SHARED_INFO shinfo

	# vcpu 0's vcpu_info at vcpu_page + 0x40; upcalls by UPCALL_VECTOR.
	VCPU_UPCALLS vcpu_page, 0x40

	# event_channel_op(EVTCHNOP_bind_virq, {VIRQ_TIMER, vcpu 0, port out})
	mov $EVTCHNOP_bind_virq, %edi
	lea bindvirq(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail

	# The singleshot timer 1 ms after the pvclock's system time.
	lea vcpu_page + 0x40 + VI_TIME(%rip), %rbx
	mov VT_SYSTEM_TIME(%rbx), %rax
	add $1000000, %rax
	mov %rax, sshot(%rip)
	mov $VCPUOP_set_singleshot_timer, %edi
	xor %esi, %esi
	lea sshot(%rip), %rdx
	HYPERCALL __HYPERVISOR_vcpu_op
	test %rax, %rax
	jnz fail

	# Wait: cli; check; sti; hlt (the STI shadow covers the HLT).
1:	cli
	cmpl $0, got_port(%rip)
	jne 2f
	sti
	hlt
	jmp 1b
2:	mov got_port(%rip), %eax
	cmp bindvirq_port(%rip), %eax
	jne fail
	PRINT msg, msg_len
	mov got_port(%rip), %edi
	call print_dec
	NEWLINE

	# A timer that expires while the vcpu runs (IF = 1, no HLT): the run
	# driver must stop it at the deadline, so the upcall comes at once.
	movl $0, got_port(%rip)
	lea vcpu_page + 0x40 + VI_TIME(%rip), %rdi
	call pvclock_read
	add $100000, %rax
	mov %rax, sshot(%rip)
	mov $VCPUOP_set_singleshot_timer, %edi
	xor %esi, %esi
	lea sshot(%rip), %rdx
	HYPERCALL __HYPERVISOR_vcpu_op
	test %rax, %rax
	jnz fail
	sti
3:	cmpl $0, got_port(%rip)
	je 3b
	cli
	mov irq_time(%rip), %rdi
	sub sshot(%rip), %rdi
	cmp $200, %rdi			# within a translation block or two
	ja fail
	PRINT msg2, msg2_len
	SHUTDOWN SHUTDOWN_poweroff

	FAIL_RAX

# The upcall handler (Linux's xen_evtchn_do_upcall in miniature): clear
# evtchn_upcall_pending, take the selector, then each pending and unmasked
# port of word 0; record the first and clear its pending bit.
upcall:
	push %rax
	push %rbx
	push %rcx
	lea vcpu_page + 0x40(%rip), %rbx
	movb $0, VI_UPCALL_PENDING(%rbx)
	xor %eax, %eax
	xchg %rax, VI_PENDING_SEL(%rbx)
	test $1, %al
	jz 9f
	lea shinfo(%rip), %rbx
	mov SI_EVTCHN_PENDING(%rbx), %rax
	mov SI_EVTCHN_MASK(%rbx), %rcx
	not %rcx
	and %rcx, %rax
	jz 9f
	bsf %rax, %rcx
	lock btr %rcx, SI_EVTCHN_PENDING(%rbx)
	mov %ecx, got_port(%rip)
	push %rdx
	push %rdi
	push %r8
	lea vcpu_page + 0x40 + VI_TIME(%rip), %rdi
	call pvclock_read
	mov %rax, irq_time(%rip)
	pop %r8
	pop %rdi
	pop %rdx
9:	incl upcalls(%rip)
	pop %rcx
	pop %rbx
	pop %rax
	iretq

# The upcall's gate, then lidt.
idt_init:
	SET_GATE UPCALL_VECTOR, upcall
	lidt idt_desc(%rip)
	ret

	.section .rodata
msg:	.ascii "timer event on port "
	.set msg_len, . - msg
msg2:	.ascii "running vcpu interrupted at its timer deadline\n"
	.set msg2_len, . - msg2
failmsg: .ascii "evtchn: hypercall failed: "
	.set failmsg_len, . - failmsg

	.data
	.balign 8
bindvirq:
	.long VIRQ_TIMER, 0
bindvirq_port:
	.long 0
sshot:	.quad 0
	.long VCPU_SSHOTTMR_future, 0
got_port: .long 0
	.balign 8
irq_time: .quad 0
upcalls: .long 0
	.balign 4096
shinfo:	.fill 4096, 1, 0
vcpu_page: .fill 4096, 1, 0
	.text
