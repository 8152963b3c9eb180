/*
 * VMX non-root behaviour of the x86 CPU: which instructions and events exit,
 * with which reason, qualification, instruction length and GUEST_RIP; and
 * event delivery through the IDT (faults, double/triple faults, injection).
 *
 * Guest code is assembled into the test binary (X86T_BLOB) and copied into
 * guest memory, so the bytes are the real assembler's.
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

TestSuite(x86_exits, .init = setup, .fini = teardown);

static uint64_t rd(uint32_t field)
{
	return cpu_x86_vmcs_read(vm.c, field);
}
static void wr(uint32_t field, uint64_t v)
{
	cpu_x86_vmcs_write(vm.c, field, v);
}

static void expect_exit(uint32_t reason, uint64_t rip, uint32_t len)
{
	cr_assert_eq(vm.c->cpu.exit.kind, CPU_EXIT_VMX);
	cr_assert_eq(vm.c->cpu.exit.reason, reason, "exit %u (%s), expected %u",
		     vm.c->cpu.exit.reason, vmx_exit_name(vm.c->cpu.exit.reason), reason);
	cr_assert_eq(rd(VM_EXIT_REASON), reason);
	cr_assert_eq(rd(GUEST_RIP), rip, "GUEST_RIP 0x%llx, expected 0x%llx",
		     (unsigned long long)rd(GUEST_RIP), (unsigned long long)rip);
	cr_assert_eq(vm.c->cpu.exit.pc, rip);
	cr_assert_eq(rd(VM_EXIT_INSTRUCTION_LEN), len);
	cr_assert_eq(vm.c->cpu.exit.insn_len, len);
}

/* Resume as hv does after emulating an instruction. */
static void skip_insn(void)
{
	wr(GUEST_RIP, rd(GUEST_RIP) + rd(VM_EXIT_INSTRUCTION_LEN));
}

X86T_BLOB(t_add_hlt, "mov $5, %eax\n add $7, %eax\n hlt\n vmcall");

Test(x86_exits, hlt_exits_with_hlt_exiting)
{
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_HLT_EXITING);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_add_hlt));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_HLT, X86T_CODE + 8, 1);
	cr_assert_eq(vm.c->regs[X86_RAX], 12);
	cr_assert_str_eq(vmx_exit_name(VMX_EXIT_HLT), "HLT");
	skip_insn();
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 9, 3);
}

Test(x86_exits, hlt_halts_without_hlt_exiting)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_add_hlt));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_HALTED);
	cr_assert(vm.c->cpu.halted);
	cr_assert_eq(vm.c->rip, X86T_CODE + 9);
}

X86T_BLOB(t_cpuid, "xor %eax, %eax\n cpuid\n vmcall");

Test(x86_exits, cpuid_and_vmcall_exit_unconditionally)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_cpuid));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_CPUID, X86T_CODE + 2, 2);
	skip_insn();
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 4, 3);
	cr_assert_str_eq(vmx_exit_name(18), "VMCALL");
	cr_assert_str_eq(vmx_exit_name(48), "EPT_VIOLATION");
}

X86T_BLOB(t_rdmsr_efer, "mov $0xc0000080, %ecx\n rdmsr\n vmcall");
X86T_BLOB(t_wrmsr_efer, "mov $0xc0000080, %ecx\n rdmsr\n wrmsr\n vmcall");
X86T_BLOB(t_rdmsr_xen, "mov $0x40000000, %ecx\n rdmsr\n vmcall");

Test(x86_exits, rdmsr_exits_without_msr_bitmaps)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_rdmsr_efer));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_MSR_READ, X86T_CODE + 5, 2);
}

Test(x86_exits, rdmsr_with_clear_bitmap_bit_executes)
{
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_rdmsr_efer));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 7, 3);
	cr_assert_eq(vm.c->regs[X86_RAX], X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE);
	cr_assert_eq(vm.c->regs[X86_RDX], 0);
}

