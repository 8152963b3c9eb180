/*
 * Differential test of the MMX instructions (and the SSE/SSE2/SSSE3 forms
 * on MMX registers, the MMX/XMM conversions) against the host CPU. Each
 * form runs in one frame, natively and in the emulator:
 *     movq 0(%rdi), %mm0; movq 8(%rdi), %mm1; movdqu 16/32(%rdi) -> xmm0/1;
 *     ldmxcsr 48(%rdi); <the instruction>; store mm0 mm1 xmm0 xmm1 MXCSR;
 *     pushfq; pop %rsi; emms
 * over integer bit patterns (and float/int patterns for the conversions),
 * with RAX as a general-register operand and 56(%rdi) as a memory operand.
 *
 * To add a form: a SNIP line, an MX declaration and a table row. x86-64
 * hosts only (test_x86_sse.c has directed MMX tests for every host).
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_x86.h"

#if defined(__x86_64__)

#define SNIP(name, insn)                                                                           \
	".globl " #name "\n.hidden " #name "\n" #name ":\n"                                        \
	"movq 0(%rdi), %mm0\n movq 8(%rdi), %mm1\n movdqu 16(%rdi), %xmm0\n"                       \
	"movdqu 32(%rdi), %xmm1\n ldmxcsr 48(%rdi)\n" insn "\n"                                    \
	"movq %mm0, 64(%rdi)\n movq %mm1, 72(%rdi)\n movdqu %xmm0, 80(%rdi)\n"                     \
	"movdqu %xmm1, 96(%rdi)\n stmxcsr 112(%rdi)\n pushfq\n pop %rsi\n emms\n"                  \
	".globl " #name "_end\n.hidden " #name "_end\n" #name "_end:\nret\n"

/* clang-format off */
asm(".pushsection .text.x86diffmmx,\"ax\"\n"
    SNIP(mx_punpcklbw, "punpcklbw %mm1,%mm0")
    SNIP(mx_punpcklwd, "punpcklwd %mm1,%mm0")
    SNIP(mx_punpckldq, "punpckldq %mm1,%mm0")
    SNIP(mx_packsswb, "packsswb %mm1,%mm0")
    SNIP(mx_pcmpgtb, "pcmpgtb %mm1,%mm0")
    SNIP(mx_pcmpgtw, "pcmpgtw %mm1,%mm0")
    SNIP(mx_pcmpgtd, "pcmpgtd %mm1,%mm0")
    SNIP(mx_packuswb, "packuswb %mm1,%mm0")
    SNIP(mx_punpckhbw, "punpckhbw %mm1,%mm0")
    SNIP(mx_punpckhwd, "punpckhwd %mm1,%mm0")
    SNIP(mx_punpckhdq, "punpckhdq %mm1,%mm0")
    SNIP(mx_packssdw, "packssdw %mm1,%mm0")
    SNIP(mx_pcmpeqb, "pcmpeqb %mm1,%mm0")
    SNIP(mx_pcmpeqw, "pcmpeqw %mm1,%mm0")
    SNIP(mx_pcmpeqd, "pcmpeqd %mm1,%mm0")
    SNIP(mx_psrlw, "psrlw %mm1,%mm0")
    SNIP(mx_psrld, "psrld %mm1,%mm0")
    SNIP(mx_psrlq, "psrlq %mm1,%mm0")
    SNIP(mx_paddq, "paddq %mm1,%mm0")
    SNIP(mx_pmullw, "pmullw %mm1,%mm0")
    SNIP(mx_psubusb, "psubusb %mm1,%mm0")
    SNIP(mx_psubusw, "psubusw %mm1,%mm0")
    SNIP(mx_pminub, "pminub %mm1,%mm0")
    SNIP(mx_pand, "pand %mm1,%mm0")
    SNIP(mx_paddusb, "paddusb %mm1,%mm0")
    SNIP(mx_paddusw, "paddusw %mm1,%mm0")
    SNIP(mx_pmaxub, "pmaxub %mm1,%mm0")
    SNIP(mx_pandn, "pandn %mm1,%mm0")
    SNIP(mx_pavgb, "pavgb %mm1,%mm0")
    SNIP(mx_psraw, "psraw %mm1,%mm0")
    SNIP(mx_psrad, "psrad %mm1,%mm0")
    SNIP(mx_pavgw, "pavgw %mm1,%mm0")
    SNIP(mx_pmulhuw, "pmulhuw %mm1,%mm0")
    SNIP(mx_pmulhw, "pmulhw %mm1,%mm0")
    SNIP(mx_psubsb, "psubsb %mm1,%mm0")
    SNIP(mx_psubsw, "psubsw %mm1,%mm0")
    SNIP(mx_pminsw, "pminsw %mm1,%mm0")
    SNIP(mx_por, "por %mm1,%mm0")
    SNIP(mx_paddsb, "paddsb %mm1,%mm0")
    SNIP(mx_paddsw, "paddsw %mm1,%mm0")
    SNIP(mx_pmaxsw, "pmaxsw %mm1,%mm0")
    SNIP(mx_pxor, "pxor %mm1,%mm0")
    SNIP(mx_psllw, "psllw %mm1,%mm0")
    SNIP(mx_pslld, "pslld %mm1,%mm0")
    SNIP(mx_psllq, "psllq %mm1,%mm0")
    SNIP(mx_pmuludq, "pmuludq %mm1,%mm0")
    SNIP(mx_pmaddwd, "pmaddwd %mm1,%mm0")
    SNIP(mx_psadbw, "psadbw %mm1,%mm0")
    SNIP(mx_psubb, "psubb %mm1,%mm0")
    SNIP(mx_psubw, "psubw %mm1,%mm0")
    SNIP(mx_psubd, "psubd %mm1,%mm0")
    SNIP(mx_psubq, "psubq %mm1,%mm0")
    SNIP(mx_paddb, "paddb %mm1,%mm0")
    SNIP(mx_paddw, "paddw %mm1,%mm0")
    SNIP(mx_paddd, "paddd %mm1,%mm0")
    SNIP(mx_pshufb, "pshufb %mm1,%mm0")
    SNIP(mx_phaddw, "phaddw %mm1,%mm0")
    SNIP(mx_phaddd, "phaddd %mm1,%mm0")
    SNIP(mx_phaddsw, "phaddsw %mm1,%mm0")
    SNIP(mx_pmaddubsw, "pmaddubsw %mm1,%mm0")
    SNIP(mx_phsubw, "phsubw %mm1,%mm0")
    SNIP(mx_phsubd, "phsubd %mm1,%mm0")
    SNIP(mx_phsubsw, "phsubsw %mm1,%mm0")
    SNIP(mx_psignb, "psignb %mm1,%mm0")
    SNIP(mx_psignw, "psignw %mm1,%mm0")
    SNIP(mx_psignd, "psignd %mm1,%mm0")
    SNIP(mx_pmulhrsw, "pmulhrsw %mm1,%mm0")
    SNIP(mx_pabsb, "pabsb %mm1,%mm0")
    SNIP(mx_pabsw, "pabsw %mm1,%mm0")
    SNIP(mx_pabsd, "pabsd %mm1,%mm0")
    SNIP(mx_movq_mm, "movq %mm1,%mm0")
    SNIP(mx_movq_mm_st, ".byte 0x0f,0x7f,0xc8")
    SNIP(mx_psrlw_i3, "psrlw $3,%mm0")
    SNIP(mx_psrlw_i17, "psrlw $17,%mm0")
    SNIP(mx_psraw_i15, "psraw $15,%mm0")
    SNIP(mx_psraw_i20, "psraw $20,%mm0")
    SNIP(mx_psllw_i9, "psllw $9,%mm0")
    SNIP(mx_psrld_i31, "psrld $31,%mm0")
    SNIP(mx_psrad_i7, "psrad $7,%mm0")
    SNIP(mx_pslld_i32, "pslld $32,%mm0")
    SNIP(mx_psrlq_i63, "psrlq $63,%mm0")
    SNIP(mx_psllq_i1, "psllq $1,%mm0")
    SNIP(mx_psllq_i64, "psllq $64,%mm0")
    SNIP(mx_pshufw1b, "pshufw $27,%mm1,%mm0")
    SNIP(mx_pshufw93, "pshufw $147,%mm1,%mm0")
    SNIP(mx_pshufwe4, "pshufw $228,%mm1,%mm0")
    SNIP(mx_palignr0, "palignr $0,%mm1,%mm0")
    SNIP(mx_palignr3, "palignr $3,%mm1,%mm0")
    SNIP(mx_palignr8, "palignr $8,%mm1,%mm0")
    SNIP(mx_palignr9, "palignr $9,%mm1,%mm0")
    SNIP(mx_palignr15, "palignr $15,%mm1,%mm0")
    SNIP(mx_palignr16, "palignr $16,%mm1,%mm0")
    SNIP(mx_pinsrw, "pinsrw $2,%eax,%mm0")
    SNIP(mx_pextrw, "pextrw $3,%mm1,%eax")
    SNIP(mx_pmovmskb, "pmovmskb %mm1,%eax")
    SNIP(mx_movd_to, "movd %eax,%mm0")
    SNIP(mx_movq_to, "movq %rax,%mm0")
    SNIP(mx_movd_from, "movd %mm1,%eax")
    SNIP(mx_movq_from, "movq %mm1,%rax")
    SNIP(mx_movq2dq, "movq2dq %mm1,%xmm0")
    SNIP(mx_movdq2q, "movdq2q %xmm1,%mm0")
    SNIP(mx_cvtpi2ps, "cvtpi2ps %mm1,%xmm0")
    SNIP(mx_cvtpi2pd, "cvtpi2pd %mm1,%xmm0")
    SNIP(mx_cvtps2pi, "cvtps2pi %xmm1,%mm0")
    SNIP(mx_cvttps2pi, "cvttps2pi %xmm1,%mm0")
    SNIP(mx_cvtpd2pi, "cvtpd2pi %xmm1,%mm0")
    SNIP(mx_cvttpd2pi, "cvttpd2pi %xmm1,%mm0")
    SNIP(mx_paddb_m, "paddb 56(%rdi),%mm0")
    SNIP(mx_movq_m, "movq 56(%rdi),%mm0")
    SNIP(mx_cvtpi2ps_m, "cvtpi2ps 56(%rdi),%xmm0")
    ".popsection\n");
