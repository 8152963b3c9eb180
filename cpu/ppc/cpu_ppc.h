/*
 * The 64-bit Power ISA CPU (both byte orders), with the hypervisor (HV)
 * privilege state implemented in software.
 *
 * The guest runs in partition (non-hypervisor) state: MSR[HV] = 0. Interrupts
 * the architecture delivers to the guest's own kernel (DSI 0x300, ISI 0x400,
 * program 0x700, decrementer 0x900, system call 0xC00 with LEV=0, ...) are
 * delivered here, inside the CPU, exactly as hardware would: SRR0/SRR1 set,
 * the new MSR computed, pc = vector. Interrupts that hardware would deliver to
 * the hypervisor (sc 1 -> 0xC00 in hypervisor state, HDSI 0xE00, HISI 0xE20,
 * HDEC 0x980, HEA 0xE40, ...) set the architected registers (SRR0/1 for sc 1,
 * HSRR0/1 + HDAR/HDSISR/ASDR/HEIR for the others), put the CPU in hypervisor
 * state at the vector, and leave cpu_exec() with CPU_STOP_EXIT and
 *
 *     cpu->exit.kind = CPU_EXIT_HV, .reason = vector, .pc = address of the
 *     interrupted instruction, .qualification = SRR1 (0xC00) or HSRR1,
 *     .gla/.gpa for HDSI/HISI (HDAR, guest real address).
 *
 * The hypervisor (hv/ppc, C code) reads and writes the guest state in
 * struct cpu_ppc directly (gpr[], srr0, hsrr0, ...) and resumes the guest
 * with cpu_ppc_hv_return(), which performs the return the architecture's
 * hypervisor would do: rfid (from SRR0/1) after 0xC00, hrfid (from HSRR0/1)
 * after the others. Worked example, a Xen hypercall:
 *
 *     guest: li r3,18 ; li r4,0 ; ... ; sc 1          (pc 0x1000)
 *     cpu:   srr0 = 0x1004, srr1 = msr, msr |= HV, pc = 0xc00,
 *            exit {HV, 0xc00, pc=0x1000, qual=srr1}; cpu_exec returns EXIT
 *     hv:    r = dispatch(c->gpr[3], c->gpr[4..9]); c->gpr[3] = r;
 *            cpu_ppc_hv_return(c);                 -> pc 0x1004, MSR = srr1
 *
 * For 0xE40 (HEA) HSRR0 is the address of the instruction (its image is in
 * HEIR): a hypervisor that emulates it adds 4 to c->hsrr0 before returning.
 *
 * Time: the time base counts one tick per retired instruction
 * (TB = cpu_icount + tb_offset), so guest time is deterministic. DEC and HDEC
 * count down at the TB rate.
 *
 * MMU indexes (the softmmu TLB contexts) -- see mmu/ppc/mmu_ppc.h:
 *     0 PPC_MMU_REAL       real addressing, MSR[HV]=0 (guest real mode)
 *     1 PPC_MMU_VIRT       translated, privileged (MSR[PR]=0)
 *     2 PPC_MMU_VIRT_USER  translated, problem state (MSR[PR]=1)
 *     3 PPC_MMU_HV_REAL    real addressing in hypervisor state
 * Instruction fetch uses MSR[IR], data accesses MSR[DR].
 */
#ifndef SV_CPU_PPC_CPU_PPC_H
#define SV_CPU_PPC_CPU_PPC_H

#include "sv/common.h"
#include "cpu/cpu.h"

struct p2m;
struct tb_cache;

