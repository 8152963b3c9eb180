/*
 * The POWER shim of the hypervisor: HV interrupts in, common modules out.
 */
#ifndef SV_HV_PPC_PPC_H
#define SV_HV_PPC_PPC_H

#include "hv/hv.h"

struct cpu_ppc;

struct vcpu *hv_ppc_vcpu_create(struct domain *d, bool little_endian);
struct cpu_ppc *hv_ppc_cpu(struct vcpu *v);
enum hv_exit_action hv_ppc_handle_exit(struct vcpu *v);
/* Append the decoded registers of exit e to a trace line
 * (hv/ppc/exit_trace.c). */
void hv_ppc_exit_describe(struct vcpu *v, const struct cpu_exit *e, GString *out);
/* Start v as Linux expects after kexec (DESIGN.md §8): 64-bit real mode,
 * HV=0, PR=0, pc = entry, r3 = device tree (none yet: 0), r4 = load
 * address, r5 = 0; MSR[LE] as the vcpu was created. */
void hv_ppc_kexec_boot(struct vcpu *v, uint64_t entry, uint64_t load_addr);

extern const struct hv_arch_ops hv_ppc_ops;

#endif
