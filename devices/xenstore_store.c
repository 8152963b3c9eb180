/*
 * The xenstore database (see devices/xenstore_store.h for the model).
 *
 * Nodes keep their children in creation order, so XS_DIRECTORY answers are
 * deterministic. Every walk is bounded by the path's length, which is checked
 * against XENSTORE_ABS_PATH_MAX before anything else.
 */
#include "devices/xenstore_store.h"
#include "sv/snap.h"

#include <errno.h>

struct xs_perm {
	uint16_t dom;
	char mode; /* 'n', 'r', 'w', 'b' */
};

struct xs_node {
	char *name;
	uint8_t *value;
	size_t len;
	struct xs_perm *perms;
	unsigned n_perms;
	GPtrArray *children; /* struct xs_node *, creation order */
};

struct xs_watch {
	void *owner;
	char *path;
	char *token;
	bool relative;
	xs_watch_fn fn;
};

struct xs_tx {
	uint32_t id;
	uint16_t dom;
	struct xs_node *root;
	GPtrArray *changed; /* char * paths to fire at commit */
};

struct xs_store {
	struct xs_node *root;
	unsigned n_nodes;
	GPtrArray *watches; /* struct xs_watch * */
	GPtrArray *txs;     /* struct xs_tx * */
	uint32_t next_tx;
};

/* ------------------------------------------------------------ nodes */

static struct xs_node *node_new(const char *name, const struct xs_perm *perms, unsigned n)
{
	struct xs_node *n0 = g_new0(struct xs_node, 1);

	n0->name = g_strdup(name);
	n0->perms = g_memdup2(perms, n * sizeof(*perms));
	n0->n_perms = n;
	n0->children = g_ptr_array_new();
	return n0;
}

static unsigned node_free(struct xs_node *n)
{
	unsigned count = 1;

	for (unsigned i = 0; i < n->children->len; i++)
		count += node_free(g_ptr_array_index(n->children, i));
	g_ptr_array_free(n->children, TRUE);
	g_free(n->name);
	g_free(n->value);
	g_free(n->perms);
	g_free(n);
	return count;
}

static struct xs_node *node_copy(const struct xs_node *n)
{
	struct xs_node *c = node_new(n->name, n->perms, n->n_perms);

	c->value = g_memdup2(n->value, n->len);
	c->len = n->len;
	for (unsigned i = 0; i < n->children->len; i++)
		g_ptr_array_add(c->children, node_copy(g_ptr_array_index(n->children, i)));
	return c;
}

static struct xs_node *node_child(const struct xs_node *n, const char *name, size_t len,
				  unsigned *idx)
{
	for (unsigned i = 0; i < n->children->len; i++) {
		struct xs_node *c = g_ptr_array_index(n->children, i);
		if (strlen(c->name) == len && !memcmp(c->name, name, len)) {
			if (idx)
				*idx = i;
			return c;
		}
	}
	return NULL;
}

static bool perm_can(const struct xs_node *n, uint16_t dom, char want)
{
	char mode;

	if (dom == 0 || n->n_perms == 0 || n->perms[0].dom == dom)
		return true;
	mode = n->perms[0].mode;
	for (unsigned i = 1; i < n->n_perms; i++)
		if (n->perms[i].dom == dom) {
			mode = n->perms[i].mode;
			break;
		}
	return mode == 'b' || mode == want;
}

bool xs_store_path_valid(const char *path)
{
	size_t len = strnlen(path, XS_STORE_ABS_PATH_MAX + 1);

	if (len == 0 || len > XS_STORE_ABS_PATH_MAX)
		return false;
	if (path[0] == '@') /* special watch paths: @introduceDomain, ... */
		return len > 1;
	if (path[0] != '/')
		return false;
	if (len > 1 && path[len - 1] == '/')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = path[i];
		if (!g_ascii_isalnum(c) && c != '-' && c != '/' && c != '_' && c != '@')
			return false;
		if (c == '/' && path[i + 1] == '/')
			return false;
	}
	return true;
}

/* The tree a domain's operation works on: its transaction's copy or the
 * store's. NULL: no such transaction of dom. */
static struct xs_tx *tx_find(struct xs_store *s, uint16_t dom, uint32_t id)
{
	for (unsigned i = 0; i < s->txs->len; i++) {
		struct xs_tx *t = g_ptr_array_index(s->txs, i);
		if (t->id == id && t->dom == dom)
			return t;
	}
	return NULL;
}

