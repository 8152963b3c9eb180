/*
 * x86 translation: one decoded instruction (decode.c) to IR.
 *
 * Conventions:
 *  - Guest registers live in struct cpu_x86 and are loaded/stored around each
 *    instruction (no caching across instructions), so helpers and faults see
 *    an exact state at every instruction boundary.
 *  - Within an instruction, every memory access that can fault comes before
 *    the first register or flag write, so a fault leaves the instruction
 *    unexecuted (SDM 6.5: faults are restartable).
 *  - RIP is stored only when a TB ends; inside a TB the backend tracks the
 *    instruction pc (cpu.insn_pc, a linear address) for faults, and helpers
 *    that can exit receive the RIP and length of their instruction.
 *  - Lazy flags: see cpu_x86.h. The translator remembers the last cc_op it
 *    emitted in this TB (c->tr_cc_op) so Jcc/SETcc/CMOVcc after CMP/SUB/TEST
 *    compare the recorded operands inline instead of calling a helper (and
 *    JE/JNE/JS/JNS after any other arithmetic op test the recorded result).
 *
 * Example: `jne 1f` after `cmp %ecx, %eax` becomes
 *     t0 = ld_env64 [cc_dst] ; t1 = setcond ne t0, 0 ; brcond ne t1, 0, L1
 *     st_env64 [rip], next ; goto_tb 0 ; L1: st_env64 [rip], target ; goto_tb 1
 */
#include <glib.h>

#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/decode.h"
#include "cpu/x86/helpers.h"
#include "cpu/x86/translate.h"

/* ---- small IR utilities ---------------------------------------------------- */

static ir_temp x86_zext(struct ir_func *f, ir_temp t, unsigned sz)
{
	static const enum ir_opcode ops[3] = { IR_EXT8U, IR_EXT16U, IR_EXT32U };
	return sz >= 3 ? t : ir_op1(f, ops[sz], t);
}

static ir_temp x86_sext(struct ir_func *f, ir_temp t, unsigned sz)
{
	static const enum ir_opcode ops[3] = { IR_EXT8S, IR_EXT16S, IR_EXT32S };
	return sz >= 3 ? t : ir_op1(f, ops[sz], t);
}

ir_temp x86_call(struct x86_dc *dc, ir_helper_fn fn, ir_temp a, ir_temp b, ir_temp c, ir_temp e)
{
	return ir_call(dc->f, fn, a, b, c, e);
}

ir_temp x86_imm(struct x86_dc *dc, uint64_t v)
{
	return ir_movi(dc->f, v);
}

/* ---- registers ------------------------------------------------------------- */

ir_temp x86_get_reg(struct x86_dc *dc, unsigned r, unsigned sz)
{
	struct ir_func *f = dc->f;
	if (sz == 0 && !dc->in.rex && r >= 4 && r < 8) {
		ir_temp t = ir_ld_env(f, 3, X86_ENV_REG(r - 4));
		return ir_op1(f, IR_EXT8U, ir_shri(f, t, 8)); /* AH CH DH BH */
	}
	ir_temp t = ir_ld_env(f, 3, X86_ENV_REG(r));
	return x86_zext(f, t, sz);
}

/* SDM 3.4.1.1: 32-bit results zero-extend, 8/16-bit results merge. */
void x86_set_reg(struct x86_dc *dc, unsigned r, unsigned sz, ir_temp v)
{
	struct ir_func *f = dc->f;
	if (sz == 3) {
		ir_st_env(f, 3, X86_ENV_REG(r), v);
		return;
	}
	if (sz == 2) {
		ir_st_env(f, 3, X86_ENV_REG(r), ir_op1(f, IR_EXT32U, v));
		return;
	}
	uint64_t mask = sz == 1 ? 0xffff : 0xff;
	unsigned shift = 0;
	if (sz == 0 && !dc->in.rex && r >= 4 && r < 8) {
		r -= 4;
		shift = 8;
	}
	ir_temp old = ir_ld_env(f, 3, X86_ENV_REG(r));
	ir_temp lo = ir_andi(f, v, mask);
	if (shift)
		lo = ir_shli(f, lo, shift);
	ir_temp merged = ir_or(f, ir_andi(f, old, ~(mask << shift)), lo);
	ir_st_env(f, 3, X86_ENV_REG(r), merged);
}

/* ---- RIP and control flow --------------------------------------------------- */

/* The RIP value of a linear code address (CS.base is 0 in 64-bit mode). */
ir_temp x86_rip_of(struct x86_dc *dc, uint64_t lin)
{
	if (dc->code64)
		return x86_imm(dc, lin);
	ir_temp base = ir_ld_env(dc->f, 3, X86_ENV_SEG(X86_SEG_CS, base));
	return ir_op1(dc->f, IR_EXT32U, ir_sub(dc->f, x86_imm(dc, lin), base));
}

static void x86_store_rip(struct x86_dc *dc, uint64_t lin)
{
	ir_st_env(dc->f, 3, X86_ENV(rip), x86_rip_of(dc, lin));
}

static void x86_gen_jump(struct x86_dc *dc, uint64_t lin, unsigned slot)
{
	x86_store_rip(dc, lin);
	ir_goto_tb(dc->f, slot);
}

/* End the TB after this instruction without chaining (state changed). */
void x86_end_tb(struct x86_dc *dc)
{
	x86_store_rip(dc, dc->in.next);
	ir_exit_tb(dc->f);
	dc->tr->stop = true;
}

/* Jump to a RIP held in a temp (indirect branches, returns). */
static void x86_jump_temp(struct x86_dc *dc, ir_temp rip)
{
	ir_st_env(dc->f, 3, X86_ENV(rip), rip);
	ir_exit_tb(dc->f);
	dc->tr->stop = true;
}

ir_temp x86_cur_rip(struct x86_dc *dc)
{
	return x86_rip_of(dc, dc->in.pc);
}
ir_temp x86_len(struct x86_dc *dc)
{
	return x86_imm(dc, dc->in.len);
}

/* Raise an exception for this instruction (fault: RIP = this insn). */
void x86_gen_raise(struct x86_dc *dc, unsigned vector, bool has_err, uint32_t err)
{
	uint64_t v = vector | (X86_EVENT_HW_EXC << 8) | (has_err ? 1u << 16 : 0);
	x86_call(dc, x86_helper_raise, x86_imm(dc, v), x86_imm(dc, err), x86_cur_rip(dc),
		 x86_len(dc));
	x86_end_tb(dc);
}

void x86_gen_ud(struct x86_dc *dc)
{
	if (!dc->c->logged_ud) {
		dc->c->logged_ud = true;
		g_debug("x86: #UD for opcode %s%02x at 0x%" G_GINT64_MODIFIER "x",
			dc->in.map ? "0f " : "", dc->in.opcode, dc->in.pc);
	}
	x86_gen_raise(dc, X86_EXC_UD, false, 0);
}

/* ---- memory operands -------------------------------------------------------- */

/* Effective address (offset within the segment), SDM 3.7.5. */
static ir_temp x86_gen_ea(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	const struct x86_insn *in = &dc->in;
	ir_temp t;
	if (in->rip_rel) {
		t = x86_imm(dc, in->next + (uint64_t)in->disp);
	} else {
		t = in->base >= 0 ? x86_get_reg(dc, (unsigned)in->base, 3) : x86_imm(dc, 0);
		if (in->index >= 0) {
			ir_temp ix = x86_get_reg(dc, (unsigned)in->index, 3);
			t = ir_add(f, t, in->scale ? ir_shli(f, ix, in->scale) : ix);
		}
		if (in->disp)
			t = ir_addi(f, t, (uint64_t)in->disp);
	}
	return x86_zext(f, t, in->addr_size);
}

/* Linear address of offset ea in segment seg (SDM 3.4.2; in 64-bit mode
 * only FS and GS have a base, SDM 3.2.4). */
ir_temp x86_linear(struct x86_dc *dc, ir_temp ea, int seg)
{
	struct ir_func *f = dc->f;
	if (dc->code64) {
		if (seg == X86_SEG_FS || seg == X86_SEG_GS)
			return ir_add(f, ea, ir_ld_env(f, 3, X86_ENV_SEG(seg, base)));
		return ea;
	}
	ir_temp base = ir_ld_env(f, 3, X86_ENV_SEG(seg, base));
	return ir_op1(f, IR_EXT32U, ir_add(f, ea, base));
}

/* The linear address of offset off in segment seg, for an access; if the
 * segment is not flat it is remembered for the checks of the accesses at
 * that address (x86_seg_check). */
ir_temp x86_seg_linear(struct x86_dc *dc, ir_temp off, int seg)
{
	ir_temp lin = x86_linear(dc, off, seg);
	if ((dc->seg_checked >> seg) & 1) {
		struct x86_lim *l = &dc->lim[dc->n_lim++ % G_N_ELEMENTS(dc->lim)];
		*l = (struct x86_lim){ lin, off, (unsigned)seg };
	}
	return lin;
}

static ir_temp x86_operand_linear(struct x86_dc *dc, ir_temp off)
{
	return x86_seg_linear(dc, off, dc->in.seg);
}

ir_temp x86_mem_addr(struct x86_dc *dc)
{
	if (!dc->ea_valid) {
		dc->ea = x86_operand_linear(dc, x86_gen_ea(dc));
		dc->ea_valid = true;
	}
	return dc->ea;
}

static ir_temp x86_moffs_addr(struct x86_dc *dc)
{
	ir_temp off = x86_zext(dc->f, x86_imm(dc, (uint64_t)dc->in.imm), dc->in.addr_size);
	return x86_operand_linear(dc, off);
}

/*
 * The segment checks (seg.c) of an access of `bytes` bytes at linear address
 * addr, if addr was computed by x86_seg_linear through a segment that is not
 * flat; nothing for flat segments and in 64-bit mode.
 */
void x86_seg_check(struct x86_dc *dc, ir_temp addr, unsigned bytes, bool write)
{
	unsigned n = dc->n_lim < G_N_ELEMENTS(dc->lim) ? dc->n_lim : G_N_ELEMENTS(dc->lim);
	for (unsigned i = 0; i < n; i++) {
		const struct x86_lim *l = &dc->lim[i];
		if (l->lin != addr)
			continue;
		uint64_t info = l->seg | (write ? X86_SEG_CHECK_WRITE : 0) | ((uint64_t)bytes << 8);
		x86_call(dc, x86_helper_seg_check, l->off, x86_imm(dc, info), IR_NO_TEMP,
			 IR_NO_TEMP);
		return;
	}
}

