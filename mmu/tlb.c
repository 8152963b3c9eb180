/*
 * Softmmu TLB maintenance. The lookups themselves are inline in the backends
 * and in cpu/exec.c; see mmu/tlb.h for the entry format.
 */
#include "mmu/tlb.h"

static void mmu_tlb_entry_clear(struct mmu_tlb_entry *e)
{
	e->addr_read = e->addr_write = e->addr_code = MMU_TLB_INVALID;
	e->addend = 0;
	e->gpa = 0;
}

void mmu_tlb_flush(struct mmu_tlb *tlb)
{
	for (unsigned i = 0; i < MMU_MAX_IDX; i++)
		for (unsigned k = 0; k < MMU_TLB_SIZE; k++)
			mmu_tlb_entry_clear(&tlb->e[i][k]);
	tlb->n_flushes++;
}

void mmu_tlb_flush_page(struct mmu_tlb *tlb, uint64_t va)
{
	uint64_t page = va & SV_PAGE_MASK;

	for (unsigned i = 0; i < MMU_MAX_IDX; i++) {
		struct mmu_tlb_entry *e = mmu_tlb_entry(tlb, i, va);
		if ((e->addr_read & SV_PAGE_MASK) == page ||
		    (e->addr_write & SV_PAGE_MASK) == page || (e->addr_code & SV_PAGE_MASK) == page)
			mmu_tlb_entry_clear(e);
	}
}

void mmu_tlb_flush_gpa_writes(struct mmu_tlb *tlb, uint64_t gpa_page)
{
	for (unsigned i = 0; i < MMU_MAX_IDX; i++)
		for (unsigned k = 0; k < MMU_TLB_SIZE; k++) {
			struct mmu_tlb_entry *e = &tlb->e[i][k];
			if (e->gpa == gpa_page && !(e->addr_write & MMU_TLB_INVALID))
				e->addr_write |= MMU_TLB_SLOW;
		}
}

void mmu_tlb_flush_gpa(struct mmu_tlb *tlb, uint64_t gpa_page)
{
	for (unsigned i = 0; i < MMU_MAX_IDX; i++)
		for (unsigned k = 0; k < MMU_TLB_SIZE; k++) {
			struct mmu_tlb_entry *e = &tlb->e[i][k];
			if (e->gpa == gpa_page)
				mmu_tlb_entry_clear(e);
		}
}

void mmu_tlb_set(struct mmu_tlb *tlb, unsigned idx, uint64_t va, uint64_t gpa, uint8_t *host_page,
		 unsigned prot, unsigned slow_prot)
{
	struct mmu_tlb_entry *e = mmu_tlb_entry(tlb, idx, va);
	uint64_t page = va & SV_PAGE_MASK;

	uint64_t slow = MMU_TLB_SLOW;

	if (!host_page) {
		slow_prot |= MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
		slow |= MMU_TLB_MMIO;
	}
	e->addr_read = !(prot & MMU_PROT_READ)     ? MMU_TLB_INVALID :
		       (slow_prot & MMU_PROT_READ) ? page | slow :
						     page;
	e->addr_write = !(prot & MMU_PROT_WRITE)     ? MMU_TLB_INVALID :
			(slow_prot & MMU_PROT_WRITE) ? page | slow :
						       page;
	e->addr_code = !(prot & MMU_PROT_EXEC)     ? MMU_TLB_INVALID :
		       (slow_prot & MMU_PROT_EXEC) ? page | slow :
						     page;
	e->addend = host_page ? (uint64_t)(uintptr_t)host_page - page : 0;
	e->gpa = gpa & SV_PAGE_MASK;
	tlb->n_fills++;
}
