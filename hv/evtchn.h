/*
 * Event channels (public/event_channel.h): the per-domain port table, the
 * VIRQs, interdomain channels between domains of one hv, and the port
 * operations of the event ABI behind a small const ops struct (2-level now;
 * FIFO later is another instance of struct hv_evtchn_port_ops).
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

struct hv_evtchn {
	uint8_t state; /* EVTCHNSTAT_* (closed = free) */
	bool reserved; /* port 0: never allocated */
	uint16_t notify_vcpu;
	uint16_t remote_domid;              /* unbound: who may bind; interdomain: the peer */
	uint32_t remote_port;               /* interdomain */
	uint32_t virq;                      /* virq */
	const struct hv_evtchn_backend *be; /* interdomain with domain 0 */
};

/* The port operations of an event ABI (2-level, FIFO). */
struct hv_evtchn_port_ops {
	const char *name;
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
};

extern const struct hv_evtchn_port_ops hv_evtchn_2l_ops;

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
/* The backend signals its port: -XEN_EINVAL if the guest closed it (or it is
 * no longer be's). */
int hv_evtchn_backend_notify(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be);
/* The backend goes: close its port if it is still be's. */
void hv_evtchn_free_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be);

/* Is virq per-vcpu (TIMER, DEBUG, XENOPROF, XENPMU) rather than global? */
bool hv_evtchn_virq_is_per_vcpu(uint32_t virq);

long do_event_channel_op(struct vcpu *v, const uint64_t a[6]);

#endif
