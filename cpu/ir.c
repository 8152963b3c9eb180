/*
 * IR construction, printing and the small optimizer.
 *
 * Emission never fails: when a TB's IR grows past its limits the function is
 * marked overflowed and further emission is dropped; the translator checks
 * ir_func_has_room() before each guest instruction so that never happens in
 * practice, and discards a TB whose IR overflowed anyway.
 */
#include "cpu/ir.h"
#include "cpu/ir_eval.h"

#include <glib.h>
#include <inttypes.h>

static const char *const ir_names[IR_NUM_OPS] = {
#define IR_NAME(name, nin, nout) [IR_##name] = #name,
	IR_OPS(IR_NAME)
#undef IR_NAME
};

static const uint8_t ir_n_in[IR_NUM_OPS] = {
#define IR_NIN(name, nin, nout) [IR_##name] = nin,
	IR_OPS(IR_NIN)
#undef IR_NIN
};

static const uint8_t ir_n_out[IR_NUM_OPS] = {
#define IR_NOUT(name, nin, nout) [IR_##name] = nout,
	IR_OPS(IR_NOUT)
#undef IR_NOUT
};

const char *ir_op_name(enum ir_opcode op)
{
	return op < IR_NUM_OPS ? ir_names[op] : "?";
}

void ir_func_init(struct ir_func *f)
{
	f->insns = g_new0(struct ir_insn, IR_MAX_INSNS + 1);
	f->scratch64 = g_new(uint64_t, IR_MAX_TEMPS);
	for (unsigned k = 0; k < 2; k++) {
		f->scratch32[k] = g_new(uint32_t, IR_MAX_TEMPS);
		f->scratch16[k] = g_new(uint16_t, IR_MAX_TEMPS);
		f->scratch8[k] = g_new(uint8_t, IR_MAX_TEMPS);
	}
	ir_func_reset(f);
}

void ir_func_reset(struct ir_func *f)
{
	f->n_insns = 0;
	f->n_temps = 0;
	f->n_labels = 0;
	f->overflow = false;
}

void ir_func_destroy(struct ir_func *f)
{
	g_free(f->insns);
	f->insns = NULL;
	g_clear_pointer(&f->scratch64, g_free);
	for (unsigned k = 0; k < 2; k++) {
		g_clear_pointer(&f->scratch32[k], g_free);
		g_clear_pointer(&f->scratch16[k], g_free);
		g_clear_pointer(&f->scratch8[k], g_free);
	}
}

bool ir_func_has_room(const struct ir_func *f)
{
	/* The largest guest instruction (a string op, a complex x86 form) emits
	 * well under 256 insns and 128 temps. */
	return !f->overflow && f->n_insns + 256 < IR_MAX_INSNS && f->n_temps + 128 < IR_MAX_TEMPS &&
	       f->n_labels + 16 < IR_MAX_LABELS;
}

ir_temp ir_new_temp(struct ir_func *f)
{
	if (f->n_temps >= IR_MAX_TEMPS - 1) {
		f->overflow = true;
		return 0;
	}
	return (ir_temp)f->n_temps++;
}

ir_label ir_new_label(struct ir_func *f)
{
	if (f->n_labels >= IR_MAX_LABELS) {
		f->overflow = true;
		return 0;
	}
	return (ir_label)f->n_labels++;
}

static struct ir_insn *ir_emit(struct ir_func *f, enum ir_opcode op)
{
	struct ir_insn *i;

	if (f->n_insns >= IR_MAX_INSNS) {
		/* The spare slot past the end absorbs emission after overflow. */
		f->overflow = true;
		i = &f->insns[IR_MAX_INSNS];
	} else {
		i = &f->insns[f->n_insns++];
	}
	memset(i, 0, sizeof(*i));
	i->op = (uint8_t)op;
	i->a = i->b = i->c = i->e = IR_NO_TEMP;
	return i;
}

void ir_set_label(struct ir_func *f, ir_label l)
{
	ir_emit(f, IR_LABEL)->label = l;
}

void ir_insn_start(struct ir_func *f, uint64_t pc, unsigned idx)
{
	struct ir_insn *i = ir_emit(f, IR_INSN_START);
	i->imm = pc;
	i->c = (ir_temp)idx;
}

