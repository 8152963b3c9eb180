/*
 * The x86-64 CPU: architectural state and the public API used by hv/x86 and
 * the frontend.
 *
 * The CPU runs in VMX non-root operation only: every event that the software
 * VMCS (cpu/x86/vmcs.h) says must exit ends cpu_exec() with CPU_STOP_EXIT and
 * cpu->exit.kind == CPU_EXIT_VMX. hv/x86 reads and writes the VMCS with
 * cpu_x86_vmcs_read/write; guest-state fields of the VMCS are views of the
 * live state in struct cpu_x86.
 *
 * Worked example (what hv/x86/pvh.c does to boot a PVH kernel):
 *
 *     struct cpu_x86 *c = cpu_x86_new(p2m, tbc, 0);
 *     cpu_x86_reset_pvh(c, entry, start_info_gpa);
 *     cpu_x86_vmcs_write(c, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_HLT_EXITING |
 *                        CPU_BASED_USE_MSR_BITMAPS);
 *     while (cpu_exec(&c->cpu, quantum) == CPU_STOP_EXIT) {
 *             ...c->cpu.exit.reason == VMX_EXIT_VMCALL: dispatch, then
 *             cpu_x86_vmcs_write(c, GUEST_RIP, rip + c->cpu.exit.insn_len);
 *     }
 *
 * Lazy flags (cpu/x86/flags.c): the six arithmetic flags (CF PF AF ZF SF OF)
 * are not kept in rflags while the guest runs; the last flag-setting
 * operation records its kind and size in cc_op and its operands and result in
 * cc_src/cc_src2/cc_dst, and cpu_x86_get_rflags() computes them on demand.
 * All other rflags bits (DF, IF, TF, IOPL, ...) live in rflags.
 *
 * MMU indexes (struct cpu_arch_ops.n_mmu_idx = 4):
 *     X86_MMU_KERNEL (0)  paging on, CPL 0..2 (supervisor accesses)
 *     X86_MMU_USER   (1)  paging on, CPL 3
 *     X86_MMU_PHYS   (2)  paging off: linear address = guest-physical address
 *     X86_MMU_KERNEL_AC (3) as KERNEL, with CR4.SMAP and RFLAGS.AC = 1 (SMAP
 *                         lets explicit supervisor accesses reach user pages)
 *
 * Virtual time: the TSC counts retired instructions (TSC = icount + offset),
 * i.e. one TSC tick per instruction; hv reports a TSC frequency to the guest
 * that matches its instructions-per-second convention (see X86_TSC_KHZ).
 */
#ifndef SV_CPU_X86_CPU_X86_H
#define SV_CPU_X86_CPU_X86_H

#include "cpu/cpu.h"
#include "cpu/x86/vmcs.h"

struct p2m;
struct tb_cache;

/* The nominal TSC frequency of the virtual-time model: 1 tick = 1 insn. */
#define X86_TSC_KHZ 1000000u

enum x86_gpr {
	X86_RAX,
	X86_RCX,
	X86_RDX,
	X86_RBX,
	X86_RSP,
	X86_RBP,
	X86_RSI,
	X86_RDI,
	X86_R8,
	X86_R9,
	X86_R10,
	X86_R11,
	X86_R12,
	X86_R13,
	X86_R14,
	X86_R15,
};

enum x86_seg_reg {
	X86_SEG_ES,
	X86_SEG_CS,
	X86_SEG_SS,
	X86_SEG_DS,
	X86_SEG_FS,
	X86_SEG_GS,
	X86_SEG_LDTR,
	X86_SEG_TR,
	X86_NUM_SEGS
};

/*
 * A segment register with its hidden part. attr uses the VMCS access-rights
 * format (SDM 24.4.1): type 3:0, S 4, DPL 6:5, P 7, AVL 12, L 13, D/B 14,
 * G 15, unusable 16.
 */
struct x86_seg {
	uint16_t sel;
	uint64_t base;
	uint32_t limit;
	uint32_t attr;
};

