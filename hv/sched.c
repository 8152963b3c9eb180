/*
 * Scheduling: sched_op (public/sched.h) and the blocking and virtual-time
 * rules the run driver follows (hv/hv.h).
 *
 * A vcpu blocks on HLT (x86), SCHEDOP_block or SCHEDOP_poll, and wakes when
 * what it waits for happens: the upcall interrupt can be taken (HLT), an
 * upcall is pending (block), a polled port is pending or the poll times out
 * (poll). Time is virtual: while some vcpu runs, the clocks of blocked vcpus
 * follow the furthest running one; when every vcpu is blocked, time jumps to
 * the earliest deadline that could wake one of them, and if there is none the
 * guest can never run again (a deadlock, reported by the driver).
 *
 * Worked example: a guest arms a singleshot timer at 2,000,000 ns, binds
 * VIRQ_TIMER and executes `sti; hlt` at 1,200,000 ns. The HLT exit blocks the
 * vcpu (HV_BLOCK_HALT); hv_domain_idle advances its clock to 2,000,000 and
 * fires the timer, which sets the port pending and evtchn_upcall_pending; the
 * next round's hv_vcpu_runnable sees IF=1 and a callback vector, wakes the
 * vcpu, and hv_vcpu_prepare_run injects the vector.
 */
#include "hv/evtchn.h"
#include "hv/hypercall.h"
#include "hv/shared_info.h"
#include "hv/time.h"

/* struct sched_poll { XEN_GUEST_HANDLE(evtchn_port_t) ports; @8 unsigned int
 * nr_ports; @16 uint64_t timeout; } */
#define XEN_SCHED_POLL_SIZE 24
/* struct sched_remote_shutdown { domid_t domain_id; @4 unsigned int reason; } */
#define XEN_SCHED_REMOTE_SHUTDOWN_SIZE 8
/* struct sched_watchdog { uint32_t id; @4 uint32_t timeout (seconds); } */
#define XEN_SCHED_WATCHDOG_SIZE 8

void hv_vcpu_block(struct vcpu *v, enum hv_block_kind kind)
{
	v->blocked = true;
	v->block = kind;
	hv_vcpu_update_runstate(v);
}

static void sched_unblock(struct vcpu *v)
{
	v->blocked = false;
	v->block = HV_BLOCK_NONE;
	v->n_poll_ports = 0;
	v->poll_timeout_ns = HV_TIME_NONE;
	v->cpu->halted = false;
	hv_vcpu_update_runstate(v);
}

static bool sched_upcall_waiting(struct vcpu *v)
{
	return hv_vcpu_upcall_pending(v) || v->upcall_latched;
}

static bool sched_halt_wakeable(struct vcpu *v)
{
	return v->arch->halt_wakeable && v->arch->halt_wakeable(v);
}

static bool sched_polled(struct vcpu *v, uint32_t port)
{
	for (unsigned i = 0; i < v->n_poll_ports; i++)
		if (v->poll_ports[i] == port)
			return true;
	return false;
}

/* Has what v waits for happened? */
static bool sched_wake_ready(struct vcpu *v)
{
	switch (v->block) {
	case HV_BLOCK_POLL:
		for (unsigned i = 0; i < v->n_poll_ports; i++)
			if (hv_evtchn_port_pending(v->d, v->poll_ports[i]))
				return true;
		return v->poll_timeout_ns != HV_TIME_NONE && hv_time_now(v) >= v->poll_timeout_ns;
	case HV_BLOCK_SCHED: return hv_vcpu_upcall_pending(v);
	case HV_BLOCK_HALT:
		return (sched_upcall_waiting(v) && sched_halt_wakeable(v)) ||
		       (v->arch->wake_ready && v->arch->wake_ready(v));
	case HV_BLOCK_ARCH: return v->arch->wake_ready && v->arch->wake_ready(v);
	default: return true;
	}
}

