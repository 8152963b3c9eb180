/*
 * Breakpoints and single step in the run loop (the gdb stub's core
 * support), on the toy architecture.
 */
#include <criterion/criterion.h>
#include <errno.h>

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

TestSuite(debug, .init = setup, .fini = teardown);

#define LOOP 0x1010

/* 0x1000 r0 = 0; 0x1008 r1 = 100; loop: 0x1010 r0 += r1; 0x1018 r1 -= 1;
 * 0x1020 bnz r1, loop; 0x1028 exit 0x42 */
static void put_sum_loop(void)
{
	toy_put(&m, 0x1000, 1, 0, 0, 0);
	toy_put(&m, 0x1008, 1, 1, 0, 100);
	toy_put(&m, 0x1010, 3, 0, 1, 0);
	toy_put(&m, 0x1018, 2, 1, 0, -1);
	toy_put(&m, 0x1020, 7, 1, 0, LOOP);
	toy_put(&m, 0x1028, 8, 0, 0, 0x42);
	m.cpu->pc = 0x1000;
}

static struct cpu *cpu(void)
{
	return &m.cpu->cpu;
}

Test(debug, breakpoint_stops_before_the_instruction_with_exact_icount)
{
	put_sum_loop();
	cr_assert_eq(cpu_breakpoint_insert(cpu(), 0x1018), 0);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(cpu()->debug_reason, CPU_DEBUG_BREAKPOINT);
	cr_assert_eq(m.cpu->pc, 0x1018);
	/* Three instructions retired; the one at the breakpoint did not. */
	cr_assert_eq(cpu()->icount, 3, "icount %llu", (unsigned long long)cpu()->icount);
	cr_assert_eq(m.cpu->r[0], 100);
	cr_assert_eq(m.cpu->r[1], 100);
}

Test(debug, breakpoint_at_tb_start_and_resume_runs_the_instruction_once)
{
	put_sum_loop();
	cpu_breakpoint_insert(cpu(), 0x1000);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(m.cpu->pc, 0x1000);
	cr_assert_eq(cpu()->icount, 0);
	/* Resuming runs the instruction at the breakpoint, then goes on. */
	m.cpu->r[0] = 7;
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(cpu()->exit.reason, 0x42);
	cr_assert_eq(m.cpu->r[0], 5050);
	cr_assert_eq(cpu()->icount, 302);
}

Test(debug, breakpoint_in_a_loop_hits_every_iteration)
{
	put_sum_loop();
	cpu_breakpoint_insert(cpu(), LOOP);
	for (unsigned i = 0; i < 100; i++) {
		cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG, "iteration %u", i);
		cr_assert_eq(m.cpu->pc, LOOP);
		cr_assert_eq(m.cpu->r[1], 100 - i);
		cr_assert_eq(cpu()->icount, 2 + 3 * i);
	}
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->r[0], 5050);
}

Test(debug, removing_a_breakpoint_lets_execution_continue)
{
	put_sum_loop();
	cpu_breakpoint_insert(cpu(), LOOP);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(cpu()->icount, 5);
	cr_assert_eq(cpu_breakpoint_remove(cpu(), LOOP), 0);
	cr_assert_eq(cpu_breakpoint_remove(cpu(), LOOP), -ENOENT);
	cr_assert_not(cpu_breakpoint_at(cpu(), LOOP));
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(cpu()->exit.reason, 0x42);
	cr_assert_eq(m.cpu->r[0], 5050);
	cr_assert_eq(cpu()->icount, 302);
}

Test(debug, breakpoint_in_a_translated_and_chained_loop_still_hits)
{
	put_sum_loop();
	/* Run part of the loop so that it is translated and chained to
	 * itself, then insert the breakpoint between two cpu_exec calls. */
	cr_assert_eq(cpu_exec(cpu(), 50), CPU_STOP_BUDGET);
	cr_assert_gt(cpu()->n_tb_chained, 0);
	uint64_t before = cpu()->icount;
	cpu_breakpoint_insert(cpu(), 0x1020);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(m.cpu->pc, 0x1020);
	cr_assert_lt(cpu()->icount - before, 3);
	/* The loop body ran up to the bnz: r1 was just decremented. */
	cr_assert_eq((cpu()->icount - 2) % 3, 2);
	cr_assert_eq(m.cpu->r[1], 100 - (cpu()->icount - 2) / 3 - 1);
}

