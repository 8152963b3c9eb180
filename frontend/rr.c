/*
 * The record/replay log (see frontend/rr.h for the format and the contract).
 *
 * Worked example: `softvisor run --record=r.log echo.elf` with "hi\n" typed
 * at round 12 and a 100000-instruction digest interval writes
 *
 *   header                       "SVRRLOG\0" v1
 *   block 0: META                hashes, "arch=x86_64 platform=xen ...", 100000
 *            DIGEST round 1      icount 0 ...
 *            INPUT  round 12     "hi\n"
 *            DIGEST round 14     icount 100342 ...
 *            END    round 20     status 0, digest
 *
 * `--replay=r.log` reads it all, checks the checksums and META, then at round
 * 1 computes a digest and compares, at round 12 puts "hi\n" in the console
 * queue, ... and at the end compares END.
 */
#include "frontend/rr.h"
#include "frontend/digest.h"
#include "frontend/options.h"
#include "hv/hv.h"

#include <errno.h>
#include <inttypes.h>
#include <xxhash.h>

enum sv_rr_type {
	RR_META = 1,
	RR_INPUT = 2,
	RR_DIGEST = 3,
	RR_END = 4,
};

#define RR_FILE_MAGIC "SVRRLOG"    /* 8 bytes with its NUL */
#define RR_BLOCK_MAGIC 0x42525653u /* "SVRB" */
#define RR_FILE_HEADER 24
#define RR_BLOCK_HEADER 16
#define RR_REC_HEADER 24
#define RR_BLOCK_TARGET 4096    /* flush a block once its payload is this big */
#define RR_BLOCK_MAX (1u << 24) /* a larger block is corrupt */
#define RR_END_EXTERNAL 1u

struct rr_record {
	unsigned type;
	uint64_t round, icount;
	const uint8_t *data;
	uint32_t len;
};

struct sv_rr {
	bool replay;
	char *path;
	struct sv_rr_config cfg;
	/* Record. */
	FILE *f;
	GByteArray *block;
	uint32_t seq;
	bool write_failed;
	uint64_t next_digest;
	/* Replay. */
	uint8_t *data;
	size_t size;
	GArray *recs; /* struct rr_record, in file order */
	unsigned next;
	const struct rr_record *end;
};

uint64_t sv_rr_hash(const void *data, size_t len)
{
	return XXH3_64bits(data, len);
}

bool sv_rr_replaying(const struct sv_rr *rr)
{
	return rr && rr->replay;
}

/* ---- Writing --------------------------------------------------------------- */

static void rr_write(struct sv_rr *rr, const void *buf, size_t len)
{
	if (rr->write_failed)
		return;
	if (fwrite(buf, 1, len, rr->f) != len) {
		sv_error("cannot write the replay log %s: %s (recording stopped)", rr->path,
			 g_strerror(errno));
		rr->write_failed = true;
	}
}

static void rr_flush_block(struct sv_rr *rr)
{
	uint8_t hdr[RR_BLOCK_HEADER], sum[8];
	XXH64_state_t *st;

	if (!rr->block->len)
		return;
	st32_le_p(hdr, RR_BLOCK_MAGIC);
	st32_le_p(hdr + 4, rr->seq);
	st32_le_p(hdr + 8, rr->block->len);
	st32_le_p(hdr + 12, 0);
	st = XXH64_createState();
	XXH64_reset(st, rr->seq);
	XXH64_update(st, hdr, sizeof(hdr));
	XXH64_update(st, rr->block->data, rr->block->len);
	st64_le_p(sum, XXH64_digest(st));
	XXH64_freeState(st);
	rr_write(rr, hdr, sizeof(hdr));
	rr_write(rr, rr->block->data, rr->block->len);
	rr_write(rr, sum, sizeof(sum));
	if (!rr->write_failed && fflush(rr->f) != 0) {
		sv_error("cannot write the replay log %s: %s (recording stopped)", rr->path,
			 g_strerror(errno));
		rr->write_failed = true;
	}
	g_byte_array_set_size(rr->block, 0);
	rr->seq++;
}

