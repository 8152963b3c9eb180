/*
 * The POWER radix MMU (process-scoped; the partition-scoped stage is the
 * p2m): partition and process tables, 4-level trees for 4 KiB pages
 * (13/9/9/9) and 64 KiB pages (13/9/9/5), 2 MiB and 1 GiB leaves, the
 * quadrants (PID 0 for EA[0:1] = 3, PIDR for 0), R/C updates, EAA checks
 * with exact DSI/ISI/segment registers, HDSI for a tree outside the p2m, and
 * tlbie.
 *
 * Layout: partition table 0x80000 (LPID 0), process table 0x90000, trees
 * from 0x100000; kernel code EA 0xc000000000010000 -> RA 0x200000, handlers
 * in real mode at the vectors save SRR0/SRR1/DAR/DSISR in r20..r23 and hcall.
 */
#include "test_ppc.h"

#define BOTH(le) for (int le = 1; le >= 0; le--)

#define PATB 0x80000ull
#define PRTB 0x90000ull
#define KCODE 0xc000000000010000ull
#define KCODE_RA 0x200000ull
#define KDATA 0xc000000000020000ull
#define KDATA_RA 0x201000ull

#define EAA_PRIV 8ull
#define EAA_R 4ull
#define EAA_RW 2ull
#define EAA_X 1ull
#define PTE_R 0x100ull
#define PTE_C 0x80ull
#define PTE_V (1ull << 63)
#define PTE_L (1ull << 62)

struct rtree {
	uint64_t next; /* bump allocator for directories */
	unsigned nls[4];
	uint64_t root[8]; /* root directory per PID (0..7) */
};

static uint64_t rd64(struct ppc_t *t, uint64_t gpa)
{
	uint8_t b[8];
	cr_assert_eq(p2m_copy_from(t->p2m, b, gpa, 8), 0);
	return ld64_be_p(b);
}

static void wr64(struct ppc_t *t, uint64_t gpa, uint64_t v)
{
	uint8_t b[8];
	st64_be_p(b, v);
	cr_assert_eq(p2m_copy_to(t->p2m, gpa, b, 8), 0);
}

static uint64_t ralloc(struct rtree *r, unsigned nls)
{
	uint64_t size = 8ull << nls, a = (r->next + size - 1) & ~(size - 1);
	r->next = a + size;
	return a;
}

/* Set up the tables for PID pid with the tree shape r->nls (52-bit EA). */
static void rsetup(struct ppc_t *t, struct rtree *r, unsigned pid)
{
	if (!r->next)
		r->next = 0x100000;
	r->root[pid] = ralloc(r, r->nls[0]);
	/* PATE: HR, dw1 = PRTB || PRTS = 0 (4 KiB: 256 entries). */
	wr64(t, PATB, 1ull << 63);
	wr64(t, PATB + 8, PRTB);
	/* PRTE: RTS = 21 (52 bits) split 2 || 5, RPDB, RPDS. */
	wr64(t, PRTB + 16 * pid, (2ull << 61) | (5ull << 5) | r->root[pid] | r->nls[0]);
	t->c->ptcr = PATB;
	t->c->lpcr |= PPC_LPCR_HR | PPC_LPCR_UPRT;
	cpu_tlb_flush(&t->c->cpu);
}

/* Map ea -> ra with a leaf at level leaf (0-based) and the EAA/R/C bits;
 * returns the leaf's address. */
static uint64_t rmap(struct ppc_t *t, struct rtree *r, unsigned pid, uint64_t ea, uint64_t ra,
		     unsigned leaf, uint64_t bits)
{
	unsigned sh = 52;
	uint64_t base = r->root[pid];

	for (unsigned lvl = 0;; lvl++) {
		sh -= r->nls[lvl];
		uint64_t a = base + 8 * ((ea >> sh) & ((1ull << r->nls[lvl]) - 1));
		if (lvl == leaf) {
			wr64(t, a, PTE_V | PTE_L | (ra & 0x01fffffffffff000ull) | bits);
			return a;
		}
		uint64_t e = rd64(t, a);
		if (!(e & PTE_V)) {
			uint64_t nb = ralloc(r, r->nls[lvl + 1]);
			e = PTE_V | nb | r->nls[lvl + 1];
			wr64(t, a, e);
		}
		base = e & 0x0fffffffffffff00ull;
	}
}

