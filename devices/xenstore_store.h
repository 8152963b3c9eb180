/*
 * The xenstore database: a tree of nodes with values and per-node
 * permissions, watches and transactions (docs/misc/xenstore.txt). It knows
 * nothing of rings or guests: devices/xenstore.c speaks the wire protocol
 * for one domain and calls these functions with canonical absolute paths.
 * Domain 0 (softvisor itself) owns the tree and may do anything.
 *
 * Permissions (xenstore.txt): a node's list is {owner, default mode} then
 * {domid, mode} entries; modes 'n' none, 'r' read, 'w' write, 'b' both. The
 * owner and domain 0 have full access; another domain gets its own entry's
 * mode, else the default. A new node inherits its parent's list, but a
 * domain other than 0 owns what it creates.
 *
 * Worked example (domain 1 at boot):
 *   xs_store_write(s, 1, 0, "/local/domain/1/control/feature-poweroff", "1", 1)
 *     -> 0 (control/feature-poweroff is writable by 1), every watch on that
 *        node or an ancestor fires with the node's path
 *   xs_store_write(s, 1, 0, "/local/domain/0/x", ...) -> -EACCES
 *
 * Transactions: start copies the tree; reads and writes in the transaction
 * see the copy; end(commit) replaces the tree and fires the watches of the
 * changes made, end(abort) drops the copy. Conflicts are not detected (the
 * last commit wins; EAGAIN is never returned).
 *
 * Errors are negative host errno values (-ENOENT, -EACCES, -EINVAL, -E2BIG,
 * -EEXIST, -ENOSPC); the wire protocol turns them into Xen's names.
 */
#ifndef SV_DEVICES_XENSTORE_STORE_H
#define SV_DEVICES_XENSTORE_STORE_H

#include <glib.h>

#include "sv/common.h"

#define XS_STORE_PAYLOAD_MAX 4096u  /* XENSTORE_PAYLOAD_MAX */
#define XS_STORE_ABS_PATH_MAX 3072u /* XENSTORE_ABS_PATH_MAX */
#define XS_STORE_REL_PATH_MAX 2048u /* XENSTORE_REL_PATH_MAX */
#define XS_STORE_MAX_NODES 65536u   /* in the whole tree */
#define XS_STORE_MAX_PERMS 64u      /* entries in one node's list */
#define XS_STORE_MAX_TX 16u         /* open transactions per domain */
#define XS_STORE_MAX_WATCHES 128u   /* per owner */

struct xs_store;

/* A watch fired: abs_path changed (or the watch was just registered). */
typedef void (*xs_watch_fn)(void *opaque, const char *abs_path, const char *token, bool relative);

struct xs_store *xs_store_new(void);
void xs_store_free(struct xs_store *s);

/* Is path a valid canonical absolute path (or "@special" for watches)? */
bool xs_store_path_valid(const char *path);

/* The operations; tx is a transaction id of dom, or 0. */
int xs_store_read(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path, GByteArray *out);
int xs_store_write(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path, const void *val,
		   size_t len);
int xs_store_mkdir(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path);
int xs_store_rm(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path);
/* Children's names, each NUL-terminated. */
int xs_store_directory(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path,
		       GByteArray *out);
/* The permission list as strings ("n0\0r1\0"). */
int xs_store_get_perms(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path,
		       GByteArray *out);
/* perms: n NUL-terminated strings, in buf[0..len). */
int xs_store_set_perms(struct xs_store *s, uint16_t dom, uint32_t tx, const char *path,
		       const char *buf, size_t len);

/* Watches belong to an owner (a connection); relative is passed back to fn
 * so the owner can strip its home path. Firing on registration is the
 * caller's (it must answer the XS_WATCH first). */
int xs_store_watch(struct xs_store *s, void *owner, const char *abs_path, const char *token,
		   bool relative, xs_watch_fn fn);
int xs_store_unwatch(struct xs_store *s, void *owner, const char *abs_path, const char *token);
void xs_store_unwatch_all(struct xs_store *s, void *owner);

int xs_store_tx_start(struct xs_store *s, uint16_t dom, uint32_t *id);
int xs_store_tx_end(struct xs_store *s, uint16_t dom, uint32_t id, bool commit);
void xs_store_tx_abort_all(struct xs_store *s, uint16_t dom);

/* Toolstack helpers (as domain 0): write a string value, set a node's list
 * to {owner, default mode} plus {reader, 'r'} if reader != owner. */
int xs_store_write_str(struct xs_store *s, const char *path, const char *val);
int xs_store_set_owner(struct xs_store *s, const char *path, uint16_t owner, char mode,
		       uint16_t reader);

/* Snapshots (include/sv/snap.h): the tree and transactions; an owner's
 * watches (load replaces that owner's, with fn). 0 or a negative errno. */
struct sv_snap_w;
struct sv_snap_r;
void xs_store_save(const struct xs_store *s, struct sv_snap_w *w);
int xs_store_load(struct xs_store *s, struct sv_snap_r *r);
void xs_store_save_watches(const struct xs_store *s, void *owner, struct sv_snap_w *w);
int xs_store_load_watches(struct xs_store *s, void *owner, xs_watch_fn fn, struct sv_snap_r *r);

#endif
