/*
 * Machine frames: allocation, ownership and reference counts.
 */
#include "mmu/machmem.h"

#include <errno.h>
#include <glib.h>
#include <sys/mman.h>

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
