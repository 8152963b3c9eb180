/*
 * The PAPR hashed page table hcalls on the HPT hv owns (hv/ppc/papr_mmu.c):
 * H_ENTER, H_REMOVE, H_READ, H_PROTECT, H_BULK_REMOVE, H_CLEAR_MOD/REF,
 * H_PAGE_INIT and H_REGISTER_PROC_TBL, with their error returns, and the
 * translations a real POWER vcpu makes through the entries (the TLB flushed
 * as tlbie would). Also: the guest cannot reach the HPT itself.
 */
#include "test_papr.h"

#include "mmu/ppc/mmu_ppc.h"

#include <inttypes.h>

/* Flags (ISA bit numbers in r4), as the guest passes them. */
#define T_H_EXACT (1ull << (63 - 24))
#define T_H_READ_4 (1ull << (63 - 26))
#define T_H_AVPN (1ull << (63 - 32))
#define T_H_ANDCOND (1ull << (63 - 33))
#define T_H_ZERO_PAGE (1ull << (63 - 48))
#define T_H_COPY_PAGE (1ull << (63 - 49))

#define VSID 0x123ull
#define EA 0x10005000ull

static struct papr_t t;

static void setup(void)
{
	papr_t_init(&t, 1);
	/* Segment 1 (EA 0x1xxxxxxx) = VSID 0x123, 4 KiB pages, Ks = 0. */
	t.c->slb[0].esid = (EA & ~0x0fffffffull) | PPC_SLB_ESID_V;
	t.c->slb[0].vsid = VSID << PPC_SLB_VSID_SHIFT;
	cpu_tlb_flush(&t.c->cpu);
}

static void teardown(void)
{
	papr_t_fini(&t);
}

TestSuite(papr_mmu, .init = setup, .fini = teardown);

/* HPTE dw0 for the 4 KiB page of ea in VSID (256 MiB segment), V = 1. */
static uint64_t hpte0(uint64_t ea)
{
	uint64_t avpn = (VSID << 5) | ((ea & 0x0fffffffull) >> 23);
	return (avpn << 7) | 1;
}

/* The first ptex of ea's primary PTEG. */
static uint64_t pteg(uint64_t ea)
{
	uint64_t hash = (VSID ^ ((ea & 0x0fffffffull) >> 12)) & 0x7fffffffffull;
	uint64_t groups = t.d->papr->n_hptes / 8;
	return (hash & (groups - 1)) * 8;
}

static int xlate(uint64_t ea, enum mmu_access acc, uint64_t *gpa)
{
	return cpu_translate_va(&t.c->cpu, ea, acc, PPC_MMU_VIRT, gpa);
}

Test(papr_mmu, hpt_sized_from_ram_and_attached)
{
	cr_assert_eq(t.d->papr->hpt_shift, 19, "64 MiB / 128 = 512 KiB");
	cr_assert_eq(t.d->papr->n_hptes, (1u << 19) / 16);
	cr_assert_eq(t.c->sdr1, PAPR_HPT_GPA | 1, "SDR1 = HTABORG | HTABSIZE 1");
	cr_assert_eq(papr_hpt_shift_for(1ull << 30), 23, "1 GiB: 8 MiB, ibm,pft-size 0x17");
	cr_assert_eq(papr_hpt_shift_for(16ull << 20), 18, "never below 256 KiB");
}

Test(papr_mmu, enter_translates_and_remove_unmaps)
{
	uint64_t ptex = pteg(EA), gpa;

	cr_assert_lt(xlate(EA, MMU_READ, &gpa), 0, "no entry yet");
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, ptex + 3, hpte0(EA), 0x200000 | 2), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], ptex, "non-exact: the first free slot of the PTEG");
	cr_assert_eq(xlate(EA + 0x123, MMU_WRITE, &gpa), 0);
	cr_assert_eq(gpa, 0x200123);

	/* A second entry in the PTEG goes to the next free slot (the hash, not
	 * the AVPN, tells 4 KiB pages of one 8 MiB range apart). */
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, ptex, hpte0(EA + 0x800000), 0x300000 | 2),
		     H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], ptex + 1);

	/* H_REMOVE returns the old entry and the translation goes (TLB flushed). */
	cr_assert_eq(papr_t_hcall(&t, H_REMOVE, T_H_AVPN, ptex, hpte0(EA) & ~0x7full, 0),
		     H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], hpte0(EA));
	cr_assert_eq(t.c->gpr[5], 0x200000 | 2, "dw1");
	cr_assert_lt(xlate(EA, MMU_READ, &gpa), 0, "no translation left");
	cr_assert_eq(papr_t_hcall(&t, H_REMOVE, 0, ptex, 0, 0), H_NOT_FOUND, "already gone");
}