#define X86_SEG_ATTR_TYPE 0xfu
#define X86_SEG_ATTR_S (1u << 4)
#define X86_SEG_ATTR_DPL_SHIFT 5
#define X86_SEG_ATTR_P (1u << 7)
#define X86_SEG_ATTR_L (1u << 13)
#define X86_SEG_ATTR_DB (1u << 14)
#define X86_SEG_ATTR_G (1u << 15)
#define X86_SEG_ATTR_UNUSABLE (1u << 16)

struct x86_dtr {
	uint64_t base;
	uint32_t limit;
};

/* RFLAGS bits (SDM 3.4.3). */
#define X86_FLAG_CF (1u << 0)
#define X86_FLAG_FIXED1 (1u << 1)
#define X86_FLAG_PF (1u << 2)
#define X86_FLAG_AF (1u << 4)
#define X86_FLAG_ZF (1u << 6)
#define X86_FLAG_SF (1u << 7)
#define X86_FLAG_TF (1u << 8)
#define X86_FLAG_IF (1u << 9)
#define X86_FLAG_DF (1u << 10)
#define X86_FLAG_OF (1u << 11)
#define X86_FLAG_IOPL (3u << 12)
#define X86_FLAG_NT (1u << 14)
#define X86_FLAG_RF (1u << 16)
#define X86_FLAG_VM (1u << 17)
#define X86_FLAG_AC (1u << 18)
#define X86_FLAG_VIF (1u << 19)
#define X86_FLAG_VIP (1u << 20)
#define X86_FLAG_ID (1u << 21)
#define X86_FLAGS_ARITH                                                                            \
	(X86_FLAG_CF | X86_FLAG_PF | X86_FLAG_AF | X86_FLAG_ZF | X86_FLAG_SF | X86_FLAG_OF)

/* Control registers (SDM 2.5). */
#define X86_CR0_PE (1ull << 0)
#define X86_CR0_MP (1ull << 1)
#define X86_CR0_EM (1ull << 2)
#define X86_CR0_TS (1ull << 3)
#define X86_CR0_ET (1ull << 4)
#define X86_CR0_NE (1ull << 5)
#define X86_CR0_WP (1ull << 16)
#define X86_CR0_AM (1ull << 18)
#define X86_CR0_NW (1ull << 29)
#define X86_CR0_CD (1ull << 30)
#define X86_CR0_PG (1ull << 31)

#define X86_CR4_VME (1ull << 0)
#define X86_CR4_PVI (1ull << 1)
#define X86_CR4_TSD (1ull << 2)
#define X86_CR4_DE (1ull << 3)
#define X86_CR4_PSE (1ull << 4)
#define X86_CR4_PAE (1ull << 5)
#define X86_CR4_MCE (1ull << 6)
#define X86_CR4_PGE (1ull << 7)
#define X86_CR4_PCE (1ull << 8)
#define X86_CR4_OSFXSR (1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_CR4_UMIP (1ull << 11)
#define X86_CR4_LA57 (1ull << 12)
#define X86_CR4_VMXE (1ull << 13)
#define X86_CR4_FSGSBASE (1ull << 16)
#define X86_CR4_PCIDE (1ull << 17)
#define X86_CR4_OSXSAVE (1ull << 18)
#define X86_CR4_SMEP (1ull << 20)
#define X86_CR4_SMAP (1ull << 21)

#define X86_CR4_PCIDE_MASK 0xfffull /* CR3 bits 11:0 are the PCID when CR4.PCIDE */

/* XCR0 state components (SDM vol. 1 13.1); the model has x87 and SSE. */
#define X86_XCR0_X87 (1ull << 0)
#define X86_XCR0_SSE (1ull << 1)
#define X86_XCR0_SUPPORTED (X86_XCR0_X87 | X86_XCR0_SSE)
/* The XSAVE area of the supported components: the 512-byte legacy region
 * and the 64-byte header (SDM vol. 1 13.4). */
#define X86_XSAVE_AREA_SIZE 576u

#define X86_EFER_SCE (1ull << 0)
#define X86_EFER_LME (1ull << 8)
#define X86_EFER_LMA (1ull << 10)
#define X86_EFER_NXE (1ull << 11)

