/*
 * Snapshot fields: the one serialisation layer every module's save/load
 * uses (frontend/snapshot.c frames them into a file or an in-memory image).
 *
 * A module writes its state as a sequence of typed fields, and reads them
 * back in the same order:
 *
 *     void evtchn_save(struct domain *d, struct sv_snap_w *w)
 *     {
 *             sv_snap_put_u32(w, d->n_evtchn);
 *             sv_snap_put_bytes(w, table, n * sizeof(*table));
 *     }
 *     int evtchn_load(struct domain *d, struct sv_snap_r *r)
 *     {
 *             uint32_t n;
 *             if (!sv_snap_get_u32(r, &n) || n > limit)
 *                     return sv_snap_fail(r, "port count %u", n);
 *             ...
 *     }
 *
 * Each field is [type u8][length u32 LE][payload]; a reader asks for a type
 * and length and gets false (and a sticky error naming what it wanted) when
 * the stream holds something else, so a truncated, corrupted or mismatched
 * image is reported, never read past. Scalars are little-endian; arrays of
 * host structures (sv_snap_put_bytes) are the host's layout, which the
 * image's header pins (frontend/snapshot.c: layout hash). Loaders check
 * every count and index against the limits of the structure they fill.
 */
#ifndef SV_SNAP_H
#define SV_SNAP_H

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#include "sv/common.h"

enum sv_snap_type {
	SV_SNAP_U8 = 1,
	SV_SNAP_U16,
	SV_SNAP_U32,
	SV_SNAP_U64,
	SV_SNAP_BYTES,
	SV_SNAP_STR,
};

struct sv_snap_w {
	GByteArray *buf;
};

struct sv_snap_r {
	const uint8_t *p;
	size_t len, pos;
	const char *section; /* for messages */
	char err[200];       /* the first error, "" if none */
};

static inline void sv_snap_put(struct sv_snap_w *w, enum sv_snap_type t, const void *p, size_t n)
{
	uint8_t h[5];

	h[0] = (uint8_t)t;
	st32_le_p(h + 1, (uint32_t)n);
	g_byte_array_append(w->buf, h, 5);
	if (n)
		g_byte_array_append(w->buf, p, (guint)n);
}

static inline void sv_snap_put_u8(struct sv_snap_w *w, uint8_t x)
{
	sv_snap_put(w, SV_SNAP_U8, &x, 1);
}
static inline void sv_snap_put_u16(struct sv_snap_w *w, uint16_t x)
{
	uint8_t b[2];
	st16_le_p(b, x);
	sv_snap_put(w, SV_SNAP_U16, b, 2);
}
static inline void sv_snap_put_u32(struct sv_snap_w *w, uint32_t x)
{
	uint8_t b[4];
	st32_le_p(b, x);
	sv_snap_put(w, SV_SNAP_U32, b, 4);
}
static inline void sv_snap_put_u64(struct sv_snap_w *w, uint64_t x)
{
	uint8_t b[8];
	st64_le_p(b, x);
	sv_snap_put(w, SV_SNAP_U64, b, 8);
}
static inline void sv_snap_put_bool(struct sv_snap_w *w, bool x)
{
	sv_snap_put_u8(w, x ? 1 : 0);
}
/* n bytes (a host structure or array of them, or raw data). */
static inline void sv_snap_put_bytes(struct sv_snap_w *w, const void *p, size_t n)
{
	sv_snap_put(w, SV_SNAP_BYTES, p, n);
}
/* A string (without its NUL); NULL is written as absent (type STR, length
 * 0xffffffff is not used: NULL and "" differ by a leading flag byte). */
static inline void sv_snap_put_str(struct sv_snap_w *w, const char *s)
{
	sv_snap_put_bool(w, s != NULL);
	if (s)
		sv_snap_put(w, SV_SNAP_STR, s, strlen(s));
}

/* Record the first error (printf style); returns -EINVAL for loaders. */
static inline int sv_snap_fail(struct sv_snap_r *r, const char *fmt, ...) SV_PRINTF(2, 3);
static inline int sv_snap_fail(struct sv_snap_r *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err[0])
		return -22;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -22; /* -EINVAL */
}

static inline bool sv_snap_ok(const struct sv_snap_r *r)
{
	return !r->err[0];
}

