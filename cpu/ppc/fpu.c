/*
 * Floating-point helpers (Power ISA v3.0B Book I chapter 4): arithmetic,
 * fused multiply-add, compares, rounding and conversions, and the FPSCR
 * instructions, with every FPSCR status bit.
 *
 * One helper, ppc_helper_fp(insn, pc), executes every FPSCR-touching
 * instruction: it decodes the registers from the instruction word, so the
 * translator emits one call. Pure moves (fmr, fneg, fabs, fnabs, fcpsgn,
 * fsel) and loads/stores are IR in translate_fp.c.
 *
 * How results are rounded. The host's IEEE double arithmetic computes each
 * operation under FPSCR[RN] (fesetround around the one operation, restored
 * after), and the host's exception flags give inexact and overflow. Two
 * facts of the Power ISA need more than that:
 *   - Underflow is "tiny before rounding" (4.4.4): the operation is also
 *     computed rounding toward zero; the exact result is tiny iff that
 *     truncated result is below the smallest normal (which is representable).
 *   - Single-precision results (fadds, frsp, fmadds, ...) must be rounded once
 *     from the exact result, but the operands are doubles: the operation is
 *     computed toward zero in double and "rounded to odd" (the last bit set
 *     when inexact), which, with 29 extra bits, rounds to single exactly as
 *     the exact result would.
 * fma() is the correctly rounded fused multiply-add of C99.
 *
 * NaNs (4.3.6): the result is the first NaN operand in the order FRA, FRB,
 * FRC, quieted; an invalid operation produces the default QNaN
 * 0x7FF8000000000000. fnmadd/fnmsub do not negate a NaN result. A
 * multiply-add of 0 x inf with a QNaN addend sets VXIMZ and returns the
 * addend.
 *
 * Enabled exceptions: VE = 1 or ZE = 1 suppress the write of FRT and FPRF
 * (4.4.1, 4.4.2). With MSR[FE0] | MSR[FE1] != 0 an instruction that sets
 * FPSCR[FEX] (0 -> 1) takes a program interrupt with SRR1[43]
 * (PPC_SRR1_PROG_FP) and SRR0 = the instruction (precise mode). Not yet implemented: the scaled
 * results of OE = 1 / UE = 1 (the result is the disabled one), and
 * FPSCR[NI] (non-IEEE mode is treated as IEEE).
 *
 * Estimates: fre(s) is 1/x correctly rounded, frsqrte(s) 1/sqrt(x) from the
 * rounded square root -- deterministic, and within the architected accuracy.
 *
 * Example: fadd. f1,f2,f3 with f2 = 1.0, f3 = 2^-60, RN = 0 (nearest):
 * f1 = 1.0, FI = XX = FX = 1, FR = 0, FPRF = +normal (0b00100),
 * CR1 = FX FEX VX OX = 0b1000.
 */
#include "cpu/ppc/translate.h"

#include <fenv.h>
#include <float.h>
#include <math.h>

#define DNAN 0x7ff8000000000000ull
#define D_SIGN (1ull << 63)
#define D_EXP 0x7ff0000000000000ull
#define D_FRAC 0x000fffffffffffffull
#define D_QUIET (1ull << 51)

static double d_of(uint64_t u)
{
	double d;
	memcpy(&d, &u, 8);
	return d;
}

