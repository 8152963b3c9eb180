/*
 * Reverse execution for gdb (reverse-stepi, reverse-continue: the bs and bc
 * packets) by deterministic re-execution.
 *
 * A run is a function of its image, options and inputs (frontend/input.h
 * keeps every input with the round it arrived in), and stops never change
 * the round structure (a debug stop resumes the same slice; budgets and
 * timer deadlines are instruction-exact, cpu_tb_too_long). So any earlier
 * point is reached again by rebuilding the machine from its start state and
 * running to it, silently (no console output, no traces, gdb not asked).
 * A point is (vcpu, instructions that vcpu retired plus exits hv handled
 * for it), idle time excluded (sv_reverse_pos):
 *
 *   reverse-stepi at n   rebuild, run to n - 1, report a step
 *   reverse-continue     rebuild, run to n noting every breakpoint and
 *                        watchpoint hit; rebuild again and run to the last
 *                        hit (reported as such), or report the start of
 *                        the history (replaylog:begin) if there was none
 *
 * In-memory snapshots (frontend/snapshot.h) shorten the re-execution: the
 * run keeps one at its first round (its start, or the --restore point) and
 * then one every --reverse-interval instructions (default 2,000,000, or 4
 * per byte of the last snapshot if that is more: a Linux guest's 70 MB
 * snapshots come every 280 M instructions, so taking them costs about a
 * tenth of the run) at a round boundary. A re-execution rebuilds the machine, loads the latest
 * snapshot before the target and runs from there; reverse-continue searches
 * the stretch from that snapshot to the target first and, if no breakpoint
 * or watchpoint was hit in it, the stretch before, back to the first one:
 *
 *   snapshots   S0 ------ S1 ------ S2 ---- now
 *   bc          run S2 -> now noting hits; none: S1 -> S2; hit at h: load
 *               S1 again and run to h, report it
 *
 * Memory: at most SV_REVERSE_MAX_SNAPS snapshots and SV_REVERSE_MAX_BYTES
 * of them (each holds the non-zero guest pages); past either, every other
 * one is dropped (the first stays) and the interval doubles, so a long run
 * keeps snapshots spread over all of it.
 *
 * Limits: not with --record or --replay; the history starts at the first
 * snapshot (the run's start, or the --restore point); changes gdb made to
 * registers or memory are not re-applied; a watchpoint is reported before
 * the accessing instruction.
 */
#ifndef SV_FRONTEND_REVERSE_H
#define SV_FRONTEND_REVERSE_H

#include "frontend/gdbstub.h"

#include <glib.h>

struct sv_machine;
struct sv_options;
struct vcpu;

struct sv_reverse {
	bool active;     /* re-executing */
	bool collect;    /* reverse-continue's first pass: note the hits */
	unsigned vcpu;   /* the target's vcpu */
	uint64_t target; /* instructions executed by that vcpu */
	enum sv_gdb_reverse_stop why;
	uint64_t watch_addr;
	unsigned watch_kind;
	/* The last hit noted in the first pass. */
	bool have_hit;
	unsigned hit_vcpu;
	uint64_t hit_pos;
	enum sv_gdb_reverse_stop hit_why;
	uint64_t hit_addr;
	unsigned hit_kind;
	/* The snapshot this re-execution started from (-1: none). */
	int from;
};

#define SV_REVERSE_MAX_SNAPS 64
#define SV_REVERSE_MAX_BYTES (512ull << 20)

/* One in-memory snapshot: the round it was taken before, each vcpu's
 * position then, and the image. */
struct sv_reverse_snap {
	uint64_t round, icount;
	uint64_t *pos;
	GByteArray *img;
};

/* The run's snapshots, oldest first (kept across rebuilds). */
struct sv_reverse_history {
	GPtrArray *snaps; /* struct sv_reverse_snap * */
	uint64_t bytes;
	uint64_t interval; /* instructions (all vcpus) between snapshots; 0: none */
};

/* At a round boundary: take an in-memory snapshot if one is due. */
void sv_reverse_checkpoint(struct sv_machine *m, const struct sv_options *o);
void sv_reverse_history_free(struct sv_reverse_history *h);

/* Instructions v executed (its icount without the idle time skipped). */
uint64_t sv_reverse_pos(const struct vcpu *v);
/* gdb asked for bs/bc: rebuild the machine and start re-executing. Returns
 * -1 to run on (the machine was rebuilt: restart the round), an exit
 * status, or SV_GDB_REVERSE if gdb asked again at once. */
int sv_reverse_start(struct sv_machine *m, const struct sv_options *o);
/* The budget of v's next cpu_exec, cut so it stops at the target. */
int64_t sv_reverse_budget(const struct sv_reverse *r, const struct vcpu *v, int64_t budget);
bool sv_reverse_at_target(const struct sv_reverse *r, const struct vcpu *v);
/* A debug stop of v while re-executing: note it (first pass). */
void sv_reverse_note_stop(struct sv_reverse *r, struct vcpu *v);
/* v is at the target: report to gdb, or start the second pass. Returns as
 * sv_reverse_start (-1 here also means "go on", the machine possibly
 * rebuilt: check m->rev and m->dom). */
int sv_reverse_reached(struct sv_machine *m, const struct sv_options *o, struct vcpu *v);

#endif
