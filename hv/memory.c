/*
 * memory_op (public/memory.h): the guest's view of its memory.
 *
 *   XENMEM_memory_map          the E820 map: one RAM range [0, ram_bytes), the
 *                              same map hvm_start_info carries (hv/x86/pvh.c)
 *   XENMEM_add_to_physmap      XENMAPSPACE_shared_info: map the domain's
 *                              shared_info frame at a gfn; XENMAPSPACE_grant_table:
 *                              a grant-table frame (hv/grant_table.c)
 *   XENMEM_current_reservation / maximum_reservation: pages the domain has /
 *                              may have
 *   XENMEM_populate_physmap / decrease_reservation: give pages back (a
 *                              balloon) and take them again, up to the
 *                              maximum; extents of order <= 9, as many as the
 *                              command can encode (2^26 - 1). Preemptible:
 *                              after HV_MEMORY_PREEMPT_PAGES pages the call
 *                              continues itself with the start extent in the
 *                              command's high bits (hv/hypercall.h); the
 *                              return value counts from 0, as Xen's
 * Everything else is -ENOSYS for now.
 *
 * Worked example (Linux's xen_hvm_init_shared_info): add_to_physmap
 * {domid=DOMID_SELF, space=shared_info, idx=0, gpfn=0x1234}: the RAM page
 * that was at gfn 0x1234 is released (the domain has one page less), the
 * shared_info frame is mapped there, and a mapping of it at another gfn is
 * removed, as Xen does; the guest then reads vcpu_info[0] at 0x1234000.
 */
#include "hv/grant_table.h"
#include "hv/hypercall.h"
#include "hv/shared_info.h"

#include <inttypes.h>

/* struct xen_memory_map { unsigned int nr_entries; @8 XEN_GUEST_HANDLE(void) buffer; } */
#define XEN_MEMORY_MAP_SIZE 16
/* struct e820entry { uint64_t addr, size; uint32_t type; } __packed */
#define XEN_E820_ENTRY_SIZE 20
/* struct xen_add_to_physmap { domid_t domid; uint16_t size; unsigned int space;
 * @8 xen_ulong_t idx; @16 xen_pfn_t gpfn; } */
#define XEN_ADD_TO_PHYSMAP_SIZE 24

/* struct xen_memory_reservation { XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
 * @8 xen_ulong_t nr_extents; @16 unsigned int extent_order; @20 unsigned int
 * mem_flags; @24 domid_t domid; } */
#define XEN_MEMORY_RESERVATION_SIZE 32
#define MEMOP_EXTENT_SHIFT 6
#define HV_MEMORY_MAX_ORDER 9
/* The largest count a continuation can encode in the command (Xen's
 * UINT_MAX >> MEMOP_EXTENT_SHIFT), and the pages one piece may touch. */
#define HV_MEMORY_MAX_EXTENTS (UINT32_MAX >> MEMOP_EXTENT_SHIFT)
#define HV_MEMORY_PREEMPT_PAGES 4096

/* An unprivileged caller names only itself. */
static long memory_self(struct vcpu *v, uint16_t domid)
{
	if (domid == DOMID_SELF || domid == v->d->domid)
		return 0;
	return hv_domain_by_id(v->d->hv, domid) ? -XEN_EPERM : -XEN_ESRCH;
}

static long memory_map(struct vcpu *v, uint64_t arg)
{
	uint8_t map[XEN_MEMORY_MAP_SIZE], e[XEN_E820_ENTRY_SIZE] = { 0 };
	const uint32_t n_entries = 1;
	uint32_t n;

	if (hv_copy_from_guest(v, map, arg, sizeof(map)) < 0)
		return -XEN_EFAULT;
	/* As many entries as the buffer holds, and how many were written. */
	n = hv_guest_u32(v, map);
	if (n > n_entries)
		n = n_entries;
	if (n) {
		hv_guest_put_u64(v, e, 0);
		hv_guest_put_u64(v, e + 8, v->d->ram_bytes);
		hv_guest_put_u32(v, e + 16, XEN_E820_RAM);
		if (hv_copy_to_guest(v, hv_guest_u64(v, map + 8), e, sizeof(e)) < 0)
			return -XEN_EFAULT;
	}
	hv_guest_put_u32(v, map, n);
	return hv_copy_to_guest(v, arg, map, 4) < 0 ? -XEN_EFAULT : 0;
}

