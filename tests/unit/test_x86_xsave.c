/*
 * The XSAVE feature set with XCR0 = x87 | SSE (cpu/x86/xsave.c): CPUID leaf
 * 1 (XSAVE, OSXSAVE following CR4) and leaf 0xD, XSETBV's exit and the XCR0
 * values it refuses, #UD without CR4.OSXSAVE, #NM with CR0.TS, #GP for a
 * misaligned area, XSAVE/XSAVEOPT writing the FXSAVE layout and only the
 * RFBM bits of XSTATE_BV, XRSTOR loading or initialising each component by
 * XSTATE_BV (MXCSR loaded whenever RFBM[1]), and its #GP checks (XSTATE_BV
 * beyond XCR0, a non-zero XCOMP_BV, reserved MXCSR bits) made before any
 * state changes.
 */
#include <criterion/criterion.h>

#include "test_x86.h"

static struct x86_vm vm;

#define AREA 0x20000 /* 64-byte aligned */
#define FXAREA 0x21000

static void setup(void)
{
	x86_vm_init(&vm);
	x86_vm_long_mode(&vm);
	vm.c->cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_OSXSAVE;
	vm.c->cr0 |= X86_CR0_MP | X86_CR0_NE;
	vm.c->xcr0 = X86_XCR0_X87 | X86_XCR0_SSE;
	cpu_tlb_flush(&vm.c->cpu);
}

static void teardown(void)
{
	x86_vm_destroy(&vm);
}

TestSuite(x86_xsave, .init = setup, .fini = teardown);

#define R(r) (vm.c->regs[X86_##r])

static uint64_t rd(uint32_t f)
{
	return cpu_x86_vmcs_read(vm.c, f);
}

static void run_code(const uint8_t *code, size_t len)
{
	x86_vm_code(&vm, X86T_CODE, code, len);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
}

static void expect_vmcall(void)
{
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_VMCALL, "exit %u (%s) info 0x%llx rip 0x%llx",
		     vm.c->cpu.exit.reason, vmx_exit_name(vm.c->cpu.exit.reason),
		     (unsigned long long)rd(VM_EXIT_INTR_INFO), (unsigned long long)vm.c->rip);
}

static void expect_exception(unsigned vector)
{
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_EXCEPTION_NMI, "exit %u (%s)",
		     vm.c->cpu.exit.reason, vmx_exit_name(vm.c->cpu.exit.reason));
	cr_assert_eq(rd(VM_EXIT_INTR_INFO) & 0xff, vector, "vector %llu",
		     (unsigned long long)(rd(VM_EXIT_INTR_INFO) & 0xff));
}

static void get(uint64_t gpa, void *buf, size_t len)
{
	cr_assert_eq(p2m_copy_from(vm.p2m, buf, gpa, len), 0);
}

static void fill(uint64_t gpa, uint8_t v, size_t len)
{
	uint8_t b[1024];
	memset(b, v, len);
	x86_vm_put(&vm, gpa, b, len);
}

/* Known x87 and SSE state: XMM0-15 = i * 0x0101.., two x87 pushes,
 * MXCSR with all exceptions unmasked but precision. */
static void load_state(void)
{
	for (unsigned i = 0; i < 16; i++)
		memset(vm.c->fpu.xmm[i].b, 0x11 * (i + 1), 16);
	vm.c->fpu.mxcsr = 0x1000 | 0x20;
}

