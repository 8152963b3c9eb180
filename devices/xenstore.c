/*
 * The xenstore backend: the wire protocol over one domain's ring page (see
 * devices/xenstore.h for the layout and a worked example).
 */
#include "devices/xenstore.h"
#include "sv/snap.h"
#include "devices/xen_ring.h"
#include "hv/evtchn.h"
#include "hv/shared_info.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>

#define XS_OUT_MAX (256u << 10) /* queued replies before requests wait */

struct xenstore {
	struct hv_device dev;
	struct domain *d;
	struct xs_store *store;
	uint64_t mfn, gfn;
	uint32_t port;
	struct hv_evtchn_backend be;
	char home[32];      /* /local/domain/<id> */
	GByteArray *in;     /* the request being received */
	uint32_t discard;   /* payload bytes of an oversized request to skip */
	GByteArray *out;    /* replies not yet in the ring */
	GByteArray *events; /* watch events raised while handling a request */
	bool handling;
	bool broken; /* garbage indexes: no more service */
};

/* ------------------------------------------------------------ errors */

static const struct {
	int err;
	const char *name;
} xs_errors[] = {
	{ EINVAL, "EINVAL" }, { EACCES, "EACCES" },   { EEXIST, "EEXIST" },
	{ EISDIR, "EISDIR" }, { ENOENT, "ENOENT" },   { ENOMEM, "ENOMEM" },
	{ ENOSPC, "ENOSPC" }, { EIO, "EIO" },         { ENOTEMPTY, "ENOTEMPTY" },
	{ ENOSYS, "ENOSYS" }, { EROFS, "EROFS" },     { EBUSY, "EBUSY" },
	{ EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
	{ EPERM, "EPERM" },
};

const char *xenstore_error_name(int err)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(xs_errors); i++)
		if (xs_errors[i].err == -err)
			return xs_errors[i].name;
	return "EINVAL";
}

/* ------------------------------------------------------------ the ring */

static uint8_t *xs_page(struct xenstore *x)
{
	return machmem_ptr(&x->d->hv->mem, x->mfn);
}

/* Ring indexes: see devices/xen_ring.h for the ordering. */
static uint32_t xs_load_idx(struct xenstore *x, unsigned off)
{
	return xen_ring_load_idx(x->d, xs_page(x), off);
}

static void xs_store_idx(struct xenstore *x, unsigned off, uint32_t v)
{
	xen_ring_store_idx(x->d, xs_page(x), off, v);
}

static void xs_trace(struct xenstore *x, const char *fmt, ...) SV_PRINTF(2, 3);

static void xs_trace(struct xenstore *x, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!x->d->n_vcpus || !trace_on(&x->d->hv->trace, TRACE_EVTCHN))
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	hv_trace(x->d->vcpus[0], TRACE_EVTCHN, "XS %s", msg);
	g_free(msg);
}

static void xs_broken(struct xenstore *x, const char *what, uint32_t cons, uint32_t prod)
{
	x->broken = true;
	xs_store_idx(x, XENSTORE_OFF_ERROR, XENSTORE_ERROR_RINGIDX);
	xs_trace(x, "bad %s indexes cons=%u prod=%u: connection stopped", what, cons, prod);
}

/* Move queued replies into rsp; true if any moved. */
static bool xs_push(struct xenstore *x)
{
	uint8_t *page = xs_page(x);
	uint32_t cons = xs_load_idx(x, XENSTORE_OFF_RSP_CONS);
	uint32_t prod = xs_load_idx(x, XENSTORE_OFF_RSP_PROD);
	uint32_t used = prod - cons, n = 0;

	if (used > XENSTORE_RING_SIZE) {
		xs_broken(x, "rsp", cons, prod);
		return false;
	}
	while (n < x->out->len && used + n < XENSTORE_RING_SIZE) {
		page[XENSTORE_OFF_RSP + ((prod + n) & (XENSTORE_RING_SIZE - 1))] = x->out->data[n];
		n++;
	}
	if (!n)
		return false;
	g_byte_array_remove_range(x->out, 0, n);
	xs_store_idx(x, XENSTORE_OFF_RSP_PROD, prod + n);
	return true;
}

