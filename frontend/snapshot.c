/*
 * Machine snapshots (see frontend/snapshot.h).
 *
 * Worked example: `softvisor run --memory=32M --snapshot-at=3000000
 * --snapshot-file=s.svs echo.elf` reaches the round at which 3,000,000
 * instructions have retired, writes s.svs (header, "input": round 15 and no
 * pending bytes, "hv": 8,448 frames of which 40 are not zero, the p2m, the
 * domain, its event channels, grant table and vcpus, "xenstore": the tree
 * and the guest's watches) and runs on. `softvisor run --memory=32M
 * --restore=s.svs echo.elf` builds the same machine, loads s.svs over it and
 * goes on with round 16: the console shows what the first run showed after
 * its snapshot, and the final state digest (--stats) is the same.
 */
#include "frontend/snapshot.h"
#include "frontend/machine.h"
#include "cpu/ppc/cpu_ppc.h"
#include "cpu/x86/cpu_x86.h"
#include "devices/x86/lapic.h"
#include "hv/grant_table.h"
#include "hv/ppc/papr.h"
#include "sv/snap.h"

#include <errno.h>
#include <inttypes.h>
#include <lz4.h>
#include <xxhash.h>

#define SV_SNAP_MAGIC "softvisor snapshot"
#define SV_SNAP_VERSION 2u /* 2: every --domain's xenstore connection */
#define SV_SNAP_MAX_SECTION 0xfff00000ull

/* What an image saved as host bytes depends on: another build or host
 * gives another hash, and its images are refused. */
static uint64_t sv_snapshot_layout(void)
{
	const uint64_t sizes[] = {
		SV_HOST_BIG_ENDIAN,
		sizeof(void *),
		sizeof(struct cpu_x86),
		offsetof(struct cpu_x86, tr_cc_op) - offsetof(struct cpu_x86, regs),
		sizeof(struct vmcs),
		sizeof(struct cpu_ppc),
		offsetof(struct cpu_ppc, tlbie_broadcast) - offsetof(struct cpu_ppc, gpr),
		sizeof(struct lapic),
		sizeof(struct hv_gnttab),
		sizeof(struct papr_vcpu),
		sizeof(struct papr_ics_src),
		sizeof(struct hv_guest_area),
		sizeof(struct p2m_entry),
		sizeof(struct machmem_frame),
	};

	return XXH64(sizes, sizeof(sizes), SV_SNAP_VERSION);
}

char *sv_snapshot_options(struct sv_machine *m, const struct sv_options *o)
{
	struct domain *d = m->dom;
	GString *s = g_string_new(NULL);

	g_string_printf(s, "arch=%s personality=%s memory=%" PRIu64 " vcpus=%u cpu=%s cmdline=%s",
			hv_arch_name(d->arch),
			d->personality == HV_PERSONALITY_PAPR ? "pseries" : "xen", d->ram_bytes,
			d->n_vcpus, o->cpu ? o->cpu : "default", o->cmdline ? o->cmdline : "");
	/* Each --domain: its image and what was built from its options (a
	 * console=file: is where output goes, not machine state). */
	for (unsigned i = 0; i < m->n_guests; i++) {
		const struct sv_domain_spec *sp = &o->doms[i];

		g_string_append_printf(
			s, " domain=%016" PRIx64 ",memory=%" PRIu64 ",vcpus=%d,name=%s,target=%u",
			m->guests[i].hash, sp->memory, sp->vcpus, sp->name ? sp->name : "",
			sp->target);
	}
	return g_string_free(s, FALSE);
}