Test(papr_mmu, enter_exact_and_pteg_full)
{
	uint64_t ptex = pteg(EA);

	cr_assert_eq(papr_t_hcall(&t, H_ENTER, T_H_EXACT, ptex + 5, hpte0(EA), 0x1000 | 2),
		     H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], ptex + 5);
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, T_H_EXACT, ptex + 5, hpte0(EA), 0x2000), H_PTEG_FULL,
		     "exact slot taken");
	for (unsigned i = 0; i < 7; i++)
		cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, ptex, hpte0(EA + 0x1000 * i), 0x3000),
			     H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, ptex, hpte0(EA), 0x3000), H_PTEG_FULL);
}

Test(papr_mmu, enter_rejects_hostile_arguments)
{
	uint64_t n = t.d->papr->n_hptes;

	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, n, hpte0(EA), 0x1000), H_PARAMETER, "bad ptex");
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, ~0ull, hpte0(EA), 0x1000), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, 0, hpte0(EA) & ~1ull, 0x1000), H_PARAMETER,
		     "V = 0");
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, 0, hpte0(EA), PAPRT_RAM), H_PARAMETER,
		     "gpa outside RAM");
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, 0, hpte0(EA), PAPR_HPT_GPA), H_PARAMETER,
		     "the HPT itself");
	/* A 16 MiB page (L = 1, LP = 0) must lie wholly in RAM. */
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, 0, hpte0(EA) | 4, PAPRT_RAM - (16u << 20)),
		     H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, 8, hpte0(EA) | 4, PAPRT_RAM), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, 8, hpte0(EA) | 4, 0x42000), H_PARAMETER,
		     "an LP no segment uses");
}

Test(papr_mmu, enter_zero_page)
{
	uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	cr_assert_eq(p2m_copy_to(t.d->p2m, 0x5008, b, 8), 0);
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, T_H_ZERO_PAGE, 0, hpte0(EA), 0x5000 | 2), H_SUCCESS);
	cr_assert_eq(p2m_copy_from(t.d->p2m, b, 0x5008, 8), 0);
	cr_assert_eq(b[0] | b[7], 0);
}

Test(papr_mmu, remove_avpn_andcond_and_bad_ptex)
{
	uint64_t ptex = pteg(EA);

	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, ptex, hpte0(EA) | 0x10, 0x1000), H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_REMOVE, T_H_AVPN, ptex, 0x4000, 0), H_NOT_FOUND,
		     "AVPN differs");
	cr_assert_eq(papr_t_hcall(&t, H_REMOVE, T_H_ANDCOND, ptex, 0x10, 0), H_NOT_FOUND,
		     "ANDCOND: a bit of the condition is set (bolted)");
	cr_assert_eq(papr_t_hcall(&t, H_REMOVE, 0, t.d->papr->n_hptes, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_REMOVE, T_H_ANDCOND, ptex, 0x8, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], hpte0(EA) | 0x10);
}

Test(papr_mmu, read_one_and_four)
{
	uint64_t ptex = pteg(EA);

	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(papr_t_hcall(&t, H_ENTER, T_H_EXACT, ptex + i, hpte0(EA + 0x1000 * i),
					  0x1000 * (i + 1)),
			     H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_READ, 0, ptex + 2, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], hpte0(EA + 0x2000));
	cr_assert_eq(t.c->gpr[5], 0x3000);
	cr_assert_eq(papr_t_hcall(&t, H_READ, T_H_READ_4, ptex + 3, 0, 0), H_SUCCESS);
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(t.c->gpr[4 + 2 * i], hpte0(EA + 0x1000 * i));
		cr_assert_eq(t.c->gpr[5 + 2 * i], 0x1000 * (i + 1));
	}
	cr_assert_eq(papr_t_hcall(&t, H_READ, 0, t.d->papr->n_hptes, 0, 0), H_PARAMETER);
}