/* The earliest time (ns) at which something could wake the blocked v. */
static uint64_t sched_wake_deadline(struct vcpu *v)
{
	uint64_t t = HV_TIME_NONE, timer = hv_time_next_deadline(v);
	uint32_t port = v->virq_to_port[VIRQ_TIMER];
	bool timer_wakes = false;

	if (v->block == HV_BLOCK_POLL)
		t = v->poll_timeout_ns;
	if ((v->block == HV_BLOCK_ARCH || v->block == HV_BLOCK_HALT) && v->arch->wake_deadline)
		t = v->arch->wake_deadline(v);
	if (port && timer != HV_TIME_NONE) {
		switch (v->block) {
		case HV_BLOCK_POLL: timer_wakes = sched_polled(v, port); break;
		case HV_BLOCK_SCHED: timer_wakes = !v->d->evtchn_ops->is_masked(v->d, port); break;
		case HV_BLOCK_HALT:
			timer_wakes =
				!v->d->evtchn_ops->is_masked(v->d, port) && sched_halt_wakeable(v);
			break;
		default: break;
		}
	}
	if (timer_wakes && timer < t)
		t = timer;
	/* Not a wake-up, but an event that must happen: the watchdog. */
	if (hv_time_watchdog_deadline(v->d) < t)
		t = hv_time_watchdog_deadline(v->d);
	return t;
}

bool hv_vcpu_runnable(struct vcpu *v)
{
	if (v->down)
		return false;
	hv_time_fire(v);
	if (v->blocked && sched_wake_ready(v))
		sched_unblock(v);
	return !v->blocked;
}

/*
 * A vcpu's turn starts at the domain's front: the furthest clock of its
 * vcpus. vcpus run one after another, so a clock that started behind would
 * let the guest see its time base (or TSC) run backwards from one vcpu to
 * the next; caught up, time is monotonic in the order things happen, as
 * one clock shared by all vcpus would be. (A no-op with one vcpu.)
 */
static void sched_catch_up(struct vcpu *v)
{
	uint64_t front = 0;

	for (unsigned i = 0; i < v->d->n_vcpus; i++)
		if (hv_time_now(v->d->vcpus[i]) > front)
			front = hv_time_now(v->d->vcpus[i]);
	hv_time_advance(v, front);
}

bool hv_vcpu_begin_turn(struct vcpu *v, uint64_t quantum)
{
	/* Armed after the catch-up, which moves the guest's counters. */
	sched_catch_up(v);
	return v->arch->begin_turn && v->arch->begin_turn(v, quantum);
}

void hv_vcpu_end_turn(struct vcpu *v)
{
	if (v->arch->end_turn)
		v->arch->end_turn(v);
}

int64_t hv_vcpu_prepare_run(struct vcpu *v, int64_t quantum)
{
	uint64_t deadline, now, at;

	sched_catch_up(v);
	now = v->cpu->icount;
	hv_time_fire(v);
	if (v->arch->upcall_update)
		v->arch->upcall_update(v);
	deadline = hv_time_next_event(v);
	if (deadline == HV_TIME_NONE) {
		v->cpu->icount_deadline = UINT64_MAX;
		return quantum;
	}
	/* Stop exactly at the timer (chained TBs too). */
	at = hv_time_ns_to_icount(v, deadline);
	v->cpu->icount_deadline = at;
	if (at <= now)
		return 1;
	return at - now < (uint64_t)quantum ? (int64_t)(at - now) : quantum;
}

/* The furthest clock of d's running vcpus (0: none runs). */
static uint64_t sched_front(struct domain *d)
{
	uint64_t front = 0;

	for (unsigned i = 0; i < d->n_vcpus; i++)
		if (!d->vcpus[i]->blocked && !d->vcpus[i]->down && hv_time_now(d->vcpus[i]) > front)
			front = hv_time_now(d->vcpus[i]);
	return front;
}

/* d's blocked and down vcpus follow the running ones to front (a blocked
 * one stops at its next event). */
static void sched_follow(struct domain *d, uint64_t front)
{
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		uint64_t t = hv_time_next_event(v);
		if (v->down)
			hv_time_advance(v, front);
		else if (v->blocked)
			hv_time_advance(v, t < front ? t : front);
	}
}

