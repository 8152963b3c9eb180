/*
 * POWER fixed-point instructions: results, XER[CA/OV/SO/CA32/OV32] and CR0,
 * in both byte orders. Expected values are worked out from the Power ISA
 * v3.0 Book I definitions (and cross-checked by tests/diff/ppc against
 * qemu-ppc64le).
 */
#include "test_ppc.h"

/* Run words followed by `sc 1` in a fresh vcpu; regs preset by the caller. */
static void run_snippet(struct ppc_t *t, const uint32_t *w, size_t n)
{
	uint32_t buf[64];
	cr_assert(n < 63);
	memcpy(buf, w, n * 4);
	buf[n] = PPC_SC1;
	ppc_t_code(t, PPC_T_CODE, buf, n + 1);
	ppc_t_run_exit(t, 0xc00);
	cr_assert_eq(t->c->cpu.exit.pc, PPC_T_CODE + 4 * n);
}

#define BOTH(le) for (int le = 1; le >= 0; le--)

Test(ppc_fixed, addi_addis_li)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = 0x1000;
		uint32_t w[] = { ppc_li(3, -5), ppc_addi(5, 4, 0x10), ppc_d(15, 6, 4, 0x8000),
				 ppc_d(15, 7, 0, 1) };
		run_snippet(&t, w, 4);
		cr_expect_eq(t.c->gpr[3], (uint64_t)-5);
		cr_expect_eq(t.c->gpr[5], 0x1010);
		cr_expect_eq(t.c->gpr[6], 0x1000 - 0x80000000ull);
		cr_expect_eq(t.c->gpr[7], 0x10000);
		ppc_t_fini(&t);
	}
}

Test(ppc_fixed, addc_carry_and_cr0)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = ~0ull;
		t.c->gpr[5] = 1;
		/* addc. r3,r4,r5 -> 0, CA=1, CA32=1, CR0 = EQ */
		uint32_t w[] = { ppc_xo(3, 4, 5, 0, 10, 1) };
		run_snippet(&t, w, 1);
		cr_expect_eq(t.c->gpr[3], 0);
		cr_expect_eq(t.c->ca, 1);
		cr_expect_eq(t.c->ca32, 1);
		cr_expect_eq(t.c->crf[0], 2);
		ppc_t_fini(&t);
	}
}

Test(ppc_fixed, addo_overflow_sets_so)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	t.c->gpr[4] = 0x7fffffffffffffffull;
	t.c->gpr[5] = 1;
	/* addo. r3,r4,r5: OV=1, SO=1, OV32=0 (no 32-bit overflow: 0xffffffff+1), CR0 = LT|SO */
	uint32_t w[] = { ppc_xo(3, 4, 5, 1, 266, 1) };
	run_snippet(&t, w, 1);
	cr_expect_eq(t.c->gpr[3], 0x8000000000000000ull);
	cr_expect_eq(t.c->ov, 1);
	cr_expect_eq(t.c->so, 1);
	cr_expect_eq(t.c->ov32, 0);
	cr_expect_eq(t.c->crf[0], 8 | 1);
	ppc_t_fini(&t);
}

Test(ppc_fixed, ov32_for_word_overflow)
{
	struct ppc_t t;
	ppc_t_init(&t, false);
	t.c->gpr[4] = 0x7fffffff;
	t.c->gpr[5] = 1;
	uint32_t w[] = { ppc_xo(3, 4, 5, 1, 266, 0) };
	run_snippet(&t, w, 1);
	cr_expect_eq(t.c->gpr[3], 0x80000000ull);
	cr_expect_eq(t.c->ov, 0);
	cr_expect_eq(t.c->ov32, 1);
	cr_expect_eq(t.c->so, 0);
	ppc_t_fini(&t);
}

