/*
 * x86 vcpus: creation and the VMCS controls softvisor runs guests with.
 *
 * Exits configured (everything else runs without leaving the CPU):
 *   CPUID, VMCALL         always (VMX architecture)
 *   HLT                   HLT exiting: the vcpu blocks in hv
 *   interrupt window      only while an interrupt waits for RFLAGS.IF
 *   RDMSR/WRMSR           MSR bitmaps: the local APIC's MSRs (IA32_APIC_BASE,
 *                         x2APIC 0x800..0x8ff, TSC deadline) and MSRs
 *                         outside the bitmap ranges (Xen's 0x40000000)
 *   MOV CR8               CR8 load/store exiting: the APIC's TPR
 *   I/O                   I/O bitmaps: the ACPI sleep and reset registers
 *                         (hv/x86/acpi.c)
 *   EPT violation         an access to a gfn the p2m does not back
 *   triple fault          always
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"

struct cpu_x86 *hv_x86_cpu(struct vcpu *v)
{
	return cpu_x86_of(v->cpu);
}

static unsigned hv_x86_data_mmu_idx(struct vcpu *v)
{
	return cpu_x86_mmu_idx(hv_x86_cpu(v));
}

static bool hv_x86_big_endian(struct vcpu *v)
{
	return false;
}

static uint64_t hv_x86_guest_tsc(struct vcpu *v)
{
	return cpu_x86_rdtsc(hv_x86_cpu(v));
}

static void hv_x86_time_skip(struct vcpu *v, uint64_t ticks)
{
	hv_x86_cpu(v)->tsc_offset += ticks;
}

static void hv_x86_vcpu_destroy(struct vcpu *v)
{
	hv_x86_apic_destroy(v);
	cpu_x86_free(hv_x86_cpu(v));
	v->cpu = NULL;
}

const struct hv_arch_ops hv_x86_ops = {
	.name = "x86_64",
	.handle_exit = hv_x86_handle_exit,
	.data_mmu_idx = hv_x86_data_mmu_idx,
	.guest_big_endian = hv_x86_big_endian,
	.exit_name = vmx_exit_name,
	.exit_tag = "VMEXIT",
	.vcpu_destroy = hv_x86_vcpu_destroy,
	.guest_tsc = hv_x86_guest_tsc,
	.time_skip = hv_x86_time_skip,
	.upcall_update = hv_x86_intr_update,
	.halt_wakeable = hv_x86_halt_wakeable,
	.vcpu_initialise = hv_x86_vcpu_initialise,
	.wake_ready = hv_x86_wake_ready,
	.wake_deadline = hv_x86_wake_deadline,
	.timer_deadline = hv_x86_apic_timer_deadline,
	.timer_fire = hv_x86_apic_timer_fire,
	.send_nmi = hv_x86_send_nmi,
};

struct vcpu *hv_x86_vcpu_create(struct domain *d)
{
	struct cpu_x86 *c = cpu_x86_new(d->p2m, d->tbc, d->n_vcpus);
	struct vcpu *v;

	if (!c)
		return NULL;
	cpu_x86_vmcs_write(c, CPU_BASED_VM_EXEC_CONTROL,
			   CPU_BASED_HLT_EXITING | CPU_BASED_USE_MSR_BITMAPS |
				   CPU_BASED_USE_IO_BITMAPS |
				   CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	cpu_x86_vmcs_write(c, SECONDARY_VM_EXEC_CONTROL,
			   SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_RDTSCP |
				   SECONDARY_EXEC_ENABLE_INVPCID);
	cpu_x86_vmcs_write(c, EXCEPTION_BITMAP, 0);
	hv_x86_acpi_intercept_io(c);
	v = hv_vcpu_add(d, &c->cpu, &hv_x86_ops);
	if (hv_x86_apic_create(v) < 0)
		return NULL; /* the domain frees the vcpu */
	return v;
}
