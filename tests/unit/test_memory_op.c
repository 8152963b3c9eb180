/*
 * memory_op (hv/memory.c): the memory map, shared_info placement and the
 * reservation queries, with hostile arguments.
 */
#include <criterion/criterion.h>
#include <inttypes.h>

#include "hv/shared_info.h"
#include "hv_test.h"

#define ARG 0x1000ull
#define BUF 0x2000ull

static struct hv hv;
static struct domain *d;
static struct vcpu *v;

static void setup(void)
{
	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
	d = hvt_domain(&hv, 1);
	v = d->vcpus[0];
}

static void teardown(void)
{
	hv_destroy(&hv);
}

TestSuite(memory_op, .init = setup, .fini = teardown);

static long memop(unsigned cmd, uint64_t arg)
{
	return hvt_call(v, __HYPERVISOR_memory_op, cmd, arg, 0);
}

static long add_shared_info(uint16_t domid, uint32_t space, uint64_t idx, uint64_t gpfn)
{
	hvt_put16(d, ARG, domid);
	hvt_put16(d, ARG + 2, 0);
	hvt_put32(d, ARG + 4, space);
	hvt_put64(d, ARG + 8, idx);
	hvt_put64(d, ARG + 16, gpfn);
	return memop(XENMEM_add_to_physmap, ARG);
}

Test(memory_op, memory_map_is_the_ram)
{
	hvt_put32(d, ARG, 8);
	hvt_put64(d, ARG + 8, BUF);
	cr_assert_eq(memop(XENMEM_memory_map, ARG), 0);
	cr_assert_eq(hvt_get32(d, ARG), 1, "entries written");
	cr_assert_eq(hvt_get64(d, BUF), 0);
	cr_assert_eq(hvt_get64(d, BUF + 8), HVT_RAM);
	cr_assert_eq(hvt_get32(d, BUF + 16), XEN_E820_RAM);
	/* Continuation bits above MEMOP_CMD_MASK name the same op. */
	cr_assert_eq(memop(XENMEM_memory_map | (3 << 6), ARG), 0);
}

Test(memory_op, memory_map_truncates_to_the_buffer)
{
	hvt_put64(d, BUF, 0x5555);
	hvt_put32(d, ARG, 0);
	hvt_put64(d, ARG + 8, BUF);
	cr_assert_eq(memop(XENMEM_memory_map, ARG), 0);
	cr_assert_eq(hvt_get32(d, ARG), 0);
	cr_assert_eq(hvt_get64(d, BUF), 0x5555, "nothing written");
}

Test(memory_op, memory_map_bad_pointers)
{
	cr_assert_eq(memop(XENMEM_memory_map, HVT_BAD), -XEN_EFAULT);
	hvt_put32(d, ARG, 1);
	hvt_put64(d, ARG + 8, HVT_BAD);
	cr_assert_eq(memop(XENMEM_memory_map, ARG), -XEN_EFAULT);
	hvt_put64(d, ARG + 8, HVT_RAM - 10);
	cr_assert_eq(memop(XENMEM_memory_map, ARG), -XEN_EFAULT, "runs off the end of RAM");
	cr_assert_eq(memop(XENMEM_memory_map, HVT_RAM - 8), -XEN_EFAULT, "half of the struct");
}

Test(memory_op, add_to_physmap_maps_shared_info)
{
	uint64_t gfn = 0x80, pages = d->tot_pages;
	struct p2m_entry e;
	uint8_t b[8];

	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn), 0);
	cr_assert(p2m_lookup(d->p2m, gfn, &e));
	cr_assert_eq(e.mfn, d->shared_info_mfn);
	cr_assert_eq(d->shared_info_gfn, gfn);
	cr_assert_eq(d->tot_pages, pages - 1, "the RAM page there was released");
	/* What hv writes, the guest reads at gfn. */
	hv_shared_put_u64(d, hv_shared_info(d) + XEN_SHARED_INFO_EVTCHN_PENDING, 0x1234);
	cr_assert_eq(hvt_get64(d, gfn * SV_PAGE_SIZE + XEN_SHARED_INFO_EVTCHN_PENDING), 0x1234);
	cr_assert_eq(hvt_get32(d, gfn * SV_PAGE_SIZE + XEN_SHARED_INFO_WC_SEC), 1704067200u);
	/* Moving it unmaps the old place. */
	cr_assert_eq(add_shared_info(d->domid, XENMAPSPACE_shared_info, 0, 0x90), 0);
	cr_assert_not(p2m_lookup(d->p2m, gfn, &e), "old gfn unmapped");
	cr_assert_eq(p2m_copy_from(d->p2m, b, gfn * SV_PAGE_SIZE, 8), -EFAULT);
	cr_assert_eq(hvt_get64(d, 0x90 * SV_PAGE_SIZE + XEN_SHARED_INFO_EVTCHN_PENDING), 0x1234);
	/* Mapping it again where it is changes nothing. */
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x90), 0);
	cr_assert_eq(d->tot_pages, pages - 2);
	cr_assert_eq(memop(XENMEM_current_reservation, (hvt_put16(d, ARG, DOMID_SELF), ARG)),
		     (long)(pages - 2));
}

