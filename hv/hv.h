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
 */
#ifndef SV_HV_HV_H
#define SV_HV_HV_H

#include <stdio.h>

#include <glib.h>

#include "cpu/cpu.h"
#include "sv/trace.h"
#include "mmu/machmem.h"
#include "mmu/p2m.h"

struct vcpu;
struct domain;
struct hv_hypercall_table;

enum hv_arch {
	HV_ARCH_X86_64,
	HV_ARCH_PPC64,
};

enum hv_personality {
	HV_PERSONALITY_XEN,
	HV_PERSONALITY_PAPR,
};

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
	HV_RESUME, /* run the vcpu again */
	HV_BLOCK,  /* the vcpu waits for an event */
	HV_STOP,   /* the domain shut down (or crashed) */
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
};

struct vcpu {
	struct domain *d;
	unsigned id;
	struct cpu *cpu;
	const struct hv_arch_ops *arch;
	bool blocked;
	uint64_t n_exits;
};

struct hv_stats {
	GHashTable *exits;       /* reason (uint32) -> count */
	uint64_t hypercalls[64]; /* by number (< 64) */
	uint64_t hypercalls_other;
	uint64_t hypercall_errors;
};

struct domain {
	struct hv *hv;
	uint16_t domid;
	enum hv_arch arch;
	enum hv_personality personality;
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
};

/* Where guest console output goes (the frontend decides). */
struct hv_console_sink {
	void (*write)(void *opaque, struct domain *d, const char *buf, size_t len);
	void *opaque;
};

struct hv {
	struct machmem mem;
	GPtrArray *domains;
	struct trace trace;
	struct hv_console_sink console;
	uint16_t next_domid;
};

int hv_init(struct hv *hv, uint64_t machine_bytes);
void hv_destroy(struct hv *hv);

/* Create a domain with RAM [0, ram_bytes). Returns NULL with *err set. */
struct domain *hv_domain_create(struct hv *hv, enum hv_arch arch, enum hv_personality pers,
				uint64_t ram_bytes, int *err);
void hv_domain_destroy(struct domain *d);
/* Add a vcpu around an already created CPU (the arch shim does this). */
struct vcpu *hv_vcpu_add(struct domain *d, struct cpu *cpu, const struct hv_arch_ops *arch);

/* Shut the domain down for reason (idempotent: the first reason wins). */
void hv_domain_shutdown(struct domain *d, unsigned reason);
/* Crash the domain for a reason hv found (guest bug), with a message. */
void hv_domain_crash(struct domain *d, const char *fmt, ...) SV_PRINTF(2, 3);

/* Handle the exit the vcpu's CPU just returned. */
enum hv_exit_action hv_vcpu_handle_exit(struct vcpu *v);

/* Guest memory access for hypercalls (DESIGN.md §6): 0 or -EFAULT. */
int hv_copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int hv_copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);
/* Guest-endian scalar fields of guest structures. */
uint32_t hv_guest_u32(struct vcpu *v, const void *p);
void hv_guest_put_u32(struct vcpu *v, void *p, uint32_t x);
uint64_t hv_guest_u64(struct vcpu *v, const void *p);
void hv_guest_put_u64(struct vcpu *v, void *p, uint64_t x);

/* Console output from a domain (buffered per line, flushed at exit). */
void hv_console_write(struct domain *d, const char *buf, size_t len);
void hv_console_flush(struct domain *d);

/* Stats. */
void hv_stats_exit(struct vcpu *v, uint32_t reason);
void hv_stats_print(struct domain *d, FILE *out);

const char *hv_arch_name(enum hv_arch a);
const char *hv_shutdown_name(unsigned reason);

#endif
