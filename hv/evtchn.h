/*
 * Event channels (public/event_channel.h): the per-domain port table, the
 * VIRQs, interdomain channels between domains of one hv, and the port
 * operations of the event ABI behind a small const ops struct: 2-level
 * (shared_info bitmaps, here) and FIFO (per-port event words and per-vcpu
 * queues, hv/evtchn_fifo.c), the guest's choice with EVTCHNOP_init_control.
 *
 * Worked example (a Linux guest's timer):
 *   EVTCHNOP_bind_virq {virq=VIRQ_TIMER, vcpu=0}  -> port 1 (state virq)
 *   the singleshot timer expires -> hv_evtchn_send_virq(v0, VIRQ_TIMER)
 *   -> 2-level set_pending(port 1): bit 1 of evtchn_pending[0]; not masked,
 *      so bit 0 of vcpu_info[0].evtchn_pending_sel and evtchn_upcall_pending
 *   -> the upcall: x86 injects the callback vector, POWER raises the external
 *      interrupt line; the guest's handler scans sel, then pending & ~mask.
 */
#ifndef SV_HV_EVTCHN_H
#define SV_HV_EVTCHN_H

#include "hv/hv.h"

/* 2-level ABI with 64-bit words: 64 * 64 ports. */
#define HV_EVTCHN_2L_NR_PORTS 4096u

/*
 * A port whose other end is a backend in domain 0 (softvisor's C code):
 * interdomain with remote domain 0 from the guest's view; EVTCHNOP_send on
 * it calls notify (synchronously, in the sender's hypercall).
 */
struct hv_evtchn_backend {
	const char *name;
	void (*notify)(void *opaque, struct vcpu *sender);
	void *opaque;
};

/*
 * A port whose events the platform's interrupt controller presents instead
 * of the upcall (PAPR: a XICS source of the partition): raise is called
 * where the port would be set pending. The guest cannot see or operate the
 * port; it sees the interrupt.
 */
struct hv_evtchn_irq {
	const char *name;
	void (*raise)(struct domain *d, void *opaque);
	void *opaque;
};

struct hv_evtchn {
	uint8_t state; /* EVTCHNSTAT_* (closed = free) */
	bool reserved; /* port 0: never allocated */
	uint16_t notify_vcpu;
	uint16_t remote_domid;              /* unbound: who may bind; interdomain: the peer */
	uint32_t remote_port;               /* interdomain */
	uint32_t virq;                      /* virq */
	const struct hv_evtchn_backend *be; /* interdomain with domain 0 */
	const struct hv_evtchn_irq *irq;    /* presented by the platform (virq) */
	/* FIFO: the queue priority, the queue the port was last linked on,
	 * and a pending event waiting for its event word (expand_array). */
	uint8_t priority;
	uint8_t last_priority;
	uint16_t last_vcpu;
	bool fifo_pending;
};

/* The port operations of an event ABI (2-level, FIFO). */
struct hv_evtchn_port_ops {
	const char *name;
	uint32_t nr_ports; /* the ABI's limit: valid ports are below it */
	/* Mark port pending and notify vcpu v if it is not masked. */
	void (*set_pending)(struct domain *d, struct vcpu *v, uint32_t port);
	void (*clear_pending)(struct domain *d, uint32_t port);
	/* Clear the mask; if the port is pending, notify v. */
	void (*unmask)(struct domain *d, struct vcpu *v, uint32_t port);
	/* The port now notifies v (bind_vcpu): a pending, unmasked event
	 * follows it. */
	void (*rebind)(struct domain *d, struct vcpu *v, uint32_t port);
	bool (*is_pending)(struct domain *d, uint32_t port);
	bool (*is_masked)(struct domain *d, uint32_t port);
	/* Is the port still on a queue (a closed port may not be reused
	 * until the guest unlinked it)? NULL: never. */
	bool (*is_busy)(struct domain *d, uint32_t port);
	/* Does the ABI have priorities (EVTCHNOP_set_priority)? */
	bool has_priorities;
};

