/*
 * System instructions: sc, rfid, hrfid, MSR and SPR moves, CR moves, traps,
 * barriers (Power ISA v3.0 Book I 3.3.11, 3.3.17; Book II 4.6; Book III 3.3, 4.4).
 *
 * Privilege (checked by the decoder from the row flags, Book III 2.3.3 and
 * 4.4.4): a privileged instruction in problem state raises a program
 * interrupt with SRR1[45] (PPC_SRR1_PROG_PRIV); a hypervisor-privileged one
 * (hrfid, hypervisor SPRs) in privileged non-hypervisor state raises a
 * hypervisor emulation assistance interrupt (0xE40) with the instruction
 * image in HEIR -- an exit to hv/ppc. SPR access rules are per SPR (spr.c).
 *
 * Instructions that change the translation mode (rfid, hrfid, mtmsr[d], sc,
 * isync, mtspr of LPCR, ...) end the TB so the next one is looked up with the
 * new flags.
 */
#include "cpu/ppc/translate.h"

/* sc LEV: the helper raises the system call or hypercall interrupt. */
static void trans_sc(struct ppc_dc *dc)
{
	ir_temp pc = ir_movi(dc->f, dc->pc);
	ir_temp lev = ir_movi(dc->f, (dc->insn >> 5) & 0x7f);
	ir_call(dc->f, ppc_helper_sc, pc, lev, IR_NO_TEMP, IR_NO_TEMP);
	/* Not reached: the helper leaves the TB. */
	ppc_gen_end_tb(dc);
}

/* scv LEV: the helper enters the guest kernel's vector (or records the
 * facility unavailable interrupt); rfscv returns from it. */
static void trans_scv(struct ppc_dc *dc)
{
	ir_temp pc = ir_movi(dc->f, dc->pc);
	ir_temp lev = ir_movi(dc->f, (dc->insn >> 5) & 0x7f);
	ir_call(dc->f, ppc_helper_scv, pc, lev, IR_NO_TEMP, IR_NO_TEMP);
	ir_exit_tb(dc->f); /* the helper set pc and MSR */
	dc->tr->stop = true;
}