/* MSR bits (Power ISA numbers bits MSB-first: SF is bit 0 = 1 << 63). */
#define PPC_MSR_SF (1ull << 63)
#define PPC_MSR_HV (1ull << 60)
#define PPC_MSR_TS (3ull << 33)
#define PPC_MSR_TM (1ull << 32)
#define PPC_MSR_VEC (1ull << 25)
#define PPC_MSR_VSX (1ull << 23)
#define PPC_MSR_S (1ull << 22)
#define PPC_MSR_EE (1ull << 15)
#define PPC_MSR_PR (1ull << 14)
#define PPC_MSR_FP (1ull << 13)
#define PPC_MSR_ME (1ull << 12)
#define PPC_MSR_FE0 (1ull << 11)
#define PPC_MSR_SE (1ull << 10)
#define PPC_MSR_BE (1ull << 9)
#define PPC_MSR_FE1 (1ull << 8)
#define PPC_MSR_IR (1ull << 5)
#define PPC_MSR_DR (1ull << 4)
#define PPC_MSR_PMM (1ull << 2)
#define PPC_MSR_RI (1ull << 1)
#define PPC_MSR_LE (1ull << 0)

/* LPCR bits (ISA v3.0 Book III 2.2). */
#define PPC_LPCR_HDICE (1ull << 0) /* bit 63: hypervisor decrementer interrupt enable */
#define PPC_LPCR_HVICE (1ull << 1) /* bit 62 */
#define PPC_LPCR_LPES (1ull << 3)  /* bit 60 */
#define PPC_LPCR_HEIC (1ull << 4)  /* bit 59 */
#define PPC_LPCR_GTSE (1ull << 10) /* bit 53: guest translation shootdown enable */
#define PPC_LPCR_HR (1ull << 20)   /* bit 43: host radix */
#define PPC_LPCR_UPRT (1ull << 22) /* bit 41: use process table */
#define PPC_LPCR_AIL_SHIFT 23      /* bits 39:40 */
#define PPC_LPCR_AIL (3ull << 23)
#define PPC_LPCR_ILE (1ull << 25) /* bit 38: interrupt little-endian */
#define PPC_LPCR_LD (1ull << 17)  /* bit 46: large decrementer */

/* FPSCR bits (Book I 4.2.2; ISA bit 32 + n is 1 << (31 - n)). */
#define PPC_FPSCR_FX (1u << 31)
#define PPC_FPSCR_FEX (1u << 30)
#define PPC_FPSCR_VX (1u << 29)
#define PPC_FPSCR_OX (1u << 28)
#define PPC_FPSCR_UX (1u << 27)
#define PPC_FPSCR_ZX (1u << 26)
#define PPC_FPSCR_XX (1u << 25)
#define PPC_FPSCR_VXSNAN (1u << 24)
#define PPC_FPSCR_VXISI (1u << 23)
#define PPC_FPSCR_VXIDI (1u << 22)
#define PPC_FPSCR_VXZDZ (1u << 21)
#define PPC_FPSCR_VXIMZ (1u << 20)
#define PPC_FPSCR_VXVC (1u << 19)
#define PPC_FPSCR_FR (1u << 18)
#define PPC_FPSCR_FI (1u << 17)
#define PPC_FPSCR_FPRF_SHIFT 12 /* C FL FG FE FU */
#define PPC_FPSCR_FPRF (0x1fu << 12)
#define PPC_FPSCR_FPCC (0xfu << 12)
#define PPC_FPSCR_RESERVED (1u << 11) /* bit 52 */
#define PPC_FPSCR_VXSOFT (1u << 10)
#define PPC_FPSCR_VXSQRT (1u << 9)
#define PPC_FPSCR_VXCVI (1u << 8)
#define PPC_FPSCR_VE (1u << 7)
#define PPC_FPSCR_OE (1u << 6)
#define PPC_FPSCR_UE (1u << 5)
#define PPC_FPSCR_ZE (1u << 4)
#define PPC_FPSCR_XE (1u << 3)
#define PPC_FPSCR_NI (1u << 2)
#define PPC_FPSCR_RN 3u
#define PPC_FPSCR_VX_ALL                                                                           \
	(PPC_FPSCR_VXSNAN | PPC_FPSCR_VXISI | PPC_FPSCR_VXIDI | PPC_FPSCR_VXZDZ |                  \
	 PPC_FPSCR_VXIMZ | PPC_FPSCR_VXVC | PPC_FPSCR_VXSOFT | PPC_FPSCR_VXSQRT | PPC_FPSCR_VXCVI)
