/*
 * POWER floating point: FP unavailable, loads and stores in both byte
 * orders (format conversions of lfs/stfs), the ISA behaviours the
 * differential test cannot check against qemu 7.2 (FR, FX on 0->1 only,
 * fnmadd rounding in directed modes, tininess before rounding, single
 * denormal classification), and enabled exceptions (VE/ZE suppress the
 * write; MSR[FE0,FE1] -> program interrupt with SRR1[43]).
 */
#include <math.h>
#include <string.h>

#include "test_ppc.h"

#define BOTH(le) for (int le = 1; le >= 0; le--)

static inline uint32_t fa(unsigned po, unsigned t, unsigned a, unsigned b, unsigned c, unsigned xo,
			  unsigned rc)
{
	return (po << 26) | (t << 21) | (a << 16) | (b << 11) | (c << 6) | (xo << 1) | rc;
}
static inline uint32_t fx(unsigned t, unsigned a, unsigned b, unsigned xo, unsigned rc)
{
	return (63u << 26) | (t << 21) | (a << 16) | (b << 11) | (xo << 1) | rc;
}

#define FADD(t, a, b) fa(63, t, a, b, 0, 21, 0)
#define FMUL(t, a, c) fa(63, t, a, 0, c, 25, 0)
#define FDIV(t, a, b) fa(63, t, a, b, 0, 18, 0)
#define FADDS(t, a, b) fa(59, t, a, b, 0, 21, 0)
#define FNMADD(t, a, c, b) fa(63, t, a, b, c, 31, 0)

static void fp_init(struct ppc_t *t, bool le)
{
	ppc_t_init(t, le);
	t->c->msr |= PPC_MSR_FP;
	/* The program interrupt handler: save SRR0/SRR1 in r20/r21, hcall. */
	uint32_t h[] = { ppc_mfspr(20, 26), ppc_mfspr(21, 27), PPC_SC1 };
	ppc_t_code(t, 0x700, h, 3);
	ppc_t_code(t, 0x800, h, 3);
}

/* Run w (followed by sc 1) from PPC_T_CODE; expect the final hcall. */
static void fp_run(struct ppc_t *t, const uint32_t *w, size_t n)
{
	ppc_t_code(t, PPC_T_CODE, w, n);
	uint32_t sc = PPC_SC1;
	ppc_t_code(t, PPC_T_CODE + 4 * n, &sc, 1);
	ppc_t_run_exit(t, 0xc00);
}