static uint64_t u_of(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

static bool is_nan(uint64_t u)
{
	return (u & D_EXP) == D_EXP && (u & D_FRAC);
}

static bool is_snan(uint64_t u)
{
	return is_nan(u) && !(u & D_QUIET);
}

static bool is_inf(uint64_t u)
{
	return (u & ~D_SIGN) == D_EXP;
}

static bool is_zero(uint64_t u)
{
	return !(u & ~D_SIGN);
}

/* ------------------------------------------------------------ single format */

/* lfs (Book I 4.6.2): single -> double, exact, NaN payloads kept (an SNaN
 * stays signalling). */
uint64_t ppc_fp_single_to_double(uint32_t w)
{
	uint64_t sign = (uint64_t)(w >> 31) << 63;
	unsigned e = (w >> 23) & 0xff;
	uint64_t frac = w & 0x7fffff;

	if (e == 0xff)
		return sign | D_EXP | (frac << 29);
	if (e == 0 && frac == 0)
		return sign;
	if (e == 0) {
		float f;
		memcpy(&f, &w, 4);
		return u_of((double)f); /* a denormal: normalized exactly */
	}
	return sign | ((uint64_t)(e + 896) << 52) | (frac << 29);
}

/* stfs (Book I 4.6.3): double -> single by moving bits (no rounding);
 * values in the single denormal range are denormalized. */
uint32_t ppc_fp_double_to_single(uint64_t d)
{
	unsigned e = (d >> 52) & 0x7ff;

	if (e > 896 || !(d & ~D_SIGN))
		return (uint32_t)(((d >> 32) & 0xc0000000u) | ((d >> 29) & 0x3fffffffu));
	if (e >= 874) {
		uint64_t frac = (1ull << 52) | (d & D_FRAC);
		int exp = (int)e - 1023;
		while (exp < -126) {
			frac >>= 1;
			exp++;
		}
		return (uint32_t)((d >> 32) & 0x80000000u) | (uint32_t)((frac >> 29) & 0x7fffff);
	}
	/* Undefined by the architecture: the same bit move as above. */
	return (uint32_t)(((d >> 32) & 0xc0000000u) | ((d >> 29) & 0x3fffffffu));
}

uint64_t ppc_helper_lfs(struct cpu *cpu, uint64_t word, uint64_t u0, uint64_t u1, uint64_t u2)
{
	(void)cpu;
	(void)u0;
	(void)u1;
	(void)u2;
	return ppc_fp_single_to_double((uint32_t)word);
}

uint64_t ppc_helper_stfs(struct cpu *cpu, uint64_t dw, uint64_t u0, uint64_t u1, uint64_t u2)
{
	(void)cpu;
	(void)u0;
	(void)u1;
	(void)u2;
	return ppc_fp_double_to_single(dw);
}

/* ------------------------------------------------------------ FPSCR */

/* Set exception bits; FX when one of them goes from 0 to 1. */
static void fp_raise(struct cpu_ppc *c, uint32_t bits)
{
	uint32_t f = (uint32_t)c->fpscr;
	if (bits & PPC_FPSCR_EXC_ALL & ~f)
		f |= PPC_FPSCR_FX;
	c->fpscr = f | bits;
}

/* Recompute the summary bits VX and FEX. */
static void fp_summary(struct cpu_ppc *c)
{
	uint32_t f = (uint32_t)c->fpscr & ~(PPC_FPSCR_VX | PPC_FPSCR_FEX);
	if (f & PPC_FPSCR_VX_ALL)
		f |= PPC_FPSCR_VX;
	if (((f & PPC_FPSCR_VX) && (f & PPC_FPSCR_VE)) ||
	    ((f & PPC_FPSCR_OX) && (f & PPC_FPSCR_OE)) ||
	    ((f & PPC_FPSCR_UX) && (f & PPC_FPSCR_UE)) ||
	    ((f & PPC_FPSCR_ZX) && (f & PPC_FPSCR_ZE)) ||
	    ((f & PPC_FPSCR_XX) && (f & PPC_FPSCR_XE)))
		f |= PPC_FPSCR_FEX;
	c->fpscr = f;
}

static void fp_set_fr_fi(struct cpu_ppc *c, bool fr, bool fi)
{
	c->fpscr &= ~(uint64_t)(PPC_FPSCR_FR | PPC_FPSCR_FI);
	c->fpscr |= (fr ? PPC_FPSCR_FR : 0) | (fi ? PPC_FPSCR_FI : 0);
}

/* FPRF of a result (4.2.2, Figure 49): single selects the denormal range. */
static uint32_t fp_class(uint64_t u, bool single)
{
	bool neg = u >> 63;
	if (is_nan(u))
		return 0x11;
	if (is_inf(u))
		return neg ? 0x09 : 0x05;
	if (is_zero(u))
		return neg ? 0x12 : 0x02;
	double a = fabs(d_of(u));
	if (a < (single ? (double)FLT_MIN : DBL_MIN))
		return neg ? 0x18 : 0x14;
	return neg ? 0x08 : 0x04;
}

static void fp_set_fprf(struct cpu_ppc *c, uint64_t r, bool single)
{
	c->fpscr = (c->fpscr & ~(uint64_t)PPC_FPSCR_FPRF) |
		   ((uint64_t)fp_class(r, single) << PPC_FPSCR_FPRF_SHIFT);
}

static const int fp_host_rn[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };

/* ------------------------------------------------------------ arithmetic */

enum fp_op {
	FP_ADD,
	FP_SUB,
	FP_MUL,
	FP_DIV,
	FP_SQRT,
	FP_MADD,
	FP_MSUB,
	FP_NMADD,
	FP_NMSUB,
	FP_RE,
	FP_RSQRTE,
	FP_RSP, /* frsp: the operand itself, rounded to single */
	FP_CFID,
	FP_CFIDU,
};

/* One operation on the host under host rounding mode rnd; *exc = host flags. */
static double fp_host_op(enum fp_op op, uint64_t ua, uint64_t ub, uint64_t uc, int rnd, int *exc)
{
	volatile double a = d_of(ua), b = d_of(ub), c = d_of(uc), r = 0;
	int saved = fegetround();

	fesetround(rnd);
	feclearexcept(FE_ALL_EXCEPT);
	switch (op) {
	case FP_ADD: r = a + b; break;
	case FP_SUB: r = a - b; break;
	case FP_MUL: r = a * c; break;
	case FP_DIV: r = a / b; break;
	case FP_SQRT: r = sqrt(b); break;
	case FP_MADD:
	case FP_NMADD: r = fma(a, c, b); break;
	case FP_MSUB:
	case FP_NMSUB: r = fma(a, c, -b); break;
	case FP_RE: r = 1.0 / b; break;
	case FP_RSQRTE: {
		volatile double s = sqrt(b);
		feclearexcept(FE_ALL_EXCEPT);
		r = 1.0 / s;
		break;
	}
	case FP_RSP: r = b; break;
	case FP_CFID: r = (double)(int64_t)ub; break;
	case FP_CFIDU: r = (double)ub; break;
	}
	*exc = fetestexcept(FE_ALL_EXCEPT);
	fesetround(saved);
	return r;
}

/* Which operands an operation reads: bit 0 A, bit 1 B, bit 2 C. */
static unsigned fp_operands(enum fp_op op)
{
	switch (op) {
	case FP_ADD:
	case FP_SUB:
	case FP_DIV: return 3;
	case FP_MUL: return 5;
	case FP_MADD:
	case FP_MSUB:
	case FP_NMADD:
	case FP_NMSUB: return 7;
	case FP_CFID:
	case FP_CFIDU: return 0;
	default: return 2;
	}
}

/* Invalid-operation cause for non-NaN operands (4.4.1), or 0. */
static uint32_t fp_invalid(enum fp_op op, uint64_t a, uint64_t b, uint64_t c)
{
	bool neg_b = b >> 63;
	switch (op) {
	case FP_ADD: return is_inf(a) && is_inf(b) && (a >> 63) != neg_b ? PPC_FPSCR_VXISI : 0;
	case FP_SUB: return is_inf(a) && is_inf(b) && (a >> 63) == neg_b ? PPC_FPSCR_VXISI : 0;
	case FP_MUL:
		return (is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c)) ? PPC_FPSCR_VXIMZ : 0;
	case FP_DIV:
		if (is_inf(a) && is_inf(b))
			return PPC_FPSCR_VXIDI;
		return is_zero(a) && is_zero(b) ? PPC_FPSCR_VXZDZ : 0;
	case FP_SQRT:
	case FP_RSQRTE: return neg_b && !is_zero(b) ? PPC_FPSCR_VXSQRT : 0;
	case FP_MADD:
	case FP_MSUB:
	case FP_NMADD:
	case FP_NMSUB: {
		if ((is_inf(a) && is_zero(c)) || (is_zero(a) && is_inf(c)))
			return PPC_FPSCR_VXIMZ;
		bool sub = op == FP_MSUB || op == FP_NMSUB;
		bool prod_neg = (a >> 63) != (c >> 63);
		if ((is_inf(a) || is_inf(c)) && is_inf(b) && (prod_neg != (neg_b != sub)))
			return PPC_FPSCR_VXISI;
		return 0;
	}
	default: return 0;
	}
}

