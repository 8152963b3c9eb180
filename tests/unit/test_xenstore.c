/*
 * xenstore (devices/xenstore.c, devices/xenstore_store.c) on real domains:
 * every message type and its errors through the ring page and
 * EVTCHNOP_send, watches, transactions, permissions, and a hostile guest's
 * ring indexes and message sizes.
 */
#include <criterion/criterion.h>

#include "devices/xenstore.h"
#include "hv/evtchn.h"
#include "hv_test.h"

#define ARG 0x1000ull
#define GFN 0x400ull /* outside HVT_RAM */
#define PAGE (GFN << SV_PAGE_BITS)

static struct hv hv;
static struct domain *d, *d2;
static struct xs_store *store;
static struct xenstore *xs;

static void setup(void)
{
	int err = 0;

	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
	store = xs_store_new();
	d = hvt_domain(&hv, 1);
	d2 = hvt_domain(&hv, 1);
	xs = xenstore_create(store, d, GFN, &err);
	cr_assert_not_null(xs, "xenstore: %d", err);
	cr_assert_not_null(xenstore_create(store, d2, GFN, &err));
	cr_assert_eq(xenstore_populate_domain(store, d, "guest", 0x401, 1), 0);
	cr_assert_eq(xenstore_populate_domain(store, d2, "other", HV_GFN_NONE, 0), 0);
}

static void teardown(void)
{
	hv_destroy(&hv);
	xs_store_free(store);
}

TestSuite(xenstore, .init = setup, .fini = teardown);

/* The guest side of the ring. */
static void ring_put(const void *buf, uint32_t len)
{
	uint32_t prod = hvt_get32(d, PAGE + XENSTORE_OFF_REQ_PROD);

	for (uint32_t i = 0; i < len; i++)
		p2m_copy_to(d->p2m, PAGE + XENSTORE_OFF_REQ + ((prod + i) & 1023),
			    (const uint8_t *)buf + i, 1);
	hvt_put32(d, PAGE + XENSTORE_OFF_REQ_PROD, prod + len);
}

static void kick(void)
{
	hvt_put32(d, ARG, xenstore_port(xs));
	cr_assert_eq(hvt_call(d->vcpus[0], __HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG, 0),
		     0);
}

static void request(uint32_t type, uint32_t req_id, uint32_t tx, const void *payload, uint32_t len)
{
	uint8_t hdr[16];

	st32_le_p(hdr, type);
	st32_le_p(hdr + 4, req_id);
	st32_le_p(hdr + 8, tx);
	st32_le_p(hdr + 12, len);
	ring_put(hdr, 16);
	ring_put(payload, len);
	kick();
}

struct msg {
	uint32_t type, req_id, tx, len;
	char data[4200];
};

static bool ring_get(void *buf, uint32_t off, uint32_t len, bool consume)
{
	uint32_t cons = hvt_get32(d, PAGE + XENSTORE_OFF_RSP_CONS) + off;
	uint32_t prod = hvt_get32(d, PAGE + XENSTORE_OFF_RSP_PROD);

	if (prod - cons < len)
		return false;
	for (uint32_t i = 0; i < len; i++)
		p2m_copy_from(d->p2m, (uint8_t *)buf + i,
			      PAGE + XENSTORE_OFF_RSP + ((cons + i) & 1023), 1);
	if (consume)
		hvt_put32(d, PAGE + XENSTORE_OFF_RSP_CONS, cons + len);
	return true;
}

/* Read one whole reply (false: none yet). */
static bool reply(struct msg *m)
{
	uint8_t hdr[16];

	memset(m, 0, sizeof(*m));
	if (!ring_get(hdr, 0, 16, false) ||
	    !ring_get(m->data, 16, ld32_le_p(hdr + 12) <= 4096 ? ld32_le_p(hdr + 12) : 0, false))
		return false;
	ring_get(hdr, 0, 16, true);
	m->type = ld32_le_p(hdr);
	m->req_id = ld32_le_p(hdr + 4);
	m->tx = ld32_le_p(hdr + 8);
	m->len = ld32_le_p(hdr + 12);
	cr_assert_leq(m->len, 4096);
	cr_assert(ring_get(m->data, 0, m->len, true));
	return true;
}

