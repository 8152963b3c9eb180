/*
 * The software VMCS: field storage, the guest-state view of the live CPU,
 * the MSR and I/O bitmaps, exit names, and the VM-exit choke point
 * cpu_x86_vmexit() (SDM 27.2: recording VM-exit information).
 */
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"

const char *vmx_exit_name(uint32_t reason)
{
	switch (reason & 0xffff) {
#define VMX_EXIT_NAME(name, num)                                                                   \
	case num: return #name;
		VMX_EXIT_REASONS(VMX_EXIT_NAME)
#undef VMX_EXIT_NAME
	default: return "UNKNOWN";
	}
}

void vmcs_set(struct vmcs *v, uint32_t field, uint64_t val)
{
	unsigned w, t, i;
	if (!vmcs_field_slot(field, &w, &t, &i))
		return;
	uint64_t *p = &v->fields[w][t][i];
	if (w == 1 && (field & 1)) {
		*p = (*p & 0xffffffffull) | (val << 32);
		return;
	}
	switch (w) {
	case 0: *p = val & 0xffff; break;
	case 2: *p = val & 0xffffffff; break;
	default: *p = val; break;
	}
	if (field == CPU_BASED_VM_EXEC_CONTROL)
		v->mtf = (val & CPU_BASED_MONITOR_TRAP_FLAG) != 0;
}

/* SDM 24.6.9: read-low, read-high, write-low, write-high kilobytes. */
static int vmcs_msr_bit(uint32_t msr, bool write)
{
	int base;
	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000u && msr <= 0xc0001fffu)
		base = 1024 * 8;
	else
		return -1;
	return base + (write ? 2048 * 8 : 0) + (int)(msr & 0x1fff);
}

bool vmcs_msr_intercept(struct vmcs *v, uint32_t msr, bool read, bool write)
{
	int r = vmcs_msr_bit(msr, false), wb = vmcs_msr_bit(msr, true);
	if (r < 0)
		return false;
	if (read)
		v->msr_bitmap[r / 8] |= (uint8_t)(1u << (r % 8));
	else
		v->msr_bitmap[r / 8] &= (uint8_t) ~(1u << (r % 8));
	if (write)
		v->msr_bitmap[wb / 8] |= (uint8_t)(1u << (wb % 8));
	else
		v->msr_bitmap[wb / 8] &= (uint8_t) ~(1u << (wb % 8));
	return true;
}

/* SDM 25.1.3: RDMSR/WRMSR exit if MSR bitmaps are off, if ECX is outside
 * both ranges, or if the bitmap bit is set. */
bool vmcs_msr_exits(const struct vmcs *v, uint32_t msr, bool write)
{
	uint32_t ctl = (uint32_t)vmcs_get(v, CPU_BASED_VM_EXEC_CONTROL);
	if (!(ctl & CPU_BASED_USE_MSR_BITMAPS))
		return true;
	int b = vmcs_msr_bit(msr, write);
	if (b < 0)
		return true;
	return (v->msr_bitmap[b / 8] >> (b % 8)) & 1;
}

void vmcs_io_intercept(struct vmcs *v, uint16_t port, bool on)
{
	uint8_t *bm = port < 0x8000 ? v->io_bitmap_a : v->io_bitmap_b;
	unsigned b = port & 0x7fff;
	if (on)
		bm[b / 8] |= (uint8_t)(1u << (b % 8));
	else
		bm[b / 8] &= (uint8_t) ~(1u << (b % 8));
}

/* SDM 25.1.3: unconditional I/O exiting unless I/O bitmaps are used; with
 * bitmaps, any byte of the access with its bit set (or wrapping past 0xffff)
 * exits. */
bool vmcs_io_exits(const struct vmcs *v, uint16_t port, unsigned size)
{
	uint32_t ctl = (uint32_t)vmcs_get(v, CPU_BASED_VM_EXEC_CONTROL);
	if (!(ctl & CPU_BASED_USE_IO_BITMAPS))
		return (ctl & CPU_BASED_UNCOND_IO_EXITING) != 0;
	for (unsigned k = 0; k < size; k++) {
		uint32_t p = (uint32_t)port + k;
		if (p > 0xffff)
			return true;
		const uint8_t *bm = p < 0x8000 ? v->io_bitmap_a : v->io_bitmap_b;
		unsigned b = p & 0x7fff;
		if ((bm[b / 8] >> (b % 8)) & 1)
			return true;
	}
	return false;
}

