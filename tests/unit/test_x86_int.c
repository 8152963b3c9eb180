/*
 * Directed tests of the integer instructions the differential test cannot
 * run on the host (memory operands at guest addresses, I/O, 32-bit-only
 * forms, deterministic RDRAND): CMPS/SCAS with REPE/REPNE and DF, INS/OUTS
 * with and without I/O exits, BT* with memory bit offsets outside the
 * operand, CMPXCHG8B/16B, ENTER, MOVBE, RDRAND/RDSEED, RDTSCP/RDPID,
 * PUSHA/POPA and the BCD adjustments in 32-bit mode. Every program ends with
 * VMCALL; expected values follow the SDM "Operation" sections (the BCD
 * examples are the SDM's own).
 */
#include <criterion/criterion.h>

#include "test_x86.h"

static struct x86_vm vm;

static void setup(void)
{
	x86_vm_init(&vm);
	x86_vm_long_mode(&vm);
}

static void teardown(void)
{
	x86_vm_destroy(&vm);
}

TestSuite(x86_int, .init = setup, .fini = teardown);

#define R(r) (vm.c->regs[X86_##r])

static void run_to_vmcall(const uint8_t *code, size_t len)
{
	x86_vm_code(&vm, X86T_CODE, code, len);
	enum cpu_stop st = x86_vm_run(&vm);
	cr_assert_eq(st, CPU_STOP_EXIT, "stop %d", st);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_VMCALL, "exit %u (%s) at 0x%llx",
		     vm.c->cpu.exit.reason, vmx_exit_name(vm.c->cpu.exit.reason),
		     (unsigned long long)vm.c->cpu.exit.pc);
}

/* Run to an exception that the exception bitmap turns into an exit. */
static void run_to_exception(const uint8_t *code, size_t len, unsigned vector)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << vector);
	x86_vm_code(&vm, X86T_CODE, code, len);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_EXCEPTION_NMI, "exit %u",
		     vm.c->cpu.exit.reason);
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, VM_EXIT_INTR_INFO) & 0xff, vector);
}

static uint8_t get8(uint64_t gpa)
{
	uint8_t b;
	cr_assert_eq(p2m_copy_from(vm.p2m, &b, gpa, 1), 0);
	return b;
}

X86T_BLOB(t_cmps, "mov $0x20000, %esi\n mov $0x20100, %edi\n mov $16, %ecx\n cld\n repe cmpsb\n"
		  "mov %ecx, %r8d\n mov %esi, %r9d\n setc %r12b\n"
		  "mov $0x20100, %edi\n mov $0x65, %al\n mov $32, %ecx\n repne scasb\n"
		  "mov %ecx, %r10d\n mov %edi, %r11d\n setz %r13b\n"
		  "std\n mov $0x20103, %edi\n mov $0x64, %al\n mov $4, %ecx\n repe scasb\n cld\n"
		  "mov %ecx, %r14d\n mov %edi, %r15d\n"
		  "mov $0x22000, %esi\n mov $0x26000, %edi\n mov $0x3000, %ecx\n repe cmpsq\n"
		  "setz %bl\n mov %ecx, %edx\n"
		  "xor %ecx, %ecx\n repne scasb\n" /* RCX = 0: nothing happens, flags kept */
		  "setz %bh\n"
		  "vmcall");

Test(x86_int, cmps_scas_with_repe_repne_and_df)
{
	x86_vm_put(&vm, 0x20000, "abcdefghXjklmnop", 16);
	x86_vm_put(&vm, 0x20100, "abcdefghijklmnop", 16);
	run_to_vmcall(X86T_CODE_OF(t_cmps));
	cr_assert_eq(R(R8), 7, "stopped after the 9th byte");
	cr_assert_eq(R(R9), 0x20009);
	cr_assert_eq(R(R12) & 0xff, 1, "'X' < 'i': CF");
	cr_assert_eq(R(R10), 27, "'e' found after 5 bytes");
	cr_assert_eq(R(R11), 0x20105);
	cr_assert_eq(R(R13) & 0xff, 1);
	cr_assert_eq(R(R14), 2, "backwards: 'd' matched, 'c' did not");
	cr_assert_eq(R(R15), 0x20101);
	cr_assert_eq(R(RBX) & 0xff, 1, "0x3000 equal quadwords across REP restarts");
	cr_assert_eq(R(RDX), 0);
	cr_assert_eq((R(RBX) >> 8) & 0xff, 1, "RCX=0 leaves ZF");
	cr_assert_eq(R(RSI), 0x22000 + 0x18000);
}

