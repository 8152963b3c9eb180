/*
 * Differential test generator for the POWER fixed-point and floating-point
 * instructions.
 *
 *     gen SEED N_RANDOM OUT.S OUT.cases
 *
 * Emits directed cases and N_RANDOM seeded-random ones. A case is a short
 * sequence of user-level fixed-point instruction words with random initial
 * GPRs, CR, XER, FPSCR, VSCR and the 64 VSRs (which hold the FPRs and the
 * VRs). OUT.S is a static Linux user program (ppc64le) that runs every case
 * and writes its final state -- NSTATE little-endian doublewords laid out
 * as state.h says -- to stdout, for qemu-ppc64le; OUT.cases holds the same
 * cases for softvisor's runner (svrun.c): per case u32 name length, name,
 * u32 n, n instruction words, NSTATE initial doublewords, all little-endian.
 *
 * Floating point: directed cases run every FP instruction over the special
 * values (signed zeros, infinities, QNaN/SNaN, denormals, extremes, values
 * at the single-precision limits, halfway cases) in each rounding mode;
 * random cases draw operands from the same pool and random doubles, with a
 * random FPSCR (rounding mode, sticky status bits; the exception enables
 * stay 0 -- qemu-user runs with MSR[FE0,FE1] = 0, so enabled exceptions
 * only change which results are written, tested in the unit tests).
 *
 * Vector floating point: the VSX double-precision instructions run in the
 * random FP mix, the VMX ones (VSCR[NJ] in a quarter of the cases) in the
 * random vector mix; the VMX estimates only last in a case (svrun.c checks
 * them against the architected precision).
 *
 * Instructions with architecturally undefined results (divide by zero or
 * overflow, the high word of mulhw) are only generated in directed cases with
 * defined operands.
 *
 * Loads and stores (fixed-point, floating-point, VMX, VSX: every form
 * softvisor implements but the element loads lve*x, which leave the rest of
 * the register undefined) run against a 512-byte buffer at S_MEM_ADDR
 * (state.h) whose random contents are part of the case's state: base
 * register r30 points into its middle, r29 is an index, r28 a length for
 * lxvl and friends. The buffer is compared after the case like the
 * registers, so stores are checked byte for byte. The single-precision
 * stores (stfs, stfsx, stxssp) are undefined for a double whose exponent is
 * below the single denormal range (Book I 4.6.3): they run in directed
 * cases over values where they are defined, not in the random mix.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	/* splitmix64 */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rr(struct rng *r, unsigned n)
{
	return (unsigned)(rnd(r) % n);
}

static uint64_t special(struct rng *r)
{
	static const uint64_t v[] = { 0,
				      1,
				      ~0ull,
				      0x7fffffffffffffffull,
				      0x8000000000000000ull,
				      0x7fffffff,
				      0x80000000ull,
				      0xffffffff,
				      0xffffffff80000000ull,
				      0x100000000ull,
				      2,
				      63,
				      64,
				      31,
				      32,
				      0xff,
				      0x8000 };
	switch (rr(r, 4)) {
	case 0: return v[rr(r, sizeof(v) / sizeof(v[0]))];
	case 1: return rnd(r) & 0xffff;
	case 2: return (uint64_t)(int64_t)(int32_t)rnd(r);
	default: return rnd(r);
	}
}

