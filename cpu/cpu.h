/*
 * The emulated CPU: the part common to every architecture.
 *
 * An arch CPU (struct cpu_x86, struct cpu_ppc) embeds struct cpu as its first
 * member, so IR env offsets, helpers and the run loop all work on one pointer.
 *
 * The run loop cpu_exec() runs translation blocks until something needs the
 * outside world and returns why (enum cpu_stop). An architected virtualization
 * exit returns CPU_STOP_EXIT with cpu->exit filled in: on x86 the VM-exit
 * reason and qualification (the software VMCS holds the full exit
 * information), on POWER the HV interrupt vector (0xC00, 0xE00, ...), with the
 * HSRR0/1 etc. in the arch state. hv/ consumes the exit and calls cpu_exec()
 * again.
 *
 * Non-local exit: helpers that raise a guest exception or an exit in the
 * middle of a TB call cpu_loop_exit(), which longjmps to the one recovery
 * point in cpu_exec(). Nothing outside cpu/ longjmps.
 */
#ifndef SV_CPU_CPU_H
#define SV_CPU_CPU_H

#include <setjmp.h>

#include "sv/common.h"
#include "sv/trace.h"
#include "mmu/tlb.h"

struct cpu;
struct tb;
struct tb_cache;
struct translator;
struct p2m;
struct trace;
struct ir_func;

/* Why cpu_exec() returned. */
enum cpu_stop {
	CPU_STOP_EXIT,    /* architected exit: see cpu->exit */
	CPU_STOP_BUDGET,  /* the instruction budget ran out */
	CPU_STOP_REQUEST, /* someone set cpu->exit_request */
	CPU_STOP_HALTED,  /* the CPU halted without an exit (HLT not intercepted) */
	CPU_STOP_DEBUG,   /* breakpoint or single step (gdb) */
	CPU_STOP_FATAL,   /* emulator-internal error; cpu->fatal_msg says what */
};

enum cpu_exit_kind {
	CPU_EXIT_NONE,
	CPU_EXIT_VMX, /* x86 VM exit: reason = SDM basic exit reason */
	CPU_EXIT_HV,  /* POWER interrupt to hypervisor: reason = vector */
};

/* An architected exit, as reported to hv/. */
struct cpu_exit {
	enum cpu_exit_kind kind;
	uint32_t reason;        /* VMX basic exit reason, or POWER HV vector */
	uint64_t qualification; /* x86 exit qualification / POWER HSRR1 or HDSISR */
	uint64_t pc;            /* guest pc of the exiting instruction */
	uint64_t gla;           /* guest linear address, if any */
	uint64_t gpa;           /* guest physical address, if any */
	uint32_t insn_len;      /* instruction length (x86) */
};

/* Memory access kinds, for translation and faults. */
enum mmu_access {
	MMU_READ = 0,
	MMU_WRITE = 1,
	MMU_FETCH = 2,
};

/* Return values of the translate hook besides 0. */
enum {
	CPU_XLAT_FAULT = -1, /* guest fault recorded: raise_fault delivers it */
	CPU_XLAT_EXIT = -2,  /* second-stage fault during the walk: cpu->exit filled */
};

/* Outcome of an arch first-stage translation (guest virtual -> guest physical). */
struct cpu_xlat {
	uint64_t gpa;
	unsigned prot;      /* MMU_PROT_* allowed for this page */
	uint64_t page_size; /* size of the mapping; the TLB maps 4 KiB of it */
};

/* Architecture hooks. Each arch provides one const instance. */
struct cpu_arch_ops {
	const char *name;
	unsigned n_mmu_idx; /* number of softmmu TLB contexts used (<= MMU_MAX_IDX) */

	/* The key of the TB to run next: virtual pc, mode flags, and the mmu index
	 * used for code fetch. */
	void (*get_tb_key)(struct cpu *cpu, uint64_t *pc, uint64_t *flags, unsigned *mmu_idx);
	/* Translate one guest instruction at tr->pc_next into IR. */
	void (*translate_insn)(struct translator *tr);
	/* Emit the end of a TB that ran out of room (pc = tr->pc_next). */
	void (*tb_stop)(struct translator *tr);

	/*
	 * First-stage translation of va for access by mmu_idx. Returns 0 and fills
	 * *x; CPU_XLAT_FAULT after recording the guest fault in the arch state
	 * (raise_fault then delivers it); or CPU_XLAT_EXIT after a page-table read
	 * failed in the second stage (the walker called stage2_fault with
	 * in_walk set). Must not longjmp. The page-table reads go through
	 * cpu_phys_read/cpu_phys_write, which return -EFAULT for a gpa the p2m
	 * does not back with RAM. With probe set (debuggers, hv's
	 * copy_from_guest) nothing is recorded and A/D bits are not set.
	 */
	int (*translate)(struct cpu *cpu, uint64_t va, enum mmu_access acc, unsigned mmu_idx,
			 bool probe, struct cpu_xlat *x);
	/* Deliver the fault recorded by translate (or a pending exception):
	 * either to the guest (change pc/state) or as an exit (fill cpu->exit and
	 * return true). */
	bool (*raise_fault)(struct cpu *cpu);
	/* Second-stage (p2m) fault at gpa while accessing va: fill cpu->exit
	 * (EPT violation / HDSI / HISI). */
	void (*stage2_fault)(struct cpu *cpu, uint64_t va, uint64_t gpa, enum mmu_access acc,
			     bool in_walk);
	/* At a TB boundary: deliver pending interrupts. Returns true if that
	 * produced an exit (cpu->exit filled). */
	bool (*check_interrupts)(struct cpu *cpu);
	/* Is the CPU in user mode (CPL 3 / MSR[PR])? */
	bool (*is_user_mode)(struct cpu *cpu);
	/* Guest-visible program counter. */
	uint64_t (*get_pc)(struct cpu *cpu);
	/* Disassemble one instruction for traces (may be NULL). */
	int (*disas)(struct cpu *cpu, uint64_t pc, const uint8_t *code, size_t len, char *buf,
		     size_t bufsize);
};