Test(papr_mmu, protect_changes_access)
{
	uint64_t ptex = pteg(EA), gpa;

	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, ptex, hpte0(EA), 0x7000 | 2), H_SUCCESS);
	cr_assert_eq(xlate(EA, MMU_WRITE, &gpa), 0);
	/* PP = 011: read-only for key 0; flush makes the store fault. */
	cr_assert_eq(papr_t_hcall(&t, H_PROTECT, T_H_AVPN | 3, ptex, hpte0(EA) & ~0x7full, 0),
		     H_SUCCESS);
	cr_assert_lt(xlate(EA, MMU_WRITE, &gpa), 0);
	cr_assert_eq(xlate(EA, MMU_READ, &gpa), 0);
	/* N (flags bit 61) and a key (bits 50:54). */
	cr_assert_eq(papr_t_hcall(&t, H_PROTECT, 0x3e00 | 4 | 2, ptex, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_READ, 0, ptex, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[5] & 0x3000000000000e07ull, 0x3000000000000e06ull);
	cr_assert_eq(papr_t_hcall(&t, H_PROTECT, T_H_AVPN, ptex, 0x80, 0), H_NOT_FOUND);
	cr_assert_eq(papr_t_hcall(&t, H_PROTECT, 0, ptex + 1, 0, 0), H_NOT_FOUND, "empty slot");
	cr_assert_eq(papr_t_hcall(&t, H_PROTECT, 0, ~0ull, 0, 0), H_PARAMETER);
}

#define T_BR_REQ 0x4000000000000000ull
#define T_BR_END 0xc000000000000000ull

Test(papr_mmu, bulk_remove_requests_and_responses)
{
	uint64_t ptex = pteg(EA), gpa;
	struct cpu_ppc *c = t.c;
	uint64_t args[6] = { 0 };

	for (unsigned i = 0; i < 3; i++)
		cr_assert_eq(papr_t_hcall(&t, H_ENTER, T_H_EXACT, ptex + i, hpte0(EA + 0x1000 * i),
					  0x1000 | (i ? 0 : 0x180) | 2),
			     H_SUCCESS);
	cr_assert_eq(xlate(EA, MMU_WRITE, &gpa), 0);
	c->gpr[4] = T_BR_REQ | ptex; /* absolute */
	c->gpr[5] = 0;
	c->gpr[6] = T_BR_REQ | 0x0200000000000000ull | (ptex + 1); /* avpn, wrong */
	c->gpr[7] = 0x4000;
	c->gpr[8] = T_BR_REQ | 0x0200000000000000ull | (ptex + 2); /* avpn, right */
	c->gpr[9] = hpte0(EA + 0x2000) & ~0x7full;
	c->gpr[10] = T_BR_END;
	c->gpr[11] = 0;
	cr_assert_eq(hv_hypercall_dispatch(t.v[0], t.d->hypercalls, H_BULK_REMOVE, args, false),
		     H_SUCCESS);
	cr_assert_eq(c->gpr[4] >> 60, 0x8, "response, success");
	cr_assert_eq((c->gpr[4] >> 58) & 3, 3, "R and C of the removed entry");
	cr_assert_eq(c->gpr[6] >> 60, 0x9, "response, not found");
	cr_assert_eq(c->gpr[8] >> 60, 0x8);
	cr_assert_eq(c->gpr[10], T_BR_END, "the end marker untouched");
	cr_assert_eq(papr_t_hcall(&t, H_READ, 0, ptex, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], 0, "slot 0 removed");
	cr_assert_eq(papr_t_hcall(&t, H_READ, 0, ptex + 1, 0, 0), H_SUCCESS);
	cr_assert(t.c->gpr[4] & 1, "the mismatched entry stays");

	/* A bad ptex or a non-request stops with H_PARAMETER. */
	c->gpr[4] = T_BR_REQ | (t.d->papr->n_hptes + 5);
	cr_assert_eq(hv_hypercall_dispatch(t.v[0], t.d->hypercalls, H_BULK_REMOVE, args, false),
		     H_PARAMETER);
	cr_assert_eq(c->gpr[4] >> 60, 0xa, "response, parameter error");
	c->gpr[4] = 0x8000000000000000ull | ptex;
	cr_assert_eq(hv_hypercall_dispatch(t.v[0], t.d->hypercalls, H_BULK_REMOVE, args, false),
		     H_PARAMETER);
}

