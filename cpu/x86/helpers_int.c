/*
 * Helpers for the integer instructions beyond the classic ALU: string
 * instructions (MOVS STOS LODS CMPS SCAS INS OUTS with REP/REPE/REPNE),
 * POPCNT/LZCNT/TZCNT, MOVBE, BMI1 (ANDN BEXTR BLSI BLSMSK BLSR), BMI2 (BZHI
 * MULX PDEP PEXT RORX SARX SHLX SHRX), ADX (ADCX ADOX), SHLD/SHRD,
 * CMPXCHG8B/16B, RDRAND/RDSEED/RDTSCP/RDPID, ENTER, PUSHA/POPA and the BCD
 * adjustments. Semantics and flags follow each instruction's "Operation" and
 * "Flags Affected" sections in SDM vol. 2.
 *
 * Flags: a helper that changes flags reads the current ones
 * (cpu_x86_compute_flags), edits the bits the instruction defines and stores
 * the result as an EFLAGS lazy state. Where the SDM leaves a flag undefined
 * we keep a simple, documented choice (noted per instruction); the
 * differential test masks undefined flags out.
 *
 * Example: `blsr %rbx, %rax` with rbx = 0b1100 calls x86_helper_ext(rbx, 0,
 * X86_EXT_BLSR | 3 << 8), which returns 0b1000 and leaves CF = 0 (the source
 * was not zero), ZF = 0, SF = 0, OF = 0.
 */
#include "cpu/x86/decode.h"
#include "cpu/x86/helpers.h"
#include "cpu/ir.h"
#include "cpu/x86/vmcs.h"
#include "mmu/x86/walk.h"

static inline struct cpu_x86 *X(struct cpu *cpu)
{
	return cpu_x86_of(cpu);
}

/* Secondary processor-based controls in effect (SDM 24.6.2: all 0 unless
 * activated). */