static int tree_for(struct xs_store *s, uint16_t dom, uint32_t tx, struct xs_node **root,
		    struct xs_tx **t)
{
	*t = NULL;
	if (!tx) {
		*root = s->root;
		return 0;
	}
	*t = tx_find(s, dom, tx);
	if (!*t)
		return -ENOENT;
	*root = (*t)->root;
	return 0;
}

/* Walk to path. With parent != NULL also return the deepest existing node
 * on the way and whether the walk stopped there. */
static struct xs_node *node_walk(struct xs_node *root, const char *path, struct xs_node **deepest)
{
	struct xs_node *n = root;
	const char *p = path + 1;

	if (deepest)
		*deepest = root;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct xs_node *c = node_child(n, p, len, NULL);
		if (!c)
			return NULL;
		n = c;
		if (deepest)
			*deepest = n;
		p += len;
		if (*p == '/')
			p++;
	}
	return n;
}

static int lookup(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path, char want,
		  struct xs_node **out, struct xs_tx **t)
{
	struct xs_node *root;
	int rc;

	if (!xs_store_path_valid(path) || path[0] != '/')
		return -EINVAL;
	rc = tree_for(s, dom, tx, &root, t);
	if (rc < 0)
		return rc;
	*out = node_walk(root, path, NULL);
	if (!*out)
		return -ENOENT;
	if (!perm_can(*out, dom, want))
		return -EACCES;
	return 0;
}

/* ------------------------------------------------------------ watches */

/* Is path at or below base? */
static bool path_under(const char *path, const char *base)
{
	size_t n = strlen(base);

	if (!strcmp(base, "/"))
		return path[0] == '/';
	return !strncmp(path, base, n) && (path[n] == '\0' || path[n] == '/');
}

/* Fire the watches a change of path concerns; a removal also fires the
 * watches on nodes below it, with their own paths. */
static void fire(struct xs_store *s, const char *path, bool removed)
{
	/* A callback may not change the watch list, but be safe: iterate over
	 * a snapshot of the count. */
	for (unsigned i = 0; i < s->watches->len; i++) {
		struct xs_watch *w = g_ptr_array_index(s->watches, i);
		if (w->path[0] == '@')
			continue;
		if (path_under(path, w->path))
			w->fn(w->owner, path, w->token, w->relative);
		else if (removed && path_under(w->path, path))
			w->fn(w->owner, w->path, w->token, w->relative);
	}
}

static void changed(struct xs_store *s, struct xs_tx *t, const char *path, bool removed)
{
	if (t)
		g_ptr_array_add(t->changed, g_strdup_printf("%c%s", removed ? 'r' : 'w', path));
	else
		fire(s, path, removed);
}

int xs_store_watch(struct xs_store *s, void *owner, const char *abs_path, const char *token,
		   bool relative, xs_watch_fn fn)
{
	struct xs_watch *w;
	unsigned mine = 0;

	if (!xs_store_path_valid(abs_path))
		return -EINVAL;
	for (unsigned i = 0; i < s->watches->len; i++) {
		w = g_ptr_array_index(s->watches, i);
		if (w->owner != owner)
			continue;
		if (!strcmp(w->path, abs_path) && !strcmp(w->token, token))
			return -EEXIST;
		mine++;
	}
	if (mine >= XS_STORE_MAX_WATCHES)
		return -ENOSPC;
	w = g_new0(struct xs_watch, 1);
	w->owner = owner;
	w->path = g_strdup(abs_path);
	w->token = g_strdup(token);
	w->relative = relative;
	w->fn = fn;
	g_ptr_array_add(s->watches, w);
	return 0;
}

static void watch_free(struct xs_watch *w)
{
	g_free(w->path);
	g_free(w->token);
	g_free(w);
}

int xs_store_unwatch(struct xs_store *s, void *owner, const char *abs_path, const char *token)
{
	for (unsigned i = 0; i < s->watches->len; i++) {
		struct xs_watch *w = g_ptr_array_index(s->watches, i);
		if (w->owner == owner && !strcmp(w->path, abs_path) && !strcmp(w->token, token)) {
			watch_free(g_ptr_array_steal_index(s->watches, i));
			return 0;
		}
	}
	return -ENOENT;
}