Test(papr_mmu, clear_mod_and_ref)
{
	uint64_t ptex = pteg(EA), gpa;

	/* R and C as a walk would have set them. */
	cr_assert_eq(papr_t_hcall(&t, H_ENTER, 0, ptex, hpte0(EA), 0x9000 | 0x180 | 2), H_SUCCESS);
	cr_assert_eq(xlate(EA, MMU_WRITE, &gpa), 0);
	cr_assert_eq(papr_t_hcall(&t, H_CLEAR_MOD, 0, ptex, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4] & 0x180, 0x180, "R and C were set");
	cr_assert_eq(papr_t_hcall(&t, H_CLEAR_REF, 0, ptex, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4] & 0x180, 0x100, "C cleared by H_CLEAR_MOD");
	cr_assert_eq(papr_t_hcall(&t, H_READ, 0, ptex, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[5] & 0x180, 0);
	cr_assert_eq(papr_t_hcall(&t, H_CLEAR_MOD, 0, ptex + 1, 0, 0), H_NOT_FOUND);
	cr_assert_eq(papr_t_hcall(&t, H_CLEAR_REF, 0, ~0ull, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_CLEAR_REF, 1, ptex, 0, 0), H_PARAMETER, "flags");
}

Test(papr_mmu, page_init)
{
	uint8_t b[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };

	cr_assert_eq(p2m_copy_to(t.d->p2m, 0x3000, b, 8), 0);
	cr_assert_eq(papr_t_hcall(&t, H_PAGE_INIT, T_H_COPY_PAGE, 0x8000, 0x3000, 0), H_SUCCESS);
	cr_assert_eq(p2m_copy_from(t.d->p2m, b, 0x8000, 8), 0);
	cr_assert_eq(b[0], 9);
	cr_assert_eq(papr_t_hcall(&t, H_PAGE_INIT, T_H_ZERO_PAGE, 0x8000, 0, 0), H_SUCCESS);
	cr_assert_eq(p2m_copy_from(t.d->p2m, b, 0x8000, 8), 0);
	cr_assert_eq(b[0], 0);
	cr_assert_eq(papr_t_hcall(&t, H_PAGE_INIT, T_H_ZERO_PAGE, 0x8008, 0, 0), H_PARAMETER,
		     "misaligned");
	cr_assert_eq(papr_t_hcall(&t, H_PAGE_INIT, T_H_ZERO_PAGE, PAPRT_RAM, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_PAGE_INIT, T_H_COPY_PAGE, 0x8000, PAPR_HPT_GPA, 0),
		     H_PARAMETER, "source outside RAM");
	cr_assert_eq(papr_t_hcall(&t, H_PAGE_INIT, 0, 0x8000, 0, 0), H_SUCCESS, "cache ops only");
}

Test(papr_mmu, register_proc_tbl_checks)
{
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0, 0, 0, 0), H_SUCCESS,
		     "no change, as Linux's hash MMU registers it");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x18 | 0x02, 0x100000, 0, 12),
		     H_PARAMETER, "HPT with a process table");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x18 | 0x01, 0, 0, 0), H_PARAMETER,
		     "GTSE with the HPT");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x08, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x100, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x18, 0x100000, 0, 12), H_PARAMETER,
		     "no process table with the SLB");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x1c, 0x100800, 0, 0), H_P2,
		     "radix table misaligned");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x1c, PAPRT_RAM - 0x1000, 0, 1), H_P2,
		     "radix table beyond RAM");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x1c, 0x100000, 16, 0), H_P3,
		     "page size");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x1c, 0x100000, 0, 25), H_P4,
		     "table size");
	cr_assert_eq(t.c->ptcr, 0, "still the HPT");
	cr_assert_eq(t.c->lpcr & PPC_LPCR_HR, 0);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x10, 0, 0, 0), H_SUCCESS);
}

/*
 * A radix process table registered on vcpu 0 switches both vcpus: PTCR
 * names hv's partition table (HR, the guest's PRTB || PRTS), LPCR has HR,
 * UPRT and GTSE, and a kernel address translates through the guest's tree
 * (one 1 GiB leaf). The guest cannot reach the partition table, and a
 * deregistration goes back to the HPT.
 */