static void rr_append(struct sv_rr *rr, unsigned type, uint64_t round, uint64_t icount,
		      const void *data, size_t len)
{
	uint8_t h[RR_REC_HEADER];

	h[0] = (uint8_t)type;
	h[1] = 0;
	st16_le_p(h + 2, 0);
	st32_le_p(h + 4, (uint32_t)len);
	st64_le_p(h + 8, round);
	st64_le_p(h + 16, icount);
	g_byte_array_append(rr->block, h, sizeof(h));
	g_byte_array_append(rr->block, data, (guint)len);
	if (rr->block->len >= RR_BLOCK_TARGET)
		rr_flush_block(rr);
}

static GByteArray *rr_meta(const struct sv_rr_config *cfg)
{
	GByteArray *m = g_byte_array_new();
	uint8_t b[24];

	st64_le_p(b, cfg->kernel_hash);
	st64_le_p(b + 8, cfg->initrd_hash);
	st64_le_p(b + 16, cfg->digest_interval);
	g_byte_array_append(m, b, sizeof(b));
	g_byte_array_append(m, (const uint8_t *)SV_VERSION, sizeof(SV_VERSION));
	g_byte_array_append(m, (const uint8_t *)cfg->options, (guint)strlen(cfg->options) + 1);
	return m;
}

struct sv_rr *sv_rr_record(const char *path, const struct sv_rr_config *cfg)
{
	struct sv_rr *rr = g_new0(struct sv_rr, 1);
	uint8_t hdr[RR_FILE_HEADER] = RR_FILE_MAGIC;
	GByteArray *meta;

	rr->path = g_strdup(path);
	rr->cfg = *cfg;
	rr->cfg.options = g_strdup(cfg->options);
	rr->f = fopen(path, "wb");
	if (!rr->f) {
		sv_error("cannot create the replay log %s: %s", path, g_strerror(errno));
		sv_rr_close(rr);
		return NULL;
	}
	rr->block = g_byte_array_new();
	st32_le_p(hdr + 8, SV_RR_VERSION);
	st32_le_p(hdr + 12, 0);
	st64_le_p(hdr + 16, XXH64(hdr, 16, 0));
	rr_write(rr, hdr, sizeof(hdr));
	meta = rr_meta(cfg);
	rr_append(rr, RR_META, 0, 0, meta->data, meta->len);
	g_byte_array_free(meta, TRUE);
	if (rr->write_failed) {
		sv_rr_close(rr);
		return NULL;
	}
	return rr;
}

/* ---- Reading --------------------------------------------------------------- */

static bool rr_fail(struct sv_rr *rr, const char *fmt, ...) SV_PRINTF(2, 3);
static bool rr_fail(struct sv_rr *rr, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sv_error("replay log %s: %s", rr->path, msg);
	g_free(msg);
	return false;
}

