/*
 * POWER privilege, interrupts and exits to the hypervisor: sc 1 (hcall) and
 * its return, sc 0, sc 1 from problem state, rfid/mtmsrd, program interrupts,
 * HEA for hypervisor SPRs, HDSI/HISI for gpas outside the p2m, decrementer.
 */
#include "test_ppc.h"

#define BOTH(le) for (int le = 1; le >= 0; le--)

Test(ppc_hv, kexec_start_state)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		cpu_ppc_reset_kexec(t.c, 0x4000, 0x1234, 0x10000, 0, le);
		cr_expect_eq(t.c->msr, PPC_MSR_SF | PPC_MSR_ME | (le ? PPC_MSR_LE : 0));
		cr_expect_eq(!!(t.c->lpcr & PPC_LPCR_ILE), le);
		cr_expect_eq(t.c->pc, 0x4000);
		cr_expect_eq(t.c->gpr[3], 0x1234);
		cr_expect_eq(t.c->gpr[4], 0x10000);
		cr_expect_eq(t.c->gpr[1], 0);
		ppc_t_fini(&t);
	}
}

Test(ppc_hv, hcall_exit_and_return)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		uint32_t w[] = { ppc_li(3, 18), ppc_li(4, 0),      ppc_li(5, 3), ppc_li(6, 0x100),
				 PPC_SC1,       ppc_addi(7, 3, 1), PPC_SC1 };
		ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
		uint64_t msr = t.c->msr;
		ppc_t_run_exit(&t, 0xc00);
		struct cpu_exit *e = &t.c->cpu.exit;
		cr_expect_eq(e->pc, 0x1010);
		cr_expect_eq(t.c->srr0, 0x1014);
		cr_expect_eq(e->qualification, t.c->srr1);
		cr_expect_eq(t.c->srr1, msr);
		cr_expect(t.c->msr & PPC_MSR_HV);
		cr_expect_eq(t.c->gpr[3], 18);
		cr_expect_eq(t.c->gpr[5], 3);
		cr_expect_eq(t.c->gpr[6], 0x100);
		cr_expect_str_eq(ppc_hv_vector_name(e->reason), "HCALL");
		/* The hypervisor returns a result in r3 and resumes the guest. */
		t.c->gpr[3] = 41;
		cpu_ppc_hv_return(t.c);
		cr_expect_eq(t.c->pc, 0x1014);
		cr_expect_eq(t.c->msr, msr);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[7], 42);
		cr_expect_eq(t.c->cpu.exit.pc, 0x1018);
		ppc_t_fini(&t);
	}
}

/* Low-memory handler at vec: save SRR0/SRR1 in r20/r21 and hcall. */
static void install_handler(struct ppc_t *t, uint64_t vec)
{
	uint32_t h[] = { ppc_mfspr(20, 26), ppc_mfspr(21, 27), ppc_mfspr(22, 19), PPC_SC1 };
	ppc_t_code(t, vec, h, 4);
}

/* Enter problem state at 0x3000 with rfid (translation on: the page of 0x3000
 * is mapped to itself by an HPT at PPC_T_HPT, segment 0 = VSID 0x55, Kp = 1). */
static void drop_to_user(struct ppc_t *t, const uint32_t *user, size_t n)
{
	ppc_t_hpt(t, PPC_T_HPT, 18);
	ppc_t_slb(t, 0, 0, 0x55, PPC_SLB_KP);
	ppc_t_map4k(t, 0x55, 0x3000, 0x3000, 0, PPC_T_PP_RW);
	ppc_t_code(t, 0x3000, user, n);
	t->c->srr0 = 0x3000;
	t->c->srr1 = t->c->msr | PPC_MSR_PR | PPC_MSR_EE;
	uint32_t k[] = { PPC_RFID };
	ppc_t_code(t, PPC_T_CODE, k, 1);
}

Test(ppc_hv, sc1_from_problem_state_is_program_interrupt)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		install_handler(&t, 0x700);
		uint32_t user[] = { ppc_li(3, 5), PPC_SC1 };
		drop_to_user(&t, user, 2);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->cpu.exit.pc, 0x70c);
		cr_expect_eq(t.c->gpr[20], 0x3004);
		cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_PRIV);
		cr_expect(t.c->gpr[21] & PPC_MSR_PR);
		cr_expect_eq(t.c->gpr[3], 5);
		ppc_t_fini(&t);
	}
}