/* The exception bits (sticky; FX is set when one goes from 0 to 1). */
#define PPC_FPSCR_EXC_ALL                                                                          \
	(PPC_FPSCR_OX | PPC_FPSCR_UX | PPC_FPSCR_ZX | PPC_FPSCR_XX | PPC_FPSCR_VX_ALL)

/* SRR1 bits set by a program interrupt (ISA bits 43..47). */
#define PPC_SRR1_PROG_FP (1ull << 20)
#define PPC_SRR1_PROG_ILLEGAL (1ull << 19)
#define PPC_SRR1_PROG_PRIV (1ull << 18)
#define PPC_SRR1_PROG_TRAP (1ull << 17)
#define PPC_SRR1_PROG_ADDR (1ull << 16) /* SRR0 holds the next instruction's address */
/* SRR1 bits 33:36 and 42:47 are interrupt-specific, the rest come from MSR. */
#define PPC_SRR1_INTR_MASK 0x783f0000ull
/* ISI / HISI SRR1 and DSISR / HDSISR bits. */
#define PPC_ISR_NOT_FOUND (1ull << 30) /* bit 33 */
#define PPC_ISR_PROTECT (1ull << 27)   /* bit 36 */
#define PPC_DSISR_STORE (1ull << 25)   /* bit 38 */
#define PPC_DSISR_PTW (1ull << 28)     /* bit 35: (H)DSI during a page-table walk (radix) */
#define PPC_ISR_NOEXEC (1ull << 28)    /* ISI SRR1 bit 35: fetch from a no-execute page */
#define PPC_DSISR_KEY (1ull << 21)     /* bit 42: virtual page class key protection */

/* Interrupt vectors (ISA v3.0 Book III 7.5, Figure 69). */
enum {
	PPC_VEC_SYSTEM_RESET = 0x100,
	PPC_VEC_MACHINE_CHECK = 0x200,
	PPC_VEC_DSI = 0x300,
	PPC_VEC_DSEGI = 0x380,
	PPC_VEC_ISI = 0x400,
	PPC_VEC_ISEGI = 0x480,
	PPC_VEC_EXTERNAL = 0x500,
	PPC_VEC_ALIGNMENT = 0x600,
	PPC_VEC_PROGRAM = 0x700,
	PPC_VEC_FP_UNAVAIL = 0x800,
	PPC_VEC_DECREMENTER = 0x900,
	PPC_VEC_HDEC = 0x980,
	PPC_VEC_DOORBELL = 0xa00,
	PPC_VEC_SYSTEM_CALL = 0xc00,
	PPC_VEC_TRACE = 0xd00,
	PPC_VEC_HDSI = 0xe00,
	PPC_VEC_HISI = 0xe20,
	PPC_VEC_HEA = 0xe40,
	PPC_VEC_HMI = 0xe60,
	PPC_VEC_HDOORBELL = 0xe80,
	PPC_VEC_HVIRT = 0xea0,
	PPC_VEC_PERF_MON = 0xf00,
	PPC_VEC_VEC_UNAVAIL = 0xf20,
	PPC_VEC_VSX_UNAVAIL = 0xf40,
	PPC_VEC_FAC_UNAVAIL = 0xf60,
	PPC_VEC_HFAC = 0xf80,
};

