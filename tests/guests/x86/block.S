# Blocking and virtual time: SCHEDOP_poll that times out (time jumps 5 ms
# while the only vcpu is blocked), SCHEDOP_poll woken by VIRQ_TIMER, then
# SCHEDOP_block with nothing that could ever wake the vcpu: softvisor reports
# the deadlock (exit status 2) instead of waiting forever.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	MAP_SHARED_INFO shinfo
	mov $EVTCHNOP_bind_virq, %edi
	lea bindvirq(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail

	# 1. poll {timer port} with a timeout 5 ms ahead and no timer armed.
	call now
	mov %rax, %r12
	add $5000000, %rax
	mov %rax, poll_timeout(%rip)
	mov $SCHEDOP_poll, %edi
	lea poll(%rip), %rsi
	HYPERCALL __HYPERVISOR_sched_op
	test %rax, %rax
	jnz fail
	call now
	sub %r12, %rax
	cmp $5000000, %rax
	jb fail
	PRINT msg1, msg1_len

	# 2. poll {timer port}, no timeout, the timer 1 ms ahead.
	call now
	add $1000000, %rax
	mov %rax, sshot(%rip)
	mov $VCPUOP_set_singleshot_timer, %edi
	xor %esi, %esi
	lea sshot(%rip), %rdx
	HYPERCALL __HYPERVISOR_vcpu_op
	test %rax, %rax
	jnz fail
	movq $0, poll_timeout(%rip)
	mov $SCHEDOP_poll, %edi
	lea poll(%rip), %rsi
	HYPERCALL __HYPERVISOR_sched_op
	test %rax, %rax
	jnz fail
	mov port(%rip), %ecx
	lea shinfo(%rip), %rbx
	bt %rcx, SI_EVTCHN_PENDING(%rbx)
	jnc fail
	PRINT msg2, msg2_len

	# 3. Acknowledge everything, mask every port and block: nothing can
	# wake us.
	movq $-1, SI_EVTCHN_MASK(%rbx)
	movq $0, SI_EVTCHN_PENDING(%rbx)
	movq $0, VI_PENDING_SEL(%rbx)
	movb $0, VI_UPCALL_PENDING(%rbx)
	PRINT msg3, msg3_len
	mov $SCHEDOP_block, %edi
	xor %esi, %esi
	HYPERCALL __HYPERVISOR_sched_op
	PRINT msg4, msg4_len
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

now:
	lea shinfo + VI_TIME(%rip), %rdi
	jmp pvclock_read

	.section .rodata
msg1:	.ascii "poll timed out after 5 ms\n"
	.set msg1_len, . - msg1
msg2:	.ascii "poll woken by VIRQ_TIMER\n"
	.set msg2_len, . - msg2
msg3:	.ascii "blocking with every port masked\n"
	.set msg3_len, . - msg3
msg4:	.ascii "woke up: unexpected\n"
	.set msg4_len, . - msg4
failmsg: .ascii "block: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
bindvirq:
	.long VIRQ_TIMER, 0
port:	.long 0
sshot:	.quad 0
	.long 0, 0
poll:	.quad port
	.long 1, 0
poll_timeout:
	.quad 0
	.balign 4096
shinfo:	.fill 4096, 1, 0
	.text
