/*
 * The POWER hash MMU: segment lookup in the SLB and the hashed page table
 * walk (Power ISA v2.07B / v3.0B Book III 5.7.7, "Address translation with
 * the hashed page table").
 *
 * Worked example (256 MiB segment, 4 KiB pages, HTABSIZE = 0):
 *
 *     SLB entry: ESID 0x001, VSID 0x123, Ks=0, Kp=1, L=0   (slbmte)
 *     EA 0x10005678: ESID = EA >> 28 = 1 -> matches; VA = VSID || EA[36:63]
 *                    page index = (EA & 0x0fffffff) >> 12 = 0x5
 *     primary hash   = VSID[11:49] XOR page index = 0x123 ^ 0x5 = 0x126
 *     PTEG address   = HTABORG | (hash & 0x7ff) << 7
 *     the 8 HPTEs of the PTEG are searched for V=1, H=0, B = the segment's
 *     B, AVPN = VA[0:54] (for pages > 8 MiB the low bits are ignored), and the
 *     page size of the HPTE (L, LP) valid for the segment's base page size;
 *     then the secondary PTEG (hash = ~primary hash, H=1).
 *     found: RA = ARPN[...] || EA[64-p:63]; R is set, and C for a store.
 *
 * Where the HPT is (5.7.7.1 and the v3.0 partition table, 5.7.6.1): with
 * PTCR = 0 (POWER8 style) SDR1 = HTABORG || HTABSIZE written by the
 * hypervisor (hv: cpu_ppc_set_hpt); with PTCR set, doubleword 0 of the
 * partition-table entry of LPIDR in the same format (HR = 0). The HPT and the
 * real addresses it produces are guest-physical: they go through the p2m
 * like every partition real address. SDR1 = 0 is an architected value: an
 * HPT of 256 KiB at address 0.
 *
 * HPTE layout (v2.07, the POWER8 form hv writes with H_ENTER):
 *   dw0: B (0:1) AVPN (2:56) SW (57:60) L (61) H (62) V (63)
 *   dw1: PP0 (0) Key (2:3) ARPN (4:51, low bits LP for large pages)
 *        Key (52:54) R (55) C (56) WIMG (57:60) N (61) PP (62:63)
 * In the v3.0 form (used when the partition table is in use) B moves to
 * dw1 bits 4:5 and ARPN is bits 7:51.
 *
 * Storage protection (5.7.9.2): key = MSR[PR] ? Kp : Ks; with PP = PP0||PP:
 *   key 0: 000 001 010 read/write, 011 110 read-only;
 *   key 1: 010 read/write, 001 011 read-only, 000 110 no access;
 *   the reserved values 100, 101, 111 give no access.
 * Instruction fetch also needs N = 0 in the SLB entry and the HPTE (else ISI
 * with SRR1[35]). WIMG is ignored (the emulated memory is coherent). The
 * virtual page class keys (AMR/IAMR) are not checked yet.
 *
 * Faults (recorded for raise_fault):
 *   no SLB entry: data segment 0x380 (DAR = EA) / instruction segment 0x480;
 *   no HPTE: DSI DSISR[33] / ISI SRR1[33]; protection: DSISR[36] / SRR1[36];
 *   DSISR[38] for a store. A failed read of the HPT itself (not backed by
 *   the p2m) exits to hv as HDSI with HDSISR[35] (a table walk).
 */
#include "mmu/ppc/mmu_ppc.h"
#include "cpu/ppc/cpu_ppc.h"

#include <errno.h>

/* SDR1 / partition-table entry doubleword 0 fields (Book III 5.7.7.1). */
#define PPC_HTABORG_MASK 0x0ffffffffffc0000ull /* bits 4:45 */
#define PPC_HTABSIZE_MASK 0x1full              /* bits 59:63 */
#define PPC_PATE_HR (1ull << 63)
/* PTCR (v3.0 Book III 5.7.6.2): PATB bits 4:51, PATS bits 59:63. */
#define PPC_PTCR_PATB_MASK 0x0ffffffffffff000ull
#define PPC_PTCR_PATS_MASK 0x1full

