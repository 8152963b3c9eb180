/*
 * Differential test generator for the POWER fixed-point instructions.
 *
 *     gen SEED N_RANDOM OUT.S OUT.cases
 *
 * Emits directed cases and N_RANDOM seeded-random ones. A case is a short
 * sequence of user-level fixed-point instruction words with random initial
 * GPRs, CR and XER. OUT.S is a static Linux user program (ppc64le) that runs
 * every case and writes its final state -- r0..r31, CR, XER as 34 little-endian
 * doublewords -- to stdout, for qemu-ppc64le; OUT.cases holds the same cases
 * for softvisor's runner (svrun.c): per case u32 name length, name, u32 n,
 * n instruction words, 32 + 2 initial doublewords, all little-endian.
 *
 * Instructions with architecturally undefined results (divide by zero or
 * overflow, the high word of mulhw) are only generated in directed cases with
 * defined operands.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		      const uint64_t *init /* 34 */)
{
	unsigned k = o->n++;

	put32(o->c, (uint32_t)strlen(name));
	fwrite(name, 1, strlen(name), o->c);
	put32(o->c, n);
	for (unsigned i = 0; i < n; i++)
		put32(o->c, w[i]);
	for (unsigned i = 0; i < 34; i++)
		put64(o->c, init[i]);

	fprintf(o->s, "\t# case %u: %s\n", k, name);
	fprintf(o->s, "\tlis 1, init%u@h\n\tori 1, 1, init%u@l\n", k, k);
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
	fprintf(o->s, "\tmfxer 0\n\tstd 0, 264(31)\n\tbl dump\n");
	fprintf(o->s, "\t.pushsection .data\n\t.balign 8\ninit%u:\n", k);
	for (unsigned i = 0; i < 34; i++)
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
	uint64_t init[34];
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
	for (unsigned i = 0; i < n_random; i++) {
		uint32_t w[12];
		unsigned n = 1 + rr(&r, 12);
		for (unsigned k = 0; k < n; k++)
			w[k] = rand_insn(&r);
		rand_init(&r, init);
		snprintf(name, sizeof(name), "random-%s-%u", argv[1], i);
		emit_case(&o, name, w, n, init);
	}
	fprintf(o.s, "\tli 0, 1\n\tli 3, 0\n\tsc\n");
	/* dump: write(1, outbuf, 272) */
	fprintf(o.s, "dump:\n\tli 0, 4\n\tli 3, 1\n\tlis 4, outbuf@h\n\tori 4, 4, outbuf@l\n"
		     "\tli 5, 272\n\tsc\n\tblr\n");
	fprintf(o.s, "\t.bss\n\t.balign 8\noutbuf:\t.space 272\n");
	fclose(o.s);
	fclose(o.c);
	return 0;
}