Test(x86_exits, msr_bitmap_bits_select_reads_and_writes)
{
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS);
	cr_assert(vmcs_msr_intercept(&vm.c->vmcs, MSR_EFER, false, true));
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_wrmsr_efer));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_MSR_WRITE, X86T_CODE + 7, 2);
	cr_assert(vmcs_msr_intercept(&vm.c->vmcs, MSR_EFER, true, false));
	vm.c->rip = X86T_CODE;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_MSR_READ, X86T_CODE + 5, 2);
	/* Outside both bitmap ranges: always an exit. */
	cr_assert_not(vmcs_msr_intercept(&vm.c->vmcs, 0x40000000, false, false));
	x86_vm_code(&vm, X86T_CODE + 0x100, X86T_CODE_OF(t_rdmsr_xen));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_MSR_READ, X86T_CODE + 0x105, 2);
}

X86T_BLOB(t_rdmsr_unknown, "mov $0x1234, %ecx\n rdmsr\n vmcall");

Test(x86_exits, unknown_msr_without_exit_is_gp_and_triple_faults_without_idt)
{
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS);
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_GP);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_rdmsr_unknown));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EXCEPTION_NMI, X86T_CODE + 5, 0);
	cr_assert_eq(rd(VM_EXIT_INTR_INFO), 0x80000b0d);
	cr_assert_eq(rd(VM_EXIT_INTR_ERROR_CODE), 0);
}

X86T_BLOB(t_pf_read, "nop\n mov 0x40000000, %rax\n vmcall");

Test(x86_exits, page_fault_without_idt_is_a_triple_fault)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_pf_read));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_TRIPLE_FAULT, X86T_CODE + 1, 0);
}

Test(x86_exits, page_fault_in_exception_bitmap_exits_with_info)
{
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_PF);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_pf_read));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EXCEPTION_NMI, X86T_CODE + 1, 0);
	cr_assert_eq(rd(VM_EXIT_INTR_INFO),
		     INTR_INFO_VALID | INTR_INFO_DELIVER_CODE | (3u << 8) | 14);
	cr_assert_eq(rd(VM_EXIT_INTR_ERROR_CODE), 0); /* not present, read, supervisor */
	cr_assert_eq(rd(EXIT_QUALIFICATION), 0x40000000);
	cr_assert_eq(vm.c->cr2, 0, "CR2 is not written when #PF exits");
	/* With PFEC mask/match not matching, the bit's meaning inverts. */
	wr(PAGE_FAULT_ERROR_CODE_MASK, X86_PF_P);
	wr(PAGE_FAULT_ERROR_CODE_MATCH, X86_PF_P);
	vm.c->rip = X86T_CODE;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_TRIPLE_FAULT, X86T_CODE + 1, 0);
}

X86T_BLOB(t_ud2, "nop\n nop\n ud2");
X86T_BLOB(t_handler_vmcall, "vmcall");

Test(x86_exits, ud2_is_delivered_through_the_idt)
{
	x86_vm_put(&vm, X86T_CODE + 0x100, X86T_CODE_OF(t_handler_vmcall));
	x86_vm_idt64(&vm, X86_EXC_UD, X86T_CODE + 0x100, 0);
	vm.c->regs[X86_RSP] = X86T_STACK - 8; /* the CPU aligns it to 16 */
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_ud2));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 0x100, 3);
	uint64_t sp = vm.c->regs[X86_RSP];
	cr_assert_eq(sp, X86T_STACK - 16 - 40);
	cr_assert_eq(x86_vm_get64(&vm, sp + 0), X86T_CODE + 2);   /* RIP of ud2 */
	cr_assert_eq(x86_vm_get64(&vm, sp + 8), 0x08);            /* CS */
	cr_assert_eq(x86_vm_get64(&vm, sp + 16) & 0x2, 0x2);      /* RFLAGS */
	cr_assert_eq(x86_vm_get64(&vm, sp + 24), X86T_STACK - 8); /* RSP */
	cr_assert_eq(x86_vm_get64(&vm, sp + 32), 0x10);           /* SS */
}

X86T_BLOB(t_int3, "nop\n int3\n vmcall");

Test(x86_exits, int3_in_exception_bitmap_is_a_software_exception_exit)
{
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_BP);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_int3));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EXCEPTION_NMI, X86T_CODE + 1, 1);
	cr_assert_eq(rd(VM_EXIT_INTR_INFO), INTR_INFO_VALID | (6u << 8) | 3);
}

X86T_BLOB(t_div0, "xor %ecx, %ecx\n mov $7, %eax\n div %ecx\n vmcall");

