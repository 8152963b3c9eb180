/*
 * The software VMCS: VMX non-root controls and exit information.
 *
 * Field encodings, control bits and exit reasons are the Intel SDM's
 * (vol. 3C, Appendix B for encodings, 24.6 for controls, Appendix C for exit
 * reasons). hv programs the VMCS with cpu_x86_vmcs_write(); guest-state
 * fields are views of the live CPU state, the others live in struct vmcs.
 *
 * Because the VMCS is software, the MSR bitmap (SDM 24.6.9) and the two I/O
 * bitmaps (24.6.4) are arrays inside struct vmcs rather than guest-physical
 * pages; MSR_BITMAP / IO_BITMAP_A/B addresses are stored but not used.
 *
 * Example: exit on HLT and on writes to MSR 0x40000000 only:
 *
 *     cpu_x86_vmcs_write(c, CPU_BASED_VM_EXEC_CONTROL,
 *                        CPU_BASED_HLT_EXITING | CPU_BASED_USE_MSR_BITMAPS);
 *     vmcs_msr_intercept(&c->vmcs, 0x40000000, false, true);
 *
 * (MSRs outside 0..0x1fff and 0xc0000000..0xc0001fff always exit.)
 */
#ifndef SV_CPU_X86_VMCS_H
#define SV_CPU_X86_VMCS_H

#include "sv/common.h"

/* Field encodings (SDM Appendix B). */
enum vmcs_field {
	/* 16-bit control, guest-state, host-state (B.1). */
	VIRTUAL_PROCESSOR_ID = 0x0000,
	POSTED_INTR_NV = 0x0002,
	EPTP_INDEX = 0x0004,
	GUEST_ES_SELECTOR = 0x0800,
	GUEST_CS_SELECTOR = 0x0802,
	GUEST_SS_SELECTOR = 0x0804,
	GUEST_DS_SELECTOR = 0x0806,
	GUEST_FS_SELECTOR = 0x0808,
	GUEST_GS_SELECTOR = 0x080a,
	GUEST_LDTR_SELECTOR = 0x080c,
	GUEST_TR_SELECTOR = 0x080e,
	GUEST_INTR_STATUS = 0x0810,
	GUEST_PML_INDEX = 0x0812,
	HOST_ES_SELECTOR = 0x0c00,
	HOST_CS_SELECTOR = 0x0c02,
	HOST_SS_SELECTOR = 0x0c04,
	HOST_DS_SELECTOR = 0x0c06,
	HOST_FS_SELECTOR = 0x0c08,
	HOST_GS_SELECTOR = 0x0c0a,
	HOST_TR_SELECTOR = 0x0c0c,

	/* 64-bit (B.2). */
	IO_BITMAP_A = 0x2000,
	IO_BITMAP_B = 0x2002,
	MSR_BITMAP = 0x2004,
	VM_EXIT_MSR_STORE_ADDR = 0x2006,
	VM_EXIT_MSR_LOAD_ADDR = 0x2008,
	VM_ENTRY_MSR_LOAD_ADDR = 0x200a,
	EXECUTIVE_VMCS_POINTER = 0x200c,
	PML_ADDRESS = 0x200e,
	TSC_OFFSET = 0x2010,
	VIRTUAL_APIC_PAGE_ADDR = 0x2012,
	APIC_ACCESS_ADDR = 0x2014,
	POSTED_INTR_DESC_ADDR = 0x2016,
	VM_FUNCTION_CONTROL = 0x2018,
	EPT_POINTER = 0x201a,
	EOI_EXIT_BITMAP0 = 0x201c,
	EOI_EXIT_BITMAP1 = 0x201e,
	EOI_EXIT_BITMAP2 = 0x2020,
	EOI_EXIT_BITMAP3 = 0x2022,
	EPTP_LIST_ADDRESS = 0x2024,
	VMREAD_BITMAP = 0x2026,
	VMWRITE_BITMAP = 0x2028,
	VIRT_EXCEPTION_INFO = 0x202a,
	XSS_EXIT_BITMAP = 0x202c,
	TSC_MULTIPLIER = 0x2032,
	GUEST_PHYSICAL_ADDRESS = 0x2400,
	VMCS_LINK_POINTER = 0x2800,
	GUEST_IA32_DEBUGCTL = 0x2802,
	GUEST_IA32_PAT = 0x2804,
	GUEST_IA32_EFER = 0x2806,
	GUEST_IA32_PERF_GLOBAL_CTRL = 0x2808,
	GUEST_PDPTE0 = 0x280a,
	GUEST_PDPTE1 = 0x280c,
	GUEST_PDPTE2 = 0x280e,
	GUEST_PDPTE3 = 0x2810,
	GUEST_BNDCFGS = 0x2812,
	HOST_IA32_PAT = 0x2c00,
	HOST_IA32_EFER = 0x2c02,
	HOST_IA32_PERF_GLOBAL_CTRL = 0x2c04,