static uint64_t dbits(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

#define F(t, n) ((t).c->vsr[n][0])

Test(ppc_fp, unavailable_when_msr_fp_clear)
{
	struct ppc_t t;
	fp_init(&t, true);
	t.c->msr &= ~PPC_MSR_FP;
	uint32_t w[] = { PPC_NOP, FADD(1, 2, 3) };
	fp_run(&t, w, 2);
	cr_expect_eq(t.c->cpu.exit.pc, 0x808, "the 0x800 handler ran");
	cr_expect_eq(t.c->gpr[20], PPC_T_CODE + 4);
	cr_expect_eq(t.c->gpr[21] & PPC_SRR1_INTR_MASK, 0);
	ppc_t_fini(&t);
}

Test(ppc_fp, loads_and_stores_both_byte_orders)
{
	BOTH(le)
	{
		struct ppc_t t;
		fp_init(&t, le);
		uint64_t base = 0x8000;
		uint8_t b[8];
		/* memory: [0] = 1.5 (double), [8] = -2.25f (single), [12] = 0x80000005 */
		if (le) {
			st64_le_p(b, dbits(1.5));
		} else {
			st64_be_p(b, dbits(1.5));
		}
		cr_assert_eq(p2m_copy_to(t.p2m, base, b, 8), 0);
		if (le) {
			st32_le_p(b, 0xc0100000u);
			st32_le_p(b + 4, 0x80000005u);
		} else {
			st32_be_p(b, 0xc0100000u);
			st32_be_p(b + 4, 0x80000005u);
		}
		cr_assert_eq(p2m_copy_to(t.p2m, base + 8, b, 8), 0);
		t.c->gpr[3] = base;
		t.c->gpr[4] = 12;
		uint32_t w[] = {
			ppc_d(50, 1, 3, 0),             /* lfd f1,0(r3) */
			ppc_d(48, 2, 3, 8),             /* lfs f2,8(r3) */
			ppc_x(31, 3, 3, 4, 855, 0),     /* lfiwax f3,r3,r4 */
			ppc_x(31, 4, 3, 4, 887, 0),     /* lfiwzx f4,r3,r4 */
			ppc_d(54, 2, 3, 0x10),          /* stfd f2,16(r3) */
			ppc_d(52, 1, 3, 0x18),          /* stfs f1,24(r3) */
			ppc_x(31, 3, 3, 4, 983, 0) + 0, /* stfiwx f3,r3,r4 -> overwrites [12] */
			ppc_d(53, 1, 5, 0x20),          /* stfsu f1,32(r5) (r5 = base) */
			ppc_x(31, 6, 3, 4, 599, 0),     /* lfdx f6,r3,r4 (unaligned: 12) */
		};
		t.c->gpr[5] = base;
		fp_run(&t, w, SV_ARRAY_SIZE(w));
		cr_expect_eq(F(t, 1), dbits(1.5));
		cr_expect_eq(F(t, 2), dbits(-2.25));
		cr_expect_eq(F(t, 3), 0xffffffff80000005ull);
		cr_expect_eq(F(t, 4), 0x80000005ull);
		cr_expect_eq(ppc_t_ld(&t, base + 0x10, 3), dbits(-2.25));
		cr_expect_eq(ppc_t_ld(&t, base + 0x18, 2), 0x3fc00000u);
		cr_expect_eq(ppc_t_ld(&t, base + 12, 2), 0x80000005u);
		cr_expect_eq(ppc_t_ld(&t, base + 0x20, 2), 0x3fc00000u);
		cr_expect_eq(t.c->gpr[5], base + 0x20, "stfsu updates RA");
		ppc_t_fini(&t);
	}
}

/* lfs keeps an SNaN signalling and normalizes a denormal; stfs denormalizes. */
Test(ppc_fp, single_format_conversions)
{
	cr_expect_eq(ppc_fp_single_to_double(0x7f800001u), 0x7ff0000020000000ull);
	cr_expect_eq(ppc_fp_single_to_double(0xff800000u), 0xfff0000000000000ull);
	cr_expect_eq(ppc_fp_single_to_double(0x00000001u), dbits(0x1p-149));
	cr_expect_eq(ppc_fp_single_to_double(0x80000000u), 0x8000000000000000ull);
	cr_expect_eq(ppc_fp_double_to_single(dbits(0x1p-149)), 0x00000001u);
	cr_expect_eq(ppc_fp_double_to_single(dbits(-0x1p-127)), 0x80400000u);
	cr_expect_eq(ppc_fp_double_to_single(0x7ff0000020000000ull), 0x7f800001u);
	/* No rounding on store: the low bits are dropped. */
	cr_expect_eq(ppc_fp_double_to_single(0x3ff0000010000000ull), 0x3f800000u);
}

/* 1 + 2^-60 in each rounding mode: RN/RZ/RM give 1, RP the next double;
 * FI and XX set, FR only when rounded up. */
Test(ppc_fp, rounding_modes_fr_fi)
{
	static const uint64_t want[4] = { 0x3ff0000000000000ull, 0x3ff0000000000000ull,
					  0x3ff0000000000001ull, 0x3ff0000000000000ull };
	for (unsigned rn = 0; rn < 4; rn++) {
		struct ppc_t t;
		fp_init(&t, true);
		F(t, 2) = dbits(1.0);
		F(t, 3) = dbits(0x1p-60);
		t.c->fpscr = rn;
		uint32_t w[] = { fa(63, 1, 2, 3, 0, 21, 1) /* fadd. */ };
		fp_run(&t, w, 1);
		cr_expect_eq(F(t, 1), want[rn], "rn %u", rn);
		uint32_t f = (uint32_t)t.c->fpscr;
		cr_expect(f & PPC_FPSCR_FI);
		cr_expect(f & PPC_FPSCR_XX);
		cr_expect(f & PPC_FPSCR_FX);
		cr_expect_eq(!!(f & PPC_FPSCR_FR), rn == 2, "FR in rn %u", rn);
		cr_expect_eq((f >> 12) & 0x1f, 0x04, "FPRF +normal");
		cr_expect_eq(t.c->crf[1], 0x8, "CR1 = FX");
		ppc_t_fini(&t);
	}
}

/* FX is set only when an exception bit goes from 0 to 1 (4.2.2). */
Test(ppc_fp, fx_only_on_new_exception)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 2) = dbits(1.0);
	F(t, 3) = dbits(0x1p-60);
	t.c->fpscr = PPC_FPSCR_XX;
	uint32_t w[] = { FADD(1, 2, 3) };
	fp_run(&t, w, 1);
	cr_expect(!(t.c->fpscr & PPC_FPSCR_FX));
	cr_expect(t.c->fpscr & PPC_FPSCR_XX);
	ppc_t_fini(&t);
}

/* fnmadd = -(round(a*c + b)): in round-toward -inf a negative overflow
 * rounds to -inf, then becomes +inf. */
Test(ppc_fp, fnmadd_negates_after_rounding)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 2) = 0xffefffffffffffffull; /* -DBL_MAX */
	F(t, 3) = dbits(2.0);
	F(t, 4) = 0;
	t.c->fpscr = 3; /* RM */
	uint32_t w[] = { FNMADD(1, 2, 3, 4) };
	fp_run(&t, w, 1);
	cr_expect_eq(F(t, 1), 0x7ff0000000000000ull);
	cr_expect(t.c->fpscr & PPC_FPSCR_OX);
	ppc_t_fini(&t);
}