Test(papr_mmu, register_radix_process_table)
{
	const uint64_t prtb = 0x100000, root = 0x110000, ea = 0xc000000000345678ull;
	uint8_t b[8];
	uint64_t gpa;

	papr_t_fini(&t);
	papr_t_init(&t, 2);
	/* PRTE 0: RTS = 21 (52-bit EA, split 2 || 5), RPDB = root, RPDS = 13. */
	st64_be_p(b, (2ull << 61) | (5ull << 5) | root | 13);
	cr_assert_eq(p2m_copy_to(t.d->p2m, prtb, b, 8), 0);
	/* Root entry 0 (EA bits 12:24 from the top of 52): a directory of
	 * 2^9 entries at root + 0x8000. */
	st64_be_p(b, (1ull << 63) | (root + 0x8000) | 9);
	cr_assert_eq(p2m_copy_to(t.d->p2m, root, b, 8), 0);
	/* Level 1: a 1 GiB leaf -> RA 0, privileged read/write/execute. */
	st64_be_p(b, (3ull << 62) | 0x100 | 0x80 | 8 | 4 | 2 | 1);
	cr_assert_eq(p2m_copy_to(t.d->p2m, root + 0x8000, b, 8), 0);

	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x18 | 0x04 | 0x01, prtb, 0, 0),
		     H_SUCCESS);
	for (unsigned i = 0; i < 2; i++) {
		struct cpu_ppc *c = hv_ppc_cpu(t.v[i]);
		cr_assert_eq(c->ptcr, PAPR_PATB_GPA, "vcpu %u", i);
		cr_assert_eq(c->lpcr & (PPC_LPCR_HR | PPC_LPCR_UPRT | PPC_LPCR_GTSE),
			     PPC_LPCR_HR | PPC_LPCR_UPRT | PPC_LPCR_GTSE);
		cr_assert_eq(cpu_translate_va(&c->cpu, ea, MMU_READ, PPC_MMU_VIRT, &gpa), 0);
		cr_assert_eq(gpa, 0x345678);
	}
	cr_assert_eq(cpu_phys_read(&t.c->cpu, PAPR_PATB_GPA + 8, b, 8), 0);
	cr_assert_eq(ld64_be_p(b), prtb);
	cr_assert_eq(hv_copy_from_guest(t.v[0], b, PAPR_PATB_GPA, 8), -EFAULT);

	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x10, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(hv_ppc_cpu(t.v[1])->ptcr, 0);
	cr_assert_eq(hv_ppc_cpu(t.v[1])->lpcr & PPC_LPCR_HR, 0);
}

/* Put guest code (little-endian words) at gpa. */
static void put_code(uint64_t gpa, const uint32_t *w, unsigned n)
{
	uint8_t b[4];

	for (unsigned i = 0; i < n; i++) {
		st32_le_p(b, w[i]);
		cr_assert_eq(p2m_copy_to(t.d->p2m, gpa + 4 * i, b, 4), 0);
	}
}

/* Start vcpu i at the kernel address pc, translated (MSR[IR, DR]). */
static void start_translated(unsigned i, uint64_t pc)
{
	struct cpu_ppc *c = hv_ppc_cpu(t.v[i]);

	cpu_ppc_reset_kexec(c, pc, 0, 0, 0, true);
	papr_vcpu_reset(t.v[i]);
	cpu_ppc_set_msr(c, c->msr | PPC_MSR_IR | PPC_MSR_DR);
}

/*
 * A global tlbie reaches the partition's other vcpus: vcpu 1 loads through
 * a radix leaf (its TLB keeps the translation), the leaf is made invalid,
 * vcpu 0 runs tlbie; vcpu 1's next fetch or load faults (a vector in real
 * mode, where sc 1 waits) instead of using the stale entry.
 */
