/*
 * SSE/SSE2 semantics on the XMM registers (SDM vol. 1 ch. 10-11; vol. 2 per
 * instruction). One entry point, x86_helper_sse: it fetches the operands
 * (memory first, so a fault leaves the state alone), computes the result
 * into a temporary, then commits it - or raises #XM/#UD for an unmasked
 * SIMD floating-point exception, leaving the destination unchanged.
 *
 * Floating point runs on the host's IEEE binary32/binary64 arithmetic:
 * - Rounding: MXCSR.RC is installed with fesetround() around each
 *   operation (operands and results go through volatile objects so the
 *   compiler cannot move the arithmetic across the mode change).
 * - Flags: the host's exception flags (fetestexcept) give IE ZE OE UE PE;
 *   DE (denormal operand) is computed from the inputs. Tininess is as the
 *   host detects it (after rounding on x86 hosts, as on Intel; AArch64 also
 *   detects after rounding).
 * - DAZ and FTZ are done in software; NaN results follow the SDM (table
 *   4-7: the first NaN operand, quietened; the default NaN is negative), not
 *   the host, so AArch64 hosts give the same bits.
 *
 * Example: `addsd %xmm1, %xmm0` with MXCSR.RC = round-down computes
 * xmm0.lo = xmm0.lo + xmm1.lo under FE_DOWNWARD, sets MXCSR.PE if inexact and
 * leaves xmm0.hi alone.
 */
#include <fenv.h>
#include <math.h>

#include "cpu/x86/helpers.h"
#include "cpu/ir.h"
#include "cpu/x86/sse.h"

#define MX_IE 0x01u
#define MX_DE 0x02u
#define MX_ZE 0x04u
#define MX_OE 0x08u
#define MX_UE 0x10u
#define MX_PE 0x20u
#define MX_DAZ 0x40u
#define MX_FTZ 0x8000u

static inline struct cpu_x86 *X(struct cpu *cpu)
{
	return cpu_x86_of(cpu);
}

/* ---- operands -------------------------------------------------------------- */

static union x86_xmm x86_sse_load(struct cpu_x86 *c, unsigned memk, uint64_t la, unsigned idx)
{
	union x86_xmm v = { .q = { 0, 0 } };
	struct cpu *cpu = &c->cpu;
	switch (memk) {
	case M16A:
		if (la & 15) /* SDM 11.4.4.? legacy SSE: 16-byte operands aligned, #GP(0) */
			cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
		/* fall through */
	case M16:
		v.q[0] = cpu_ld(cpu, la, IR_MO_64, idx);
		v.q[1] = cpu_ld(cpu, x86_la_add(c, la, 8), IR_MO_64, idx);
		break;
	case M8: v.q[0] = cpu_ld(cpu, la, IR_MO_64, idx); break;
	case M4: v.d[0] = (uint32_t)cpu_ld(cpu, la, IR_MO_32, idx); break;
	case M2: v.w[0] = (uint16_t)cpu_ld(cpu, la, IR_MO_16, idx); break;
	default: break;
	}
	return v;
}

static void x86_sse_store(struct cpu_x86 *c, unsigned memk, uint64_t la, unsigned idx,
			  const union x86_xmm *v)
{
	struct cpu *cpu = &c->cpu;
	switch (memk) {
	case M16A:
		if (la & 15)
			cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
		/* fall through */
	case M16:
		/* Probe the second half first: a fault must not leave half a store. */
		cpu_st(cpu, x86_la_add(c, la, 8), IR_MO_64, idx, v->q[1]);
		cpu_st(cpu, la, IR_MO_64, idx, v->q[0]);
		break;
	case M8: cpu_st(cpu, la, IR_MO_64, idx, v->q[0]); break;
	case M4: cpu_st(cpu, la, IR_MO_32, idx, v->d[0]); break;
	default: break;
	}
}

/* ---- integer helpers ----------------------------------------------------------- */

