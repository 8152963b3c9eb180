/*
 * Private to cpu/ppc: the decode table, the per-instruction translation
 * context and the IR-emitting helpers shared by translate_*.c.
 *
 * Decoding (decode.c) is a table of rows, one per encoding:
 *
 *     { "addic.", PPC_OP(13), PPC_M_OP, FORM_D, PPC_F_NONE, RAISES_NONE, trans_addic, 1 }
 *
 * A row matches when (insn & mask) == match. Its flags say what the
 * instruction needs (privilege: PPC_F_PRIV, PPC_F_HYP) and which interrupts it
 * can raise; the decoder performs the architected privilege check before the
 * row's trans function emits IR. `arg` parameterises shared trans functions
 * (a memop, an operation selector).
 */
#ifndef SV_CPU_PPC_TRANSLATE_H
#define SV_CPU_PPC_TRANSLATE_H

#include "cpu/ppc/cpu_ppc.h"
#include "cpu/ir.h"
#include "cpu/translator.h"

/* TB flags: everything translation depends on. */
enum {
	PPC_TBF_LE = 1u << 0,
	PPC_TBF_PR = 1u << 1,
	PPC_TBF_HV = 1u << 2,
	PPC_TBF_IR = 1u << 3,
	PPC_TBF_DR = 1u << 4,
	PPC_TBF_SF = 1u << 5,
	PPC_TBF_FP = 1u << 6,  /* MSR[FP]: floating-point available */
	PPC_TBF_VEC = 1u << 7, /* MSR[VEC]: VMX available */
	PPC_TBF_VSX = 1u << 8, /* MSR[VSX]: VSX available */
};

/* Instruction forms (for documentation and disassembly of the table). */
enum ppc_form {
	FORM_I,
	FORM_B,
	FORM_SC,
	FORM_D,
	FORM_DS,
	FORM_X,
	FORM_XL,
	FORM_XFX,
	FORM_XO,
	FORM_XS,
	FORM_M,
	FORM_MD,
	FORM_MDS,
	FORM_A,
};

/* Row flags. */
enum {
	PPC_F_NONE = 0,
	PPC_F_PRIV = 1, /* privileged: problem state -> privileged program interrupt */
	PPC_F_HYP = 2,  /* hypervisor privileged: also HEA in privileged non-HV state */
	PPC_F_64 = 4,   /* 64-bit only (valid in 32-bit mode too, for documentation) */
	PPC_F_END = 8,  /* ends the TB */
	PPC_F_FP = 16,  /* needs MSR[FP] = 1, else FP unavailable (0x800) */
	PPC_F_VEC = 32, /* needs MSR[VEC] = 1, else vector unavailable (0xF20) */
	PPC_F_VSX = 64, /* needs MSR[VSX] = 1, else VSX unavailable (0xF40) */
};

/* Interrupts a row can raise (documentation; checked by tests). */
enum {
	RAISES_NONE = 0,
	RAISES_DSI = 1,  /* data storage / HDSI via the MMU */
	RAISES_PROG = 2, /* program: trap, privileged */
	RAISES_SC = 4,   /* system call / hypercall */
	RAISES_HEA = 8,  /* hypervisor emulation assistance */
	RAISES_FPU = 16, /* floating-point unavailable */
};

struct ppc_dc;
typedef void (*ppc_trans_fn)(struct ppc_dc *dc);

struct ppc_opcode {
	const char *name;
	uint32_t match, mask;
	uint8_t form;
	uint8_t flags;
	uint8_t raises;
	ppc_trans_fn trans;
	uint32_t arg;
};

/* Per-instruction translation context. */
struct ppc_dc {
	struct translator *tr;
	struct ir_func *f;
	const struct ppc_opcode *op;
	uint32_t insn;
	uint64_t pc;    /* address of this instruction */
	uint64_t flags; /* PPC_TBF_* */
	bool le, sf, pr, hv;
	unsigned mem_idx;   /* mmu index for data accesses */
	unsigned mo_endian; /* 0 (LE) or IR_MO_BE */
};

/* Encoding helpers. */
#define PPC_OP(po) ((uint32_t)(po) << 26)
#define PPC_M_OP 0xfc000000u
#define PPC_XO10(po, xo) (PPC_OP(po) | ((uint32_t)(xo) << 1))
#define PPC_M_XO10 0xfc0007feu
#define PPC_XO9(po, xo) (PPC_OP(po) | ((uint32_t)(xo) << 1))
#define PPC_M_XO9 0xfc0003feu /* XO-form: OE (bit 21) and Rc free */