/*
 * The arithmetic instructions. Returns true and *res if FRT is written.
 */
static bool fp_arith(struct cpu_ppc *c, enum fp_op op, uint64_t a, uint64_t b, uint64_t cc,
		     bool single, uint64_t *res)
{
	uint32_t f = (uint32_t)c->fpscr, inv;
	unsigned ops = fp_operands(op);
	const uint64_t opnd[3] = { a, b, cc };
	bool negate = op == FP_NMADD || op == FP_NMSUB;
	int rn = fp_host_rn[f & PPC_FPSCR_RN], exc_z, exc;
	uint64_t r;

	/* Step 1: NaN operands, in the order FRA, FRB, FRC. */
	bool snan = false;
	int nan = -1;
	for (int i = 0; i < 3; i++) {
		if (!(ops & (1u << i)) || !is_nan(opnd[i]))
			continue;
		snan |= is_snan(opnd[i]);
		if (nan < 0)
			nan = i;
	}
	if (nan >= 0) {
		/* A multiply-add of 0 x inf with a NaN addend is still an invalid
		 * multiplication (VXIMZ), and returns the NaN. */
		bool imz = ops == 7 && !is_nan(a) && !is_nan(cc) &&
			   ((is_inf(a) && is_zero(cc)) || (is_zero(a) && is_inf(cc)));
		if (snan || imz)
			fp_raise(c, (snan ? PPC_FPSCR_VXSNAN : 0) | (imz ? PPC_FPSCR_VXIMZ : 0));
		fp_set_fr_fi(c, false, false);
		if ((snan || imz) && (f & PPC_FPSCR_VE))
			return false;
		r = opnd[nan] | D_QUIET;
		if (single)
			r &= ~0x1fffffffull;
		fp_set_fprf(c, r, single);
		*res = r;
		return true;
	}
	/* Step 2: invalid operations -> default QNaN. */
	inv = fp_invalid(op, a, b, cc);
	if (inv) {
		fp_raise(c, inv);
		fp_set_fr_fi(c, false, false);
		if (f & PPC_FPSCR_VE)
			return false;
		*res = DNAN;
		fp_set_fprf(c, DNAN, single);
		return true;
	}
	/* Step 3: zero divide (division, reciprocal estimates). */
	if (((op == FP_DIV && !is_inf(a) && !is_zero(a)) || op == FP_RE || op == FP_RSQRTE) &&
	    is_zero(b)) {
		fp_raise(c, PPC_FPSCR_ZX);
		fp_set_fr_fi(c, false, false);
		if (f & PPC_FPSCR_ZE)
			return false;
		r = D_EXP | ((op == FP_DIV ? (a ^ b) : b) & D_SIGN);
		*res = r;
		fp_set_fprf(c, r, single);
		return true;
	}

	/* Step 4: the rounded result. */
	double rz = fp_host_op(op, a, b, cc, FE_TOWARDZERO, &exc_z);
	bool inexact = exc_z & FE_INEXACT, overflow, tiny;
	double rd, tr;
	if (!single) {
		rd = fp_host_op(op, a, b, cc, rn, &exc);
		overflow = exc & FE_OVERFLOW;
		tiny = fabs(rz) < DBL_MIN && (rz != 0 || inexact);
		tr = rz;
	} else if (!inexact) {
		/* Exact in double: one rounding to single (this also gives the
		 * sign of an exact zero sum in the current mode). */
		volatile double vx = fp_host_op(op, a, b, cc, rn, &exc);
		volatile float fr;
		int saved = fegetround();
		fesetround(rn);
		feclearexcept(FE_ALL_EXCEPT);
		fr = (float)vx;
		exc = fetestexcept(FE_ALL_EXCEPT);
		fesetround(saved);
		rd = fr;
		inexact = exc & FE_INEXACT;
		overflow = exc & FE_OVERFLOW;
		fesetround(FE_TOWARDZERO);
		volatile float ft = (float)vx;
		fesetround(saved);
		tr = ft;
		tiny = fabs(vx) < (double)FLT_MIN && vx != 0;
	} else {
		/* Round to odd in double, then once to single. */
		uint64_t odd = u_of(rz);
		if (inexact && !is_inf(odd))
			odd |= 1;
		int saved = fegetround();
		volatile double vo = d_of(odd), vz = rz;
		volatile float fr, ft;
		fesetround(rn);
		feclearexcept(FE_ALL_EXCEPT);
		fr = (float)vo;
		exc = fetestexcept(FE_ALL_EXCEPT);
		fesetround(FE_TOWARDZERO);
		ft = (float)vz;
		fesetround(saved);
		rd = fr;
		tr = ft;
		inexact |= (exc & FE_INEXACT) != 0;
		overflow = exc & FE_OVERFLOW;
		tiny = fabs(rz) < (double)FLT_MIN && (rz != 0 || inexact);
	}
	if (op == FP_RE || op == FP_RSQRTE) {
		/* Estimates: FR and FI undefined, XX not set (4.6.7); we clear them. */
		inexact = false;
		tr = rd;
	}
	if (overflow)
		fp_raise(c, PPC_FPSCR_OX | PPC_FPSCR_XX);
	if (tiny && (inexact || (f & PPC_FPSCR_UE)))
		fp_raise(c, PPC_FPSCR_UX);
	if (inexact)
		fp_raise(c, PPC_FPSCR_XX);
	fp_set_fr_fi(c, inexact && fabs(rd) > fabs(tr), inexact || overflow);
	r = u_of(rd);
	if (negate)
		r ^= D_SIGN;
	fp_set_fprf(c, r, single);
	*res = r;
	return true;
}

/* ------------------------------------------------------------ conversions */

/*
 * fctiw[z] / fctiwu[z] / fctid[z] / fctidu[z] (4.6.7): width 32/64,
 * rounding from RN or toward zero. NaN or out of range: VXCVI (and VXSNAN),
 * the saturated value; FPRF is undefined (left unchanged here).
 */
