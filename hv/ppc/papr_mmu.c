/*
 * PAPR's hashed page table hcalls (LoPAPR 14.5.4.1, "Page frame table
 * access") on an HPT the hypervisor owns, and H_PAGE_INIT.
 *
 * The HPT: 2^hpt_shift bytes (RAM/128 rounded up to a power of 2, at least
 * 256 KiB: the device tree's ibm,pft-size), allocated from hv's frames at
 * domain creation and mapped at PAPR_HPT_GPA with type P2M_HV_TABLE (see
 * papr.h for why the guest cannot reach it); every vcpu's SDR1 points there.
 * The HPTEs are in the POWER8 (ISA v2.07) form, which is also what H_ENTER
 * and H_READ exchange, so no conversion is needed:
 *   dw0: B (0:1) AVPN (2:56) SW (57:60) L (61) H (62) V (63)
 *   dw1: PP0 (0) Key (2:3) ARPN (4:51, low bits LP for large pages)
 *        Key (52:54) R (55) C (56) WIMG (57:60) N (61) PP (62:63)
 *
 * Worked example, H_ENTER(flags 0, ptex 0x1238, dw0 = AVPN|V, dw1 = 0x4000|PP):
 *   ptex & ~7 = 0x1238 is the PTEG; its first slot with V = 0, say 0x123a,
 *   gets the entry (dw1's logical page 0x4000 is checked to lie in RAM);
 *   r3 = H_SUCCESS, r4 = 0x123a. H_REMOVE(H_AVPN, 0x123a, avpn) later
 *   compares dw0 without its low 7 bits to avpn, clears the slot, returns the
 *   old entry in r4/r5 and flushes every vcpu's TLB, as tlbie would.
 *
 * Every ptex is checked against the HPT's size and every logical address
 * against the partition's RAM (H_PARAMETER), before anything changes.
 */
#include "hv/ppc/papr.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/ppc/ppc.h"

#include <errno.h>

/* H_ENTER / H_REMOVE / H_READ / H_PROTECT flags (ISA bit numbers in r4). */
#define H_EXACT (1ull << (63 - 24))
#define H_R_XLATE (1ull << (63 - 25))
#define H_READ_4 (1ull << (63 - 26))
#define H_AVPN (1ull << (63 - 32))
#define H_ANDCOND (1ull << (63 - 33))
#define H_ICACHE_INVALIDATE (1ull << (63 - 40))
#define H_ICACHE_SYNCHRONIZE (1ull << (63 - 41))
#define H_ZERO_PAGE (1ull << (63 - 48))
#define H_COPY_PAGE (1ull << (63 - 49))
/* H_PROTECT's new protection: pp0 (bit 55), key 0:1 (50:51), key 2:4
 * (52:54), N (61), pp 1:2 (62:63). */
#define H_PROTECT_PP0 (1ull << 8)
#define H_PROTECT_KEY_HI (3ull << 12)
#define H_PROTECT_LOW 0xe07ull /* key 2:4, N, pp 1:2: dw1's own positions */

/* H_BULK_REMOVE translation specifiers (high doubleword). */
#define H_BULK_REMOVE_TYPE 0xc000000000000000ull
#define H_BULK_REMOVE_REQUEST 0x4000000000000000ull
#define H_BULK_REMOVE_RESPONSE 0x8000000000000000ull
#define H_BULK_REMOVE_END 0xc000000000000000ull
#define H_BULK_REMOVE_CODE 0x3000000000000000ull
#define H_BULK_REMOVE_SUCCESS 0x0000000000000000ull
#define H_BULK_REMOVE_NOT_FOUND 0x1000000000000000ull
#define H_BULK_REMOVE_PARM 0x2000000000000000ull
#define H_BULK_REMOVE_RC 0x0c00000000000000ull
#define H_BULK_REMOVE_FLAGS 0x0300000000000000ull
#define H_BULK_REMOVE_ABSOLUTE 0x0000000000000000ull
#define H_BULK_REMOVE_ANDCOND 0x0100000000000000ull
#define H_BULK_REMOVE_AVPN 0x0200000000000000ull
#define H_BULK_REMOVE_PTEX 0x00ffffffffffffffull
#define H_BULK_REMOVE_MAX_BATCH 4

