/*
 * VMX and VSX instructions (Power ISA v3.0B Book I chapters 6 and 7): the
 * loads and stores in IR, the register operations through the helpers of
 * vec.c, and the VSR <-> GPR moves.
 *
 * Byte order of the quadword accesses (6.4, 7.3): lvx/stvx, lxvx/stxvx and
 * lxv/stxv move the 16 bytes as one big-endian quadword when MSR[LE] = 0 and
 * byte-reversed when MSR[LE] = 1 -- doubleword 1 comes from EA and
 * doubleword 0 from EA + 8, each little-endian. lxvd2x/stxvd2x keep the
 * element order (doubleword 0 at EA) in either mode; lxvw4x/stxvw4x the
 * word order; lxvb16x/stxvb16x always use big-endian byte order.
 *
 * Facilities: VMX rows need MSR[VEC] (0xF20), VSX rows MSR[VSX] (0xF40); the
 * VSR <-> GPR moves need MSR[FP] for VSR 0..31 and MSR[VEC] for 32..63.
 *
 * Example: lvx v2,r3,r4 (LE) is
 *     ea = (r3 + r4) & ~15 ; vsr[34].dw1 = qld64le [ea] ; vsr[34].dw0 = qld64le [ea + 8]
 */
#include "cpu/ppc/translate.h"

/* Load/store row args. */
enum {
	VK_QUAD,   /* lvx / lxvx / lxv: quadword, byte-reversed in LE */
	VK_D2,     /* lxvd2x: two doublewords in element order */
	VK_W4,     /* lxvw4x: four words in element order */
	VK_B16,    /* lxvb16x: big-endian bytes */
	VK_DSPLAT, /* lxvdsx: one doubleword to both */
	VK_SD,     /* lxsdx / lxsd: doubleword 0 */
	VK_SIWZ,   /* lxsiwzx / stxsiwx: word <-> doubleword 0, zero-extended */
	VK_SIWA,   /* lxsiwax: sign-extended */
	VK_SSP,    /* lxssp / stxssp: single <-> double format in doubleword 0 */
	VK_KIND = 0xff,
	VF_STORE = 0x100,
	VF_VR = 0x200,    /* the register field is a VR (VSR 32 + n) */
	VF_ALIGN = 0x400, /* EA & ~15 (lvx, stvx) */
	VF_DQ = 0x800,    /* DQ-form: EA = (RA|0) + DQ || 0b0000, XT = TX || T (bit 28) */
	VF_DS = 0x1000,   /* DS-form: EA = (RA|0) + DS || 0b00, VRT + 32 */
};

static unsigned ppc_vsx_xt_x(uint32_t i)
{
	return ppc_rt(i) | ((i & 1) << 5);
}

static ir_temp ppc_vec_ea(struct ppc_dc *dc, unsigned arg)
{
	uint32_t i = dc->insn;
	ir_temp ea;
	if (arg & VF_DQ)
		ea = ppc_gen_ea_d(dc, ppc_ra(i), sv_sext(i & 0xfff0, 16));
	else if (arg & VF_DS)
		ea = ppc_gen_ea_d(dc, ppc_ra(i), sv_sext(i & 0xfffc, 16));
	else
		ea = ppc_gen_ea_x(dc, ppc_ra(i), ppc_rb(i));
	if (arg & VF_ALIGN)
		ea = ir_andi(dc->f, ea, ~15ull);
	return ea;
}

static ir_temp ppc_ea_plus(struct ppc_dc *dc, ir_temp ea, unsigned off)
{
	return ppc_narrow_ea(dc, ir_addi(dc->f, ea, off));
}

