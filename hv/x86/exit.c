/*
 * The x86 VM-exit handler: the one choke point every exit passes through
 * (trace, stats, dispatch), as Xen's vmx_vmexit_handler.
 *
 * Resuming after an instruction exit means advancing GUEST_RIP by
 * VM_EXIT_INSTRUCTION_LEN, as a hardware hypervisor does.
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"
#include "hv/hypercall.h"
#include "hv/time.h"

#include <inttypes.h>

static void hv_x86_skip_insn(struct cpu_x86 *c)
{
	uint64_t rip = cpu_x86_vmcs_read(c, GUEST_RIP);
	uint64_t len = cpu_x86_vmcs_read(c, VM_EXIT_INSTRUCTION_LEN);

	if (!cpu_x86_long_mode(c))
		rip = (uint32_t)(rip + len);
	else
		rip += len;
	cpu_x86_vmcs_write(c, GUEST_RIP, rip);
	/* The instruction completed: blocking by STI / MOV SS ends with it
	 * (SDM 24.4.2), as when a hypervisor advances RIP on hardware. */
	uint64_t intr = cpu_x86_vmcs_read(c, GUEST_INTERRUPTIBILITY_INFO);

	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		cpu_x86_vmcs_write(c, GUEST_INTERRUPTIBILITY_INFO, intr & GUEST_INTR_STATE_NMI);
}

