/*
 * Real mode and 16-bit code (SDM vol. 3 ch. 20, vol. 2 2.1.5 table 2-1):
 *
 *  - the start-up IPI state and a trampoline shaped like Linux's
 *    arch/x86/realmode/rm/trampoline_64.S: real mode at vector << 8 : 0,
 *    a flags check as verify_cpu.S does it, LIDT/LGDT with a 32-bit operand
 *    size, CR0.PE, a far jump to 32-bit code, then PAE, EFER.LME, CR0.PG
 *    and a far jump to 64-bit code;
 *  - every 16-bit ModRM addressing form (mod 00/01/10 x rm 0-7) with 16-bit
 *    wraparound, SS as the default segment of the BP forms, segment
 *    overrides, 32-bit addressing (67) and a 32-bit operand (66), the values
 *    computed here from table 2-1;
 *  - INT n and an exception (#DE) through the interrupt vector table, far
 *    CALL/RET, PUSH/POP Sreg, LDS, XLAT, a JMP whose 16-bit IP wraps,
 *    LGDT with 16- and 32-bit operand sizes (24-bit base), and CR0.PE on and
 *    off again through a 16-bit protected-mode code segment.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "test_x86.h"

static struct x86_vm vm;

static void setup(void)
{
	x86_vm_init(&vm);
	/* Page tables and GDT of the test machine (the trampoline loads its
	 * own GDT; the page tables serve its switch to long mode). */
	x86_vm_long_mode(&vm);
	/* MSR accesses do not exit (an empty MSR bitmap). */
	cpu_x86_vmcs_write(vm.c, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS);
}

static void teardown(void)
{
	x86_vm_destroy(&vm);
}

TestSuite(x86_realmode, .init = setup, .fini = teardown);

#define TRAMP 0x8000 /* SIPI vector 8 */

static uint16_t get16(uint64_t gpa)
{
	return (uint16_t)x86_vm_get64(&vm, gpa);
}

static void expect_vmcall(void)
{
	cr_assert_eq(vm.c->cpu.exit.reason, VMX_EXIT_VMCALL, "exit %u (%s) at rip 0x%llx",
		     vm.c->cpu.exit.reason, vmx_exit_name(vm.c->cpu.exit.reason),
		     (unsigned long long)cpu_x86_vmcs_read(vm.c, GUEST_RIP));
}

/* Start at TRAMP in the SIPI state, from INIT. */
static void run_sipi(const uint8_t *code, size_t len)
{
	x86_vm_put(&vm, TRAMP, code, len);
	cpu_x86_reset_init(vm.c);
	cpu_x86_sipi(vm.c, TRAMP >> 12);
	cr_assert_eq(x86_vm_run(&vm), CPU_STOP_EXIT);
	expect_vmcall();
}

/* clang-format off */
X86T_BLOB(t_rm_sipi,
	".code16\n"
	"rms0: cli\n wbinvd\n"
	" ljmpw $0x0800, $(1f - rms0)\n"
	"1: mov %cs, %ax\n mov %ax, %ds\n mov %ax, %es\n mov %ax, %ss\n"
	" movl $0x1000, %esp\n"
	" call rms_verify\n"
	" testl %eax, %eax\n jnz 9f\n"
	" lidtl rms_idt - rms0\n lgdtl rms_gdt - rms0\n"
	" movw $0x18, %dx\n"
	" movl $0x11, %eax\n movl %eax, %cr0\n"
	" ljmpl $0x08, $(0x8000 + rms32 - rms0)\n"
	"rms_verify: pushf\n push $0\n popf\n"
	" pushfl\n popl %eax\n movl %eax, %ebx\n xorl $0x200000, %eax\n pushl %eax\n popfl\n"
	" pushfl\n popl %eax\n cmpl %eax, %ebx\n jz 8f\n"
	" popf\n xorl %eax, %eax\n ret\n"
	"8: popf\n movl $1, %eax\n ret\n"
	"9: hlt\n jmp 9b\n"
	".code32\n"
	"rms32: movl %edx, %ss\n addl $0x8000, %esp\n movl %edx, %ds\n movl %edx, %es\n"
	" movl $0x20, %eax\n movl %eax, %cr4\n"
	" movl $0x1000, %eax\n movl %eax, %cr3\n"
	" movl $0xc0000080, %ecx\n rdmsr\n orl $0x900, %eax\n wrmsr\n"
	" movl $0x80010033, %eax\n movl %eax, %cr0\n"
	" ljmpl $0x10, $(0x8000 + rms64 - rms0)\n"
	".code64\n"
	"rms64: mov $0x5a5a, %r8d\n push $0x77\n pop %r9\n vmcall\n"
	".balign 8\n"
	"rms_idt: .word 0\n .long 0\n"
	".balign 8\n"
	"rms_gdt: .word rms_gdtx - rms_gdt - 1\n .long 0x8000 + rms_gdt - rms0\n .word 0\n"
	" .quad 0x00cf9b000000ffff\n .quad 0x00af9b000000ffff\n .quad 0x00cf93000000ffff\n"
	"rms_gdtx:\n");
