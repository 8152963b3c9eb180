/*
 * The FIFO event channel ABI (hv/evtchn_fifo.c): init_control, expand_array
 * and set_priority with hostile arguments, the event words, queues, READY and
 * HEAD as the guest sees them in its own memory, and the switch from and
 * back to 2-level.
 */
#include <criterion/criterion.h>

#include "hv/evtchn.h"
#include "hv/shared_info.h"
#include "hv_test.h"

#define ARG 0x1000ull
#define CB_GFN 0x10ull    /* control blocks: vcpu 0 at offset 0, vcpu 1 at 0x100 */
#define ARRAY_GFN 0x20ull /* the first event array page */

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED (1u << EVTCHN_FIFO_LINKED)

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

TestSuite(evtchn_fifo, .init = setup, .fini = teardown);

static long evop(struct domain *dom, unsigned cmd)
{
	return hvt_call(dom->vcpus[0], __HYPERVISOR_event_channel_op, cmd, ARG, 0);
}

static long init_control(struct domain *dom, uint64_t gfn, uint32_t off, uint32_t vcpu)
{
	hvt_put64(dom, ARG, gfn);
	hvt_put32(dom, ARG + 8, off);
	hvt_put32(dom, ARG + 12, vcpu);
	hvt_put32(dom, ARG + 16, 0);
	return evop(dom, EVTCHNOP_init_control);
}

static long expand(struct domain *dom, uint64_t gfn)
{
	hvt_put64(dom, ARG, gfn);
	return evop(dom, EVTCHNOP_expand_array);
}

static long set_priority(struct domain *dom, uint32_t port, uint32_t prio)
{
	hvt_put32(dom, ARG, port);
	hvt_put32(dom, ARG + 4, prio);
	return evop(dom, EVTCHNOP_set_priority);
}

static long port_op(struct domain *dom, unsigned cmd, uint32_t port)
{
	hvt_put32(dom, ARG, port);
	return evop(dom, cmd);
}

static long bind_ipi(struct domain *dom, uint32_t vcpu)
{
	long rc;

	hvt_put32(dom, ARG, vcpu);
	rc = evop(dom, EVTCHNOP_bind_ipi);
	return rc < 0 ? rc : hvt_get32(dom, ARG + 4);
}

static uint32_t word(struct domain *dom, uint32_t port)
{
	return hvt_get32(dom, (ARRAY_GFN << 12) + 4 * port);
}

static void put_word(struct domain *dom, uint32_t port, uint32_t x)
{
	hvt_put32(dom, (ARRAY_GFN << 12) + 4 * port, x);
}

/* What a guest's consumer does to the head it takes: clear LINKED and LINK. */
static uint32_t consume(struct domain *dom, uint32_t port)
{
	uint32_t w = word(dom, port);

	put_word(dom, port, w & ~(W_LINKED | EVTCHN_FIFO_LINK_MASK));
	return w & EVTCHN_FIFO_LINK_MASK;
}

static uint32_t ready(struct domain *dom, unsigned vcpu)
{
	return hvt_get32(dom, (CB_GFN << 12) + vcpu * 0x100 + EVTCHN_FIFO_CONTROL_READY);
}

static uint32_t head(struct domain *dom, unsigned vcpu, unsigned prio)
{
	return hvt_get32(dom, (CB_GFN << 12) + vcpu * 0x100 + EVTCHN_FIFO_CONTROL_HEAD + 4 * prio);
}

/* FIFO on with both control blocks and one array page. */
static void fifo_on(struct domain *dom)
{
	cr_assert_eq(init_control(dom, CB_GFN, 0, 0), 0);
	cr_assert_eq(init_control(dom, CB_GFN, 0x100, 1), 0);
	cr_assert_eq(expand(dom, ARRAY_GFN), 0);
}

