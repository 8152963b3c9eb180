/*
 * The shared_info page and vcpu_info (layout: hv/shared_info.h).
 *
 * The shared_info page is a machine frame hv allocates at domain creation
 * and holds a reference on until teardown; XENMEM_add_to_physmap maps it into
 * the guest (hv/memory.c). hv reads and writes it through the host mapping of
 * the frame, so it works before the guest maps it and after it unmaps it.
 */
#include "hv/shared_info.h"
#include "hv/time.h"

uint8_t *hv_shared_info(struct domain *d)
{
	return machmem_ptr(&d->hv->mem, d->shared_info_mfn);
}

uint8_t *hv_vcpu_info(struct vcpu *v)
{
	if (v->vcpu_info_mfn >= 0)
		return machmem_ptr(&v->d->hv->mem, (uint64_t)v->vcpu_info_mfn) + v->vcpu_info_off;
	if (v->id < XEN_LEGACY_MAX_VCPUS)
		return hv_shared_info(v->d) + v->id * XEN_VCPU_INFO_SIZE;
	return NULL;
}

uint32_t hv_shared_u32(struct domain *d, const uint8_t *p)
{
	return (uint32_t)(d->big_endian ? ld32_be_p(p) : ld32_le_p(p));
}

void hv_shared_put_u32(struct domain *d, uint8_t *p, uint32_t x)
{
	if (d->big_endian)
		st32_be_p(p, x);
	else
		st32_le_p(p, x);
}

uint64_t hv_shared_u64(struct domain *d, const uint8_t *p)
{
	return d->big_endian ? ld64_be_p(p) : ld64_le_p(p);
}

void hv_shared_put_u64(struct domain *d, uint8_t *p, uint64_t x)
{
	if (d->big_endian)
		st64_be_p(p, x);
	else
		st64_le_p(p, x);
}

bool hv_vcpu_upcall_pending(struct vcpu *v)
{
	uint8_t *vi = hv_vcpu_info(v);

	return vi && vi[XEN_VCPU_INFO_UPCALL_PENDING];
}

bool hv_vcpu_upcall_masked(struct vcpu *v)
{
	uint8_t *vi = hv_vcpu_info(v);

	return !vi || vi[XEN_VCPU_INFO_UPCALL_MASK];
}

void hv_vcpu_mark_events_pending(struct vcpu *v)
{
	uint8_t *vi = hv_vcpu_info(v);

	if (!vi || vi[XEN_VCPU_INFO_UPCALL_PENDING])
		return;
	vi[XEN_VCPU_INFO_UPCALL_PENDING] = 1;
	v->upcall_latched = true;
	/* Raised from inside the vcpu's own execution (an emulated device
	 * in a helper): leave the TB chain so that the run driver programs
	 * the upcall. Otherwise the vcpu is not running and the driver does
	 * so before it runs again. */
	if (v->cpu->in_tb)
		cpu_request_exit(v->cpu);
}

int hv_shared_info_init(struct domain *d)
{
	int64_t mfn = machmem_alloc(&d->hv->mem, d->domid);

	if (mfn < 0)
		return (int)mfn;
	d->shared_info_mfn = (uint64_t)mfn;
	d->shared_info_gfn = HV_GFN_NONE;
	hv_time_write_wallclock(d);
	return 0;
}

void hv_shared_info_destroy(struct domain *d)
{
	machmem_put(&d->hv->mem, d->shared_info_mfn);
}
