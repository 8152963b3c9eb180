/*
 * Grant tables v1 (hv/grant_table.c): the sub-ops of a guest's start of day
 * and the placement of the table's frames in the physmap.
 */
#include <criterion/criterion.h>

#include "hv/grant_table.h"
#include "hv_test.h"

#define ARG 0x1000ull
#define LIST 0x2000ull

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

TestSuite(grant_table, .init = setup, .fini = teardown);

static long gntop(unsigned cmd, uint64_t uop, uint32_t count)
{
	return hvt_call(v, __HYPERVISOR_grant_table_op, cmd, uop, count);
}

static long map_frame(uint64_t idx, uint64_t gfn)
{
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put32(d, ARG + 4, XENMAPSPACE_grant_table);
	hvt_put64(d, ARG + 8, idx);
	hvt_put64(d, ARG + 16, gfn);
	return hvt_call(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0);
}

Test(grant_table, query_size)
{
	hvt_put16(d, ARG, DOMID_SELF);
	cr_assert_eq(gntop(GNTTABOP_query_size, ARG, 1), 0);
	cr_assert_eq(hvt_get32(d, ARG + 4), 0, "no frame yet");
	cr_assert_eq(hvt_get32(d, ARG + 8), HV_GNTTAB_MAX_FRAMES);
	cr_assert_eq(hvt_get16(d, ARG + 12), GNTST_okay);
	hvt_put16(d, ARG, 0x555);
	cr_assert_eq(gntop(GNTTABOP_query_size, ARG, 1), 0, "errors are in status");
	cr_assert_eq((int16_t)hvt_get16(d, ARG + 12), GNTST_bad_domain);
	cr_assert_eq(gntop(GNTTABOP_query_size, ARG, 2), -XEN_EINVAL, "count must be 1");
	cr_assert_eq(gntop(GNTTABOP_query_size, ARG, 0), -XEN_EINVAL);
	cr_assert_eq(gntop(GNTTABOP_query_size, HVT_BAD, 1), -XEN_EFAULT);
}

Test(grant_table, frames_in_the_physmap_and_setup_table)
{
	uint64_t pages = d->tot_pages;
	struct p2m_entry e;

	cr_assert_eq(map_frame(0, 0x90), 0);
	cr_assert(p2m_lookup(d->p2m, 0x90, &e));
	cr_assert_eq(e.mfn, d->gnttab->mfn[0]);
	cr_assert_eq(d->tot_pages, pages - 1);
	/* The guest writes a grant entry; hv sees it in its frame. */
	hvt_put16(d, 0x90000, 1); /* GTF_permit_access */
	cr_assert_eq(machmem_ptr(&hv.mem, d->gnttab->mfn[0])[0], 1);
	cr_assert_eq(map_frame(3, 0x93), 0, "frames up to idx are allocated");
	cr_assert_eq(d->gnttab->nr_frames, 4);
	cr_assert_eq(map_frame(0, 0x94), 0, "moving frame 0");
	cr_assert_not(p2m_lookup(d->p2m, 0x90, &e));
	cr_assert_eq(map_frame(HV_GNTTAB_MAX_FRAMES, 0x95), -XEN_EINVAL);
	cr_assert_eq(map_frame(XENMAPIDX_grant_table_status, 0x95), -XEN_EINVAL, "v2 only");
	cr_assert_eq(map_frame(0, 1ull << 40), -XEN_EINVAL);

	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put32(d, ARG + 4, 2);
	hvt_put64(d, ARG + 16, LIST);
	cr_assert_eq(gntop(GNTTABOP_setup_table, ARG, 1), 0);
	cr_assert_eq(hvt_get16(d, ARG + 8), GNTST_okay);
	cr_assert_eq(hvt_get64(d, LIST), 0x94);
	cr_assert_eq(hvt_get64(d, LIST + 8), HV_GFN_NONE, "frame 1 is not mapped");
	hvt_put32(d, ARG + 4, HV_GNTTAB_MAX_FRAMES + 1);
	cr_assert_eq(gntop(GNTTABOP_setup_table, ARG, 1), 0);
	cr_assert_eq((int16_t)hvt_get16(d, ARG + 8), GNTST_general_error);
	hvt_put32(d, ARG + 4, 2);
	hvt_put64(d, ARG + 16, HVT_BAD);
	cr_assert_eq(gntop(GNTTABOP_setup_table, ARG, 1), -XEN_EFAULT);
	cr_assert_eq(gntop(GNTTABOP_setup_table, ARG, 3), -XEN_EINVAL);
}

