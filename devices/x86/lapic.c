/*
 * The x86 local APIC: registers, acceptance and priority, the timer and the
 * interrupt command register (see lapic.h for the model and an example).
 */
#include "devices/x86/lapic.h"
#include "sv/snap.h"

#include <errno.h>

enum {
	LVT_TIMER,
	LVT_THERMAL,
	LVT_PMC,
	LVT_LINT0,
	LVT_LINT1,
	LVT_ERROR
};

/* Writable bits of each LVT entry (SDM 10.5.1 figure 10-8). */
static const uint32_t lapic_lvt_mask[LAPIC_NUM_LVT] = {
	[LVT_TIMER] = LAPIC_VECTOR_MASK | LAPIC_LVT_MASKED | LAPIC_TIMER_MODE_MASK,
	[LVT_THERMAL] = LAPIC_VECTOR_MASK | LAPIC_DM_MASK | LAPIC_LVT_MASKED,
	[LVT_PMC] = LAPIC_VECTOR_MASK | LAPIC_DM_MASK | LAPIC_LVT_MASKED,
	[LVT_LINT0] = LAPIC_VECTOR_MASK | LAPIC_DM_MASK | (1u << 13) | LAPIC_TRIGGER_LEVEL |
		      LAPIC_LVT_MASKED,
	[LVT_LINT1] = LAPIC_VECTOR_MASK | LAPIC_DM_MASK | (1u << 13) | LAPIC_TRIGGER_LEVEL |
		      LAPIC_LVT_MASKED,
	[LVT_ERROR] = LAPIC_VECTOR_MASK | LAPIC_LVT_MASKED,
};

static void vec_set(uint32_t *r, unsigned v)
{
	r[v >> 5] |= 1u << (v & 31);
}

static void vec_clear(uint32_t *r, unsigned v)
{
	r[v >> 5] &= ~(1u << (v & 31));
}

/* The highest set vector of a 256-bit register, or -1. */
static int vec_highest(const uint32_t *r)
{
	for (int i = 7; i >= 0; i--)
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	return -1;
}

static uint64_t lapic_now(const struct lapic *l)
{
	return l->ops->now_ns(l->ops->opaque);
}

static void lapic_kick(struct lapic *l)
{
	if (l->ops->kick)
		l->ops->kick(l->ops->opaque);
}

static bool lapic_sw_enabled(const struct lapic *l)
{
	return (l->svr & LAPIC_SVR_ENABLE) != 0;
}

/* The state INIT and power-up share (SDM 10.4.7.1). */
static void lapic_reset_regs(struct lapic *l)
{
	l->id8 = (uint8_t)l->apic_id;
	l->tpr = 0;
	l->svr = 0xff;
	l->ldr = 0;
	l->dfr = 0xffffffffu;
	memset(l->irr, 0, sizeof(l->irr));
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	l->esr = l->esr_pending = 0;
	l->icr_lo = l->icr_hi = 0;
	for (unsigned i = 0; i < LAPIC_NUM_LVT; i++)
		l->lvt[i] = LAPIC_LVT_MASKED;
	l->timer_icr = l->timer_dcr = 0;
	l->timer_start_ns = 0;
	l->timer_next_ns = LAPIC_TIME_NONE;
	l->tsc_deadline = 0;
	l->nmi_pending = l->init_pending = l->sipi_pending = false;
}

void lapic_init(struct lapic *l, const struct lapic_ops *ops, uint32_t apic_id, bool bsp)
{
	memset(l, 0, sizeof(*l));
	l->ops = ops;
	l->apic_id = apic_id;
	l->base = LAPIC_DEFAULT_BASE | LAPIC_BASE_EN | (bsp ? LAPIC_BASE_BSP : 0);
	lapic_reset_regs(l);
}

void lapic_init_reset(struct lapic *l)
{
	uint8_t id8 = l->id8;

	/* SDM 10.4.7.3: the APIC ID register is not affected. */
	lapic_reset_regs(l);
	l->id8 = id8;
}

