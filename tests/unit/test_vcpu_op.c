/*
 * vcpu_op placement of vcpu_info, state queries, up and down (hv/vcpu_op.c), sched_op
 * block and poll (hv/sched.c), hvm_op parameters and upcall vectors
 * (hv/hvm_op.c).
 */
#include <criterion/criterion.h>

#include "hv/evtchn.h"
#include "hv/shared_info.h"
#include "hv/time.h"
#include "hv_test.h"

#define ARG 0x1000ull
#define PAGE 0x5000ull

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

TestSuite(vcpu_op, .init = setup, .fini = teardown);

static long register_vcpu_info(struct vcpu *caller, unsigned id, uint64_t gfn, uint32_t off)
{
	hvt_put64(d, ARG, gfn);
	hvt_put32(d, ARG + 8, off);
	hvt_put32(d, ARG + 12, 0);
	return hvt_call(caller, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, id, ARG);
}

static long bind_ipi(uint32_t vcpu)
{
	hvt_put32(d, ARG, vcpu);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, ARG, 0), 0);
	return hvt_get32(d, ARG + 4);
}

Test(vcpu_op, register_vcpu_info_moves_it)
{
	uint64_t gpa = PAGE + 0x40;
	long port;

	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_MASK] = 1;
	cr_assert_eq(register_vcpu_info(v, 0, PAGE >> SV_PAGE_BITS, 0x40), 0);
	cr_assert_eq(hvt_get32(d, gpa) & 0xff00, 0x100, "the contents were copied (mask)");
	cr_assert_eq(hvt_get32(d, gpa) & 0xff, 1, "upcall pending: nothing lost in the move");
	cr_assert_eq(hvt_get64(d, gpa + XEN_VCPU_INFO_PENDING_SEL), ~0ull);
	cr_assert_eq(hvt_get32(d, gpa + XEN_VCPU_INFO_TIME) % 2, 0, "a pvclock there too");
	cr_assert_neq(hvt_get32(d, gpa + XEN_VCPU_INFO_TIME + XEN_VCPU_TIME_TSC_TO_SYSTEM_MUL), 0);
	/* Events now land in the new place. */
	hvt_put64(d, gpa + XEN_VCPU_INFO_PENDING_SEL, 0);
	hvt_put32(d, gpa, 0);
	port = bind_ipi(0);
	hvt_put32(d, ARG, (uint32_t)port);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG, 0), 0);
	cr_assert_eq(hvt_get64(d, gpa + XEN_VCPU_INFO_PENDING_SEL), 1);
	cr_assert_eq(hvt_get32(d, gpa) & 0xff, 1);
	cr_assert_eq(register_vcpu_info(v, 0, PAGE >> SV_PAGE_BITS, 0x80), -XEN_EINVAL,
		     "once only");
}

Test(vcpu_op, register_vcpu_info_keeps_its_page)
{
	uint64_t gfn = PAGE >> SV_PAGE_BITS;
	struct p2m_entry e;

	cr_assert(p2m_lookup(d->p2m, gfn, &e));
	cr_assert_eq(register_vcpu_info(v, 0, gfn, 0), 0);
	cr_assert_eq(hv.mem.frames[e.mfn].refs, 2, "hv holds a reference");
	cr_assert_eq(p2m_remove(d->p2m, gfn), 0);
	cr_assert(machmem_valid(&hv.mem, e.mfn), "still alive after the guest let go");
	hv_evtchn_send_virq(v, VIRQ_TIMER); /* writes nowhere harmful */
	hv_vcpu_mark_events_pending(v);
}

