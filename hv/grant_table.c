/*
 * Grant tables v1 (see hv/grant_table.h): the table's frames, their place in
 * the guest physmap, and the grant_table_op sub-ops a guest's start of day
 * uses. grant_table_op(cmd, uop, count): the sub-ops here take exactly one
 * structure (count != 1 is -EINVAL, as in Xen).
 */
#include "hv/grant_table.h"
#include "hv/hypercall.h"

#include <inttypes.h>

/* struct gnttab_setup_table { domid_t dom; @4 uint32_t nr_frames;
 * @8 int16_t status; @16 XEN_GUEST_HANDLE(xen_pfn_t) frame_list; } */
#define XEN_GNTTAB_SETUP_TABLE_SIZE 24
/* struct gnttab_query_size { domid_t dom; @4 uint32_t nr_frames;
 * @8 uint32_t max_nr_frames; @12 int16_t status; } */
#define XEN_GNTTAB_QUERY_SIZE_SIZE 16
/* struct gnttab_get_version { domid_t dom; uint16_t pad; @4 uint32_t version; } */
#define XEN_GNTTAB_GET_VERSION_SIZE 8

int hv_gnttab_init(struct domain *d)
{
	struct hv_gnttab *gt = g_new0(struct hv_gnttab, 1);

	gt->version = 1;
	for (unsigned i = 0; i < HV_GNTTAB_MAX_FRAMES; i++)
		gt->gfn[i] = HV_GFN_NONE;
	d->gnttab = gt;
	return 0;
}

void hv_gnttab_destroy(struct domain *d)
{
	struct hv_gnttab *gt = d->gnttab;

	if (!gt)
		return;
	for (unsigned i = 0; i < gt->nr_frames; i++)
		machmem_put(&d->hv->mem, gt->mfn[i]);
	g_free(gt);
	d->gnttab = NULL;
}

/* Allocate frames up to n (bounded by HV_GNTTAB_MAX_FRAMES by the callers). */
static int gnttab_grow(struct domain *d, unsigned n)
{
	struct hv_gnttab *gt = d->gnttab;

	while (gt->nr_frames < n) {
		int64_t mfn = machmem_alloc(&d->hv->mem, d->domid);
		if (mfn < 0)
			return (int)mfn;
		gt->mfn[gt->nr_frames++] = (uint64_t)mfn;
	}
	return 0;
}

long hv_gnttab_map_frame(struct vcpu *v, uint64_t idx, uint64_t gfn)
{
	struct domain *d = v->d;
	struct hv_gnttab *gt = d->gnttab;
	struct p2m_entry old;
	long rc;

	/* Status frames (XENMAPIDX_grant_table_status) exist in v2 only. */
	if (idx >= HV_GNTTAB_MAX_FRAMES || gfn > P2M_MAX_GFN)
		return -XEN_EINVAL;
	if (gnttab_grow(d, (unsigned)idx + 1) < 0)
		return -XEN_ENOMEM;
	p2m_lookup(d->p2m, gfn, &old);
	/* What is at gfn goes (hv/memory.c), as in Xen's add_to_physmap. */
	rc = hv_physmap_clear(d, gfn, gt->mfn[idx]);
	if (rc < 0)
		return rc;
	if (gt->gfn[idx] != HV_GFN_NONE && gt->gfn[idx] != gfn)
		p2m_remove(d->p2m, gt->gfn[idx]);
	if (p2m_set(d->p2m, gfn, gt->mfn[idx], P2M_RAM_RW, P2M_ACCESS_RW) < 0) {
		gt->gfn[idx] = HV_GFN_NONE;
		return -XEN_ENOMEM;
	}
	gt->gfn[idx] = gfn;
	hv_trace(v, TRACE_P2M,
		 "P2M add_to_physmap grant_table idx=%" PRIu64 " gfn=0x%" PRIx64 " mfn=0x%" PRIx64
		 " (was %s mfn=0x%" PRIx64 ")",
		 idx, gfn, gt->mfn[idx], p2m_type_name(old.type), old.mfn);
	return 0;
}

