/*
 * Directed tests of the SSE/SSE2 and x87 state machinery that the
 * differential tests cannot cover: memory operands at guest addresses with
 * their alignment rules, the #UD/#NM availability checks (CR0.EM, CR0.TS,
 * CR4.OSFXSR), unmasked SIMD exceptions (#XM / #UD), the FXSAVE image
 * layout (SDM vol. 1 table 10-2) and FXRSTOR, LDMXCSR's reserved bits, the
 * x87 stack through FXSAVE, FNSTSW/FNSTCW/FLDCW, and x87 arithmetic with
 * results known exactly. The programs are pre-assembled blobs, so non-x86
 * hosts run them too (on AArch64 the x87 goes through binary128).
 */
#include <criterion/criterion.h>

#include "test_x86.h"

static struct x86_vm vm;

static void setup(void)
{
	x86_vm_init(&vm);
	x86_vm_long_mode(&vm);
	vm.c->cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
}

static void teardown(void)
{
	x86_vm_destroy(&vm);
}

TestSuite(x86_sse, .init = setup, .fini = teardown);

#define R(r) (vm.c->regs[X86_##r])
#define XMM(i) (vm.c->fpu.xmm[i])

static void run(const uint8_t *code, size_t len)
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
	uint64_t info = cpu_x86_vmcs_read(vm.c, VM_EXIT_INTR_INFO);
	cr_assert_eq(info & 0xff, vector, "vector %llu", (unsigned long long)(info & 0xff));
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, GUEST_RIP), rip, "rip 0x%llx",
		     (unsigned long long)cpu_x86_vmcs_read(vm.c, GUEST_RIP));
}

static void put_bytes(uint64_t gpa, uint8_t first, size_t n)
{
	uint8_t b[64];
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(first + i);
	x86_vm_put(&vm, gpa, b, n);
}

/* glibc's strlen inner loop, in miniature. */
X86T_BLOB(t_strlen, "mov $0x20001, %rdi\n pxor %xmm0, %xmm0\n movdqu (%rdi), %xmm1\n"
		    "pcmpeqb %xmm0, %xmm1\n pmovmskb %xmm1, %eax\n bsf %eax, %ecx\n"
		    "movdqa 0x20010, %xmm2\n movq %xmm2, %rbx\n movd %xmm2, %edx\n"
		    "movdqu %xmm2, 0x20103\n vmcall");

Test(x86_sse, unaligned_loads_stores_and_a_strlen_step)
{
	put_bytes(0x20000, 0x41, 48);
	x86_vm_put(&vm, 0x20009, "", 1); /* a NUL at offset 8 from 0x20001 */
	run(X86T_CODE_OF(t_strlen));
	expect_vmcall();
	cr_assert_eq(R(RCX), 8, "the NUL is byte 8");
	cr_assert_eq(R(RAX), 1u << 8);
	cr_assert_eq(R(RBX), 0x5857565554535251ull);
	cr_assert_eq(R(RDX), 0x54535251);
	cr_assert_eq(x86_vm_get64(&vm, 0x20103), 0x5857565554535251ull);
	cr_assert_eq(x86_vm_get64(&vm, 0x2010b), 0x605f5e5d5c5b5a59ull);
}

X86T_BLOB(t_misaligned, "movdqa 0x20008, %xmm0\n vmcall");
X86T_BLOB(t_misaligned_op, "nop\n paddb 0x20004, %xmm0\n vmcall");

Test(x86_sse, legacy_sse_memory_operands_need_alignment)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << X86_EXC_GP);
	run(X86T_CODE_OF(t_misaligned));
	expect_exception(X86_EXC_GP, X86T_CODE);
	run(X86T_CODE_OF(t_misaligned_op));
	expect_exception(X86_EXC_GP, X86T_CODE + 1);
}

Test(x86_sse, availability_follows_cr0_and_cr4)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, (1u << X86_EXC_UD) | (1u << X86_EXC_NM));
	vm.c->cr4 &= ~X86_CR4_OSFXSR;
	run(X86T_CODE_OF(t_strlen));
	expect_exception(X86_EXC_UD, X86T_CODE + 7);
	vm.c->cr4 |= X86_CR4_OSFXSR;
	vm.c->cr0 |= X86_CR0_TS;
	run(X86T_CODE_OF(t_strlen));
	expect_exception(X86_EXC_NM, X86T_CODE + 7);
	vm.c->cr0 &= ~X86_CR0_TS;
	vm.c->cr0 |= X86_CR0_EM;
	run(X86T_CODE_OF(t_strlen));
	expect_exception(X86_EXC_UD, X86T_CODE + 7);
}

