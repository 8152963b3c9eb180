# A hypercall from 32-bit protected mode, before paging, with the 32-bit ABI
# (vmcall; eax = number, ebx ecx edx = arguments), then the same from long
# mode through the hypercall page.
	.include "pvh.inc"
	PVH_ENTRY
	.code32
	mov $__HYPERVISOR_console_io, %eax
	mov $CONSOLEIO_write, %ebx
	mov $msg32_len, %ecx
	mov $msg32, %edx
	vmcall
	test %eax, %eax
	jnz bad32
	PVH_LONG_MODE main
bad32:
	ud2

	.code64
main:
	call hv_init
	PRINT msg64, msg64_len
	SHUTDOWN SHUTDOWN_poweroff

	.section .rodata
msg32:	.ascii "hello from 32-bit protected mode\n"
	.set msg32_len, . - msg32
msg64:	.ascii "hello from long mode\n"
	.set msg64_len, . - msg64
