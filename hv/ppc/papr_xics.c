/*
 * The pseries interrupt controller as PAPR presents it (LoPAPR 14.5.4.2 and
 * 7.3.x, "XICS"): one presentation controller (ICP) per vcpu, reached with
 * H_XIRR / H_EOI / H_CPPR / H_IPI / H_IPOLL, and one source controller (ICS)
 * configured through RTAS (ibm,set-xive, ibm,get-xive, ibm,int-on,
 * ibm,int-off). hv owns it: it lives in the partition's PAPR state, and the
 * vcpu's external interrupt line (0x500) follows its ICP.
 *
 * An ICP holds CPPR (the current processor priority: only interrupts of a
 * numerically smaller priority are presented), MFRR (the IPI's priority,
 * 0xff = none) and the source being presented. Presentation: the most
 * favoured of the IPI (source 2, priority MFRR) and the asserted ICS sources
 * routed to this server, if its priority is below CPPR.
 *
 * Worked example, an IPI: H_IPI(server 0, mfrr 4) with CPPR 0xff -> the
 * line rises; the guest takes 0x500 and calls H_XIRR -> r4 = 0xff000002
 * (old CPPR, source 2), CPPR = 4, the line drops; its handler sets MFRR to
 * 0xff (H_IPI) and H_EOI(0xff000002) restores CPPR 0xff.
 *
 * ICS sources are level-triggered (one asserted and routed is presented
 * again after its EOI until the device lowers it) or edge-triggered (the
 * vty's, as QEMU's and PowerVM's vio interrupts are message-signalled: the
 * assertion is latched until H_XIRR accepts it, also while the source is
 * masked). Devices reach a source through the event channel core: the
 * vty's is bound to VIRQ_CONSOLE (papr_xics_bind_vty), so console input
 * -> hv_console_input -> VIRQ_CONSOLE -> its port's hv_evtchn_irq -> the
 * source is asserted -> the line of its server rises.
 */
#include "hv/ppc/papr.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/ppc/ppc.h"
#include "hv/ppc/rtas.h"

#define XICS_IPI 2
#define XICS_PRIO_NONE 0xffu

static struct papr_icp *papr_icp(struct domain *d, uint64_t server)
{
	struct papr_domain *p = d->papr;
	return server < p->n_vcpus ? &p->vcpus[server].icp : NULL;
}

static struct papr_ics_src *papr_ics_src(struct domain *d, uint64_t irq)
{
	if (irq < PAPR_XICS_IRQ_BASE || irq >= PAPR_XICS_IRQ_BASE + PAPR_XICS_NR_IRQS)
		return NULL;
	return &d->papr->ics[irq - PAPR_XICS_IRQ_BASE];
}

/* The most favoured interrupt waiting for server s: source and priority
 * (priority XICS_PRIO_NONE: none). */
static uint32_t papr_xics_best(struct domain *d, unsigned s, uint32_t *prio)
{
	struct papr_icp *icp = &d->papr->vcpus[s].icp;
	uint32_t src = 0;

	*prio = XICS_PRIO_NONE;
	if (icp->mfrr < XICS_PRIO_NONE) {
		src = XICS_IPI;
		*prio = icp->mfrr;
	}
	for (unsigned i = 0; i < PAPR_XICS_NR_IRQS; i++) {
		const struct papr_ics_src *q = &d->papr->ics[i];
		if (q->asserted && q->server == s && q->priority < *prio) {
			src = PAPR_XICS_IRQ_BASE + i;
			*prio = q->priority;
		}
	}
	return src;
}

/* Re-evaluate server s's external interrupt line. */
static void papr_xics_update(struct domain *d, unsigned s)
{
	uint32_t prio;

	if (s >= d->n_vcpus || s >= d->papr->n_vcpus)
		return;
	papr_xics_best(d, s, &prio);
	cpu_ppc_set_external_irq(hv_ppc_cpu(d->vcpus[s]), prio < d->papr->vcpus[s].icp.cppr);
}

bool papr_xics_line(struct vcpu *v)
{
	uint32_t prio;

	if (!v->d->papr || v->id >= v->d->papr->n_vcpus)
		return false;
	papr_xics_best(v->d, v->id, &prio);
	return prio < v->d->papr->vcpus[v->id].icp.cppr;
}

void papr_xics_reset_icp(struct papr_icp *icp)
{
	icp->cppr = 0; /* all interrupts blocked until the OS opens CPPR */
	icp->mfrr = XICS_PRIO_NONE;
}

int papr_xics_set_irq(struct domain *d, uint32_t irq, bool level)
{
	struct papr_ics_src *q = papr_ics_src(d, irq);

	if (!q)
		return -1;
	q->asserted = level;
	papr_xics_update(d, q->server);
	return 0;
}

static void papr_xics_vty_raise(struct domain *d, void *opaque)
{
	(void)opaque;
	papr_xics_set_irq(d, PAPR_VTY_IRQ, true);
}

int papr_xics_bind_vty(struct domain *d)
{
	struct papr_domain *p = d->papr;
	int port;

	p->ics[PAPR_VTY_IRQ - PAPR_XICS_IRQ_BASE].edge = true;
	p->vty_irq.name = "XICS 0x1000 (vty)";
	p->vty_irq.raise = papr_xics_vty_raise;
	port = hv_evtchn_bind_virq_irq(d, VIRQ_CONSOLE, &p->vty_irq);
	return port < 0 ? port : 0;
}

/* ------------------------------------------------------------ hcalls */

