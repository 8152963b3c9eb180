/*
 * The IR, its optimizer and the threaded backend: every op computes what
 * ir_eval.h says, and the optimizer does not change results.
 */
#include <criterion/criterion.h>
#include <glib.h>

#include "cpu/ir_eval.h"
#include "toy.h"

static struct toy_machine m;

static void setup(void)
{
	toy_machine_init(&m, 4);
}

static void teardown(void)
{
	toy_machine_destroy(&m);
}

TestSuite(ir, .init = setup, .fini = teardown);

#define R(n) offsetof(struct toy_cpu, r[n])

/* Compile f (optionally optimized) and run it once on the toy CPU. */
static void run_ir(struct ir_func *f, bool optimize)
{
	struct tb tb = { 0 };
	struct backend_exit ex;

	ir_exit_tb(f);
	if (optimize)
		ir_optimize(f);
	cr_assert_eq(backend_threaded.compile(&tb, f), 0);
	ex = backend_threaded.exec(&m.cpu->cpu, &tb);
	cr_assert_eq(ex.slot, BACKEND_EXIT_NOCHAIN);
	backend_threaded.free_code(&tb);
}

static const uint64_t values[] = {
	0,
	1,
	2,
	3,
	31,
	32,
	63,
	64,
	0x7f,
	0x80,
	0xff,
	0x7fff,
	0x8000,
	0xffff,
	0x7fffffff,
	0x80000000,
	0xffffffff,
	0x100000000ull,
	0x7fffffffffffffffull,
	0x8000000000000000ull,
	0xfffffffffffffffeull,
	0xffffffffffffffffull,
	0x123456789abcdef0ull,
};

static void check_binop(enum ir_opcode op, bool imm, bool optimize)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(values); i++) {
		for (unsigned j = 0; j < G_N_ELEMENTS(values); j++) {
			struct ir_func f;
			uint64_t want;
			ir_temp a, d;

			ir_func_init(&f);
			m.cpu->r[0] = values[i];
			m.cpu->r[1] = values[j];
			a = ir_ld_env(&f, 3, R(0));
			d = imm ? ir_op2i(&f, op, a, values[j]) :
				  ir_op2(&f, op, a, ir_ld_env(&f, 3, R(1)));
			ir_st_env(&f, 3, R(2), d);
			run_ir(&f, optimize);
			ir_func_destroy(&f);
			cr_assert(ir_fold(op, values[i], values[j], &want));
			cr_assert_eq(m.cpu->r[2], want, "%s(%#llx, %#llx) = %#llx, want %#llx",
				     ir_op_name(op), (unsigned long long)values[i],
				     (unsigned long long)values[j], (unsigned long long)m.cpu->r[2],
				     (unsigned long long)want);
		}
	}
}

Test(ir, binary_ops_register_and_immediate_forms)
{
	for (enum ir_opcode op = IR_ADD; op <= IR_REMS; op++) {
		check_binop(op, false, false);
		check_binop(op, true, false);
		check_binop(op, true, true); /* folded to a constant */
	}
}

Test(ir, fold_semantics_edge_cases)
{
	uint64_t r;

	cr_assert(ir_fold(IR_ROTL32, 0x80000001, 1, &r));
	cr_assert_eq(r, 3);
	cr_assert(ir_fold(IR_ROTR, 1, 1, &r));
	cr_assert_eq(r, 0x8000000000000000ull);
	cr_assert(ir_fold(IR_MULHS, (uint64_t)-1, (uint64_t)-1, &r));
	cr_assert_eq(r, 0);
	cr_assert(ir_fold(IR_MULHU, (uint64_t)-1, (uint64_t)-1, &r));
	cr_assert_eq(r, 0xfffffffffffffffeull);
	cr_assert(ir_fold(IR_DIVS, 0x8000000000000000ull, (uint64_t)-1, &r));
	cr_assert_eq(r, 0, "INT64_MIN / -1 is defined as 0");
	cr_assert(ir_fold(IR_DIVU, 5, 0, &r));
	cr_assert_eq(r, 0);
	cr_assert(ir_fold(IR_REMS, (uint64_t)-7, 2, &r));
	cr_assert_eq(r, (uint64_t)-1);
	cr_assert(ir_fold(IR_CLZ, 0, 0, &r));
	cr_assert_eq(r, 64);
	cr_assert(ir_fold(IR_CTZ, 0x100, 0, &r));
	cr_assert_eq(r, 8);
	cr_assert(ir_fold(IR_BSWAP32, 0x11223344aabbccddull, 0, &r));
	cr_assert_eq(r, 0xddccbbaa);
	cr_assert(ir_fold(IR_EXT16S, 0x8000, 0, &r));
	cr_assert_eq(r, 0xffffffffffff8000ull);
	cr_assert(!ir_fold(IR_QLD, 0, 0, &r), "not a pure op");
}

