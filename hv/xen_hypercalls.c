/*
 * The Xen personality's hypercall table. One row per hypercall; a missing row
 * is -ENOSYS. Used on both architectures (x86 via VMCALL and the hypercall
 * page, POWER via `sc 1`).
 */
#include "hv/hypercall.h"
#include "hv/xen_abi.h"

#define XEN_ROW(nr, n, f, args, fl)                                                                \
	[__HYPERVISOR_##nr] = { .name = n, .fn = f, .nargs = args, .flags = fl }
/* A row whose first argument selects a sub-operation named in ops[]. */
#define XEN_ROW_OPS(nr, n, f, args, ops, mask)                                                     \
	[__HYPERVISOR_##nr] = { .name = n,                                                         \
				.fn = f,                                                           \
				.nargs = args,                                                     \
				.subops = ops,                                                     \
				.n_subops = G_N_ELEMENTS(ops),                                     \
				.subop_mask = mask }
#define OP(prefix, name) [prefix##name] = #name

static const char *const xen_version_ops[] = {
	OP(XENVER_, version),      OP(XENVER_, extraversion), OP(XENVER_, compile_info),
	OP(XENVER_, capabilities), OP(XENVER_, changeset),    OP(XENVER_, platform_parameters),
	OP(XENVER_, get_features), OP(XENVER_, pagesize),     OP(XENVER_, guest_handle),
	OP(XENVER_, commandline),  OP(XENVER_, build_id),
};

/* The command is the low bits; a continuation keeps its progress above. */
static const char *const memory_ops[] = {
	OP(XENMEM_, increase_reservation), OP(XENMEM_, decrease_reservation),
	OP(XENMEM_, maximum_ram_page),     OP(XENMEM_, current_reservation),
	OP(XENMEM_, maximum_reservation),  OP(XENMEM_, machphys_mfn_list),
	OP(XENMEM_, populate_physmap),     OP(XENMEM_, add_to_physmap),
	OP(XENMEM_, memory_map),           OP(XENMEM_, machine_memory_map),
	OP(XENMEM_, maximum_gpfn),         OP(XENMEM_, remove_from_physmap),
	OP(XENMEM_, add_to_physmap_batch),
};

static const char *const console_io_ops[] = {
	OP(CONSOLEIO_, write),
	OP(CONSOLEIO_, read),
};

static const char *const grant_table_ops[] = {
	OP(GNTTABOP_, map_grant_ref), OP(GNTTABOP_, unmap_grant_ref),
	OP(GNTTABOP_, setup_table),   OP(GNTTABOP_, dump_table),
	OP(GNTTABOP_, transfer),      OP(GNTTABOP_, copy),
	OP(GNTTABOP_, query_size),    OP(GNTTABOP_, unmap_and_replace),
	OP(GNTTABOP_, set_version),   OP(GNTTABOP_, get_status_frames),
	OP(GNTTABOP_, get_version),
};

static const char *const vcpu_ops[] = {
	OP(VCPUOP_, initialise),
	OP(VCPUOP_, up),
	OP(VCPUOP_, down),
	OP(VCPUOP_, is_up),
	OP(VCPUOP_, get_runstate_info),
	OP(VCPUOP_, register_runstate_memory_area),
	OP(VCPUOP_, set_periodic_timer),
	OP(VCPUOP_, stop_periodic_timer),
	OP(VCPUOP_, set_singleshot_timer),
	OP(VCPUOP_, stop_singleshot_timer),
	OP(VCPUOP_, register_vcpu_info),
	OP(VCPUOP_, send_nmi),
	OP(VCPUOP_, get_physid),
	OP(VCPUOP_, register_vcpu_time_memory_area),
};

static const char *const vm_assist_ops[] = { "enable", "disable" };

static const char *const sched_ops[] = {
	OP(SCHEDOP_, yield),    OP(SCHEDOP_, block),           OP(SCHEDOP_, shutdown),
	OP(SCHEDOP_, poll),     OP(SCHEDOP_, remote_shutdown), OP(SCHEDOP_, shutdown_code),
	OP(SCHEDOP_, watchdog), OP(SCHEDOP_, pin_override),
};

static const char *const event_channel_ops[] = {
	OP(EVTCHNOP_, bind_interdomain),
	OP(EVTCHNOP_, bind_virq),
	OP(EVTCHNOP_, bind_pirq),
	OP(EVTCHNOP_, close),
	OP(EVTCHNOP_, send),
	OP(EVTCHNOP_, status),
	OP(EVTCHNOP_, alloc_unbound),
	OP(EVTCHNOP_, bind_ipi),
	OP(EVTCHNOP_, bind_vcpu),
	OP(EVTCHNOP_, unmask),
	OP(EVTCHNOP_, reset),
	OP(EVTCHNOP_, init_control),
	OP(EVTCHNOP_, expand_array),
	OP(EVTCHNOP_, set_priority),
};

static const char *const physdev_ops[] = {
	OP(PHYSDEVOP_, irq_status_query), OP(PHYSDEVOP_, eoi),
	OP(PHYSDEVOP_, map_pirq),         OP(PHYSDEVOP_, unmap_pirq),
	OP(PHYSDEVOP_, get_free_pirq),    OP(PHYSDEVOP_, pci_mmcfg_reserved),
	OP(PHYSDEVOP_, pci_device_add),   OP(PHYSDEVOP_, pci_device_remove),
	OP(PHYSDEVOP_, dbgp_op),
};

static const char *const hvm_ops[] = {
	OP(HVMOP_, set_param),
	OP(HVMOP_, get_param),
	OP(HVMOP_, pagetable_dying),
	OP(HVMOP_, set_evtchn_upcall_vector),
};

static const struct hv_hypercall xen_entries[] = {
	XEN_ROW(platform_op, "platform_op", do_refused_to_domu, 1, HV_HC_PRIV),
	XEN_ROW_OPS(memory_op, "memory_op", do_memory_op, 2, memory_ops, MEMOP_CMD_MASK),
	XEN_ROW(set_timer_op, "set_timer_op", do_set_timer_op, 1, 0),
	XEN_ROW_OPS(xen_version, "xen_version", do_xen_version, 2, xen_version_ops, ~0ull),
	XEN_ROW_OPS(console_io, "console_io", do_console_io, 3, console_io_ops, ~0ull),
	XEN_ROW_OPS(grant_table_op, "grant_table_op", do_grant_table_op, 3, grant_table_ops, ~0ull),
	XEN_ROW_OPS(vm_assist, "vm_assist", do_vm_assist, 2, vm_assist_ops, ~0ull),
	XEN_ROW_OPS(vcpu_op, "vcpu_op", do_vcpu_op, 3, vcpu_ops, ~0ull),
	XEN_ROW_OPS(sched_op, "sched_op", do_sched_op, 2, sched_ops, ~0ull),
	XEN_ROW_OPS(event_channel_op, "event_channel_op", do_event_channel_op, 2, event_channel_ops,
		    ~0ull),
	XEN_ROW_OPS(physdev_op, "physdev_op", do_physdev_op, 2, physdev_ops, ~0ull),
	XEN_ROW_OPS(hvm_op, "hvm_op", do_hvm_op, 2, hvm_ops, ~0ull),
	XEN_ROW(sysctl, "sysctl", do_refused_to_domu, 1, HV_HC_PRIV),
	XEN_ROW(domctl, "domctl", do_refused_to_domu, 1, HV_HC_PRIV),
};

const struct hv_hypercall_table xen_hypercall_table = {
	.personality = "xen",
	.entries = xen_entries,
	.n = G_N_ELEMENTS(xen_entries),
	.unknown = -XEN_ENOSYS,
	.eperm = -XEN_EPERM,
};

const struct hv_personality_ops hv_xen_personality = {
	.name = "xen",
	.hypercalls = &xen_hypercall_table,
};

/* Never reached for a domU (HV_HC_PRIV rejects first); kept so the table
 * names the operations a guest may not use. */
long do_refused_to_domu(struct vcpu *v, const uint64_t a[6])
{
	return -XEN_EPERM;
}
