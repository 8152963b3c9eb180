/*
 * The x87 FPU (SDM vol. 1 ch. 8) and the FXSAVE/FXRSTOR/LDMXCSR/STMXCSR
 * state instructions (vol. 1 10.5, vol. 2 FXSAVE table 10-2).
 *
 * Registers are stored in the architected 80-bit format (struct x86_f80),
 * so loads, stores, FXSAVE and FXRSTOR move exact bits on every host.
 * Arithmetic goes through the host's `long double`:
 * - x86-64 hosts: long double is the x87 80-bit format itself, so results
 *   are exactly the hardware's (64-bit precision; FCW.RC via fesetround).
 * - Other hosts (AArch64: IEEE binary128): values widen exactly, the
 *   operation rounds to 113 bits and the result is rounded again to the
 *   64-bit significand (round-to-nearest-even or FCW.RC) - double rounding
 *   can differ from x87 in the last bit for some inputs; exponent range
 *   and the special values are exact.
 * FCW.PC (precision control) is not modelled: operations round to 64 bits
 * as with PC = 11b, the FNINIT default that Linux and glibc use.
 *
 * Exceptions: the six flags, SF and C1 follow the SDM for stack faults and
 * invalid operations; an unmasked exception sets FSW.ES/B and the next
 * waiting x87 instruction (or FWAIT) raises #MF (CR0.NE = 1; the external
 * FERR# path of NE = 0 is not modelled and also gives #MF).
 *
 * Implemented (Intel mnemonics): FLD/FST/FSTP m32/m64/m80/ST(i), FILD/FIST/
 * FISTP m16/m32/m64, FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR (m32, m64, ST(i) both
 * ways, P forms), FIADD..FIDIVR m16/m32, FCOM/FCOMP/FCOMPP/FUCOM/FUCOMP/
 * FUCOMPP, FCOMI/FCOMIP/FUCOMI/FUCOMIP, FCMOVcc, FXCH, FCHS, FABS, FTST,
 * FXAM, FLD1/FLDZ/FLDPI/FLDL2E/FLDL2T/FLDLG2/FLDLN2, FSQRT, FRNDINT, FSCALE,
 * FPREM, FPREM1, FXTRACT, F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN, FSIN, FCOS,
 * FSINCOS, FNOP, FNINIT, FNCLEX, FNSTSW AX/m16, FNSTCW, FLDCW, FNSTENV,
 * FLDENV, FNSAVE, FRSTOR, FWAIT, FFREE, FINCSTP, FDECSTP.
 * FISTTP (SSE3). Not implemented (#UD): FBLD, FBSTP, FFREEP.
 * The transcendental instructions use the host libm (last-bit differences
 * from an x87 are possible); everything else is exact on x86-64 hosts and
 * checked against the host CPU by tests/unit/test_x86_diff_x87.c.
 */
#include <fenv.h>
#include <float.h>
#include <math.h>

#include "cpu/x86/helpers.h"
#include "cpu/ir.h"

#define FSW_IE 0x0001u
#define FSW_DE 0x0002u
#define FSW_ZE 0x0004u
#define FSW_OE 0x0008u
#define FSW_UE 0x0010u
#define FSW_PE 0x0020u
#define FSW_SF 0x0040u
#define FSW_ES 0x0080u
#define FSW_C0 0x0100u
#define FSW_C1 0x0200u
#define FSW_C2 0x0400u
#define FSW_C3 0x4000u
#define FSW_B 0x8000u
#define FSW_TOP_SHIFT 11

#define TAG_VALID 0u
#define TAG_ZERO 1u
#define TAG_SPECIAL 2u
#define TAG_EMPTY 3u

static inline struct cpu_x86 *X(struct cpu *cpu)
{
	return cpu_x86_of(cpu);
}

void cpu_x86_fpu_reset(struct cpu_x86 *c)
{
	memset(&c->fpu, 0, sizeof(c->fpu));
	c->fpu.fcw = X86_FCW_DEFAULT;
	c->fpu.ftw = 0xffff;
	c->fpu.mxcsr = X86_MXCSR_DEFAULT;
}

uint64_t x86_la_add(const struct cpu_x86 *c, uint64_t la, uint64_t n)
{
	return cpu_x86_long_mode(c) ? la + n : (uint32_t)(la + n);
}

/* ---- the 80-bit format ------------------------------------------------------------ */

static const struct x86_f80 f80_indefinite = { 0xc000000000000000ull, 0xffff };

static unsigned f80_tag_of(struct x86_f80 v)
{
	unsigned e = v.se & 0x7fff;
	if (e == 0)
		return v.mant == 0 ? TAG_ZERO : TAG_SPECIAL;
	if (e == 0x7fff || !(v.mant >> 63))
		return TAG_SPECIAL;
	return TAG_VALID;
}

static bool f80_isnan(struct x86_f80 v)
{
	return (v.se & 0x7fff) == 0x7fff && (v.mant << 1) != 0;
}

static bool f80_issnan(struct x86_f80 v)
{
	return f80_isnan(v) && !((v.mant >> 62) & 1);
}

static bool f80_isdenorm(struct x86_f80 v)
{
	return (v.se & 0x7fff) == 0 && v.mant != 0;
}

#if LDBL_MANT_DIG == 64
static long double f80_to_ld(struct x86_f80 v)
{
	long double d = 0;
	memcpy(&d, &v.mant, 8);
	memcpy((uint8_t *)&d + 8, &v.se, 2);
	return d;
}

static struct x86_f80 ld_to_f80(long double d)
{
	struct x86_f80 v;
	memcpy(&v.mant, &d, 8);
	memcpy(&v.se, (uint8_t *)&d + 8, 2);
	return v;
}
#else
/* Portable: through frexpl/ldexpl; NaN payloads kept by hand. */
static long double f80_to_ld(struct x86_f80 v)
{
	int e = v.se & 0x7fff;
	long double s = (v.se & 0x8000) ? -1.0L : 1.0L;
	if (e == 0x7fff)
		return (v.mant << 1) ? s * NAN : s * INFINITY;
	if (e == 0)
		e = 1; /* denormals and pseudo-denormals */
	return s * ldexpl((long double)v.mant, e - 16383 - 63);
}

static struct x86_f80 ld_to_f80(long double d)
{
	struct x86_f80 v = { 0, signbit(d) ? 0x8000 : 0 };
	if (isnan(d))
		return (struct x86_f80){ 0xc000000000000000ull, (uint16_t)(v.se | 0x7fff) };
	if (isinf(d))
		return (struct x86_f80){ 1ull << 63, (uint16_t)(v.se | 0x7fff) };
	if (d == 0)
		return v;
	int e;
	long double f = frexpl(fabsl(d), &e); /* d = f * 2^e, f in [0.5, 1) */
	int be = e - 1 + 16383;
	int shift = 64;
	if (be <= 0) { /* denormal: the significand keeps fewer bits */
		shift = 64 + be - 1;
		be = 0;
	}
	long double m = rintl(ldexpl(f, shift)); /* rounds by the current mode */
	if (m >= 18446744073709551616.0L) {
		m = ldexpl(m, -1);
		be++;
	}
	if (be >= 0x7fff)
		return (struct x86_f80){ 1ull << 63, (uint16_t)(v.se | 0x7fff) };
	v.mant = (uint64_t)m;
	if (be == 0 && (v.mant >> 63))
		be = 1;
	v.se |= (uint16_t)be;
	return v;
}
#endif

