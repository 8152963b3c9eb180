/*
 * Numbers of Xen's public ABI (xen/include/public/xen.h, version.h,
 * sched.h, errno.h, event_channel.h, memory.h, vcpu.h, hvm/hvm_op.h,
 * hvm/params.h). Error values are Xen's own, not the host's errno: a macOS
 * host's ENOSYS is 78, Xen's is 38.
 */
#ifndef SV_HV_XEN_ABI_H
#define SV_HV_XEN_ABI_H

/* Hypercall numbers (public/xen.h). */
#define XEN_HYPERCALLS(X)                                                                          \
	X(set_trap_table, 0)                                                                       \
	X(mmu_update, 1)                                                                           \
	X(set_gdt, 2)                                                                              \
	X(stack_switch, 3)                                                                         \
	X(set_callbacks, 4)                                                                        \
	X(fpu_taskswitch, 5)                                                                       \
	X(sched_op_compat, 6)                                                                      \
	X(platform_op, 7)                                                                          \
	X(set_debugreg, 8)                                                                         \
	X(get_debugreg, 9)                                                                         \
	X(update_descriptor, 10)                                                                   \
	X(memory_op, 12)                                                                           \
	X(multicall, 13)                                                                           \
	X(update_va_mapping, 14)                                                                   \
	X(set_timer_op, 15)                                                                        \
	X(event_channel_op_compat, 16)                                                             \
	X(xen_version, 17)                                                                         \
	X(console_io, 18)                                                                          \
	X(physdev_op_compat, 19)                                                                   \
	X(grant_table_op, 20)                                                                      \
	X(vm_assist, 21)                                                                           \
	X(update_va_mapping_otherdomain, 22)                                                       \
	X(iret, 23)                                                                                \
	X(vcpu_op, 24)                                                                             \
	X(set_segment_base, 25)                                                                    \
	X(mmuext_op, 26)                                                                           \
	X(xsm_op, 27)                                                                              \
	X(nmi_op, 28)                                                                              \
	X(sched_op, 29)                                                                            \
	X(callback_op, 30)                                                                         \
	X(xenoprof_op, 31)                                                                         \
	X(event_channel_op, 32)                                                                    \
	X(physdev_op, 33)                                                                          \
	X(hvm_op, 34)                                                                              \
	X(sysctl, 35)                                                                              \
	X(domctl, 36)                                                                              \
	X(kexec_op, 37)                                                                            \
	X(tmem_op, 38)                                                                             \
	X(argo_op, 39)                                                                             \
	X(xenpmu_op, 40)                                                                           \
	X(dm_op, 41)                                                                               \
	X(hypfs_op, 42)

enum xen_hypercall_nr {
#define XEN_HC_ENUM(name, nr) __HYPERVISOR_##name = nr,
	XEN_HYPERCALLS(XEN_HC_ENUM)
#undef XEN_HC_ENUM
};

/* Xen error numbers (public/errno.h); hypercalls return their negation. */
#define XEN_EPERM 1
#define XEN_ENOENT 2
#define XEN_ESRCH 3
#define XEN_ENXIO 6
#define XEN_E2BIG 7
#define XEN_EAGAIN 11
#define XEN_ENOMEM 12
#define XEN_EACCES 13
#define XEN_EFAULT 14
#define XEN_EBUSY 16
#define XEN_EEXIST 17
#define XEN_EINVAL 22
#define XEN_ENOSPC 28
#define XEN_EDOM 33
#define XEN_ERANGE 34
#define XEN_ENOSYS 38
#define XEN_ETIME 62
#define XEN_EILSEQ 84
#define XEN_EOPNOTSUPP 95

/* console_io (public/xen.h). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

/* sched_op (public/sched.h). */
#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll 3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code 5
#define SCHEDOP_watchdog 6
#define SCHEDOP_pin_override 7

/* xen_version (public/version.h). */
#define XENVER_version 0
#define XENVER_extraversion 1
#define XENVER_compile_info 2
#define XENVER_capabilities 3
#define XENVER_changeset 4
#define XENVER_platform_parameters 5
#define XENVER_get_features 6
#define XENVER_pagesize 7
#define XENVER_guest_handle 8
#define XENVER_commandline 9
#define XENVER_build_id 10

/* Domain ids (public/xen.h). */
#define DOMID_SELF 0x7ff0u
#define DOMID_FIRST_RESERVED 0x7ff0u
#define DOMID_INVALID 0x7ff4u

/* Virtual IRQs (public/xen.h). Per-vcpu: TIMER, DEBUG, XENOPROF, XENPMU;
 * the others are global (bound on vcpu 0, movable with bind_vcpu). */
#define VIRQ_TIMER 0
#define VIRQ_DEBUG 1
#define VIRQ_CONSOLE 2
#define VIRQ_DOM_EXC 3
#define VIRQ_TBUF 4
#define VIRQ_DEBUGGER 6
#define VIRQ_XENOPROF 7
#define VIRQ_CON_RING 8
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT 10
#define VIRQ_ARGO 11
#define VIRQ_ENOMEM 12
#define VIRQ_XENPMU 13
#define NR_VIRQS 24

