/*
 * The Xen PV block backend (public/io/blkif.h): a host file served to a
 * domU's blkfront as a virtual block device, by softvisor as domain 0.
 *
 * Setup, as a toolstack and a backend driver do it (public/io/xenbus.h
 * states: 1 Initialising, 2 InitWait, 3 Initialised, 4 Connected,
 * 5 Closing, 6 Closed):
 *   /local/domain/0/backend/vbd/D/51712/  frontend, frontend-id, online,
 *       state, mode (w|r), params (the file), type, dev, device-type, the
 *       features (feature-flush-cache, feature-barrier, feature-discard,
 *       feature-max-indirect-segments, max-ring-page-order); state 2
 *   /local/domain/D/device/vbd/51712/  backend, backend-id, state 1,
 *       virtual-device, device-type disk
 * Disk i is xvd('a' + i), virtual-device 202 << 8 | i << 4.
 *
 * Worked example (Linux's xen-blkfront):
 *   frontend sees backend state 2 -> grants its ring page (ref 8),
 *   alloc_unbound(remote 0) -> port 5, writes ring-ref 8, event-channel 5,
 *   protocol x86_64-abi, then state 3
 *   -> our watch on its state: map ref 8 (hv_gnttab_backend_map), bind
 *      port 5 (hv_evtchn_bind_backend), write sectors, info, sector-size,
 *      then state 4; the frontend goes to 4 and reads the disk.
 *   A read: request {op 0, nr_segments 1, id 7, sector 0,
 *   seg[0] {gref 9, first_sect 0, last_sect 7}} at ring slot 0, req_prod 1,
 *   EVTCHNOP_send(5) -> xen_blkback_serve: pread 4096 bytes at 0, grant
 *   copy them into ref 9, response {id 7, op 0, status 0} at slot 0,
 *   rsp_prod 1, notify port 5 if the frontend's rsp_event asks for it.
 *
 * The ring: one or 2^ring-page-order pages (ring-ref or ring-ref0..N), a
 * 64-byte header { req_prod, req_event, rsp_prod, rsp_event, pad } then
 * 112-byte slots (the x86_64 ABI's union of request and response), a
 * power of two of them: 32 in one page.
 *
 * Requests are served synchronously when the frontend notifies (in its
 * EVTCHNOP_send): guest time does not advance during I/O, and a response
 * means the data is in the file (WRITE: pwrite done; FLUSH_DISKCACHE and
 * WRITE_BARRIER: fdatasync done, so what the guest flushed survives its
 * crash and ours).
 *
 * Everything the frontend writes is untrusted: a request field out of range
 * (nr_segments, first/last_sect, sectors past the end, a grant reference
 * not granted to domain 0 or read-only for a read) gets BLKIF_RSP_ERROR; an
 * unknown operation BLKIF_RSP_EOPNOTSUPP; a write to a read-only disk
 * BLKIF_RSP_ERROR. Ring indexes out of range stop the ring (error node,
 * state Closing) as Linux's blkback does. Guest memory is reached only
 * through grants.
 */
#ifndef SV_DEVICES_XEN_BLKBACK_H
#define SV_DEVICES_XEN_BLKBACK_H

#include "hv/hv.h"
#include "devices/xenstore_store.h"

#define BLKIF_OP_READ 0
#define BLKIF_OP_WRITE 1
#define BLKIF_OP_WRITE_BARRIER 2
#define BLKIF_OP_FLUSH_DISKCACHE 3
#define BLKIF_OP_DISCARD 5
#define BLKIF_OP_INDIRECT 6
#define BLKIF_RSP_EOPNOTSUPP (-2)
#define BLKIF_RSP_ERROR (-1)
#define BLKIF_RSP_OKAY 0
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8
#define BLKIF_SEGS_PER_INDIRECT_FRAME (SV_PAGE_SIZE / 8)
#define BLKIF_DISCARD_SECURE 1
#define VDISK_READONLY 4

/* Layout of the x86_64 ABI (the native one of 64-bit guests). */
#define BLKIF_RING_HDR 64u
#define BLKIF_SLOT_SIZE 112u
#define BLKIF_RSP_SIZE 16u
#define BLKIF_SRING_REQ_PROD 0u
#define BLKIF_SRING_REQ_EVENT 4u
#define BLKIF_SRING_RSP_PROD 8u
#define BLKIF_SRING_RSP_EVENT 12u

/* What we offer. */
#define XEN_BLKBACK_MAX_RING_ORDER 4 /* 16 pages, Linux blkback's default */
#define XEN_BLKBACK_MAX_INDIRECT_SEGS 256
#define XEN_BLKBACK_MAX_DISKS 16 /* xvda..xvdp */

enum xenbus_state {
	XENBUS_STATE_UNKNOWN = 0,
	XENBUS_STATE_INITIALISING = 1,
	XENBUS_STATE_INIT_WAIT = 2,
	XENBUS_STATE_INITIALISED = 3,
	XENBUS_STATE_CONNECTED = 4,
	XENBUS_STATE_CLOSING = 5,
	XENBUS_STATE_CLOSED = 6,
};

struct xen_blkback;

/* Serve the file at path (read-only if ro) to d as disk index (0: xvda):
 * opens and locks the file, writes the xenstore nodes of both ends and
 * watches the frontend. Attached to d, destroyed with it. NULL with *err
 * (-errno) and a message in *msg (g_free it) on failure. */
struct xen_blkback *xen_blkback_create(struct xs_store *xs, struct domain *d, unsigned index,
				       const char *path, bool ro, int *err, char **msg);
void xen_blkback_destroy(struct xen_blkback *b);
/* Serve the ring now (what a notify does). */
void xen_blkback_serve(struct xen_blkback *b);
uint16_t xen_blkback_devid(const struct xen_blkback *b);
enum xenbus_state xen_blkback_state(const struct xen_blkback *b);
/* The frontend's event channel while connected, else 0. */
uint32_t xen_blkback_port(const struct xen_blkback *b);
uint64_t xen_blkback_sectors(const struct xen_blkback *b);
/* Snapshots (include/sv/snap.h): the connection and the ring indexes (not
 * the disk file's contents). */
struct sv_snap_w;
struct sv_snap_r;
void xen_blkback_save(const struct xen_blkback *b, struct sv_snap_w *w);
int xen_blkback_load(struct xen_blkback *b, struct sv_snap_r *r);

#endif
