/*
 * C helpers called from translated x86 code (IR CALL): the instructions too
 * complex or too rare to emit inline, and everything that can raise a VM
 * exit. Each takes the struct cpu and up to four 64-bit arguments; rip/len
 * arguments are the RIP and length of the instruction being executed, so an
 * exit can leave GUEST_RIP at the instruction as SDM 27.2 requires.
 *
 * Packing of small arguments is documented per helper.
 */
#ifndef SV_CPU_X86_HELPERS_H
#define SV_CPU_X86_HELPERS_H

#include "cpu/x86/cpu_x86.h"

/* Flags and conditions. */
uint64_t x86_helper_flags(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e);
uint64_t x86_helper_cond(struct cpu *cpu, uint64_t cc, uint64_t b, uint64_t c, uint64_t e);
uint64_t x86_helper_get_rflags(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e);
/* val, op_size, - , - : POPF rules (SDM POPF); never faults. */
uint64_t x86_helper_popf(struct cpu *cpu, uint64_t val, uint64_t size, uint64_t c, uint64_t e);
uint64_t x86_helper_sti(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e);

/* Arithmetic. sz_op = size_log2 | op << 2. */
uint64_t x86_helper_rot(struct cpu *cpu, uint64_t val, uint64_t count, uint64_t sz_op, uint64_t e);
uint64_t x86_helper_mul1(struct cpu *cpu, uint64_t val, uint64_t sz_signed, uint64_t c, uint64_t e);
uint64_t x86_helper_div(struct cpu *cpu, uint64_t val, uint64_t sz_signed, uint64_t c, uint64_t e);
uint64_t x86_helper_imul(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t sz, uint64_t e);
uint64_t x86_helper_bsx(struct cpu *cpu, uint64_t src, uint64_t old, uint64_t sz_rev, uint64_t e);

/* Exceptions: vector | type << 8 | has_error << 16, error, rip, insn_len. */
uint64_t x86_helper_raise(struct cpu *cpu, uint64_t vec, uint64_t err, uint64_t rip, uint64_t len);

/* Instructions that exit or touch system state: (…, rip, len). */
uint64_t x86_helper_cpuid(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_vmcall(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_hlt(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_rdtsc(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_rdmsr(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_wrmsr(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_invlpg(struct cpu *cpu, uint64_t la, uint64_t b, uint64_t rip, uint64_t len);
/* crn, val, rip, len */
uint64_t x86_helper_mov_to_cr(struct cpu *cpu, uint64_t crn_gpr, uint64_t val, uint64_t rip,
			      uint64_t len);
uint64_t x86_helper_mov_from_cr(struct cpu *cpu, uint64_t crn_gpr, uint64_t b, uint64_t rip,
				uint64_t len);
uint64_t x86_helper_lmsw(struct cpu *cpu, uint64_t val, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_clts(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
/* port, size_log2 | in << 3 | imm << 6 | string << 4 | rep << 5, rip, len */
uint64_t x86_helper_io(struct cpu *cpu, uint64_t port, uint64_t info, uint64_t rip, uint64_t len);

/* Descriptor tables and segments. */
/* la, which (0 GDT, 1 IDT) | code64 << 1 | op32 << 2 */
uint64_t x86_helper_lgdt(struct cpu *cpu, uint64_t la, uint64_t which, uint64_t c, uint64_t e);
uint64_t x86_helper_sgdt(struct cpu *cpu, uint64_t la, uint64_t which, uint64_t c, uint64_t e);
uint64_t x86_helper_lldt(struct cpu *cpu, uint64_t sel, uint64_t b, uint64_t c, uint64_t e);
uint64_t x86_helper_ltr(struct cpu *cpu, uint64_t sel, uint64_t b, uint64_t c, uint64_t e);
uint64_t x86_helper_load_seg(struct cpu *cpu, uint64_t seg, uint64_t sel, uint64_t c, uint64_t e);
/* sel, offset, op_size, - */
uint64_t x86_helper_ljmp(struct cpu *cpu, uint64_t sel, uint64_t off, uint64_t osz, uint64_t e);
/* sel, offset, op_size, return rip */
uint64_t x86_helper_lcall(struct cpu *cpu, uint64_t sel, uint64_t off, uint64_t osz, uint64_t rip);
/* op_size, imm16 */
uint64_t x86_helper_lret(struct cpu *cpu, uint64_t osz, uint64_t imm, uint64_t c, uint64_t e);
uint64_t x86_helper_iret(struct cpu *cpu, uint64_t osz, uint64_t b, uint64_t c, uint64_t e);
uint64_t x86_helper_swapgs(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e);

/* String instructions: kind (0 MOVS, 1 STOS, 2 LODS) | size_log2 << 2 |
 * rep << 4 | addr_size_log2 << 5 | mmu_idx << 8, source segment.
 * Returns 1 when finished, 0 if the instruction must run again (REP
 * iterations left after the per-call bound). */
uint64_t x86_helper_string(struct cpu *cpu, uint64_t info, uint64_t seg, uint64_t c, uint64_t e);

/* Descriptor access shared with cpu.c: read the descriptor of sel from the
 * GDT/LDT (16 bytes if wide): 0, 1 if beyond the table limit, or the
 * cpu_x86_access_linear error. */
int x86_read_desc(struct cpu_x86 *c, uint16_t sel, uint64_t d[2], bool wide);
void x86_desc_to_seg(uint64_t d, uint64_t d_hi, uint16_t sel, struct x86_seg *s);

#endif
