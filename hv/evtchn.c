/*
 * Event channels: the port table, the sub-ops of event_channel_op, VIRQs,
 * and the 2-level port operations (see hv/evtchn.h for the model).
 *
 * Rules of the ABI kept here (public/event_channel.h and Xen's behaviour):
 *   - port 0 is reserved and never allocated; a port outside the table or
 *     closed is -EINVAL for every sub-op that names one;
 *   - an unprivileged domain names only itself (DOMID_SELF or its id):
 *     another existing domain is -EPERM, a missing one -ESRCH;
 *   - per-vcpu VIRQs bind once per vcpu (-EEXIST), global VIRQs bind on vcpu
 *     0 only (-EINVAL) and may move with bind_vcpu; IPI and per-vcpu VIRQ
 *     ports may not move (-EINVAL); a vcpu that does not exist is -ENOENT;
 *   - send on an unbound port drops the event; bind_interdomain sets the new
 *     local port pending, since events sent to the unbound port were lost;
 *   - closing one end of an interdomain channel puts the other end back to
 *     unbound, accepting a new binding from the same domain.
 */
#include "hv/evtchn.h"
#include "sv/snap.h"
#include "hv/hypercall.h"
#include "hv/shared_info.h"

/* ------------------------------------------------------------ 2-level ABI */

static uint8_t *evtchn_2l_word(struct domain *d, unsigned base, uint32_t port)
{
	return hv_shared_info(d) + base + (port / XEN_BITS_PER_EVTCHN_WORD) * 8;
}

static bool evtchn_2l_test(struct domain *d, unsigned base, uint32_t port)
{
	uint64_t w = hv_shared_u64(d, evtchn_2l_word(d, base, port));

	return (w >> (port % XEN_BITS_PER_EVTCHN_WORD)) & 1;
}

/* Set or clear one bit of a guest-endian word; returns its old value. */
static bool evtchn_2l_change_bit(struct domain *d, uint8_t *p, unsigned bit, bool set)
{
	uint64_t w = hv_shared_u64(d, p), m = 1ull << bit;

	hv_shared_put_u64(d, p, set ? w | m : w & ~m);
	return (w & m) != 0;
}

/* The port is pending and unmasked: the selector bit, then the upcall. */
static void evtchn_2l_notify(struct domain *d, struct vcpu *v, uint32_t port)
{
	uint8_t *vi = hv_vcpu_info(v);

	if (!vi)
		return;
	if (!evtchn_2l_change_bit(d, vi + XEN_VCPU_INFO_PENDING_SEL,
				  port / XEN_BITS_PER_EVTCHN_WORD, true))
		hv_vcpu_mark_events_pending(v);
}

static void evtchn_2l_set_pending(struct domain *d, struct vcpu *v, uint32_t port)
{
	if (evtchn_2l_change_bit(d, evtchn_2l_word(d, XEN_SHARED_INFO_EVTCHN_PENDING, port),
				 port % XEN_BITS_PER_EVTCHN_WORD, true))
		return;
	if (!evtchn_2l_test(d, XEN_SHARED_INFO_EVTCHN_MASK, port))
		evtchn_2l_notify(d, v, port);
}

static void evtchn_2l_clear_pending(struct domain *d, uint32_t port)
{
	evtchn_2l_change_bit(d, evtchn_2l_word(d, XEN_SHARED_INFO_EVTCHN_PENDING, port),
			     port % XEN_BITS_PER_EVTCHN_WORD, false);
}

static void evtchn_2l_unmask(struct domain *d, struct vcpu *v, uint32_t port)
{
	if (evtchn_2l_change_bit(d, evtchn_2l_word(d, XEN_SHARED_INFO_EVTCHN_MASK, port),
				 port % XEN_BITS_PER_EVTCHN_WORD, false) &&
	    evtchn_2l_test(d, XEN_SHARED_INFO_EVTCHN_PENDING, port))
		evtchn_2l_notify(d, v, port);
}

static void evtchn_2l_rebind(struct domain *d, struct vcpu *v, uint32_t port)
{
	if (evtchn_2l_test(d, XEN_SHARED_INFO_EVTCHN_PENDING, port) &&
	    !evtchn_2l_test(d, XEN_SHARED_INFO_EVTCHN_MASK, port))
		evtchn_2l_notify(d, v, port);
}

