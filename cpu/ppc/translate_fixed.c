/*
 * Fixed-point facility (Power ISA v3.0 Book I chapter 3): arithmetic, logical,
 * compare, rotate and shift instructions, and the emitters shared by the other
 * translate_*.c files.
 *
 * XER and CR0: XER[SO], OV, CA, OV32, CA32 are separate 0/1 fields in the
 * state; the record forms (Rc=1) set CR0 from the result compared with 0 as a
 * signed 64-bit value in 64-bit mode or as a signed 32-bit value in 32-bit
 * mode (Book I 3.3.8), plus a copy of XER[SO] (after this instruction's OV
 * update). In 32-bit mode CA and OV reflect the carry/overflow out of the
 * low word (CA32/OV32).
 *
 * Example: `addco. r3,r4,r5` becomes
 *     a = ld gpr4 ; b = ld gpr5 ; r = add a, b
 *     ca = setcond ltu r, a ; ca32 = ((a ^ b ^ r) >> 32) & 1
 *     ov = ((a ^ r) & (b ^ r)) >> 63 ; so |= ov ; ...
 *     st gpr3, r ; cr0 = lt<<3 | gt<<2 | eq<<1 | so
 */
#include "cpu/ppc/translate.h"

/* ------------------------------------------------------------ shared */

ir_temp ppc_ld_gpr(struct ppc_dc *dc, unsigned r)
{
	return ir_ld_env(dc->f, 3, PPC_OFF_GPR(r));
}

void ppc_st_gpr(struct ppc_dc *dc, unsigned r, ir_temp v)
{
	ir_st_env(dc->f, 3, PPC_OFF_GPR(r), v);
}

ir_temp ppc_ld_gpr_or0(struct ppc_dc *dc, unsigned r)
{
	return r ? ppc_ld_gpr(dc, r) : ir_movi(dc->f, 0);
}

static ir_temp ppc_cmp_field(struct ppc_dc *dc, ir_temp a, ir_temp b, bool is_signed)
{
	struct ir_func *f = dc->f;
	/* Exactly one of LT (8), GT (4), EQ (2) is set: the field is
	 * 2 << (2 * lt + gt), SO or'ed in (fewer IR ops than three bits). */
	ir_temp lt = ir_setcond(f, is_signed ? IR_LT : IR_LTU, a, b);
	ir_temp gt = ir_setcond(f, is_signed ? IR_GT : IR_GTU, a, b);
	ir_temp so = ir_ld_env(f, 3, PPC_OFF(so));
	ir_temp n = ir_or(f, ir_shli(f, lt, 1), gt);
	ir_temp v = ir_op2(f, IR_SHL, ir_movi(f, 2), n);
	return ir_or(f, v, so);
}

void ppc_gen_cmp(struct ppc_dc *dc, unsigned bf, ir_temp a, ir_temp b, bool is_signed, bool is64)
{
	struct ir_func *f = dc->f;
	if (!is64) {
		enum ir_opcode ext = is_signed ? IR_EXT32S : IR_EXT32U;
		a = ir_op1(f, ext, a);
		b = ir_op1(f, ext, b);
	}
	ir_st_env(f, 3, PPC_OFF_CRF(bf), ppc_cmp_field(dc, a, b, is_signed));
}

void ppc_gen_cr0(struct ppc_dc *dc, ir_temp result)
{
	ir_temp zero = ir_movi(dc->f, 0);
	ppc_gen_cmp(dc, 0, result, zero, true, dc->sf);
}

void ppc_gen_goto(struct ppc_dc *dc, unsigned slot, uint64_t target)
{
	if (!dc->sf)
		target &= 0xffffffffull;
	ir_st_envi(dc->f, 3, PPC_OFF(pc), target);
	ir_goto_tb(dc->f, slot);
}

void ppc_gen_goto_reg(struct ppc_dc *dc, ir_temp target)
{
	target = ir_andi(dc->f, target, ~3ull);
	target = ppc_narrow_ea(dc, target);
	ir_st_env(dc->f, 3, PPC_OFF(pc), target);
	ir_exit_tb(dc->f);
}

void ppc_gen_end_tb(struct ppc_dc *dc)
{
	uint64_t next = dc->pc + 4;
	if (!dc->sf)
		next &= 0xffffffffull;
	ir_st_envi(dc->f, 3, PPC_OFF(pc), next);
	ir_exit_tb(dc->f);
	dc->tr->stop = true;
}

