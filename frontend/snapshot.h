/*
 * Snapshots of a whole machine (`--snapshot-at=N --snapshot-file=FILE`,
 * gdb's `monitor savevm FILE`, `--restore=FILE`), and the in-memory ones
 * reverse execution restarts from (frontend/reverse.c).
 *
 * A snapshot is taken between two run-driver rounds (no vcpu is in the
 * middle of its turn), and holds everything the rest of the run depends on:
 * the machine frames and every module's state (hv/snapshot.c lists them),
 * xenstore's database and connection, and the input layer's round and
 * undelivered bytes. Restoring builds the machine from the same image and
 * options, as a fresh run does, and overwrites its state; the run then
 * continues from that round exactly as the uninterrupted run did (same
 * console output, same final state digest).
 *
 * Image format: a sequence of include/sv/snap.h fields:
 *
 *   STR "softvisor snapshot", U32 version, U64 layout hash (the host's byte
 *   order and pointer size, and the sizes of the host structures saved as
 *   bytes: another build's image is refused), U64 kernel and initrd hashes
 *   (XXH3), STR the machine's options (as a replay log's), U64 instructions
 *   retired (all vcpus), U64 round, then sections: STR name, BYTES payload
 *   (LZ4 for the large "hv" one in files), U64 XXH64 of the payload, in the
 *   order "input", "hv", "xenstore", and STR "end".
 *
 * Known limits: the files behind --disk are not part of a snapshot (restore
 * with them as they were when it was taken); --stats counters restart at
 * the restore; a section holds at most 4 GiB.
 */
#ifndef SV_FRONTEND_SNAPSHOT_H
#define SV_FRONTEND_SNAPSHOT_H

#include "sv/common.h"

#include <glib.h>

struct sv_machine;
struct sv_options;

/* The machine now, as an image (file = true: compressed for a file). */
GByteArray *sv_snapshot_save(struct sv_machine *m, const struct sv_options *o, bool file);
/* Overwrite the machine (just built from the same image and options) with
 * an image. NULL, or the reason it cannot (g_free it). The input layer's
 * part is kept in m until sv_snapshot_restore_input. */
char *sv_snapshot_load(struct sv_machine *m, const struct sv_options *o, const uint8_t *data,
		       size_t len);
/* Save to path (written whole to a temporary file, then renamed). NULL or
 * why not. */
char *sv_snapshot_write_file(struct sv_machine *m, const struct sv_options *o, const char *path);
/* The machine's options string (what a snapshot and a replay log must match). */
char *sv_snapshot_options(struct sv_machine *m, const struct sv_options *o);

#endif
