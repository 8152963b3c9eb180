/*
 * The generic translation loop: owns the TB lifecycle (see translator.h).
 */
#include "cpu/translator.h"
#include "cpu/backend.h"
#include "cpu/tb.h"
#include "mmu/p2m.h"

#include <glib.h>
#include <inttypes.h>

/*
 * Host pointer to the code byte at pc, mapping a second page on demand. A
 * fetch that faults abandons the current instruction: the TB ends before it,
 * unless it is the first, whose fault the guest must see.
 */
static const uint8_t *translator_code_ptr(struct translator *tr, uint64_t pc)
{
	uint64_t page = pc & SV_PAGE_MASK;
	uint64_t gpa;
	uint8_t *host;

	for (unsigned i = 0; i < tr->n_pages; i++)
		if (tr->page_va[i] == page)
			return tr->page_host[i] + (pc & ~SV_PAGE_MASK);
	tr->fetch_fault_va = pc;
	if (tr->n_pages >= 2)
		siglongjmp(tr->fetch_fail, 1);
	/* A second page: probe it without raising; if it cannot be fetched,
	 * end the TB before this instruction (it faults when run on its own). */
	if (cpu_translate_va(tr->cpu, pc, MMU_FETCH, tr->mmu_idx, &gpa) < 0)
		siglongjmp(tr->fetch_fail, 1);
	host = p2m_host_page(tr->cpu->p2m, gpa >> SV_PAGE_BITS);
	if (!host)
		siglongjmp(tr->fetch_fail, 1);
	{
		struct p2m_entry pe;
		if (!p2m_lookup(tr->cpu->p2m, gpa >> SV_PAGE_BITS, &pe) ||
		    !(pe.access & P2M_ACCESS_X))
			siglongjmp(tr->fetch_fail, 1);
	}
	tr->page_va[tr->n_pages] = page;
	tr->page_host[tr->n_pages] = host;
	tr->page_gpa[tr->n_pages] = gpa & SV_PAGE_MASK;
	tr->n_pages++;
	return host + (pc & ~SV_PAGE_MASK);
}

uint8_t translator_ld8(struct translator *tr, uint64_t pc)
{
	return *translator_code_ptr(tr, pc);
}

uint16_t translator_ld16(struct translator *tr, uint64_t pc)
{
	return (uint16_t)(translator_ld8(tr, pc) | translator_ld8(tr, pc + 1) << 8);
}

uint32_t translator_ld32(struct translator *tr, uint64_t pc)
{
	return translator_ld16(tr, pc) | (uint32_t)translator_ld16(tr, pc + 2) << 16;
}

uint64_t translator_ld64(struct translator *tr, uint64_t pc)
{
	return translator_ld32(tr, pc) | (uint64_t)translator_ld32(tr, pc + 4) << 32;
}

uint32_t translator_ld32_be(struct translator *tr, uint64_t pc)
{
	return sv_bswap32(translator_ld32(tr, pc));
}

/* Is there a breakpoint to stop at before the instruction at pc? Not for
 * the first instruction of a TB resuming from that breakpoint. */
static bool translator_breakpoint_here(const struct translator *tr, uint64_t pc)
{
	if (!cpu_breakpoint_at(tr->cpu, pc))
		return false;
	return !(tr->n_insns == 0 && (tr->flags & CPU_TB_FLAG_NOBP));
}

/* A TB of no instruction that only stops: the run loop sees bp_hit and
 * returns CPU_STOP_DEBUG. The arch pc already is the TB's pc. */
static void translator_gen_breakpoint(struct translator *tr, uint64_t pc)
{
	ir_insn_start(tr->ir, pc, 0);
	ir_st_envi(tr->ir, 0, offsetof(struct cpu, bp_hit), 1);
	ir_exit_tb(tr->ir);
	tr->stop = true;
}

/* Translate instructions into tr->ir until the block ends. Returns false if
 * not even the first instruction could be fetched. */
static bool translator_loop(struct translator *tr)
{
	const struct cpu_arch_ops *arch = tr->cpu->arch;

	for (;;) {
		unsigned mark_insns = tr->ir->n_insns;
		unsigned mark_temps = tr->ir->n_temps;
		unsigned mark_labels = tr->ir->n_labels;
		unsigned mark_pages = tr->n_pages;
		uint64_t pc = tr->pc_next;

		if (sigsetjmp(tr->fetch_fail, 0)) {
			/* The instruction at pc could not be fetched: drop what it
			 * emitted and end the TB before it. */
			tr->ir->n_insns = mark_insns;
			tr->ir->n_temps = mark_temps;
			tr->ir->n_labels = mark_labels;
			tr->n_pages = mark_pages;
			tr->pc_next = pc;
			if (tr->n_insns == 0)
				return false;
			arch->tb_stop(tr);
			return true;
		}
		if (translator_breakpoint_here(tr, pc)) {
			/* Stop before this instruction: end the TB here, or make
			 * it the breakpoint stop if it is the first. */
			if (tr->n_insns == 0)
				translator_gen_breakpoint(tr, pc);
			else
				arch->tb_stop(tr);
			return true;
		}
		tr->insn_pc = pc;
		tr->insn_pcs[tr->n_insns] = pc;
		ir_insn_start(tr->ir, pc, tr->n_insns);
		arch->translate_insn(tr);
		tr->n_insns++;
		if (tr->stop)
			return true;
		/* Next instruction on another page, or out of room: end here. */
		if (tr->n_pages > 1 || ((tr->pc_next ^ tr->pc_first) & SV_PAGE_MASK) ||
		    tr->n_insns >= tr->max_insns || !ir_func_has_room(tr->ir)) {
			arch->tb_stop(tr);
			return true;
		}
	}
}