void ppc_gen_program(struct ppc_dc *dc, uint64_t srr1_bits)
{
	ir_temp pc = ir_movi(dc->f, dc->pc);
	ir_temp bits = ir_movi(dc->f, srr1_bits);
	ir_call(dc->f, ppc_helper_program, pc, bits, IR_NO_TEMP, IR_NO_TEMP);
	dc->tr->stop = true;
	/* Not reached at run time; keeps the IR well-formed. */
	ir_st_envi(dc->f, 3, PPC_OFF(pc), dc->pc);
	ir_exit_tb(dc->f);
}

void ppc_gen_hea(struct ppc_dc *dc)
{
	ir_temp pc = ir_movi(dc->f, dc->pc);
	ir_temp insn = ir_movi(dc->f, dc->insn);
	ir_call(dc->f, ppc_helper_hea, pc, insn, IR_NO_TEMP, IR_NO_TEMP);
	dc->tr->stop = true;
	ir_st_envi(dc->f, 3, PPC_OFF(pc), dc->pc);
	ir_exit_tb(dc->f);
}

ir_temp ppc_narrow_ea(struct ppc_dc *dc, ir_temp ea)
{
	/* Book III 5.3.2: in 32-bit mode the high-order 32 bits of an EA are 0. */
	return dc->sf ? ea : ir_op1(dc->f, IR_EXT32U, ea);
}

ir_temp ppc_gen_ea_d(struct ppc_dc *dc, unsigned ra, uint64_t off)
{
	ir_temp ea = ra ? ir_addi(dc->f, ppc_ld_gpr(dc, ra), off) : ir_movi(dc->f, off);
	return ppc_narrow_ea(dc, ea);
}

ir_temp ppc_gen_ea_x(struct ppc_dc *dc, unsigned ra, unsigned rb)
{
	ir_temp b = ppc_ld_gpr(dc, rb);
	ir_temp ea = ra ? ir_add(dc->f, ppc_ld_gpr(dc, ra), b) : b;
	return ppc_narrow_ea(dc, ea);
}

/* ------------------------------------------------------------ add/subtract */

/* What an add-class instruction updates. */
enum {
	ADD_CA = 1,     /* set CA/CA32 */
	ADD_CIN_CA = 2, /* carry in = XER[CA] */
	ADD_CIN_1 = 4,  /* carry in = 1 */
	ADD_NOT_A = 8,  /* first operand is ~(RA) (subf family) */
	ADD_B_M1 = 16,  /* second operand is -1 (addme/subfme) */
	ADD_B_0 = 32,   /* second operand is 0 (addze/subfze/neg) */
	ADD_B_IMM = 64, /* second operand is SI (addic, subfic) */
};

/*
 * RT = x + y + cin with x = (RA) or ~(RA), y = (RB)/imm/0/-1; optional CA,
 * OV (OE=1) and CR0 (Rc=1). Carries: CA out of bit 0 (64-bit mode) or bit 32
 * (32-bit mode); CA32 out of bit 32; OV/OV32 signed overflow of the 64-/32-bit
 * sum (Book I 3.3.9).
 */
static void ppc_gen_add(struct ppc_dc *dc, unsigned rt, unsigned ra, ir_temp y, unsigned how,
			bool oe, bool rc)
{
	struct ir_func *f = dc->f;
	ir_temp x = ppc_ld_gpr(dc, ra);
	ir_temp r, cin = IR_NO_TEMP;

	if (how & ADD_NOT_A)
		x = ir_op1(f, IR_NOT, x);
	if (how & ADD_CIN_CA)
		cin = ir_ld_env(f, 3, PPC_OFF(ca));
	else if (how & ADD_CIN_1)
		cin = ir_movi(f, 1);

	ir_temp s1 = ir_add(f, x, y);
	r = cin != IR_NO_TEMP ? ir_add(f, s1, cin) : s1;

	if (how & ADD_CA) {
		/* Carry out of bit 0: (s1 < x) | (r < s1). */
		ir_temp c1 = ir_setcond(f, IR_LTU, s1, x);
		ir_temp ca = c1;
		if (cin != IR_NO_TEMP)
			ca = ir_or(f, c1, ir_setcond(f, IR_LTU, r, s1));
		/* Carry into bit 31 (MSB-first 32): bit 32 of x ^ y ^ r. */
		ir_temp ca32 = ir_andi(f, ir_shri(f, ir_xor(f, ir_xor(f, x, y), r), 32), 1);
		ir_st_env(f, 3, PPC_OFF(ca), dc->sf ? ca : ca32);
		ir_st_env(f, 3, PPC_OFF(ca32), ca32);
	}
	if (oe) {
		ir_temp t = ir_and(f, ir_xor(f, x, r), ir_xor(f, y, r));
		ir_temp ov = ir_andi(f, ir_shri(f, t, 63), 1);
		ir_temp ov32 = ir_andi(f, ir_shri(f, t, 31), 1);
		ir_temp ovm = dc->sf ? ov : ov32;
		ir_st_env(f, 3, PPC_OFF(ov), ovm);
		ir_st_env(f, 3, PPC_OFF(ov32), ov32);
		ir_temp so = ir_or(f, ir_ld_env(f, 3, PPC_OFF(so)), ovm);
		ir_st_env(f, 3, PPC_OFF(so), so);
	}
	ppc_st_gpr(dc, rt, r);
	if (rc)
		ppc_gen_cr0(dc, r);
}