/* Map the shared_info frame at gfn (Xen's xenmem_add_to_physmap_one). */
static long memory_map_shared_info(struct vcpu *v, uint64_t idx, uint64_t gfn)
{
	struct domain *d = v->d;
	struct p2m_entry old;
	int rc;

	if (idx != 0 || gfn > P2M_MAX_GFN)
		return -XEN_EINVAL;
	/* The page now at gfn goes; one of the domain's own RAM pages is
	 * released by the p2m dropping its reference. */
	if (p2m_lookup(d->p2m, gfn, &old) && old.mfn != d->shared_info_mfn &&
	    (old.type == P2M_RAM_RW || old.type == P2M_RAM_RO) && d->tot_pages)
		d->tot_pages--;
	/* Unmap shared_info from its old place, if any. */
	if (d->shared_info_gfn != HV_GFN_NONE && d->shared_info_gfn != gfn)
		p2m_remove(d->p2m, d->shared_info_gfn);
	rc = p2m_set(d->p2m, gfn, d->shared_info_mfn, P2M_RAM_RW, P2M_ACCESS_RW);
	if (rc < 0) {
		d->shared_info_gfn = HV_GFN_NONE;
		return -XEN_ENOMEM;
	}
	d->shared_info_gfn = gfn;
	hv_trace(v, TRACE_P2M,
		 "P2M add_to_physmap shared_info gfn=0x%" PRIx64 " mfn=0x%" PRIx64
		 " (was %s mfn=0x%" PRIx64 ")",
		 gfn, d->shared_info_mfn, p2m_type_name(old.type), old.mfn);
	return 0;
}

static long memory_add_to_physmap(struct vcpu *v, uint64_t arg)
{
	uint8_t b[XEN_ADD_TO_PHYSMAP_SIZE];
	unsigned space;
	long rc;

	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	rc = memory_self(v, hv_guest_u16(v, b));
	if (rc < 0)
		return rc;
	space = hv_guest_u32(v, b + 4);
	switch (space) {
	case XENMAPSPACE_shared_info:
		return memory_map_shared_info(v, hv_guest_u64(v, b + 8), hv_guest_u64(v, b + 16));
	case XENMAPSPACE_grant_table:
		return hv_gnttab_map_frame(v, hv_guest_u64(v, b + 8), hv_guest_u64(v, b + 16));
	case XENMAPSPACE_gmfn:
	case XENMAPSPACE_gmfn_range:
	case XENMAPSPACE_gmfn_foreign:
	case XENMAPSPACE_dev_mmio: return -XEN_ENOSYS; /* not yet */
	default: return -XEN_EINVAL;
	}
}

static long memory_reservation(struct vcpu *v, uint64_t arg, bool maximum)
{
	uint8_t b[2];
	long rc;

	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	rc = memory_self(v, hv_guest_u16(v, b));
	if (rc < 0)
		return rc;
	return (long)(maximum ? v->d->max_pages : v->d->tot_pages);
}

/* Is gfn where hv's own frames (shared_info, grant table) are mapped? The
 * balloon ops leave those alone. */
static bool memory_hv_gfn(struct domain *d, uint64_t gfn)
{
	if (gfn == d->shared_info_gfn)
		return true;
	for (unsigned i = 0; i < d->gnttab->nr_frames; i++)
		if (d->gnttab->gfn[i] == gfn)
			return true;
	return false;
}

/* Release the RAM pages of one extent (all or nothing). */
static bool memory_decrease_extent(struct domain *d, uint64_t gfn, uint64_t n)
{
	struct p2m_entry e;

	for (uint64_t i = 0; i < n; i++)
		if (!p2m_lookup(d->p2m, gfn + i, &e) ||
		    (e.type != P2M_RAM_RW && e.type != P2M_RAM_RO) || memory_hv_gfn(d, gfn + i))
			return false;
	for (uint64_t i = 0; i < n; i++) {
		p2m_remove(d->p2m, gfn + i);
		d->tot_pages--;
	}
	return true;
}