/* Move request bytes from req into x->in (or skip them); true if any moved. */
static bool xs_pull(struct xenstore *x)
{
	uint8_t *page = xs_page(x);
	uint32_t cons = xs_load_idx(x, XENSTORE_OFF_REQ_CONS);
	uint32_t prod = xs_load_idx(x, XENSTORE_OFF_REQ_PROD);
	uint32_t avail = prod - cons, n = 0;

	if (avail > XENSTORE_RING_SIZE) {
		xs_broken(x, "req", cons, prod);
		return false;
	}
	while (n < avail) {
		uint8_t b = page[XENSTORE_OFF_REQ + ((cons + n) & (XENSTORE_RING_SIZE - 1))];
		n++;
		if (x->discard) {
			x->discard--;
			continue;
		}
		g_byte_array_append(x->in, &b, 1);
		/* One message at a time: stop at its end, so x->in stays
		 * bounded by the header plus XENSTORE_PAYLOAD_MAX. */
		if (x->in->len >= XENSTORE_HDR_SIZE) {
			uint32_t len = hv_shared_u32(x->d, x->in->data + 12);
			if (len > XS_STORE_PAYLOAD_MAX || x->in->len == XENSTORE_HDR_SIZE + len)
				break;
		}
	}
	if (!n)
		return false;
	xs_store_idx(x, XENSTORE_OFF_REQ_CONS, cons + n);
	return true;
}

/* ------------------------------------------------------------ replies */

static void xs_queue(struct xenstore *x, GByteArray *q, uint32_t type, uint32_t req_id,
		     uint32_t tx_id, const void *data, uint32_t len)
{
	uint8_t hdr[XENSTORE_HDR_SIZE];

	hv_shared_put_u32(x->d, hdr, type);
	hv_shared_put_u32(x->d, hdr + 4, req_id);
	hv_shared_put_u32(x->d, hdr + 8, tx_id);
	hv_shared_put_u32(x->d, hdr + 12, len);
	g_byte_array_append(q, hdr, sizeof(hdr));
	g_byte_array_append(q, data, len);
}

static void xs_reply(struct xenstore *x, uint32_t type, uint32_t req_id, uint32_t tx_id,
		     const void *data, uint32_t len)
{
	xs_queue(x, x->out, type, req_id, tx_id, data, len);
}

static void xs_error(struct xenstore *x, uint32_t req_id, uint32_t tx_id, int err)
{
	const char *name = xenstore_error_name(err);

	xs_reply(x, XS_ERROR, req_id, tx_id, name, (uint32_t)strlen(name) + 1);
}

static void xs_ok(struct xenstore *x, uint32_t type, uint32_t req_id, uint32_t tx_id)
{
	xs_reply(x, type, req_id, tx_id, "OK", 3);
}

static void xs_watch_fire(void *opaque, const char *abs_path, const char *token, bool relative)
{
	struct xenstore *x = opaque;
	size_t hl = strlen(x->home);
	const char *p = abs_path;
	GByteArray *b;

	if (x->out->len + x->events->len > XS_OUT_MAX) {
		xs_trace(x, "watch event %s dropped: replies not consumed", abs_path);
		return;
	}
	if (relative && !strncmp(abs_path, x->home, hl) && abs_path[hl] == '/')
		p = abs_path + hl + 1;
	b = g_byte_array_new();
	g_byte_array_append(b, (const uint8_t *)p, (guint)strlen(p) + 1);
	g_byte_array_append(b, (const uint8_t *)token, (guint)strlen(token) + 1);
	xs_trace(x, "WATCH_EVENT %s %s", p, token);
	/* Events a request causes follow its reply, as xenstored sends them. */
	xs_queue(x, x->handling ? x->events : x->out, XS_WATCH_EVENT, 0, 0, b->data, b->len);
	g_byte_array_free(b, TRUE);
}

/* ------------------------------------------------------------ requests */

/* The canonical path of a request's path argument (NULL if invalid). */
static char *xs_canon(struct xenstore *x, const char *path, bool *relative)
{
	char *abs;

	*relative = path[0] != '/' && path[0] != '@';
	if (!*relative)
		return xs_store_path_valid(path) ? g_strdup(path) : NULL;
	if (!path[0] || strlen(path) > XS_STORE_REL_PATH_MAX)
		return NULL;
	abs = g_strdup_printf("%s/%s", x->home, path);
	if (!xs_store_path_valid(abs)) {
		g_free(abs);
		return NULL;
	}
	return abs;
}

/* The n NUL-terminated strings at the start of a payload: false if the
 * payload does not hold them. */
