/*
 * Building a machine and running it.
 *
 * The run driver is deterministic: vcpus run round-robin, each for a quantum
 * of retired instructions (hv handles its exits in between; the CPU stops at
 * each timer deadline on time), on one host thread. On POWER the quantum is
 * the hypervisor decrementer hv arms at each turn: its 0x980 exit ends it. A turn starts at the
 * furthest time any vcpu has reached (hv/sched.c).
 * Blocked vcpus wake on events or timers; when all are blocked, virtual time
 * jumps to the next deadline (hv/sched.c). The host clock is read only for
 * --timeout, which stops the run but is never seen by the guest.
 */
#include "frontend/machine.h"
#include "cpu/cpu.h"
#include "frontend/gdbstub.h"
#include "frontend/digest.h"
#include "frontend/rr.h"
#include "frontend/snapshot.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/time.h"
#include "hv/ppc/ppc.h"
#include "hv/ppc/pseries.h"
#include "hv/x86/pvh.h"
#include "hv/x86/x86.h"

#include <errno.h>
#include <inttypes.h>

#define SV_QUANTUM 200000

/* The --domain guest of d, or NULL (d is the KERNEL's). */
static struct sv_guest *sv_guest_of(struct sv_machine *m, struct domain *d)
{
	for (unsigned i = 0; i < m->n_guests; i++)
		if (m->guests[i].dom == d)
			return &m->guests[i];
	return NULL;
}

/*
 * Several domains share the machine's console a line at a time (hv buffers
 * each domain's output by line), each line prefixed "[dN] "; a --domain
 * with console=file:PATH writes there instead, unprefixed.
 */
static void sv_console_write(void *opaque, struct domain *d, const char *buf, size_t len)
{
	struct sv_machine *m = opaque;
	struct sv_guest *g;
	char tag[16];

	/* Re-executing for gdb (reverse execution): this was shown already. */
	if (m->rev.active)
		return;
	if (!m->n_guests) {
		console_backend_write(&m->console, buf, len);
		return;
	}
	g = sv_guest_of(m, d);
	if (g && g->own_console) {
		console_backend_write(&g->console, buf, len);
		return;
	}
	g_snprintf(tag, sizeof(tag), "[d%u] ", d->domid);
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) + 1 : len;

		console_backend_write(&m->console, tag, strlen(tag));
		console_backend_write(&m->console, buf, n);
		buf += n;
		len -= n;
	}
}

static size_t sv_console_read(void *opaque, struct domain *d, char *buf, size_t len, bool consume)
{
	struct sv_machine *m = opaque;

	return sv_input_read(&m->input, buf, len, consume);
}

static int sv_fail(const char *fmt, ...) SV_PRINTF(1, 2);
static int sv_fail(const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sv_error("%s", msg);
	g_free(msg);
	return SV_EXIT_USAGE;
}

/*
 * Load the initrd into guest memory at the first page boundary after
 * image_end (the boot loaders' usual place, and below 4 GiB for PVH). -1 on
 * success, else the exit status after printing why.
 */
static int sv_load_initrd(struct sv_machine *m, const struct sv_options *o, uint64_t image_end,
			  struct hv_pvh_module *mod)
{
	GError *gerr = NULL;
	gchar *data = NULL;
	gsize len = 0;
	uint64_t gpa = (image_end + SV_PAGE_SIZE - 1) & SV_PAGE_MASK;

	if (!g_file_get_contents(o->initrd, &data, &len, &gerr)) {
		sv_error("cannot read --initrd %s: %s", o->initrd, gerr->message);
		g_error_free(gerr);
		return SV_EXIT_USAGE;
	}
	m->initrd_hash = sv_rr_hash(data, len);
	if (len == 0 || gpa + len + SV_PAGE_SIZE > o->memory || gpa + len > 0xffffffffull) {
		g_free(data);
		return sv_fail("--initrd %s (%" PRIu64 " bytes) does not fit in guest memory after "
			       "the kernel (try a larger --memory)",
			       o->initrd, (uint64_t)len);
	}
	if (p2m_copy_to(m->dom->p2m, gpa, data, len) < 0) {
		g_free(data);
		return sv_fail("could not load --initrd %s", o->initrd);
	}
	g_free(data);
	mod->paddr = gpa;
	mod->size = len;
	return -1;
}

/* pseries: the device tree (r3), RTAS, and the initrd named in /chosen. */
static int sv_boot_pseries(struct sv_machine *m, const struct sv_options *o,
			   const struct sv_image *img, struct vcpu *v)
{
	struct hv_pvh_module initrd = { 0 };
	struct hv_pseries_config cfg = {
		.entry = img->entry,
		.load_addr = img->segs[0].paddr,
		.free_gpa = img->end,
		.cmdline = o->cmdline,
		.pvr = (uint32_t)hv_ppc_cpu(v)->pvr,
		.timebase_hz = 1000000000, /* one tick per instruction, 1 ns each */
	};
	uint64_t fdt;

	if (o->initrd) {
		int st = sv_load_initrd(m, o, img->end, &initrd);
		if (st >= 0)
			return st;
		cfg.initrd_start = initrd.paddr;
		cfg.initrd_size = initrd.size;
		cfg.free_gpa = initrd.paddr + initrd.size;
	}
	if (hv_ppc_pseries_boot(v, &cfg, &fdt) < 0)
		return sv_fail("no room for the device tree below the RTAS area "
			       "(the kernel and initrd must fit in the first 256 MiB)");
	return -1;
}