Test(debug, counted_breakpoints_at_the_same_pc)
{
	put_sum_loop();
	cpu_breakpoint_insert(cpu(), LOOP);
	cpu_breakpoint_insert(cpu(), LOOP);
	cr_assert_eq(cpu_breakpoint_remove(cpu(), LOOP), 0);
	cr_assert(cpu_breakpoint_at(cpu(), LOOP));
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(m.cpu->pc, LOOP);
	cpu_breakpoint_remove_all(cpu());
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
}

Test(debug, single_step_retires_exactly_one_instruction)
{
	put_sum_loop();
	/* Translate and chain everything in normal mode first: stepping must
	 * not reuse those TBs. */
	cr_assert_eq(cpu_exec(cpu(), 20), CPU_STOP_BUDGET);
	cpu_set_single_step(cpu(), true);
	for (unsigned i = 0; i < 10; i++) {
		uint64_t ic = cpu()->icount;
		uint64_t pc = m.cpu->pc;
		cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
		cr_assert_eq(cpu()->debug_reason, CPU_DEBUG_STEP);
		cr_assert_eq(cpu()->icount, ic + 1, "step %u: icount %llu", i,
			     (unsigned long long)cpu()->icount);
		cr_assert(m.cpu->pc == pc + 8 || (pc == 0x1020 && m.cpu->pc == LOOP));
	}
	cpu_set_single_step(cpu(), false);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->r[0], 5050);
	cr_assert_eq(cpu()->icount, 302);
}

Test(debug, single_step_from_a_breakpoint_and_onto_one)
{
	put_sum_loop();
	cpu_breakpoint_insert(cpu(), 0x1008);
	cpu_breakpoint_insert(cpu(), LOOP);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(m.cpu->pc, 0x1008);
	cpu_set_single_step(cpu(), true);
	/* The step runs the instruction at the breakpoint... */
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(cpu()->debug_reason, CPU_DEBUG_STEP);
	cr_assert_eq(m.cpu->pc, LOOP);
	cr_assert_eq(cpu()->icount, 2);
	/* ...and lands on the next breakpoint without running it; the next
	 * step runs it. */
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(m.cpu->pc, 0x1018);
	cr_assert_eq(cpu()->icount, 3);
}

Test(debug, single_step_onto_a_fault_stops_at_the_handler)
{
	toy_put(&m, 0x1000, 1, 1, 0, 0); /* r1 = 0 */
	toy_put(&m, 0x1008, 9, 0, 1, 0); /* div r0, r1: faults */
	toy_put(&m, 0x2000, 1, 2, 0, 5); /* handler: r2 = 5 */
	toy_put(&m, 0x2008, 8, 0, 0, 1); /* exit 1 */
	m.cpu->pc = 0x1000;
	m.cpu->fault_vector = 0x2000;
	cpu_set_single_step(cpu(), true);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(m.cpu->pc, 0x1008);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(cpu()->debug_reason, CPU_DEBUG_STEP);
	cr_assert_eq(m.cpu->pc, 0x2000);
	cr_assert_eq(m.cpu->faults, 1);
	cr_assert_eq(m.cpu->r[2], 0);
	cr_assert_eq(cpu()->icount, 1);
}

Test(debug, single_step_of_an_exit_returns_the_exit)
{
	toy_put(&m, 0x1000, 8, 0, 0, 0x77);
	m.cpu->pc = 0x1000;
	cpu_set_single_step(cpu(), true);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(cpu()->exit.reason, 0x77);
	cr_assert_eq(cpu()->icount, 0);
}

/* 0x1000 r1 = 5; 0x1008 r2 = 7; 0x1010 st r1, [0x3000]; 0x1018 ld r3, [0x3000];
 * 0x1020 st r2, [0x3008]; 0x1028 exit 0x42 */
static void put_store_load(void)
{
	toy_put(&m, 0x1000, 1, 1, 0, 5);
	toy_put(&m, 0x1008, 1, 2, 0, 7);
	toy_put(&m, 0x1010, 4, 1, 0, 0x3000);
	toy_put(&m, 0x1018, 5, 3, 0, 0x3000);
	toy_put(&m, 0x1020, 4, 2, 0, 0x3008);
	toy_put(&m, 0x1028, 8, 0, 0, 0x42);
	m.cpu->pc = 0x1000;
}