Test(x86_xsave, cpuid_leaf_1_and_0xd)
{
	uint32_t r[4];
	cpu_x86_cpuid(vm.c, 0, 0, r);
	cr_assert_geq(r[0], 0xd);
	cpu_x86_cpuid(vm.c, 1, 0, r);
	cr_assert(r[2] & (1u << 26), "XSAVE");
	cr_assert(r[2] & (1u << 27), "OSXSAVE = CR4.OSXSAVE");
	vm.c->cr4 &= ~X86_CR4_OSXSAVE;
	cpu_x86_cpuid(vm.c, 1, 0, r);
	cr_assert_eq(r[2] & (1u << 27), 0);
	cpu_x86_cpuid(vm.c, 0xd, 0, r);
	cr_assert_eq(r[0], 3, "x87 and SSE");
	cr_assert_eq(r[1], 576);
	cr_assert_eq(r[2], 576);
	cr_assert_eq(r[3], 0);
	cpu_x86_cpuid(vm.c, 0xd, 1, r);
	cr_assert_eq(r[0], 3, "XSAVEOPT, XSAVEC; XSAVES only with its VM-execution control");
	cr_assert_eq(r[1], 576, "compacted size");
	cr_assert_eq(r[2] | r[3], 0, "no IA32_XSS component");
	cpu_x86_vmcs_write(vm.c, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	cpu_x86_vmcs_write(vm.c, SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_XSAVES);
	cpu_x86_cpuid(vm.c, 0xd, 1, r);
	cr_assert_eq(r[0], 0xb, "XSAVEOPT, XSAVEC, XSAVES");
	cpu_x86_cpuid(vm.c, 0xd, 2, r);
	cr_assert_eq(r[0] | r[1] | r[2] | r[3], 0, "no AVX component");
}

X86T_BLOB(t_xsetbv, "xor %ecx, %ecx\n mov $3, %eax\n xor %edx, %edx\n xsetbv\n vmcall\n");
X86T_BLOB(t_xgetbv0, "xor %ecx, %ecx\n xgetbv\n vmcall\n");

Test(x86_xsave, xsetbv_exits_and_refuses_bad_values)
{
	run_code(X86T_CODE_OF(t_xsetbv));
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_XSETBV);
	cr_assert_eq(rd(VM_EXIT_INSTRUCTION_LEN), 3);
	cr_assert_not(cpu_x86_xsetbv(vm.c, 1, 1), "XCR1 does not exist");
	cr_assert_not(cpu_x86_xsetbv(vm.c, 0, 2), "XCR0[0] must be 1");
	cr_assert_not(cpu_x86_xsetbv(vm.c, 0, 7), "AVX is not supported");
	cr_assert_not(cpu_x86_xsetbv(vm.c, 0, 1ull << 40));
	cr_assert(cpu_x86_xsetbv(vm.c, 0, 1));
	run_code(X86T_CODE_OF(t_xgetbv0));
	expect_vmcall();
	cr_assert_eq(R(RAX), 1);
	cr_assert_eq(R(RDX), 0);
}

X86T_BLOB(t_xsave_rdi, "mov $-1, %eax\n mov $-1, %edx\n xsave64 (%rdi)\n vmcall\n");

Test(x86_xsave, ud_without_osxsave_nm_with_ts_gp_when_misaligned)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP,
			   (1u << X86_EXC_UD) | (1u << X86_EXC_NM) | (1u << X86_EXC_GP));
	R(RDI) = AREA + 16;
	run_code(X86T_CODE_OF(t_xsave_rdi));
	expect_exception(X86_EXC_GP);
	R(RDI) = AREA;
	vm.c->cr0 |= X86_CR0_TS;
	run_code(X86T_CODE_OF(t_xsave_rdi));
	expect_exception(X86_EXC_NM);
	vm.c->cr4 &= ~X86_CR4_OSXSAVE;
	run_code(X86T_CODE_OF(t_xsave_rdi));
	expect_exception(X86_EXC_UD);
}

X86T_BLOB(t_xsave_vs_fxsave,
	  "fld1\n fldpi\n mov $-1, %eax\n mov $-1, %edx\n xsave64 (%rdi)\n fxsave64 (%rsi)\n"
	  "mov $3, %eax\n xor %edx, %edx\n xsaveopt64 0x400(%rdi)\n vmcall\n");

