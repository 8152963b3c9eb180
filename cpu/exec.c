/*
 * The run loop and the softmmu slow paths.
 *
 * cpu_exec(cpu, budget):
 *
 *     loop:
 *         exit request?  budget spent?            -> return
 *         arch->check_interrupts (may exit)        -> return EXIT
 *         tb = jump cache / TB cache / translate  (may raise a fetch fault)
 *         link the previous TB's slot to tb if on the same page
 *         run tb (and its chain) in the backend
 *
 * A helper that raises a fault or an exit longjmps back here (the one
 * recovery point): the instruction count is corrected to the instructions
 * actually retired, then the fault is delivered to the guest (loop again) or
 * the exit returned.
 */
#include "cpu/cpu.h"
#include "cpu/backend.h"
#include "cpu/gdb.h"
#include "cpu/tb.h"
#include "cpu/translator.h"
#include "mmu/p2m.h"

#include <errno.h>
#include <glib.h>

void cpu_init(struct cpu *cpu, const struct cpu_arch_ops *arch, struct p2m *p2m,
	      struct tb_cache *tbc, unsigned index)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->arch = arch;
	cpu->p2m = p2m;
	cpu->tbc = tbc;
	cpu->index = index;
	cpu->icount_deadline = UINT64_MAX;
	mmu_tlb_flush(&cpu->tlb);
	if (tbc)
		tb_cache_attach_cpu(tbc, cpu);
}

void cpu_destroy(struct cpu *cpu)
{
	if (cpu->breakpoints) {
		g_hash_table_destroy(cpu->breakpoints);
		cpu->breakpoints = NULL;
	}
	g_free(cpu->watchpoints);
	cpu->watchpoints = NULL;
	cpu->n_watchpoints = 0;
	if (cpu->tbc)
		tb_cache_detach_cpu(cpu->tbc, cpu);
	cpu->tbc = NULL;
	if (cpu->ir_scratch) {
		ir_func_destroy(cpu->ir_scratch);
		g_free(cpu->ir_scratch);
		cpu->ir_scratch = NULL;
	}
}

uint64_t cpu_icount(const struct cpu *cpu)
{
	return cpu->in_tb ? cpu->icount_base + cpu->insn_idx : cpu->icount;
}

void cpu_tlb_flush(struct cpu *cpu)
{
	mmu_tlb_flush(&cpu->tlb);
	memset(cpu->jmp_cache, 0, sizeof(cpu->jmp_cache));
}

static unsigned cpu_jmp_hash(uint64_t pc)
{
	return (unsigned)((pc ^ (pc >> CPU_JMP_CACHE_BITS)) & (CPU_JMP_CACHE_SIZE - 1));
}

void cpu_tlb_flush_page(struct cpu *cpu, uint64_t va)
{
	uint64_t page = va & SV_PAGE_MASK;

	mmu_tlb_flush_page(&cpu->tlb, va);
	/* TBs found through the jump cache were keyed by the old mapping. */
	for (unsigned i = 0; i < CPU_JMP_CACHE_SIZE; i++) {
		struct tb *tb = cpu->jmp_cache[i];
		if (tb && ((tb->pc & SV_PAGE_MASK) == page ||
			   ((tb->pc + tb->size - 1) & SV_PAGE_MASK) == page))
			cpu->jmp_cache[i] = NULL;
	}
}

void cpu_loop_exit(struct cpu *cpu)
{
	g_assert(cpu->jmp_valid);
	siglongjmp(cpu->jmp_env, 1);
}

void cpu_loop_exit_exit(struct cpu *cpu)
{
	g_assert(cpu->exit.kind != CPU_EXIT_NONE);
	cpu_loop_exit(cpu);
}

void cpu_loop_exit_fault(struct cpu *cpu)
{
	cpu->exit.kind = CPU_EXIT_NONE;
	cpu_loop_exit(cpu);
}

/* ---- Watchpoints ---------------------------------------------------------- */