/* ---- stack ------------------------------------------------------------------------- */

struct x87 {
	struct cpu_x86 *c;
	struct x86_fpu *f;
	uint16_t flags; /* exception flags raised by this instruction */
	bool rounded;   /* a result was rounded: C1 says whether up (SDM 8.1.3.1) */
	bool up;
	bool mem_denorm; /* the m32/m64 operand was a denormal (DE, unless a NaN hides it) */
	bool mem_snan;   /* ... or a signalling NaN (already converted to a QNaN) */
	unsigned osz;    /* operand size (FLDENV/FNSTENV/FNSAVE/FRSTOR layouts) */
};

static unsigned x87_top(const struct x86_fpu *f)
{
	return (f->fsw >> FSW_TOP_SHIFT) & 7;
}

static void x87_set_top(struct x86_fpu *f, unsigned top)
{
	f->fsw = (uint16_t)((f->fsw & ~(7u << FSW_TOP_SHIFT)) | ((top & 7) << FSW_TOP_SHIFT));
}

static unsigned x87_phys(const struct x86_fpu *f, unsigned i)
{
	return (x87_top(f) + i) & 7;
}

static unsigned x87_tag(const struct x86_fpu *f, unsigned phys)
{
	return (f->ftw >> (2 * phys)) & 3;
}

static void x87_set_tag(struct x86_fpu *f, unsigned phys, unsigned tag)
{
	f->ftw = (uint16_t)((f->ftw & ~(3u << (2 * phys))) | (tag << (2 * phys)));
}

/* ST(i), or the indefinite value and a stack underflow if empty. */
static struct x86_f80 x87_get(struct x87 *x, unsigned i)
{
	unsigned p = x87_phys(x->f, i);
	if (x87_tag(x->f, p) == TAG_EMPTY) {
		x->flags |= FSW_IE | FSW_SF;
		x->f->fsw &= ~FSW_C1;
		return f80_indefinite;
	}
	return x->f->st[p];
}

static void x87_set(struct x87 *x, unsigned i, struct x86_f80 v)
{
	unsigned p = x87_phys(x->f, i);
	x->f->st[p] = v;
	x87_set_tag(x->f, p, f80_tag_of(v));
}

static void x87_push(struct x87 *x, struct x86_f80 v)
{
	unsigned top = (x87_top(x->f) - 1) & 7;
	if (x87_tag(x->f, top) != TAG_EMPTY) { /* stack overflow (SDM 8.5.1.1) */
		x->flags |= FSW_IE | FSW_SF;
		x->f->fsw |= FSW_C1;
		v = f80_indefinite;
	}
	x87_set_top(x->f, top);
	x87_set(x, 0, v);
}

static void x87_pop(struct x87 *x)
{
	x87_set_tag(x->f, x87_top(x->f), TAG_EMPTY);
	x87_set_top(x->f, x87_top(x->f) + 1);
}

static void x87_fninit(struct x86_fpu *f)
{
	f->fcw = X86_FCW_DEFAULT;
	f->fsw = 0;
	f->ftw = 0xffff;
	f->fop = 0;
	f->fip = f->fdp = 0;
}

/* ---- arithmetic through long double ---------------------------------------------- */

static const int x87_fe_round[4] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };

static void x87_begin(struct x87 *x)
{
	fesetround(x87_fe_round[(x->f->fcw >> 10) & 3]);
	feclearexcept(FE_ALL_EXCEPT);
}

static void x87_collect(struct x87 *x)
{
	int e = fetestexcept(FE_ALL_EXCEPT);
	x->flags |= ((e & FE_INVALID) ? FSW_IE : 0) | ((e & FE_DIVBYZERO) ? FSW_ZE : 0) |
		    ((e & FE_OVERFLOW) ? FSW_OE : 0) | ((e & FE_UNDERFLOW) ? FSW_UE : 0) |
		    ((e & FE_INEXACT) ? FSW_PE : 0);
	feclearexcept(FE_ALL_EXCEPT);
	fesetround(FE_TONEAREST);
}

/* C1 after a rounded result: set when rounding increased the magnitude. */
static void x87_round_dir(struct x87 *x, long double r, long double rz)
{
	if (!(x->flags & FSW_PE))
		return;
	x->rounded = true;
	x->up = r != rz;
}

/* SDM 8.4 / 4.9.2 priority: invalid and divide-by-zero hide the
 * denormal-operand exception of the same operation. */
static void x87_lane_priority(struct x87 *x, uint16_t before)
{
	uint16_t now = x->flags & ~before;
	if ((now & (FSW_IE | FSW_ZE)) && (now & FSW_DE) && !(before & FSW_DE))
		x->flags &= ~FSW_DE;
}

enum {
	X87_ADD,
	X87_MUL,
	X87_COM,
	X87_COMP,
	X87_SUB,
	X87_SUBR,
	X87_DIV,
	X87_DIVR
};

/* a op b for the D8/DC/DE arithmetic encodings (op = ModRM.reg). NaN
 * operands give the QNaN of the larger significand (SDM table 4-7, x87). */
static struct x86_f80 x87_arith(struct x87 *x, unsigned op, struct x86_f80 a, struct x86_f80 b)
{
	if (f80_isnan(a) || f80_isnan(b)) {
		/* b may be a memory operand already quietened: mem_snan. */
		bool as = f80_issnan(a), bs = f80_issnan(b) || x->mem_snan;
		if (as || bs)
			x->flags |= FSW_IE;
		struct x86_f80 r = !f80_isnan(b)                    ? a :
				   !f80_isnan(a)                    ? b :
				   as != bs                         ? (as ? b : a) :
				   ((a.mant << 1) >= (b.mant << 1)) ? a :
								      b;
		r.mant |= 1ull << 62;
		return r;
	}
	uint16_t before = x->flags;
	if (f80_isdenorm(a) || f80_isdenorm(b) || x->mem_denorm)
		x->flags |= FSW_DE;
	long double r = 0, rz = 0;
	for (unsigned pass = 0; pass < 2; pass++) {
		/* Pass 1 again toward zero: a different result means the
		 * magnitude was rounded up (C1). */
		x87_begin(x);
		if (pass)
			fesetround(FE_TOWARDZERO);
		volatile long double p = f80_to_ld(a), q = f80_to_ld(b), t;
		switch (op) {
		case X87_ADD: t = p + q; break;
		case X87_MUL: t = p * q; break;
		case X87_SUB: t = p - q; break;
		case X87_SUBR: t = q - p; break;
		case X87_DIV: t = p / q; break;
		default: t = q / p; break;
		}
		if (pass) {
			rz = t;
			feclearexcept(FE_ALL_EXCEPT);
			fesetround(FE_TONEAREST);
		} else {
			r = t;
			x87_collect(x);
		}
		if (!(x->flags & FSW_PE))
			break;
	}
	x87_round_dir(x, r, rz);
	x87_lane_priority(x, before);
	struct x86_f80 v = ld_to_f80(r);
	if (f80_isnan(v))
		v = f80_indefinite;
	return v;
}

