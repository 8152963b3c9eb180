/*
 * The PV block backend (devices/xen_blkback.c) against a frontend played by
 * the test as a guest would: the xenstore nodes written as domain 1, the
 * event channel from EVTCHNOP_alloc_unbound, ring and data pages granted to
 * domain 0 in the guest's grant table, requests in the shared ring and
 * EVTCHNOP_send. The host file is checked with pread. Most tests are a
 * hostile frontend: every bad field must give BLKIF_RSP_ERROR (or
 * EOPNOTSUPP) and leave the file alone.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <inttypes.h>
#include <unistd.h>

#include "devices/xen_blkback.h"
#include "devices/xenstore.h"
#include "hv/evtchn.h"
#include "hv/grant_table.h"
#include "hv_test.h"

#define ARG 0x1000ull
#define GT_GFN 0x200ull  /* the grant table's frame 0, outside RAM */
#define RING_GFN 0x20ull /* up to 16 ring pages */
#define DATA_GFN 0x40ull /* data pages */
#define IND_GFN 0x60ull  /* an indirect segment page */
#define SECTORS 64u
#define FE "/local/domain/1/device/vbd/51712"
#define BE "/local/domain/0/backend/vbd/1/51712"

/* Grant references the tests use. */
#define REF_RING 1u /* .. REF_RING + 15 */
#define REF_DATA 20u
#define REF_DATA_RO 21u
#define REF_OTHER 22u /* granted to domain 7 */
#define REF_IND 23u
#define REF_DATA2 24u

static struct hv hv;
static struct domain *d;
static struct xs_store *xs;
static struct xen_blkback *blk;
static char *file;
static uint32_t port;
static uint32_t prod; /* the frontend's req_prod */

static long hcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return hvt_call(d->vcpus[0], nr, a0, a1, a2);
}

static void grant(uint32_t ref, uint64_t gfn, uint16_t dom, bool ro)
{
	uint64_t e = (GT_GFN << SV_PAGE_BITS) + ref * 8;

	hvt_put16(d, e, (uint16_t)(GTF_permit_access | (ro ? GTF_readonly : 0)));
	hvt_put16(d, e + 2, dom);
	hvt_put32(d, e + 4, (uint32_t)gfn);
}

static uint16_t grant_flags(uint32_t ref)
{
	return hvt_get16(d, (GT_GFN << SV_PAGE_BITS) + ref * 8);
}

static void fe_write(const char *node, const char *val)
{
	char path[128];

	g_snprintf(path, sizeof(path), FE "/%s", node);
	cr_assert_eq(xs_store_write(xs, 1, 0, path, val, strlen(val)), 0, "%s", path);
}

static char *read_node(uint16_t dom, const char *path)
{
	GByteArray *v = g_byte_array_new();
	char *s = NULL;

	if (xs_store_read(xs, dom, 0, path, v) == 0)
		s = g_strndup((const char *)v->data, v->len);
	g_byte_array_free(v, TRUE);
	return s;
}

static void assert_node(const char *path, const char *want)
{
	char *s = read_node(0, path);

	cr_assert_not_null(s, "%s missing", path);
	cr_assert_str_eq(s, want, "%s", path);
	g_free(s);
}

static void open_disk(bool ro)
{
	char *msg = NULL;
	int err = 0;

	blk = xen_blkback_create(xs, d, 0, file, ro, &err, &msg);
	cr_assert_not_null(blk, "%s", msg ? msg : "?");
}

