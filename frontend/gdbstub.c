/*
 * The gdb remote stub (GDB Remote Serial Protocol over TCP).
 *
 * A session, as a stock `gdb-multiarch` drives it:
 *
 *     softvisor run --gdb=1234 guest.elf
 *         softvisor: waiting for gdb on 127.0.0.1:1234
 *     (gdb) target remote :1234
 *         <- qSupported:...        -> PacketSize=4000;qXfer:features:read+;...
 *         <- qXfer:features:read:target.xml:0,ffb
 *                                  -> l<?xml ...>  (cpu/gdb.c writes it)
 *         <- ?                     -> T05thread:01;   (stopped at the entry)
 *         <- g                     -> all registers, hex, target byte order
 *     (gdb) break *0x100010 ; continue
 *         <- Z0,100010,1           -> OK   (cpu_breakpoint_insert, every vcpu)
 *         <- vCont;c               ...the guest runs (machine.c's loop)...
 *                                  -> T05thread:01;swbreak:;10:...;07:...;
 *     (gdb) stepi
 *         <- vCont;s:1;c           -> T05thread:01;...  (one instruction)
 *
 * Threads are vcpus, thread id = vcpu index + 1. The stub is all-stop: while
 * gdb has the guest stopped, the run loop is inside this file serving
 * packets, so no vcpu runs. While the guest runs, the loop calls
 * sv_gdb_after_exec after every cpu_exec quantum, which polls the socket for
 * Ctrl-C (0x03). While one vcpu single-steps, the others keep running their
 * quanta (no scheduler locking yet; with one vcpu this does not arise).
 *
 * Watchpoints (Z2 write, Z3 read, Z4 access) are checked in the softmmu slow
 * path (cpu/cpu.h): the CPU stops before the accessing instruction. On POWER
 * that is what gdb expects (it steps over the instruction itself); on x86
 * gdb expects a trap after the access, so the stub steps the instruction
 * first and then reports `watch:ADDR`.
 *
 * Breakpoints (Z0 software, Z1 hardware: the same thing here) are made by the
 * translator (cpu/cpu.h), never by patching guest memory. Single step sets
 * cpu->single_step on the stepped vcpu: cpu_exec returns CPU_STOP_DEBUG after
 * one instruction. An exit in the middle of a step (VMCALL, sc 1) is handled
 * by hv as usual; the step is complete once the pc has moved.
 *
 * Memory (m, M, X) is guest-virtual through the vcpu's current translation,
 * with its data mmu index (cpu_virt_read/write): an unmapped address answers
 * E14 (EFAULT). Registers come from the arch's cpu_gdb_ops (cpu/gdb.h).
 *
 * The end: guest power-off (reboot) -> W00 (W03), its exit status; a crash ->
 * X06 (SIGABRT); --timeout -> X0e (SIGALRM). `k` (kill) stops softvisor with
 * exit status 4, as --timeout does; `D` (detach) removes the breakpoints and
 * lets the guest run on without gdb, as does a dropped connection. Monitor
 * commands (gdb's `monitor`, qRcmd) are frontend/monitor.c's (`monitor help`).
 *
 * Nothing here trusts the peer: a malformed packet gets an error reply (or,
 * with a bad checksum, a NAK), lengths are bounded, and a dropped connection
 * ends the session cleanly.
 */
#include "frontend/gdbstub.h"
#include "cpu/gdb.h"
#include "frontend/monitor.h"
#include "frontend/options.h"
#include "hv/hv.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: SO_NOSIGPIPE is set on the socket instead */
#endif

/* What we tell gdb in qSupported (hex): the largest packet we accept. */
#define GDB_PACKET_SIZE 0x4000
/* Longest memory read answered in one m packet. */
#define GDB_MAX_MEM ((GDB_PACKET_SIZE - 16) / 2)

/* gdb's signal numbers (include/gdb/signals.def). */
enum {
	GDB_SIGINT = 2,
	GDB_SIGTRAP = 5,
	GDB_SIGABRT = 6,
	GDB_SIGALRM = 14,
};

/* Why the guest stopped, for the stop reply. */
enum gdb_why {
	GDB_WHY_NONE,
	GDB_WHY_SWBREAK,
	GDB_WHY_HWBREAK,
	GDB_WHY_WATCH, /* stop_watch_* say which */
};

/* A watchpoint as gdb set it (Z2 write, Z3 read, Z4 access). */
struct gdb_watch {
	uint64_t addr, len;
	unsigned type;
};

/* What the serve loop ended with. */
enum gdb_action {
	GDB_RESUME,
	GDB_DETACH,
	GDB_KILL,
	GDB_REVERSE, /* bs / bc: g->reverse says which */
};

/* Breakpoint kinds recorded per pc (bits), to say swbreak or hwbreak. */
enum {
	GDB_BP_SW = 1,
	GDB_BP_HW = 2,
};

struct sv_gdb {
	struct domain *d;
	const struct cpu_gdb_ops *ops;
	char *xml;
	int fd;         /* the connection; -1 once gone */
	bool no_ack;    /* QStartNoAckMode accepted */
	bool swbreak;   /* gdb understands swbreak:/hwbreak: stop reasons */
	bool attached;  /* a session is live (not detached, not dropped) */
	unsigned g_cpu; /* vcpu index for register and memory access (Hg) */
	int step_cpu;   /* vcpu being single-stepped, -1 if none */
	uint64_t step_pc;
	GHashTable *bps; /* pc -> GDB_BP_* bits */

	GArray *watches; /* struct gdb_watch */
	/* x86: a watchpoint hit before its instruction; reported once the
	 * instruction is stepped (gdb expects a trap after the access). */
	bool watch_pending;

	/* The last stop, for `?`. */
	unsigned stop_sig, stop_cpu;
	enum gdb_why stop_why;
	uint64_t stop_watch_addr;
	unsigned stop_watch_type; /* 2, 3, 4 as in Z2..Z4 */