static uint32_t xo(unsigned rt, unsigned ra, unsigned rb, unsigned oe, unsigned x, unsigned rc)
{
	return (31u << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (oe << 10) | (x << 1) | rc;
}
static uint32_t x10(unsigned rs, unsigned ra, unsigned rb, unsigned x, unsigned rc)
{
	return (31u << 26) | (rs << 21) | (ra << 16) | (rb << 11) | (x << 1) | rc;
}
static uint32_t dform(unsigned po, unsigned rt, unsigned ra, uint32_t imm)
{
	return (po << 26) | (rt << 21) | (ra << 16) | (imm & 0xffff);
}

/* One random fixed-point instruction with defined results. */
static uint32_t rand_insn(struct rng *r)
{
	static const unsigned xo_ops[] = { 266, 10,  138, 40,  8,   136, 104, 202,
					   234, 200, 232, 235, 233, 73,  9 };
	static const unsigned x_ops[] = { 28,  60, 444, 412, 316, 476, 124,
					  284, 24, 536, 792, 27,  539, 794 };
	static const unsigned un_ops[] = { 954, 922, 986, 26, 58, 538, 570, 122, 378, 506 };
	static const unsigned d_ops[] = { 14, 15, 12, 13, 8, 7, 24, 25, 26, 27, 28, 29 };
	static const unsigned cr_ops[] = { 257, 449, 193, 225, 33, 289, 129, 417 };
	unsigned rt = rr(r, 32), ra = rr(r, 32), rb = rr(r, 32), rc = rr(r, 2);

	switch (rr(r, 12)) {
	case 0:
	case 1: {
		unsigned op = xo_ops[rr(r, sizeof(xo_ops) / 4)];
		unsigned oe = (op == 73 || op == 9) ? 0 : rr(r, 2);
		if (op == 104 || op == 202 || op == 234 || op == 200 || op == 232)
			rb = 0; /* RB is reserved in neg, addze, addme, subfze, subfme */
		return xo(rt, ra, rb, oe, op, rc);
	}
	case 2:
	case 3: return x10(rt, ra, rb, x_ops[rr(r, sizeof(x_ops) / 4)], rc);
	case 4: {
		unsigned op = un_ops[rr(r, sizeof(un_ops) / 4)];
		if (op == 122 || op == 378 || op == 506)
			rc = 0;
		return x10(rt, ra, 0, op, rc);
	}
	case 5: return dform(d_ops[rr(r, sizeof(d_ops) / 4)], rt, ra, (uint32_t)special(r));
	case 6: /* rlwinm / rlwimi / rlwnm */
		return ((uint32_t[]){ 20, 21, 23 })[rr(r, 3)] << 26 | rt << 21 | ra << 16 |
		       rb << 11 | rr(r, 32) << 6 | rr(r, 32) << 1 | rc;
	case 7: { /* rldicl rldicr rldic rldimi / rldcl rldcr */
		unsigned k = rr(r, 6), m = rr(r, 64);
		if (k < 4)
			return 30u << 26 | rt << 21 | ra << 16 | (rb << 11) | ((m & 31) << 6) |
			       ((m >> 5) << 5) | k << 2 | (rr(r, 2) << 1) | rc;
		return 30u << 26 | rt << 21 | ra << 16 | rb << 11 | ((m & 31) << 6) |
		       ((m >> 5) << 5) | (k + 4) << 1 | rc;
	}
	case 8: /* srawi / sradi / cmp family */
		switch (rr(r, 4)) {
		case 0: return x10(rt, ra, rb, 824, rc);
		case 1:
			return (31u << 26) | rt << 21 | ra << 16 | rb << 11 | 413 << 2 |
			       rr(r, 2) << 1 | rc;
		case 2: return x10((rr(r, 8) << 2) | rr(r, 2), ra, rb, rr(r, 2) ? 32 : 0, 0);
		default:
			return dform(rr(r, 2) ? 10 : 11, (rr(r, 8) << 2) | rr(r, 2), ra,
				     (uint32_t)special(r));
		}
	case 9: /* CR logical, mcrf, mfcr, mtcrf, mfocrf */
		switch (rr(r, 4)) {
		case 0: return (19u << 26) | rt << 21 | ra << 16 | rb << 11 | cr_ops[rr(r, 8)] << 1;
		case 1: return (19u << 26) | rr(r, 8) << 23 | rr(r, 8) << 18;
		case 2:
			return x10(rt, 0, 0, 19, 0) |
			       (rr(r, 2) ? (1u << 20) | (0x80u >> rr(r, 8)) << 12 : 0);
		default: return x10(rt, 0, 0, 144, 0) | (rr(r, 256) << 12);
		}
	case 10: /* isel, cmpb */
		if (rr(r, 2))
			return (31u << 26) | rt << 21 | ra << 16 | rb << 11 | rr(r, 32) << 6 |
			       15 << 1;
		return x10(rt, ra, rb, 508, 0);
	default: /* mfxer (mtxer of random values would make reserved bits visible) */
		return x10(rt, 1, 0, 339, 0);
	}
}

static uint64_t fp_special(struct rng *r)
{
	static const uint64_t v[] = {
		0,
		0x8000000000000000ull, /* +-0 */
		0x3ff0000000000000ull,
		0xbff0000000000000ull, /* +-1 */
		0x7ff0000000000000ull,
		0xfff0000000000000ull, /* +-inf */
		0x7ff8000000000000ull,
		0xfff8000000000123ull, /* QNaNs */
		0x7ff0000000000001ull,
		0xfff4000000000abcull, /* SNaNs */
		0x0000000000000001ull,
		0x800fffffffffffffull, /* denormals */
		0x0010000000000000ull,
		0x7fefffffffffffffull, /* DBL_MIN, DBL_MAX */
		0x47efffffe0000000ull,
		0x47effffff0000000ull, /* FLT_MAX, just above */
		0x3810000000000000ull,
		0x380fffffffffffffull, /* FLT_MIN, just below */
		0x36a0000000000000ull,
		0x3690000000000000ull, /* single denormal range */
		0x3ff0000000000001ull,
		0x3ff0000010000000ull, /* 1 + ulp, single halfway */
		0x4330000000000000ull,
		0x41dfffffffc00000ull, /* 2^52, 2^31-1 */
		0x41e0000000000000ull,
		0xc1e0000000000000ull, /* +-2^31 */
		0x43e0000000000000ull,
		0xc3e0000000000001ull, /* 2^63, below -2^63 */
		0x3fe0000000000000ull,
		0xbff8000000000000ull, /* 0.5, -1.5 */
		0x4004000000000000ull,
		0x400c000000000000ull, /* 2.5, 3.5 */
	};
	switch (rr(r, 6)) {
	case 0:
	case 1:
	case 2: return v[rr(r, sizeof(v) / sizeof(v[0]))];
	case 3: /* a random value of moderate exponent */
		return (rnd(r) & 0x800fffffffffffffull) | ((uint64_t)(0x3f0 + rr(r, 0x20)) << 52);
	case 4: /* a single-precision value */
		return (rnd(r) & 0x800fffffe0000000ull) | ((uint64_t)(0x380 + rr(r, 0xff)) << 52);
	default: return rnd(r);
	}
}

/* A doubleword of a vector register: bytes that make compares, min/max,
 * permutes and shifts interesting. */
static uint64_t vec_special(struct rng *r)
{
	uint64_t x = rnd(r);
	switch (rr(r, 6)) {
	case 0: return 0;
	case 1: return ~0ull;
	case 2: return x & 0x1f1f1f1f1f1f1f1full;          /* permute controls, shift counts */
	case 3: return (x & 0x0101010101010101ull) * 0xff; /* 0x00 / 0xff bytes */
	case 4: return x & 0x8080808080808080ull;
	default: return x;
	}
}

/* One random VMX / VSX register instruction with architecturally defined
 * results (no loads/stores: the unit tests cover those). */
static uint32_t rand_vec_insn(struct rng *r)
{
	static const uint16_t vx[] = {
		0,
		64,
		128,
		192,
		1024,
		1088,
		1152,
		1216,
		2,
		66,
		130,
		194,
		258,
		322,
		386,
		450,
		514,
		578,
		642,
		706,
		770,
		834,
		898,
		962,
		4,
		68,
		132,
		196,
		260,
		324,
		388,
		1476,
		516,
		580,
		644,
		1732,
		772,
		836,
		900,
		964,
		1036,
		1100,
		1028,
		1092,
		1156,
		1220,
		1284,
		1348,
		1412,
		1668,
		12,
		76,
		140,
		268,
		332,
		396,
		1794,
		1858,
		1922,
		1986,
		1795,
		1859,
		1923,
		1987,
		1292,
		1356,
		452,
		708,
		/* saturating add/sub, carries, quadword, averages, absolute
		 * differences, multiplies, sums, packs, unpacks, word merges */
		512,
		576,
		640,
		768,
		832,
		896,
		1536,
		1600,
		1664,
		1792,
		1856,
		1920,
		384,
		1408,
		256,
		1280,
		320,
		1344,
		1026,
		1090,
		1154,
		1282,
		1346,
		1410,
		1027,
		1091,
		1155,
		8,
		72,
		136,
		264,
		328,
		392,
		520,
		584,
		648,
		776,
		840,
		904,
		137,
		1544,
		1800,
		1608,
		1672,
		1928,
		14,
		78,
		1102,
		142,
		206,
		1230,
		270,
		334,
		1358,
		398,
		462,
		1486,
		526,
		590,
		1614,
		654,
		718,
		1742,
		1932,
		1676,
	};
	/* The VX group at XO 1538 by its VRA field: vneg[wd], vprtyb[wdq],
	 * vexts*, vctz[bhwd]. */
	static const uint8_t sel1538[] = { 6, 7, 8, 9, 10, 16, 17, 24, 25, 26, 28, 29, 30, 31 };
	static const uint16_t vc[] = { 6,   70,  134, 199, 518, 582, 646, 711, 774,
				       838, 902, 967, 7,   71,  135, 263, 327, 391 };
	static const uint8_t xx3[] = { 130, 138, 146, 154, 162, 170, 178, 186, 18, 50, 208, 240 };
	static const uint16_t xx2sign[] = { 409, 425, 441, 473, 489, 505 };
	static const uint16_t mv[] = { 51, 115, 179, 211, 243, 307, 403, 435 };
	unsigned t = rr(r, 32), a = rr(r, 32), b = rr(r, 32), c = rr(r, 32);
	unsigned tx = rr(r, 2), ax = rr(r, 2), bx = rr(r, 2);

	switch (rr(r, 14)) {
	case 12:
	case 13: { /* VMX floating point (not the estimates: see vmx_fp_insn) */
		static const uint16_t fx[] = { 10,  74,  522, 586, 650,  714,
					       778, 842, 906, 970, 1034, 1098 };
		static const uint16_t fc[] = { 198, 454, 710, 966 };
		switch (rr(r, 4)) {
		case 0: return (4u << 26) | t << 21 | a << 16 | b << 11 | c << 6 | (46 + rr(r, 2));
		case 1:
			return (4u << 26) | t << 21 | a << 16 | b << 11 | rr(r, 2) << 10 |
			       fc[rr(r, sizeof(fc) / 2)];
		default: {
			unsigned xo = fx[rr(r, sizeof(fx) / 2)];
			if (xo >= 522 && xo <= 714)
				a = 0; /* vrfi*: VRA reserved */
			return (4u << 26) | t << 21 | a << 16 | b << 11 | xo;
		}
		}
	}
	case 0:
	case 1:
	case 2:
	case 3: {
		unsigned xo = vx[rr(r, sizeof(vx) / 2)];
		if ((xo >= 1794 && xo <= 1987 && (xo & 0x3e) == 2) || xo == 1292 || xo == 526 ||
		    xo == 590 || xo == 1614 || xo == 654 || xo == 718 || xo == 1742)
			a = 0; /* one-operand forms: VRA reserved */
		if (rr(r, 8) == 0)
			return (4u << 26) | t << 21 |
			       (unsigned)sel1538[rr(r, sizeof(sel1538))] << 16 | b << 11 | 1538;
		return (4u << 26) | t << 21 | a << 16 | b << 11 | xo;
	}
	case 4: /* splats (UIM / SIM in the VRA field, the reserved bits 0), mfvscr */
		switch (rr(r, 8)) {
		case 0: return (4u << 26) | t << 21 | (a & 15) << 16 | b << 11 | 524;
		case 1: return (4u << 26) | t << 21 | (a & 7) << 16 | b << 11 | 588;
		case 2: return (4u << 26) | t << 21 | (a & 3) << 16 | b << 11 | 652;
		case 3: return (4u << 26) | t << 21 | a << 16 | 780;
		case 4: return (4u << 26) | t << 21 | a << 16 | 844;
		case 5: return (4u << 26) | t << 21 | a << 16 | 908;
		case 6: return (4u << 26) | t << 21 | 1540;
		default: return (4u << 26) | b << 11 | 1604; /* mtvscr: NJ and SAT */
		}
	case 5:
		return (4u << 26) | t << 21 | a << 16 | b << 11 | rr(r, 2) << 10 |
		       vc[rr(r, sizeof(vc) / 2)];
	case 6: { /* vsel vperm vsldoi vpermr */
		unsigned xo = ((const uint8_t[]){ 42, 43, 44, 59 })[rr(r, 4)];
		if (xo == 44)
			c &= 15;
		return (4u << 26) | t << 21 | a << 16 | b << 11 | c << 6 | xo;
	}
	case 7: /* vclzlsbb / vctzlsbb / vextub[lr]x (GPR results) */
		switch (rr(r, 3)) {
		case 0: return (4u << 26) | t << 21 | rr(r, 2) << 16 | b << 11 | 1538;
		default: return (4u << 26) | t << 21 | a << 16 | b << 11 | (rr(r, 2) ? 1549 : 1805);
		}
	case 8:
	case 9: /* XX3 logical / merge, xxpermdi, xxsldwi */
		switch (rr(r, 3)) {
		case 0:
			return (60u << 26) | t << 21 | a << 16 | b << 11 | rr(r, 4) << 8 |
			       0x0a << 3 | ax << 2 | bx << 1 | tx;
		case 1:
			return (60u << 26) | t << 21 | a << 16 | b << 11 | rr(r, 4) << 8 |
			       0x02 << 3 | ax << 2 | bx << 1 | tx;
		default:
			return (60u << 26) | t << 21 | a << 16 | b << 11 |
			       (unsigned)xx3[rr(r, sizeof(xx3))] << 3 | ax << 2 | bx << 1 | tx;
		}
	case 10: /* xxsel, xxspltw, xxspltib, xxbr[hwdq], xv{abs,nabs,neg}[ds]p */
		switch (rr(r, 5)) {
		case 4:
			return (60u << 26) | t << 21 | b << 11 |
			       (unsigned)xx2sign[rr(r, sizeof(xx2sign) / 2)] << 2 | bx << 1 | tx;
		case 0:
			return (60u << 26) | t << 21 | a << 16 | b << 11 | c << 6 | 3 << 4 |
			       rr(r, 2) << 3 | ax << 2 | bx << 1 | tx;
		case 1:
			return (60u << 26) | t << 21 | rr(r, 4) << 16 | b << 11 | 164 << 2 |
			       bx << 1 | tx;
		case 2: return (60u << 26) | t << 21 | rr(r, 256) << 11 | 360 << 1 | tx;
		default:
			return (60u << 26) | t << 21 | (7u + 8 * rr(r, 4)) << 16 | b << 11 |
			       475 << 2 | bx << 1 | tx;
		}
	default: { /* VSR <-> GPR */
		unsigned xo = mv[rr(r, sizeof(mv) / 2)];
		if (xo != 435) /* RB reserved except in mtvsrdd */
			b = 0;
		return (31u << 26) | t << 21 | a << 16 | b << 11 | xo << 1 | tx;
	}
	}
}

#define MEM_BASE_REG 30
#define MEM_INDEX_REG 29
#define MEM_LEN_REG 28
#define MEM_BASE_OFF 256 /* r30 = S_MEM_ADDR + this */

/* A GPR a memory case may write: not the base, index or length. */
static unsigned mem_gpr(struct rng *r)
{
	return rr(r, 28);
}

/* One random load or store through r30 (+ r29 / a displacement). */
static uint32_t rand_mem_insn(struct rng *r)
{
	/* X-form, opcode 31: RT/RS, RA = r30, RB = r29. */
	static const uint16_t x_gpr[] = { 21,  23,  87,  279, 343, 341, 532, 534,
					  790, 149, 151, 215, 407, 660, 662, 918 };
	static const uint16_t x_fp[] = { 599, 535, 727, 855, 887, 983 }; /* not stfsx */
	static const uint16_t x_vmx[] = { 103, 231, 359, 487, 135, 167, 199, 6, 38 };
	static const uint16_t x_vsx[] = { 12,  76,  140, 268, 332, 364, 396, 588,
					  716, 780, 844, 876, 908, 972, 1004 };
	static const uint8_t d_gpr[] = { 34, 40, 42, 32, 38, 44, 36 };
	static const uint8_t d_fp[] = { 50, 48, 54 }; /* not stfs */
	unsigned t = mem_gpr(r), f = rr(r, 31), v = rr(r, 32), tx = rr(r, 2);
	int disp = (int)rr(r, 129) - 64;
	const unsigned a = MEM_BASE_REG, b = MEM_INDEX_REG;

	switch (rr(r, 10)) {
	case 0: return x10(t, a, b, x_gpr[rr(r, sizeof(x_gpr) / 2)], 0);
	case 1: return x10(f, a, b, x_fp[rr(r, sizeof(x_fp) / 2)], 0);
	case 2: return x10(v, a, b, x_vmx[rr(r, sizeof(x_vmx) / 2)], 0);
	case 3: return x10(v, a, b, x_vsx[rr(r, sizeof(x_vsx) / 2)], 0) | tx;
	case 4: /* lxvl lxvll stxvl stxvll: EA = (RA), length in RB[0:7] */
		return x10(v, a, MEM_LEN_REG, ((const uint16_t[]){ 269, 301, 397, 429 })[rr(r, 4)],
			   0) |
		       tx;
	case 5: return dform(d_gpr[rr(r, sizeof(d_gpr))], t, a, (uint32_t)disp);
	case 6: return dform(d_fp[rr(r, sizeof(d_fp))], f, a, (uint32_t)disp);
	case 7: /* ld ldu lwa std stdu (DS-form) */
		switch (rr(r, 5)) {
		case 0: return dform(58, t, a, (uint32_t)disp & ~3u);
		case 1: return dform(58, t, a, ((uint32_t)disp & 0xc) | 1);
		case 2: return dform(58, t, a, ((uint32_t)disp & ~3u) | 2);
		case 3: return dform(62, t, a, (uint32_t)disp & ~3u);
		default: return dform(62, t, a, ((uint32_t)disp & 0xc) | 1);
		}
	case 8: /* update forms, small displacements: lbzu lwzu stwu lfdu stfdu */
		return dform(((const uint8_t[]){ 35, 33, 37, 51, 55 })[rr(r, 5)], t, a,
			     (uint32_t)(disp & 0xf));
	default: /* lxv stxv (DQ) and lxsd lxssp stxsd stxssp (DS), VRs */
		switch (rr(r, 6)) {
		case 0:
			return (61u << 26) | v << 21 | a << 16 | ((disp & ~15) & 0xfff0u) |
			       tx << 3 | 1;
		case 1:
			return (61u << 26) | v << 21 | a << 16 | ((disp & ~15) & 0xfff0u) |
			       tx << 3 | 5;
		case 2: return (57u << 26) | v << 21 | a << 16 | ((disp & ~3) & 0xfffcu) | 2;
		case 3: return (57u << 26) | v << 21 | a << 16 | ((disp & ~3) & 0xfffcu) | 3;
		default: return (61u << 26) | v << 21 | a << 16 | ((disp & ~3) & 0xfffcu) | 2;
		}
	}
}

static uint32_t fa(unsigned po, unsigned t, unsigned a, unsigned b, unsigned c, unsigned xo,
		   unsigned rc)
{
	return (po << 26) | (t << 21) | (a << 16) | (b << 11) | (c << 6) | (xo << 1) | rc;
}

/* One random floating-point instruction (FPRs only; no loads/stores). */
static uint32_t rand_fp_insn(struct rng *r)
{
	static const unsigned a_ops[] = { 18, 20, 21, 22, 25, 28, 29, 30, 31 };
	static const unsigned x_ops[] = { 12,  14,  15,  142, 143, 814, 815, 846, 942, 943,
					  974, 392, 424, 456, 488, 72,  40,  264, 136, 8 };
	/* f31 is reserved for mffs: its image of FPSCR holds bits that are not
	 * compared (svrun.c), which must not flow into other results. */
	unsigned t = rr(r, 31), a = rr(r, 31), b = rr(r, 31), c = rr(r, 31), rc = rr(r, 2);

	switch (rr(r, 12)) {
	case 0:
	case 1:
	case 2: {
		unsigned xo = a_ops[rr(r, sizeof(a_ops) / 4)];
		if (xo == 22) /* fsqrt: FRA, FRC reserved */
			a = c = 0;
		if (xo == 18 || xo == 20 || xo == 21) /* FRC reserved */
			c = 0;
		if (xo == 25) /* fmul: FRB reserved */
			b = 0;
		return fa(rr(r, 2) ? 63 : 59, t, a, b, c, xo, rc);
	}
	case 3:
	case 4: {
		unsigned xo = x_ops[rr(r, sizeof(x_ops) / 4)];
		if (xo == 846 || xo == 974)
			return fa(rr(r, 2) ? 63 : 59, t, 0, b, 0, 0, rc) | (xo << 1);
		return fa(63, t, xo == 8 ? a : 0, b, 0, 0, rc) | (xo << 1);
	}
	case 5: /* fcmpu / fcmpo */
		return fa(63, rr(r, 8) << 2, a, b, 0, 0, 0) | ((rr(r, 2) ? 32u : 0u) << 1);
	case 6: /* fsel */ return fa(63, t, a, b, c, 23, rc);
	case 7: /* FPSCR moves: mffs, mtfsb0/1, mtfsfi, mcrfs */
		switch (rr(r, 5)) {
		case 0: { /* mffs, mffsce, mffscrn, mffscrni, mffsl (into f31) */
			unsigned v = ((const uint8_t[]){ 0, 0, 1, 22, 23, 24 })[rr(r, 6)];
			unsigned bb = v == 22 ? b : v == 23 ? rr(r, 4) : 0;
			return fa(63, 31, v, bb, 0, 0, v ? 0 : rc) | (583u << 1);
		}
		case 1: /* mtfsb0: not RN (the case's rounding mode stays fixed) */
			return fa(63, rr(r, 30), 0, 0, 0, 0, rc) | (70u << 1);
		case 2: { /* mtfsb1: FX, FR, FI, FPRF (qemu 7.2 does not set FX when
			   mtfsb1 sets an exception bit, as the ISA says it does) */
			unsigned bt = rr(r, 8);
			return fa(63, bt ? 12 + bt : 0, 0, 0, 0, 0, rc) | (38u << 1);
		}
		case 3: /* mtfsfi: fields 0..5 */
			return fa(63, rr(r, 6) << 2, 0, 0, 0, 0, rc) | (rr(r, 16) << 12) |
			       (134u << 1);
		default: return fa(63, rr(r, 8) << 2, rr(r, 8) << 2, 0, 0, 0, 0) | (64u << 1);
		}
	case 8: /* mtfsf FLM,FRB (the rounding mode and status; enables masked below) */
		return fa(63, 0, 0, b, 0, 0, rc) | ((rr(r, 256) & 0xfc) << 17) | (711u << 1);
	case 9: /* the A-form multiply-adds again: the core of glibc's libm */
		return fa(rr(r, 2) ? 63 : 59, t, a, b, c, 28 + rr(r, 4), rc);
	default: { /* VSX scalar floating point (what gcc -mcpu=power8 emits) */
		/* Not the single-precision arithmetic (xsaddsp ...): qemu rounds
		 * twice (to double, then to single), the ISA once. The unit tests
		 * check them. xsmaxdp/xsmindp run with OX, UX, XX not compared
		 * (svrun.c). */
		static const uint8_t xx3[] = { 32, 33,  35,  40,  41,  43,  48,  49, 56,
					       57, 160, 161, 168, 169, 176, 177, 185 };
		/* Not xscvdpspn: undefined for values not representable in single. */
		static const uint16_t xx2[] = { 11,  72,  73,  75,  88,  89,  105, 107,
						121, 265, 281, 296, 312, 328, 329, 331,
						344, 345, 360, 361, 376, 377 };
		/* The vector double- and single-precision instructions:
		 * arithmetic, multiply-adds, max/min, compares (Rc at random),
		 * round to integer, square root and the doubleword conversions. */
		static const uint8_t xv3[] = { 96,  97,  104, 105, 112, 113, 120, 121, 224, 225,
					       232, 233, 241, 249, 64,  65,  72,  73,  80,  81,
					       88,  89,  192, 193, 200, 201, 209, 217 };
		static const uint16_t xv2[] = { 201, 203, 217, 233, 235, 249, 456, 472, 488, 504,
						137, 139, 153, 169, 171, 185, 168, 184, 457, 393,
						408, 392, 216, 200, 440, 424, 248, 232, 152, 136 };
		unsigned tx = rr(r, 2), ax = rr(r, 2), bx = rr(r, 2);
		switch (rr(r, 6)) {
		case 0:
			return (60u << 26) | t << 21 | a << 16 | b << 11 |
			       (unsigned)xv3[rr(r, sizeof(xv3))] << 3 | ax << 2 | bx << 1 | tx;
		case 1:
			return (60u << 26) | t << 21 | a << 16 | b << 11 | rr(r, 2) << 10 |
			       ((const uint8_t[]){ 99, 107, 115, 67, 75, 83 })[rr(r, 6)] << 3 |
			       ax << 2 | bx << 1 | tx;
		case 2:
			return (60u << 26) | t << 21 | b << 11 |
			       (unsigned)xv2[rr(r, sizeof(xv2) / 2)] << 2 | bx << 1 | tx;
		default: break;
		}
		if (rr(r, 2)) {
			unsigned xo = xx3[rr(r, sizeof(xx3))];
			if (xo == 35 || xo == 43) /* compares: BF, no TX */
				return (60u << 26) | rr(r, 8) << 23 | a << 16 | b << 11 | xo << 3 |
				       ax << 2 | bx << 1;
			return (60u << 26) | t << 21 | a << 16 | b << 11 | xo << 3 | ax << 2 |
			       bx << 1 | tx;
		}
		return (60u << 26) | t << 21 | b << 11 |
		       (unsigned)xx2[rr(r, sizeof(xx2) / 2)] << 2 | bx << 1 | tx;
	}
	}
}

/*
 * qemu 7.2 negates the result of fnmadd/fnmsub before rounding, the ISA
 * after (4.6.6: "the same result as fmadd ... and then negating"): the two
 * differ in the directed rounding modes. Those cases use fmadd/fmsub; the
 * unit tests check fnm* in every mode.
 */
static void fnm_only_rn0(uint32_t *w, unsigned n, uint64_t fpscr)
{
	bool rn_changes = false;
	for (unsigned k = 0; k < n; k++) /* mffscrn / mffscrni */
		if (w[k] >> 26 == 63 && ((w[k] >> 1) & 0x3ff) == 583 && ((w[k] >> 16) & 30) == 22)
			rn_changes = true;
	if ((fpscr & 3) == 0 && !rn_changes)
		return;
	for (unsigned k = 0; k < n; k++) {
		unsigned po = w[k] >> 26, x5 = (w[k] >> 1) & 0x1f, x8 = (w[k] >> 3) & 0xff;
		if ((po == 59 || po == 63) && (x5 == 30 || x5 == 31))
			w[k] -= 2 << 1;
		/* xsnm{add,sub}{a,m}{s,d}p -> xsm...: XO - 128 */
		if (po == 60 && x8 >= 128 && ((x8 & 0x1f) % 8) == 1)
			w[k] -= 128 << 3;
	}
}

/*
 * qemu 7.2 carries the exception flags of element 0 of the vector
 * conversions to integer (xvcvdp[su]x{ds,ws}, xvcvsp[su]x{ds,ws}) into the
 * later elements and picks their results from them: after a NaN in element 0
 * it returns the NaN result (0x8000000000000000 / 0x80000000 / 0) for every
 * later element whatever its value, after an out-of-range element 0 the
 * saturated value for a NaN later element (qemu issue 1941; Book I 7.6.1
 * converts each element on its own). These conversions run only as the
 * first instruction of a case, with an element 0 (doubleword 0, or word 0
 * for a single-precision source) that converts without an invalid
 * operation; a later one becomes xvrdpiz (the same form). The other
 * elements take any value.
 */
static void xvcv_int_first(uint32_t *w, unsigned n, uint64_t *init)
{
	for (unsigned k = 0; k < n; k++) {
		unsigned x9 = (w[k] >> 2) & 0x1ff;
		bool sp_src = x9 == 408 || x9 == 392 || x9 == 152 || x9 == 136;
		bool words = x9 == 216 || x9 == 200 || x9 == 152 || x9 == 136;
		bool uns = x9 == 456 || x9 == 200 || x9 == 392 || x9 == 136;
		if (w[k] >> 26 != 60 || !(sp_src || words || x9 == 456 || x9 == 472))
			continue;
		if (k) {
			w[k] = (w[k] & ~(0x1ffu << 2)) | 217u << 2;
			continue;
		}
		uint64_t *b = &init[S_VSR + 2 * (((w[k] >> 11) & 31) | ((w[k] & 2) << 4))];
		/* Element 0 as exponent above the bias, and its sign. */
		int e = sp_src ? (int)((*b >> 55) & 0xff) - 127 : (int)((*b >> 52) & 0x7ff) - 1023;
		bool neg = *b >> 63, emax = sp_src ? e == 128 : e == 1024;
		if (emax || e >= (words ? 31 : 63) || (uns && neg && e >= 0)) {
			if (sp_src) /* word 0 in [2, 4) */
				*b = 0x4000000000000000ull | (*b & 0x007fffffffffffffull);
			else
				*b = 0x4000000000000000ull | (*b & 0xfffffffffffffull);
		}
	}
}

struct out {
	FILE *s, *c;
	unsigned n;
};

static void put32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };
	fwrite(b, 1, 4, f);
}

