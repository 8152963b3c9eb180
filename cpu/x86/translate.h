/*
 * The x86 translator's internal interface, shared by the translation files
 * (translate.c: the integer and system instructions; translate_sse.c: SSE,
 * SSE2 and x87). Not for use outside cpu/x86/.
 *
 * struct x86_dc is the state of translating one instruction: the decoded
 * instruction, the mode bits of the TB (from the TB flags, see cpu.c) and a
 * memoized effective address. The functions emit IR for the usual pieces:
 * registers with the operand-size rules, operands by decode kind, memory
 * accesses with the TB's mmu index, and exceptions.
 */
#ifndef SV_CPU_X86_TRANSLATE_H
#define SV_CPU_X86_TRANSLATE_H

#include "cpu/ir.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/decode.h"

#define X86_ENV(field) offsetof(struct cpu_x86, field)
#define X86_ENV_REG(r) (offsetof(struct cpu_x86, regs) + 8u * (unsigned)(r))
#define X86_ENV_SEG(s, field)                                                                      \
	(offsetof(struct cpu_x86, seg) + sizeof(struct x86_seg) * (unsigned)(s) +                  \
	 offsetof(struct x86_seg, field))

struct x86_dc {
	struct translator *tr;
	struct ir_func *f;
	struct cpu_x86 *c;
	struct x86_insn in;
	bool code64, pe, pg;
	unsigned cpl, iopl, mmu_idx;
	bool umip;        /* CR4.UMIP */
	bool em, ts, mp;  /* CR0.EM, CR0.TS, CR0.MP (x87/SSE availability) */
	bool osfxsr;      /* CR4.OSFXSR */
	unsigned sp_size; /* log2 bytes of the stack pointer */
	ir_temp ea;
	bool ea_valid;
	/* Segments whose accesses need limit and type checks (a bit per
	 * enum x86_seg_reg, from the TB flags), and the linear addresses this
	 * instruction computed through them, with their offsets, for the
	 * checks of the loads and stores at those addresses. */
	unsigned seg_checked;
	unsigned n_lim;
	struct x86_lim {
		ir_temp lin, off;
		unsigned seg;
	} lim[4];
};

ir_temp x86_call(struct x86_dc *dc, ir_helper_fn fn, ir_temp a, ir_temp b, ir_temp c, ir_temp e);
ir_temp x86_imm(struct x86_dc *dc, uint64_t v);
ir_temp x86_get_reg(struct x86_dc *dc, unsigned r, unsigned sz);
void x86_set_reg(struct x86_dc *dc, unsigned r, unsigned sz, ir_temp v);
ir_temp x86_rip_of(struct x86_dc *dc, uint64_t lin);
void x86_end_tb(struct x86_dc *dc);
ir_temp x86_cur_rip(struct x86_dc *dc);
ir_temp x86_len(struct x86_dc *dc);
void x86_gen_raise(struct x86_dc *dc, unsigned vector, bool has_err, uint32_t err);
void x86_gen_ud(struct x86_dc *dc);
ir_temp x86_mem_addr(struct x86_dc *dc);
ir_temp x86_linear(struct x86_dc *dc, ir_temp ea, int seg);
ir_temp x86_seg_linear(struct x86_dc *dc, ir_temp off, int seg);
void x86_seg_check(struct x86_dc *dc, ir_temp addr, unsigned bytes, bool write);
ir_temp x86_qld(struct x86_dc *dc, ir_temp addr, unsigned sz);
void x86_qst(struct x86_dc *dc, ir_temp addr, unsigned sz, ir_temp v);
ir_temp x86_ld_opd(struct x86_dc *dc, unsigned kind, unsigned sz);
void x86_st_opd(struct x86_dc *dc, unsigned kind, unsigned sz, ir_temp v);
/* A helper with (a, b, rip, len) that may exit or fault. */
ir_temp x86_sys_call(struct x86_dc *dc, ir_helper_fn fn, ir_temp a, ir_temp b);

/* translate_sse.c */
void x86_h_sse(struct x86_dc *dc);
void x86_h_x87(struct x86_dc *dc);
void x86_h_grp15_mem(struct x86_dc *dc);

#endif
