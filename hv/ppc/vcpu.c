/*
 * POWER vcpus: a CPU in guest state (MSR[HV]=0) whose hypervisor interrupts
 * arrive here.
 */
#include "hv/ppc/ppc.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/ppc/papr.h"
#include "hv/shared_info.h"
#include "hv/time.h"

#define HV_PPC_HFSCR_MSGP (1ull << 10) /* HFSCR bit 53 */

struct cpu_ppc *hv_ppc_cpu(struct vcpu *v)
{
	return cpu_ppc_of(v->cpu);
}

/*
 * The guest's MSR at the exit. While hv handles an HV interrupt the live MSR
 * is the hypervisor's (HV=1, real mode); the caller's was saved in SRR1 by
 * `sc 1` and in HSRR1 by the other hypervisor interrupts.
 */
static uint64_t hv_ppc_caller_msr(struct cpu_ppc *c)
{
	if (c->hv_vector == 0xc00)
		return c->srr1;
	if (c->hv_vector)
		return c->hsrr1;
	return c->msr;
}

/* Guest pointers in hypercalls are effective addresses in the translation
 * the caller ran with. */
static unsigned hv_ppc_data_mmu_idx(struct vcpu *v)
{
	return cpu_ppc_data_mmu_idx(hv_ppc_caller_msr(hv_ppc_cpu(v)));
}

static bool hv_ppc_big_endian(struct vcpu *v)
{
	return !(hv_ppc_caller_msr(hv_ppc_cpu(v)) & PPC_MSR_LE);
}

static uint64_t hv_ppc_guest_tsc(struct vcpu *v)
{
	return cpu_ppc_get_tb(hv_ppc_cpu(v));
}

/* Skipped time moves the time base, and DEC and HDEC, which count down
 * from it. */
static void hv_ppc_time_skip(struct vcpu *v, uint64_t ticks)
{
	hv_ppc_cpu(v)->tb_offset += ticks;
}

/*
 * The Xen personality's upcall on POWER (softvisor's choice: Xen has no
 * POWER port to follow): the external interrupt line (0x500) is raised while
 * evtchn_upcall_pending is set and evtchn_upcall_mask is clear, and lowered
 * otherwise. The guest takes it when MSR[EE] = 1; its handler clears
 * evtchn_upcall_pending and the line drops at the next exit (a hypercall,
 * e.g. EVTCHNOP_unmask, or the end of the vcpu's quantum).
 */
static void hv_ppc_upcall_update(struct vcpu *v)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);

	/* A PAPR partition's line is its XICS presentation controller's. */
	if (v->d->papr) {
		cpu_ppc_set_external_irq(c, papr_xics_line(v));
		return;
	}
	bool level = hv_vcpu_upcall_pending(v) && !hv_vcpu_upcall_masked(v);

	if (level && !c->ext_irq)
		hv_trace(v, TRACE_EVTCHN, "EVTCHN upcall external interrupt 0x500");
	cpu_ppc_set_external_irq(c, level);
	v->upcall_latched = false;
}

/*
 * The guest's decrementer and the hypervisor decrementer as timers of the
 * run driver: the instruction at which the next one becomes due ends the
 * budget (cpu->icount_deadline), so both interrupts arrive at the same
 * instruction whatever the TBs' shapes (breakpoints, single steps, replay).
 * A decrementer already negative but not taken (MSR[EE] = 0) is no
 * deadline: the CPU takes it once EE is set again.
 */
static uint64_t hv_ppc_timer_deadline(struct vcpu *v)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	uint64_t now = cpu_icount(v->cpu), at = UINT64_MAX, t;

	t = cpu_ppc_dec_deadline(c);
	if (t > now && t < at)
		at = t;
	t = (c->lpcr & PPC_LPCR_HDICE) ? cpu_ppc_hdec_deadline(c) : UINT64_MAX;
	if (t > now && t < at)
		at = t;
	return at == UINT64_MAX ? HV_TIME_NONE : hv_time_insns_to_ns(at) + v->idle_ns;
}

/*
 * The time slice, as an HV-mode kernel runs one: at each entry to the
 * partition's vcpu hv programs HDEC with the slice (the time base, and so
 * HDEC, moves one tick per instruction) and enables its interrupt; after
 * quantum instructions HDEC goes negative, the CPU takes the hypervisor
 * decrementer interrupt (0x980, HSRR0 = the next instruction, which has not
 * run) and hv ends the turn (hv_ppc_handle_exit: HV_PREEMPT). Between turns
 * LPCR[HDICE] is off, so a vcpu that blocked leaves no slice behind.
 */