Test(evtchn_fifo, init_control_hostile_arguments)
{
	cr_assert_eq(init_control(d, CB_GFN, 0, 2), -XEN_ENOENT, "no vcpu 2");
	cr_assert_eq(init_control(d, CB_GFN, 0, 0xffffffff), -XEN_ENOENT);
	cr_assert_eq(init_control(d, CB_GFN, 4, 0), -XEN_EINVAL, "not 8-byte aligned");
	cr_assert_eq(init_control(d, CB_GFN, 4096 - 72 + 8, 0), -XEN_EINVAL, "crosses the page");
	cr_assert_eq(init_control(d, CB_GFN, 0xfffffff8, 0), -XEN_EINVAL);
	cr_assert_eq(init_control(d, HVT_RAM >> 12, 0, 0), -XEN_EINVAL, "past RAM");
	cr_assert_eq(init_control(d, ~0ull, 0, 0), -XEN_EINVAL);
	cr_assert_eq(hvt_call(d->vcpus[0], __HYPERVISOR_event_channel_op, EVTCHNOP_init_control,
			      HVT_BAD, 0),
		     -XEN_EFAULT);
	cr_assert_eq(d->evtchn_ops, &hv_evtchn_2l_ops, "failures leave the ABI alone");
	cr_assert_eq(init_control(d, CB_GFN, 4096 - 72, 0), 0, "the last offset that fits");
	cr_assert_eq(hvt_get32(d, ARG + 16) & 0xff, EVTCHN_FIFO_LINK_BITS);
	cr_assert_eq(d->evtchn_ops, &hv_evtchn_fifo_ops);
	cr_assert_eq(init_control(d, CB_GFN, 0, 0), -XEN_EINVAL, "once per vcpu");
	cr_assert_eq(init_control(d, CB_GFN, 0x100, 1), 0);
}

Test(evtchn_fifo, expand_array_and_set_priority_errors)
{
	long p = bind_ipi(d, 0);

	cr_assert_eq(expand(d, ARRAY_GFN), -XEN_EOPNOTSUPP, "2-level has no array");
	cr_assert_eq(set_priority(d, (uint32_t)p, 3), -XEN_ENOSYS, "2-level has no priorities");
	cr_assert_eq(set_priority(d, 0, 3), -XEN_EINVAL);
	fifo_on(d);
	cr_assert_eq(expand(d, HVT_RAM >> 12), -XEN_EINVAL, "past RAM");
	cr_assert_eq(expand(d, ~0ull), -XEN_EINVAL);
	cr_assert_eq(set_priority(d, (uint32_t)p, EVTCHN_FIFO_PRIORITY_MIN + 1), -XEN_EINVAL);
	cr_assert_eq(set_priority(d, (uint32_t)p, 0xffffffff), -XEN_EINVAL);
	cr_assert_eq(set_priority(d, 0, 3), -XEN_EINVAL, "port 0 is reserved");
	cr_assert_eq(set_priority(d, 0xffffffff, 3), -XEN_EINVAL);
	cr_assert_eq(set_priority(d, (uint32_t)p, EVTCHN_FIFO_PRIORITY_MAX), 0);
	/* 128 pages make 2^17 ports; the 129th is refused. */
	for (unsigned i = 1; i < EVTCHN_FIFO_NR_CHANNELS / 1024; i++)
		cr_assert_eq(expand(d, ARRAY_GFN + 1 + i % 64), 0, "page %u", i);
	cr_assert_eq(expand(d, ARRAY_GFN), -XEN_ENOSPC);
}

