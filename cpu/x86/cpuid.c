/*
 * The base CPU model: what CPUID reports (SDM vol. 2 CPUID). It advertises
 * only what the emulator implements and tests; growing the ISA means growing
 * this list.
 *
 * Vendor "GenuineIntel" (the VMX model is Intel's), family 6 model 0x0f.
 * Leaf 1 ECX bit 31 ("hypervisor present") is set: the CPU always runs as a
 * guest of softvisor's hypervisor, whose leaves (0x40000000..) hv/x86 answers
 * itself before calling cpu_x86_cpuid() for the rest.
 *
 * Implemented and advertised:
 *   1.EDX   FPU PSE TSC MSR PAE CX8 SEP PGE CMOV PAT CLFSH MMX FXSR SSE SSE2
 *   1.ECX   SSE3 PCLMULQDQ SSSE3 CX16 PCID SSE4.1 SSE4.2 MOVBE POPCNT AES XSAVE
 *           OSXSAVE(=CR4) RDRAND HYPERVISOR
 *   0xD     XCR0 = x87 | SSE, a 576-byte area; 0xD.1.EAX XSAVEOPT XSAVEC XSAVES*
 *           (xsave.c; no supervisor component: IA32_XSS = 0)
 *   7.0.EBX BMI1 SMEP BMI2 INVPCID* RDSEED ADX SMAP CLFLUSHOPT CLWB
 *   7.0.ECX UMIP LA57 RDPID*
 *   0x80000001.EDX  SYSCALL NX Page1GB RDTSCP* LM
 *   0x80000001.ECX  LAHF-SAHF in 64-bit, LZCNT (ABM), PREFETCHW
 *   0x80000008.EAX  40-bit physical, 57-bit linear addresses (5-level paging)
 * (*) only when the VMCS enables them ("enable INVPCID", "enable RDTSCP",
 * "enable XSAVES/XRSTORS":
 * without those controls the instructions are #UD in VMX non-root operation,
 * SDM 25.3), as a hypervisor would mask them.
 * FPU: the x87 subset listed in x87.c (FSIN/FPREM/FNSAVE/... are #UD yet);
 * MMX, SSE/SSE2/SSE3/SSSE3/SSE4.1/SSE4.2, AES-NI and PCLMULQDQ: every form in
 * sse.h (XMM and MMX registers), FISTTP and CRC32.
 * Not yet (so not advertised): MONITOR/MWAIT, AVX, XGETBV with ECX = 1,
 * APIC (devices/),
 * FSGSBASE, ERMS, ...
 */
#include "cpu/x86/cpu_x86.h"
#include "mmu/x86/walk.h"

