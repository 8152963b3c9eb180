/*
 * The run loop, TB cache, chaining, invalidation and faults, on the toy
 * architecture.
 */
#include <criterion/criterion.h>

#include "toy.h"

static struct toy_machine m;

static void setup(void)
{
	toy_machine_init(&m, 16);
}

static void teardown(void)
{
	toy_machine_destroy(&m);
}

TestSuite(tb, .init = setup, .fini = teardown);

/* sum = 0; for (i = 100; i; i--) sum += i;  then EXIT 0x42 */
static void put_sum_loop(uint64_t base)
{
	toy_put(&m, base + 0, 1, 0, 0, 0);                     /* r0 = 0 */
	toy_put(&m, base + 8, 1, 1, 0, 100);                   /* r1 = 100 */
	toy_put(&m, base + 16, 3, 0, 1, 0);                    /* loop: r0 += r1 */
	toy_put(&m, base + 24, 2, 1, 0, -1);                   /* r1 -= 1 */
	toy_put(&m, base + 32, 7, 1, 0, (int32_t)(base + 16)); /* bnz r1, loop */
	toy_put(&m, base + 40, 8, 0, 0, 0x42);                 /* exit 0x42 */
}

Test(tb, loop_runs_and_exits_with_exact_icount)
{
	put_sum_loop(0x1000);
	m.cpu->pc = 0x1000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 1000000), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->cpu.exit.reason, 0x42);
	cr_assert_eq(m.cpu->r[0], 5050);
	cr_assert_eq(m.cpu->r[1], 0);
	/* 2 setup + 100 * 3 loop; the exiting instruction does not retire. */
	cr_assert_eq(m.cpu->cpu.icount, 302, "icount %llu", (unsigned long long)m.cpu->cpu.icount);
	cr_assert_eq(m.cpu->pc, 0x1000 + 40);
}

Test(tb, loop_is_chained_and_translated_once)
{
	put_sum_loop(0x1000);
	m.cpu->pc = 0x1000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 1000000), CPU_STOP_EXIT);
	/* TBs: [0x1000..bnz], [loop..bnz], [exit]: each translated once. */
	cr_assert_eq(m.cpu->cpu.n_tb_translated, 3);
	/* 99 runs of the loop TB: the first comes from TB 0 and the second
	 * links the loop to itself; the other 97 are chained. */
	cr_assert_eq(m.cpu->cpu.n_tb_chained, 97, "chained %llu",
		     (unsigned long long)m.cpu->cpu.n_tb_chained);
	cr_assert_eq(tb_cache_count(m.tbc), 3);
}

Test(tb, cache_lookup_and_range_invalidation)
{
	struct tb *tb;

	put_sum_loop(0x1000);
	m.cpu->pc = 0x1000;
	cpu_exec(&m.cpu->cpu, 1000000);
	tb = tb_cache_lookup(m.tbc, 0x1010, 0x1010, 0);
	cr_assert_not_null(tb);
	cr_assert_eq(tb->n_insns, 3);
	cr_assert_eq(tb->size, 24);
	/* A write to a byte of another page invalidates nothing. */
	cr_assert_eq(tb_cache_invalidate_range(m.tbc, 0x3000, 8), 0);
	/* A write inside the loop body invalidates the TBs covering it. */
	cr_assert_eq(tb_cache_invalidate_range(m.tbc, 0x1018, 1), 2);
	cr_assert_null(tb_cache_lookup(m.tbc, 0x1010, 0x1010, 0));
	cr_assert_eq(tb_cache_count(m.tbc), 1);
}

Test(tb, budget_stops_an_endless_loop)
{
	toy_put(&m, 0x2000, 2, 0, 0, 1);      /* r0++ */
	toy_put(&m, 0x2008, 6, 0, 0, 0x2000); /* jmp back */
	m.cpu->pc = 0x2000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 10000), CPU_STOP_BUDGET);
	cr_assert_geq(m.cpu->cpu.icount, 10000);
	cr_assert_lt(m.cpu->cpu.icount, 10000 + 4);
	cr_assert_eq(m.cpu->r[0] * 2, m.cpu->cpu.icount);
}

Test(tb, exit_request_stops_at_a_tb_boundary)
{
	toy_put(&m, 0x2000, 2, 0, 0, 1);
	toy_put(&m, 0x2008, 6, 0, 0, 0x2000);
	m.cpu->pc = 0x2000;
	cpu_request_exit(&m.cpu->cpu);
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 10000), CPU_STOP_REQUEST);
	cr_assert_eq(m.cpu->cpu.icount, 0);
}

/*
 * Self-modifying code: the program stores a new instruction over one it has
 * already executed (in a TB), then runs it again and must see the new one.
 *   0x1000: LI r0, 5
 *   0x1008: JMP 0x1100
 *   0x1100: BNZ r2, 0x1200       first time r2 == 0: fall through
 *   0x1108: LI r2, 1
 *   0x1110: LI r3, 0x1000 ; r4 = new opcode byte (2 = ADDI)
 *   0x1118: LI r4, 2
 *   0x1120: STB r4, [r3 + 0]     rewrite LI r0,5 as ADDI r0,5
 *   0x1128: JMP 0x1000
 *   0x1200: EXIT 0x77            second time through: r0 = 5 + 5
 */