Test(x86_xsave, xsave_writes_the_fxsave_layout_and_xstate_bv)
{
	uint8_t a[576], b[512], o[576];
	load_state();
	fill(AREA, 0xcc, 576);
	fill(AREA + 0x400, 0, 576);
	fill(AREA + 512 + 24, 0xaa, 40);
	fill(AREA + 0x400 + 512 + 24, 0xaa, 40);
	R(RDI) = AREA;
	R(RSI) = FXAREA;
	run_code(X86T_CODE_OF(t_xsave_vs_fxsave));
	expect_vmcall();
	get(AREA, a, sizeof(a));
	get(FXAREA, b, sizeof(b));
	get(AREA + 0x400, o, sizeof(o));
	cr_assert_arr_eq(a, b, 416, "legacy region = FXSAVE image (bytes 0-415)");
	cr_assert_arr_eq(o, b, 416, "XSAVEOPT too");
	cr_assert_eq(ld64_le_p(a + 512), 0xcccccccccccccccfull,
		     "XSTATE_BV: the RFBM bits set (both components in use), the others kept");
	cr_assert_eq(ld64_le_p(a + 520), 0xcccccccccccccccc, "XCOMP_BV is not written");
	cr_assert_eq(a[416], 0xcc, "bytes 416-511 are not written");
	cr_assert_eq(a[512 + 24], 0xaa, "the rest of the header is kept");
	cr_assert_eq(ld64_le_p(o + 512), 3);
	cr_assert_eq(ld32_le_p(a + 24), 0x1020, "MXCSR");
	cr_assert_eq(a[160], 0x11, "XMM0");
	cr_assert_eq(a[160 + 16 * 15], (uint8_t)(0x11 * 16), "XMM15 (64-bit mode)");
}

X86T_BLOB(t_xsave_x87_only, "mov $1, %eax\n xor %edx, %edx\n xsave (%rdi)\n vmcall\n");

Test(x86_xsave, rfbm_limits_what_is_written)
{
	uint8_t a[576];
	load_state();
	fill(AREA, 0x55, 576);
	uint64_t bv = 2; /* XSTATE_BV[1] set in memory stays set */
	x86_vm_put(&vm, AREA + 512, &bv, 8);
	R(RDI) = AREA;
	run_code(X86T_CODE_OF(t_xsave_x87_only));
	expect_vmcall();
	get(AREA, a, sizeof(a));
	cr_assert_eq(ld16_le_p(a), X86_FCW_DEFAULT, "FCW written");
	cr_assert_eq(ld32_le_p(a + 24), 0x55555555, "MXCSR belongs to SSE: not written");
	cr_assert_eq(a[160], 0x55, "XMM not written");
	cr_assert_eq(ld64_le_p(a + 512), 3, "bit 0 set, bit 1 kept");
}

X86T_BLOB(t_xrstor, "mov $-1, %eax\n mov $-1, %edx\n xrstor64 (%rdi)\n vmcall\n");

/* An image with XSTATE_BV = bv, MXCSR = mxcsr, XMM0 = 0x77.., FCW = 0x27f. */
static void put_image(uint64_t bv, uint32_t mxcsr)
{
	uint8_t img[576];
	memset(img, 0, sizeof(img));
	st16_le_p(img, 0x27f);
	st32_le_p(img + 24, mxcsr);
	memset(img + 160, 0x77, 16);
	st64_le_p(img + 512, bv);
	x86_vm_put(&vm, AREA, img, sizeof(img));
}

Test(x86_xsave, xrstor_loads_or_initialises_by_xstate_bv)
{
	load_state();
	R(RDI) = AREA;
	put_image(3, 0x1f80);
	run_code(X86T_CODE_OF(t_xrstor));
	expect_vmcall();
	cr_assert_eq(vm.c->fpu.fcw, 0x27f);
	cr_assert_eq(vm.c->fpu.xmm[0].b[0], 0x77);
	cr_assert_eq(vm.c->fpu.xmm[1].b[0], 0, "XMM1 loaded from the (zero) image");
	cr_assert_eq(vm.c->fpu.mxcsr, 0x1f80);

	load_state();
	put_image(0, 0x1f00);
	run_code(X86T_CODE_OF(t_xrstor));
	expect_vmcall();
	cr_assert_eq(vm.c->fpu.fcw, X86_FCW_DEFAULT, "x87 initialised");
	cr_assert_eq(vm.c->fpu.ftw, 0xffff);
	cr_assert_eq(vm.c->fpu.xmm[0].b[0], 0, "XMM initialised");
	cr_assert_eq(vm.c->fpu.xmm[15].b[0], 0);
	cr_assert_eq(vm.c->fpu.mxcsr, 0x1f00, "MXCSR loaded even with XSTATE_BV[1] = 0");
}