Test(papr_mmu, tlbie_reaches_every_vcpu)
{
	const uint64_t prtb = 0x100000, root = 0x110000, kbase = 0xc000000000000000ull;
	static const uint32_t load[] = { 0xe8830000, 0x44000022, 0x4bfffff8 }; /* ld; sc 1; b */
	static const uint32_t inval[] = { 0x7c032a64, 0x44000022 }; /* tlbie r5,r0,0,1,1; sc 1 */
	static const uint32_t hcall[] = { 0x44000022 };
	struct cpu_ppc *c1;
	uint8_t b[8];

	papr_t_fini(&t);
	papr_t_init(&t, 2);
	c1 = hv_ppc_cpu(t.v[1]);
	st64_be_p(b, (2ull << 61) | (5ull << 5) | root | 13);
	cr_assert_eq(p2m_copy_to(t.d->p2m, prtb, b, 8), 0);
	st64_be_p(b, (1ull << 63) | (root + 0x8000) | 9);
	cr_assert_eq(p2m_copy_to(t.d->p2m, root, b, 8), 0);
	st64_be_p(b, (3ull << 62) | 0x100 | 0x80 | 8 | 4 | 2 | 1);
	cr_assert_eq(p2m_copy_to(t.d->p2m, root + 0x8000, b, 8), 0);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x18 | 0x04 | 0x01, prtb, 0, 0),
		     H_SUCCESS);
	put_code(0x4000, load, 3);
	put_code(0x5000, inval, 2);
	put_code(PPC_VEC_DSI, hcall, 1);
	put_code(PPC_VEC_ISI, hcall, 1);

	start_translated(1, kbase + 0x4000);
	c1->gpr[3] = kbase + 0x8000;
	cr_assert_eq(cpu_exec(&c1->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(c1->cpu.exit.pc, kbase + 0x4004, "the load went through");
	cpu_ppc_hv_return(c1);

	st64_be_p(b, 0);
	cr_assert_eq(p2m_copy_to(t.d->p2m, root + 0x8000, b, 8), 0);
	/* vcpu 0 in real mode (its code needs no translation). */
	cpu_ppc_reset_kexec(t.c, 0x5000, 0, 0, 0, true);
	papr_vcpu_reset(t.v[0]);
	cr_assert_eq(cpu_exec(&t.c->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(t.c->cpu.exit.pc, 0x5004, "tlbie is allowed with GTSE");

	/* vcpu 1 branches back to the load: without the broadcast its TLB
	 * would still map both pages and it would reach sc 1 at 0x4004. */
	cr_assert_eq(cpu_exec(&c1->cpu, 100), CPU_STOP_EXIT);
	cr_assert(c1->cpu.exit.pc == PPC_VEC_DSI || c1->cpu.exit.pc == PPC_VEC_ISI,
		  "exit at 0x%" PRIx64, c1->cpu.exit.pc);
}

/* POWER8 (ISA v2.07) has no process tables: the call does not exist. */
Test(papr_mmu, register_proc_tbl_power8)
{
	cpu_ppc_set_pvr(t.c, PPC_PVR_POWER8);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_PROC_TBL, 0x1c, 0x100000, 0, 0), H_FUNCTION);
}

Test(papr_mmu, guest_cannot_reach_the_hpt)
{
	static const uint32_t code[] = { 0x38600001, 0x78637446, 0xe8830000, 0x44000022 };
	uint8_t b[16];

	/* hv copies on the guest's behalf (real mode: gpa = ea): RAM only. */
	cr_assert_eq(hv_copy_from_guest(t.v[0], b, PAPR_HPT_GPA, 8), -EFAULT);
	cr_assert_eq(hv_copy_to_guest(t.v[0], PAPR_HPT_GPA, b, 8), -EFAULT);
	/* But the walker reads it. */
	cr_assert_eq(cpu_phys_read(&t.c->cpu, PAPR_HPT_GPA, b, 16), 0);
	/* A guest load from it (li r3,1; sldi r3,r3,46; ld r4,0(r3)) is an HDSI. */
	for (unsigned i = 0; i < 4; i++) {
		st32_le_p(b, code[i]);
		cr_assert_eq(p2m_copy_to(t.d->p2m, 0x4000 + 4 * i, b, 4), 0);
	}
	cpu_ppc_reset_kexec(t.c, 0x4000, 0, 0, 0, true);
	papr_vcpu_reset(t.v[0]);
	cr_assert_eq(cpu_exec(&t.c->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(t.c->cpu.exit.reason, PPC_VEC_HDSI);
	cr_assert_eq(t.c->cpu.exit.gpa, PAPR_HPT_GPA);
}
