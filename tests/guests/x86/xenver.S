# xen_version(XENVER_version): prints "xen version MAJOR.MINOR" and the raw
# value in hex (softvisor reports Xen 4.17).
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	mov $XENVER_version, %edi
	xor %esi, %esi
	HYPERCALL __HYPERVISOR_xen_version
	mov %eax, ver(%rip)
	PRINT pre, pre_len
	mov ver(%rip), %edi
	shr $16, %edi
	call print_dec
	PRINT dot, 1
	movzwl ver(%rip), %edi
	call print_dec
	PRINT nl, 1
	PRINT raw, raw_len
	mov ver(%rip), %edi
	call print_hex
	PRINT nl, 1
	SHUTDOWN SHUTDOWN_poweroff

	.section .rodata
pre:	.ascii "xen version "
	.set pre_len, . - pre
dot:	.ascii "."
nl:	.ascii "\n"
raw:	.ascii "raw "
	.set raw_len, . - raw
	.data
ver:	.long 0
