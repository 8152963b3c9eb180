/*
 * vcpu_op (public/vcpu.h): vcpu_info placement, the pvclock and runstate
 * areas, timers, state queries, and bringing vcpus up and down.
 * vcpu_op(cmd, vcpuid, arg). send_nmi through the arch (x86: the local
 * APIC's NMI; none on POWER: -ENOSYS, as on Arm). Not for an unprivileged
 * domain: get_physid (-ENOSYS).
 *
 * Up and down (Xen's rules): VCPUOP_initialise loads a start state into a
 * vcpu that has none (the arch hook: x86 struct vcpu_hvm_context; POWER has
 * no Xen port, so no such structure: -ENOSYS), leaving it down; -EEXIST if
 * it has one. VCPUOP_up starts an initialised vcpu (-EINVAL otherwise);
 * VCPUOP_down stops one, and the last vcpu going down powers the domain off;
 * VCPUOP_is_up says which. The boot vcpu is initialised and up.
 *
 * Worked example (what Linux does per CPU at start of day):
 *   VCPUOP_register_vcpu_info {mfn = gfn of a per-cpu page, offset = 0x40}
 *     -> the current vcpu_info (64 bytes) is copied there, evtchn_upcall_pending
 *        and every selector bit are set (nothing may be lost in the move), and
 *        from then on hv uses that copy;
 *   VCPUOP_set_singleshot_timer {timeout_abs_ns, flags = VCPU_SSHOTTMR_future}
 *     -> -ETIME if the time is already past, else VIRQ_TIMER at that time.
 */
#include "hv/hypercall.h"
#include "hv/shared_info.h"
#include "hv/time.h"

#include <inttypes.h>

/* struct vcpu_register_vcpu_info { uint64_t mfn; uint32_t offset, rsvd; } */
#define XEN_REGISTER_VCPU_INFO_SIZE 16
/* struct vcpu_set_singleshot_timer { uint64_t timeout_abs_ns; uint32_t flags; } */
#define XEN_SINGLESHOT_SIZE 16
/* struct vcpu_runstate_info { int state; @8 uint64_t state_entry_time;
 * @16 uint64_t time[4]; } */
#define XEN_RUNSTATE_INFO_SIZE 48