/* clang-format on */

#define MX(n) extern const uint8_t mx_##n[], mx_##n##_end[]
MX(punpcklbw);
MX(punpcklwd);
MX(punpckldq);
MX(packsswb);
MX(pcmpgtb);
MX(pcmpgtw);
MX(pcmpgtd);
MX(packuswb);
MX(punpckhbw);
MX(punpckhwd);
MX(punpckhdq);
MX(packssdw);
MX(pcmpeqb);
MX(pcmpeqw);
MX(pcmpeqd);
MX(psrlw);
MX(psrld);
MX(psrlq);
MX(paddq);
MX(pmullw);
MX(psubusb);
MX(psubusw);
MX(pminub);
MX(pand);
MX(paddusb);
MX(paddusw);
MX(pmaxub);
MX(pandn);
MX(pavgb);
MX(psraw);
MX(psrad);
MX(pavgw);
MX(pmulhuw);
MX(pmulhw);
MX(psubsb);
MX(psubsw);
MX(pminsw);
MX(por);
MX(paddsb);
MX(paddsw);
MX(pmaxsw);
MX(pxor);
MX(psllw);
MX(pslld);
MX(psllq);
MX(pmuludq);
MX(pmaddwd);
MX(psadbw);
MX(psubb);
MX(psubw);
MX(psubd);
MX(psubq);
MX(paddb);
MX(paddw);
MX(paddd);
MX(pshufb);
MX(phaddw);
MX(phaddd);
MX(phaddsw);
MX(pmaddubsw);
MX(phsubw);
MX(phsubd);
MX(phsubsw);
MX(psignb);
MX(psignw);
MX(psignd);
MX(pmulhrsw);
MX(pabsb);
MX(pabsw);
MX(pabsd);
MX(movq_mm);
MX(movq_mm_st);
MX(psrlw_i3);
MX(psrlw_i17);
MX(psraw_i15);
MX(psraw_i20);
MX(psllw_i9);
MX(psrld_i31);
MX(psrad_i7);
MX(pslld_i32);
MX(psrlq_i63);
MX(psllq_i1);
MX(psllq_i64);
MX(pshufw1b);
MX(pshufw93);
MX(pshufwe4);
MX(palignr0);
MX(palignr3);
MX(palignr8);
MX(palignr9);
MX(palignr15);
MX(palignr16);
MX(pinsrw);
MX(pextrw);
MX(pmovmskb);
MX(movd_to);
MX(movq_to);
MX(movd_from);
MX(movq_from);
MX(movq2dq);
MX(movdq2q);
MX(cvtpi2ps);
MX(cvtpi2pd);
MX(cvtps2pi);
MX(cvttps2pi);
MX(cvtpd2pi);
MX(cvttpd2pi);
MX(paddb_m);
MX(movq_m);
MX(cvtpi2ps_m);