Test(ppc_hv, sc0_goes_to_guest_kernel)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	install_handler(&t, 0xc00);
	uint32_t user[] = { PPC_SC0 };
	drop_to_user(&t, user, 1);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->cpu.exit.pc, 0xc0c);
	cr_expect_eq(t.c->gpr[20], 0x3004);
	cr_expect(t.c->gpr[21] & PPC_MSR_PR);
	/* The handler runs with LE = LPCR[ILE], PR = 0, HV = 0. */
	cr_expect_eq(t.c->srr1 & (PPC_MSR_PR | PPC_MSR_HV | PPC_MSR_LE), PPC_MSR_LE);
	ppc_t_fini(&t);
}

Test(ppc_hv, privileged_insn_and_spr_from_user)
{
	struct ppc_t t;
	ppc_t_init(&t, false);
	install_handler(&t, 0x700);
	uint32_t user[] = { ppc_mfspr(3, 26) /* mfsrr0 */ };
	drop_to_user(&t, user, 1);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[20], 0x3000);
	cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_PRIV);
	ppc_t_fini(&t);

	ppc_t_init(&t, false);
	install_handler(&t, 0x700);
	uint32_t user2[] = { ppc_x(31, 3, 0, 0, 83, 0) /* mfmsr */ };
	drop_to_user(&t, user2, 1);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_PRIV);
	ppc_t_fini(&t);
}

Test(ppc_hv, trap_and_illegal)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		install_handler(&t, 0x700);
		t.c->gpr[4] = 3;
		uint32_t w[] = { ppc_d(3, 4, 4, 3) /* tweqi r4,3 */ };
		ppc_t_code(&t, PPC_T_CODE, w, 1);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[20], 0x1000);
		cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_TRAP);
		ppc_t_fini(&t);

		ppc_t_init(&t, le);
		install_handler(&t, 0x700);
		uint32_t w2[] = { PPC_NOP, 0 /* illegal */ };
		ppc_t_code(&t, PPC_T_CODE, w2, 2);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[20], 0x1004);
		cr_expect(t.c->gpr[21] & PPC_SRR1_PROG_ILLEGAL);
		ppc_t_fini(&t);
	}
}

Test(ppc_hv, hypervisor_spr_from_guest_is_hea)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		uint32_t mtlpcr = ppc_mtspr(SPR_LPCR, 3);
		uint32_t w[] = { ppc_li(3, 0), mtlpcr };
		ppc_t_code(&t, PPC_T_CODE, w, 2);
		uint64_t msr = t.c->msr;
		ppc_t_run_exit(&t, 0xe40);
		cr_expect_eq(t.c->heir, mtlpcr);
		cr_expect_eq(t.c->hsrr0, 0x1004);
		cr_expect_eq(t.c->hsrr1, msr);
		cr_expect_eq(t.c->cpu.exit.pc, 0x1004);
		cr_expect_str_eq(ppc_hv_vector_name(0xe40), "HEA");
		/* hv emulates it (skip) and returns with hrfid semantics. */
		t.c->hsrr0 += 4;
		cpu_ppc_hv_return(t.c);
		cr_expect_eq(t.c->pc, 0x1008);
		cr_expect_eq(t.c->msr, msr);
		ppc_t_fini(&t);
	}
}

Test(ppc_hv, hrfid_from_guest_is_hea)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	uint32_t w[] = { PPC_HRFID };
	ppc_t_code(&t, PPC_T_CODE, w, 1);
	ppc_t_run_exit(&t, 0xe40);
	cr_expect_eq(t.c->heir, PPC_HRFID);
	ppc_t_fini(&t);
}

Test(ppc_hv, rfid_mtmsrd_mfmsr)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = PPC_MSR_EE;
		uint32_t w[] = {
			ppc_x(31, 4, 0, 0, 178, 0) | (1 << 16), /* mtmsrd r4,1: EE=1 */
			ppc_x(31, 5, 0, 0, 83, 0),              /* mfmsr r5 */
			ppc_li(6, 0x2000),
			ppc_mtspr(26, 6), /* srr0 */
			ppc_mtspr(27, 5), /* srr1 = msr */
			PPC_RFID,
		};
		uint32_t w2[] = { ppc_li(7, 7), PPC_SC1 };
		ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
		ppc_t_code(&t, 0x2000, w2, 2);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[5],
			     PPC_MSR_SF | PPC_MSR_ME | PPC_MSR_EE | (le ? PPC_MSR_LE : 0));
		cr_expect_eq(t.c->gpr[7], 7);
		cr_expect_eq(t.c->cpu.exit.pc, 0x2004);
		cr_expect_eq(t.c->cfar, 0x1014);
		ppc_t_fini(&t);
	}
}