#define CPUID_1_EDX_FPU (1u << 0)
#define CPUID_1_EDX_PSE (1u << 3)
#define CPUID_1_EDX_TSC (1u << 4)
#define CPUID_1_EDX_MSR (1u << 5)
#define CPUID_1_EDX_PAE (1u << 6)
#define CPUID_1_EDX_CX8 (1u << 8)
#define CPUID_1_EDX_SEP (1u << 11)
#define CPUID_1_EDX_PGE (1u << 13)
#define CPUID_1_EDX_CMOV (1u << 15)
#define CPUID_1_EDX_PAT (1u << 16)
#define CPUID_1_EDX_CLFSH (1u << 19)
#define CPUID_1_EDX_MMX (1u << 23)
#define CPUID_1_EDX_FXSR (1u << 24)
#define CPUID_1_EDX_SSE (1u << 25)
#define CPUID_1_EDX_SSE2 (1u << 26)
#define CPUID_1_ECX_SSE3 (1u << 0)
#define CPUID_1_ECX_PCLMULQDQ (1u << 1)
#define CPUID_1_ECX_AES (1u << 25)
#define CPUID_1_ECX_SSSE3 (1u << 9)
#define CPUID_1_ECX_CX16 (1u << 13)
#define CPUID_1_ECX_PCID (1u << 17)
#define CPUID_1_ECX_SSE41 (1u << 19)
#define CPUID_1_ECX_SSE42 (1u << 20)
#define CPUID_1_ECX_MOVBE (1u << 22)
#define CPUID_1_ECX_POPCNT (1u << 23)
#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_ECX_RDRAND (1u << 30)
#define CPUID_D_1_EAX_XSAVEOPT (1u << 0)
#define CPUID_D_1_EAX_XSAVEC (1u << 1)
#define CPUID_D_1_EAX_XSAVES (1u << 3)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_7_EBX_BMI1 (1u << 3)
#define CPUID_7_EBX_SMEP (1u << 7)
#define CPUID_7_EBX_BMI2 (1u << 8)
#define CPUID_7_EBX_INVPCID (1u << 10)
#define CPUID_7_EBX_RDSEED (1u << 18)
#define CPUID_7_EBX_ADX (1u << 19)
#define CPUID_7_EBX_SMAP (1u << 20)
#define CPUID_7_EBX_CLFLUSHOPT (1u << 23)
#define CPUID_7_EBX_CLWB (1u << 24)
#define CPUID_7_ECX_UMIP (1u << 2)
#define CPUID_7_ECX_LA57 (1u << 16)
#define CPUID_7_EDX_ARCH_CAPABILITIES (1u << 29)
#define CPUID_7_ECX_RDPID (1u << 22)
#define CPUID_80000001_EDX_SYSCALL (1u << 11)
#define CPUID_80000001_EDX_NX (1u << 20)
#define CPUID_80000001_EDX_PAGE1GB (1u << 26)
#define CPUID_80000001_EDX_RDTSCP (1u << 27)
#define CPUID_80000001_EDX_LM (1u << 29)
#define CPUID_80000001_ECX_LAHF_LM (1u << 0)
#define CPUID_80000001_ECX_ABM (1u << 5)
#define CPUID_80000001_ECX_PREFETCHW (1u << 8)

static void x86_cpuid_str(uint32_t out[3], const char *s)
{
	for (unsigned i = 0; i < 3; i++)
		out[i] = (uint32_t)s[4 * i] | (uint32_t)s[4 * i + 1] << 8 |
			 (uint32_t)s[4 * i + 2] << 16 | (uint32_t)s[4 * i + 3] << 24;
}