/* Check every block and split the payloads into records. */
static bool rr_parse(struct sv_rr *rr)
{
	size_t off = RR_FILE_HEADER;
	uint32_t seq = 0;

	if (rr->size < RR_FILE_HEADER || memcmp(rr->data, RR_FILE_MAGIC, 8))
		return rr_fail(rr, "not a softvisor replay log (no SVRRLOG header)");
	if (ld64_le_p(rr->data + 16) != XXH64(rr->data, 16, 0))
		return rr_fail(rr, "the file header's checksum does not match (corrupt)");
	if (ld32_le_p(rr->data + 8) != SV_RR_VERSION)
		return rr_fail(rr, "log format version %u; this softvisor reads version %u",
			       (unsigned)ld32_le_p(rr->data + 8), SV_RR_VERSION);
	while (off < rr->size) {
		const uint8_t *b = rr->data + off;
		uint32_t len;
		size_t p;

		if (rr->size - off < RR_BLOCK_HEADER)
			return rr_fail(rr, "truncated: block %u at byte %zu is cut short", seq,
				       off);
		len = ld32_le_p(b + 8);
		if (ld32_le_p(b) != RR_BLOCK_MAGIC || ld32_le_p(b + 12) != 0 || len > RR_BLOCK_MAX)
			return rr_fail(rr, "block %u at byte %zu: bad block header (corrupt)", seq,
				       off);
		if (ld32_le_p(b + 4) != seq)
			return rr_fail(rr, "block at byte %zu is number %u, expected %u (corrupt)",
				       off, (unsigned)ld32_le_p(b + 4), seq);
		if (rr->size - off < (size_t)RR_BLOCK_HEADER + len + 8)
			return rr_fail(rr,
				       "truncated: block %u at byte %zu needs %zu bytes, the file "
				       "has %zu",
				       seq, off, (size_t)RR_BLOCK_HEADER + len + 8, rr->size - off);
		if (ld64_le_p(b + RR_BLOCK_HEADER + len) !=
		    XXH64(b, RR_BLOCK_HEADER + (size_t)len, seq))
			return rr_fail(rr,
				       "block %u at byte %zu: checksum mismatch (the log is "
				       "corrupt or was modified)",
				       seq, off);
		for (p = 0; p < len;) {
			const uint8_t *r = b + RR_BLOCK_HEADER + p;
			struct rr_record rec;

			if (len - p < RR_REC_HEADER || ld32_le_p(r + 4) > len - p - RR_REC_HEADER)
				return rr_fail(rr, "block %u: malformed record at byte %zu", seq,
					       off + RR_BLOCK_HEADER + p);
			rec.type = r[0];
			rec.len = ld32_le_p(r + 4);
			rec.round = ld64_le_p(r + 8);
			rec.icount = ld64_le_p(r + 16);
			rec.data = r + RR_REC_HEADER;
			if (rec.type < RR_META || rec.type > RR_END)
				return rr_fail(rr, "block %u: unknown record type %u", seq,
					       rec.type);
			g_array_append_val(rr->recs, rec);
			p += RR_REC_HEADER + rec.len;
		}
		off += RR_BLOCK_HEADER + len + 8;
		seq++;
	}
	return true;
}

/* The records in order: META first, END last, rounds never going back,
 * each record's data well-formed. */
static bool rr_validate(struct sv_rr *rr)
{
	const struct rr_record *r = (const struct rr_record *)rr->recs->data;
	unsigned n = rr->recs->len;
	uint64_t round = 0;

	if (!n || r[0].type != RR_META || r[0].len < 26 || r[0].data[r[0].len - 1] != 0 ||
	    !memchr(r[0].data + 24, 0, r[0].len - 25))
		return rr_fail(rr, "no valid META record at its start (corrupt)");
	if (r[n - 1].type != RR_END)
		return rr_fail(rr, "truncated: no END record (the recording was cut short: "
				   "killed, or out of disk space)");
	for (unsigned i = 1; i < n; i++) {
		struct sv_digest dg;

		if (r[i].round < round || (r[i].type == RR_META) ||
		    (r[i].type == RR_END && i != n - 1))
			return rr_fail(rr, "records out of order at record %u (corrupt)", i);
		round = r[i].round;
		if (r[i].type == RR_DIGEST || r[i].type == RR_END) {
			size_t skip = r[i].type == RR_END ? 8 : 0;

			if (r[i].len < skip ||
			    !sv_digest_get(r[i].data + skip, r[i].len - skip, &dg))
				return rr_fail(rr, "malformed digest in record %u (corrupt)", i);
			sv_digest_clear(&dg);
		}
	}
	rr->end = &r[n - 1];
	return true;
}

