/*
 * The hypervisor: domains, vcpus, and what every architecture shares.
 *
 * One struct hv per machine (two machines in one process must work: nothing
 * here is global). A domain owns a p2m over the machine's frames, a TB cache,
 * its vcpus and its personality's hypercall table. A vcpu pairs an emulated
 * CPU (cpu/) with the arch shim (hv/x86, hv/ppc) that turns that CPU's
 * architected exits into calls of the common modules.
 *
 * The flow of one hypercall (x86):
 *   guest VMCALL -> cpu_exec returns CPU_STOP_EXIT, reason 18
 *   -> hv_vcpu_handle_exit -> hv_x86_handle_exit (trace, stats, decode regs)
 *   -> hv_hypercall_dispatch (validate, trace) -> do_console_io(...)
 *   -> result in rax, rip += instruction length -> cpu_exec again.
 *
 * The flow of one event (x86, a timer):
 *   run driver: hv_vcpu_prepare_run -> budget ends at the singleshot deadline
 *   -> cpu_exec stops there -> hv_time_fire -> hv_evtchn_send_virq(VIRQ_TIMER)
 *   -> 2-level set_pending: shared_info bits, vcpu_info selector and
 *      evtchn_upcall_pending -> hv_x86_upcall_update injects the callback
 *      vector through the VMCS -> the guest's handler runs.
 * Modules: hv/evtchn.c (ports), hv/shared_info.c (the shared page),
 * hv/time.c (pvclock, timers), hv/sched.c (blocking, virtual time),
 * hv/evtchn_fifo.c (the FIFO ABI), hv/memory.c, hv/vcpu_op.c, hv/hvm_op.c,
 * hv/grant_table.c (hypercalls).
 */
#ifndef SV_HV_HV_H
#define SV_HV_HV_H

#include <stdio.h>

#include <glib.h>

#include "cpu/cpu.h"
#include "sv/trace.h"
#include "mmu/machmem.h"
#include "mmu/p2m.h"
#include "hv/xen_abi.h"

struct vcpu;
struct domain;
struct hv_hypercall_table;
struct hv_evtchn;
struct hv_evtchn_port_ops;
struct hv_evtchn_fifo;
struct hv_gnttab;
struct papr_domain;
struct hv_x86_vcpu;
struct sv_snap_w;
struct sv_snap_r;

enum hv_arch {
	HV_ARCH_X86_64,
	HV_ARCH_PPC64,
};

enum hv_personality {
	HV_PERSONALITY_XEN,
	HV_PERSONALITY_PAPR,
};

/*
 * What a personality brings to its domains (hv/xen_hypercalls.c for Xen,
 * hv/ppc/papr.c for PAPR): its hypercall table and its per-domain state.
 * The common modules reach a personality only through this.
 */
struct hv_personality_ops {
	const char *name;
	const struct hv_hypercall_table *hypercalls;
	/* Set up and free the personality's state of d (NULL: none); destroy
	 * also runs after a failed init. */
	int (*domain_init)(struct domain *d);
	void (*domain_destroy)(struct domain *d);
};

extern const struct hv_personality_ops hv_xen_personality;
extern const struct hv_personality_ops hv_papr_personality;

/* Xen's shutdown reasons (public/sched.h SHUTDOWN_*). */
enum hv_shutdown {
	HV_SHUTDOWN_POWEROFF = 0,
	HV_SHUTDOWN_REBOOT = 1,
	HV_SHUTDOWN_SUSPEND = 2,
	HV_SHUTDOWN_CRASH = 3,
	HV_SHUTDOWN_WATCHDOG = 4,
	HV_SHUTDOWN_SOFT_RESET = 5,
};

/* What the run driver should do after an exit was handled. */
enum hv_exit_action {
	HV_RESUME,  /* run the vcpu again */
	HV_BLOCK,   /* the vcpu waits for an event */
	HV_STOP,    /* the domain shut down (or crashed) */
	HV_PREEMPT, /* the arch's slice timer expired (POWER HDEC): the turn is over */
};