/* A request with a string payload (NUL included), its one reply. */
static struct msg *call(uint32_t type, uint32_t tx, const char *s)
{
	static struct msg m;

	request(type, 42, tx, s, (uint32_t)strlen(s) + 1);
	cr_assert(reply(&m), "no reply to type %u", type);
	cr_assert_eq(m.req_id, 42);
	return &m;
}

static void assert_error(struct msg *m, const char *name)
{
	cr_assert_eq(m->type, XS_ERROR, "type %u, not an error", m->type);
	cr_assert_str_eq(m->data, name);
	cr_assert_eq(m->len, strlen(name) + 1);
}

static void assert_ok(struct msg *m, uint32_t type)
{
	cr_assert_eq(m->type, type, "type %u (%s)", m->type, m->data);
	cr_assert_str_eq(m->data, "OK");
}

static void write_node(const char *path, const char *val, uint32_t tx, const char *expect)
{
	char buf[256];
	size_t pl = strlen(path) + 1, vl = strlen(val);
	struct msg m;

	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	request(XS_WRITE, 7, tx, buf, (uint32_t)(pl + vl));
	cr_assert(reply(&m));
	if (expect)
		assert_error(&m, expect);
	else
		assert_ok(&m, XS_WRITE);
}

static void assert_read(const char *path, uint32_t tx, const char *val)
{
	struct msg *m = call(XS_READ, tx, path);

	cr_assert_eq(m->type, XS_READ, "%s: %s", path, m->data);
	cr_assert_eq(m->len, strlen(val));
	cr_assert(!memcmp(m->data, val, m->len));
}

Test(xenstore, params_and_tree)
{
	char id[8];

	cr_assert_eq(d->hvm_params[HVM_PARAM_STORE_PFN], GFN);
	cr_assert_eq(d->hvm_params[HVM_PARAM_STORE_EVTCHN], xenstore_port(xs));
	g_snprintf(id, sizeof(id), "%u", d->domid);
	assert_read("domid", 0, id);
	assert_read("name", 0, "guest");
	assert_read("cpu/0/availability", 0, "online");
	assert_read("memory/target", 0, "1024");
	assert_read("console/ring-ref", 0, "1025");
	assert_read("console/port", 0, "1");
	char abs[64];
	g_snprintf(abs, sizeof(abs), "/local/domain/%u/name", d->domid);
	assert_read(abs, 0, "guest");
}

Test(xenstore, read_write_mkdir_rm_directory)
{
	struct msg *m;

	assert_error(call(XS_READ, 0, "data/missing"), "ENOENT");
	write_node("data/a", "1", 0, NULL);
	write_node("data/b/c", "deep", 0, NULL); /* makes data/b */
	assert_read("data/a", 0, "1");
	assert_read("data/b", 0, "");
	write_node("data/a", "", 0, NULL); /* empty value */
	assert_read("data/a", 0, "");
	assert_ok(call(XS_MKDIR, 0, "data/d"), XS_MKDIR);
	assert_ok(call(XS_MKDIR, 0, "data/d"), XS_MKDIR); /* exists: fine */
	m = call(XS_DIRECTORY, 0, "data");
	cr_assert_eq(m->type, XS_DIRECTORY);
	cr_assert_eq(m->len, 6);
	cr_assert(!memcmp(m->data, "a\0b\0d\0", 6));
	assert_ok(call(XS_RM, 0, "data/b"), XS_RM);
	assert_error(call(XS_READ, 0, "data/b/c"), "ENOENT");
	assert_ok(call(XS_RM, 0, "data/b"), XS_RM); /* gone, parent exists */
	assert_error(call(XS_RM, 0, "data/x/y"), "ENOENT");
	assert_error(call(XS_DIRECTORY, 0, "data/zz"), "ENOENT");
	m = call(XS_DIRECTORY, 0, "data/d");
	cr_assert_eq(m->type, XS_DIRECTORY);
	cr_assert_eq(m->len, 0);
}