static int64_t x86_sat(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static union x86_xmm x86_shuffle32(const union x86_xmm *s, unsigned imm)
{
	union x86_xmm r;
	for (unsigned i = 0; i < 4; i++)
		r.d[i] = s->d[(imm >> (2 * i)) & 3];
	return r;
}

/* Shift by a count (SDM PSLLW etc.: counts above the element width give 0,
 * or the sign for arithmetic right shifts). right: 0 left, 1 logical, 2 arith. */
static void x86_pshift(union x86_xmm *d, unsigned esize, uint64_t count, unsigned right)
{
	unsigned bits = 8 * esize;
	for (unsigned i = 0; i < 16 / esize; i++) {
		uint64_t v = 0;
		memcpy(&v, d->b + i * esize, esize);
		if (right == 2) {
			int64_t sv = (int64_t)sv_sext(v, bits);
			v = (uint64_t)(sv >> (count >= bits ? bits - 1 : count));
		} else if (count >= bits) {
			v = 0;
		} else {
			v = right ? v >> count : v << count;
		}
		memcpy(d->b + i * esize, &v, esize);
	}
}

static void x86_byteshift(union x86_xmm *d, unsigned n, bool right)
{
	uint8_t t[16] = { 0 };
	if (n > 16)
		n = 16;
	for (unsigned i = 0; i < 16; i++) {
		int j = right ? (int)i + (int)n : (int)i - (int)n;
		if (j >= 0 && j < 16)
			t[i] = d->b[j];
	}
	memcpy(d->b, t, 16);
}

static void x86_unpack(union x86_xmm *d, const union x86_xmm *s, unsigned esize, bool high)
{
	union x86_xmm r;
	unsigned n = 8 / esize, off = high ? 8 : 0;
	for (unsigned i = 0; i < n; i++) {
		memcpy(r.b + 2 * i * esize, d->b + off + i * esize, esize);
		memcpy(r.b + (2 * i + 1) * esize, s->b + off + i * esize, esize);
	}
	*d = r;
}

/* Element-wise integer operations. */
static bool x86_sse_int(unsigned op, union x86_xmm *d, const union x86_xmm *s)
{
	union x86_xmm r = *d;
	unsigned i;
	switch (op) {
	case X86_SSE_PADDB:
		for (i = 0; i < 16; i++)
			r.b[i] = (uint8_t)(d->b[i] + s->b[i]);
		break;
	case X86_SSE_PADDW:
		for (i = 0; i < 8; i++)
			r.w[i] = (uint16_t)(d->w[i] + s->w[i]);
		break;
	case X86_SSE_PADDD:
		for (i = 0; i < 4; i++)
			r.d[i] = d->d[i] + s->d[i];
		break;
	case X86_SSE_PADDQ:
		for (i = 0; i < 2; i++)
			r.q[i] = d->q[i] + s->q[i];
		break;
	case X86_SSE_PSUBB:
		for (i = 0; i < 16; i++)
			r.b[i] = (uint8_t)(d->b[i] - s->b[i]);
		break;
	case X86_SSE_PSUBW:
		for (i = 0; i < 8; i++)
			r.w[i] = (uint16_t)(d->w[i] - s->w[i]);
		break;
	case X86_SSE_PSUBD:
		for (i = 0; i < 4; i++)
			r.d[i] = d->d[i] - s->d[i];
		break;
	case X86_SSE_PSUBQ:
		for (i = 0; i < 2; i++)
			r.q[i] = d->q[i] - s->q[i];
		break;
	case X86_SSE_PADDSB:
	case X86_SSE_PSUBSB:
		for (i = 0; i < 16; i++) {
			int v = (int8_t)d->b[i] + (op == X86_SSE_PADDSB ? 1 : -1) * (int8_t)s->b[i];
			r.b[i] = (uint8_t)x86_sat(v, -128, 127);
		}
		break;
	case X86_SSE_PADDSW:
	case X86_SSE_PSUBSW:
		for (i = 0; i < 8; i++) {
			int v = (int16_t)d->w[i] +
				(op == X86_SSE_PADDSW ? 1 : -1) * (int16_t)s->w[i];
			r.w[i] = (uint16_t)x86_sat(v, -32768, 32767);
		}
		break;
	case X86_SSE_PADDUSB:
	case X86_SSE_PSUBUSB:
		for (i = 0; i < 16; i++) {
			int v = d->b[i] + (op == X86_SSE_PADDUSB ? 1 : -1) * s->b[i];
			r.b[i] = (uint8_t)x86_sat(v, 0, 255);
		}
		break;
	case X86_SSE_PADDUSW:
	case X86_SSE_PSUBUSW:
		for (i = 0; i < 8; i++) {
			int v = d->w[i] + (op == X86_SSE_PADDUSW ? 1 : -1) * s->w[i];
			r.w[i] = (uint16_t)x86_sat(v, 0, 65535);
		}
		break;
	case X86_SSE_PCMPEQB:
	case X86_SSE_PCMPGTB:
		for (i = 0; i < 16; i++)
			r.b[i] = (op == X86_SSE_PCMPEQB ? d->b[i] == s->b[i] :
							  (int8_t)d->b[i] > (int8_t)s->b[i]) ?
					 0xff :
					 0;
		break;
	case X86_SSE_PCMPEQW:
	case X86_SSE_PCMPGTW:
		for (i = 0; i < 8; i++)
			r.w[i] = (op == X86_SSE_PCMPEQW ? d->w[i] == s->w[i] :
							  (int16_t)d->w[i] > (int16_t)s->w[i]) ?
					 0xffff :
					 0;
		break;
	case X86_SSE_PCMPEQD:
	case X86_SSE_PCMPGTD:
		for (i = 0; i < 4; i++)
			r.d[i] = (op == X86_SSE_PCMPEQD ? d->d[i] == s->d[i] :
							  (int32_t)d->d[i] > (int32_t)s->d[i]) ?
					 0xffffffffu :
					 0;
		break;
	case X86_SSE_PMINUB:
	case X86_SSE_PMAXUB:
		for (i = 0; i < 16; i++)
			r.b[i] = (op == X86_SSE_PMINUB) == (d->b[i] < s->b[i]) ? d->b[i] : s->b[i];
		break;
	case X86_SSE_PMINSW:
	case X86_SSE_PMAXSW:
		for (i = 0; i < 8; i++)
			r.w[i] = (op == X86_SSE_PMINSW) == ((int16_t)d->w[i] < (int16_t)s->w[i]) ?
					 d->w[i] :
					 s->w[i];
		break;
	case X86_SSE_PAVGB:
		for (i = 0; i < 16; i++)
			r.b[i] = (uint8_t)((d->b[i] + s->b[i] + 1) >> 1);
		break;
	case X86_SSE_PAVGW:
		for (i = 0; i < 8; i++)
			r.w[i] = (uint16_t)((d->w[i] + s->w[i] + 1) >> 1);
		break;
	case X86_SSE_PMULLW:
	case X86_SSE_PMULHW:
		for (i = 0; i < 8; i++) {
			int32_t p = (int16_t)d->w[i] * (int16_t)s->w[i];
			r.w[i] = (uint16_t)(op == X86_SSE_PMULLW ? p : p >> 16);
		}
		break;
	case X86_SSE_PMULHUW:
		for (i = 0; i < 8; i++)
			r.w[i] = (uint16_t)(((uint32_t)d->w[i] * s->w[i]) >> 16);
		break;
	case X86_SSE_PMULUDQ:
		for (i = 0; i < 2; i++)
			r.q[i] = (uint64_t)d->d[2 * i] * s->d[2 * i];
		break;
	case X86_SSE_PMADDWD:
		for (i = 0; i < 4; i++)
			r.d[i] = (uint32_t)((int32_t)(int16_t)d->w[2 * i] * (int16_t)s->w[2 * i] +
					    (int32_t)(int16_t)d->w[2 * i + 1] *
						    (int16_t)s->w[2 * i + 1]);
		break;
	case X86_SSE_PSADBW:
		for (i = 0; i < 2; i++) {
			uint64_t sum = 0;
			for (unsigned k = 0; k < 8; k++) {
				int a = d->b[8 * i + k], b = s->b[8 * i + k];
				sum += (uint64_t)(a > b ? a - b : b - a);
			}
			r.q[i] = sum;
		}
		break;
	default: return false;
	}
	*d = r;
	return true;
}

/* Logic, shuffles, unpacks, packs and shifts by an XMM count. */
static bool x86_sse_perm(unsigned op, union x86_xmm *d, const union x86_xmm *s, unsigned imm)
{
	union x86_xmm r = *d;
	unsigned i;
	switch (op) {
	case X86_SSE_PAND:
	case X86_SSE_ANDPS:
		for (i = 0; i < 2; i++)
			r.q[i] = d->q[i] & s->q[i];
		break;
	case X86_SSE_PANDN:
	case X86_SSE_ANDNPS:
		for (i = 0; i < 2; i++)
			r.q[i] = ~d->q[i] & s->q[i];
		break;
	case X86_SSE_POR:
	case X86_SSE_ORPS:
		for (i = 0; i < 2; i++)
			r.q[i] = d->q[i] | s->q[i];
		break;
	case X86_SSE_PXOR:
	case X86_SSE_XORPS:
		for (i = 0; i < 2; i++)
			r.q[i] = d->q[i] ^ s->q[i];
		break;
	case X86_SSE_PSHUFD: r = x86_shuffle32(s, imm); break;
	case X86_SSE_PSHUFLW:
	case X86_SSE_PSHUFHW: {
		unsigned base = op == X86_SSE_PSHUFHW ? 4 : 0;
		r = *s;
		for (i = 0; i < 4; i++)
			r.w[base + i] = s->w[base + ((imm >> (2 * i)) & 3)];
		break;
	}
	case X86_SSE_SHUFPS:
		r.d[0] = d->d[imm & 3];
		r.d[1] = d->d[(imm >> 2) & 3];
		r.d[2] = s->d[(imm >> 4) & 3];
		r.d[3] = s->d[(imm >> 6) & 3];
		break;
	case X86_SSE_SHUFPD:
		r.q[0] = d->q[imm & 1];
		r.q[1] = s->q[(imm >> 1) & 1];
		break;
	case X86_SSE_UNPCKLPS:
	case X86_SSE_PUNPCKLDQ: x86_unpack(&r, s, 4, false); break;
	case X86_SSE_UNPCKHPS:
	case X86_SSE_PUNPCKHDQ: x86_unpack(&r, s, 4, true); break;
	case X86_SSE_PUNPCKLBW: x86_unpack(&r, s, 1, false); break;
	case X86_SSE_PUNPCKHBW: x86_unpack(&r, s, 1, true); break;
	case X86_SSE_PUNPCKLWD: x86_unpack(&r, s, 2, false); break;
	case X86_SSE_PUNPCKHWD: x86_unpack(&r, s, 2, true); break;
	case X86_SSE_PUNPCKLQDQ: x86_unpack(&r, s, 8, false); break;
	case X86_SSE_PUNPCKHQDQ: x86_unpack(&r, s, 8, true); break;
	case X86_SSE_PACKSSWB:
	case X86_SSE_PACKUSWB:
		for (i = 0; i < 16; i++) {
			int v = (int16_t)(i < 8 ? d->w[i] : s->w[i - 8]);
			r.b[i] = (uint8_t)(op == X86_SSE_PACKSSWB ? x86_sat(v, -128, 127) :
								    x86_sat(v, 0, 255));
		}
		break;
	case X86_SSE_PACKSSDW:
		for (i = 0; i < 8; i++)
			r.w[i] = (uint16_t)x86_sat((int32_t)(i < 4 ? d->d[i] : s->d[i - 4]), -32768,
						   32767);
		break;
	case X86_SSE_PSRLW: x86_pshift(&r, 2, s->q[0], 1); break;
	case X86_SSE_PSRLD: x86_pshift(&r, 4, s->q[0], 1); break;
	case X86_SSE_PSRLQ: x86_pshift(&r, 8, s->q[0], 1); break;
	case X86_SSE_PSRAW: x86_pshift(&r, 2, s->q[0], 2); break;
	case X86_SSE_PSRAD: x86_pshift(&r, 4, s->q[0], 2); break;
	case X86_SSE_PSLLW: x86_pshift(&r, 2, s->q[0], 0); break;
	case X86_SSE_PSLLD: x86_pshift(&r, 4, s->q[0], 0); break;
	case X86_SSE_PSLLQ: x86_pshift(&r, 8, s->q[0], 0); break;
	case X86_SSE_PSRLW_I: x86_pshift(&r, 2, imm, 1); break;
	case X86_SSE_PSRLD_I: x86_pshift(&r, 4, imm, 1); break;
	case X86_SSE_PSRLQ_I: x86_pshift(&r, 8, imm, 1); break;
	case X86_SSE_PSRAW_I: x86_pshift(&r, 2, imm, 2); break;
	case X86_SSE_PSRAD_I: x86_pshift(&r, 4, imm, 2); break;
	case X86_SSE_PSLLW_I: x86_pshift(&r, 2, imm, 0); break;
	case X86_SSE_PSLLD_I: x86_pshift(&r, 4, imm, 0); break;
	case X86_SSE_PSLLQ_I: x86_pshift(&r, 8, imm, 0); break;
	case X86_SSE_PSRLDQ_I: x86_byteshift(&r, imm, true); break;
	case X86_SSE_PSLLDQ_I: x86_byteshift(&r, imm, false); break;
	default: return false;
	}
	*d = r;
	return true;
}

/* Moves into XMM(reg) (SDM MOVSS/MOVSD/MOVLPS/MOVHPS/MOVQ: what the upper
 * parts become depends on register vs memory source). */
static bool x86_sse_move(unsigned op, union x86_xmm *d, const union x86_xmm *s, bool mem)
{
	switch (op) {
	case X86_SSE_MOVUPS:
	case X86_SSE_MOVAPS: *d = *s; return true;
	case X86_SSE_MOVSS:
		if (mem)
			*d = (union x86_xmm){ .d = { s->d[0], 0, 0, 0 } };
		else
			d->d[0] = s->d[0];
		return true;
	case X86_SSE_MOVSD:
		if (mem)
			*d = (union x86_xmm){ .q = { s->q[0], 0 } };
		else
			d->q[0] = s->q[0];
		return true;
	case X86_SSE_MOVLPS: d->q[0] = mem ? s->q[0] : s->q[1]; return true; /* reg: MOVHLPS */
	case X86_SSE_MOVLPD: d->q[0] = s->q[0]; return true;
	case X86_SSE_MOVHPS:
	case X86_SSE_MOVHPD: d->q[1] = s->q[0]; return true; /* reg: MOVLHPS */
	case X86_SSE_MOVQ_LD: *d = (union x86_xmm){ .q = { s->q[0], 0 } }; return true;
	case X86_SSE_LDDQU: *d = *s; return true;
	case X86_SSE_MOVDDUP: *d = (union x86_xmm){ .q = { s->q[0], s->q[0] } }; return true;
	case X86_SSE_MOVSLDUP:
		*d = (union x86_xmm){ .d = { s->d[0], s->d[0], s->d[2], s->d[2] } };
		return true;
	case X86_SSE_MOVSHDUP:
		*d = (union x86_xmm){ .d = { s->d[1], s->d[1], s->d[3], s->d[3] } };
		return true;
	default: return false;
	}
}

/* Values that leave through a general register (GOUT). */
static uint64_t x86_sse_gout(unsigned op, const union x86_xmm *s, const union x86_xmm *regx,
			     unsigned imm, unsigned osz)
{
	uint64_t r = 0;
	switch (op) {
	case X86_SSE_MOVD_FROMX: return osz == 3 ? regx->q[0] : regx->d[0];
	case X86_SSE_MOVMSKPS:
		for (unsigned i = 0; i < 4; i++)
			r |= (uint64_t)(s->d[i] >> 31) << i;
		return r;
	case X86_SSE_MOVMSKPD: return (s->q[0] >> 63) | ((s->q[1] >> 63) << 1);
	case X86_SSE_PMOVMSKB:
		for (unsigned i = 0; i < 16; i++)
			r |= (uint64_t)(s->b[i] >> 7) << i;
		return r;
	case X86_SSE_PEXTRW: return s->w[imm & 7];
	case X86_SSE_PEXTRB: return regx->b[imm & 15];
	case X86_SSE_PEXTRW_E: return regx->w[imm & 7];
	case X86_SSE_PEXTRD: return osz == 3 ? regx->q[imm & 1] : regx->d[imm & 3];
	case X86_SSE_EXTRACTPS: return regx->d[imm & 3];
	default: return 0;
	}
}

/* ---- floating point ------------------------------------------------------------ */

struct x86_fpctx {
	struct cpu_x86 *c;
	uint32_t flags; /* MXCSR exception flags raised by this instruction */
	bool daz, ftz;
};

static const int x86_fe_round[4] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };

