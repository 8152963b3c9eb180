/*
 * x86 instruction semantics in 64-bit and 32-bit mode: data movement,
 * addressing (SIB, RIP-relative, moffs, FS/GS bases), stack and control
 * flow, string instructions, conditional instructions, far transfers and
 * IRETQ. Each program ends with VMCALL; the test then checks registers and
 * memory.
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

TestSuite(x86_insn, .init = setup, .fini = teardown);

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

X86T_BLOB(t_mov, "movabs $0x1122334455667788, %rax\n"
		 "mov %rax, %rbx\n"
		 "mov $0xffffffff, %ecx\n" /* zero-extends */
		 "mov %rax, %rdx\n mov $0x99, %dl\n mov $0xaa, %dh\n"
		 "mov %rax, %rsi\n movw $0x5555, %si\n"
		 "mov %rax, %rdi\n mov %edi, %edi\n"
		 "mov $-1, %r8\n mov $0x12, %r8b\n"
		 "movabs $0x8000000000000000, %r9\n"
		 "mov $-2, %r10d\n movsxd %r10d, %r11\n"
		 "mov $0x80, %r12d\n movsbq %r12b, %r13\n movzbl %r12b, %r14d\n"
		 "mov $0xfff0, %r15d\n movswl %r15w, %r15d\n"
		 "vmcall");

Test(x86_insn, mov_forms_and_partial_registers)
{
	R(RCX) = 0xdeadbeefdeadbeefull;
	run_to_vmcall(X86T_CODE_OF(t_mov));
	cr_assert_eq(R(RAX), 0x1122334455667788ull);
	cr_assert_eq(R(RBX), 0x1122334455667788ull);
	cr_assert_eq(R(RCX), 0xffffffffull);
	cr_assert_eq(R(RDX), 0x112233445566aa99ull);
	cr_assert_eq(R(RSI), 0x1122334455665555ull);
	cr_assert_eq(R(RDI), 0x55667788ull);
	cr_assert_eq(R(R8), 0xffffffffffffff12ull);
	cr_assert_eq(R(R9), 0x8000000000000000ull);
	cr_assert_eq(R(R11), 0xfffffffffffffffeull);
	cr_assert_eq(R(R13), 0xffffffffffffff80ull);
	cr_assert_eq(R(R14), 0x80);
	cr_assert_eq(R(R15), 0xfffffff0ull);
}

X86T_BLOB(t_addr, "mov $0x20000, %ebx\n mov $3, %ecx\n"
		  "movq $0x1234, 0x10(%rbx,%rcx,8)\n" /* 0x20028 */
		  "mov 0x10(%rbx,%rcx,8), %rax\n"
		  "lea 0x10(%rbx,%rcx,8), %rdx\n"
		  "lea -1(%ecx), %esi\n"
		  "mov data(%rip), %rdi\n"
		  "movabs 0x20028, %rax\n" /* moffs */
		  "mov %rax, %r8\n"
		  "mov %fs:0x8, %r9\n"     /* FS base 0x20020 */
		  "mov %gs:(%rbx), %r10\n" /* GS base 0x20 -> 0x20020 */
		  "vmcall\n"
		  "data: .quad 0xcafef00dcafef00d");

Test(x86_insn, addressing_modes_and_segment_bases)
{
	vm.c->seg[X86_SEG_FS].base = 0x20020;
	vm.c->seg[X86_SEG_GS].base = 0x20;
	uint64_t v = 0x77;
	x86_vm_put(&vm, 0x20020, &v, 8);
	run_to_vmcall(X86T_CODE_OF(t_addr));
	cr_assert_eq(x86_vm_get64(&vm, 0x20028), 0x1234);
	cr_assert_eq(R(RDX), 0x20028);
	cr_assert_eq(R(RSI), 2);
	cr_assert_eq(R(RDI), 0xcafef00dcafef00dull);
	cr_assert_eq(R(R8), 0x1234);
	cr_assert_eq(R(R9), 0x1234);
	cr_assert_eq(R(R10), 0x77);
}

X86T_BLOB(t_stack, "push $-5\n pushq $0x1234\n pop %rax\n pop %rbx\n"
		   "call 1f\n jmp 2f\n"
		   "1: mov (%rsp), %rcx\n ret\n"
		   "2: mov %rsp, %rbp\n push %rbp\n mov %rsp, %rbp\n leave\n"
		   "lea 3f(%rip), %rdx\n call *%rdx\n"
		   "pushw $0x7777\n popw %si\n"
		   "push %rsp\n pop %rdi\n"
		   "jmp 4f\n"
		   "3: ret $0\n"
		   "4: vmcall");

