/*
 * Translation of the SSE/SSE2 (XMM), x87 and FXSAVE/FXRSTOR/LDMXCSR/STMXCSR
 * instructions. The semantics live in C helpers (helpers_sse.c, x87.c): the
 * translator checks availability from the TB flags and passes the operands'
 * registers, the linear address of a memory operand and the mmu index; the
 * helpers load memory with cpu_ld first (so a fault leaves the instruction
 * unexecuted) and then update the state.
 *
 * Availability (SDM vol. 3 table 13-? "Action taken for combinations of
 * EM, MP, TS" and 13.1/13.2):
 *   SSE:  CR0.EM = 1 or CR4.OSFXSR = 0 -> #UD; else CR0.TS = 1 -> #NM
 *   x87:  CR0.EM = 1 or CR0.TS = 1 -> #NM
 *   WAIT: CR0.TS = 1 and CR0.MP = 1 -> #NM
 * CR0 and CR4 changes end the TB, so the TB flags are current.
 *
 * Example: `movdqu (%rsi), %xmm0` (F3 0F 6F /r) becomes one IR call
 *     x86_helper_sse(MOVUPS | reg 0 << 8 | mem | mmu_idx << 17, la, -, -)
 */
#include "cpu/x86/helpers.h"
#include "cpu/x86/sse.h"
#include "cpu/x86/translate.h"

/* Memory forms only (the register form is #UD or another instruction). */
static bool x86_sse_mem_only(unsigned op)
{
	return op == X86_SSE_MOVLPD || op == X86_SSE_MOVHPD || op == X86_SSE_MOVLPS_ST ||
	       op == X86_SSE_MOVHPS_ST || op == X86_SSE_MOVNT_ST || op == X86_SSE_LDDQU ||
	       op == X86_SSE_MOVNTDQA;
}

/* GOUT forms whose destination is ModRM.rm (register or memory) and its
 * size; the others write the general register in ModRM.reg. */
static int x86_sse_gout_e_size(unsigned op, unsigned osz)
{
	switch (op) {
	case X86_SSE_MOVD_FROMX:
	case X86_SSE_PEXTRD: return (int)osz; /* r/m32, or r/m64 with REX.W */
	case X86_SSE_EXTRACTPS: return 2;
	case X86_SSE_PEXTRB: return 0;
	case X86_SSE_PEXTRW_E: return 1;
	default: return -1;
	}
}

/* MMX (SDM vol. 1 9.?: CR0.EM -> #UD, CR0.TS -> #NM); the conversions that
 * also touch XMM registers need SSE too (CR4.OSFXSR). */
static bool x86_mmx_available(struct x86_dc *dc, unsigned op)
{
	bool xmm = op == X86_SSE_MOVQ2DQ || op == X86_SSE_MOVDQ2Q ||
		   (op >= X86_SSE_CVTPI2PS && op <= X86_SSE_CVTTPD2PI);
	if (dc->em || (xmm && !dc->osfxsr)) {
		x86_gen_ud(dc);
		return false;
	}
	if (dc->ts) {
		x86_gen_raise(dc, X86_EXC_NM, false, 0);
		return false;
	}
	return true;
}

static bool x86_sse_available(struct x86_dc *dc)
{
	if (dc->em || !dc->osfxsr) {
		x86_gen_ud(dc);
		return false;
	}
	if (dc->ts) {
		x86_gen_raise(dc, X86_EXC_NM, false, 0);
		return false;
	}
	return true;
}

