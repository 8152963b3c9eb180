/*
 * The POWER hash MMU: SLB instructions, segment lookup (256 MiB and 1 TiB),
 * the HPT walk (primary and secondary PTEG, 4K/64K/16M pages), R/C updates,
 * PP/key/N protection, tlbie, and the DSI/ISI/segment interrupts with their
 * architected DAR/DSISR/SRR1, in both byte orders.
 *
 * Layout: translated code at EA 0x10000000 (segment ESID 1, VSID 0x123) backed
 * by RA 0x200000; data pages at EA 0x10001000.. backed by RA 0x201000..;
 * interrupt handlers in real mode at their vectors save SRR0 -> r20,
 * SRR1 -> r21, DAR -> r22, DSISR -> r23 and make an hcall (exit 0xC00).
 */
#include <errno.h>

#include "test_ppc.h"

#define BOTH(le) for (int le = 1; le >= 0; le--)

#define CODE_EA 0x10000000ull
#define CODE_RA 0x200000ull
#define DATA_EA 0x10001000ull
#define DATA_RA 0x201000ull
#define VSID 0x123ull

static inline uint32_t lwz(unsigned rt, unsigned ra, int16_t d)
{
	return ppc_d(32, rt, ra, (uint16_t)d);
}
static inline uint32_t stw(unsigned rs, unsigned ra, int16_t d)
{
	return ppc_d(36, rs, ra, (uint16_t)d);
}
static inline uint32_t lis(unsigned rt, uint16_t v)
{
	return ppc_d(15, rt, 0, v);
}
static inline uint32_t ori(unsigned ra, unsigned rs, uint16_t v)
{
	return ppc_d(24, rs, ra, v);
}

static void install_handlers(struct ppc_t *t)
{
	static const uint64_t vecs[] = { 0x300, 0x380, 0x400, 0x480, 0x700 };
	uint32_t h[] = { ppc_mfspr(20, 26), ppc_mfspr(21, 27), ppc_mfspr(22, 19), ppc_mfspr(23, 18),
			 PPC_SC1 };
	for (size_t i = 0; i < SV_ARRAY_SIZE(vecs); i++)
		ppc_t_code(t, vecs[i], h, SV_ARRAY_SIZE(h));
}

/* Fresh vcpu with the HPT, segment 1 and the code page mapped; code at CODE_RA. */
static void setup(struct ppc_t *t, bool le, const uint32_t *code, size_t n)
{
	ppc_t_init(t, le);
	install_handlers(t);
	ppc_t_hpt(t, PPC_T_HPT, 18);
	ppc_t_slb(t, 3, CODE_EA, VSID, PPC_SLB_KP);
	ppc_t_map4k(t, VSID, CODE_EA, CODE_RA, 0, PPC_T_PP_RW);
	ppc_t_code(t, CODE_RA, code, n);
	t->c->pc = CODE_EA;
	t->c->msr |= PPC_MSR_IR | PPC_MSR_DR;
}

/* Run to an hcall that came from the handler of vec. */
static void run_to_handler(struct ppc_t *t, uint64_t vec)
{
	ppc_t_run_exit(t, 0xc00);
	cr_assert_eq(t->c->cpu.exit.pc, vec + 16, "hcall at %#lx, wanted handler %#lx",
		     (unsigned long)t->c->cpu.exit.pc, (unsigned long)vec);
}

