/*
 * The FIFO event channel ABI (public/event_channel.h, Xen's event_fifo
 * design): an alternative to the 2-level bitmaps that scales to 2^17 ports
 * and has 16 priorities.
 *
 * Memory the guest provides and hv writes (hv keeps a reference on each
 * frame while it is in use, as for vcpu_info):
 *   - the event array: pages of 32-bit event words, one per port (1024 a
 *     page), added one page at a time with EVTCHNOP_expand_array. A word is
 *       bit 31 PENDING, 30 MASKED, 29 LINKED, 28 BUSY, bits 16:0 LINK (the
 *       next port on the same queue);
 *   - per vcpu a control block (EVTCHNOP_init_control): a READY word with
 *     one bit per priority whose queue is non-empty, and HEAD[16], the first
 *     port of each queue when hv starts it.
 * Each (vcpu, priority) queue is a singly linked list through the LINK
 * fields; hv remembers its tail. The guest consumes from the head: it
 * clears LINKED (and LINK) of each port it takes, so a tail whose LINKED is
 * clear means the queue is empty and the next event starts it again through
 * HEAD. hv never follows links, so a guest that corrupts its own words can
 * only confuse itself.
 *
 * Worked example: ports 5 and 9 at priority 7 on vcpu 0, array page at
 * gfn A, control block at gfn C offset 0.
 *   send 5: word[5] |= PENDING; not MASKED, not LINKED: LINKED, queue 7 of
 *     vcpu 0 is empty (no tail) so HEAD[7] = 5, tail = 5; READY bit 7 goes
 *     0 -> 1, so evtchn_upcall_pending and the upcall (as 2-level).
 *   send 9 before the guest runs: word[5] is LINKED, so LINK(word[5]) = 9,
 *     tail = 9; READY already set: no new upcall.
 *   the guest: ready = xchg(READY, 0); head = HEAD[7] = 5; clears
 *     LINKED|LINK of word[5] getting 9; handles 5; then 9 (LINK 0: done).
 *   send 5 again: word[5] not LINKED; the tail (9) is not LINKED either: the
 *     queue is empty, HEAD[7] = 5 and READY bit 7 again.
 *
 * Switching ABI: the first init_control moves the domain to FIFO (ports
 * pending in the 2-level bitmap stay pending, delivered when their event
 * word appears); EVTCHNOP_reset moves it back to 2-level.
 */
#include "hv/evtchn.h"
#include "sv/snap.h"
#include "hv/shared_info.h"

#include <inttypes.h>

#define FIFO_WORDS_PER_PAGE (SV_PAGE_SIZE / 4)
#define FIFO_MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / FIFO_WORDS_PER_PAGE)

#define FIFO_PENDING (1u << EVTCHN_FIFO_PENDING)
#define FIFO_MASKED (1u << EVTCHN_FIFO_MASKED)
#define FIFO_LINKED (1u << EVTCHN_FIFO_LINKED)

struct hv_evtchn_fifo_vcpu {
	int64_t cb_mfn; /* the control block's frame (a reference held), or -1 */
	uint32_t cb_off;
	uint32_t tail[EVTCHN_FIFO_MAX_QUEUES]; /* 0: never linked */
};

struct hv_evtchn_fifo {
	unsigned n_pages;
	uint64_t page_mfn[FIFO_MAX_PAGES]; /* references held */
	unsigned n_vcpus;
	struct hv_evtchn_fifo_vcpu *vcpu;
};

/* ------------------------------------------------------------ words */

/* Host pointer to port's event word, or NULL if the array does not reach it. */
static uint8_t *fifo_word(struct domain *d, uint32_t port)
{
	struct hv_evtchn_fifo *f = d->evtchn_fifo;

	if (!f || port >= f->n_pages * FIFO_WORDS_PER_PAGE)
		return NULL;
	return machmem_ptr(&d->hv->mem, f->page_mfn[port / FIFO_WORDS_PER_PAGE]) +
	       (port % FIFO_WORDS_PER_PAGE) * 4;
}

static uint32_t fifo_get(struct domain *d, const uint8_t *w)
{
	return hv_shared_u32(d, w);
}

static void fifo_put(struct domain *d, uint8_t *w, uint32_t x)
{
	hv_shared_put_u32(d, w, x);
}

/* v's control block, or NULL if v has not registered one. */
static uint8_t *fifo_control_block(struct domain *d, struct vcpu *v)
{
	struct hv_evtchn_fifo *f = d->evtchn_fifo;

	if (!f || v->id >= f->n_vcpus || f->vcpu[v->id].cb_mfn < 0)
		return NULL;
	return machmem_ptr(&d->hv->mem, (uint64_t)f->vcpu[v->id].cb_mfn) + f->vcpu[v->id].cb_off;
}

