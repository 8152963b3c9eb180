/*
 * The POWER decoder: the opcode rows of translate_*.c, matched by
 * (insn & mask) == match, and the per-instruction entry point of the
 * generic translator.
 *
 * The architected order of checks for one instruction (Book III 7.5 and
 * 2.3.3), as implemented in ppc_translate_insn:
 *   1. fetch (an ISI / HISI is raised by the MMU before we see the word);
 *   2. decode: no row -> illegal instruction (program interrupt, SRR1[44]);
 *   3. privilege: PPC_F_PRIV or PPC_F_HYP in problem state -> privileged
 *      program interrupt (SRR1[45]); PPC_F_HYP in privileged non-hypervisor
 *      state -> hypervisor emulation assistance (0xE40);
 *   3b. facility: PPC_F_FP / _VEC / _VSX with MSR[FP] / [VEC] / [VSX] = 0
 *       -> FP (0x800) / vector (0xF20) / VSX (0xF40) unavailable;
 *   4. the row's translator (which may add per-operand checks: SPR numbers).
 *
 * Growing the ISA: add rows to the table of the right facility file (or a new
 * translate_<facility>.c with its table, listed in ppc_tables below).
 */
#include "cpu/ppc/translate.h"
#include "mmu/ppc/mmu_ppc.h"

extern const struct ppc_opcode ppc_opcodes_fixed[], ppc_opcodes_ldst[], ppc_opcodes_branch[],
	ppc_opcodes_system[], ppc_opcodes_mmu[], ppc_opcodes_fp[], ppc_opcodes_vec[];
extern const size_t ppc_n_opcodes_fixed, ppc_n_opcodes_ldst, ppc_n_opcodes_branch,
	ppc_n_opcodes_system, ppc_n_opcodes_mmu, ppc_n_opcodes_fp, ppc_n_opcodes_vec;

struct ppc_table {
	const struct ppc_opcode *rows;
	const size_t *n;
};

static const struct ppc_table ppc_tables[] = {
	{ ppc_opcodes_fixed, &ppc_n_opcodes_fixed },
	{ ppc_opcodes_ldst, &ppc_n_opcodes_ldst },
	{ ppc_opcodes_branch, &ppc_n_opcodes_branch },
	{ ppc_opcodes_system, &ppc_n_opcodes_system },
	{ ppc_opcodes_mmu, &ppc_n_opcodes_mmu },
	{ ppc_opcodes_fp, &ppc_n_opcodes_fp },
	{ ppc_opcodes_vec, &ppc_n_opcodes_vec },
};

const struct ppc_opcode *ppc_decode(uint32_t insn)
{
	for (size_t t = 0; t < SV_ARRAY_SIZE(ppc_tables); t++) {
		const struct ppc_opcode *rows = ppc_tables[t].rows;
		size_t n = *ppc_tables[t].n;
		for (size_t k = 0; k < n; k++)
			if ((insn & rows[k].mask) == rows[k].match)
				return &rows[k];
	}
	return NULL;
}

/* Number of rows, and access to row k across the tables (for tests). */
size_t ppc_decode_n_rows(void)
{
	size_t n = 0;
	for (size_t t = 0; t < SV_ARRAY_SIZE(ppc_tables); t++)
		n += *ppc_tables[t].n;
	return n;
}

const struct ppc_opcode *ppc_decode_row(size_t k)
{
	for (size_t t = 0; t < SV_ARRAY_SIZE(ppc_tables); t++) {
		if (k < *ppc_tables[t].n)
			return &ppc_tables[t].rows[k];
		k -= *ppc_tables[t].n;
	}
	return NULL;
}

static unsigned ppc_data_mmu_idx(uint64_t flags)
{
	if (flags & PPC_TBF_DR)
		return (flags & PPC_TBF_PR) ? PPC_MMU_VIRT_USER : PPC_MMU_VIRT;
	return (flags & PPC_TBF_HV) ? PPC_MMU_HV_REAL : PPC_MMU_REAL;
}

void ppc_translate_insn(struct translator *tr)
{
	struct ppc_dc dc = {
		.tr = tr,
		.f = tr->ir,
		.pc = tr->pc_next,
		.flags = tr->flags,
		.le = tr->flags & PPC_TBF_LE,
		.sf = tr->flags & PPC_TBF_SF,
		.pr = tr->flags & PPC_TBF_PR,
		.hv = tr->flags & PPC_TBF_HV,
		.mem_idx = ppc_data_mmu_idx(tr->flags),
		.mo_endian = (tr->flags & PPC_TBF_LE) ? 0 : IR_MO_BE,
	};

	/* Step 1: fetch in the byte order of MSR[LE]. */
	dc.insn = dc.le ? translator_ld32(tr, dc.pc) : translator_ld32_be(tr, dc.pc);
	tr->pc_next = dc.sf ? dc.pc + 4 : (uint32_t)(dc.pc + 4);

	/* Step 2: decode. */
	dc.op = ppc_decode(dc.insn);
	if (!dc.op) {
		ppc_gen_program(&dc, PPC_SRR1_PROG_ILLEGAL);
		return;
	}
	/* Step 3: privilege. */
	if ((dc.op->flags & (PPC_F_PRIV | PPC_F_HYP)) && dc.pr) {
		ppc_gen_program(&dc, PPC_SRR1_PROG_PRIV);
		return;
	}
	if ((dc.op->flags & PPC_F_HYP) && !dc.hv) {
		ppc_gen_hea(&dc);
		return;
	}
	/* Step 3b: facility availability (Book III 7.5.10, 7.5.15-16): MSR[FP],
	 * MSR[VEC], MSR[VSX] = 0 -> the unavailable interrupt, SRR0 = this
	 * instruction. (Rows whose facility depends on the register number,
	 * the VSR <-> GPR moves, check in their trans function.) */
	if ((dc.op->flags & PPC_F_FP) && !(dc.flags & PPC_TBF_FP)) {
		ppc_gen_unavailable(&dc, PPC_VEC_FP_UNAVAIL);
		return;
	}
	if ((dc.op->flags & PPC_F_VEC) && !(dc.flags & PPC_TBF_VEC)) {
		ppc_gen_unavailable(&dc, PPC_VEC_VEC_UNAVAIL);
		return;
	}
	if ((dc.op->flags & PPC_F_VSX) && !(dc.flags & PPC_TBF_VSX)) {
		ppc_gen_unavailable(&dc, PPC_VEC_VSX_UNAVAIL);
		return;
	}
	/* Step 4. */
	dc.op->trans(&dc);
	if ((dc.op->flags & PPC_F_END) && !tr->stop)
		ppc_gen_end_tb(&dc);
}

void ppc_gen_unavailable(struct ppc_dc *dc, uint32_t vec)
{
	ir_call(dc->f, ppc_helper_interrupt, ir_movi(dc->f, dc->pc), ir_movi(dc->f, vec),
		IR_NO_TEMP, IR_NO_TEMP);
	dc->tr->stop = true;
	ir_st_envi(dc->f, 3, PPC_OFF(pc), dc->pc);
	ir_exit_tb(dc->f);
}

void ppc_tb_stop(struct translator *tr)
{
	ir_st_envi(tr->ir, 3, PPC_OFF(pc), tr->pc_next);
	ir_goto_tb(tr->ir, 0);
}