/* FCOM/FUCOM: C3 C2 C0 = 000 >, 001 <, 100 =, 111 unordered (SDM FCOM). */
static void x87_compare(struct x87 *x, struct x86_f80 a, struct x86_f80 b, bool quiet, bool eflags)
{
	bool unord = f80_isnan(a) || f80_isnan(b);
	if (unord && (!quiet || f80_issnan(a) || f80_issnan(b)))
		x->flags |= FSW_IE;
	if (!unord && (f80_isdenorm(a) || f80_isdenorm(b) || x->mem_denorm))
		x->flags |= FSW_DE;
	long double p = f80_to_ld(a), q = f80_to_ld(b);
	bool lt = !unord && p < q, eq = !unord && p == q;
	if (eflags) {
		uint64_t fl = unord ? (X86_FLAG_ZF | X86_FLAG_PF | X86_FLAG_CF) :
			      lt    ? X86_FLAG_CF :
			      eq    ? X86_FLAG_ZF :
				      0;
		x86_set_flags_cc(x->c, fl);
		x->f->fsw &= ~FSW_C1;
		return;
	}
	x->f->fsw &= ~(FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3);
	x->f->fsw |= unord ? (FSW_C0 | FSW_C2 | FSW_C3) : lt ? FSW_C0 : eq ? FSW_C3 : 0;
}

/* ---- memory formats -------------------------------------------------------------- */

static struct x86_f80 x87_from_f32(struct x87 *x, uint32_t v)
{
	float f;
	memcpy(&f, &v, 4);
	if ((v & 0x7fffffffu) > 0x7f800000u) { /* NaN: keep the payload, quiet it */
		if (!(v & (1u << 22))) {
			x->flags |= FSW_IE;
			x->mem_snan = true;
		}
		return (struct x86_f80){ (1ull << 63) | (1ull << 62) |
						 ((uint64_t)(v & 0x3fffff) << 40),
					 (uint16_t)((v >> 16 & 0x8000) | 0x7fff) };
	}
	if ((v & 0x7f800000u) == 0 && (v & 0x7fffff))
		x->mem_denorm = true;
	return ld_to_f80((long double)f);
}

static struct x86_f80 x87_from_f64(struct x87 *x, uint64_t v)
{
	double d;
	memcpy(&d, &v, 8);
	if ((v & 0x7fffffffffffffffull) > 0x7ff0000000000000ull) {
		if (!(v & (1ull << 51))) {
			x->flags |= FSW_IE;
			x->mem_snan = true;
		}
		return (struct x86_f80){ (1ull << 63) | (1ull << 62) |
						 ((v & 0x7ffffffffffffull) << 11),
					 (uint16_t)((v >> 48 & 0x8000) | 0x7fff) };
	}
	if ((v & 0x7ff0000000000000ull) == 0 && (v & 0xfffffffffffffull))
		x->mem_denorm = true;
	return ld_to_f80((long double)d);
}

static uint64_t x87_to_fmem(struct x87 *x, struct x86_f80 a, bool dbl)
{
	if (f80_isnan(a)) {
		if (f80_issnan(a))
			x->flags |= FSW_IE;
		uint64_t s = a.se >> 15, m = a.mant | (1ull << 62);
		return dbl ? (s << 63) | 0x7ff0000000000000ull | ((m << 1) >> 12) :
			     (s << 31) | 0x7f800000u | (uint32_t)((m << 1) >> 41);
	}
	uint64_t r = 0, rz = 0; /* (FST m32/m64 signal no #D, SDM FST) */
	for (unsigned pass = 0; pass < 2; pass++) {
		x87_begin(x);
		if (pass)
			fesetround(FE_TOWARDZERO);
		volatile long double p = f80_to_ld(a);
		uint64_t t;
		if (dbl) {
			volatile double d = (double)p;
			memcpy(&t, (const void *)&d, 8);
		} else {
			volatile float f = (float)p;
			uint32_t u;
			memcpy(&u, (const void *)&f, 4);
			t = u;
		}
		if (pass) {
			rz = t;
			feclearexcept(FE_ALL_EXCEPT);
			fesetround(FE_TONEAREST);
		} else {
			r = t;
			x87_collect(x);
		}
		if (!(x->flags & FSW_PE))
			break;
	}
	if (x->flags & FSW_PE) {
		x->rounded = true;
		x->up = r != rz;
	}
	return r;
}

/* FIST: integer indefinite (the most negative value) for NaN/overflow. */
static uint64_t x87_to_int(struct x87 *x, struct x86_f80 a, unsigned bits)
{
	uint64_t indef = 1ull << (bits - 1);
	if (f80_isnan(a) || (a.se & 0x7fff) == 0x7fff) {
		x->flags |= FSW_IE;
		return indef;
	}
	x87_begin(x);
	volatile long double p = f80_to_ld(a);
	volatile long double r = nearbyintl(p);
	x87_collect(x);
	long double lim = ldexpl(1.0L, (int)bits - 1);
	if (!(r >= -lim && r < lim)) {
		x->flags |= FSW_IE;
		return indef;
	}
	if (r != p) {
		x->flags |= FSW_PE;
		x->rounded = true;
		x->up = fabsl(r) > fabsl(p);
	}
	return (uint64_t)(int64_t)r & sv_mask(bits);
}

/* FISTTP: as FIST with round toward zero whatever FCW.RC says. */
static uint64_t x87_to_int_trunc(struct x87 *x, struct x86_f80 a, unsigned bits)
{
	uint16_t fcw = x->f->fcw;
	x->f->fcw |= 0x0c00;
	uint64_t r = x87_to_int(x, a, bits);
	x->f->fcw = fcw;
	return r;
}

static struct x86_f80 x87_from_int(int64_t v)
{
	return ld_to_f80((long double)v);
}

/* ---- constants, register-only forms -------------------------------------------- */

