/*
 * Fixed-point loads and stores (Power ISA v3.0 Book I 3.3.2-3.3.6), the
 * load-and-reserve / store-conditional pairs (Book II 4.4.2) and the cache
 * management instructions (Book II 4.3).
 *
 * Byte order: MSR[LE] selects the order of every data access; the
 * byte-reversed forms (lwbrx, ...) use the other one. The access goes through
 * QLD/QST with the data mmu index (PPC_MMU_* chosen from MSR[DR,PR,HV]), so
 * a missing translation or a gpa absent from the p2m raises DSI / HDSI from
 * the MMU slow path.
 *
 * Update forms (lwzu, ...) write EA to RA after the access; the invalid forms
 * (RA = 0, or RA = RT for loads) are executed the same way.
 */
#include "cpu/ppc/translate.h"

/* arg layout for load/store rows: memop (size, sign) | flags. */
enum {
	LS_UPDATE = 0x100,
	LS_STORE = 0x200,
	LS_BREV = 0x400, /* byte-reversed */
	LS_X = 0x800,    /* X-form EA = (RA|0) + (RB) */
	LS_DS = 0x1000,  /* DS-form: displacement low 2 bits are the XO */
};

static unsigned ppc_memop(struct ppc_dc *dc, unsigned arg)
{
	unsigned mo = arg & (IR_MO_SIZE | IR_MO_SIGN);
	unsigned be = dc->mo_endian;
	if (arg & LS_BREV)
		be ^= IR_MO_BE;
	return mo | be;
}

static void trans_ldst(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	unsigned arg = dc->op->arg;
	unsigned rt = ppc_rt(i), ra = ppc_ra(i);
	unsigned mo = ppc_memop(dc, arg);
	ir_temp ea;

	if (arg & LS_X)
		ea = ppc_gen_ea_x(dc, ra, ppc_rb(i));
	else if (arg & LS_DS)
		ea = ppc_gen_ea_d(dc, ra, sv_sext(i & 0xfffc, 16));
	else
		ea = ppc_gen_ea_d(dc, ra, ppc_simm(i));

	if (arg & LS_STORE) {
		ir_qst(dc->f, mo, dc->mem_idx, ea, 0, ppc_ld_gpr(dc, rt));
	} else {
		ir_temp v = ir_qld(dc->f, mo, dc->mem_idx, ea, 0);
		ppc_st_gpr(dc, rt, v);
	}
	if (arg & LS_UPDATE)
		ppc_st_gpr(dc, ra, ea);
}

/* lmw / stmw: words RT..31 at EA, EA+4, ... */
static void trans_lstmw(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	unsigned mo = IR_MO_32 | dc->mo_endian;
	ir_temp ea = ppc_gen_ea_d(dc, ppc_ra(i), ppc_simm(i));

	for (unsigned r = ppc_rt(i); r < 32; r++) {
		ir_temp a = ppc_narrow_ea(dc, ir_addi(dc->f, ea, 4 * (r - ppc_rt(i))));
		if (dc->op->arg)
			ir_qst(dc->f, mo, dc->mem_idx, a, 0, ppc_ld_gpr(dc, r));
		else
			ppc_st_gpr(dc, r, ir_qld(dc->f, mo, dc->mem_idx, a, 0));
	}
}

/* lbarx/lharx/lwarx/ldarx: arg = memop size. */
static void trans_larx(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp ea = ppc_gen_ea_x(dc, ppc_ra(i), ppc_rb(i));
	ir_temp mo = ir_movi(dc->f, dc->op->arg | dc->mo_endian);
	ir_temp idx = ir_movi(dc->f, dc->mem_idx);
	ir_temp v = ir_call(dc->f, ppc_helper_larx, ea, mo, idx, IR_NO_TEMP);
	ppc_st_gpr(dc, ppc_rt(i), v);
}

/* stbcx./sthcx./stwcx./stdcx.: the helper returns the new CR0. */
static void trans_stcx(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp ea = ppc_gen_ea_x(dc, ppc_ra(i), ppc_rb(i));
	ir_temp mo = ir_movi(dc->f, dc->op->arg | dc->mo_endian);
	ir_temp idx = ir_movi(dc->f, dc->mem_idx);
	ir_temp cr0 = ir_call(dc->f, ppc_helper_stcx, ea, ppc_ld_gpr(dc, ppc_rt(i)), mo, idx);
	ir_st_env(dc->f, 3, PPC_OFF_CRF(0), cr0);
}