/* Domain 0's backends for a Xen x86 domU: xenstore (one store for all the
 * machine's domains) and the console ring on the arch's special pages, and
 * the toolstack's xenstore entries. */
static int sv_xen_backends(struct sv_machine *m, struct domain *d, const char *name)
{
	struct xen_console *con;
	int err = 0;

	if (!m->xs)
		m->xs = xs_store_new();
	con = xen_console_create(d, hv_x86_special_gfn(d, HV_X86_SPECIAL_CONSOLE), &err);
	if (!con)
		return err;
	if (d == m->dom)
		m->xen_console = con; /* console input goes to the KERNEL's domain */
	struct xenstore *xs =
		xenstore_create(m->xs, d, hv_x86_special_gfn(d, HV_X86_SPECIAL_XENSTORE), &err);
	if (!xs)
		return err;
	if (d == m->dom)
		m->xenstore = xs;
	else
		sv_guest_of(m, d)->xenstore = xs; /* each saved in a snapshot */
	return xenstore_populate_domain(m->xs, d, name, xen_console_gfn(con),
					xen_console_port(con));
}

/*
 * Rendezvous for several domains: each x86 domain's "peers" node lists the other
 * guests' ids ("2 3"), so a guest can find the domain to grant to and bind
 * with; each /local/domain/N/data is readable by every guest, so a server
 * can publish its ring-ref and port there for its peers (as vchan does
 * after XS_SET_PERMS). 0 or -errno.
 */
static int sv_xen_peers(struct sv_machine *m)
{
	unsigned n = m->hv.domains->len;
	int rc = 0;

	if (!m->xs)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		struct domain *d = g_ptr_array_index(m->hv.domains, i);
		GString *peers;
		char path[64];

		if (d->arch != HV_ARCH_X86_64)
			continue; /* no xenstore connection (sv_xen_backends) */
		peers = g_string_new(NULL);
		for (unsigned j = 0; j < n; j++) {
			struct domain *p = g_ptr_array_index(m->hv.domains, j);
			if (p != d)
				g_string_append_printf(peers, "%s%u", peers->len ? " " : "",
						       p->domid);
		}
		g_snprintf(path, sizeof(path), "/local/domain/%u/peers", d->domid);
		rc |= xs_store_write_str(m->xs, path, peers->str);
		g_snprintf(path, sizeof(path), "/local/domain/%u/data", d->domid);
		rc |= xs_store_set_owner(m->xs, path, d->domid, 'r', d->domid);
		g_string_free(peers, TRUE);
	}
	return rc ? -EIO : 0;
}

/* --disk: a PV block backend each (xvda, xvdb, ...). -1, or the exit
 * status after printing why. */
static int sv_xen_disks(struct sv_machine *m, const struct sv_options *o, struct domain *d)
{
	for (unsigned i = 0; i < o->n_disks; i++) {
		char *msg = NULL;
		int err = 0;

		m->disks[i] =
			xen_blkback_create(m->xs, d, i, o->disk[i].path, o->disk[i].ro, &err, &msg);
		if (!m->disks[i]) {
			sv_fail("%s", msg);
			g_free(msg);
			return SV_EXIT_USAGE;
		}
	}
	return -1;
}

/*
 * A --domain guest: a Xen domU of its own image's architecture, booted as
 * the KERNEL's domain is (PVH on x86-64 with its console ring and xenstore
 * connection; the kexec state on ppc64), without initrd, command line or
 * disks. -1, or the exit status after printing why.
 */
