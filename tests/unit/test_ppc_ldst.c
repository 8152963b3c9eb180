/*
 * POWER loads, stores and branches, in both byte orders.
 */
#include "test_ppc.h"

static void run_snippet(struct ppc_t *t, const uint32_t *w, size_t n)
{
	uint32_t buf[64];
	cr_assert(n < 63);
	memcpy(buf, w, n * 4);
	buf[n] = PPC_SC1;
	ppc_t_code(t, PPC_T_CODE, buf, n + 1);
	ppc_t_run_exit(t, 0xc00);
}

#define BOTH(le) for (int le = 1; le >= 0; le--)

Test(ppc_ldst, store_load_byte_order)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[1] = 0x8000;
		t.c->gpr[4] = 0x1122334455667788ull;
		t.c->gpr[10] = 8;
		uint32_t w[] = {
			ppc_d(62, 4, 1, 0),          /* std r4,0(r1) */
			ppc_d(32, 5, 1, 0),          /* lwz r5,0(r1) */
			ppc_d(42, 6, 1, 2),          /* lha r6,2(r1) */
			ppc_x(31, 7, 1, 0, 534, 0),  /* lwbrx r7,r1,r0 -> r0 is 0 here: (RA|0)... */
			ppc_d(37, 4, 1, 16),         /* stwu r4,16(r1): r1 = 0x8010 */
			ppc_x(31, 4, 1, 10, 660, 0), /* stdbrx r4,r1,r10 -> 0x8018 */
			ppc_d(58, 8, 1, 8),          /* ld r8,8(r1) */
			ppc_d(34, 9, 1, 8),          /* lbz r9,8(r1) */
		};
		t.c->gpr[0] = 0;
		run_snippet(&t, w, 8);
		uint8_t b[8];
		cr_assert_eq(p2m_copy_from(t.p2m, b, 0x8000, 8), 0);
		cr_expect_eq(b[0], le ? 0x88 : 0x11);
		cr_expect_eq(t.c->gpr[5], le ? 0x55667788ull : 0x11223344ull);
		cr_expect_eq(t.c->gpr[6], le ? 0x5566ull : 0x3344ull);
		cr_expect_eq(t.c->gpr[7], le ? 0x88776655ull : 0x44332211ull);
		cr_expect_eq(t.c->gpr[1], 0x8010);
		cr_expect_eq(t.c->gpr[8], 0x8877665544332211ull);
		cr_expect_eq(t.c->gpr[9], le ? 0x11 : 0x88);
		ppc_t_fini(&t);
	}
}

Test(ppc_ldst, lmw_stmw_larx_stcx_dcbz)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[1] = 0x9000;
		t.c->gpr[2] = 0;
		t.c->gpr[30] = 0xaaaa;
		t.c->gpr[31] = 0xbbbb;
		t.c->gpr[5] = 0x9100;
		t.c->gpr[6] = 77;
		uint32_t w[] = {
			ppc_d(47, 30, 1, 0),        /* stmw r30,0(r1) */
			ppc_d(46, 28, 1, 0),        /* lmw r28,0(r1) -> r28,r29 = ..., r30, r31 */
			ppc_x(31, 7, 0, 5, 20, 0),  /* lwarx r7,0,r5 */
			ppc_x(31, 6, 0, 5, 150, 1), /* stwcx. r6,0,r5 -> success */
			ppc_x(19, 3 << 2, 0, 0, 0, 0), /* mcrf cr3,cr0 */
			ppc_x(31, 6, 0, 5, 150, 1),    /* stwcx. again -> fail (no reservation) */
			ppc_x(31, 0, 0, 1, 1014, 0),   /* dcbz 0,r1 */
		};
		run_snippet(&t, w, 7);
		cr_expect_eq(t.c->gpr[28], 0xaaaa);
		cr_expect_eq(t.c->gpr[29], 0xbbbb);
		cr_expect_eq(t.c->crf[3], 2);
		cr_expect_eq(t.c->crf[0], 0);
		cr_expect_eq(ppc_t_ld(&t, 0x9100, 2), 77);
		cr_expect_eq(ppc_t_ld(&t, 0x9000, 3), 0);
		ppc_t_fini(&t);
	}
}

Test(ppc_branch, loops_calls_and_ctr)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		uint32_t w[] = {
			ppc_li(3, 0),        /* 0x1000 */
			ppc_li(4, 10),       /* 0x1004 */
			ppc_mtspr(9, 4),     /* 0x1008 mtctr */
			ppc_addi(3, 3, 3),   /* 0x100c loop: */
			ppc_bc(16, 0, -4),   /* 0x1010 bdnz loop */
			ppc_b(0x10, true),   /* 0x1014 bl 0x1024 */
			ppc_li(6, 1),        /* 0x1018 after return */
			PPC_SC1,             /* 0x101c */
			PPC_NOP,             /* 0x1020 */
			ppc_li(5, 42),       /* 0x1024 func */
			ppc_d(11, 0, 5, 42), /* cmpwi r5,42 */
			ppc_bc(12, 2, 8),    /* beq +8 */
			ppc_li(5, 0),        /* skipped */
			PPC_BLR,
		};
		ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[3], 30);
		cr_expect_eq(t.c->ctr, 0);
		cr_expect_eq(t.c->gpr[5], 42);
		cr_expect_eq(t.c->gpr[6], 1);
		cr_expect_eq(t.c->lr, 0x1018);
		cr_expect_eq(t.c->cpu.exit.pc, 0x101c);
		ppc_t_fini(&t);
	}
}

Test(ppc_branch, bcctr_and_bclrl)
{
	struct ppc_t t;
	ppc_t_init(&t, false);
	uint32_t w[] = {
		ppc_li(4, 0x1010),                  /* 0x1000 */
		ppc_mtspr(9, 4),                    /* 0x1004 mtctr */
		0x4e800421u,                        /* 0x1008 bctrl */
		PPC_SC1,                            /* 0x100c */
		ppc_mfspr(7, 8),                    /* 0x1010 mflr r7 */
		ppc_li(8, 0x100c), ppc_mtspr(8, 8), /* mtlr */
		PPC_BLR,
	};
	ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[7], 0x100c);
	cr_expect_eq(t.c->cpu.exit.pc, 0x100c);
	ppc_t_fini(&t);
}

Test(ppc_branch, self_modifying_code_with_icbi)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	uint32_t w[] = {
		ppc_li(3, 1),    /* 0x1000: patched to li r3,2 */
		ppc_mfspr(5, 8), /* 0x1004 */
		PPC_SC1,         /* 0x1008 */
	};
	ppc_t_code(&t, PPC_T_CODE, w, 3);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[3], 1);
	/* The guest rewrites its own code: stw + icbi + isync, then reruns it. */
	uint32_t w2[] = {
		ppc_li(6, 0),
		ppc_d(15, 7, 0, 0x3860),    /* lis r7,0x3860 */
		ppc_d(24, 7, 7, 2),         /* ori r7,r7,2 -> li r3,2 */
		ppc_d(36, 7, 6, 0x1000),    /* stw r7,0x1000(0) */
		ppc_x(31, 0, 6, 6, 982, 0), /* icbi 0,r6 */
		0x4c00012cu,                /* isync */
		ppc_li(8, 0x1000),
		ppc_mtspr(9, 8),
		0x4e800420u, /* bctr */
	};
	ppc_t_code(&t, 0x2000, w2, SV_ARRAY_SIZE(w2));
	cpu_ppc_hv_return(t.c);
	t.c->pc = 0x2000;
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[3], 2);
	ppc_t_fini(&t);
}