/* Per-architecture part of the hypervisor (hv/x86, hv/ppc). */
struct hv_arch_ops {
	const char *name;
	/* Handle the exit in v->cpu->exit; the one choke point per arch that
	 * feeds trace, stats and dispatch. */
	enum hv_exit_action (*handle_exit)(struct vcpu *v);
	/* The softmmu context of the vcpu's data accesses right now: guest
	 * pointers in hypercalls are translated as the caller would. */
	unsigned (*data_mmu_idx)(struct vcpu *v);
	/* Byte order of the guest's data structures right now. */
	bool (*guest_big_endian)(struct vcpu *v);
	/* Name of an exit reason, for stats ("VMCALL", "HCALL"). */
	const char *(*exit_name)(uint32_t reason);
	/* Line prefix for exits in traces ("VMEXIT", "HV"). */
	const char *exit_tag;
	void (*vcpu_destroy)(struct vcpu *v);
	/* The guest's time-stamp counter now (x86 TSC, POWER time base): the
	 * pvclock's tsc_timestamp. NULL: instructions plus skipped time. */
	uint64_t (*guest_tsc)(struct vcpu *v);
	/* Virtual time skipped ticks while v did not run (blocked or down):
	 * the guest's counters (TSC, time base and the decrementers that
	 * count with it) move on by as much. NULL: none to move. */
	void (*time_skip)(struct vcpu *v, uint64_t ticks);
	/* Event-delivery state of v may have changed (upcall pending or
	 * latched): program the upcall (x86 vector injection or interrupt-
	 * window exit; POWER external interrupt line). May be NULL. */
	void (*upcall_update)(struct vcpu *v);
	/* Could v, halted with HLT, take the upcall interrupt now (x86: IF=1
	 * and a callback vector set)? NULL: never. */
	bool (*halt_wakeable)(struct vcpu *v);
	/* HV_BLOCK_ARCH: may v run again (it may consume what woke it), and
	 * the earliest time (ns) something could wake it (HV_TIME_NONE:
	 * nothing scheduled). NULL: never / none. */
	bool (*wake_ready)(struct vcpu *v);
	uint64_t (*wake_deadline)(struct vcpu *v);
	/* VCPUOP_initialise: load v's start state from the guest structure
	 * at arg as the caller translates it (x86: struct vcpu_hvm_context).
	 * 0 or a negative Xen error; NULL: the platform has none (-ENOSYS). */
	long (*vcpu_initialise)(struct vcpu *caller, struct vcpu *v, uint64_t arg);
	/* The arch's own timers (x86 local APIC timer): the earliest deadline
	 * (ns, HV_TIME_NONE: none), and firing those that are due. NULL: none.
	 * A halted vcpu (HV_BLOCK_HALT) also wakes by wake_ready /
	 * wake_deadline when they are set. */
	uint64_t (*timer_deadline)(struct vcpu *v);
	void (*timer_fire)(struct vcpu *v);
	/* VCPUOP_send_nmi: make an NMI pending on v (x86: its local APIC's
	 * NMI, taken even with IF=0). NULL: the architecture has no NMI to
	 * send (-ENOSYS, as Xen on Arm). */
	void (*send_nmi)(struct vcpu *v);
	/* Time slices by an architected timer (POWER: the hypervisor
	 * decrementer). begin_turn arms it to expire after quantum retired
	 * instructions, which then ends the turn with an exit whose handler
	 * returns HV_PREEMPT, and returns true; end_turn disarms it. NULL (or
	 * false): the run driver counts the quantum itself (x86). */
	bool (*begin_turn)(struct vcpu *v, uint64_t quantum);
	void (*end_turn)(struct vcpu *v);
	/* Snapshots (hv/snapshot.c): the arch's part of a vcpu (x86: the
	 * local APIC) and of a domain (the PAPR partition); NULL: none. Load
	 * returns 0 or a negative errno after sv_snap_fail. */
	void (*vcpu_save)(struct vcpu *v, struct sv_snap_w *w);
	int (*vcpu_load)(struct vcpu *v, struct sv_snap_r *r);
	void (*domain_save)(struct domain *d, struct sv_snap_w *w);
	int (*domain_load)(struct domain *d, struct sv_snap_r *r);
};

/* Why a blocked vcpu waits (hv/sched.c). */
enum hv_block_kind {
	HV_BLOCK_NONE,
	HV_BLOCK_HALT,  /* x86 HLT: until the upcall or an arch interrupt can be taken */
	HV_BLOCK_SCHED, /* SCHEDOP_block: until an upcall is pending */
	HV_BLOCK_POLL,  /* SCHEDOP_poll: until a polled port is pending or the timeout */
	HV_BLOCK_ARCH,  /* the arch's own wait (PAPR H_CEDE): until arch->wake_ready */
};

/*
 * A guest structure hv updates from then on (the pvclock and runstate
 * areas of vcpu_op): its guest-virtual address is resolved to guest-physical
 * pieces when the guest registers it (it may straddle a page boundary).
 */
struct hv_guest_area {
	bool on;
	uint32_t len, len0; /* bytes, and how many are in the first page */
	uint64_t gpa[2];
};