ir_temp ir_movi(struct ir_func *f, uint64_t imm)
{
	ir_temp d = ir_new_temp(f);
	ir_movi_to(f, d, imm);
	return d;
}

void ir_movi_to(struct ir_func *f, ir_temp d, uint64_t imm)
{
	struct ir_insn *i = ir_emit(f, IR_MOVI);
	i->d = d;
	i->imm = imm;
}

ir_temp ir_mov(struct ir_func *f, ir_temp a)
{
	ir_temp d = ir_new_temp(f);
	ir_mov_to(f, d, a);
	return d;
}

void ir_mov_to(struct ir_func *f, ir_temp d, ir_temp a)
{
	struct ir_insn *i = ir_emit(f, IR_MOV);
	i->d = d;
	i->a = a;
}

ir_temp ir_ld_env(struct ir_func *f, unsigned size_log2, size_t off)
{
	struct ir_insn *i = ir_emit(f, IR_LD_ENV);
	i->d = ir_new_temp(f);
	i->cond = (uint8_t)size_log2;
	i->imm = off;
	return i->d;
}

void ir_st_env(struct ir_func *f, unsigned size_log2, size_t off, ir_temp a)
{
	struct ir_insn *i = ir_emit(f, IR_ST_ENV);
	i->a = a;
	i->cond = (uint8_t)size_log2;
	i->imm = off;
}

void ir_st_envi(struct ir_func *f, unsigned size_log2, size_t off, uint64_t imm)
{
	ir_st_env(f, size_log2, off, ir_movi(f, imm));
}

ir_temp ir_op1(struct ir_func *f, enum ir_opcode op, ir_temp a)
{
	struct ir_insn *i = ir_emit(f, op);
	i->d = ir_new_temp(f);
	i->a = a;
	return i->d;
}

ir_temp ir_op2(struct ir_func *f, enum ir_opcode op, ir_temp a, ir_temp b)
{
	struct ir_insn *i = ir_emit(f, op);
	i->d = ir_new_temp(f);
	i->a = a;
	i->b = b;
	return i->d;
}

ir_temp ir_op2i(struct ir_func *f, enum ir_opcode op, ir_temp a, uint64_t imm)
{
	struct ir_insn *i = ir_emit(f, op);
	i->d = ir_new_temp(f);
	i->a = a;
	i->flags = IR_F_BIMM;
	i->imm = imm;
	return i->d;
}

ir_temp ir_setcond(struct ir_func *f, enum ir_cond cond, ir_temp a, ir_temp b)
{
	struct ir_insn *i = ir_emit(f, IR_SETCOND);
	i->d = ir_new_temp(f);
	i->a = a;
	i->b = b;
	i->cond = (uint8_t)cond;
	return i->d;
}

ir_temp ir_setcondi(struct ir_func *f, enum ir_cond cond, ir_temp a, uint64_t imm)
{
	struct ir_insn *i = ir_emit(f, IR_SETCOND);
	i->d = ir_new_temp(f);
	i->a = a;
	i->flags = IR_F_BIMM;
	i->imm = imm;
	i->cond = (uint8_t)cond;
	return i->d;
}

ir_temp ir_movcond(struct ir_func *f, enum ir_cond cond, ir_temp a, ir_temp b, ir_temp t, ir_temp e)
{
	struct ir_insn *i = ir_emit(f, IR_MOVCOND);
	i->d = ir_new_temp(f);
	i->a = a;
	i->b = b;
	i->c = t;
	i->e = e;
	i->cond = (uint8_t)cond;
	return i->d;
}

void ir_br(struct ir_func *f, ir_label l)
{
	ir_emit(f, IR_BR)->label = l;
}

void ir_brcond(struct ir_func *f, enum ir_cond cond, ir_temp a, ir_temp b, ir_label l)
{
	struct ir_insn *i = ir_emit(f, IR_BRCOND);
	i->a = a;
	i->b = b;
	i->cond = (uint8_t)cond;
	i->label = l;
}

void ir_brcondi(struct ir_func *f, enum ir_cond cond, ir_temp a, uint64_t imm, ir_label l)
{
	struct ir_insn *i = ir_emit(f, IR_BRCOND);
	i->a = a;
	i->flags = IR_F_BIMM;
	i->imm = imm;
	i->cond = (uint8_t)cond;
	i->label = l;
}

