/*
 * Shared fixture for the POWER CPU unit tests: a fresh address space with RAM
 * at gpa 0 .. PPC_T_RAM, a TB cache on the threaded backend and one vcpu in
 * the kexec start state; instruction encoders; run helpers.
 */
#ifndef SV_TESTS_UNIT_TEST_PPC_H
#define SV_TESTS_UNIT_TEST_PPC_H

#include <criterion/criterion.h>

#include "cpu/backend.h"
#include "cpu/ppc/cpu_ppc.h"
#include "cpu/tb.h"
#include "mmu/machmem.h"
#include "mmu/p2m.h"

#define PPC_T_RAM (4ull << 20)
#define PPC_T_CODE 0x1000ull

struct ppc_t {
	struct machmem mem;
	struct p2m *p2m;
	struct tb_cache *tbc;
	struct cpu_ppc *c;
	bool le;
};

static inline void ppc_t_init(struct ppc_t *t, bool le)
{
	memset(t, 0, sizeof(*t));
	t->le = le;
	cr_assert_eq(machmem_init(&t->mem, 2 * PPC_T_RAM), 0);
	t->p2m = p2m_new(&t->mem, 1);
	cr_assert_not_null(t->p2m);
	cr_assert_eq(p2m_populate_ram(t->p2m, 0, PPC_T_RAM >> SV_PAGE_BITS), 0);
	t->tbc = tb_cache_new(t->p2m, &backend_threaded);
	cr_assert_not_null(t->tbc);
	t->c = cpu_ppc_new(t->p2m, t->tbc, 0, le);
	cr_assert_not_null(t->c);
	cpu_ppc_reset_kexec(t->c, PPC_T_CODE, 0, 0, 0, le);
}

static inline void ppc_t_fini(struct ppc_t *t)
{
	cpu_ppc_free(t->c);
	tb_cache_free(t->tbc);
	p2m_destroy(t->p2m);
	machmem_destroy(&t->mem);
}

/* Store instruction words at gpa in the guest's byte order. */
static inline void ppc_t_code(struct ppc_t *t, uint64_t gpa, const uint32_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t b[4];
		if (t->le)
			st32_le_p(b, w[i]);
		else
			st32_be_p(b, w[i]);
		cr_assert_eq(p2m_copy_to(t->p2m, gpa + 4 * i, b, 4), 0);
	}
}

static inline uint64_t ppc_t_ld(struct ppc_t *t, uint64_t gpa, unsigned size_log2)
{
	uint8_t b[8];
	cr_assert_eq(p2m_copy_from(t->p2m, b, gpa, 1u << size_log2), 0);
	return sv_ld_p(b, size_log2, !t->le);
}

/* Run (in quanta, as the run driver does) until an exit with the given vector. */
static inline void ppc_t_run_exit(struct ppc_t *t, uint32_t vec)
{
	enum cpu_stop s = CPU_STOP_BUDGET;
	for (int q = 0; q < 100 && (s == CPU_STOP_BUDGET || s == CPU_STOP_REQUEST); q++)
		s = cpu_exec(&t->c->cpu, 1000);
	cr_assert_eq(s, CPU_STOP_EXIT, "stop %d (%s), pc=%#lx", s,
		     t->c->cpu.fatal_msg ? t->c->cpu.fatal_msg : "", (unsigned long)t->c->pc);
	cr_assert_eq(t->c->cpu.exit.kind, CPU_EXIT_HV);
	cr_assert_eq(t->c->cpu.exit.reason, vec, "exit %#x, wanted %#x (exit pc %#lx)",
		     t->c->cpu.exit.reason, vec, (unsigned long)t->c->cpu.exit.pc);
}

/*
 * Hash MMU fixtures: an HPT of 2^size_log2 bytes at gpa base (cpu_ppc_set_hpt),
 * SLB entries written directly (as slbmte would), and 4 KiB HPTEs inserted
 * in the primary PTEG computed here independently of mmu/ppc/hash.c.
 */
#define PPC_T_HPT 0x100000ull
#define PPC_T_PP_RW 2ull /* PP = 010: read/write for key 0 and key 1 */

static inline void ppc_t_hpt(struct ppc_t *t, uint64_t base, unsigned size_log2)
{
	cr_assert_eq(cpu_ppc_set_hpt(t->c, base, size_log2), 0);
}

/* SLB entry idx: 256 MiB segment for ESID ea >> 28, flags = Ks/Kp/N/L/LP bits. */
static inline void ppc_t_slb(struct ppc_t *t, unsigned idx, uint64_t ea, uint64_t vsid,
			     uint64_t flags)
{
	t->c->slb[idx].esid = (ea & ~0x0fffffffull) | PPC_SLB_ESID_V;
	t->c->slb[idx].vsid = (vsid << PPC_SLB_VSID_SHIFT) | flags;
	cpu_tlb_flush(&t->c->cpu);
}

