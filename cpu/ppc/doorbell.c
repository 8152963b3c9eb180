/*
 * Doorbells (Power ISA v3.0B Book III 9, "Processor Control"): messages one
 * thread sends another, each an exception of the receiving thread.
 *
 *   msgsnd RB   (hypervisor) message type RB[32:36] = 5: a directed
 *               hypervisor doorbell to the thread whose PIR is RB[50:63]
 *   msgclr RB   (hypervisor) type 5: clears this thread's hypervisor doorbell
 *   msgsndp RB  (privileged) type 5: a directed privileged doorbell to the
 *               thread RB[57:63] (TIR) of this sub-processor: its DPDES bit
 *   msgclrp RB  (privileged) type 5: clears this thread's DPDES bit
 *   msgsync     (hypervisor) orders earlier msgsnd: nothing to wait for here
 * Other message types are not implemented by the server processors: the
 * instructions do nothing for them.
 *
 * The exceptions raise interrupts at a TB boundary (cpu.c):
 *   directed hypervisor doorbell 0xE80 when MSR[EE] = 1 or MSR[HV] = 0 --
 *     from a guest always: an exit to hv with HSRR0/1;
 *   directed privileged doorbell 0xA00 when MSR[EE] = 1, to the guest's
 *     kernel with SRR0/1.
 * Taking the interrupt clears its exception (the DPDES bit for 0xA00).
 *
 * From a partition (MSR[HV] = 0) msgsndp and msgclrp need HFSCR[MSGP];
 * without it the hypervisor facility unavailable interrupt 0xF80 exits to hv
 * with HFSCR[IC] = 10, so hv can emulate or refuse them. msgsnd, msgclr and
 * msgsync are hypervisor-privileged (HEA from the guest kernel, like hrfid).
 *
 * softvisor's threads are one per sub-processor (SMT off): TIR is 0 and
 * msgsndp reaches only the sending thread itself. msgsnd finds its target by
 * PIR through the hypervisor's hook (the partition's vcpus).
 */
#include "cpu/ppc/translate.h"
#include "cpu/ppc/cpu_internal.h"
#include "cpu/tb.h"

#define PPC_DBELL_TYPE_SHIFT 27 /* RB[32:36] */
#define PPC_DBELL_TYPE_SERVER 5u
#define PPC_DBELL_PIR_MASK 0x3fffull /* RB[50:63] */
#define PPC_DBELL_TIR_MASK 0x7full   /* RB[57:63] */
#define PPC_HFSCR_MSGP (1ull << 10)  /* bit 53 */
#define PPC_HFSCR_IC_SHIFT 56
#define PPC_HFSCR_IC_MSGP 10ull

static bool ppc_dbell_server(uint64_t rb)
{
	return ((rb >> PPC_DBELL_TYPE_SHIFT) & 0x1f) == PPC_DBELL_TYPE_SERVER;
}

void cpu_ppc_hv_doorbell(struct cpu_ppc *c)
{
	c->hdbell = true;
	c->cpu.halted = false;
}

/* kind: 0 msgsnd, 1 msgclr, 2 msgsndp, 3 msgclrp. */
static uint64_t ppc_helper_msg(struct cpu *cpu, uint64_t rb, uint64_t kind, uint64_t pc,
			       uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u3;

	/* Privileged doorbells from a partition need HFSCR[MSGP]. */
	if (kind >= 2 && !(c->msr & PPC_MSR_HV) && !(c->hfscr & PPC_HFSCR_MSGP)) {
		c->hfscr = (c->hfscr & ~(0xffull << PPC_HFSCR_IC_SHIFT)) |
			   (PPC_HFSCR_IC_MSGP << PPC_HFSCR_IC_SHIFT);
		memset(&c->pending, 0, sizeof(c->pending));
		c->pending.vector = PPC_VEC_HFAC;
		c->pending.srr0 = pc;
		cpu_loop_exit_fault(cpu);
	}
	if (!ppc_dbell_server(rb))
		return 0;
	switch (kind) {
	case 0:
		if ((rb & PPC_DBELL_PIR_MASK) == (c->pir & PPC_DBELL_PIR_MASK))
			cpu_ppc_hv_doorbell(c);
		else if (c->doorbell_send)
			c->doorbell_send(c, (uint32_t)(rb & PPC_DBELL_PIR_MASK));
		break;
	case 1: c->hdbell = false; break;
	case 2:
		/* One thread per sub-processor: only TIR 0 (this one) exists. */
		if ((rb & PPC_DBELL_TIR_MASK) == 0)
			c->dpdes |= 1;
		break;
	default: c->dpdes &= ~1ull; break;
	}
	return 0;
}

void ppc_trans_msg(struct ppc_dc *dc)
{
	ir_call(dc->f, ppc_helper_msg, ppc_ld_gpr(dc, ppc_rb(dc->insn)),
		ir_movi(dc->f, dc->op->arg), ir_movi(dc->f, dc->pc), IR_NO_TEMP);
}
