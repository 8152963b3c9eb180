/*
 * Branch facility (Power ISA v3.0 Book I chapter 2): b, bc, bclr, bcctr,
 * bctar, the condition register logical instructions and mcrf.
 *
 * BO (Book I 2.4, Figure 40), bits MSB-first BO0..BO4 = 0x10 .. 0x01:
 *     0x10  ignore the CR bit          0x08  branch if the CR bit is this value
 *     0x04  do not decrement CTR       0x02  branch if CTR == 0 (else CTR != 0)
 * In 32-bit mode the CTR test looks at CTR[32:63] only, and the target is
 * truncated to 32 bits.
 *
 * A conditional branch ends the TB with two chain slots: slot 0 for the
 * taken target, slot 1 for the fall-through.
 */
#include "cpu/ppc/translate.h"

/* CR bit bi (0 = CR0[LT]) as 0/1. */
static ir_temp ppc_ld_crbit(struct ppc_dc *dc, unsigned bi)
{
	ir_temp field = ir_ld_env(dc->f, 3, PPC_OFF_CRF(bi / 4));
	return ir_andi(dc->f, ir_shri(dc->f, field, 3 - bi % 4), 1);
}

/*
 * Emit the BO/BI condition; returns a temp that is nonzero when the branch
 * is taken, or IR_NO_TEMP if it is always taken. Decrements CTR if asked
 * (not for bcctr, where BO2=0 is an invalid form: no decrement).
 */
static ir_temp ppc_gen_bo(struct ppc_dc *dc, unsigned bo, unsigned bi, bool allow_ctr)
{
	struct ir_func *f = dc->f;
	ir_temp cond = IR_NO_TEMP;

	if (!(bo & 0x04) && allow_ctr) {
		ir_temp ctr = ir_addi(f, ir_ld_env(f, 3, PPC_OFF(ctr)), ~0ull);
		ir_st_env(f, 3, PPC_OFF(ctr), ctr);
		ir_temp c = dc->sf ? ctr : ir_op1(f, IR_EXT32U, ctr);
		cond = ir_setcondi(f, (bo & 0x02) ? IR_EQ : IR_NE, c, 0);
	}
	if (!(bo & 0x10)) {
		ir_temp bit = ppc_ld_crbit(dc, bi);
		ir_temp ok = (bo & 0x08) ? bit : ir_xor(f, bit, ir_movi(f, 1));
		cond = cond == IR_NO_TEMP ? ok : ir_and(f, cond, ok);
	}
	return cond;
}

static void ppc_set_lr_next(struct ppc_dc *dc)
{
	uint64_t next = dc->pc + 4;
	if (!dc->sf)
		next &= 0xffffffffull;
	ir_st_envi(dc->f, 3, PPC_OFF(lr), next);
}

/* b / ba / bl / bla: LI = bits 6:29, AA = bit 30, LK = bit 31. */
static void trans_b(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	uint64_t li = sv_sext(i & 0x03fffffc, 26);
	uint64_t target = (i & 2) ? li : dc->pc + li;

	if (i & 1)
		ppc_set_lr_next(dc);
	ppc_gen_goto(dc, 0, target);
	dc->tr->stop = true;
}

/* bc BO,BI,BD (AA, LK) */
static void trans_bc(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	unsigned bo = ppc_rt(i), bi = ppc_ra(i);
	uint64_t bd = sv_sext(i & 0xfffc, 16);
	uint64_t target = (i & 2) ? bd : dc->pc + bd;
	ir_temp cond = ppc_gen_bo(dc, bo, bi, true);

	if (i & 1)
		ppc_set_lr_next(dc);
	if (cond == IR_NO_TEMP) {
		ppc_gen_goto(dc, 0, target);
	} else {
		ir_label not_taken = ir_new_label(dc->f);
		ir_brcondi(dc->f, IR_EQ, cond, 0, not_taken);
		ppc_gen_goto(dc, 0, target);
		ir_set_label(dc->f, not_taken);
		ppc_gen_goto(dc, 1, dc->pc + 4);
	}
	dc->tr->stop = true;
}

enum {
	BR_LR,
	BR_CTR,
	BR_TAR
};