	/* 32-bit (B.3). */
	PIN_BASED_VM_EXEC_CONTROL = 0x4000,
	CPU_BASED_VM_EXEC_CONTROL = 0x4002,
	EXCEPTION_BITMAP = 0x4004,
	PAGE_FAULT_ERROR_CODE_MASK = 0x4006,
	PAGE_FAULT_ERROR_CODE_MATCH = 0x4008,
	CR3_TARGET_COUNT = 0x400a,
	VM_EXIT_CONTROLS = 0x400c,
	VM_EXIT_MSR_STORE_COUNT = 0x400e,
	VM_EXIT_MSR_LOAD_COUNT = 0x4010,
	VM_ENTRY_CONTROLS = 0x4012,
	VM_ENTRY_MSR_LOAD_COUNT = 0x4014,
	VM_ENTRY_INTR_INFO_FIELD = 0x4016,
	VM_ENTRY_EXCEPTION_ERROR_CODE = 0x4018,
	VM_ENTRY_INSTRUCTION_LEN = 0x401a,
	TPR_THRESHOLD = 0x401c,
	SECONDARY_VM_EXEC_CONTROL = 0x401e,
	PLE_GAP = 0x4020,
	PLE_WINDOW = 0x4022,
	VM_INSTRUCTION_ERROR = 0x4400,
	VM_EXIT_REASON = 0x4402,
	VM_EXIT_INTR_INFO = 0x4404,
	VM_EXIT_INTR_ERROR_CODE = 0x4406,
	IDT_VECTORING_INFO_FIELD = 0x4408,
	IDT_VECTORING_ERROR_CODE = 0x440a,
	VM_EXIT_INSTRUCTION_LEN = 0x440c,
	VMX_INSTRUCTION_INFO = 0x440e,
	GUEST_ES_LIMIT = 0x4800,
	GUEST_CS_LIMIT = 0x4802,
	GUEST_SS_LIMIT = 0x4804,
	GUEST_DS_LIMIT = 0x4806,
	GUEST_FS_LIMIT = 0x4808,
	GUEST_GS_LIMIT = 0x480a,
	GUEST_LDTR_LIMIT = 0x480c,
	GUEST_TR_LIMIT = 0x480e,
	GUEST_GDTR_LIMIT = 0x4810,
	GUEST_IDTR_LIMIT = 0x4812,
	GUEST_ES_AR_BYTES = 0x4814,
	GUEST_CS_AR_BYTES = 0x4816,
	GUEST_SS_AR_BYTES = 0x4818,
	GUEST_DS_AR_BYTES = 0x481a,
	GUEST_FS_AR_BYTES = 0x481c,
	GUEST_GS_AR_BYTES = 0x481e,
	GUEST_LDTR_AR_BYTES = 0x4820,
	GUEST_TR_AR_BYTES = 0x4822,
	GUEST_INTERRUPTIBILITY_INFO = 0x4824,
	GUEST_ACTIVITY_STATE = 0x4826,
	GUEST_SMBASE = 0x4828,
	GUEST_SYSENTER_CS = 0x482a,
	VMX_PREEMPTION_TIMER_VALUE = 0x482e,
	HOST_IA32_SYSENTER_CS = 0x4c00,