static void trans_vldst(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned arg = dc->op->arg, kind = arg & VK_KIND, mo = dc->mo_endian;
	unsigned r = (arg & (VF_VR | VF_DS)) ? 32 + ppc_rt(i) :
		     (arg & VF_DQ)           ? ppc_rt(i) | (((i >> 3) & 1) << 5) :
					       ppc_vsx_xt_x(i);
	bool st = arg & VF_STORE;
	ir_temp ea = ppc_vec_ea(dc, arg), ea8 = ppc_ea_plus(dc, ea, 8);
	size_t d0 = PPC_OFF_VSR(r, 0), d1 = PPC_OFF_VSR(r, 1);

	switch (kind) {
	case VK_QUAD:
	case VK_D2:
	case VK_B16: {
		unsigned m = kind == VK_B16 ? IR_MO_BE : mo;
		/* Which doubleword is at EA: dw1 for a byte-reversed quadword. */
		bool swap = kind == VK_QUAD && !dc->mo_endian;
		size_t lo = swap ? d1 : d0, hi = swap ? d0 : d1;
		if (st) {
			ir_qst(f, IR_MO_64 | m, dc->mem_idx, ea, 0, ir_ld_env(f, 3, lo));
			ir_qst(f, IR_MO_64 | m, dc->mem_idx, ea8, 0, ir_ld_env(f, 3, hi));
		} else {
			ir_temp a = ir_qld(f, IR_MO_64 | m, dc->mem_idx, ea, 0);
			ir_temp b = ir_qld(f, IR_MO_64 | m, dc->mem_idx, ea8, 0);
			ir_st_env(f, 3, lo, a);
			ir_st_env(f, 3, hi, b);
		}
		break;
	}
	case VK_W4:
		/* Word k is the high (k even) or low half of doubleword k / 2. */
		for (unsigned d = 0; d < 2; d++) {
			ir_temp a = ppc_ea_plus(dc, ea, 8 * d), a4 = ppc_ea_plus(dc, ea, 8 * d + 4);
			size_t off = d ? d1 : d0;
			if (st) {
				ir_temp v = ir_ld_env(f, 3, off);
				ir_qst(f, IR_MO_32 | mo, dc->mem_idx, a, 0, ir_shri(f, v, 32));
				ir_qst(f, IR_MO_32 | mo, dc->mem_idx, a4, 0, v);
			} else {
				ir_temp hi = ir_qld(f, IR_MO_32 | mo, dc->mem_idx, a, 0);
				ir_temp lo = ir_qld(f, IR_MO_32 | mo, dc->mem_idx, a4, 0);
				ir_st_env(f, 3, off, ir_or(f, ir_shli(f, hi, 32), lo));
			}
		}
		break;
	case VK_DSPLAT: {
		ir_temp a = ir_qld(f, IR_MO_64 | mo, dc->mem_idx, ea, 0);
		ir_st_env(f, 3, d0, a);
		ir_st_env(f, 3, d1, a);
		break;
	}
	case VK_SD:
		if (st) {
			ir_qst(f, IR_MO_64 | mo, dc->mem_idx, ea, 0, ir_ld_env(f, 3, d0));
		} else {
			ir_st_env(f, 3, d0, ir_qld(f, IR_MO_64 | mo, dc->mem_idx, ea, 0));
			if (arg & VF_DS) /* lxsd (v3.0): doubleword 1 is set to 0 */
				ir_st_envi(f, 3, d1, 0);
		}
		break;
	case VK_SIWZ:
	case VK_SIWA:
		if (st) {
			ir_qst(f, IR_MO_32 | mo, dc->mem_idx, ea, 0, ir_ld_env(f, 3, d0));
		} else {
			unsigned sg = kind == VK_SIWA ? IR_MO_SIGN : 0;
			ir_st_env(f, 3, d0, ir_qld(f, IR_MO_32 | sg | mo, dc->mem_idx, ea, 0));
		}
		break;
	case VK_SSP:
		if (st) {
			ir_temp v = ir_call(f, ppc_helper_stfs, ir_ld_env(f, 3, d0), IR_NO_TEMP,
					    IR_NO_TEMP, IR_NO_TEMP);
			ir_qst(f, IR_MO_32 | mo, dc->mem_idx, ea, 0, v);
		} else {
			ir_temp v = ir_qld(f, IR_MO_32 | mo, dc->mem_idx, ea, 0);
			ir_st_env(
				f, 3, d0,
				ir_call(f, ppc_helper_lfs, v, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP));
			ir_st_envi(f, 3, d1, 0);
		}
		break;
	default: break;
	}
}

/* lvsl / lvsr (arg 1): the permute control vector for EA & 15 (6.8.2). */
static void trans_lvsl(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned vr = 32 + ppc_rt(i);
	ir_temp sh = ir_andi(f, ppc_gen_ea_x(dc, ppc_ra(i), ppc_rb(i)), 15);
	/* Byte k of the result = sh + k (lvsl) or 16 - sh + k (lvsr): add the
	 * start value to every byte of 0x0001...0f. */
	ir_temp start = dc->op->arg ? ir_sub(f, ir_movi(f, 16), sh) : sh;
	ir_temp splat = ir_mul(f, start, ir_movi(f, 0x0101010101010101ull));
	ir_st_env(f, 3, PPC_OFF_VSR(vr, 0), ir_add(f, splat, ir_movi(f, 0x0001020304050607ull)));
	ir_st_env(f, 3, PPC_OFF_VSR(vr, 1), ir_add(f, splat, ir_movi(f, 0x08090a0b0c0d0e0full)));
}

/* lve[bhw]x: the whole aligned quadword (the other elements are undefined,
 * 6.4.1); stve[bhw]x: the addressed element only. arg = element size log2. */
static void trans_lve(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned vr = 32 + ppc_rt(i), sz = dc->op->arg & 3;
	ir_temp ea = ir_andi(f, ppc_gen_ea_x(dc, ppc_ra(i), ppc_rb(i)), ~((1ull << sz) - 1));

	if (!(dc->op->arg & VF_STORE)) {
		ir_temp q = ir_andi(f, ea, ~15ull), q8 = ppc_ea_plus(dc, q, 8);
		bool swap = !dc->mo_endian;
		ir_st_env(f, 3, PPC_OFF_VSR(vr, swap ? 1 : 0),
			  ir_qld(f, IR_MO_64 | dc->mo_endian, dc->mem_idx, q, 0));
		ir_st_env(f, 3, PPC_OFF_VSR(vr, swap ? 0 : 1),
			  ir_qld(f, IR_MO_64 | dc->mo_endian, dc->mem_idx, q8, 0));
		return;
	}
	/* Element byte index in the register: (EA & 15) in BE, 15 - ... for
	 * the byte-reversed LE image; the value is then stored in mode order. */
	ir_temp idx = ir_andi(f, ea, 15);
	if (!dc->mo_endian)
		idx = ir_sub(f, ir_movi(f, 16 - (1u << sz)), idx);
	/* Bytes idx .. idx + size - 1 of the BE image: dw = idx >> 3. */
	ir_temp d0 = ir_ld_env(f, 3, PPC_OFF_VSR(vr, 0)), d1 = ir_ld_env(f, 3, PPC_OFF_VSR(vr, 1));
	ir_temp dw = ir_movcond(f, IR_GEU, idx, ir_movi(f, 8), d1, d0);
	ir_temp shift = ir_sub(f, ir_movi(f, 64 - (8u << sz)), ir_shli(f, ir_andi(f, idx, 7), 3));
	ir_temp v = ir_op2(f, IR_SHR, dw, shift);
	ir_qst(f, sz | dc->mo_endian, dc->mem_idx, ea, 0, v);
}