Test(memory_op, add_to_physmap_errors)
{
	struct domain *d2 = hvt_domain(&hv, 1);

	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_shared_info, 1, 0x80), -XEN_EINVAL);
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_shared_info, 0, 1ull << 40),
		     -XEN_EINVAL);
	cr_assert_eq(add_shared_info(DOMID_SELF, 9, 0, 0x80), -XEN_EINVAL);
	cr_assert_eq(add_shared_info(DOMID_SELF, 0xffffffff, 0, 0x80), -XEN_EINVAL);
	/* Foreign mappings only through the batch; dev_mmio is the hardware
	 * domain's. */
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 0x80), -XEN_ENOSYS);
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_dev_mmio, 0, 0x80), -XEN_EACCES);
	cr_assert_eq(add_shared_info(d2->domid, XENMAPSPACE_shared_info, 0, 0x80), -XEN_EPERM);
	cr_assert_eq(add_shared_info(0x3333, XENMAPSPACE_shared_info, 0, 0x80), -XEN_ESRCH);
	cr_assert_eq(memop(XENMEM_add_to_physmap, HVT_BAD), -XEN_EFAULT);
	cr_assert_eq(d->shared_info_gfn, HV_GFN_NONE, "nothing mapped");
}

Test(memory_op, reservations)
{
	struct domain *d2 = hvt_domain(&hv, 1);

	hvt_put16(d, ARG, DOMID_SELF);
	cr_assert_eq(memop(XENMEM_current_reservation, ARG), HVT_RAM / SV_PAGE_SIZE);
	cr_assert_eq(memop(XENMEM_maximum_reservation, ARG), HVT_RAM / SV_PAGE_SIZE);
	hvt_put16(d, ARG, d->domid);
	cr_assert_eq(memop(XENMEM_maximum_reservation, ARG), HVT_RAM / SV_PAGE_SIZE);
	hvt_put16(d, ARG, d2->domid);
	cr_assert_eq(memop(XENMEM_current_reservation, ARG), -XEN_EPERM);
	hvt_put16(d, ARG, 0x100);
	cr_assert_eq(memop(XENMEM_maximum_reservation, ARG), -XEN_ESRCH);
	cr_assert_eq(memop(XENMEM_current_reservation, HVT_BAD), -XEN_EFAULT);
}

Test(memory_op, everything_else_is_enosys)
{
	cr_assert_eq(memop(XENMEM_maximum_gpfn, ARG), -XEN_ENOSYS);
	cr_assert_eq(memop(63, ARG), -XEN_ENOSYS);
}

Test(memory_op, p2m_trace_line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	hv.trace.mask = TRACE_P2M;
	hv.trace.out = f;
	add_shared_info(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x80);
	fclose(f);
	hv.trace.out = NULL;
	cr_assert(strstr(buf, "0 d1v0 P2M add_to_physmap shared_info gfn=0x80 mfn=0x"), "%s", buf);
	cr_assert(strstr(buf, "(was ram_rw mfn=0x80)"), "%s", buf);
	free(buf);
}

#define LIST 0x3000ull

static long reservation_op(unsigned cmd, uint64_t n, unsigned order, uint16_t domid)
{
	hvt_put64(d, ARG, LIST);
	hvt_put64(d, ARG + 8, n);
	hvt_put32(d, ARG + 16, order);
	hvt_put32(d, ARG + 20, 0);
	hvt_put16(d, ARG + 24, domid);
	return memop(cmd, ARG);
}