static bool evtchn_2l_is_pending(struct domain *d, uint32_t port)
{
	return evtchn_2l_test(d, XEN_SHARED_INFO_EVTCHN_PENDING, port);
}

static bool evtchn_2l_is_masked(struct domain *d, uint32_t port)
{
	return evtchn_2l_test(d, XEN_SHARED_INFO_EVTCHN_MASK, port);
}

const struct hv_evtchn_port_ops hv_evtchn_2l_ops = {
	.name = "2-level",
	.nr_ports = HV_EVTCHN_2L_NR_PORTS,
	.set_pending = evtchn_2l_set_pending,
	.clear_pending = evtchn_2l_clear_pending,
	.unmask = evtchn_2l_unmask,
	.rebind = evtchn_2l_rebind,
	.is_pending = evtchn_2l_is_pending,
	.is_masked = evtchn_2l_is_masked,
};

/* ------------------------------------------------------------ the table */

static const char *const evtchn_state_names[] = { "closed", "unbound", "interdomain",
						  "pirq",   "virq",    "ipi" };

int hv_evtchn_init(struct domain *d)
{
	d->evtchn_ops = &hv_evtchn_2l_ops;
	d->n_evtchn = HV_EVTCHN_2L_NR_PORTS;
	d->evtchn = g_new0(struct hv_evtchn, d->n_evtchn);
	d->evtchn[0].reserved = true;
	return 0;
}

static struct hv_evtchn *evtchn_port(struct domain *d, uint32_t port)
{
	return port < d->n_evtchn && !d->evtchn[port].reserved ? &d->evtchn[port] : NULL;
}

void hv_evtchn_table_grow(struct domain *d, uint32_t n)
{
	if (n <= d->n_evtchn)
		return;
	d->evtchn = g_renew(struct hv_evtchn, d->evtchn, n);
	memset(&d->evtchn[d->n_evtchn], 0, (n - d->n_evtchn) * sizeof(*d->evtchn));
	d->n_evtchn = n;
}

/*
 * A free port: the lowest closed one that is not still on a FIFO queue. The
 * table grows (doubling) up to the ABI's limit, so a guest that allocates
 * every port costs at most nr_ports entries. Pointers into d->evtchn do not
 * survive a call.
 */
static int evtchn_alloc(struct domain *d)
{
	const struct hv_evtchn_port_ops *ops = d->evtchn_ops;

	for (uint32_t p = 1;; p++) {
		struct hv_evtchn *c;

		if (p == d->n_evtchn) {
			if (p >= ops->nr_ports)
				return -XEN_ENOSPC;
			hv_evtchn_table_grow(d, MIN(2 * p, ops->nr_ports));
		}
		c = &d->evtchn[p];
		if (c->state != EVTCHNSTAT_closed || (ops->is_busy && ops->is_busy(d, p)))
			continue;
		memset(c, 0, sizeof(*c));
		c->priority = c->last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		/* A fresh port is not pending (the mask bit is the guest's to
		 * manage). */
		ops->clear_pending(d, p);
		return (int)p;
	}
}

static struct vcpu *evtchn_vcpu(struct domain *d, uint32_t id)
{
	return id < d->n_vcpus ? d->vcpus[id] : NULL;
}

/* Raise port of d for its notify vcpu. */
static void evtchn_raise(struct vcpu *actor, struct domain *d, uint32_t port)
{
	struct hv_evtchn *c = &d->evtchn[port];
	struct vcpu *v = evtchn_vcpu(d, c->notify_vcpu);

	if (c->irq) {
		hv_trace(actor, TRACE_EVTCHN, "EVTCHN pending d%u port=%u -> %s interrupt",
			 d->domid, port, c->irq->name);
		c->irq->raise(d, c->irq->opaque);
		return;
	}
	if (d->evtchn_ops->has_priorities)
		hv_trace(actor, TRACE_EVTCHN, "EVTCHN pending d%u port=%u vcpu=%u priority=%u%s",
			 d->domid, port, c->notify_vcpu, c->priority,
			 d->evtchn_ops->is_masked(d, port) ? " masked" : "");
	else
		hv_trace(actor, TRACE_EVTCHN, "EVTCHN pending d%u port=%u vcpu=%u%s", d->domid,
			 port, c->notify_vcpu, d->evtchn_ops->is_masked(d, port) ? " masked" : "");
	if (v)
		d->evtchn_ops->set_pending(d, v, port);
}