static bool xs_args(const char *p, uint32_t len, const char **args, unsigned n, uint32_t *used)
{
	uint32_t off = 0;

	for (unsigned i = 0; i < n; i++) {
		const char *e;

		if (off >= len)
			return false;
		e = memchr(p + off, '\0', len - off);
		if (!e)
			return false;
		args[i] = p + off;
		off = (uint32_t)(e - p) + 1;
	}
	*used = off;
	return true;
}

static const char *const xs_type_names[] = {
	"CONTROL",
	"DIRECTORY",
	"READ",
	"GET_PERMS",
	"WATCH",
	"UNWATCH",
	"TRANSACTION_START",
	"TRANSACTION_END",
	"INTRODUCE",
	"RELEASE",
	"GET_DOMAIN_PATH",
	"WRITE",
	"MKDIR",
	"RM",
	"SET_PERMS",
	"WATCH_EVENT",
	"ERROR",
	"IS_DOMAIN_INTRODUCED",
	"RESUME",
	"SET_TARGET",
	"RESTRICT",
	"RESET_WATCHES",
	"DIRECTORY_PART",
};

/* Handle one request with a path argument; returns 0 or -errno (the error
 * reply is the caller's). */
static int xs_path_op(struct xenstore *x, uint32_t type, uint32_t req_id, uint32_t tx,
		      const char *p, uint32_t len)
{
	const char *args[2];
	uint32_t used;
	bool rel;
	char *path;
	GByteArray *b;
	int rc;

	/* XS_WRITE: "path\0value" (the value is not NUL-terminated). */
	if (!xs_args(p, len, args, 1, &used))
		return -EINVAL;
	path = xs_canon(x, args[0], &rel);
	if (!path || path[0] == '@') {
		g_free(path);
		return -EINVAL;
	}
	b = g_byte_array_new();
	switch (type) {
	case XS_READ: rc = xs_store_read(x->store, x->d->domid, tx, path, b); break;
	case XS_DIRECTORY: rc = xs_store_directory(x->store, x->d->domid, tx, path, b); break;
	case XS_GET_PERMS: rc = xs_store_get_perms(x->store, x->d->domid, tx, path, b); break;
	case XS_WRITE:
		rc = xs_store_write(x->store, x->d->domid, tx, path, p + used, len - used);
		break;
	case XS_MKDIR: rc = xs_store_mkdir(x->store, x->d->domid, tx, path); break;
	case XS_RM: rc = xs_store_rm(x->store, x->d->domid, tx, path); break;
	default: /* XS_SET_PERMS */
		rc = xs_store_set_perms(x->store, x->d->domid, tx, path, p + used, len - used);
		break;
	}
	xs_trace(x, "%s %s -> %s", xs_type_names[type], path,
		 rc < 0 ? xenstore_error_name(rc) : "OK");
	if (rc == 0) {
		if (type == XS_READ || type == XS_DIRECTORY || type == XS_GET_PERMS)
			xs_reply(x, type, req_id, tx, b->data, b->len);
		else
			xs_ok(x, type, req_id, tx);
	}
	g_byte_array_free(b, TRUE);
	g_free(path);
	return rc;
}

static int xs_watch_op(struct xenstore *x, uint32_t type, uint32_t req_id, const char *p,
		       uint32_t len)
{
	const char *args[2];
	uint32_t used;
	bool rel;
	char *path;
	int rc;

	if (!xs_args(p, len, args, 2, &used))
		return -EINVAL;
	path = xs_canon(x, args[0], &rel);
	if (!path)
		return -EINVAL;
	if (type == XS_WATCH)
		rc = xs_store_watch(x->store, x, path, args[1], rel, xs_watch_fire);
	else
		rc = xs_store_unwatch(x->store, x, path, args[1]);
	xs_trace(x, "%s %s %s -> %s", xs_type_names[type], path, args[1],
		 rc < 0 ? xenstore_error_name(rc) : "OK");
	if (rc == 0) {
		xs_ok(x, type, req_id, 0);
		/* A new watch fires once at once (xenstore.txt), after the
		 * reply. */
		if (type == XS_WATCH)
			xs_watch_fire(x, path, args[1], rel);
	}
	g_free(path);
	return rc;
}