Test(vcpu_op, register_vcpu_info_errors)
{
	uint64_t gfn = PAGE >> SV_PAGE_BITS;

	cr_assert_eq(register_vcpu_info(v, 0, gfn, 4040), -XEN_ENXIO, "crosses the page");
	cr_assert_eq(register_vcpu_info(v, 0, gfn, 4033), -XEN_ENXIO);
	cr_assert_eq(register_vcpu_info(v, 0, gfn, 0xffffffff), -XEN_ENXIO);
	cr_assert_eq(register_vcpu_info(v, 0, gfn, 0x44), -XEN_ENXIO, "unaligned");
	cr_assert_eq(register_vcpu_info(v, 0, HVT_RAM >> SV_PAGE_BITS, 0), -XEN_EINVAL, "no RAM");
	cr_assert_eq(register_vcpu_info(v, 0, ~0ull, 0), -XEN_EINVAL);
	cr_assert_eq(register_vcpu_info(v, 1, gfn, 0), -XEN_EINVAL, "another vcpu (it is up)");
	cr_assert_eq(register_vcpu_info(v, 2, gfn, 0), -XEN_ENOENT);
	cr_assert_eq(register_vcpu_info(v, 0xffffffff, gfn, 0), -XEN_ENOENT);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, HVT_BAD),
		     -XEN_EFAULT);
	cr_assert_eq(v->vcpu_info_mfn, -1, "nothing registered");
	cr_assert_eq(register_vcpu_info(v, 0, gfn, 4032), 0, "the last slot fits");
}

static long vop(struct vcpu *caller, unsigned cmd, uint32_t id)
{
	return hvt_call(caller, __HYPERVISOR_vcpu_op, cmd, id, ARG);
}

Test(vcpu_op, up_down_and_the_last_vcpu)
{
	struct vcpu *w = d->vcpus[1];

	cr_assert_eq(vop(v, VCPUOP_is_up, 0), 1);
	cr_assert_eq(vop(v, VCPUOP_down, 1), 0);
	cr_assert_eq(vop(v, VCPUOP_is_up, 1), 0);
	cr_assert_not(hv_vcpu_runnable(w), "a down vcpu never runs");
	cr_assert_eq(vop(v, VCPUOP_get_runstate_info, 1), 0);
	cr_assert_eq(hvt_get32(d, ARG), RUNSTATE_offline);
	cr_assert_eq(vop(v, VCPUOP_down, 1), 0, "down twice: no-op");
	/* Its clock follows the running vcpu while it is down. */
	hvt_set_time(v, 70000);
	hv_domain_sync_time(d);
	cr_assert_eq(hv_time_now(w), 70000);
	cr_assert_eq(vop(v, VCPUOP_up, 1), 0);
	cr_assert_eq(vop(v, VCPUOP_is_up, 1), 1);
	cr_assert(hv_vcpu_runnable(w));
	cr_assert_eq(vop(v, VCPUOP_up, 1), 0, "up twice: no-op");
	cr_assert_eq(vop(v, VCPUOP_up, 2), -XEN_ENOENT);
	cr_assert_eq(vop(v, VCPUOP_down, 0xffffffff), -XEN_ENOENT);
	/* A vcpu may take itself down; the last one powers the domain off. */
	cr_assert_eq(vop(w, VCPUOP_down, 1), 0);
	cr_assert_not(d->shut_down);
	cr_assert_eq(vop(v, VCPUOP_down, 0), 0);
	cr_assert(d->shut_down);
	cr_assert_eq(d->shutdown_reason, HV_SHUTDOWN_POWEROFF);
}

Test(vcpu_op, an_offline_vcpu_needs_a_start_state)
{
	struct vcpu *w = d->vcpus[1];

	hv_vcpu_start_offline(w);
	cr_assert_eq(vop(v, VCPUOP_is_up, 1), 0);
	cr_assert_not(hv_vcpu_runnable(w));
	cr_assert_eq(vop(v, VCPUOP_up, 1), -XEN_EINVAL, "not initialised");
	/* The test arch has no start-state structure (as POWER): -ENOSYS. */
	cr_assert_eq(vop(v, VCPUOP_initialise, 1), -XEN_ENOSYS);
	/* Its vcpu_info may be placed by another vcpu while it is down. */
	cr_assert_eq(register_vcpu_info(v, 1, PAGE >> SV_PAGE_BITS, 0x80), 0);
	cr_assert_eq(register_vcpu_info(w, 0, PAGE >> SV_PAGE_BITS, 0), -XEN_EINVAL,
		     "but not on a vcpu that is up");
	/* Down with another vcpu up is not the last. */
	cr_assert_eq(vop(v, VCPUOP_down, 1), 0);
	cr_assert_not(d->shut_down);
}