/* MSRs the first-light model knows (SDM vol. 4). */
#define MSR_IA32_TSC 0x00000010
#define MSR_IA32_APIC_BASE 0x0000001b
#define MSR_IA32_FEATURE_CONTROL 0x0000003a
#define MSR_IA32_TSC_ADJUST 0x0000003b
#define MSR_IA32_SPEC_CTRL 0x00000048
#define MSR_IA32_BIOS_SIGN_ID 0x0000008b
#define MSR_IA32_MTRRCAP 0x000000fe
#define MSR_IA32_ARCH_CAPABILITIES 0x0000010a
/*
 * IA32_ARCH_CAPABILITIES: the CPU model is free of the speculative-execution
 * and microarchitectural-data-sampling issues a guest would otherwise
 * mitigate (an emulated CPU has none of them), so guests skip PTI, retpolines,
 * buffer clearing and the ITS thunks. Bits per the SDM / Linux msr-index.h:
 * RDCL_NO 0, SKIP_L1DFL_VMENTRY 3, SSB_NO 4, MDS_NO 5,
 * PSCHANGE_MC_NO 6, TAA_NO 8, SBDR_SSDP_NO 13, FBSDP_NO 14, PSDP_NO 15,
 * BHI_NO 20, PBRSB_NO 24, GDS_NO 26, RFDS_NO 27, ITS_NO 62. Not IBRS_ALL:
 * there is no IA32_SPEC_CTRL (CPUID.7.EDX[26] is clear) to turn IBRS on with.
 */
#define X86_ARCH_CAPABILITIES                                                                      \
	((1ull << 0) | (1ull << 3) | (1ull << 4) | (1ull << 5) | (1ull << 6) | (1ull << 8) |       \
	 (1ull << 13) | (1ull << 14) | (1ull << 15) | (1ull << 20) | (1ull << 24) | (1ull << 26) | \
	 (1ull << 27) | (1ull << 62))
#define MSR_IA32_SYSENTER_CS 0x00000174
#define MSR_IA32_SYSENTER_ESP 0x00000175
#define MSR_IA32_SYSENTER_EIP 0x00000176
#define MSR_IA32_MCG_CAP 0x00000179
#define MSR_IA32_MCG_STATUS 0x0000017a
#define MSR_IA32_MISC_ENABLE 0x000001a0
#define MSR_IA32_PAT 0x00000277
#define MSR_IA32_MTRR_DEF_TYPE 0x000002ff
#define MSR_IA32_XSS 0x00000da0
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103

/* Exception vectors (SDM 6.3.1). */
enum x86_vector {
	X86_EXC_DE = 0,
	X86_EXC_DB = 1,
	X86_EXC_NMI = 2,
	X86_EXC_BP = 3,
	X86_EXC_OF = 4,
	X86_EXC_BR = 5,
	X86_EXC_UD = 6,
	X86_EXC_NM = 7,
	X86_EXC_DF = 8,
	X86_EXC_TS = 10,
	X86_EXC_NP = 11,
	X86_EXC_SS = 12,
	X86_EXC_GP = 13,
	X86_EXC_PF = 14,
	X86_EXC_MF = 16,
	X86_EXC_AC = 17,
	X86_EXC_MC = 18,
	X86_EXC_XM = 19,
};

/* Page-fault error code bits (SDM 4.7). */
#define X86_PF_P (1u << 0)
#define X86_PF_W (1u << 1)
#define X86_PF_U (1u << 2)
#define X86_PF_RSVD (1u << 3)
#define X86_PF_I (1u << 4)

enum {
	X86_MMU_KERNEL = 0,
	X86_MMU_USER = 1,
	X86_MMU_PHYS = 2,
	X86_MMU_KERNEL_AC = 3, /* CPL 0..2 with CR4.SMAP and RFLAGS.AC: user pages allowed */
	X86_NUM_MMU_IDX = 4,
};

/*
 * Event types as in the VMCS interruption-information fields (SDM 24.8.3):
 * how an event is delivered and what RIP it pushes.
 */