/* Guest-state segment fields: selector 0x0800+2s, limit 0x4800+2s,
 * access rights 0x4814+2s, base 0x6806+2s. */
static bool vmcs_guest_seg(struct cpu_x86 *c, uint32_t field, uint64_t **p64, uint16_t **p16,
			   uint32_t **p32)
{
	unsigned s;
	*p64 = NULL;
	*p16 = NULL;
	*p32 = NULL;
	if (field >= GUEST_ES_SELECTOR && field <= GUEST_TR_SELECTOR && !(field & 1)) {
		s = (field - GUEST_ES_SELECTOR) / 2;
		*p16 = &c->seg[s].sel;
	} else if (field >= GUEST_ES_LIMIT && field <= GUEST_TR_LIMIT && !(field & 1)) {
		s = (field - GUEST_ES_LIMIT) / 2;
		*p32 = &c->seg[s].limit;
	} else if (field >= GUEST_ES_AR_BYTES && field <= GUEST_TR_AR_BYTES && !(field & 1)) {
		s = (field - GUEST_ES_AR_BYTES) / 2;
		*p32 = &c->seg[s].attr;
	} else if (field >= GUEST_ES_BASE && field <= GUEST_TR_BASE && !(field & 1)) {
		s = (field - GUEST_ES_BASE) / 2;
		*p64 = &c->seg[s].base;
	} else {
		return false;
	}
	return true;
}

uint64_t cpu_x86_vmcs_read(struct cpu_x86 *c, uint32_t field)
{
	uint64_t *p64;
	uint16_t *p16;
	uint32_t *p32;
	if (vmcs_guest_seg(c, field, &p64, &p16, &p32))
		return p64 ? *p64 : p16 ? *p16 : *p32;
	switch (field) {
	case GUEST_RIP: return c->rip;
	case GUEST_RSP: return c->regs[X86_RSP];
	case GUEST_RFLAGS: return cpu_x86_get_rflags(c);
	case GUEST_CR0: return c->cr0;
	case GUEST_CR3: return c->cr3;
	case GUEST_CR4: return c->cr4;
	case GUEST_IA32_EFER: return c->efer;
	case GUEST_IA32_PAT: return c->pat;
	case GUEST_GDTR_BASE: return c->gdtr.base;
	case GUEST_GDTR_LIMIT: return c->gdtr.limit;
	case GUEST_IDTR_BASE: return c->idtr.base;
	case GUEST_IDTR_LIMIT: return c->idtr.limit;
	case GUEST_SYSENTER_CS: return c->sysenter_cs;
	case GUEST_SYSENTER_ESP: return c->sysenter_esp;
	case GUEST_SYSENTER_EIP: return c->sysenter_eip;
	case GUEST_DR7: return c->dr7;
	case GUEST_INTERRUPTIBILITY_INFO:
		return (c->intr_shadow && c->cpu.icount < c->intr_shadow_icount ?
				GUEST_INTR_STATE_STI :
				0) |
		       (c->nmi_blocked ? GUEST_INTR_STATE_NMI : 0);
	case GUEST_ACTIVITY_STATE: return c->cpu.halted ? 1 : 0;
	default: return vmcs_get(&c->vmcs, field);
	}
}