Test(vcpu_op, queries_and_unknown_ops)
{
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0), 1);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 2, 0), -XEN_ENOENT);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, ARG), -XEN_ENOSYS);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_send_nmi, 1, 0), -XEN_ENOSYS);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, 0xffff, 0, 0), -XEN_ENOSYS);
	hvt_set_time(v, 9000);
	v->idle_ns = 1000;
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, ARG), 0);
	cr_assert_eq(hvt_get32(d, ARG), RUNSTATE_running);
	cr_assert_eq(hvt_get64(d, ARG + 16), 9000, "time running: the instructions");
	cr_assert_eq(hvt_get64(d, ARG + 16 + 16), 1000, "time blocked");
	hv_vcpu_block(d->vcpus[1], HV_BLOCK_SCHED);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, ARG), 0);
	cr_assert_eq(hvt_get32(d, ARG), RUNSTATE_blocked);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, HVT_BAD),
		     -XEN_EFAULT);
}

Test(vcpu_op, sched_block)
{
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_MASK] = 1;
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
	cr_assert_eq(hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_MASK], 0, "delivery enabled");
	cr_assert(v->blocked);
	cr_assert_not(hv_vcpu_runnable(v));
	bind_ipi(0);
	hvt_put32(d, ARG, 1);
	hvt_call(d->vcpus[1], __HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG, 0);
	cr_assert(hv_vcpu_runnable(v), "woken by the upcall");
	/* With an upcall already pending it does not block. */
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
	cr_assert_not(v->blocked);
}

Test(vcpu_op, sched_poll)
{
	long a = bind_ipi(1), b = bind_ipi(1);

	hvt_put32(d, 0x3000, (uint32_t)a);
	hvt_put32(d, 0x3004, (uint32_t)b);
	hvt_put64(d, ARG, 0x3000);
	hvt_put32(d, ARG + 8, 2);
	hvt_put64(d, ARG + 16, 0);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0), 0);
	cr_assert(v->blocked);
	cr_assert_eq(v->block, HV_BLOCK_POLL);
	cr_assert_not(hv_vcpu_runnable(v));
	hvt_put32(d, ARG + 32, (uint32_t)b);
	cr_assert_eq(
		hvt_call(d->vcpus[1], __HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG + 32, 0),
		0);
	cr_assert(hv_vcpu_runnable(v), "a polled port is pending (even for another vcpu)");
	/* Already pending: returns at once. */
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0), 0);
	cr_assert_not(v->blocked);
}

Test(vcpu_op, sched_poll_timeout)
{
	long a = bind_ipi(0);

	hvt_set_time(v, 100);
	hvt_put32(d, 0x3000, (uint32_t)a);
	hvt_put64(d, ARG, 0x3000);
	hvt_put32(d, ARG + 8, 1);
	hvt_put64(d, ARG + 16, 5000);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0), 0);
	cr_assert(v->blocked);
	hv_vcpu_block(d->vcpus[1], HV_BLOCK_SCHED);
	cr_assert(hv_domain_idle(d), "the timeout is a wake deadline");
	cr_assert_eq(hv_time_now(v), 5000);
	cr_assert(hv_vcpu_runnable(v));
}

Test(vcpu_op, sched_poll_errors)
{
	hvt_put32(d, 0x3000, 4096);
	hvt_put64(d, ARG, 0x3000);
	hvt_put32(d, ARG + 8, 1);
	hvt_put64(d, ARG + 16, 0);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0), -XEN_EINVAL);
	hvt_put32(d, ARG + 8, 129);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0), -XEN_EINVAL);
	hvt_put32(d, ARG + 8, 0xffffffff);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0), -XEN_EINVAL);
	hvt_put64(d, ARG, HVT_BAD);
	hvt_put32(d, ARG + 8, 1);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_poll, ARG, 0), -XEN_EFAULT);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_poll, HVT_BAD, 0), -XEN_EFAULT);
	cr_assert_not(v->blocked);
}