static bool fp_cvt_int(struct cpu_ppc *c, uint64_t b, unsigned width, bool is_unsigned,
		       bool toward_zero, uint64_t *res)
{
	uint32_t f = (uint32_t)c->fpscr;
	double x = d_of(b), r;
	int rn = toward_zero ? FE_TOWARDZERO : fp_host_rn[f & PPC_FPSCR_RN];
	double lo = is_unsigned ? 0.0 : (width == 32 ? -2147483648.0 : -9223372036854775808.0);
	double hi = is_unsigned ? (width == 32 ? 4294967296.0 : 18446744073709551616.0) :
				  (width == 32 ? 2147483648.0 : 9223372036854775808.0);
	uint64_t minv = is_unsigned ? 0 : (width == 32 ? 0xffffffff80000000ull : 1ull << 63);
	uint64_t maxv = is_unsigned ? (width == 32 ? 0xffffffffull : ~0ull) :
				      (width == 32 ? 0x7fffffffull : ~0ull >> 1);
	uint64_t v;

	if (is_nan(b)) {
		fp_raise(c, PPC_FPSCR_VXCVI | (is_snan(b) ? PPC_FPSCR_VXSNAN : 0));
		fp_set_fr_fi(c, false, false);
		if (f & PPC_FPSCR_VE)
			return false;
		v = is_unsigned ? 0 : (width == 32 ? 0x80000000ull : 1ull << 63);
		*res = v;
		return true;
	}
	int saved = fegetround();
	fesetround(rn);
	volatile double vx = x;
	r = nearbyint(vx);
	fesetround(saved);
	if (r < lo || r >= hi) {
		fp_raise(c, PPC_FPSCR_VXCVI);
		fp_set_fr_fi(c, false, false);
		if (f & PPC_FPSCR_VE)
			return false;
		*res = r < lo ? minv : maxv;
		return true;
	}
	if (is_unsigned)
		v = width == 32 ? (uint64_t)(uint32_t)r : (uint64_t)r;
	else
		v = (uint64_t)(int64_t)r;
	if (r != x)
		fp_raise(c, PPC_FPSCR_XX);
	fp_set_fr_fi(c, fabs(r) > fabs(x), r != x);
	*res = v;
	return true;
}

/* frin / friz / frip / frim (4.6.6): round to an integral value; no XX. */
static bool fp_round_int(struct cpu_ppc *c, uint64_t b, unsigned mode, uint64_t *res)
{
	double x = d_of(b), r;

	if (is_nan(b)) {
		if (is_snan(b))
			fp_raise(c, PPC_FPSCR_VXSNAN);
		fp_set_fr_fi(c, false, false);
		if (is_snan(b) && (c->fpscr & PPC_FPSCR_VE))
			return false;
		*res = b | D_QUIET;
		fp_set_fprf(c, *res, false);
		return true;
	}
	switch (mode) {
	case 0: r = round(x); break;
	case 1: r = trunc(x); break;
	case 2: r = ceil(x); break;
	case 3: r = floor(x); break;
	default: { /* xsrdpic: the current rounding mode, inexact signalled */
		int saved = fegetround();
		volatile double vx = x;
		fesetround(fp_host_rn[c->fpscr & PPC_FPSCR_RN]);
		r = nearbyint(vx);
		fesetround(saved);
		if (r != x) {
			fp_raise(c, PPC_FPSCR_XX);
			fp_set_fr_fi(c, fabs(r) > fabs(x), true);
			*res = u_of(r);
			fp_set_fprf(c, *res, false);
			return true;
		}
		break;
	}
	}
	fp_set_fr_fi(c, false, false);
	*res = u_of(r);
	fp_set_fprf(c, *res, false);
	return true;
}

/* ------------------------------------------------------------ compare, FPSCR moves */

/* fcmpu / fcmpo (4.6.8): CR field BF and FPCC = FL FG FE FU. */
static void fp_compare(struct cpu_ppc *c, unsigned bf, uint64_t a, uint64_t b, bool ordered)
{
	unsigned cc;
	double x = d_of(a), y = d_of(b);

	if (is_nan(a) || is_nan(b)) {
		bool snan = is_snan(a) || is_snan(b);
		cc = 1;
		if (snan)
			fp_raise(c, PPC_FPSCR_VXSNAN);
		if (ordered && (!snan || !(c->fpscr & PPC_FPSCR_VE)))
			fp_raise(c, PPC_FPSCR_VXVC);
	} else {
		cc = x < y ? 8 : x > y ? 4 : 2;
	}
	c->crf[bf] = cc;
	c->fpscr = (c->fpscr & ~(uint64_t)PPC_FPSCR_FPCC) | ((uint64_t)cc << PPC_FPSCR_FPRF_SHIFT);
}

/* The exception bits of each FPSCR field, cleared by mcrfs (4.6.9). */
static uint32_t fp_field_exc(unsigned field)
{
	return (PPC_FPSCR_FX | PPC_FPSCR_EXC_ALL) & (0xf0000000u >> (4 * field));
}

/* mtfsf / mtfsfi / mtfsb0 / mtfsb1 write FPSCR: FEX and VX are recomputed,
 * never written (4.6.9). */
static void fp_write_fpscr(struct cpu_ppc *c, uint32_t val, uint32_t mask)
{
	mask &= ~(PPC_FPSCR_FEX | PPC_FPSCR_VX | PPC_FPSCR_RESERVED);
	c->fpscr = ((uint32_t)c->fpscr & ~mask) | (val & mask);
}

/* ------------------------------------------------------------ the helper */

static uint64_t *fpr(struct cpu_ppc *c, unsigned n)
{
	return &c->vsr[n][0];
}

/* Opcode 63/59 A-form extended opcodes (bits 26:30). */
static enum fp_op fp_aform_op(unsigned xo)
{
	switch (xo) {
	case 18: return FP_DIV;
	case 20: return FP_SUB;
	case 21: return FP_ADD;
	case 22: return FP_SQRT;
	case 24: return FP_RE;
	case 25: return FP_MUL;
	case 26: return FP_RSQRTE;
	case 28: return FP_MSUB;
	case 29: return FP_MADD;
	case 30: return FP_NMSUB;
	default: return FP_NMADD;
	}
}

/* The X-form instructions of opcode 63 (and fcfid[u]s of 59). Returns true
 * if FRT should get *res. */