Test(xenstore, bad_paths_and_payloads)
{
	struct msg m;

	assert_error(call(XS_READ, 0, "a//b"), "EINVAL");
	assert_error(call(XS_READ, 0, "data/"), "EINVAL");
	assert_error(call(XS_READ, 0, "da ta"), "EINVAL");
	assert_error(call(XS_READ, 0, ""), "EINVAL");
	assert_error(call(XS_RM, 0, "/"), "EINVAL");
	/* A path without its NUL. */
	request(XS_READ, 3, 0, "name", 4);
	cr_assert(reply(&m));
	assert_error(&m, "EINVAL");
	/* A watch without its token. */
	assert_error(call(XS_WATCH, 0, "name"), "EINVAL");
	/* A transaction that does not exist. */
	assert_error(call(XS_READ, 999, "name"), "ENOENT");
}

Test(xenstore, permissions)
{
	char path[64];
	struct msg *m;

	/* The domain may not write where the toolstack put read-only nodes... */
	write_node("name", "evil", 0, "EACCES");
	write_node("cpu/1/availability", "online", 0, "EACCES");
	assert_error(call(XS_RM, 0, "domid"), "EACCES");
	/* ... nor anywhere in another domain's tree, nor the root. */
	g_snprintf(path, sizeof(path), "/local/domain/%u/data/x", d2->domid);
	write_node(path, "1", 0, "EACCES");
	g_snprintf(path, sizeof(path), "/local/domain/%u/name", d2->domid);
	assert_error(call(XS_READ, 0, path), "EACCES");
	write_node("/tool/x", "1", 0, "EACCES");
	write_node("/local/domain/0/x", "1", 0, "EACCES");
	/* Its writable nodes work, and it owns what it creates there. */
	write_node("control/feature-poweroff", "1", 0, NULL);
	write_node("data/mine", "1", 0, NULL);
	m = call(XS_GET_PERMS, 0, "data/mine");
	cr_assert_eq(m->type, XS_GET_PERMS);
	char want[16];
	int n = g_snprintf(want, sizeof(want), "n%u", d->domid);
	cr_assert_eq(m->len, (uint32_t)n + 1);
	cr_assert_str_eq(m->data, want);
	/* The home: owned by 0, readable by the domain. */
	m = call(XS_GET_PERMS, 0, "domid");
	cr_assert_eq(m->type, XS_GET_PERMS);
	cr_assert_str_eq(m->data, "n0");
	g_snprintf(want, sizeof(want), "r%u", d->domid);
	cr_assert_str_eq(m->data + 3, want);
	/* SET_PERMS: on its own node; not on a node of domain 0. */
	{
		char buf[64];
		size_t l = 0;
		memcpy(buf, "data/mine", 10);
		l = 10;
		l += (size_t)g_snprintf(buf + l, sizeof(buf) - l, "n%u", d->domid) + 1;
		l += (size_t)g_snprintf(buf + l, sizeof(buf) - l, "r%u", d2->domid) + 1;
		struct msg r;
		request(XS_SET_PERMS, 1, 0, buf, (uint32_t)l);
		cr_assert(reply(&r));
		assert_ok(&r, XS_SET_PERMS);
		memcpy(buf, "domid\0n1\0", 9);
		request(XS_SET_PERMS, 1, 0, buf, 9);
		cr_assert(reply(&r));
		assert_error(&r, "EACCES");
		memcpy(buf, "data/mine\0x1\0", 13);
		request(XS_SET_PERMS, 1, 0, buf, 13);
		cr_assert(reply(&r));
		assert_error(&r, "EINVAL");
	}
	/* Domain 2 now reads it. */
	g_snprintf(path, sizeof(path), "/local/domain/%u/data/mine", d->domid);
	GByteArray *b = g_byte_array_new();
	cr_assert_eq(xs_store_read(store, d2->domid, 0, path, b), 0);
	g_byte_array_free(b, TRUE);
}

