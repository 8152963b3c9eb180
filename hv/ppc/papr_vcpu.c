/*
 * PAPR's processor hcalls: mode setting (H_SET_MODE), the per-processor
 * areas (H_REGISTER_VPA), dispatch (H_CEDE, H_PROD, H_CONFER), and the small
 * ones a pseries kernel makes at boot (H_GET_CPU_CHARACTERISTICS,
 * H_HOME_NODE_ASSOCIATIVITY, H_RANDOM, H_SET_SPRG0, H_SET_DABR/XDABR).
 * LoPAPR 14.5.4 and 14.11; numbers and flag layouts as in Linux's
 * asm/hvcall.h, which follows it.
 *
 * Worked example, H_CEDE from the idle loop with DEC = 1,000,000:
 *   hv sets MSR[EE] in the caller's SRR1 (H_CEDE returns with interrupts
 *   enabled) and blocks the vcpu (HV_BLOCK_ARCH). With every vcpu blocked,
 *   hv_domain_idle jumps virtual time to papr_wake_deadline = the
 *   instruction at which DEC goes negative; papr_wake_ready then holds, the
 *   vcpu returns from the hcall with r3 = H_SUCCESS and takes the decrementer
 *   interrupt at once. An H_PROD from another vcpu wakes it too.
 */
#include "hv/ppc/papr.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/ppc/ppc.h"
#include "hv/ppc/rtas.h"
#include "hv/time.h"

/* query-cpu-stopped-state's answers. */
#define PAPR_QCSS_STOPPED 0
#define PAPR_QCSS_RUNNING 2

/* H_SET_MODE resources. */
#define H_SET_MODE_RESOURCE_SET_CIABR 1
#define H_SET_MODE_RESOURCE_SET_DAWR0 2
#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE 4
/* DAWRX: HYP (bit 61) may not be set by a partition; CIABR priv 0b11 (HV)
 * neither. */
#define PAPR_DAWRX_HYP 4ull
#define PAPR_CIABR_PRIV_HYPER 3ull

/* H_REGISTER_VPA functions, in flags bits 16:18. */
#define H_VPA_FUNC_SHIFT (63 - 18)
#define H_VPA_FUNC_MASK 7ull
#define H_VPA_REG_VPA 1
#define H_VPA_REG_DTL 2
#define H_VPA_REG_SLB 3
#define H_VPA_DEREG_VPA 5
#define H_VPA_DEREG_DTL 6
#define H_VPA_DEREG_SLB 7
/* The VPA's size is the be16 at offset 4, the DTL's and the SLB shadow's the
 * be32 at offset 4; the VPA is at least 640 bytes, the DTL holds at least
 * one 48-byte entry, the SLB shadow its 8-byte header. The VPA and the SLB
 * shadow may not cross a 4 KiB boundary; the VPA is cache-line aligned. */
#define PAPR_VPA_MIN_SIZE 640
#define PAPR_DTL_MIN_SIZE 48
#define PAPR_SLB_SHADOW_MIN_SIZE 8
#define PAPR_CACHE_LINE 128

/* H_GET_CPU_CHARACTERISTICS. */
#define H_CPU_CHAR_BCCTRL_SERIALISED (1ull << 62)
#define H_CPU_CHAR_COUNT_CACHE_DISABLED (1ull << 56)
#define H_CPU_BEHAV_FAVOUR_SECURITY (1ull << 63)
#define H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY (1ull << 56)
#define H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS (1ull << 55)
#define H_CPU_BEHAV_NO_STF_BARRIER (1ull << 54)

/* H_HOME_NODE_ASSOCIATIVITY identifier kinds. */
#define H_HOME_NODE_VCPU 1
#define H_HOME_NODE_PCPU 2

/* H_SET_XDABR's DABRX. */
#define H_DABRX_USER 1ull
#define H_DABRX_KERNEL 2ull
#define H_DABRX_HYPERVISOR 4ull
#define H_DABRX_BTI 8ull

/* ------------------------------------------------------------ vcpus */

struct papr_vcpu *papr_vcpu_of(struct vcpu *v)
{
	struct papr_domain *p = v->d->papr;
	return v->id < p->n_vcpus ? &p->vcpus[v->id] : NULL;
}