/* H_REGISTER_PROC_TBL flags. */
#define PROC_TABLE_OP_MASK 0x18ull
#define PROC_TABLE_DEREG 0x10ull
#define PROC_TABLE_NEW 0x18ull
#define PROC_TABLE_TYPE_MASK 0x06ull
#define PROC_TABLE_HPT_SLB 0x00ull
#define PROC_TABLE_GTSE 0x01ull

/* HPTE fields (v2.07). */
#define HPTE_V_VALID 1ull
#define HPTE_V_LARGE 4ull
#define HPTE_V_AVPN_B (~0x7full) /* what H_AVPN compares */
#define HPTE_R_PP0 (1ull << 63)
#define HPTE_R_KEY_HI (3ull << 60)
#define HPTE_R_RPN 0x0ffffffffffff000ull
#define HPTE_R_KEY_LO 0xe00ull
#define HPTE_R_R 0x100ull
#define HPTE_R_C 0x80ull
#define HPTE_R_N 4ull
#define HPTE_R_PP 3ull
#define HPTE_R_LP_SHIFT 12

/* ------------------------------------------------------------ the HPT */

unsigned papr_hpt_shift_for(uint64_t ram_bytes)
{
	unsigned shift = 18;

	while (shift < 46 && (1ull << shift) < ram_bytes / 128)
		shift++;
	return shift;
}

void papr_tlb_flush_all(struct domain *d)
{
	for (unsigned i = 0; i < d->n_vcpus; i++)
		cpu_tlb_flush(d->vcpus[i]->cpu);
}

/* A zeroed frame of hv's mapped at gfn as P2M_HV_TABLE with no access:
 * only the walkers (p2m_table_read) and hv, through *host, see it. */
static int papr_hv_table_frame(struct domain *d, uint64_t gfn, uint8_t **host)
{
	struct machmem *mem = &d->hv->mem;
	int64_t mfn = machmem_alloc(mem, d->domid);
	int rc;

	if (mfn < 0)
		return -ENOMEM;
	rc = p2m_set(d->p2m, gfn, (uint64_t)mfn, P2M_HV_TABLE, 0);
	machmem_put(mem, (uint64_t)mfn); /* the mapping holds the frame now */
	if (rc < 0)
		return rc;
	*host = machmem_ptr(mem, (uint64_t)mfn);
	return 0;
}

