/*
 * The supervisor SPRs a pseries kernel programs at boot: the performance
 * monitor (MMCR0/1/2/A, MMCRS, SIER, SIAR, SDAR, PMC1-6 and their problem-
 * state numbers), the event-based branch registers, the virtual time base
 * and POWER9's L1 flush trigger (SPR 882, a no-op) -- their access rules and
 * their values through real mtspr/mfspr in guest supervisor state.
 */
#include "test_ppc.h"
#include "cpu/ppc/translate.h"

#define BOTH(le) for (int le = 1; le >= 0; le--)

static enum ppc_spr_access check(unsigned sprn, bool write, bool pr)
{
	bool end_tb;
	return ppc_spr_check(sprn, write, pr, false, &end_tb);
}

Test(ppc_spr, pmu_access_rules)
{
	static const unsigned priv[] = { SPR_MMCR0, SPR_MMCR1, SPR_MMCR2, SPR_MMCRA, SPR_MMCRS,
					 SPR_SIER,  SPR_SIAR,  SPR_SDAR,  SPR_PMC1,  SPR_PMC6 };
	for (size_t i = 0; i < SV_ARRAY_SIZE(priv); i++) {
		cr_expect_eq(check(priv[i], true, false), PPC_SPR_OK, "spr %u", priv[i]);
		cr_expect_eq(check(priv[i], false, false), PPC_SPR_OK);
		cr_expect_eq(check(priv[i], true, true), PPC_SPR_PRIV, "spr %u from user", priv[i]);
	}
	cr_expect_eq(check(SPR_MMCR0_U, false, true), PPC_SPR_OK, "problem-state number");
	cr_expect_eq(check(SPR_PMC3_U, false, true), PPC_SPR_OK);
	cr_expect_eq(check(SPR_MMCR0_U, true, true), PPC_SPR_PRIV);
	cr_expect_eq(check(SPR_SIAR_U, true, false), PPC_SPR_NOP, "read-only number");
	cr_expect_eq(check(SPR_MMCRH, true, false), PPC_SPR_HEA, "the hypervisor's");
	cr_expect_eq(check(SPR_BESCR, true, true), PPC_SPR_OK);
	cr_expect_eq(check(SPR_TRIG2, true, false), PPC_SPR_OK, "L1 flush trigger");
	cr_expect_eq(check(SPR_TRIG2, true, true), PPC_SPR_PRIV);
	cr_expect_eq(check(SPR_VTB, false, false), PPC_SPR_OK);
	cr_expect_eq(check(SPR_VTB, true, false), PPC_SPR_HEA, "VTB is written by the hypervisor");
	cr_expect_str_eq(ppc_spr_name(SPR_MMCRA), "MMCRA");
	cr_expect_eq(SPR_MMCRA, 0x312, "the SPR of issue 8's HEA");
	cr_expect_eq(SPR_VTB, 0x351);
}

Test(ppc_spr, pmu_registers_hold_their_values)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		uint32_t w[] = {
			ppc_li(3, 0x1234),
			ppc_mtspr(SPR_MMCRA, 3), /* issue 8's mtspr 0x312 */
			ppc_li(3, 0x80),
			ppc_mtspr(SPR_MMCR0, 3),
			ppc_li(3, 0x11),
			ppc_mtspr(SPR_MMCR1, 3),
			ppc_li(3, 0x22),
			ppc_mtspr(SPR_MMCR2, 3),
			ppc_li(3, 0x33),
			ppc_mtspr(SPR_MMCRS, 3),
			ppc_li(3, 0x44),
			ppc_mtspr(SPR_PMC6, 3),
			ppc_li(3, 0x55),
			ppc_mtspr(SPR_SIER, 3),
			ppc_li(3, 0x66),
			ppc_mtspr(SPR_TRIG2, 3), /* a no-op */
			ppc_mfspr(20, SPR_MMCRA),
			ppc_mfspr(21, SPR_MMCR0_U),
			ppc_mfspr(22, SPR_MMCR1),
			ppc_mfspr(23, SPR_MMCR2_U),
			ppc_mfspr(24, SPR_MMCRS),
			ppc_mfspr(25, SPR_PMC6_U),
			ppc_mfspr(26, SPR_SIER_U),
			ppc_mfspr(27, SPR_TB),
			ppc_mfspr(28, SPR_VTB),
			PPC_SC1,
		};
		ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[20], 0x1234);
		cr_expect_eq(t.c->gpr[21], 0x80, "the problem-state number reads MMCR0");
		cr_expect_eq(t.c->gpr[22], 0x11);
		cr_expect_eq(t.c->gpr[23], 0x22);
		cr_expect_eq(t.c->gpr[24], 0x33);
		cr_expect_eq(t.c->gpr[25], 0x44);
		cr_expect_eq(t.c->gpr[26], 0x55);
		cr_expect_eq(t.c->gpr[28] - t.c->gpr[27], 1, "VTB follows TB");
		ppc_t_fini(&t);
	}
}

Test(ppc_spr, vtb_write_and_mmcrh_from_guest_are_hea)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	uint32_t w[] = { ppc_mtspr(SPR_VTB, 3) };
	ppc_t_code(&t, PPC_T_CODE, w, 1);
	ppc_t_run_exit(&t, 0xe40);
	cr_expect_eq(t.c->heir, w[0]);
	ppc_t_fini(&t);

	ppc_t_init(&t, true);
	uint32_t m[] = { ppc_mfspr(3, SPR_MMCRH) };
	ppc_t_code(&t, PPC_T_CODE, m, 1);
	ppc_t_run_exit(&t, 0xe40);
	ppc_t_fini(&t);
}