static void setup_common(bool ro)
{
	uint8_t sec[512];
	int fd;

	cr_assert_eq(hv_init(&hv, 8 << 20), 0);
	d = hvt_domain(&hv, 1);
	xs = xs_store_new();
	cr_assert_eq(xenstore_populate_domain(xs, d, "test", HV_GFN_NONE, 0), 0);
	fd = g_file_open_tmp("sv-blk-XXXXXX", &file, NULL);
	cr_assert_geq(fd, 0);
	for (unsigned i = 0; i < SECTORS; i++) {
		memset(sec, (int)(0x80 + i), sizeof(sec));
		cr_assert_eq(pwrite(fd, sec, sizeof(sec), (off_t)i * 512), 512);
	}
	close(fd);
	open_disk(ro);
	/* The guest's grant table frame 0 at GT_GFN. */
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put32(d, ARG + 4, XENMAPSPACE_grant_table);
	hvt_put64(d, ARG + 8, 0);
	hvt_put64(d, ARG + 16, GT_GFN);
	cr_assert_eq(hcall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0), 0);
	for (unsigned i = 0; i < 16; i++)
		grant(REF_RING + i, RING_GFN + i, 0, false);
	grant(REF_DATA, DATA_GFN, 0, false);
	grant(REF_DATA2, DATA_GFN + 1, 0, false);
	grant(REF_DATA_RO, DATA_GFN, 0, true);
	grant(REF_OTHER, DATA_GFN, 7, false);
	grant(REF_IND, IND_GFN, 0, true);
	prod = 0;
}

static void setup(void)
{
	setup_common(false);
}

static void setup_ro(void)
{
	setup_common(true);
}

static void teardown(void)
{
	hv_destroy(&hv);
	xs_store_free(xs);
	unlink(file);
	g_free(file);
}

TestSuite(xen_blkback, .init = setup, .fini = teardown);

/* ------------------------------------------------------------ the frontend */

static uint32_t alloc_unbound(void)
{
	hvt_put16(d, ARG, DOMID_SELF);
	hvt_put16(d, ARG + 2, 0);
	cr_assert_eq(hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, ARG, 0), 0);
	return hvt_get32(d, ARG + 4);
}

/* talk_to_blkback: the ring (2^order pages), the port, state 3. */
static void ring_init(unsigned order)
{
	for (unsigned i = 0; i < (1u << order) * SV_PAGE_SIZE; i += 8)
		hvt_put64(d, (RING_GFN << SV_PAGE_BITS) + i, 0);
	/* SHARED_RING_INIT */
	hvt_put32(d, (RING_GFN << SV_PAGE_BITS) + BLKIF_SRING_REQ_EVENT, 1);
	hvt_put32(d, (RING_GFN << SV_PAGE_BITS) + BLKIF_SRING_RSP_EVENT, 1);
}

static void connect_ring(unsigned order)
{
	char node[16], val[16];

	port = alloc_unbound();
	if (order) {
		g_snprintf(val, sizeof(val), "%u", order);
		fe_write("ring-page-order", val);
		for (unsigned i = 0; i < (1u << order); i++) {
			g_snprintf(node, sizeof(node), "ring-ref%u", i);
			g_snprintf(val, sizeof(val), "%u", REF_RING + i);
			fe_write(node, val);
		}
	} else {
		g_snprintf(val, sizeof(val), "%u", REF_RING);
		fe_write("ring-ref", val);
	}
	g_snprintf(val, sizeof(val), "%u", port);
	fe_write("event-channel", val);
	fe_write("protocol", "x86_64-abi");
	fe_write("state", "3");
}

static void connect(unsigned order)
{
	ring_init(order);
	connect_ring(order);
}

static uint64_t slot_gpa(uint32_t idx, unsigned nr_ents)
{
	return (RING_GFN << SV_PAGE_BITS) + BLKIF_RING_HDR +
	       (idx & (nr_ents - 1)) * BLKIF_SLOT_SIZE;
}

/* A read/write/flush/barrier request with nseg segments {ref, first, last}. */
static void put_rw(unsigned nr_ents, uint8_t op, uint8_t nseg, uint64_t id, uint64_t sector,
		   const uint32_t (*segs)[3])
{
	uint64_t s = slot_gpa(prod, nr_ents);
	uint8_t hdr[2] = { op, nseg };

	p2m_copy_to(d->p2m, s, hdr, 2);
	hvt_put16(d, s + 2, 51712);
	hvt_put64(d, s + 8, id);
	hvt_put64(d, s + 16, sector);
	for (unsigned i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++) {
		uint8_t fl[2] = { (uint8_t)segs[i][1], (uint8_t)segs[i][2] };
		hvt_put32(d, s + 24 + 8 * i, segs[i][0]);
		p2m_copy_to(d->p2m, s + 24 + 8 * i + 4, fl, 2);
	}
	prod++;
}