/* META against this run's configuration. */
static bool rr_check_meta(struct sv_rr *rr, const struct sv_rr_config *cfg)
{
	const struct rr_record *m = &g_array_index(rr->recs, struct rr_record, 0);
	const char *version = (const char *)m->data + 24;
	const char *options = version + strlen(version) + 1;

	if (ld64_le_p(m->data) != cfg->kernel_hash)
		return rr_fail(rr,
			       "recorded with another kernel image (XXH3 %016" PRIx64
			       ", this one %016" PRIx64 ")",
			       ld64_le_p(m->data), cfg->kernel_hash);
	if (ld64_le_p(m->data + 8) != cfg->initrd_hash)
		return rr_fail(rr,
			       "recorded with another initrd (XXH3 %016" PRIx64
			       ", this one %016" PRIx64 ")",
			       ld64_le_p(m->data + 8), cfg->initrd_hash);
	if (strcmp(options, cfg->options))
		return rr_fail(rr, "recorded with '%s'; this run has '%s'", options, cfg->options);
	if (strcmp(version, SV_VERSION))
		sv_error("warning: replay log %s was recorded by softvisor %s, this is %s: the "
			 "replay may diverge",
			 rr->path, version, SV_VERSION);
	rr->cfg.digest_interval = ld64_le_p(m->data + 16);
	return true;
}

struct sv_rr *sv_rr_replay(const char *path, const struct sv_rr_config *cfg)
{
	struct sv_rr *rr = g_new0(struct sv_rr, 1);
	GError *gerr = NULL;
	gchar *data = NULL;
	gsize size = 0;

	rr->replay = true;
	rr->path = g_strdup(path);
	rr->cfg = *cfg;
	rr->cfg.options = g_strdup(cfg->options);
	rr->recs = g_array_new(FALSE, FALSE, sizeof(struct rr_record));
	if (!g_file_get_contents(path, &data, &size, &gerr)) {
		sv_error("cannot read the replay log %s: %s", path, gerr->message);
		g_error_free(gerr);
		sv_rr_close(rr);
		return NULL;
	}
	rr->data = (uint8_t *)data;
	rr->size = size;
	if (!rr_parse(rr) || !rr_validate(rr) || !rr_check_meta(rr, cfg)) {
		sv_rr_close(rr);
		return NULL;
	}
	rr->next = 1;
	return rr;
}

void sv_rr_close(struct sv_rr *rr)
{
	if (!rr)
		return;
	if (rr->f) {
		rr_flush_block(rr);
		fclose(rr->f);
	}
	if (rr->block)
		g_byte_array_free(rr->block, TRUE);
	if (rr->recs)
		g_array_free(rr->recs, TRUE);
	g_free(rr->data);
	g_free(rr->path);
	g_free((char *)rr->cfg.options);
	g_free(rr);
}

/* ---- During the run ----------------------------------------------------------- */

static const struct rr_record *rr_peek(const struct sv_rr *rr)
{
	return rr->next < rr->recs->len ? &g_array_index(rr->recs, struct rr_record, rr->next) :
					  NULL;
}

static int rr_diverged(struct sv_rr *rr, uint64_t round, uint64_t icount, const char *what)
{
	sv_error("replay diverged from %s at round %" PRIu64 " (icount %" PRIu64 "): %s", rr->path,
		 round, icount, what);
	return SV_EXIT_DIVERGED;
}

/* Compare digest record r with the state now. */
static int rr_compare(struct sv_rr *rr, struct domain *d, const struct rr_record *r, size_t skip,
		      uint64_t round)
{
	struct sv_digest want, have;
	char *diff;
	int st = -1;

	sv_digest_get(r->data + skip, r->len - skip, &want);
	sv_digest_compute(d, &have);
	diff = sv_digest_diff(&want, &have);
	if (diff)
		st = rr_diverged(rr, round, hv_domain_icount(d), diff);
	g_free(diff);
	sv_digest_clear(&want);
	sv_digest_clear(&have);
	return st;
}

