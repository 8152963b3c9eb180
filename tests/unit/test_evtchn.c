/*
 * Event channels (hv/evtchn.c): every sub-op of event_channel_op and its
 * error paths, the 2-level bits in shared_info and vcpu_info, VIRQs, and an
 * interdomain channel between two domains of one hv.
 */
#include <criterion/criterion.h>

#include "hv/evtchn.h"
#include "hv/shared_info.h"
#include "hv_test.h"

#define ARG 0x1000ull

static struct hv hv;
static struct domain *d;

static void setup(void)
{
	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
	d = hvt_domain(&hv, 2);
}

static void teardown(void)
{
	hv_destroy(&hv);
}

TestSuite(evtchn, .init = setup, .fini = teardown);

static long evop(struct vcpu *v, unsigned cmd)
{
	return hvt_call(v, __HYPERVISOR_event_channel_op, cmd, ARG, 0);
}

/* EVTCHNOP_bind_virq on vcpu v0 of dom: the port, or the error. */
static long bind_virq(struct domain *dom, uint32_t virq, uint32_t vcpu)
{
	long rc;

	hvt_put32(dom, ARG, virq);
	hvt_put32(dom, ARG + 4, vcpu);
	hvt_put32(dom, ARG + 8, 0xdeadbeef);
	rc = evop(dom->vcpus[0], EVTCHNOP_bind_virq);
	return rc < 0 ? rc : hvt_get32(dom, ARG + 8);
}

static long port_op(struct domain *dom, unsigned cmd, uint32_t port)
{
	hvt_put32(dom, ARG, port);
	return evop(dom->vcpus[0], cmd);
}

static long alloc_unbound(struct domain *dom, uint16_t self, uint16_t remote)
{
	long rc;

	hvt_put16(dom, ARG, self);
	hvt_put16(dom, ARG + 2, remote);
	rc = evop(dom->vcpus[0], EVTCHNOP_alloc_unbound);
	return rc < 0 ? rc : hvt_get32(dom, ARG + 4);
}

static long bind_interdomain(struct domain *dom, uint16_t rdom, uint32_t rport)
{
	long rc;

	hvt_put16(dom, ARG, rdom);
	hvt_put32(dom, ARG + 4, rport);
	rc = evop(dom->vcpus[0], EVTCHNOP_bind_interdomain);
	return rc < 0 ? rc : hvt_get32(dom, ARG + 8);
}

static long bind_ipi(struct domain *dom, uint32_t vcpu)
{
	long rc;

	hvt_put32(dom, ARG, vcpu);
	rc = evop(dom->vcpus[0], EVTCHNOP_bind_ipi);
	return rc < 0 ? rc : hvt_get32(dom, ARG + 4);
}

/* EVTCHNOP_status: the status, *vcpu and the first union word. */
static long status(struct domain *dom, uint16_t self, uint32_t port, uint32_t *vcpu, uint32_t *u0)
{
	long rc;

	hvt_put16(dom, ARG, self);
	hvt_put32(dom, ARG + 4, port);
	rc = evop(dom->vcpus[0], EVTCHNOP_status);
	if (rc < 0)
		return rc;
	if (vcpu)
		*vcpu = hvt_get32(dom, ARG + 12);
	if (u0)
		*u0 = hvt_get32(dom, ARG + 16);
	return hvt_get32(dom, ARG + 8);
}

static bool shared_bit(struct domain *dom, unsigned base, uint32_t port)
{
	uint64_t w = hv_shared_u64(dom, hv_shared_info(dom) + base + (port / 64) * 8);
	return (w >> (port % 64)) & 1;
}

static uint64_t sel(struct vcpu *v)
{
	return hv_shared_u64(v->d, hv_vcpu_info(v) + XEN_VCPU_INFO_PENDING_SEL);
}

static void set_mask(struct domain *dom, uint32_t port, bool on)
{
	uint8_t *w = hv_shared_info(dom) + XEN_SHARED_INFO_EVTCHN_MASK + (port / 64) * 8;
	uint64_t x = hv_shared_u64(dom, w);
	hv_shared_put_u64(dom, w, on ? x | (1ull << (port % 64)) : x & ~(1ull << (port % 64)));
}

