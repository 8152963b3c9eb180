/*
 * VMX (Altivec) floating point (Power ISA v3.0B Book I 6.13): four
 * single-precision words per VR, computed with the host's float arithmetic
 * in round-to-nearest-even whatever FPSCR[RN] says, and without any effect
 * on FPSCR (VMX floating point has no exception status). Special rules:
 *
 *  - Non-Java mode (VSCR[NJ] = 1): a denormal operand is taken as a zero of
 *    its sign, a tiny result (underflow: below the smallest normal before
 *    rounding) is replaced by a zero of its sign.
 *  - A NaN operand gives that NaN quieted, the first one in the order VRA,
 *    VRB, VRC; an invalid operation (inf - inf, 0 x inf, ...) the default
 *    QNaN 0x7FC00000.
 *  - vmaddfp / vnmsubfp round once (fused); vnmsubfp negates the rounded
 *    result of VRA x VRC - VRB (not a NaN).
 *  - The estimates (vrefp, vrsqrtefp, vexptefp, vlogefp) are architected
 *    only to a precision (1/4096 relative for the reciprocals, 1/16 for the
 *    exponent, 1/32 absolute for the logarithm): softvisor returns the
 *    correctly rounded value, which is within it.
 *  - vctuxs / vctsxs saturate (VSCR[SAT]); a NaN converts to 0.
 *  - The compares give all-ones / zero words and, with Rc, CR6 (all true /
 *    all false; for vcmpbfp bit 2 = all within bounds).
 *
 * Example: vaddfp v1,v2,v3 with v2 = 1.0f x 4 and v3 = 2^-149 (denormal) x 4
 * gives 1.0f x 4 (rounded) with NJ = 0 or NJ = 1 alike, vmaxfp of them
 * gives v3 with NJ = 0 and +0 with NJ = 1.
 */
#include <fenv.h>
#include <float.h>
#include <math.h>

#include "cpu/ppc/translate.h"

#define VSCR_NJ 0x10000u
#define VSCR_SAT 0x1u
#define F_DNAN 0x7fc00000u
#define F_QUIET 0x00400000u

/* Word i (0..3, the ISA's element order) of VSR n. */
static uint32_t vfp_word(const struct cpu_ppc *c, unsigned n, unsigned i)
{
	return (uint32_t)(c->vsr[n][i >> 1] >> ((i & 1) ? 0 : 32));
}