#define HV_POLL_MAX_PORTS 128 /* Xen's limit on sched_poll.nr_ports */
#define HV_NR_WATCHDOGS 2     /* Xen's NR_DOMAIN_WATCHDOG_TIMERS */
#define HV_TIME_NONE UINT64_MAX

struct vcpu {
	struct domain *d;
	unsigned id;
	struct cpu *cpu;
	const struct hv_arch_ops *arch;
	bool blocked;
	uint64_t n_exits;
	/* Xen's VPF_down and is_initialised: a down vcpu never runs (its
	 * clock follows the domain's, as a blocked one's); VCPUOP_initialise
	 * loads a start state once, VCPUOP_up starts it. */
	bool down;
	bool initialised;
	/* The hypercall being handled asked to be restarted with these
	 * arguments (hv_hypercall_create_continuation): the arch shim rewrites
	 * the argument registers and leaves the PC on the call instruction. */
	bool hcall_preempted;
	uint64_t hcall_args[6];

	/* SCHEDOP_yield: the run driver ends v's turn (and clears this). */
	bool yielded;

	/* Blocking (hv/sched.c). */
	enum hv_block_kind block;
	uint64_t poll_timeout_ns; /* HV_TIME_NONE: none */
	uint32_t poll_ports[HV_POLL_MAX_PORTS];
	unsigned n_poll_ports;

	/* vcpu_info placement (VCPUOP_register_vcpu_info): a frame with a
	 * reference held, or -1 for the slot in shared_info. */
	int64_t vcpu_info_mfn;
	uint32_t vcpu_info_off;
	/* The upcall was raised (0 -> 1 of evtchn_upcall_pending) and not yet
	 * delivered; the per-vcpu callback vector (HVMOP_set_evtchn_upcall_vector). */
	bool upcall_latched;
	uint8_t upcall_vector;

	/* Time (hv/time.c), in ns of system time. */
	uint64_t singleshot_ns; /* HV_TIME_NONE: stopped */
	uint64_t periodic_period_ns, periodic_next_ns;
	/* Virtual time that passed while the vcpu did not run (blocked or
	 * down): its clock is its instructions plus this (hv/time.h). */
	uint64_t idle_ns;
	/* VCPUOP_register_vcpu_time_memory_area / _runstate_memory_area. */
	struct hv_guest_area time_area, runstate_area;

	/* Event channels bound to per-vcpu VIRQs (global ones on vcpu 0). */
	uint32_t virq_to_port[NR_VIRQS];

	/* x86: the local APIC and activity state (hv/x86/x86.h), else NULL. */
	struct hv_x86_vcpu *x86;
};

/* Sub-operation keys: number * HV_STATS_SUBOPS + sub-operation. */
#define HV_STATS_SUBOPS 256

struct hv_stats {
	GHashTable *exits;            /* reason (uint32) -> count */
	GHashTable *hypercalls;       /* number -> count */
	GHashTable *hypercall_subops; /* number and sub-operation -> count */
	uint64_t hypercall_errors;
};

struct domain {
	struct hv *hv;
	uint16_t domid;
	enum hv_arch arch;
	enum hv_personality personality;
	const struct hv_personality_ops *pers;
	const struct hv_hypercall_table *hypercalls;
	struct p2m *p2m;
	struct tb_cache *tbc;
	uint64_t ram_bytes;
	struct vcpu **vcpus;
	unsigned n_vcpus;

	bool shut_down;
	unsigned shutdown_reason; /* enum hv_shutdown */
	unsigned shutdown_code;   /* SCHEDOP_shutdown_code, reported on crash */
	char crash_msg[160];      /* why hv crashed the domain, if it did */

	GString *console_line; /* console output not yet flushed (no newline) */
	struct hv_stats stats;

