/*
 * The p2m radix table. See mmu/p2m.h for the model.
 *
 * Layout: gfn bits [35:27] index the root, [26:18] level 2, [17:9] level 1,
 * [8:0] the leaf array of struct p2m_entry. Interior nodes are allocated on
 * first use; an all-zero entry is P2M_INVALID.
 */
#include "mmu/p2m.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>

#define P2M_LEVEL_BITS 9
#define P2M_FANOUT (1u << P2M_LEVEL_BITS)

struct p2m_node {
	void *child[P2M_FANOUT];
};

struct p2m_leaf {
	struct p2m_entry e[P2M_FANOUT];
};

struct p2m_mmio_region {
	uint64_t gfn, count;
	const struct mmio_ops *ops;
	void *opaque;
};

struct p2m {
	struct machmem *mem;
	uint16_t domid;
	struct p2m_node *root;
	GArray *listeners; /* struct p2m_listener */
	GPtrArray *mmio;   /* struct p2m_mmio_region * */
};

struct p2m *p2m_new(struct machmem *mem, uint16_t domid)
{
	struct p2m *p = g_new0(struct p2m, 1);

	p->mem = mem;
	p->domid = domid;
	p->root = g_new0(struct p2m_node, 1);
	p->listeners = g_array_new(FALSE, TRUE, sizeof(struct p2m_listener));
	p->mmio = g_ptr_array_new_with_free_func(g_free);
	return p;
}

static void p2m_free_level(struct p2m *p, void *node, int level)
{
	if (!node)
		return;
	if (level == 0) {
		struct p2m_leaf *leaf = node;
		for (unsigned i = 0; i < P2M_FANOUT; i++) {
			struct p2m_entry *e = &leaf->e[i];
			if (e->type != P2M_INVALID && e->type != P2M_MMIO)
				machmem_put(p->mem, e->mfn);
		}
	} else {
		struct p2m_node *n = node;
		for (unsigned i = 0; i < P2M_FANOUT; i++)
			p2m_free_level(p, n->child[i], level - 1);
	}
	g_free(node);
}

void p2m_destroy(struct p2m *p)
{
	if (!p)
		return;
	p2m_free_level(p, p->root, 3);
	g_array_free(p->listeners, TRUE);
	g_ptr_array_free(p->mmio, TRUE);
	g_free(p);
}

uint16_t p2m_domid(const struct p2m *p)
{
	return p->domid;
}

struct machmem *p2m_machmem(const struct p2m *p)
{
	return p->mem;
}

void p2m_add_listener(struct p2m *p, const struct p2m_listener *l)
{
	g_array_append_val(p->listeners, *l);
}

void p2m_remove_listener(struct p2m *p, void *opaque)
{
	for (unsigned i = 0; i < p->listeners->len; i++)
		if (g_array_index(p->listeners, struct p2m_listener, i).opaque == opaque) {
			g_array_remove_index(p->listeners, i);
			return;
		}
}

static void p2m_notify_changed(struct p2m *p, uint64_t gfn, uint64_t count)
{
	for (unsigned i = 0; i < p->listeners->len; i++) {
		struct p2m_listener *l = &g_array_index(p->listeners, struct p2m_listener, i);
		if (l->changed)
			l->changed(l->opaque, gfn, count);
	}
}

/* The entry for gfn; allocates the path when create is set. NULL if absent. */
static struct p2m_entry *p2m_entry_of(const struct p2m *p, uint64_t gfn, bool create)
{
	struct p2m_node *n = p->root;

	if (gfn > P2M_MAX_GFN)
		return NULL;
	for (int level = 3; level >= 1; level--) {
		unsigned idx = (gfn >> (level * P2M_LEVEL_BITS)) & (P2M_FANOUT - 1);
		void *child = n->child[idx];
		if (!child) {
			if (!create)
				return NULL;
			child = level == 1 ? (void *)g_new0(struct p2m_leaf, 1) :
					     (void *)g_new0(struct p2m_node, 1);
			n->child[idx] = child;
		}
		if (level == 1)
			return &((struct p2m_leaf *)child)->e[gfn & (P2M_FANOUT - 1)];
		n = child;
	}
	return NULL;
}

static void p2m_entry_release(struct p2m *p, struct p2m_entry *e)
{
	if (e->type != P2M_INVALID && e->type != P2M_MMIO)
		machmem_put(p->mem, e->mfn);
	memset(e, 0, sizeof(*e));
}