X86T_BLOB(t_insouts, "mov $0x3f8, %dx\n mov $0x20200, %edi\n mov $4, %ecx\n rep insb\n"
		     "mov $0x20000, %esi\n outsw\n insl\n vmcall");

Test(x86_int, ins_outs_without_exit_read_ones_and_advance)
{
	run_to_vmcall(X86T_CODE_OF(t_insouts));
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(get8(0x20200 + i), 0xff);
	cr_assert_eq(x86_vm_get64(&vm, 0x20204) & 0xffffffff, 0xffffffff, "insl");
	cr_assert_eq(R(RDI), 0x20208);
	cr_assert_eq(R(RCX), 0);
	cr_assert_eq(R(RSI), 0x20002);
}

Test(x86_int, rep_ins_exit_reports_port_direction_and_address)
{
	cpu_x86_vmcs_write(vm.c, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_UNCOND_IO_EXITING);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_insouts));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_IO_INSTRUCTION);
	cr_assert_eq(vm.c->cpu.exit.qualification, 0 | 8 | 16 | 32 | (0x3f8ull << 16));
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, GUEST_RIP), X86T_CODE + 14);
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, VM_EXIT_INSTRUCTION_LEN), 2);
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, GUEST_LINEAR_ADDRESS), 0x20200);
	cr_assert_eq(R(RCX), 4, "nothing executed yet");
}

X86T_BLOB(t_btmem, "mov $0x20300, %ebx\n"
		   "mov $100, %eax\n bts %rax, (%rbx)\n setc %r8b\n"
		   "mov $-1, %rcx\n bts %rcx, 8(%rbx)\n"
		   "mov $36, %edx\n btr %edx, 8(%rbx)\n setc %r9b\n"
		   "btcw $17, (%rbx)\n"
		   "vmcall");
X86T_BLOB(t_btfar, "mov $0x20300, %ebx\n mov $0x7fffffff, %edi\n bt %edi, (%rbx)\n vmcall");

Test(x86_int, bt_memory_offsets_reach_outside_the_operand)
{
	uint64_t zero[4] = { 0 };
	x86_vm_put(&vm, 0x20300, zero, sizeof(zero));
	run_to_vmcall(X86T_CODE_OF(t_btmem));
	cr_assert_eq(x86_vm_get64(&vm, 0x20300), (1ull << 63) | 2, "bit -1 of +8, btc bit 1");
	cr_assert_eq(x86_vm_get64(&vm, 0x20308), 0, "bit 100 set then cleared");
	cr_assert_eq(R(R8) & 0xff, 0);
	cr_assert_eq(R(R9) & 0xff, 1);
	/* Bit 0x7fffffff of the dword at 0x20300 is in the dword at
	 * 0x20300 + 0xffffffc, beyond RAM: the access is an EPT violation there. */
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_btfar));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_EPT_VIOLATION);
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, GUEST_PHYSICAL_ADDRESS), 0x20300 + 0xffffffcull);
}

/* -20 as a 16-bit offset from 0x20310: word -2 (0x2030c), bit 12. */
X86T_BLOB(t_btneg, "mov $0x20300, %ebx\n mov $-20, %si\n btsw %si, 16(%rbx)\n vmcall");