/* lxvl, lxvll, stxvl, stxvll: arg bit 0 store, bit 1 left-justified. */
static void trans_lxvl(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp ea = ppc_narrow_ea(dc, ppc_ld_gpr_or0(dc, ppc_ra(i)));
	unsigned kind = dc->op->arg | (dc->mo_endian ? 0 : 4) | (ppc_vsx_xt_x(i) << 8);
	ir_call(dc->f, ppc_helper_lxvl, ea, ppc_ld_gpr(dc, ppc_rb(i)), ir_movi(dc->f, kind),
		ir_movi(dc->f, dc->mem_idx));
}

/* lxvwsx: a word, splatted to the four words. */
static void trans_lxvwsx(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned x = ppc_vsx_xt_x(i);
	ir_temp w = ir_qld(f, IR_MO_32 | dc->mo_endian, dc->mem_idx,
			   ppc_gen_ea_x(dc, ppc_ra(i), ppc_rb(i)), 0);
	ir_temp v = ir_or(f, w, ir_shli(f, w, 32));
	ir_st_env(f, 3, PPC_OFF_VSR(x, 0), v);
	ir_st_env(f, 3, PPC_OFF_VSR(x, 1), v);
}

static void trans_vmx(struct ppc_dc *dc)
{
	ir_temp g = ppc_ld_gpr(dc, ppc_ra(dc->insn));
	ir_temp r = ir_call(dc->f, ppc_helper_vmx, ir_movi(dc->f, dc->insn),
			    ir_movi(dc->f, dc->op->arg & 3), g, IR_NO_TEMP);
	if (dc->op->arg & 4) /* a GPR result */
		ppc_st_gpr(dc, ppc_rt(dc->insn), r);
}

/* VMX floating point (vmx_fp.c); arg 0 VX, 1 VC, 2 VA. */
static void trans_vmx_fp(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_vmx_fp, ir_movi(dc->f, dc->insn), ir_movi(dc->f, dc->op->arg),
		IR_NO_TEMP, IR_NO_TEMP);
}

/* VSX vector double precision (fpu.c); arg 1 for the XX2 forms. */
static void trans_vsx_vfp(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_vsx_vfp, ir_movi(dc->f, dc->insn), ir_movi(dc->f, dc->op->arg),
		ir_movi(dc->f, dc->pc), IR_NO_TEMP);
}

/* VSX scalar floating point (fpu.c); arg 1 for the XX2 forms. */
static void trans_vsx_fp(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_vsx_fp, ir_movi(dc->f, dc->insn), ir_movi(dc->f, dc->op->arg),
		ir_movi(dc->f, dc->pc), IR_NO_TEMP);
}

static void trans_vsx(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_vsx, ir_movi(dc->f, dc->insn), IR_NO_TEMP, IR_NO_TEMP,
		IR_NO_TEMP);
}

/*
 * mfvsrd, mfvsrwz, mfvsrld, mtvsrd, mtvsrwa, mtvsrwz, mtvsrws, mtvsrdd
 * (7.6.1.2): arg selects. The facility depends on the VSR number.
 */
enum {
	MV_MFD,
	MV_MFWZ,
	MV_MFLD,
	MV_MTD,
	MV_MTWA,
	MV_MTWZ,
	MV_MTWS,
	MV_MTDD,
};

static void trans_vsr_move(struct ppc_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t i = dc->insn;
	unsigned x = ppc_vsx_xt_x(i), kind = dc->op->arg;
	size_t d0 = PPC_OFF_VSR(x, 0), d1 = PPC_OFF_VSR(x, 1);

	if (x < 32 && !(dc->flags & PPC_TBF_FP)) {
		ppc_gen_unavailable(dc, PPC_VEC_FP_UNAVAIL);
		return;
	}
	if (x >= 32 && !(dc->flags & PPC_TBF_VEC)) {
		ppc_gen_unavailable(dc, PPC_VEC_VEC_UNAVAIL);
		return;
	}
	switch (kind) {
	case MV_MFD: ppc_st_gpr(dc, ppc_ra(i), ir_ld_env(f, 3, d0)); break;
	case MV_MFWZ: ppc_st_gpr(dc, ppc_ra(i), ir_op1(f, IR_EXT32U, ir_ld_env(f, 3, d0))); break;
	case MV_MFLD: ppc_st_gpr(dc, ppc_ra(i), ir_ld_env(f, 3, d1)); break;
	case MV_MTD: ir_st_env(f, 3, d0, ppc_ld_gpr(dc, ppc_ra(i))); break;
	case MV_MTWA: ir_st_env(f, 3, d0, ir_op1(f, IR_EXT32S, ppc_ld_gpr(dc, ppc_ra(i)))); break;
	case MV_MTWZ: ir_st_env(f, 3, d0, ir_op1(f, IR_EXT32U, ppc_ld_gpr(dc, ppc_ra(i)))); break;
	case MV_MTWS: {
		ir_temp w = ir_op1(f, IR_EXT32U, ppc_ld_gpr(dc, ppc_ra(i)));
		ir_temp v = ir_or(f, w, ir_shli(f, w, 32));
		ir_st_env(f, 3, d0, v);
		ir_st_env(f, 3, d1, v);
		break;
	}
	default: /* mtvsrdd XT,RA|0,RB */
		ir_st_env(f, 3, d0, ppc_ld_gpr_or0(dc, ppc_ra(i)));
		ir_st_env(f, 3, d1, ppc_ld_gpr(dc, ppc_rb(i)));
		break;
	}
}

