/*
 * State digests: a short fingerprint of everything the guest can observe,
 * for replay to check itself (frontend/rr.h).
 *
 *   per vcpu   icount, pc, XXH3 of every register the gdb stub describes
 *              (cpu/gdb.h: general, segment, control, x87/SSE on x86-64;
 *              GPRs, FPRs, the supervisor and hypervisor SPRs on POWER)
 *   memory     XXH3 of each 16 MiB chunk of machine frames (owner, reference
 *              count and contents of every allocated frame: guest RAM and
 *              hv's own pages such as shared_info and the rings), and XXH3 of
 *              those chunk hashes
 *
 * Two digests that differ say where: which vcpu's registers (with both pcs
 * and icounts), or which chunks of memory.
 */
#ifndef SV_FRONTEND_DIGEST_H
#define SV_FRONTEND_DIGEST_H

#include "sv/common.h"

#include <glib.h>

struct domain;

#define SV_DIGEST_CHUNK_FRAMES 4096u /* 16 MiB */

struct sv_digest_vcpu {
	uint64_t icount, pc, regs;
};

struct sv_digest {
	unsigned n_vcpus, n_chunks;
	struct sv_digest_vcpu *vcpus;
	uint64_t mem;
	uint64_t *chunks;
};

void sv_digest_compute(struct domain *d, struct sv_digest *out);
void sv_digest_clear(struct sv_digest *dg);
/* One number for the whole digest (registers, icounts, pcs, memory). */
uint64_t sv_digest_hash(const struct sv_digest *dg);
/* Serialize (little-endian) / parse; parse returns false if buf is not
 * exactly one digest. */
void sv_digest_put(const struct sv_digest *dg, GByteArray *out);
bool sv_digest_get(const uint8_t *buf, size_t len, struct sv_digest *out);
/* Compare recorded `want` with `have`: NULL if equal, else a description
 * of the first difference (g_free it). */
char *sv_digest_diff(const struct sv_digest *want, const struct sv_digest *have);

#endif