Test(x86_exits, divide_by_zero_raises_de)
{
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_DE);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_div0));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EXCEPTION_NMI, X86T_CODE + 7, 0);
	cr_assert_eq(rd(VM_EXIT_INTR_INFO), INTR_INFO_VALID | (3u << 8) | 0);
	cr_assert_eq(vm.c->regs[X86_RAX], 7, "a faulting DIV changes nothing");
}

X86T_BLOB(t_ept_read, "nop\n mov 0x100000, %rax\n vmcall");
X86T_BLOB(t_ept_write, "movq $1, 0x100008\n vmcall");

Test(x86_exits, ept_violation_on_unbacked_gfn)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_ept_read));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EPT_VIOLATION, X86T_CODE + 1, 0);
	cr_assert_eq(rd(EXIT_QUALIFICATION),
		     EPT_VIOLATION_READ | EPT_VIOLATION_GLA_VALID | EPT_VIOLATION_GLA_TRANSLATED);
	cr_assert_eq(rd(GUEST_PHYSICAL_ADDRESS), 0x100000);
	cr_assert_eq(rd(GUEST_LINEAR_ADDRESS), 0x100000);
	cr_assert_eq(vm.c->cpu.exit.gpa, 0x100000);

	x86_vm_code(&vm, X86T_CODE + 0x100, X86T_CODE_OF(t_ept_write));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EPT_VIOLATION, X86T_CODE + 0x100, 0);
	cr_assert_eq(rd(EXIT_QUALIFICATION),
		     EPT_VIOLATION_WRITE | EPT_VIOLATION_GLA_VALID | EPT_VIOLATION_GLA_TRANSLATED);
	cr_assert_eq(rd(GUEST_PHYSICAL_ADDRESS), 0x100008);
}

Test(x86_exits, ept_violation_on_a_read_only_gfn_reports_its_rights)
{
	cr_assert_eq(p2m_set_access(vm.p2m, X86T_DATA >> 12, P2M_ACCESS_R), 0);
	static const uint8_t code[] = { 0x48, 0xc7, 0x04, 0x25, 0x00, 0x00,
					0x02, 0x00, 0x01, 0x00, 0x00, 0x00 }; /* movq $1, 0x20000 */
	x86_vm_code(&vm, X86T_CODE, code, sizeof(code));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EPT_VIOLATION, X86T_CODE, 0);
	cr_assert_eq(rd(EXIT_QUALIFICATION), EPT_VIOLATION_WRITE | EPT_VIOLATION_READABLE |
						     EPT_VIOLATION_GLA_VALID |
						     EPT_VIOLATION_GLA_TRANSLATED);
}

Test(x86_exits, ept_violation_during_the_page_walk)
{
	x86_vm_put(&vm, X86T_CODE, X86T_CODE_OF(t_ept_read));
	vm.c->rip = X86T_CODE;
	vm.c->cr3 = 0x80000; /* not backed by RAM */
	cpu_tlb_flush(&vm.c->cpu);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EPT_VIOLATION, X86T_CODE, 0);
	/* A read of a paging-structure entry: bit 8 clear. */
	cr_assert_eq(rd(EXIT_QUALIFICATION), EPT_VIOLATION_READ | EPT_VIOLATION_GLA_VALID);
	cr_assert_eq(rd(GUEST_PHYSICAL_ADDRESS), 0x80000);
	cr_assert_eq(rd(GUEST_LINEAR_ADDRESS), X86T_CODE);
}

X86T_BLOB(t_invlpg, "mov $0x20000, %eax\n invlpg (%rax)\n vmcall");

Test(x86_exits, invlpg_exits_with_the_linear_address)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_invlpg));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 8, 3);
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INVLPG_EXITING);
	vm.c->rip = X86T_CODE;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_INVLPG, X86T_CODE + 5, 3);
	cr_assert_eq(rd(EXIT_QUALIFICATION), 0x20000);
}

X86T_BLOB(t_rdtsc, "nop\n nop\n rdtsc\n vmcall");

Test(x86_exits, rdtsc_counts_instructions_or_exits)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_rdtsc));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 4, 3);
	cr_assert_eq(vm.c->regs[X86_RAX], 2, "TSC = instructions retired before RDTSC");
	cr_assert_eq(vm.c->regs[X86_RDX], 0);
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_RDTSC_EXITING);
	vm.c->rip = X86T_CODE;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_RDTSC, X86T_CODE + 2, 2);
}