static int sv_guest_build(struct sv_machine *m, const struct sv_domain_spec *sp, struct sv_guest *g)
{
	const struct sv_image *img = &g->img;
	char *msg = NULL, name[80];
	struct vcpu *v = NULL;
	int err = 0;

	g->dom = hv_domain_create(&m->hv, img->arch, HV_PERSONALITY_XEN, sp->memory, &err);
	if (!g->dom)
		return sv_fail("cannot create the domain for %s: %s", sp->image, g_strerror(-err));
	if (!sv_image_load(img, g->dom->p2m, sp->memory, &msg)) {
		sv_fail("%s: %s", sp->image, msg);
		g_free(msg);
		return SV_EXIT_USAGE;
	}
	if (sp->name)
		g_strlcpy(name, sp->name, sizeof(name));
	else
		g_snprintf(name, sizeof(name), "guest%u", g->dom->domid);
	if (img->arch == HV_ARCH_X86_64) {
		uint64_t si;

		/* vcpu 0 boots; the others wait for INIT-SIPI-SIPI or VCPUOP_up. */
		for (int i = 0; i < sp->vcpus; i++) {
			struct vcpu *vi = hv_x86_vcpu_create(g->dom);
			if (!vi)
				return sv_fail("cannot create vcpu %d of %s", i, sp->image);
			if (i == 0)
				v = vi;
		}
		if (img->entry > UINT32_MAX)
			return sv_fail("%s: the PVH entry point 0x%" PRIx64 " is above 4 GiB",
				       sp->image, img->entry);
		err = sv_xen_backends(m, g->dom, name);
		if (err < 0)
			return sv_fail("cannot create the backends of %s: %s", sp->image,
				       g_strerror(-err));
		if (hv_x86_pvh_boot(v, (uint32_t)img->entry, img->end, NULL, NULL, 0, &si) < 0)
			return sv_fail("%s: no room for the PVH start info after the image",
				       sp->image);
	} else {
		if (sp->vcpus > 1)
			return sv_fail("%s: vcpus > 1 needs the pseries platform on ppc64",
				       sp->image);
		v = hv_ppc_vcpu_create(g->dom, !img->big_endian);
		if (!v)
			return sv_fail("cannot create the vcpu of %s", sp->image);
		cpu_ppc_set_pvr(hv_ppc_cpu(v), PPC_PVR_POWER9);
		hv_ppc_kexec_boot(v, img->entry, img->segs[0].paddr);
	}
	return -1;
}

/* Read and parse the --domain images. -1, or the exit status. */
static int sv_guests_open(struct sv_machine *m, const struct sv_options *o)
{
	m->guests = g_new0(struct sv_guest, o->n_doms);
	m->n_guests = o->n_doms;
	for (unsigned i = 0; i < o->n_doms; i++) {
		const struct sv_domain_spec *sp = &o->doms[i];
		struct sv_guest *g = &m->guests[i];
		GError *gerr = NULL;
		gsize len = 0;
		char *msg = NULL;
		int err;

		if (!g_file_get_contents(sp->image, (gchar **)&g->data, &len, &gerr)) {
			sv_error("cannot read --domain image %s: %s", sp->image, gerr->message);
			g_error_free(gerr);
			return SV_EXIT_USAGE;
		}
		g->hash = sv_rr_hash(g->data, len);
		if (!sv_image_open(g->data, len, &g->img, &msg)) {
			sv_fail("%s: %s", sp->image, msg);
			g_free(msg);
			return SV_EXIT_USAGE;
		}
		if (g->img.arch == HV_ARCH_PPC64 && g->img.is_linux)
			return sv_fail("%s: a ppc64 Linux kernel needs the pseries platform, which "
				       "has no interdomain devices: not as a --domain",
				       sp->image);
		if (sp->console_path) {
			err = console_backend_open_file(&g->console, sp->console_path);
			if (err < 0)
				return sv_fail("cannot open console file %s: %s", sp->console_path,
					       g_strerror(-err));
			g->own_console = true;
		}
	}
	return -1;
}

static void sv_guests_close(struct sv_machine *m)
{
	for (unsigned i = 0; i < m->n_guests; i++) {
		struct sv_guest *g = &m->guests[i];

		if (g->own_console)
			console_backend_close(&g->console);
		sv_image_clear(&g->img);
		g_free(g->data);
	}
	g_free(m->guests);
	m->guests = NULL;
	m->n_guests = 0;
}

static int sv_machine_build(struct sv_machine *m, const struct sv_options *o,
			    const struct sv_image *img);

/* --restore: the machine just built takes the saved state. -1, or the exit
 * status after a message. */
static int sv_machine_restore(struct sv_machine *m, const struct sv_options *o)
{
	GError *gerr = NULL;
	gchar *data = NULL;
	gsize len = 0;
	char *msg;

	if (!g_file_get_contents(o->restore, &data, &len, &gerr)) {
		sv_error("cannot read --restore %s: %s", o->restore, gerr->message);
		g_error_free(gerr);
		return SV_EXIT_USAGE;
	}
	m->restore_hash = sv_rr_hash(data, len);
	msg = sv_snapshot_load(m, o, (const uint8_t *)data, len);
	g_free(data);
	if (msg) {
		sv_error("cannot restore %s: %s", o->restore, msg);
		g_free(msg);
		return SV_EXIT_USAGE;
	}
	return -1;
}

int sv_machine_create(struct sv_machine *m, const struct sv_options *o, const struct sv_image *img)
{
	int err = 0;

	memset(m, 0, sizeof(*m));
	m->input.fd = -1;
	m->img = img;
	m->kernel_hash = sv_rr_hash(img->data, img->size);
	if (o->arch && strcmp(o->arch, hv_arch_name(img->arch)))
		return sv_fail("the image is %s but --arch=%s was given", hv_arch_name(img->arch),
			       o->arch);
	switch (o->console) {
	case SV_CONSOLE_STDIO: console_backend_open_stdio(&m->console); break;
	case SV_CONSOLE_FILE:
		err = console_backend_open_file(&m->console, o->console_path);
		if (err < 0)
			return sv_fail("cannot open console file %s: %s", o->console_path,
				       g_strerror(-err));
		break;
	default: console_backend_open_none(&m->console); break;
	}
	m->trace_out = stderr;
	if (o->trace_file) {
		m->trace_out = fopen(o->trace_file, "w");
		if (!m->trace_out)
			return sv_fail("cannot open trace file %s: %s", o->trace_file,
				       g_strerror(errno));
		m->own_trace = true;
	}
	if (o->n_doms) {
		int st = sv_guests_open(m, o);
		if (st >= 0)
			return st;
	}
	err = sv_machine_build(m, o, img);
	if (err >= 0 || !o->restore)
		return err;
	return sv_machine_restore(m, o);
}