/* clang-format on */

Test(x86_realmode, sipi_state_is_real_mode_at_the_vector)
{
	struct cpu_x86 *c = vm.c;
	c->cr0 |= X86_CR0_CD | X86_CR0_NW;
	c->fpu.mxcsr = 0x1f00;
	cpu_x86_reset_init(c);
	cpu_x86_sipi(c, 0x9f);
	cr_assert_eq(c->seg[X86_SEG_CS].sel, 0x9f00);
	cr_assert_eq(c->seg[X86_SEG_CS].base, 0x9f000);
	cr_assert_eq(c->seg[X86_SEG_CS].limit, 0xffff);
	cr_assert_eq(c->rip, 0);
	cr_assert_eq(c->cr0, X86_CR0_CD | X86_CR0_NW | X86_CR0_ET, "INIT keeps CD and NW");
	cr_assert_eq(c->efer, 0);
	cr_assert_eq(c->cr4, 0);
	cr_assert_eq(cpu_x86_get_rflags(c), 2);
	cr_assert_eq(c->regs[X86_RSP], 0);
	cr_assert_eq(c->fpu.mxcsr, 0x1f00, "INIT keeps MXCSR");
	cr_assert_eq(c->idtr.limit, 0xffff);
	cr_assert_eq(c->cpl, 0);
	cr_assert(!cpu_x86_long_mode(c));
}

Test(x86_realmode, linux_style_trampoline_reaches_long_mode)
{
	struct cpu_x86 *c = vm.c;
	run_sipi(X86T_CODE_OF(t_rm_sipi));
	cr_assert(cpu_x86_code64(c));
	cr_assert_eq(c->seg[X86_SEG_CS].sel, 0x10);
	cr_assert_eq(c->seg[X86_SEG_DS].sel, 0x18);
	cr_assert_eq(c->seg[X86_SEG_SS].sel, 0x18);
	cr_assert_eq(c->regs[X86_R8], 0x5a5a);
	cr_assert_eq(c->regs[X86_R9], 0x77);
	cr_assert_eq(c->regs[X86_RSP], 0x9000, "rsp 0x%llx", (unsigned long long)c->regs[X86_RSP]);
	cr_assert_eq(c->regs[X86_RAX], 0x80010033);
	cr_assert_eq(c->gdtr.limit, 31);
	cr_assert(c->gdtr.base > TRAMP && c->gdtr.base < TRAMP + 0x100, "gdt base 0x%llx",
		  (unsigned long long)c->gdtr.base);
	cr_assert_eq(c->idtr.limit, 0);
	cr_assert(c->efer & X86_EFER_LMA);
}

/* ---- 16-bit addressing forms ----------------------------------------------- */

/* Results go to ES = 0x1000 (0x10000); DS = 0x2000, SS = 0x3000 hold a
 * pattern, so a wrong segment or a wrong offset reads a wrong word. */
#define RES 0x10000
#define DSB 0x20000
#define SSB 0x30000

static uint8_t pat(uint64_t la)
{
	return (uint8_t)(la * 7 + (la >> 8) * 13 + (la >> 16));
}