Test(ppc_mmu, load_store_fetch_translated_and_rc_bits)
{
	BOTH(le)
	{
		struct ppc_t t;
		uint32_t code[] = { lis(9, 0x1000),  ori(9, 9, 0x1000), lwz(3, 9, 8),
				    ppc_li(4, 0x77), stw(4, 9, 0x1010), PPC_SC1 };
		setup(&t, le, code, SV_ARRAY_SIZE(code));
		uint64_t p1 = ppc_t_map4k(&t, VSID, DATA_EA, DATA_RA, 1, PPC_T_PP_RW);
		uint64_t p2 =
			ppc_t_map4k(&t, VSID, DATA_EA + 0x1000, DATA_RA + 0x5000, 2, PPC_T_PP_RW);
		uint8_t b[4];
		if (le)
			st32_le_p(b, 0xcafe1234);
		else
			st32_be_p(b, 0xcafe1234);
		cr_assert_eq(p2m_copy_to(t.p2m, DATA_RA + 8, b, 4), 0);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->cpu.exit.pc, CODE_EA + 20);
		cr_expect_eq(t.c->gpr[3], 0xcafe1234);
		cr_expect_eq(ppc_t_ld(&t, DATA_RA + 0x5010, 2), 0x77);
		/* R set on every page touched; C only on the stored-to page. */
		uint64_t code1 = ppc_t_hpte_read1(&t, ppc_t_pteg(PPC_T_HPT, 18, VSID, CODE_EA), 0);
		uint64_t d1 = ppc_t_hpte_read1(&t, p1, 1), d2 = ppc_t_hpte_read1(&t, p2, 2);
		cr_expect(code1 & 0x100);
		cr_expect(!(code1 & 0x80));
		cr_expect(d1 & 0x100);
		cr_expect(!(d1 & 0x80), "C set by a load");
		cr_expect(d2 & 0x100);
		cr_expect(d2 & 0x80, "C not set by a store");
		ppc_t_fini(&t);
	}
}

/* A store to a page first read (C = 0 cached) must still set C. */
Test(ppc_mmu, change_bit_after_cached_read)
{
	struct ppc_t t;
	uint32_t code[] = { lis(9, 0x1000), ori(9, 9, 0x1000), lwz(3, 9, 0), stw(3, 9, 4),
			    PPC_SC1 };
	setup(&t, true, code, SV_ARRAY_SIZE(code));
	uint64_t p = ppc_t_map4k(&t, VSID, DATA_EA, DATA_RA, 1, PPC_T_PP_RW);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(ppc_t_hpte_read1(&t, p, 1) & 0x180, 0x180);
	ppc_t_fini(&t);
}

Test(ppc_mmu, dsi_not_found_exact_registers)
{
	BOTH(le)
	{
		struct ppc_t t;
		uint32_t code[] = { lis(9, 0x1000), ori(9, 9, 0x2468), stw(3, 9, 0), PPC_SC1 };
		setup(&t, le, code, SV_ARRAY_SIZE(code));
		uint64_t msr = t.c->msr;
		run_to_handler(&t, 0x300);
		cr_expect_eq(t.c->gpr[20], CODE_EA + 8);
		cr_expect_eq(t.c->gpr[22], 0x10002468);
		cr_expect_eq(t.c->gpr[23], PPC_ISR_NOT_FOUND | PPC_DSISR_STORE);
		cr_expect_eq(t.c->gpr[21], msr & ~PPC_SRR1_INTR_MASK);
		ppc_t_fini(&t);
	}
}

Test(ppc_mmu, dsi_protection_read_only_page)
{
	struct ppc_t t;
	uint32_t code[] = { lis(9, 0x1000), ori(9, 9, 0x1000), lwz(3, 9, 0), stw(3, 9, 0),
			    PPC_SC1 };
	setup(&t, false, code, SV_ARRAY_SIZE(code));
	/* PP = 011: read-only for both keys. */
	uint64_t p = ppc_t_map4k(&t, VSID, DATA_EA, DATA_RA, 1, 3);
	run_to_handler(&t, 0x300);
	cr_expect_eq(t.c->gpr[20], CODE_EA + 12);
	cr_expect_eq(t.c->gpr[22], DATA_EA);
	cr_expect_eq(t.c->gpr[23], PPC_ISR_PROTECT | PPC_DSISR_STORE);
	/* The faulting store did not set C. */
	cr_expect_eq(ppc_t_hpte_read1(&t, p, 1) & 0x180, 0x100);
	ppc_t_fini(&t);
}

/* PP = 110 (PP0 = 1): read-only with key 0, no access with key 1. */
Test(ppc_mmu, pp0_and_keys)
{
	struct ppc_t t;
	uint32_t code[] = { lis(9, 0x1000), ori(9, 9, 0x1000), lwz(3, 9, 0), PPC_SC1 };
	setup(&t, true, code, SV_ARRAY_SIZE(code));
	ppc_t_map4k(&t, VSID, DATA_EA, DATA_RA, 1, (1ull << 63) | 2);
	/* Supervisor (Ks = 0): readable. */
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, CODE_EA + 12);
	ppc_t_fini(&t);

	/* Same with Ks = 1: no access -> DSI protection, load. */
	setup(&t, true, code, SV_ARRAY_SIZE(code));
	ppc_t_slb(&t, 3, CODE_EA, VSID, PPC_SLB_KS);
	ppc_t_map4k(&t, VSID, DATA_EA, DATA_RA, 1, (1ull << 63) | 2);
	run_to_handler(&t, 0x300);
	cr_expect_eq(t.c->gpr[23], PPC_ISR_PROTECT);
	ppc_t_fini(&t);
}

