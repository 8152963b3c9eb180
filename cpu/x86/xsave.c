/*
 * The XSAVE feature set (SDM vol. 1 ch. 13; vol. 2 XSAVE, XSAVEOPT, XSAVEC,
 * XSAVES, XRSTOR, XRSTORS, XGETBV, XSETBV) for the two state components the
 * model has: x87 (0) and SSE (1). AVX and later components are not
 * implemented, so XCR0 accepts only bits 0 and 1, CPUID leaf 0xD reports a
 * 576-byte area (the 512-byte legacy region of FXSAVE, then the 64-byte
 * XSAVE header), and no supervisor component exists (IA32_XSS = 0).
 *
 * The compacted format (XSAVEC, XSAVES; XRSTOR and XRSTORS read it) puts
 * components 0 and 1 in the legacy region as the standard one does, so the
 * two formats differ here only in the header: XCOMP_BV = bit 63 | RFBM, and
 * XSTATE_BV written whole. XSAVES and XRSTORS are CPL 0 only and #UD unless
 * hv enables them (secondary control "enable XSAVES/XRSTORS", SDM 25.3);
 * they exit (63, 64) when IA32_XSS shares a bit with the XSS-exiting bitmap
 * (SDM 25.1.3), which with IA32_XSS = 0 never happens.
 *
 * XINUSE (SDM 13.6) is not tracked: every enabled component counts as in
 * use, which the SDM allows ("XINUSE[i] may be 1 even when component i is in
 * its initial configuration"). So XSAVE and XSAVEOPT both write every
 * requested component and set its XSTATE_BV bit; XSAVEOPT's "modified
 * optimization" is never taken.
 *
 * Example: Linux 6.1 with XSAVEOPT. At boot it writes XCR0 = 3 with XSETBV
 * (a VM exit: hv/x86/exit.c calls cpu_x86_xsetbv), reads the area size from
 * CPUID.(EAX=0DH,ECX=0):EBX = 576, and on a context switch runs
 * `xsaveopt64 (%rdi)` with EDX:EAX = -1: RFBM = XCR0 = 3, so the legacy
 * region gets the x87 and SSE state and XSTATE_BV = 3 (the other header
 * bytes are left as they were); `xrstor64 (%rdi)` brings both back, and an
 * XSTATE_BV bit of 0 puts that component in its initial configuration.
 */
#include "cpu/x86/helpers.h"
#include "cpu/ir.h"
#include "cpu/x86/vmcs.h"

static inline struct cpu_x86 *X(struct cpu *cpu)
{
	return cpu_x86_of(cpu);
}

SV_NORETURN static void x86_gp0(struct cpu_x86 *c)
{
	cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
}

/* Offsets in the XSAVE area (SDM vol. 1 13.4). */
#define XSAVE_HDR 512u
#define XSAVE_XSTATE_BV (XSAVE_HDR + 0)
#define XSAVE_XCOMP_BV (XSAVE_HDR + 8)
#define X86_XCOMP_BV_COMPACT (1ull << 63)

/* ---- XGETBV / XSETBV -------------------------------------------------------- */

uint64_t x86_helper_xgetbv(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	if (!(c->cr4 & X86_CR4_OSXSAVE))
		cpu_x86_raise_exception(c, X86_EXC_UD, false, 0);
	/* ECX = 1 (XINUSE) needs CPUID.(EAX=0DH,ECX=1):EAX[2], not advertised. */
	if ((uint32_t)c->regs[X86_RCX] != 0)
		x86_gp0(c);
	c->regs[X86_RAX] = (uint32_t)c->xcr0;
	c->regs[X86_RDX] = c->xcr0 >> 32;
	return 0;
}

/* XSETBV exits unconditionally in VMX non-root operation (SDM 25.1.2);
 * #UD and the CPL check come first (SDM 25.1.1). */
uint64_t x86_helper_xsetbv(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	if (!(c->cr4 & X86_CR4_OSXSAVE))
		cpu_x86_raise_exception(c, X86_EXC_UD, false, 0);
	if (c->cpl != 0)
		x86_gp0(c);
	cpu_x86_vmexit_now(c, VMX_EXIT_XSETBV, 0, rip, (uint32_t)len);
}

/* SDM XSETBV: #GP(0) for an XCR other than 0, XCR0[0] = 0, an unsupported
 * bit, or AVX without SSE (moot while AVX is unsupported). */