int papr_vcpu_init(struct vcpu *v)
{
	struct papr_domain *p = v->d->papr;

	if (v->id >= p->n_vcpus) {
		p->vcpus = g_renew(struct papr_vcpu, p->vcpus, v->id + 1);
		memset(&p->vcpus[p->n_vcpus], 0, (v->id + 1 - p->n_vcpus) * sizeof(*p->vcpus));
		p->n_vcpus = v->id + 1;
	}
	papr_xics_reset_icp(&p->vcpus[v->id].icp);
	p->vcpus[v->id].confer_to = PAPR_CONFER_NONE;
	papr_vcpu_reset(v);
	/* Global VIRQs belong to vcpu 0: the vty's source is bound with it. */
	if (v->id == 0 && papr_xics_bind_vty(v->d) < 0)
		return -ENOMEM;
	return 0;
}

/* The vcpu whose interrupt server number (= its index, the device tree's
 * ibm,ppc-interrupt-server#s) is id, or NULL. */
static struct vcpu *papr_vcpu_by_id(struct domain *d, uint64_t id)
{
	return id < d->n_vcpus ? d->vcpus[id] : NULL;
}

/* ------------------------------------------------------------ start, stop */

int papr_cpu_stopped_state(struct domain *d, uint64_t id)
{
	struct vcpu *t = papr_vcpu_by_id(d, id);

	if (!t)
		return -1;
	return t->down ? PAPR_QCSS_STOPPED : PAPR_QCSS_RUNNING;
}

/*
 * start-cpu: the stopped processor begins as LoPAPR's start-cpu leaves it
 * (and QEMU's pseries does): 64-bit real mode, big-endian (Linux's
 * secondary entry switches to its own byte order), MSR = SF | ME, pc =
 * start, r3 as given; the partition-wide LPCR (interrupt byte order and
 * location, MMU mode) and the caller's time base. Its clock catches up
 * with the caller's.
 */
int32_t papr_start_cpu(struct vcpu *caller, uint64_t id, uint64_t start, uint64_t r3)
{
	struct vcpu *t = papr_vcpu_by_id(caller->d, id);
	struct cpu_ppc *c, *cc = hv_ppc_cpu(caller);
	uint64_t lpcr;

	if (!t || start >= caller->d->ram_bytes)
		return RTAS_PARAMETER_ERROR;
	if (!t->down)
		return RTAS_HARDWARE_ERROR; /* it is running */
	c = hv_ppc_cpu(t);
	lpcr = cc->lpcr;
	hv_time_advance(t, hv_time_now(caller));
	cpu_ppc_reset_kexec(c, start, r3, 0, 0, false);
	c->lpcr = lpcr;
	c->tb_offset = cc->tb_offset;
	papr_vcpu_reset(t);
	papr_xics_reset_icp(&papr_vcpu_of(t)->icp);
	papr_vcpu_of(t)->prodded = false;
	papr_vcpu_of(t)->confer_to = PAPR_CONFER_NONE;
	t->blocked = false;
	t->block = HV_BLOCK_NONE;
	t->down = false;
	hv_vcpu_update_runstate(t);
	return RTAS_SUCCESS;
}

void papr_stop_self(struct vcpu *v)
{
	struct domain *d = v->d;

	v->down = true;
	hv_vcpu_update_runstate(v);
	cpu_request_exit(v->cpu);
	/* A partition whose every processor stopped can never run again. */
	for (unsigned i = 0; i < d->n_vcpus; i++)
		if (!d->vcpus[i]->down)
			return;
	hv_domain_crash(d, "every processor called stop-self");
}

void papr_stop_secondaries(struct domain *d)
{
	for (unsigned i = 1; i < d->n_vcpus; i++) {
		d->vcpus[i]->down = true;
		hv_vcpu_update_runstate(d->vcpus[i]);
	}
}

/* ------------------------------------------------------------ H_SET_MODE */

void papr_set_lpcr_all(struct domain *d, uint64_t mask, uint64_t bits)
{
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct cpu_ppc *c = hv_ppc_cpu(d->vcpus[i]);
		c->lpcr = (c->lpcr & ~mask) | bits;
		cpu_tlb_flush(&c->cpu);
	}
}