Test(ppc_hv, rfid_cannot_enter_hypervisor_state)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	t.c->srr0 = 0x2000;
	t.c->srr1 = t.c->msr | PPC_MSR_HV;
	uint32_t w[] = { PPC_RFID };
	uint32_t w2[] = { PPC_SC1 };
	ppc_t_code(&t, PPC_T_CODE, w, 1);
	ppc_t_code(&t, 0x2000, w2, 1);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->srr1 & PPC_MSR_HV, 0);
	ppc_t_fini(&t);
}

Test(ppc_hv, unmapped_gpa_is_hdsi)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		t.c->gpr[4] = 0x10000000;
		uint32_t w[] = { ppc_li(3, 1), ppc_d(32, 5, 4, 0x18) /* lwz r5,0x18(r4) */ };
		ppc_t_code(&t, PPC_T_CODE, w, 2);
		ppc_t_run_exit(&t, 0xe00);
		struct cpu_exit *e = &t.c->cpu.exit;
		cr_expect_eq(e->pc, 0x1004);
		cr_expect_eq(t.c->hdar, 0x10000018);
		cr_expect_eq(t.c->hsrr0, 0x1004);
		cr_expect_eq(t.c->asdr, 0x10000000);
		cr_expect(t.c->hdsisr & PPC_ISR_NOT_FOUND);
		cr_expect_eq(t.c->hdsisr & PPC_DSISR_STORE, 0);
		cr_expect_eq(e->gpa, 0x10000018);
		cr_expect_eq(t.c->gpr[3], 1);
		ppc_t_fini(&t);

		/* A store; real-mode EA bits 0:3 are ignored. */
		ppc_t_init(&t, le);
		t.c->gpr[4] = 0xc000000010000000ull;
		uint32_t w2[] = { ppc_d(36, 5, 4, 0) /* stw */ };
		ppc_t_code(&t, PPC_T_CODE, w2, 1);
		ppc_t_run_exit(&t, 0xe00);
		cr_expect_eq(t.c->hdar, 0xc000000010000000ull);
		cr_expect_eq(t.c->asdr, 0x10000000);
		cr_expect(t.c->hdsisr & PPC_DSISR_STORE);
		ppc_t_fini(&t);
	}
}

Test(ppc_hv, branch_to_unmapped_gpa_is_hisi)
{
	struct ppc_t t;
	ppc_t_init(&t, false);
	uint32_t w[] = { ppc_d(15, 4, 0, 0x1000), ppc_mtspr(9, 4), 0x4e800420u /* bctr */ };
	ppc_t_code(&t, PPC_T_CODE, w, 3);
	ppc_t_run_exit(&t, 0xe20);
	cr_expect_eq(t.c->cpu.exit.pc, 0x10000000);
	cr_expect_eq(t.c->hsrr0, 0x10000000);
	cr_expect(t.c->hsrr1 & PPC_ISR_NOT_FOUND);
	cr_expect_eq(t.c->asdr, 0x10000000);
	ppc_t_fini(&t);
}

Test(ppc_hv, decrementer_interrupt)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		install_handler(&t, 0x900);
		t.c->gpr[4] = PPC_MSR_EE;
		uint32_t w[] = {
			ppc_li(3, 20), ppc_mtspr(22, 3),        /* mtdec 20 */
			ppc_x(31, 4, 0, 0, 178, 0) | (1 << 16), /* mtmsrd r4,1 */
			ppc_b(0, false),                        /* spin */
		};
		ppc_t_code(&t, PPC_T_CODE, w, 4);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->cpu.exit.pc, 0x90c);
		cr_expect_eq(t.c->gpr[20], 0x100c);
		cr_expect(t.c->gpr[21] & PPC_MSR_EE);
		ppc_t_fini(&t);
	}
}

Test(ppc_hv, timebase_counts_instructions)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	uint32_t w[] = { ppc_mfspr(3, 268), PPC_NOP, PPC_NOP,
			 ppc_x(31, 4, 12, 8, 371, 0) /* mftb */, PPC_SC1 };
	ppc_t_code(&t, PPC_T_CODE, w, 5);
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[4] - t.c->gpr[3], 3);
	ppc_t_fini(&t);
}

Test(ppc_hv, budget_stops_spin)
{
	struct ppc_t t;
	ppc_t_init(&t, false);
	uint32_t w[] = { ppc_b(0, false) };
	ppc_t_code(&t, PPC_T_CODE, w, 1);
	cr_expect_eq(cpu_exec(&t.c->cpu, 1000), CPU_STOP_BUDGET);
	cr_expect_eq(t.c->pc, 0x1000);
	ppc_t_fini(&t);
}

