/*
 * The x86 local APIC (Intel SDM vol. 3A ch. 10), xAPIC and x2APIC modes,
 * one per vcpu.
 *
 * The device is the APIC's architectural state and rules: the register file,
 * interrupt acceptance (IRR, ISR, TMR), priorities (TPR, PPR), EOI, the
 * local vector table, the timer (one-shot, periodic, TSC-deadline), the
 * error status and the interrupt command register. It knows nothing of
 * vcpus or of other APICs: its owner (hv/x86/apic.c) gives it a clock and
 * routes the interrupts it sends, and asks it which vector to inject.
 *
 * Registers are named by their xAPIC MMIO offset (LAPIC_REG_*); the x2APIC
 * MSR of a register is 0x800 + (offset >> 4) (SDM 10.12.1.2). The two
 * access paths check what differs between the modes:
 *
 *     lapic_mmio_read/write   xAPIC: 32-bit registers at 16-byte strides of
 *                             the 4 KiB page at the APIC base
 *     lapic_msr_read/write    x2APIC: RDMSR/WRMSR 0x800..0x8ff (ICR is one
 *                             64-bit MSR; SELF IPI exists; DFR, APR and ICR2
 *                             do not); a bad access is #GP (-EINVAL)
 *
 * Time: the timer counts the owner's virtual time (ops->now_ns): one APIC
 * bus tick per ns before the divide configuration (a 1 GHz bus, as Xen's
 * vlapic), and TSC-deadline mode compares against ops->tsc. The owner runs
 * the vcpu no further than lapic_timer_deadline() and then calls
 * lapic_timer_fire().
 *
 * Worked example (Linux's x2APIC self IPI for irq_work, vector 0xf6):
 *   WRMSR 0x83f = 0xf6 -> lapic_msr_write -> ops->send_ipi {vector 0xf6,
 *   fixed, shorthand self} -> hv routes it back: lapic_accept_irq(l, 0xf6)
 *   sets IRR bit 0xf6 -> lapic_pending_vector() = 0xf6 (PPR 0) -> hv
 *   injects it and calls lapic_ack(l, 0xf6): IRR -> ISR, PPR = 0xf0 ->
 *   the handler writes EOI (MSR 0x80b = 0) -> ISR bit cleared.
 */
#ifndef SV_DEVICES_X86_LAPIC_H
#define SV_DEVICES_X86_LAPIC_H

#include "sv/common.h"

/* Register offsets (SDM 10.4.1 table 10-1, 10.12.1.2 table 10-6). */
enum lapic_reg {
	LAPIC_REG_ID = 0x020,
	LAPIC_REG_VERSION = 0x030,
	LAPIC_REG_TPR = 0x080,
	LAPIC_REG_APR = 0x090,
	LAPIC_REG_PPR = 0x0a0,
	LAPIC_REG_EOI = 0x0b0,
	LAPIC_REG_RRD = 0x0c0,
	LAPIC_REG_LDR = 0x0d0,
	LAPIC_REG_DFR = 0x0e0,
	LAPIC_REG_SVR = 0x0f0,
	LAPIC_REG_ISR = 0x100, /* 8 registers, 0x100..0x170 */
	LAPIC_REG_TMR = 0x180,
	LAPIC_REG_IRR = 0x200,
	LAPIC_REG_ESR = 0x280,
	LAPIC_REG_LVT_CMCI = 0x2f0,
	LAPIC_REG_ICR_LO = 0x300,
	LAPIC_REG_ICR_HI = 0x310,
	LAPIC_REG_LVT_TIMER = 0x320,
	LAPIC_REG_LVT_THERMAL = 0x330,
	LAPIC_REG_LVT_PMC = 0x340,
	LAPIC_REG_LVT_LINT0 = 0x350,
	LAPIC_REG_LVT_LINT1 = 0x360,
	LAPIC_REG_LVT_ERROR = 0x370,
	LAPIC_REG_TIMER_ICR = 0x380,
	LAPIC_REG_TIMER_CCR = 0x390,
	LAPIC_REG_TIMER_DCR = 0x3e0,
	LAPIC_REG_SELF_IPI = 0x3f0, /* x2APIC only */
};

#define LAPIC_DEFAULT_BASE 0xfee00000ull
#define LAPIC_MSR_X2APIC_FIRST 0x800u
#define LAPIC_MSR_X2APIC_LAST 0x8ffu
#define LAPIC_MSR_TSC_DEADLINE 0x6e0u

