/*
 * The gdb remote stub: `softvisor run --gdb=[HOST:]PORT` (see gdbstub.c for
 * the protocol subset and the run-loop contract).
 *
 * The run driver (frontend/machine.c) calls it at three points:
 *
 *     g = sv_gdb_open(spec, d)            listen, wait for gdb, accept
 *     status = sv_gdb_start(g)            serve until gdb resumes the guest
 *     loop: stop = cpu_exec(v->cpu, ...); hv handles exits;
 *           status = sv_gdb_after_exec(g, v, stop)
 *                                         report breakpoint / step / Ctrl-C
 *                                         stops and serve gdb until it
 *                                         resumes; -1 = go on
 *     sv_gdb_finish(g, status)            W/X reply: the guest's end
 *     sv_gdb_close(g)
 */
#ifndef SV_FRONTEND_GDBSTUB_H
#define SV_FRONTEND_GDBSTUB_H

#include "cpu/cpu.h"

struct sv_gdb;
struct domain;
struct vcpu;

/* Parse "[HOST:]PORT" (HOST default 127.0.0.1; "[v6addr]:PORT" too; PORT 0
 * lets the system pick one, which the waiting message shows). false if
 * malformed. *host is g_malloc'ed. */
bool sv_gdb_parse_spec(const char *spec, char **host, unsigned *port);

/* Listen on spec, print "softvisor: waiting for gdb on HOST:PORT" on stderr
 * and accept one connection. NULL after printing why it failed. */
struct sv_gdb *sv_gdb_open(const char *spec, struct domain *d);
void sv_gdb_close(struct sv_gdb *g);

/* Before the first instruction: serve gdb until it resumes the guest.
 * Returns -1 to run, or an exit status (gdb killed the guest). */
int sv_gdb_start(struct sv_gdb *g);

/* After a cpu_exec of v returned stop (and hv handled the exit, if any):
 * report a debug stop, a completed step or a Ctrl-C to gdb and serve it
 * until it resumes. Returns -1 to go on, or an exit status (killed). */
int sv_gdb_after_exec(struct sv_gdb *g, struct vcpu *v, enum cpu_stop stop);

/*
 * Reverse execution (bs, bc). The stub only offers ReverseStep and
 * ReverseContinue after sv_gdb_allow_reverse(g, true). When gdb asks, the
 * serving calls above return SV_GDB_REVERSE; the run driver reads the request
 * (which vcpu), re-executes the run (frontend/machine.c) to the point, calls
 * sv_gdb_rebind() for the new machine and sv_gdb_reverse_stop() to report the
 * stop and serve gdb again (same returns as sv_gdb_after_exec).
 */
#define SV_GDB_REVERSE (-2)

enum sv_gdb_reverse {
	SV_GDB_REVERSE_STEP,
	SV_GDB_REVERSE_CONTINUE,
};

enum sv_gdb_reverse_stop {
	SV_GDB_STOP_STEP,          /* one instruction back */
	SV_GDB_STOP_BREAKPOINT,    /* at a breakpoint (its instruction not run) */
	SV_GDB_STOP_WATCHPOINT,    /* before the instruction that accessed */
	SV_GDB_STOP_HISTORY_BEGIN, /* nothing earlier: the start of the run */
};

void sv_gdb_allow_reverse(struct sv_gdb *g, bool on);
/* `monitor savevm FILE` calls savevm(opaque, FILE) (frontend/monitor.h). */
void sv_gdb_set_savevm(struct sv_gdb *g, char *(*savevm)(void *opaque, const char *path),
		       void *opaque);
enum sv_gdb_reverse sv_gdb_reverse_request(const struct sv_gdb *g, unsigned *cpu_index);
/* The machine was rebuilt: serve the new domain, with every breakpoint and
 * watchpoint gdb set inserted into its vcpus. */
void sv_gdb_rebind(struct sv_gdb *g, struct domain *d);
int sv_gdb_reverse_stop(struct sv_gdb *g, struct vcpu *v, enum sv_gdb_reverse_stop why,
			uint64_t watch_addr, unsigned watch_kind);
bool sv_gdb_attached(const struct sv_gdb *g);

/* The run ended with exit status `status`: tell gdb (W for poweroff and
 * reboot, X for a crash or timeout). */
void sv_gdb_finish(struct sv_gdb *g, int status);

#endif