	/* Reverse execution (bs/bc): what gdb asked for, and whether the run
	 * driver can do it (not while recording or replaying a log). */
	enum sv_gdb_reverse reverse;
	bool reverse_ok;
	bool history_begin; /* the next stop reply says replaylog:begin */

	/* monitor savevm (frontend/monitor.h). */
	char *(*savevm)(void *opaque, const char *path);
	void *savevm_opaque;

	/* Input bytes not consumed yet. */
	uint8_t in[4096];
	size_t in_len, in_pos;
	GString *last_sent; /* for a NAK's retransmission */
};

/* ---- The connection ------------------------------------------------------ */

bool sv_gdb_parse_spec(const char *spec, char **host, unsigned *port)
{
	const char *p, *colon;
	char *end;
	unsigned long v;

	if (!spec || !*spec)
		return false;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close[1] != ':' || close == spec + 1)
			return false;
		*host = g_strndup(spec + 1, (size_t)(close - spec - 1));
		p = close + 2;
	} else if ((colon = strrchr(spec, ':'))) {
		if (colon == spec || memchr(spec, ':', (size_t)(colon - spec)))
			return false;
		*host = g_strndup(spec, (size_t)(colon - spec));
		p = colon + 1;
	} else {
		*host = g_strdup("127.0.0.1");
		p = spec;
	}
	errno = 0;
	v = strtoul(p, &end, 10);
	if (!*p || *end || errno || v > 65535 || !g_ascii_isdigit(*p)) {
		g_free(*host);
		*host = NULL;
		return false;
	}
	*port = (unsigned)v;
	return true;
}

static int gdb_listen(const char *host, unsigned port, unsigned *bound)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	char service[16];
	int fd = -1, rc;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc) {
		sv_error("--gdb: cannot resolve %s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		int one = 1;

		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		sv_error("--gdb: cannot listen on %s:%u: %s", host, port, g_strerror(errno));
	} else {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);

		*bound = port;
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
			if (ss.ss_family == AF_INET)
				*bound = ntohs(((struct sockaddr_in *)&ss)->sin_port);
			else if (ss.ss_family == AF_INET6)
				*bound = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		}
	}
	freeaddrinfo(res);
	return fd;
}

struct sv_gdb *sv_gdb_open(const char *spec, struct domain *d)
{
	struct sv_gdb *g;
	char *host = NULL;
	unsigned port = 0, bound = 0;
	int lfd, fd, one = 1;

	if (!d->n_vcpus || !d->vcpus[0]->cpu->arch->gdb) {
		sv_error("--gdb: this architecture has no gdb register description");
		return NULL;
	}
	if (!sv_gdb_parse_spec(spec, &host, &port)) {
		sv_error("bad --gdb '%s' ([HOST:]PORT)", spec);
		return NULL;
	}
	lfd = gdb_listen(host, port, &bound);
	if (lfd < 0) {
		g_free(host);
		return NULL;
	}
	sv_error("waiting for gdb on %s:%u", host, bound);
	g_free(host);
	do
		fd = accept(lfd, NULL, NULL);
	while (fd < 0 && errno == EINTR);
	close(lfd);
	if (fd < 0) {
		sv_error("--gdb: accept failed: %s", g_strerror(errno));
		return NULL;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
#ifdef SO_NOSIGPIPE
	setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#endif
	g = g_new0(struct sv_gdb, 1);
	g->d = d;
	g->ops = d->vcpus[0]->cpu->arch->gdb;
	g->xml = cpu_gdb_target_xml(g->ops);
	g->fd = fd;
	g->attached = true;
	g->step_cpu = -1;
	g->bps = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	g->watches = g_array_new(FALSE, FALSE, sizeof(struct gdb_watch));
	g->last_sent = g_string_new(NULL);
	g->stop_sig = GDB_SIGTRAP;
	return g;
}

static void gdb_hangup(struct sv_gdb *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}

void sv_gdb_close(struct sv_gdb *g)
{
	if (!g)
		return;
	gdb_hangup(g);
	g_hash_table_destroy(g->bps);
	g_array_free(g->watches, TRUE);
	g_string_free(g->last_sent, TRUE);
	g_free(g->xml);
	g_free(g);
}

static void gdb_write(struct sv_gdb *g, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len && g->fd >= 0) {
		ssize_t n = send(g->fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			gdb_hangup(g);
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

/* Next input byte; -1 when the connection is gone. wait = false: -2 if
 * nothing is there right now. */
static int gdb_getc(struct sv_gdb *g, bool wait)
{
	if (g->in_pos == g->in_len) {
		ssize_t n;

		if (g->fd < 0)
			return -1;
		if (!wait) {
			struct pollfd pfd = { .fd = g->fd, .events = POLLIN };
			if (poll(&pfd, 1, 0) <= 0)
				return -2;
		}
		do
			n = recv(g->fd, g->in, sizeof(g->in), 0);
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			gdb_hangup(g);
			return -1;
		}
		g->in_len = (size_t)n;
		g->in_pos = 0;
	}
	return g->in[g->in_pos++];
}

/* ---- Packets ------------------------------------------------------------- */

static int gdb_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Send one packet: $data#checksum, with '#', '$', '}' and '*' escaped. */
static void gdb_put_packet_len(struct sv_gdb *g, const char *data, size_t len)
{
	GString *s = g_string_sized_new(len + 8);
	uint8_t sum = 0;

	g_string_append_c(s, '$');
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)data[i];
		if (c == '#' || c == '$' || c == '}' || c == '*') {
			g_string_append_c(s, '}');
			sum += '}';
			c ^= 0x20;
		}
		g_string_append_c(s, (char)c);
		sum += c;
	}
	g_string_append_printf(s, "#%02x", sum);
	g_string_assign(g->last_sent, s->str);
	gdb_write(g, s->str, s->len);
	g_string_free(s, TRUE);
}