/* ---- IA32_APIC_BASE ------------------------------------------------------ */

uint64_t lapic_get_base(const struct lapic *l)
{
	return l->base;
}

/* The x2APIC logical ID (SDM 10.12.10.2): cluster = ID[19:4] in 31:16, one
 * bit for ID[3:0] in 15:0. */
static uint32_t lapic_x2apic_ldr(uint32_t id)
{
	return ((id >> 4) << 16) | (1u << (id & 15));
}

int lapic_set_base(struct lapic *l, uint64_t v, unsigned maxphyaddr)
{
	uint64_t reserved = 0xffull | (1ull << 9) | ~((1ull << maxphyaddr) - 1);
	bool en = v & LAPIC_BASE_EN, extd = v & LAPIC_BASE_EXTD;
	bool was_en = lapic_enabled(l), was_x2 = lapic_x2apic(l);

	/* BSP is read-only here: a write keeps what the platform set. */
	v = (v & ~LAPIC_BASE_BSP) | (l->base & LAPIC_BASE_BSP);
	if (v & reserved)
		return -EINVAL;
	/* SDM 10.12.5 figure 10-27: EXTD without EN is invalid; x2APIC ->
	 * xAPIC and disabled -> x2APIC must go through the other state. */
	if (extd && !en)
		return -EINVAL;
	if (was_x2 && en && !extd)
		return -EINVAL;
	if (!was_en && en && extd)
		return -EINVAL;
	l->base = v;
	if (was_en && !en) {
		/* Disabling resets the APIC to its power-up state (it keeps its
		 * ID); it stays disabled until re-enabled (SDM 10.4.3). */
		lapic_reset_regs(l);
	}
	if (!was_x2 && lapic_x2apic(l))
		l->ldr = lapic_x2apic_ldr(l->apic_id);
	return 0;
}

/* ---- priorities and acceptance -------------------------------------------- */

uint32_t lapic_ppr(const struct lapic *l)
{
	int isrv = vec_highest(l->isr);
	uint32_t isr_class = isrv < 0 ? 0 : ((uint32_t)isrv & 0xf0);

	/* SDM 10.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] << 4. */
	if ((l->tpr & 0xf0) >= isr_class)
		return l->tpr & 0xff;
	return isr_class;
}

int lapic_pending_vector(const struct lapic *l)
{
	int irrv;

	if (!lapic_enabled(l))
		return -1;
	irrv = vec_highest(l->irr);
	if (irrv < 0 || ((uint32_t)irrv & 0xf0) <= (lapic_ppr(l) & 0xf0))
		return -1;
	return irrv;
}

void lapic_ack(struct lapic *l, uint8_t vector)
{
	vec_clear(l->irr, vector);
	vec_set(l->isr, vector);
}

void lapic_accept(struct lapic *l, unsigned mode, uint8_t vector, bool level_trigger)
{
	if (!lapic_enabled(l))
		return;
	switch (mode) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
		/* SDM 10.5.3: vectors 0..15 are illegal (ESR bit 6). A
		 * software-disabled APIC does not accept vectored interrupts
		 * (SDM 10.4.7.2). */
		if (vector < 16) {
			l->esr_pending |= LAPIC_ESR_RECV_ILLEGAL_VECTOR;
			return;
		}
		if (!lapic_sw_enabled(l))
			return;
		vec_set(l->irr, vector);
		if (level_trigger)
			vec_set(l->tmr, vector);
		else
			vec_clear(l->tmr, vector);
		break;
	case LAPIC_DM_NMI: l->nmi_pending = true; break;
	case LAPIC_DM_INIT: l->init_pending = true; break;
	case LAPIC_DM_STARTUP:
		l->sipi_pending = true;
		l->sipi_vector = vector;
		break;
	default: return; /* SMI, ExtINT: nothing in this platform raises them */
	}
	lapic_kick(l);
}

/* EOI (SDM 10.8.5): retire the highest in-service vector. */
static void lapic_eoi(struct lapic *l)
{
	int v = vec_highest(l->isr);

	if (v < 0)
		return;
	vec_clear(l->isr, (unsigned)v);
	vec_clear(l->tmr, (unsigned)v);
	lapic_kick(l);
}

