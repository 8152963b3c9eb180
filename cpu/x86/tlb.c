/*
 * The x86 TLB (SDM vol. 3A 4.10): the first-stage translations the
 * processor caches, tagged with the PCID they were made under (CR3[11:0]
 * with CR4.PCIDE, else 0), and the global ones (G bit with CR4.PGE) valid
 * under every PCID. It sits between the softmmu TLB (cpu->tlb, which caches
 * combined first- and second-stage translations with host pointers and is
 * not tagged) and the page walk: a softmmu miss looks here before walking
 * the guest's tables, so what the guest sees is what a real TLB gives it:
 *
 *     mov %rax, %cr3      (PCID 1)        access X: walk, cached for PCID 1
 *     (PTE of X edited, no invalidation)
 *     mov %rbx, %cr3      (PCID 2, bit 63) access X: walk, the new mapping
 *     mov %rcx, %cr3      (PCID 1, bit 63) access X: the stale PCID 1 entry
 *     invpcid type 0 (PCID 1, X)          access X: the new mapping
 *
 * Entries hold only guest-physical addresses, so keeping them across p2m
 * changes is safe; the softmmu TLB is flushed at every CR3 load and
 * invalidation (it is rebuilt from here). A translation is cached per MMU
 * index (supervisor, user, supervisor with SMAP's AC), with the rights the
 * walk computed for it; an access those rights do not allow walks again
 * (the first write sets the dirty flag; a fault stays a fault). Only 4 KiB
 * pieces are cached; an entry remembers its page's size so INVLPG anywhere
 * in a large page drops all of it. Replacement is round-robin in each set:
 * deterministic, like everything guest-visible.
 */
#include "cpu/x86/cpu_x86.h"

static unsigned x86_tlb_set(uint64_t va, unsigned mmu_idx)
{
	return (unsigned)(((va >> SV_PAGE_BITS) ^ ((uint64_t)mmu_idx << 6)) & (X86_TLB_SETS - 1));
}

static uint16_t x86_tlb_pcid(const struct cpu_x86 *c)
{
	return (c->cr4 & X86_CR4_PCIDE) ? (uint16_t)(c->cr3 & X86_CR4_PCIDE_MASK) : 0;
}

bool cpu_x86_tlb_lookup(struct cpu_x86 *c, uint64_t va, unsigned mmu_idx, unsigned need,
			struct cpu_xlat *x)
{
	struct x86_tlb_set *s = &c->tlb.set[x86_tlb_set(va, mmu_idx)];
	uint64_t page = va & SV_PAGE_MASK;
	uint16_t pcid = x86_tlb_pcid(c);

	for (unsigned w = 0; w < X86_TLB_WAYS; w++) {
		struct x86_tlb_entry *e = &s->way[w];

		if (e->valid && e->va_page == page && e->mmu_idx == mmu_idx &&
		    (e->global || e->pcid == pcid)) {
			if ((e->prot & need) != need)
				return false;
			x->gpa = e->gpa_page | (va & ~SV_PAGE_MASK);
			x->prot = e->prot;
			x->page_size = SV_PAGE_SIZE;
			return true;
		}
	}
	return false;
}

void cpu_x86_tlb_insert(struct cpu_x86 *c, uint64_t va, unsigned mmu_idx, uint64_t gpa,
			unsigned prot, uint64_t page_size, bool global)
{
	struct x86_tlb_set *s = &c->tlb.set[x86_tlb_set(va, mmu_idx)];
	uint64_t page = va & SV_PAGE_MASK;
	uint16_t pcid = x86_tlb_pcid(c);
	struct x86_tlb_entry *e = NULL;

	/* The same page again (a write after a read): replace its entry. */
	for (unsigned w = 0; w < X86_TLB_WAYS && !e; w++)
		if (s->way[w].valid && s->way[w].va_page == page && s->way[w].mmu_idx == mmu_idx &&
		    (s->way[w].global || s->way[w].pcid == pcid))
			e = &s->way[w];
	if (!e) {
		e = &s->way[s->next];
		s->next = (uint8_t)((s->next + 1) % X86_TLB_WAYS);
	}
	*e = (struct x86_tlb_entry){
		.valid = true,
		.global = global,
		.mmu_idx = (uint8_t)mmu_idx,
		.pcid = pcid,
		.va_page = page,
		.gpa_page = gpa & SV_PAGE_MASK,
		.prot = prot,
		.page_size = page_size,
	};
}