bool hv_evtchn_virq_is_per_vcpu(uint32_t virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
	       virq == VIRQ_XENPMU;
}

void hv_evtchn_send_virq(struct vcpu *v, uint32_t virq)
{
	uint32_t port;

	if (virq >= NR_VIRQS)
		return;
	if (!hv_evtchn_virq_is_per_vcpu(virq)) {
		hv_evtchn_send_global_virq(v->d, virq);
		return;
	}
	port = v->virq_to_port[virq];
	if (port)
		evtchn_raise(v, v->d, port);
}

void hv_evtchn_send_global_virq(struct domain *d, uint32_t virq)
{
	uint32_t port;

	if (virq >= NR_VIRQS || !d->n_vcpus || hv_evtchn_virq_is_per_vcpu(virq))
		return;
	port = d->vcpus[0]->virq_to_port[virq];
	if (port)
		evtchn_raise(d->vcpus[0], d, port);
}

int hv_evtchn_notify(struct domain *d, uint32_t port)
{
	struct hv_evtchn *c = evtchn_port(d, port);

	if (!c || c->state == EVTCHNSTAT_closed || !d->n_vcpus)
		return -XEN_EINVAL;
	evtchn_raise(d->vcpus[0], d, port);
	return 0;
}

bool hv_evtchn_port_pending(struct domain *d, uint32_t port)
{
	return port < d->n_evtchn && d->evtchn_ops->is_pending(d, port);
}

int hv_evtchn_alloc_backend(struct domain *d, const struct hv_evtchn_backend *be)
{
	int port = evtchn_alloc(d);

	if (port < 0)
		return port;
	d->evtchn[port].state = EVTCHNSTAT_interdomain;
	d->evtchn[port].remote_domid = 0;
	d->evtchn[port].remote_port = (uint32_t)port; /* nominal: dom0 has no table */
	d->evtchn[port].be = be;
	return port;
}

int hv_evtchn_bind_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be)
{
	struct hv_evtchn *c = evtchn_port(d, port);

	if (!c || c->state != EVTCHNSTAT_unbound || c->remote_domid != 0)
		return -XEN_EINVAL;
	c->state = EVTCHNSTAT_interdomain;
	c->remote_port = port; /* nominal: dom0 has no table */
	c->be = be;
	return 0;
}

static bool evtchn_is_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be);

void hv_evtchn_unbind_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be)
{
	/* As when the remote end of an interdomain channel closes. */
	if (evtchn_is_backend(d, port, be)) {
		d->evtchn[port].state = EVTCHNSTAT_unbound;
		d->evtchn[port].remote_domid = 0;
		d->evtchn[port].remote_port = 0;
		d->evtchn[port].be = NULL;
	}
}

static bool evtchn_is_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be)
{
	struct hv_evtchn *c = evtchn_port(d, port);

	return c && c->state == EVTCHNSTAT_interdomain && c->be == be;
}

int hv_evtchn_backend_notify(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be)
{
	if (!evtchn_is_backend(d, port, be) || !d->n_vcpus)
		return -XEN_EINVAL;
	evtchn_raise(d->vcpus[0], d, port);
	return 0;
}

void hv_evtchn_free_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be)
{
	if (evtchn_is_backend(d, port, be)) {
		memset(&d->evtchn[port], 0, sizeof(d->evtchn[port]));
		d->evtchn_ops->clear_pending(d, port);
	}
}