static struct x86_f80 x87_const(unsigned k, unsigned rc)
{
	/* FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ (D9 E8..EE). SDM 8.3.8:
	 * the constants are rounded by FCW.RC from their internal form. adj:
	 * +1 if the round-to-nearest value was rounded down (so RC = up adds
	 * one), -1 if it was rounded up (RC = down or chop subtract one). */
	static const struct {
		struct x86_f80 v;
		int adj;
	} tab[7] = {
		{ { 0x8000000000000000ull, 0x3fff }, 0 },
		{ { 0xd49a784bcd1b8afeull, 0x4000 }, 1 },
		{ { 0xb8aa3b295c17f0bcull, 0x3fff }, -1 },
		{ { 0xc90fdaa22168c235ull, 0x4000 }, -1 },
		{ { 0x9a209a84fbcff799ull, 0x3ffd }, -1 },
		{ { 0xb17217f7d1cf79acull, 0x3ffe }, -1 },
		{ { 0, 0 }, 0 },
	};
	struct x86_f80 v = tab[k].v;
	if (tab[k].adj > 0 && rc == 2)
		v.mant++;
	if (tab[k].adj < 0 && (rc == 1 || rc == 3))
		v.mant--;
	return v;
}

/* FXAM class in C3 C2 C0 (SDM FXAM), C1 = sign. */
static void x87_fxam(struct x87 *x)
{
	unsigned p = x87_phys(x->f, 0);
	struct x86_f80 v = x->f->st[p];
	unsigned e = v.se & 0x7fff, cls;
	if (x87_tag(x->f, p) == TAG_EMPTY)
		cls = FSW_C3 | FSW_C0;
	else if (e == 0x7fff)
		cls = (v.mant << 1) ? FSW_C0 : (FSW_C2 | FSW_C0);
	else if (e == 0)
		cls = v.mant ? (FSW_C3 | FSW_C2) : FSW_C3;
	else
		cls = (v.mant >> 63) ? FSW_C2 : 0; /* unnormal: unsupported (C3 C2 C0 = 000) */
	x->f->fsw &= ~(FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3);
	x->f->fsw |= (uint16_t)(cls | ((v.se & 0x8000) ? FSW_C1 : 0));
}

/* FPREM (D9 F8) and FPREM1 (D9 F5), SDM: the partial remainder of ST(0) by
 * ST(1); C0 C3 C1 = quotient bits 2 1 0, C2 = 1 while the reduction is
 * incomplete (exponent difference d >= 64: reduced by ST(1) * 2^(d - N) per
 * step: N = 63, as the host cores this was tested against do). */
static void x87_fprem(struct x87 *x, bool ieee)
{
	struct x86_f80 a = x87_get(x, 0), b = x87_get(x, 1);
	if (f80_isnan(a) || f80_isnan(b)) {
		x87_set(x, 0, x87_arith(x, X87_ADD, a, b));
		return;
	}
	long double p = f80_to_ld(a), q = f80_to_ld(b);
	x->f->fsw &= ~(FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3);
	if (q == 0 || isinf(p)) {
		x->flags |= FSW_IE;
		x87_set(x, 0, f80_indefinite);
		return;
	}
	if (f80_isdenorm(a) || f80_isdenorm(b))
		x->flags |= FSW_DE;
	if (p == 0 || isinf(q))
		return;
	int ea, eb;
	frexpl(p, &ea);
	frexpl(q, &eb);
	long double r;
	if (ea - eb >= 64) {
		long double qs = ldexpl(q, ea - eb - 63);
		r = fmodl(p, qs);
		x->f->fsw |= FSW_C2;
	} else {
		r = ieee ? remainderl(p, q) : fmodl(p, q);
		long double m8 = fmodl(p, 8 * q);
		unsigned qb = (unsigned)fabsl(nearbyintl((m8 - r) / q)) & 7;
		x->f->fsw |= (uint16_t)(((qb & 4) ? FSW_C0 : 0) | ((qb & 2) ? FSW_C3 : 0) |
					((qb & 1) ? FSW_C1 : 0));
	}
	x87_set(x, 0, ld_to_f80(r == 0 ? copysignl(0, p) : r));
}

/*
 * The transcendental instructions (D9 F0-F3, F9, FB, FE, FF) through the
 * host's long double libm: results can differ from an x87 in the last bits
 * (the SDM documents the x87's own error bounds, not its exact results).
 * FSIN/FCOS/FPTAN/FSINCOS with |ST(0)| >= 2^63 set C2 and leave ST(0).
 */
static bool x87_transcendental(struct x87 *x, unsigned modrm)
{
	struct x86_f80 a = x87_get(x, 0);
	bool two = modrm == 0xf1 || modrm == 0xf3 || modrm == 0xf9;
	struct x86_f80 b = two ? x87_get(x, 1) : a;
	if (f80_isnan(a) || f80_isnan(b)) {
		struct x86_f80 n = x87_arith(x, X87_ADD, a, b);
		if (two) {
			x87_set(x, 1, n);
			x87_pop(x);
		} else {
			x87_set(x, 0, n);
		}
		return true;
	}
	long double p = f80_to_ld(a), q = f80_to_ld(b);
	bool trig = modrm == 0xf2 || modrm == 0xfb || modrm == 0xfe || modrm == 0xff;
	x->f->fsw &= ~FSW_C2;
	if (trig && fabsl(p) >= 9223372036854775808.0L) {
		x->f->fsw |= FSW_C2;
		return true;
	}
	x87_begin(x);
	volatile long double vp = p, vq = q, r = 0, r2 = 0;
	switch (modrm) {
	case 0xf0: r = expm1l(vp * 0.693147180559945309417232121458176568L); break;
	case 0xf1: r = vq * log2l(vp); break;
	case 0xf2: r = tanl(vp); break;
	case 0xf3: r = atan2l(vq, vp); break;
	case 0xf9: r = vq * log1pl(vp) / 0.693147180559945309417232121458176568L; break;
	case 0xfb:
		r = sinl(vp);
		r2 = cosl(vp);
		break;
	case 0xfe: r = sinl(vp); break;
	default: r = cosl(vp); break;
	}
	struct x86_f80 v = ld_to_f80(r), v2 = ld_to_f80(r2);
	x87_collect(x);
	if (f80_isnan(v))
		v = f80_indefinite;
	if (two) {
		x87_set(x, 1, v);
		x87_pop(x);
	} else if (modrm == 0xf2) { /* FPTAN pushes 1.0 */
		x87_set(x, 0, v);
		x87_push(x, x87_const(0, 0));
	} else if (modrm == 0xfb) { /* FSINCOS: ST(0) = cos, then sin below */
		x87_set(x, 0, v);
		x87_push(x, v2);
	} else {
		x87_set(x, 0, v);
	}
	return true;
}