/* An unprivileged caller names only itself: 0, or a GNTST_ status. */
static int gnttab_self(struct vcpu *v, uint16_t dom)
{
	if (dom == DOMID_SELF || dom == v->d->domid)
		return GNTST_okay;
	return hv_domain_by_id(v->d->hv, dom) ? GNTST_permission_denied : GNTST_bad_domain;
}

static long gnttab_query_size(struct vcpu *v, uint64_t uop)
{
	uint8_t b[XEN_GNTTAB_QUERY_SIZE_SIZE];
	int st;

	if (hv_copy_from_guest(v, b, uop, sizeof(b)) < 0)
		return -XEN_EFAULT;
	st = gnttab_self(v, hv_guest_u16(v, b));
	if (st == GNTST_okay) {
		hv_guest_put_u32(v, b + 4, v->d->gnttab->nr_frames);
		hv_guest_put_u32(v, b + 8, HV_GNTTAB_MAX_FRAMES);
	}
	hv_guest_put_u16(v, b + 12, (uint16_t)st);
	return hv_copy_to_guest(v, uop, b, sizeof(b)) < 0 ? -XEN_EFAULT : 0;
}

static long gnttab_setup_table(struct vcpu *v, uint64_t uop)
{
	struct hv_gnttab *gt = v->d->gnttab;
	uint8_t b[XEN_GNTTAB_SETUP_TABLE_SIZE], f[8];
	uint32_t n;
	uint64_t list;
	int st;

	if (hv_copy_from_guest(v, b, uop, sizeof(b)) < 0)
		return -XEN_EFAULT;
	n = hv_guest_u32(v, b + 4);
	list = hv_guest_u64(v, b + 16);
	st = gnttab_self(v, hv_guest_u16(v, b));
	if (st == GNTST_okay && n > HV_GNTTAB_MAX_FRAMES)
		st = GNTST_general_error;
	if (st == GNTST_okay && gnttab_grow(v->d, n) < 0)
		st = GNTST_general_error;
	/* A translated guest gets the gfns where it mapped the frames. */
	for (uint32_t i = 0; st == GNTST_okay && i < n; i++) {
		hv_guest_put_u64(v, f, gt->gfn[i]);
		if (hv_copy_to_guest(v, list + 8ull * i, f, sizeof(f)) < 0)
			return -XEN_EFAULT;
	}
	hv_guest_put_u16(v, b + 8, (uint16_t)st);
	return hv_copy_to_guest(v, uop, b, sizeof(b)) < 0 ? -XEN_EFAULT : 0;
}

static long gnttab_set_version(struct vcpu *v, uint64_t uop)
{
	uint8_t b[4];
	uint32_t ver;
	long rc = 0;

	if (hv_copy_from_guest(v, b, uop, sizeof(b)) < 0)
		return -XEN_EFAULT;
	ver = hv_guest_u32(v, b);
	if (ver == 2)
		rc = -XEN_ENOSYS; /* not yet */
	else if (ver != 1)
		rc = -XEN_EINVAL;
	/* The version in force goes back to the guest either way. */
	hv_guest_put_u32(v, b, v->d->gnttab->version);
	if (hv_copy_to_guest(v, uop, b, sizeof(b)) < 0)
		return -XEN_EFAULT;
	return rc;
}

static long gnttab_get_version(struct vcpu *v, uint64_t uop)
{
	uint8_t b[XEN_GNTTAB_GET_VERSION_SIZE];
	uint16_t dom;

	if (hv_copy_from_guest(v, b, uop, sizeof(b)) < 0)
		return -XEN_EFAULT;
	dom = hv_guest_u16(v, b);
	if (dom != DOMID_SELF && dom != v->d->domid)
		return hv_domain_by_id(v->d->hv, dom) ? -XEN_EPERM : -XEN_ESRCH;
	hv_guest_put_u32(v, b + 4, v->d->gnttab->version);
	return hv_copy_to_guest(v, uop, b, sizeof(b)) < 0 ? -XEN_EFAULT : 0;
}

/*
 * struct gnttab_copy { struct { union { grant_ref_t ref; xen_pfn_t gmfn; } u;
 * @8 domid_t domid; @10 uint16_t offset; } source (@0), dest (@16);
 * @32 uint16_t len; @34 uint16_t flags; @36 int16_t status; } (40 bytes)
 */