/* SPR numbers (ISA v3.0 Book III 4.4.4, Figure 18). */
#define PPC_SPRS(X)                                                                                \
	X(XER, 1)                                                                                  \
	X(DSCR_U, 3)                                                                               \
	X(LR, 8)                                                                                   \
	X(CTR, 9)                                                                                  \
	X(AMR_U, 13)                                                                               \
	X(DSCR, 17)                                                                                \
	X(DSISR, 18)                                                                               \
	X(DAR, 19)                                                                                 \
	X(DEC, 22)                                                                                 \
	X(SDR1, 25)                                                                                \
	X(SRR0, 26)                                                                                \
	X(SRR1, 27)                                                                                \
	X(CFAR, 28)                                                                                \
	X(AMR, 29)                                                                                 \
	X(PIDR, 48)                                                                                \
	X(IAMR, 61)                                                                                \
	X(CTRL_R, 136)                                                                             \
	X(CTRL_W, 152)                                                                             \
	X(FSCR, 153)                                                                               \
	X(UAMOR, 157)                                                                              \
	X(PSPB, 159)                                                                               \
	X(DPDES, 176)                                                                              \
	X(DAWR0, 180)                                                                              \
	X(CIABR, 187)                                                                              \
	X(DAWRX0, 188)                                                                             \
	X(HFSCR, 190)                                                                              \
	X(VRSAVE, 256)                                                                             \
	X(SPRG3_U, 259)                                                                            \
	X(TB, 268)                                                                                 \
	X(TBU, 269)                                                                                \
	X(SPRG0, 272)                                                                              \
	X(SPRG1, 273)                                                                              \
	X(SPRG2, 274)                                                                              \
	X(SPRG3, 275)                                                                              \
	X(TBL_W, 284)                                                                              \
	X(TBU_W, 285)                                                                              \
	X(TBU40, 286)                                                                              \
	X(PVR, 287)                                                                                \
	X(HSPRG0, 304)                                                                             \
	X(HSPRG1, 305)                                                                             \
	X(HDSISR, 306)                                                                             \
	X(HDAR, 307)                                                                               \
	X(SPURR, 308)                                                                              \
	X(PURR, 309)                                                                               \
	X(HDEC, 310)                                                                               \
	X(HRMOR, 313)                                                                              \
	X(HSRR0, 314)                                                                              \
	X(HSRR1, 315)                                                                              \
	X(MMCRH, 316)                                                                              \
	X(LPCR, 318)                                                                               \
	X(LPIDR, 319)                                                                              \
	X(HMER, 336)                                                                               \
	X(HMEER, 337)                                                                              \
	X(PCR, 338)                                                                                \
	X(HEIR, 339)                                                                               \
	X(AMOR, 349)                                                                               \
	X(TIR, 446)                                                                                \
	X(PTCR, 464)                                                                               \
	X(SIER_U, 768)                                                                             \
	X(MMCR2_U, 769)                                                                            \
	X(MMCRA_U, 770)                                                                            \
	X(PMC1_U, 771)                                                                             \
	X(PMC2_U, 772)                                                                             \
	X(PMC3_U, 773)                                                                             \
	X(PMC4_U, 774)                                                                             \
	X(PMC5_U, 775)                                                                             \
	X(PMC6_U, 776)                                                                             \
	X(MMCR0_U, 779)                                                                            \
	X(SIAR_U, 780)                                                                             \
	X(SDAR_U, 781)                                                                             \
	X(MMCR1_U, 782)                                                                            \
	X(SIER, 784)                                                                               \
	X(MMCR2, 785)                                                                              \
	X(MMCRA, 786)                                                                              \
	X(PMC1, 787)                                                                               \
	X(PMC2, 788)                                                                               \
	X(PMC3, 789)                                                                               \
	X(PMC4, 790)                                                                               \
	X(PMC5, 791)                                                                               \
	X(PMC6, 792)                                                                               \
	X(MMCR0, 795)                                                                              \
	X(SIAR, 796)                                                                               \
	X(SDAR, 797)                                                                               \
	X(MMCR1, 798)                                                                              \
	X(EBBHR, 804)                                                                              \
	X(EBBRR, 805)                                                                              \
	X(BESCR, 806)                                                                              \
	X(TAR, 815)                                                                                \
	X(ASDR, 816)                                                                               \
	X(PSSCR_U, 823)                                                                            \
	X(VTB, 849)                                                                                \
	X(PSSCR, 855)                                                                              \
	X(TRIG2, 882)                                                                              \
	X(MMCRS, 894)                                                                              \
	X(PPR, 896)                                                                                \
	X(PPR32, 898)                                                                              \
	X(PIR, 1023)

enum {
#define PPC_SPR_ENUM(name, num) SPR_##name = num,
	PPC_SPRS(PPC_SPR_ENUM)
#undef PPC_SPR_ENUM
};

/*
 * One SLB entry (Book III 5.7.6.1), kept in the layout slbmte takes it in:
 *   esid: RB of slbmte without the index: ESID (bits 0:35) || V (bit 36);
 *   vsid: RS of slbmte: B (0:1) || VSID (2:51) || Ks Kp N L C (52:56) ||
 *         LP (58:59).
 */
