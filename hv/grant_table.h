/*
 * Grant tables (public/grant_table.h): a domain's table of, in version 1,
 * struct grant_entry_v1 { uint16_t flags; domid_t domid; uint32_t frame; }
 * (8 bytes, 512 a page), in version 2 union grant_entry_v2 (16 bytes, 256 a
 * page: full_page { flags, domid, @8 uint64_t frame }, sub_page { flags,
 * domid, @4 page_off, @6 length, @8 frame }, transitive { flags, domid,
 * @4 trans_domid, @8 gref }) with GTF_reading/GTF_writing moved to status
 * frames (one uint16_t per entry, 2048 a page), in frames hv owns, which the
 * guest maps into its physmap with XENMEM_add_to_physmap(XENMAPSPACE_grant_
 * table, idx = frame, or XENMAPIDX_grant_table_status | frame).
 *
 * Version switches follow Xen's gnttab_set_version: only while no entry
 * past the first 8 (the toolstack's) is mapped (-EBUSY); those 8 are kept
 * as full-page grants (from v2, one v1 cannot hold is -ERANGE); everything
 * else is cleared; status frames come with v2 and go (unmapped from the
 * physmap) with v1. get_status_frames gives their gfns. Copies reach v2
 * sub-page grants within their bytes and transitive grants one level deep;
 * maps take full-page grants only.
 *
 * Done: query_size, setup_table, set_version, get_version, get_status_frames, copy (between
 * any two domains of the hv, by grant reference or by the caller's own gfn),
 * map_grant_ref / unmap_grant_ref with GNTMAP_host_map (host_addr is a
 * guest-physical address in the mapper's physmap, as for a translated
 * guest: the granted frame is mapped there as grant_map_rw/ro, the p2m
 * holding a reference on it, so it outlives its owner's teardown), and the
 * physmap placement of the table's frames. A granted frame must be the
 * granting domain's own RAM (a page it maps by grant or foreign mapping is
 * GNTST_bad_page), and so must a copy's local gmfn side. Batches of map, unmap and copy
 * are preemptible: after HV_GNTTAB_PREEMPT_OPS operations the call continues
 * itself with the handle advanced and the count reduced, as Xen's
 * (hv/hypercall.h). Not for HVM guests: GNTMAP_contains_pte and device
 * mappings; not yet: transfer, unmap_and_replace, dump_table (-ENOSYS).
 *
 * Worked example (Linux's gnttab_init on a PVH guest): query_size ->
 * nr_frames 1, max_nr_frames 32; add_to_physmap(grant_table, idx 0, gfn G)
 * -> frame 0 appears at G; setup_table {nr_frames 1} -> frame_list[0] = G.
 */
#ifndef SV_HV_GRANT_TABLE_H
#define SV_HV_GRANT_TABLE_H

#include "hv/hv.h"

#define HV_GNTTAB_MAX_FRAMES 32 /* libxl's default max_grant_frames */
#define HV_GNTTAB_INITIAL_FRAMES 1
#define HV_GNTTAB_ENTRIES_PER_FRAME (SV_PAGE_SIZE / 8)     /* grant_entry_v1 */
#define HV_GNTTAB_V2_ENTRIES_PER_FRAME (SV_PAGE_SIZE / 16) /* grant_entry_v2 */
#define HV_GNTTAB_STATUS_PER_FRAME (SV_PAGE_SIZE / 2)      /* grant_status_t */
#define HV_GNTTAB_MAX_STATUS_FRAMES                                                                \
	((HV_GNTTAB_MAX_FRAMES * HV_GNTTAB_V2_ENTRIES_PER_FRAME + HV_GNTTAB_STATUS_PER_FRAME -     \
	  1) /                                                                                     \
	 HV_GNTTAB_STATUS_PER_FRAME)
#define HV_GNTTAB_PREEMPT_OPS 64 /* operations of a batch per piece */
#define HV_GNTTAB_MAPTRACK 1024  /* grant mappings a domain may hold */

/* One grant mapping a domain holds (its handle is the index). */
struct hv_gnttab_map {
	bool used;
	bool readonly;
	uint16_t domid; /* the granting domain */
	uint32_t ref;
	uint64_t gfn; /* where in the mapper's physmap */
};

/* How many mappings hold an entry (Xen's active entry pin counts). */
struct hv_gnttab_pin {
	uint32_t readers, writers;
};

struct hv_gnttab {
	unsigned version;
	unsigned nr_frames; /* frames allocated */
	uint64_t mfn[HV_GNTTAB_MAX_FRAMES];
	uint64_t gfn[HV_GNTTAB_MAX_FRAMES]; /* where mapped, or HV_GFN_NONE */
	unsigned nr_status;                 /* v2's status frames */
	uint64_t status_mfn[HV_GNTTAB_MAX_STATUS_FRAMES];
	uint64_t status_gfn[HV_GNTTAB_MAX_STATUS_FRAMES];
	struct hv_gnttab_pin *pins; /* by ref, n_pins of them */
	unsigned n_pins;
	struct hv_gnttab_map maptrack[HV_GNTTAB_MAPTRACK];
};

int hv_gnttab_init(struct domain *d);
void hv_gnttab_destroy(struct domain *d);
/* XENMEM_add_to_physmap(XENMAPSPACE_grant_table): map frame idx at gfn
 * (a status frame with XENMAPIDX_grant_table_status). */
long hv_gnttab_map_frame(struct vcpu *v, uint64_t idx, uint64_t gfn);
/* Is one of d's table or status frames mapped at gfn? unhook: it no longer
 * is (the caller removes the p2m entry). */
bool hv_gnttab_owns_gfn(struct domain *d, uint64_t gfn, bool unhook);

/*
 * Domain 0's backends (devices/, C code without a vcpu) use the grants a
 * guest gd gives domain 0. Both return GNTST_okay or the status a
 * GNTTABOP_copy / map_grant_ref by domain 0 would get.
 * hv_gnttab_backend_copy: len bytes at off in the granted page, into it
 * (to_guest: the grant must be writable) or out of it, through gd's p2m.
 * hv_gnttab_backend_map: a lasting read-write mapping (a shared ring): a
 * reference on the granted frame and the entry marked in use
 * (GTF_reading|GTF_writing) until hv_gnttab_backend_unmap.
 */
int hv_gnttab_backend_copy(struct domain *gd, uint32_t ref, unsigned off, void *buf, unsigned len,
			   bool to_guest);
int hv_gnttab_backend_map(struct domain *gd, uint32_t ref, uint64_t *mfn);
void hv_gnttab_backend_unmap(struct domain *gd, uint32_t ref, uint64_t mfn);

/* Snapshots (include/sv/snap.h), after the frame table. */
struct sv_snap_w;
struct sv_snap_r;
void hv_gnttab_save(struct domain *d, struct sv_snap_w *w);
int hv_gnttab_load(struct domain *d, struct sv_snap_r *r);

long do_grant_table_op(struct vcpu *v, const uint64_t a[6]);

#endif
