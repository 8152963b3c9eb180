/*
 * POWER vcpus: a CPU in guest state (MSR[HV]=0) whose hypervisor interrupts
 * arrive here.
 */
#include "hv/ppc/ppc.h"
#include "cpu/ppc/cpu_ppc.h"

struct cpu_ppc *hv_ppc_cpu(struct vcpu *v)
{
	return cpu_ppc_of(v->cpu);
}

/*
 * Guest pointers in hypercalls are effective addresses in the translation
 * the caller ran with: the MSR saved in SRR1 by the `sc 1` (the live MSR
 * while handling the exit is the caller's too, as hv runs "beside" the CPU).
 */
static unsigned hv_ppc_data_mmu_idx(struct cpu_ppc *c)
{
	return cpu_ppc_data_mmu_idx(c);
}

static int hv_ppc_copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	return cpu_virt_read(v->cpu, gva, hv_ppc_data_mmu_idx(c), dst, len);
}

static int hv_ppc_copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);
	return cpu_virt_write(v->cpu, gva, hv_ppc_data_mmu_idx(c), src, len);
}

static bool hv_ppc_big_endian(struct vcpu *v)
{
	return !(hv_ppc_cpu(v)->msr & PPC_MSR_LE);
}

static void hv_ppc_vcpu_destroy(struct vcpu *v)
{
	cpu_ppc_free(hv_ppc_cpu(v));
	v->cpu = NULL;
}

static const char *hv_ppc_exit_name(uint32_t vec)
{
	const char *n = ppc_hv_vector_name(vec);
	return n ? n : "?";
}

const struct hv_arch_ops hv_ppc_ops = {
	.name = "ppc64",
	.handle_exit = hv_ppc_handle_exit,
	.copy_from_guest = hv_ppc_copy_from_guest,
	.copy_to_guest = hv_ppc_copy_to_guest,
	.guest_big_endian = hv_ppc_big_endian,
	.exit_name = hv_ppc_exit_name,
	.exit_tag = "HV",
	.vcpu_destroy = hv_ppc_vcpu_destroy,
};

void hv_ppc_kexec_boot(struct vcpu *v, uint64_t entry, uint64_t load_addr)
{
	struct cpu_ppc *c = hv_ppc_cpu(v);

	cpu_ppc_reset_kexec(c, entry, 0, load_addr, 0, (c->msr & PPC_MSR_LE) != 0);
}

struct vcpu *hv_ppc_vcpu_create(struct domain *d, bool little_endian)
{
	struct cpu_ppc *c = cpu_ppc_new(d->p2m, d->tbc, d->n_vcpus, little_endian);

	if (!c)
		return NULL;
	return hv_vcpu_add(d, &c->cpu, &hv_ppc_ops);
}