uint64_t lapic_get_cr8(const struct lapic *l)
{
	return (l->tpr >> 4) & 0xf;
}

/* A lower TPR may let a pending interrupt through. */
static void lapic_set_tpr(struct lapic *l, uint32_t tpr)
{
	uint32_t old = l->tpr;

	l->tpr = tpr & 0xff;
	if (l->tpr < old)
		lapic_kick(l);
}

void lapic_set_cr8(struct lapic *l, uint64_t cr8)
{
	lapic_set_tpr(l, (uint32_t)(cr8 & 0xf) << 4);
}

bool lapic_match_dest(const struct lapic *l, uint32_t dest, bool logical)
{
	if (!lapic_enabled(l))
		return false;
	if (lapic_x2apic(l)) {
		if (dest == 0xffffffffu)
			return true;
		if (!logical)
			return dest == l->apic_id;
		/* SDM 10.12.10.2: the cluster must match, then any common bit. */
		return (dest >> 16) == (l->ldr >> 16) && (dest & l->ldr & 0xffff) != 0;
	}
	dest &= 0xff;
	if (dest == 0xff)
		return true;
	if (!logical)
		return dest == l->id8;
	/* SDM 10.6.2.2: flat model (DFR[31:28] = 1111b): any common bit of
	 * the 8-bit logical ID; cluster model (0000b): the cluster in 7:4
	 * must match, then a common bit of 3:0. */
	uint32_t lid = l->ldr >> 24;
	if ((l->dfr >> 28) == 0xf)
		return (lid & dest) != 0;
	return (lid >> 4) == (dest >> 4) && (lid & dest & 0xf) != 0;
}

/* ---- the timer ------------------------------------------------------------ */

static unsigned lapic_timer_mode(const struct lapic *l)
{
	return (l->lvt[LVT_TIMER] & LAPIC_TIMER_MODE_MASK) >> LAPIC_TIMER_MODE_SHIFT;
}

/* Bus ticks per timer count: DCR bits 3,1:0 (SDM 10.5.4 figure 10-10). */
static uint64_t lapic_timer_divisor(const struct lapic *l)
{
	unsigned code = (l->timer_dcr & 3) | ((l->timer_dcr >> 1) & 4);

	return code == 7 ? 1 : 2ull << code;
}

static uint64_t lapic_timer_period(const struct lapic *l)
{
	return (uint64_t)l->timer_icr * lapic_timer_divisor(l);
}

/* Start counting down from the initial count at time now. */
static void lapic_timer_start(struct lapic *l, uint64_t now)
{
	l->timer_start_ns = now;
	l->timer_next_ns = l->timer_icr ? now + lapic_timer_period(l) : LAPIC_TIME_NONE;
	lapic_kick(l);
}

static uint32_t lapic_timer_ccr(const struct lapic *l)
{
	uint64_t now = lapic_now(l), period = lapic_timer_period(l), elapsed;

	if (lapic_timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE || !period)
		return 0;
	if (l->timer_next_ns == LAPIC_TIME_NONE) /* a one-shot that expired */
		return 0;
	elapsed = now - l->timer_start_ns;
	if (elapsed >= period)
		return lapic_timer_mode(l) == LAPIC_TIMER_PERIODIC ?
			       (uint32_t)((period - elapsed % period) / lapic_timer_divisor(l)) :
			       0;
	return (uint32_t)((period - elapsed) / lapic_timer_divisor(l));
}

uint64_t lapic_timer_deadline(struct lapic *l)
{
	if (lapic_timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE) {
		uint64_t tsc, now;

		if (!l->tsc_deadline)
			return LAPIC_TIME_NONE;
		tsc = l->ops->tsc(l->ops->opaque);
		now = lapic_now(l);
		/* One TSC tick per ns of virtual time (X86_TSC_KHZ). */
		return l->tsc_deadline <= tsc ? now : now + (l->tsc_deadline - tsc);
	}
	return l->timer_next_ns;
}

