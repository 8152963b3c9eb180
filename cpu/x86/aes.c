/*
 * AES-NI and PCLMULQDQ (SDM vol. 2 AESENC, AESENCLAST, AESDEC, AESDECLAST,
 * AESIMC, AESKEYGENASSIST, PCLMULQDQ; the AES transformations as FIPS-197
 * defines them).
 *
 * The 128-bit state is the XMM register with byte i = state[i mod 4][i / 4]
 * (FIPS-197 3.4: the input bytes fill the columns in order), so a column is
 * four consecutive bytes. The S-box is computed, not tabulated: SubBytes(x)
 * is the affine map of x's inverse in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1
 * (FIPS-197 5.1.1), and InvSubBytes inverts the affine map then the field
 * element. No table, no state: one helper call handles one instruction.
 *
 * Example: AESENC xmm1, xmm2 is one middle round of AES encryption:
 * state = xmm1; ShiftRows; SubBytes; MixColumns; xmm1 = state ^ xmm2 (the
 * round key). Ten of them with AESENCLAST and a key expanded with
 * AESKEYGENASSIST encrypt FIPS-197 appendix C.1's block (test_x86_sse.c).
 */
#include "cpu/x86/helpers.h"
#include "cpu/x86/sse.h"

/* Multiplication in GF(2^8) modulo 0x11b. */
static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	uint8_t r = 0;
	while (b) {
		if (b & 1)
			r ^= a;
		a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
		b >>= 1;
	}
	return r;
}

/* The multiplicative inverse (0 for 0): a^254. */
static uint8_t gf_inv(uint8_t a)
{
	uint8_t r = 1, p = a;
	for (unsigned e = 254; e; e >>= 1) {
		if (e & 1)
			r = gf_mul(r, p);
		p = gf_mul(p, p);
	}
	return a ? r : 0;
}

static uint8_t rotl8(uint8_t v, unsigned n)
{
	return (uint8_t)((v << n) | (v >> (8 - n)));
}

/* FIPS-197 5.1.1 and 5.3.2. */
static uint8_t aes_sub(uint8_t x)
{
	uint8_t b = gf_inv(x);
	return (uint8_t)(b ^ rotl8(b, 1) ^ rotl8(b, 2) ^ rotl8(b, 3) ^ rotl8(b, 4) ^ 0x63);
}

static uint8_t aes_inv_sub(uint8_t y)
{
	return gf_inv((uint8_t)(rotl8(y, 1) ^ rotl8(y, 3) ^ rotl8(y, 6) ^ 0x05));
}

/* ShiftRows (inv = false) or InvShiftRows: row r rotates by r columns. */
static void aes_shift_rows(uint8_t st[16], bool inv)
{
	uint8_t t[16];
	for (unsigned c = 0; c < 4; c++)
		for (unsigned r = 0; r < 4; r++)
			t[r + 4 * c] = st[r + 4 * ((inv ? c + 4 - r : c + r) & 3)];
	memcpy(st, t, 16);
}

static void aes_sub_bytes(uint8_t st[16], bool inv)
{
	for (unsigned i = 0; i < 16; i++)
		st[i] = inv ? aes_inv_sub(st[i]) : aes_sub(st[i]);
}

/* MixColumns (FIPS-197 5.1.3) or InvMixColumns (5.3.3): each column times
 * the circulant matrix of {02 03 01 01} or {0e 0b 0d 09}. */
static void aes_mix_columns(uint8_t st[16], bool inv)
{
	static const uint8_t fwd[4] = { 2, 3, 1, 1 }, bwd[4] = { 14, 11, 13, 9 };
	const uint8_t *m = inv ? bwd : fwd;
	for (unsigned c = 0; c < 4; c++) {
		uint8_t col[4], *p = st + 4 * c;
		memcpy(col, p, 4);
		for (unsigned r = 0; r < 4; r++) {
			uint8_t v = 0;
			for (unsigned k = 0; k < 4; k++)
				v ^= gf_mul(m[(k + 4 - r) & 3], col[k]);
			p[r] = v;
		}
	}
}

static uint32_t aes_sub_word(uint32_t w)
{
	uint32_t r = 0;
	for (unsigned i = 0; i < 4; i++)
		r |= (uint32_t)aes_sub((uint8_t)(w >> (8 * i))) << (8 * i);
	return r;
}

/* Carry-less multiplication of two 64-bit values: the 128-bit product. */
static void clmul64(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
	uint64_t l = 0, h = 0;
	for (unsigned i = 0; i < 64; i++) {
		if ((b >> i) & 1) {
			l ^= a << i;
			h ^= i ? a >> (64 - i) : 0;
		}
	}
	*lo = l;
	*hi = h;
}

bool x86_sse_crypto(unsigned op, union x86_xmm *d, const union x86_xmm *s, unsigned imm)
{
	uint8_t st[16];
	memcpy(st, d->b, 16);
	switch (op) {
	case X86_SSE_AESENC:
	case X86_SSE_AESENCLAST:
		aes_shift_rows(st, false);
		aes_sub_bytes(st, false);
		if (op == X86_SSE_AESENC)
			aes_mix_columns(st, false);
		break;
	case X86_SSE_AESDEC:
	case X86_SSE_AESDECLAST:
		aes_shift_rows(st, true);
		aes_sub_bytes(st, true);
		if (op == X86_SSE_AESDEC)
			aes_mix_columns(st, true);
		break;
	case X86_SSE_AESIMC:
		memcpy(d->b, s->b, 16);
		aes_mix_columns(d->b, true);
		return true;
	case X86_SSE_AESKEYGENASSIST: {
		uint32_t x1 = aes_sub_word(s->d[1]), x3 = aes_sub_word(s->d[3]);
		uint32_t rcon = imm & 0xff;
		d->d[0] = x1;
		d->d[1] = ((x1 >> 8) | (x1 << 24)) ^ rcon;
		d->d[2] = x3;
		d->d[3] = ((x3 >> 8) | (x3 << 24)) ^ rcon;
		return true;
	}
	case X86_SSE_PCLMULQDQ: {
		uint64_t lo, hi;
		clmul64(d->q[imm & 1], s->q[(imm >> 4) & 1], &lo, &hi);
		d->q[0] = lo;
		d->q[1] = hi;
		return true;
	}
	default: return false;
	}
	for (unsigned i = 0; i < 16; i++)
		d->b[i] = st[i] ^ s->b[i];
	return true;
}
