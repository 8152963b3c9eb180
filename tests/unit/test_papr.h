/*
 * Shared fixture for the PAPR hcall tests (test_papr_*.c): a real struct hv
 * with one PAPR domain of PAPRT_RAM and a real POWER vcpu (its HPT attached),
 * hcalls made through the PAPR table as `sc 1` would, with r4.. read back.
 */
#ifndef SV_TESTS_UNIT_TEST_PAPR_H
#define SV_TESTS_UNIT_TEST_PAPR_H

#include <criterion/criterion.h>

#include "cpu/ppc/cpu_ppc.h"
#include "hv/hypercall.h"
#include "hv/ppc/papr.h"
#include "hv/ppc/ppc.h"
#include "hv/ppc/rtas.h"

#define PAPRT_RAM (64ull << 20)

struct papr_t {
	struct hv hv;
	struct domain *d;
	struct vcpu *v[2];
	struct cpu_ppc *c; /* vcpu 0's CPU */
};

static inline void papr_t_init(struct papr_t *t, unsigned n_vcpus)
{
	int err;

	cr_assert_eq(hv_init(&t->hv, 2 * PAPRT_RAM), 0);
	t->d = hv_domain_create(&t->hv, HV_ARCH_PPC64, HV_PERSONALITY_PAPR, PAPRT_RAM, &err);
	cr_assert_not_null(t->d);
	for (unsigned i = 0; i < n_vcpus && i < 2; i++) {
		t->v[i] = hv_ppc_vcpu_create(t->d, true);
		cr_assert_not_null(t->v[i]);
	}
	t->c = hv_ppc_cpu(t->v[0]);
}

static inline void papr_t_fini(struct papr_t *t)
{
	hv_destroy(&t->hv);
}

/* hcall nr(a0..a5) from vcpu i, as the guest kernel makes it. */
static inline long papr_t_hcall_on(struct papr_t *t, unsigned i, uint64_t nr, uint64_t a0,
				   uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct cpu_ppc *c = hv_ppc_cpu(t->v[i]);
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };

	for (unsigned k = 0; k < 6; k++)
		c->gpr[4 + k] = args[k];
	return hv_hypercall_dispatch(t->v[i], t->d->hypercalls, nr, args, false);
}

static inline long papr_t_hcall(struct papr_t *t, uint64_t nr, uint64_t a0, uint64_t a1,
				uint64_t a2, uint64_t a3)
{
	return papr_t_hcall_on(t, 0, nr, a0, a1, a2, a3);
}

static inline void papr_t_put32(struct papr_t *t, uint64_t gpa, uint32_t x)
{
	uint8_t b[4];
	st32_be_p(b, x);
	cr_assert_eq(p2m_copy_to(t->d->p2m, gpa, b, 4), 0);
}

static inline void papr_t_put16(struct papr_t *t, uint64_t gpa, uint16_t x)
{
	uint8_t b[2];
	st16_be_p(b, x);
	cr_assert_eq(p2m_copy_to(t->d->p2m, gpa, b, 2), 0);
}

/* RTAS call token(args) from vcpu i through KVMPPC_H_RTAS, the argument
 * block at gpa 0x1000: its status (rets[0]); rets[1..nret-1] into rets. */
static inline int32_t papr_t_rtas(struct papr_t *t, unsigned i, uint32_t token, uint32_t nargs,
				  const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	uint8_t b[4 * 32] = { 0 };

	st32_be_p(b, token);
	st32_be_p(b + 4, nargs);
	st32_be_p(b + 8, nret);
	for (uint32_t k = 0; k < nargs; k++)
		st32_be_p(b + 12 + 4 * k, args[k]);
	cr_assert_eq(p2m_copy_to(t->d->p2m, 0x1000, b, sizeof(b)), 0);
	cr_assert_eq(papr_t_hcall_on(t, i, KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(p2m_copy_from(t->d->p2m, b, 0x1000, sizeof(b)), 0);
	for (uint32_t k = 1; rets && k < nret; k++)
		rets[k] = (uint32_t)ld32_be_p(b + 12 + 4 * (nargs + k));
	return (int32_t)ld32_be_p(b + 12 + 4 * nargs);
}

#endif