	/* Natural width (B.4). */
	CR0_GUEST_HOST_MASK = 0x6000,
	CR4_GUEST_HOST_MASK = 0x6002,
	CR0_READ_SHADOW = 0x6004,
	CR4_READ_SHADOW = 0x6006,
	CR3_TARGET_VALUE0 = 0x6008,
	CR3_TARGET_VALUE1 = 0x600a,
	CR3_TARGET_VALUE2 = 0x600c,
	CR3_TARGET_VALUE3 = 0x600e,
	EXIT_QUALIFICATION = 0x6400,
	IO_RCX = 0x6402,
	IO_RSI = 0x6404,
	IO_RDI = 0x6406,
	IO_RIP = 0x6408,
	GUEST_LINEAR_ADDRESS = 0x640a,
	GUEST_CR0 = 0x6800,
	GUEST_CR3 = 0x6802,
	GUEST_CR4 = 0x6804,
	GUEST_ES_BASE = 0x6806,
	GUEST_CS_BASE = 0x6808,
	GUEST_SS_BASE = 0x680a,
	GUEST_DS_BASE = 0x680c,
	GUEST_FS_BASE = 0x680e,
	GUEST_GS_BASE = 0x6810,
	GUEST_LDTR_BASE = 0x6812,
	GUEST_TR_BASE = 0x6814,
	GUEST_GDTR_BASE = 0x6816,
	GUEST_IDTR_BASE = 0x6818,
	GUEST_DR7 = 0x681a,
	GUEST_RSP = 0x681c,
	GUEST_RIP = 0x681e,
	GUEST_RFLAGS = 0x6820,
	GUEST_PENDING_DBG_EXCEPTIONS = 0x6822,
	GUEST_SYSENTER_ESP = 0x6824,
	GUEST_SYSENTER_EIP = 0x6826,
	HOST_CR0 = 0x6c00,
	HOST_CR3 = 0x6c02,
	HOST_CR4 = 0x6c04,
	HOST_FS_BASE = 0x6c06,
	HOST_GS_BASE = 0x6c08,
	HOST_TR_BASE = 0x6c0a,
	HOST_GDTR_BASE = 0x6c0c,
	HOST_IDTR_BASE = 0x6c0e,
	HOST_IA32_SYSENTER_ESP = 0x6c10,
	HOST_IA32_SYSENTER_EIP = 0x6c12,
	HOST_RSP = 0x6c14,
	HOST_RIP = 0x6c16,
};

/* Pin-based VM-execution controls (SDM 24.6.1). */
#define PIN_BASED_EXT_INTR_MASK (1u << 0)
#define PIN_BASED_NMI_EXITING (1u << 3)
#define PIN_BASED_VIRTUAL_NMIS (1u << 5)
#define PIN_BASED_VMX_PREEMPTION_TIMER (1u << 6)
#define PIN_BASED_POSTED_INTR (1u << 7)

/* Primary processor-based VM-execution controls (SDM 24.6.2 table 24-6). */
#define CPU_BASED_INTR_WINDOW_EXITING (1u << 2)
#define CPU_BASED_USE_TSC_OFFSETTING (1u << 3)
#define CPU_BASED_HLT_EXITING (1u << 7)
#define CPU_BASED_INVLPG_EXITING (1u << 9)
#define CPU_BASED_MWAIT_EXITING (1u << 10)
#define CPU_BASED_RDPMC_EXITING (1u << 11)
#define CPU_BASED_RDTSC_EXITING (1u << 12)
#define CPU_BASED_CR3_LOAD_EXITING (1u << 15)
#define CPU_BASED_CR3_STORE_EXITING (1u << 16)
#define CPU_BASED_CR8_LOAD_EXITING (1u << 19)
#define CPU_BASED_CR8_STORE_EXITING (1u << 20)
#define CPU_BASED_TPR_SHADOW (1u << 21)
#define CPU_BASED_NMI_WINDOW_EXITING (1u << 22)
#define CPU_BASED_MOV_DR_EXITING (1u << 23)
#define CPU_BASED_UNCOND_IO_EXITING (1u << 24)
#define CPU_BASED_USE_IO_BITMAPS (1u << 25)
#define CPU_BASED_MONITOR_TRAP_FLAG (1u << 27)
#define CPU_BASED_USE_MSR_BITMAPS (1u << 28)
#define CPU_BASED_MONITOR_EXITING (1u << 29)
#define CPU_BASED_PAUSE_EXITING (1u << 30)
#define CPU_BASED_ACTIVATE_SECONDARY_CONTROLS (1u << 31)

/* Secondary processor-based controls (SDM 24.6.2 table 24-7). */
#define SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES (1u << 0)
#define SECONDARY_EXEC_ENABLE_EPT (1u << 1)
#define SECONDARY_EXEC_DESC_TABLE_EXITING (1u << 2)
#define SECONDARY_EXEC_ENABLE_RDTSCP (1u << 3)
#define SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE (1u << 4)
#define SECONDARY_EXEC_ENABLE_VPID (1u << 5)
#define SECONDARY_EXEC_WBINVD_EXITING (1u << 6)
#define SECONDARY_EXEC_UNRESTRICTED_GUEST (1u << 7)
#define SECONDARY_EXEC_APIC_REGISTER_VIRT (1u << 8)
#define SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY (1u << 9)
#define SECONDARY_EXEC_PAUSE_LOOP_EXITING (1u << 10)
#define SECONDARY_EXEC_RDRAND_EXITING (1u << 11)
#define SECONDARY_EXEC_ENABLE_INVPCID (1u << 12)
#define SECONDARY_EXEC_ENABLE_VMFUNC (1u << 13)
#define SECONDARY_EXEC_RDSEED_EXITING (1u << 16)
#define SECONDARY_EXEC_XSAVES (1u << 20)