static void xs_handle(struct xenstore *x, uint32_t type, uint32_t req_id, uint32_t tx,
		      const char *p, uint32_t len)
{
	const char *args[1];
	uint32_t used, id;
	char buf[64];
	int rc = 0;

	switch (type) {
	case XS_READ:
	case XS_DIRECTORY:
	case XS_GET_PERMS:
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
	case XS_SET_PERMS: rc = xs_path_op(x, type, req_id, tx, p, len); break;
	case XS_WATCH:
	case XS_UNWATCH: rc = xs_watch_op(x, type, req_id, p, len); break;
	case XS_TRANSACTION_START:
		rc = xs_store_tx_start(x->store, x->d->domid, &id);
		if (rc == 0) {
			int n = g_snprintf(buf, sizeof(buf), "%u", id);
			xs_reply(x, type, req_id, 0, buf, (uint32_t)n + 1);
			xs_trace(x, "TRANSACTION_START -> %u", id);
		}
		break;
	case XS_TRANSACTION_END:
		if (!xs_args(p, len, args, 1, &used) ||
		    (strcmp(args[0], "T") && strcmp(args[0], "F"))) {
			rc = -EINVAL;
			break;
		}
		rc = xs_store_tx_end(x->store, x->d->domid, tx, args[0][0] == 'T');
		xs_trace(x, "TRANSACTION_END %u %s -> %s", tx, args[0],
			 rc < 0 ? xenstore_error_name(rc) : "OK");
		if (rc == 0)
			xs_ok(x, type, req_id, tx);
		break;
	case XS_GET_DOMAIN_PATH: {
		char *end;
		unsigned long dom;
		if (!xs_args(p, len, args, 1, &used) || !args[0][0]) {
			rc = -EINVAL;
			break;
		}
		dom = strtoul(args[0], &end, 10);
		if (*end || dom > 0xffff) {
			rc = -EINVAL;
			break;
		}
		int n = g_snprintf(buf, sizeof(buf), "/local/domain/%lu", dom);
		xs_reply(x, type, req_id, tx, buf, (uint32_t)n + 1);
		break;
	}
	case XS_RESET_WATCHES:
		xs_store_unwatch_all(x->store, x);
		xs_store_tx_abort_all(x->store, x->d->domid);
		xs_ok(x, type, req_id, tx);
		break;
	case XS_CONTROL: xs_ok(x, type, req_id, tx); break;
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_IS_DOMAIN_INTRODUCED:
	case XS_RESUME:
	case XS_SET_TARGET: rc = -EACCES; break; /* domain 0's, not a domU's */
	default: rc = -ENOSYS; break;
	}
	if (rc < 0)
		xs_error(x, req_id, tx, rc);
}

/* Handle the complete messages in x->in. */
static void xs_parse(struct xenstore *x)
{
	while (x->in->len >= XENSTORE_HDR_SIZE) {
		uint32_t type = hv_shared_u32(x->d, x->in->data);
		uint32_t req_id = hv_shared_u32(x->d, x->in->data + 4);
		uint32_t tx = hv_shared_u32(x->d, x->in->data + 8);
		uint32_t len = hv_shared_u32(x->d, x->in->data + 12);

		if (len > XS_STORE_PAYLOAD_MAX) {
			xs_trace(x, "request of %u bytes: E2BIG", len);
			xs_error(x, req_id, tx, -E2BIG);
			x->discard = len - (x->in->len - XENSTORE_HDR_SIZE);
			g_byte_array_set_size(x->in, 0);
			return;
		}
		if (x->in->len < XENSTORE_HDR_SIZE + len)
			return;
		x->handling = true;
		xs_handle(x, type, req_id, tx, (const char *)x->in->data + XENSTORE_HDR_SIZE, len);
		x->handling = false;
		g_byte_array_append(x->out, x->events->data, x->events->len);
		g_byte_array_set_size(x->events, 0);
		g_byte_array_remove_range(x->in, 0, XENSTORE_HDR_SIZE + len);
	}
}

void xenstore_process(struct xenstore *x)
{
	bool moved = false;

	if (x->broken)
		return;
	/* Each round takes at most one message's bytes; a ring holds at most
	 * 1024, so the bound is only reached by a guest feeding garbage. */
	for (unsigned round = 0; round < 2 * XENSTORE_RING_SIZE; round++) {
		bool pulled;

		moved |= xs_push(x);
		if (x->broken || x->out->len > XS_OUT_MAX)
			break;
		pulled = xs_pull(x);
		if (!pulled)
			break;
		moved = true;
		xs_parse(x);
	}
	moved |= !x->broken && xs_push(x);
	if (moved)
		hv_evtchn_backend_notify(x->d, x->port, &x->be);
}

static void xs_notify(void *opaque, struct vcpu *sender)
{
	(void)sender;
	xenstore_process(opaque);
}