/* The hypervisor, the domain and its vcpus at their start state (again for
 * reverse execution: sv_machine_rebuild). */
static int sv_machine_build(struct sv_machine *m, const struct sv_options *o,
			    const struct sv_image *img)
{
	enum hv_personality pers = HV_PERSONALITY_XEN;
	char *msg = NULL;
	struct vcpu *v;
	int err = 0;

	uint64_t total = o->memory;

	for (unsigned i = 0; i < o->n_doms; i++)
		total += o->doms[i].memory;
	if (hv_init(&m->hv, total) < 0)
		return sv_fail("cannot reserve %" PRIu64 " MiB of guest memory", total >> 20);
	m->hv.console.write = sv_console_write;
	m->hv.console.read = sv_console_read;
	m->hv.console.opaque = m;
	/* Traces of a re-execution would repeat lines already written. */
	m->hv.trace.mask = m->rev.active ? 0 : o->trace_mask;
	m->hv.trace.out = m->trace_out;

	/* The personality: --platform, else pseries for a ppc64 Linux kernel
	 * (DESIGN.md §8) and Xen for everything else. */
	if (o->platform && !strcmp(o->platform, "pseries")) {
		if (img->arch != HV_ARCH_PPC64)
			return sv_fail("--platform=pseries is for ppc64 guests");
		pers = HV_PERSONALITY_PAPR;
	} else if (!o->platform && img->arch == HV_ARCH_PPC64 && img->is_linux) {
		pers = HV_PERSONALITY_PAPR;
	}
	if (pers == HV_PERSONALITY_PAPR && o->n_doms)
		return sv_fail("--domain needs the Xen personality (--platform=xen)");
	m->dom = hv_domain_create(&m->hv, img->arch, pers, o->memory, &err);
	if (!m->dom)
		return sv_fail("cannot create the guest domain: %s", g_strerror(-err));
	if (!sv_image_load(img, m->dom->p2m, o->memory, &msg)) {
		sv_fail("%s", msg);
		g_free(msg);
		return SV_EXIT_USAGE;
	}

	if (img->arch == HV_ARCH_X86_64) {
		uint64_t si;
		if (o->cpu)
			return sv_fail("--cpu is for ppc64 guests");
		v = hv_x86_vcpu_create(m->dom);
		if (!v)
			return sv_fail("cannot create the vcpu");
		/* Application processors: down until INIT-SIPI-SIPI through
		 * their local APIC (or VCPUOP_up), as in a Xen PVH domU. */
		for (int i = 1; i < o->vcpus; i++)
			if (!hv_x86_vcpu_create(m->dom))
				return sv_fail("cannot create vcpu %d", i);
		if (o->intercept) {
			char *msg = NULL;

			if (hv_x86_intercept(m->dom, o->intercept, &msg) < 0) {
				sv_fail("--intercept: %s", msg);
				g_free(msg);
				return SV_EXIT_USAGE;
			}
		}
		if (img->entry > UINT32_MAX)
			return sv_fail("the PVH entry point 0x%" PRIx64 " is above 4 GiB",
				       img->entry);
		struct hv_pvh_module initrd = { 0 };
		uint64_t free_gpa = img->end;

		if (o->initrd) {
			int st = sv_load_initrd(m, o, img->end, &initrd);
			if (st >= 0)
				return st;
			free_gpa = initrd.paddr + initrd.size;
		}
		err = sv_xen_backends(m, m->dom, "softvisor-guest");
		if (err < 0)
			return sv_fail("cannot create the console and xenstore backends: %s",
				       g_strerror(-err));
		if ((err = sv_xen_disks(m, o, m->dom)) >= 0)
			return err;
		err = hv_x86_pvh_boot(v, (uint32_t)img->entry, free_gpa, o->cmdline, &initrd,
				      o->initrd ? 1 : 0, &si);
		if (err == -E2BIG)
			return sv_fail("--cmdline is too long (at most 3071 bytes)");
		if (err < 0)
			return sv_fail("no room for the PVH start info after the image "
				       "(try a larger --memory)");
	} else {
		if (o->n_disks)
			return sv_fail("--disk is for x86_64 Xen guests (not yet on ppc64)");
		if (o->intercept)
			return sv_fail("--intercept is for x86_64 guests");
		if (o->initrd && pers != HV_PERSONALITY_PAPR)
			return sv_fail("--initrd needs --platform=pseries on ppc64");
		if (o->vcpus > 1 && pers != HV_PERSONALITY_PAPR)
			return sv_fail("--vcpus > 1 needs --platform=pseries on ppc64");
		/* vcpu 0 boots; the others wait for RTAS start-cpu (pseries). */
		for (int i = 0; i < o->vcpus; i++) {
			v = hv_ppc_vcpu_create(m->dom, !img->big_endian);
			if (!v)
				return sv_fail("cannot create vcpu %d", i);
			/* --cpu: POWER9 (radix and hash) unless power8 (hash). */
			cpu_ppc_set_pvr(hv_ppc_cpu(v), o->cpu && !strcmp(o->cpu, "power8") ?
							       PPC_PVR_POWER8 :
							       PPC_PVR_POWER9);
		}
		v = m->dom->vcpus[0];
		if (pers == HV_PERSONALITY_PAPR)
			return sv_boot_pseries(m, o, img, v);
		/* r3 = device tree (none yet for the Xen personality: 0),
		 * r4 = load address, r5 = 0, as after kexec. */
		hv_ppc_kexec_boot(v, img->entry, img->segs[0].paddr);
	}
	for (unsigned i = 0; i < m->n_guests; i++) {
		int st = sv_guest_build(m, &o->doms[i], &m->guests[i]);
		if (st >= 0)
			return st;
	}
	/* target=N: the domain may map N's memory (a device model's right). */
	for (unsigned i = 0; i < m->n_guests; i++) {
		unsigned t = o->doms[i].target;
		if (!t)
			continue;
		if (t == m->guests[i].dom->domid || !hv_domain_by_id(&m->hv, (uint16_t)t))
			return sv_fail("--domain %s: target=%u is not another domain of the "
				       "machine (1..%u)",
				       o->doms[i].image, t, m->hv.domains->len);
		m->guests[i].dom->target = (uint16_t)t;
	}
	if (m->n_guests && sv_xen_peers(m) < 0)
		return sv_fail("cannot write the domains' xenstore entries");
	return -1;
}

