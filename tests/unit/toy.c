/*
 * The toy architecture (see toy.h).
 */
#include "toy.h"

#include <criterion/criterion.h>

#include "cpu/gdb.h"
#include "cpu/translator.h"

static struct toy_cpu *toy_of(struct cpu *cpu)
{
	return SV_CONTAINER_OF(cpu, struct toy_cpu, cpu);
}

static void toy_get_tb_key(struct cpu *cpu, uint64_t *pc, uint64_t *flags, unsigned *mmu_idx)
{
	*pc = toy_of(cpu)->pc;
	*flags = 0;
	*mmu_idx = 0;
}

static uint64_t toy_helper_exit(struct cpu *cpu, uint64_t reason, uint64_t pc, uint64_t c,
				uint64_t e)
{
	toy_of(cpu)->pc = pc;
	cpu->exit.kind = CPU_EXIT_HV;
	cpu->exit.reason = (uint32_t)reason;
	cpu->exit.pc = pc;
	cpu_loop_exit_exit(cpu);
}

static uint64_t toy_helper_div(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t pc, uint64_t e)
{
	if (b == 0) {
		struct toy_cpu *t = toy_of(cpu);
		t->fault_pending = true;
		t->fault_pc = pc;
		cpu_loop_exit_fault(cpu);
	}
	return a / b;
}

#define R(n) offsetof(struct toy_cpu, r[(n)&7])
#define PC offsetof(struct toy_cpu, pc)

static void toy_goto(struct translator *tr, unsigned slot, uint64_t dest)
{
	ir_st_envi(tr->ir, 3, PC, dest);
	ir_goto_tb(tr->ir, slot);
}

static void toy_translate_insn(struct translator *tr)
{
	struct ir_func *f = tr->ir;
	uint64_t pc = tr->pc_next;
	uint64_t w = translator_ld64(tr, pc);
	uint8_t op = (uint8_t)w, rd = (w >> 8) & 7, rs = (w >> 16) & 7;
	int64_t imm = (int32_t)(uint32_t)(w >> 32);
	ir_temp a, b;

	tr->pc_next = pc + 8;
	switch (op) {
	case 1: ir_st_env(f, 3, R(rd), ir_movi(f, (uint64_t)imm)); break;
	case 2: ir_st_env(f, 3, R(rd), ir_addi(f, ir_ld_env(f, 3, R(rd)), (uint64_t)imm)); break;
	case 3:
		ir_st_env(f, 3, R(rd), ir_add(f, ir_ld_env(f, 3, R(rd)), ir_ld_env(f, 3, R(rs))));
		break;
	case 4: ir_qst(f, IR_MO_64, 0, ir_movi(f, 0), imm, ir_ld_env(f, 3, R(rd))); break;
	case 5: ir_st_env(f, 3, R(rd), ir_qld(f, IR_MO_64, 0, ir_movi(f, 0), imm)); break;
	case 6:
		toy_goto(tr, 0, (uint64_t)imm);
		tr->stop = true;
		break;
	case 7: {
		ir_label taken = ir_new_label(f);
		ir_brcondi(f, IR_NE, ir_ld_env(f, 3, R(rd)), 0, taken);
		toy_goto(tr, 1, tr->pc_next);
		ir_set_label(f, taken);
		toy_goto(tr, 0, (uint64_t)imm);
		tr->stop = true;
		break;
	}
	case 9:
		a = ir_ld_env(f, 3, R(rd));
		b = ir_ld_env(f, 3, R(rs));
		ir_st_env(f, 3, R(rd),
			  ir_call(f, toy_helper_div, a, b, ir_movi(f, pc), IR_NO_TEMP));
		break;
	case 10: ir_qst(f, IR_MO_8, 0, ir_ld_env(f, 3, R(rs)), imm, ir_ld_env(f, 3, R(rd))); break;
	default:
		ir_call(f, toy_helper_exit, ir_movi(f, op == 8 ? (uint64_t)imm : 0xdead),
			ir_movi(f, pc), IR_NO_TEMP, IR_NO_TEMP);
		tr->stop = true;
		break;
	}
}