/* Inject a hardware exception on the next VM entry (SDM 24.8.3). */
static void hv_x86_inject_exception(struct cpu_x86 *c, unsigned vector, bool has_error,
				    uint32_t error)
{
	uint32_t info = INTR_INFO_VALID | (3u << INTR_INFO_TYPE_SHIFT) | vector;

	if (has_error) {
		info |= INTR_INFO_DELIVER_CODE;
		cpu_x86_vmcs_write(c, VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD, info);
}

/*
 * VMCALL: the Xen hypercall ABI. 64-bit mode: rax = nr, rdi rsi rdx r10 r8 r9;
 * 32-bit: eax = nr, ebx ecx edx esi edi ebp. Callers at CPL > 0 get -EPERM
 * (Xen's hvm_hypercall does the same).
 */
static enum hv_exit_action hv_x86_vmcall(struct vcpu *v, struct cpu_x86 *c)
{
	uint64_t *r = c->regs;
	uint64_t args[6];
	uint64_t nr;
	long rc;
	bool wide = cpu_x86_code64(c);

	if (wide) {
		nr = r[X86_RAX];
		args[0] = r[X86_RDI];
		args[1] = r[X86_RSI];
		args[2] = r[X86_RDX];
		args[3] = r[X86_R10];
		args[4] = r[X86_R8];
		args[5] = r[X86_R9];
	} else {
		nr = (uint32_t)r[X86_RAX];
		args[0] = (uint32_t)r[X86_RBX];
		args[1] = (uint32_t)r[X86_RCX];
		args[2] = (uint32_t)r[X86_RDX];
		args[3] = (uint32_t)r[X86_RSI];
		args[4] = (uint32_t)r[X86_RDI];
		args[5] = (uint32_t)r[X86_RBP];
	}
	rc = hv_hypercall_dispatch(v, v->d->hypercalls, nr, args, c->cpl > 0);
	if (v->hcall_preempted) {
		/* A continuation: the same VMCALL again, with the arguments
		 * that describe the rest (rax still holds the number). */
		const uint64_t *a = v->hcall_args;
		if (wide) {
			r[X86_RDI] = a[0];
			r[X86_RSI] = a[1];
			r[X86_RDX] = a[2];
			r[X86_R10] = a[3];
			r[X86_R8] = a[4];
			r[X86_R9] = a[5];
		} else {
			r[X86_RBX] = (uint32_t)a[0];
			r[X86_RCX] = (uint32_t)a[1];
			r[X86_RDX] = (uint32_t)a[2];
			r[X86_RSI] = (uint32_t)a[3];
			r[X86_RDI] = (uint32_t)a[4];
			r[X86_RBP] = (uint32_t)a[5];
		}
	} else {
		r[X86_RAX] = wide ? (uint64_t)rc : (uint32_t)rc;
		hv_x86_skip_insn(c);
	}
	if (v->d->shut_down)
		return HV_STOP;
	return v->blocked ? HV_BLOCK : HV_RESUME;
}

static enum hv_exit_action hv_x86_exit_cpuid(struct vcpu *v, struct cpu_x86 *c)
{
	uint32_t out[4];

	hv_x86_cpuid(v, (uint32_t)c->regs[X86_RAX], (uint32_t)c->regs[X86_RCX], out);
	c->regs[X86_RAX] = out[0];
	c->regs[X86_RBX] = out[1];
	c->regs[X86_RCX] = out[2];
	c->regs[X86_RDX] = out[3];
	hv_x86_skip_insn(c);
	return HV_RESUME;
}

/* RDMSR/WRMSR that exited: the local APIC's, the Xen MSR, or an MSR no one
 * implements (#GP). */
static enum hv_exit_action hv_x86_exit_msr(struct vcpu *v, struct cpu_x86 *c, bool write)
{
	uint32_t msr = (uint32_t)c->regs[X86_RCX];
	uint64_t val = (uint32_t)c->regs[X86_RAX] | (c->regs[X86_RDX] << 32);

	if (hv_x86_apic_msr(msr)) {
		int rc = write ? hv_x86_apic_wrmsr(v, msr, val) : hv_x86_apic_rdmsr(v, msr, &val);

		if (rc < 0) {
			hv_x86_inject_exception(c, X86_EXC_GP, true, 0);
			return HV_RESUME;
		}
		if (!write) {
			c->regs[X86_RAX] = (uint32_t)val;
			c->regs[X86_RDX] = val >> 32;
		}
		hv_x86_skip_insn(c);
		return HV_RESUME;
	}

	if (write && msr == XEN_HYPERCALL_MSR) {
		/* value = gpa of the page | index of the hypercall page (we have
		 * one page: index 0). */
		if ((val & ~SV_PAGE_MASK) != 0 ||
		    hv_x86_write_hypercall_page(v->d, val & SV_PAGE_MASK) < 0) {
			hv_x86_inject_exception(c, 13, true, 0);
			return HV_RESUME;
		}
		hv_x86_skip_insn(c);
		return HV_RESUME;
	}
	if (!write) {
		uint64_t v64;
		if (msr != XEN_HYPERCALL_MSR && cpu_x86_rdmsr(c, msr, &v64)) {
			c->regs[X86_RAX] = (uint32_t)v64;
			c->regs[X86_RDX] = v64 >> 32;
			hv_x86_skip_insn(c);
			return HV_RESUME;
		}
	} else if (msr != XEN_HYPERCALL_MSR && cpu_x86_wrmsr(c, msr, val)) {
		/* The guest moved its TSC: system time must not move with it,
		 * so vcpu_time_info gets a new (tsc_timestamp, system_time)
		 * pair at once, as Xen does for IA32_TSC writes. */
		if (msr == MSR_IA32_TSC)
			hv_time_update_vcpu(v);
		hv_x86_skip_insn(c);
		return HV_RESUME;
	}
	hv_x86_inject_exception(c, 13, true, 0);
	return HV_RESUME;
}

/* XSETBV (SDM 25.1.2: always exits): XCR[ECX] = EDX:EAX as the CPU model
 * allows, else #GP(0), as Xen's hvm_handle_xsetbv. */
static enum hv_exit_action hv_x86_exit_xsetbv(struct cpu_x86 *c)
{
	uint64_t val = (uint32_t)c->regs[X86_RAX] | (c->regs[X86_RDX] << 32);

	if (!cpu_x86_xsetbv(c, (uint32_t)c->regs[X86_RCX], val)) {
		hv_x86_inject_exception(c, 13, true, 0);
		return HV_RESUME;
	}
	hv_x86_skip_insn(c);
	return HV_RESUME;
}

/*
 * Control-register access (SDM 27.2.1 table 27-3: CR number 3:0, access type
 * 5:4, GPR 11:8). Only MOV to/from CR8 is configured to exit: the local
 * APIC's TPR.
 */
/*
 * The CR0 and CR4 read shadows when hv owns bits of them (--intercept=cr0,cr4
 * set every bit in the guest/host masks): the guest's own values, so that it
 * reads what it wrote while every change it makes exits (SDM 25.3: a MOV to
 * CR0/CR4 exits when it would change a host-owned bit from its shadow).
 * Called after hv emulates a CR write and before each VM entry, since hv
 * also changes CR0/CR4 itself (resets, INIT-SIPI, task switches).
 */
void hv_x86_cr_shadows_sync(struct cpu_x86 *c)
{
	if (cpu_x86_vmcs_read(c, CR0_GUEST_HOST_MASK))
		cpu_x86_vmcs_write(c, CR0_READ_SHADOW, c->cr0);
	if (cpu_x86_vmcs_read(c, CR4_GUEST_HOST_MASK))
		cpu_x86_vmcs_write(c, CR4_READ_SHADOW, c->cr4);
}

/*
 * Control-register accesses (SDM 27.2.1 table 27-3: the CR in 3:0, the
 * access type in 5:4 - 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW - the GPR
 * in 11:8, LMSW's source data in 31:16). CR8 is the local APIC's TPR. The
 * CR0, CR3 and CR4 exits come from --intercept and are emulated as the CPU
 * would have run the instruction, with its checks (an invalid value is
 * #GP(0), injected); outside 64-bit mode the GPR is 32 bits wide.
 */
static enum hv_exit_action hv_x86_exit_cr(struct vcpu *v, struct cpu_x86 *c, uint64_t qual)
{
	unsigned cr = qual & 15, type = (qual >> 4) & 3, gpr = (qual >> 8) & 15;
	bool wide = cpu_x86_code64(c);
	uint64_t val = wide ? c->regs[gpr] : (uint32_t)c->regs[gpr];
	bool ok;

	if (cr == 8 && type == 0) {
		lapic_set_cr8(hv_x86_lapic(v), c->regs[gpr]);
		ok = true;
	} else if (cr == 8 && type == 1) {
		c->regs[gpr] = lapic_get_cr8(hv_x86_lapic(v));
		ok = true;
	} else if (type == 0 && cr == 0) {
		ok = cpu_x86_set_cr0(c, val);
	} else if (type == 0 && cr == 3) {
		ok = cpu_x86_set_cr3(c, val);
	} else if (type == 0 && cr == 4) {
		ok = cpu_x86_set_cr4(c, val);
	} else if (type == 1 && cr == 3) {
		c->regs[gpr] = wide ? c->cr3 : (uint32_t)c->cr3;
		ok = true;
	} else if (type == 2 && cr == 0) {
		ok = cpu_x86_set_cr0(c, c->cr0 & ~X86_CR0_TS);
	} else if (type == 3 && cr == 0) {
		/* LMSW loads MP EM TS and can set PE but not clear it. */
		uint64_t src = (qual >> 16) & 0xf;

		ok = cpu_x86_set_cr0(c, (c->cr0 & ~0xeull) | (src & 0xe) | ((c->cr0 | src) & 1));
	} else {
		hv_domain_crash(v->d, "unexpected CR-access exit, qualification 0x%" PRIx64, qual);
		return HV_STOP;
	}
	if (!ok) {
		hv_x86_inject_exception(c, X86_EXC_GP, true, 0);
		return HV_RESUME;
	}
	hv_x86_cr_shadows_sync(c);
	hv_x86_skip_insn(c);
	return HV_RESUME;
}

/*
 * I/O instruction (SDM 27.2.1 table 27-5: size - 1 in 2:0, IN 3, string 4,
 * port 31:16). Only the ACPI registers exit; a string instruction there is
 * treated as no device would: skipped.
 */
static enum hv_exit_action hv_x86_exit_io(struct vcpu *v, struct cpu_x86 *c, uint64_t qual)
{
	unsigned size = (qual & 7) + 1;
	bool in = qual & 8, string = qual & 16;
	uint16_t port = (uint16_t)(qual >> 16);
	uint64_t mask = size >= 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;

	if (!string) {
		if (in) {
			uint32_t val = hv_x86_acpi_io_read(v, port, size);
			uint64_t *rax = &c->regs[X86_RAX];

			/* 32-bit IN zero-extends into RAX; narrower ones merge. */
			*rax = size == 4 ? val : (*rax & ~mask) | (val & mask);
		} else {
			hv_x86_acpi_io_write(v, port, size, (uint32_t)(c->regs[X86_RAX] & mask));
		}
	}
	hv_x86_skip_insn(c);
	return v->d->shut_down ? HV_STOP : HV_RESUME;
}

/* SDM 6.15 tables 6-4/6-5: which pairs of exceptions make a double fault. */
enum hv_x86_exc_class {
	EXC_BENIGN,
	EXC_CONTRIBUTORY,
	EXC_PAGE_FAULT,
	EXC_DOUBLE
};

static enum hv_x86_exc_class hv_x86_exc_class(unsigned vector)
{
	switch (vector) {
	case X86_EXC_DE:
	case X86_EXC_TS:
	case X86_EXC_NP:
	case X86_EXC_SS:
	case X86_EXC_GP: return EXC_CONTRIBUTORY;
	case X86_EXC_PF: return EXC_PAGE_FAULT;
	case X86_EXC_DF: return EXC_DOUBLE;
	default: return EXC_BENIGN;
	}
}

/*
 * An exception in the exception bitmap (--intercept=exceptions): hv only
 * watches, so the exception goes back to the guest as it was (Xen's
 * vmx_propagate_intr). #PF: the exit did not load CR2 (its address is the
 * qualification, SDM 27.1), so hv does. If the exception came while
 * delivering another event (IDT-vectoring information, SDM 27.2.4), the
 * two combine as SDM 6.15 table 6-5 says: a double fault, or after a
 * double fault a triple fault.
 */
static enum hv_exit_action hv_x86_exit_exception(struct vcpu *v, struct cpu_x86 *c, uint64_t qual)
{
	uint32_t info = (uint32_t)cpu_x86_vmcs_read(c, VM_EXIT_INTR_INFO);
	uint32_t idtv = (uint32_t)cpu_x86_vmcs_read(c, IDT_VECTORING_INFO_FIELD);
	unsigned vector = info & INTR_INFO_VECTOR_MASK;
	unsigned type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;

	if (!(info & INTR_INFO_VALID)) {
		hv_domain_crash(v->d, "exception exit without an exception");
		return HV_STOP;
	}
	if ((idtv & INTR_INFO_VALID) && type == X86_EVENT_HW_EXC &&
	    ((idtv & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT) == X86_EVENT_HW_EXC) {
		enum hv_x86_exc_class first = hv_x86_exc_class(idtv & INTR_INFO_VECTOR_MASK);
		enum hv_x86_exc_class second = hv_x86_exc_class(vector);

		if (first == EXC_DOUBLE && second != EXC_BENIGN) {
			hv_domain_crash(v->d, "triple fault at rip=0x%" PRIx64,
					cpu_x86_vmcs_read(c, GUEST_RIP));
			return HV_STOP;
		}
		if ((first == EXC_CONTRIBUTORY && second == EXC_CONTRIBUTORY) ||
		    (first == EXC_PAGE_FAULT && second != EXC_BENIGN)) {
			hv_x86_inject_exception(c, X86_EXC_DF, true, 0);
			return HV_RESUME;
		}
	}
	if (vector == X86_EXC_PF && type == X86_EVENT_HW_EXC)
		c->cr2 = qual;
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD,
			   INTR_INFO_VALID | (info & (INTR_INFO_TYPE_MASK | INTR_INFO_VECTOR_MASK |
						      INTR_INFO_DELIVER_CODE)));
	cpu_x86_vmcs_write(c, VM_ENTRY_EXCEPTION_ERROR_CODE,
			   cpu_x86_vmcs_read(c, VM_EXIT_INTR_ERROR_CODE));
	/* Software exceptions (INT3, INTO) push the next instruction. */
	cpu_x86_vmcs_write(c, VM_ENTRY_INSTRUCTION_LEN,
			   cpu_x86_vmcs_read(c, VM_EXIT_INSTRUCTION_LEN));
	return HV_RESUME;
}

/* RDTSC / RDTSCP (--intercept=rdtsc): the TSC the guest would have read. */
static enum hv_exit_action hv_x86_exit_rdtsc(struct cpu_x86 *c, bool rdtscp)
{
	uint64_t tsc = cpu_x86_rdtsc(c);

	c->regs[X86_RAX] = (uint32_t)tsc;
	c->regs[X86_RDX] = tsc >> 32;
	if (rdtscp)
		c->regs[X86_RCX] = (uint32_t)c->tsc_aux;
	hv_x86_skip_insn(c);
	return HV_RESUME;
}

/* INVLPG (qualification: the linear address) and INVPCID (--intercept=
 * invlpg). INVPCID flushes everything, which every type allows (SDM
 * 4.10.4.1: invalidating more is always permitted). */
static enum hv_exit_action hv_x86_exit_invlpg(struct cpu_x86 *c, uint64_t qual, bool pcid)
{
	if (pcid)
		cpu_x86_tlb_invpcid(c, 2, 0, 0);
	else
		cpu_x86_tlb_invlpg(c, qual);
	hv_x86_skip_insn(c);
	return HV_RESUME;
}

/*
 * MOV to/from a debug register (--intercept=mov-dr; SDM 27.2.1 table 27-4:
 * DR number 2:0, direction 4 (1 = from DR), GPR 11:8). The CPU checked
 * CR4.DE and CPL before the exit; hv applies the move as the CPU would
 * (DR4/DR5 alias DR6/DR7, their reserved bits).
 */
static enum hv_exit_action hv_x86_exit_dr(struct cpu_x86 *c, uint64_t qual)
{
	unsigned dr = qual & 7, gpr = (qual >> 8) & 15;
	bool from = qual & 16;

	if (dr == 4 || dr == 5)
		dr += 2;
	if (from) {
		uint64_t val = dr < 4 ? c->dr[dr] : dr == 6 ? c->dr6 : c->dr7;

		c->regs[gpr] = cpu_x86_long_mode(c) ? val : (uint32_t)val;
	} else {
		uint64_t val = c->regs[gpr];

		if (!cpu_x86_long_mode(c))
			val = (uint32_t)val;
		if (dr >= 6 && (val >> 32)) {
			hv_x86_inject_exception(c, X86_EXC_GP, true, 0);
			return HV_RESUME;
		}
		if (dr < 4)
			c->dr[dr] = val;
		else if (dr == 6)
			c->dr6 = (val & 0xe00full) | 0xffff0ff0ull;
		else
			c->dr7 = (val & 0xffff23ffull) | 0x400;
	}
	hv_x86_skip_insn(c);
	return HV_RESUME;
}

/*
 * Task switch (exit 9, SDM 27.2.1 table 27-2: TSS selector 15:0, source
 * 31:30): hv performs it, as Xen's hvm_task_switch. Through an IDT task
 * gate the event is in the IDT-vectoring information: its error code goes
 * on the new task's stack, and the old task resumes after a software
 * interrupt. A fault during the switch is delivered to the guest.
 */
static enum hv_exit_action hv_x86_exit_task_switch(struct vcpu *v, struct cpu_x86 *c, uint64_t qual)
{
	enum x86_task_source src = (enum x86_task_source)((qual >> 30) & 3);
	uint32_t idtv = (uint32_t)cpu_x86_vmcs_read(c, IDT_VECTORING_INFO_FIELD);
	unsigned type = (idtv & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	bool has_error = false;
	uint32_t error = 0;
	struct x86_event f;
	int rc;

	if (src == X86_TASK_GATE && (idtv & INTR_INFO_VALID)) {
		has_error = (idtv & INTR_INFO_DELIVER_CODE) != 0;
		error = (uint32_t)cpu_x86_vmcs_read(c, IDT_VECTORING_ERROR_CODE);
		if (type == X86_EVENT_SW_INTR || type == X86_EVENT_SW_EXC ||
		    type == X86_EVENT_PRIV_SW_EXC)
			hv_x86_skip_insn(c);
	} else if (src != X86_TASK_GATE) {
		hv_x86_skip_insn(c); /* CALL, JMP, IRET: the old task resumes after it */
	}
	rc = cpu_x86_task_switch(c, (uint16_t)qual, src, has_error, error, &f);
	if (rc == -2) {
		hv_domain_crash(v->d, "task switch: TSS or descriptor outside guest memory");
		return HV_STOP;
	}
	if (rc < 0) {
		if (f.vector == X86_EXC_PF)
			c->cr2 = f.cr2;
		hv_x86_inject_exception(c, f.vector, f.has_error, f.error);
	}
	return HV_RESUME;
}

enum hv_exit_action hv_x86_handle_exit(struct vcpu *v)
{
	struct cpu_x86 *c = hv_x86_cpu(v);
	struct domain *d = v->d;
	uint32_t reason = (uint32_t)cpu_x86_vmcs_read(c, VM_EXIT_REASON) & 0xffff;
	uint64_t qual = cpu_x86_vmcs_read(c, EXIT_QUALIFICATION);
	uint64_t rip = cpu_x86_vmcs_read(c, GUEST_RIP);
	struct trace *tr = &d->hv->trace;

	hv_stats_exit(v, reason);
	if (trace_on(tr, TRACE_EXITS)) {
		GString *detail = g_string_new(NULL);

		hv_x86_exit_describe(c, reason, qual, detail);
		trace_printf(tr,
			     "%" PRIu64 " d%uv%u VMEXIT %u %s rip=0x%" PRIx64 " len=%" PRIu64
			     " qual=0x%" PRIx64 "%s\n",
			     cpu_icount(v->cpu), d->domid, v->id, reason, vmx_exit_name(reason),
			     rip, cpu_x86_vmcs_read(c, VM_EXIT_INSTRUCTION_LEN), qual, detail->str);
		g_string_free(detail, TRUE);
	}

	switch (reason) {
	case VMX_EXIT_VMCALL: return hv_x86_vmcall(v, c);
	case VMX_EXIT_CPUID: return hv_x86_exit_cpuid(v, c);
	case VMX_EXIT_MSR_READ: return hv_x86_exit_msr(v, c, false);
	case VMX_EXIT_MSR_WRITE: return hv_x86_exit_msr(v, c, true);
	case VMX_EXIT_XSETBV: return hv_x86_exit_xsetbv(c);
	case VMX_EXIT_CR_ACCESS: return hv_x86_exit_cr(v, c, qual);
	case VMX_EXIT_IO_INSTRUCTION: return hv_x86_exit_io(v, c, qual);
	case VMX_EXIT_HLT:
		hv_x86_skip_insn(c);
		hv_vcpu_block(v, HV_BLOCK_HALT);
		return HV_BLOCK;
	case VMX_EXIT_INTERRUPT_WINDOW:
	case VMX_EXIT_NMI_WINDOW:
		/* Interrupts (NMIs) are open: the run driver injects
		 * (hv/x86/intr.c). */
		return HV_RESUME;
	case VMX_EXIT_INVD:
	case VMX_EXIT_WBINVD:
		/* No caches to write back or drop (Xen's vmx_wbinvd_intercept
		 * does nothing either without passed-through devices). */
		hv_x86_skip_insn(c);
		return HV_RESUME;
	case VMX_EXIT_MONITOR_TRAP_FLAG:
	case VMX_EXIT_PREEMPTION_TIMER:
		/* --intercept=mtf / preemption-timer: the exit is the point
		 * (a trace line, a count); the next entry re-arms both. */
		return HV_RESUME;
	case VMX_EXIT_EXCEPTION_NMI: return hv_x86_exit_exception(v, c, qual);
	case VMX_EXIT_RDTSC: return hv_x86_exit_rdtsc(c, false);
	case VMX_EXIT_RDTSCP: return hv_x86_exit_rdtsc(c, true);
	case VMX_EXIT_INVLPG: return hv_x86_exit_invlpg(c, qual, false);
	case VMX_EXIT_INVPCID: return hv_x86_exit_invlpg(c, qual, true);
	case VMX_EXIT_DR_ACCESS: return hv_x86_exit_dr(c, qual);
	case VMX_EXIT_TASK_SWITCH: return hv_x86_exit_task_switch(v, c, qual);
	case VMX_EXIT_TRIPLE_FAULT:
		hv_domain_crash(d, "triple fault at rip=0x%" PRIx64, rip);
		return HV_STOP;
	case VMX_EXIT_EPT_VIOLATION:
		hv_domain_crash(d,
				"EPT violation: guest accessed gpa 0x%" PRIx64
				" (no RAM or MMIO there) at rip=0x%" PRIx64
				", qualification 0x%" PRIx64,
				cpu_x86_vmcs_read(c, GUEST_PHYSICAL_ADDRESS), rip, qual);
		return HV_STOP;
	default:
		hv_domain_crash(d, "unhandled VM exit %u (%s) at rip=0x%" PRIx64, reason,
				vmx_exit_name(reason), rip);
		return HV_STOP;
	}
}