/* The earliest time one of d's blocked vcpus could wake (HV_TIME_NONE). */
static uint64_t sched_wake_time(struct domain *d)
{
	uint64_t t = HV_TIME_NONE;

	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		uint64_t w = v->blocked && !v->down ? sched_wake_deadline(v) : HV_TIME_NONE;
		if (w < t)
			t = w;
	}
	return t;
}

static void sched_jump(struct domain *d, uint64_t t)
{
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		hv_time_advance(d->vcpus[i], t);
		hv_time_fire(d->vcpus[i]);
	}
}

void hv_domain_sync_time(struct domain *d)
{
	sched_follow(d, sched_front(d));
}

bool hv_domain_idle(struct domain *d)
{
	uint64_t t = sched_wake_time(d);

	if (t == HV_TIME_NONE)
		return false;
	sched_jump(d, t);
	return true;
}

/*
 * Several domains share one timeline, as Xen's domains share its system
 * time: the front is the furthest running vcpu of any domain still up, and
 * when every vcpu of every such domain is blocked, time jumps for all of
 * them to the earliest deadline any of them has.
 */
void hv_sync_time(struct hv *hv)
{
	uint64_t front = 0;

	for (unsigned i = 0; i < hv->domains->len; i++) {
		struct domain *d = g_ptr_array_index(hv->domains, i);
		uint64_t f = d->shut_down ? 0 : sched_front(d);
		if (f > front)
			front = f;
	}
	for (unsigned i = 0; i < hv->domains->len; i++) {
		struct domain *d = g_ptr_array_index(hv->domains, i);
		if (!d->shut_down)
			sched_follow(d, front);
	}
}

bool hv_idle(struct hv *hv)
{
	uint64_t t = HV_TIME_NONE;

	for (unsigned i = 0; i < hv->domains->len; i++) {
		struct domain *d = g_ptr_array_index(hv->domains, i);
		uint64_t w = d->shut_down ? HV_TIME_NONE : sched_wake_time(d);
		if (w < t)
			t = w;
	}
	if (t == HV_TIME_NONE)
		return false;
	for (unsigned i = 0; i < hv->domains->len; i++) {
		struct domain *d = g_ptr_array_index(hv->domains, i);
		if (!d->shut_down)
			sched_jump(d, t);
	}
	return true;
}

/* SCHEDOP_block: enable event delivery and wait for an upcall. */
static long sched_block(struct vcpu *v)
{
	uint8_t *vi = hv_vcpu_info(v);

	if (vi)
		vi[XEN_VCPU_INFO_UPCALL_MASK] = 0;
	if (!hv_vcpu_upcall_pending(v))
		hv_vcpu_block(v, HV_BLOCK_SCHED);
	return 0;
}

/* SCHEDOP_poll: wait for one of nr_ports ports, or the absolute timeout
 * (0: none). */
static long sched_poll(struct vcpu *v, uint64_t arg)
{
	uint8_t b[XEN_SCHED_POLL_SIZE], pb[4];
	uint64_t ports, timeout;
	uint32_t n;

	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	ports = hv_guest_u64(v, b);
	n = hv_guest_u32(v, b + 8);
	timeout = hv_guest_u64(v, b + 16);
	if (n > HV_POLL_MAX_PORTS)
		return -XEN_EINVAL;
	v->n_poll_ports = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t port;
		if (hv_copy_from_guest(v, pb, ports + 4ull * i, sizeof(pb)) < 0)
			return -XEN_EFAULT;
		port = hv_guest_u32(v, pb);
		if (port >= v->d->n_evtchn)
			return -XEN_EINVAL;
		if (hv_evtchn_port_pending(v->d, port))
			return 0;
		v->poll_ports[i] = port;
	}
	v->n_poll_ports = n;
	v->poll_timeout_ns = timeout ? timeout : HV_TIME_NONE;
	hv_vcpu_block(v, HV_BLOCK_POLL);
	return 0;
}

