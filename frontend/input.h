/*
 * The input layer: the one door through which anything from outside the
 * machine reaches the guest (DESIGN.md §7). Today that is console input.
 *
 * Host bytes are never handed to the guest when they arrive. The run
 * driver (frontend/machine.c) opens a *round* each time it goes round its
 * vcpus; only at the start of a round does this layer read the host (without
 * blocking) and deliver what it read, so the guest sees input at a point the
 * run itself defines: round R, at the same instruction counts in every run
 * that took the same inputs. --record logs each delivery by round and
 * --replay delivers the logged bytes at the same rounds instead of reading
 * the host (frontend/rr.c).
 *
 * Where delivered bytes go:
 *   - a Xen console ring (x86 Xen guests: Linux's hvc0): pushed into the ring
 *     (xen_console_push_input), which notifies the guest's event channel;
 *     what does not fit waits for a later round;
 *   - otherwise a queue that the guest polls through hv_console_read():
 *     CONSOLEIO_read (POWER under the Xen personality) and H_GET_TERM_CHAR
 *     (the PAPR vty of a pseries partition).
 *
 * The host side: standard input, when the console is stdio. A terminal is
 * put in raw mode (no echo, no line editing, no signals from keys; output
 * processing stays on) and restored on every way out: normal exit, a fatal
 * signal, a crash of softvisor itself. On a terminal Ctrl-A is an escape:
 *
 *     Ctrl-A x        quit (exit status 4, as a timeout)
 *     Ctrl-A Ctrl-A   send one Ctrl-A to the guest
 *     Ctrl-A h        list these keys (on stderr)
 *
 * A pipe or file on standard input is read as it is (no escapes). When every
 * vcpu waits with no timer that could wake it, the run waits for host input
 * instead of ending as a deadlock, as long as more input can come.
 */
#ifndef SV_FRONTEND_INPUT_H
#define SV_FRONTEND_INPUT_H

#include "sv/common.h"

#include <glib.h>

struct domain;
struct xen_console;
struct sv_rr;

/* Bytes delivered but not yet taken by the guest, at most (the host is
 * not read further while the queue is this full: backpressure). */
#define SV_INPUT_QUEUE_MAX 4096u

struct sv_input {
	struct domain *d;
	struct xen_console *ring; /* push target, or NULL: polled queue */
	int fd;                   /* host input, or -1 */
	bool eof;                 /* the host input ended */
	bool escape;              /* the last host byte was Ctrl-A */
	bool quit;                /* Ctrl-A x */
	uint64_t round;           /* rounds started */
	GByteArray *queue;        /* delivered, not yet in the ring / taken */
	struct sv_rr *rr;         /* --record / --replay, or NULL */
	/* Every delivery of this run (round, bytes), for re-execution
	 * (frontend/reverse.h): rounds up to `frontier` replay it. */
	GArray *history; /* struct sv_input_delivery */
	GByteArray *hist_data;
	unsigned hist_next;
	uint64_t frontier;
};

struct sv_input_delivery {
	uint64_t round;
	guint off, len;
};

/* host_stdin: read standard input (raw mode if it is a terminal in the
 * foreground). ring: the domain's Xen console, or NULL. rr: --record or
 * --replay (frontend/rr.h), or NULL; the input layer owns it after this. */
void sv_input_open(struct sv_input *in, struct domain *d, struct xen_console *ring, bool host_stdin,
		   struct sv_rr *rr);
/* The machine was rebuilt at its start (reverse execution): deliver the
 * same input again at the same rounds, then the host's. */
void sv_input_rewind(struct sv_input *in, struct domain *d, struct xen_console *ring);
/* Restores the terminal. */
void sv_input_close(struct sv_input *in);

/* The start of a round: deliver input (host, or the replay log). Returns
 * -1 to go on, or an exit status (replay divergence). */
int sv_input_round_start(struct sv_input *in);
/* The end of a round: -1 to go on, or an exit status (Ctrl-A x; a replayed
 * run that was stopped from outside stops at the same round). */
int sv_input_round_end(struct sv_input *in);
/* Every vcpu is blocked with nothing that could wake it: wait (until the
 * host clock reaches deadline, a g_get_monotonic_time() value, or 0 for
 * none) for input. false if no input can ever come (a deadlock). */
bool sv_input_wait(struct sv_input *in, int64_t deadline);
/* The run ends with status: with --record, log how (and the final digest);
 * with --replay, compare. Returns the exit status (SV_EXIT_DIVERGED if the
 * replay's end differs). */
int sv_input_finish(struct sv_input *in, int status);
/* Every vcpu is blocked and virtual time just jumped ns ahead to the next
 * timer: on a terminal, wait up to that long (at most 100 ms) for a key, so
 * an idle interactive guest does not spin through virtual time. Never
 * guest-visible: only when the next round starts depends on it. */
void sv_input_idle(struct sv_input *in, uint64_t ns);
/* The polled consoles' read (hv_console_sink.read). */
size_t sv_input_read(struct sv_input *in, char *buf, size_t len, bool consume);
/* Snapshots (frontend/snapshot.h): the round and the undelivered bytes. */
struct sv_snap_w;
struct sv_snap_r;
void sv_input_save(const struct sv_input *in, struct sv_snap_w *w);
int sv_input_load(struct sv_input *in, struct sv_snap_r *r);

#endif