/* Close a port of d (Xen's evtchn_close); the caller checked it is open. */
static void evtchn_close_port(struct domain *d, uint32_t port)
{
	struct hv_evtchn *c = &d->evtchn[port];

	switch (c->state) {
	case EVTCHNSTAT_virq: {
		struct vcpu *v =
			evtchn_vcpu(d, hv_evtchn_virq_is_per_vcpu(c->virq) ? c->notify_vcpu : 0);
		if (v && v->virq_to_port[c->virq] == port)
			v->virq_to_port[c->virq] = 0;
		break;
	}
	case EVTCHNSTAT_interdomain: {
		struct domain *rd = hv_domain_by_id(d->hv, c->remote_domid);
		if (rd && c->remote_port < rd->n_evtchn) {
			struct hv_evtchn *rc = &rd->evtchn[c->remote_port];
			if (rc->state == EVTCHNSTAT_interdomain && rc->remote_domid == d->domid &&
			    rc->remote_port == port) {
				rc->state = EVTCHNSTAT_unbound;
				rc->remote_domid = d->domid;
				rc->remote_port = 0;
			}
		}
		break;
	}
	default: break;
	}
	memset(c, 0, sizeof(*c));
	d->evtchn_ops->clear_pending(d, port);
}

void hv_evtchn_destroy(struct domain *d)
{
	if (!d->evtchn)
		return;
	for (uint32_t p = 1; p < d->n_evtchn; p++)
		if (d->evtchn[p].state != EVTCHNSTAT_closed)
			evtchn_close_port(d, p);
	hv_evtchn_fifo_destroy(d);
	g_free(d->evtchn);
	d->evtchn = NULL;
}

/* A domid argument of an unprivileged caller: itself, or an error. */
static long evtchn_self(struct vcpu *v, uint16_t dom)
{
	if (dom == DOMID_SELF || dom == v->d->domid)
		return 0;
	return hv_domain_by_id(v->d->hv, dom) ? -XEN_EPERM : -XEN_ESRCH;
}

/* ------------------------------------------------------------ sub-ops */

/* struct evtchn_alloc_unbound { domid_t dom, remote_dom; port (out) @4 } */
static long evtchn_op_alloc_unbound(struct vcpu *v, uint8_t *b)
{
	struct domain *d = v->d;
	uint16_t rdom = hv_guest_u16(v, b + 2);
	long rc = evtchn_self(v, hv_guest_u16(v, b));
	int port;

	if (rc < 0)
		return rc;
	port = evtchn_alloc(d);
	if (port < 0)
		return port;
	d->evtchn[port].state = EVTCHNSTAT_unbound;
	d->evtchn[port].remote_domid = rdom == DOMID_SELF ? d->domid : rdom;
	hv_guest_put_u32(v, b + 4, (uint32_t)port);
	hv_trace(v, TRACE_EVTCHN, "EVTCHN alloc_unbound port=%d remote=d%u", port,
		 d->evtchn[port].remote_domid);
	return 0;
}

/* struct evtchn_bind_interdomain { domid_t remote_dom; @4 remote_port;
 * @8 local_port (out) } */
static long evtchn_op_bind_interdomain(struct vcpu *v, uint8_t *b)
{
	struct domain *d = v->d, *rd;
	uint16_t rdom = hv_guest_u16(v, b);
	uint32_t rport = hv_guest_u32(v, b + 4);
	struct hv_evtchn *rc;
	int port;

	rd = rdom == DOMID_SELF ? d : hv_domain_by_id(d->hv, rdom);
	if (!rd)
		return -XEN_ESRCH;
	rc = evtchn_port(rd, rport);
	if (!rc || rc->state != EVTCHNSTAT_unbound || rc->remote_domid != d->domid)
		return -XEN_EINVAL;
	port = evtchn_alloc(d);
	if (port < 0)
		return port;
	rc = &rd->evtchn[rport]; /* the table may have moved */
	d->evtchn[port].state = EVTCHNSTAT_interdomain;
	d->evtchn[port].remote_domid = rd->domid;
	d->evtchn[port].remote_port = rport;
	rc->state = EVTCHNSTAT_interdomain;
	rc->remote_domid = d->domid;
	rc->remote_port = (uint32_t)port;
	hv_guest_put_u32(v, b + 8, (uint32_t)port);
	hv_trace(v, TRACE_EVTCHN, "EVTCHN bind_interdomain port=%d remote=d%u:%u", port, rd->domid,
		 rport);
	/* Events sent to the unbound port were dropped: one for good measure. */
	evtchn_raise(v, d, (uint32_t)port);
	return 0;
}