X86T_BLOB(t_idle, "1: nop\n jmp 1b");

Test(x86_exits, injected_external_interrupt_is_delivered_at_entry)
{
	x86_vm_put(&vm, X86T_CODE + 0x100, X86T_CODE_OF(t_handler_vmcall));
	x86_vm_idt64(&vm, 0x20, X86T_CODE + 0x100, 0);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_idle));
	cpu_x86_set_rflags(vm.c, 0x202);
	wr(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | (0u << 8) | 0x20);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 0x100, 3);
	cr_assert_eq(rd(VM_ENTRY_INTR_INFO_FIELD) & INTR_INFO_VALID, 0);
	cr_assert_eq(x86_vm_get64(&vm, vm.c->regs[X86_RSP]), X86T_CODE);
	cr_assert_eq(vm.c->rflags & X86_FLAG_IF, 0, "an interrupt gate clears IF");
	cr_assert_eq(x86_vm_get64(&vm, vm.c->regs[X86_RSP] + 16) & X86_FLAG_IF, X86_FLAG_IF);
}

Test(x86_exits, interrupt_window_exit)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_idle));
	cpu_x86_set_rflags(vm.c, 0x202);
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTR_WINDOW_EXITING);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_INTERRUPT_WINDOW, X86T_CODE, 0);
}

Test(x86_exits, spin_loop_runs_out_of_budget)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_idle));
	cr_assert_eq(cpu_exec(&vm.c->cpu, 1000), CPU_STOP_BUDGET);
	cr_assert_geq(vm.c->cpu.icount, 1000);
}

X86T_BLOB(t_pf_stack, "nop\n mov 0x40000000, %rax");

Test(x86_exits, fault_while_delivering_a_fault_is_a_double_fault)
{
	/* #PF's handler stack is unmapped: delivery faults -> #DF (bitmap). */
	x86_vm_idt64(&vm, X86_EXC_PF, X86T_CODE + 0x100, 0);
	vm.c->regs[X86_RSP] = 0x40001000;
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_DF);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_pf_stack));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EXCEPTION_NMI, X86T_CODE + 1, 0);
	cr_assert_eq(rd(VM_EXIT_INTR_INFO),
		     INTR_INFO_VALID | INTR_INFO_DELIVER_CODE | (3u << 8) | 8);
	cr_assert_eq(rd(IDT_VECTORING_INFO_FIELD) & 0xff, X86_EXC_PF);
	/* Without the bitmap bit, #DF's own delivery faults: triple fault. */
	wr(EXCEPTION_BITMAP, 0);
	vm.c->rip = X86T_CODE;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_TRIPLE_FAULT, X86T_CODE + 1, 0);
}

/*
 * The PVH start state, a hypercall from 32-bit protected mode, then the
 * switch to long mode (CR4.PAE, EFER.LME, CR0.PG, far jump to a 64-bit CS).
 */
X86T_BLOB(t_pvh32, ".code32\n"
		   "mov $0x11, %eax\n vmcall\n"
		   "mov $0x20, %eax\n mov %eax, %cr4\n"
		   "mov $0x1000, %eax\n mov %eax, %cr3\n"
		   "mov $0xc0000080, %ecx\n rdmsr\n or $0x100, %eax\n wrmsr\n"
		   "mov %cr0, %eax\n or $0x80000000, %eax\n mov %eax, %cr0\n"
		   "lgdt 0x5100\n"
		   "ljmp $0x08, $0x10100\n"
		   ".code64\n");
X86T_BLOB(t_lm64, "movabs $0x123456789, %rax\n lea 0(%rip), %rbx\n vmcall");

