/*
 * Random-sequence differential test of the x86-64 CPU model against the
 * host CPU.
 *
 *     x86diff SEED N [RESULTFILE]
 *
 * Generates N seeded-random sequences of 1..12 user-level instructions
 * (integer ALU, shifts and rotates, multiply/divide, bit operations, moves,
 * CMOVcc/SETcc/Jcc, PUSH/POP, and SSE/SSE2/SSE3/SSSE3/SSE4.1/4.2 integer and
 * floating-point forms, AES-NI, PCLMULQDQ), with random general registers, arithmetic flags,
 * XMM registers, MXCSR (rounding, FTZ, DAZ; exceptions masked) and a random
 * 4 KiB data window, runs each on the host (hostrun.c, in a sandboxed child)
 * and on a fresh softvisor vcpu (threaded backend), and compares the general
 * registers, RIP, the arithmetic flags the SDM defines after the sequence,
 * XMM0-15, MXCSR, the window, and how the sequence ended (fault class and
 * faulting instruction: #DE from DIV, #GP from a misaligned SSE operand...).
 *
 * A quarter of the sequences run in compatibility mode (32-bit code segment
 * 0x23, DS = ES = an LDT segment based at the window; hostrun.h): no REX,
 * EAX..EDI, PUSH/POP of 4 bytes, INC/DEC 40-4F, DAA DAS AAA AAS AAM AAD,
 * and memory operands through the 16-bit addressing forms (67 prefix: BX+SI
 * ... disp16, with SS as the default segment of the BP forms) or [disp32].
 * Only the low halves of EAX..EDI and XMM0-7 are compared there.
 *
 * 64-bit memory operands are [R15 + disp8] or [R15 + R14 * scale + disp8],
 * with R15 pointing into the window and R14 small; RSP points into the
 * window too.
 * The generator never writes RSP (except by PUSH/POP), R14 or R15. It tracks
 * which arithmetic flags are undefined (SDM "Flags Affected") and never
 * emits an instruction that reads one; undefined results (SHLD beyond the
 * operand size, RCPPS's approximation) are not generated.
 *
 * Output: each mismatch with its case seed, the differences and the code
 * bytes; `x86diff -case CASESEED` reruns that case alone. Cases run in
 * batches of XD_BATCH (one host child per batch). Appends "pass
 * x86-diff-random" or "fail ..." to RESULTFILE.
 * Exit status 0 if all matched (or the host cannot run it: a "skip" line).
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "cpu/backend.h"
#include "cpu/tb.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"
#include "mmu/machmem.h"
#include "mmu/p2m.h"
#include "hostrun.h"

#define CF 0x001u
#define PF 0x004u
#define AF 0x010u
#define ZF 0x040u
#define SF 0x080u
#define OF 0x800u
#define ALL (CF | PF | AF | ZF | SF | OF)

/* ---- random numbers (splitmix64) ------------------------------------------ */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rn(struct rng *r, unsigned n)
{
	return (unsigned)(rnd(r) % n);
}

/* Interesting 64-bit values, mixed with random ones. */
static uint64_t rval(struct rng *r)
{
	static const uint64_t v[] = {
		0,
		1,
		2,
		0x7f,
		0x80,
		0xff,
		0x7fff,
		0x8000,
		0xffff,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0x100000000ull,
		0x7fffffffffffffffull,
		0x8000000000000000ull,
		~0ull,
		0x3f800000,         /* 1.0f */
		0x7f800000,         /* +inf */
		0x7fc00000,         /* qNaN */
		0x7fa00000,         /* sNaN */
		0x00000001,         /* denormal */
		0x3ff0000000000000, /* 1.0 */
		0x7ff0000000000000, /* +inf */
		0xfff8000000000000, /* -qNaN */
		0x7ff4000000000000, /* sNaN */
		0x000fffffffffffff, /* denormal */
		0x4330000000000000, /* 2^52 */
		0xc1e0000000000000, /* -2^31 */
		0x41e0000000000000, /* 2^31 */
		0x0000000080000000,
	};
	switch (rn(r, 4)) {
	case 0: return v[rn(r, SV_ARRAY_SIZE(v))];
	case 1: return rnd(r) & sv_mask(8u << rn(r, 4));
	case 2: return v[rn(r, SV_ARRAY_SIZE(v))] ^ (1ull << rn(r, 64));
	default: return rnd(r);
	}
}

/* A float or double lane value. */
static void rxmm(struct rng *r, uint8_t x[16])
{
	unsigned k = rn(r, 4);
	for (unsigned i = 0; i < 16; i += 8) {
		uint64_t a = rval(r), b = rval(r);
		if (k == 0) /* packed singles */
			a = (a & 0xffffffff) | (b << 32);
		memcpy(x + i, &a, 8);
	}
}

/* ---- host features ------------------------------------------------------------ */

struct host_feat {
	bool popcnt, lzcnt, bmi1, ssse3, sse41, sse42, movbe, aes, pclmul;
};

static struct host_feat host_features(void)
{
	struct host_feat f = { 0 };
#if defined(__x86_64__)
	unsigned a, b, c, d;
	if (__get_cpuid(1, &a, &b, &c, &d)) {
		f.popcnt = (c >> 23) & 1;
		f.ssse3 = (c >> 9) & 1;
		f.sse41 = (c >> 19) & 1;
		f.sse42 = (c >> 20) & 1;
		f.movbe = (c >> 22) & 1;
		f.aes = (c >> 25) & 1;
		f.pclmul = (c >> 1) & 1;
	}
	if (__get_cpuid(0x80000001, &a, &b, &c, &d))
		f.lzcnt = (c >> 5) & 1;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
		f.bmi1 = (b >> 3) & 1;
#endif
	return f;
}

/* ---- the generator ---------------------------------------------------------------- */

struct ins {
	uint8_t b[32];
	unsigned n;
	uint32_t reads, def, undef; /* arithmetic flags */
	int push;                   /* stack depth change */
};

struct gen {
	struct rng r;
	struct host_feat hf;
	bool m32; /* compatibility mode: no REX, EAX..EDI, 16-bit addressing */
	uint32_t undef;
	int depth;
};

static void put(struct ins *I, uint8_t b)
{
	I->b[I->n++] = b;
}

static void imm(struct ins *I, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		put(I, (uint8_t)(v >> (8 * i)));
}

/* A register the sequence may write: not RSP, R14 or R15. */
static unsigned dreg(struct gen *g)
{
	static const uint8_t r[] = { 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13 };
	return r[rn(&g->r, g->m32 ? 7 : SV_ARRAY_SIZE(r))];
}

static unsigned sreg(struct gen *g)
{
	return rn(&g->r, 4) == 0 ? rn(&g->r, g->m32 ? 8 : 16) : dreg(g);
}

/* An XMM register (XMM8-15 do not exist in compatibility mode). */
static unsigned xreg(struct gen *g)
{
	return rn(&g->r, g->m32 ? 8 : 16);
}

/*
 * Encode [66|F2|F3] [REX] [0F [38|3A]] op ModRM [SIB] [disp8] for
 * reg field `reg` and r/m `rm` (a register 0-15, or -1 for memory).
 * size: GPR operand size 0-3 (1 adds 66, 3 adds REX.W), or -1 (SSE: only
 * the mandatory prefix). byte: an 8-bit register operand is involved (code
 * 4-7 need a REX to mean SPL..DIL; we add one when the other fields do).
 */