struct ppc_slbe {
	uint64_t esid, vsid;
};
#define PPC_SLB_SIZE 32
#define PPC_SLB_ESID_V (1ull << 27)     /* RB bit 36 */
#define PPC_SLB_ESID_MASK (~0ull << 28) /* RB bits 0:35 */
#define PPC_SLB_B_SHIFT 62              /* RS bits 0:1: 0 = 256 MiB, 1 = 1 TiB */
#define PPC_SLB_VSID_SHIFT 12           /* RS bits 2:51 */
#define PPC_SLB_VSID_BITS 50
#define PPC_SLB_KS (1ull << 11)                      /* RS bit 52 */
#define PPC_SLB_KP (1ull << 10)                      /* bit 53 */
#define PPC_SLB_N (1ull << 9)                        /* bit 54: no-execute segment */
#define PPC_SLB_L (1ull << 8)                        /* bit 55: large base page */
#define PPC_SLB_C (1ull << 7)                        /* bit 56: class */
#define PPC_SLB_LP_SHIFT 4                           /* bits 58:59 */
#define PPC_SLB_VSID_WORD_MASK 0xffffffffffffffb0ull /* the bits slbmfev returns */

/*
 * The CPU models, by the processor version in PVR: POWER8 DD2.0 (ISA v2.07:
 * the hash MMU only) and POWER9 DD2.2 (ISA v3.0B: radix too, scv, PTCR).
 * The model decides what the ISA level gates (cpu_ppc_isa300); the
 * instructions common to both levels behave the same.
 */
#define PPC_PVR_POWER8 0x004d0200ull
#define PPC_PVR_POWER9 0x004e1202ull
#define PPC_PVR_VERSION_POWER9 0x004eu

/* A fault or exception recorded for raise_fault (see cpu.c). */
struct ppc_pending {
	uint32_t vector;     /* 0: none */
	uint64_t srr0;       /* value for (H)SRR0 */
	uint64_t srr1_bits;  /* interrupt-specific (H)SRR1 bits */
	uint64_t dar, dsisr; /* DSI / HDSI: DAR/HDAR and DSISR/HDSISR */
	uint64_t asdr;       /* HDSI/HISI: guest real address */
	uint64_t insn;       /* HEA: instruction image for HEIR */
};

struct cpu_ppc {
	struct cpu cpu; /* first: IR env offsets are from here */

	uint64_t gpr[32];
	uint64_t pc;
	uint64_t lr, ctr;
	/* XER, split: each flag 0 or 1; xer_bc holds bits 57:63 (string byte count). */
	uint64_t so, ov, ca, ov32, ca32, xer_bc;
	/* CR as eight 4-bit fields: crf[0] is CR0; within a field LT=8 GT=4 EQ=2 SO=1. */
	uint64_t crf[8];
	uint64_t msr;

	/*
	 * Vector-scalar registers (Book I 7.2): vsr[n][0] is doubleword 0. The
	 * FPRs are doubleword 0 of VSR 0..31 (fpr n = vsr[n][0]); VSR 32..63 hold
	 * the VMX registers. FPSCR (Book I 4.2.2) in bits 32:63 of fpscr.
	 */
	uint64_t vsr[64][2];
	uint64_t fpscr;
	uint64_t vscr; /* VMX status and control (Book I 6.3.2): NJ 0x10000, SAT 1 */

	/* Supervisor SPRs. */
	uint64_t srr0, srr1, sprg[4], dar, dsisr, cfar, dscr, ppr, ctrl, fscr, amr, iamr, uamor;
	uint64_t pidr, tar, vrsave, pspb, dawr0, dawrx0, ciabr;
	/*
	 * Performance monitor (Book III 9.4, plain state: the counters do not
	 * count and raise no interrupt yet). pmc[n] is PMCn+1; MMCRS is the
	 * POWER8/9 supervisor monitor mode control register.
	 */
	uint64_t mmcr0, mmcr1, mmcr2, mmcra, mmcrs, mmcrh, sier, siar, sdar, pmc[6];
	uint64_t ebbhr, ebbrr, bescr; /* event-based branch facility */
	/* Hypervisor SPRs. */
	uint64_t hsrr0, hsrr1, hsprg[2], hdar, hdsisr, asdr, heir, lpcr, lpidr, hrmor, pcr;
	uint64_t amor, hfscr, hmer, hmeer, ptcr, psscr, sdr1, dpdes;
	uint64_t pvr, pir;