/* dcbt, dcbtst, dcbst, dcbf, and the VMX data stream hints dst, dstst, dss
 * and dssall (Book II 4.3.2 / VMX): hints / no-ops for a coherent emulated
 * memory without a prefetcher. */
static void trans_cache_nop(struct ppc_dc *dc)
{
	(void)dc;
}

static void trans_dcbz(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp ea = ppc_gen_ea_x(dc, ppc_ra(i), ppc_rb(i));
	ir_call(dc->f, ppc_helper_dcbz, ea, ir_movi(dc->f, dc->mem_idx), IR_NO_TEMP, IR_NO_TEMP);
}

/* icbi: invalidate the TBs of the block's page; the TB ends so a following
 * isync-free sequence still sees new code. */
static void trans_icbi(struct ppc_dc *dc)
{
	uint32_t i = dc->insn;
	ir_temp ea = ppc_gen_ea_x(dc, ppc_ra(i), ppc_rb(i));
	ir_call(dc->f, ppc_helper_icbi, ea, ir_movi(dc->f, dc->mem_idx), IR_NO_TEMP, IR_NO_TEMP);
	ppc_gen_end_tb(dc);
}

#define LD(name, po, arg)                                                                          \
	{                                                                                          \
		name, PPC_OP(po), PPC_M_OP, FORM_D, 0, RAISES_DSI, trans_ldst, arg                 \
	}
#define LDX(name, xo, arg)                                                                         \
	{                                                                                          \
		name, PPC_XO10(31, xo), PPC_M_XO10 | 1, FORM_X, 0, RAISES_DSI, trans_ldst,         \
			(arg) | LS_X                                                               \
	}
#define DS(name, po, xo, arg)                                                                      \
	{                                                                                          \
		name, PPC_OP(po) | (xo), PPC_M_OP | 3, FORM_DS, PPC_F_64, RAISES_DSI, trans_ldst,  \
			(arg) | LS_DS                                                              \
	}

