/*
 * The xenstore backend: one domain's connection to the in-process store
 * (devices/xenstore_store.c) over the ring page of public/io/xs_wire.h.
 *
 *   struct xenstore_domain_interface (one page)
 *     +0     char req[1024]   guest -> store (requests)
 *     +1024  char rsp[1024]   store -> guest (replies, watch events)
 *     +2048  req_cons, +2052 req_prod, +2056 rsp_cons, +2060 rsp_prod
 *     +2064  server_features, +2068 connection (0: connected), +2072 error
 *   Each message: struct xsd_sockmsg { uint32 type, req_id, tx_id, len }
 *   then len bytes of payload (at most XENSTORE_PAYLOAD_MAX = 4096).
 *
 * Worked example (Linux's xenbus reading its domid):
 *   req: {XS_READ, req_id 7, tx 0, len 6} "domid\0"
 *   -> relative path: /local/domain/1/domid -> xs_store_read -> "1"
 *   rsp: {XS_READ, 7, 0, 1} "1", rsp_prod += 17, notify the port.
 *   An error is {XS_ERROR, 7, 0, 7} "ENOENT\0".
 *   A watch: {XS_WATCH, .., "device\0tok\0"} -> "OK\0", then at once and on
 *   every change under it {XS_WATCH_EVENT, 0, 0, ..} "device\0tok\0" (the
 *   path relative when the watch was).
 *
 * Ring indexes are the guest's and untrusted: a producer more than a ring
 * ahead of the consumer stops the connection (error = XENSTORE_ERROR_RINGIDX)
 * until the domain is reset; a request longer than 4096 bytes is answered
 * E2BIG and its payload skipped as it arrives. Replies wait in a bounded
 * queue while the guest does not consume them; requests are not read while
 * that queue is full.
 */
#ifndef SV_DEVICES_XENSTORE_H
#define SV_DEVICES_XENSTORE_H

#include "hv/hv.h"
#include "devices/xenstore_store.h"

#define XENSTORE_RING_SIZE 1024u
#define XENSTORE_OFF_REQ 0u
#define XENSTORE_OFF_RSP 1024u
#define XENSTORE_OFF_REQ_CONS 2048u
#define XENSTORE_OFF_REQ_PROD 2052u
#define XENSTORE_OFF_RSP_CONS 2056u
#define XENSTORE_OFF_RSP_PROD 2060u
#define XENSTORE_OFF_SERVER_FEATURES 2064u
#define XENSTORE_OFF_CONNECTION 2068u
#define XENSTORE_OFF_ERROR 2072u
#define XENSTORE_ERROR_RINGIDX 2u
#define XENSTORE_HDR_SIZE 16u

/* enum xsd_sockmsg_type (public/io/xs_wire.h). */
enum xs_msg_type {
	XS_CONTROL = 0,
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_GET_PERMS = 3,
	XS_WATCH = 4,
	XS_UNWATCH = 5,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_INTRODUCE = 8,
	XS_RELEASE = 9,
	XS_GET_DOMAIN_PATH = 10,
	XS_WRITE = 11,
	XS_MKDIR = 12,
	XS_RM = 13,
	XS_SET_PERMS = 14,
	XS_WATCH_EVENT = 15,
	XS_ERROR = 16,
	XS_IS_DOMAIN_INTRODUCED = 17,
	XS_RESUME = 18,
	XS_SET_TARGET = 19,
	XS_RESET_WATCHES = 21,
	XS_DIRECTORY_PART = 22,
};

struct xenstore;

/* Connect d to store through a ring page at gfn (sets HVM_PARAM_STORE_PFN
 * and _EVTCHN); attached to d, destroyed with it. NULL with *err. */
struct xenstore *xenstore_create(struct xs_store *store, struct domain *d, uint64_t gfn, int *err);
void xenstore_destroy(struct xenstore *x);
/* Serve the ring now (what a notify does). */
void xenstore_process(struct xenstore *x);
uint32_t xenstore_port(const struct xenstore *x);
/* Snapshots (include/sv/snap.h): the connection's state and watches
 * (the store is saved by its owner, before). */
struct sv_snap_w;
struct sv_snap_r;
void xenstore_save(const struct xenstore *x, struct sv_snap_w *w);
int xenstore_load(struct xenstore *x, struct sv_snap_r *r);

/* Write d's nodes as a toolstack does for a new domU: /local/domain/<id>
 * with name, domid, memory, cpu, device, control, and the console's
 * entries (console_gfn = HV_GFN_NONE: none). 0 or -errno. */
int xenstore_populate_domain(struct xs_store *store, struct domain *d, const char *name,
			     uint64_t console_gfn, uint32_t console_port);

/* The name of an error ("ENOENT"), from a negative errno. */
const char *xenstore_error_name(int err);

#endif