/*
 * The hypervisor decrementer (Book III 7.5.12): with LPCR[HDICE] a guest
 * (MSR[HV] = 0, whatever MSR[EE]) takes 0x980 as soon as HDEC is negative,
 * HSRR0 = the instruction that has not run; without HDICE HDEC only counts.
 * HDEC = n goes negative after n + 1 time-base ticks (instructions), and the
 * deadline the run driver stops at says so.
 */
Test(ppc_hv, hdec_interrupt_exits_to_hv)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		uint32_t w[] = { ppc_addi(3, 3, 1), ppc_b(-4, false) };
		ppc_t_code(&t, PPC_T_CODE, w, 2);
		uint64_t msr = t.c->msr;
		cr_expect(!(msr & PPC_MSR_EE));
		cpu_ppc_set_hdec(t.c, 99);
		cr_expect_eq(cpu_ppc_hdec_deadline(t.c), 100);
		/* HDICE off: no interrupt, HDEC goes on counting down. */
		cr_expect_eq(cpu_exec(&t.c->cpu, 300), CPU_STOP_BUDGET);
		cr_expect_eq((int64_t)cpu_ppc_get_hdec(t.c), 99 - 300);
		/* A new slice of 100 instructions with HDICE on. */
		cpu_ppc_set_hdec(t.c, 99);
		t.c->lpcr |= PPC_LPCR_HDICE;
		t.c->cpu.icount_deadline = cpu_ppc_hdec_deadline(t.c);
		cr_expect_eq(t.c->cpu.icount_deadline, 400);
		cr_expect_eq(cpu_exec(&t.c->cpu, 100000), CPU_STOP_EXIT);
		cr_expect_eq(t.c->cpu.icount, 400);
		cr_expect_eq(t.c->gpr[3], 200);
		cr_expect_eq(t.c->cpu.exit.reason, PPC_VEC_HDEC);
		cr_expect_str_eq(ppc_hv_vector_name(t.c->cpu.exit.reason), "HDEC");
		cr_expect_eq(t.c->cpu.exit.pc, 0x1000);
		cr_expect_eq(t.c->hsrr0, 0x1000);
		cr_expect_eq(t.c->hsrr1, msr);
		cr_expect(t.c->msr & PPC_MSR_HV);
		/* hrfid back: the slice is spent, no second interrupt. */
		cpu_ppc_hv_return(t.c);
		cr_expect_eq(t.c->msr, msr);
		cr_expect_eq(t.c->pc, 0x1000);
		cr_expect_eq(cpu_ppc_hdec_deadline(t.c), UINT64_MAX);
		t.c->cpu.icount_deadline = UINT64_MAX;
		cr_expect_eq(cpu_exec(&t.c->cpu, 50), CPU_STOP_BUDGET);
		ppc_t_fini(&t);
	}
}

/* The guest cannot read or write HDEC: hypervisor-privileged SPR, HEA. */
Test(ppc_hv, hdec_is_hypervisor_privileged)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	uint32_t w[] = { ppc_mtspr(SPR_HDEC, 3) };
	ppc_t_code(&t, PPC_T_CODE, w, 1);
	ppc_t_run_exit(&t, PPC_VEC_HEA);
	cr_expect_eq(t.c->heir, w[0]);
	ppc_t_fini(&t);
}

/* ---- doorbells (Book III 9; cpu/ppc/doorbell.c) */

#define DBELL_SERVER (5u << 27) /* message type 5 in RB[32:36] */
#define HFSCR_MSGP (1ull << 10)
#define MSGSNDP(rb) ppc_x(31, 0, 0, rb, 142, 0)
#define MSGCLRP(rb) ppc_x(31, 0, 0, rb, 174, 0)
#define MSGSND(rb) ppc_x(31, 0, 0, rb, 206, 0)
#define MSGCLR(rb) ppc_x(31, 0, 0, rb, 238, 0)
#define MTMSRD_L1(rs) (ppc_x(31, rs, 0, 0, 178, 0) | (1 << 16))

/* msgsndp to this thread sets DPDES; with MSR[EE] = 1 the guest's kernel
 * takes 0xA00 (SRR0 = the next instruction), which clears the bit;
 * msgclrp clears it without an interrupt. */