Test(x86_insn, stack_call_ret)
{
	run_to_vmcall(X86T_CODE_OF(t_stack));
	cr_assert_eq(R(RAX), 0x1234);
	cr_assert_eq(R(RBX), (uint64_t)-5);
	cr_assert_eq(R(RCX), X86T_CODE + 14, "call pushes the return address");
	cr_assert_eq(R(RSP), X86T_STACK);
	cr_assert_eq(R(RBP), X86T_STACK);
	cr_assert_eq(R(RSI) & 0xffff, 0x7777);
	cr_assert_eq(R(RDI), X86T_STACK, "push %%rsp pushes the old value");
}

X86T_BLOB(t_cond, "mov $5, %eax\n cmp $7, %eax\n setb %bl\n setl %cl\n seta %dl\n"
		  "mov $-1, %esi\n cmp $1, %esi\n setb %r8b\n setl %r9b\n setg %r10b\n"
		  "xor %r11d, %r11d\n mov $42, %r12d\n test %esi, %esi\n cmovs %r12d, %r11d\n"
		  "mov $7, %r13d\n cmovz %r12d, %r13d\n"
		  "xor %r14d, %r14d\n mov $10, %ecx\n 1: add $2, %r14d\n loop 1b\n"
		  "mov $1, %r15d\n cmp $1, %r15d\n jne 9f\n jge 2f\n 9: ud2\n"
		  "2: vmcall");

Test(x86_insn, setcc_cmovcc_jcc_loop)
{
	run_to_vmcall(X86T_CODE_OF(t_cond));
	cr_assert_eq(R(RBX) & 0xff, 1);
	cr_assert_eq(R(RCX), 0, "loop ran rcx down to 0");
	cr_assert_eq(R(RDX) & 0xff, 0);
	cr_assert_eq(R(R8) & 0xff, 0, "-1 is not below 1 unsigned");
	cr_assert_eq(R(R9) & 0xff, 1, "-1 is less than 1 signed");
	cr_assert_eq(R(R10) & 0xff, 0);
	cr_assert_eq(R(R11), 42);
	cr_assert_eq(R(R13), 7);
	cr_assert_eq(R(R14), 20);
}

X86T_BLOB(t_string, "mov $0x20000, %edi\n mov $0xab, %al\n mov $100, %ecx\n cld\n rep stosb\n"
		    "mov $0x20000, %esi\n mov $0x21000, %edi\n mov $12, %ecx\n rep movsq\n"
		    "mov $0x21000, %esi\n lodsl\n mov %eax, %ebx\n"
		    "std\n mov $0x22008, %edi\n mov $0x1122334455667788, %rax\n stosq\n cld\n"
		    "vmcall");

Test(x86_insn, string_instructions)
{
	run_to_vmcall(X86T_CODE_OF(t_string));
	cr_assert_eq(x86_vm_get64(&vm, 0x20000), 0xababababababababull);
	cr_assert_eq(x86_vm_get64(&vm, 0x20060) & 0xffffffff, 0xabababab);
	cr_assert_eq(x86_vm_get64(&vm, 0x20064) & 0xff, 0, "stosb stopped after 100 bytes");
	cr_assert_eq(x86_vm_get64(&vm, 0x21058), x86_vm_get64(&vm, 0x20058));
	cr_assert_eq(R(RBX), 0xabababab);
	cr_assert_eq(R(RSI), 0x21004);
	cr_assert_eq(x86_vm_get64(&vm, 0x22008), 0x1122334455667788ull);
	cr_assert_eq(R(RDI), 0x22000, "DF=1 decrements");
}

X86T_BLOB(t_rep_big,
	  "mov $0x20000, %edi\n mov $0x12345, %ecx\n xor %eax, %eax\n rep stosb\n vmcall");

Test(x86_insn, long_rep_is_restartable)
{
	run_to_vmcall(X86T_CODE_OF(t_rep_big));
	cr_assert_eq(R(RCX), 0);
	cr_assert_eq(R(RDI), 0x20000 + 0x12345);
}

X86T_BLOB(t_misc, "mov $0x80, %eax\n cbw\n mov %eax, %ebx\n"
		  "mov $0x80000000, %eax\n cdqe\n mov %rax, %rcx\n"
		  "mov $-3, %rax\n cqo\n mov %rdx, %rsi\n"
		  "mov $0x11223344, %edi\n bswap %edi\n"
		  "mov $5, %r8d\n mov $9, %r9d\n xchg %r8d, %r9d\n"
		  "mov $0x20000, %r10d\n movq $7, (%r10)\n mov $7, %eax\n mov $99, %r11d\n"
		  "lock cmpxchg %r11, (%r10)\n setz %r12b\n"
		  "mov $3, %r13d\n lock xadd %r13, (%r10)\n"
		  "mov $0x20100, %r14d\n movq $0, (%r14)\n lock btsq $3, (%r14)\n setc %r15b\n"
		  "vmcall");