X86T_BLOB(t_divzero, "xorpd %xmm1, %xmm1\n mov $0x3ff0000000000000, %rax\n movq %rax, %xmm0\n"
		     "divsd %xmm1, %xmm0\n vmcall");

Test(x86_sse, unmasked_simd_exception_is_xm_and_leaves_the_destination)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, (1u << X86_EXC_XM) | (1u << X86_EXC_UD));
	vm.c->fpu.mxcsr = X86_MXCSR_DEFAULT & ~0x200u; /* ZM = 0 */
	run(X86T_CODE_OF(t_divzero));
	expect_exception(X86_EXC_XM, X86T_CODE + 19);
	cr_assert_eq(XMM(0).q[0], 0x3ff0000000000000ull, "destination unchanged");
	cr_assert(vm.c->fpu.mxcsr & 0x4, "ZE recorded");
	/* Without CR4.OSXMMEXCPT it is #UD. */
	vm.c->cr4 &= ~X86_CR4_OSXMMEXCPT;
	vm.c->fpu.mxcsr = X86_MXCSR_DEFAULT & ~0x200u;
	run(X86T_CODE_OF(t_divzero));
	expect_exception(X86_EXC_UD, X86T_CODE + 19);
	/* Masked: infinity and ZE. */
	vm.c->fpu.mxcsr = X86_MXCSR_DEFAULT;
	run(X86T_CODE_OF(t_divzero));
	expect_vmcall();
	cr_assert_eq(XMM(0).q[0], 0x7ff0000000000000ull);
	cr_assert_eq(vm.c->fpu.mxcsr, X86_MXCSR_DEFAULT | 0x4);
}

X86T_BLOB(t_mxcsr, "stmxcsr 0x20000\n movl $0x3f80, 0x20004\n ldmxcsr 0x20004\n"
		   "movl $0x10000, 0x20008\n ldmxcsr 0x20008\n vmcall");

Test(x86_sse, ldmxcsr_stmxcsr_and_reserved_bits)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << X86_EXC_GP);
	run(X86T_CODE_OF(t_mxcsr));
	expect_exception(X86_EXC_GP, X86T_CODE + 38);
	cr_assert_eq(x86_vm_get64(&vm, 0x20000) & 0xffffffff, X86_MXCSR_DEFAULT);
	cr_assert_eq(vm.c->fpu.mxcsr, 0x3f80, "round down loaded, the bad value not");
}

/* x87: 1 + 2 = 3, 3 * 0.5, ST(i) moves, FNSTSW/FNSTCW, conversions. */
X86T_BLOB(t_x87, "fninit\n fld1\n fld1\n faddp\n fadd %st(0), %st(0)\n" /* 1+1, *2 = 4 */
		 "fldl 0x20000\n"                                       /* 0.5 */
		 "fmulp\n"                                              /* 2 */
		 "fildl 0x20008\n"                                      /* -7 */
		 "fsubrp\n"                                             /* 2 - (-7) = 9 */
		 "fstl 0x20010\n"
		 "fistpl 0x20018\n"
		 "fldz\n fchs\n fstps 0x20020\n"
		 "fldpi\n fstpt 0x20030\n"
		 "fnstsw %ax\n fnstcw 0x20040\n"
		 "fld1\n fldz\n fcomip %st(1), %st(0)\n setb %bl\n fstp %st(0)\n"
		 "movw $0x0c7f, 0x20042\n fldcw 0x20042\n"
		 "fldl 0x20048\n fistpl 0x20050\n" /* 2.5 truncated */
		 "vmcall");