#define XEN_GNTTAB_COPY_SIZE 40

/* What gd grants domain to_dom under ref: the gfn, or a GNTST_ status
 * (Xen's acquire_grant_for_copy checks: a v1 permit_access entry naming
 * to_dom, writable if the access writes). */
static int gnttab_granted(struct domain *gd, uint32_t ref, uint16_t to_dom, bool write,
			  uint64_t *gfn)
{
	const uint8_t *e;
	uint16_t flags, edom;

	if (ref >= gd->gnttab->nr_frames * HV_GNTTAB_ENTRIES_PER_FRAME)
		return GNTST_bad_gntref;
	e = machmem_ptr(&gd->hv->mem, gd->gnttab->mfn[ref / HV_GNTTAB_ENTRIES_PER_FRAME]) +
	    (ref % HV_GNTTAB_ENTRIES_PER_FRAME) * 8;
	/* The entry is in the granting domain's byte order. */
	flags = (uint16_t)(gd->big_endian ? ld16_be_p(e) : ld16_le_p(e));
	edom = (uint16_t)(gd->big_endian ? ld16_be_p(e + 2) : ld16_le_p(e + 2));
	if ((flags & GTF_type_mask) != GTF_permit_access || edom != to_dom ||
	    (write && (flags & GTF_readonly)))
		return GNTST_general_error;
	*gfn = gd->big_endian ? ld32_be_p(e + 4) : ld32_le_p(e + 4);
	return GNTST_okay;
}

/* Is gfn a RAM page of p2m's own domain? */
static bool gnttab_own_ram(struct p2m *p2m, uint64_t gfn)
{
	struct p2m_entry e;

	return gfn <= P2M_MAX_GFN && p2m_lookup(p2m, gfn, &e) &&
	       (e.type == P2M_RAM_RW || e.type == P2M_RAM_RO);
}

/* One side of a copy: the p2m and guest-physical address it names, or a
 * GNTST_ status (Xen's acquire_grant_for_copy checks, in order). */
static int gnttab_copy_side(struct vcpu *v, const uint8_t *b, bool gref, bool write, uint16_t len,
			    struct p2m **p2m, uint64_t *gpa)
{
	uint64_t u = hv_guest_u64(v, b), gfn;
	uint16_t domid = hv_guest_u16(v, b + 8), off = hv_guest_u16(v, b + 10);

	if ((uint32_t)off + len > SV_PAGE_SIZE)
		return GNTST_bad_copy_arg;
	if (gref) {
		struct domain *gd = domid == DOMID_SELF ? v->d : hv_domain_by_id(v->d->hv, domid);
		int st;

		if (!gd)
			return GNTST_bad_domain;
		st = gnttab_granted(gd, (uint32_t)u, v->d->domid, write, &gfn);
		if (st != GNTST_okay)
			return st;
		*p2m = gd->p2m;
	} else {
		if (domid != DOMID_SELF && domid != v->d->domid)
			return GNTST_permission_denied;
		gfn = u;
		*p2m = v->d->p2m;
	}
	/* The frame must be the domain's own RAM: not a page it maps from
	 * another domain by grant or foreign mapping (Xen's get_paged_frame). */
	if (!gnttab_own_ram(*p2m, gfn))
		return GNTST_bad_page;
	*gpa = (gfn << SV_PAGE_BITS) + off;
	return GNTST_okay;
}

static int gnttab_copy_one(struct vcpu *v, const uint8_t *b)
{
	uint16_t len = hv_guest_u16(v, b + 32), flags = hv_guest_u16(v, b + 34);
	struct p2m *sp, *dp;
	uint64_t sgpa, dgpa;
	uint8_t buf[SV_PAGE_SIZE];
	int st;

	if (len > SV_PAGE_SIZE)
		return GNTST_bad_copy_arg;
	st = gnttab_copy_side(v, b, flags & GNTCOPY_source_gref, false, len, &sp, &sgpa);
	if (st == GNTST_okay)
		st = gnttab_copy_side(v, b + 16, flags & GNTCOPY_dest_gref, true, len, &dp, &dgpa);
	if (st != GNTST_okay)
		return st;
	/* Through the p2m copies: RAM only, access rights, code-page
	 * invalidation on the destination. */
	if (p2m_copy_from(sp, buf, sgpa, len) < 0 || p2m_copy_to(dp, dgpa, buf, len) < 0)
		return GNTST_bad_page;
	return GNTST_okay;
}

