/*
 * The Xen console backend (see devices/xen_console.h).
 */
#include "devices/xen_console.h"
#include "devices/xen_ring.h"
#include "hv/evtchn.h"
#include "hv/shared_info.h"

#include <errno.h>

struct xen_console {
	struct hv_device dev;
	struct domain *d;
	uint64_t mfn, gfn;
	uint32_t port;
	struct hv_evtchn_backend be;
};

static uint8_t *cons_page(struct xen_console *c)
{
	return machmem_ptr(&c->d->hv->mem, c->mfn);
}

static uint32_t cons_load_idx(struct xen_console *c, unsigned off)
{
	return xen_ring_load_idx(c->d, cons_page(c), off);
}

static void cons_store_idx(struct xen_console *c, unsigned off, uint32_t x)
{
	xen_ring_store_idx(c->d, cons_page(c), off, x);
}

size_t xen_console_drain(struct xen_console *c, struct vcpu *sender)
{
	uint8_t *page = cons_page(c);
	uint32_t cons = cons_load_idx(c, XENCONS_OFF_OUT_CONS);
	uint32_t prod = cons_load_idx(c, XENCONS_OFF_OUT_PROD);
	uint32_t avail = prod - cons;
	char buf[XENCONS_OUT_SIZE];
	size_t n = 0;

	if (avail > XENCONS_OUT_SIZE) {
		/* Garbage: the producer cannot be more than a ring ahead. */
		if (sender)
			hv_trace(sender, TRACE_EVTCHN,
				 "EVTCHN console: bad indexes out_cons=%u out_prod=%u, dropped",
				 cons, prod);
		cons_store_idx(c, XENCONS_OFF_OUT_CONS, prod);
		return 0;
	}
	/* At most one ring's worth: the loop is bounded by avail. */
	while (n < avail) {
		buf[n] = (char)
			page[XENCONS_OFF_OUT + ((cons + (uint32_t)n) & (XENCONS_OUT_SIZE - 1))];
		n++;
	}
	if (n)
		hv_console_write(c->d, buf, n);
	cons_store_idx(c, XENCONS_OFF_OUT_CONS, prod);
	if (n)
		hv_evtchn_backend_notify(c->d, c->port, &c->be);
	return n;
}

static void cons_notify(void *opaque, struct vcpu *sender)
{
	xen_console_drain(opaque, sender);
}

size_t xen_console_push_input(struct xen_console *c, const void *buf, size_t len)
{
	uint8_t *page = cons_page(c);
	uint32_t cons = cons_load_idx(c, XENCONS_OFF_IN_CONS);
	uint32_t prod = cons_load_idx(c, XENCONS_OFF_IN_PROD);
	uint32_t used = prod - cons;
	size_t n = 0;

	if (used > XENCONS_IN_SIZE)
		return 0; /* garbage from the guest: the ring counts as full */
	while (n < len && used + n < XENCONS_IN_SIZE) {
		page[XENCONS_OFF_IN + ((prod + (uint32_t)n) & (XENCONS_IN_SIZE - 1))] =
			((const uint8_t *)buf)[n];
		n++;
	}
	if (!n)
		return 0;
	cons_store_idx(c, XENCONS_OFF_IN_PROD, prod + (uint32_t)n);
	hv_evtchn_backend_notify(c->d, c->port, &c->be);
	return n;
}

static void cons_dev_destroy(struct hv_device *dev)
{
	struct xen_console *c = (struct xen_console *)dev;
	struct domain *d = c->d;
	struct p2m_entry e;

	/* Whatever the guest left without a newline still reaches the sink. */
	xen_console_drain(c, NULL);
	hv_evtchn_free_backend(d, c->port, &c->be);
	if (p2m_lookup(d->p2m, c->gfn, &e) && e.mfn == c->mfn && e.type == P2M_RAM_RW)
		p2m_remove(d->p2m, c->gfn);
	machmem_put(&d->hv->mem, c->mfn);
	d->hvm_params[HVM_PARAM_CONSOLE_PFN] = 0;
	d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = 0;
	g_free(c);
}

void xen_console_destroy(struct xen_console *c)
{
	if (!c)
		return;
	hv_domain_detach_device(c->d, &c->dev);
	cons_dev_destroy(&c->dev);
}

struct xen_console *xen_console_create(struct domain *d, uint64_t gfn, int *err)
{
	struct xen_console *c = g_new0(struct xen_console, 1);
	int64_t mfn;
	int port, rc;

	c->d = d;
	c->gfn = gfn;
	mfn = machmem_alloc(&d->hv->mem, 0);
	if (mfn < 0) {
		*err = (int)mfn;
		g_free(c);
		return NULL;
	}
	c->mfn = (uint64_t)mfn;
	rc = p2m_set(d->p2m, gfn, c->mfn, P2M_RAM_RW, P2M_ACCESS_RW);
	c->be.name = "console";
	c->be.notify = cons_notify;
	c->be.opaque = c;
	port = rc < 0 ? rc : hv_evtchn_alloc_backend(d, &c->be);
	if (port < 0) {
		if (rc == 0)
			p2m_remove(d->p2m, gfn);
		machmem_put(&d->hv->mem, c->mfn);
		g_free(c);
		*err = port == -XEN_ENOSPC ? -ENOSPC : -ENOMEM;
		return NULL;
	}
	c->port = (uint32_t)port;
	d->hvm_params[HVM_PARAM_CONSOLE_PFN] = gfn;
	d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = c->port;
	c->dev.name = "xen-console";
	c->dev.destroy = cons_dev_destroy;
	hv_domain_attach_device(d, &c->dev);
	return c;
}

uint32_t xen_console_port(const struct xen_console *c)
{
	return c->port;
}

uint64_t xen_console_gfn(const struct xen_console *c)
{
	return c->gfn;
}