static void gdb_put_packet(struct sv_gdb *g, const char *data)
{
	gdb_put_packet_len(g, data, strlen(data));
}

/*
 * Read the next packet's payload (unescaped) into out. Acks are consumed (a
 * NAK resends our last packet), a bad checksum is NAKed, an interrupt byte
 * while stopped is ignored. false when the connection is gone.
 */
static bool gdb_get_packet(struct sv_gdb *g, GString *out)
{
	for (;;) {
		uint8_t sum = 0;
		int c, hi, lo;
		bool ok = true;

		c = gdb_getc(g, true);
		if (c < 0)
			return false;
		if (c == '-' && !g->no_ack) {
			gdb_write(g, g->last_sent->str, g->last_sent->len);
			continue;
		}
		if (c != '$')
			continue; /* '+', 0x03 while stopped, noise */
		g_string_truncate(out, 0);
		for (;;) {
			c = gdb_getc(g, true);
			if (c < 0)
				return false;
			if (c == '#')
				break;
			sum += (uint8_t)c;
			if (c == '}') {
				c = gdb_getc(g, true);
				if (c < 0)
					return false;
				sum += (uint8_t)c;
				c ^= 0x20;
			}
			if (out->len < GDB_PACKET_SIZE * 2)
				g_string_append_c(out, (char)c);
			else
				ok = false; /* too long: answered with an error */
		}
		hi = gdb_getc(g, true);
		lo = gdb_getc(g, true);
		if (hi < 0 || lo < 0)
			return false;
		if (gdb_hexval(hi) < 0 || gdb_hexval(lo) < 0 ||
		    (uint8_t)(gdb_hexval(hi) << 4 | gdb_hexval(lo)) != sum) {
			if (!g->no_ack)
				gdb_write(g, "-", 1);
			continue;
		}
		if (!g->no_ack)
			gdb_write(g, "+", 1);
		if (!ok) {
			gdb_put_packet(g, "E01");
			continue;
		}
		return true;
	}
}

/* Parse a hex number at *p (at least one digit); advance *p. */
static bool gdb_parse_hex(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	unsigned n = 0;

	while (gdb_hexval(*s) >= 0) {
		if (n++ == 16)
			return false;
		x = x << 4 | (uint64_t)gdb_hexval(*s++);
	}
	if (!n)
		return false;
	*v = x;
	*p = s;
	return true;
}

static void gdb_append_hex(GString *s, const uint8_t *buf, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		g_string_append_c(s, digits[buf[i] >> 4]);
		g_string_append_c(s, digits[buf[i] & 15]);
	}
}

/* Decode len bytes of hex at p into buf; false if malformed. */
static bool gdb_decode_hex(const char *p, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int hi = gdb_hexval(p[2 * i]), lo;
		if (hi < 0)
			return false;
		lo = gdb_hexval(p[2 * i + 1]);
		if (lo < 0)
			return false;
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* ---- State --------------------------------------------------------------- */

static struct vcpu *gdb_vcpu(struct sv_gdb *g)
{
	return g->d->vcpus[g->g_cpu < g->d->n_vcpus ? g->g_cpu : 0];
}

/* A thread id from gdb: 1..N, or 0 / -1 (any / all). Returns the vcpu
 * index, -1 for any/all, -2 if unknown. */
static int gdb_parse_thread(struct sv_gdb *g, const char *p)
{
	uint64_t t;

	if (!strcmp(p, "-1") || !strcmp(p, "0"))
		return -1;
	if (!gdb_parse_hex(&p, &t) || *p || t < 1 || t > g->d->n_vcpus)
		return -2;
	return (int)(t - 1);
}

static void gdb_stop_reply(struct sv_gdb *g)
{
	const struct cpu_gdb_ops *ops = g->ops;
	struct cpu *cpu = g->d->vcpus[g->stop_cpu]->cpu;
	unsigned regs[2] = { ops->pc_reg, ops->sp_reg };
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "T%02xthread:%x;", g->stop_sig, g->stop_cpu + 1);
	if (g->history_begin)
		g_string_append(s, "replaylog:begin;");
	if (g->swbreak && g->stop_why == GDB_WHY_SWBREAK)
		g_string_append(s, "swbreak:;");
	else if (g->swbreak && g->stop_why == GDB_WHY_HWBREAK)
		g_string_append(s, "hwbreak:;");
	else if (g->stop_why == GDB_WHY_WATCH)
		g_string_append_printf(s, "%s:%" PRIx64 ";",
				       g->stop_watch_type == 2 ? "watch" :
				       g->stop_watch_type == 3 ? "rwatch" :
								 "awatch",
				       g->stop_watch_addr);
	/* The registers gdb reads first at every stop. */
	for (unsigned k = 0; k < 2; k++) {
		uint8_t buf[CPU_GDB_MAX_REG_BYTES];
		if (!ops->read_reg(cpu, regs[k], buf))
			continue;
		g_string_append_printf(s, "%x:", regs[k]);
		gdb_append_hex(s, buf, cpu_gdb_reg_bytes(ops, regs[k]));
		g_string_append_c(s, ';');
	}
	gdb_put_packet(g, s->str);
	g_string_free(s, TRUE);
}

/* ---- Packet handlers ----------------------------------------------------- */

static void gdb_read_regs(struct sv_gdb *g)
{
	struct cpu *cpu = gdb_vcpu(g)->cpu;
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; i < g->ops->n_regs; i++) {
		uint8_t buf[CPU_GDB_MAX_REG_BYTES];
		unsigned n = cpu_gdb_reg_bytes(g->ops, i);

		if (g->ops->read_reg(cpu, i, buf))
			gdb_append_hex(s, buf, n);
		else
			for (unsigned k = 0; k < n; k++)
				g_string_append(s, "xx");
	}
	gdb_put_packet(g, s->str);
	g_string_free(s, TRUE);
}