static void trans_rfscv(struct ppc_dc *dc)
{
	ir_temp pc = ir_movi(dc->f, dc->pc);
	ir_call(dc->f, ppc_helper_rfscv, pc, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
	ir_exit_tb(dc->f);
	dc->tr->stop = true;
}

static void trans_rfid(struct ppc_dc *dc)
{
	ir_temp pc = ir_movi(dc->f, dc->pc);
	ir_call(dc->f, dc->op->arg ? ppc_helper_hrfid : ppc_helper_rfid, pc, IR_NO_TEMP, IR_NO_TEMP,
		IR_NO_TEMP);
	ir_exit_tb(dc->f); /* the helper set pc and MSR */
	dc->tr->stop = true;
}

static void trans_mfmsr(struct ppc_dc *dc)
{
	ppc_st_gpr(dc, ppc_rt(dc->insn), ir_ld_env(dc->f, 3, PPC_OFF(msr)));
}

/* mtmsr (arg 0) / mtmsrd (arg 1); L = bit 15. */
static void trans_mtmsr(struct ppc_dc *dc)
{
	unsigned kind = dc->op->arg | (((dc->insn >> 16) & 1) << 1);
	ir_temp v = ppc_ld_gpr(dc, ppc_rt(dc->insn));
	ir_call(dc->f, ppc_helper_mtmsr, v, ir_movi(dc->f, kind), IR_NO_TEMP, IR_NO_TEMP);
	ppc_gen_end_tb(dc);
}

/* Check an SPR access; emits the interrupt and returns false if it faults. */
static bool ppc_spr_allowed(struct ppc_dc *dc, unsigned sprn, bool write, bool *end_tb, bool *nop)
{
	*nop = false;
	switch (ppc_spr_check(sprn, write, dc->pr, dc->hv, end_tb)) {
	case PPC_SPR_OK: return true;
	case PPC_SPR_PRIV: ppc_gen_program(dc, PPC_SRR1_PROG_PRIV); return false;
	case PPC_SPR_HEA: ppc_gen_hea(dc); return false;
	default: *nop = true; return true;
	}
}

static void trans_mfspr(struct ppc_dc *dc)
{
	unsigned sprn = ppc_sprn(dc->insn), rt = ppc_rt(dc->insn);
	bool end_tb, nop;
	ir_temp v;

	if (!ppc_spr_allowed(dc, sprn, false, &end_tb, &nop) || nop)
		return;
	switch (sprn) {
	case SPR_LR: v = ir_ld_env(dc->f, 3, PPC_OFF(lr)); break;
	case SPR_CTR: v = ir_ld_env(dc->f, 3, PPC_OFF(ctr)); break;
	default:
		v = ir_call(dc->f, ppc_helper_mfspr, ir_movi(dc->f, sprn), IR_NO_TEMP, IR_NO_TEMP,
			    IR_NO_TEMP);
		break;
	}
	ppc_st_gpr(dc, rt, v);
}

static void trans_mtspr(struct ppc_dc *dc)
{
	unsigned sprn = ppc_sprn(dc->insn);
	bool end_tb = false, nop;
	ir_temp v;

	if (!ppc_spr_allowed(dc, sprn, true, &end_tb, &nop) || nop)
		return;
	v = ppc_ld_gpr(dc, ppc_rt(dc->insn));
	switch (sprn) {
	case SPR_LR: ir_st_env(dc->f, 3, PPC_OFF(lr), v); break;
	case SPR_CTR: ir_st_env(dc->f, 3, PPC_OFF(ctr), v); break;
	default:
		ir_call(dc->f, ppc_helper_mtspr, ir_movi(dc->f, sprn), v, IR_NO_TEMP, IR_NO_TEMP);
		break;
	}
	if (end_tb)
		ppc_gen_end_tb(dc);
}

/* mftb RT,TBR: TBR 268 = TB, 269 = TBU (Book II 5.2.1). */
static void trans_mftb(struct ppc_dc *dc)
{
	unsigned sprn = ppc_sprn(dc->insn);
	if (sprn != SPR_TB && sprn != SPR_TBU) {
		ppc_gen_program(dc, PPC_SRR1_PROG_ILLEGAL);
		return;
	}
	ir_temp v = ir_call(dc->f, ppc_helper_mfspr, ir_movi(dc->f, sprn), IR_NO_TEMP, IR_NO_TEMP,
			    IR_NO_TEMP);
	ppc_st_gpr(dc, ppc_rt(dc->insn), v);
}

/* mfcr RT, or mfocrf RT,FXM (bit 11 set): the other fields read as 0. */
static void trans_mfcr(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	ir_temp v;

	if (i & (1u << 20)) {
		unsigned fxm = (i >> 12) & 0xff;
		v = ir_movi(f, 0);
		for (unsigned n = 0; n < 8; n++)
			if (fxm & (0x80u >> n))
				v = ir_or(f, v,
					  ir_shli(f, ir_ld_env(f, 3, PPC_OFF_CRF(n)), 28 - 4 * n));
	} else {
		v = ir_call(f, ppc_helper_get_cr, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
	}
	ppc_st_gpr(dc, ppc_rt(i), v);
}

/* mtcrf FXM,RS and mtocrf (bit 11 set; same effect for a one-bit FXM). */
static void trans_mtcrf(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned fxm = (i >> 12) & 0xff;
	ir_temp s = ppc_ld_gpr(dc, ppc_rt(i));

	for (unsigned n = 0; n < 8; n++)
		if (fxm & (0x80u >> n))
			ir_st_env(f, 3, PPC_OFF_CRF(n), ir_andi(f, ir_shri(f, s, 28 - 4 * n), 0xf));
}

/* tw/td/twi/tdi: arg bit 0 = doubleword, bit 1 = immediate. */
static void trans_trap(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	unsigned to = ppc_rt(i);
	bool dw = dc->op->arg & 1, imm = dc->op->arg & 2;

	if (to == 0)
		return; /* never traps */
	ir_temp a = ppc_ld_gpr(dc, ppc_ra(i));
	ir_temp b = imm ? ir_movi(dc->f, ppc_simm(i)) : ppc_ld_gpr(dc, ppc_rb(i));
	ir_call(dc->f, ppc_helper_trap, a, b, ir_movi(dc->f, to | (dw ? 0x20 : 0)),
		ir_movi(dc->f, dc->pc));
	if (to == 31)
		ppc_gen_end_tb(dc); /* unconditional: nothing after it runs */
}

/* sync, lwsync, ptesync, eieio: the emulated memory is sequentially consistent. */
static void trans_barrier(struct ppc_dc *dc)
{
	(void)dc;
}

/* isync: context synchronizing -- end the TB (Book II 4.6.1). */
static void trans_isync(struct ppc_dc *dc)
{
	ppc_gen_end_tb(dc);
}

/* attn and other illegal encodings: illegal-instruction program interrupt. */
static void trans_illegal(struct ppc_dc *dc)
{
	ppc_gen_program(dc, PPC_SRR1_PROG_ILLEGAL);
}

#define X(name, xo, flags, raises, fn, arg)                                                        \
	{                                                                                          \
		name, PPC_XO10(31, xo), PPC_M_XO10, FORM_X, flags, raises, fn, arg                 \
	}

const struct ppc_opcode ppc_opcodes_system[] = {
	{ "attn", PPC_XO10(0, 256), PPC_M_XO10, FORM_X, 0, RAISES_PROG, trans_illegal, 0 },
	{ "tdi", PPC_OP(2), PPC_M_OP, FORM_D, PPC_F_64, RAISES_PROG, trans_trap, 3 },
	{ "twi", PPC_OP(3), PPC_M_OP, FORM_D, 0, RAISES_PROG, trans_trap, 2 },
	{ "sc", PPC_OP(17) | 2, PPC_M_OP | 3, FORM_SC, PPC_F_END, RAISES_SC | RAISES_PROG, trans_sc,
	  0 },
	{ "scv", PPC_OP(17) | 1, PPC_M_OP | 3, FORM_SC, PPC_F_END, RAISES_SC | RAISES_PROG,
	  trans_scv, 0 },
	{ "rfid", PPC_XO10(19, 18), PPC_M_XO10, FORM_XL, PPC_F_PRIV | PPC_F_END, RAISES_PROG,
	  trans_rfid, 0 },
	{ "rfscv", PPC_XO10(19, 82), PPC_M_XO10, FORM_XL, PPC_F_PRIV | PPC_F_END, RAISES_PROG,
	  trans_rfscv, 0 },
	{ "isync", PPC_XO10(19, 150), PPC_M_XO10, FORM_XL, PPC_F_END, 0, trans_isync, 0 },
	{ "hrfid", PPC_XO10(19, 274), PPC_M_XO10, FORM_XL, PPC_F_HYP | PPC_F_END,
	  RAISES_PROG | RAISES_HEA, trans_rfid, 1 },
	X("tw", 4, 0, RAISES_PROG, trans_trap, 0),
	X("mfcr", 19, 0, 0, trans_mfcr, 0),
	X("td", 68, PPC_F_64, RAISES_PROG, trans_trap, 1),
	X("mfmsr", 83, PPC_F_PRIV, RAISES_PROG, trans_mfmsr, 0),
	X("mtcrf", 144, 0, 0, trans_mtcrf, 0),
	X("mtmsr", 146, PPC_F_PRIV | PPC_F_END, RAISES_PROG, trans_mtmsr, 0),
	X("mtmsrd", 178, PPC_F_PRIV | PPC_F_END, RAISES_PROG, trans_mtmsr, 1),
	X("mfspr", 339, 0, RAISES_PROG | RAISES_HEA, trans_mfspr, 0),
	X("mftb", 371, 0, 0, trans_mftb, 0),
	X("mtspr", 467, 0, RAISES_PROG | RAISES_HEA, trans_mtspr, 0),
	X("msgsndp", 142, PPC_F_PRIV | PPC_F_END, RAISES_PROG, ppc_trans_msg, 2),
	X("msgclrp", 174, PPC_F_PRIV | PPC_F_END, RAISES_PROG, ppc_trans_msg, 3),
	X("msgsnd", 206, PPC_F_HYP | PPC_F_END, RAISES_PROG | RAISES_HEA, ppc_trans_msg, 0),
	X("msgclr", 238, PPC_F_HYP | PPC_F_END, RAISES_PROG | RAISES_HEA, ppc_trans_msg, 1),
	X("sync", 598, 0, 0, trans_barrier, 0),
	X("eieio", 854, 0, 0, trans_barrier, 0),
	X("msgsync", 886, PPC_F_HYP, RAISES_PROG | RAISES_HEA, trans_barrier, 0),
};
const size_t ppc_n_opcodes_system = SV_ARRAY_SIZE(ppc_opcodes_system);
