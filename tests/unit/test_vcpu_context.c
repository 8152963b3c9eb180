/*
 * VCPUOP_initialise on x86 (hv/x86/vcpu_context.c): struct
 * vcpu_hvm_context in both modes, every check Xen's arch_set_info_hvm_guest
 * makes, and the state the vcpu starts in after VCPUOP_up.
 */
#include <criterion/criterion.h>

#include "cpu/x86/cpu_x86.h"
#include "hv/time.h"
#include "hv/x86/x86.h"
#include "hv_test.h"

#define CTX 0x2000ull

static struct hv hv;
static struct domain *d;
static struct vcpu *bsp, *ap;

static void setup(void)
{
	int err;

	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
	d = hv_domain_create(&hv, HV_ARCH_X86_64, HV_PERSONALITY_XEN, 1 << 20, &err);
	cr_assert_not_null(d);
	bsp = hv_x86_vcpu_create(d);
	ap = hv_x86_vcpu_create(d);
	cr_assert_not_null(ap);
	hv_vcpu_start_offline(ap); /* as Xen's toolstack leaves a PVH AP */
}

static void teardown(void)
{
	hv_destroy(&hv);
}

TestSuite(vcpu_context, .init = setup, .fini = teardown);

static long initialise(void)
{
	return hvt_call(bsp, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, CTX);
}

/* A valid 64-bit context: rip, rsp, cr3 given. */
static void ctx64(uint64_t rip, uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	uint8_t z[128] = { 0 };

	cr_assert_eq(p2m_copy_to(d->p2m, CTX, z, sizeof(z)), 0);
	hvt_put32(d, CTX, 1);                  /* VCPU_HVM_MODE_64B */
	hvt_put64(d, CTX + 8 + 8 * 1, 0x1111); /* rcx */
	hvt_put64(d, CTX + 8 + 8 * 4, 0x9000); /* rsp */
	hvt_put64(d, CTX + 8 + 8 * 7, 0x7777); /* rdi */
	hvt_put64(d, CTX + 8 + 64, rip);
	hvt_put64(d, CTX + 8 + 72, 0x202); /* IF */
	hvt_put64(d, CTX + 8 + 80, cr0);
	hvt_put64(d, CTX + 8 + 88, 0x3000); /* cr3 */
	hvt_put64(d, CTX + 8 + 96, cr4);
	hvt_put64(d, CTX + 8 + 104, efer);
}

#define CR0_PE_PG (X86_CR0_PE | X86_CR0_PG)
#define EFER_LME X86_EFER_LME

Test(vcpu_context, x86_64_start_state)
{
	struct cpu_x86 *c = hv_x86_cpu(ap);

	cr_assert_eq(hvt_call(bsp, __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0), -XEN_EINVAL,
		     "no start state yet");
	ctx64(0xffffffff81000000ull, CR0_PE_PG, X86_CR4_PAE, EFER_LME);
	cr_assert_eq(initialise(), 0);
	cr_assert_eq(hvt_call(bsp, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0), 0, "still down");
	cr_assert_not(hv_vcpu_runnable(ap));
	cr_assert_eq(c->rip, 0xffffffff81000000ull);
	cr_assert_eq(c->regs[X86_RCX], 0x1111);
	cr_assert_eq(c->regs[X86_RSP], 0x9000);
	cr_assert_eq(c->regs[X86_RDI], 0x7777);
	cr_assert_eq(cpu_x86_get_rflags(c), 0x202);
	cr_assert_eq(c->cr3, 0x3000);
	cr_assert(c->efer & X86_EFER_LMA, "long mode active");
	cr_assert(cpu_x86_code64(c), "64-bit code segment");
	cr_assert_eq(c->cpl, 0);
	cr_assert_eq(c->seg[X86_SEG_TR].attr & 0xf, 0xb, "busy TSS");
	cr_assert_eq(initialise(), -XEN_EEXIST, "once");
	cr_assert_eq(hvt_call(bsp, __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0), 0);
	cr_assert(hv_vcpu_runnable(ap));
}