void xs_store_unwatch_all(struct xs_store *s, void *owner)
{
	for (unsigned i = s->watches->len; i-- > 0;) {
		struct xs_watch *w = g_ptr_array_index(s->watches, i);
		if (w->owner == owner)
			watch_free(g_ptr_array_steal_index(s->watches, i));
	}
}

/* ------------------------------------------------------------ operations */

int xs_store_read(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path, GByteArray *out)
{
	struct xs_node *n;
	struct xs_tx *t;
	int rc = lookup(s, dom, tx, path, 'r', &n, &t);

	if (rc < 0)
		return rc;
	g_byte_array_append(out, n->value ? n->value : (const uint8_t *)"", (guint)n->len);
	return 0;
}

/* Create path's missing nodes (checking write access on the deepest
 * existing one); returns the node. */
static int node_make(struct xs_store *s, uint16_t dom, struct xs_node *root, const char *path,
		     struct xs_node **out, bool *created)
{
	struct xs_node *deep, *n = node_walk(root, path, &deep);
	*created = false;
	if (n) {
		*out = n;
		return 0;
	}
	if (!perm_can(deep, dom, 'w'))
		return -EACCES;
	/* Skip the components that exist. */
	n = root;
	const char *p = path + 1;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct xs_node *c = node_child(n, p, len, NULL);
		if (!c) {
			char *name;
			struct xs_perm owner_perm[XS_STORE_MAX_PERMS];
			unsigned np = n->n_perms;

			if (s->n_nodes >= XS_STORE_MAX_NODES)
				return -ENOSPC;
			memcpy(owner_perm, n->perms, np * sizeof(*owner_perm));
			if (dom != 0 && np)
				owner_perm[0].dom = dom; /* the creator owns it */
			name = g_strndup(p, len);
			c = node_new(name, owner_perm, np);
			g_free(name);
			g_ptr_array_add(n->children, c);
			s->n_nodes++;
			*created = true;
		}
		n = c;
		p += len;
		if (*p == '/')
			p++;
	}
	*out = n;
	return 0;
}

int xs_store_write(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path, const void *val,
		   size_t len)
{
	struct xs_node *root, *n;
	struct xs_tx *t;
	bool created;
	int rc;

	if (!xs_store_path_valid(path) || path[0] != '/')
		return -EINVAL;
	if (len > XS_STORE_PAYLOAD_MAX)
		return -E2BIG;
	rc = tree_for(s, dom, tx, &root, &t);
	if (rc < 0)
		return rc;
	n = node_walk(root, path, NULL);
	if (n && !perm_can(n, dom, 'w'))
		return -EACCES;
	rc = node_make(s, dom, root, path, &n, &created);
	if (rc < 0)
		return rc;
	g_free(n->value);
	n->value = g_memdup2(val, len);
	n->len = len;
	changed(s, t, path, false);
	return 0;
}

int xs_store_mkdir(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path)
{
	struct xs_node *root, *n;
	struct xs_tx *t;
	bool created;
	int rc;

	if (!xs_store_path_valid(path) || path[0] != '/')
		return -EINVAL;
	rc = tree_for(s, dom, tx, &root, &t);
	if (rc < 0)
		return rc;
	rc = node_make(s, dom, root, path, &n, &created);
	if (rc < 0)
		return rc;
	if (created)
		changed(s, t, path, false);
	return 0;
}

int xs_store_rm(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path)
{
	struct xs_node *root, *n, *parent, *deep;
	struct xs_tx *t;
	const char *slash;
	unsigned idx;
	int rc;

	if (!xs_store_path_valid(path) || path[0] != '/')
		return -EINVAL;
	if (!strcmp(path, "/"))
		return -EINVAL; /* the root cannot go */
	rc = tree_for(s, dom, tx, &root, &t);
	if (rc < 0)
		return rc;
	n = node_walk(root, path, &deep);
	if (!n) {
		/* Removing a missing node whose parent exists succeeds. */
		char *ppath = g_strndup(path, (gsize)(strrchr(path, '/') - path));
		bool parent_ok = node_walk(root, ppath[0] ? ppath : "/", NULL) != NULL;
		g_free(ppath);
		return parent_ok ? 0 : -ENOENT;
	}
	if (!perm_can(n, dom, 'w'))
		return -EACCES;
	slash = strrchr(path, '/');
	{
		char *ppath = g_strndup(path, (gsize)(slash - path));
		parent = node_walk(root, ppath[0] ? ppath : "/", NULL);
		g_free(ppath);
	}
	if (!parent || !node_child(parent, slash + 1, strlen(slash + 1), &idx))
		return -ENOENT;
	g_ptr_array_remove_index(parent->children, idx);
	{
		unsigned freed = node_free(n);
		if (!t)
			s->n_nodes -= freed < s->n_nodes ? freed : s->n_nodes;
	}
	changed(s, t, path, true);
	return 0;
}

