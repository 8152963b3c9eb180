/*
 * Directed tests of the system instructions a Linux kernel uses early:
 * SYSCALL/SYSRET (64-bit and compatibility-mode returns, #UD without
 * EFER.SCE, #GP at CPL 3), SYSENTER/SYSEXIT, MOV DR (stored values, DR4/DR5
 * aliases, the DR-access exit), SMEP/SMAP (with STAC/CLAC switching the
 * mmu index inside one program), UMIP, CR4.PCIDE and CR3 bit 63, INVPCID,
 * WBINVD/INVD exits, CLFLUSH faults, XGETBV without OSXSAVE, and the CPUID
 * bits for what is implemented.
 */
#include <criterion/criterion.h>

#include "test_x86.h"

static struct x86_vm vm;

/* User segments as Linux lays them out: 0x23 user data, 0x2b user code
 * (64-bit); the test GDT already has 0x08 kernel code, 0x10 kernel data,
 * 0x18 32-bit code. */
static void setup(void)
{
	uint64_t udata = 0x00cff3000000ffffull, ucode = 0x00affb000000ffffull;
	x86_vm_init(&vm);
	x86_vm_long_mode(&vm);
	x86_vm_put(&vm, X86T_GDT + 0x20, &udata, 8);
	x86_vm_put(&vm, X86T_GDT + 0x28, &ucode, 8);
	vm.c->gdtr.limit = 0x2f;
}

static void teardown(void)
{
	x86_vm_destroy(&vm);
}

TestSuite(x86_sys, .init = setup, .fini = teardown);

#define R(r) (vm.c->regs[X86_##r])

static void wr(uint32_t f, uint64_t v)
{
	cpu_x86_vmcs_write(vm.c, f, v);
}

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
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_VMCALL, "exit %u (%s) at 0x%llx",
		     vm.c->cpu.exit.reason, vmx_exit_name(vm.c->cpu.exit.reason),
		     (unsigned long long)vm.c->cpu.exit.pc);
}

static void expect_exception(unsigned vector, uint64_t rip)
{
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_EXCEPTION_NMI, "exit %u (%s)",
		     vm.c->cpu.exit.reason, vmx_exit_name(vm.c->cpu.exit.reason));
	cr_assert_eq(rd(VM_EXIT_INTR_INFO) & 0xff, vector, "vector %llu",
		     (unsigned long long)(rd(VM_EXIT_INTR_INFO) & 0xff));
	cr_assert_eq(rd(GUEST_RIP), rip, "rip 0x%llx", (unsigned long long)rd(GUEST_RIP));
}

/* ---- SYSCALL / SYSRET ------------------------------------------------------ */

/* Kernel: sysretq to `user` (CPL 3, 64-bit), which makes a system call to
 * LSTAR = `entry`. */
X86T_BLOB(t_syscall, "lea 1f(%rip), %rcx\n mov $0x602, %r11d\n sysretq\n"
		     "1: mov $0x77, %ebx\n pushfq\n pop %rdx\n syscall\n"
		     "vmcall\n vmcall");

static void syscall_msrs(void)
{
	vm.c->efer |= X86_EFER_SCE;
	vm.c->star = (0x1bull << 48) | (0x08ull << 32);
	vm.c->sfmask = X86_FLAG_IF | X86_FLAG_DF | X86_FLAG_TF | X86_FLAG_AC;
}

