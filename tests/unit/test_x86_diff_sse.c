/*
 * Differential test of the SSE/SSE2 instructions against the host CPU:
 * every XMM form in the list below runs natively and in the emulator with
 * XMM0, XMM1, RAX, MXCSR (all rounding modes, and FTZ+DAZ) and RFLAGS as
 * inputs, over tables of edge-case doubles, floats (zeros, denormals,
 * extremes, infinities, quiet and signalling NaNs with payloads, integer
 * boundaries) and integer bit patterns. XMM0, XMM1, RAX, MXCSR (results and
 * exception flags) and the arithmetic flags must all match exactly.
 *
 * To add a form: a SNIP line (the assembly), a DX declaration and a table
 * row naming the value table that feeds it. x86-64 hosts only (the
 * directed tests in test_x86_sse.c run everywhere).
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_x86.h"

#if defined(__x86_64__)

#define SNIP(name, insn)                                                                           \
	".globl " #name "\n.hidden " #name "\n" #name ":\n" insn "\n.globl " #name "_end\n"        \
	".hidden " #name "_end\n" #name "_end:\nret\n"

/* clang-format off */
asm(".pushsection .text.x86diffsse,\"ax\"\n"
    SNIP(sx_paddb, "paddb %xmm1,%xmm0")
    SNIP(sx_paddw, "paddw %xmm1,%xmm0")
    SNIP(sx_paddd, "paddd %xmm1,%xmm0")
    SNIP(sx_paddq, "paddq %xmm1,%xmm0")
    SNIP(sx_psubb, "psubb %xmm1,%xmm0")
    SNIP(sx_psubw, "psubw %xmm1,%xmm0")
    SNIP(sx_psubd, "psubd %xmm1,%xmm0")
    SNIP(sx_psubq, "psubq %xmm1,%xmm0")
    SNIP(sx_paddsb, "paddsb %xmm1,%xmm0")
    SNIP(sx_paddsw, "paddsw %xmm1,%xmm0")
    SNIP(sx_paddusb, "paddusb %xmm1,%xmm0")
    SNIP(sx_paddusw, "paddusw %xmm1,%xmm0")
    SNIP(sx_psubsb, "psubsb %xmm1,%xmm0")
    SNIP(sx_psubsw, "psubsw %xmm1,%xmm0")
    SNIP(sx_psubusb, "psubusb %xmm1,%xmm0")
    SNIP(sx_psubusw, "psubusw %xmm1,%xmm0")
    SNIP(sx_pcmpeqb, "pcmpeqb %xmm1,%xmm0")
    SNIP(sx_pcmpeqw, "pcmpeqw %xmm1,%xmm0")
    SNIP(sx_pcmpeqd, "pcmpeqd %xmm1,%xmm0")
    SNIP(sx_pcmpgtb, "pcmpgtb %xmm1,%xmm0")
    SNIP(sx_pcmpgtw, "pcmpgtw %xmm1,%xmm0")
    SNIP(sx_pcmpgtd, "pcmpgtd %xmm1,%xmm0")
    SNIP(sx_pminub, "pminub %xmm1,%xmm0")
    SNIP(sx_pmaxub, "pmaxub %xmm1,%xmm0")
    SNIP(sx_pminsw, "pminsw %xmm1,%xmm0")
    SNIP(sx_pmaxsw, "pmaxsw %xmm1,%xmm0")
    SNIP(sx_pavgb, "pavgb %xmm1,%xmm0")
    SNIP(sx_pavgw, "pavgw %xmm1,%xmm0")
    SNIP(sx_pmullw, "pmullw %xmm1,%xmm0")
    SNIP(sx_pmulhw, "pmulhw %xmm1,%xmm0")
    SNIP(sx_pmulhuw, "pmulhuw %xmm1,%xmm0")
    SNIP(sx_pmuludq, "pmuludq %xmm1,%xmm0")
    SNIP(sx_pmaddwd, "pmaddwd %xmm1,%xmm0")
    SNIP(sx_psadbw, "psadbw %xmm1,%xmm0")
    SNIP(sx_pand, "pand %xmm1,%xmm0")
    SNIP(sx_pandn, "pandn %xmm1,%xmm0")
    SNIP(sx_por, "por %xmm1,%xmm0")
    SNIP(sx_pxor, "pxor %xmm1,%xmm0")
    SNIP(sx_punpcklbw, "punpcklbw %xmm1,%xmm0")
    SNIP(sx_punpcklwd, "punpcklwd %xmm1,%xmm0")
    SNIP(sx_punpckldq, "punpckldq %xmm1,%xmm0")
    SNIP(sx_punpcklqdq, "punpcklqdq %xmm1,%xmm0")
    SNIP(sx_punpckhbw, "punpckhbw %xmm1,%xmm0")
    SNIP(sx_punpckhwd, "punpckhwd %xmm1,%xmm0")
    SNIP(sx_punpckhdq, "punpckhdq %xmm1,%xmm0")
    SNIP(sx_punpckhqdq, "punpckhqdq %xmm1,%xmm0")
    SNIP(sx_packsswb, "packsswb %xmm1,%xmm0")
    SNIP(sx_packuswb, "packuswb %xmm1,%xmm0")
    SNIP(sx_packssdw, "packssdw %xmm1,%xmm0")
    SNIP(sx_psrlw, "psrlw %xmm1,%xmm0")
    SNIP(sx_psrld, "psrld %xmm1,%xmm0")
    SNIP(sx_psrlq, "psrlq %xmm1,%xmm0")
    SNIP(sx_psraw, "psraw %xmm1,%xmm0")
    SNIP(sx_psrad, "psrad %xmm1,%xmm0")
    SNIP(sx_psllw, "psllw %xmm1,%xmm0")
    SNIP(sx_pslld, "pslld %xmm1,%xmm0")
    SNIP(sx_psllq, "psllq %xmm1,%xmm0")
    SNIP(sx_unpcklps, "unpcklps %xmm1,%xmm0")
    SNIP(sx_unpckhps, "unpckhps %xmm1,%xmm0")
    SNIP(sx_unpcklpd, "unpcklpd %xmm1,%xmm0")
    SNIP(sx_unpckhpd, "unpckhpd %xmm1,%xmm0")
    SNIP(sx_andps, "andps %xmm1,%xmm0")
    SNIP(sx_andnps, "andnps %xmm1,%xmm0")
    SNIP(sx_orps, "orps %xmm1,%xmm0")
    SNIP(sx_xorps, "xorps %xmm1,%xmm0")
    SNIP(sx_andpd, "andpd %xmm1,%xmm0")
    SNIP(sx_andnpd, "andnpd %xmm1,%xmm0")
    SNIP(sx_orpd, "orpd %xmm1,%xmm0")
    SNIP(sx_xorpd, "xorpd %xmm1,%xmm0")
    SNIP(sx_movaps, "movaps %xmm1,%xmm0")
    SNIP(sx_movups, "movups %xmm1,%xmm0")
    SNIP(sx_movapd, "movapd %xmm1,%xmm0")
    SNIP(sx_movdqa, "movdqa %xmm1,%xmm0")
    SNIP(sx_movdqu, "movdqu %xmm1,%xmm0")
    SNIP(sx_movss, "movss %xmm1,%xmm0")
    SNIP(sx_movsd, "movsd %xmm1,%xmm0")
    SNIP(sx_movhlps, "movhlps %xmm1,%xmm0")
    SNIP(sx_movlhps, "movlhps %xmm1,%xmm0")
    SNIP(sx_pshufd_1b, "pshufd $27,%xmm1,%xmm0")
    SNIP(sx_pshufhw_93, "pshufhw $147,%xmm1,%xmm0")
    SNIP(sx_pshuflw_39, "pshuflw $57,%xmm1,%xmm0")
    SNIP(sx_shufps_4e, "shufps $78,%xmm1,%xmm0")
    SNIP(sx_shufpd_1, "shufpd $1,%xmm1,%xmm0")
    SNIP(sx_shufps_b1, "shufps $177,%xmm1,%xmm0")
    SNIP(sx_psrlw_i3, "psrlw $3,%xmm0")
    SNIP(sx_psrlw_i17, "psrlw $17,%xmm0")
    SNIP(sx_psraw_i15, "psraw $15,%xmm0")
    SNIP(sx_psraw_i20, "psraw $20,%xmm0")
    SNIP(sx_psllw_i9, "psllw $9,%xmm0")
    SNIP(sx_psrld_i31, "psrld $31,%xmm0")
    SNIP(sx_psrad_i7, "psrad $7,%xmm0")
    SNIP(sx_pslld_i32, "pslld $32,%xmm0")
    SNIP(sx_psrlq_i63, "psrlq $63,%xmm0")
    SNIP(sx_psllq_i1, "psllq $1,%xmm0")
    SNIP(sx_psrldq_i5, "psrldq $5,%xmm0")
    SNIP(sx_pslldq_i17, "pslldq $17,%xmm0")
    SNIP(sx_psrldq_i0, "psrldq $0,%xmm0")
    SNIP(sx_pinsrw, "pinsrw $3,%eax,%xmm0")
    SNIP(sx_pextrw, "pextrw $5,%xmm1,%eax")
    SNIP(sx_pmovmskb, "pmovmskb %xmm1,%eax")
    SNIP(sx_movmskps, "movmskps %xmm1,%eax")
    SNIP(sx_movmskpd, "movmskpd %xmm1,%eax")
    SNIP(sx_movd_from, "movd %xmm1,%eax")
    SNIP(sx_movq_from, "movq %xmm1,%rax")
    SNIP(sx_movd_to, "movd %eax,%xmm0")
    SNIP(sx_movq_to, "movq %rax,%xmm0")
    SNIP(sx_movq_f3, "movq %xmm1,%xmm0")
    SNIP(sx_movq_d6, ".byte 0x66,0x0f,0xd6,0xc8")
    SNIP(sx_addsd, "addsd %xmm1,%xmm0")
    SNIP(sx_addpd, "addpd %xmm1,%xmm0")
    SNIP(sx_addss, "addss %xmm1,%xmm0")
    SNIP(sx_addps, "addps %xmm1,%xmm0")
    SNIP(sx_subsd, "subsd %xmm1,%xmm0")
    SNIP(sx_subpd, "subpd %xmm1,%xmm0")
    SNIP(sx_subss, "subss %xmm1,%xmm0")
    SNIP(sx_subps, "subps %xmm1,%xmm0")
    SNIP(sx_mulsd, "mulsd %xmm1,%xmm0")
    SNIP(sx_mulpd, "mulpd %xmm1,%xmm0")
    SNIP(sx_mulss, "mulss %xmm1,%xmm0")
    SNIP(sx_mulps, "mulps %xmm1,%xmm0")
    SNIP(sx_divsd, "divsd %xmm1,%xmm0")
    SNIP(sx_divpd, "divpd %xmm1,%xmm0")
    SNIP(sx_divss, "divss %xmm1,%xmm0")
    SNIP(sx_divps, "divps %xmm1,%xmm0")
    SNIP(sx_minsd, "minsd %xmm1,%xmm0")
    SNIP(sx_minpd, "minpd %xmm1,%xmm0")
    SNIP(sx_minss, "minss %xmm1,%xmm0")
    SNIP(sx_minps, "minps %xmm1,%xmm0")
    SNIP(sx_maxsd, "maxsd %xmm1,%xmm0")
    SNIP(sx_maxpd, "maxpd %xmm1,%xmm0")
    SNIP(sx_maxss, "maxss %xmm1,%xmm0")
    SNIP(sx_maxps, "maxps %xmm1,%xmm0")
    SNIP(sx_sqrtsd, "sqrtsd %xmm1,%xmm0")
    SNIP(sx_sqrtpd, "sqrtpd %xmm1,%xmm0")
    SNIP(sx_sqrtss, "sqrtss %xmm1,%xmm0")
    SNIP(sx_sqrtps, "sqrtps %xmm1,%xmm0")
    SNIP(sx_cmpsd0, "cmpsd $0,%xmm1,%xmm0")
    SNIP(sx_cmpps0, "cmpps $0,%xmm1,%xmm0")
    SNIP(sx_cmpsd1, "cmpsd $1,%xmm1,%xmm0")
    SNIP(sx_cmpps1, "cmpps $1,%xmm1,%xmm0")
    SNIP(sx_cmpsd2, "cmpsd $2,%xmm1,%xmm0")
    SNIP(sx_cmpps2, "cmpps $2,%xmm1,%xmm0")
    SNIP(sx_cmpsd3, "cmpsd $3,%xmm1,%xmm0")
    SNIP(sx_cmpps3, "cmpps $3,%xmm1,%xmm0")
    SNIP(sx_cmpsd4, "cmpsd $4,%xmm1,%xmm0")
    SNIP(sx_cmpps4, "cmpps $4,%xmm1,%xmm0")
    SNIP(sx_cmpsd5, "cmpsd $5,%xmm1,%xmm0")
    SNIP(sx_cmpps5, "cmpps $5,%xmm1,%xmm0")
    SNIP(sx_cmpsd6, "cmpsd $6,%xmm1,%xmm0")
    SNIP(sx_cmpps6, "cmpps $6,%xmm1,%xmm0")
    SNIP(sx_cmpsd7, "cmpsd $7,%xmm1,%xmm0")
    SNIP(sx_cmpps7, "cmpps $7,%xmm1,%xmm0")
    SNIP(sx_cmppd1, "cmppd $1,%xmm1,%xmm0")
    SNIP(sx_cmpss5, "cmpss $5,%xmm1,%xmm0")
    SNIP(sx_comisd, "comisd %xmm1,%xmm0")
    SNIP(sx_ucomisd, "ucomisd %xmm1,%xmm0")
    SNIP(sx_comiss, "comiss %xmm1,%xmm0")
    SNIP(sx_ucomiss, "ucomiss %xmm1,%xmm0")
    SNIP(sx_cvtsi2sdl, "cvtsi2sdl %eax,%xmm0")
    SNIP(sx_cvtsi2sdq, "cvtsi2sdq %rax,%xmm0")
    SNIP(sx_cvtsi2ssl, "cvtsi2ssl %eax,%xmm0")
    SNIP(sx_cvtsi2ssq, "cvtsi2ssq %rax,%xmm0")
    SNIP(sx_cvttsd2sil, "cvttsd2si %xmm1,%eax")
    SNIP(sx_cvttsd2siq, "cvttsd2si %xmm1,%rax")
    SNIP(sx_cvtsd2sil, "cvtsd2si %xmm1,%eax")
    SNIP(sx_cvtsd2siq, "cvtsd2si %xmm1,%rax")
    SNIP(sx_cvttss2sil, "cvttss2si %xmm1,%eax")
    SNIP(sx_cvttss2siq, "cvttss2si %xmm1,%rax")
    SNIP(sx_cvtss2sil, "cvtss2si %xmm1,%eax")
    SNIP(sx_cvtss2siq, "cvtss2si %xmm1,%rax")
    SNIP(sx_cvtsd2ss, "cvtsd2ss %xmm1,%xmm0")
    SNIP(sx_cvtss2sd, "cvtss2sd %xmm1,%xmm0")
    SNIP(sx_cvtps2pd, "cvtps2pd %xmm1,%xmm0")
    SNIP(sx_cvtpd2ps, "cvtpd2ps %xmm1,%xmm0")
    SNIP(sx_cvtdq2ps, "cvtdq2ps %xmm1,%xmm0")
    SNIP(sx_cvtps2dq, "cvtps2dq %xmm1,%xmm0")
    SNIP(sx_cvttps2dq, "cvttps2dq %xmm1,%xmm0")
    SNIP(sx_cvtdq2pd, "cvtdq2pd %xmm1,%xmm0")
    SNIP(sx_cvtpd2dq, "cvtpd2dq %xmm1,%xmm0")
    SNIP(sx_cvttpd2dq, "cvttpd2dq %xmm1,%xmm0")
    SNIP(sx_movddup, "movddup %xmm1,%xmm0")
    SNIP(sx_movsldup, "movsldup %xmm1,%xmm0")
    SNIP(sx_movshdup, "movshdup %xmm1,%xmm0")
    SNIP(sx_addsubps, "addsubps %xmm1,%xmm0")
    SNIP(sx_addsubpd, "addsubpd %xmm1,%xmm0")
    SNIP(sx_haddps, "haddps %xmm1,%xmm0")
    SNIP(sx_haddpd, "haddpd %xmm1,%xmm0")
    SNIP(sx_hsubps, "hsubps %xmm1,%xmm0")
    SNIP(sx_hsubpd, "hsubpd %xmm1,%xmm0")
    SNIP(sx_pshufb, "pshufb %xmm1,%xmm0")
    SNIP(sx_phaddw, "phaddw %xmm1,%xmm0")
    SNIP(sx_phaddd, "phaddd %xmm1,%xmm0")
    SNIP(sx_phaddsw, "phaddsw %xmm1,%xmm0")
    SNIP(sx_pmaddubsw, "pmaddubsw %xmm1,%xmm0")
    SNIP(sx_phsubw, "phsubw %xmm1,%xmm0")
    SNIP(sx_phsubd, "phsubd %xmm1,%xmm0")
    SNIP(sx_phsubsw, "phsubsw %xmm1,%xmm0")
    SNIP(sx_psignb, "psignb %xmm1,%xmm0")
    SNIP(sx_psignw, "psignw %xmm1,%xmm0")
    SNIP(sx_psignd, "psignd %xmm1,%xmm0")
    SNIP(sx_pmulhrsw, "pmulhrsw %xmm1,%xmm0")
    SNIP(sx_pabsb, "pabsb %xmm1,%xmm0")
    SNIP(sx_pabsw, "pabsw %xmm1,%xmm0")
    SNIP(sx_pabsd, "pabsd %xmm1,%xmm0")
    SNIP(sx_palignr0, "palignr $0,%xmm1,%xmm0")
    SNIP(sx_palignr3, "palignr $3,%xmm1,%xmm0")
    SNIP(sx_palignr8, "palignr $8,%xmm1,%xmm0")
    SNIP(sx_palignr15, "palignr $15,%xmm1,%xmm0")
    SNIP(sx_palignr16, "palignr $16,%xmm1,%xmm0")
    SNIP(sx_palignr17, "palignr $17,%xmm1,%xmm0")
    SNIP(sx_palignr31, "palignr $31,%xmm1,%xmm0")
    SNIP(sx_palignr32, "palignr $32,%xmm1,%xmm0")
    SNIP(sx_pblendvb, "pblendvb %xmm1,%xmm0")
    SNIP(sx_blendvps, "blendvps %xmm1,%xmm0")
    SNIP(sx_blendvpd, "blendvpd %xmm1,%xmm0")
    SNIP(sx_pmovsxbw, "pmovsxbw %xmm1,%xmm0")
    SNIP(sx_pmovsxbd, "pmovsxbd %xmm1,%xmm0")
    SNIP(sx_pmovsxbq, "pmovsxbq %xmm1,%xmm0")
    SNIP(sx_pmovsxwd, "pmovsxwd %xmm1,%xmm0")
    SNIP(sx_pmovsxwq, "pmovsxwq %xmm1,%xmm0")
    SNIP(sx_pmovsxdq, "pmovsxdq %xmm1,%xmm0")
    SNIP(sx_pmovzxbw, "pmovzxbw %xmm1,%xmm0")
    SNIP(sx_pmovzxbd, "pmovzxbd %xmm1,%xmm0")
    SNIP(sx_pmovzxbq, "pmovzxbq %xmm1,%xmm0")
    SNIP(sx_pmovzxwd, "pmovzxwd %xmm1,%xmm0")
    SNIP(sx_pmovzxwq, "pmovzxwq %xmm1,%xmm0")
    SNIP(sx_pmovzxdq, "pmovzxdq %xmm1,%xmm0")
    SNIP(sx_pmuldq, "pmuldq %xmm1,%xmm0")
    SNIP(sx_pcmpeqq, "pcmpeqq %xmm1,%xmm0")
    SNIP(sx_packusdw, "packusdw %xmm1,%xmm0")
    SNIP(sx_pminsb, "pminsb %xmm1,%xmm0")
    SNIP(sx_pminsd, "pminsd %xmm1,%xmm0")
    SNIP(sx_pminuw, "pminuw %xmm1,%xmm0")
    SNIP(sx_pminud, "pminud %xmm1,%xmm0")
    SNIP(sx_pmaxsb, "pmaxsb %xmm1,%xmm0")
    SNIP(sx_pmaxsd, "pmaxsd %xmm1,%xmm0")
    SNIP(sx_pmaxuw, "pmaxuw %xmm1,%xmm0")
    SNIP(sx_pmaxud, "pmaxud %xmm1,%xmm0")
    SNIP(sx_pmulld, "pmulld %xmm1,%xmm0")
    SNIP(sx_phminposuw, "phminposuw %xmm1,%xmm0")
    SNIP(sx_ptest, "ptest %xmm1,%xmm0")
    SNIP(sx_roundsd0, "roundsd $0,%xmm1,%xmm0")
    SNIP(sx_roundps0, "roundps $0,%xmm1,%xmm0")
    SNIP(sx_roundsd1, "roundsd $1,%xmm1,%xmm0")
    SNIP(sx_roundps1, "roundps $1,%xmm1,%xmm0")
    SNIP(sx_roundsd2, "roundsd $2,%xmm1,%xmm0")
    SNIP(sx_roundps2, "roundps $2,%xmm1,%xmm0")
    SNIP(sx_roundsd3, "roundsd $3,%xmm1,%xmm0")
    SNIP(sx_roundps3, "roundps $3,%xmm1,%xmm0")
    SNIP(sx_roundsd4, "roundsd $4,%xmm1,%xmm0")
    SNIP(sx_roundps4, "roundps $4,%xmm1,%xmm0")
    SNIP(sx_roundsd8, "roundsd $8,%xmm1,%xmm0")
    SNIP(sx_roundps8, "roundps $8,%xmm1,%xmm0")
    SNIP(sx_roundsd9, "roundsd $9,%xmm1,%xmm0")
    SNIP(sx_roundps9, "roundps $9,%xmm1,%xmm0")
    SNIP(sx_roundsd12, "roundsd $12,%xmm1,%xmm0")
    SNIP(sx_roundps12, "roundps $12,%xmm1,%xmm0")
    SNIP(sx_roundpd3, "roundpd $3,%xmm1,%xmm0")
    SNIP(sx_roundss6, "roundss $6,%xmm1,%xmm0")
    SNIP(sx_blendps5, "blendps $5,%xmm1,%xmm0")
    SNIP(sx_blendps10, "blendps $10,%xmm1,%xmm0")
    SNIP(sx_blendps15, "blendps $15,%xmm1,%xmm0")
    SNIP(sx_blendpd2, "blendpd $2,%xmm1,%xmm0")
    SNIP(sx_pblendw, "pblendw $0xa5,%xmm1,%xmm0")
    SNIP(sx_pextrb0, "pextrb $0,%xmm1,%eax")
    SNIP(sx_pextrb5, "pextrb $5,%xmm1,%eax")
    SNIP(sx_pextrb15, "pextrb $15,%xmm1,%eax")
    SNIP(sx_pextrw_e, ".byte 0x66,0x0f,0x3a,0x15,0xc8,0x06")
    SNIP(sx_pextrd, "pextrd $2,%xmm1,%eax")
    SNIP(sx_pextrq, "pextrq $1,%xmm1,%rax")
    SNIP(sx_extractps, "extractps $3,%xmm1,%eax")
    SNIP(sx_pinsrb, "pinsrb $9,%eax,%xmm0")
    SNIP(sx_pinsrd, "pinsrd $1,%eax,%xmm0")
    SNIP(sx_pinsrq, "pinsrq $1,%rax,%xmm0")
    SNIP(sx_insertps0, "insertps $0,%xmm1,%xmm0")
    SNIP(sx_insertps4e, "insertps $78,%xmm1,%xmm0")
    SNIP(sx_insertps9d, "insertps $157,%xmm1,%xmm0")
    SNIP(sx_insertpsff, "insertps $255,%xmm1,%xmm0")
    SNIP(sx_dppsff, "dpps $255,%xmm1,%xmm0")
    SNIP(sx_dpps71, "dpps $113,%xmm1,%xmm0")
    SNIP(sx_dpps3c, "dpps $60,%xmm1,%xmm0")
    SNIP(sx_dppd33, "dppd $51,%xmm1,%xmm0")
    SNIP(sx_dppd12, "dppd $18,%xmm1,%xmm0")
    SNIP(sx_dppd21, "dppd $33,%xmm1,%xmm0")
    SNIP(sx_mpsadbw0, "mpsadbw $0,%xmm1,%xmm0")
    SNIP(sx_mpsadbw5, "mpsadbw $5,%xmm1,%xmm0")
    SNIP(sx_mpsadbw7, "mpsadbw $7,%xmm1,%xmm0")
    SNIP(sx_pcmpgtq, "pcmpgtq %xmm1,%xmm0")
    SNIP(sx_pcmpistri0, "pcmpistri $0,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri0, "mov %eax,%edx; sar $3,%edx; pcmpestri $0,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri4, "pcmpistri $4,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri4, "mov %eax,%edx; sar $3,%edx; pcmpestri $4,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri8, "pcmpistri $8,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri8, "mov %eax,%edx; sar $3,%edx; pcmpestri $8,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistric, "pcmpistri $12,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestric, "mov %eax,%edx; sar $3,%edx; pcmpestri $12,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri1, "pcmpistri $1,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri1, "mov %eax,%edx; sar $3,%edx; pcmpestri $1,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri1a, "pcmpistri $26,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri1a, "mov %eax,%edx; sar $3,%edx; pcmpestri $26,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri3c, "pcmpistri $60,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri3c, "mov %eax,%edx; sar $3,%edx; pcmpestri $60,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri40, "pcmpistri $64,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri40, "mov %eax,%edx; sar $3,%edx; pcmpestri $64,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri4c, "pcmpistri $76,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri4c, "mov %eax,%edx; sar $3,%edx; pcmpestri $76,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri42, "pcmpistri $66,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri42, "mov %eax,%edx; sar $3,%edx; pcmpestri $66,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri10, "pcmpistri $16,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri10, "mov %eax,%edx; sar $3,%edx; pcmpestri $16,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri30, "pcmpistri $48,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri30, "mov %eax,%edx; sar $3,%edx; pcmpestri $48,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistrid, "pcmpistri $13,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestrid, "mov %eax,%edx; sar $3,%edx; pcmpestri $13,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri45, "pcmpistri $69,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri45, "mov %eax,%edx; sar $3,%edx; pcmpestri $69,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri9, "pcmpistri $9,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri9, "mov %eax,%edx; sar $3,%edx; pcmpestri $9,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistri38, "pcmpistri $56,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpestri38, "mov %eax,%edx; sar $3,%edx; pcmpestri $56,%xmm1,%xmm0; mov %ecx,%eax")
    SNIP(sx_pcmpistrm0, "pcmpistrm $0,%xmm1,%xmm0")
    SNIP(sx_pcmpestrm0, "mov %eax,%edx; sar $2,%edx; pcmpestrm $0,%xmm1,%xmm0")
    SNIP(sx_pcmpistrm44, "pcmpistrm $68,%xmm1,%xmm0")
    SNIP(sx_pcmpestrm44, "mov %eax,%edx; sar $2,%edx; pcmpestrm $68,%xmm1,%xmm0")
    SNIP(sx_pcmpistrmc, "pcmpistrm $12,%xmm1,%xmm0")
    SNIP(sx_pcmpestrmc, "mov %eax,%edx; sar $2,%edx; pcmpestrm $12,%xmm1,%xmm0")
    SNIP(sx_pcmpistrm48, "pcmpistrm $72,%xmm1,%xmm0")
    SNIP(sx_pcmpestrm48, "mov %eax,%edx; sar $2,%edx; pcmpestrm $72,%xmm1,%xmm0")
    SNIP(sx_pcmpistrm19, "pcmpistrm $25,%xmm1,%xmm0")
    SNIP(sx_pcmpestrm19, "mov %eax,%edx; sar $2,%edx; pcmpestrm $25,%xmm1,%xmm0")
    SNIP(sx_pcmpistrm71, "pcmpistrm $113,%xmm1,%xmm0")
    SNIP(sx_pcmpestrm71, "mov %eax,%edx; sar $2,%edx; pcmpestrm $113,%xmm1,%xmm0")
    ".popsection\n");
/* clang-format on */

#define DX(n) extern const uint8_t sx_##n[], sx_##n##_end[]
DX(paddb);
DX(paddw);
DX(paddd);
DX(paddq);
DX(psubb);
DX(psubw);
DX(psubd);
DX(psubq);
DX(paddsb);
DX(paddsw);
DX(paddusb);
DX(paddusw);
DX(psubsb);
DX(psubsw);
DX(psubusb);
DX(psubusw);
DX(pcmpeqb);
DX(pcmpeqw);
DX(pcmpeqd);
DX(pcmpgtb);
DX(pcmpgtw);
DX(pcmpgtd);
DX(pminub);
DX(pmaxub);
DX(pminsw);
DX(pmaxsw);
DX(pavgb);
DX(pavgw);
DX(pmullw);
DX(pmulhw);
DX(pmulhuw);
DX(pmuludq);
DX(pmaddwd);
DX(psadbw);
DX(pand);
DX(pandn);
DX(por);
DX(pxor);
DX(punpcklbw);
DX(punpcklwd);
DX(punpckldq);
DX(punpcklqdq);
DX(punpckhbw);
DX(punpckhwd);
DX(punpckhdq);
DX(punpckhqdq);
DX(packsswb);
DX(packuswb);
DX(packssdw);
DX(psrlw);
DX(psrld);
DX(psrlq);
DX(psraw);
DX(psrad);
DX(psllw);
DX(pslld);
DX(psllq);
DX(unpcklps);
DX(unpckhps);
DX(unpcklpd);
DX(unpckhpd);
DX(andps);
DX(andnps);
DX(orps);
DX(xorps);
DX(andpd);
DX(andnpd);
DX(orpd);
DX(xorpd);
DX(movaps);
DX(movups);
DX(movapd);
DX(movdqa);
DX(movdqu);
DX(movss);
DX(movsd);
DX(movhlps);
DX(movlhps);
DX(pshufd_1b);
DX(pshufhw_93);
DX(pshuflw_39);
DX(shufps_4e);
DX(shufpd_1);
DX(shufps_b1);
DX(psrlw_i3);
DX(psrlw_i17);
DX(psraw_i15);
DX(psraw_i20);
DX(psllw_i9);
DX(psrld_i31);
DX(psrad_i7);
DX(pslld_i32);
DX(psrlq_i63);
DX(psllq_i1);
DX(psrldq_i5);
DX(pslldq_i17);
DX(psrldq_i0);
DX(pinsrw);
DX(pextrw);
DX(pmovmskb);
DX(movmskps);
DX(movmskpd);
DX(movd_from);
DX(movq_from);
DX(movd_to);
DX(movq_to);
DX(movq_f3);
DX(movq_d6);
DX(addsd);
DX(addpd);
DX(addss);
DX(addps);
DX(subsd);
DX(subpd);
DX(subss);
DX(subps);
DX(mulsd);
DX(mulpd);
DX(mulss);
DX(mulps);
DX(divsd);
DX(divpd);
DX(divss);
DX(divps);
DX(minsd);
DX(minpd);
DX(minss);
DX(minps);
DX(maxsd);
DX(maxpd);
DX(maxss);
DX(maxps);
DX(sqrtsd);
DX(sqrtpd);
DX(sqrtss);
DX(sqrtps);
DX(cmpsd0);
DX(cmpps0);
DX(cmpsd1);
DX(cmpps1);
DX(cmpsd2);
DX(cmpps2);
DX(cmpsd3);
DX(cmpps3);
DX(cmpsd4);
DX(cmpps4);
DX(cmpsd5);
DX(cmpps5);
DX(cmpsd6);
DX(cmpps6);
DX(cmpsd7);
DX(cmpps7);
DX(cmppd1);
DX(cmpss5);
DX(comisd);
DX(ucomisd);
DX(comiss);
DX(ucomiss);
DX(cvtsi2sdl);
DX(cvtsi2sdq);
DX(cvtsi2ssl);
DX(cvtsi2ssq);
DX(cvttsd2sil);
DX(cvttsd2siq);
DX(cvtsd2sil);
DX(cvtsd2siq);
DX(cvttss2sil);
DX(cvttss2siq);
DX(cvtss2sil);
DX(cvtss2siq);
DX(cvtsd2ss);
DX(cvtss2sd);
DX(cvtps2pd);
DX(cvtpd2ps);
DX(cvtdq2ps);
DX(cvtps2dq);
DX(cvttps2dq);
DX(cvtdq2pd);
DX(cvtpd2dq);
DX(cvttpd2dq);
DX(movddup);
DX(movsldup);
DX(movshdup);
DX(addsubps);
DX(addsubpd);
DX(haddps);
DX(haddpd);
DX(hsubps);
DX(hsubpd);
DX(pshufb);
DX(phaddw);
DX(phaddd);
DX(phaddsw);
DX(pmaddubsw);
DX(phsubw);
DX(phsubd);
DX(phsubsw);
DX(psignb);
DX(psignw);
DX(psignd);
DX(pmulhrsw);
DX(pabsb);
DX(pabsw);
DX(pabsd);
DX(palignr0);
DX(palignr3);
DX(palignr8);
DX(palignr15);
DX(palignr16);
DX(palignr17);
DX(palignr31);
DX(palignr32);
DX(pblendvb);
DX(blendvps);
DX(blendvpd);
DX(pmovsxbw);
DX(pmovsxbd);
DX(pmovsxbq);
DX(pmovsxwd);
DX(pmovsxwq);
DX(pmovsxdq);
DX(pmovzxbw);
DX(pmovzxbd);
DX(pmovzxbq);
DX(pmovzxwd);
DX(pmovzxwq);
DX(pmovzxdq);
DX(pmuldq);
DX(pcmpeqq);
DX(packusdw);
DX(pminsb);
DX(pminsd);
DX(pminuw);
DX(pminud);
DX(pmaxsb);
DX(pmaxsd);
DX(pmaxuw);
DX(pmaxud);
DX(pmulld);
DX(phminposuw);
DX(ptest);
DX(roundsd0);
DX(roundps0);
DX(roundsd1);
DX(roundps1);
DX(roundsd2);
DX(roundps2);
DX(roundsd3);
DX(roundps3);
DX(roundsd4);
DX(roundps4);
DX(roundsd8);
DX(roundps8);
DX(roundsd9);
DX(roundps9);
DX(roundsd12);
DX(roundps12);
DX(roundpd3);
DX(roundss6);
DX(blendps5);
DX(blendps10);
DX(blendps15);
DX(blendpd2);
DX(pblendw);
DX(pextrb0);
DX(pextrb5);
DX(pextrb15);
DX(pextrw_e);
DX(pextrd);
DX(pextrq);
DX(extractps);
DX(pinsrb);
DX(pinsrd);
DX(pinsrq);
DX(insertps0);
DX(insertps4e);
DX(insertps9d);
DX(insertpsff);
DX(dppsff);
DX(dpps71);
DX(dpps3c);
DX(dppd33);
DX(dppd12);
DX(dppd21);
DX(mpsadbw0);
DX(mpsadbw5);
DX(mpsadbw7);
DX(pcmpgtq);
DX(pcmpistri0);
DX(pcmpestri0);
DX(pcmpistri4);
DX(pcmpestri4);
DX(pcmpistri8);
DX(pcmpestri8);
DX(pcmpistric);
DX(pcmpestric);
DX(pcmpistri1);
DX(pcmpestri1);
DX(pcmpistri1a);
DX(pcmpestri1a);
DX(pcmpistri3c);
DX(pcmpestri3c);
DX(pcmpistri40);
DX(pcmpestri40);
DX(pcmpistri4c);
DX(pcmpestri4c);
DX(pcmpistri42);
DX(pcmpestri42);
DX(pcmpistri10);
DX(pcmpestri10);
DX(pcmpistri30);
DX(pcmpestri30);
DX(pcmpistrid);
DX(pcmpestrid);
DX(pcmpistri45);
DX(pcmpestri45);
DX(pcmpistri9);
DX(pcmpestri9);
DX(pcmpistri38);
DX(pcmpestri38);
DX(pcmpistrm0);
DX(pcmpestrm0);
DX(pcmpistrm44);
DX(pcmpestrm44);
DX(pcmpistrmc);
DX(pcmpestrmc);
DX(pcmpistrm48);
DX(pcmpestrm48);
DX(pcmpistrm19);
DX(pcmpestrm19);
DX(pcmpistrm71);
DX(pcmpestrm71);

struct sx_op {
	const char *name;
	const uint8_t *code, *end;
	char type; /* I integer, D double, S single: which value table feeds it */
};

static const struct sx_op sx_ops[] = {
	{ "paddb", sx_paddb, sx_paddb_end, 'I' },
	{ "paddw", sx_paddw, sx_paddw_end, 'I' },
	{ "paddd", sx_paddd, sx_paddd_end, 'I' },
	{ "paddq", sx_paddq, sx_paddq_end, 'I' },
	{ "psubb", sx_psubb, sx_psubb_end, 'I' },
	{ "psubw", sx_psubw, sx_psubw_end, 'I' },
	{ "psubd", sx_psubd, sx_psubd_end, 'I' },
	{ "psubq", sx_psubq, sx_psubq_end, 'I' },
	{ "paddsb", sx_paddsb, sx_paddsb_end, 'I' },
	{ "paddsw", sx_paddsw, sx_paddsw_end, 'I' },
	{ "paddusb", sx_paddusb, sx_paddusb_end, 'I' },
	{ "paddusw", sx_paddusw, sx_paddusw_end, 'I' },
	{ "psubsb", sx_psubsb, sx_psubsb_end, 'I' },
	{ "psubsw", sx_psubsw, sx_psubsw_end, 'I' },
	{ "psubusb", sx_psubusb, sx_psubusb_end, 'I' },
	{ "psubusw", sx_psubusw, sx_psubusw_end, 'I' },
	{ "pcmpeqb", sx_pcmpeqb, sx_pcmpeqb_end, 'I' },
	{ "pcmpeqw", sx_pcmpeqw, sx_pcmpeqw_end, 'I' },
	{ "pcmpeqd", sx_pcmpeqd, sx_pcmpeqd_end, 'I' },
	{ "pcmpgtb", sx_pcmpgtb, sx_pcmpgtb_end, 'I' },
	{ "pcmpgtw", sx_pcmpgtw, sx_pcmpgtw_end, 'I' },
	{ "pcmpgtd", sx_pcmpgtd, sx_pcmpgtd_end, 'I' },
	{ "pminub", sx_pminub, sx_pminub_end, 'I' },
	{ "pmaxub", sx_pmaxub, sx_pmaxub_end, 'I' },
	{ "pminsw", sx_pminsw, sx_pminsw_end, 'I' },
	{ "pmaxsw", sx_pmaxsw, sx_pmaxsw_end, 'I' },
	{ "pavgb", sx_pavgb, sx_pavgb_end, 'I' },
	{ "pavgw", sx_pavgw, sx_pavgw_end, 'I' },
	{ "pmullw", sx_pmullw, sx_pmullw_end, 'I' },
	{ "pmulhw", sx_pmulhw, sx_pmulhw_end, 'I' },
	{ "pmulhuw", sx_pmulhuw, sx_pmulhuw_end, 'I' },
	{ "pmuludq", sx_pmuludq, sx_pmuludq_end, 'I' },
	{ "pmaddwd", sx_pmaddwd, sx_pmaddwd_end, 'I' },
	{ "psadbw", sx_psadbw, sx_psadbw_end, 'I' },
	{ "pand", sx_pand, sx_pand_end, 'I' },
	{ "pandn", sx_pandn, sx_pandn_end, 'I' },
	{ "por", sx_por, sx_por_end, 'I' },
	{ "pxor", sx_pxor, sx_pxor_end, 'I' },
	{ "punpcklbw", sx_punpcklbw, sx_punpcklbw_end, 'I' },
	{ "punpcklwd", sx_punpcklwd, sx_punpcklwd_end, 'I' },
	{ "punpckldq", sx_punpckldq, sx_punpckldq_end, 'I' },
	{ "punpcklqdq", sx_punpcklqdq, sx_punpcklqdq_end, 'I' },
	{ "punpckhbw", sx_punpckhbw, sx_punpckhbw_end, 'I' },
	{ "punpckhwd", sx_punpckhwd, sx_punpckhwd_end, 'I' },
	{ "punpckhdq", sx_punpckhdq, sx_punpckhdq_end, 'I' },
	{ "punpckhqdq", sx_punpckhqdq, sx_punpckhqdq_end, 'I' },
	{ "packsswb", sx_packsswb, sx_packsswb_end, 'I' },
	{ "packuswb", sx_packuswb, sx_packuswb_end, 'I' },
	{ "packssdw", sx_packssdw, sx_packssdw_end, 'I' },
	{ "psrlw", sx_psrlw, sx_psrlw_end, 'I' },
	{ "psrld", sx_psrld, sx_psrld_end, 'I' },
	{ "psrlq", sx_psrlq, sx_psrlq_end, 'I' },
	{ "psraw", sx_psraw, sx_psraw_end, 'I' },
	{ "psrad", sx_psrad, sx_psrad_end, 'I' },
	{ "psllw", sx_psllw, sx_psllw_end, 'I' },
	{ "pslld", sx_pslld, sx_pslld_end, 'I' },
	{ "psllq", sx_psllq, sx_psllq_end, 'I' },
	{ "unpcklps", sx_unpcklps, sx_unpcklps_end, 'I' },
	{ "unpckhps", sx_unpckhps, sx_unpckhps_end, 'I' },
	{ "unpcklpd", sx_unpcklpd, sx_unpcklpd_end, 'I' },
	{ "unpckhpd", sx_unpckhpd, sx_unpckhpd_end, 'I' },
	{ "andps", sx_andps, sx_andps_end, 'I' },
	{ "andnps", sx_andnps, sx_andnps_end, 'I' },
	{ "orps", sx_orps, sx_orps_end, 'I' },
	{ "xorps", sx_xorps, sx_xorps_end, 'I' },
	{ "andpd", sx_andpd, sx_andpd_end, 'I' },
	{ "andnpd", sx_andnpd, sx_andnpd_end, 'I' },
	{ "orpd", sx_orpd, sx_orpd_end, 'I' },
	{ "xorpd", sx_xorpd, sx_xorpd_end, 'I' },
	{ "movaps", sx_movaps, sx_movaps_end, 'I' },
	{ "movups", sx_movups, sx_movups_end, 'I' },
	{ "movapd", sx_movapd, sx_movapd_end, 'I' },
	{ "movdqa", sx_movdqa, sx_movdqa_end, 'I' },
	{ "movdqu", sx_movdqu, sx_movdqu_end, 'I' },
	{ "movss", sx_movss, sx_movss_end, 'I' },
	{ "movsd", sx_movsd, sx_movsd_end, 'I' },
	{ "movhlps", sx_movhlps, sx_movhlps_end, 'I' },
	{ "movlhps", sx_movlhps, sx_movlhps_end, 'I' },
	{ "pshufd_1b", sx_pshufd_1b, sx_pshufd_1b_end, 'I' },
	{ "pshufhw_93", sx_pshufhw_93, sx_pshufhw_93_end, 'I' },
	{ "pshuflw_39", sx_pshuflw_39, sx_pshuflw_39_end, 'I' },
	{ "shufps_4e", sx_shufps_4e, sx_shufps_4e_end, 'I' },
	{ "shufpd_1", sx_shufpd_1, sx_shufpd_1_end, 'I' },
	{ "shufps_b1", sx_shufps_b1, sx_shufps_b1_end, 'I' },
	{ "psrlw_i3", sx_psrlw_i3, sx_psrlw_i3_end, 'I' },
	{ "psrlw_i17", sx_psrlw_i17, sx_psrlw_i17_end, 'I' },
	{ "psraw_i15", sx_psraw_i15, sx_psraw_i15_end, 'I' },
	{ "psraw_i20", sx_psraw_i20, sx_psraw_i20_end, 'I' },
	{ "psllw_i9", sx_psllw_i9, sx_psllw_i9_end, 'I' },
	{ "psrld_i31", sx_psrld_i31, sx_psrld_i31_end, 'I' },
	{ "psrad_i7", sx_psrad_i7, sx_psrad_i7_end, 'I' },
	{ "pslld_i32", sx_pslld_i32, sx_pslld_i32_end, 'I' },
	{ "psrlq_i63", sx_psrlq_i63, sx_psrlq_i63_end, 'I' },
	{ "psllq_i1", sx_psllq_i1, sx_psllq_i1_end, 'I' },
	{ "psrldq_i5", sx_psrldq_i5, sx_psrldq_i5_end, 'I' },
	{ "pslldq_i17", sx_pslldq_i17, sx_pslldq_i17_end, 'I' },
	{ "psrldq_i0", sx_psrldq_i0, sx_psrldq_i0_end, 'I' },
	{ "pinsrw", sx_pinsrw, sx_pinsrw_end, 'I' },
	{ "pextrw", sx_pextrw, sx_pextrw_end, 'I' },
	{ "pmovmskb", sx_pmovmskb, sx_pmovmskb_end, 'I' },
	{ "movmskps", sx_movmskps, sx_movmskps_end, 'S' },
	{ "movmskpd", sx_movmskpd, sx_movmskpd_end, 'D' },
	{ "movd_from", sx_movd_from, sx_movd_from_end, 'I' },
	{ "movq_from", sx_movq_from, sx_movq_from_end, 'I' },
	{ "movd_to", sx_movd_to, sx_movd_to_end, 'I' },
	{ "movq_to", sx_movq_to, sx_movq_to_end, 'I' },
	{ "movq_f3", sx_movq_f3, sx_movq_f3_end, 'I' },
	{ "movq_d6", sx_movq_d6, sx_movq_d6_end, 'I' },
	{ "addsd", sx_addsd, sx_addsd_end, 'D' },
	{ "addpd", sx_addpd, sx_addpd_end, 'D' },
	{ "addss", sx_addss, sx_addss_end, 'S' },
	{ "addps", sx_addps, sx_addps_end, 'S' },
	{ "subsd", sx_subsd, sx_subsd_end, 'D' },
	{ "subpd", sx_subpd, sx_subpd_end, 'D' },
	{ "subss", sx_subss, sx_subss_end, 'S' },
	{ "subps", sx_subps, sx_subps_end, 'S' },
	{ "mulsd", sx_mulsd, sx_mulsd_end, 'D' },
	{ "mulpd", sx_mulpd, sx_mulpd_end, 'D' },
	{ "mulss", sx_mulss, sx_mulss_end, 'S' },
	{ "mulps", sx_mulps, sx_mulps_end, 'S' },
	{ "divsd", sx_divsd, sx_divsd_end, 'D' },
	{ "divpd", sx_divpd, sx_divpd_end, 'D' },
	{ "divss", sx_divss, sx_divss_end, 'S' },
	{ "divps", sx_divps, sx_divps_end, 'S' },
	{ "minsd", sx_minsd, sx_minsd_end, 'D' },
	{ "minpd", sx_minpd, sx_minpd_end, 'D' },
	{ "minss", sx_minss, sx_minss_end, 'S' },
	{ "minps", sx_minps, sx_minps_end, 'S' },
	{ "maxsd", sx_maxsd, sx_maxsd_end, 'D' },
	{ "maxpd", sx_maxpd, sx_maxpd_end, 'D' },
	{ "maxss", sx_maxss, sx_maxss_end, 'S' },
	{ "maxps", sx_maxps, sx_maxps_end, 'S' },
	{ "sqrtsd", sx_sqrtsd, sx_sqrtsd_end, 'D' },
	{ "sqrtpd", sx_sqrtpd, sx_sqrtpd_end, 'D' },
	{ "sqrtss", sx_sqrtss, sx_sqrtss_end, 'S' },
	{ "sqrtps", sx_sqrtps, sx_sqrtps_end, 'S' },
	{ "cmpsd0", sx_cmpsd0, sx_cmpsd0_end, 'D' },
	{ "cmpps0", sx_cmpps0, sx_cmpps0_end, 'S' },
	{ "cmpsd1", sx_cmpsd1, sx_cmpsd1_end, 'D' },
	{ "cmpps1", sx_cmpps1, sx_cmpps1_end, 'S' },
	{ "cmpsd2", sx_cmpsd2, sx_cmpsd2_end, 'D' },
	{ "cmpps2", sx_cmpps2, sx_cmpps2_end, 'S' },
	{ "cmpsd3", sx_cmpsd3, sx_cmpsd3_end, 'D' },
	{ "cmpps3", sx_cmpps3, sx_cmpps3_end, 'S' },
	{ "cmpsd4", sx_cmpsd4, sx_cmpsd4_end, 'D' },
	{ "cmpps4", sx_cmpps4, sx_cmpps4_end, 'S' },
	{ "cmpsd5", sx_cmpsd5, sx_cmpsd5_end, 'D' },
	{ "cmpps5", sx_cmpps5, sx_cmpps5_end, 'S' },
	{ "cmpsd6", sx_cmpsd6, sx_cmpsd6_end, 'D' },
	{ "cmpps6", sx_cmpps6, sx_cmpps6_end, 'S' },
	{ "cmpsd7", sx_cmpsd7, sx_cmpsd7_end, 'D' },
	{ "cmpps7", sx_cmpps7, sx_cmpps7_end, 'S' },
	{ "cmppd1", sx_cmppd1, sx_cmppd1_end, 'D' },
	{ "cmpss5", sx_cmpss5, sx_cmpss5_end, 'S' },
	{ "comisd", sx_comisd, sx_comisd_end, 'D' },
	{ "ucomisd", sx_ucomisd, sx_ucomisd_end, 'D' },
	{ "comiss", sx_comiss, sx_comiss_end, 'S' },
	{ "ucomiss", sx_ucomiss, sx_ucomiss_end, 'S' },
	{ "cvtsi2sdl", sx_cvtsi2sdl, sx_cvtsi2sdl_end, 'I' },
	{ "cvtsi2sdq", sx_cvtsi2sdq, sx_cvtsi2sdq_end, 'I' },
	{ "cvtsi2ssl", sx_cvtsi2ssl, sx_cvtsi2ssl_end, 'I' },
	{ "cvtsi2ssq", sx_cvtsi2ssq, sx_cvtsi2ssq_end, 'I' },
	{ "cvttsd2sil", sx_cvttsd2sil, sx_cvttsd2sil_end, 'D' },
	{ "cvttsd2siq", sx_cvttsd2siq, sx_cvttsd2siq_end, 'D' },
	{ "cvtsd2sil", sx_cvtsd2sil, sx_cvtsd2sil_end, 'D' },
	{ "cvtsd2siq", sx_cvtsd2siq, sx_cvtsd2siq_end, 'D' },
	{ "cvttss2sil", sx_cvttss2sil, sx_cvttss2sil_end, 'S' },
	{ "cvttss2siq", sx_cvttss2siq, sx_cvttss2siq_end, 'S' },
	{ "cvtss2sil", sx_cvtss2sil, sx_cvtss2sil_end, 'S' },
	{ "cvtss2siq", sx_cvtss2siq, sx_cvtss2siq_end, 'S' },
	{ "cvtsd2ss", sx_cvtsd2ss, sx_cvtsd2ss_end, 'D' },
	{ "cvtss2sd", sx_cvtss2sd, sx_cvtss2sd_end, 'S' },
	{ "cvtps2pd", sx_cvtps2pd, sx_cvtps2pd_end, 'S' },
	{ "cvtpd2ps", sx_cvtpd2ps, sx_cvtpd2ps_end, 'D' },
	{ "cvtdq2ps", sx_cvtdq2ps, sx_cvtdq2ps_end, 'I' },
	{ "cvtps2dq", sx_cvtps2dq, sx_cvtps2dq_end, 'S' },
	{ "cvttps2dq", sx_cvttps2dq, sx_cvttps2dq_end, 'S' },
	{ "cvtdq2pd", sx_cvtdq2pd, sx_cvtdq2pd_end, 'I' },
	{ "cvtpd2dq", sx_cvtpd2dq, sx_cvtpd2dq_end, 'D' },
	{ "cvttpd2dq", sx_cvttpd2dq, sx_cvttpd2dq_end, 'D' },
	{ "movddup", sx_movddup, sx_movddup_end, 'D' },
	{ "movsldup", sx_movsldup, sx_movsldup_end, 'S' },
	{ "movshdup", sx_movshdup, sx_movshdup_end, 'S' },
	{ "addsubps", sx_addsubps, sx_addsubps_end, 'S' },
	{ "addsubpd", sx_addsubpd, sx_addsubpd_end, 'D' },
	{ "haddps", sx_haddps, sx_haddps_end, 'S' },
	{ "haddpd", sx_haddpd, sx_haddpd_end, 'D' },
	{ "hsubps", sx_hsubps, sx_hsubps_end, 'S' },
	{ "hsubpd", sx_hsubpd, sx_hsubpd_end, 'D' },
	{ "pshufb", sx_pshufb, sx_pshufb_end, 'I' },
	{ "phaddw", sx_phaddw, sx_phaddw_end, 'I' },
	{ "phaddd", sx_phaddd, sx_phaddd_end, 'I' },
	{ "phaddsw", sx_phaddsw, sx_phaddsw_end, 'I' },
	{ "pmaddubsw", sx_pmaddubsw, sx_pmaddubsw_end, 'I' },
	{ "phsubw", sx_phsubw, sx_phsubw_end, 'I' },
	{ "phsubd", sx_phsubd, sx_phsubd_end, 'I' },
	{ "phsubsw", sx_phsubsw, sx_phsubsw_end, 'I' },
	{ "psignb", sx_psignb, sx_psignb_end, 'I' },
	{ "psignw", sx_psignw, sx_psignw_end, 'I' },
	{ "psignd", sx_psignd, sx_psignd_end, 'I' },
	{ "pmulhrsw", sx_pmulhrsw, sx_pmulhrsw_end, 'I' },
	{ "pabsb", sx_pabsb, sx_pabsb_end, 'I' },
	{ "pabsw", sx_pabsw, sx_pabsw_end, 'I' },
	{ "pabsd", sx_pabsd, sx_pabsd_end, 'I' },
	{ "palignr0", sx_palignr0, sx_palignr0_end, 'I' },
	{ "palignr3", sx_palignr3, sx_palignr3_end, 'I' },
	{ "palignr8", sx_palignr8, sx_palignr8_end, 'I' },
	{ "palignr15", sx_palignr15, sx_palignr15_end, 'I' },
	{ "palignr16", sx_palignr16, sx_palignr16_end, 'I' },
	{ "palignr17", sx_palignr17, sx_palignr17_end, 'I' },
	{ "palignr31", sx_palignr31, sx_palignr31_end, 'I' },
	{ "palignr32", sx_palignr32, sx_palignr32_end, 'I' },
	{ "pblendvb", sx_pblendvb, sx_pblendvb_end, 'I' },
	{ "blendvps", sx_blendvps, sx_blendvps_end, 'I' },
	{ "blendvpd", sx_blendvpd, sx_blendvpd_end, 'I' },
	{ "pmovsxbw", sx_pmovsxbw, sx_pmovsxbw_end, 'I' },
	{ "pmovsxbd", sx_pmovsxbd, sx_pmovsxbd_end, 'I' },
	{ "pmovsxbq", sx_pmovsxbq, sx_pmovsxbq_end, 'I' },
	{ "pmovsxwd", sx_pmovsxwd, sx_pmovsxwd_end, 'I' },
	{ "pmovsxwq", sx_pmovsxwq, sx_pmovsxwq_end, 'I' },
	{ "pmovsxdq", sx_pmovsxdq, sx_pmovsxdq_end, 'I' },
	{ "pmovzxbw", sx_pmovzxbw, sx_pmovzxbw_end, 'I' },
	{ "pmovzxbd", sx_pmovzxbd, sx_pmovzxbd_end, 'I' },
	{ "pmovzxbq", sx_pmovzxbq, sx_pmovzxbq_end, 'I' },
	{ "pmovzxwd", sx_pmovzxwd, sx_pmovzxwd_end, 'I' },
	{ "pmovzxwq", sx_pmovzxwq, sx_pmovzxwq_end, 'I' },
	{ "pmovzxdq", sx_pmovzxdq, sx_pmovzxdq_end, 'I' },
	{ "pmuldq", sx_pmuldq, sx_pmuldq_end, 'I' },
	{ "pcmpeqq", sx_pcmpeqq, sx_pcmpeqq_end, 'I' },
	{ "packusdw", sx_packusdw, sx_packusdw_end, 'I' },
	{ "pminsb", sx_pminsb, sx_pminsb_end, 'I' },
	{ "pminsd", sx_pminsd, sx_pminsd_end, 'I' },
	{ "pminuw", sx_pminuw, sx_pminuw_end, 'I' },
	{ "pminud", sx_pminud, sx_pminud_end, 'I' },
	{ "pmaxsb", sx_pmaxsb, sx_pmaxsb_end, 'I' },
	{ "pmaxsd", sx_pmaxsd, sx_pmaxsd_end, 'I' },
	{ "pmaxuw", sx_pmaxuw, sx_pmaxuw_end, 'I' },
	{ "pmaxud", sx_pmaxud, sx_pmaxud_end, 'I' },
	{ "pmulld", sx_pmulld, sx_pmulld_end, 'I' },
	{ "phminposuw", sx_phminposuw, sx_phminposuw_end, 'I' },
	{ "ptest", sx_ptest, sx_ptest_end, 'I' },
	{ "roundsd0", sx_roundsd0, sx_roundsd0_end, 'D' },
	{ "roundps0", sx_roundps0, sx_roundps0_end, 'S' },
	{ "roundsd1", sx_roundsd1, sx_roundsd1_end, 'D' },
	{ "roundps1", sx_roundps1, sx_roundps1_end, 'S' },
	{ "roundsd2", sx_roundsd2, sx_roundsd2_end, 'D' },
	{ "roundps2", sx_roundps2, sx_roundps2_end, 'S' },
	{ "roundsd3", sx_roundsd3, sx_roundsd3_end, 'D' },
	{ "roundps3", sx_roundps3, sx_roundps3_end, 'S' },
	{ "roundsd4", sx_roundsd4, sx_roundsd4_end, 'D' },
	{ "roundps4", sx_roundps4, sx_roundps4_end, 'S' },
	{ "roundsd8", sx_roundsd8, sx_roundsd8_end, 'D' },
	{ "roundps8", sx_roundps8, sx_roundps8_end, 'S' },
	{ "roundsd9", sx_roundsd9, sx_roundsd9_end, 'D' },
	{ "roundps9", sx_roundps9, sx_roundps9_end, 'S' },
	{ "roundsd12", sx_roundsd12, sx_roundsd12_end, 'D' },
	{ "roundps12", sx_roundps12, sx_roundps12_end, 'S' },
	{ "roundpd3", sx_roundpd3, sx_roundpd3_end, 'D' },
	{ "roundss6", sx_roundss6, sx_roundss6_end, 'S' },
	{ "blendps5", sx_blendps5, sx_blendps5_end, 'I' },
	{ "blendps10", sx_blendps10, sx_blendps10_end, 'I' },
	{ "blendps15", sx_blendps15, sx_blendps15_end, 'I' },
	{ "blendpd2", sx_blendpd2, sx_blendpd2_end, 'I' },
	{ "pblendw", sx_pblendw, sx_pblendw_end, 'I' },
	{ "pextrb0", sx_pextrb0, sx_pextrb0_end, 'I' },
	{ "pextrb5", sx_pextrb5, sx_pextrb5_end, 'I' },
	{ "pextrb15", sx_pextrb15, sx_pextrb15_end, 'I' },
	{ "pextrw_e", sx_pextrw_e, sx_pextrw_e_end, 'I' },
	{ "pextrd", sx_pextrd, sx_pextrd_end, 'I' },
	{ "pextrq", sx_pextrq, sx_pextrq_end, 'I' },
	{ "extractps", sx_extractps, sx_extractps_end, 'I' },
	{ "pinsrb", sx_pinsrb, sx_pinsrb_end, 'I' },
	{ "pinsrd", sx_pinsrd, sx_pinsrd_end, 'I' },
	{ "pinsrq", sx_pinsrq, sx_pinsrq_end, 'I' },
	{ "insertps0", sx_insertps0, sx_insertps0_end, 'S' },
	{ "insertps4e", sx_insertps4e, sx_insertps4e_end, 'S' },
	{ "insertps9d", sx_insertps9d, sx_insertps9d_end, 'S' },
	{ "insertpsff", sx_insertpsff, sx_insertpsff_end, 'S' },
	{ "dppsff", sx_dppsff, sx_dppsff_end, 'S' },
	{ "dpps71", sx_dpps71, sx_dpps71_end, 'S' },
	{ "dpps3c", sx_dpps3c, sx_dpps3c_end, 'S' },
	{ "dppd33", sx_dppd33, sx_dppd33_end, 'D' },
	{ "dppd12", sx_dppd12, sx_dppd12_end, 'D' },
	{ "dppd21", sx_dppd21, sx_dppd21_end, 'D' },
	{ "mpsadbw0", sx_mpsadbw0, sx_mpsadbw0_end, 'I' },
	{ "mpsadbw5", sx_mpsadbw5, sx_mpsadbw5_end, 'I' },
	{ "mpsadbw7", sx_mpsadbw7, sx_mpsadbw7_end, 'I' },
	{ "pcmpgtq", sx_pcmpgtq, sx_pcmpgtq_end, 'I' },
	{ "pcmpistri0", sx_pcmpistri0, sx_pcmpistri0_end, 'I' },
	{ "pcmpestri0", sx_pcmpestri0, sx_pcmpestri0_end, 'I' },
	{ "pcmpistri4", sx_pcmpistri4, sx_pcmpistri4_end, 'I' },
	{ "pcmpestri4", sx_pcmpestri4, sx_pcmpestri4_end, 'I' },
	{ "pcmpistri8", sx_pcmpistri8, sx_pcmpistri8_end, 'I' },
	{ "pcmpestri8", sx_pcmpestri8, sx_pcmpestri8_end, 'I' },
	{ "pcmpistric", sx_pcmpistric, sx_pcmpistric_end, 'I' },
	{ "pcmpestric", sx_pcmpestric, sx_pcmpestric_end, 'I' },
	{ "pcmpistri1", sx_pcmpistri1, sx_pcmpistri1_end, 'I' },
	{ "pcmpestri1", sx_pcmpestri1, sx_pcmpestri1_end, 'I' },
	{ "pcmpistri1a", sx_pcmpistri1a, sx_pcmpistri1a_end, 'I' },
	{ "pcmpestri1a", sx_pcmpestri1a, sx_pcmpestri1a_end, 'I' },
	{ "pcmpistri3c", sx_pcmpistri3c, sx_pcmpistri3c_end, 'I' },
	{ "pcmpestri3c", sx_pcmpestri3c, sx_pcmpestri3c_end, 'I' },
	{ "pcmpistri40", sx_pcmpistri40, sx_pcmpistri40_end, 'I' },
	{ "pcmpestri40", sx_pcmpestri40, sx_pcmpestri40_end, 'I' },
	{ "pcmpistri4c", sx_pcmpistri4c, sx_pcmpistri4c_end, 'I' },
	{ "pcmpestri4c", sx_pcmpestri4c, sx_pcmpestri4c_end, 'I' },
	{ "pcmpistri42", sx_pcmpistri42, sx_pcmpistri42_end, 'I' },
	{ "pcmpestri42", sx_pcmpestri42, sx_pcmpestri42_end, 'I' },
	{ "pcmpistri10", sx_pcmpistri10, sx_pcmpistri10_end, 'I' },
	{ "pcmpestri10", sx_pcmpestri10, sx_pcmpestri10_end, 'I' },
	{ "pcmpistri30", sx_pcmpistri30, sx_pcmpistri30_end, 'I' },
	{ "pcmpestri30", sx_pcmpestri30, sx_pcmpestri30_end, 'I' },
	{ "pcmpistrid", sx_pcmpistrid, sx_pcmpistrid_end, 'I' },
	{ "pcmpestrid", sx_pcmpestrid, sx_pcmpestrid_end, 'I' },
	{ "pcmpistri45", sx_pcmpistri45, sx_pcmpistri45_end, 'I' },
	{ "pcmpestri45", sx_pcmpestri45, sx_pcmpestri45_end, 'I' },
	{ "pcmpistri9", sx_pcmpistri9, sx_pcmpistri9_end, 'I' },
	{ "pcmpestri9", sx_pcmpestri9, sx_pcmpestri9_end, 'I' },
	{ "pcmpistri38", sx_pcmpistri38, sx_pcmpistri38_end, 'I' },
	{ "pcmpestri38", sx_pcmpestri38, sx_pcmpestri38_end, 'I' },
	{ "pcmpistrm0", sx_pcmpistrm0, sx_pcmpistrm0_end, 'I' },
	{ "pcmpestrm0", sx_pcmpestrm0, sx_pcmpestrm0_end, 'I' },
	{ "pcmpistrm44", sx_pcmpistrm44, sx_pcmpistrm44_end, 'I' },
	{ "pcmpestrm44", sx_pcmpestrm44, sx_pcmpestrm44_end, 'I' },
	{ "pcmpistrmc", sx_pcmpistrmc, sx_pcmpistrmc_end, 'I' },
	{ "pcmpestrmc", sx_pcmpestrmc, sx_pcmpestrmc_end, 'I' },
	{ "pcmpistrm48", sx_pcmpistrm48, sx_pcmpistrm48_end, 'I' },
	{ "pcmpestrm48", sx_pcmpestrm48, sx_pcmpestrm48_end, 'I' },
	{ "pcmpistrm19", sx_pcmpistrm19, sx_pcmpistrm19_end, 'I' },
	{ "pcmpestrm19", sx_pcmpestrm19, sx_pcmpestrm19_end, 'I' },
	{ "pcmpistrm71", sx_pcmpistrm71, sx_pcmpistrm71_end, 'I' },
	{ "pcmpestrm71", sx_pcmpestrm71, sx_pcmpestrm71_end, 'I' },
};

static const uint64_t sx_f64[] = {
	0,
	0x8000000000000000ull,
	0x3ff0000000000000ull,
	0xbff0000000000000ull,
	0x3ff8000000000000ull,
	0x4008000000000000ull,
	0x3fb999999999999aull,
	0x3fd5555555555555ull,
	0x7fe1ccf385ebc8a0ull,
	0xffe1ccf385ebc8a0ull,
	0x0010000000000000ull,
	0x0000000000000001ull,
	0x000fffffffffffffull,
	0x7ff0000000000000ull,
	0xfff0000000000000ull,
	0x7ff8000000000001ull,
	0xfff8000000000123ull,
	0x7ff0000000000042ull,
	0x43e0000000000000ull,
	0xc3e0000000000000ull,
	0x41e0000000100000ull,
	0xc1e0000000100000ull,
	0x4202a05f20000000ull,
	0x01a56e1fc2f8f359ull,
};

static const uint32_t sx_f32[] = {
	0,           0x80000000u, 0x3f800000u, 0xbf800000u, 0x3fc00000u, 0x40400000u,
	0x3dcccccdu, 0x3eaaaaabu, 0x7f7fffffu, 0xff7fffffu, 0x00800000u, 0x00000001u,
	0x007fffffu, 0x7f800000u, 0xff800000u, 0x7fc00001u, 0xffc00123u, 0x7f800042u,
	0x5f000000u, 0xdf000000u, 0x4f000000u, 0xcf000001u, 0x501502f9u, 0x0da24260u,
};

static const uint64_t sx_int[] = {
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
	0x1f,
	0x20,
	0x3f,
	0x80007fff7fff8000ull,
	0x00000000ffffffffull,
	0xc1e0000000100000ull,
	0x3ff8000000000000ull,
	0x4f0000005f000000ull,
	0x7ff0000000000000ull,
};

static const uint32_t sx_mxcsr[] = { 0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9fc0 };

struct sx_state {
	uint64_t x0[2], x1[2];
	uint64_t rax;
	uint32_t mxcsr, pad;
	uint64_t flags;
};

static void sx_host(const struct sx_op *op, struct sx_state *s)
{
	uint32_t host_mxcsr;
	/* (The host MXCSR is saved outside the call sequence: an %rsp-based
	 * operand would move with the stack adjustment.) */
	asm volatile("stmxcsr %0" : "=m"(host_mxcsr));
	asm volatile("sub $128, %%rsp\n\t"
		     "movdqu 0(%[s]), %%xmm0\n\t"
		     "movdqu 16(%[s]), %%xmm1\n\t"
		     "mov 32(%[s]), %%rax\n\t"
		     "ldmxcsr 40(%[s])\n\t"
		     "push 48(%[s])\n\t"
		     "popfq\n\t"
		     "push %[s]\n\t"
		     "call *%[fn]\n\t"
		     "pop %[s]\n\t"
		     "pushfq\n\t"
		     "pop 48(%[s])\n\t"
		     "movdqu %%xmm0, 0(%[s])\n\t"
		     "movdqu %%xmm1, 16(%[s])\n\t"
		     "mov %%rax, 32(%[s])\n\t"
		     "stmxcsr 40(%[s])\n\t"
		     "add $128, %%rsp"
		     :
		     : [s] "r"(s), [fn] "r"(op->code)
		     /* The call may clobber what the ABI lets a callee clobber
		      * (PCMPxSTRx write rcx, read rdx): keep nothing there. */
		     : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm0", "xmm1",
		       "memory", "cc");
	asm volatile("ldmxcsr %0" : : "m"(host_mxcsr));
}

static void sx_inputs(const struct sx_op *op, size_t i, size_t j, struct sx_state *s)
{
	size_t n = SV_ARRAY_SIZE(sx_f64);
	switch (op->type) {
	case 'D':
		s->x0[0] = sx_f64[i];
		s->x0[1] = sx_f64[(i + 7) % n];
		s->x1[0] = sx_f64[j];
		s->x1[1] = sx_f64[(j + 3) % n];
		break;
	case 'S':
		s->x0[0] = sx_f32[i] | (uint64_t)sx_f32[(i + 5) % n] << 32;
		s->x0[1] = sx_f32[(i + 11) % n] | (uint64_t)sx_f32[(i + 17) % n] << 32;
		s->x1[0] = sx_f32[j] | (uint64_t)sx_f32[(j + 3) % n] << 32;
		s->x1[1] = sx_f32[(j + 13) % n] | (uint64_t)sx_f32[(j + 19) % n] << 32;
		break;
	default:
		s->x0[0] = sx_int[i];
		s->x0[1] = sx_int[(i + 7) % n];
		s->x1[0] = sx_int[j];
		s->x1[1] = sx_int[(j + 3) % n];
		break;
	}
	s->rax = sx_int[(i + j) % n] ^ (j & 1 ? 0x8000000000000000ull : 0);
}

Test(x86_diff, sse_matches_the_host_cpu)
{
	static const uint8_t tail[] = { 0x9c, 0x5e, 0x0f, 0x01,
					0xc1 }; /* pushfq; pop %rsi; vmcall */
	struct x86_vm vm;
	unsigned failures = 0, runs = 0, op_fail;
	size_t n = SV_ARRAY_SIZE(sx_f64);

	x86_vm_diff_init(&vm);
	for (size_t k = 0; k < SV_ARRAY_SIZE(sx_ops); k++) {
		const struct sx_op *op = &sx_ops[k];
		uint64_t at = x86_vm_diff_put(&vm, k, 32, op->code, op->end, tail, sizeof(tail));
		op_fail = 0;
		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < n; j++) {
				for (size_t m = 0; m < SV_ARRAY_SIZE(sx_mxcsr); m++) {
					struct sx_state in = { .mxcsr = sx_mxcsr[m],
							       .flags = (i + j + m) & 1 ? 0x8d5 :
											  0 };
					sx_inputs(op, i, j, &in);
					struct sx_state host = in;
					struct cpu_x86 *c = vm.c;
					sx_host(op, &host);
					memcpy(c->fpu.xmm[0].q, in.x0, 16);
					memcpy(c->fpu.xmm[1].q, in.x1, 16);
					c->fpu.mxcsr = in.mxcsr;
					c->regs[X86_RAX] = in.rax;
					x86_vm_diff_run(&vm, at, in.flags, op->name);
					runs++;
					bool bad = memcmp(c->fpu.xmm[0].q, host.x0, 16) != 0 ||
						   memcmp(c->fpu.xmm[1].q, host.x1, 16) != 0 ||
						   c->regs[X86_RAX] != host.rax ||
						   c->fpu.mxcsr != host.mxcsr ||
						   ((c->regs[X86_RSI] ^ host.flags) & 0x8d5) != 0;
					failures += bad;
					if (bad && op_fail++ < 2)
						fprintf(stderr,
							"%s in x0=%016llx:%016llx x1=%016llx:%016llx "
							"rax=%llx mxcsr=%x: emu x0=%016llx:%016llx "
							"rax=%llx mxcsr=%x fl=%llx; host "
							"x0=%016llx:%016llx rax=%llx mxcsr=%x fl=%llx\n",
							op->name, (unsigned long long)in.x0[1],
							(unsigned long long)in.x0[0],
							(unsigned long long)in.x1[1],
							(unsigned long long)in.x1[0],
							(unsigned long long)in.rax, in.mxcsr,
							(unsigned long long)c->fpu.xmm[0].q[1],
							(unsigned long long)c->fpu.xmm[0].q[0],
							(unsigned long long)c->regs[X86_RAX],
							c->fpu.mxcsr,
							(unsigned long long)(c->regs[X86_RSI] &
									     0x8d5),
							(unsigned long long)host.x0[1],
							(unsigned long long)host.x0[0],
							(unsigned long long)host.rax, host.mxcsr,
							(unsigned long long)(host.flags & 0x8d5));
				}
			}
		}
	}
	x86_vm_destroy(&vm);
	cr_assert_eq(failures, 0, "%u of %u runs differ from the host", failures, runs);
}

#else

Test(x86_diff, sse_matches_the_host_cpu)
{
	cr_skip_test("the differential test needs an x86-64 host");
}

#endif