int xs_store_directory(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path,
		       GByteArray *out)
{
	struct xs_node *n;
	struct xs_tx *t;
	int rc = lookup(s, dom, tx, path, 'r', &n, &t);

	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < n->children->len; i++) {
		struct xs_node *c = g_ptr_array_index(n->children, i);
		g_byte_array_append(out, (const uint8_t *)c->name, (guint)strlen(c->name) + 1);
		if (out->len > XS_STORE_PAYLOAD_MAX) {
			g_byte_array_set_size(out, 0);
			return -E2BIG;
		}
	}
	return 0;
}

int xs_store_get_perms(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path,
		       GByteArray *out)
{
	struct xs_node *n;
	struct xs_tx *t;
	int rc = lookup(s, dom, tx, path, 'r', &n, &t);

	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < n->n_perms; i++) {
		char buf[16];
		int len = g_snprintf(buf, sizeof(buf), "%c%u", n->perms[i].mode, n->perms[i].dom);
		g_byte_array_append(out, (const uint8_t *)buf, (guint)len + 1);
	}
	return 0;
}

int xs_store_set_perms(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path,
		       const char *buf, size_t len)
{
	struct xs_perm perms[XS_STORE_MAX_PERMS];
	unsigned np = 0;
	struct xs_node *n;
	struct xs_tx *t;
	size_t off = 0;
	int rc = lookup(s, dom, tx, path, 'w', &n, &t);

	if (rc < 0)
		return rc;
	/* Only the owner (or domain 0) may change the list. */
	if (dom != 0 && n->n_perms && n->perms[0].dom != dom)
		return -EACCES;
	while (off < len) {
		const char *p = buf + off;
		size_t l = strnlen(p, len - off);
		char *end;
		unsigned long id;

		if (l == len - off || l < 2 || np >= XS_STORE_MAX_PERMS)
			return -EINVAL; /* unterminated, too short or too many */
		if (!strchr("nrwb", p[0]))
			return -EINVAL;
		id = strtoul(p + 1, &end, 10);
		if (*end || id > 0xffff)
			return -EINVAL;
		perms[np].mode = p[0];
		perms[np].dom = (uint16_t)id;
		np++;
		off += l + 1;
	}
	if (!np)
		return -EINVAL;
	g_free(n->perms);
	n->perms = g_memdup2(perms, np * sizeof(*perms));
	n->n_perms = np;
	changed(s, t, path, false);
	return 0;
}

/* ------------------------------------------------------------ transactions */

int xs_store_tx_start(struct xs_store *s, uint16_t dom, uint32_t *id)
{
	struct xs_tx *t;
	unsigned mine = 0;

	for (unsigned i = 0; i < s->txs->len; i++)
		if (((struct xs_tx *)g_ptr_array_index(s->txs, i))->dom == dom)
			mine++;
	if (mine >= XS_STORE_MAX_TX)
		return -ENOSPC;
	t = g_new0(struct xs_tx, 1);
	if (++s->next_tx == 0)
		s->next_tx = 1;
	t->id = s->next_tx;
	t->dom = dom;
	t->root = node_copy(s->root);
	t->changed = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(s->txs, t);
	*id = t->id;
	return 0;
}

static void tx_free(struct xs_tx *t)
{
	if (t->root)
		node_free(t->root);
	g_ptr_array_free(t->changed, TRUE);
	g_free(t);
}

static unsigned node_count(const struct xs_node *n)
{
	unsigned c = 1;

	for (unsigned i = 0; i < n->children->len; i++)
		c += node_count(g_ptr_array_index(n->children, i));
	return c;
}

