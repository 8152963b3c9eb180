/*
 * The PAPR personality: the hypercalls and RTAS services a pseries Linux
 * guest uses (LoPAPR; numbers as in Linux's arch/powerpc/include/asm/hvcall.h
 * and rtas.h, which follow it).
 *
 * Calling convention: `sc 1` with r3 = hcall number, r4.. = arguments; the
 * status comes back in r3 (H_SUCCESS = 0, negative errors) and outputs in
 * r4.. . The handlers live in hv/ppc (the personality is POWER-only) and write
 * their outputs straight into the caller's registers.
 */
#ifndef SV_HV_PPC_PAPR_H
#define SV_HV_PPC_PAPR_H

#include "hv/evtchn.h"
#include "hv/hypercall.h"

/* Status codes. */
#define H_SUCCESS 0
#define H_BUSY 1
#define H_HARDWARE (-1)
#define H_FUNCTION (-2)
#define H_PRIVILEGE (-3)
#define H_PARAMETER (-4)
#define H_BAD_MODE (-5)
#define H_PTEG_FULL (-6)
#define H_NOT_FOUND (-7)
#define H_RESERVED_DABR (-8)
#define H_RESOURCE (-16)
#define H_P2 (-55)
#define H_P3 (-56)
#define H_P4 (-57)
#define H_UNSUPPORTED_FLAG_START (-256)

/* Hypercall numbers: X(name, number). */
#define PAPR_HCALLS(X)                                                                             \
	X(H_REMOVE, 0x04)                                                                          \
	X(H_ENTER, 0x08)                                                                           \
	X(H_READ, 0x0c)                                                                            \
	X(H_CLEAR_MOD, 0x10)                                                                       \
	X(H_CLEAR_REF, 0x14)                                                                       \
	X(H_PROTECT, 0x18)                                                                         \
	X(H_SET_SPRG0, 0x24)                                                                       \
	X(H_SET_DABR, 0x28)                                                                        \
	X(H_PAGE_INIT, 0x2c)                                                                       \
	X(H_LOGICAL_CI_LOAD, 0x3c)                                                                 \
	X(H_LOGICAL_CI_STORE, 0x40)                                                                \
	X(H_GET_TERM_CHAR, 0x54)                                                                   \
	X(H_PUT_TERM_CHAR, 0x58)                                                                   \
	X(H_EOI, 0x64)                                                                             \
	X(H_CPPR, 0x68)                                                                            \
	X(H_IPI, 0x6c)                                                                             \
	X(H_IPOLL, 0x70)                                                                           \
	X(H_XIRR, 0x74)                                                                            \
	X(H_REGISTER_VPA, 0xdc)                                                                    \
	X(H_CEDE, 0xe0)                                                                            \
	X(H_CONFER, 0xe4)                                                                          \
	X(H_PROD, 0xe8)                                                                            \
	X(H_BULK_REMOVE, 0x124)                                                                    \
	X(H_SET_XDABR, 0x134)                                                                      \
	X(H_GET_CPU_CHARACTERISTICS, 0x1c8)                                                        \
	X(H_HOME_NODE_ASSOCIATIVITY, 0x2ec)                                                        \
	X(H_XIRR_X, 0x2fc)                                                                         \
	X(H_RANDOM, 0x300)                                                                         \
	X(H_SET_MODE, 0x31c)                                                                       \
	X(H_REGISTER_PROC_TBL, 0x37c)                                                              \
	X(KVMPPC_H_RTAS, 0xf000)

enum papr_hcall_nr {
#define PAPR_HC_ENUM(name, nr) name = nr,
	PAPR_HCALLS(PAPR_HC_ENUM)
#undef PAPR_HC_ENUM
};

/* The table covers the architected range 0..PAPR_HCALL_MAX in steps of 4,
 * then the softvisor/KVM private range from 0xf000. */
#define PAPR_HCALL_MAX 0x460
#define PAPR_PRIVATE_BASE 0xf000
#define PAPR_PRIVATE_COUNT 16

extern const struct hv_hypercall_table papr_hypercall_table;
/* Table index of hcall nr, or -1 if it has none. */
long papr_hcall_index(uint64_t nr);

/* The console vterm the device tree describes (/vdevice/vty@...). */
#define PAPR_VTERM_NO 0x30000000u

/*
 * The partition's PAPR state. The hashed page table belongs to hv: its
 * frames are mapped in the p2m at PAPR_HPT_GPA, far above RAM, with type
 * P2M_HV_TABLE, so the CPU's hash walker reads them through SDR1 like any
 * table (and sets R and C in them), while no guest access reaches them (the
 * TLB fill finds no access rights: HDSI, which hv treats as a guest bug) and
 * hypercall buffers cannot name them (hv copies are RAM-only). hv edits the
 * HPTEs through host pointers (hv/ppc/papr_mmu.c).
 */