/* VM-exit controls (SDM 24.7.1 table 24-13). */
#define VM_EXIT_SAVE_VMX_PREEMPTION_TIMER (1u << 22)

/* Guest interruptibility state (SDM 24.4.2 table 24-3). */
#define GUEST_INTR_STATE_STI (1u << 0)
#define GUEST_INTR_STATE_MOV_SS (1u << 1)
#define GUEST_INTR_STATE_NMI (1u << 3)

/*
 * The VMX-preemption timer (SDM 25.5.1) counts down by one every
 * 2^VMX_PREEMPTION_TIMER_RATE TSC ticks, as IA32_VMX_MISC[4:0] reports on
 * hardware. Here it counts instructions retired in VMX non-root operation
 * (virtual time: one TSC tick per instruction), so it is deterministic.
 */
#define VMX_PREEMPTION_TIMER_RATE 5

/* Interruption-information fields (SDM 24.8.3, 24.9.2). */
#define INTR_INFO_VECTOR_MASK 0xffu
#define INTR_INFO_TYPE_SHIFT 8
#define INTR_INFO_TYPE_MASK (7u << 8)
#define INTR_INFO_DELIVER_CODE (1u << 11)
#define INTR_INFO_NMI_UNBLOCKED (1u << 12)
#define INTR_INFO_VALID (1u << 31)

/* EPT-violation exit qualification (SDM 27.2.1 table 27-7). */
#define EPT_VIOLATION_READ (1ull << 0)
#define EPT_VIOLATION_WRITE (1ull << 1)
#define EPT_VIOLATION_FETCH (1ull << 2)
#define EPT_VIOLATION_READABLE (1ull << 3)
#define EPT_VIOLATION_WRITABLE (1ull << 4)
#define EPT_VIOLATION_EXECUTABLE (1ull << 5)
#define EPT_VIOLATION_GLA_VALID (1ull << 7)
#define EPT_VIOLATION_GLA_TRANSLATED (1ull << 8) /* 0: paging-structure access */

/* Basic exit reasons (SDM Appendix C): X(name, number). */
#define VMX_EXIT_REASONS(X)                                                                        \
	X(EXCEPTION_NMI, 0)                                                                        \
	X(EXTERNAL_INTERRUPT, 1)                                                                   \
	X(TRIPLE_FAULT, 2)                                                                         \
	X(INIT_SIGNAL, 3)                                                                          \
	X(SIPI, 4)                                                                                 \
	X(IO_SMI, 5)                                                                               \
	X(OTHER_SMI, 6)                                                                            \
	X(INTERRUPT_WINDOW, 7)                                                                     \
	X(NMI_WINDOW, 8)                                                                           \
	X(TASK_SWITCH, 9)                                                                          \
	X(CPUID, 10)                                                                               \
	X(GETSEC, 11)                                                                              \
	X(HLT, 12)                                                                                 \
	X(INVD, 13)                                                                                \
	X(INVLPG, 14)                                                                              \
	X(RDPMC, 15)                                                                               \
	X(RDTSC, 16)                                                                               \
	X(RSM, 17)                                                                                 \
	X(VMCALL, 18)                                                                              \
	X(VMCLEAR, 19)                                                                             \
	X(VMLAUNCH, 20)                                                                            \
	X(VMPTRLD, 21)                                                                             \
	X(VMPTRST, 22)                                                                             \
	X(VMREAD, 23)                                                                              \
	X(VMRESUME, 24)                                                                            \
	X(VMWRITE, 25)                                                                             \
	X(VMXOFF, 26)                                                                              \
	X(VMXON, 27)                                                                               \
	X(CR_ACCESS, 28)                                                                           \
	X(DR_ACCESS, 29)                                                                           \
	X(IO_INSTRUCTION, 30)                                                                      \
	X(MSR_READ, 31)                                                                            \
	X(MSR_WRITE, 32)                                                                           \
	X(INVALID_STATE, 33)                                                                       \
	X(MSR_LOAD_FAIL, 34)                                                                       \
	X(MWAIT_INSTRUCTION, 36)                                                                   \
	X(MONITOR_TRAP_FLAG, 37)                                                                   \
	X(MONITOR_INSTRUCTION, 39)                                                                 \
	X(PAUSE_INSTRUCTION, 40)                                                                   \
	X(MCE_DURING_VMENTRY, 41)                                                                  \
	X(TPR_BELOW_THRESHOLD, 43)                                                                 \
	X(APIC_ACCESS, 44)                                                                         \
	X(EOI_INDUCED, 45)                                                                         \
	X(GDTR_IDTR, 46)                                                                           \
	X(LDTR_TR, 47)                                                                             \
	X(EPT_VIOLATION, 48)                                                                       \
	X(EPT_MISCONFIG, 49)                                                                       \
	X(INVEPT, 50)                                                                              \
	X(RDTSCP, 51)                                                                              \
	X(PREEMPTION_TIMER, 52)                                                                    \
	X(INVVPID, 53)                                                                             \
	X(WBINVD, 54)                                                                              \
	X(XSETBV, 55)                                                                              \
	X(APIC_WRITE, 56)                                                                          \
	X(RDRAND, 57)                                                                              \
	X(INVPCID, 58)                                                                             \
	X(VMFUNC, 59)                                                                              \
	X(ENCLS, 60)                                                                               \
	X(RDSEED, 61)                                                                              \
	X(PML_FULL, 62)                                                                            \
	X(XSAVES, 63)                                                                              \
	X(XRSTORS, 64)                                                                             \
	X(UMWAIT, 67)                                                                              \
	X(TPAUSE, 68)