Test(evtchn_fifo, queue_head_link_and_ready)
{
	struct vcpu *v = d->vcpus[0];
	long p1, p2;

	fifo_on(d);
	p1 = bind_ipi(d, 0);
	p2 = bind_ipi(d, 0);
	cr_assert_eq(p1, 1);
	cr_assert_eq(p2, 2);
	cr_assert_not(hv_vcpu_upcall_pending(v));

	/* An empty queue starts at HEAD with READY and the upcall. */
	cr_assert_eq(port_op(d, EVTCHNOP_send, 1), 0);
	cr_assert_eq(word(d, 1), W_PENDING | W_LINKED);
	cr_assert_eq(head(d, 0, EVTCHN_FIFO_PRIORITY_DEFAULT), 1);
	cr_assert_eq(ready(d, 0), 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
	cr_assert(hv_vcpu_upcall_pending(v));
	cr_assert_eq(ready(d, 1), 0, "only the bound vcpu");

	/* The second goes behind the tail; no new upcall needed. */
	hv_vcpu_info(v)[XEN_VCPU_INFO_UPCALL_PENDING] = 0;
	cr_assert_eq(port_op(d, EVTCHNOP_send, 2), 0);
	cr_assert_eq(word(d, 1), W_PENDING | W_LINKED | 2, "LINK of the old tail");
	cr_assert_eq(word(d, 2), W_PENDING | W_LINKED);
	cr_assert_not(hv_vcpu_upcall_pending(v));
	/* Sending a linked port again changes nothing. */
	cr_assert_eq(port_op(d, EVTCHNOP_send, 1), 0);
	cr_assert_eq(word(d, 1), W_PENDING | W_LINKED | 2);

	/* The guest drains the queue (READY first, as Linux's xchg). */
	hvt_put32(d, (CB_GFN << 12) + EVTCHN_FIFO_CONTROL_READY, 0);
	cr_assert_eq(consume(d, 1), 2);
	cr_assert_eq(consume(d, 2), 0);
	put_word(d, 1, 0);
	put_word(d, 2, 0);
	/* Empty again: the next event restarts it through HEAD. */
	cr_assert_eq(port_op(d, EVTCHNOP_send, 2), 0);
	cr_assert_eq(head(d, 0, EVTCHN_FIFO_PRIORITY_DEFAULT), 2);
	cr_assert_eq(word(d, 2), W_PENDING | W_LINKED);
	cr_assert_eq(ready(d, 0), 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
	cr_assert(hv_vcpu_upcall_pending(v));
	cr_assert(hv_evtchn_port_pending(d, 2));
	cr_assert_not(hv_evtchn_port_pending(d, 1));
}

Test(evtchn_fifo, masked_events_wait_for_unmask)
{
	struct vcpu *v = d->vcpus[0];
	long p;

	fifo_on(d);
	p = bind_ipi(d, 0);
	put_word(d, (uint32_t)p, W_MASKED);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p), 0);
	cr_assert_eq(word(d, (uint32_t)p), W_MASKED | W_PENDING, "pending but not linked");
	cr_assert_eq(ready(d, 0), 0);
	cr_assert_not(hv_vcpu_upcall_pending(v));
	cr_assert_eq(port_op(d, EVTCHNOP_unmask, (uint32_t)p), 0);
	cr_assert_eq(word(d, (uint32_t)p), W_PENDING | W_LINKED);
	cr_assert_eq(head(d, 0, EVTCHN_FIFO_PRIORITY_DEFAULT), (uint32_t)p);
	cr_assert(hv_vcpu_upcall_pending(v));
	cr_assert_eq(port_op(d, EVTCHNOP_unmask, 0), -XEN_EINVAL);
	cr_assert_eq(port_op(d, EVTCHNOP_unmask, 0x7fffffff), -XEN_EINVAL);
}

Test(evtchn_fifo, priorities_and_a_tail_that_moved_queues)
{
	long p1, p2;

	fifo_on(d);
	p1 = bind_ipi(d, 0);
	p2 = bind_ipi(d, 0);
	cr_assert_eq(set_priority(d, (uint32_t)p2, 2), 0);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p2), 0);
	cr_assert_eq(head(d, 0, 2), (uint32_t)p2);
	cr_assert_eq(ready(d, 0), 1u << 2);

	/* p1 is the tail of queue 7; the guest takes it; it moves to queue 3
	 * and is linked there; queue 7 is now empty, so p2 (back at 7) must
	 * start queue 7, not follow p1 into queue 3. */
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p1), 0);
	cr_assert_eq(head(d, 0, 7), (uint32_t)p1);
	consume(d, (uint32_t)p1);
	put_word(d, (uint32_t)p1, 0);
	cr_assert_eq(set_priority(d, (uint32_t)p1, 3), 0);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p1), 0);
	cr_assert_eq(head(d, 0, 3), (uint32_t)p1);
	consume(d, (uint32_t)p2);
	put_word(d, (uint32_t)p2, 0);
	cr_assert_eq(set_priority(d, (uint32_t)p2, 7), 0);
	hvt_put32(d, (CB_GFN << 12) + 8 + 4 * 7, 0);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p2), 0);
	cr_assert_eq(head(d, 0, 7), (uint32_t)p2);
	cr_assert_eq(word(d, (uint32_t)p1), W_PENDING | W_LINKED, "p1's LINK untouched");
}

Test(evtchn_fifo, events_before_their_word_and_from_2_level)
{
	long p1 = bind_ipi(d, 0), p2;

	/* Pending in the 2-level bitmap before the switch. */
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p1), 0);
	cr_assert_eq(init_control(d, CB_GFN, 0, 0), 0);
	cr_assert(hv_evtchn_port_pending(d, (uint32_t)p1), "carried over");
	p2 = bind_ipi(d, 0);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p2), 0);
	cr_assert(hv_evtchn_port_pending(d, (uint32_t)p2), "waits for its word");
	cr_assert(d->evtchn_ops->is_masked(d, (uint32_t)p2), "no word: masked");
	cr_assert_eq(ready(d, 0), 0);
	/* The page arrives: both are queued, in port order. */
	cr_assert_eq(expand(d, ARRAY_GFN), 0);
	cr_assert_eq(head(d, 0, 7), (uint32_t)p1);
	cr_assert_eq(word(d, (uint32_t)p1), W_PENDING | W_LINKED | (uint32_t)p2);
	cr_assert_eq(word(d, (uint32_t)p2), W_PENDING | W_LINKED);
	cr_assert_eq(ready(d, 0), 1u << 7);
}

