/*
 * Storage-management instructions (Power ISA v3.0B Book III 5.9.3): the SLB
 * instructions (slbmte, slbmfee, slbmfev, slbie, slbia, slbfee., slbsync)
 * and the TLB instructions (tlbie, tlbiel, tlbsync; ptesync is the sync row
 * with L = 2 in translate_system.c).
 *
 * The softmmu TLB caches translations derived from the SLB and the page
 * table, so every instruction that changes or invalidates one of them
 * flushes it (flushing more than asked is allowed: the architecture only
 * promises that an invalidated translation is gone after the instruction,
 * and that one not invalidated *may* still be used). tlbie and tlbiel drop
 * the whole TLB whatever RB, RS, RIC, PRS and R select.
 *
 * Example: Linux's SLB miss handler
 *     slbmte r11, r10      RS = B||VSID||Ks Kp N L C||LP, RB = ESID||V||index
 * writes c->slb[index] = { RB & (ESID|V), RS } and flushes the TLB.
 *
 * tlbie (global) reaches the other vcpus of the partition through the
 * hypervisor's tlbie_broadcast hook; tlbiel is this vcpu's alone.
 */
#include "cpu/ppc/translate.h"
#include "mmu/ppc/mmu_ppc.h"

static uint64_t ppc_helper_slbmte(struct cpu *cpu, uint64_t rs, uint64_t rb, uint64_t u2,
				  uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	unsigned idx = rb & 0xfff;
	(void)u2;
	(void)u3;

	/* An index beyond the SLB size is an implementation-specific no-op. */
	if (idx < PPC_SLB_SIZE) {
		c->slb[idx].esid = rb & (PPC_SLB_ESID_MASK | PPC_SLB_ESID_V);
		c->slb[idx].vsid = rs & PPC_SLB_VSID_WORD_MASK;
	}
	cpu_tlb_flush(cpu);
	return 0;
}

/* slbmfee (arg 0) / slbmfev (arg 1): RB[52:63] is the entry index. */
static uint64_t ppc_helper_slbmf(struct cpu *cpu, uint64_t rb, uint64_t which, uint64_t u2,
				 uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	unsigned idx = rb & 0xfff;
	(void)u2;
	(void)u3;

	if (idx >= PPC_SLB_SIZE)
		return 0;
	return which ? c->slb[idx].vsid : c->slb[idx].esid;
}

/* slbie RB: invalidate the entry for ESID = RB[0:35] with segment size
 * B = RB[37:38] (5.9.3.2). */
static uint64_t ppc_helper_slbie(struct cpu *cpu, uint64_t rb, uint64_t u1, uint64_t u2,
				 uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	unsigned b = (rb >> 25) & 3;
	(void)u1;
	(void)u2;
	(void)u3;

	for (unsigned i = 0; i < PPC_SLB_SIZE; i++) {
		struct ppc_slbe *e = &c->slb[i];
		unsigned eb = e->vsid >> PPC_SLB_B_SHIFT;
		unsigned sh = b == 1 ? 40 : 28;
		if ((e->esid & PPC_SLB_ESID_V) && eb == b && (e->esid >> sh) == (rb >> sh))
			e->esid &= ~PPC_SLB_ESID_V;
	}
	cpu_tlb_flush(cpu);
	return 0;
}

/* slbia IH (5.9.3.3): IH = 3 invalidates the entries with C = 1; the other
 * values every entry except entry 0. */
static uint64_t ppc_helper_slbia(struct cpu *cpu, uint64_t ih, uint64_t u1, uint64_t u2,
				 uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u1;
	(void)u2;
	(void)u3;

	for (unsigned i = 0; i < PPC_SLB_SIZE; i++) {
		struct ppc_slbe *e = &c->slb[i];
		if (ih == 3 ? !!(e->vsid & PPC_SLB_C) : i != 0)
			e->esid &= ~PPC_SLB_ESID_V;
	}
	cpu_tlb_flush(cpu);
	return 0;
}

/* slbfee. RT,RB (5.9.3.7): RT = the slbmfev image of the entry translating
 * EA = RB (0 if none); CR0 = 0b00 || found || XER[SO]. */
static uint64_t ppc_helper_slbfee(struct cpu *cpu, uint64_t rb, uint64_t u1, uint64_t u2,
				  uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	const struct ppc_slbe *e;
	(void)u1;
	(void)u2;
	(void)u3;

	if (ppc_slb_lookup(c, rb, &e)) {
		c->crf[0] = 2 | c->so;
		return e->vsid;
	}
	c->crf[0] = c->so;
	return 0;
}