const struct ppc_opcode ppc_opcodes_ldst[] = {
	LD("lwz", 32, IR_MO_32),
	LD("lwzu", 33, IR_MO_32 | LS_UPDATE),
	LD("lbz", 34, IR_MO_8),
	LD("lbzu", 35, IR_MO_8 | LS_UPDATE),
	LD("stw", 36, IR_MO_32 | LS_STORE),
	LD("stwu", 37, IR_MO_32 | LS_STORE | LS_UPDATE),
	LD("stb", 38, IR_MO_8 | LS_STORE),
	LD("stbu", 39, IR_MO_8 | LS_STORE | LS_UPDATE),
	LD("lhz", 40, IR_MO_16),
	LD("lhzu", 41, IR_MO_16 | LS_UPDATE),
	LD("lha", 42, IR_MO_16 | IR_MO_SIGN),
	LD("lhau", 43, IR_MO_16 | IR_MO_SIGN | LS_UPDATE),
	LD("sth", 44, IR_MO_16 | LS_STORE),
	LD("sthu", 45, IR_MO_16 | LS_STORE | LS_UPDATE),
	{ "lmw", PPC_OP(46), PPC_M_OP, FORM_D, 0, RAISES_DSI, trans_lstmw, 0 },
	{ "stmw", PPC_OP(47), PPC_M_OP, FORM_D, 0, RAISES_DSI, trans_lstmw, 1 },
	DS("ld", 58, 0, IR_MO_64),
	DS("ldu", 58, 1, IR_MO_64 | LS_UPDATE),
	DS("lwa", 58, 2, IR_MO_32 | IR_MO_SIGN),
	DS("std", 62, 0, IR_MO_64 | LS_STORE),
	DS("stdu", 62, 1, IR_MO_64 | LS_STORE | LS_UPDATE),

	LDX("ldx", 21, IR_MO_64),
	LDX("lwzx", 23, IR_MO_32),
	LDX("ldux", 53, IR_MO_64 | LS_UPDATE),
	LDX("lwzux", 55, IR_MO_32 | LS_UPDATE),
	LDX("lbzx", 87, IR_MO_8),
	LDX("lbzux", 119, IR_MO_8 | LS_UPDATE),
	LDX("stdx", 149, IR_MO_64 | LS_STORE),
	LDX("stwx", 151, IR_MO_32 | LS_STORE),
	LDX("stdux", 181, IR_MO_64 | LS_STORE | LS_UPDATE),
	LDX("stwux", 183, IR_MO_32 | LS_STORE | LS_UPDATE),
	LDX("stbx", 215, IR_MO_8 | LS_STORE),
	LDX("stbux", 247, IR_MO_8 | LS_STORE | LS_UPDATE),
	LDX("lhzx", 279, IR_MO_16),
	LDX("lhzux", 311, IR_MO_16 | LS_UPDATE),
	LDX("lwax", 341, IR_MO_32 | IR_MO_SIGN),
	LDX("lhax", 343, IR_MO_16 | IR_MO_SIGN),
	LDX("lwaux", 373, IR_MO_32 | IR_MO_SIGN | LS_UPDATE),
	LDX("lhaux", 375, IR_MO_16 | IR_MO_SIGN | LS_UPDATE),
	LDX("sthx", 407, IR_MO_16 | LS_STORE),
	LDX("sthux", 439, IR_MO_16 | LS_STORE | LS_UPDATE),
	LDX("ldbrx", 532, IR_MO_64 | LS_BREV),
	LDX("lwbrx", 534, IR_MO_32 | LS_BREV),
	LDX("stdbrx", 660, IR_MO_64 | LS_STORE | LS_BREV),
	LDX("stwbrx", 662, IR_MO_32 | LS_STORE | LS_BREV),
	LDX("lhbrx", 790, IR_MO_16 | LS_BREV),
	LDX("sthbrx", 918, IR_MO_16 | LS_STORE | LS_BREV),

	/* EH hint bit (31) is ignored on the larx forms. */
	{ "lwarx", PPC_XO10(31, 20), PPC_M_XO10, FORM_X, 0, RAISES_DSI, trans_larx, IR_MO_32 },
	{ "lbarx", PPC_XO10(31, 52), PPC_M_XO10, FORM_X, 0, RAISES_DSI, trans_larx, IR_MO_8 },
	{ "ldarx", PPC_XO10(31, 84), PPC_M_XO10, FORM_X, PPC_F_64, RAISES_DSI, trans_larx,
	  IR_MO_64 },
	{ "lharx", PPC_XO10(31, 116), PPC_M_XO10, FORM_X, 0, RAISES_DSI, trans_larx, IR_MO_16 },
	{ "stwcx.", PPC_XO10(31, 150) | 1, PPC_M_XO10 | 1, FORM_X, 0, RAISES_DSI, trans_stcx,
	  IR_MO_32 },
	{ "stdcx.", PPC_XO10(31, 214) | 1, PPC_M_XO10 | 1, FORM_X, PPC_F_64, RAISES_DSI, trans_stcx,
	  IR_MO_64 },
	{ "stbcx.", PPC_XO10(31, 694) | 1, PPC_M_XO10 | 1, FORM_X, 0, RAISES_DSI, trans_stcx,
	  IR_MO_8 },
	{ "sthcx.", PPC_XO10(31, 726) | 1, PPC_M_XO10 | 1, FORM_X, 0, RAISES_DSI, trans_stcx,
	  IR_MO_16 },

	{ "dcbst", PPC_XO10(31, 54), PPC_M_XO10, FORM_X, 0, 0, trans_cache_nop, 0 },
	{ "dcbf", PPC_XO10(31, 86), PPC_M_XO10, FORM_X, 0, 0, trans_cache_nop, 0 },
	{ "dcbtst", PPC_XO10(31, 246), PPC_M_XO10, FORM_X, 0, 0, trans_cache_nop, 0 },
	{ "dcbt", PPC_XO10(31, 278), PPC_M_XO10, FORM_X, 0, 0, trans_cache_nop, 0 },
	{ "dst", PPC_XO10(31, 342), PPC_M_XO10, FORM_X, 0, 0, trans_cache_nop, 0 },
	{ "dstst", PPC_XO10(31, 374), PPC_M_XO10, FORM_X, 0, 0, trans_cache_nop, 0 },
	{ "dss", PPC_XO10(31, 822), PPC_M_XO10, FORM_X, 0, 0, trans_cache_nop, 0 },
	{ "icbi", PPC_XO10(31, 982), PPC_M_XO10, FORM_X, PPC_F_END, RAISES_DSI, trans_icbi, 0 },
	{ "dcbz", PPC_XO10(31, 1014), PPC_M_XO10, FORM_X, 0, RAISES_DSI, trans_dcbz, 0 },
};
const size_t ppc_n_opcodes_ldst = SV_ARRAY_SIZE(ppc_opcodes_ldst);