void cpu_x86_vmcs_write(struct cpu_x86 *c, uint32_t field, uint64_t v)
{
	uint64_t *p64;
	uint16_t *p16;
	uint32_t *p32;
	if (vmcs_guest_seg(c, field, &p64, &p16, &p32)) {
		if (p64)
			*p64 = v;
		else if (p16)
			*p16 = (uint16_t)v;
		else
			*p32 = (uint32_t)v;
		/* hv writes between cpu_exec calls: the next TB lookup sees
		 * the new mode through the TB flags. */
		cpu_x86_update_mode(c);
		return;
	}
	switch (field) {
	case GUEST_RIP: c->rip = v; break;
	case GUEST_RSP: c->regs[X86_RSP] = v; break;
	case GUEST_RFLAGS: cpu_x86_set_rflags(c, v); break;
	case GUEST_CR0:
		c->cr0 = v;
		cpu_x86_update_mode(c);
		cpu_x86_tlb_flush_all(c);
		break;
	case GUEST_CR3:
		c->cr3 = v;
		cpu_x86_tlb_flush_all(c);
		break;
	case GUEST_CR4:
		c->cr4 = v;
		cpu_x86_update_mode(c);
		cpu_x86_tlb_flush_all(c);
		break;
	case GUEST_IA32_EFER:
		c->efer = v;
		cpu_x86_update_mode(c);
		cpu_x86_tlb_flush_all(c);
		break;
	case GUEST_IA32_PAT: c->pat = v; break;
	case GUEST_GDTR_BASE: c->gdtr.base = v; break;
	case GUEST_GDTR_LIMIT: c->gdtr.limit = (uint32_t)v; break;
	case GUEST_IDTR_BASE: c->idtr.base = v; break;
	case GUEST_IDTR_LIMIT: c->idtr.limit = (uint32_t)v; break;
	case GUEST_SYSENTER_CS: c->sysenter_cs = v; break;
	case GUEST_SYSENTER_ESP: c->sysenter_esp = v; break;
	case GUEST_SYSENTER_EIP: c->sysenter_eip = v; break;
	case GUEST_DR7: c->dr7 = v; break;
	case GUEST_INTERRUPTIBILITY_INFO:
		c->intr_shadow = (v & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) != 0;
		c->nmi_blocked = (v & GUEST_INTR_STATE_NMI) != 0;
		break;
	case GUEST_ACTIVITY_STATE: c->cpu.halted = v == 1; break;
	case PIN_BASED_VM_EXEC_CONTROL:
	case CPU_BASED_VM_EXEC_CONTROL:
	case VMX_PREEMPTION_TIMER_VALUE: {
		/* Turning MTF or the preemption timer on, or loading the
		 * timer: they count from the next entry. */
		uint64_t trap = field == PIN_BASED_VM_EXEC_CONTROL ?
					PIN_BASED_VMX_PREEMPTION_TIMER :
				field == CPU_BASED_VM_EXEC_CONTROL ? CPU_BASED_MONITOR_TRAP_FLAG :
								     ~0ull;
		if ((vmcs_get(&c->vmcs, field) ^ v) & trap || field == VMX_PREEMPTION_TIMER_VALUE)
			c->vm_entered = false;
		vmcs_set(&c->vmcs, field, v);
		break;
	}
	default: vmcs_set(&c->vmcs, field, v); break;
	}
}

/*
 * The choke point of every VM exit (SDM 27.2). The caller has stored the
 * exit-specific information fields (interruption info, guest-physical and
 * linear addresses) before. GUEST_RIP is the exiting instruction: hv advances
 * it by insn_len when it emulates the instruction.
 */
void cpu_x86_vmexit(struct cpu_x86 *c, uint32_t reason, uint64_t qual, uint64_t rip,
		    uint32_t insn_len)
{
	struct vmcs *v = &c->vmcs;
	vmcs_set(v, VM_EXIT_REASON, reason);
	/* SDM 27.3.4: the timer's rest, if asked for (0 after it expired). */
	if ((vmcs_get(v, PIN_BASED_VM_EXEC_CONTROL) & PIN_BASED_VMX_PREEMPTION_TIMER) &&
	    (vmcs_get(v, VM_EXIT_CONTROLS) & VM_EXIT_SAVE_VMX_PREEMPTION_TIMER) && c->vm_entered) {
		uint64_t left = c->preempt_deadline > c->cpu.icount ?
					c->preempt_deadline - c->cpu.icount :
					0;
		vmcs_set(v, VMX_PREEMPTION_TIMER_VALUE, left >> VMX_PREEMPTION_TIMER_RATE);
	}
	c->vm_entered = false;
	vmcs_set(v, EXIT_QUALIFICATION, qual);
	vmcs_set(v, VM_EXIT_INSTRUCTION_LEN, insn_len);
	c->rip = rip;
	c->cpu.exit.kind = CPU_EXIT_VMX;
	c->cpu.exit.reason = reason;
	c->cpu.exit.qualification = qual;
	c->cpu.exit.pc = rip;
	c->cpu.exit.insn_len = insn_len;
	c->cpu.exit.gla = vmcs_get(v, GUEST_LINEAR_ADDRESS);
	c->cpu.exit.gpa = vmcs_get(v, GUEST_PHYSICAL_ADDRESS);
}

void cpu_x86_vmexit_now(struct cpu_x86 *c, uint32_t reason, uint64_t qual, uint64_t rip,
			uint32_t insn_len)
{
	cpu_x86_vmexit(c, reason, qual, rip, insn_len);
	cpu_loop_exit_exit(&c->cpu);
}