	/* Segment lookaside buffer (hash MMU). */
	struct ppc_slbe slb[PPC_SLB_SIZE];

	/* Time base = cpu_icount + tb_offset; DEC/HDEC are value - (tb - base). */
	uint64_t tb_offset;
	uint64_t vtb_offset; /* VTB = TB + vtb_offset (the partition always runs) */
	uint64_t dec_val, dec_tb;
	uint64_t hdec_val, hdec_tb;
	bool dec_armed, hdec_armed; /* an interrupt is due when the value goes negative */
	bool ext_irq;               /* external interrupt line (set by hv / devices) */
	bool hdbell;                /* directed hypervisor doorbell exception (doorbell.c) */

	/* Load-and-reserve. */
	uint64_t reserve_addr; /* ~0: no reservation */
	uint64_t reserve_val;

	struct ppc_pending pending;
	uint32_t hv_vector; /* vector of the last exit to the hypervisor (0: none) */

	/*
	 * tlbie's broadcast (Book III 5.10.1: the invalidation reaches every
	 * processor of the partition): the hypervisor's hook that flushes the
	 * other vcpus' translations. NULL: this CPU alone.
	 */
	void (*tlbie_broadcast)(struct cpu_ppc *c);
	/*
	 * msgsnd to another thread: the hypervisor's hook that rings the
	 * directed hypervisor doorbell of the processor whose PIR is pir
	 * (cpu_ppc_hv_doorbell). NULL: no other processor.
	 */
	void (*doorbell_send)(struct cpu_ppc *c, uint32_t pir);
};

static inline struct cpu_ppc *cpu_ppc_of(struct cpu *cpu)
{
	return (struct cpu_ppc *)cpu;
}

extern const struct cpu_arch_ops cpu_ppc_ops;

/* Snapshots (cpu/ppc/snapshot.c): the cpu_arch_ops save/load hooks. */
struct sv_snap_w;
struct sv_snap_r;
void cpu_ppc_save(struct cpu *cpu, struct sv_snap_w *w);
int cpu_ppc_load(struct cpu *cpu, struct sv_snap_r *r);

/* Create a vcpu in the power-on state (big-endian, HV=0, real mode). NULL on ENOMEM. */
struct cpu_ppc *cpu_ppc_new(struct p2m *p2m, struct tb_cache *tbc, unsigned index,
			    bool little_endian);
void cpu_ppc_free(struct cpu_ppc *c);
/* Choose the model (PPC_PVR_POWER8 / PPC_PVR_POWER9; the default is POWER9).
 * It survives resets. */
void cpu_ppc_set_pvr(struct cpu_ppc *c, uint32_t pvr);
/* Does the model implement ISA v3.0 (POWER9 and later)? */
static inline bool cpu_ppc_isa300(const struct cpu_ppc *c)
{
	return (c->pvr >> 16) >= PPC_PVR_VERSION_POWER9;
}
/* The state Linux expects after kexec (DESIGN.md §8): MSR = SF | ME | (LE),
 * IR=DR=0, HV=0, PR=0, LPCR[ILE] = le, pc = entry, r3..r5 given, others 0. */
void cpu_ppc_reset_kexec(struct cpu_ppc *c, uint64_t entry, uint64_t r3, uint64_t r4, uint64_t r5,
			 bool le);

/* Resume the guest after an exit to the hypervisor: rfid after 0xC00 (sc 1),
 * hrfid after every other HV interrupt. */
