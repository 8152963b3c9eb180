/*
 * Floating-point instructions (Power ISA v3.0B Book I chapter 4): loads and
 * stores (4.6.2-4.6.3), moves (4.6.5), arithmetic, fused multiply-add,
 * rounding, conversion, compare and FPSCR instructions (4.6.6-4.6.9).
 *
 * Every row carries PPC_F_FP: with MSR[FP] = 0 the decoder raises the
 * floating-point unavailable interrupt (0x800) instead. Loads, stores and
 * the sign moves are IR; everything that reads or writes FPSCR is one call
 * to ppc_helper_fp (fpu.c) with the instruction word.
 *
 * Example: lfd f1,8(r3) is
 *     t0 = ld_env64 [gpr3] ; t1 = add t0, 8 ; t2 = qld64 [t1] ; st_env64 [vsr1.dw0], t2
 */
#include "cpu/ppc/translate.h"

/* Load/store rows: arg = kind | LSF_* flags. */
enum {
	LSF_UPDATE = 0x100,
	LSF_STORE = 0x200,
	LSF_X = 0x400,
	LSF_KIND = 0xff,
};
enum {
	FK_DOUBLE, /* lfd / stfd */
	FK_SINGLE, /* lfs / stfs: format conversion */
	FK_IWA,    /* lfiwax: sign-extended word */
	FK_IWZ,    /* lfiwzx / stfiwx: word */
};

static ir_temp ppc_ld_fpr(struct ppc_dc *dc, unsigned n)
{
	return ir_ld_env(dc->f, 3, PPC_OFF_FPR(n));
}

/* An FPR write also sets doubleword 1 of the VSR to 0 (defined so by v3.1,
 * what POWER8/9 do; undefined before). */
static void ppc_st_fpr(struct ppc_dc *dc, unsigned n, ir_temp v)
{
	ir_st_env(dc->f, 3, PPC_OFF_FPR(n), v);
	ir_st_envi(dc->f, 3, PPC_OFF_VSR(n, 1), 0);
}

