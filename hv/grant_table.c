/*
 * Grant tables v1 and v2 (see hv/grant_table.h): the table's frames (and
 * v2's status frames), their place in the guest physmap, the entries of
 * either layout, pin counts, and grant_table_op. The sub-ops of a guest's
 * start of day take exactly one structure (count != 1 is -EINVAL, as in
 * Xen).
 *
 * Pins: every mapping of a granted entry (a guest's map_grant_ref, a
 * backend's lasting map) counts on the granting domain's entry, read-only
 * ones as readers, the others as readers and writers; GTF_reading and
 * GTF_writing follow the counts (v1: in the entry's flags; v2: in the
 * entry's status word), and an entry with pins may not change version.
 */
#include "hv/grant_table.h"
#include "sv/snap.h"
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
/* struct gnttab_get_status_frames { uint32_t nr_frames; @4 domid_t dom;
 * @6 int16_t status; @8 XEN_GUEST_HANDLE(uint64_t) frame_list; } */
#define XEN_GNTTAB_GET_STATUS_FRAMES_SIZE 16

/* The first entries, which the toolstack may use, survive a version
 * change (Xen's GNTTAB_NR_RESERVED_ENTRIES). */
#define GNTTAB_NR_RESERVED_ENTRIES 8

/* A grant entry as hv reads it (either layout, the granting domain's byte
 * order): v1 { u16 flags; domid_t domid; u32 frame }, v2 full_page
 * { flags; domid; @8 u64 frame }, sub_page { flags; domid; @4 u16
 * page_off; @6 u16 length; @8 u64 frame }, transitive { flags; domid;
 * @4 domid_t trans_domid; @8 grant_ref_t gref }. */
struct gnttab_ent {
	uint16_t flags, domid;
	uint64_t frame;
	uint16_t off, len; /* the bytes granted: the page, or a v2 sub-page */
	uint16_t trans_domid;
	uint32_t trans_ref;
};

static uint16_t gd_ld16(const struct domain *gd, const uint8_t *p)
{
	return (uint16_t)(gd->big_endian ? ld16_be_p(p) : ld16_le_p(p));
}

static uint32_t gd_ld32(const struct domain *gd, const uint8_t *p)
{
	return (uint32_t)(gd->big_endian ? ld32_be_p(p) : ld32_le_p(p));
}

static uint64_t gd_ld64(const struct domain *gd, const uint8_t *p)
{
	return gd->big_endian ? ld64_be_p(p) : ld64_le_p(p);
}

static void gd_st16(const struct domain *gd, uint8_t *p, uint16_t x)
{
	if (gd->big_endian)
		st16_be_p(p, x);
	else
		st16_le_p(p, x);
}

static void gd_st32(const struct domain *gd, uint8_t *p, uint32_t x)
{
	if (gd->big_endian)
		st32_be_p(p, x);
	else
		st32_le_p(p, x);
}

static void gd_st64(const struct domain *gd, uint8_t *p, uint64_t x)
{
	if (gd->big_endian)
		st64_be_p(p, x);
	else
		st64_le_p(p, x);
}

/* Entries per shared frame, and in the table, in the version in force. */
static unsigned gnttab_per_frame(const struct hv_gnttab *gt)
{
	return gt->version == 2 ? HV_GNTTAB_V2_ENTRIES_PER_FRAME : HV_GNTTAB_ENTRIES_PER_FRAME;
}

static uint32_t gnttab_nr_entries(const struct hv_gnttab *gt)
{
	return gt->nr_frames * gnttab_per_frame(gt);
}

/* Status frames v2 needs for the shared frames it has. */
static unsigned gnttab_status_frames_for(unsigned nr_frames)
{
	return (nr_frames * HV_GNTTAB_V2_ENTRIES_PER_FRAME + HV_GNTTAB_STATUS_PER_FRAME - 1) /
	       HV_GNTTAB_STATUS_PER_FRAME;
}