static bool fp_xform(struct cpu_ppc *c, uint32_t insn, bool single, uint64_t *res)
{
	unsigned xo = (insn >> 1) & 0x3ff, rt = ppc_rt(insn), ra = ppc_ra(insn);
	uint64_t b = *fpr(c, ppc_rb(insn));
	uint32_t f = (uint32_t)c->fpscr;

	switch (xo) {
	case 0: /* fcmpu */
	case 32: /* fcmpo */ fp_compare(c, rt >> 2, *fpr(c, ra), b, xo == 32); return false;
	case 12: return fp_arith(c, FP_RSP, 0, b, 0, true, res);
	case 14: return fp_cvt_int(c, b, 32, false, false, res);
	case 15: return fp_cvt_int(c, b, 32, false, true, res);
	case 142: return fp_cvt_int(c, b, 32, true, false, res);
	case 143: return fp_cvt_int(c, b, 32, true, true, res);
	case 814: return fp_cvt_int(c, b, 64, false, false, res);
	case 815: return fp_cvt_int(c, b, 64, false, true, res);
	case 942: return fp_cvt_int(c, b, 64, true, false, res);
	case 943: return fp_cvt_int(c, b, 64, true, true, res);
	case 846: return fp_arith(c, FP_CFID, 0, b, 0, single, res);
	case 974: return fp_arith(c, FP_CFIDU, 0, b, 0, single, res);
	case 392: return fp_round_int(c, b, 0, res);
	case 424: return fp_round_int(c, b, 1, res);
	case 456: return fp_round_int(c, b, 2, res);
	case 488: return fp_round_int(c, b, 3, res);
	case 38: /* mtfsb1 BT */
		if ((0x80000000u >> rt) & PPC_FPSCR_EXC_ALL)
			fp_raise(c, 0x80000000u >> rt);
		else
			fp_write_fpscr(c, ~0u, 0x80000000u >> rt);
		return false;
	case 70: /* mtfsb0 BT */ fp_write_fpscr(c, 0, 0x80000000u >> rt); return false;
	case 64: { /* mcrfs BF,BFA */
		unsigned bfa = ra >> 2;
		c->crf[rt >> 2] = (f >> (28 - 4 * bfa)) & 0xf;
		c->fpscr = f & ~fp_field_exc(bfa);
		return false;
	}
	case 134: { /* mtfsfi BF,U (W = 0) */
		unsigned bf = rt >> 2, u = (insn >> 12) & 0xf;
		if (insn & (1u << 16))
			return false; /* W = 1: the DFP half, not implemented (no-op) */
		fp_write_fpscr(c, u << (28 - 4 * bf), 0xf0000000u >> (4 * bf));
		return false;
	}
	case 583: { /* mffs and the v3.0 variants, by bits 11:15 (4.6.9) */
		const uint32_t ctrl = 0xf8u | PPC_FPSCR_NI | PPC_FPSCR_RN; /* enables NI RN */
		switch (ra) {
		case 0: *res = (uint32_t)c->fpscr; return true;
		case 1: /* mffsce: and clear the enables */
			*res = (uint32_t)c->fpscr;
			c->fpscr &= ~(uint64_t)0xf8u;
			return true;
		case 22: /* mffscrn FRB: the controls, RN = FRB[62:63] */
		case 23: /* mffscrni RM */
			*res = (uint32_t)c->fpscr & ctrl;
			c->fpscr = (c->fpscr & ~(uint64_t)PPC_FPSCR_RN) |
				   (ra == 22 ? (b & 3) : ((insn >> 11) & 3));
			return true;
		case 24: /* mffsl: controls and FR FI FPRF */
			*res = (uint32_t)c->fpscr &
			       (ctrl | PPC_FPSCR_FR | PPC_FPSCR_FI | PPC_FPSCR_FPRF);
			return true;
		default: return false;
		}
	}
	case 711: { /* mtfsf FLM,FRB,L,W */
		unsigned flm = (insn >> 17) & 0xff;
		uint32_t mask = 0;
		if (insn & (1u << 25)) {
			mask = ~0u;
		} else {
			if (insn & (1u << 16))
				return false; /* W = 1: the DFP half */
			for (unsigned i = 0; i < 8; i++)
				if (flm & (0x80u >> i))
					mask |= 0xf0000000u >> (4 * i);
		}
		fp_write_fpscr(c, (uint32_t)b, mask);
		return false;
	}
	default: return false;
	}
}

uint64_t ppc_helper_fp(struct cpu *cpu, uint64_t insn_w, uint64_t pc, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint32_t insn = (uint32_t)insn_w;
	unsigned po = insn >> 26, rt = ppc_rt(insn);
	bool single = po == 59, write;
	uint64_t res = 0, fex_before = c->fpscr & PPC_FPSCR_FEX;
	(void)u1;
	(void)u2;

	if (((insn >> 1) & 0x1f) >= 18) {
		enum fp_op op = fp_aform_op((insn >> 1) & 0x1f);
		write = fp_arith(c, op, *fpr(c, ppc_ra(insn)), *fpr(c, ppc_rb(insn)),
				 *fpr(c, (insn >> 6) & 31), single, &res);
	} else {
		write = fp_xform(c, insn, single, &res);
	}
	fp_summary(c);
	if (write) {
		/* Doubleword 1 of the VSR: undefined before v3.1, 0 from v3.1 on
		 * (and on POWER8/9 hardware). */
		*fpr(c, rt) = res;
		c->vsr[rt][1] = 0;
	}
	if (insn & 1) /* Rc: CR1 = FX FEX VX OX */
		c->crf[1] = (c->fpscr >> 28) & 0xf;
	/* Floating-point enabled exception, precise mode (Book III 7.5.9). */
	if (!fex_before && (c->fpscr & PPC_FPSCR_FEX) && (c->msr & (PPC_MSR_FE0 | PPC_MSR_FE1)))
		ppc_helper_program(cpu, pc, PPC_SRR1_PROG_FP, 0, 0);
	return 0;
}

/* ------------------------------------------------------------ VSX scalar */

/*
 * The VSX scalar floating-point instructions (Book I 7.6): the operations of
 * the FP instructions above on doubleword 0 of VSR 0..63, with the same
 * FPSCR effects; doubleword 1 of XT is set to 0 (undefined before v3.1).
 * Multiply-add "A" forms compute XA * XB + XT, "M" forms XA * XT + XB.
 * xscvdpsp / xscvdpspn and the word conversions leave their 32-bit result in
 * words 0 and 1 (word 1 is undefined in v3.0; POWER9 replicates).
 * xsmaxdp / xsmindp follow IEEE maxNum / minNum, +0 above -0.
 */