Test(x86_sys, syscall_sysret_64bit_round_trip)
{
	syscall_msrs();
	/* entry is the last vmcall of the blob (3 bytes before its end). */
	size_t len = (size_t)(t_syscall_end - t_syscall);
	vm.c->lstar = X86T_CODE + len - 3;
	run_code(X86T_CODE_OF(t_syscall));
	expect_vmcall();
	cr_assert_eq(vm.c->rip, X86T_CODE + len - 3, "at LSTAR");
	cr_assert_eq(R(RBX), 0x77, "user code ran");
	cr_assert_eq(R(RCX), X86T_CODE + len - 6, "RCX = RIP after syscall");
	cr_assert_eq(R(R11) & 0xfff, 0x602 & 0xfff, "R11 = RFLAGS (IF, DF from SYSRET)");
	cr_assert_eq(R(RDX) & (X86_FLAG_IF | X86_FLAG_DF), X86_FLAG_IF | X86_FLAG_DF,
		     "SYSRET loaded RFLAGS from R11");
	cr_assert_eq(cpu_x86_get_rflags(vm.c) & (X86_FLAG_IF | X86_FLAG_DF), 0, "SFMASK applied");
	cr_assert_eq(vm.c->cpl, 0);
	cr_assert_eq(vm.c->seg[X86_SEG_CS].sel, 0x08);
	cr_assert_eq(vm.c->seg[X86_SEG_SS].sel, 0x10);
	cr_assert(cpu_x86_code64(vm.c));
}

X86T_BLOB(t_sysret_user_cs, "lea 1f(%rip), %rcx\n mov $0x2, %r11d\n sysretq\n"
			    "1: mov %cs, %eax\n mov %ss, %edx\n sysretq\n");

Test(x86_sys, sysret_selectors_and_gp_at_cpl3)
{
	syscall_msrs();
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_GP);
	run_code(X86T_CODE_OF(t_sysret_user_cs));
	/* The second SYSRET runs at CPL 3: #GP(0). */
	expect_exception(X86_EXC_GP, X86T_CODE + 20);
	cr_assert_eq(R(RAX), 0x2b, "CS = STAR[63:48] + 16, RPL 3");
	cr_assert_eq(R(RDX), 0x23, "SS = STAR[63:48] + 8, RPL 3");
	cr_assert_eq(vm.c->cpl, 3);
}

X86T_BLOB(t_sysret32, "lea 1f(%rip), %rcx\n mov $0x2, %r11d\n sysretl\n"
		      ".code32\n 1: mov $0x32, %esi\n vmcall\n .code64");

Test(x86_sys, sysret_without_rex_w_returns_to_compatibility_mode)
{
	syscall_msrs();
	run_code(X86T_CODE_OF(t_sysret32));
	expect_vmcall();
	cr_assert_eq(R(RSI), 0x32);
	cr_assert_eq(vm.c->seg[X86_SEG_CS].sel, 0x1b);
	cr_assert_not(cpu_x86_code64(vm.c), "compatibility mode");
	cr_assert(cpu_x86_long_mode(vm.c));
	cr_assert_eq(vm.c->cpl, 3);
}

X86T_BLOB(t_syscall_only, "nop\n syscall\n vmcall");

Test(x86_sys, syscall_without_efer_sce_is_ud)
{
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_UD);
	run_code(X86T_CODE_OF(t_syscall_only));
	expect_exception(X86_EXC_UD, X86T_CODE + 1);
}

Test(x86_sys, syscall_in_compatibility_mode_is_ud)
{
	syscall_msrs();
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_UD);
	static const uint8_t code32[] = { 0x0f, 0x05 }; /* syscall */
	vm.c->seg[X86_SEG_CS].attr &= ~X86_SEG_ATTR_L;
	vm.c->seg[X86_SEG_CS].attr |= X86_SEG_ATTR_DB;
	cpu_x86_update_mode(vm.c);
	run_code(code32, sizeof(code32));
	expect_exception(X86_EXC_UD, X86T_CODE);
}

/* ---- SYSENTER / SYSEXIT ---------------------------------------------------- */

X86T_BLOB(t_sysenter, "lea 1f(%rip), %rdx\n mov $0x28000, %ecx\n sysexitq\n"
		      "1: mov %rsp, %rbx\n mov %cs, %eax\n sysenter\n");