int hv_gnttab_init(struct domain *d)
{
	struct hv_gnttab *gt = g_new0(struct hv_gnttab, 1);

	gt->version = 1;
	for (unsigned i = 0; i < HV_GNTTAB_MAX_FRAMES; i++)
		gt->gfn[i] = HV_GFN_NONE;
	for (unsigned i = 0; i < HV_GNTTAB_MAX_STATUS_FRAMES; i++)
		gt->status_gfn[i] = HV_GFN_NONE;
	d->gnttab = gt;
	return 0;
}

static void gnttab_unpin(struct domain *gd, uint32_t ref, bool readonly);

void hv_gnttab_destroy(struct domain *d)
{
	struct hv_gnttab *gt = d->gnttab;

	if (!gt)
		return;
	/* The mappings d still holds no longer pin the granting entries (Xen's
	 * gnttab_release_mappings); the p2m drops their frames. */
	for (unsigned h = 0; h < HV_GNTTAB_MAPTRACK; h++) {
		struct hv_gnttab_map *m = &gt->maptrack[h];
		struct domain *gd = m->used ? hv_domain_by_id(d->hv, m->domid) : NULL;

		if (gd && gd != d)
			gnttab_unpin(gd, m->ref, m->readonly);
	}
	for (unsigned i = 0; i < gt->nr_frames; i++)
		machmem_put(&d->hv->mem, gt->mfn[i]);
	for (unsigned i = 0; i < gt->nr_status; i++)
		machmem_put(&d->hv->mem, gt->status_mfn[i]);
	g_free(gt->pins);
	g_free(gt);
	d->gnttab = NULL;
}

/* Allocate shared frames up to n (bounded by HV_GNTTAB_MAX_FRAMES by the
 * callers), and in v2 the status frames they need. */
static int gnttab_grow(struct domain *d, unsigned n)
{
	struct hv_gnttab *gt = d->gnttab;
	unsigned need;

	while (gt->nr_frames < n) {
		int64_t mfn = machmem_alloc(&d->hv->mem, d->domid);
		if (mfn < 0)
			return (int)mfn;
		gt->mfn[gt->nr_frames++] = (uint64_t)mfn;
	}
	/* A pin count for every entry the frames can hold in either layout. */
	if (gt->n_pins < gt->nr_frames * HV_GNTTAB_ENTRIES_PER_FRAME) {
		unsigned old = gt->n_pins;

		gt->n_pins = gt->nr_frames * HV_GNTTAB_ENTRIES_PER_FRAME;
		gt->pins = g_renew(struct hv_gnttab_pin, gt->pins, gt->n_pins);
		memset(gt->pins + old, 0, (gt->n_pins - old) * sizeof(*gt->pins));
	}
	need = gt->version == 2 ? gnttab_status_frames_for(gt->nr_frames) : 0;
	while (gt->nr_status < need) {
		int64_t mfn = machmem_alloc(&d->hv->mem, d->domid);
		if (mfn < 0)
			return (int)mfn;
		gt->status_mfn[gt->nr_status++] = (uint64_t)mfn;
	}
	return 0;
}

/* v2 -> v1: the status frames go, unmapped from the physmap first. */
static void gnttab_free_status_frames(struct domain *d)
{
	struct hv_gnttab *gt = d->gnttab;

	for (unsigned i = 0; i < gt->nr_status; i++) {
		if (gt->status_gfn[i] != HV_GFN_NONE)
			p2m_remove(d->p2m, gt->status_gfn[i]);
		gt->status_gfn[i] = HV_GFN_NONE;
		machmem_put(&d->hv->mem, gt->status_mfn[i]);
	}
	gt->nr_status = 0;
}

bool hv_gnttab_owns_gfn(struct domain *d, uint64_t gfn, bool unhook)
{
	struct hv_gnttab *gt = d->gnttab;

	for (unsigned i = 0; i < gt->nr_frames; i++)
		if (gt->gfn[i] == gfn) {
			if (unhook)
				gt->gfn[i] = HV_GFN_NONE;
			return true;
		}
	for (unsigned i = 0; i < gt->nr_status; i++)
		if (gt->status_gfn[i] == gfn) {
			if (unhook)
				gt->status_gfn[i] = HV_GFN_NONE;
			return true;
		}
	return false;
}

