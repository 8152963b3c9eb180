/*
 * The command line (DESIGN.md §8 is the contract; man/softvisor.1 documents
 * it). Parsing is GOptionContext; validation names the bad value.
 */
#ifndef SV_FRONTEND_OPTIONS_H
#define SV_FRONTEND_OPTIONS_H

#include "sv/common.h"

enum sv_console_kind {
	SV_CONSOLE_STDIO,
	SV_CONSOLE_NONE,
	SV_CONSOLE_FILE,
	SV_CONSOLE_SDL,
};

/* One --disk=FILE[,ro]. */
struct sv_disk {
	char *path;
	bool ro;
};

#define SV_MAX_DISKS 16 /* xvda..xvdp */

/* One --domain=IMAGE[,memory=SIZE][,vcpus=N][,name=NAME][,console=file:PATH]
 * [,target=N]:
 * another guest domain in the same machine (domain ids follow the order:
 * KERNEL is 1, the first --domain 2, ...). */
struct sv_domain_spec {
	char *image;
	uint64_t memory;    /* bytes (default: --memory) */
	int vcpus;          /* default 1 */
	char *name;         /* xenstore name (default "guestN") */
	char *console_path; /* NULL: the machine's console, lines prefixed "[dN] " */
	unsigned target;    /* target=N: the domain it serves (foreign maps), 0: none */
};

#define SV_MAX_DOMAINS 8 /* guest domains in one machine, KERNEL included */

struct sv_options {
	char *kernel; /* NULL: the built-in demo guest */
	char *arch;   /* "x86_64", "ppc64" or NULL (from the image) */
	char *platform;
	char *cpu;       /* ppc64 CPU model: "power8", "power9" or NULL (default) */
	char *intercept; /* x86-64: extra VM exits (hv_x86_intercept) or NULL */
	uint64_t memory; /* bytes */
	int vcpus;
	char *initrd;
	char *cmdline;
	char **disks;         /* the --disk arguments as given */
	struct sv_disk *disk; /* parsed, n_disks of them */
	unsigned n_disks;
	char **domain_args;          /* the --domain arguments as given */
	struct sv_domain_spec *doms; /* parsed, n_doms of them */
	unsigned n_doms;
	enum sv_console_kind console;
	char *console_path;
	char *record, *replay, *gdb;
	uint64_t digest_interval; /* --digest-interval; 0: the default */
	/* Snapshots (frontend/snapshot.h). */
	bool snapshot_on;          /* --snapshot-at given */
	uint64_t snapshot_at;      /* instructions retired (all vcpus) */
	char *snapshot_file;       /* --snapshot-file */
	char *restore;             /* --restore */
	uint64_t reverse_interval; /* --reverse-interval (0: none) */
	bool reverse_interval_set; /* given: exactly that, not adapted */
	unsigned trace_mask;
	char *trace_file;
	bool stats;
	double timeout; /* seconds; 0 = none */
};

/* Exit statuses (DESIGN.md §8). */
enum {
	SV_EXIT_POWEROFF = 0,
	SV_EXIT_USAGE = 1,
	SV_EXIT_CRASH = 2,
	SV_EXIT_REBOOT = 3,
	SV_EXIT_TIMEOUT = 4,
};

/* Parse `softvisor run` arguments (argv[0] is "run"). Returns false after
 * printing a message naming the problem. */
bool sv_options_parse_run(int argc, char **argv, struct sv_options *o);
void sv_options_free(struct sv_options *o);
/* Print "softvisor: MESSAGE" on stderr: every diagnostic of the program. */
void sv_error(const char *fmt, ...) SV_PRINTF(1, 2);

/* "512M" -> bytes; false if malformed. */
bool sv_parse_size(const char *s, uint64_t *out);

#endif
