/*
 * A machine: the hypervisor, the guest domains booted from images (KERNEL,
 * then each --domain), and the run driver that schedules their vcpus.
 */
#ifndef SV_FRONTEND_MACHINE_H
#define SV_FRONTEND_MACHINE_H

#include "frontend/image.h"
#include "frontend/input.h"
#include "frontend/reverse.h"
#include "frontend/options.h"
#include "devices/console.h"
#include "devices/xen_blkback.h"
#include "devices/xen_console.h"
#include "devices/xenstore.h"
#include "hv/hv.h"

/* A further guest domain (--domain): its image and where its console goes. */
struct sv_guest {
	struct domain *dom;
	uint8_t *data; /* the image file, which img points into */
	uint64_t hash; /* of the image file (snapshots, --record) */
	struct sv_image img;
	struct console_backend console; /* console=file:PATH, else unused */
	bool own_console;
	struct xenstore *xenstore; /* its xenstore connection (x86-64), or NULL */
};

struct sv_machine {
	struct hv hv;
	struct domain *dom;      /* the KERNEL's domain (domain 1) */
	struct sv_guest *guests; /* the --domain ones, n_guests of them */
	unsigned n_guests;
	struct console_backend console;
	struct xs_store *xs;                /* the xenstore database (Xen personality) */
	struct xen_console *xen_console;    /* the domain's console ring, or NULL */
	struct sv_input input;              /* console input (frontend/input.h) */
	uint64_t kernel_hash, initrd_hash;  /* what a replay log must match */
	const struct sv_image *img;         /* what the machine was built from */
	struct sv_reverse rev;              /* gdb's reverse execution */
	struct sv_reverse_history rev_hist; /* its in-memory snapshots */
	unsigned generation;                /* rebuilds so far */
	FILE *trace_out;
	bool own_trace;
	struct sv_gdb *gdb;                      /* --gdb: the remote stub's session, or NULL */
	struct xen_blkback *disks[SV_MAX_DISKS]; /* --disk backends */
	struct xenstore *xenstore;               /* the domain's xenstore connection, or NULL */
	GByteArray *restore_input; /* --restore: the input layer's part, until it opens */
	uint64_t restore_hash;     /* --restore: XXH3 of the image (a log must match) */
	bool snapshot_done;        /* --snapshot-at: taken */
	char *savevm_path;         /* gdb's monitor savevm: saved at the next round */
};

/* Build the machine for image (already parsed). Exit status on failure
 * (message printed), or -1 on success. */
int sv_machine_create(struct sv_machine *m, const struct sv_options *o, const struct sv_image *img);
/* Run to the end; returns the exit status of DESIGN.md §8. */
int sv_machine_run(struct sv_machine *m, const struct sv_options *o);
void sv_machine_destroy(struct sv_machine *m);
/* Instructions retired by every vcpu of every domain (--snapshot-at). */
uint64_t sv_machine_icount(struct sv_machine *m);
/* Reverse execution: the machine back at its start state (same console,
 * traces, gdb session and input history). Exit status on failure, else -1. */
int sv_machine_rebuild(struct sv_machine *m, const struct sv_options *o);
/* Reverse execution: the machine back at an in-memory snapshot of this
 * run (loaded over it: every object stays, the gdb session's breakpoints
 * too). Exit status on failure, else -1. */
int sv_machine_rewind(struct sv_machine *m, const struct sv_options *o, const uint8_t *img,
		      size_t len);
/* The re-execution reached its point: traces on again. */
void sv_machine_reexec_done(struct sv_machine *m, const struct sv_options *o);

#endif
