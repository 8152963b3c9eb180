# Hostile arguments: hypercalls with bad pointers, ports, indexes and sub-ops.
# Each row of the table below is one call; the guest prints "name = rc" and
# checks rc against the value Xen's ABI requires (-3 ESRCH, -6 ENXIO,
# -14 EFAULT, -17 EEXIST, -22 EINVAL, -38 ENOSYS, -62 ETIME ...).
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set BAD, 0xdead00000000	# no RAM there
	.set __HYPERVISOR_sched_op, 29
	.set SCHEDOP_poll, 3
	.set VCPUOP_set_periodic_timer, 6
	.set VIRQ_CONSOLE, 2
	.set VCPUOP_register_runstate_memory_area, 5
	.set HVMOP_set_evtchn_upcall_vector, 23
	.set EVTCHNOP_init_control, 11
	.set VCPUOP_initialise, 0
	.set VCPUOP_up, 1
	.set VCPUOP_down, 2
	.set __HYPERVISOR_platform_op, 7
	.set __HYPERVISOR_physdev_op, 33
	.set __HYPERVISOR_sysctl, 35
	.set __HYPERVISOR_domctl, 36
	.set PHYSDEVOP_map_pirq, 13
	.set PHYSDEVOP_get_free_pirq, 23
	.set PHYSDEVOP_pci_device_add, 25
	.set EVTCHNOP_set_priority, 13

	# ROW nr, a0, a1, a2, expected, "name"
	.macro ROW nr, a0, a1, a2, expected, name
	.pushsection .rodata, 1
0:	.ascii "\name"
1:	.popsection
	.quad \nr, \a0, \a1, \a2, \expected, 0b, 1b - 0b
	.endm

	.code64
main:
	call hv_init
	lea table(%rip), %r12
	xor %r13d, %r13d		# mismatches
1:	lea table_end(%rip), %rax
	cmp %rax, %r12
	jae 3f
	mov 8(%r12), %rdi
	mov 16(%r12), %rsi
	mov 24(%r12), %rdx
	mov (%r12), %rax
	shl $5, %rax
	lea hypercall_page(%rip), %rcx
	add %rcx, %rax
	call *%rax
	mov %rax, %r14
	mov 40(%r12), %rdx		# name
	mov 48(%r12), %rsi
	mov $CONSOLEIO_write, %edi
	HYPERCALL __HYPERVISOR_console_io
	PRINT eq, 3
	mov %r14, %rdi
	call print_signed
	cmp 32(%r12), %r14
	je 2f
	inc %r13d
	PRINT bad, bad_len
	mov 32(%r12), %rdi
	call print_signed
2:	NEWLINE
	add $56, %r12
	jmp 1b
3:	test %r13d, %r13d
	jnz 4f
	PRINT ok, ok_len
	SHUTDOWN SHUTDOWN_poweroff
4:	SHUTDOWN SHUTDOWN_crash

# print_signed(rdi): decimal with a minus sign.
print_signed:
	test %rdi, %rdi
	jns 1f
	push %rdi
	PRINT minus, 1
	pop %rdi
	neg %rdi
1:	jmp print_dec

	.section .rodata
eq:	.ascii " = "
minus:	.ascii "-"
bad:	.ascii " MISMATCH, expected "
	.set bad_len, . - bad
ok:	.ascii "hostile: every call got the expected error\n"
	.set ok_len, . - ok

	.balign 8