/* Primary PTEG address for a 4 KiB page of a 256 MiB segment. */
static inline uint64_t ppc_t_pteg(uint64_t hpt, unsigned size_log2, uint64_t vsid, uint64_t ea)
{
	uint64_t hash = ((vsid & 0x7fffffffffull) ^ ((ea & 0x0fffffffull) >> 12));
	uint64_t mask = (1ull << (size_log2 - 7)) - 1;
	return hpt + ((hash & mask) << 7);
}

/* Write HPTE slot of the PTEG (big-endian, as the HPT always is). */
static inline void ppc_t_hpte_write(struct ppc_t *t, uint64_t pteg, unsigned slot, uint64_t d0,
				    uint64_t d1)
{
	uint8_t b[16];
	st64_be_p(b, d0);
	st64_be_p(b + 8, d1);
	cr_assert_eq(p2m_copy_to(t->p2m, pteg + 16 * slot, b, 16), 0);
}

static inline uint64_t ppc_t_hpte_read1(struct ppc_t *t, uint64_t pteg, unsigned slot)
{
	uint8_t b[8];
	cr_assert_eq(p2m_copy_from(t->p2m, b, pteg + 16 * slot + 8, 8), 0);
	return ld64_be_p(b);
}

/* HPTE words for a 4 KiB page: AVPN = VA[0:54] = (VSID << 28 | EA[36:63]) >> 23. */
static inline uint64_t ppc_t_hpte0(uint64_t vsid, uint64_t ea, bool secondary)
{
	uint64_t avpn = (vsid << 5) | ((ea & 0x0fffffffull) >> 23);
	return (avpn << 7) | (secondary ? 2 : 0) | 1;
}

/* Map the 4 KiB page of ea to ra in slot 0..7 of its primary PTEG (dw1 extra bits). */
static inline uint64_t ppc_t_map4k(struct ppc_t *t, uint64_t vsid, uint64_t ea, uint64_t ra,
				   unsigned slot, uint64_t d1_bits)
{
	uint64_t pteg = ppc_t_pteg(PPC_T_HPT, 18, vsid, ea);
	ppc_t_hpte_write(t, pteg, slot, ppc_t_hpte0(vsid, ea, false), (ra & ~0xfffull) | d1_bits);
	return pteg;
}

/* Instruction encoders (Power ISA forms). */
static inline uint32_t ppc_d(unsigned po, unsigned rt, unsigned ra, uint32_t imm)
{
	return (po << 26) | (rt << 21) | (ra << 16) | (imm & 0xffff);
}
static inline uint32_t ppc_x(unsigned po, unsigned rt, unsigned ra, unsigned rb, unsigned xo,
			     unsigned rc)
{
	return (po << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (xo << 1) | rc;
}
static inline uint32_t ppc_xo(unsigned rt, unsigned ra, unsigned rb, unsigned oe, unsigned xo,
			      unsigned rc)
{
	return (31u << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (oe << 10) | (xo << 1) | rc;
}
static inline uint32_t ppc_li(unsigned rt, int16_t v)
{
	return ppc_d(14, rt, 0, (uint16_t)v);
}
static inline uint32_t ppc_addi(unsigned rt, unsigned ra, int16_t v)
{
	return ppc_d(14, rt, ra, (uint16_t)v);
}
static inline uint32_t ppc_spr(unsigned xo, unsigned rs, unsigned spr)
{
	return ppc_x(31, rs, spr & 31, spr >> 5, xo, 0);
}
static inline uint32_t ppc_mtspr(unsigned spr, unsigned rs)
{
	return ppc_spr(467, rs, spr);
}
static inline uint32_t ppc_mfspr(unsigned rt, unsigned spr)
{
	return ppc_spr(339, rt, spr);
}
static inline uint32_t ppc_b(int32_t off, bool lk)
{
	return (18u << 26) | (off & 0x03fffffc) | lk;
}
static inline uint32_t ppc_bc(unsigned bo, unsigned bi, int32_t off)
{
	return (16u << 26) | (bo << 21) | (bi << 16) | (off & 0xfffc);
}
/* MASK(mb, me) in ISA bit numbering. */
static inline uint64_t ppc_t_mask(unsigned mb, unsigned me)
{
	uint64_t a = ~0ull >> mb, b = ~0ull << (63 - me);
	return mb <= me ? (a & b) : (a | b);
}
#define PPC_SC0 0x44000002u
#define PPC_SC1 0x44000022u
#define PPC_RFID 0x4c000024u
#define PPC_HRFID 0x4c000224u
#define PPC_BLR 0x4e800020u
#define PPC_NOP 0x60000000u

#endif