enum x86_event_type {
	X86_EVENT_EXT_INTR = 0,
	X86_EVENT_NMI = 2,
	X86_EVENT_HW_EXC = 3,
	X86_EVENT_SW_INTR = 4,     /* INT n */
	X86_EVENT_PRIV_SW_EXC = 5, /* INT1 */
	X86_EVENT_SW_EXC = 6,      /* INT3, INTO */
};

/* An event waiting for delivery (recorded by a helper or by translate). */
struct x86_event {
	bool valid;
	uint8_t vector;
	uint8_t type; /* enum x86_event_type */
	bool has_error;
	uint32_t error;
	uint64_t cr2;      /* #PF linear address */
	bool rip_valid;    /* else the RIP is that of cpu.insn_pc */
	uint64_t rip;      /* RIP to push (faults: the insn; traps: the next) */
	uint32_t insn_len; /* software interrupts/exceptions */
};

/*
 * Lazy-flag operations. cc_op = X86_CC_<kind> * 4 + size_log2. Operands are
 * stored zero-extended from the operand size.
 *   ADD/ADC/SUB/SBB: cc_src2 = first operand, cc_src = second, cc_dst = result
 *                    (the carry-in of ADC/SBB is implied by the three)
 *   LOGIC:           cc_dst = result
 *   INC/DEC:         cc_src2 = first operand, cc_src = old CF, cc_dst = result
 *   SHL/SHR/SAR:     cc_src2 = operand, cc_src = count (non-zero), cc_dst = result
 *   MUL:             cc_src = CF=OF (0/1), cc_dst = low result
 *   EFLAGS:          cc_src holds the flags themselves (size ignored)
 */
enum x86_cc_kind {
	X86_CC_EFLAGS,
	X86_CC_ADD,
	X86_CC_ADC,
	X86_CC_SUB,
	X86_CC_SBB,
	X86_CC_LOGIC,
	X86_CC_INC,
	X86_CC_DEC,
	X86_CC_SHL,
	X86_CC_SHR,
	X86_CC_SAR,
	X86_CC_MUL,
	X86_CC_NUM_KINDS
};
#define X86_CC_OP(kind, size_log2) ((uint32_t)(kind)*4u + (size_log2))

/*
 * The x87/SSE state (SDM vol. 1 ch. 8, 10, 11; the FXSAVE image of table
 * 10-2 is built from it). XMM registers are little-endian byte arrays (the
 * supported hosts are little-endian). The x87 registers are kept in the
 * architected 80-bit format (sign/exponent and the explicit 64-bit
 * significand), indexed physically (R0..R7); ST(i) = R((TOP + i) & 7).
 */
union x86_xmm {
	uint8_t b[16];
	uint16_t w[8];
	uint32_t d[4];
	uint64_t q[2];
};

struct x86_f80 {
	uint64_t mant;
	uint16_t se; /* sign 15, biased exponent 14:0 */
};

struct x86_fpu {
	union x86_xmm xmm[16];
	uint32_t mxcsr;
	struct x86_f80 st[8];
	uint16_t fcw, fsw; /* FSW.TOP (13:11) is the stack top */
	uint16_t ftw;      /* full tag word: 2 bits per physical register, 11 = empty */
	uint16_t fop;
	uint64_t fip, fdp;
};

#define X86_MXCSR_DEFAULT 0x1f80u
#define X86_FCW_DEFAULT 0x037fu

/* The x86 TLB (cpu/x86/tlb.c): 256 sets of 4 ways. */
#define X86_TLB_SETS 256
#define X86_TLB_WAYS 4

struct x86_tlb_entry {
	bool valid, global;
	uint8_t mmu_idx;
	uint16_t pcid;
	unsigned prot; /* MMU_PROT_* the walk allowed */
	uint64_t va_page, gpa_page;
	uint64_t page_size; /* of the mapping the 4 KiB piece belongs to */
};

struct x86_tlb {
	struct x86_tlb_set {
		struct x86_tlb_entry way[X86_TLB_WAYS];
		uint8_t next; /* round-robin replacement */
	} set[X86_TLB_SETS];
};