struct mx_op {
	const char *name;
	const uint8_t *code, *end;
};

static const struct mx_op mx_ops[] = {
	{ "punpcklbw", mx_punpcklbw, mx_punpcklbw_end },
	{ "punpcklwd", mx_punpcklwd, mx_punpcklwd_end },
	{ "punpckldq", mx_punpckldq, mx_punpckldq_end },
	{ "packsswb", mx_packsswb, mx_packsswb_end },
	{ "pcmpgtb", mx_pcmpgtb, mx_pcmpgtb_end },
	{ "pcmpgtw", mx_pcmpgtw, mx_pcmpgtw_end },
	{ "pcmpgtd", mx_pcmpgtd, mx_pcmpgtd_end },
	{ "packuswb", mx_packuswb, mx_packuswb_end },
	{ "punpckhbw", mx_punpckhbw, mx_punpckhbw_end },
	{ "punpckhwd", mx_punpckhwd, mx_punpckhwd_end },
	{ "punpckhdq", mx_punpckhdq, mx_punpckhdq_end },
	{ "packssdw", mx_packssdw, mx_packssdw_end },
	{ "pcmpeqb", mx_pcmpeqb, mx_pcmpeqb_end },
	{ "pcmpeqw", mx_pcmpeqw, mx_pcmpeqw_end },
	{ "pcmpeqd", mx_pcmpeqd, mx_pcmpeqd_end },
	{ "psrlw", mx_psrlw, mx_psrlw_end },
	{ "psrld", mx_psrld, mx_psrld_end },
	{ "psrlq", mx_psrlq, mx_psrlq_end },
	{ "paddq", mx_paddq, mx_paddq_end },
	{ "pmullw", mx_pmullw, mx_pmullw_end },
	{ "psubusb", mx_psubusb, mx_psubusb_end },
	{ "psubusw", mx_psubusw, mx_psubusw_end },
	{ "pminub", mx_pminub, mx_pminub_end },
	{ "pand", mx_pand, mx_pand_end },
	{ "paddusb", mx_paddusb, mx_paddusb_end },
	{ "paddusw", mx_paddusw, mx_paddusw_end },
	{ "pmaxub", mx_pmaxub, mx_pmaxub_end },
	{ "pandn", mx_pandn, mx_pandn_end },
	{ "pavgb", mx_pavgb, mx_pavgb_end },
	{ "psraw", mx_psraw, mx_psraw_end },
	{ "psrad", mx_psrad, mx_psrad_end },
	{ "pavgw", mx_pavgw, mx_pavgw_end },
	{ "pmulhuw", mx_pmulhuw, mx_pmulhuw_end },
	{ "pmulhw", mx_pmulhw, mx_pmulhw_end },
	{ "psubsb", mx_psubsb, mx_psubsb_end },
	{ "psubsw", mx_psubsw, mx_psubsw_end },
	{ "pminsw", mx_pminsw, mx_pminsw_end },
	{ "por", mx_por, mx_por_end },
	{ "paddsb", mx_paddsb, mx_paddsb_end },
	{ "paddsw", mx_paddsw, mx_paddsw_end },
	{ "pmaxsw", mx_pmaxsw, mx_pmaxsw_end },
	{ "pxor", mx_pxor, mx_pxor_end },
	{ "psllw", mx_psllw, mx_psllw_end },
	{ "pslld", mx_pslld, mx_pslld_end },
	{ "psllq", mx_psllq, mx_psllq_end },
	{ "pmuludq", mx_pmuludq, mx_pmuludq_end },
	{ "pmaddwd", mx_pmaddwd, mx_pmaddwd_end },
	{ "psadbw", mx_psadbw, mx_psadbw_end },
	{ "psubb", mx_psubb, mx_psubb_end },
	{ "psubw", mx_psubw, mx_psubw_end },
	{ "psubd", mx_psubd, mx_psubd_end },
	{ "psubq", mx_psubq, mx_psubq_end },
	{ "paddb", mx_paddb, mx_paddb_end },
	{ "paddw", mx_paddw, mx_paddw_end },
	{ "paddd", mx_paddd, mx_paddd_end },
	{ "pshufb", mx_pshufb, mx_pshufb_end },
	{ "phaddw", mx_phaddw, mx_phaddw_end },
	{ "phaddd", mx_phaddd, mx_phaddd_end },
	{ "phaddsw", mx_phaddsw, mx_phaddsw_end },
	{ "pmaddubsw", mx_pmaddubsw, mx_pmaddubsw_end },
	{ "phsubw", mx_phsubw, mx_phsubw_end },
	{ "phsubd", mx_phsubd, mx_phsubd_end },
	{ "phsubsw", mx_phsubsw, mx_phsubsw_end },
	{ "psignb", mx_psignb, mx_psignb_end },
	{ "psignw", mx_psignw, mx_psignw_end },
	{ "psignd", mx_psignd, mx_psignd_end },
	{ "pmulhrsw", mx_pmulhrsw, mx_pmulhrsw_end },
	{ "pabsb", mx_pabsb, mx_pabsb_end },
	{ "pabsw", mx_pabsw, mx_pabsw_end },
	{ "pabsd", mx_pabsd, mx_pabsd_end },
	{ "movq_mm", mx_movq_mm, mx_movq_mm_end },
	{ "movq_mm_st", mx_movq_mm_st, mx_movq_mm_st_end },
	{ "psrlw_i3", mx_psrlw_i3, mx_psrlw_i3_end },
	{ "psrlw_i17", mx_psrlw_i17, mx_psrlw_i17_end },
	{ "psraw_i15", mx_psraw_i15, mx_psraw_i15_end },
	{ "psraw_i20", mx_psraw_i20, mx_psraw_i20_end },
	{ "psllw_i9", mx_psllw_i9, mx_psllw_i9_end },
	{ "psrld_i31", mx_psrld_i31, mx_psrld_i31_end },
	{ "psrad_i7", mx_psrad_i7, mx_psrad_i7_end },
	{ "pslld_i32", mx_pslld_i32, mx_pslld_i32_end },
	{ "psrlq_i63", mx_psrlq_i63, mx_psrlq_i63_end },
	{ "psllq_i1", mx_psllq_i1, mx_psllq_i1_end },
	{ "psllq_i64", mx_psllq_i64, mx_psllq_i64_end },
	{ "pshufw1b", mx_pshufw1b, mx_pshufw1b_end },
	{ "pshufw93", mx_pshufw93, mx_pshufw93_end },
	{ "pshufwe4", mx_pshufwe4, mx_pshufwe4_end },
	{ "palignr0", mx_palignr0, mx_palignr0_end },
	{ "palignr3", mx_palignr3, mx_palignr3_end },
	{ "palignr8", mx_palignr8, mx_palignr8_end },
	{ "palignr9", mx_palignr9, mx_palignr9_end },
	{ "palignr15", mx_palignr15, mx_palignr15_end },
	{ "palignr16", mx_palignr16, mx_palignr16_end },
	{ "pinsrw", mx_pinsrw, mx_pinsrw_end },
	{ "pextrw", mx_pextrw, mx_pextrw_end },
	{ "pmovmskb", mx_pmovmskb, mx_pmovmskb_end },
	{ "movd_to", mx_movd_to, mx_movd_to_end },
	{ "movq_to", mx_movq_to, mx_movq_to_end },
	{ "movd_from", mx_movd_from, mx_movd_from_end },
	{ "movq_from", mx_movq_from, mx_movq_from_end },
	{ "movq2dq", mx_movq2dq, mx_movq2dq_end },
	{ "movdq2q", mx_movdq2q, mx_movdq2q_end },
	{ "cvtpi2ps", mx_cvtpi2ps, mx_cvtpi2ps_end },
	{ "cvtpi2pd", mx_cvtpi2pd, mx_cvtpi2pd_end },
	{ "cvtps2pi", mx_cvtps2pi, mx_cvtps2pi_end },
	{ "cvttps2pi", mx_cvttps2pi, mx_cvttps2pi_end },
	{ "cvtpd2pi", mx_cvtpd2pi, mx_cvtpd2pi_end },
	{ "cvttpd2pi", mx_cvttpd2pi, mx_cvttpd2pi_end },
	{ "paddb_m", mx_paddb_m, mx_paddb_m_end },
	{ "movq_m", mx_movq_m, mx_movq_m_end },
	{ "cvtpi2ps_m", mx_cvtpi2ps_m, mx_cvtpi2ps_m_end },
};