/*
 * H_SET_MODE(mflags, resource, value1, value2): LE sets the partition's
 * interrupt byte order (LPCR[ILE]: mflags 0 big-, 1 little-endian); ADDR_TRANS_MODE
 * its alternate interrupt location (LPCR[AIL] = mflags: 0, 2 or 3); CIABR
 * and DAWR0 this processor's breakpoint registers.
 */
long do_h_set_mode(struct vcpu *v, const uint64_t a[6])
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	uint64_t mflags = a[0], value1 = a[2], value2 = a[3];

	switch (a[1]) {
	case H_SET_MODE_RESOURCE_LE:
		if (value1)
			return H_P3;
		if (value2)
			return H_P4;
		if (mflags > 1)
			return H_UNSUPPORTED_FLAG_START;
		papr_set_lpcr_all(v->d, PPC_LPCR_ILE, mflags ? PPC_LPCR_ILE : 0);
		return H_SUCCESS;
	case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
		if (value1)
			return H_P3;
		if (value2)
			return H_P4;
		if (mflags == 1 || mflags > 3)
			return H_UNSUPPORTED_FLAG_START;
		papr_set_lpcr_all(v->d, PPC_LPCR_AIL, mflags << PPC_LPCR_AIL_SHIFT);
		return H_SUCCESS;
	case H_SET_MODE_RESOURCE_SET_CIABR:
		if (mflags)
			return H_UNSUPPORTED_FLAG_START;
		if (value2)
			return H_P4;
		if ((value1 & 3) == PAPR_CIABR_PRIV_HYPER)
			return H_P3;
		c->ciabr = value1;
		return H_SUCCESS;
	case H_SET_MODE_RESOURCE_SET_DAWR0:
		if (mflags)
			return H_UNSUPPORTED_FLAG_START;
		if (value2 & PAPR_DAWRX_HYP)
			return H_P4;
		c->dawr0 = value1;
		c->dawrx0 = value2;
		return H_SUCCESS;
	default: return H_P2;
	}
}

/* ------------------------------------------------------------ VPA */

static long papr_vpa_size(struct vcpu *v, uint64_t addr, unsigned width, uint32_t *size)
{
	uint8_t b[4];

	if (addr >= v->d->ram_bytes || v->d->ram_bytes - addr < 8)
		return H_PARAMETER;
	if (p2m_copy_from(v->d->p2m, b, addr + 4, width) < 0)
		return H_PARAMETER;
	*size = width == 2 ? (uint32_t)ld16_be_p(b) : (uint32_t)ld32_be_p(b);
	if (*size > v->d->ram_bytes - addr)
		return H_PARAMETER;
	return H_SUCCESS;
}

static bool papr_crosses_page(uint64_t addr, uint32_t size)
{
	return (addr >> 12) != ((addr + size - 1) >> 12);
}

/*
 * H_REGISTER_VPA(flags, proc, addr): register or deregister processor
 * proc's virtual processor area, dispatch trace log or SLB shadow buffer
 * (logical addresses in RAM). The DTL and SLB shadow need a VPA first
 * (H_RESOURCE), and the VPA cannot go while they are registered.
 */