void sv_machine_destroy(struct sv_machine *m)
{
	sv_input_close(&m->input);
	sv_gdb_close(m->gdb);
	sv_reverse_history_free(&m->rev_hist);
	g_free(m->savevm_path);
	hv_destroy(&m->hv);
	memset(&m->hv, 0, sizeof(m->hv));
	m->generation++;
	xs_store_free(m->xs); /* after the domains: their connections watch it */
	sv_guests_close(m);
	console_backend_close(&m->console);
	if (m->own_trace && m->trace_out)
		fclose(m->trace_out);
	memset(m, 0, sizeof(*m));
}

int sv_machine_rebuild(struct sv_machine *m, const struct sv_options *o)
{
	int st;

	hv_console_flush(m->dom);
	hv_destroy(&m->hv);
	memset(&m->hv, 0, sizeof(m->hv));
	m->generation++;
	xs_store_free(m->xs);
	m->xs = NULL;
	m->xen_console = NULL;
	m->dom = NULL;
	st = sv_machine_build(m, o, m->img);
	if (st >= 0)
		return st;
	sv_gdb_rebind(m->gdb, m->dom);
	sv_input_rewind(&m->input, m->dom, m->xen_console);
	return -1;
}

int sv_machine_rewind(struct sv_machine *m, const struct sv_options *o, const uint8_t *img,
		      size_t len)
{
	char *msg;

	hv_console_flush(m->dom);
	/* As sv_machine_build does for a re-execution: no traces. */
	m->hv.trace.mask = m->rev.active ? 0 : o->trace_mask;
	m->generation++;
	msg = sv_snapshot_load(m, o, img, len);
	if (msg) {
		sv_error("cannot go back to an in-memory snapshot: %s", msg);
		g_free(msg);
		return SV_EXIT_USAGE;
	}
	return -1;
}

void sv_machine_reexec_done(struct sv_machine *m, const struct sv_options *o)
{
	m->hv.trace.mask = o->trace_mask;
}

static int sv_shutdown_status(struct domain *d)
{
	switch (d->shutdown_reason) {
	case HV_SHUTDOWN_POWEROFF: return SV_EXIT_POWEROFF;
	case HV_SHUTDOWN_REBOOT:
	case HV_SHUTDOWN_SOFT_RESET: return SV_EXIT_REBOOT;
	default: return SV_EXIT_CRASH;
	}
}

/* gdb's `monitor savevm FILE`: the machine is saved between two rounds
 * (a snapshot in the middle of a vcpu's turn could not resume it exactly),
 * so when the guest runs on. */
static char *sv_machine_savevm(void *opaque, const char *path)
{
	struct sv_machine *m = opaque;

	g_free(m->savevm_path);
	m->savevm_path = g_strdup(path);
	return g_strdup_printf("the machine will be saved to %s when the guest runs on "
			       "(at the next round boundary); resume it with --restore=%s\n",
			       path, path);
}