#define PAPR_HPT_GPA (1ull << 46)

/*
 * The partition table (ISA v3.0 Book III 5.7.6.2), also hv's: one 4 KiB
 * frame at PAPR_PATB_GPA (P2M_HV_TABLE, like the HPT), PTCR = PAPR_PATB_GPA
 * (PATS 0: 256 entries), the partition's entry at LPIDR 0. It is in use
 * only once the guest registers a radix process table (H_REGISTER_PROC_TBL):
 * doubleword 0 says HR (radix; the partition-scoped tree is the p2m, so
 * its root fields stay 0), doubleword 1 is the guest's PRTB || PRTS. Before
 * that, and for the hash MMU, PTCR is 0 and SDR1 names the HPT.
 */
#define PAPR_PATB_GPA (1ull << 45)

/* XICS (hv/ppc/papr_xics.c): a presentation controller per vcpu, and the
 * interrupt sources PAPR_XICS_IRQ_BASE.. of the one source controller. */
#define PAPR_XICS_IRQ_BASE 0x1000u
#define PAPR_XICS_NR_IRQS 16u

struct papr_icp {
	uint32_t cppr, mfrr;
};

struct papr_ics_src {
	uint32_t server, priority, saved_priority; /* priority 0xff: masked */
	bool asserted;                             /* the device's level, or an edge latched */
	bool edge; /* presented once per assertion (message-signalled), not a level */
};

/* The vty's interrupt source (the device tree's "interrupts" of
 * /vdevice/vty@...): edge, raised through VIRQ_CONSOLE. */
#define PAPR_VTY_IRQ PAPR_XICS_IRQ_BASE

struct papr_vcpu {
	struct papr_icp icp;
	/* H_REGISTER_VPA areas (guest-physical; 0: none) and their sizes. */
	uint64_t vpa, slb_shadow, dtl;
	uint32_t vpa_size, slb_shadow_size, dtl_size;
	uint64_t dabr, dabrx; /* H_SET_DABR / H_SET_XDABR (no watchpoint yet) */
	bool prodded;         /* H_PROD arrived: the next H_CEDE returns at once */
	/* H_CONFER in progress: to processor confer_to (-1: all others;
	 * PAPR_CONFER_NONE: none), from the caller's time confer_at. */
	int confer_to;
	uint64_t confer_at;
};
#define PAPR_CONFER_NONE (-2)

struct papr_domain {
	unsigned hpt_shift; /* log2 of the HPT's size in bytes */
	uint64_t n_hptes;
	uint8_t **hpt_pages; /* host address of each 4 KiB page of the HPT */
	uint8_t *patb;       /* host address of the partition table */
	bool radix, gtse;    /* a radix process table is registered (with GTSE) */
	uint64_t rng;        /* H_RANDOM's generator state (deterministic) */
	struct papr_ics_src ics[PAPR_XICS_NR_IRQS];
	struct papr_vcpu *vcpus;
	unsigned n_vcpus;
	uint8_t *nvram;               /* PAPR_NVRAM_SIZE bytes (hv/ppc/papr_nvram.c) */
	struct hv_evtchn_irq vty_irq; /* VIRQ_CONSOLE -> PAPR_VTY_IRQ */
};

/* The NVRAM: its size, and the vdevice unit address the tree gives it. */
#define PAPR_NVRAM_SIZE 0x10000u
#define PAPR_NVRAM_REG (PAPR_VTERM_NO + 1)

/* The PAPR state of a domain at creation (the HPT: RAM/128, at least 256
 * KiB) and its teardown. 0 or -ENOMEM. */
int papr_domain_init(struct domain *d);
void papr_domain_destroy(struct domain *d);
/* Snapshots (hv_arch_ops.domain_save/load; hv/ppc/papr.c). */
struct sv_snap_w;
struct sv_snap_r;
void papr_domain_save(struct domain *d, struct sv_snap_w *w);
int papr_domain_load(struct domain *d, struct sv_snap_r *r);
/* Register vcpu v (its PAPR state) and give its CPU the partition's
 * translation (the HPT, or the radix partition table once registered);
 * papr_vcpu_reset again after a reset (kexec boot, start-cpu). 0 or -ENOMEM. */
int papr_vcpu_init(struct vcpu *v);
void papr_vcpu_reset(struct vcpu *v);
struct papr_vcpu *papr_vcpu_of(struct vcpu *v);
/* log2 of the HPT size for a partition of ram_bytes (ibm,pft-size). */
unsigned papr_hpt_shift_for(uint64_t ram_bytes);
/* Flush every vcpu's translations, as tlbie + tlbsync would. */
void papr_tlb_flush_all(struct domain *d);
/* LPCR = (LPCR & ~mask) | bits on every vcpu of d (partition-wide modes). */
void papr_set_lpcr_all(struct domain *d, uint64_t mask, uint64_t bits);