static void gdb_write_regs(struct sv_gdb *g, const char *p)
{
	struct cpu *cpu = gdb_vcpu(g)->cpu;
	size_t len = strlen(p);

	/* Registers beyond what gdb sent keep their values; writes gdb makes of
	 * read-only or unmodelled registers are ignored (it sends them all). */
	for (unsigned i = 0; i < g->ops->n_regs; i++) {
		uint8_t buf[CPU_GDB_MAX_REG_BYTES];
		unsigned n = cpu_gdb_reg_bytes(g->ops, i);

		if (len < 2 * n)
			break;
		if (gdb_decode_hex(p, buf, n))
			g->ops->write_reg(cpu, i, buf);
		p += 2 * n;
		len -= 2 * n;
	}
	gdb_put_packet(g, "OK");
}

static void gdb_read_reg(struct sv_gdb *g, const char *p)
{
	uint8_t buf[CPU_GDB_MAX_REG_BYTES];
	uint64_t i;
	GString *s;
	unsigned n;

	if (!gdb_parse_hex(&p, &i) || *p || i >= g->ops->n_regs) {
		gdb_put_packet(g, "E01");
		return;
	}
	n = cpu_gdb_reg_bytes(g->ops, (unsigned)i);
	s = g_string_new(NULL);
	if (g->ops->read_reg(gdb_vcpu(g)->cpu, (unsigned)i, buf))
		gdb_append_hex(s, buf, n);
	else
		for (unsigned k = 0; k < n; k++)
			g_string_append(s, "xx");
	gdb_put_packet(g, s->str);
	g_string_free(s, TRUE);
}

static void gdb_write_reg(struct sv_gdb *g, const char *p)
{
	uint8_t buf[CPU_GDB_MAX_REG_BYTES];
	uint64_t i;
	unsigned n;

	if (!gdb_parse_hex(&p, &i) || *p++ != '=' || i >= g->ops->n_regs) {
		gdb_put_packet(g, "E01");
		return;
	}
	n = cpu_gdb_reg_bytes(g->ops, (unsigned)i);
	if (strlen(p) != 2 * n || !gdb_decode_hex(p, buf, n)) {
		gdb_put_packet(g, "E01");
		return;
	}
	gdb_put_packet(g, g->ops->write_reg(gdb_vcpu(g)->cpu, (unsigned)i, buf) ? "OK" : "E01");
}

/* "ADDR,LEN" then the given terminator (0 or ':'); advances *p past it. */
static bool gdb_parse_addr_len(const char **p, uint64_t *addr, uint64_t *len, char term)
{
	if (!gdb_parse_hex(p, addr) || *(*p)++ != ',' || !gdb_parse_hex(p, len))
		return false;
	if (**p != term)
		return false;
	if (term)
		(*p)++;
	return true;
}

static void gdb_read_mem(struct sv_gdb *g, const char *p)
{
	struct vcpu *v = gdb_vcpu(g);
	uint64_t addr, len;
	uint8_t *buf;
	GString *s;

	if (!gdb_parse_addr_len(&p, &addr, &len, 0)) {
		gdb_put_packet(g, "E01");
		return;
	}
	if (len > GDB_MAX_MEM)
		len = GDB_MAX_MEM;
	buf = g_malloc(len ? len : 1);
	if (cpu_virt_read(v->cpu, addr, v->arch->data_mmu_idx(v), buf, len) < 0) {
		gdb_put_packet(g, "E14");
	} else {
		s = g_string_sized_new(2 * len);
		gdb_append_hex(s, buf, len);
		gdb_put_packet(g, s->str);
		g_string_free(s, TRUE);
	}
	g_free(buf);
}

/* M (hex data) and X (binary data, already unescaped). */
static void gdb_write_mem(struct sv_gdb *g, const char *p, size_t plen, bool binary)
{
	struct vcpu *v = gdb_vcpu(g);
	const char *start = p;
	uint64_t addr, len;
	uint8_t *buf;
	size_t avail;

	if (!gdb_parse_addr_len(&p, &addr, &len, ':')) {
		gdb_put_packet(g, "E01");
		return;
	}
	avail = plen - (size_t)(p - start);
	if (len > GDB_PACKET_SIZE || (binary ? avail != len : avail != 2 * len)) {
		gdb_put_packet(g, "E01");
		return;
	}
	buf = g_malloc(len ? len : 1);
	if (binary)
		memcpy(buf, p, len);
	else if (!gdb_decode_hex(p, buf, len)) {
		g_free(buf);
		gdb_put_packet(g, "E01");
		return;
	}
	if (len && cpu_virt_write(v->cpu, addr, v->arch->data_mmu_idx(v), buf, len) < 0)
		gdb_put_packet(g, "E14");
	else
		gdb_put_packet(g, "OK");
	g_free(buf);
}

/* Z2/Z3/Z4 ADDR,LEN: watchpoints on every vcpu (cpu_watchpoint_*). */
static void gdb_watchpoint(struct sv_gdb *g, unsigned type, uint64_t addr, uint64_t len,
			   bool insert)
{
	static const unsigned kinds[] = {
		[2] = CPU_WATCH_WRITE, [3] = CPU_WATCH_READ, [4] = CPU_WATCH_ACCESS
	};
	struct gdb_watch w = { addr, len, type };
	unsigned found = g->watches->len;

	for (unsigned i = 0; i < g->watches->len; i++) {
		struct gdb_watch *x = &g_array_index(g->watches, struct gdb_watch, i);
		if (x->addr == addr && x->len == len && x->type == type)
			found = i;
	}
	if (insert == (found < g->watches->len)) {
		gdb_put_packet(g, "OK"); /* already so */
		return;
	}
	for (unsigned i = 0; i < g->d->n_vcpus; i++) {
		struct cpu *cpu = g->d->vcpus[i]->cpu;
		int rc = insert ? cpu_watchpoint_insert(cpu, addr, len, kinds[type]) :
				  cpu_watchpoint_remove(cpu, addr, len, kinds[type]);
		if (rc < 0 && insert) {
			while (i--)
				cpu_watchpoint_remove(g->d->vcpus[i]->cpu, addr, len, kinds[type]);
			gdb_put_packet(g, rc == -ENOTSUP ? "" : "E01");
			return;
		}
	}
	if (insert)
		g_array_append_val(g->watches, w);
	else
		g_array_remove_index_fast(g->watches, found);
	gdb_put_packet(g, "OK");
}

