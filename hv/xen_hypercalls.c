/*
 * The Xen personality's hypercall table. One row per hypercall; a missing row
 * is -ENOSYS. Used on both architectures (x86 via VMCALL and the hypercall
 * page, POWER via `sc 1`).
 */
#include "hv/hypercall.h"
#include "hv/xen_abi.h"

#define XEN_ROW(nr, n, f, args, fl)                                                                \
	[__HYPERVISOR_##nr] = { .name = n, .fn = f, .nargs = args, .flags = fl }

static const struct hv_hypercall xen_entries[] = {
	XEN_ROW(platform_op, "platform_op", do_refused_to_domu, 1, HV_HC_PRIV),
	XEN_ROW(memory_op, "memory_op", do_memory_op, 2, 0),
	XEN_ROW(set_timer_op, "set_timer_op", do_set_timer_op, 1, 0),
	XEN_ROW(xen_version, "xen_version", do_xen_version, 2, 0),
	XEN_ROW(console_io, "console_io", do_console_io, 3, 0),
	XEN_ROW(grant_table_op, "grant_table_op", do_grant_table_op, 3, 0),
	XEN_ROW(vcpu_op, "vcpu_op", do_vcpu_op, 3, 0),
	XEN_ROW(sched_op, "sched_op", do_sched_op, 2, 0),
	XEN_ROW(event_channel_op, "event_channel_op", do_event_channel_op, 2, 0),
	XEN_ROW(physdev_op, "physdev_op", do_physdev_op, 2, 0),
	XEN_ROW(hvm_op, "hvm_op", do_hvm_op, 2, 0),
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

/* Never reached for a domU (HV_HC_PRIV rejects first); kept so the table
 * names the operations a guest may not use. */
long do_refused_to_domu(struct vcpu *v, const uint64_t a[6])
{
	return -XEN_EPERM;
}