long do_h_register_vpa(struct vcpu *v, const uint64_t a[6])
{
	unsigned func = (unsigned)((a[0] >> H_VPA_FUNC_SHIFT) & H_VPA_FUNC_MASK);
	struct vcpu *t = papr_vcpu_by_id(v->d, a[1]);
	struct papr_vcpu *pv = t ? papr_vcpu_of(t) : NULL;
	uint64_t addr = a[2];
	uint32_t size;
	long rc;

	if (!pv)
		return H_PARAMETER;
	switch (func) {
	case H_VPA_REG_VPA:
		if (addr % PAPR_CACHE_LINE)
			return H_PARAMETER;
		rc = papr_vpa_size(v, addr, 2, &size);
		if (rc != H_SUCCESS)
			return rc;
		if (size < PAPR_VPA_MIN_SIZE || papr_crosses_page(addr, size))
			return H_PARAMETER;
		pv->vpa = addr;
		pv->vpa_size = size;
		return H_SUCCESS;
	case H_VPA_REG_DTL:
		rc = papr_vpa_size(v, addr, 4, &size);
		if (rc != H_SUCCESS)
			return rc;
		if (size < PAPR_DTL_MIN_SIZE)
			return H_PARAMETER;
		if (!pv->vpa)
			return H_RESOURCE;
		pv->dtl = addr;
		pv->dtl_size = size;
		return H_SUCCESS;
	case H_VPA_REG_SLB:
		rc = papr_vpa_size(v, addr, 4, &size);
		if (rc != H_SUCCESS)
			return rc;
		if (size < PAPR_SLB_SHADOW_MIN_SIZE || papr_crosses_page(addr, size))
			return H_PARAMETER;
		if (!pv->vpa)
			return H_RESOURCE;
		pv->slb_shadow = addr;
		pv->slb_shadow_size = size;
		return H_SUCCESS;
	case H_VPA_DEREG_VPA:
		if (pv->dtl || pv->slb_shadow)
			return H_RESOURCE;
		pv->vpa = 0;
		pv->vpa_size = 0;
		return H_SUCCESS;
	case H_VPA_DEREG_DTL:
		pv->dtl = 0;
		pv->dtl_size = 0;
		return H_SUCCESS;
	case H_VPA_DEREG_SLB:
		pv->slb_shadow = 0;
		pv->slb_shadow_size = 0;
		return H_SUCCESS;
	default: return H_PARAMETER;
	}
}

/* ------------------------------------------------------------ small ones */

/* H_GET_CPU_CHARACTERISTICS() -> r4 characteristics, r5 behaviours: an
 * emulated CPU that speculates nothing needs no flush or barrier. */
long do_h_get_cpu_characteristics(struct vcpu *v, const uint64_t a[6])
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	(void)a;

	c->gpr[4] = H_CPU_CHAR_BCCTRL_SERIALISED | H_CPU_CHAR_COUNT_CACHE_DISABLED;
	c->gpr[5] = H_CPU_BEHAV_FAVOUR_SECURITY | H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY |
		    H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS | H_CPU_BEHAV_NO_STF_BARRIER;
	return H_SUCCESS;
}

/* H_HOME_NODE_ASSOCIATIVITY(flags, id) -> r4..r9: the packed associativity
 * list of processor id; one node, so the list is empty (all 0xffff). */
long do_h_home_node_associativity(struct vcpu *v, const uint64_t a[6])
{
	struct cpu_ppc *c = hv_ppc_cpu(v);

	if (a[0] != H_HOME_NODE_VCPU && a[0] != H_HOME_NODE_PCPU)
		return H_PARAMETER;
	if (!papr_vcpu_by_id(v->d, a[1]))
		return H_PARAMETER;
	for (unsigned i = 4; i <= 9; i++)
		c->gpr[i] = ~0ull;
	return H_SUCCESS;
}

/* H_RANDOM() -> r4: 64 bits from a per-partition SplitMix64 sequence with a
 * fixed seed: deterministic, as every input of a run must be. */
long do_h_random(struct vcpu *v, const uint64_t a[6])
{
	struct papr_domain *p = v->d->papr;
	uint64_t z = (p->rng += 0x9e3779b97f4a7c15ull);
	(void)a;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	hv_ppc_cpu(v)->gpr[4] = z ^ (z >> 31);
	return H_SUCCESS;
}

long do_h_set_sprg0(struct vcpu *v, const uint64_t a[6])
{
	hv_ppc_cpu(v)->sprg[0] = a[0];
	return H_SUCCESS;
}

/* H_SET_DABR(dabr): kept (no data address breakpoint is checked yet). */
long do_h_set_dabr(struct vcpu *v, const uint64_t a[6])
{
	struct papr_vcpu *pv = papr_vcpu_of(v);

	pv->dabr = a[0];
	pv->dabrx = H_DABRX_USER | H_DABRX_KERNEL;
	return H_SUCCESS;
}

/* H_SET_XDABR(dabr, dabrx): dabrx may select user and kernel accesses and
 * BTI, never the hypervisor. */
