/*
 * The POWER radix MMU, process-scoped translation (Power ISA v3.0B Book III
 * 5.7.10-5.7.11); the partition-scoped stage is softvisor's p2m.
 *
 * Worked example (Linux, 4 KiB pages, 52-bit EA):
 *
 *     PTCR -> partition table; entry LPIDR, doubleword 1: PRTB || PRTS
 *     EA 0xc000000000012345: quadrant EA[0:1] = 3 -> PID 0 (the kernel);
 *     EA 0x0000000010001234: quadrant 0 -> PID = PIDR
 *     process-table entry PID (16 bytes at PRTB + 16 * PID), doubleword 0:
 *         RTS (bits 1:2 || 56:58; the tree maps 2^(RTS + 31) bytes),
 *         RPDB (bits 4:55, the root directory), RPDS (bits 59:63: 2^RPDS entries)
 *     each level: index = the next NLS bits of the EA below the tree size;
 *         entry (big-endian): V (0) L (1) NLB (4:55) NLS (59:63)
 *     leaf (L = 1): RPN (7:51) R (55) C (56) ATT (58:59) EAA (60:63):
 *         privileged, read, read/write, execute
 *     RA = RPN || EA bits below the level (4K, 64K, 2M, 1G pages)
 *
 * Checks (5.7.11.3 and 5.7.12): EA bits between the quadrant and the tree
 * size must be 0 and a partition uses quadrants 0 and 3 only, else a segment
 * interrupt (0x380 / 0x480) as for an address outside the tree; an invalid
 * entry, a level beyond the EA or a directory of size 0: DSI DSISR[33] /
 * ISI SRR1[33]. EAA: problem state may not touch a privileged page, and
 * privileged state may not execute from a non-privileged page; read needs
 * R or RW, write RW, fetch X: DSISR[36] / SRR1[36] (SRR1[35] for a fetch
 * from a page without X). R and C are set by the walk (C on a store), and
 * the TLB entry of a page with C = 0 is read-only until a store sets C.
 * Page-directory reads go through the p2m: a failure exits to hv as HDSI
 * with HDSISR[35] (a table walk). The virtual page class keys (AMR) are not
 * checked yet.
 */
#include "mmu/ppc/mmu_ppc.h"
#include "cpu/ppc/cpu_ppc.h"

#include <errno.h>

#define PPC_PTCR_PATB_MASK 0x0ffffffffffff000ull
#define PPC_PTCR_PATS_MASK 0x1full
#define PATE1_PRTB_MASK 0x0ffffffffffff000ull /* bits 4:51 */
#define PATE1_PRTS_MASK 0x1full
#define RPTE_V (1ull << 63)
#define RPTE_L (1ull << 62)
#define RPDE_NLB_MASK 0x0fffffffffffff00ull /* bits 4:55 */
#define RPDE_NLS_MASK 0x1full
#define RPTE_RPN_MASK 0x01fffffffffff000ull /* bits 7:51 */
#define RPTE_R (1ull << 8)
#define RPTE_C (1ull << 7)
#define RPTE_EAA_PRIV (1ull << 3)
#define RPTE_EAA_READ (1ull << 2)
#define RPTE_EAA_RW (1ull << 1)
#define RPTE_EAA_EXEC (1ull << 0)
#define RADIX_MAX_LEVELS 8

static int ppc_radix_not_found(struct cpu_ppc *c, uint64_t ea, enum mmu_access acc, bool probe)
{
	return ppc_mmu_record_fault(c, ea, acc, acc == MMU_FETCH ? PPC_VEC_ISI : PPC_VEC_DSI,
				    PPC_ISR_NOT_FOUND, probe);
}

static int ppc_radix_segment(struct cpu_ppc *c, uint64_t ea, enum mmu_access acc, bool probe)
{
	return ppc_mmu_record_fault(c, ea, acc, acc == MMU_FETCH ? PPC_VEC_ISEGI : PPC_VEC_DSEGI, 0,
				    probe);
}

/* A read of the tree failed in the p2m: HDSI (table walk) to hv. */
static int ppc_radix_walk_fault(struct cpu_ppc *c, uint64_t ea, uint64_t gpa, enum mmu_access acc,
				bool probe)
{
	if (probe)
		return CPU_XLAT_FAULT;
	c->cpu.arch->stage2_fault(&c->cpu, ea, gpa, acc, true);
	return CPU_XLAT_EXIT;
}

static int ppc_radix_read64(struct cpu_ppc *c, uint64_t gpa, uint64_t *v)
{
	uint8_t b[8];
	if (cpu_phys_read(&c->cpu, gpa, b, 8) < 0)
		return -EFAULT;
	*v = ld64_be_p(b);
	return 0;
}

/* EAA check (5.7.12.1): the MMU_PROT_* this leaf allows in this state, and the
 * cause for acc if not allowed. */