/* The next field's payload if it has type t (and length n unless n is
 * SIZE_MAX): a pointer into the image, else NULL after recording why. */
static inline const uint8_t *sv_snap_get(struct sv_snap_r *r, enum sv_snap_type t, size_t n,
					 size_t *len)
{
	uint32_t fl;

	if (r->err[0])
		return NULL;
	if (r->len - r->pos < 5) {
		sv_snap_fail(r, "truncated (field %zu bytes into the section)", r->pos);
		return NULL;
	}
	fl = (uint32_t)ld32_le_p(r->p + r->pos + 1);
	if (r->p[r->pos] != t || (n != SIZE_MAX && fl != n)) {
		sv_snap_fail(r,
			     "unexpected field at offset %zu (type %u, %u bytes; wanted type %u, "
			     "%zd bytes)",
			     r->pos, r->p[r->pos], fl, t, n == SIZE_MAX ? (ssize_t)-1 : (ssize_t)n);
		return NULL;
	}
	if (r->len - r->pos - 5 < fl) {
		sv_snap_fail(r, "truncated field at offset %zu", r->pos);
		return NULL;
	}
	r->pos += 5 + fl;
	if (len)
		*len = fl;
	return r->p + r->pos - fl;
}

static inline bool sv_snap_get_u8(struct sv_snap_r *r, uint8_t *x)
{
	const uint8_t *p = sv_snap_get(r, SV_SNAP_U8, 1, NULL);
	if (p)
		*x = *p;
	return p != NULL;
}
static inline bool sv_snap_get_bool(struct sv_snap_r *r, bool *x)
{
	uint8_t v = 0;
	bool ok = sv_snap_get_u8(r, &v);
	if (ok && v > 1)
		return sv_snap_fail(r, "bad boolean %u", v), false;
	if (ok)
		*x = v != 0;
	return ok;
}
static inline bool sv_snap_get_u16(struct sv_snap_r *r, uint16_t *x)
{
	const uint8_t *p = sv_snap_get(r, SV_SNAP_U16, 2, NULL);
	if (p)
		*x = (uint16_t)ld16_le_p(p);
	return p != NULL;
}
static inline bool sv_snap_get_u32(struct sv_snap_r *r, uint32_t *x)
{
	const uint8_t *p = sv_snap_get(r, SV_SNAP_U32, 4, NULL);
	if (p)
		*x = (uint32_t)ld32_le_p(p);
	return p != NULL;
}
static inline bool sv_snap_get_u64(struct sv_snap_r *r, uint64_t *x)
{
	const uint8_t *p = sv_snap_get(r, SV_SNAP_U64, 8, NULL);
	if (p)
		*x = ld64_le_p(p);
	return p != NULL;
}
/* Exactly n bytes into dst. */
static inline bool sv_snap_get_bytes(struct sv_snap_r *r, void *dst, size_t n)
{
	const uint8_t *p = sv_snap_get(r, SV_SNAP_BYTES, n, NULL);
	if (p && n)
		memcpy(dst, p, n);
	return p != NULL;
}
/* Any length (at most max): a pointer into the image. */
static inline const uint8_t *sv_snap_get_blob(struct sv_snap_r *r, size_t max, size_t *len)
{
	const uint8_t *p = sv_snap_get(r, SV_SNAP_BYTES, SIZE_MAX, len);
	if (p && *len > max) {
		sv_snap_fail(r, "field of %zu bytes (at most %zu)", *len, max);
		return NULL;
	}
	return p;
}
/* A string written by sv_snap_put_str (g_free it; *s = NULL if absent). */
static inline bool sv_snap_get_str(struct sv_snap_r *r, size_t max, char **s)
{
	bool present = false;
	const uint8_t *p;
	size_t n = 0;

	*s = NULL;
	if (!sv_snap_get_bool(r, &present))
		return false;
	if (!present)
		return true;
	p = sv_snap_get(r, SV_SNAP_STR, SIZE_MAX, &n);
	if (!p)
		return false;
	if (n > max || memchr(p, 0, n))
		return sv_snap_fail(r, "bad string of %zu bytes", n), false;
	*s = g_strndup((const char *)p, n);
	return true;
}

#endif
