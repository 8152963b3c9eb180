# The pvclock: map shared_info, read vcpu_info[0]'s vcpu_time_info with the
# version protocol and the TSC (ns = system_time + scale(tsc - tsc_timestamp)),
# twice around a loop of known length, and print that time advanced
# monotonically, by how much, and the wall clock's seconds. Then write the
# TSC (IA32_TSC, back to 0 and ahead by 2^40): system time must go on from
# where it was, not with the TSC (hv refreshes vcpu_time_info on the write,
# as Xen does).
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

	xor %eax, %eax
	xor %edx, %edx
	call tsc_write_check
	xor %eax, %eax
	mov $0x100, %edx			# 2^40
	call tsc_write_check
	PRINT msg3, msg3_len
	SHUTDOWN SHUTDOWN_poweroff

# tsc_write_check(edx:eax = a TSC value): write it to IA32_TSC, read the
# pvclock: no earlier than t2 and less than a millisecond after it; t2 = it.
tsc_write_check:
	mov $0x10, %ecx				# IA32_TSC
	wrmsr
	lea shinfo + VI_TIME(%rip), %rdi
	call pvclock_read
	mov t2(%rip), %rdx
	cmp %rdx, %rax
	jb fail
	add $1000000, %rdx
	cmp %rdx, %rax
	jae fail
	mov %rax, t2(%rip)
	ret

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

	.section .rodata
msg:	.ascii "pvclock monotonic: advanced "
	.set msg_len, . - msg
msg2:	.ascii " ns; wallclock "
	.set msg2_len, . - msg2
msg3:	.ascii "pvclock: continuous across TSC writes\n"
	.set msg3_len, . - msg3
failmsg: .ascii "pvclock: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
t1:	.quad 0
t2:	.quad 0
	.balign 4096
shinfo:	.fill 4096, 1, 0
	.text
