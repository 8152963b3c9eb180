/*
 * Guest images: ELF parsing, validation and loading.
 *
 * Every field of the file is checked before use; a bad image yields a message
 * naming the problem ("ELF program header 2 extends past the end of the
 * file"), never a crash.
 */
#ifndef SV_FRONTEND_IMAGE_H
#define SV_FRONTEND_IMAGE_H

#include <glib.h>

#include "hv/hv.h"

#define SV_IMAGE_MAX_SEGMENTS 16

struct sv_segment {
	uint64_t paddr, vaddr;
	uint64_t offset, filesz, memsz;
};

struct sv_image {
	const uint8_t *data; /* the whole file (not owned) */
	size_t size;
	enum hv_arch arch;
	bool big_endian;
	const char *format; /* human-readable */
	uint64_t entry;     /* physical entry point */
	bool has_pvh_entry; /* x86: XEN_ELFNOTE_PHYS32_ENTRY present */
	bool is_linux;      /* has the "Linux" ELF notes of a vmlinux */
	uint64_t end;       /* highest physical byte loaded + 1 */
	struct sv_segment segs[SV_IMAGE_MAX_SEGMENTS];
	unsigned n_segs;
	GString *notes;  /* notes found, for `inspect` */
	char *container; /* "bzImage, LZ4-compressed" when the ELF came from one */
	uint8_t *owned;  /* decompressed ELF (bzImage), freed by sv_image_clear */
};

/* The largest kernel a bzImage may decompress to. */
#define SV_IMAGE_MAX_ELF (512u << 20)

/* Parse and validate an ELF image. false with *msg (g_free it) naming the
 * problem. */
bool sv_image_parse(const uint8_t *data, size_t size, struct sv_image *img, char **msg);
/* The same for any image softvisor boots: an ELF, or an x86 bzImage whose
 * compressed ELF payload is extracted first. */
bool sv_image_open(const uint8_t *data, size_t size, struct sv_image *img, char **msg);
void sv_image_clear(struct sv_image *img);
/* Load the segments into p2m (they must fit in ram_bytes). */
bool sv_image_load(const struct sv_image *img, struct p2m *p2m, uint64_t ram_bytes, char **msg);
/* Print what would be booted. */
void sv_image_describe(const struct sv_image *img, FILE *out);

#endif
