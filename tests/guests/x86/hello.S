# The smallest x86-64 PVH guest: boot, print through console_io, power off.
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	PRINT msg, msg_len
	SHUTDOWN SHUTDOWN_poweroff

	.section .rodata
msg:	.ascii "hello from x86-64 PVH guest\n"
	.set msg_len, . - msg
