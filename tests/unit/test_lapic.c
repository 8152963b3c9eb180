/*
 * The local APIC device (devices/x86/lapic.c) on its own: a fake clock and
 * TSC, and IPIs routed back to the APIC itself (or recorded), checked
 * against the SDM's rules for registers, priorities, the timer and the two
 * access modes.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "devices/x86/lapic.h"

struct fake {
	uint64_t now, tsc_offset;
	struct lapic *l;
	struct lapic_ipi last;
	unsigned n_ipis, n_kicks;
	bool loopback; /* deliver IPIs to l itself */
};

static uint64_t fake_now(void *o)
{
	return ((struct fake *)o)->now;
}

static uint64_t fake_tsc(void *o)
{
	struct fake *f = o;

	return f->now + f->tsc_offset;
}

static void fake_send(void *o, const struct lapic_ipi *ipi)
{
	struct fake *f = o;

	f->last = *ipi;
	f->n_ipis++;
	if (f->loopback)
		lapic_accept(f->l, ipi->mode, ipi->vector, ipi->level_trigger);
}

static void fake_kick(void *o)
{
	((struct fake *)o)->n_kicks++;
}

static struct fake fk;
static struct lapic ap;
static struct lapic_ops fops = { fake_now, fake_tsc, fake_send, fake_kick, &fk };

static void setup(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.l = &ap;
	fk.loopback = true;
	lapic_init(&ap, &fops, 3, true);
}

TestSuite(lapic, .init = setup);

static void wr(uint32_t reg, uint32_t v)
{
	lapic_mmio_write(&ap, reg, 4, v);
}

static uint32_t rd(uint32_t reg)
{
	return (uint32_t)lapic_mmio_read(&ap, reg, 4);
}

static void sw_enable(void)
{
	wr(LAPIC_REG_SVR, LAPIC_SVR_ENABLE | 0xff);
}

Test(lapic, power_up_state)
{
	cr_assert_eq(lapic_get_base(&ap), 0xfee00000ull | LAPIC_BASE_BSP | LAPIC_BASE_EN);
	cr_assert_eq(rd(LAPIC_REG_ID), 3u << 24);
	cr_assert_eq(rd(LAPIC_REG_VERSION), LAPIC_VERSION);
	cr_assert_eq(rd(LAPIC_REG_SVR), 0xff, "software-disabled");
	cr_assert_eq(rd(LAPIC_REG_LVT_TIMER), LAPIC_LVT_MASKED);
	cr_assert_eq(rd(LAPIC_REG_DFR), 0xffffffffu);
	/* Software-disabled: vectored interrupts are not accepted. */
	lapic_accept(&ap, LAPIC_DM_FIXED, 0x40, false);
	cr_assert_eq(lapic_pending_vector(&ap), -1);
}

Test(lapic, priority_ack_and_eoi)
{
	sw_enable();
	lapic_accept(&ap, LAPIC_DM_FIXED, 0x41, false);
	lapic_accept(&ap, LAPIC_DM_FIXED, 0x92, false);
	cr_assert_eq(rd(LAPIC_REG_IRR + 0x10 * (0x92 / 32)), 1u << (0x92 % 32));
	cr_assert_eq(lapic_pending_vector(&ap), 0x92, "highest first");
	lapic_ack(&ap, 0x92);
	cr_assert_eq(rd(LAPIC_REG_PPR), 0x90, "PPR = ISRV class");
	cr_assert_eq(lapic_pending_vector(&ap), -1, "0x41 is below the in-service class");
	wr(LAPIC_REG_EOI, 0);
	cr_assert_eq(rd(LAPIC_REG_ISR + 0x10 * (0x92 / 32)), 0);
	cr_assert_eq(lapic_pending_vector(&ap), 0x41);
	/* TPR blocks its class and below; CR8 is TPR[7:4]. */
	wr(LAPIC_REG_TPR, 0x40);
	cr_assert_eq(lapic_pending_vector(&ap), -1);
	cr_assert_eq(lapic_get_cr8(&ap), 4);
	unsigned kicks = fk.n_kicks;
	lapic_set_cr8(&ap, 3);
	cr_assert_eq(rd(LAPIC_REG_TPR), 0x30);
	cr_assert_gt(fk.n_kicks, kicks, "lowering the TPR kicks the owner");
	cr_assert_eq(lapic_pending_vector(&ap), 0x41);
}

