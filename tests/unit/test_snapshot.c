/*
 * Snapshot fields (include/sv/snap.h) and the frame table and p2m round trip
 * (mmu/machmem.c, mmu/p2m.c): what is read back is what was written, and a
 * stream that is cut short, of another type or length, or names frames that
 * do not exist is refused with a message, never read past.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "mmu/p2m.h"
#include "sv/snap.h"

static struct sv_snap_r reader(GByteArray *b)
{
	struct sv_snap_r r = { .p = b->data, .len = b->len, .section = "test" };

	return r;
}

Test(snapshot, fields_round_trip)
{
	struct sv_snap_w w = { g_byte_array_new() };
	uint8_t blob[3] = { 1, 2, 3 }, back[3] = { 0 };
	uint64_t x = 0;
	uint32_t y = 0;
	uint16_t z = 0;
	bool t = false;
	char *s = NULL, *n = (char *)1;
	struct sv_snap_r r;

	sv_snap_put_u64(&w, 0x1122334455667788ull);
	sv_snap_put_u32(&w, 0xdeadbeef);
	sv_snap_put_u16(&w, 0xcafe);
	sv_snap_put_bool(&w, true);
	sv_snap_put_bytes(&w, blob, 3);
	sv_snap_put_str(&w, "xenstore");
	sv_snap_put_str(&w, NULL);
	r = reader(w.buf);
	cr_assert(sv_snap_get_u64(&r, &x) && x == 0x1122334455667788ull);
	cr_assert(sv_snap_get_u32(&r, &y) && y == 0xdeadbeef);
	cr_assert(sv_snap_get_u16(&r, &z) && z == 0xcafe);
	cr_assert(sv_snap_get_bool(&r, &t) && t);
	cr_assert(sv_snap_get_bytes(&r, back, 3) && !memcmp(back, blob, 3));
	cr_assert(sv_snap_get_str(&r, 64, &s) && !strcmp(s, "xenstore"));
	cr_assert(sv_snap_get_str(&r, 64, &n) && n == NULL);
	cr_assert_eq(r.pos, r.len);
	cr_assert(sv_snap_ok(&r));
	g_free(s);
	g_byte_array_free(w.buf, TRUE);
}

Test(snapshot, mismatches_and_truncation_are_errors)
{
	struct sv_snap_w w = { g_byte_array_new() };
	uint8_t four[4];
	uint64_t x;
	uint32_t y;
	struct sv_snap_r r;

	sv_snap_put_u32(&w, 7);
	sv_snap_put_bytes(&w, "abc", 3);
	r = reader(w.buf);
	cr_assert_not(sv_snap_get_u64(&r, &x), "a u32 is not a u64");
	cr_assert_str_not_empty(r.err);
	cr_assert_not(sv_snap_get_u32(&r, &y), "errors are sticky");

	r = reader(w.buf);
	cr_assert(sv_snap_get_u32(&r, &y));
	cr_assert_not(sv_snap_get_bytes(&r, four, 4), "3 bytes are not 4");

	/* Cut in the middle of the second field's payload. */
	r = reader(w.buf);
	r.len -= 1;
	cr_assert(sv_snap_get_u32(&r, &y));
	cr_assert_not(sv_snap_get_blob(&r, 100, &(size_t){ 0 }));
	cr_assert(strstr(r.err, "truncated"));

	/* A boolean must be 0 or 1. */
	g_byte_array_set_size(w.buf, 0);
	sv_snap_put_u8(&w, 2);
	r = reader(w.buf);
	cr_assert_not(sv_snap_get_bool(&r, &(bool){ false }));
	g_byte_array_free(w.buf, TRUE);
}

Test(snapshot, frames_and_p2m_round_trip)
{
	struct machmem a, b;
	struct sv_snap_w w = { g_byte_array_new() };
	struct p2m *pa, *pb;
	struct p2m_entry e;
	struct sv_snap_r r;

	cr_assert_eq(machmem_init(&a, 64 * SV_PAGE_SIZE), 0);
	cr_assert_eq(machmem_init(&b, 64 * SV_PAGE_SIZE), 0);
	pa = p2m_new(&a, 1);
	pb = p2m_new(&b, 1);
	cr_assert_eq(p2m_populate_ram(pa, 0x10, 8), 0);
	cr_assert_eq(p2m_remove(pa, 0x12), 0); /* a hole in the free list's order */
	cr_assert_eq(p2m_copy_to(pa, 0x13 << SV_PAGE_BITS, "snapshot", 8), 0);
	/* The loading machine has used frames of its own. */
	cr_assert_eq(p2m_populate_ram(pb, 0x30, 2), 0);
	cr_assert_eq(p2m_copy_to(pb, 0x30 << SV_PAGE_BITS, "stale", 5), 0);

	machmem_save(&a, &w);
	p2m_save(pa, &w);
	r = reader(w.buf);
	cr_assert_eq(machmem_load(&b, &r), 0, "%s", r.err);
	cr_assert_eq(p2m_load(pb, &r), 0, "%s", r.err);
	cr_assert_eq(r.pos, r.len);

	cr_assert_eq(b.n_free, a.n_free);
	cr_assert_arr_eq(b.free_list, a.free_list, a.n_free * sizeof(uint64_t));
	cr_assert(p2m_lookup(pb, 0x13, &e));
	cr_assert_eq(memcmp(machmem_ptr(&b, e.mfn), "snapshot", 8), 0);
	cr_assert_not(p2m_lookup(pb, 0x12, &e));
	cr_assert_not(p2m_lookup(pb, 0x30, &e), "the loader's own mappings are gone");
	for (uint64_t mfn = 0; mfn < 64; mfn++)
		if (!b.frames[mfn].refs)
			cr_assert_eq(machmem_ptr(&b, mfn)[0], 0, "frame %lu is not scrubbed", mfn);
	/* The next allocation picks the frame the saved machine would. */
	cr_assert_eq(machmem_alloc(&b, 1), machmem_alloc(&a, 1));
	p2m_destroy(pa);
	p2m_destroy(pb);
	cr_assert_eq(a.n_free, 63);
	cr_assert_eq(b.n_free, 63);
	machmem_destroy(&a);
	machmem_destroy(&b);
	g_byte_array_free(w.buf, TRUE);
}

Test(snapshot, bad_frame_tables_are_refused)
{
	struct machmem a, b;
	struct sv_snap_w w = { g_byte_array_new() };
	struct sv_snap_r r;

	cr_assert_eq(machmem_init(&a, 64 * SV_PAGE_SIZE), 0);
	cr_assert_eq(machmem_init(&b, 32 * SV_PAGE_SIZE), 0);
	machmem_save(&a, &w);
	r = reader(w.buf);
	cr_assert_eq(machmem_load(&b, &r), -EINVAL, "another machine size");
	cr_assert(strstr(r.err, "machine frames"));
	machmem_destroy(&b);

	/* A free list naming a frame that has references. */
	cr_assert_eq(machmem_init(&b, 64 * SV_PAGE_SIZE), 0);
	a.frames[a.free_list[0]].refs = 1;
	g_byte_array_set_size(w.buf, 0);
	machmem_save(&a, &w);
	r = reader(w.buf);
	cr_assert_eq(machmem_load(&b, &r), -EINVAL);
	cr_assert(strstr(r.err, "free list"), "%s", r.err);
	a.frames[a.free_list[0]].refs = 0;
	machmem_destroy(&a);
	machmem_destroy(&b);
	g_byte_array_free(w.buf, TRUE);
}