/* Between rounds: a snapshot asked for by gdb. -1, or an exit status. */
static int sv_machine_savevm_now(struct sv_machine *m, const struct sv_options *o)
{
	char *msg;

	if (!m->savevm_path || m->rev.active)
		return -1;
	msg = sv_snapshot_write_file(m, o, m->savevm_path);
	if (msg) {
		sv_error("cannot save the snapshot to %s: %s", m->savevm_path, msg);
		g_free(msg);
	} else {
		sv_error("saved the machine to %s at round %" PRIu64 " (%" PRIu64
			 " instructions retired)",
			 m->savevm_path, m->input.round, hv_domain_icount(m->dom));
	}
	g_free(m->savevm_path);
	m->savevm_path = NULL;
	return -1;
}

/* --gdb: wait for gdb and let it look at the guest before the first
 * instruction. -1 to run, or an exit status. */
static int sv_machine_gdb_start(struct sv_machine *m, const struct sv_options *o)
{
	m->gdb = sv_gdb_open(o->gdb, m->dom);
	if (!m->gdb)
		return SV_EXIT_USAGE;
	/* Re-execution replays the input history this run keeps; with a log
	 * the log would be written or read twice: no reverse execution. */
	sv_gdb_allow_reverse(m->gdb, !o->record && !o->replay);
	sv_gdb_set_savevm(m->gdb, sv_machine_savevm, m);
	return sv_gdb_start(m->gdb);
}

/* --record / --replay: the log, checked against this machine. NULL and
 * *status = 1 after a message if it cannot be; NULL without either option. */
static struct sv_rr *sv_machine_rr_open(struct sv_machine *m, const struct sv_options *o,
					int *status)
{
	struct domain *d = m->dom;
	struct sv_rr_config cfg = {
		.kernel_hash = m->kernel_hash,
		.initrd_hash = m->initrd_hash,
		/* Hashing memory costs about as much as running one
		 * instruction per byte of it / 100: one digest per RAM byte's
		 * worth of instructions keeps it near 1 % of the run. */
		.digest_interval =
			o->digest_interval ? o->digest_interval : MAX(d->ram_bytes, 64ull << 20),
	};
	struct sv_rr *rr;
	char *opts;

	*status = -1;
	if (!o->record && !o->replay)
		return NULL;
	opts = sv_snapshot_options(m, o);
	if (o->restore) {
		/* A run from a snapshot replays only from the same one. */
		char *full = g_strdup_printf("%s restore=%016" PRIx64, opts, m->restore_hash);

		g_free(opts);
		opts = full;
	}
	cfg.options = opts;
	rr = o->record ? sv_rr_record(o->record, &cfg) : sv_rr_replay(o->replay, &cfg);
	g_free(opts);
	if (!rr)
		*status = SV_EXIT_USAGE;
	return rr;
}

/* After a debug stop of v (gdb's, or reverse execution's): -1 to go on,
 * an exit status, or -1 with *rebuilt if the machine was rebuilt. */
static int sv_machine_debug(struct sv_machine *m, const struct sv_options *o, struct vcpu *v,
			    enum cpu_stop stop, bool *rebuilt)
{
	unsigned gen = m->generation;
	int st = -1;

	if (m->rev.active) {
		if (stop == CPU_STOP_DEBUG)
			sv_reverse_note_stop(&m->rev, v);
		if (!sv_reverse_at_target(&m->rev, v))
			return -1;
		st = sv_reverse_reached(m, o, v);
	} else if (m->gdb) {
		/* gdb: breakpoint and step stops, Ctrl-C (gdbstub.c). */
		st = sv_gdb_after_exec(m->gdb, v, stop);
	}
	/* gdb asked to go back (again): re-execute. */
	while (st == SV_GDB_REVERSE)
		st = sv_reverse_start(m, o);
	*rebuilt = m->generation != gen;
	return st;
}

/*
 * Run v for one slice of budget instructions. A debug stop does not end the
 * slice: once gdb resumes, the rest of it runs, and budgets are exact
 * (cpu_tb_too_long), so the rounds (and the rounds at which input arrives)
 * are the same whether or not anyone stopped the guest. Reverse execution
 * depends on it. Returns -1 or an exit status; *rebuilt if the machine was
 * rebuilt (v and its domain are gone).
 */
static int sv_machine_slice(struct sv_machine *m, const struct sv_options *o, struct vcpu *v,
			    int64_t budget, bool *rebuilt, bool *preempted)
{
	struct domain *d = v->d;

	for (;;) {
		int64_t b = sv_reverse_budget(&m->rev, v, budget);
		enum cpu_stop stop = CPU_STOP_BUDGET;
		int st;

		if (b > 0 || !sv_reverse_at_target(&m->rev, v)) {
			stop = cpu_exec(v->cpu, b);
			budget -= b - v->cpu->budget;
		}
		switch (stop) {
		case CPU_STOP_EXIT:
			switch (hv_vcpu_handle_exit(v)) {
			case HV_BLOCK: v->blocked = true; break;
			case HV_PREEMPT: *preempted = true; break;
			default: break;
			}
			break;
		case CPU_STOP_HALTED: hv_vcpu_block(v, HV_BLOCK_HALT); break;
		case CPU_STOP_FATAL:
			hv_domain_crash(d, "emulation error: %s at pc=0x%" PRIx64,
					v->cpu->fatal_msg, v->cpu->arch->get_pc(v->cpu));
			break;
		default: break;
		}
		st = sv_machine_debug(m, o, v, stop, rebuilt);
		if (st >= 0 || *rebuilt)
			return st;
		/* Resume the slice after a debug stop or a cut budget. */
		if ((stop != CPU_STOP_DEBUG && stop != CPU_STOP_BUDGET) || budget <= 0 ||
		    d->shut_down || v->blocked || *preempted)
			return -1;
	}
}