Test(ppc_fixed, subf_family)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = 5;
		t.c->gpr[5] = 3;
		t.c->ca = 0;
		uint32_t w[] = {
			ppc_xo(6, 4, 5, 0, 40, 0),   /* subf r6 = 3 - 5 = -2 */
			ppc_xo(7, 4, 5, 0, 8, 0),    /* subfc r7 = -2, CA = 0 (borrow) */
			ppc_xo(8, 5, 4, 0, 8, 0),    /* subfc r8 = 5 - 3 = 2, CA = 1 */
			ppc_xo(9, 5, 4, 0, 136, 0),  /* subfe r9 = ~3 + 5 + 1 = 2, CA=1 */
			ppc_xo(10, 4, 0, 0, 104, 1), /* neg. r10 = -5, CR0 LT */
			ppc_d(8, 11, 4, 10),         /* subfic r11 = 10 - 5 = 5, CA = 1 */
			ppc_xo(12, 4, 0, 0, 202, 0), /* addze r12 = 5 + CA(1) = 6, CA = 0 */
		};
		run_snippet(&t, w, 7);
		cr_expect_eq(t.c->gpr[6], (uint64_t)-2);
		cr_expect_eq(t.c->gpr[7], (uint64_t)-2);
		cr_expect_eq(t.c->gpr[8], 2);
		cr_expect_eq(t.c->gpr[9], 2);
		cr_expect_eq(t.c->gpr[10], (uint64_t)-5);
		cr_expect_eq(t.c->crf[0], 8);
		cr_expect_eq(t.c->gpr[11], 5);
		cr_expect_eq(t.c->gpr[12], 6);
		cr_expect_eq(t.c->ca, 0);
		ppc_t_fini(&t);
	}
}

Test(ppc_fixed, addme_subfme)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	t.c->gpr[4] = 0;
	t.c->ca = 0;
	uint32_t w[] = { ppc_xo(5, 4, 0, 0, 234, 0),   /* addme r5 = 0 - 1 + 0 = -1, CA = 0 */
			 ppc_xo(6, 4, 0, 0, 232, 0) }; /* subfme r6 = ~0 - 1 + 0 = -2, CA = 1 */
	run_snippet(&t, w, 2);
	cr_expect_eq(t.c->gpr[5], ~0ull);
	cr_expect_eq(t.c->gpr[6], ~0ull - 1);
	cr_expect_eq(t.c->ca, 1);
	ppc_t_fini(&t);
}

Test(ppc_fixed, multiply)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = 0xffffffff80000000ull;
		t.c->gpr[5] = 0x0000000300000002ull;
		uint32_t w[] = {
			ppc_xo(6, 4, 5, 0, 235, 0),  /* mullw: (-2^31) * 2 = -2^32 */
			ppc_xo(7, 4, 5, 0, 233, 0),  /* mulld */
			ppc_xo(8, 4, 5, 0, 73, 0),   /* mulhd */
			ppc_xo(9, 4, 5, 0, 9, 0),    /* mulhdu */
			ppc_d(7, 10, 5, 0xfffd),     /* mulli r10 = r5 * -3 */
			ppc_xo(11, 4, 5, 1, 235, 0), /* mullwo: overflows 32 bits */
		};
		run_snippet(&t, w, 6);
		cr_expect_eq(t.c->gpr[6], (uint64_t) - (1ll << 32));
		cr_expect_eq(t.c->gpr[7], 0xffffffff80000000ull * 0x0000000300000002ull);
		cr_expect_eq(t.c->gpr[8], (uint64_t)((__int128)(int64_t)0xffffffff80000000ull *
							     (__int128)0x0000000300000002ll >>
						     64));
		cr_expect_eq(t.c->gpr[9], (uint64_t)((unsigned __int128)0xffffffff80000000ull *
							     0x0000000300000002ull >>
						     64));
		cr_expect_eq(t.c->gpr[10], (uint64_t)(-3 * 0x0000000300000002ll));
		cr_expect_eq(t.c->ov, 1);
		cr_expect_eq(t.c->so, 1);
		ppc_t_fini(&t);
	}
}