/* struct evtchn_bind_virq { virq; vcpu; port (out) @8 } */
static long evtchn_op_bind_virq(struct vcpu *v, uint8_t *b)
{
	struct domain *d = v->d;
	uint32_t virq = hv_guest_u32(v, b), vcpu = hv_guest_u32(v, b + 4);
	struct vcpu *tv;
	int port;

	if (virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (!hv_evtchn_virq_is_per_vcpu(virq) && vcpu != 0)
		return -XEN_EINVAL;
	tv = evtchn_vcpu(d, vcpu);
	if (!tv)
		return -XEN_ENOENT;
	if (tv->virq_to_port[virq])
		return -XEN_EEXIST;
	port = evtchn_alloc(d);
	if (port < 0)
		return port;
	d->evtchn[port].state = EVTCHNSTAT_virq;
	d->evtchn[port].virq = virq;
	d->evtchn[port].notify_vcpu = (uint16_t)vcpu;
	tv->virq_to_port[virq] = (uint32_t)port;
	hv_guest_put_u32(v, b + 8, (uint32_t)port);
	hv_trace(v, TRACE_EVTCHN, "EVTCHN bind_virq virq=%u vcpu=%u port=%d", virq, vcpu, port);
	return 0;
}

int hv_evtchn_bind_virq_irq(struct domain *d, uint32_t virq, const struct hv_evtchn_irq *irq)
{
	int port;

	if (virq >= NR_VIRQS || hv_evtchn_virq_is_per_vcpu(virq) || !d->n_vcpus)
		return -XEN_EINVAL;
	if (d->vcpus[0]->virq_to_port[virq])
		return -XEN_EEXIST;
	port = evtchn_alloc(d);
	if (port < 0)
		return port;
	d->evtchn[port].state = EVTCHNSTAT_virq;
	d->evtchn[port].virq = virq;
	d->evtchn[port].irq = irq;
	d->vcpus[0]->virq_to_port[virq] = (uint32_t)port;
	return port;
}

/* struct evtchn_bind_ipi { vcpu; port (out) @4 } */
static long evtchn_op_bind_ipi(struct vcpu *v, uint8_t *b)
{
	struct domain *d = v->d;
	uint32_t vcpu = hv_guest_u32(v, b);
	int port;

	if (!evtchn_vcpu(d, vcpu))
		return -XEN_ENOENT;
	port = evtchn_alloc(d);
	if (port < 0)
		return port;
	d->evtchn[port].state = EVTCHNSTAT_ipi;
	d->evtchn[port].notify_vcpu = (uint16_t)vcpu;
	hv_guest_put_u32(v, b + 4, (uint32_t)port);
	hv_trace(v, TRACE_EVTCHN, "EVTCHN bind_ipi vcpu=%u port=%d", vcpu, port);
	return 0;
}

static long evtchn_op_close(struct vcpu *v, uint32_t port)
{
	struct hv_evtchn *c = evtchn_port(v->d, port);

	if (!c || c->state == EVTCHNSTAT_closed)
		return -XEN_EINVAL;
	hv_trace(v, TRACE_EVTCHN, "EVTCHN close port=%u (%s)", port, evtchn_state_names[c->state]);
	evtchn_close_port(v->d, port);
	return 0;
}

static long evtchn_op_send(struct vcpu *v, uint32_t port)
{
	struct domain *d = v->d, *rd;
	struct hv_evtchn *c = evtchn_port(d, port);

	if (!c)
		return -XEN_EINVAL;
	switch (c->state) {
	case EVTCHNSTAT_interdomain:
		if (c->be) {
			hv_trace(v, TRACE_EVTCHN, "EVTCHN send port=%u -> d0 %s", port,
				 c->be->name);
			c->be->notify(c->be->opaque, v);
			return 0;
		}
		rd = hv_domain_by_id(d->hv, c->remote_domid);
		hv_trace(v, TRACE_EVTCHN, "EVTCHN send port=%u -> d%u port=%u", port,
			 c->remote_domid, c->remote_port);
		if (rd)
			evtchn_raise(v, rd, c->remote_port);
		return 0;
	case EVTCHNSTAT_ipi:
		hv_trace(v, TRACE_EVTCHN, "EVTCHN send port=%u -> ipi vcpu=%u", port,
			 c->notify_vcpu);
		evtchn_raise(v, d, port);
		return 0;
	case EVTCHNSTAT_unbound:
		hv_trace(v, TRACE_EVTCHN, "EVTCHN send port=%u dropped (unbound)", port);
		return 0;
	default: return -XEN_EINVAL;
	}
}

/* struct evtchn_status { domid_t dom; @4 port; @8 status; @12 vcpu;
 * @16 union { unbound.dom; interdomain { dom; @20 port }; pirq; virq } } */
static long evtchn_op_status(struct vcpu *v, uint8_t *b)
{
	struct domain *d = v->d;
	uint32_t port = hv_guest_u32(v, b + 4);
	long rc = evtchn_self(v, hv_guest_u16(v, b));
	struct hv_evtchn *c;

	if (rc < 0)
		return rc;
	if (port >= d->n_evtchn)
		return -XEN_EINVAL;
	c = &d->evtchn[port]; /* port 0 reads as closed */
	memset(b + 8, 0, 16);
	hv_guest_put_u32(v, b + 8, c->state);
	hv_guest_put_u32(v, b + 12, c->notify_vcpu);
	switch (c->state) {
	case EVTCHNSTAT_unbound: hv_guest_put_u16(v, b + 16, c->remote_domid); break;
	case EVTCHNSTAT_interdomain:
		hv_guest_put_u16(v, b + 16, c->remote_domid);
		hv_guest_put_u32(v, b + 20, c->remote_port);
		break;
	case EVTCHNSTAT_virq: hv_guest_put_u32(v, b + 16, c->virq); break;
	default: break;
	}
	return 0;
}

/* struct evtchn_bind_vcpu { port; vcpu } */
static long evtchn_op_bind_vcpu(struct vcpu *v, uint8_t *b)
{
	struct domain *d = v->d;
	uint32_t port = hv_guest_u32(v, b), vcpu = hv_guest_u32(v, b + 4);
	struct hv_evtchn *c = evtchn_port(d, port);
	struct vcpu *tv = evtchn_vcpu(d, vcpu);

	if (!c)
		return -XEN_EINVAL;
	if (!tv)
		return -XEN_ENOENT;
	switch (c->state) {
	case EVTCHNSTAT_virq:
		if (hv_evtchn_virq_is_per_vcpu(c->virq))
			return -XEN_EINVAL;
		break;
	case EVTCHNSTAT_unbound:
	case EVTCHNSTAT_interdomain: break;
	default: return -XEN_EINVAL;
	}
	c->notify_vcpu = (uint16_t)vcpu;
	hv_trace(v, TRACE_EVTCHN, "EVTCHN bind_vcpu port=%u vcpu=%u", port, vcpu);
	d->evtchn_ops->rebind(d, tv, port);
	return 0;
}

static long evtchn_op_unmask(struct vcpu *v, uint32_t port)
{
	struct domain *d = v->d;
	struct vcpu *tv;

	if (!evtchn_port(d, port))
		return -XEN_EINVAL;
	hv_trace(v, TRACE_EVTCHN, "EVTCHN unmask port=%u", port);
	tv = evtchn_vcpu(d, d->evtchn[port].notify_vcpu);
	if (tv)
		d->evtchn_ops->unmask(d, tv, port);
	return 0;
}

/* struct evtchn_reset { domid_t dom; } */
static long evtchn_op_reset(struct vcpu *v, uint8_t *b)
{
	struct domain *d = v->d;
	long rc = evtchn_self(v, hv_guest_u16(v, b));

	if (rc < 0)
		return rc;
	hv_trace(v, TRACE_EVTCHN, "EVTCHN reset");
	for (uint32_t p = 1; p < d->n_evtchn; p++)
		if (d->evtchn[p].state != EVTCHNSTAT_closed)
			evtchn_close_port(d, p);
	if (d->evtchn_fifo) {
		/* Back to 2-level, as Xen does: a fresh table and bitmap. */
		hv_evtchn_fifo_destroy(d);
		d->evtchn = g_renew(struct hv_evtchn, d->evtchn, HV_EVTCHN_2L_NR_PORTS);
		d->n_evtchn = HV_EVTCHN_2L_NR_PORTS;
		memset(d->evtchn, 0, d->n_evtchn * sizeof(*d->evtchn));
		d->evtchn[0].reserved = true;
		for (uint32_t p = 1; p < d->n_evtchn; p++)
			d->evtchn_ops->clear_pending(d, p);
	}
	return 0;
}

/* struct evtchn_set_priority { evtchn_port_t port; uint32_t priority; } */
static long evtchn_op_set_priority(struct vcpu *v, uint8_t *b)
{
	struct domain *d = v->d;
	uint32_t port = hv_guest_u32(v, b), prio = hv_guest_u32(v, b + 4);

	if (!evtchn_port(d, port))
		return -XEN_EINVAL;
	if (!d->evtchn_ops->has_priorities)
		return -XEN_ENOSYS;
	if (prio > EVTCHN_FIFO_PRIORITY_MIN)
		return -XEN_EINVAL;
	/* Takes effect when the event is next linked. */
	d->evtchn[port].priority = (uint8_t)prio;
	hv_trace(v, TRACE_EVTCHN, "EVTCHN set_priority port=%u priority=%u", port, prio);
	return 0;
}

/* The size of each sub-op's argument structure. */
static size_t evtchn_op_size(unsigned cmd)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound: return 8;
	case EVTCHNOP_bind_interdomain: return 12;
	case EVTCHNOP_bind_virq: return 12;
	case EVTCHNOP_bind_ipi: return 8;
	case EVTCHNOP_close:
	case EVTCHNOP_send:
	case EVTCHNOP_unmask: return 4;
	case EVTCHNOP_status: return 24;
	case EVTCHNOP_bind_vcpu: return 8;
	case EVTCHNOP_reset: return 2;
	case EVTCHNOP_init_control: return 24;
	case EVTCHNOP_expand_array: return 8;
	case EVTCHNOP_set_priority: return 8;
	default: return 0;
	}
}