/* ------------------------------------------------------------ port ops */

/*
 * Link port (its word w, PENDING and not MASKED or LINKED) at the tail of
 * v's queue of its priority; start the queue through HEAD and READY if it
 * was empty.
 */
static void fifo_link(struct domain *d, struct vcpu *v, uint32_t port, uint8_t *w)
{
	struct hv_evtchn_fifo *f = d->evtchn_fifo;
	struct hv_evtchn *c = &d->evtchn[port];
	uint8_t *cb = fifo_control_block(d, v), *tw;
	unsigned prio = c->priority;
	struct hv_evtchn_fifo_vcpu *q;
	uint32_t tail, ready;
	bool linked = false;

	/* No control block: the guest may not unmask events before it made
	 * one, so the event stays pending, unlinked (as Xen drops it). */
	if (!cb)
		return;
	q = &f->vcpu[v->id];
	/* The port was the tail of another queue and the guest took it from
	 * there (it is not LINKED): that queue is empty now. */
	if ((c->last_vcpu != v->id || c->last_priority != prio) && c->last_vcpu < f->n_vcpus &&
	    f->vcpu[c->last_vcpu].tail[c->last_priority] == port)
		f->vcpu[c->last_vcpu].tail[c->last_priority] = 0;

	fifo_put(d, w, (fifo_get(d, w) & ~EVTCHN_FIFO_LINK_MASK) | FIFO_LINKED);
	tail = q->tail[prio];
	if (tail && tail != port && (tw = fifo_word(d, tail)) && (fifo_get(d, tw) & FIFO_LINKED)) {
		fifo_put(d, tw, (fifo_get(d, tw) & ~EVTCHN_FIFO_LINK_MASK) | port);
		linked = true;
	}
	if (!linked)
		fifo_put(d, cb + EVTCHN_FIFO_CONTROL_HEAD + 4 * prio, port);
	q->tail[prio] = port;
	c->last_vcpu = (uint16_t)v->id;
	c->last_priority = (uint8_t)prio;
	if (linked)
		return;
	ready = fifo_get(d, cb + EVTCHN_FIFO_CONTROL_READY);
	if (!(ready & (1u << prio))) {
		fifo_put(d, cb + EVTCHN_FIFO_CONTROL_READY, ready | (1u << prio));
		hv_vcpu_mark_events_pending(v);
	}
}

static void fifo_set_pending(struct domain *d, struct vcpu *v, uint32_t port)
{
	uint8_t *w = fifo_word(d, port);
	uint32_t x;

	if (!w) {
		/* Delivered when expand_array brings the word. */
		d->evtchn[port].fifo_pending = true;
		return;
	}
	x = fifo_get(d, w) | FIFO_PENDING;
	fifo_put(d, w, x);
	if (!(x & (FIFO_MASKED | FIFO_LINKED)))
		fifo_link(d, v, port, w);
}

static void fifo_clear_pending(struct domain *d, uint32_t port)
{
	uint8_t *w = fifo_word(d, port);

	d->evtchn[port].fifo_pending = false;
	if (w)
		fifo_put(d, w, fifo_get(d, w) & ~FIFO_PENDING);
}

static void fifo_unmask(struct domain *d, struct vcpu *v, uint32_t port)
{
	uint8_t *w = fifo_word(d, port);

	if (!w)
		return;
	fifo_put(d, w, fifo_get(d, w) & ~FIFO_MASKED);
	if (fifo_get(d, w) & FIFO_PENDING)
		fifo_set_pending(d, v, port);
}

static void fifo_rebind(struct domain *d, struct vcpu *v, uint32_t port)
{
	uint8_t *w = fifo_word(d, port);

	/* A linked event stays on its old queue; one that is not goes to the
	 * new vcpu's. */
	if (w && (fifo_get(d, w) & FIFO_PENDING))
		fifo_set_pending(d, v, port);
}

static bool fifo_is_pending(struct domain *d, uint32_t port)
{
	uint8_t *w = fifo_word(d, port);

	return w ? (fifo_get(d, w) & FIFO_PENDING) != 0 : d->evtchn[port].fifo_pending;
}

static bool fifo_is_masked(struct domain *d, uint32_t port)
{
	uint8_t *w = fifo_word(d, port);

	return !w || (fifo_get(d, w) & FIFO_MASKED);
}