static const uint64_t mx_vals[] = {
	0,
	~0ull,
	1,
	0x7f,
	0x80,
	0xff,
	0x7fff,
	0x8000,
	0x8000000080000000ull,
	0x0123456789abcdefull,
	0xfedcba9876543210ull,
	0x00ff00ff00ff00ffull,
	0x7fffffff80000000ull,
	0x40,
	0x11,
	0x3f800000c0490fdbull,
	0x4f0000005f000000ull,
	0x7fc00001ff800000ull,
	0x3ff8000000000000ull,
	0xc1e0000000100000ull,
	0x80007fff7fff8000ull,
	0x0000000d0000000full,
	0x1f1e1d1c83828180ull,
	0x000000003dcccccdull,
};

struct mx_frame {
	uint64_t mm0, mm1;
	uint64_t x0[2], x1[2];
	uint32_t mxcsr, pad;
	uint64_t mem;
	uint64_t omm0, omm1;
	uint64_t ox0[2], ox1[2];
	uint32_t omxcsr, pad2;
} __attribute__((aligned(64)));

static void mx_host(const struct mx_op *op, struct mx_frame *f, uint64_t *rax, uint64_t *flags)
{
	uint32_t host_mxcsr;
	uint64_t a = *rax, fl = *flags | 0x202;
	asm volatile("stmxcsr %0" : "=m"(host_mxcsr));
	asm volatile("sub $128, %%rsp\n\t"
		     "push %[fl]\n\t"
		     "popfq\n\t"
		     "call *%[fn]\n\t"
		     "mov %%rsi, %[fl]\n\t"
		     "add $128, %%rsp"
		     : [fl] "+r"(fl), "+a"(a)
		     : "D"(f), [fn] "r"(op->code)
		     : "rsi", "xmm0", "xmm1", "memory", "cc");
	asm volatile("ldmxcsr %0" : : "m"(host_mxcsr));
	*rax = a;
	*flags = fl;
}