static void put64(FILE *f, uint64_t v)
{
	put32(f, (uint32_t)v);
	put32(f, (uint32_t)(v >> 32));
}

static void emit_case(struct out *o, const char *name, const uint32_t *w, unsigned n,
		      const uint64_t *init /* NSTATE */)
{
	unsigned k = o->n++;

	put32(o->c, (uint32_t)strlen(name));
	fwrite(name, 1, strlen(name), o->c);
	put32(o->c, n);
	for (unsigned i = 0; i < n; i++)
		put32(o->c, w[i]);
	for (unsigned i = 0; i < NSTATE; i++)
		put64(o->c, init[i]);

	fprintf(o->s, "\t# case %u: %s\n", k, name);
	fprintf(o->s, "\tlis 1, init%u@h\n\tori 1, 1, init%u@l\n", k, k);
	/* The data buffer's initial contents. */
	fprintf(o->s,
		"\taddi 3, 1, %u\n\tlis 4, 0x%x\n\tli 0, %u\n\tmtctr 0\n"
		"1:\tld 0, 0(3)\n\tstd 0, 0(4)\n\taddi 3, 3, 8\n\taddi 4, 4, 8\n\tbdnz 1b\n",
		8 * S_MEM, S_MEM_ADDR >> 16, S_MEM_DWORDS);
	fprintf(o->s, "\tlfd 0, %u(1)\n\tmtfsf 0xff, 0, 1, 0\n", 8 * S_FPSCR);
	/* VSCR: word 3 of the quadword [FPSCR, VSCR]. */
	fprintf(o->s, "\tli 0, %u\n\tlxvd2x 32, 1, 0\n\tmtvscr 0\n", 8 * S_FPSCR);
	for (unsigned i = 0; i < 64; i++)
		fprintf(o->s, "\tli 0, %u\n\tlxvd2x %u, 1, 0\n", 8 * (S_VSR + 2 * i), i);
	fprintf(o->s, "\tld 0, 256(1)\n\tmtcrf 0xff, 0\n\tld 0, 264(1)\n\tmtxer 0\n");
	for (unsigned i = 0; i < 32; i++)
		if (i != 1)
			fprintf(o->s, "\tld %u, %u(1)\n", i, 8 * i);
	fprintf(o->s, "\tld 1, 8(1)\n");
	for (unsigned i = 0; i < n; i++)
		fprintf(o->s, "\t.long 0x%08x\n", w[i]);
	fprintf(o->s, "\tmtctr 31\n\tlis 31, outbuf@h\n\tori 31, 31, outbuf@l\n");
	for (unsigned i = 0; i < 31; i++)
		fprintf(o->s, "\tstd %u, %u(31)\n", i, 8 * i);
	fprintf(o->s, "\tmfctr 0\n\tstd 0, 248(31)\n\tmfcr 0\n\tstd 0, 256(31)\n");
	fprintf(o->s, "\tmfxer 0\n\tstd 0, 264(31)\n");
	for (unsigned i = 0; i < 64; i++)
		fprintf(o->s, "\tli 0, %u\n\tstxvd2x %u, 31, 0\n", 8 * (S_VSR + 2 * i), i);
	fprintf(o->s, "\tmfvscr 0\n\tli 0, %u\n\tstxvd2x 32, 31, 0\n", 8 * S_FPSCR);
	fprintf(o->s, "\tmffs 0\n\tstfd 0, %u(31)\n", 8 * S_FPSCR);
	/* The data buffer after the case. */
	fprintf(o->s,
		"\tlis 3, 0x%x\n\taddi 4, 31, %u\n\tli 0, %u\n\tmtctr 0\n"
		"1:\tld 0, 0(3)\n\tstd 0, 0(4)\n\taddi 3, 3, 8\n\taddi 4, 4, 8\n\tbdnz 1b\n",
		S_MEM_ADDR >> 16, 8 * S_MEM, S_MEM_DWORDS);
	fprintf(o->s, "\tbl dump\n");
	fprintf(o->s, "\t.pushsection .data\n\t.balign 8\ninit%u:\n", k);
	for (unsigned i = 0; i < NSTATE; i++)
		fprintf(o->s, "\t.quad 0x%016llx\n", (unsigned long long)init[i]);
	fprintf(o->s, "\t.popsection\n");
}

