/*
 * Differential test of the integer extensions against the host CPU:
 * POPCNT LZCNT TZCNT, BMI1 (ANDN BEXTR BLSI BLSMSK BLSR), BMI2 (BZHI MULX
 * PDEP PEXT RORX SARX SHLX SHRX), ADX (ADCX ADOX), SHLD/SHRD (CL and imm8
 * counts), XADD, CMPXCHG and CRC32, at every operand size each has.
 *
 * Each form is assembled once into the test binary; the same bytes run
 * natively (RAX RBX RCX RDX and RFLAGS loaded, all four registers and RFLAGS
 * read back) and in the emulator (followed by pushfq; pop %rsi; vmcall).
 * RAX, RBX, RCX and RDX must match exactly (32-bit results zero-extend, the
 * untouched registers stay) and so must the flags the SDM defines for the
 * instruction ("Flags Affected"; undefined flags are masked out). Forms whose
 * CPUID feature the host lacks are skipped.
 *
 * x86-64 hosts only; the directed tests in test_x86_int.c run everywhere.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_x86.h"

#if defined(__x86_64__)
#include <cpuid.h>

#define ALL (X86_FLAG_CF | X86_FLAG_PF | X86_FLAG_AF | X86_FLAG_ZF | X86_FLAG_SF | X86_FLAG_OF)
#define CZ (X86_FLAG_CF | X86_FLAG_ZF)
#define BMI (X86_FLAG_CF | X86_FLAG_ZF | X86_FLAG_SF | X86_FLAG_OF)

enum dx_feat {
	F_NONE,
	F_POPCNT,
	F_LZCNT,
	F_BMI1,
	F_BMI2,
	F_ADX,
	F_SSE42
};

struct dx_op {
	const char *name;
	const uint8_t *code, *end;
	unsigned size;  /* log2 bytes */
	uint64_t flags; /* defined flags */
	int shd;        /* SHLD/SHRD: -1 count in CL, else the imm8; -2 not a double shift */
	enum dx_feat feat;
};

#define SNIP(name, insn)                                                                           \
	".globl " #name "\n.hidden " #name "\n" #name ":\n" insn "\n.globl " #name "_end\n"        \
	".hidden " #name "_end\n" #name "_end:\nret\n"

