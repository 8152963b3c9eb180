/*
 * Helpers for the hypervisor-module tests (test_evtchn.c, test_time.c,
 * test_memory_op.c, test_vcpu_op.c): real domains of a real struct hv, each
 * vcpu a toy CPU (tests/unit/toy.h) whose guest-virtual addresses are
 * guest-physical, so a test puts a hypercall's argument structure in guest
 * RAM with hvt_put*, calls the hypercall through the dispatcher as the guest
 * would, and reads the results back with hvt_get*. A vcpu's clock is its
 * toy CPU's icount (hvt_set_time).
 */
#ifndef SV_TESTS_HV_TEST_H
#define SV_TESTS_HV_TEST_H

#include "hv/hypercall.h"
#include "hv/xen_abi.h"
#include "toy.h"

#define HVT_RAM (1u << 20)
#define HVT_BAD 0xdead00000000ull /* no RAM there */

/* Create a domain with n toy vcpus and HVT_RAM of RAM. */
struct domain *hvt_domain(struct hv *hv, unsigned n_vcpus);
long hvt_call(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
/* hvt_call, then re-issue its continuations (as the guest's re-executed
 * call instruction would) until it completes; *pieces = the calls made. */
long hvt_call_all(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  unsigned *pieces);

/* Guest-endian (d->big_endian) scalars in d's guest-physical memory. */
void hvt_put16(struct domain *d, uint64_t gpa, uint16_t x);
void hvt_put32(struct domain *d, uint64_t gpa, uint32_t x);
void hvt_put64(struct domain *d, uint64_t gpa, uint64_t x);
uint16_t hvt_get16(struct domain *d, uint64_t gpa);
uint32_t hvt_get32(struct domain *d, uint64_t gpa);
uint64_t hvt_get64(struct domain *d, uint64_t gpa);

/* Set v's clock: its instruction count (= ns of system time). */
void hvt_set_time(struct vcpu *v, uint64_t ns);

#endif