/* Z0/Z1 (insert) and z0/z1 (remove): "TYPE,ADDR,KIND"; Z2..Z4 watchpoints. */
static void gdb_breakpoint(struct sv_gdb *g, const char *p, bool insert)
{
	uint64_t type, addr, kind;
	unsigned bit, bits;
	gpointer val;

	if (!gdb_parse_hex(&p, &type) || *p++ != ',' || !gdb_parse_hex(&p, &addr) || *p++ != ',' ||
	    !gdb_parse_hex(&p, &kind)) {
		gdb_put_packet(g, "E01");
		return;
	}
	if (type >= 2 && type <= 4) {
		if (kind == 0 || kind > GDB_PACKET_SIZE || addr + (kind - 1) < addr)
			gdb_put_packet(g, "E01");
		else
			gdb_watchpoint(g, (unsigned)type, addr, kind, insert);
		return;
	}
	if (type > 1) {
		gdb_put_packet(g, "");
		return;
	}
	bit = type == 0 ? GDB_BP_SW : GDB_BP_HW;
	val = g_hash_table_lookup(g->bps, &addr);
	bits = GPOINTER_TO_UINT(val);
	if (insert == !!(bits & bit)) {
		gdb_put_packet(g, "OK"); /* already so */
		return;
	}
	for (unsigned i = 0; i < g->d->n_vcpus; i++) {
		struct cpu *cpu = g->d->vcpus[i]->cpu;
		if (insert)
			cpu_breakpoint_insert(cpu, addr);
		else
			cpu_breakpoint_remove(cpu, addr);
	}
	bits = insert ? bits | bit : bits & ~bit;
	if (bits) {
		uint64_t *key = g_new(uint64_t, 1);
		*key = addr;
		g_hash_table_insert(g->bps, key, GUINT_TO_POINTER(bits));
	} else
		g_hash_table_remove(g->bps, &addr);
	gdb_put_packet(g, "OK");
}

static void gdb_remove_all_breakpoints(struct sv_gdb *g)
{
	for (unsigned i = 0; i < g->d->n_vcpus; i++) {
		cpu_breakpoint_remove_all(g->d->vcpus[i]->cpu);
		cpu_watchpoint_remove_all(g->d->vcpus[i]->cpu);
		cpu_set_single_step(g->d->vcpus[i]->cpu, false);
	}
	g_hash_table_remove_all(g->bps);
	g_array_set_size(g->watches, 0);
	g->step_cpu = -1;
	g->watch_pending = false;
}

static void gdb_xfer_features(struct sv_gdb *g, const char *p)
{
	uint64_t off, len, total = strlen(g->xml);
	GString *s;

	if (strncmp(p, "target.xml:", 11)) {
		gdb_put_packet(g, "E00");
		return;
	}
	p += 11;
	if (!gdb_parse_addr_len(&p, &off, &len, 0)) {
		gdb_put_packet(g, "E01");
		return;
	}
	if (off > total) {
		gdb_put_packet(g, "E01");
		return;
	}
	if (len > GDB_PACKET_SIZE - 8)
		len = GDB_PACKET_SIZE - 8;
	if (len > total - off)
		len = total - off;
	s = g_string_new(off + len < total ? "m" : "l");
	g_string_append_len(s, g->xml + off, (gssize)len);
	gdb_put_packet_len(g, s->str, s->len);
	g_string_free(s, TRUE);
}

/* Console output of a monitor command: O packets, then OK. */
static void gdb_monitor_output(struct sv_gdb *g, const char *text)
{
	size_t len = strlen(text);

	for (size_t off = 0; off < len; off += 1024) {
		size_t n = len - off < 1024 ? len - off : 1024;
		GString *s = g_string_new("O");

		gdb_append_hex(s, (const uint8_t *)text + off, n);
		gdb_put_packet(g, s->str);
		g_string_free(s, TRUE);
	}
}

static void gdb_monitor(struct sv_gdb *g, const char *hex)
{
	struct sv_monitor mon = { g->d, g->savevm, g->savevm_opaque };
	size_t n = strlen(hex) / 2;
	char *cmd = g_malloc0(n + 1);
	char *out;

	if (strlen(hex) % 2 || !gdb_decode_hex(hex, (uint8_t *)cmd, n)) {
		g_free(cmd);
		gdb_put_packet(g, "E01");
		return;
	}
	out = sv_monitor_run(&mon, cmd);
	gdb_monitor_output(g, out);
	g_free(out);
	g_free(cmd);
	gdb_put_packet(g, "OK");
}

