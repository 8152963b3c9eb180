# vcpu_op and the refused hypercalls on POWER, through `sc 1`: vcpu 0 is up
# (VCPUOP_is_up = 1, VCPUOP_up = 0), has a state (and POWER has no Xen
# start-state structure: VCPUOP_initialise = -ENOSYS), vcpu 1 does not exist
# (-ENOENT); physdev_op is -ENOSYS, platform_op/domctl/sysctl -EPERM. Then
# VCPUOP_down on the last vcpu powers the domain off, as Xen does: the guest
# prints "vcpu_op: down on the last vcpu" and never runs again (an "after
# down" line would be a failure).
	.include "ppc.inc"

	.set	__HYPERVISOR_platform_op, 7
	.set	__HYPERVISOR_vcpu_op, 24
	.set	__HYPERVISOR_physdev_op, 33
	.set	__HYPERVISOR_sysctl, 35
	.set	__HYPERVISOR_domctl, 36
	.set	VCPUOP_initialise, 0
	.set	VCPUOP_up, 1
	.set	VCPUOP_down, 2
	.set	VCPUOP_is_up, 3

# EXPECT nr, a0, a1, a2, rc: the call must return rc.
	.macro EXPECT nr, a0, a1, a2, rc
	li	3, \nr
	li	4, \a0
	li	5, \a1
	LA	6, \a2
	sc	1
	cmpdi	3, \rc
	bne	fail
	.endm

	.text
	.globl	_start
_start:
	EXPECT	__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, scratch, 1
	EXPECT	__HYPERVISOR_vcpu_op, VCPUOP_up, 0, scratch, 0
	EXPECT	__HYPERVISOR_vcpu_op, VCPUOP_initialise, 0, scratch, -38
	EXPECT	__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, scratch, -2
	EXPECT	__HYPERVISOR_vcpu_op, VCPUOP_down, 1, scratch, -2
	EXPECT	__HYPERVISOR_physdev_op, 13, 0, scratch, -38	# map_pirq
	EXPECT	__HYPERVISOR_platform_op, 0, 0, scratch, -1
	EXPECT	__HYPERVISOR_domctl, 0, 0, scratch, -1
	EXPECT	__HYPERVISOR_sysctl, 0, 0, scratch, -1
	PUTS	msg, msg_end
	EXPECT	__HYPERVISOR_vcpu_op, VCPUOP_down, 0, scratch, 0
	PUTS	after, after_end
	SHUTDOWN crash

fail:	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
1:	b	1b

	.data
msg:	.ascii	"vcpu_op: down on the last vcpu\n"
msg_end:
after:	.ascii	"vcpu_op: ran after down\n"
after_end:
failmsg: .ascii	"vcpu_op: FAILED\n"
failmsg_end:
	.balign	8
crash:	.long	SHUTDOWN_crash
scratch: .fill	128, 1, 0