/* Does the page of va hold (part of) a watched range? */
static bool cpu_watch_on_page(const struct cpu *cpu, uint64_t va)
{
	uint64_t page = va & SV_PAGE_MASK;

	for (unsigned i = 0; i < cpu->n_watchpoints; i++) {
		const struct cpu_watchpoint *w = &cpu->watchpoints[i];
		if (w->va <= page + SV_PAGE_SIZE - 1 && page <= w->va + (w->len - 1))
			return true;
	}
	return false;
}

/* Before a load or store of [va, va + size): leave if it hits a watchpoint
 * (the run loop reports it with the instruction not done). */
static void cpu_watch_check(struct cpu *cpu, uint64_t va, unsigned size, unsigned kind)
{
	if (!cpu->n_watchpoints || cpu->watch_off)
		return;
	for (unsigned i = 0; i < cpu->n_watchpoints; i++) {
		const struct cpu_watchpoint *w = &cpu->watchpoints[i];
		if ((w->kind & kind) && w->va <= va + (size - 1) && va <= w->va + (w->len - 1)) {
			cpu->watch_hit = true;
			cpu->watch_hit_addr = va > w->va ? va : w->va;
			cpu->watch_hit_kind = kind;
			cpu->exit.kind = CPU_EXIT_NONE;
			cpu_loop_exit(cpu);
		}
	}
}

int cpu_watchpoint_insert(struct cpu *cpu, uint64_t va, uint64_t len, unsigned kind)
{
	if (!len || !(kind & CPU_WATCH_ACCESS) || va + (len - 1) < va)
		return -EINVAL;
	if (!cpu->arch->gdb || !cpu->arch->gdb->set_tb_pc)
		return -ENOTSUP;
	cpu->watchpoints = g_renew(struct cpu_watchpoint, cpu->watchpoints, cpu->n_watchpoints + 1);
	cpu->watchpoints[cpu->n_watchpoints++] = (struct cpu_watchpoint){ va, len, kind };
	/* Refill with the watched pages on the slow path. */
	cpu_tlb_flush(cpu);
	return 0;
}

int cpu_watchpoint_remove(struct cpu *cpu, uint64_t va, uint64_t len, unsigned kind)
{
	for (unsigned i = 0; i < cpu->n_watchpoints; i++) {
		struct cpu_watchpoint *w = &cpu->watchpoints[i];
		if (w->va == va && w->len == len && w->kind == kind) {
			*w = cpu->watchpoints[--cpu->n_watchpoints];
			cpu_tlb_flush(cpu);
			return 0;
		}
	}
	return -ENOENT;
}

void cpu_watchpoint_remove_all(struct cpu *cpu)
{
	if (cpu->n_watchpoints)
		cpu_tlb_flush(cpu);
	g_free(cpu->watchpoints);
	cpu->watchpoints = NULL;
	cpu->n_watchpoints = 0;
}

/* ---- Translation and TLB fill ------------------------------------------- */

static unsigned cpu_prot_from_p2m(const struct p2m_entry *e)
{
	unsigned prot = 0;

	if (e->type == P2M_HV_TABLE)
		return 0; /* hv's own tables: walkers only */
	if (e->access & P2M_ACCESS_R)
		prot |= MMU_PROT_READ;
	if ((e->access & P2M_ACCESS_W) && e->type != P2M_RAM_RO && e->type != P2M_GRANT_MAP_RO)
		prot |= MMU_PROT_WRITE;
	if (e->access & P2M_ACCESS_X)
		prot |= MMU_PROT_EXEC;
	return prot;
}

static const unsigned cpu_acc_prot[] = {
	[MMU_READ] = MMU_PROT_READ,
	[MMU_WRITE] = MMU_PROT_WRITE,
	[MMU_FETCH] = MMU_PROT_EXEC,
};

/*
 * Fill the TLB entry for va so that acc is allowed, or leave through the
 * recovery point: first-stage fault -> the guest's fault; second-stage fault ->
 * an exit (EPT violation / HDSI / HISI).
 */
