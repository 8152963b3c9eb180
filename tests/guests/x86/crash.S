# Asks for a crash shutdown: softvisor exits with status 2.
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	PRINT msg, msg_len
	SHUTDOWN SHUTDOWN_crash

	.section .rodata
msg:	.ascii "crashing on purpose\n"
	.set msg_len, . - msg