static float f_of(uint32_t u)
{
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static uint32_t u_of(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

static bool f_nan(uint32_t u)
{
	return (u & 0x7fffffffu) > 0x7f800000u;
}

static bool f_denormal(uint32_t u)
{
	return !(u & 0x7f800000u) && (u & 0x007fffffu);
}

/* An operand as the instruction sees it (NJ: denormal -> signed zero). */
static uint32_t vfp_in(const struct cpu_ppc *c, uint32_t u)
{
	return (c->vscr & VSCR_NJ) && f_denormal(u) ? (u & 0x80000000u) : u;
}

/* A result as it is written (NJ: denormal -> signed zero). */
static uint32_t vfp_out(const struct cpu_ppc *c, uint32_t u)
{
	return (c->vscr & VSCR_NJ) && f_denormal(u) ? (u & 0x80000000u) : u;
}

/* The quieted first NaN of a, b, cc (n operands); 0 if none is a NaN. */
static bool vfp_nan(const uint32_t *op, unsigned n, uint32_t *res)
{
	for (unsigned i = 0; i < n; i++)
		if (f_nan(op[i])) {
			*res = op[i] | F_QUIET;
			return true;
		}
	return false;
}

/* The result of a float computed value: the default NaN for an invalid
 * operation (the host's NaN has another sign), else the value. */
static uint32_t vfp_val(float r)
{
	return isnan(r) ? F_DNAN : u_of(r);
}

/* The value of an arithmetic instruction or estimate in the host's
 * current rounding mode (operands neither NaN nor, with NJ, denormal). */
static float vfp_compute(unsigned xo, uint32_t ua, uint32_t ub, uint32_t uc)
{
	volatile float a = f_of(ua), b = f_of(ub), cc = f_of(uc);

	switch (xo) {
	case 10: return a + b;
	case 74: return a - b;
	case 46: return fmaf(a, cc, b);
	case 47: return fmaf(a, cc, -b);
	case 266: return 1.0f / b;                       /* vrefp */
	case 330: return (float)(1.0 / sqrt((double)b)); /* vrsqrtefp */
	case 394: return (float)exp2((double)b);         /* vexptefp */
	default: return (float)log2((double)b);          /* vlogefp */
	}
}

/*
 * The rounded (RN) result. In non-Java mode a result that is tiny -- below
 * the smallest normal in magnitude before rounding, as the ISA detects
 * underflow -- becomes a zero of its sign, even where rounding would have
 * carried it up to the smallest normal: the unrounded value is below it
 * exactly when the value rounded toward zero is.
 */
static uint32_t vfp_rounded(const struct cpu_ppc *c, unsigned xo, uint32_t a, uint32_t b,
			    uint32_t cc)
{
	float r = vfp_compute(xo, a, b, cc);
	uint32_t res = vfp_val(r);

	if ((c->vscr & VSCR_NJ) && isfinite(r) && r != 0) {
		int saved = fegetround();
		fesetround(FE_TOWARDZERO);
		volatile float rz = vfp_compute(xo, a, b, cc);
		fesetround(saved);
		if (fabsf(rz) < FLT_MIN)
			res &= 0x80000000u;
	}
	return res;
}

/* vrfi[nzpm]: round to an integral value in single format. */
static uint32_t vfp_round(uint32_t u, unsigned mode)
{
	float x = f_of(u), r;
	switch (mode) {
	case 0: r = nearbyintf(x); break; /* RN: the host's mode is RN */
	case 1: r = truncf(x); break;
	case 2: r = ceilf(x); break;
	default: r = floorf(x); break;
	}
	return u_of(r);
}

/* vcfux / vcfsx: integer x 2^-uim, rounded to single (RN). */
static uint32_t vfp_cfx(uint32_t u, unsigned uim, bool sgn)
{
	double x = sgn ? (double)(int32_t)u : (double)u; /* exact */
	return u_of((float)ldexp(x, -(int)uim));         /* ldexp exact, one rounding */
}

/* vctuxs / vctsxs: x 2^uim truncated, saturated (SAT). */
static uint32_t vfp_ctx(struct cpu_ppc *c, uint32_t u, unsigned uim, bool sgn)
{
	double lo = sgn ? -2147483648.0 : 0.0, hi = sgn ? 2147483647.0 : 4294967295.0;
	double x;

	if (f_nan(u))
		return 0;
	x = trunc(ldexp((double)f_of(u), (int)uim));
	if (x < lo || x > hi) {
		c->vscr |= VSCR_SAT;
		x = x < lo ? lo : hi;
	}
	return sgn ? (uint32_t)(int32_t)x : (uint32_t)x;
}

/* One word of a VX or VA arithmetic instruction. */
static uint32_t vfp_elem(struct cpu_ppc *c, uint32_t insn, unsigned xo, uint32_t a, uint32_t b,
			 uint32_t cc)
{
	unsigned uim = ppc_ra(insn);
	uint32_t op[3], res;

	switch (xo) {
	case 778: return vfp_out(c, vfp_cfx(b, uim, false)); /* vcfux */
	case 842: return vfp_out(c, vfp_cfx(b, uim, true));  /* vcfsx */
	case 906: return vfp_ctx(c, vfp_in(c, b), uim, false);
	case 970: return vfp_ctx(c, vfp_in(c, b), uim, true);
	default: break;
	}
	a = vfp_in(c, a);
	b = vfp_in(c, b);
	cc = vfp_in(c, cc);
	if (xo == 46 || xo == 47) { /* vmaddfp / vnmsubfp: VRA x VRC + VRB */
		op[0] = a, op[1] = b, op[2] = cc;
		if (vfp_nan(op, 3, &res))
			return res;
		res = vfp_rounded(c, xo, a, b, cc);
		if (xo == 47 && !f_nan(res))
			res ^= 0x80000000u;
		return res;
	}
	op[0] = xo == 10 || xo == 74 || xo == 1034 || xo == 1098 ? a : b;
	op[1] = b;
	if (vfp_nan(op, 2, &res))
		return res;
	switch (xo) {
	case 10:
	case 74:
	case 266:
	case 330:
	case 394:
	case 458: return vfp_rounded(c, xo, a, b, cc);
	case 1034: /* vmaxfp: +0 above -0 */
	case 1098: /* vminfp */
		if (!((a | b) & 0x7fffffffu))
			res = xo == 1034 ? (a & b) : (a | b);
		else
			res = (f_of(a) > f_of(b)) == (xo == 1034) ? a : b;
		break;
	case 522: res = vfp_round(b, 0); break;
	case 586: res = vfp_round(b, 1); break;
	case 650: res = vfp_round(b, 2); break;
	default: res = vfp_round(b, 3); break;
	}
	return vfp_out(c, res);
}

/* One word of a compare: true / false (bit 0 / bit 1 for vcmpbfp). */
static uint32_t vfp_cmp(const struct cpu_ppc *c, unsigned xo, uint32_t ua, uint32_t ub)
{
	float a = f_of(vfp_in(c, ua)), b = f_of(vfp_in(c, ub));

	switch (xo) {
	case 198: return a == b ? ~0u : 0;
	case 454: return a >= b ? ~0u : 0;
	case 710: return a > b ? ~0u : 0;
	default: /* vcmpbfp: bit 0 "not a <= b", bit 1 "not a >= -b" (NaN: both) */
		return (!(a <= b) ? 0x80000000u : 0) | (!(a >= -b) ? 0x40000000u : 0);
	}
}

/*
 * ppc_helper_vmx_fp(insn, form): form 0 VX (arithmetic, estimates, round,
 * convert), 1 VC (compare, CR6 with Rc), 2 VA (vmaddfp, vnmsubfp).
 */
uint64_t ppc_helper_vmx_fp(struct cpu *cpu, uint64_t insn_w, uint64_t form, uint64_t u2,
			   uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint32_t insn = (uint32_t)insn_w, r[4];
	unsigned va = 32 + ppc_ra(insn), vb = 32 + ppc_rb(insn), vc = 32 + ((insn >> 6) & 31);
	unsigned xo = form == 2 ? insn & 0x3f : form == 1 ? insn & 0x3ff : insn & 0x7ff;
	bool all_true = true, all_false = true;
	(void)u2;
	(void)u3;

	for (unsigned i = 0; i < 4; i++) {
		uint32_t a = vfp_word(c, va, i), b = vfp_word(c, vb, i), cc = vfp_word(c, vc, i);
		if (form == 1) {
			r[i] = vfp_cmp(c, xo, a, b);
			all_true &= r[i] == ~0u;
			all_false &= r[i] == 0;
		} else {
			r[i] = vfp_elem(c, insn, xo, a, b, cc);
		}
	}
	c->vsr[32 + ppc_rt(insn)][0] = (uint64_t)r[0] << 32 | r[1];
	c->vsr[32 + ppc_rt(insn)][1] = (uint64_t)r[2] << 32 | r[3];
	if (form == 1 && (insn & 0x400))
		c->crf[6] = xo == 966 ? (all_false ? 2u : 0u) :
					(all_true ? 8u : 0u) | (all_false ? 2u : 0u);
	return 0;
}