Test(evtchn, bind_virq_timer_and_its_errors)
{
	long p = bind_virq(d, VIRQ_TIMER, 0);

	cr_assert_eq(p, 1, "port 0 is reserved: the first port is 1");
	cr_assert_eq(d->vcpus[0]->virq_to_port[VIRQ_TIMER], 1);
	cr_assert_eq(bind_virq(d, VIRQ_TIMER, 0), -XEN_EEXIST, "per-vcpu VIRQ bound twice");
	cr_assert_eq(bind_virq(d, VIRQ_TIMER, 1), 2, "but once per vcpu");
	cr_assert_eq(bind_virq(d, NR_VIRQS, 0), -XEN_EINVAL);
	cr_assert_eq(bind_virq(d, 0xffffffff, 0), -XEN_EINVAL);
	cr_assert_eq(bind_virq(d, VIRQ_CONSOLE, 1), -XEN_EINVAL, "global VIRQs on vcpu 0");
	cr_assert_eq(bind_virq(d, VIRQ_TIMER, 2), -XEN_ENOENT, "no vcpu 2");
	cr_assert_eq(bind_virq(d, VIRQ_DEBUG, 0xffffffff), -XEN_ENOENT);
	cr_assert_eq(bind_virq(d, VIRQ_CONSOLE, 0), 3);
	cr_assert_eq(bind_virq(d, VIRQ_CONSOLE, 0), -XEN_EEXIST);
	cr_assert_eq(hvt_call(d->vcpus[0], __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq,
			      HVT_BAD, 0),
		     -XEN_EFAULT);
}

Test(evtchn, virq_sets_pending_selector_and_upcall)
{
	struct vcpu *v = d->vcpus[0];
	long p = bind_virq(d, VIRQ_TIMER, 0);

	cr_assert_not(hv_vcpu_upcall_pending(v));
	hv_evtchn_send_virq(v, VIRQ_TIMER);
	cr_assert(shared_bit(d, XEN_SHARED_INFO_EVTCHN_PENDING, (uint32_t)p));
	cr_assert_eq(sel(v), 1, "word 0 of the selector");
	cr_assert(hv_vcpu_upcall_pending(v));
	cr_assert(v->upcall_latched);
	cr_assert_not(hv_vcpu_upcall_pending(d->vcpus[1]), "only the bound vcpu");
	/* Unbound VIRQs go nowhere. */
	hv_evtchn_send_virq(d->vcpus[1], VIRQ_TIMER);
	cr_assert_eq(sel(d->vcpus[1]), 0);
	/* Global VIRQ. */
	cr_assert_eq(bind_virq(d, VIRQ_DOM_EXC, 0), 2);
	hv_evtchn_send_global_virq(d, VIRQ_DOM_EXC);
	cr_assert(shared_bit(d, XEN_SHARED_INFO_EVTCHN_PENDING, 2));
}

Test(evtchn, two_level_bit_positions_for_port_70)
{
	struct vcpu *v = d->vcpus[0];

	for (uint32_t i = 1; i <= 70; i++)
		cr_assert_eq(bind_ipi(d, 0), i);
	cr_assert_eq(port_op(d, EVTCHNOP_send, 70), 0);
	/* Port 70: bit 6 of evtchn_pending[1], bit 1 of the selector. */
	cr_assert_eq(hv_shared_u64(d, hv_shared_info(d) + XEN_SHARED_INFO_EVTCHN_PENDING + 8),
		     1ull << 6);
	cr_assert_eq(sel(v), 2);
	cr_assert_eq(hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_PENDING], 1);
}

Test(evtchn, big_endian_guest_words)
{
	d->big_endian = true;
	cr_assert_eq(bind_ipi(d, 0), 1);
	cr_assert_eq(port_op(d, EVTCHNOP_send, 1), 0);
	/* Bit 1 of a big-endian 64-bit word: its last byte. */
	cr_assert_eq(hv_shared_info(d)[XEN_SHARED_INFO_EVTCHN_PENDING + 7], 2);
	cr_assert_eq(hv_vcpu_info(d->vcpus[0])[XEN_VCPU_INFO_PENDING_SEL + 7], 1);
}