static inline uint32_t lwz(unsigned rt, unsigned ra, int16_t d)
{
	return ppc_d(32, rt, ra, (uint16_t)d);
}
static inline uint32_t stw(unsigned rs, unsigned ra, int16_t d)
{
	return ppc_d(36, rs, ra, (uint16_t)d);
}

static void install_handlers(struct ppc_t *t)
{
	static const uint64_t vecs[] = { 0x300, 0x380, 0x400, 0x480, 0x700 };
	uint32_t h[] = { ppc_mfspr(20, 26), ppc_mfspr(21, 27), ppc_mfspr(22, 19), ppc_mfspr(23, 18),
			 PPC_SC1 };
	for (size_t i = 0; i < SV_ARRAY_SIZE(vecs); i++)
		ppc_t_code(t, vecs[i], h, SV_ARRAY_SIZE(h));
}

/* Kernel setup: 4K tree for PID 0, code page mapped, r9 = KDATA. */
static void ksetup(struct ppc_t *t, struct rtree *r, bool le, const uint32_t *code, size_t n)
{
	ppc_t_init(t, le);
	install_handlers(t);
	*r = (struct rtree){ .nls = { 13, 9, 9, 9 } };
	rsetup(t, r, 0);
	rmap(t, r, 0, KCODE, KCODE_RA, 3, EAA_PRIV | EAA_R | EAA_X);
	ppc_t_code(t, KCODE_RA, code, n);
	t->c->pc = KCODE;
	t->c->msr |= PPC_MSR_IR | PPC_MSR_DR;
	t->c->gpr[9] = KDATA;
}

static void run_to_handler(struct ppc_t *t, uint64_t vec)
{
	ppc_t_run_exit(t, 0xc00);
	cr_assert_eq(t->c->cpu.exit.pc, vec + 16, "hcall at %#lx, wanted handler %#lx",
		     (unsigned long)t->c->cpu.exit.pc, (unsigned long)vec);
}

Test(ppc_radix, kernel_4k_load_store_rc)
{
	BOTH(le)
	{
		struct ppc_t t;
		struct rtree r;
		uint32_t code[] = { lwz(3, 9, 4), ppc_li(4, 0x55), stw(4, 9, 0x1008), PPC_SC1 };
		ksetup(&t, &r, le, code, SV_ARRAY_SIZE(code));
		uint64_t l1 = rmap(&t, &r, 0, KDATA, KDATA_RA, 3, EAA_PRIV | EAA_RW);
		uint64_t l2 =
			rmap(&t, &r, 0, KDATA + 0x1000, KDATA_RA + 0x3000, 3, EAA_PRIV | EAA_RW);
		uint8_t b[4];
		if (le)
			st32_le_p(b, 0xfeed);
		else
			st32_be_p(b, 0xfeed);
		cr_assert_eq(p2m_copy_to(t.p2m, KDATA_RA + 4, b, 4), 0);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->cpu.exit.pc, KCODE + 12);
		cr_expect_eq(t.c->gpr[3], 0xfeed);
		cr_expect_eq(ppc_t_ld(&t, KDATA_RA + 0x3008, 2), 0x55);
		cr_expect_eq(rd64(&t, l1) & (PTE_R | PTE_C), PTE_R);
		cr_expect_eq(rd64(&t, l2) & (PTE_R | PTE_C), PTE_R | PTE_C);
		ppc_t_fini(&t);
	}
}

/* Problem state in quadrant 0 uses PIDR's tree; a privileged page is
 * protected from it. */
Test(ppc_radix, user_quadrant_uses_pidr)
{
	struct ppc_t t;
	struct rtree r;
	uint32_t code[] = { PPC_NOP };
	ksetup(&t, &r, true, code, 1);
	rsetup(&t, &r, 5);
	/* rsetup wrote PID 5's entry; PID 0's entry stays. */
	t.c->pidr = 5;
	uint32_t user[] = { lwz(3, 10, 0), lwz(4, 9, 0), PPC_SC1 };
	rmap(&t, &r, 5, 0x10000000, 0x210000, 3, EAA_R | EAA_X);
	rmap(&t, &r, 5, 0x10010000, 0x211000, 3, EAA_R);
	rmap(&t, &r, 0, KDATA, KDATA_RA, 3, EAA_PRIV | EAA_RW);
	ppc_t_code(&t, 0x210000, user, SV_ARRAY_SIZE(user));
	cr_assert_eq(p2m_copy_to(t.p2m, 0x211000, "\x11\0\0\0", 4), 0);
	t.c->gpr[10] = 0x10010000;
	t.c->pc = 0x10000000;
	t.c->msr |= PPC_MSR_PR;
	run_to_handler(&t, 0x300);
	cr_expect_eq(t.c->gpr[3], 0x11);
	cr_expect_eq(t.c->gpr[20], 0x10000004);
	cr_expect_eq(t.c->gpr[22], KDATA);
	cr_expect_eq(t.c->gpr[23], PPC_ISR_PROTECT);
	ppc_t_fini(&t);
}