Test(x86_sys, sysexit_sysenter_round_trip)
{
	static const uint8_t entry[] = { 0x0f, 0x01, 0xc1 };
	x86_vm_put(&vm, X86T_CODE + 0x800, entry, sizeof(entry));
	vm.c->sysenter_cs = 0x08;
	vm.c->sysenter_esp = 0x2e000;
	vm.c->sysenter_eip = X86T_CODE + 0x800;
	cpu_x86_set_rflags(vm.c, 0x202);
	run_code(X86T_CODE_OF(t_sysenter));
	expect_vmcall();
	cr_assert_eq(R(RBX), 0x28000, "SYSEXIT: RSP = RCX");
	cr_assert_eq(R(RAX), 0x2b, "SYSEXIT 64: CS = SYSENTER_CS + 32, RPL 3");
	cr_assert_eq(R(RSP), 0x2e000);
	cr_assert_eq(vm.c->seg[X86_SEG_CS].sel, 0x08);
	cr_assert_eq(vm.c->seg[X86_SEG_SS].sel, 0x10);
	cr_assert_eq(vm.c->cpl, 0);
	cr_assert_eq(cpu_x86_get_rflags(vm.c) & X86_FLAG_IF, 0, "SYSENTER clears IF");
}

Test(x86_sys, sysenter_with_null_sysenter_cs_is_gp)
{
	static const uint8_t code[] = { 0x0f, 0x34 };
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_GP);
	run_code(code, sizeof(code));
	expect_exception(X86_EXC_GP, X86T_CODE);
}

/* ---- MOV DR --------------------------------------------------------------- */

X86T_BLOB(t_movdr, "mov $1, %eax\n mov %rax, %dr7\n mov %dr7, %rbx\n"
		   "mov $0x1234, %ecx\n mov %rcx, %dr0\n mov %dr0, %rdx\n mov %dr6, %rsi\n"
		   "mov %dr5, %rdi\n vmcall");

Test(x86_sys, mov_dr_stores_and_reads_with_fixed_bits)
{
	run_code(X86T_CODE_OF(t_movdr));
	expect_vmcall();
	cr_assert_eq(R(RBX), 0x401, "DR7 bit 10 reads as 1");
	cr_assert_eq(R(RDX), 0x1234);
	cr_assert_eq(R(RSI), 0xffff0ff0);
	cr_assert_eq(R(RDI), 0x401, "DR5 aliases DR7 without CR4.DE");
	cr_assert_eq(rd(GUEST_DR7), 0x401);
}

Test(x86_sys, mov_dr_exits_and_dr5_is_ud_with_cr4_de)
{
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_MOV_DR_EXITING);
	run_code(X86T_CODE_OF(t_movdr));
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_DR_ACCESS);
	cr_assert_eq(vm.c->cpu.exit.qualification, 7, "MOV to DR7 from RAX");
	cr_assert_eq(rd(GUEST_RIP), X86T_CODE + 5);
	wr(CPU_BASED_VM_EXEC_CONTROL, 0);
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_UD);
	vm.c->cr4 |= X86_CR4_DE;
	run_code(X86T_CODE_OF(t_movdr));
	expect_exception(X86_EXC_UD, X86T_CODE + 25);
}

/* ---- SMEP / SMAP / UMIP ------------------------------------------------------ */

X86T_BLOB(t_smap, "mov 0x20000, %rax\n vmcall");
X86T_BLOB(t_stac, "stac\n mov 0x20000, %rax\n clac\n nop\n mov 0x20000, %rbx\n vmcall");

Test(x86_sys, smep_faults_supervisor_fetch_from_user_pages)
{
	/* The test's identity map is all user pages: the first fetch faults. */
	cr_assert(cpu_x86_set_cr4(vm.c, vm.c->cr4 | X86_CR4_SMEP));
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_PF);
	run_code(X86T_CODE_OF(t_smap));
	expect_exception(X86_EXC_PF, X86T_CODE);
	cr_assert_eq(rd(VM_EXIT_INTR_ERROR_CODE), X86_PF_P | X86_PF_I);
}