static void lapic_timer_interrupt(struct lapic *l)
{
	uint32_t lvt = l->lvt[LVT_TIMER];

	if (!(lvt & LAPIC_LVT_MASKED))
		lapic_accept(l, LAPIC_DM_FIXED, (uint8_t)(lvt & LAPIC_VECTOR_MASK), false);
}

void lapic_timer_fire(struct lapic *l)
{
	uint64_t now = lapic_now(l), d = lapic_timer_deadline(l);

	if (d == LAPIC_TIME_NONE || d > now)
		return;
	if (lapic_timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE) {
		l->tsc_deadline = 0;
	} else if (lapic_timer_mode(l) == LAPIC_TIMER_PERIODIC && lapic_timer_period(l)) {
		/* Missed periods are not replayed (Xen's default timer mode,
		 * "delay for missed ticks"): the next one is after now. */
		uint64_t period = lapic_timer_period(l);
		uint64_t n = (now - l->timer_next_ns) / period + 1;

		l->timer_start_ns = l->timer_next_ns + (n - 1) * period;
		l->timer_next_ns = l->timer_start_ns + period;
	} else {
		l->timer_next_ns = LAPIC_TIME_NONE;
	}
	lapic_timer_interrupt(l);
}

uint64_t lapic_tsc_deadline_read(struct lapic *l)
{
	/* SDM 10.5.4.1: reads 0 outside TSC-deadline mode. */
	return lapic_timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE ? l->tsc_deadline : 0;
}

void lapic_tsc_deadline_write(struct lapic *l, uint64_t val)
{
	/* Ignored outside TSC-deadline mode. */
	if (lapic_timer_mode(l) != LAPIC_TIMER_TSC_DEADLINE)
		return;
	l->tsc_deadline = val;
	lapic_kick(l);
}

static void lapic_write_lvt_timer(struct lapic *l, uint32_t val)
{
	unsigned old_mode = lapic_timer_mode(l), mode;

	val &= lapic_lvt_mask[LVT_TIMER];
	if (((val & LAPIC_TIMER_MODE_MASK) >> LAPIC_TIMER_MODE_SHIFT) == 3)
		val &= ~LAPIC_TIMER_MODE_MASK; /* reserved mode: one-shot */
	if (!lapic_sw_enabled(l))
		val |= LAPIC_LVT_MASKED;
	l->lvt[LVT_TIMER] = val;
	mode = lapic_timer_mode(l);
	if (mode != old_mode) {
		/* SDM 10.5.4.1: changing to or from TSC-deadline mode disarms
		 * the timer. */
		if (mode == LAPIC_TIMER_TSC_DEADLINE || old_mode == LAPIC_TIMER_TSC_DEADLINE) {
			l->timer_icr = 0;
			l->timer_next_ns = LAPIC_TIME_NONE;
			l->tsc_deadline = 0;
		}
	}
	lapic_kick(l);
}

/* ---- the interrupt command register ------------------------------------- */

static void lapic_send(struct lapic *l, uint32_t lo, uint32_t dest)
{
	struct lapic_ipi ipi = {
		.vector = (uint8_t)(lo & LAPIC_VECTOR_MASK),
		.mode = (uint8_t)((lo & LAPIC_DM_MASK) >> LAPIC_DM_SHIFT),
		.shorthand = (uint8_t)((lo >> LAPIC_SHORTHAND_SHIFT) & 3),
		.logical = (lo & LAPIC_DEST_LOGICAL) != 0,
		.level_assert = (lo & LAPIC_LEVEL_ASSERT) != 0,
		.level_trigger = (lo & LAPIC_TRIGGER_LEVEL) != 0,
		.dest = dest,
	};

	if ((ipi.mode == LAPIC_DM_FIXED || ipi.mode == LAPIC_DM_LOWEST) && ipi.vector < 16) {
		l->esr_pending |= LAPIC_ESR_SEND_ILLEGAL_VECTOR;
		return;
	}
	/* INIT level de-assert (level 0, trigger level) only synchronises
	 * arbitration IDs on old APICs: nothing to do (SDM 10.6.1). */
	if (ipi.mode == LAPIC_DM_INIT && !ipi.level_assert && ipi.level_trigger)
		return;
	l->ops->send_ipi(l->ops->opaque, &ipi);
}

