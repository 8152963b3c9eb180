/*
 * sched_op (public/sched.h): yield and shutdown for now.
 */
#include "hv/hypercall.h"
#include "hv/xen_abi.h"

long do_sched_op(struct vcpu *v, const uint64_t a[6])
{
	unsigned cmd = (unsigned)a[0];
	uint8_t buf[4];
	unsigned reason;

	switch (cmd) {
	case SCHEDOP_yield: return 0;
	case SCHEDOP_shutdown:
		/* struct sched_shutdown { unsigned int reason; } */
		if (hv_copy_from_guest(v, buf, a[1], sizeof(buf)) < 0)
			return -XEN_EFAULT;
		reason = hv_guest_u32(v, buf);
		if (reason > HV_SHUTDOWN_SOFT_RESET)
			return -XEN_EINVAL;
		hv_domain_shutdown(v->d, reason);
		return 0;
	case SCHEDOP_shutdown_code:
		if (hv_copy_from_guest(v, buf, a[1], sizeof(buf)) < 0)
			return -XEN_EFAULT;
		reason = hv_guest_u32(v, buf);
		if (reason > HV_SHUTDOWN_SOFT_RESET)
			return -XEN_EINVAL;
		v->d->shutdown_code = reason;
		return 0;
	default: return -XEN_ENOSYS;
	}
}