int xs_store_tx_end(struct xs_store *s, uint16_t dom, uint32_t id, bool commit)
{
	struct xs_tx *t = tx_find(s, dom, id);

	if (!t)
		return -ENOENT;
	g_ptr_array_remove_fast(s->txs, t);
	if (commit) {
		node_free(s->root);
		s->root = t->root;
		t->root = NULL;
		for (unsigned i = 0; i < t->changed->len; i++) {
			const char *c = g_ptr_array_index(t->changed, i);
			fire(s, c + 1, c[0] == 'r');
		}
	}
	tx_free(t);
	/* Nodes made in the transaction were counted as they were made. */
	s->n_nodes = node_count(s->root);
	return 0;
}

void xs_store_tx_abort_all(struct xs_store *s, uint16_t dom)
{
	for (unsigned i = s->txs->len; i-- > 0;) {
		struct xs_tx *t = g_ptr_array_index(s->txs, i);
		if (t->dom == dom)
			tx_free(g_ptr_array_steal_index(s->txs, i));
	}
}

/* ------------------------------------------------------------ the store */

struct xs_store *xs_store_new(void)
{
	struct xs_store *s = g_new0(struct xs_store, 1);
	static const struct xs_perm root_perm = { 0, 'n' };

	s->root = node_new("", &root_perm, 1);
	s->n_nodes = 1;
	s->watches = g_ptr_array_new();
	s->txs = g_ptr_array_new();
	return s;
}

void xs_store_free(struct xs_store *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->watches->len; i++)
		watch_free(g_ptr_array_index(s->watches, i));
	g_ptr_array_free(s->watches, TRUE);
	for (unsigned i = 0; i < s->txs->len; i++)
		tx_free(g_ptr_array_index(s->txs, i));
	g_ptr_array_free(s->txs, TRUE);
	node_free(s->root);
	g_free(s);
}

int xs_store_write_str(struct xs_store *s, const char *path, const char *val)
{
	return xs_store_write(s, 0, 0, path, val, strlen(val));
}

int xs_store_set_owner(struct xs_store *s, const char *path, uint16_t owner, char mode,
		       uint16_t reader)
{
	char buf[40];
	int len = g_snprintf(buf, sizeof(buf), "%c%u", mode, owner) + 1;

	if (reader != owner)
		len += g_snprintf(buf + len, sizeof(buf) - (size_t)len, "r%u", reader) + 1;
	return xs_store_set_perms(s, 0, 0, path, buf, (size_t)len);
}

/* ------------------------------------------------------------ snapshots */

/*
 * The tree (each node: name, value, permission list, children in creation
 * order), the open transactions with their copies and pending watch paths,
 * and the next transaction id. Watches belong to their owners, which save
 * theirs (xs_store_save_watches) and register them again when they load.
 */
static void node_save(const struct xs_node *n, struct sv_snap_w *w)
{
	sv_snap_put_str(w, n->name);
	sv_snap_put_bytes(w, n->value, n->len);
	sv_snap_put_bytes(w, n->perms, n->n_perms * sizeof(*n->perms));
	sv_snap_put_u32(w, n->children->len);
	for (unsigned i = 0; i < n->children->len; i++)
		node_save(g_ptr_array_index(n->children, i), w);
}

static struct xs_node *node_load(struct sv_snap_r *r, unsigned depth, unsigned *count)
{
	const uint8_t *val, *perms;
	size_t vlen = 0, plen = 0;
	struct xs_node *n;
	uint32_t nc = 0;
	char *name = NULL;

	if (depth > XS_STORE_ABS_PATH_MAX / 2 || ++*count > XS_STORE_MAX_NODES) {
		sv_snap_fail(r, "xenstore tree too deep or too large");
		return NULL;
	}
	if (!sv_snap_get_str(r, XS_STORE_ABS_PATH_MAX, &name) || !name)
		return NULL;
	val = sv_snap_get_blob(r, XS_STORE_PAYLOAD_MAX, &vlen);
	perms = val ? sv_snap_get_blob(r, XS_STORE_MAX_PERMS * sizeof(struct xs_perm), &plen) :
		      NULL;
	if (!perms || plen % sizeof(struct xs_perm) || !sv_snap_get_u32(r, &nc)) {
		g_free(name);
		sv_snap_fail(r, "bad xenstore node");
		return NULL;
	}
	n = node_new(name, (const struct xs_perm *)perms,
		     (unsigned)(plen / sizeof(struct xs_perm)));
	g_free(name);
	n->value = g_memdup2(val, vlen);
	n->len = vlen;
	for (uint32_t i = 0; i < nc; i++) {
		struct xs_node *c = node_load(r, depth + 1, count);

		if (!c) {
			node_free(n);
			return NULL;
		}
		g_ptr_array_add(n->children, c);
	}
	return n;
}