Test(x86_xsave, xrstor_gp_checks_come_before_any_change)
{
	static const struct {
		uint64_t bv, comp;
		uint32_t mxcsr;
		const char *what;
	} bad[] = {
		{ 4, 0, 0x1f80, "XSTATE_BV[2] not in XCR0" },
		{ 3, 1ull | (1ull << 63), 0x1f80, "compacted: XSTATE_BV beyond XCOMP_BV" },
		{ 3, 7ull | (1ull << 63), 0x1f80, "compacted: XCOMP_BV beyond XCR0" },
		{ 3, 3, 0x1f80, "standard form with XCOMP_BV != 0" },
		{ 3, 0, 0x10000, "MXCSR reserved bit" },
	};
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << X86_EXC_GP);
	R(RDI) = AREA;
	for (size_t i = 0; i < SV_ARRAY_SIZE(bad); i++) {
		load_state();
		put_image(bad[i].bv, bad[i].mxcsr);
		x86_vm_put(&vm, AREA + 520, &bad[i].comp, 8);
		run_code(X86T_CODE_OF(t_xrstor));
		expect_exception(X86_EXC_GP);
		cr_assert_eq(vm.c->fpu.xmm[0].b[0], 0x11, "%s: XMM0 unchanged", bad[i].what);
		cr_assert_eq(vm.c->fpu.fcw, X86_FCW_DEFAULT, "%s: FCW unchanged", bad[i].what);
		cr_assert_eq(vm.c->fpu.mxcsr, 0x1020, "%s", bad[i].what);
	}
	/* Header bytes 16-23 must be 0 as well. */
	load_state();
	put_image(3, 0x1f80);
	uint64_t junk = 1;
	x86_vm_put(&vm, AREA + 528, &junk, 8);
	run_code(X86T_CODE_OF(t_xrstor));
	expect_exception(X86_EXC_GP);
}

X86T_BLOB(t_xsavec, "mov $-1, %eax\n mov $-1, %edx\n xsavec64 (%rdi)\n vmcall\n");
X86T_BLOB(t_xsavec_sse, "mov $2, %eax\n xor %edx, %edx\n xsavec64 (%rdi)\n vmcall\n");

/* XSAVEC (SDM vol. 1 13.10): the legacy region as XSAVE writes it, the
 * whole XSTATE_BV, XCOMP_BV = bit 63 | RFBM; what RFBM excludes stays. */
Test(x86_xsave, xsavec_writes_the_compacted_header)
{
	uint8_t a[576];
	load_state();
	fill(AREA, 0xcc, 576);
	R(RDI) = AREA;
	run_code(X86T_CODE_OF(t_xsavec));
	expect_vmcall();
	get(AREA, a, sizeof(a));
	cr_assert_eq(ld64_le_p(a + 512), 3, "XSTATE_BV written whole");
	cr_assert_eq(ld64_le_p(a + 520), 3 | (1ull << 63), "XCOMP_BV");
	cr_assert_eq(a[528], 0xcc, "the rest of the header is not written");
	cr_assert_eq(ld32_le_p(a + 24), 0x1020, "MXCSR");
	cr_assert_eq(a[160], 0x11, "XMM0");
	cr_assert_eq(ld16_le_p(a), X86_FCW_DEFAULT, "FCW");

	fill(AREA, 0xcc, 576);
	run_code(X86T_CODE_OF(t_xsavec_sse));
	expect_vmcall();
	get(AREA, a, sizeof(a));
	cr_assert_eq(ld64_le_p(a + 512), 2);
	cr_assert_eq(ld64_le_p(a + 520), 2 | (1ull << 63));
	cr_assert_eq(ld16_le_p(a), 0xcccc, "x87 not in RFBM: not written");
	cr_assert_eq(a[160], 0x11);
}