static void rand_init(struct rng *r, uint64_t *init)
{
	for (unsigned i = 0; i < 32; i++)
		init[i] = special(r);
	init[32] = rnd(r) & 0xffffffff;
	/* XER: SO OV CA, OV32 CA32; byte count 0. */
	init[33] = rnd(r) & 0xe00c0000ull;
	for (unsigned i = 0; i < 64; i++) {
		init[S_VSR + 2 * i] = i < 32 ? fp_special(r) : vec_special(r);
		init[S_VSR + 2 * i + 1] = vec_special(r);
	}
	init[S_VSCR] = rr(r, 4) == 0 ? 0x10000 : 0; /* NJ sometimes */
	/* FPSCR: RN, FX and the sticky status bits at random; enables 0. */
	init[S_FPSCR] = rr(r, 4) | (rr(r, 4) == 0 ? (rnd(r) & 0x9f8ff700ull) : 0);
	for (unsigned i = 0; i < S_MEM_DWORDS; i++)
		init[S_MEM + i] = rr(r, 3) ? rnd(r) : fp_special(r);
}

/* Is a single-precision store of the double x defined (Book I 4.6.3: not a
 * nonzero value with an exponent below the single denormal range)? */
static bool single_store_defined(uint64_t x)
{
	unsigned e = (unsigned)(x >> 52) & 0x7ff;
	return e > 896 || (x << 1) == 0 || (e >= 874 && e <= 896);
}