ir_temp x86_qld(struct x86_dc *dc, ir_temp addr, unsigned sz)
{
	x86_seg_check(dc, addr, 1u << sz, false);
	return ir_qld(dc->f, sz, dc->mmu_idx, addr, 0);
}

void x86_qst(struct x86_dc *dc, ir_temp addr, unsigned sz, ir_temp v)
{
	x86_seg_check(dc, addr, 1u << sz, true);
	ir_qst(dc->f, sz, dc->mmu_idx, addr, 0, v);
}

static bool x86_opd_is_mem(const struct x86_dc *dc, unsigned kind)
{
	return ((kind == OPD_E || kind == OPD_M) && dc->in.mod != 3) || kind == OPD_O;
}

static unsigned x86_opcode_reg(const struct x86_dc *dc)
{
	return (dc->in.opcode & 7) | ((dc->in.rex & 1) << 3);
}

/* Load operand `kind` at size sz (zero-extended). */
ir_temp x86_ld_opd(struct x86_dc *dc, unsigned kind, unsigned sz)
{
	const struct x86_insn *in = &dc->in;
	switch (kind) {
	case OPD_E:
	case OPD_M:
	case OPD_R:
		if (in->mod == 3 || kind == OPD_R)
			return x86_get_reg(dc, in->rm, sz);
		return x86_qld(dc, x86_mem_addr(dc), sz);
	case OPD_G: return x86_get_reg(dc, in->reg, sz);
	case OPD_I: return x86_imm(dc, (uint64_t)in->imm & sv_mask(8u << sz));
	case OPD_Z: return x86_get_reg(dc, x86_opcode_reg(dc), sz);
	case OPD_AX: return x86_get_reg(dc, X86_RAX, sz);
	case OPD_ONE: return x86_imm(dc, 1);
	case OPD_CL: return x86_get_reg(dc, X86_RCX, 0);
	case OPD_O: return x86_qld(dc, x86_moffs_addr(dc), sz);
	case OPD_V: return x86_get_reg(dc, in->vex_v, sz);
	default: return x86_imm(dc, 0);
	}
}

void x86_st_opd(struct x86_dc *dc, unsigned kind, unsigned sz, ir_temp v)
{
	const struct x86_insn *in = &dc->in;
	switch (kind) {
	case OPD_E:
	case OPD_M:
	case OPD_R:
		if (in->mod == 3 || kind == OPD_R)
			x86_set_reg(dc, in->rm, sz, v);
		else
			x86_qst(dc, x86_mem_addr(dc), sz, v);
		break;
	case OPD_G: x86_set_reg(dc, in->reg, sz, v); break;
	case OPD_Z: x86_set_reg(dc, x86_opcode_reg(dc), sz, v); break;
	case OPD_AX: x86_set_reg(dc, X86_RAX, sz, v); break;
	case OPD_O: x86_qst(dc, x86_moffs_addr(dc), sz, v); break;
	case OPD_V: x86_set_reg(dc, in->vex_v, sz, v); break;
	default: break;
	}
}

/* ---- stack ------------------------------------------------------------------ */

static ir_temp x86_stack_linear(struct x86_dc *dc, ir_temp sp)
{
	if (dc->code64)
		return sp;
	return x86_seg_linear(dc, sp, X86_SEG_SS);
}

static void x86_set_sp(struct x86_dc *dc, ir_temp sp)
{
	x86_set_reg(dc, X86_RSP, dc->sp_size, sp);
}

/* Store v (size sz) at the new top of stack; returns the new SP (not yet
 * written, so the caller can order it after other faulting accesses). */
static ir_temp x86_push_mem(struct x86_dc *dc, ir_temp v, unsigned sz)
{
	ir_temp sp = x86_get_reg(dc, X86_RSP, dc->sp_size);
	ir_temp nsp =
		x86_zext(dc->f, ir_addi(dc->f, sp, (uint64_t) - (int64_t)(1u << sz)), dc->sp_size);
	x86_qst(dc, x86_stack_linear(dc, nsp), sz, v);
	return nsp;
}

static void x86_push(struct x86_dc *dc, ir_temp v, unsigned sz)
{
	x86_set_sp(dc, x86_push_mem(dc, v, sz));
}

/* Load the top of stack; *nsp receives the SP after the pop. */
static ir_temp x86_pop(struct x86_dc *dc, unsigned sz, ir_temp *nsp)
{
	ir_temp sp = x86_get_reg(dc, X86_RSP, dc->sp_size);
	ir_temp v = x86_qld(dc, x86_stack_linear(dc, sp), sz);
	*nsp = x86_zext(dc->f, ir_addi(dc->f, sp, 1u << sz), dc->sp_size);
	return v;
}

/* ---- lazy flags --------------------------------------------------------------- */

static void x86_set_cc(struct x86_dc *dc, unsigned kind, unsigned sz, ir_temp dst, ir_temp src,
		       ir_temp src2)
{
	struct ir_func *f = dc->f;
	if (dst != IR_NO_TEMP)
		ir_st_env(f, 3, X86_ENV(cc_dst), dst);
	if (src != IR_NO_TEMP)
		ir_st_env(f, 3, X86_ENV(cc_src), src);
	if (src2 != IR_NO_TEMP)
		ir_st_env(f, 3, X86_ENV(cc_src2), src2);
	uint32_t op = X86_CC_OP(kind, sz);
	ir_st_envi(f, 3, X86_ENV(cc_op), op);
	dc->c->tr_cc_op = op;
}

/* Set cc to the given full arithmetic flags (cc_op EFLAGS). */
static void x86_set_cc_flags(struct x86_dc *dc, ir_temp flags)
{
	x86_set_cc(dc, X86_CC_EFLAGS, 0, IR_NO_TEMP, flags, IR_NO_TEMP);
}