	/* Byte order of shared structures (shared_info, vcpu_info, time
	 * areas): fixed when the vcpus are created (POWER big-endian guests). */
	bool big_endian;
	/* vm_assist types the guest enabled (hv/vm_assist.c). */
	uint64_t vm_assist;
	/* SCHEDOP_watchdog timers (Xen's NR_DOMAIN_WATCHDOG_TIMERS): the
	 * system time (ns) at which each shuts the domain down, HV_TIME_NONE
	 * when free. */
	uint64_t watchdog_ns[HV_NR_WATCHDOGS];
	/* The domain this one serves as a device model (Xen's d->target,
	 * XEN_DOMCTL_set_target): it may map that domain's memory with
	 * XENMAPSPACE_gmfn_foreign. DOMID_INVALID: none. */
	uint16_t target;
	/* Memory accounting (XENMEM_current/maximum_reservation). */
	uint64_t tot_pages, max_pages;
	/* The shared_info frame (owned by hv: a reference held) and where the
	 * guest mapped it (XENMEM_add_to_physmap), or HV_GFN_NONE. */
	uint64_t shared_info_mfn;
	uint64_t shared_info_gfn;
	/* Event channels (hv/evtchn.c). */
	struct hv_evtchn *evtchn;
	unsigned n_evtchn;
	const struct hv_evtchn_port_ops *evtchn_ops;
	struct hv_evtchn_fifo *evtchn_fifo; /* the FIFO ABI's state, or NULL */
	/* Grant table (hv/grant_table.c). */
	struct hv_gnttab *gnttab;
	/* The PAPR personality's partition state (hv/ppc/papr.h), or NULL. */
	struct papr_domain *papr;
	/* HVM parameters (hvm_op). */
	uint64_t hvm_params[HVM_NR_PARAMS];
	/* Backends serving this domain (struct hv_device). */
	struct hv_device *devices;
};

#define HV_GFN_NONE UINT64_MAX

/*
 * A backend attached to a domain (devices/: the Xen console, xenstore): its
 * destroy runs when the domain is destroyed, before the event channels and
 * the p2m go, most recently attached first.
 */
struct hv_device {
	const char *name;
	void (*destroy)(struct hv_device *dev);
	struct hv_device *next;
};

void hv_domain_attach_device(struct domain *d, struct hv_device *dev);
/* Detach dev (its destroy is not called). */
void hv_domain_detach_device(struct domain *d, struct hv_device *dev);

/* Where guest console output goes and console input comes from (the
 * frontend decides; its input layer delivers input at deterministic points,
 * so read only returns what was delivered before the caller's exit). */
struct hv_console_sink {
	void (*write)(void *opaque, struct domain *d, const char *buf, size_t len);
	/* Copy up to len bytes of delivered input into buf and, if consume,
	 * take them; returns how many (read may be NULL: no input). */
	size_t (*read)(void *opaque, struct domain *d, char *buf, size_t len, bool consume);
	void *opaque;
};

struct hv {
	struct machmem mem;
	GPtrArray *domains;
	struct trace trace;
	struct hv_console_sink console;
	uint16_t next_domid;
};

/* Frames reserved beyond guest RAM for hv's own pages (shared_info, ...). */
#define HV_OWN_FRAMES 1024

/* machine_bytes: the guests' RAM (hv adds HV_OWN_FRAMES for itself, and
 * room for PAPR hashed page tables: RAM/128 rounded up, at most RAM/64). */
int hv_init(struct hv *hv, uint64_t machine_bytes);
void hv_destroy(struct hv *hv);

/* Create a domain with RAM [0, ram_bytes). Returns NULL with *err set. */
struct domain *hv_domain_create(struct hv *hv, enum hv_arch arch, enum hv_personality pers,
				uint64_t ram_bytes, int *err);
void hv_domain_destroy(struct domain *d);
/* Add a vcpu around an already created CPU (the arch shim does this). It is
 * initialised and up, as the boot vcpu; a platform whose secondary vcpus
 * wait for VCPUOP_initialise/up (Xen's PVH APs) calls hv_vcpu_start_offline. */
struct vcpu *hv_vcpu_add(struct domain *d, struct cpu *cpu, const struct hv_arch_ops *arch);
void hv_vcpu_start_offline(struct vcpu *v);

/* Shut the domain down for reason (idempotent: the first reason wins). */
void hv_domain_shutdown(struct domain *d, unsigned reason);
/* Crash the domain for a reason hv found (guest bug), with a message. */
void hv_domain_crash(struct domain *d, const char *fmt, ...) SV_PRINTF(2, 3);

/* Handle the exit the vcpu's CPU just returned. */
enum hv_exit_action hv_vcpu_handle_exit(struct vcpu *v);
/* The domain with id domid in hv, or NULL. */
struct domain *hv_domain_by_id(struct hv *hv, uint16_t domid);

/*
 * Scheduling for the run driver (hv/sched.c). One round:
 *
 *     if (!hv_vcpu_runnable(v)) skip;            fires due timers, wakes v
 *     budget = hv_vcpu_prepare_run(v, quantum);  upcall, timer deadline
 *     cpu_exec(v->cpu, budget); handle the exit;
 *   after the round: hv_domain_sync_time(d), or when every vcpu is blocked
 *   hv_domain_idle(d) (false: nothing can ever wake them, a deadlock).
 */