/*
 * v's turn: slices until it has retired SV_QUANTUM instructions, blocks,
 * yields (SCHEDOP_yield), stops or the domain ends; exits handled by hv in between do not end the
 * turn (a vcpu that makes many hypercalls gets its share of instructions as
 * one that makes none). Where the architecture has a slice timer (POWER's
 * HDEC) hv arms it and the turn ends with its exit (HV_PREEMPT); otherwise
 * the budgets stop at the quantum. -1, or an exit status; *rebuilt as for a
 * slice.
 */
static int sv_run_turn(struct sv_machine *m, const struct sv_options *o, struct vcpu *v,
		       bool *rebuilt)
{
	struct domain *d = v->d;
	bool timed = hv_vcpu_begin_turn(v, SV_QUANTUM), preempted = false;
	uint64_t start = v->cpu->icount; /* after a catch-up to the others' time */
	unsigned n = 0;
	int st = -1;

	do {
		/* The budget ends at v's next timer deadline (HDEC's too). */
		int64_t budget = hv_vcpu_prepare_run(v, SV_QUANTUM);
		uint64_t used = v->cpu->icount - start;

		if (!timed) {
			if (used >= SV_QUANTUM)
				break;
			if (budget > (int64_t)(SV_QUANTUM - used))
				budget = (int64_t)(SV_QUANTUM - used);
		}
		st = sv_machine_slice(m, o, v, budget, rebuilt, &preempted);
		if (st >= 0 || *rebuilt)
			return st; /* rebuilt: v is gone */
	} while (!preempted && !d->shut_down && !v->yielded && hv_vcpu_runnable(v) &&
		 ++n < SV_QUANTUM);
	v->yielded = false;
	hv_vcpu_end_turn(v);
	return st;
}

/* The machine's i-th domain (creation order: KERNEL's first). */
static struct domain *sv_dom(struct sv_machine *m, unsigned i)
{
	return g_ptr_array_index(m->hv.domains, i);
}

uint64_t sv_machine_icount(struct sv_machine *m)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < m->hv.domains->len; i++)
		n += hv_domain_icount(sv_dom(m, i));
	return n;
}

/* A vcpu of a domain still up (its clock measures an idle jump), or NULL
 * when every domain has shut down. */
static struct vcpu *sv_live_vcpu(struct sv_machine *m)
{
	for (unsigned i = 0; i < m->hv.domains->len; i++)
		if (!sv_dom(m, i)->shut_down)
			return sv_dom(m, i)->vcpus[0];
	return NULL;
}

/* All domains down: the KERNEL's domain's status, unless another crashed. */
static int sv_machine_status(struct sv_machine *m)
{
	for (unsigned i = 0; i < m->hv.domains->len; i++)
		if (sv_dom(m, i)->shutdown_reason == HV_SHUTDOWN_CRASH)
			return SV_EXIT_CRASH;
	return sv_shutdown_status(m->dom);
}

static void sv_machine_flush(struct sv_machine *m)
{
	for (unsigned i = 0; i < m->hv.domains->len; i++)
		hv_console_flush(sv_dom(m, i));
}

/* The end of the run: why each domain stopped, and --stats. */
static void sv_machine_report(struct sv_machine *m, const struct sv_options *o)
{
	for (unsigned i = 0; i < m->hv.domains->len; i++) {
		struct domain *d = sv_dom(m, i);

		if (d->shut_down && d->shutdown_reason == HV_SHUTDOWN_CRASH) {
			if (d->crash_msg[0])
				sv_error("domain %u crashed: %s", d->domid, d->crash_msg);
			else
				sv_error("domain %u shut down: crash (code %u)", d->domid,
					 d->shutdown_code);
		} else if (d->shut_down && d->shutdown_reason != HV_SHUTDOWN_POWEROFF) {
			sv_error("domain %u shut down: %s", d->domid,
				 hv_shutdown_name(d->shutdown_reason));
		}
	}
	if (!o->stats)
		return;
	for (unsigned i = 0; i < m->hv.domains->len; i++) {
		struct domain *d = sv_dom(m, i);

		struct sv_digest dg;

		hv_stats_print(d, stderr);
		/* The machine's final state, comparable across runs (a run
		 * restored from a snapshot ends with the uninterrupted one's). */
		sv_digest_compute(d, &dg);
		fprintf(stderr, "  state digest: %016" PRIx64 "\n", sv_digest_hash(&dg));
		sv_digest_clear(&dg);
		fprintf(stderr, "  result: %s, %" PRIu64 " instructions retired\n",
			d->shut_down ? hv_shutdown_name(d->shutdown_reason) : "timeout",
			hv_domain_icount(d));
	}
}