long do_event_channel_op(struct vcpu *v, const uint64_t a[6])
{
	unsigned cmd = (unsigned)a[0];
	size_t size = evtchn_op_size(cmd);
	uint8_t b[24];
	long rc;
	bool out = false;

	if (!size)
		return -XEN_ENOSYS; /* bind_pirq: no physical IRQs */
	if (hv_copy_from_guest(v, b, a[1], size) < 0)
		return -XEN_EFAULT;
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		rc = evtchn_op_alloc_unbound(v, b);
		out = true;
		break;
	case EVTCHNOP_bind_interdomain:
		rc = evtchn_op_bind_interdomain(v, b);
		out = true;
		break;
	case EVTCHNOP_bind_virq:
		rc = evtchn_op_bind_virq(v, b);
		out = true;
		break;
	case EVTCHNOP_bind_ipi:
		rc = evtchn_op_bind_ipi(v, b);
		out = true;
		break;
	case EVTCHNOP_close: rc = evtchn_op_close(v, hv_guest_u32(v, b)); break;
	case EVTCHNOP_send: rc = evtchn_op_send(v, hv_guest_u32(v, b)); break;
	case EVTCHNOP_status:
		rc = evtchn_op_status(v, b);
		out = true;
		break;
	case EVTCHNOP_bind_vcpu: rc = evtchn_op_bind_vcpu(v, b); break;
	case EVTCHNOP_unmask: rc = evtchn_op_unmask(v, hv_guest_u32(v, b)); break;
	case EVTCHNOP_init_control:
		rc = hv_evtchn_fifo_init_control(v, b);
		out = true;
		break;
	case EVTCHNOP_expand_array: rc = hv_evtchn_fifo_expand_array(v, hv_guest_u64(v, b)); break;
	case EVTCHNOP_set_priority: rc = evtchn_op_set_priority(v, b); break;
	default: rc = evtchn_op_reset(v, b); break;
	}
	if (rc == 0 && out && hv_copy_to_guest(v, a[1], b, size) < 0)
		return -XEN_EFAULT;
	return rc;
}

