/*
 * POWER first-stage translation (see mmu_ppc.h): real addressing here, the
 * translated modes in hash.c and radix.c. Their faults are recorded in
 * struct cpu_ppc's pending interrupt and delivered by raise_fault (cpu.c):
 *
 *     DSI 0x300: SRR0 = the instruction, DAR = EA, DSISR = cause bits
 *                (bit 33 no translation, bit 36 protection, bit 38 store);
 *     ISI 0x400: SRR0 = the fetch address, SRR1 bits 33/35/36 = cause;
 *     DSegI 0x380 / ISegI 0x480: no segment (hash), outside the tree (radix).
 */
#include "mmu/ppc/mmu_ppc.h"
#include "cpu/ppc/cpu_ppc.h"

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
		/* LPCR[HR] is reserved before v3.0 (POWER8: hash only). */
		if ((c->lpcr & PPC_LPCR_HR) && cpu_ppc_isa300(c))
			return ppc_mmu_translate_radix(c, va, acc, mmu_idx, probe, x);
		return ppc_mmu_translate_hash(c, va, acc, mmu_idx, probe, x);
	}
	x->prot = MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
	x->page_size = SV_PAGE_SIZE;
	return 0;
}

/*
 * Record a first-stage translation fault for raise_fault to deliver: DSI-class
 * (vec 0x300/0x380) with DAR/DSISR and SRR0 = the faulting instruction, or
 * ISI-class (0x400/0x480) with SRR0 = the fetch address and the cause in SRR1.
 * With probe set nothing is recorded (debuggers, hv's copies).
 */
int ppc_mmu_record_fault(struct cpu_ppc *c, uint64_t ea, enum mmu_access acc, uint32_t vec,
			 uint64_t cause, bool probe)
{
	struct ppc_pending *p = &c->pending;

	if (probe)
		return CPU_XLAT_FAULT;
	memset(p, 0, sizeof(*p));
	p->vector = vec;
	if (acc == MMU_FETCH) {
		p->srr0 = ea;
		p->srr1_bits = cause;
	} else {
		p->srr0 = c->cpu.insn_pc;
		p->dar = ea;
		p->dsisr = cause | (acc == MMU_WRITE ? PPC_DSISR_STORE : 0);
	}
	return CPU_XLAT_FAULT;
}
