/*
 * A POWER CPU in a snapshot: its architectural state (GPRs, XER, CR, MSR,
 * VSRs, FPSCR/VSCR, the supervisor and hypervisor SPRs incl. LPCR, HSRR0/1,
 * HDAR, HDSISR, ASDR, HEIR, PTCR and SDR1, the SLB, the time base offset
 * with DEC/HDEC, the external interrupt line, the reservation and a pending
 * interrupt) as one field: the host layout of struct cpu_ppc's members from
 * gpr up to the hypervisor's tlbie hook, pinned by the field's length and
 * the image header's layout hash (frontend/snapshot.c).
 */
#include "cpu/ppc/cpu_ppc.h"
#include "sv/snap.h"

#include <errno.h>

#define PPC_SNAP_START offsetof(struct cpu_ppc, gpr)
#define PPC_SNAP_END offsetof(struct cpu_ppc, tlbie_broadcast)

void cpu_ppc_save(struct cpu *cpu, struct sv_snap_w *w)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);

	sv_snap_put_bytes(w, (const uint8_t *)c + PPC_SNAP_START, PPC_SNAP_END - PPC_SNAP_START);
}

int cpu_ppc_load(struct cpu *cpu, struct sv_snap_r *r)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);

	if (!sv_snap_get_bytes(r, (uint8_t *)c + PPC_SNAP_START, PPC_SNAP_END - PPC_SNAP_START))
		return -EINVAL;
	return 0;
}