Test(evtchn, send_rules)
{
	long ipi = bind_ipi(d, 1);
	long unb = alloc_unbound(d, DOMID_SELF, DOMID_SELF);
	long virq = bind_virq(d, VIRQ_TIMER, 0);

	cr_assert_eq(ipi, 1);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)ipi), 0);
	cr_assert(shared_bit(d, XEN_SHARED_INFO_EVTCHN_PENDING, 1));
	cr_assert(hv_vcpu_upcall_pending(d->vcpus[1]), "an IPI goes to its vcpu");
	cr_assert_not(hv_vcpu_upcall_pending(d->vcpus[0]));
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)unb), 0, "unbound: dropped");
	cr_assert_not(shared_bit(d, XEN_SHARED_INFO_EVTCHN_PENDING, (uint32_t)unb));
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)virq), -XEN_EINVAL);
	cr_assert_eq(port_op(d, EVTCHNOP_send, 0), -XEN_EINVAL);
	cr_assert_eq(port_op(d, EVTCHNOP_send, 4095), -XEN_EINVAL, "closed");
	cr_assert_eq(port_op(d, EVTCHNOP_send, 4096), -XEN_EINVAL);
	cr_assert_eq(port_op(d, EVTCHNOP_send, 0xffffffff), -XEN_EINVAL);
	cr_assert_eq(
		hvt_call(d->vcpus[0], __HYPERVISOR_event_channel_op, EVTCHNOP_send, HVT_BAD, 0),
		-XEN_EFAULT);
}

Test(evtchn, masked_port_waits_for_unmask)
{
	struct vcpu *v = d->vcpus[0];
	long p = bind_ipi(d, 0);

	set_mask(d, (uint32_t)p, true);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p), 0);
	cr_assert(shared_bit(d, XEN_SHARED_INFO_EVTCHN_PENDING, (uint32_t)p));
	cr_assert_eq(sel(v), 0, "masked: no selector bit");
	cr_assert_not(hv_vcpu_upcall_pending(v));
	cr_assert_eq(port_op(d, EVTCHNOP_unmask, (uint32_t)p), 0);
	cr_assert_not(shared_bit(d, XEN_SHARED_INFO_EVTCHN_MASK, (uint32_t)p));
	cr_assert_eq(sel(v), 1);
	cr_assert(hv_vcpu_upcall_pending(v));
	cr_assert_eq(port_op(d, EVTCHNOP_unmask, 4096), -XEN_EINVAL);
	cr_assert_eq(port_op(d, EVTCHNOP_unmask, 0), -XEN_EINVAL);
	cr_assert_eq(port_op(d, EVTCHNOP_unmask, 77), 0, "a closed port in range");
}

Test(evtchn, close_rules)
{
	long p = bind_virq(d, VIRQ_TIMER, 0);

	cr_assert_eq(port_op(d, EVTCHNOP_close, 0), -XEN_EINVAL, "reserved");
	cr_assert_eq(port_op(d, EVTCHNOP_close, 9), -XEN_EINVAL, "closed");
	cr_assert_eq(port_op(d, EVTCHNOP_close, 0x7fffffff), -XEN_EINVAL);
	hv_evtchn_send_virq(d->vcpus[0], VIRQ_TIMER);
	cr_assert_eq(port_op(d, EVTCHNOP_close, (uint32_t)p), 0);
	cr_assert_not(shared_bit(d, XEN_SHARED_INFO_EVTCHN_PENDING, (uint32_t)p),
		      "closing clears pending");
	cr_assert_eq(d->vcpus[0]->virq_to_port[VIRQ_TIMER], 0);
	cr_assert_eq(port_op(d, EVTCHNOP_close, (uint32_t)p), -XEN_EINVAL, "twice");
	cr_assert_eq(bind_virq(d, VIRQ_TIMER, 0), p, "the VIRQ and the port are free again");
}

Test(evtchn, status_of_each_kind)
{
	uint32_t vcpu, u0;
	long ipi = bind_ipi(d, 1), virq = bind_virq(d, VIRQ_CONSOLE, 0);
	long unb = alloc_unbound(d, DOMID_SELF, 42);

	cr_assert_eq(status(d, DOMID_SELF, (uint32_t)ipi, &vcpu, NULL), EVTCHNSTAT_ipi);
	cr_assert_eq(vcpu, 1);
	cr_assert_eq(status(d, d->domid, (uint32_t)virq, &vcpu, &u0), EVTCHNSTAT_virq);
	cr_assert_eq(u0, VIRQ_CONSOLE);
	cr_assert_eq(status(d, DOMID_SELF, (uint32_t)unb, NULL, &u0), EVTCHNSTAT_unbound);
	cr_assert_eq(u0 & 0xffff, 42);
	cr_assert_eq(status(d, DOMID_SELF, 0, NULL, NULL), EVTCHNSTAT_closed);
	cr_assert_eq(status(d, DOMID_SELF, 4095, NULL, NULL), EVTCHNSTAT_closed);
	cr_assert_eq(status(d, DOMID_SELF, 4096, NULL, NULL), -XEN_EINVAL);
	cr_assert_eq(status(d, 999, 1, NULL, NULL), -XEN_ESRCH);
}