Test(grant_table, versions)
{
	hvt_put32(d, ARG, 1);
	cr_assert_eq(gntop(GNTTABOP_set_version, ARG, 1), 0);
	hvt_put32(d, ARG, 7);
	cr_assert_eq(gntop(GNTTABOP_set_version, ARG, 1), -XEN_EINVAL);
	cr_assert_eq(hvt_get32(d, ARG), 1, "the version in force comes back");
	hvt_put32(d, ARG, 0);
	cr_assert_eq(gntop(GNTTABOP_set_version, ARG, 1), -XEN_EINVAL);
	hvt_put32(d, ARG, 2);
	cr_assert_eq(gntop(GNTTABOP_set_version, ARG, 1), 0);
	cr_assert_eq(hvt_get32(d, ARG), 2);
	cr_assert_eq(gntop(GNTTABOP_set_version, HVT_BAD, 1), -XEN_EFAULT);
	hvt_put16(d, ARG, DOMID_SELF);
	cr_assert_eq(gntop(GNTTABOP_get_version, ARG, 1), 0);
	cr_assert_eq(hvt_get32(d, ARG + 4), 2);
	hvt_put16(d, ARG, 0x666);
	cr_assert_eq(gntop(GNTTABOP_get_version, ARG, 1), -XEN_ESRCH);
	cr_assert_eq(gntop(GNTTABOP_get_version, HVT_BAD, 1), -XEN_EFAULT);
}

Test(grant_table, not_yet)
{
	cr_assert_eq(gntop(GNTTABOP_transfer, ARG, 1), -XEN_ENOSYS);
	cr_assert_eq(gntop(GNTTABOP_unmap_and_replace, ARG, 1), -XEN_ENOSYS);
	cr_assert_eq(gntop(GNTTABOP_dump_table, ARG, 1), -XEN_ENOSYS);
	cr_assert_eq(gntop(0xffffffff, ARG, 1), -XEN_ENOSYS);
}

/* d2 grants its gfn 0x50 to d (ref), optionally read-only. */
static void grant(struct domain *d2, uint32_t ref, uint16_t flags, uint16_t to, uint32_t frame)
{
	uint8_t *e;

	cr_assert_eq(hv_gnttab_map_frame(d2->vcpus[0], ref / HV_GNTTAB_ENTRIES_PER_FRAME,
					 0x70 + ref / HV_GNTTAB_ENTRIES_PER_FRAME),
		     0);
	e = machmem_ptr(&hv.mem, d2->gnttab->mfn[ref / HV_GNTTAB_ENTRIES_PER_FRAME]) +
	    (ref % HV_GNTTAB_ENTRIES_PER_FRAME) * 8;
	st16_le_p(e, flags);
	st16_le_p(e + 2, to);
	st32_le_p(e + 4, frame);
}

/* One struct gnttab_copy at gpa in d's memory. */
static void put_copy(uint64_t gpa, uint64_t su, uint16_t sdom, uint16_t soff, uint64_t du,
		     uint16_t ddom, uint16_t doff, uint16_t len, uint16_t flags)
{
	hvt_put64(d, gpa, su);
	hvt_put16(d, gpa + 8, sdom);
	hvt_put16(d, gpa + 10, soff);
	hvt_put64(d, gpa + 16, du);
	hvt_put16(d, gpa + 24, ddom);
	hvt_put16(d, gpa + 26, doff);
	hvt_put16(d, gpa + 32, len);
	hvt_put16(d, gpa + 34, flags);
	hvt_put16(d, gpa + 36, 0x7777);
}

static int16_t copy_status(uint64_t gpa)
{
	return (int16_t)hvt_get16(d, gpa + 36);
}

Test(grant_table, copy_between_two_domains)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	char in[32] = "granted bytes from domain two!!", out[32] = { 0 };

	p2m_copy_to(d2->p2m, 0x50 * SV_PAGE_SIZE + 16, in, sizeof(in));
	grant(d2, 5, GTF_permit_access, d->domid, 0x50);
	/* From d2's grant into d's own page, and back into the grant. */
	put_copy(ARG, 5, d2->domid, 16, 0x40, DOMID_SELF, 0, 32, GNTCOPY_source_gref);
	put_copy(ARG + 40, 0x40, DOMID_SELF, 0, 5, d2->domid, 100, 32, GNTCOPY_dest_gref);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 2), 0);
	cr_assert_eq(copy_status(ARG), GNTST_okay);
	cr_assert_eq(copy_status(ARG + 40), GNTST_okay);
	p2m_copy_from(d->p2m, out, 0x40 * SV_PAGE_SIZE, sizeof(out));
	cr_assert_str_eq(out, in);
	p2m_copy_from(d2->p2m, out, 0x50 * SV_PAGE_SIZE + 100, sizeof(out));
	cr_assert_str_eq(out, in);
}

