/*
 * Producer/consumer indexes of the shared-memory rings the domain-0
 * backends serve (console, xenstore). The guest's indexes are read with
 * acquire loads, so the ring bytes read after them are at least as new as
 * the index (the guest wrote them before its barrier); ours are written
 * with release stores, so the bytes we read or wrote are done before the
 * guest sees the index move. Values are in the guest's byte order.
 */
#ifndef SV_DEVICES_XEN_RING_H
#define SV_DEVICES_XEN_RING_H

#include "hv/shared_info.h"

static inline uint32_t xen_ring_load_idx(struct domain *d, uint8_t *page, unsigned off)
{
	uint8_t raw[4];
	uint32_t w = __atomic_load_n((uint32_t *)(void *)(page + off), __ATOMIC_ACQUIRE);

	memcpy(raw, &w, 4);
	return hv_shared_u32(d, raw);
}

static inline void xen_ring_store_idx(struct domain *d, uint8_t *page, unsigned off, uint32_t x)
{
	uint8_t raw[4];
	uint32_t w;

	hv_shared_put_u32(d, raw, x);
	memcpy(&w, raw, 4);
	__atomic_store_n((uint32_t *)(void *)(page + off), w, __ATOMIC_RELEASE);
}

#endif