/* Problem state uses Kp: PP = 000 gives no access with key 1. */
Test(ppc_mmu, problem_state_key)
{
	struct ppc_t t;
	uint32_t code[] = { lis(9, 0x1000), ori(9, 9, 0x1000), lwz(3, 9, 0), PPC_SC1 };
	setup(&t, false, code, SV_ARRAY_SIZE(code));
	ppc_t_map4k(&t, VSID, DATA_EA, DATA_RA, 1, 0);
	t.c->msr |= PPC_MSR_PR;
	run_to_handler(&t, 0x300);
	cr_expect_eq(t.c->gpr[22], DATA_EA);
	cr_expect_eq(t.c->gpr[23], PPC_ISR_PROTECT);
	cr_expect(t.c->gpr[21] & PPC_MSR_PR);
	ppc_t_fini(&t);
}

Test(ppc_mmu, data_segment_interrupt)
{
	BOTH(le)
	{
		struct ppc_t t;
		uint32_t code[] = { lis(9, 0x2000), ori(9, 9, 0x10), lwz(3, 9, 0), PPC_SC1 };
		setup(&t, le, code, SV_ARRAY_SIZE(code));
		t.c->dsisr = 0x1234;
		run_to_handler(&t, 0x380);
		cr_expect_eq(t.c->gpr[20], CODE_EA + 8);
		cr_expect_eq(t.c->gpr[22], 0x20000010);
		cr_expect_eq(t.c->gpr[23], 0x1234, "DSISR is not set by a segment interrupt");
		ppc_t_fini(&t);
	}
}

Test(ppc_mmu, instruction_segment_and_storage_interrupts)
{
	struct ppc_t t;
	/* Branch to an EA with no segment: ISegI, SRR0 = the target. */
	uint32_t code[] = { lis(9, 0x3000), ppc_x(31, 9, 9, 9, 444, 0) /* mr */,
			    0x7d2903a6 /* mtctr r9 */, 0x4e800420 /* bctr */ };
	setup(&t, true, code, SV_ARRAY_SIZE(code));
	uint64_t msr = t.c->msr;
	run_to_handler(&t, 0x480);
	cr_expect_eq(t.c->gpr[20], 0x30000000);
	cr_expect_eq(t.c->gpr[21], msr & ~PPC_SRR1_INTR_MASK);
	ppc_t_fini(&t);

	/* Fall off the mapped code page into an unmapped one: ISI SRR1[33]. */
	uint32_t nops[1024];
	for (int i = 0; i < 1024; i++)
		nops[i] = PPC_NOP;
	setup(&t, true, nops, 1024);
	run_to_handler(&t, 0x400);
	cr_expect_eq(t.c->gpr[20], CODE_EA + 0x1000);
	cr_expect_eq(t.c->gpr[21] & PPC_SRR1_INTR_MASK, PPC_ISR_NOT_FOUND);
	ppc_t_fini(&t);

	/* A no-execute HPTE: ISI SRR1[35]. */
	setup(&t, true, nops, 1024);
	ppc_t_map4k(&t, VSID, CODE_EA + 0x1000, DATA_RA, 1, PPC_T_PP_RW | 4 /* N */);
	run_to_handler(&t, 0x400);
	cr_expect_eq(t.c->gpr[20], CODE_EA + 0x1000);
	cr_expect_eq(t.c->gpr[21] & PPC_SRR1_INTR_MASK, PPC_ISR_NOEXEC);
	ppc_t_fini(&t);

	/* A no-execute segment (SLB N = 1): ISI SRR1[35] on the first fetch. */
	setup(&t, true, nops, 4);
	ppc_t_slb(&t, 3, CODE_EA, VSID, PPC_SLB_KP | PPC_SLB_N);
	run_to_handler(&t, 0x400);
	cr_expect_eq(t.c->gpr[20], CODE_EA);
	cr_expect_eq(t.c->gpr[21] & PPC_SRR1_INTR_MASK, PPC_ISR_NOEXEC);
	ppc_t_fini(&t);
}