static long hvm_param(bool set, uint16_t domid, uint32_t index, uint64_t value)
{
	hvt_put16(d, ARG, domid);
	hvt_put32(d, ARG + 4, index);
	hvt_put64(d, ARG + 8, value);
	return hvt_call(v, __HYPERVISOR_hvm_op, set ? HVMOP_set_param : HVMOP_get_param, ARG, 0);
}

Test(vcpu_op, hvm_params)
{
	uint64_t cb = (2ull << 56) | 0xf3;

	cr_assert_eq(hvm_param(true, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, cb), 0);
	cr_assert_eq(hvm_param(false, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, 0), 0);
	cr_assert_eq(hvt_get64(d, ARG + 8), cb);
	cr_assert_eq(hvm_param(true, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, (2ull << 56) | 0xf),
		     -XEN_EINVAL, "vectors below 0x10");
	cr_assert_eq(hvm_param(true, DOMID_SELF, HVM_NR_PARAMS, 0), -XEN_EINVAL);
	cr_assert_eq(hvm_param(false, DOMID_SELF, 0xffffffff, 0), -XEN_EINVAL);
	cr_assert_eq(hvm_param(true, DOMID_SELF, HVM_PARAM_STORE_PFN, 5), -XEN_EPERM,
		     "the toolstack's");
	cr_assert_eq(hvm_param(false, DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, 77), 0);
	cr_assert_eq(hvt_get64(d, ARG + 8), 0);
	cr_assert_eq(hvm_param(false, 0x4444, 0, 0), -XEN_ESRCH);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_hvm_op, HVMOP_get_param, HVT_BAD, 0), -XEN_EFAULT);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_hvm_op, HVMOP_pagetable_dying, 0, 0), 0);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_hvm_op, 99, 0, 0), -XEN_ENOSYS);
}

Test(vcpu_op, upcall_vector)
{
	hvt_put32(d, ARG, 1);
	hvt_put32(d, ARG + 4, 0xe0);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0), 0);
	cr_assert_eq(d->vcpus[1]->upcall_vector, 0xe0);
	hvt_put32(d, ARG + 4, 0x0f);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0),
		     -XEN_EINVAL);
	hvt_put32(d, ARG, 2);
	hvt_put32(d, ARG + 4, 0xe0);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, ARG, 0),
		     -XEN_ENOENT);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, HVT_BAD, 0),
		     -XEN_EFAULT);
}

Test(vcpu_op, runstate_memory_area)
{
	uint64_t area = 0x6000 - 16; /* straddles a page boundary */

	hvt_set_time(v, 3000);
	hvt_put64(d, ARG, area);
	cr_assert_eq(
		hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG), 0);
	cr_assert_eq(hvt_get32(d, area), RUNSTATE_running);
	cr_assert_eq(hvt_get64(d, area + 8), 3000, "state_entry_time");
	cr_assert_eq(hvt_get64(d, area + 16), 3000, "time running");
	/* Blocking and waking update it. */
	hvt_set_time(v, 4000);
	hv_vcpu_block(v, HV_BLOCK_SCHED);
	cr_assert_eq(hvt_get32(d, area), RUNSTATE_blocked);
	cr_assert_eq(hvt_get64(d, area + 8), 4000);
	hv_vcpu_mark_events_pending(v);
	cr_assert(hv_vcpu_runnable(v));
	cr_assert_eq(hvt_get32(d, area), RUNSTATE_running);
	/* A null handle unregisters: no more updates. */
	hvt_put64(d, ARG, 0);
	cr_assert_eq(
		hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG), 0);
	hv_vcpu_block(v, HV_BLOCK_SCHED);
	cr_assert_eq(hvt_get32(d, area), RUNSTATE_running);
	hvt_put64(d, ARG, HVT_RAM - 8);
	cr_assert_eq(
		hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, ARG),
		-XEN_EFAULT);
	cr_assert_eq(
		hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, HVT_BAD),
		-XEN_EFAULT);
}