Test(ppc_fixed, divide_and_undefined_cases)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	t.c->gpr[4] = (uint64_t)-7;
	t.c->gpr[5] = 2;
	t.c->gpr[6] = 0;
	t.c->gpr[7] = 0x8000000000000000ull;
	t.c->gpr[8] = ~0ull;
	uint32_t w[] = {
		ppc_xo(10, 4, 5, 0, 489, 0), /* divd -7/2 = -3 */
		ppc_xo(11, 4, 5, 0, 457, 0), /* divdu */
		ppc_xo(12, 4, 5, 0, 491, 0), /* divw -7/2 = -3 (low word) */
		ppc_xo(13, 4, 6, 1, 489, 0), /* divdo by 0: OV */
		ppc_xo(14, 7, 8, 0, 489, 1), /* divd. INT64_MIN/-1 */
	};
	run_snippet(&t, w, 5);
	cr_expect_eq(t.c->gpr[10], (uint64_t)-3);
	cr_expect_eq(t.c->gpr[11], ((uint64_t)-7) / 2);
	cr_expect_eq((uint32_t)t.c->gpr[12], (uint32_t)-3);
	cr_expect_eq(t.c->gpr[13], 0);
	cr_expect_eq(t.c->ov, 1);
	cr_expect_eq(t.c->gpr[14], 0);
	cr_expect_eq(t.c->crf[0], 2 | 1);
	ppc_t_fini(&t);
}

Test(ppc_fixed, logical_and_count)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = 0x00ff00ff00000080ull;
		t.c->gpr[5] = 0x0f0f0f0f0f0f0f0full;
		uint32_t w[] = {
			ppc_x(31, 4, 6, 5, 28, 0),    /* and r6 */
			ppc_x(31, 4, 7, 5, 476, 0),   /* nand r7 */
			ppc_x(31, 4, 8, 5, 284, 0),   /* eqv r8 */
			ppc_x(31, 4, 9, 0, 954, 1),   /* extsb. r9 = -128 */
			ppc_x(31, 4, 10, 0, 26, 0),   /* cntlzw r10 = 24 */
			ppc_x(31, 4, 11, 0, 58, 0),   /* cntlzd r11 = 8 */
			ppc_x(31, 4, 12, 0, 570, 0),  /* cnttzd r12 = 7 */
			ppc_x(31, 4, 13, 0, 122, 0),  /* popcntb */
			ppc_x(31, 4, 14, 0, 506, 0),  /* popcntd = 17 */
			ppc_d(28, 4, 15, 0x00f0),     /* andi. r15 = 0x80, CR0 GT */
			ppc_d(25, 4, 16, 0x1234),     /* oris */
			ppc_x(31, 4, 17, 16, 508, 0), /* cmpb r17,r4,r16 */
			ppc_x(31, 6, 18, 0, 538, 0),  /* cnttzw(0x0f00000000000000 & ..)*/
		};
		run_snippet(&t, w, 13);
		cr_expect_eq(t.c->gpr[6], 0x000f000f00000000ull);
		cr_expect_eq(t.c->gpr[7], ~0x000f000f00000000ull);
		cr_expect_eq(t.c->gpr[8], ~(0x00ff00ff00000080ull ^ 0x0f0f0f0f0f0f0f0full));
		cr_expect_eq(t.c->gpr[9], (uint64_t)-128);
		cr_expect_eq(t.c->gpr[10], 24);
		cr_expect_eq(t.c->gpr[11], 8);
		cr_expect_eq(t.c->gpr[12], 7);
		cr_expect_eq(t.c->gpr[13], 0x0008000800000001ull);
		cr_expect_eq(t.c->gpr[14], 17);
		cr_expect_eq(t.c->gpr[15], 0x80);
		cr_expect_eq(t.c->crf[0], 4);
		cr_expect_eq(t.c->gpr[16], 0x00ff00ff12340080ull);
		cr_expect_eq(t.c->gpr[17], 0xffffffff0000ffffull);
		cr_expect_eq(t.c->gpr[18], 32);
		ppc_t_fini(&t);
	}
}