/* Underflow is tiny before rounding: DBL_MIN * (1 - 2^-53) rounds to DBL_MIN
 * but is tiny and inexact -> UX. */
Test(ppc_fp, underflow_tiny_before_rounding)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 2) = 0x0010000000000000ull;
	F(t, 3) = 0x3fefffffffffffffull;
	uint32_t w[] = { FMUL(1, 2, 3) };
	fp_run(&t, w, 1);
	cr_expect_eq(F(t, 1), 0x0010000000000000ull);
	cr_expect(t.c->fpscr & PPC_FPSCR_UX);
	cr_expect(t.c->fpscr & PPC_FPSCR_XX);
	ppc_t_fini(&t);
}

/* A single-precision denormal result is classified as denormal (FPRF 0x14). */
Test(ppc_fp, single_denormal_fprf)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 2) = dbits(0x1p-130);
	F(t, 3) = 0;
	uint32_t w[] = { FADDS(1, 2, 3) };
	fp_run(&t, w, 1);
	cr_expect_eq(F(t, 1), dbits(0x1p-130));
	cr_expect_eq((t.c->fpscr >> 12) & 0x1f, 0x14);
	ppc_t_fini(&t);
}

/* fadds rounds once from the exact sum (not via a double). */
Test(ppc_fp, single_rounding_is_single)
{
	struct ppc_t t;
	fp_init(&t, true);
	/* 1 + 2^-24 + 2^-60: exactly rounded to single is 1 + 2^-23; rounding
	 * to double first gives the tie 1 + 2^-24, then 1.0 (even). */
	F(t, 2) = dbits(1.0 + 0x1p-24);
	F(t, 3) = dbits(0x1p-60);
	uint32_t w[] = { FADDS(1, 2, 3) };
	fp_run(&t, w, 1);
	cr_expect_eq(F(t, 1), dbits(1.0 + 0x1p-23));
	ppc_t_fini(&t);
}

/* VE = 1: an invalid operation leaves FRT unchanged; with MSR[FE0,FE1] set
 * it also takes a program interrupt, SRR1[43], SRR0 = the instruction. */
Test(ppc_fp, enabled_invalid_operation)
{
	struct ppc_t t;
	fp_init(&t, false);
	F(t, 1) = 0x1234;
	F(t, 2) = 0x7ff0000000000000ull;
	F(t, 3) = 0xfff0000000000000ull;
	t.c->fpscr = PPC_FPSCR_VE;
	uint32_t w[] = { FADD(1, 2, 3) };
	fp_run(&t, w, 1);
	cr_expect_eq(F(t, 1), 0x1234);
	cr_expect(t.c->fpscr & PPC_FPSCR_VXISI);
	cr_expect(t.c->fpscr & PPC_FPSCR_FEX);
	cr_expect(t.c->fpscr & PPC_FPSCR_VX);
	ppc_t_fini(&t);

	fp_init(&t, false);
	F(t, 1) = 0x1234;
	F(t, 2) = 0x7ff0000000000000ull;
	F(t, 3) = 0xfff0000000000000ull;
	t.c->fpscr = PPC_FPSCR_VE;
	t.c->msr |= PPC_MSR_FE0 | PPC_MSR_FE1;
	uint32_t w2[] = { PPC_NOP, FADD(1, 2, 3) };
	fp_run(&t, w2, 2);
	cr_expect_eq(t.c->cpu.exit.pc, 0x708);
	cr_expect_eq(t.c->gpr[20], PPC_T_CODE + 4);
	cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_FP);
	cr_expect_eq(F(t, 1), 0x1234);
	ppc_t_fini(&t);
}

Test(ppc_fp, zero_divide_enabled_and_disabled)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 2) = dbits(-3.0);
	F(t, 3) = 0;
	uint32_t w[] = { FDIV(1, 2, 3), fa(63, 5, 2, 3, 0, 18, 0) };
	fp_run(&t, w, 1);
	cr_expect_eq(F(t, 1), 0xfff0000000000000ull);
	cr_expect(t.c->fpscr & PPC_FPSCR_ZX);
	cr_expect(!(t.c->fpscr & PPC_FPSCR_FEX));
	t.c->fpscr = PPC_FPSCR_ZE;
	F(t, 5) = 7;
	cpu_ppc_hv_return(t.c);
	t.c->pc = PPC_T_CODE + 4;
	uint32_t more[] = { w[1], PPC_SC1 };
	ppc_t_code(&t, PPC_T_CODE + 4, more, 2);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(F(t, 5), 7, "ZE = 1: FRT unchanged");
	cr_expect(t.c->fpscr & PPC_FPSCR_FEX);
	ppc_t_fini(&t);
}

