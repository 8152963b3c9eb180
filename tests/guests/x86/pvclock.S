# The pvclock: map shared_info, read vcpu_info[0]'s vcpu_time_info with the
# version protocol and the TSC (ns = system_time + scale(tsc - tsc_timestamp)),
# twice around a loop of known length, and print that time advanced
# monotonically, by how much, and the wall clock's seconds.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	MAP_SHARED_INFO shinfo

	lea shinfo + VI_TIME(%rip), %rdi
	call pvclock_read
	mov %rax, t1(%rip)
	mov $10000, %ecx
1:	dec %ecx
	jnz 1b
	lea shinfo + VI_TIME(%rip), %rdi
	call pvclock_read
	mov %rax, t2(%rip)
	cmp t1(%rip), %rax
	jbe fail
	PRINT msg, msg_len
	mov t2(%rip), %rdi
	sub t1(%rip), %rdi
	call print_dec
	PRINT msg2, msg2_len
	lea shinfo(%rip), %rbx
	mov SI_WC_SEC(%rbx), %edi
	call print_dec
	NEWLINE
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

	.section .rodata
msg:	.ascii "pvclock monotonic: advanced "
	.set msg_len, . - msg
msg2:	.ascii " ns; wallclock "
	.set msg2_len, . - msg2
failmsg: .ascii "pvclock: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
t1:	.quad 0
t2:	.quad 0
	.balign 4096
shinfo:	.fill 4096, 1, 0
	.text
