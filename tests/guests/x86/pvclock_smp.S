# The pvclock seen from two vcpus (run with --vcpus=2): one system time for
# the domain. The boot vcpu maps shared_info, reads its pvclock
# (vcpu_info[0]) and wakes vcpu 1 with INIT-SIPI-SIPI (as smp.S does); vcpu
# 1, which has not run before, reads its own (vcpu_info[1]): that must not
# be earlier than what vcpu 0 read before waking it. Then the two take
# turns ROUNDS times through a shared counter: each reads its own pvclock,
# checks it is not earlier than the last time the other one read, publishes
# it, and works a different number of iterations before handing over, so
# the hand-overs fall at varied points of the scheduler's quanta.
	.include "pvh.inc"
	.include "apic.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set TRAMP, 0x8000		# the AP starts at 0800:0000
	.set SIPI_VECTOR, TRAMP >> 12
	.set ROUNDS, 64
	.set VI_SIZE, 64

	.code64
main:
	call hv_init
	call map_high
	lea shinfo(%rip), %rdi
	call map_shared_info
	test %rax, %rax
	jnz fail

	lea shinfo + VI_TIME(%rip), %rdi
	call pvclock_read
	mov %rax, last(%rip)
	mov %rax, before_up(%rip)

	lea tramp_start(%rip), %rsi
	mov $TRAMP, %edi
	mov $(tramp_end - tramp_start), %ecx
	cld
	rep movsb
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)
	movl $0x01000000, APIC_ICR_HI(%rbx)
	movl $0x00004500, APIC_ICR_LO(%rbx)
	movl $0x00008500, APIC_ICR_LO(%rbx)
	movl $0x00004600 | SIPI_VECTOR, APIC_ICR_LO(%rbx)
	movl $0x00004600 | SIPI_VECTOR, APIC_ICR_LO(%rbx)

	# vcpu 0 takes the even turns 2..2*ROUNDS, vcpu 1 the odd ones (turn
	# 1 is its first read); vcpu 0's last turn waits for vcpu 1's.
	mov $2, %r12d
1:	lea shinfo + VI_TIME(%rip), %rdi
	mov %r12d, %esi
	call take_turn
	add $2, %r12d
	cmp $2 * ROUNDS, %r12d
	jbe 1b

	cmpl $0, backwards(%rip)
	jne fail
	mov first_ap(%rip), %rax
	cmp before_up(%rip), %rax
	jb fail
	PRINT msg, msg_len
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT failmsg, failmsg_len
	mov backwards(%rip), %edi
	call print_dec
	NEWLINE
	SHUTDOWN SHUTDOWN_crash

# wait_turn(esi = turn): spin until the shared counter reaches it (the other
# vcpu runs in its own quanta), or fail.
wait_turn:
	mov $50000000, %ecx
1:	cmp %esi, turn(%rip)
	jae 2f
	pause
	dec %ecx
	jnz 1b
	jmp fail
2:	ret

# take_turn(rdi = this vcpu's vcpu_time_info, esi = turn): wait for it,
# read the pvclock, count it if earlier than the other vcpu's last read,
# publish it, work (turn * 997) mod 8192 iterations, hand over.
take_turn:
	push %rdi
	push %rsi
	call wait_turn
	mov 8(%rsp), %rdi
	call pvclock_read
	cmp last(%rip), %rax
	jae 1f
	lock incl backwards(%rip)
1:	mov %rax, last(%rip)
	mov (%rsp), %eax
	imul $997, %eax
	and $8191, %eax
	inc %eax
2:	dec %eax
	jnz 2b
	pop %rsi
	pop %rdi
	lock incl turn(%rip)
	ret

# ---- the AP: real mode (copied to TRAMP) -> 32-bit -> long mode ----
	AP_TRAMPOLINE
	# Its first read: vcpu 1 has not run before.
	lea shinfo + VI_SIZE + VI_TIME(%rip), %rdi
	call pvclock_read
	mov %rax, first_ap(%rip)
	cmp last(%rip), %rax
	jae 1f
	lock incl backwards(%rip)
1:	mov %rax, last(%rip)
	lock incl turn(%rip)
	mov $3, %r12d
2:	lea shinfo + VI_SIZE + VI_TIME(%rip), %rdi
	mov %r12d, %esi
	call take_turn
	add $2, %r12d
	cmp $2 * ROUNDS, %r12d
	jb 2b
3:	hlt
	jmp 3b

	.section .rodata
msg:	.ascii "pvclock-smp: vcpu 1's pvclock continues vcpu 0's, first read and 127 hand-overs\n"
	.set msg_len, . - msg
failmsg: .ascii "pvclock-smp: FAILED, reads earlier than the other vcpu's: "
	.set failmsg_len, . - failmsg

	.data
	.balign 8
last:	.quad 0
before_up: .quad 0
first_ap: .quad 0
turn:	.long 1
backwards: .long 0
	.balign 16
ap_stack: .fill 4096, 1, 0
ap_stack_top:
	.balign 4096
shinfo:	.fill 4096, 1, 0
	.text