/* event_channel_op (public/event_channel.h). */
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_bind_pirq 2
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_status 5
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_ipi 7
#define EVTCHNOP_bind_vcpu 8
#define EVTCHNOP_unmask 9
#define EVTCHNOP_reset 10
#define EVTCHNOP_init_control 11
#define EVTCHNOP_expand_array 12
#define EVTCHNOP_set_priority 13
#define EVTCHNSTAT_closed 0
#define EVTCHNSTAT_unbound 1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq 3
#define EVTCHNSTAT_virq 4
#define EVTCHNSTAT_ipi 5
/* The FIFO ABI: 32-bit event words with four flag bits and a 17-bit link
 * to the next port of the queue; a per-vcpu control block
 * { uint32_t ready; uint32_t rsvd; uint32_t head[16]; } (72 bytes). */
#define EVTCHN_FIFO_PRIORITY_MAX 0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN 15
#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)
#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED 30
#define EVTCHN_FIFO_LINKED 29
#define EVTCHN_FIFO_BUSY 28
#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1u << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1u << EVTCHN_FIFO_LINK_BITS)
#define EVTCHN_FIFO_CONTROL_BLOCK_SIZE 72
#define EVTCHN_FIFO_CONTROL_READY 0
#define EVTCHN_FIFO_CONTROL_HEAD 8

/* memory_op (public/memory.h). The command's low 6 bits are the op, the
 * rest a continuation's start extent. */
#define MEMOP_CMD_MASK 0x3f
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_maximum_ram_page 2
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4
#define XENMEM_machphys_mfn_list 5
#define XENMEM_populate_physmap 6
#define XENMEM_add_to_physmap 7
#define XENMEM_memory_map 9
#define XENMEM_machine_memory_map 10
#define XENMEM_maximum_gpfn 14
#define XENMEM_remove_from_physmap 15
#define XENMEM_add_to_physmap_batch 23
#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1
#define XENMAPSPACE_gmfn 2
#define XENMAPSPACE_gmfn_range 3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio 5
/* E820 types (public/arch-x86/hvm/start_info.h, the BIOS's). */
#define XEN_E820_RAM 1

/* vcpu_op (public/vcpu.h). */
#define VCPUOP_initialise 0
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_get_runstate_info 4
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_set_periodic_timer 6
#define VCPUOP_stop_periodic_timer 7
#define VCPUOP_set_singleshot_timer 8
#define VCPUOP_stop_singleshot_timer 9
#define VCPUOP_register_vcpu_info 10
#define VCPUOP_send_nmi 11
#define VCPUOP_get_physid 12
#define VCPUOP_register_vcpu_time_memory_area 13
#define VCPU_SSHOTTMR_future (1u << 0)
#define RUNSTATE_running 0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked 2
#define RUNSTATE_offline 3

/* physdev_op (public/physdev.h): the queries a PVH domU may make. */
#define PHYSDEVOP_irq_status_query 5
#define PHYSDEVOP_eoi 12
#define PHYSDEVOP_map_pirq 13
#define PHYSDEVOP_unmap_pirq 14
#define PHYSDEVOP_get_free_pirq 23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add 25
#define PHYSDEVOP_pci_device_remove 26
#define PHYSDEVOP_dbgp_op 29

/* hvm_op (public/hvm/hvm_op.h) and its parameters (public/hvm/params.h). */
#define HVMOP_set_param 0
#define HVMOP_get_param 1
#define HVMOP_pagetable_dying 9
#define HVMOP_set_evtchn_upcall_vector 23
#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18
#define HVM_NR_PARAMS 39
/* HVM_PARAM_CALLBACK_IRQ: bits 63:56 the type, the low bits its data. */
#define HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT 56
#define HVM_PARAM_CALLBACK_TYPE_GSI 0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX 1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR 2
#define HVM_PARAM_CALLBACK_TYPE_PPI 3

/* grant_table_op (public/grant_table.h). */
#define GNTTABOP_map_grant_ref 0
#define GNTTABOP_unmap_grant_ref 1
#define GNTTABOP_setup_table 2
#define GNTTABOP_dump_table 3
#define GNTTABOP_transfer 4
#define GNTTABOP_copy 5
#define GNTTABOP_query_size 6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version 8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version 10
#define GNTST_okay 0
#define GNTST_general_error (-1)
#define GNTST_bad_domain (-2)
#define GNTST_bad_gntref (-3)
#define GNTST_bad_handle (-4)
#define GNTST_bad_virt_addr (-5)
#define GNTST_no_device_space (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page (-9)
#define GNTST_bad_copy_arg (-10)
/* grant_entry_v1.flags and gnttab_copy.flags. */
#define GTF_type_mask 3u
#define GTF_permit_access 1u
#define GTF_transitive 3u
#define GTF_readonly (1u << 2)
#define GTF_reading (1u << 3)
#define GTF_writing (1u << 4)
#define GTF_sub_page (1u << 8) /* v2 */
#define GNTMAP_device_map (1u << 0)
#define GNTMAP_host_map (1u << 1)
#define GNTMAP_readonly (1u << 2)
#define GNTMAP_contains_pte (1u << 4)
#define GNTCOPY_source_gref (1u << 0)
#define GNTCOPY_dest_gref (1u << 1)
/* XENMEM_add_to_physmap idx flag for a v2 status frame. */
#define XENMAPIDX_grant_table_status (1u << 31)

/* XENVER_get_features bits of submap 0 (public/features.h). */
#define XENFEAT_writable_page_tables 0
#define XENFEAT_auto_translated_physmap 2
#define XENFEAT_hvm_callback_vector 8
#define XENFEAT_hvm_safe_pvclock 9

/* The Xen version softvisor's ABI follows. */
#define SV_XEN_MAJOR 4
#define SV_XEN_MINOR 17

#endif