ir_temp ir_qld(struct ir_func *f, unsigned memop, unsigned mmu_idx, ir_temp addr, int64_t off)
{
	struct ir_insn *i = ir_emit(f, IR_QLD);
	i->d = ir_new_temp(f);
	i->a = addr;
	i->cond = (uint8_t)memop;
	i->mmu_idx = (uint8_t)mmu_idx;
	i->imm = (uint64_t)off;
	return i->d;
}

void ir_qst(struct ir_func *f, unsigned memop, unsigned mmu_idx, ir_temp addr, int64_t off,
	    ir_temp val)
{
	struct ir_insn *i = ir_emit(f, IR_QST);
	i->a = addr;
	i->b = val;
	i->cond = (uint8_t)memop;
	i->mmu_idx = (uint8_t)mmu_idx;
	i->imm = (uint64_t)off;
}

ir_temp ir_call(struct ir_func *f, ir_helper_fn fn, ir_temp a, ir_temp b, ir_temp c, ir_temp e)
{
	struct ir_insn *i = ir_emit(f, IR_CALL);
	i->d = ir_new_temp(f);
	i->a = a;
	i->b = b;
	i->c = c;
	i->e = e;
	i->imm = (uint64_t)(uintptr_t)fn;
	return i->d;
}

void ir_goto_tb(struct ir_func *f, unsigned slot)
{
	ir_emit(f, IR_GOTO_TB)->c = (ir_temp)slot;
}

void ir_exit_tb(struct ir_func *f)
{
	ir_emit(f, IR_EXIT_TB);
}

static const char *const ir_cond_names[] = {
	"eq", "ne", "lt", "ge", "le", "gt", "ltu", "geu", "leu", "gtu", "tsteq", "tstne",
};

static void ir_dump_temp(GString *s, ir_temp t)
{
	if (t == IR_NO_TEMP)
		g_string_append(s, " -");
	else
		g_string_append_printf(s, " t%u", t);
}

