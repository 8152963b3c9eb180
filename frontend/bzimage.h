/*
 * x86 bzImage kernels: find the compressed vmlinux inside and decompress it.
 *
 * A bzImage is the real-mode setup code followed by the protected-mode part,
 * whose boot protocol header (Documentation/x86/boot.rst: "HdrS" at 0x202)
 * gives payload_offset/payload_length of the compressed ELF vmlinux. softvisor
 * boots that ELF as a PVH guest, so only the payload matters.
 */
#ifndef SV_FRONTEND_BZIMAGE_H
#define SV_FRONTEND_BZIMAGE_H

#include "sv/common.h"

/* Is this a bzImage (boot protocol 2.08+, which has payload fields)? */
bool sv_bzimage_detect(const uint8_t *data, size_t size);
/*
 * Decompress the payload (LZ4 legacy frames, gzip, xz or zstd). Returns a
 * g_malloc'ed ELF image and its size, or NULL with *msg (g_free it) naming the
 * problem. max_out bounds the output (a hostile image cannot make us allocate
 * without limit).
 */
uint8_t *sv_bzimage_extract(const uint8_t *data, size_t size, size_t max_out, size_t *out_size,
			    const char **format, char **msg);

#endif