static bool fp_vsx_xx3(struct cpu_ppc *c, unsigned xo, uint64_t a, uint64_t b, uint64_t t,
		       uint32_t insn, uint64_t *res)
{
	unsigned base = xo >= 128 ? xo - 128 : xo; /* xsnm*: 128 + the xsm* opcode */
	bool single = base < 32;
	unsigned k = base & 0x1f;

	switch (xo) {
	case 35: /* xscmpudp BF */
	case 43: /* xscmpodp */ fp_compare(c, ppc_rt(insn) >> 2, a, b, xo == 43); return false;
	case 176: /* xscpsgndp */ *res = (a & D_SIGN) | (b & ~D_SIGN); return true;
	case 160:   /* xsmaxdp */
	case 168: { /* xsmindp */
		/* IEEE maxNum/minNum: an SNaN gives its QNaN, one QNaN the other. */
		bool max = xo == 160;
		if (is_snan(a) || is_snan(b))
			fp_raise(c, PPC_FPSCR_VXSNAN);
		if (is_snan(a) || (is_nan(a) && is_nan(b)))
			*res = a | D_QUIET;
		else if (is_snan(b))
			*res = b | D_QUIET;
		else if (is_nan(a))
			*res = b;
		else if (is_nan(b))
			*res = a;
		else if (is_zero(a) && is_zero(b))
			*res = max ? (a & b) : (a | b); /* +0 > -0 */
		else
			*res = (d_of(a) > d_of(b)) == max ? a : b;
		return !((is_snan(a) || is_snan(b)) && (c->fpscr & PPC_FPSCR_VE));
	}
	default: break;
	}
	switch (k) {
	case 0: return fp_arith(c, FP_ADD, a, b, 0, single, res);
	case 8: return fp_arith(c, FP_SUB, a, b, 0, single, res);
	case 16: return fp_arith(c, FP_MUL, a, 0, b, single, res);
	case 24: return fp_arith(c, FP_DIV, a, b, 0, single, res);
	default: break;
	}
	/* Multiply-adds: k = 1 (madd a), 9 (madd m), 17 (msub a), 25 (msub m). */
	bool m_form = k == 9 || k == 25, sub = k == 17 || k == 25, neg = xo >= 128;
	enum fp_op op = neg ? (sub ? FP_NMSUB : FP_NMADD) : (sub ? FP_MSUB : FP_MADD);
	return m_form ? fp_arith(c, op, a, b, t, single, res) :
			fp_arith(c, op, a, t, b, single, res);
}

static bool fp_vsx_xx2(struct cpu_ppc *c, unsigned xo, uint64_t b, uint64_t *res)
{
	uint64_t w = b >> 32; /* word 0: a single-format operand */

	switch (xo) {
	case 75: return fp_arith(c, FP_SQRT, 0, b, 0, false, res);
	case 11: return fp_arith(c, FP_SQRT, 0, b, 0, true, res);
	case 90: return fp_arith(c, FP_RE, 0, b, 0, false, res);
	case 26: return fp_arith(c, FP_RE, 0, b, 0, true, res);
	case 74: return fp_arith(c, FP_RSQRTE, 0, b, 0, false, res);
	case 10: return fp_arith(c, FP_RSQRTE, 0, b, 0, true, res);
	case 281: return fp_arith(c, FP_RSP, 0, b, 0, true, res); /* xsrsp */
	case 73: return fp_round_int(c, b, 0, res);
	case 89: return fp_round_int(c, b, 1, res);
	case 105: return fp_round_int(c, b, 2, res);
	case 121: return fp_round_int(c, b, 3, res);
	case 107: return fp_round_int(c, b, 4, res);
	case 344: return fp_cvt_int(c, b, 64, false, true, res);
	case 328: return fp_cvt_int(c, b, 64, true, true, res);
	case 88:
	case 72: { /* the word result in words 0 and 1 (as POWER9 and qemu do) */
		bool ok = fp_cvt_int(c, b, 32, xo == 72, true, res);
		*res = (*res & 0xffffffffull) * 0x100000001ull;
		return ok;
	}
	case 376: return fp_arith(c, FP_CFID, 0, b, 0, false, res);
	case 360: return fp_arith(c, FP_CFIDU, 0, b, 0, false, res);
	case 312: return fp_arith(c, FP_CFID, 0, b, 0, true, res);
	case 296: return fp_arith(c, FP_CFIDU, 0, b, 0, true, res);
	case 265: { /* xscvdpsp: round to single, single format in words 0 and 1 */
		bool ok = fp_arith(c, FP_RSP, 0, b, 0, true, res);
		*res = (uint64_t)ppc_fp_double_to_single(*res) * 0x100000001ull;
		return ok;
	}
	case 267: /* xscvdpspn: no FPSCR change; defined for values representable
		   in single format, which move exactly (as stfs) */
		*res = (uint64_t)ppc_fp_double_to_single(b) * 0x100000001ull;
		return true;
	case 329: { /* xscvspdp: an FP operation (SNaN signals) */
		uint64_t d = ppc_fp_single_to_double((uint32_t)w);
		return fp_arith(c, FP_RSP, 0, d, 0, false, res);
	}
	case 331: /* xscvspdpn */ *res = ppc_fp_single_to_double((uint32_t)w); return true;
	case 345: *res = b & ~D_SIGN; return true; /* xsabsdp */
	case 361: *res = b | D_SIGN; return true;  /* xsnabsdp */
	case 377: *res = b ^ D_SIGN; return true;  /* xsnegdp */
	default: return false;
	}
}