Test(x86_sys, smap_faults_supervisor_data_access_unless_ac)
{
	cr_assert(cpu_x86_set_cr4(vm.c, vm.c->cr4 | X86_CR4_SMAP));
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_PF);
	run_code(X86T_CODE_OF(t_smap));
	expect_exception(X86_EXC_PF, X86T_CODE);
	cr_assert_eq(rd(VM_EXIT_INTR_ERROR_CODE), X86_PF_P);
	cr_assert_eq(rd(EXIT_QUALIFICATION), 0x20000);
	/* STAC allows the access; after CLAC the same page faults again
	 * (the TLB entry filled with AC = 1 must not be reused). */
	R(RAX) = 0;
	run_code(X86T_CODE_OF(t_stac));
	expect_exception(X86_EXC_PF, X86T_CODE + 15);
	cr_assert_eq(R(RAX), x86_vm_get64(&vm, 0x20000), "read with AC = 1");
	cr_assert_eq(cpu_x86_get_rflags(vm.c) & X86_FLAG_AC, 0);
}

X86T_BLOB(t_to_user, "pushq $0x23\n pushq $0x28000\n pushq $0x2\n pushq $0x2b\n"
		     "pushq $0x11000\n iretq");
X86T_BLOB(t_sgdt_user, "sgdt 0x27000\n vmcall");

Test(x86_sys, umip_makes_sgdt_gp_at_cpl3)
{
	x86_vm_put(&vm, X86T_CODE + 0x1000, X86T_CODE_OF(t_sgdt_user));
	run_code(X86T_CODE_OF(t_to_user));
	expect_vmcall();
	cr_assert_eq(vm.c->cpl, 3, "SGDT works at CPL 3 without UMIP");
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_GP);
	x86_vm_long_mode(&vm);
	vm.c->gdtr.limit = 0x2f;
	cr_assert(cpu_x86_set_cr4(vm.c, vm.c->cr4 | X86_CR4_UMIP));
	run_code(X86T_CODE_OF(t_to_user));
	expect_exception(X86_EXC_GP, 0x11000);
}

/* ---- PCID, INVPCID, caches ------------------------------------------------------ */

Test(x86_sys, pcide_rules_and_cr3_bit63)
{
	vm.c->cr3 = 0x1005;
	cr_assert_not(cpu_x86_set_cr4(vm.c, vm.c->cr4 | X86_CR4_PCIDE), "CR3[11:0] != 0");
	vm.c->cr3 = 0x1000;
	cr_assert(cpu_x86_set_cr4(vm.c, vm.c->cr4 | X86_CR4_PCIDE | X86_CR4_PGE));
	cr_assert(cpu_x86_set_cr3(vm.c, 0x8000000000001003ull));
	cr_assert_eq(vm.c->cr3, 0x1003, "bit 63 is not stored, the PCID is");
	cr_assert_not(cpu_x86_set_cr0(vm.c, vm.c->cr0 & ~X86_CR0_PG), "PG=0 with PCIDE");
	cr_assert(cpu_x86_set_cr4(vm.c, vm.c->cr4 | X86_CR4_OSXSAVE), "XSAVE is implemented");
	cr_assert_not(cpu_x86_set_cr4(vm.c, vm.c->cr4 | X86_CR4_LA57));
}

X86T_BLOB(t_invpcid, "mov $0x20600, %edi\n mov $2, %eax\n invpcid (%rdi), %rax\n"
		     "mov $4, %eax\n invpcid (%rdi), %rax\n vmcall");

Test(x86_sys, invpcid_needs_the_control_and_checks_the_type)
{
	uint64_t desc[2] = { 0, 0 };
	x86_vm_put(&vm, 0x20600, desc, sizeof(desc));
	wr(EXCEPTION_BITMAP, (1u << X86_EXC_UD) | (1u << X86_EXC_GP));
	run_code(X86T_CODE_OF(t_invpcid));
	expect_exception(X86_EXC_UD, X86T_CODE + 10);
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	wr(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_INVPCID);
	run_code(X86T_CODE_OF(t_invpcid));
	expect_exception(X86_EXC_GP, X86T_CODE + 20);
	wr(CPU_BASED_VM_EXEC_CONTROL,
	   CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | CPU_BASED_INVLPG_EXITING);
	run_code(X86T_CODE_OF(t_invpcid));
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_INVPCID);
}

X86T_BLOB(t_wbinvd, "wbinvd\n clflush 0x20000\n clflushopt 0x20000\n clwb 0x20000\n"
		    "prefetcht0 0x20000\n prefetchw 0x20000\n mfence\n lfence\n sfence\n"
		    "vmcall\n invd\n vmcall");