Test(x86_sse, x87_arithmetic_moves_and_control)
{
	double half = 0.5, twofive = 2.5;
	int32_t m7 = -7;
	x86_vm_put(&vm, 0x20000, &half, 8);
	x86_vm_put(&vm, 0x20008, &m7, 4);
	x86_vm_put(&vm, 0x20048, &twofive, 8);
	run(X86T_CODE_OF(t_x87));
	expect_vmcall();
	cr_assert_eq(x86_vm_get64(&vm, 0x20010), 0x4022000000000000ull, "9.0");
	cr_assert_eq(x86_vm_get64(&vm, 0x20018) & 0xffffffff, 9);
	cr_assert_eq(x86_vm_get64(&vm, 0x20020) & 0xffffffff, 0x80000000, "-0.0f");
	cr_assert_eq(x86_vm_get64(&vm, 0x20030), 0xc90fdaa22168c235ull, "pi significand");
	cr_assert_eq(x86_vm_get64(&vm, 0x20038) & 0xffff, 0x4000);
	cr_assert_eq(R(RAX) & 0xffff, 0x0000, "empty stack, no exceptions");
	cr_assert_eq(x86_vm_get64(&vm, 0x20040) & 0xffff, 0x037f);
	cr_assert_eq(R(RBX) & 0xff, 1, "0 < 1: CF");
	cr_assert_eq(x86_vm_get64(&vm, 0x20050) & 0xffffffff, 2, "RC = chop");
	cr_assert_eq(vm.c->fpu.fcw, 0x0c7f);
}

X86T_BLOB(t_x87_underflow, "fninit\n fstp %st(0)\n fnstsw %ax\n vmcall");

Test(x86_sse, x87_stack_underflow_sets_ie_and_sf)
{
	run(X86T_CODE_OF(t_x87_underflow));
	expect_vmcall();
	cr_assert_eq(R(RAX) & 0x47, 0x41, "SF and IE");
}

X86T_BLOB(t_fxsave, "fninit\n fld1\n fldpi\n mov $0x1234, %eax\n movq %rax, %xmm3\n"
		    "fxsave64 0x20000\n"
		    "fninit\n pxor %xmm3, %xmm3\n"
		    "fxrstor64 0x20000\n movq %xmm3, %rbx\n fstpl 0x20300\n vmcall");
X86T_BLOB(t_fxsave_misaligned, "fxsave 0x20008\n vmcall");

Test(x86_sse, fxsave_layout_and_fxrstor)
{
	uint8_t junk[512];
	memset(junk, 0xa5, sizeof(junk));
	x86_vm_put(&vm, 0x20000, junk, sizeof(junk));
	vm.c->fpu.mxcsr = 0x1f80 | 0x20;
	run(X86T_CODE_OF(t_fxsave));
	expect_vmcall();
	uint64_t w0 = x86_vm_get64(&vm, 0x20000);
	cr_assert_eq(w0 & 0xffff, 0x037f, "FCW");
	cr_assert_eq((w0 >> 16) & 0xffff, 6u << 11, "FSW: TOP = 6");
	cr_assert_eq((w0 >> 32) & 0xff, 0xc0, "abridged tag: R6, R7 valid");
	cr_assert_eq(x86_vm_get64(&vm, 0x20018), 0xffffull << 32 | 0x1fa0, "MXCSR, MXCSR_MASK");
	cr_assert_eq(x86_vm_get64(&vm, 0x20020), 0xc90fdaa22168c235ull, "ST0 = pi");
	cr_assert_eq(x86_vm_get64(&vm, 0x20028) & 0xffff, 0x4000);
	cr_assert_eq(x86_vm_get64(&vm, 0x20030), 0x8000000000000000ull, "ST1 = 1");
	cr_assert_eq(x86_vm_get64(&vm, 0x20038) & 0xffff, 0x3fff);
	cr_assert_eq(x86_vm_get64(&vm, 0x200d0), 0x1234, "XMM3 at 160 + 48");
	cr_assert_eq(x86_vm_get64(&vm, 0x201a0), 0xa5a5a5a5a5a5a5a5ull, "reserved area kept");
	cr_assert_eq(R(RBX), 0x1234, "FXRSTOR restored XMM3");
	cr_assert_eq(x86_vm_get64(&vm, 0x20300), 0x400921fb54442d18ull, "pi back from ST0");
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << X86_EXC_GP);
	run(X86T_CODE_OF(t_fxsave_misaligned));
	expect_exception(X86_EXC_GP, X86T_CODE);
}

X86T_BLOB(t_x87_nm, "nop\n fld1\n vmcall");
X86T_BLOB(t_fwait, "nop\n fwait\n vmcall");

