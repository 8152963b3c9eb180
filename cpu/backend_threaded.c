/*
 * The threaded backend: a direct-threaded interpreter of IR, correct on every
 * host — the reference every other backend is tested against.
 *
 * compile() turns the IR list into an array of `struct tcode`, one per IR insn
 * (NOPs and labels dropped), each naming its handler (a label address where
 * the compiler supports labels-as-values, else an index for a switch), its
 * operand temps, immediate and, for branches, the target tcode. exec() keeps
 * the temps in a frame on the host stack and jumps from handler to handler.
 *
 * Guest memory: QLD/QST look the softmmu TLB up inline; a miss, an MMIO or
 * code page, or an access crossing a page goes to cpu_ld/cpu_st (cpu/exec.c).
 *
 * Chaining: GOTO_TB n continues directly in tb->jmp_dest[n] when it is linked
 * and the CPU has budget and no exit request; otherwise exec returns the slot
 * so the run loop can find (and link) the successor.
 */
#include "cpu/backend.h"
#include "cpu/cpu.h"
#include "cpu/ir_eval.h"
#include "cpu/tb.h"

#include <errno.h>
#include <glib.h>

#if defined(__GNUC__) || defined(__clang__)
#define THREADED_LABELS 1
#else
#define THREADED_LABELS 0
#endif

/* Handler kinds; specialised forms for the hottest operations. */
/* clang-format off */
/* Conditions, in enum ir_cond order: each has its own BRCOND/SETCOND handlers
 * so the interpreter never switches on a condition at run time. */
#define TH_CONDS(M, X) \
	M(X, EQ, a == b) M(X, NE, a != b) \
	M(X, LT, (int64_t)a < (int64_t)b) M(X, GE, (int64_t)a >= (int64_t)b) \
	M(X, LE, (int64_t)a <= (int64_t)b) M(X, GT, (int64_t)a > (int64_t)b) \
	M(X, LTU, a < b) M(X, GEU, a >= b) M(X, LEU, a <= b) M(X, GTU, a > b) \
	M(X, TSTEQ, (a & b) == 0) M(X, TSTNE, (a & b) != 0)
/* Binary ops with a handler each (register and immediate forms); the rest
 * go through ir_fold. */
#define TH_BINS(M, X) \
	M(X, ADD, a + b) M(X, SUB, a - b) M(X, AND, a & b) M(X, OR, a | b) M(X, XOR, a ^ b) \
	M(X, SHL, a << (b & 63)) M(X, SHR, a >> (b & 63)) \
	M(X, SAR, (uint64_t)((int64_t)a >> (b & 63))) \
	M(X, ROTL, ir_rotl64(a, (unsigned)b)) M(X, ROTL32, ir_rotl32(a, (unsigned)b)) \
	M(X, MUL, a * b)
/* Unary ops with a handler each. */
#define TH_UNS(M, X) \
	M(X, NEG, -a) M(X, NOT, ~a) \
	M(X, EXT8S, (uint64_t)(int64_t)(int8_t)a) M(X, EXT8U, (uint8_t)a) \
	M(X, EXT16S, (uint64_t)(int64_t)(int16_t)a) M(X, EXT16U, (uint16_t)a) \
	M(X, EXT32S, (uint64_t)(int64_t)(int32_t)a) M(X, EXT32U, (uint32_t)a)