static long remote_shutdown(struct vcpu *caller, uint16_t dom, uint32_t reason)
{
	hvt_put16(caller->d, ARG, dom);
	hvt_put32(caller->d, ARG + 4, reason);
	return hvt_call(caller, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, ARG, 0);
}

Test(vcpu_op, sched_remote_shutdown)
{
	struct domain *dm = hvt_domain(&hv, 1);
	struct vcpu *vm = dm->vcpus[0];

	cr_assert_eq(remote_shutdown(vm, d->domid, HV_SHUTDOWN_POWEROFF), -XEN_EPERM,
		     "not its device model");
	dm->target = d->domid;
	cr_assert_eq(remote_shutdown(vm, 0x3333, HV_SHUTDOWN_POWEROFF), -XEN_ESRCH);
	cr_assert_eq(remote_shutdown(vm, DOMID_SELF, HV_SHUTDOWN_POWEROFF), -XEN_ESRCH);
	cr_assert_eq(remote_shutdown(vm, dm->domid, HV_SHUTDOWN_POWEROFF), -XEN_EPERM,
		     "not itself either");
	cr_assert_eq(remote_shutdown(vm, d->domid, 99), -XEN_EINVAL);
	cr_assert_eq(hvt_call(vm, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, HVT_BAD, 0),
		     -XEN_EFAULT);
	cr_assert_not(d->shut_down);
	cr_assert_eq(remote_shutdown(vm, d->domid, HV_SHUTDOWN_REBOOT), 0);
	cr_assert(d->shut_down);
	cr_assert_eq(d->shutdown_reason, HV_SHUTDOWN_REBOOT);
	cr_assert_not(dm->shut_down);
}

static long watchdog(uint32_t id, uint32_t timeout)
{
	hvt_put32(d, ARG, id);
	hvt_put32(d, ARG + 4, timeout);
	return hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_watchdog, ARG, 0);
}

Test(vcpu_op, sched_watchdog)
{
	hvt_set_time(v, 1000);
	cr_assert_eq(watchdog(0, 5), 1, "the first free timer");
	cr_assert_eq(watchdog(0, 9), 2);
	cr_assert_eq(watchdog(0, 1), -XEN_ENOSPC);
	cr_assert_eq(watchdog(3, 1), -XEN_EINVAL);
	cr_assert_eq(watchdog(2, 0), 0, "freed");
	cr_assert_eq(watchdog(2, 1), -XEN_EINVAL, "a free timer cannot be re-armed");
	cr_assert_eq(hvt_call(v, __HYPERVISOR_sched_op, SCHEDOP_watchdog, HVT_BAD, 0), -XEN_EFAULT);
	/* Re-armed (the guest's ping): 2 s from now. */
	cr_assert_eq(watchdog(1, 2), 0);
	cr_assert_eq(hv_time_watchdog_deadline(d), 1000 + 2000000000ull);
	cr_assert_eq(hv_time_next_event(v), 1000 + 2000000000ull, "the run driver stops there");
	/* Every vcpu blocked with nothing else to wait for: time jumps to the
	 * watchdog, which shuts the domain down. */
	hv_vcpu_block(v, HV_BLOCK_SCHED);
	hv_vcpu_block(d->vcpus[1], HV_BLOCK_SCHED);
	cr_assert(hv_domain_idle(d));
	cr_assert(d->shut_down);
	cr_assert_eq(d->shutdown_reason, HV_SHUTDOWN_WATCHDOG);
	cr_assert_eq(hv_time_watchdog_deadline(d), HV_TIME_NONE);
}

Test(vcpu_op, send_nmi_needs_an_arch_nmi)
{
	/* The toy arch has none (as Xen on Arm): -ENOSYS whatever the arg. */
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_send_nmi, 1, 0), -XEN_ENOSYS);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_vcpu_op, VCPUOP_send_nmi, 1, ARG), -XEN_ENOSYS);
}