Test(memory_op, balloon_out_and_back_in)
{
	uint64_t pages = d->tot_pages;
	struct p2m_entry e;

	hvt_put64(d, LIST, 0x90);
	hvt_put64(d, LIST + 8, 0x91);
	hvt_put64(d, LIST + 16, 0xa0);
	cr_assert_eq(reservation_op(XENMEM_decrease_reservation, 3, 0, DOMID_SELF), 3);
	cr_assert_eq(d->tot_pages, pages - 3);
	cr_assert_not(p2m_lookup(d->p2m, 0x91, &e));
	cr_assert_eq(reservation_op(XENMEM_decrease_reservation, 3, 0, DOMID_SELF), 0,
		     "nothing left there: stops at the first");
	cr_assert_eq(reservation_op(XENMEM_populate_physmap, 3, 0, DOMID_SELF), 3);
	cr_assert_eq(d->tot_pages, pages);
	cr_assert(p2m_lookup(d->p2m, 0x91, &e));
	cr_assert_eq(e.type, P2M_RAM_RW);
	cr_assert_eq(hvt_get64(d, 0x91 * SV_PAGE_SIZE), 0, "a fresh page is zeroed");
	hvt_put64(d, LIST, 0x150); /* a hole past the RAM */
	cr_assert_eq(reservation_op(XENMEM_populate_physmap, 1, 0, DOMID_SELF), 0,
		     "at the maximum already: no more pages");
}

Test(memory_op, balloon_orders_continuations_and_limits)
{
	uint64_t pages = d->tot_pages;

	hvt_put64(d, LIST, 0x20);
	hvt_put64(d, LIST + 8, 0x31); /* not aligned to order 4 */
	cr_assert_eq(reservation_op(XENMEM_decrease_reservation, 2, 4, DOMID_SELF), 1);
	cr_assert_eq(d->tot_pages, pages - 16);
	cr_assert_eq(reservation_op(XENMEM_decrease_reservation, 2, 10, DOMID_SELF), -XEN_EINVAL);
	cr_assert_eq(reservation_op(XENMEM_decrease_reservation, 1ull << 26, 0, DOMID_SELF),
		     -XEN_EINVAL, "too many to encode in a continuation");
	/* A continuation starts at extent 1 and reports the total. */
	hvt_put64(d, LIST + 8, 0x40);
	cr_assert_eq(reservation_op(XENMEM_decrease_reservation | (1 << 6), 2, 4, DOMID_SELF), 2);
	cr_assert_eq(d->tot_pages, pages - 32);
	cr_assert_eq(reservation_op(XENMEM_populate_physmap | (5 << 6), 2, 0, DOMID_SELF),
		     -XEN_EINVAL, "start past the end");
	cr_assert_eq(reservation_op(XENMEM_populate_physmap, 1, 0, 0x2222), -XEN_ESRCH);
	hvt_put64(d, ARG, HVT_BAD);
	hvt_put64(d, ARG + 8, 1);
	hvt_put16(d, ARG + 24, DOMID_SELF);
	cr_assert_eq(memop(XENMEM_populate_physmap, ARG), 0, "unreadable list: none done");
	cr_assert_eq(memop(XENMEM_populate_physmap, HVT_BAD), -XEN_EFAULT);
}