uint64_t ppc_helper_vsx_fp(struct cpu *cpu, uint64_t insn_w, uint64_t xx2, uint64_t pc, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint32_t insn = (uint32_t)insn_w;
	unsigned xt = ppc_rt(insn) | ((insn & 1) << 5);
	unsigned xb = ppc_rb(insn) | (((insn >> 1) & 1) << 5);
	unsigned xa = ppc_ra(insn) | (((insn >> 2) & 1) << 5);
	uint64_t res = 0, fex_before = c->fpscr & PPC_FPSCR_FEX;
	bool write;
	(void)u2;

	if (xx2)
		write = fp_vsx_xx2(c, (insn >> 2) & 0x1ff, c->vsr[xb][0], &res);
	else
		write = fp_vsx_xx3(c, (insn >> 3) & 0xff, c->vsr[xa][0], c->vsr[xb][0],
				   c->vsr[xt][0], insn, &res);
	fp_summary(c);
	if (write) {
		c->vsr[xt][0] = res;
		c->vsr[xt][1] = 0;
	}
	if (!fex_before && (c->fpscr & PPC_FPSCR_FEX) && (c->msr & (PPC_MSR_FE0 | PPC_MSR_FE1)))
		ppc_helper_program(cpu, pc, PPC_SRR1_PROG_FP, 0, 0);
	return 0;
}

/*
 * VSX vector double precision (Book I 7.6.1): each doubleword element is
 * computed as the scalar xs*dp instruction computes doubleword 0 (the XX3
 * opcode 64 above it, the XX2 one 128 above), exceptions accumulating in
 * FPSCR. Vector single precision the same on each of the four words, taken
 * exactly as doubles and computed as the xs*sp instruction (rounded once
 * to single; max/min, compares and round-to-integer as the double-precision
 * ones on the exact values; xvcv[us]xwsp convert each word as an integer).
 * A vector instruction does not change FPRF, FR or FI. If any element
 * raises an enabled exception (VE with a VX* bit, OE with OX, UE with UX,
 * ZE with ZX, XE with XX: the pseudocode's ex_flag), XT is not written at
 * all, not even the other elements. The compares (xvcmp{eq,gt,ge}{dp,sp}[.])
 * give all-ones / zero elements and, with Rc, CR6 = all true (0b1000) /
 * all false (0b0010).
 */
static uint64_t fp_vcompare(struct cpu_ppc *c, unsigned xo7, uint64_t a, uint64_t b)
{
	bool snan = is_snan(a) || is_snan(b), r;

	if (is_nan(a) || is_nan(b)) {
		if (snan)
			fp_raise(c, PPC_FPSCR_VXSNAN);
		/* gt / ge are ordered compares: VXVC for any NaN (not when an
		 * SNaN's VXSNAN is enabled). */
		if (xo7 != 99 && (!snan || !(c->fpscr & PPC_FPSCR_VE)))
			fp_raise(c, PPC_FPSCR_VXVC);
		return 0;
	}
	r = xo7 == 99 ? d_of(a) == d_of(b) : xo7 == 107 ? d_of(a) > d_of(b) : d_of(a) >= d_of(b);
	return r ? ~0ull : 0;
}

/* Element i of VSR x: doubleword i, or (sp) word i as a double (exact). */
static uint64_t vfp_elem_get(const struct cpu_ppc *c, unsigned x, unsigned i, bool sp)
{
	if (!sp)
		return c->vsr[x][i];
	return ppc_fp_single_to_double((uint32_t)(c->vsr[x][i >> 1] >> ((i & 1) ? 0 : 32)));
}

/* Write element i: a doubleword, or (sp) word i (v: a single-format word,
 * or all-ones / zero from a compare). */
static void vfp_elem_put(struct cpu_ppc *c, unsigned x, unsigned i, bool sp, uint64_t v)
{
	unsigned sh = (i & 1) ? 0 : 32;

	if (!sp) {
		c->vsr[x][i] = v;
		return;
	}
	c->vsr[x][i >> 1] = (c->vsr[x][i >> 1] & ~(0xffffffffull << sh)) | (v & 0xffffffffull)
										   << sh;
}

/* Does the exception set e (FPSCR bits) contain one the FPSCR f enables? */
static bool fp_exc_enabled(uint32_t f, uint32_t e)
{
	return ((e & PPC_FPSCR_VX_ALL) && (f & PPC_FPSCR_VE)) ||
	       ((e & PPC_FPSCR_OX) && (f & PPC_FPSCR_OE)) ||
	       ((e & PPC_FPSCR_UX) && (f & PPC_FPSCR_UE)) ||
	       ((e & PPC_FPSCR_ZX) && (f & PPC_FPSCR_ZE)) ||
	       ((e & PPC_FPSCR_XX) && (f & PPC_FPSCR_XE));
}

/*
 * The conversions between element sizes (Book I 7.6.1) work on two
 * elements: doubleword i, or word 2i (words 0 and 2). A word result is
 * written to words 2i and 2i + 1 (undefined in v3.0; POWER9 replicates).
 * Each computes as a scalar instruction: xvcvspdp as xscvspdp, xvcvdpsp as
 * xscvdpsp, xvcvsp[su]xds as xscvdp[su]xds on the exact double,
 * xvcvdp[su]xws as xscvdp[su]xws, xvcv[su]xdsp as xscv[su]xdsp,
 * xvcv[su]xwdp as xscv[su]xddp on the extended word; xvcvsp[su]xws convert
 * all four words as xscvdp[su]xws. The estimates xvre{s,d}p and
 * xvrsqrte{s,d}p as xsre{s,d}p and xsrsqrte{s,d}p.
 */
struct vfp_cvt {
	uint16_t xo9, op;
	bool src_w, dst_w, four; /* word source / word result / all four words */
};

static const struct vfp_cvt vfp_cvts[] = {
	{ 457, 329, true, false, false }, /* xvcvspdp */
	{ 393, 265, false, true, false }, /* xvcvdpsp */
	{ 408, 344, true, false, false }, /* xvcvspsxds */
	{ 392, 328, true, false, false }, /* xvcvspuxds */
	{ 216, 88, false, true, false },  /* xvcvdpsxws */
	{ 200, 72, false, true, false },  /* xvcvdpuxws */
	{ 440, 312, false, true, false }, /* xvcvsxdsp */
	{ 424, 296, false, true, false }, /* xvcvuxdsp */
	{ 248, 376, true, false, false }, /* xvcvsxwdp */
	{ 232, 360, true, false, false }, /* xvcvuxwdp */
	{ 152, 88, true, true, true },    /* xvcvspsxws */
	{ 136, 72, true, true, true },    /* xvcvspuxws */
	{ 168, 296, true, true, true },   /* xvcvuxwsp */
	{ 184, 312, true, true, true },   /* xvcvsxwsp */
	{ 154, 26, true, true, true },    /* xvresp */
	{ 138, 10, true, true, true },    /* xvrsqrtesp */
};

