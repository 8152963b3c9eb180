/*
 * POWER first-stage translation (see mmu_ppc.h). Faults are recorded in
 * struct cpu_ppc's pending interrupt and delivered by raise_fault (cpu.c):
 *
 *     DSI 0x300: SRR0 = the instruction, DAR = EA, DSISR = cause bits
 *                (bit 33 no translation, bit 36 protection, bit 38 store);
 *     ISI 0x400: SRR0 = the fetch address, SRR1 bits 33/36 = cause.
 */
#include "mmu/ppc/mmu_ppc.h"
#include "cpu/ppc/cpu_ppc.h"

static int ppc_mmu_record_fault(struct cpu_ppc *c, uint64_t va, enum mmu_access acc, uint64_t cause,
				bool probe)
{
	struct ppc_pending *p = &c->pending;

	if (probe)
		return CPU_XLAT_FAULT;
	memset(p, 0, sizeof(*p));
	if (acc == MMU_FETCH) {
		p->vector = PPC_VEC_ISI;
		p->srr0 = va;
		p->srr1_bits = cause;
	} else {
		p->vector = PPC_VEC_DSI;
		p->srr0 = c->cpu.insn_pc;
		p->dar = va;
		p->dsisr = cause | (acc == MMU_WRITE ? PPC_DSISR_STORE : 0);
	}
	return CPU_XLAT_FAULT;
}

/* Hash page table + SLB (Book III 6.7.7): not implemented yet. */
static int ppc_mmu_translate_hash(struct cpu_ppc *c, uint64_t va, enum mmu_access acc,
				  unsigned mmu_idx, bool probe, struct cpu_xlat *x)
{
	(void)mmu_idx;
	(void)x;
	return ppc_mmu_record_fault(c, va, acc, PPC_ISR_NOT_FOUND, probe);
}

/* Radix tree, process-scoped (Book III 6.7.10): not implemented yet. */
static int ppc_mmu_translate_radix(struct cpu_ppc *c, uint64_t va, enum mmu_access acc,
				   unsigned mmu_idx, bool probe, struct cpu_xlat *x)
{
	(void)mmu_idx;
	(void)x;
	return ppc_mmu_record_fault(c, va, acc, PPC_ISR_NOT_FOUND, probe);
}

int ppc_mmu_translate(struct cpu *cpu, uint64_t va, enum mmu_access acc, unsigned mmu_idx,
		      bool probe, struct cpu_xlat *x)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);

	switch (mmu_idx) {
	case PPC_MMU_REAL: x->gpa = va & PPC_REAL_ADDR_MASK; break;
	case PPC_MMU_HV_REAL:
		x->gpa = va & PPC_REAL_ADDR_MASK;
		if (!(va >> 63))
			x->gpa |= c->hrmor;
		break;
	default:
		/*
		 * Placeholder until the hash and radix walkers land: with no page
		 * table configured (PTCR = SDR1 = 0) translated addressing is the
		 * identity on EA[4:63], so problem-state code can run. This is
		 * not architected; a guest that sets up page tables gets faults.
		 */
		if (!c->ptcr && !c->sdr1) {
			x->gpa = va & PPC_REAL_ADDR_MASK;
			break;
		}
		if (c->lpcr & PPC_LPCR_HR)
			return ppc_mmu_translate_radix(c, va, acc, mmu_idx, probe, x);
		return ppc_mmu_translate_hash(c, va, acc, mmu_idx, probe, x);
	}
	x->prot = MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
	x->page_size = SV_PAGE_SIZE;
	return 0;
}
