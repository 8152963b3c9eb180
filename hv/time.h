/*
 * System time, the pvclock and the vcpu timers.
 *
 * Guest-visible time is virtual (DESIGN.md §7): a vcpu's system time in ns
 * is its instruction count, converted by hv_time_insns_to_ns (1 instruction
 * = 1 ns; the x86 TSC and the POWER time base tick once per instruction, so
 * both run at 1 GHz, X86_TSC_KHZ = 1000000), plus the time that passed while
 * it did not run (v->idle_ns: the run driver advances a blocked or down
 * vcpu's clock, hv/sched.c). The instruction count itself stays the number
 * of instructions retired; the skip moves the clock and, through the arch's
 * time_skip hook, the guest's TSC / time base (and so the decrementers) by
 * as much, so they keep in step with system time. No host clock is read on
 * any guest-visible path.
 *
 * One system time for the domain: a vcpu's turn starts at the furthest
 * clock of its vcpus (hv/sched.c), so what any vcpu reads is never earlier
 * than what another read before it, a vcpu that never ran included. Since
 * a skip moves the TSC and system time together, a vcpu_time_info stays
 * exact between refreshes (Xen refreshes it at each schedule-in; here that
 * would write the same line); what does break the pair is the guest
 * writing its own TSC, so that refreshes it at once (hv/x86/exit.c).
 *
 * The wall clock (shared_info wc_sec/wc_nsec: the time of day at system time
 * 0) is fixed at HV_TIME_WALLCLOCK_EPOCH, 2024-01-01 00:00:00 UTC, so that
 * every run sees the same dates.
 *
 * Worked example: a vcpu that has retired 5,000,000 instructions reads
 * system_time 5,000,000 ns; it arms VCPUOP_set_singleshot_timer for
 * 6,000,000 ns; the run driver stops it after 1,000,000 more instructions
 * (cpu->icount_deadline), hv_time_fire sends VIRQ_TIMER on the port the guest
 * bound, and refreshes its pvclock.
 */
#ifndef SV_HV_TIME_H
#define SV_HV_TIME_H

#include "hv/hv.h"

#define HV_TIME_WALLCLOCK_EPOCH 1704067200ull /* 2024-01-01T00:00:00Z */
#define HV_TIME_TSC_KHZ 1000000ull            /* = X86_TSC_KHZ */

/* The one conversion between virtual time units. */
uint64_t hv_time_insns_to_ns(uint64_t insns);
uint64_t hv_time_ns_to_insns(uint64_t ns);

/* v's system time now, in ns. */
uint64_t hv_time_now(struct vcpu *v);
/* Advance a blocked vcpu's clock to ns (no-op if already past it). */
void hv_time_advance(struct vcpu *v, uint64_t ns);
/* The instruction count at which v's clock reads ns (0 if it already
 * does): deadlines for cpu->icount_deadline. */
uint64_t hv_time_ns_to_icount(struct vcpu *v, uint64_t ns);

/* pvclock scale for a tsc_khz counter: ns = ((tsc << shift) * mul) >> 32
 * (a negative shift shifts right). */
void hv_time_pvclock_scale(uint64_t tsc_khz, uint32_t *mul, int8_t *shift);
/* Refresh v's vcpu_time_info (vcpu_info and the registered time area). */
void hv_time_update_vcpu(struct vcpu *v);
/* Write the wall clock into shared_info. */
void hv_time_write_wallclock(struct domain *d);

/* Timers. set_singleshot(HV_TIME_NONE) stops it; a period of 0 stops the
 * periodic timer. */
void hv_time_set_singleshot(struct vcpu *v, uint64_t abs_ns);
void hv_time_set_periodic(struct vcpu *v, uint64_t period_ns);
/* Fire v's timers that are due (VIRQ_TIMER; the arch's own timers). */
void hv_time_fire(struct vcpu *v);
/* The earliest SCHEDOP_watchdog expiry of d (ns), or HV_TIME_NONE. */
uint64_t hv_time_watchdog_deadline(struct domain *d);
/* The earliest Xen timer deadline of v (ns), or HV_TIME_NONE. */
uint64_t hv_time_next_deadline(struct vcpu *v);
/* The earliest deadline of any of v's timers, the arch's included (x86
 * local APIC timer): how far v may run, or sleep, before hv_time_fire. */
uint64_t hv_time_next_event(struct vcpu *v);

/* set_timer_op (hypercall 15). */
long do_set_timer_op(struct vcpu *v, const uint64_t a[6]);

#endif