/* Secondary VM-execution controls in effect (0 unless activated). */
static uint32_t x86_cpuid_ctl2(struct cpu_x86 *c)
{
	uint32_t p = (uint32_t)vmcs_get(&c->vmcs, CPU_BASED_VM_EXEC_CONTROL);
	if (!(p & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		return 0;
	return (uint32_t)vmcs_get(&c->vmcs, SECONDARY_VM_EXEC_CONTROL);
}

void cpu_x86_cpuid(struct cpu_x86 *c, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	static const char brand[48] = "softvisor x86-64 CPU";
	uint32_t v[3], ctl2 = x86_cpuid_ctl2(c);
	bool rdtscp = ctl2 & SECONDARY_EXEC_ENABLE_RDTSCP;
	memset(out, 0, 4 * sizeof(uint32_t));
	switch (leaf) {
	case 0:
		out[0] = 0xd;
		x86_cpuid_str(v, "GenuineIntel");
		out[1] = v[0]; /* ebx "Genu" */
		out[3] = v[1]; /* edx "ineI" */
		out[2] = v[2]; /* ecx "ntel" */
		break;
	case 1:
		out[0] = 0x000006f1; /* family 6, model 0x0f, stepping 1 */
		/* APIC id, 1 logical processor, CLFLUSH line 8 * 8 = 64 bytes */
		out[1] = (c->cpu.index << 24) | (1u << 16) | (8u << 8);
		out[2] = CPUID_1_ECX_SSE3 | CPUID_1_ECX_PCLMULQDQ | CPUID_1_ECX_SSSE3 |
			 CPUID_1_ECX_AES | CPUID_1_ECX_CX16 | CPUID_1_ECX_PCID | CPUID_1_ECX_SSE41 |
			 CPUID_1_ECX_SSE42 | CPUID_1_ECX_MOVBE | CPUID_1_ECX_POPCNT |
			 CPUID_1_ECX_XSAVE | CPUID_1_ECX_RDRAND | CPUID_1_ECX_HYPERVISOR;
		if (c->cr4 & X86_CR4_OSXSAVE)
			out[2] |= CPUID_1_ECX_OSXSAVE;
		out[3] = CPUID_1_EDX_FPU | CPUID_1_EDX_PSE | CPUID_1_EDX_TSC | CPUID_1_EDX_MSR |
			 CPUID_1_EDX_PAE | CPUID_1_EDX_CX8 | CPUID_1_EDX_SEP | CPUID_1_EDX_PGE |
			 CPUID_1_EDX_CMOV | CPUID_1_EDX_PAT | CPUID_1_EDX_CLFSH | CPUID_1_EDX_MMX |
			 CPUID_1_EDX_FXSR | CPUID_1_EDX_SSE | CPUID_1_EDX_SSE2;
		break;
	case 7:
		if (subleaf != 0)
			break;
		out[1] = CPUID_7_EBX_BMI1 | CPUID_7_EBX_SMEP | CPUID_7_EBX_BMI2 |
			 CPUID_7_EBX_RDSEED | CPUID_7_EBX_ADX | CPUID_7_EBX_SMAP |
			 CPUID_7_EBX_CLFLUSHOPT | CPUID_7_EBX_CLWB;
		if (ctl2 & SECONDARY_EXEC_ENABLE_INVPCID)
			out[1] |= CPUID_7_EBX_INVPCID;
		out[2] = CPUID_7_ECX_UMIP | CPUID_7_ECX_LA57 | (rdtscp ? CPUID_7_ECX_RDPID : 0);
		out[3] = CPUID_7_EDX_ARCH_CAPABILITIES;
		break;
	case 0xd:
		/* SDM CPUID leaf 0DH: sub-leaf 0 gives the supported XCR0 bits
		 * and the area sizes (for the enabled and for all supported
		 * components: the same 576 bytes, components 0 and 1 living in
		 * the legacy region), sub-leaf 1 the XSAVE extensions. */
		if (subleaf == 0) {
			out[0] = (uint32_t)X86_XCR0_SUPPORTED;
			out[1] = X86_XSAVE_AREA_SIZE;
			out[2] = X86_XSAVE_AREA_SIZE;
			out[3] = (uint32_t)(X86_XCR0_SUPPORTED >> 32);
		} else if (subleaf == 1) {
			/* EBX: the compacted size for XCR0 | IA32_XSS (components
			 * 0 and 1 live in the legacy region: 576); ECX/EDX: the
			 * IA32_XSS bits supported (none). */
			out[0] = CPUID_D_1_EAX_XSAVEOPT | CPUID_D_1_EAX_XSAVEC |
				 ((ctl2 & SECONDARY_EXEC_XSAVES) ? CPUID_D_1_EAX_XSAVES : 0);
			out[1] = X86_XSAVE_AREA_SIZE;
		}
		break;
	case 0x80000000: out[0] = 0x80000008; break;
	case 0x80000001:
		out[2] = CPUID_80000001_ECX_LAHF_LM | CPUID_80000001_ECX_ABM |
			 CPUID_80000001_ECX_PREFETCHW;
		out[3] = CPUID_80000001_EDX_SYSCALL | CPUID_80000001_EDX_NX |
			 CPUID_80000001_EDX_PAGE1GB | CPUID_80000001_EDX_LM |
			 (rdtscp ? CPUID_80000001_EDX_RDTSCP : 0);
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
	case 0x80000008: out[0] = X86_MAXPHYADDR | (57u << 8); break;
	default: break;
	}
}