static void kick(void)
{
	hvt_put32(d, (RING_GFN << SV_PAGE_BITS) + BLKIF_SRING_REQ_PROD, prod);
	hvt_put32(d, ARG, port);
	cr_assert_eq(hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, ARG, 0), 0);
}

struct rsp {
	uint64_t id;
	uint8_t op;
	int16_t status;
};

static struct rsp get_rsp(uint32_t idx, unsigned nr_ents)
{
	uint64_t s = slot_gpa(idx, nr_ents);
	struct rsp r;

	r.id = hvt_get64(d, s);
	p2m_copy_from(d->p2m, &r.op, s + 8, 1);
	r.status = (int16_t)hvt_get16(d, s + 10);
	return r;
}

static uint32_t rsp_prod(void)
{
	return hvt_get32(d, (RING_GFN << SV_PAGE_BITS) + BLKIF_SRING_RSP_PROD);
}

/* One request, its one response. */
static int16_t do_rw(uint8_t op, uint8_t nseg, uint64_t sector, const uint32_t (*segs)[3])
{
	struct rsp r;

	put_rw(32, op, nseg, 0x1000 + prod, sector, segs);
	kick();
	cr_assert_eq(rsp_prod(), prod, "one response per request");
	r = get_rsp(prod - 1, 32);
	cr_assert_eq(r.id, 0x1000 + prod - 1);
	cr_assert_eq(r.op, op);
	return r.status;
}

static void file_sector(uint64_t sector, uint8_t *buf)
{
	int fd = open(file, O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(pread(fd, buf, 512, (off_t)sector * 512), 512);
	close(fd);
}

static void assert_file_sector(uint64_t sector, uint8_t fill)
{
	uint8_t buf[512];

	file_sector(sector, buf);
	for (unsigned i = 0; i < 512; i++)
		cr_assert_eq(buf[i], fill, "sector %" PRIu64 " byte %u: %#x, want %#x", sector, i,
			     buf[i], fill);
}

static void fill_page(uint64_t gfn, uint8_t x)
{
	uint8_t page[SV_PAGE_SIZE];

	memset(page, x, sizeof(page));
	p2m_copy_to(d->p2m, gfn << SV_PAGE_BITS, page, sizeof(page));
}

static uint8_t page_byte(uint64_t gfn, unsigned off)
{
	uint8_t b;

	p2m_copy_from(d->p2m, &b, (gfn << SV_PAGE_BITS) + off, 1);
	return b;
}

/* ------------------------------------------------------------ tests */

Test(xen_blkback, toolstack_nodes_and_init_wait)
{
	char *s;

	assert_node(BE "/frontend", FE);
	assert_node(BE "/frontend-id", "1");
	assert_node(BE "/online", "1");
	assert_node(BE "/mode", "w");
	assert_node(BE "/params", file);
	assert_node(BE "/type", "file");
	assert_node(BE "/device-type", "disk");
	assert_node(BE "/feature-flush-cache", "1");
	assert_node(BE "/feature-barrier", "1");
	assert_node(BE "/feature-max-indirect-segments", "256");
	assert_node(BE "/max-ring-page-order", "4");
	assert_node(BE "/state", "2");
	assert_node(FE "/backend", BE);
	assert_node(FE "/backend-id", "0");
	assert_node(FE "/virtual-device", "51712");
	assert_node(FE "/device-type", "disk");
	assert_node(FE "/state", "1");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_INIT_WAIT);
	cr_assert_eq(xen_blkback_sectors(blk), SECTORS);
	/* The guest reads the backend (xenbus checks it exists), writes its
	 * own nodes, and may not write the backend's. */
	s = read_node(1, BE "/state");
	cr_assert_not_null(s);
	g_free(s);
	cr_assert_eq(xs_store_write(xs, 1, 0, BE "/sectors", "1", 1), -EACCES);
	/* sectors and info come at connect, as from Linux's blkback. */
	cr_assert_null(read_node(0, BE "/sectors"));
}

