/*
 * The x86 shim of the hypervisor: VM exits in, common modules out.
 */
#ifndef SV_HV_X86_X86_H
#define SV_HV_X86_X86_H

#include "hv/hv.h"
#include "devices/x86/lapic.h"
#include "hv/x86/acpi.h"

struct cpu_x86;

/* The x86 part of a vcpu (struct vcpu.x86). */
struct hv_x86_vcpu {
	struct lapic lapic;
	struct lapic_ops lapic_ops; /* opaque = the vcpu */
};

/* Xen's hypervisor CPUID leaves and the hypercall-page MSR base. */
#define XEN_CPUID_BASE 0x40000000u
#define XEN_CPUID_LAST (XEN_CPUID_BASE + 5)
#define XEN_HYPERCALL_MSR 0x40000000u

/* Create a vcpu of d: an x86 CPU in VMX non-root mode with the VMCS
 * controls hv relies on. */
struct vcpu *hv_x86_vcpu_create(struct domain *d);
struct cpu_x86 *hv_x86_cpu(struct vcpu *v);

enum hv_exit_action hv_x86_handle_exit(struct vcpu *v);
/* Append the decoded qualification of an exit to a trace line
 * (hv/x86/exit_trace.c). */
struct cpu_x86;
void hv_x86_exit_describe(struct cpu_x86 *c, uint32_t reason, uint64_t qual, GString *out);
/* CPUID as the guest sees it: the CPU model plus Xen's leaves. */
void hv_x86_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
/* Fill one hypercall page at gpa. 0 or -EFAULT. */
int hv_x86_write_hypercall_page(struct domain *d, uint64_t gpa);

/* Interrupt injection (hv/x86/intr.c): program the next VM entry's event
 * (NMI, the callback vector, the local APIC's vector) or the interrupt
 * window; can a halted vcpu take the upcall? */
void hv_x86_intr_update(struct vcpu *v);
bool hv_x86_halt_wakeable(struct vcpu *v);
/* VCPUOP_initialise: struct vcpu_hvm_context (hv/x86/vcpu_context.c). */
long hv_x86_vcpu_initialise(struct vcpu *caller, struct vcpu *v, uint64_t arg);

/* Local APICs (hv/x86/apic.c). create: the vcpu's APIC, its MSR and CR8
 * intercepts, the domain's xAPIC page (vcpu 0); application processors
 * start in wait-for-SIPI. 0 or -errno. */
int hv_x86_apic_create(struct vcpu *v);
void hv_x86_apic_destroy(struct vcpu *v);
struct lapic *hv_x86_lapic(struct vcpu *v);
/* Snapshots: the local APIC (hv/x86/apic.c). */
struct sv_snap_w;
struct sv_snap_r;
void hv_x86_vcpu_save(struct vcpu *v, struct sv_snap_w *w);
int hv_x86_vcpu_load(struct vcpu *v, struct sv_snap_r *r);
/* Is msr the APIC's (IA32_APIC_BASE, x2APIC, TSC deadline)? Access: 0 or
 * -EINVAL (#GP). */
bool hv_x86_apic_msr(uint32_t msr);
int hv_x86_apic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
int hv_x86_apic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);
/* hv_arch_ops hooks: the APIC timer; waking from HLT. */
uint64_t hv_x86_apic_timer_deadline(struct vcpu *v);
void hv_x86_apic_timer_fire(struct vcpu *v);
/* VCPUOP_send_nmi: an NMI pending on v's local APIC. */
void hv_x86_send_nmi(struct vcpu *v);
bool hv_x86_wake_ready(struct vcpu *v);
uint64_t hv_x86_wake_deadline(struct vcpu *v);

/* --intercept=LIST (comma-separated names, see hv/x86/vcpu.c): more exits
 * on every vcpu of d. 0, or -EINVAL with *err (g_free it). */
int hv_x86_intercept(struct domain *d, const char *list, char **err);
/* With CR0/CR4 bits owned by hv (--intercept=cr0,cr4): read shadows = the
 * guest's values (hv/x86/exit.c). */
void hv_x86_cr_shadows_sync(struct cpu_x86 *c);
/* The preemption timer's value with --intercept=preemption-timer: an exit
 * every 100 * 32 instructions. */
#define HV_X86_PREEMPTION_TIMER 100

extern const struct hv_arch_ops hv_x86_ops;

#endif