Test(x86_sse, x87_nm_on_ts_or_em_and_fwait_on_ts_mp)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << X86_EXC_NM);
	vm.c->cr0 |= X86_CR0_TS;
	run(X86T_CODE_OF(t_x87_nm));
	expect_exception(X86_EXC_NM, X86T_CODE + 1);
	run(X86T_CODE_OF(t_fwait));
	expect_vmcall(); /* MP = 0: WAIT ignores TS */
	vm.c->cr0 |= X86_CR0_MP;
	run(X86T_CODE_OF(t_fwait));
	expect_exception(X86_EXC_NM, X86T_CODE + 1);
	vm.c->cr0 &= ~(X86_CR0_TS | X86_CR0_MP);
	vm.c->cr0 |= X86_CR0_EM;
	run(X86T_CODE_OF(t_x87_nm));
	expect_exception(X86_EXC_NM, X86T_CODE + 1);
}

X86T_BLOB(t_x87_mf, "fninit\n movw $0x037b, 0x20000\n fldcw 0x20000\n" /* ZM = 0 */
		    "fld1\n fldz\n fdivrp\n"                           /* 1/0: ZE, unmasked -> ES */
		    "fnstsw %ax\n nop\n fld1\n vmcall");

Test(x86_sse, x87_unmasked_exception_is_mf_at_the_next_waiting_instruction)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << X86_EXC_MF);
	run(X86T_CODE_OF(t_x87_mf));
	expect_exception(X86_EXC_MF, X86T_CODE + 28);
	cr_assert_eq(R(RAX) & 0x80ff, 0x8084, "B, ES, ZE");
}

X86T_BLOB(t_maskmov, "mov $0x20200, %edi\n movdqu 0x20000, %xmm1\n movdqu 0x20010, %xmm2\n"
		     "maskmovdqu %xmm2, %xmm1\n vmcall");

Test(x86_sse, maskmovdqu_stores_the_selected_bytes_at_rdi)
{
	uint8_t data[16], mask[16], dst[16];
	for (unsigned i = 0; i < 16; i++) {
		data[i] = (uint8_t)(0x10 + i);
		mask[i] = (i & 1) ? 0x80 : 0x7f;
		dst[i] = 0xee;
	}
	x86_vm_put(&vm, 0x20000, data, 16);
	x86_vm_put(&vm, 0x20010, mask, 16);
	x86_vm_put(&vm, 0x20200, dst, 16);
	run(X86T_CODE_OF(t_maskmov));
	expect_vmcall();
	cr_assert_eq(x86_vm_get64(&vm, 0x20200), 0x17ee15ee13ee11eeull);
}

X86T_BLOB(t_fnsave, "fninit\n fld1\n fldpi\n fnsave 0x20400\n fnstsw %ax\n mov %eax, %ebx\n"
		    "frstor 0x20400\n fstpl 0x20500\n fnstenv 0x20600\n fnstcw 0x20620\n"
		    "movw $0x0b7f, 0x20600\n fldenv 0x20600\n fnstcw 0x20622\n"
		    "fninit\n fld1\n fldz\n fpatan\n fstpl 0x20508\n fldz\n fsin\n fstpl 0x20510\n"
		    "fld1\n fld1\n fadd %st(0), %st(0)\n fxtract\n fstpl 0x20518\n fstpl 0x20520\n"
		    "vmcall");

Test(x86_sse, fnsave_frstor_fnstenv_fldenv_and_transcendentals)
{
	run(X86T_CODE_OF(t_fnsave));
	expect_vmcall();
	/* FNSAVE image (32-bit protected-mode layout, 108 bytes). */
	cr_assert_eq(x86_vm_get64(&vm, 0x20400) & 0xffffffff, 0xffff037f, "FCW");
	cr_assert_eq(x86_vm_get64(&vm, 0x20404) & 0xffff, 6u << 11, "FSW: TOP = 6");
	cr_assert_eq(x86_vm_get64(&vm, 0x20408) & 0xffff, 0x0fff, "FTW: R6 R7 valid");
	cr_assert_eq(x86_vm_get64(&vm, 0x2041c), 0xc90fdaa22168c235ull, "ST0 = pi at 28");
	cr_assert_eq(x86_vm_get64(&vm, 0x20426), 0x8000000000000000ull, "ST1 = 1 at 38");
	cr_assert_eq(R(RBX) & 0xffff, 0, "FNSAVE reinitialised the FPU");
	cr_assert_eq(x86_vm_get64(&vm, 0x20500), 0x400921fb54442d18ull, "FRSTOR brought pi back");
	cr_assert_eq(x86_vm_get64(&vm, 0x20620) & 0xffff, 0x037f | 0x3f, "FNSTENV masks all");
	cr_assert_eq(x86_vm_get64(&vm, 0x20622) & 0xffff, 0x0b7f, "FLDENV loaded FCW");
	cr_assert_eq(x86_vm_get64(&vm, 0x20508), 0x3ff921fb54442d18ull, "FPATAN(1, 0) = pi/2");
	cr_assert_eq(x86_vm_get64(&vm, 0x20510), 0, "FSIN(0)");
	cr_assert_eq(x86_vm_get64(&vm, 0x20518), 0x3ff0000000000000ull,
		     "FXTRACT(2): significand 1");
	cr_assert_eq(x86_vm_get64(&vm, 0x20520), 0x3ff0000000000000ull, "exponent 1");
}

