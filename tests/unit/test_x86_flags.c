/*
 * Differential test of the arithmetic instructions against the host CPU:
 * each instruction form below is assembled once into the test binary; the
 * same bytes run natively (through a trampoline that loads RAX RBX RCX RDX
 * and RFLAGS) and in the emulator (copied into guest memory, followed by
 * pushfq; pop %rcx; vmcall). Results and the architecturally defined
 * arithmetic flags must match for every operand pair of an edge-case table,
 * both values of the carry flag, and every operand size.
 *
 * This is the seed of tests/diff: x86-64 hosts only.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_x86.h"

#define ALL_FLAGS                                                                                  \
	(X86_FLAG_CF | X86_FLAG_PF | X86_FLAG_AF | X86_FLAG_ZF | X86_FLAG_SF | X86_FLAG_OF)
#define NO_AF (ALL_FLAGS & ~X86_FLAG_AF)
#define CF_OF (X86_FLAG_CF | X86_FLAG_OF)

enum diff_kind {
	DIFF_BIN,   /* op %rbx, %rax: all listed flags */
	DIFF_SHIFT, /* op %cl, %rax: flags depend on the count */
	DIFF_ROT,
	DIFF_UN,  /* op %rax */
	DIFF_MUL, /* rdx:rax results, CF/OF */
};

struct diff_op {
	const char *name;
	const uint8_t *code, *end;
	unsigned size; /* log2 bytes */
	enum diff_kind kind;
	uint64_t flags; /* defined flags to compare */
};

#if defined(__x86_64__)

/* One snippet: NAME: insn ; NAME_end: ret */
#define SNIP(name, insn)                                                                           \
	".globl " #name "\n.hidden " #name "\n" #name ":\n" insn "\n.globl " #name "_end\n"        \
	".hidden " #name "_end\n" #name "_end:\nret\n"