Test(vcpu_context, idle_time_moves_the_tsc_not_the_icount)
{
	struct cpu_x86 *c = hv_x86_cpu(bsp);
	uint64_t tsc = cpu_x86_rdtsc(c), icount = cpu_icount(&c->cpu);

	hv_time_advance(bsp, hv_time_now(bsp) + 123456);
	cr_assert_eq(cpu_icount(&c->cpu), icount);
	cr_assert_eq(cpu_x86_rdtsc(c), tsc + 123456);
	/* VCPUOP_initialise keeps the AP's TSC counting (no reset to 0). */
	hv_time_advance(ap, hv_time_now(ap) + 5000);
	ctx64(0x100000, CR0_PE_PG, X86_CR4_PAE, EFER_LME);
	cr_assert_eq(initialise(), 0);
	cr_assert_eq(cpu_x86_rdtsc(hv_x86_cpu(ap)), cpu_icount(ap->cpu) + 5000);
}

Test(vcpu_context, x86_64_checks)
{
	ctx64(0x0000800000000000ull, CR0_PE_PG, X86_CR4_PAE, EFER_LME);
	cr_assert_eq(initialise(), -XEN_EINVAL, "non-canonical rip");
	ctx64(0x100000, X86_CR0_PE, X86_CR4_PAE, EFER_LME);
	cr_assert_eq(initialise(), -XEN_EINVAL, "no paging");
	ctx64(0x100000, CR0_PE_PG, 0, EFER_LME);
	cr_assert_eq(initialise(), -XEN_EINVAL, "no PAE");
	ctx64(0x100000, CR0_PE_PG, X86_CR4_PAE, 0);
	cr_assert_eq(initialise(), -XEN_EINVAL, "no LME");
	ctx64(0x100000, CR0_PE_PG, X86_CR4_PAE | X86_CR4_VMXE, EFER_LME);
	cr_assert_eq(initialise(), -XEN_EINVAL, "a CR4 bit the CPU lacks");
	ctx64(0x100000, CR0_PE_PG, X86_CR4_PAE, EFER_LME | (1ull << 20));
	cr_assert_eq(initialise(), -XEN_EINVAL, "a reserved EFER bit");
	ctx64(0x100000, CR0_PE_PG, X86_CR4_PAE, EFER_LME);
	hvt_put32(d, CTX + 4, 1);
	cr_assert_eq(initialise(), -XEN_EINVAL, "pad");
	hvt_put32(d, CTX + 4, 0);
	hvt_put32(d, CTX, 2);
	cr_assert_eq(initialise(), -XEN_EINVAL, "mode");
	/* (The BSP is in its INIT state: a 32-bit address past RAM.) */
	cr_assert_eq(hvt_call(bsp, __HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, 0xf0000000),
		     -XEN_EFAULT);
	cr_assert_not(ap->initialised, "every failure leaves it without a state");
	hvt_put32(d, CTX, 1);
	cr_assert_eq(initialise(), 0);
}

/* A flat 32-bit protected-mode context (paging off), as a 32-bit AP
 * trampoline would use: access rights in Xen's 12-bit format. */
static void ctx32(uint16_t cs_ar, uint16_t ss_ar, uint16_t ds_ar, uint16_t tr_ar, uint32_t eip)
{
	uint8_t z[128] = { 0 };
	const uint64_t r = CTX + 8;

	cr_assert_eq(p2m_copy_to(d->p2m, CTX, z, sizeof(z)), 0);
	hvt_put32(d, CTX, 0);            /* VCPU_HVM_MODE_32B */
	hvt_put32(d, r + 4 * 3, 0xb0b0); /* ebx */
	hvt_put32(d, r + 32, eip);
	hvt_put32(d, r + 36, 0x2);        /* eflags */
	hvt_put32(d, r + 40, X86_CR0_PE); /* cr0 */
	for (unsigned i = 0; i < 4; i++)  /* cs ds ss es limits */
		hvt_put32(d, r + 84 + 4 * i, 0xfffff);
	hvt_put32(d, r + 84 + 16, 0x67); /* tr limit */
	hvt_put16(d, r + 104, cs_ar);
	hvt_put16(d, r + 106, ds_ar);
	hvt_put16(d, r + 108, ss_ar);
	hvt_put16(d, r + 110, ds_ar); /* es */
	hvt_put16(d, r + 112, tr_ar);
}