static void gdb_query(struct sv_gdb *g, const char *p)
{
	if (!strncmp(p, "qSupported", 10)) {
		g->swbreak = strstr(p, "swbreak+") != NULL;
		gdb_put_packet(g, g->reverse_ok ?
					  "PacketSize=4000;qXfer:features:read+;vContSupported+;"
					  "swbreak+;hwbreak+;QStartNoAckMode+;ReverseStep+;"
					  "ReverseContinue+" :
					  "PacketSize=4000;qXfer:features:read+;vContSupported+;"
					  "swbreak+;hwbreak+;QStartNoAckMode+");
	} else if (!strncmp(p, "qXfer:features:read:", 20)) {
		gdb_xfer_features(g, p + 20);
	} else if (!strcmp(p, "qfThreadInfo")) {
		GString *s = g_string_new("m");
		for (unsigned i = 0; i < g->d->n_vcpus; i++)
			g_string_append_printf(s, "%s%x", i ? "," : "", i + 1);
		gdb_put_packet(g, s->str);
		g_string_free(s, TRUE);
	} else if (!strcmp(p, "qsThreadInfo")) {
		gdb_put_packet(g, "l");
	} else if (!strcmp(p, "qC")) {
		char buf[32];
		snprintf(buf, sizeof(buf), "QC%x", g->stop_cpu + 1);
		gdb_put_packet(g, buf);
	} else if (!strncmp(p, "qAttached", 9)) {
		gdb_put_packet(g, "1");
	} else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
		int t = gdb_parse_thread(g, p + 17);
		if (t < 0) {
			gdb_put_packet(g, "E01");
		} else {
			char *text = g_strdup_printf("vcpu %d (%s)", t, g->d->vcpus[t]->cpu->name);
			GString *s = g_string_new(NULL);
			gdb_append_hex(s, (const uint8_t *)text, strlen(text));
			gdb_put_packet(g, s->str);
			g_string_free(s, TRUE);
			g_free(text);
		}
	} else if (!strncmp(p, "qRcmd,", 6)) {
		gdb_monitor(g, p + 6);
	} else if (!strncmp(p, "qSymbol", 7)) {
		gdb_put_packet(g, "OK");
	} else {
		gdb_put_packet(g, "");
	}
}

/* Resume as "step vcpu `step` (or none: -1), continue the others". */
static void gdb_resume(struct sv_gdb *g, int step)
{
	for (unsigned i = 0; i < g->d->n_vcpus; i++)
		cpu_set_single_step(g->d->vcpus[i]->cpu, (int)i == step);
	g->step_cpu = step;
	if (step >= 0) {
		struct cpu *cpu = g->d->vcpus[step]->cpu;
		g->step_pc = cpu->arch->get_pc(cpu);
	}
}

/* vCont;ACTION[:THREAD];... -> true and *step if it resumes. */
static bool gdb_parse_vcont(struct sv_gdb *g, const char *p, int *step)
{
	int stepping = -1;

	if (!*p)
		return false;
	while (*p == ';') {
		char action = *++p;
		int t = -1;

		if (action != 'c' && action != 's' && action != 'C' && action != 'S')
			return false;
		p++;
		if (action == 'C' || action == 'S') {
			uint64_t sig;
			if (!gdb_parse_hex(&p, &sig))
				return false;
		}
		if (*p == ':') {
			const char *end = strchr(p + 1, ';');
			char *tid = g_strndup(p + 1, end ? (size_t)(end - p - 1) : strlen(p + 1));
			t = gdb_parse_thread(g, tid);
			g_free(tid);
			if (t == -2)
				return false;
			p = end ? end : p + strlen(p);
		}
		/* The first action that applies to a thread wins: a step for
		 * one thread (or for all, meaning the current one). */
		if ((action == 's' || action == 'S') && stepping < 0)
			stepping = t >= 0 ? t : (int)g->g_cpu;
	}
	if (*p)
		return false;
	*step = stepping;
	return true;
}

/* c [ADDR], s [ADDR], C SIG[;ADDR], S SIG[;ADDR]: set the pc if given. */
static bool gdb_parse_resume_addr(struct sv_gdb *g, const char *p, bool has_sig)
{
	struct cpu *cpu = gdb_vcpu(g)->cpu;
	uint64_t addr, sig;
	uint8_t buf[CPU_GDB_MAX_REG_BYTES];

	if (has_sig) {
		if (!gdb_parse_hex(&p, &sig))
			return false;
		if (*p == ';')
			p++;
		else if (*p)
			return false;
	}
	if (!*p)
		return true;
	if (!gdb_parse_hex(&p, &addr) || *p)
		return false;
	cpu_gdb_put(buf, cpu_gdb_reg_bytes(g->ops, g->ops->pc_reg), addr, g->ops->big_endian(cpu));
	return g->ops->write_reg(cpu, g->ops->pc_reg, buf);
}

/* Serve packets while the guest is stopped, until gdb resumes it, detaches
 * or kills it (or the connection drops: a detach). */
static enum gdb_action gdb_serve(struct sv_gdb *g)
{
	GString *pkt = g_string_new(NULL);
	enum gdb_action action = GDB_DETACH;