/* IA32_APIC_BASE (SDM 10.4.4, 10.12.1). */
#define LAPIC_BASE_BSP (1ull << 8)
#define LAPIC_BASE_EXTD (1ull << 10) /* x2APIC mode */
#define LAPIC_BASE_EN (1ull << 11)   /* globally enabled */

/* Version register: version 0x14 (integrated), 6 LVT entries (max LVT 5),
 * as Xen's vlapic reports. */
#define LAPIC_VERSION 0x00050014u

/* LVT and ICR fields (SDM 10.5.1, 10.6.1). */
#define LAPIC_VECTOR_MASK 0xffu
#define LAPIC_DM_SHIFT 8
#define LAPIC_DM_MASK (7u << 8)
#define LAPIC_DM_FIXED 0u
#define LAPIC_DM_LOWEST 1u
#define LAPIC_DM_SMI 2u
#define LAPIC_DM_NMI 4u
#define LAPIC_DM_INIT 5u
#define LAPIC_DM_STARTUP 6u
#define LAPIC_DM_EXTINT 7u
#define LAPIC_DEST_LOGICAL (1u << 11)
#define LAPIC_DELIVERY_PENDING (1u << 12)
#define LAPIC_LEVEL_ASSERT (1u << 14)
#define LAPIC_TRIGGER_LEVEL (1u << 15)
#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_TIMER_MODE_SHIFT 17
#define LAPIC_TIMER_MODE_MASK (3u << 17)
#define LAPIC_TIMER_ONESHOT 0u
#define LAPIC_TIMER_PERIODIC 1u
#define LAPIC_TIMER_TSC_DEADLINE 2u
#define LAPIC_SHORTHAND_SHIFT 18
#define LAPIC_SHORTHAND_NONE 0u
#define LAPIC_SHORTHAND_SELF 1u
#define LAPIC_SHORTHAND_ALL 2u
#define LAPIC_SHORTHAND_OTHERS 3u

/* SVR: APIC software enable. */
#define LAPIC_SVR_ENABLE (1u << 8)

/* ESR bits (SDM 10.5.3). */
#define LAPIC_ESR_SEND_ILLEGAL_VECTOR (1u << 5)
#define LAPIC_ESR_RECV_ILLEGAL_VECTOR (1u << 6)
#define LAPIC_ESR_ILLEGAL_REGISTER (1u << 7)

#define LAPIC_NUM_LVT 6

/* An interrupt the APIC sends (ICR, SELF IPI): the owner finds the
 * destinations (lapic_match_dest) and delivers (lapic_accept_*). */
struct lapic_ipi {
	uint8_t vector;
	uint8_t mode;      /* LAPIC_DM_* */
	uint8_t shorthand; /* LAPIC_SHORTHAND_* */
	bool logical;
	bool level_assert; /* INIT: false = level de-assert (ignored) */
	bool level_trigger;
	uint32_t dest; /* xAPIC: 8 bits; x2APIC: 32 bits */
};

struct lapic_ops {
	/* The owning vcpu's virtual time (ns) and TSC now. */
	uint64_t (*now_ns)(void *opaque);
	uint64_t (*tsc)(void *opaque);
	/* Deliver an interrupt this APIC sends. */
	void (*send_ipi)(void *opaque, const struct lapic_ipi *ipi);
	/* The APIC's state changed so that an interrupt may have become
	 * deliverable (accepted, EOI, TPR lowered, timer): the owner looks at
	 * lapic_pending_vector() again before the vcpu runs on. */
	void (*kick)(void *opaque);
	void *opaque;
};

struct lapic {
	const struct lapic_ops *ops;
	uint32_t apic_id; /* the initial APIC ID (CPUID.1:EBX[31:24]) */
	uint64_t base;    /* IA32_APIC_BASE */

	uint8_t id8; /* xAPIC ID register bits 31:24 (writable in xAPIC mode) */
	uint32_t tpr, svr, ldr, dfr;
	uint32_t irr[8], isr[8], tmr[8];
	uint32_t esr, esr_pending;
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[LAPIC_NUM_LVT]; /* timer, thermal, PMC, LINT0, LINT1, error */

