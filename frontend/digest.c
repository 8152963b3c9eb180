/*
 * State digests (see frontend/digest.h).
 *
 * Example: a 512 MiB guest has 131072 + hv's frames, 33 chunks; a digest
 * is 16 bytes of header, 24 per vcpu and 8 per chunk plus the total, about
 * 300 bytes in the log. Hashing reads every allocated frame once (XXH3
 * streams at several GB/s), so the recorder spaces digests by instruction
 * count in proportion to memory size (frontend/machine.c).
 */
#include "frontend/digest.h"
#include "cpu/cpu.h"
#include "cpu/gdb.h"
#include "hv/hv.h"

#include <inttypes.h>
#include <xxhash.h>

static uint64_t sv_digest_regs(struct cpu *cpu)
{
	const struct cpu_gdb_ops *g = cpu->arch->gdb;
	XXH3_state_t *st = XXH3_createState();
	uint64_t h;

	XXH3_64bits_reset(st);
	XXH3_64bits_update(st, &cpu->icount, sizeof(cpu->icount));
	for (unsigned i = 0; g && i < g->n_regs; i++) {
		uint8_t buf[CPU_GDB_MAX_REG_BYTES] = { 0 };
		uint8_t avail = g->read_reg(cpu, i, buf) ? 1 : 0;

		XXH3_64bits_update(st, &avail, 1);
		XXH3_64bits_update(st, buf, cpu_gdb_reg_bytes(g, i));
	}
	h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	return h;
}

static void sv_digest_frame_info(XXH3_state_t *st, const struct machmem_frame *f)
{
	uint64_t info = (uint64_t)f->owner << 32 | f->refs;

	XXH3_64bits_update(st, &info, sizeof(info));
}

/* XXH3 of chunk c: the frames' bookkeeping, then each allocated frame. */
static uint64_t sv_digest_chunk(const struct machmem *mem, unsigned c, XXH3_state_t *st)
{
	uint64_t first = (uint64_t)c * SV_DIGEST_CHUNK_FRAMES;
	uint64_t end = MIN(first + SV_DIGEST_CHUNK_FRAMES, mem->n_frames);

	XXH3_64bits_reset(st);
	for (uint64_t mfn = first; mfn < end; mfn++) {
		const struct machmem_frame *f = &mem->frames[mfn];
		uint64_t run = mfn;

		sv_digest_frame_info(st, f);
		if (!f->refs)
			continue;
		/* Hash a run of allocated frames in one update. */
		while (run + 1 < end && mem->frames[run + 1].refs) {
			run++;
			sv_digest_frame_info(st, &mem->frames[run]);
		}
		XXH3_64bits_update(st, machmem_ptr(mem, mfn),
				   (size_t)(run - mfn + 1) << SV_PAGE_BITS);
		mfn = run;
	}
	return XXH3_64bits_digest(st);
}

void sv_digest_compute(struct domain *d, struct sv_digest *out)
{
	const struct machmem *mem = &d->hv->mem;
	XXH3_state_t *st = XXH3_createState();

	out->n_vcpus = d->n_vcpus;
	out->vcpus = g_new0(struct sv_digest_vcpu, d->n_vcpus);
	for (unsigned i = 0; i < d->n_vcpus; i++) {
		struct cpu *cpu = d->vcpus[i]->cpu;

		out->vcpus[i].icount = cpu->icount;
		out->vcpus[i].pc = cpu->arch->get_pc(cpu);
		out->vcpus[i].regs = sv_digest_regs(cpu);
	}
	out->n_chunks =
		(unsigned)((mem->n_frames + SV_DIGEST_CHUNK_FRAMES - 1) / SV_DIGEST_CHUNK_FRAMES);
	out->chunks = g_new0(uint64_t, out->n_chunks);
	for (unsigned c = 0; c < out->n_chunks; c++)
		out->chunks[c] = sv_digest_chunk(mem, c, st);
	out->mem = XXH3_64bits(out->chunks, out->n_chunks * sizeof(uint64_t));
	XXH3_freeState(st);
}

void sv_digest_clear(struct sv_digest *dg)
{
	g_free(dg->vcpus);
	g_free(dg->chunks);
	memset(dg, 0, sizeof(*dg));
}