X86T_BLOB(t_clflush_pf, "clflush 0x10000000\n vmcall");

Test(x86_sys, cache_instructions_are_no_ops_with_their_exits_and_faults)
{
	run_code(X86T_CODE_OF(t_wbinvd));
	expect_vmcall();
	cpu_x86_vmcs_write(vm.c, GUEST_RIP, vm.c->rip + 3);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_INVD, "INVD exits unconditionally");
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	wr(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_WBINVD_EXITING);
	run_code(X86T_CODE_OF(t_wbinvd));
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_WBINVD);
	/* CLFLUSH of an address beyond RAM still walks: an EPT violation. */
	wr(CPU_BASED_VM_EXEC_CONTROL, 0);
	run_code(X86T_CODE_OF(t_clflush_pf));
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_EPT_VIOLATION);
}

X86T_BLOB(t_xgetbv, "xor %ecx, %ecx\n xgetbv\n vmcall");

Test(x86_sys, xgetbv_without_osxsave_is_ud)
{
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_UD);
	run_code(X86T_CODE_OF(t_xgetbv));
	expect_exception(X86_EXC_UD, X86T_CODE + 2);
}

/* ---- CPUID ---------------------------------------------------------------------- */

Test(x86_sys, cpuid_advertises_what_is_implemented)
{
	uint32_t r[4];
	cpu_x86_cpuid(vm.c, 0, 0, r);
	cr_assert_geq(r[0], 7);
	cpu_x86_cpuid(vm.c, 1, 0, r);
	cr_assert(r[2] & (1u << 23), "POPCNT");
	cr_assert(r[2] & (1u << 22), "MOVBE");
	cr_assert(r[2] & (1u << 13), "CX16");
	cr_assert(r[2] & (1u << 30), "RDRAND");
	cr_assert(r[3] & (1u << 8), "CX8");
	cr_assert(r[3] & (1u << 11), "SEP");
	cr_assert_eq(r[3] & 1, 1, "FPU");
	cr_assert_eq(r[3] & (7u << 24), 7u << 24, "FXSR SSE SSE2");
	cr_assert(r[3] & (1u << 23), "MMX");
	cr_assert_eq(r[2] & ((1u << 0) | (1u << 9)), (1u << 0) | (1u << 9), "SSE3 SSSE3");
	cr_assert_eq(r[2] & ((1u << 19) | (1u << 20)), (1u << 19) | (1u << 20), "SSE4.1 SSE4.2");
	cr_assert_eq(r[2] & ((1u << 3) | (1u << 28)), 0, "no MONITOR, AVX");
	cr_assert_eq(r[2] & ((1u << 1) | (1u << 25)), (1u << 1) | (1u << 25), "PCLMULQDQ AES");
	cr_assert(r[2] & (1u << 26), "XSAVE");
	cpu_x86_cpuid(vm.c, 7, 0, r);
	uint32_t want = (1u << 3) | (1u << 7) | (1u << 8) | (1u << 18) | (1u << 19) | (1u << 20);
	cr_assert_eq(r[1] & want, want, "BMI1 SMEP BMI2 RDSEED ADX SMAP");
	cr_assert_eq(r[1] & (1u << 10), 0, "INVPCID only with the VMCS control");
	cr_assert(r[2] & (1u << 2), "UMIP");
	cpu_x86_cpuid(vm.c, 0x80000001, 0, r);
	cr_assert(r[3] & (1u << 11), "SYSCALL");
	cr_assert(r[2] & (1u << 5), "LZCNT");
	cr_assert_eq(r[3] & (1u << 27), 0, "RDTSCP only with the VMCS control");
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	wr(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_ENABLE_INVPCID);
	cpu_x86_cpuid(vm.c, 0x80000001, 0, r);
	cr_assert(r[3] & (1u << 27));
	cpu_x86_cpuid(vm.c, 7, 0, r);
	cr_assert(r[1] & (1u << 10));
	cr_assert(r[2] & (1u << 22), "RDPID");
}