Test(evtchn, bind_vcpu_rules)
{
	long ipi = bind_ipi(d, 0), timer = bind_virq(d, VIRQ_TIMER, 0);
	long con = bind_virq(d, VIRQ_CONSOLE, 0), unb = alloc_unbound(d, DOMID_SELF, DOMID_SELF);

	hvt_put32(d, ARG + 4, 1);
	hvt_put32(d, ARG, (uint32_t)ipi);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_bind_vcpu), -XEN_EINVAL, "IPIs stay");
	hvt_put32(d, ARG, (uint32_t)timer);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_bind_vcpu), -XEN_EINVAL, "per-vcpu VIRQs stay");
	hvt_put32(d, ARG, (uint32_t)unb);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_bind_vcpu), 0);
	hvt_put32(d, ARG, 3000);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_bind_vcpu), -XEN_EINVAL, "closed");
	hvt_put32(d, ARG, 5000);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_bind_vcpu), -XEN_EINVAL);
	hvt_put32(d, ARG, (uint32_t)con);
	hvt_put32(d, ARG + 4, 7);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_bind_vcpu), -XEN_ENOENT);
	/* A global VIRQ moves, and a pending event follows it. */
	hv_evtchn_send_global_virq(d, VIRQ_CONSOLE);
	cr_assert(hv_vcpu_upcall_pending(d->vcpus[0]));
	hvt_put32(d, ARG + 4, 1);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_bind_vcpu), 0);
	cr_assert(hv_vcpu_upcall_pending(d->vcpus[1]));
	port_op(d, EVTCHNOP_close, (uint32_t)con);
	cr_assert_eq(bind_virq(d, VIRQ_CONSOLE, 0), con);
}

Test(evtchn, alloc_unbound_and_domain_names)
{
	cr_assert_eq(alloc_unbound(d, DOMID_SELF, 0), 1);
	cr_assert_eq(alloc_unbound(d, d->domid, 0), 2);
	cr_assert_eq(alloc_unbound(d, 4321, 0), -XEN_ESRCH);
	struct domain *d2 = hvt_domain(&hv, 1);
	cr_assert_eq(alloc_unbound(d, d2->domid, 0), -XEN_EPERM, "not for another domain");
	cr_assert_eq(hvt_call(d->vcpus[0], __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
			      HVT_BAD, 0),
		     -XEN_EFAULT);
}

Test(evtchn, ports_run_out)
{
	for (uint32_t i = 1; i < HV_EVTCHN_2L_NR_PORTS; i++)
		cr_assert_eq(alloc_unbound(d, DOMID_SELF, 0), i);
	cr_assert_eq(alloc_unbound(d, DOMID_SELF, 0), -XEN_ENOSPC);
	cr_assert_eq(bind_ipi(d, 0), -XEN_ENOSPC);
	cr_assert_eq(bind_virq(d, VIRQ_TIMER, 0), -XEN_ENOSPC);
	cr_assert_eq(d->vcpus[0]->virq_to_port[VIRQ_TIMER], 0, "nothing half-bound");
	cr_assert_eq(port_op(d, EVTCHNOP_close, 77), 0);
	cr_assert_eq(bind_ipi(d, 1), 77, "the lowest free port");
}

Test(evtchn, reset_closes_everything)
{
	bind_ipi(d, 0);
	bind_virq(d, VIRQ_TIMER, 1);
	hvt_put16(d, ARG, 999);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_reset), -XEN_ESRCH);
	hvt_put16(d, ARG, DOMID_SELF);
	cr_assert_eq(evop(d->vcpus[0], EVTCHNOP_reset), 0);
	cr_assert_eq(status(d, DOMID_SELF, 1, NULL, NULL), EVTCHNSTAT_closed);
	cr_assert_eq(d->vcpus[1]->virq_to_port[VIRQ_TIMER], 0);
	cr_assert_eq(bind_virq(d, VIRQ_TIMER, 1), 1);
}

Test(evtchn, pirq_and_unknown_ops_are_enosys)
{
	struct vcpu *v = d->vcpus[0];

	/* (The FIFO sub-ops: test_evtchn_fifo.c.) */
	cr_assert_eq(evop(v, EVTCHNOP_bind_pirq), -XEN_ENOSYS);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_event_channel_op, 0xffffffff, ARG, 0), -XEN_ENOSYS);
	cr_assert_eq(hvt_call(v, __HYPERVISOR_event_channel_op, 14, HVT_BAD, 0), -XEN_ENOSYS);
}