static int p2m_set_entry(struct p2m *p, uint64_t gfn, uint64_t mfn, enum p2m_type type,
			 unsigned access, bool take_ref)
{
	struct p2m_entry *e;
	bool was_mapped;

	if (type <= P2M_INVALID || type >= P2M_NUM_TYPES || (access & ~P2M_ACCESS_RWX))
		return -EINVAL;
	if (type != P2M_MMIO && !machmem_valid(p->mem, mfn))
		return -EINVAL;
	e = p2m_entry_of(p, gfn, true);
	if (!e)
		return -EINVAL;
	was_mapped = e->type != P2M_INVALID;
	if (take_ref && type != P2M_MMIO)
		machmem_get(p->mem, mfn);
	p2m_entry_release(p, e);
	e->mfn = mfn;
	e->type = (uint8_t)type;
	e->access = (uint8_t)access;
	if (was_mapped)
		p2m_notify_changed(p, gfn, 1);
	return 0;
}

int p2m_set(struct p2m *p, uint64_t gfn, uint64_t mfn, enum p2m_type type, unsigned access)
{
	return p2m_set_entry(p, gfn, mfn, type, access, true);
}

int p2m_populate_ram(struct p2m *p, uint64_t gfn, uint64_t count)
{
	if (gfn > P2M_MAX_GFN || count > P2M_MAX_GFN + 1 - gfn)
		return -EINVAL;
	for (uint64_t i = 0; i < count; i++) {
		int64_t mfn = machmem_alloc(p->mem, p->domid);
		int rc;

		if (mfn < 0)
			return (int)mfn;
		/* The allocation's reference becomes the mapping's. */
		rc = p2m_set_entry(p, gfn + i, (uint64_t)mfn, P2M_RAM_RW, P2M_ACCESS_RWX, false);
		if (rc < 0) {
			machmem_put(p->mem, (uint64_t)mfn);
			return rc;
		}
	}
	return 0;
}

int p2m_remove(struct p2m *p, uint64_t gfn)
{
	struct p2m_entry *e = p2m_entry_of(p, gfn, false);

	if (!e || e->type == P2M_INVALID)
		return -ENOENT;
	p2m_entry_release(p, e);
	p2m_notify_changed(p, gfn, 1);
	return 0;
}