static void x86_fp_begin(struct x86_fpctx *fp, struct cpu_x86 *c)
{
	fp->c = c;
	fp->flags = 0;
	fp->daz = c->fpu.mxcsr & MX_DAZ;
	fp->ftz = c->fpu.mxcsr & MX_FTZ;
	fesetround(x86_fe_round[(c->fpu.mxcsr >> 13) & 3]);
	feclearexcept(FE_ALL_EXCEPT);
}

static void x86_fp_collect(struct x86_fpctx *fp)
{
	int e = fetestexcept(FE_ALL_EXCEPT);
	fp->flags |= ((e & FE_INVALID) ? MX_IE : 0) | ((e & FE_DIVBYZERO) ? MX_ZE : 0) |
		     ((e & FE_OVERFLOW) ? MX_OE : 0) | ((e & FE_UNDERFLOW) ? MX_UE : 0) |
		     ((e & FE_INEXACT) ? MX_PE : 0);
	feclearexcept(FE_ALL_EXCEPT);
}

/* Restore the host mode; record the flags; unmasked exceptions fault
 * (SDM 11.5.1: #XM with CR4.OSXMMEXCPT, else #UD) before the commit. */
static void x86_fp_end(struct x86_fpctx *fp)
{
	struct cpu_x86 *c = fp->c;
	x86_fp_collect(fp);
	fesetround(FE_TONEAREST);
	c->fpu.mxcsr |= fp->flags;
	uint32_t unmasked = fp->flags & ~(c->fpu.mxcsr >> 7) & 0x3f;
	if (unmasked)
		cpu_x86_raise_exception(c, (c->cr4 & X86_CR4_OSXMMEXCPT) ? X86_EXC_XM : X86_EXC_UD,
					false, 0);
}

/* Binary64 and binary32 as bit patterns. */
#define F64_QUIET (1ull << 51)
#define F64_DEFAULT_NAN 0xfff8000000000000ull
#define F32_QUIET (1u << 22)
#define F32_DEFAULT_NAN 0xffc00000u

