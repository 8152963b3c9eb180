# The built-in POWER demo guest (embedded little-endian; runs in either byte
# order). Entered as Linux would be after kexec: 64-bit real mode, HV=0.
# It prints through the Xen ABI on POWER (sc 1, r3 = hypercall number,
# r4.. = arguments) and powers off.
	.set __HYPERVISOR_console_io, 18
	.set __HYPERVISOR_sched_op, 29
	.set CONSOLEIO_write, 0
	.set SCHEDOP_shutdown, 2

	.text
	.globl	_start
_start:
	li	3, __HYPERVISOR_console_io
	li	4, CONSOLEIO_write
	li	5, msg_end - msg
	lis	6, msg@h
	ori	6, 6, msg@l
	sc	1
	li	3, __HYPERVISOR_sched_op
	li	4, SCHEDOP_shutdown
	lis	5, reason@h
	ori	5, 5, reason@l
	sc	1
1:	b	1b

	.data
msg:	.ascii	"Hello from softvisor's built-in ppc64 guest!\n"
	.ascii	"  This text came through sc 1 -> console_io.\n"
msg_end:
	.balign	4
reason:	.long	0			# SHUTDOWN_poweroff