Test(x86_insn, conversions_bswap_xchg_cmpxchg_xadd_bts)
{
	run_to_vmcall(X86T_CODE_OF(t_misc));
	cr_assert_eq(R(RBX) & 0xffff, 0xff80);
	cr_assert_eq(R(RCX), 0xffffffff80000000ull);
	cr_assert_eq(R(RSI), ~0ull);
	cr_assert_eq(R(RDI), 0x44332211);
	cr_assert_eq(R(R8), 9);
	cr_assert_eq(R(R9), 5);
	cr_assert_eq(R(R12) & 0xff, 1);
	cr_assert_eq(R(R13), 99, "xadd returns the old value");
	cr_assert_eq(x86_vm_get64(&vm, 0x20000), 102);
	cr_assert_eq(x86_vm_get64(&vm, 0x20100), 8);
	cr_assert_eq(R(R15) & 0xff, 0);
}

X86T_BLOB(
	t_muldiv,
	"mov $0x100000000, %rax\n mov $0x100000000, %rbx\n mul %rbx\n mov %rdx, %rcx\n"
	"mov $100, %eax\n xor %edx, %edx\n mov $7, %ebx\n div %ebx\n mov %eax, %esi\n mov %edx, %edi\n"
	"mov $-100, %rax\n cqo\n mov $7, %rbx\n idiv %rbx\n mov %rax, %r8\n mov %rdx, %r9\n"
	"mov $-3, %r10\n imul $5, %r10, %r11\n"
	"vmcall");

Test(x86_insn, multiply_and_divide)
{
	run_to_vmcall(X86T_CODE_OF(t_muldiv));
	cr_assert_eq(R(RCX), 1);
	cr_assert_eq(R(RSI), 14);
	cr_assert_eq(R(RDI), 2);
	cr_assert_eq(R(R8), (uint64_t)-14);
	cr_assert_eq(R(R9), (uint64_t)-2);
	cr_assert_eq(R(R11), (uint64_t)-15);
}

/* IRETQ to a handler frame built by hand, and a far return to 32-bit code
 * (compatibility mode), then a far jump back to 64-bit code. */
X86T_BLOB(t_iret,
	  "mov %rsp, %rax\n"
	  "pushq $0x10\n push %rax\n pushq $0x202\n pushq $0x08\n lea 1f(%rip), %rcx\n push %rcx\n"
	  "iretq\n"
	  "1: pushf\n pop %rbx\n"
	  "pushq $0x18\n lea 2f(%rip), %rcx\n push %rcx\n lretq\n"
	  ".code32\n 2: mov $0x32, %esi\n ljmp $0x08, $0x10100\n .code64\n");
X86T_BLOB(t_back64, "mov $0x64, %edi\n vmcall");

Test(x86_insn, iretq_and_far_transfers_between_modes)
{
	x86_vm_put(&vm, X86T_CODE + 0x100, X86T_CODE_OF(t_back64));
	run_to_vmcall(X86T_CODE_OF(t_iret));
	cr_assert_eq(R(RBX) & 0x202, 0x202, "iretq loaded RFLAGS");
	cr_assert_eq(R(RSP), X86T_STACK);
	cr_assert_eq(R(RSI), 0x32, "ran in compatibility mode");
	cr_assert_eq(R(RDI), 0x64);
	cr_assert(cpu_x86_code64(vm.c));
}

X86T_BLOB(t_user,
	  /* To CPL 3 through IRETQ (user segments 0x2b code, 0x23 data). */
	  "mov %rsp, %rax\n pushq $0x23\n pushq $0x28000\n pushq $0x2\n pushq $0x2b\n"
	  "lea 1f(%rip), %rcx\n push %rcx\n iretq\n"
	  "1: mov $0x55, %ebx\n cli\n");

