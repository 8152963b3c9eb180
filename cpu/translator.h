/*
 * The generic translation loop (cpu/translator.c) and what front ends use
 * while translating.
 *
 * The loop owns the TB lifecycle; an arch front end only translates one
 * instruction at a time:
 *
 *     for each instruction:
 *         emit INSN_START(pc, idx)
 *         arch->translate_insn(tr)        reads code with translator_ld*,
 *                                         emits IR, advances tr->pc_next,
 *                                         sets tr->stop after a block end
 *     until tr->stop, the insn limit, IR room, or the next insn is on
 *     another page; then, unless stopped, arch->tb_stop(tr).
 *
 * A TB never spans two pages except for one instruction that straddles a page
 * boundary, which then ends the TB. If fetching an instruction other than the
 * first faults, the TB simply ends before it; a fault on the first raises the
 * guest's instruction-fetch fault.
 */
#ifndef SV_CPU_TRANSLATOR_H
#define SV_CPU_TRANSLATOR_H

#include "cpu/cpu.h"
#include "cpu/ir.h"

#define TRANSLATOR_MAX_INSNS 512

struct translator {
	struct cpu *cpu;
	struct ir_func *ir;
	uint64_t pc_first; /* virtual pc of the TB */
	uint64_t pc_next;  /* pc of the next instruction to translate */
	uint64_t insn_pc;  /* pc of the instruction being translated */
	uint64_t flags;    /* mode flags (arch-defined) */
	unsigned mmu_idx;  /* code-fetch mmu index */
	unsigned n_insns;
	unsigned max_insns;
	bool stop; /* the front end ended the block */

	/* Code pages: virtual page address, host pointer, guest-physical page. */
	uint64_t page_va[2];
	const uint8_t *page_host[2];
	uint64_t page_gpa[2];
	unsigned n_pages;

	uint64_t insn_pcs[TRANSLATOR_MAX_INSNS + 1]; /* for traces */
	sigjmp_buf fetch_fail;                       /* abandon the current insn: fetch faulted */
	uint64_t fetch_fault_va;
	void *arch; /* arch-private translation state */
};

/* Fetch guest code bytes at pc (little-endian composition for ld16/32/64;
 * big-endian front ends use the _be variants). */
uint8_t translator_ld8(struct translator *tr, uint64_t pc);
uint16_t translator_ld16(struct translator *tr, uint64_t pc);
uint32_t translator_ld32(struct translator *tr, uint64_t pc);
uint64_t translator_ld64(struct translator *tr, uint64_t pc);
uint32_t translator_ld32_be(struct translator *tr, uint64_t pc);

/* Translate the TB at (pc, flags); returns it (already in the cache). May
 * raise the instruction-fetch fault of the first instruction (cpu_loop_exit). */
struct tb *translator_gen_tb(struct cpu *cpu, uint64_t pc, uint64_t flags, unsigned mmu_idx,
			     uint64_t phys_pc);

#endif