int p2m_add_mmio(struct p2m *p, uint64_t gfn, uint64_t count, const struct mmio_ops *ops,
		 void *opaque)
{
	struct p2m_mmio_region *r;

	if (!ops || count == 0 || gfn > P2M_MAX_GFN || count > P2M_MAX_GFN + 1 - gfn)
		return -EINVAL;
	r = g_new0(struct p2m_mmio_region, 1);
	r->gfn = gfn;
	r->count = count;
	r->ops = ops;
	r->opaque = opaque;
	g_ptr_array_add(p->mmio, r);
	for (uint64_t i = 0; i < count; i++) {
		int rc =
			p2m_set_entry(p, gfn + i, p->mmio->len - 1, P2M_MMIO, P2M_ACCESS_RW, false);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int p2m_set_access(struct p2m *p, uint64_t gfn, unsigned access)
{
	struct p2m_entry *e = p2m_entry_of(p, gfn, false);

	if (access & ~P2M_ACCESS_RWX)
		return -EINVAL;
	if (!e || e->type == P2M_INVALID)
		return -ENOENT;
	e->access = (uint8_t)access;
	p2m_notify_changed(p, gfn, 1);
	return 0;
}

bool p2m_lookup(const struct p2m *p, uint64_t gfn, struct p2m_entry *out)
{
	const struct p2m_entry *e = p2m_entry_of(p, gfn, false);

	if (!e || e->type == P2M_INVALID) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	*out = *e;
	return true;
}

uint8_t *p2m_host_page(const struct p2m *p, uint64_t gfn)
{
	const struct p2m_entry *e = p2m_entry_of(p, gfn, false);

	if (!e || e->type == P2M_INVALID || e->type == P2M_MMIO)
		return NULL;
	return machmem_ptr(p->mem, e->mfn);
}

static struct p2m_mmio_region *p2m_mmio_find(struct p2m *p, uint64_t gpa)
{
	struct p2m_entry *e = p2m_entry_of(p, gpa >> SV_PAGE_BITS, false);

	if (!e || e->type != P2M_MMIO || e->mfn >= p->mmio->len)
		return NULL;
	return g_ptr_array_index(p->mmio, e->mfn);
}

int p2m_mmio_read(struct p2m *p, unsigned cpu, uint64_t gpa, unsigned size, uint64_t *val)
{
	struct p2m_mmio_region *r = p2m_mmio_find(p, gpa);

	*val = 0;
	if (!r || !r->ops->read)
		return -1;
	return r->ops->read(r->opaque, cpu, gpa, size, val);
}

int p2m_mmio_write(struct p2m *p, unsigned cpu, uint64_t gpa, unsigned size, uint64_t val)
{
	struct p2m_mmio_region *r = p2m_mmio_find(p, gpa);

	if (!r || !r->ops->write)
		return -1;
	return r->ops->write(r->opaque, cpu, gpa, size, val);
}

void p2m_mark_code(struct p2m *p, uint64_t gfn)
{
	struct p2m_entry *e = p2m_entry_of(p, gfn, false);

	if (!e || e->type == P2M_INVALID || (e->flags & P2M_F_CODE))
		return;
	e->flags |= P2M_F_CODE;
	for (unsigned i = 0; i < p->listeners->len; i++) {
		struct p2m_listener *l = &g_array_index(p->listeners, struct p2m_listener, i);
		if (l->code_marked)
			l->code_marked(l->opaque, gfn);
	}
}

void p2m_clear_code(struct p2m *p, uint64_t gfn)
{
	struct p2m_entry *e = p2m_entry_of(p, gfn, false);

	if (e)
		e->flags &= (uint8_t)~P2M_F_CODE;
}

void p2m_notify_code_write(struct p2m *p, uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < p->listeners->len; i++) {
		struct p2m_listener *l = &g_array_index(p->listeners, struct p2m_listener, i);
		if (l->code_write)
			l->code_write(l->opaque, gpa, len);
	}
}

static bool p2m_is_ram(enum p2m_type t)
{
	return t != P2M_INVALID && t != P2M_MMIO && t != P2M_HV_TABLE;
}

static bool p2m_readable(const struct p2m_entry *e, bool table)
{
	if (table && e->type == P2M_HV_TABLE)
		return true;
	return p2m_is_ram(e->type) && (e->access & P2M_ACCESS_R);
}

static bool p2m_writable(const struct p2m_entry *e, bool table)
{
	if (table && e->type == P2M_HV_TABLE)
		return true;
	return p2m_is_ram(e->type) && e->type != P2M_RAM_RO && e->type != P2M_GRANT_MAP_RO &&
	       (e->access & P2M_ACCESS_W);
}

static int p2m_read(struct p2m *p, void *dst, uint64_t gpa, size_t len, bool table)
{
	uint8_t *out = dst;

	while (len) {
		const struct p2m_entry *e = p2m_entry_of(p, gpa >> SV_PAGE_BITS, false);
		size_t off = gpa & ~SV_PAGE_MASK;
		size_t n = SV_PAGE_SIZE - off < len ? SV_PAGE_SIZE - off : len;

		if (!e || !p2m_readable(e, table))
			return -EFAULT;
		memcpy(out, machmem_ptr(p->mem, e->mfn) + off, n);
		out += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

static int p2m_write(struct p2m *p, uint64_t gpa, const void *src, size_t len, bool table)
{
	const uint8_t *in = src;

	if (gpa + len < gpa)
		return -EFAULT;
	/* Check the whole range first: a failed copy changes nothing. */
	for (uint64_t a = gpa & SV_PAGE_MASK; a < gpa + len; a += SV_PAGE_SIZE) {
		const struct p2m_entry *e = p2m_entry_of(p, a >> SV_PAGE_BITS, false);
		if (!e || !p2m_writable(e, table))
			return -EFAULT;
	}
	while (len) {
		const struct p2m_entry *e = p2m_entry_of(p, gpa >> SV_PAGE_BITS, false);
		size_t off = gpa & ~SV_PAGE_MASK;
		size_t n = SV_PAGE_SIZE - off < len ? SV_PAGE_SIZE - off : len;

		memcpy(machmem_ptr(p->mem, e->mfn) + off, in, n);
		if (e->flags & P2M_F_CODE)
			p2m_notify_code_write(p, gpa, n);
		in += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

int p2m_copy_from(struct p2m *p, void *dst, uint64_t gpa, size_t len)
{
	return p2m_read(p, dst, gpa, len, false);
}

int p2m_copy_to(struct p2m *p, uint64_t gpa, const void *src, size_t len)
{
	return p2m_write(p, gpa, src, len, false);
}

int p2m_table_read(struct p2m *p, void *dst, uint64_t gpa, size_t len)
{
	return p2m_read(p, dst, gpa, len, true);
}

int p2m_table_write(struct p2m *p, uint64_t gpa, const void *src, size_t len)
{
	return p2m_write(p, gpa, src, len, true);
}

const char *p2m_type_name(enum p2m_type t)
{
	static const char *const names[] = {
#define P2M_NAME(n, s) s,
		P2M_TYPES(P2M_NAME)
#undef P2M_NAME
	};
	return t < P2M_NUM_TYPES ? names[t] : "?";
}

/*
 * Snapshots: every mapped leaf (512 entries) with its first gfn. The
 * references the entries hold are in the frame table (machmem_load runs
 * first), so loading replaces the tree without taking or dropping any.
 * Code marks are not kept: the TB cache is empty after a load. MMIO
 * regions are the machine's own (registered when it is built), so an MMIO
 * entry must name one that exists. The listeners are not told: the loader
 * flushes every TLB and the TB cache (hv/snapshot.c).
 */
static void p2m_save_level(const struct p2m *p, void *node, int level, uint64_t gfn,
			   struct sv_snap_w *w, uint64_t *n)
{
	if (!node)
		return;
	if (level == 0) {
		if (w) {
			sv_snap_put_u64(w, gfn);
			sv_snap_put_bytes(w, node, sizeof(struct p2m_leaf));
		}
		(*n)++;
		return;
	}
	for (unsigned i = 0; i < P2M_FANOUT; i++)
		p2m_save_level(p, ((struct p2m_node *)node)->child[i], level - 1,
			       gfn | (uint64_t)i << (level * P2M_LEVEL_BITS), w, n);
}

void p2m_save(const struct p2m *p, struct sv_snap_w *w)
{
	uint64_t n = 0;

	p2m_save_level(p, p->root, 3, 0, NULL, &n);
	sv_snap_put_u64(w, n);
	n = 0;
	p2m_save_level(p, p->root, 3, 0, w, &n);
}

static void p2m_drop_level(void *node, int level)
{
	if (!node)
		return;
	if (level > 0)
		for (unsigned i = 0; i < P2M_FANOUT; i++)
			p2m_drop_level(((struct p2m_node *)node)->child[i], level - 1);
	g_free(node);
}

int p2m_load(struct p2m *p, struct sv_snap_r *r)
{
	struct p2m_leaf *leaf = g_new(struct p2m_leaf, 1);
	uint64_t n = 0, prev = 0;
	int rc = 0;

	if (!sv_snap_get_u64(r, &n) || n > (P2M_MAX_GFN >> P2M_LEVEL_BITS) + 1) {
		rc = sv_snap_fail(r, "bad p2m leaf count");
		goto out;
	}
	/* The tree as built held references machmem_load replaced. */
	p2m_drop_level(p->root, 3);
	p->root = g_new0(struct p2m_node, 1);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t gfn = 0;
		struct p2m_entry *e;

		if (!sv_snap_get_u64(r, &gfn) || gfn > P2M_MAX_GFN || (gfn & (P2M_FANOUT - 1)) ||
		    (i && gfn <= prev) || !sv_snap_get_bytes(r, leaf, sizeof(*leaf))) {
			rc = sv_snap_fail(r, "bad p2m leaf at gfn 0x%" PRIx64, gfn);
			goto out;
		}
		prev = gfn;
		for (unsigned j = 0; j < P2M_FANOUT; j++) {
			struct p2m_entry *s = &leaf->e[j];

			if (s->type == P2M_INVALID)
				continue;
			if (s->type >= P2M_NUM_TYPES || (s->access & ~P2M_ACCESS_RWX) ||
			    (s->type == P2M_MMIO ? s->mfn >= p->mmio->len :
						   !machmem_valid(p->mem, s->mfn))) {
				rc = sv_snap_fail(r, "bad p2m entry for gfn 0x%" PRIx64, gfn + j);
				goto out;
			}
			e = p2m_entry_of(p, gfn + j, true);
			*e = *s;
			e->flags &= (uint8_t)~P2M_F_CODE;
		}
	}
out:
	g_free(leaf);
	return rc;
}
