/*
 * The input layer (see frontend/input.h): host console input, delivered to
 * the guest at the start of run-driver rounds.
 *
 * Worked example: the user types "ls\r" into a pseries Linux guest. The
 * bytes wait in the terminal until round 5123 starts; sv_input_round_start()
 * polls standard input (never blocking), reads the three bytes and appends
 * them to the queue (and, with --record, logs "round 5123: 'ls\r'").
 * Linux's hvc_vio polls H_GET_TERM_CHAR from a timer; the hcall takes the
 * bytes from the queue through hv_console_read() -> sv_input_read(). A
 * replay appends the same bytes at round 5123, so the hcall made at the same
 * instruction count finds the same bytes.
 */
#include "frontend/input.h"
#include "devices/xen_console.h"
#include "frontend/options.h"
#include "frontend/rr.h"
#include "hv/hv.h"
#include "sv/snap.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#define SV_ESCAPE_CHAR 0x01 /* Ctrl-A */

/* ---- The terminal ----------------------------------------------------------
 *
 * The terminal is a process-wide resource and must be restored from signal
 * handlers and atexit, which get no argument: its saved state is the one
 * piece of file-scope mutable state here (there is one terminal per
 * process, however many machines).
 */
static struct termios sv_tty_saved;
static volatile sig_atomic_t sv_tty_raw;
static int sv_tty_fd = -1;

static void sv_tty_restore(void)
{
	if (sv_tty_raw) {
		tcsetattr(sv_tty_fd, TCSANOW, &sv_tty_saved);
		sv_tty_raw = 0;
	}
}

/* A fatal signal while the terminal is raw: restore it, then die of the
 * signal as if we had not caught it (async-signal-safe calls only). */
static void sv_tty_fatal_signal(int sig)
{
	sv_tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void sv_tty_catch_fatal_signals(void)
{
	static const int sigs[] = { SIGHUP,  SIGINT, SIGQUIT, SIGTERM, SIGPIPE,
				    SIGSEGV, SIGBUS, SIGILL,  SIGFPE,  SIGABRT };
	static bool atexit_done;

	for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
		struct sigaction sa, old;

		/* Keep a handler someone else installed (sanitizers). */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_DFL &&
		    old.sa_handler != SIG_IGN)
			continue;
		if (old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = sv_tty_fatal_signal;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESETHAND;
		sigaction(sigs[i], &sa, NULL);
	}
	if (!atexit_done) {
		atexit(sv_tty_restore);
		atexit_done = true;
	}
}

/* Raw mode on fd if it is a terminal this process may change (it is in the
 * terminal's foreground process group: a background job would be stopped
 * by SIGTTOU/SIGTTIN). false: leave the terminal alone and do not read it. */
static bool sv_tty_make_raw(int fd)
{
	struct termios t;

	if (tcgetpgrp(fd) != getpgrp() || tcgetattr(fd, &sv_tty_saved) < 0)
		return false;
	t = sv_tty_saved;
	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t.c_cflag |= CS8;
	/* Output processing stays: softvisor's own messages still start
	 * their lines at column 0. */
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	sv_tty_fd = fd;
	sv_tty_catch_fatal_signals();
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return false;
	sv_tty_raw = 1;
	return true;
}

/* ---- Host bytes -> queue ---------------------------------------------------- */

static void sv_input_help(void)
{
	fprintf(stderr, "\r\nsoftvisor console keys:\r\n"
			"  Ctrl-A x        quit\r\n"
			"  Ctrl-A Ctrl-A   send Ctrl-A to the guest\r\n"
			"  Ctrl-A h        this help\r\n");
}

/* Filter raw host bytes through the escape keys (terminals only) into
 * out; returns the number of bytes for the guest. */
static size_t sv_input_filter(struct sv_input *in, const uint8_t *buf, size_t len, uint8_t *out)
{
	size_t n = 0;

	if (!sv_tty_raw) {
		memcpy(out, buf, len);
		return len;
	}
	for (size_t i = 0; i < len && !in->quit; i++) {
		uint8_t c = buf[i];

		if (!in->escape) {
			if (c == SV_ESCAPE_CHAR)
				in->escape = true;
			else
				out[n++] = c;
			continue;
		}
		in->escape = false;
		switch (c) {
		case 'x':
		case 'X': in->quit = true; break;
		case SV_ESCAPE_CHAR: out[n++] = c; break;
		case 'h':
		case 'H':
		case '?': sv_input_help(); break;
		default: break; /* unknown escapes are dropped, as in QEMU */
		}
	}
	return n;
}