Test(grant_table, copy_refusals)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	struct {
		uint64_t su;
		uint16_t sdom, soff;
		uint64_t du;
		uint16_t ddom, doff, len, flags;
		int16_t status;
		const char *why;
	} c[] = {
		{ 5, 0, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref, GNTST_okay, "good" },
		{ 6, 0, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref, GNTST_general_error,
		  "granted to another domain" },
		{ 7, 0, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref, GNTST_general_error,
		  "not a permit_access entry" },
		{ 0x40, DOMID_SELF, 0, 8, 0, 0, 8, GNTCOPY_dest_gref, GNTST_general_error,
		  "read-only grant written" },
		{ 9, 0, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref, GNTST_bad_page,
		  "granted frame without RAM" },
		{ 512, 0, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref, GNTST_bad_gntref,
		  "past the table" },
		{ 0xffffffff, 0, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref, GNTST_bad_gntref,
		  "huge ref" },
		{ 5, 0x4321, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref, GNTST_bad_domain,
		  "no such domain" },
		{ 0x50, 0, 0, 0x40, DOMID_SELF, 0, 8, 0, GNTST_permission_denied,
		  "another domain's gfn without a grant" },
		{ 5, 0, 4090, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref, GNTST_bad_copy_arg,
		  "crosses the source page" },
		{ 5, 0, 0, 0x40, DOMID_SELF, 4095, 8, GNTCOPY_source_gref, GNTST_bad_copy_arg,
		  "crosses the destination page" },
		{ 5, 0, 0, 0x40, DOMID_SELF, 0, 4097, GNTCOPY_source_gref, GNTST_bad_copy_arg,
		  "longer than a page" },
		{ 0x40, DOMID_SELF, 0, HVT_RAM >> 12, DOMID_SELF, 0, 8, 0, GNTST_bad_page,
		  "own gfn without RAM" },
	};

	grant(d2, 5, GTF_permit_access, d->domid, 0x50);
	grant(d2, 6, GTF_permit_access, 0x999, 0x50);
	grant(d2, 7, 0, d->domid, 0x50);
	grant(d2, 8, GTF_permit_access | GTF_readonly, d->domid, 0x50);
	grant(d2, 9, GTF_permit_access, d->domid, 0xfffff);
	for (unsigned i = 0; i < G_N_ELEMENTS(c); i++) {
		uint16_t sdom = c[i].sdom ? c[i].sdom : d2->domid;
		uint16_t ddom = c[i].ddom ? c[i].ddom : d2->domid;
		put_copy(ARG + 40 * i, c[i].su, sdom, c[i].soff, c[i].du, ddom, c[i].doff, c[i].len,
			 c[i].flags);
	}
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, G_N_ELEMENTS(c)), 0, "errors are per op");
	for (unsigned i = 0; i < G_N_ELEMENTS(c); i++)
		cr_assert_eq(copy_status(ARG + 40 * i), c[i].status, "%s: %d", c[i].why,
			     copy_status(ARG + 40 * i));
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 0x80000000u), -XEN_EINVAL, "negative as an int");
	cr_assert_eq(gntop(GNTTABOP_copy, HVT_BAD, 1), -XEN_EFAULT);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 0), 0);
}

static int16_t map_ref(uint64_t at, uint64_t addr, uint32_t flags, uint32_t ref, uint16_t dom,
		       uint32_t *handle)
{
	hvt_put64(d, at, addr);
	hvt_put32(d, at + 8, flags);
	hvt_put32(d, at + 12, ref);
	hvt_put16(d, at + 16, dom);
	hvt_put16(d, at + 18, 0x7777);
	cr_assert_eq(gntop(GNTTABOP_map_grant_ref, at, 1), 0);
	if (handle)
		*handle = hvt_get32(d, at + 20);
	return (int16_t)hvt_get16(d, at + 18);
}

static int16_t unmap_ref(uint64_t addr, uint32_t handle)
{
	hvt_put64(d, ARG, addr);
	hvt_put64(d, ARG + 8, 0);
	hvt_put32(d, ARG + 16, handle);
	cr_assert_eq(gntop(GNTTABOP_unmap_grant_ref, ARG, 1), 0);
	return (int16_t)hvt_get16(d, ARG + 20);
}

static uint16_t entry_flags(struct domain *g, uint32_t ref)
{
	return (uint16_t)ld16_le_p(machmem_ptr(&hv.mem, g->gnttab->mfn[0]) + ref * 8);
}

Test(grant_table, map_and_unmap_a_grant)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	uint64_t gpa = 0x60 * SV_PAGE_SIZE;
	struct p2m_entry e, g;
	uint32_t h;
	char buf[8];

	p2m_copy_to(d2->p2m, 0x50 * SV_PAGE_SIZE, "shared!", 8);
	grant(d2, 5, GTF_permit_access, d->domid, 0x50);
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map, 5, d2->domid, &h), GNTST_okay);
	cr_assert(p2m_lookup(d->p2m, 0x60, &e));
	cr_assert(p2m_lookup(d2->p2m, 0x50, &g));
	cr_assert_eq(e.mfn, g.mfn, "the same machine frame");
	cr_assert_eq(e.type, P2M_GRANT_MAP_RW);
	cr_assert_eq(entry_flags(d2, 5), GTF_permit_access | GTF_reading | GTF_writing);
	p2m_copy_from(d->p2m, buf, gpa, 8);
	cr_assert_str_eq(buf, "shared!");
	p2m_copy_to(d->p2m, gpa, "mapped!", 8);
	p2m_copy_from(d2->p2m, buf, 0x50 * SV_PAGE_SIZE, 8);
	cr_assert_str_eq(buf, "mapped!", "writes reach the granting domain");

	cr_assert_eq(unmap_ref(gpa + SV_PAGE_SIZE, h), GNTST_bad_virt_addr);
	cr_assert_eq(unmap_ref(gpa, h + 1), GNTST_bad_handle);
	cr_assert_eq(unmap_ref(gpa, 0xffffffff), GNTST_bad_handle);
	cr_assert_eq(unmap_ref(gpa, h), GNTST_okay);
	cr_assert_not(p2m_lookup(d->p2m, 0x60, &e));
	cr_assert_eq(entry_flags(d2, 5), GTF_permit_access, "no longer pinned");
	cr_assert_eq(unmap_ref(gpa, h), GNTST_bad_handle, "twice");
}