/* Instruction fields (ISA bit numbers are MSB-first). */
static inline unsigned ppc_rt(uint32_t i)
{
	return (i >> 21) & 31;
}
static inline unsigned ppc_ra(uint32_t i)
{
	return (i >> 16) & 31;
}
static inline unsigned ppc_rb(uint32_t i)
{
	return (i >> 11) & 31;
}
static inline unsigned ppc_rc(uint32_t i)
{
	return i & 1;
}
static inline unsigned ppc_oe(uint32_t i)
{
	return (i >> 10) & 1;
}
static inline uint64_t ppc_simm(uint32_t i)
{
	return sv_sext(i & 0xffff, 16);
}
static inline uint64_t ppc_uimm(uint32_t i)
{
	return i & 0xffff;
}
static inline unsigned ppc_sprn(uint32_t i)
{
	return ((i >> 16) & 31) | (((i >> 11) & 31) << 5);
}

/* Architected state offsets for ld_env/st_env. */
#define PPC_OFF(field) offsetof(struct cpu_ppc, field)
#define PPC_OFF_GPR(n) (offsetof(struct cpu_ppc, gpr) + 8 * (size_t)(n))
#define PPC_OFF_CRF(n) (offsetof(struct cpu_ppc, crf) + 8 * (size_t)(n))
#define PPC_OFF_FPR(n) (offsetof(struct cpu_ppc, vsr) + 16 * (size_t)(n))
/* Doubleword d (0: high) of VSR n. */
#define PPC_OFF_VSR(n, d) (offsetof(struct cpu_ppc, vsr) + 16 * (size_t)(n) + 8 * (size_t)(d))

/* decode.c */
const struct ppc_opcode *ppc_decode(uint32_t insn);
size_t ppc_decode_n_rows(void);
const struct ppc_opcode *ppc_decode_row(size_t k);
void ppc_translate_insn(struct translator *tr);
void ppc_tb_stop(struct translator *tr);

/* Shared emitters (translate_fixed.c). */
ir_temp ppc_ld_gpr(struct ppc_dc *dc, unsigned r);
void ppc_st_gpr(struct ppc_dc *dc, unsigned r, ir_temp v);
ir_temp ppc_ld_gpr_or0(struct ppc_dc *dc, unsigned r);
/* CR0 from a result (64-bit or 32-bit compare by mode) and XER[SO]. */
void ppc_gen_cr0(struct ppc_dc *dc, ir_temp result);
/* CR field bf from comparing a and b (signed or unsigned, 64- or 32-bit). */
void ppc_gen_cmp(struct ppc_dc *dc, unsigned bf, ir_temp a, ir_temp b, bool is_signed, bool is64);
/* Leave the TB at a known target (chain slot) or an indirect one (no chain). */
void ppc_gen_goto(struct ppc_dc *dc, unsigned slot, uint64_t target);
void ppc_gen_goto_reg(struct ppc_dc *dc, ir_temp target);
/* Store pc = next instruction and leave the TB without chaining. */
void ppc_gen_end_tb(struct ppc_dc *dc);
/* Raise an exception through a helper (never returns at run time). */
void ppc_gen_program(struct ppc_dc *dc, uint64_t srr1_bits);
void ppc_gen_hea(struct ppc_dc *dc);
/* Effective address (RA|0) + off, or RA + RB, truncated in 32-bit mode. */
ir_temp ppc_gen_ea_d(struct ppc_dc *dc, unsigned ra, uint64_t off);
ir_temp ppc_gen_ea_x(struct ppc_dc *dc, unsigned ra, unsigned rb);
ir_temp ppc_narrow_ea(struct ppc_dc *dc, ir_temp ea);

/* Rotate mask MASK(mb, me) in ISA bit numbering (0 = MSB). */
static inline uint64_t ppc_mask(unsigned mb, unsigned me)
{
	uint64_t a = ~0ull >> mb, b = ~0ull << (63 - me);
	return mb <= me ? (a & b) : (a | b);
}

/* Helpers called from IR (helpers.c, spr.c). The args are temps' values. */
/* msgsnd, msgclr, msgsndp, msgclrp (doorbell.c; the row's arg is the kind). */
void ppc_trans_msg(struct ppc_dc *dc);
uint64_t ppc_helper_program(struct cpu *cpu, uint64_t pc, uint64_t srr1_bits, uint64_t u1,
			    uint64_t u2);