Test(xen_blkback, connect_read_write_and_notify)
{
	const uint32_t w[2][3] = { { REF_DATA, 0, 7 }, { REF_DATA2, 2, 3 } };
	const uint32_t r[1][3] = { { REF_DATA, 1, 4 } };

	connect(0);
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CONNECTED);
	assert_node(BE "/state", "4");
	assert_node(BE "/sectors", "64");
	assert_node(BE "/info", "0");
	assert_node(BE "/sector-size", "512");
	cr_assert_eq(xen_blkback_port(blk), port);
	cr_assert(grant_flags(REF_RING) & GTF_reading, "the ring is in use");

	/* Write 8 sectors of 0x11 then 2 of 0x22 at sector 10. */
	fill_page(DATA_GFN, 0x11);
	fill_page(DATA_GFN + 1, 0x22);
	d->evtchn_ops->clear_pending(d, port);
	cr_assert_eq(do_rw(BLKIF_OP_WRITE, 2, 10, w), BLKIF_RSP_OKAY);
	cr_assert(hv_evtchn_port_pending(d, port), "the response was notified");
	for (unsigned i = 10; i < 18; i++)
		assert_file_sector(i, 0x11);
	assert_file_sector(18, 0x22);
	assert_file_sector(19, 0x22);
	assert_file_sector(20, 0x80 + 20);
	assert_file_sector(9, 0x80 + 9);

	/* Read sectors 17..20 into sectors 1..4 of the data page. */
	fill_page(DATA_GFN, 0);
	cr_assert_eq(do_rw(BLKIF_OP_READ, 1, 17, r), BLKIF_RSP_OKAY);
	cr_assert_eq(page_byte(DATA_GFN, 0), 0, "sector 0 of the page untouched");
	cr_assert_eq(page_byte(DATA_GFN, 512), 0x11);
	cr_assert_eq(page_byte(DATA_GFN, 1024), 0x22);
	cr_assert_eq(page_byte(DATA_GFN, 2047), 0x22);
	cr_assert_eq(page_byte(DATA_GFN, 2048), 0x80 + 20);
	cr_assert_eq(page_byte(DATA_GFN, 2560), 0);
	cr_assert_eq(grant_flags(REF_DATA) & (GTF_reading | GTF_writing), 0,
		     "grant copies leave no pin behind");

	/* Flush and barrier, with and without data. */
	cr_assert_eq(do_rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0, NULL), BLKIF_RSP_OKAY);
	cr_assert_eq(do_rw(BLKIF_OP_WRITE_BARRIER, 0, 0, NULL), BLKIF_RSP_OKAY);
	/* An empty flush's sector is not looked at (Linux leaves anything). */
	cr_assert_eq(do_rw(BLKIF_OP_FLUSH_DISKCACHE, 0, UINT64_MAX - 3, NULL), BLKIF_RSP_OKAY);
	fill_page(DATA_GFN, 0x33);
	cr_assert_eq(
		do_rw(BLKIF_OP_WRITE_BARRIER, 1, 63, (const uint32_t[][3]){ { REF_DATA, 0, 0 } }),
		BLKIF_RSP_OKAY);
	assert_file_sector(63, 0x33);
}

