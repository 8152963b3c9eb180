# A load from a guest-physical address the p2m does not back (above the
# 32 MiB of RAM the case gives, inside the 1 GiB identity map): an EPT
# violation (exit 48) with the read bit, a valid guest-linear address that
# was translated (qualification 0x181, SDM table 27-7) and no rights; hv
# reports it and crashes the domain (status 2).
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	PRINT msg, msg_len
	mov $0x30000000, %ebx
	mov (%rbx), %rax
	PRINT bad, bad_len
	SHUTDOWN SHUTDOWN_poweroff

	.section .rodata
msg:	.ascii "reading guest-physical 0x30000000: no RAM there\n"
	.set msg_len, . - msg
bad:	.ascii "unexpected: the read did not stop the guest\n"
	.set bad_len, . - bad
