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
uint64_t x86_helper_bsx(struct cpu *cpu, uint64_t src, uint64_t old, uint64_t sz_rev, uint64_t e);

/* Exceptions: vector | type << 8 | has_error << 16, error, rip, insn_len. */
uint64_t x86_helper_raise(struct cpu *cpu, uint64_t vec, uint64_t err, uint64_t rip, uint64_t len);
/* Segment checks (seg.c): #GP(0) / #SS(0) unless the access of info >> 8
 * bytes at offset off through segment info & 7 (a write if info has
 * X86_SEG_CHECK_WRITE) passes the limit and type checks. */
#define X86_SEG_CHECK_WRITE (1u << 3)
uint64_t x86_helper_seg_check(struct cpu *cpu, uint64_t off, uint64_t info, uint64_t c, uint64_t e);
bool cpu_x86_seg_flat(const struct cpu_x86 *c, unsigned s);
bool cpu_x86_seg_in_limit(const struct x86_seg *seg, uint64_t off, unsigned bytes);
void cpu_x86_seg_check(struct cpu_x86 *c, unsigned s, uint64_t off, unsigned bytes, bool write);

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
/* LAR LSL VERR VERW: sel, op (0-3) | reg << 4 | op_size << 8; sets ZF and,
 * for LAR/LSL with ZF = 1, writes the register. */
uint64_t x86_helper_segchk(struct cpu *cpu, uint64_t sel, uint64_t info, uint64_t c, uint64_t e);
/* ARPL: dst, src; returns the new destination, sets ZF. */
uint64_t x86_helper_arpl(struct cpu *cpu, uint64_t dst, uint64_t src, uint64_t c, uint64_t e);
uint64_t x86_helper_swapgs(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e);

/*
 * String instructions (cpu/x86/helpers_int.c): info = kind | size_log2 << 3
 * | rep << 5 | repne << 6 | addr_size_log2 << 7 | mmu_idx << 9 | seg << 12;
 * seg, rip, len. Returns 1 when finished, 0 if the instruction must run
 * again (REP iterations left after the per-call bound, SDM 7.3.9.2: REP
 * string instructions are interruptible between iterations).
 */
enum x86_str_kind {
	X86_STR_MOVS,
	X86_STR_STOS,
	X86_STR_LODS,
	X86_STR_CMPS,
	X86_STR_SCAS,
	X86_STR_INS,
	X86_STR_OUTS,
};
uint64_t x86_helper_string(struct cpu *cpu, uint64_t info, uint64_t seg, uint64_t rip,
			   uint64_t len);

