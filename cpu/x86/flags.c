/*
 * Lazy arithmetic flags (see cpu_x86.h for what cc_op/cc_src/cc_src2/cc_dst
 * hold per operation kind). Flags are computed exactly as the SDM defines
 * them for each instruction (vol. 2, "Flags Affected"); where the SDM leaves
 * a flag undefined we produce what current Intel cores produce for the
 * common cases (logic ops: AF = 0; multiply: SF/ZF/PF from the low result).
 *
 * Example: `cmp $5, %eax` with eax = 3 records cc_op = SUB|32-bit, cc_src2 =
 * 3, cc_src = 5, cc_dst = 0xfffffffe; CF = 3 < 5 = 1, ZF = 0, SF = 1,
 * OF = ((3 ^ 5) & (3 ^ 0xfffffffe)) >> 31 = 0.
 */
#include "cpu/x86/cpu_x86.h"

static inline unsigned x86_bits(unsigned size_log2)
{
	return 8u << size_log2;
}

static uint64_t x86_pf(uint64_t res)
{
	return (__builtin_popcount((unsigned)(res & 0xff)) & 1) ? 0 : X86_FLAG_PF;
}

static uint64_t x86_zf_sf_pf(uint64_t res, unsigned bits)
{
	uint64_t r = res & sv_mask(bits);
	return (r == 0 ? X86_FLAG_ZF : 0) | (((r >> (bits - 1)) & 1) ? X86_FLAG_SF : 0) | x86_pf(r);
}

uint64_t cpu_x86_compute_flags(const struct cpu_x86 *c)
{
	unsigned kind = (unsigned)(c->cc_op >> 2), sz = (unsigned)(c->cc_op & 3);
	unsigned bits = x86_bits(sz);
	uint64_t m = sv_mask(bits), sign = 1ull << (bits - 1);
	uint64_t res = c->cc_dst & m, src = c->cc_src & m, a = c->cc_src2 & m;
	uint64_t f = 0, cin;

	switch (kind) {
	case X86_CC_EFLAGS: return c->cc_src & X86_FLAGS_ARITH;
	case X86_CC_ADD:
	case X86_CC_ADC:
		cin = (res - a - src) & m;
		f |= (cin ? res <= a : res < a) ? X86_FLAG_CF : 0;
		if (kind == X86_CC_ADD)
			f = res < a ? X86_FLAG_CF : 0;
		f |= ((a ^ res) & (src ^ res) & sign) ? X86_FLAG_OF : 0;
		f |= (a ^ src ^ res) & X86_FLAG_AF;
		return f | x86_zf_sf_pf(res, bits);
	case X86_CC_SUB:
	case X86_CC_SBB:
		cin = (a - src - res) & m;
		f |= (cin ? a <= src : a < src) ? X86_FLAG_CF : 0;
		if (kind == X86_CC_SUB)
			f = a < src ? X86_FLAG_CF : 0;
		f |= ((a ^ src) & (a ^ res) & sign) ? X86_FLAG_OF : 0;
		f |= (a ^ src ^ res) & X86_FLAG_AF;
		return f | x86_zf_sf_pf(res, bits);
	case X86_CC_LOGIC: return x86_zf_sf_pf(res, bits);
	case X86_CC_INC:
	case X86_CC_DEC:
		f |= c->cc_src ? X86_FLAG_CF : 0;
		if (kind == X86_CC_INC)
			f |= res == sign ? X86_FLAG_OF : 0;
		else
			f |= res == sign - 1 ? X86_FLAG_OF : 0;
		f |= (a ^ 1 ^ res) & X86_FLAG_AF;
		return f | x86_zf_sf_pf(res, bits);
	case X86_CC_SHL: {
		unsigned n = (unsigned)c->cc_src;
		uint64_t cf = n <= bits ? (a >> (bits - n)) & 1 : 0;
		f |= cf ? X86_FLAG_CF : 0;
		f |= (((res >> (bits - 1)) & 1) ^ cf) ? X86_FLAG_OF : 0;
		return f | x86_zf_sf_pf(res, bits);
	}
	case X86_CC_SHR: {
		unsigned n = (unsigned)c->cc_src;
		f |= (n <= 64 && ((a >> (n - 1)) & 1)) ? X86_FLAG_CF : 0;
		f |= (a & sign) ? X86_FLAG_OF : 0;
		return f | x86_zf_sf_pf(res, bits);
	}
	case X86_CC_SAR: {
		unsigned n = (unsigned)c->cc_src;
		int64_t sa = (int64_t)sv_sext(a, bits);
		f |= ((sa >> (n - 1 < 63 ? n - 1 : 63)) & 1) ? X86_FLAG_CF : 0;
		return f | x86_zf_sf_pf(res, bits); /* OF = 0 */
	}
	case X86_CC_MUL:
		f |= c->cc_src ? (X86_FLAG_CF | X86_FLAG_OF) : 0;
		return f | x86_zf_sf_pf(res, bits);
	default: return 0;
	}
}

/* SDM vol. 1 appendix B: condition codes. */
bool cpu_x86_eval_cond(const struct cpu_x86 *c, unsigned cc)
{
	uint64_t f = cpu_x86_compute_flags(c);
	bool r;
	switch ((cc >> 1) & 7) {
	case 0: r = f & X86_FLAG_OF; break;
	case 1: r = f & X86_FLAG_CF; break;
	case 2: r = f & X86_FLAG_ZF; break;
	case 3: r = f & (X86_FLAG_CF | X86_FLAG_ZF); break;
	case 4: r = f & X86_FLAG_SF; break;
	case 5: r = f & X86_FLAG_PF; break;
	case 6: r = !(f & X86_FLAG_SF) != !(f & X86_FLAG_OF); break;
	default: r = (f & X86_FLAG_ZF) || (!(f & X86_FLAG_SF) != !(f & X86_FLAG_OF)); break;
	}
	return (cc & 1) ? !r : r;
}