/* ------------------------------------------------------------ lifecycle */

static void xs_dev_destroy(struct hv_device *dev)
{
	struct xenstore *x = (struct xenstore *)dev;
	struct domain *d = x->d;
	struct p2m_entry e;

	xs_store_unwatch_all(x->store, x);
	xs_store_tx_abort_all(x->store, d->domid);
	hv_evtchn_free_backend(d, x->port, &x->be);
	if (p2m_lookup(d->p2m, x->gfn, &e) && e.mfn == x->mfn && e.type == P2M_RAM_RW)
		p2m_remove(d->p2m, x->gfn);
	machmem_put(&d->hv->mem, x->mfn);
	d->hvm_params[HVM_PARAM_STORE_PFN] = 0;
	d->hvm_params[HVM_PARAM_STORE_EVTCHN] = 0;
	g_byte_array_free(x->in, TRUE);
	g_byte_array_free(x->out, TRUE);
	g_byte_array_free(x->events, TRUE);
	g_free(x);
}

void xenstore_destroy(struct xenstore *x)
{
	if (!x)
		return;
	hv_domain_detach_device(x->d, &x->dev);
	xs_dev_destroy(&x->dev);
}

struct xenstore *xenstore_create(struct xs_store *store, struct domain *d, uint64_t gfn, int *err)
{
	struct xenstore *x = g_new0(struct xenstore, 1);
	int64_t mfn;
	int port, rc;

	x->d = d;
	x->store = store;
	x->gfn = gfn;
	g_snprintf(x->home, sizeof(x->home), "/local/domain/%u", d->domid);
	mfn = machmem_alloc(&d->hv->mem, 0);
	if (mfn < 0) {
		*err = (int)mfn;
		g_free(x);
		return NULL;
	}
	x->mfn = (uint64_t)mfn;
	rc = p2m_set(d->p2m, gfn, x->mfn, P2M_RAM_RW, P2M_ACCESS_RW);
	x->be.name = "xenstore";
	x->be.notify = xs_notify;
	x->be.opaque = x;
	port = rc < 0 ? rc : hv_evtchn_alloc_backend(d, &x->be);
	if (port < 0) {
		if (rc == 0)
			p2m_remove(d->p2m, gfn);
		machmem_put(&d->hv->mem, x->mfn);
		g_free(x);
		*err = port == -XEN_ENOSPC ? -ENOSPC : -ENOMEM;
		return NULL;
	}
	x->port = (uint32_t)port;
	x->in = g_byte_array_new();
	x->out = g_byte_array_new();
	x->events = g_byte_array_new();
	/* connection = XENSTORE_CONNECTED (0), as the zeroed page says. */
	d->hvm_params[HVM_PARAM_STORE_PFN] = gfn;
	d->hvm_params[HVM_PARAM_STORE_EVTCHN] = x->port;
	x->dev.name = "xenstore";
	x->dev.destroy = xs_dev_destroy;
	hv_domain_attach_device(d, &x->dev);
	return x;
}

uint32_t xenstore_port(const struct xenstore *x)
{
	return x->port;
}

/* ------------------------------------------------------------ toolstack */

