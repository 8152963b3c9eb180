/*
 * Machine memory: the host pages softvisor gives to guests, as machine frames
 * (mfns). Every frame has an owner (a domain id) and a reference count; the
 * p2m holds one reference for each mapping, so a foreign or grant mapping keeps
 * a page alive after its owner released it. A frame returns to the free list
 * when its last reference is dropped.
 *
 * The frames are one contiguous host reservation (mapped lazily by the host
 * OS), so mfn -> host address is a shift and an add.
 */
#ifndef SV_MMU_MACHMEM_H
#define SV_MMU_MACHMEM_H

#include "sv/common.h"
#include "sv/snap.h"

#define MACHMEM_OWNER_NONE 0xffffu

struct machmem_frame {
	uint16_t owner;
	uint32_t refs;
};

struct machmem {
	uint8_t *base;
	uint64_t n_frames;
	struct machmem_frame *frames;
	uint64_t *free_list; /* stack of free mfns */
	uint64_t n_free;
};

/* Reserve room for bytes of guest memory. 0 or -ENOMEM. */
int machmem_init(struct machmem *m, uint64_t bytes);
void machmem_destroy(struct machmem *m);

/* Allocate a zeroed frame owned by owner, with one reference. -ENOMEM if none. */
int64_t machmem_alloc(struct machmem *m, uint16_t owner);
void machmem_get(struct machmem *m, uint64_t mfn);
/* Drop a reference; the frame is freed (and scrubbed) at zero. */
void machmem_put(struct machmem *m, uint64_t mfn);

/* Snapshots (include/sv/snap.h): load overwrites every frame's owner,
 * references and contents; the holders of references are loaded after. */
void machmem_save(const struct machmem *m, struct sv_snap_w *w);
int machmem_load(struct machmem *m, struct sv_snap_r *r);

static inline uint8_t *machmem_ptr(const struct machmem *m, uint64_t mfn)
{
	return m->base + (mfn << SV_PAGE_BITS);
}

static inline bool machmem_valid(const struct machmem *m, uint64_t mfn)
{
	return mfn < m->n_frames && m->frames[mfn].refs > 0;
}

#endif