/* FXTRACT (D9 F4): ST(0) -> exponent, then push the significand. */
static void x87_fxtract(struct x87 *x)
{
	struct x86_f80 a = x87_get(x, 0);
	if (f80_isnan(a) || (a.se & 0x7fff) == 0x7fff) {
		struct x86_f80 e = f80_isnan(a) ? a : (struct x86_f80){ 1ull << 63, 0x7fff };
		if (f80_isnan(a))
			e = x87_arith(x, X87_ADD, a, a);
		x87_set(x, 0, e);
		x87_push(x, f80_isnan(a) ? e : a);
		return;
	}
	long double p = f80_to_ld(a);
	if (p == 0) { /* SDM: divide-by-zero, exponent -inf, significand 0 */
		x->flags |= FSW_ZE;
		x87_set(x, 0, (struct x86_f80){ 1ull << 63, 0xffff });
		x87_push(x, a);
		return;
	}
	if (f80_isdenorm(a))
		x->flags |= FSW_DE;
	int e;
	long double m = frexpl(p, &e); /* [0.5, 1) */
	x87_set(x, 0, ld_to_f80((long double)(e - 1)));
	x87_push(x, ld_to_f80(m * 2));
}

/* D9 E0..FF. */
static bool x87_d9_reg(struct x87 *x, unsigned modrm)
{
	struct x86_f80 a;
	switch (modrm) {
	case 0xd0: return true; /* FNOP */
	case 0xe0:              /* FCHS */
	case 0xe1:              /* FABS */
		a = x87_get(x, 0);
		a.se = modrm == 0xe0 ? a.se ^ 0x8000 : a.se & 0x7fff;
		x87_set(x, 0, a);
		x->f->fsw &= ~FSW_C1;
		return true;
	case 0xe4: x87_compare(x, x87_get(x, 0), x87_const(6, 0), false, false); return true;
	case 0xe5: x87_fxam(x); return true;
	case 0xe8 ... 0xee:
		x87_push(x, x87_const(modrm - 0xe8, (x->f->fcw >> 10) & 3));
		return true;
	case 0xf0 ... 0xf3:
	case 0xf9:
	case 0xfb:
	case 0xfe:
	case 0xff: return x87_transcendental(x, modrm);
	case 0xf4: x87_fxtract(x); return true;
	case 0xf5: x87_fprem(x, true); return true;
	case 0xf8: x87_fprem(x, false); return true;
	case 0xf6: x87_set_top(x->f, x87_top(x->f) - 1); return true; /* FDECSTP */
	case 0xf7: x87_set_top(x->f, x87_top(x->f) + 1); return true; /* FINCSTP */
	case 0xfa:                                                    /* FSQRT */
	case 0xfc:                                                    /* FRNDINT */
	case 0xfd: {                                                  /* FSCALE */
		a = x87_get(x, 0);
		struct x86_f80 b = modrm == 0xfd ? x87_get(x, 1) : a;
		if (f80_isnan(a) || f80_isnan(b)) {
			x87_set(x, 0, x87_arith(x, X87_ADD, a, b));
			return true;
		}
		if (modrm == 0xfd && (b.se & 0x7fff) == 0x7fff) {
			/* SDM FSCALE table: an infinite scale gives an infinity or a
			 * zero of ST(0)'s sign; 0 * 2^+inf and inf * 2^-inf are invalid. */
			bool neg = b.se & 0x8000, azero = !(a.se & 0x7fff) && !a.mant;
			bool ainf = (a.se & 0x7fff) == 0x7fff;
			if (f80_isdenorm(a))
				x->flags |= FSW_DE;
			if ((azero && !neg) || (ainf && neg)) {
				x->flags |= FSW_IE;
				x87_set(x, 0, f80_indefinite);
			} else {
				struct x86_f80 v = { neg ? 0 : 1ull << 63,
						     (uint16_t)((a.se & 0x8000) |
								(neg ? 0 : 0x7fff)) };
				x87_set(x, 0, azero || ainf ? a : v);
			}
			return true;
		}
		uint16_t before = x->flags;
		if (f80_isdenorm(a) || (modrm == 0xfd && f80_isdenorm(b)))
			x->flags |= FSW_DE;
		/* FSCALE: the scale is ST(1) truncated (outside the flag window). */
		long double q = f80_to_ld(b);
		int n = modrm == 0xfd ? (int)fmaxl(fminl(q, 65536.0L), -65536.0L) : 0;
		long double r = 0, rz = 0;
		for (unsigned pass = 0; pass < 2; pass++) {
			x87_begin(x);
			if (pass)
				fesetround(FE_TOWARDZERO);
			volatile long double p = f80_to_ld(a), t;
			if (modrm == 0xfa)
				t = sqrtl(p);
			else if (modrm == 0xfc)
				t = nearbyintl(p);
			else
				t = scalbnl(p, n);
			if (modrm == 0xfc && t != p)
				feraiseexcept(FE_INEXACT);
			if (pass) {
				rz = modrm == 0xfc ? truncl(p) : t;
				feclearexcept(FE_ALL_EXCEPT);
				fesetround(FE_TONEAREST);
			} else {
				r = t;
				x87_collect(x);
			}
			if (!(x->flags & FSW_PE))
				break;
		}
		x87_round_dir(x, r, rz);
		x87_lane_priority(x, before);
		struct x86_f80 v = ld_to_f80(r);
		x87_set(x, 0, f80_isnan(v) ? f80_indefinite : v);
		return true;
	}
	default: return false;
	}
}

/* Register forms of D8 DC DE (arithmetic), D9 DD DF (moves), DA DB (FCMOV,
 * FUCOMI/FCOMI, control). */