long do_h_set_xdabr(struct vcpu *v, const uint64_t a[6])
{
	struct papr_vcpu *pv = papr_vcpu_of(v);

	if ((a[1] & ~(H_DABRX_USER | H_DABRX_KERNEL | H_DABRX_BTI)) ||
	    !(a[1] & (H_DABRX_USER | H_DABRX_KERNEL)))
		return H_PARAMETER;
	pv->dabr = a[0];
	pv->dabrx = a[1];
	return H_SUCCESS;
}

/* ------------------------------------------------------------ dispatch */

/* Could the ceded v run again: an interrupt it can take (a negative
 * decrementer, the external line) or a prod (consumed here)? */
/* Can u run (not ceded, not stopped)? */
static bool papr_dispatchable(struct vcpu *u)
{
	return !u->blocked && !u->down;
}

/* Has the conferring v's turn come back: a processor it conferred to has
 * run since (its clock passed v's), or none of them can run? */
static bool papr_confer_done(struct vcpu *v, struct papr_vcpu *pv)
{
	struct domain *d = v->d;

	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct vcpu *u = d->vcpus[i];
		if (u == v || (pv->confer_to >= 0 && (unsigned)pv->confer_to != u->id))
			continue;
		if (hv_time_now(u) > pv->confer_at)
			return true;
		if (papr_dispatchable(u))
			return false;
	}
	return true;
}

bool papr_wake_ready(struct vcpu *v)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	struct papr_vcpu *pv = papr_vcpu_of(v);

	if (pv && pv->confer_to != PAPR_CONFER_NONE) {
		if (!papr_confer_done(v, pv))
			return false;
		pv->confer_to = PAPR_CONFER_NONE;
		return true;
	}
	if (pv && pv->prodded) {
		pv->prodded = false;
		return true;
	}
	return c->ext_irq || cpu_ppc_dec_deadline(c) <= cpu_icount(&c->cpu);
}

/* The time (ns) at which the decrementer wakes the ceded v. */
uint64_t papr_wake_deadline(struct vcpu *v)
{
	uint64_t at = cpu_ppc_dec_deadline(hv_ppc_cpu(v)); /* an instruction count */
	return at == UINT64_MAX ? HV_TIME_NONE : hv_time_insns_to_ns(at) + v->idle_ns;
}

/* H_CEDE(): give up the processor until an interrupt (returned with MSR[EE]
 * = 1) or an H_PROD. */
long do_h_cede(struct vcpu *v, const uint64_t a[6])
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	struct papr_vcpu *pv = papr_vcpu_of(v);
	(void)a;

	c->srr1 |= PPC_MSR_EE;
	if (pv->prodded) {
		pv->prodded = false;
		return H_SUCCESS;
	}
	if (!papr_wake_ready(v))
		hv_vcpu_block(v, HV_BLOCK_ARCH);
	return H_SUCCESS;
}

/* H_PROD(proc): wake processor proc from H_CEDE, or make its next H_CEDE
 * return at once. */
long do_h_prod(struct vcpu *v, const uint64_t a[6])
{
	struct vcpu *t = papr_vcpu_by_id(v->d, a[0]);

	if (!t)
		return H_PARAMETER;
	papr_vcpu_of(t)->prodded = true;
	return H_SUCCESS;
}

/*
 * H_CONFER(proc, dispatch): give the rest of this turn to processor proc
 * (-1: to all the others). The caller waits (HV_BLOCK_ARCH, conferring)
 * until one it conferred to has run -- the domain's time front moved past
 * the caller's clock -- or none of them can run; a target that is ceded or
 * stopped makes it return at once.
 */
long do_h_confer(struct vcpu *v, const uint64_t a[6])
{
	struct papr_vcpu *pv = papr_vcpu_of(v);
	struct vcpu *t = NULL;

	if (a[0] != UINT64_MAX && !(t = papr_vcpu_by_id(v->d, a[0])))
		return H_PARAMETER;
	if (t == v)
		return H_SUCCESS;
	pv->confer_to = t ? (int)t->id : -1;
	pv->confer_at = hv_time_now(v);
	if (!papr_confer_done(v, pv))
		hv_vcpu_block(v, HV_BLOCK_ARCH);
	else
		pv->confer_to = PAPR_CONFER_NONE;
	return H_SUCCESS;
}
