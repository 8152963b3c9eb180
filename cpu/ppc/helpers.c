/*
 * C helpers called from translated POWER code: exceptions, system call and
 * hypercall, returns from interrupt, MSR writes, traps, and the operations
 * that are simpler in C than in IR (popcntb, cmpb, reservations, dcbz, icbi).
 *
 * Exceptions raised here are recorded in c->pending and delivered by
 * raise_fault (cpu.c) after cpu_loop_exit_fault() has left the TB; exits to
 * the hypervisor fill cpu->exit and leave with cpu_loop_exit_exit().
 */
#include "cpu/ppc/translate.h"
#include "cpu/tb.h"
#include "cpu/ppc/cpu_internal.h"

uint64_t ppc_helper_program(struct cpu *cpu, uint64_t pc, uint64_t srr1_bits, uint64_t u1,
			    uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u1;
	(void)u2;
	memset(&c->pending, 0, sizeof(c->pending));
	c->pending.vector = PPC_VEC_PROGRAM;
	c->pending.srr0 = pc;
	c->pending.srr1_bits = srr1_bits;
	cpu_loop_exit_fault(cpu);
}

uint64_t ppc_helper_interrupt(struct cpu *cpu, uint64_t pc, uint64_t vec, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u1;
	(void)u2;
	memset(&c->pending, 0, sizeof(c->pending));
	c->pending.vector = (uint32_t)vec;
	c->pending.srr0 = pc;
	cpu_loop_exit_fault(cpu);
}

uint64_t ppc_helper_hea(struct cpu *cpu, uint64_t pc, uint64_t insn, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u1;
	(void)u2;
	memset(&c->pending, 0, sizeof(c->pending));
	c->pending.vector = PPC_VEC_HEA;
	c->pending.srr0 = pc;
	c->pending.insn = insn;
	cpu_loop_exit_fault(cpu);
}

/*
 * sc LEV (Book III 7.5.14): SRR0 = CIA + 4, SRR1 = MSR with bits 33:36 and
 * 42:47 cleared, vector 0xC00. LEV = 1 enters hypervisor state (MSR[HV] = 1):
 * that is the hypercall, an exit to hv/. softvisor's platform policy for
 * sc 1 from problem state: the hypervisor refuses it and the guest kernel
 * sees a privileged-instruction program interrupt (SRR0 = the sc), which the
 * CPU delivers directly.
 */
uint64_t ppc_helper_sc(struct cpu *cpu, uint64_t pc, uint64_t lev, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint64_t next = (c->msr & PPC_MSR_SF) ? pc + 4 : (uint32_t)(pc + 4);
	(void)u1;
	(void)u2;

	memset(&c->pending, 0, sizeof(c->pending));
	if (lev == 1 && (c->msr & PPC_MSR_PR)) {
		c->pending.vector = PPC_VEC_PROGRAM;
		c->pending.srr0 = pc;
		c->pending.srr1_bits = PPC_SRR1_PROG_PRIV;
		cpu_loop_exit_fault(cpu);
	}
	if (lev == 1) {
		c->srr0 = next;
		c->srr1 = c->msr & ~PPC_SRR1_INTR_MASK;
		ppc_enter_hv(c, PPC_VEC_SYSTEM_CALL, pc, c->srr1);
		cpu_loop_exit_exit(cpu);
	}
	c->pending.vector = PPC_VEC_SYSTEM_CALL;
	c->pending.srr0 = next;
	cpu_loop_exit_fault(cpu);
}

/*
 * scv LEV (ISA v3.0B Book III 7.5.15, System Call Vectored): enabled by
 * FSCR[SCV] (else a facility unavailable interrupt, FSCR[IC] = 12). LR = CIA
 * + 4, CTR = MSR with bits 33:36 and 42:47 cleared; the new MSR is an
 * interrupt's (SF, LE = LPCR[ILE], PR = FP = VEC = VSX = SE = BE = FE = 0)
 * except that EE, RI, ME and HV do not change; IR and DR are set with
 * LPCR[AIL] = 2 or 3. The vector is 0xC000_0000_0000_3000 + LEV * 0x20
 * with AIL = 3 (where Linux puts its handler), else 0x1_7000 + LEV * 0x20.
 * The guest's own kernel takes it: no exit.
 */
#define PPC_FSCR_SCV (1ull << 12) /* bit 51 */
#define PPC_FSCR_IC_SHIFT 56
#define PPC_FSCR_IC_SCV 12ull

