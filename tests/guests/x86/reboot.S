# Asks for a reboot: softvisor exits with status 3.
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	PRINT msg, msg_len
	SHUTDOWN SHUTDOWN_reboot

	.section .rodata
msg:	.ascii "rebooting on purpose\n"
	.set msg_len, . - msg