Test(grant_table, read_only_maps)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	uint64_t gpa = 0x61 * SV_PAGE_SIZE;
	struct p2m_entry e;

	grant(d2, 8, GTF_permit_access | GTF_readonly, d->domid, 0x50);
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map, 8, d2->domid, NULL), GNTST_general_error,
		     "a writable map of a read-only grant");
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map | GNTMAP_readonly, 8, d2->domid, NULL),
		     GNTST_okay);
	cr_assert(p2m_lookup(d->p2m, 0x61, &e));
	cr_assert_eq(e.type, P2M_GRANT_MAP_RO);
	cr_assert_eq(p2m_copy_to(d->p2m, gpa, "x", 1), -EFAULT, "read-only");
	cr_assert_eq(entry_flags(d2, 8), GTF_permit_access | GTF_readonly | GTF_reading);
}

Test(grant_table, map_refusals)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	uint64_t gpa = 0x62 * SV_PAGE_SIZE;

	grant(d2, 5, GTF_permit_access, d->domid, 0x50);
	grant(d2, 6, GTF_permit_access, 0x999, 0x50);
	grant(d2, 9, GTF_permit_access, d->domid, 0xfffff);
	cr_assert_eq(map_ref(ARG, gpa, 0, 5, d2->domid, NULL), GNTST_bad_gntref, "no map kind");
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map | GNTMAP_contains_pte, 5, d2->domid, NULL),
		     GNTST_general_error);
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_device_map, 5, d2->domid, NULL), GNTST_general_error);
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map, 5, 0x4321, NULL), GNTST_bad_domain);
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map, 512, d2->domid, NULL), GNTST_bad_gntref);
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map, 6, d2->domid, NULL), GNTST_general_error,
		     "granted to someone else");
	cr_assert_eq(map_ref(ARG, gpa + 8, GNTMAP_host_map, 5, d2->domid, NULL),
		     GNTST_bad_virt_addr);
	cr_assert_eq(map_ref(ARG, 1ull << 60, GNTMAP_host_map, 5, d2->domid, NULL),
		     GNTST_bad_virt_addr);
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map, 9, d2->domid, NULL), GNTST_bad_page);
	cr_assert_eq(gntop(GNTTABOP_map_grant_ref, HVT_BAD, 1), -XEN_EFAULT);
	cr_assert_eq(gntop(GNTTABOP_map_grant_ref, ARG, 0xffffffffu), -XEN_EINVAL);
}

Test(grant_table, big_batches_continue_themselves)
{
	const unsigned n = 2 * HV_GNTTAB_PREEMPT_OPS + 10;
	const uint64_t src = 0x40000, dst = 0x60000;
	unsigned pieces;

	/* n copies of 8 bytes within the caller's own memory, by gfn. */
	for (unsigned i = 0; i < n; i++) {
		hvt_put64(d, src + 8 * i, 0x1000 + i);
		put_copy(ARG + 40 * i, src >> 12, DOMID_SELF, 8 * i, dst >> 12, DOMID_SELF, 8 * i,
			 8, 0);
	}
	/* The first piece stops after HV_GNTTAB_PREEMPT_OPS with the rest
	 * described in the arguments. */
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, n), 0);
	cr_assert(v->hcall_preempted);
	cr_assert_eq(v->hcall_args[0], GNTTABOP_copy);
	cr_assert_eq(v->hcall_args[1], ARG + 40ull * HV_GNTTAB_PREEMPT_OPS);
	cr_assert_eq(v->hcall_args[2], n - HV_GNTTAB_PREEMPT_OPS);
	cr_assert_eq(hvt_get64(d, dst + 8 * (HV_GNTTAB_PREEMPT_OPS - 1)),
		     0x1000 + HV_GNTTAB_PREEMPT_OPS - 1);
	cr_assert_eq(hvt_get64(d, dst + 8 * HV_GNTTAB_PREEMPT_OPS), 0, "not yet");
	/* Re-issued as the guest would: three pieces in all. */
	cr_assert_eq(hvt_call_all(v, __HYPERVISOR_grant_table_op, GNTTABOP_copy, ARG, n, &pieces),
		     0);
	cr_assert_eq(pieces, 3);
	cr_assert_not(v->hcall_preempted);
	for (unsigned i = 0; i < n; i++) {
		cr_assert_eq(copy_status(ARG + 40 * i), GNTST_okay);
		cr_assert_eq(hvt_get64(d, dst + 8 * i), 0x1000 + i);
	}
	/* A batch of failing maps is preempted all the same (work is work). */
	for (unsigned i = 0; i < n; i++)
		map_ref(ARG + 32 * i, 0x70000, GNTMAP_device_map, 5, DOMID_SELF, NULL);
	cr_assert_eq(hvt_call_all(v, __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ARG, n,
				  &pieces),
		     0);
	cr_assert_eq(pieces, 3);
}