static void trans_fldst(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	unsigned arg = dc->op->arg, kind = arg & LSF_KIND, ft = ppc_rt(i), ra = ppc_ra(i);
	unsigned mo = (kind == FK_DOUBLE ? IR_MO_64 : IR_MO_32) | dc->mo_endian;
	ir_temp ea =
		(arg & LSF_X) ? ppc_gen_ea_x(dc, ra, ppc_rb(i)) : ppc_gen_ea_d(dc, ra, ppc_simm(i));

	if (arg & LSF_STORE) {
		ir_temp v = ppc_ld_fpr(dc, ft);
		if (kind == FK_SINGLE)
			v = ir_call(dc->f, ppc_helper_stfs, v, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
		ir_qst(dc->f, mo, dc->mem_idx, ea, 0, v);
	} else {
		if (kind == FK_IWA)
			mo |= IR_MO_SIGN;
		ir_temp v = ir_qld(dc->f, mo, dc->mem_idx, ea, 0);
		if (kind == FK_SINGLE)
			v = ir_call(dc->f, ppc_helper_lfs, v, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
		ppc_st_fpr(dc, ft, v);
	}
	if (arg & LSF_UPDATE)
		ppc_st_gpr(dc, ra, ea);
}

/* Rc = 1 of the moves: CR1 = FPSCR[FX FEX VX OX]. */
static void ppc_gen_cr1(struct ppc_dc *dc)
{
	if (!(dc->insn & 1))
		return;
	ir_temp f = ir_ld_env(dc->f, 3, PPC_OFF(fpscr));
	ir_st_env(dc->f, 3, PPC_OFF_CRF(1), ir_andi(dc->f, ir_shri(dc->f, f, 28), 0xf));
}

/* fmr / fneg / fabs / fnabs (arg: 0 move, 1 flip, 2 clear, 3 set the sign). */
static void trans_fmove(struct ppc_dc *dc)
{
	ir_temp b = ppc_ld_fpr(dc, ppc_rb(dc->insn)), r;
	uint64_t sign = 1ull << 63;

	switch (dc->op->arg) {
	case 1: r = ir_xor(dc->f, b, ir_movi(dc->f, sign)); break;
	case 2: r = ir_andi(dc->f, b, ~sign); break;
	case 3: r = ir_ori(dc->f, b, sign); break;
	default: r = b; break;
	}
	ppc_st_fpr(dc, ppc_rt(dc->insn), r);
	ppc_gen_cr1(dc);
}

/* fcpsgn FRT,FRA,FRB: sign of FRA, the rest of FRB. */
static void trans_fcpsgn(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	uint64_t sign = 1ull << 63;
	ir_temp a = ir_andi(dc->f, ppc_ld_fpr(dc, ppc_ra(i)), sign);
	ir_temp b = ir_andi(dc->f, ppc_ld_fpr(dc, ppc_rb(i)), ~sign);
	ppc_st_fpr(dc, ppc_rt(i), ir_or(dc->f, a, b));
	ppc_gen_cr1(dc);
}

/*
 * fsel FRT,FRA,FRC,FRB: FRC if FRA >= 0 (either zero included), else FRB;
 * a NaN FRA selects FRB. On the bits: FRA >= 0 iff it is +0..+inf (sign 0,
 * not NaN: <= 0x7ff0000000000000) or -0.
 */
static void trans_fsel(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	struct ir_func *f = dc->f;
	ir_temp a = ppc_ld_fpr(dc, ppc_ra(i));
	ir_temp b = ppc_ld_fpr(dc, ppc_rb(i));
	ir_temp c = ppc_ld_fpr(dc, (i >> 6) & 31);
	ir_temp pos = ir_setcond(f, IR_LEU, a, ir_movi(f, 0x7ff0000000000000ull));
	ir_temp mzero = ir_setcond(f, IR_EQ, a, ir_movi(f, 1ull << 63));
	ir_temp ge = ir_or(f, pos, mzero);
	ppc_st_fpr(dc, ppc_rt(i), ir_movcond(f, IR_NE, ge, ir_movi(f, 0), c, b));
	ppc_gen_cr1(dc);
}

/* Everything with FPSCR effects: one helper call. */
static void trans_fp_helper(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_fp, ir_movi(dc->f, dc->insn), ir_movi(dc->f, dc->pc), IR_NO_TEMP,
		IR_NO_TEMP);
}

#define FP_F (PPC_F_FP)
#define FP_R (RAISES_FPU | RAISES_PROG)
#define LS(name, po, arg)                                                                          \
	{                                                                                          \
		name, PPC_OP(po), PPC_M_OP, FORM_D, FP_F, RAISES_FPU | RAISES_DSI, trans_fldst,    \
			arg                                                                        \
	}
#define LSX(name, xo, arg)                                                                         \
	{                                                                                          \
		name, PPC_XO10(31, xo), PPC_M_XO10, FORM_X, FP_F, RAISES_FPU | RAISES_DSI,         \
			trans_fldst, (arg) | LSF_X                                                 \
	}
/* X-form of opcode 63/59; Rc free. */
#define FX(name, po, xo, fn, arg)                                                                  \
	{                                                                                          \
		name, PPC_XO10(po, xo), PPC_M_XO10, FORM_X, FP_F, FP_R, fn, arg                    \
	}
/* A-form: XO in bits 26:30, Rc free. */
#define FA(name, po, xo, fn)                                                                       \
	{                                                                                          \
		name, PPC_OP(po) | ((xo) << 1), PPC_M_OP | 0x3e, FORM_A, FP_F, FP_R, fn, 0         \
	}

const struct ppc_opcode ppc_opcodes_fp[] = {
	LS("lfs", 48, FK_SINGLE),
	LS("lfsu", 49, FK_SINGLE | LSF_UPDATE),
	LS("lfd", 50, FK_DOUBLE),
	LS("lfdu", 51, FK_DOUBLE | LSF_UPDATE),
	LS("stfs", 52, FK_SINGLE | LSF_STORE),
	LS("stfsu", 53, FK_SINGLE | LSF_STORE | LSF_UPDATE),
	LS("stfd", 54, FK_DOUBLE | LSF_STORE),
	LS("stfdu", 55, FK_DOUBLE | LSF_STORE | LSF_UPDATE),
	LSX("lfsx", 535, FK_SINGLE),
	LSX("lfsux", 567, FK_SINGLE | LSF_UPDATE),
	LSX("lfdx", 599, FK_DOUBLE),
	LSX("lfdux", 631, FK_DOUBLE | LSF_UPDATE),
	LSX("stfsx", 663, FK_SINGLE | LSF_STORE),
	LSX("stfsux", 695, FK_SINGLE | LSF_STORE | LSF_UPDATE),
	LSX("stfdx", 727, FK_DOUBLE | LSF_STORE),
	LSX("stfdux", 759, FK_DOUBLE | LSF_STORE | LSF_UPDATE),
	LSX("lfiwax", 855, FK_IWA),
	LSX("lfiwzx", 887, FK_IWZ),
	LSX("stfiwx", 983, FK_IWZ | LSF_STORE),

	FX("fcmpu", 63, 0, trans_fp_helper, 0),
	FX("fcpsgn", 63, 8, trans_fcpsgn, 0),
	FX("frsp", 63, 12, trans_fp_helper, 0),
	FX("fctiw", 63, 14, trans_fp_helper, 0),
	FX("fctiwz", 63, 15, trans_fp_helper, 0),
	FX("fcmpo", 63, 32, trans_fp_helper, 0),
	FX("mtfsb1", 63, 38, trans_fp_helper, 0),
	FX("fneg", 63, 40, trans_fmove, 1),
	FX("mcrfs", 63, 64, trans_fp_helper, 0),
	FX("mtfsb0", 63, 70, trans_fp_helper, 0),
	FX("fmr", 63, 72, trans_fmove, 0),
	FX("mtfsfi", 63, 134, trans_fp_helper, 0),
	FX("fnabs", 63, 136, trans_fmove, 3),
	FX("fctiwu", 63, 142, trans_fp_helper, 0),
	FX("fctiwuz", 63, 143, trans_fp_helper, 0),
	FX("fabs", 63, 264, trans_fmove, 2),
	FX("frin", 63, 392, trans_fp_helper, 0),
	FX("friz", 63, 424, trans_fp_helper, 0),
	FX("frip", 63, 456, trans_fp_helper, 0),
	FX("frim", 63, 488, trans_fp_helper, 0),
	/* mffs and its v3.0 variants: bits 11:15 select (the DFP ones are not here). */
	{ "mffs", PPC_XO10(63, 583), PPC_M_XO10 | (31u << 16), FORM_X, FP_F, FP_R, trans_fp_helper,
	  0 },
	{ "mffsce", PPC_XO10(63, 583) | (1u << 16), PPC_M_XO10 | (31u << 16), FORM_X, FP_F, FP_R,
	  trans_fp_helper, 0 },
	{ "mffscrn", PPC_XO10(63, 583) | (22u << 16), PPC_M_XO10 | (31u << 16), FORM_X, FP_F, FP_R,
	  trans_fp_helper, 0 },
	{ "mffscrni", PPC_XO10(63, 583) | (23u << 16), PPC_M_XO10 | (31u << 16), FORM_X, FP_F, FP_R,
	  trans_fp_helper, 0 },
	{ "mffsl", PPC_XO10(63, 583) | (24u << 16), PPC_M_XO10 | (31u << 16), FORM_X, FP_F, FP_R,
	  trans_fp_helper, 0 },
	FX("mtfsf", 63, 711, trans_fp_helper, 0),
	FX("fctid", 63, 814, trans_fp_helper, 0),
	FX("fctidz", 63, 815, trans_fp_helper, 0),
	FX("fcfid", 63, 846, trans_fp_helper, 0),
	FX("fctidu", 63, 942, trans_fp_helper, 0),
	FX("fctiduz", 63, 943, trans_fp_helper, 0),
	FX("fcfidu", 63, 974, trans_fp_helper, 0),
	FX("fcfids", 59, 846, trans_fp_helper, 0),
	FX("fcfidus", 59, 974, trans_fp_helper, 0),

	FA("fdiv", 63, 18, trans_fp_helper),
	FA("fsub", 63, 20, trans_fp_helper),
	FA("fadd", 63, 21, trans_fp_helper),
	FA("fsqrt", 63, 22, trans_fp_helper),
	FA("fsel", 63, 23, trans_fsel),
	FA("fre", 63, 24, trans_fp_helper),
	FA("fmul", 63, 25, trans_fp_helper),
	FA("frsqrte", 63, 26, trans_fp_helper),
	FA("fmsub", 63, 28, trans_fp_helper),
	FA("fmadd", 63, 29, trans_fp_helper),
	FA("fnmsub", 63, 30, trans_fp_helper),
	FA("fnmadd", 63, 31, trans_fp_helper),
	FA("fdivs", 59, 18, trans_fp_helper),
	FA("fsubs", 59, 20, trans_fp_helper),
	FA("fadds", 59, 21, trans_fp_helper),
	FA("fsqrts", 59, 22, trans_fp_helper),
	FA("fres", 59, 24, trans_fp_helper),
	FA("fmuls", 59, 25, trans_fp_helper),
	FA("frsqrtes", 59, 26, trans_fp_helper),
	FA("fmsubs", 59, 28, trans_fp_helper),
	FA("fmadds", 59, 29, trans_fp_helper),
	FA("fnmsubs", 59, 30, trans_fp_helper),
	FA("fnmadds", 59, 31, trans_fp_helper),
};
const size_t ppc_n_opcodes_fp = SV_ARRAY_SIZE(ppc_opcodes_fp);