void cpu_ppc_hv_return(struct cpu_ppc *c);
/* The architected returns, also used by the instructions. */
void cpu_ppc_rfid(struct cpu_ppc *c);
void cpu_ppc_hrfid(struct cpu_ppc *c);
/* Deliver an interrupt to the guest's kernel now (e.g. hv reflecting a program
 * interrupt after HEA): srr0 = address saved, srr1_bits = interrupt-specific bits. */
void cpu_ppc_deliver(struct cpu_ppc *c, uint32_t vector, uint64_t srr0, uint64_t srr1_bits);

/* The mmu index of data accesses under MSR value msr (for hv's copies of
 * hypercall arguments, with the caller's MSR). */
unsigned cpu_ppc_data_mmu_idx(uint64_t msr);

/*
 * The hashed page table of the partition, for hv (the PAPR H_ENTER family
 * owns an HPT in guest-physical memory): writes SDR1 = HTABORG | HTABSIZE
 * (Book III 5.7.7.1) for an HPT of 2^size_log2 bytes at gpa_base, which must
 * be aligned to its size; 18 <= size_log2 <= 46. Flushes the TLB. SDR1 (or,
 * when PTCR is set, the partition-table entry of LPIDR) stays the source of
 * truth the walk reads. 0 or -EINVAL.
 */
int cpu_ppc_set_hpt(struct cpu_ppc *c, uint64_t gpa_base, unsigned size_log2);

/* The single <-> double format conversions of lfs / stfs (Book I 4.6.2-3),
 * for hv and the gdb stub as well (fpu.c). */
uint64_t ppc_fp_single_to_double(uint32_t w);
uint32_t ppc_fp_double_to_single(uint64_t d);

/* Composite registers. */
uint64_t cpu_ppc_get_cr(const struct cpu_ppc *c);
void cpu_ppc_set_cr(struct cpu_ppc *c, uint64_t cr);
uint64_t cpu_ppc_get_xer(const struct cpu_ppc *c);
void cpu_ppc_set_xer(struct cpu_ppc *c, uint64_t xer);
uint64_t cpu_ppc_get_tb(const struct cpu_ppc *c);
/* Change MSR as mtmsrd/rfid do (flushes what depends on the translation mode). */
void cpu_ppc_set_msr(struct cpu_ppc *c, uint64_t msr);

/* Timer and interrupt lines. */
void cpu_ppc_set_dec(struct cpu_ppc *c, uint64_t v);
uint64_t cpu_ppc_get_dec(const struct cpu_ppc *c);
void cpu_ppc_set_hdec(struct cpu_ppc *c, uint64_t v);
uint64_t cpu_ppc_get_hdec(const struct cpu_ppc *c);
/* The instruction count at which DEC goes negative (a decrementer interrupt
 * becomes due), or UINT64_MAX if none is armed. */
uint64_t cpu_ppc_dec_deadline(const struct cpu_ppc *c);
/* The same for HDEC: the instruction count at which it goes negative (a
 * hypervisor decrementer interrupt, 0x980, becomes due while LPCR[HDICE]
 * is set), or UINT64_MAX. */
uint64_t cpu_ppc_hdec_deadline(const struct cpu_ppc *c);
void cpu_ppc_set_external_irq(struct cpu_ppc *c, bool level);
/* A directed hypervisor doorbell for c (msgsnd of another thread): 0xE80
 * is taken at c's next TB boundary where enabled. */
void cpu_ppc_hv_doorbell(struct cpu_ppc *c);

/* Disassemble the instruction image insn (as HEIR holds it) at pc into buf
 * (capstone; ".long 0x... (mnemonic)" for what only softvisor's decoder
 * knows, ".long 0x..." if neither does). 0, or -1 without a disassembler. */
int cpu_ppc_disas_word(uint32_t insn, uint64_t pc, char *buf, size_t bufsize);

/* Name of a hypervisor interrupt vector ("HCALL", "HDSI", ...), or NULL. */
const char *ppc_hv_vector_name(uint32_t vec);
/* Name of any interrupt vector, or NULL. */
const char *ppc_vector_name(uint32_t vec);
/* Name of an SPR ("LPCR"), or NULL. */
const char *ppc_spr_name(unsigned sprn);

#endif