/* After HV_GNTTAB_PREEMPT_OPS operations of a batch of count at uop (each
 * size bytes): continue with the rest. */
static long gnttab_preempt(struct vcpu *v, unsigned cmd, uint64_t uop, uint32_t done,
			   uint32_t count, size_t size)
{
	const uint64_t rest[6] = { cmd, uop + (uint64_t)done * size, count - done };

	return hv_hypercall_create_continuation(v, rest);
}

static long gnttab_copy(struct vcpu *v, uint64_t uop, uint32_t count)
{
	uint8_t b[XEN_GNTTAB_COPY_SIZE];

	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * XEN_GNTTAB_COPY_SIZE;
		int st;

		if (i == HV_GNTTAB_PREEMPT_OPS)
			return gnttab_preempt(v, GNTTABOP_copy, uop, i, count,
					      XEN_GNTTAB_COPY_SIZE);

		if (hv_copy_from_guest(v, b, at, sizeof(b)) < 0)
			return -XEN_EFAULT;
		st = gnttab_copy_one(v, b);
		hv_guest_put_u16(v, b + 36, (uint16_t)st);
		if (hv_copy_to_guest(v, at + 36, b + 36, 2) < 0)
			return -XEN_EFAULT;
	}
	return 0;
}

/* ------------------------------------------------------------ domain 0 */

int hv_gnttab_backend_copy(struct domain *gd, uint32_t ref, unsigned off, void *buf, unsigned len,
			   bool to_guest)
{
	uint64_t gfn;
	int st;

	if (off > SV_PAGE_SIZE || len > SV_PAGE_SIZE - off)
		return GNTST_bad_copy_arg;
	st = gnttab_granted(gd, ref, 0, to_guest, &gfn);
	if (st != GNTST_okay)
		return st;
	if (!gnttab_own_ram(gd->p2m, gfn))
		return GNTST_bad_page;
	/* Through the p2m: RAM only, access rights, code-page invalidation. */
	if (to_guest ? p2m_copy_to(gd->p2m, (gfn << SV_PAGE_BITS) + off, buf, len) :
		       p2m_copy_from(gd->p2m, buf, (gfn << SV_PAGE_BITS) + off, len))
		return GNTST_bad_page;
	return GNTST_okay;
}

/* The entry of ref in gd's table, or NULL if ref is past it. */
static uint8_t *gnttab_entry(struct domain *gd, uint32_t ref)
{
	if (ref >= gd->gnttab->nr_frames * HV_GNTTAB_ENTRIES_PER_FRAME)
		return NULL;
	return machmem_ptr(&gd->hv->mem, gd->gnttab->mfn[ref / HV_GNTTAB_ENTRIES_PER_FRAME]) +
	       (ref % HV_GNTTAB_ENTRIES_PER_FRAME) * 8;
}

static uint16_t gnttab_flags(struct domain *gd, const uint8_t *e)
{
	return (uint16_t)(gd->big_endian ? ld16_be_p(e) : ld16_le_p(e));
}

static void gnttab_set_flags(struct domain *gd, uint8_t *e, uint16_t f)
{
	if (gd->big_endian)
		st16_be_p(e, f);
	else
		st16_le_p(e, f);
}

/* Recompute GTF_reading/GTF_writing of (gd, ref) from d's mappings of it. */
static void gnttab_update_pins(struct domain *d, struct domain *gd, uint32_t ref)
{
	uint8_t *e = gnttab_entry(gd, ref);
	uint16_t f;

	if (!e)
		return;
	f = gnttab_flags(gd, e) & ~(GTF_reading | GTF_writing);
	for (unsigned i = 0; i < HV_GNTTAB_MAPTRACK; i++) {
		const struct hv_gnttab_map *m = &d->gnttab->maptrack[i];
		if (m->used && m->domid == gd->domid && m->ref == ref)
			f |= GTF_reading | (m->readonly ? 0 : GTF_writing);
	}
	gnttab_set_flags(gd, e, f);
}