Test(xen_blkback, hostile_requests_get_errors)
{
	static const struct {
		uint8_t op, nseg;
		uint64_t sector;
		uint32_t seg[BLKIF_MAX_SEGMENTS_PER_REQUEST][3];
		int16_t want;
		const char *why;
	} cases[] = {
		{ BLKIF_OP_WRITE, 0, 0, { { 0 } }, BLKIF_RSP_ERROR, "no segment" },
		{ BLKIF_OP_READ, 0, 0, { { 0 } }, BLKIF_RSP_ERROR, "no segment" },
		{ BLKIF_OP_WRITE, 12, 0, { { REF_DATA, 0, 7 } }, BLKIF_RSP_ERROR, "12 segments" },
		{ BLKIF_OP_WRITE, 255, 0, { { REF_DATA, 0, 7 } }, BLKIF_RSP_ERROR, "255 segments" },
		{ BLKIF_OP_WRITE, 1, 0, { { REF_DATA, 0, 8 } }, BLKIF_RSP_ERROR, "last_sect 8" },
		{ BLKIF_OP_WRITE, 1, 0, { { REF_DATA, 5, 4 } }, BLKIF_RSP_ERROR, "first > last" },
		{ BLKIF_OP_WRITE,
		  2,
		  0,
		  { { REF_DATA, 0, 7 }, { REF_DATA, 0, 255 } },
		  BLKIF_RSP_ERROR,
		  "a later segment bad" },
		{ BLKIF_OP_WRITE, 1, 63, { { REF_DATA, 0, 1 } }, BLKIF_RSP_ERROR, "past the end" },
		{ BLKIF_OP_READ, 1, 64, { { REF_DATA, 0, 0 } }, BLKIF_RSP_ERROR, "at the end" },
		{ BLKIF_OP_WRITE,
		  1,
		  UINT64_MAX,
		  { { REF_DATA, 0, 7 } },
		  BLKIF_RSP_ERROR,
		  "sector overflow" },
		{ BLKIF_OP_WRITE,
		  1,
		  UINT64_MAX / 512,
		  { { REF_DATA, 0, 7 } },
		  BLKIF_RSP_ERROR,
		  "byte offset overflow" },
		{ BLKIF_OP_WRITE,
		  1,
		  0,
		  { { 99999, 0, 7 } },
		  BLKIF_RSP_ERROR,
		  "ref past the table" },
		{ BLKIF_OP_WRITE, 1, 0, { { 100, 0, 7 } }, BLKIF_RSP_ERROR, "ref not granted" },
		{ BLKIF_OP_WRITE,
		  1,
		  0,
		  { { REF_OTHER, 0, 7 } },
		  BLKIF_RSP_ERROR,
		  "ref granted to another domain" },
		{ BLKIF_OP_READ,
		  1,
		  0,
		  { { REF_DATA_RO, 0, 7 } },
		  BLKIF_RSP_ERROR,
		  "read into a read-only grant" },
		{ BLKIF_OP_FLUSH_DISKCACHE,
		  12,
		  0,
		  { { REF_DATA, 0, 7 } },
		  BLKIF_RSP_ERROR,
		  "flush with 12 segments" },
		{ 4, 1, 0, { { REF_DATA, 0, 7 } }, BLKIF_RSP_EOPNOTSUPP, "reserved op" },
		{ 200, 1, 0, { { REF_DATA, 0, 7 } }, BLKIF_RSP_EOPNOTSUPP, "unknown op" },
	};

	connect(0);
	fill_page(DATA_GFN, 0xee);
	for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
		cr_assert_eq(do_rw(cases[i].op, cases[i].nseg, cases[i].sector, cases[i].seg),
			     cases[i].want, "case %u: %s", i, cases[i].why);
	}
	/* Nothing reached the file; a read-only grant is fine for a write. */
	for (unsigned s = 0; s < SECTORS; s++)
		assert_file_sector(s, (uint8_t)(0x80 + s));
	cr_assert_eq(do_rw(BLKIF_OP_WRITE, 1, 0, (const uint32_t[][3]){ { REF_DATA_RO, 0, 0 } }),
		     BLKIF_RSP_OKAY);
	assert_file_sector(0, 0xee);
}

/* An indirect request: op 6, the real op, nr_segments, grefs of pages of
 * segments. */
static int16_t do_indirect(uint8_t iop, uint16_t nseg, uint64_t sector, uint32_t ind_ref,
			   uint8_t *rsp_op)
{
	uint64_t s = slot_gpa(prod, 32);
	uint8_t hdr[2] = { BLKIF_OP_INDIRECT, iop };
	struct rsp r;

	p2m_copy_to(d->p2m, s, hdr, 2);
	hvt_put16(d, s + 2, nseg);
	hvt_put64(d, s + 8, 0x77);
	hvt_put64(d, s + 16, sector);
	hvt_put16(d, s + 24, 51712);
	hvt_put32(d, s + 28, ind_ref);
	prod++;
	kick();
	r = get_rsp(prod - 1, 32);
	cr_assert_eq(r.id, 0x77);
	*rsp_op = r.op;
	return r.status;
}

