/*
 * The SSE/SSE2 instructions on XMM registers, as data shared by the decoder
 * (decode_sse.c: which encoding is which operation), the translator
 * (translate_sse.c: operand plumbing) and the helpers (helpers_sse.c:
 * semantics, SDM vol. 2 per instruction; vol. 1 ch. 10-11 for the model).
 *
 * X86_SSE_OPS(X) lists X(name, kind, memory operand):
 *   kind  LD    XMM(reg) = op(XMM(reg), XMM(rm) or memory)
 *         ST    XMM(rm) or memory = op(XMM(reg))
 *         GIN   XMM(reg) = op(XMM(reg), general register or memory value)
 *         GOUT  general register (or memory, MOVD/MOVQ) = op(XMM(rm) or memory)
 *         IRM   XMM(rm) = op(XMM(rm), imm8)       (shift groups 12-14)
 *         CMPF  EFLAGS = compare(XMM(reg), XMM(rm) or memory)  (COMIS/UCOMIS)
 *   memory M16A  16 bytes, 16-byte aligned or #GP(0) (legacy SSE)
 *          M16   16 bytes, any alignment;  M8, M4, M2: that many bytes
 *          MNONE register operand only (a memory form is #UD)
 *
 * MMX forms (rows with XF_MMX, the no-prefix integer opcodes) run the same
 * operations on 64-bit MMX registers, aliased to the x87 significands (SDM
 * vol. 1 9.5): the helper widens an MMX operand to an XMM value with a zero
 * upper half, applies the operation (or the MMX variant where the two
 * differ: PUNPCKH*, PACK*, PSHUFB, PALIGNR, PHADD/PHSUB, PINSRW/PEXTRW) and
 * keeps the low quadword; MMX memory operands are 8 bytes, never aligned.
 *
 * Example: `pcmpeqb (%rdi), %xmm1` is 66 0F 74 /r: row PCMPEQB, kind LD,
 * M16A; the translator passes reg = 1, the linear address of (%rdi) and the
 * mmu index to x86_helper_sse, which checks the alignment, loads 16 bytes
 * with cpu_ld (faults first), then writes XMM1.
 */
#ifndef SV_CPU_X86_SSE_H
#define SV_CPU_X86_SSE_H

#include "cpu/x86/decode.h"
#include "cpu/x86/vmcs.h"

enum x86_sse_kind {
	SSE_LD,
	SSE_ST,
	SSE_GIN,
	SSE_GOUT,
	SSE_IRM,
	SSE_CMPF
};
enum x86_sse_mem {
	M16A,
	M16,
	M8,
	M4,
	M2,
	MNONE
};