/* clang-format off */
X86T_BLOB(t_rm_modrm,
	".code16\n"
	" mov $0x1000, %ax\n mov %ax, %es\n mov $0x2000, %ax\n mov %ax, %ds\n"
	" mov $0x3000, %ax\n mov %ax, %ss\n"
	" mov $0x1234, %bx\n mov $0x0456, %si\n mov $0xff00, %di\n mov $0xfe80, %bp\n"
	" mov (%bx,%si), %ax\n mov %ax, %es:0\n"
	" mov (%bx,%di), %ax\n mov %ax, %es:2\n"
	" mov (%bp,%si), %ax\n mov %ax, %es:4\n"
	" mov (%bp,%di), %ax\n mov %ax, %es:6\n"
	" mov (%si), %ax\n mov %ax, %es:8\n"
	" mov (%di), %ax\n mov %ax, %es:10\n"
	" mov 0x5678, %cx\n mov %cx, %es:12\n"
	" mov (%bx), %ax\n mov %ax, %es:14\n"
	" mov 0x7f(%bx,%si), %ax\n mov %ax, %es:16\n"
	" mov -0x10(%bx,%di), %ax\n mov %ax, %es:18\n"
	" mov 0x11(%bp,%si), %ax\n mov %ax, %es:20\n"
	" mov -0x80(%bp,%di), %ax\n mov %ax, %es:22\n"
	" mov 0x33(%si), %ax\n mov %ax, %es:24\n"
	" mov -1(%di), %ax\n mov %ax, %es:26\n"
	" mov 0x44(%bp), %ax\n mov %ax, %es:28\n"
	" mov 0x55(%bx), %ax\n mov %ax, %es:30\n"
	" mov 0x8000(%bx,%si), %ax\n mov %ax, %es:32\n"
	" mov 0xf000(%bx,%di), %ax\n mov %ax, %es:34\n"
	" mov 0x0200(%bp,%si), %ax\n mov %ax, %es:36\n"
	" mov 0x9abc(%bp,%di), %ax\n mov %ax, %es:38\n"
	" mov 0x4321(%si), %ax\n mov %ax, %es:40\n"
	" mov 0x0101(%di), %ax\n mov %ax, %es:42\n"
	" mov 0x0abc(%bp), %ax\n mov %ax, %es:44\n"
	" mov 0x7ff0(%bx), %ax\n mov %ax, %es:46\n"
	" mov %ds:(%bp,%si), %ax\n mov %ax, %es:48\n"
	" mov %ss:(%bx,%si), %ax\n mov %ax, %es:50\n"
	" mov (%ebx,%esi,2), %ax\n mov %ax, %es:52\n"
	" mov 0x10(%ebp), %ax\n mov %ax, %es:54\n"
	" mov (%bx,%si), %eax\n mov %eax, %es:56\n"
	" lea 0x7f(%bp,%di), %ax\n mov %ax, %es:60\n"
	" vmcall\n"
	".code64\n");
/* clang-format on */

struct rm_form {
	const char *name;
	int base, index; /* X86_R.. or -1 */
	int32_t disp;
	bool ss; /* the segment used */
	unsigned scale;
};