Test(grant_table, maptrack_runs_out)
{
	struct domain *d2 = hvt_domain(&hv, 1);

	grant(d2, 5, GTF_permit_access, d->domid, 0x50);
	for (unsigned i = 0; i < HV_GNTTAB_MAPTRACK; i++)
		cr_assert_eq(map_ref(ARG, (0x100ull + i) * SV_PAGE_SIZE, GNTMAP_host_map, 5,
				     d2->domid, NULL),
			     GNTST_okay);
	cr_assert_eq(map_ref(ARG, 0x80ull * SV_PAGE_SIZE, GNTMAP_host_map, 5, d2->domid, NULL),
		     GNTST_no_device_space);
}

Test(grant_table, a_mapping_outlives_the_granting_domain)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	uint64_t gpa = 0x63 * SV_PAGE_SIZE;
	struct p2m_entry e;
	char buf[8];

	p2m_copy_to(d2->p2m, 0x50 * SV_PAGE_SIZE, "alive!!", 8);
	grant(d2, 5, GTF_permit_access, d->domid, 0x50);
	cr_assert_eq(map_ref(ARG, gpa, GNTMAP_host_map, 5, d2->domid, NULL), GNTST_okay);
	cr_assert(p2m_lookup(d->p2m, 0x63, &e));
	hv_domain_destroy(d2);
	cr_assert(machmem_valid(&hv.mem, e.mfn), "the mapping's reference keeps it");
	p2m_copy_from(d->p2m, buf, gpa, 8);
	cr_assert_str_eq(buf, "alive!!");
}

/* A frame a domain maps from another (foreign or by grant) is not its to
 * grant: copies and maps of it are GNTST_bad_page (Xen's get_paged_frame),
 * and so is a copy from or to the caller's own such gfn. */
Test(grant_table, foreign_and_granted_frames_are_not_grantable)
{
	struct domain *dm = hvt_domain(&hv, 1), *d3 = hvt_domain(&hv, 1);
	struct p2m_entry e;
	uint32_t h;

	/* dm serves d3 and maps d3's page 0x40 at its 0x50 ... */
	dm->target = d3->domid;
	hvt_put16(dm, ARG, DOMID_SELF);
	hvt_put16(dm, ARG + 2, XENMAPSPACE_gmfn_foreign);
	hvt_put16(dm, ARG + 4, 1);
	hvt_put16(dm, ARG + 6, d3->domid);
	hvt_put64(dm, ARG + 8, LIST);
	hvt_put64(dm, ARG + 16, LIST + 8);
	hvt_put64(dm, ARG + 24, LIST + 16);
	hvt_put64(dm, LIST, 0x40);
	hvt_put64(dm, LIST + 8, 0x50);
	cr_assert_eq(
		hvt_call(dm->vcpus[0], __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, ARG, 0),
		0);
	cr_assert_eq(hvt_get32(dm, LIST + 16), 0);
	cr_assert(p2m_lookup(dm->p2m, 0x50, &e) && e.type == P2M_MAP_FOREIGN);
	/* ... and grants it to d: no copy, no map. */
	grant(dm, 5, GTF_permit_access, d->domid, 0x50);
	put_copy(ARG, 5, dm->domid, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref);
	put_copy(ARG + 40, 0x40, DOMID_SELF, 0, 5, dm->domid, 0, 8, GNTCOPY_dest_gref);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 2), 0);
	cr_assert_eq(copy_status(ARG), GNTST_bad_page);
	cr_assert_eq(copy_status(ARG + 40), GNTST_bad_page);
	cr_assert_eq(map_ref(ARG, 0x60 * SV_PAGE_SIZE, GNTMAP_host_map, 5, dm->domid, NULL),
		     GNTST_bad_page);
	grant(dm, 7, GTF_permit_access, 0, 0x50);
	cr_assert_eq(hv_gnttab_backend_copy(dm, 7, 0, &e, 8, false), GNTST_bad_page,
		     "not for domain 0's backends either");
	cr_assert_eq(hv_gnttab_backend_map(dm, 7, &e.mfn), GNTST_bad_page);

	/* A grant d maps is not d's page for a local-gmfn copy side. */
	grant(d3, 6, GTF_permit_access, d->domid, 0x41);
	cr_assert_eq(map_ref(ARG, 0x61 * SV_PAGE_SIZE, GNTMAP_host_map, 6, d3->domid, &h),
		     GNTST_okay);
	put_copy(ARG, 0x61, DOMID_SELF, 0, 0x40, DOMID_SELF, 0, 8, 0);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 1), 0);
	cr_assert_eq(copy_status(ARG), GNTST_bad_page);
	/* Nor is a hole. */
	put_copy(ARG, 0x40, DOMID_SELF, 0, 0x900, DOMID_SELF, 0, 8, 0);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 1), 0);
	cr_assert_eq(copy_status(ARG), GNTST_bad_page);
	/* Mapping over a grant mapping is refused (Xen would crash d). */
	cr_assert_eq(map_ref(ARG + 64, 0x61 * SV_PAGE_SIZE, GNTMAP_host_map, 6, d3->domid, NULL),
		     GNTST_general_error);
	cr_assert_eq(unmap_ref(0x61 * SV_PAGE_SIZE, h), GNTST_okay);
}