static bool hv_ppc_begin_turn(struct vcpu *v, uint64_t quantum)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);

	/* HDEC = n is negative after n + 1 ticks. */
	cpu_ppc_set_hdec(c, quantum - 1);
	c->lpcr |= PPC_LPCR_HDICE;
	/* The facilities hv lets the partition use without an exit, loaded
	 * at each entry as KVM does: the privileged doorbells (msgsndp and
	 * msgclrp reach only the vcpu's own thread, SMT being off). */
	c->hfscr |= HV_PPC_HFSCR_MSGP;
	return true;
}

static void hv_ppc_end_turn(struct vcpu *v)
{
	hv_ppc_cpu(v)->lpcr &= ~PPC_LPCR_HDICE;
}

static void hv_ppc_vcpu_destroy(struct vcpu *v)
{
	cpu_ppc_free(hv_ppc_cpu(v));
	v->cpu = NULL;
}

static const char *hv_ppc_exit_name(uint32_t vec)
{
	const char *n = ppc_hv_vector_name(vec);
	return n ? n : "?";
}

const struct hv_arch_ops hv_ppc_ops = {
	.name = "ppc64",
	.handle_exit = hv_ppc_handle_exit,
	.data_mmu_idx = hv_ppc_data_mmu_idx,
	.guest_big_endian = hv_ppc_big_endian,
	.exit_name = hv_ppc_exit_name,
	.exit_tag = "HV",
	.vcpu_destroy = hv_ppc_vcpu_destroy,
	.guest_tsc = hv_ppc_guest_tsc,
	.time_skip = hv_ppc_time_skip,
	.upcall_update = hv_ppc_upcall_update,
	.wake_ready = papr_wake_ready,
	.wake_deadline = papr_wake_deadline,
	.timer_deadline = hv_ppc_timer_deadline,
	.begin_turn = hv_ppc_begin_turn,
	.end_turn = hv_ppc_end_turn,
	.domain_save = papr_domain_save,
	.domain_load = papr_domain_load,
};

/* tlbie reaches every processor of the partition: the other vcpus drop
 * their translations too (they are not running: one host thread). */
static void hv_ppc_tlbie_broadcast(struct cpu_ppc *c)
{
	struct vcpu *v = c->cpu.opaque;

	for (unsigned i = 0; i < v->d->n_vcpus; i++)
		if (v->d->vcpus[i] != v)
			cpu_tlb_flush(v->d->vcpus[i]->cpu);
}

/* msgsnd reaches the partition's processor whose PIR is pir (none: the
 * message is lost, as on hardware with no such thread). */
static void hv_ppc_doorbell_send(struct cpu_ppc *c, uint32_t pir)
{
	struct vcpu *v = c->cpu.opaque;

	for (unsigned i = 0; i < v->d->n_vcpus; i++)
		if (hv_ppc_cpu(v->d->vcpus[i])->pir == pir)
			cpu_ppc_hv_doorbell(hv_ppc_cpu(v->d->vcpus[i]));
}

void hv_ppc_kexec_boot(struct vcpu *v, uint64_t entry, uint64_t load_addr)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);

	cpu_ppc_reset_kexec(c, entry, 0, load_addr, 0, (c->msr & PPC_MSR_LE) != 0);
}

struct vcpu *hv_ppc_vcpu_create(struct domain *d, bool little_endian)
{
	struct cpu_ppc *c = cpu_ppc_new(d->p2m, d->tbc, d->n_vcpus, little_endian);
	struct vcpu *v;

	if (!c)
		return NULL;
	/* Shared structures follow the guest's byte order. */
	if (d->big_endian != !little_endian) {
		d->big_endian = !little_endian;
		memset(hv_shared_info(d) + XEN_SHARED_INFO_WC_VERSION, 0, 16);
		hv_time_write_wallclock(d);
	}
	v = hv_vcpu_add(d, &c->cpu, &hv_ppc_ops);
	c->tlbie_broadcast = hv_ppc_tlbie_broadcast;
	c->doorbell_send = hv_ppc_doorbell_send;
	/* A PAPR partition's vcpus translate through its HPT. */
	if (d->papr && papr_vcpu_init(v) < 0)
		return NULL;
	return v;
}
