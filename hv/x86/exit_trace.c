/*
 * What an exit trace line says beyond the reason: the exit qualification and
 * the registers the exit is about, decoded as the SDM defines them, so that a
 * reader of `--trace=exits` sees "CPUID leaf=0x40000000" and "IO port=0xcf8
 * out size=4" rather than a number to look up.
 *
 *   CPUID            leaf (EAX) and subleaf (ECX)
 *   MSR_READ/WRITE   the MSR (ECX) with its SDM vol. 4 name when it has one,
 *                    and the value written (EDX:EAX)
 *   IO_INSTRUCTION   port, direction, size, string/REP (table 27-5)
 *   CR_ACCESS        register, access type, GPR (table 27-3)
 *   DR_ACCESS        register, direction, GPR (table 27-4)
 *   TASK_SWITCH      the new TSS selector and the source (table 27-2)
 *   EPT_VIOLATION    gpa, the access (r/w/x) and what the entry allowed
 *                    (table 27-7)
 *   EXCEPTION_NMI    vector and error code (VM-exit interruption info)
 *   XSETBV           XCR number and value
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"

#include <inttypes.h>

#define MSR_IA32_TSC_DEADLINE 0x6e0u
#define X2APIC_MSR_FIRST 0x800u
#define X2APIC_MSR_LAST 0x8ffu

static const char *hv_x86_msr_name(uint32_t msr)
{
	static const struct {
		uint32_t msr;
		const char *name;
	} names[] = {
		{ MSR_IA32_TSC, "IA32_TSC" },
		{ MSR_IA32_APIC_BASE, "IA32_APIC_BASE" },
		{ MSR_IA32_FEATURE_CONTROL, "IA32_FEATURE_CONTROL" },
		{ MSR_IA32_TSC_ADJUST, "IA32_TSC_ADJUST" },
		{ MSR_IA32_SPEC_CTRL, "IA32_SPEC_CTRL" },
		{ MSR_IA32_BIOS_SIGN_ID, "IA32_BIOS_SIGN_ID" },
		{ MSR_IA32_MTRRCAP, "IA32_MTRRCAP" },
		{ MSR_IA32_ARCH_CAPABILITIES, "IA32_ARCH_CAPABILITIES" },
		{ MSR_IA32_SYSENTER_CS, "IA32_SYSENTER_CS" },
		{ MSR_IA32_SYSENTER_ESP, "IA32_SYSENTER_ESP" },
		{ MSR_IA32_SYSENTER_EIP, "IA32_SYSENTER_EIP" },
		{ MSR_IA32_MCG_CAP, "IA32_MCG_CAP" },
		{ MSR_IA32_MCG_STATUS, "IA32_MCG_STATUS" },
		{ MSR_IA32_MISC_ENABLE, "IA32_MISC_ENABLE" },
		{ MSR_IA32_PAT, "IA32_PAT" },
		{ MSR_IA32_TSC_DEADLINE, "IA32_TSC_DEADLINE" },
		{ MSR_IA32_MTRR_DEF_TYPE, "IA32_MTRR_DEF_TYPE" },
		{ MSR_EFER, "IA32_EFER" },
		{ MSR_STAR, "IA32_STAR" },
		{ MSR_LSTAR, "IA32_LSTAR" },
		{ MSR_CSTAR, "IA32_CSTAR" },
		{ MSR_SFMASK, "IA32_FMASK" },
		{ MSR_FS_BASE, "IA32_FS_BASE" },
		{ MSR_GS_BASE, "IA32_GS_BASE" },
		{ MSR_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE" },
		{ MSR_TSC_AUX, "IA32_TSC_AUX" },
		{ XEN_HYPERCALL_MSR, "xen_hypercall_page" },
	};

	if (msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST)
		return "x2APIC";
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (names[i].msr == msr)
			return names[i].name;
	return NULL;
}

static void hv_x86_describe_msr(struct cpu_x86 *c, bool write, GString *out)
{
	uint32_t msr = (uint32_t)c->regs[X86_RCX];
	const char *name = hv_x86_msr_name(msr);

	g_string_append_printf(out, " msr=0x%" PRIx32, msr);
	if (name)
		g_string_append_printf(out, " (%s)", name);
	if (write)
		g_string_append_printf(out, " val=0x%" PRIx64,
				       (uint32_t)c->regs[X86_RAX] | (c->regs[X86_RDX] << 32));
}

static void hv_x86_describe_io(uint64_t qual, GString *out)
{
	g_string_append_printf(out, " port=0x%" PRIx64 " %s size=%u%s%s", (qual >> 16) & 0xffff,
			       qual & 8 ? "in" : "out", (unsigned)(qual & 7) + 1,
			       qual & 16 ? " string" : "", qual & 32 ? " rep" : "");
}

static void hv_x86_describe_cr(uint64_t qual, GString *out)
{
	static const char *const types[] = { "mov-to", "mov-from", "clts", "lmsw" };

	g_string_append_printf(out, " cr%u %s", (unsigned)(qual & 15), types[(qual >> 4) & 3]);
	if (((qual >> 4) & 3) < 2)
		g_string_append_printf(out, " gpr=%u", (unsigned)((qual >> 8) & 15));
}

static void hv_x86_describe_dr(uint64_t qual, GString *out)
{
	g_string_append_printf(out, " dr%u %s gpr=%u", (unsigned)(qual & 7),
			       qual & 16 ? "mov-from" : "mov-to", (unsigned)((qual >> 8) & 15));
}

static void hv_x86_describe_ept(struct cpu_x86 *c, uint64_t qual, GString *out)
{
	g_string_append_printf(
		out, " gpa=0x%" PRIx64 " access=%c%c%c allowed=%c%c%c",
		cpu_x86_vmcs_read(c, GUEST_PHYSICAL_ADDRESS), qual & EPT_VIOLATION_READ ? 'r' : '-',
		qual & EPT_VIOLATION_WRITE ? 'w' : '-', qual & EPT_VIOLATION_FETCH ? 'x' : '-',
		qual & EPT_VIOLATION_READABLE ? 'r' : '-',
		qual & EPT_VIOLATION_WRITABLE ? 'w' : '-',
		qual & EPT_VIOLATION_EXECUTABLE ? 'x' : '-');
	if (qual & EPT_VIOLATION_GLA_VALID)
		g_string_append_printf(out, " gla=0x%" PRIx64 "%s",
				       cpu_x86_vmcs_read(c, GUEST_LINEAR_ADDRESS),
				       qual & EPT_VIOLATION_GLA_TRANSLATED ? "" : " (page walk)");
}

static void hv_x86_describe_exception(struct cpu_x86 *c, GString *out)
{
	uint32_t info = (uint32_t)cpu_x86_vmcs_read(c, VM_EXIT_INTR_INFO);

	if (!(info & INTR_INFO_VALID))
		return;
	g_string_append_printf(out, " vector=%u type=%u", info & INTR_INFO_VECTOR_MASK,
			       (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT);
	if (info & INTR_INFO_DELIVER_CODE)
		g_string_append_printf(out, " error=0x%" PRIx64,
				       cpu_x86_vmcs_read(c, VM_EXIT_INTR_ERROR_CODE));
}

void hv_x86_exit_describe(struct cpu_x86 *c, uint32_t reason, uint64_t qual, GString *out)
{
	switch (reason) {
	case VMX_EXIT_CPUID:
		g_string_append_printf(out, " leaf=0x%" PRIx32 " subleaf=0x%" PRIx32,
				       (uint32_t)c->regs[X86_RAX], (uint32_t)c->regs[X86_RCX]);
		break;
	case VMX_EXIT_MSR_READ: hv_x86_describe_msr(c, false, out); break;
	case VMX_EXIT_MSR_WRITE: hv_x86_describe_msr(c, true, out); break;
	case VMX_EXIT_IO_INSTRUCTION: hv_x86_describe_io(qual, out); break;
	case VMX_EXIT_CR_ACCESS: hv_x86_describe_cr(qual, out); break;
	case VMX_EXIT_DR_ACCESS: hv_x86_describe_dr(qual, out); break;
	case VMX_EXIT_TASK_SWITCH: {
		static const char *const src[] = { "call", "iret", "jmp", "task-gate" };

		g_string_append_printf(out, " tss=0x%x %s", (unsigned)(qual & 0xffff),
				       src[(qual >> 30) & 3]);
		break;
	}
	case VMX_EXIT_EPT_VIOLATION: hv_x86_describe_ept(c, qual, out); break;
	case VMX_EXIT_EXCEPTION_NMI: hv_x86_describe_exception(c, out); break;
	case VMX_EXIT_XSETBV:
		g_string_append_printf(out, " xcr=%" PRIu32 " val=0x%" PRIx64,
				       (uint32_t)c->regs[X86_RCX],
				       (uint32_t)c->regs[X86_RAX] | (c->regs[X86_RDX] << 32));
		break;
	default: break;
	}
}
