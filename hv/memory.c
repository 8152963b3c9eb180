/*
 * memory_op (public/memory.h): the guest's view of its memory.
 *
 *   XENMEM_memory_map          the E820 map: one RAM range [0, ram_bytes), the
 *                              same map hvm_start_info carries (hv/x86/pvh.c)
 *   XENMEM_add_to_physmap      XENMAPSPACE_shared_info: map the domain's
 *                              shared_info frame at a gfn; XENMAPSPACE_grant_table:
 *                              a grant-table frame (hv/grant_table.c);
 *                              XENMAPSPACE_gmfn: move a RAM page of the domain
 *                              from gfn idx to gpfn; gmfn_range: size of them
 *                              (preemptible, the done count in the command's
 *                              high bits); gmfn_foreign: only in the batch
 *   XENMEM_add_to_physmap_batch  the same for a list of (idx, gpfn), each
 *                              entry's result in errs[]; with gmfn_foreign,
 *                              idx is a gfn of u.foreign_domid, which the
 *                              caller must serve (d->target, Xen's XSM_TARGET
 *                              rule): the page is mapped as map_foreign, the
 *                              p2m holding a reference on it until the
 *                              mapping is removed or the domain torn down
 *   XENMEM_remove_from_physmap the page at a gpfn goes: the domain's own RAM
 *                              is released, a foreign page's reference dropped,
 *                              hv's pages unhooked; a grant mapping or nothing
 *                              there is -ENOENT
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
 * Whatever was at a target gpfn goes first (hv_physmap_clear), as in Xen's
 * xenmem_add_to_physmap_one. Everything else is -ENOSYS for now.
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

/* struct xen_add_to_physmap_batch { domid_t domid; uint16_t space; @4
 * uint16_t size; @6 domid_t foreign_domid (u.res0 for the other spaces);
 * @8 XEN_GUEST_HANDLE(xen_ulong_t) idxs; @16 XEN_GUEST_HANDLE(xen_pfn_t)
 * gpfns; @24 XEN_GUEST_HANDLE(int) errs; } */
#define XEN_ADD_TO_PHYSMAP_BATCH_SIZE 32
/* struct xen_remove_from_physmap { domid_t domid; @8 xen_pfn_t gpfn; } */
#define XEN_REMOVE_FROM_PHYSMAP_SIZE 16
/* Pages of a gmfn_range or batch one piece of the call may map. */
#define HV_PHYSMAP_PREEMPT_PAGES 64

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

/* Is gfn where hv's own frames (shared_info, grant table) are mapped? The
 * balloon ops and gmfn moves leave those alone. */
static bool memory_hv_gfn(struct domain *d, uint64_t gfn)
{
	return gfn == d->shared_info_gfn || hv_gnttab_owns_gfn(d, gfn, false);
}

static bool memory_is_ram(const struct p2m_entry *e)
{
	return e->type == P2M_RAM_RW || e->type == P2M_RAM_RO;
}

int hv_physmap_clear(struct domain *d, uint64_t gfn, uint64_t keep_mfn)
{
	struct p2m_entry e;

	if (!p2m_lookup(d->p2m, gfn, &e))
		return 0;
	if (e.mfn == keep_mfn && memory_is_ram(&e))
		return 0;
	switch (e.type) {
	case P2M_GRANT_MAP_RW:
	case P2M_GRANT_MAP_RO: return -XEN_EBUSY; /* GNTTABOP_unmap_grant_ref first */
	case P2M_MAP_FOREIGN: break;
	case P2M_RAM_RW:
	case P2M_RAM_RO:
		/* hv's special pages are unhooked; the domain's own RAM is
		 * freed (Xen's guest_remove_page), one page less. */
		if (gfn == d->shared_info_gfn) {
			d->shared_info_gfn = HV_GFN_NONE;
			break;
		}
		if (!hv_gnttab_owns_gfn(d, gfn, true) && d->tot_pages)
			d->tot_pages--;
		break;
	default: return -XEN_EPERM; /* MMIO, hv's tables */
	}
	p2m_remove(d->p2m, gfn);
	return 0;
}

