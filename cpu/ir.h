/*
 * The translator's intermediate representation.
 *
 * A front end (cpu/x86, cpu/ppc) turns guest instructions into a linear list
 * of IR instructions over *temps*: 64-bit virtual registers numbered per
 * translation block. Guest architectural state lives in the arch CPU struct
 * (which embeds struct cpu at offset 0) and is reached with LD_ENV/ST_ENV at
 * byte offsets from the struct cpu pointer. Every temp is 64 bits wide; narrower
 * operations are expressed with explicit extensions (EXT*).
 *
 * Worked example: x86 `add %rbx, %rax` (64-bit) becomes
 *
 *     insn_start  pc=0x1000 idx=0
 *     t0 = ld_env64 [rax]
 *     t1 = ld_env64 [rbx]
 *     t2 = add t0, t1
 *     st_env64 [rax], t2
 *     st_env64 [cc_src], t1 ; st_env64 [cc_dst], t2 ; ...lazy flags...
 *
 * Every function that emits a value returns a fresh temp, so each temp has one
 * definition (except ir_mov_to, which the front ends use to merge values at
 * labels). Backends (cpu/backend_*.c) turn the list into something that runs.
 */
#ifndef SV_CPU_IR_H
#define SV_CPU_IR_H

#include "sv/common.h"

struct cpu;

typedef uint16_t ir_temp;
typedef uint16_t ir_label;

#define IR_MAX_TEMPS 4096
#define IR_MAX_INSNS 8192
#define IR_MAX_LABELS 512

/* X-macro: name, number of temp operands read (a, b, c, e), writes d. */
#define IR_OPS(X)                                                                                  \
	X(NOP, 0, 0)        /* nothing */                                                          \
	X(INSN_START, 0, 0) /* imm = guest pc, c = index in TB; marks an insn boundary */          \
	X(MOVI, 0, 1)       /* d = imm */                                                          \
	X(MOV, 1, 1)        /* d = a */                                                            \
	X(LD_ENV, 0, 1)     /* d = zero-extended load of 1<<size bytes at env+imm */               \
	X(ST_ENV, 1, 0)     /* store low 1<<size bytes of a at env+imm */                          \
	X(ADD, 2, 1)        /* d = a + b   (b may be imm, IR_F_BIMM) */                            \
	X(SUB, 2, 1)                                                                               \
	X(AND, 2, 1)                                                                               \
	X(OR, 2, 1)                                                                                \
	X(XOR, 2, 1)                                                                               \
	X(SHL, 2, 1) /* shift count taken modulo 64 */                                             \
	X(SHR, 2, 1)                                                                               \
	X(SAR, 2, 1)                                                                               \
	X(ROTL, 2, 1) /* 64-bit rotate, count modulo 64 */                                         \
	X(ROTR, 2, 1)                                                                              \
	X(ROTL32, 2, 1) /* rotate low 32 bits, result zero-extended, count modulo 32 */            \
	X(MUL, 2, 1)    /* low 64 bits of a * b */                                                 \
	X(MULHU, 2, 1)  /* high 64 bits of the unsigned 128-bit product */                         \
	X(MULHS, 2, 1)  /* high 64 bits of the signed 128-bit product */                           \
	X(DIVU, 2, 1)   /* b == 0 gives 0: front ends check divisors first */                      \
	X(DIVS, 2, 1)   /* b == 0 or INT64_MIN / -1 gives 0 */                                     \
	X(REMU, 2, 1)                                                                              \
	X(REMS, 2, 1)                                                                              \
	X(NEG, 1, 1)                                                                               \
	X(NOT, 1, 1)                                                                               \
	X(EXT8S, 1, 1)                                                                             \
	X(EXT8U, 1, 1)                                                                             \
	X(EXT16S, 1, 1)                                                                            \
	X(EXT16U, 1, 1)                                                                            \
	X(EXT32S, 1, 1)                                                                            \
	X(EXT32U, 1, 1)                                                                            \
	X(BSWAP16, 1, 1) /* swap low 2 bytes, result zero-extended */                              \
	X(BSWAP32, 1, 1)                                                                           \
	X(BSWAP64, 1, 1)                                                                           \
	X(CLZ, 1, 1) /* 64-bit; clz(0) = 64 */                                                     \
	X(CTZ, 1, 1) /* ctz(0) = 64 */                                                             \
	X(POPCNT, 1, 1)                                                                            \
	X(SETCOND, 2, 1) /* d = cond(a, b) ? 1 : 0 */                                              \
	X(MOVCOND, 4, 1) /* d = cond(a, b) ? c : e */                                              \
	X(BR, 0, 0)      /* goto label */                                                          \
	X(BRCOND, 2, 0)  /* if cond(a, b) goto label */                                            \
	X(LABEL, 0, 0)   /* label definition */                                                    \
	X(QLD, 1, 1)     /* d = guest load at a + imm, memop, mmu_idx */                           \
	X(QST, 2, 0)     /* guest store of b at a + imm, memop, mmu_idx */                         \
	X(CALL, 4, 1)    /* d = fn(cpu, a, b, c, e); fn in imm */                                  \
	X(GOTO_TB, 0, 0) /* leave the TB through chain slot c (0 or 1) */                          \
	X(EXIT_TB, 0, 0) /* leave the TB, no chaining */