static bool fifo_is_busy(struct domain *d, uint32_t port)
{
	uint8_t *w = fifo_word(d, port);

	return w && (fifo_get(d, w) & FIFO_LINKED);
}

const struct hv_evtchn_port_ops hv_evtchn_fifo_ops = {
	.name = "fifo",
	.nr_ports = EVTCHN_FIFO_NR_CHANNELS,
	.set_pending = fifo_set_pending,
	.clear_pending = fifo_clear_pending,
	.unmask = fifo_unmask,
	.rebind = fifo_rebind,
	.is_pending = fifo_is_pending,
	.is_masked = fifo_is_masked,
	.is_busy = fifo_is_busy,
	.has_priorities = true,
};

/* ------------------------------------------------------------ sub-ops */

/* The frame of d's writable RAM page gfn with a reference taken, or -1. */
static int64_t fifo_get_guest_page(struct domain *d, uint64_t gfn)
{
	struct p2m_entry e;

	if (gfn > P2M_MAX_GFN || !hv_gpa_ram_rw(d, gfn << SV_PAGE_BITS) ||
	    !p2m_lookup(d->p2m, gfn, &e))
		return -1;
	machmem_get(&d->hv->mem, e.mfn);
	return (int64_t)e.mfn;
}

/* Switch d to FIFO: ports pending in the 2-level bitmap stay pending (their
 * words do not exist yet), every port gets the default priority. */
static void fifo_switch(struct domain *d)
{
	struct hv_evtchn_fifo *f = g_new0(struct hv_evtchn_fifo, 1);

	f->n_vcpus = d->n_vcpus;
	f->vcpu = g_new0(struct hv_evtchn_fifo_vcpu, f->n_vcpus);
	for (unsigned i = 0; i < f->n_vcpus; i++)
		f->vcpu[i].cb_mfn = -1;
	for (uint32_t p = 1; p < d->n_evtchn; p++) {
		struct hv_evtchn *c = &d->evtchn[p];
		c->fifo_pending = d->evtchn_ops->is_pending(d, p);
		c->priority = c->last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		c->last_vcpu = 0;
	}
	d->evtchn_fifo = f;
	d->evtchn_ops = &hv_evtchn_fifo_ops;
}

long hv_evtchn_fifo_init_control(struct vcpu *caller, uint8_t *b)
{
	struct domain *d = caller->d;
	uint64_t gfn = hv_guest_u64(caller, b);
	uint32_t off = hv_guest_u32(caller, b + 8), vcpu = hv_guest_u32(caller, b + 12);
	int64_t mfn;

	/* Xen's order: the vcpu, the offset (within the page, 8-aligned), then
	 * the page. */
	if (vcpu >= d->n_vcpus)
		return -XEN_ENOENT;
	if (off > SV_PAGE_SIZE - EVTCHN_FIFO_CONTROL_BLOCK_SIZE || (off & 7))
		return -XEN_EINVAL;
	if (d->evtchn_fifo &&
	    (vcpu >= d->evtchn_fifo->n_vcpus || d->evtchn_fifo->vcpu[vcpu].cb_mfn >= 0))
		return -XEN_EINVAL; /* once per vcpu */
	mfn = fifo_get_guest_page(d, gfn);
	if (mfn < 0)
		return -XEN_EINVAL;
	if (!d->evtchn_fifo)
		fifo_switch(d);
	d->evtchn_fifo->vcpu[vcpu].cb_mfn = mfn;
	d->evtchn_fifo->vcpu[vcpu].cb_off = off;
	b[16] = EVTCHN_FIFO_LINK_BITS;
	hv_trace(caller, TRACE_EVTCHN, "EVTCHN init_control vcpu=%u gfn=0x%" PRIx64 " offset=0x%x",
		 vcpu, gfn, off);
	return 0;
}

long hv_evtchn_fifo_expand_array(struct vcpu *caller, uint64_t gfn)
{
	struct domain *d = caller->d;
	struct hv_evtchn_fifo *f = d->evtchn_fifo;
	uint32_t first, end;
	int64_t mfn;

	if (!f)
		return -XEN_EOPNOTSUPP;
	if (f->n_pages >= FIFO_MAX_PAGES)
		return -XEN_ENOSPC;
	mfn = fifo_get_guest_page(d, gfn);
	if (mfn < 0)
		return -XEN_EINVAL;
	first = f->n_pages * FIFO_WORDS_PER_PAGE;
	f->page_mfn[f->n_pages++] = (uint64_t)mfn;
	end = f->n_pages * FIFO_WORDS_PER_PAGE;
	hv_trace(caller, TRACE_EVTCHN, "EVTCHN expand_array page=%u gfn=0x%" PRIx64 " ports=%u",
		 f->n_pages - 1, gfn, end);
	/* Events that came before their word. */
	for (uint32_t p = first ? first : 1; p < end && p < d->n_evtchn; p++) {
		struct hv_evtchn *c = &d->evtchn[p];
		if (c->fifo_pending && c->notify_vcpu < d->n_vcpus) {
			c->fifo_pending = false;
			fifo_set_pending(d, d->vcpus[c->notify_vcpu], p);
		}
	}
	return 0;
}

