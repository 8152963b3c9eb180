# Faults with no IDT: the #PF cannot be delivered (#DF, then shutdown), which
# is a triple-fault VM exit; softvisor reports a crash (status 2).
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	PRINT msg, msg_len
	mov 0x40000000, %rax		# beyond the 1 GiB identity map: #PF
	PRINT bad, bad_len
	SHUTDOWN SHUTDOWN_poweroff

	.section .rodata
msg:	.ascii "faulting with no IDT\n"
	.set msg_len, . - msg
bad:	.ascii "unexpected: the fault did not stop the guest\n"
	.set bad_len, . - bad