uint64_t ppc_helper_scv(struct cpu *cpu, uint64_t pc, uint64_t lev, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint64_t msr = c->msr, keep = PPC_MSR_EE | PPC_MSR_RI | PPC_MSR_ME | PPC_MSR_HV | PPC_MSR_S;
	uint64_t nmsr = (msr & keep) | PPC_MSR_SF;
	unsigned ail = (c->lpcr & PPC_LPCR_AIL) >> PPC_LPCR_AIL_SHIFT;
	(void)u1;
	(void)u2;

	/* Before v3.0 the form is invalid: an illegal instruction. */
	if (!cpu_ppc_isa300(c))
		ppc_helper_program(cpu, pc, PPC_SRR1_PROG_ILLEGAL, 0, 0);
	if (!(c->fscr & PPC_FSCR_SCV)) {
		c->fscr = (c->fscr & ~(0xffull << PPC_FSCR_IC_SHIFT)) |
			  (PPC_FSCR_IC_SCV << PPC_FSCR_IC_SHIFT);
		memset(&c->pending, 0, sizeof(c->pending));
		c->pending.vector = PPC_VEC_FAC_UNAVAIL;
		c->pending.srr0 = pc;
		cpu_loop_exit_fault(cpu);
	}
	c->lr = (msr & PPC_MSR_SF) ? pc + 4 : (uint32_t)(pc + 4);
	c->ctr = msr & ~PPC_SRR1_INTR_MASK;
	if (c->lpcr & PPC_LPCR_ILE)
		nmsr |= PPC_MSR_LE;
	if (ail >= 2)
		nmsr |= PPC_MSR_IR | PPC_MSR_DR;
	cpu_ppc_set_msr(c, nmsr);
	c->pc = (ail == 3 ? 0xc000000000003000ull : 0x17000ull) + 0x20 * lev;
	return 0;
}

/* rfscv (Book III 3.3.1): return from scv: MSR from CTR under rfid's rules,
 * pc = LR. */
uint64_t ppc_helper_rfscv(struct cpu *cpu, uint64_t pc, uint64_t u0, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint64_t srr0 = c->srr0, srr1 = c->srr1;
	(void)u0;
	(void)u1;
	(void)u2;
	if (!cpu_ppc_isa300(c))
		ppc_helper_program(cpu, pc, PPC_SRR1_PROG_ILLEGAL, 0, 0);
	c->cfar = pc;
	c->srr0 = c->lr;
	c->srr1 = c->ctr;
	cpu_ppc_rfid(c);
	c->srr0 = srr0;
	c->srr1 = srr1;
	return 0;
}

uint64_t ppc_helper_rfid(struct cpu *cpu, uint64_t pc, uint64_t u0, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u0;
	(void)u1;
	(void)u2;
	c->cfar = pc;
	cpu_ppc_rfid(c);
	return 0;
}

uint64_t ppc_helper_hrfid(struct cpu *cpu, uint64_t pc, uint64_t u0, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u0;
	(void)u1;
	(void)u2;
	c->cfar = pc;
	cpu_ppc_hrfid(c);
	return 0;
}

/*
 * mtmsr / mtmsrd (Book III 3.3.4). kind bit 0: mtmsrd; bit 1: L.
 * L = 1 changes only EE and RI. L = 0 leaves HV, ME, LE, the TM bits and the
 * reserved bits 33:36, 42:47 alone; PR = 1 forces EE, IR and DR on. mtmsr
 * changes bits 32:63 only.
 */
uint64_t ppc_helper_mtmsr(struct cpu *cpu, uint64_t val, uint64_t kind, uint64_t u1, uint64_t u2)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint64_t msr = c->msr, keep, n;
	(void)u1;
	(void)u2;

	if (kind & 2) {
		keep = ~(PPC_MSR_EE | PPC_MSR_RI);
	} else {
		keep = PPC_MSR_HV | (7ull << 32) | (0xfull << 27) | (0x3full << 16) | PPC_MSR_ME |
		       PPC_MSR_LE;
		if (!(kind & 1))
			keep |= 0xffffffff00000000ull;
	}
	n = (msr & keep) | (val & ~keep);
	if (!(kind & 2) && (n & PPC_MSR_PR))
		n |= PPC_MSR_EE | PPC_MSR_IR | PPC_MSR_DR;
	cpu_ppc_set_msr(c, n);
	return 0;
}

/* tw/td/twi/tdi: to_w = TO | 0x20 for the doubleword forms (Book I 3.3.11). */
uint64_t ppc_helper_trap(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t to_w, uint64_t pc)
{
	unsigned to = to_w & 31;
	bool trap = false;

	if (!(to_w & 0x20)) {
		a = sv_sext(a, 32);
		b = sv_sext(b, 32);
	}
	if ((to & 0x10) && (int64_t)a < (int64_t)b)
		trap = true;
	if ((to & 0x08) && (int64_t)a > (int64_t)b)
		trap = true;
	if ((to & 0x04) && a == b)
		trap = true;
	if (!(to_w & 0x20)) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	if ((to & 0x02) && a < b)
		trap = true;
	if ((to & 0x01) && a > b)
		trap = true;
	if (trap)
		ppc_helper_program(cpu, pc, PPC_SRR1_PROG_TRAP, 0, 0);
	return 0;
}