int sv_machine_run(struct sv_machine *m, const struct sv_options *o)
{
	struct domain *d = m->dom;
	gint64 deadline = o->timeout > 0 ? g_get_monotonic_time() + (gint64)(o->timeout * 1e6) : 0;
	int status = -1;

	struct sv_rr *rr = sv_machine_rr_open(m, o, &status);

	if (status >= 0)
		return status;
	if (o->gdb && (status = sv_machine_gdb_start(m, o)) >= 0) {
		sv_rr_close(rr);
		return status;
	}
	/* Console input from the terminal once gdb is there (a raw terminal
	 * while softvisor waits for gdb would swallow Ctrl-C). */
	sv_input_open(&m->input, d, m->xen_console, o->console == SV_CONSOLE_STDIO, rr);
	if (m->restore_input) {
		struct sv_snap_r r = { .p = m->restore_input->data, .len = m->restore_input->len };

		/* Checked when the snapshot was read: cannot fail. */
		sv_input_load(&m->input, &r);
		g_byte_array_free(m->restore_input, TRUE);
		m->restore_input = NULL;
	}
	while (status < 0) {
		bool all_blocked = true, rebuilt = false;
		struct vcpu *live;

		/* Between rounds: where snapshots are taken. */
		sv_reverse_checkpoint(m, o);
		sv_machine_savevm_now(m, o);
		if (o->snapshot_on && !m->snapshot_done && sv_machine_icount(m) >= o->snapshot_at &&
		    !m->rev.active) {
			char *msg = sv_snapshot_write_file(m, o, o->snapshot_file);

			m->snapshot_done = true;
			if (msg) {
				sv_error("cannot save the snapshot to %s: %s", o->snapshot_file,
					 msg);
				g_free(msg);
				status = SV_EXIT_USAGE;
				break;
			}
		}
		/* A round: input is delivered only here (frontend/input.h). */
		if ((status = sv_input_round_start(&m->input)) >= 0)
			break;

		/* Every vcpu of every domain still up, in domain then vcpu
		 * order (reverse execution rebuilds the machine: d and its
		 * vcpus may be gone; it has one domain). */
		for (unsigned k = 0; k < m->hv.domains->len && status < 0 && !rebuilt; k++) {
			d = sv_dom(m, k);
			for (unsigned i = 0; i < d->n_vcpus && !d->shut_down; i++) {
				struct vcpu *v = d->vcpus[i];

				/* Fires due timers and wakes v if what it waits
				 * for happened (hv/sched.c). */
				if (!hv_vcpu_runnable(v))
					continue;
				all_blocked = false;
				status = sv_run_turn(m, o, v, &rebuilt);
				if (status >= 0 || rebuilt)
					break; /* rebuilt: d and its vcpus are gone */
			}
		}
		if (status >= 0)
			break;
		if (rebuilt)
			continue; /* a new machine, at its start */
		live = sv_live_vcpu(m);
		if (!live) {
			status = sv_machine_status(m);
			break;
		}
		/* Virtual time: blocked vcpus follow the running ones; when all
		 * are blocked, time jumps to the earliest deadline that can wake
		 * one. Only if there is none is the guest stuck for good. */
		if (!all_blocked) {
			hv_sync_time(&m->hv);
		} else {
			/* The jump is in virtual time: icount counts only
			 * instructions retired, which idling does not. */
			uint64_t before = hv_time_now(live);

			if (hv_idle(&m->hv)) {
				/* An idle guest on a terminal waits as long in
				 * host time (or until a key): not guest-visible. */
				sv_input_idle(&m->input, hv_time_now(live) - before);
			} else if (!sv_input_wait(&m->input, deadline)) {
				for (unsigned k = 0; k < m->hv.domains->len; k++)
					hv_domain_crash(sv_dom(m, k),
							"all vcpus halted with no event that "
							"could wake them");
				status = SV_EXIT_CRASH;
				break;
			}
		}
		if ((status = sv_input_round_end(&m->input)) >= 0)
			break;
		if (deadline && g_get_monotonic_time() >= deadline) {
			sv_machine_flush(m);
			sv_error("timeout after %g s: guest stopped", o->timeout);
			status = SV_EXIT_TIMEOUT;
		}
	}
	sv_machine_flush(m);
	if (o->snapshot_on && !m->snapshot_done)
		sv_error("the run ended after %" PRIu64
			 " instructions, before --snapshot-at=%" PRIu64 ": no snapshot saved",
			 sv_machine_icount(m), o->snapshot_at);
	status = sv_input_finish(&m->input, status);
	sv_input_close(&m->input); /* the terminal back before the last messages */
	sv_machine_report(m, o);
	sv_gdb_finish(m->gdb, status);
	return status;
}
