/*
 * The x86 guest page walk (SDM vol. 3A 4.3 32-bit paging, 4.4 PAE paging,
 * 4.5 4-level paging, 4.6 access rights, 4.7 page-fault error codes, 4.8
 * accessed and dirty flags; 5-level paging as in Intel's "5-Level Paging
 * and 5-Level EPT" white paper: a PML5 table above the PML4, CR4.LA57). See
 * walk.h for the contract.
 *
 * The walk collects the entries it used; only when the access is allowed does
 * it set their accessed flags (and the dirty flag of the final entry for a
 * write), so a faulting access leaves the tables unchanged.
 */
#include "mmu/x86/walk.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_XD (1ull << 63)

#define CR0_WP (1ull << 16)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_PGE (1ull << 7)
#define CR4_LA57 (1ull << 12)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define PF_P 1u
#define PF_W 2u
#define PF_U 4u
#define PF_RSVD 8u
#define PF_I 16u

#define WALK_MAX_LEVELS 5

struct walk_state {
	uint64_t entry_gpa[WALK_MAX_LEVELS];
	uint64_t entry[WALK_MAX_LEVELS];
	unsigned entry_size[WALK_MAX_LEVELS];
	unsigned n;
};

/* Physical-address bits [MAXPHYADDR, 51] must be 0 in 64-bit entries. */
static const uint64_t walk_rsvd_phys = ((1ull << 52) - 1) & ~((1ull << X86_MAXPHYADDR) - 1);

static enum x86_walk_status walk_read(struct cpu *cpu, struct walk_state *w, uint64_t gpa,
				      unsigned size, struct x86_walk_result *r)
{
	uint8_t buf[8];
	if (cpu_phys_read(cpu, gpa, buf, size) < 0) {
		r->fault_gpa = gpa;
		r->fault_acc = MMU_READ;
		return X86_WALK_STAGE2;
	}
	w->entry_gpa[w->n] = gpa;
	w->entry[w->n] = size == 8 ? ld64_le_p(buf) : ld32_le_p(buf);
	w->entry_size[w->n] = size;
	w->n++;
	return X86_WALK_OK;
}

static enum x86_walk_status walk_pf(struct x86_walk_result *r, uint32_t err)
{
	r->pf_error = err;
	return X86_WALK_PF;
}

/*
 * SDM 4.6: combine the rights of every level; then 4.8: set A (all levels)
 * and D (final level, writes).
 */