	/* Timer: initial count, divide configuration, and when the current
	 * count period started (ns); next_ns is the next expiry, HV_TIME_NONE
	 * style UINT64_MAX when stopped. */
	uint32_t timer_icr, timer_dcr;
	uint64_t timer_start_ns, timer_next_ns;
	uint64_t tsc_deadline; /* IA32_TSC_DEADLINE, 0: disarmed */

	/* Pending non-vectored events for the owner: NMI, INIT, and a SIPI's
	 * vector (sipi_pending). */
	bool nmi_pending, init_pending, sipi_pending;
	uint8_t sipi_vector;
};

#define LAPIC_TIME_NONE UINT64_MAX

/* Snapshots (include/sv/snap.h): the APIC's registers and timer. */
struct sv_snap_w;
struct sv_snap_r;
void lapic_save(const struct lapic *l, struct sv_snap_w *w);
int lapic_load(struct lapic *l, struct sv_snap_r *r);

/* Power-up state (SDM 10.4.7.1) for APIC ID apic_id; bsp sets
 * IA32_APIC_BASE.BSP. The APIC starts enabled in xAPIC mode at the default
 * base, software-disabled (SVR = 0xff), every LVT masked. */
void lapic_init(struct lapic *l, const struct lapic_ops *ops, uint32_t apic_id, bool bsp);
/* INIT (SDM 10.4.7.3): the power-up state, keeping the APIC ID register and
 * IA32_APIC_BASE. */
void lapic_init_reset(struct lapic *l);

static inline bool lapic_enabled(const struct lapic *l)
{
	return (l->base & LAPIC_BASE_EN) != 0;
}
static inline bool lapic_x2apic(const struct lapic *l)
{
	return (l->base & (LAPIC_BASE_EN | LAPIC_BASE_EXTD)) == (LAPIC_BASE_EN | LAPIC_BASE_EXTD);
}

/* IA32_APIC_BASE: the value, and a WRMSR (0, or -EINVAL: #GP for a reserved
 * bit or an illegal mode transition, SDM 10.12.5). maxphyaddr bounds the
 * base address. */
uint64_t lapic_get_base(const struct lapic *l);
int lapic_set_base(struct lapic *l, uint64_t v, unsigned maxphyaddr);

/* xAPIC MMIO at offset (0..0xfff) of the APIC page, size bytes. Reads of a
 * disabled or x2APIC-mode APIC see all ones; such writes are dropped. */
uint64_t lapic_mmio_read(struct lapic *l, uint32_t offset, unsigned size);
void lapic_mmio_write(struct lapic *l, uint32_t offset, unsigned size, uint64_t val);
/* x2APIC MSR access (0x800..0x8ff). 0, or -EINVAL: the access must #GP. */
int lapic_msr_read(struct lapic *l, uint32_t msr, uint64_t *val);
int lapic_msr_write(struct lapic *l, uint32_t msr, uint64_t val);
/* IA32_TSC_DEADLINE (0x6e0). */
uint64_t lapic_tsc_deadline_read(struct lapic *l);
void lapic_tsc_deadline_write(struct lapic *l, uint64_t val);

/* TPR as CR8 sees it (SDM 10.8.6.1): CR8[3:0] = TPR[7:4]. */
uint64_t lapic_get_cr8(const struct lapic *l);
void lapic_set_cr8(struct lapic *l, uint64_t cr8);

/* Does an interrupt sent to (dest, logical) reach this APIC (SDM 10.6.2)?
 * Shorthands are the caller's. */
bool lapic_match_dest(const struct lapic *l, uint32_t dest, bool logical);
/* Accept an interrupt of delivery mode mode (LAPIC_DM_*); fixed and lowest
 * priority set the IRR (and the TMR for level_trigger). */
void lapic_accept(struct lapic *l, unsigned mode, uint8_t vector, bool level_trigger);

/* The vector to inject now (the highest IRR vector whose priority class is
 * above PPR's), or -1. */
int lapic_pending_vector(const struct lapic *l);
/* The CPU took vector (interrupt acknowledge): IRR -> ISR. */
void lapic_ack(struct lapic *l, uint8_t vector);
/* Processor priority (SDM 10.8.3.1). */
uint32_t lapic_ppr(const struct lapic *l);

/* The timer's next expiry in the owner's ns, or LAPIC_TIME_NONE; and
 * firing it when due (sets the IRR unless the LVT entry is masked, reloads
 * a periodic timer). */
uint64_t lapic_timer_deadline(struct lapic *l);
void lapic_timer_fire(struct lapic *l);

#endif
