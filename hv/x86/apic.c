/*
 * The local APICs of an x86 domain: one devices/x86/lapic.c per vcpu, wired
 * to the guest and to each other.
 *
 * Guest access:
 *   xAPIC    the 4 KiB MMIO page at 0xfee00000 (one p2m MMIO region per
 *            domain; the handler answers the APIC of the CPU that makes the
 *            access, as every CPU sees its own APIC there)
 *   x2APIC   RDMSR/WRMSR 0x800..0x8ff, IA32_APIC_BASE (0x1b) and
 *            IA32_TSC_DEADLINE (0x6e0): intercepted in the MSR bitmap, so
 *            they exit (reasons 31/32) to hv_x86_apic_msr
 *   TPR      CR8 loads and stores exit (CR-access exits, reason 28) and read
 *            or write the TPR (SDM 10.8.6.1)
 * The APIC base cannot be moved: the page stays at 0xfee00000 whatever
 * IA32_APIC_BASE[51:12] says (guests keep the default).
 *
 * Interrupts the APICs send (ICR, SELF IPI) are routed here: shorthands,
 * physical and logical destinations (lapic_match_dest); lowest priority goes
 * to the first matching APIC in vcpu order (deterministic; the SDM leaves
 * the choice to the platform). INIT and SIPI drive the vcpu's activity
 * state (SDM 8.4.4.1, 9.1): INIT resets the target CPU and APIC and puts it
 * in wait-for-SIPI, which is Xen's "down" (v->down: it never runs); a
 * start-up IPI to a down vcpu starts it in real mode at CS = vector << 8,
 * IP = 0. Application processors begin down (hv_vcpu_start_offline), as a
 * Xen HVM/PVH domU's do; VCPUOP_initialise/up can start them too.
 *
 * Time: each APIC's clock is its vcpu's virtual time; hv/time.c asks
 * hv_x86_apic_timer_deadline for the budget and calls
 * hv_x86_apic_timer_fire when it is due.
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"
#include "hv/time.h"
#include "mmu/x86/walk.h"

#include <errno.h>
#include <inttypes.h>

struct lapic *hv_x86_lapic(struct vcpu *v)
{
	return &v->x86->lapic;
}

static uint64_t apic_now_ns(void *opaque)
{
	return hv_time_now(opaque);
}

static uint64_t apic_tsc(void *opaque)
{
	return cpu_x86_rdtsc(hv_x86_cpu(opaque));
}

/* A change that may make an interrupt deliverable: a vcpu in the middle of
 * a TB (its own MMIO write) stops at the next TB boundary so that the run
 * driver looks again (hv_vcpu_prepare_run); otherwise it looks anyway before
 * the vcpu runs next. */
static void apic_kick(void *opaque)
{
	struct vcpu *v = opaque;

	if (v->cpu->in_tb)
		cpu_request_exit(v->cpu);
}

void hv_x86_send_nmi(struct vcpu *v)
{
	hv_x86_lapic(v)->nmi_pending = true;
	apic_kick(v);
}

/* INIT (SDM 9.1 table 9-1, 10.4.7.3): the processor's INIT state, the APIC's
 * too (it keeps its ID and base), then wait-for-SIPI: the vcpu is down
 * (Xen's VPF_down, as Xen's vlapic does for INIT). */
static void apic_vcpu_init(struct vcpu *t)
{
	struct cpu_x86 *c = hv_x86_cpu(t);

	lapic_init_reset(hv_x86_lapic(t));
	cpu_x86_reset_init(c);
	cpu_x86_vmcs_write(c, VM_ENTRY_INTR_INFO_FIELD, 0);
	t->upcall_latched = false;
	t->blocked = false;
	t->block = HV_BLOCK_NONE;
	hv_vcpu_start_offline(t);
	hv_trace(t, TRACE_IRQ, "APIC INIT: wait for SIPI");
}

/* Start-up IPI (SDM 8.4.4.1, 10.6.1): only a vcpu waiting for one (down)
 * takes it; it starts in real mode at vector:0000. */
