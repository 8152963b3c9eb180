/*
 * Common definitions shared by every layer: fixed-width types, endian-neutral
 * access to guest memory, small utility macros.
 *
 * Guest memory is always accessed through ld*_le_p / ld*_be_p and their store
 * twins, never by casting a host pointer: the host may be of either byte
 * order and may not allow unaligned access.
 */
#ifndef SV_COMMON_H
#define SV_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SV_LIKELY(x) __builtin_expect(!!(x), 1)
#define SV_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SV_CONTAINER_OF(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define SV_UNUSED __attribute__((unused))
#define SV_NORETURN __attribute__((noreturn))
#define SV_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Guest pages are 4 KiB on both architectures' base page size. */
#define SV_PAGE_BITS 12
#define SV_PAGE_SIZE (1ull << SV_PAGE_BITS)
#define SV_PAGE_MASK (~(SV_PAGE_SIZE - 1))

static inline uint64_t sv_bswap16(uint64_t v)
{
	return __builtin_bswap16((uint16_t)v);
}
static inline uint64_t sv_bswap32(uint64_t v)
{
	return __builtin_bswap32((uint32_t)v);
}
static inline uint64_t sv_bswap64(uint64_t v)
{
	return __builtin_bswap64(v);
}

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SV_HOST_BIG_ENDIAN 1
#else
#define SV_HOST_BIG_ENDIAN 0
#endif

/* Loads and stores of guest-endian values at a host pointer (any alignment). */
#define SV_DEFINE_LDST(bits)                                                                       \
	static inline uint64_t ld##bits##_le_p(const void *p)                                      \
	{                                                                                          \
		uint##bits##_t v;                                                                  \
		memcpy(&v, p, sizeof(v));                                                          \
		return SV_HOST_BIG_ENDIAN ? sv_bswap##bits(v) : v;                                 \
	}                                                                                          \
	static inline uint64_t ld##bits##_be_p(const void *p)                                      \
	{                                                                                          \
		uint##bits##_t v;                                                                  \
		memcpy(&v, p, sizeof(v));                                                          \
		return SV_HOST_BIG_ENDIAN ? v : sv_bswap##bits(v);                                 \
	}                                                                                          \
	static inline void st##bits##_le_p(void *p, uint64_t x)                                    \
	{                                                                                          \
		uint##bits##_t v = (uint##bits##_t)(SV_HOST_BIG_ENDIAN ? sv_bswap##bits(x) : x);   \
		memcpy(p, &v, sizeof(v));                                                          \
	}                                                                                          \
	static inline void st##bits##_be_p(void *p, uint64_t x)                                    \
	{                                                                                          \
		uint##bits##_t v = (uint##bits##_t)(SV_HOST_BIG_ENDIAN ? x : sv_bswap##bits(x));   \
		memcpy(p, &v, sizeof(v));                                                          \
	}
SV_DEFINE_LDST(16)
SV_DEFINE_LDST(32)
SV_DEFINE_LDST(64)
#undef SV_DEFINE_LDST

static inline uint64_t ld8_p(const void *p)
{
	return *(const uint8_t *)p;
}
static inline void st8_p(void *p, uint64_t v)
{
	*(uint8_t *)p = (uint8_t)v;
}

/* Load/store of 1 << size_log2 bytes in the given byte order. */
static inline uint64_t sv_ld_p(const void *p, unsigned size_log2, bool big_endian)
{
	switch (size_log2) {
	case 0: return ld8_p(p);
	case 1: return big_endian ? ld16_be_p(p) : ld16_le_p(p);
	case 2: return big_endian ? ld32_be_p(p) : ld32_le_p(p);
	default: return big_endian ? ld64_be_p(p) : ld64_le_p(p);
	}
}

static inline void sv_st_p(void *p, unsigned size_log2, bool big_endian, uint64_t v)
{
	switch (size_log2) {
	case 0: st8_p(p, v); break;
	case 1: big_endian ? st16_be_p(p, v) : st16_le_p(p, v); break;
	case 2: big_endian ? st32_be_p(p, v) : st32_le_p(p, v); break;
	default: big_endian ? st64_be_p(p, v) : st64_le_p(p, v); break;
	}
}

static inline uint64_t sv_sext(uint64_t v, unsigned bits)
{
	return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static inline uint64_t sv_mask(unsigned bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

#endif