Test(x86_int, bt_negative_16bit_offset)
{
	uint64_t zero[4] = { 0 };
	x86_vm_put(&vm, 0x20300, zero, sizeof(zero));
	run_to_vmcall(X86T_CODE_OF(t_btneg));
	cr_assert_eq(x86_vm_get64(&vm, 0x20308), 1ull << (32 + 12));
}

X86T_BLOB(t_cx8, "mov $0x20400, %edi\n mov $1, %eax\n mov $2, %edx\n mov $3, %ebx\n mov $4, %ecx\n"
		 "lock cmpxchg8b (%rdi)\n setz %r8b\n"
		 "cmpxchg8b (%rdi)\n setz %r9b\n mov %eax, %r10d\n mov %edx, %r11d\n"
		 "mov $0x20410, %esi\n mov $5, %eax\n mov $6, %edx\n mov $7, %ebx\n mov $8, %ecx\n"
		 "cmpxchg16b (%rsi)\n setz %r12b\n vmcall");
X86T_BLOB(t_cx16_misaligned, "mov $0x20408, %esi\n cmpxchg16b (%rsi)\n vmcall");

Test(x86_int, cmpxchg8b_and_16b)
{
	uint64_t init[4] = { 1 | (2ull << 32), 0, 5, 6 };
	x86_vm_put(&vm, 0x20400, init, sizeof(init));
	run_to_vmcall(X86T_CODE_OF(t_cx8));
	cr_assert_eq(R(R8) & 0xff, 1);
	cr_assert_eq(R(R9) & 0xff, 0);
	cr_assert_eq(R(R10), 3);
	cr_assert_eq(R(R11), 4);
	cr_assert_eq(x86_vm_get64(&vm, 0x20400), 3 | (4ull << 32));
	cr_assert_eq(R(R12) & 0xff, 1);
	cr_assert_eq(x86_vm_get64(&vm, 0x20410), 7);
	cr_assert_eq(x86_vm_get64(&vm, 0x20418), 8);
	run_to_exception(X86T_CODE_OF(t_cx16_misaligned), X86_EXC_GP);
}

X86T_BLOB(t_enter, "mov $0x2f000, %esp\n mov $0x2f800, %ebp\n"
		   "enter $0x20, $0\n mov %rsp, %r8\n mov %rbp, %r9\n"
		   "enter $0x10, $3\n mov %rsp, %r10\n mov %rbp, %r11\n vmcall");

Test(x86_int, enter_with_nesting_levels)
{
	/* The old frame's pointers that level 3 copies: [rbp-8], [rbp-16]. */
	uint64_t fp[2] = { 0xaaaa, 0xbbbb };
	x86_vm_put(&vm, 0x2eff8 - 16, fp, sizeof(fp));
	run_to_vmcall(X86T_CODE_OF(t_enter));
	cr_assert_eq(R(R9), 0x2eff8);
	cr_assert_eq(R(R8), 0x2eff8 - 0x20);
	cr_assert_eq(x86_vm_get64(&vm, 0x2eff8), 0x2f800, "old rbp pushed");
	uint64_t sp = 0x2eff8 - 0x20;
	cr_assert_eq(x86_vm_get64(&vm, sp - 8), 0x2eff8, "rbp pushed");
	cr_assert_eq(R(R11), sp - 8, "frame");
	cr_assert_eq(x86_vm_get64(&vm, sp - 16), 0xbbbb, "[rbp-8]");
	cr_assert_eq(x86_vm_get64(&vm, sp - 24), 0xaaaa, "[rbp-16]");
	cr_assert_eq(x86_vm_get64(&vm, sp - 32), sp - 8, "frame pointer pushed");
	cr_assert_eq(R(R10), sp - 32 - 0x10);
}

X86T_BLOB(t_movbe, "mov $0x20500, %edi\n movabs $0x1122334455667788, %rax\n movbe %rax, (%rdi)\n"
		   "movbe (%rdi), %ebx\n mov $-1, %rcx\n movbe 4(%rdi), %cx\n movbe %cx, 8(%rdi)\n"
		   "vmcall");