static bool x87_reg(struct x87 *x, unsigned opc, unsigned modrm)
{
	unsigned reg = (modrm >> 3) & 7, i = modrm & 7;
	struct x86_f80 a;
	switch (opc) {
	case 0xd8: /* ST(0) = ST(0) op ST(i) */
	case 0xdc: /* ST(i) = ST(i) op ST(0) (SUB/SUBR, DIV/DIVR swap names) */
	case 0xde: /* ... and pop */
		if (reg == X87_COM || reg == X87_COMP) {
			if (opc == 0xde && !(reg == X87_COMP && i == 1))
				return false;
			x87_compare(x, x87_get(x, 0), x87_get(x, opc == 0xde ? 1 : i), false,
				    false);
			if (reg == X87_COMP || opc == 0xde)
				x87_pop(x);
			if (opc == 0xde)
				x87_pop(x);
			return true;
		}
		if (opc == 0xd8) {
			x87_set(x, 0, x87_arith(x, reg, x87_get(x, 0), x87_get(x, i)));
		} else {
			unsigned r = reg >= 4 ? reg ^ 1 : reg;
			x87_set(x, i, x87_arith(x, r, x87_get(x, i), x87_get(x, 0)));
			if (opc == 0xde)
				x87_pop(x);
		}
		return true;
	case 0xd9:
		if (reg == 0) { /* FLD ST(i) */
			a = x87_get(x, i);
			x87_push(x, a);
			return true;
		}
		if (reg == 1) { /* FXCH */
			a = x87_get(x, 0);
			struct x86_f80 b = x87_get(x, i);
			x87_set(x, 0, b);
			x87_set(x, i, a);
			x->f->fsw &= ~FSW_C1;
			return true;
		}
		return x87_d9_reg(x, modrm);
	case 0xdd:
		if (reg == 0) { /* FFREE */
			x87_set_tag(x->f, x87_phys(x->f, i), TAG_EMPTY);
			return true;
		}
		if (reg == 2 || reg == 3) { /* FST/FSTP ST(i) */
			x87_set(x, i, x87_get(x, 0));
			if (reg == 3)
				x87_pop(x);
			return true;
		}
		if (reg == 4 || reg == 5) { /* FUCOM/FUCOMP */
			x87_compare(x, x87_get(x, 0), x87_get(x, i), true, false);
			if (reg == 5)
				x87_pop(x);
			return true;
		}
		return false;
	case 0xda:
	case 0xdb: {
		if (opc == 0xda && modrm == 0xe9) { /* FUCOMPP */
			x87_compare(x, x87_get(x, 0), x87_get(x, 1), true, false);
			x87_pop(x);
			x87_pop(x);
			return true;
		}
		if (opc == 0xdb && modrm == 0xe2) { /* FNCLEX */
			x->f->fsw &= (uint16_t) ~(0x80ffu | FSW_B);
			return true;
		}
		if (opc == 0xdb && modrm == 0xe3) { /* FNINIT */
			x87_fninit(x->f);
			return true;
		}
		if (opc == 0xdb && (reg == 5 || reg == 6)) { /* FUCOMI, FCOMI */
			x87_compare(x, x87_get(x, 0), x87_get(x, i), reg == 5, true);
			return true;
		}
		if (reg > 3)
			return false;
		/* FCMOVcc (SDM FCMOVcc): B E BE U, and the negations in DB. */
		uint64_t fl = cpu_x86_compute_flags(x->c);
		static const uint64_t cond[4] = { X86_FLAG_CF, X86_FLAG_ZF,
						  X86_FLAG_CF | X86_FLAG_ZF, X86_FLAG_PF };
		bool c = (fl & cond[reg]) != 0;
		a = x87_get(x, i);
		if (c == (opc == 0xda))
			x87_set(x, 0, a);
		return true;
	}
	case 0xdf:
		if (modrm == 0xe0) { /* FNSTSW AX */
			x86_write_gpr(x->c, X86_RAX, 1, x->f->fsw);
			return true;
		}
		if (reg == 5 || reg == 6) { /* FUCOMIP, FCOMIP */
			x87_compare(x, x87_get(x, 0), x87_get(x, i), reg == 5, true);
			x87_pop(x);
			return true;
		}
		return false;
	default: return false;
	}
}

/*
 * The x87 environment in memory (SDM vol. 1 8.1.10, figures 8-9/8-10,
 * protected-mode layouts): 28 bytes with a 32-bit operand size (also in
 * 64-bit mode), 14 bytes with a 16-bit one. FNSAVE/FRSTOR append the eight
 * registers in stack order, 10 bytes each.
 */
static unsigned x87_env_size(const struct x87 *x)
{
	return x->osz == 1 ? 14 : 28;
}

static void x87_env_store(struct x87 *x, uint64_t la, unsigned idx)
{
	struct cpu *cpu = &x->c->cpu;
	const struct x86_fpu *f = x->f;
	uint32_t v[7] = { f->fcw,
			  f->fsw,
			  f->ftw,
			  (uint32_t)f->fip,
			  x->c->seg[X86_SEG_CS].sel | ((uint32_t)(f->fop & 0x7ff) << 16),
			  (uint32_t)f->fdp,
			  x->c->seg[X86_SEG_DS].sel };
	bool o16 = x->osz == 1;
	for (unsigned i = 0; i < 7; i++) /* reserved upper halves of the 32-bit form: 0xffff */
		cpu_st(cpu, x86_la_add(x->c, la, o16 ? 2 * i : 4 * i), o16 ? IR_MO_16 : IR_MO_32,
		       idx, o16 || i >= 3 ? v[i] : (v[i] | 0xffff0000u));
}

static void x87_env_load(struct x87 *x, uint64_t la, unsigned idx, bool regs)
{
	struct cpu *cpu = &x->c->cpu;
	bool o16 = x->osz == 1;
	uint32_t v[7];
	struct x86_f80 st[8];
	for (unsigned i = 0; i < 7; i++)
		v[i] = (uint32_t)cpu_ld(cpu, x86_la_add(x->c, la, o16 ? 2 * i : 4 * i),
					o16 ? IR_MO_16 : IR_MO_32, idx);
	unsigned base = x87_env_size(x);
	for (unsigned i = 0; regs && i < 8; i++) {
		st[i].mant = cpu_ld(cpu, x86_la_add(x->c, la, base + 10 * i), IR_MO_64, idx);
		st[i].se = (uint16_t)cpu_ld(cpu, x86_la_add(x->c, la, base + 10 * i + 8), IR_MO_16,
					    idx);
	}
	struct x86_fpu *f = x->f;
	f->fcw = (uint16_t)v[0];
	f->fsw = (uint16_t)v[1];
	f->fip = v[3];
	f->fop = (uint16_t)((v[4] >> 16) & 0x7ff);
	f->fdp = v[5];
	for (unsigned i = 0; regs && i < 8; i++)
		f->st[(x87_top(f) + i) & 7] = st[i];
	/* A non-empty tag is recomputed from the register (SDM FLDENV). */
	f->ftw = 0;
	for (unsigned p = 0; p < 8; p++)
		x87_set_tag(f, p,
			    ((v[2] >> (2 * p)) & 3) == TAG_EMPTY ? TAG_EMPTY :
								   f80_tag_of(f->st[p]));
}