Test(memory_op, big_balloons_continue_themselves)
{
	/* A 32 MiB domain gives back 6000 pages and takes them again. */
	struct hv big;
	struct domain *b;
	struct vcpu *bv;
	const uint64_t n = 6000, list = 0x1e00000, arg = 0x1000;
	uint64_t pages;
	unsigned pieces;
	int err;

	cr_assert_eq(hv_init(&big, 40 << 20), 0);
	b = hv_domain_create(&big, HV_ARCH_X86_64, HV_PERSONALITY_XEN, 32 << 20, &err);
	cr_assert_not_null(b);
	bv = hv_vcpu_add(b, &toy_cpu_new(b->p2m, b->tbc, 0)->cpu, d->vcpus[0]->arch);
	pages = b->tot_pages;
	for (uint64_t i = 0; i < n; i++)
		hvt_put64(b, list + 8 * i, 0x100 + i);
	hvt_put64(b, arg, list);
	hvt_put64(b, arg + 8, n);
	hvt_put32(b, arg + 16, 0);
	hvt_put32(b, arg + 20, 0);
	hvt_put16(b, arg + 24, DOMID_SELF);

	/* One piece: HV_MEMORY_PREEMPT_PAGES (4096) extents, then the start
	 * extent goes into the command. */
	hvt_call(bv, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, arg, 0);
	cr_assert(bv->hcall_preempted);
	cr_assert_eq(bv->hcall_args[0], XENMEM_decrease_reservation | (4096ull << 6));
	cr_assert_eq(bv->hcall_args[1], arg);
	cr_assert_eq(b->tot_pages, pages - 4096);
	cr_assert_eq(hvt_call_all(bv, __HYPERVISOR_memory_op, bv->hcall_args[0], arg, 0, &pieces),
		     (long)n, "the total, counted from 0");
	cr_assert_eq(pieces, 1);
	cr_assert_eq(b->tot_pages, pages - n);
	cr_assert_eq(
		hvt_call_all(bv, __HYPERVISOR_memory_op, XENMEM_populate_physmap, arg, 0, &pieces),
		(long)n);
	cr_assert_eq(pieces, 2);
	cr_assert_eq(b->tot_pages, pages);
	/* Order 9: eight extents (4096 pages) a piece. */
	for (uint64_t i = 0; i < 10; i++)
		hvt_put64(b, list + 8 * i, 0x200 + 512 * i);
	hvt_put64(b, arg + 8, 10);
	hvt_put32(b, arg + 16, 9);
	cr_assert_eq(hvt_call_all(bv, __HYPERVISOR_memory_op, XENMEM_decrease_reservation, arg, 0,
				  &pieces),
		     10);
	cr_assert_eq(pieces, 2);
	hv_destroy(&big);
}

Test(memory_op, balloon_leaves_hv_pages_alone)
{
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x80), 0);
	hvt_put64(d, LIST, 0x80);
	cr_assert_eq(reservation_op(XENMEM_decrease_reservation, 1, 0, DOMID_SELF), 0);
	long rc = reservation_op(XENMEM_populate_physmap, 1, 0, DOMID_SELF);
	cr_assert_eq(rc, 0, "%ld", rc);
	cr_assert_eq(d->shared_info_gfn, 0x80);
}

/* ---------------------------------------------- gmfn, batch, foreign, remove */

static uint64_t mfn_at(struct domain *dd, uint64_t gfn)
{
	struct p2m_entry e;

	cr_assert(p2m_lookup(dd->p2m, gfn, &e), "gfn 0x%" PRIx64 " is mapped", gfn);
	return e.mfn;
}

static uint32_t refs(uint64_t mfn)
{
	return hv.mem.frames[mfn].refs;
}

static bool mapped(struct domain *dd, uint64_t gfn)
{
	struct p2m_entry e;

	return p2m_lookup(dd->p2m, gfn, &e);
}

Test(memory_op, gmfn_moves_a_page)
{
	uint64_t pages = d->tot_pages, moved = mfn_at(d, 0x50), freed = mfn_at(d, 0x60);
	char buf[8];

	p2m_copy_to(d->p2m, 0x50 * SV_PAGE_SIZE, "moving", 7);
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 0x50, 0x60), 0);
	cr_assert_eq(mfn_at(d, 0x60), moved);
	cr_assert_not(mapped(d, 0x50), "the old place is empty");
	cr_assert_eq(refs(moved), 1, "one mapping, one reference");
	cr_assert_eq(refs(freed), 0, "the page at the target was released");
	cr_assert_eq(d->tot_pages, pages - 1);
	p2m_copy_from(d->p2m, buf, 0x60 * SV_PAGE_SIZE, 7);
	cr_assert_str_eq(buf, "moving");
	/* Where it is: nothing changes. */
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 0x60, 0x60), 0);
	cr_assert_eq(mfn_at(d, 0x60), moved);
	/* Into a hole: no page is released. */
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 0x60, 0x50), 0);
	cr_assert_eq(d->tot_pages, pages - 1);
	cr_assert_eq(mfn_at(d, 0x50), moved);
}

static const struct mmio_ops no_mmio;