Test(xenstore, watches)
{
	struct msg m, *r;

	request(XS_WATCH, 5, 0, "data\0tok\0", 9);
	cr_assert(reply(&m));
	assert_ok(&m, XS_WATCH);
	/* Fired at once, with the path as given. */
	cr_assert(reply(&m));
	cr_assert_eq(m.type, XS_WATCH_EVENT);
	cr_assert_eq(m.len, 9);
	cr_assert(!memcmp(m.data, "data\0tok\0", 9));
	cr_assert_not(reply(&m));
	/* A write below it: one event after the reply. */
	write_node("data/x", "1", 0, NULL);
	cr_assert(reply(&m));
	cr_assert_eq(m.type, XS_WATCH_EVENT);
	cr_assert(!memcmp(m.data, "data/x\0tok\0", 11));
	/* Not for a sibling. */
	write_node("drivers/y", "1", 0, NULL);
	cr_assert_not(reply(&m));
	/* rm fires too. */
	assert_ok(call(XS_RM, 0, "data/x"), XS_RM);
	cr_assert(reply(&m));
	cr_assert_str_eq(m.data, "data/x");
	/* An absolute watch gets absolute paths; rm of a parent fires a
	 * watch below it. */
	char abs[64], buf[96];
	g_snprintf(abs, sizeof(abs), "/local/domain/%u/data/q/r", d->domid);
	size_t l = strlen(abs) + 1;
	memcpy(buf, abs, l);
	memcpy(buf + l, "t2", 3);
	write_node("data/q/r", "v", 0, NULL);
	cr_assert(reply(&m)); /* for tok */
	cr_assert_str_eq(m.data, "data/q/r");
	request(XS_WATCH, 6, 0, buf, (uint32_t)(l + 3));
	cr_assert(reply(&m));
	assert_ok(&m, XS_WATCH);
	cr_assert(reply(&m));
	cr_assert_str_eq(m.data, abs);
	/* The same watch again: EEXIST. */
	request(XS_WATCH, 6, 0, buf, (uint32_t)(l + 3));
	cr_assert(reply(&m));
	assert_error(&m, "EEXIST");
	assert_ok(call(XS_RM, 0, "data/q"), XS_RM);
	cr_assert(reply(&m)); /* "data/q" for tok */
	cr_assert(reply(&m)); /* abs for t2 */
	cr_assert_str_eq(m.data, abs);
	cr_assert_str_eq(m.data + strlen(abs) + 1, "t2");
	/* Unwatch: no more events; unwatching again is ENOENT. */
	request(XS_UNWATCH, 8, 0, "data\0tok\0", 9);
	cr_assert(reply(&m));
	assert_ok(&m, XS_UNWATCH);
	write_node("data/z", "1", 0, NULL);
	cr_assert_not(reply(&m));
	request(XS_UNWATCH, 8, 0, "data\0tok\0", 9);
	cr_assert(reply(&m));
	assert_error(&m, "ENOENT");
	/* Special paths are accepted. */
	request(XS_WATCH, 9, 0, "@releaseDomain\0t\0", 17);
	cr_assert(reply(&m));
	assert_ok(&m, XS_WATCH);
	cr_assert(reply(&m));
	cr_assert_str_eq(m.data, "@releaseDomain");
	/* RESET_WATCHES drops them all. */
	request(XS_WATCH, 9, 0, "data\0tok\0", 9);
	cr_assert(reply(&m));
	cr_assert(reply(&m));
	r = call(XS_RESET_WATCHES, 0, "");
	assert_ok(r, XS_RESET_WATCHES);
	write_node("data/w", "1", 0, NULL);
	cr_assert_not(reply(&m));
}