static uint64_t ram64(uint64_t gpa)
{
	uint64_t v = 0;

	cr_assert_eq(p2m_copy_from(m.p2m, &v, gpa, 8), 0);
	return v;
}

Test(debug, write_watchpoint_stops_before_the_store)
{
	static const uint8_t zero[16];

	put_store_load();
	/* Run once: translated, and the data page on the TLB fast path. */
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(p2m_copy_to(m.p2m, 0x3000, zero, sizeof(zero)), 0);
	m.cpu->pc = 0x1000;
	cpu()->icount = 0;
	cr_assert_eq(cpu_watchpoint_insert(cpu(), 0x3004, 4, CPU_WATCH_WRITE), 0);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(cpu()->debug_reason, CPU_DEBUG_WATCHPOINT);
	cr_assert_eq(cpu()->watch_hit_kind, CPU_WATCH_WRITE);
	cr_assert_eq(cpu()->watch_hit_addr, 0x3004);
	/* pc and icount are those of the store, which has not run. */
	cr_assert_eq(m.cpu->pc, 0x1010);
	cr_assert_eq(cpu()->icount, 2);
	cr_assert_eq(ram64(0x3000), 0);
	/* Resuming runs the store (watchpoints off for it), then the load,
	 * then the second store hits nothing: [0x3004, 0x3008) only. */
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(ram64(0x3000), 5);
	cr_assert_eq(ram64(0x3008), 7);
	cr_assert_eq(m.cpu->r[3], 5);
	cr_assert_eq(cpu()->icount, 5);
}

Test(debug, read_watchpoint_ignores_writes)
{
	put_store_load();
	cr_assert_eq(cpu_watchpoint_insert(cpu(), 0x3000, 8, CPU_WATCH_READ), 0);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG);
	cr_assert_eq(cpu()->watch_hit_kind, CPU_WATCH_READ);
	cr_assert_eq(m.cpu->pc, 0x1018);
	cr_assert_eq(ram64(0x3000), 5);
	cr_assert_eq(m.cpu->r[3], 0);
	cr_assert_eq(cpu_watchpoint_remove(cpu(), 0x3000, 8, CPU_WATCH_READ), 0);
	cr_assert_eq(cpu_watchpoint_remove(cpu(), 0x3000, 8, CPU_WATCH_READ), -ENOENT);
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(m.cpu->r[3], 5);
}

Test(debug, access_watchpoint_in_a_chained_loop)
{
	/* r1 = 3; loop: st r1, [0x3000]; r1 -= 1; bnz r1, loop; exit */
	toy_put(&m, 0x1000, 1, 1, 0, 3);
	toy_put(&m, 0x1008, 4, 1, 0, 0x3000);
	toy_put(&m, 0x1010, 2, 1, 0, -1);
	toy_put(&m, 0x1018, 7, 1, 0, 0x1008);
	toy_put(&m, 0x1020, 8, 0, 0, 0x42);
	m.cpu->pc = 0x1000;
	cr_assert_eq(cpu_watchpoint_insert(cpu(), 0x3000, 1, CPU_WATCH_ACCESS), 0);
	for (unsigned i = 0; i < 3; i++) {
		cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_DEBUG, "iteration %u", i);
		cr_assert_eq(m.cpu->pc, 0x1008);
		cr_assert_eq(m.cpu->r[1], 3 - i);
		cr_assert_eq(ram64(0x3000), i ? 3 - i + 1 : 0);
	}
	cpu_watchpoint_remove_all(cpu());
	cr_assert_eq(cpu_exec(cpu(), 1000000), CPU_STOP_EXIT);
	cr_assert_eq(ram64(0x3000), 1);
}

Test(debug, watchpoint_arguments)
{
	cr_assert_eq(cpu_watchpoint_insert(cpu(), 0x3000, 0, CPU_WATCH_WRITE), -EINVAL);
	cr_assert_eq(cpu_watchpoint_insert(cpu(), 0x3000, 8, 0), -EINVAL);
	cr_assert_eq(cpu_watchpoint_insert(cpu(), UINT64_MAX, 2, CPU_WATCH_READ), -EINVAL);
}