/* clang-format off */
asm(".pushsection .text.x86diffint,\"ax\"\n"
    SNIP(dx_popcnt16, "popcntw %bx,%ax") SNIP(dx_popcnt32, "popcntl %ebx,%eax")
    SNIP(dx_popcnt64, "popcntq %rbx,%rax")
    SNIP(dx_lzcnt16, "lzcntw %bx,%ax") SNIP(dx_lzcnt32, "lzcntl %ebx,%eax")
    SNIP(dx_lzcnt64, "lzcntq %rbx,%rax")
    SNIP(dx_tzcnt16, "tzcntw %bx,%ax") SNIP(dx_tzcnt32, "tzcntl %ebx,%eax")
    SNIP(dx_tzcnt64, "tzcntq %rbx,%rax")
    SNIP(dx_andn32, "andnl %ebx,%ecx,%eax") SNIP(dx_andn64, "andnq %rbx,%rcx,%rax")
    SNIP(dx_bextr32, "bextrl %ecx,%ebx,%eax") SNIP(dx_bextr64, "bextrq %rcx,%rbx,%rax")
    SNIP(dx_blsi32, "blsil %ebx,%eax") SNIP(dx_blsi64, "blsiq %rbx,%rax")
    SNIP(dx_blsmsk32, "blsmskl %ebx,%eax") SNIP(dx_blsmsk64, "blsmskq %rbx,%rax")
    SNIP(dx_blsr32, "blsrl %ebx,%eax") SNIP(dx_blsr64, "blsrq %rbx,%rax")
    SNIP(dx_bzhi32, "bzhil %ecx,%ebx,%eax") SNIP(dx_bzhi64, "bzhiq %rcx,%rbx,%rax")
    SNIP(dx_pdep32, "pdepl %ecx,%ebx,%eax") SNIP(dx_pdep64, "pdepq %rcx,%rbx,%rax")
    SNIP(dx_pext32, "pextl %ecx,%ebx,%eax") SNIP(dx_pext64, "pextq %rcx,%rbx,%rax")
    SNIP(dx_mulx32, "mulxl %ebx,%ecx,%eax") SNIP(dx_mulx64, "mulxq %rbx,%rcx,%rax")
    SNIP(dx_mulxsame64, "mulxq %rbx,%rax,%rax")
    SNIP(dx_rorx32, "rorxl $7,%ebx,%eax") SNIP(dx_rorx64, "rorxq $45,%rbx,%rax")
    SNIP(dx_rorx0, "rorxq $0,%rbx,%rax")
    SNIP(dx_sarx32, "sarxl %ecx,%ebx,%eax") SNIP(dx_sarx64, "sarxq %rcx,%rbx,%rax")
    SNIP(dx_shlx32, "shlxl %ecx,%ebx,%eax") SNIP(dx_shlx64, "shlxq %rcx,%rbx,%rax")
    SNIP(dx_shrx32, "shrxl %ecx,%ebx,%eax") SNIP(dx_shrx64, "shrxq %rcx,%rbx,%rax")
    SNIP(dx_adcx32, "adcxl %ebx,%eax") SNIP(dx_adcx64, "adcxq %rbx,%rax")
    SNIP(dx_adox32, "adoxl %ebx,%eax") SNIP(dx_adox64, "adoxq %rbx,%rax")
    SNIP(dx_shld16, "shldw %cl,%bx,%ax") SNIP(dx_shld32, "shldl %cl,%ebx,%eax")
    SNIP(dx_shld64, "shldq %cl,%rbx,%rax")
    SNIP(dx_shrd16, "shrdw %cl,%bx,%ax") SNIP(dx_shrd32, "shrdl %cl,%ebx,%eax")
    SNIP(dx_shrd64, "shrdq %cl,%rbx,%rax")
    SNIP(dx_shldi1, "shldl $1,%ebx,%eax") SNIP(dx_shrdi13, "shrdq $13,%rbx,%rax")
    SNIP(dx_shldi0, "shldq $0,%rbx,%rax") SNIP(dx_shrdi16, "shrdw $16,%bx,%ax")
    SNIP(dx_xadd8, "xaddb %bl,%al") SNIP(dx_xadd16, "xaddw %bx,%ax")
    SNIP(dx_xadd32, "xaddl %ebx,%eax") SNIP(dx_xadd64, "xaddq %rbx,%rax")
    SNIP(dx_cmpxchg8, "cmpxchgb %bl,%cl") SNIP(dx_cmpxchg16, "cmpxchgw %bx,%cx")
    SNIP(dx_cmpxchg32, "cmpxchgl %ebx,%ecx") SNIP(dx_cmpxchg64, "cmpxchgq %rbx,%rcx")
    SNIP(dx_crc32b, "crc32b %bl,%eax") SNIP(dx_crc32w, "crc32w %bx,%eax")
    SNIP(dx_crc32l, "crc32l %ebx,%eax") SNIP(dx_crc32q, "crc32q %rbx,%rax")
    SNIP(dx_crc32bq, "crc32b %bl,%rax")
    ".popsection\n");
/* clang-format on */