/* The registers a load/store case addresses the buffer with. */
static void mem_init(struct rng *r, uint64_t *init)
{
	init[MEM_BASE_REG] = S_MEM_ADDR + MEM_BASE_OFF;
	init[MEM_INDEX_REG] = rr(r, 4) ? rr(r, 64) : (uint64_t) - (int64_t)rr(r, 64);
	init[MEM_LEN_REG] = (uint64_t)rr(r, 20) << 56 | (rnd(r) & 0xffffffffffffffull);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: gen SEED N_RANDOM OUT.S OUT.cases\n");
		return 1;
	}
	struct rng r = { strtoull(argv[1], NULL, 0) };
	unsigned n_random = (unsigned)strtoul(argv[2], NULL, 0);
	struct out o = { fopen(argv[3], "w"), fopen(argv[4], "wb"), 0 };
	uint64_t init[NSTATE];
	char name[64];

	if (!o.s || !o.c) {
		perror("gen");
		return 1;
	}
	fprintf(o.s, "\t.abiversion 2\n\t.text\n\t.globl _start\n_start:\n");

	/* Directed: every random template once per op with fixed operands, and
	 * the divides and word high multiplies with defined operands. */
	static const struct {
		const char *name;
		uint32_t insn;
		uint64_t a, b;
	} dir[] = {
		{ "divd", 0, (uint64_t)-7, 2 },
		{ "divdu", 0, (uint64_t)-7, 2 },
		{ "divw", 0, (uint64_t)-7, 2 },
		{ "divwu", 0, 0xfffffff9, 2 },
		{ "divdo.", 0, 100, 7 },
		{ "divwo.", 0, 0x12345678, 0x1234 },
		{ "mulhw", 0, 0xfffffffff0000000ull, 0x10 },
		{ "mulhwu", 0, 0xf0000000ull, 0x10 },
	};
	static const uint32_t dir_insn[] = {
		(31u << 26) | 3 << 21 | 4 << 16 | 5 << 11 | 489 << 1,
		(31u << 26) | 3 << 21 | 4 << 16 | 5 << 11 | 457 << 1,
		(31u << 26) | 3 << 21 | 4 << 16 | 5 << 11 | 491 << 1,
		(31u << 26) | 3 << 21 | 4 << 16 | 5 << 11 | 459 << 1,
		(31u << 26) | 3 << 21 | 4 << 16 | 5 << 11 | 1 << 10 | 489 << 1 | 1,
		(31u << 26) | 3 << 21 | 4 << 16 | 5 << 11 | 1 << 10 | 491 << 1 | 1,
		(31u << 26) | 3 << 21 | 4 << 16 | 5 << 11 | 75 << 1,
		(31u << 26) | 3 << 21 | 4 << 16 | 5 << 11 | 11 << 1,
	};
	for (unsigned i = 0; i < sizeof(dir) / sizeof(dir[0]); i++) {
		rand_init(&r, init);
		init[4] = dir[i].a;
		init[5] = dir[i].b;
		emit_case(&o, dir[i].name, &dir_insn[i], 1, init);
	}
	/* Directed: each template kind against every special value pattern. */
	for (unsigned i = 0; i < 64; i++) {
		uint32_t w = rand_insn(&r);
		rand_init(&r, init);
		snprintf(name, sizeof(name), "single-%u-%08x", i, w);
		emit_case(&o, name, &w, 1, init);
	}
	/* Directed FP: every arithmetic / conversion / compare instruction on
	 * every pair of special values from a fixed pool, in each rounding mode. */
	static const uint64_t pool[] = {
		0,
		0x8000000000000000ull,
		0x3ff0000000000000ull,
		0xbff0000000000000ull,
		0x7ff0000000000000ull,
		0xfff0000000000000ull,
		0x7ff8000000000000ull,
		0x7ff0000000000001ull,
		0x0000000000000001ull,
		0x7fefffffffffffffull,
		0x47efffffe0000000ull,
		0x3810000000000000ull,
		0x3ff0000010000000ull,
		0x41e0000000000000ull,
		0xc3e0000000000001ull,
		0x4004000000000000ull,
	};
	static const uint32_t dops[] = {
		(63u << 26) | 21 << 1,  (63u << 26) | 20 << 1,  (63u << 26) | 25 << 1,
		(63u << 26) | 18 << 1,  (63u << 26) | 22 << 1,  (63u << 26) | 29 << 1,
		(63u << 26) | 31 << 1,  (59u << 26) | 21 << 1,  (59u << 26) | 25 << 1,
		(59u << 26) | 18 << 1,  (59u << 26) | 29 << 1,  (63u << 26) | 12 << 1,
		(63u << 26) | 14 << 1,  (63u << 26) | 15 << 1,  (63u << 26) | 815 << 1,
		(63u << 26) | 143 << 1, (63u << 26) | 943 << 1, (63u << 26) | 846 << 1,
		(59u << 26) | 974 << 1, (63u << 26) | 392 << 1, (63u << 26) | 488 << 1,
		(63u << 26) | 32 << 1,  (63u << 26) | 23 << 1,
	};
	unsigned np = sizeof(pool) / sizeof(pool[0]);
	for (unsigned k = 0; k < sizeof(dops) / sizeof(dops[0]); k++) {
		for (unsigned rn = 0; rn < 4; rn++) {
			/* One case: f10 = op(f1..f16 as A, B) for 8 operand pairs. */
			uint32_t w[8];
			rand_init(&r, init);
			init[S_FPSCR] = rn;
			for (unsigned i = 0; i < 16; i++)
				init[S_FPR(1 + i)] = pool[i % np];
			for (unsigned j = 0; j < 8; j++) {
				unsigned a = 1 + rr(&r, 16), b = 1 + rr(&r, 16), c = 1 + rr(&r, 16);
				unsigned po = dops[k] >> 26, x5 = dops[k] >> 1 & 0x1f;
				bool aform = x5 >= 18;
				if (!aform || x5 == 22)
					c = 0; /* X-form (XO there) or fsqrt */
				if (!aform || x5 == 22)
					a = 0;
				if (aform && (x5 == 18 || x5 == 20 || x5 == 21))
					c = 0;
				if (aform && x5 == 25) { /* fmul: FRB reserved, FRC used */
					c = b;
					b = 0;
				}
				(void)po;
				/* 0 x inf + SNaN: qemu 7.2 sets VXIMZ but not VXSNAN (the ISA
				 * both); not compared. */
				if (aform && (x5 == 29 || x5 == 31) &&
				    ((pool[(a - 1) % np] & ~(1ull << 63)) ==
					     0x7ff0000000000000ull ||
				     (pool[(c - 1) % np] & ~(1ull << 63)) ==
					     0x7ff0000000000000ull) &&
				    pool[(b - 1) % np] == 0x7ff0000000000001ull)
					b = 1;
				w[j] = dops[k] | (unsigned)(20 + j) << 21 | a << 16 | b << 11 |
				       c << 6 | 1;
				if ((dops[k] >> 1 & 0x3ff) == 32) /* fcmpo: BF, no Rc */
					w[j] = dops[k] | (j & 7) << 23 | (1 + j) << 16 | b << 11;
			}
			fnm_only_rn0(w, 8, rn);
			snprintf(name, sizeof(name), "fp-directed-%u-rn%u", k, rn);
			emit_case(&o, name, w, 8, init);
		}
	}
	for (unsigned i = 0; i < n_random; i++) {
		uint32_t w[12];
		unsigned n = 1 + rr(&r, 12);
		for (unsigned k = 0; k < n; k++)
			w[k] = rand_fp_insn(&r);
		/* A VSX estimate (xvresp xvrsqrtesp xvredp xvrsqrtedp, xsresp
		 * xsrsqrtesp xsredp xsrsqrtedp) as the last instruction in a quarter
		 * of the cases, its XB not its XT: svrun.c compares its result
		 * within the architected precision. */
		if (rr(&r, 4) == 0) {
			static const uint16_t est[] = { 154, 138, 218, 202, 26, 10, 90, 74 };
			unsigned xt = rr(&r, 64), xb = (xt + 1 + rr(&r, 63)) % 64;
			w[n - 1] = (60u << 26) | (xt & 31) << 21 | (xb & 31) << 11 |
				   (unsigned)est[rr(&r, 8)] << 2 | (xb >> 5) << 1 | xt >> 5;
		}
		rand_init(&r, init);
		fnm_only_rn0(w, n, init[S_FPSCR]);
		xvcv_int_first(w, n, init);
		snprintf(name, sizeof(name), "fp-random-%s-%u", argv[1], i);
		emit_case(&o, name, w, n, init);
	}
	for (unsigned i = 0; i < n_random; i++) {
		uint32_t w[12];
		unsigned n = 1 + rr(&r, 12);
		for (unsigned k = 0; k < n; k++)
			w[k] = rand_vec_insn(&r);
		rand_init(&r, init);
		/* mtvscr: VSCR's reserved bits keep what was written in qemu
		 * (implementation-specific): only as the first instruction, its
		 * VRB's word 3 reduced to NJ and SAT; later ones become mfvscr. */
		for (unsigned k = 0; k < n; k++) {
			if ((w[k] & 0xfc0007ffu) != ((4u << 26) | 1604))
				continue;
			if (k == 0)
				init[S_VSR + 2 * (32 + ((w[k] >> 11) & 31)) + 1] &=
					0xffffffff00010001ull;
			else
				w[k] = (4u << 26) | ((w[k] >> 11) & 31) << 21 | 1540;
		}
		/* A VMX estimate (vrefp vrsqrtefp vexptefp vlogefp) as the last
		 * instruction in a third of the cases, its VRB not its VRT: svrun.c
		 * compares its result within the architected precision. */
		if (rr(&r, 3) == 0) {
			unsigned vt = rr(&r, 32), vb = (vt + 1 + rr(&r, 31)) % 32;
			w[n - 1] = (4u << 26) | vt << 21 | vb << 11 | (266 + 64 * rr(&r, 4));
		}
		snprintf(name, sizeof(name), "vec-random-%s-%u", argv[1], i);
		emit_case(&o, name, w, n, init);
	}
	for (unsigned i = 0; i < n_random; i++) {
		uint32_t w[12];
		unsigned n = 1 + rr(&r, 12);
		for (unsigned k = 0; k < n; k++)
			w[k] = rand_insn(&r);
		rand_init(&r, init);
		snprintf(name, sizeof(name), "random-%s-%u", argv[1], i);
		emit_case(&o, name, w, n, init);
	}
	/* Single-precision stores of values they are defined for (not below
	 * the single denormal range): stfs, stfsx, stxssp. */
	for (unsigned i = 0; i < 64; i++) {
		uint32_t w[8];
		rand_init(&r, init);
		mem_init(&r, init);
		for (unsigned k = 0; k < 8; k++) {
			uint64_t x;
			do
				x = fp_special(&r);
			while (!single_store_defined(x));
			init[S_FPR(1 + k)] = x;
			init[S_VSR + 2 * (40 + k)] = x;
		}
		for (unsigned k = 0; k < 8; k++) {
			unsigned off = (unsigned)(4 * (int)rr(&r, 32) - 64) & 0xffff;
			switch (rr(&r, 3)) {
			case 0: w[k] = dform(52, 1 + k, MEM_BASE_REG, off); break;
			case 1: w[k] = x10(1 + k, MEM_BASE_REG, MEM_INDEX_REG, 663, 0); break;
			default:
				w[k] = (61u << 26) | (8 + k) << 21 | MEM_BASE_REG << 16 |
				       (off & 0xfffcu) | 3;
				break;
			}
		}
		snprintf(name, sizeof(name), "mem-store-single-%u", i);
		emit_case(&o, name, w, 8, init);
	}
	/* Loads and stores: up to 8 (the update forms move r30 by at most 15
	 * each, so every access stays in the buffer). */
	for (unsigned i = 0; i < n_random; i++) {
		uint32_t w[8];
		unsigned n = 1 + rr(&r, 8);
		for (unsigned k = 0; k < n; k++)
			w[k] = rand_mem_insn(&r);
		rand_init(&r, init);
		mem_init(&r, init);
		snprintf(name, sizeof(name), "mem-random-%s-%u", argv[1], i);
		emit_case(&o, name, w, n, init);
	}
	fprintf(o.s, "\tli 0, 1\n\tli 3, 0\n\tsc\n");
	/* dump: write(1, outbuf, 8 * NSTATE) */
	fprintf(o.s,
		"dump:\n\tli 0, 4\n\tli 3, 1\n\tlis 4, outbuf@h\n\tori 4, 4, outbuf@l\n"
		"\tli 5, %u\n\tsc\n\tblr\n",
		8 * NSTATE);
	fprintf(o.s, "\t.bss\n\t.balign 8\noutbuf:\t.space %u\n", 8 * NSTATE);
	/* The data buffer, linked at S_MEM_ADDR (run.sh). */
	fprintf(o.s, "\t.section .svmem, \"aw\"\n\t.space %u\n", 8 * S_MEM_DWORDS);
	fclose(o.s);
	fclose(o.c);
	return 0;
}