static void put64(GByteArray *out, uint64_t v)
{
	uint8_t b[8];

	st64_le_p(b, v);
	g_byte_array_append(out, b, 8);
}

static void put32(GByteArray *out, uint32_t v)
{
	uint8_t b[4];

	st32_le_p(b, v);
	g_byte_array_append(out, b, 4);
}

void sv_digest_put(const struct sv_digest *dg, GByteArray *out)
{
	put32(out, dg->n_vcpus);
	put32(out, dg->n_chunks);
	for (unsigned i = 0; i < dg->n_vcpus; i++) {
		put64(out, dg->vcpus[i].icount);
		put64(out, dg->vcpus[i].pc);
		put64(out, dg->vcpus[i].regs);
	}
	put64(out, dg->mem);
	for (unsigned c = 0; c < dg->n_chunks; c++)
		put64(out, dg->chunks[c]);
}

bool sv_digest_get(const uint8_t *buf, size_t len, struct sv_digest *out)
{
	uint32_t nv, nc;

	memset(out, 0, sizeof(*out));
	if (len < 16)
		return false;
	nv = ld32_le_p(buf);
	nc = ld32_le_p(buf + 4);
	/* Bounded by the record's length before anything is allocated. */
	if (nv > 4096 || nc > (1u << 20) || len != 8 + 24 * (size_t)nv + 8 + 8 * (size_t)nc)
		return false;
	out->n_vcpus = nv;
	out->n_chunks = nc;
	out->vcpus = g_new0(struct sv_digest_vcpu, nv ? nv : 1);
	out->chunks = g_new0(uint64_t, nc ? nc : 1);
	buf += 8;
	for (unsigned i = 0; i < nv; i++, buf += 24) {
		out->vcpus[i].icount = ld64_le_p(buf);
		out->vcpus[i].pc = ld64_le_p(buf + 8);
		out->vcpus[i].regs = ld64_le_p(buf + 16);
	}
	out->mem = ld64_le_p(buf);
	buf += 8;
	for (unsigned c = 0; c < nc; c++, buf += 8)
		out->chunks[c] = ld64_le_p(buf);
	return true;
}

char *sv_digest_diff(const struct sv_digest *want, const struct sv_digest *have)
{
	uint64_t chunk_bytes = (uint64_t)SV_DIGEST_CHUNK_FRAMES << SV_PAGE_BITS;

	if (want->n_vcpus != have->n_vcpus || want->n_chunks != have->n_chunks)
		return g_strdup_printf("the machine differs (%u vcpus and %u memory chunks "
				       "recorded, %u and %u now)",
				       want->n_vcpus, want->n_chunks, have->n_vcpus,
				       have->n_chunks);
	for (unsigned i = 0; i < want->n_vcpus; i++) {
		const struct sv_digest_vcpu *w = &want->vcpus[i], *h = &have->vcpus[i];

		if (w->icount != h->icount || w->pc != h->pc || w->regs != h->regs)
			return g_strdup_printf(
				"vcpu %u registers differ (recorded: icount %" PRIu64
				", pc 0x%" PRIx64 "; replay: icount %" PRIu64 ", pc 0x%" PRIx64
				")%s",
				i, w->icount, w->pc, h->icount, h->pc,
				w->icount == h->icount && w->pc == h->pc ?
					": same pc and icount, other registers differ" :
					"");
	}
	if (want->mem != have->mem) {
		GString *s = g_string_new("guest memory differs, in machine bytes");
		unsigned shown = 0;

		for (unsigned c = 0; c < want->n_chunks; c++) {
			if (want->chunks[c] == have->chunks[c])
				continue;
			if (shown++ < 4)
				g_string_append_printf(s, " [0x%" PRIx64 ", 0x%" PRIx64 ")",
						       c * chunk_bytes, (c + 1) * chunk_bytes);
		}
		if (shown > 4)
			g_string_append_printf(s, " and %u more 16 MiB chunks", shown - 4);
		return g_string_free(s, FALSE);
	}
	return NULL;
}

uint64_t sv_digest_hash(const struct sv_digest *dg)
{
	GByteArray *b = g_byte_array_new();
	uint64_t h;

	sv_digest_put(dg, b);
	h = XXH3_64bits(b->data, b->len);
	g_byte_array_free(b, TRUE);
	return h;
}