#define TH_COND_OPS(X, name, expr) X(SETCOND_##name##_RR) X(SETCOND_##name##_RI) \
	X(BRCOND_##name##_RR) X(BRCOND_##name##_RI)
#define TH_BIN_OPS(X, name, expr) X(name##_RR) X(name##_RI) X(name##_RR_ST) X(name##_RI_ST)
#define TH_UN_OPS(X, name, expr) X(name)
#define TH_OPS(X) \
	X(INSN_START) X(MOVI) X(MOV) X(MOVI_ST) X(ST2_ENV64) \
	X(LD_ENV8) X(LD_ENV16) X(LD_ENV32) X(LD_ENV64) \
	X(ST_ENV8) X(ST_ENV16) X(ST_ENV32) X(ST_ENV64) \
	TH_BINS(TH_BIN_OPS, X) TH_UNS(TH_UN_OPS, X) TH_CONDS(TH_COND_OPS, X) \
	X(BIN_RR) X(BIN_RI) X(UN) \
	X(MOVCOND) \
	X(BR) \
	X(QLD) X(QST) X(CALL) X(GOTO_TB) X(EXIT_TB)
/* clang-format on */

enum th_op {
#define TH_ENUM(x) TH_##x,
	TH_OPS(TH_ENUM)
#undef TH_ENUM
	TH_NUM
};

struct tcode {
	const void *h; /* handler label (labels-as-values) */
	uint8_t op;    /* enum th_op (switch dispatch) */
	uint8_t sub;   /* IR opcode for BIN/UN, cond, memop, or env size */
	uint8_t mmu_idx;
	ir_temp d, a, b, c, e;
	uint64_t imm;
	union {
		const struct tcode *target; /* BR, BRCOND */
		uint64_t st_off; /* *_ST, ST2: env offset the result (b) is also stored at */
	};
};

struct tprog {
	unsigned n;
	struct tcode code[];
};

/* The frame: IR temps plus one always-zero slot standing for IR_NO_TEMP. */
#define TH_ZERO_TEMP IR_MAX_TEMPS

static inline uint64_t th_ld(struct cpu *cpu, uint64_t va, unsigned memop, unsigned idx)
{
	struct mmu_tlb_entry *e = mmu_tlb_entry(&cpu->tlb, idx, va);
	unsigned size = 1u << (memop & IR_MO_SIZE);
	uint64_t v;

	if (SV_LIKELY((va & SV_PAGE_MASK) == e->addr_read &&
		      (va & ~SV_PAGE_MASK) + size <= SV_PAGE_SIZE)) {
		v = sv_ld_p((const void *)(uintptr_t)(va + e->addend), memop & IR_MO_SIZE,
			    memop & IR_MO_BE);
		if (memop & IR_MO_SIGN)
			v = sv_sext(v, size * 8);
		return v;
	}
	return cpu_ld(cpu, va, memop, idx);
}

static inline void th_st(struct cpu *cpu, uint64_t va, unsigned memop, unsigned idx, uint64_t v)
{
	struct mmu_tlb_entry *e = mmu_tlb_entry(&cpu->tlb, idx, va);
	unsigned size = 1u << (memop & IR_MO_SIZE);

	if (SV_LIKELY((va & SV_PAGE_MASK) == e->addr_write &&
		      (va & ~SV_PAGE_MASK) + size <= SV_PAGE_SIZE)) {
		sv_st_p((void *)(uintptr_t)(va + e->addend), memop & IR_MO_SIZE, memop & IR_MO_BE,
			v);
		return;
	}
	cpu_st(cpu, va, memop, idx, v);
}

/* Account a TB's instructions as it is entered (exec.c corrects on a
 * mid-TB exit). */
static inline void th_enter(struct cpu *cpu, const struct tb *tb)
{
	cpu->icount_base = cpu->icount;
	cpu->icount += tb->n_insns;
	cpu->budget -= tb->n_insns;
	cpu->insn_idx = 0;
	cpu->n_tb_exec++;
}

/*
 * The interpreter. Called with tb == NULL it only reports its handler table
 * (labels are local to the function that holds them).
 */
static struct backend_exit th_run(struct cpu *cpu, struct tb *tb, const void *const **table)
{
#if THREADED_LABELS
	static const void *const labels[TH_NUM] = {
#define TH_LABEL(x) [TH_##x] = &&L_##x,
		TH_OPS(TH_LABEL)
#undef TH_LABEL
	};
#define CASE(x) L_##x:
#define NEXT goto *(++ip)->h
#define JUMP(p)                                                                                    \
	do {                                                                                       \
		ip = (p);                                                                          \
		goto * ip->h;                                                                      \
	} while (0)
#define DISPATCH goto * ip->h;
#else
#define CASE(x) case TH_##x:
#define NEXT                                                                                       \
	do {                                                                                       \
		ip++;                                                                              \
		goto dispatch;                                                                     \
	} while (0)
#define JUMP(p)                                                                                    \
	do {                                                                                       \
		ip = (p);                                                                          \
		goto dispatch;                                                                     \
	} while (0)
#define DISPATCH                                                                                   \
dispatch:                                                                                          \
	switch (ip->op)
#endif
	uint64_t t[IR_MAX_TEMPS + 1];
	const struct tcode *ip;
	struct backend_exit ret;

	if (!tb) {
#if THREADED_LABELS
		*table = labels;
#else
		*table = NULL;
#endif
		ret.last = NULL;
		ret.slot = BACKEND_EXIT_NOCHAIN;
		return ret;
	}
	t[TH_ZERO_TEMP] = 0;
	th_enter(cpu, tb);
	ip = ((const struct tprog *)tb->code)->code;
	uint8_t *env = (uint8_t *)cpu;

	DISPATCH
	{
		CASE(INSN_START)
		{
			cpu->insn_pc = ip->imm;
			cpu->insn_idx = ip->c;
			NEXT;
		}
		CASE(MOVI)
		{
			t[ip->d] = ip->imm;
			NEXT;
		}
		CASE(MOVI_ST)
		{
			t[ip->d] = ip->imm;
			memcpy(env + ip->st_off, &ip->imm, 8);
			NEXT;
		}
		CASE(ST2_ENV64)
		{
			memcpy(env + ip->imm, &t[ip->a], 8);
			memcpy(env + ip->st_off, &t[ip->b], 8);
			NEXT;
		}
		CASE(MOV)
		{
			t[ip->d] = t[ip->a];
			NEXT;
		}
		CASE(LD_ENV8)
		{
			t[ip->d] = *(uint8_t *)(env + ip->imm);
			NEXT;
		}
		CASE(LD_ENV16)
		{
			uint16_t v;
			memcpy(&v, env + ip->imm, 2);
			t[ip->d] = v;
			NEXT;
		}
		CASE(LD_ENV32)
		{
			uint32_t v;
			memcpy(&v, env + ip->imm, 4);
			t[ip->d] = v;
			NEXT;
		}
		CASE(LD_ENV64)
		{
			memcpy(&t[ip->d], env + ip->imm, 8);
			NEXT;
		}
		CASE(ST_ENV8)
		{
			*(uint8_t *)(env + ip->imm) = (uint8_t)t[ip->a];
			NEXT;
		}
		CASE(ST_ENV16)
		{
			uint16_t v = (uint16_t)t[ip->a];
			memcpy(env + ip->imm, &v, 2);
			NEXT;
		}
		CASE(ST_ENV32)
		{
			uint32_t v = (uint32_t)t[ip->a];
			memcpy(env + ip->imm, &v, 4);
			NEXT;
		}
		CASE(ST_ENV64)
		{
			memcpy(env + ip->imm, &t[ip->a], 8);
			NEXT;
		}
#define TH_BIN(X, name, expr)                                                                      \
	CASE(name##_RR)                                                                            \
	{                                                                                          \
		uint64_t a = t[ip->a], b = t[ip->b];                                               \
		t[ip->d] = (expr);                                                                 \
		NEXT;                                                                              \
	}                                                                                          \
	CASE(name##_RI)                                                                            \
	{                                                                                          \
		uint64_t a = t[ip->a], b = ip->imm;                                                \
		t[ip->d] = (expr);                                                                 \
		NEXT;                                                                              \
	}                                                                                          \
	CASE(name##_RR_ST)                                                                         \
	{                                                                                          \
		uint64_t a = t[ip->a], b = t[ip->b], r = (expr);                                   \
		t[ip->d] = r;                                                                      \
		memcpy(env + ip->st_off, &r, 8);                                                   \
		NEXT;                                                                              \
	}                                                                                          \
	CASE(name##_RI_ST)                                                                         \
	{                                                                                          \
		uint64_t a = t[ip->a], b = ip->imm, r = (expr);                                    \
		t[ip->d] = r;                                                                      \
		memcpy(env + ip->st_off, &r, 8);                                                   \
		NEXT;                                                                              \
	}
#define TH_UN(X, name, expr)                                                                       \
	CASE(name)                                                                                 \
	{                                                                                          \
		uint64_t a = t[ip->a];                                                             \
		t[ip->d] = (expr);                                                                 \
		NEXT;                                                                              \
	}
#define TH_COND(X, name, expr)                                                                     \
	CASE(SETCOND_##name##_RR)                                                                  \
	{                                                                                          \
		uint64_t a = t[ip->a], b = t[ip->b];                                               \
		t[ip->d] = (expr);                                                                 \
		NEXT;                                                                              \
	}                                                                                          \
	CASE(SETCOND_##name##_RI)                                                                  \
	{                                                                                          \
		uint64_t a = t[ip->a], b = ip->imm;                                                \
		t[ip->d] = (expr);                                                                 \
		NEXT;                                                                              \
	}                                                                                          \
	CASE(BRCOND_##name##_RR)                                                                   \
	{                                                                                          \
		uint64_t a = t[ip->a], b = t[ip->b];                                               \
		if (expr)                                                                          \
			JUMP(ip->target);                                                          \
		NEXT;                                                                              \
	}                                                                                          \
	CASE(BRCOND_##name##_RI)                                                                   \
	{                                                                                          \
		uint64_t a = t[ip->a], b = ip->imm;                                                \
		if (expr)                                                                          \
			JUMP(ip->target);                                                          \
		NEXT;                                                                              \
	}
		TH_BINS(TH_BIN, _)
		TH_UNS(TH_UN, _)
		TH_CONDS(TH_COND, _)
#undef TH_BIN
#undef TH_UN
#undef TH_COND
		CASE(BIN_RR)
		{
			ir_fold(ip->sub, t[ip->a], t[ip->b], &t[ip->d]);
			NEXT;
		}
		CASE(BIN_RI)
		{
			ir_fold(ip->sub, t[ip->a], ip->imm, &t[ip->d]);
			NEXT;
		}
		CASE(UN)
		{
			ir_fold(ip->sub, t[ip->a], 0, &t[ip->d]);
			NEXT;
		}
		CASE(MOVCOND)
		{
			t[ip->d] = ir_cond_eval(ip->sub, t[ip->a], t[ip->b]) ? t[ip->c] : t[ip->e];
			NEXT;
		}
		CASE(BR)
		{
			JUMP(ip->target);
		}
		CASE(QLD)
		{
			t[ip->d] = th_ld(cpu, t[ip->a] + ip->imm, ip->sub, ip->mmu_idx);
			NEXT;
		}
		CASE(QST)
		{
			th_st(cpu, t[ip->a] + ip->imm, ip->sub, ip->mmu_idx, t[ip->b]);
			NEXT;
		}
		CASE(CALL)
		{
			ir_helper_fn fn = (ir_helper_fn)(uintptr_t)ip->imm;
			t[ip->d] = fn(cpu, t[ip->a], t[ip->b], t[ip->c], t[ip->e]);
			NEXT;
		}
		CASE(GOTO_TB)
		{
			struct tb *next = tb->jmp_dest[ip->c];

			/* Stop at the deadline, and before a TB that would run
			 * past the budget or the deadline (exact stops). */
			if (next && !cpu->exit_request && cpu->icount < cpu->icount_deadline &&
			    !cpu_tb_too_long(cpu, next->n_insns)) {
				cpu->n_tb_chained++;
				tb = next;
				th_enter(cpu, tb);
				JUMP(((const struct tprog *)tb->code)->code);
			}
			ret.last = tb;
			ret.slot = ip->c;
			return ret;
		}
		CASE(EXIT_TB)
		{
			ret.last = tb;
			ret.slot = BACKEND_EXIT_NOCHAIN;
			return ret;
		}
	}
#if !THREADED_LABELS
	ret.last = tb;
	ret.slot = BACKEND_EXIT_NOCHAIN;
	return ret;
#endif
#undef CASE
#undef NEXT
#undef JUMP
#undef DISPATCH
}

static enum th_op th_select(const struct ir_insn *i, uint8_t *sub)
{
	bool imm = i->flags & IR_F_BIMM;

	*sub = i->cond;
	switch (i->op) {
	case IR_INSN_START: return TH_INSN_START;
	case IR_MOVI: return TH_MOVI;
	case IR_MOV: return TH_MOV;
	case IR_LD_ENV: return (enum th_op)(TH_LD_ENV8 + (i->cond & 3));
	case IR_ST_ENV: return (enum th_op)(TH_ST_ENV8 + (i->cond & 3));
#define TH_SEL_BIN(X, name, expr)                                                                  \
	case IR_##name:                                                                            \
		return imm ? TH_##name##_RI : TH_##name##_RR;
#define TH_SEL_UN(X, name, expr)                                                                   \
	case IR_##name: return TH_##name;
		TH_BINS(TH_SEL_BIN, _)
		TH_UNS(TH_SEL_UN, _)
#undef TH_SEL_BIN
#undef TH_SEL_UN
	case IR_ROTR:
	case IR_MULHU ... IR_REMS: *sub = i->op; return imm ? TH_BIN_RI : TH_BIN_RR;
	case IR_BSWAP16 ... IR_POPCNT: *sub = i->op; return TH_UN;
	case IR_SETCOND:
		if (i->cond > IR_TSTNE)
			return TH_NUM;
		return (enum th_op)(TH_SETCOND_EQ_RR + 4 * i->cond + imm);
	case IR_BRCOND:
		if (i->cond > IR_TSTNE)
			return TH_NUM;
		return (enum th_op)(TH_BRCOND_EQ_RR + 4 * i->cond + imm);
	case IR_MOVCOND: return TH_MOVCOND;
	case IR_BR: return TH_BR;
	case IR_QLD: return TH_QLD;
	case IR_QST: return TH_QST;
	case IR_CALL: return TH_CALL;
	case IR_GOTO_TB: return TH_GOTO_TB;
	case IR_EXIT_TB: return TH_EXIT_TB;
	default: return TH_NUM;
	}
}

static ir_temp th_temp(ir_temp t)
{
	return t == IR_NO_TEMP ? (ir_temp)TH_ZERO_TEMP : t;
}

/*
 * Superinstructions: a MOVI or specialised binary op whose result the next
 * insn stores to env with 8 bytes (the common "compute, write the guest
 * register" pair), and two consecutive 8-byte env stores (x86's lazy flags),
 * each run as one handler. Returns the index of the store folded into insn
 * k and sets *op to the fused handler, or returns 0.
 */
static unsigned th_fused_store(const struct ir_func *f, unsigned k, enum th_op *fused)
{
	const struct ir_insn *i = &f->insns[k], *st;
	uint8_t sub;
	enum th_op op = th_select(i, &sub);
	unsigned n = k + 1;

	if (op != TH_MOVI && op != TH_ST_ENV64 && (op < TH_ADD_RR || op > TH_MUL_RI_ST))
		return 0;
	while (n < f->n_insns && f->insns[n].op == IR_NOP)
		n++;
	if (n >= f->n_insns)
		return 0;
	st = &f->insns[n];
	if (st->op != IR_ST_ENV || st->cond != 3)
		return 0;
	if (op == TH_ST_ENV64) {
		*fused = TH_ST2_ENV64;
		return n;
	}
	if (st->a != i->d)
		return 0;
	/* The _ST forms follow RR, RI in TH_BIN_OPS. */
	*fused = op == TH_MOVI ? TH_MOVI_ST : (enum th_op)(op + 2);
	return n;
}

static int th_compile(struct tb *tb, const struct ir_func *f)
{
	const void *const *table;
	unsigned *label_at;
	struct tprog *p;
	unsigned n = 0;

	th_run(NULL, NULL, &table);
	label_at = g_new(unsigned, f->n_labels ? f->n_labels : 1);
	for (unsigned k = 0; k < f->n_labels; k++)
		label_at[k] = UINT32_MAX;
	for (unsigned k = 0; k < f->n_insns; k++) {
		if (f->insns[k].op == IR_LABEL) {
			label_at[f->insns[k].label] = n;
		} else if (f->insns[k].op != IR_NOP) {
			enum th_op fused;
			unsigned st = th_fused_store(f, k, &fused);
			n++;
			if (st)
				k = st;
		}
	}
	/* One spare EXIT_TB guards against a front end falling off the end. */
	p = g_malloc0(sizeof(*p) + (n + 1) * sizeof(struct tcode));
	p->n = n + 1;
	n = 0;
	for (unsigned k = 0; k < f->n_insns; k++) {
		const struct ir_insn *i = &f->insns[k];
		struct tcode *c;
		enum th_op op;

		if (i->op == IR_LABEL || i->op == IR_NOP)
			continue;
		c = &p->code[n++];
		op = th_select(i, &c->sub);
		if (op == TH_NUM)
			goto bad;
		c->op = (uint8_t)op;
		c->h = table ? table[op] : NULL;
		c->mmu_idx = i->mmu_idx;
		c->d = i->d;
		c->a = th_temp(i->a);
		c->b = th_temp(i->b);
		c->c = (i->op == IR_INSN_START || i->op == IR_GOTO_TB) ? i->c : th_temp(i->c);
		c->e = th_temp(i->e);
		c->imm = i->imm;
		enum th_op fused;
		unsigned st = th_fused_store(f, k, &fused);
		if (st) {
			c->op = (uint8_t)fused;
			c->h = table ? table[fused] : NULL;
			c->st_off = f->insns[st].imm;
			if (fused == TH_ST2_ENV64)
				c->b = th_temp(f->insns[st].a);
			k = st;
		}
		if (i->op == IR_BR || i->op == IR_BRCOND) {
			if (i->label >= f->n_labels || label_at[i->label] == UINT32_MAX)
				goto bad;
			c->target = &p->code[label_at[i->label]];
		}
	}
	p->code[n].op = TH_EXIT_TB;
	p->code[n].h = table ? table[TH_EXIT_TB] : NULL;
	g_free(label_at);
	tb->code = p;
	return 0;
bad:
	g_free(label_at);
	g_free(p);
	return -EINVAL;
}

static void th_free_code(struct tb *tb)
{
	g_free(tb->code);
	tb->code = NULL;
}

static struct backend_exit th_exec(struct cpu *cpu, struct tb *tb)
{
	return th_run(cpu, tb, NULL);
}

const struct backend_ops backend_threaded = {
	.name = "threaded",
	.compile = th_compile,
	.free_code = th_free_code,
	.exec = th_exec,
};
