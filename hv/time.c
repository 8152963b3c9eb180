/*
 * System time from virtual time, the pvclock, the wall clock and the vcpu
 * timers (see hv/time.h for the model and a worked example).
 */
#include "hv/time.h"
#include "hv/evtchn.h"
#include "hv/hypercall.h"
#include "hv/shared_info.h"

uint64_t hv_time_insns_to_ns(uint64_t insns)
{
	/* HV_TIME_TSC_KHZ ticks per ms, one tick per instruction: 1 ns each. */
	return insns * (1000000ull / HV_TIME_TSC_KHZ);
}

uint64_t hv_time_ns_to_insns(uint64_t ns)
{
	return ns / (1000000ull / HV_TIME_TSC_KHZ);
}

uint64_t hv_time_now(struct vcpu *v)
{
	return hv_time_insns_to_ns(cpu_icount(v->cpu)) + v->idle_ns;
}

void hv_time_advance(struct vcpu *v, uint64_t ns)
{
	uint64_t now = hv_time_now(v);

	if (ns <= now || v->cpu->in_tb)
		return;
	/* The instruction count stays what was retired; the clock and the
	 * guest's counters skip ahead. */
	v->idle_ns += ns - now;
	if (v->arch->time_skip)
		v->arch->time_skip(v, hv_time_ns_to_insns(ns - now));
}

uint64_t hv_time_ns_to_icount(struct vcpu *v, uint64_t ns)
{
	return ns <= v->idle_ns ? 0 : hv_time_ns_to_insns(ns - v->idle_ns);
}

void hv_time_pvclock_scale(uint64_t tsc_khz, uint32_t *mul, int8_t *shift)
{
	/* ns per tick = num / den; bring it into [0.5, 1) by shifting, then
	 * mul is that fraction in 32-bit fixed point. */
	uint64_t num = 1000000, den = tsc_khz ? tsc_khz : 1;
	int s = 0;

	while (num >= den && s < 31) {
		den <<= 1;
		s++;
	}
	while (num * 2 < den && s > -31) {
		num <<= 1;
		s--;
	}
	*mul = (uint32_t)(((unsigned __int128)num << 32) / den);
	*shift = (int8_t)s;
}

static uint64_t hv_time_guest_tsc(struct vcpu *v)
{
	return v->arch->guest_tsc ? v->arch->guest_tsc(v) :
				    cpu_icount(v->cpu) + hv_time_ns_to_insns(v->idle_ns);
}

/* Fill a struct vcpu_time_info (32 bytes) with version ver. */
static void hv_time_fill(struct vcpu *v, uint8_t *t, uint32_t ver)
{
	struct domain *d = v->d;
	uint32_t mul;
	int8_t shift;

	hv_time_pvclock_scale(HV_TIME_TSC_KHZ, &mul, &shift);
	memset(t, 0, XEN_VCPU_TIME_INFO_SIZE);
	hv_shared_put_u32(d, t + XEN_VCPU_TIME_VERSION, ver);
	hv_shared_put_u64(d, t + XEN_VCPU_TIME_TSC_TIMESTAMP, hv_time_guest_tsc(v));
	hv_shared_put_u64(d, t + XEN_VCPU_TIME_SYSTEM_TIME, hv_time_now(v));
	hv_shared_put_u32(d, t + XEN_VCPU_TIME_TSC_TO_SYSTEM_MUL, mul);
	t[XEN_VCPU_TIME_TSC_SHIFT] = (uint8_t)shift;
	/* No XEN_PVCLOCK_TSC_STABLE_BIT: each vcpu's counter is its own
	 * instruction count, so counters of two vcpus are not in step. */
	t[XEN_VCPU_TIME_FLAGS] = 0;
}

/*
 * The version protocol (public/xen.h, vcpu_time_info): version is made odd
 * before the fields change and even after, so a reader that saw the same
 * even version before and after its reads has a consistent copy.
 */