/* Memory forms. */
static bool x87_mem(struct x87 *x, unsigned opc, unsigned reg, uint64_t la, unsigned idx)
{
	struct cpu *cpu = &x->c->cpu;
	struct x86_f80 a;
	switch (opc) {
	case 0xd8: /* m32fp arithmetic */
	case 0xdc: /* m64fp */
	case 0xda: /* m32int */
	case 0xde: /* m16int */ {
		uint64_t m = cpu_ld(cpu, la,
				    opc == 0xd8 || opc == 0xda ? IR_MO_32 :
				    opc == 0xdc                ? IR_MO_64 :
								 IR_MO_16,
				    idx);
		struct x86_f80 b = opc == 0xd8 ? x87_from_f32(x, (uint32_t)m) :
				   opc == 0xdc ? x87_from_f64(x, m) :
				   opc == 0xda ? x87_from_int((int32_t)m) :
						 x87_from_int((int16_t)m);
		if (reg == X87_COM || reg == X87_COMP) {
			x87_compare(x, x87_get(x, 0), b, false, false);
			if (reg == X87_COMP)
				x87_pop(x);
			return true;
		}
		x87_set(x, 0, x87_arith(x, reg, x87_get(x, 0), b));
		return true;
	}
	case 0xd9:
		switch (reg) {
		case 0:
			a = x87_from_f32(x, (uint32_t)cpu_ld(cpu, la, IR_MO_32, idx));
			x->flags |= x->mem_denorm ? FSW_DE : 0;
			x87_push(x, a);
			return true;
		case 2:
		case 3:
			a = x87_get(x, 0);
			cpu_st(cpu, la, IR_MO_32, idx, x87_to_fmem(x, a, false));
			if (reg == 3)
				x87_pop(x);
			return true;
		case 4: x87_env_load(x, la, idx, false); return true; /* FLDENV */
		case 5: x->f->fcw = (uint16_t)(cpu_ld(cpu, la, IR_MO_16, idx) | 0x40); return true;
		case 6: /* FNSTENV: then all exceptions masked */
			x87_env_store(x, la, idx);
			x->f->fcw |= 0x3f;
			return true;
		case 7: cpu_st(cpu, la, IR_MO_16, idx, x->f->fcw); return true;
		default: return false;
		}
	case 0xdd:
		switch (reg) {
		case 0:
			a = x87_from_f64(x, cpu_ld(cpu, la, IR_MO_64, idx));
			x->flags |= x->mem_denorm ? FSW_DE : 0;
			x87_push(x, a);
			return true;
		case 2:
		case 3:
			a = x87_get(x, 0);
			cpu_st(cpu, la, IR_MO_64, idx, x87_to_fmem(x, a, true));
			if (reg == 3)
				x87_pop(x);
			return true;
		case 1: /* FISTTP m64 (SSE3) */
			a = x87_get(x, 0);
			cpu_st(cpu, la, IR_MO_64, idx, x87_to_int_trunc(x, a, 64));
			x87_pop(x);
			return true;
		case 4: x87_env_load(x, la, idx, true); return true; /* FRSTOR */
		case 6: { /* FNSAVE: registers first (faults before any change), then FNINIT */
			unsigned base = x87_env_size(x);
			for (unsigned i = 0; i < 8; i++) {
				const struct x86_f80 *r = &x->f->st[x87_phys(x->f, i)];
				cpu_st(cpu, x86_la_add(x->c, la, base + 10 * i + 8), IR_MO_16, idx,
				       r->se);
				cpu_st(cpu, x86_la_add(x->c, la, base + 10 * i), IR_MO_64, idx,
				       r->mant);
			}
			x87_env_store(x, la, idx);
			x87_fninit(x->f);
			return true;
		}
		case 7: cpu_st(cpu, la, IR_MO_16, idx, x->f->fsw); return true;
		default: return false;
		}
	case 0xdb:
	case 0xdf:
		if (opc == 0xdb && (reg == 5 || reg == 7)) { /* FLD/FSTP m80 */
			uint64_t la2 = x86_la_add(x->c, la, 8);
			if (reg == 5) {
				uint64_t mant = cpu_ld(cpu, la, IR_MO_64, idx);
				uint16_t se = (uint16_t)cpu_ld(cpu, la2, IR_MO_16, idx);
				x87_push(x, (struct x86_f80){ mant, se });
			} else {
				a = x87_get(x, 0);
				cpu_st(cpu, la2, IR_MO_16, idx, a.se);
				cpu_st(cpu, la, IR_MO_64, idx, a.mant);
				x87_pop(x);
			}
			return true;
		}
		if (reg == 0 || (opc == 0xdf && reg == 5)) { /* FILD m32 / m16 / m64 */
			unsigned sz = opc == 0xdb ? IR_MO_32 : reg == 0 ? IR_MO_16 : IR_MO_64;
			uint64_t m = cpu_ld(cpu, la, sz, idx);
			x87_push(x, x87_from_int((int64_t)sv_sext(m, 8u << sz)));
			return true;
		}
		if (reg == 1) { /* FISTTP m16 / m32 (SSE3): truncate, pop */
			unsigned sz = opc == 0xdb ? IR_MO_32 : IR_MO_16;
			a = x87_get(x, 0);
			cpu_st(cpu, la, sz, idx, x87_to_int_trunc(x, a, 8u << sz));
			x87_pop(x);
			return true;
		}
		if (reg == 2 || reg == 3 || (opc == 0xdf && reg == 7)) { /* FIST(P) */
			unsigned sz = opc == 0xdb ? IR_MO_32 : reg == 7 ? IR_MO_64 : IR_MO_16;
			a = x87_get(x, 0);
			cpu_st(cpu, la, sz, idx, x87_to_int(x, a, 8u << sz));
			if (reg != 2)
				x87_pop(x);
			return true;
		}
		return false;
	default: return false;
	}
}

/* Control instructions that do not wait for pending exceptions (the FN*
 * forms) and do not update FIP/FOP (SDM 8.1.8). */
static bool x87_nowait(unsigned opc, unsigned modrm, bool mem)
{
	unsigned reg = (modrm >> 3) & 7;
	if (mem)
		return (opc == 0xd9 && reg >= 4) ||
		       (opc == 0xdd && (reg == 4 || reg == 6 || reg == 7));
	return (opc == 0xdb && (modrm == 0xe2 || modrm == 0xe3)) || (opc == 0xdf && modrm == 0xe0);
}

/* Instructions whose "C1: cleared otherwise" applies (arithmetic, loads,
 * stores, conversions); compares and FXAM define C1 themselves. */
static bool x87_clears_c1(unsigned opc, unsigned modrm, bool mem)
{
	unsigned reg = (modrm >> 3) & 7;
	if (opc == 0xd9 && !mem && modrm >= 0xe0)
		/* FTST compares; FXAM, FPREM and FPREM1 set C1 themselves. */
		return modrm != 0xe4 && modrm != 0xe5 && modrm != 0xf5 && modrm != 0xf8;
	if ((opc == 0xd8 || opc == 0xdc || opc == 0xda || opc == 0xde) && (reg == 2 || reg == 3))
		return false;
	if (opc == 0xdd && !mem && (reg == 4 || reg == 5))
		return false;
	if ((opc == 0xdb || opc == 0xdf) && !mem && (reg == 5 || reg == 6))
		return false;
	return !x87_nowait(opc, modrm, mem);
}