static void enc(struct gen *g, struct ins *I, uint8_t mpfx, unsigned map, uint8_t op, int size,
		unsigned reg, int rm, bool rexw)
{
	bool mem = rm < 0, sib = mem && rn(&g->r, 2);
	bool a16 = mem && g->m32 && rn(&g->r, 3) != 0;
	uint8_t rex = 0x40;
	if (a16)
		put(I, 0x67);
	if (size == 1)
		put(I, 0x66);
	if (mpfx)
		put(I, mpfx);
	if (size == 3 || rexw)
		rex |= 8;
	if (reg & 8)
		rex |= 4;
	if (mem) {
		rex |= 1; /* base R15 */
		if (sib)
			rex |= 2; /* index R14 */
	} else if (rm & 8) {
		rex |= 1;
	}
	if (rex != 0x40 && !g->m32)
		put(I, rex);
	if (map >= 1)
		put(I, 0x0f);
	if (map == 2)
		put(I, 0x38);
	if (map == 3)
		put(I, 0x3a);
	put(I, op);
	if (!mem) {
		put(I, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
		return;
	}
	if (a16) {
		/* 16-bit addressing (SDM table 2-1): any mod 00/01/10, rm. */
		unsigned mod = rn(&g->r, 3), r16 = rn(&g->r, 8);
		put(I, (uint8_t)(mod << 6 | (reg & 7) << 3 | r16));
		if (mod == 1)
			put(I, (uint8_t)rn(&g->r, 256));
		else if (mod == 2 || (mod == 0 && r16 == 6))
			imm(I, rn(&g->r, 3) ? rn(&g->r, 0x1000) : rn(&g->r, 0x10000), 2);
		return;
	}
	if (g->m32) { /* [disp32]: an offset into the DS window */
		put(I, (uint8_t)(0x05 | (reg & 7) << 3));
		imm(I, rn(&g->r, 0xff0), 4);
		return;
	}
	if (sib) {
		put(I, (uint8_t)(0x44 | (reg & 7) << 3));
		put(I, (uint8_t)(rn(&g->r, 4) << 6 | 6 << 3 | 7));
	} else {
		put(I, (uint8_t)(0x47 | (reg & 7) << 3));
	}
	int d = (int)rn(&g->r, 256) - 128;
	if (rn(&g->r, 2))
		d &= ~15; /* often aligned for the SSE forms */
	put(I, (uint8_t)d);
}

/* 8-bit register operands: avoid AH..BH next to a REX (they would be
 * SPL..DIL) by using only 0-3 and 5-13 with a REX-free choice of AH-BH. */
static unsigned breg(struct gen *g)
{
	static const uint8_t r[] = { 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13 };
	if (g->m32)
		return rn(&g->r, 8); /* AL..BH: no REX here */
	return r[rn(&g->r, SV_ARRAY_SIZE(r))];
}

static uint32_t cc_reads(unsigned cc)
{
	static const uint32_t m[8] = { OF, CF, ZF, CF | ZF, SF, PF, SF | OF, ZF | SF | OF };
	return m[(cc >> 1) & 7];
}

static int opnd(struct gen *g, unsigned pct_mem)
{
	return rn(&g->r, 100) < pct_mem ? -1 : (int)dreg(g);
}

/* Shift/rotate flags for a constant count (SDM SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR). */
static void shift_flags(struct ins *I, unsigned op, unsigned size, unsigned count)
{
	unsigned bits = 8u << size, c = count & (size == 3 ? 63 : 31);
	if (op == 2 || op == 3)
		I->reads = CF;
	if (c == 0)
		return;
	if (op < 4) {
		I->def = CF | (c == 1 ? OF : 0);
		I->undef = c == 1 ? 0 : OF;
		return;
	}
	I->def = SF | ZF | PF | CF | (c == 1 ? OF : 0);
	I->undef = AF | (c == 1 ? 0 : OF) | (c >= bits ? CF : 0);
	I->def &= ~I->undef;
}

static bool gen_int(struct gen *g, struct ins *I)
{
	struct rng *r = &g->r;
	unsigned size = rn(r, g->m32 ? 3 : 4), k = rn(r, 8);
	int rm;
	if (g->m32 && rn(r, 10) == 0) { /* INC/DEC r32 (40+r/48+r), BCD */
		unsigned d = dreg(g);
		switch (rn(r, 4)) {
		case 0:
			if (size == 1)
				put(I, 0x66);
			put(I, (uint8_t)(0x40 + 8 * rn(r, 2) + d));
			I->def = ALL & ~CF;
			return true;
		case 1: /* DAA DAS */
			put(I, rn(r, 2) ? 0x27 : 0x2f);
			I->reads = AF | CF;
			I->def = CF | AF | SF | ZF | PF;
			I->undef = OF;
			return true;
		case 2: /* AAA AAS */
			put(I, rn(r, 2) ? 0x37 : 0x3f);
			I->reads = AF;
			I->def = AF | CF;
			I->undef = OF | SF | ZF | PF;
			return true;
		default: /* AAM AAD */
			put(I, rn(r, 2) ? 0xd4 : 0xd5);
			put(I, (uint8_t)(rn(r, 4) ? 10 : rn(r, 256)));
			I->def = SF | ZF | PF;
			I->undef = OF | AF | CF;
			return true;
		}
	}
	switch (rn(r, 24)) {
	case 0: /* ALU E,G / G,E */
		rm = opnd(g, 30);
		enc(g, I, 0, 0, (uint8_t)(k << 3 | (rn(r, 2) ? 2 : 0) | (size ? 1 : 0)), size,
		    size ? dreg(g) : breg(g), rm < 0 ? rm : (size ? rm : (int)breg(g)), false);
		I->reads = (k == 2 || k == 3) ? CF : 0;
		I->def = ALL;
		return true;
	case 1: /* ALU E, imm */
		rm = opnd(g, 30);
		if (size == 0) {
			enc(g, I, 0, 0, 0x80, 0, k, rm < 0 ? rm : (int)breg(g), false);
			imm(I, rval(r), 1);
		} else if (rn(r, 2)) {
			enc(g, I, 0, 0, 0x83, (int)size, k, rm, false);
			imm(I, rval(r), 1);
		} else {
			enc(g, I, 0, 0, 0x81, (int)size, k, rm, false);
			imm(I, rval(r), size == 1 ? 2 : 4);
		}
		I->reads = (k == 2 || k == 3) ? CF : 0;
		I->def = ALL;
		return true;
	case 2: /* TEST, INC, DEC, NOT, NEG */
		rm = opnd(g, 30);
		if (size == 0 && rm >= 0)
			rm = (int)breg(g);
		switch (rn(r, 5)) {
		case 0:
			enc(g, I, 0, 0, size ? 0x85 : 0x84, (int)size, size ? sreg(g) : breg(g), rm,
			    false);
			I->def = ALL;
			break;
		case 1:
		case 2:
			enc(g, I, 0, 0, size ? 0xff : 0xfe, (int)size, rn(r, 2), rm, false);
			I->def = ALL & ~CF;
			break;
		default: {
			unsigned op = 2 + rn(r, 2); /* NOT, NEG */
			enc(g, I, 0, 0, size ? 0xf7 : 0xf6, (int)size, op, rm, false);
			I->def = op == 3 ? ALL : 0;
			break;
		}
		}
		return true;
	case 3: /* MUL IMUL DIV IDIV */
		rm = opnd(g, 20);
		if (size == 0 && rm >= 0)
			rm = (int)breg(g);
		{
			unsigned op = 4 + rn(r, 4);
			enc(g, I, 0, 0, size ? 0xf7 : 0xf6, (int)size, op, rm, false);
			if (op < 6) {
				I->def = CF | OF;
				I->undef = SF | ZF | AF | PF;
			} else {
				I->undef = ALL;
			}
		}
		return true;
	case 4: /* IMUL G,E[,imm] */
		if (size == 0)
			size = 2;
		rm = opnd(g, 20);
		switch (rn(r, 3)) {
		case 0: enc(g, I, 0, 1, 0xaf, (int)size, dreg(g), rm, false); break;
		case 1:
			enc(g, I, 0, 0, 0x6b, (int)size, dreg(g), rm, false);
			imm(I, rval(r), 1);
			break;
		default:
			enc(g, I, 0, 0, 0x69, (int)size, dreg(g), rm, false);
			imm(I, rval(r), size == 1 ? 2 : 4);
			break;
		}
		I->def = CF | OF;
		I->undef = SF | ZF | AF | PF;
		return true;
	case 5: /* shifts and rotates by imm8 or 1 */
	case 6: {
		rm = opnd(g, 20);
		if (size == 0 && rm >= 0)
			rm = (int)breg(g);
		unsigned c = rn(r, 3) == 0 ? 1 : rn(r, 70);
		if (c == 1 && rn(r, 2)) {
			enc(g, I, 0, 0, size ? 0xd1 : 0xd0, (int)size, k, rm, false);
		} else {
			enc(g, I, 0, 0, size ? 0xc1 : 0xc0, (int)size, k, rm, false);
			imm(I, c, 1);
		}
		shift_flags(I, k == 6 ? 4 : k, size, c);
		return true;
	}
	case 7: /* shifts and rotates by CL */
		rm = opnd(g, 20);
		if (size == 0 && rm >= 0)
			rm = (int)breg(g);
		enc(g, I, 0, 0, size ? 0xd3 : 0xd2, (int)size, k, rm, false);
		I->reads = (k == 2 || k == 3) ? CF : 0;
		I->undef = OF | (k >= 4 ? AF : 0) | (size < 2 ? CF : 0);
		return true;
	case 8: /* MOV */
		rm = opnd(g, 40);
		switch (rn(r, 4)) {
		case 0:
			enc(g, I, 0, 0, (uint8_t)(0x88 | (rn(r, 2) ? 2 : 0) | (size ? 1 : 0)),
			    (int)size, size ? dreg(g) : breg(g),
			    rm < 0 ? rm : (size ? rm : (int)breg(g)), false);
			break;
		case 1:
			if (size == 0) {
				enc(g, I, 0, 0, 0xc6, 0, 0, rm < 0 ? rm : (int)breg(g), false);
				imm(I, rval(r), 1);
			} else {
				enc(g, I, 0, 0, 0xc7, (int)size, 0, rm, false);
				imm(I, rval(r), size == 1 ? 2 : 4);
			}
			break;
		default: {
			unsigned d = dreg(g);
			if (size == 1)
				put(I, 0x66);
			if ((size == 3 || d >= 8) && !g->m32)
				put(I, (uint8_t)(0x40 | (size == 3 ? 8 : 0) | (d >> 3)));
			put(I, (uint8_t)(0xb8 + (d & 7)));
			imm(I, rval(r), size == 1 ? 2 : size == 3 ? 8 : 4);
			break;
		}
		}
		return true;
	case 9: /* MOVZX MOVSX MOVSXD LEA */
		rm = opnd(g, 30);
		switch (rn(r, 4)) {
		case 0:
		case 1: {
			unsigned src8 = rn(r, 2);
			if (size == 0)
				size = 2;
			enc(g, I, 0, 1, (uint8_t)((rn(r, 2) ? 0xbe : 0xb6) + (src8 ? 0 : 1)),
			    (int)size, dreg(g), rm < 0 ? rm : (src8 ? (int)breg(g) : rm), false);
			break;
		}
		case 2:
			if (g->m32)
				return false; /* 63 is ARPL there */
			enc(g, I, 0, 0, 0x63, 3, dreg(g), rm, false);
			break;
		default: enc(g, I, 0, 0, 0x8d, size ? (int)size : 3, dreg(g), -1, false); break;
		}
		return true;
	case 10: /* XCHG, XADD, CMPXCHG */
		rm = opnd(g, 30);
		if (size == 0 && rm >= 0)
			rm = (int)breg(g);
		switch (rn(r, 3)) {
		case 0:
			enc(g, I, 0, 0, size ? 0x87 : 0x86, (int)size, size ? dreg(g) : breg(g), rm,
			    false);
			break;
		case 1:
			enc(g, I, 0, 1, size ? 0xc1 : 0xc0, (int)size, size ? dreg(g) : breg(g), rm,
			    false);
			I->def = ALL;
			break;
		default:
			enc(g, I, 0, 1, size ? 0xb1 : 0xb0, (int)size, size ? sreg(g) : breg(g), rm,
			    false);
			I->def = ALL;
			break;
		}
		return true;
	case 11: { /* CMOVcc, SETcc */
		unsigned cc = rn(r, 16);
		rm = opnd(g, 20);
		if (rn(r, 2)) {
			enc(g, I, 0, 1, (uint8_t)(0x40 + cc), size ? (int)size : 2, dreg(g), rm,
			    false);
		} else {
			enc(g, I, 0, 1, (uint8_t)(0x90 + cc), -1, 0, rm < 0 ? rm : (int)breg(g),
			    false);
		}
		I->reads = cc_reads(cc);
		return true;
	}
	case 12: /* BT BTS BTR BTC */
		if (size == 0)
			size = 2;
		if (rn(r, 2)) {
			enc(g, I, 0, 1, (uint8_t)(0xa3 + 8 * rn(r, 4)), (int)size, sreg(g),
			    (int)dreg(g), false);
		} else {
			enc(g, I, 0, 1, 0xba, (int)size, 4 + rn(r, 4), opnd(g, 40), false);
			imm(I, rn(r, 256), 1);
		}
		I->def = CF;
		I->undef = OF | SF | AF | PF;
		return true;
	case 13: /* BSF BSR, TZCNT LZCNT POPCNT */
		if (size == 0)
			size = 2;
		rm = opnd(g, 20);
		k = rn(r, 5);
		if (k < 2) {
			enc(g, I, 0, 1, (uint8_t)(0xbc + k), (int)size, dreg(g), rm, false);
			I->def = ZF;
			I->undef = CF | OF | SF | AF | PF;
		} else if ((k == 2 && g->hf.bmi1) || (k == 3 && g->hf.lzcnt)) {
			enc(g, I, 0xf3, 1, (uint8_t)(0xbc + k - 2), (int)size, dreg(g), rm, false);
			I->def = ZF | CF;
			I->undef = OF | SF | AF | PF;
		} else if (g->hf.popcnt) {
			enc(g, I, 0xf3, 1, 0xb8, (int)size, dreg(g), rm, false);
			I->def = ALL;
		} else {
			return false;
		}
		return true;
	case 14: { /* BSWAP, CBW/CWD family */
		unsigned d = dreg(g);
		if (rn(r, 2)) {
			if (size < 2)
				size = 2;
			if ((size == 3 || d >= 8) && !g->m32)
				put(I, (uint8_t)(0x40 | (size == 3 ? 8 : 0) | (d >> 3)));
			put(I, 0x0f);
			put(I, (uint8_t)(0xc8 + (d & 7)));
		} else {
			if (size == 0)
				size = 1;
			if (size == 1)
				put(I, 0x66);
			if (size == 3)
				put(I, 0x48);
			put(I, rn(r, 2) ? 0x98 : 0x99);
		}
		return true;
	}
	case 15: { /* SHLD SHRD */
		if (size == 0)
			size = 2;
		rm = opnd(g, 20);
		unsigned bits = 8u << size, right = rn(r, 2);
		if (rn(r, 2) && size >= 2) {
			enc(g, I, 0, 1, right ? 0xad : 0xa5, (int)size, sreg(g), rm, false);
			I->undef = OF | AF;
		} else {
			unsigned c = rn(r, 64) & (size == 3 ? 63 : 31);
			if (c > bits)
				c = bits;
			enc(g, I, 0, 1, right ? 0xac : 0xa4, (int)size, sreg(g), rm, false);
			imm(I, c, 1);
			if (c) {
				I->def = CF | SF | ZF | PF | (c == 1 ? OF : 0);
				I->undef = AF | (c == 1 ? 0 : OF);
			}
		}
		return true;
	}
	case 16: /* CLC STC CMC, LAHF SAHF */
		switch (rn(r, 5)) {
		case 0: put(I, 0xf8); break;
		case 1: put(I, 0xf9); break;
		case 2:
			put(I, 0xf5);
			I->reads = CF;
			break;
		case 3:
			put(I, 0x9f);
			I->reads = SF | ZF | AF | PF | CF;
			return true;
		default:
			put(I, 0x9e);
			I->def = SF | ZF | AF | PF | CF;
			return true;
		}
		I->def = CF;
		return true;
	case 17: { /* PUSH / POP */
		unsigned d = dreg(g);
		if (g->depth > 0 && rn(r, 2)) {
			if (d >= 8 && !g->m32)
				put(I, 0x41);
			put(I, (uint8_t)(0x58 + (d & 7)));
			I->push = -1;
		} else if (g->depth < 16) {
			if (rn(r, 3) == 0) {
				put(I, 0x6a);
				put(I, (uint8_t)rval(r));
			} else {
				d = rn(r, g->m32 ? 8 : 16);
				if (d >= 8)
					put(I, 0x41);
				put(I, (uint8_t)(0x50 + (d & 7)));
			}
			I->push = 1;
		} else {
			return false;
		}
		return true;
	}
	default: /* the common ALU forms, more often */
		rm = opnd(g, 20);
		enc(g, I, 0, 0, (uint8_t)(k << 3 | 1), size ? (int)size : 2, dreg(g), rm, false);
		I->reads = (k == 2 || k == 3) ? CF : 0;
		I->def = ALL;
		return true;
	}
}

/* SSE forms: xmm, xmm/m128 (mandatory prefix, map, opcode, imm8?). */
struct sse_form {
	uint8_t pfx, map, op, imm;
	uint8_t feat; /* 0 SSE2, 1 SSSE3, 2 SSE4.1, 3 SSE4.2, 4 AES, 5 PCLMULQDQ */
	uint32_t def;
};

static const struct sse_form sse_forms[] = {
	/* SSE2 integer (66 0F) */
	{ 0x66, 1, 0x60 },
	{ 0x66, 1, 0x61 },
	{ 0x66, 1, 0x62 },
	{ 0x66, 1, 0x63 },
	{ 0x66, 1, 0x64 },
	{ 0x66, 1, 0x65 },
	{ 0x66, 1, 0x66 },
	{ 0x66, 1, 0x67 },
	{ 0x66, 1, 0x68 },
	{ 0x66, 1, 0x69 },
	{ 0x66, 1, 0x6a },
	{ 0x66, 1, 0x6b },
	{ 0x66, 1, 0x6c },
	{ 0x66, 1, 0x6d },
	{ 0x66, 1, 0x6f },
	{ 0xf3, 1, 0x6f },
	{ 0x66, 1, 0x70, 1 },
	{ 0xf3, 1, 0x70, 1 },
	{ 0xf2, 1, 0x70, 1 },
	{ 0x66, 1, 0x74 },
	{ 0x66, 1, 0x75 },
	{ 0x66, 1, 0x76 },
	{ 0x66, 1, 0xd1 },
	{ 0x66, 1, 0xd2 },
	{ 0x66, 1, 0xd3 },
	{ 0x66, 1, 0xd4 },
	{ 0x66, 1, 0xd5 },
	{ 0x66, 1, 0xd8 },
	{ 0x66, 1, 0xd9 },
	{ 0x66, 1, 0xda },
	{ 0x66, 1, 0xdb },
	{ 0x66, 1, 0xdc },
	{ 0x66, 1, 0xdd },
	{ 0x66, 1, 0xde },
	{ 0x66, 1, 0xdf },
	{ 0x66, 1, 0xe0 },
	{ 0x66, 1, 0xe1 },
	{ 0x66, 1, 0xe2 },
	{ 0x66, 1, 0xe3 },
	{ 0x66, 1, 0xe4 },
	{ 0x66, 1, 0xe5 },
	{ 0x66, 1, 0xe8 },
	{ 0x66, 1, 0xe9 },
	{ 0x66, 1, 0xea },
	{ 0x66, 1, 0xeb },
	{ 0x66, 1, 0xec },
	{ 0x66, 1, 0xed },
	{ 0x66, 1, 0xee },
	{ 0x66, 1, 0xef },
	{ 0x66, 1, 0xf1 },
	{ 0x66, 1, 0xf2 },
	{ 0x66, 1, 0xf3 },
	{ 0x66, 1, 0xf4 },
	{ 0x66, 1, 0xf5 },
	{ 0x66, 1, 0xf6 },
	{ 0x66, 1, 0xf8 },
	{ 0x66, 1, 0xf9 },
	{ 0x66, 1, 0xfa },
	{ 0x66, 1, 0xfb },
	{ 0x66, 1, 0xfc },
	{ 0x66, 1, 0xfd },
	{ 0x66, 1, 0xfe },
	/* SSSE3 (66 0F 38, 66 0F 3A 0F) */
	{ 0x66, 2, 0x00, 0, 1 },
	{ 0x66, 2, 0x01, 0, 1 },
	{ 0x66, 2, 0x02, 0, 1 },
	{ 0x66, 2, 0x03, 0, 1 },
	{ 0x66, 2, 0x04, 0, 1 },
	{ 0x66, 2, 0x05, 0, 1 },
	{ 0x66, 2, 0x06, 0, 1 },
	{ 0x66, 2, 0x07, 0, 1 },
	{ 0x66, 2, 0x08, 0, 1 },
	{ 0x66, 2, 0x09, 0, 1 },
	{ 0x66, 2, 0x0a, 0, 1 },
	{ 0x66, 2, 0x0b, 0, 1 },
	{ 0x66, 2, 0x1c, 0, 1 },
	{ 0x66, 2, 0x1d, 0, 1 },
	{ 0x66, 2, 0x1e, 0, 1 },
	{ 0x66, 3, 0x0f, 1, 1 },
	/* SSE4.1 / 4.2 */
	{ 0x66, 2, 0x10, 0, 2 },
	{ 0x66, 2, 0x14, 0, 2 },
	{ 0x66, 2, 0x15, 0, 2 },
	{ 0x66, 2, 0x17, 0, 2, ALL },
	{ 0x66, 2, 0x20, 0, 2 },
	{ 0x66, 2, 0x21, 0, 2 },
	{ 0x66, 2, 0x22, 0, 2 },
	{ 0x66, 2, 0x23, 0, 2 },
	{ 0x66, 2, 0x24, 0, 2 },
	{ 0x66, 2, 0x25, 0, 2 },
	{ 0x66, 2, 0x28, 0, 2 },
	{ 0x66, 2, 0x29, 0, 2 },
	{ 0x66, 2, 0x2b, 0, 2 },
	{ 0x66, 2, 0x30, 0, 2 },
	{ 0x66, 2, 0x31, 0, 2 },
	{ 0x66, 2, 0x32, 0, 2 },
	{ 0x66, 2, 0x33, 0, 2 },
	{ 0x66, 2, 0x34, 0, 2 },
	{ 0x66, 2, 0x35, 0, 2 },
	{ 0x66, 2, 0x37, 0, 3 },
	{ 0x66, 2, 0x38, 0, 2 },
	{ 0x66, 2, 0x39, 0, 2 },
	{ 0x66, 2, 0x3a, 0, 2 },
	{ 0x66, 2, 0x3b, 0, 2 },
	{ 0x66, 2, 0x3c, 0, 2 },
	{ 0x66, 2, 0x3d, 0, 2 },
	{ 0x66, 2, 0x3e, 0, 2 },
	{ 0x66, 2, 0x3f, 0, 2 },
	{ 0x66, 2, 0x40, 0, 2 },
	{ 0x66, 2, 0x41, 0, 2 },
	{ 0x66, 3, 0x08, 1, 2 },
	{ 0x66, 3, 0x09, 1, 2 },
	{ 0x66, 3, 0x0a, 1, 2 },
	{ 0x66, 3, 0x0b, 1, 2 },
	{ 0x66, 3, 0x0c, 1, 2 },
	{ 0x66, 3, 0x0d, 1, 2 },
	{ 0x66, 3, 0x0e, 1, 2 },
	{ 0x66, 3, 0x40, 1, 2 },
	{ 0x66, 3, 0x41, 1, 2 },
	{ 0x66, 3, 0x42, 1, 2 },
	/* AES-NI, PCLMULQDQ */
	{ 0x66, 2, 0xdb, 0, 4 },
	{ 0x66, 2, 0xdc, 0, 4 },
	{ 0x66, 2, 0xdd, 0, 4 },
	{ 0x66, 2, 0xde, 0, 4 },
	{ 0x66, 2, 0xdf, 0, 4 },
	{ 0x66, 3, 0xdf, 1, 4 },
	{ 0x66, 3, 0x44, 1, 5 },
	/* floating point: ps (none), pd (66), ss (F3), sd (F2) */
	{ 0, 1, 0x51 },
	{ 0, 1, 0x54 },
	{ 0, 1, 0x55 },
	{ 0, 1, 0x56 },
	{ 0, 1, 0x57 },
	{ 0, 1, 0x58 },
	{ 0, 1, 0x59 },
	{ 0, 1, 0x5a },
	{ 0, 1, 0x5b },
	{ 0, 1, 0x5c },
	{ 0, 1, 0x5d },
	{ 0, 1, 0x5e },
	{ 0, 1, 0x5f },
	{ 0, 1, 0x14 },
	{ 0, 1, 0x15 },
	{ 0, 1, 0xc6, 1 },
	{ 0, 1, 0xc2, 1 },
	{ 0, 1, 0x10 },
	{ 0, 1, 0x28 },
	{ 0x66, 1, 0x51 },
	{ 0x66, 1, 0x54 },
	{ 0x66, 1, 0x55 },
	{ 0x66, 1, 0x56 },
	{ 0x66, 1, 0x57 },
	{ 0x66, 1, 0x58 },
	{ 0x66, 1, 0x59 },
	{ 0x66, 1, 0x5a },
	{ 0x66, 1, 0x5b },
	{ 0x66, 1, 0x5c },
	{ 0x66, 1, 0x5d },
	{ 0x66, 1, 0x5e },
	{ 0x66, 1, 0x5f },
	{ 0x66, 1, 0x14 },
	{ 0x66, 1, 0x15 },
	{ 0x66, 1, 0xc6, 1 },
	{ 0x66, 1, 0xc2, 1 },
	{ 0x66, 1, 0xe6 },
	{ 0x66, 1, 0x7c },
	{ 0x66, 1, 0x7d },
	{ 0x66, 1, 0xd0 },
	{ 0xf3, 1, 0x51 },
	{ 0xf3, 1, 0x58 },
	{ 0xf3, 1, 0x59 },
	{ 0xf3, 1, 0x5a },
	{ 0xf3, 1, 0x5b },
	{ 0xf3, 1, 0x5c },
	{ 0xf3, 1, 0x5d },
	{ 0xf3, 1, 0x5e },
	{ 0xf3, 1, 0x5f },
	{ 0xf3, 1, 0xc2, 1 },
	{ 0xf3, 1, 0xe6 },
	{ 0xf3, 1, 0x10 },
	{ 0xf3, 1, 0x16 },
	{ 0xf3, 1, 0x12 },
	{ 0xf3, 1, 0x7e },
	{ 0xf2, 1, 0x51 },
	{ 0xf2, 1, 0x58 },
	{ 0xf2, 1, 0x59 },
	{ 0xf2, 1, 0x5a },
	{ 0xf2, 1, 0x5c },
	{ 0xf2, 1, 0x5d },
	{ 0xf2, 1, 0x5e },
	{ 0xf2, 1, 0x5f },
	{ 0xf2, 1, 0xc2, 1 },
	{ 0xf2, 1, 0xe6 },
	{ 0xf2, 1, 0x7c },
	{ 0xf2, 1, 0x7d },
	{ 0xf2, 1, 0xd0 },
	{ 0xf2, 1, 0x12 },
	{ 0xf2, 1, 0x10 },
	/* compares into EFLAGS */
	{ 0, 1, 0x2e, 0, 0, ALL },
	{ 0, 1, 0x2f, 0, 0, ALL },
	{ 0x66, 1, 0x2e, 0, 0, ALL },
	{ 0x66, 1, 0x2f, 0, 0, ALL },
};

static bool gen_sse(struct gen *g, struct ins *I)
{
	struct rng *r = &g->r;
	unsigned x = xreg(g), y = xreg(g);
	switch (rn(r, 6)) {
	case 0: { /* MOVD/MOVQ xmm <-> r/m, MOVMSK, PMOVMSKB, PEXTRW, PINSRW */
		bool w = rn(r, 2);
		switch (rn(r, 5)) {
		case 0: enc(g, I, 0x66, 1, 0x6e, -1, x, opnd(g, 30), w); break;
		case 1: enc(g, I, 0x66, 1, 0x7e, -1, x, opnd(g, 30), w); break;
		case 2: enc(g, I, rn(r, 2) ? 0x66 : 0, 1, 0x50, -1, dreg(g), (int)y, false); break;
		case 3: enc(g, I, 0x66, 1, 0xd7, -1, dreg(g), (int)y, false); break;
		default:
			if (rn(r, 2))
				enc(g, I, 0x66, 1, 0xc5, -1, dreg(g), (int)y, false);
			else
				enc(g, I, 0x66, 1, 0xc4, -1, x, opnd(g, 30), false);
			imm(I, rn(r, 256), 1);
			break;
		}
		return true;
	}
	case 1: /* conversions with a general register */
		switch (rn(r, 2)) {
		case 0:
			enc(g, I, rn(r, 2) ? 0xf3 : 0xf2, 1, 0x2a, -1, x, opnd(g, 30), rn(r, 2));
			break;
		default:
			enc(g, I, rn(r, 2) ? 0xf3 : 0xf2, 1, (uint8_t)(0x2c + rn(r, 2)), -1,
			    dreg(g), rn(r, 4) ? (int)y : -1, rn(r, 2));
			break;
		}
		return true;
	case 2: { /* shifts by imm8 */
		static const uint8_t f[][2] = { { 0x71, 2 }, { 0x71, 4 }, { 0x71, 6 }, { 0x72, 2 },
						{ 0x72, 4 }, { 0x72, 6 }, { 0x73, 2 }, { 0x73, 3 },
						{ 0x73, 6 }, { 0x73, 7 } };
		unsigned i = rn(r, SV_ARRAY_SIZE(f));
		enc(g, I, 0x66, 1, f[i][0], -1, f[i][1], (int)y, false);
		imm(I, rn(r, 3) ? rn(r, 20) : rn(r, 256), 1);
		return true;
	}
	default: {
		const struct sse_form *s = &sse_forms[rn(r, SV_ARRAY_SIZE(sse_forms))];
		if ((s->feat == 1 && !g->hf.ssse3) || (s->feat == 2 && !g->hf.sse41) ||
		    (s->feat == 3 && !g->hf.sse42) || (s->feat == 4 && !g->hf.aes) ||
		    (s->feat == 5 && !g->hf.pclmul))
			return false;
		enc(g, I, s->pfx, s->map, s->op, -1, x, rn(r, 4) ? (int)y : -1, false);
		if (s->imm) {
			unsigned v = rn(r, 256);
			if (s->op == 0xc2 && s->map == 1)
				v &= 7; /* CMPPS predicates 0-7 (8+ are VEX-only) */
			if (s->map == 3 && s->op >= 0x08 && s->op <= 0x0b)
				v &= 15;
			imm(I, v, 1);
		}
		I->def = s->def;
		return true;
	}
	}
}

/* lea disp8(%r15), %reg: a pointer into the window. */
static void lea_win(struct gen *g, struct ins *I, unsigned reg)
{
	if (g->m32) { /* mov $offset, %reg: DS and ES are based at the window */
		put(I, (uint8_t)(0xb8 + reg));
		imm(I, 0x780 + rn(&g->r, 128), 4);
		return;
	}
	put(I, (uint8_t)(0x49 | (reg >= 8 ? 4 : 0)));
	put(I, 0x8d);
	put(I, (uint8_t)(0x47 | (reg & 7) << 3));
	put(I, (uint8_t)((int)rn(&g->r, 128) - 64));
}

/* String instructions, LOOPcc/JrCXZ, XLAT, CMPXCHG8B/16B, CRC32, MOVBE, and
 * the SSE forms with a general-register or memory-only operand. */
static bool gen_more(struct gen *g, struct ins *I)
{
	struct rng *r = &g->r;
	unsigned x = xreg(g);
	switch (rn(r, 8)) {
	case 0: { /* [REP] MOVS STOS LODS CMPS SCAS */
		static const uint8_t ops[] = { 0xa4, 0xaa, 0xac, 0xa6, 0xae };
		unsigned k = rn(r, 5), size = rn(r, g->m32 ? 3 : 4), cnt = rn(r, 16),
			 rep = rn(r, 3);
		bool std = rn(r, 4) == 0;
		lea_win(g, I, X86_RSI);
		lea_win(g, I, X86_RDI);
		put(I, 0xb9); /* mov $cnt, %ecx */
		imm(I, cnt, 4);
		if (std)
			put(I, 0xfd);
		if (rep)
			put(I, rep == 1 ? 0xf3 : 0xf2);
		if (size == 1)
			put(I, 0x66);
		if (size == 3)
			put(I, 0x48);
		put(I, (uint8_t)(ops[k] + (size ? 1 : 0)));
		if (std)
			put(I, 0xfc);
		if (k >= 3 && (!rep || cnt))
			I->def = ALL;
		return true;
	}
	case 1: { /* LOOPNE LOOPE LOOP JrCXZ over a MOV: the caller's next one */
		unsigned k = rn(r, 4);
		put(I, 0xb9);
		imm(I, rn(r, 3), 4);
		put(I, (uint8_t)(0xe0 + k));
		put(I, 5);
		put(I, 0xb8 + (uint8_t)rn(r, 4)); /* mov $imm32, %eax..%ebx */
		imm(I, rval(r), 4);
		I->reads = k < 2 ? ZF : 0;
		return true;
	}
	case 2: /* XLAT */
		lea_win(g, I, X86_RBX);
		put(I, 0xd7);
		return true;
	case 3: /* CMPXCHG8B / CMPXCHG16B */
		enc(g, I, 0, 1, 0xc7, -1, 1, -1, rn(r, 2));
		I->def = ZF;
		return true;
	case 4: /* CRC32, MOVBE */
		if (rn(r, 2)) {
			if (!g->hf.sse42)
				return false;
			unsigned size = rn(r, g->m32 ? 3 : 4);
			enc(g, I, 0xf2, 2, size ? 0xf1 : 0xf0, size == 1 ? 1 : -1, dreg(g),
			    rn(r, 2) ? -1 : (int)(size ? dreg(g) : breg(g)),
			    size == 3 || rn(r, 4) == 0);
		} else {
			if (!g->hf.movbe)
				return false;
			unsigned size = 1 + rn(r, 3);
			enc(g, I, 0, 2, (uint8_t)(0xf0 + rn(r, 2)), (int)size, dreg(g), -1, false);
		}
		return true;
	case 5: { /* PEXTR* / EXTRACTPS, PINSR* / INSERTPS (SSE4.1) */
		if (!g->hf.sse41)
			return false;
		static const uint8_t ext[] = { 0x14, 0x15, 0x16, 0x17 };
		static const uint8_t ins[] = { 0x20, 0x21, 0x22 };
		int rm = opnd(g, 40);
		if (rn(r, 2))
			enc(g, I, 0x66, 3, ext[rn(r, 4)], -1, x, rm, rn(r, 2));
		else
			enc(g, I, 0x66, 3, ins[rn(r, 3)], -1, x,
			    rm < 0 || rn(r, 2) ? rm : (int)xreg(g), rn(r, 2));
		imm(I, rn(r, 256), 1);
		return true;
	}
	case 6: { /* PCMPESTRI/M, PCMPISTRI/M (SSE4.2) */
		if (!g->hf.sse42)
			return false;
		enc(g, I, 0x66, 3, (uint8_t)(0x60 + rn(r, 4)), -1, x, rn(r, 3) ? (int)xreg(g) : -1,
		    rn(r, 4) == 0);
		imm(I, rn(r, 128), 1);
		I->def = ALL;
		return true;
	}
	default: { /* moves with one memory-only or register-only operand */
		static const struct {
			uint8_t pfx, op;
			bool mem;
		} f[] = {
			{ 0, 0x12, true },     { 0, 0x13, true },     { 0, 0x16, true },
			{ 0, 0x17, true },     { 0, 0x12, false },    { 0, 0x16, false },
			{ 0x66, 0x12, true },  { 0x66, 0x13, true },  { 0x66, 0x16, true },
			{ 0x66, 0x17, true },  { 0x66, 0xe7, true },  { 0, 0x2b, true },
			{ 0x66, 0x7f, false }, { 0x66, 0x7f, true },  { 0xf3, 0x7f, true },
			{ 0, 0x11, true },     { 0xf3, 0x11, true },  { 0xf2, 0x11, true },
			{ 0x66, 0x29, true },  { 0x66, 0xd6, true },  { 0xf2, 0xf0, true },
			{ 0xf3, 0x11, false }, { 0xf2, 0x11, false }, { 0x66, 0xd6, false },
		};
		unsigned i = rn(r, SV_ARRAY_SIZE(f));
		enc(g, I, f[i].pfx, 1, f[i].op, -1, x, f[i].mem ? -1 : (int)xreg(g), false);
		return true;
	}
	}
}

/* Generate one sequence into cs; returns the flags defined at its end. */
static uint32_t gen_case(uint64_t seed, const struct host_feat *hf, struct xd_case *cs)
{
	struct gen g = { .r = { seed }, .hf = *hf };
	unsigned n = 1 + rn(&g.r, 12);
	memset(cs, 0, sizeof(*cs));
	g.m32 = rn(&g.r, 4) == 0;
	cs->compat = g.m32;
	for (unsigned i = 0; i < n; i++) {
		struct ins I;
		bool jcc = rn(&g.r, 8) == 0;
		unsigned cc = rn(&g.r, 16);
		for (unsigned tries = 0;; tries++) {
			memset(&I, 0, sizeof(I));
			unsigned kind = rn(&g.r, 8);
			bool ok = kind < 5 ? gen_int(&g, &I) :
				  kind < 7 ? gen_sse(&g, &I) :
					     gen_more(&g, &I);
			if (!ok || (I.reads & g.undef) || (jcc && I.push))
				continue;
			if (jcc && (cc_reads(cc) & g.undef))
				jcc = false;
			break;
		}
		if (jcc) {
			cs->code[cs->len++] = (uint8_t)(0x70 + cc);
			cs->code[cs->len++] = (uint8_t)I.n;
			g.undef |= I.undef;
		} else {
			g.undef = (g.undef & ~(I.def | I.undef)) | I.undef;
			g.depth += I.push;
		}
		memcpy(cs->code + cs->len, I.b, I.n);
		cs->len += I.n;
	}
	struct xd_state *s = &cs->in;
	for (unsigned i = 0; i < 16; i++)
		s->gpr[i] = rval(&g.r);
	s->gpr[X86_RSP] = XD_WIN + 0xf00 + 8 * rn(&g.r, 16);
	s->gpr[X86_R15] = XD_WIN + 0x800;
	s->gpr[X86_R14] = rn(&g.r, 16);
	if (g.m32) {
		/* Flat SS: ESP is the window's address. Small BX SI DI BP keep
		 * the 16-bit effective addresses in the window (offsets from DS). */
		s->gpr[X86_RSP] = XD_WIN32 + 0xf00 + 4 * rn(&g.r, 32);
		static const unsigned a16[] = { X86_RBX, X86_RSI, X86_RDI, X86_RBP };
		for (unsigned i = 0; i < 4; i++)
			if (rn(&g.r, 4))
				s->gpr[a16[i]] = (s->gpr[a16[i]] & ~0xffffull) | rn(&g.r, 0x800);
	}
	s->rflags = 0x202 | (rnd(&g.r) & ALL);
	/* Exceptions masked; random rounding, FTZ, DAZ and sticky flags. */
	s->mxcsr = 0x1f80 | (uint32_t)(rnd(&g.r) & 0xe07f);
	for (unsigned i = 0; i < 16; i++)
		rxmm(&g.r, s->xmm[i]);
	for (unsigned i = 0; i < XD_WIN_SIZE; i += 8) {
		uint64_t v = rval(&g.r);
		memcpy(s->mem + i, &v, 8);
	}
	return ALL & ~g.undef;
}

/* ---- the emulator side -------------------------------------------------------- */

#define EMU_PT 0x1000 /* PML4, PDPT, PD, PT at 0x1000..0x4fff */
#define EMU_CODE 0x10000
#define EMU_WIN 0x11000

struct emu {
	struct machmem mem;
	struct p2m *p2m;
	struct tb_cache *tbc;
	struct cpu_x86 *c;
};

static void put64(struct emu *e, uint64_t gpa, uint64_t v)
{
	uint8_t b[8];
	st64_le_p(b, v);
	p2m_copy_to(e->p2m, gpa, b, 8);
}

static bool emu_init(struct emu *e)
{
	if (machmem_init(&e->mem, 1u << 20) < 0)
		return false;
	e->p2m = p2m_new(&e->mem, 1);
	if (!e->p2m || p2m_populate_ram(e->p2m, 0, 32) < 0)
		return false;
	e->tbc = tb_cache_new(e->p2m, &backend_threaded);
	e->c = cpu_x86_new(e->p2m, e->tbc, 0);
	/* XD_CODE and XD_WIN map to EMU_CODE and EMU_WIN (user, writable). */
	unsigned i4 = (XD_CODE >> 39) & 511, i3 = (XD_CODE >> 30) & 511;
	unsigned i2 = (XD_CODE >> 21) & 511, i1 = (XD_CODE >> 12) & 511;
	put64(e, EMU_PT + 8 * i4, (EMU_PT + 0x1000) | 7);
	put64(e, EMU_PT + 0x1000 + 8 * i3, (EMU_PT + 0x2000) | 7);
	put64(e, EMU_PT + 0x2000 + 8 * i2, (EMU_PT + 0x3000) | 7);
	put64(e, EMU_PT + 0x3000 + 8 * i1, EMU_CODE | 7);
	put64(e, EMU_PT + 0x3000 + 8 * (i1 + 1), EMU_WIN | 7);
	/* XD_CODE32 and XD_WIN32: the same two pages, through 0x5000..0x7fff. */
	i4 = (unsigned)(((uint64_t)XD_CODE32 >> 39) & 511);
	i3 = (XD_CODE32 >> 30) & 511;
	i2 = (XD_CODE32 >> 21) & 511;
	i1 = (XD_CODE32 >> 12) & 511;
	put64(e, EMU_PT + 8 * i4, 0x5000 | 7);
	put64(e, 0x5000 + 8 * i3, 0x6000 | 7);
	put64(e, 0x6000 + 8 * i2, 0x7000 | 7);
	put64(e, 0x7000 + 8 * i1, EMU_CODE | 7);
	put64(e, 0x7000 + 8 * (i1 + 1), EMU_WIN | 7);
	return true;
}

static void emu_destroy(struct emu *e)
{
	cpu_x86_free(e->c);
	tb_cache_free(e->tbc);
	p2m_destroy(e->p2m);
	machmem_destroy(&e->mem);
}

static enum xd_fault emu_fault_class(unsigned vector)
{
	switch (vector) {
	case X86_EXC_DE:
	case X86_EXC_XM:
	case X86_EXC_MF: return XD_FAULT_FPE;
	case X86_EXC_UD: return XD_FAULT_ILL;
	case X86_EXC_AC: return XD_FAULT_BUS;
	case X86_EXC_DB:
	case X86_EXC_BP:
	case X86_EXC_OF: return XD_FAULT_TRAP;
	default: return XD_FAULT_SEGV;
	}
}

static void emu_run(struct emu *e, const struct xd_case *cs, struct xd_state *out)
{
	struct cpu_x86 *c = e->c;
	static const uint8_t vmcall[3] = { 0x0f, 0x01, 0xc1 };
	cpu_x86_reset(c);
	tb_cache_flush(e->tbc);
	p2m_copy_to(e->p2m, EMU_CODE, cs->code, cs->len);
	p2m_copy_to(e->p2m, EMU_CODE + cs->len, vmcall, 3);
	p2m_copy_to(e->p2m, EMU_WIN, cs->in.mem, XD_WIN_SIZE);
	c->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	c->cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	c->cr3 = EMU_PT;
	c->efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
	c->seg[X86_SEG_CS] = (struct x86_seg){ 0x33, 0, 0xffffffff,
					       0xb | X86_SEG_ATTR_S | X86_SEG_ATTR_P |
						       (3u << X86_SEG_ATTR_DPL_SHIFT) |
						       X86_SEG_ATTR_L | X86_SEG_ATTR_G };
	if (cs->compat)
		c->seg[X86_SEG_CS].attr ^= X86_SEG_ATTR_L | X86_SEG_ATTR_DB;
	for (unsigned s = 0; s < 6; s++)
		if (s != X86_SEG_CS)
			c->seg[s] = (struct x86_seg){ 0x2b, 0, 0xffffffff,
						      0x3 | X86_SEG_ATTR_S | X86_SEG_ATTR_P |
							      (3u << X86_SEG_ATTR_DPL_SHIFT) |
							      X86_SEG_ATTR_DB | X86_SEG_ATTR_G };
	if (cs->compat) {
		/* DS and ES as the host's LDT window segment (hostrun.h). */
		struct x86_seg w = { XD_LDT_SEL, XD_WIN32, 0xffff,
				     0x3 | X86_SEG_ATTR_S | X86_SEG_ATTR_P |
					     (3u << X86_SEG_ATTR_DPL_SHIFT) | X86_SEG_ATTR_DB };
		c->seg[X86_SEG_DS] = w;
		c->seg[X86_SEG_ES] = w;
	}
	cpu_x86_update_mode(c);
	cpu_tlb_flush(&c->cpu);
	memcpy(c->regs, cs->in.gpr, sizeof(c->regs));
	cpu_x86_set_rflags(c, cs->in.rflags);
	c->fpu.mxcsr = cs->in.mxcsr;
	for (unsigned i = 0; i < 16; i++)
		memcpy(c->fpu.xmm[i].b, cs->in.xmm[i], 16);
	c->rip = cs->compat ? XD_CODE32 : XD_CODE;
	cpu_x86_vmcs_write(c, EXCEPTION_BITMAP, 0xffffffffu);

	enum cpu_stop st = cpu_exec(&c->cpu, 1000);
	memset(out, 0, sizeof(*out));
	memcpy(out->gpr, c->regs, sizeof(c->regs));
	out->rflags = cpu_x86_get_rflags(c);
	out->mxcsr = c->fpu.mxcsr;
	for (unsigned i = 0; i < 16; i++)
		memcpy(out->xmm[i], c->fpu.xmm[i].b, 16);
	p2m_copy_from(e->p2m, out->mem, EMU_WIN, XD_WIN_SIZE);
	uint64_t rip = cpu_x86_vmcs_read(c, GUEST_RIP);
	out->rip = rip - (cs->compat ? XD_CODE32 : XD_CODE);
	if (st != CPU_STOP_EXIT) {
		out->fault = XD_FAULT_CRASH;
	} else if (c->cpu.exit.reason == VMX_EXIT_VMCALL) {
		out->fault = XD_FAULT_NONE;
	} else if (c->cpu.exit.reason == VMX_EXIT_EXCEPTION_NMI) {
		out->fault = emu_fault_class(cpu_x86_vmcs_read(c, VM_EXIT_INTR_INFO) & 0xff);
	} else {
		out->fault = XD_FAULT_CRASH;
	}
}

/* ---- comparing ------------------------------------------------------------------ */

static const char *const gpr_names[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
					   "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15" };

static void dump_code(const struct xd_case *cs)
{
	fprintf(stderr, "  code:");
	for (unsigned i = 0; i < cs->len; i++)
		fprintf(stderr, " %02x", cs->code[i]);
	fprintf(stderr, "\n");
}

/* Compare; print differences (at most a few lines). */
static bool compare(const struct xd_case *cs, const struct xd_state *emu, uint32_t flag_mask,
		    uint64_t seed)
{
	const struct xd_state *h = &cs->out;
	bool bad = false;
	char line[256];
	GString *why = g_string_new(NULL);
	if (h->fault == XD_FAULT_CRASH) {
		g_string_free(why, TRUE);
		return true; /* the host child died: nothing to compare */
	}
	if (h->fault != emu->fault || h->rip != emu->rip) {
		snprintf(line, sizeof(line),
			 "  end: host fault %u at +%llu, emu fault %u at +%llu\n", h->fault,
			 (unsigned long long)h->rip, emu->fault, (unsigned long long)emu->rip);
		g_string_append(why, line);
		bad = true;
	}
	/* After a fault the flags are those before the faulting instruction:
	 * the defined set at the end of the sequence is then too strict, so
	 * compare them only for complete runs. */
	uint32_t fm = h->fault == XD_FAULT_NONE ? flag_mask : 0;
	/* Compatibility mode: the upper halves and R8-R15 are undefined
	 * after the switch back (SDM vol. 1 3.4.1.1); XMM8-15 out of reach. */
	unsigned ngpr = cs->compat ? 8 : 16, nxmm = cs->compat ? 8 : 16;
	uint64_t gmask = cs->compat ? 0xffffffffull : ~0ull;
	for (unsigned i = 0; i < ngpr; i++) {
		if ((h->gpr[i] ^ emu->gpr[i]) & gmask) {
			snprintf(line, sizeof(line), "  %s: host %#llx emu %#llx\n", gpr_names[i],
				 (unsigned long long)h->gpr[i], (unsigned long long)emu->gpr[i]);
			g_string_append(why, line);
			bad = true;
		}
	}
	if ((h->rflags ^ emu->rflags) & (fm | 0x400)) {
		snprintf(line, sizeof(line), "  rflags: host %#llx emu %#llx (compared %#x)\n",
			 (unsigned long long)h->rflags, (unsigned long long)emu->rflags, fm);
		g_string_append(why, line);
		bad = true;
	}
	if (h->mxcsr != emu->mxcsr) {
		snprintf(line, sizeof(line), "  mxcsr: host %#x emu %#x\n", h->mxcsr, emu->mxcsr);
		g_string_append(why, line);
		bad = true;
	}
	for (unsigned i = 0; i < nxmm; i++) {
		if (memcmp(h->xmm[i], emu->xmm[i], 16)) {
			uint64_t a[2], b[2];
			memcpy(a, h->xmm[i], 16);
			memcpy(b, emu->xmm[i], 16);
			snprintf(line, sizeof(line),
				 "  xmm%u: host %016llx%016llx emu %016llx%016llx\n", i,
				 (unsigned long long)a[1], (unsigned long long)a[0],
				 (unsigned long long)b[1], (unsigned long long)b[0]);
			g_string_append(why, line);
			bad = true;
		}
	}
	for (unsigned i = 0; i < XD_WIN_SIZE; i += 8) {
		if (memcmp(h->mem + i, emu->mem + i, 8)) {
			uint64_t a, b;
			memcpy(&a, h->mem + i, 8);
			memcpy(&b, emu->mem + i, 8);
			snprintf(line, sizeof(line), "  mem[%#x]: host %#llx emu %#llx\n", i,
				 (unsigned long long)a, (unsigned long long)b);
			g_string_append(why, line);
			bad = true;
			break;
		}
	}
	if (bad) {
		fprintf(stderr, "x86diff: case seed %#llx (%s) differs:\n%s",
			(unsigned long long)seed, cs->compat ? "compatibility mode" : "64-bit mode",
			why->str);
		dump_code(cs);
	}
	g_string_free(why, TRUE);
	return !bad;
}

/* The seed of case i: one stream per case, so any case reruns alone. */
static uint64_t case_seed(uint64_t seed, unsigned i)
{
	struct rng r = { seed * 0x100000001b3ull + i };
	return rnd(&r);
}

#define XD_BATCH 4096u

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: x86diff SEED N [RESULTFILE]\n"
				"       x86diff -case CASESEED [RESULTFILE]\n");
		return 2;
	}
	bool one = strcmp(argv[1], "-case") == 0;
	uint64_t seed = strtoull(argv[2 - !one], NULL, 0);
	unsigned n = one ? 1 : (unsigned)strtoul(argv[2], NULL, 0);
	FILE *res = argc > 3 ? fopen(argv[3], "a") : NULL;
	struct host_feat hf = host_features();
	struct xd_case *cases = g_new0(struct xd_case, XD_BATCH);
	uint32_t *masks = g_new0(uint32_t, XD_BATCH);
	uint64_t *seeds = g_new0(uint64_t, XD_BATCH);
	unsigned fails = 0, crashes = 0, ends[XD_FAULT_CRASH + 1] = { 0 }, compat = 0;
	struct emu e;

	if (!emu_init(&e)) {
		fprintf(stderr, "x86diff: cannot set up the emulator\n");
		return 1;
	}
	for (unsigned base = 0; base < n && fails < 50; base += XD_BATCH) {
		unsigned m = n - base < XD_BATCH ? n - base : XD_BATCH;
		for (unsigned i = 0; i < m; i++) {
			seeds[i] = one ? seed : case_seed(seed, base + i);
			masks[i] = gen_case(seeds[i], &hf, &cases[i]);
		}
		if (!xd_host_run(cases, m)) {
			fprintf(stderr, "x86diff: cannot run code on this host: skipped\n");
			if (res)
				fprintf(res,
					"skip x86-diff-random (the host cannot run the cases)\n");
			return 0;
		}
		for (unsigned i = 0; i < m && fails < 50; i++) {
			struct xd_state out;
			ends[cases[i].out.fault]++;
			compat += cases[i].compat;
			if (cases[i].out.fault == XD_FAULT_CRASH) {
				crashes++;
				continue;
			}
			emu_run(&e, &cases[i], &out);
			if (!compare(&cases[i], &out, masks[i], seeds[i]) && ++fails >= 50)
				fprintf(stderr, "x86diff: stopping after 50 differences\n");
		}
	}
	emu_destroy(&e);
	printf("x86diff: host endings: %u complete, %u #GP/#PF, %u #UD, %u #DE/#XM, %u other\n",
	       ends[XD_FAULT_NONE], ends[XD_FAULT_SEGV], ends[XD_FAULT_ILL], ends[XD_FAULT_FPE],
	       ends[XD_FAULT_BUS] + ends[XD_FAULT_TRAP]);
	printf("x86diff: seed %llu, %u sequences (%u in compatibility mode), %u differ, %u not "
	       "run by the host\n",
	       (unsigned long long)seed, n, compat, fails, crashes);
	if (res) {
		if (fails)
			fprintf(res,
				"fail x86-diff-random (seed %llu: %u of %u sequences differ)\n",
				(unsigned long long)seed, fails, n);
		else
			fprintf(res, "pass x86-diff-random\n");
		fclose(res);
	}
	g_free(cases);
	g_free(masks);
	g_free(seeds);
	return fails ? 1 : 0;
}