void hv_time_update_vcpu(struct vcpu *v)
{
	struct domain *d = v->d;
	uint8_t *vi = hv_vcpu_info(v);
	uint8_t buf[XEN_VCPU_TIME_INFO_SIZE];

	if (vi) {
		uint8_t *t = vi + XEN_VCPU_INFO_TIME;
		uint32_t odd = hv_shared_u32(d, t + XEN_VCPU_TIME_VERSION) | 1;

		hv_shared_put_u32(d, t + XEN_VCPU_TIME_VERSION, odd);
		hv_time_fill(v, buf, odd);
		memcpy(t + 4, buf + 4, sizeof(buf) - 4);
		hv_shared_put_u32(d, t + XEN_VCPU_TIME_VERSION, odd + 1);
	}
	if (v->time_area.on) {
		/* The guest's own copy (VCPUOP_register_vcpu_time_memory_area).
		 * A copy that fails (the guest unmapped it) is dropped, as Xen
		 * does. */
		uint8_t cur[4];

		if (hv_guest_area_read(d, &v->time_area, cur, sizeof(cur)) < 0)
			return;
		hv_time_fill(v, buf, (hv_shared_u32(d, cur) | 1) + 1);
		hv_guest_area_write(d, &v->time_area, buf, sizeof(buf));
	}
}

void hv_time_write_wallclock(struct domain *d)
{
	uint8_t *s = hv_shared_info(d);
	uint32_t ver = hv_shared_u32(d, s + XEN_SHARED_INFO_WC_VERSION);

	/* A fresh page has version 0; keep it even across the update. */
	hv_shared_put_u32(d, s + XEN_SHARED_INFO_WC_VERSION, ver | 1);
	hv_shared_put_u32(d, s + XEN_SHARED_INFO_WC_SEC, (uint32_t)HV_TIME_WALLCLOCK_EPOCH);
	hv_shared_put_u32(d, s + XEN_SHARED_INFO_WC_NSEC, 0);
	hv_shared_put_u32(d, s + XEN_SHARED_INFO_WC_SEC_HI,
			  (uint32_t)(HV_TIME_WALLCLOCK_EPOCH >> 32));
	hv_shared_put_u32(d, s + XEN_SHARED_INFO_WC_VERSION, (ver | 1) + 1);
}

void hv_time_set_singleshot(struct vcpu *v, uint64_t abs_ns)
{
	v->singleshot_ns = abs_ns;
}

void hv_time_set_periodic(struct vcpu *v, uint64_t period_ns)
{
	v->periodic_period_ns = period_ns;
	v->periodic_next_ns = period_ns ? hv_time_now(v) + period_ns : HV_TIME_NONE;
}

void hv_time_fire(struct vcpu *v)
{
	uint64_t now = hv_time_now(v);
	bool fired = false;

	if (v->singleshot_ns != HV_TIME_NONE && v->singleshot_ns <= now) {
		v->singleshot_ns = HV_TIME_NONE;
		fired = true;
	}
	if (v->periodic_period_ns && v->periodic_next_ns <= now) {
		/* Missed periods are not replayed: the next one is a period
		 * from now. */
		v->periodic_next_ns = now + v->periodic_period_ns;
		fired = true;
	}
	if (fired) {
		hv_time_update_vcpu(v);
		hv_evtchn_send_virq(v, VIRQ_TIMER);
	}
	if (v->arch->timer_fire)
		v->arch->timer_fire(v);
	for (unsigned i = 0; i < HV_NR_WATCHDOGS; i++)
		if (v->d->watchdog_ns[i] <= now) {
			v->d->watchdog_ns[i] = HV_TIME_NONE;
			hv_trace(v, TRACE_HYPERCALLS, "SCHED watchdog %u expired", i + 1);
			hv_domain_shutdown(v->d, HV_SHUTDOWN_WATCHDOG);
		}
}

uint64_t hv_time_watchdog_deadline(struct domain *d)
{
	uint64_t t = HV_TIME_NONE;

	for (unsigned i = 0; i < HV_NR_WATCHDOGS; i++)
		if (d->watchdog_ns[i] < t)
			t = d->watchdog_ns[i];
	return t;
}

uint64_t hv_time_next_deadline(struct vcpu *v)
{
	uint64_t t = v->singleshot_ns;

	if (v->periodic_period_ns && v->periodic_next_ns < t)
		t = v->periodic_next_ns;
	return t;
}

uint64_t hv_time_next_event(struct vcpu *v)
{
	uint64_t t = hv_time_next_deadline(v), a;

	if (v->arch->timer_deadline && (a = v->arch->timer_deadline(v)) < t)
		t = a;
	if ((a = hv_time_watchdog_deadline(v->d)) < t)
		t = a;
	return t;
}

/*
 * set_timer_op(timeout): the singleshot timer at absolute system time
 * timeout (ns), 0 to stop it. Never -ETIME: a timeout in the past fires at
 * once.
 */
long do_set_timer_op(struct vcpu *v, const uint64_t a[6])
{
	hv_time_set_singleshot(v, a[0] ? a[0] : HV_TIME_NONE);
	return 0;
}
