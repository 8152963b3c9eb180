/*
 * Translation blocks and the TB cache.
 *
 * A TB is keyed by (virtual pc, guest-physical pc, mode flags); the hash is
 * XXH3 of the key. The cache also indexes TBs by the guest-physical pages that
 * hold their code, so a write to a page invalidates exactly its TBs (and the
 * p2m forgets the page is code when none are left).
 *
 * Chaining: a TB ends with up to two GOTO_TB slots. When the run loop finds the
 * successor of slot n and it lies on the same virtual page, it links
 * tb->jmp_dest[n], and the backend jumps there directly next time. Each TB
 * keeps the list of chains into it (jmp_in), so invalidation can unlink them.
 *
 * Invalidated TBs are not freed at once (one may be executing); they go to a
 * graveyard emptied by tb_cache_collect() at the next safe point.
 */
#ifndef SV_CPU_TB_H
#define SV_CPU_TB_H

#include "sv/common.h"

struct cpu;
struct p2m;
struct backend_ops;

struct tb {
	uint64_t pc;
	uint64_t phys_pc;
	uint64_t flags;
	uint64_t page_gpa[2]; /* pages holding its code; page_gpa[1] == ~0 if one */
	uint32_t size;        /* bytes of guest code */
	uint32_t n_insns;
	uint64_t hash;
	void *code; /* backend code */
	struct tb *hash_next;
	struct tb *jmp_dest[2];
	/* Incoming chains: a list threaded through the jumpers' jmp_in_next[slot];
	 * an entry is a tb pointer with the slot in bit 0. */
	uintptr_t jmp_in;
	uintptr_t jmp_in_next[2];
	bool invalid;
	struct tb *grave_next;
};

#define TB_NO_PAGE (~0ull)

struct tb_cache;

struct tb_cache *tb_cache_new(struct p2m *p2m, const struct backend_ops *backend);
void tb_cache_free(struct tb_cache *c);
const struct backend_ops *tb_cache_backend(const struct tb_cache *c);
/* CPUs whose jump caches the cache must clear when it frees TBs. */
void tb_cache_attach_cpu(struct tb_cache *c, struct cpu *cpu);
void tb_cache_detach_cpu(struct tb_cache *c, struct cpu *cpu);

struct tb *tb_cache_lookup(struct tb_cache *c, uint64_t pc, uint64_t phys_pc, uint64_t flags);
/* Insert a new TB (takes ownership) and mark its pages as code. */
void tb_cache_insert(struct tb_cache *c, struct tb *tb);
/* Invalidate every TB with code in [gpa, gpa + len). Returns how many. */
unsigned tb_cache_invalidate_range(struct tb_cache *c, uint64_t gpa, uint64_t len);
/* Invalidate every TB whose guest-virtual code range covers va (whatever
 * its mapping; breakpoints use this). Returns how many. */
unsigned tb_cache_invalidate_va(struct tb_cache *c, uint64_t va);
/* Invalidate everything (e.g. after a p2m change of a code page). */
void tb_cache_flush(struct tb_cache *c);
/* Free invalidated TBs; call only when no TB is executing. */
void tb_cache_collect(struct tb_cache *c);
/* Link src's slot to dst (both valid). */
void tb_link(struct tb *src, unsigned slot, struct tb *dst);

unsigned tb_cache_count(const struct tb_cache *c);

#endif