#define VEC_F PPC_F_VEC
#define VSX_F PPC_F_VSX
#define R_VEC (RAISES_DSI | RAISES_PROG)
/* X-form loads/stores of opcode 31 (TX / SX in bit 31 for VSX). */
#define VLX(name, xo, flags, fn, arg)                                                              \
	{                                                                                          \
		name, PPC_XO10(31, xo), PPC_M_XO10, FORM_X, flags, R_VEC, fn, arg                  \
	}
/* VX-form (11-bit XO), VC-form (10-bit XO, Rc = bit 21), VA-form (6-bit XO). */
#define VX(name, xo, arg)                                                                          \
	{                                                                                          \
		name, PPC_OP(4) | (xo), PPC_M_OP | 0x7ff, FORM_X, VEC_F, 0, trans_vmx, arg         \
	}
#define VC(name, xo)                                                                               \
	{                                                                                          \
		name, PPC_OP(4) | (xo), PPC_M_OP | 0x3ff, FORM_X, VEC_F, 0, trans_vmx, 1           \
	}
#define VA(name, xo)                                                                               \
	{                                                                                          \
		name, PPC_OP(4) | (xo), PPC_M_OP | 0x3f, FORM_A, VEC_F, 0, trans_vmx, 2            \
	}
#define VXF(name, xo)                                                                              \
	{                                                                                          \
		name, PPC_OP(4) | (xo), PPC_M_OP | 0x7ff, FORM_X, VEC_F, 0, trans_vmx_fp, 0        \
	}
#define VCF(name, xo)                                                                              \
	{                                                                                          \
		name, PPC_OP(4) | (xo), PPC_M_OP | 0x3ff, FORM_X, VEC_F, 0, trans_vmx_fp, 1        \
	}
#define VAF(name, xo)                                                                              \
	{                                                                                          \
		name, PPC_OP(4) | (xo), PPC_M_OP | 0x3f, FORM_A, VEC_F, 0, trans_vmx_fp, 2         \
	}
#define XX3(name, xo)                                                                              \
	{                                                                                          \
		name, PPC_OP(60) | ((xo) << 3), PPC_M_OP | (0xffu << 3), FORM_X, VSX_F, 0,         \
			trans_vsx, 0                                                               \
	}

#define XSF3(name, xo)                                                                             \
	{                                                                                          \
		name, PPC_OP(60) | ((xo) << 3), PPC_M_OP | (0xffu << 3), FORM_X, VSX_F,            \
			RAISES_PROG, trans_vsx_fp, 0                                               \
	}
