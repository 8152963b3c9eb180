/*
 * The x86 page walk (mmu/x86/walk.c): 4-level, PAE and 32-bit paging,
 * large pages, access rights, error codes, accessed/dirty flags and
 * second-stage faults on paging-structure reads.
 */
#include <criterion/criterion.h>

#include "test_x86.h"
#include "mmu/x86/walk.h"

static struct x86_vm vm;

static void setup(void)
{
	x86_vm_init(&vm);
}

static void teardown(void)
{
	x86_vm_destroy(&vm);
}

TestSuite(x86_walk, .init = setup, .fini = teardown);

static void put64(uint64_t gpa, uint64_t v)
{
	uint8_t b[8];
	st64_le_p(b, v);
	x86_vm_put(&vm, gpa, b, 8);
}

static void put32(uint64_t gpa, uint32_t v)
{
	uint8_t b[4];
	st32_le_p(b, v);
	x86_vm_put(&vm, gpa, b, 4);
}

#define P 1ull
#define RW 2ull
#define US 4ull
#define A 0x20ull
#define D 0x40ull
#define PS 0x80ull
#define XD (1ull << 63)

static const struct x86_walk_mode lm = {
	.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP,
	.cr3 = 0x1000,
	.cr4 = X86_CR4_PAE,
	.efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE,
};

/* va 0x40201000 -> PML4[0] -> PDPT[1] -> PD[1] -> PT[1] -> 0x9000. */
static void map4k(uint64_t pte_flags)
{
	put64(0x1000, 0x2000 | P | RW | US);
	put64(0x2000 + 8, 0x3000 | P | RW | US);
	put64(0x3000 + 8, 0x4000 | P | RW | US);
	put64(0x4000 + 8, 0x9000 | pte_flags);
}

Test(x86_walk, four_level_sets_accessed_and_dirty)
{
	struct x86_walk_result r;
	map4k(P | RW);
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40201abc, MMU_READ, false, &r), X86_WALK_OK);
	cr_assert_eq(r.gpa, 0x9abc);
	cr_assert_eq(r.page_size, 4096);
	cr_assert_eq(r.prot, MMU_PROT_READ | MMU_PROT_EXEC, "no write until D is set");
	cr_assert_eq(x86_vm_get64(&vm, 0x4008), 0x9000 | P | RW | A);
	cr_assert_eq(x86_vm_get64(&vm, 0x1000) & A, A);
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40201abc, MMU_WRITE, false, &r), X86_WALK_OK);
	cr_assert_eq(x86_vm_get64(&vm, 0x4008), 0x9000 | P | RW | A | D);
	cr_assert_eq(r.prot, MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC);
}

Test(x86_walk, probe_leaves_the_tables_alone)
{
	struct x86_walk_result r;
	struct x86_walk_mode m = lm;
	m.probe = true;
	map4k(P | RW);
	cr_assert_eq(x86_walk(&vm.c->cpu, &m, 0x40201000, MMU_WRITE, false, &r), X86_WALK_OK);
	cr_assert_eq(x86_vm_get64(&vm, 0x4008), 0x9000 | P | RW);
}

Test(x86_walk, error_codes)
{
	struct x86_walk_result r;
	map4k(P); /* read-only, supervisor */
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40201000, MMU_WRITE, false, &r), X86_WALK_PF);
	cr_assert_eq(r.pf_error, X86_PF_P | X86_PF_W, "WP=1: supervisor write to a RO page");
	cr_assert_eq(x86_vm_get64(&vm, 0x4008) & A, 0, "a faulting walk sets no A bit");
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40201000, MMU_READ, true, &r), X86_WALK_PF);
	cr_assert_eq(r.pf_error, X86_PF_P | X86_PF_U);
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40202000, MMU_FETCH, true, &r), X86_WALK_PF);
	cr_assert_eq(r.pf_error, X86_PF_U | X86_PF_I, "not present");
	struct x86_walk_mode nowp = lm;
	nowp.cr0 &= ~X86_CR0_WP;
	cr_assert_eq(x86_walk(&vm.c->cpu, &nowp, 0x40201000, MMU_WRITE, false, &r), X86_WALK_OK);

	map4k(P | RW | US | XD);
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40201000, MMU_FETCH, true, &r), X86_WALK_PF);
	cr_assert_eq(r.pf_error, X86_PF_P | X86_PF_U | X86_PF_I);
	struct x86_walk_mode nonx = lm;
	nonx.efer &= ~X86_EFER_NXE;
	cr_assert_eq(x86_walk(&vm.c->cpu, &nonx, 0x40201000, MMU_READ, false, &r), X86_WALK_PF);
	cr_assert_eq(r.pf_error, X86_PF_P | X86_PF_RSVD, "XD is reserved without EFER.NXE");

	map4k(P | RW | (1ull << 45));
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40201000, MMU_READ, false, &r), X86_WALK_PF);
	cr_assert_eq(r.pf_error, X86_PF_P | X86_PF_RSVD, "address bit above MAXPHYADDR");
}