Test(x86_insn, privilege_change_on_interrupt_uses_rsp0)
{
	/* User code/data descriptors, TSS.RSP0, and a #GP handler. */
	uint64_t ucode = 0x00affb000000ffffull, udata = 0x00cff3000000ffffull;
	x86_vm_put(&vm, X86T_GDT + 0x20, &udata, 8);
	x86_vm_put(&vm, X86T_GDT + 0x28, &ucode, 8);
	vm.c->gdtr.limit = 0x2f;
	uint64_t rsp0 = 0x2f000;
	x86_vm_put(&vm, X86T_TSS + 4, &rsp0, 8);
	static const uint8_t handler[] = { 0x0f, 0x01, 0xc1 }; /* vmcall */
	x86_vm_put(&vm, X86T_CODE + 0x800, handler, sizeof(handler));
	x86_vm_idt64(&vm, X86_EXC_GP, X86T_CODE + 0x800, 0);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_user));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_VMCALL);
	cr_assert_eq(R(RBX), 0x55, "ran at CPL 3");
	cr_assert_eq(vm.c->cpl, 0);
	cr_assert_eq(R(RSP), 0x2f000 - 48, "RSP0 from the TSS, 6 slots pushed");
	cr_assert_eq(x86_vm_get64(&vm, 0x2f000 - 48), 0, "error code");
	cr_assert_eq(x86_vm_get64(&vm, 0x2f000 - 40), X86T_CODE + 0x1d, "RIP of cli");
	cr_assert_eq(x86_vm_get64(&vm, 0x2f000 - 32), 0x2b);
	cr_assert_eq(x86_vm_get64(&vm, 0x2f000 - 16), 0x28000, "user RSP");
	cr_assert_eq(x86_vm_get64(&vm, 0x2f000 - 8), 0x23);
}

X86T_BLOB(t_code32, ".code32\n"
		    "mov $0x20000, %ebx\n movl $0x11223344, (%ebx)\n mov (%ebx), %ax\n"
		    "push $0x77\n pop %ecx\n mov $0x80000000, %edx\n add %edx, %edx\n setc %dl\n"
		    "vmcall\n .code64");

Test(x86_insn, protected_mode_32bit_code)
{
	cpu_x86_reset_pvh(vm.c, X86T_CODE, 0x9000);
	vm.c->regs[X86_RSP] = X86T_STACK;
	x86_vm_put(&vm, X86T_CODE, X86T_CODE_OF(t_code32));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_VMCALL);
	cr_assert_eq(R(RAX) & 0xffff, 0x3344);
	cr_assert_eq(R(RCX), 0x77);
	cr_assert_eq(R(RDX) & 0xff, 1);
	cr_assert_eq(R(RSP), X86T_STACK);
}

Test(x86_insn, disassembly_follows_the_mode)
{
	static const uint8_t code[] = { 0x48, 0x89, 0xd8 }; /* mov %rbx,%rax / dec %eax; mov... */
	char buf[64];
	int n = vm.c->cpu.arch->disas(&vm.c->cpu, 0x1000, code, sizeof(code), buf, sizeof(buf));
	cr_assert_eq(n, 3);
	cr_assert(strstr(buf, "rax") != NULL, "64-bit: %s", buf);
	cpu_x86_reset_pvh(vm.c, 0, 0);
	n = vm.c->cpu.arch->disas(&vm.c->cpu, 0x1000, code, sizeof(code), buf, sizeof(buf));
	cr_assert_eq(n, 1, "32-bit: 0x48 is dec %%eax (%s)", buf);
}

/* Lazy flags consumed inline within one TB (CF after ADD/SUB, INC keeping
 * CF, Jcc after CMP/TEST) must agree with the helper path. */
X86T_BLOB(t_chain,
	  "mov $-1, %eax\n add $1, %eax\n adc $0, %ebx\n"           /* ebx = 1 */
	  "mov $1, %ecx\n sub $2, %ecx\n sbb %edx, %edx\n"          /* edx = -1 */
	  "mov $5, %esi\n cmp $5, %esi\n inc %esi\n adc $0, %esi\n" /* CF=0 kept: esi = 6 */
	  "mov $3, %edi\n cmp $4, %edi\n inc %edi\n adc $0, %edi\n" /* CF=1 kept: edi = 5 */
	  "xor %r8d, %r8d\n test %r8d, %r8d\n jnz 9f\n"
	  "mov $0x80, %r9d\n test %r9b, %r9b\n jns 9f\n jle 1f\n 9: ud2\n"
	  "1: mov $-5, %r10\n cmp $3, %r10\n jae 2f\n ud2\n"
	  "2: setl %r11b\n"
	  "vmcall");

Test(x86_insn, inline_flag_consumers_match)
{
	R(RBX) = 0;
	R(RDX) = 0;
	run_to_vmcall(X86T_CODE_OF(t_chain));
	cr_assert_eq(R(RBX), 1);
	cr_assert_eq(R(RDX), 0xffffffff);
	cr_assert_eq(R(RSI), 6);
	cr_assert_eq(R(RDI), 5);
	cr_assert_eq(R(R11) & 0xff, 1);
}
