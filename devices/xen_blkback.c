/*
 * The Xen PV block backend (see devices/xen_blkback.h): the xenbus
 * handshake through the store, the shared ring, and the requests.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* fallocate, FALLOC_FL_PUNCH_HOLE */
#endif
#include "devices/xen_blkback.h"
#include "devices/xen_ring.h"
#include "hv/evtchn.h"
#include "hv/grant_table.h"
#include "sv/snap.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <sys/file.h>
#include <unistd.h>

#define BLK_SECTOR 512u
#define BLK_SECTORS_PER_PAGE (SV_PAGE_SIZE / BLK_SECTOR)
#define BLK_MAX_RING_PAGES (1u << XEN_BLKBACK_MAX_RING_ORDER)
#define BLK_MAX_SEGS XEN_BLKBACK_MAX_INDIRECT_SEGS

struct blk_seg {
	uint32_t gref;
	uint8_t first, last;
};

struct xen_blkback {
	struct hv_device dev;
	struct domain *d;
	struct xs_store *xs;
	uint16_t devid;
	char be_path[64], fe_path[64], name[8];
	char *file;
	int fd;
	bool ro;
	uint64_t sectors;
	enum xenbus_state state;

	/* The connection (ring pages mapped, port bound). */
	bool connected;
	bool broken; /* garbage ring indexes: no more service */
	unsigned nr_pages;
	uint32_t ring_ref[BLK_MAX_RING_PAGES];
	uint64_t ring_mfn[BLK_MAX_RING_PAGES];
	uint32_t nr_ents;                /* slots, a power of two */
	uint32_t req_cons, rsp_prod_pvt; /* our private indexes */
	uint32_t port;
	struct hv_evtchn_backend be;
	struct blk_seg segs[BLK_MAX_SEGS]; /* the request being served */
	uint8_t *buf;                      /* its data: BLK_MAX_SEGS pages */
};

/* ------------------------------------------------------------ helpers */

static void blk_trace(struct xen_blkback *b, const char *fmt, ...) SV_PRINTF(2, 3);

static void blk_trace(struct xen_blkback *b, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!b->d->n_vcpus || !trace_on(&b->d->hv->trace, TRACE_EVTCHN))
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	hv_trace(b->d->vcpus[0], TRACE_EVTCHN, "BLK %s: %s", b->name, msg);
	g_free(msg);
}

static int blk_write(struct xen_blkback *b, const char *dir, const char *node, const char *fmt, ...)
	SV_PRINTF(4, 5);

/* Write dir/node (as domain 0). */
static int blk_write(struct xen_blkback *b, const char *dir, const char *node, const char *fmt, ...)
{
	char path[128], *val;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	val = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_snprintf(path, sizeof(path), "%s/%s", dir, node);
	rc = xs_store_write_str(b->xs, path, val);
	g_free(val);
	return rc;
}

/* Read dir/node as an unsigned number: false if absent or not a number. */
static bool blk_read_uint(struct xen_blkback *b, const char *dir, const char *node, uint64_t max,
			  uint64_t *out)
{
	GByteArray *v = g_byte_array_new();
	char path[128], *s, *end;
	bool ok = false;

	g_snprintf(path, sizeof(path), "%s/%s", dir, node);
	if (xs_store_read(b->xs, 0, 0, path, v) == 0 && v->len > 0 && v->len < 32) {
		s = g_strndup((const char *)v->data, v->len);
		errno = 0;
		*out = g_ascii_strtoull(s, &end, 10);
		ok = !errno && end != s && !*end && g_ascii_isdigit(s[0]) && *out <= max;
		g_free(s);
	}
	g_byte_array_free(v, TRUE);
	return ok;
}

/* dir/node as a string (g_free it), or NULL if absent. */
static char *blk_read_str(struct xen_blkback *b, const char *dir, const char *node)
{
	GByteArray *v = g_byte_array_new();
	char path[128], *s = NULL;

	g_snprintf(path, sizeof(path), "%s/%s", dir, node);
	if (xs_store_read(b->xs, 0, 0, path, v) == 0)
		s = g_strndup((const char *)v->data, v->len);
	g_byte_array_free(v, TRUE);
	return s;
}