/* Fresh pages for one extent, replacing what was there. */
static bool memory_populate_extent(struct domain *d, uint64_t gfn, uint64_t n)
{
	struct p2m_entry e;
	uint64_t had = 0;

	for (uint64_t i = 0; i < n; i++) {
		if (!p2m_lookup(d->p2m, gfn + i, &e))
			continue;
		if ((e.type != P2M_RAM_RW && e.type != P2M_RAM_RO) || memory_hv_gfn(d, gfn + i))
			return false; /* MMIO, grant and hv pages stay */
		had++;
	}
	if (d->tot_pages - had + n > d->max_pages)
		return false;
	if (p2m_populate_ram(d->p2m, gfn, n) < 0)
		return false;
	d->tot_pages = d->tot_pages - had + n;
	return true;
}

/* populate_physmap and decrease_reservation: the number of extents done. */
static long memory_reservation_op(struct vcpu *v, uint64_t cmd, uint64_t arg, bool populate)
{
	struct domain *d = v->d;
	uint8_t b[XEN_MEMORY_RESERVATION_SIZE], x[8];
	uint64_t start, n, list, i, budget = HV_MEMORY_PREEMPT_PAGES;
	unsigned order;
	long rc;

	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	list = hv_guest_u64(v, b);
	n = hv_guest_u64(v, b + 8);
	order = hv_guest_u32(v, b + 16);
	rc = memory_self(v, hv_guest_u16(v, b + 24));
	if (rc < 0)
		return rc;
	start = cmd >> MEMOP_EXTENT_SHIFT;
	if (order > HV_MEMORY_MAX_ORDER || n > HV_MEMORY_MAX_EXTENTS || start > n)
		return -XEN_EINVAL;
	for (i = start; i < n; i++) {
		uint64_t gfn;

		if (budget < (1ull << order) && i > start) {
			/* This piece is done: the rest is a continuation. */
			const uint64_t rest[6] = {
				(cmd & MEMOP_CMD_MASK) | (i << MEMOP_EXTENT_SHIFT), arg
			};
			hv_trace(v, TRACE_P2M,
				 "P2M %s %" PRIu64 " of %" PRIu64 " extents of order %u, preempted",
				 populate ? "populate_physmap" : "decrease_reservation", i - start,
				 n - start, order);
			return hv_hypercall_create_continuation(v, rest);
		}
		budget -= MIN(budget, 1ull << order);

		if (hv_copy_from_guest(v, x, list + 8 * i, sizeof(x)) < 0)
			break;
		gfn = hv_guest_u64(v, x);
		if (gfn & ((1ull << order) - 1) || gfn > P2M_MAX_GFN + 1 - (1ull << order))
			break;
		if (!(populate ? memory_populate_extent(d, gfn, 1ull << order) :
				 memory_decrease_extent(d, gfn, 1ull << order)))
			break;
	}
	hv_trace(v, TRACE_P2M, "P2M %s %" PRIu64 " of %" PRIu64 " extents of order %u",
		 populate ? "populate_physmap" : "decrease_reservation", i - start, n - start,
		 order);
	return (long)i;
}

long do_memory_op(struct vcpu *v, const uint64_t a[6])
{
	unsigned op = (unsigned)(a[0] & MEMOP_CMD_MASK);

	switch (op) {
	case XENMEM_memory_map: return memory_map(v, a[1]);
	case XENMEM_add_to_physmap: return memory_add_to_physmap(v, a[1]);
	case XENMEM_populate_physmap: return memory_reservation_op(v, a[0], a[1], true);
	case XENMEM_decrease_reservation: return memory_reservation_op(v, a[0], a[1], false);
	case XENMEM_current_reservation: return memory_reservation(v, a[1], false);
	case XENMEM_maximum_reservation: return memory_reservation(v, a[1], true);
	default: return -XEN_ENOSYS;
	}
}
