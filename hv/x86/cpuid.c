/*
 * CPUID as the guest sees it: the CPU model's leaves (cpu/x86/cpuid.c) and
 * Xen's leaves at 0x40000000 (Xen's
 * public/arch-x86/cpuid.h).
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"
#include "hv/xen_abi.h"

#define CPUID_1_EDX_APIC (1u << 9)
#define CPUID_1_ECX_X2APIC (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_6_EAX_ARAT (1u << 2)

/* Leaf 0x40000004 EAX bits: EBX holds the vcpu id, ECX the domain id. */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT (1u << 4)

void hv_x86_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	memset(out, 0, 4 * sizeof(out[0]));
	if (leaf >= XEN_CPUID_BASE && leaf < XEN_CPUID_BASE + 0x100) {
		switch (leaf - XEN_CPUID_BASE) {
		case 0:
			/* Largest leaf, and the signature "XenVMMXenVMM". */
			out[0] = XEN_CPUID_LAST;
			out[1] = 0x566e6558; /* "XenV" */
			out[2] = 0x65584d4d; /* "MMXe" */
			out[3] = 0x4d4d566e; /* "nVMM" */
			break;
		case 1: out[0] = (SV_XEN_MAJOR << 16) | SV_XEN_MINOR; break;
		case 2:
			/* One hypercall page, installed through this MSR. */
			out[0] = 1;
			out[1] = XEN_HYPERCALL_MSR;
			break;
		case 4:
			out[0] = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT;
			out[1] = v->id;
			out[2] = v->d->domid;
			break;
		default:
			/* 3 (time) and 5 (PV features): nothing advertised yet. */
			break;
		}
		return;
	}
	/* The model already reports leaf 1 ECX[31], "running under a
	 * hypervisor", which makes guests look for the leaves above. */
	cpu_x86_cpuid(hv_x86_cpu(v), leaf, subleaf, out);
	switch (leaf) {
	case 1:
		/* The local APIC is hv's (devices/x86/lapic.c): EDX[9] APIC
		 * follows IA32_APIC_BASE.EN (SDM 10.4.3), ECX[21] x2APIC,
		 * ECX[24] TSC-deadline timer. */
		if (lapic_enabled(hv_x86_lapic(v)))
			out[3] |= CPUID_1_EDX_APIC;
		out[2] |= CPUID_1_ECX_X2APIC | CPUID_1_ECX_TSC_DEADLINE;
		break;
	case 6:
		/* ARAT: the APIC timer runs in every C-state (it is virtual
		 * time). */
		out[0] |= CPUID_6_EAX_ARAT;
		break;
	default: break;
	}
}
