/*
 * Two domains talking in one hv, the way a split driver does: the frontend
 * (A) grants a page and offers an unbound port; the backend (B) binds the
 * port, maps the grant, writes a request and notifies; A answers with a
 * grant copy into a page B granted and notifies back. B uses the FIFO event
 * ABI, A the 2-level one: the two ABIs meet on one channel. Then the
 * teardown rules: unmap clears the pins, closing one end leaves the other
 * unbound, and a mapping outlives its granting domain.
 */
#include <criterion/criterion.h>

#include "hv/evtchn.h"
#include "hv/grant_table.h"
#include "hv/shared_info.h"
#include "hv_test.h"

#define ARG 0x1000ull
#define A_RING_GFN 0x50ull  /* A's page granted to B (ref 8) */
#define B_MAP_GFN 0x70ull   /* where B maps it */
#define B_REPLY_GFN 0x60ull /* B's page granted to A (ref 3) */

static struct hv hv;
static struct domain *a, *b;

static void setup(void)
{
	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
	a = hvt_domain(&hv, 1);
	b = hvt_domain(&hv, 1);
}

static void teardown(void)
{
	hv_destroy(&hv);
}

TestSuite(two_domains, .init = setup, .fini = teardown);

static long call(struct domain *d, uint64_t nr, uint64_t cmd, uint64_t count)
{
	return hvt_call(d->vcpus[0], nr, cmd, ARG, count);
}

/* Grant ref of d's table: {flags, domid, frame} (grant_entry_v1). */
static void grant(struct domain *d, uint32_t ref, uint16_t flags, uint16_t domid, uint32_t gfn)
{
	uint8_t *e;

	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put32(d, ARG + 4, 1);
	hvt_put64(d, ARG + 16, ARG + 0x100);
	cr_assert_eq(call(d, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table, 1), 0);
	e = machmem_ptr(&hv.mem, d->gnttab->mfn[0]) + 8 * ref;
	st16_le_p(e + 2, domid);
	st32_le_p(e + 4, gfn);
	st16_le_p(e, flags);
}

static uint16_t grant_flags(struct domain *d, uint32_t ref)
{
	return (uint16_t)ld16_le_p(machmem_ptr(&hv.mem, d->gnttab->mfn[0]) + 8 * ref);
}

/* B on FIFO: a control block at gfn 0x10, event words at gfn 0x20. */
static void fifo_on(struct domain *d)
{
	hvt_put64(d, ARG, 0x10);
	hvt_put32(d, ARG + 8, 0);
	hvt_put32(d, ARG + 12, 0);
	cr_assert_eq(call(d, __HYPERVISOR_event_channel_op, EVTCHNOP_init_control, 0), 0);
	hvt_put64(d, ARG, 0x20);
	cr_assert_eq(call(d, __HYPERVISOR_event_channel_op, EVTCHNOP_expand_array, 0), 0);
}

static bool fifo_pending(struct domain *d, uint32_t port)
{
	return hvt_get32(d, 0x20000 + 4 * port) & (1u << EVTCHN_FIFO_PENDING);
}

