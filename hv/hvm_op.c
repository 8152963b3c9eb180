/*
 * hvm_op (public/hvm/hvm_op.h, public/hvm/params.h): HVM parameters and the
 * event-channel upcall vector.
 *
 *   HVMOP_set_param / get_param  struct xen_hvm_param { domid_t domid;
 *                                @4 uint32_t index; @8 uint64_t value; }
 *     HVM_PARAM_CALLBACK_IRQ (the one a guest sets): bits 63:56 the type.
 *     Type 2 (vector): the upcall is that vector, injected on every vcpu
 *     while its evtchn_upcall_pending is set (level, as Xen's callback via).
 *     Vectors below 0x10 are -EINVAL. Other types are stored but deliver
 *     nothing (no IOAPIC yet).
 *     The store/console pfn and evtchn parameters are the toolstack's: the
 *     backends (devices/xenstore.c, devices/xen_console.c) set them when they
 *     are created; a guest reads them and may not set them (-EPERM).
 *   HVMOP_set_evtchn_upcall_vector struct { uint32_t vcpu; uint8_t vector; }:
 *     a per-vcpu vector (edge: raised when evtchn_upcall_pending goes 0 -> 1).
 *   HVMOP_pagetable_dying: accepted and ignored.
 */
#include "hv/hypercall.h"
#include "hv/shared_info.h"

#define XEN_HVM_PARAM_SIZE 16
#define XEN_HVM_UPCALL_VECTOR_SIZE 8
#define HV_MIN_UPCALL_VECTOR 0x10

static long hvm_op_param(struct vcpu *v, uint64_t arg, bool set)
{
	struct domain *d = v->d;
	uint8_t b[XEN_HVM_PARAM_SIZE];
	uint16_t domid;
	uint32_t index;
	uint64_t value;

	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	domid = hv_guest_u16(v, b);
	index = hv_guest_u32(v, b + 4);
	value = hv_guest_u64(v, b + 8);
	if (domid != DOMID_SELF && domid != d->domid)
		return hv_domain_by_id(d->hv, domid) ? -XEN_EPERM : -XEN_ESRCH;
	if (index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	if (!set) {
		hv_guest_put_u64(v, b + 8, d->hvm_params[index]);
		return hv_copy_to_guest(v, arg, b, sizeof(b)) < 0 ? -XEN_EFAULT : 0;
	}
	if (index != HVM_PARAM_CALLBACK_IRQ)
		return -XEN_EPERM;
	if ((value >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) == HVM_PARAM_CALLBACK_TYPE_VECTOR &&
	    (value & 0xff) < HV_MIN_UPCALL_VECTOR)
		return -XEN_EINVAL;
	d->hvm_params[index] = value;
	hv_trace(v, TRACE_EVTCHN, "EVTCHN callback_irq type=%u data=0x%llx",
		 (unsigned)(value >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT),
		 (unsigned long long)(value & ((1ull << HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) - 1)));
	/* Events already pending are delivered through the new route. */
	for (unsigned i = 0; i < d->n_vcpus; i++)
		if (hv_vcpu_upcall_pending(d->vcpus[i]))
			d->vcpus[i]->upcall_latched = true;
	return 0;
}

static long hvm_op_upcall_vector(struct vcpu *v, uint64_t arg)
{
	uint8_t b[XEN_HVM_UPCALL_VECTOR_SIZE];
	uint32_t id;
	uint8_t vector;
	struct vcpu *tv;

	if (hv_copy_from_guest(v, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	id = hv_guest_u32(v, b);
	vector = b[4];
	if (vector < HV_MIN_UPCALL_VECTOR)
		return -XEN_EINVAL;
	if (id >= v->d->n_vcpus)
		return -XEN_ENOENT;
	tv = v->d->vcpus[id];
	tv->upcall_vector = vector;
	hv_trace(v, TRACE_EVTCHN, "EVTCHN upcall_vector vcpu=%u vector=0x%x", id, vector);
	if (hv_vcpu_upcall_pending(tv))
		tv->upcall_latched = true;
	return 0;
}

long do_hvm_op(struct vcpu *v, const uint64_t a[6])
{
	switch (a[0]) {
	case HVMOP_set_param: return hvm_op_param(v, a[1], true);
	case HVMOP_get_param: return hvm_op_param(v, a[1], false);
	case HVMOP_set_evtchn_upcall_vector: return hvm_op_upcall_vector(v, a[1]);
	case HVMOP_pagetable_dying: return 0;
	default: return -XEN_ENOSYS;
	}
}