Test(x86_realmode, every_16bit_addressing_form)
{
	static const struct rm_form forms[] = {
		{ "[bx+si]", X86_RBX, X86_RSI, 0, false, 0 },
		{ "[bx+di]", X86_RBX, X86_RDI, 0, false, 0 },
		{ "[bp+si]", X86_RBP, X86_RSI, 0, true, 0 },
		{ "[bp+di]", X86_RBP, X86_RDI, 0, true, 0 },
		{ "[si]", X86_RSI, -1, 0, false, 0 },
		{ "[di]", X86_RDI, -1, 0, false, 0 },
		{ "[disp16]", -1, -1, 0x5678, false, 0 },
		{ "[bx]", X86_RBX, -1, 0, false, 0 },
		{ "[bx+si+d8]", X86_RBX, X86_RSI, 0x7f, false, 0 },
		{ "[bx+di+d8]", X86_RBX, X86_RDI, -0x10, false, 0 },
		{ "[bp+si+d8]", X86_RBP, X86_RSI, 0x11, true, 0 },
		{ "[bp+di+d8]", X86_RBP, X86_RDI, -0x80, true, 0 },
		{ "[si+d8]", X86_RSI, -1, 0x33, false, 0 },
		{ "[di+d8]", X86_RDI, -1, -1, false, 0 },
		{ "[bp+d8]", X86_RBP, -1, 0x44, true, 0 },
		{ "[bx+d8]", X86_RBX, -1, 0x55, false, 0 },
		{ "[bx+si+d16]", X86_RBX, X86_RSI, 0x8000, false, 0 },
		{ "[bx+di+d16]", X86_RBX, X86_RDI, 0xf000, false, 0 },
		{ "[bp+si+d16]", X86_RBP, X86_RSI, 0x0200, true, 0 },
		{ "[bp+di+d16]", X86_RBP, X86_RDI, 0x9abc, true, 0 },
		{ "[si+d16]", X86_RSI, -1, 0x4321, false, 0 },
		{ "[di+d16]", X86_RDI, -1, 0x0101, false, 0 },
		{ "[bp+d16]", X86_RBP, -1, 0x0abc, true, 0 },
		{ "[bx+d16]", X86_RBX, -1, 0x7ff0, false, 0 },
		{ "ds:[bp+si]", X86_RBP, X86_RSI, 0, false, 0 },
		{ "ss:[bx+si]", X86_RBX, X86_RSI, 0, true, 0 },
		{ "a32 [ebx+esi*2]", X86_RBX, X86_RSI, 0, false, 1 },
		{ "a32 [ebp+0x10]", X86_RBP, -1, 0x10, true, 0 },
	};
	uint64_t regs[16] = { 0 };
	uint8_t *buf = malloc(0x20000);
	cr_assert_not_null(buf);
	for (uint64_t la = DSB; la < DSB + 0x20000; la++)
		buf[la - DSB] = pat(la);
	x86_vm_put(&vm, DSB, buf, 0x20000);
	free(buf);
	regs[X86_RBX] = 0x1234;
	regs[X86_RSI] = 0x0456;
	regs[X86_RDI] = 0xff00;
	regs[X86_RBP] = 0xfe80;

	run_sipi(X86T_CODE_OF(t_rm_modrm));
	for (size_t i = 0; i < SV_ARRAY_SIZE(forms); i++) {
		const struct rm_form *f = &forms[i];
		uint64_t ea = (uint64_t)(int64_t)f->disp;
		if (f->base >= 0)
			ea += regs[f->base];
		if (f->index >= 0)
			ea += regs[f->index] << f->scale;
		/* 16-bit addressing wraps at 64 KiB (SDM 3.3.6); the 32-bit
		 * forms here stay below it. */
		ea &= 0xffff;
		uint64_t la = (f->ss ? SSB : DSB) + ea;
		uint16_t want = (uint16_t)(pat(la) | pat(la + 1) << 8);
		cr_expect_eq(get16(RES + 2 * i), want, "%s: got 0x%04x, want 0x%04x (la 0x%llx)",
			     f->name, get16(RES + 2 * i), want, (unsigned long long)la);
	}
	uint64_t la = DSB + ((0x1234 + 0x456) & 0xffff);
	uint32_t d = pat(la) | pat(la + 1) << 8 | pat(la + 2) << 16 | (uint32_t)pat(la + 3) << 24;
	cr_expect_eq((uint32_t)x86_vm_get64(&vm, RES + 56), d, "66: 32-bit operand");
	cr_expect_eq(get16(RES + 60), (0xfe80 + 0xff00 + 0x7f) & 0xffff, "lea wraps");
}

/* ---- interrupts, far transfers, segments, CR0.PE both ways --------------------- */