static struct mmu_tlb_entry *cpu_tlb_fill(struct cpu *cpu, uint64_t va, enum mmu_access acc,
					  unsigned mmu_idx)
{
	struct cpu_xlat x = { 0 };
	struct p2m_entry pe;
	unsigned prot, slow = 0;
	uint8_t *host;
	int rc;

	rc = cpu->arch->translate(cpu, va, acc, mmu_idx, false, &x);
	if (rc == CPU_XLAT_EXIT)
		cpu_loop_exit_exit(cpu);
	if (rc < 0)
		cpu_loop_exit_fault(cpu);
	if (!(x.prot & cpu_acc_prot[acc])) {
		/* The walker must have reported this as a fault. */
		cpu->fatal_msg = "arch translate returned a page without the needed access";
		cpu_loop_exit_fault(cpu);
	}
	if (!p2m_lookup(cpu->p2m, x.gpa >> SV_PAGE_BITS, &pe) ||
	    !(cpu_prot_from_p2m(&pe) & cpu_acc_prot[acc]) ||
	    (pe.type == P2M_MMIO && acc == MMU_FETCH)) {
		memset(&cpu->exit, 0, sizeof(cpu->exit));
		cpu->arch->stage2_fault(cpu, va, x.gpa, acc, false);
		cpu_loop_exit_exit(cpu);
	}
	prot = x.prot & cpu_prot_from_p2m(&pe);
	host = pe.type == P2M_MMIO ? NULL : p2m_host_page(cpu->p2m, x.gpa >> SV_PAGE_BITS);
	if (pe.flags & P2M_F_CODE)
		slow |= MMU_PROT_WRITE;
	if (cpu_watch_on_page(cpu, va))
		slow |= MMU_PROT_READ | MMU_PROT_WRITE;
	mmu_tlb_set(&cpu->tlb, mmu_idx, va, x.gpa, host, prot, slow);
	return mmu_tlb_entry(&cpu->tlb, mmu_idx, va);
}

static uint64_t *cpu_tlb_addr(struct mmu_tlb_entry *e, enum mmu_access acc)
{
	return acc == MMU_READ ? &e->addr_read : acc == MMU_WRITE ? &e->addr_write : &e->addr_code;
}

/* The entry for va with acc allowed (filling it if needed). */
static struct mmu_tlb_entry *cpu_tlb_get(struct cpu *cpu, uint64_t va, enum mmu_access acc,
					 unsigned mmu_idx)
{
	struct mmu_tlb_entry *e = mmu_tlb_entry(&cpu->tlb, mmu_idx, va);
	uint64_t tag = *cpu_tlb_addr(e, acc);

	if ((tag & ~(uint64_t)MMU_TLB_FLAGS) != (va & SV_PAGE_MASK) || (tag & MMU_TLB_INVALID))
		e = cpu_tlb_fill(cpu, va, acc, mmu_idx);
	return e;
}

void cpu_fill_code_tlb(struct cpu *cpu, uint64_t va, unsigned mmu_idx)
{
	cpu_tlb_get(cpu, va, MMU_FETCH, mmu_idx);
}

/* ---- Slow paths ---------------------------------------------------------- */

static uint64_t cpu_ld_slow_page(struct cpu *cpu, uint64_t va, unsigned memop, unsigned mmu_idx)
{
	struct mmu_tlb_entry *e = cpu_tlb_get(cpu, va, MMU_READ, mmu_idx);
	unsigned sz = memop & IR_MO_SIZE;
	uint64_t v;

	cpu_watch_check(cpu, va, 1u << sz, CPU_WATCH_READ);

	if (e->addr_read & MMU_TLB_MMIO) {
		uint64_t gpa = e->gpa | (va & ~SV_PAGE_MASK);
		if (p2m_mmio_read(cpu->p2m, cpu->index, gpa, 1u << sz, &v) < 0)
			v = ~0ull;
		/* Devices return values in host order; the guest's view is the
		 * register's value, so no byte swap here. */
		v &= sv_mask(8u << sz);
	} else {
		v = sv_ld_p((const void *)(uintptr_t)(va + e->addend), sz, memop & IR_MO_BE);
	}
	return v;
}

