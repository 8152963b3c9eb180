/*
 * `softvisor run` options.
 */
#include "frontend/options.h"
#include "frontend/gdbstub.h"

#include <errno.h>
#include "sv/trace.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

bool sv_parse_size(const char *s, uint64_t *out)
{
	char *end;
	guint64 v;
	unsigned shift = 0;

	if (!s || !*s || *s == '-')
		return false;
	v = g_ascii_strtoull(s, &end, 10);
	if (end == s)
		return false;
	switch (g_ascii_toupper(*end)) {
	case 0: shift = 0; break;
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	default: return false;
	}
	if (*end && end[1] && !(g_ascii_toupper(end[1]) == 'B' && !end[2]) &&
	    !(g_ascii_toupper(end[1]) == 'I' && g_ascii_toupper(end[2]) == 'B' && !end[3]))
		return false;
	if (v > (UINT64_MAX >> shift))
		return false;
	*out = v << shift;
	return true;
}

void sv_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "softvisor: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static void not_yet(const char *what)
{
	sv_error("%s is not implemented yet in this version of softvisor", what);
}

static void sv_domain_spec_free(struct sv_domain_spec *sp)
{
	g_free(sp->image);
	g_free(sp->name);
	g_free(sp->console_path);
}

/* One --domain argument: IMAGE then comma-separated key=value options. */
static bool sv_parse_domain(const char *arg, uint64_t def_memory, struct sv_domain_spec *sp)
{
	char **f = g_strsplit(arg, ",", -1);
	bool ok = false;

	memset(sp, 0, sizeof(*sp));
	sp->memory = def_memory;
	sp->vcpus = 1;
	if (!f[0] || !f[0][0]) {
		sv_error("bad --domain '%s' (IMAGE[,memory=SIZE][,vcpus=N][,name=NAME]"
			 "[,console=file:PATH][,target=N])",
			 arg);
		goto out;
	}
	sp->image = g_strdup(f[0]);
	for (unsigned i = 1; f[i]; i++) {
		char *eq = strchr(f[i], '=');
		const char *val = eq ? eq + 1 : "";

		if (eq)
			*eq = 0;
		if (!strcmp(f[i], "memory") && sv_parse_size(val, &sp->memory) &&
		    sp->memory >= (16ull << 20) && sp->memory <= (64ull << 30) &&
		    !(sp->memory & ~SV_PAGE_MASK)) {
			continue;
		} else if (!strcmp(f[i], "vcpus") && *val) {
			char *end;
			long n = strtol(val, &end, 10);
			if (!*end && n >= 1 && n <= 8) {
				sp->vcpus = (int)n;
				continue;
			}
		} else if (!strcmp(f[i], "name") && *val && !strchr(val, '/') && strlen(val) < 64) {
			g_free(sp->name);
			sp->name = g_strdup(val);
			continue;
		} else if (!strcmp(f[i], "target") && *val) {
			char *end;
			long n = strtol(val, &end, 10);
			if (!*end && n >= 1 && n <= SV_MAX_DOMAINS) {
				sp->target = (unsigned)n;
				continue;
			}
		} else if (!strcmp(f[i], "console") && !strncmp(val, "file:", 5) && val[5]) {
			g_free(sp->console_path);
			sp->console_path = g_strdup(val + 5);
			continue;
		}
		sv_error(
			"bad --domain option '%s%s%s' in '%s' (memory=SIZE of 16M..64G, vcpus=1..8, "
			"name=NAME, console=file:PATH, target=N of 1..8)",
			f[i], eq ? "=" : "", val, arg);
		goto out;
	}
	ok = true;
out:
	if (!ok)
		sv_domain_spec_free(sp);
	g_strfreev(f);
	return ok;
}