/* XO-form add family: arg holds the ADD_* flags. */
static void trans_add_xo(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	unsigned how = dc->op->arg;
	ir_temp y;

	if (how & ADD_B_M1)
		y = ir_movi(dc->f, ~0ull);
	else if (how & ADD_B_0)
		y = ir_movi(dc->f, 0);
	else
		y = ppc_ld_gpr(dc, ppc_rb(i));
	ppc_gen_add(dc, ppc_rt(i), ppc_ra(i), y, how, ppc_oe(i), ppc_rc(i));
}

static void trans_addic(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp y = ir_movi(dc->f, ppc_simm(i));
	ppc_gen_add(dc, ppc_rt(i), ppc_ra(i), y, ADD_CA, false, dc->op->arg);
}

static void trans_subfic(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp y = ir_movi(dc->f, ppc_simm(i));
	ppc_gen_add(dc, ppc_rt(i), ppc_ra(i), y, ADD_CA | ADD_NOT_A | ADD_CIN_1, false, false);
}

/* addi / addis: RT = (RA|0) + SI (<< 16 for addis). */
static void trans_addi(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	uint64_t imm = ppc_simm(i) << (dc->op->arg ? 16 : 0);
	unsigned ra = ppc_ra(i);
	ir_temp r = ra ? ir_addi(dc->f, ppc_ld_gpr(dc, ra), imm) : ir_movi(dc->f, imm);
	ppc_st_gpr(dc, ppc_rt(i), r);
}

static void trans_mulli(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp r = ir_op2i(dc->f, IR_MUL, ppc_ld_gpr(dc, ppc_ra(i)), ppc_simm(i));
	ppc_st_gpr(dc, ppc_rt(i), r);
}

/* ------------------------------------------------------------ multiply/divide */

static void ppc_set_ov(struct ppc_dc *dc, ir_temp ov)
{
	struct ir_func *f = dc->f;
	ir_st_env(f, 3, PPC_OFF(ov), ov);
	ir_st_env(f, 3, PPC_OFF(ov32), ov);
	ir_st_env(f, 3, PPC_OFF(so), ir_or(f, ir_ld_env(f, 3, PPC_OFF(so)), ov));
}

enum {
	MUL_LW,
	MUL_LD,
	MUL_HW,
	MUL_HWU,
	MUL_HD,
	MUL_HDU
};

static void trans_mul(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	ir_temp a = ppc_ld_gpr(dc, ppc_ra(i)), b = ppc_ld_gpr(dc, ppc_rb(i));
	ir_temp r, ov = IR_NO_TEMP;

	switch (dc->op->arg) {
	case MUL_LW: /* 64-bit product of the signed low words */
		r = ir_op2(f, IR_MUL, ir_op1(f, IR_EXT32S, a), ir_op1(f, IR_EXT32S, b));
		ov = ir_setcond(f, IR_NE, r, ir_op1(f, IR_EXT32S, r));
		break;
	case MUL_LD: {
		r = ir_op2(f, IR_MUL, a, b);
		ir_temp hi = ir_op2(f, IR_MULHS, a, b);
		ov = ir_setcond(f, IR_NE, hi, ir_sari(f, r, 63));
		break;
	}
	case MUL_HW: {
		/* High word of the signed 64-bit product. RT[0:31] are undefined:
		 * softvisor writes 0 (as qemu does; checked by tests/diff/ppc). */
		ir_temp p = ir_op2(f, IR_MUL, ir_op1(f, IR_EXT32S, a), ir_op1(f, IR_EXT32S, b));
		r = ir_op1(f, IR_EXT32U, ir_shri(f, p, 32));
		break;
	}
	case MUL_HWU: {
		ir_temp p = ir_op2(f, IR_MUL, ir_op1(f, IR_EXT32U, a), ir_op1(f, IR_EXT32U, b));
		r = ir_shri(f, p, 32);
		break;
	}
	case MUL_HD: r = ir_op2(f, IR_MULHS, a, b); break;
	default: r = ir_op2(f, IR_MULHU, a, b); break;
	}
	if (ov != IR_NO_TEMP && ppc_oe(i))
		ppc_set_ov(dc, ov);
	ppc_st_gpr(dc, ppc_rt(i), r);
	if (ppc_rc(i))
		ppc_gen_cr0(dc, r);
}