/* Map the shared_info frame at gfn (Xen's xenmem_add_to_physmap_one). */
static long memory_map_shared_info(struct vcpu *v, uint64_t idx, uint64_t gfn)
{
	struct domain *d = v->d;
	struct p2m_entry old;
	long rc;
	int err;

	if (idx != 0 || gfn > P2M_MAX_GFN)
		return -XEN_EINVAL;
	p2m_lookup(d->p2m, gfn, &old);
	/* The page now at gfn goes (one of the domain's own RAM pages is
	 * released by the p2m dropping its reference). */
	rc = hv_physmap_clear(d, gfn, d->shared_info_mfn);
	if (rc < 0)
		return rc;
	/* Unmap shared_info from its old place, if any. */
	if (d->shared_info_gfn != HV_GFN_NONE && d->shared_info_gfn != gfn)
		p2m_remove(d->p2m, d->shared_info_gfn);
	err = p2m_set(d->p2m, gfn, d->shared_info_mfn, P2M_RAM_RW, P2M_ACCESS_RW);
	if (err < 0) {
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

/* XENMAPSPACE_gmfn: the domain's RAM page at idx moves to gpfn (the page
 * there goes first); idx is empty after. */
static long memory_move_gmfn(struct vcpu *v, uint64_t idx, uint64_t gpfn)
{
	struct domain *d = v->d;
	struct machmem *mem = &d->hv->mem;
	struct p2m_entry src;
	long rc;

	if (idx > P2M_MAX_GFN || gpfn > P2M_MAX_GFN)
		return -XEN_EINVAL;
	if (!p2m_lookup(d->p2m, idx, &src) || !memory_is_ram(&src) || memory_hv_gfn(d, idx))
		return -XEN_EINVAL;
	if (idx == gpfn)
		return 0;
	/* Our own reference keeps the frame while neither slot holds it. */
	machmem_get(mem, src.mfn);
	rc = hv_physmap_clear(d, gpfn, HV_GFN_NONE);
	if (rc == 0) {
		p2m_remove(d->p2m, idx);
		if (p2m_set(d->p2m, gpfn, src.mfn, (enum p2m_type)src.type, src.access) < 0) {
			d->tot_pages--; /* the page is gone */
			rc = -XEN_ENOMEM;
		}
	}
	machmem_put(mem, src.mfn);
	if (rc == 0)
		hv_trace(v, TRACE_P2M,
			 "P2M add_to_physmap gmfn idx=0x%" PRIx64 " -> gfn=0x%" PRIx64
			 " mfn=0x%" PRIx64,
			 idx, gpfn, src.mfn);
	return rc;
}

/* XENMAPSPACE_gmfn_foreign: the page at gfn idx of domain fdom at gpfn of
 * the caller's, as Xen's p2m_add_foreign: the caller must serve fdom. */
static long memory_map_foreign(struct vcpu *v, uint16_t fdom, uint64_t idx, uint64_t gpfn)
{
	struct domain *d = v->d, *fd;
	struct p2m_entry src;
	long rc;

	fd = hv_domain_by_id(d->hv, fdom);
	if (!fd)
		return -XEN_ESRCH;
	if (fd == d)
		return -XEN_EPERM; /* rcu_lock_remote_domain_by_id: not ourselves */
	if (d->target != fd->domid)
		return -XEN_EPERM; /* xsm_map_gmfn_foreign(XSM_TARGET) */
	if (idx > P2M_MAX_GFN || gpfn > P2M_MAX_GFN)
		return -XEN_EINVAL;
	/* Only fd's own RAM: not its grant or foreign mappings, nor MMIO. */
	if (!p2m_lookup(fd->p2m, idx, &src) || !memory_is_ram(&src))
		return -XEN_EINVAL;
	machmem_get(&d->hv->mem, src.mfn);
	rc = hv_physmap_clear(d, gpfn, HV_GFN_NONE);
	if (rc == 0 && p2m_set(d->p2m, gpfn, src.mfn, P2M_MAP_FOREIGN,
			       src.type == P2M_RAM_RO ? P2M_ACCESS_R : P2M_ACCESS_RW) < 0)
		rc = -XEN_ENOMEM;
	machmem_put(&d->hv->mem, src.mfn);
	if (rc == 0)
		hv_trace(v, TRACE_P2M,
			 "P2M add_to_physmap gmfn_foreign d%u gfn=0x%" PRIx64 " -> gfn=0x%" PRIx64
			 " mfn=0x%" PRIx64,
			 fd->domid, idx, gpfn, src.mfn);
	return rc;
}

/* One page of any space (Xen's xenmem_add_to_physmap_one). */
static long memory_add_one(struct vcpu *v, unsigned space, uint16_t fdom, uint64_t idx,
			   uint64_t gpfn)
{
	switch (space) {
	case XENMAPSPACE_shared_info: return memory_map_shared_info(v, idx, gpfn);
	case XENMAPSPACE_grant_table: return hv_gnttab_map_frame(v, idx, gpfn);
	case XENMAPSPACE_gmfn: return memory_move_gmfn(v, idx, gpfn);
	case XENMAPSPACE_gmfn_foreign: return memory_map_foreign(v, fdom, idx, gpfn);
	case XENMAPSPACE_dev_mmio: return -XEN_EACCES; /* the hardware domain's only */
	default: return -XEN_EINVAL;
	}
}

static long memory_add_to_physmap(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	uint8_t b[XEN_ADD_TO_PHYSMAP_SIZE];
	uint64_t start = cmd >> MEMOP_EXTENT_SHIFT, idx, gpfn;
	unsigned space, size;
	long rc;

	/* The done count of a gmfn_range continuation fits the size field. */
	if (start > UINT16_MAX)
		return -XEN_EDOM;
	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	space = hv_guest_u32(v, b + 4);
	/* Foreign mappings only through the batch. */
	if (space == XENMAPSPACE_gmfn_foreign)
		return -XEN_ENOSYS;
	rc = memory_self(v, hv_guest_u16(v, b));
	if (rc < 0)
		return rc;
	idx = hv_guest_u64(v, b + 8);
	gpfn = hv_guest_u64(v, b + 16);
	if (space != XENMAPSPACE_gmfn_range)
		return memory_add_one(v, space, DOMID_INVALID, idx, gpfn);
	size = hv_guest_u16(v, b + 2);
	if (size < start)
		return -XEN_EILSEQ;
	for (uint64_t i = start; i < size; i++) {
		if (i - start == HV_PHYSMAP_PREEMPT_PAGES) {
			const uint64_t rest[6] = {
				(cmd & MEMOP_CMD_MASK) | (i << MEMOP_EXTENT_SHIFT), arg
			};
			return hv_hypercall_create_continuation(v, rest);
		}
		rc = memory_move_gmfn(v, idx + i, gpfn + i);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* XENMEM_add_to_physmap_batch: 0 once every entry has its errs[] result,
 * or the error that stopped the batch. */
static long memory_add_to_physmap_batch(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	uint8_t b[XEN_ADD_TO_PHYSMAP_BATCH_SIZE], x[8], r[4];
	uint64_t start = cmd >> MEMOP_EXTENT_SHIFT, idxs, gpfns, errs;
	unsigned space, size;
	uint16_t fdom;
	long rc;

	if (start > UINT16_MAX)
		return -XEN_EDOM;
	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	space = hv_guest_u16(v, b + 2);
	if (space == XENMAPSPACE_gmfn_range)
		return -XEN_EOPNOTSUPP;
	rc = memory_self(v, hv_guest_u16(v, b));
	if (rc < 0)
		return rc;
	size = hv_guest_u16(v, b + 4);
	fdom = hv_guest_u16(v, b + 6);
	idxs = hv_guest_u64(v, b + 8);
	gpfns = hv_guest_u64(v, b + 16);
	errs = hv_guest_u64(v, b + 24);
	if (size < start)
		return -XEN_EILSEQ;
	for (uint64_t i = start; i < size; i++) {
		uint64_t idx, gpfn;

		if (i - start == HV_PHYSMAP_PREEMPT_PAGES) {
			const uint64_t rest[6] = {
				(cmd & MEMOP_CMD_MASK) | (i << MEMOP_EXTENT_SHIFT), arg
			};
			return hv_hypercall_create_continuation(v, rest);
		}
		/* xen_ulong_t and xen_pfn_t are 64-bit on both our guests. */
		if (hv_copy_from_guest(v, x, idxs + 8 * i, sizeof(x)) < 0)
			return -XEN_EFAULT;
		idx = hv_guest_u64(v, x);
		if (hv_copy_from_guest(v, x, gpfns + 8 * i, sizeof(x)) < 0)
			return -XEN_EFAULT;
		gpfn = hv_guest_u64(v, x);
		rc = memory_add_one(v, space, fdom, idx, gpfn);
		hv_guest_put_u32(v, r, (uint32_t)(int32_t)rc);
		if (hv_copy_to_guest(v, errs + 4 * i, r, sizeof(r)) < 0)
			return -XEN_EFAULT;
	}
	return 0;
}

/* XENMEM_remove_from_physmap. */
static long memory_remove_from_physmap(struct vcpu *v, uint64_t cmd, uint64_t arg)
{
	uint8_t b[XEN_REMOVE_FROM_PHYSMAP_SIZE];
	struct domain *d = v->d;
	struct p2m_entry e;
	uint64_t gpfn;
	long rc;

	if (cmd >> MEMOP_EXTENT_SHIFT)
		return -XEN_EINVAL;
	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	rc = memory_self(v, hv_guest_u16(v, b));
	if (rc < 0)
		return rc;
	gpfn = hv_guest_u64(v, b + 8);
	/* Xen finds a page there with get_page_from_gfn: RAM or foreign
	 * (grant mappings, MMIO and holes are -ENOENT). */
	if (gpfn > P2M_MAX_GFN || !p2m_lookup(d->p2m, gpfn, &e) ||
	    (!memory_is_ram(&e) && e.type != P2M_MAP_FOREIGN))
		return -XEN_ENOENT;
	rc = hv_physmap_clear(d, gpfn, HV_GFN_NONE);
	if (rc == 0)
		hv_trace(v, TRACE_P2M,
			 "P2M remove_from_physmap gfn=0x%" PRIx64 " (was %s mfn=0x%" PRIx64 ")",
			 gpfn, p2m_type_name(e.type), e.mfn);
	return rc;
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
	case XENMEM_add_to_physmap: return memory_add_to_physmap(v, a[0], a[1]);
	case XENMEM_add_to_physmap_batch: return memory_add_to_physmap_batch(v, a[0], a[1]);
	case XENMEM_remove_from_physmap: return memory_remove_from_physmap(v, a[0], a[1]);
	case XENMEM_populate_physmap: return memory_reservation_op(v, a[0], a[1], true);
	case XENMEM_decrease_reservation: return memory_reservation_op(v, a[0], a[1], false);
	case XENMEM_current_reservation: return memory_reservation(v, a[1], false);
	case XENMEM_maximum_reservation: return memory_reservation(v, a[1], true);
	default: return -XEN_ENOSYS;
	}
}