/* bclr / bcctr / bctar: the target is read before LR is updated (LK=1). */
static void trans_bcreg(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned bo = ppc_rt(i), bi = ppc_ra(i);
	size_t off = dc->op->arg == BR_LR  ? PPC_OFF(lr) :
		     dc->op->arg == BR_CTR ? PPC_OFF(ctr) :
					     PPC_OFF(tar);
	ir_temp target = ir_ld_env(f, 3, off);
	ir_temp cond = ppc_gen_bo(dc, bo, bi, dc->op->arg != BR_CTR);

	if (i & 1)
		ppc_set_lr_next(dc);
	if (cond != IR_NO_TEMP) {
		ir_label not_taken = ir_new_label(f);
		ir_brcondi(f, IR_EQ, cond, 0, not_taken);
		ir_st_envi(f, 3, PPC_OFF(cfar), dc->pc);
		ppc_gen_goto_reg(dc, target);
		ir_set_label(f, not_taken);
		ppc_gen_goto(dc, 1, dc->pc + 4);
	} else {
		ir_st_envi(f, 3, PPC_OFF(cfar), dc->pc);
		ppc_gen_goto_reg(dc, target);
	}
	dc->tr->stop = true;
}

enum {
	CR_AND,
	CR_OR,
	CR_XOR,
	CR_NAND,
	CR_NOR,
	CR_EQV,
	CR_ANDC,
	CR_ORC
};

/* crop BT,BA,BB: CR[BT] = CR[BA] op CR[BB]. */
static void trans_crlogical(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned bt = ppc_rt(i);
	ir_temp a = ppc_ld_crbit(dc, ppc_ra(i)), b = ppc_ld_crbit(dc, ppc_rb(i)), r;
	ir_temp one = ir_movi(f, 1);

	switch (dc->op->arg) {
	case CR_AND: r = ir_and(f, a, b); break;
	case CR_OR: r = ir_or(f, a, b); break;
	case CR_XOR: r = ir_xor(f, a, b); break;
	case CR_NAND: r = ir_xor(f, ir_and(f, a, b), one); break;
	case CR_NOR: r = ir_xor(f, ir_or(f, a, b), one); break;
	case CR_EQV: r = ir_xor(f, ir_xor(f, a, b), one); break;
	case CR_ANDC: r = ir_and(f, a, ir_xor(f, b, one)); break;
	default: r = ir_or(f, a, ir_xor(f, b, one)); break;
	}
	unsigned sh = 3 - bt % 4;
	ir_temp field = ir_ld_env(f, 3, PPC_OFF_CRF(bt / 4));
	field = ir_andi(f, field, ~(1ull << sh) & 0xf);
	ir_st_env(f, 3, PPC_OFF_CRF(bt / 4), ir_or(f, field, ir_shli(f, r, sh)));
}

/* mcrf BF,BFA */
static void trans_mcrf(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp v = ir_ld_env(dc->f, 3, PPC_OFF_CRF((i >> 18) & 7));
	ir_st_env(dc->f, 3, PPC_OFF_CRF((i >> 23) & 7), v);
}

#define XL(name, xo, fn, arg)                                                                      \
	{                                                                                          \
		name, PPC_XO10(19, xo), PPC_M_XO10, FORM_XL, 0, 0, fn, arg                         \
	}
#define XLB(name, xo, arg)                                                                         \
	{                                                                                          \
		name, PPC_XO10(19, xo), PPC_M_XO10, FORM_XL, PPC_F_END, 0, trans_bcreg, arg        \
	}

const struct ppc_opcode ppc_opcodes_branch[] = {
	{ "bc", PPC_OP(16), PPC_M_OP, FORM_B, PPC_F_END, 0, trans_bc, 0 },
	{ "b", PPC_OP(18), PPC_M_OP, FORM_I, PPC_F_END, 0, trans_b, 0 },
	XL("mcrf", 0, trans_mcrf, 0),
	XLB("bclr", 16, BR_LR),
	XL("crnor", 33, trans_crlogical, CR_NOR),
	XL("crandc", 129, trans_crlogical, CR_ANDC),
	XL("crxor", 193, trans_crlogical, CR_XOR),
	XL("crnand", 225, trans_crlogical, CR_NAND),
	XL("crand", 257, trans_crlogical, CR_AND),
	XL("creqv", 289, trans_crlogical, CR_EQV),
	XL("crorc", 417, trans_crlogical, CR_ORC),
	XL("cror", 449, trans_crlogical, CR_OR),
	XLB("bcctr", 528, BR_CTR),
	XLB("bctar", 560, BR_TAR),
};
const size_t ppc_n_opcodes_branch = SV_ARRAY_SIZE(ppc_opcodes_branch);