enum ir_opcode {
#define IR_ENUM(name, nin, nout) IR_##name,
	IR_OPS(IR_ENUM)
#undef IR_ENUM
	IR_NUM_OPS
};

/* Comparison conditions for SETCOND, MOVCOND, BRCOND (64-bit operands). */
enum ir_cond {
	IR_EQ,
	IR_NE,
	IR_LT, /* signed */
	IR_GE,
	IR_LE,
	IR_GT,
	IR_LTU, /* unsigned */
	IR_GEU,
	IR_LEU,
	IR_GTU,
	IR_TSTEQ, /* (a & b) == 0 */
	IR_TSTNE, /* (a & b) != 0 */
};

/* Memory operation descriptor for QLD/QST. */
enum {
	IR_MO_8 = 0,
	IR_MO_16 = 1,
	IR_MO_32 = 2,
	IR_MO_64 = 3,
	IR_MO_SIZE = 3,
	IR_MO_SIGN = 4, /* sign-extend the loaded value */
	IR_MO_BE = 8,   /* big-endian access (default little-endian) */
};

/* Instruction flags. */
enum {
	IR_F_BIMM = 1, /* operand b is the immediate imm, not a temp */
};

struct ir_insn {
	uint8_t op;    /* enum ir_opcode */
	uint8_t flags; /* IR_F_* */
	uint8_t cond;  /* enum ir_cond, or memop for QLD/QST, or size log2 for *_ENV */
	uint8_t mmu_idx;
	ir_temp d, a, b, c, e;
	ir_label label;
	uint64_t imm;
};

typedef uint64_t (*ir_helper_fn)(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e);

/* A function under construction: the IR of one translation block. */
struct ir_func {
	struct ir_insn *insns;
	unsigned n_insns;
	unsigned n_temps;
	unsigned n_labels;
	bool overflow; /* ran out of insns/temps/labels: the translator ends the TB early */
	/* Per-temp working arrays of the optimizer passes, allocated once
	 * (IR_MAX_TEMPS entries each) rather than per TB. */
	uint64_t *scratch64;
	uint32_t *scratch32[2];
	uint16_t *scratch16[2];
	uint8_t *scratch8[2];
};

void ir_func_init(struct ir_func *f);
void ir_func_reset(struct ir_func *f);
void ir_func_destroy(struct ir_func *f);
/* Room for a guest instruction worth of IR? (front ends stop the TB if not) */
bool ir_func_has_room(const struct ir_func *f);

ir_temp ir_new_temp(struct ir_func *f);
ir_label ir_new_label(struct ir_func *f);
void ir_set_label(struct ir_func *f, ir_label l);

void ir_insn_start(struct ir_func *f, uint64_t pc, unsigned idx);
ir_temp ir_movi(struct ir_func *f, uint64_t imm);
ir_temp ir_mov(struct ir_func *f, ir_temp a);
/* d = a, for an existing d (merging values across labels). */
void ir_mov_to(struct ir_func *f, ir_temp d, ir_temp a);
void ir_movi_to(struct ir_func *f, ir_temp d, uint64_t imm);

/* size_log2: 0..3 for 1, 2, 4, 8 bytes; offsets are from the struct cpu pointer. */
ir_temp ir_ld_env(struct ir_func *f, unsigned size_log2, size_t off);
void ir_st_env(struct ir_func *f, unsigned size_log2, size_t off, ir_temp a);
void ir_st_envi(struct ir_func *f, unsigned size_log2, size_t off, uint64_t imm);

