/*
 * The Xen console backend (public/io/console.h): the ring page a domU's
 * hvc0 writes to, served by softvisor as domain 0.
 *
 *   struct xencons_interface (one page)
 *     +0     char in[1024]    backend -> guest (console input)
 *     +1024  char out[2048]   guest -> backend (console output)
 *     +3072  XENCONS_RING_IDX in_cons, +3076 in_prod
 *     +3080  XENCONS_RING_IDX out_cons, +3084 out_prod
 *   Indexes are free-running 32-bit counters; a byte's slot is
 *   idx & (sizeof(ring) - 1).
 *
 * hv allocates the page (an hv-owned frame mapped at a gfn the arch code
 * chose outside the guest's RAM), and an event channel from domain 0; the
 * guest finds both in HVM_PARAM_CONSOLE_PFN / HVM_PARAM_CONSOLE_EVTCHN.
 *
 * Worked example: Linux's hvc_xen writes "hi\n" at out[0..3), sets
 * out_prod = 3 (after a write barrier) and sends on the port ->
 * EVTCHNOP_send -> xen_console_notify: reads out_prod (acquire), copies
 * out[out_cons & 2047 ..] up to out_prod to hv_console_write, stores
 * out_cons = 3 (release) and notifies the port back.
 *
 * Every index is the guest's and untrusted: a producer more than the ring's
 * size ahead of the consumer is garbage, dropped (out_cons = out_prod) with a
 * trace line; input stops while in_prod - in_cons is out of range.
 */
#ifndef SV_DEVICES_XEN_CONSOLE_H
#define SV_DEVICES_XEN_CONSOLE_H

#include "hv/hv.h"

#define XENCONS_IN_SIZE 1024u
#define XENCONS_OUT_SIZE 2048u
#define XENCONS_OFF_IN 0u
#define XENCONS_OFF_OUT 1024u
#define XENCONS_OFF_IN_CONS 3072u
#define XENCONS_OFF_IN_PROD 3076u
#define XENCONS_OFF_OUT_CONS 3080u
#define XENCONS_OFF_OUT_PROD 3084u

struct xen_console;

/* Create d's console at gfn (sets the two HVM params); attached to d, so
 * it is destroyed with it. NULL with *err (-errno) on failure. */
struct xen_console *xen_console_create(struct domain *d, uint64_t gfn, int *err);
/* Destroy before the domain (optional: the domain does it). */
void xen_console_destroy(struct xen_console *c);
/* Drain the out ring now (what a notify does). Returns bytes consumed. */
size_t xen_console_drain(struct xen_console *c, struct vcpu *sender);
/* Push console input into the in ring and notify; returns how many bytes
 * fit (0 if the ring is full or the guest's indexes are garbage). */
size_t xen_console_push_input(struct xen_console *c, const void *buf, size_t len);
uint32_t xen_console_port(const struct xen_console *c);
uint64_t xen_console_gfn(const struct xen_console *c);

#endif