static void blk_switch(struct xen_blkback *b, enum xenbus_state st)
{
	if (b->state == st)
		return;
	b->state = st;
	blk_write(b, b->be_path, "state", "%d", (int)st);
}

/* xenbus_dev_fatal: an error node for the toolstack, and state Closing. */
static void blk_fatal(struct xen_blkback *b, const char *what)
{
	char dir[96];

	blk_trace(b, "error: %s", what);
	g_snprintf(dir, sizeof(dir), "/local/domain/0/error%s",
		   b->be_path + strlen("/local/domain/0"));
	blk_write(b, dir, "error", "%s", what);
	blk_switch(b, XENBUS_STATE_CLOSING);
}

/* ------------------------------------------------------------ the ring */

/* Copy len bytes at byte offset off of the ring (the pages in order) in or
 * out. The caller keeps off + len within the ring. */
static void blk_ring_copy(struct xen_blkback *b, uint32_t off, void *buf, uint32_t len, bool out)
{
	uint8_t *p = buf;

	while (len) {
		uint32_t pg = off / SV_PAGE_SIZE, in = off % SV_PAGE_SIZE;
		uint32_t n = MIN(len, SV_PAGE_SIZE - in);
		uint8_t *host = machmem_ptr(&b->d->hv->mem, b->ring_mfn[pg]) + in;

		if (out)
			memcpy(host, p, n);
		else
			memcpy(p, host, n);
		p += n;
		off += n;
		len -= n;
	}
}

static uint8_t *blk_sring(struct xen_blkback *b)
{
	return machmem_ptr(&b->d->hv->mem, b->ring_mfn[0]);
}

static uint64_t blk_ld(struct xen_blkback *b, const uint8_t *p, unsigned log2)
{
	return sv_ld_p(p, log2, b->d->big_endian);
}

/* Put a response in the next slot. */
static void blk_respond(struct xen_blkback *b, uint64_t id, uint8_t op, int16_t status)
{
	uint8_t r[BLKIF_RSP_SIZE] = { 0 };
	uint32_t slot = b->rsp_prod_pvt & (b->nr_ents - 1);

	sv_st_p(r, 3, b->d->big_endian, id);
	r[8] = op;
	sv_st_p(r + 10, 1, b->d->big_endian, (uint16_t)status);
	blk_ring_copy(b, BLKIF_RING_HDR + slot * BLKIF_SLOT_SIZE, r, sizeof(r), true);
	b->rsp_prod_pvt++;
}

/* ------------------------------------------------------------ the file */