static unsigned ppc_radix_prot(uint64_t pte, bool pr)
{
	unsigned prot = 0;
	bool priv_page = pte & RPTE_EAA_PRIV;

	if (pr && priv_page)
		return 0;
	if (pte & (RPTE_EAA_READ | RPTE_EAA_RW))
		prot |= MMU_PROT_READ;
	if (pte & RPTE_EAA_RW)
		prot |= MMU_PROT_WRITE;
	/* Privileged state never executes from a problem-state page. */
	if ((pte & RPTE_EAA_EXEC) && (pr || priv_page))
		prot |= MMU_PROT_EXEC;
	return prot;
}

int ppc_mmu_translate_radix(struct cpu_ppc *c, uint64_t ea, enum mmu_access acc, unsigned mmu_idx,
			    bool probe, struct cpu_xlat *x)
{
	unsigned quadrant = ea >> 62, rts, bits, nls;
	uint64_t pid, pate1, prte, base, prtb, gpa, e = 0, n_prte;
	bool pr = mmu_idx == PPC_MMU_VIRT_USER;

	/* Step 1: quadrant -> PID (5.7.10.1). A partition uses 0 and 3. */
	if (quadrant == 1 || quadrant == 2)
		return ppc_radix_segment(c, ea, acc, probe);
	pid = quadrant == 0 ? c->pidr : 0;

	/* Step 2: the process table from the partition-table entry. */
	if (!c->ptcr)
		return ppc_radix_not_found(c, ea, acc, probe);
	uint64_t n_pate = 1ull << (12 + (c->ptcr & PPC_PTCR_PATS_MASK) - 4);
	if (c->lpidr >= n_pate)
		return ppc_radix_not_found(c, ea, acc, probe);
	gpa = (c->ptcr & PPC_PTCR_PATB_MASK) + 16 * c->lpidr + 8;
	if (ppc_radix_read64(c, gpa, &pate1) < 0)
		return ppc_radix_walk_fault(c, ea, gpa, acc, probe);
	prtb = pate1 & PATE1_PRTB_MASK;
	n_prte = 1ull << (12 + (pate1 & PATE1_PRTS_MASK) - 4);
	if (pid >= n_prte)
		return ppc_radix_not_found(c, ea, acc, probe);
	gpa = prtb + 16 * pid;
	if (ppc_radix_read64(c, gpa, &prte) < 0)
		return ppc_radix_walk_fault(c, ea, gpa, acc, probe);

	/* Step 3: tree size; the EA bits above it (below the quadrant) must be 0. */
	rts = (unsigned)(((prte >> 61) & 3) << 3 | ((prte >> 5) & 7));
	bits = rts + 31;
	if (bits > 62 || bits < 31)
		return ppc_radix_not_found(c, ea, acc, probe);
	if ((ea & ((1ull << 62) - 1)) >> bits)
		return ppc_radix_segment(c, ea, acc, probe);
	base = prte & RPDE_NLB_MASK;
	nls = prte & RPDE_NLS_MASK;

	/* Step 4: the levels. */
	for (unsigned level = 0;; level++) {
		if (level >= RADIX_MAX_LEVELS || nls == 0 || nls > bits)
			return ppc_radix_not_found(c, ea, acc, probe);
		bits -= nls;
		gpa = base + 8 * ((ea >> bits) & ((1ull << nls) - 1));
		if (ppc_radix_read64(c, gpa, &e) < 0)
			return ppc_radix_walk_fault(c, ea, gpa, acc, probe);
		if (!(e & RPTE_V))
			return ppc_radix_not_found(c, ea, acc, probe);
		if (e & RPTE_L)
			break;
		base = e & RPDE_NLB_MASK;
		nls = e & RPDE_NLS_MASK;
	}
	/* A leaf maps 2^bits bytes: 4K, 64K, 2M or 1G for Linux's trees. */
	if (bits < 12)
		return ppc_radix_not_found(c, ea, acc, probe);

	/* Step 5: EAA. */
	unsigned prot = ppc_radix_prot(e, pr);
	if (acc == MMU_FETCH && !(prot & MMU_PROT_EXEC))
		return ppc_mmu_record_fault(c, ea, acc, PPC_VEC_ISI,
					    (e & RPTE_EAA_EXEC) ? PPC_ISR_PROTECT : PPC_ISR_NOEXEC,
					    probe);
	if ((acc == MMU_READ && !(prot & MMU_PROT_READ)) ||
	    (acc == MMU_WRITE && !(prot & MMU_PROT_WRITE)))
		return ppc_mmu_record_fault(c, ea, acc, PPC_VEC_DSI, PPC_ISR_PROTECT, probe);

	/* Step 6: R and C. */
	if (!probe) {
		uint64_t ne = e | RPTE_R | (acc == MMU_WRITE ? RPTE_C : 0);
		if (ne != e) {
			uint8_t b[8];
			st64_be_p(b, ne);
			if (cpu_phys_write(&c->cpu, gpa, b, 8) < 0)
				return ppc_radix_walk_fault(c, ea, gpa, acc, probe);
			e = ne;
		}
		if (!(e & RPTE_C))
			prot &= ~MMU_PROT_WRITE;
	}

	uint64_t psize = 1ull << bits;
	x->gpa = ((e & RPTE_RPN_MASK) & ~(psize - 1)) | (ea & (psize - 1));
	x->prot = prot;
	x->page_size = psize;
	return 0;
}