Test(lapic, illegal_vectors_set_esr)
{
	sw_enable();
	lapic_accept(&ap, LAPIC_DM_FIXED, 5, false);
	wr(LAPIC_REG_ICR_LO, 0x0000000a); /* fixed, vector 10 */
	cr_assert_eq(fk.n_ipis, 0, "not sent");
	cr_assert_eq(rd(LAPIC_REG_ESR), 0, "errors show after the next ESR write");
	wr(LAPIC_REG_ESR, 0);
	cr_assert_eq(rd(LAPIC_REG_ESR),
		     LAPIC_ESR_RECV_ILLEGAL_VECTOR | LAPIC_ESR_SEND_ILLEGAL_VECTOR);
	wr(LAPIC_REG_ESR, 0);
	cr_assert_eq(rd(LAPIC_REG_ESR), 0);
}

Test(lapic, icr_xapic_fields)
{
	sw_enable();
	fk.loopback = false;
	wr(LAPIC_REG_ICR_HI, 0x05000000);
	wr(LAPIC_REG_ICR_LO, 0x0000c8f1 | (1u << 11)); /* level assert, logical, vector f1 */
	cr_assert_eq(fk.n_ipis, 1);
	cr_assert_eq(fk.last.vector, 0xf1);
	cr_assert_eq(fk.last.mode, LAPIC_DM_FIXED);
	cr_assert(fk.last.logical);
	cr_assert_eq(fk.last.dest, 5);
	wr(LAPIC_REG_ICR_LO, (LAPIC_DM_INIT << 8) | LAPIC_TRIGGER_LEVEL); /* INIT de-assert */
	cr_assert_eq(fk.n_ipis, 1, "INIT level de-assert is not sent");
	wr(LAPIC_REG_ICR_LO, (LAPIC_DM_STARTUP << 8) | 0x9a | (3u << 18));
	cr_assert_eq(fk.last.mode, LAPIC_DM_STARTUP);
	cr_assert_eq(fk.last.shorthand, LAPIC_SHORTHAND_OTHERS);
	cr_assert_eq(fk.last.vector, 0x9a);
}

Test(lapic, logical_destinations)
{
	/* xAPIC flat: LDR bit set in the 8-bit mask. */
	wr(LAPIC_REG_LDR, 0x04000000);
	cr_assert(lapic_match_dest(&ap, 0x0c, true));
	cr_assert_not(lapic_match_dest(&ap, 0x03, true));
	cr_assert(lapic_match_dest(&ap, 3, false), "physical: the ID");
	cr_assert(lapic_match_dest(&ap, 0xff, false), "broadcast");
	/* Cluster model: cluster 2, member bit 1. */
	wr(LAPIC_REG_DFR, 0x0fffffff);
	wr(LAPIC_REG_LDR, 0x21000000);
	cr_assert(lapic_match_dest(&ap, 0x23, true));
	cr_assert_not(lapic_match_dest(&ap, 0x13, true));
	/* x2APIC: LDR derived from the ID (3: cluster 0, bit 3). */
	cr_assert_eq(lapic_set_base(&ap, lapic_get_base(&ap) | LAPIC_BASE_EXTD, 40), 0);
	uint64_t v;
	cr_assert_eq(lapic_msr_read(&ap, 0x80d, &v), 0);
	cr_assert_eq(v, 0x8);
	cr_assert(lapic_match_dest(&ap, 0x0000000c, true));
	cr_assert_not(lapic_match_dest(&ap, 0x00010008, true), "other cluster");
	cr_assert(lapic_match_dest(&ap, 3, false));
	cr_assert(lapic_match_dest(&ap, 0xffffffffu, false));
}