static bool blk_pio(struct xen_blkback *b, uint8_t *buf, size_t len, uint64_t off, bool write)
{
	while (len) {
		ssize_t n = write ? pwrite(b->fd, buf, len, (off_t)off) :
				    pread(b->fd, buf, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		if (n == 0) {
			if (write)
				return false;
			memset(buf, 0, len); /* the file shrank under us */
			return true;
		}
		buf += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return true;
}

static bool blk_sync(struct xen_blkback *b)
{
	int rc;

	do {
#if defined(__linux__)
		rc = fdatasync(b->fd);
#else
		rc = fsync(b->fd);
#endif
	} while (rc < 0 && errno == EINTR);
	return rc == 0;
}

/* ------------------------------------------------------------ requests */

/* Read n segments (8 bytes each) at p. */
static void blk_parse_segs(struct xen_blkback *b, const uint8_t *p, unsigned n, struct blk_seg *out)
{
	for (unsigned i = 0; i < n; i++, p += 8) {
		out[i].gref = (uint32_t)blk_ld(b, p, 2);
		out[i].first = p[4];
		out[i].last = p[5];
	}
}

/* The segments of an indirect request, from its granted pages. */
static int16_t blk_indirect_segs(struct xen_blkback *b, const uint8_t *req, unsigned nseg)
{
	unsigned pages = (nseg + BLKIF_SEGS_PER_INDIRECT_FRAME - 1) / BLKIF_SEGS_PER_INDIRECT_FRAME;

	for (unsigned i = 0; i < pages; i++) {
		uint32_t gref = (uint32_t)blk_ld(b, req + 28 + 4 * i, 2);
		unsigned n = MIN(nseg - i * BLKIF_SEGS_PER_INDIRECT_FRAME,
				 BLKIF_SEGS_PER_INDIRECT_FRAME);
		uint8_t page[SV_PAGE_SIZE];

		if (hv_gnttab_backend_copy(b->d, gref, 0, page, n * 8, false) != GNTST_okay) {
			blk_trace(b, "indirect page gref %u not granted", gref);
			return BLKIF_RSP_ERROR;
		}
		blk_parse_segs(b, page, n, b->segs + i * BLKIF_SEGS_PER_INDIRECT_FRAME);
	}
	return BLKIF_RSP_OKAY;
}

/*
 * Move the data of b->segs[0..nseg) between the guest's granted pages and
 * the file at sector: every check before any I/O (a write is all or
 * nothing as far as the checks go).
 */
static int16_t blk_rw(struct xen_blkback *b, bool write, uint64_t sector, unsigned nseg)
{
	uint64_t nsec = 0;
	size_t pos = 0;

	for (unsigned i = 0; i < nseg; i++) {
		const struct blk_seg *s = &b->segs[i];
		if (s->last >= BLK_SECTORS_PER_PAGE || s->first > s->last) {
			blk_trace(b, "segment %u: bad sectors %u..%u", i, s->first, s->last);
			return BLKIF_RSP_ERROR;
		}
		nsec += (uint64_t)(s->last - s->first + 1);
	}
	/* A flush without data names no sectors: its sector_number is
	 * whatever the frontend left there (Linux's blk-mq flush request). */
	if (nsec && (sector > b->sectors || nsec > b->sectors - sector)) {
		blk_trace(b, "sectors %" PRIu64 "+%" PRIu64 " past the end (%" PRIu64 ")", sector,
			  nsec, b->sectors);
		return BLKIF_RSP_ERROR;
	}
	if (write && b->ro)
		return BLKIF_RSP_ERROR;
	if (!nseg)
		return BLKIF_RSP_OKAY;
	if (write) {
		for (unsigned i = 0; i < nseg; i++) {
			const struct blk_seg *s = &b->segs[i];
			unsigned len = (unsigned)(s->last - s->first + 1) * BLK_SECTOR;
			if (hv_gnttab_backend_copy(b->d, s->gref, s->first * BLK_SECTOR,
						   b->buf + pos, len, false) != GNTST_okay) {
				blk_trace(b, "write: gref %u not granted", s->gref);
				return BLKIF_RSP_ERROR;
			}
			pos += len;
		}
		return blk_pio(b, b->buf, pos, sector * BLK_SECTOR, true) ? BLKIF_RSP_OKAY :
									    BLKIF_RSP_ERROR;
	}
	if (!blk_pio(b, b->buf, nsec * BLK_SECTOR, sector * BLK_SECTOR, false))
		return BLKIF_RSP_ERROR;
	for (unsigned i = 0; i < nseg; i++) {
		const struct blk_seg *s = &b->segs[i];
		unsigned len = (unsigned)(s->last - s->first + 1) * BLK_SECTOR;
		if (hv_gnttab_backend_copy(b->d, s->gref, s->first * BLK_SECTOR, b->buf + pos, len,
					   true) != GNTST_okay) {
			blk_trace(b, "read: gref %u not granted writable", s->gref);
			return BLKIF_RSP_ERROR;
		}
		pos += len;
	}
	return BLKIF_RSP_OKAY;
}

/* BLKIF_OP_DISCARD: the range becomes a hole (reads give zeros). */
static int16_t blk_discard(struct xen_blkback *b, uint64_t sector, uint64_t nsec)
{
	if (b->ro || sector > b->sectors || nsec > b->sectors - sector)
		return BLKIF_RSP_ERROR;
#if defined(__linux__) && defined(FALLOC_FL_PUNCH_HOLE)
	if (nsec && fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)(sector * BLK_SECTOR), (off_t)(nsec * BLK_SECTOR)) < 0)
		return errno == EOPNOTSUPP ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR;
	return BLKIF_RSP_OKAY;
#else
	return BLKIF_RSP_EOPNOTSUPP;
#endif
}