#define DX_DECL(n) extern const uint8_t dx_##n[], dx_##n##_end[]
DX_DECL(popcnt16);
DX_DECL(popcnt32);
DX_DECL(popcnt64);
DX_DECL(lzcnt16);
DX_DECL(lzcnt32);
DX_DECL(lzcnt64);
DX_DECL(tzcnt16);
DX_DECL(tzcnt32);
DX_DECL(tzcnt64);
DX_DECL(andn32);
DX_DECL(andn64);
DX_DECL(bextr32);
DX_DECL(bextr64);
DX_DECL(blsi32);
DX_DECL(blsi64);
DX_DECL(blsmsk32);
DX_DECL(blsmsk64);
DX_DECL(blsr32);
DX_DECL(blsr64);
DX_DECL(bzhi32);
DX_DECL(bzhi64);
DX_DECL(pdep32);
DX_DECL(pdep64);
DX_DECL(pext32);
DX_DECL(pext64);
DX_DECL(mulx32);
DX_DECL(mulx64);
DX_DECL(mulxsame64);
DX_DECL(rorx32);
DX_DECL(rorx64);
DX_DECL(rorx0);
DX_DECL(sarx32);
DX_DECL(sarx64);
DX_DECL(shlx32);
DX_DECL(shlx64);
DX_DECL(shrx32);
DX_DECL(shrx64);
DX_DECL(adcx32);
DX_DECL(adcx64);
DX_DECL(adox32);
DX_DECL(adox64);
DX_DECL(shld16);
DX_DECL(shld32);
DX_DECL(shld64);
DX_DECL(shrd16);
DX_DECL(shrd32);
DX_DECL(shrd64);
DX_DECL(shldi1);
DX_DECL(shrdi13);
DX_DECL(shldi0);
DX_DECL(shrdi16);
DX_DECL(xadd8);
DX_DECL(xadd16);
DX_DECL(xadd32);
DX_DECL(xadd64);
DX_DECL(cmpxchg8);
DX_DECL(cmpxchg16);
DX_DECL(cmpxchg32);
DX_DECL(cmpxchg64);

#define OP(n, sz, fl, feat)                                                                        \
	{                                                                                          \
#n, dx_##n, dx_##n##_end, sz, fl, -2, feat                                         \
	}
#define SHD(n, sz, cnt)                                                                            \
	{                                                                                          \
#n, dx_##n, dx_##n##_end, sz, 0, cnt, F_NONE                                       \
	}

static const struct dx_op dx_ops[] = {
	OP(popcnt16, 1, ALL, F_POPCNT),
	OP(popcnt32, 2, ALL, F_POPCNT),
	OP(popcnt64, 3, ALL, F_POPCNT),
	OP(lzcnt16, 1, CZ, F_LZCNT),
	OP(lzcnt32, 2, CZ, F_LZCNT),
	OP(lzcnt64, 3, CZ, F_LZCNT),
	OP(tzcnt16, 1, CZ, F_BMI1),
	OP(tzcnt32, 2, CZ, F_BMI1),
	OP(tzcnt64, 3, CZ, F_BMI1),
	OP(andn32, 2, BMI, F_BMI1),
	OP(andn64, 3, BMI, F_BMI1),
	OP(bextr32, 2, X86_FLAG_ZF | X86_FLAG_CF | X86_FLAG_OF, F_BMI1),
	OP(bextr64, 3, X86_FLAG_ZF | X86_FLAG_CF | X86_FLAG_OF, F_BMI1),
	OP(blsi32, 2, BMI, F_BMI1),
	OP(blsi64, 3, BMI, F_BMI1),
	OP(blsmsk32, 2, BMI, F_BMI1),
	OP(blsmsk64, 3, BMI, F_BMI1),
	OP(blsr32, 2, BMI, F_BMI1),
	OP(blsr64, 3, BMI, F_BMI1),
	OP(bzhi32, 2, BMI, F_BMI2),
	OP(bzhi64, 3, BMI, F_BMI2),
	OP(pdep32, 2, ALL, F_BMI2),
	OP(pdep64, 3, ALL, F_BMI2),
	OP(pext32, 2, ALL, F_BMI2),
	OP(pext64, 3, ALL, F_BMI2),
	OP(mulx32, 2, ALL, F_BMI2),
	OP(mulx64, 3, ALL, F_BMI2),
	OP(mulxsame64, 3, ALL, F_BMI2),
	OP(rorx32, 2, ALL, F_BMI2),
	OP(rorx64, 3, ALL, F_BMI2),
	OP(rorx0, 3, ALL, F_BMI2),
	OP(sarx32, 2, ALL, F_BMI2),
	OP(sarx64, 3, ALL, F_BMI2),
	OP(shlx32, 2, ALL, F_BMI2),
	OP(shlx64, 3, ALL, F_BMI2),
	OP(shrx32, 2, ALL, F_BMI2),
	OP(shrx64, 3, ALL, F_BMI2),
	OP(adcx32, 2, ALL, F_ADX),
	OP(adcx64, 3, ALL, F_ADX),
	OP(adox32, 2, ALL, F_ADX),
	OP(adox64, 3, ALL, F_ADX),
	SHD(shld16, 1, -1),
	SHD(shld32, 2, -1),
	SHD(shld64, 3, -1),
	SHD(shrd16, 1, -1),
	SHD(shrd32, 2, -1),
	SHD(shrd64, 3, -1),
	SHD(shldi1, 2, 1),
	SHD(shrdi13, 3, 13),
	SHD(shldi0, 3, 0),
	SHD(shrdi16, 1, 16),
	OP(xadd8, 0, ALL, F_NONE),
	OP(xadd16, 1, ALL, F_NONE),
	OP(xadd32, 2, ALL, F_NONE),
	OP(xadd64, 3, ALL, F_NONE),
	OP(cmpxchg8, 0, ALL, F_NONE),
	OP(cmpxchg16, 1, ALL, F_NONE),
	OP(cmpxchg32, 2, ALL, F_NONE),
	OP(cmpxchg64, 3, ALL, F_NONE),
};