static void large_case(unsigned leaf, const unsigned *nls, uint64_t ea, uint64_t ra)
{
	struct ppc_t t;
	struct rtree r;
	uint32_t code[] = { lwz(3, 9, 0), PPC_SC1 };
	ksetup(&t, &r, true, code, SV_ARRAY_SIZE(code));
	if (nls) {
		/* A second tree shape for PID 0: rebuild with it. */
		r = (struct rtree){ .next = 0x180000, .nls = { nls[0], nls[1], nls[2], nls[3] } };
		rsetup(&t, &r, 0);
		rmap(&t, &r, 0, KCODE, KCODE_RA, 3, EAA_PRIV | EAA_R | EAA_X);
	}
	rmap(&t, &r, 0, ea, ra, leaf, EAA_PRIV | EAA_RW);
	uint64_t mask = (1ull << (52 - 13 - (leaf >= 1 ? 9 : 0) - (leaf >= 2 ? 9 : 0) -
				  (leaf >= 3 ? (nls ? nls[3] : 9) : 0))) -
			1;
	uint64_t target = ra + (ea & mask);
	if (target >= PPC_T_RAM)
		cr_assert_eq(p2m_populate_ram(t.p2m, target >> 12, 1), 0);
	cr_assert_eq(p2m_copy_to(t.p2m, target, "\x42\0\0\0", 4), 0);
	t.c->gpr[9] = ea;
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, KCODE + 4, "leaf %u: exit at %#lx", leaf,
		     (unsigned long)t.c->cpu.exit.pc);
	cr_expect_eq(t.c->gpr[3], 0x42, "leaf %u", leaf);
	ppc_t_fini(&t);
}

Test(ppc_radix, page_sizes)
{
	static const unsigned k64[4] = { 13, 9, 9, 5 };
	large_case(2, NULL, 0xc000000000a12345ull, 0x200000);   /* 2 MiB */
	large_case(1, NULL, 0xc000000081234567ull, 0x40000000); /* 1 GiB */
	large_case(3, k64, 0xc000000000037654ull, 0x230000);    /* 64 KiB */
}

Test(ppc_radix, faults_exact_registers)
{
	BOTH(le)
	{
		struct ppc_t t;
		struct rtree r;
		/* No leaf: DSI DSISR[33] (store: and [38]). */
		uint32_t c1[] = { stw(3, 9, 0x10), PPC_SC1 };
		ksetup(&t, &r, le, c1, 2);
		uint64_t msr = t.c->msr;
		run_to_handler(&t, 0x300);
		cr_expect_eq(t.c->gpr[20], KCODE);
		cr_expect_eq(t.c->gpr[21], msr & ~PPC_SRR1_INTR_MASK);
		cr_expect_eq(t.c->gpr[22], KDATA + 0x10);
		cr_expect_eq(t.c->gpr[23], PPC_ISR_NOT_FOUND | PPC_DSISR_STORE);
		ppc_t_fini(&t);
	}
	struct ppc_t t;
	struct rtree r;
	/* Store to a read-only page: DSISR[36] | [38]; R set, C not. */
	uint32_t c2[] = { stw(3, 9, 0), PPC_SC1 };
	ksetup(&t, &r, true, c2, 2);
	uint64_t l = rmap(&t, &r, 0, KDATA, KDATA_RA, 3, EAA_PRIV | EAA_R);
	run_to_handler(&t, 0x300);
	cr_expect_eq(t.c->gpr[23], PPC_ISR_PROTECT | PPC_DSISR_STORE);
	cr_expect_eq(rd64(&t, l) & PTE_C, 0);
	ppc_t_fini(&t);

	/* EA beyond the 52-bit tree, and quadrant 1: data segment interrupt. */
	uint32_t c3[] = { lwz(3, 9, 0), PPC_SC1 };
	ksetup(&t, &r, true, c3, 2);
	t.c->gpr[9] = 0xc010000000000000ull;
	run_to_handler(&t, 0x380);
	cr_expect_eq(t.c->gpr[22], 0xc010000000000000ull);
	ppc_t_fini(&t);
	ksetup(&t, &r, true, c3, 2);
	t.c->gpr[9] = 0x4000000000000000ull;
	run_to_handler(&t, 0x380);
	ppc_t_fini(&t);

	/* Fetch from a page without X: ISI SRR1[35]; kernel fetch from a user
	 * page: ISI SRR1[36]. */
	uint32_t c4[] = { 0x7d2903a6 /* mtctr r9 */, 0x4e800420 /* bctr */ };
	ksetup(&t, &r, true, c4, 2);
	rmap(&t, &r, 0, KDATA, KDATA_RA, 3, EAA_PRIV | EAA_RW);
	run_to_handler(&t, 0x400);
	cr_expect_eq(t.c->gpr[20], KDATA);
	cr_expect_eq(t.c->gpr[21] & PPC_SRR1_INTR_MASK, PPC_ISR_NOEXEC);
	ppc_t_fini(&t);
	ksetup(&t, &r, true, c4, 2);
	rmap(&t, &r, 0, KDATA, KDATA_RA, 3, EAA_R | EAA_X);
	run_to_handler(&t, 0x400);
	cr_expect_eq(t.c->gpr[21] & PPC_SRR1_INTR_MASK, PPC_ISR_PROTECT);
	ppc_t_fini(&t);
	/* Invalid intermediate directory entry: ISI SRR1[33] for a fetch. */
	ksetup(&t, &r, true, c4, 2);
	t.c->gpr[9] = 0xc000000400000000ull;
	run_to_handler(&t, 0x400);
	cr_expect_eq(t.c->gpr[21] & PPC_SRR1_INTR_MASK, PPC_ISR_NOT_FOUND);
	ppc_t_fini(&t);
}