uint64_t cpu_ld(struct cpu *cpu, uint64_t va, unsigned memop, unsigned mmu_idx)
{
	unsigned sz = memop & IR_MO_SIZE;
	unsigned size = 1u << sz;
	uint64_t v;

	if ((va & ~SV_PAGE_MASK) + size > SV_PAGE_SIZE) {
		/* Crossing a page: byte by byte (each page may fault). */
		uint8_t b[8];
		for (unsigned i = 0; i < size; i++)
			b[i] = (uint8_t)cpu_ld_slow_page(cpu, va + i, IR_MO_8, mmu_idx);
		v = sv_ld_p(b, sz, memop & IR_MO_BE);
	} else {
		v = cpu_ld_slow_page(cpu, va, memop, mmu_idx);
	}
	if (memop & IR_MO_SIGN)
		v = sv_sext(v, size * 8);
	return v;
}

static void cpu_st_slow_page(struct cpu *cpu, uint64_t va, unsigned memop, unsigned mmu_idx,
			     uint64_t v)
{
	struct mmu_tlb_entry *e = cpu_tlb_get(cpu, va, MMU_WRITE, mmu_idx);
	unsigned sz = memop & IR_MO_SIZE;
	uint64_t gpa = e->gpa | (va & ~SV_PAGE_MASK);

	cpu_watch_check(cpu, va, 1u << sz, CPU_WATCH_WRITE);
	if (e->addr_write & MMU_TLB_MMIO) {
		p2m_mmio_write(cpu->p2m, cpu->index, gpa, 1u << sz, v & sv_mask(8u << sz));
		return;
	}
	sv_st_p((void *)(uintptr_t)(va + e->addend), sz, memop & IR_MO_BE, v);
	if (e->addr_write & MMU_TLB_SLOW) {
		uint64_t before = cpu->n_tb_invalidated;
		struct p2m_entry pe;

		/* A code page: drop the TBs holding the written bytes; once none
		 * are left on the page it is plain RAM again and the fast path
		 * may return. */
		p2m_notify_code_write(cpu->p2m, gpa, 1u << sz);
		if (p2m_lookup(cpu->p2m, gpa >> SV_PAGE_BITS, &pe) && !(pe.flags & P2M_F_CODE) &&
		    !cpu_watch_on_page(cpu, va))
			e->addr_write &= ~(uint64_t)MMU_TLB_SLOW;
		/* If code was dropped, what follows this store in the running TB
		 * may be stale: stop chaining so the next TB is looked up afresh.
		 * (Known limit: the rest of the current TB still runs.) */
		if (cpu->n_tb_invalidated != before)
			cpu->exit_request = 1;
	}
}

void cpu_st(struct cpu *cpu, uint64_t va, unsigned memop, unsigned mmu_idx, uint64_t val)
{
	unsigned sz = memop & IR_MO_SIZE;
	unsigned size = 1u << sz;

	if ((va & ~SV_PAGE_MASK) + size > SV_PAGE_SIZE) {
		uint8_t b[8];

		/* Probe both pages before writing any byte: a fault on the
		 * second page (or a watchpoint) must leave memory unchanged. */
		cpu_tlb_get(cpu, va, MMU_WRITE, mmu_idx);
		cpu_tlb_get(cpu, va + size - 1, MMU_WRITE, mmu_idx);
		cpu_watch_check(cpu, va, size, CPU_WATCH_WRITE);
		sv_st_p(b, sz, memop & IR_MO_BE, val);
		for (unsigned i = 0; i < size; i++)
			cpu_st_slow_page(cpu, va + i, IR_MO_8, mmu_idx, b[i]);
		return;
	}
	cpu_st_slow_page(cpu, va, memop, mmu_idx, val);
}

/* ---- Non-raising access for hv, debuggers, page walkers ------------------ */

int cpu_translate_va(struct cpu *cpu, uint64_t va, enum mmu_access acc, unsigned mmu_idx,
		     uint64_t *gpa)
{
	struct cpu_xlat x = { 0 };

	if (cpu->arch->translate(cpu, va, acc, mmu_idx, true, &x) < 0 ||
	    !(x.prot & cpu_acc_prot[acc]))
		return -EFAULT;
	*gpa = x.gpa;
	return 0;
}