/* fcmpo with a QNaN: VXVC; CR field and FPCC unordered. */
Test(ppc_fp, compare_ordered_unordered)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 2) = 0x7ff8000000000000ull;
	F(t, 3) = dbits(1.0);
	F(t, 4) = dbits(2.0);
	uint32_t w[] = { fx(3 << 2, 2, 3, 32, 0) /* fcmpo cr3 */,
			 fx(5 << 2, 3, 4, 0, 0) /* fcmpu cr5 */ };
	fp_run(&t, w, 2);
	cr_expect_eq(t.c->crf[3], 1);
	cr_expect_eq(t.c->crf[5], 8);
	cr_expect(t.c->fpscr & PPC_FPSCR_VXVC);
	cr_expect_eq((t.c->fpscr >> 12) & 0xf, 8, "FPCC of the last compare");
	ppc_t_fini(&t);
}

/* FPSCR moves: mtfsb1 of an exception bit sets FX; mcrfs copies and clears
 * the exception bits of the field; mtfsf cannot set FEX/VX directly. */
Test(ppc_fp, fpscr_moves)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 9) = 0x00000000e0000003ull; /* FX FEX VX + RN 3 */
	uint32_t w[] = {
		fx(4, 0, 0, 38, 0),                 /* mtfsb1 4 (UX) */
		fx(2 << 2, 1 << 2, 0, 64, 0),       /* mcrfs cr2, field 1 */
		fx(0, 0, 9, 711, 0) | (0xff << 17), /* mtfsf 0xff,f9 */
		fx(0, 0, 0, 583, 0) | (10 << 21),   /* mffs f10 */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq(t.c->crf[2], 0x8, "UX was in field 1");
	cr_expect_eq(F(t, 10), 0x80000003ull, "FX written, FEX/VX recomputed (0)");
	ppc_t_fini(&t);
}

Test(ppc_fp, fsel_and_moves)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 2) = 0x8000000000000000ull; /* -0: selects FRC */
	F(t, 3) = dbits(5.0);
	F(t, 4) = dbits(6.0);
	F(t, 5) = 0x7ff8000000000000ull; /* NaN: selects FRB */
	F(t, 6) = dbits(-7.0);
	uint32_t w[] = {
		fa(63, 1, 2, 4, 3, 23, 0), /* fsel f1,f2,f3,f4 */
		fa(63, 7, 5, 4, 3, 23, 0), /* fsel f7,f5,f3,f4 */
		fx(8, 0, 6, 264, 0),       /* fabs */
		fx(11, 0, 3, 136, 0),      /* fnabs */
		fx(12, 6, 3, 8, 0),        /* fcpsgn f12,f6,f3 */
		fx(13, 0, 3, 40, 0),       /* fneg */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq(F(t, 1), dbits(5.0));
	cr_expect_eq(F(t, 7), dbits(6.0));
	cr_expect_eq(F(t, 8), dbits(7.0));
	cr_expect_eq(F(t, 11), dbits(-5.0));
	cr_expect_eq(F(t, 12), dbits(-5.0));
	cr_expect_eq(F(t, 13), dbits(-5.0));
	ppc_t_fini(&t);
}