X86T_BLOB(t_lddqu, "lddqu 0x20003, %xmm4\n movq %xmm4, %rax\n vmcall");
X86T_BLOB(t_lddqu_reg, ".byte 0xf2, 0x0f, 0xf0, 0xe1\n vmcall"); /* lddqu %xmm1, %xmm4: #UD */

Test(x86_sse, lddqu_loads_unaligned_and_has_no_register_form)
{
	put_bytes(0x20000, 0x30, 32);
	run(X86T_CODE_OF(t_lddqu));
	expect_vmcall();
	cr_assert_eq(R(RAX), 0x3a39383736353433ull);
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << X86_EXC_UD);
	run(X86T_CODE_OF(t_lddqu_reg));
	expect_exception(X86_EXC_UD, X86T_CODE);
}

/* glibc's strchr/strspn style: SSE4.2 string compares on unaligned memory,
 * SSE4.1 inserts/extracts through memory, and CLTS re-enabling SSE. */
X86T_BLOB(t_sse4_mem, "mov $0x6f6c6c6568, %rax\n movq %rax, %xmm1\n"       /* "hello" */
		      "pcmpistri $0x0c, 0x20001, %xmm1\n mov %ecx, %ebx\n" /* equal ordered */
		      "pxor %xmm2, %xmm2\n pinsrb $3, 0x20005, %xmm2\n pextrb $3, %xmm2, 0x20100\n"
		      "pextrd $0, %xmm1, 0x20104\n ptest %xmm2, %xmm2\n setz %dl\n"
		      "pmovzxbw 0x20001, %xmm3\n pextrw $1, %xmm3, %esi\n vmcall");

Test(x86_sse, sse4_string_compare_insert_extract_on_memory)
{
	x86_vm_put(&vm, 0x20000, "xsay hello!", 12);
	x86_vm_put(&vm, 0x2000c, "\0\0\0\0\0\0\0\0", 8);
	run(X86T_CODE_OF(t_sse4_mem));
	expect_vmcall();
	cr_assert_eq(R(RBX), 4, "\"hello\" at index 4 of \"say hello!\"");
	cr_assert_eq(x86_vm_get64(&vm, 0x20100) & 0xff, 'h', "PINSRB/PEXTRB through memory");
	cr_assert_eq(x86_vm_get64(&vm, 0x20104) & 0xffffffff, 0x6c6c6568);
	cr_assert_eq(R(RDX) & 0xff, 0, "PTEST of a non-zero register: ZF = 0");
	cr_assert_eq(R(RSI), 'a', "PMOVZXBW");
}

X86T_BLOB(t_clts_sse, "nop\n clts\n pxor %xmm0, %xmm0\n vmcall");

Test(x86_sse, clts_makes_sse_available_again_in_the_same_block)
{
	vm.c->cr0 |= X86_CR0_TS;
	run(X86T_CODE_OF(t_clts_sse));
	expect_vmcall();
	cr_assert_eq(vm.c->cr0 & X86_CR0_TS, 0);
}

/* MMX aliases the x87 registers (SDM vol. 1 9.5): an MMX instruction sets
 * TOP = 0 and every tag valid, a write sets the exponent and sign bits, EMMS
 * empties the tags; CR0.EM makes MMX #UD, CR0.TS #NM, CR4.OSFXSR is not
 * needed. */