Test(memory_op, gmfn_errors)
{
	uint64_t pages = d->tot_pages;

	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x70), 0);
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 0x70, 0x71), -XEN_EINVAL,
		     "hv's own page");
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 0x900, 0x71), -XEN_EINVAL,
		     "nothing there");
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 1ull << 40, 0x71), -XEN_EINVAL);
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 0x50, 1ull << 40), -XEN_EINVAL);
	cr_assert_eq(p2m_add_mmio(d->p2m, 0x800, 1, &no_mmio, NULL), 0);
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 0x50, 0x800), -XEN_EPERM,
		     "MMIO stays");
	cr_assert(mapped(d, 0x50), "a failed move leaves the page");
	cr_assert_eq(d->tot_pages, pages - 1, "only shared_info's page went");
	/* Moving a page over shared_info unhooks it. */
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_gmfn, 0x50, 0x70), 0);
	cr_assert_eq(d->shared_info_gfn, HV_GFN_NONE);
	cr_assert_eq(d->tot_pages, pages - 1);
}

Test(memory_op, gmfn_range_and_its_continuations)
{
	uint64_t m[3] = { mfn_at(d, 0x10), mfn_at(d, 0x11), mfn_at(d, 0x12) };
	unsigned pieces = 0;

	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put16(d, ARG + 2, 3);
	hvt_put32(d, ARG + 4, XENMAPSPACE_gmfn_range);
	hvt_put64(d, ARG + 8, 0x10);
	hvt_put64(d, ARG + 16, 0x80);
	cr_assert_eq(memop(XENMEM_add_to_physmap, ARG), 0);
	for (unsigned i = 0; i < 3; i++) {
		cr_assert_eq(mfn_at(d, 0x80 + i), m[i]);
		cr_assert_not(mapped(d, 0x10 + i));
	}
	/* 150 pages, down over themselves: three pieces of at most 64. */
	hvt_put16(d, ARG + 2, 150);
	hvt_put64(d, ARG + 8, 0x40);
	hvt_put64(d, ARG + 16, 0x20);
	cr_assert_eq(
		hvt_call_all(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0, &pieces), 0);
	cr_assert_eq(pieces, 3);
	cr_assert(mapped(d, 0x20) && mapped(d, 0x20 + 149));
	cr_assert_not(mapped(d, 0x40 + 149));
	/* A done count past the size, or past what the size field holds. */
	cr_assert_eq(memop(XENMEM_add_to_physmap | (151 << 6), ARG), -XEN_EILSEQ);
	cr_assert_eq(memop(XENMEM_add_to_physmap | (0x10000ull << 6), ARG), -XEN_EDOM);
	/* The first page that cannot move stops the range with its error. */
	hvt_put16(d, ARG + 2, 4);
	hvt_put64(d, ARG + 8, 0xb4);
	hvt_put64(d, ARG + 16, 0xe0);
	cr_assert_eq(memop(XENMEM_add_to_physmap, ARG), -XEN_EINVAL, "0xb6 is empty");
	cr_assert(mapped(d, 0xe1), "the pages before it moved");
	cr_assert_not(mapped(d, 0xb5), "moved away");
}

/* A batch of n entries at LIST: idxs, gpfns, errs (errs preset to 0x7777). */
static void put_batch(struct domain *dd, uint16_t space, uint16_t size, uint16_t fdom)
{
	hvt_put16(dd, ARG, DOMID_SELF);
	hvt_put16(dd, ARG + 2, space);
	hvt_put16(dd, ARG + 4, size);
	hvt_put16(dd, ARG + 6, fdom);
	hvt_put64(dd, ARG + 8, BUF);
	hvt_put64(dd, ARG + 16, BUF + 0x1000);
	hvt_put64(dd, ARG + 24, BUF + 0x2000);
	for (unsigned i = 0; i < size; i++)
		hvt_put32(dd, BUF + 0x2000 + 4 * i, 0x7777);
}

static void put_entry(struct domain *dd, unsigned i, uint64_t idx, uint64_t gpfn)
{
	hvt_put64(dd, BUF + 8 * i, idx);
	hvt_put64(dd, BUF + 0x1000 + 8 * i, gpfn);
}

static int32_t batch_err(struct domain *dd, unsigned i)
{
	return (int32_t)hvt_get32(dd, BUF + 0x2000 + 4 * i);
}