/* HPTE fields. */
#define HPTE0_V (1ull << 0)
#define HPTE0_H (1ull << 1)
#define HPTE0_L (1ull << 2)
#define HPTE0_AVPN_SHIFT 7
#define HPTE0_AVPN_MASK ((1ull << 55) - 1)
#define HPTE1_PP0 (1ull << 63)
#define HPTE1_R (1ull << 8)
#define HPTE1_C (1ull << 7)
#define HPTE1_N (1ull << 2)
#define HPTE1_PP 3ull
#define HPTE1_LP_SHIFT 12
#define HPTE1_ARPN_V2 0x0ffffffffffff000ull /* bits 4:51 */
#define HPTE1_ARPN_V3 0x01fffffffffff000ull /* bits 7:51 */
#define HPTE1_B_V3_SHIFT 58

/* The HPT in use. */
struct ppc_hpt {
	uint64_t base;  /* guest-physical */
	uint64_t mask;  /* PTEG index mask: 2^(11 + HTABSIZE) - 1 */
	bool v3_format; /* HPTE B field in dw1 (partition table in use) */
};

/* A located segment. */
struct ppc_seg {
	const struct ppc_slbe *e;
	unsigned b;          /* 0: 256 MiB, 1: 1 TiB */
	uint64_t vsid;       /* 50 bits */
	unsigned base_shift; /* base page size: 12, 16 or 24 */
};

/*
 * The page sizes a base page size allows, with the LP encoding of each
 * (the POWER8 encodings PAPR advertises in ibm,segment-page-sizes):
 * an HPTE with L = 1 has actual page size p if (LP & mask) == penc, where
 * mask covers the low p - 12 bits of LP (all 8 for p >= 20).
 */
struct ppc_page_enc {
	uint8_t base_shift, shift, penc;
};

static const struct ppc_page_enc ppc_page_encs[] = {
	{ 12, 16, 0x07 }, { 12, 24, 0x38 }, { 16, 16, 0x01 }, { 16, 24, 0x08 }, { 24, 24, 0x00 },
};

/* Actual page shift of an HPTE for the segment's base page size; 0: no match. */
static unsigned ppc_hpte_page_shift(uint64_t dw0, uint64_t dw1, unsigned base_shift)
{
	if (!(dw0 & HPTE0_L))
		return base_shift == 12 ? 12 : 0;
	unsigned lp = (dw1 >> HPTE1_LP_SHIFT) & 0xff;
	for (size_t i = 0; i < SV_ARRAY_SIZE(ppc_page_encs); i++) {
		const struct ppc_page_enc *p = &ppc_page_encs[i];
		unsigned mask = p->shift >= 20 ? 0xff : (1u << (p->shift - 12)) - 1;
		if (p->base_shift == base_shift && (lp & mask) == p->penc)
			return p->shift;
	}
	return 0;
}

/* SLB base page size from L || LP (0b000 4K, 0b100 16M, 0b101 64K); 0: reserved. */
static unsigned ppc_slb_base_shift(uint64_t vsid_word)
{
	if (!(vsid_word & PPC_SLB_L))
		return 12;
	switch ((vsid_word >> PPC_SLB_LP_SHIFT) & 3) {
	case 0: return 24;
	case 1: return 16;
	default: return 0;
	}
}

/* Find the SLB entry for ea (Book III 5.7.6.2). */
bool ppc_slb_lookup(const struct cpu_ppc *c, uint64_t ea, const struct ppc_slbe **out)
{
	for (unsigned i = 0; i < PPC_SLB_SIZE; i++) {
		const struct ppc_slbe *e = &c->slb[i];
		unsigned b = e->vsid >> PPC_SLB_B_SHIFT;
		if (!(e->esid & PPC_SLB_ESID_V))
			continue;
		if (b == 0 && (ea >> 28) == (e->esid >> 28)) {
			*out = e;
			return true;
		}
		if (b == 1 && (ea >> 40) == (e->esid >> 40)) {
			*out = e;
			return true;
		}
	}
	return false;
}

/* Read SDR1 or the partition-table entry. -EFAULT if the entry is unreadable. */
static int ppc_hpt_locate(struct cpu_ppc *c, struct ppc_hpt *h, uint64_t *fault_gpa)
{
	uint64_t d0 = c->sdr1;

	h->v3_format = false;
	if (c->ptcr) {
		uint64_t patb = c->ptcr & PPC_PTCR_PATB_MASK;
		uint64_t n = 1ull << (12 + (c->ptcr & PPC_PTCR_PATS_MASK) - 4);
		uint8_t b[8];

		if (c->lpidr >= n)
			return -EINVAL;
		*fault_gpa = patb + 16 * c->lpidr;
		if (cpu_phys_read(&c->cpu, *fault_gpa, b, 8) < 0)
			return -EFAULT;
		d0 = ld64_be_p(b);
		if (d0 & PPC_PATE_HR)
			return -EINVAL;
		h->v3_format = true;
	}
	unsigned size = d0 & PPC_HTABSIZE_MASK;
	if (size > 28)
		size = 28;
	h->base = d0 & PPC_HTABORG_MASK & ~((1ull << (18 + size)) - 1);
	h->mask = (1ull << (11 + size)) - 1;
	return 0;
}