/* Integer extensions (cpu/x86/helpers_int.c). */
/* a, b, op | size_log2 << 8: enum x86_ext_op (decode.h). */
uint64_t x86_helper_ext(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t op_sz, uint64_t e);
/* src, size_log2 | hi_reg << 8 | lo_reg << 12 */
uint64_t x86_helper_mulx(struct cpu *cpu, uint64_t src, uint64_t info, uint64_t c, uint64_t e);
/* dst, src, count (masked), size_log2 | right << 2 */
uint64_t x86_helper_shld(struct cpu *cpu, uint64_t dst, uint64_t src, uint64_t n, uint64_t info);
/* la, wide (CMPXCHG16B) | mmu_idx << 1 */
uint64_t x86_helper_cmpxchg8b(struct cpu *cpu, uint64_t la, uint64_t info, uint64_t c, uint64_t e);
/* size_log2 | seed << 2, -, rip, len: the value; sets CF (RDRAND/RDSEED) */
uint64_t x86_helper_rdrand(struct cpu *cpu, uint64_t info, uint64_t b, uint64_t rip, uint64_t len);
/* -, -, rip, len */
uint64_t x86_helper_rdtscp(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_rdpid(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
/* size imm16, level imm8, op_size */
uint64_t x86_helper_enter(struct cpu *cpu, uint64_t size, uint64_t level, uint64_t osz, uint64_t e);
uint64_t x86_helper_pusha(struct cpu *cpu, uint64_t osz, uint64_t b, uint64_t c, uint64_t e);
uint64_t x86_helper_popa(struct cpu *cpu, uint64_t osz, uint64_t b, uint64_t c, uint64_t e);
/* op (0 DAA 1 DAS 2 AAA 3 AAS 4 AAM 5 AAD), imm8 */
uint64_t x86_helper_bcd(struct cpu *cpu, uint64_t op, uint64_t imm, uint64_t c, uint64_t e);

/* System instructions (cpu/x86/helpers_sys.c). */
/* next rip, -, rip, len */
uint64_t x86_helper_syscall(struct cpu *cpu, uint64_t next, uint64_t b, uint64_t rip, uint64_t len);
/* rex_w */
uint64_t x86_helper_sysret(struct cpu *cpu, uint64_t rex_w, uint64_t b, uint64_t c, uint64_t e);
uint64_t x86_helper_sysenter(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e);
uint64_t x86_helper_sysexit(struct cpu *cpu, uint64_t rex_w, uint64_t b, uint64_t c, uint64_t e);
/* drn | gpr << 8, value (MOV to DR), rip, len */
uint64_t x86_helper_mov_to_dr(struct cpu *cpu, uint64_t drn_gpr, uint64_t val, uint64_t rip,
			      uint64_t len);
uint64_t x86_helper_mov_from_dr(struct cpu *cpu, uint64_t drn_gpr, uint64_t b, uint64_t rip,
				uint64_t len);
/* type, descriptor la | mmu_idx in c, rip, len */
uint64_t x86_helper_invpcid(struct cpu *cpu, uint64_t type, uint64_t la, uint64_t rip,
			    uint64_t len);
/* -, -, rip, len: XGETBV reads ECX, XSETBV ECX/EDX:EAX */
uint64_t x86_helper_xgetbv(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
uint64_t x86_helper_xsetbv(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len);
/* which: 0 WBINVD 1 INVD; rip, len */
uint64_t x86_helper_wbinvd(struct cpu *cpu, uint64_t which, uint64_t b, uint64_t rip, uint64_t len);
/* CLAC/STAC: set (1) or clear (0) RFLAGS.AC */
uint64_t x86_helper_stac(struct cpu *cpu, uint64_t set, uint64_t b, uint64_t c, uint64_t e);

/* SSE/SSE2 (helpers_sse.c): info = op | reg << 8 | rm << 12 | mem << 16 |
 * mmu_idx << 17 | op_size << 20 (enum x86_sse_op, sse.h); la of the memory
 * operand; the general-register/memory value of GIN forms; imm8. Returns
 * the value of GOUT forms. */
uint64_t x86_helper_sse(struct cpu *cpu, uint64_t info, uint64_t la, uint64_t gval, uint64_t imm);
/* 0F AE /0-/3 (x87.c): la, op (0 FXSAVE 1 FXRSTOR 2 LDMXCSR 3 STMXCSR) |
 * mmu_idx << 2 | REX.W << 5 */
uint64_t x86_helper_fxsave(struct cpu *cpu, uint64_t la, uint64_t info, uint64_t c, uint64_t e);
/* x87 (x87.c): opcode | modrm << 8 | mem << 16 | mmu_idx << 17 | op_size << 20,
 * la, rip, len */
uint64_t x86_helper_x87(struct cpu *cpu, uint64_t info, uint64_t la, uint64_t rip, uint64_t len);

/* The FXSAVE/XSAVE legacy region (x87.c): parts of it to save or restore. */
enum {
	X86_FX_X87 = 1u << 0,
	X86_FX_MXCSR = 1u << 1,
	X86_FX_XMM = 1u << 2,
	X86_FX_ALL = 7u,
};
#define X86_MXCSR_MASK 0xffffu /* the writable MXCSR bits (DAZ supported) */
void x86_fx_save_image(struct cpu_x86 *c, uint8_t *img, bool w, unsigned parts);
void x86_fx_restore_image(struct cpu_x86 *c, const uint8_t *img, bool w, unsigned parts);

/* XSAVE XSAVEOPT XSAVEC XSAVES XRSTOR XRSTORS (xsave.c): la, op | mmu_idx << 3 |
 * REX.W << 6 */
enum x86_xsave_op {
	X86_XSAVE,
	X86_XRSTOR,
	X86_XSAVEOPT,
	X86_XSAVEC,
	X86_XSAVES,
	X86_XRSTORS,
};
uint64_t x86_helper_xsave(struct cpu *cpu, uint64_t la, uint64_t info, uint64_t c, uint64_t e);

/* AES-NI and PCLMULQDQ (aes.c): d = op(d, s[, imm]) for an enum x86_sse_op;
 * false if op is not one of them. */
bool x86_sse_crypto(unsigned op, union x86_xmm *d, const union x86_xmm *s, unsigned imm);

/* Shared by the helper files. */
uint64_t x86_la_add(const struct cpu_x86 *c, uint64_t la, uint64_t n);
void x86_write_gpr(struct cpu_x86 *c, unsigned r, unsigned sz, uint64_t v);
uint64_t x86_sp_mask(const struct cpu_x86 *c);
uint64_t x86_stack_la(const struct cpu_x86 *c, uint64_t sp);
void x86_set_flags_cc(struct cpu_x86 *c, uint64_t arith);

/* Descriptor access shared with cpu.c: read the descriptor of sel from the
 * GDT/LDT (16 bytes if wide): 0, 1 if beyond the table limit, or the
 * cpu_x86_access_linear error. */
int x86_read_desc(struct cpu_x86 *c, uint16_t sel, uint64_t d[2], bool wide);
void x86_desc_to_seg(uint64_t d, uint64_t d_hi, uint16_t sel, struct x86_seg *s);

#endif