enum {
	DIV_W,
	DIV_WU,
	DIV_D,
	DIV_DU
};

/*
 * Division. The ISA leaves RT undefined for a zero divisor and for the
 * most negative dividend divided by -1 (OV=1 for the o forms); softvisor
 * deterministically writes 0 then. For divw/divwu RT[0:31] are undefined too:
 * softvisor writes 0 there (zero-extended quotient).
 */
static void trans_div(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	ir_temp a = ppc_ld_gpr(dc, ppc_ra(i)), b = ppc_ld_gpr(dc, ppc_rb(i));
	ir_temp r, bad;
	unsigned kind = dc->op->arg;

	if (kind == DIV_W || kind == DIV_WU) {
		enum ir_opcode ext = kind == DIV_W ? IR_EXT32S : IR_EXT32U;
		a = ir_op1(f, ext, a);
		b = ir_op1(f, ext, b);
	}
	bad = ir_setcondi(f, IR_EQ, b, 0);
	if (kind == DIV_W || kind == DIV_D) {
		uint64_t min = kind == DIV_W ? (uint64_t)INT32_MIN : (uint64_t)INT64_MIN;
		ir_temp m1 = ir_setcondi(f, IR_EQ, b, ~0ull);
		ir_temp mn = ir_setcondi(f, IR_EQ, a, min);
		bad = ir_or(f, bad, ir_and(f, m1, mn));
		r = ir_op2(f, IR_DIVS, a, b);
	} else {
		r = ir_op2(f, IR_DIVU, a, b);
	}
	ir_temp zero = ir_movi(f, 0);
	r = ir_movcond(f, IR_NE, bad, zero, zero, r);
	if (kind == DIV_W || kind == DIV_WU)
		r = ir_op1(f, IR_EXT32U, r);
	if (ppc_oe(i))
		ppc_set_ov(dc, bad);
	ppc_st_gpr(dc, ppc_rt(i), r);
	if (ppc_rc(i))
		ppc_gen_cr0(dc, r);
}

/* ------------------------------------------------------------ logical */

enum {
	LOG_AND,
	LOG_OR,
	LOG_XOR,
	LOG_NAND,
	LOG_NOR,
	LOG_EQV,
	LOG_ANDC,
	LOG_ORC
};

static ir_temp ppc_logical(struct ir_func *f, unsigned op, ir_temp a, ir_temp b)
{
	switch (op) {
	case LOG_AND: return ir_and(f, a, b);
	case LOG_OR: return ir_or(f, a, b);
	case LOG_XOR: return ir_xor(f, a, b);
	case LOG_NAND: return ir_op1(f, IR_NOT, ir_and(f, a, b));
	case LOG_NOR: return ir_op1(f, IR_NOT, ir_or(f, a, b));
	case LOG_EQV: return ir_op1(f, IR_NOT, ir_xor(f, a, b));
	case LOG_ANDC: return ir_and(f, a, ir_op1(f, IR_NOT, b));
	default: return ir_or(f, a, ir_op1(f, IR_NOT, b));
	}
}

/* X-form: RA = (RS) op (RB). */
static void trans_logical_x(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp r = ppc_logical(dc->f, dc->op->arg, ppc_ld_gpr(dc, ppc_rt(i)),
				ppc_ld_gpr(dc, ppc_rb(i)));
	ppc_st_gpr(dc, ppc_ra(i), r);
	if (ppc_rc(i))
		ppc_gen_cr0(dc, r);
}

/* D-form: andi. andis. ori oris xori xoris; arg = op | shifted << 8 | record << 9. */
static void trans_logical_d(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	unsigned arg = dc->op->arg;
	uint64_t imm = ppc_uimm(i) << ((arg & 0x100) ? 16 : 0);
	ir_temp r = ppc_logical(dc->f, arg & 0xff, ppc_ld_gpr(dc, ppc_rt(i)), ir_movi(dc->f, imm));
	ppc_st_gpr(dc, ppc_ra(i), r);
	if (arg & 0x200)
		ppc_gen_cr0(dc, r);
}

