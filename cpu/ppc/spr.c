/*
 * Special purpose registers: the table of implemented SPRs with their
 * access levels (Power ISA v3.0 Book III 4.4.4, Figure 18), the access check
 * the decoder performs at translation time, and mfspr/mtspr at run time.
 *
 * Levels per direction: U (any state), P (privileged: problem state ->
 * privileged program interrupt), H (hypervisor: problem state -> program,
 * privileged non-hypervisor state -> hypervisor emulation assistance), and
 * "-" (no such access: a write to a read-only SPR is a no-op in privileged
 * state; in problem state it follows the number's privilege bit).
 * An SPR number not in the table: in problem state a privileged program
 * interrupt if its number has the 0x10 bit (spr[0] of the split field) set,
 * otherwise, and in privileged non-hypervisor state, HEA (an exit hv can log
 * or emulate); in hypervisor state a no-op.
 *
 * Example: mtspr LPCR,r3 in the guest kernel (MSR[HV]=0) -> HEA 0xE40 with
 * HEIR = 0x7c7e4ba6; in hypervisor state it writes c->lpcr and ends the TB.
 */
#include "cpu/ppc/translate.h"
#include "cpu/ppc/cpu_internal.h"

enum {
	L_U,
	L_P,
	L_H,
	L_NO
};

struct ppc_spr_info {
	uint16_t num;
	const char *name;
	uint8_t rd, wr;
	bool end_tb; /* a write changes translation or timers */
	size_t off;  /* plain 64-bit storage; 0: handled in the switch */
};

#define S(name, rd, wr, end, field)                                                                \
	{                                                                                          \
		SPR_##name, #name, rd, wr, end, offsetof(struct cpu_ppc, field)                    \
	}
#define SX(name, rd, wr, end)                                                                      \
	{                                                                                          \
		SPR_##name, #name, rd, wr, end, 0                                                  \
	}

