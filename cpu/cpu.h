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
struct cpu_gdb_ops;
struct tb;
struct tb_cache;
struct translator;
struct p2m;
struct trace;
struct ir_func;
struct sv_snap_w;
struct sv_snap_r;

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
	/* Registers and target description for the gdb stub (cpu/gdb.h; may be NULL). */
	const struct cpu_gdb_ops *gdb;
	/* Snapshots: the architectural state (include/sv/snap.h); load
	 * returns 0 or a negative errno after sv_snap_fail. */
	void (*save)(struct cpu *cpu, struct sv_snap_w *w);
	int (*load)(struct cpu *cpu, struct sv_snap_r *r);
};

/*
 * TB flag bits owned by the generic core (debugging); get_tb_key's arch flags
 * must stay below bit 56. The run loop adds them to the key, so a TB made for
 * single-stepping is never run in normal mode and vice versa.
 */
#define CPU_TB_FLAG_SSTEP (1ull << 63) /* one instruction per TB */
#define CPU_TB_FLAG_NOBP (1ull << 62)  /* no breakpoint check on the first insn */
#define CPU_TB_FLAGS_CORE (CPU_TB_FLAG_SSTEP | CPU_TB_FLAG_NOBP)

/* Why cpu_exec() returned CPU_STOP_DEBUG. */
enum cpu_debug_reason {
	CPU_DEBUG_NONE,
	CPU_DEBUG_BREAKPOINT, /* pc is at a breakpoint; its instruction has not run */
	CPU_DEBUG_STEP,       /* single step: one instruction retired (or an exception
				 was delivered to the guest instead) */
	CPU_DEBUG_WATCHPOINT, /* the instruction at pc would access a watched range
				 (cpu->watch_hit_addr, watch_hit_kind); it has not run */
};

/* Watchpoint kinds (bits). */
enum cpu_watch_kind {
	CPU_WATCH_WRITE = 1,
	CPU_WATCH_READ = 2,
	CPU_WATCH_ACCESS = 3,
};

struct cpu_watchpoint {
	uint64_t va, len;
	unsigned kind; /* enum cpu_watch_kind */
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
	/* Where the current TB chain must stop: icount + budget, or the
	 * deadline if that comes first (set by the run loop; icount + budget
	 * does not change while TBs run, so neither does this). */
	uint64_t icount_limit;
	uint64_t insn_pc;  /* pc of the instruction being executed */
	uint32_t insn_idx; /* its index in the current TB */

	volatile int exit_request;
	bool in_tb;       /* a TB is executing (icount is pre-credited) */
	bool halted;      /* waiting for an interrupt */
	bool single_step; /* one instruction per TB, stop after each */

