/*
 * The POWER decode table as data: well-formed rows, no row shadowed by an
 * earlier one, privilege flags where the ISA puts them, and capstone
 * disassembly through the arch hook.
 */
#include "test_ppc.h"
#include "cpu/ppc/translate.h"

Test(ppc_decode, rows_are_well_formed_and_reachable)
{
	size_t n = ppc_decode_n_rows();
	cr_assert_gt(n, 150);
	for (size_t k = 0; k < n; k++) {
		const struct ppc_opcode *r = ppc_decode_row(k);
		cr_assert_not_null(r->trans, "%s", r->name);
		cr_expect_eq(r->match & ~r->mask, 0, "%s: match outside mask", r->name);
		/* The row's own encoding decodes to it (not to an earlier row). */
		cr_expect_eq(ppc_decode(r->match), r, "%s shadowed by %s", r->name,
			     ppc_decode(r->match) ? ppc_decode(r->match)->name : "?");
	}
}

static const struct ppc_opcode *find(const char *name)
{
	for (size_t k = 0; k < ppc_decode_n_rows(); k++)
		if (!strcmp(ppc_decode_row(k)->name, name))
			return ppc_decode_row(k);
	return NULL;
}

Test(ppc_decode, privilege_flags)
{
	cr_expect(find("rfid")->flags & PPC_F_PRIV);
	cr_expect(find("mtmsrd")->flags & PPC_F_PRIV);
	cr_expect(find("mfmsr")->flags & PPC_F_PRIV);
	cr_expect(find("hrfid")->flags & PPC_F_HYP);
	cr_expect_eq(find("add")->flags & (PPC_F_PRIV | PPC_F_HYP), 0);
	cr_expect_str_eq(ppc_decode(0x7c642a14)->name, "add"); /* add r3,r4,r5 */
	cr_expect_str_eq(ppc_decode(0x7c642e14)->name, "add"); /* addo */
	cr_expect_str_eq(ppc_decode(0x44000022)->name, "sc");
	cr_expect_str_eq(ppc_decode(0x7c0004ac)->name, "sync");
	cr_expect_str_eq(ppc_decode(0x7c2004ac)->name, "sync");   /* lwsync */
	cr_expect_str_eq(ppc_decode(0x78630020)->name, "rldicl"); /* clrldi r3,r3,32 */
	cr_expect_str_eq(ppc_decode(0x7c6307b4)->name, "extsw");
	cr_expect_null(ppc_decode(0));
}

Test(ppc_decode, spr_access_levels)
{
	bool end;
	cr_expect_eq(ppc_spr_check(SPR_LR, false, true, false, &end), PPC_SPR_OK);
	cr_expect_eq(ppc_spr_check(SPR_SRR0, false, true, false, &end), PPC_SPR_PRIV);
	cr_expect_eq(ppc_spr_check(SPR_SRR0, true, false, false, &end), PPC_SPR_OK);
	cr_expect_eq(ppc_spr_check(SPR_HSRR0, true, false, false, &end), PPC_SPR_HEA);
	cr_expect_eq(ppc_spr_check(SPR_HSRR0, true, true, false, &end), PPC_SPR_PRIV);
	cr_expect_eq(ppc_spr_check(SPR_LPCR, true, false, true, &end), PPC_SPR_OK);
	cr_expect(end);
	cr_expect_eq(ppc_spr_check(SPR_PVR, true, false, false, &end), PPC_SPR_NOP);
	cr_expect_eq(ppc_spr_check(SPR_TB, false, true, false, &end), PPC_SPR_OK);
	cr_expect_eq(ppc_spr_check(999, false, false, false, &end), PPC_SPR_HEA);
	cr_expect_str_eq(ppc_spr_name(SPR_HSRR1), "HSRR1");
}

Test(ppc_decode, disassembly_both_orders)
{
	struct ppc_t t;
	char buf[64];
	uint8_t code[4];

	ppc_t_init(&t, true);
	st32_le_p(code, 0x7c642a14);
	cr_assert_eq(cpu_ppc_ops.disas(&t.c->cpu, 0x1000, code, 4, buf, sizeof(buf)), 4);
	cr_expect_str_eq(buf, "add r3, r4, r5");
	ppc_t_fini(&t);
	ppc_t_init(&t, false);
	st32_be_p(code, 0x44000022);
	cr_assert_eq(cpu_ppc_ops.disas(&t.c->cpu, 0x1000, code, 4, buf, sizeof(buf)), 4);
	cr_expect_eq(strncmp(buf, "sc", 2), 0, "%s", buf);
	ppc_t_fini(&t);
}

Test(ppc_decode, vector_names)
{
	cr_expect_str_eq(ppc_hv_vector_name(0xc00), "HCALL");
	cr_expect_str_eq(ppc_hv_vector_name(0xe00), "HDSI");
	cr_expect_str_eq(ppc_hv_vector_name(0xe20), "HISI");
	cr_expect_str_eq(ppc_hv_vector_name(0x980), "HDEC");
	cr_expect_str_eq(ppc_hv_vector_name(0xe80), "HDOORBELL");
	cr_expect_str_eq(ppc_hv_vector_name(0xf80), "HFAC");
	cr_expect_null(ppc_hv_vector_name(0x700));
	cr_expect_str_eq(ppc_vector_name(0x700), "PROGRAM");
}

Test(ppc_decode, mmu_and_fp_rows)
{
	static const char *const priv[] = { "slbmte",  "slbmfee", "slbmfev", "slbie",  "slbia",
					    "slbfee.", "tlbie",   "tlbiel",  "tlbsync" };
	for (size_t i = 0; i < SV_ARRAY_SIZE(priv); i++)
		cr_expect(find(priv[i]) && (find(priv[i])->flags & PPC_F_PRIV), "%s", priv[i]);
	cr_expect_str_eq(ppc_decode(0x7c0e4a64)->name, "tlbie"); /* tlbie r9,r0 */
	cr_expect_str_eq(ppc_decode(0x7c4004ac)->name, "sync");  /* ptesync */
	cr_expect_str_eq(ppc_decode(0xfc22182a)->name, "fadd");  /* fadd f1,f2,f3 */
	cr_expect_str_eq(ppc_decode(0xec22182b)->name, "fadds"); /* fadds. */
	cr_expect_str_eq(ppc_decode(0xfc20048e)->name, "mffs");  /* mffs f1 */
	cr_expect_str_eq(ppc_decode(0xfc21048e)->name, "mffsce");
	cr_expect_null(ppc_decode(0xfc34048e)); /* mffscdrn: no DFP */
	/* Every floating-point row needs MSR[FP]. */
	for (size_t k = 0; k < ppc_decode_n_rows(); k++) {
		const struct ppc_opcode *r = ppc_decode_row(k);
		unsigned po = r->match >> 26;
		if (po == 59 || po == 63 || (po >= 48 && po <= 55))
			cr_expect(r->flags & PPC_F_FP, "%s", r->name);
	}
}