Test(lapic, x2apic_mode_rules)
{
	uint64_t v, base = lapic_get_base(&ap);

	cr_assert_eq(lapic_msr_read(&ap, 0x802, &v), -EINVAL, "xAPIC mode: MSRs #GP");
	cr_assert_eq(lapic_set_base(&ap, (base & ~LAPIC_BASE_EN) | LAPIC_BASE_EXTD, 40), -EINVAL,
		     "EXTD without EN");
	cr_assert_eq(lapic_set_base(&ap, base | LAPIC_BASE_EXTD, 40), 0);
	cr_assert_eq(lapic_mmio_read(&ap, LAPIC_REG_ID, 4), ~0ull, "no MMIO in x2APIC mode");
	cr_assert_eq(lapic_msr_read(&ap, 0x802, &v), 0);
	cr_assert_eq(v, 3, "32-bit x2APIC ID");
	cr_assert_eq(lapic_msr_write(&ap, 0x802, 7), -EINVAL, "ID is read-only");
	cr_assert_eq(lapic_msr_read(&ap, 0x80b, &v), -EINVAL, "EOI is write-only");
	cr_assert_eq(lapic_msr_write(&ap, 0x80b, 1), -EINVAL, "non-zero EOI");
	cr_assert_eq(lapic_msr_read(&ap, 0x80e, &v), -EINVAL, "no DFR");
	cr_assert_eq(lapic_msr_read(&ap, 0x831, &v), -EINVAL, "no ICR2");
	cr_assert_eq(lapic_msr_write(&ap, 0x808, 1ull << 32), -EINVAL, "reserved high bits");
	cr_assert_eq(lapic_set_base(&ap, base, 40), -EINVAL, "x2APIC -> xAPIC directly");
	/* Self IPI, ICR with a 32-bit destination. */
	cr_assert_eq(lapic_msr_write(&ap, 0x80f, LAPIC_SVR_ENABLE | 0xff), 0);
	cr_assert_eq(lapic_msr_write(&ap, 0x83f, 0x77), 0);
	cr_assert_eq(fk.last.shorthand, LAPIC_SHORTHAND_SELF);
	cr_assert_eq(lapic_pending_vector(&ap), 0x77);
	fk.loopback = false;
	cr_assert_eq(lapic_msr_write(&ap, 0x830, (0x12345ull << 32) | (LAPIC_DM_NMI << 8)), 0);
	cr_assert_eq(fk.last.dest, 0x12345);
	cr_assert_eq(fk.last.mode, LAPIC_DM_NMI);
	cr_assert_eq(lapic_msr_read(&ap, 0x830, &v), 0);
	cr_assert_eq(v >> 32, 0x12345);
	/* Disable, then straight to x2APIC is illegal; via xAPIC it is fine. */
	cr_assert_eq(lapic_set_base(&ap, base & ~(LAPIC_BASE_EN | LAPIC_BASE_EXTD), 40), 0);
	cr_assert_eq(lapic_pending_vector(&ap), -1, "disabling resets");
	cr_assert_eq(lapic_set_base(&ap, base | LAPIC_BASE_EXTD, 40), -EINVAL);
	cr_assert_eq(lapic_set_base(&ap, base, 40), 0);
	cr_assert_eq(lapic_set_base(&ap, base | (1ull << 45), 40), -EINVAL, "above MAXPHYADDR");
}

Test(lapic, one_shot_timer)
{
	sw_enable();
	fk.now = 1000;
	wr(LAPIC_REG_TIMER_DCR, 0x1); /* divide by 4 */
	wr(LAPIC_REG_LVT_TIMER, 0x30);
	wr(LAPIC_REG_TIMER_ICR, 100);
	cr_assert_eq(lapic_timer_deadline(&ap), 1000 + 400);
	fk.now = 1200;
	cr_assert_eq(rd(LAPIC_REG_TIMER_CCR), 50);
	lapic_timer_fire(&ap);
	cr_assert_eq(lapic_pending_vector(&ap), -1, "not due yet");
	fk.now = 1400;
	lapic_timer_fire(&ap);
	cr_assert_eq(lapic_pending_vector(&ap), 0x30);
	cr_assert_eq(lapic_timer_deadline(&ap), LAPIC_TIME_NONE, "one-shot");
	cr_assert_eq(rd(LAPIC_REG_TIMER_CCR), 0);
}