Test(ir, unary_ops)
{
	for (enum ir_opcode op = IR_NEG; op <= IR_POPCNT; op++) {
		for (unsigned i = 0; i < G_N_ELEMENTS(values); i++) {
			struct ir_func f;
			uint64_t want;

			ir_func_init(&f);
			m.cpu->r[0] = values[i];
			ir_st_env(&f, 3, R(1), ir_op1(&f, op, ir_ld_env(&f, 3, R(0))));
			run_ir(&f, false);
			ir_func_destroy(&f);
			cr_assert(ir_fold(op, values[i], 0, &want));
			cr_assert_eq(m.cpu->r[1], want, "%s(%#llx)", ir_op_name(op),
				     (unsigned long long)values[i]);
		}
	}
}

Test(ir, conditions_setcond_movcond_brcond)
{
	for (unsigned c = IR_EQ; c <= IR_TSTNE; c++) {
		for (unsigned i = 0; i < G_N_ELEMENTS(values); i += 3) {
			for (unsigned j = 0; j < G_N_ELEMENTS(values); j += 2) {
				struct ir_func f;
				ir_label l;
				ir_temp a, b;
				bool want = ir_cond_eval(c, values[i], values[j]);

				ir_func_init(&f);
				m.cpu->r[0] = values[i];
				m.cpu->r[1] = values[j];
				m.cpu->r[4] = 0;
				a = ir_ld_env(&f, 3, R(0));
				b = ir_ld_env(&f, 3, R(1));
				ir_st_env(&f, 3, R(2), ir_setcond(&f, c, a, b));
				ir_st_env(
					&f, 3, R(3),
					ir_movcond(&f, c, a, b, ir_movi(&f, 11), ir_movi(&f, 22)));
				l = ir_new_label(&f);
				ir_brcond(&f, c, a, b, l);
				ir_st_envi(&f, 3, R(4), 1);
				ir_set_label(&f, l);
				run_ir(&f, false);
				ir_func_destroy(&f);
				cr_assert_eq(m.cpu->r[2], want, "setcond %u", c);
				cr_assert_eq(m.cpu->r[3], want ? 11 : 22, "movcond %u", c);
				cr_assert_eq(m.cpu->r[4], !want, "brcond %u", c);
			}
		}
	}
}

Test(ir, guest_memory_both_endiannesses_and_sign_extension)
{
	struct ir_func f;
	ir_temp base;

	ir_func_init(&f);
	base = ir_movi(&f, 0x2000);
	ir_qst(&f, IR_MO_32, 0, base, 0, ir_movi(&f, 0x80112233));
	ir_qst(&f, IR_MO_32 | IR_MO_BE, 0, base, 8, ir_movi(&f, 0x80112233));
	ir_st_env(&f, 3, R(0), ir_qld(&f, IR_MO_32 | IR_MO_SIGN, 0, base, 0));
	ir_st_env(&f, 3, R(1), ir_qld(&f, IR_MO_8, 0, base, 8));
	ir_st_env(&f, 3, R(2), ir_qld(&f, IR_MO_16 | IR_MO_BE, 0, base, 8));
	run_ir(&f, true);
	ir_func_destroy(&f);
	cr_assert_eq(m.cpu->r[0], 0xffffffff80112233ull);
	cr_assert_eq(m.cpu->r[1], 0x80, "big-endian store puts the high byte first");
	cr_assert_eq(m.cpu->r[2], 0x8011);
}

static uint64_t helper_sum4(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e)
{
	return a + 10 * b + 100 * c + 1000 * e + (cpu == &m.cpu->cpu ? 10000 : 0);
}

Test(ir, helper_call_passes_cpu_and_four_arguments)
{
	struct ir_func f;

	ir_func_init(&f);
	ir_st_env(&f, 3, R(0),
		  ir_call(&f, helper_sum4, ir_movi(&f, 1), ir_movi(&f, 2), ir_movi(&f, 3),
			  ir_movi(&f, 4)));
	ir_st_env(&f, 3, R(1),
		  ir_call(&f, helper_sum4, ir_movi(&f, 1), IR_NO_TEMP, IR_NO_TEMP, IR_NO_TEMP));
	run_ir(&f, false);
	ir_func_destroy(&f);
	cr_assert_eq(m.cpu->r[0], 14321);
	cr_assert_eq(m.cpu->r[1], 10001, "missing arguments read as 0");
}