char *ir_func_dump(const struct ir_func *f)
{
	GString *s = g_string_new(NULL);

	for (unsigned n = 0; n < f->n_insns; n++) {
		const struct ir_insn *i = &f->insns[n];
		enum ir_opcode op = i->op;

		if (op == IR_NOP)
			continue;
		if (op == IR_LABEL) {
			g_string_append_printf(s, "L%u:\n", i->label);
			continue;
		}
		g_string_append_printf(s, "  %s", ir_names[op]);
		if (op == IR_SETCOND || op == IR_MOVCOND || op == IR_BRCOND)
			g_string_append_printf(s, ".%s", ir_cond_names[i->cond % 12]);
		if (ir_n_out[op])
			g_string_append_printf(s, " t%u =", i->d);
		if (op == IR_CALL) {
			ir_dump_temp(s, i->a);
			ir_dump_temp(s, i->b);
			ir_dump_temp(s, i->c);
			ir_dump_temp(s, i->e);
		} else {
			if (ir_n_in[op] >= 1)
				ir_dump_temp(s, i->a);
			if (ir_n_in[op] >= 2 && !(i->flags & IR_F_BIMM))
				ir_dump_temp(s, i->b);
			if (ir_n_in[op] >= 3)
				ir_dump_temp(s, i->c);
			if (ir_n_in[op] >= 4)
				ir_dump_temp(s, i->e);
		}
		switch (op) {
		case IR_MOVI:
		case IR_INSN_START:
		case IR_LD_ENV:
		case IR_ST_ENV:
		case IR_QLD:
		case IR_QST: g_string_append_printf(s, " 0x%" PRIx64, i->imm); break;
		default:
			if (i->flags & IR_F_BIMM)
				g_string_append_printf(s, " $0x%" PRIx64, i->imm);
			break;
		}
		if (op == IR_BR || op == IR_BRCOND)
			g_string_append_printf(s, " L%u", i->label);
		if (op == IR_GOTO_TB || op == IR_INSN_START)
			g_string_append_printf(s, " #%u", i->c);
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

/* ---- Optimizer ---------------------------------------------------------- */

static bool ir_is_pure(enum ir_opcode op)
{
	switch (op) {
	case IR_MOVI:
	case IR_MOV:
	case IR_ADD ... IR_POPCNT:
	case IR_SETCOND:
	case IR_MOVCOND: return true;
	default: return false;
	}
}

/* Ops after which a fault or exit may leave the TB (and so observe the
 * architectural state in env, and need the current INSN_START). */
static bool ir_may_leave(enum ir_opcode op)
{
	return op == IR_QLD || op == IR_QST || op == IR_CALL;
}

/*
 * INSN_START only matters to an instruction that can leave the TB in the
 * middle (a fault or exit reads insn_pc/insn_idx for the guest pc and the
 * instruction count): drop the others.
 */
static void ir_prune_insn_starts(struct ir_func *f)
{
	struct ir_insn *start = NULL;
	bool needed = false;

	for (unsigned n = 0; n <= f->n_insns; n++) {
		struct ir_insn *i = n < f->n_insns ? &f->insns[n] : NULL;

		if (!i || i->op == IR_INSN_START) {
			if (start && !needed)
				start->op = IR_NOP;
			start = i;
			needed = false;
		} else if (ir_may_leave(i->op)) {
			needed = true;
		}
	}
}

#define IR_ENV_CACHE 32

struct ir_env_val {
	uint64_t off;
	uint8_t size;
	ir_temp t;
};

static bool ir_env_overlap(uint64_t o1, unsigned s1, uint64_t o2, unsigned s2)
{
	return o1 < o2 + (1u << s2) && o2 < o1 + (1u << s1);
}

/*
 * Within a basic block, a load of an env slot whose value a temp already
 * holds (stored or loaded before) becomes a move; a store overwritten by a
 * later store of the same slot, with nothing in between that could observe
 * the slot (a load of it, a helper, a guest memory access that may fault, a
 * branch or label), is dropped.
 */
static void ir_forward_env(struct ir_func *f)
{
	struct ir_env_val cache[IR_ENV_CACHE];
	int last_store[IR_ENV_CACHE]; /* insn index of an unobserved store, or -1 */
	unsigned n_cache = 0;

	for (unsigned n = 0; n < f->n_insns; n++) {
		struct ir_insn *i = &f->insns[n];
		enum ir_opcode op = i->op;

		switch (op) {
		case IR_LABEL:
		case IR_CALL:
			n_cache = 0; /* helpers may write env; labels merge paths */
			break;
		case IR_BR:
		case IR_BRCOND:
		case IR_GOTO_TB:
		case IR_EXIT_TB:
		case IR_QLD:
		case IR_QST:
			/* The state may be observed from here: stores stay. */
			for (unsigned k = 0; k < n_cache; k++)
				last_store[k] = -1;
			break;
		case IR_LD_ENV:
			for (unsigned k = 0; k < n_cache; k++) {
				if (cache[k].off == i->imm && cache[k].size == i->cond) {
					/* The value comes from the temp: env is not read. */
					i->op = IR_MOV;
					i->a = cache[k].t;
					goto wrote_d;
				}
				if (ir_env_overlap(cache[k].off, cache[k].size, i->imm, i->cond))
					last_store[k] = -1;
			}
			break;
		case IR_ST_ENV: {
			unsigned k = 0;
			/* Drop cached slots this store overlaps; a full overwrite
			 * kills the previous unobserved store of the same slot. */
			while (k < n_cache) {
				if (!ir_env_overlap(cache[k].off, cache[k].size, i->imm, i->cond)) {
					k++;
					continue;
				}
				if (cache[k].off == i->imm && cache[k].size == i->cond &&
				    last_store[k] >= 0)
					f->insns[last_store[k]].op = IR_NOP;
				cache[k] = cache[n_cache - 1];
				last_store[k] = last_store[n_cache - 1];
				n_cache--;
			}
			if (n_cache < IR_ENV_CACHE && i->a != IR_NO_TEMP) {
				cache[n_cache].off = i->imm;
				cache[n_cache].size = i->cond;
				cache[n_cache].t = i->a;
				last_store[n_cache] = (int)n;
				n_cache++;
			}
			continue;
		}
		default: break;
		}
		if (!ir_n_out[i->op] || i->op == IR_CALL)
			continue;
wrote_d:
		/* i->d changes: forget slots held by the old value of d ... */
		for (unsigned k = 0; k < n_cache;) {
			if (cache[k].t == i->d) {
				cache[k] = cache[n_cache - 1];
				last_store[k] = last_store[n_cache - 1];
				n_cache--;
			} else {
				k++;
			}
		}
		/* ... and a load makes d hold the slot. */
		if (op == IR_LD_ENV && n_cache < IR_ENV_CACHE) {
			cache[n_cache].off = i->imm;
			cache[n_cache].size = i->cond;
			cache[n_cache].t = i->d;
			last_store[n_cache] = -1;
			n_cache++;
		}
	}
}

/* Replace a use of a copy by the copied temp, if that is still unchanged. */
static void ir_subst(ir_temp *x, const ir_temp *src, const uint32_t *src_ver, const uint32_t *ver)
{
	ir_temp s0 = *x;

	if (s0 != IR_NO_TEMP && src[s0] != IR_NO_TEMP && ver[src[s0]] == src_ver[s0])
		*x = src[s0];
}

/*
 * Copy propagation within basic blocks: after `d = MOV a`, uses of d read a
 * directly (while neither is redefined), leaving the MOV dead. Versions
 * count the definitions of each temp, so a copy is trusted only while its
 * source still holds the value it had.
 */
static void ir_propagate_copies(struct ir_func *f)
{
	ir_temp *src = f->scratch16[0];
	uint32_t *src_ver = f->scratch32[0];
	uint32_t *ver = f->scratch32[1];

	memset(src, 0xff, f->n_temps * sizeof(*src));
	memset(src_ver, 0, f->n_temps * sizeof(*src_ver));
	memset(ver, 0, f->n_temps * sizeof(*ver));
	for (unsigned n = 0; n < f->n_insns; n++) {
		struct ir_insn *i = &f->insns[n];
		enum ir_opcode op = i->op;

		if (op == IR_LABEL) {
			memset(src, 0xff, f->n_temps * sizeof(*src));
			continue;
		}
		if (ir_n_in[op] >= 1)
			ir_subst(&i->a, src, src_ver, ver);
		if (ir_n_in[op] >= 2 && !(i->flags & IR_F_BIMM))
			ir_subst(&i->b, src, src_ver, ver);
		if (op == IR_MOVCOND || op == IR_CALL) {
			ir_subst(&i->c, src, src_ver, ver);
			ir_subst(&i->e, src, src_ver, ver);
		}
		if (!ir_n_out[op])
			continue;
		ver[i->d]++;
		src[i->d] = IR_NO_TEMP;
		if (op == IR_MOV && i->a != i->d) {
			src[i->d] = i->a;
			src_ver[i->d] = ver[i->a];
		}
	}
}

/* Does insn i define d as a 0/1 value from a SETCOND? */
static bool ir_is_setcond(const struct ir_insn *i)
{
	return i->op == IR_SETCOND && i->cond <= IR_TSTNE;
}

/* The zero-extension width (bytes) that leaves the value of i unchanged, or 0. */
static unsigned ir_zext_bytes(const struct ir_insn *i)
{
	switch (i->op) {
	case IR_EXT8U: return 1;
	case IR_EXT16U: return 2;
	case IR_EXT32U: return 4;
	case IR_LD_ENV: return 1u << i->cond;
	case IR_QLD: return (i->cond & IR_MO_SIGN) ? 0 : 1u << (i->cond & IR_MO_SIZE);
	case IR_SETCOND: return 1;
	case IR_AND:
		if (!(i->flags & IR_F_BIMM))
			return 0;
		return i->imm <= 0xff ? 1 : i->imm <= 0xffff ? 2 : i->imm <= 0xffffffff ? 4 : 0;
	default: return 0;
	}
}

/*
 * Peepholes over what the front ends generate, within basic blocks:
 *   brcond eq/ne (setcond c a, b), 0   ->  brcond c / !c a, b
 *   xor (setcond c a, b), 1            ->  setcond !c a, b
 *   setcond ne/eq (setcond c a, b), 0  ->  mov / setcond !c a, b
 *   extNu x where x already fits in N  ->  mov x
 *   and (rotl y, n), ~0 << n           ->  shl y, n  (rotl used once)
 *   and (rotl y, n), ~0 >> (64 - n)    ->  shr y, 64 - n
 * A definition is looked through only while its operands are unchanged
 * (last_write before it); conditions are inverted by flipping bit 0 of
 * enum ir_cond.
 */
static void ir_peephole(struct ir_func *f)
{
	int32_t *def = (int32_t *)f->scratch32[0];
	int32_t *last_write = (int32_t *)f->scratch32[1];
	uint16_t *uses = f->scratch16[0];

	memset(uses, 0, f->n_temps * sizeof(*uses));

	for (unsigned n = 0; n < f->n_insns; n++) {
		const struct ir_insn *i = &f->insns[n];
		if (i->op == IR_NOP || (ir_n_in[i->op] == 0 && i->op != IR_CALL))
			continue;
		if (i->a != IR_NO_TEMP && uses[i->a] < UINT16_MAX)
			uses[i->a]++;
		if (!(i->flags & IR_F_BIMM) && i->b != IR_NO_TEMP && uses[i->b] < UINT16_MAX)
			uses[i->b]++;
		if (i->c != IR_NO_TEMP && uses[i->c] < UINT16_MAX)
			uses[i->c]++;
		if (i->e != IR_NO_TEMP && uses[i->e] < UINT16_MAX)
			uses[i->e]++;
	}
	for (unsigned k = 0; k < f->n_temps; k++)
		def[k] = last_write[k] = -1;
	for (unsigned n = 0; n < f->n_insns; n++) {
		struct ir_insn *i = &f->insns[n];
		const struct ir_insn *p = NULL;

		if (i->op == IR_LABEL) {
			for (unsigned k = 0; k < f->n_temps; k++)
				def[k] = -1;
			continue;
		}
		/* Read through copies whose source is unchanged. */
		while (ir_n_in[i->op] >= 1 && i->a != IR_NO_TEMP && def[i->a] >= 0 &&
		       f->insns[def[i->a]].op == IR_MOV &&
		       last_write[f->insns[def[i->a]].a] < def[i->a])
			i->a = f->insns[def[i->a]].a;
		if (ir_n_in[i->op] >= 1 && i->a != IR_NO_TEMP && def[i->a] >= 0) {
			const struct ir_insn *q = &f->insns[def[i->a]];
			bool stable = q->a == IR_NO_TEMP || last_write[q->a] < def[i->a];
			if (!(q->flags & IR_F_BIMM) && q->b != IR_NO_TEMP)
				stable = stable && last_write[q->b] < def[i->a];
			if (stable && ir_n_in[q->op] <= 2)
				p = q;
		}
		if (p && ir_is_setcond(p) && (i->flags & IR_F_BIMM) && i->imm == 0 &&
		    (i->cond == IR_EQ || i->cond == IR_NE) &&
		    (i->op == IR_BRCOND || i->op == IR_SETCOND)) {
			if (i->op == IR_SETCOND && i->cond == IR_NE) {
				i->op = IR_MOV;
				i->flags = 0;
				i->imm = 0;
			} else {
				i->cond = i->cond == IR_NE ? p->cond : p->cond ^ 1;
				i->a = p->a;
				i->b = p->b;
				i->flags = p->flags;
				i->imm = p->imm;
			}
		} else if (p && ir_is_setcond(p) && i->op == IR_XOR && (i->flags & IR_F_BIMM) &&
			   i->imm == 1) {
			i->op = IR_SETCOND;
			i->cond = p->cond ^ 1;
			i->a = p->a;
			i->b = p->b;
			i->flags = p->flags;
			i->imm = p->imm;
		} else if (p && ir_zext_bytes(p) && i->op != IR_SETCOND && i->op != IR_AND &&
			   ir_zext_bytes(i) && ir_zext_bytes(p) <= ir_zext_bytes(i) &&
			   i->op != IR_LD_ENV && i->op != IR_QLD) {
			i->op = IR_MOV;
		} else if (p && p->op == IR_ROTL && (p->flags & IR_F_BIMM) && i->op == IR_AND &&
			   (i->flags & IR_F_BIMM) && uses[i->a] == 1 && (p->imm & 63) != 0) {
			unsigned sh = (unsigned)(p->imm & 63);
			struct ir_insn *w = &f->insns[def[i->a]];
			if (i->imm == ~0ull << sh) {
				w->op = IR_SHL;
				i->op = IR_MOV;
			} else if (i->imm == ~0ull >> (64 - sh)) {
				w->op = IR_SHR;
				w->imm = 64 - sh;
				i->op = IR_MOV;
			}
			if (i->op == IR_MOV) {
				i->flags = 0;
				i->imm = 0;
			}
		}
		if (ir_n_out[i->op] && i->op != IR_CALL) {
			def[i->d] = (int)n;
			last_write[i->d] = (int)n;
		} else if (ir_n_out[i->op]) {
			def[i->d] = -1;
			last_write[i->d] = (int)n;
		}
	}
}

/*
 * The passes, in order: INSN_START pruning; env forwarding and dead-store
 * elimination; copy propagation; peepholes (and copy propagation of the
 * moves they leave); constant propagation within basic blocks (temps may be
 * reassigned by ir_mov_to across labels, so knowledge is dropped at every
 * label); dead pure-op elimination over the whole function.
 */
void ir_optimize(struct ir_func *f)
{
	uint64_t *val;
	uint8_t *known;
	uint8_t *used;

	if (f->overflow || f->n_temps == 0)
		return;
	ir_prune_insn_starts(f);
	ir_forward_env(f);
	ir_propagate_copies(f);
	ir_peephole(f);
	ir_propagate_copies(f);
	val = f->scratch64;
	known = f->scratch8[0];
	used = f->scratch8[1];
	memset(known, 0, f->n_temps);
	memset(used, 0, f->n_temps);

	for (unsigned n = 0; n < f->n_insns; n++) {
		struct ir_insn *i = &f->insns[n];
		enum ir_opcode op = i->op;
		uint64_t r;

		if (op == IR_LABEL) {
			memset(known, 0, f->n_temps);
			continue;
		}
		/* A binary op whose b is a known constant takes it as immediate. */
		if (ir_n_in[op] == 2 && !(i->flags & IR_F_BIMM) && i->b != IR_NO_TEMP &&
		    known[i->b] && op != IR_QST) {
			i->imm = val[i->b];
			i->flags |= IR_F_BIMM;
			i->b = IR_NO_TEMP;
		}
		if (op == IR_MOV && known[i->a]) {
			i->op = IR_MOVI;
			i->imm = val[i->a];
			i->a = IR_NO_TEMP;
			op = IR_MOVI;
		}
		if (ir_n_in[op] == 2 && op >= IR_ADD && op <= IR_REMS && (i->flags & IR_F_BIMM) &&
		    known[i->a] && ir_fold(op, val[i->a], i->imm, &r)) {
			i->op = IR_MOVI;
			i->imm = r;
			i->a = IR_NO_TEMP;
			i->flags = 0;
			op = IR_MOVI;
		} else if (ir_n_in[op] == 1 && op >= IR_NEG && op <= IR_POPCNT && known[i->a] &&
			   ir_fold(op, val[i->a], 0, &r)) {
			i->op = IR_MOVI;
			i->imm = r;
			i->a = IR_NO_TEMP;
			op = IR_MOVI;
		} else if (op == IR_SETCOND && (i->flags & IR_F_BIMM) && known[i->a]) {
			i->op = IR_MOVI;
			i->imm = ir_cond_eval(i->cond, val[i->a], i->imm);
			i->a = IR_NO_TEMP;
			i->flags = 0;
			op = IR_MOVI;
		}
		if (ir_n_out[op]) {
			if (op == IR_MOVI) {
				known[i->d] = 1;
				val[i->d] = i->imm;
			} else {
				known[i->d] = 0;
			}
		}
	}

	/* Dead code: a pure op whose result is never read anywhere (temps can
	 * be read before a later ir_mov_to in a loop, so liveness is global).
	 * Repeat until nothing more dies. */
	for (bool changed = true; changed;) {
		changed = false;
		memset(used, 0, f->n_temps);
		for (unsigned n = 0; n < f->n_insns; n++) {
			const struct ir_insn *i = &f->insns[n];
			enum ir_opcode op = i->op;

			if (op == IR_NOP || (ir_n_in[op] == 0 && op != IR_CALL))
				continue;
			if (i->a != IR_NO_TEMP)
				used[i->a] = 1;
			if (!(i->flags & IR_F_BIMM) && i->b != IR_NO_TEMP)
				used[i->b] = 1;
			if (i->c != IR_NO_TEMP)
				used[i->c] = 1;
			if (i->e != IR_NO_TEMP)
				used[i->e] = 1;
		}
		for (unsigned n = 0; n < f->n_insns; n++) {
			struct ir_insn *i = &f->insns[n];
			if (ir_is_pure(i->op) && !used[i->d]) {
				i->op = IR_NOP;
				changed = true;
			}
		}
	}
}