uint64_t ppc_helper_hea(struct cpu *cpu, uint64_t pc, uint64_t insn, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_sc(struct cpu *cpu, uint64_t pc, uint64_t lev, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_rfid(struct cpu *cpu, uint64_t pc, uint64_t u0, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_scv(struct cpu *cpu, uint64_t pc, uint64_t lev, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_rfscv(struct cpu *cpu, uint64_t pc, uint64_t u0, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_hrfid(struct cpu *cpu, uint64_t pc, uint64_t u0, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_mtmsr(struct cpu *cpu, uint64_t val, uint64_t kind, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_trap(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t to_w, uint64_t pc);
uint64_t ppc_helper_popcntb(struct cpu *cpu, uint64_t a, uint64_t u0, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_popcntw(struct cpu *cpu, uint64_t a, uint64_t u0, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_cmpb(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_get_xer(struct cpu *cpu, uint64_t u0, uint64_t u1, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_set_xer(struct cpu *cpu, uint64_t v, uint64_t u1, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_get_cr(struct cpu *cpu, uint64_t u0, uint64_t u1, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_mtcrf(struct cpu *cpu, uint64_t v, uint64_t fxm, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_larx(struct cpu *cpu, uint64_t ea, uint64_t memop, uint64_t mmu_idx,
			 uint64_t u3);
uint64_t ppc_helper_stcx(struct cpu *cpu, uint64_t ea, uint64_t val, uint64_t memop,
			 uint64_t mmu_idx);
uint64_t ppc_helper_dcbz(struct cpu *cpu, uint64_t ea, uint64_t mmu_idx, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_icbi(struct cpu *cpu, uint64_t ea, uint64_t mmu_idx, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_mfspr(struct cpu *cpu, uint64_t sprn, uint64_t u1, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_mtspr(struct cpu *cpu, uint64_t sprn, uint64_t val, uint64_t u2, uint64_t u3);

/* helpers.c: raise interrupt vec with SRR0 = pc and no SRR1 bits (FP unavailable). */
uint64_t ppc_helper_interrupt(struct cpu *cpu, uint64_t pc, uint64_t vec, uint64_t u1, uint64_t u2);

/* fpu.c: the floating-point helpers (see the file's header). */
uint64_t ppc_helper_fp(struct cpu *cpu, uint64_t insn, uint64_t pc, uint64_t u1, uint64_t u2);
/* VSX scalar FP: xx2 = 0 for the XX3 forms, 1 for XX2. */
uint64_t ppc_helper_vsx_vfp(struct cpu *cpu, uint64_t insn, uint64_t xx2, uint64_t pc, uint64_t u2);
uint64_t ppc_helper_vsx_fp(struct cpu *cpu, uint64_t insn, uint64_t xx2, uint64_t pc, uint64_t u2);
uint64_t ppc_helper_lfs(struct cpu *cpu, uint64_t word, uint64_t u0, uint64_t u1, uint64_t u2);
uint64_t ppc_helper_stfs(struct cpu *cpu, uint64_t dw, uint64_t u0, uint64_t u1, uint64_t u2);

/* vmx_fp.c: VMX floating point; form 0 VX, 1 VC, 2 VA. */
uint64_t ppc_helper_vmx_fp(struct cpu *cpu, uint64_t insn, uint64_t form, uint64_t u2, uint64_t u3);

/* vec.c: the VMX (opcode 4) and VSX (opcode 60) register operations. */
uint64_t ppc_helper_vmx(struct cpu *cpu, uint64_t insn, uint64_t u1, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_vsx(struct cpu *cpu, uint64_t insn, uint64_t u1, uint64_t u2, uint64_t u3);
uint64_t ppc_helper_lxvl(struct cpu *cpu, uint64_t ea, uint64_t rb, uint64_t kind_xt,
			 uint64_t mmu_idx);
/* Raise the facility-unavailable interrupt vec at dc's instruction. */
void ppc_gen_unavailable(struct ppc_dc *dc, uint32_t vec);

/* spr.c: access rules of an SPR for the decoder. */
enum ppc_spr_access {
	PPC_SPR_OK,   /* allowed: emit the access */
	PPC_SPR_PRIV, /* privileged program interrupt */
	PPC_SPR_HEA,  /* hypervisor emulation assistance */
	PPC_SPR_NOP,  /* treated as a no-op */
};
enum ppc_spr_access ppc_spr_check(unsigned sprn, bool write, bool pr, bool hv, bool *end_tb);

#endif