Test(memory_op, batch_reports_each_entry)
{
	unsigned pieces = 0;

	put_batch(d, XENMAPSPACE_gmfn, 3, 0);
	put_entry(d, 0, 0x10, 0x80);
	put_entry(d, 1, 0x900, 0x81); /* nothing to move */
	put_entry(d, 2, 0x11, 0x82);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch, ARG), 0);
	cr_assert_eq(batch_err(d, 0), 0);
	cr_assert_eq(batch_err(d, 1), -XEN_EINVAL);
	cr_assert_eq(batch_err(d, 2), 0, "an error does not stop the batch");
	cr_assert(mapped(d, 0x80) && mapped(d, 0x82) && !mapped(d, 0x10));

	/* Continuations: 100 entries in two pieces, each entry answered. */
	put_batch(d, XENMAPSPACE_gmfn, 100, 0);
	for (unsigned i = 0; i < 100; i++)
		put_entry(d, i, 0x20 + i, 0x20 + i); /* each where it is */
	cr_assert_eq(hvt_call_all(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, ARG, 0,
				  &pieces),
		     0);
	cr_assert_eq(pieces, 2);
	cr_assert_eq(batch_err(d, 99), 0);
}

Test(memory_op, batch_errors)
{
	struct domain *d2 = hvt_domain(&hv, 1);

	put_batch(d, XENMAPSPACE_gmfn_range, 1, 0);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch, ARG), -XEN_EOPNOTSUPP);
	put_batch(d, XENMAPSPACE_gmfn, 2, 0);
	put_entry(d, 0, 0x10, 0x80);
	put_entry(d, 1, 0x11, 0x81);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch | (3 << 6), ARG), -XEN_EILSEQ);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch | (0x10000ull << 6), ARG), -XEN_EDOM);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch, HVT_BAD), -XEN_EFAULT);
	hvt_put16(d, ARG, d2->domid);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch, ARG), -XEN_EPERM);
	hvt_put16(d, ARG, 0x3333);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch, ARG), -XEN_ESRCH);
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put64(d, ARG + 24, HVT_BAD);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch, ARG), -XEN_EFAULT, "errs unwritable");
	hvt_put64(d, ARG + 24, BUF + 0x2000);
	hvt_put64(d, ARG + 16, HVT_BAD);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch, ARG), -XEN_EFAULT, "gpfns unreadable");
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch | (2 << 6), ARG), 0, "nothing left to do");
}

Test(memory_op, foreign_maps_hold_references)
{
	struct domain *dm = hvt_domain(&hv, 1); /* serves d: a device model */
	struct vcpu *vm = dm->vcpus[0];
	uint64_t page = mfn_at(d, 0x50), pages = dm->tot_pages;
	struct p2m_entry e;
	char buf[8];

	dm->target = d->domid;
	p2m_copy_to(d->p2m, 0x50 * SV_PAGE_SIZE, "guest!", 7);
	put_batch(dm, XENMAPSPACE_gmfn_foreign, 2, d->domid);
	put_entry(dm, 0, 0x50, 0x90);
	put_entry(dm, 1, 0x51, 0x91);
	cr_assert_eq(hvt_call(vm, __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, ARG, 0), 0);
	cr_assert_eq(batch_err(dm, 0), 0);
	cr_assert_eq(batch_err(dm, 1), 0);
	cr_assert(p2m_lookup(dm->p2m, 0x90, &e));
	cr_assert_eq(e.type, P2M_MAP_FOREIGN);
	cr_assert_eq(e.mfn, page);
	cr_assert_eq(refs(page), 2, "the owner's mapping and the foreign one");
	cr_assert_eq(dm->tot_pages, pages - 2, "the mapper's own pages there went");
	p2m_copy_from(dm->p2m, buf, 0x90 * SV_PAGE_SIZE, 7);
	cr_assert_str_eq(buf, "guest!");

	/* Removal drops the reference; the owner's page stays. */
	hvt_put16(dm, ARG, DOMID_SELF);
	hvt_put64(dm, ARG + 8, 0x90);
	cr_assert_eq(hvt_call(vm, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap, ARG, 0), 0);
	cr_assert_eq(refs(page), 1);
	cr_assert_eq(dm->tot_pages, pages - 2, "a foreign page was never the mapper's");
	cr_assert_eq(hvt_call(vm, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap, ARG, 0),
		     -XEN_ENOENT);

	/* The owner goes first: the page lives while it is mapped, and the
	 * mapper's teardown releases it. */
	page = mfn_at(d, 0x51);
	hv_domain_destroy(d);
	d = NULL;
	cr_assert_eq(refs(page), 1, "held by the foreign mapping");
	p2m_copy_to(dm->p2m, 0x91 * SV_PAGE_SIZE, "still", 6);
	hv_domain_destroy(dm);
	cr_assert_eq(refs(page), 0, "released at teardown");
}