#define SNIP4(op, b, w, l, q)                                                                      \
	SNIP(d_##op##8, b) SNIP(d_##op##16, w) SNIP(d_##op##32, l) SNIP(d_##op##64, q)

#define BINS(op) SNIP4(op, #op "b %bl,%al", #op "w %bx,%ax", #op "l %ebx,%eax", #op "q %rbx,%rax")
#define SHIFTS(op) SNIP4(op, #op "b %cl,%al", #op "w %cl,%ax", #op "l %cl,%eax", #op "q %cl,%rax")
#define UNS(op) SNIP4(op, #op "b %al", #op "w %ax", #op "l %eax", #op "q %rax")
#define MULS(op) SNIP4(op, #op "b %bl", #op "w %bx", #op "l %ebx", #op "q %rbx")

asm(".pushsection .text.x86diff,\"ax\"\n" BINS(add) BINS(adc) BINS(sub) BINS(sbb) BINS(and) BINS(
	or) BINS(xor) BINS(cmp) BINS(test) SHIFTS(shl) SHIFTS(shr) SHIFTS(sar) SHIFTS(rol)
	    SHIFTS(ror) SHIFTS(rcl) SHIFTS(rcr) UNS(inc) UNS(dec) UNS(neg) UNS(not ) MULS(mul) MULS(
		    imul) SNIP(d_imul2_16, "imulw %bx,%ax") SNIP(d_imul2_32, "imull %ebx,%eax")
		    SNIP(d_imul2_64, "imulq %rbx,%rax") SNIP(d_bsf16, "bsfw %bx,%ax") SNIP(
			    d_bsf32, "bsfl %ebx,%eax") SNIP(d_bsf64, "bsfq %rbx,%rax")
			    SNIP(d_bsr16, "bsrw %bx,%ax") SNIP(d_bsr32, "bsrl %ebx,%eax") SNIP(
				    d_bsr64, "bsrq %rbx,%rax") SNIP(d_bt16, "btw %bx,%ax")
				    SNIP(d_bt32, "btl %ebx,%eax") SNIP(d_bt64, "btq %rbx,%rax")
					    SNIP(d_btc32, "btcl %ebx,%eax") SNIP(d_bts64,
										 "btsq %rbx,%rax")
						    SNIP(d_btr16, "btrw %bx,%ax") ".popsection\n");

#define DECL4(op)                                                                                  \
	extern const uint8_t d_##op##8 [], d_##op##8_end [], d_##op##16 [], d_##op##16_end [],     \
		d_##op##32 [], d_##op##32_end [], d_##op##64 [], d_##op##64_end []
DECL4(add);
DECL4(adc);
DECL4(sub);
DECL4(sbb);
DECL4(and);
DECL4(or);
DECL4(xor);
DECL4(cmp);
DECL4(test);
DECL4(shl);
DECL4(shr);
DECL4(sar);
DECL4(rol);
DECL4(ror);
DECL4(rcl);
DECL4(rcr);
DECL4(inc);
DECL4(dec);
DECL4(neg);
DECL4(not );
DECL4(mul);
DECL4(imul);
extern const uint8_t d_imul2_16[], d_imul2_16_end[], d_imul2_32[], d_imul2_32_end[], d_imul2_64[],
	d_imul2_64_end[];
extern const uint8_t d_bsf16[], d_bsf16_end[], d_bsf32[], d_bsf32_end[], d_bsf64[], d_bsf64_end[];
extern const uint8_t d_bsr16[], d_bsr16_end[], d_bsr32[], d_bsr32_end[], d_bsr64[], d_bsr64_end[];
extern const uint8_t d_bt16[], d_bt16_end[], d_bt32[], d_bt32_end[], d_bt64[], d_bt64_end[];
extern const uint8_t d_btc32[], d_btc32_end[], d_bts64[], d_bts64_end[], d_btr16[], d_btr16_end[];

#define OP4(op, kind, fl)                                                                          \
	{ #op "8", d_##op##8, d_##op##8_end, 0, kind, fl },                                        \
		{ #op "16", d_##op##16, d_##op##16_end, 1, kind, fl },                             \
		{ #op "32", d_##op##32, d_##op##32_end, 2, kind, fl },                             \
	{                                                                                          \
#op "64", d_##op##64, d_##op##64_end, 3, kind, fl                                  \
	}

static const struct diff_op diff_ops[] = {
	OP4(add, DIFF_BIN, ALL_FLAGS),
	OP4(adc, DIFF_BIN, ALL_FLAGS),
	OP4(sub, DIFF_BIN, ALL_FLAGS),
	OP4(sbb, DIFF_BIN, ALL_FLAGS),
	OP4(and, DIFF_BIN, NO_AF),
	OP4(or, DIFF_BIN, NO_AF),
	OP4(xor, DIFF_BIN, NO_AF),
	OP4(cmp, DIFF_BIN, ALL_FLAGS),
	OP4(test, DIFF_BIN, NO_AF),
	OP4(shl, DIFF_SHIFT, 0),
	OP4(shr, DIFF_SHIFT, 0),
	OP4(sar, DIFF_SHIFT, 0),
	OP4(rol, DIFF_ROT, 0),
	OP4(ror, DIFF_ROT, 0),
	OP4(rcl, DIFF_ROT, 0),
	OP4(rcr, DIFF_ROT, 0),
	OP4(inc, DIFF_UN, ALL_FLAGS),
	OP4(dec, DIFF_UN, ALL_FLAGS),
	OP4(neg, DIFF_UN, ALL_FLAGS),
	OP4(not, DIFF_UN, ALL_FLAGS),
	OP4(mul, DIFF_MUL, CF_OF),
	OP4(imul, DIFF_MUL, CF_OF),
	{ "imul2_16", d_imul2_16, d_imul2_16_end, 1, DIFF_BIN, CF_OF },
	{ "imul2_32", d_imul2_32, d_imul2_32_end, 2, DIFF_BIN, CF_OF },
	{ "imul2_64", d_imul2_64, d_imul2_64_end, 3, DIFF_BIN, CF_OF },
	{ "bsf16", d_bsf16, d_bsf16_end, 1, DIFF_BIN, X86_FLAG_ZF },
	{ "bsf32", d_bsf32, d_bsf32_end, 2, DIFF_BIN, X86_FLAG_ZF },
	{ "bsf64", d_bsf64, d_bsf64_end, 3, DIFF_BIN, X86_FLAG_ZF },
	{ "bsr16", d_bsr16, d_bsr16_end, 1, DIFF_BIN, X86_FLAG_ZF },
	{ "bsr32", d_bsr32, d_bsr32_end, 2, DIFF_BIN, X86_FLAG_ZF },
	{ "bsr64", d_bsr64, d_bsr64_end, 3, DIFF_BIN, X86_FLAG_ZF },
	{ "bt16", d_bt16, d_bt16_end, 1, DIFF_BIN, X86_FLAG_CF },
	{ "bt32", d_bt32, d_bt32_end, 2, DIFF_BIN, X86_FLAG_CF },
	{ "bt64", d_bt64, d_bt64_end, 3, DIFF_BIN, X86_FLAG_CF },
	{ "btc32", d_btc32, d_btc32_end, 2, DIFF_BIN, X86_FLAG_CF },
	{ "bts64", d_bts64, d_bts64_end, 3, DIFF_BIN, X86_FLAG_CF },
	{ "btr16", d_btr16, d_btr16_end, 1, DIFF_BIN, X86_FLAG_CF },
};

static const uint64_t diff_vals[] = {
	0,
	1,
	2,
	0x0f,
	0x10,
	0x7f,
	0x80,
	0x81,
	0xff,
	0x100,
	0x7fff,
	0x8000,
	0xffff,
	0x10000,
	0x7fffffff,
	0x80000000,
	0xffffffff,
	0x100000000ull,
	0x7fffffffffffffffull,
	0x8000000000000000ull,
	0xffffffffffffffffull,
	0x123456789abcdef0ull,
	0xfedcba9876543210ull,
};

static const uint64_t diff_counts[] = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65 };

struct diff_state {
	uint64_t rax, rbx, rcx, rdx, flags;
};

/* Run a snippet natively. */
static void diff_host(const struct diff_op *op, struct diff_state *s)
{
	uint64_t a = s->rax, d = s->rdx, f = s->flags | 0x202;
	asm volatile("sub $128, %%rsp\n\t"
		     "push %[f]\n\t"
		     "popfq\n\t"
		     "call *%[fn]\n\t"
		     "pushfq\n\t"
		     "pop %[f]\n\t"
		     "add $128, %%rsp"
		     : "+a"(a), "+d"(d), [f] "+r"(f)
		     : "b"(s->rbx), "c"(s->rcx), [fn] "r"(op->code)
		     : "cc", "memory");
	s->rax = a;
	s->rdx = d;
	s->flags = f;
}

/* The flags to compare for this op and inputs (SDM "Flags Affected"). */
static uint64_t diff_mask(const struct diff_op *op, const struct diff_state *in)
{
	unsigned bits = 8u << op->size;
	unsigned n = (unsigned)(in->rcx & (op->size == 3 ? 63 : 31));
	switch (op->kind) {
	case DIFF_SHIFT:
		if (n == 0)
			return ALL_FLAGS; /* unchanged */
		if (n >= bits)
			return X86_FLAG_PF | X86_FLAG_ZF | X86_FLAG_SF |
			       (n == bits ? X86_FLAG_CF : 0);
		return X86_FLAG_CF | X86_FLAG_PF | X86_FLAG_ZF | X86_FLAG_SF |
		       (n == 1 ? X86_FLAG_OF : 0);
	case DIFF_ROT: {
		bool rc = op->name[1] == 'c';
		unsigned eff = rc ? n % (bits + 1) : n;
		if (n == 0)
			return ALL_FLAGS;
		/* Other flags unchanged; CF always, OF for a count of 1. */
		return (ALL_FLAGS & ~CF_OF) | (eff || !rc ? X86_FLAG_CF : 0) |
		       (n == 1 ? X86_FLAG_OF : 0);
	}
	default: return op->flags;
	}
}

static struct diff_state *diff_cases(const struct diff_op *op, size_t *n_out)
{
	size_t nv = SV_ARRAY_SIZE(diff_vals), nc = SV_ARRAY_SIZE(diff_counts);
	size_t n = 0, cap = nv * nv * 2 + nv * nc * 2;
	struct diff_state *v = calloc(cap, sizeof(*v));
	for (unsigned cf = 0; cf < 2; cf++) {
		for (size_t i = 0; i < nv; i++) {
			if (op->kind == DIFF_SHIFT || op->kind == DIFF_ROT) {
				for (size_t j = 0; j < nc; j++)
					v[n++] = (struct diff_state){ diff_vals[i], 0x5a5a,
								      diff_counts[j], 0x1111,
								      cf | (j & 1 ? 0x8d4 : 0) };
			} else {
				for (size_t j = 0; j < nv; j++)
					v[n++] = (struct diff_state){ diff_vals[i], diff_vals[j],
								      0x77, diff_vals[(i + j) % nv],
								      cf | (j & 1 ? 0x8d4 : 0) };
			}
		}
	}
	*n_out = n;
	return v;
}

Test(x86_diff, arithmetic_matches_the_host_cpu)
{
	struct x86_vm vm;
	unsigned failures = 0, runs = 0;
	static const uint8_t tail[] = { 0x9c, 0x59, 0x0f, 0x01,
					0xc1 }; /* pushfq; pop %rcx; vmcall */

	x86_vm_init(&vm);
	x86_vm_long_mode(&vm);
	for (size_t k = 0; k < SV_ARRAY_SIZE(diff_ops); k++) {
		const struct diff_op *op = &diff_ops[k];
		size_t len = (size_t)(op->end - op->code), n;
		uint64_t at = X86T_CODE + 32 * k;
		cr_assert_lt(len + sizeof(tail), 32);
		x86_vm_put(&vm, at, op->code, len);
		x86_vm_put(&vm, at + len, tail, sizeof(tail));
		struct diff_state *cases = diff_cases(op, &n);
		for (size_t i = 0; i < n; i++) {
			struct diff_state host = cases[i], in = cases[i];
			struct cpu_x86 *c = vm.c;
			diff_host(op, &host);
			c->regs[X86_RAX] = in.rax;
			c->regs[X86_RBX] = in.rbx;
			c->regs[X86_RCX] = in.rcx;
			c->regs[X86_RDX] = in.rdx;
			c->regs[X86_RSP] = X86T_STACK;
			cpu_x86_set_rflags(c, in.flags | 0x2);
			c->rip = at;
			enum cpu_stop st = cpu_exec(&c->cpu, 100);
			runs++;
			cr_assert_eq(st, CPU_STOP_EXIT, "%s did not reach its vmcall", op->name);
			cr_assert_eq(c->cpu.exit.reason, VMX_EXIT_VMCALL, "%s: exit %u", op->name,
				     c->cpu.exit.reason);
			uint64_t mask = diff_mask(op, &in);
			bool bad = c->regs[X86_RAX] != host.rax ||
				   ((c->regs[X86_RCX] ^ host.flags) & mask) != 0 ||
				   (op->kind == DIFF_MUL && c->regs[X86_RDX] != host.rdx);
			if (bad && failures++ < 20)
				fprintf(stderr,
					"%s rax=%#llx rbx=%#llx rcx=%#llx cf=%llu: emu rax=%#llx "
					"rdx=%#llx fl=%#llx, host rax=%#llx rdx=%#llx fl=%#llx "
					"(mask %#llx)\n",
					op->name, (unsigned long long)in.rax,
					(unsigned long long)in.rbx, (unsigned long long)in.rcx,
					(unsigned long long)(in.flags & 1),
					(unsigned long long)c->regs[X86_RAX],
					(unsigned long long)c->regs[X86_RDX],
					(unsigned long long)(c->regs[X86_RCX] & ALL_FLAGS),
					(unsigned long long)host.rax, (unsigned long long)host.rdx,
					(unsigned long long)(host.flags & ALL_FLAGS),
					(unsigned long long)mask);
		}
		free(cases);
	}
	x86_vm_destroy(&vm);
	cr_assert_eq(failures, 0, "%u of %u runs differ from the host", failures, runs);
}

#else

Test(x86_diff, arithmetic_matches_the_host_cpu)
{
	cr_skip_test("the differential test needs an x86-64 host");
}

#endif