Test(vcpu_context, x86_32_start_state_and_segment_checks)
{
	struct cpu_x86 *c = hv_x86_cpu(ap);

	/* CS 0xc9b: G, D/B, P, S, code r/x accessed; data 0xc93; TR 0x8b. */
	ctx32(0xc9b, 0xc93, 0xc93, 0x8b, 0x1000);
	cr_assert_eq(initialise(), 0);
	cr_assert_eq(c->rip, 0x1000);
	cr_assert_eq(c->regs[X86_RBX], 0xb0b0);
	cr_assert_eq(c->seg[X86_SEG_CS].attr,
		     X86_SEG_ATTR_G | X86_SEG_ATTR_DB | X86_SEG_ATTR_P | X86_SEG_ATTR_S | 0xb);
	cr_assert_eq(c->seg[X86_SEG_CS].limit, 0xfffff);
	cr_assert_not(c->efer & X86_EFER_LMA);
	cr_assert_not(cpu_x86_code64(c));
	cr_assert_eq(c->cpl, 0);
}

Test(vcpu_context, x86_32_hostile_segments)
{
	static const struct {
		uint16_t cs, ss, ds, tr;
		uint32_t eip;
		const char *why;
	} bad[] = {
		{ 0, 0xc93, 0xc93, 0x8b, 0, "null CS" },
		{ 0xc9b, 0, 0xc93, 0x8b, 0, "null SS" },
		{ 0xc9b, 0xc93, 0xc93, 0, 0, "null TR" },
		{ 0xc93, 0xc93, 0xc93, 0x8b, 0, "data segment in CS" },
		{ 0xc9b, 0xc9b, 0xc93, 0x8b, 0, "code segment in SS" },
		{ 0xc9b, 0xc91, 0xc93, 0x8b, 0, "read-only SS" },
		{ 0xc9b, 0xc93, 0xc99, 0x8b, 0, "execute-only DS" },
		{ 0xc9b, 0xc93, 0xc93, 0x81, 0, "16-bit TSS in TR" },
		{ 0xc9b, 0xc93, 0xc93, 0x9b, 0, "code segment in TR" },
		{ 0xc1b, 0xc93, 0xc93, 0x8b, 0, "non-present CS" },
		{ 0xc8b, 0xc93, 0xc93, 0x8b, 0, "system segment in CS" },
		{ 0x1c9b, 0xc93, 0xc93, 0x8b, 0, "access-rights bits 15:12 set" },
		{ 0xcfb, 0xc93, 0xc93, 0x8b, 0, "SS.DPL != CS.DPL" },
		{ 0xc9b, 0xc93, 0xcf3, 0x8b, 0, "DS.DPL above CS.DPL" },
		{ 0x49b, 0xc93, 0xc93, 0x8b, 0x100000, "EIP past a byte-granular CS limit" },
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		ctx32(bad[i].cs, bad[i].ss, bad[i].ds, bad[i].tr, bad[i].eip);
		cr_assert_eq(initialise(), -XEN_EINVAL, "%s", bad[i].why);
	}
	/* Xen sets the accessed and busy bits itself: type 0x9 (an available
	 * TSS) and not-yet-accessed segments are accepted; null DS/ES too. */
	ctx32(0xc9a, 0xc92, 0, 0x89, 0xfffff000);
	cr_assert_eq(initialise(), 0);
	cr_assert_eq(hv_x86_cpu(ap)->seg[X86_SEG_TR].attr & 0xf, 0xb);
	cr_assert_eq(hv_x86_cpu(ap)->seg[X86_SEG_CS].attr & 0xf, 0xb);
	cr_assert(hv_x86_cpu(ap)->seg[X86_SEG_DS].attr & X86_SEG_ATTR_UNUSABLE);
}