static const struct ppc_spr_info ppc_sprs[] = {
	SX(XER, L_U, L_U, false),
	S(DSCR_U, L_U, L_U, false, dscr),
	S(LR, L_U, L_U, false, lr),
	S(CTR, L_U, L_U, false, ctr),
	S(AMR_U, L_U, L_U, false, amr),
	S(DSCR, L_P, L_P, false, dscr),
	S(DSISR, L_P, L_P, false, dsisr),
	S(DAR, L_P, L_P, false, dar),
	SX(DEC, L_P, L_P, true),
	S(SDR1, L_H, L_H, true, sdr1),
	S(SRR0, L_P, L_P, false, srr0),
	S(SRR1, L_P, L_P, false, srr1),
	S(CFAR, L_P, L_P, false, cfar),
	S(AMR, L_P, L_P, false, amr),
	S(PIDR, L_P, L_P, true, pidr),
	S(IAMR, L_P, L_P, false, iamr),
	S(CTRL_R, L_U, L_NO, false, ctrl),
	S(CTRL_W, L_NO, L_P, false, ctrl),
	S(FSCR, L_P, L_P, false, fscr),
	S(UAMOR, L_P, L_P, false, uamor),
	S(PSPB, L_P, L_P, false, pspb),
	S(DPDES, L_P, L_H, true, dpdes), /* a write may raise 0xA00 */
	S(DAWR0, L_H, L_H, false, dawr0),
	S(CIABR, L_H, L_H, false, ciabr),
	S(DAWRX0, L_H, L_H, false, dawrx0),
	S(HFSCR, L_H, L_H, false, hfscr),
	S(VRSAVE, L_U, L_U, false, vrsave),
	S(SPRG3_U, L_U, L_NO, false, sprg[3]),
	SX(TB, L_U, L_NO, false),
	SX(TBU, L_U, L_NO, false),
	S(SPRG0, L_P, L_P, false, sprg[0]),
	S(SPRG1, L_P, L_P, false, sprg[1]),
	S(SPRG2, L_P, L_P, false, sprg[2]),
	S(SPRG3, L_P, L_P, false, sprg[3]),
	SX(TBL_W, L_NO, L_H, true),
	SX(TBU_W, L_NO, L_H, true),
	SX(TBU40, L_NO, L_H, true),
	S(PVR, L_P, L_NO, false, pvr),
	S(HSPRG0, L_H, L_H, false, hsprg[0]),
	S(HSPRG1, L_H, L_H, false, hsprg[1]),
	S(HDSISR, L_H, L_H, false, hdsisr),
	S(HDAR, L_H, L_H, false, hdar),
	SX(SPURR, L_P, L_H, false),
	SX(PURR, L_P, L_H, false),
	SX(HDEC, L_H, L_H, true),
	S(HRMOR, L_H, L_H, true, hrmor),
	S(HSRR0, L_H, L_H, false, hsrr0),
	S(HSRR1, L_H, L_H, false, hsrr1),
	S(MMCRH, L_H, L_H, false, mmcrh),
	S(LPCR, L_H, L_H, true, lpcr),
	S(LPIDR, L_H, L_H, true, lpidr),
	S(HMER, L_H, L_H, false, hmer),
	S(HMEER, L_H, L_H, false, hmeer),
	S(PCR, L_H, L_H, false, pcr),
	S(HEIR, L_H, L_H, false, heir),
	S(AMOR, L_H, L_H, false, amor),
	/* The virtual time base (Book III 9.3): it counts while the partition
	 * runs, which here is always, so it follows TB. */
	SX(VTB, L_P, L_H, false),
	SX(TIR, L_P, L_NO, false),
	S(PTCR, L_H, L_H, true, ptcr),
	/* The performance monitor: problem-state numbers (read-only here:
	 * MMCR0[PMCC] is not modelled) and privileged ones. */
	S(SIER_U, L_U, L_P, false, sier),
	S(MMCR2_U, L_U, L_P, false, mmcr2),
	S(MMCRA_U, L_U, L_P, false, mmcra),
	S(PMC1_U, L_U, L_P, false, pmc[0]),
	S(PMC2_U, L_U, L_P, false, pmc[1]),
	S(PMC3_U, L_U, L_P, false, pmc[2]),
	S(PMC4_U, L_U, L_P, false, pmc[3]),
	S(PMC5_U, L_U, L_P, false, pmc[4]),
	S(PMC6_U, L_U, L_P, false, pmc[5]),
	S(MMCR0_U, L_U, L_P, false, mmcr0),
	S(SIAR_U, L_U, L_NO, false, siar),
	S(SDAR_U, L_U, L_NO, false, sdar),
	S(MMCR1_U, L_U, L_NO, false, mmcr1),
	S(SIER, L_P, L_P, false, sier),
	S(MMCR2, L_P, L_P, false, mmcr2),
	S(MMCRA, L_P, L_P, false, mmcra),
	S(PMC1, L_P, L_P, false, pmc[0]),
	S(PMC2, L_P, L_P, false, pmc[1]),
	S(PMC3, L_P, L_P, false, pmc[2]),
	S(PMC4, L_P, L_P, false, pmc[3]),
	S(PMC5, L_P, L_P, false, pmc[4]),
	S(PMC6, L_P, L_P, false, pmc[5]),
	S(MMCR0, L_P, L_P, false, mmcr0),
	S(SIAR, L_P, L_P, false, siar),
	S(SDAR, L_P, L_P, false, sdar),
	S(MMCR1, L_P, L_P, false, mmcr1),
	/* Event-based branches (the FSCR/HFSCR[EBB] enables are not checked). */
	S(EBBHR, L_U, L_U, false, ebbhr),
	S(EBBRR, L_U, L_U, false, ebbrr),
	S(BESCR, L_U, L_U, false, bescr),
	S(TAR, L_U, L_U, false, tar),
	S(ASDR, L_H, L_H, false, asdr),
	S(PSSCR_U, L_U, L_NO, false, psscr),
	S(PSSCR, L_H, L_H, false, psscr),
	/* POWER9's L1 data cache flush trigger (implementation-specific, the
	 * kernel's RFI/entry flush): a privileged write-only no-op, the cache
	 * being coherent and not modelled. */
	SX(TRIG2, L_NO, L_P, false),
	S(MMCRS, L_P, L_P, false, mmcrs),
	S(PPR, L_U, L_U, false, ppr),
	SX(PPR32, L_U, L_U, false),
	S(PIR, L_P, L_NO, false, pir),
};