X86T_BLOB(t_swapgs, "swapgs\n mov %gs:8, %rax\n swapgs\n mov %gs:8, %rbx\n"
		    "vmcall");

Test(x86_sys, swapgs_exchanges_gs_base_and_kernel_gs_base)
{
	uint64_t a = 0x1111, b = 0x2222;
	x86_vm_put(&vm, 0x20008, &a, 8);
	x86_vm_put(&vm, 0x21008, &b, 8);
	vm.c->seg[X86_SEG_GS].base = 0x20000;
	vm.c->kernel_gs_base = 0x21000;
	run_code(X86T_CODE_OF(t_swapgs));
	expect_vmcall();
	cr_assert_eq(R(RAX), 0x2222, "after SWAPGS: the kernel base");
	cr_assert_eq(R(RBX), 0x1111, "swapped back");
	cr_assert_eq(vm.c->kernel_gs_base, 0x21000, "KERNEL_GS_BASE back in place");
}

X86T_BLOB(t_stac_user, "stac\n vmcall");

Test(x86_sys, stac_at_cpl3_is_ud)
{
	x86_vm_put(&vm, X86T_CODE + 0x1000, X86T_CODE_OF(t_stac_user));
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_UD);
	run_code(X86T_CODE_OF(t_to_user));
	expect_exception(X86_EXC_UD, 0x11000);
}

/* IA32_ARCH_CAPABILITIES tells guests the CPU needs no speculation or data-
 * sampling mitigations (Linux then skips PTI, whose entry trampolines are
 * slow to emulate, and the ITS return thunks). */
Test(x86_sys, arch_capabilities_report_no_vulnerabilities)
{
	uint32_t r[4];
	uint64_t v = 0;

	cpu_x86_cpuid(vm.c, 7, 0, r);
	cr_assert(r[3] & (1u << 29), "CPUID.7.EDX[29]: IA32_ARCH_CAPABILITIES exists");
	cr_assert_eq(r[3] & (1u << 26), 0, "no IBRS/IBPB: no IA32_SPEC_CTRL");
	cr_assert(cpu_x86_rdmsr(vm.c, MSR_IA32_ARCH_CAPABILITIES, &v));
	cr_assert(v & (1ull << 0), "RDCL_NO: no Meltdown, no PTI");
	cr_assert(v & (1ull << 5), "MDS_NO");
	cr_assert(v & (1ull << 62), "ITS_NO");
	cr_assert_eq(v & (1ull << 1), 0, "not IBRS_ALL (no SPEC_CTRL to use it)");
	cr_assert_not(cpu_x86_wrmsr(vm.c, MSR_IA32_ARCH_CAPABILITIES, 0), "read-only");
}

/* ---- LAR LSL VERR VERW ARPL ---------------------------------------------------- */

/* Flags go to bytes 0x20000.. (SETZ), values to registers. */
X86T_BLOB(t_lar_lsl, "mov $0x10, %eax\n mov $-1, %ebx\n lar %eax, %ebx\n setz 0x20000\n"
		     "lsl %eax, %ecx\n setz 0x20001\n"
		     "mov $0x40, %eax\n lsl %eax, %edx\n setz 0x20002\n"
		     "mov $0x30, %eax\n lar %eax, %esi\n setz 0x20003\n lsl %eax, %edi\n"
		     "setz 0x20004\n"
		     "xor %eax, %eax\n mov $0x77, %ebp\n lar %eax, %ebp\n setz 0x20005\n"
		     "mov $0x58, %eax\n lsl %eax, %ebp\n setz 0x20006\n"
		     "mov $0x08, %eax\n verr %ax\n setz 0x20007\n verw %ax\n setz 0x20008\n"
		     "mov $0x10, %eax\n verw %ax\n setz 0x20009\n"
		     "mov $0x30, %eax\n verr %ax\n setz 0x2000a\n"
		     "mov $0x13, %eax\n lar %ax, %r8w\n setz 0x2000b\n"
		     "vmcall");