int cpu_phys_read(struct cpu *cpu, uint64_t gpa, void *buf, size_t len)
{
	return p2m_table_read(cpu->p2m, buf, gpa, len);
}

int cpu_phys_write(struct cpu *cpu, uint64_t gpa, const void *buf, size_t len)
{
	return p2m_table_write(cpu->p2m, gpa, buf, len);
}

static int cpu_virt_copy(struct cpu *cpu, uint64_t va, unsigned mmu_idx, void *buf, const void *src,
			 size_t len)
{
	while (len) {
		size_t n = SV_PAGE_SIZE - (va & ~SV_PAGE_MASK);
		uint64_t gpa;
		int rc;

		if (n > len)
			n = len;
		if (cpu_translate_va(cpu, va, src ? MMU_WRITE : MMU_READ, mmu_idx, &gpa) < 0)
			return -EFAULT;
		/* A guest-named buffer: RAM only, never hv's table frames. */
		rc = src ? p2m_copy_to(cpu->p2m, gpa, src, n) :
			   p2m_copy_from(cpu->p2m, buf, gpa, n);
		if (rc < 0)
			return rc;
		va += n;
		len -= n;
		if (src)
			src = (const uint8_t *)src + n;
		else
			buf = (uint8_t *)buf + n;
	}
	return 0;
}

int cpu_virt_read(struct cpu *cpu, uint64_t va, unsigned mmu_idx, void *buf, size_t len)
{
	return cpu_virt_copy(cpu, va, mmu_idx, buf, NULL, len);
}

int cpu_virt_write(struct cpu *cpu, uint64_t va, unsigned mmu_idx, const void *buf, size_t len)
{
	return cpu_virt_copy(cpu, va, mmu_idx, NULL, buf, len);
}

/* ---- Breakpoints and single step ---------------------------------------- */

bool cpu_breakpoint_at(const struct cpu *cpu, uint64_t pc)
{
	return cpu->breakpoints && g_hash_table_contains(cpu->breakpoints, &pc);
}

static uint64_t *cpu_bp_key(uint64_t pc)
{
	uint64_t *k = g_new(uint64_t, 1);

	*k = pc;
	return k;
}

/* The TBs covering pc were translated with the old breakpoint set. */
static void cpu_breakpoint_changed(struct cpu *cpu, uint64_t pc)
{
	if (cpu->tbc)
		tb_cache_invalidate_va(cpu->tbc, pc);
}

int cpu_breakpoint_insert(struct cpu *cpu, uint64_t pc)
{
	gpointer count;

	if (!cpu->breakpoints)
		cpu->breakpoints = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	count = g_hash_table_lookup(cpu->breakpoints, &pc);
	if (count) {
		/* Another breakpoint at the same pc (gdb's Z0 and Z1): counted. */
		g_hash_table_replace(cpu->breakpoints, cpu_bp_key(pc),
				     GUINT_TO_POINTER(GPOINTER_TO_UINT(count) + 1));
		return 0;
	}
	g_hash_table_insert(cpu->breakpoints, cpu_bp_key(pc), GUINT_TO_POINTER(1));
	cpu_breakpoint_changed(cpu, pc);
	return 0;
}

int cpu_breakpoint_remove(struct cpu *cpu, uint64_t pc)
{
	unsigned count;

	if (!cpu_breakpoint_at(cpu, pc))
		return -ENOENT;
	count = GPOINTER_TO_UINT(g_hash_table_lookup(cpu->breakpoints, &pc));
	if (count > 1) {
		g_hash_table_replace(cpu->breakpoints, cpu_bp_key(pc), GUINT_TO_POINTER(count - 1));
		return 0;
	}
	g_hash_table_remove(cpu->breakpoints, &pc);
	cpu_breakpoint_changed(cpu, pc);
	return 0;
}

void cpu_breakpoint_remove_all(struct cpu *cpu)
{
	GHashTableIter it;
	gpointer key;

	if (!cpu->breakpoints)
		return;
	g_hash_table_iter_init(&it, cpu->breakpoints);
	while (g_hash_table_iter_next(&it, &key, NULL))
		cpu_breakpoint_changed(cpu, *(uint64_t *)key);
	g_hash_table_destroy(cpu->breakpoints);
	cpu->breakpoints = NULL;
}

