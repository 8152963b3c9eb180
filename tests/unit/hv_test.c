/*
 * Helpers for the hypervisor-module tests (see hv_test.h).
 */
#include "hv_test.h"

#include <criterion/criterion.h>

static unsigned hvt_data_mmu_idx(struct vcpu *v)
{
	return 0;
}

static bool hvt_big_endian(struct vcpu *v)
{
	return v->d->big_endian;
}

static const char *hvt_exit_name(uint32_t r)
{
	return "TEST";
}

static void hvt_vcpu_destroy(struct vcpu *v)
{
	struct toy_cpu *tc = SV_CONTAINER_OF(v->cpu, struct toy_cpu, cpu);

	cpu_destroy(&tc->cpu);
	free(tc);
	v->cpu = NULL;
}

static const struct hv_arch_ops hvt_arch = {
	.name = "test",
	.data_mmu_idx = hvt_data_mmu_idx,
	.guest_big_endian = hvt_big_endian,
	.exit_name = hvt_exit_name,
	.exit_tag = "TEST",
	.vcpu_destroy = hvt_vcpu_destroy,
};

struct domain *hvt_domain(struct hv *hv, unsigned n_vcpus)
{
	int err = 0;
	struct domain *d = hv_domain_create(hv, HV_ARCH_X86_64, HV_PERSONALITY_XEN, HVT_RAM, &err);

	cr_assert_not_null(d, "domain: %d", err);
	for (unsigned i = 0; i < n_vcpus; i++) {
		struct toy_cpu *tc = toy_cpu_new(d->p2m, d->tbc, i);
		cr_assert_not_null(hv_vcpu_add(d, &tc->cpu, &hvt_arch));
	}
	return d;
}

long hvt_call(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };

	return hv_hypercall_dispatch(v, v->d->hypercalls, nr, args, false);
}

long hvt_call_all(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  unsigned *pieces)
{
	uint64_t args[6] = { a0, a1, a2, 0, 0, 0 };
	long rc;

	*pieces = 0;
	do {
		cr_assert_lt(*pieces, 100000, "a continuation that never ends");
		rc = hv_hypercall_dispatch(v, v->d->hypercalls, nr, args, false);
		memcpy(args, v->hcall_args, sizeof(args));
		++*pieces;
	} while (v->hcall_preempted);
	return rc;
}

static void hvt_put(struct domain *d, uint64_t gpa, unsigned lg, uint64_t x)
{
	uint8_t b[8];

	sv_st_p(b, lg, d->big_endian, x);
	cr_assert_eq(p2m_copy_to(d->p2m, gpa, b, 1u << lg), 0);
}

static uint64_t hvt_get(struct domain *d, uint64_t gpa, unsigned lg)
{
	uint8_t b[8];

	cr_assert_eq(p2m_copy_from(d->p2m, b, gpa, 1u << lg), 0);
	return sv_ld_p(b, lg, d->big_endian);
}

void hvt_put16(struct domain *d, uint64_t gpa, uint16_t x)
{
	hvt_put(d, gpa, 1, x);
}
void hvt_put32(struct domain *d, uint64_t gpa, uint32_t x)
{
	hvt_put(d, gpa, 2, x);
}
void hvt_put64(struct domain *d, uint64_t gpa, uint64_t x)
{
	hvt_put(d, gpa, 3, x);
}
uint16_t hvt_get16(struct domain *d, uint64_t gpa)
{
	return (uint16_t)hvt_get(d, gpa, 1);
}
uint32_t hvt_get32(struct domain *d, uint64_t gpa)
{
	return (uint32_t)hvt_get(d, gpa, 2);
}
uint64_t hvt_get64(struct domain *d, uint64_t gpa)
{
	return hvt_get(d, gpa, 3);
}

void hvt_set_time(struct vcpu *v, uint64_t ns)
{
	v->cpu->icount = ns;
}