/* Read what the host has now (never blocks) into the queue. */
static void sv_input_poll_host(struct sv_input *in)
{
	uint8_t buf[512], out[512];
	struct pollfd p = { .fd = in->fd, .events = POLLIN };
	size_t room = SV_INPUT_QUEUE_MAX - MIN(in->queue->len, SV_INPUT_QUEUE_MAX);
	ssize_t r;

	if (in->fd < 0 || in->eof || in->quit || room == 0)
		return;
	if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	r = read(in->fd, buf, MIN(room, sizeof(buf)));
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		in->eof = true;
		return;
	}
	g_byte_array_append(in->queue, out, (guint)sv_input_filter(in, buf, (size_t)r, out));
}

/* Move queued bytes into the Xen console ring, as many as fit. */
static void sv_input_fill_ring(struct sv_input *in)
{
	size_t n;

	if (!in->ring || !in->queue->len)
		return;
	n = xen_console_push_input(in->ring, in->queue->data, in->queue->len);
	g_byte_array_remove_range(in->queue, 0, (guint)n);
}

/* ---- The run driver's interface -------------------------------------------- */

void sv_input_open(struct sv_input *in, struct domain *d, struct xen_console *ring, bool host_stdin,
		   struct sv_rr *rr)
{
	memset(in, 0, sizeof(*in));
	in->d = d;
	in->ring = ring;
	in->fd = -1;
	in->rr = rr;
	in->queue = g_byte_array_new();
	in->history = g_array_new(FALSE, FALSE, sizeof(struct sv_input_delivery));
	in->hist_data = g_byte_array_new();
	/* A replay takes its input from the log, never from the host. */
	if (!host_stdin || sv_rr_replaying(rr))
		return;
	if (isatty(STDIN_FILENO)) {
		if (sv_tty_make_raw(STDIN_FILENO))
			in->fd = STDIN_FILENO;
	} else {
		in->fd = STDIN_FILENO;
	}
}

void sv_input_rewind(struct sv_input *in, struct domain *d, struct xen_console *ring)
{
	in->d = d;
	in->ring = ring;
	in->round = 0;
	in->hist_next = 0;
	g_byte_array_set_size(in->queue, 0);
}

void sv_input_close(struct sv_input *in)
{
	if (in->fd >= 0 && in->fd == sv_tty_fd)
		sv_tty_restore();
	if (in->queue)
		g_byte_array_free(in->queue, TRUE);
	if (in->history)
		g_array_free(in->history, TRUE);
	if (in->hist_data)
		g_byte_array_free(in->hist_data, TRUE);
	sv_rr_close(in->rr);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}

int sv_input_round_start(struct sv_input *in)
{
	guint queued = in->queue->len;
	int st;

	in->round++;
	/* A prompt has no newline: what the guest printed so far is shown
	 * before it waits for the answer (hv buffers lines). */
	if (in->d->console_line->len)
		hv_console_flush(in->d);
	if (in->rr) {
		/* The state as the round starts, before this round's input. */
		if ((st = sv_rr_check_running(in->rr, in->d, in->round)) >= 0 ||
		    (st = sv_rr_round_digest(in->rr, in->d, in->round)) >= 0)
			return st;
	}
	if (sv_rr_replaying(in->rr)) {
		sv_rr_take_input(in->rr, in->round, in->queue);
	} else if (in->round <= in->frontier) {
		/* Re-executing: the input this round had the first time. */
		while (in->hist_next < in->history->len) {
			struct sv_input_delivery *h = &g_array_index(
				in->history, struct sv_input_delivery, in->hist_next);
			if (h->round != in->round)
				break;
			g_byte_array_append(in->queue, in->hist_data->data + h->off, h->len);
			in->hist_next++;
		}
	} else {
		guint before = in->queue->len;

		sv_input_poll_host(in);
		in->frontier = in->round;
		if (in->queue->len > before) {
			struct sv_input_delivery h = { in->round, in->hist_data->len,
						       in->queue->len - before };

			g_byte_array_append(in->hist_data, in->queue->data + before, h.len);
			g_array_append_val(in->history, h);
			in->hist_next = in->history->len;
		}
		if (in->rr)
			sv_rr_log_input(in->rr, in->d, in->round, in->queue->data + before,
					in->queue->len - before);
	}
	sv_input_fill_ring(in);
	/* New input for a polled console (a PAPR vty): its interrupt. */
	if (!in->ring && in->queue->len > queued)
		hv_console_input(in->d);
	return -1;
}