Test(ir, optimizer_folds_constants_and_drops_dead_code)
{
	struct ir_func f;
	char *dump;
	ir_temp a;

	ir_func_init(&f);
	a = ir_addi(&f, ir_movi(&f, 40), 2);
	ir_mul(&f, a, a);                                     /* dead */
	(void)ir_op2i(&f, IR_XOR, ir_ld_env(&f, 3, R(0)), 1); /* dead */
	ir_st_env(&f, 3, R(1), a);
	ir_exit_tb(&f);
	ir_optimize(&f);
	dump = ir_func_dump(&f);
	cr_assert(strstr(dump, "MOVI t1 = 0x2a") != NULL, "folded: %s", dump);
	cr_assert(strstr(dump, "MUL") == NULL, "dead multiply removed: %s", dump);
	cr_assert(strstr(dump, "XOR") == NULL, "dead xor removed: %s", dump);
	cr_assert(strstr(dump, "ST_ENV") != NULL, "stores stay: %s", dump);
	g_free(dump);
	ir_func_destroy(&f);
}

Test(ir, optimizer_keeps_values_merged_across_labels)
{
	struct ir_func f;
	ir_temp t;
	ir_label l;

	/* t = 1; if (r0 != 0) goto L; t = 2; L: r1 = t */
	for (int r0 = 0; r0 < 2; r0++) {
		ir_func_init(&f);
		m.cpu->r[0] = (uint64_t)r0;
		t = ir_movi(&f, 1);
		l = ir_new_label(&f);
		ir_brcondi(&f, IR_NE, ir_ld_env(&f, 3, R(0)), 0, l);
		ir_movi_to(&f, t, 2);
		ir_set_label(&f, l);
		ir_st_env(&f, 3, R(1), ir_addi(&f, t, 0));
		run_ir(&f, true);
		ir_func_destroy(&f);
		cr_assert_eq(m.cpu->r[1], r0 ? 1 : 2);
	}
}

static unsigned count_op(const struct ir_func *f, enum ir_opcode op)
{
	unsigned n = 0;
	for (unsigned k = 0; k < f->n_insns; k++)
		n += f->insns[k].op == op;
	return n;
}

Test(ir, env_forwarding_and_dead_stores)
{
	struct ir_func f;
	ir_temp a;
	ir_label l;

	/* r0 = r0 + 1; r0 = r0 + 1 (twice through env), then r1 = r0 + 0. */
	ir_func_init(&f);
	m.cpu->r[0] = 5;
	ir_insn_start(&f, 0x100, 0);
	ir_st_env(&f, 3, R(0), ir_addi(&f, ir_ld_env(&f, 3, R(0)), 1));
	ir_insn_start(&f, 0x108, 1);
	ir_st_env(&f, 3, R(0), ir_addi(&f, ir_ld_env(&f, 3, R(0)), 1));
	ir_st_env(&f, 3, R(1), ir_ld_env(&f, 3, R(0)));
	ir_exit_tb(&f);
	ir_optimize(&f);
	cr_assert_eq(count_op(&f, IR_LD_ENV), 1, "later loads forwarded");
	cr_assert_eq(count_op(&f, IR_ST_ENV), 2, "the first store of r0 is dead");
	cr_assert_eq(count_op(&f, IR_INSN_START), 0, "no insn can fault");
	run_ir(&f, false);
	ir_func_destroy(&f);
	cr_assert_eq(m.cpu->r[0], 7);
	cr_assert_eq(m.cpu->r[1], 7);

	/* A guest memory access between two stores keeps the first (a fault
	 * there must see it), and its insn keeps its INSN_START. */
	ir_func_init(&f);
	ir_insn_start(&f, 0x100, 0);
	ir_st_envi(&f, 3, R(0), 1);
	ir_insn_start(&f, 0x108, 1);
	a = ir_qld(&f, IR_MO_64, 0, ir_movi(&f, 0x2000), 0);
	ir_st_env(&f, 3, R(0), a);
	l = ir_new_label(&f);
	ir_set_label(&f, l);
	ir_st_env(&f, 3, R(1), ir_ld_env(&f, 3, R(0)));
	ir_exit_tb(&f);
	ir_optimize(&f);
	cr_assert_eq(count_op(&f, IR_ST_ENV), 3);
	cr_assert_eq(count_op(&f, IR_LD_ENV), 1, "no forwarding across a label");
	cr_assert_eq(count_op(&f, IR_INSN_START), 1);
	ir_func_destroy(&f);

	/* Different sizes never forward; a narrower store observes nothing
	 * but does end the wider slot's cached value. */
	ir_func_init(&f);
	m.cpu->r[2] = 0;
	ir_st_envi(&f, 3, R(2), 0x1111111122222222ull);
	ir_st_envi(&f, 2, R(2), 0x33333333);
	ir_st_env(&f, 3, R(3), ir_ld_env(&f, 3, R(2)));
	run_ir(&f, true);
	ir_func_destroy(&f);
	cr_assert_eq(m.cpu->r[3],
		     SV_HOST_BIG_ENDIAN ? 0x3333333322222222ull : 0x1111111133333333ull);
}

