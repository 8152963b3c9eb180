/*
 * Machine frames: allocation, ownership and reference counts.
 */
#include "mmu/machmem.h"

#include <errno.h>
#include <inttypes.h>
#include <glib.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

int machmem_init(struct machmem *m, uint64_t bytes)
{
	uint64_t n = (bytes + SV_PAGE_SIZE - 1) >> SV_PAGE_BITS;
	void *p;

	memset(m, 0, sizeof(*m));
	if (n == 0 || n > (1ull << 28)) /* 1 TiB of guest memory at most */
		return -ENOMEM;
	/* Lazily backed by the host: untouched guest memory costs nothing. */
	p = mmap(NULL, n << SV_PAGE_BITS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	m->base = p;
	m->n_frames = n;
	m->frames = g_try_new0(struct machmem_frame, n);
	m->free_list = g_try_new(uint64_t, n);
	if (!m->frames || !m->free_list) {
		machmem_destroy(m);
		return -ENOMEM;
	}
	/* Hand out low frames first (deterministic, and nicer in traces). */
	for (uint64_t i = 0; i < n; i++) {
		m->free_list[i] = n - 1 - i;
		m->frames[i].owner = MACHMEM_OWNER_NONE;
	}
	m->n_free = n;
	return 0;
}

void machmem_destroy(struct machmem *m)
{
	if (m->base)
		munmap(m->base, m->n_frames << SV_PAGE_BITS);
	g_free(m->frames);
	g_free(m->free_list);
	memset(m, 0, sizeof(*m));
}

int64_t machmem_alloc(struct machmem *m, uint16_t owner)
{
	uint64_t mfn;

	if (m->n_free == 0)
		return -ENOMEM;
	mfn = m->free_list[--m->n_free];
	m->frames[mfn].owner = owner;
	m->frames[mfn].refs = 1;
	return (int64_t)mfn;
}

void machmem_get(struct machmem *m, uint64_t mfn)
{
	g_assert(mfn < m->n_frames && m->frames[mfn].refs > 0);
	m->frames[mfn].refs++;
}

void machmem_put(struct machmem *m, uint64_t mfn)
{
	struct machmem_frame *f;

	g_assert(mfn < m->n_frames && m->frames[mfn].refs > 0);
	f = &m->frames[mfn];
	if (--f->refs)
		return;
	/* Scrub before reuse: no data leaks from one owner to the next. */
	memset(machmem_ptr(m, mfn), 0, SV_PAGE_SIZE);
	f->owner = MACHMEM_OWNER_NONE;
	m->free_list[m->n_free++] = mfn;
}

/*
 * Snapshots: the frame table (owner and references of every frame), the
 * free list in its order (the next allocations must pick the same frames),
 * and the contents of every allocated frame that is not all zero (free
 * frames are scrubbed, so they are zero by construction).
 */
static bool machmem_page_zero(const uint8_t *p)
{
	const uint64_t *q = (const uint64_t *)p;

	for (unsigned i = 0; i < SV_PAGE_SIZE / 8; i++)
		if (q[i])
			return false;
	return true;
}

/*
 * Which frames the host has ever given a page (present or swapped out, from
 * /proc/self/pagemap): the others were never written and read as zero, so a
 * 512 MiB guest that touched 40 MiB is saved without reading the rest. If
 * pagemap cannot be read, every frame counts as backed.
 */
static bool *machmem_backed(const struct machmem *m)
{
	bool *b = g_new(bool, m->n_frames);
	uint64_t *ent = g_new(uint64_t, 4096);
	int fd = open("/proc/self/pagemap", O_RDONLY);
	long hp = sysconf(_SC_PAGESIZE);

	for (uint64_t i = 0; i < m->n_frames; i++)
		b[i] = true;
	if (fd < 0 || hp != (long)SV_PAGE_SIZE)
		goto out;
	for (uint64_t i = 0; i < m->n_frames; i += 4096) {
		uint64_t n = MIN(4096, m->n_frames - i);
		off_t off = (off_t)((uintptr_t)machmem_ptr(m, i) / SV_PAGE_SIZE * 8);

		if (pread(fd, ent, n * 8, off) != (ssize_t)(n * 8)) {
			for (uint64_t j = 0; j < m->n_frames; j++)
				b[j] = true;
			break;
		}
		/* Bit 63: present; bit 62: swapped. */
		for (uint64_t j = 0; j < n; j++)
			b[i + j] = (ent[j] >> 62) != 0;
	}
out:
	if (fd >= 0)
		close(fd);
	g_free(ent);
	return b;
}

void machmem_save(const struct machmem *m, struct sv_snap_w *w)
{
	bool *backed = machmem_backed(m);
	uint64_t n_pages = 0;

	sv_snap_put_u64(w, m->n_frames);
	sv_snap_put_bytes(w, m->frames, m->n_frames * sizeof(*m->frames));
	sv_snap_put_u64(w, m->n_free);
	sv_snap_put_bytes(w, m->free_list, m->n_free * sizeof(*m->free_list));
	for (uint64_t mfn = 0; mfn < m->n_frames; mfn++) {
		backed[mfn] = backed[mfn] && m->frames[mfn].refs &&
			      !machmem_page_zero(machmem_ptr(m, mfn));
		n_pages += backed[mfn];
	}
	sv_snap_put_u64(w, n_pages);
	for (uint64_t mfn = 0; mfn < m->n_frames; mfn++) {
		if (!backed[mfn])
			continue;
		sv_snap_put_u64(w, mfn);
		sv_snap_put_bytes(w, machmem_ptr(m, mfn), SV_PAGE_SIZE);
	}
	g_free(backed);
}

/* Frames [first, end) become zero: their host pages are dropped (a fresh
 * zero page on the next touch), which costs nothing for pages never
 * touched. */
static void machmem_zero_range(struct machmem *m, uint64_t first, uint64_t end)
{
	if (first >= end)
		return;
	if (madvise(machmem_ptr(m, first), (end - first) << SV_PAGE_BITS, MADV_DONTNEED) < 0)
		memset(machmem_ptr(m, first), 0, (end - first) << SV_PAGE_BITS);
}

int machmem_load(struct machmem *m, struct sv_snap_r *r)
{
	struct machmem_frame *frames = NULL;
	uint64_t n, n_free, n_pages, prev = 0;
	bool *seen = NULL;
	int rc = 0;

	if (!sv_snap_get_u64(r, &n))
		return -EINVAL;
	if (n != m->n_frames)
		return sv_snap_fail(r,
				    "%" PRIu64 " machine frames saved, this machine has %" PRIu64
				    " (another --memory?)",
				    n, m->n_frames);
	frames = g_new(struct machmem_frame, n);
	if (!sv_snap_get_bytes(r, frames, n * sizeof(*frames)) || !sv_snap_get_u64(r, &n_free) ||
	    n_free > n) {
		rc = sv_snap_fail(r, "bad frame table");
		goto out;
	}
	/* The free list must name exactly the frames without references. */
	seen = g_new0(bool, n);
	{
		size_t len = 0;
		const uint8_t *fl = sv_snap_get_blob(r, n_free * 8, &len);
		uint64_t unref = 0;

		if (!fl || len != n_free * 8) {
			rc = sv_snap_fail(r, "bad free list");
			goto out;
		}
		for (uint64_t i = 0; i < n; i++)
			unref += frames[i].refs == 0;
		for (uint64_t i = 0; i < n_free; i++) {
			uint64_t mfn;

			memcpy(&mfn, fl + i * 8, 8);
			if (mfn >= n || frames[mfn].refs || seen[mfn]) {
				rc = sv_snap_fail(r, "bad free list entry %" PRIu64, mfn);
				goto out;
			}
			seen[mfn] = true;
		}
		if (unref != n_free) {
			rc = sv_snap_fail(r, "free list and frame table disagree");
			goto out;
		}
		memcpy(m->frames, frames, n * sizeof(*frames));
		memcpy(m->free_list, fl, n_free * 8);
		m->n_free = n_free;
	}
	if (!sv_snap_get_u64(r, &n_pages) || n_pages > n) {
		rc = sv_snap_fail(r, "bad page count");
		goto out;
	}
	/* Every frame the image does not fill is zero in it: the runs between
	 * the saved pages are dropped, the saved pages copied. */
	for (uint64_t i = 0; i < n_pages; i++) {
		uint64_t mfn = 0;

		if (!sv_snap_get_u64(r, &mfn) || mfn >= n || !m->frames[mfn].refs ||
		    (i && mfn <= prev)) {
			rc = sv_snap_fail(r, "bad page frame %" PRIu64, mfn);
			goto out;
		}
		machmem_zero_range(m, i ? prev + 1 : 0, mfn);
		prev = mfn;
		if (!sv_snap_get_bytes(r, machmem_ptr(m, mfn), SV_PAGE_SIZE)) {
			rc = -EINVAL;
			goto out;
		}
	}
	machmem_zero_range(m, n_pages ? prev + 1 : 0, n);
out:
	g_free(seen);
	g_free(frames);
	return rc;
}