	/*
	 * Debugging (see "Breakpoints and single step" below). breakpoints is
	 * a GHashTable of guest-virtual pcs (the TB key pc) -> reference count,
	 * NULL while there are none. bp_hit is set by a breakpoint TB (IR
	 * stores 1 into it). After a CPU_STOP_DEBUG at pc, the next cpu_exec
	 * runs the instruction at pc even if it has a breakpoint (resume_pc).
	 */
	struct _GHashTable *breakpoints;
	uint8_t bp_hit;
	bool resume_valid;
	uint64_t resume_pc;
	enum cpu_debug_reason debug_reason;
	/* Watchpoints: checked in the softmmu slow path (pages holding one
	 * are filled SLOW for reads and writes). watch_skip: the next
	 * instruction (at resume_pc) runs with them off, alone in a TB. */
	struct cpu_watchpoint *watchpoints;
	unsigned n_watchpoints;
	bool watch_skip, watch_off, watch_hit;
	uint64_t watch_hit_addr;
	unsigned watch_hit_kind;

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

/*
 * Would a TB of n instructions run past the budget or the deadline? The run
 * loop and chaining then stop short (cpu/exec.c), so the budget and
 * icount_deadline are exact: cpu_exec returns with icount = start + budget
 * (unless an exit or debug stop came first) and interrupts are checked at
 * icount_deadline itself, whatever the TBs' shapes (breakpoints and
 * single-stepping change them). Replay and reverse execution rely on it.
 */
static inline bool cpu_tb_too_long(const struct cpu *cpu, uint32_t n)
{
	return cpu->icount + n > cpu->icount_limit;
}

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

/* Guest-physical access for page walks, through the p2m (RAM, and the
 * hv-owned table frames only walkers may read: P2M_HV_TABLE): 0 or -EFAULT.
 * Writes invalidate TBs on code pages. */
int cpu_phys_read(struct cpu *cpu, uint64_t gpa, void *buf, size_t len);
int cpu_phys_write(struct cpu *cpu, uint64_t gpa, const void *buf, size_t len);

/* Invalidate this CPU's TLB (all contexts) and jump cache. */
/* Snapshots (cpu/snapshot.c): instruction count and run state, then the
 * arch's registers; load flushes the TLB and the jump cache (the caller
 * drops the TB cache). */
void cpu_save(struct cpu *cpu, struct sv_snap_w *w);
int cpu_load(struct cpu *cpu, struct sv_snap_r *r);
void cpu_tlb_flush(struct cpu *cpu);
void cpu_tlb_flush_page(struct cpu *cpu, uint64_t va);

/*
 * Breakpoints and single step (the gdb stub's core support).
 *
 * A breakpoint is a guest-virtual pc (as in the TB key: x86 linear address,
 * POWER effective address). The translator checks each instruction's pc
 * before translating it: at a breakpoint it ends the TB before that
 * instruction, and a TB that would start there consists of nothing but a
 * stop, so cpu_exec returns CPU_STOP_DEBUG (debug_reason BREAKPOINT) with the
 * architected state exactly as before that instruction, icount included.
 * Inserting or removing a breakpoint invalidates every TB whose code covers
 * the pc (chains into them are unlinked), so already translated and chained
 * loops see it at once. Guest memory is never patched.
 *
 *     cpu_breakpoint_insert(cpu, 0x1010);
 *     cpu_exec(cpu, budget)  -> CPU_STOP_DEBUG, pc = 0x1010, insn not run
 *     cpu_exec(cpu, budget)  -> runs the insn at 0x1010 (resume), goes on
 *
 * Single step: with cpu->single_step set (cpu_set_single_step), TBs hold one
 * instruction (their key has CPU_TB_FLAG_SSTEP, so they never mix with
 * normal TBs) and cpu_exec returns CPU_STOP_DEBUG (STEP) after exactly one
 * instruction retired, or after a fault was delivered to the guest instead
 * (pc = the handler). An exit (VMCALL, HDSI...) returns CPU_STOP_EXIT as
 * usual: the caller lets hv handle it, and the instruction is done if hv
 * emulated it.
 *
 * CPUs sharing a TB cache must have the same breakpoints (TBs made by one
 * run on all): the gdb stub inserts each one on every vcpu.
 */
int cpu_breakpoint_insert(struct cpu *cpu, uint64_t pc);
/* 0, or -ENOENT if there is no breakpoint at pc. */
int cpu_breakpoint_remove(struct cpu *cpu, uint64_t pc);
void cpu_breakpoint_remove_all(struct cpu *cpu);
bool cpu_breakpoint_at(const struct cpu *cpu, uint64_t pc);
void cpu_set_single_step(struct cpu *cpu, bool on);

/*
 * Watchpoints on guest-virtual ranges [va, va + len), by kind. A load or
 * store that overlaps one (through cpu_ld/cpu_st: the TLB sends every
 * access to a page holding a watchpoint to the slow path) abandons its
 * instruction, and cpu_exec returns CPU_STOP_DEBUG (WATCHPOINT) with the pc
 * at that instruction, nothing of it done, and watch_hit_addr/kind set. The
 * next cpu_exec runs that instruction alone with watchpoints off, then goes
 * on. Accesses hv makes (copy_to_guest) and x86 event delivery are not
 * watched. insert: 0, -EINVAL (len 0, kind 0) or -ENOTSUP (the arch's
 * cpu_gdb_ops cannot set the pc of an abandoned instruction); remove: 0 or
 * -ENOENT.
 */
int cpu_watchpoint_insert(struct cpu *cpu, uint64_t va, uint64_t len, unsigned kind);
int cpu_watchpoint_remove(struct cpu *cpu, uint64_t va, uint64_t len, unsigned kind);
void cpu_watchpoint_remove_all(struct cpu *cpu);

/* Copy to/from guest-virtual memory as the CPU would see it with mmu_idx
 * (no faults raised, no A/D updates): 0, or -EFAULT. */
int cpu_virt_read(struct cpu *cpu, uint64_t va, unsigned mmu_idx, void *buf, size_t len);
int cpu_virt_write(struct cpu *cpu, uint64_t va, unsigned mmu_idx, const void *buf, size_t len);

#endif