static const struct vfp_cvt *vfp_cvt_of(unsigned xo9)
{
	for (size_t i = 0; i < SV_ARRAY_SIZE(vfp_cvts); i++)
		if (vfp_cvts[i].xo9 == xo9)
			return &vfp_cvts[i];
	return NULL;
}

/* Word w of VSR x. */
static uint32_t vsr_word(const struct cpu_ppc *c, unsigned x, unsigned w)
{
	return (uint32_t)(c->vsr[x][w >> 1] >> ((w & 1) ? 0 : 32));
}

uint64_t ppc_helper_vsx_vfp(struct cpu *cpu, uint64_t insn_w, uint64_t xx2, uint64_t pc,
			    uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint32_t insn = (uint32_t)insn_w;
	unsigned xt = ppc_rt(insn) | ((insn & 1) << 5);
	unsigned xb = ppc_rb(insn) | (((insn >> 1) & 1) << 5);
	unsigned xa = ppc_ra(insn) | (((insn >> 2) & 1) << 5);
	uint64_t keep = c->fpscr & (PPC_FPSCR_FPRF | PPC_FPSCR_FR | PPC_FPSCR_FI);
	uint64_t fex_before = c->fpscr & PPC_FPSCR_FEX, res[4];
	uint32_t before = (uint32_t)c->fpscr, raised = 0;
	bool write[4], ex_flag = false, all_true = true, all_false = true;
	unsigned xo7 = (insn >> 3) & 0x7f, xo8 = (insn >> 3) & 0xff, xo9 = (insn >> 2) & 0x1ff;
	const struct vfp_cvt *cv = xx2 ? vfp_cvt_of(xo9) : NULL;
	bool sp = xx2 ? xo9 < 192 : xo8 < 96 || (xo8 >= 192 && xo8 < 224);
	bool cmp = !xx2 &&
		   (xo7 == 99 || xo7 == 107 || xo7 == 115 || xo7 == 67 || xo7 == 75 || xo7 == 83);
	unsigned n = sp ? 4 : 2, op;
	(void)u2;

	/* The scalar opcode computing one element (see above). */
	if (cv) {
		op = cv->op;
		n = cv->four ? 4 : 2;
		sp = false;
	} else if (cmp) {
		op = sp ? xo7 + 32 : xo7;
	} else if (xx2) {
		op = !sp ? xo9 - 128 : xo9 == 139 ? 11 : xo9 - 64; /* xvsqrtsp, xvrspi* */
	} else if (sp && xo8 >= 192 && (xo8 & 7) == 0) {
		op = xo8 - 32; /* xv{max,min}sp as xs{max,min}dp on the exact doubles */
	} else {
		op = xo8 - 64;
	}
	for (unsigned i = 0; i < n; i++) {
		/* Four word elements (cv->four, always a word source): b comes
		 * from vsr_word below, and a and t mean nothing (XX2 form). */
		bool words = cv && cv->four;
		uint64_t a = words ? 0 : vfp_elem_get(c, xa, i, sp);
		uint64_t b = words ? 0 : vfp_elem_get(c, xb, i, sp);
		uint64_t t = words ? 0 : vfp_elem_get(c, xt, i, sp);
		if (cv && cv->src_w) {
			uint32_t word = vsr_word(c, xb, cv->four ? i : 2 * i);
			if (op == 296 || op == 312 || op == 360 || op == 376) /* an integer */
				b = op == 312 || op == 376 ? (uint64_t)(int64_t)(int32_t)word :
							     word;
			else if (op == 329) /* xscvspdp's operand: word 0 */
				b = (uint64_t)word << 32;
			else
				b = ppc_fp_single_to_double(word);
		}
		/* Each element's own exception flags (reset_xflags()): run it on
		 * an FPSCR with the exception bits clear, then merge. */
		c->fpscr &= ~(uint64_t)PPC_FPSCR_EXC_ALL;
		if (cmp) {
			res[i] = fp_vcompare(c, op, a, b);
			write[i] = true;
			all_true &= res[i] != 0;
			all_false &= res[i] == 0;
		} else if (xx2) {
			write[i] = fp_vsx_xx2(c, op, b, &res[i]);
		} else {
			write[i] = fp_vsx_xx3(c, op, a, b, t, insn, &res[i]);
		}
		if (cv && cv->dst_w && op != 72 && op != 88 && op != 265)
			res[i] = ppc_fp_double_to_single(res[i]);
		else if (sp && !cmp)
			res[i] = ppc_fp_double_to_single(res[i]);
		uint32_t e = (uint32_t)c->fpscr & PPC_FPSCR_EXC_ALL;
		ex_flag |= fp_exc_enabled(before, e);
		raised |= e;
	}
	/* SetFX: FX when an exception bit goes from 0 to 1. */
	c->fpscr &= ~(uint64_t)(PPC_FPSCR_EXC_ALL | PPC_FPSCR_FX | PPC_FPSCR_FPRF | PPC_FPSCR_FR |
				PPC_FPSCR_FI);
	c->fpscr |= keep | (before & (PPC_FPSCR_EXC_ALL | PPC_FPSCR_FX)) | raised;
	if (raised & ~before)
		c->fpscr |= PPC_FPSCR_FX;
	fp_summary(c);
	for (unsigned i = 0; i < n; i++) {
		if (!write[i] || ex_flag)
			continue;
		if (cv && cv->dst_w && !cv->four) {
			vfp_elem_put(c, xt, 2 * i, true, res[i]);
			vfp_elem_put(c, xt, 2 * i + 1, true, res[i]);
		} else {
			vfp_elem_put(c, xt, i, (cv && cv->dst_w) || sp, res[i]);
		}
	}
	if (cmp && (insn & (1u << 10)))
		c->crf[6] = (all_true ? 8u : 0u) | (all_false ? 2u : 0u);
	if (!fex_before && (c->fpscr & PPC_FPSCR_FEX) && (c->msr & (PPC_MSR_FE0 | PPC_MSR_FE1)))
		ppc_helper_program(cpu, pc, PPC_SRR1_PROG_FP, 0, 0);
	return 0;
}