/* SCHEDOP_remote_shutdown: only a domain's device model (Xen's
 * XSM_DM_PRIV: d->target) may shut it down; none of ours is privileged. */
static long sched_remote_shutdown(struct vcpu *v, uint64_t arg)
{
	uint8_t b[XEN_SCHED_REMOTE_SHUTDOWN_SIZE];
	struct domain *t;
	unsigned reason;

	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	t = hv_domain_by_id(v->d->hv, hv_guest_u16(v, b));
	if (!t)
		return -XEN_ESRCH; /* DOMID_SELF names no domain here */
	if (v->d->target != t->domid)
		return -XEN_EPERM;
	reason = hv_guest_u32(v, b + 4);
	if (reason > HV_SHUTDOWN_SOFT_RESET)
		return -XEN_EINVAL;
	hv_trace(v, TRACE_HYPERCALLS, "SCHED remote_shutdown d%u %s", t->domid,
		 hv_shutdown_name(reason));
	hv_domain_shutdown(t, reason);
	return 0;
}

/*
 * SCHEDOP_watchdog (Xen's domain_watchdog): id 0 takes a free timer and
 * arms it timeout seconds from now, returning its id (1 or 2; -ENOSPC if
 * none is free); id N re-arms timer N, or frees it with timeout 0. An
 * expired timer shuts the domain down with SHUTDOWN_watchdog.
 */
static long sched_watchdog(struct vcpu *v, uint64_t arg)
{
	struct domain *d = v->d;
	uint8_t b[XEN_SCHED_WATCHDOG_SIZE];
	uint32_t id, timeout;
	uint64_t at;

	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	id = hv_guest_u32(v, b);
	timeout = hv_guest_u32(v, b + 4);
	if (id > HV_NR_WATCHDOGS)
		return -XEN_EINVAL;
	at = hv_time_now(v) + timeout * 1000000000ull;
	if (id == 0) {
		while (id < HV_NR_WATCHDOGS && d->watchdog_ns[id] != HV_TIME_NONE)
			id++;
		if (id == HV_NR_WATCHDOGS)
			return -XEN_ENOSPC;
		d->watchdog_ns[id] = at;
		hv_trace(v, TRACE_HYPERCALLS, "SCHED watchdog %u armed for %u s", id + 1, timeout);
		return id + 1;
	}
	id--;
	if (d->watchdog_ns[id] == HV_TIME_NONE)
		return -XEN_EINVAL;
	d->watchdog_ns[id] = timeout ? at : HV_TIME_NONE;
	return 0;
}

long do_sched_op(struct vcpu *v, const uint64_t a[6])
{
	unsigned cmd = (unsigned)a[0];
	uint8_t buf[4];
	unsigned reason;

	switch (cmd) {
	case SCHEDOP_yield:
		/* The rest of the turn goes to the other vcpus. */
		v->yielded = true;
		return 0;
	case SCHEDOP_block: return sched_block(v);
	case SCHEDOP_poll: return sched_poll(v, a[1]);
	case SCHEDOP_shutdown:
		/* struct sched_shutdown { unsigned int reason; } */
		if (hv_copy_from_guest(v, buf, a[1], sizeof(buf)) < 0)
			return -XEN_EFAULT;
		reason = hv_guest_u32(v, buf);
		if (reason > HV_SHUTDOWN_SOFT_RESET)
			return -XEN_EINVAL;
		hv_domain_shutdown(v->d, reason);
		return 0;
	case SCHEDOP_shutdown_code:
		if (hv_copy_from_guest(v, buf, a[1], sizeof(buf)) < 0)
			return -XEN_EFAULT;
		reason = hv_guest_u32(v, buf);
		if (reason > HV_SHUTDOWN_SOFT_RESET)
			return -XEN_EINVAL;
		v->d->shutdown_code = reason;
		return 0;
	case SCHEDOP_remote_shutdown: return sched_remote_shutdown(v, a[1]);
	case SCHEDOP_watchdog: return sched_watchdog(v, a[1]);
	default: return -XEN_ENOSYS;
	}
}