/* clang-format off */
#define X86_SSE_OPS(X) \
	/* moves */ \
	X(MOVUPS, SSE_LD, M16) X(MOVUPS_ST, SSE_ST, M16) X(MOVAPS, SSE_LD, M16A) \
	X(MOVAPS_ST, SSE_ST, M16A) X(MOVNT_ST, SSE_ST, M16A) X(MOVSS, SSE_LD, M4) \
	X(MOVSS_ST, SSE_ST, M4) X(MOVSD, SSE_LD, M8) X(MOVSD_ST, SSE_ST, M8) \
	X(MOVLPS, SSE_LD, M8) X(MOVLPD, SSE_LD, M8) X(MOVLPS_ST, SSE_ST, M8) \
	X(MOVHPS, SSE_LD, M8) X(MOVHPD, SSE_LD, M8) X(MOVHPS_ST, SSE_ST, M8) \
	X(MOVQ_LD, SSE_LD, M8) X(MOVQ_ST, SSE_ST, M8) X(MOVD_TOX, SSE_GIN, MNONE) \
	X(MOVD_FROMX, SSE_GOUT, MNONE) X(MASKMOVDQU, SSE_ST, MNONE) X(MOVMSKPS, SSE_GOUT, MNONE) X(MOVMSKPD, SSE_GOUT, MNONE) \
	X(PMOVMSKB, SSE_GOUT, MNONE) X(PEXTRW, SSE_GOUT, MNONE) X(PINSRW, SSE_GIN, MNONE) \
	/* logic and shuffles */ \
	X(PAND, SSE_LD, M16A) X(PANDN, SSE_LD, M16A) X(POR, SSE_LD, M16A) X(PXOR, SSE_LD, M16A) \
	X(PSHUFD, SSE_LD, M16A) X(PSHUFHW, SSE_LD, M16A) X(PSHUFLW, SSE_LD, M16A) \
	X(SHUFPS, SSE_LD, M16A) X(SHUFPD, SSE_LD, M16A) \
	X(UNPCKLPS, SSE_LD, M16A) X(UNPCKHPS, SSE_LD, M16A) \
	X(PUNPCKLBW, SSE_LD, M16A) X(PUNPCKLWD, SSE_LD, M16A) X(PUNPCKLDQ, SSE_LD, M16A) \
	X(PUNPCKLQDQ, SSE_LD, M16A) X(PUNPCKHBW, SSE_LD, M16A) X(PUNPCKHWD, SSE_LD, M16A) \
	X(PUNPCKHDQ, SSE_LD, M16A) X(PUNPCKHQDQ, SSE_LD, M16A) \
	X(PACKSSWB, SSE_LD, M16A) X(PACKUSWB, SSE_LD, M16A) X(PACKSSDW, SSE_LD, M16A) \
	/* integer arithmetic */ \
	X(PADDB, SSE_LD, M16A) X(PADDW, SSE_LD, M16A) X(PADDD, SSE_LD, M16A) X(PADDQ, SSE_LD, M16A) \
	X(PSUBB, SSE_LD, M16A) X(PSUBW, SSE_LD, M16A) X(PSUBD, SSE_LD, M16A) X(PSUBQ, SSE_LD, M16A) \
	X(PADDSB, SSE_LD, M16A) X(PADDSW, SSE_LD, M16A) X(PADDUSB, SSE_LD, M16A) \
	X(PADDUSW, SSE_LD, M16A) X(PSUBSB, SSE_LD, M16A) X(PSUBSW, SSE_LD, M16A) \
	X(PSUBUSB, SSE_LD, M16A) X(PSUBUSW, SSE_LD, M16A) \
	X(PCMPEQB, SSE_LD, M16A) X(PCMPEQW, SSE_LD, M16A) X(PCMPEQD, SSE_LD, M16A) \
	X(PCMPGTB, SSE_LD, M16A) X(PCMPGTW, SSE_LD, M16A) X(PCMPGTD, SSE_LD, M16A) \
	X(PMINUB, SSE_LD, M16A) X(PMAXUB, SSE_LD, M16A) X(PMINSW, SSE_LD, M16A) \
	X(PMAXSW, SSE_LD, M16A) X(PAVGB, SSE_LD, M16A) X(PAVGW, SSE_LD, M16A) \
	X(PMULLW, SSE_LD, M16A) X(PMULHW, SSE_LD, M16A) X(PMULHUW, SSE_LD, M16A) \
	X(PMULUDQ, SSE_LD, M16A) X(PMADDWD, SSE_LD, M16A) X(PSADBW, SSE_LD, M16A) \
	/* shifts by XMM/m128 count, and by imm8 (groups 12-14) */ \
	X(PSRLW, SSE_LD, M16A) X(PSRLD, SSE_LD, M16A) X(PSRLQ, SSE_LD, M16A) \
	X(PSRAW, SSE_LD, M16A) X(PSRAD, SSE_LD, M16A) X(PSLLW, SSE_LD, M16A) \
	X(PSLLD, SSE_LD, M16A) X(PSLLQ, SSE_LD, M16A) \
	X(PSRLW_I, SSE_IRM, MNONE) X(PSRLD_I, SSE_IRM, MNONE) X(PSRLQ_I, SSE_IRM, MNONE) \
	X(PSRAW_I, SSE_IRM, MNONE) X(PSRAD_I, SSE_IRM, MNONE) X(PSLLW_I, SSE_IRM, MNONE) \
	X(PSLLD_I, SSE_IRM, MNONE) X(PSLLQ_I, SSE_IRM, MNONE) X(PSRLDQ_I, SSE_IRM, MNONE) \
	X(PSLLDQ_I, SSE_IRM, MNONE) \
	/* floating point: packed single/double, scalar single/double */ \
	X(ANDPS, SSE_LD, M16A) X(ANDNPS, SSE_LD, M16A) X(ORPS, SSE_LD, M16A) X(XORPS, SSE_LD, M16A) \
	X(ADDPS, SSE_LD, M16A) X(ADDPD, SSE_LD, M16A) X(ADDSS, SSE_LD, M4) X(ADDSD, SSE_LD, M8) \
	X(SUBPS, SSE_LD, M16A) X(SUBPD, SSE_LD, M16A) X(SUBSS, SSE_LD, M4) X(SUBSD, SSE_LD, M8) \
	X(MULPS, SSE_LD, M16A) X(MULPD, SSE_LD, M16A) X(MULSS, SSE_LD, M4) X(MULSD, SSE_LD, M8) \
	X(DIVPS, SSE_LD, M16A) X(DIVPD, SSE_LD, M16A) X(DIVSS, SSE_LD, M4) X(DIVSD, SSE_LD, M8) \
	X(MINPS, SSE_LD, M16A) X(MINPD, SSE_LD, M16A) X(MINSS, SSE_LD, M4) X(MINSD, SSE_LD, M8) \
	X(MAXPS, SSE_LD, M16A) X(MAXPD, SSE_LD, M16A) X(MAXSS, SSE_LD, M4) X(MAXSD, SSE_LD, M8) \
	X(SQRTPS, SSE_LD, M16A) X(SQRTPD, SSE_LD, M16A) X(SQRTSS, SSE_LD, M4) X(SQRTSD, SSE_LD, M8) \
	X(CMPPS, SSE_LD, M16A) X(CMPPD, SSE_LD, M16A) X(CMPSS, SSE_LD, M4) X(CMPSD, SSE_LD, M8) \
	X(UCOMISS, SSE_CMPF, M4) X(UCOMISD, SSE_CMPF, M8) X(COMISS, SSE_CMPF, M4) \
	X(COMISD, SSE_CMPF, M8) \
	/* conversions */ \
	X(CVTSI2SS, SSE_GIN, MNONE) X(CVTSI2SD, SSE_GIN, MNONE) X(CVTTSS2SI, SSE_GOUT, M4) \
	X(CVTTSD2SI, SSE_GOUT, M8) X(CVTSS2SI, SSE_GOUT, M4) X(CVTSD2SI, SSE_GOUT, M8) \
	X(CVTSS2SD, SSE_LD, M4) X(CVTSD2SS, SSE_LD, M8) X(CVTPS2PD, SSE_LD, M8) \
	X(CVTPD2PS, SSE_LD, M16A) X(CVTDQ2PS, SSE_LD, M16A) X(CVTPS2DQ, SSE_LD, M16A) \
	X(CVTTPS2DQ, SSE_LD, M16A) X(CVTDQ2PD, SSE_LD, M8) X(CVTPD2DQ, SSE_LD, M16A) \
	X(CVTTPD2DQ, SSE_LD, M16A) \
	/* SSE3 */ \
	X(MOVDDUP, SSE_LD, M8) X(MOVSLDUP, SSE_LD, M16A) X(MOVSHDUP, SSE_LD, M16A) \
	X(LDDQU, SSE_LD, M16) X(ADDSUBPS, SSE_LD, M16A) X(ADDSUBPD, SSE_LD, M16A) \
	X(HADDPS, SSE_LD, M16A) X(HADDPD, SSE_LD, M16A) X(HSUBPS, SSE_LD, M16A) \
	X(HSUBPD, SSE_LD, M16A) \
	/* SSSE3 */ \
	X(PSHUFB, SSE_LD, M16A) X(PHADDW, SSE_LD, M16A) X(PHADDD, SSE_LD, M16A) \
	X(PHADDSW, SSE_LD, M16A) X(PMADDUBSW, SSE_LD, M16A) X(PHSUBW, SSE_LD, M16A) \
	X(PHSUBD, SSE_LD, M16A) X(PHSUBSW, SSE_LD, M16A) X(PSIGNB, SSE_LD, M16A) \
	X(PSIGNW, SSE_LD, M16A) X(PSIGND, SSE_LD, M16A) X(PMULHRSW, SSE_LD, M16A) \
	X(PABSB, SSE_LD, M16A) X(PABSW, SSE_LD, M16A) X(PABSD, SSE_LD, M16A) \
	X(PALIGNR, SSE_LD, M16A) \
	/* SSE4.1 */ \
	X(PBLENDVB, SSE_LD, M16A) X(BLENDVPS, SSE_LD, M16A) X(BLENDVPD, SSE_LD, M16A) \
	X(PTEST, SSE_CMPF, M16A) X(PMOVSXBW, SSE_LD, M8) X(PMOVSXBD, SSE_LD, M4) \
	X(PMOVSXBQ, SSE_LD, M2) X(PMOVSXWD, SSE_LD, M8) X(PMOVSXWQ, SSE_LD, M4) \
	X(PMOVSXDQ, SSE_LD, M8) X(PMOVZXBW, SSE_LD, M8) X(PMOVZXBD, SSE_LD, M4) \
	X(PMOVZXBQ, SSE_LD, M2) X(PMOVZXWD, SSE_LD, M8) X(PMOVZXWQ, SSE_LD, M4) \
	X(PMOVZXDQ, SSE_LD, M8) X(PMULDQ, SSE_LD, M16A) X(PCMPEQQ, SSE_LD, M16A) \
	X(MOVNTDQA, SSE_LD, M16A) X(PACKUSDW, SSE_LD, M16A) X(PMINSB, SSE_LD, M16A) \
	X(PMINSD, SSE_LD, M16A) X(PMINUW, SSE_LD, M16A) X(PMINUD, SSE_LD, M16A) \
	X(PMAXSB, SSE_LD, M16A) X(PMAXSD, SSE_LD, M16A) X(PMAXUW, SSE_LD, M16A) \
	X(PMAXUD, SSE_LD, M16A) X(PMULLD, SSE_LD, M16A) X(PHMINPOSUW, SSE_LD, M16A) \
	X(ROUNDPS, SSE_LD, M16A) X(ROUNDPD, SSE_LD, M16A) X(ROUNDSS, SSE_LD, M4) \
	X(ROUNDSD, SSE_LD, M8) X(BLENDPS, SSE_LD, M16A) X(BLENDPD, SSE_LD, M16A) \
	X(PBLENDW, SSE_LD, M16A) X(PEXTRB, SSE_GOUT, MNONE) X(PEXTRW_E, SSE_GOUT, MNONE) \
	X(PEXTRD, SSE_GOUT, MNONE) X(EXTRACTPS, SSE_GOUT, MNONE) X(PINSRB, SSE_GIN, MNONE) \
	X(INSERTPS, SSE_LD, M4) X(PINSRD, SSE_GIN, MNONE) X(DPPS, SSE_LD, M16A) \
	X(DPPD, SSE_LD, M16A) X(MPSADBW, SSE_LD, M16A) \
	/* SSE4.2 (CRC32 is an integer instruction: translate.c) */ \
	X(PCMPGTQ, SSE_LD, M16A) X(PCMPESTRM, SSE_LD, M16) X(PCMPESTRI, SSE_LD, M16) \
	X(PCMPISTRM, SSE_LD, M16) X(PCMPISTRI, SSE_LD, M16) \
	/* AES-NI, PCLMULQDQ (aes.c) */ \
	X(AESENC, SSE_LD, M16A) X(AESENCLAST, SSE_LD, M16A) X(AESDEC, SSE_LD, M16A) \
	X(AESDECLAST, SSE_LD, M16A) X(AESIMC, SSE_LD, M16A) X(AESKEYGENASSIST, SSE_LD, M16A) \
	X(PCLMULQDQ, SSE_LD, M16A) \
	/* MMX-only and MMX/XMM conversions (rows flagged XF_MMX) */ \
	X(EMMS, SSE_LD, MNONE) X(MOVQ2DQ, SSE_LD, MNONE) X(MOVDQ2Q, SSE_LD, MNONE) \
	X(CVTPI2PS, SSE_LD, M8) X(CVTPI2PD, SSE_LD, M8) X(CVTPS2PI, SSE_LD, M8) \
	X(CVTTPS2PI, SSE_LD, M8) X(CVTPD2PI, SSE_LD, M16A) X(CVTTPD2PI, SSE_LD, M16A)
/* clang-format on */

enum x86_sse_op {
#define X86_SSE_ENUM(name, kind, mem) X86_SSE_##name,
	X86_SSE_OPS(X86_SSE_ENUM)
#undef X86_SSE_ENUM
	X86_SSE_NUM_OPS
};

struct x86_sse_info {
	uint8_t kind, mem;
	const char *name;
};
extern const struct x86_sse_info x86_sse_info[X86_SSE_NUM_OPS];

/* The SSE row for the 0F / 0F 38 / 0F 3A opcode in `in` (mandatory prefix taken from
 * in->p66/rep/repne; shift groups peek at ModRM.reg), or NULL. */
const struct x86_op_row *x86_sse_lookup(struct translator *tr, struct x86_insn *in);

#endif