table:
	ROW __HYPERVISOR_memory_op, XENMEM_add_to_physmap, BAD, 0, -14, "add_to_physmap bad pointer"
	ROW __HYPERVISOR_memory_op, 99, 0, 0, -38, "memory_op unknown"
	ROW __HYPERVISOR_memory_op, XENMEM_add_to_physmap, xatp_other, 0, -3, "add_to_physmap domid 77"
	ROW __HYPERVISOR_memory_op, XENMEM_add_to_physmap, xatp_idx, 0, -22, "add_to_physmap shared_info idx 1"
	ROW __HYPERVISOR_memory_op, XENMEM_add_to_physmap, xatp_space, 0, -22, "add_to_physmap space 9"
	ROW __HYPERVISOR_memory_op, XENMEM_memory_map, mmap_bad, 0, -14, "memory_map bad buffer"
	ROW __HYPERVISOR_memory_op, XENMEM_current_reservation, BAD, 0, -14, "current_reservation bad pointer"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, rvi_cross, -6, "vcpu_info crossing a page"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, rvi_unaligned, -6, "vcpu_info unaligned"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, rvi_nogfn, -22, "vcpu_info gfn without RAM"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, BAD, -14, "vcpu_info bad pointer"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_is_up, 7, 0, -2, "is_up vcpu 7"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0, 1, "is_up vcpu 0"
	ROW __HYPERVISOR_vcpu_op, 99, 0, 0, -38, "vcpu_op unknown"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, sshot_past, -62, "singleshot in the past"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, period_short, -22, "periodic 1 us"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_send, port_closed, 0, -22, "send closed port"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_send, port_huge, 0, -22, "send port 0xffffffff"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_send, BAD, 0, -14, "send bad pointer"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_close, port_zero, 0, -22, "close port 0"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, virq_big, 0, -22, "bind_virq 24"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, virq_timer, 0, 0, "bind_virq timer"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, virq_timer, 0, -17, "bind_virq timer again"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, virq_console1, 0, -22, "bind_virq console on vcpu 1"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, virq_timer3, 0, -2, "bind_virq timer on vcpu 3"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_unmask, port_huge, 0, -22, "unmask port 0xffffffff"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_expand_array, fifo_gfn, 0, -95, "expand_array before init_control"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_set_priority, prio_2l, 0, -38, "set_priority on 2-level"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_init_control, fifo_vcpu9, 0, -2, "init_control vcpu 9"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_init_control, fifo_off, 0, -22, "init_control offset 4092"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_init_control, fifo_nogfn, 0, -22, "init_control gfn past RAM"
	ROW __HYPERVISOR_event_channel_op, EVTCHNOP_init_control, BAD, 0, -14, "init_control bad pointer"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_initialise, 0, scratch, -17, "initialise vcpu 0 (it has a state)"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_up, 0, 0, 0, "up vcpu 0 (it is up)"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0, -2, "up vcpu 1"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_down, 7, 0, -2, "down vcpu 7"
	ROW __HYPERVISOR_physdev_op, PHYSDEVOP_map_pirq, scratch, 0, -38, "physdev map_pirq (no PIRQs in PVH)"
	ROW __HYPERVISOR_physdev_op, PHYSDEVOP_get_free_pirq, scratch, 0, -38, "physdev get_free_pirq"
	ROW __HYPERVISOR_physdev_op, PHYSDEVOP_pci_device_add, scratch, 0, -38, "physdev pci_device_add"
	ROW __HYPERVISOR_platform_op, 0, 0, 0, -1, "platform_op"
	ROW __HYPERVISOR_domctl, 0, 0, 0, -1, "domctl"
	ROW __HYPERVISOR_sysctl, 0, 0, 0, -1, "sysctl"
	ROW __HYPERVISOR_hvm_op, HVMOP_set_param, param_index, 0, -22, "set_param index 1000"
	ROW __HYPERVISOR_hvm_op, HVMOP_set_param, param_vec, 0, -22, "set_param vector 5"
	ROW __HYPERVISOR_hvm_op, HVMOP_set_param, param_store, 0, -1, "set_param store_pfn"
	ROW __HYPERVISOR_hvm_op, 99, 0, 0, -38, "hvm_op unknown"
	ROW __HYPERVISOR_sched_op, SCHEDOP_poll, poll_many, 0, -22, "poll 1000 ports"
	ROW __HYPERVISOR_sched_op, SCHEDOP_poll, poll_badport, 0, -22, "poll port 5000"
	ROW __HYPERVISOR_grant_table_op, GNTTABOP_query_size, qsize, 2, -22, "gnttab query_size count 2"
	ROW __HYPERVISOR_grant_table_op, GNTTABOP_copy, BAD, 1, -14, "gnttab copy bad pointer"
	ROW __HYPERVISOR_grant_table_op, GNTTABOP_copy, BAD, 0x80000000, -22, "gnttab copy count 2^31 (negative as an int)"
	ROW __HYPERVISOR_grant_table_op, GNTTABOP_set_version, gver7, 1, -22, "gnttab set_version 7"
	ROW __HYPERVISOR_grant_table_op, GNTTABOP_get_version, gver_other, 1, -3, "gnttab get_version domid 77"
	ROW __HYPERVISOR_grant_table_op, 99, 0, 1, -38, "gnttab unknown"
	ROW __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, BAD, -14, "runstate area bad pointer"
	ROW __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, upvec5, 0, -22, "upcall vector 5"
	ROW 33, 0, 0, 0, -38, "physdev_op"
	ROW 60, 0, 0, 0, -38, "hypercall 60"
table_end:

	.data
	.balign 8
xatp_other:	.word 77, 0
		.long XENMAPSPACE_shared_info
		.quad 0, 0x200
xatp_idx:	.word DOMID_SELF, 0
		.long XENMAPSPACE_shared_info
		.quad 1, 0x200
xatp_space:	.word DOMID_SELF, 0
		.long 9
		.quad 0, 0x200
mmap_bad:	.long 4, 0
		.quad BAD
rvi_cross:	.quad 0x200
		.long 4040, 0
rvi_unaligned:	.quad 0x200
		.long 0x44, 0
rvi_nogfn:	.quad 0xfffffff
		.long 0, 0
sshot_past:	.quad 1
		.long VCPU_SSHOTTMR_future, 0
period_short:	.quad 1000
port_closed:	.long 4095
port_huge:	.long 0xffffffff
	.balign 8
fifo_gfn:	.quad 0x200			# expand_array {array_gfn}
fifo_vcpu9:	.quad 0x200			# init_control {gfn, offset, vcpu}
		.long 0, 9
		.quad 0
fifo_off:	.quad 0x200
		.long 4092, 0
		.quad 0
fifo_nogfn:	.quad 0xfffffffff
		.long 0, 0
		.quad 0
prio_2l:	.long 3, 3			# set_priority {port 3, priority 3}
port_zero:	.long 0
	.balign 8
scratch:	.fill 128, 1, 0
virq_big:	.long 24, 0, 0
virq_timer:	.long VIRQ_TIMER, 0, 0
virq_console1:	.long VIRQ_CONSOLE, 1, 0
virq_timer3:	.long VIRQ_TIMER, 3, 0
param_index:	.word DOMID_SELF, 0
		.long 1000
		.quad 0
param_vec:	.word DOMID_SELF, 0
		.long HVM_PARAM_CALLBACK_IRQ
		.quad (2 << 56) | 5
param_store:	.word DOMID_SELF, 0
		.long 1
		.quad 0x1234
poll_ports:	.long 5000
poll_many:	.quad poll_ports
		.long 1000, 0
		.quad 0
qsize:		.word DOMID_SELF, 0
		.long 0, 0, 0
gver7:		.long 7
gver_other:	.word 77, 0
		.long 0
upvec5:		.long 0
		.byte 5, 0, 0, 0
poll_badport:	.quad poll_ports
		.long 1, 0
		.quad 0
	.text