void hv_vcpu_block(struct vcpu *v, enum hv_block_kind kind);
/* Write v's registered runstate area (hv/vcpu_op.c). */
void hv_vcpu_update_runstate(struct vcpu *v);
bool hv_vcpu_runnable(struct vcpu *v);
/*
 * A turn of v (quantum retired instructions): hv_vcpu_begin_turn catches v
 * up with the domain's front and arms the arch's slice timer; true if that
 * timer ends the turn (an exit handled as HV_PREEMPT), false if the driver
 * must stop at quantum itself. hv_vcpu_end_turn after the last slice.
 */
bool hv_vcpu_begin_turn(struct vcpu *v, uint64_t quantum);
void hv_vcpu_end_turn(struct vcpu *v);
int64_t hv_vcpu_prepare_run(struct vcpu *v, int64_t quantum);
void hv_domain_sync_time(struct domain *d);
bool hv_domain_idle(struct domain *d);
/* The same over every domain of hv not shut down: one timeline for all
 * (a machine with several domains). */
void hv_sync_time(struct hv *hv);
bool hv_idle(struct hv *hv);

/* Empty the physmap slot gfn of d before something else is mapped there
 * (hv/memory.c): d's own RAM page is released, a foreign mapping dropped,
 * hv's pages (shared_info, grant-table frames) unhooked; a grant mapping
 * (-EBUSY), MMIO and hv tables (-EPERM) stay. keep_mfn: a frame that may
 * stay (mapping it again where it is). 0 or a negative Xen error. */
int hv_physmap_clear(struct domain *d, uint64_t gfn, uint64_t keep_mfn);

/* Guest memory access for hypercalls (DESIGN.md §6): 0 or -EFAULT. */
int hv_copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int hv_copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);
/* Is gpa in writable RAM of d? */
bool hv_gpa_ram_rw(struct domain *d, uint64_t gpa);
/* Register a guest area of len bytes at gva as the caller translates it
 * (writable RAM): 0 or -XEN_EFAULT. */
int hv_guest_area_register(struct vcpu *caller, struct hv_guest_area *a, uint64_t gva,
			   uint32_t len);
/* Copy a registered area in or out (at most a->len bytes): 0 or -EFAULT. */
int hv_guest_area_read(struct domain *d, const struct hv_guest_area *a, void *buf, uint32_t len);
int hv_guest_area_write(struct domain *d, const struct hv_guest_area *a, const void *buf,
			uint32_t len);
/* Guest-endian scalar fields of guest structures. */
uint16_t hv_guest_u16(struct vcpu *v, const void *p);
void hv_guest_put_u16(struct vcpu *v, void *p, uint16_t x);
uint32_t hv_guest_u32(struct vcpu *v, const void *p);
void hv_guest_put_u32(struct vcpu *v, void *p, uint32_t x);
uint64_t hv_guest_u64(struct vcpu *v, const void *p);
void hv_guest_put_u64(struct vcpu *v, void *p, uint64_t x);

/* Console output from a domain (buffered per line, flushed at exit). */
void hv_console_write(struct domain *d, const char *buf, size_t len);
void hv_console_flush(struct domain *d);
/* Console input for a domain's polled consoles (CONSOLEIO_read, the PAPR
 * vty): up to len bytes, 0 if none is waiting; peek leaves them waiting. */
size_t hv_console_read(struct domain *d, char *buf, size_t len, bool peek);
/* Console input for d's polled consoles was delivered: VIRQ_CONSOLE (the
 * interrupt of a PAPR partition's vty is bound to it). */
void hv_console_input(struct domain *d);

/* One trace line "ICOUNT dDvV " + the formatted text, if category cat is
 * on (include/sv/trace.h). */
void hv_trace(struct vcpu *v, unsigned cat, const char *fmt, ...) SV_PRINTF(3, 4);

/* Stats. */
void hv_stats_exit(struct vcpu *v, uint32_t reason);
void hv_stats_print(struct domain *d, FILE *out);
/* Instructions retired by all the domain's vcpus (no idle time). */
uint64_t hv_domain_icount(const struct domain *d);

/* Snapshots (hv/snapshot.c): the whole hypervisor state; load fills a
 * machine built from the same image and options. 0 or a negative errno
 * (the reader holds the message). */
void hv_save(struct hv *hv, struct sv_snap_w *w);
int hv_load(struct hv *hv, struct sv_snap_r *r);

const char *hv_arch_name(enum hv_arch a);
const char *hv_shutdown_name(unsigned reason);

#endif
