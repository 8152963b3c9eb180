/*
 * A CPU in a snapshot (include/sv/snap.h): the instruction count (the base
 * of virtual time), the run state that survives between cpu_exec calls, and
 * the architecture's registers through its save/load hooks. Caches are not
 * saved: the softmmu TLB and the jump cache are flushed on load, and the
 * caller empties the TB cache, so the restored CPU translates afresh.
 *
 * Example: an x86 vcpu saves icount 1234567, halted 0, resume 0, then one
 * field with its registers (cpu/x86/snapshot.c) and one with its VMCS.
 */
#include "cpu/cpu.h"
#include "sv/snap.h"

#include <errno.h>

void cpu_save(struct cpu *cpu, struct sv_snap_w *w)
{
	sv_snap_put_str(w, cpu->arch->name);
	sv_snap_put_u64(w, cpu->icount);
	sv_snap_put_bool(w, cpu->halted);
	sv_snap_put_bool(w, cpu->resume_valid);
	sv_snap_put_u64(w, cpu->resume_pc);
	sv_snap_put_bool(w, cpu->watch_skip);
	if (cpu->arch->save)
		cpu->arch->save(cpu, w);
}

int cpu_load(struct cpu *cpu, struct sv_snap_r *r)
{
	char *name = NULL;
	bool same;
	int rc;

	if (!sv_snap_get_str(r, 32, &name))
		return -EINVAL;
	same = name && !strcmp(name, cpu->arch->name);
	if (!same) {
		rc = sv_snap_fail(r, "a %s vcpu cannot load a %s one's state", cpu->arch->name,
				  name ? name : "(none)");
		g_free(name);
		return rc;
	}
	g_free(name);
	if (!sv_snap_get_u64(r, &cpu->icount) || !sv_snap_get_bool(r, &cpu->halted) ||
	    !sv_snap_get_bool(r, &cpu->resume_valid) || !sv_snap_get_u64(r, &cpu->resume_pc) ||
	    !sv_snap_get_bool(r, &cpu->watch_skip))
		return -EINVAL;
	cpu->exit_request = 0;
	cpu->icount_deadline = ~0ull;
	if (cpu->arch->load && (rc = cpu->arch->load(cpu, r)) < 0)
		return rc;
	cpu_tlb_flush(cpu);
	return 0;
}
