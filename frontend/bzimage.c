/*
 * bzImage payload extraction (see bzimage.h).
 *
 * Boot protocol fields used (offsets in the file):
 *   0x1f1 setup_sects (0 means 4)      0x202 "HdrS"      0x206 version
 *   0x248 payload_offset, 0x24c payload_length (from the start of the
 *         protected-mode part, at (setup_sects + 1) * 512), protocol >= 2.08
 * The payload's first bytes say how it is compressed.
 */
#include "frontend/bzimage.h"

#include <glib.h>
#include <lz4.h>
#include <lzma.h>
#include <stdarg.h>
#include <zlib.h>
#include <zstd.h>

static uint8_t *bz_fail(char **msg, uint8_t *buf, const char *fmt, ...) SV_PRINTF(3, 4);
static uint8_t *bz_fail(char **msg, uint8_t *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_free(buf);
	return NULL;
}

bool sv_bzimage_detect(const uint8_t *data, size_t size)
{
	return size >= 0x250 && !memcmp(data + 0x202, "HdrS", 4) &&
	       ld16_le_p(data + 0x206) >= 0x208;
}

/*
 * LZ4 "legacy" frames, as the kernel's LZ4 compressor writes them: the magic
 * 0x184C2102, then blocks of (le32 compressed size, data), each decompressing
 * to at most 8 MiB; a block size equal to the magic starts a new frame, and
 * the kernel appends the uncompressed size as a final le32 (ignored).
 */
#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)

static uint8_t *bz_lz4_legacy(const uint8_t *in, size_t len, size_t max_out, size_t *out_size,
			      char **msg)
{
	size_t pos = 4, used = 0, cap = 0;
	uint8_t *out = NULL;

	while (pos + 4 <= len) {
		uint32_t blk = (uint32_t)ld32_le_p(in + pos);
		int n;

		if (blk == LZ4_LEGACY_MAGIC) {
			pos += 4;
			continue;
		}
		/* The trailing size word (or garbage) ends the stream. */
		if (blk == 0 || blk > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK) ||
		    pos + 4 + blk > len)
			break;
		if (used + LZ4_LEGACY_BLOCK > max_out)
			return bz_fail(msg, out, "the decompressed kernel is larger than %zu MiB",
				       max_out >> 20);
		if (cap < used + LZ4_LEGACY_BLOCK) {
			cap = used + LZ4_LEGACY_BLOCK;
			out = g_realloc(out, cap);
		}
		n = LZ4_decompress_safe((const char *)in + pos + 4, (char *)out + used, (int)blk,
					LZ4_LEGACY_BLOCK);
		if (n < 0)
			return bz_fail(msg, out, "corrupt LZ4 block at payload offset %zu", pos);
		used += (size_t)n;
		pos += 4 + blk;
	}
	if (!used)
		return bz_fail(msg, out, "empty or truncated LZ4 payload");
	*out_size = used;
	return out;
}

static uint8_t *bz_gzip(const uint8_t *in, size_t len, size_t max_out, size_t *out_size, char **msg)
{
	z_stream z = { 0 };
	size_t cap = 16u << 20;
	uint8_t *out = g_malloc(cap);
	int rc;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return bz_fail(msg, out, "zlib initialisation failed");
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	do {
		if (z.total_out == cap) {
			if (cap >= max_out) {
				inflateEnd(&z);
				return bz_fail(msg, out,
					       "the decompressed kernel is larger than %zu MiB",
					       max_out >> 20);
			}
			cap *= 2;
			out = g_realloc(out, cap);
		}
		z.next_out = out + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		rc = inflate(&z, Z_NO_FLUSH);
	} while (rc == Z_OK);
	*out_size = z.total_out;
	inflateEnd(&z);
	if (rc != Z_STREAM_END)
		return bz_fail(msg, out, "corrupt gzip payload (zlib error %d)", rc);
	return out;
}

