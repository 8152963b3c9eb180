/*
 * POWER first-stage (process-scoped) address translation.
 *
 * Real addressing (MSR[IR]/MSR[DR] = 0) here; translated addressing by the
 * two translation modes of Power ISA v3.0 Book III chapter 5: the hash page
 * table with SLB (LPCR[HR] = 0, mmu/ppc/hash.c) and radix trees (LPCR[HR] =
 * 1, mmu/ppc/radix.c).
 *
 * Real addressing (Book III 6.7.3): for MSR[HV] = 0 the guest real address is
 * the EA with its high-order 4 bits ignored (so the kernel's 0xc000... linear
 * addresses work in real mode); it then goes through partition-scoped
 * translation -- the p2m -- as every guest real address does. For MSR[HV] = 1,
 * EA[0] = 0 adds HRMOR, and bits 1:3 are ignored.
 *
 * The MMU indexes (softmmu TLB contexts):
 */
#ifndef SV_MMU_PPC_MMU_PPC_H
#define SV_MMU_PPC_MMU_PPC_H

#include "cpu/cpu.h"

enum {
	PPC_MMU_REAL = 0,      /* real addressing, MSR[HV] = 0 */
	PPC_MMU_VIRT = 1,      /* translated, privileged */
	PPC_MMU_VIRT_USER = 2, /* translated, problem state */
	PPC_MMU_HV_REAL = 3,   /* real addressing, hypervisor state */
	PPC_MMU_NUM_IDX = 4,
};

/* The mask applied to a real-mode EA (bits 0:3 ignored). */
#define PPC_REAL_ADDR_MASK 0x0fffffffffffffffull

struct cpu_ppc;
struct ppc_slbe;

/* hash.c: the hash MMU walk (same contract as ppc_mmu_translate) and the
 * SLB search used by slbfee. and slbie. */
/* Record a translation fault (see mmu_ppc.c); returns CPU_XLAT_FAULT. */
int ppc_mmu_record_fault(struct cpu_ppc *c, uint64_t ea, enum mmu_access acc, uint32_t vec,
			 uint64_t cause, bool probe);
int ppc_mmu_translate_hash(struct cpu_ppc *c, uint64_t ea, enum mmu_access acc, unsigned mmu_idx,
			   bool probe, struct cpu_xlat *x);
bool ppc_slb_lookup(const struct cpu_ppc *c, uint64_t ea, const struct ppc_slbe **out);
/* radix.c: the radix walk, process-scoped (LPCR[HR] = 1). */
int ppc_mmu_translate_radix(struct cpu_ppc *c, uint64_t ea, enum mmu_access acc, unsigned mmu_idx,
			    bool probe, struct cpu_xlat *x);

/* arch_ops.translate: 0 and *x, or CPU_XLAT_FAULT with the DSI/ISI recorded for
 * raise_fault (nothing recorded when probe is set). */
int ppc_mmu_translate(struct cpu *cpu, uint64_t va, enum mmu_access acc, unsigned mmu_idx,
		      bool probe, struct cpu_xlat *x);

#endif