struct cpu_x86 {
	struct cpu cpu; /* first */

	uint64_t regs[16];
	uint64_t rip;
	uint64_t rflags; /* arithmetic flags are lazy: see cpu_x86_get_rflags */
	uint64_t cc_dst, cc_src, cc_src2;
	uint64_t cc_op;

	struct x86_seg seg[X86_NUM_SEGS];
	struct x86_dtr gdtr, idtr;
	uint64_t cr0, cr2, cr3, cr4, cr8;
	uint64_t efer;
	unsigned cpl;

	/* MSRs. FS/GS base live in seg[FS/GS].base. */
	uint64_t kernel_gs_base;
	uint64_t star, lstar, cstar, sfmask;
	uint64_t tsc_aux, tsc_offset;
	uint64_t apic_base, pat, misc_enable, mtrr_def_type;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t spec_ctrl;

	/* Debug registers (SDM 17.2): stored; breakpoints are not modelled yet. */
	uint64_t dr[4], dr6, dr7;
	struct x86_fpu fpu;

	/* XCR0 (SDM vol. 1 13.3): the XSAVE-managed state components enabled;
	 * IA32_XSS (13.3): the supervisor ones (none is implemented: 0). */
	uint64_t xcr0, xss;
	/* RDRAND/RDSEED: a deterministic generator (never host entropy, DESIGN
	 * 7); seeded per machine with cpu_x86_seed_rng. */
	uint64_t rng_state;

	/* Interrupt shadow after STI / MOV SS (SDM 6.8.3): the icount at which
	 * it ends, and whether it is active. */
	bool intr_shadow;
	uint64_t intr_shadow_icount;

	/* Blocking by NMI (SDM 6.7.1): from the delivery of an NMI to the
	 * next IRET. */
	bool nmi_blocked;

	/*
	 * The trap-like VMX controls (SDM 25.5) count from the VM entry: the
	 * first TB boundary after an exit (or after hv reprograms the
	 * execution controls) is the entry (vm_entered). entry_icount: the
	 * icount then; event_delivered: an event went through the IDT since
	 * (an MTF exit then comes before the handler's first instruction);
	 * preempt_deadline: the icount at which the VMX-preemption timer
	 * reaches zero.
	 */
	bool vm_entered;
	bool event_delivered;
	uint64_t entry_icount;
	uint64_t preempt_deadline;

	struct x86_event pending; /* exception to deliver (raise_fault) */
	int load_seg_err;         /* why cpu_x86_load_seg failed (CPU_XLAT_*) */

	/* Translation-time scratch: the lazy-flag op known statically at the
	 * current point of the TB being translated (X86_CC_DYNAMIC if not). */
	uint32_t tr_cc_op;
	/* Trace once: an unimplemented opcode was met. */
	bool logged_ud;

	struct vmcs vmcs;
	struct x86_tlb tlb;
};

#define X86_CC_DYNAMIC 0xffffffffu

extern const struct cpu_arch_ops cpu_x86_ops;

/* Snapshots (cpu/x86/snapshot.c): the cpu_arch_ops save/load hooks. */
struct sv_snap_w;
struct sv_snap_r;
void cpu_x86_save(struct cpu *cpu, struct sv_snap_w *w);
int cpu_x86_load(struct cpu *cpu, struct sv_snap_r *r);

struct cpu_x86 *cpu_x86_new(struct p2m *p2m, struct tb_cache *tbc, unsigned index);
void cpu_x86_free(struct cpu_x86 *c);
static inline struct cpu_x86 *cpu_x86_of(struct cpu *cpu)
{
	return SV_CONTAINER_OF(cpu, struct cpu_x86, cpu);
}

/*
 * The x86 TLB (cpu/x86/tlb.c). lookup: a cached translation of va for
 * mmu_idx under the current PCID with the rights in need; insert: cache a
 * walk's result. The invalidations drop the x86 TLB's entries the SDM says
 * and flush the softmmu TLB; flush_all is for changes of paging controls
 * (CR0.PG/WP, CR4.PGE/PCIDE/..., EFER.NXE, state loaded by hv).
 */