/* Serve one request (a copy of its slot); returns the response's status
 * and sets *op to the operation the response names. */
static int16_t blk_request(struct xen_blkback *b, const uint8_t *req, uint8_t *op)
{
	unsigned nseg;
	int16_t st;

	*op = req[0];
	switch (req[0]) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		nseg = req[1];
		/* Only flushes and barriers may carry no data. */
		if (nseg > BLKIF_MAX_SEGMENTS_PER_REQUEST ||
		    (!nseg && (req[0] == BLKIF_OP_READ || req[0] == BLKIF_OP_WRITE))) {
			blk_trace(b, "op %u: bad nr_segments %u", req[0], nseg);
			return BLKIF_RSP_ERROR;
		}
		if (req[0] != BLKIF_OP_READ && b->ro)
			return BLKIF_RSP_ERROR;
		blk_parse_segs(b, req + 24, nseg, b->segs);
		/* Every earlier request is complete (we serve in order,
		 * synchronously): a barrier or flush only adds the data and
		 * the sync. */
		st = blk_rw(b, req[0] != BLKIF_OP_READ, blk_ld(b, req + 16, 3), nseg);
		if (st == BLKIF_RSP_OKAY &&
		    (req[0] == BLKIF_OP_FLUSH_DISKCACHE || req[0] == BLKIF_OP_WRITE_BARRIER) &&
		    !blk_sync(b))
			st = BLKIF_RSP_ERROR;
		return st;
	case BLKIF_OP_INDIRECT:
		*op = req[1];
		nseg = (unsigned)blk_ld(b, req + 2, 1);
		if (req[1] != BLKIF_OP_READ && req[1] != BLKIF_OP_WRITE) {
			blk_trace(b, "indirect op %u", req[1]);
			return BLKIF_RSP_ERROR;
		}
		if (!nseg || nseg > BLK_MAX_SEGS) {
			blk_trace(b, "indirect: bad nr_segments %u", nseg);
			return BLKIF_RSP_ERROR;
		}
		if (req[1] == BLKIF_OP_WRITE && b->ro)
			return BLKIF_RSP_ERROR;
		st = blk_indirect_segs(b, req, nseg);
		if (st != BLKIF_RSP_OKAY)
			return st;
		return blk_rw(b, req[1] == BLKIF_OP_WRITE, blk_ld(b, req + 16, 3), nseg);
	case BLKIF_OP_DISCARD:
		/* The secure flag is ignored: we do not offer discard-secure. */
		return blk_discard(b, blk_ld(b, req + 16, 3), blk_ld(b, req + 24, 3));
	default: blk_trace(b, "unknown operation %u", req[0]); return BLKIF_RSP_EOPNOTSUPP;
	}
}

void xen_blkback_serve(struct xen_blkback *b)
{
	uint8_t *sring;
	bool more = true;

	if (!b->connected || b->broken)
		return;
	sring = blk_sring(b);
	/* Each pass takes at most a ring of requests; the guest cannot add
	 * any while we run (we run in its hypercall), so two passes end it. */
	for (unsigned pass = 0; more && pass < 2; pass++) {
		uint32_t prod = xen_ring_load_idx(b->d, sring, BLKIF_SRING_REQ_PROD);
		uint32_t old = xen_ring_load_idx(b->d, sring, BLKIF_SRING_RSP_PROD), ev;

		if (prod - b->req_cons > b->nr_ents) {
			/* RING_REQUEST_PROD_OVERFLOW: a bogus producer. */
			b->broken = true;
			blk_fatal(b, "frontend provided bogus ring requests");
			return;
		}
		while (b->req_cons != prod) {
			uint8_t req[BLKIF_SLOT_SIZE], op;
			uint32_t slot = b->req_cons & (b->nr_ents - 1);
			int16_t st;

			/* A private copy: the guest's slot is read once. */
			blk_ring_copy(b, BLKIF_RING_HDR + slot * BLKIF_SLOT_SIZE, req, sizeof(req),
				      false);
			b->req_cons++;
			st = blk_request(b, req, &op);
			blk_respond(b, blk_ld(b, req + 8, 3), op, st);
		}
		/* RING_PUSH_RESPONSES_AND_CHECK_NOTIFY. */
		xen_ring_store_idx(b->d, sring, BLKIF_SRING_RSP_PROD, b->rsp_prod_pvt);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		ev = xen_ring_load_idx(b->d, sring, BLKIF_SRING_RSP_EVENT);
		if (b->rsp_prod_pvt - ev < b->rsp_prod_pvt - old)
			hv_evtchn_backend_notify(b->d, b->port, &b->be);
		/* RING_FINAL_CHECK_FOR_REQUESTS. */
		xen_ring_store_idx(b->d, sring, BLKIF_SRING_REQ_EVENT, b->req_cons + 1);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		more = xen_ring_load_idx(b->d, sring, BLKIF_SRING_REQ_PROD) != b->req_cons;
	}
}