void xs_store_save(const struct xs_store *s, struct sv_snap_w *w)
{
	node_save(s->root, w);
	sv_snap_put_u32(w, s->next_tx);
	sv_snap_put_u32(w, s->txs->len);
	for (unsigned i = 0; i < s->txs->len; i++) {
		const struct xs_tx *t = g_ptr_array_index(s->txs, i);

		sv_snap_put_u32(w, t->id);
		sv_snap_put_u16(w, t->dom);
		node_save(t->root, w);
		sv_snap_put_u32(w, t->changed->len);
		for (unsigned j = 0; j < t->changed->len; j++)
			sv_snap_put_str(w, g_ptr_array_index(t->changed, j));
	}
}

int xs_store_load(struct xs_store *s, struct sv_snap_r *r)
{
	unsigned count = 0;
	struct xs_node *root = node_load(r, 0, &count);
	uint32_t n = 0;

	if (!root)
		return -EINVAL;
	node_free(s->root);
	s->root = root;
	s->n_nodes = count;
	while (s->txs->len)
		xs_store_tx_end(s, ((struct xs_tx *)g_ptr_array_index(s->txs, 0))->dom,
				((struct xs_tx *)g_ptr_array_index(s->txs, 0))->id, false);
	if (!sv_snap_get_u32(r, &s->next_tx) || !sv_snap_get_u32(r, &n))
		return -EINVAL;
	if (n > 64 * XS_STORE_MAX_TX)
		return sv_snap_fail(r, "bad xenstore transaction count");
	for (uint32_t i = 0; i < n; i++) {
		struct xs_tx *t = g_new0(struct xs_tx, 1);
		uint32_t nch = 0;
		unsigned tc = 0;

		t->changed = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(s->txs, t);
		if (!sv_snap_get_u32(r, &t->id) || !sv_snap_get_u16(r, &t->dom) ||
		    !(t->root = node_load(r, 0, &tc)) || !sv_snap_get_u32(r, &nch))
			return -EINVAL;
		if (nch > XS_STORE_MAX_NODES)
			return sv_snap_fail(r, "bad xenstore transaction");
		for (uint32_t j = 0; j < nch; j++) {
			char *p = NULL;

			if (!sv_snap_get_str(r, XS_STORE_ABS_PATH_MAX + 1, &p) || !p)
				return sv_snap_fail(r, "bad xenstore transaction path");
			g_ptr_array_add(t->changed, p);
		}
	}
	return 0;
}

void xs_store_save_watches(const struct xs_store *s, void *owner, struct sv_snap_w *w)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < s->watches->len; i++)
		n += ((struct xs_watch *)g_ptr_array_index(s->watches, i))->owner == owner;
	sv_snap_put_u32(w, n);
	for (unsigned i = 0; i < s->watches->len; i++) {
		const struct xs_watch *x = g_ptr_array_index(s->watches, i);

		if (x->owner != owner)
			continue;
		sv_snap_put_str(w, x->path);
		sv_snap_put_str(w, x->token);
		sv_snap_put_bool(w, x->relative);
	}
}

int xs_store_load_watches(struct xs_store *s, void *owner, xs_watch_fn fn, struct sv_snap_r *r)
{
	uint32_t n = 0;

	xs_store_unwatch_all(s, owner);
	if (!sv_snap_get_u32(r, &n) || n > XS_STORE_MAX_WATCHES)
		return sv_snap_fail(r, "bad xenstore watch count");
	for (uint32_t i = 0; i < n; i++) {
		char *path = NULL, *token = NULL;
		bool rel = false;
		int rc = -EINVAL;

		if (sv_snap_get_str(r, XS_STORE_ABS_PATH_MAX, &path) &&
		    sv_snap_get_str(r, XS_STORE_ABS_PATH_MAX, &token) && path && token &&
		    sv_snap_get_bool(r, &rel))
			rc = xs_store_watch(s, owner, path, token, rel, fn);
		g_free(path);
		g_free(token);
		if (rc < 0)
			return sv_snap_fail(r, "bad xenstore watch %u", i);
	}
	return 0;
}