static long vcpu_op_register_vcpu_info(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->d;
	uint8_t b[XEN_REGISTER_VCPU_INFO_SIZE], cur[XEN_VCPU_INFO_SIZE] = { 0 };
	uint64_t gfn;
	uint32_t off;
	struct p2m_entry e;
	uint8_t *old, *nvi;

	if (hv_copy_from_guest(caller, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	gfn = hv_guest_u64(caller, b);
	off = hv_guest_u32(caller, b + 8);
	/* Within one page, naturally aligned (Xen 4.17: -ENXIO). */
	if (off > SV_PAGE_SIZE - XEN_VCPU_INFO_SIZE || (off & (XEN_VCPU_INFO_ALIGN - 1)))
		return -XEN_ENXIO;
	if (v->vcpu_info_mfn >= 0)
		return -XEN_EINVAL; /* once only */
	/* On itself, or on a vcpu that is down (as Xen's map_vcpu_info). */
	if (v != caller && !v->down)
		return -XEN_EINVAL;
	if (gfn > P2M_MAX_GFN || !hv_gpa_ram_rw(d, gfn << SV_PAGE_BITS))
		return -XEN_EINVAL;
	p2m_lookup(d->p2m, gfn, &e);

	old = hv_vcpu_info(v);
	if (old)
		memcpy(cur, old, sizeof(cur));
	machmem_get(&d->hv->mem, e.mfn); /* held while registered */
	v->vcpu_info_mfn = (int64_t)e.mfn;
	v->vcpu_info_off = off;
	nvi = hv_vcpu_info(v);
	memcpy(nvi, cur, sizeof(cur));
	/* Mark everything pending so that no event is lost in the move; the
	 * guest copes with spurious upcalls. */
	hv_shared_put_u64(d, nvi + XEN_VCPU_INFO_PENDING_SEL, ~0ull);
	nvi[XEN_VCPU_INFO_UPCALL_PENDING] = 0;
	hv_vcpu_mark_events_pending(v);
	hv_time_update_vcpu(v);
	hv_trace(caller, TRACE_P2M, "P2M vcpu_info vcpu=%u gfn=0x%" PRIx64 " offset=0x%x", v->id,
		 gfn, off);
	return 0;
}

/*
 * struct vcpu_register_time_memory_area { XEN_GUEST_HANDLE(vcpu_time_info) addr; }
 * and struct vcpu_register_runstate_memory_area (the same shape): a
 * guest-virtual address, resolved now, updated from then on. A null handle
 * unregisters.
 */
static long vcpu_op_register_area(struct vcpu *caller, struct hv_guest_area *a, uint64_t arg,
				  uint32_t len)
{
	uint8_t b[8];
	uint64_t gva;

	if (hv_copy_from_guest(caller, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	gva = hv_guest_u64(caller, b);
	if (gva == 0) {
		a->on = false;
		return 0;
	}
	return hv_guest_area_register(caller, a, gva, len);
}

static long vcpu_op_singleshot(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
	uint8_t b[XEN_SINGLESHOT_SIZE];
	uint64_t t;

	if (v != caller)
		return -XEN_EINVAL;
	if (hv_copy_from_guest(caller, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	t = hv_guest_u64(caller, b);
	if ((hv_guest_u32(caller, b + 8) & VCPU_SSHOTTMR_future) && t < hv_time_now(v))
		return -XEN_ETIME;
	hv_time_set_singleshot(v, t == HV_TIME_NONE ? t - 1 : t);
	return 0;
}

static long vcpu_op_periodic(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
	uint8_t b[8];
	uint64_t period;

	if (hv_copy_from_guest(caller, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	period = hv_guest_u64(caller, b);
	/* At least 1 ms, at most STIME_DELTA_MAX (INT64_MAX). */
	if (period < 1000000 || period > (uint64_t)INT64_MAX)
		return -XEN_EINVAL;
	hv_time_set_periodic(v, period);
	return 0;
}

/*
 * struct vcpu_runstate_info, minimal: the state (running while it executes,
 * blocked while blocked, runnable otherwise), entered now, and the time
 * spent running (not blocked) and blocked.
 */
static void vcpu_op_fill_runstate(struct vcpu *v, uint8_t *b, bool running)
{
	struct domain *d = v->d;
	uint64_t now = hv_time_now(v);
	uint32_t state = v->down    ? RUNSTATE_offline :
			 running    ? RUNSTATE_running :
			 v->blocked ? RUNSTATE_blocked :
				      RUNSTATE_runnable;

	memset(b, 0, XEN_RUNSTATE_INFO_SIZE);
	hv_shared_put_u32(d, b, state);
	hv_shared_put_u64(d, b + 8, now);
	hv_shared_put_u64(d, b + 16 + 8 * RUNSTATE_running, now - v->idle_ns);
	hv_shared_put_u64(d, b + 16 + 8 * RUNSTATE_blocked, v->idle_ns);
}

void hv_vcpu_update_runstate(struct vcpu *v)
{
	uint8_t b[XEN_RUNSTATE_INFO_SIZE];

	if (!v->runstate_area.on)
		return;
	vcpu_op_fill_runstate(v, b, !v->blocked);
	hv_guest_area_write(v->d, &v->runstate_area, b, sizeof(b));
}

static long vcpu_op_runstate(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
	uint8_t b[XEN_RUNSTATE_INFO_SIZE];

	vcpu_op_fill_runstate(v, b, v == caller);
	return hv_copy_to_guest(caller, arg, b, sizeof(b)) < 0 ? -XEN_EFAULT : 0;
}

static long vcpu_op_initialise(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
	long rc;

	if (!v->arch->vcpu_initialise)
		return -XEN_ENOSYS;
	if (v->initialised)
		return -XEN_EEXIST;
	rc = v->arch->vcpu_initialise(caller, v, arg);
	if (rc < 0)
		return rc;
	v->initialised = true;
	v->down = true; /* until VCPUOP_up */
	v->blocked = false;
	v->block = HV_BLOCK_NONE;
	hv_vcpu_update_runstate(v);
	return 0;
}

static long vcpu_op_up(struct vcpu *v)
{
	if (!v->initialised)
		return -XEN_EINVAL;
	if (v->down) {
		v->down = false;
		hv_vcpu_update_runstate(v);
	}
	return 0;
}

static long vcpu_op_down(struct vcpu *v)
{
	struct domain *d = v->d;
	bool others_up = false;

	for (unsigned i = 0; i < d->n_vcpus; i++)
		if (d->vcpus[i] != v && !d->vcpus[i]->down)
			others_up = true;
	if (!others_up) {
		/* The last vcpu going down: the domain is off. */
		hv_domain_shutdown(d, HV_SHUTDOWN_POWEROFF);
		return 0;
	}
	if (!v->down) {
		v->down = true;
		hv_vcpu_update_runstate(v);
		cpu_request_exit(v->cpu);
	}
	return 0;
}

long do_vcpu_op(struct vcpu *caller, const uint64_t a[6])
{
	unsigned cmd = (unsigned)a[0];
	uint64_t id = (uint32_t)a[1], arg = a[2];
	struct domain *d = caller->d;
	struct vcpu *v;
	long rc;

	if (id >= d->n_vcpus)
		return -XEN_ENOENT;
	v = d->vcpus[id];
	switch (cmd) {
	case VCPUOP_register_vcpu_info: return vcpu_op_register_vcpu_info(caller, v, arg);
	case VCPUOP_register_vcpu_time_memory_area:
		rc = vcpu_op_register_area(caller, &v->time_area, arg, XEN_VCPU_TIME_INFO_SIZE);
		if (rc == 0)
			hv_time_update_vcpu(v);
		return rc;
	case VCPUOP_register_runstate_memory_area:
		rc = vcpu_op_register_area(caller, &v->runstate_area, arg, XEN_RUNSTATE_INFO_SIZE);
		if (rc == 0)
			hv_vcpu_update_runstate(v);
		return rc;
	case VCPUOP_set_singleshot_timer: return vcpu_op_singleshot(caller, v, arg);
	case VCPUOP_stop_singleshot_timer:
		if (v != caller)
			return -XEN_EINVAL;
		hv_time_set_singleshot(v, HV_TIME_NONE);
		return 0;
	case VCPUOP_set_periodic_timer: return vcpu_op_periodic(caller, v, arg);
	case VCPUOP_stop_periodic_timer: hv_time_set_periodic(v, 0); return 0;
	case VCPUOP_initialise: return vcpu_op_initialise(caller, v, arg);
	case VCPUOP_up: return vcpu_op_up(v);
	case VCPUOP_down: return vcpu_op_down(v);
	case VCPUOP_is_up: return !v->down;
	case VCPUOP_get_runstate_info: return vcpu_op_runstate(caller, v, arg);
	case VCPUOP_send_nmi:
		if (!v->arch->send_nmi)
			return -XEN_ENOSYS;
		if (arg)
			return -XEN_EINVAL; /* the handle must be NULL */
		hv_trace(caller, TRACE_IRQ, "IRQ send_nmi to vcpu %u", v->id);
		v->arch->send_nmi(v);
		return 0;
	default: return -XEN_ENOSYS;
	}
}