#define XSF2(name, xo)                                                                             \
	{                                                                                          \
		name, PPC_OP(60) | ((xo) << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F,           \
			RAISES_PROG, trans_vsx_fp, 1                                               \
	}

#define XVF3(name, xo)                                                                             \
	{                                                                                          \
		name, PPC_OP(60) | ((xo) << 3), PPC_M_OP | (0xffu << 3), FORM_X, VSX_F,            \
			RAISES_PROG, trans_vsx_vfp, 0                                              \
	}
#define XVCMP(name, xo)                                                                            \
	{                                                                                          \
		name, PPC_OP(60) | ((xo) << 3), PPC_M_OP | (0x7fu << 3), FORM_X, VSX_F,            \
			RAISES_PROG, trans_vsx_vfp, 0                                              \
	}
#define XVF2(name, xo)                                                                             \
	{                                                                                          \
		name, PPC_OP(60) | ((xo) << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F,           \
			RAISES_PROG, trans_vsx_vfp, 1                                              \
	}

const struct ppc_opcode ppc_opcodes_vec[] = {
	/* VMX loads and stores. */
	VLX("lvsl", 6, VEC_F, trans_lvsl, 0),
	VLX("lvebx", 7, VEC_F, trans_lve, 0),
	VLX("lvsr", 38, VEC_F, trans_lvsl, 1),
	VLX("lvehx", 39, VEC_F, trans_lve, 1),
	VLX("lvewx", 71, VEC_F, trans_lve, 2),
	VLX("lvx", 103, VEC_F, trans_vldst, VK_QUAD | VF_VR | VF_ALIGN),
	VLX("stvebx", 135, VEC_F, trans_lve, 0 | VF_STORE),
	VLX("stvehx", 167, VEC_F, trans_lve, 1 | VF_STORE),
	VLX("stvewx", 199, VEC_F, trans_lve, 2 | VF_STORE),
	VLX("stvx", 231, VEC_F, trans_vldst, VK_QUAD | VF_VR | VF_ALIGN | VF_STORE),
	VLX("lvxl", 359, VEC_F, trans_vldst, VK_QUAD | VF_VR | VF_ALIGN),
	VLX("stvxl", 487, VEC_F, trans_vldst, VK_QUAD | VF_VR | VF_ALIGN | VF_STORE),
	/* VSX loads and stores (X-form). */
	VLX("lxsiwzx", 12, VSX_F, trans_vldst, VK_SIWZ),
	VLX("lxsiwax", 76, VSX_F, trans_vldst, VK_SIWA),
	VLX("stxsiwx", 140, VSX_F, trans_vldst, VK_SIWZ | VF_STORE),
	VLX("lxvx", 268, VSX_F, trans_vldst, VK_QUAD),
	VLX("lxvl", 269, VSX_F, trans_lxvl, 0),
	VLX("lxvll", 301, VSX_F, trans_lxvl, 2),
	VLX("lxvdsx", 332, VSX_F, trans_vldst, VK_DSPLAT),
	VLX("lxvwsx", 364, VSX_F, trans_lxvwsx, 0),
	VLX("stxvl", 397, VSX_F, trans_lxvl, 1),
	VLX("stxvll", 429, VSX_F, trans_lxvl, 3),
	VLX("stxvx", 396, VSX_F, trans_vldst, VK_QUAD | VF_STORE),
	VLX("lxsdx", 588, VSX_F, trans_vldst, VK_SD),
	VLX("stxsdx", 716, VSX_F, trans_vldst, VK_SD | VF_STORE),
	VLX("lxvw4x", 780, VSX_F, trans_vldst, VK_W4),
	VLX("lxvd2x", 844, VSX_F, trans_vldst, VK_D2),
	VLX("lxvb16x", 876, VSX_F, trans_vldst, VK_B16),
	VLX("stxvw4x", 908, VSX_F, trans_vldst, VK_W4 | VF_STORE),
	VLX("stxvd2x", 972, VSX_F, trans_vldst, VK_D2 | VF_STORE),
	VLX("stxvb16x", 1004, VSX_F, trans_vldst, VK_B16 | VF_STORE),
	/* v3.0 DQ/DS-form: lxv, stxv (61, XO 1 / 5), lxsd, lxssp (57, XO 2/3),
	 * stxsd, stxssp (61, XO 2/3). */
	{ "lxv", PPC_OP(61) | 1, PPC_M_OP | 7, FORM_DS, VSX_F, R_VEC, trans_vldst,
	  VK_QUAD | VF_DQ },
	{ "stxv", PPC_OP(61) | 5, PPC_M_OP | 7, FORM_DS, VSX_F, R_VEC, trans_vldst,
	  VK_QUAD | VF_DQ | VF_STORE },
	{ "lxsd", PPC_OP(57) | 2, PPC_M_OP | 3, FORM_DS, VEC_F, R_VEC, trans_vldst, VK_SD | VF_DS },
	{ "lxssp", PPC_OP(57) | 3, PPC_M_OP | 3, FORM_DS, VEC_F, R_VEC, trans_vldst,
	  VK_SSP | VF_DS },
	{ "stxsd", PPC_OP(61) | 2, PPC_M_OP | 3, FORM_DS, VEC_F, R_VEC, trans_vldst,
	  VK_SD | VF_DS | VF_STORE },
	{ "stxssp", PPC_OP(61) | 3, PPC_M_OP | 3, FORM_DS, VEC_F, R_VEC, trans_vldst,
	  VK_SSP | VF_DS | VF_STORE },
	/* VSR <-> GPR (facility checked by the trans function). */
	VLX("mfvsrd", 51, 0, trans_vsr_move, MV_MFD),
	VLX("mfvsrwz", 115, 0, trans_vsr_move, MV_MFWZ),
	VLX("mtvsrd", 179, 0, trans_vsr_move, MV_MTD),
	VLX("mtvsrwa", 211, 0, trans_vsr_move, MV_MTWA),
	VLX("mtvsrwz", 243, 0, trans_vsr_move, MV_MTWZ),
	VLX("mfvsrld", 307, 0, trans_vsr_move, MV_MFLD),
	VLX("mtvsrws", 403, 0, trans_vsr_move, MV_MTWS),
	VLX("mtvsrdd", 435, 0, trans_vsr_move, MV_MTDD),

	/* VMX register operations (opcode 4). */
	/* VMX floating point. */
	VAF("vmaddfp", 46),
	VAF("vnmsubfp", 47),
	VXF("vaddfp", 10),
	VXF("vsubfp", 74),
	VXF("vrefp", 266),
	VXF("vrsqrtefp", 330),
	VXF("vexptefp", 394),
	VXF("vlogefp", 458),
	VXF("vrfin", 522),
	VXF("vrfiz", 586),
	VXF("vrfip", 650),
	VXF("vrfim", 714),
	VXF("vcfux", 778),
	VXF("vcfsx", 842),
	VXF("vctuxs", 906),
	VXF("vctsxs", 970),
	VXF("vmaxfp", 1034),
	VXF("vminfp", 1098),
	VCF("vcmpeqfp", 198),
	VCF("vcmpgefp", 454),
	VCF("vcmpgtfp", 710),
	VCF("vcmpbfp", 966),
	VA("vsel", 42),
	VA("vperm", 43),
	VA("vsldoi", 44),
	VA("vpermr", 59),
	VX("vaddubm", 0, 0),
	VX("vadduhm", 64, 0),
	VX("vadduwm", 128, 0),
	VX("vaddudm", 192, 0),
	VX("vsububm", 1024, 0),
	VX("vsubuhm", 1088, 0),
	VX("vsubuwm", 1152, 0),
	VX("vsubudm", 1216, 0),
	VX("vmaxub", 2, 0),
	VX("vmaxuh", 66, 0),
	VX("vmaxuw", 130, 0),
	VX("vmaxud", 194, 0),
	VX("vmaxsb", 258, 0),
	VX("vmaxsh", 322, 0),
	VX("vmaxsw", 386, 0),
	VX("vmaxsd", 450, 0),
	VX("vminub", 514, 0),
	VX("vminuh", 578, 0),
	VX("vminuw", 642, 0),
	VX("vminud", 706, 0),
	VX("vminsb", 770, 0),
	VX("vminsh", 834, 0),
	VX("vminsw", 898, 0),
	VX("vminsd", 962, 0),
	VX("vrlb", 4, 0),
	VX("vrlh", 68, 0),
	VX("vrlw", 132, 0),
	VX("vrld", 196, 0),
	VX("vslb", 260, 0),
	VX("vslh", 324, 0),
	VX("vslw", 388, 0),
	VX("vsld", 1476, 0),
	VX("vsrb", 516, 0),
	VX("vsrh", 580, 0),
	VX("vsrw", 644, 0),
	VX("vsrd", 1732, 0),
	VX("vsrab", 772, 0),
	VX("vsrah", 836, 0),
	VX("vsraw", 900, 0),
	VX("vsrad", 964, 0),
	VX("vsl", 452, 0),
	VX("vsr", 708, 0),
	VX("vslo", 1036, 0),
	VX("vsro", 1100, 0),
	VX("vand", 1028, 0),
	VX("vandc", 1092, 0),
	VX("vor", 1156, 0),
	VX("vxor", 1220, 0),
	VX("vnor", 1284, 0),
	VX("vorc", 1348, 0),
	VX("vnand", 1412, 0),
	VX("veqv", 1668, 0),
	VX("vmrghb", 12, 0),
	VX("vmrghh", 76, 0),
	VX("vmrghw", 140, 0),
	VX("vmrglb", 268, 0),
	VX("vmrglh", 332, 0),
	VX("vmrglw", 396, 0),
	VX("vspltb", 524, 0),
	VX("vsplth", 588, 0),
	VX("vspltw", 652, 0),
	VX("vspltisb", 780, 0),
	VX("vspltish", 844, 0),
	VX("vspltisw", 908, 0),
	VX("mfvscr", 1540, 0),
	VX("mtvscr", 1604, 0),
	VX("vclzb", 1794, 0),
	VX("vclzh", 1858, 0),
	VX("vclzw", 1922, 0),
	VX("vclzd", 1986, 0),
	VX("vpopcntb", 1795, 0),
	VX("vpopcnth", 1859, 0),
	VX("vpopcntw", 1923, 0),
	VX("vpopcntd", 1987, 0),
	VX("vgbbd", 1292, 0),
	VX("vbpermq", 1356, 0),
	{ "vclzlsbb", PPC_OP(4) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F, 0, trans_vmx,
	  4 },
	{ "vctzlsbb", PPC_OP(4) | (1u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 4 },
	VX("vaddubs", 512, 0),
	VX("vadduhs", 576, 0),
	VX("vadduws", 640, 0),
	VX("vaddsbs", 768, 0),
	VX("vaddshs", 832, 0),
	VX("vaddsws", 896, 0),
	VX("vsububs", 1536, 0),
	VX("vsubuhs", 1600, 0),
	VX("vsubuws", 1664, 0),
	VX("vsubsbs", 1792, 0),
	VX("vsubshs", 1856, 0),
	VX("vsubsws", 1920, 0),
	VX("vaddcuw", 384, 0),
	VX("vsubcuw", 1408, 0),
	VX("vadduqm", 256, 0),
	VX("vsubuqm", 1280, 0),
	VX("vaddcuq", 320, 0),
	VX("vsubcuq", 1344, 0),
	VX("vavgub", 1026, 0),
	VX("vavguh", 1090, 0),
	VX("vavguw", 1154, 0),
	VX("vavgsb", 1282, 0),
	VX("vavgsh", 1346, 0),
	VX("vavgsw", 1410, 0),
	VX("vabsdub", 1027, 0),
	VX("vabsduh", 1091, 0),
	VX("vabsduw", 1155, 0),
	VX("vmuloub", 8, 0),
	VX("vmulouh", 72, 0),
	VX("vmulouw", 136, 0),
	VX("vmulosb", 264, 0),
	VX("vmulosh", 328, 0),
	VX("vmulosw", 392, 0),
	VX("vmuleub", 520, 0),
	VX("vmuleuh", 584, 0),
	VX("vmuleuw", 648, 0),
	VX("vmulesb", 776, 0),
	VX("vmulesh", 840, 0),
	VX("vmulesw", 904, 0),
	VX("vmuluwm", 137, 0),
	VX("vsum4ubs", 1544, 0),
	VX("vsum4sbs", 1800, 0),
	VX("vsum4shs", 1608, 0),
	VX("vsum2sws", 1672, 0),
	VX("vsumsws", 1928, 0),
	VX("vpkuhum", 14, 0),
	VX("vpkuwum", 78, 0),
	VX("vpkudum", 1102, 0),
	VX("vpkuhus", 142, 0),
	VX("vpkuwus", 206, 0),
	VX("vpkudus", 1230, 0),
	VX("vpkshus", 270, 0),
	VX("vpkswus", 334, 0),
	VX("vpksdus", 1358, 0),
	VX("vpkshss", 398, 0),
	VX("vpkswss", 462, 0),
	VX("vpksdss", 1486, 0),
	VX("vupkhsb", 526, 0),
	VX("vupkhsh", 590, 0),
	VX("vupkhsw", 1614, 0),
	VX("vupklsb", 654, 0),
	VX("vupklsh", 718, 0),
	VX("vupklsw", 1742, 0),
	VX("vmrgew", 1932, 0),
	VX("vmrgow", 1676, 0),
	{ "vnegw", PPC_OP(4) | (6u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F, 0,
	  trans_vmx, 0 },
	{ "vnegd", PPC_OP(4) | (7u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F, 0,
	  trans_vmx, 0 },
	{ "vprtybw", PPC_OP(4) | (8u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 0 },
	{ "vprtybd", PPC_OP(4) | (9u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 0 },
	{ "vprtybq", PPC_OP(4) | (10u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 0 },
	{ "vextsb2w", PPC_OP(4) | (16u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 0 },
	{ "vextsh2w", PPC_OP(4) | (17u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 0 },
	{ "vextsb2d", PPC_OP(4) | (24u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 0 },
	{ "vextsh2d", PPC_OP(4) | (25u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 0 },
	{ "vextsw2d", PPC_OP(4) | (26u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F,
	  0, trans_vmx, 0 },
	{ "vctzb", PPC_OP(4) | (28u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F, 0,
	  trans_vmx, 0 },
	{ "vctzh", PPC_OP(4) | (29u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F, 0,
	  trans_vmx, 0 },
	{ "vctzw", PPC_OP(4) | (30u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F, 0,
	  trans_vmx, 0 },
	{ "vctzd", PPC_OP(4) | (31u << 16) | 1538, PPC_M_OP | 0x7ff | (31u << 16), FORM_X, VEC_F, 0,
	  trans_vmx, 0 },
	VX("vextublx", 1549, 4),
	VX("vextubrx", 1805, 4),
	VC("vcmpequb", 6),
	VC("vcmpequh", 70),
	VC("vcmpequw", 134),
	VC("vcmpequd", 199),
	VC("vcmpgtub", 518),
	VC("vcmpgtuh", 582),
	VC("vcmpgtuw", 646),
	VC("vcmpgtud", 711),
	VC("vcmpgtsb", 774),
	VC("vcmpgtsh", 838),
	VC("vcmpgtsw", 902),
	VC("vcmpgtsd", 967),
	VC("vcmpneb", 7),
	VC("vcmpneh", 71),
	VC("vcmpnew", 135),
	VC("vcmpnezb", 263),
	VC("vcmpnezh", 327),
	VC("vcmpnezw", 391),

	/* VSX register operations (opcode 60). */
	XX3("xxland", 130),
	XX3("xxlandc", 138),
	XX3("xxlor", 146),
	XX3("xxlxor", 154),
	XX3("xxlnor", 162),
	XX3("xxlorc", 170),
	XX3("xxlnand", 178),
	XX3("xxleqv", 186),
	XX3("xvcpsgnsp", 208),
	XX3("xvcpsgndp", 240),
	{ "xvabssp", PPC_OP(60) | (409u << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	{ "xvnabssp", PPC_OP(60) | (425u << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	{ "xvnegsp", PPC_OP(60) | (441u << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	{ "xvabsdp", PPC_OP(60) | (473u << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	{ "xvnabsdp", PPC_OP(60) | (489u << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	{ "xvnegdp", PPC_OP(60) | (505u << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	XX3("xxmrghw", 18),
	XX3("xxmrglw", 50),
	{ "xxpermdi", PPC_OP(60) | (0x0au << 3), PPC_M_OP | (0x9fu << 3), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	{ "xxsldwi", PPC_OP(60) | (0x02u << 3), PPC_M_OP | (0x9fu << 3), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	{ "xxspltw", PPC_OP(60) | (164u << 2), PPC_M_OP | (0x1ffu << 2), FORM_X, VSX_F, 0,
	  trans_vsx, 0 },
	{ "xxspltib", PPC_OP(60) | (360u << 1), PPC_M_OP | (0x3ffu << 1) | (3u << 19), FORM_X,
	  VSX_F, 0, trans_vsx, 0 },
	{ "xxbrh", PPC_OP(60) | (475u << 2) | (7u << 16), PPC_M_OP | (0x1ffu << 2) | (31u << 16),
	  FORM_X, VSX_F, 0, trans_vsx, 0 },
	{ "xxbrw", PPC_OP(60) | (475u << 2) | (15u << 16), PPC_M_OP | (0x1ffu << 2) | (31u << 16),
	  FORM_X, VSX_F, 0, trans_vsx, 0 },
	{ "xxbrd", PPC_OP(60) | (475u << 2) | (23u << 16), PPC_M_OP | (0x1ffu << 2) | (31u << 16),
	  FORM_X, VSX_F, 0, trans_vsx, 0 },
	{ "xxbrq", PPC_OP(60) | (475u << 2) | (31u << 16), PPC_M_OP | (0x1ffu << 2) | (31u << 16),
	  FORM_X, VSX_F, 0, trans_vsx, 0 },
	/* VSX scalar floating point. */
	XSF3("xsaddsp", 0),
	XSF3("xsmaddasp", 1),
	XSF3("xssubsp", 8),
	XSF3("xsmaddmsp", 9),
	XSF3("xsmulsp", 16),
	XSF3("xsmsubasp", 17),
	XSF3("xsdivsp", 24),
	XSF3("xsmsubmsp", 25),
	XSF3("xsadddp", 32),
	XSF3("xsmaddadp", 33),
	XSF3("xscmpudp", 35),
	XSF3("xssubdp", 40),
	XSF3("xsmaddmdp", 41),
	XSF3("xscmpodp", 43),
	XSF3("xsmuldp", 48),
	XSF3("xsmsubadp", 49),
	XSF3("xsdivdp", 56),
	XSF3("xsmsubmdp", 57),
	XSF3("xsnmaddasp", 129),
	XSF3("xsnmaddmsp", 137),
	XSF3("xsnmsubasp", 145),
	XSF3("xsnmsubmsp", 153),
	XSF3("xsmaxdp", 160),
	XSF3("xsnmaddadp", 161),
	XSF3("xsmindp", 168),
	XSF3("xsnmaddmdp", 169),
	XSF3("xscpsgndp", 176),
	XSF3("xsnmsubadp", 177),
	XSF3("xsnmsubmdp", 185),
	XSF2("xsrsqrtesp", 10),
	XSF2("xssqrtsp", 11),
	XSF2("xsresp", 26),
	XSF2("xscvdpuxws", 72),
	XSF2("xsrdpi", 73),
	XSF2("xsrsqrtedp", 74),
	XSF2("xssqrtdp", 75),
	XSF2("xscvdpsxws", 88),
	XSF2("xsrdpiz", 89),
	XSF2("xsredp", 90),
	XSF2("xsrdpip", 105),
	XSF2("xsrdpic", 107),
	XSF2("xsrdpim", 121),
	XSF2("xscvdpsp", 265),
	XSF2("xscvdpspn", 267),
	XSF2("xsrsp", 281),
	XSF2("xscvuxdsp", 296),
	XSF2("xscvsxdsp", 312),
	XSF2("xscvdpuxds", 328),
	XSF2("xscvspdp", 329),
	XSF2("xscvspdpn", 331),
	XSF2("xscvdpsxds", 344),
	XSF2("xsabsdp", 345),
	XSF2("xscvuxddp", 360),
	XSF2("xsnabsdp", 361),
	XSF2("xscvsxddp", 376),
	XSF2("xsnegdp", 377),
	/* VSX vector single precision (each word as the xs*sp instruction). */
	XVF3("xvaddsp", 64),
	XVF3("xvmaddasp", 65),
	XVF3("xvsubsp", 72),
	XVF3("xvmaddmsp", 73),
	XVF3("xvmulsp", 80),
	XVF3("xvmsubasp", 81),
	XVF3("xvdivsp", 88),
	XVF3("xvmsubmsp", 89),
	XVF3("xvmaxsp", 192),
	XVF3("xvnmaddasp", 193),
	XVF3("xvminsp", 200),
	XVF3("xvnmaddmsp", 201),
	XVF3("xvnmsubasp", 209),
	XVF3("xvnmsubmsp", 217),
	XVCMP("xvcmpeqsp", 67),
	XVCMP("xvcmpgtsp", 75),
	XVCMP("xvcmpgesp", 83),
	XVF2("xvrspi", 137),
	XVF2("xvsqrtsp", 139),
	XVF2("xvrspiz", 153),
	XVF2("xvrspip", 169),
	XVF2("xvrspic", 171),
	XVF2("xvrspim", 185),
	XVF2("xvcvuxwsp", 168),
	XVF2("xvcvsxwsp", 184),
	XVF2("xvcvspuxws", 136),
	XVF2("xvcvspsxws", 152),
	XVF2("xvrsqrtesp", 138),
	XVF2("xvresp", 154),
	/* VSX conversions between element sizes. */
	XVF2("xvcvdpuxws", 200),
	XVF2("xvcvdpsxws", 216),
	XVF2("xvcvuxwdp", 232),
	XVF2("xvcvsxwdp", 248),
	XVF2("xvcvspuxds", 392),
	XVF2("xvcvdpsp", 393),
	XVF2("xvcvspsxds", 408),
	XVF2("xvcvuxdsp", 424),
	XVF2("xvcvsxdsp", 440),
	XVF2("xvcvspdp", 457),
	/* VSX vector double precision. */
	XVF3("xvadddp", 96),
	XVF3("xvmaddadp", 97),
	XVF3("xvsubdp", 104),
	XVF3("xvmaddmdp", 105),
	XVF3("xvmuldp", 112),
	XVF3("xvmsubadp", 113),
	XVF3("xvdivdp", 120),
	XVF3("xvmsubmdp", 121),
	XVF3("xvmaxdp", 224),
	XVF3("xvnmaddadp", 225),
	XVF3("xvmindp", 232),
	XVF3("xvnmaddmdp", 233),
	XVF3("xvnmsubadp", 241),
	XVF3("xvnmsubmdp", 249),
	XVCMP("xvcmpeqdp", 99),
	XVCMP("xvcmpgtdp", 107),
	XVCMP("xvcmpgedp", 115),
	XVF2("xvrdpi", 201),
	XVF2("xvsqrtdp", 203),
	XVF2("xvrdpiz", 217),
	XVF2("xvrdpip", 233),
	XVF2("xvrdpic", 235),
	XVF2("xvrdpim", 249),
	XVF2("xvrsqrtedp", 202),
	XVF2("xvredp", 218),
	XVF2("xvcvdpuxds", 456),
	XVF2("xvcvdpsxds", 472),
	XVF2("xvcvuxddp", 488),
	XVF2("xvcvsxddp", 504),
	{ "xxsel", PPC_OP(60) | (3u << 4), PPC_M_OP | (3u << 4), FORM_X, VSX_F, 0, trans_vsx, 0 },
};
const size_t ppc_n_opcodes_vec = SV_ARRAY_SIZE(ppc_opcodes_vec);