Test(x86_diff, mmx_matches_the_host_cpu)
{
	static const uint8_t tail[] = { 0x0f, 0x01, 0xc1 }; /* vmcall */
	static const uint32_t mxcsr[] = { 0x1f80, 0x7f80 };
	static struct mx_frame in, host, emu;
	struct x86_vm vm;
	unsigned failures = 0, runs = 0, op_fail;
	size_t n = SV_ARRAY_SIZE(mx_vals);
	const uint64_t frame = 0x20000;

	x86_vm_diff_init(&vm);
	for (size_t k = 0; k < SV_ARRAY_SIZE(mx_ops); k++) {
		const struct mx_op *op = &mx_ops[k];
		uint64_t at = x86_vm_diff_put(&vm, k, 128, op->code, op->end, tail, sizeof(tail));
		op_fail = 0;
		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < n; j++) {
				for (size_t m = 0; m < SV_ARRAY_SIZE(mxcsr); m++) {
					memset(&in, 0, sizeof(in));
					in.mm0 = mx_vals[i];
					in.mm1 = mx_vals[j];
					in.x0[0] = mx_vals[(i + 3) % n];
					in.x0[1] = mx_vals[(i + 9) % n];
					in.x1[0] = mx_vals[j];
					in.x1[1] = mx_vals[(j + 5) % n];
					in.mxcsr = mxcsr[m];
					in.mem = mx_vals[(i + j) % n];
					uint64_t rax = mx_vals[(i * 7 + j) % n], hrax = rax;
					uint64_t fin = (i + j + m) & 1 ? 0x8d5 : 0, hfl = fin;
					host = in;
					mx_host(op, &host, &hrax, &hfl);
					struct cpu_x86 *c = vm.c;
					x86_vm_put(&vm, frame, &in, sizeof(in));
					c->regs[X86_RDI] = frame;
					c->regs[X86_RAX] = rax;
					x86_vm_diff_run(&vm, at, fin, op->name);
					runs++;
					cr_assert_eq(
						p2m_copy_from(vm.p2m, &emu, frame, sizeof(emu)), 0);
					bool bad = memcmp(&emu.omm0, &host.omm0, 52) != 0 ||
						   c->regs[X86_RAX] != hrax ||
						   ((c->regs[X86_RSI] ^ hfl) & 0x8d5) != 0;
					failures += bad;
					if (bad && op_fail++ < 2)
						fprintf(stderr,
							"%s mm0=%016llx mm1=%016llx x1=%016llx:%016llx "
							"rax=%llx: emu mm0=%016llx x0=%016llx:%016llx "
							"rax=%llx mxcsr=%x; host mm0=%016llx "
							"x0=%016llx:%016llx rax=%llx mxcsr=%x\n",
							op->name, (unsigned long long)in.mm0,
							(unsigned long long)in.mm1,
							(unsigned long long)in.x1[1],
							(unsigned long long)in.x1[0],
							(unsigned long long)rax,
							(unsigned long long)emu.omm0,
							(unsigned long long)emu.ox0[1],
							(unsigned long long)emu.ox0[0],
							(unsigned long long)c->regs[X86_RAX],
							emu.omxcsr, (unsigned long long)host.omm0,
							(unsigned long long)host.ox0[1],
							(unsigned long long)host.ox0[0],
							(unsigned long long)hrax, host.omxcsr);
				}
			}
		}
	}
	x86_vm_destroy(&vm);
	cr_assert_eq(failures, 0, "%u of %u runs differ from the host", failures, runs);
}

#else

Test(x86_diff, mmx_matches_the_host_cpu)
{
	cr_skip_test("the differential test needs an x86-64 host");
}

#endif