/*
 * Snapshots: the port table (every port's state; a backend port names its
 * backend, which the machine being loaded into has already bound at the
 * same port, or re-binds when its own device loads; a port presented as a
 * platform interrupt names it, bound by the build likewise) and which port ABI the
 * domain uses. The pending and mask bits live in guest memory (shared_info,
 * FIFO event words) and come back with it.
 */
void hv_evtchn_save(struct domain *d, struct sv_snap_w *w)
{
	sv_snap_put_bool(w, d->evtchn_ops == &hv_evtchn_fifo_ops);
	sv_snap_put_u32(w, d->n_evtchn);
	for (uint32_t p = 0; p < d->n_evtchn; p++) {
		const struct hv_evtchn *c = &d->evtchn[p];

		sv_snap_put_u8(w, c->state);
		sv_snap_put_bool(w, c->reserved);
		sv_snap_put_u16(w, c->notify_vcpu);
		sv_snap_put_u16(w, c->remote_domid);
		sv_snap_put_u32(w, c->remote_port);
		sv_snap_put_u32(w, c->virq);
		sv_snap_put_str(w, c->be ? c->be->name : NULL);
		sv_snap_put_str(w, c->irq ? c->irq->name : NULL);
		sv_snap_put_u8(w, c->priority);
		sv_snap_put_u8(w, c->last_priority);
		sv_snap_put_u16(w, c->last_vcpu);
		sv_snap_put_bool(w, c->fifo_pending);
	}
}