Test(x86_int, movbe_loads_and_stores_swapped)
{
	run_to_vmcall(X86T_CODE_OF(t_movbe));
	cr_assert_eq(x86_vm_get64(&vm, 0x20500), 0x8877665544332211ull);
	cr_assert_eq(R(RBX), 0x11223344);
	cr_assert_eq(R(RCX), 0xffffffffffff5566ull);
	cr_assert_eq(get8(0x20508), 0x55);
	cr_assert_eq(get8(0x20509), 0x66);
}

X86T_BLOB(t_rdrand, "rdrand %rax\n setc %r8b\n rdrand %ecx\n rdseed %dx\n setc %r9b\n vmcall");

Test(x86_int, rdrand_is_deterministic_per_seed)
{
	uint64_t v[3];
	R(RDX) = 0xffffffffffffffffull;
	cpu_x86_seed_rng(vm.c, 42);
	run_to_vmcall(X86T_CODE_OF(t_rdrand));
	v[0] = R(RAX);
	v[1] = R(RCX);
	v[2] = R(RDX);
	cr_assert_eq(R(R8) & 0xff, 1, "CF = 1");
	cr_assert_eq(R(R9) & 0xff, 1);
	cr_assert_leq(v[1], 0xffffffffull);
	cr_assert_eq(v[2] >> 16, 0xffffffffffffull, "16-bit merge");
	cr_assert_neq(v[0], v[1]);
	/* A fresh CPU with the same seed draws the same numbers. */
	x86_vm_destroy(&vm);
	setup();
	R(RDX) = 0xffffffffffffffffull;
	cpu_x86_seed_rng(vm.c, 42);
	run_to_vmcall(X86T_CODE_OF(t_rdrand));
	cr_assert_eq(R(RAX), v[0]);
	cr_assert_eq(R(RCX), v[1]);
	cr_assert_eq(R(RDX), v[2]);
}

Test(x86_int, rdrand_exiting)
{
	cpu_x86_vmcs_write(vm.c, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	cpu_x86_vmcs_write(vm.c, SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_RDRAND_EXITING);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_rdrand));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_RDRAND);
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, VM_EXIT_INSTRUCTION_LEN), 4);
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, VMX_INSTRUCTION_INFO), 2u << 11, "rax, 64-bit");
}

X86T_BLOB(t_rdtscp, "rdtscp\n rdpid %rbx\n vmcall");

Test(x86_int, rdtscp_and_rdpid_need_the_enable_rdtscp_control)
{
	run_to_exception(X86T_CODE_OF(t_rdtscp), X86_EXC_UD);
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 0);
	cpu_x86_vmcs_write(vm.c, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	cpu_x86_vmcs_write(vm.c, SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_RDTSCP);
	vm.c->tsc_aux = 0x1234;
	R(RCX) = ~0ull;
	run_to_vmcall(X86T_CODE_OF(t_rdtscp));
	cr_assert_eq(R(RCX), 0x1234);
	cr_assert_eq(R(RBX), 0x1234);
	/* RDTSC exiting covers RDTSCP (exit 51). */
	cpu_x86_vmcs_write(vm.c, CPU_BASED_VM_EXEC_CONTROL,
			   CPU_BASED_ACTIVATE_SECONDARY_CONTROLS | CPU_BASED_RDTSC_EXITING);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_rdtscp));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_RDTSCP);
}

X86T_BLOB(t_ud_forms, ".byte 0x0f, 0x38, 0xf0, 0xd8\n vmcall"); /* movbe, mod = 11 */

Test(x86_int, register_form_of_movbe_is_ud)
{
	run_to_exception(X86T_CODE_OF(t_ud_forms), X86_EXC_UD);
}