/* ------------------------------------------------------------ version 2 */

static long set_version(struct domain *dd, uint32_t ver)
{
	hvt_put32(dd, ARG, ver);
	return hvt_call(dd->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_set_version, ARG, 1);
}

/* A v2 entry of dd: flags, domid, and the union's words at 4 and 8. */
static void grant2(struct domain *dd, uint32_t ref, uint16_t flags, uint16_t to, uint32_t w4,
		   uint64_t w8)
{
	uint8_t *e = machmem_ptr(&hv.mem, dd->gnttab->mfn[ref / 256]) + (ref % 256) * 16;

	st16_le_p(e + 2, to);
	st32_le_p(e + 4, w4);
	st64_le_p(e + 8, w8);
	st16_le_p(e, flags);
}

static uint16_t status2(struct domain *dd, uint32_t ref)
{
	return (uint16_t)ld16_le_p(machmem_ptr(&hv.mem, dd->gnttab->status_mfn[ref / 2048]) +
				   (ref % 2048) * 2);
}

static long status_frames(uint32_t n, uint16_t dom, int16_t *st)
{
	long rc;

	hvt_put32(d, ARG, n);
	hvt_put16(d, ARG + 4, dom);
	hvt_put16(d, ARG + 6, 0x7777);
	hvt_put64(d, ARG + 8, LIST);
	rc = gntop(GNTTABOP_get_status_frames, ARG, 1);
	*st = (int16_t)hvt_get16(d, ARG + 6);
	return rc;
}

Test(grant_table, v2_status_frames)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	int16_t st;

	/* v1: no status frames, neither to map nor to list. */
	cr_assert_eq(map_frame(0, 0x70), 0);
	cr_assert_eq(map_frame(XENMAPIDX_grant_table_status | 0, 0x80), -XEN_EINVAL);
	cr_assert_eq(status_frames(1, DOMID_SELF, &st), 0);
	cr_assert_eq(st, GNTST_general_error);

	cr_assert_eq(set_version(d, 2), 0);
	cr_assert_eq(d->gnttab->nr_status, 1, "256 entries need one status frame");
	cr_assert_eq(map_frame(XENMAPIDX_grant_table_status | 0, 0x80), 0);
	cr_assert_eq(map_frame(XENMAPIDX_grant_table_status | 1, 0x81), -XEN_EINVAL);
	cr_assert_eq(status_frames(1, DOMID_SELF, &st), 0);
	cr_assert_eq(st, GNTST_okay);
	cr_assert_eq(hvt_get64(d, LIST), 0x80);
	cr_assert_eq(status_frames(2, DOMID_SELF, &st), 0);
	cr_assert_eq(st, GNTST_general_error, "more than there are");
	cr_assert_eq(status_frames(1, d2->domid, &st), 0);
	cr_assert_eq(st, GNTST_permission_denied);
	cr_assert_eq(status_frames(1, 0x3333, &st), 0);
	cr_assert_eq(st, GNTST_bad_domain);
	hvt_put32(d, ARG, 1);
	hvt_put16(d, ARG + 4, DOMID_SELF);
	hvt_put64(d, ARG + 8, HVT_BAD);
	cr_assert_eq(gntop(GNTTABOP_get_status_frames, ARG, 1), 0);
	cr_assert_eq((int16_t)hvt_get16(d, ARG + 6), GNTST_bad_virt_addr);
	cr_assert_eq(gntop(GNTTABOP_get_status_frames, ARG, 2), -XEN_EINVAL, "count != 1");
	cr_assert_eq(gntop(GNTTABOP_get_status_frames, HVT_BAD, 1), -XEN_EFAULT);

	/* Nine shared frames: 2304 entries need two status frames. */
	cr_assert_eq(map_frame(8, 0x78), 0);
	cr_assert_eq(d->gnttab->nr_status, 2);
	/* Back to v1: the status frames leave the physmap. */
	cr_assert_eq(set_version(d, 1), 0);
	cr_assert_eq(d->gnttab->nr_status, 0);
	struct p2m_entry e;
	cr_assert_not(p2m_lookup(d->p2m, 0x80, &e), "unmapped with the switch");
	cr_assert(p2m_lookup(d->p2m, 0x70, &e), "the shared frames stay");
}