int hv_evtchn_load(struct domain *d, struct sv_snap_r *r)
{
	struct hv_evtchn *old = d->evtchn;
	uint32_t n_old = d->n_evtchn, n = 0;
	bool fifo = false;
	int rc = 0;

	if (!sv_snap_get_bool(r, &fifo) || !sv_snap_get_u32(r, &n))
		return -EINVAL;
	if (n < 1 || n > hv_evtchn_fifo_ops.nr_ports || (!fifo && n > HV_EVTCHN_2L_NR_PORTS))
		return sv_snap_fail(r, "bad event channel count %u", n);
	d->evtchn = g_new0(struct hv_evtchn, n);
	d->n_evtchn = n;
	d->evtchn_ops = fifo ? &hv_evtchn_fifo_ops : &hv_evtchn_2l_ops;
	for (uint32_t p = 0; p < n && rc == 0; p++) {
		struct hv_evtchn *c = &d->evtchn[p];
		char *be = NULL, *irq = NULL;

		if (!sv_snap_get_u8(r, &c->state) || !sv_snap_get_bool(r, &c->reserved) ||
		    !sv_snap_get_u16(r, &c->notify_vcpu) || !sv_snap_get_u16(r, &c->remote_domid) ||
		    !sv_snap_get_u32(r, &c->remote_port) || !sv_snap_get_u32(r, &c->virq) ||
		    !sv_snap_get_str(r, 64, &be) || !sv_snap_get_str(r, 64, &irq) ||
		    !sv_snap_get_u8(r, &c->priority) || !sv_snap_get_u8(r, &c->last_priority) ||
		    !sv_snap_get_u16(r, &c->last_vcpu) || !sv_snap_get_bool(r, &c->fifo_pending)) {
			rc = -EINVAL;
			break;
		}
		if (c->state > EVTCHNSTAT_ipi || c->notify_vcpu >= d->n_vcpus ||
		    c->last_vcpu >= d->n_vcpus || c->virq >= NR_VIRQS ||
		    c->priority > EVTCHN_FIFO_PRIORITY_MIN ||
		    c->last_priority > EVTCHN_FIFO_PRIORITY_MIN)
			rc = sv_snap_fail(r, "bad event channel %u", p);
		/* A backend port: the one this machine bound there, if any
		 * (else its device binds it when it loads). */
		if (be && p < n_old && old[p].be && !strcmp(old[p].be->name, be))
			c->be = old[p].be;
		/* A platform interrupt (PAPR's vty) is bound at build too. */
		if (irq && p < n_old && old[p].irq && !strcmp(old[p].irq->name, irq))
			c->irq = old[p].irq;
		else if (irq)
			rc = sv_snap_fail(r, "event channel %u: no platform interrupt '%s' here", p,
					  irq);
		g_free(be);
		g_free(irq);
	}
	g_free(old);
	return rc;
}

void hv_evtchn_rebind_backend(struct domain *d, uint32_t port, const struct hv_evtchn_backend *be)
{
	if (port < d->n_evtchn && d->evtchn[port].state == EVTCHNSTAT_interdomain &&
	    d->evtchn[port].remote_domid == 0)
		d->evtchn[port].be = be;
}
