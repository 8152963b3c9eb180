# SCHEDOP_remote_shutdown from a device model (run as domain 2 with
# target=1; domain 1 spins): shutting down a domain that does not exist, or
# DOMID_SELF, is -ESRCH; itself -EPERM; domain 1 (its target) powers off.
# Without target=1 that last one is -EPERM too and domain 1 spins on.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set SCHEDOP_remote_shutdown, 4

	.code64
main:
	call hv_init
	movw $9, rs_dom(%rip)
	call remote
	movw $DOMID_SELF, rs_dom(%rip)
	call remote
	movw $2, rs_dom(%rip)
	call remote
	movw $1, rs_dom(%rip)
	call remote
	SHUTDOWN SHUTDOWN_poweroff

# remote: remote_shutdown {rs_dom, poweroff}; print "domain N: result".
remote:
	mov $SCHEDOP_remote_shutdown, %edi
	lea rs(%rip), %rsi
	HYPERCALL __HYPERVISOR_sched_op
	push %rax
	PRINT msg, msg_len
	movzwl rs_dom(%rip), %edi
	call print_dec
	PRINT msg_colon, 2
	pop %rdi
	test %rdi, %rdi
	jns 1f
	push %rdi
	PRINT msg_minus, 1
	pop %rdi
	neg %rdi
1:	call print_dec
	NEWLINE
	ret

	.section .rodata
msg:	.ascii "remote_shutdown of domain "
	.set msg_len, . - msg
msg_colon: .ascii ": "
msg_minus: .ascii "-"

	.data
	.balign 8
rs:
rs_dom:	.word 0, 0
	.long SHUTDOWN_poweroff
	.text