long do_h_put_term_char(struct vcpu *v, const uint64_t a[6]);
long do_h_get_term_char(struct vcpu *v, const uint64_t a[6]);
long do_h_rtas(struct vcpu *v, const uint64_t a[6]);

/* papr_mmu.c: the hashed page table and memory. */
long do_h_enter(struct vcpu *v, const uint64_t a[6]);
long do_h_remove(struct vcpu *v, const uint64_t a[6]);
long do_h_read(struct vcpu *v, const uint64_t a[6]);
long do_h_protect(struct vcpu *v, const uint64_t a[6]);
long do_h_bulk_remove(struct vcpu *v, const uint64_t a[6]);
long do_h_clear_mod(struct vcpu *v, const uint64_t a[6]);
long do_h_clear_ref(struct vcpu *v, const uint64_t a[6]);
long do_h_page_init(struct vcpu *v, const uint64_t a[6]);
long do_h_register_proc_tbl(struct vcpu *v, const uint64_t a[6]);

/* papr_xics.c: the interrupt controller. */
long do_h_xirr(struct vcpu *v, const uint64_t a[6]);
long do_h_xirr_x(struct vcpu *v, const uint64_t a[6]);
long do_h_eoi(struct vcpu *v, const uint64_t a[6]);
long do_h_cppr(struct vcpu *v, const uint64_t a[6]);
long do_h_ipi(struct vcpu *v, const uint64_t a[6]);
long do_h_ipoll(struct vcpu *v, const uint64_t a[6]);
int32_t papr_rtas_set_xive(struct vcpu *v, const uint32_t *args, uint32_t nargs);
int32_t papr_rtas_get_xive(struct vcpu *v, const uint32_t *args, uint32_t nargs, uint32_t *rets,
			   uint32_t nret);
int32_t papr_rtas_int_onoff(struct vcpu *v, const uint32_t *args, uint32_t nargs, bool on);
/* The level of v's external interrupt line as its ICP presents. */
bool papr_xics_line(struct vcpu *v);
void papr_xics_reset_icp(struct papr_icp *icp);
/* A device's interrupt source irq goes to level: 0, or -1 for no such
 * source. */
int papr_xics_set_irq(struct domain *d, uint32_t irq, bool level);
/* Bind VIRQ_CONSOLE of d (vcpu 0 exists) to the vty's edge source. 0, or a
 * negative Xen error. */
int papr_xics_bind_vty(struct domain *d);

/* papr_nvram.c: the NVRAM, formatted as one free CHRP partition; 0 or -1
 * (no memory). nvram-fetch/store(index, buffer, length). */
int papr_nvram_init(struct papr_domain *p);
int32_t papr_rtas_nvram(struct vcpu *v, const uint32_t *args, uint32_t nargs, uint32_t *rets,
			uint32_t nret, bool store);

/* papr_vcpu.c: processor state, VPA, dispatch. The H_CEDE wait
 * (hv_arch_ops.wake_ready / wake_deadline for HV_BLOCK_ARCH). */
bool papr_wake_ready(struct vcpu *v);
uint64_t papr_wake_deadline(struct vcpu *v);
/* Processors starting and stopping (RTAS, LoPAPR 7.3.10). The state of
 * processor id for query-cpu-stopped-state: 0 stopped, 2 running, -1 no
 * such processor. */
int papr_cpu_stopped_state(struct domain *d, uint64_t id);
/* start-cpu: processor id (stopped) starts at start in real mode with r3;
 * an RTAS status. */
int32_t papr_start_cpu(struct vcpu *caller, uint64_t id, uint64_t start, uint64_t r3);
/* stop-self: the caller stops; it never returns to its caller. */
void papr_stop_self(struct vcpu *v);
/* At boot: vcpu 0 runs, the others are stopped until start-cpu. */
void papr_stop_secondaries(struct domain *d);
long do_h_set_mode(struct vcpu *v, const uint64_t a[6]);
long do_h_register_vpa(struct vcpu *v, const uint64_t a[6]);
long do_h_get_cpu_characteristics(struct vcpu *v, const uint64_t a[6]);
long do_h_home_node_associativity(struct vcpu *v, const uint64_t a[6]);
long do_h_cede(struct vcpu *v, const uint64_t a[6]);
long do_h_prod(struct vcpu *v, const uint64_t a[6]);
long do_h_confer(struct vcpu *v, const uint64_t a[6]);
long do_h_random(struct vcpu *v, const uint64_t a[6]);
long do_h_set_sprg0(struct vcpu *v, const uint64_t a[6]);
long do_h_set_dabr(struct vcpu *v, const uint64_t a[6]);
long do_h_set_xdabr(struct vcpu *v, const uint64_t a[6]);

#endif