void hv_evtchn_fifo_destroy(struct domain *d)
{
	struct hv_evtchn_fifo *f = d->evtchn_fifo;

	if (!f)
		return;
	for (unsigned i = 0; i < f->n_pages; i++)
		machmem_put(&d->hv->mem, f->page_mfn[i]);
	for (unsigned i = 0; i < f->n_vcpus; i++)
		if (f->vcpu[i].cb_mfn >= 0)
			machmem_put(&d->hv->mem, (uint64_t)f->vcpu[i].cb_mfn);
	g_free(f->vcpu);
	g_free(f);
	d->evtchn_fifo = NULL;
	d->evtchn_ops = &hv_evtchn_2l_ops;
}

/*
 * Snapshots: the event-array pages and control blocks (frames whose
 * references the frame table already holds: nothing is taken here) and each
 * queue's tail. The words themselves are guest memory.
 */
void hv_evtchn_fifo_save(struct domain *d, struct sv_snap_w *w)
{
	struct hv_evtchn_fifo *f = d->evtchn_fifo;

	sv_snap_put_bool(w, f != NULL);
	if (!f)
		return;
	sv_snap_put_u32(w, f->n_pages);
	sv_snap_put_bytes(w, f->page_mfn, f->n_pages * sizeof(f->page_mfn[0]));
	sv_snap_put_u32(w, f->n_vcpus);
	for (unsigned i = 0; i < f->n_vcpus; i++) {
		sv_snap_put_u64(w, (uint64_t)f->vcpu[i].cb_mfn);
		sv_snap_put_u32(w, f->vcpu[i].cb_off);
		sv_snap_put_bytes(w, f->vcpu[i].tail, sizeof(f->vcpu[i].tail));
	}
}

int hv_evtchn_fifo_load(struct domain *d, struct sv_snap_r *r)
{
	struct machmem *mem = &d->hv->mem;
	struct hv_evtchn_fifo *f;
	bool on = false;

	/* The frames' references were replaced with the frame table. */
	if (d->evtchn_fifo) {
		g_free(d->evtchn_fifo->vcpu);
		g_free(d->evtchn_fifo);
		d->evtchn_fifo = NULL;
	}
	if (!sv_snap_get_bool(r, &on))
		return -EINVAL;
	if (!on)
		return 0;
	f = g_new0(struct hv_evtchn_fifo, 1);
	d->evtchn_fifo = f;
	if (!sv_snap_get_u32(r, &f->n_pages) || f->n_pages > FIFO_MAX_PAGES) {
		f->n_pages = 0;
		return sv_snap_fail(r, "bad FIFO event array size");
	}
	if (!sv_snap_get_bytes(r, f->page_mfn, f->n_pages * sizeof(f->page_mfn[0])))
		return -EINVAL;
	for (unsigned i = 0; i < f->n_pages; i++)
		if (!machmem_valid(mem, f->page_mfn[i]))
			return sv_snap_fail(r, "bad FIFO event array frame");
	if (!sv_snap_get_u32(r, &f->n_vcpus) || f->n_vcpus != d->n_vcpus)
		return sv_snap_fail(r, "bad FIFO vcpu count");
	f->vcpu = g_new0(struct hv_evtchn_fifo_vcpu, f->n_vcpus);
	for (unsigned i = 0; i < f->n_vcpus; i++) {
		struct hv_evtchn_fifo_vcpu *fv = &f->vcpu[i];
		uint64_t mfn = 0;

		if (!sv_snap_get_u64(r, &mfn) || !sv_snap_get_u32(r, &fv->cb_off) ||
		    !sv_snap_get_bytes(r, fv->tail, sizeof(fv->tail)))
			return -EINVAL;
		fv->cb_mfn = (int64_t)mfn;
		if ((fv->cb_mfn >= 0 && !machmem_valid(mem, mfn)) || fv->cb_off > SV_PAGE_SIZE - 72)
			return sv_snap_fail(r, "bad FIFO control block of vcpu %u", i);
	}
	return 0;
}