Test(evtchn, interdomain_channel_between_two_domains)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	uint32_t u0;
	long p1, p2;

	/* d1 offers a port to d2; d2 binds it. */
	p1 = alloc_unbound(d, DOMID_SELF, d2->domid);
	cr_assert_eq(p1, 1);
	cr_assert_eq(bind_interdomain(d2, d->domid, 4096), -XEN_EINVAL);
	cr_assert_eq(bind_interdomain(d2, d->domid, 2), -XEN_EINVAL, "closed remote port");
	cr_assert_eq(bind_interdomain(d2, 0x7777, 1), -XEN_ESRCH);
	cr_assert_eq(bind_interdomain(d2, DOMID_SELF, 1), -XEN_EINVAL, "d2's port 1 is closed");
	long other = alloc_unbound(d, DOMID_SELF, 0x1234);
	cr_assert_eq(bind_interdomain(d2, d->domid, (uint32_t)other), -XEN_EINVAL,
		     "offered to someone else");
	p2 = bind_interdomain(d2, d->domid, (uint32_t)p1);
	cr_assert_eq(p2, 1);
	cr_assert(hv_evtchn_port_pending(d2, (uint32_t)p2), "bind sets the new port pending");
	cr_assert_eq(bind_interdomain(d2, d->domid, (uint32_t)p1), -XEN_EINVAL, "bound already");

	cr_assert_eq(status(d, DOMID_SELF, (uint32_t)p1, NULL, &u0), EVTCHNSTAT_interdomain);
	cr_assert_eq(u0 & 0xffff, d2->domid);
	cr_assert_eq(hvt_get32(d, ARG + 20), (uint32_t)p2);

	/* Both directions. */
	d2->evtchn_ops->clear_pending(d2, (uint32_t)p2);
	/* (as the guest's handler would: the upcall flag and the selector) */
	hv_vcpu_info(d2->vcpus[0])[XEN_VCPU_INFO_UPCALL_PENDING] = 0;
	hv_shared_put_u64(d2, hv_vcpu_info(d2->vcpus[0]) + XEN_VCPU_INFO_PENDING_SEL, 0);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p1), 0);
	cr_assert(hv_vcpu_upcall_pending(d2->vcpus[0]));
	cr_assert_not(hv_evtchn_port_pending(d, (uint32_t)p1));
	cr_assert_eq(port_op(d2, EVTCHNOP_send, (uint32_t)p2), 0);
	cr_assert(hv_evtchn_port_pending(d, (uint32_t)p1));
	cr_assert(hv_vcpu_upcall_pending(d->vcpus[0]));

	/* Closing one end leaves the other unbound, for the same peer. */
	cr_assert_eq(port_op(d2, EVTCHNOP_close, (uint32_t)p2), 0);
	cr_assert_eq(status(d, DOMID_SELF, (uint32_t)p1, NULL, &u0), EVTCHNSTAT_unbound);
	cr_assert_eq(u0 & 0xffff, d2->domid);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p1), 0, "dropped, not an error");
	cr_assert_eq(bind_interdomain(d2, d->domid, (uint32_t)p1), 1, "rebinds");

	/* Tearing d2 down unbinds d1's end. */
	hv_domain_destroy(d2);
	cr_assert_eq(status(d, DOMID_SELF, (uint32_t)p1, NULL, NULL), EVTCHNSTAT_unbound);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p1), 0);
}

Test(evtchn, loopback_interdomain_within_one_domain)
{
	long a = alloc_unbound(d, DOMID_SELF, DOMID_SELF);
	long b = bind_interdomain(d, DOMID_SELF, (uint32_t)a);

	cr_assert_eq(b, 2);
	d->evtchn_ops->clear_pending(d, 2);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)a), 0);
	cr_assert(hv_evtchn_port_pending(d, (uint32_t)b));
	cr_assert_not(hv_evtchn_port_pending(d, (uint32_t)a));
}

Test(evtchn, trace_lines)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	hv.trace.mask = TRACE_EVTCHN;
	hv.trace.out = f;
	hvt_set_time(d->vcpus[0], 1234);
	bind_virq(d, VIRQ_TIMER, 0);
	hv_evtchn_send_virq(d->vcpus[0], VIRQ_TIMER);
	fclose(f);
	hv.trace.out = NULL;
	cr_assert(strstr(buf, "1234 d1v0 EVTCHN bind_virq virq=0 vcpu=0 port=1\n"), "%s", buf);
	cr_assert(strstr(buf, "1234 d1v0 EVTCHN pending d1 port=1 vcpu=0\n"), "%s", buf);
	free(buf);
}