int papr_domain_init(struct domain *d)
{
	struct papr_domain *p = g_new0(struct papr_domain, 1);
	uint64_t n_pages;
	int rc;

	p->hpt_shift = papr_hpt_shift_for(d->ram_bytes);
	p->n_hptes = (1ull << p->hpt_shift) / 16;
	n_pages = (1ull << p->hpt_shift) >> SV_PAGE_BITS;
	p->hpt_pages = g_new0(uint8_t *, n_pages);
	p->rng = 0x9e3779b97f4a7c15ull; /* fixed seed: runs are deterministic */
	for (unsigned i = 0; i < PAPR_XICS_NR_IRQS; i++)
		p->ics[i].priority = p->ics[i].saved_priority = 0xff;
	d->papr = p;
	if (papr_nvram_init(p) < 0)
		return -ENOMEM;
	rc = papr_hv_table_frame(d, PAPR_PATB_GPA >> SV_PAGE_BITS, &p->patb);
	if (rc < 0)
		return rc;
	for (uint64_t i = 0; i < n_pages; i++) {
		rc = papr_hv_table_frame(d, (PAPR_HPT_GPA >> SV_PAGE_BITS) + i, &p->hpt_pages[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void papr_domain_destroy(struct domain *d)
{
	if (!d->papr)
		return;
	/* The frames go with the p2m. */
	g_free(d->papr->hpt_pages);
	g_free(d->papr->nvram);
	g_free(d->papr->vcpus);
	g_free(d->papr);
	d->papr = NULL;
}

static uint8_t *hpte_ptr(struct papr_domain *p, uint64_t ptex)
{
	uint64_t off = ptex * 16;
	return p->hpt_pages[off >> SV_PAGE_BITS] + (off & ~SV_PAGE_MASK);
}

static void hpte_get(struct papr_domain *p, uint64_t ptex, uint64_t *d0, uint64_t *d1)
{
	const uint8_t *h = hpte_ptr(p, ptex);
	*d0 = ld64_be_p(h);
	*d1 = ld64_be_p(h + 8);
}

static void hpte_set(struct papr_domain *p, uint64_t ptex, uint64_t d0, uint64_t d1)
{
	uint8_t *h = hpte_ptr(p, ptex);
	st64_be_p(h + 8, d1);
	st64_be_p(h, d0);
}

/*
 * The page an HPTE maps: its size from L and LP (the encodings
 * ibm,segment-page-sizes advertises: 4 KiB; 64 KiB, LP = xxx1 or xx0111 in
 * a 4K segment; 16 MiB, LP = 0, 0x08 or 0x38) and its logical address. false
 * for an encoding no segment could use.
 */
static bool hpte_page(uint64_t d0, uint64_t d1, uint64_t *gpa, uint64_t *size)
{
	unsigned lp = (d1 >> HPTE_R_LP_SHIFT) & 0xff;

	if (!(d0 & HPTE_V_LARGE))
		*size = 1ull << 12;
	else if ((lp & 0xf) == 0x1 || (lp & 0xf) == 0x7)
		*size = 1ull << 16;
	else if (lp == 0x00 || lp == 0x08 || lp == 0x38)
		*size = 1ull << 24;
	else
		return false;
	*gpa = d1 & HPTE_R_RPN & ~(*size - 1);
	return true;
}

static bool papr_ram_range(struct domain *d, uint64_t gpa, uint64_t size)
{
	return gpa < d->ram_bytes && size <= d->ram_bytes - gpa;
}

/* The checks H_REMOVE and H_PROTECT share: the entry exists, and matches. */
static long hpte_match(uint64_t flags, uint64_t d0, uint64_t avpn)
{
	if (!(d0 & HPTE_V_VALID))
		return H_NOT_FOUND;
	if ((flags & H_AVPN) && (d0 & HPTE_V_AVPN_B) != avpn)
		return H_NOT_FOUND;
	if ((flags & H_ANDCOND) && (d0 & avpn))
		return H_NOT_FOUND;
	return H_SUCCESS;
}

/* ------------------------------------------------------------ hcalls */

/*
 * H_ENTER(flags, ptex, pteh, ptel) -> r4 = the ptex used. Not H_EXACT: the
 * first free slot of ptex's PTEG; H_EXACT: slot ptex itself, which must be
 * free. No free slot: H_PTEG_FULL.
 */
long do_h_enter(struct vcpu *v, const uint64_t a[6])
{
	struct papr_domain *p = v->d->papr;
	uint64_t flags = a[0], ptex = a[1], d0 = a[2], d1 = a[3], gpa, size, od0, od1;
	uint64_t slot = ptex;
	bool found = false;

	/* Step 1: the arguments. */
	if (ptex >= p->n_hptes || !(d0 & HPTE_V_VALID))
		return H_PARAMETER;
	if (!hpte_page(d0, d1, &gpa, &size) || !papr_ram_range(v->d, gpa, size))
		return H_PARAMETER;
	/* Step 2: the slot. */
	if (flags & H_EXACT) {
		hpte_get(p, ptex, &od0, &od1);
		found = !(od0 & HPTE_V_VALID);
	} else {
		for (slot = ptex & ~7ull; slot < (ptex & ~7ull) + 8; slot++) {
			hpte_get(p, slot, &od0, &od1);
			if (!(od0 & HPTE_V_VALID)) {
				found = true;
				break;
			}
		}
	}
	if (!found)
		return H_PTEG_FULL;
	/* Step 3: the page, then the entry (an empty slot: no TLB holds it). */
	if (flags & H_ZERO_PAGE) {
		static const uint8_t zero[4096];
		for (uint64_t off = 0; off < size; off += sizeof(zero))
			if (p2m_copy_to(v->d->p2m, gpa + off, zero, sizeof(zero)) < 0)
				return H_PARAMETER;
	}
	hpte_set(p, slot, d0, d1);
	hv_ppc_cpu(v)->gpr[4] = slot;
	return H_SUCCESS;
}

/* H_REMOVE(flags, ptex, avpn) -> r4, r5 = the old entry. */
long do_h_remove(struct vcpu *v, const uint64_t a[6])
{
	struct papr_domain *p = v->d->papr;
	struct cpu_ppc *c = hv_ppc_cpu(v);
	uint64_t d0, d1;
	long rc;

	if (a[1] >= p->n_hptes)
		return H_PARAMETER;
	hpte_get(p, a[1], &d0, &d1);
	rc = hpte_match(a[0], d0, a[2]);
	if (rc != H_SUCCESS)
		return rc;
	hpte_set(p, a[1], 0, 0);
	papr_tlb_flush_all(v->d);
	c->gpr[4] = d0;
	c->gpr[5] = d1;
	return H_SUCCESS;
}

/* H_READ(flags, ptex) -> r4, r5 = the entry; with H_READ_4, the four
 * entries from ptex & ~3 in r4..r11. */
long do_h_read(struct vcpu *v, const uint64_t a[6])
{
	struct papr_domain *p = v->d->papr;
	struct cpu_ppc *c = hv_ppc_cpu(v);
	uint64_t ptex = a[1];
	unsigned n = 1;

	if (ptex >= p->n_hptes)
		return H_PARAMETER;
	if (a[0] & H_READ_4) {
		ptex &= ~3ull;
		n = 4;
	}
	/* H_R_XLATE: logical and real addresses are the same here. */
	for (unsigned i = 0; i < n; i++)
		hpte_get(p, ptex + i, &c->gpr[4 + 2 * i], &c->gpr[5 + 2 * i]);
	return H_SUCCESS;
}

/* H_PROTECT(flags, ptex, avpn): new pp0, key, N, pp from flags. */
long do_h_protect(struct vcpu *v, const uint64_t a[6])
{
	struct papr_domain *p = v->d->papr;
	uint64_t flags = a[0], d0, d1;
	long rc;

	if (a[1] >= p->n_hptes)
		return H_PARAMETER;
	hpte_get(p, a[1], &d0, &d1);
	rc = hpte_match(flags & H_AVPN, d0, a[2]);
	if (rc != H_SUCCESS)
		return rc;
	d1 &= ~(HPTE_R_PP0 | HPTE_R_KEY_HI | HPTE_R_KEY_LO | HPTE_R_N | HPTE_R_PP);
	d1 |= (flags & H_PROTECT_PP0) << 55;
	d1 |= (flags & H_PROTECT_KEY_HI) << 48;
	d1 |= flags & H_PROTECT_LOW;
	hpte_set(p, a[1], d0, d1);
	papr_tlb_flush_all(v->d);
	return H_SUCCESS;
}

/*
 * H_BULK_REMOVE(4 pairs of (specifier, avpn) in r4..r11): each request
 * removes like H_REMOVE (flags absolute, andcond or avpn) and becomes a
 * response with its code and the entry's R and C bits. An END ends the list;
 * anything else, or a bad ptex, stops with H_PARAMETER.
 */
long do_h_bulk_remove(struct vcpu *v, const uint64_t a[6])
{
	struct papr_domain *p = v->d->papr;
	struct cpu_ppc *c = hv_ppc_cpu(v);
	bool flush = false;
	long ret = H_SUCCESS;

	(void)a; /* the 8 arguments are r4..r11, read from the registers */
	for (unsigned i = 0; i < H_BULK_REMOVE_MAX_BATCH; i++) {
		uint64_t *spec = &c->gpr[4 + 2 * i], avpn = c->gpr[5 + 2 * i];
		uint64_t ptex = *spec & H_BULK_REMOVE_PTEX, kind = *spec & H_BULK_REMOVE_FLAGS;
		uint64_t flags = 0, d0, d1, code;

		if ((*spec & H_BULK_REMOVE_TYPE) == H_BULK_REMOVE_END)
			break;
		if ((*spec & H_BULK_REMOVE_TYPE) != H_BULK_REMOVE_REQUEST ||
		    kind == H_BULK_REMOVE_FLAGS || ptex >= p->n_hptes) {
			*spec = (*spec & ~(H_BULK_REMOVE_TYPE | H_BULK_REMOVE_CODE)) |
				H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM;
			ret = H_PARAMETER;
			break;
		}
		if (kind == H_BULK_REMOVE_ANDCOND)
			flags = H_ANDCOND;
		else if (kind == H_BULK_REMOVE_AVPN)
			flags = H_AVPN;
		hpte_get(p, ptex, &d0, &d1);
		code = H_BULK_REMOVE_NOT_FOUND;
		if (hpte_match(flags, d0, avpn) == H_SUCCESS) {
			hpte_set(p, ptex, 0, 0);
			flush = true;
			code = H_BULK_REMOVE_SUCCESS | ((d1 & (HPTE_R_R | HPTE_R_C)) << 51);
		}
		*spec = (*spec & ~(H_BULK_REMOVE_TYPE | H_BULK_REMOVE_CODE | H_BULK_REMOVE_RC)) |
			H_BULK_REMOVE_RESPONSE | code;
	}
	if (flush)
		papr_tlb_flush_all(v->d);
	return ret;
}

/* H_CLEAR_MOD / H_CLEAR_REF(flags, ptex) -> r4 = dw1 before the bit was
 * cleared. The TLBs are flushed so the next access sets the bit again. */
static long papr_clear_bit(struct vcpu *v, const uint64_t a[6], uint64_t bit)
{
	struct papr_domain *p = v->d->papr;
	uint64_t d0, d1;

	if (a[0] || a[1] >= p->n_hptes)
		return H_PARAMETER;
	hpte_get(p, a[1], &d0, &d1);
	if (!(d0 & HPTE_V_VALID))
		return H_NOT_FOUND;
	hv_ppc_cpu(v)->gpr[4] = d1;
	if (d1 & bit) {
		hpte_set(p, a[1], d0, d1 & ~bit);
		papr_tlb_flush_all(v->d);
	}
	return H_SUCCESS;
}

long do_h_clear_mod(struct vcpu *v, const uint64_t a[6])
{
	return papr_clear_bit(v, a, HPTE_R_C);
}

long do_h_clear_ref(struct vcpu *v, const uint64_t a[6])
{
	return papr_clear_bit(v, a, HPTE_R_R);
}

/*
 * H_PAGE_INIT(flags, dest, src): zero (H_ZERO_PAGE) or copy (H_COPY_PAGE)
 * a 4 KiB logical page; the cache flags are no-ops (coherent memory, and
 * translated code is invalidated by the write itself).
 */
long do_h_page_init(struct vcpu *v, const uint64_t a[6])
{
	uint64_t flags = a[0], dest = a[1], src = a[2];
	uint8_t buf[4096];

	if ((dest & 0xfff) || !papr_ram_range(v->d, dest, 4096))
		return H_PARAMETER;
	if (flags & H_COPY_PAGE) {
		if ((src & 0xfff) || !papr_ram_range(v->d, src, 4096))
			return H_PARAMETER;
		if (p2m_copy_from(v->d->p2m, buf, src, sizeof(buf)) < 0)
			return H_PARAMETER;
	} else if (flags & H_ZERO_PAGE) {
		memset(buf, 0, sizeof(buf));
	} else {
		return H_SUCCESS; /* cache management only */
	}
	if (p2m_copy_to(v->d->p2m, dest, buf, sizeof(buf)) < 0)
		return H_PARAMETER;
	return H_SUCCESS;
}

/*
 * The partition's translation mode on vcpu v: radix through hv's partition
 * table (PTCR; LPCR[HR] and UPRT, and GTSE if the guest asked for it), or
 * the HPT through SDR1 (PTCR 0).
 */
static void papr_mmu_apply(struct vcpu *v)
{
	struct papr_domain *p = v->d->papr;
	struct cpu_ppc *c = hv_ppc_cpu(v);
	uint64_t modes = PPC_LPCR_HR | PPC_LPCR_UPRT | PPC_LPCR_GTSE;

	c->lpcr &= ~modes;
	c->ptcr = 0;
	if (p->radix) {
		c->lpcr |= PPC_LPCR_HR | PPC_LPCR_UPRT | (p->gtse ? PPC_LPCR_GTSE : 0);
		c->ptcr = PAPR_PATB_GPA; /* PATS 0 */
	}
	cpu_tlb_flush(&c->cpu);
}

void papr_vcpu_reset(struct vcpu *v)
{
	struct papr_domain *p = v->d->papr;
	int rc = cpu_ppc_set_hpt(hv_ppc_cpu(v), PAPR_HPT_GPA, p->hpt_shift);

	g_assert(rc == 0); /* the HPT's size and place are hv's own choices */
	papr_mmu_apply(v);
}

/*
 * H_REGISTER_PROC_TBL(flags, base, page_size, table_size): an ISA v3.0 guest
 * says which translation it uses (LoPAPR 14.5.4.14; flags as Linux's
 * PROC_TABLE_*: bits 0x18 the operation, 0x10 deregister, 0x18 register;
 * 0x04 radix, 0x02 an HPT process table, 0x01 GTSE).
 *   radix: the process table of 2^(12 + table_size) bytes at base (4 KiB
 *     aligned, in RAM; page_size must be 0, table_size at most 24) goes into
 *     doubleword 1 of the partition-table entry, with HR in doubleword 0;
 *     every vcpu switches to radix (and GTSE lets the guest's tlbie through);
 *   HPT with SLB (type 0): no process table (base and size 0): hash again;
 *   deregister: back to the HPT.
 * An HPT process table (segment tables) is not offered: H_PARAMETER. Before
 * v3.0 (POWER8) there is no such call: H_FUNCTION.
 */
#define PROC_TABLE_RADIX 0x04ull
#define PROC_TABLE_HPT_PT 0x02ull
#define PAPR_PATE0_HR (1ull << 63)
#define PAPR_PRTS_MAX 24

long do_h_register_proc_tbl(struct vcpu *v, const uint64_t a[6])
{
	struct papr_domain *p = v->d->papr;
	uint64_t flags = a[0], base = a[1], page_size = a[2], size = a[3];
	uint64_t op = flags & PROC_TABLE_OP_MASK, type = flags & PROC_TABLE_TYPE_MASK;
	bool radix = false, gtse = false;

	if (!cpu_ppc_isa300(hv_ppc_cpu(v)))
		return H_FUNCTION;
	if (flags & ~(PROC_TABLE_OP_MASK | PROC_TABLE_TYPE_MASK | PROC_TABLE_GTSE))
		return H_PARAMETER;
	if (op == 0)
		return H_SUCCESS; /* no change asked */
	if (op != PROC_TABLE_DEREG && op != PROC_TABLE_NEW)
		return H_PARAMETER;
	if (op == PROC_TABLE_NEW) {
		if (type == PROC_TABLE_RADIX) {
			if (base & 0xfff)
				return H_P2;
			if (page_size)
				return H_P3;
			if (size > PAPR_PRTS_MAX)
				return H_P4;
			if (!papr_ram_range(v->d, base, 1ull << (12 + size)))
				return H_P2;
			radix = true;
			gtse = flags & PROC_TABLE_GTSE;
		} else if (type != PROC_TABLE_HPT_SLB || (flags & PROC_TABLE_GTSE)) {
			return H_PARAMETER; /* segment tables, or GTSE with the HPT */
		} else if (base || size) {
			return H_PARAMETER; /* no process table with the SLB */
		}
	}
	st64_be_p(p->patb, radix ? PAPR_PATE0_HR : 0);
	st64_be_p(p->patb + 8, radix ? base | size : 0);
	p->radix = radix;
	p->gtse = gtse;
	for (unsigned i = 0; i < v->d->n_vcpus; i++)
		papr_mmu_apply(v->d->vcpus[i]);
	return H_SUCCESS;
}