/* ---- register access ------------------------------------------------------ */

/* A register's value, or -EINVAL if it does not exist (in this mode). */
static int lapic_reg_read(struct lapic *l, uint32_t reg, uint32_t *val)
{
	bool x2 = lapic_x2apic(l);

	switch (reg) {
	case LAPIC_REG_ID: *val = x2 ? l->apic_id : (uint32_t)l->id8 << 24; return 0;
	case LAPIC_REG_VERSION: *val = LAPIC_VERSION; return 0;
	case LAPIC_REG_TPR: *val = l->tpr; return 0;
	case LAPIC_REG_APR:
		if (x2)
			return -EINVAL;
		*val = 0; /* arbitration priority: not modelled (no bus) */
		return 0;
	case LAPIC_REG_PPR: *val = lapic_ppr(l); return 0;
	case LAPIC_REG_LDR: *val = l->ldr; return 0;
	case LAPIC_REG_DFR:
		if (x2)
			return -EINVAL;
		*val = l->dfr;
		return 0;
	case LAPIC_REG_SVR: *val = l->svr; return 0;
	case LAPIC_REG_ESR: *val = l->esr; return 0;
	case LAPIC_REG_ICR_LO: *val = l->icr_lo; return 0;
	case LAPIC_REG_ICR_HI:
		if (x2)
			return -EINVAL;
		*val = l->icr_hi;
		return 0;
	case LAPIC_REG_LVT_TIMER:
	case LAPIC_REG_LVT_THERMAL:
	case LAPIC_REG_LVT_PMC:
	case LAPIC_REG_LVT_LINT0:
	case LAPIC_REG_LVT_LINT1:
	case LAPIC_REG_LVT_ERROR: *val = l->lvt[(reg - LAPIC_REG_LVT_TIMER) >> 4]; return 0;
	case LAPIC_REG_TIMER_ICR: *val = l->timer_icr; return 0;
	case LAPIC_REG_TIMER_CCR: *val = lapic_timer_ccr(l); return 0;
	case LAPIC_REG_TIMER_DCR: *val = l->timer_dcr; return 0;
	default: break;
	}
	if (reg >= LAPIC_REG_ISR && reg < LAPIC_REG_ISR + 0x80) {
		*val = l->isr[(reg - LAPIC_REG_ISR) >> 4];
		return 0;
	}
	if (reg >= LAPIC_REG_TMR && reg < LAPIC_REG_TMR + 0x80) {
		*val = l->tmr[(reg - LAPIC_REG_TMR) >> 4];
		return 0;
	}
	if (reg >= LAPIC_REG_IRR && reg < LAPIC_REG_IRR + 0x80) {
		*val = l->irr[(reg - LAPIC_REG_IRR) >> 4];
		return 0;
	}
	return -EINVAL;
}

/* Write a register (32 bits; x2APIC ICR: hi is the destination). -EINVAL:
 * no such writable register in this mode. */
