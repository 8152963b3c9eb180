/*
 * What a POWER exit trace line says beyond the vector: the registers the
 * hypervisor interrupt set (Power ISA v3.0 Book III 7.5), decoded, so that a
 * reader of `--trace=exits` sees "hdsisr=0x42000000 (not-found store)" and
 * "heir=0x7c764ba6 mtspr 0x136, r3 spr=HDEC" rather than numbers to look up.
 *
 *   HCALL 0xC00   the hypercall: number, name (the personality's table) and
 *                 its arguments r4.. (as many as the table shows)
 *   HDSI  0xE00   HDAR, HDSISR (33 not found, 36 protection, 35 during the
 *                 table walk, 38 store, 42 key) and ASDR (the guest real
 *                 address of the page)
 *   HISI  0xE20   the HSRR1 cause bits and ASDR
 *   HEA   0xE40   HEIR: the instruction image, disassembled, and for
 *                 mtspr/mfspr the SPR's name
 *   HDEC  0x980   HDEC now (negative: the slice that ended)
 *   HDOORBELL 0xE80  DPDES (the doorbells pending)
 *   HFAC  0xF80   the facility (HFSCR[IC], bits 0:7)
 *
 * Worked example (Linux's first H_PUT_TERM_CHAR):
 *   "... HV 0xc00 HCALL pc=0xc000000000010a2c srr1=0x8000000000001033
 *    nr=0x58 H_PUT_TERM_CHAR(0x30000000, 0x10, 0x5b20202020302e30,
 *    0x30303030305d204c)"
 */
#include "hv/ppc/ppc.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/hypercall.h"

#include <inttypes.h>

static void hv_ppc_describe_hcall(struct vcpu *v, struct cpu_ppc *c, GString *out)
{
	const struct hv_hypercall_table *t = v->d->hypercalls;
	const struct hv_hypercall *h = t ? hv_hypercall_lookup(t, c->gpr[3]) : NULL;
	const char *subop = h ? hv_hypercall_subop_name(h, c->gpr[4]) : NULL;
	unsigned n = h ? h->nargs : 6;

	g_string_append_printf(out, t && t->hex ? " nr=0x%" PRIx64 : " nr=%" PRIu64, c->gpr[3]);
	g_string_append_printf(out, " %s%s%s(", h && h->name ? h->name : "unknown",
			       subop ? ":" : "", subop ? subop : "");
	for (unsigned i = 0; i < n && i < 6; i++)
		g_string_append_printf(out, "%s0x%" PRIx64, i ? ", " : "", c->gpr[4 + i]);
	g_string_append_c(out, ')');
}

/* The cause bits of an HDSISR or an HISI's HSRR1 (the same positions). */
static void hv_ppc_describe_cause(uint64_t bits, bool data, GString *out)
{
	bool first = true;
	const struct {
		uint64_t bit;
		const char *name;
		bool data_only;
	} causes[] = {
		{ PPC_ISR_NOT_FOUND, "not-found", false },
		{ PPC_DSISR_PTW, "table-walk", true },
		{ PPC_ISR_PROTECT, "protection", false },
		{ PPC_DSISR_STORE, "store", true },
		{ PPC_DSISR_KEY, "key", true },
	};

	g_string_append(out, " (");
	for (size_t i = 0; i < G_N_ELEMENTS(causes); i++) {
		if (!(bits & causes[i].bit) || (causes[i].data_only && !data))
			continue;
		g_string_append_printf(out, "%s%s", first ? "" : " ", causes[i].name);
		first = false;
	}
	if (data && !(bits & PPC_DSISR_STORE))
		g_string_append_printf(out, "%sload", first ? "" : " ");
	else if (first)
		g_string_append(out, "?");
	g_string_append_c(out, ')');
}

/* mtspr / mfspr (primary 31, XO 467 / 339): the SPR field, halves swapped. */
static int hv_ppc_insn_spr(uint32_t insn)
{
	unsigned xo = (insn >> 1) & 0x3ff;

	if (insn >> 26 != 31 || (xo != 467 && xo != 339))
		return -1;
	return (int)(((insn >> 16) & 0x1f) | ((insn >> 6) & 0x3e0));
}

static void hv_ppc_describe_hea(struct cpu_ppc *c, const struct cpu_exit *e, GString *out)
{
	uint32_t insn = (uint32_t)c->heir;
	char dis[96];
	int spr = hv_ppc_insn_spr(insn);

	g_string_append_printf(out, " heir=0x%08" PRIx32, insn);
	if (cpu_ppc_disas_word(insn, e->pc, dis, sizeof(dis)) == 0)
		g_string_append_printf(out, " %s", dis);
	if (spr >= 0) {
		const char *name = ppc_spr_name((unsigned)spr);
		if (name)
			g_string_append_printf(out, " spr=%s", name);
		else
			g_string_append_printf(out, " spr=%d", spr);
	}
}

void hv_ppc_exit_describe(struct vcpu *v, const struct cpu_exit *e, GString *out)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);

	switch (e->reason) {
	case PPC_VEC_SYSTEM_CALL: hv_ppc_describe_hcall(v, c, out); break;
	case PPC_VEC_HDSI:
		g_string_append_printf(out, " hdar=0x%" PRIx64 " hdsisr=0x%" PRIx64, c->hdar,
				       c->hdsisr);
		hv_ppc_describe_cause(c->hdsisr, true, out);
		g_string_append_printf(out, " asdr=0x%" PRIx64, c->asdr);
		break;
	case PPC_VEC_HISI:
		hv_ppc_describe_cause(c->hsrr1 & PPC_SRR1_INTR_MASK, false, out);
		g_string_append_printf(out, " asdr=0x%" PRIx64, c->asdr);
		break;
	case PPC_VEC_HEA: hv_ppc_describe_hea(c, e, out); break;
	case PPC_VEC_HDEC:
		g_string_append_printf(out, " hdec=%" PRId64, (int64_t)cpu_ppc_get_hdec(c));
		break;
	case PPC_VEC_HDOORBELL: g_string_append_printf(out, " dpdes=0x%" PRIx64, c->dpdes); break;
	case PPC_VEC_HFAC:
		g_string_append_printf(out, " facility=%u", (unsigned)(c->hfscr >> 56));
		break;
	default: break;
	}
}
