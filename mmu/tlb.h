/*
 * The softmmu TLB: a per-CPU, direct-mapped cache of guest-virtual to host
 * translations, one table per MMU context ("mmu index": kernel/user, real
 * mode/translated, ...; the arch decides what each index means).
 *
 * Each entry holds, per access kind, the page-aligned virtual address it
 * serves. A flag in the low bits (INVALID or SLOW) makes the fast-path compare
 * fail, so the access takes the slow path: MMIO pages and pages holding
 * translated code (writes must invalidate TBs) are SLOW for the affected
 * access kinds. The fast path:
 *
 *     e = &tlb->e[idx][(va >> 12) & (MMU_TLB_SIZE - 1)];
 *     if ((va & SV_PAGE_MASK) == e->addr_read && (va & 0xfff) + size <= 4096)
 *             host = (uint8_t *)(uintptr_t)(va + e->addend);
 */
#ifndef SV_MMU_TLB_H
#define SV_MMU_TLB_H

#include "sv/common.h"

#define MMU_MAX_IDX 8
#define MMU_TLB_BITS 8
#define MMU_TLB_SIZE (1u << MMU_TLB_BITS)

enum {
	MMU_TLB_INVALID = 1, /* no translation cached for this access kind */
	MMU_TLB_SLOW = 2,    /* translation cached, but take the slow path */
	MMU_TLB_MMIO = 4,    /* with SLOW: the page is emulated MMIO */
	MMU_TLB_FLAGS = 7,
};

enum {
	MMU_PROT_READ = 1,
	MMU_PROT_WRITE = 2,
	MMU_PROT_EXEC = 4,
};

struct mmu_tlb_entry {
	uint64_t addr_read;
	uint64_t addr_write;
	uint64_t addr_code;
	uint64_t addend; /* host address = va + addend (modulo 2^64) */
	uint64_t gpa;    /* guest-physical page address */
};

struct mmu_tlb {
	struct mmu_tlb_entry e[MMU_MAX_IDX][MMU_TLB_SIZE];
	uint64_t n_fills, n_flushes;
};

static inline struct mmu_tlb_entry *mmu_tlb_entry(struct mmu_tlb *tlb, unsigned idx, uint64_t va)
{
	return &tlb->e[idx][(va >> SV_PAGE_BITS) & (MMU_TLB_SIZE - 1)];
}

void mmu_tlb_flush(struct mmu_tlb *tlb);
void mmu_tlb_flush_page(struct mmu_tlb *tlb, uint64_t va);
/* Drop write fast paths to a guest-physical page (it now holds code). */
void mmu_tlb_flush_gpa_writes(struct mmu_tlb *tlb, uint64_t gpa_page);
/* Drop every entry mapping a guest-physical page (p2m change). */
void mmu_tlb_flush_gpa(struct mmu_tlb *tlb, uint64_t gpa_page);
/*
 * Install a translation. host_page is the host address of the page (NULL for
 * MMIO); prot is MMU_PROT_*; slow_prot lists the access kinds that must take the
 * slow path even though allowed.
 */
void mmu_tlb_set(struct mmu_tlb *tlb, unsigned idx, uint64_t va, uint64_t gpa, uint8_t *host_page,
		 unsigned prot, unsigned slow_prot);

#endif