static void toy_tb_stop(struct translator *tr)
{
	toy_goto(tr, 0, tr->pc_next);
}

static int toy_translate(struct cpu *cpu, uint64_t va, enum mmu_access acc, unsigned mmu_idx,
			 bool probe, struct cpu_xlat *x)
{
	x->gpa = va;
	x->prot = MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
	x->page_size = SV_PAGE_SIZE;
	return 0;
}

static bool toy_raise_fault(struct cpu *cpu)
{
	struct toy_cpu *t = toy_of(cpu);

	if (!t->fault_pending)
		return false;
	t->fault_pending = false;
	t->faults++;
	t->pc = t->fault_vector;
	return false;
}

static void toy_stage2_fault(struct cpu *cpu, uint64_t va, uint64_t gpa, enum mmu_access acc,
			     bool in_walk)
{
	cpu->exit.kind = CPU_EXIT_HV;
	cpu->exit.reason = 0xe00;
	cpu->exit.gpa = gpa;
	cpu->exit.gla = va;
	cpu->exit.qualification = acc;
}

static bool toy_check_interrupts(struct cpu *cpu)
{
	return false;
}

static bool toy_is_user(struct cpu *cpu)
{
	return false;
}

static uint64_t toy_get_pc(struct cpu *cpu)
{
	return toy_of(cpu)->pc;
}

/* Enough of a gdb interface for watchpoints (which restore the pc of an
 * abandoned instruction). */
static void toy_set_tb_pc(struct cpu *cpu, uint64_t pc)
{
	toy_of(cpu)->pc = pc;
}

static const struct cpu_gdb_ops toy_gdb_ops = {
	.architecture = "toy",
	.set_tb_pc = toy_set_tb_pc,
};

static const struct cpu_arch_ops toy_ops = {
	.name = "toy",
	.n_mmu_idx = 1,
	.get_tb_key = toy_get_tb_key,
	.translate_insn = toy_translate_insn,
	.tb_stop = toy_tb_stop,
	.translate = toy_translate,
	.raise_fault = toy_raise_fault,
	.stage2_fault = toy_stage2_fault,
	.check_interrupts = toy_check_interrupts,
	.is_user_mode = toy_is_user,
	.get_pc = toy_get_pc,
	.gdb = &toy_gdb_ops,
};

struct toy_cpu *toy_cpu_new(struct p2m *p2m, struct tb_cache *tbc, unsigned index)
{
	struct toy_cpu *c = calloc(1, sizeof(*c));

	cpu_init(&c->cpu, &toy_ops, p2m, tbc, index);
	return c;
}

void toy_machine_init(struct toy_machine *m, uint64_t ram_pages)
{
	cr_assert_eq(machmem_init(&m->mem, (ram_pages + 16) << SV_PAGE_BITS), 0);
	m->p2m = p2m_new(&m->mem, 1);
	cr_assert_eq(p2m_populate_ram(m->p2m, 0, ram_pages), 0);
	m->tbc = tb_cache_new(m->p2m, &backend_threaded);
	m->cpu = toy_cpu_new(m->p2m, m->tbc, 0);
}

void toy_machine_destroy(struct toy_machine *m)
{
	cpu_destroy(&m->cpu->cpu);
	free(m->cpu);
	tb_cache_free(m->tbc);
	p2m_destroy(m->p2m);
	machmem_destroy(&m->mem);
}

void toy_put(struct toy_machine *m, uint64_t gpa, uint8_t op, uint8_t rd, uint8_t rs, int32_t imm)
{
	uint8_t w[8] = { op, rd, rs, 0 };

	st32_le_p(w + 4, (uint32_t)imm);
	cr_assert_eq(p2m_copy_to(m->p2m, gpa, w, 8), 0);
}