/* Unary X-form RA = f(RS): arg is the IR op or a PPC_U_* code. */
enum {
	U_EXTSB,
	U_EXTSH,
	U_EXTSW,
	U_CNTLZW,
	U_CNTLZD,
	U_CNTTZW,
	U_CNTTZD,
	U_POPCNTB,
	U_POPCNTW,
	U_POPCNTD
};

static void trans_unary(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	ir_temp s = ppc_ld_gpr(dc, ppc_rt(i)), r;

	switch (dc->op->arg) {
	case U_EXTSB: r = ir_op1(f, IR_EXT8S, s); break;
	case U_EXTSH: r = ir_op1(f, IR_EXT16S, s); break;
	case U_EXTSW: r = ir_op1(f, IR_EXT32S, s); break;
	case U_CNTLZW:
		r = ir_op2i(f, IR_SUB, ir_op1(f, IR_CLZ, ir_op1(f, IR_EXT32U, s)), 32);
		break;
	case U_CNTLZD: r = ir_op1(f, IR_CLZ, s); break;
	case U_CNTTZW: r = ir_op1(f, IR_CTZ, ir_ori(f, ir_op1(f, IR_EXT32U, s), 1ull << 32)); break;
	case U_CNTTZD: r = ir_op1(f, IR_CTZ, s); break;
	case U_POPCNTB:
		r = ir_call(f, ppc_helper_popcntb, s, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
		break;
	case U_POPCNTW:
		r = ir_call(f, ppc_helper_popcntw, s, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
		break;
	default: r = ir_op1(f, IR_POPCNT, s); break;
	}
	ppc_st_gpr(dc, ppc_ra(i), r);
	/* popcnt* have no record form (bit 31 is reserved). */
	if (ppc_rc(i) && dc->op->arg < U_POPCNTB)
		ppc_gen_cr0(dc, r);
}

static void trans_cmpb(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp r = ir_call(dc->f, ppc_helper_cmpb, ppc_ld_gpr(dc, ppc_rt(i)),
			    ppc_ld_gpr(dc, ppc_rb(i)), IR_NO_TEMP, IR_NO_TEMP);
	ppc_st_gpr(dc, ppc_ra(i), r);
}

/* ------------------------------------------------------------ compare */

/* arg: bit 0 = unsigned, bit 1 = immediate. BF = bits 6:8, L = bit 10. */
static void trans_cmp(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	bool is_unsigned = dc->op->arg & 1, imm = dc->op->arg & 2;
	bool l = (i >> 21) & 1;
	ir_temp a = ppc_ld_gpr(dc, ppc_ra(i));
	ir_temp b = imm ? ir_movi(dc->f, is_unsigned ? ppc_uimm(i) : ppc_simm(i)) :
			  ppc_ld_gpr(dc, ppc_rb(i));
	ppc_gen_cmp(dc, (i >> 23) & 7, a, b, !is_unsigned, l);
}

/* isel RT,RA,RB,BC: RT = CR[BC] ? (RA|0) : (RB). */
static void trans_isel(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned bc = (i >> 6) & 31;
	ir_temp field = ir_ld_env(f, 3, PPC_OFF_CRF(bc / 4));
	ir_temp bit = ir_andi(f, field, 8u >> (bc % 4));
	ir_temp zero = ir_movi(f, 0);
	ir_temp r = ir_movcond(f, IR_NE, bit, zero, ppc_ld_gpr_or0(dc, ppc_ra(i)),
			       ppc_ld_gpr(dc, ppc_rb(i)));
	ppc_st_gpr(dc, ppc_rt(i), r);
}

/* ------------------------------------------------------------ shifts */

enum {
	SH_SLW,
	SH_SRW,
	SH_SRAW,
	SH_SLD,
	SH_SRD,
	SH_SRAD
};

/* Set CA and CA32 to "source negative and 1-bits shifted out". */
static void ppc_set_ca_sra(struct ppc_dc *dc, ir_temp s, ir_temp lost)
{
	struct ir_func *f = dc->f;
	ir_temp neg = ir_setcondi(f, IR_LT, s, 0);
	ir_temp ca = ir_and(f, neg, lost);
	ir_st_env(f, 3, PPC_OFF(ca), ca);
	ir_st_env(f, 3, PPC_OFF(ca32), ca);
}

static void trans_shift(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	ir_temp s = ppc_ld_gpr(dc, ppc_rt(i));
	ir_temp n = ppc_ld_gpr(dc, ppc_rb(i));
	ir_temp r, zero = ir_movi(f, 0);

	switch (dc->op->arg) {
	case SH_SLW: /* n = RB[58:63]; n >= 32 gives 0 because bits shift past bit 32 */
		r = ir_op1(f, IR_EXT32U,
			   ir_op2(f, IR_SHL, ir_op1(f, IR_EXT32U, s), ir_andi(f, n, 63)));
		break;
	case SH_SRW: r = ir_op2(f, IR_SHR, ir_op1(f, IR_EXT32U, s), ir_andi(f, n, 63)); break;
	case SH_SRAW: {
		ir_temp n6 = ir_andi(f, n, 63);
		ir_temp sw = ir_op1(f, IR_EXT32S, s);
		r = ir_op2(f, IR_SAR, sw, n6);
		ppc_set_ca_sra(dc, sw, ir_setcond(f, IR_NE, ir_op2(f, IR_SHL, r, n6), sw));
		break;
	}
	case SH_SLD:
	case SH_SRD: {
		ir_temp n7 = ir_andi(f, n, 127);
		ir_temp big = ir_setcondi(f, IR_GEU, n7, 64);
		r = ir_op2(f, dc->op->arg == SH_SLD ? IR_SHL : IR_SHR, s, n7);
		r = ir_movcond(f, IR_NE, big, zero, zero, r);
		break;
	}
	default: { /* SRAD: n = RB[57:63]; n >= 64 fills with the sign */
		ir_temp n7 = ir_andi(f, n, 127);
		ir_temp big = ir_setcondi(f, IR_GEU, n7, 64);
		ir_temp n6 = ir_movcond(f, IR_NE, big, zero, ir_movi(f, 63), n7);
		r = ir_op2(f, IR_SAR, s, n6);
		ir_temp lost = ir_setcond(f, IR_NE, ir_op2(f, IR_SHL, r, n6), s);
		ppc_set_ca_sra(dc, s, ir_or(f, lost, big));
		break;
	}
	}
	ppc_st_gpr(dc, ppc_ra(i), r);
	if (ppc_rc(i))
		ppc_gen_cr0(dc, r);
}

/* srawi RA,RS,SH and sradi RA,RS,SH (arg 1: 64-bit, sh = sh5 || sh0:4). */
static void trans_srai(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned sh = ppc_rb(i);
	ir_temp s = ppc_ld_gpr(dc, ppc_rt(i));

	if (dc->op->arg)
		sh |= ((i >> 1) & 1) << 5;
	else
		s = ir_op1(f, IR_EXT32S, s);
	ir_temp r = ir_sari(f, s, sh);
	ir_temp lost = sh ? ir_setcondi(f, IR_TSTNE, s, sv_mask(sh)) : ir_movi(f, 0);
	ppc_set_ca_sra(dc, s, lost);
	ppc_st_gpr(dc, ppc_ra(i), r);
	if (ppc_rc(i))
		ppc_gen_cr0(dc, r);
}

/* ------------------------------------------------------------ rotates */

/* The 32-bit rotate ROTL32 of the ISA: the word replicated in both halves. */
static ir_temp ppc_rotl32(struct ir_func *f, ir_temp s, ir_temp n)
{
	ir_temp r = ir_op2(f, IR_ROTL32, s, n);
	return ir_or(f, r, ir_shli(f, r, 32));
}

enum {
	RLW_INM,
	RLW_NM,
	RLW_IMI
};

static void trans_rlw(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned mb = (i >> 6) & 31, me = (i >> 1) & 31;
	uint64_t m = ppc_mask(mb + 32, me + 32);
	ir_temp s = ppc_ld_gpr(dc, ppc_rt(i));
	ir_temp n = dc->op->arg == RLW_NM ? ir_andi(f, ppc_ld_gpr(dc, ppc_rb(i)), 31) :
					    ir_movi(f, ppc_rb(i));
	ir_temp r = ir_andi(f, ppc_rotl32(f, s, n), m);

	if (dc->op->arg == RLW_IMI)
		r = ir_or(f, r, ir_andi(f, ppc_ld_gpr(dc, ppc_ra(i)), ~m));
	ppc_st_gpr(dc, ppc_ra(i), r);
	if (ppc_rc(i))
		ppc_gen_cr0(dc, r);
}

enum {
	RLD_ICL,
	RLD_ICR,
	RLD_IC,
	RLD_IMI,
	RLD_CL,
	RLD_CR
};

/* MD/MDS forms: sh = sh5 || sh0:4 (bits 30, 16:20), mb/me = field[5] || field[0:4]. */
static void trans_rld(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned sh = ppc_rb(i) | (((i >> 1) & 1) << 5);
	unsigned mf = (i >> 5) & 63;
	unsigned mbe = ((mf & 1) << 5) | (mf >> 1);
	unsigned kind = dc->op->arg;
	ir_temp s = ppc_ld_gpr(dc, ppc_rt(i));
	ir_temp r;
	uint64_t m;

	if (kind == RLD_CL || kind == RLD_CR)
		r = ir_op2(f, IR_ROTL, s, ir_andi(f, ppc_ld_gpr(dc, ppc_rb(i)), 63));
	else
		r = ir_op2i(f, IR_ROTL, s, sh);

	switch (kind) {
	case RLD_ICL:
	case RLD_CL: m = ppc_mask(mbe, 63); break;
	case RLD_ICR:
	case RLD_CR: m = ppc_mask(0, mbe); break;
	default: m = ppc_mask(mbe, 63 - sh); break; /* rldic, rldimi */
	}
	r = ir_andi(f, r, m);
	if (kind == RLD_IMI)
		r = ir_or(f, r, ir_andi(f, ppc_ld_gpr(dc, ppc_ra(i)), ~m));
	ppc_st_gpr(dc, ppc_ra(i), r);
	if (ppc_rc(i))
		ppc_gen_cr0(dc, r);
}

/* ------------------------------------------------------------ the rows */

#define X10(name, xo, fn, arg)                                                                     \
	{                                                                                          \
		name, PPC_XO10(31, xo), PPC_M_XO10, FORM_X, 0, 0, fn, arg                          \
	}
#define XO(name, xo, fn, arg)                                                                      \
	{                                                                                          \
		name, PPC_XO9(31, xo), PPC_M_XO9, FORM_XO, 0, 0, fn, arg                           \
	}
#define D(name, po, fn, arg)                                                                       \
	{                                                                                          \
		name, PPC_OP(po), PPC_M_OP, FORM_D, 0, 0, fn, arg                                  \
	}

const struct ppc_opcode ppc_opcodes_fixed[] = {
	D("mulli", 7, trans_mulli, 0),
	D("subfic", 8, trans_subfic, 0),
	{ "cmpli", PPC_OP(10), 0xfc400000u, FORM_D, 0, 0, trans_cmp, 3 },
	{ "cmpi", PPC_OP(11), 0xfc400000u, FORM_D, 0, 0, trans_cmp, 2 },
	D("addic", 12, trans_addic, 0),
	D("addic.", 13, trans_addic, 1),
	D("addi", 14, trans_addi, 0),
	D("addis", 15, trans_addi, 1),
	{ "rlwimi", PPC_OP(20), PPC_M_OP, FORM_M, 0, 0, trans_rlw, RLW_IMI },
	{ "rlwinm", PPC_OP(21), PPC_M_OP, FORM_M, 0, 0, trans_rlw, RLW_INM },
	{ "rlwnm", PPC_OP(23), PPC_M_OP, FORM_M, 0, 0, trans_rlw, RLW_NM },
	D("ori", 24, trans_logical_d, LOG_OR),
	D("oris", 25, trans_logical_d, LOG_OR | 0x100),
	D("xori", 26, trans_logical_d, LOG_XOR),
	D("xoris", 27, trans_logical_d, LOG_XOR | 0x100),
	D("andi.", 28, trans_logical_d, LOG_AND | 0x200),
	D("andis.", 29, trans_logical_d, LOG_AND | 0x300),
	{ "rldicl", PPC_OP(30) | (0 << 2), 0xfc00001cu, FORM_MD, PPC_F_64, 0, trans_rld, RLD_ICL },
	{ "rldicr", PPC_OP(30) | (1 << 2), 0xfc00001cu, FORM_MD, PPC_F_64, 0, trans_rld, RLD_ICR },
	{ "rldic", PPC_OP(30) | (2 << 2), 0xfc00001cu, FORM_MD, PPC_F_64, 0, trans_rld, RLD_IC },
	{ "rldimi", PPC_OP(30) | (3 << 2), 0xfc00001cu, FORM_MD, PPC_F_64, 0, trans_rld, RLD_IMI },
	{ "rldcl", PPC_OP(30) | (8 << 1), 0xfc00001eu, FORM_MDS, PPC_F_64, 0, trans_rld, RLD_CL },
	{ "rldcr", PPC_OP(30) | (9 << 1), 0xfc00001eu, FORM_MDS, PPC_F_64, 0, trans_rld, RLD_CR },

	{ "cmp", PPC_XO10(31, 0), 0xfc4007ffu, FORM_X, 0, 0, trans_cmp, 0 },
	{ "cmpl", PPC_XO10(31, 32), 0xfc4007ffu, FORM_X, 0, 0, trans_cmp, 1 },
	{ "isel", PPC_OP(31) | (15 << 1), 0xfc00003fu, FORM_A, 0, 0, trans_isel, 0 },

	XO("subfc", 8, trans_add_xo, ADD_NOT_A | ADD_CIN_1 | ADD_CA),
	XO("addc", 10, trans_add_xo, ADD_CA),
	XO("subf", 40, trans_add_xo, ADD_NOT_A | ADD_CIN_1),
	XO("neg", 104, trans_add_xo, ADD_NOT_A | ADD_CIN_1 | ADD_B_0),
	XO("subfe", 136, trans_add_xo, ADD_NOT_A | ADD_CIN_CA | ADD_CA),
	XO("adde", 138, trans_add_xo, ADD_CIN_CA | ADD_CA),
	XO("subfze", 200, trans_add_xo, ADD_NOT_A | ADD_CIN_CA | ADD_CA | ADD_B_0),
	XO("addze", 202, trans_add_xo, ADD_CIN_CA | ADD_CA | ADD_B_0),
	XO("subfme", 232, trans_add_xo, ADD_NOT_A | ADD_CIN_CA | ADD_CA | ADD_B_M1),
	XO("addme", 234, trans_add_xo, ADD_CIN_CA | ADD_CA | ADD_B_M1),
	XO("add", 266, trans_add_xo, 0),

	XO("mulhdu", 9, trans_mul, MUL_HDU),
	XO("mulhwu", 11, trans_mul, MUL_HWU),
	XO("mulhd", 73, trans_mul, MUL_HD),
	XO("mulhw", 75, trans_mul, MUL_HW),
	XO("mulld", 233, trans_mul, MUL_LD),
	XO("mullw", 235, trans_mul, MUL_LW),
	XO("divdu", 457, trans_div, DIV_DU),
	XO("divwu", 459, trans_div, DIV_WU),
	XO("divd", 489, trans_div, DIV_D),
	XO("divw", 491, trans_div, DIV_W),

	X10("slw", 24, trans_shift, SH_SLW),
	X10("cntlzw", 26, trans_unary, U_CNTLZW),
	X10("sld", 27, trans_shift, SH_SLD),
	X10("and", 28, trans_logical_x, LOG_AND),
	X10("cntlzd", 58, trans_unary, U_CNTLZD),
	X10("andc", 60, trans_logical_x, LOG_ANDC),
	X10("popcntb", 122, trans_unary, U_POPCNTB),
	X10("nor", 124, trans_logical_x, LOG_NOR),
	X10("eqv", 284, trans_logical_x, LOG_EQV),
	X10("xor", 316, trans_logical_x, LOG_XOR),
	X10("popcntw", 378, trans_unary, U_POPCNTW),
	X10("orc", 412, trans_logical_x, LOG_ORC),
	X10("or", 444, trans_logical_x, LOG_OR),
	X10("nand", 476, trans_logical_x, LOG_NAND),
	X10("popcntd", 506, trans_unary, U_POPCNTD),
	X10("cmpb", 508, trans_cmpb, 0),
	X10("srw", 536, trans_shift, SH_SRW),
	X10("cnttzw", 538, trans_unary, U_CNTTZW),
	X10("srd", 539, trans_shift, SH_SRD),
	X10("cnttzd", 570, trans_unary, U_CNTTZD),
	X10("sraw", 792, trans_shift, SH_SRAW),
	X10("srad", 794, trans_shift, SH_SRAD),
	X10("srawi", 824, trans_srai, 0),
	{ "sradi", PPC_OP(31) | (413 << 2), 0xfc0007fcu, FORM_XS, PPC_F_64, 0, trans_srai, 1 },
	X10("extsh", 922, trans_unary, U_EXTSH),
	X10("extsb", 954, trans_unary, U_EXTSB),
	X10("extsw", 986, trans_unary, U_EXTSW),
};
const size_t ppc_n_opcodes_fixed = SV_ARRAY_SIZE(ppc_opcodes_fixed);