Test(ppc_mmu, secondary_pteg)
{
	struct ppc_t t;
	uint32_t code[] = { lis(9, 0x1000), ori(9, 9, 0x1000), lwz(3, 9, 0), PPC_SC1 };
	setup(&t, false, code, SV_ARRAY_SIZE(code));
	uint64_t hash = (VSID ^ ((DATA_EA & 0x0fffffff) >> 12)) & 0x7ff;
	uint64_t sec = PPC_T_HPT + ((~hash & 0x7ff) << 7);
	ppc_t_hpte_write(&t, sec, 5, ppc_t_hpte0(VSID, DATA_EA, true), DATA_RA | PPC_T_PP_RW);
	cr_assert_eq(p2m_copy_to(t.p2m, DATA_RA, "\x12\x34\x56\x78", 4), 0);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[3], 0x12345678);
	cr_expect(ppc_t_hpte_read1(&t, sec, 5) & 0x100);
	ppc_t_fini(&t);

	/* The same HPTE with H = 0 in the secondary PTEG does not match. */
	setup(&t, false, code, SV_ARRAY_SIZE(code));
	ppc_t_hpte_write(&t, sec, 5, ppc_t_hpte0(VSID, DATA_EA, false), DATA_RA | PPC_T_PP_RW);
	run_to_handler(&t, 0x300);
	cr_expect_eq(t.c->gpr[23], PPC_ISR_NOT_FOUND);
	ppc_t_fini(&t);
}

/* Large pages: 64 KiB in a 4 KiB-base segment (LP 0b0111), in a 64 KiB-base
 * segment (LP 0b0001), and 16 MiB (LP 0x38 / 0x08). */
static void large_page_case(uint64_t slb_flags, unsigned base_shift, unsigned shift, unsigned lp)
{
	struct ppc_t t;
	uint64_t ea = 0x20000000ull | (0x3ull << shift) | 0x1234, vsid = 0x4567;
	uint64_t ra = shift == 24 ? 0x1000000ull : 0x300000ull;
	uint32_t code[] = { lis(9, ea >> 16), ori(9, 9, ea & 0xffff), lwz(3, 9, 0), PPC_SC1 };
	setup(&t, true, code, SV_ARRAY_SIZE(code));
	if (shift == 24) /* only the page touched is backed */
		cr_assert_eq(p2m_populate_ram(t.p2m, (ra + (ea & 0xffffff)) >> 12, 1), 0);
	ppc_t_slb(&t, 4, ea, vsid, slb_flags);
	uint64_t hash = (vsid ^ ((ea & 0x0fffffff) >> base_shift)) & 0x7ff;
	uint64_t pteg = PPC_T_HPT + (hash << 7);
	uint64_t va = (vsid << 28) | (ea & 0x0fffffff);
	uint64_t d0 = ((va >> 23) << 7) | 4 /* L */ | 1;
	uint64_t d1 = (ra & ~((1ull << shift) - 1)) | ((uint64_t)lp << 12) | PPC_T_PP_RW;
	ppc_t_hpte_write(&t, pteg, 7, d0, d1);
	uint8_t b[4];
	st32_le_p(b, 0xabcd0000u | shift);
	cr_assert_eq(p2m_copy_to(t.p2m, ra + (ea & ((1ull << shift) - 1)), b, 4), 0);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, CODE_EA + 12, "shift %u: exit at %#lx", shift,
		     (unsigned long)t.c->cpu.exit.pc);
	cr_expect_eq(t.c->gpr[3], 0xabcd0000u | shift, "shift %u", shift);
	ppc_t_fini(&t);
}

Test(ppc_mmu, large_pages)
{
	large_page_case(0, 12, 16, 0x7);
	large_page_case(PPC_SLB_L | (1 << PPC_SLB_LP_SHIFT), 16, 16, 0x1);
	large_page_case(0, 12, 24, 0x38);
	large_page_case(PPC_SLB_L | (1 << PPC_SLB_LP_SHIFT), 16, 24, 0x08);
	large_page_case(PPC_SLB_L, 24, 24, 0x00);
}