X86T_BLOB(t_mmx, "fninit\n fld1\n mov $0x0102030405060708, %rax\n movq %rax, %mm3\n"
		 "paddb %mm3, %mm3\n movq %mm3, %rbx\n fnstsw %ax\n mov %eax, %ecx\n"
		 "fxsave 0x20000\n emms\n fnstenv 0x20200\n vmcall");
X86T_BLOB(t_mmx_only, "nop\n pxor %mm0, %mm0\n vmcall");

Test(x86_sse, mmx_state_aliases_the_x87)
{
	run(X86T_CODE_OF(t_mmx));
	expect_vmcall();
	cr_assert_eq(R(RBX), 0x020406080a0c0e10ull);
	cr_assert_eq(R(RCX) & 0x3800, 0, "TOP = 0");
	cr_assert_eq(x86_vm_get64(&vm, 0x20000) >> 32 & 0xff, 0xff, "all tags valid");
	cr_assert_eq(vm.c->fpu.st[3].mant, 0x020406080a0c0e10ull, "MM3 = R3 significand");
	cr_assert_eq(vm.c->fpu.st[3].se, 0xffff);
	cr_assert_eq(x86_vm_get64(&vm, 0x20208) & 0xffff, 0xffff, "EMMS: tags empty");
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, (1u << X86_EXC_UD) | (1u << X86_EXC_NM));
	vm.c->cr4 &= ~X86_CR4_OSFXSR;
	run(X86T_CODE_OF(t_mmx_only));
	expect_vmcall();
	vm.c->cr0 |= X86_CR0_TS;
	run(X86T_CODE_OF(t_mmx_only));
	expect_exception(X86_EXC_NM, X86T_CODE + 1);
	vm.c->cr0 = (vm.c->cr0 & ~X86_CR0_TS) | X86_CR0_EM;
	run(X86T_CODE_OF(t_mmx_only));
	expect_exception(X86_EXC_UD, X86T_CODE + 1);
}

/* Found by tests/diff/x86 (x86diff): PINSRB's register operand is r32, so
 * ModRM.rm 4-7 without REX name ESP..EDI (their low byte), not AH..BH. */
X86T_BLOB(t_pinsrb_r32, "mov $0x1234abcd, %esi\n mov $0x5678ef01, %edi\n pxor %xmm0, %xmm0\n"
			"pinsrb $3, %esi, %xmm0\n pinsrb $9, %edi, %xmm0\n vmcall");

Test(x86_sse, pinsrb_reads_the_low_byte_of_r32)
{
	run(X86T_CODE_OF(t_pinsrb_r32));
	expect_vmcall();
	cr_assert_eq(XMM(0).b[3], 0xcd, "ESI's low byte, not DH");
	cr_assert_eq(XMM(0).b[9], 0x01, "EDI's low byte, not BH");
	cr_assert_eq(XMM(0).q[0], 0xcd000000ull);
}

/* Found by x86diff: the denormal-operand flag is hidden by an invalid
 * operation of the same element only. SQRTPD of {-1.0, -denormal}: both
 * elements are invalid, so MXCSR gets IE and no DE (an earlier element's IE
 * must not let the second one's DE through). */
X86T_BLOB(t_sqrtpd_de_priority, "sqrtpd %xmm1, %xmm0\n stmxcsr 0x20000\n vmcall");

Test(x86_sse, denormal_flag_is_hidden_per_element)
{
	XMM(1).q[0] = 0xbff0000000000000ull; /* -1.0 */
	XMM(1).q[1] = 0x8000000000000001ull; /* -denormal */
	vm.c->fpu.mxcsr = X86_MXCSR_DEFAULT;
	run(X86T_CODE_OF(t_sqrtpd_de_priority));
	expect_vmcall();
	cr_assert_eq(vm.c->fpu.mxcsr & 0x3f, 0x01, "mxcsr flags %#x",
		     (unsigned)(vm.c->fpu.mxcsr & 0x3f));
}

/* AES-NI: FIPS-197 appendix C.1 (AES-128). The key is expanded with
 * AESKEYGENASSIST, the block encrypted with AESENC/AESENCLAST, then
 * decrypted with the equivalent inverse cipher (AESIMC'd round keys,
 * AESDEC/AESDECLAST). */
#define T_AES_KX(rc, off)                                                                          \
	"aeskeygenassist $" #rc ", %xmm1, %xmm2\n call 9f\n movdqa %xmm1, " #off "(%rdi)\n"