Test(grant_table, v2_map_and_copy)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	char in[] = "0123456789abcdef", out[17] = { 0 };
	uint32_t h;

	cr_assert_eq(set_version(d2, 2), 0);
	cr_assert_eq(hv_gnttab_map_frame(d2->vcpus[0], 0, 0x70), 0);
	p2m_copy_to(d2->p2m, 0x50 * SV_PAGE_SIZE + 100, in, 16);
	/* A full page, a sub-page (bytes 100..115), read-only. */
	grant2(d2, 10, GTF_permit_access, d->domid, 0, 0x50);
	grant2(d2, 11, GTF_permit_access | GTF_sub_page, d->domid, 100 | (16u << 16), 0x50);
	grant2(d2, 12, GTF_permit_access | GTF_readonly, d->domid, 0, 0x50);

	cr_assert_eq(map_ref(ARG, 0x60 * SV_PAGE_SIZE, GNTMAP_host_map, 10, d2->domid, &h),
		     GNTST_okay);
	cr_assert_eq(status2(d2, 10), GTF_reading | GTF_writing, "v2: the status word");
	cr_assert_eq(map_ref(ARG, 0x61 * SV_PAGE_SIZE, GNTMAP_host_map, 11, d2->domid, NULL),
		     GNTST_general_error, "no maps of a sub-page grant");
	cr_assert_eq(map_ref(ARG, 0x61 * SV_PAGE_SIZE, GNTMAP_host_map, 12, d2->domid, NULL),
		     GNTST_general_error, "a writable map of a read-only grant");
	cr_assert_eq(map_ref(ARG, 0x61 * SV_PAGE_SIZE, GNTMAP_host_map | GNTMAP_readonly, 12,
			     d2->domid, NULL),
		     GNTST_okay);
	cr_assert_eq(status2(d2, 12), GTF_reading);
	cr_assert_eq(map_ref(ARG, 0x62 * SV_PAGE_SIZE, GNTMAP_host_map, 256, d2->domid, NULL),
		     GNTST_bad_gntref, "v2: 256 entries a frame");

	/* Copies: within the sub-page only. */
	put_copy(ARG, 11, d2->domid, 100, 0x40, DOMID_SELF, 0, 16, GNTCOPY_source_gref);
	put_copy(ARG + 40, 11, d2->domid, 99, 0x40, DOMID_SELF, 0, 16, GNTCOPY_source_gref);
	put_copy(ARG + 80, 11, d2->domid, 104, 0x40, DOMID_SELF, 0, 16, GNTCOPY_source_gref);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 3), 0);
	cr_assert_eq(copy_status(ARG), GNTST_okay);
	cr_assert_eq(copy_status(ARG + 40), GNTST_general_error, "before the sub-page");
	cr_assert_eq(copy_status(ARG + 80), GNTST_general_error, "past its end");
	p2m_copy_from(d->p2m, out, 0x40 * SV_PAGE_SIZE, 16);
	cr_assert_str_eq(out, in);
	/* v1 reads the same page differently: switching is refused while
	 * entries past the reserved ones are mapped. */
	cr_assert_eq(set_version(d2, 1), -XEN_EBUSY);
	cr_assert_eq(hvt_get32(d2, ARG), 2);
	cr_assert_eq(unmap_ref(0x60 * SV_PAGE_SIZE, h), GNTST_okay);
	cr_assert_eq(status2(d2, 10), 0, "no longer in use");
}

Test(grant_table, v2_transitive_copies)
{
	struct domain *d2 = hvt_domain(&hv, 1), *d3 = hvt_domain(&hv, 1);
	char out[8] = { 0 };

	/* d3 grants d2 its page; d2 passes it on to d transitively. */
	cr_assert_eq(set_version(d2, 2), 0);
	cr_assert_eq(set_version(d3, 2), 0);
	cr_assert_eq(hv_gnttab_map_frame(d2->vcpus[0], 0, 0x70), 0);
	cr_assert_eq(hv_gnttab_map_frame(d3->vcpus[0], 0, 0x70), 0);
	p2m_copy_to(d3->p2m, 0x55 * SV_PAGE_SIZE, "d3 page", 8);
	grant2(d3, 20, GTF_permit_access, d2->domid, 0, 0x55);
	grant2(d2, 30, GTF_transitive, d->domid, d3->domid, 20);
	put_copy(ARG, 30, d2->domid, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 1), 0);
	cr_assert_eq(copy_status(ARG), GNTST_okay);
	p2m_copy_from(d->p2m, out, 0x40 * SV_PAGE_SIZE, 8);
	cr_assert_str_eq(out, "d3 page");
	/* Not mappable; not two levels deep; not to the wrong domain. */
	cr_assert_eq(map_ref(ARG + 128, 0x60 * SV_PAGE_SIZE, GNTMAP_host_map, 30, d2->domid, NULL),
		     GNTST_general_error);
	grant2(d3, 20, GTF_transitive, d2->domid, d->domid, 5);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 1), 0);
	cr_assert_eq(copy_status(ARG), GNTST_general_error, "one level only");
	grant2(d3, 20, GTF_permit_access, d->domid, 0, 0x55);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 1), 0);
	cr_assert_eq(copy_status(ARG), GNTST_general_error, "d3 granted it to d, not d2");
	grant2(d2, 31, GTF_transitive, d->domid, d2->domid, 30);
	put_copy(ARG, 31, d2->domid, 0, 0x40, DOMID_SELF, 0, 8, GNTCOPY_source_gref);
	cr_assert_eq(gntop(GNTTABOP_copy, ARG, 1), 0);
	cr_assert_eq(copy_status(ARG), GNTST_general_error, "to itself");
}