/* Access allowed by key and PP (5.7.9.2, table above): MMU_PROT_READ/WRITE. */
static unsigned ppc_pp_prot(unsigned key, unsigned pp)
{
	static const uint8_t rw = MMU_PROT_READ | MMU_PROT_WRITE, ro = MMU_PROT_READ;
	static const uint8_t key0[8] = { rw, rw, rw, ro, 0, 0, ro, 0 };
	static const uint8_t key1[8] = { 0, ro, rw, ro, 0, 0, 0, 0 };
	return key ? key1[pp & 7] : key0[pp & 7];
}

/* The HPT could not be read: HDSI (table walk) to hv, or a plain fault for a probe. */
static int ppc_hash_walk_fault(struct cpu_ppc *c, uint64_t ea, uint64_t gpa, enum mmu_access acc,
			       bool probe)
{
	if (probe)
		return CPU_XLAT_FAULT;
	c->cpu.arch->stage2_fault(&c->cpu, ea, gpa, acc, true);
	return CPU_XLAT_EXIT;
}

/*
 * Search one PTEG for the page; returns the slot (0..7) or -1, or -2 if the
 * PTEG could not be read (*gpa says where).
 */
static int ppc_pteg_search(struct cpu_ppc *c, const struct ppc_hpt *h, uint64_t pteg,
			   const struct ppc_seg *s, unsigned __int128 va, bool secondary,
			   uint64_t *dw0, uint64_t *dw1, unsigned *shift)
{
	uint8_t buf[128];

	if (cpu_phys_read(&c->cpu, pteg, buf, sizeof(buf)) < 0)
		return -2;
	for (int i = 0; i < 8; i++) {
		uint64_t d0 = ld64_be_p(buf + 16 * i), d1 = ld64_be_p(buf + 16 * i + 8);
		unsigned b = h->v3_format ? (d1 >> HPTE1_B_V3_SHIFT) & 3 : d0 >> 62;
		unsigned p;
		uint64_t avpn, want, ign;

		if (!(d0 & HPTE0_V) || !!(d0 & HPTE0_H) != secondary || b != s->b)
			continue;
		p = ppc_hpte_page_shift(d0, d1, s->base_shift);
		if (!p)
			continue;
		/* AVPN = VA[0:54]; for p > 23 its low p - 23 bits are not compared. */
		avpn = (d0 >> HPTE0_AVPN_SHIFT) & HPTE0_AVPN_MASK;
		want = (uint64_t)(va >> 23) & HPTE0_AVPN_MASK;
		ign = p > 23 ? (1ull << (p - 23)) - 1 : 0;
		if ((avpn & ~ign) != (want & ~ign))
			continue;
		*dw0 = d0;
		*dw1 = d1;
		*shift = p;
		return i;
	}
	return -1;
}