static const uint64_t dx_vals[] = {
	0,
	1,
	2,
	0x0f,
	0x80,
	0xff,
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
	0x00ff00ff00f0f0f0ull,
};

/* RCX: shift counts, BEXTR controls (start 7:0, length 15:8), BZHI
 * indexes, PDEP/PEXT masks. */
static const uint64_t dx_ctl[] = {
	0,
	1,
	7,
	8,
	15,
	16,
	17,
	31,
	32,
	33,
	63,
	64,
	65,
	0x0408,
	0x2010,
	0x0840,
	0xff00,
	0x1f01,
	0x2020,
	0x3f3f,
	0x4000,
	0x00ff,
	0xf0f0,
	0x8001,
	0x0f0f0f0f0f0f0f0full,
	0xaaaaaaaa5555ffffull,
	0xffffffffffffff20ull,
};

static const uint64_t dx_fl[] = { 0, X86_FLAG_CF, X86_FLAG_OF, ALL };

struct dx_state {
	uint64_t rax, rbx, rcx, rdx, flags;
};

static void dx_host(const struct dx_op *op, struct dx_state *s)
{
	uint64_t a = s->rax, b = s->rbx, c = s->rcx, d = s->rdx, f = s->flags | 0x202;
	asm volatile("sub $128, %%rsp\n\t"
		     "push %[f]\n\t"
		     "popfq\n\t"
		     "call *%[fn]\n\t"
		     "pushfq\n\t"
		     "pop %[f]\n\t"
		     "add $128, %%rsp"
		     : "+a"(a), "+b"(b), "+c"(c), "+d"(d), [f] "+r"(f)
		     : [fn] "r"(op->code)
		     : "cc", "memory");
	*s = (struct dx_state){ a, b, c, d, f };
}

static bool dx_host_has(enum dx_feat f)
{
	unsigned a, b, c, d;
	switch (f) {
	case F_NONE: return true;
	case F_POPCNT: return __get_cpuid(1, &a, &b, &c, &d) && (c >> 23) & 1;
	case F_LZCNT: return __get_cpuid(0x80000001, &a, &b, &c, &d) && (c >> 5) & 1;
	case F_BMI1: return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 3) & 1;
	case F_BMI2: return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 8) & 1;
	case F_ADX: return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 19) & 1;
	case F_SSE42: return __get_cpuid(1, &a, &b, &c, &d) && (c >> 20) & 1;
	}
	return false;
}

/* The defined flags, and whether the result is defined (SDM SHLD/SHRD: a
 * count above the operand size leaves both undefined). */
static uint64_t dx_mask(const struct dx_op *op, const struct dx_state *in, bool *result_defined)
{
	*result_defined = true;
	if (op->shd == -2)
		return op->flags;
	unsigned bits = 8u << op->size;
	unsigned n =
		op->shd >= 0 ? (unsigned)op->shd : (unsigned)(in->rcx & (op->size == 3 ? 63 : 31));
	if (n == 0)
		return ALL;
	if (n > bits) {
		*result_defined = false;
		return 0;
	}
	return X86_FLAG_CF | X86_FLAG_PF | X86_FLAG_ZF | X86_FLAG_SF | (n == 1 ? X86_FLAG_OF : 0);
}

