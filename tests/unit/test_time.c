/*
 * Time (hv/time.c, hv/sched.c): the conversion, the pvclock and its version
 * protocol, the wall clock, singleshot and periodic timers firing VIRQ_TIMER,
 * the run driver's deadlines and the idle jump of virtual time.
 */
#include <criterion/criterion.h>

#include "hv/evtchn.h"
#include "hv/shared_info.h"
#include "hv/time.h"
#include "hv_test.h"

#define ARG 0x1000ull

static struct hv hv;
static struct domain *d;
static struct vcpu *v;

static void setup(void)
{
	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
	d = hvt_domain(&hv, 2);
	v = d->vcpus[0];
}

static void teardown(void)
{
	hv_destroy(&hv);
}

TestSuite(time, .init = setup, .fini = teardown);

static long bind_timer(struct vcpu *t)
{
	hvt_put32(d, ARG, VIRQ_TIMER);
	hvt_put32(d, ARG + 4, t->id);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, ARG, 0), 0);
	return hvt_get32(d, ARG + 8);
}

static long singleshot(struct vcpu *t, uint64_t when, uint32_t flags)
{
	hvt_put64(d, ARG, when);
	hvt_put32(d, ARG + 8, flags);
	return hvt_call(t, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, t->id, ARG);
}

static uint8_t *time_info(struct vcpu *t)
{
	return hv_vcpu_info(t) + XEN_VCPU_INFO_TIME;
}

/* The guest's computation: system_time + ((tsc - tsc_timestamp) << shift) * mul >> 32. */
static uint64_t pvclock_ns(const uint8_t *t, uint64_t tsc)
{
	uint64_t delta = tsc - ld64_le_p(t + XEN_VCPU_TIME_TSC_TIMESTAMP);
	int8_t shift = (int8_t)t[XEN_VCPU_TIME_TSC_SHIFT];
	uint32_t mul = (uint32_t)ld32_le_p(t + XEN_VCPU_TIME_TSC_TO_SYSTEM_MUL);

	delta = shift >= 0 ? delta << shift : delta >> -shift;
	return ld64_le_p(t + XEN_VCPU_TIME_SYSTEM_TIME) +
	       (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

Test(time, one_instruction_is_one_ns)
{
	cr_assert_eq(hv_time_insns_to_ns(12345), 12345);
	cr_assert_eq(hv_time_ns_to_insns(12345), 12345);
	hvt_set_time(v, 777);
	cr_assert_eq(hv_time_now(v), 777);
}

Test(time, pvclock_scale)
{
	static const uint64_t khz[] = { 1000000, 2500000, 100000, 3333333, 1 };
	uint32_t mul;
	int8_t shift;

	hv_time_pvclock_scale(1000000, &mul, &shift);
	cr_assert_eq(mul, 0x80000000u);
	cr_assert_eq(shift, 1);
	for (unsigned i = 0; i < G_N_ELEMENTS(khz); i++) {
		uint64_t ticks = khz[i] * 1000; /* one second */
		uint64_t ns;
		hv_time_pvclock_scale(khz[i], &mul, &shift);
		cr_assert_geq(mul, 0x80000000u, "normalized");
		ns = (uint64_t)(((unsigned __int128)(shift >= 0 ? ticks << shift :
								  ticks >> -shift) *
				 mul) >>
				32);
		cr_assert(ns <= 1000000000 && ns >= 999999000, "%u kHz: %lu ns", (unsigned)khz[i],
			  (unsigned long)ns);
	}
}

Test(time, pvclock_from_the_start_and_after_updates)
{
	uint8_t *t = time_info(v);
	uint32_t ver = (uint32_t)ld32_le_p(t);

	cr_assert_eq(ver % 2, 0, "even: consistent");
	cr_assert_neq(ver, 0, "written at vcpu creation");
	cr_assert_eq(pvclock_ns(t, 0), 0);
	hvt_set_time(v, 5000000);
	cr_assert_eq(pvclock_ns(t, 5000000), 5000000, "linear: valid without an update");
	hv_time_update_vcpu(v);
	cr_assert_eq(ld32_le_p(t), ver + 2);
	cr_assert_eq(ld64_le_p(t + XEN_VCPU_TIME_SYSTEM_TIME), 5000000);
	cr_assert_eq(ld64_le_p(t + XEN_VCPU_TIME_TSC_TIMESTAMP), 5000000);
	cr_assert_eq(pvclock_ns(t, 5000123), 5000123);
	cr_assert_eq(t[XEN_VCPU_TIME_FLAGS], 0, "no TSC_STABLE: vcpu counters are not in step");
}

Test(time, wallclock_is_the_fixed_epoch)
{
	uint8_t *s = hv_shared_info(d);

	cr_assert_eq(ld32_le_p(s + XEN_SHARED_INFO_WC_SEC), 1704067200u);
	cr_assert_eq(ld32_le_p(s + XEN_SHARED_INFO_WC_NSEC), 0);
	cr_assert_eq(ld32_le_p(s + XEN_SHARED_INFO_WC_SEC_HI), 0);
	cr_assert_eq(ld32_le_p(s + XEN_SHARED_INFO_WC_VERSION) % 2, 0);
}

Test(time, big_endian_time_info)
{
	d->big_endian = true;
	hvt_set_time(v, 0x1122334455ull);
	hv_time_update_vcpu(v);
	cr_assert_eq(ld64_be_p(time_info(v) + XEN_VCPU_TIME_SYSTEM_TIME), 0x1122334455ull);
	cr_assert_eq(ld32_be_p(time_info(v) + XEN_VCPU_TIME_TSC_TO_SYSTEM_MUL), 0x80000000u);
}

Test(time, singleshot_fires_virq_timer_at_its_deadline)
{
	long port = bind_timer(v);

	hvt_set_time(v, 1000);
	cr_assert_eq(singleshot(v, 3000, VCPU_SSHOTTMR_future), 0);
	cr_assert_eq(hv_time_next_deadline(v), 3000);
	hvt_set_time(v, 2999);
	hv_time_fire(v);
	cr_assert_not(hv_evtchn_port_pending(d, (uint32_t)port));
	hvt_set_time(v, 3000);
	hv_time_fire(v);
	cr_assert(hv_evtchn_port_pending(d, (uint32_t)port));
	cr_assert(hv_vcpu_upcall_pending(v));
	cr_assert_eq(hv_time_next_deadline(v), HV_TIME_NONE, "one shot");
	cr_assert_eq(ld64_le_p(time_info(v) + XEN_VCPU_TIME_SYSTEM_TIME), 3000,
		     "the pvclock is refreshed at the event");
}

Test(time, singleshot_rules)
{
	hvt_set_time(v, 1000);
	cr_assert_eq(singleshot(v, 999, VCPU_SSHOTTMR_future), -XEN_ETIME);
	cr_assert_eq(hv_time_next_deadline(v), HV_TIME_NONE);
	cr_assert_eq(singleshot(v, 999, 0), 0, "without the flag: fires at once");
	hv_time_fire(v);
	cr_assert_eq(hv_time_next_deadline(v), HV_TIME_NONE);
	/* Only on the calling vcpu. */
	hvt_put64(d, ARG, 5000);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 1, ARG),
		     -XEN_EINVAL);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 1, 0),
		     -XEN_EINVAL);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, HVT_BAD),
		     -XEN_EFAULT);
	cr_assert_eq(singleshot(v, 5000, 0), 0);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 0, 0), 0);
	cr_assert_eq(hv_time_next_deadline(v), HV_TIME_NONE);
}