Test(lapic, periodic_timer_skips_missed_periods)
{
	sw_enable();
	wr(LAPIC_REG_TIMER_DCR, 0xb); /* divide by 1 */
	wr(LAPIC_REG_LVT_TIMER, (LAPIC_TIMER_PERIODIC << 17) | 0x31);
	wr(LAPIC_REG_TIMER_ICR, 1000);
	fk.now = 3500;
	cr_assert_eq(rd(LAPIC_REG_TIMER_CCR), 500);
	lapic_timer_fire(&ap);
	cr_assert_eq(lapic_pending_vector(&ap), 0x31);
	cr_assert_eq(lapic_timer_deadline(&ap), 4000, "the next period boundary");
	/* Masked: the timer counts on, no interrupt. */
	lapic_ack(&ap, 0x31);
	wr(LAPIC_REG_EOI, 0);
	wr(LAPIC_REG_LVT_TIMER, (LAPIC_TIMER_PERIODIC << 17) | LAPIC_LVT_MASKED | 0x31);
	fk.now = 4000;
	lapic_timer_fire(&ap);
	cr_assert_eq(lapic_pending_vector(&ap), -1);
	cr_assert_eq(lapic_timer_deadline(&ap), 5000);
	wr(LAPIC_REG_TIMER_ICR, 0);
	cr_assert_eq(lapic_timer_deadline(&ap), LAPIC_TIME_NONE, "count 0 stops it");
}

Test(lapic, tsc_deadline_timer)
{
	sw_enable();
	fk.now = 100;
	fk.tsc_offset = 5000;
	lapic_tsc_deadline_write(&ap, 9000);
	cr_assert_eq(lapic_tsc_deadline_read(&ap), 0, "ignored outside TSC-deadline mode");
	wr(LAPIC_REG_LVT_TIMER, (LAPIC_TIMER_TSC_DEADLINE << 17) | 0x32);
	wr(LAPIC_REG_TIMER_ICR, 77);
	cr_assert_eq(rd(LAPIC_REG_TIMER_ICR), 0, "initial count ignored in this mode");
	lapic_tsc_deadline_write(&ap, 9000);
	cr_assert_eq(lapic_timer_deadline(&ap), 100 + (9000 - 5100));
	fk.now = 4000;
	lapic_timer_fire(&ap);
	cr_assert_eq(lapic_pending_vector(&ap), 0x32);
	cr_assert_eq(lapic_tsc_deadline_read(&ap), 0, "cleared when it fires");
	lapic_tsc_deadline_write(&ap, 1);
	cr_assert_eq(lapic_timer_deadline(&ap), 4000, "a deadline in the past is due now");
	wr(LAPIC_REG_LVT_TIMER, 0x32);
	cr_assert_eq(lapic_timer_deadline(&ap), LAPIC_TIME_NONE, "leaving the mode disarms");
}

Test(lapic, software_disable_masks_lvts)
{
	sw_enable();
	wr(LAPIC_REG_LVT_LINT0, 0x700);
	wr(LAPIC_REG_SVR, 0xff);
	cr_assert_eq(rd(LAPIC_REG_LVT_LINT0), 0x700 | LAPIC_LVT_MASKED);
	wr(LAPIC_REG_LVT_ERROR, 0xfe);
	cr_assert_eq(rd(LAPIC_REG_LVT_ERROR), 0xfe | LAPIC_LVT_MASKED, "stays masked");
}

Test(lapic, init_keeps_id_and_base)
{
	sw_enable();
	wr(LAPIC_REG_ID, 0x09000000);
	lapic_accept(&ap, LAPIC_DM_FIXED, 0x50, false);
	lapic_init_reset(&ap);
	cr_assert_eq(rd(LAPIC_REG_ID), 0x09000000, "INIT keeps the APIC ID register");
	cr_assert_eq(lapic_pending_vector(&ap), -1);
	cr_assert_eq(rd(LAPIC_REG_SVR), 0xff);
	cr_assert(lapic_enabled(&ap));
}