int sv_rr_round_digest(struct sv_rr *rr, struct domain *d, uint64_t round)
{
	uint64_t icount = hv_domain_icount(d);
	const struct rr_record *r;

	if (!rr->replay) {
		struct sv_digest dg;
		GByteArray *b;

		if (round != 1 && icount < rr->next_digest)
			return -1;
		rr->next_digest = icount + rr->cfg.digest_interval;
		sv_digest_compute(d, &dg);
		b = g_byte_array_new();
		sv_digest_put(&dg, b);
		rr_append(rr, RR_DIGEST, round, icount, b->data, b->len);
		g_byte_array_free(b, TRUE);
		sv_digest_clear(&dg);
		/* A digest is a good place to have the log on disk. */
		rr_flush_block(rr);
		return -1;
	}
	r = rr_peek(rr);
	if (!r || r->type != RR_DIGEST || r->round != round)
		return -1;
	rr->next++;
	if (r->icount != icount) {
		char *what = g_strdup_printf(
			"the recorded run was at icount %" PRIu64 " at this round", r->icount);
		int st = rr_diverged(rr, round, icount, what);
		g_free(what);
		return st;
	}
	return rr_compare(rr, d, r, 0, round);
}

void sv_rr_log_input(struct sv_rr *rr, struct domain *d, uint64_t round, const uint8_t *buf,
		     size_t len)
{
	if (len && !rr->replay)
		rr_append(rr, RR_INPUT, round, hv_domain_icount(d), buf, len);
}

void sv_rr_take_input(struct sv_rr *rr, uint64_t round, GByteArray *out)
{
	const struct rr_record *r;

	while ((r = rr_peek(rr)) && r->type == RR_INPUT && r->round == round) {
		g_byte_array_append(out, r->data, r->len);
		rr->next++;
	}
}

bool sv_rr_input_pending(const struct sv_rr *rr)
{
	for (unsigned i = rr->next; i < rr->recs->len; i++)
		if (g_array_index(rr->recs, struct rr_record, i).type == RR_INPUT)
			return true;
	return false;
}

int sv_rr_external_stop(const struct sv_rr *rr, uint64_t round)
{
	if (rr->end->round == round && (ld32_le_p(rr->end->data + 4) & RR_END_EXTERNAL))
		return (int)ld32_le_p(rr->end->data);
	return -1;
}

int sv_rr_check_running(struct sv_rr *rr, struct domain *d, uint64_t round)
{
	const struct rr_record *r;

	if (!rr->replay)
		return -1;
	r = rr_peek(rr);
	if (r && r != rr->end && r->round < round) {
		/* Only a record whose round passed unmatched can be left. */
		char *what =
			g_strdup_printf("a record of round %" PRIu64 " was not consumed", r->round);
		int st = rr_diverged(rr, round, hv_domain_icount(d), what);
		g_free(what);
		return st;
	}
	if (round > rr->end->round) {
		char *what = g_strdup_printf("the recorded run had ended at round %" PRIu64
					     " (exit status %u); the replay goes on",
					     rr->end->round, (unsigned)ld32_le_p(rr->end->data));
		int st = rr_diverged(rr, round, hv_domain_icount(d), what);
		g_free(what);
		return st;
	}
	return -1;
}

int sv_rr_finish(struct sv_rr *rr, struct domain *d, uint64_t round, int status, bool external)
{
	if (!rr->replay) {
		struct sv_digest dg;
		GByteArray *b = g_byte_array_new();
		uint8_t h[8];

		st32_le_p(h, (uint32_t)status);
		st32_le_p(h + 4, external ? RR_END_EXTERNAL : 0);
		g_byte_array_append(b, h, sizeof(h));
		sv_digest_compute(d, &dg);
		sv_digest_put(&dg, b);
		rr_append(rr, RR_END, round, hv_domain_icount(d), b->data, b->len);
		rr_flush_block(rr);
		g_byte_array_free(b, TRUE);
		sv_digest_clear(&dg);
		return status;
	}
	if (rr->end->round != round || ld32_le_p(rr->end->data) != (uint32_t)status) {
		char *what = g_strdup_printf("the recorded run ended at round %" PRIu64
					     " (icount %" PRIu64 ") with exit status %u, the "
					     "replay ends with status %d",
					     rr->end->round, rr->end->icount,
					     (unsigned)ld32_le_p(rr->end->data), status);
		int st = rr_diverged(rr, round, hv_domain_icount(d), what);
		g_free(what);
		return st;
	}
	if (rr_compare(rr, d, rr->end, 8, round) >= 0)
		return SV_EXIT_DIVERGED;
	return status;
}
