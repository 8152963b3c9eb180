/*
 * Machine frames and the p2m: types, access, references, MMIO, listeners.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "mmu/p2m.h"

static struct machmem mem;

static void setup(void)
{
	cr_assert_eq(machmem_init(&mem, 64 * SV_PAGE_SIZE), 0);
}

static void teardown(void)
{
	machmem_destroy(&mem);
}

TestSuite(p2m, .init = setup, .fini = teardown);

Test(p2m, populate_lookup_remove)
{
	struct p2m *p = p2m_new(&mem, 1);
	struct p2m_entry e;

	cr_assert_eq(p2m_populate_ram(p, 0x10, 4), 0);
	cr_assert(p2m_lookup(p, 0x12, &e));
	cr_assert_eq(e.type, P2M_RAM_RW);
	cr_assert_eq(e.access, P2M_ACCESS_RWX);
	cr_assert_eq(mem.frames[e.mfn].owner, 1);
	cr_assert_eq(mem.frames[e.mfn].refs, 1);
	cr_assert_not(p2m_lookup(p, 0x14, &e));
	cr_assert_eq(e.type, P2M_INVALID);
	cr_assert_eq(p2m_remove(p, 0x12), 0);
	cr_assert_eq(p2m_remove(p, 0x12), -ENOENT);
	cr_assert_eq(mem.n_free, 64 - 3);
	p2m_destroy(p);
	cr_assert_eq(mem.n_free, 64, "teardown frees every frame");
}

Test(p2m, bad_arguments_are_rejected)
{
	struct p2m *p = p2m_new(&mem, 1);

	cr_assert_eq(p2m_populate_ram(p, P2M_MAX_GFN, 2), -EINVAL);
	cr_assert_eq(p2m_set(p, P2M_MAX_GFN + 1, 0, P2M_RAM_RW, P2M_ACCESS_RWX), -EINVAL);
	cr_assert_eq(p2m_set(p, 1, 9999, P2M_RAM_RW, P2M_ACCESS_RWX), -EINVAL, "no such frame");
	cr_assert_eq(p2m_set(p, 1, 0, P2M_INVALID, P2M_ACCESS_RWX), -EINVAL);
	cr_assert_eq(p2m_set(p, 1, 0, (enum p2m_type)99, P2M_ACCESS_RWX), -EINVAL);
	cr_assert_eq(p2m_populate_ram(p, 0, 1000), -ENOMEM, "more than the machine has");
	p2m_destroy(p);
	cr_assert_eq(mem.n_free, 64);
}

Test(p2m, foreign_mapping_keeps_the_page_alive)
{
	struct p2m *owner = p2m_new(&mem, 1);
	struct p2m *mapper = p2m_new(&mem, 2);
	struct p2m_entry e;
	uint8_t buf[4] = { 1, 2, 3, 4 }, out[4];

	cr_assert_eq(p2m_populate_ram(owner, 0, 1), 0);
	cr_assert(p2m_lookup(owner, 0, &e));
	cr_assert_eq(p2m_copy_to(owner, 0x10, buf, 4), 0);
	cr_assert_eq(p2m_set(mapper, 0x80, e.mfn, P2M_MAP_FOREIGN, P2M_ACCESS_R), 0);
	cr_assert_eq(mem.frames[e.mfn].refs, 2);
	p2m_destroy(owner);
	cr_assert_eq(mem.frames[e.mfn].refs, 1, "the mapper still holds it");
	cr_assert_eq(p2m_copy_from(mapper, out, 0x80010, 4), 0);
	cr_assert_arr_eq(out, buf, 4);
	cr_assert_eq(p2m_copy_to(mapper, 0x80010, buf, 4), -EFAULT, "mapped read-only");
	p2m_destroy(mapper);
	cr_assert_eq(mem.n_free, 64);
}

Test(p2m, copies_check_every_page_first)
{
	struct p2m *p = p2m_new(&mem, 1);
	uint8_t buf[8192], out[8192];

	memset(buf, 0xab, sizeof(buf));
	cr_assert_eq(p2m_populate_ram(p, 0, 2), 0);
	cr_assert_eq(p2m_copy_to(p, 0x800, buf, 8192), -EFAULT, "runs into gfn 2");
	cr_assert_eq(p2m_copy_from(p, out, 0x800, 8), 0);
	cr_assert_eq(out[0], 0, "a failed copy wrote nothing");
	cr_assert_eq(p2m_copy_to(p, 0x800, buf, 4096), 0, "crosses a page");
	cr_assert_eq(p2m_copy_from(p, out, 0x800, 4096), 0);
	cr_assert_arr_eq(out, buf, 4096);
	cr_assert_eq(p2m_copy_to(p, UINT64_MAX - 2, buf, 8), -EFAULT, "wraps");
	p2m_destroy(p);
}

static int mmio_read(void *opaque, unsigned cpu, uint64_t gpa, unsigned size, uint64_t *val)
{
	*val = gpa + size;
	return 0;
}

static int mmio_write(void *opaque, unsigned cpu, uint64_t gpa, unsigned size, uint64_t val)
{
	*(uint64_t *)opaque = val;
	return 0;
}

static const struct mmio_ops test_mmio = { mmio_read, mmio_write };

Test(p2m, mmio_regions_dispatch_and_are_not_ram)
{
	struct p2m *p = p2m_new(&mem, 1);
	uint64_t v, last = 0;
	uint8_t b;

	cr_assert_eq(p2m_add_mmio(p, 0xfee00, 1, &test_mmio, &last), 0);
	cr_assert_eq(p2m_mmio_read(p, 0, 0xfee00030, 4, &v), 0);
	cr_assert_eq(v, 0xfee00034);
	cr_assert_eq(p2m_mmio_write(p, 0, 0xfee000b0, 4, 0x55), 0);
	cr_assert_eq(last, 0x55);
	cr_assert_null(p2m_host_page(p, 0xfee00));
	cr_assert_eq(p2m_copy_from(p, &b, 0xfee00000, 1), -EFAULT);
	cr_assert_eq(p2m_mmio_read(p, 0, 0x1000, 4, &v), -1, "no region there");
	p2m_destroy(p);
}

struct listen_log {
	uint64_t changed_gfn, changed_count, code_gpa, code_len;
	unsigned marked;
};

static void on_changed(void *o, uint64_t gfn, uint64_t count)
{
	struct listen_log *l = o;
	l->changed_gfn = gfn;
	l->changed_count = count;
}

static void on_code_write(void *o, uint64_t gpa, uint64_t len)
{
	struct listen_log *l = o;
	l->code_gpa = gpa;
	l->code_len = len;
}

static void on_marked(void *o, uint64_t gfn)
{
	((struct listen_log *)o)->marked++;
}

Test(p2m, listeners_hear_changes_and_code_writes)
{
	struct p2m *p = p2m_new(&mem, 1);
	struct listen_log log = { 0 };
	struct p2m_listener l = { on_changed, on_code_write, on_marked, &log };
	uint32_t x = 7;

	p2m_add_listener(p, &l);
	cr_assert_eq(p2m_populate_ram(p, 0, 4), 0);
	cr_assert_eq(log.changed_count, 0, "new mappings are not changes");
	cr_assert_eq(p2m_remove(p, 3), 0);
	cr_assert_eq(log.changed_gfn, 3);
	cr_assert_eq(log.changed_count, 1);
	p2m_mark_code(p, 1);
	p2m_mark_code(p, 1);
	cr_assert_eq(log.marked, 1, "marking twice notifies once");
	cr_assert_eq(p2m_copy_to(p, 0x0ffc, &x, 4), 0);
	cr_assert_eq(log.code_len, 0, "page 0 holds no code");
	cr_assert_eq(p2m_copy_to(p, 0x1010, &x, 4), 0);
	cr_assert_eq(log.code_gpa, 0x1010);
	cr_assert_eq(log.code_len, 4);
	p2m_clear_code(p, 1);
	log.code_len = 0;
	cr_assert_eq(p2m_copy_to(p, 0x1010, &x, 4), 0);
	cr_assert_eq(log.code_len, 0);
	p2m_remove_listener(p, &log);
	p2m_destroy(p);
}

Test(p2m, type_names)
{
	cr_assert_str_eq(p2m_type_name(P2M_RAM_RW), "ram_rw");
	cr_assert_str_eq(p2m_type_name(P2M_MAP_FOREIGN), "map_foreign");
	cr_assert_str_eq(p2m_type_name((enum p2m_type)77), "?");
}
