/*
 * The TB cache: hash lookup, per-page index for invalidation, chaining links.
 *
 * Example: a guest writes to a page holding the code of TBs A and B. The store
 * takes the TLB slow path (the page is a code page), p2m_notify_code_write()
 * calls tb_cache's code_write listener, which invalidates A and B: they leave
 * the hash table and the page index, every chain into them is unlinked, and
 * they wait in the graveyard until tb_cache_collect(). The page is then no
 * longer code: p2m_clear_code() lets later writes take the fast path again.
 */
#include "cpu/tb.h"
#include "cpu/backend.h"
#include "cpu/cpu.h"
#include "mmu/p2m.h"

#include <glib.h>
#include <xxhash.h>

#define TB_HASH_BITS 15
#define TB_HASH_SIZE (1u << TB_HASH_BITS)

struct tb_cache {
	struct tb **hash;
	GHashTable *pages; /* gpa page (uint64 key) -> GPtrArray of struct tb * */
	struct p2m *p2m;
	const struct backend_ops *backend;
	GPtrArray *cpus;
	struct tb *graveyard;
	unsigned count;
};

static uint64_t tb_hash(uint64_t pc, uint64_t phys_pc, uint64_t flags)
{
	uint64_t key[3] = { pc, phys_pc, flags };
	return XXH3_64bits(key, sizeof(key));
}

static void tb_code_write(void *opaque, uint64_t gpa, uint64_t len)
{
	tb_cache_invalidate_range(opaque, gpa, len);
}

static void tb_p2m_changed(void *opaque, uint64_t gfn, uint64_t count)
{
	struct tb_cache *c = opaque;

	/* A remapped gfn may have held code: its TBs are keyed by the old page. */
	tb_cache_invalidate_range(c, gfn << SV_PAGE_BITS, count << SV_PAGE_BITS);
	for (unsigned i = 0; i < c->cpus->len; i++) {
		struct cpu *cpu = g_ptr_array_index(c->cpus, i);
		for (uint64_t k = 0; k < count && k < 512; k++)
			mmu_tlb_flush_gpa(&cpu->tlb, (gfn + k) << SV_PAGE_BITS);
		if (count >= 512)
			mmu_tlb_flush(&cpu->tlb);
	}
}

static void tb_code_marked(void *opaque, uint64_t gfn)
{
	struct tb_cache *c = opaque;

	for (unsigned i = 0; i < c->cpus->len; i++) {
		struct cpu *cpu = g_ptr_array_index(c->cpus, i);
		mmu_tlb_flush_gpa_writes(&cpu->tlb, gfn << SV_PAGE_BITS);
	}
}

struct tb_cache *tb_cache_new(struct p2m *p2m, const struct backend_ops *backend)
{
	struct tb_cache *c = g_new0(struct tb_cache, 1);
	struct p2m_listener l = {
		.changed = tb_p2m_changed,
		.code_write = tb_code_write,
		.code_marked = tb_code_marked,
		.opaque = c,
	};

	c->hash = g_new0(struct tb *, TB_HASH_SIZE);
	c->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					 (GDestroyNotify)g_ptr_array_unref);
	c->p2m = p2m;
	c->backend = backend;
	c->cpus = g_ptr_array_new();
	if (p2m)
		p2m_add_listener(p2m, &l);
	return c;
}

static void tb_free(struct tb_cache *c, struct tb *tb)
{
	if (tb->code)
		c->backend->free_code(tb);
	g_free(tb);
}

void tb_cache_free(struct tb_cache *c)
{
	if (!c)
		return;
	if (c->p2m)
		p2m_remove_listener(c->p2m, c);
	tb_cache_flush(c);
	tb_cache_collect(c);
	g_hash_table_destroy(c->pages);
	g_ptr_array_free(c->cpus, TRUE);
	g_free(c->hash);
	g_free(c);
}

const struct backend_ops *tb_cache_backend(const struct tb_cache *c)
{
	return c->backend;
}

void tb_cache_attach_cpu(struct tb_cache *c, struct cpu *cpu)
{
	g_ptr_array_add(c->cpus, cpu);
}

void tb_cache_detach_cpu(struct tb_cache *c, struct cpu *cpu)
{
	g_ptr_array_remove(c->cpus, cpu);
}

unsigned tb_cache_count(const struct tb_cache *c)
{
	return c->count;
}

struct tb *tb_cache_lookup(struct tb_cache *c, uint64_t pc, uint64_t phys_pc, uint64_t flags)
{
	uint64_t h = tb_hash(pc, phys_pc, flags);

	for (struct tb *tb = c->hash[h & (TB_HASH_SIZE - 1)]; tb; tb = tb->hash_next)
		if (tb->hash == h && tb->pc == pc && tb->phys_pc == phys_pc && tb->flags == flags)
			return tb;
	return NULL;
}

static void tb_page_add(struct tb_cache *c, uint64_t page, struct tb *tb)
{
	GPtrArray *list = g_hash_table_lookup(c->pages, &page);

	if (!list) {
		uint64_t *key = g_new(uint64_t, 1);
		*key = page;
		list = g_ptr_array_new();
		g_hash_table_insert(c->pages, key, list);
		if (c->p2m)
			p2m_mark_code(c->p2m, page >> SV_PAGE_BITS);
	}
	g_ptr_array_add(list, tb);
}

static void tb_page_remove(struct tb_cache *c, uint64_t page, struct tb *tb)
{
	GPtrArray *list = g_hash_table_lookup(c->pages, &page);

	if (!list)
		return;
	g_ptr_array_remove_fast(list, tb);
	if (list->len == 0) {
		g_hash_table_remove(c->pages, &page);
		if (c->p2m)
			p2m_clear_code(c->p2m, page >> SV_PAGE_BITS);
	}
}