static void apic_vcpu_sipi(struct vcpu *t, uint8_t vector)
{
	if (!t->down)
		return;
	cpu_x86_sipi(hv_x86_cpu(t), vector);
	t->initialised = true;
	t->down = false;
	hv_vcpu_update_runstate(t);
	hv_trace(t, TRACE_IRQ, "APIC SIPI vector=0x%02x: start at 0x%x:0000", vector,
		 (unsigned)vector << 8);
}

static void apic_deliver(struct vcpu *src, struct vcpu *t, const struct lapic_ipi *ipi)
{
	switch (ipi->mode) {
	case LAPIC_DM_INIT:
		/* A CPU cannot INIT itself from the middle of its own
		 * instruction here; nothing in the guests we run does it. */
		if (t == src)
			hv_trace(t, TRACE_IRQ, "APIC INIT to self ignored");
		else
			apic_vcpu_init(t);
		break;
	case LAPIC_DM_STARTUP: apic_vcpu_sipi(t, ipi->vector); break;
	default: lapic_accept(hv_x86_lapic(t), ipi->mode, ipi->vector, ipi->level_trigger); break;
	}
}

static void apic_send_ipi(void *opaque, const struct lapic_ipi *ipi)
{
	struct vcpu *src = opaque;
	struct domain *d = src->d;

	hv_trace(src, TRACE_IRQ, "APIC IPI vector=0x%02x mode=%u shorthand=%u %s dest=0x%x",
		 ipi->vector, ipi->mode, ipi->shorthand, ipi->logical ? "logical" : "physical",
		 ipi->dest);
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct vcpu *t = d->vcpus[i];
		bool hit;

		switch (ipi->shorthand) {
		case LAPIC_SHORTHAND_SELF: hit = t == src; break;
		case LAPIC_SHORTHAND_ALL: hit = true; break;
		case LAPIC_SHORTHAND_OTHERS: hit = t != src; break;
		default: hit = lapic_match_dest(hv_x86_lapic(t), ipi->dest, ipi->logical); break;
		}
		if (!hit)
			continue;
		apic_deliver(src, t, ipi);
		if (ipi->mode == LAPIC_DM_LOWEST && ipi->shorthand == LAPIC_SHORTHAND_NONE)
			break;
	}
}

static const struct lapic_ops hv_x86_lapic_ops = {
	.now_ns = apic_now_ns,
	.tsc = apic_tsc,
	.send_ipi = apic_send_ipi,
	.kick = apic_kick,
};

/* The xAPIC page: the accessing CPU's own APIC. */
static int apic_mmio_read(void *opaque, unsigned cpu, uint64_t gpa, unsigned size, uint64_t *val)
{
	struct domain *d = opaque;

	if (cpu >= d->n_vcpus)
		return -1;
	*val = lapic_mmio_read(hv_x86_lapic(d->vcpus[cpu]), (uint32_t)(gpa & 0xfff), size);
	return 0;
}

static int apic_mmio_write(void *opaque, unsigned cpu, uint64_t gpa, unsigned size, uint64_t val)
{
	struct domain *d = opaque;

	if (cpu >= d->n_vcpus)
		return -1;
	lapic_mmio_write(hv_x86_lapic(d->vcpus[cpu]), (uint32_t)(gpa & 0xfff), size, val);
	return 0;
}

static const struct mmio_ops hv_x86_apic_mmio = {
	.read = apic_mmio_read,
	.write = apic_mmio_write,
};

