/*
 * Reverse execution by re-execution (see frontend/reverse.h).
 *
 * Worked example: gdb stopped at a breakpoint on vcpu 0 after 5,000
 * executed instructions; `reverse-continue` sends bc. sv_reverse_start
 * rebuilds the machine and re-executes to 5,000 with collect set; the
 * breakpoint stops at 1,200 and 3,400 are noted (and resumed at once). At
 * 5,000 sv_reverse_reached rebuilds again and re-executes to 3,400, where it
 * reports "T05 swbreak" to gdb, which shows the breakpoint's line. With
 * in-memory snapshots S0 (round 1) and S1 (taken at 3,000 executed), the
 * first pass loads S1 and runs 3,000 -> 5,000 (finding 3,400), and the
 * second loads S1 again and runs to 3,400: 2,400 instructions re-executed
 * instead of 8,400.
 */
#include "frontend/reverse.h"
#include "frontend/machine.h"
#include "frontend/snapshot.h"
#include "cpu/cpu.h"

#include <inttypes.h>

uint64_t sv_reverse_pos(const struct vcpu *v)
{
	/* An instruction that exits is not retired by the CPU (hv emulates
	 * it): each exit handled counts as one step. */
	return v->cpu->icount + v->n_exits;
}

static void sv_reverse_snap_free(gpointer p)
{
	struct sv_reverse_snap *s = p;

	g_free(s->pos);
	g_byte_array_free(s->img, TRUE);
	g_free(s);
}

void sv_reverse_history_free(struct sv_reverse_history *h)
{
	if (h->snaps)
		g_ptr_array_free(h->snaps, TRUE);
	memset(h, 0, sizeof(*h));
}

static struct sv_reverse_snap *sv_reverse_snap(const struct sv_machine *m, int k)
{
	return g_ptr_array_index(m->rev_hist.snaps, (guint)k);
}

/* Past the bounds: drop every other snapshot but the first, and space the
 * next ones twice as far apart. */
static void sv_reverse_thin(struct sv_reverse_history *h)
{
	while ((h->snaps->len > SV_REVERSE_MAX_SNAPS || h->bytes > SV_REVERSE_MAX_BYTES) &&
	       h->snaps->len > 2) {
		for (guint i = 1; i + 1 < h->snaps->len; i++) {
			struct sv_reverse_snap *s = g_ptr_array_index(h->snaps, i);

			h->bytes -= s->img->len;
			g_ptr_array_remove_index(h->snaps, i); /* keeps the order */
		}
		h->interval *= 2;
	}
}

void sv_reverse_checkpoint(struct sv_machine *m, const struct sv_options *o)
{
	struct sv_reverse_history *h = &m->rev_hist;
	struct domain *d = m->dom;
	struct sv_reverse_snap *s, *last;

	/* Only a debugged run that can go back needs them. */
	if (!m->gdb || o->record || o->replay)
		return;
	if (!h->snaps) {
		h->snaps = g_ptr_array_new_with_free_func(sv_reverse_snap_free);
		h->interval = o->reverse_interval;
	}
	last = h->snaps->len ? g_ptr_array_index(h->snaps, h->snaps->len - 1) : NULL;
	/* The first one always (the history's start: the run's, or the
	 * --restore point); then every interval, past the newest. */
	if (last) {
		/* By default at least 4 instructions per byte saved: taking
		 * one costs about a tenth of the run between two. */
		uint64_t gap = o->reverse_interval_set ?
				       h->interval :
				       MAX(h->interval, 4 * (uint64_t)last->img->len);

		if (!h->interval || m->input.round <= last->round ||
		    hv_domain_icount(d) < last->icount + gap)
			return;
	}
	s = g_new0(struct sv_reverse_snap, 1);
	s->round = m->input.round;
	s->icount = hv_domain_icount(d);
	s->pos = g_new(uint64_t, d->n_vcpus);
	for (unsigned i = 0; i < d->n_vcpus; i++)
		s->pos[i] = sv_reverse_pos(d->vcpus[i]);
	s->img = sv_snapshot_save(m, o, false);
	h->bytes += s->img->len;
	g_ptr_array_add(h->snaps, s);
	sv_reverse_thin(h);
}