Test(x86_walk, large_pages)
{
	struct x86_walk_result r;
	put64(0x1000, 0x2000 | P | RW);
	put64(0x2000, 0x40000000 | P | RW | PS); /* 1 GiB at 0 -> 1 GiB */
	put64(0x2000 + 8, 0x3000 | P | RW);
	put64(0x3000 + 16, 0x600000 | P | RW | PS); /* 2 MiB at 0x40400000 */
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x12345678, MMU_READ, false, &r), X86_WALK_OK);
	cr_assert_eq(r.gpa, 0x52345678);
	cr_assert_eq(r.page_size, 1ull << 30);
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40412345, MMU_WRITE, false, &r), X86_WALK_OK);
	cr_assert_eq(r.gpa, 0x612345);
	cr_assert_eq(r.page_size, 2ull << 20);
	cr_assert_eq(x86_vm_get64(&vm, 0x3010), 0x600000 | P | RW | PS | A | D);
	put64(0x3000 + 16, 0x600000 | P | RW | PS | (1ull << 13));
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x40412345, MMU_READ, false, &r), X86_WALK_PF);
	cr_assert_eq(r.pf_error, X86_PF_P | X86_PF_RSVD);
}

Test(x86_walk, pae_and_32bit_paging)
{
	struct x86_walk_result r;
	struct x86_walk_mode pae = { .cr0 = X86_CR0_PE | X86_CR0_PG,
				     .cr3 = 0x1020,
				     .cr4 = X86_CR4_PAE,
				     .efer = X86_EFER_NXE };
	put64(0x1020 + 8 * 3, 0x3000 | P); /* PDPTE 3 */
	put64(0x3000 + 8 * 1, 0x4000 | P | RW);
	put64(0x4000 + 8 * 2, 0x9000 | P | RW | XD);
	cr_assert_eq(x86_walk(&vm.c->cpu, &pae, 0xc0202123, MMU_READ, false, &r), X86_WALK_OK);
	cr_assert_eq(r.gpa, 0x9123);
	cr_assert_eq(r.prot & MMU_PROT_EXEC, 0);

	struct x86_walk_mode p32 = { .cr0 = X86_CR0_PE | X86_CR0_PG,
				     .cr3 = 0x5000,
				     .cr4 = X86_CR4_PSE };
	put32(0x5000 + 4 * 1, 0x6000 | P | RW | US);
	put32(0x6000 + 4 * 3, 0xa000 | P | US);
	put32(0x5000 + 4 * 2, 0x00c00000 | P | RW | PS); /* 4 MiB page */
	cr_assert_eq(x86_walk(&vm.c->cpu, &p32, 0x00403456, MMU_READ, true, &r), X86_WALK_OK);
	cr_assert_eq(r.gpa, 0xa456);
	cr_assert_eq(x86_walk(&vm.c->cpu, &p32, 0x00403456, MMU_WRITE, true, &r), X86_WALK_PF);
	cr_assert_eq(r.pf_error, X86_PF_P | X86_PF_W | X86_PF_U);
	cr_assert_eq(x86_walk(&vm.c->cpu, &p32, 0x00812345, MMU_WRITE, false, &r), X86_WALK_OK);
	cr_assert_eq(r.gpa, 0xc12345);
	cr_assert_eq(r.page_size, 4ull << 20);
}

Test(x86_walk, paging_structure_outside_ram_is_a_stage2_fault)
{
	struct x86_walk_result r;
	put64(0x1000, 0x2000 | P | RW);
	put64(0x2000, 0x800000 | P | RW); /* PD beyond RAM */
	cr_assert_eq(x86_walk(&vm.c->cpu, &lm, 0x1000, MMU_READ, false, &r), X86_WALK_STAGE2);
	cr_assert_eq(r.fault_gpa, 0x800000);
	cr_assert_eq(r.fault_acc, MMU_READ);
}
