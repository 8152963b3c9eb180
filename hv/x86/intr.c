/*
 * Interrupt injection on x86: which pending event the next VM entry
 * delivers, through the software VMCS (SDM 24.8.3: VM-entry
 * interruption-information = valid | type | vector).
 *
 * Sources, in the order Xen's hvm_vcpu_has_pending_irq takes them:
 *   1. an NMI the local APIC accepted (type 2, vector 2; IF does not block
 *      it, but an NMI handler that has not executed IRET yet does: then
 *      NMI-window exiting is turned on, exit 8 comes at that IRET)
 *   2. the domain's event-channel callback (HVM_PARAM_CALLBACK_IRQ of the
 *      vector type): level, raised while evtchn_upcall_pending is set; it
 *      bypasses the APIC (no IRR bit, no EOI), as in Xen
 *   3. the local APIC: the highest IRR vector above the processor priority
 *      (lapic_pending_vector); injecting it is the interrupt acknowledge
 *      (IRR -> ISR), the guest's EOI retires it. The per-vcpu upcall vector
 *      (HVMOP_set_evtchn_upcall_vector) enters here: each 0 -> 1 change of
 *      evtchn_upcall_pending sets its IRR bit (edge), as Xen's vlapic_set_irq.
 *
 * Maskable interrupts go in only if the guest can take one (RFLAGS.IF = 1
 * and no STI / MOV SS shadow) and no other event is queued for the entry.
 * Otherwise interrupt-window exiting is turned on; the window exit (reason 7)
 * comes at the first instruction boundary with interrupts open, and the run
 * driver then injects (hv_vcpu_prepare_run calls hv_x86_intr_update).
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"
#include "hv/shared_info.h"

/* The domain's callback vector when it is pending now, else 0. */
static unsigned intr_callback_vector(struct vcpu *v)
{
	uint64_t cb = v->d->hvm_params[HVM_PARAM_CALLBACK_IRQ];

	if ((cb >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) != HVM_PARAM_CALLBACK_TYPE_VECTOR)
		return 0;
	return hv_vcpu_upcall_pending(v) ? (unsigned)(cb & 0xff) : 0;
}

static void intr_window(struct cpu_x86 *c, bool on)
{
	uint64_t ctl = cpu_x86_vmcs_read(c, CPU_BASED_VM_EXEC_CONTROL);

	ctl = on ? ctl | CPU_BASED_INTR_WINDOW_EXITING : ctl & ~CPU_BASED_INTR_WINDOW_EXITING;
	cpu_x86_vmcs_write(c, CPU_BASED_VM_EXEC_CONTROL, ctl);
}

static void nmi_window(struct cpu_x86 *c, bool on)
{
	uint64_t ctl = cpu_x86_vmcs_read(c, CPU_BASED_VM_EXEC_CONTROL);

	ctl = on ? ctl | CPU_BASED_NMI_WINDOW_EXITING : ctl & ~CPU_BASED_NMI_WINDOW_EXITING;
	cpu_x86_vmcs_write(c, CPU_BASED_VM_EXEC_CONTROL, ctl);
}

static bool intr_interruptible(struct cpu_x86 *c)
{
	return (cpu_x86_vmcs_read(c, GUEST_RFLAGS) & X86_FLAG_IF) &&
	       (cpu_x86_vmcs_read(c, GUEST_INTERRUPTIBILITY_INFO) &
		(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)) == 0;
}

/* An NMI can go in unless the guest's NMI handler has not returned yet
 * (blocking by NMI until IRET, SDM 6.7.1) or a MOV SS / STI shadow is on. */
static bool nmi_injectable(struct cpu_x86 *c)
{
	return cpu_x86_vmcs_read(c, GUEST_INTERRUPTIBILITY_INFO) == 0;
}

static void intr_inject(struct cpu_x86 *c, unsigned type, unsigned vector)
{
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD,
			   INTR_INFO_VALID | (type << INTR_INFO_TYPE_SHIFT) | vector);
}

void hv_x86_intr_update(struct vcpu *v)
{
	struct cpu_x86 *c = hv_x86_cpu(v);
	struct lapic *l = hv_x86_lapic(v);
	uint32_t queued = (uint32_t)cpu_x86_vmcs_read(c, VM_ENTRY_INTR_INFO_FIELD);
	unsigned cb;
	int vec;

	if (v->upcall_latched) {
		if (v->upcall_vector)
			lapic_accept(l, LAPIC_DM_FIXED, v->upcall_vector, false);
		v->upcall_latched = false;
	}
	if (queued & INTR_INFO_VALID) {
		/* One event per entry: the rest waits for the window. The
		 * callback vector already queued is the one we would raise. */
		cb = intr_callback_vector(v);
		bool more = lapic_pending_vector(l) >= 0 ||
			    (cb && (queued & (INTR_INFO_TYPE_MASK | INTR_INFO_VECTOR_MASK)) != cb);
		intr_window(c, more);
		nmi_window(c, l->nmi_pending);
		return;
	}
	/* An NMI the guest cannot take yet waits for the NMI window (exit 8),
	 * which opens at its handler's IRET; maskable interrupts may still go
	 * in meanwhile. */
	nmi_window(c, l->nmi_pending && !nmi_injectable(c));
	if (l->nmi_pending && nmi_injectable(c)) {
		l->nmi_pending = false;
		intr_inject(c, X86_EVENT_NMI, X86_EXC_NMI);
		hv_trace(v, TRACE_IRQ, "IRQ inject NMI");
		intr_window(c, intr_callback_vector(v) || lapic_pending_vector(l) >= 0);
		return;
	}
	cb = intr_callback_vector(v);
	vec = lapic_pending_vector(l);
	if (!cb && vec < 0) {
		intr_window(c, false);
		return;
	}
	if (!intr_interruptible(c)) {
		intr_window(c, true);
		return;
	}
	if (cb) {
		intr_inject(c, X86_EVENT_EXT_INTR, cb);
		hv_trace(v, TRACE_EVTCHN, "EVTCHN upcall vector=0x%x", cb);
		/* The level callback is raised again at the next entry if the
		 * guest leaves evtchn_upcall_pending set; an APIC vector waits
		 * for the window. */
		intr_window(c, vec >= 0);
		return;
	}
	lapic_ack(l, (uint8_t)vec);
	intr_inject(c, X86_EVENT_EXT_INTR, (unsigned)vec);
	hv_trace(v, TRACE_IRQ, "IRQ inject APIC vector=0x%02x", (unsigned)vec);
	intr_window(c, lapic_pending_vector(l) >= 0);
}

bool hv_x86_halt_wakeable(struct vcpu *v)
{
	uint64_t cb = v->d->hvm_params[HVM_PARAM_CALLBACK_IRQ];
	bool has_vector = v->upcall_vector || (cb >> HVM_PARAM_CALLBACK_IRQ_TYPE_SHIFT) ==
						      HVM_PARAM_CALLBACK_TYPE_VECTOR;

	return has_vector && (cpu_x86_vmcs_read(hv_x86_cpu(v), GUEST_RFLAGS) & X86_FLAG_IF);
}
