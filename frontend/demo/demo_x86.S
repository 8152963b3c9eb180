# The built-in x86-64 demo guest (embedded by `make regen-demo`): a Xen PVH
# guest that boots in 32-bit protected mode, enters long mode, finds the
# hypervisor through CPUID, installs the hypercall page, prints a greeting
# with console_io and powers off with sched_op.
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	PRINT greeting, greeting_len
	SHUTDOWN SHUTDOWN_poweroff

	.section .rodata
greeting:
	.ascii "Hello from softvisor's built-in x86-64 guest!\n"
	.ascii "  This text came through VMCALL -> console_io.\n"
	.set greeting_len, . - greeting