static int lapic_reg_write(struct lapic *l, uint32_t reg, uint32_t val, uint32_t hi)
{
	bool x2 = lapic_x2apic(l);

	switch (reg) {
	case LAPIC_REG_ID:
		/* Writable in xAPIC mode (SDM 10.4.6), read-only in x2APIC. */
		if (x2)
			return -EINVAL;
		l->id8 = (uint8_t)(val >> 24);
		return 0;
	case LAPIC_REG_TPR: lapic_set_tpr(l, val); return 0;
	case LAPIC_REG_EOI:
		/* x2APIC: a non-zero value is #GP (SDM 10.12.1.2). */
		if (x2 && val)
			return -EINVAL;
		lapic_eoi(l);
		return 0;
	case LAPIC_REG_LDR:
		if (x2)
			return -EINVAL;
		l->ldr = val & 0xff000000u;
		return 0;
	case LAPIC_REG_DFR:
		if (x2)
			return -EINVAL;
		l->dfr = val | 0x0fffffffu;
		return 0;
	case LAPIC_REG_SVR:
		/* Bits 7:0 vector, 8 enable, 9 focus check, 12 EOI-broadcast
		 * suppression (not offered: version bit 24 is clear). */
		l->svr = val & 0x3ff;
		if (!lapic_sw_enabled(l)) {
			/* SDM 10.4.7.2: software disable masks every LVT entry. */
			for (unsigned i = 0; i < LAPIC_NUM_LVT; i++)
				l->lvt[i] |= LAPIC_LVT_MASKED;
		}
		lapic_kick(l);
		return 0;
	case LAPIC_REG_ESR:
		/* x2APIC: non-zero is #GP. A write latches the errors seen
		 * since the last write (SDM 10.5.3). */
		if (x2 && val)
			return -EINVAL;
		l->esr = l->esr_pending;
		l->esr_pending = 0;
		return 0;
	case LAPIC_REG_ICR_LO:
		l->icr_lo = val & ~LAPIC_DELIVERY_PENDING & 0x000ccfffu;
		if (x2)
			l->icr_hi = hi;
		lapic_send(l, l->icr_lo, x2 ? l->icr_hi : l->icr_hi >> 24);
		return 0;
	case LAPIC_REG_ICR_HI:
		if (x2)
			return -EINVAL;
		l->icr_hi = val & 0xff000000u;
		return 0;
	case LAPIC_REG_LVT_TIMER: lapic_write_lvt_timer(l, val); return 0;
	case LAPIC_REG_LVT_THERMAL:
	case LAPIC_REG_LVT_PMC:
	case LAPIC_REG_LVT_LINT0:
	case LAPIC_REG_LVT_LINT1:
	case LAPIC_REG_LVT_ERROR: {
		unsigned i = (reg - LAPIC_REG_LVT_TIMER) >> 4;

		val &= lapic_lvt_mask[i];
		if (!lapic_sw_enabled(l))
			val |= LAPIC_LVT_MASKED;
		l->lvt[i] = val;
		return 0;
	}
	case LAPIC_REG_TIMER_ICR:
		/* Ignored in TSC-deadline mode (SDM 10.5.4.1). */
		if (lapic_timer_mode(l) == LAPIC_TIMER_TSC_DEADLINE)
			return 0;
		l->timer_icr = val;
		lapic_timer_start(l, lapic_now(l));
		return 0;
	case LAPIC_REG_TIMER_DCR: {
		/* The divisor applies from now on: restart the current period
		 * from the remaining count. */
		uint32_t remain = lapic_timer_ccr(l);
		uint64_t now = lapic_now(l);

		l->timer_dcr = val & 0xb;
		if (l->timer_next_ns != LAPIC_TIME_NONE &&
		    lapic_timer_mode(l) != LAPIC_TIMER_TSC_DEADLINE) {
			l->timer_start_ns = now + (uint64_t)remain * lapic_timer_divisor(l) -
					    lapic_timer_period(l);
			l->timer_next_ns = now + (uint64_t)remain * lapic_timer_divisor(l);
		}
		return 0;
	}
	case LAPIC_REG_SELF_IPI:
		if (!x2)
			return -EINVAL;
		lapic_send(l, (val & 0xff) | (LAPIC_SHORTHAND_SELF << LAPIC_SHORTHAND_SHIFT), 0);
		return 0;
	default: return -EINVAL;
	}
}