Test(x86_sys, lar_lsl_verr_verw_check_type_and_privilege)
{
	/* 0x30: a 64-bit TSS (16 bytes), 0x40: byte-granular data, limit 0x1234. */
	uint64_t tss[2] = { 0x0000890070000067ull, 0 }, small = 0x0000930000001234ull;
	x86_vm_put(&vm, X86T_GDT + 0x30, tss, 16);
	x86_vm_put(&vm, X86T_GDT + 0x40, &small, 8);
	vm.c->gdtr.limit = 0x4f;
	R(R8) = 0x5555;
	run_code(X86T_CODE_OF(t_lar_lsl));
	expect_vmcall();
	uint8_t zf[12];
	cr_assert_eq(p2m_copy_from(vm.p2m, zf, 0x20000, sizeof(zf)), 0);
	cr_assert_eq(zf[0], 1, "LAR of the kernel data segment");
	cr_assert_eq(R(RBX), 0x00c09300, "access rights & 00F0FF00H");
	cr_assert_eq(zf[1], 1);
	cr_assert_eq(R(RCX), 0xffffffff, "LSL scales a page-granular limit");
	cr_assert_eq(zf[2], 1);
	cr_assert_eq(R(RDX), 0x1234);
	cr_assert_eq(zf[3], 1, "LAR of a 64-bit TSS");
	cr_assert_eq(R(RSI), 0x8900);
	cr_assert_eq(zf[4], 1);
	cr_assert_eq(R(RDI), 0x67);
	cr_assert_eq(zf[5], 0, "null selector");
	cr_assert_eq(zf[6], 0, "beyond the GDT limit");
	cr_assert_eq(R(RBP), 0x77, "the destination is kept when ZF = 0");
	cr_assert_eq(zf[7], 1, "VERR of readable code");
	cr_assert_eq(zf[8], 0, "VERW of code");
	cr_assert_eq(zf[9], 1, "VERW of writable data");
	cr_assert_eq(zf[10], 0, "VERR of a TSS");
	cr_assert_eq(zf[11], 0, "RPL 3 on a DPL 0 segment: not visible even at CPL 0");
	cr_assert_eq(R(R8), 0x5555);
}

X86T_BLOB(t_lar_user, "mov $0x10, %eax\n mov $5, %ebx\n lar %eax, %ebx\n setz %cl\n"
		      "mov $0x23, %eax\n lar %eax, %edx\n setz %ch\n vmcall");

Test(x86_sys, lar_at_cpl3_sees_only_dpl3_segments)
{
	x86_vm_put(&vm, X86T_CODE + 0x1000, X86T_CODE_OF(t_lar_user));
	run_code(X86T_CODE_OF(t_to_user));
	expect_vmcall();
	cr_assert_eq(R(RCX) & 0xffff, 0x0100, "DPL 0 invisible, DPL 3 visible");
	cr_assert_eq(R(RBX), 5);
	cr_assert_eq(R(RDX), 0x00c0f300);
}

X86T_BLOB(t_arpl, ".code32\n mov $0x1231, %eax\n mov $3, %ebx\n arpl %bx, %ax\n setz %cl\n"
		  "arpl %bx, %ax\n setz %ch\n arpl %bx, 0x20000\n vmcall\n .code64");

Test(x86_sys, arpl_raises_the_rpl_in_32bit_code)
{
	uint16_t w = 0x0010;
	x86_vm_put(&vm, 0x20000, &w, 2);
	vm.c->seg[X86_SEG_CS] = (struct x86_seg){ 0x18, 0, 0xffffffff,
						  0xb | X86_SEG_ATTR_S | X86_SEG_ATTR_P |
							  X86_SEG_ATTR_DB | X86_SEG_ATTR_G };
	run_code(X86T_CODE_OF(t_arpl));
	expect_vmcall();
	cr_assert_eq(R(RAX) & 0xffff, 0x1233);
	cr_assert_eq(R(RCX) & 0xffff, 0x0001, "ZF = 1, then 0 (RPL already 3)");
	cr_assert_eq(x86_vm_get64(&vm, 0x20000) & 0xffff, 0x0013, "memory destination");
}
