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
	if (cpu_x86_vmcs_read(c, GUEST_INTERRUPTIBILITY_INFO) & 3)
		cpu_x86_vmcs_write(c, GUEST_INTERRUPTIBILITY_INFO, 0);
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
static enum hv_exit_action hv_x86_exit_cr(struct vcpu *v, struct cpu_x86 *c, uint64_t qual)
{
	unsigned cr = qual & 15, type = (qual >> 4) & 3, gpr = (qual >> 8) & 15;

	if (cr != 8 || type > 1) {
		hv_domain_crash(v->d, "unexpected CR-access exit, qualification 0x%" PRIx64, qual);
		return HV_STOP;
	}
	if (type == 0)
		lapic_set_cr8(hv_x86_lapic(v), c->regs[gpr]);
	else
		c->regs[gpr] = lapic_get_cr8(hv_x86_lapic(v));
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
		/* Interrupts are open: the run driver injects (hv/x86/intr.c). */
		return HV_RESUME;
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
