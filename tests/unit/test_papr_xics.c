/*
 * XICS under PAPR (hv/ppc/papr_xics.c): the presentation controller hcalls
 * (H_CPPR, H_IPI, H_XIRR, H_XIRR_X, H_EOI, H_IPOLL), the source controller's
 * RTAS services (ibm,set-xive, ibm,get-xive, ibm,int-on, ibm,int-off), and
 * the vcpus' external interrupt lines.
 */
#include "test_papr.h"

static struct papr_t t;

static void setup(void)
{
	papr_t_init(&t, 2);
}

static void teardown(void)
{
	papr_t_fini(&t);
}

TestSuite(papr_xics, .init = setup, .fini = teardown);

static bool line(unsigned i)
{
	return hv_ppc_cpu(t.v[i])->ext_irq;
}

Test(papr_xics, ipi_presented_accepted_and_ended)
{
	cr_assert_eq(papr_t_hcall(&t, H_IPI, 1, 4, 0, 0), H_SUCCESS);
	cr_assert_not(line(1), "CPPR 0 at reset masks everything");
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_CPPR, 0xff, 0, 0, 0), H_SUCCESS);
	cr_assert(line(1), "MFRR 4 < CPPR 0xff");
	cr_assert_not(line(0));
	cr_assert_eq(papr_t_hcall(&t, H_IPOLL, 1, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], 0xff000002, "what H_XIRR would return");
	cr_assert_eq(t.c->gpr[5], 4, "MFRR");
	cr_assert(line(1), "H_IPOLL accepts nothing");

	cr_assert_eq(papr_t_hcall_on(&t, 1, H_XIRR, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(hv_ppc_cpu(t.v[1])->gpr[4], 0xff000002, "old CPPR, source 2 (IPI)");
	cr_assert_not(line(1), "CPPR is now the IPI's priority");
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_IPI, 1, 0xff, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_EOI, 0xff000002, 0, 0, 0), H_SUCCESS);
	cr_assert_not(line(1), "MFRR cleared: nothing more");
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_XIRR, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(hv_ppc_cpu(t.v[1])->gpr[4], 0xff000000, "nothing to accept");
}

Test(papr_xics, xirr_x_returns_the_timebase)
{
	cr_assert_eq(papr_t_hcall(&t, H_CPPR, 0xff, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_IPI, 0, 5, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_XIRR_X, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], 0xff000002);
	cr_assert_eq(t.c->gpr[5], cpu_ppc_get_tb(t.c));
}

Test(papr_xics, hostile_arguments)
{
	cr_assert_eq(papr_t_hcall(&t, H_IPI, 2, 4, 0, 0), H_PARAMETER, "no server 2");
	cr_assert_eq(papr_t_hcall(&t, H_IPI, 0, 0x100, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_IPOLL, 7, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_CPPR, 0x100, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_EOI, 0xff000777, 0, 0, 0), H_PARAMETER, "no source 0x777");
	cr_assert_eq(papr_t_hcall(&t, H_EOI, 0x1ff000002ull, 0, 0, 0), H_PARAMETER);
}

/* An RTAS call through KVMPPC_H_RTAS: token, args; returns rets[0..n). */
static int32_t rtas(uint32_t token, unsigned nargs, const uint32_t *args, unsigned nret,
		    uint32_t *rets)
{
	const uint64_t gpa = 0x8000;

	papr_t_put32(&t, gpa, token);
	papr_t_put32(&t, gpa + 4, nargs);
	papr_t_put32(&t, gpa + 8, nret);
	for (unsigned i = 0; i < nargs; i++)
		papr_t_put32(&t, gpa + 12 + 4 * i, args[i]);
	cr_assert_eq(papr_t_hcall(&t, KVMPPC_H_RTAS, gpa, 0, 0, 0), H_SUCCESS);
	for (unsigned i = 0; i < nret; i++) {
		uint8_t b[4];
		cr_assert_eq(p2m_copy_from(t.d->p2m, b, gpa + 12 + 4 * (nargs + i), 4), 0);
		rets[i] = (uint32_t)ld32_be_p(b);
	}
	return (int32_t)rets[0];
}

#define SET_XIVE 0x200c
#define GET_XIVE 0x200d
#define INT_OFF 0x200e
#define INT_ON 0x200f