/* Drop the entries sel() picks, then the softmmu TLB built from them. */
static void x86_tlb_drop(struct cpu_x86 *c,
			 bool (*sel)(const struct x86_tlb_entry *e, uint16_t pcid, uint64_t va),
			 uint16_t pcid, uint64_t va)
{
	for (unsigned i = 0; i < X86_TLB_SETS; i++)
		for (unsigned w = 0; w < X86_TLB_WAYS; w++) {
			struct x86_tlb_entry *e = &c->tlb.set[i].way[w];

			if (e->valid && sel(e, pcid, va))
				e->valid = false;
		}
	cpu_tlb_flush(&c->cpu);
}

static bool x86_sel_all(const struct x86_tlb_entry *e, uint16_t pcid, uint64_t va)
{
	return true;
}

static bool x86_sel_nonglobal(const struct x86_tlb_entry *e, uint16_t pcid, uint64_t va)
{
	return !e->global;
}

static bool x86_sel_pcid(const struct x86_tlb_entry *e, uint16_t pcid, uint64_t va)
{
	return !e->global && e->pcid == pcid;
}

static bool x86_in_page(const struct x86_tlb_entry *e, uint64_t va)
{
	return (e->va_page & ~(e->page_size - 1)) == (va & ~(e->page_size - 1));
}

static bool x86_sel_pcid_addr(const struct x86_tlb_entry *e, uint16_t pcid, uint64_t va)
{
	return !e->global && e->pcid == pcid && x86_in_page(e, va);
}

static bool x86_sel_invlpg(const struct x86_tlb_entry *e, uint16_t pcid, uint64_t va)
{
	return (e->global || e->pcid == pcid) && x86_in_page(e, va);
}

void cpu_x86_tlb_flush_all(struct cpu_x86 *c)
{
	x86_tlb_drop(c, x86_sel_all, 0, 0);
}

/*
 * MOV to CR3 (SDM 4.10.4.1): without CR4.PCIDE, every non-global entry (they
 * are all PCID 0); with it, those of the new PCID unless bit 63 was set.
 */
void cpu_x86_tlb_cr3_load(struct cpu_x86 *c, bool noflush)
{
	if (noflush)
		cpu_tlb_flush(&c->cpu);
	else
		x86_tlb_drop(c, x86_sel_pcid, x86_tlb_pcid(c), 0);
}

/* INVLPG (SDM 4.10.4.1): the page's entries for the current PCID and its
 * global ones. */
void cpu_x86_tlb_invlpg(struct cpu_x86 *c, uint64_t va)
{
	x86_tlb_drop(c, x86_sel_invlpg, x86_tlb_pcid(c), va);
}

/* INVPCID (SDM vol. 2 INVPCID): 0 one address of one PCID, 1 one PCID,
 * 2 everything, 3 everything but global translations. */
void cpu_x86_tlb_invpcid(struct cpu_x86 *c, unsigned type, uint16_t pcid, uint64_t va)
{
	switch (type) {
	case 0: x86_tlb_drop(c, x86_sel_pcid_addr, pcid, va); break;
	case 1: x86_tlb_drop(c, x86_sel_pcid, pcid, 0); break;
	case 2: x86_tlb_drop(c, x86_sel_all, 0, 0); break;
	default: x86_tlb_drop(c, x86_sel_nonglobal, 0, 0); break;
	}
}
