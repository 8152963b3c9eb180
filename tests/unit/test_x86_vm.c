/*
 * The x86 test machine (see test_x86.h).
 */
#include <criterion/criterion.h>

#include "test_x86.h"

void x86_vm_init(struct x86_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	cr_assert_eq(machmem_init(&vm->mem, 4 * X86T_RAM_PAGES * SV_PAGE_SIZE), 0);
	vm->p2m = p2m_new(&vm->mem, 1);
	cr_assert_not_null(vm->p2m);
	cr_assert_eq(p2m_populate_ram(vm->p2m, 0, X86T_RAM_PAGES), 0);
	vm->tbc = tb_cache_new(vm->p2m, &backend_threaded);
	cr_assert_not_null(vm->tbc);
	vm->c = cpu_x86_new(vm->p2m, vm->tbc, 0);
	cr_assert_not_null(vm->c);
}

void x86_vm_destroy(struct x86_vm *vm)
{
	cpu_x86_free(vm->c);
	tb_cache_free(vm->tbc);
	p2m_destroy(vm->p2m);
	machmem_destroy(&vm->mem);
}

void x86_vm_put(struct x86_vm *vm, uint64_t gpa, const void *bytes, size_t len)
{
	cr_assert_eq(p2m_copy_to(vm->p2m, gpa, bytes, len), 0);
}

uint64_t x86_vm_get64(struct x86_vm *vm, uint64_t gpa)
{
	uint8_t b[8];
	cr_assert_eq(p2m_copy_from(vm->p2m, b, gpa, 8), 0);
	return ld64_le_p(b);
}

static void x86_vm_put64(struct x86_vm *vm, uint64_t gpa, uint64_t v)
{
	uint8_t b[8];
	st64_le_p(b, v);
	x86_vm_put(vm, gpa, b, 8);
}

void x86_vm_long_mode(struct x86_vm *vm)
{
	struct cpu_x86 *c = vm->c;
	/* PML4[0] -> PDPT at 0x2000, PDPT[0] -> PD at 0x3000, PD: 512 x 2 MiB. */
	x86_vm_put64(vm, 0x1000, 0x2000 | 0x7);
	x86_vm_put64(vm, 0x2000, 0x3000 | 0x7);
	for (uint64_t i = 0; i < 512; i++)
		x86_vm_put64(vm, 0x3000 + 8 * i, (i << 21) | 0x87);
	/* GDT: null, 64-bit code (0x08), data (0x10), 32-bit code (0x18). */
	x86_vm_put64(vm, X86T_GDT + 0x00, 0);
	x86_vm_put64(vm, X86T_GDT + 0x08, 0x00af9b000000ffffull);
	x86_vm_put64(vm, X86T_GDT + 0x10, 0x00cf93000000ffffull);
	x86_vm_put64(vm, X86T_GDT + 0x18, 0x00cf9b000000ffffull);
	c->gdtr.base = X86T_GDT;
	c->gdtr.limit = 0x1f;
	c->idtr.base = 0;
	c->idtr.limit = 0;
	c->cr4 = X86_CR4_PAE;
	c->cr3 = 0x1000;
	c->efer = X86_EFER_LME | X86_EFER_NXE;
	c->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_PG | X86_CR0_WP;
	c->seg[X86_SEG_CS] = (struct x86_seg){ 0x08, 0, 0xffffffff,
					       0xb | X86_SEG_ATTR_S | X86_SEG_ATTR_P |
						       X86_SEG_ATTR_L | X86_SEG_ATTR_G };
	for (unsigned s = 0; s < 6; s++) {
		if (s == X86_SEG_CS)
			continue;
		c->seg[s] = (struct x86_seg){ 0x10, 0, 0xffffffff,
					      0x3 | X86_SEG_ATTR_S | X86_SEG_ATTR_P |
						      X86_SEG_ATTR_DB | X86_SEG_ATTR_G };
	}
	c->seg[X86_SEG_TR] = (struct x86_seg){ 0x20, X86T_TSS, 0x67, X86_SEG_ATTR_P | 0xb };
	cpu_x86_update_mode(c);
	cpu_tlb_flush(&c->cpu);
	c->regs[X86_RSP] = X86T_STACK;
	cpu_x86_set_rflags(c, 0x2);
}

void x86_vm_code(struct x86_vm *vm, uint64_t gpa, const void *bytes, size_t len)
{
	x86_vm_put(vm, gpa, bytes, len);
	vm->c->rip = gpa;
}

enum cpu_stop x86_vm_run(struct x86_vm *vm)
{
	return cpu_exec(&vm->c->cpu, 100000);
}

void x86_vm_idt64(struct x86_vm *vm, unsigned vector, uint64_t handler, unsigned ist)
{
	uint64_t lo = (handler & 0xffff) | (0x08ull << 16) | ((uint64_t)(ist & 7) << 32) |
		      (0x8eull << 40) | ((handler >> 16) & 0xffff) << 48;
	x86_vm_put64(vm, X86T_IDT + 16 * vector, lo);
	x86_vm_put64(vm, X86T_IDT + 16 * vector + 8, handler >> 32);
	vm->c->idtr.base = X86T_IDT;
	vm->c->idtr.limit = 16 * 256 - 1;
}

void x86_vm_diff_init(struct x86_vm *vm)
{
	x86_vm_init(vm);
	x86_vm_long_mode(vm);
	vm->c->cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
}

uint64_t x86_vm_diff_put(struct x86_vm *vm, size_t k, size_t slot, const uint8_t *code,
			 const uint8_t *end, const uint8_t *tail, size_t tail_len)
{
	size_t len = (size_t)(end - code);
	uint64_t at = X86T_CODE + slot * k;

	cr_assert_lt(len + tail_len, slot);
	x86_vm_put(vm, at, code, len);
	x86_vm_put(vm, at + len, tail, tail_len);
	return at;
}

void x86_vm_diff_run(struct x86_vm *vm, uint64_t at, uint64_t rflags, const char *name)
{
	struct cpu_x86 *c = vm->c;

	c->regs[X86_RSP] = X86T_STACK;
	cpu_x86_set_rflags(c, rflags | 0x2);
	c->rip = at;
	enum cpu_stop st = cpu_exec(&c->cpu, 100);
	cr_assert_eq(st, CPU_STOP_EXIT, "%s: stop %d", name, st);
	cr_assert_eq(c->cpu.exit.reason, VMX_EXIT_VMCALL, "%s: exit %u", name, c->cpu.exit.reason);
}