Test(xen_blkback, indirect_requests)
{
	uint8_t op;

	connect(0);
	/* 20 one-sector segments, all from the data page's sector 3. */
	for (unsigned i = 0; i < 20; i++) {
		uint8_t fl[2] = { 3, 3 };
		hvt_put32(d, (IND_GFN << SV_PAGE_BITS) + 8 * i, REF_DATA);
		p2m_copy_to(d->p2m, (IND_GFN << SV_PAGE_BITS) + 8 * i + 4, fl, 2);
	}
	fill_page(DATA_GFN, 0x44);
	cr_assert_eq(do_indirect(BLKIF_OP_WRITE, 20, 30, REF_IND, &op), BLKIF_RSP_OKAY);
	cr_assert_eq(op, BLKIF_OP_WRITE, "the response names the indirect op");
	for (unsigned s = 30; s < 50; s++)
		assert_file_sector(s, 0x44);
	assert_file_sector(50, 0x80 + 50);

	cr_assert_eq(do_indirect(BLKIF_OP_WRITE, 20, 50, REF_IND, &op), BLKIF_RSP_ERROR,
		     "past the end");
	cr_assert_eq(do_indirect(BLKIF_OP_WRITE, 0, 0, REF_IND, &op), BLKIF_RSP_ERROR);
	cr_assert_eq(do_indirect(BLKIF_OP_WRITE, 257, 0, REF_IND, &op), BLKIF_RSP_ERROR);
	cr_assert_eq(do_indirect(BLKIF_OP_WRITE, 0xffff, 0, REF_IND, &op), BLKIF_RSP_ERROR);
	cr_assert_eq(do_indirect(BLKIF_OP_FLUSH_DISKCACHE, 1, 0, REF_IND, &op), BLKIF_RSP_ERROR);
	cr_assert_eq(do_indirect(BLKIF_OP_INDIRECT, 1, 0, REF_IND, &op), BLKIF_RSP_ERROR);
	cr_assert_eq(do_indirect(BLKIF_OP_WRITE, 1, 0, 100, &op), BLKIF_RSP_ERROR,
		     "indirect page not granted");
	/* A segment in the indirect page with a bad last_sect. */
	hvt_put32(d, (IND_GFN << SV_PAGE_BITS) + 8 * 5 + 4, 0x0900);
	cr_assert_eq(do_indirect(BLKIF_OP_WRITE, 20, 0, REF_IND, &op), BLKIF_RSP_ERROR);
	assert_file_sector(0, 0x80);
	fill_page(DATA_GFN, 0);
	cr_assert_eq(do_indirect(BLKIF_OP_READ, 5, 30, REF_IND, &op), BLKIF_RSP_OKAY);
	cr_assert_eq(op, BLKIF_OP_READ);
	cr_assert_eq(page_byte(DATA_GFN, 3 * 512), 0x44);
}

Test(xen_blkback, multi_page_ring_wraps)
{
	const unsigned n = 128; /* (4 * 4096 - 64) / 112 = 145 -> 128 slots */

	connect(2);
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CONNECTED);
	fill_page(DATA_GFN, 0x55);
	/* 300 requests in batches of 100: slots straddle page boundaries
	 * and the indexes wrap the ring twice. */
	for (unsigned batch = 0; batch < 3; batch++) {
		uint32_t first = prod;
		for (unsigned i = 0; i < 100; i++) {
			const uint32_t seg[1][3] = { { REF_DATA, 0, 0 } };
			put_rw(n, i & 1 ? BLKIF_OP_READ : BLKIF_OP_WRITE, 1, prod, prod % SECTORS,
			       seg);
			if (prod - first == n - 1)
				break;
		}
		kick();
		cr_assert_eq(rsp_prod(), prod);
		for (uint32_t i = first; i != prod; i++) {
			struct rsp r = get_rsp(i, n);
			cr_assert_eq(r.id, i);
			cr_assert_eq(r.status, BLKIF_RSP_OKAY, "request %u", i);
		}
	}
	/* A producer more than a ring ahead: the ring stops, not the host. */
	prod += n + 1;
	kick();
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSING);
	assert_node("/local/domain/0/error/backend/vbd/1/51712/error",
		    "frontend provided bogus ring requests");
	kick();
}