uint64_t x86_helper_x87(struct cpu *cpu, uint64_t info, uint64_t la, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned opc = info & 0xff, modrm = (info >> 8) & 0xff, idx = (info >> 17) & 7;
	bool mem = (info >> 16) & 1;
	struct x87 x = { .c = c, .f = &c->fpu, .osz = (info >> 20) & 3 };
	bool nowait = opc == 0x9b ? false : x87_nowait(opc, modrm, mem);

	/* SDM 8.6: a pending unmasked exception is reported by the next waiting
	 * instruction as #MF. */
	if (!nowait && (c->fpu.fsw & FSW_ES))
		cpu_x86_raise_exception(c, X86_EXC_MF, false, 0);
	if (opc == 0x9b)
		return 0;
	struct x86_fpu saved = c->fpu;
	bool ok = mem ? x87_mem(&x, opc, (modrm >> 3) & 7, la, idx) : x87_reg(&x, opc, modrm);
	if (!ok) {
		c->fpu = saved;
		cpu_x86_raise_exception(c, X86_EXC_UD, false, 0);
	}
	if (!nowait) {
		c->fpu.fop = (uint16_t)(((opc & 7) << 8) | modrm);
		c->fpu.fip = rip;
		if (mem)
			c->fpu.fdp = la;
	}
	/* C1 after rounding (a stack fault set or cleared it already). */
	if (x.rounded && !(x.flags & FSW_SF))
		c->fpu.fsw = (uint16_t)((c->fpu.fsw & ~FSW_C1) | (x.up ? FSW_C1 : 0));
	else if (!(x.flags & FSW_SF) && x87_clears_c1(opc, modrm, mem))
		c->fpu.fsw &= ~FSW_C1;
	/* Record the flags; unmasked ones set ES and B (SDM 8.4). */
	c->fpu.fsw |= x.flags;
	if (x.flags & ~c->fpu.fcw & 0x3f)
		c->fpu.fsw |= FSW_ES | FSW_B;
	return 0;
}

/* ---- FXSAVE FXRSTOR LDMXCSR STMXCSR ----------------------------------------------- */

/* The abridged tag (FXSAVE byte 4): 1 = not empty. */
static uint8_t x87_abridged_tag(const struct x86_fpu *f)
{
	uint8_t t = 0;
	for (unsigned p = 0; p < 8; p++)
		if (x87_tag(f, p) != TAG_EMPTY)
			t |= (uint8_t)(1u << p);
	return t;
}

/*
 * The legacy region of the FXSAVE/XSAVE image (SDM vol. 1 table 10-2),
 * shared by FXSAVE/FXRSTOR and the XSAVE feature set (xsave.c). parts:
 * X86_FX_X87 (bytes 0-23 except MXCSR, 32-159), X86_FX_MXCSR (24-31),
 * X86_FX_XMM (160-415: 16 registers in 64-bit mode, else 8). w: the 64-bit
 * FIP/FDP format of the REX.W forms.
 */
void x86_fx_save_image(struct cpu_x86 *c, uint8_t *img, bool w, unsigned parts)
{
	struct x86_fpu *f = &c->fpu;
	unsigned nxmm = cpu_x86_code64(c) ? 16 : 8;
	if (parts & X86_FX_X87) {
		memset(img, 0, 24);
		memset(img + 32, 0, 128);
		st16_le_p(img, f->fcw);
		st16_le_p(img + 2, f->fsw);
		img[4] = x87_abridged_tag(f);
		st16_le_p(img + 6, f->fop);
		if (w) {
			st64_le_p(img + 8, f->fip);
			st64_le_p(img + 16, f->fdp);
		} else {
			st32_le_p(img + 8, (uint32_t)f->fip);
			st16_le_p(img + 12, c->seg[X86_SEG_CS].sel);
			st32_le_p(img + 16, (uint32_t)f->fdp);
			st16_le_p(img + 20, c->seg[X86_SEG_DS].sel);
		}
		for (unsigned i = 0; i < 8; i++) {
			unsigned p = (x87_top(f) + i) & 7;
			st64_le_p(img + 32 + 16 * i, f->st[p].mant);
			st16_le_p(img + 40 + 16 * i, f->st[p].se);
		}
	}
	if (parts & X86_FX_MXCSR) {
		st32_le_p(img + 24, f->mxcsr);
		st32_le_p(img + 28, X86_MXCSR_MASK);
	}
	if (parts & X86_FX_XMM) {
		for (unsigned i = 0; i < nxmm; i++) {
			st64_le_p(img + 160 + 16 * i, f->xmm[i].q[0]);
			st64_le_p(img + 168 + 16 * i, f->xmm[i].q[1]);
		}
	}
}

/* The inverse; the caller has checked MXCSR's reserved bits. */
void x86_fx_restore_image(struct cpu_x86 *c, const uint8_t *img, bool w, unsigned parts)
{
	struct x86_fpu *f = &c->fpu;
	unsigned nxmm = cpu_x86_code64(c) ? 16 : 8;
	if (parts & X86_FX_X87) {
		f->fcw = ld16_le_p(img);
		f->fsw = ld16_le_p(img + 2);
		f->fop = ld16_le_p(img + 6) & 0x7ff;
		f->fip = w ? ld64_le_p(img + 8) : ld32_le_p(img + 8);
		f->fdp = w ? ld64_le_p(img + 16) : ld32_le_p(img + 16);
		for (unsigned i = 0; i < 8; i++) {
			unsigned p = (x87_top(f) + i) & 7;
			f->st[p].mant = ld64_le_p(img + 32 + 16 * i);
			f->st[p].se = ld16_le_p(img + 40 + 16 * i);
		}
		f->ftw = 0;
		for (unsigned p = 0; p < 8; p++)
			x87_set_tag(f, p, (img[4] >> p) & 1 ? f80_tag_of(f->st[p]) : TAG_EMPTY);
	}
	if (parts & X86_FX_MXCSR)
		f->mxcsr = ld32_le_p(img + 24);
	if (parts & X86_FX_XMM) {
		for (unsigned i = 0; i < nxmm; i++) {
			f->xmm[i].q[0] = ld64_le_p(img + 160 + 16 * i);
			f->xmm[i].q[1] = ld64_le_p(img + 168 + 16 * i);
		}
	}
}

uint64_t x86_helper_fxsave(struct cpu *cpu, uint64_t la, uint64_t info, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned op = info & 3, idx = (info >> 2) & 7;
	bool w = (info >> 5) & 1;
	struct x86_fpu *f = &c->fpu;
	if (op == 2) { /* LDMXCSR (SDM: reserved bits -> #GP(0)) */
		uint32_t v = (uint32_t)cpu_ld(cpu, la, IR_MO_32, idx);
		if (v & ~X86_MXCSR_MASK)
			cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
		f->mxcsr = v;
		return 0;
	}
	if (op == 3) {
		cpu_st(cpu, la, IR_MO_32, idx, f->mxcsr);
		return 0;
	}
	if (la & 15) /* SDM FXSAVE/FXRSTOR: 16-byte alignment, #GP(0) */
		cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
	uint8_t img[512];
	for (unsigned i = 0; i < 512; i += 8)
		st64_le_p(img + i, cpu_ld(cpu, x86_la_add(c, la, i), IR_MO_64, idx));
	if (op == 1) {
		if (ld32_le_p(img + 24) & ~X86_MXCSR_MASK)
			cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
		x86_fx_restore_image(c, img, w, X86_FX_ALL);
		return 0;
	}
	/* FXSAVE: the image over what memory held (the SDM leaves the
	 * reserved and available areas unmodified). */
	x86_fx_save_image(c, img, w, X86_FX_ALL);
	for (unsigned i = 0; i < 512; i += 8)
		cpu_st(cpu, x86_la_add(c, la, i), IR_MO_64, idx, ld64_le_p(img + i));
	return 0;
}