enum vmx_exit_reason {
#define VMX_EXIT_ENUM(name, num) VMX_EXIT_##name = num,
	VMX_EXIT_REASONS(VMX_EXIT_ENUM)
#undef VMX_EXIT_ENUM
};

/* No exit / no exit the row can raise, for decode tables. */
#define VMX_EXIT_NONE 0xffffu

const char *vmx_exit_name(uint32_t reason);

/*
 * Field storage: encodings are decomposed (SDM 24.11.2) into width (bits
 * 14:13), type (11:10) and index (9:1); non-guest-state fields with index <
 * VMCS_MAX_INDEX are stored in fields[width][type][index].
 */
#define VMCS_MAX_INDEX 64

struct vmcs {
	uint64_t fields[4][4][VMCS_MAX_INDEX];
	uint8_t msr_bitmap[4096];
	uint8_t io_bitmap_a[4096];
	uint8_t io_bitmap_b[4096];
	/* CPU_BASED_MONITOR_TRAP_FLAG of the processor-based controls, kept
	 * by vmcs_set(): the TB key reads it on every lookup. */
	bool mtf;
};

/* SDM 24.11.2: bit 0 access type (high half), 9:1 index, 11:10 type,
 * 14:13 width. */
static inline bool vmcs_field_slot(uint32_t field, unsigned *w, unsigned *t, unsigned *i)
{
	*w = (field >> 13) & 3;
	*t = (field >> 10) & 3;
	*i = (field >> 1) & 0x1ff;
	return *i < VMCS_MAX_INDEX && (field & ~0x6fffu) == 0;
}

/* Raw storage access (no guest-state mapping): for the CPU itself. Inline:
 * with a constant field (the usual case) it folds to a load and a mask,
 * and the TB boundary checks read several fields per TB. */
static inline uint64_t vmcs_get(const struct vmcs *v, uint32_t field)
{
	unsigned w, t, i;
	if (!vmcs_field_slot(field, &w, &t, &i))
		return 0;
	uint64_t val = v->fields[w][t][i];
	if (w == 1 && (field & 1))
		return val >> 32; /* high half of a 64-bit field */
	switch (w) {
	case 0: return val & 0xffff;
	case 2: return val & 0xffffffff;
	default: return val;
	}
}
void vmcs_set(struct vmcs *v, uint32_t field, uint64_t val);

/* Set or clear the read/write intercept bits of msr in the MSR bitmap.
 * Returns false if msr is outside the bitmap ranges (it always exits). */
bool vmcs_msr_intercept(struct vmcs *v, uint32_t msr, bool read, bool write);
/* Does an access to msr exit? (SDM 25.1.3) */
bool vmcs_msr_exits(const struct vmcs *v, uint32_t msr, bool write);
/* Set or clear the intercept of I/O port. */
void vmcs_io_intercept(struct vmcs *v, uint16_t port, bool on);
/* Does an access of size bytes at port exit? (SDM 25.1.3) */
bool vmcs_io_exits(const struct vmcs *v, uint16_t port, unsigned size);

#endif