/* An HPTE whose page size is not valid for the segment's base size is ignored. */
Test(ppc_mmu, large_page_wrong_encoding_not_found)
{
	struct ppc_t t;
	uint64_t ea = 0x20030000ull, vsid = 0x4567;
	uint32_t code[] = { lis(9, ea >> 16), lwz(3, 9, 0), PPC_SC1 };
	setup(&t, true, code, SV_ARRAY_SIZE(code));
	ppc_t_slb(&t, 4, ea, vsid, PPC_SLB_L | (1 << PPC_SLB_LP_SHIFT));
	uint64_t hash = (vsid ^ ((ea & 0x0fffffff) >> 16)) & 0x7ff;
	uint64_t va = (vsid << 28) | (ea & 0x0fffffff);
	/* LP 0b0111 is 64K only in a 4K-base segment. */
	ppc_t_hpte_write(&t, PPC_T_HPT + (hash << 7), 0, ((va >> 23) << 7) | 5,
			 0x300000 | (0x7 << 12) | 2);
	run_to_handler(&t, 0x300);
	cr_expect_eq(t.c->gpr[23], PPC_ISR_NOT_FOUND);
	ppc_t_fini(&t);
}

Test(ppc_mmu, one_terabyte_segment)
{
	BOTH(le)
	{
		struct ppc_t t;
		uint64_t ea = 0x0000012345678000ull, vsid1t = 0x2abcull; /* 38-bit 1T VSID */
		uint32_t code[] = { lwz(3, 9, 0), PPC_SC1 };
		setup(&t, le, code, SV_ARRAY_SIZE(code));
		t.c->gpr[9] = ea;
		t.c->slb[5].esid = (ea & ~0xffffffffffull) | PPC_SLB_ESID_V;
		t.c->slb[5].vsid = (1ull << 62) | (vsid1t << 24);
		uint64_t pidx = (ea & 0xffffffffffull) >> 12;
		uint64_t hash = (vsid1t ^ (vsid1t << 25) ^ pidx) & 0x7ff;
		uint64_t va_hi = (vsid1t << 17) | ((ea & 0xffffffffffull) >> 23); /* VA >> 23 */
		ppc_t_hpte_write(&t, PPC_T_HPT + (hash << 7), 3, (1ull << 62) | (va_hi << 7) | 1,
				 DATA_RA | PPC_T_PP_RW);
		uint8_t b[4];
		if (le)
			st32_le_p(b, 0x1717);
		else
			st32_be_p(b, 0x1717);
		cr_assert_eq(p2m_copy_to(t.p2m, DATA_RA, b, 4), 0);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->cpu.exit.pc, CODE_EA + 4);
		cr_expect_eq(t.c->gpr[3], 0x1717);
		ppc_t_fini(&t);
	}
}

/*
 * tlbie: a changed HPTE is seen after tlbie. The guest kernel rewrites the
 * HPTE through a second (identity-like) mapping of the HPT, then tlbie +
 * ptesync, and reads again.
 */
Test(ppc_mmu, tlbie_invalidates)
{
	struct ppc_t t;
	uint64_t pteg = ppc_t_pteg(PPC_T_HPT, 18, VSID, DATA_EA);
	/* LPCR[GTSE] = 1 lets the partition execute tlbie. */
	uint32_t prog[] = {
		lis(9, 0x1000),
		ori(9, 9, 0x1000),
		lwz(3, 9, 0),
		PPC_SC1,
		ppc_x(31, 0, 0, 9, 306, 0) /* tlbie r9 */,
		0x7c4004ac /* ptesync */,
		lwz(4, 9, 0),
		PPC_SC1,
	};
	setup(&t, true, prog, SV_ARRAY_SIZE(prog));
	ppc_t_map4k(&t, VSID, DATA_EA, DATA_RA, 1, PPC_T_PP_RW);
	cr_assert_eq(p2m_copy_to(t.p2m, DATA_RA, "\x01\0\0\0", 4), 0);
	cr_assert_eq(p2m_copy_to(t.p2m, DATA_RA + 0x8000, "\x02\0\0\0", 4), 0);
	t.c->lpcr |= 1ull << 10; /* GTSE: the partition may tlbie */
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[3], 1);
	/* The hypervisor moves the page (as H_ENTER/H_REMOVE would) and resumes. */
	ppc_t_hpte_write(&t, pteg, 1, ppc_t_hpte0(VSID, DATA_EA, false),
			 (DATA_RA + 0x8000) | PPC_T_PP_RW);
	cpu_ppc_hv_return(t.c);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[4], 2, "the old translation survived tlbie");
	ppc_t_fini(&t);
}