Test(time, set_timer_op)
{
	cr_assert_eq(hvt_call(v, __HYPERVISOR_set_timer_op, 4242, 0, 0), 0);
	cr_assert_eq(hv_time_next_deadline(v), 4242);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_set_timer_op, 0, 0, 0), 0, "0 stops it");
	cr_assert_eq(hv_time_next_deadline(v), HV_TIME_NONE);
}

Test(time, periodic_timer)
{
	long port = bind_timer(v);

	hvt_put64(d, ARG, 999999);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, ARG),
		     -XEN_EINVAL, "under 1 ms");
	hvt_put64(d, ARG, 1ull << 63);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, ARG),
		     -XEN_EINVAL, "over STIME_DELTA_MAX");
	hvt_put64(d, ARG, 1000000);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, ARG), 0);
	cr_assert_eq(hv_time_next_deadline(v), 1000000);
	for (unsigned i = 1; i <= 3; i++) {
		d->evtchn_ops->clear_pending(d, (uint32_t)port);
		hvt_set_time(v, i * 1000000);
		hv_time_fire(v);
		cr_assert(hv_evtchn_port_pending(d, (uint32_t)port), "period %u", i);
		cr_assert_eq(hv_time_next_deadline(v), (i + 1) * 1000000);
	}
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0), 0);
	cr_assert_eq(hv_time_next_deadline(v), HV_TIME_NONE);
}

Test(time, prepare_run_stops_at_the_deadline)
{
	hvt_set_time(v, 100);
	cr_assert_eq(hv_vcpu_prepare_run(v, 200000), 200000);
	cr_assert_eq(v->cpu->icount_deadline, UINT64_MAX);
	singleshot(v, 600, 0);
	cr_assert_eq(hv_vcpu_prepare_run(v, 200000), 500);
	cr_assert_eq(v->cpu->icount_deadline, 600);
	cr_assert_eq(hv_vcpu_prepare_run(v, 50), 50, "the quantum if sooner");
}