static const struct ppc_spr_info *ppc_spr_find(unsigned sprn)
{
	for (size_t i = 0; i < SV_ARRAY_SIZE(ppc_sprs); i++)
		if (ppc_sprs[i].num == sprn)
			return &ppc_sprs[i];
	return NULL;
}

const char *ppc_spr_name(unsigned sprn)
{
	const struct ppc_spr_info *s = ppc_spr_find(sprn);
	return s ? s->name : NULL;
}

enum ppc_spr_access ppc_spr_check(unsigned sprn, bool write, bool pr, bool hv, bool *end_tb)
{
	const struct ppc_spr_info *s = ppc_spr_find(sprn);
	bool priv_num = sprn & 0x10;

	*end_tb = false;
	if (!s || (write ? s->wr : s->rd) == L_NO) {
		if (pr)
			return priv_num ? PPC_SPR_PRIV : PPC_SPR_HEA;
		if (s)
			return PPC_SPR_NOP; /* e.g. a read-only SPR written in privileged state */
		return hv ? PPC_SPR_NOP : PPC_SPR_HEA;
	}
	switch (write ? s->wr : s->rd) {
	case L_P:
		if (pr)
			return PPC_SPR_PRIV;
		break;
	case L_H:
		if (pr)
			return PPC_SPR_PRIV;
		if (!hv)
			return PPC_SPR_HEA;
		break;
	default: break;
	}
	*end_tb = write && s->end_tb;
	return PPC_SPR_OK;
}

uint64_t ppc_helper_mfspr(struct cpu *cpu, uint64_t sprn, uint64_t u1, uint64_t u2, uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	const struct ppc_spr_info *s = ppc_spr_find((unsigned)sprn);
	(void)u1;
	(void)u2;
	(void)u3;

	switch (sprn) {
	case SPR_XER: return cpu_ppc_get_xer(c);
	case SPR_DEC: return cpu_ppc_get_dec(c);
	case SPR_HDEC: return cpu_ppc_get_hdec(c);
	case SPR_TB:
	case SPR_PURR:
	case SPR_SPURR: return cpu_ppc_get_tb(c);
	case SPR_TBU: return cpu_ppc_get_tb(c) >> 32;
	case SPR_VTB: return cpu_ppc_get_tb(c) + c->vtb_offset;
	case SPR_PPR32: return c->ppr >> 32;
	case SPR_TIR: return 0;
	default: break;
	}
	if (!s || !s->off)
		return 0;
	uint64_t v;
	memcpy(&v, (char *)c + s->off, sizeof(v));
	return v;
}

uint64_t ppc_helper_mtspr(struct cpu *cpu, uint64_t sprn, uint64_t val, uint64_t u2, uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	const struct ppc_spr_info *s = ppc_spr_find((unsigned)sprn);
	uint64_t tb = cpu_ppc_get_tb(c);
	(void)u2;
	(void)u3;

	switch (sprn) {
	case SPR_XER: cpu_ppc_set_xer(c, val); return 0;
	case SPR_DEC: cpu_ppc_set_dec(c, val); return 0;
	case SPR_HDEC: cpu_ppc_set_hdec(c, val); return 0;
	case SPR_TBL_W: /* Book III 9.2.1: TBL written, TBU unchanged */
		c->tb_offset += ((tb & ~0xffffffffull) | (uint32_t)val) - tb;
		return 0;
	case SPR_TBU_W: c->tb_offset += ((val << 32) | (uint32_t)tb) - tb; return 0;
	case SPR_TBU40: c->tb_offset += ((val & ~0xffffffull) | (tb & 0xffffff)) - tb; return 0;
	case SPR_PPR32: c->ppr = (c->ppr & 0xffffffffull) | (val << 32); return 0;
	case SPR_VTB: c->vtb_offset = val - tb; return 0;
	case SPR_PURR:
	case SPR_SPURR:
	case SPR_TRIG2: return 0;
	case SPR_LPIDR:
	case SPR_PIDR:
	case SPR_PTCR:
	case SPR_SDR1:
	case SPR_LPCR:
		/* A new address space: every cached translation is stale. */
		memcpy((char *)c + s->off, &val, sizeof(val));
		cpu_tlb_flush(cpu);
		return 0;
	default: break;
	}
	if (s && s->off)
		memcpy((char *)c + s->off, &val, sizeof(val));
	return 0;
}