static void blk_notify(void *opaque, struct vcpu *sender)
{
	(void)sender;
	xen_blkback_serve(opaque);
}

/* ------------------------------------------------------------ xenbus */

static void blk_disconnect(struct xen_blkback *b)
{
	if (!b->connected)
		return;
	hv_evtchn_unbind_backend(b->d, b->port, &b->be);
	for (unsigned i = 0; i < b->nr_pages; i++)
		hv_gnttab_backend_unmap(b->d, b->ring_ref[i], b->ring_mfn[i]);
	b->connected = false;
	b->broken = false;
	b->nr_pages = 0;
	b->port = 0;
	blk_trace(b, "disconnected");
}

/* The frontend's ring details (connect_ring in Linux's blkback): map the
 * ring, bind the port. NULL, or why not. */
static const char *blk_connect_ring(struct xen_blkback *b)
{
	const char *native = b->d->arch == HV_ARCH_X86_64 ? "x86_64-abi" : "powerpc64-abi";
	uint64_t order = 0, port, ref, queues;
	char *proto, *order_str;
	bool bad_proto, multi;

	proto = blk_read_str(b, b->fe_path, "protocol");
	bad_proto = proto && strcmp(proto, native);
	g_free(proto);
	if (bad_proto)
		return "unsupported protocol (only the native ABI)";
	if (blk_read_uint(b, b->fe_path, "multi-queue-num-queues", UINT32_MAX, &queues) &&
	    queues != 1)
		return "multi-queue-num-queues: only 1 queue is offered";
	if (!blk_read_uint(b, b->fe_path, "event-channel", UINT32_MAX, &port))
		return "reading event-channel";
	/* One page: ring-ref; 2^order pages: ring-page-order, ring-ref0... */
	order_str = blk_read_str(b, b->fe_path, "ring-page-order");
	multi = order_str != NULL;
	g_free(order_str);
	if (multi &&
	    !blk_read_uint(b, b->fe_path, "ring-page-order", XEN_BLKBACK_MAX_RING_ORDER, &order))
		return "ring-page-order too large";
	b->nr_pages = 1u << order;
	for (unsigned i = 0; i < b->nr_pages; i++) {
		char node[16];
		int st;

		if (multi)
			g_snprintf(node, sizeof(node), "ring-ref%u", i);
		else
			g_snprintf(node, sizeof(node), "ring-ref");
		st = blk_read_uint(b, b->fe_path, node, UINT32_MAX, &ref) ?
			     hv_gnttab_backend_map(b->d, (uint32_t)ref, &b->ring_mfn[i]) :
			     GNTST_bad_gntref;
		if (st != GNTST_okay) {
			while (i--)
				hv_gnttab_backend_unmap(b->d, b->ring_ref[i], b->ring_mfn[i]);
			b->nr_pages = 0;
			return "mapping the ring";
		}
		b->ring_ref[i] = (uint32_t)ref;
	}
	if (hv_evtchn_bind_backend(b->d, (uint32_t)port, &b->be) < 0) {
		for (unsigned i = 0; i < b->nr_pages; i++)
			hv_gnttab_backend_unmap(b->d, b->ring_ref[i], b->ring_mfn[i]);
		b->nr_pages = 0;
		return "binding the event channel";
	}
	b->port = (uint32_t)port;
	/* __CONST_RING_SIZE: the slots that fit, rounded down to a power of 2. */
	b->nr_ents = 1;
	while (b->nr_ents * 2 <= (b->nr_pages * SV_PAGE_SIZE - BLKIF_RING_HDR) / BLKIF_SLOT_SIZE)
		b->nr_ents *= 2;
	b->req_cons = b->rsp_prod_pvt = 0;
	b->connected = true;
	return NULL;
}