Test(x86_exits, pvh_start_state_32bit_vmcall_and_long_mode_switch)
{
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS);
	cpu_x86_reset_pvh(vm.c, X86T_CODE, 0x9000);
	cr_assert_eq(vm.c->regs[X86_RBX], 0x9000);
	cr_assert_eq(vm.c->rip, X86T_CODE);
	cr_assert_eq(vm.c->cr0, X86_CR0_PE | X86_CR0_ET);
	cr_assert_eq(cpu_x86_get_rflags(vm.c), 0x2);
	cr_assert_eq(vm.c->cpl, 0);
	cr_assert_not(cpu_x86_long_mode(vm.c));
	x86_vm_put(&vm, X86T_CODE, X86T_CODE_OF(t_pvh32));
	x86_vm_put(&vm, X86T_CODE + 0x100, X86T_CODE_OF(t_lm64));
	uint8_t gdtr[10];
	st16_le_p(gdtr, 0x1f);
	st64_le_p(gdtr + 2, X86T_GDT);
	x86_vm_put(&vm, 0x5100, gdtr, sizeof(gdtr));

	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 5, 3);
	cr_assert_eq(vm.c->regs[X86_RAX], 0x11);
	cr_assert_not(cpu_x86_code64(vm.c));
	skip_insn();
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 0x100 + 17, 3);
	cr_assert(cpu_x86_code64(vm.c));
	cr_assert(vm.c->efer & X86_EFER_LMA);
	cr_assert_eq(vm.c->regs[X86_RAX], 0x123456789ull);
	cr_assert_eq(vm.c->regs[X86_RBX], X86T_CODE + 0x100 + 17);
	cr_assert_eq(vm.c->seg[X86_SEG_CS].sel, 0x08);
}

X86T_BLOB(t_unknown, "nop\n .byte 0x0f, 0x0e");

Test(x86_exits, unimplemented_opcode_is_ud)
{
	wr(EXCEPTION_BITMAP, 1u << X86_EXC_UD);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_unknown));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_EXCEPTION_NMI, X86T_CODE + 1, 0);
	cr_assert_eq(rd(VM_EXIT_INTR_INFO), INTR_INFO_VALID | (3u << 8) | X86_EXC_UD);
}

Test(x86_exits, vmcs_guest_fields_are_live_state)
{
	wr(GUEST_RSP, 0x1234);
	cr_assert_eq(vm.c->regs[X86_RSP], 0x1234);
	cr_assert_eq(rd(GUEST_CS_SELECTOR), 0x08);
	cr_assert_eq(rd(GUEST_CR3), 0x1000);
	cr_assert_eq(rd(GUEST_CS_AR_BYTES) & X86_SEG_ATTR_L, X86_SEG_ATTR_L);
	wr(TSC_OFFSET, 0x1122334455667788ull);
	cr_assert_eq(rd(TSC_OFFSET), 0x1122334455667788ull);
	cr_assert_eq(rd(TSC_OFFSET + 1), 0x11223344, "high access to a 64-bit field");
	wr(PIN_BASED_VM_EXEC_CONTROL, 0x1ffffffffull);
	cr_assert_eq(rd(PIN_BASED_VM_EXEC_CONTROL), 0xffffffff, "32-bit field");
}

/* Monitor trap flag (SDM 25.5.2): an exit after each instruction, with
 * GUEST_RIP at the next one; no instruction length. */
Test(x86_exits, mtf_exits_after_every_instruction)
{
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_MONITOR_TRAP_FLAG | CPU_BASED_HLT_EXITING);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_add_hlt));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_MONITOR_TRAP_FLAG, X86T_CODE + 5, 0);
	cr_assert_eq(vm.c->regs[X86_RAX], 5);
	cr_assert_eq(vm.c->cpu.icount, 1);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_MONITOR_TRAP_FLAG, X86T_CODE + 8, 0);
	cr_assert_eq(vm.c->regs[X86_RAX], 12);
	/* An instruction that exits reports its own exit, not MTF. */
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_HLT, X86T_CODE + 8, 1);
	/* Off again: the code runs on to the VMCALL. */
	skip_insn();
	wr(CPU_BASED_VM_EXEC_CONTROL, 0);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 9, 3);
}

/* An event injected at entry with MTF on: the exit comes after its
 * delivery, before the handler's first instruction (SDM 26.7.2). */
