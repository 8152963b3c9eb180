/*
 * The POWER HV-interrupt handler: the one choke point for every exit.
 *
 * 0xC00 with the caller in guest supervisor state is a hypervisor call. The
 * Xen ABI on POWER: r3 = hypercall number, r4..r9 = arguments, result in r3.
 * (The CPU already turned `sc 1` from problem state into a program
 * interrupt for the guest, so every 0xC00 here comes from supervisor state.)
 */
#include "hv/ppc/ppc.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/hypercall.h"

#include <inttypes.h>

static enum hv_exit_action hv_ppc_hcall(struct vcpu *v, struct cpu_ppc *c)
{
	uint64_t args[6];
	long rc;

	for (unsigned i = 0; i < 6; i++)
		args[i] = c->gpr[4 + i];
	rc = hv_hypercall_dispatch(v, v->d->hypercalls, c->gpr[3], args,
				   (c->srr1 & PPC_MSR_PR) != 0);
	if (v->hcall_preempted) {
		/* A continuation: return to the `sc 1` itself (SRR0 points past
		 * it), r3 still the number, r4..r9 what is left to do. */
		for (unsigned i = 0; i < 6; i++)
			c->gpr[4 + i] = v->hcall_args[i];
		c->srr0 -= 4;
	} else {
		c->gpr[3] = (uint64_t)rc;
	}
	cpu_ppc_hv_return(c);
	if (v->d->shut_down)
		return HV_STOP;
	return v->blocked ? HV_BLOCK : HV_RESUME;
}

enum hv_exit_action hv_ppc_handle_exit(struct vcpu *v)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	struct domain *d = v->d;
	struct cpu_exit *e = &v->cpu->exit;
	struct trace *tr = &d->hv->trace;
	const char *name = ppc_hv_vector_name(e->reason);

	hv_stats_exit(v, e->reason);
	if (trace_on(tr, TRACE_EXITS)) {
		GString *detail = g_string_new(NULL);

		hv_ppc_exit_describe(v, e, detail);
		/* sc 1 saves the MSR in SRR1, the other HV interrupts in HSRR1. */
		trace_printf(tr,
			     "%" PRIu64 " d%uv%u HV 0x%x %s pc=0x%" PRIx64 " %s=0x%" PRIx64 "%s\n",
			     cpu_icount(v->cpu), d->domid, v->id, e->reason, name ? name : "?",
			     e->pc, e->reason == PPC_VEC_SYSTEM_CALL ? "srr1" : "hsrr1",
			     e->reason == PPC_VEC_SYSTEM_CALL ? c->srr1 : c->hsrr1, detail->str);
		g_string_free(detail, TRUE);
	}

	switch (e->reason) {
	case PPC_VEC_SYSTEM_CALL: return hv_ppc_hcall(v, c);
	case PPC_VEC_HEA:
	case PPC_VEC_HFAC:
		/*
		 * hv emulates no instruction and enables no facility beyond
		 * HFSCR: as KVM's HV exit path does for an instruction it does
		 * not emulate, the guest's kernel gets an illegal-instruction
		 * program interrupt at it (HSRR0).
		 */
		cpu_ppc_hv_return(c);
		cpu_ppc_deliver(c, PPC_VEC_PROGRAM, c->pc, PPC_SRR1_PROG_ILLEGAL);
		return HV_RESUME;
	case PPC_VEC_HDOORBELL:
		/* A doorbell hv rang to bring the vcpu here (msgsnd): it is
		 * here; nothing else to do. */
		cpu_ppc_hv_return(c);
		return HV_RESUME;
	case PPC_VEC_HDEC:
		/* The slice hv armed at the turn's start ran out
		 * (hv_ppc_begin_turn): the guest resumes there next turn. */
		cpu_ppc_hv_return(c);
		return HV_PREEMPT;
	case 0xe00:
	case 0xe20:
		hv_domain_crash(d,
				"%s: guest accessed gpa 0x%" PRIx64
				" (no RAM or MMIO there) at pc=0x%" PRIx64,
				name, e->gpa, e->pc);
		return HV_STOP;
	default:
		hv_domain_crash(d, "unhandled HV interrupt 0x%x (%s) at pc=0x%" PRIx64, e->reason,
				name ? name : "?", e->pc);
		return HV_STOP;
	}
}