int hv_x86_apic_create(struct vcpu *v)
{
	struct cpu_x86 *c = hv_x86_cpu(v);
	struct vmcs *vm = &c->vmcs;
	int rc;

	v->x86 = g_new0(struct hv_x86_vcpu, 1);
	v->x86->lapic_ops = hv_x86_lapic_ops;
	v->x86->lapic_ops.opaque = v;
	lapic_init(&v->x86->lapic, &v->x86->lapic_ops, v->id, v->id == 0);
	vmcs_msr_intercept(vm, MSR_IA32_APIC_BASE, true, true);
	vmcs_msr_intercept(vm, LAPIC_MSR_TSC_DEADLINE, true, true);
	for (uint32_t msr = LAPIC_MSR_X2APIC_FIRST; msr <= LAPIC_MSR_X2APIC_LAST; msr++)
		vmcs_msr_intercept(vm, msr, true, true);
	cpu_x86_vmcs_write(c, CPU_BASED_VM_EXEC_CONTROL,
			   cpu_x86_vmcs_read(c, CPU_BASED_VM_EXEC_CONTROL) |
				   CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING);
	if (v->id == 0) {
		rc = p2m_add_mmio(v->d->p2m, LAPIC_DEFAULT_BASE >> SV_PAGE_BITS, 1,
				  &hv_x86_apic_mmio, v->d);
		if (rc < 0)
			return rc;
	} else {
		/* Application processors wait for INIT-SIPI-SIPI. */
		hv_vcpu_start_offline(v);
	}
	return 0;
}

void hv_x86_apic_destroy(struct vcpu *v)
{
	g_free(v->x86);
	v->x86 = NULL;
}

bool hv_x86_apic_msr(uint32_t msr)
{
	return msr == MSR_IA32_APIC_BASE || msr == LAPIC_MSR_TSC_DEADLINE ||
	       (msr >= LAPIC_MSR_X2APIC_FIRST && msr <= LAPIC_MSR_X2APIC_LAST);
}

int hv_x86_apic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	struct lapic *l = hv_x86_lapic(v);

	switch (msr) {
	case MSR_IA32_APIC_BASE: *val = lapic_get_base(l); return 0;
	case LAPIC_MSR_TSC_DEADLINE: *val = lapic_tsc_deadline_read(l); return 0;
	default: return lapic_msr_read(l, msr, val);
	}
}

int hv_x86_apic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct lapic *l = hv_x86_lapic(v);

	switch (msr) {
	case MSR_IA32_APIC_BASE: return lapic_set_base(l, val, X86_MAXPHYADDR);
	case LAPIC_MSR_TSC_DEADLINE: lapic_tsc_deadline_write(l, val); return 0;
	default: return lapic_msr_write(l, msr, val);
	}
}

uint64_t hv_x86_apic_timer_deadline(struct vcpu *v)
{
	uint64_t t = lapic_timer_deadline(hv_x86_lapic(v));

	return t == LAPIC_TIME_NONE ? HV_TIME_NONE : t;
}

void hv_x86_apic_timer_fire(struct vcpu *v)
{
	lapic_timer_fire(hv_x86_lapic(v));
}

bool hv_x86_wake_ready(struct vcpu *v)
{
	struct lapic *l = hv_x86_lapic(v);

	/* Halted (SDM 6.x HLT): an NMI (unless an NMI handler is still
	 * running), or an interrupt the CPU can take. */
	if (l->nmi_pending &&
	    !(cpu_x86_vmcs_read(hv_x86_cpu(v), GUEST_INTERRUPTIBILITY_INFO) & GUEST_INTR_STATE_NMI))
		return true;
	return (cpu_x86_vmcs_read(hv_x86_cpu(v), GUEST_RFLAGS) & X86_FLAG_IF) &&
	       lapic_pending_vector(l) >= 0;
}

uint64_t hv_x86_wake_deadline(struct vcpu *v)
{
	struct lapic *l = hv_x86_lapic(v);

	if (v->block != HV_BLOCK_HALT ||
	    !(cpu_x86_vmcs_read(hv_x86_cpu(v), GUEST_RFLAGS) & X86_FLAG_IF) ||
	    (l->lvt[0] & LAPIC_LVT_MASKED))
		return HV_TIME_NONE;
	return hv_x86_apic_timer_deadline(v);
}

/* Snapshots: the vcpu's local APIC (hv_arch_ops.vcpu_save/load). */
void hv_x86_vcpu_save(struct vcpu *v, struct sv_snap_w *w)
{
	lapic_save(&v->x86->lapic, w);
}

int hv_x86_vcpu_load(struct vcpu *v, struct sv_snap_r *r)
{
	return lapic_load(&v->x86->lapic, r);
}