static void sv_snapshot_section(struct sv_snap_w *w, const char *name, GByteArray *payload,
				bool compress)
{
	sv_snap_put_str(w, name);
	sv_snap_put_bool(w, compress);
	if (compress) {
		/* LZ4 block of the payload, after its length. */
		int bound = LZ4_compressBound((int)payload->len);
		GByteArray *z = g_byte_array_sized_new((guint)bound + 8);
		int n;

		g_byte_array_set_size(z, (guint)bound + 8);
		st64_le_p(z->data, payload->len);
		n = LZ4_compress_default((const char *)payload->data, (char *)z->data + 8,
					 (int)payload->len, bound);
		g_byte_array_set_size(z, (guint)n + 8);
		sv_snap_put_bytes(w, z->data, z->len);
		sv_snap_put_u64(w, XXH64(z->data, z->len, 0));
		g_byte_array_free(z, TRUE);
	} else {
		sv_snap_put_bytes(w, payload->data, payload->len);
		sv_snap_put_u64(w, XXH64(payload->data, payload->len, 0));
	}
	g_byte_array_set_size(payload, 0);
}

GByteArray *sv_snapshot_save(struct sv_machine *m, const struct sv_options *o, bool file)
{
	struct sv_snap_w w = { g_byte_array_new() };
	struct sv_snap_w s = { g_byte_array_new() };
	char *opts = sv_snapshot_options(m, o);

	/* One domain: its unfinished line is shown now. Several: it stays in
	 * its domain's buffer (saved), or its "[dN] " prefix would repeat. */
	if (!m->n_guests)
		hv_console_flush(m->dom);
	sv_snap_put_str(&w, SV_SNAP_MAGIC);
	sv_snap_put_u32(&w, SV_SNAP_VERSION);
	sv_snap_put_u64(&w, sv_snapshot_layout());
	sv_snap_put_u64(&w, m->kernel_hash);
	sv_snap_put_u64(&w, m->initrd_hash);
	sv_snap_put_str(&w, opts);
	sv_snap_put_u64(&w, sv_machine_icount(m));
	sv_snap_put_u64(&w, m->input.round);
	g_free(opts);

	sv_input_save(&m->input, &s);
	sv_snapshot_section(&w, "input", s.buf, false);
	hv_save(&m->hv, &s);
	sv_snapshot_section(&w, "hv", s.buf, file);
	sv_snap_put_bool(&s, m->xs != NULL);
	if (m->xs) {
		xs_store_save(m->xs, &s);
		sv_snap_put_bool(&s, m->xenstore != NULL);
		if (m->xenstore)
			xenstore_save(m->xenstore, &s);
		/* Every --domain's connection to the shared store. */
		sv_snap_put_u32(&s, m->n_guests);
		for (unsigned i = 0; i < m->n_guests; i++) {
			sv_snap_put_bool(&s, m->guests[i].xenstore != NULL);
			if (m->guests[i].xenstore)
				xenstore_save(m->guests[i].xenstore, &s);
		}
		sv_snap_put_u32(&s, o->n_disks);
		for (unsigned i = 0; i < o->n_disks; i++)
			xen_blkback_save(m->disks[i], &s);
	}
	sv_snapshot_section(&w, "xenstore", s.buf, false);
	sv_snap_put_str(&w, "end");
	g_byte_array_free(s.buf, TRUE);
	return w.buf;
}

static int sv_snapshot_load_xenstore(struct sv_machine *m, const struct sv_options *o,
				     struct sv_snap_r *r)
{
	bool has = false, conn = false;
	uint32_t n = 0;
	int rc;