	while (gdb_get_packet(g, pkt)) {
		const char *p = pkt->str;
		int step = -1, t;

		switch (p[0]) {
		case '?': gdb_stop_reply(g); break;
		case 'g': gdb_read_regs(g); break;
		case 'G': gdb_write_regs(g, p + 1); break;
		case 'p': gdb_read_reg(g, p + 1); break;
		case 'P': gdb_write_reg(g, p + 1); break;
		case 'm': gdb_read_mem(g, p + 1); break;
		case 'M': gdb_write_mem(g, p + 1, pkt->len - 1, false); break;
		case 'X': gdb_write_mem(g, p + 1, pkt->len - 1, true); break;
		case 'Z':
		case 'z': gdb_breakpoint(g, p + 1, p[0] == 'Z'); break;
		case 'q': gdb_query(g, p); break;
		case 'H':
			t = p[1] ? gdb_parse_thread(g, p + 2) : -2;
			if (t == -2 || (p[1] != 'g' && p[1] != 'c')) {
				gdb_put_packet(g, "E01");
				break;
			}
			if (p[1] == 'g' && t >= 0)
				g->g_cpu = (unsigned)t;
			gdb_put_packet(g, "OK");
			break;
		case 'T': gdb_put_packet(g, gdb_parse_thread(g, p + 1) >= 0 ? "OK" : "E01"); break;
		case 'c':
		case 's':
		case 'C':
		case 'S':
			if (!gdb_parse_resume_addr(g, p + 1, p[0] == 'C' || p[0] == 'S')) {
				gdb_put_packet(g, "E01");
				break;
			}
			gdb_resume(g, (p[0] == 's' || p[0] == 'S') ? (int)g->g_cpu : -1);
			action = GDB_RESUME;
			goto out;
		case 'v':
			if (!strcmp(p, "vCont?")) {
				gdb_put_packet(g, "vCont;c;C;s;S");
			} else if (!strncmp(p, "vCont", 5)) {
				if (!gdb_parse_vcont(g, p + 5, &step)) {
					gdb_put_packet(g, "E01");
					break;
				}
				gdb_resume(g, step);
				action = GDB_RESUME;
				goto out;
			} else if (!strncmp(p, "vKill", 5)) {
				gdb_put_packet(g, "OK");
				action = GDB_KILL;
				goto out;
			} else {
				gdb_put_packet(g, ""); /* vMustReplyEmpty and the rest */
			}
			break;
		case 'Q':
			if (!strcmp(p, "QStartNoAckMode")) {
				gdb_put_packet(g, "OK");
				g->no_ack = true;
			} else {
				gdb_put_packet(g, "");
			}
			break;
		case 'b':
			/* bs, bc: reverse step / continue (re-execution,
			 * frontend/machine.c). */
			if (!g->reverse_ok || (p[1] != 's' && p[1] != 'c') || p[2]) {
				gdb_put_packet(g, g->reverse_ok ? "" : "E01");
				break;
			}
			g->reverse = p[1] == 's' ? SV_GDB_REVERSE_STEP : SV_GDB_REVERSE_CONTINUE;
			action = GDB_REVERSE;
			goto out;
		case 'D':
			gdb_put_packet(g, "OK");
			action = GDB_DETACH;
			goto out;
		case 'k': action = GDB_KILL; goto out;
		default: gdb_put_packet(g, ""); break;
		}
	}
out:
	g_string_free(pkt, TRUE);
	return action;
}

/* The guest stopped: tell gdb, serve it, and act on how it resumes. */
static int gdb_stopped(struct sv_gdb *g, unsigned cpu_index, unsigned sig, enum gdb_why why)
{
	enum gdb_action a;

	for (unsigned i = 0; i < g->d->n_vcpus; i++)
		cpu_set_single_step(g->d->vcpus[i]->cpu, false);
	g->step_cpu = -1;
	g->watch_pending = false;
	g->stop_sig = sig;
	g->stop_cpu = cpu_index;
	g->stop_why = why;
	g->g_cpu = cpu_index;
	gdb_stop_reply(g);
	g->history_begin = false;
	a = gdb_serve(g);
	switch (a) {
	case GDB_RESUME: return -1;
	case GDB_REVERSE: return SV_GDB_REVERSE;
	case GDB_KILL:
		gdb_remove_all_breakpoints(g);
		gdb_hangup(g);
		g->attached = false;
		sv_error("killed from gdb: guest stopped");
		return SV_EXIT_TIMEOUT;
	default:
		gdb_remove_all_breakpoints(g);
		if (g->fd >= 0)
			sv_error("gdb detached; the guest runs on");
		else
			sv_error("gdb connection closed; the guest runs on");
		gdb_hangup(g);
		g->attached = false;
		return -1;
	}
}

int sv_gdb_start(struct sv_gdb *g)
{
	enum gdb_action a;

	/* Stopped at the first instruction: gdb asks with `?`. */
	g->stop_sig = GDB_SIGTRAP;
	g->stop_cpu = 0;
	g->stop_why = GDB_WHY_NONE;
	a = gdb_serve(g);
	if (a == GDB_RESUME)
		return -1;
	if (a == GDB_REVERSE) {
		int r;

		/* Nothing ran yet: the history begins here. */
		do {
			g->history_begin = true;
			r = gdb_stopped(g, g->g_cpu < g->d->n_vcpus ? g->g_cpu : 0, GDB_SIGTRAP,
					GDB_WHY_NONE);
		} while (r == SV_GDB_REVERSE);
		return r;
	}
	g->stop_why = GDB_WHY_NONE;
	/* Detach or kill before the guest ran: handled like later ones. */
	if (a == GDB_KILL) {
		gdb_hangup(g);
		g->attached = false;
		sv_error("killed from gdb: guest stopped");
		return SV_EXIT_TIMEOUT;
	}
	gdb_remove_all_breakpoints(g);
	sv_error("gdb %s; the guest runs on", g->fd >= 0 ? "detached" : "connection closed");
	gdb_hangup(g);
	g->attached = false;
	return -1;
}

/* A watched access by v's next instruction (not run yet). POWER: report it
 * now (gdb steps over it itself). x86: step the instruction first, then
 * report (a debug trap comes after the access). */
static int gdb_watch_hit(struct sv_gdb *g, struct vcpu *v)
{
	struct cpu *cpu = v->cpu;
	unsigned type = cpu->watch_hit_kind == CPU_WATCH_WRITE ? 2 : 3;

	/* An access watchpoint over the address makes it an awatch. */
	for (unsigned i = 0; i < g->watches->len; i++) {
		struct gdb_watch *w = &g_array_index(g->watches, struct gdb_watch, i);
		if (w->type == 4 && w->addr <= cpu->watch_hit_addr &&
		    cpu->watch_hit_addr - w->addr < w->len)
			type = 4;
	}
	g->stop_watch_addr = cpu->watch_hit_addr;
	g->stop_watch_type = type;
	if (!g->ops->watch_stops_after)
		return gdb_stopped(g, v->id, GDB_SIGTRAP, GDB_WHY_WATCH);
	gdb_resume(g, (int)v->id);
	g->watch_pending = true;
	return -1;
}