static bool f64_isnan(uint64_t v)
{
	return (v & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}
static bool f64_issnan(uint64_t v)
{
	return f64_isnan(v) && !(v & F64_QUIET);
}
static bool f64_isdenorm(uint64_t v)
{
	return !(v & 0x7ff0000000000000ull) && (v & 0xfffffffffffffull);
}
static bool f32_isnan(uint32_t v)
{
	return (v & 0x7fffffffu) > 0x7f800000u;
}
static bool f32_issnan(uint32_t v)
{
	return f32_isnan(v) && !(v & F32_QUIET);
}
static bool f32_isdenorm(uint32_t v)
{
	return !(v & 0x7f800000u) && (v & 0x7fffffu);
}

static double f64_of(uint64_t v)
{
	double d;
	memcpy(&d, &v, 8);
	return d;
}
static uint64_t f64_bits(double d)
{
	uint64_t v;
	memcpy(&v, &d, 8);
	return v;
}
static float f32_of(uint32_t v)
{
	float f;
	memcpy(&f, &v, 4);
	return f;
}
static uint32_t f32_bits(float f)
{
	uint32_t v;
	memcpy(&v, &f, 4);
	return v;
}

/* Input screening: DAZ, DE. */
static uint64_t f64_in(struct x86_fpctx *fp, uint64_t v)
{
	if (f64_isdenorm(v)) {
		if (fp->daz)
			return v & (1ull << 63);
		fp->flags |= MX_DE;
	}
	return v;
}
static uint32_t f32_in(struct x86_fpctx *fp, uint32_t v)
{
	if (f32_isdenorm(v)) {
		if (fp->daz)
			return v & (1u << 31);
		fp->flags |= MX_DE;
	}
	return v;
}

/* DAZ alone (no DE): MIN/MAX select an operand as it was flushed. */
static uint64_t f64_daz(struct x86_fpctx *fp, uint64_t v)
{
	return fp->daz && f64_isdenorm(v) ? v & (1ull << 63) : v;
}
static uint32_t f32_daz(struct x86_fpctx *fp, uint32_t v)
{
	return fp->daz && f32_isdenorm(v) ? v & (1u << 31) : v;
}

/* SDM 11.5.2 exception priority within one element: an invalid operation
 * or a division by zero hides the denormal-operand exception of the same
 * element (not of another one). fp->flags holds this element's flags
 * only; before, those of the elements already done. */
static void x86_fp_lane_priority(struct x86_fpctx *fp, uint32_t before)
{
	if ((fp->flags & (MX_IE | MX_ZE)) && (fp->flags & MX_DE))
		fp->flags &= ~MX_DE;
	fp->flags |= before;
}

/* Output: FTZ (SDM 10.2.3.3: only with underflow masked). */
static uint64_t f64_out(struct x86_fpctx *fp, uint64_t r)
{
	x86_fp_collect(fp);
	if (fp->ftz && f64_isdenorm(r) && (fp->c->fpu.mxcsr & (MX_UE << 7))) {
		fp->flags |= MX_UE | MX_PE;
		return r & (1ull << 63);
	}
	return r;
}
static uint32_t f32_out(struct x86_fpctx *fp, uint32_t r)
{
	x86_fp_collect(fp);
	if (fp->ftz && f32_isdenorm(r) && (fp->c->fpu.mxcsr & (MX_UE << 7))) {
		fp->flags |= MX_UE | MX_PE;
		return r & (1u << 31);
	}
	return r;
}

enum {
	FOP_ADD,
	FOP_SUB,
	FOP_MUL,
	FOP_DIV,
	FOP_MIN,
	FOP_MAX,
	FOP_SQRT
};

static uint64_t f64_op(struct x86_fpctx *fp, unsigned fop, uint64_t a, uint64_t b)
{
	if (fop == FOP_MIN || fop == FOP_MAX) {
		/* SDM MINSD/MAXSD: a NaN on either side, or two zeros, give the
		 * second operand; any NaN is invalid. */
		a = f64_daz(fp, a);
		b = f64_daz(fp, b);
		if (f64_isnan(a) || f64_isnan(b)) {
			fp->flags |= MX_IE;
			return b;
		}
		a = f64_in(fp, a);
		b = f64_in(fp, b);
		double x = f64_of(a), y = f64_of(b);
		return (fop == FOP_MIN ? x < y : x > y) ? a : b;
	}
	bool anan = fop != FOP_SQRT && f64_isnan(a), bnan = fop != FOP_SQRT && f64_isnan(b);
	if (fop == FOP_SQRT && f64_isnan(b)) {
		fp->flags |= f64_issnan(b) ? MX_IE : 0;
		return b | F64_QUIET;
	}
	if (anan || bnan) {
		if (f64_issnan(a) || f64_issnan(b))
			fp->flags |= MX_IE;
		return (anan ? a : b) | F64_QUIET;
	}
	uint32_t before = fp->flags;
	fp->flags = 0;
	volatile double x = fop == FOP_SQRT ? 0 : f64_of(f64_in(fp, a));
	volatile double y = f64_of(f64_in(fp, b));
	volatile double r;
	switch (fop) {
	case FOP_ADD: r = x + y; break;
	case FOP_SUB: r = x - y; break;
	case FOP_MUL: r = x * y; break;
	case FOP_DIV: r = x / y; break;
	default: r = sqrt(y); break;
	}
	uint64_t rv = f64_bits(r);
	if (f64_isnan(rv))
		rv = F64_DEFAULT_NAN;
	rv = f64_out(fp, rv);
	x86_fp_lane_priority(fp, before);
	return rv;
}

static uint32_t f32_op(struct x86_fpctx *fp, unsigned fop, uint32_t a, uint32_t b)
{
	if (fop == FOP_MIN || fop == FOP_MAX) {
		a = f32_daz(fp, a);
		b = f32_daz(fp, b);
		if (f32_isnan(a) || f32_isnan(b)) {
			fp->flags |= MX_IE;
			return b;
		}
		a = f32_in(fp, a);
		b = f32_in(fp, b);
		float x = f32_of(a), y = f32_of(b);
		return (fop == FOP_MIN ? x < y : x > y) ? a : b;
	}
	bool anan = fop != FOP_SQRT && f32_isnan(a), bnan = fop != FOP_SQRT && f32_isnan(b);
	if (fop == FOP_SQRT && f32_isnan(b)) {
		fp->flags |= f32_issnan(b) ? MX_IE : 0;
		return b | F32_QUIET;
	}
	if (anan || bnan) {
		if (f32_issnan(a) || f32_issnan(b))
			fp->flags |= MX_IE;
		return (anan ? a : b) | F32_QUIET;
	}
	uint32_t before = fp->flags;
	fp->flags = 0;
	volatile float x = fop == FOP_SQRT ? 0 : f32_of(f32_in(fp, a));
	volatile float y = f32_of(f32_in(fp, b));
	volatile float r;
	switch (fop) {
	case FOP_ADD: r = x + y; break;
	case FOP_SUB: r = x - y; break;
	case FOP_MUL: r = x * y; break;
	case FOP_DIV: r = x / y; break;
	default: r = sqrtf(y); break;
	}
	uint32_t rv = f32_bits(r);
	if (f32_isnan(rv))
		rv = F32_DEFAULT_NAN;
	rv = f32_out(fp, rv);
	x86_fp_lane_priority(fp, before);
	return rv;
}

/* CMPxx predicate imm8[2:0] (SDM CMPPD table 3-?): EQ LT LE UNORD NEQ NLT
 * NLE ORD; LT/LE/NLT/NLE signal invalid for QNaNs too. */
static bool x86_fcmp_pred(struct x86_fpctx *fp, unsigned pred, bool unord, bool snan, bool lt,
			  bool eq)
{
	if (snan || (unord && (pred & 3) && (pred & 3) != 3))
		fp->flags |= MX_IE;
	switch (pred & 7) {
	case 0: return !unord && eq;
	case 1: return !unord && lt;
	case 2: return !unord && (lt || eq);
	case 3: return unord;
	case 4: return unord || !eq;
	case 5: return unord || !lt;
	case 6: return unord || !(lt || eq);
	default: return !unord;
	}
}

static uint64_t f64_cmp(struct x86_fpctx *fp, unsigned pred, uint64_t a, uint64_t b)
{
	bool unord = f64_isnan(a) || f64_isnan(b), snan = f64_issnan(a) || f64_issnan(b);
	/* A NaN operand hides the denormal-operand exception. */
	double x = unord ? 0 : f64_of(f64_in(fp, a)), y = unord ? 0 : f64_of(f64_in(fp, b));
	return x86_fcmp_pred(fp, pred, unord, snan, !unord && x < y, !unord && x == y) ? ~0ull : 0;
}

static uint32_t f32_cmp(struct x86_fpctx *fp, unsigned pred, uint32_t a, uint32_t b)
{
	bool unord = f32_isnan(a) || f32_isnan(b), snan = f32_issnan(a) || f32_issnan(b);
	float x = unord ? 0 : f32_of(f32_in(fp, a)), y = unord ? 0 : f32_of(f32_in(fp, b));
	return x86_fcmp_pred(fp, pred, unord, snan, !unord && x < y, !unord && x == y) ? ~0u : 0;
}

/* (U)COMISS/SD (SDM): ZF PF CF = 111 unordered, 000 greater, 001 less,
 * 100 equal; OF SF AF = 0. COMIS signals invalid for QNaNs, UCOMIS only
 * for SNaNs. */
static void x86_comis(struct x86_fpctx *fp, unsigned op, const union x86_xmm *d,
		      const union x86_xmm *s)
{
	bool dbl = op == X86_SSE_UCOMISD || op == X86_SSE_COMISD;
	bool sig = op == X86_SSE_COMISS || op == X86_SSE_COMISD;
	bool unord, snan, lt, eq;
	if (dbl) {
		uint64_t a = d->q[0], b = s->q[0];
		unord = f64_isnan(a) || f64_isnan(b);
		snan = f64_issnan(a) || f64_issnan(b);
		double x = unord ? 0 : f64_of(f64_in(fp, a)), y = unord ? 0 : f64_of(f64_in(fp, b));
		lt = !unord && x < y;
		eq = !unord && x == y;
	} else {
		uint32_t a = d->d[0], b = s->d[0];
		unord = f32_isnan(a) || f32_isnan(b);
		snan = f32_issnan(a) || f32_issnan(b);
		float x = unord ? 0 : f32_of(f32_in(fp, a)), y = unord ? 0 : f32_of(f32_in(fp, b));
		lt = !unord && x < y;
		eq = !unord && x == y;
	}
	if (snan || (sig && unord))
		fp->flags |= MX_IE;
	uint64_t f = unord ? (X86_FLAG_ZF | X86_FLAG_PF | X86_FLAG_CF) :
		     lt    ? X86_FLAG_CF :
		     eq    ? X86_FLAG_ZF :
			     0;
	x86_fp_end(fp); /* fault before the flags change */
	x86_set_flags_cc(fp->c, f);
}

/* Float to integer (SDM CVTSD2SI/CVTTSD2SI): NaN and out-of-range give the
 * integer indefinite value 1 << (bits - 1) and invalid. */
static uint64_t x86_f2i(struct x86_fpctx *fp, double v, bool nan, unsigned bits, bool trunc)
{
	uint64_t indef = 1ull << (bits - 1);
	if (nan) {
		fp->flags |= MX_IE;
		return indef;
	}
	x86_fp_collect(fp);
	volatile double x = v;
	volatile double r = trunc ? __builtin_trunc(x) : nearbyint(x);
	feclearexcept(FE_ALL_EXCEPT); /* the flags are computed here, not by the host */
	double lim = bits == 64 ? 9223372036854775808.0 : 2147483648.0;
	if (!(r >= -lim && r < lim)) {
		fp->flags |= MX_IE;
		return indef;
	}
	if (r != x)
		fp->flags |= MX_PE;
	int64_t i = (int64_t)r;
	return bits == 64 ? (uint64_t)i : (uint32_t)(int32_t)i;
}

/* The arithmetic groups: packed/scalar single/double. */
static bool x86_sse_arith(struct x86_fpctx *fp, unsigned op, union x86_xmm *d,
			  const union x86_xmm *s, unsigned imm)
{
	static const struct {
		uint8_t ps, pd, ss, sd, fop;
	} tab[] = {
		{ X86_SSE_ADDPS, X86_SSE_ADDPD, X86_SSE_ADDSS, X86_SSE_ADDSD, FOP_ADD },
		{ X86_SSE_SUBPS, X86_SSE_SUBPD, X86_SSE_SUBSS, X86_SSE_SUBSD, FOP_SUB },
		{ X86_SSE_MULPS, X86_SSE_MULPD, X86_SSE_MULSS, X86_SSE_MULSD, FOP_MUL },
		{ X86_SSE_DIVPS, X86_SSE_DIVPD, X86_SSE_DIVSS, X86_SSE_DIVSD, FOP_DIV },
		{ X86_SSE_MINPS, X86_SSE_MINPD, X86_SSE_MINSS, X86_SSE_MINSD, FOP_MIN },
		{ X86_SSE_MAXPS, X86_SSE_MAXPD, X86_SSE_MAXSS, X86_SSE_MAXSD, FOP_MAX },
		{ X86_SSE_SQRTPS, X86_SSE_SQRTPD, X86_SSE_SQRTSS, X86_SSE_SQRTSD, FOP_SQRT },
		{ X86_SSE_CMPPS, X86_SSE_CMPPD, X86_SSE_CMPSS, X86_SSE_CMPSD, 0xff },
	};
	for (size_t t = 0; t < SV_ARRAY_SIZE(tab); t++) {
		unsigned n32 = op == tab[t].ps ? 4 : op == tab[t].ss ? 1 : 0;
		unsigned n64 = op == tab[t].pd ? 2 : op == tab[t].sd ? 1 : 0;
		if (!n32 && !n64)
			continue;
		union x86_xmm r = *d;
		for (unsigned i = 0; i < n32; i++)
			r.d[i] = tab[t].fop == 0xff ? f32_cmp(fp, imm, d->d[i], s->d[i]) :
						      f32_op(fp, tab[t].fop, d->d[i], s->d[i]);
		for (unsigned i = 0; i < n64; i++)
			r.q[i] = tab[t].fop == 0xff ? f64_cmp(fp, imm, d->q[i], s->q[i]) :
						      f64_op(fp, tab[t].fop, d->q[i], s->q[i]);
		x86_fp_end(fp);
		*d = r;
		return true;
	}
	return false;
}

static uint64_t f32_to_f64(struct x86_fpctx *fp, uint32_t v)
{
	if (f32_isnan(v)) {
		fp->flags |= f32_issnan(v) ? MX_IE : 0;
		return ((uint64_t)(v >> 31) << 63) | 0x7ff8000000000000ull |
		       ((uint64_t)(v & 0x3fffff) << 29);
	}
	volatile float x = f32_of(f32_in(fp, v));
	volatile double r = x;
	return f64_bits(r);
}

static uint32_t f64_to_f32(struct x86_fpctx *fp, uint64_t v)
{
	if (f64_isnan(v)) {
		fp->flags |= f64_issnan(v) ? MX_IE : 0;
		return ((uint32_t)(v >> 63) << 31) | 0x7fc00000u | (uint32_t)((v >> 29) & 0x3fffff);
	}
	volatile double x = f64_of(f64_in(fp, v));
	volatile float r = (float)x;
	return f32_out(fp, f32_bits(r));
}

static uint32_t x86_i2f32(int64_t v)
{
	volatile int64_t x = v;
	volatile float r = (float)x;
	return f32_bits(r);
}

static uint64_t x86_i2f64(int64_t v)
{
	volatile int64_t x = v;
	volatile double r = (double)x;
	return f64_bits(r);
}

/* Conversions between XMM formats (LD kind). */
static bool x86_sse_cvt(struct x86_fpctx *fp, unsigned op, union x86_xmm *d, const union x86_xmm *s)
{
	union x86_xmm r = *d;
	unsigned i;
	switch (op) {
	case X86_SSE_CVTSS2SD: r.q[0] = f32_to_f64(fp, s->d[0]); break;
	case X86_SSE_CVTSD2SS: r.d[0] = f64_to_f32(fp, s->q[0]); break;
	case X86_SSE_CVTPS2PD:
		r.q[0] = f32_to_f64(fp, s->d[0]);
		r.q[1] = f32_to_f64(fp, s->d[1]);
		break;
	case X86_SSE_CVTPD2PS:
		r.d[0] = f64_to_f32(fp, s->q[0]);
		r.d[1] = f64_to_f32(fp, s->q[1]);
		r.q[1] = 0;
		break;
	case X86_SSE_CVTDQ2PS:
		for (i = 0; i < 4; i++)
			r.d[i] = x86_i2f32((int32_t)s->d[i]);
		break;
	case X86_SSE_CVTDQ2PD:
		r.q[0] = x86_i2f64((int32_t)s->d[0]);
		r.q[1] = x86_i2f64((int32_t)s->d[1]);
		break;
	case X86_SSE_CVTPS2DQ:
	case X86_SSE_CVTTPS2DQ:
		for (i = 0; i < 4; i++)
			r.d[i] = (uint32_t)x86_f2i(fp, f32_of(f32_daz(fp, s->d[i])),
						   f32_isnan(s->d[i]), 32, op == X86_SSE_CVTTPS2DQ);
		break;
	case X86_SSE_CVTPD2DQ:
	case X86_SSE_CVTTPD2DQ:
		for (i = 0; i < 2; i++)
			r.d[i] = (uint32_t)x86_f2i(fp, f64_of(f64_daz(fp, s->q[i])),
						   f64_isnan(s->q[i]), 32, op == X86_SSE_CVTTPD2DQ);
		r.q[1] = 0;
		break;
	default: return false;
	}
	x86_fp_collect(fp);
	x86_fp_end(fp);
	*d = r;
	return true;
}

/* SSSE3 (SDM PSHUFB ... PALIGNR). */
static int16_t x86_sat16(int32_t v)
{
	return (int16_t)x86_sat(v, -32768, 32767);
}

static bool x86_sse_ssse3(unsigned op, union x86_xmm *d, const union x86_xmm *s, unsigned imm)
{
	union x86_xmm r = *d;
	unsigned i;
	switch (op) {
	case X86_SSE_PSHUFB:
		for (i = 0; i < 16; i++)
			r.b[i] = (s->b[i] & 0x80) ? 0 : d->b[s->b[i] & 15];
		break;
	case X86_SSE_PHADDW:
	case X86_SSE_PHSUBW:
	case X86_SSE_PHADDSW:
	case X86_SSE_PHSUBSW:
		for (i = 0; i < 8; i++) {
			const union x86_xmm *v = i < 4 ? d : s;
			int32_t a = (int16_t)v->w[2 * (i & 3)], b = (int16_t)v->w[2 * (i & 3) + 1];
			int32_t t = (op == X86_SSE_PHADDW || op == X86_SSE_PHADDSW) ? a + b : a - b;
			r.w[i] = (uint16_t)((op == X86_SSE_PHADDSW || op == X86_SSE_PHSUBSW) ?
						    x86_sat16(t) :
						    t);
		}
		break;
	case X86_SSE_PHADDD:
	case X86_SSE_PHSUBD:
		for (i = 0; i < 4; i++) {
			const union x86_xmm *v = i < 2 ? d : s;
			uint32_t a = v->d[2 * (i & 1)], b = v->d[2 * (i & 1) + 1];
			r.d[i] = op == X86_SSE_PHADDD ? a + b : a - b;
		}
		break;
	case X86_SSE_PMADDUBSW:
		for (i = 0; i < 8; i++)
			r.w[i] = (uint16_t)x86_sat16(d->b[2 * i] * (int8_t)s->b[2 * i] +
						     d->b[2 * i + 1] * (int8_t)s->b[2 * i + 1]);
		break;
	case X86_SSE_PMULHRSW:
		for (i = 0; i < 8; i++)
			r.w[i] = (uint16_t)((((int32_t)(int16_t)d->w[i] * (int16_t)s->w[i] >> 14) +
					     1) >>
					    1);
		break;
	case X86_SSE_PSIGNB:
		for (i = 0; i < 16; i++)
			r.b[i] = (int8_t)s->b[i] < 0 ? (uint8_t)-d->b[i] : s->b[i] ? d->b[i] : 0;
		break;
	case X86_SSE_PSIGNW:
		for (i = 0; i < 8; i++)
			r.w[i] = (int16_t)s->w[i] < 0 ? (uint16_t)-d->w[i] : s->w[i] ? d->w[i] : 0;
		break;
	case X86_SSE_PSIGND:
		for (i = 0; i < 4; i++)
			r.d[i] = (int32_t)s->d[i] < 0 ? 0u - d->d[i] : s->d[i] ? d->d[i] : 0;
		break;
	case X86_SSE_PABSB:
		for (i = 0; i < 16; i++)
			r.b[i] = (int8_t)s->b[i] < 0 ? (uint8_t)-s->b[i] : s->b[i];
		break;
	case X86_SSE_PABSW:
		for (i = 0; i < 8; i++)
			r.w[i] = (int16_t)s->w[i] < 0 ? (uint16_t)-s->w[i] : s->w[i];
		break;
	case X86_SSE_PABSD:
		for (i = 0; i < 4; i++)
			r.d[i] = (int32_t)s->d[i] < 0 ? 0u - s->d[i] : s->d[i];
		break;
	case X86_SSE_PALIGNR: { /* (dst:src) >> imm8 bytes */
		uint8_t t[32];
		memcpy(t, s->b, 16);
		memcpy(t + 16, d->b, 16);
		for (i = 0; i < 16; i++)
			r.b[i] = i + imm < 32 ? t[i + imm] : 0;
		break;
	}
	default: return false;
	}
	*d = r;
	return true;
}

/* SSE3 horizontal and alternating arithmetic (SDM HADDPS, ADDSUBPD, ...). */
static bool x86_sse_horiz(struct x86_fpctx *fp, unsigned op, union x86_xmm *d,
			  const union x86_xmm *s)
{
	union x86_xmm r = *d;
	switch (op) {
	case X86_SSE_ADDSUBPD:
		r.q[0] = f64_op(fp, FOP_SUB, d->q[0], s->q[0]);
		r.q[1] = f64_op(fp, FOP_ADD, d->q[1], s->q[1]);
		break;
	case X86_SSE_ADDSUBPS:
		for (unsigned i = 0; i < 4; i++)
			r.d[i] = f32_op(fp, (i & 1) ? FOP_ADD : FOP_SUB, d->d[i], s->d[i]);
		break;
	case X86_SSE_HADDPD:
	case X86_SSE_HSUBPD: {
		unsigned f = op == X86_SSE_HADDPD ? FOP_ADD : FOP_SUB;
		r.q[0] = f64_op(fp, f, d->q[0], d->q[1]);
		r.q[1] = f64_op(fp, f, s->q[0], s->q[1]);
		break;
	}
	case X86_SSE_HADDPS:
	case X86_SSE_HSUBPS: {
		unsigned f = op == X86_SSE_HADDPS ? FOP_ADD : FOP_SUB;
		r.d[0] = f32_op(fp, f, d->d[0], d->d[1]);
		r.d[1] = f32_op(fp, f, d->d[2], d->d[3]);
		r.d[2] = f32_op(fp, f, s->d[0], s->d[1]);
		r.d[3] = f32_op(fp, f, s->d[2], s->d[3]);
		break;
	}
	default: return false;
	}
	x86_fp_end(fp);
	*d = r;
	return true;
}

/* SSE4.1 integer, blend and insert operations (SDM per instruction). xmm0
 * is the implicit mask of PBLENDVB/BLENDVPS/BLENDVPD. */
static void x86_pmovx(union x86_xmm *r, const union x86_xmm *s, unsigned from, unsigned to,
		      bool sign)
{
	union x86_xmm t = { .q = { 0, 0 } };
	for (unsigned i = 0; i < 16 / to; i++) {
		uint64_t v = 0;
		memcpy(&v, s->b + i * from, from);
		if (sign)
			v = sv_sext(v, 8 * from);
		memcpy(t.b + i * to, &v, to);
	}
	*r = t;
}

static bool x86_sse41(unsigned op, union x86_xmm *d, const union x86_xmm *s, unsigned imm,
		      const union x86_xmm *x0, bool mem)
{
	union x86_xmm r = *d;
	unsigned i;
	switch (op) {
	case X86_SSE_PBLENDVB:
		for (i = 0; i < 16; i++)
			r.b[i] = (x0->b[i] & 0x80) ? s->b[i] : d->b[i];
		break;
	case X86_SSE_BLENDVPS:
		for (i = 0; i < 4; i++)
			r.d[i] = (x0->d[i] >> 31) ? s->d[i] : d->d[i];
		break;
	case X86_SSE_BLENDVPD:
		for (i = 0; i < 2; i++)
			r.q[i] = (x0->q[i] >> 63) ? s->q[i] : d->q[i];
		break;
	case X86_SSE_BLENDPS:
		for (i = 0; i < 4; i++)
			r.d[i] = ((imm >> i) & 1) ? s->d[i] : d->d[i];
		break;
	case X86_SSE_BLENDPD:
		for (i = 0; i < 2; i++)
			r.q[i] = ((imm >> i) & 1) ? s->q[i] : d->q[i];
		break;
	case X86_SSE_PBLENDW:
		for (i = 0; i < 8; i++)
			r.w[i] = ((imm >> i) & 1) ? s->w[i] : d->w[i];
		break;
	case X86_SSE_PMOVSXBW: x86_pmovx(&r, s, 1, 2, true); break;
	case X86_SSE_PMOVSXBD: x86_pmovx(&r, s, 1, 4, true); break;
	case X86_SSE_PMOVSXBQ: x86_pmovx(&r, s, 1, 8, true); break;
	case X86_SSE_PMOVSXWD: x86_pmovx(&r, s, 2, 4, true); break;
	case X86_SSE_PMOVSXWQ: x86_pmovx(&r, s, 2, 8, true); break;
	case X86_SSE_PMOVSXDQ: x86_pmovx(&r, s, 4, 8, true); break;
	case X86_SSE_PMOVZXBW: x86_pmovx(&r, s, 1, 2, false); break;
	case X86_SSE_PMOVZXBD: x86_pmovx(&r, s, 1, 4, false); break;
	case X86_SSE_PMOVZXBQ: x86_pmovx(&r, s, 1, 8, false); break;
	case X86_SSE_PMOVZXWD: x86_pmovx(&r, s, 2, 4, false); break;
	case X86_SSE_PMOVZXWQ: x86_pmovx(&r, s, 2, 8, false); break;
	case X86_SSE_PMOVZXDQ: x86_pmovx(&r, s, 4, 8, false); break;
	case X86_SSE_PMULDQ:
		for (i = 0; i < 2; i++)
			r.q[i] = (uint64_t)((int64_t)(int32_t)d->d[2 * i] * (int32_t)s->d[2 * i]);
		break;
	case X86_SSE_PMULLD:
		for (i = 0; i < 4; i++)
			r.d[i] = d->d[i] * s->d[i];
		break;
	case X86_SSE_PCMPEQQ:
		for (i = 0; i < 2; i++)
			r.q[i] = d->q[i] == s->q[i] ? ~0ull : 0;
		break;
	case X86_SSE_PCMPGTQ:
		for (i = 0; i < 2; i++)
			r.q[i] = (int64_t)d->q[i] > (int64_t)s->q[i] ? ~0ull : 0;
		break;
	case X86_SSE_MOVNTDQA: r = *s; break;
	case X86_SSE_PACKUSDW:
		for (i = 0; i < 8; i++)
			r.w[i] = (uint16_t)x86_sat((int32_t)(i < 4 ? d->d[i] : s->d[i - 4]), 0,
						   65535);
		break;
	case X86_SSE_PMINSB:
	case X86_SSE_PMAXSB:
		for (i = 0; i < 16; i++)
			r.b[i] = (op == X86_SSE_PMINSB) == ((int8_t)d->b[i] < (int8_t)s->b[i]) ?
					 d->b[i] :
					 s->b[i];
		break;
	case X86_SSE_PMINUW:
	case X86_SSE_PMAXUW:
		for (i = 0; i < 8; i++)
			r.w[i] = (op == X86_SSE_PMINUW) == (d->w[i] < s->w[i]) ? d->w[i] : s->w[i];
		break;
	case X86_SSE_PMINSD:
	case X86_SSE_PMAXSD:
		for (i = 0; i < 4; i++)
			r.d[i] = (op == X86_SSE_PMINSD) == ((int32_t)d->d[i] < (int32_t)s->d[i]) ?
					 d->d[i] :
					 s->d[i];
		break;
	case X86_SSE_PMINUD:
	case X86_SSE_PMAXUD:
		for (i = 0; i < 4; i++)
			r.d[i] = (op == X86_SSE_PMINUD) == (d->d[i] < s->d[i]) ? d->d[i] : s->d[i];
		break;
	case X86_SSE_PHMINPOSUW: {
		unsigned best = 0;
		for (i = 1; i < 8; i++)
			if (s->w[i] < s->w[best])
				best = i;
		r = (union x86_xmm){ .w = { s->w[best], (uint16_t)best } };
		break;
	}
	case X86_SSE_INSERTPS: { /* a register source picks its element */
		uint32_t v = mem ? s->d[0] : s->d[(imm >> 6) & 3];
		r.d[(imm >> 4) & 3] = v;
		for (i = 0; i < 4; i++)
			if ((imm >> i) & 1)
				r.d[i] = 0;
		break;
	}
	case X86_SSE_MPSADBW: {
		unsigned od = (imm & 4) ? 4 : 0, os = 4 * (imm & 3);
		for (i = 0; i < 8; i++) {
			unsigned sum = 0;
			for (unsigned j = 0; j < 4; j++) {
				int a = d->b[od + i + j], b = s->b[os + j];
				sum += (unsigned)(a > b ? a - b : b - a);
			}
			r.w[i] = (uint16_t)sum;
		}
		break;
	}
	default: return false;
	}
	*d = r;
	return true;
}

/* ROUNDxx (imm[1:0] the mode unless imm[2]: MXCSR.RC; imm[3] suppresses
 * the precision exception) and DPPS/DPPD (SDM DPPS "DP_primitive"). */
static uint64_t f64_round(struct x86_fpctx *fp, uint64_t v, unsigned imm)
{
	if (f64_isnan(v)) {
		fp->flags |= f64_issnan(v) ? MX_IE : 0;
		return v | F64_QUIET;
	}
	v = f64_daz(fp, v);
	unsigned rc = (imm & 4) ? (fp->c->fpu.mxcsr >> 13) & 3 : imm & 3;
	fesetround(x86_fe_round[rc]);
	volatile double x = f64_of(v);
	volatile double r = nearbyint(x);
	fesetround(x86_fe_round[(fp->c->fpu.mxcsr >> 13) & 3]);
	if (r != x && !(imm & 8))
		fp->flags |= MX_PE;
	return f64_bits(r);
}

static uint32_t f32_round(struct x86_fpctx *fp, uint32_t v, unsigned imm)
{
	if (f32_isnan(v)) {
		fp->flags |= f32_issnan(v) ? MX_IE : 0;
		return v | F32_QUIET;
	}
	v = f32_daz(fp, v);
	unsigned rc = (imm & 4) ? (fp->c->fpu.mxcsr >> 13) & 3 : imm & 3;
	fesetround(x86_fe_round[rc]);
	volatile float x = f32_of(v);
	volatile float r = nearbyintf(x);
	fesetround(x86_fe_round[(fp->c->fpu.mxcsr >> 13) & 3]);
	if (r != x && !(imm & 8))
		fp->flags |= MX_PE;
	return f32_bits(r);
}

static bool x86_sse41_fp(struct x86_fpctx *fp, unsigned op, union x86_xmm *d,
			 const union x86_xmm *s, unsigned imm)
{
	union x86_xmm r = *d;
	unsigned i;
	switch (op) {
	case X86_SSE_ROUNDPS:
		for (i = 0; i < 4; i++)
			r.d[i] = f32_round(fp, s->d[i], imm);
		break;
	case X86_SSE_ROUNDPD:
		for (i = 0; i < 2; i++)
			r.q[i] = f64_round(fp, s->q[i], imm);
		break;
	case X86_SSE_ROUNDSS: r.d[0] = f32_round(fp, s->d[0], imm); break;
	case X86_SSE_ROUNDSD: r.q[0] = f64_round(fp, s->q[0], imm); break;
	case X86_SSE_DPPS: {
		uint32_t t[4];
		for (i = 0; i < 4; i++)
			t[i] = ((imm >> (4 + i)) & 1) ? f32_op(fp, FOP_MUL, d->d[i], s->d[i]) : 0;
		uint32_t sum = f32_op(fp, FOP_ADD, f32_op(fp, FOP_ADD, t[0], t[1]),
				      f32_op(fp, FOP_ADD, t[2], t[3]));
		for (i = 0; i < 4; i++)
			r.d[i] = ((imm >> i) & 1) ? sum : 0;
		break;
	}
	case X86_SSE_DPPD: {
		uint64_t t[2];
		for (i = 0; i < 2; i++)
			t[i] = ((imm >> (4 + i)) & 1) ? f64_op(fp, FOP_MUL, d->q[i], s->q[i]) : 0;
		uint64_t sum = f64_op(fp, FOP_ADD, t[0], t[1]);
		for (i = 0; i < 2; i++)
			r.q[i] = ((imm >> i) & 1) ? sum : 0;
		break;
	}
	default: return false;
	}
	x86_fp_end(fp);
	*d = r;
	return true;
}

/*
 * PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (SDM vol. 2 4.1 "Imm8 control
 * byte operation for PCMPESTRI ..."): imm8[1:0] element format (ub uw sb
 * sw), [3:2] aggregation (equal any, ranges, equal each, equal ordered),
 * [5:4] polarity, [6] output selection. Lengths are explicit (EAX, EDX,
 * absolute value saturated to the element count) or implicit (the first
 * null element). Results: ECX (index) or XMM0 (mask); CF = IntRes2 != 0,
 * ZF = src2 shorter than a register, SF = src1 shorter, OF = IntRes2[0].
 */
static int64_t x86_str_elem(const union x86_xmm *v, unsigned i, unsigned fmt)
{
	switch (fmt) {
	case 0: return v->b[i];
	case 1: return v->w[i];
	case 2: return (int8_t)v->b[i];
	default: return (int16_t)v->w[i];
	}
}

static unsigned x86_str_len(const union x86_xmm *v, unsigned n, unsigned fmt, bool expl,
			    uint64_t reg, bool w)
{
	if (expl) { /* EAX/EDX, or RAX/RDX with REX.W */
		int64_t l = w ? (int64_t)reg : (int64_t)(int32_t)reg;
		uint64_t a = l < 0 ? (uint64_t)-l : (uint64_t)l;
		return a > n ? n : (unsigned)a;
	}
	for (unsigned i = 0; i < n; i++)
		if (x86_str_elem(v, i, fmt) == 0)
			return i;
	return n;
}

static void x86_pcmpstr(struct cpu_x86 *c, unsigned op, const union x86_xmm *a,
			const union x86_xmm *b, unsigned imm, bool w)
{
	unsigned fmt = imm & 3, agg = (imm >> 2) & 3, pol = (imm >> 4) & 3, n = (imm & 1) ? 8 : 16;
	bool expl = op == X86_SSE_PCMPESTRI || op == X86_SSE_PCMPESTRM;
	unsigned la = x86_str_len(a, n, fmt, expl, c->regs[X86_RAX], w);
	unsigned lb = x86_str_len(b, n, fmt, expl, c->regs[X86_RDX], w);
	uint32_t res = 0;
	for (unsigned j = 0; j < n; j++) { /* j: element of src2 (b) */
		bool bv = j < lb, r = false;
		switch (agg) {
		case 0: /* equal any */
			for (unsigned i = 0; i < la && bv; i++)
				r |= x86_str_elem(a, i, fmt) == x86_str_elem(b, j, fmt);
			break;
		case 1: /* ranges: pairs (lo, hi) in src1 */
			for (unsigned i = 0; i + 1 < la && bv; i += 2)
				r |= x86_str_elem(a, i, fmt) <= x86_str_elem(b, j, fmt) &&
				     x86_str_elem(b, j, fmt) <= x86_str_elem(a, i + 1, fmt);
			break;
		case 2: { /* equal each: invalid pairs compare by validity */
			bool av = j < la;
			r = (av && bv) ? x86_str_elem(a, j, fmt) == x86_str_elem(b, j, fmt) :
					 !av && !bv;
			break;
		}
		default: /* equal ordered: src1 as a substring starting at j; an
			  * invalid src1 element matches, a valid one against an
			  * invalid src2 element does not; the register end
			  * (j + i = n) cuts the comparison short */
			r = true;
			for (unsigned i = 0; i < n - j && i < la; i++) {
				if (j + i >= lb ||
				    x86_str_elem(a, i, fmt) != x86_str_elem(b, j + i, fmt)) {
					r = false;
					break;
				}
			}
			break;
		}
		res |= (uint32_t)r << j;
	}
	if (pol == 1)
		res ^= (1u << n) - 1;
	else if (pol == 3)
		res ^= (1u << lb) - 1; /* masked negation: valid elements only */
	if (op == X86_SSE_PCMPESTRI || op == X86_SSE_PCMPISTRI) {
		unsigned idx = n;
		if (res)
			idx = (imm & 0x40) ? 31u - (unsigned)__builtin_clz(res) :
					     (unsigned)__builtin_ctz(res);
		c->regs[X86_RCX] = idx;
	} else {
		union x86_xmm m = { .q = { 0, 0 } };
		if (imm & 0x40) { /* expanded to a byte/word mask */
			for (unsigned j = 0; j < n; j++)
				if ((res >> j) & 1)
					memset(m.b + j * (16 / n), 0xff, 16 / n);
		} else {
			m.d[0] = res;
		}
		c->fpu.xmm[0] = m;
	}
	x86_set_flags_cc(c, (res ? X86_FLAG_CF : 0) | (lb < n ? X86_FLAG_ZF : 0) |
				    (la < n ? X86_FLAG_SF : 0) | ((res & 1) ? X86_FLAG_OF : 0));
}

/* ---- MMX (SDM vol. 1 ch. 9) ------------------------------------------------------ */

/* Any MMX instruction but EMMS: TOP = 0 and every register valid (9.5.1). */
static void x86_mmx_enter(struct cpu_x86 *c)
{
	c->fpu.fsw &= (uint16_t) ~(7u << 11);
	c->fpu.ftw = 0;
}

/* A write to MMi sets the x87 register's exponent and sign to all ones. */
static void x86_mmx_set(struct cpu_x86 *c, unsigned i, uint64_t v)
{
	c->fpu.st[i].mant = v;
	c->fpu.st[i].se = 0xffff;
}

static union x86_xmm x86_mmx_val(uint64_t v)
{
	return (union x86_xmm){ .q = { v, 0 } };
}

/* The MMX results of operations whose XMM form works per 64-bit half:
 * the low 32 bits of each half (PACK*, PHADD*, PHSUB*). */
static bool x86_mmx_halves(unsigned op)
{
	switch (op) {
	case X86_SSE_PACKSSWB:
	case X86_SSE_PACKUSWB:
	case X86_SSE_PACKSSDW:
	case X86_SSE_PHADDW:
	case X86_SSE_PHADDD:
	case X86_SSE_PHADDSW:
	case X86_SSE_PHSUBW:
	case X86_SSE_PHSUBD:
	case X86_SSE_PHSUBSW: return true;
	default: return false;
	}
}

/* LD-kind operations on MMX values d, s (zero upper halves). */
static uint64_t x86_mmx_ld(unsigned op, uint64_t dv, uint64_t sv, unsigned imm)
{
	union x86_xmm d = x86_mmx_val(dv), s = x86_mmx_val(sv);
	switch (op) {
	case X86_SSE_PUNPCKHBW:
	case X86_SSE_PUNPCKHWD:
	case X86_SSE_PUNPCKHDQ: /* the high doublewords, interleaved */
		d = x86_mmx_val(dv >> 32);
		s = x86_mmx_val(sv >> 32);
		op = op == X86_SSE_PUNPCKHBW ? X86_SSE_PUNPCKLBW :
		     op == X86_SSE_PUNPCKHWD ? X86_SSE_PUNPCKLWD :
					       X86_SSE_PUNPCKLDQ;
		break;
	case X86_SSE_PSHUFB: {
		uint64_t r = 0;
		for (unsigned i = 0; i < 8; i++)
			if (!(s.b[i] & 0x80))
				r |= (uint64_t)d.b[s.b[i] & 7] << (8 * i);
		return r;
	}
	case X86_SSE_PALIGNR: { /* (dst:src) >> imm8 bytes */
		uint8_t t[16];
		uint64_t r = 0;
		memcpy(t, &sv, 8);
		memcpy(t + 8, &dv, 8);
		for (unsigned i = 0; i < 8; i++)
			if (i + imm < 16)
				r |= (uint64_t)t[i + imm] << (8 * i);
		return r;
	}
	default: break;
	}
	union x86_xmm r = d;
	if (!x86_sse_move(op, &r, &s, false) && !x86_sse_int(op, &r, &s) &&
	    !x86_sse_perm(op, &r, &s, imm) && !x86_sse_ssse3(op, &r, &s, imm))
		return dv;
	if (x86_mmx_halves(op))
		return (r.q[0] & 0xffffffffu) | (r.q[1] << 32);
	return r.q[0];
}

/* The MMX/XMM conversions (SDM CVTPI2PS ... CVTTPD2PI, MOVQ2DQ, MOVDQ2Q). */
static void x86_mmx_cvt(struct cpu_x86 *c, unsigned op, unsigned reg, unsigned rm, bool mem,
			uint64_t la, unsigned idx)
{
	struct x86_fpctx fp;
	union x86_xmm *x = &c->fpu.xmm[reg];
	switch (op) {
	case X86_SSE_MOVQ2DQ: *x = x86_mmx_val(c->fpu.st[rm].mant); break;
	case X86_SSE_MOVDQ2Q: x86_mmx_set(c, reg, c->fpu.xmm[rm].q[0]); break;
	case X86_SSE_CVTPI2PS:
	case X86_SSE_CVTPI2PD: {
		uint64_t v = mem ? cpu_ld(&c->cpu, la, IR_MO_64, idx) : c->fpu.st[rm].mant;
		union x86_xmm r = *x;
		x86_fp_begin(&fp, c);
		if (op == X86_SSE_CVTPI2PS) {
			r.d[0] = x86_i2f32((int32_t)v);
			r.d[1] = x86_i2f32((int32_t)(v >> 32));
		} else {
			r.q[0] = x86_i2f64((int32_t)v);
			r.q[1] = x86_i2f64((int32_t)(v >> 32));
		}
		x86_fp_end(&fp);
		*x = r;
		if (mem) /* only a register source is an MMX access */
			return;
		break;
	}
	default: { /* CVT(T)PS2PI, CVT(T)PD2PI */
		bool dbl = op == X86_SSE_CVTPD2PI || op == X86_SSE_CVTTPD2PI;
		bool tr = op == X86_SSE_CVTTPS2PI || op == X86_SSE_CVTTPD2PI;
		union x86_xmm s = mem ? x86_sse_load(c, dbl ? M16A : M8, la, idx) : c->fpu.xmm[rm];
		uint64_t r[2];
		x86_fp_begin(&fp, c);
		for (unsigned i = 0; i < 2; i++)
			r[i] = dbl ? x86_f2i(&fp, f64_of(f64_daz(&fp, s.q[i])), f64_isnan(s.q[i]),
					     32, tr) :
				     x86_f2i(&fp, f32_of(f32_daz(&fp, s.d[i])), f32_isnan(s.d[i]),
					     32, tr);
		x86_fp_end(&fp);
		x86_mmx_set(c, reg, (r[0] & 0xffffffffu) | (r[1] << 32));
		break;
	}
	}
	x86_mmx_enter(c);
}

static uint64_t x86_helper_mmx(struct cpu_x86 *c, unsigned op, unsigned reg, unsigned rm, bool mem,
			       unsigned idx, unsigned osz, uint64_t la, uint64_t gval, unsigned imm)
{
	struct cpu *cpu = &c->cpu;
	const struct x86_sse_info *si = &x86_sse_info[op];
	/* SDM 9.5.? : a pending x87 exception is reported first (#MF). */
	if (c->fpu.fsw & 0x80)
		cpu_x86_raise_exception(c, X86_EXC_MF, false, 0);
	if (op == X86_SSE_EMMS) {
		c->fpu.ftw = 0xffff;
		return 0;
	}
	if (op >= X86_SSE_MOVQ2DQ) {
		x86_mmx_cvt(c, op, reg, rm, mem, la, idx);
		return 0;
	}
	uint64_t r = 0, mr = c->fpu.st[reg].mant;
	switch (si->kind) {
	case SSE_ST:
		if (op == X86_SSE_MASKMOVDQU) { /* MASKMOVQ */
			for (unsigned i = 0; i < 8; i++)
				if ((c->fpu.st[rm].mant >> (8 * i + 7)) & 1)
					cpu_st(cpu, x86_la_add(c, la, i), IR_MO_8, idx,
					       mr >> (8 * i));
		} else if (mem) {
			cpu_st(cpu, la, IR_MO_64, idx, mr);
		} else {
			x86_mmx_set(c, rm, mr);
		}
		break;
	case SSE_GIN:
		if (op == X86_SSE_PINSRW) {
			unsigned sh = 16 * (imm & 3);
			x86_mmx_set(c, reg, (mr & ~(0xffffull << sh)) | ((gval & 0xffff) << sh));
		} else {
			x86_mmx_set(c, reg, osz == 3 ? gval : (uint32_t)gval);
		}
		break;
	case SSE_GOUT: {
		union x86_xmm s = x86_mmx_val(c->fpu.st[rm].mant), rx = x86_mmx_val(mr);
		r = op == X86_SSE_PEXTRW ? s.w[imm & 3] : x86_sse_gout(op, &s, &rx, imm, osz);
		break;
	}
	case SSE_IRM: x86_mmx_set(c, rm, x86_mmx_ld(op, c->fpu.st[rm].mant, 0, imm)); break;
	default: {
		uint64_t sv = mem ? cpu_ld(cpu, la, IR_MO_64, idx) : c->fpu.st[rm].mant;
		x86_mmx_set(c, reg, x86_mmx_ld(op, mr, sv, imm));
		break;
	}
	}
	x86_mmx_enter(c);
	return r;
}

/* ---- the entry point ------------------------------------------------------------ */

uint64_t x86_helper_sse(struct cpu *cpu, uint64_t info, uint64_t la, uint64_t gval, uint64_t imm)
{
	struct cpu_x86 *c = X(cpu);
	unsigned op = info & 0xff, reg = (info >> 8) & 15, rm = (info >> 12) & 15;
	bool mem = (info >> 16) & 1;
	unsigned idx = (info >> 17) & 7, osz = (info >> 20) & 3;
	const struct x86_sse_info *si = &x86_sse_info[op];
	union x86_xmm *xr = &c->fpu.xmm[reg], src, dst;
	struct x86_fpctx fp;

	if ((info >> 24) & 1)
		return x86_helper_mmx(c, op, reg, rm, mem, idx, osz, la, gval, (unsigned)imm);

	switch (si->kind) {
	case SSE_ST:
		if (op == X86_SSE_MASKMOVDQU) { /* bytes whose mask byte has bit 7 */
			const union x86_xmm *mask = &c->fpu.xmm[rm];
			for (unsigned i = 0; i < 16; i++)
				if (mask->b[i] & 0x80)
					cpu_st(cpu, x86_la_add(c, la, i), IR_MO_8, idx, xr->b[i]);
			return 0;
		}
		/* MOVSS/MOVSD between registers merge into the low element. */
		if (!mem) {
			dst = c->fpu.xmm[rm];
			if (op == X86_SSE_MOVSS_ST)
				dst.d[0] = xr->d[0];
			else if (op == X86_SSE_MOVSD_ST)
				dst.q[0] = xr->q[0];
			else if (op == X86_SSE_MOVQ_ST)
				dst = (union x86_xmm){ .q = { xr->q[0], 0 } };
			else
				dst = *xr;
			c->fpu.xmm[rm] = dst;
			return 0;
		}
		src = *xr;
		if (op == X86_SSE_MOVHPS_ST)
			src.q[0] = xr->q[1];
		x86_sse_store(c, si->mem, la, idx, &src);
		return 0;
	case SSE_GIN:
		dst = *xr;
		if (op == X86_SSE_MOVD_TOX) {
			dst = (union x86_xmm){ .q = { osz == 3 ? gval : (uint32_t)gval, 0 } };
		} else if (op == X86_SSE_PINSRW) {
			dst.w[imm & 7] = (uint16_t)gval;
		} else if (op == X86_SSE_PINSRB) {
			dst.b[imm & 15] = (uint8_t)gval;
		} else if (op == X86_SSE_PINSRD) {
			if (osz == 3)
				dst.q[imm & 1] = gval;
			else
				dst.d[imm & 3] = (uint32_t)gval;
		} else {
			int64_t v = osz == 3 ? (int64_t)gval : (int64_t)(int32_t)gval;
			x86_fp_begin(&fp, c);
			if (op == X86_SSE_CVTSI2SS)
				dst.d[0] = x86_i2f32(v);
			else
				dst.q[0] = x86_i2f64(v);
			x86_fp_end(&fp);
		}
		*xr = dst;
		return 0;
	default: break;
	}

	src = mem ? x86_sse_load(c, si->mem, la, idx) : c->fpu.xmm[rm];
	switch (si->kind) {
	case SSE_GOUT:
		if (op >= X86_SSE_CVTTSS2SI && op <= X86_SSE_CVTSD2SI) {
			bool dbl = op == X86_SSE_CVTTSD2SI || op == X86_SSE_CVTSD2SI;
			bool tr = op == X86_SSE_CVTTSS2SI || op == X86_SSE_CVTTSD2SI;
			x86_fp_begin(&fp, c);
			uint64_t r = dbl ? x86_f2i(&fp, f64_of(f64_daz(&fp, src.q[0])),
						   f64_isnan(src.q[0]), osz == 3 ? 64 : 32, tr) :
					   x86_f2i(&fp, f32_of(f32_daz(&fp, src.d[0])),
						   f32_isnan(src.d[0]), osz == 3 ? 64 : 32, tr);
			x86_fp_end(&fp);
			return r;
		}
		return x86_sse_gout(op, &src, xr, (unsigned)imm, osz);
	case SSE_CMPF:
		if (op == X86_SSE_PTEST) { /* ZF: (s AND d) = 0, CF: (s AND NOT d) = 0 */
			bool zf = !((src.q[0] & xr->q[0]) | (src.q[1] & xr->q[1]));
			bool cf = !((src.q[0] & ~xr->q[0]) | (src.q[1] & ~xr->q[1]));
			x86_set_flags_cc(c, (zf ? X86_FLAG_ZF : 0) | (cf ? X86_FLAG_CF : 0));
			return 0;
		}
		x86_fp_begin(&fp, c);
		x86_comis(&fp, op, xr, &src);
		return 0;
	case SSE_IRM: x86_sse_perm(op, &c->fpu.xmm[rm], &c->fpu.xmm[rm], (unsigned)imm); return 0;
	default: break;
	}
	if (op >= X86_SSE_PCMPESTRM && op <= X86_SSE_PCMPISTRI) {
		x86_pcmpstr(c, op, xr, &src, (unsigned)imm, osz == 3);
		return 0;
	}
	dst = *xr;
	if (x86_sse_move(op, &dst, &src, mem) || x86_sse_int(op, &dst, &src) ||
	    x86_sse_perm(op, &dst, &src, (unsigned)imm) ||
	    x86_sse_ssse3(op, &dst, &src, (unsigned)imm) ||
	    x86_sse41(op, &dst, &src, (unsigned)imm, &c->fpu.xmm[0], mem) ||
	    x86_sse_crypto(op, &dst, &src, (unsigned)imm)) {
		*xr = dst;
		return 0;
	}
	x86_fp_begin(&fp, c);
	if (x86_sse_arith(&fp, op, &dst, &src, (unsigned)imm) || x86_sse_cvt(&fp, op, &dst, &src) ||
	    x86_sse_horiz(&fp, op, &dst, &src) ||
	    x86_sse41_fp(&fp, op, &dst, &src, (unsigned)imm)) {
		*xr = dst;
		return 0;
	}
	fesetround(FE_TONEAREST);
	cpu_x86_raise_exception(c, X86_EXC_UD, false, 0); /* not reached: every op is handled */
}
