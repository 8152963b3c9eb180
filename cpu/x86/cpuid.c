/*
 * The base CPU model: what CPUID reports (SDM vol. 2 CPUID). It advertises
 * only what the emulator implements; growing the ISA means growing this list.
 *
 * Vendor "GenuineIntel" (the VMX model is Intel's), family 6 model 0x0f.
 * Leaf 1 ECX bit 31 ("hypervisor present") is set: the CPU always runs as a
 * guest of softvisor's hypervisor, whose leaves (0x40000000..) hv/x86 answers
 * itself before calling cpu_x86_cpuid() for the rest.
 *
 * Implemented and advertised:
 *   1.EDX  PSE TSC MSR PAE CMOV PAT
 *   1.ECX  HYPERVISOR
 *   0x80000001.EDX  NX Page1GB LM        0x80000001.ECX  LAHF-SAHF in 64-bit
 *   0x80000008.EAX  40-bit physical, 48-bit linear addresses
 * Not yet (so not advertised): FPU, SSE*, CX8/CX16, APIC, SEP, SYSCALL, PGE,
 * CLFLUSH, RDTSCP, XSAVE, ...
 */
#include "cpu/x86/cpu_x86.h"
#include "mmu/x86/walk.h"

#define CPUID_1_EDX_PSE (1u << 3)
#define CPUID_1_EDX_TSC (1u << 4)
#define CPUID_1_EDX_MSR (1u << 5)
#define CPUID_1_EDX_PAE (1u << 6)
#define CPUID_1_EDX_CMOV (1u << 15)
#define CPUID_1_EDX_PAT (1u << 16)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_80000001_EDX_NX (1u << 20)
#define CPUID_80000001_EDX_PAGE1GB (1u << 26)
#define CPUID_80000001_EDX_LM (1u << 29)
#define CPUID_80000001_ECX_LAHF_LM (1u << 0)

static void x86_cpuid_str(uint32_t out[3], const char *s)
{
	for (unsigned i = 0; i < 3; i++)
		out[i] = (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 |
			 (uint32_t)s[4 * i + 2] << 16 | (uint32_t)s[4 * i + 3] << 24;
}

void cpu_x86_cpuid(struct cpu_x86 *c, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	static const char brand[48] = "softvisor x86-64 CPU";
	uint32_t v[3];
	(void)subleaf;
	memset(out, 0, 4 * sizeof(uint32_t));
	switch (leaf) {
	case 0:
		out[0] = 1;
		x86_cpuid_str(v, "GenuineIntel");
		out[1] = v[0]; /* ebx "Genu" */
		out[3] = v[1]; /* edx "ineI" */
		out[2] = v[2]; /* ecx "ntel" */
		break;
	case 1:
		out[0] = 0x000006f1; /* family 6, model 0x0f, stepping 1 */
		out[1] = (c->cpu.index << 24) | (1u << 16) | (8u << 8);
		out[2] = CPUID_1_ECX_HYPERVISOR;
		out[3] = CPUID_1_EDX_PSE | CPUID_1_EDX_TSC | CPUID_1_EDX_MSR | CPUID_1_EDX_PAE |
			 CPUID_1_EDX_CMOV | CPUID_1_EDX_PAT;
		break;
	case 0x80000000: out[0] = 0x80000008; break;
	case 0x80000001:
		out[2] = CPUID_80000001_ECX_LAHF_LM;
		out[3] = CPUID_80000001_EDX_NX | CPUID_80000001_EDX_PAGE1GB | CPUID_80000001_EDX_LM;
		break;
	case 0x80000002:
	case 0x80000003:
	case 0x80000004: {
		const char *p = brand + 16 * (leaf - 0x80000002);
		for (unsigned i = 0; i < 4; i++)
			out[i] = (uint32_t)(uint8_t)p[4 * i] |
				 (uint32_t)(uint8_t)p[4 * i + 1] << 8 |
				 (uint32_t)(uint8_t)p[4 * i + 2] << 16 |
				 (uint32_t)(uint8_t)p[4 * i + 3] << 24;
		break;
	}
	case 0x80000008: out[0] = X86_MAXPHYADDR | (48u << 8); break;
	default: break;
	}
}