/* The XIRR H_XIRR would return now, and whether it accepts something. */
static uint32_t papr_xics_xirr(struct domain *d, unsigned s, uint32_t *src, uint32_t *prio)
{
	struct papr_icp *icp = &d->papr->vcpus[s].icp;

	*src = papr_xics_best(d, s, prio);
	if (*prio >= icp->cppr)
		*src = 0;
	return (icp->cppr << 24) | *src;
}

/* H_XIRR() -> r4 = XIRR: accept the presented interrupt (CPPR takes its
 * priority); XISR 0 if there is none. */
long do_h_xirr(struct vcpu *v, const uint64_t a[6])
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	uint32_t src, prio, xirr = papr_xics_xirr(v->d, v->id, &src, &prio);
	(void)a;

	if (src) {
		struct papr_ics_src *q = papr_ics_src(v->d, src);

		v->d->papr->vcpus[v->id].icp.cppr = prio;
		/* An edge is presented once: accepting it consumes it. */
		if (q && q->edge)
			q->asserted = false;
	}
	c->gpr[4] = xirr;
	papr_xics_update(v->d, v->id);
	return H_SUCCESS;
}

/* H_XIRR_X() -> r4 = XIRR, r5 = the time base at acceptance. */
long do_h_xirr_x(struct vcpu *v, const uint64_t a[6])
{
	long rc = do_h_xirr(v, a);

	hv_ppc_cpu(v)->gpr[5] = cpu_ppc_get_tb(hv_ppc_cpu(v));
	return rc;
}

/* H_EOI(xirr): end of the interrupt XISR; CPPR = xirr's top byte. */
long do_h_eoi(struct vcpu *v, const uint64_t a[6])
{
	uint32_t src = (uint32_t)(a[0] & 0xffffff);

	if (a[0] >> 32 || (src != XICS_IPI && !papr_ics_src(v->d, src)))
		return H_PARAMETER;
	v->d->papr->vcpus[v->id].icp.cppr = (uint32_t)(a[0] >> 24) & 0xff;
	papr_xics_update(v->d, v->id);
	return H_SUCCESS;
}

/* H_CPPR(cppr): this processor's priority. */
long do_h_cppr(struct vcpu *v, const uint64_t a[6])
{
	if (a[0] > 0xff)
		return H_PARAMETER;
	v->d->papr->vcpus[v->id].icp.cppr = (uint32_t)a[0];
	papr_xics_update(v->d, v->id);
	return H_SUCCESS;
}

/* H_IPI(server, mfrr): set server's MFRR (0xff: no IPI). */
long do_h_ipi(struct vcpu *v, const uint64_t a[6])
{
	struct papr_icp *icp = papr_icp(v->d, a[0]);

	if (!icp || a[1] > 0xff)
		return H_PARAMETER;
	icp->mfrr = (uint32_t)a[1];
	papr_xics_update(v->d, (unsigned)a[0]);
	return H_SUCCESS;
}

/* H_IPOLL(server) -> r4 = the XIRR H_XIRR would return, r5 = MFRR; nothing
 * is accepted. */
long do_h_ipoll(struct vcpu *v, const uint64_t a[6])
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	struct papr_icp *icp = papr_icp(v->d, a[0]);
	uint32_t src, prio;

	if (!icp)
		return H_PARAMETER;
	c->gpr[4] = papr_xics_xirr(v->d, (unsigned)a[0], &src, &prio);
	c->gpr[5] = icp->mfrr;
	return H_SUCCESS;
}

/* ------------------------------------------------------------ RTAS */

/* ibm,set-xive(irq, server, priority). */
int32_t papr_rtas_set_xive(struct vcpu *v, const uint32_t *args, uint32_t nargs)
{
	struct papr_ics_src *q;
	unsigned old;

	if (nargs < 3 || !(q = papr_ics_src(v->d, args[0])) || !papr_icp(v->d, args[1]) ||
	    args[2] > 0xff)
		return RTAS_PARAMETER_ERROR;
	old = q->server;
	q->server = args[1];
	q->priority = args[2];
	papr_xics_update(v->d, old);
	papr_xics_update(v->d, q->server);
	return RTAS_SUCCESS;
}

/* ibm,get-xive(irq) -> server, priority. */
int32_t papr_rtas_get_xive(struct vcpu *v, const uint32_t *args, uint32_t nargs, uint32_t *rets,
			   uint32_t nret)
{
	struct papr_ics_src *q;

	if (nargs < 1 || nret < 3 || !(q = papr_ics_src(v->d, args[0])))
		return RTAS_PARAMETER_ERROR;
	rets[1] = q->server;
	rets[2] = q->priority;
	return RTAS_SUCCESS;
}

/* ibm,int-off(irq) / ibm,int-on(irq): mask the source keeping its
 * priority, and unmask it. */
int32_t papr_rtas_int_onoff(struct vcpu *v, const uint32_t *args, uint32_t nargs, bool on)
{
	struct papr_ics_src *q;

	if (nargs < 1 || !(q = papr_ics_src(v->d, args[0])))
		return RTAS_PARAMETER_ERROR;
	if (on) {
		if (q->priority == XICS_PRIO_NONE)
			q->priority = q->saved_priority;
	} else if (q->priority != XICS_PRIO_NONE) {
		q->saved_priority = q->priority;
		q->priority = XICS_PRIO_NONE;
	}
	papr_xics_update(v->d, q->server);
	return RTAS_SUCCESS;
}
