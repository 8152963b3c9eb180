/*
 * Record and replay (`--record=FILE`, `--replay=FILE`): the log of every
 * input a run took, and the state digests that let a replay check itself.
 *
 * A run is a function of its configuration and of its inputs; inputs enter
 * only through frontend/input.c, at the start of a run-driver round. The log
 * therefore holds, in round order:
 *
 *   META    the configuration: kernel and initrd hashes (XXH3), the options
 *           that change what the guest sees (arch, platform, memory, vcpus,
 *           command line), the softvisor version, the digest interval
 *   INPUT   round R: these console bytes were delivered
 *   DIGEST  round R: the state digest (every vcpu's registers, icount and
 *           pc; guest memory as XXH3 per 16 MiB of machine frames)
 *   END     round R: how the run ended (exit status, stopped from outside
 *           or not) and the final digest
 *
 * A replay checks META against its own configuration, delivers each INPUT
 * at its round, computes a digest wherever the log has one and compares, and
 * at the end compares END. The first difference stops the replay with a
 * message naming the round, the instruction count, and what differs (a
 * vcpu's registers, or memory and where), exit status SV_EXIT_DIVERGED.
 *
 * File format (little-endian; every multi-byte field):
 *
 *   header   "SVRRLOG\0", u32 version (1), u32 0, u64 XXH64(the 16 bytes)
 *   blocks   u32 "SVRB", u32 sequence number (0, 1, ...), u32 payload
 *            length, u32 0, payload, u64 XXH64(header + payload, seed =
 *            sequence number)
 *   records  (in payloads, never split across blocks) u8 type, u8 0, u16 0,
 *            u32 data length, u64 round, u64 icount (all vcpus), data
 *
 * A replay reads and checks the whole file before the guest starts: a bad
 * magic or version, a checksum that does not match (a flipped byte), a
 * block out of sequence, a truncated block, a malformed record or a missing
 * END are reported as such (exit status 1) and nothing runs.
 */
#ifndef SV_FRONTEND_RR_H
#define SV_FRONTEND_RR_H

#include "sv/common.h"

#include <glib.h>

struct domain;
struct sv_rr;

#define SV_RR_VERSION 1
/* Replay found a difference from the recording (see man/softvisor.1). */
#define SV_EXIT_DIVERGED 5

/* What a replay must match. */
struct sv_rr_config {
	uint64_t kernel_hash, initrd_hash; /* XXH3; 0 without an initrd */
	const char *options;               /* canonical, e.g. "arch=ppc64 ..." */
	uint64_t digest_interval;          /* record: instructions between digests */
};

/* Open for recording / replaying. NULL after printing why (exit status 1). */
struct sv_rr *sv_rr_record(const char *path, const struct sv_rr_config *cfg);
struct sv_rr *sv_rr_replay(const char *path, const struct sv_rr_config *cfg);
/* Flush and close (a recording without its END is left as it is). */
void sv_rr_close(struct sv_rr *rr);
bool sv_rr_replaying(const struct sv_rr *rr);

/*
 * At the start of round `round` of domain d: record mode checks the digest
 * interval and logs a DIGEST; replay mode compares the DIGEST logged for
 * this round, if any. Returns -1, or SV_EXIT_DIVERGED after the report.
 */
int sv_rr_round_digest(struct sv_rr *rr, struct domain *d, uint64_t round);
/* Record: bytes were delivered at this round. */
void sv_rr_log_input(struct sv_rr *rr, struct domain *d, uint64_t round, const uint8_t *buf,
		     size_t len);
/* Replay: the bytes logged for this round (appended to out). */
void sv_rr_take_input(struct sv_rr *rr, uint64_t round, GByteArray *out);
/* Replay: does the log still hold input (for a later round)? */
bool sv_rr_input_pending(const struct sv_rr *rr);
/* Replay: the recorded run was stopped from outside (timeout, Ctrl-A x) at
 * the end of this round: its exit status, else -1. */
int sv_rr_external_stop(const struct sv_rr *rr, uint64_t round);
/* Replay: a round started after the recorded run had ended. */
int sv_rr_check_running(struct sv_rr *rr, struct domain *d, uint64_t round);
/* The run ended with status in round `round`: record logs END (external:
 * stopped from outside, not by the guest); replay compares it. Returns the
 * exit status to use (SV_EXIT_DIVERGED on a difference). */
int sv_rr_finish(struct sv_rr *rr, struct domain *d, uint64_t round, int status, bool external);

/* The hash of a file's bytes as the log stores it. */
uint64_t sv_rr_hash(const void *data, size_t len);

#endif