Test(evtchn_fifo, no_control_block_no_link)
{
	long p;

	cr_assert_eq(init_control(d, CB_GFN, 0, 0), 0);
	cr_assert_eq(expand(d, ARRAY_GFN), 0);
	p = bind_ipi(d, 1); /* vcpu 1 has no control block */
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p), 0);
	cr_assert_eq(word(d, (uint32_t)p), W_PENDING);
	cr_assert_not(hv_vcpu_upcall_pending(d->vcpus[1]));
}

Test(evtchn_fifo, linked_ports_are_not_reused)
{
	long p;

	fifo_on(d);
	p = bind_ipi(d, 0);
	cr_assert_eq(port_op(d, EVTCHNOP_send, (uint32_t)p), 0);
	cr_assert_eq(port_op(d, EVTCHNOP_close, (uint32_t)p), 0);
	cr_assert_eq(bind_ipi(d, 0), p + 1, "still on a queue: busy");
	consume(d, (uint32_t)p);
	cr_assert_eq(bind_ipi(d, 0), p, "unlinked: free again");
}

Test(evtchn_fifo, more_ports_than_2_level_and_reset)
{
	fifo_on(d);
	for (uint32_t i = 1; i <= HV_EVTCHN_2L_NR_PORTS + 10; i++)
		cr_assert_eq(bind_ipi(d, 0), i);
	cr_assert_geq(d->n_evtchn, HV_EVTCHN_2L_NR_PORTS + 11);
	cr_assert_eq(port_op(d, EVTCHNOP_send, HV_EVTCHN_2L_NR_PORTS + 5), 0);
	cr_assert(hv_evtchn_port_pending(d, HV_EVTCHN_2L_NR_PORTS + 5), "before its word");
	/* Reset: every port closed, back to 2-level. */
	hvt_put16(d, ARG, DOMID_SELF);
	cr_assert_eq(evop(d, EVTCHNOP_reset), 0);
	cr_assert_eq(d->evtchn_ops, &hv_evtchn_2l_ops);
	cr_assert_null(d->evtchn_fifo);
	cr_assert_eq(d->n_evtchn, HV_EVTCHN_2L_NR_PORTS);
	cr_assert_eq(bind_ipi(d, 0), 1);
	cr_assert_eq(expand(d, ARRAY_GFN), -XEN_EOPNOTSUPP);
	/* And FIFO again. */
	cr_assert_eq(init_control(d, CB_GFN, 0, 0), 0);
}

Test(evtchn_fifo, interdomain_to_a_fifo_domain)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	long unb, p2;

	fifo_on(d);
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put16(d, ARG + 2, d2->domid);
	cr_assert_eq(evop(d, EVTCHNOP_alloc_unbound), 0);
	unb = hvt_get32(d, ARG + 4);
	hvt_put16(d2, ARG, d->domid);
	hvt_put32(d2, ARG + 4, (uint32_t)unb);
	cr_assert_eq(evop(d2, EVTCHNOP_bind_interdomain), 0);
	p2 = hvt_get32(d2, ARG + 8);
	/* d2 (2-level) signals d (FIFO). */
	consume(d, (uint32_t)unb); /* bind_interdomain raises one on d2's side only */
	cr_assert_eq(port_op(d2, EVTCHNOP_send, (uint32_t)p2), 0);
	cr_assert_eq(word(d, (uint32_t)unb) & (W_PENDING | W_LINKED), W_PENDING | W_LINKED);
	cr_assert_eq(head(d, 0, 7), (uint32_t)unb);
}

Test(evtchn_fifo, big_endian_words)
{
	d->big_endian = true;
	fifo_on(d);
	cr_assert_eq(bind_ipi(d, 0), 1);
	cr_assert_eq(port_op(d, EVTCHNOP_send, 1), 0);
	/* PENDING | LINKED = 0xa0000000: the first byte of a big-endian word. */
	cr_assert_eq(hvt_get32(d, (ARRAY_GFN << 12) + 4), W_PENDING | W_LINKED);
	uint8_t raw[4];
	cr_assert_eq(p2m_copy_from(d->p2m, raw, (ARRAY_GFN << 12) + 4, 4), 0);
	cr_assert_eq(raw[0], 0xa0);
	cr_assert_eq(raw[3], 0);
}