static void blk_connect(struct xen_blkback *b)
{
	const char *err = blk_connect_ring(b);

	if (err) {
		blk_fatal(b, err);
		return;
	}
	blk_trace(b, "connected: %u ring page(s), %u slots, port %u", b->nr_pages, b->nr_ents,
		  b->port);
	/* What Linux's blkback writes in connect(), then Connected. */
	blk_write(b, b->be_path, "sectors", "%" PRIu64, b->sectors);
	blk_write(b, b->be_path, "info", "%u", b->ro ? VDISK_READONLY : 0);
	blk_write(b, b->be_path, "sector-size", "%u", BLK_SECTOR);
	blk_write(b, b->be_path, "physical-sector-size", "%u", BLK_SECTOR);
	blk_switch(b, XENBUS_STATE_CONNECTED);
	/* Notifications sent before the port was bound were dropped. */
	xen_blkback_serve(b);
}

/* The watch on the frontend's state (frontend_changed in Linux's blkback). */
static void blk_frontend_changed(void *opaque, const char *abs_path, const char *token,
				 bool relative)
{
	struct xen_blkback *b = opaque;
	uint64_t st;

	(void)abs_path, (void)token, (void)relative;
	if (!blk_read_uint(b, b->fe_path, "state", XENBUS_STATE_CLOSED, &st))
		return;
	switch (st) {
	case XENBUS_STATE_INITIALISING:
		/* A frontend starting again after it closed. */
		if (b->state == XENBUS_STATE_CLOSED)
			blk_switch(b, XENBUS_STATE_INIT_WAIT);
		break;
	case XENBUS_STATE_INITIALISED:
	case XENBUS_STATE_CONNECTED:
		if (b->state == XENBUS_STATE_CONNECTED)
			break;
		blk_disconnect(b);
		blk_connect(b);
		break;
	case XENBUS_STATE_CLOSING:
		blk_disconnect(b);
		blk_switch(b, XENBUS_STATE_CLOSING);
		break;
	case XENBUS_STATE_CLOSED:
		blk_disconnect(b);
		blk_switch(b, XENBUS_STATE_CLOSED);
		break;
	default: break;
	}
}

/* The toolstack's nodes of both ends, and the backend's features. */
static int blk_publish(struct xen_blkback *b, const char *path)
{
	uint16_t id = b->d->domid;
	char dir[64];
	int rc = 0;

	rc |= xs_store_mkdir(b->xs, 0, 0, b->be_path);
	rc |= xs_store_set_owner(b->xs, b->be_path, 0, 'n', id);
	rc |= blk_write(b, b->be_path, "frontend", "%s", b->fe_path);
	rc |= blk_write(b, b->be_path, "frontend-id", "%u", id);
	rc |= blk_write(b, b->be_path, "online", "1");
	rc |= blk_write(b, b->be_path, "removable", "0");
	rc |= blk_write(b, b->be_path, "bootable", "1");
	rc |= blk_write(b, b->be_path, "state", "%d", XENBUS_STATE_INITIALISING);
	rc |= blk_write(b, b->be_path, "dev", "%s", b->name);
	rc |= blk_write(b, b->be_path, "type", "file");
	rc |= blk_write(b, b->be_path, "mode", "%s", b->ro ? "r" : "w");
	rc |= blk_write(b, b->be_path, "params", "%s", path);
	rc |= blk_write(b, b->be_path, "device-type", "disk");

	g_snprintf(dir, sizeof(dir), "/local/domain/%u/device/vbd", id);
	rc |= xs_store_mkdir(b->xs, 0, 0, dir);
	rc |= xs_store_set_owner(b->xs, dir, 0, 'n', id);
	rc |= xs_store_mkdir(b->xs, 0, 0, b->fe_path);
	rc |= xs_store_set_owner(b->xs, b->fe_path, id, 'n', 0);
	rc |= blk_write(b, b->fe_path, "backend", "%s", b->be_path);
	rc |= blk_write(b, b->fe_path, "backend-id", "0");
	rc |= blk_write(b, b->fe_path, "state", "%d", XENBUS_STATE_INITIALISING);
	rc |= blk_write(b, b->fe_path, "virtual-device", "%u", b->devid);
	rc |= blk_write(b, b->fe_path, "device-type", "disk");

	/* The backend driver's part (Linux blkback's probe), then InitWait. */
	if (!b->ro) {
		rc |= blk_write(b, b->be_path, "feature-flush-cache", "1");
		rc |= blk_write(b, b->be_path, "feature-barrier", "1");
#if defined(__linux__) && defined(FALLOC_FL_PUNCH_HOLE)
		rc |= blk_write(b, b->be_path, "feature-discard", "1");
		rc |= blk_write(b, b->be_path, "discard-granularity", "%u", (unsigned)SV_PAGE_SIZE);
		rc |= blk_write(b, b->be_path, "discard-alignment", "0");
		rc |= blk_write(b, b->be_path, "discard-secure", "0");
#endif
	}
	rc |= blk_write(b, b->be_path, "feature-persistent", "0");
	rc |= blk_write(b, b->be_path, "feature-max-indirect-segments", "%u", BLK_MAX_SEGS);
	rc |= blk_write(b, b->be_path, "max-ring-page-order", "%u", XEN_BLKBACK_MAX_RING_ORDER);
	if (rc)
		return -EINVAL;
	blk_switch(b, XENBUS_STATE_INIT_WAIT);
	return 0;
}