/* r2 = setcond(c, r0, r1) ^ 1; r3 = 1 if brcond ne on the setcond, else 0;
 * r4 = (r0 rotl 13) & ~0 << 13; r5 = (r0 rotl 57) & ~0 >> 7;
 * r6 = ext32u(ext16u(r0)). With redefine, r0's temp changes between the
 * setcond and its uses (an ir_mov_to), so nothing may be looked through. */
static void build_peephole(struct ir_func *f, enum ir_cond c, bool redefine)
{
	ir_temp a = ir_ld_env(f, 3, R(0)), b = ir_ld_env(f, 3, R(1));
	ir_temp s = ir_setcond(f, c, a, b);
	ir_label taken = ir_new_label(f), done = ir_new_label(f);

	if (redefine)
		ir_mov_to(f, a, ir_addi(f, a, 1));
	ir_st_env(f, 3, R(2), ir_op2i(f, IR_XOR, s, 1));
	ir_st_env(f, 3, R(4), ir_andi(f, ir_op2i(f, IR_ROTL, a, 13), ~0ull << 13));
	ir_st_env(f, 3, R(5), ir_andi(f, ir_op2i(f, IR_ROTL, a, 57), ~0ull >> 7));
	ir_st_env(f, 3, R(6), ir_op1(f, IR_EXT32U, ir_op1(f, IR_EXT16U, a)));
	ir_brcondi(f, IR_NE, s, 0, taken);
	ir_st_envi(f, 3, R(3), 0);
	ir_br(f, done);
	ir_set_label(f, taken);
	ir_st_envi(f, 3, R(3), 1);
	ir_set_label(f, done);
}

Test(ir, peepholes_keep_results)
{
	static const uint64_t vals[] = {
		0, 1, 0x8000, 0xffffffff, 0x8000000000000000ull, 0xfffffffffffffffeull
	};

	for (unsigned c = IR_EQ; c <= IR_TSTNE; c++) {
		for (unsigned x = 0; x < G_N_ELEMENTS(vals); x++) {
			for (unsigned y = 0; y < G_N_ELEMENTS(vals); y++) {
				for (int redef = 0; redef < 2; redef++) {
					uint64_t want[7], got[7];
					for (int opt = 0; opt < 2; opt++) {
						struct ir_func f;
						ir_func_init(&f);
						memset(m.cpu->r, 0, sizeof(m.cpu->r));
						m.cpu->r[0] = vals[x];
						m.cpu->r[1] = vals[y];
						build_peephole(&f, (enum ir_cond)c, redef);
						if (opt) {
							ir_exit_tb(&f);
							ir_optimize(&f);
							if (!redef) {
								cr_assert_eq(
									count_op(&f, IR_SETCOND),
									1);
								cr_assert_eq(count_op(&f, IR_XOR),
									     0);
								cr_assert_eq(count_op(&f, IR_ROTL),
									     0);
								cr_assert_eq(count_op(&f, IR_AND),
									     0);
								cr_assert_eq(
									count_op(&f, IR_EXT32U), 0);
							}
						}
						run_ir(&f, false);
						ir_func_destroy(&f);
						memcpy(opt ? got : want, m.cpu->r, sizeof(want));
					}
					for (unsigned k = 0; k < 7; k++)
						cr_assert_eq(got[k], want[k],
							     "cond %u x %#llx y %#llx redef %d r%u",
							     c, (unsigned long long)vals[x],
							     (unsigned long long)vals[y], redef, k);
				}
			}
		}
	}
}
