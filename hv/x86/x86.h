/*
 * The x86 shim of the hypervisor: VM exits in, common modules out.
 */
#ifndef SV_HV_X86_X86_H
#define SV_HV_X86_X86_H

#include "hv/hv.h"

struct cpu_x86;

/* Xen's hypervisor CPUID leaves and the hypercall-page MSR base. */
#define XEN_CPUID_BASE 0x40000000u
#define XEN_CPUID_LAST (XEN_CPUID_BASE + 5)
#define XEN_HYPERCALL_MSR 0x40000000u

/* Create a vcpu of d: an x86 CPU in VMX non-root mode with the VMCS
 * controls hv relies on. */
struct vcpu *hv_x86_vcpu_create(struct domain *d);
struct cpu_x86 *hv_x86_cpu(struct vcpu *v);

enum hv_exit_action hv_x86_handle_exit(struct vcpu *v);
/* CPUID as the guest sees it: the CPU model plus Xen's leaves. */
void hv_x86_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
/* Fill one hypercall page at gpa. 0 or -EFAULT. */
int hv_x86_write_hypercall_page(struct domain *d, uint64_t gpa);

/* Event-channel upcalls (hv/x86/upcall.c): program the callback-vector
 * injection; can a halted vcpu take it? */
void hv_x86_upcall_update(struct vcpu *v);
bool hv_x86_halt_wakeable(struct vcpu *v);
/* VCPUOP_initialise: struct vcpu_hvm_context (hv/x86/vcpu_context.c). */
long hv_x86_vcpu_initialise(struct vcpu *caller, struct vcpu *v, uint64_t arg);

extern const struct hv_arch_ops hv_x86_ops;

#endif