static enum x86_walk_status walk_finish(struct cpu *cpu, const struct x86_walk_mode *m,
					struct walk_state *w, enum mmu_access acc, bool user,
					bool nx_capable, struct x86_walk_result *r)
{
	bool rw = true, us = true, xd = false;
	for (unsigned i = 0; i < w->n; i++) {
		/* PAE PDPTEs carry no R/W, U/S or XD (SDM 4.4.1). */
		if (w->entry_size[i] == 8 &&
		    !(m->cr4 & CR4_PAE && !(m->efer & EFER_LMA) && i == 0)) {
			rw &= (w->entry[i] & PTE_RW) != 0;
			us &= (w->entry[i] & PTE_US) != 0;
			xd |= nx_capable && (w->entry[i] & PTE_XD);
		} else if (w->entry_size[i] == 4) {
			rw &= (w->entry[i] & PTE_RW) != 0;
			us &= (w->entry[i] & PTE_US) != 0;
		}
	}
	bool smep = (m->cr4 & CR4_SMEP) != 0;
	uint32_t err = PF_P | (acc == MMU_WRITE ? PF_W : 0) | (user ? PF_U : 0) |
		       (acc == MMU_FETCH && (nx_capable || smep) ? PF_I : 0);
	if (user && !us)
		return walk_pf(r, err);
	/* SDM 4.6.1: supervisor fetches from user pages fault with SMEP;
	 * supervisor data accesses to user pages fault with SMAP unless
	 * RFLAGS.AC = 1 on an explicit access. */
	bool smep_deny = !user && us && smep;
	bool smap_deny = !user && us && (m->cr4 & CR4_SMAP) && !m->ac;
	if (acc == MMU_FETCH && smep_deny)
		return walk_pf(r, err);
	if (acc != MMU_FETCH && smap_deny)
		return walk_pf(r, err);
	bool wp = (m->cr0 & CR0_WP) != 0;
	bool can_write = user ? rw : (rw || !wp);
	if (acc == MMU_WRITE && !can_write)
		return walk_pf(r, err);
	if (acc == MMU_FETCH && xd)
		return walk_pf(r, err);

	unsigned last = w->n - 1;
	for (unsigned i = 0; i < w->n; i++) {
		uint64_t e = w->entry[i];
		uint64_t ne = e;
		bool pdpte_pae = m->cr4 & CR4_PAE && !(m->efer & EFER_LMA) && i == 0;
		if (pdpte_pae || m->probe)
			continue; /* PAE PDPTEs have no A bit */
		ne |= PTE_A;
		if (i == last && acc == MMU_WRITE)
			ne |= PTE_D;
		if (ne == e)
			continue;
		uint8_t buf[8];
		if (w->entry_size[i] == 8)
			st64_le_p(buf, ne);
		else
			st32_le_p(buf, ne);
		if (cpu_phys_write(cpu, w->entry_gpa[i], buf, w->entry_size[i]) < 0) {
			r->fault_gpa = w->entry_gpa[i];
			r->fault_acc = MMU_WRITE;
			return X86_WALK_STAGE2;
		}
		w->entry[i] = ne;
	}

	/* What the TLB may cache: writes only once D is set, so the first write
	 * comes back here to set it. */
	r->prot = MMU_PROT_READ;
	if (can_write && (w->entry[last] & PTE_D))
		r->prot |= MMU_PROT_WRITE;
	if (!xd && !smep_deny)
		r->prot |= MMU_PROT_EXEC;
	if (smap_deny) /* a fetch filled the entry: no data access may hit it */
		r->prot &= ~(unsigned)(MMU_PROT_READ | MMU_PROT_WRITE);
	return X86_WALK_OK;
}

/* 32-bit paging (SDM 4.3). */
static enum x86_walk_status walk_32(struct cpu *cpu, const struct x86_walk_mode *m, uint64_t va,
				    enum mmu_access acc, bool user, struct x86_walk_result *r)
{
	struct walk_state w = { .n = 0 };
	uint32_t la = (uint32_t)va;
	uint32_t err_np = (acc == MMU_WRITE ? PF_W : 0) | (user ? PF_U : 0);
	enum x86_walk_status st;

	st = walk_read(cpu, &w, (m->cr3 & 0xfffff000u) + ((la >> 22) << 2), 4, r);
	if (st)
		return st;
	uint64_t pde = w.entry[0];
	if (!(pde & PTE_P))
		return walk_pf(r, err_np);
	if ((pde & PTE_PS) && (m->cr4 & CR4_PSE)) {
		/* 4 MiB page; bits 20:13 hold PA[39:32] (PSE-36): taken as reserved
		 * above MAXPHYADDR. */
		uint64_t hi = (pde >> 13) & 0xff;
		if (hi >> (X86_MAXPHYADDR - 32) || (pde & (1ull << 21)))
			return walk_pf(r, err_np | PF_P | PF_RSVD);
		r->gpa = (pde & 0xffc00000u) | (hi << 32) | (la & 0x3fffff);
		r->page_size = 4ull << 20;
		r->global = (m->cr4 & CR4_PGE) && (pde & PTE_G);
		return walk_finish(cpu, m, &w, acc, user, false, r);
	}
	st = walk_read(cpu, &w, (pde & 0xfffff000u) + (((la >> 12) & 0x3ff) << 2), 4, r);
	if (st)
		return st;
	uint64_t pte = w.entry[1];
	if (!(pte & PTE_P))
		return walk_pf(r, err_np);
	r->gpa = (pte & 0xfffff000u) | (la & 0xfff);
	r->page_size = SV_PAGE_SIZE;
	r->global = (m->cr4 & CR4_PGE) && (pte & PTE_G);
	return walk_finish(cpu, m, &w, acc, user, false, r);
}