Test(time, idle_jumps_to_the_wake_deadline)
{
	long port = bind_timer(v);

	hvt_set_time(v, 1000);
	singleshot(v, 50000, 0);
	hv_vcpu_block(v, HV_BLOCK_SCHED);
	hv_vcpu_block(d->vcpus[1], HV_BLOCK_SCHED);
	cr_assert_not(hv_vcpu_runnable(v));
	cr_assert(hv_domain_idle(d));
	cr_assert_eq(hv_time_now(v), 50000);
	cr_assert_eq(hv_time_now(d->vcpus[1]), 50000, "time passes for every vcpu");
	cr_assert_eq(v->idle_ns, 49000);
	cr_assert(hv_evtchn_port_pending(d, (uint32_t)port));
	cr_assert(hv_vcpu_runnable(v), "woken by the timer's upcall");
	cr_assert_not(hv_vcpu_runnable(d->vcpus[1]));
	/* Now nothing can wake vcpu 1: a deadlock. */
	hv_vcpu_block(v, HV_BLOCK_SCHED);
	v->d->evtchn_ops->clear_pending(d, (uint32_t)port);
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_PENDING] = 0;
	cr_assert_not(hv_domain_idle(d));
}

Test(time, idle_time_is_a_clock_offset_not_instructions)
{
	bind_timer(v);
	hvt_set_time(v, 1000);
	singleshot(v, 50000, 0);
	hv_vcpu_block(v, HV_BLOCK_SCHED);
	hv_vcpu_block(d->vcpus[1], HV_BLOCK_SCHED);
	cr_assert(hv_domain_idle(d));
	cr_assert_eq(cpu_icount(v->cpu), 1000, "icount = instructions retired");
	cr_assert_eq(cpu_icount(d->vcpus[1]->cpu), 0);
	cr_assert_eq(hv_time_now(v), 50000);
	/* The pvclock's counter moved with the clock (toy arch: no TSC of its
	 * own, so instructions plus skipped time). */
	cr_assert_eq(hv_shared_u64(d, hv_vcpu_info(v) + XEN_VCPU_INFO_TIME +
					      XEN_VCPU_TIME_TSC_TIMESTAMP),
		     50000);
	cr_assert_eq(
		hv_shared_u64(d, hv_vcpu_info(v) + XEN_VCPU_INFO_TIME + XEN_VCPU_TIME_SYSTEM_TIME),
		50000);
	/* A deadline in system time becomes an instruction count. */
	singleshot(v, 60000, 0);
	cr_assert(hv_vcpu_runnable(v));
	cr_assert_eq(hv_vcpu_prepare_run(v, 200000), 10000);
	cr_assert_eq(v->cpu->icount_deadline, 11000);
}

Test(time, a_timer_without_virq_cannot_wake)
{
	singleshot(v, 50000, 0);
	hv_vcpu_block(v, HV_BLOCK_SCHED);
	hv_vcpu_block(d->vcpus[1], HV_BLOCK_SCHED);
	cr_assert_not(hv_domain_idle(d), "VIRQ_TIMER unbound: the timer wakes nobody");
}

Test(time, sync_time_follows_the_running_vcpu)
{
	struct vcpu *w = d->vcpus[1];

	bind_timer(w);
	hvt_put64(d, ARG, 7000);
	hvt_put32(d, ARG + 8, 0);
	cr_assert_eq(hvt_call(w, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 1, ARG), 0);
	hv_vcpu_block(w, HV_BLOCK_SCHED);
	hvt_set_time(v, 5000);
	hv_domain_sync_time(d);
	cr_assert_eq(hv_time_now(w), 5000);
	hvt_set_time(v, 9000);
	hv_domain_sync_time(d);
	cr_assert_eq(hv_time_now(w), 7000, "not past its own deadline");
	cr_assert(hv_vcpu_runnable(w));
}

Test(time, register_vcpu_time_memory_area)
{
	uint64_t area = 0x3ff0; /* straddles a page boundary */

	hvt_set_time(v, 4444);
	hvt_put64(d, ARG, area);
	cr_assert_eq(
		hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, 0, ARG),
		0);
	cr_assert_eq(hvt_get64(d, area + XEN_VCPU_TIME_SYSTEM_TIME), 4444);
	cr_assert_eq(hvt_get32(d, area + XEN_VCPU_TIME_TSC_TO_SYSTEM_MUL), 0x80000000u);
	cr_assert_eq(hvt_get32(d, area) % 2, 0);
	hvt_set_time(v, 5555);
	hv_time_update_vcpu(v);
	cr_assert_eq(hvt_get64(d, area + XEN_VCPU_TIME_SYSTEM_TIME), 5555);
	hvt_put64(d, ARG, HVT_RAM - 8);
	cr_assert_eq(
		hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, 0, ARG),
		-XEN_EFAULT, "its second page is not RAM");
	hvt_put64(d, ARG, HVT_BAD);
	cr_assert_eq(
		hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, 0, ARG),
		-XEN_EFAULT);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, 0,
			      HVT_BAD),
		     -XEN_EFAULT);
}
