/*
 * PAPR processor hcalls (hv/ppc/papr_vcpu.c): H_SET_MODE, H_REGISTER_VPA,
 * H_GET_CPU_CHARACTERISTICS, H_HOME_NODE_ASSOCIATIVITY, H_RANDOM,
 * H_SET_SPRG0, H_SET_DABR/XDABR, and H_CEDE/H_PROD/H_CONFER through hv's
 * blocking (hv/sched.c), with their error returns.
 */
#include "test_papr.h"

#include "hv/time.h"

#define T_VPA_FUNC(f) ((uint64_t)(f) << (63 - 18))

static struct papr_t t;

static void setup(void)
{
	papr_t_init(&t, 2);
}

static void teardown(void)
{
	papr_t_fini(&t);
}

TestSuite(papr_vcpu, .init = setup, .fini = teardown);

Test(papr_vcpu, set_mode_le_and_ail)
{
	struct cpu_ppc *c1 = hv_ppc_cpu(t.v[1]);

	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 0, 4, 0, 0), H_SUCCESS, "big-endian interrupts");
	cr_assert_not(t.c->lpcr & PPC_LPCR_ILE);
	cr_assert_not(c1->lpcr & PPC_LPCR_ILE, "partition-wide");
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 1, 4, 0, 0), H_SUCCESS);
	cr_assert(c1->lpcr & PPC_LPCR_ILE);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 2, 4, 0, 0), H_UNSUPPORTED_FLAG_START);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 1, 4, 1, 0), H_P3);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 1, 4, 0, 1), H_P4);

	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 3, 3, 0, 0), H_SUCCESS, "AIL = 3");
	cr_assert_eq((c1->lpcr & PPC_LPCR_AIL) >> PPC_LPCR_AIL_SHIFT, 3);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 1, 3, 0, 0), H_UNSUPPORTED_FLAG_START);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 4, 3, 0, 0), H_UNSUPPORTED_FLAG_START);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 0, 3, 7, 0), H_P3);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 0, 3, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->lpcr & PPC_LPCR_AIL, 0);
}

Test(papr_vcpu, set_mode_breakpoints_and_unknown_resource)
{
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 0, 1, 0x1000 | 1, 0), H_SUCCESS, "CIABR");
	cr_assert_eq(t.c->ciabr, 0x1001);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 0, 1, 0x1000 | 3, 0), H_P3, "hypervisor CIABR");
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 1, 1, 0, 0), H_UNSUPPORTED_FLAG_START);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 0, 2, 0x2000, 3), H_SUCCESS, "DAWR0");
	cr_assert_eq(t.c->dawr0, 0x2000);
	cr_assert_eq(t.c->dawrx0, 3);
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 0, 2, 0x2000, 4), H_P4, "DAWRX[HYP]");
	cr_assert_eq(papr_t_hcall(&t, H_SET_MODE, 0, 9, 0, 0), H_P2);
}

/* A VPA at gpa: its size (be16 at offset 4); a DTL / SLB shadow: be32. */
Test(papr_vcpu, register_vpa_checks)
{
	struct papr_vcpu *pv = papr_vcpu_of(t.v[1]);

	papr_t_put16(&t, 0x10004, 0x280);
	papr_t_put32(&t, 0x20004, 0x1000);
	papr_t_put32(&t, 0x30004, 0x100);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(2), 1, 0x20000, 0), H_RESOURCE,
		     "a DTL needs the VPA first");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(3), 1, 0x30000, 0), H_RESOURCE);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(1), 1, 0x10000, 0), H_SUCCESS);
	cr_assert_eq(pv->vpa, 0x10000);
	cr_assert_eq(pv->vpa_size, 0x280);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(2), 1, 0x20000, 0), H_SUCCESS);
	cr_assert_eq(pv->dtl_size, 0x1000);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(3), 1, 0x30000, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(5), 1, 0, 0), H_RESOURCE,
		     "the VPA stays while the DTL and SLB shadow are registered");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(6), 1, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(7), 1, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(5), 1, 0, 0), H_SUCCESS);
	cr_assert_eq(pv->vpa, 0);
	cr_assert_eq(papr_vcpu_of(t.v[0])->vpa, 0, "only processor 1's");

	/* Hostile arguments. */
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(1), 2, 0x10000, 0), H_PARAMETER,
		     "no processor 2");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(1), 0, 0x10008, 0), H_PARAMETER,
		     "misaligned VPA");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(1), 0, PAPRT_RAM, 0), H_PARAMETER,
		     "outside RAM");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(1), 0, ~0ull & ~127ull, 0),
		     H_PARAMETER);
	papr_t_put16(&t, 0x40004, 0x100);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(1), 0, 0x40000, 0), H_PARAMETER,
		     "VPA smaller than 640 bytes");
	papr_t_put16(&t, 0x40f84, 0x280);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(1), 0, 0x40f80, 0), H_PARAMETER,
		     "VPA across a page boundary");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(1), 0, 0x10000, 0), H_SUCCESS);
	papr_t_put32(&t, 0x50004, 16);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(2), 0, 0x50000, 0), H_PARAMETER,
		     "DTL smaller than one entry");
	papr_t_put32(&t, 0x50004, 0xffffffff);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(2), 0, 0x50000, 0), H_PARAMETER,
		     "DTL beyond RAM");
	papr_t_put32(&t, 0x50ffc, 0x100);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(3), 0, 0x50ff8, 0), H_PARAMETER,
		     "SLB shadow across a page");
	papr_t_put32(&t, 0x51004, 4);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(3), 0, 0x51000, 0), H_PARAMETER,
		     "SLB shadow smaller than its header");
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(0), 0, 0x10000, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_REGISTER_VPA, T_VPA_FUNC(4), 0, 0x10000, 0), H_PARAMETER);
}