int xenstore_populate_domain(struct xs_store *s, struct domain *d, const char *name,
			     uint64_t console_gfn, uint32_t console_port)
{
	/* Nodes the domain may write (libxl's "rw" list); everything else
	 * under its home it may only read. */
	static const char *const rw[] = {
		"control/shutdown",
		"control/feature-poweroff",
		"control/feature-reboot",
		"control/feature-suspend",
		"control/sysrq",
		"data",
		"drivers",
		"feature",
		"attr",
		"error",
	};
	static const char *const ro_dirs[] = {
		"", "cpu", "memory", "device", "control", "console"
	};
	char home[32], path[96], val[32];
	uint16_t id = d->domid;
	int rc = 0;

	g_snprintf(home, sizeof(home), "/local/domain/%u", id);
	rc |= xs_store_mkdir(s, 0, 0, "/local/domain");
	rc |= xs_store_mkdir(s, 0, 0, "/tool");
	for (unsigned i = 0; i < G_N_ELEMENTS(ro_dirs); i++) {
		g_snprintf(path, sizeof(path), "%s%s%s", home, ro_dirs[i][0] ? "/" : "",
			   ro_dirs[i]);
		rc |= xs_store_mkdir(s, 0, 0, path);
		rc |= xs_store_set_owner(s, path, 0, 'n', id);
	}
	g_snprintf(path, sizeof(path), "%s/name", home);
	rc |= xs_store_write_str(s, path, name);
	g_snprintf(path, sizeof(path), "%s/domid", home);
	g_snprintf(val, sizeof(val), "%u", id);
	rc |= xs_store_write_str(s, path, val);
	g_snprintf(val, sizeof(val), "%" PRIu64, d->ram_bytes >> 10);
	g_snprintf(path, sizeof(path), "%s/memory/target", home);
	rc |= xs_store_write_str(s, path, val);
	g_snprintf(path, sizeof(path), "%s/memory/static-max", home);
	rc |= xs_store_write_str(s, path, val);
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		g_snprintf(path, sizeof(path), "%s/cpu/%u/availability", home, i);
		rc |= xs_store_write_str(s, path, "online");
	}
	g_snprintf(path, sizeof(path), "%s/control/platform-feature-xs_reset_watches", home);
	rc |= xs_store_write_str(s, path, "1");
	for (unsigned i = 0; i < G_N_ELEMENTS(rw); i++) {
		g_snprintf(path, sizeof(path), "%s/%s", home, rw[i]);
		rc |= xs_store_write_str(s, path, "");
		rc |= xs_store_set_owner(s, path, id, 'n', id);
	}
	if (console_gfn != HV_GFN_NONE) {
		/* The primary console: Linux's hvc0 takes it from the HVM params,
		 * these entries are for tools. No qemu here: xenconsoled's type. */
		g_snprintf(path, sizeof(path), "%s/console/ring-ref", home);
		g_snprintf(val, sizeof(val), "%" PRIu64, console_gfn);
		rc |= xs_store_write_str(s, path, val);
		g_snprintf(path, sizeof(path), "%s/console/port", home);
		g_snprintf(val, sizeof(val), "%u", console_port);
		rc |= xs_store_write_str(s, path, val);
		g_snprintf(path, sizeof(path), "%s/console/type", home);
		rc |= xs_store_write_str(s, path, "xenconsoled");
		g_snprintf(path, sizeof(path), "%s/console/output", home);
		rc |= xs_store_write_str(s, path, "softvisor");
		g_snprintf(path, sizeof(path), "%s/console/limit", home);
		rc |= xs_store_write_str(s, path, "1048576");
	}
	g_snprintf(path, sizeof(path), "/vm/%u/name", id);
	rc |= xs_store_write_str(s, path, name);
	g_snprintf(path, sizeof(path), "%s/vm", home);
	g_snprintf(val, sizeof(val), "/vm/%u", id);
	rc |= xs_store_write_str(s, path, val);
	return rc ? -EINVAL : 0;
}

/* ------------------------------------------------------------ snapshots */

/* The connection: a request half received, replies and events not yet in
 * the ring, and the guest's watches (the ring itself is guest memory). */
void xenstore_save(const struct xenstore *x, struct sv_snap_w *w)
{
	sv_snap_put_bytes(w, x->in->data, x->in->len);
	sv_snap_put_u32(w, x->discard);
	sv_snap_put_bytes(w, x->out->data, x->out->len);
	sv_snap_put_bytes(w, x->events->data, x->events->len);
	sv_snap_put_bool(w, x->broken);
	xs_store_save_watches(x->store, (void *)x, w);
}

int xenstore_load(struct xenstore *x, struct sv_snap_r *r)
{
	const uint8_t *in, *out, *ev;
	size_t lin = 0, lout = 0, lev = 0;

	in = sv_snap_get_blob(r, XENSTORE_HDR_SIZE + XS_STORE_PAYLOAD_MAX, &lin);
	if (!in || !sv_snap_get_u32(r, &x->discard))
		return -EINVAL;
	out = sv_snap_get_blob(r, 1u << 24, &lout);
	ev = out ? sv_snap_get_blob(r, 1u << 24, &lev) : NULL;
	if (!ev || !sv_snap_get_bool(r, &x->broken))
		return -EINVAL;
	g_byte_array_set_size(x->in, 0);
	g_byte_array_append(x->in, in, (guint)lin);
	g_byte_array_set_size(x->out, 0);
	g_byte_array_append(x->out, out, (guint)lout);
	g_byte_array_set_size(x->events, 0);
	g_byte_array_append(x->events, ev, (guint)lev);
	x->handling = false;
	return xs_store_load_watches(x->store, x, xs_watch_fire, r);
}