int sv_gdb_after_exec(struct sv_gdb *g, struct vcpu *v, enum cpu_stop stop)
{
	struct cpu *cpu = v->cpu;
	int c;

	if (!g || !g->attached || v->d->shut_down)
		return -1;
	if (stop == CPU_STOP_DEBUG && cpu->debug_reason == CPU_DEBUG_WATCHPOINT)
		return gdb_watch_hit(g, v);
	if (g->watch_pending && g->step_cpu == (int)v->id &&
	    (stop == CPU_STOP_DEBUG || cpu->arch->get_pc(cpu) != g->step_pc))
		return gdb_stopped(g, v->id, GDB_SIGTRAP, GDB_WHY_WATCH);
	if (stop == CPU_STOP_DEBUG) {
		enum gdb_why why = GDB_WHY_NONE;

		if (cpu->debug_reason == CPU_DEBUG_BREAKPOINT) {
			uint64_t pc = cpu->resume_pc;
			unsigned bits = GPOINTER_TO_UINT(g_hash_table_lookup(g->bps, &pc));
			why = (bits & GDB_BP_SW) || !bits ? GDB_WHY_SWBREAK : GDB_WHY_HWBREAK;
		}
		return gdb_stopped(g, v->id, GDB_SIGTRAP, why);
	}
	/* A step that left through an exit hv handled: done once the pc has
	 * moved (hv emulated the instruction, or an event was delivered). */
	if (g->step_cpu == (int)v->id && cpu->arch->get_pc(cpu) != g->step_pc)
		return gdb_stopped(g, v->id, GDB_SIGTRAP, GDB_WHY_NONE);
	/* Ctrl-C while running. Other bytes (stray acks) are dropped. */
	while ((c = gdb_getc(g, false)) >= 0)
		if (c == 0x03)
			return gdb_stopped(g, v->id, GDB_SIGINT, GDB_WHY_NONE);
	if (c == -1) {
		gdb_remove_all_breakpoints(g);
		g->attached = false;
		sv_error("gdb connection closed; the guest runs on");
	}
	return -1;
}

void sv_gdb_finish(struct sv_gdb *g, int status)
{
	char buf[16];

	if (!g || !g->attached || g->fd < 0)
		return;
	if (status == SV_EXIT_POWEROFF || status == SV_EXIT_REBOOT)
		snprintf(buf, sizeof(buf), "W%02x", status);
	else if (status == SV_EXIT_TIMEOUT)
		snprintf(buf, sizeof(buf), "X%02x", GDB_SIGALRM);
	else
		snprintf(buf, sizeof(buf), "X%02x", GDB_SIGABRT);
	gdb_put_packet(g, buf);
	gdb_hangup(g);
	g->attached = false;
}

void sv_gdb_set_savevm(struct sv_gdb *g, char *(*savevm)(void *opaque, const char *path),
		       void *opaque)
{
	g->savevm = savevm;
	g->savevm_opaque = opaque;
}

void sv_gdb_allow_reverse(struct sv_gdb *g, bool on)
{
	if (g)
		g->reverse_ok = on;
}

enum sv_gdb_reverse sv_gdb_reverse_request(const struct sv_gdb *g, unsigned *cpu_index)
{
	*cpu_index = g->g_cpu < g->d->n_vcpus ? g->g_cpu : 0;
	return g->reverse;
}

void sv_gdb_rebind(struct sv_gdb *g, struct domain *d)
{
	static const unsigned kinds[] = {
		[2] = CPU_WATCH_WRITE, [3] = CPU_WATCH_READ, [4] = CPU_WATCH_ACCESS
	};
	GHashTableIter it;
	gpointer key, val;

	g->d = d;
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct cpu *cpu = d->vcpus[i]->cpu;

		/* One reference per kind, as gdb_breakpoint takes them. */
		g_hash_table_iter_init(&it, g->bps);
		while (g_hash_table_iter_next(&it, &key, &val)) {
			unsigned bits = GPOINTER_TO_UINT(val);
			if (bits & GDB_BP_SW)
				cpu_breakpoint_insert(cpu, *(uint64_t *)key);
			if (bits & GDB_BP_HW)
				cpu_breakpoint_insert(cpu, *(uint64_t *)key);
		}
		for (unsigned k = 0; k < g->watches->len; k++) {
			struct gdb_watch *w = &g_array_index(g->watches, struct gdb_watch, k);
			cpu_watchpoint_insert(cpu, w->addr, w->len, kinds[w->type]);
		}
	}
	if (g->g_cpu >= d->n_vcpus)
		g->g_cpu = 0;
}

int sv_gdb_reverse_stop(struct sv_gdb *g, struct vcpu *v, enum sv_gdb_reverse_stop why,
			uint64_t watch_addr, unsigned watch_kind)
{
	enum gdb_why w = GDB_WHY_NONE;

	g->history_begin = why == SV_GDB_STOP_HISTORY_BEGIN;
	if (why == SV_GDB_STOP_BREAKPOINT) {
		uint64_t pc = v->cpu->arch->get_pc(v->cpu);
		unsigned bits = GPOINTER_TO_UINT(g_hash_table_lookup(g->bps, &pc));
		w = (bits & GDB_BP_SW) || !bits ? GDB_WHY_SWBREAK : GDB_WHY_HWBREAK;
	} else if (why == SV_GDB_STOP_WATCHPOINT) {
		w = GDB_WHY_WATCH;
		g->stop_watch_addr = watch_addr;
		g->stop_watch_type = watch_kind == CPU_WATCH_WRITE ? 2 : 3;
		for (unsigned i = 0; i < g->watches->len; i++) {
			struct gdb_watch *x = &g_array_index(g->watches, struct gdb_watch, i);
			if (x->type == 4 && x->addr <= watch_addr && watch_addr - x->addr < x->len)
				g->stop_watch_type = 4;
		}
	}
	return gdb_stopped(g, v->id, GDB_SIGTRAP, w);
}

bool sv_gdb_attached(const struct sv_gdb *g)
{
	return g && g->attached;
}