Test(xenstore, transactions)
{
	struct msg m, *r;
	uint32_t t1, t2;

	request(XS_WATCH, 5, 0, "data\0tok\0", 9);
	cr_assert(reply(&m));
	cr_assert(reply(&m));
	r = call(XS_TRANSACTION_START, 0, "");
	cr_assert_eq(r->type, XS_TRANSACTION_START);
	t1 = (uint32_t)strtoul(r->data, NULL, 10);
	cr_assert_neq(t1, 0);
	write_node("data/t", "in-tx", t1, NULL);
	assert_read("data/t", t1, "in-tx");
	/* Invisible outside, and no event yet. */
	assert_error(call(XS_READ, 0, "data/t"), "ENOENT");
	cr_assert_not(reply(&m));
	/* Commit: visible, the watch fires. */
	assert_ok(call(XS_TRANSACTION_END, t1, "T"), XS_TRANSACTION_END);
	cr_assert(reply(&m));
	cr_assert_eq(m.type, XS_WATCH_EVENT);
	cr_assert_str_eq(m.data, "data/t");
	assert_read("data/t", 0, "in-tx");
	/* Abort: nothing happened. */
	r = call(XS_TRANSACTION_START, 0, "");
	t2 = (uint32_t)strtoul(r->data, NULL, 10);
	write_node("data/t", "changed", t2, NULL);
	assert_ok(call(XS_RM, t2, "data"), XS_RM);
	assert_ok(call(XS_TRANSACTION_END, t2, "F"), XS_TRANSACTION_END);
	cr_assert_not(reply(&m));
	assert_read("data/t", 0, "in-tx");
	/* Ending it again, or a bad argument. */
	assert_error(call(XS_TRANSACTION_END, t2, "T"), "ENOENT");
	r = call(XS_TRANSACTION_START, 0, "");
	t2 = (uint32_t)strtoul(r->data, NULL, 10);
	assert_error(call(XS_TRANSACTION_END, t2, "X"), "EINVAL");
	/* Another domain cannot end it. */
	cr_assert_eq(xs_store_tx_end(store, d2->domid, t2, true), -ENOENT);
	/* A bounded number open at once. */
	for (unsigned i = 1; i < XS_STORE_MAX_TX; i++)
		cr_assert_eq(call(XS_TRANSACTION_START, 0, "")->type, XS_TRANSACTION_START);
	assert_error(call(XS_TRANSACTION_START, 0, ""), "ENOSPC");
}

Test(xenstore, other_messages)
{
	struct msg *r;

	r = call(XS_GET_DOMAIN_PATH, 0, "5");
	cr_assert_eq(r->type, XS_GET_DOMAIN_PATH);
	cr_assert_str_eq(r->data, "/local/domain/5");
	assert_error(call(XS_GET_DOMAIN_PATH, 0, "x5"), "EINVAL");
	assert_error(call(XS_GET_DOMAIN_PATH, 0, "70000"), "EINVAL");
	assert_error(call(XS_INTRODUCE, 0, "1"), "EACCES");
	assert_error(call(XS_RELEASE, 0, "1"), "EACCES");
	assert_error(call(XS_SET_TARGET, 0, "1"), "EACCES");
	assert_error(call(XS_IS_DOMAIN_INTRODUCED, 0, "1"), "EACCES");
	assert_ok(call(XS_CONTROL, 0, "print"), XS_CONTROL);
	assert_error(call(99, 0, ""), "ENOSYS");
	assert_error(call(XS_DIRECTORY_PART, 0, "data"), "ENOSYS");
	assert_error(call(XS_WATCH_EVENT, 0, "x"), "ENOSYS");
	assert_error(call(XS_ERROR, 0, "x"), "ENOSYS");
}

Test(xenstore, split_across_ring_end)
{
	/* Both rings start 5 bytes before their end: header and payload of
	 * the request and of the reply wrap. */
	hvt_put32(d, PAGE + XENSTORE_OFF_REQ_CONS, 1019);
	hvt_put32(d, PAGE + XENSTORE_OFF_REQ_PROD, 1019);
	hvt_put32(d, PAGE + XENSTORE_OFF_RSP_CONS, 0xfffffffb);
	hvt_put32(d, PAGE + XENSTORE_OFF_RSP_PROD, 0xfffffffb);
	assert_read("name", 0, "guest");
	assert_read("memory/target", 0, "1024");
	cr_assert_eq(hvt_get32(d, PAGE + XENSTORE_OFF_REQ_CONS),
		     hvt_get32(d, PAGE + XENSTORE_OFF_REQ_PROD));
	/* A request arriving in pieces, one notify each. */
	uint8_t hdr[16];
	struct msg m;
	st32_le_p(hdr, XS_READ);
	st32_le_p(hdr + 4, 3);
	st32_le_p(hdr + 8, 0);
	st32_le_p(hdr + 12, 5);
	ring_put(hdr, 10);
	kick();
	cr_assert_not(reply(&m));
	ring_put(hdr + 10, 6);
	ring_put("na", 2);
	kick();
	cr_assert_not(reply(&m));
	ring_put("me\0", 3);
	kick();
	cr_assert(reply(&m));
	cr_assert_eq(m.type, XS_READ);
	cr_assert_str_eq(m.data, "guest");
}