	if (!sv_snap_get_bool(r, &has))
		return -EINVAL;
	if (has != (m->xs != NULL))
		return sv_snap_fail(r, "xenstore presence differs");
	if (!has)
		return 0;
	if ((rc = xs_store_load(m->xs, r)) < 0 || !sv_snap_get_bool(r, &conn))
		return rc < 0 ? rc : -EINVAL;
	if (conn != (m->xenstore != NULL))
		return sv_snap_fail(r, "xenstore connection presence differs");
	if (conn && (rc = xenstore_load(m->xenstore, r)) < 0)
		return rc;
	if (!sv_snap_get_u32(r, &n))
		return -EINVAL;
	if (n != m->n_guests)
		return sv_snap_fail(r, "%u --domain connections saved, this machine has %u", n,
				    m->n_guests);
	for (unsigned i = 0; i < n; i++) {
		struct xenstore *x = m->guests[i].xenstore;

		if (!sv_snap_get_bool(r, &conn))
			return -EINVAL;
		if (conn != (x != NULL))
			return sv_snap_fail(r, "xenstore connection of domain %u differs",
					    m->guests[i].dom->domid);
		if (conn && (rc = xenstore_load(x, r)) < 0)
			return rc;
	}
	if (!sv_snap_get_u32(r, &n))
		return -EINVAL;
	if (n != o->n_disks)
		return sv_snap_fail(r, "%u disks saved, this machine has %u", n, o->n_disks);
	for (unsigned i = 0; i < n; i++)
		if ((rc = xen_blkback_load(m->disks[i], r)) < 0)
			return rc;
	return 0;
}

/* Open the section called name: a reader over its (decompressed) payload
 * in *r, whose buffer *owned the caller frees. false after a message. */
static bool sv_snapshot_open_section(struct sv_snap_r *top, const char *name, struct sv_snap_r *r,
				     uint8_t **owned)
{
	char *got = NULL;
	bool z = false;
	const uint8_t *p;
	size_t len = 0;
	uint64_t h = 0;

	*owned = NULL;
	memset(r, 0, sizeof(*r));
	r->section = name;
	if (!sv_snap_get_str(top, 64, &got) || !got || strcmp(got, name)) {
		if (sv_snap_ok(top))
			sv_snap_fail(top, "section '%s' expected, found '%s'", name,
				     got ? got : "(none)");
		g_free(got);
		return false;
	}
	g_free(got);
	if (!sv_snap_get_bool(top, &z) || !(p = sv_snap_get_blob(top, SIZE_MAX, &len)) ||
	    !sv_snap_get_u64(top, &h))
		return false;
	if (XXH64(p, len, 0) != h) {
		sv_snap_fail(top, "section '%s' is corrupt (checksum mismatch)", name);
		return false;
	}
	if (z) {
		uint64_t raw;
		int n;

		if (len < 8 || (raw = ld64_le_p(p)) > SV_SNAP_MAX_SECTION) {
			sv_snap_fail(top, "section '%s': bad compressed size", name);
			return false;
		}
		*owned = g_try_malloc(raw ? raw : 1);
		if (!*owned) {
			sv_snap_fail(top, "section '%s': no memory for %" PRIu64 " bytes", name,
				     raw);
			return false;
		}
		n = LZ4_decompress_safe((const char *)p + 8, (char *)*owned, (int)(len - 8),
					(int)raw);
		if (n < 0 || (uint64_t)n != raw) {
			sv_snap_fail(top, "section '%s' does not decompress", name);
			return false;
		}
		r->p = *owned;
		r->len = raw;
	} else {
		r->p = p;
		r->len = len;
	}
	return true;
}

/* Load one section with fn; NULL or the message. */
static char *sv_snapshot_load_section(struct sv_snap_r *top, const char *name,
				      int (*fn)(struct sv_machine *m, const struct sv_options *o,
						struct sv_snap_r *r),
				      struct sv_machine *m, const struct sv_options *o)
{
	struct sv_snap_r r;
	uint8_t *owned;
	char *msg = NULL;
	int rc;

	if (!sv_snapshot_open_section(top, name, &r, &owned))
		return g_strdup(top->err);
	rc = fn(m, o, &r);
	if (rc < 0 || !sv_snap_ok(&r))
		msg = g_strdup_printf("section '%s': %s", name,
				      r.err[0] ? r.err : "cannot be loaded");
	else if (r.pos != r.len)
		msg = g_strdup_printf("section '%s': %zu bytes left over", name, r.len - r.pos);
	g_free(owned);
	return msg;
}