/* tlbie from the partition without LPCR[GTSE]: HEA with the image in HEIR. */
Test(ppc_mmu, tlbie_in_guest_is_hea)
{
	struct ppc_t t;
	uint32_t code[] = { ppc_x(31, 0, 0, 9, 306, 0) };
	setup(&t, false, code, 1);
	ppc_t_run_exit(&t, 0xe40);
	cr_expect_eq(t.c->heir, code[0]);
	cr_expect_eq(t.c->hsrr0, CODE_EA);
	ppc_t_fini(&t);
}

/* slbmte / slbmfee / slbmfev / slbfee. / slbie / slbia in real mode. */
Test(ppc_mmu, slb_instructions)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		/* r5 = RS = VSID 0x9876 | Kp | C, r6 = RB = ESID 0x7 | V | index 2 */
		t.c->gpr[5] = (0x9876ull << 12) | PPC_SLB_KP | PPC_SLB_C;
		t.c->gpr[6] = (0x7ull << 28) | PPC_SLB_ESID_V | 2;
		t.c->gpr[7] = 2;
		t.c->gpr[8] = 0x7abcdef0ull; /* an EA in segment 7 */
		t.c->gpr[10] = 0x8abcdef0ull;
		t.c->gpr[18] = 0x70000000ull;
		uint32_t w[] = {
			ppc_x(31, 5, 0, 6, 402, 0),   /* slbmte r5,r6 */
			ppc_x(31, 11, 0, 7, 915, 0),  /* slbmfee r11,r7 */
			ppc_x(31, 12, 0, 7, 851, 0),  /* slbmfev r12,r7 */
			ppc_x(31, 13, 0, 8, 979, 1),  /* slbfee. r13,r8 */
			ppc_x(31, 14, 0, 0, 19, 0),   /* mfcr r14 */
			ppc_x(31, 15, 0, 10, 979, 1), /* slbfee. r15,r10 (miss) */
			ppc_x(31, 16, 0, 0, 19, 0),   /* mfcr r16 */
			ppc_x(31, 0, 0, 18, 434, 0),  /* slbie r18 (B = 0 in RB[37:38]) */
			ppc_x(31, 17, 0, 8, 979, 1),  /* slbfee. r17,r8 (gone) */
			PPC_SC1,
		};
		ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[11], (0x7ull << 28) | PPC_SLB_ESID_V);
		cr_expect_eq(t.c->gpr[12], (0x9876ull << 12) | PPC_SLB_KP | PPC_SLB_C);
		cr_expect_eq(t.c->gpr[13], t.c->gpr[12]);
		cr_expect_eq((t.c->gpr[14] >> 28) & 0xf, 2);
		cr_expect_eq(t.c->gpr[15], 0);
		cr_expect_eq((t.c->gpr[16] >> 28) & 0xf, 0);
		cr_expect_eq(t.c->gpr[17], 0);
		cr_expect(!(t.c->slb[2].esid & PPC_SLB_ESID_V));
		ppc_t_fini(&t);
	}
}

Test(ppc_mmu, slbia_keeps_entry_0_and_ih3_only_class_1)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	for (unsigned i = 0; i < 4; i++)
		ppc_t_slb(&t, i, (uint64_t)i << 28, 0x100 + i, i & 1 ? PPC_SLB_C : 0);
	uint32_t w[] = { ppc_x(31, 3, 0, 0, 498, 0) /* slbia 3 */, PPC_SC1,
			 ppc_x(31, 0, 0, 0, 498, 0) /* slbia 0 */, PPC_SC1 };
	ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
	ppc_t_run_exit(&t, 0xc00);
	cr_expect(t.c->slb[0].esid & PPC_SLB_ESID_V);
	cr_expect(!(t.c->slb[1].esid & PPC_SLB_ESID_V));
	cr_expect(t.c->slb[2].esid & PPC_SLB_ESID_V);
	cr_expect(!(t.c->slb[3].esid & PPC_SLB_ESID_V));
	cpu_ppc_hv_return(t.c);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect(t.c->slb[0].esid & PPC_SLB_ESID_V);
	cr_expect(!(t.c->slb[2].esid & PPC_SLB_ESID_V));
	ppc_t_fini(&t);
}

