/*
 * The p2m: a domain's guest-physical to machine map (the second translation
 * stage: EPT on x86, partition-scoped translation on POWER).
 *
 * gfn -> { mfn, type, access, flags }. A 4-level radix table of 512-entry
 * nodes covers 36 bits of gfn (a 48-bit guest-physical space). Every mapping of
 * a machine frame holds a reference on it (machmem_get), released when the entry
 * is replaced or removed and at p2m_destroy, so foreign and grant mappings keep
 * their pages alive.
 *
 * Listeners (the CPUs of the domain) are told of every change so they can
 * flush TLB entries and TBs that depended on the old mapping.
 *
 * Code tracking: a gfn holding translated code carries P2M_F_CODE. Writes to
 * such a page, by the guest (the TLB sends them to the slow path) or by hv
 * (p2m_copy_to), call the code-write hook, which invalidates the TBs.
 */
#ifndef SV_MMU_P2M_H
#define SV_MMU_P2M_H

#include "sv/common.h"
#include "mmu/machmem.h"

#define P2M_GFN_BITS 36
#define P2M_MAX_GFN ((1ull << P2M_GFN_BITS) - 1)

/*
 * Types as in DESIGN.md §6 (names follow Xen's p2m_type_t), plus HV_TABLE:
 * a frame hv owns and maps for the CPU's table walkers only (the PAPR hashed
 * page table): no guest load, store or fetch reaches it (the TLB fill sees no
 * access rights: HDSI/HISI), and neither do p2m_copy_from/to, which serve
 * guest-named buffers; p2m_table_read/write, the walkers' path, do.
 */
#define P2M_TYPES(X)                                                                               \
	X(INVALID, "invalid")                                                                      \
	X(RAM_RW, "ram_rw")                                                                        \
	X(RAM_RO, "ram_ro")                                                                        \
	X(MMIO, "mmio")                                                                            \
	X(GRANT_MAP_RW, "grant_map_rw")                                                            \
	X(GRANT_MAP_RO, "grant_map_ro")                                                            \
	X(MAP_FOREIGN, "map_foreign")                                                              \
	X(HV_TABLE, "hv_table")

enum p2m_type {
#define P2M_ENUM(n, s) P2M_##n,
	P2M_TYPES(P2M_ENUM)
#undef P2M_ENUM
	P2M_NUM_TYPES
};

enum {
	P2M_ACCESS_R = 1,
	P2M_ACCESS_W = 2,
	P2M_ACCESS_X = 4,
	P2M_ACCESS_RWX = 7,
	P2M_ACCESS_RX = 5,
	P2M_ACCESS_RW = 3,
};

enum {
	P2M_F_CODE = 1, /* the page holds translated code */
};

struct p2m_entry {
	uint64_t mfn;   /* machine frame (RAM types) or MMIO region index */
	uint8_t type;   /* enum p2m_type */
	uint8_t access; /* P2M_ACCESS_* */
	uint8_t flags;  /* P2M_F_* */
};

/* An emulated-MMIO region's handlers. cpu: the index of the CPU making the
 * access (a per-CPU device, such as the x86 local APIC, answers each CPU
 * itself). Return 0, or -1 for an access error. */
struct mmio_ops {
	int (*read)(void *opaque, unsigned cpu, uint64_t gpa, unsigned size, uint64_t *val);
	int (*write)(void *opaque, unsigned cpu, uint64_t gpa, unsigned size, uint64_t val);
};

struct p2m_listener {
	/* gfns [gfn, gfn + count) changed mapping. */
	void (*changed)(void *opaque, uint64_t gfn, uint64_t count);
	/* A write hit a code page: invalidate the TBs on [gpa, gpa + len). */
	void (*code_write)(void *opaque, uint64_t gpa, uint64_t len);
	/* A page became a code page: drop write fast paths to it. */
	void (*code_marked)(void *opaque, uint64_t gfn);
	void *opaque;
};

struct p2m;

struct p2m *p2m_new(struct machmem *mem, uint16_t domid);
/* Releases every reference the p2m holds. */
void p2m_destroy(struct p2m *p);
uint16_t p2m_domid(const struct p2m *p);
struct machmem *p2m_machmem(const struct p2m *p);

void p2m_add_listener(struct p2m *p, const struct p2m_listener *l);
void p2m_remove_listener(struct p2m *p, void *opaque);

/* Map gfn to mfn (taking a reference on mfn). 0, -EINVAL, -ENOMEM. */
int p2m_set(struct p2m *p, uint64_t gfn, uint64_t mfn, enum p2m_type type, unsigned access);
/* Allocate fresh RAM frames owned by the domain for [gfn, gfn + count). */
int p2m_populate_ram(struct p2m *p, uint64_t gfn, uint64_t count);
/* Remove a mapping (drops its reference). 0, or -ENOENT if nothing was mapped. */
int p2m_remove(struct p2m *p, uint64_t gfn);
/* Register an MMIO region over [gfn, gfn + count). */
int p2m_add_mmio(struct p2m *p, uint64_t gfn, uint64_t count, const struct mmio_ops *ops,
		 void *opaque);
/* Change access rights. */
int p2m_set_access(struct p2m *p, uint64_t gfn, unsigned access);

/* Look a gfn up. Returns false if unmapped (out->type = P2M_INVALID). */
bool p2m_lookup(const struct p2m *p, uint64_t gfn, struct p2m_entry *out);
/* Host address of a RAM-backed gfn (NULL if not RAM-backed). */
uint8_t *p2m_host_page(const struct p2m *p, uint64_t gfn);
/* MMIO dispatch for gpa, accessed by CPU cpu. 0, or -1 if no region / the
 * device refused. */
int p2m_mmio_read(struct p2m *p, unsigned cpu, uint64_t gpa, unsigned size, uint64_t *val);
int p2m_mmio_write(struct p2m *p, unsigned cpu, uint64_t gpa, unsigned size, uint64_t val);

/* Code-page tracking. */
void p2m_mark_code(struct p2m *p, uint64_t gfn);
void p2m_clear_code(struct p2m *p, uint64_t gfn);
/* Tell the listeners a write to [gpa, gpa+len) hit code pages (called by
 * the slow store path and by p2m_copy_to). */
void p2m_notify_code_write(struct p2m *p, uint64_t gpa, uint64_t len);

/*
 * Guest-physical copies for hv and devices: RAM types only (no MMIO), with the
 * access rights checked. 0, or -EFAULT naming nothing else: the caller turns it
 * into the guest's error.
 */
int p2m_copy_from(struct p2m *p, void *dst, uint64_t gpa, size_t len);
int p2m_copy_to(struct p2m *p, uint64_t gpa, const void *src, size_t len);

/* The table walkers' access (the CPU's page-table walks and their R/C
 * updates): p2m_copy_from/to's rules, and HV_TABLE frames as well. 0 or
 * -EFAULT. */
int p2m_table_read(struct p2m *p, void *dst, uint64_t gpa, size_t len);
int p2m_table_write(struct p2m *p, uint64_t gpa, const void *src, size_t len);

const char *p2m_type_name(enum p2m_type t);

/* Snapshots (include/sv/snap.h): the mappings, after machmem_load. */
void p2m_save(const struct p2m *p, struct sv_snap_w *w);
int p2m_load(struct p2m *p, struct sv_snap_r *r);

#endif