int sv_input_round_end(struct sv_input *in)
{
	if (in->quit) {
		hv_console_flush(in->d);
		sv_tty_restore();
		sv_error("stopped by the user (Ctrl-A x)");
		return SV_EXIT_TIMEOUT;
	}
	if (sv_rr_replaying(in->rr)) {
		int st = sv_rr_external_stop(in->rr, in->round);

		if (st >= 0) {
			hv_console_flush(in->d);
			sv_error("replay: the recorded run was stopped here (exit status %d)", st);
		}
		return st;
	}
	return -1;
}

int sv_input_finish(struct sv_input *in, int status)
{
	if (!in->rr || status == SV_EXIT_DIVERGED)
		return status;
	/* Timeout, Ctrl-A x, gdb's kill: stopped from outside the guest. */
	return sv_rr_finish(in->rr, in->d, in->round, status, status == SV_EXIT_TIMEOUT);
}

bool sv_input_wait(struct sv_input *in, int64_t deadline)
{
	struct pollfd p = { .fd = in->fd, .events = POLLIN };
	int ms = -1;

	if (sv_rr_replaying(in->rr))
		return sv_rr_input_pending(in->rr);
	if (in->round < in->frontier)
		return true; /* re-executing: the history goes on */
	if (in->fd < 0 || in->eof || in->quit)
		return false;
	if (deadline) {
		int64_t left = deadline - g_get_monotonic_time();
		ms = left <= 0 ? 0 : (int)MIN(left / 1000 + 1, 1000000);
	}
	/* Input, a hangup or the deadline: the next round looks. */
	poll(&p, 1, ms);
	return true;
}

void sv_input_idle(struct sv_input *in, uint64_t ns)
{
	struct pollfd p = { .fd = in->fd, .events = POLLIN };

	if (in->fd < 0 || in->eof || in->quit || !sv_tty_raw || in->queue->len ||
	    sv_rr_replaying(in->rr) || in->round < in->frontier)
		return;
	poll(&p, 1, (int)MIN(ns / 1000000, 100));
}

size_t sv_input_read(struct sv_input *in, char *buf, size_t len, bool consume)
{
	size_t n = MIN(len, in->queue->len);

	if (in->ring)
		return 0; /* this guest's console input goes to its ring */
	memcpy(buf, in->queue->data, n);
	if (consume)
		g_byte_array_remove_range(in->queue, 0, (guint)n);
	return n;
}

/*
 * Snapshots: the round the machine is at and the bytes delivered but not
 * yet taken. The history stays this run's: re-executing from a snapshot of
 * round R replays the deliveries after R.
 */
void sv_input_save(const struct sv_input *in, struct sv_snap_w *w)
{
	sv_snap_put_u64(w, in->round);
	sv_snap_put_bytes(w, in->queue->data, in->queue->len);
}

int sv_input_load(struct sv_input *in, struct sv_snap_r *r)
{
	const uint8_t *q;
	size_t len = 0;

	if (!sv_snap_get_u64(r, &in->round))
		return -EINVAL;
	q = sv_snap_get_blob(r, 1u << 24, &len);
	if (!q)
		return -EINVAL;
	g_byte_array_set_size(in->queue, 0);
	g_byte_array_append(in->queue, q, (guint)len);
	in->hist_next = 0;
	while (in->hist_next < in->history->len &&
	       g_array_index(in->history, struct sv_input_delivery, in->hist_next).round <=
		       in->round)
		in->hist_next++;
	return 0;
}