Test(xen_blkback, bad_connections)
{
	/* A ring reference not granted to domain 0. */
	fe_write("ring-ref", "22");
	fe_write("event-channel", "5");
	fe_write("state", "3");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSING);
	assert_node("/local/domain/0/error/backend/vbd/1/51712/error", "mapping the ring");
	cr_assert_eq(grant_flags(REF_OTHER) & GTF_reading, 0);

	/* Restart: Closed, Initialising -> InitWait again. */
	fe_write("state", "6");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSED);
	fe_write("state", "1");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_INIT_WAIT);

	/* Too many pages, a port that is not unbound for domain 0, a foreign
	 * protocol, garbage numbers. */
	fe_write("ring-page-order", "5");
	fe_write("ring-ref0", "1");
	fe_write("state", "3");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSING);
	cr_assert_eq(xs_store_rm(xs, 1, 0, FE "/ring-page-order"), 0);
	fe_write("state", "1");
	fe_write("state", "6");
	fe_write("state", "1");
	fe_write("ring-ref", "1");
	fe_write("event-channel", "3");
	fe_write("state", "3");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSING, "port 3 is not unbound");
	cr_assert_eq(grant_flags(REF_RING) & GTF_reading, 0, "the ring was unmapped");
	fe_write("state", "6");
	fe_write("state", "1");
	fe_write("event-channel", "12abc");
	fe_write("state", "3");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSING);
	fe_write("state", "6");
	fe_write("state", "1");
	fe_write("protocol", "x86_32-abi");
	fe_write("state", "garbage");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_INIT_WAIT, "garbage state ignored");
	fe_write("state", "3");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSING);

	/* And then a good connection after all that. */
	fe_write("state", "6");
	fe_write("state", "1");
	connect(0);
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CONNECTED);
}

Test(xen_blkback, disconnect_and_reconnect)
{
	const uint32_t seg[1][3] = { { REF_DATA, 0, 0 } };
	uint32_t old;

	connect(0);
	old = port;
	fe_write("state", "5");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSING);
	cr_assert_eq(grant_flags(REF_RING) & (GTF_reading | GTF_writing), 0, "ring unmapped");
	cr_assert_eq(d->evtchn[old].state, EVTCHNSTAT_unbound, "port back to unbound");
	fe_write("state", "6");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CLOSED);
	fe_write("state", "1");
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_INIT_WAIT);
	prod = 0;
	connect(0);
	cr_assert_eq(xen_blkback_state(blk), XENBUS_STATE_CONNECTED);
	fill_page(DATA_GFN, 0x66);
	cr_assert_eq(do_rw(BLKIF_OP_WRITE, 1, 5, seg), BLKIF_RSP_OKAY);
	assert_file_sector(5, 0x66);
	/* The guest closes the port under the backend: nothing breaks. */
	hvt_put32(d, ARG, port);
	cr_assert_eq(hcall(__HYPERVISOR_event_channel_op, EVTCHNOP_close, ARG, 0), 0);
	xen_blkback_serve(blk);
}

Test(xen_blkback, requests_before_connect_are_served_at_connect)
{
	const uint32_t seg[1][3] = { { REF_DATA, 0, 0 } };

	/* The frontend queued a request before the port was bound: its
	 * notify was lost, the backend looks at the ring when it connects. */
	fill_page(DATA_GFN, 0x12);
	ring_init(0);
	put_rw(32, BLKIF_OP_WRITE, 1, 9, 2, seg);
	hvt_put32(d, (RING_GFN << SV_PAGE_BITS) + BLKIF_SRING_REQ_PROD, prod);
	connect_ring(0);
	cr_assert_eq(rsp_prod(), 1);
	cr_assert_eq(get_rsp(0, 32).id, 9);
	assert_file_sector(2, 0x12);
}