bool cpu_x86_tlb_lookup(struct cpu_x86 *c, uint64_t va, unsigned mmu_idx, unsigned need,
			struct cpu_xlat *x);
void cpu_x86_tlb_insert(struct cpu_x86 *c, uint64_t va, unsigned mmu_idx, uint64_t gpa,
			unsigned prot, uint64_t page_size, bool global);
void cpu_x86_tlb_flush_all(struct cpu_x86 *c);
void cpu_x86_tlb_cr3_load(struct cpu_x86 *c, bool noflush);
void cpu_x86_tlb_invlpg(struct cpu_x86 *c, uint64_t va);
void cpu_x86_tlb_invpcid(struct cpu_x86 *c, unsigned type, uint16_t pcid, uint64_t va);

/*
 * A task switch to the 32-bit TSS selected by sel (cpu/x86/task.c, SDM
 * 7.3), which the CPU left to hv as exit 9: source as in the exit
 * qualification, the CPU state as at the exit (RIP the instruction or
 * event's return point). 0 done; -1 a fault to deliver (*f); -2 a second-
 * stage fault (the VM exit is in cpu->exit).
 */
enum x86_task_source {
	X86_TASK_CALL = 0,
	X86_TASK_IRET = 1,
	X86_TASK_JMP = 2,
	X86_TASK_GATE = 3, /* a task gate in the IDT */
};
int cpu_x86_task_switch(struct cpu_x86 *c, uint16_t sel, enum x86_task_source src, bool has_error,
			uint32_t error, struct x86_event *f);

/* FNINIT state of the x87 unit and MXCSR reset (SDM 9.1.1 table 9-1). */
void cpu_x86_fpu_reset(struct cpu_x86 *c);

/* Seed the RDRAND/RDSEED generator (the machine's seed mixed with the vcpu
 * index): same seed, same numbers. */
void cpu_x86_seed_rng(struct cpu_x86 *c, uint64_t seed);

/*
 * Power-on state, the INIT state and the start-up IPI (SDM vol. 3 9.1.1
 * table 9-1, 10.4.4), and the Xen PVH start state. A secondary processor is
 * brought up with cpu_x86_reset_init() (INIT IPI: it then waits for a SIPI)
 * and cpu_x86_sipi(vector) (real mode at CS:IP = vector << 8 : 0000, CS base
 * vector << 12).
 */
void cpu_x86_reset(struct cpu_x86 *c);
void cpu_x86_reset_init(struct cpu_x86 *c);
void cpu_x86_sipi(struct cpu_x86 *c, uint8_t vector);
void cpu_x86_reset_pvh(struct cpu_x86 *c, uint32_t entry, uint32_t start_info_gpa);

/* RFLAGS with the lazy arithmetic flags folded in, and its inverse. */
uint64_t cpu_x86_get_rflags(struct cpu_x86 *c);
void cpu_x86_set_rflags(struct cpu_x86 *c, uint64_t v);
/* The six arithmetic flags from the lazy state (cpu/x86/flags.c). */
uint64_t cpu_x86_compute_flags(const struct cpu_x86 *c);
/* Condition code cc (0..15, the Jcc encoding) from the lazy state. */
bool cpu_x86_eval_cond(const struct cpu_x86 *c, unsigned cc);

/* Register writes that change mode, with their architected checks; they
 * return false if the guest must get #GP(0) instead. */
bool cpu_x86_set_cr0(struct cpu_x86 *c, uint64_t v);
bool cpu_x86_set_cr3(struct cpu_x86 *c, uint64_t v);
bool cpu_x86_set_cr4(struct cpu_x86 *c, uint64_t v);
bool cpu_x86_set_efer(struct cpu_x86 *c, uint64_t v);
/* XSETBV's effect (hv calls it on the XSETBV exit): false -> #GP(0). */
bool cpu_x86_xsetbv(struct cpu_x86 *c, uint32_t index, uint64_t v);
/* MSR access as the CPU implements it (no VMX checks). false -> #GP. */
bool cpu_x86_rdmsr(struct cpu_x86 *c, uint32_t msr, uint64_t *v);
bool cpu_x86_wrmsr(struct cpu_x86 *c, uint32_t msr, uint64_t v);
/* Load a segment register from a selector in protected/long mode, reading
 * the descriptor (no longjmp). false -> the exception recorded in pending. */
