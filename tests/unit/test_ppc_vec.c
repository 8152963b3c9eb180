/*
 * VMX / VSX: the byte order of every load and store kind in both MSR[LE]
 * settings (the differential test covers the register operations), the
 * element stores, lvsl/lvsr, the facility-unavailable interrupts, and
 * CR6 of the vector compares.
 */
#include "test_ppc.h"

#define BOTH(le) for (int le = 1; le >= 0; le--)
#define MEM 0x8000ull

static void vec_init(struct ppc_t *t, bool le)
{
	ppc_t_init(t, le);
	t->c->msr |= PPC_MSR_FP | PPC_MSR_VEC | PPC_MSR_VSX;
	uint32_t h[] = { ppc_mfspr(20, 26), ppc_mfspr(21, 27), PPC_SC1 };
	ppc_t_code(t, 0x800, h, 3);
	ppc_t_code(t, 0xf20, h, 3);
	ppc_t_code(t, 0xf40, h, 3);
	/* memory bytes MEM + i = i (0x00..0x1f), MEM + 0x100.. zero */
	uint8_t b[32];
	for (unsigned i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	cr_assert_eq(p2m_copy_to(t->p2m, MEM, b, 32), 0);
	t->c->gpr[3] = MEM;
	t->c->gpr[4] = 0x100;
}

static void vec_run(struct ppc_t *t, const uint32_t *w, size_t n)
{
	ppc_t_code(t, PPC_T_CODE, w, n);
	uint32_t sc = PPC_SC1;
	ppc_t_code(t, PPC_T_CODE + 4 * n, &sc, 1);
	ppc_t_run_exit(t, 0xc00);
}

/* X-form of opcode 31 with the TX/SX bit for VSR numbers >= 32. */
static uint32_t vx31(unsigned xo, unsigned xt, unsigned ra, unsigned rb)
{
	return ppc_x(31, xt & 31, ra, rb, xo, xt >> 5);
}

static void mem_bytes(struct ppc_t *t, uint64_t gpa, uint8_t *out, size_t n)
{
	cr_assert_eq(p2m_copy_from(t->p2m, out, gpa, n), 0);
}

Test(ppc_vec, quadword_loads_both_byte_orders)
{
	BOTH(le)
	{
		struct ppc_t t;
		vec_init(&t, le);
		t.c->gpr[5] = MEM + 3; /* lvx ignores the low 4 bits of EA */
		uint32_t w[] = {
			vx31(103, 2, 0, 5) /* lvx v2 */,
			vx31(268, 3, 0, 3) /* lxvx vs3 */,
			vx31(844, 4, 0, 3) /* lxvd2x vs4 */,
			vx31(780, 5, 0, 3) /* lxvw4x vs5 */,
			vx31(876, 6, 0, 3) /* lxvb16x vs6 */,
			vx31(332, 7, 0, 3) /* lxvdsx vs7 */,
			(61u << 26) | (8u << 21) | (3u << 16) | 0x10 | 1 /* lxv vs8,16(r3) */,
		};
		vec_run(&t, w, SV_ARRAY_SIZE(w));
		const uint64_t be0 = 0x0001020304050607ull, be1 = 0x08090a0b0c0d0e0full;
		const uint64_t le0 = 0x0f0e0d0c0b0a0908ull, le1 = 0x0706050403020100ull;
		/* lvx / lxvx / lxv: byte-reversed quadword in LE. */
		cr_expect_eq(t.c->vsr[34][0], le ? le0 : be0);
		cr_expect_eq(t.c->vsr[34][1], le ? le1 : be1);
		cr_expect_eq(t.c->vsr[3][0], le ? le0 : be0);
		cr_expect_eq(t.c->vsr[8][0], le ? 0x1f1e1d1c1b1a1918ull : 0x1011121314151617ull);
		/* lxvd2x: doubleword 0 at EA in either order. */
		cr_expect_eq(t.c->vsr[4][0], le ? le1 : be0);
		cr_expect_eq(t.c->vsr[4][1], le ? le0 : be1);
		/* lxvw4x: word 0 at EA. */
		cr_expect_eq(t.c->vsr[5][0], le ? 0x0302010007060504ull : be0);
		/* lxvb16x: always big-endian bytes. */
		cr_expect_eq(t.c->vsr[6][0], be0);
		cr_expect_eq(t.c->vsr[6][1], be1);
		cr_expect_eq(t.c->vsr[7][0], t.c->vsr[7][1]);
		cr_expect_eq(t.c->vsr[7][0], le ? le1 : be0);
		ppc_t_fini(&t);
	}
}

/* Stores are the inverse of the loads: load + store round-trips bytes. */
Test(ppc_vec, quadword_stores_round_trip)
{
	BOTH(le)
	{
		struct ppc_t t;
		vec_init(&t, le);
		t.c->gpr[6] = MEM + 0x100;
		t.c->gpr[7] = MEM + 0x110;
		t.c->gpr[8] = MEM + 0x120;
		t.c->gpr[9] = MEM + 0x130;
		uint32_t w[] = {
			vx31(103, 2, 0, 3),  vx31(231, 2, 0, 6) /* lvx, stvx */,
			vx31(844, 40, 0, 3), vx31(972, 40, 0, 7) /* lxvd2x, stxvd2x vs40 */,
			vx31(780, 9, 0, 3),  vx31(908, 9, 0, 8) /* lxvw4x, stxvw4x */,
			vx31(876, 10, 0, 3), vx31(1004, 10, 0, 9) /* lxvb16x, stxvb16x */,
		};
		vec_run(&t, w, SV_ARRAY_SIZE(w));
		for (unsigned k = 0; k < 4; k++) {
			uint8_t b[16];
			mem_bytes(&t, MEM + 0x100 + 16 * k, b, 16);
			for (unsigned i = 0; i < 16; i++)
				cr_expect_eq(b[i], i, "store kind %u byte %u (le %d)", k, i, le);
		}
		ppc_t_fini(&t);
	}
}

/* lvsl/lvsr + vperm realign an unaligned quadword (the classic idiom); the
 * element stores write only the addressed element. */
Test(ppc_vec, lvsl_vperm_and_element_stores)
{
	BOTH(le)
	{
		struct ppc_t t;
		vec_init(&t, le);
		t.c->gpr[5] = 3;
		t.c->gpr[6] = MEM + 0x105;
		uint32_t w[] = {
			vx31(6, 1, 3, 5),                       /* lvsl v1,r3,r5 */
			vx31(38, 11, 3, 5),                     /* lvsr v11,r3,r5 */
			vx31(103, 2, 0, 3),                     /* lvx v2,0,r3 */
			ppc_addi(7, 3, 16), vx31(103, 3, 0, 7), /* lvx v3,0,r3+16 */
			(4u << 26) | (4u << 21) | (2u << 16) | (3u << 11) | (1u << 6) | 43,
			/* vperm v4,v2,v3,v1 */
			vx31(135, 2, 0, 6), /* stvebx v2,0,r6 (MEM+0x105) */
		};
		vec_run(&t, w, SV_ARRAY_SIZE(w));
		/* lvsl: 3..18; lvsr: 13..28 (bytes in the ISA's order). */
		cr_expect_eq(t.c->vsr[33][0], 0x030405060708090aull);
		cr_expect_eq(t.c->vsr[43][0], 0x0d0e0f1011121314ull);
		if (!le) {
			/* BE: v4 = bytes 3..18 of memory. */
			cr_expect_eq(t.c->vsr[36][0], 0x030405060708090aull);
			cr_expect_eq(t.c->vsr[36][1], 0x0b0c0d0e0f101112ull);
		}
		uint8_t b[16];
		mem_bytes(&t, MEM + 0x100, b, 16);
		for (unsigned i = 0; i < 16; i++)
			cr_expect_eq(b[i], i == 5 ? 5 : 0, "byte %u (le %d)", i, le);
		ppc_t_fini(&t);
	}
}

Test(ppc_vec, stvewx_and_scalar_loads)
{
	BOTH(le)
	{
		struct ppc_t t;
		vec_init(&t, le);
		t.c->gpr[6] = MEM + 0x108;
		uint32_t w[] = {
			vx31(103, 2, 0, 3),  /* lvx v2 */
			vx31(199, 2, 0, 6),  /* stvewx v2 -> MEM + 0x108 (word 8..11) */
			vx31(12, 12, 0, 3),  /* lxsiwzx vs12 */
			vx31(76, 13, 0, 3),  /* lxsiwax vs13 */
			vx31(588, 14, 0, 3), /* lxsdx vs14 */
		};
		vec_run(&t, w, SV_ARRAY_SIZE(w));
		uint8_t b[16];
		mem_bytes(&t, MEM + 0x100, b, 16);
		for (unsigned i = 0; i < 16; i++)
			cr_expect_eq(b[i], (i >= 8 && i < 12) ? i : 0, "byte %u (le %d)", i, le);
		cr_expect_eq(t.c->vsr[12][0], le ? 0x03020100ull : 0x00010203ull);
		cr_expect_eq(t.c->vsr[14][0], le ? 0x0706050403020100ull : 0x0001020304050607ull);
		ppc_t_fini(&t);
	}
}

Test(ppc_vec, facilities_unavailable)
{
	struct ppc_t t;
	vec_init(&t, true);
	t.c->msr &= ~PPC_MSR_VEC;
	uint32_t w1[] = { vx31(103, 2, 0, 3) };
	vec_run(&t, w1, 1);
	cr_expect_eq(t.c->cpu.exit.pc, 0xf28, "vector unavailable");
	cr_expect_eq(t.c->gpr[20], PPC_T_CODE);
	ppc_t_fini(&t);

	vec_init(&t, true);
	t.c->msr &= ~PPC_MSR_VSX;
	uint32_t w2[] = { PPC_NOP, vx31(844, 2, 0, 3) };
	vec_run(&t, w2, 2);
	cr_expect_eq(t.c->cpu.exit.pc, 0xf48, "VSX unavailable");
	cr_expect_eq(t.c->gpr[20], PPC_T_CODE + 4);
	ppc_t_fini(&t);

	/* mfvsrd: FP for VSR 0..31, VEC for 32..63. */
	vec_init(&t, true);
	t.c->msr &= ~PPC_MSR_FP;
	uint32_t w3[] = { vx31(51, 40, 5, 0), vx31(51, 3, 5, 0) };
	vec_run(&t, w3, 2);
	cr_expect_eq(t.c->cpu.exit.pc, 0x808);
	cr_expect_eq(t.c->gpr[20], PPC_T_CODE + 4);
	ppc_t_fini(&t);
}

Test(ppc_vec, compare_sets_cr6)
{
	struct ppc_t t;
	vec_init(&t, true);
	t.c->vsr[33][0] = t.c->vsr[33][1] = 0x1111111111111111ull;
	t.c->vsr[34][0] = 0x1111111111111111ull;
	t.c->vsr[34][1] = 0x2222222222222222ull;
	uint32_t w[] = {
		(4u << 26) | (3u << 21) | (1u << 16) | (1u << 11) | 0x400 |
			6,                  /* vcmpequb. v3,v1,v1 */
		ppc_x(31, 10, 0, 0, 19, 0), /* mfcr r10 */
		(4u << 26) | (4u << 21) | (1u << 16) | (2u << 11) | 0x400 |
			6, /* vcmpequb. v4,v1,v2 */
		ppc_x(31, 11, 0, 0, 19, 0),
		(4u << 26) | (5u << 21) | (1u << 16) | (2u << 11) | 0x400 |
			518, /* vcmpgtub. (none) */
		ppc_x(31, 12, 0, 0, 19, 0),
	};
	vec_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq((t.c->gpr[10] >> 4) & 0xf, 8, "all equal");
	cr_expect_eq((t.c->gpr[11] >> 4) & 0xf, 0, "mixed");
	cr_expect_eq((t.c->gpr[12] >> 4) & 0xf, 2, "none greater");
	cr_expect_eq(t.c->vsr[36][0], ~0ull);
	cr_expect_eq(t.c->vsr[36][1], 0);
	ppc_t_fini(&t);
}

static uint64_t dbl(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

/* VSX scalar FP: the A/M multiply-add forms, word conversions, max/min. */
Test(ppc_vec, vsx_scalar_fp)
{
	struct ppc_t t;
	vec_init(&t, true);
	t.c->vsr[1][0] = dbl(2.0);
	t.c->vsr[2][0] = dbl(3.0);
	t.c->vsr[40][0] = dbl(10.0); /* XT of the A form: the addend */
	t.c->vsr[41][0] = dbl(10.0); /* XT of the M form: a multiplicand */
	t.c->vsr[3][0] = dbl(-2.7);
	t.c->vsr[4][0] = 0x8000000000000000ull; /* -0 */
	t.c->vsr[5][0] = 0;                     /* +0 */
	t.c->vsr[6][0] = 0x7ff0000000000001ull; /* SNaN */
	uint32_t w[] = {
		(60u << 26) | (8u << 21) | (1u << 16) | (2u << 11) | (33u << 3) |
			1, /* xsmaddadp vs40 */
		(60u << 26) | (9u << 21) | (1u << 16) | (2u << 11) | (41u << 3) |
			1,                                           /* xsmaddmdp vs41 */
		(60u << 26) | (10u << 21) | (3u << 11) | (88u << 2), /* xscvdpsxws vs10,vs3 */
		(60u << 26) | (11u << 21) | (4u << 16) | (5u << 11) |
			(160u << 3), /* xsmaxdp -0,+0 */
		(60u << 26) | (12u << 21) | (6u << 16) | (1u << 11) |
			(168u << 3),                                  /* xsmindp SNaN,2 */
		(60u << 26) | (13u << 21) | (1u << 11) | (265u << 2), /* xscvdpsp vs13,vs1 */
	};
	vec_run(&t, w, SV_ARRAY_SIZE(w));
	cr_expect_eq(t.c->vsr[40][0], dbl(16.0), "A form: XA * XB + XT");
	cr_expect_eq(t.c->vsr[41][0], dbl(23.0), "M form: XA * XT + XB");
	cr_expect_eq(t.c->vsr[41][1], 0);
	cr_expect_eq(t.c->vsr[10][0], 0xfffffffefffffffeull, "-2 in words 0 and 1");
	cr_expect_eq(t.c->vsr[11][0], 0, "max(-0, +0) = +0");
	cr_expect_eq(t.c->vsr[12][0], 0x7ff8000000000001ull, "SNaN -> its QNaN");
	cr_expect(t.c->fpscr & PPC_FPSCR_VXSNAN);
	cr_expect(t.c->fpscr & PPC_FPSCR_XX, "xscvdpsxws of -2.7 is inexact");
	cr_expect_eq(t.c->vsr[13][0], 0x4000000040000000ull);
	ppc_t_fini(&t);
}

/* xsaddsp rounds once to single (qemu 7.2 rounds to double first): the
 * exact sum FLT_MAX + 2^103 - 2^50 is below the overflow threshold. */
Test(ppc_vec, vsx_single_rounds_once)
{
	struct ppc_t t;
	vec_init(&t, true);
	t.c->vsr[1][0] = 0x47efffffe0000000ull; /* FLT_MAX */
	t.c->vsr[2][0] = dbl(0x1p103 - 0x1p50);
	uint32_t w[] = { (60u << 26) | (3u << 21) | (1u << 16) | (2u << 11) | (0u << 3) };
	vec_run(&t, w, 1);
	cr_expect_eq(t.c->vsr[3][0], 0x47efffffe0000000ull);
	cr_expect(!(t.c->fpscr & PPC_FPSCR_OX));
	cr_expect(t.c->fpscr & PPC_FPSCR_XX);
	ppc_t_fini(&t);
}

/* lxvl/stxvl: nb = RB[0:7] bytes, quadword byte order; lxvll left-justified. */
Test(ppc_vec, load_store_with_length)
{
	BOTH(le)
	{
		struct ppc_t t;
		vec_init(&t, le);
		t.c->gpr[5] = 3ull << 56;  /* 3 bytes */
		t.c->gpr[6] = 40ull << 56; /* more than 16: 16 */
		t.c->gpr[7] = MEM + 0x100;
		uint32_t w[] = {
			vx31(269, 2, 3, 5), /* lxvl vs2,r3,r5 */
			vx31(301, 3, 3, 5), /* lxvll vs3,r3,r5 */
			vx31(269, 4, 3, 6), /* lxvl vs4 (16 bytes) */
			vx31(397, 4, 7, 5), /* stxvl vs4,r7,r5: 3 bytes */
			vx31(364, 5, 0, 3), /* lxvwsx vs5 */
		};
		vec_run(&t, w, SV_ARRAY_SIZE(w));
		if (le) {
			cr_expect_eq(t.c->vsr[2][0], 0);
			cr_expect_eq(t.c->vsr[2][1], 0x0000000000020100ull);
		} else {
			cr_expect_eq(t.c->vsr[2][0], 0x0001020000000000ull);
			cr_expect_eq(t.c->vsr[2][1], 0);
		}
		cr_expect_eq(t.c->vsr[3][0], 0x0001020000000000ull, "left-justified");
		uint8_t b[4];
		mem_bytes(&t, MEM + 0x100, b, 4);
		cr_expect(b[0] == 0 && b[1] == 1 && b[2] == 2 && b[3] == 0);
		cr_expect_eq(t.c->vsr[5][0], le ? 0x0302010003020100ull : 0x0001020300010203ull);
		cr_expect_eq(t.c->vsr[5][1], t.c->vsr[5][0]);
		ppc_t_fini(&t);
	}
}