/* SLB instructions are privileged. */
Test(ppc_mmu, slb_instructions_privileged)
{
	struct ppc_t t;
	uint32_t code[] = { ppc_x(31, 5, 0, 6, 402, 0) };
	setup(&t, true, code, 1);
	t.c->msr |= PPC_MSR_PR;
	run_to_handler(&t, 0x700);
	cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_PRIV);
	cr_expect_eq(t.c->gpr[20], CODE_EA);
	ppc_t_fini(&t);
}

/* An HPT outside the p2m: the walk's read fails -> HDSI with HDSISR[35]
 * (a table walk) and ASDR = the PTEG's page. */
Test(ppc_mmu, hpt_not_in_p2m_is_hdsi)
{
	struct ppc_t t;
	uint32_t code[] = { lis(9, 0x1000), lwz(3, 9, 0x1000), PPC_SC1 };
	setup(&t, true, code, SV_ARRAY_SIZE(code));
	ppc_t_map4k(&t, VSID, DATA_EA, DATA_RA, 1, PPC_T_PP_RW);
	ppc_t_run_exit(&t, 0xc00); /* runs with the HPT in RAM */
	cr_assert_eq(t.c->cpu.exit.pc, CODE_EA + 8);
	ppc_t_hpt(&t, 0x40000000ull, 18);
	cpu_ppc_hv_return(t.c);
	t.c->pc = CODE_EA;
	ppc_t_run_exit(&t, 0xe00);
	cr_expect(t.c->hdsisr & PPC_DSISR_PTW);
	cr_expect_eq(t.c->asdr, ppc_t_pteg(0x40000000ull, 18, VSID, CODE_EA) & ~0xfffull);
	ppc_t_fini(&t);
}

/* The partition table (PTCR set): HPT from the entry of LPIDR, v3.0 HPTE format. */
Test(ppc_mmu, partition_table_hpt)
{
	struct ppc_t t;
	uint32_t code[] = { lis(9, 0x1000), ori(9, 9, 0x1000), lwz(3, 9, 0), PPC_SC1 };
	ppc_t_init(&t, true);
	install_handlers(&t);
	uint64_t patb = 0x80000, hpt = 0x140000;
	t.c->lpidr = 1;
	uint8_t pate[8];
	st64_be_p(pate, hpt | 0); /* HR = 0, HTABSIZE = 0 */
	cr_assert_eq(p2m_copy_to(t.p2m, patb + 16, pate, 8), 0);
	t.c->ptcr = patb | 0; /* PATS = 0: 4 KiB table */
	ppc_t_slb(&t, 3, CODE_EA, VSID, PPC_SLB_KP);
	/* v3.0 HPTE: B (0 = 256M) in dw1 bits 4:5. */
	uint64_t p1 = ppc_t_pteg(hpt, 18, VSID, CODE_EA);
	ppc_t_hpte_write(&t, p1, 0, ppc_t_hpte0(VSID, CODE_EA, false), CODE_RA | PPC_T_PP_RW);
	uint64_t p2 = ppc_t_pteg(hpt, 18, VSID, DATA_EA);
	ppc_t_hpte_write(&t, p2, 1, ppc_t_hpte0(VSID, DATA_EA, false), DATA_RA | PPC_T_PP_RW);
	cr_assert_eq(p2m_copy_to(t.p2m, DATA_RA, "\x05\0\0\0", 4), 0);
	ppc_t_code(&t, CODE_RA, code, SV_ARRAY_SIZE(code));
	t.c->pc = CODE_EA;
	t.c->msr |= PPC_MSR_IR | PPC_MSR_DR;
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, CODE_EA + 12);
	cr_expect_eq(t.c->gpr[3], 5);
	ppc_t_fini(&t);
}

Test(ppc_mmu, set_hpt_validates)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	cr_expect_eq(cpu_ppc_set_hpt(t.c, 0x100000, 17), -EINVAL);
	cr_expect_eq(cpu_ppc_set_hpt(t.c, 0x120000, 18), -EINVAL);
	cr_expect_eq(cpu_ppc_set_hpt(t.c, 0x100000, 20), 0);
	cr_expect_eq(t.c->sdr1, 0x100002);
	ppc_t_fini(&t);
}