#if defined(__linux__)
Test(xen_blkback, discard_punches_a_hole)
{
	uint64_t s = 0;
	const uint32_t r[1][3] = { { REF_DATA, 0, 7 } };
	struct rsp rs;

	connect(0);
	assert_node(BE "/feature-discard", "1");
	s = slot_gpa(prod, 32);
	{
		uint8_t hdr[2] = { BLKIF_OP_DISCARD, 0 };
		p2m_copy_to(d->p2m, s, hdr, 2);
	}
	hvt_put64(d, s + 8, 0x99);
	hvt_put64(d, s + 16, 8);
	hvt_put64(d, s + 24, 8);
	prod++;
	kick();
	rs = get_rsp(prod - 1, 32);
	cr_assert_eq(rs.op, BLKIF_OP_DISCARD);
	if (rs.status == BLKIF_RSP_EOPNOTSUPP)
		cr_skip_test("the host file system cannot punch holes");
	cr_assert_eq(rs.status, BLKIF_RSP_OKAY);
	assert_file_sector(7, 0x80 + 7);
	assert_file_sector(8, 0);
	assert_file_sector(15, 0);
	assert_file_sector(16, 0x80 + 16);
	fill_page(DATA_GFN, 0xff);
	cr_assert_eq(do_rw(BLKIF_OP_READ, 1, 8, r), BLKIF_RSP_OKAY);
	cr_assert_eq(page_byte(DATA_GFN, 100), 0);
	/* Past the end. */
	s = slot_gpa(prod, 32);
	{
		uint8_t hdr[2] = { BLKIF_OP_DISCARD, 0 };
		p2m_copy_to(d->p2m, s, hdr, 2);
	}
	hvt_put64(d, s + 16, 60);
	hvt_put64(d, s + 24, UINT64_MAX);
	prod++;
	kick();
	cr_assert_eq(get_rsp(prod - 1, 32).status, BLKIF_RSP_ERROR);
}
#endif

TestSuite(xen_blkback_ro, .init = setup_ro, .fini = teardown);

Test(xen_blkback_ro, read_only_disk)
{
	const uint32_t seg[1][3] = { { REF_DATA, 0, 7 } };
	uint8_t op;

	assert_node(BE "/mode", "r");
	cr_assert_null(read_node(0, BE "/feature-flush-cache"));
	cr_assert_null(read_node(0, BE "/feature-discard"));
	connect(0);
	assert_node(BE "/info", "4"); /* VDISK_READONLY */
	fill_page(DATA_GFN, 0x99);
	cr_assert_eq(do_rw(BLKIF_OP_WRITE, 1, 0, seg), BLKIF_RSP_ERROR);
	cr_assert_eq(do_rw(BLKIF_OP_FLUSH_DISKCACHE, 1, 0, seg), BLKIF_RSP_ERROR);
	cr_assert_eq(do_rw(BLKIF_OP_WRITE_BARRIER, 0, 0, NULL), BLKIF_RSP_ERROR);
	for (unsigned i = 0; i < 11; i++)
		hvt_put32(d, (IND_GFN << SV_PAGE_BITS) + 8 * i, REF_DATA);
	cr_assert_eq(do_indirect(BLKIF_OP_WRITE, 1, 0, REF_IND, &op), BLKIF_RSP_ERROR);
	assert_file_sector(0, 0x80);
	cr_assert_eq(do_rw(BLKIF_OP_READ, 1, 1, seg), BLKIF_RSP_OKAY);
	cr_assert_eq(page_byte(DATA_GFN, 0), 0x81);
}

Test(xen_blkback, bad_files)
{
	char *msg = NULL;
	int err = 0;

	cr_assert_null(xen_blkback_create(xs, d, 1, "/nonexistent/disk.img", false, &err, &msg));
	cr_assert_eq(err, -ENOENT);
	cr_assert_not_null(strstr(msg, "/nonexistent/disk.img"));
	g_free(msg);
	/* The same image twice read-write: the second is refused. */
	cr_assert_null(xen_blkback_create(xs, d, 1, file, false, &err, &msg));
	cr_assert_not_null(strstr(msg, "lock"), "%s", msg);
	g_free(msg);
	cr_assert_null(xen_blkback_create(xs, d, XEN_BLKBACK_MAX_DISKS, file, true, &err, &msg));
	g_free(msg);
}