X86T_BLOB(
	t_aes128,
	"movdqu 0x20000, %xmm1\n movdqu 0x20010, %xmm0\n mov $0x20100, %rdi\n"
	"movdqa %xmm1, (%rdi)\n" T_AES_KX(0x01, 16) T_AES_KX(0x02, 32) T_AES_KX(0x04, 48) T_AES_KX(
		0x08, 64) T_AES_KX(0x10, 80) T_AES_KX(0x20, 96) T_AES_KX(0x40, 112)
		T_AES_KX(0x80, 128) T_AES_KX(0x1b, 144) T_AES_KX(
			0x36,
			160) "pxor (%rdi), %xmm0\n aesenc 16(%rdi), %xmm0\n aesenc 32(%rdi), %xmm0\n"
			     "aesenc 48(%rdi), %xmm0\n aesenc 64(%rdi), %xmm0\n aesenc 80(%rdi), %xmm0\n"
			     "aesenc 96(%rdi), %xmm0\n aesenc 112(%rdi), %xmm0\n aesenc 128(%rdi), %xmm0\n"
			     "aesenc 144(%rdi), %xmm0\n aesenclast 160(%rdi), %xmm0\n movdqa %xmm0, %xmm3\n"
			     "pxor 160(%rdi), %xmm0\n"
			     "aesimc 144(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesimc 128(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesimc 112(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesimc 96(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesimc 80(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesimc 64(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesimc 48(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesimc 32(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesimc 16(%rdi), %xmm4\n aesdec %xmm4, %xmm0\n"
			     "aesdeclast (%rdi), %xmm0\n vmcall\n"
			     "9: pshufd $0xff, %xmm2, %xmm2\n movdqa %xmm1, %xmm5\n pslldq $4, %xmm5\n"
			     "pxor %xmm5, %xmm1\n pslldq $4, %xmm5\n pxor %xmm5, %xmm1\n pslldq $4, %xmm5\n"
			     "pxor %xmm5, %xmm1\n pxor %xmm2, %xmm1\n ret");

Test(x86_sse, aes128_fips197_known_answer)
{
	static const uint8_t key[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
					 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
	static const uint8_t pt[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t ct[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
					0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
	static const uint8_t k10[16] = { 0x13, 0x11, 0x1d, 0x7f, 0xe3, 0x94, 0x4a, 0x17,
					 0xf3, 0x07, 0xa7, 0x8b, 0x4d, 0x2b, 0x30, 0xc5 };
	uint8_t rk[16];
	x86_vm_put(&vm, 0x20000, key, 16);
	x86_vm_put(&vm, 0x20010, pt, 16);
	run(X86T_CODE_OF(t_aes128));
	expect_vmcall();
	cr_assert(p2m_copy_from(vm.p2m, rk, 0x20100 + 160, 16) == 0);
	cr_assert_arr_eq(rk, k10, 16, "round key 10 (FIPS-197 appendix C.1)");
	cr_assert_arr_eq(XMM(3).b, ct, 16, "ciphertext");
	cr_assert_arr_eq(XMM(0).b, pt, 16, "decrypted again");
}

X86T_BLOB(t_pclmul, "pclmulqdq $0x00, %xmm7, %xmm6\n pclmulqdq $0x11, %xmm9, %xmm8\n"
		    "pclmulqdq $0x01, %xmm11, %xmm10\n vmcall");

Test(x86_sse, pclmulqdq_selects_halves_and_multiplies_carry_less)
{
	XMM(6).q[0] = ~0ull;
	XMM(7).q[0] = 3;
	XMM(8).q[1] = 3;
	XMM(9).q[1] = 1ull << 63;
	XMM(10).q[1] = 0x87;
	XMM(11).q[0] = 0x10;
	run(X86T_CODE_OF(t_pclmul));
	expect_vmcall();
	cr_assert_eq(XMM(6).q[0], 1, "~0 x 3: low");
	cr_assert_eq(XMM(6).q[1], 1, "~0 x 3: high");
	cr_assert_eq(XMM(8).q[0], 1ull << 63, "imm 0x11: both high halves");
	cr_assert_eq(XMM(8).q[1], 1);
	cr_assert_eq(XMM(10).q[0], 0x870, "imm 0x01: the destination's high half");
	cr_assert_eq(XMM(10).q[1], 0);
}