extern const struct hv_evtchn_port_ops hv_evtchn_2l_ops;
extern const struct hv_evtchn_port_ops hv_evtchn_fifo_ops;

/* The FIFO ABI's sub-ops (hv/evtchn_fifo.c). init_control's argument is
 * struct evtchn_init_control { uint64_t control_gfn; @8 uint32_t offset;
 * @12 uint32_t vcpu; @16 uint8_t link_bits (out); } in b. */
long hv_evtchn_fifo_init_control(struct vcpu *caller, uint8_t *b);
long hv_evtchn_fifo_expand_array(struct vcpu *caller, uint64_t gfn);
/* Drop the FIFO state (references on guest pages) and go back to 2-level. */
void hv_evtchn_fifo_destroy(struct domain *d);
/* Make sure ports [0, n) have table entries (n <= the ABI's nr_ports). */
void hv_evtchn_table_grow(struct domain *d, uint32_t n);

int hv_evtchn_init(struct domain *d);
/* Close every port (peers of interdomain channels go back to unbound). */
void hv_evtchn_destroy(struct domain *d);

/* Raise VIRQ virq: per-vcpu VIRQs on v, global ones where bound. */
void hv_evtchn_send_virq(struct vcpu *v, uint32_t virq);
void hv_evtchn_send_global_virq(struct domain *d, uint32_t virq);
/* Signal a local port from hv (a backend): as EVTCHNOP_send from inside. */
int hv_evtchn_notify(struct domain *d, uint32_t port);
bool hv_evtchn_port_pending(struct domain *d, uint32_t port);

/* Allocate a port of d bound to backend be (toolstack's alloc_unbound plus
 * the backend's bind_interdomain): the port, or -XEN_ENOSPC. */
int hv_evtchn_alloc_backend(struct domain *d, const struct hv_evtchn_backend *be);
/* Bind backend be to port, which d allocated unbound for domain 0 (a
 * frontend's alloc_unbound; this is the backend's bind_interdomain): 0, or
 * -XEN_EINVAL if port is not such a port. */
int hv_evtchn_bind_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be);
/* The bound backend goes: port is unbound for domain 0 again, as when the
 * remote end of an interdomain channel closes (if it is still be's). */
void hv_evtchn_unbind_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be);
/* The backend signals its port: -XEN_EINVAL if the guest closed it (or it is
 * no longer be's). */
int hv_evtchn_backend_notify(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be);
/* The backend goes: close its port if it is still be's. */
void hv_evtchn_free_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be);

/* Bind the global VIRQ virq of d (vcpu 0 must exist) to a new port whose
 * events irq presents: the port, or -XEN_EINVAL / -XEN_EEXIST /
 * -XEN_ENOSPC. */
int hv_evtchn_bind_virq_irq(struct domain *d, uint32_t virq, const struct hv_evtchn_irq *irq);

/* Is virq per-vcpu (TIMER, DEBUG, XENOPROF, XENPMU) rather than global? */
bool hv_evtchn_virq_is_per_vcpu(uint32_t virq);

/* Snapshots (include/sv/snap.h), after the frame table: the port table
 * and ABI, and the FIFO ABI's state. A backend that binds a port after the
 * machine is built re-attaches with hv_evtchn_rebind_backend. */
struct sv_snap_w;
struct sv_snap_r;
void hv_evtchn_save(struct domain *d, struct sv_snap_w *w);
int hv_evtchn_load(struct domain *d, struct sv_snap_r *r);
void hv_evtchn_fifo_save(struct domain *d, struct sv_snap_w *w);
int hv_evtchn_fifo_load(struct domain *d, struct sv_snap_r *r);
void hv_evtchn_rebind_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be);

long do_event_channel_op(struct vcpu *v, const uint64_t a[6]);

#endif