int hv_gnttab_backend_map(struct domain *gd, uint32_t ref, uint64_t *mfn)
{
	struct p2m_entry fe;
	uint64_t gfn;
	uint8_t *e;
	int st = gnttab_granted(gd, ref, 0, true, &gfn);

	if (st != GNTST_okay)
		return st;
	if (!p2m_lookup(gd->p2m, gfn, &fe) || fe.type != P2M_RAM_RW)
		return GNTST_bad_page;
	machmem_get(&gd->hv->mem, fe.mfn);
	e = gnttab_entry(gd, ref);
	gnttab_set_flags(gd, e, gnttab_flags(gd, e) | GTF_reading | GTF_writing);
	*mfn = fe.mfn;
	return GNTST_okay;
}

void hv_gnttab_backend_unmap(struct domain *gd, uint32_t ref, uint64_t mfn)
{
	uint8_t *e = gnttab_entry(gd, ref);

	if (e)
		gnttab_set_flags(gd, e, gnttab_flags(gd, e) & ~(GTF_reading | GTF_writing));
	machmem_put(&gd->hv->mem, mfn);
}

/* struct gnttab_map_grant_ref { uint64_t host_addr; @8 uint32_t flags;
 * @12 grant_ref_t ref; @16 domid_t dom; @18 int16_t status;
 * @20 grant_handle_t handle; @24 uint64_t dev_bus_addr; } */
#define XEN_GNTTAB_MAP_SIZE 32

static int gnttab_map_one(struct vcpu *v, uint8_t *b, uint32_t *handle)
{
	struct domain *d = v->d, *gd;
	uint64_t addr = hv_guest_u64(v, b), gfn = addr >> SV_PAGE_BITS;
	uint32_t flags = hv_guest_u32(v, b + 8), ref = hv_guest_u32(v, b + 12);
	uint16_t dom = hv_guest_u16(v, b + 16);
	bool ro = flags & GNTMAP_readonly;
	struct p2m_entry fe;
	uint8_t *e;
	uint16_t ef, edom;
	unsigned h;

	if (!(flags & (GNTMAP_host_map | GNTMAP_device_map)))
		return GNTST_bad_gntref;
	if (!(flags & GNTMAP_host_map) || (flags & GNTMAP_contains_pte))
		return GNTST_general_error; /* device and PTE mappings: not for HVM */
	gd = dom == DOMID_SELF ? d : hv_domain_by_id(d->hv, dom);
	if (!gd)
		return GNTST_bad_domain;
	e = gnttab_entry(gd, ref);
	if (!e)
		return GNTST_bad_gntref;
	ef = gnttab_flags(gd, e);
	edom = (uint16_t)(gd->big_endian ? ld16_be_p(e + 2) : ld16_le_p(e + 2));
	if ((ef & GTF_type_mask) != GTF_permit_access || edom != d->domid ||
	    (!ro && (ef & GTF_readonly)))
		return GNTST_general_error;
	if ((addr & ~SV_PAGE_MASK) || gfn > P2M_MAX_GFN)
		return GNTST_bad_virt_addr;
	/* The granted frame: a RAM page of the granting domain. */
	if (!p2m_lookup(gd->p2m, gd->big_endian ? ld32_be_p(e + 4) : ld32_le_p(e + 4), &fe) ||
	    (fe.type != P2M_RAM_RW && fe.type != P2M_RAM_RO))
		return GNTST_bad_page;
	for (h = 0; h < HV_GNTTAB_MAPTRACK && d->gnttab->maptrack[h].used; h++)
		;
	if (h == HV_GNTTAB_MAPTRACK)
		return GNTST_no_device_space;
	/* What is at gfn goes, as by add_to_physmap; not another grant
	 * mapping (Xen crashes the domain there: we refuse the map). */
	if (hv_physmap_clear(d, gfn, fe.mfn) < 0)
		return GNTST_general_error;
	if (p2m_set(d->p2m, gfn, fe.mfn, ro ? P2M_GRANT_MAP_RO : P2M_GRANT_MAP_RW,
		    ro ? P2M_ACCESS_R : P2M_ACCESS_RW) < 0)
		return GNTST_general_error;
	d->gnttab->maptrack[h] = (struct hv_gnttab_map){
		.used = true, .readonly = ro, .domid = gd->domid, .ref = ref, .gfn = gfn
	};
	gnttab_update_pins(d, gd, ref);
	hv_trace(v, TRACE_P2M,
		 "P2M grant_map d%u ref=%u gfn=0x%" PRIx64 " mfn=0x%" PRIx64 " %s handle=%u",
		 gd->domid, ref, gfn, fe.mfn, ro ? "ro" : "rw", h);
	*handle = h;
	return GNTST_okay;
}