Test(ppc_fixed, compare)
{
	struct ppc_t t;
	ppc_t_init(&t, false);
	t.c->gpr[4] = 0xffffffff00000001ull;
	t.c->gpr[5] = 2;
	t.c->so = 1;
	uint32_t w[] = {
		ppc_x(31, (1 << 2) | 1, 4, 5, 0, 0),  /* cmpd cr1: -big < 2 -> LT */
		ppc_x(31, (2 << 2) | 0, 4, 5, 0, 0),  /* cmpw cr2: 1 < 2 -> LT */
		ppc_x(31, (3 << 2) | 1, 4, 5, 32, 0), /* cmpld cr3: GT */
		ppc_d(11, (4 << 2) | 0, 4, 1),        /* cmpwi cr4,r4,1: EQ */
		ppc_d(10, (5 << 2) | 1, 5, 3),        /* cmpldi cr5,r5,3: LT */
	};
	run_snippet(&t, w, 5);
	cr_expect_eq(t.c->crf[1], 8 | 1);
	cr_expect_eq(t.c->crf[2], 8 | 1);
	cr_expect_eq(t.c->crf[3], 4 | 1);
	cr_expect_eq(t.c->crf[4], 2 | 1);
	cr_expect_eq(t.c->crf[5], 8 | 1);
	ppc_t_fini(&t);
}

Test(ppc_fixed, shifts_and_carry)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = 0xfffffffffffffff5ull; /* -11 */
		t.c->gpr[5] = 2;
		t.c->gpr[6] = 40;
		t.c->gpr[7] = 0x80000000ull;
		uint32_t w[] = {
			ppc_x(31, 4, 8, 5, 792, 0),  /* sraw r8 = -11 >> 2 = -3, CA=1 */
			ppc_x(31, 7, 9, 6, 24, 0),   /* slw by 40 = 0 */
			ppc_x(31, 7, 10, 5, 536, 0), /* srw 0x80000000 >> 2 */
			ppc_x(31, 4, 11, 6, 27, 0),  /* sld by 40 */
			ppc_x(31, 4, 12, 5, 794, 0), /* srad = -3, CA=1 */
			ppc_x(31, 7, 13, 1, 824, 0), /* srawi r13 = (int32)0x80000000 >> 1 */
		};
		run_snippet(&t, w, 6);
		cr_expect_eq(t.c->gpr[8], (uint64_t)-3);
		cr_expect_eq(t.c->gpr[9], 0);
		cr_expect_eq(t.c->gpr[10], 0x20000000ull);
		cr_expect_eq(t.c->gpr[11], 0xfffffffffffffff5ull << 40);
		cr_expect_eq(t.c->gpr[12], (uint64_t)-3);
		cr_expect_eq(t.c->gpr[13], 0xffffffffc0000000ull);
		cr_expect_eq(t.c->ca, 0); /* srawi shifted out a 0 */
		ppc_t_fini(&t);
	}
}

