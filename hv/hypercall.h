/*
 * Hypercall dispatch: one declarative table per personality (STYLE.md:
 * "hypercalls as a declarative table; reject callers before any work").
 *
 * An arch shim decodes the calling convention into (nr, args[6]) and calls
 * hv_hypercall_dispatch(), which validates in a fixed order:
 *   1. nr outside the table or no handler      -> the table's "unknown" code
 *                                                 (-ENOSYS for Xen, H_FUNCTION for PAPR)
 *   2. caller in user mode (CPL 3 / MSR[PR])   -> -EPERM
 *   3. privileged op from an unprivileged domain -> -EPERM
 * and only then calls the handler. Tracing and statistics happen here, once.
 *
 * Adding a hypercall: write `long do_NAME(struct vcpu *v, const uint64_t a[6])`
 * and add one row to the personality's table (hv/xen_hypercalls.c).
 *
 * Continuations (Xen's hypercall_create_continuation): a handler with a long
 * batch does a bounded amount of work, then calls
 * hv_hypercall_create_continuation with the arguments that describe what is
 * left (memory_op: the start extent in the command's high bits;
 * grant_table_op: the handle advanced and the count reduced). The arch shim
 * then leaves the guest's PC on the hypercall instruction with those
 * arguments in its registers, so the guest re-executes it: other vcpus run
 * and events are delivered in between, and the work is never more than one
 * piece ahead of them. The guest sees only the final result.
 *
 * Worked example: populate_physmap of 100000 extents of order 0 from vcpu
 * 0: 4096 extents are done, the call becomes memory_op(6 | 4096 << 6, arg)
 * and the run driver moves on to vcpu 1; 25 VMCALLs later rax = 100000.
 */
#ifndef SV_HV_HYPERCALL_H
#define SV_HV_HYPERCALL_H

#include "hv/hv.h"

typedef long (*hv_hypercall_fn)(struct vcpu *v, const uint64_t a[6]);

enum {
	HV_HC_PRIV = 1, /* only the control domain may call it */
};

struct hv_hypercall {
	const char *name;
	hv_hypercall_fn fn;
	uint8_t nargs; /* arguments shown in traces */
	uint8_t flags;
	/* Names of the sub-operations selected by (first argument & subop_mask),
	 * for traces ("event_channel_op:send(0x4, ...)") and per-sub-op
	 * statistics; NULL when the call has none. */
	const char *const *subops;
	uint8_t n_subops;
	uint64_t subop_mask;
};

struct hv_hypercall_table {
	const char *personality;
	const struct hv_hypercall *entries;
	unsigned n;
	/* Table index of hypercall nr, or -1; NULL: the index is nr (dense
	 * tables such as Xen's). */
	long (*index)(uint64_t nr);
	bool hex;     /* traces show numbers in hex (PAPR's convention) */
	long unknown; /* returned for numbers without a handler */
	long eperm;   /* returned to user-mode callers */
};

/* The row of hypercall nr in t (its name may be NULL), or NULL. */
const struct hv_hypercall *hv_hypercall_lookup(const struct hv_hypercall_table *t, uint64_t nr);

/* The name of the sub-operation a call of h with first argument a0 selects,
 * or NULL (no sub-operations, or one without a name). */
const char *hv_hypercall_subop_name(const struct hv_hypercall *h, uint64_t a0);

long hv_hypercall_dispatch(struct vcpu *v, const struct hv_hypercall_table *t, uint64_t nr,
			   const uint64_t args[6], bool user_mode);
/* Restart the current hypercall with arguments a (v->hcall_preempted); the
 * handler returns what this returns (0: the guest never sees it). */
long hv_hypercall_create_continuation(struct vcpu *v, const uint64_t a[6]);

extern const struct hv_hypercall_table xen_hypercall_table;

/* The Xen hypercalls (one file each in hv/). */
long do_xen_version(struct vcpu *v, const uint64_t a[6]);
long do_console_io(struct vcpu *v, const uint64_t a[6]);
long do_sched_op(struct vcpu *v, const uint64_t a[6]);
long do_refused_to_domu(struct vcpu *v, const uint64_t a[6]);
long do_memory_op(struct vcpu *v, const uint64_t a[6]);
long do_vcpu_op(struct vcpu *v, const uint64_t a[6]);
long do_vm_assist(struct vcpu *v, const uint64_t a[6]);
long do_set_timer_op(struct vcpu *v, const uint64_t a[6]);
long do_event_channel_op(struct vcpu *v, const uint64_t a[6]);
long do_hvm_op(struct vcpu *v, const uint64_t a[6]);
long do_grant_table_op(struct vcpu *v, const uint64_t a[6]);
long do_physdev_op(struct vcpu *v, const uint64_t a[6]);

#endif