static uint8_t *bz_xz(const uint8_t *in, size_t len, size_t max_out, size_t *out_size, char **msg)
{
	lzma_stream z = LZMA_STREAM_INIT;
	size_t cap = 16u << 20;
	uint8_t *out = g_malloc(cap);
	lzma_ret rc;

	if (lzma_stream_decoder(&z, UINT64_MAX, 0) != LZMA_OK)
		return bz_fail(msg, out, "liblzma initialisation failed");
	z.next_in = in;
	z.avail_in = len;
	do {
		if (z.total_out == cap) {
			if (cap >= max_out) {
				lzma_end(&z);
				return bz_fail(msg, out,
					       "the decompressed kernel is larger than %zu MiB",
					       max_out >> 20);
			}
			cap *= 2;
			out = g_realloc(out, cap);
		}
		z.next_out = out + z.total_out;
		z.avail_out = cap - z.total_out;
		rc = lzma_code(&z, LZMA_FINISH);
	} while (rc == LZMA_OK);
	*out_size = z.total_out;
	lzma_end(&z);
	if (rc != LZMA_STREAM_END)
		return bz_fail(msg, out, "corrupt xz payload (liblzma error %d)", (int)rc);
	return out;
}

static uint8_t *bz_zstd(const uint8_t *in, size_t len, size_t max_out, size_t *out_size, char **msg)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t cap = 16u << 20, rc = 1;
	uint8_t *out = g_malloc(cap);
	ZSTD_outBuffer ob = { out, cap, 0 };

	if (!z)
		return bz_fail(msg, out, "zstd initialisation failed");
	ZSTD_initDStream(z);
	while (rc != 0) {
		if (ob.pos == ob.size) {
			if (cap >= max_out) {
				ZSTD_freeDStream(z);
				return bz_fail(msg, out,
					       "the decompressed kernel is larger than %zu MiB",
					       max_out >> 20);
			}
			cap *= 2;
			out = g_realloc(out, cap);
			ob.dst = out;
			ob.size = cap;
		}
		rc = ZSTD_decompressStream(z, &ob, &ib);
		if (ZSTD_isError(rc)) {
			ZSTD_freeDStream(z);
			return bz_fail(msg, out, "corrupt zstd payload (%s)",
				       ZSTD_getErrorName(rc));
		}
		if (rc != 0 && ib.pos == ib.size && ob.pos < ob.size) {
			ZSTD_freeDStream(z);
			return bz_fail(msg, out, "truncated zstd payload");
		}
	}
	ZSTD_freeDStream(z);
	*out_size = ob.pos;
	return out;
}

uint8_t *sv_bzimage_extract(const uint8_t *data, size_t size, size_t max_out, size_t *out_size,
			    const char **format, char **msg)
{
	unsigned setup_sects = data[0x1f1] ? data[0x1f1] : 4;
	uint64_t base = ((uint64_t)setup_sects + 1) * 512;
	uint64_t off = ld32_le_p(data + 0x248), len = ld32_le_p(data + 0x24c);
	const uint8_t *p;

	*msg = NULL;
	if (base + off > size || len > size - base - off || len < 8)
		return bz_fail(msg, NULL,
			       "the bzImage payload (offset %" G_GUINT64_FORMAT
			       ", %" G_GUINT64_FORMAT
			       " bytes) lies outside the file (truncated image?)",
			       off, len);
	p = data + base + off;
	if (ld32_le_p(p) == LZ4_LEGACY_MAGIC) {
		*format = "LZ4";
		return bz_lz4_legacy(p, len, max_out, out_size, msg);
	}
	if (p[0] == 0x1f && p[1] == 0x8b) {
		*format = "gzip";
		return bz_gzip(p, len, max_out, out_size, msg);
	}
	if (!memcmp(p,
		    "\xfd"
		    "7zXZ\0",
		    6)) {
		*format = "xz";
		return bz_xz(p, len, max_out, out_size, msg);
	}
	if (ld32_le_p(p) == 0xfd2fb528u) {
		*format = "zstd";
		return bz_zstd(p, len, max_out, out_size, msg);
	}
	return bz_fail(msg, NULL,
		       "the bzImage payload is compressed in a way softvisor does not read "
		       "(magic %02x %02x %02x %02x; LZ4, gzip, xz and zstd are supported)",
		       p[0], p[1], p[2], p[3]);
}
