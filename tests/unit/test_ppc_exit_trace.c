/*
 * The POWER exits trace's decoding (hv/ppc/exit_trace.c), line by line as
 * `--trace=exits` prints it after "HV 0x... NAME pc=... (h)srr1=...": the
 * hcall with the personality's name and arguments, HDSI's HDAR/HDSISR/ASDR,
 * HISI's cause and ASDR, HEA's instruction image disassembled, HDEC.
 */
#include "test_papr.h"

static struct papr_t t;

static void setup(void)
{
	papr_t_init(&t, 1);
}

static void teardown(void)
{
	papr_t_fini(&t);
}

TestSuite(ppc_exit_trace, .init = setup, .fini = teardown);

/* The detail of an exit with vector vec, as the trace line ends. */
static char *describe(uint32_t vec)
{
	static char buf[256];
	struct cpu_exit e = { .kind = CPU_EXIT_HV, .reason = vec, .pc = 0x1000 };
	GString *s = g_string_new(NULL);

	hv_ppc_exit_describe(t.v[0], &e, s);
	g_strlcpy(buf, s->str, sizeof(buf));
	g_string_free(s, TRUE);
	return buf;
}

Test(ppc_exit_trace, hcall_named_with_its_arguments)
{
	t.c->gpr[3] = H_PUT_TERM_CHAR;
	t.c->gpr[4] = PAPR_VTERM_NO;
	t.c->gpr[5] = 2;
	t.c->gpr[6] = 0x6869000000000000ull;
	t.c->gpr[7] = 0;
	cr_expect_str_eq(describe(PPC_VEC_SYSTEM_CALL),
			 " nr=0x58 H_PUT_TERM_CHAR(0x30000000, 0x2, 0x6869000000000000, 0x0)");
	t.c->gpr[3] = 0x9999;
	cr_expect_str_eq(describe(PPC_VEC_SYSTEM_CALL),
			 " nr=0x9999 unknown(0x30000000, 0x2, 0x6869000000000000, 0x0, 0x0, 0x0)");
}

Test(ppc_exit_trace, hdsi_hdar_hdsisr_asdr)
{
	t.c->hdar = 0xc000000012345678ull;
	t.c->hdsisr = PPC_ISR_NOT_FOUND | PPC_DSISR_STORE;
	t.c->asdr = 0x12345000;
	cr_expect_str_eq(describe(PPC_VEC_HDSI), " hdar=0xc000000012345678 hdsisr=0x42000000 "
						 "(not-found store) asdr=0x12345000");
	t.c->hdsisr = PPC_ISR_PROTECT | PPC_DSISR_PTW;
	cr_expect_str_eq(describe(PPC_VEC_HDSI), " hdar=0xc000000012345678 hdsisr=0x18000000 "
						 "(table-walk protection load) asdr=0x12345000");
}

Test(ppc_exit_trace, hisi_cause_and_asdr)
{
	t.c->hsrr1 = PPC_MSR_SF | PPC_ISR_NOT_FOUND;
	t.c->asdr = 0x40000000;
	cr_expect_str_eq(describe(PPC_VEC_HISI), " (not-found) asdr=0x40000000");
}

Test(ppc_exit_trace, hea_disassembles_heir)
{
	t.c->heir = 0x7c764ba6; /* mtspr HDEC, r3 */
	cr_expect_str_eq(describe(PPC_VEC_HEA), " heir=0x7c764ba6 mtspr 0x136, r3 spr=HDEC");
	t.c->heir = 0x7c7e4aa6; /* mfspr r3, LPCR (318) */
	cr_expect_str_eq(describe(PPC_VEC_HEA), " heir=0x7c7e4aa6 mfspr r3, 0x13e spr=LPCR");
	t.c->heir = 0x7c00499c; /* msgsnd r9: capstone does not know it */
	cr_expect_str_eq(describe(PPC_VEC_HEA), " heir=0x7c00499c .long 0x7c00499c (msgsnd)");
	t.c->heir = 0x00000000;
	cr_expect_str_eq(describe(PPC_VEC_HEA), " heir=0x00000000 .long 0x00000000");
}

Test(ppc_exit_trace, hdec_value)
{
	cpu_ppc_set_hdec(t.c, (uint64_t)-3);
	cr_expect_str_eq(describe(PPC_VEC_HDEC), " hdec=-3");
}