/* --trace=tb,insn,ir: what was just translated. */
static void translator_trace(struct translator *tr, const struct tb *tb)
{
	struct cpu *cpu = tr->cpu;
	struct trace *t = cpu->trace;

	if (trace_on(t, TRACE_TB))
		trace_printf(t,
			     "TB %s pc=0x%" PRIx64 " phys=0x%" PRIx64 " flags=0x%" PRIx64
			     " insns=%u bytes=%u\n",
			     cpu->name, tb->pc, tb->phys_pc, tb->flags, tb->n_insns, tb->size);
	if (trace_on(t, TRACE_INSN) && cpu->arch->disas) {
		tr->insn_pcs[tr->n_insns] = tr->pc_next;
		for (unsigned k = 0; k < tr->n_insns; k++) {
			uint64_t pc = tr->insn_pcs[k];
			size_t len = tr->insn_pcs[k + 1] - pc;
			uint8_t code[16];
			char text[128] = "?";

			if (len > sizeof(code))
				len = sizeof(code);
			for (size_t b = 0; b < len; b++)
				code[b] = translator_ld8(tr, pc + b);
			cpu->arch->disas(cpu, pc, code, len, text, sizeof(text));
			trace_printf(t, "    0x%" PRIx64 ": %s\n", pc, text);
		}
	}
	if (trace_on(t, TRACE_IR)) {
		char *dump = ir_func_dump(tr->ir);
		trace_printf(t, "%s", dump);
		g_free(dump);
	}
}

struct tb *translator_gen_tb(struct cpu *cpu, uint64_t pc, uint64_t flags, unsigned mmu_idx,
			     uint64_t phys_pc)
{
	struct ir_func *ir;
	struct translator tr;
	struct tb *tb;
	bool ok;

	memset(&tr, 0, sizeof(tr));
	tr.cpu = cpu;
	if (!cpu->ir_scratch) {
		cpu->ir_scratch = g_new0(struct ir_func, 1);
		ir_func_init(cpu->ir_scratch);
	}
	ir = cpu->ir_scratch;
	ir_func_reset(ir);
	tr.ir = ir;
	tr.pc_first = tr.pc_next = pc;
	tr.flags = flags;
	tr.mmu_idx = mmu_idx;
	tr.max_insns = (flags & CPU_TB_FLAG_SSTEP) ? 1 : TRANSLATOR_MAX_INSNS;
	/* The first page is known to be fetchable (the caller filled the TLB). */
	tr.page_va[0] = pc & SV_PAGE_MASK;
	tr.page_gpa[0] = phys_pc & SV_PAGE_MASK;
	tr.page_host[0] = p2m_host_page(cpu->p2m, phys_pc >> SV_PAGE_BITS);
	if (!tr.page_host[0]) {
		cpu->fatal_msg = "code page is not RAM";
		return NULL;
	}
	tr.n_pages = 1;

	ok = translator_loop(&tr);
	if (!ok) {
		/* The first instruction straddles into a page that cannot be
		 * fetched: the guest sees the fetch fault (does not return if
		 * the page really faults). */
		cpu_fill_code_tlb(cpu, tr.fetch_fault_va, mmu_idx);
		cpu->fatal_msg = "instruction straddles into a non-RAM page";
		return NULL;
	}
	if (ir->overflow) {
		cpu->fatal_msg = "IR overflow in translation";
		return NULL;
	}
	ir_optimize(ir);

	tb = g_new0(struct tb, 1);
	tb->pc = pc;
	tb->phys_pc = phys_pc;
	tb->flags = flags;
	tb->page_gpa[0] = tr.page_gpa[0];
	tb->page_gpa[1] = tr.n_pages > 1 ? tr.page_gpa[1] : TB_NO_PAGE;
	tb->size = (uint32_t)(tr.pc_next - pc);
	tb->n_insns = tr.n_insns;
	if (tb_cache_backend(cpu->tbc)->compile(tb, ir) < 0) {
		g_free(tb);
		cpu->fatal_msg = "backend could not compile a TB";
		return NULL;
	}
	tb_cache_insert(cpu->tbc, tb);
	cpu->n_tb_translated++;
	if (cpu->trace && cpu->trace->mask)
		translator_trace(&tr, tb);
	return tb;
}