Test(papr_xics, source_routed_masked_and_presented)
{
	uint32_t r[3], irq = PAPR_XICS_IRQ_BASE + 3;

	cr_assert_eq(papr_t_hcall_on(&t, 1, H_CPPR, 0xff, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_xics_set_irq(t.d, irq, true), 0);
	cr_assert_not(line(0) || line(1), "masked (priority 0xff) at reset");
	cr_assert_eq(rtas(SET_XIVE, 3, (uint32_t[]){ irq, 1, 5 }, 1, r), RTAS_SUCCESS);
	cr_assert(line(1), "routed to server 1 at priority 5");
	cr_assert_eq(rtas(GET_XIVE, 1, (uint32_t[]){ irq }, 3, r), RTAS_SUCCESS);
	cr_assert_eq(r[1], 1);
	cr_assert_eq(r[2], 5);
	cr_assert_eq(rtas(INT_OFF, 1, (uint32_t[]){ irq }, 1, r), RTAS_SUCCESS);
	cr_assert_not(line(1));
	cr_assert_eq(rtas(GET_XIVE, 1, (uint32_t[]){ irq }, 3, r), RTAS_SUCCESS);
	cr_assert_eq(r[2], 0xff);
	cr_assert_eq(rtas(INT_ON, 1, (uint32_t[]){ irq }, 1, r), RTAS_SUCCESS);
	cr_assert(line(1), "the saved priority is back");

	/* Accept, then the level source comes back after EOI until lowered. */
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_XIRR, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(hv_ppc_cpu(t.v[1])->gpr[4], 0xff000000 | irq);
	cr_assert_not(line(1));
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_EOI, 0xff000000 | irq, 0, 0, 0), H_SUCCESS);
	cr_assert(line(1), "still asserted");
	cr_assert_eq(papr_xics_set_irq(t.d, irq, false), 0);
	cr_assert_not(line(1));

	/* The IPI outranks a less favoured source. */
	cr_assert_eq(papr_xics_set_irq(t.d, irq, true), 0);
	cr_assert_eq(papr_t_hcall(&t, H_IPI, 1, 2, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_XIRR, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(hv_ppc_cpu(t.v[1])->gpr[4], 0xff000002);
}

Test(papr_xics, rtas_rejects_bad_sources_and_servers)
{
	uint32_t r[3];

	cr_assert_eq(rtas(SET_XIVE, 3, (uint32_t[]){ 0x2000, 0, 5 }, 1, r), RTAS_PARAMETER_ERROR);
	cr_assert_eq(rtas(SET_XIVE, 3, (uint32_t[]){ PAPR_XICS_IRQ_BASE, 9, 5 }, 1, r),
		     RTAS_PARAMETER_ERROR, "no server 9");
	cr_assert_eq(rtas(SET_XIVE, 3, (uint32_t[]){ PAPR_XICS_IRQ_BASE, 0, 0x100 }, 1, r),
		     RTAS_PARAMETER_ERROR);
	cr_assert_eq(rtas(SET_XIVE, 2, (uint32_t[]){ PAPR_XICS_IRQ_BASE, 0 }, 1, r),
		     RTAS_PARAMETER_ERROR, "too few arguments");
	cr_assert_eq(rtas(GET_XIVE, 1, (uint32_t[]){ 2 }, 3, r), RTAS_PARAMETER_ERROR,
		     "the IPI is no ICS source");
	cr_assert_eq(rtas(GET_XIVE, 1, (uint32_t[]){ PAPR_XICS_IRQ_BASE }, 1, r),
		     RTAS_PARAMETER_ERROR, "too few returns");
	cr_assert_eq(rtas(INT_ON, 1, (uint32_t[]){ 0xffffffff }, 1, r), RTAS_PARAMETER_ERROR);
	cr_assert_eq(rtas(INT_OFF, 0, NULL, 1, r), RTAS_PARAMETER_ERROR);
	cr_assert_eq(papr_xics_set_irq(t.d, PAPR_XICS_IRQ_BASE + PAPR_XICS_NR_IRQS, true), -1);
}

/*
 * The vty's interrupt: console input raises VIRQ_CONSOLE, whose port the
 * partition's XICS presents as the edge source PAPR_VTY_IRQ (latched while
 * masked, consumed by the H_XIRR that accepts it, not re-presented after the
 * EOI).
 */
Test(papr_xics, console_input_raises_the_vty_edge_source)
{
	uint32_t r[3], irq = PAPR_VTY_IRQ;

	cr_assert_neq(t.v[0]->virq_to_port[VIRQ_CONSOLE], 0, "VIRQ_CONSOLE bound at vcpu 0");
	cr_assert_eq(papr_t_hcall(&t, H_CPPR, 0xff, 0, 0, 0), H_SUCCESS);
	hv_console_input(t.d);
	cr_assert_not(line(0), "masked until ibm,set-xive");
	cr_assert_eq(rtas(SET_XIVE, 3, (uint32_t[]){ irq, 0, 5 }, 1, r), RTAS_SUCCESS);
	cr_assert(line(0), "the latched edge is presented once routed");
	cr_assert_eq(papr_t_hcall(&t, H_XIRR, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->gpr[4], 0xff000000 | irq);
	cr_assert_eq(papr_t_hcall(&t, H_EOI, 0xff000000 | irq, 0, 0, 0), H_SUCCESS);
	cr_assert_not(line(0), "an edge is not presented again after its EOI");
	hv_console_input(t.d);
	cr_assert(line(0), "more input, another edge");
	cr_assert_not(line(1));
}