uint64_t ppc_helper_popcntb(struct cpu *cpu, uint64_t a, uint64_t u0, uint64_t u1, uint64_t u2)
{
	uint64_t r = 0;
	(void)cpu;
	(void)u0;
	(void)u1;
	(void)u2;
	for (unsigned i = 0; i < 64; i += 8)
		r |= (uint64_t)__builtin_popcountll((a >> i) & 0xff) << i;
	return r;
}

uint64_t ppc_helper_popcntw(struct cpu *cpu, uint64_t a, uint64_t u0, uint64_t u1, uint64_t u2)
{
	(void)cpu;
	(void)u0;
	(void)u1;
	(void)u2;
	return (uint64_t)__builtin_popcountll(a & 0xffffffffull) |
	       ((uint64_t)__builtin_popcountll(a >> 32) << 32);
}

uint64_t ppc_helper_cmpb(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t u1, uint64_t u2)
{
	uint64_t r = 0;
	(void)cpu;
	(void)u1;
	(void)u2;
	for (unsigned i = 0; i < 64; i += 8)
		if (((a >> i) & 0xff) == ((b >> i) & 0xff))
			r |= 0xffull << i;
	return r;
}

uint64_t ppc_helper_get_xer(struct cpu *cpu, uint64_t u0, uint64_t u1, uint64_t u2, uint64_t u3)
{
	(void)u0;
	(void)u1;
	(void)u2;
	(void)u3;
	return cpu_ppc_get_xer(cpu_ppc_of(cpu));
}

uint64_t ppc_helper_set_xer(struct cpu *cpu, uint64_t v, uint64_t u1, uint64_t u2, uint64_t u3)
{
	(void)u1;
	(void)u2;
	(void)u3;
	cpu_ppc_set_xer(cpu_ppc_of(cpu), v);
	return 0;
}

uint64_t ppc_helper_get_cr(struct cpu *cpu, uint64_t u0, uint64_t u1, uint64_t u2, uint64_t u3)
{
	(void)u0;
	(void)u1;
	(void)u2;
	(void)u3;
	return cpu_ppc_get_cr(cpu_ppc_of(cpu));
}

uint64_t ppc_helper_mtcrf(struct cpu *cpu, uint64_t v, uint64_t fxm, uint64_t u2, uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u2;
	(void)u3;
	for (unsigned n = 0; n < 8; n++)
		if (fxm & (0x80u >> n))
			c->crf[n] = (v >> (28 - 4 * n)) & 0xf;
	return 0;
}

/* l[bhwd]arx: load and set the reservation (Book II 4.4.2). */
uint64_t ppc_helper_larx(struct cpu *cpu, uint64_t ea, uint64_t memop, uint64_t mmu_idx,
			 uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	(void)u3;
	uint64_t v = cpu_ld(cpu, ea, (unsigned)memop, (unsigned)mmu_idx);
	c->reserve_addr = ea;
	c->reserve_val = v;
	return v;
}

/*
 * st[bhwd]cx.: store if the reservation is for this address and memory still
 * holds the reserved value (one vcpu per address space runs at a time, so
 * that is the architected outcome). Returns CR0 = 0b00 || n || SO.
 */
uint64_t ppc_helper_stcx(struct cpu *cpu, uint64_t ea, uint64_t val, uint64_t memop,
			 uint64_t mmu_idx)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	bool ok = false;

	if (c->reserve_addr == ea) {
		uint64_t cur = cpu_ld(cpu, ea, (unsigned)memop, (unsigned)mmu_idx);
		if (cur == c->reserve_val) {
			cpu_st(cpu, ea, (unsigned)memop, (unsigned)mmu_idx, val);
			ok = true;
		}
	}
	c->reserve_addr = ~0ull;
	return (ok ? 2u : 0u) | c->so;
}

/* dcbz: zero the 128-byte block (the POWER8/9 cache block size). */
uint64_t ppc_helper_dcbz(struct cpu *cpu, uint64_t ea, uint64_t mmu_idx, uint64_t u2, uint64_t u3)
{
	(void)u2;
	(void)u3;
	uint64_t line = ea & ~127ull;
	for (unsigned i = 0; i < 128; i += 8)
		cpu_st(cpu, line + i, IR_MO_64, (unsigned)mmu_idx, 0);
	return 0;
}

/* icbi: drop the translated code of the block's page. */
uint64_t ppc_helper_icbi(struct cpu *cpu, uint64_t ea, uint64_t mmu_idx, uint64_t u2, uint64_t u3)
{
	uint64_t gpa;
	(void)u2;
	(void)u3;
	if (cpu_translate_va(cpu, ea, MMU_READ, (unsigned)mmu_idx, &gpa) == 0)
		tb_cache_invalidate_range(cpu->tbc, gpa & SV_PAGE_MASK, SV_PAGE_SIZE);
	return 0;
}