/*
 * tlbie / tlbsync (arg 1: global) and tlbiel (arg 0). tlbie and tlbsync
 * from a partition (MSR[HV] = 0) are allowed only with LPCR[GTSE] = 1
 * (v3.0B 5.9.3.3); otherwise hypervisor emulation assistance, so hv can
 * emulate or refuse them.
 */
static uint64_t ppc_helper_tlbie(struct cpu *cpu, uint64_t pc, uint64_t insn, uint64_t global,
				 uint64_t flush)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);

	if (global && !(c->msr & PPC_MSR_HV) && !(c->lpcr & PPC_LPCR_GTSE))
		ppc_helper_hea(cpu, pc, insn, 0, 0);
	if (flush)
		cpu_tlb_flush(cpu);
	if (flush && global && c->tlbie_broadcast)
		c->tlbie_broadcast(c);
	return 0;
}

static void trans_slbmte(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_call(dc->f, ppc_helper_slbmte, ppc_ld_gpr(dc, ppc_rt(i)), ppc_ld_gpr(dc, ppc_rb(i)),
		IR_NO_TEMP, IR_NO_TEMP);
}

static void trans_slbmf(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp v = ir_call(dc->f, ppc_helper_slbmf, ppc_ld_gpr(dc, ppc_rb(i)),
			    ir_movi(dc->f, dc->op->arg), IR_NO_TEMP, IR_NO_TEMP);
	ppc_st_gpr(dc, ppc_rt(i), v);
}

static void trans_slbie(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_slbie, ppc_ld_gpr(dc, ppc_rb(dc->insn)), IR_NO_TEMP, IR_NO_TEMP,
		IR_NO_TEMP);
}

static void trans_slbia(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_slbia, ir_movi(dc->f, (dc->insn >> 21) & 7), IR_NO_TEMP,
		IR_NO_TEMP, IR_NO_TEMP);
}

static void trans_slbfee(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp v = ir_call(dc->f, ppc_helper_slbfee, ppc_ld_gpr(dc, ppc_rb(i)), IR_NO_TEMP,
			    IR_NO_TEMP, IR_NO_TEMP);
	ppc_st_gpr(dc, ppc_rt(i), v);
}

/* arg bit 0: tlbie/tlbsync (global); bit 1: flushes the TLB. */
static void trans_tlbie(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_tlbie, ir_movi(dc->f, dc->pc), ir_movi(dc->f, dc->insn),
		ir_movi(dc->f, dc->op->arg & 1), ir_movi(dc->f, (dc->op->arg >> 1) & 1));
}

/* slbsync: the SLB updates are already visible. */
static void trans_mmu_nop(struct ppc_dc *dc)
{
	(void)dc;
}

#define X(name, xo, flags, raises, fn, arg)                                                        \
	{                                                                                          \
		name, PPC_XO10(31, xo), PPC_M_XO10, FORM_X, flags, raises, fn, arg                 \
	}

const struct ppc_opcode ppc_opcodes_mmu[] = {
	X("tlbiel", 274, PPC_F_PRIV | PPC_F_END, RAISES_PROG, trans_tlbie, 2),
	X("tlbie", 306, PPC_F_PRIV | PPC_F_END, RAISES_PROG | RAISES_HEA, trans_tlbie, 3),
	X("slbsync", 338, PPC_F_PRIV, RAISES_PROG, trans_mmu_nop, 0),
	X("slbmte", 402, PPC_F_PRIV | PPC_F_END, RAISES_PROG, trans_slbmte, 0),
	X("slbie", 434, PPC_F_PRIV | PPC_F_END, RAISES_PROG, trans_slbie, 0),
	X("slbia", 498, PPC_F_PRIV | PPC_F_END, RAISES_PROG, trans_slbia, 0),
	X("tlbsync", 566, PPC_F_PRIV, RAISES_PROG | RAISES_HEA, trans_tlbie, 1),
	X("slbmfev", 851, PPC_F_PRIV, RAISES_PROG, trans_slbmf, 1),
	X("slbmfee", 915, PPC_F_PRIV, RAISES_PROG, trans_slbmf, 0),
	{ "slbfee.", PPC_XO10(31, 979) | 1, PPC_M_XO10 | 1, FORM_X, PPC_F_PRIV, RAISES_PROG,
	  trans_slbfee, 0 },
};
const size_t ppc_n_opcodes_mmu = SV_ARRAY_SIZE(ppc_opcodes_mmu);
