# FIFO event channels end to end, as Linux's events_fifo.c uses them:
# map shared_info, register vcpu_info, set the callback vector, then
# EVTCHNOP_init_control (a control block) and EVTCHNOP_expand_array (one page
# of event words, all MASKED first as Linux does), bind VIRQ_TIMER and an
# IPI, give the IPI priority 3 (the timer keeps the default 7), unmask both.
#  1. With interrupts off: arm the timer 50 us ahead, send the IPI, wait
#     past the deadline; then STI: one upcall must take the IPI first
#     (higher priority), then the timer: "fifo: port 4 then port 3".
#  2. Mask the IPI, send it: pending but not linked, no upcall; then
#     EVTCHNOP_unmask delivers it: "fifo: masked port 4 delivered at unmask".
# Power off.
	.include "pvh.inc"
	.include "xen.inc"
	.include "idt.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set EVTCHNOP_bind_ipi, 7
	.set EVTCHNOP_init_control, 11
	.set EVTCHNOP_set_priority, 13
	.set CB_READY, 0
	.set CB_HEAD, 8
	.set W_PENDING, 31
	.set W_MASKED, 30
	.set W_LINKED, 29
	.set LINK_MASK, 0x1ffff

	.code64
main:
	call hv_init
	call idt_init

	MAP_SHARED_INFO shinfo

	# vcpu 0's vcpu_info at vcpu_page + 0x40; upcalls by UPCALL_VECTOR.
	VCPU_UPCALLS vcpu_page, 0x40

	# event_channel_op(EVTCHNOP_init_control, {gfn of cb_page, 0, vcpu 0})
	STORE_GFN cb_page, initctl
	mov $EVTCHNOP_init_control, %edi
	lea initctl(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	cmpb $17, initctl_link_bits(%rip)
	jne fail

	# Every event word MASKED, then expand_array {gfn of array_page}.
	lea array_page(%rip), %rdi
	mov $1 << W_MASKED, %eax
	mov $1024, %ecx
	rep stosl
	STORE_GFN array_page, expand
	mov $EVTCHNOP_expand_array, %edi
	lea expand(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail

	# bind_virq(VIRQ_TIMER, vcpu 0) and bind_ipi(vcpu 0).
	mov $EVTCHNOP_bind_virq, %edi
	lea bindvirq(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	mov $EVTCHNOP_bind_ipi, %edi
	lea bindipi(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	# set_priority(ipi port, 3)
	mov bindipi_port(%rip), %eax
	mov %eax, setprio(%rip)
	mov $EVTCHNOP_set_priority, %edi
	lea setprio(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	# Unmask both (nothing pending yet: clearing MASKED is enough).
	lea array_page(%rip), %rbx
	mov bindvirq_port(%rip), %eax
	btrl $W_MASKED, (%rbx,%rax,4)
	mov bindipi_port(%rip), %eax
	btrl $W_MASKED, (%rbx,%rax,4)

	# 1. Interrupts off: the timer 50 us ahead, the IPI now.
	cli
	lea vcpu_page + 0x40 + VI_TIME(%rip), %rdi
	call pvclock_read
	add $50000, %rax
	mov %rax, sshot(%rip)
	mov $VCPUOP_set_singleshot_timer, %edi
	xor %esi, %esi
	lea sshot(%rip), %rdx
	HYPERCALL __HYPERVISOR_vcpu_op
	test %rax, %rax
	jnz fail
	mov bindipi_port(%rip), %eax
	mov %eax, sendport(%rip)
	mov $EVTCHNOP_send, %edi
	lea sendport(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
1:	lea vcpu_page + 0x40 + VI_TIME(%rip), %rdi
	call pvclock_read
	sub sshot(%rip), %rax
	cmp $20000, %rax
	jl 1b
	# Both queued: READY has bits 3 and 7, no upcall taken yet.
	cmpl $(1 << 3) | (1 << 7), cb_page + CB_READY(%rip)
	jne fail
	# (The upcall comes at a block boundary, not necessarily right
	# after the STI shadow: wait for it.)
	sti
2:	cmpl $2, nlog(%rip)
	jb 2b
	cli
	cmpl $2, nlog(%rip)
	jne fail
	mov bindipi_port(%rip), %eax
	cmp log(%rip), %eax
	jne fail
	mov bindvirq_port(%rip), %eax
	cmp log + 4(%rip), %eax
	jne fail
	PRINT msg1, msg1_len
	mov log(%rip), %edi
	call print_dec
	PRINT msg2, msg2_len
	mov log + 4(%rip), %edi
	call print_dec
	NEWLINE

	# 2. A masked event waits for EVTCHNOP_unmask.
	movl $0, nlog(%rip)
	lea array_page(%rip), %rbx
	mov bindipi_port(%rip), %eax
	btsl $W_MASKED, (%rbx,%rax,4)
	mov $EVTCHNOP_send, %edi
	lea sendport(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	mov bindipi_port(%rip), %eax
	mov (%rbx,%rax,4), %ecx
	cmp $(1 << W_PENDING) | (1 << W_MASKED), %ecx
	jne fail
	cmpl $0, cb_page + CB_READY(%rip)
	jne fail
	cmpb $0, vcpu_page + 0x40 + VI_UPCALL_PENDING(%rip)
	jne fail
	# Linux's unmask of a pending event: the hypercall.
	btrl $W_MASKED, (%rbx,%rax,4)
	mov $EVTCHNOP_unmask, %edi
	lea sendport(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	sti
3:	cmpl $1, nlog(%rip)
	jb 3b
	cli
	cmpl $1, nlog(%rip)
	jne fail
	mov bindipi_port(%rip), %eax
	cmp log(%rip), %eax
	jne fail
	PRINT msg3, msg3_len
	mov log(%rip), %edi
	call print_dec
	PRINT msg4, msg4_len
	SHUTDOWN SHUTDOWN_poweroff

	FAIL_RAX

# The upcall handler (Linux's __evtchn_fifo_handle_events in miniature):
# clear evtchn_upcall_pending; ready = xchg(READY, 0); while ready: the
# highest priority queue q (lowest bit); its head (the local one, or HEAD[q]
# when the local one is 0); take it (clear LINKED and LINK, keep the next);
# an empty queue leaves ready; a pending and unmasked port is handled (its
# PENDING cleared, the port logged); ready |= xchg(READY, 0).
upcall:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	movb $0, vcpu_page + 0x40 + VI_UPCALL_PENDING(%rip)
	lea array_page(%rip), %rbx
	xor %esi, %esi
	xchg %esi, cb_page + CB_READY(%rip)
1:	test %esi, %esi
	jz 9f
	bsf %esi, %ecx				# q
	lea qhead(%rip), %rdi
	mov (%rdi,%rcx,4), %edx
	test %edx, %edx
	jnz 2f
	lea cb_page + CB_HEAD(%rip), %rax
	mov (%rax,%rcx,4), %edx			# port
2:	mov (%rbx,%rdx,4), %eax
	mov %eax, %edi
	and $~((1 << W_LINKED) | LINK_MASK), %edi
	mov %edi, (%rbx,%rdx,4)			# unlinked
	and $LINK_MASK, %eax			# the next
	lea qhead(%rip), %rdi
	mov %eax, (%rdi,%rcx,4)
	test %eax, %eax
	jnz 3f
	btr %ecx, %esi				# queue empty
3:	mov (%rbx,%rdx,4), %eax
	bt $W_PENDING, %eax
	jnc 4f
	bt $W_MASKED, %eax
	jc 4f
	lock btrl $W_PENDING, (%rbx,%rdx,4)
	mov nlog(%rip), %eax
	cmp $8, %eax
	jae 4f
	lea log(%rip), %rdi
	mov %edx, (%rdi,%rax,4)
	incl nlog(%rip)
4:	xor %eax, %eax
	xchg %eax, cb_page + CB_READY(%rip)
	or %eax, %esi
	jmp 1b
9:	pop %rdi
	pop %rsi
	pop %rdx
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
msg1:	.ascii "fifo: port "
	.set msg1_len, . - msg1
msg2:	.ascii " then port "
	.set msg2_len, . - msg2
msg3:	.ascii "fifo: masked port "
	.set msg3_len, . - msg3
msg4:	.ascii " delivered at unmask\n"
	.set msg4_len, . - msg4
failmsg: .ascii "fifo: FAILED at rax="
	.set failmsg_len, . - failmsg

	.data
	.balign 8
initctl: .quad 0			# control_gfn
	.long 0, 0			# offset, vcpu
initctl_link_bits:
	.quad 0
expand:	.quad 0
bindvirq:
	.long VIRQ_TIMER, 0
bindvirq_port:
	.long 0
bindipi: .long 0
bindipi_port:
	.long 0
setprio: .long 0, 3
sendport: .long 0
	.balign 8
sshot:	.quad 0
	.long VCPU_SSHOTTMR_future, 0
qhead:	.fill 16, 4, 0
log:	.fill 8, 4, 0
nlog:	.long 0
	.balign 4096
shinfo:	.fill 4096, 1, 0
vcpu_page: .fill 4096, 1, 0
cb_page: .fill 4096, 1, 0
array_page: .fill 4096, 1, 0
	.text