static uint32_t x86_ctl2(struct cpu_x86 *c)
{
	uint32_t p = (uint32_t)vmcs_get(&c->vmcs, CPU_BASED_VM_EXEC_CONTROL);
	if (!(p & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		return 0;
	return (uint32_t)vmcs_get(&c->vmcs, SECONDARY_VM_EXEC_CONTROL);
}

static uint64_t x86_pf_of(uint64_t r)
{
	return (__builtin_popcount((unsigned)(r & 0xff)) & 1) ? 0 : X86_FLAG_PF;
}

/* ZF, SF and PF of a result of `bits` bits. */
static uint64_t x86_szp(uint64_t r, unsigned bits)
{
	uint64_t m = sv_mask(bits);
	return ((r & m) == 0 ? X86_FLAG_ZF : 0) | (((r >> (bits - 1)) & 1) ? X86_FLAG_SF : 0) |
	       x86_pf_of(r);
}

/* Replace the flags in `which` by `val`. */
static void x86_update_flags(struct cpu_x86 *c, uint64_t which, uint64_t val)
{
	uint64_t f = cpu_x86_compute_flags(c);
	x86_set_flags_cc(c, (f & ~which) | (val & which));
}

/* ---- string instructions (SDM vol. 1 7.3.9, vol. 2 REP/REPE/REPNE) ------- */

#define X86_REP_BOUND 4096u

static uint64_t x86_str_la(const struct cpu_x86 *c, int seg, uint64_t off)
{
	if (cpu_x86_code64(c))
		return (seg == X86_SEG_FS || seg == X86_SEG_GS) ? off + c->seg[seg].base : off;
	return (uint32_t)(c->seg[seg].base + off);
}

/*
 * INS/OUTS in VMX non-root operation (SDM 25.1.3, 27.2.1 table 27-5 for the
 * qualification, 27.2.5 for the guest-linear address and the instruction
 * information): the exit reports the whole (REP) instruction before any
 * iteration. Without an exit there is no device: IN reads all ones, OUT is
 * dropped.
 */
static void x86_str_io_exit(struct cpu_x86 *c, unsigned kind, unsigned sz, bool rep, unsigned asz,
			    int seg, uint64_t rip, uint64_t len)
{
	uint16_t port = (uint16_t)c->regs[X86_RDX];
	unsigned size = 1u << sz;
	if (!vmcs_io_exits(&c->vmcs, port, size))
		return;
	bool in = kind == X86_STR_INS;
	uint64_t am = sv_mask(8u << asz);
	uint64_t la = in ? x86_str_la(c, X86_SEG_ES, c->regs[X86_RDI] & am) :
			   x86_str_la(c, seg, c->regs[X86_RSI] & am);
	uint64_t q = (size - 1) | (in ? 8u : 0) | 16u | (rep ? 32u : 0) | ((uint64_t)port << 16);
	vmcs_set(&c->vmcs, GUEST_LINEAR_ADDRESS, la);
	vmcs_set(&c->vmcs, VMX_INSTRUCTION_INFO,
		 ((uint64_t)(asz - 1) << 7) | ((uint64_t)(in ? X86_SEG_ES : seg) << 15));
	cpu_x86_vmexit_now(c, VMX_EXIT_IO_INSTRUCTION, q, rip, (uint32_t)len);
}

/* One iteration; returns false if a REPE/REPNE condition ends the loop. */
static bool x86_str_step(struct cpu_x86 *c, unsigned kind, unsigned sz, unsigned asz, int seg,
			 unsigned idx, bool repne)
{
	struct cpu *cpu = &c->cpu;
	uint64_t am = sv_mask(8u << asz), m = sv_mask(8u << sz);
	int64_t step = (c->rflags & X86_FLAG_DF) ? -(int64_t)(1u << sz) : (int64_t)(1u << sz);
	uint64_t si = c->regs[X86_RSI] & am, di = c->regs[X86_RDI] & am;
	uint64_t a, b;
	/* Segment checks (seg.c) of the source and the destination. */
	if (!cpu_x86_code64(c)) {
		if (kind == X86_STR_MOVS || kind == X86_STR_LODS || kind == X86_STR_OUTS ||
		    kind == X86_STR_CMPS)
			cpu_x86_seg_check(c, (unsigned)seg, si, 1u << sz, false);
		if (kind != X86_STR_LODS && kind != X86_STR_OUTS)
			cpu_x86_seg_check(c, X86_SEG_ES, di, 1u << sz,
					  kind != X86_STR_CMPS && kind != X86_STR_SCAS);
	}
	switch (kind) {
	case X86_STR_MOVS:
		a = cpu_ld(cpu, x86_str_la(c, seg, si), sz, idx);
		cpu_st(cpu, x86_str_la(c, X86_SEG_ES, di), sz, idx, a);
		x86_write_gpr(c, X86_RSI, asz, si + (uint64_t)step);
		x86_write_gpr(c, X86_RDI, asz, di + (uint64_t)step);
		return true;
	case X86_STR_STOS:
		cpu_st(cpu, x86_str_la(c, X86_SEG_ES, di), sz, idx, c->regs[X86_RAX]);
		x86_write_gpr(c, X86_RDI, asz, di + (uint64_t)step);
		return true;
	case X86_STR_LODS:
		a = cpu_ld(cpu, x86_str_la(c, seg, si), sz, idx);
		x86_write_gpr(c, X86_RAX, sz, a);
		x86_write_gpr(c, X86_RSI, asz, si + (uint64_t)step);
		return true;
	case X86_STR_INS:
		cpu_st(cpu, x86_str_la(c, X86_SEG_ES, di), sz, idx, m);
		x86_write_gpr(c, X86_RDI, asz, di + (uint64_t)step);
		return true;
	case X86_STR_OUTS:
		(void)cpu_ld(cpu, x86_str_la(c, seg, si), sz, idx);
		x86_write_gpr(c, X86_RSI, asz, si + (uint64_t)step);
		return true;
	default: /* CMPS: [seg:rSI] - ES:[rDI]; SCAS: rAX - ES:[rDI] */
		if (kind == X86_STR_CMPS) {
			a = cpu_ld(cpu, x86_str_la(c, seg, si), sz, idx);
			b = cpu_ld(cpu, x86_str_la(c, X86_SEG_ES, di), sz, idx);
			x86_write_gpr(c, X86_RSI, asz, si + (uint64_t)step);
		} else {
			a = c->regs[X86_RAX] & m;
			b = cpu_ld(cpu, x86_str_la(c, X86_SEG_ES, di), sz, idx);
		}
		x86_write_gpr(c, X86_RDI, asz, di + (uint64_t)step);
		c->cc_op = X86_CC_OP(X86_CC_SUB, sz);
		c->cc_src2 = a;
		c->cc_src = b;
		c->cc_dst = (a - b) & m;
		return repne ? a != b : a == b;
	}
}

uint64_t x86_helper_string(struct cpu *cpu, uint64_t info, uint64_t seg, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned kind = info & 7, sz = (info >> 3) & 3, asz = (info >> 7) & 3;
	unsigned idx = (info >> 9) & 7;
	bool rep = (info >> 5) & 1, repne = (info >> 6) & 1;
	bool cond = kind == X86_STR_CMPS || kind == X86_STR_SCAS;
	uint64_t am = sv_mask(8u << asz);
	if (kind == X86_STR_INS || kind == X86_STR_OUTS)
		x86_str_io_exit(c, kind, sz, rep, asz, (int)seg, rip, len);
	for (unsigned i = 0; i < X86_REP_BOUND; i++) {
		if (rep && (c->regs[X86_RCX] & am) == 0)
			return 1;
		bool go_on = x86_str_step(c, kind, sz, asz, (int)seg, idx, repne);
		if (!rep)
			return 1;
		x86_write_gpr(c, X86_RCX, asz, (c->regs[X86_RCX] & am) - 1);
		if (cond && !go_on)
			return 1;
	}
	return (c->regs[X86_RCX] & am) == 0;
}

/* ---- bit manipulation: POPCNT LZCNT TZCNT MOVBE BMI1 BMI2 ADX ------------ */

static uint64_t x86_pdep(uint64_t src, uint64_t mask)
{
	uint64_t r = 0;
	for (uint64_t bit = 1; mask; bit <<= 1) {
		uint64_t low = mask & -mask;
		if (src & bit)
			r |= low;
		mask &= mask - 1;
	}
	return r;
}

static uint64_t x86_pext(uint64_t src, uint64_t mask)
{
	uint64_t r = 0;
	for (uint64_t bit = 1; mask; bit <<= 1) {
		uint64_t low = mask & -mask;
		if (src & low)
			r |= bit;
		mask &= mask - 1;
	}
	return r;
}

static uint64_t x86_bswap(uint64_t v, unsigned sz)
{
	switch (sz) {
	case 1: return __builtin_bswap16((uint16_t)v);
	case 2: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

/* The BMI1 flags: ZF/SF from the result, CF as given, OF = 0; AF and PF are
 * undefined (we give PF of the result and AF = 0). */
static void x86_bmi_flags(struct cpu_x86 *c, uint64_t r, unsigned bits, bool cf)
{
	x86_set_flags_cc(c, x86_szp(r, bits) | (cf ? X86_FLAG_CF : 0));
}

/* ADCX/ADOX (SDM ADCX, ADOX): add with carry through CF or OF only. */
static uint64_t x86_adx(struct cpu_x86 *c, uint64_t a, uint64_t b, unsigned bits, uint64_t flag)
{
	uint64_t m = sv_mask(bits), f = cpu_x86_compute_flags(c);
	uint64_t cin = (f & flag) ? 1 : 0;
	unsigned __int128 s = (unsigned __int128)(a & m) + (b & m) + cin;
	bool cout = bits == 64 ? (s >> 64) != 0 : ((uint64_t)s >> bits) != 0;
	x86_set_flags_cc(c, (f & ~flag) | (cout ? flag : 0));
	return (uint64_t)s & m;
}

uint64_t x86_helper_ext(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t op_sz, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned op = op_sz & 0xff, sz = (op_sz >> 8) & 3, bits = 8u << sz;
	uint64_t m = sv_mask(bits), r;
	if (op != X86_EXT_CRC32)
		a &= m;
	b &= m;
	switch (op) {
	case X86_EXT_POPCNT: /* all flags cleared but ZF */
		r = (uint64_t)__builtin_popcountll(a);
		x86_set_flags_cc(c, a == 0 ? X86_FLAG_ZF : 0);
		return r;
	case X86_EXT_LZCNT: /* CF = (src == 0), ZF = (result == 0); others undefined, kept */
		r = a ? (uint64_t)__builtin_clzll(a) - (64 - bits) : bits;
		x86_update_flags(c, X86_FLAG_CF | X86_FLAG_ZF,
				 (a == 0 ? X86_FLAG_CF : 0) | (r == 0 ? X86_FLAG_ZF : 0));
		return r;
	case X86_EXT_TZCNT:
		r = a ? (uint64_t)__builtin_ctzll(a) : bits;
		x86_update_flags(c, X86_FLAG_CF | X86_FLAG_ZF,
				 (a == 0 ? X86_FLAG_CF : 0) | (r == 0 ? X86_FLAG_ZF : 0));
		return r;
	case X86_EXT_MOVBE: return x86_bswap(a, sz);
	case X86_EXT_ANDN: /* a = VEX.vvvv, b = r/m */
		r = ~a & b & m;
		x86_bmi_flags(c, r, bits, false);
		return r;
	case X86_EXT_BEXTR: { /* a = r/m, b = control: start 7:0, length 15:8 */
		unsigned start = b & 0xff, n = (b >> 8) & 0xff;
		r = start < bits ? a >> start : 0;
		if (n < 64)
			r &= sv_mask(n);
		/* ZF from the result; CF = OF = 0; AF SF PF undefined (as BMI). */
		x86_bmi_flags(c, r, bits, false);
		return r;
	}
	case X86_EXT_BLSI:
		r = (0 - a) & a & m;
		x86_bmi_flags(c, r, bits, a != 0);
		return r;
	case X86_EXT_BLSMSK: /* ZF is cleared (SDM BLSMSK) */
		r = ((a - 1) ^ a) & m;
		x86_bmi_flags(c, r, bits, a == 0);
		return r;
	case X86_EXT_BLSR:
		r = (a - 1) & a & m;
		x86_bmi_flags(c, r, bits, a == 0);
		return r;
	case X86_EXT_BZHI: { /* a = r/m, b = index in 7:0; CF = index > bits - 1 */
		unsigned n = b & 0xff;
		r = n < bits ? a & sv_mask(n) : a;
		x86_bmi_flags(c, r, bits, n > bits - 1);
		return r;
	}
	case X86_EXT_PDEP: return x86_pdep(a, b) & m; /* a = vvvv source, b = r/m mask */
	case X86_EXT_PEXT: return x86_pext(a, b) & m;
	case X86_EXT_RORX: {
		unsigned n = b & (bits - 1);
		return n ? ((a >> n) | (a << (bits - n))) & m : a;
	}
	case X86_EXT_SARX: return (uint64_t)((int64_t)sv_sext(a, bits) >> (b & (bits - 1))) & m;
	case X86_EXT_SHLX: return (a << (b & (bits - 1))) & m;
	case X86_EXT_SHRX: return a >> (b & (bits - 1));
	case X86_EXT_ADCX: return x86_adx(c, a, b, bits, X86_FLAG_CF);
	case X86_EXT_ADOX: return x86_adx(c, a, b, bits, X86_FLAG_OF);
	case X86_EXT_CRC32: { /* CRC-32C (Castagnoli), bit-reflected (SDM CRC32) */
		uint32_t crc = (uint32_t)a;
		for (unsigned i = 0; i < bits / 8; i++) {
			crc ^= (uint8_t)(b >> (8 * i));
			for (unsigned k = 0; k < 8; k++)
				crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
		}
		return crc;
	}
	default: return a;
	}
}

/* MULX (SDM MULX): unsigned rDX * src, flags unaffected; the high half goes
 * to ModRM.reg, the low half to VEX.vvvv, the high half wins if they are the
 * same register. */
uint64_t x86_helper_mulx(struct cpu *cpu, uint64_t src, uint64_t info, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned sz = info & 3, hi_reg = (info >> 8) & 15, lo_reg = (info >> 12) & 15;
	unsigned bits = 8u << sz;
	uint64_t m = sv_mask(bits);
	unsigned __int128 p = (unsigned __int128)(c->regs[X86_RDX] & m) * (src & m);
	uint64_t lo = (uint64_t)p & m, hi = (uint64_t)(p >> bits) & m;
	x86_write_gpr(c, lo_reg, sz, lo);
	x86_write_gpr(c, hi_reg, sz, hi);
	return 0;
}

/*
 * SHLD/SHRD (SDM SHLD, SHRD): n is already masked to 5 (6 with REX.W) bits.
 * A zero count changes nothing; a count above the operand size (16-bit
 * only) leaves the result and flags undefined: we shift through the 48-bit
 * dst:src:dst pattern. CF = last bit shifted out, OF (count 1) = sign
 * change, SF/ZF/PF from the result, AF undefined (0).
 */
uint64_t x86_helper_shld(struct cpu *cpu, uint64_t dst, uint64_t src, uint64_t n, uint64_t info)
{
	struct cpu_x86 *c = X(cpu);
	unsigned sz = info & 3, bits = 8u << sz, cnt = (unsigned)n;
	bool right = (info >> 2) & 1;
	uint64_t m = sv_mask(bits), d = dst & m, s = src & m, r, cf;
	if (cnt == 0)
		return d;
	if (cnt > bits) { /* 16-bit only: through dst:src:dst */
		uint64_t v = (d << 32) | (s << 16) | d;
		r = (right ? v >> cnt : v >> (32 - cnt)) & m;
		cf = (right ? v >> (cnt - 1) : v >> (48 - cnt)) & 1;
	} else if (!right) { /* the top half of (dst:src) << cnt */
		unsigned __int128 v = ((unsigned __int128)d << bits) | s;
		r = (uint64_t)((v << cnt) >> bits) & m;
		cf = (uint64_t)(v >> (2 * bits - cnt)) & 1;
	} else { /* the bottom half of (src:dst) >> cnt */
		unsigned __int128 v = ((unsigned __int128)s << bits) | d;
		r = (uint64_t)(v >> cnt) & m;
		cf = (uint64_t)(v >> (cnt - 1)) & 1;
	}
	uint64_t f = x86_szp(r, bits) | (cf ? X86_FLAG_CF : 0);
	if (((r ^ d) >> (bits - 1)) & 1)
		f |= X86_FLAG_OF;
	x86_set_flags_cc(c, f);
	return r;
}

/*
 * CMPXCHG8B/CMPXCHG16B (SDM): compare EDX:EAX (RDX:RAX) with m64 (m128);
 * equal: ZF = 1 and ECX:EBX (RCX:RBX) is stored; else ZF = 0 and the memory
 * value is loaded into EDX:EAX. The destination is written either way.
 * CMPXCHG16B needs a 16-byte aligned operand (#GP(0)). Both halves are read
 * and the first is written back before any register changes, so a fault on
 * either half leaves the instruction unexecuted.
 */
uint64_t x86_helper_cmpxchg8b(struct cpu *cpu, uint64_t la, uint64_t info, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	bool wide = info & 1;
	unsigned idx = (info >> 1) & 7, sz = wide ? 3 : 2, half = 1u << sz;
	uint64_t la_hi = la + half;
	if (!cpu_x86_long_mode(c))
		la_hi = (uint32_t)la_hi;
	if (wide && (la & 15))
		cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
	uint64_t m = sv_mask(8u << sz);
	uint64_t lo = cpu_ld(cpu, la, sz, idx), hi = cpu_ld(cpu, la_hi, sz, idx);
	bool eq = lo == (c->regs[X86_RAX] & m) && hi == (c->regs[X86_RDX] & m);
	cpu_st(cpu, la, sz, idx, lo);
	if (eq) {
		cpu_st(cpu, la_hi, sz, idx, c->regs[X86_RCX] & m);
		cpu_st(cpu, la, sz, idx, c->regs[X86_RBX] & m);
	} else {
		cpu_st(cpu, la_hi, sz, idx, hi);
		x86_write_gpr(c, X86_RAX, sz, lo);
		x86_write_gpr(c, X86_RDX, sz, hi);
	}
	x86_update_flags(c, X86_FLAG_ZF, eq ? X86_FLAG_ZF : 0);
	return 0;
}

/* ---- RDRAND RDSEED RDTSCP RDPID ----------------------------------------- */

void cpu_x86_seed_rng(struct cpu_x86 *c, uint64_t seed)
{
	c->rng_state = seed ^ (0x736f667476697372ull + c->cpu.index * 0x9e3779b97f4a7c15ull);
}

/* splitmix64: one deterministic 64-bit number per call. */
static uint64_t x86_rng_next(struct cpu_x86 *c)
{
	uint64_t z = (c->rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * RDRAND/RDSEED (SDM): exit if "RDRAND exiting"/"RDSEED exiting" (SDM
 * 25.1.3; instruction information: destination register 6:3, operand size
 * 12:11); else a number from the deterministic generator, CF = 1 (always
 * available), OF SF ZF AF PF = 0.
 */
uint64_t x86_helper_rdrand(struct cpu *cpu, uint64_t info, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned sz = info & 3, reg = (info >> 4) & 15;
	bool seed = (info >> 2) & 1;
	uint32_t ctl2 = x86_ctl2(c);
	if (ctl2 & (seed ? SECONDARY_EXEC_RDSEED_EXITING : SECONDARY_EXEC_RDRAND_EXITING)) {
		vmcs_set(&c->vmcs, VMX_INSTRUCTION_INFO, (reg << 3) | ((sz - 1u) << 11));
		cpu_x86_vmexit_now(c, seed ? VMX_EXIT_RDSEED : VMX_EXIT_RDRAND, 0, rip,
				   (uint32_t)len);
	}
	x86_set_flags_cc(c, X86_FLAG_CF);
	return x86_rng_next(c) & sv_mask(8u << sz);
}

/* SDM 25.3: RDTSCP and RDPID are #UD unless "enable RDTSCP" is 1. */
static void x86_rdtscp_enabled(struct cpu_x86 *c)
{
	if (!(x86_ctl2(c) & SECONDARY_EXEC_ENABLE_RDTSCP))
		cpu_x86_raise_exception(c, X86_EXC_UD, false, 0);
}

uint64_t x86_helper_rdtscp(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	x86_rdtscp_enabled(c);
	if ((c->cr4 & X86_CR4_TSD) && c->cpl > 0)
		cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
	uint32_t p = (uint32_t)vmcs_get(&c->vmcs, CPU_BASED_VM_EXEC_CONTROL);
	if (p & CPU_BASED_RDTSC_EXITING)
		cpu_x86_vmexit_now(c, VMX_EXIT_RDTSCP, 0, rip, (uint32_t)len);
	uint64_t t = cpu_x86_rdtsc(c);
	c->regs[X86_RAX] = (uint32_t)t;
	c->regs[X86_RDX] = t >> 32;
	c->regs[X86_RCX] = (uint32_t)c->tsc_aux;
	return 0;
}

uint64_t x86_helper_rdpid(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	x86_rdtscp_enabled(c);
	return c->tsc_aux;
}

/* ---- ENTER PUSHA POPA ----------------------------------------------------- */

/*
 * ENTER imm16, imm8 (SDM ENTER "Operation"): push rBP, copy level-1 frame
 * pointers from the old frame, push the new frame pointer, then allocate.
 * Registers change only after every access succeeded.
 */
uint64_t x86_helper_enter(struct cpu *cpu, uint64_t size, uint64_t level, uint64_t osz, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned idx = cpu_x86_mmu_idx(c), sz = (unsigned)osz, n = 1u << sz;
	unsigned lvl = (unsigned)level & 31;
	uint64_t spm = x86_sp_mask(c);
	uint64_t sp = c->regs[X86_RSP], bp = c->regs[X86_RBP];
	sp -= n;
	cpu_st(cpu, x86_stack_la(c, sp), sz, idx, bp);
	uint64_t frame = sp & spm;
	if (lvl > 0) {
		for (unsigned i = 1; i < lvl; i++) {
			bp -= n;
			uint64_t v = cpu_ld(cpu, x86_stack_la(c, bp), sz, idx);
			sp -= n;
			cpu_st(cpu, x86_stack_la(c, sp), sz, idx, v);
		}
		sp -= n;
		cpu_st(cpu, x86_stack_la(c, sp), sz, idx, frame);
	}
	sp -= size;
	x86_write_gpr(c, X86_RBP, sz, frame);
	c->regs[X86_RSP] = (c->regs[X86_RSP] & ~spm) | (sp & spm);
	return 0;
}

/* PUSHA/PUSHAD (SDM): EAX ECX EDX EBX (original ESP) EBP ESI EDI. */
uint64_t x86_helper_pusha(struct cpu *cpu, uint64_t osz, uint64_t b, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned idx = cpu_x86_mmu_idx(c), sz = (unsigned)osz, n = 1u << sz;
	uint64_t spm = x86_sp_mask(c), sp = c->regs[X86_RSP];
	/* SDM PUSHA: #SS(0) if the starting or ending stack address is
	 * outside the stack segment, before anything is written. */
	cpu_x86_seg_check(c, X86_SEG_SS, (sp - 8 * n) & spm, 8 * n, true);
	for (unsigned r = 0; r < 8; r++)
		cpu_st(cpu, x86_stack_la(c, sp - n * (r + 1)), sz, idx, c->regs[r]);
	c->regs[X86_RSP] = (c->regs[X86_RSP] & ~spm) | ((sp - 8 * n) & spm);
	return 0;
}

/* POPA/POPAD (SDM): EDI ESI EBP (skip) EBX EDX ECX EAX. */
uint64_t x86_helper_popa(struct cpu *cpu, uint64_t osz, uint64_t b, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned idx = cpu_x86_mmu_idx(c), sz = (unsigned)osz, n = 1u << sz;
	uint64_t spm = x86_sp_mask(c), sp = c->regs[X86_RSP], v[8];
	cpu_x86_seg_check(c, X86_SEG_SS, sp & spm, 8 * n, false);
	for (unsigned r = 0; r < 8; r++)
		v[7 - r] = cpu_ld(cpu, x86_stack_la(c, sp + n * r), sz, idx);
	for (unsigned r = 0; r < 8; r++)
		if (r != X86_RSP)
			x86_write_gpr(c, r, sz, v[r]);
	c->regs[X86_RSP] = (c->regs[X86_RSP] & ~spm) | ((sp + 8 * n) & spm);
	return 0;
}

/* ---- BCD adjustments (32-bit modes only; #UD in 64-bit mode) -------------- */

/*
 * DAA DAS AAA AAS AAM AAD (SDM "Operation"). Undefined flags: OF = 0 for
 * DAA/DAS; for AAA/AAS, SF/ZF/PF from AL and OF = 0; for AAM/AAD, AF = CF =
 * OF = 0.
 */
uint64_t x86_helper_bcd(struct cpu *cpu, uint64_t op, uint64_t imm, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	uint64_t f = cpu_x86_compute_flags(c);
	unsigned al = c->regs[X86_RAX] & 0xff, ah = (c->regs[X86_RAX] >> 8) & 0xff;
	bool cf = f & X86_FLAG_CF, af = f & X86_FLAG_AF;
	unsigned old_al = al;
	switch (op) {
	case 0: /* DAA */
	case 1: /* DAS */ {
		bool ncf = false, naf = false;
		if ((al & 0xf) > 9 || af) {
			ncf = cf || (op == 0 ? al + 6 > 0xff : al < 6);
			al = (op == 0 ? al + 6 : al - 6) & 0xff;
			naf = true;
		}
		if (old_al > 0x99 || cf) {
			al = (op == 0 ? al + 0x60 : al - 0x60) & 0xff;
			ncf = true;
		} else if (op == 0) {
			ncf = false;
		}
		x86_set_flags_cc(c, x86_szp(al, 8) | (ncf ? X86_FLAG_CF : 0) |
					    (naf ? X86_FLAG_AF : 0));
		break;
	}
	case 2: /* AAA */
	case 3: /* AAS */ {
		bool adj = (al & 0xf) > 9 || af;
		if (adj) {
			unsigned ax = (ah << 8) | al;
			ax = op == 2 ? ax + 0x106 : ((ax - 6) & 0xffff) - 0x100;
			ah = (ax >> 8) & 0xff;
			al = ax & 0xff;
		}
		al &= 0xf;
		x86_set_flags_cc(c, x86_szp(al, 8) | (adj ? X86_FLAG_CF | X86_FLAG_AF : 0));
		break;
	}
	case 4: /* AAM */
		if ((imm & 0xff) == 0)
			cpu_x86_raise_exception(c, X86_EXC_DE, false, 0);
		ah = al / (imm & 0xff);
		al = al % (imm & 0xff);
		x86_set_flags_cc(c, x86_szp(al, 8));
		break;
	default: /* AAD */
		al = (al + ah * (imm & 0xff)) & 0xff;
		ah = 0;
		x86_set_flags_cc(c, x86_szp(al, 8));
		break;
	}
	x86_write_gpr(c, X86_RAX, 1, (ah << 8) | al);
	return 0;
}