Test(memory_op, foreign_refusals)
{
	struct domain *dm = hvt_domain(&hv, 1), *other = hvt_domain(&hv, 1);
	struct vcpu *vm = dm->vcpus[0];
	struct {
		uint16_t fdom;
		uint64_t idx;
		int32_t err;
		const char *why;
	} cases[] = {
		{ 0, 0x50, -XEN_EPERM, "no target" },
		{ 0x3333, 0x50, -XEN_ESRCH, "no such domain" },
		{ DOMID_SELF, 0x50, -XEN_ESRCH, "DOMID_SELF names no domain here" },
		{ 0, 0x900, -XEN_EINVAL, "a hole of the target" },
		{ 0, 1ull << 40, -XEN_EINVAL, "past the p2m" },
		{ 0, 0x90, -XEN_EINVAL, "the target's own foreign mapping" },
	};

	cases[0].fdom = other->domid;
	for (unsigned i = 3; i < G_N_ELEMENTS(cases); i++)
		cases[i].fdom = d->domid;
	dm->target = d->domid;
	/* d maps other's page at 0x90 (d serves other): not mappable on. */
	d->target = other->domid;
	put_batch(d, XENMAPSPACE_gmfn_foreign, 1, other->domid);
	put_entry(d, 0, 0x50, 0x90);
	cr_assert_eq(memop(XENMEM_add_to_physmap_batch, ARG), 0);
	cr_assert_eq(batch_err(d, 0), 0);
	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		put_batch(dm, XENMAPSPACE_gmfn_foreign, 1, cases[i].fdom);
		put_entry(dm, 0, cases[i].idx, 0x60);
		cr_assert_eq(
			hvt_call(vm, __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, ARG, 0),
			0);
		cr_assert_eq(batch_err(dm, 0), cases[i].err, "%s", cases[i].why);
		cr_assert(mapped(dm, 0x60), "%s: nothing changed", cases[i].why);
	}
	/* Itself. */
	put_batch(dm, XENMAPSPACE_gmfn_foreign, 1, dm->domid);
	put_entry(dm, 0, 0x50, 0x60);
	hvt_call(vm, __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, ARG, 0);
	cr_assert_eq(batch_err(dm, 0), -XEN_EPERM);
}

Test(memory_op, remove_from_physmap)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	uint64_t pages = d->tot_pages, page = mfn_at(d, 0x50);

	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put64(d, ARG + 8, 0x50);
	cr_assert_eq(memop(XENMEM_remove_from_physmap, ARG), 0);
	cr_assert_not(mapped(d, 0x50));
	cr_assert_eq(refs(page), 0, "the domain's own page is released");
	cr_assert_eq(d->tot_pages, pages - 1);
	cr_assert_eq(memop(XENMEM_remove_from_physmap, ARG), -XEN_ENOENT, "a hole");
	hvt_put64(d, ARG + 8, 1ull << 40);
	cr_assert_eq(memop(XENMEM_remove_from_physmap, ARG), -XEN_ENOENT);
	/* hv's pages are unhooked, not freed. */
	cr_assert_eq(add_shared_info(DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x70), 0);
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put64(d, ARG + 8, 0x70);
	cr_assert_eq(memop(XENMEM_remove_from_physmap, ARG), 0);
	cr_assert_eq(d->shared_info_gfn, HV_GFN_NONE);
	cr_assert(machmem_valid(&hv.mem, d->shared_info_mfn));
	cr_assert_eq(d->tot_pages, pages - 2, "shared_info took a page, removing it gave none");
	/* MMIO: -ENOENT (no page there). */
	cr_assert_eq(p2m_add_mmio(d->p2m, 0x800, 1, &no_mmio, NULL), 0);
	hvt_put64(d, ARG + 8, 0x800);
	cr_assert_eq(memop(XENMEM_remove_from_physmap, ARG), -XEN_ENOENT);
	cr_assert(mapped(d, 0x800));
	cr_assert_eq(memop(XENMEM_remove_from_physmap | (1 << 6), ARG), -XEN_EINVAL);
	cr_assert_eq(memop(XENMEM_remove_from_physmap, HVT_BAD), -XEN_EFAULT);
	hvt_put16(d, ARG, d2->domid);
	cr_assert_eq(memop(XENMEM_remove_from_physmap, ARG), -XEN_EPERM);
}