void cpu_set_single_step(struct cpu *cpu, bool on)
{
	/* TBs carry CPU_TB_FLAG_SSTEP in their key: nothing to flush. */
	cpu->single_step = on;
}

/* Return CPU_STOP_DEBUG; the instruction at the stop pc may run when
 * execution resumes, even if it has a breakpoint. */
static enum cpu_stop cpu_debug_stop(struct cpu *cpu, enum cpu_debug_reason why)
{
	uint64_t pc, flags;
	unsigned mmu_idx;

	cpu->arch->get_tb_key(cpu, &pc, &flags, &mmu_idx);
	cpu->debug_reason = why;
	cpu->resume_pc = pc;
	cpu->resume_valid = true;
	cpu->watch_skip = why == CPU_DEBUG_WATCHPOINT;
	return CPU_STOP_DEBUG;
}

/* ---- The loop ------------------------------------------------------------ */

static struct tb *cpu_tb_lookup(struct cpu *cpu, uint64_t pc, uint64_t flags, unsigned mmu_idx)
{
	unsigned h = cpu_jmp_hash(pc);
	struct tb *tb = cpu->jmp_cache[h];
	struct mmu_tlb_entry *e;
	uint64_t phys_pc;

	if (tb && !tb->invalid && tb->pc == pc && tb->flags == flags)
		return tb;
	e = cpu_tlb_get(cpu, pc, MMU_FETCH, mmu_idx);
	phys_pc = e->gpa | (pc & ~SV_PAGE_MASK);
	tb = tb_cache_lookup(cpu->tbc, pc, phys_pc, flags);
	if (!tb) {
		tb = translator_gen_tb(cpu, pc, flags, mmu_idx, phys_pc);
		if (!tb)
			return NULL;
	}
	cpu->jmp_cache[h] = tb;
	return tb;
}

static struct tb *cpu_tb_find(struct cpu *cpu)
{
	uint64_t pc, flags;
	unsigned mmu_idx;
	struct tb *tb;

	cpu->arch->get_tb_key(cpu, &pc, &flags, &mmu_idx);
	if (cpu->single_step)
		flags |= CPU_TB_FLAG_SSTEP;
	if (cpu->resume_valid) {
		/* Resuming from a debug stop at a breakpoint: its instruction
		 * runs once (a TB keyed apart whose first insn is not checked).
		 * From a watchpoint: it runs alone, with watchpoints off. */
		if (pc == cpu->resume_pc && cpu_breakpoint_at(cpu, pc))
			flags |= CPU_TB_FLAG_NOBP;
		if (pc == cpu->resume_pc && cpu->watch_skip) {
			flags |= CPU_TB_FLAG_SSTEP;
			cpu->watch_off = true;
		}
		cpu->resume_valid = false;
		cpu->watch_skip = false;
	}
	tb = cpu_tb_lookup(cpu, pc, flags, mmu_idx);
	/* Exact stops: a TB that would run past the budget or the deadline
	 * gives way to a one-instruction TB, so cpu_exec returns, and timers
	 * fire, at the same instruction whatever the TBs look like. */
	if (tb && tb->n_insns > 1 && cpu_tb_too_long(cpu, tb->n_insns))
		tb = cpu_tb_lookup(cpu, pc, flags | CPU_TB_FLAG_SSTEP, mmu_idx);
	return tb;
}

static enum cpu_stop cpu_exec_loop(struct cpu *cpu)
{
	const struct backend_ops *be = tb_cache_backend(cpu->tbc);
	struct tb *last = NULL;
	unsigned slot = BACKEND_EXIT_NOCHAIN;
	uint64_t icount_start = cpu->icount;