/* A directory outside the p2m: HDSI with HDSISR[35] and ASDR = its page. */
Test(ppc_radix, tree_outside_p2m_is_hdsi)
{
	struct ppc_t t;
	struct rtree r;
	uint32_t code[] = { lwz(3, 9, 0), PPC_SC1 };
	ksetup(&t, &r, true, code, 2);
	/* Point KDATA's last-level directory entry at an unbacked gpa. */
	uint64_t l = rmap(&t, &r, 0, KDATA, KDATA_RA, 3, EAA_PRIV | EAA_RW);
	(void)l;
	uint64_t a = r.root[0] + 8 * ((KDATA >> 39) & 0x1fff);
	uint64_t e1 = rd64(&t, a);
	uint64_t a2 = (e1 & 0x0fffffffffffff00ull) + 8 * ((KDATA >> 30) & 0x1ff);
	uint64_t e2 = rd64(&t, a2);
	uint64_t a3 = (e2 & 0x0fffffffffffff00ull) + 8 * ((KDATA >> 21) & 0x1ff);
	wr64(&t, a3, PTE_V | 0x40000000ull | 9);
	ppc_t_run_exit(&t, 0xe00);
	cr_expect(t.c->hdsisr & PPC_DSISR_PTW);
	cr_expect_eq(t.c->asdr, 0x40000000ull);
	/* KCODE shares that directory: the first fetch is the access that faults. */
	cr_expect_eq(t.c->hdar, KCODE);
	ppc_t_fini(&t);
}

/* tlbie (LPCR[GTSE] = 1): a changed PTE is used after tlbie; ptesync. */
Test(ppc_radix, tlbie_invalidates)
{
	struct ppc_t t;
	struct rtree r;
	uint32_t code[] = { lwz(3, 9, 0), PPC_SC1,      ppc_x(31, 0, 0, 9, 306, 0),
			    0x7c4004ac,   lwz(4, 9, 0), PPC_SC1 };
	ksetup(&t, &r, true, code, SV_ARRAY_SIZE(code));
	t.c->lpcr |= 1ull << 10;
	uint64_t l = rmap(&t, &r, 0, KDATA, KDATA_RA, 3, EAA_PRIV | EAA_RW);
	cr_assert_eq(p2m_copy_to(t.p2m, KDATA_RA, "\x01\0\0\0", 4), 0);
	cr_assert_eq(p2m_copy_to(t.p2m, KDATA_RA + 0x5000, "\x02\0\0\0", 4), 0);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[3], 1);
	wr64(&t, l, PTE_V | PTE_L | (KDATA_RA + 0x5000) | EAA_PRIV | EAA_RW);
	cpu_ppc_hv_return(t.c);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[4], 2);
	ppc_t_fini(&t);
}