Test(ppc_fp, conversions)
{
	struct ppc_t t;
	fp_init(&t, true);
	F(t, 2) = dbits(-2.5);
	F(t, 3) = dbits(1e300);
	F(t, 4) = 0xfffffffffffffffdull; /* -3 as an integer */
	F(t, 5) = 0x7ff8000000000000ull;
	uint32_t w[] = {
		fx(1, 0, 2, 14, 0),  /* fctiw (RN: -2.5 -> -2) */
		fx(6, 0, 2, 15, 0),  /* fctiwz -> -2 */
		fx(7, 0, 3, 815, 0), /* fctidz 1e300 -> max, VXCVI */
		fx(8, 0, 4, 846, 0), /* fcfid -3 -> -3.0 */
		fx(9, 0, 2, 143, 0), /* fctiwuz -2.5 -> 0, VXCVI (negative out of range) */
		fx(10, 0, 2, 392, 0) /* frin -2.5 -> -3 */,
		fx(11, 0, 5, 814, 0), /* fctid NaN -> 0x8000... */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq((uint32_t)F(t, 1), (uint32_t)-2);
	cr_expect_eq((uint32_t)F(t, 6), (uint32_t)-2);
	cr_expect_eq(F(t, 7), 0x7fffffffffffffffull);
	cr_expect_eq(F(t, 8), dbits(-3.0));
	cr_expect_eq(F(t, 9), 0);
	cr_expect_eq(F(t, 10), dbits(-3.0));
	cr_expect_eq(F(t, 11), 0x8000000000000000ull);
	cr_expect(t.c->fpscr & PPC_FPSCR_VXCVI);
	ppc_t_fini(&t);
}

/* XX3 / XX2 encodings of VSX vector instructions on VSRs 0..31. */
#define XX3(xo, t, a, b) ((60u << 26) | (t) << 21 | (a) << 16 | (b) << 11 | (xo) << 3)
#define XX2(xo, t, b) ((60u << 26) | (t) << 21 | (b) << 11 | (xo) << 2)

/*
 * VSX vector double precision: both doublewords as the scalar instruction
 * computes one, exceptions accumulated; FPRF, FR and FI unchanged (a vector
 * instruction does not set them); compares give all-ones / zero elements
 * and, with Rc, CR6.
 */
Test(ppc_fp, vector_double_precision)
{
	struct ppc_t t;
	fp_init(&t, true);
	t.c->msr |= PPC_MSR_VSX;
	t.c->fpscr = PPC_FPSCR_FI | (0x11u << PPC_FPSCR_FPRF_SHIFT); /* FI, FPRF = QNaN */
	t.c->vsr[1][0] = dbits(1.5);
	t.c->vsr[1][1] = dbits(-2.0);
	t.c->vsr[2][0] = dbits(0.25);
	t.c->vsr[2][1] = dbits(1e300);
	t.c->vsr[5][0] = dbits(-3.7);
	t.c->vsr[5][1] = 0x7ff4000000000000ull; /* SNaN */
	t.c->vsr[6][0] = dbits(2.0);
	t.c->vsr[6][1] = dbits(-2.0);
	uint32_t w[] = {
		XX3(96, 3, 1, 2),             /* xvadddp vs3, vs1, vs2 */
		XX3(112, 4, 2, 2),            /* xvmuldp vs4, vs2, vs2: overflow in element 1 */
		XX2(201, 7, 5),               /* xvrdpi vs7, vs5: -4, SNaN -> QNaN */
		XX3(107, 8, 1, 6) | 1u << 10, /* xvcmpgtdp. vs8, vs1, vs6 */
		XX2(504, 9, 6),               /* xvcvsxddp vs9, vs6 (as integers) */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq(t.c->vsr[3][0], dbits(1.75));
	cr_expect_eq(t.c->vsr[3][1], dbits(1e300 - 2.0));
	cr_expect_eq(t.c->vsr[4][0], dbits(0.0625));
	cr_expect_eq(t.c->vsr[4][1], 0x7ff0000000000000ull, "+inf (RN)");
	cr_expect_eq(t.c->vsr[7][0], dbits(-4.0));
	cr_expect_eq(t.c->vsr[7][1], 0x7ffc000000000000ull);
	cr_expect_eq(t.c->vsr[8][0], 0, "1.5 > 2.0 is false");
	cr_expect_eq(t.c->vsr[8][1], 0, "-2.0 > -2.0 is false");
	cr_expect_eq(t.c->crf[6], 2, "CR6: all false");
	cr_expect_eq(t.c->vsr[9][0], dbits(0x1p62));
	cr_expect_eq(t.c->vsr[9][1], dbits(-0x1p62));
	cr_expect(t.c->fpscr & PPC_FPSCR_OX);
	cr_expect(t.c->fpscr & PPC_FPSCR_XX);
	cr_expect(t.c->fpscr & PPC_FPSCR_VXSNAN);
	cr_expect(t.c->fpscr & PPC_FPSCR_FI, "FI unchanged");
	cr_expect_eq((t.c->fpscr & PPC_FPSCR_FPRF) >> PPC_FPSCR_FPRF_SHIFT, 0x11, "FPRF unchanged");
	ppc_t_fini(&t);
}

/*
 * An enabled exception in one element of a vector instruction suppresses
 * the whole result (Book I 7.6.1, ex_flag): with VE, an SNaN in element 1
 * of xvadddp leaves both doublewords of XT; with XE, an inexact element 0
 * of xvmuldp leaves element 1 too. The exception bits are still set, FX
 * only when one goes from 0 to 1, and a program interrupt follows with
 * MSR[FE0,FE1].
 */
Test(ppc_fp, vector_enabled_exception_suppresses_all_elements)
{
	struct ppc_t t;
	fp_init(&t, true);
	t.c->msr |= PPC_MSR_VSX;
	t.c->fpscr = PPC_FPSCR_VE;
	t.c->vsr[1][0] = dbits(1.5);
	t.c->vsr[1][1] = 0x7ff4000000000000ull; /* SNaN */
	t.c->vsr[2][0] = dbits(0.1);
	t.c->vsr[2][1] = dbits(2.0);
	t.c->vsr[3][0] = 0x1111;
	t.c->vsr[3][1] = 0x2222;
	t.c->vsr[4][0] = 0x3333;
	t.c->vsr[4][1] = 0x4444;
	uint32_t w[] = {
		XX3(96, 3, 1, 2), /* xvadddp vs3, vs1, vs2: VXSNAN (enabled) in element 1 */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq(t.c->vsr[3][0], 0x1111, "element 0 not written either");
	cr_expect_eq(t.c->vsr[3][1], 0x2222);
	cr_expect(t.c->fpscr & PPC_FPSCR_VXSNAN);
	cr_expect(t.c->fpscr & PPC_FPSCR_FX);
	cr_expect(t.c->fpscr & PPC_FPSCR_FEX);
	ppc_t_fini(&t);

	fp_init(&t, false);
	t.c->msr |= PPC_MSR_VSX;
	t.c->fpscr = PPC_FPSCR_XE | PPC_FPSCR_XX; /* XX already set: FX stays clear */
	t.c->vsr[2][0] = dbits(0.1);
	t.c->vsr[2][1] = dbits(2.0);
	t.c->vsr[4][0] = 0x3333;
	t.c->vsr[4][1] = 0x4444;
	uint32_t w2[] = {
		XX3(112, 4, 2, 2), /* xvmuldp vs4, vs2, vs2: 0.01 inexact, 4 exact */
		XX3(96, 5, 2, 2),  /* xvadddp vs5, vs2, vs2: exact in both elements */
	};
	fp_run(&t, w2, SV_ARRAY_SIZE(w2));
	cr_expect_eq(t.c->vsr[4][0], 0x3333);
	cr_expect_eq(t.c->vsr[4][1], 0x4444, "the exact element is not written");
	cr_expect_eq(t.c->vsr[5][0], dbits(0.2));
	cr_expect_eq(t.c->vsr[5][1], dbits(4.0));
	cr_expect(!(t.c->fpscr & PPC_FPSCR_FX), "no exception bit went from 0 to 1");
	ppc_t_fini(&t);
}

static uint32_t fbits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

#define VXF(xo, t, a, b) ((4u << 26) | (t) << 21 | (a) << 16 | (b) << 11 | (xo))
#define VR(t, n) ((t).c->vsr[32 + (n)])

/*
 * VMX floating point: VSCR[NJ] flushes denormal operands and tiny results
 * (also one that rounds up to the smallest normal), vctsxs saturates and
 * sets VSCR[SAT], vcmpbfp. gives CR6 bit 2 only when every word is within
 * bounds, and FPSCR is untouched (RN = round toward zero is ignored).
 */
Test(ppc_fp, vmx_floating_point)
{
	struct ppc_t t;
	fp_init(&t, false);
	t.c->msr |= PPC_MSR_VEC;
	t.c->fpscr = 1;      /* RN: toward zero (VMX rounds to nearest anyway) */
	t.c->vscr = 0x10000; /* NJ */
	/* v1 + v2: [1 + 1.5 x 2^-24, two denormals, 1.5 x 2^-126 - 2^-126, 3 - 1]. */
	VR(t, 1)[0] = (uint64_t)fbits(1.0f) << 32 | 0x00000001u;
	VR(t, 1)[1] = (uint64_t)fbits(0x1.8p-126f) << 32 | fbits(3.0f);
	VR(t, 2)[0] = (uint64_t)fbits(0x1.8p-24f) << 32 | 0x00000001u;
	VR(t, 2)[1] = (uint64_t)fbits(-0x1p-126f) << 32 | fbits(-1.0f);
	/* v9 x v10 + 0: (1 - 2^-24) x 2^-126 rounds (RN) up to 2^-126. */
	VR(t, 9)[0] = (uint64_t)0x3f7fffffu << 32;
	VR(t, 10)[0] = (uint64_t)fbits(0x1p-126f) << 32;
	VR(t, 4)[0] = (uint64_t)fbits(1e10f) << 32 | fbits(-1e10f);
	VR(t, 4)[1] = (uint64_t)fbits(-5.75f) << 32 | 0x7fc00000u;
	uint32_t w[] = {
		VXF(10, 3, 1, 2), /* vaddfp v3,v1,v2 */
		(4u << 26) | 8 << 21 | 9 << 16 | 11 << 11 | 10 << 6 |
			46,                   /* vmaddfp v8,v9,v10,v11 */
		VXF(970, 5, 0, 4),            /* vctsxs v5,v4,0 */
		VXF(966 | 1u << 10, 6, 1, 1), /* vcmpbfp. v6,v1,v1 */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq(VR(t, 3)[0], (uint64_t)fbits(1.0f + 0x1p-23f) << 32,
		     "RN (not FPSCR's RZ); denormal operands are 0");
	cr_expect_eq(VR(t, 3)[1], fbits(2.0f), "2^-127 flushed to +0");
	cr_expect_eq(VR(t, 8)[0], 0, "tiny before rounding: +0, not 2^-126");
	cr_expect_eq(VR(t, 5)[0], 0x7fffffff80000000ull);
	cr_expect_eq(VR(t, 5)[1], 0xfffffffb00000000ull, "-5.75 truncates to -5; NaN -> 0");
	cr_expect(t.c->vscr & 1, "SAT");
	cr_expect_eq(t.c->crf[6], 2, "all within bounds (x <= x and x >= -x for x >= 0)");
	cr_expect_eq(t.c->fpscr, 1, "FPSCR unchanged");
	ppc_t_fini(&t);
}

/*
 * VSX vector single precision: each word rounded to single (a product just
 * below a halfway point rounds down), an SNaN word gives its QNaN and
 * VXSNAN, a result below the single range underflows to +0 (UX); the
 * compares set CR6 over the four words. FI stays.
 */
Test(ppc_fp, vector_single_precision)
{
	struct ppc_t t;
	fp_init(&t, true);
	t.c->msr |= PPC_MSR_VSX;
	t.c->fpscr = PPC_FPSCR_FI;
	t.c->vsr[1][0] = (uint64_t)fbits(1.0f + 0x1p-23f) << 32 | 0x7fa00000u; /* SNaN */
	t.c->vsr[1][1] = (uint64_t)fbits(0x1p-126f) << 32 | fbits(3.0f);
	t.c->vsr[2][0] = (uint64_t)fbits(1.0f - 0x1p-24f) << 32 | fbits(1.0f);
	t.c->vsr[2][1] = (uint64_t)fbits(0x1p-127f) << 32 | fbits(-1.0f);
	uint32_t w[] = {
		XX3(80, 3, 1, 2),            /* xvmulsp vs3, vs1, vs2 */
		XX3(75, 4, 1, 2) | 1u << 10, /* xvcmpgtsp. vs4, vs1, vs2 */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	/* (1 + 2^-23)(1 - 2^-24) = 1 + 2^-24 - 2^-47: below the halfway point. */
	cr_expect_eq(t.c->vsr[3][0], (uint64_t)fbits(1.0f) << 32 | 0x7fe00000u);
	cr_expect_eq(t.c->vsr[3][1], (uint64_t)0x00000000u << 32 | fbits(-3.0f),
		     "2^-253 underflows to +0");
	cr_expect(t.c->fpscr & PPC_FPSCR_VXSNAN);
	cr_expect(t.c->fpscr & PPC_FPSCR_UX);
	cr_expect(t.c->fpscr & PPC_FPSCR_FI, "FI unchanged");
	cr_expect_eq(t.c->vsr[4][0], 0xffffffff00000000ull, "1+ulp > 1-ulp; NaN unordered");
	cr_expect_eq(t.c->vsr[4][1], ~0ull, "2^-126 > 2^-127, 3 > -1");
	cr_expect_eq(t.c->crf[6], 0, "neither all true nor all false");
	ppc_t_fini(&t);
}

/*
 * VSX conversions between element sizes (Book I 7.6.1): doubleword i <->
 * word 2i, a word result replicated into word 2i + 1. xvcvdpsp rounds per
 * FPSCR[RN] (here toward +infinity) and quiets an SNaN with VXSNAN;
 * xvcvspdp is exact and quiets too; the conversions to integer truncate
 * and saturate with VXCVI (a NaN gives the most negative / zero value);
 * xvcvuxdsp rounds an integer once to single. FI unchanged.
 */
Test(ppc_fp, vector_size_conversions)
{
	struct ppc_t t;
	fp_init(&t, true);
	t.c->msr |= PPC_MSR_VSX;
	t.c->fpscr = 2 | PPC_FPSCR_FI; /* RN = +infinity */
	t.c->vsr[2][0] = dbits(1.0 + 0x1p-24);
	t.c->vsr[2][1] = 0x7ff4000000000000ull; /* SNaN */
	t.c->vsr[3][0] = 0x7f80000112345678ull; /* word 0: SNaN */
	t.c->vsr[3][1] = (uint64_t)fbits(-0.75f) << 32 | 0x9abcdef0u;
	t.c->vsr[4][0] = (uint64_t)fbits(3.7f) << 32 | fbits(-0x1p31f);
	t.c->vsr[4][1] = (uint64_t)fbits(3e9f) << 32 | 0x7fc00000u;
	t.c->vsr[5][0] = (uint64_t)0xfffffff9u << 32 | 0x11111111u;
	t.c->vsr[5][1] = (uint64_t)0x7fffffffu << 32 | 0x22222222u;
	t.c->vsr[6][0] = ~0ull;
	t.c->vsr[6][1] = 3;
	t.c->vsr[7][0] = dbits(-2.5);
	t.c->vsr[7][1] = dbits(1e10);
	uint32_t w[] = {
		XX2(393, 10, 2), /* xvcvdpsp vs10, vs2 */
		XX2(457, 11, 3), /* xvcvspdp vs11, vs3 */
		XX2(152, 12, 4), /* xvcvspsxws vs12, vs4 */
		XX2(392, 13, 4), /* xvcvspuxds vs13, vs4 */
		XX2(248, 14, 5), /* xvcvsxwdp vs14, vs5 */
		XX2(424, 15, 6), /* xvcvuxdsp vs15, vs6 */
		XX2(216, 16, 7), /* xvcvdpsxws vs16, vs7 */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq(t.c->vsr[10][0], 0x3f8000013f800001ull, "1 + 2^-24 rounds up");
	cr_expect_eq(t.c->vsr[10][1], 0x7fe000007fe00000ull, "SNaN -> QNaN");
	cr_expect_eq(t.c->vsr[11][0], 0x7ff8000020000000ull);
	cr_expect_eq(t.c->vsr[11][1], dbits(-0.75));
	cr_expect_eq(t.c->vsr[12][0], 0x0000000380000000ull);
	cr_expect_eq(t.c->vsr[12][1], 0x7fffffff80000000ull, "3e9 saturates; NaN");
	cr_expect_eq(t.c->vsr[13][0], 3);
	cr_expect_eq(t.c->vsr[13][1], 3000000000ull);
	cr_expect_eq(t.c->vsr[14][0], dbits(-7.0));
	cr_expect_eq(t.c->vsr[14][1], dbits(2147483647.0));
	cr_expect_eq(t.c->vsr[15][0], 0x5f8000005f800000ull, "2^64 - 1 -> 2^64");
	cr_expect_eq(t.c->vsr[15][1], 0x4040000040400000ull);
	cr_expect_eq(t.c->vsr[16][0], 0xfffffffefffffffeull);
	cr_expect_eq(t.c->vsr[16][1], 0x7fffffff7fffffffull);
	cr_expect(t.c->fpscr & PPC_FPSCR_VXSNAN);
	cr_expect(t.c->fpscr & PPC_FPSCR_VXCVI);
	cr_expect(t.c->fpscr & PPC_FPSCR_XX);
	cr_expect(t.c->fpscr & PPC_FPSCR_FI, "FI unchanged");
	ppc_t_fini(&t);
}

/*
 * The VSX vector estimates: xvredp / xvresp within 1/16384 of 1/x
 * (relative), xvrsqrtedp / xvrsqrtesp of 1/sqrt(x); special values exact
 * (1/+0 = +inf with ZX, 1/-inf = -0, rsqrte(-1) = the default QNaN with
 * VXSQRT, rsqrte(+inf) = +0).
 */
Test(ppc_fp, vector_estimates)
{
	struct ppc_t t;
	fp_init(&t, true);
	t.c->msr |= PPC_MSR_VSX;
	t.c->vsr[1][0] = dbits(3.0);
	t.c->vsr[1][1] = 0; /* +0 */
	t.c->vsr[2][0] = dbits(-1.0);
	t.c->vsr[2][1] = dbits(0.7);
	t.c->vsr[3][0] = (uint64_t)fbits(3.0f) << 32 | 0xff800000u; /* -inf */
	t.c->vsr[3][1] = (uint64_t)fbits(7e-30f) << 32 | fbits(1e30f);
	t.c->vsr[4][0] = (uint64_t)0x7f800000u << 32 | fbits(-4.0f);
	t.c->vsr[4][1] = (uint64_t)fbits(2.0f) << 32 | fbits(5e-40f);
	uint32_t w[] = {
		XX2(218, 10, 1), /* xvredp vs10, vs1 */
		XX2(202, 11, 2), /* xvrsqrtedp vs11, vs2 */
		XX2(154, 12, 3), /* xvresp vs12, vs3 */
		XX2(138, 13, 4), /* xvrsqrtesp vs13, vs4 */
	};
	fp_run(&t, w, SV_ARRAY_SIZE(w));
	double d;
	memcpy(&d, &t.c->vsr[10][0], 8);
	cr_expect(fabs(d - 1.0 / 3.0) <= (1.0 / 3.0) / 16384, "1/3: %a", d);
	cr_expect_eq(t.c->vsr[10][1], 0x7ff0000000000000ull, "1/+0 = +inf");
	cr_expect_eq(t.c->vsr[11][0], 0x7ff8000000000000ull, "rsqrte(-1): default QNaN");
	memcpy(&d, &t.c->vsr[11][1], 8);
	cr_expect(fabs(d - 1.0 / sqrt(0.7)) <= (1.0 / sqrt(0.7)) / 16384, "%a", d);
	float f;
	uint32_t u = (uint32_t)(t.c->vsr[12][0] >> 32);
	memcpy(&f, &u, 4);
	cr_expect(fabs(f - 1.0 / 3.0) <= (1.0 / 3.0) / 16384);
	cr_expect_eq((uint32_t)t.c->vsr[12][0], 0x80000000u, "1/-inf = -0");
	u = (uint32_t)(t.c->vsr[12][1] >> 32);
	memcpy(&f, &u, 4);
	cr_expect(fabs(f - 1.0 / 7e-30) <= (1.0 / 7e-30) / 16384);
	u = (uint32_t)t.c->vsr[12][1];
	memcpy(&f, &u, 4);
	cr_expect(fabs(f - 1e-30) <= 1e-30 / 16384);
	cr_expect_eq(t.c->vsr[13][0], 0x000000007fc00000ull, "rsqrte(+inf) = +0; -4: QNaN");
	u = (uint32_t)(t.c->vsr[13][1] >> 32);
	memcpy(&f, &u, 4);
	cr_expect(fabs(f - 1.0 / sqrt(2.0)) <= (1.0 / sqrt(2.0)) / 16384);
	u = (uint32_t)t.c->vsr[13][1];
	memcpy(&f, &u, 4);
	cr_expect(fabs(f - 1.0 / sqrt(5e-40f)) <= (1.0 / sqrt(5e-40f)) / 16384, "a denormal");
	cr_expect(t.c->fpscr & PPC_FPSCR_ZX);
	cr_expect(t.c->fpscr & PPC_FPSCR_VXSQRT);
	ppc_t_fini(&t);
}
