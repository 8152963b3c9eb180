/*
 * An x86 CPU in a snapshot: its architectural state (general registers,
 * lazy flags, segments, control and debug registers, MSRs, x87/SSE,
 * XCR0, the RDRAND generator, the interrupt shadow and a pending
 * exception) as one field, and the software VMCS (every field, the MSR and
 * I/O bitmaps) as another. Both are the host layout of struct cpu_x86's
 * members from regs up to the translation-time scratch; the field lengths
 * pin that layout, and the image header pins the host (frontend/snapshot.c).
 */
#include "cpu/x86/cpu_x86.h"
#include "sv/snap.h"

#include <errno.h>

#define X86_SNAP_START offsetof(struct cpu_x86, regs)
#define X86_SNAP_END offsetof(struct cpu_x86, tr_cc_op)

void cpu_x86_save(struct cpu *cpu, struct sv_snap_w *w)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);

	sv_snap_put_bytes(w, (const uint8_t *)c + X86_SNAP_START, X86_SNAP_END - X86_SNAP_START);
	sv_snap_put_bytes(w, &c->vmcs, sizeof(c->vmcs));
}

int cpu_x86_load(struct cpu *cpu, struct sv_snap_r *r)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);

	if (!sv_snap_get_bytes(r, (uint8_t *)c + X86_SNAP_START, X86_SNAP_END - X86_SNAP_START) ||
	    !sv_snap_get_bytes(r, &c->vmcs, sizeof(c->vmcs)))
		return -EINVAL;
	if (c->cpl > 3)
		return sv_snap_fail(r, "bad CPL %u", c->cpl);
	c->tr_cc_op = X86_CC_DYNAMIC;
	cpu_x86_tlb_flush_all(c); /* its cached translations are not saved */
	return 0;
}