Test(x86_diff, integer_extensions_match_the_host_cpu)
{
	static const uint8_t tail[] = { 0x9c, 0x5e, 0x0f, 0x01,
					0xc1 }; /* pushfq; pop %rsi; vmcall */
	struct x86_vm vm;
	unsigned failures = 0, runs = 0, skipped = 0;
	size_t nv = SV_ARRAY_SIZE(dx_vals), nc = SV_ARRAY_SIZE(dx_ctl);

	x86_vm_init(&vm);
	x86_vm_long_mode(&vm);
	for (size_t k = 0; k < SV_ARRAY_SIZE(dx_ops); k++) {
		const struct dx_op *op = &dx_ops[k];
		if (!dx_host_has(op->feat)) {
			skipped++;
			continue;
		}
		uint64_t at = x86_vm_diff_put(&vm, k, 32, op->code, op->end, tail, sizeof(tail));
		for (size_t i = 0; i < nv; i++) {
			for (size_t j = 0; j < nv; j++) {
				for (size_t m = 0; m < nc; m += (op->shd == -1 ? 1 : 3)) {
					struct dx_state in = { dx_vals[i], dx_vals[j],
							       dx_ctl[(m + i) % nc],
							       dx_vals[(i * 7 + j + m) % nv],
							       dx_fl[(i + j + m) & 3] };
					if (op->name[0] ==
					    'c') /* CMPXCHG: RCX = RAX half the time */
						in.rcx = (m & 1) ? in.rax : dx_vals[(m + j) % nv];
					struct dx_state host = in;
					struct cpu_x86 *c = vm.c;
					dx_host(op, &host);
					c->regs[X86_RAX] = in.rax;
					c->regs[X86_RBX] = in.rbx;
					c->regs[X86_RCX] = in.rcx;
					c->regs[X86_RDX] = in.rdx;
					x86_vm_diff_run(&vm, at, in.flags, op->name);
					runs++;
					bool res_def;
					uint64_t mask = dx_mask(op, &in, &res_def);
					bool bad = ((c->regs[X86_RSI] ^ host.flags) & mask) != 0 ||
						   c->regs[X86_RBX] != host.rbx ||
						   c->regs[X86_RCX] != host.rcx ||
						   c->regs[X86_RDX] != host.rdx;
					if (res_def)
						bad |= c->regs[X86_RAX] != host.rax;
					if (bad && failures++ < 20)
						fprintf(stderr,
							"%s in rax=%#llx rbx=%#llx rcx=%#llx rdx=%#llx "
							"fl=%#llx: emu rax=%#llx rbx=%#llx rcx=%#llx "
							"rdx=%#llx fl=%#llx; host rax=%#llx rbx=%#llx "
							"rcx=%#llx rdx=%#llx fl=%#llx (mask %#llx)\n",
							op->name, (unsigned long long)in.rax,
							(unsigned long long)in.rbx,
							(unsigned long long)in.rcx,
							(unsigned long long)in.rdx,
							(unsigned long long)in.flags,
							(unsigned long long)c->regs[X86_RAX],
							(unsigned long long)c->regs[X86_RBX],
							(unsigned long long)c->regs[X86_RCX],
							(unsigned long long)c->regs[X86_RDX],
							(unsigned long long)(c->regs[X86_RSI] &
									     ALL),
							(unsigned long long)host.rax,
							(unsigned long long)host.rbx,
							(unsigned long long)host.rcx,
							(unsigned long long)host.rdx,
							(unsigned long long)(host.flags & ALL),
							(unsigned long long)mask);
				}
			}
		}
	}
	x86_vm_destroy(&vm);
	if (skipped)
		fprintf(stderr, "x86_diff: %u forms skipped (host lacks the feature)\n", skipped);
	cr_assert_eq(failures, 0, "%u of %u runs differ from the host", failures, runs);
}

#else

Test(x86_diff, integer_extensions_match_the_host_cpu)
{
	cr_skip_test("the differential test needs an x86-64 host");
}

#endif