/* clang-format off */
X86T_BLOB(t_rm_misc,
	".code16\n"
	"rmm0: xor %ax, %ax\n mov %ax, %ds\n mov %ax, %ss\n mov $0x7000, %sp\n"
	" movw $(rmm_h21 - rmm0), 0x84\n movw $0x0800, 0x86\n"
	" movw $(rmm_hde - rmm0), 0x0\n movw $0x0800, 0x2\n"
	" mov $0x1000, %ax\n mov %ax, %es\n"
	/* INT 21h: the handler runs with IF clear, IRET restores it. */
	" sti\n mov $0x11, %cx\n int $0x21\n"
	" pushf\n pop %ax\n mov %ax, %es:0\n mov %cx, %es:2\n mov %dx, %es:4\n cli\n"
	/* #DE through vector 0: the handler skips the 2-byte DIV. */
	" xor %bl, %bl\n mov $5, %ax\n div %bl\n"
	" mov %sp, %es:0x3e\n"
	/* Far CALL into another segment, far RET back. */
	" lcall $0x07ff, $(rmm_fc - rmm0 + 0x10)\n"
	" mov %cs, %es:10\n"
	/* PUSH/POP Sreg, LDS, XLAT. */
	" push %es\n pop %fs\n mov %fs, %es:12\n"
	" push %cs\n pop %ds\n"
	" lds rmm_ptr - rmm0, %si\n mov %ds, %es:14\n mov %si, %es:16\n"
	" push %cs\n pop %ds\n mov $(rmm_tbl - rmm0), %bx\n mov $3, %al\n xlat\n mov %al, %es:18\n"
	/* A short JMP at IP 0xfff0 of CS 0x0100 wraps to IP 0x0010. */
	" movw $0x1eeb, %es:0x0ff0\n"
	" mov $0x0100, %ax\n mov %ax, %fs\n"
	" movb $0xea, %fs:0x10\n movw $(rmm_back - rmm0), %fs:0x11\n movw $0x0800, %fs:0x13\n"
	" ljmp $0x0100, $0xfff0\n"
	"rmm_back: movw $0x3a3a, %es:0x1a\n"
	/* LGDT: 16-bit operand size keeps 24 bits of the base. */
	" lgdtw rmm_gd - rmm0\n sgdtl %es:0x20\n"
	" lgdtl rmm_gd - rmm0\n sgdtl %es:0x28\n"
	/* Protected mode with a 16-bit code segment (base 0x8000, so the
	 * offsets stay), and back. */
	" lgdtl rmm_gdt - rmm0\n"
	" mov %cr0, %eax\n or $1, %eax\n mov %eax, %cr0\n"
	" ljmp $0x08, $(rmm_pm16 - rmm0)\n"
	"rmm_pm16: mov $0x10, %ax\n mov %ax, %es\n movw $0x1616, %es:0x30\n"
	" mov %cr0, %eax\n mov %ax, %es:0x32\n"
	" and $~1, %eax\n mov %eax, %cr0\n"
	" ljmp $0x0800, $(rmm_rm2 - rmm0)\n"
	"rmm_rm2: mov $0x1000, %ax\n mov %ax, %es\n mov %cr0, %eax\n mov %ax, %es:0x34\n"
	" mov %cs, %es:0x36\n movw $0x4242, %es:0x38\n"
	" vmcall\n"
	"rmm_h21: add $0x100, %cx\n pushf\n pop %dx\n iret\n"
	"rmm_hde: push %bp\n mov %sp, %bp\n addw $2, 2(%bp)\n movw $0xde, %es:6\n pop %bp\n iret\n"
	"rmm_fc: mov %cs, %es:8\n lret\n"
	"rmm_ptr: .word 0x1234, 0x2000\n"
	"rmm_tbl: .byte 0x10, 0x11, 0x12, 0x13, 0x14\n"
	"rmm_gd: .word 0x1234\n .long 0xaabbccdd\n"
	".balign 8\n"
	"rmm_gdt: .word 0x17\n .long 0x8000 + rmm_gdt - rmm0\n .word 0\n"
	" .quad 0x00009b008000ffff\n .quad 0x000093010000ffff\n"
	".code64\n");
/* clang-format on */

Test(x86_realmode, ivt_far_transfers_segments_and_pe_round_trip)
{
	run_sipi(X86T_CODE_OF(t_rm_misc));
	cr_expect(get16(RES + 0) & X86_FLAG_IF, "IRET restores IF");
	cr_expect_eq(get16(RES + 2), 0x111, "INT 21h ran its handler");
	cr_expect_eq(get16(RES + 4) & X86_FLAG_IF, 0, "the handler runs with IF = 0");
	cr_expect_eq(get16(RES + 6), 0xde, "#DE went through vector 0");
	cr_expect_eq(get16(RES + 0x3e), 0x7000, "the stack is balanced");
	cr_expect_eq(get16(RES + 8), 0x07ff, "far CALL loaded CS");
	cr_expect_eq(get16(RES + 10), 0x0800, "far RET restored CS");
	cr_expect_eq(get16(RES + 12), 0x1000, "PUSH ES / POP FS");
	cr_expect_eq(get16(RES + 14), 0x2000, "LDS segment");
	cr_expect_eq(get16(RES + 16), 0x1234, "LDS offset");
	cr_expect_eq(get16(RES + 18) & 0xff, 0x13, "XLAT");
	cr_expect_eq(get16(RES + 0x1a), 0x3a3a, "the JMP wrapped within the segment");
	cr_expect_eq(get16(RES + 0x20), 0x1234);
	cr_expect_eq((uint32_t)(x86_vm_get64(&vm, RES + 0x22)), 0x00bbccdd, "LGDT o16: 24 bits");
	cr_expect_eq((uint32_t)(x86_vm_get64(&vm, RES + 0x2a)), 0xaabbccdd, "LGDT o32: 32 bits");
	cr_expect_eq(get16(RES + 0x30), 0x1616, "16-bit protected mode, ES base 0x10000");
	cr_expect_eq(get16(RES + 0x32) & 1, 1, "CR0.PE was set");
	cr_expect_eq(get16(RES + 0x34) & 1, 0, "CR0.PE is clear again");
	cr_expect_eq(get16(RES + 0x36), 0x0800);
	cr_expect_eq(get16(RES + 0x38), 0x4242);
	cr_expect(!(vm.c->cr0 & X86_CR0_PE));
	cr_expect_eq(vm.c->seg[X86_SEG_CS].base, 0x8000);
}