/* The raw entry of ref in gd's table (8 or 16 bytes), or NULL if ref is
 * past it. */
static uint8_t *gnttab_entry(struct domain *gd, uint32_t ref)
{
	const struct hv_gnttab *gt = gd->gnttab;
	unsigned per = gnttab_per_frame(gt);

	if (ref >= gnttab_nr_entries(gt))
		return NULL;
	return machmem_ptr(&gd->hv->mem, gt->mfn[ref / per]) +
	       (ref % per) * (gt->version == 2 ? 16 : 8);
}

/* Read entry ref of gd: false if ref is past the table. */
static bool gnttab_read(struct domain *gd, uint32_t ref, struct gnttab_ent *x)
{
	const uint8_t *e = gnttab_entry(gd, ref);

	if (!e)
		return false;
	memset(x, 0, sizeof(*x));
	x->flags = gd_ld16(gd, e);
	x->domid = gd_ld16(gd, e + 2);
	x->len = SV_PAGE_SIZE;
	if (gd->gnttab->version == 1) {
		x->frame = gd_ld32(gd, e + 4);
		return true;
	}
	x->frame = gd_ld64(gd, e + 8);
	if ((x->flags & GTF_type_mask) == GTF_permit_access && (x->flags & GTF_sub_page)) {
		x->off = gd_ld16(gd, e + 4);
		x->len = gd_ld16(gd, e + 6);
	} else if ((x->flags & GTF_type_mask) == GTF_transitive) {
		x->trans_domid = gd_ld16(gd, e + 4);
		x->trans_ref = gd_ld32(gd, e + 8);
	}
	return true;
}

/* GTF_reading / GTF_writing of ref from its pins: v1 in the entry's
 * flags, v2 in its status word. */
static void gnttab_put_status(struct domain *gd, uint32_t ref)
{
	struct hv_gnttab *gt = gd->gnttab;
	const struct hv_gnttab_pin *p = &gt->pins[ref];
	uint16_t st = (p->readers ? GTF_reading : 0) | (p->writers ? GTF_writing : 0);
	uint8_t *e;

	if (gt->version == 2) {
		e = machmem_ptr(&gd->hv->mem, gt->status_mfn[ref / HV_GNTTAB_STATUS_PER_FRAME]) +
		    (ref % HV_GNTTAB_STATUS_PER_FRAME) * 2;
		gd_st16(gd, e, st);
	} else if ((e = gnttab_entry(gd, ref))) {
		gd_st16(gd, e, (gd_ld16(gd, e) & ~(GTF_reading | GTF_writing)) | st);
	}
}

static void gnttab_pin(struct domain *gd, uint32_t ref, bool readonly)
{
	struct hv_gnttab_pin *p = &gd->gnttab->pins[ref];

	p->readers++;
	if (!readonly)
		p->writers++;
	gnttab_put_status(gd, ref);
}

static void gnttab_unpin(struct domain *gd, uint32_t ref, bool readonly)
{
	struct hv_gnttab_pin *p;

	if (ref >= gd->gnttab->n_pins)
		return;
	p = &gd->gnttab->pins[ref];
	if (p->readers)
		p->readers--;
	if (!readonly && p->writers)
		p->writers--;
	if (ref < gnttab_nr_entries(gd->gnttab))
		gnttab_put_status(gd, ref);
}

