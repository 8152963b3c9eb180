/*
 * Private to cpu/ppc: interrupt entry used by the helpers and cpu.c.
 */
#ifndef SV_CPU_PPC_CPU_INTERNAL_H
#define SV_CPU_PPC_CPU_INTERNAL_H

#include "cpu/ppc/cpu_ppc.h"

/*
 * Enter hypervisor state at vector vec for an interrupt of the instruction at
 * pc (the caller has set SRR0/1 or HSRR0/1 and the other registers) and fill
 * cpu->exit {CPU_EXIT_HV, vec, pc, qual}.
 */
void ppc_enter_hv(struct cpu_ppc *c, uint32_t vec, uint64_t pc, uint64_t qual);

#endif