void tb_cache_insert(struct tb_cache *c, struct tb *tb)
{
	unsigned b;

	tb->hash = tb_hash(tb->pc, tb->phys_pc, tb->flags);
	b = tb->hash & (TB_HASH_SIZE - 1);
	tb->hash_next = c->hash[b];
	c->hash[b] = tb;
	tb_page_add(c, tb->page_gpa[0], tb);
	if (tb->page_gpa[1] != TB_NO_PAGE)
		tb_page_add(c, tb->page_gpa[1], tb);
	c->count++;
}

void tb_link(struct tb *src, unsigned slot, struct tb *dst)
{
	if (src->jmp_dest[slot] || src->invalid || dst->invalid)
		return;
	src->jmp_dest[slot] = dst;
	src->jmp_in_next[slot] = dst->jmp_in;
	dst->jmp_in = (uintptr_t)src | slot;
}

/* Remove src's chain in slot from dst's incoming list. */
static void tb_unlink_out(struct tb *src, unsigned slot)
{
	struct tb *dst = src->jmp_dest[slot];
	uintptr_t *pp;

	if (!dst)
		return;
	for (pp = &dst->jmp_in; *pp;) {
		struct tb *t = (struct tb *)(*pp & ~(uintptr_t)1);
		unsigned s = *pp & 1;
		if (t == src && s == slot) {
			*pp = src->jmp_in_next[slot];
			break;
		}
		pp = &t->jmp_in_next[s];
	}
	src->jmp_dest[slot] = NULL;
}

static void tb_invalidate(struct tb_cache *c, struct tb *tb)
{
	struct tb **pp;

	if (tb->invalid)
		return;
	tb->invalid = true;
	for (pp = &c->hash[tb->hash & (TB_HASH_SIZE - 1)]; *pp; pp = &(*pp)->hash_next) {
		if (*pp == tb) {
			*pp = tb->hash_next;
			break;
		}
	}
	/* Chains into tb. */
	while (tb->jmp_in) {
		struct tb *src = (struct tb *)(tb->jmp_in & ~(uintptr_t)1);
		unsigned s = tb->jmp_in & 1;
		tb->jmp_in = src->jmp_in_next[s];
		src->jmp_dest[s] = NULL;
	}
	/* Chains out of tb. */
	tb_unlink_out(tb, 0);
	tb_unlink_out(tb, 1);
	tb_page_remove(c, tb->page_gpa[0], tb);
	if (tb->page_gpa[1] != TB_NO_PAGE)
		tb_page_remove(c, tb->page_gpa[1], tb);
	tb->grave_next = c->graveyard;
	c->graveyard = tb;
	c->count--;
}

unsigned tb_cache_invalidate_range(struct tb_cache *c, uint64_t gpa, uint64_t len)
{
	unsigned n = 0;
	uint64_t first = gpa & SV_PAGE_MASK;
	uint64_t last = (gpa + (len ? len - 1 : 0)) & SV_PAGE_MASK;

	for (uint64_t page = first; page <= last; page += SV_PAGE_SIZE) {
		GPtrArray *list = g_hash_table_lookup(c->pages, &page);
		/* Work on a snapshot: invalidation edits the list. */
		GPtrArray *snap;

		if (!list)
			goto next;
		snap = g_ptr_array_copy(list, NULL, NULL);
		for (unsigned i = 0; i < snap->len; i++) {
			struct tb *tb = g_ptr_array_index(snap, i);
			uint64_t end = tb->phys_pc + tb->size;
			/* Only TBs whose code overlaps the written bytes. A TB that
			 * straddles into this page starts on the previous one. */
			if (tb->page_gpa[1] == page || (tb->phys_pc < gpa + len && end > gpa)) {
				tb_invalidate(c, tb);
				n++;
			}
		}
		g_ptr_array_unref(snap);
next:
		if (page == last)
			break;
	}
	for (unsigned i = 0; i < c->cpus->len && n; i++)
		((struct cpu *)g_ptr_array_index(c->cpus, i))->n_tb_invalidated += n;
	return n;
}

unsigned tb_cache_invalidate_va(struct tb_cache *c, uint64_t va)
{
	unsigned n = 0;

	/* A walk over the whole table: rare (a debugger's request), and TBs
	 * are not indexed by virtual page. A TB of no code (a breakpoint stop)
	 * counts as covering its pc. */
	for (unsigned b = 0; b < TB_HASH_SIZE; b++) {
		struct tb *tb = c->hash[b];
		while (tb) {
			struct tb *next = tb->hash_next;
			uint64_t size = tb->size ? tb->size : 1;
			if (va - tb->pc < size) {
				tb_invalidate(c, tb);
				n++;
			}
			tb = next;
		}
	}
	for (unsigned i = 0; i < c->cpus->len && n; i++)
		((struct cpu *)g_ptr_array_index(c->cpus, i))->n_tb_invalidated += n;
	return n;
}

void tb_cache_flush(struct tb_cache *c)
{
	for (unsigned b = 0; b < TB_HASH_SIZE; b++)
		while (c->hash[b])
			tb_invalidate(c, c->hash[b]);
}

void tb_cache_collect(struct tb_cache *c)
{
	if (!c->graveyard)
		return;
	/* Jump caches may still point at the dead: clear them. */
	for (unsigned i = 0; i < c->cpus->len; i++) {
		struct cpu *cpu = g_ptr_array_index(c->cpus, i);
		memset(cpu->jmp_cache, 0, sizeof(cpu->jmp_cache));
	}
	while (c->graveyard) {
		struct tb *tb = c->graveyard;
		c->graveyard = tb->grave_next;
		tb_free(c, tb);
	}
}