bool cpu_x86_xsetbv(struct cpu_x86 *c, uint32_t index, uint64_t v)
{
	if (index != 0)
		return false;
	if (!(v & X86_XCR0_X87) || (v & ~X86_XCR0_SUPPORTED))
		return false;
	c->xcr0 = v;
	return true;
}

/* ---- XSAVE / XSAVEOPT / XRSTOR ----------------------------------------------- */

/* The initial configuration of the x87 state (SDM vol. 1 13.6). */
static void x86_x87_init_state(struct x86_fpu *f)
{
	f->fcw = X86_FCW_DEFAULT;
	f->fsw = 0;
	f->ftw = 0xffff;
	f->fop = 0;
	f->fip = f->fdp = 0;
	memset(f->st, 0, sizeof(f->st));
}

/* Store bytes [from, to) of img at la + from. */
static void x86_xsave_store(struct cpu_x86 *c, uint64_t la, const uint8_t *img, unsigned from,
			    unsigned to, unsigned idx)
{
	for (unsigned i = from; i < to; i += 8)
		cpu_st(&c->cpu, x86_la_add(c, la, i), IR_MO_64, idx, ld64_le_p(img + i));
}

/* XSAVE, XSAVEOPT: the requested components of the legacy region, then
 * XSTATE_BV (only its RFBM bits change; the rest of the header is kept).
 * XSAVEC, XSAVES (compact): XSTATE_BV = XINUSE & RFBM written whole and
 * XCOMP_BV = bit 63 | RFBM (SDM vol. 1 13.10, 13.11). */
static void x86_xsave(struct cpu_x86 *c, uint64_t la, uint64_t rfbm, unsigned idx, bool w,
		      bool compact)
{
	uint8_t img[512];
	unsigned nxmm = cpu_x86_code64(c) ? 16 : 8;
	uint64_t xinuse = c->xcr0;
	uint64_t bv = cpu_ld(&c->cpu, x86_la_add(c, la, XSAVE_XSTATE_BV), IR_MO_64, idx);
	memset(img, 0, sizeof(img));
	x86_fx_save_image(c, img, w,
			  ((rfbm & X86_XCR0_X87) ? X86_FX_X87 : 0) |
				  ((rfbm & X86_XCR0_SSE) ? X86_FX_MXCSR | X86_FX_XMM : 0));
	if (rfbm & X86_XCR0_X87) {
		x86_xsave_store(c, la, img, 0, 24, idx);
		x86_xsave_store(c, la, img, 32, 160, idx);
	}
	if (rfbm & X86_XCR0_SSE) {
		x86_xsave_store(c, la, img, 24, 32, idx);
		x86_xsave_store(c, la, img, 160, 160 + 16 * nxmm, idx);
	}
	bv = (bv & ~rfbm) | (xinuse & rfbm);
	if (compact) {
		bv = xinuse & rfbm;
		cpu_st(&c->cpu, x86_la_add(c, la, XSAVE_XCOMP_BV), IR_MO_64, idx,
		       rfbm | X86_XCOMP_BV_COMPACT);
	}
	cpu_st(&c->cpu, x86_la_add(c, la, XSAVE_XSTATE_BV), IR_MO_64, idx, bv);
}

/*
 * XRSTOR and XRSTORS (SDM vol. 1 13.8, 13.12). #GP(0), before any state
 * changes:
 *   standard form (XCOMP_BV[63] = 0; XRSTORS refuses it): XSTATE_BV sets a
 *     bit not in XCR0, or header bytes 23:8 are not 0;
 *   compacted form: XCOMP_BV[62:0] has a bit not in XCR0 (| IA32_XSS for
 *     XRSTORS), XSTATE_BV one not in XCOMP_BV, or header bytes 63:16 are
 *     not 0;
 *   reserved MXCSR bits when MXCSR is loaded.
 * Then each component in RFBM is loaded if its XSTATE_BV bit is 1, else
 * initialised. MXCSR: standard form, loaded whenever RFBM[1]; compacted
 * form, loaded with the SSE state and otherwise initialised (1F80H).
 */