bool cpu_x86_load_seg(struct cpu_x86 *c, enum x86_seg_reg s, uint16_t sel);
/* Recompute cpl and the cached mode after segment/CR changes. */
void cpu_x86_update_mode(struct cpu_x86 *c);

static inline bool cpu_x86_long_mode(const struct cpu_x86 *c)
{
	return (c->efer & X86_EFER_LMA) != 0;
}

/* Is va canonical in the current paging mode (57 bits with CR4.LA57, else
 * 48)? Memory accesses, SYSRET/SYSEXIT targets. */
static inline bool cpu_x86_canonical(const struct cpu_x86 *c, uint64_t va)
{
	uint64_t bits = (c->cr4 & X86_CR4_LA57) ? 7 : 16;

	return (uint64_t)((int64_t)(va << bits) >> bits) == va;
}

/* Canonical for the widest linear address the model supports (57 bits):
 * what WRMSR to base/entry-point MSRs, LGDT/LIDT and INVPCID check whatever
 * CR4.LA57 is (Intel's 5-level paging white paper, 2.5). */
static inline bool cpu_x86_canonical_max(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 7) >> 7) == va;
}
static inline bool cpu_x86_code64(const struct cpu_x86 *c)
{
	return cpu_x86_long_mode(c) && (c->seg[X86_SEG_CS].attr & X86_SEG_ATTR_L);
}
/* The mmu index of data accesses at the current CPL. */
unsigned cpu_x86_mmu_idx(const struct cpu_x86 *c);

/* The base CPU model (cpu/x86/cpuid.c). Leaves 0x40000000.. are hv's. */
void cpu_x86_cpuid(struct cpu_x86 *c, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

/* Virtual-time TSC as the guest sees it (TSC offsetting included). */
uint64_t cpu_x86_rdtsc(struct cpu_x86 *c);

/*
 * Event delivery through the IDT (SDM 6.12, 6.14), with double/triple fault
 * escalation (SDM 6.15 table 6-5) and the exception bitmap (SDM 25.2).
 * Returns true if the delivery ended in a VM exit (cpu.exit filled).
 */
bool cpu_x86_deliver_event(struct cpu_x86 *c, const struct x86_event *ev, bool injected);

/* Record an exception for raise_fault (rip: that of the current insn). */
void cpu_x86_set_exception(struct cpu_x86 *c, unsigned vector, bool has_error, uint32_t error);
/* From a helper: raise #vector now (longjmps). */
SV_NORETURN void cpu_x86_raise_exception(struct cpu_x86 *c, unsigned vector, bool has_error,
					 uint32_t error);

/* VMCS access for hv (cpu/x86/vmcs.c). */
uint64_t cpu_x86_vmcs_read(struct cpu_x86 *c, uint32_t field);
void cpu_x86_vmcs_write(struct cpu_x86 *c, uint32_t field, uint64_t v);

/*
 * Fill the VM-exit information (SDM 27.2) and cpu.exit. GUEST_RIP is set to
 * rip (the exiting instruction). Does not return to the caller's TB: callers
 * in helpers follow with cpu_loop_exit_exit().
 */
void cpu_x86_vmexit(struct cpu_x86 *c, uint32_t reason, uint64_t qual, uint64_t rip,
		    uint32_t insn_len);
SV_NORETURN void cpu_x86_vmexit_now(struct cpu_x86 *c, uint32_t reason, uint64_t qual, uint64_t rip,
				    uint32_t insn_len);

/* Non-raising linear-address access for delivery and descriptor reads;
 * 0, CPU_XLAT_FAULT with a #PF recorded in c->pending, or CPU_XLAT_EXIT with
 * cpu.exit filled (EPT violation). */
int cpu_x86_access_linear(struct cpu_x86 *c, uint64_t la, void *buf, size_t len,
			  enum mmu_access acc, bool user);

#endif
