/*
 * Event-channel upcalls on x86: the callback vector, injected through the
 * software VMCS as an external interrupt (SDM 24.8.3: VM-entry
 * interruption-information = valid | type 0 | vector).
 *
 * Which vector: the vcpu's own (HVMOP_set_evtchn_upcall_vector, raised once
 * per 0 -> 1 change of evtchn_upcall_pending), else the domain's
 * HVM_PARAM_CALLBACK_IRQ of the vector type (level: raised while
 * evtchn_upcall_pending is set, as Xen's callback via).
 *
 * When: only if the guest can take an interrupt (RFLAGS.IF = 1 and no STI /
 * MOV SS shadow) and no other event is queued for the entry. Otherwise
 * interrupt-window exiting is turned on; the window exit (reason 7) comes
 * at the first instruction boundary with interrupts open, and the run driver
 * then injects (hv_vcpu_prepare_run calls hv_x86_upcall_update).
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"
#include "hv/shared_info.h"

/* The vector of v's upcall and whether it is level-triggered; 0: none. */
static unsigned hv_x86_upcall_vector(struct vcpu *v, bool *level)
{
	uint64_t cb = v->d->hvm_params[HVM_PARAM_CALLBACK_IRQ];

	*level = false;
	if (v->upcall_vector)
		return v->upcall_vector;
	if ((cb >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) == HVM_PARAM_CALLBACK_TYPE_VECTOR) {
		*level = true;
		return cb & 0xff;
	}
	return 0;
}

static void hv_x86_intr_window(struct cpu_x86 *c, bool on)
{
	uint64_t ctl = cpu_x86_vmcs_read(c, CPU_BASED_VM_EXEC_CONTROL);

	ctl = on ? ctl | CPU_BASED_INTR_WINDOW_EXITING : ctl & ~CPU_BASED_INTR_WINDOW_EXITING;
	cpu_x86_vmcs_write(c, CPU_BASED_VM_EXEC_CONTROL, ctl);
}

static bool hv_x86_interruptible(struct cpu_x86 *c)
{
	return (cpu_x86_vmcs_read(c, GUEST_RFLAGS) & X86_FLAG_IF) &&
	       cpu_x86_vmcs_read(c, GUEST_INTERRUPTIBILITY_INFO) == 0;
}

void hv_x86_upcall_update(struct vcpu *v)
{
	struct cpu_x86 *c = hv_x86_cpu(v);
	bool level;
	unsigned vec = hv_x86_upcall_vector(v, &level);
	bool want = vec && (v->upcall_latched || (level && hv_vcpu_upcall_pending(v)));

	if (!want) {
		v->upcall_latched = false;
		hv_x86_intr_window(c, false);
		return;
	}
	uint32_t queued = (uint32_t)cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD);
	if ((queued & INTR_INFO_VALID) &&
	    (queued & (INTR_INFO_TYPE_MASK | INTR_INFO_VECTOR_MASK)) == vec) {
		/* Our vector is already queued for this entry. */
		v->upcall_latched = false;
		hv_x86_intr_window(c, false);
		return;
	}
	if ((queued & INTR_INFO_VALID) || !hv_x86_interruptible(c)) {
		hv_x86_intr_window(c, true);
		return;
	}
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD,
			   INTR_INFO_VALID | (X86_EVENT_EXT_INTR << INTR_INFO_TYPE_SHIFT) | vec);
	v->upcall_latched = false;
	hv_x86_intr_window(c, false);
	hv_trace(v, TRACE_EVTCHN, "EVTCHN upcall vector=0x%x", vec);
}

bool hv_x86_halt_wakeable(struct vcpu *v)
{
	bool level;

	return hv_x86_upcall_vector(v, &level) != 0 &&
	       (cpu_x86_vmcs_read(hv_x86_cpu(v), GUEST_RFLAGS) & X86_FLAG_IF);
}