static void x86_xrstor(struct cpu_x86 *c, uint64_t la, uint64_t rfbm, unsigned idx, bool w,
		       bool xrstors)
{
	uint8_t img[512];
	struct x86_fpu *f = &c->fpu;
	unsigned nxmm = cpu_x86_code64(c) ? 16 : 8;
	uint64_t bv = cpu_ld(&c->cpu, x86_la_add(c, la, XSAVE_XSTATE_BV), IR_MO_64, idx);
	uint64_t comp = cpu_ld(&c->cpu, x86_la_add(c, la, XSAVE_XCOMP_BV), IR_MO_64, idx);
	uint64_t hdr_or = 0;
	bool compact = comp & X86_XCOMP_BV_COMPACT;
	uint64_t allowed = c->xcr0 | (xrstors ? c->xss : 0);
	for (unsigned off = 16; off < (compact ? 64u : 24u); off += 8)
		hdr_or |= cpu_ld(&c->cpu, x86_la_add(c, la, XSAVE_HDR + off), IR_MO_64, idx);
	if (compact) {
		comp &= ~X86_XCOMP_BV_COMPACT;
		if ((comp & ~allowed) || (bv & ~comp) || hdr_or)
			x86_gp0(c);
	} else if (xrstors || (bv & ~c->xcr0) || comp || hdr_or) {
		x86_gp0(c);
	}
	bool sse_mxcsr = compact ? (bv & X86_XCR0_SSE) != 0 : true;
	memset(img, 0, sizeof(img));
	for (unsigned i = 0; i < 512; i += 8) {
		bool x87 = i < 24 || (i >= 32 && i < 160);
		bool mx = i >= 24 && i < 32;
		bool xmm = i >= 160 && i < 160 + 16 * nxmm;
		if ((x87 && (rfbm & bv & X86_XCR0_X87)) ||
		    (mx && (rfbm & X86_XCR0_SSE) && sse_mxcsr) ||
		    (xmm && (rfbm & bv & X86_XCR0_SSE)))
			st64_le_p(img + i, cpu_ld(&c->cpu, x86_la_add(c, la, i), IR_MO_64, idx));
	}
	if ((rfbm & X86_XCR0_SSE) && sse_mxcsr && (ld32_le_p(img + 24) & ~X86_MXCSR_MASK))
		x86_gp0(c);
	if (rfbm & X86_XCR0_X87) {
		if (bv & X86_XCR0_X87)
			x86_fx_restore_image(c, img, w, X86_FX_X87);
		else
			x86_x87_init_state(f);
	}
	if (rfbm & X86_XCR0_SSE) {
		if (sse_mxcsr)
			x86_fx_restore_image(c, img, w, X86_FX_MXCSR);
		else
			f->mxcsr = X86_MXCSR_DEFAULT;
		if (bv & X86_XCR0_SSE)
			x86_fx_restore_image(c, img, w, X86_FX_XMM);
		else
			memset(f->xmm, 0, nxmm * sizeof(f->xmm[0]));
	}
}

/*
 * 0F AE /4 /5 /6 and 0F C7 /3 /4 /5 memory forms. Faults in the SDM's
 * order: #UD without CR4.OSXSAVE (XSAVES/XRSTORS: also without "enable
 * XSAVES/XRSTORS"), #GP(0) for XSAVES/XRSTORS at CPL > 0, #NM with CR0.TS,
 * #GP(0) for an area not 64-byte aligned, then the accesses' own faults.
 */
uint64_t x86_helper_xsave(struct cpu *cpu, uint64_t la, uint64_t info, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned op = info & 7, idx = (info >> 3) & 7;
	bool w = (info >> 6) & 1;
	bool sup = op == X86_XSAVES || op == X86_XRSTORS;
	if (!(c->cr4 & X86_CR4_OSXSAVE))
		cpu_x86_raise_exception(c, X86_EXC_UD, false, 0);
	if (sup && !(vmcs_get(&c->vmcs, SECONDARY_VM_EXEC_CONTROL) & SECONDARY_EXEC_XSAVES))
		cpu_x86_raise_exception(c, X86_EXC_UD, false, 0);
	if (sup && c->cpl != 0)
		x86_gp0(c);
	if (c->cr0 & X86_CR0_TS)
		cpu_x86_raise_exception(c, X86_EXC_NM, false, 0);
	if (la & 63)
		x86_gp0(c);
	uint64_t edx_eax =
		((uint64_t)(uint32_t)c->regs[X86_RDX] << 32) | (uint32_t)c->regs[X86_RAX];
	uint64_t rfbm = edx_eax & (c->xcr0 | (sup ? c->xss : 0));
	switch (op) {
	case X86_XRSTOR: x86_xrstor(c, la, rfbm, idx, w, false); break;
	case X86_XRSTORS: x86_xrstor(c, la, rfbm, idx, w, true); break;
	case X86_XSAVEC:
	case X86_XSAVES: x86_xsave(c, la, rfbm, idx, w, true); break;
	default: x86_xsave(c, la, rfbm, idx, w, false); break;
	}
	return 0;
}