/*
 * PAE (SDM 4.4, levels = 3, the PDPTE read at each walk instead of being
 * cached at CR3 load), 4-level paging (SDM 4.5, levels = 4) and 5-level
 * paging (levels = 5: the PML5 indexed by bits 56:48).
 */
static enum x86_walk_status walk_64(struct cpu *cpu, const struct x86_walk_mode *m, uint64_t va,
				    enum mmu_access acc, bool user, unsigned levels,
				    struct x86_walk_result *r)
{
	struct walk_state w = { .n = 0 };
	bool nxe = (m->efer & EFER_NXE) != 0;
	uint32_t err_np = (acc == MMU_WRITE ? PF_W : 0) | (user ? PF_U : 0) |
			  (acc == MMU_FETCH && nxe ? PF_I : 0);
	uint32_t err_rsvd = err_np | PF_P | PF_RSVD;
	uint64_t rsvd_xd = nxe ? 0 : PTE_XD;
	uint64_t table = levels >= 4 ? (m->cr3 & 0x000ffffffffff000ull) : (m->cr3 & 0xffffffe0u);
	enum x86_walk_status st;

	for (unsigned lvl = levels; lvl >= 1; lvl--) {
		unsigned shift = 12 + 9 * (lvl - 1);
		uint64_t idx = levels == 3 && lvl == 3 ? ((va >> 30) & 3) : ((va >> shift) & 0x1ff);
		st = walk_read(cpu, &w, table + idx * 8, 8, r);
		if (st)
			return st;
		uint64_t e = w.entry[w.n - 1];
		if (!(e & PTE_P))
			return walk_pf(r, err_np);
		if (e & walk_rsvd_phys)
			return walk_pf(r, err_rsvd);
		if (levels == 3 && lvl == 3) {
			/* PAE PDPTE: bits 2:1 and 8:5 reserved, no XD. */
			if (e & 0x1e6ull || (e & PTE_XD))
				return walk_pf(r, err_rsvd);
			table = e & 0x000ffffffffff000ull;
			continue;
		}
		if (e & rsvd_xd)
			return walk_pf(r, err_rsvd);
		bool ps = (e & PTE_PS) != 0;
		if (ps && lvl >= 4)
			return walk_pf(r, err_rsvd); /* PS is reserved in a PML4E/PML5E */
		if (ps && (lvl == 3 || lvl == 2)) {
			uint64_t size = 1ull << shift;
			/* Bits 12 .. shift-1 except 12 (PAT) must be 0. */
			uint64_t rsvd = (size - 1) & ~0x1fffull;
			if (e & rsvd)
				return walk_pf(r, err_rsvd);
			r->gpa = (e & 0x000ffffffffff000ull & ~(size - 1)) | (va & (size - 1));
			r->page_size = size;
			r->global = (m->cr4 & CR4_PGE) && (e & PTE_G);
			return walk_finish(cpu, m, &w, acc, user, nxe, r);
		}
		if (lvl == 1) {
			r->gpa = (e & 0x000ffffffffff000ull) | (va & 0xfff);
			r->page_size = SV_PAGE_SIZE;
			r->global = (m->cr4 & CR4_PGE) && (e & PTE_G);
			return walk_finish(cpu, m, &w, acc, user, nxe, r);
		}
		table = e & 0x000ffffffffff000ull;
	}
	return walk_pf(r, err_rsvd); /* not reached */
}

enum x86_walk_status x86_walk(struct cpu *cpu, const struct x86_walk_mode *m, uint64_t va,
			      enum mmu_access acc, bool user, struct x86_walk_result *r)
{
	memset(r, 0, sizeof(*r));
	if (!(m->cr4 & CR4_PAE))
		return walk_32(cpu, m, va, acc, user, r);
	if (m->efer & EFER_LMA)
		return walk_64(cpu, m, va, acc, user, (m->cr4 & CR4_LA57) ? 5 : 4, r);
	return walk_64(cpu, m, (uint32_t)va, acc, user, 3, r);
}
