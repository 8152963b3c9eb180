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
 *   INVD                  always (VMX architecture); WBINVD: WBINVD exiting,
 *                         as Xen; both do nothing (no caches)
 *   NMI window            only while an NMI waits for the guest's NMI handler
 *                         to IRET
 *
 * --intercept=LIST (hv_x86_intercept) adds exits hv does not need, so that
 * `--trace=exits` and `--stats` show those events; hv emulates each
 * instruction or hands the event back, and the guest runs as without:
 *   rdtsc             RDTSC exiting (RDTSC, RDTSCP)
 *   invlpg            INVLPG exiting (INVLPG, INVPCID)
 *   mov-dr            MOV-DR exiting
 *   exceptions        all 32 bits of the exception bitmap
 *   mtf               the monitor trap flag: an exit after every instruction
 *   preemption-timer  the VMX-preemption timer, HV_X86_PREEMPTION_TIMER ticks
 *                     (of 32 instructions) from each VM entry
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"

#include <errno.h>

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

/* Before a VM entry (the run driver's upcall_update): the CR read shadows
 * hv keeps equal to the guest's values, then the event to inject. */
static void hv_x86_vm_entry(struct vcpu *v)
{
	hv_x86_cr_shadows_sync(hv_x86_cpu(v));
	hv_x86_intr_update(v);
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
	.upcall_update = hv_x86_vm_entry,
	.halt_wakeable = hv_x86_halt_wakeable,
	.vcpu_initialise = hv_x86_vcpu_initialise,
	.wake_ready = hv_x86_wake_ready,
	.wake_deadline = hv_x86_wake_deadline,
	.timer_deadline = hv_x86_apic_timer_deadline,
	.timer_fire = hv_x86_apic_timer_fire,
	.send_nmi = hv_x86_send_nmi,
	.vcpu_save = hv_x86_vcpu_save,
	.vcpu_load = hv_x86_vcpu_load,
};

static const struct {
	const char *name;
	uint32_t pin, cpu;
	bool exceptions;
	unsigned cr_masks; /* 1: own all of CR0, 4: all of CR4 */
} hv_x86_intercepts[] = {
	{ "rdtsc", 0, CPU_BASED_RDTSC_EXITING, false, 0 },
	{ "invlpg", 0, CPU_BASED_INVLPG_EXITING, false, 0 },
	{ "mov-dr", 0, CPU_BASED_MOV_DR_EXITING, false, 0 },
	{ "exceptions", 0, 0, true, 0 },
	{ "mtf", 0, CPU_BASED_MONITOR_TRAP_FLAG, false, 0 },
	{ "preemption-timer", PIN_BASED_VMX_PREEMPTION_TIMER, 0, false, 0 },
	{ "cr0", 0, 0, false, 1 },
	{ "cr3", 0, CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING, false, 0 },
	{ "cr4", 0, 0, false, 4 },
};

int hv_x86_intercept(struct domain *d, const char *list, char **err)
{
	gchar **names = g_strsplit(list, ",", -1);
	uint32_t pin = 0, cpu = 0;
	bool exceptions = false;
	unsigned cr_masks = 0;
	int rc = 0;

	for (gchar **n = names; *n; n++) {
		size_t i;

		for (i = 0; i < G_N_ELEMENTS(hv_x86_intercepts); i++)
			if (!strcmp(*n, hv_x86_intercepts[i].name))
				break;
		if (i == G_N_ELEMENTS(hv_x86_intercepts)) {
			*err = g_strdup_printf("unknown intercept '%s' (rdtsc, invlpg, mov-dr, "
					       "exceptions, mtf, preemption-timer, cr0, cr3, cr4)",
					       *n);
			rc = -EINVAL;
			goto out;
		}
		pin |= hv_x86_intercepts[i].pin;
		cpu |= hv_x86_intercepts[i].cpu;
		exceptions |= hv_x86_intercepts[i].exceptions;
		cr_masks |= hv_x86_intercepts[i].cr_masks;
	}
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct cpu_x86 *c = hv_x86_cpu(d->vcpus[i]);

		cpu_x86_vmcs_write(c, PIN_BASED_VM_EXEC_CONTROL,
				   cpu_x86_vmcs_read(c, PIN_BASED_VM_EXEC_CONTROL) | pin);
		cpu_x86_vmcs_write(c, CPU_BASED_VM_EXEC_CONTROL,
				   cpu_x86_vmcs_read(c, CPU_BASED_VM_EXEC_CONTROL) | cpu);
		if (exceptions)
			cpu_x86_vmcs_write(c, EXCEPTION_BITMAP, 0xffffffffu);
		if (pin & PIN_BASED_VMX_PREEMPTION_TIMER)
			cpu_x86_vmcs_write(c, VMX_PREEMPTION_TIMER_VALUE, HV_X86_PREEMPTION_TIMER);
		if (cr_masks & 1)
			cpu_x86_vmcs_write(c, CR0_GUEST_HOST_MASK, ~0ull);
		if (cr_masks & 4)
			cpu_x86_vmcs_write(c, CR4_GUEST_HOST_MASK, ~0ull);
		hv_x86_cr_shadows_sync(c);
	}
out:
	g_strfreev(names);
	return rc;
}

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
				   SECONDARY_EXEC_ENABLE_INVPCID | SECONDARY_EXEC_WBINVD_EXITING |
				   SECONDARY_EXEC_XSAVES);
	cpu_x86_vmcs_write(c, EXCEPTION_BITMAP, 0);
	/* A TSC write moves the counter the pvclock extrapolates from: hv
	 * sees it to refresh vcpu_time_info (hv/x86/exit.c). */
	vmcs_msr_intercept(&c->vmcs, MSR_IA32_TSC, false, true);
	hv_x86_acpi_intercept_io(c);
	v = hv_vcpu_add(d, &c->cpu, &hv_x86_ops);
	if (hv_x86_apic_create(v) < 0)
		return NULL; /* the domain frees the vcpu */
	return v;
}