/* Where the history starts for vcpu. */
static uint64_t sv_reverse_origin(const struct sv_machine *m, unsigned vcpu)
{
	if (!m->rev_hist.snaps || !m->rev_hist.snaps->len)
		return 0;
	return sv_reverse_snap(m, 0)->pos[vcpu];
}

/* The latest snapshot at which vcpu's position was before target (strict)
 * or not after it; -1 if none. */
static int sv_reverse_pick(const struct sv_machine *m, unsigned vcpu, uint64_t target, bool strict)
{
	if (!m->rev_hist.snaps)
		return -1;
	for (int k = (int)m->rev_hist.snaps->len - 1; k >= 0; k--) {
		uint64_t p = sv_reverse_snap(m, k)->pos[vcpu];

		if (strict ? p < target : p <= target)
			return k;
	}
	return -1;
}

/* Rebuild, load the latest snapshot before (vcpu, target) (strictly before
 * with strict: reverse-continue's search needs a stretch to run), and
 * re-execute to it; report at once if that is where the snapshot is. */
static int sv_reverse_goto(struct sv_machine *m, const struct sv_options *o, unsigned vcpu,
			   uint64_t target, bool strict)
{
	int st, k;

	m->rev.active = true;
	m->rev.vcpu = vcpu;
	m->rev.target = target;
	k = vcpu < m->dom->n_vcpus ? sv_reverse_pick(m, vcpu, target, strict) : -1;
	m->rev.from = k;
	if (k < 0) {
		/* No snapshot (yet): from the machine's start state. */
		st = sv_machine_rebuild(m, o);
		if (st >= 0)
			return st;
	} else {
		/* The snapshot holds the whole machine: load it over this
		 * one (no rebuild: a 512 MiB machine costs a tenth of a
		 * second to build). */
		struct sv_reverse_snap *s = sv_reverse_snap(m, k);

		st = sv_machine_rewind(m, o, s->img->data, s->img->len);
		if (st >= 0)
			return st;
		/* As at the start: a breakpoint where a vcpu stands is hit. */
		for (unsigned i = 0; i < m->dom->n_vcpus; i++) {
			m->dom->vcpus[i]->cpu->resume_valid = false;
			m->dom->vcpus[i]->cpu->watch_skip = false;
		}
	}
	if (vcpu < m->dom->n_vcpus && sv_reverse_pos(m->dom->vcpus[vcpu]) >= target)
		return sv_reverse_reached(m, o, m->dom->vcpus[vcpu]);
	return -1;
}

int sv_reverse_start(struct sv_machine *m, const struct sv_options *o)
{
	struct sv_reverse *r = &m->rev;
	unsigned cpu;
	enum sv_gdb_reverse kind = sv_gdb_reverse_request(m->gdb, &cpu);
	uint64_t pos = sv_reverse_pos(m->dom->vcpus[cpu]);

	uint64_t origin = sv_reverse_origin(m, cpu);

	memset(r, 0, sizeof(*r));
	if (pos <= origin)
		return sv_gdb_reverse_stop(m->gdb, m->dom->vcpus[cpu], SV_GDB_STOP_HISTORY_BEGIN, 0,
					   0);
	if (kind == SV_GDB_REVERSE_STEP) {
		r->why = SV_GDB_STOP_STEP;
		return sv_reverse_goto(m, o, cpu, pos - 1, false);
	}
	r->collect = true;
	return sv_reverse_goto(m, o, cpu, pos, true);
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
		if (!hit.have_hit && hit.from > 0) {
			/* Nothing in this stretch: search the one before. */
			r->collect = true;
			return sv_reverse_goto(m, o, hit.vcpu,
					       sv_reverse_snap(m, hit.from)->pos[hit.vcpu], true);
		}
		if (!hit.have_hit) {
			/* Nothing before: back to the start of the history. */
			r->why = SV_GDB_STOP_HISTORY_BEGIN;
			return sv_reverse_goto(m, o, hit.vcpu, sv_reverse_origin(m, hit.vcpu),
					       false);
		}
		r->why = hit.hit_why;
		r->watch_addr = hit.hit_addr;
		r->watch_kind = hit.hit_kind;
		return sv_reverse_goto(m, o, hit.hit_vcpu, hit.hit_pos, false);
	}
	r->active = false;
	sv_machine_reexec_done(m, o);
	return sv_gdb_reverse_stop(m->gdb, v, r->why, r->watch_addr, r->watch_kind);
}