Test(x86_exits, mtf_after_injected_event_stops_at_the_handler)
{
	x86_vm_put(&vm, X86T_CODE + 0x100, X86T_CODE_OF(t_handler_vmcall));
	x86_vm_idt64(&vm, 0x20, X86T_CODE + 0x100, 0);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_idle));
	cpu_x86_set_rflags(vm.c, 0x202);
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_MONITOR_TRAP_FLAG);
	wr(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | 0x20);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_MONITOR_TRAP_FLAG, X86T_CODE + 0x100, 0);
	cr_assert_eq(vm.c->cpu.icount, 0);
	cr_assert_eq(x86_vm_get64(&vm, vm.c->regs[X86_RSP]), X86T_CODE);
}

/* The VMX-preemption timer (SDM 25.5.1) counts one per 2^5 instructions
 * from each VM entry and exits when it reaches 0, at that instruction
 * whatever the TBs; "save" writes the rest back at every exit. */
Test(x86_exits, preemption_timer_exits_after_value_times_32_instructions)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_idle));
	wr(PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_VMX_PREEMPTION_TIMER);
	wr(VMX_PREEMPTION_TIMER_VALUE, 3);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_PREEMPTION_TIMER);
	cr_assert_eq(vm.c->cpu.icount, 3 << VMX_PREEMPTION_TIMER_RATE);
	cr_assert_eq(rd(VM_EXIT_INSTRUCTION_LEN), 0);
	cr_assert_eq(rd(VMX_PREEMPTION_TIMER_VALUE), 3, "not saved: reloaded at each entry");
	/* Without "save", the next entry starts from 3 again. */
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_PREEMPTION_TIMER);
	cr_assert_eq(vm.c->cpu.icount, 2 * (3 << VMX_PREEMPTION_TIMER_RATE));
	/* With "save": an HLT exit 40 instructions in leaves 56 >> 5 = 1. */
	wr(VM_EXIT_CONTROLS, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER);
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_HLT_EXITING);
	wr(VMX_PREEMPTION_TIMER_VALUE, 3);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_add_hlt));
	uint64_t start = vm.c->cpu.icount;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_HLT, X86T_CODE + 8, 1);
	cr_assert_eq(vm.c->cpu.icount - start, 2);
	cr_assert_eq(rd(VMX_PREEMPTION_TIMER_VALUE), (96 - 2) >> VMX_PREEMPTION_TIMER_RATE);
	/* Zero at entry: an exit before any instruction. */
	skip_insn();
	wr(VMX_PREEMPTION_TIMER_VALUE, 0);
	start = vm.c->cpu.icount;
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_PREEMPTION_TIMER);
	cr_assert_eq(vm.c->cpu.icount, start);
}

X86T_BLOB(t_nmi_handler, "vmcall\n iretq");

/* An NMI blocks NMIs until IRET (SDM 6.7.1), visible in the guest
 * interruptibility state; NMI-window exiting exits once it is unblocked
 * (SDM 25.2), and not before. */
Test(x86_exits, nmi_blocks_nmis_until_iret_and_nmi_window_exits_then)
{
	x86_vm_put(&vm, X86T_CODE + 0x100, X86T_CODE_OF(t_nmi_handler));
	x86_vm_idt64(&vm, X86_EXC_NMI, X86T_CODE + 0x100, 0);
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_idle));
	wr(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | (2u << 8) | X86_EXC_NMI);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 0x100, 3);
	cr_assert_eq(rd(GUEST_INTERRUPTIBILITY_INFO), GUEST_INTR_STATE_NMI);
	skip_insn();
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_NMI_WINDOW, X86T_CODE, 0);
	cr_assert_eq(vm.c->cpu.icount, 1, "the exit comes right after the IRET");
	cr_assert_eq(rd(GUEST_INTERRUPTIBILITY_INFO), 0);
}

X86T_BLOB(t_invd_wbinvd, "invd\n wbinvd\n vmcall");

/* INVD exits unconditionally, WBINVD with "WBINVD exiting" (SDM 25.1.2/3). */
Test(x86_exits, invd_always_exits_wbinvd_when_asked)
{
	x86_vm_code(&vm, X86T_CODE, X86T_CODE_OF(t_invd_wbinvd));
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_INVD, X86T_CODE, 2);
	skip_insn();
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_VMCALL, X86T_CODE + 4, 3);
	vm.c->rip = X86T_CODE + 2;
	wr(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	wr(SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_WBINVD_EXITING);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_exit(VMX_EXIT_WBINVD, X86T_CODE + 2, 2);
}