/* The VMX data stream hints the kernel's context switch issues (dssall in
 * switch_mm) and dst/dstst: no-ops, not illegal instructions. */
Test(ppc_spr, data_stream_hints_are_noops)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	uint32_t w[] = {
		0x7e00066c,                 /* dssall */
		0x7c00066c,                 /* dss 0 */
		ppc_x(31, 1, 3, 4, 342, 0), /* dst r3,r4,1 */
		ppc_x(31, 1, 3, 4, 374, 0), /* dstst r3,r4,1 */
		ppc_li(3, 7),
		PPC_SC1,
	};
	ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[3], 7);
	ppc_t_fini(&t);
}

/* A facility unavailable handler at 0xF60 that saves SRR0 in r20 and hcalls. */
static void install_fac_handler(struct ppc_t *t)
{
	uint32_t h[] = { ppc_mfspr(20, 26), PPC_SC1 };
	ppc_t_code(t, PPC_VEC_FAC_UNAVAIL, h, 2);
}

/*
 * scv 0 (System Call Vectored): with FSCR[SCV] set and LPCR[AIL] = 3 the
 * guest kernel's vector 0xC000_0000_0000_3000 + LEV * 0x20 is entered with
 * translation on, LR = the next instruction, CTR = the old MSR, and EE kept;
 * rfscv returns through LR and CTR. With FSCR[SCV] clear: facility
 * unavailable 0xF60, FSCR[IC] = 12.
 */
Test(ppc_spr, scv_and_rfscv)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	/* The kernel's vector page: EA 0xc000000000003000 -> RA 0x3000. */
	ppc_t_hpt(&t, PPC_T_HPT, 18);
	ppc_t_slb(&t, 0, 0xc000000000003000ull, 0x77, 0);
	ppc_t_map4k(&t, 0x77, 0xc000000000003000ull, 0x3000, 0, PPC_T_PP_RW);
	uint32_t vec[] = { PPC_SC1 };
	ppc_t_code(&t, 0x3020, vec, 1);
	t.c->lpcr |= 3ull << PPC_LPCR_AIL_SHIFT;
	t.c->fscr = 1ull << 12;
	cpu_ppc_set_msr(t.c, t.c->msr | PPC_MSR_EE);
	uint64_t msr = t.c->msr;
	uint32_t w[] = { 0x44000021 /* scv 1 */, ppc_li(3, 9), PPC_SC1 };
	ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, 0xc000000000003020ull, "vector + LEV * 0x20");
	cr_expect_eq(t.c->lr, PPC_T_CODE + 4);
	cr_expect_eq(t.c->ctr, msr);
	uint64_t smsr = t.c->srr1;
	cr_expect(smsr & PPC_MSR_IR);
	cr_expect(smsr & PPC_MSR_DR);
	cr_expect(smsr & PPC_MSR_EE, "scv leaves EE alone");
	cr_expect(smsr & PPC_MSR_LE, "LPCR[ILE]");

	/* rfscv back to LR with MSR = CTR. */
	uint32_t r[] = { 0x4c0000a4 /* rfscv */ };
	ppc_t_code(&t, 0x3024, r, 1);
	cpu_ppc_hv_return(t.c);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[3], 9, "back at LR");
	cr_expect_eq(t.c->srr1, msr, "with the MSR from CTR");
	ppc_t_fini(&t);

	ppc_t_init(&t, true);
	install_fac_handler(&t);
	uint32_t u[] = { 0x44000001 /* scv 0 */ };
	ppc_t_code(&t, PPC_T_CODE, u, 1);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, PPC_VEC_FAC_UNAVAIL + 4, "FSCR[SCV] = 0: 0xF60");
	cr_expect_eq(t.c->gpr[20], PPC_T_CODE, "SRR0 = the scv");
	cr_expect_eq(t.c->fscr >> 56, 12, "FSCR[IC]: scv");
	ppc_t_fini(&t);
}

/* POWER8 (ISA v2.07) has no scv or rfscv: illegal instructions (program
 * interrupt, SRR1[44]), even with FSCR[SCV] set. */
Test(ppc_spr, scv_illegal_on_power8)
{
	struct ppc_t t;
	uint32_t h[] = { ppc_mfspr(20, 26), ppc_mfspr(21, 27), PPC_SC1 };
	uint32_t u[] = { 0x44000001 /* scv 0 */ };
	uint32_t r[] = { 0x4c0000a4 /* rfscv */ };

	ppc_t_init(&t, true);
	cpu_ppc_set_pvr(t.c, PPC_PVR_POWER8);
	t.c->fscr = 1ull << 12;
	ppc_t_code(&t, PPC_VEC_PROGRAM, h, 3);
	ppc_t_code(&t, PPC_T_CODE, u, 1);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, PPC_VEC_PROGRAM + 8);
	cr_expect_eq(t.c->gpr[20], PPC_T_CODE, "SRR0 = the scv");
	cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_ILLEGAL);
	ppc_t_code(&t, PPC_T_CODE + 0x100, r, 1);
	cpu_ppc_hv_return(t.c);
	t.c->pc = PPC_T_CODE + 0x100;
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, PPC_VEC_PROGRAM + 8, "rfscv too");
	cr_expect_eq(t.c->gpr[20], PPC_T_CODE + 0x100);
	cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_ILLEGAL);
	ppc_t_fini(&t);
}
