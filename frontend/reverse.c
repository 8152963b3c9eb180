/*
 * Reverse execution by re-execution (see frontend/reverse.h).
 *
 * Worked example: gdb stopped at a breakpoint on vcpu 0 after 5,000
 * executed instructions; `reverse-continue` sends bc. sv_reverse_start
 * rebuilds the machine and re-executes to 5,000 with collect set; the
 * breakpoint stops at 1,200 and 3,400 are noted (and resumed at once). At
 * 5,000 sv_reverse_reached rebuilds again and re-executes to 3,400, where it
 * reports "T05 swbreak" to gdb, which shows the breakpoint's line.
 */
#include "frontend/reverse.h"
#include "frontend/machine.h"
#include "cpu/cpu.h"

uint64_t sv_reverse_pos(const struct vcpu *v)
{
	/* An instruction that exits is not retired by the CPU (hv emulates
	 * it): each exit handled counts as one step. */
	return v->cpu->icount + v->n_exits;
}

/* Rebuild and re-execute to (vcpu, target); report at once if the start
 * is the target. */
static int sv_reverse_goto(struct sv_machine *m, const struct sv_options *o, unsigned vcpu,
			   uint64_t target)
{
	int st;

	m->rev.active = true;
	m->rev.vcpu = vcpu;
	m->rev.target = target;
	st = sv_machine_rebuild(m, o);
	if (st >= 0)
		return st;
	if (target == 0 && vcpu < m->dom->n_vcpus)
		return sv_reverse_reached(m, o, m->dom->vcpus[vcpu]);
	return -1;
}

int sv_reverse_start(struct sv_machine *m, const struct sv_options *o)
{
	struct sv_reverse *r = &m->rev;
	unsigned cpu;
	enum sv_gdb_reverse kind = sv_gdb_reverse_request(m->gdb, &cpu);
	uint64_t pos = sv_reverse_pos(m->dom->vcpus[cpu]);

	memset(r, 0, sizeof(*r));
	if (kind == SV_GDB_REVERSE_STEP) {
		if (pos == 0)
			return sv_gdb_reverse_stop(m->gdb, m->dom->vcpus[cpu],
						   SV_GDB_STOP_HISTORY_BEGIN, 0, 0);
		r->why = SV_GDB_STOP_STEP;
		return sv_reverse_goto(m, o, cpu, pos - 1);
	}
	r->collect = true;
	return sv_reverse_goto(m, o, cpu, pos);
}

int64_t sv_reverse_budget(const struct sv_reverse *r, const struct vcpu *v, int64_t budget)
{
	uint64_t pos = sv_reverse_pos(v);

	if (!r->active || v->id != r->vcpu || pos >= r->target)
		return budget;
	return (int64_t)MIN((uint64_t)budget, r->target - pos);
}

bool sv_reverse_at_target(const struct sv_reverse *r, const struct vcpu *v)
{
	return r->active && v->id == r->vcpu && sv_reverse_pos(v) >= r->target;
}

void sv_reverse_note_stop(struct sv_reverse *r, struct vcpu *v)
{
	struct cpu *cpu = v->cpu;

	/* Only hits before the point where gdb asked (a stop there is the
	 * one gdb is looking at). */
	if (!r->collect || v->id != r->vcpu || sv_reverse_pos(v) >= r->target)
		return;
	if (cpu->debug_reason == CPU_DEBUG_BREAKPOINT) {
		r->hit_why = SV_GDB_STOP_BREAKPOINT;
	} else if (cpu->debug_reason == CPU_DEBUG_WATCHPOINT) {
		r->hit_why = SV_GDB_STOP_WATCHPOINT;
		r->hit_addr = cpu->watch_hit_addr;
		r->hit_kind = cpu->watch_hit_kind;
	} else {
		return;
	}
	r->have_hit = true;
	r->hit_vcpu = v->id;
	r->hit_pos = sv_reverse_pos(v);
}

int sv_reverse_reached(struct sv_machine *m, const struct sv_options *o, struct vcpu *v)
{
	struct sv_reverse *r = &m->rev;

	if (r->collect) {
		struct sv_reverse hit = *r;

		memset(r, 0, sizeof(*r));
		if (!hit.have_hit) {
			/* Nothing before: back to the very start. */
			r->why = SV_GDB_STOP_HISTORY_BEGIN;
			return sv_reverse_goto(m, o, hit.vcpu, 0);
		}
		r->why = hit.hit_why;
		r->watch_addr = hit.hit_addr;
		r->watch_kind = hit.hit_kind;
		return sv_reverse_goto(m, o, hit.hit_vcpu, hit.hit_pos);
	}
	r->active = false;
	sv_machine_reexec_done(m, o);
	return sv_gdb_reverse_stop(m->gdb, v, r->why, r->watch_addr, r->watch_kind);
}