Test(ppc_fixed, rotates)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = 0x123456789abcdef0ull;
		t.c->gpr[9] = 0xffffffffffffffffull;
		/* rlwinm r5,r4,8,24,31 = byte 0x9a */
		uint32_t rlwinm =
			(21u << 26) | (4 << 21) | (5 << 16) | (8 << 11) | (24 << 6) | (31 << 1);
		/* rlwinm r6,r4,0,28,3 (wrapping mask) */
		uint32_t rlwinm2 =
			(21u << 26) | (4 << 21) | (6 << 16) | (0 << 11) | (28 << 6) | (3 << 1);
		/* rldicl r7,r4,16,48: MD form mb=48 -> field = (48 & 31) << 1 | (48 >> 5) */
		uint32_t rldicl = (30u << 26) | (4 << 21) | (7 << 16) | (16 << 11) |
				  ((((48 & 31) << 1) | (48 >> 5)) << 5) | (0 << 2);
		/* rldicr r8,r4,4,59 (sldi 4) */
		uint32_t rldicr = (30u << 26) | (4 << 21) | (8 << 16) | (4 << 11) |
				  ((((59 & 31) << 1) | (59 >> 5)) << 5) | (1 << 2);
		/* rldimi r9,r4,32,0 (insert low word of r4 into high word of r9) */
		uint32_t rldimi = (30u << 26) | (4 << 21) | (9 << 16) | (0 << 11) | (1 << 1) |
				  (0 << 5) | (3 << 2);
		uint32_t w[] = { rlwinm, rlwinm2, rldicl, rldicr, rldimi };
		run_snippet(&t, w, 5);
		cr_expect_eq(t.c->gpr[5], 0x9a);
		cr_expect_eq(t.c->gpr[6], 0x9abcdef09abcdef0ull & ppc_t_mask(28 + 32, 3 + 32));
		cr_expect_eq(t.c->gpr[7], 0x1234ull);
		cr_expect_eq(t.c->gpr[8], 0x23456789abcdef00ull);
		cr_expect_eq(t.c->gpr[9], 0x9abcdef0ffffffffull);
		ppc_t_fini(&t);
	}
}

Test(ppc_fixed, isel_and_cr_logical)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	t.c->gpr[4] = 11;
	t.c->gpr[5] = 22;
	t.c->crf[0] = 8; /* LT */
	t.c->crf[1] = 2; /* EQ */
	uint32_t w[] = {
		(31u << 26) | (6 << 21) | (4 << 16) | (5 << 11) | (0 << 6) |
			(15 << 1), /* isel r6,r4,r5,lt */
		(31u << 26) | (7 << 21) | (4 << 16) | (5 << 11) | (1 << 6) |
			(15 << 1),           /* isel gt */
		ppc_x(19, 9, 0, 6, 449, 0),  /* cror 4*2+1, 0 (cr0.lt), 6 (cr1.eq) -> cr2.gt */
		ppc_x(19, 10, 0, 6, 193, 0), /* crxor cr2.eq = lt ^ eq = 0 */
		ppc_x(19, 3 << 2, 1 << 2, 0, 0, 0), /* mcrf cr3, cr1 */
		ppc_x(31, 10, 0, 0, 19, 0),         /* mfcr r10 */
	};
	run_snippet(&t, w, 6);
	cr_expect_eq(t.c->gpr[6], 11);
	cr_expect_eq(t.c->gpr[7], 22);
	cr_expect_eq(t.c->crf[2], 4);
	cr_expect_eq(t.c->crf[3], 2);
	cr_expect_eq(t.c->gpr[10], 0x82420000ull);
	ppc_t_fini(&t);
}

Test(ppc_fixed, mtcrf_and_xer)
{
	struct ppc_t t;
	ppc_t_init(&t, false);
	t.c->gpr[4] = 0x12345678;
	t.c->gpr[5] = 0xe00c0005ull; /* SO OV CA, OV32 CA32, count 5 */
	uint32_t w[] = {
		ppc_x(31, 4, 0, 0, 144, 0) | (0x81 << 12), /* mtcrf 0x81,r4: cr0=1, cr7=8 */
		ppc_mtspr(1, 5),                           /* mtxer */
		ppc_mfspr(6, 1),
		ppc_x(31, 7, 0, 0, 19, 0) | (1u << 20) | (0x02 << 12), /* mfocrf r7, cr6 */
	};
	run_snippet(&t, w, 4);
	cr_expect_eq(t.c->crf[0], 1);
	cr_expect_eq(t.c->crf[7], 8);
	cr_expect_eq(t.c->crf[1], 0);
	cr_expect_eq(t.c->so, 1);
	cr_expect_eq(t.c->ca32, 1);
	cr_expect_eq(t.c->gpr[6], 0xe00c0005ull);
	cr_expect_eq(t.c->gpr[7], 0);
	ppc_t_fini(&t);
}