#define CPU_JMP_CACHE_BITS 12
#define CPU_JMP_CACHE_SIZE (1u << CPU_JMP_CACHE_BITS)

struct cpu {
	const struct cpu_arch_ops *arch;
	struct mmu_tlb tlb;
	struct p2m *p2m;                          /* second-stage translation */
	struct tb_cache *tbc;                     /* shared by the CPUs of one address space */
	struct tb *jmp_cache[CPU_JMP_CACHE_SIZE]; /* virtual pc -> TB */
	unsigned index;                           /* vcpu index */

	/* Instruction counting: the base of virtual time. */
	uint64_t icount;      /* instructions retired (exact at TB boundaries) */
	uint64_t icount_base; /* icount at entry of the current TB */
	int64_t budget;       /* instructions left before cpu_exec returns */
	/* Chained TBs stop at this icount so that check_interrupts runs (an
	 * arch sets it for its timers: DEC, HDEC, APIC timer); ~0 = none. */
	uint64_t icount_deadline;
	uint64_t insn_pc;  /* pc of the instruction being executed */
	uint32_t insn_idx; /* its index in the current TB */

	volatile int exit_request;
	bool in_tb;       /* a TB is executing (icount is pre-credited) */
	bool halted;      /* waiting for an interrupt */
	bool single_step; /* one instruction per TB, stop after each */

	struct cpu_exit exit;
	sigjmp_buf jmp_env; /* the recovery point of cpu_exec */
	bool jmp_valid;
	const char *fatal_msg;

	struct ir_func *ir_scratch; /* the translator's IR buffer, reused */
	struct trace *trace;        /* may be NULL */
	char name[16];              /* "d1v0", for traces */
	void *opaque;               /* owner (hv's struct vcpu) */

	/* Statistics. */
	uint64_t n_tb_translated, n_tb_exec, n_tb_chained, n_tb_invalidated;
};

/* Lifecycle; arch init functions call cpu_init on the embedded struct. */
void cpu_init(struct cpu *cpu, const struct cpu_arch_ops *arch, struct p2m *p2m,
	      struct tb_cache *tbc, unsigned index);
void cpu_destroy(struct cpu *cpu);

/* Run until an exit, the budget, or a request. */
enum cpu_stop cpu_exec(struct cpu *cpu, int64_t budget);

/* Exact instruction count, also from inside a helper in the middle of a TB. */
uint64_t cpu_icount(const struct cpu *cpu);

/* Ask a running CPU to return at the next TB boundary. */
static inline void cpu_request_exit(struct cpu *cpu)
{
	cpu->exit_request = 1;
}

/* From a helper: abandon the current TB and return to cpu_exec, which then
 * delivers the recorded fault (raise_fault) or returns the recorded exit. */
SV_NORETURN void cpu_loop_exit(struct cpu *cpu);
/* From a helper: report the exit now (cpu->exit must be filled). */
SV_NORETURN void cpu_loop_exit_exit(struct cpu *cpu);
/* From a helper: raise the fault the arch has recorded. */
SV_NORETURN void cpu_loop_exit_fault(struct cpu *cpu);

/* Guest memory access from helpers (raising faults and exits). */
uint64_t cpu_ld(struct cpu *cpu, uint64_t va, unsigned memop, unsigned mmu_idx);
void cpu_st(struct cpu *cpu, uint64_t va, unsigned memop, unsigned mmu_idx, uint64_t val);

/* Fill the code TLB entry for va, raising the fetch fault or exit if that
 * fails (only from inside cpu_exec). */
void cpu_fill_code_tlb(struct cpu *cpu, uint64_t va, unsigned mmu_idx);

/* Non-raising translation for hv and debuggers (probe: no state changes):
 * 0, or -EFAULT. */
int cpu_translate_va(struct cpu *cpu, uint64_t va, enum mmu_access acc, unsigned mmu_idx,
		     uint64_t *gpa);

/* Guest-physical access for page walks, through the p2m (RAM only): 0 or
 * -EFAULT. Writes invalidate TBs on code pages. */
int cpu_phys_read(struct cpu *cpu, uint64_t gpa, void *buf, size_t len);
int cpu_phys_write(struct cpu *cpu, uint64_t gpa, const void *buf, size_t len);

/* Invalidate this CPU's TLB (all contexts) and jump cache. */
void cpu_tlb_flush(struct cpu *cpu);
void cpu_tlb_flush_page(struct cpu *cpu, uint64_t va);

/* Copy to/from guest-virtual memory as the CPU would see it with mmu_idx
 * (no faults raised, no A/D updates): 0, or -EFAULT. */
int cpu_virt_read(struct cpu *cpu, uint64_t va, unsigned mmu_idx, void *buf, size_t len);
int cpu_virt_write(struct cpu *cpu, uint64_t va, unsigned mmu_idx, const void *buf, size_t len);

#endif