bool sv_options_parse_run(int argc, char **argv, struct sv_options *o)
{
	char *memory = NULL, *console = NULL, *trace = NULL, *digest = NULL, **rest = NULL;
	char *snap_at = NULL, *rev_iv = NULL;
	int vcpus = 1;
	double timeout = 0;
	gboolean stats = FALSE;
	GError *err = NULL;
	bool ok = false;
	GOptionEntry entries[] = {
		{ "arch", 0, 0, G_OPTION_ARG_STRING, &o->arch,
		  "x86_64 or ppc64 (default: from the image)", "ARCH" },
		{ "platform", 0, 0, G_OPTION_ARG_STRING, &o->platform,
		  "guest personality: xen or pseries (ppc64)", "NAME" },
		{ "cpu", 0, 0, G_OPTION_ARG_STRING, &o->cpu,
		  "ppc64 CPU model: power8 (hash MMU) or power9 (radix MMU; default)", "MODEL" },
		{ "intercept", 0, 0, G_OPTION_ARG_STRING, &o->intercept,
		  "x86_64: more VM exits to trace: rdtsc,invlpg,mov-dr,exceptions,mtf,"
		  "preemption-timer,cr0,cr3,cr4",
		  "LIST" },
		{ "memory", 0, 0, G_OPTION_ARG_STRING, &memory,
		  "guest memory, e.g. 512M (default 512M)", "SIZE" },
		{ "vcpus", 0, 0, G_OPTION_ARG_INT, &vcpus, "number of vcpus (default 1)", "N" },
		{ "initrd", 0, 0, G_OPTION_ARG_FILENAME, &o->initrd,
		  "initial ramdisk (x86-64: a PVH start-info module)", "FILE" },
		{ "cmdline", 0, 0, G_OPTION_ARG_STRING, &o->cmdline, "kernel command line",
		  "STRING" },
		{ "disk", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->disks,
		  "PV block device backed by FILE (read-only with ,ro; repeatable)", "FILE[,ro]" },
		{ "domain", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->domain_args,
		  "another guest domain from IMAGE in the same machine (repeatable; ids 2, 3, ... "
		  "in order); OPTS: memory=SIZE, vcpus=N, name=NAME, console=file:PATH, target=N",
		  "IMAGE[,OPTS]" },
		{ "console", 0, 0, G_OPTION_ARG_STRING, &console,
		  "stdio|none|file:PATH|sdl (default stdio)", "KIND" },
		{ "record", 0, 0, G_OPTION_ARG_FILENAME, &o->record,
		  "record the run's inputs and state digests to FILE", "FILE" },
		{ "replay", 0, 0, G_OPTION_ARG_FILENAME, &o->replay,
		  "replay a recorded run from FILE, checking its digests", "FILE" },
		{ "digest-interval", 0, 0, G_OPTION_ARG_STRING, &digest,
		  "with --record: instructions between state digests (default: one per byte of "
		  "guest memory, at least 64M)",
		  "N" },
		{ "snapshot-at", 0, 0, G_OPTION_ARG_STRING, &snap_at,
		  "save the machine to --snapshot-file once N instructions have retired (and run on)",
		  "N" },
		{ "snapshot-file", 0, 0, G_OPTION_ARG_FILENAME, &o->snapshot_file,
		  "where --snapshot-at (and gdb's monitor savevm default) saves", "FILE" },
		{ "restore", 0, 0, G_OPTION_ARG_FILENAME, &o->restore,
		  "resume the machine saved in FILE (same image and options)", "FILE" },
		{ "reverse-interval", 0, 0, G_OPTION_ARG_STRING, &rev_iv,
		  "with --gdb: instructions between in-memory snapshots for reverse execution "
		  "(default 2000000, or 4 per byte of a snapshot if more; 0: none, re-execute "
		  "from the start)",
		  "N" },
		{ "gdb", 0, 0, G_OPTION_ARG_STRING, &o->gdb,
		  "wait for gdb on [HOST:]PORT (default host 127.0.0.1) before the first instruction",
		  "[HOST:]PORT" },
		{ "trace", 0, 0, G_OPTION_ARG_STRING, &trace,
		  "trace categories: exits,hypercalls,tb,insn,ir,evtchn,p2m,irq,all", "LIST" },
		{ "trace-file", 0, 0, G_OPTION_ARG_FILENAME, &o->trace_file,
		  "write traces here (default stderr)", "PATH" },
		{ "stats", 0, 0, G_OPTION_ARG_NONE, &stats,
		  "print exit and hypercall counters at the end", NULL },
		{ "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout,
		  "stop the guest after SECONDS (exit status 4)", "SECONDS" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "[KERNEL]" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx =
		g_option_context_new("[KERNEL] - run a guest (no KERNEL: the built-in demo)");

	memset(o, 0, sizeof(*o));
	o->memory = 512ull << 20;
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_help_enabled(ctx, TRUE);
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		sv_error("%s (see softvisor run --help)", err->message);
		g_error_free(err);
		goto out;
	}
	if (rest && rest[0]) {
		if (rest[1]) {
			sv_error("one KERNEL image at most (got '%s' and '%s')", rest[0], rest[1]);
			goto out;
		}
		o->kernel = g_strdup(rest[0]);
	}
	if (o->arch && strcmp(o->arch, "x86_64") && strcmp(o->arch, "ppc64")) {
		sv_error("unknown --arch '%s' (x86_64 or ppc64)", o->arch);
		goto out;
	}
	if (o->platform && strcmp(o->platform, "xen") && strcmp(o->platform, "pseries")) {
		sv_error("unknown --platform '%s' (xen or pseries)", o->platform);
		goto out;
	}
	if (o->cpu && strcmp(o->cpu, "power8") && strcmp(o->cpu, "power9")) {
		sv_error("unknown --cpu '%s' (power8 or power9)", o->cpu);
		goto out;
	}
	if (memory && !sv_parse_size(memory, &o->memory)) {
		sv_error("bad --memory '%s' (a size such as 512M or 1G)", memory);
		goto out;
	}
	if (o->memory < (16ull << 20) || o->memory > (64ull << 30) || (o->memory & ~SV_PAGE_MASK)) {
		sv_error("--memory must be a multiple of 4K between 16M and 64G");
		goto out;
	}
	if (vcpus < 1 || vcpus > 8) {
		sv_error("--vcpus must be between 1 and 8");
		goto out;
	}
	o->vcpus = vcpus;
	for (unsigned i = 0; o->disks && o->disks[i]; i++) {
		const char *spec = o->disks[i], *comma = strrchr(spec, ',');
		size_t len = comma && !strcmp(comma, ",ro") ? (size_t)(comma - spec) : strlen(spec);

		if (i == SV_MAX_DISKS) {
			sv_error("at most %u --disk options", SV_MAX_DISKS);
			goto out;
		}
		if (!len) {
			sv_error("bad --disk '%s' (FILE or FILE,ro)", spec);
			goto out;
		}
		if (!o->disk)
			o->disk = g_new0(struct sv_disk, SV_MAX_DISKS);
		o->disk[i].path = g_strndup(spec, len);
		o->disk[i].ro = len != strlen(spec);
		o->n_disks = i + 1;
	}
	for (unsigned i = 0; o->domain_args && o->domain_args[i]; i++) {
		if (i + 1 == SV_MAX_DOMAINS) {
			sv_error("at most %u --domain options", SV_MAX_DOMAINS - 1);
			goto out;
		}
		if (!o->doms)
			o->doms = g_new0(struct sv_domain_spec, SV_MAX_DOMAINS);
		if (!sv_parse_domain(o->domain_args[i], o->memory, &o->doms[i]))
			goto out;
		o->n_doms = i + 1;
	}
	if (o->n_doms && (o->gdb || o->record || o->replay)) {
		sv_error("--domain cannot be combined with --gdb, --record or --replay yet");
		goto out;
	}
	if (o->record && o->replay) {
		sv_error("--record and --replay cannot be used together");
		goto out;
	}
	if (digest) {
		char *end;

		errno = 0;
		o->digest_interval = g_ascii_strtoull(digest, &end, 0);
		if (errno || end == digest || *end || !o->digest_interval) {
			sv_error("bad --digest-interval '%s' (a number of instructions, > 0)",
				 digest);
			goto out;
		}
		if (!o->record) {
			sv_error("--digest-interval needs --record (a replay uses the log's)");
			goto out;
		}
	}
	if (snap_at) {
		char *end;

		errno = 0;
		o->snapshot_at = g_ascii_strtoull(snap_at, &end, 0);
		if (errno || end == snap_at || *end) {
			sv_error("bad --snapshot-at '%s' (a number of instructions)", snap_at);
			goto out;
		}
		o->snapshot_on = true;
		if (!o->snapshot_file) {
			sv_error("--snapshot-at needs --snapshot-file");
			goto out;
		}
	}
	o->reverse_interval = 2000000;
	if (rev_iv) {
		char *end;

		errno = 0;
		o->reverse_interval = g_ascii_strtoull(rev_iv, &end, 0);
		o->reverse_interval_set = true;
		if (errno || end == rev_iv || *end) {
			sv_error("bad --reverse-interval '%s' (a number of instructions)", rev_iv);
			goto out;
		}
	}
	if (o->gdb) {
		char *host = NULL;
		unsigned port;

		if (!sv_gdb_parse_spec(o->gdb, &host, &port)) {
			sv_error("bad --gdb '%s' ([HOST:]PORT, PORT 0..65535)", o->gdb);
			goto out;
		}
		g_free(host);
	}
	if (!console || !strcmp(console, "stdio")) {
		o->console = SV_CONSOLE_STDIO;
	} else if (!strcmp(console, "none")) {
		o->console = SV_CONSOLE_NONE;
	} else if (!strncmp(console, "file:", 5) && console[5]) {
		o->console = SV_CONSOLE_FILE;
		o->console_path = g_strdup(console + 5);
	} else if (!strcmp(console, "sdl")) {
		not_yet("--console=sdl");
		goto out;
	} else {
		sv_error("bad --console '%s' (stdio, none, file:PATH or sdl)", console);
		goto out;
	}
	if (trace) {
		char *bad;
		if (trace_parse(trace, &o->trace_mask, &bad) < 0) {
			sv_error(
				"unknown --trace category '%s' (exits, hypercalls, tb, insn, ir, evtchn, p2m, "
				"irq, all)",
				bad);
			g_free(bad);
			goto out;
		}
	}
	if (timeout < 0) {
		sv_error("--timeout must not be negative");
		goto out;
	}
	o->timeout = timeout;
	o->stats = stats;
	ok = true;
out:
	g_free(memory);
	g_free(console);
	g_free(digest);
	g_free(snap_at);
	g_free(rev_iv);
	g_free(trace);
	g_strfreev(rest);
	g_option_context_free(ctx);
	return ok;
}

void sv_options_free(struct sv_options *o)
{
	g_free(o->kernel);
	g_free(o->arch);
	g_free(o->platform);
	g_free(o->cpu);
	g_free(o->intercept);
	g_free(o->initrd);
	g_free(o->cmdline);
	g_strfreev(o->disks);
	for (unsigned i = 0; i < o->n_disks; i++)
		g_free(o->disk[i].path);
	g_free(o->disk);
	g_strfreev(o->domain_args);
	for (unsigned i = 0; i < o->n_doms; i++)
		sv_domain_spec_free(&o->doms[i]);
	g_free(o->doms);
	g_free(o->console_path);
	g_free(o->record);
	g_free(o->replay);
	g_free(o->snapshot_file);
	g_free(o->restore);
	g_free(o->gdb);
	g_free(o->trace_file);
	memset(o, 0, sizeof(*o));
}