/* ------------------------------------------------------------ lifetime */

static void blk_dev_destroy(struct hv_device *dev)
{
	struct xen_blkback *b = (struct xen_blkback *)dev;

	blk_disconnect(b);
	xs_store_unwatch_all(b->xs, b);
	if (b->fd >= 0) {
		blk_sync(b);
		close(b->fd);
	}
	g_free(b->buf);
	g_free(b->file);
	g_free(b);
}

void xen_blkback_destroy(struct xen_blkback *b)
{
	if (!b)
		return;
	hv_domain_detach_device(b->d, &b->dev);
	blk_dev_destroy(&b->dev);
}

static struct xen_blkback *blk_fail(struct xen_blkback *b, int *err, char **msg, int e,
				    const char *what)
{
	*err = -e;
	*msg = g_strdup_printf("--disk %s: %s: %s", b->file, what, g_strerror(e));
	if (b->fd >= 0)
		close(b->fd);
	g_free(b->file);
	g_free(b);
	return NULL;
}

struct xen_blkback *xen_blkback_create(struct xs_store *xs, struct domain *d, unsigned index,
				       const char *path, bool ro, int *err, char **msg)
{
	struct xen_blkback *b;
	char tok[8];
	off_t size;
	int rc;

	*msg = NULL;
	if (index >= XEN_BLKBACK_MAX_DISKS) {
		*err = -ENOSPC;
		*msg = g_strdup_printf("at most %u disks", XEN_BLKBACK_MAX_DISKS);
		return NULL;
	}
	b = g_new0(struct xen_blkback, 1);
	b->d = d;
	b->xs = xs;
	b->ro = ro;
	b->file = g_strdup(path);
	b->devid = (uint16_t)(202u << 8 | index << 4);
	g_snprintf(b->name, sizeof(b->name), "xvd%c", 'a' + index);
	g_snprintf(b->be_path, sizeof(b->be_path), "/local/domain/0/backend/vbd/%u/%u", d->domid,
		   b->devid);
	g_snprintf(b->fe_path, sizeof(b->fe_path), "/local/domain/%u/device/vbd/%u", d->domid,
		   b->devid);
	b->fd = open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (b->fd < 0)
		return blk_fail(b, err, msg, errno, "cannot open");
	/* Two writers of one image corrupt it: a shared lock for readers. */
	if (flock(b->fd, (ro ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0)
		return blk_fail(b, err, msg, errno, "cannot lock (in use by another program?)");
	size = lseek(b->fd, 0, SEEK_END);
	if (size < 0)
		return blk_fail(b, err, msg, errno, "cannot find its size");
	b->sectors = (uint64_t)size / BLK_SECTOR;
	if (!b->sectors)
		return blk_fail(b, err, msg, EINVAL, "smaller than one 512-byte sector");
	b->buf = g_malloc((size_t)BLK_MAX_SEGS * SV_PAGE_SIZE);
	b->be.name = "vbd";
	b->be.notify = blk_notify;
	b->be.opaque = b;
	rc = blk_publish(b, path);
	g_snprintf(tok, sizeof(tok), "%u", b->devid);
	if (rc == 0) {
		char st[96];
		g_snprintf(st, sizeof(st), "%s/state", b->fe_path);
		rc = xs_store_watch(xs, b, st, tok, false, blk_frontend_changed);
	}
	if (rc < 0) {
		g_free(b->buf);
		return blk_fail(b, err, msg, -rc, "cannot write its xenstore nodes");
	}
	b->dev.name = "xen-blkback";
	b->dev.destroy = blk_dev_destroy;
	hv_domain_attach_device(d, &b->dev);
	return b;
}

uint16_t xen_blkback_devid(const struct xen_blkback *b)
{
	return b->devid;
}

enum xenbus_state xen_blkback_state(const struct xen_blkback *b)
{
	return b->state;
}

uint32_t xen_blkback_port(const struct xen_blkback *b)
{
	return b->connected ? b->port : 0;
}

uint64_t xen_blkback_sectors(const struct xen_blkback *b)
{
	return b->sectors;
}

/* ------------------------------------------------------------ snapshots */

/*
 * The backend's connection: xenbus state, the ring's grant references and
 * the frames they map (the frame table holds the mappings' references), the
 * ring indexes it keeps and the bound port. Its one watch (the frontend's
 * state) is set when the machine is built and stays, ahead of the guest's
 * in the store's firing order, as in the saved run. The disk file is not
 * part of a snapshot: restore with the file as it was then.
 */
void xen_blkback_save(const struct xen_blkback *b, struct sv_snap_w *w)
{
	sv_snap_put_u32(w, b->state);
	sv_snap_put_bool(w, b->connected);
	sv_snap_put_bool(w, b->broken);
	sv_snap_put_u32(w, b->nr_pages);
	sv_snap_put_bytes(w, b->ring_ref, sizeof(b->ring_ref));
	sv_snap_put_bytes(w, b->ring_mfn, sizeof(b->ring_mfn));
	sv_snap_put_u32(w, b->nr_ents);
	sv_snap_put_u32(w, b->req_cons);
	sv_snap_put_u32(w, b->rsp_prod_pvt);
	sv_snap_put_u32(w, b->port);
}

int xen_blkback_load(struct xen_blkback *b, struct sv_snap_r *r)
{
	uint32_t state = 0;

	if (!sv_snap_get_u32(r, &state) || !sv_snap_get_bool(r, &b->connected) ||
	    !sv_snap_get_bool(r, &b->broken) || !sv_snap_get_u32(r, &b->nr_pages) ||
	    !sv_snap_get_bytes(r, b->ring_ref, sizeof(b->ring_ref)) ||
	    !sv_snap_get_bytes(r, b->ring_mfn, sizeof(b->ring_mfn)) ||
	    !sv_snap_get_u32(r, &b->nr_ents) || !sv_snap_get_u32(r, &b->req_cons) ||
	    !sv_snap_get_u32(r, &b->rsp_prod_pvt) || !sv_snap_get_u32(r, &b->port))
		return -EINVAL;
	b->state = state;
	if (state > XENBUS_STATE_CLOSED || b->nr_pages > BLK_MAX_RING_PAGES ||
	    (b->connected && (!b->nr_pages || !b->nr_ents || (b->nr_ents & (b->nr_ents - 1)))))
		return sv_snap_fail(r, "bad block backend state");
	for (unsigned i = 0; b->connected && i < b->nr_pages; i++)
		if (!machmem_valid(&b->d->hv->mem, b->ring_mfn[i]))
			return sv_snap_fail(r, "bad block ring frame");
	if (b->connected)
		hv_evtchn_rebind_backend(b->d, b->port, &b->be);
	return 0;
}