Test(ppc_hv, privileged_doorbell)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		install_handler(&t, 0xa00);
		t.c->hfscr = HFSCR_MSGP;
		t.c->gpr[4] = PPC_MSR_EE;
		t.c->gpr[5] = DBELL_SERVER; /* TIR 0: this thread */
		uint32_t w[] = {
			MSGSNDP(5),      ppc_mfspr(6, 176), /* DPDES = 1, EE = 0: pending */
			MSGCLRP(5),      ppc_mfspr(7, 176), /* cleared */
			MSGSNDP(5),      MTMSRD_L1(4),      /* EE = 1: taken here */
			ppc_b(0, false),
		};
		ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[6], 1);
		cr_expect_eq(t.c->gpr[7], 0);
		cr_expect_eq(t.c->cpu.exit.pc, 0xa0c, "the handler's sc 1");
		cr_expect_eq(t.c->gpr[20], 0x1018, "SRR0: after the mtmsrd");
		cr_expect(t.c->gpr[21] & PPC_MSR_EE);
		cr_expect_eq(t.c->dpdes, 0, "taking the interrupt cleared it");
		ppc_t_fini(&t);
	}
}

/* Other message types, and other threads: nothing. */
Test(ppc_hv, privileged_doorbell_other_type_or_thread)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	t.c->hfscr = HFSCR_MSGP;
	t.c->gpr[5] = 2u << 27;         /* type 2 */
	t.c->gpr[6] = DBELL_SERVER | 1; /* TIR 1: no such thread */
	uint32_t w[] = { MSGSNDP(5), MSGSNDP(6), ppc_mfspr(7, 176), PPC_SC1 };
	ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
	t.c->gpr[7] = 99;
	ppc_t_run_exit(&t, 0xc00);
	cr_expect_eq(t.c->gpr[7], 0);
	ppc_t_fini(&t);
}

/* Without HFSCR[MSGP] a partition's msgsndp is the hypervisor facility
 * unavailable interrupt 0xF80, HFSCR[IC] = 10, HSRR0 = the msgsndp. */
Test(ppc_hv, msgsndp_needs_hfscr_msgp)
{
	struct ppc_t t;
	ppc_t_init(&t, false);
	t.c->gpr[5] = DBELL_SERVER;
	uint32_t w[] = { PPC_NOP, MSGSNDP(5) };
	ppc_t_code(&t, PPC_T_CODE, w, 2);
	ppc_t_run_exit(&t, PPC_VEC_HFAC);
	cr_expect_eq(t.c->hsrr0, 0x1004);
	cr_expect_eq(t.c->hfscr >> 56, 10);
	cr_expect_eq(t.c->dpdes, 0);
	ppc_t_fini(&t);
}

/* msgsnd and msgclr are hypervisor-privileged: HEA from the guest kernel. */
Test(ppc_hv, msgsnd_from_guest_is_hea)
{
	struct ppc_t t;
	ppc_t_init(&t, true);
	uint32_t w[] = { MSGSND(5) };
	ppc_t_code(&t, PPC_T_CODE, w, 1);
	ppc_t_run_exit(&t, PPC_VEC_HEA);
	cr_expect_eq(t.c->heir, w[0]);
	cr_expect_eq(t.c->hdbell, false);
	ppc_t_fini(&t);
}

/* In hypervisor state, msgsnd to this thread's PIR with MSR[EE] = 0 leaves
 * the doorbell pending; msgclr clears it; sent again, it is taken (0xE80,
 * an exit) as soon as hrfid enters the guest (MSR[HV] = 0). */
Test(ppc_hv, hypervisor_doorbell)
{
	BOTH(le)
	{
		struct ppc_t t;
		ppc_t_init(&t, le);
		uint64_t guest_msr = t.c->msr;
		t.c->msr |= PPC_MSR_HV;
		t.c->gpr[5] = DBELL_SERVER | t.c->pir;
		t.c->hsrr0 = 0x2000;
		t.c->hsrr1 = guest_msr;
		uint32_t w[] = { MSGSND(5), MSGCLR(5), PPC_NOP, MSGSND(5), PPC_HRFID };
		uint32_t g[] = { ppc_li(3, 1), PPC_SC1 };
		ppc_t_code(&t, PPC_T_CODE, w, SV_ARRAY_SIZE(w));
		ppc_t_code(&t, 0x2000, g, 2);
		cr_expect_eq(cpu_exec(&t.c->cpu, 3), CPU_STOP_BUDGET);
		cr_expect_eq(t.c->hdbell, false, "msgclr cleared it");
		ppc_t_run_exit(&t, PPC_VEC_HDOORBELL);
		cr_expect_eq(t.c->cpu.exit.pc, 0x2000, "before the guest's first instruction");
		cr_expect_eq(t.c->hsrr1, guest_msr);
		cr_expect_eq(t.c->gpr[3], 0);
		cr_expect_eq(t.c->hdbell, false, "taking it cleared it");
		cpu_ppc_hv_return(t.c);
		ppc_t_run_exit(&t, 0xc00);
		cr_expect_eq(t.c->gpr[3], 1);
		ppc_t_fini(&t);
	}
}