Test(xenstore, oversized_request)
{
	uint8_t hdr[16], junk[1000];
	struct msg m;

	memset(junk, 'j', sizeof(junk));
	st32_le_p(hdr, XS_WRITE);
	st32_le_p(hdr + 4, 1);
	st32_le_p(hdr + 8, 0);
	st32_le_p(hdr + 12, 5000);
	ring_put(hdr, 16);
	kick();
	cr_assert(reply(&m));
	assert_error(&m, "E2BIG");
	/* Its payload is skipped as it comes... */
	for (unsigned i = 0; i < 5; i++) {
		ring_put(junk, 1000);
		kick();
	}
	cr_assert_not(reply(&m));
	/* ... and the next request is served. */
	assert_read("name", 0, "guest");
}

Test(xenstore, hostile_indexes)
{
	struct msg m;

	/* Requests far ahead: the connection stops, with the error set. */
	hvt_put32(d, PAGE + XENSTORE_OFF_REQ_PROD, 5000);
	kick();
	cr_assert_not(reply(&m));
	cr_assert_eq(hvt_get32(d, PAGE + XENSTORE_OFF_ERROR), XENSTORE_ERROR_RINGIDX);
	kick();
	cr_assert_not(reply(&m));
}

Test(xenstore, hostile_rsp_indexes)
{
	struct msg m;

	hvt_put32(d, PAGE + XENSTORE_OFF_RSP_CONS, 3000);
	request(XS_READ, 1, 0, "name", 5);
	cr_assert_eq(hvt_get32(d, PAGE + XENSTORE_OFF_RSP_PROD), 0);
	cr_assert_eq(hvt_get32(d, PAGE + XENSTORE_OFF_ERROR), XENSTORE_ERROR_RINGIDX);
	(void)m;
}

Test(xenstore, reply_backpressure)
{
	struct msg m;
	unsigned got = 0;

	/* 200 reads, replies not consumed: the ring fills, the rest waits. */
	for (unsigned i = 0; i < 200; i++) {
		uint32_t cons = hvt_get32(d, PAGE + XENSTORE_OFF_REQ_CONS);
		uint32_t prod = hvt_get32(d, PAGE + XENSTORE_OFF_REQ_PROD);
		if (prod - cons + 21 > 1024)
			break;
		request(XS_READ, i, 0, "name", 5);
	}
	cr_assert_eq(hvt_get32(d, PAGE + XENSTORE_OFF_RSP_PROD) -
			     hvt_get32(d, PAGE + XENSTORE_OFF_RSP_CONS),
		     1024);
	/* Consume, kick, repeat: every reply arrives, in order. */
	for (unsigned i = 0; i < 1000; i++) {
		while (reply(&m)) {
			cr_assert_eq(m.req_id, got);
			cr_assert_str_eq(m.data, "guest");
			got++;
		}
		kick();
		if (!reply(&m))
			break;
		cr_assert_eq(m.req_id, got);
		got++;
	}
	cr_assert_geq(got, 40);
}

Test(xenstore, store_limits)
{
	/* The store alone: watch and value limits. */
	char *big = g_malloc0(XS_STORE_PAYLOAD_MAX + 1);

	cr_assert_eq(xs_store_write(store, 0, 0, "/tool/big", big, XS_STORE_PAYLOAD_MAX + 1),
		     -E2BIG);
	g_free(big);
	cr_assert_not(xs_store_path_valid("relative"));
	cr_assert_not(xs_store_path_valid("/a/"));
	cr_assert(xs_store_path_valid("/"));
	cr_assert(xs_store_path_valid("/a-b_c@d/1"));
	cr_assert_str_eq(xenstore_error_name(-ENOENT), "ENOENT");
	cr_assert_str_eq(xenstore_error_name(-E2BIG), "E2BIG");
}

Test(xenstore, teardown_then_destroy)
{
	/* Destroying the connection before the domain clears the params and
	 * its watches; the domain's destruction does the rest. */
	struct msg m;

	request(XS_WATCH, 5, 0, "data\0tok\0", 9);
	cr_assert(reply(&m));
	xenstore_destroy(xs);
	cr_assert_eq(d->hvm_params[HVM_PARAM_STORE_PFN], 0);
	cr_assert_eq(xs_store_write_str(store, "/local/domain/1/data/x", "1"), 0);
}