Test(papr_vcpu, cpu_characteristics_report_nothing_to_mitigate)
{
	cr_assert_eq(papr_t_hcall(&t, H_GET_CPU_CHARACTERISTICS, 0, 0, 0, 0), H_SUCCESS);
	cr_assert(t.c->gpr[4] & (1ull << 56), "count cache disabled");
	cr_assert_not(t.c->gpr[5] & (1ull << 62), "no L1D flush on return to user");
	cr_assert(t.c->gpr[5] & (1ull << 56), "no L1D flush on entry");
	cr_assert(t.c->gpr[5] & (1ull << 54), "no store-forwarding barrier");
}

Test(papr_vcpu, home_node_associativity)
{
	cr_assert_eq(papr_t_hcall(&t, H_HOME_NODE_ASSOCIATIVITY, 1, 1, 0, 0), H_SUCCESS);
	for (unsigned i = 4; i <= 9; i++)
		cr_assert_eq(t.c->gpr[i], ~0ull, "an empty list: one node");
	cr_assert_eq(papr_t_hcall(&t, H_HOME_NODE_ASSOCIATIVITY, 2, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall(&t, H_HOME_NODE_ASSOCIATIVITY, 1, 2, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_HOME_NODE_ASSOCIATIVITY, 3, 0, 0, 0), H_PARAMETER);
}

Test(papr_vcpu, random_is_deterministic)
{
	uint64_t a[3], b[3];
	struct papr_t u;

	for (unsigned i = 0; i < 3; i++) {
		cr_assert_eq(papr_t_hcall(&t, H_RANDOM, 0, 0, 0, 0), H_SUCCESS);
		a[i] = t.c->gpr[4];
	}
	cr_assert_neq(a[0], a[1]);
	cr_assert_neq(a[1], a[2]);
	papr_t_init(&u, 1);
	for (unsigned i = 0; i < 3; i++) {
		cr_assert_eq(papr_t_hcall(&u, H_RANDOM, 0, 0, 0, 0), H_SUCCESS);
		b[i] = u.c->gpr[4];
	}
	papr_t_fini(&u);
	cr_assert_arr_eq(a, b, sizeof(a), "a second partition draws the same sequence");
}

Test(papr_vcpu, sprg0_and_dabr)
{
	cr_assert_eq(papr_t_hcall(&t, H_SET_SPRG0, 0xabcd, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(t.c->sprg[0], 0xabcd);
	cr_assert_eq(papr_t_hcall(&t, H_SET_DABR, 0x1238, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_vcpu_of(t.v[0])->dabr, 0x1238);
	cr_assert_eq(papr_t_hcall(&t, H_SET_XDABR, 0x2000, 3, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_vcpu_of(t.v[0])->dabrx, 3);
	cr_assert_eq(papr_t_hcall(&t, H_SET_XDABR, 0x2000, 4 | 2, 0, 0), H_PARAMETER,
		     "the hypervisor bit");
	cr_assert_eq(papr_t_hcall(&t, H_SET_XDABR, 0x2000, 8, 0, 0), H_PARAMETER,
		     "neither user nor kernel");
	cr_assert_eq(papr_t_hcall(&t, H_SET_XDABR, 0x2000, 0x13, 0, 0), H_PARAMETER);
}

Test(papr_vcpu, cede_blocks_until_the_decrementer)
{
	struct vcpu *v = t.v[0];

	t.v[1]->blocked = true; /* out of the way: only vcpu 0 runs */
	t.v[1]->block = HV_BLOCK_SCHED;
	t.c->hv_vector = PPC_VEC_SYSTEM_CALL;
	t.c->srr1 = PPC_MSR_SF | PPC_MSR_LE;
	cpu_ppc_set_dec(t.c, 5000);
	uint64_t due = cpu_ppc_dec_deadline(t.c);
	cr_assert_eq(papr_t_hcall(&t, H_CEDE, 0, 0, 0, 0), H_SUCCESS);
	cr_assert(t.c->srr1 & PPC_MSR_EE, "H_CEDE returns with interrupts enabled");
	cr_assert(v->blocked);
	cr_assert_eq(v->block, HV_BLOCK_ARCH);
	cr_assert_not(hv_vcpu_runnable(v), "the decrementer is still positive");
	cr_assert(hv_domain_idle(t.d), "time can move to the decrementer");
	/* The clock and the time base moved; the instruction count did not. */
	cr_assert_geq(hv_time_now(v), hv_time_insns_to_ns(due));
	cr_assert_lt(cpu_icount(v->cpu), due);
	cr_assert(hv_vcpu_runnable(v), "DEC went negative: awake");
	cr_assert((int64_t)cpu_ppc_get_dec(t.c) < 0);
}

Test(papr_vcpu, prod_wakes_and_confer_returns)
{
	struct vcpu *v1 = t.v[1];

	cpu_ppc_set_dec(hv_ppc_cpu(v1), 0x7fffffff);
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_CEDE, 0, 0, 0, 0), H_SUCCESS);
	cr_assert(v1->blocked);
	cr_assert_not(hv_vcpu_runnable(v1));
	cr_assert_eq(papr_t_hcall(&t, H_PROD, 1, 0, 0, 0), H_SUCCESS);
	cr_assert(hv_vcpu_runnable(v1), "prodded");
	/* A prod before the cede makes the cede return at once. */
	cr_assert_eq(papr_t_hcall(&t, H_PROD, 1, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_CEDE, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_not(v1->blocked);
	cr_assert_eq(papr_t_hcall(&t, H_PROD, 2, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(papr_t_hcall(&t, H_CONFER, 5, 0, 0, 0), H_PARAMETER);
}

/* H_CONFER gives the rest of the turn away: the caller waits until the
 * processor it conferred to has run (its clock moved past the caller's),
 * and returns at once if that one cannot run (ceded) or is itself. */
Test(papr_vcpu, confer_yields_to_a_running_processor)
{
	struct vcpu *v0 = t.v[0], *v1 = t.v[1];

	cr_assert_eq(papr_t_hcall(&t, H_CONFER, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_not(v0->blocked, "to itself: nothing to give");
	cr_assert_eq(papr_t_hcall(&t, H_CONFER, 1, 0, 0, 0), H_SUCCESS);
	cr_assert(v0->blocked, "vcpu 1 can run: vcpu 0 waits");
	cr_assert_not(hv_vcpu_runnable(v0), "vcpu 1 has not run yet");
	hv_time_advance(v1, hv_time_now(v0) + 1000); /* vcpu 1's turn */
	cr_assert(hv_vcpu_runnable(v0), "the turn came back");

	hv_time_advance(v0, hv_time_now(v1)); /* its turn starts at the front */
	cr_assert_eq(papr_t_hcall(&t, H_CONFER, ~0ull, 0, 0, 0), H_SUCCESS);
	cr_assert(v0->blocked, "to all the others");
	cpu_ppc_set_dec(hv_ppc_cpu(v1), 0x7fffffff);
	cr_assert_eq(papr_t_hcall_on(&t, 1, H_CEDE, 0, 0, 0, 0), H_SUCCESS);
	cr_assert(hv_vcpu_runnable(v0), "nobody else can run: no need to wait");
	cr_assert_eq(papr_t_hcall(&t, H_CONFER, 1, 0, 0, 0), H_SUCCESS);
	cr_assert_not(v0->blocked, "vcpu 1 is ceded");
}

/*
 * Processors start and stop through RTAS: at boot vcpu 1 is stopped;
 * start-cpu starts it in big-endian 64-bit real mode at the address given
 * with r3, the partition's LPCR (here ILE from H_SET_MODE) and the caller's
 * clock, and it runs there; stop-self stops it again. Bad ids, addresses
 * outside RAM and a start of a running processor are refused.
 */
#define T_QCSS 0x2010
#define T_START_CPU 0x2011
#define T_STOP_SELF 0x2012

Test(papr_vcpu, start_cpu_and_stop_self)
{
	struct vcpu *v1 = t.v[1];
	struct cpu_ppc *c1 = hv_ppc_cpu(v1);
	uint32_t id = 1, bad = 7, rets[2];
	uint32_t start[3] = { 1, 0x4000, 0x1234 };
	uint8_t code[8];

	papr_stop_secondaries(t.d);
	cr_assert(v1->down);
	cr_assert_not(t.v[0]->down);
	cr_assert_eq(papr_t_rtas(&t, 0, T_QCSS, 1, &id, 2, rets), RTAS_SUCCESS);
	cr_assert_eq(rets[1], 0, "stopped");
	cr_assert_eq(papr_t_rtas(&t, 0, T_QCSS, 1, &bad, 2, rets), RTAS_PARAMETER_ERROR);

	/* li r4,7 ; sc 1 (big-endian: start-cpu's byte order). */
	st32_be_p(code, 0x38800007);
	st32_be_p(code + 4, 0x44000022);
	cr_assert_eq(p2m_copy_to(t.d->p2m, 0x4000, code, 8), 0);
	cr_assert_eq(papr_t_hcall(&t, 0x31c /* H_SET_MODE */, 1, 4 /* LE */, 0, 0), H_SUCCESS);
	hv_time_advance(t.v[0], 50000);
	cr_assert_eq(papr_t_rtas(&t, 0, T_START_CPU, 3, start, 1, NULL), RTAS_SUCCESS);
	cr_assert_not(v1->down);
	cr_assert_eq(c1->pc, 0x4000);
	cr_assert_eq(c1->gpr[3], 0x1234);
	cr_assert_eq(c1->msr, PPC_MSR_SF | PPC_MSR_ME, "real mode, big-endian");
	cr_assert(c1->lpcr & PPC_LPCR_ILE, "the partition's interrupt byte order");
	cr_assert_geq(hv_time_now(v1), hv_time_now(t.v[0]), "the caller's time");
	cr_assert_eq(papr_t_rtas(&t, 0, T_QCSS, 1, &id, 2, rets), RTAS_SUCCESS);
	cr_assert_eq(rets[1], 2, "running");
	cr_assert_eq(cpu_exec(&c1->cpu, 100), CPU_STOP_EXIT);
	cr_assert_eq(c1->cpu.exit.pc, 0x4004);
	cr_assert_eq(c1->gpr[4], 7);

	cr_assert_eq(papr_t_rtas(&t, 0, T_START_CPU, 3, start, 1, NULL), RTAS_HARDWARE_ERROR,
		     "already running");
	cr_assert_eq(papr_t_rtas(&t, 1, T_STOP_SELF, 0, NULL, 1, NULL), RTAS_SUCCESS);
	cr_assert(v1->down);
	cr_assert_not(hv_vcpu_runnable(v1));
	start[1] = PAPRT_RAM;
	cr_assert_eq(papr_t_rtas(&t, 0, T_START_CPU, 3, start, 1, NULL), RTAS_PARAMETER_ERROR,
		     "outside RAM");
	start[0] = 7;
	start[1] = 0x4000;
	cr_assert_eq(papr_t_rtas(&t, 0, T_START_CPU, 3, start, 1, NULL), RTAS_PARAMETER_ERROR);
	cr_assert_not(t.d->shut_down);
	cr_assert_eq(papr_t_rtas(&t, 0, T_STOP_SELF, 0, NULL, 1, NULL), RTAS_SUCCESS);
	cr_assert(t.d->shut_down, "no processor left");
}

/* msgsnd from hypervisor state reaches the partition's processor by PIR
 * through hv's hook; an unknown PIR reaches nobody. vcpu 1 then exits with
 * 0xE80 at its next instruction, and hv resumes it. */
Test(papr_vcpu, msgsnd_rings_the_vcpu_with_that_pir)
{
	struct cpu_ppc *c1 = hv_ppc_cpu(t.v[1]);
	uint8_t code[8];

	st32_le_p(code, 0x7c00299c);     /* msgsnd r5 */
	st32_le_p(code + 4, 0x7c00319c); /* msgsnd r6 */
	cr_assert_eq(p2m_copy_to(t.d->p2m, 0x3000, code, 8), 0);
	t.c->pc = 0x3000;
	t.c->msr |= PPC_MSR_HV;
	t.c->gpr[5] = (5u << 27) | c1->pir;
	t.c->gpr[6] = (5u << 27) | 77;
	cr_assert_eq(cpu_exec(&t.c->cpu, 2), CPU_STOP_BUDGET);
	cr_expect(c1->hdbell);
	cr_expect_not(t.c->hdbell);

	c1->pc = 0x3000;
	cr_assert_eq(cpu_exec(&c1->cpu, 10), CPU_STOP_EXIT);
	cr_expect_eq(c1->cpu.exit.reason, PPC_VEC_HDOORBELL, "exit %#x", c1->cpu.exit.reason);
	cr_expect_eq(hv_vcpu_handle_exit(t.v[1]), HV_RESUME);
	cr_expect_eq(c1->pc, 0x3000);
	cr_expect_not(c1->msr & PPC_MSR_HV);
}