/* 32-bit protected mode (the PVH start state): PUSHA/POPA and BCD. */
X86T_BLOB(t_pusha32, ".code32\n"
		     "mov $1, %eax\n mov $2, %ecx\n mov $3, %edx\n mov $4, %ebx\n mov $6, %ebp\n"
		     "mov $7, %esi\n mov $8, %edi\n pushal\n"
		     "xor %eax, %eax\n xor %ecx, %ecx\n xor %edx, %edx\n xor %ebx, %ebx\n"
		     "xor %ebp, %ebp\n xor %esi, %esi\n movl $0x55, 12(%esp)\n popal\n"
		     "pushw $0x1234\n pushaw\n popaw\n pop %bx\n"
		     "vmcall\n .code64");

X86T_BLOB(t_bcd32, ".code32\n"
		   "mov $0x79, %al\n add $0x35, %al\n daa\n setc %bl\n mov %al, %bh\n"
		   "mov $0x35, %al\n sub $0x47, %al\n das\n setc %cl\n mov %al, %ch\n"
		   "mov $0x0009, %ax\n add $0x08, %al\n aaa\n mov %ax, %dx\n"
		   "mov $0x0203, %ax\n sub $5, %al\n aas\n mov %ax, %si\n"
		   "mov $63, %al\n aam\n mov %ax, %di\n"
		   "mov $0x0603, %ax\n aad\n"
		   "vmcall\n .code64");

X86T_BLOB(t_aam0, ".code32\n aam $0\n vmcall\n .code64");

static void run32(const uint8_t *code, size_t len)
{
	cpu_x86_reset_pvh(vm.c, X86T_CODE, 0x9000);
	vm.c->regs[X86_RSP] = X86T_STACK;
	x86_vm_put(&vm, X86T_CODE, code, len);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
}

Test(x86_int, pusha_popa_32bit)
{
	run32(X86T_CODE_OF(t_pusha32));
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_VMCALL);
	cr_assert_eq(R(RAX), 1);
	cr_assert_eq(R(RCX), 2);
	cr_assert_eq(R(RDX), 3);
	cr_assert_eq(R(RBX) & 0xffff, 0x1234, "popped after pushaw/popaw");
	cr_assert_eq(R(RBP), 6);
	cr_assert_eq(R(RSI), 7);
	cr_assert_eq(R(RDI), 8);
	cr_assert_eq(R(RSP), X86T_STACK, "the ESP slot is skipped");
	/* (The 16-bit frame overwrote the top of the 32-bit one.) */
	cr_assert_eq(x86_vm_get64(&vm, X86T_STACK - 32) & 0xffffffff, 8, "EDI at the bottom");
}

Test(x86_int, bcd_adjustments_32bit)
{
	run32(X86T_CODE_OF(t_bcd32));
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_VMCALL);
	cr_assert_eq(R(RBX) & 0xffff, 0x1401, "DAA: AL=14H CF=1");
	cr_assert_eq(R(RCX) & 0xffff, 0x8801, "DAS: AL=88H CF=1");
	cr_assert_eq(R(RDX) & 0xffff, 0x0107, "AAA");
	cr_assert_eq(R(RSI) & 0xffff, 0x0108, "AAS: 23 - 5 = 18");
	cr_assert_eq(R(RDI) & 0xffff, 0x0603, "AAM: 63 = 6,3");
	cr_assert_eq(R(RAX) & 0xffff, 63, "AAD");
	cr_assert(cpu_x86_get_rflags(vm.c) & X86_FLAG_PF, "AAD 63 = 0b111111: PF");
}

Test(x86_int, aam_zero_is_de_and_bcd_is_ud_in_64bit_mode)
{
	cpu_x86_vmcs_write(vm.c, EXCEPTION_BITMAP, 1u << X86_EXC_DE);
	run32(X86T_CODE_OF(t_aam0));
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_EXCEPTION_NMI);
	cr_assert_eq(cpu_x86_vmcs_read(vm.c, VM_EXIT_INTR_INFO) & 0xff, X86_EXC_DE);
	x86_vm_destroy(&vm);
	setup();
	static const uint8_t daa[] = { 0x27, 0x0f, 0x01, 0xc1 };
	run_to_exception(daa, sizeof(daa), X86_EXC_UD);
}
