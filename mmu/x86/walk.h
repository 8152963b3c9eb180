/*
 * x86 first-stage translation: the guest page walk (SDM vol. 3A ch. 4).
 *
 * Supports 32-bit paging (with 4 MiB pages when CR4.PSE), PAE paging,
 * 4-level and 5-level paging (CR4.LA57; 2 MiB and 1 GiB pages), with the U/S, R/W, CR0.WP and
 * NX/EFER.NXE protections, SMEP and SMAP (CR4.SMEP/SMAP with RFLAGS.AC for
 * explicit supervisor accesses), reserved-bit checks, and the accessed/dirty flags
 * (SDM 4.8). Page-structure entries are read and written through
 * cpu_phys_read/cpu_phys_write, so every access passes the p2m (second stage);
 * a failed access there is reported as X86_WALK_STAGE2 with the guest-physical
 * address of the entry, so the caller can raise an EPT violation "during a
 * paging-structure access".
 *
 * Nothing here longjmps or raises: the walk returns what happened.
 *
 * Example: with CR0.PG=1, CR4.PAE=1, EFER.LMA=1 and a 2 MiB identity mapping
 * of the first GiB, x86_walk(cpu, &mode, 0x1234567, MMU_WRITE, false, &r)
 * returns X86_WALK_OK, r.gpa = 0x1234567, r.page_size = 2 MiB, and sets the
 * A bit in the PML4E, PDPTE and PDE and the D bit in the PDE.
 */
#ifndef SV_MMU_X86_WALK_H
#define SV_MMU_X86_WALK_H

#include "cpu/cpu.h"

/* The translation-relevant control state. */
struct x86_walk_mode {
	uint64_t cr0, cr3, cr4, efer;
	bool probe; /* look only: do not set accessed/dirty flags */
	bool ac;    /* RFLAGS.AC of an explicit supervisor access (SMAP, SDM 4.6.1) */
};

enum x86_walk_status {
	X86_WALK_OK = 0,
	X86_WALK_PF = -1,     /* page fault: r->pf_error holds the error code */
	X86_WALK_STAGE2 = -2, /* p2m fault reading/writing a paging-structure entry */
};

struct x86_walk_result {
	uint64_t gpa;  /* translation of va */
	unsigned prot; /* MMU_PROT_* the TLB may cache for this page */
	uint64_t page_size;
	bool global;               /* the final entry's G flag, with CR4.PGE (SDM 4.10.2.4) */
	uint32_t pf_error;         /* X86_WALK_PF: SDM 4.7 error code */
	uint64_t fault_gpa;        /* X86_WALK_STAGE2: the entry's guest-physical address */
	enum mmu_access fault_acc; /* X86_WALK_STAGE2: read (walk) or write (A/D) */
};

/* The physical-address width the CPU model reports (CPUID 0x80000008). */
#define X86_MAXPHYADDR 40

/* Is va canonical for 48-bit linear addresses? */
static inline bool x86_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* Is va canonical for 57-bit linear addresses (5-level paging)? */
static inline bool x86_canonical57(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 7) >> 7) == va;
}

/* Canonical for the paging mode: 57 bits with CR4.LA57, else 48. */
static inline bool x86_canonical_la(uint64_t va, bool la57)
{
	return la57 ? x86_canonical57(va) : x86_canonical(va);
}

enum x86_walk_status x86_walk(struct cpu *cpu, const struct x86_walk_mode *m, uint64_t va,
			      enum mmu_access acc, bool user, struct x86_walk_result *r);

#endif