Test(tb, self_modifying_code_is_seen)
{
	toy_put(&m, 0x1000, 1, 0, 0, 5);
	toy_put(&m, 0x1008, 6, 0, 0, 0x1100);
	toy_put(&m, 0x1100, 7, 2, 0, 0x1200);
	toy_put(&m, 0x1108, 1, 2, 0, 1);
	toy_put(&m, 0x1110, 1, 3, 0, 0x1000);
	toy_put(&m, 0x1118, 1, 4, 0, 2);
	toy_put(&m, 0x1120, 10, 4, 3, 0);
	toy_put(&m, 0x1128, 6, 0, 0, 0x1000);
	toy_put(&m, 0x1200, 8, 0, 0, 0x77);
	m.cpu->pc = 0x1000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 1000), CPU_STOP_REQUEST,
		     "a store to code ends the chain");
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 1000), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->cpu.exit.reason, 0x77);
	cr_assert_eq(m.cpu->r[0], 10);
	cr_assert_geq(m.cpu->cpu.n_tb_invalidated, 1);
}

Test(tb, hv_write_to_code_invalidates)
{
	toy_put(&m, 0x1000, 1, 0, 0, 5);
	toy_put(&m, 0x1008, 8, 0, 0, 1);
	m.cpu->pc = 0x1000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->r[0], 5);
	/* hv (or a device) rewrites the code through the p2m. */
	toy_put(&m, 0x1000, 1, 0, 0, 9);
	m.cpu->pc = 0x1000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->r[0], 9);
}

Test(tb, helper_fault_is_precise)
{
	toy_put(&m, 0x1000, 1, 0, 0, 7);    /* r0 = 7 */
	toy_put(&m, 0x1008, 1, 1, 0, 0);    /* r1 = 0 */
	toy_put(&m, 0x1010, 9, 0, 1, 0);    /* r0 /= r1 -> fault */
	toy_put(&m, 0x1018, 1, 0, 0, 99);   /* not reached */
	toy_put(&m, 0x1800, 8, 0, 0, 0x66); /* fault handler: exit */
	m.cpu->pc = 0x1000;
	m.cpu->fault_vector = 0x1800;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->cpu.exit.reason, 0x66);
	cr_assert_eq(m.cpu->faults, 1);
	cr_assert_eq(m.cpu->fault_pc, 0x1010);
	cr_assert_eq(m.cpu->r[0], 7, "the faulting insn wrote nothing");
	cr_assert_eq(m.cpu->cpu.icount, 2, "two instructions retired before the fault");
}

Test(tb, unmapped_gpa_is_a_stage2_exit)
{
	toy_put(&m, 0x1000, 5, 0, 0, 0x100000); /* load from gfn 0x100: not RAM */
	m.cpu->pc = 0x1000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->cpu.exit.reason, 0xe00);
	cr_assert_eq(m.cpu->cpu.exit.gpa, 0x100000);
	cr_assert_eq(m.cpu->cpu.exit.qualification, MMU_READ);
}

Test(tb, page_crossing_store_and_load)
{
	toy_put(&m, 0x1000, 1, 0, 0, 0x11223344);
	toy_put(&m, 0x1008, 4, 0, 0, 0x2ffc); /* store 8 bytes across 0x3000 */
	toy_put(&m, 0x1010, 5, 1, 0, 0x2ffc);
	toy_put(&m, 0x1018, 8, 0, 0, 1);
	m.cpu->pc = 0x1000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->r[1], 0x11223344);
}

Test(tb, two_cpus_share_translations)
{
	struct toy_cpu *c2;

	put_sum_loop(0x1000);
	c2 = toy_cpu_new(m.p2m, m.tbc, 1);
	m.cpu->pc = 0x1000;
	c2->pc = 0x1000;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 100000), CPU_STOP_EXIT);
	cr_assert_eq(cpu_exec(&c2->cpu, 100000), CPU_STOP_EXIT);
	cr_assert_eq(c2->r[0], 5050);
	cr_assert_eq(c2->cpu.n_tb_translated, 0, "the second CPU reuses the TBs");
	cpu_destroy(&c2->cpu);
	free(c2);
}

/* A fault whose handler faults again at once retires nothing: cpu_exec must
 * still come back when the budget is spent, so the run driver's timeout
 * and scheduling keep working against such a guest. */
Test(tb, a_fault_loop_still_ends_with_the_budget, .timeout = 10)
{
	toy_put(&m, 0x1000, 1, 1, 0, 0); /* r1 = 0 */
	toy_put(&m, 0x1008, 9, 0, 1, 0); /* r0 /= r1: faults, and is its own handler */
	m.cpu->pc = 0x1000;
	m.cpu->fault_vector = 0x1008;
	cr_assert_eq(cpu_exec(&m.cpu->cpu, 1000), CPU_STOP_BUDGET);
	cr_assert_eq(m.cpu->cpu.icount, 1, "only the first instruction retired");
	cr_assert_geq(m.cpu->faults, 999);
}