uint64_t lapic_mmio_read(struct lapic *l, uint32_t offset, unsigned size)
{
	uint32_t val = 0;

	if (!lapic_enabled(l) || lapic_x2apic(l))
		return ~0ull;
	/* Registers are 32 bits wide on 16-byte boundaries (SDM 10.4.1);
	 * narrower reads see their part of it. */
	if ((offset & 0xf) + size > 4)
		return 0;
	if (lapic_reg_read(l, offset & 0xff0, &val) < 0) {
		l->esr_pending |= LAPIC_ESR_ILLEGAL_REGISTER;
		return 0;
	}
	return (val >> (8 * (offset & 3))) & (size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
}

void lapic_mmio_write(struct lapic *l, uint32_t offset, unsigned size, uint64_t val)
{
	uint32_t reg = offset & 0xff0;

	if (!lapic_enabled(l) || lapic_x2apic(l))
		return;
	/* Only aligned 32-bit writes are defined (SDM 10.4.1). */
	if ((offset & 0xf) || size != 4)
		return;
	if (reg == LAPIC_REG_SELF_IPI || lapic_reg_write(l, reg, (uint32_t)val, 0) < 0)
		l->esr_pending |= LAPIC_ESR_ILLEGAL_REGISTER;
}

int lapic_msr_read(struct lapic *l, uint32_t msr, uint64_t *val)
{
	uint32_t reg = (msr - LAPIC_MSR_X2APIC_FIRST) << 4, v;

	if (!lapic_x2apic(l) || msr < LAPIC_MSR_X2APIC_FIRST || msr > LAPIC_MSR_X2APIC_LAST)
		return -EINVAL;
	/* Write-only registers: EOI and SELF IPI (SDM 10.12.1.2 table 10-6). */
	if (reg == LAPIC_REG_EOI || reg == LAPIC_REG_SELF_IPI)
		return -EINVAL;
	if (lapic_reg_read(l, reg, &v) < 0)
		return -EINVAL;
	*val = v;
	if (reg == LAPIC_REG_ICR_LO)
		*val |= (uint64_t)l->icr_hi << 32;
	return 0;
}

int lapic_msr_write(struct lapic *l, uint32_t msr, uint64_t val)
{
	uint32_t reg = (msr - LAPIC_MSR_X2APIC_FIRST) << 4;

	if (!lapic_x2apic(l) || msr < LAPIC_MSR_X2APIC_FIRST || msr > LAPIC_MSR_X2APIC_LAST)
		return -EINVAL;
	/* Only ICR is 64 bits wide; elsewhere bits 63:32 are reserved. */
	if (reg != LAPIC_REG_ICR_LO && (val >> 32))
		return -EINVAL;
	switch (reg) {
	case LAPIC_REG_ID:
	case LAPIC_REG_VERSION:
	case LAPIC_REG_PPR:
	case LAPIC_REG_LDR:
	case LAPIC_REG_TIMER_CCR: return -EINVAL; /* read-only */
	default: break;
	}
	if (reg >= LAPIC_REG_ISR && reg < LAPIC_REG_IRR + 0x80)
		return -EINVAL;
	/* Reserved bits of ICR, TPR, SVR, SELF IPI in x2APIC mode are #GP
	 * (SDM 10.12.1.2); checked for the ones Linux writes. */
	if (reg == LAPIC_REG_TPR && (val & ~0xffull))
		return -EINVAL;
	if (reg == LAPIC_REG_SELF_IPI && (val & ~0xffull))
		return -EINVAL;
	return lapic_reg_write(l, reg, (uint32_t)val, (uint32_t)(val >> 32));
}

/*
 * Snapshots: every register and the timer's and pending events' state (the
 * host layout of struct lapic after its ops pointer, which the loading
 * machine's APIC keeps).
 */
#define LAPIC_SNAP_START offsetof(struct lapic, apic_id)

void lapic_save(const struct lapic *l, struct sv_snap_w *w)
{
	sv_snap_put_bytes(w, (const uint8_t *)l + LAPIC_SNAP_START, sizeof(*l) - LAPIC_SNAP_START);
}

int lapic_load(struct lapic *l, struct sv_snap_r *r)
{
	if (!sv_snap_get_bytes(r, (uint8_t *)l + LAPIC_SNAP_START, sizeof(*l) - LAPIC_SNAP_START))
		return -EINVAL;
	return 0;
}