static ir_temp x86_gen_flags(struct x86_dc *dc)
{
	return x86_call(dc, x86_helper_flags, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
}

/* CF as 0/1. */
static ir_temp x86_gen_cf(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	uint32_t op = dc->c->tr_cc_op;
	if (op != X86_CC_DYNAMIC) {
		unsigned kind = op >> 2;
		if (kind == X86_CC_SUB)
			return ir_setcond(f, IR_LTU, ir_ld_env(f, 3, X86_ENV(cc_src2)),
					  ir_ld_env(f, 3, X86_ENV(cc_src)));
		if (kind == X86_CC_ADD)
			return ir_setcond(f, IR_LTU, ir_ld_env(f, 3, X86_ENV(cc_dst)),
					  ir_ld_env(f, 3, X86_ENV(cc_src2)));
		if (kind == X86_CC_LOGIC)
			return x86_imm(dc, 0);
	}
	return ir_andi(f, x86_gen_flags(dc), 1);
}

/* Condition cc (0..15) as a 0/1 temp (SDM vol. 1 table B-1). */
static ir_temp x86_gen_cond(struct x86_dc *dc, unsigned cc)
{
	struct ir_func *f = dc->f;
	uint32_t op = dc->c->tr_cc_op;
	unsigned kind = op >> 2, sz = op & 3;
	ir_temp r = IR_NO_TEMP;
	if (op != X86_CC_DYNAMIC && (kind == X86_CC_SUB || kind == X86_CC_LOGIC)) {
		ir_temp d = ir_ld_env(f, 3, X86_ENV(cc_dst));
		if (kind == X86_CC_SUB) {
			ir_temp a = ir_ld_env(f, 3, X86_ENV(cc_src2));
			ir_temp b = ir_ld_env(f, 3, X86_ENV(cc_src));
			switch (cc >> 1) {
			case 1: r = ir_setcond(f, IR_LTU, a, b); break;
			case 2: r = ir_setcondi(f, IR_EQ, d, 0); break;
			case 3: r = ir_setcond(f, IR_LEU, a, b); break;
			case 4: r = ir_setcondi(f, IR_LT, x86_sext(f, d, sz), 0); break;
			case 6:
				r = ir_setcond(f, IR_LT, x86_sext(f, a, sz), x86_sext(f, b, sz));
				break;
			case 7:
				r = ir_setcond(f, IR_LE, x86_sext(f, a, sz), x86_sext(f, b, sz));
				break;
			default: break;
			}
		} else {
			switch (cc >> 1) {
			case 0:
			case 1: r = x86_imm(dc, 0); break;
			case 2:
			case 3: r = ir_setcondi(f, IR_EQ, d, 0); break;
			case 4:
			case 6: r = ir_setcondi(f, IR_LT, x86_sext(f, d, sz), 0); break;
			case 7: r = ir_setcondi(f, IR_LE, x86_sext(f, d, sz), 0); break;
			default: break;
			}
		}
	}
	if (r == IR_NO_TEMP && op != X86_CC_DYNAMIC && kind != X86_CC_EFLAGS) {
		/* Every other kind takes ZF and SF from its result; INC/DEC
		 * keep the old CF in cc_src, ADD's CF is an unsigned overflow. */
		uint64_t m = sz == 3 ? ~0ull : (1ull << (8u << sz)) - 1;
		switch (cc >> 1) {
		case 1:
			if (kind == X86_CC_INC || kind == X86_CC_DEC)
				r = ir_setcondi(f, IR_NE, ir_ld_env(f, 3, X86_ENV(cc_src)), 0);
			else if (kind == X86_CC_ADD)
				r = x86_gen_cf(dc);
			break;
		case 2: r = ir_setcondi(f, IR_TSTEQ, ir_ld_env(f, 3, X86_ENV(cc_dst)), m); break;
		case 4:
			r = ir_setcondi(f, IR_TSTNE, ir_ld_env(f, 3, X86_ENV(cc_dst)),
					1ull << ((8u << sz) - 1));
			break;
		default: break;
		}
	}
	if (r == IR_NO_TEMP)
		return x86_call(dc, x86_helper_cond, x86_imm(dc, cc), IR_NO_TEMP, IR_NO_TEMP,
				IR_NO_TEMP);
	return (cc & 1) ? ir_op2i(f, IR_XOR, r, 1) : r;
}

/* ---- handlers: arithmetic ----------------------------------------------------- */

static void x86_h_alu(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	const struct x86_op_row *row = dc->in.row;
	unsigned sz = dc->in.op_size, k = row->arg;
	ir_temp a = x86_ld_opd(dc, row->opd[0], sz);
	ir_temp b = x86_ld_opd(dc, row->opd[1], sz);
	ir_temp r, cin;
	unsigned kind;
	switch (k) {
	case 0:
		r = ir_add(f, a, b);
		kind = X86_CC_ADD;
		break;
	case 1:
		r = ir_or(f, a, b);
		kind = X86_CC_LOGIC;
		break;
	case 2:
		cin = x86_gen_cf(dc);
		r = ir_add(f, ir_add(f, a, b), cin);
		kind = X86_CC_ADC;
		break;
	case 3:
		cin = x86_gen_cf(dc);
		r = ir_sub(f, ir_sub(f, a, b), cin);
		kind = X86_CC_SBB;
		break;
	case 4:
		r = ir_and(f, a, b);
		kind = X86_CC_LOGIC;
		break;
	case 5:
	case 7:
		r = ir_sub(f, a, b);
		kind = X86_CC_SUB;
		break;
	default:
		r = ir_xor(f, a, b);
		kind = X86_CC_LOGIC;
		break;
	}
	r = x86_zext(f, r, sz);
	if (k != 7)
		x86_st_opd(dc, row->opd[0], sz, r);
	if (kind == X86_CC_LOGIC)
		x86_set_cc(dc, kind, sz, r, IR_NO_TEMP, IR_NO_TEMP);
	else
		x86_set_cc(dc, kind, sz, r, b, a);
}

static void x86_h_test(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp a = x86_ld_opd(dc, dc->in.row->opd[0], sz);
	ir_temp b = x86_ld_opd(dc, dc->in.row->opd[1], sz);
	x86_set_cc(dc, X86_CC_LOGIC, sz, ir_and(dc->f, a, b), IR_NO_TEMP, IR_NO_TEMP);
}

static void x86_h_incdec(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size, kind = dc->in.row->arg ? X86_CC_DEC : X86_CC_INC;
	unsigned opd = dc->in.row->opd[0];
	ir_temp a = x86_ld_opd(dc, opd, sz);
	ir_temp cf = x86_gen_cf(dc);
	ir_temp r = x86_zext(dc->f, ir_addi(dc->f, a, dc->in.row->arg ? (uint64_t)-1 : 1), sz);
	x86_st_opd(dc, opd, sz, r);
	x86_set_cc(dc, kind, sz, r, cf, a);
}

static void x86_h_not(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp a = x86_ld_opd(dc, OPD_E, sz);
	x86_st_opd(dc, OPD_E, sz, x86_zext(dc->f, ir_op1(dc->f, IR_NOT, a), sz));
}

static void x86_h_neg(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp a = x86_ld_opd(dc, OPD_E, sz);
	ir_temp r = x86_zext(dc->f, ir_op1(dc->f, IR_NEG, a), sz);
	x86_st_opd(dc, OPD_E, sz, r);
	x86_set_cc(dc, X86_CC_SUB, sz, r, a, x86_imm(dc, 0));
}

static void x86_h_mul1(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp a = x86_ld_opd(dc, OPD_E, sz);
	x86_call(dc, x86_helper_mul1, a, x86_imm(dc, sz | (dc->in.row->arg ? 4u : 0)), IR_NO_TEMP,
		 IR_NO_TEMP);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

static void x86_h_div(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp a = x86_ld_opd(dc, OPD_E, sz);
	x86_call(dc, x86_helper_div, a, x86_imm(dc, sz | (dc->in.row->arg ? 4u : 0)), IR_NO_TEMP,
		 IR_NO_TEMP);
}

static void x86_h_imul(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp a = x86_ld_opd(dc, OPD_E, sz);
	ir_temp b =
		dc->in.row->opd[2] == OPD_I ? x86_ld_opd(dc, OPD_I, sz) : x86_ld_opd(dc, OPD_G, sz);
	struct ir_func *f = dc->f;
	ir_temp r, of;
	/* SDM IMUL (two and three operands): the product truncated to the
	 * destination; CF = OF = the signed product does not fit it. */
	if (sz == 3) {
		r = ir_mul(f, a, b);
		of = ir_setcond(f, IR_NE, ir_op2(f, IR_MULHS, a, b), ir_sari(f, r, 63));
	} else {
		ir_temp p = ir_mul(f, x86_sext(f, a, sz), x86_sext(f, b, sz));
		r = x86_zext(f, p, sz);
		of = ir_setcond(f, IR_NE, p, x86_sext(f, r, sz));
	}
	x86_set_reg(dc, dc->in.reg, sz, r);
	x86_set_cc(dc, X86_CC_MUL, sz, r, of, IR_NO_TEMP);
}

/* SHL/SHR/SAR inline; ROL/ROR/RCL/RCR through a helper (SDM SAL/SAR/SHL/SHR,
 * RCL/RCR/ROL/ROR: the count is masked to 5 bits, 6 with REX.W; a zero count
 * changes nothing, flags included). */
static void x86_h_shift(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	const struct x86_op_row *row = dc->in.row;
	unsigned sz = dc->in.op_size, op = row->arg;
	unsigned cmask = sz == 3 ? 63 : 31;
	bool const_count = row->opd[1] != OPD_CL;
	uint64_t cval = row->opd[1] == OPD_ONE ? 1 : ((uint64_t)dc->in.imm & cmask);

	ir_temp a = x86_ld_opd(dc, OPD_E, sz);
	ir_temp n = const_count ? x86_imm(dc, cval) : ir_andi(f, x86_ld_opd(dc, OPD_CL, 0), cmask);
	if (op < 4) {
		/* Probe the store first: the helper updates flags. A zero count
		 * returns the operand and leaves the flags. */
		if (x86_opd_is_mem(dc, OPD_E))
			x86_st_opd(dc, OPD_E, sz, a);
		ir_temp r =
			x86_call(dc, x86_helper_rot, a, n, x86_imm(dc, sz | (op << 2)), IR_NO_TEMP);
		x86_st_opd(dc, OPD_E, sz, r);
		dc->c->tr_cc_op = X86_CC_DYNAMIC;
		return;
	}
	ir_temp r;
	unsigned kind;
	if (op == 5) {
		r = ir_op2(f, IR_SHR, a, n);
		kind = X86_CC_SHR;
	} else if (op == 7) {
		r = x86_zext(f, ir_op2(f, IR_SAR, x86_sext(f, a, sz), n), sz);
		kind = X86_CC_SAR;
	} else {
		r = x86_zext(f, ir_op2(f, IR_SHL, a, n), sz);
		kind = X86_CC_SHL;
	}
	/* The result is written even for a zero count (a 32-bit register
	 * destination is zero-extended); only the flags are skipped. */
	x86_st_opd(dc, OPD_E, sz, r);
	if (const_count) {
		if (cval)
			x86_set_cc(dc, kind, sz, r, n, a);
		return;
	}
	ir_label skip = ir_new_label(f);
	ir_brcondi(f, IR_EQ, n, 0, skip);
	x86_set_cc(dc, kind, sz, r, n, a);
	ir_set_label(f, skip);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

/* BT/BTS/BTR/BTC (SDM: with a register bit offset and a memory operand, the
 * offset is signed and may address bits outside the operand). */
static void x86_h_bt(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	unsigned sz = dc->in.op_size, bits = 8u << sz, op = dc->in.row->arg;
	bool imm = dc->in.row->opd[1] == OPD_I;
	ir_temp off =
		imm ? x86_imm(dc, (uint64_t)dc->in.imm & (bits - 1)) : x86_ld_opd(dc, OPD_G, sz);
	ir_temp v, addr = IR_NO_TEMP;
	ir_temp bitpos = ir_andi(f, off, bits - 1);
	if (dc->in.mod != 3) {
		addr = x86_mem_addr(dc);
		if (!imm) {
			ir_temp words = ir_op2i(f, IR_SAR, x86_sext(f, off, sz), 3 + sz);
			addr = ir_add(f, addr, ir_shli(f, words, sz));
			if (!dc->code64)
				addr = ir_op1(f, IR_EXT32U, addr);
		}
		v = x86_qld(dc, addr, sz);
	} else {
		v = x86_get_reg(dc, dc->in.rm, sz);
	}
	ir_temp bit = ir_andi(f, ir_op2(f, IR_SHR, v, bitpos), 1);
	if (op != 0) {
		ir_temp m = ir_op2(f, IR_SHL, x86_imm(dc, 1), bitpos);
		ir_temp nv = op == 1 ? ir_or(f, v, m) :
			     op == 2 ? ir_and(f, v, ir_op1(f, IR_NOT, m)) :
				       ir_xor(f, v, m);
		if (dc->in.mod != 3)
			x86_qst(dc, addr, sz, nv);
		else
			x86_set_reg(dc, dc->in.rm, sz, nv);
	}
	ir_temp fl = x86_gen_flags(dc);
	x86_set_cc_flags(dc, ir_or(f, ir_andi(f, fl, ~(uint64_t)X86_FLAG_CF), bit));
}

static void x86_h_bsx(struct x86_dc *dc, bool rev)
{
	unsigned sz = dc->in.op_size;
	ir_temp src = x86_ld_opd(dc, OPD_E, sz);
	/* The helper returns the whole register: a zero source leaves all 64
	 * bits unchanged, even for a 32-bit operand (as Intel and AMD cores do). */
	ir_temp old = x86_get_reg(dc, dc->in.reg, 3);
	ir_temp r = x86_call(dc, x86_helper_bsx, src, old, x86_imm(dc, sz | (rev ? 4u : 0)),
			     IR_NO_TEMP);
	x86_set_reg(dc, dc->in.reg, 3, r);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

static void x86_h_cmpxchg(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	unsigned sz = dc->in.op_size;
	ir_temp acc = x86_get_reg(dc, X86_RAX, sz);
	ir_temp d = x86_ld_opd(dc, OPD_E, sz);
	ir_temp s = x86_get_reg(dc, dc->in.reg, sz);
	/* SDM CMPXCHG: a memory destination is always written (the old value
	 * when the comparison fails); the accumulator only on failure. A
	 * register destination is written only on success: a 32-bit one keeps
	 * its upper half on failure, as the host CPU shows
	 * (test_x86_diff_int.c). */
	ir_label eq = ir_new_label(f), done = ir_new_label(f);
	if (dc->in.mod != 3)
		x86_st_opd(dc, OPD_E, sz, ir_movcond(f, IR_EQ, acc, d, s, d));
	ir_brcond(f, IR_EQ, acc, d, eq);
	x86_set_reg(dc, X86_RAX, sz, d);
	ir_br(f, done);
	ir_set_label(f, eq);
	if (dc->in.mod == 3)
		x86_set_reg(dc, dc->in.rm, sz, s);
	ir_set_label(f, done);
	x86_set_cc(dc, X86_CC_SUB, sz, x86_zext(f, ir_sub(f, acc, d), sz), d, acc);
}

static void x86_h_xadd(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp d = x86_ld_opd(dc, OPD_E, sz);
	ir_temp s = x86_get_reg(dc, dc->in.reg, sz);
	ir_temp r = x86_zext(dc->f, ir_add(dc->f, d, s), sz);
	if (dc->in.mod != 3) {
		x86_st_opd(dc, OPD_E, sz, r);
		x86_set_reg(dc, dc->in.reg, sz, d);
	} else {
		x86_set_reg(dc, dc->in.reg, sz, d);
		x86_set_reg(dc, dc->in.rm, sz, r);
	}
	x86_set_cc(dc, X86_CC_ADD, sz, r, s, d);
}

/* ---- handlers: data movement ------------------------------------------------ */

static void x86_h_mov(struct x86_dc *dc)
{
	const struct x86_op_row *row = dc->in.row;
	unsigned sz = dc->in.op_size;
	ir_temp v;
	if (row->opd[1] == OPD_I)
		v = x86_imm(dc, (uint64_t)dc->in.imm & sv_mask(8u << sz));
	else
		v = x86_ld_opd(dc, row->opd[1], sz);
	x86_st_opd(dc, row->opd[0], sz, v);
}

static void x86_h_movx(struct x86_dc *dc, bool sign)
{
	unsigned ssz = dc->in.row->arg, sz = dc->in.op_size;
	ir_temp v = x86_ld_opd(dc, OPD_E, ssz);
	if (sign)
		v = x86_zext(dc->f, x86_sext(dc->f, v, ssz), sz);
	x86_set_reg(dc, dc->in.reg, sz, v);
}

/* 63 outside 64-bit mode is ARPL Ew, Gw (#UD in real mode). */
static void x86_h_arpl(struct x86_dc *dc)
{
	if (!dc->pe) {
		x86_gen_ud(dc);
		return;
	}
	ir_temp d = x86_ld_opd(dc, OPD_E, 1), s = x86_get_reg(dc, dc->in.reg, 1);
	ir_temp r = x86_call(dc, x86_helper_arpl, d, s, IR_NO_TEMP, IR_NO_TEMP);
	ir_label same = ir_new_label(dc->f);
	ir_brcond(dc->f, IR_EQ, r, d, same); /* memory is written only on a change */
	x86_st_opd(dc, OPD_E, 1, r);
	ir_set_label(dc->f, same);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

static void x86_h_movsxd(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	if (!dc->code64) {
		x86_h_arpl(dc);
		return;
	}
	if (sz == 3) {
		ir_temp v = x86_ld_opd(dc, OPD_E, 2);
		x86_set_reg(dc, dc->in.reg, 3, ir_op1(dc->f, IR_EXT32S, v));
	} else {
		x86_set_reg(dc, dc->in.reg, sz, x86_ld_opd(dc, OPD_E, sz));
	}
}

static void x86_h_lea(struct x86_dc *dc)
{
	if (dc->in.mod == 3) {
		x86_gen_ud(dc);
		return;
	}
	x86_set_reg(dc, dc->in.reg, dc->in.op_size,
		    x86_zext(dc->f, x86_gen_ea(dc), dc->in.op_size));
}

static void x86_h_xchg(struct x86_dc *dc)
{
	const struct x86_op_row *row = dc->in.row;
	unsigned sz = dc->in.op_size;
	ir_temp a = x86_ld_opd(dc, row->opd[0], sz);
	ir_temp b = x86_ld_opd(dc, row->opd[1], sz);
	x86_st_opd(dc, row->opd[0], sz, b); /* memory (if any) first */
	x86_st_opd(dc, row->opd[1], sz, a);
}

static void x86_h_cbw(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp v = x86_sext(dc->f, x86_get_reg(dc, X86_RAX, sz - 1), sz - 1);
	x86_set_reg(dc, X86_RAX, sz, x86_zext(dc->f, v, sz));
}

static void x86_h_cwd(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp v = x86_sext(dc->f, x86_get_reg(dc, X86_RAX, sz), sz);
	x86_set_reg(dc, X86_RDX, sz, x86_zext(dc->f, ir_sari(dc->f, v, 63), sz));
}

static void x86_h_bswap(struct x86_dc *dc)
{
	unsigned r = x86_opcode_reg(dc), sz = dc->in.op_size;
	ir_temp v = x86_get_reg(dc, r, sz);
	if (sz == 3)
		v = ir_op1(dc->f, IR_BSWAP64, v);
	else if (sz == 2)
		v = ir_op1(dc->f, IR_BSWAP32, v);
	else
		v = x86_imm(dc, 0); /* 16-bit BSWAP is undefined: Intel cores give 0 */
	x86_set_reg(dc, r, sz, v);
}

static void x86_h_cmov(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp src = x86_ld_opd(dc, OPD_E, sz);
	ir_temp old = x86_get_reg(dc, dc->in.reg, sz);
	ir_temp c = x86_gen_cond(dc, dc->in.opcode & 15);
	x86_set_reg(dc, dc->in.reg, sz, ir_movcond(dc->f, IR_NE, c, x86_imm(dc, 0), src, old));
}

static void x86_h_setcc(struct x86_dc *dc)
{
	ir_temp c = x86_gen_cond(dc, dc->in.opcode & 15);
	x86_st_opd(dc, OPD_E, 0, c);
}

static void x86_h_push(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size, kind = dc->in.row->opd[0];
	ir_temp v = kind == OPD_I ? x86_imm(dc, (uint64_t)dc->in.imm & sv_mask(8u << sz)) :
				    x86_ld_opd(dc, kind, sz);
	x86_push(dc, v, sz);
}

static void x86_h_pop(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size, kind = dc->in.row->opd[0];
	ir_temp nsp;
	ir_temp v = x86_pop(dc, sz, &nsp);
	if (x86_opd_is_mem(dc, kind)) {
		x86_st_opd(dc, kind, sz, v);
		x86_set_sp(dc, nsp);
	} else {
		x86_set_sp(dc, nsp); /* pop %rsp loads the popped value */
		x86_st_opd(dc, kind, sz, v);
	}
}

static void x86_h_leave(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp bp = x86_get_reg(dc, X86_RBP, dc->sp_size);
	ir_temp v = x86_qld(dc, x86_stack_linear(dc, bp), sz);
	ir_temp nsp = x86_zext(dc->f, ir_addi(dc->f, bp, 1u << sz), dc->sp_size);
	x86_set_sp(dc, nsp);
	x86_set_reg(dc, X86_RBP, sz, v);
}

/* ---- handlers: control flow ------------------------------------------------- */

static uint64_t x86_branch_target(struct x86_dc *dc)
{
	uint64_t t = dc->in.next + (uint64_t)dc->in.imm;
	if (!dc->code64)
		t &= 0xffffffffull;
	return t;
}

/*
 * Jump to a relative branch target (JMP, Jcc, CALL, LOOP rel). With a
 * 16-bit operand size the new IP wraps within 64 KiB (SDM JMP: "IF
 * OperandSize = 16 THEN EIP <- tempEIP AND 0000FFFFH"). Whether it wraps
 * depends on CS.base, which is not part of the TB key, so a wrapped target
 * leaves the TB without chaining and the successor is looked up afresh.
 */
static void x86_gen_branch(struct x86_dc *dc, uint64_t lin, unsigned slot)
{
	struct ir_func *f = dc->f;
	if (dc->code64 || dc->in.op_size != 1) {
		x86_gen_jump(dc, lin, slot);
		return;
	}
	ir_temp eip = x86_rip_of(dc, lin);
	ir_temp ip = ir_andi(f, eip, 0xffff);
	ir_label wrapped = ir_new_label(f);
	ir_st_env(f, 3, X86_ENV(rip), ip);
	ir_brcond(f, IR_NE, ip, eip, wrapped);
	ir_goto_tb(f, slot);
	ir_set_label(f, wrapped);
	ir_exit_tb(f);
}

static void x86_h_jcc(struct x86_dc *dc)
{
	ir_temp c = x86_gen_cond(dc, dc->in.opcode & 15);
	ir_label taken = ir_new_label(dc->f);
	ir_brcondi(dc->f, IR_NE, c, 0, taken);
	x86_gen_jump(dc, dc->in.next, 0);
	ir_set_label(dc->f, taken);
	x86_gen_branch(dc, x86_branch_target(dc), 1);
	dc->tr->stop = true;
}

static void x86_h_loop(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	unsigned asz = dc->in.addr_size, k = dc->in.row->arg;
	ir_temp cx = x86_get_reg(dc, X86_RCX, asz);
	ir_temp c;
	if (k == 3) {
		c = ir_setcondi(f, IR_EQ, cx, 0);
	} else {
		/* The condition must be computed before the count is written. */
		ir_temp z = k < 2 ? x86_gen_cond(dc, 4) : IR_NO_TEMP; /* ZF */
		ir_temp ncx = x86_zext(f, ir_addi(f, cx, (uint64_t)-1), asz);
		x86_set_reg(dc, X86_RCX, asz, ncx);
		c = ir_setcondi(f, IR_NE, ncx, 0);
		if (k == 1)
			c = ir_and(f, c, z);
		else if (k == 0)
			c = ir_and(f, c, ir_op2i(f, IR_XOR, z, 1));
	}
	ir_label taken = ir_new_label(f);
	ir_brcondi(f, IR_NE, c, 0, taken);
	x86_gen_jump(dc, dc->in.next, 0);
	ir_set_label(f, taken);
	x86_gen_branch(dc, x86_branch_target(dc), 1);
	dc->tr->stop = true;
}

static void x86_h_jmp(struct x86_dc *dc)
{
	if (dc->in.row->opd[0] == OPD_J) {
		x86_gen_branch(dc, x86_branch_target(dc), 0);
		dc->tr->stop = true;
		return;
	}
	x86_jump_temp(dc, x86_ld_opd(dc, OPD_E, dc->in.op_size));
}

static void x86_h_call(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp ret = x86_zext(dc->f, x86_rip_of(dc, dc->in.next), sz);
	if (dc->in.row->opd[0] == OPD_J) {
		x86_push(dc, ret, sz);
		x86_gen_branch(dc, x86_branch_target(dc), 0);
		dc->tr->stop = true;
		return;
	}
	ir_temp target = x86_ld_opd(dc, OPD_E, sz);
	x86_push(dc, ret, sz);
	x86_jump_temp(dc, target);
}

static void x86_h_ret(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp nsp;
	ir_temp v = x86_pop(dc, sz, &nsp);
	if (dc->in.row->opd[0] == OPD_I)
		nsp = x86_zext(dc->f, ir_addi(dc->f, nsp, (uint64_t)dc->in.imm), dc->sp_size);
	x86_set_sp(dc, nsp);
	x86_jump_temp(dc, v);
}

/* Far JMP/CALL (SDM JMP/CALL "far"): ptr16:xx immediate or m16:xx. */
static void x86_far_operand(struct x86_dc *dc, ir_temp *sel, ir_temp *off)
{
	unsigned osz = dc->in.op_size;
	if (dc->in.row->opd[0] == OPD_I) {
		*off = x86_imm(dc, (uint64_t)dc->in.imm);
		*sel = x86_imm(dc, dc->in.imm2);
		return;
	}
	if (dc->in.mod == 3) {
		*sel = *off = IR_NO_TEMP;
		return;
	}
	ir_temp addr = x86_mem_addr(dc);
	x86_seg_check(dc, addr, (1u << osz) + 2, false); /* offset and selector */
	*off = x86_qld(dc, addr, osz);
	ir_temp a2 = ir_addi(dc->f, addr, 1u << osz);
	if (!dc->code64)
		a2 = ir_op1(dc->f, IR_EXT32U, a2);
	*sel = x86_qld(dc, a2, 1);
}

static void x86_h_jmpf(struct x86_dc *dc, bool call)
{
	ir_temp sel, off;
	x86_far_operand(dc, &sel, &off);
	if (sel == IR_NO_TEMP) {
		x86_gen_ud(dc);
		return;
	}
	if (call)
		x86_call(dc, x86_helper_lcall, sel, off, x86_imm(dc, dc->in.op_size),
			 x86_rip_of(dc, dc->in.next));
	else
		x86_call(dc, x86_helper_ljmp, sel, off, x86_imm(dc, dc->in.op_size),
			 x86_rip_of(dc, dc->in.next));
	ir_exit_tb(dc->f); /* the helper set RIP and CS */
	dc->tr->stop = true;
}

static void x86_h_retf(struct x86_dc *dc)
{
	uint64_t imm = dc->in.row->opd[0] == OPD_I ? (uint64_t)dc->in.imm : 0;
	x86_call(dc, x86_helper_lret, x86_imm(dc, dc->in.op_size), x86_imm(dc, imm), IR_NO_TEMP,
		 IR_NO_TEMP);
	ir_exit_tb(dc->f);
	dc->tr->stop = true;
}

static void x86_h_iret(struct x86_dc *dc)
{
	x86_call(dc, x86_helper_iret, x86_imm(dc, dc->in.op_size), x86_imm(dc, dc->in.len),
		 IR_NO_TEMP, IR_NO_TEMP);
	ir_exit_tb(dc->f);
	dc->tr->stop = true;
}

static void x86_h_int(struct x86_dc *dc, unsigned vector, unsigned type)
{
	uint64_t v = vector | (type << 8);
	x86_call(dc, x86_helper_raise, x86_imm(dc, v), x86_imm(dc, 0), x86_rip_of(dc, dc->in.next),
		 x86_len(dc));
	x86_end_tb(dc);
}

/* ---- handlers: string instructions ------------------------------------------- */

static bool x86_iopl_ok(const struct x86_dc *dc);

/* kind: enum x86_str_kind (helpers.h). REPE/REPNE matter for CMPS/SCAS only. */
static void x86_h_string(struct x86_dc *dc, unsigned kind)
{
	struct ir_func *f = dc->f;
	bool rep = dc->in.rep || dc->in.repne;
	if ((kind == X86_STR_INS || kind == X86_STR_OUTS) && !x86_iopl_ok(dc)) {
		/* The TSS I/O permission bitmap is not modelled: #GP(0). */
		x86_gen_raise(dc, X86_EXC_GP, true, 0);
		return;
	}
	uint64_t info = kind | (dc->in.op_size << 3) | (rep ? 1u << 5 : 0) |
			(dc->in.repne ? 1u << 6 : 0) | (dc->in.addr_size << 7) |
			(dc->mmu_idx << 9) | ((uint64_t)dc->in.seg << 12);
	ir_temp done = x86_call(dc, x86_helper_string, x86_imm(dc, info), x86_imm(dc, dc->in.seg),
				x86_cur_rip(dc), x86_len(dc));
	if (kind == X86_STR_CMPS || kind == X86_STR_SCAS)
		dc->c->tr_cc_op = X86_CC_DYNAMIC;
	if (!rep)
		return;
	ir_temp rip = ir_movcond(f, IR_NE, done, x86_imm(dc, 0), x86_rip_of(dc, dc->in.next),
				 x86_cur_rip(dc));
	x86_jump_temp(dc, rip);
}

/* ---- handlers: flags and system ---------------------------------------------- */

static bool x86_iopl_ok(const struct x86_dc *dc)
{
	return !dc->pe || dc->cpl <= dc->iopl;
}

static void x86_h_flagop(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	unsigned op = dc->in.row->arg;
	if (op >= 3) {
		ir_temp fl = ir_ld_env(f, 3, X86_ENV(rflags));
		fl = op == 3 ? ir_andi(f, fl, ~(uint64_t)X86_FLAG_DF) : ir_ori(f, fl, X86_FLAG_DF);
		ir_st_env(f, 3, X86_ENV(rflags), fl);
		return;
	}
	ir_temp fl = x86_gen_flags(dc);
	if (op == 0)
		fl = ir_andi(f, fl, ~(uint64_t)X86_FLAG_CF);
	else if (op == 1)
		fl = ir_ori(f, fl, X86_FLAG_CF);
	else
		fl = ir_op2i(f, IR_XOR, fl, X86_FLAG_CF);
	x86_set_cc_flags(dc, fl);
}

static void x86_h_sahf(struct x86_dc *dc, bool load)
{
	struct ir_func *f = dc->f;
	const uint64_t m = X86_FLAG_SF | X86_FLAG_ZF | X86_FLAG_AF | X86_FLAG_PF | X86_FLAG_CF;
	ir_temp fl = x86_gen_flags(dc);
	if (load) {                                                     /* LAHF */
		x86_set_reg(dc, 4, 0, ir_ori(f, ir_andi(f, fl, m), 2)); /* AH (no REX) */
		return;
	}
	ir_temp ah = x86_get_reg(dc, 4, 0);
	if (dc->in.rex)
		ah = ir_andi(f, ir_shri(f, x86_get_reg(dc, X86_RAX, 1), 8), 0xff);
	x86_set_cc_flags(dc, ir_or(f, ir_andi(f, fl, ~m), ir_andi(f, ah, m)));
}

static void x86_h_pushf(struct x86_dc *dc)
{
	ir_temp fl =
		x86_call(dc, x86_helper_get_rflags, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
	fl = ir_andi(dc->f, fl, ~(uint64_t)(X86_FLAG_VM | X86_FLAG_RF));
	x86_push(dc, x86_zext(dc->f, fl, dc->in.op_size), dc->in.op_size);
}

static void x86_h_popf(struct x86_dc *dc)
{
	ir_temp nsp;
	ir_temp v = x86_pop(dc, dc->in.op_size, &nsp);
	x86_set_sp(dc, nsp);
	x86_call(dc, x86_helper_popf, v, x86_imm(dc, dc->in.op_size), IR_NO_TEMP, IR_NO_TEMP);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
	x86_end_tb(dc); /* IF, TF and IOPL may have changed */
}

static void x86_h_cli_sti(struct x86_dc *dc, bool sti)
{
	if (!x86_iopl_ok(dc)) {
		x86_gen_raise(dc, X86_EXC_GP, true, 0);
		return;
	}
	if (sti) {
		x86_call(dc, x86_helper_sti, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
		x86_end_tb(dc);
		return;
	}
	ir_temp fl = ir_ld_env(dc->f, 3, X86_ENV(rflags));
	ir_st_env(dc->f, 3, X86_ENV(rflags), ir_andi(dc->f, fl, ~(uint64_t)X86_FLAG_IF));
}

/* Helpers with (…, rip, len) that may exit; end the TB afterwards if asked. */
ir_temp x86_sys_call(struct x86_dc *dc, ir_helper_fn fn, ir_temp a, ir_temp b)
{
	return x86_call(dc, fn, a, b, x86_cur_rip(dc), x86_len(dc));
}

static void x86_h_mov_cr(struct x86_dc *dc)
{
	unsigned crn = dc->in.reg;
	if (!(crn == 0 || crn == 2 || crn == 3 || crn == 4 || (crn == 8 && dc->code64)) ||
	    dc->in.lock) {
		x86_gen_ud(dc);
		return;
	}
	unsigned gpr = dc->in.rm;
	ir_temp arg = x86_imm(dc, crn | (gpr << 8));
	if (dc->in.row->arg == 0) {
		ir_temp v = x86_sys_call(dc, x86_helper_mov_from_cr, arg, IR_NO_TEMP);
		x86_set_reg(dc, gpr, dc->code64 ? 3 : 2, v);
		return;
	}
	ir_temp v = x86_get_reg(dc, gpr, dc->code64 ? 3 : 2);
	x86_sys_call(dc, x86_helper_mov_to_cr, arg, v);
	x86_end_tb(dc);
}

/* After a segment load: SS.B and CPL are TB flags, and outside 64-bit mode
 * so is whether each segment needs access checks (the new one may not be
 * flat). */
static bool x86_seg_load_ends_tb(const struct x86_dc *dc, unsigned s)
{
	return s == X86_SEG_SS || (dc->pe && !dc->code64);
}

static void x86_h_mov_seg(struct x86_dc *dc)
{
	unsigned s = dc->in.reg & 7;
	if (s >= 6) {
		x86_gen_ud(dc);
		return;
	}
	if (dc->in.row->arg == 0) {
		ir_temp sel = ir_ld_env(dc->f, 1, X86_ENV_SEG(s, sel));
		unsigned sz = dc->in.mod == 3 ? dc->in.op_size : 1;
		x86_st_opd(dc, OPD_E, sz, sel);
		return;
	}
	if (s == X86_SEG_CS) {
		x86_gen_ud(dc);
		return;
	}
	ir_temp sel = x86_ld_opd(dc, OPD_E, 1);
	x86_call(dc, x86_helper_load_seg, x86_imm(dc, s), sel, IR_NO_TEMP, IR_NO_TEMP);
	if (x86_seg_load_ends_tb(dc, s))
		x86_end_tb(dc);
}

/*
 * PUSH Sreg (SDM PUSH): the stack pointer moves by the operand size; with a
 * 32/64-bit operand size current processors write only the 16-bit selector
 * and leave the rest of the slot unchanged (the SDM allows that or a
 * zero-extended push; Intel Core processors do the 16-bit write).
 */
static void x86_h_push_seg(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp sel = ir_ld_env(dc->f, 1, X86_ENV_SEG(dc->in.row->arg, sel));
	ir_temp sp = x86_get_reg(dc, X86_RSP, dc->sp_size);
	ir_temp nsp =
		x86_zext(dc->f, ir_addi(dc->f, sp, (uint64_t) - (int64_t)(1u << sz)), dc->sp_size);
	x86_qst(dc, x86_stack_linear(dc, nsp), 1, sel);
	x86_set_sp(dc, nsp);
}

/* POP Sreg: the segment load (which may fault) before SP moves; POP SS
 * blocks interrupts for one instruction and changes SS.B, a TB flag. */
static void x86_h_pop_seg(struct x86_dc *dc)
{
	unsigned s = dc->in.row->arg;
	ir_temp nsp;
	ir_temp v = x86_pop(dc, dc->in.op_size, &nsp);
	x86_call(dc, x86_helper_load_seg, x86_imm(dc, s), ir_andi(dc->f, v, 0xffff), IR_NO_TEMP,
		 IR_NO_TEMP);
	x86_set_sp(dc, nsp);
	if (x86_seg_load_ends_tb(dc, s))
		x86_end_tb(dc);
}

/* LES LDS LSS LFS LGS Gv, Mp (SDM LDS/LES/LFS/LGS/LSS): the offset (operand
 * size) then the selector above it; both read before the segment load. */
static void x86_h_lseg(struct x86_dc *dc)
{
	unsigned s = dc->in.row->arg, sz = dc->in.op_size;
	ir_temp addr = x86_mem_addr(dc);
	x86_seg_check(dc, addr, (1u << sz) + 2, false); /* offset and selector */
	ir_temp off = x86_qld(dc, addr, sz);
	ir_temp a2 = ir_addi(dc->f, addr, 1u << sz);
	if (!dc->code64)
		a2 = ir_op1(dc->f, IR_EXT32U, a2);
	ir_temp sel = x86_qld(dc, a2, 1);
	x86_call(dc, x86_helper_load_seg, x86_imm(dc, s), sel, IR_NO_TEMP, IR_NO_TEMP);
	x86_set_reg(dc, dc->in.reg, sz, off);
	if (x86_seg_load_ends_tb(dc, s))
		x86_end_tb(dc);
}

/* XLAT: AL = [seg:rBX + AL] (address size; DS unless overridden). */
static void x86_h_xlat(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	ir_temp ea = ir_add(f, x86_get_reg(dc, X86_RBX, 3), x86_get_reg(dc, X86_RAX, 0));
	ea = x86_zext(f, ea, dc->in.addr_size);
	x86_set_reg(dc, X86_RAX, 0, x86_qld(dc, x86_seg_linear(dc, ea, dc->in.seg), 0));
}

/* INTO: #OF (a trap: the pushed IP is the next instruction) if OF = 1. */
static void x86_h_into(struct x86_dc *dc)
{
	ir_label no = ir_new_label(dc->f);
	ir_brcondi(dc->f, IR_EQ, x86_gen_cond(dc, 0), 0, no);
	x86_call(dc, x86_helper_raise, x86_imm(dc, X86_EXC_OF | (X86_EVENT_SW_EXC << 8)),
		 x86_imm(dc, 0), x86_rip_of(dc, dc->in.next), x86_len(dc));
	ir_set_label(dc->f, no);
}

/* LAR LSL (0F 02/03 Gv, Ew) and VERR VERW (0F 00 /4 /5 Ew): #UD in real
 * mode; the selector operand is 16 bits. */
static void x86_h_segchk(struct x86_dc *dc)
{
	unsigned op = dc->in.row->arg;
	if (!dc->pe) {
		x86_gen_ud(dc);
		return;
	}
	ir_temp sel = x86_ld_opd(dc, OPD_E, 1);
	uint64_t info = op | ((uint64_t)dc->in.reg << 4) | ((uint64_t)dc->in.op_size << 8);
	x86_call(dc, x86_helper_segchk, sel, x86_imm(dc, info), IR_NO_TEMP, IR_NO_TEMP);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

static void x86_h_grp6(struct x86_dc *dc)
{
	unsigned op = dc->in.row->arg;
	if (!dc->pe) {
		x86_gen_ud(dc);
		return;
	}
	if (op <= 1 && dc->umip && dc->cpl != 0) { /* SLDT/STR with CR4.UMIP */
		x86_gen_raise(dc, X86_EXC_GP, true, 0);
		return;
	}
	if (op <= 1) {
		/* SLDT/STR (SDM): a 16-bit store to memory whatever the operand
		 * size; a register gets the selector zero-extended to the
		 * operand size (16: the upper bits kept, 32: zeroed up to 63). */
		ir_temp sel = ir_ld_env(dc->f, 1, X86_ENV_SEG(op ? X86_SEG_TR : X86_SEG_LDTR, sel));
		x86_st_opd(dc, OPD_E, dc->in.mod == 3 ? dc->in.op_size : 1, sel);
		return;
	}
	ir_temp sel = x86_ld_opd(dc, OPD_E, 1);
	x86_call(dc, op == 2 ? x86_helper_lldt : x86_helper_ltr, sel, IR_NO_TEMP, IR_NO_TEMP,
		 IR_NO_TEMP);
}

/* 0F 01 register forms (SDM table A-6, group 7, mod = 11B). */
static void x86_h_grp7_reg(struct x86_dc *dc)
{
	switch (dc->in.modrm) {
	case 0xc1: /* VMCALL: exit 18 unconditionally in VMX non-root (SDM 25.1.2) */
		x86_sys_call(dc, x86_helper_vmcall, IR_NO_TEMP, IR_NO_TEMP);
		x86_end_tb(dc);
		return;
	case 0xca:                  /* CLAC */
	case 0xcb:                  /* STAC */
		if (dc->cpl != 0) { /* SDM CLAC/STAC: #UD (not #GP) at CPL > 0 */
			x86_gen_ud(dc);
			return;
		}
		x86_call(dc, x86_helper_stac, x86_imm(dc, dc->in.modrm & 1), IR_NO_TEMP, IR_NO_TEMP,
			 IR_NO_TEMP);
		x86_end_tb(dc); /* RFLAGS.AC selects the SMAP mmu index */
		return;
	case 0xd0: /* XGETBV */ x86_sys_call(dc, x86_helper_xgetbv, IR_NO_TEMP, IR_NO_TEMP); return;
	case 0xd1: /* XSETBV */
		x86_sys_call(dc, x86_helper_xsetbv, IR_NO_TEMP, IR_NO_TEMP);
		x86_end_tb(dc);
		return;
	case 0xf9: /* RDTSCP */ x86_sys_call(dc, x86_helper_rdtscp, IR_NO_TEMP, IR_NO_TEMP); return;
	case 0xf8: /* SWAPGS */
		if (!dc->code64) {
			x86_gen_ud(dc);
			return;
		}
		if (dc->cpl != 0) {
			x86_gen_raise(dc, X86_EXC_GP, true, 0);
			return;
		}
		x86_call(dc, x86_helper_swapgs, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP);
		return;
	default: x86_gen_ud(dc); return;
	}
}

static void x86_h_grp7(struct x86_dc *dc)
{
	unsigned op = dc->in.row->arg;
	if (dc->in.mod == 3 && op != 4 && op != 6) {
		x86_h_grp7_reg(dc);
		return;
	}
	bool priv = op == 2 || op == 3 || op == 6 || op == 7;
	/* SDM 2.5: CR4.UMIP makes SGDT SIDT SMSW CPL-0 only. */
	bool umip = dc->umip && (op == 0 || op == 1 || op == 4);
	if ((priv || umip) && dc->cpl != 0) {
		x86_gen_raise(dc, X86_EXC_GP, true, 0);
		return;
	}
	switch (op) {
	case 0:
	case 1:
	case 2:
	case 3: {
		ir_temp addr = x86_mem_addr(dc);
		uint64_t which = (op & 1) | (dc->code64 ? 2 : 0) | (dc->in.op_size >= 2 ? 4 : 0);
		x86_call(dc, op < 2 ? x86_helper_sgdt : x86_helper_lgdt, addr, x86_imm(dc, which),
			 IR_NO_TEMP, IR_NO_TEMP);
		return;
	}
	case 4: { /* SMSW */
		ir_temp cr0 = x86_sys_call(dc, x86_helper_mov_from_cr, x86_imm(dc, 0), IR_NO_TEMP);
		unsigned sz = dc->in.mod == 3 ? dc->in.op_size : 1;
		x86_st_opd(dc, OPD_E, sz, x86_zext(dc->f, cr0, sz));
		return;
	}
	case 6: /* LMSW */
		x86_sys_call(dc, x86_helper_lmsw, x86_ld_opd(dc, OPD_E, 1), IR_NO_TEMP);
		x86_end_tb(dc);
		return;
	case 7: /* INVLPG */
		x86_sys_call(dc, x86_helper_invlpg, x86_mem_addr(dc), IR_NO_TEMP);
		x86_end_tb(dc);
		return;
	default: x86_gen_ud(dc); return;
	}
}

static void x86_h_io(struct x86_dc *dc, bool in)
{
	bool imm = dc->in.row->arg == 0;
	unsigned sz = dc->in.op_size;
	if (!x86_iopl_ok(dc)) {
		/* The TSS I/O permission bitmap is not modelled: #GP(0). */
		x86_gen_raise(dc, X86_EXC_GP, true, 0);
		return;
	}
	ir_temp port = imm ? x86_imm(dc, (uint64_t)dc->in.imm) : x86_get_reg(dc, X86_RDX, 1);
	uint64_t info = sz | (in ? 8u : 0) | (imm ? 64u : 0);
	ir_temp v = x86_sys_call(dc, x86_helper_io, port, x86_imm(dc, info));
	if (in)
		x86_set_reg(dc, X86_RAX, sz, v);
}

/* ---- handlers: integer extensions (helpers_int.c) --------------------------- */

/* POPCNT LZCNT TZCNT MOVBE BMI1 BMI2 ADX: dst = op(opd[1], opd[2]). */
static void x86_h_ext(struct x86_dc *dc)
{
	const struct x86_op_row *row = dc->in.row;
	unsigned sz = dc->in.op_size, op = row->arg;
	if (op == X86_EXT_BLSR) {
		/* VEX.0F38 F3 is group 17 (SDM table A-6): /1 BLSR /2 BLSMSK /3 BLSI. */
		static const uint8_t grp17[8] = { 0xff, X86_EXT_BLSR, X86_EXT_BLSMSK, X86_EXT_BLSI,
						  0xff, 0xff,         0xff,           0xff };
		op = grp17[dc->in.reg & 7];
		if (op == 0xff) {
			x86_gen_ud(dc);
			return;
		}
	}
	if (op == X86_EXT_MOVBE && dc->in.op_size == 0) {
		x86_gen_ud(dc);
		return;
	}
	if (op == X86_EXT_CRC32) {
		/* SDM CRC32: r32 (r64 with REX.W) accumulates an r/m8 (F0) or an
		 * r/m16/32/64 (F1) source; the result zero-extends. */
		unsigned dsz = (dc->in.rex & 8) ? 3 : 2;
		ir_temp acc = x86_get_reg(dc, dc->in.reg, 2);
		ir_temp src = x86_ld_opd(dc, OPD_E, sz);
		ir_temp r = x86_call(dc, x86_helper_ext, acc, src, x86_imm(dc, op | (sz << 8)),
				     IR_NO_TEMP);
		x86_set_reg(dc, dc->in.reg, dsz, r);
		return;
	}
	ir_temp a = x86_ld_opd(dc, row->opd[1], sz);
	ir_temp b = row->opd[2] == OPD_NONE ? x86_imm(dc, 0) : x86_ld_opd(dc, row->opd[2], sz);
	ir_temp r = x86_call(dc, x86_helper_ext, a, b, x86_imm(dc, op | (sz << 8)), IR_NO_TEMP);
	x86_st_opd(dc, row->opd[0], sz, r);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

static void x86_h_mulx(struct x86_dc *dc)
{
	unsigned sz = dc->in.op_size;
	ir_temp src = x86_ld_opd(dc, OPD_E, sz);
	uint64_t info = sz | ((uint64_t)dc->in.reg << 8) | ((uint64_t)dc->in.vex_v << 12);
	x86_call(dc, x86_helper_mulx, src, x86_imm(dc, info), IR_NO_TEMP, IR_NO_TEMP);
}

/* SHLD/SHRD Ev, Gv, Ib/CL (count masked to 5 bits, 6 with REX.W). */
static void x86_h_shld(struct x86_dc *dc)
{
	struct ir_func *f = dc->f;
	const struct x86_op_row *row = dc->in.row;
	unsigned sz = dc->in.op_size, cmask = sz == 3 ? 63 : 31;
	ir_temp a = x86_ld_opd(dc, OPD_E, sz);
	ir_temp b = x86_ld_opd(dc, OPD_G, sz);
	ir_temp n = row->opd[2] == OPD_I ? x86_imm(dc, (uint64_t)dc->in.imm & cmask) :
					   ir_andi(f, x86_ld_opd(dc, OPD_CL, 0), cmask);
	if (x86_opd_is_mem(dc, OPD_E))
		x86_st_opd(dc, OPD_E, sz, a); /* probe the store: the helper sets flags */
	ir_temp r = x86_call(dc, x86_helper_shld, a, b, n, x86_imm(dc, sz | (row->arg << 2)));
	x86_st_opd(dc, OPD_E, sz, r);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

/* 0F C7: /1 CMPXCHG8B/16B (memory), /6 RDRAND, /7 RDSEED or (F3) RDPID. */
static void x86_h_grp9(struct x86_dc *dc)
{
	unsigned op = dc->in.row->arg, sz = dc->in.op_size;
	if (op == 1) {
		bool wide = dc->code64 && (dc->in.rex & 8);
		/* A write (SDM CMPXCHG8B: #GP(0) in a non-writable segment). */
		x86_seg_check(dc, x86_mem_addr(dc), wide ? 16 : 8, true);
		x86_call(dc, x86_helper_cmpxchg8b, x86_mem_addr(dc),
			 x86_imm(dc, (wide ? 1u : 0) | (dc->mmu_idx << 1)), IR_NO_TEMP, IR_NO_TEMP);
		dc->c->tr_cc_op = X86_CC_DYNAMIC;
		return;
	}
	if (op >= 3 && op <= 5) { /* XRSTORS, XSAVEC, XSAVES (xsave.c) */
		static const uint8_t xop[3] = { X86_XRSTORS, X86_XSAVEC, X86_XSAVES };
		if (dc->in.mod == 3 || dc->in.p66 || dc->in.rep || dc->in.repne) {
			x86_gen_ud(dc);
			return;
		}
		uint64_t info = xop[op - 3] | ((uint64_t)dc->mmu_idx << 3) |
				((dc->in.rex & 8) ? 1u << 6 : 0);
		x86_call(dc, x86_helper_xsave, x86_mem_addr(dc), x86_imm(dc, info), IR_NO_TEMP,
			 IR_NO_TEMP);
		if (op == 3)
			x86_end_tb(dc);
		return;
	}
	if (dc->in.mod != 3) {
		x86_gen_ud(dc);
		return;
	}
	if (op == 7 && dc->in.rep) { /* RDPID: r64 in 64-bit mode, else r32 */
		ir_temp v = x86_sys_call(dc, x86_helper_rdpid, IR_NO_TEMP, IR_NO_TEMP);
		x86_set_reg(dc, dc->in.rm, dc->code64 ? 3 : 2, v);
		return;
	}
	if (dc->in.rep || dc->in.repne) {
		x86_gen_ud(dc);
		return;
	}
	uint64_t info = sz | (op == 7 ? 4u : 0) | ((uint64_t)dc->in.rm << 4);
	ir_temp v = x86_sys_call(dc, x86_helper_rdrand, x86_imm(dc, info), IR_NO_TEMP);
	x86_set_reg(dc, dc->in.rm, sz, v);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

static void x86_h_enter(struct x86_dc *dc)
{
	x86_call(dc, x86_helper_enter, x86_imm(dc, (uint64_t)dc->in.imm & 0xffff),
		 x86_imm(dc, dc->in.imm2 & 0xff), x86_imm(dc, dc->in.op_size), IR_NO_TEMP);
}

static void x86_h_bcd(struct x86_dc *dc)
{
	x86_call(dc, x86_helper_bcd, x86_imm(dc, dc->in.row->arg),
		 x86_imm(dc, (uint64_t)dc->in.imm & 0xff), IR_NO_TEMP, IR_NO_TEMP);
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
}

/* ---- handlers: system (helpers_sys.c) ------------------------------------------ */

/* Fast system calls change CS, SS and CPL: the helper sets RIP; end the TB. */
static void x86_h_fastcall(struct x86_dc *dc, ir_helper_fn fn, ir_temp a)
{
	x86_call(dc, fn, a, IR_NO_TEMP, x86_cur_rip(dc), x86_len(dc));
	dc->c->tr_cc_op = X86_CC_DYNAMIC;
	ir_exit_tb(dc->f);
	dc->tr->stop = true;
}

static void x86_h_mov_dr(struct x86_dc *dc)
{
	unsigned drn = dc->in.reg;
	if (drn > 7 || dc->in.lock) { /* DR8-DR15 (REX.R) do not exist */
		x86_gen_ud(dc);
		return;
	}
	unsigned gpr = dc->in.rm, sz = dc->code64 ? 3 : 2;
	ir_temp arg = x86_imm(dc, drn | (gpr << 8));
	if (dc->in.row->arg == 0) {
		ir_temp v = x86_sys_call(dc, x86_helper_mov_from_dr, arg, IR_NO_TEMP);
		x86_set_reg(dc, gpr, sz, v);
		return;
	}
	x86_sys_call(dc, x86_helper_mov_to_dr, arg, x86_get_reg(dc, gpr, sz));
}

static void x86_h_invpcid(struct x86_dc *dc)
{
	ir_temp type = x86_get_reg(dc, dc->in.reg, dc->code64 ? 3 : 2);
	x86_sys_call(dc, x86_helper_invpcid, type, x86_mem_addr(dc));
	x86_end_tb(dc);
}

/* 0F AE memory forms (SDM table A-6 group 15): /4 XSAVE, /5 XRSTOR, /6
 * XSAVEOPT (xsave.c); /7 CLFLUSH, 66 /7 CLFLUSHOPT, 66 /6 CLWB are no-ops
 * that still check the address (a load probe gives the #PF/#GP an access
 * would); register forms /5 /6 /7 are LFENCE MFENCE SFENCE. */
static void x86_h_fence(struct x86_dc *dc)
{
	unsigned op = dc->in.row->arg;
	bool pfx = dc->in.p66 || dc->in.rep || dc->in.repne;
	if (dc->in.mod != 3 && !pfx && op >= 4 && op <= 6) {
		static const uint8_t xop[3] = { X86_XSAVE, X86_XRSTOR, X86_XSAVEOPT };
		uint64_t info = xop[op - 4] | ((uint64_t)dc->mmu_idx << 3) |
				((dc->in.rex & 8) ? 1u << 6 : 0);
		x86_call(dc, x86_helper_xsave, x86_mem_addr(dc), x86_imm(dc, info), IR_NO_TEMP,
			 IR_NO_TEMP);
		if (op == 5)
			x86_end_tb(dc);
		return;
	}
	if (op == 4) {
		x86_gen_ud(dc);
		return;
	}
	if (op < 4) { /* FXSAVE FXRSTOR LDMXCSR STMXCSR; register forms #UD */
		if (dc->in.mod == 3 || dc->in.p66 || dc->in.rep || dc->in.repne)
			x86_gen_ud(dc);
		else
			x86_h_grp15_mem(dc);
		return;
	}
	if (dc->in.mod == 3) {
		if (dc->in.p66 || dc->in.rep || dc->in.repne)
			x86_gen_ud(dc);
		return;
	}
	if (dc->in.rep || dc->in.repne || (op == 6 && !dc->in.p66) || op == 5) {
		x86_gen_ud(dc);
		return;
	}
	(void)x86_qld(dc, x86_mem_addr(dc), 0);
}

/* ---- the dispatcher ------------------------------------------------------------ */

/* SDM 2.1.2 / LOCK: #UD unless the row allows LOCK and the destination is
 * memory. */
static bool x86_lock_ok(const struct x86_dc *dc)
{
	if (!dc->in.lock)
		return true;
	return (dc->in.row->flags & XF_LOCK) && dc->in.mod != 3 && dc->in.has_modrm;
}

static void x86_dispatch(struct x86_dc *dc)
{
	const struct x86_op_row *row = dc->in.row;
	const struct x86_insn *in = &dc->in;

	/* Check order (SDM vol. 3 6.15 / 25.1.1): #UD for the encoding, then
	 * #GP(0) for privilege, then VM exits (in the helpers). */
	if (!x86_lock_ok(dc) || ((row->opd[0] == OPD_M || row->opd[1] == OPD_M) && in->mod == 3)) {
		x86_gen_ud(dc);
		return;
	}
	if ((row->flags & XF_VEX) && in->vex_l) {
		x86_gen_ud(dc); /* the scalar VEX instructions need VEX.L = 0 */
		return;
	}
	if ((row->flags & XF_PRIV) && dc->cpl != 0) {
		x86_gen_raise(dc, X86_EXC_GP, true, 0);
		return;
	}
	switch (row->handler) {
	case X86_H_ALU: x86_h_alu(dc); break;
	case X86_H_TEST: x86_h_test(dc); break;
	case X86_H_INCDEC: x86_h_incdec(dc); break;
	case X86_H_NOT: x86_h_not(dc); break;
	case X86_H_NEG: x86_h_neg(dc); break;
	case X86_H_MUL1: x86_h_mul1(dc); break;
	case X86_H_DIV: x86_h_div(dc); break;
	case X86_H_IMUL: x86_h_imul(dc); break;
	case X86_H_SHIFT: x86_h_shift(dc); break;
	case X86_H_MOV: x86_h_mov(dc); break;
	case X86_H_MOVZX: x86_h_movx(dc, false); break;
	case X86_H_MOVSX: x86_h_movx(dc, true); break;
	case X86_H_MOVSXD: x86_h_movsxd(dc); break;
	case X86_H_LEA: x86_h_lea(dc); break;
	case X86_H_XCHG: x86_h_xchg(dc); break;
	case X86_H_PUSH: x86_h_push(dc); break;
	case X86_H_POP: x86_h_pop(dc); break;
	case X86_H_CALL: x86_h_call(dc); break;
	case X86_H_JMP: x86_h_jmp(dc); break;
	case X86_H_RET: x86_h_ret(dc); break;
	case X86_H_JCC: x86_h_jcc(dc); break;
	case X86_H_SETCC: x86_h_setcc(dc); break;
	case X86_H_CMOV: x86_h_cmov(dc); break;
	case X86_H_CBW: x86_h_cbw(dc); break;
	case X86_H_CWD: x86_h_cwd(dc); break;
	case X86_H_BT: x86_h_bt(dc); break;
	case X86_H_BSF: x86_h_bsx(dc, false); break;
	case X86_H_BSR: x86_h_bsx(dc, true); break;
	case X86_H_BSWAP: x86_h_bswap(dc); break;
	case X86_H_MOVS: x86_h_string(dc, X86_STR_MOVS); break;
	case X86_H_STOS: x86_h_string(dc, X86_STR_STOS); break;
	case X86_H_LODS: x86_h_string(dc, X86_STR_LODS); break;
	case X86_H_CMPS: x86_h_string(dc, X86_STR_CMPS); break;
	case X86_H_SCAS: x86_h_string(dc, X86_STR_SCAS); break;
	case X86_H_INS: x86_h_string(dc, X86_STR_INS); break;
	case X86_H_OUTS: x86_h_string(dc, X86_STR_OUTS); break;
	case X86_H_NOP:
		if (in->map == 0 && in->opcode == 0x90 && (in->rex & 1)) {
			x86_h_xchg(dc); /* xchg %r8, %rax */
			break;
		}
		break;
	case X86_H_CLI: x86_h_cli_sti(dc, false); break;
	case X86_H_STI: x86_h_cli_sti(dc, true); break;
	case X86_H_PUSHF: x86_h_pushf(dc); break;
	case X86_H_POPF: x86_h_popf(dc); break;
	case X86_H_FLAGOP: x86_h_flagop(dc); break;
	case X86_H_SAHF: x86_h_sahf(dc, false); break;
	case X86_H_LAHF: x86_h_sahf(dc, true); break;
	case X86_H_GRP6: x86_h_grp6(dc); break;
	case X86_H_GRP7: x86_h_grp7(dc); break;
	case X86_H_MOV_CR: x86_h_mov_cr(dc); break;
	case X86_H_MOV_SEG: x86_h_mov_seg(dc); break;
	case X86_H_RDMSR: x86_sys_call(dc, x86_helper_rdmsr, IR_NO_TEMP, IR_NO_TEMP); break;
	case X86_H_WRMSR:
		x86_sys_call(dc, x86_helper_wrmsr, IR_NO_TEMP, IR_NO_TEMP);
		x86_end_tb(dc); /* EFER and segment bases may change */
		break;
	case X86_H_CPUID: x86_sys_call(dc, x86_helper_cpuid, IR_NO_TEMP, IR_NO_TEMP); break;
	case X86_H_RDTSC: x86_sys_call(dc, x86_helper_rdtsc, IR_NO_TEMP, IR_NO_TEMP); break;
	case X86_H_HLT:
		x86_sys_call(dc, x86_helper_hlt, IR_NO_TEMP, IR_NO_TEMP);
		x86_end_tb(dc);
		break;
	case X86_H_INT3: x86_h_int(dc, X86_EXC_BP, X86_EVENT_SW_EXC); break;
	case X86_H_INT: x86_h_int(dc, (unsigned)in->imm & 0xff, X86_EVENT_SW_INTR); break;
	case X86_H_UD2: x86_gen_raise(dc, X86_EXC_UD, false, 0); break;
	case X86_H_IRET: x86_h_iret(dc); break;
	case X86_H_JMPF: x86_h_jmpf(dc, false); break;
	case X86_H_CALLF: x86_h_jmpf(dc, true); break;
	case X86_H_RETF: x86_h_retf(dc); break;
	case X86_H_LEAVE: x86_h_leave(dc); break;
	case X86_H_LOOP: x86_h_loop(dc); break;
	case X86_H_CMPXCHG: x86_h_cmpxchg(dc); break;
	case X86_H_XADD: x86_h_xadd(dc); break;
	case X86_H_IN: x86_h_io(dc, true); break;
	case X86_H_OUT: x86_h_io(dc, false); break;
	case X86_H_WBINVD:
		x86_sys_call(dc, x86_helper_wbinvd, x86_imm(dc, in->opcode == 0x08), IR_NO_TEMP);
		break;
	case X86_H_EXT: x86_h_ext(dc); break;
	case X86_H_MULX: x86_h_mulx(dc); break;
	case X86_H_SHLD: x86_h_shld(dc); break;
	case X86_H_GRP9: x86_h_grp9(dc); break;
	case X86_H_ENTER: x86_h_enter(dc); break;
	case X86_H_PUSHA:
		x86_call(dc, x86_helper_pusha, x86_imm(dc, in->op_size), IR_NO_TEMP, IR_NO_TEMP,
			 IR_NO_TEMP);
		break;
	case X86_H_POPA:
		x86_call(dc, x86_helper_popa, x86_imm(dc, in->op_size), IR_NO_TEMP, IR_NO_TEMP,
			 IR_NO_TEMP);
		break;
	case X86_H_BCD: x86_h_bcd(dc); break;
	case X86_H_SYSCALL: x86_h_fastcall(dc, x86_helper_syscall, x86_rip_of(dc, in->next)); break;
	case X86_H_SYSRET:
		x86_h_fastcall(dc, x86_helper_sysret, x86_imm(dc, (in->rex >> 3) & 1));
		break;
	case X86_H_SYSENTER: x86_h_fastcall(dc, x86_helper_sysenter, IR_NO_TEMP); break;
	case X86_H_SYSEXIT:
		x86_h_fastcall(dc, x86_helper_sysexit, x86_imm(dc, (in->rex >> 3) & 1));
		break;
	case X86_H_MOV_DR: x86_h_mov_dr(dc); break;
	case X86_H_INVPCID: x86_h_invpcid(dc); break;
	case X86_H_PUSH_SEG: x86_h_push_seg(dc); break;
	case X86_H_POP_SEG: x86_h_pop_seg(dc); break;
	case X86_H_LSEG: x86_h_lseg(dc); break;
	case X86_H_XLAT: x86_h_xlat(dc); break;
	case X86_H_INTO: x86_h_into(dc); break;
	case X86_H_SEGCHK: x86_h_segchk(dc); break;
	case X86_H_SSE: x86_h_sse(dc); break;
	case X86_H_X87: x86_h_x87(dc); break;
	case X86_H_CLTS:
		x86_sys_call(dc, x86_helper_clts, IR_NO_TEMP, IR_NO_TEMP);
		x86_end_tb(dc);
		break;
	case X86_H_FENCE: x86_h_fence(dc); break;
	default: x86_gen_ud(dc); break;
	}
}

void cpu_x86_translate_insn(struct translator *tr)
{
	struct cpu_x86 *c = cpu_x86_of(tr->cpu);
	struct x86_dc dc = { .tr = tr, .f = tr->ir, .c = c };
	uint64_t fl = tr->flags;
	bool gp;

	if (tr->pc_next == tr->pc_first)
		c->tr_cc_op = X86_CC_DYNAMIC;
	dc.pe = fl & 1;
	dc.pg = (fl >> 1) & 1;
	dc.code64 = (fl >> 3) & 1;
	dc.cpl = (fl >> 6) & 3;
	dc.iopl = (fl >> 8) & 3;
	dc.mmu_idx = !dc.pg ? X86_MMU_PHYS : dc.cpl == 3 ? X86_MMU_USER : X86_MMU_KERNEL;
	if (dc.pg && dc.cpl < 3 && ((fl >> 11) & 1))
		dc.mmu_idx = X86_MMU_KERNEL_AC;
	dc.umip = (fl >> 10) & 1;
	dc.em = (fl >> 12) & 1;
	dc.ts = (fl >> 13) & 1;
	dc.osfxsr = (fl >> 14) & 1;
	dc.mp = (fl >> 15) & 1;
	dc.sp_size = dc.code64 ? 3 : ((fl >> 5) & 1) ? 2 : 1;
	dc.seg_checked = (fl >> 16) & 0x3f;

	bool ok = x86_decode(tr, dc.code64, dc.code64 || ((fl >> 4) & 1), &dc.in, &gp);
	tr->pc_next = dc.in.next;
	if (gp) {
		dc.in.len = 15;
		dc.in.next = dc.in.pc + 15;
		tr->pc_next = dc.in.next;
		x86_gen_raise(&dc, X86_EXC_GP, true, 0);
		return;
	}
	if (!ok) {
		x86_gen_ud(&dc);
		return;
	}
	x86_dispatch(&dc);
}

void cpu_x86_tb_stop(struct translator *tr)
{
	struct cpu_x86 *c = cpu_x86_of(tr->cpu);
	struct x86_dc dc = { .tr = tr, .f = tr->ir, .c = c };
	dc.code64 = (tr->flags >> 3) & 1;
	x86_store_rip(&dc, tr->pc_next);
	ir_goto_tb(tr->ir, 0);
}