ir_temp ir_op1(struct ir_func *f, enum ir_opcode op, ir_temp a);
ir_temp ir_op2(struct ir_func *f, enum ir_opcode op, ir_temp a, ir_temp b);
ir_temp ir_op2i(struct ir_func *f, enum ir_opcode op, ir_temp a, uint64_t imm);

ir_temp ir_setcond(struct ir_func *f, enum ir_cond cond, ir_temp a, ir_temp b);
ir_temp ir_setcondi(struct ir_func *f, enum ir_cond cond, ir_temp a, uint64_t imm);
ir_temp ir_movcond(struct ir_func *f, enum ir_cond cond, ir_temp a, ir_temp b, ir_temp t,
		   ir_temp e);
void ir_br(struct ir_func *f, ir_label l);
void ir_brcond(struct ir_func *f, enum ir_cond cond, ir_temp a, ir_temp b, ir_label l);
void ir_brcondi(struct ir_func *f, enum ir_cond cond, ir_temp a, uint64_t imm, ir_label l);

ir_temp ir_qld(struct ir_func *f, unsigned memop, unsigned mmu_idx, ir_temp addr, int64_t off);
void ir_qst(struct ir_func *f, unsigned memop, unsigned mmu_idx, ir_temp addr, int64_t off,
	    ir_temp val);

/* Helper call: fn(cpu, a, b, c, e). Unused arguments: pass IR_NO_TEMP. */
#define IR_NO_TEMP ((ir_temp)0xffff)
ir_temp ir_call(struct ir_func *f, ir_helper_fn fn, ir_temp a, ir_temp b, ir_temp c, ir_temp e);

/* Leave the TB. The guest pc must already be stored in the arch state. */
void ir_goto_tb(struct ir_func *f, unsigned slot);
void ir_exit_tb(struct ir_func *f);

/* Convenience wrappers. */
static inline ir_temp ir_add(struct ir_func *f, ir_temp a, ir_temp b)
{
	return ir_op2(f, IR_ADD, a, b);
}
static inline ir_temp ir_addi(struct ir_func *f, ir_temp a, uint64_t i)
{
	return ir_op2i(f, IR_ADD, a, i);
}
static inline ir_temp ir_mul(struct ir_func *f, ir_temp a, ir_temp b)
{
	return ir_op2(f, IR_MUL, a, b);
}
static inline ir_temp ir_sub(struct ir_func *f, ir_temp a, ir_temp b)
{
	return ir_op2(f, IR_SUB, a, b);
}
static inline ir_temp ir_and(struct ir_func *f, ir_temp a, ir_temp b)
{
	return ir_op2(f, IR_AND, a, b);
}
static inline ir_temp ir_andi(struct ir_func *f, ir_temp a, uint64_t i)
{
	return ir_op2i(f, IR_AND, a, i);
}
static inline ir_temp ir_or(struct ir_func *f, ir_temp a, ir_temp b)
{
	return ir_op2(f, IR_OR, a, b);
}
static inline ir_temp ir_ori(struct ir_func *f, ir_temp a, uint64_t i)
{
	return ir_op2i(f, IR_OR, a, i);
}
static inline ir_temp ir_xor(struct ir_func *f, ir_temp a, ir_temp b)
{
	return ir_op2(f, IR_XOR, a, b);
}
static inline ir_temp ir_shli(struct ir_func *f, ir_temp a, uint64_t i)
{
	return ir_op2i(f, IR_SHL, a, i);
}
static inline ir_temp ir_shri(struct ir_func *f, ir_temp a, uint64_t i)
{
	return ir_op2i(f, IR_SHR, a, i);
}
static inline ir_temp ir_sari(struct ir_func *f, ir_temp a, uint64_t i)
{
	return ir_op2i(f, IR_SAR, a, i);
}

/* Names for traces and tests. */
const char *ir_op_name(enum ir_opcode op);
/* Print the function, one insn per line, to a GString-like sink (for tests/traces). */
char *ir_func_dump(const struct ir_func *f);

/* Optimizer: constant folding/propagation and dead-temp elimination. */
void ir_optimize(struct ir_func *f);

#endif
