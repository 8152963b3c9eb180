/*
 * vm_assist (public/xen.h): a guest asks Xen to change how it presents
 * something. An HVM or PVH domU may only switch VMASST_TYPE_runstate_update_flag
 * (Xen exposes the call to HVM guests for that one type since 4.14), which
 * asks Xen to set XEN_RUNSTATE_UPDATE (bit 63 of state_entry_time) while it
 * rewrites a vcpu's runstate area, so that a reader on another vcpu can
 * retry a torn read.
 *
 * hv rewrites a runstate area between guest instructions, on the host
 * thread that also runs every vcpu, so no guest reader can ever observe a
 * half-written area: the flag would be set and cleared with no instruction
 * in between. Enabling it is therefore recorded (the guest may ask for it
 * back) and changes nothing else.
 *
 * Errors as Xen's: a command other than enable/disable -> -ENOSYS; a type
 * outside the domain's valid mask -> -EINVAL.
 */
#include "hv/hypercall.h"
#include "hv/xen_abi.h"

#define VMASST_CMD_enable 0
#define VMASST_CMD_disable 1
#define VMASST_TYPE_runstate_update_flag 5

/* The assists a domU may switch. */
#define HV_VM_ASSIST_VALID (1ull << VMASST_TYPE_runstate_update_flag)

long do_vm_assist(struct vcpu *v, const uint64_t a[6])
{
	uint64_t cmd = a[0], type = a[1];

	if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
		return -XEN_ENOSYS;
	if (type >= 64 || !(HV_VM_ASSIST_VALID & (1ull << type)))
		return -XEN_EINVAL;
	if (cmd == VMASST_CMD_enable)
		v->d->vm_assist |= 1ull << type;
	else
		v->d->vm_assist &= ~(1ull << type);
	return 0;
}