	for (;;) {
		struct backend_exit r;
		struct tb *tb;

		if (cpu->exit_request) {
			cpu->exit_request = 0;
			/* Exit requests from self-modifying stores only break
			 * chains; a real request is also visible to the caller
			 * through its own state. */
			return CPU_STOP_REQUEST;
		}
		if (cpu->budget <= 0)
			return CPU_STOP_BUDGET;
		cpu->icount_limit = cpu->icount + (uint64_t)cpu->budget;
		if (cpu->icount < cpu->icount_deadline && cpu->icount_deadline < cpu->icount_limit)
			cpu->icount_limit = cpu->icount_deadline;
		if (cpu->arch->check_interrupts(cpu))
			return CPU_STOP_EXIT;
		if (cpu->halted)
			return CPU_STOP_HALTED;
		tb = cpu_tb_find(cpu);
		if (!tb) {
			cpu->fatal_msg = cpu->fatal_msg ? cpu->fatal_msg : "translation failed";
			return CPU_STOP_FATAL;
		}
		/* Chain only within a page: a cross-page target's mapping can
		 * change without any write to either page. Single-step TBs are
		 * never chained (one instruction per cpu_exec). */
		if (last && slot < 2 && !last->invalid &&
		    !((last->flags | tb->flags) & CPU_TB_FLAG_SSTEP) &&
		    (last->pc & SV_PAGE_MASK) == (tb->pc & SV_PAGE_MASK))
			tb_link(last, slot, tb);
		cpu->in_tb = true;
		r = be->exec(cpu, tb);
		cpu->in_tb = false;
		cpu->watch_off = false;
		last = r.last;
		slot = r.slot;
		if (cpu->bp_hit) {
			/* A breakpoint TB ran (directly or chained): nothing of
			 * the instruction at the breakpoint has executed. */
			cpu->bp_hit = 0;
			return cpu_debug_stop(cpu, CPU_DEBUG_BREAKPOINT);
		}
		if (cpu->single_step && cpu->icount != icount_start)
			return cpu_debug_stop(cpu, CPU_DEBUG_STEP);
	}
}

enum cpu_stop cpu_exec(struct cpu *cpu, int64_t budget)
{
	cpu->budget = budget;
	memset(&cpu->exit, 0, sizeof(cpu->exit));
	tb_cache_collect(cpu->tbc);
	for (;;) {
		enum cpu_stop stop;

		if (sigsetjmp(cpu->jmp_env, 0) == 0) {
			cpu->jmp_valid = true;
			stop = cpu_exec_loop(cpu);
			cpu->jmp_valid = false;
			return stop;
		}
		/* Back from a helper or the slow path. */
		if (cpu->in_tb) {
			uint64_t retired = cpu->icount_base + cpu->insn_idx;
			cpu->budget += (int64_t)(cpu->icount - retired);
			cpu->icount = retired;
			cpu->in_tb = false;
		}
		cpu->watch_off = false;
		if (cpu->watch_hit) {
			/* A watched access: its instruction is abandoned, the
			 * arch state is that before it (as for a fault; front
			 * ends store the pc only at TB ends, hence set_tb_pc). */
			cpu->watch_hit = false;
			cpu->arch->gdb->set_tb_pc(cpu, cpu->insn_pc);
			cpu->jmp_valid = false;
			return cpu_debug_stop(cpu, CPU_DEBUG_WATCHPOINT);
		}
		if (cpu->fatal_msg) {
			cpu->jmp_valid = false;
			return CPU_STOP_FATAL;
		}
		if (cpu->exit.kind != CPU_EXIT_NONE) {
			cpu->jmp_valid = false;
			return CPU_STOP_EXIT;
		}
		if (cpu->arch->raise_fault(cpu)) {
			cpu->jmp_valid = false;
			return CPU_STOP_EXIT;
		}
		if (cpu->single_step) {
			/* The stepped instruction faulted and the guest's handler
			 * is next: that is the step. */
			cpu->jmp_valid = false;
			return cpu_debug_stop(cpu, CPU_DEBUG_STEP);
		}
		/* A delivered fault retires nothing but must use budget: a
		 * handler that faults again at once would otherwise spin here
		 * forever, out of reach of the caller's timeout. */
		if (--cpu->budget <= 0) {
			cpu->jmp_valid = false;
			return CPU_STOP_BUDGET;
		}
	}
}