X86T_BLOB(t_xsavec_xrstor,
	  "mov $-1, %eax\n mov $-1, %edx\n xsavec64 (%rdi)\n vmcall\n xrstor64 (%rdi)\n vmcall\n");

/* XRSTOR of a compacted image: components in XSTATE_BV loaded, the others
 * initialised; MXCSR goes with the SSE state (initialised without it). */
Test(x86_xsave, xrstor_reads_the_compacted_form)
{
	load_state();
	R(RDI) = AREA;
	run_code(X86T_CODE_OF(t_xsavec_xrstor));
	expect_vmcall();
	memset(vm.c->fpu.xmm, 0, sizeof(vm.c->fpu.xmm));
	vm.c->fpu.mxcsr = 0x1f80;
	vm.c->rip += 3;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_vmcall();
	cr_assert_eq(vm.c->fpu.xmm[3].b[0], 0x44, "XMM3 back");
	cr_assert_eq(vm.c->fpu.mxcsr, 0x1020, "MXCSR back");

	/* XSTATE_BV[1] = 0 in a compacted image: SSE and MXCSR initialised. */
	uint64_t bv = 1;
	x86_vm_put(&vm, AREA + 512, &bv, 8);
	load_state();
	vm.c->rip = X86T_CODE + 17; /* the xrstor64 */
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_vmcall();
	cr_assert_eq(vm.c->fpu.xmm[3].b[0], 0);
	cr_assert_eq(vm.c->fpu.mxcsr, X86_MXCSR_DEFAULT);
}

X86T_BLOB(t_xsaves_xrstors,
	  "mov $-1, %eax\n mov $-1, %edx\n xsaves64 (%rdi)\n vmcall\n xrstors64 (%rdi)\n vmcall\n");

/* XSAVES/XRSTORS: #UD unless hv enables them (SDM 25.3), #GP at CPL 3;
 * with the control, XSAVES writes the compacted form and XRSTORS reads it
 * back but refuses a standard-form image. */
Test(x86_xsave, xsaves_xrstors_need_the_control_cpl0_and_the_compacted_form)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, (1u << X86_EXC_GP) | (1u << X86_EXC_UD));
	load_state();
	R(RDI) = AREA;
	run_code(X86T_CODE_OF(t_xsaves_xrstors));
	expect_exception(X86_EXC_UD);

	cpu_x86_vmcs_write(vm.c, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	cpu_x86_vmcs_write(vm.c, SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_XSAVES);
	/* XSAVES writes only XSTATE_BV and XCOMP_BV of the header: bytes
	 * 63:16 must already be 0 for XRSTORS. */
	fill(AREA, 0xcc, 512);
	fill(AREA + 512, 0, 64);
	run_code(X86T_CODE_OF(t_xsaves_xrstors));
	expect_vmcall();
	uint8_t a[576];
	get(AREA, a, sizeof(a));
	cr_assert_eq(ld64_le_p(a + 512), 3);
	cr_assert_eq(ld64_le_p(a + 520), 3 | (1ull << 63));
	memset(vm.c->fpu.xmm, 0, sizeof(vm.c->fpu.xmm));
	vm.c->rip += 3;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_vmcall();
	cr_assert_eq(vm.c->fpu.xmm[5].b[0], 0x66, "XMM5 back");

	/* A standard-form image (XCOMP_BV = 0): #GP for XRSTORS. */
	uint64_t zero = 0;
	x86_vm_put(&vm, AREA + 520, &zero, 8);
	vm.c->rip = X86T_CODE + 17;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exception(X86_EXC_GP);

	/* IA32_XSS: only 0 (no supervisor component). */
	uint64_t v;
	cr_assert(cpu_x86_rdmsr(vm.c, MSR_IA32_XSS, &v));
	cr_assert_eq(v, 0);
	cr_assert_not(cpu_x86_wrmsr(vm.c, MSR_IA32_XSS, 1ull << 8));
	cr_assert(cpu_x86_wrmsr(vm.c, MSR_IA32_XSS, 0));
}