long hv_gnttab_map_frame(struct vcpu *v, uint64_t idx, uint64_t gfn)
{
	struct domain *d = v->d;
	struct hv_gnttab *gt = d->gnttab;
	bool status = idx & XENMAPIDX_grant_table_status;
	uint64_t *slot, mfn;
	struct p2m_entry old;
	long rc;

	idx &= ~(uint64_t)XENMAPIDX_grant_table_status;
	if (gfn > P2M_MAX_GFN)
		return -XEN_EINVAL;
	if (status) {
		/* Status frames exist in v2 only, as many as the entries need. */
		if (gt->version != 2 || idx >= gt->nr_status)
			return -XEN_EINVAL;
		slot = &gt->status_gfn[idx];
		mfn = gt->status_mfn[idx];
	} else {
		if (idx >= HV_GNTTAB_MAX_FRAMES)
			return -XEN_EINVAL;
		if (gnttab_grow(d, (unsigned)idx + 1) < 0)
			return -XEN_ENOMEM;
		slot = &gt->gfn[idx];
		mfn = gt->mfn[idx];
	}
	p2m_lookup(d->p2m, gfn, &old);
	/* What is at gfn goes (hv/memory.c), as in Xen's add_to_physmap. */
	rc = hv_physmap_clear(d, gfn, mfn);
	if (rc < 0)
		return rc;
	if (*slot != HV_GFN_NONE && *slot != gfn)
		p2m_remove(d->p2m, *slot);
	if (p2m_set(d->p2m, gfn, mfn, P2M_RAM_RW, P2M_ACCESS_RW) < 0) {
		*slot = HV_GFN_NONE;
		return -XEN_ENOMEM;
	}
	*slot = gfn;
	hv_trace(v, TRACE_P2M,
		 "P2M add_to_physmap grant_table%s idx=%" PRIu64 " gfn=0x%" PRIx64 " mfn=0x%" PRIx64
		 " (was %s mfn=0x%" PRIx64 ")",
		 status ? " status" : "", idx, gfn, mfn, p2m_type_name(old.type), old.mfn);
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

/* Switch d's table to version ver (Xen's gnttab_set_version): 0 or a
 * negative Xen error. */
static long gnttab_switch_version(struct domain *d, unsigned ver)
{
	struct hv_gnttab *gt = d->gnttab;
	struct gnttab_ent keep[GNTTAB_NR_RESERVED_ENTRIES];
	unsigned n_keep = MIN(GNTTAB_NR_RESERVED_ENTRIES, gnttab_nr_entries(gt));
	uint32_t nr = gnttab_nr_entries(gt);

	/* No entry past the reserved ones may be in use. */
	for (uint32_t ref = GNTTAB_NR_RESERVED_ENTRIES; ref < nr; ref++)
		if (gt->pins[ref].readers)
			return -XEN_EBUSY;
	/* The reserved entries are kept as full-page grants; from v2, one
	 * that v1 cannot hold (a frame above 32 bits, a transitive grant)
	 * makes the switch fail. */
	for (unsigned i = 0; i < n_keep; i++) {
		gnttab_read(d, i, &keep[i]);
		if (gt->version == 2 && (((keep[i].flags & GTF_type_mask) == GTF_permit_access &&
					  keep[i].frame >> 32) ||
					 (keep[i].flags & GTF_type_mask) == GTF_transitive))
			return -XEN_ERANGE;
	}
	if (ver == 2) {
		gt->version = 2;
		if (gnttab_grow(d, gt->nr_frames) < 0) {
			gnttab_free_status_frames(d);
			gt->version = 1;
			return -XEN_ENOMEM;
		}
	} else {
		gnttab_free_status_frames(d);
		gt->version = 1;
	}
	/* No crud from the old layout. */
	for (unsigned i = 0; i < gt->nr_frames; i++)
		memset(machmem_ptr(&d->hv->mem, gt->mfn[i]), 0, SV_PAGE_SIZE);
	for (unsigned i = 0; i < gt->nr_status; i++)
		memset(machmem_ptr(&d->hv->mem, gt->status_mfn[i]), 0, SV_PAGE_SIZE);
	for (unsigned i = 0; i < n_keep; i++) {
		uint8_t *e = gnttab_entry(d, i);
		uint16_t f = keep[i].flags & ~(GTF_reading | GTF_writing | GTF_sub_page);

		if ((keep[i].flags & GTF_type_mask) != GTF_permit_access)
			continue;
		gd_st16(d, e, f);
		gd_st16(d, e + 2, keep[i].domid);
		if (ver == 2)
			gd_st64(d, e + 8, keep[i].frame);
		else
			gd_st32(d, e + 4, (uint32_t)keep[i].frame);
		gnttab_put_status(d, i);
	}
	return 0;
}

static long gnttab_set_version(struct vcpu *v, uint64_t uop)
{
	uint8_t b[4];
	uint32_t ver;
	long rc = 0;

	if (hv_copy_from_guest(v, b, uop, sizeof(b)) < 0)
		return -XEN_EFAULT;
	ver = hv_guest_u32(v, b);
	if (ver != 1 && ver != 2)
		rc = -XEN_EINVAL;
	else if (ver != v->d->gnttab->version)
		rc = gnttab_switch_version(v->d, ver);
	if (rc == 0)
		hv_trace(v, TRACE_P2M, "P2M grant table version %u", ver);
	/* The version in force goes back to the guest either way. */
	hv_guest_put_u32(v, b, v->d->gnttab->version);
	if (hv_copy_to_guest(v, uop, b, sizeof(b)) < 0)
		return -XEN_EFAULT;
	return rc;
}

/* GNTTABOP_get_status_frames: a translated guest gets the gfns where it
 * mapped them (as setup_table's frame list). */
static long gnttab_get_status_frames(struct vcpu *v, uint64_t uop)
{
	struct hv_gnttab *gt = v->d->gnttab;
	uint8_t b[XEN_GNTTAB_GET_STATUS_FRAMES_SIZE], f[8];
	uint32_t n;
	uint64_t list;
	int st;

	if (hv_copy_from_guest(v, b, uop, sizeof(b)) < 0)
		return -XEN_EFAULT;
	n = hv_guest_u32(v, b);
	list = hv_guest_u64(v, b + 8);
	st = gnttab_self(v, hv_guest_u16(v, b + 4));
	if (st == GNTST_okay && (gt->version != 2 || n > gt->nr_status))
		st = GNTST_general_error;
	for (uint32_t i = 0; st == GNTST_okay && i < n; i++) {
		hv_guest_put_u64(v, f, gt->status_gfn[i]);
		if (hv_copy_to_guest(v, list + 8ull * i, f, sizeof(f)) < 0)
			st = GNTST_bad_virt_addr;
	}
	hv_guest_put_u16(v, b + 6, (uint16_t)st);
	return hv_copy_to_guest(v, uop, b, sizeof(b)) < 0 ? -XEN_EFAULT : 0;
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

/* What a copy may reach through a grant: the page's owner and gfn, and
 * the granted bytes [off, off + len) of it. */
struct gnttab_span {
	struct domain *owner;
	uint64_t gfn;
	uint16_t off, len;
};

/* What gd grants domain to_dom under ref for a copy, or a GNTST_ status
 * (Xen's acquire_grant_for_copy checks): a permit_access entry naming
 * to_dom (writable if the access writes), full-page or (v2) a sub-page; or
 * (v2, if allow_transitive) a transitive entry, followed one level to the
 * grant its domain gives gd. */
static int gnttab_granted(struct domain *gd, uint32_t ref, uint16_t to_dom, bool write,
			  bool allow_transitive, struct gnttab_span *out)
{
	struct gnttab_ent e;

	if (!gnttab_read(gd, ref, &e))
		return GNTST_bad_gntref;
	if (e.domid != to_dom || (write && (e.flags & GTF_readonly)))
		return GNTST_general_error;
	switch (e.flags & GTF_type_mask) {
	case GTF_permit_access:
		if ((uint32_t)e.off + e.len > SV_PAGE_SIZE)
			return GNTST_general_error;
		*out = (struct gnttab_span){ gd, e.frame, e.off, e.len };
		return GNTST_okay;
	case GTF_transitive: {
		struct domain *td = hv_domain_by_id(gd->hv, e.trans_domid);

		if (!allow_transitive || gd->gnttab->version != 2)
			return GNTST_general_error;
		if (!td || td == gd)
			return GNTST_general_error;
		return gnttab_granted(td, e.trans_ref, gd->domid, write, false, out);
	}
	default: return GNTST_general_error;
	}
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
		struct gnttab_span sp;
		int st;

		if (!gd)
			return GNTST_bad_domain;
		st = gnttab_granted(gd, (uint32_t)u, v->d->domid, write, true, &sp);
		if (st != GNTST_okay)
			return st;
		/* Within the granted bytes (a v2 sub-page grant). */
		if (off < sp.off || (uint32_t)off + len > (uint32_t)sp.off + sp.len)
			return GNTST_general_error;
		*p2m = sp.owner->p2m;
		gfn = sp.gfn;
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
	struct gnttab_span sp;
	int st;

	if (off > SV_PAGE_SIZE || len > SV_PAGE_SIZE - off)
		return GNTST_bad_copy_arg;
	st = gnttab_granted(gd, ref, 0, to_guest, true, &sp);
	if (st != GNTST_okay)
		return st;
	if (off < sp.off || off + len > (unsigned)sp.off + sp.len)
		return GNTST_general_error;
	if (!gnttab_own_ram(sp.owner->p2m, sp.gfn))
		return GNTST_bad_page;
	/* Through the p2m: RAM only, access rights, code-page invalidation. */
	if (to_guest ? p2m_copy_to(sp.owner->p2m, (sp.gfn << SV_PAGE_BITS) + off, buf, len) :
		       p2m_copy_from(sp.owner->p2m, buf, (sp.gfn << SV_PAGE_BITS) + off, len))
		return GNTST_bad_page;
	return GNTST_okay;
}

/* What gd grants domain to_dom under ref for a mapping: a full-page
 * permit_access entry only (Xen's _set_status: no sub-page or transitive
 * maps), writable unless readonly; its frame must be gd's own RAM. */
static int gnttab_mappable(struct domain *gd, uint32_t ref, uint16_t to_dom, bool readonly,
			   struct p2m_entry *fe)
{
	struct gnttab_ent e;

	if (!gnttab_read(gd, ref, &e))
		return GNTST_bad_gntref;
	if ((e.flags & GTF_type_mask) != GTF_permit_access ||
	    (gd->gnttab->version == 2 && (e.flags & GTF_sub_page)) || e.domid != to_dom ||
	    (!readonly && (e.flags & GTF_readonly)))
		return GNTST_general_error;
	if (e.frame > P2M_MAX_GFN || !p2m_lookup(gd->p2m, e.frame, fe) ||
	    (fe->type != P2M_RAM_RW && fe->type != P2M_RAM_RO))
		return GNTST_bad_page;
	return GNTST_okay;
}

int hv_gnttab_backend_map(struct domain *gd, uint32_t ref, uint64_t *mfn)
{
	struct p2m_entry fe;
	int st = gnttab_mappable(gd, ref, 0, false, &fe);

	if (st != GNTST_okay)
		return st;
	if (fe.type != P2M_RAM_RW)
		return GNTST_bad_page;
	machmem_get(&gd->hv->mem, fe.mfn);
	gnttab_pin(gd, ref, false);
	*mfn = fe.mfn;
	return GNTST_okay;
}

void hv_gnttab_backend_unmap(struct domain *gd, uint32_t ref, uint64_t mfn)
{
	gnttab_unpin(gd, ref, false);
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
	unsigned h;
	int st;

	if (!(flags & (GNTMAP_host_map | GNTMAP_device_map)))
		return GNTST_bad_gntref;
	if (!(flags & GNTMAP_host_map) || (flags & GNTMAP_contains_pte))
		return GNTST_general_error; /* device and PTE mappings: not for HVM */
	gd = dom == DOMID_SELF ? d : hv_domain_by_id(d->hv, dom);
	if (!gd)
		return GNTST_bad_domain;
	if (ref >= gnttab_nr_entries(gd->gnttab))
		return GNTST_bad_gntref;
	st = gnttab_mappable(gd, ref, d->domid, ro, &fe);
	if (st == GNTST_general_error)
		return st;
	if ((addr & ~SV_PAGE_MASK) || gfn > P2M_MAX_GFN)
		return GNTST_bad_virt_addr;
	if (st != GNTST_okay)
		return st;
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
	gnttab_pin(gd, ref, ro);
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
		gnttab_unpin(gd, m->ref, m->readonly);
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
	case GNTTABOP_get_status_frames:
		if (count != 1)
			return -XEN_EINVAL;
		break;
	case GNTTABOP_copy: return gnttab_copy(v, uop, count);
	case GNTTABOP_map_grant_ref: return gnttab_map(v, uop, count, true);
	case GNTTABOP_unmap_grant_ref: return gnttab_map(v, uop, count, false);
	default: return -XEN_ENOSYS; /* transfer, dump_table, unmap_and_replace, ... */
	}
	switch (cmd) {
	case GNTTABOP_query_size: return gnttab_query_size(v, uop);
	case GNTTABOP_setup_table: return gnttab_setup_table(v, uop);
	case GNTTABOP_set_version: return gnttab_set_version(v, uop);
	case GNTTABOP_get_status_frames: return gnttab_get_status_frames(v, uop);
	default: return gnttab_get_version(v, uop);
	}
}

/*
 * Snapshots: the table as it is (version, its frames, where the guest mapped
 * them, the maptrack of the domain's own grant mappings). The frames'
 * references are in the frame table.
 */
void hv_gnttab_save(struct domain *d, struct sv_snap_w *w)
{
	const struct hv_gnttab *gt = d->gnttab;

	sv_snap_put_u32(w, gt->version);
	sv_snap_put_u32(w, gt->nr_frames);
	sv_snap_put_bytes(w, gt->mfn, sizeof(gt->mfn));
	sv_snap_put_bytes(w, gt->gfn, sizeof(gt->gfn));
	sv_snap_put_u32(w, gt->nr_status);
	sv_snap_put_bytes(w, gt->status_mfn, sizeof(gt->status_mfn));
	sv_snap_put_bytes(w, gt->status_gfn, sizeof(gt->status_gfn));
	sv_snap_put_u32(w, gt->n_pins);
	sv_snap_put_bytes(w, gt->pins, gt->n_pins * sizeof(*gt->pins));
	sv_snap_put_bytes(w, gt->maptrack, sizeof(gt->maptrack));
}

int hv_gnttab_load(struct domain *d, struct sv_snap_r *r)
{
	struct hv_gnttab *gt = d->gnttab;
	struct machmem *mem = &d->hv->mem;
	uint32_t version = 0, nr = 0, nrs = 0, np = 0;

	if (!sv_snap_get_u32(r, &version) || !sv_snap_get_u32(r, &nr) ||
	    !sv_snap_get_bytes(r, gt->mfn, sizeof(gt->mfn)) ||
	    !sv_snap_get_bytes(r, gt->gfn, sizeof(gt->gfn)) || !sv_snap_get_u32(r, &nrs) ||
	    !sv_snap_get_bytes(r, gt->status_mfn, sizeof(gt->status_mfn)) ||
	    !sv_snap_get_bytes(r, gt->status_gfn, sizeof(gt->status_gfn)) ||
	    !sv_snap_get_u32(r, &np))
		return -EINVAL;
	if ((version != 1 && version != 2) || nr > HV_GNTTAB_MAX_FRAMES ||
	    nrs > HV_GNTTAB_MAX_STATUS_FRAMES ||
	    np > HV_GNTTAB_MAX_FRAMES * HV_GNTTAB_ENTRIES_PER_FRAME)
		return sv_snap_fail(r, "bad grant table (version %u, %u frames, %u status frames)",
				    version, nr, nrs);
	gt->version = version;
	gt->nr_frames = nr;
	gt->nr_status = nrs;
	gt->pins = g_renew(struct hv_gnttab_pin, gt->pins, np ? np : 1);
	gt->n_pins = np;
	if (!sv_snap_get_bytes(r, gt->pins, np * sizeof(*gt->pins)) ||
	    !sv_snap_get_bytes(r, gt->maptrack, sizeof(gt->maptrack)))
		return -EINVAL;
	for (unsigned i = 0; i < nr; i++)
		if (!machmem_valid(mem, gt->mfn[i]))
			return sv_snap_fail(r, "bad grant table frame %u", i);
	for (unsigned i = 0; i < nrs; i++)
		if (!machmem_valid(mem, gt->status_mfn[i]))
			return sv_snap_fail(r, "bad grant status frame %u", i);
	return 0;
}