static int sv_snapshot_load_hv(struct sv_machine *m, const struct sv_options *o,
			       struct sv_snap_r *r)
{
	return hv_load(&m->hv, r);
}

static int sv_snapshot_keep_input(struct sv_machine *m, const struct sv_options *o,
				  struct sv_snap_r *r)
{
	/* Applied to the input layer when it opens (or now, if it is open). */
	if (m->input.queue)
		return sv_input_load(&m->input, r);
	if (!m->restore_input)
		m->restore_input = g_byte_array_new();
	g_byte_array_set_size(m->restore_input, 0);
	g_byte_array_append(m->restore_input, r->p, (guint)r->len);
	r->pos = r->len;
	return 0;
}

char *sv_snapshot_load(struct sv_machine *m, const struct sv_options *o, const uint8_t *data,
		       size_t len)
{
	struct sv_snap_r top = { .p = data, .len = len, .section = "header" };
	uint64_t layout = 0, kh = 0, ih = 0, icount = 0, round = 0;
	char *magic = NULL, *opts = NULL, *mine, *msg = NULL;
	uint32_t version = 0;

	if (!sv_snap_get_str(&top, 64, &magic) || !magic || strcmp(magic, SV_SNAP_MAGIC)) {
		g_free(magic);
		return g_strdup("not a softvisor snapshot");
	}
	g_free(magic);
	if (!sv_snap_get_u32(&top, &version) || !sv_snap_get_u64(&top, &layout))
		return g_strdup_printf("truncated header");
	if (version != SV_SNAP_VERSION)
		return g_strdup_printf("snapshot version %u (this softvisor reads version %u)",
				       version, SV_SNAP_VERSION);
	if (layout != sv_snapshot_layout())
		return g_strdup("made by another softvisor build or host (layout differs)");
	if (!sv_snap_get_u64(&top, &kh) || !sv_snap_get_u64(&top, &ih) ||
	    !sv_snap_get_str(&top, 1 << 16, &opts) || !opts || !sv_snap_get_u64(&top, &icount) ||
	    !sv_snap_get_u64(&top, &round)) {
		g_free(opts);
		return g_strdup_printf("truncated header");
	}
	if (kh != m->kernel_hash) {
		g_free(opts);
		return g_strdup("saved from another kernel image");
	}
	if (ih != m->initrd_hash) {
		g_free(opts);
		return g_strdup("saved with another --initrd");
	}
	mine = sv_snapshot_options(m, o);
	if (strcmp(mine, opts))
		msg = g_strdup_printf("saved with '%s', this run has '%s'", opts, mine);
	g_free(mine);
	g_free(opts);
	if (msg)
		return msg;
	if ((msg = sv_snapshot_load_section(&top, "input", sv_snapshot_keep_input, m, o)) ||
	    (msg = sv_snapshot_load_section(&top, "hv", sv_snapshot_load_hv, m, o)) ||
	    (msg = sv_snapshot_load_section(&top, "xenstore", sv_snapshot_load_xenstore, m, o)))
		return msg;
	if (!sv_snap_get_str(&top, 8, &magic) || !magic || strcmp(magic, "end")) {
		g_free(magic);
		return g_strdup(top.err[0] ? top.err : "no end marker");
	}
	g_free(magic);
	if (top.pos != top.len)
		return g_strdup("data after the end marker");
	return NULL;
}

char *sv_snapshot_write_file(struct sv_machine *m, const struct sv_options *o, const char *path)
{
	GByteArray *img = sv_snapshot_save(m, o, true);
	GError *err = NULL;
	char *msg = NULL;

	/* g_file_set_contents writes a temporary file and renames it. */
	if (!g_file_set_contents(path, (const char *)img->data, img->len, &err)) {
		msg = g_strdup(err->message);
		g_error_free(err);
	}
	g_byte_array_free(img, TRUE);
	return msg;
}