/* struct gnttab_unmap_grant_ref { uint64_t host_addr; @8 uint64_t
 * dev_bus_addr; @16 grant_handle_t handle; @20 int16_t status; } */
#define XEN_GNTTAB_UNMAP_SIZE 24

static int gnttab_unmap_one(struct vcpu *v, const uint8_t *b)
{
	struct domain *d = v->d, *gd;
	uint64_t addr = hv_guest_u64(v, b);
	uint32_t h = hv_guest_u32(v, b + 16);
	struct hv_gnttab_map *m;

	if (h >= HV_GNTTAB_MAPTRACK || !d->gnttab->maptrack[h].used)
		return GNTST_bad_handle;
	m = &d->gnttab->maptrack[h];
	if (addr >> SV_PAGE_BITS != m->gfn)
		return GNTST_bad_virt_addr;
	p2m_remove(d->p2m, m->gfn);
	m->used = false;
	gd = hv_domain_by_id(d->hv, m->domid);
	if (gd)
		gnttab_update_pins(d, gd, m->ref);
	hv_trace(v, TRACE_P2M, "P2M grant_unmap d%u ref=%u gfn=0x%" PRIx64 " handle=%u", m->domid,
		 m->ref, m->gfn, h);
	return GNTST_okay;
}

static long gnttab_map(struct vcpu *v, uint64_t uop, uint32_t count, bool map)
{
	size_t size = map ? XEN_GNTTAB_MAP_SIZE : XEN_GNTTAB_UNMAP_SIZE;
	unsigned st_off = map ? 18 : 20;
	uint8_t b[XEN_GNTTAB_MAP_SIZE];

	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * size;
		uint32_t handle = 0;
		int st;

		if (i == HV_GNTTAB_PREEMPT_OPS)
			return gnttab_preempt(
				v, map ? GNTTABOP_map_grant_ref : GNTTABOP_unmap_grant_ref, uop, i,
				count, size);

		if (hv_copy_from_guest(v, b, at, size) < 0)
			return -XEN_EFAULT;
		st = map ? gnttab_map_one(v, b, &handle) : gnttab_unmap_one(v, b);
		hv_guest_put_u16(v, b + st_off, (uint16_t)st);
		if (map)
			hv_guest_put_u32(v, b + 20, handle);
		if (hv_copy_to_guest(v, at, b, size) < 0)
			return -XEN_EFAULT;
	}
	return 0;
}

long do_grant_table_op(struct vcpu *v, const uint64_t a[6])
{
	unsigned cmd = (unsigned)a[0];
	uint64_t uop = a[1];
	uint32_t count = (uint32_t)a[2];

	/* Xen: a count that is negative as an int is -EINVAL. */
	if (count > INT32_MAX)
		return -XEN_EINVAL;
	switch (cmd) {
	case GNTTABOP_query_size:
	case GNTTABOP_setup_table:
	case GNTTABOP_set_version:
	case GNTTABOP_get_version:
		if (count != 1)
			return -XEN_EINVAL;
		break;
	case GNTTABOP_copy: return gnttab_copy(v, uop, count);
	case GNTTABOP_map_grant_ref: return gnttab_map(v, uop, count, true);
	case GNTTABOP_unmap_grant_ref: return gnttab_map(v, uop, count, false);
	default: return -XEN_ENOSYS; /* v2 and the rest: not yet */
	}
	switch (cmd) {
	case GNTTABOP_query_size: return gnttab_query_size(v, uop);
	case GNTTABOP_setup_table: return gnttab_setup_table(v, uop);
	case GNTTABOP_set_version: return gnttab_set_version(v, uop);
	default: return gnttab_get_version(v, uop);
	}
}