Test(two_domains, a_request_and_a_reply)
{
	uint32_t pa, pb, handle;
	char buf[8] = { 0 };

	fifo_on(b);
	/* A: the ring page for B and an unbound port B may bind. */
	grant(a, 8, GTF_permit_access, b->domid, A_RING_GFN);
	hvt_put16(a, ARG, DOMID_SELF);
	hvt_put16(a, ARG + 2, b->domid);
	cr_assert_eq(call(a, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, 0), 0);
	pa = hvt_get32(a, ARG + 4);

	/* B: bind A's port, map A's page. */
	hvt_put16(b, ARG, a->domid);
	hvt_put32(b, ARG + 4, pa);
	cr_assert_eq(call(b, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, 0), 0);
	pb = hvt_get32(b, ARG + 8);
	hvt_put64(b, ARG, B_MAP_GFN << 12);
	hvt_put32(b, ARG + 8, GNTMAP_host_map);
	hvt_put32(b, ARG + 12, 8);
	hvt_put16(b, ARG + 16, a->domid);
	cr_assert_eq(call(b, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, 1), 0);
	cr_assert_eq((int16_t)hvt_get16(b, ARG + 18), GNTST_okay);
	handle = hvt_get32(b, ARG + 20);
	cr_assert_eq(grant_flags(a, 8), GTF_permit_access | GTF_reading | GTF_writing);

	/* B writes a request into the shared page and notifies A (2-level). */
	cr_assert_eq(p2m_copy_to(b->p2m, B_MAP_GFN << 12, "ping", 5), 0);
	cr_assert_eq(p2m_copy_from(a->p2m, buf, A_RING_GFN << 12, 5), 0);
	cr_assert_str_eq(buf, "ping", "one frame, two physmaps");
	hvt_put32(b, ARG, pb);
	cr_assert_eq(call(b, __HYPERVISOR_event_channel_op, EVTCHNOP_send, 0), 0);
	cr_assert(hv_evtchn_port_pending(a, pa));
	cr_assert(hv_vcpu_upcall_pending(a->vcpus[0]));

	/* A answers by grant copy into the page B granted, and notifies B
	 * (FIFO: the event word and READY). */
	grant(b, 3, GTF_permit_access, a->domid, B_REPLY_GFN);
	cr_assert_eq(p2m_copy_to(a->p2m, 0x40000, "pong", 5), 0);
	hvt_put64(a, ARG, 0x40); /* source: A's gfn */
	hvt_put16(a, ARG + 8, DOMID_SELF);
	hvt_put16(a, ARG + 10, 0);
	hvt_put64(a, ARG + 16, 3); /* dest: B's grant ref 3 */
	hvt_put16(a, ARG + 24, b->domid);
	hvt_put16(a, ARG + 26, 16);
	hvt_put16(a, ARG + 32, 5);
	hvt_put16(a, ARG + 34, GNTCOPY_dest_gref);
	cr_assert_eq(call(a, __HYPERVISOR_grant_table_op, GNTTABOP_copy, 1), 0);
	cr_assert_eq((int16_t)hvt_get16(a, ARG + 36), GNTST_okay);
	cr_assert_eq(p2m_copy_from(b->p2m, buf, (B_REPLY_GFN << 12) + 16, 5), 0);
	cr_assert_str_eq(buf, "pong");
	/* (bind_interdomain raised one event on B's port: B takes it.) */
	cr_assert(fifo_pending(b, pb));
	hvt_put32(b, 0x20000 + 4 * pb, 0);
	cr_assert_not(fifo_pending(b, pb));
	hvt_put32(a, ARG, pa);
	cr_assert_eq(call(a, __HYPERVISOR_event_channel_op, EVTCHNOP_send, 0), 0);
	cr_assert(fifo_pending(b, pb));
	cr_assert(hv_vcpu_upcall_pending(b->vcpus[0]));

	/* Teardown: unmap clears the pins; A closing leaves B unbound. */
	hvt_put64(b, ARG, B_MAP_GFN << 12);
	hvt_put64(b, ARG + 8, 0);
	hvt_put32(b, ARG + 16, handle);
	cr_assert_eq(call(b, __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, 1), 0);
	cr_assert_eq((int16_t)hvt_get16(b, ARG + 20), GNTST_okay);
	cr_assert_eq(grant_flags(a, 8), GTF_permit_access);
	hvt_put32(a, ARG, pa);
	cr_assert_eq(call(a, __HYPERVISOR_event_channel_op, EVTCHNOP_close, 0), 0);
	hvt_put16(b, ARG, DOMID_SELF);
	hvt_put32(b, ARG + 4, pb);
	cr_assert_eq(call(b, __HYPERVISOR_event_channel_op, EVTCHNOP_status, 0), 0);
	cr_assert_eq(hvt_get32(b, ARG + 8), EVTCHNSTAT_unbound);
	hvt_put32(b, ARG, pb);
	cr_assert_eq(call(b, __HYPERVISOR_event_channel_op, EVTCHNOP_send, 0), 0,
		     "unbound: dropped");
}

Test(two_domains, a_mapping_outlives_the_granting_domain)
{
	char buf[8] = { 0 };
	uint32_t pb;

	grant(a, 8, GTF_permit_access, b->domid, A_RING_GFN);
	cr_assert_eq(p2m_copy_to(a->p2m, A_RING_GFN << 12, "kept", 5), 0);
	hvt_put16(a, ARG, DOMID_SELF);
	hvt_put16(a, ARG + 2, b->domid);
	cr_assert_eq(call(a, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, 0), 0);
	hvt_put16(b, ARG, a->domid);
	hvt_put32(b, ARG + 4, hvt_get32(a, ARG + 4));
	cr_assert_eq(call(b, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, 0), 0);
	pb = hvt_get32(b, ARG + 8);
	hvt_put64(b, ARG, B_MAP_GFN << 12);
	hvt_put32(b, ARG + 8, GNTMAP_host_map | GNTMAP_readonly);
	hvt_put32(b, ARG + 12, 8);
	hvt_put16(b, ARG + 16, a->domid);
	cr_assert_eq(call(b, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, 1), 0);
	cr_assert_eq((int16_t)hvt_get16(b, ARG + 18), GNTST_okay);
	cr_assert_eq(grant_flags(a, 8), GTF_permit_access | GTF_reading, "read-only pin");

	hv_domain_destroy(a);
	/* B's mapping holds its own reference on the frame. */
	cr_assert_eq(p2m_copy_from(b->p2m, buf, B_MAP_GFN << 12, 5), 0);
	cr_assert_str_eq(buf, "kept");
	/* B's end of the channel went back to unbound. */
	hvt_put16(b, ARG, DOMID_SELF);
	hvt_put32(b, ARG + 4, pb);
	cr_assert_eq(call(b, __HYPERVISOR_event_channel_op, EVTCHNOP_status, 0), 0);
	cr_assert_eq(hvt_get32(b, ARG + 8), EVTCHNSTAT_unbound);
}