void x86_h_sse(struct x86_dc *dc)
{
	const struct x86_insn *in = &dc->in;
	unsigned op = in->row->arg, kind = x86_sse_info[op].kind, mem_kind = x86_sse_info[op].mem;
	bool mem = in->has_modrm && in->mod != 3;
	bool lock = in->lock;
	int esz = x86_sse_gout_e_size(op, in->op_size);
	if (lock ||
	    (mem && (kind == SSE_IRM || (mem_kind == MNONE && kind != SSE_GIN && esz < 0))) ||
	    (!mem && x86_sse_mem_only(op))) {
		x86_gen_ud(dc);
		return;
	}
	bool mmx = in->row->flags & XF_MMX;
	if (mmx ? !x86_mmx_available(dc, op) : !x86_sse_available(dc))
		return;
	if (op == X86_SSE_EMMS) {
		x86_call(dc, x86_helper_sse, x86_imm(dc, op | (1u << 24)), x86_imm(dc, 0),
			 x86_imm(dc, 0), x86_imm(dc, 0));
		return;
	}
	if (op == X86_SSE_MASKMOVDQU) {
		/* SDM MASKMOVDQU: the destination is DS:rDI (segment override
		 * allowed), the address size that of the instruction. */
		ir_temp di = x86_get_reg(dc, X86_RDI, in->addr_size);
		ir_temp la = x86_linear(dc, di, in->seg);
		uint64_t mi = op | ((uint64_t)in->reg << 8) | ((uint64_t)in->rm << 12) |
			      (1u << 16) | ((uint64_t)dc->mmu_idx << 17) | (mmx ? 1u << 24 : 0);
		x86_call(dc, x86_helper_sse, x86_imm(dc, mi), la, x86_imm(dc, 0), x86_imm(dc, 0));
		return;
	}
	unsigned osz = in->op_size;
	uint64_t info = op | ((uint64_t)in->reg << 8) | ((uint64_t)in->rm << 12) |
			((uint64_t)osz << 20) | (mmx ? 1u << 24 : 0);
	ir_temp addr = x86_imm(dc, 0), gval = x86_imm(dc, 0);
	if (kind == SSE_GIN) {
		/* PINSRB's register form reads r32 (its low byte): codes 4-7 are
		 * ESP..EDI, not AH..BH (SDM PINSRB "r32/m8"). */
		unsigned gsz = op == X86_SSE_PINSRW ? 1 :
			       op == X86_SSE_PINSRB ? (in->mod == 3 ? 2 : 0) :
						      osz;
		gval = x86_ld_opd(dc, OPD_E, gsz);
	} else if (mem && esz < 0) {
		static const unsigned char bytes[] = {
			[M16A] = 16, [M16] = 16, [M8] = 8, [M4] = 4, [M2] = 2
		};
		unsigned n = mem_kind < MNONE ? bytes[mem_kind] : 16;
		addr = x86_mem_addr(dc);
		x86_seg_check(dc, addr, mmx && n > 8 ? 8 : n, kind == SSE_ST);
		info |= (1u << 16) | ((uint64_t)dc->mmu_idx << 17);
	}
	ir_temp r = x86_call(dc, x86_helper_sse, x86_imm(dc, info), addr, gval,
			     x86_imm(dc, (uint64_t)in->imm & 0xff));
	if (kind == SSE_CMPF || (op >= X86_SSE_PCMPESTRM && op <= X86_SSE_PCMPISTRI))
		dc->c->tr_cc_op = X86_CC_DYNAMIC;
	if (kind != SSE_GOUT)
		return;
	if (esz >= 0) {
		/* A register destination takes the value zero-extended to 32
		 * (or 64) bits; memory gets esz bytes (SDM PEXTRB/W/D/Q). */
		if (in->mod == 3)
			x86_set_reg(dc, in->rm, esz == 3 ? 3 : 2, r);
		else
			x86_st_opd(dc, OPD_E, (unsigned)esz, r);
	} else
		x86_set_reg(dc, in->reg,
			    (op == X86_SSE_CVTTSD2SI || op == X86_SSE_CVTSD2SI ||
			     op == X86_SSE_CVTTSS2SI || op == X86_SSE_CVTSS2SI) ?
				    osz :
				    2,
			    r);
}

/* 0F AE /0-/3 memory forms. */
void x86_h_grp15_mem(struct x86_dc *dc)
{
	unsigned op = dc->in.row->arg;
	if (op >= 2) { /* LDMXCSR, STMXCSR: SSE availability */
		if (!x86_sse_available(dc))
			return;
	} else if (dc->em || dc->ts) { /* FXSAVE, FXRSTOR */
		x86_gen_raise(dc, X86_EXC_NM, false, 0);
		return;
	}
	uint64_t info = op | ((uint64_t)dc->mmu_idx << 2) | ((dc->in.rex & 8) ? 1u << 5 : 0);
	/* FXSAVE/FXRSTOR: 512 bytes; LDMXCSR/STMXCSR: 4. */
	x86_seg_check(dc, x86_mem_addr(dc), op < 2 ? 512 : 4, op == 0 || op == 3);
	x86_call(dc, x86_helper_fxsave, x86_mem_addr(dc), x86_imm(dc, info), IR_NO_TEMP,
		 IR_NO_TEMP);
	if (op == 1 || op == 2)
		x86_end_tb(
			dc); /* MXCSR (and FCW) may have changed: no cached state, but be exact */
}

/* D8-DF (and 9B FWAIT): the x87 helper decodes opcode and ModRM itself. */
void x86_h_x87(struct x86_dc *dc)
{
	const struct x86_insn *in = &dc->in;
	if (in->opcode == 0x9b) {
		if (dc->ts && dc->mp) {
			x86_gen_raise(dc, X86_EXC_NM, false, 0);
			return;
		}
	} else if (dc->em || dc->ts) {
		x86_gen_raise(dc, X86_EXC_NM, false, 0);
		return;
	}
	bool mem = in->opcode != 0x9b && in->mod != 3;
	uint64_t info = in->opcode | ((uint64_t)in->modrm << 8) | (mem ? 1u << 16 : 0) |
			((uint64_t)dc->mmu_idx << 17) | ((uint64_t)in->op_size << 20);
	ir_temp addr = mem ? x86_mem_addr(dc) : x86_imm(dc, 0);
	x86_call(dc, x86_helper_x87, x86_imm(dc, info), addr, x86_cur_rip(dc), x86_len(dc));
	dc->c->tr_cc_op = X86_CC_DYNAMIC; /* FCOMI/FUCOMI set EFLAGS */
}