Test(grant_table, version_switch_keeps_the_reserved_entries)
{
	struct domain *d2 = hvt_domain(&hv, 1);
	uint32_t h;

	/* Entry 3 is mapped (a toolstack grant: allowed), 20 is not. */
	grant(d2, 3, GTF_permit_access, d->domid, 0x50);
	grant(d2, 20, GTF_permit_access, d->domid, 0x51);
	cr_assert_eq(map_ref(ARG, 0x60 * SV_PAGE_SIZE, GNTMAP_host_map, 3, d2->domid, &h),
		     GNTST_okay);
	cr_assert_eq(set_version(d2, 2), 0);
	/* Entry 3 as a v2 full-page grant, its pins in the status word. */
	uint8_t *e = machmem_ptr(&hv.mem, d2->gnttab->mfn[0]) + 3 * 16;
	cr_assert_eq(ld16_le_p(e), GTF_permit_access);
	cr_assert_eq(ld16_le_p(e + 2), d->domid);
	cr_assert_eq(ld64_le_p(e + 8), 0x50);
	cr_assert_eq(status2(d2, 3), GTF_reading | GTF_writing);
	e = machmem_ptr(&hv.mem, d2->gnttab->mfn[0]) + 20 * 16;
	cr_assert_eq(ld16_le_p(e), 0, "the rest is cleared");
	/* A reserved entry v1 cannot hold: the way back is -ERANGE. */
	grant2(d2, 4, GTF_permit_access, d->domid, 0, 1ull << 33);
	cr_assert_eq(set_version(d2, 1), -XEN_ERANGE);
	grant2(d2, 4, GTF_transitive, d->domid, d->domid, 1);
	cr_assert_eq(set_version(d2, 1), -XEN_ERANGE);
	grant2(d2, 4, 0, 0, 0, 0);
	cr_assert_eq(set_version(d2, 1), 0);
	cr_assert_eq(entry_flags(d2, 3), GTF_permit_access | GTF_reading | GTF_writing,
		     "v1 again: the pins in the flags");
	cr_assert_eq(unmap_ref(0x60 * SV_PAGE_SIZE, h), GNTST_okay);
	cr_assert_eq(entry_flags(d2, 3), GTF_permit_access);
	/* The same version again changes nothing. */
	cr_assert_eq(set_version(d2, 1), 0);
	cr_assert_eq(entry_flags(d2, 3), GTF_permit_access);
}

Test(grant_table, pins_count_every_mapping)
{
	struct domain *d2 = hvt_domain(&hv, 1), *d3 = hvt_domain(&hv, 1);
	uint64_t mfn;
	uint32_t h;

	/* d and the backend both map ref 5 of d2; d's unmap leaves the
	 * backend's pin. */
	grant(d2, 5, GTF_permit_access, d->domid, 0x50);
	cr_assert_eq(map_ref(ARG, 0x60 * SV_PAGE_SIZE, GNTMAP_host_map, 5, d2->domid, &h),
		     GNTST_okay);
	grant(d2, 6, GTF_permit_access, 0, 0x51);
	cr_assert_eq(hv_gnttab_backend_map(d2, 6, &mfn), GNTST_okay);
	cr_assert_eq(entry_flags(d2, 6), GTF_permit_access | GTF_reading | GTF_writing);
	cr_assert_eq(unmap_ref(0x60 * SV_PAGE_SIZE, h), GNTST_okay);
	cr_assert_eq(entry_flags(d2, 5), GTF_permit_access);
	cr_assert_eq(entry_flags(d2, 6), GTF_permit_access | GTF_reading | GTF_writing);
	hv_gnttab_backend_unmap(d2, 6, mfn);
	cr_assert_eq(entry_flags(d2, 6), GTF_permit_access);
	/* A mapper torn down releases its pins. */
	grant(d2, 7, GTF_permit_access, d3->domid, 0x52);
	hvt_put64(d3, ARG, 0x60 * SV_PAGE_SIZE);
	hvt_put32(d3, ARG + 8, GNTMAP_host_map | GNTMAP_readonly);
	hvt_put32(d3, ARG + 12, 7);
	hvt_put16(d3, ARG + 16, d2->domid);
	cr_assert_eq(
		hvt_call(d3->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ARG, 1),
		0);
	cr_assert_eq((int16_t)hvt_get16(d3, ARG + 18), GNTST_okay);
	cr_assert_eq(entry_flags(d2, 7), GTF_permit_access | GTF_reading);
	hv_domain_destroy(d3);
	cr_assert_eq(entry_flags(d2, 7), GTF_permit_access);
}