int ppc_mmu_translate_hash(struct cpu_ppc *c, uint64_t ea, enum mmu_access acc, unsigned mmu_idx,
			   bool probe, struct cpu_xlat *x)
{
	const struct ppc_slbe *e;
	struct ppc_seg s;
	struct ppc_hpt h;
	uint64_t gpa_fault = 0, hash, pidx, dw0 = 0, dw1 = 0, pteg = 0;
	unsigned __int128 va;
	unsigned shift = 0;
	int slot = -1, rc;
	bool secondary = false;

	/* Step 1: segment (5.7.6.2). */
	if (!ppc_slb_lookup(c, ea, &e))
		return ppc_mmu_record_fault(
			c, ea, acc, acc == MMU_FETCH ? PPC_VEC_ISEGI : PPC_VEC_DSEGI, 0, probe);
	s.e = e;
	s.b = e->vsid >> PPC_SLB_B_SHIFT;
	s.vsid = (e->vsid >> PPC_SLB_VSID_SHIFT) & ((1ull << PPC_SLB_VSID_BITS) - 1);
	s.base_shift = ppc_slb_base_shift(e->vsid);
	if (s.b > 1 || !s.base_shift)
		return ppc_mmu_record_fault(c, ea, acc,
					    acc == MMU_FETCH ? PPC_VEC_ISI : PPC_VEC_DSI,
					    PPC_ISR_NOT_FOUND, probe);

	/* Step 2: virtual address and hash (5.7.7.3). */
	if (s.b == 0) {
		va = ((unsigned __int128)s.vsid << 28) | (ea & 0x0fffffffull);
		pidx = (ea & 0x0fffffffull) >> s.base_shift;
		hash = (s.vsid & 0x7fffffffffull) ^ pidx;
	} else {
		va = ((unsigned __int128)(s.vsid >> 12) << 40) | (ea & 0xffffffffffull);
		pidx = (ea & 0xffffffffffull) >> s.base_shift;
		/* 1 TiB: the VSID's low 12 bits are not part of VA; hash =
		 * VSID ^ (VSID << 25) ^ page index over the 38-bit VSID. */
		uint64_t v = s.vsid >> 12;
		hash = v ^ (v << 25) ^ pidx;
	}
	hash &= 0x7fffffffffull;

	/* Step 3: the HPT and the two PTEGs. */
	rc = ppc_hpt_locate(c, &h, &gpa_fault);
	if (rc == -EFAULT)
		return ppc_hash_walk_fault(c, ea, gpa_fault, acc, probe);
	if (rc < 0)
		return ppc_mmu_record_fault(c, ea, acc,
					    acc == MMU_FETCH ? PPC_VEC_ISI : PPC_VEC_DSI,
					    PPC_ISR_NOT_FOUND, probe);
	for (int pass = 0; pass < 2 && slot < 0; pass++) {
		secondary = pass == 1;
		uint64_t hv = secondary ? ~hash : hash;
		pteg = h.base | ((hv & h.mask) << 7);
		slot = ppc_pteg_search(c, &h, pteg, &s, va, secondary, &dw0, &dw1, &shift);
		if (slot == -2)
			return ppc_hash_walk_fault(c, ea, pteg, acc, probe);
	}
	if (slot < 0)
		return ppc_mmu_record_fault(c, ea, acc,
					    acc == MMU_FETCH ? PPC_VEC_ISI : PPC_VEC_DSI,
					    PPC_ISR_NOT_FOUND, probe);

	/* Step 4: protection (5.7.9). */
	unsigned key = (mmu_idx == PPC_MMU_VIRT_USER) ? !!(e->vsid & PPC_SLB_KP) :
							!!(e->vsid & PPC_SLB_KS);
	unsigned pp = (unsigned)((dw1 & HPTE1_PP) | ((dw1 & HPTE1_PP0) ? 4 : 0));
	unsigned prot = ppc_pp_prot(key, pp);
	bool noexec = (e->vsid & PPC_SLB_N) || (dw1 & HPTE1_N);

	if ((prot & MMU_PROT_READ) && !noexec)
		prot |= MMU_PROT_EXEC;
	if (acc == MMU_FETCH && !(prot & MMU_PROT_EXEC))
		return ppc_mmu_record_fault(c, ea, acc, PPC_VEC_ISI,
					    noexec ? PPC_ISR_NOEXEC : PPC_ISR_PROTECT, probe);
	if ((acc == MMU_READ && !(prot & MMU_PROT_READ)) ||
	    (acc == MMU_WRITE && !(prot & MMU_PROT_WRITE)))
		return ppc_mmu_record_fault(c, ea, acc, PPC_VEC_DSI, PPC_ISR_PROTECT, probe);

	/* Step 5: reference and change bits (5.7.8), in the HPTE's byte 7 of dw1. */
	if (!probe) {
		uint64_t n1 = dw1 | HPTE1_R | (acc == MMU_WRITE ? HPTE1_C : 0);
		if (n1 != dw1) {
			uint8_t b[8];
			st64_be_p(b, n1);
			if (cpu_phys_write(&c->cpu, pteg + 16 * (unsigned)slot + 8, b, 8) < 0)
				return ppc_hash_walk_fault(c, ea, pteg, acc, probe);
			dw1 = n1;
		}
		/* Until C is set a store must come back here to set it. */
		if (!(dw1 & HPTE1_C))
			prot &= ~MMU_PROT_WRITE;
	}

	uint64_t arpn = dw1 & (h.v3_format ? HPTE1_ARPN_V3 : HPTE1_ARPN_V2);
	uint64_t psize = 1ull << shift;
	x->gpa = (arpn & ~(psize - 1)) | (ea & (psize - 1));
	x->prot = prot;
	x->page_size = psize;
	return 0;
}
