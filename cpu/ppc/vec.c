/*
 * VMX (Power ISA v3.0B Book I chapter 6) and VSX (chapter 7) register
 * operations: logical, permute, merge, splat, shift, integer add/subtract
 * (modulo, saturating, carry-out, quadword), average, absolute difference,
 * multiply (even/odd, modulo word), sum-across, pack/unpack, negate and
 * sign-extend, parity, min/max, compare (with CR6), count and bit-gather
 * instructions. The saturating ones set VSCR[SAT] when they clamp.
 *
 * The 64 VSRs live in struct cpu_ppc as vsr[n][0..1] (doubleword 0 first);
 * VR n is VSR 32 + n. The helpers work on a 16-byte image in the ISA's
 * element order -- byte 0 is the most significant byte of doubleword 0 --
 * so that "element i" below is exactly the ISA's element i in both byte
 * orders (MSR[LE] only changes how loads and stores fill the register,
 * translate_vec.c).
 *
 * Example: vperm v1,v2,v3,v4 with v4 byte i = 0x10 + i gives v1 = v3;
 * vcmpequb. v1,v2,v2 gives v1 = all ones and CR6 = 0b1000 (all true).
 */
#include "cpu/ppc/translate.h"

struct ppc_vr {
	uint8_t b[16];
};

static struct ppc_vr vget(const struct cpu_ppc *c, unsigned n)
{
	struct ppc_vr v;
	for (unsigned i = 0; i < 8; i++) {
		v.b[i] = (uint8_t)(c->vsr[n][0] >> (56 - 8 * i));
		v.b[8 + i] = (uint8_t)(c->vsr[n][1] >> (56 - 8 * i));
	}
	return v;
}

static void vput(struct cpu_ppc *c, unsigned n, const struct ppc_vr *v)
{
	uint64_t d0 = 0, d1 = 0;
	for (unsigned i = 0; i < 8; i++) {
		d0 = (d0 << 8) | v->b[i];
		d1 = (d1 << 8) | v->b[8 + i];
	}
	c->vsr[n][0] = d0;
	c->vsr[n][1] = d1;
}

/* Element i of width w bytes (big-endian within the element). */
static uint64_t vel(const struct ppc_vr *v, unsigned w, unsigned i)
{
	uint64_t x = 0;
	for (unsigned k = 0; k < w; k++)
		x = (x << 8) | v->b[i * w + k];
	return x;
}

static void vset(struct ppc_vr *v, unsigned w, unsigned i, uint64_t x)
{
	for (int k = (int)w - 1; k >= 0; k--) {
		v->b[i * w + (unsigned)k] = (uint8_t)x;
		x >>= 8;
	}
}

static int64_t vsext(uint64_t x, unsigned w)
{
	return (int64_t)sv_sext(x, 8 * w);
}

static uint64_t vmask(unsigned w)
{
	return w == 8 ? ~0ull : (1ull << (8 * w)) - 1;
}

enum vop {
	V_ADD,
	V_SUB,
	V_MAXU,
	V_MAXS,
	V_MINU,
	V_MINS,
	V_SL,
	V_SR,
	V_SRA,
	V_RL,
	V_CMPEQ,
	V_CMPGTU,
	V_CMPGTS,
	V_CMPNE,
	V_CMPNEZ,
};

static uint64_t vop1(enum vop op, uint64_t a, uint64_t b, unsigned w)
{
	unsigned bits = 8 * w, sh = (unsigned)(b & (bits - 1));
	uint64_t m = vmask(w);
	switch (op) {
	case V_ADD: return (a + b) & m;
	case V_SUB: return (a - b) & m;
	case V_MAXU: return a > b ? a : b;
	case V_MAXS: return vsext(a, w) > vsext(b, w) ? a : b;
	case V_MINU: return a < b ? a : b;
	case V_MINS: return vsext(a, w) < vsext(b, w) ? a : b;
	case V_SL: return (a << sh) & m;
	case V_SR: return a >> sh;
	case V_SRA: return (uint64_t)(vsext(a, w) >> sh) & m;
	case V_RL: return sh ? ((a << sh) | (a >> (bits - sh))) & m : a;
	case V_CMPEQ: return a == b ? m : 0;
	case V_CMPGTU: return a > b ? m : 0;
	case V_CMPGTS: return vsext(a, w) > vsext(b, w) ? m : 0;
	case V_CMPNE: return a != b ? m : 0;
	case V_CMPNEZ: return (a != b || a == 0 || b == 0) ? m : 0;
	}
	return 0;
}

/* Element-wise t = a op b; returns the CR6 image of a compare. */
static unsigned velementwise(struct ppc_vr *t, const struct ppc_vr *a, const struct ppc_vr *b,
			     enum vop op, unsigned w)
{
	bool all = true, none = true;
	for (unsigned i = 0; i < 16 / w; i++) {
		uint64_t r = vop1(op, vel(a, w, i), vel(b, w, i), w);
		vset(t, w, i, r);
		all &= r != 0;
		none &= r == 0;
	}
	return (all ? 8u : 0u) | (none ? 2u : 0u);
}

/* Clamp x to the range of a w-byte element (signed or unsigned), setting
 * VSCR[SAT] if it had to. */
static uint64_t vsat(struct cpu_ppc *c, __int128 x, unsigned w, bool sgn)
{
	__int128 lo = sgn ? -((__int128)1 << (8 * w - 1)) : 0;
	__int128 hi = sgn ? ((__int128)1 << (8 * w - 1)) - 1 : ((__int128)1 << (8 * w)) - 1;

	if (x < lo || x > hi) {
		c->vscr |= 1;
		x = x < lo ? lo : hi;
	}
	return (uint64_t)x & vmask(w);
}

static __int128 vval(const struct ppc_vr *v, unsigned w, unsigned i, bool sgn)
{
	uint64_t x = vel(v, w, i);
	return sgn ? (__int128)vsext(x, w) : (__int128)x;
}

static unsigned __int128 vquad(const struct ppc_vr *v)
{
	return ((unsigned __int128)vel(v, 8, 0) << 64) | vel(v, 8, 1);
}

static void vset_quad(struct ppc_vr *t, unsigned __int128 x)
{
	vset(t, 8, 0, (uint64_t)(x >> 64));
	vset(t, 8, 1, (uint64_t)x);
}

/*
 * The integer arithmetic added with ISA 2.03..3.0 beyond modulo add/sub:
 * saturating add/sub, carries, quadword add/sub, averages, absolute
 * differences, multiplies, sums across, packs, unpacks and word merges.
 * false if xo is none of them.
 */
static bool ppc_vmx_arith(struct cpu_ppc *c, unsigned xo, const struct ppc_vr *a,
			  const struct ppc_vr *b, struct ppc_vr *t)
{
	unsigned w = 1u << ((xo >> 6) & 3);

	switch (xo) {
	case 512:
	case 576:
	case 640: /* vaddu[bhw]s */
	case 768:
	case 832:
	case 896: /* vadds[bhw]s */
	case 1536:
	case 1600:
	case 1664: /* vsubu[bhw]s */
	case 1792:
	case 1856:
	case 1920: { /* vsubs[bhw]s */
		bool sgn = (xo & 0x100) != 0, sub = xo >= 1536;
		for (unsigned i = 0; i < 16 / w; i++) {
			__int128 x = vval(a, w, i, sgn), y = vval(b, w, i, sgn);
			vset(t, w, i, vsat(c, sub ? x - y : x + y, w, sgn));
		}
		return true;
	}
	case 384:  /* vaddcuw */
	case 1408: /* vsubcuw: the carry of a + ~b + 1, i.e. a >= b */
		for (unsigned i = 0; i < 4; i++) {
			uint64_t x = vel(a, 4, i), y = vel(b, 4, i);
			vset(t, 4, i, xo == 384 ? (x + y) >> 32 : x >= y);
		}
		return true;
	case 256: vset_quad(t, vquad(a) + vquad(b)); return true;  /* vadduqm */
	case 1280: vset_quad(t, vquad(a) - vquad(b)); return true; /* vsubuqm */
	case 320: /* vaddcuq */ vset_quad(t, vquad(a) + vquad(b) < vquad(a)); return true;
	case 1344: vset_quad(t, vquad(a) >= vquad(b)); return true; /* vsubcuq */
	case 1026:
	case 1090:
	case 1154: /* vavgu[bhw] */
	case 1282:
	case 1346:
	case 1410: { /* vavgs[bhw] */
		bool sgn = xo >= 1282;
		w = 1u << (((xo - (sgn ? 1282 : 1026)) >> 6) & 3);
		for (unsigned i = 0; i < 16 / w; i++) {
			__int128 s = vval(a, w, i, sgn) + vval(b, w, i, sgn) + 1;
			vset(t, w, i, (uint64_t)(s >> 1) & vmask(w));
		}
		return true;
	}
	case 1027:
	case 1091:
	case 1155: /* vabsdu[bhw] */
		w = 1u << (((xo - 1027) >> 6) & 3);
		for (unsigned i = 0; i < 16 / w; i++) {
			uint64_t x = vel(a, w, i), y = vel(b, w, i);
			vset(t, w, i, x > y ? x - y : y - x);
		}
		return true;
	case 8:
	case 72:
	case 136: /* vmulou[bhw] */
	case 264:
	case 328:
	case 392: /* vmulos[bhw] */
	case 520:
	case 584:
	case 648: /* vmuleu[bhw] */
	case 776:
	case 840:
	case 904: { /* vmules[bhw] */
		bool sgn = (xo & 0x100) != 0, odd = xo < 520;
		for (unsigned i = 0; i < 8 / w; i++) {
			unsigned k = 2 * i + odd;
			__int128 p = vval(a, w, k, sgn) * vval(b, w, k, sgn);
			vset(t, 2 * w, i, (uint64_t)p & vmask(2 * w));
		}
		return true;
	}
	case 137: /* vmuluwm */
		for (unsigned i = 0; i < 4; i++)
			vset(t, 4, i, (vel(a, 4, i) * vel(b, 4, i)) & 0xffffffffu);
		return true;
	case 1544:   /* vsum4ubs */
	case 1800:   /* vsum4sbs */
	case 1608: { /* vsum4shs */
		unsigned ew = xo == 1608 ? 2 : 1;
		bool sgn = xo != 1544;
		for (unsigned i = 0; i < 4; i++) {
			__int128 s = vval(b, 4, i, sgn);
			for (unsigned k = 0; k < 4 / ew; k++)
				s += vval(a, ew, i * (4 / ew) + k, sgn);
			vset(t, 4, i, vsat(c, s, 4, sgn));
		}
		return true;
	}
	case 1672: /* vsum2sws */
		for (unsigned i = 0; i < 2; i++) {
			__int128 s = vval(a, 4, 2 * i, true) + vval(a, 4, 2 * i + 1, true) +
				     vval(b, 4, 2 * i + 1, true);
			vset(t, 4, 2 * i, 0);
			vset(t, 4, 2 * i + 1, vsat(c, s, 4, true));
		}
		return true;
	case 1928: { /* vsumsws */
		__int128 s = vval(b, 4, 3, true);
		for (unsigned k = 0; k < 4; k++)
			s += vval(a, 4, k, true);
		memset(t, 0, sizeof(*t));
		vset(t, 4, 3, vsat(c, s, 4, true));
		return true;
	}
	case 14:
	case 78:
	case 1102: /* vpku[hwd]um */
	case 142:
	case 206:
	case 1230: /* vpku[hwd]us */
	case 270:
	case 334:
	case 1358: /* vpks[hwd]us */
	case 398:
	case 462:
	case 1486: { /* vpks[hwd]ss */
		unsigned kind = xo >= 1102 ? (xo - 1102) >> 7 : ((xo - 14) >> 6) >> 1;
		unsigned sw = xo >= 1102 ? 8 : 2u << (((xo - 14) >> 6) & 1), dw = sw / 2;
		for (unsigned i = 0; i < 16 / sw; i++)
			for (unsigned h = 0; h < 2; h++) {
				const struct ppc_vr *s = h ? b : a;
				unsigned k = h * (16 / sw) + i;
				switch (kind) {
				case 0: vset(t, dw, k, vel(s, sw, i) & vmask(dw)); break;
				case 1:
					vset(t, dw, k, vsat(c, vval(s, sw, i, false), dw, false));
					break;
				case 2:
					vset(t, dw, k, vsat(c, vval(s, sw, i, true), dw, false));
					break;
				default:
					vset(t, dw, k, vsat(c, vval(s, sw, i, true), dw, true));
					break;
				}
			}
		return true;
	}
	case 526:
	case 590:
	case 1614: /* vupkhs[bhw] */
	case 654:
	case 718:
	case 1742: { /* vupkls[bhw] */
		unsigned sw = (xo == 526 || xo == 654) ? 1 : (xo == 590 || xo == 718) ? 2 : 4;
		unsigned base = (xo == 654 || xo == 718 || xo == 1742) ? 8 / sw : 0;
		for (unsigned i = 0; i < 8 / sw; i++)
			vset(t, 2 * sw, i,
			     (uint64_t)vsext(vel(b, sw, base + i), sw) & vmask(2 * sw));
		return true;
	}
	case 1932: /* vmrgew */
	case 1676: /* vmrgow */
		for (unsigned i = 0; i < 2; i++) {
			vset(t, 4, 2 * i, vel(a, 4, 2 * i + (xo == 1676)));
			vset(t, 4, 2 * i + 1, vel(b, 4, 2 * i + (xo == 1676)));
		}
		return true;
	default: return false;
	}
}

/*
 * The VX-form group at XO 1538 selected by the VRA field (v3.0): negate,
 * sign-extend, byte parity, count trailing zeros (vclzlsbb/vctzlsbb, with a
 * GPR result, are handled by the caller).
 */
static void ppc_vmx_1538(unsigned sel, const struct ppc_vr *b, struct ppc_vr *t)
{
	switch (sel) {
	case 6:
	case 7: { /* vneg[wd] */
		unsigned w = sel == 6 ? 4 : 8;
		for (unsigned i = 0; i < 16 / w; i++)
			vset(t, w, i, (0 - vel(b, w, i)) & vmask(w));
		break;
	}
	case 8:
	case 9:
	case 10: { /* vprtyb[wdq]: XOR of each byte's lsb */
		unsigned w = sel == 8 ? 4 : sel == 9 ? 8 : 16;
		for (unsigned i = 0; i < 16 / w; i++) {
			unsigned p = 0;
			for (unsigned k = 0; k < w; k++)
				p ^= b->b[i * w + k] & 1;
			if (w == 16)
				vset_quad(t, p);
			else
				vset(t, w, i, p);
		}
		break;
	}
	case 16:
	case 17:
	case 24:
	case 25:
	case 26: { /* vexts[bhw]2[wd] */
		unsigned dw = sel >= 24 ? 8 : 4;
		unsigned sw = (sel == 16 || sel == 24) ? 1 : (sel == 17 || sel == 25) ? 2 : 4;
		for (unsigned i = 0; i < 16 / dw; i++)
			vset(t, dw, i,
			     (uint64_t)vsext(vel(b, sw, (i + 1) * (dw / sw) - 1), sw) & vmask(dw));
		break;
	}
	default: { /* 28..31: vctz[bhwd] */
		unsigned w = 1u << (sel - 28);
		for (unsigned i = 0; i < 16 / w; i++) {
			uint64_t x = vel(b, w, i);
			vset(t, w, i, x ? (unsigned)__builtin_ctzll(x) : 8 * w);
		}
		break;
	}
	}
}

/* Whole-register shifts by bits (vsl/vsr) or octets (vslo/vsro). */
static void vshift128(struct ppc_vr *t, const struct ppc_vr *a, unsigned n_bits, bool left)
{
	unsigned __int128 x = 0;
	for (unsigned i = 0; i < 16; i++)
		x = (x << 8) | a->b[i];
	x = n_bits >= 128 ? 0 : left ? x << n_bits : x >> n_bits;
	for (int i = 15; i >= 0; i--) {
		t->b[i] = (uint8_t)x;
		x >>= 8;
	}
}

/* VA-form (xo = bits 26:31): vsel, vperm, vsldoi, vpermr. */
static void ppc_vmx_va(struct cpu_ppc *c, uint32_t insn, struct ppc_vr *t)
{
	struct ppc_vr a = vget(c, 32 + ppc_ra(insn)), b = vget(c, 32 + ppc_rb(insn));
	struct ppc_vr cc = vget(c, 32 + ((insn >> 6) & 31));
	unsigned xo = insn & 0x3f;

	for (unsigned i = 0; i < 16; i++) {
		unsigned k;
		switch (xo) {
		case 42: t->b[i] = (uint8_t)((a.b[i] & ~cc.b[i]) | (b.b[i] & cc.b[i])); break;
		case 43: /* vperm */
		case 59: /* vpermr */
			k = cc.b[i] & 0x1f;
			if (xo == 59)
				k = 31 - k;
			t->b[i] = k < 16 ? a.b[k] : b.b[k - 16];
			break;
		default: /* vsldoi: SHB = bits 22:25 */
			k = i + ((insn >> 6) & 0xf);
			t->b[i] = k < 16 ? a.b[k] : b.b[k - 16];
			break;
		}
	}
}

/* Returns the GPR result of the VX instructions that have one. */
static uint64_t ppc_vmx_vx(struct cpu_ppc *c, uint32_t insn, struct ppc_vr *t, bool *write,
			   uint64_t gpr)
{
	unsigned xo = insn & 0x7ff, w = 1u << ((xo >> 6) & 3);
	struct ppc_vr a = vget(c, 32 + ppc_ra(insn)), b = vget(c, 32 + ppc_rb(insn));
	unsigned uim = ppc_ra(insn);
	int64_t sim = (int64_t)sv_sext(uim, 5);

	*write = true;
	if (ppc_vmx_arith(c, xo, &a, &b, t))
		return 0;
	switch (xo) {
	case 0:
	case 64:
	case 128:
	case 192: velementwise(t, &a, &b, V_ADD, w); break;
	case 1024:
	case 1088:
	case 1152:
	case 1216: velementwise(t, &a, &b, V_SUB, w); break;
	case 2:
	case 66:
	case 130:
	case 194: velementwise(t, &a, &b, V_MAXU, w); break;
	case 258:
	case 322:
	case 386:
	case 450: velementwise(t, &a, &b, V_MAXS, w); break;
	case 514:
	case 578:
	case 642:
	case 706: velementwise(t, &a, &b, V_MINU, w); break;
	case 770:
	case 834:
	case 898:
	case 962: velementwise(t, &a, &b, V_MINS, w); break;
	case 260:
	case 324:
	case 388: velementwise(t, &a, &b, V_SL, w); break;
	case 1476: velementwise(t, &a, &b, V_SL, 8); break;
	case 516:
	case 580:
	case 644: velementwise(t, &a, &b, V_SR, w); break;
	case 1732: velementwise(t, &a, &b, V_SR, 8); break;
	case 772:
	case 836:
	case 900: velementwise(t, &a, &b, V_SRA, w); break;
	case 964: velementwise(t, &a, &b, V_SRA, 8); break;
	case 4:
	case 68:
	case 132:
	case 196: velementwise(t, &a, &b, V_RL, w); break;
	case 1028:
	case 1092:
	case 1156:
	case 1220:
	case 1284:
	case 1348:
	case 1412:
	case 1668:
		for (unsigned i = 0; i < 16; i++) {
			uint8_t x = a.b[i], y = b.b[i];
			switch (xo) {
			case 1028: t->b[i] = x & y; break;
			case 1092: t->b[i] = x & (uint8_t)~y; break;
			case 1156: t->b[i] = x | y; break;
			case 1220: t->b[i] = x ^ y; break;
			case 1284: t->b[i] = (uint8_t) ~(x | y); break;
			case 1348: t->b[i] = x | (uint8_t)~y; break;
			case 1412: t->b[i] = (uint8_t) ~(x & y); break;
			default: t->b[i] = (uint8_t) ~(x ^ y); break;
			}
		}
		break;
	case 12:
	case 76:
	case 140: /* vmrgh[bhw] */
	case 268:
	case 332:
	case 396: { /* vmrgl[bhw] */
		unsigned ew = 1u << ((xo >> 6) & 3), n = 8 / ew, base = xo >= 268 ? n : 0;
		for (unsigned i = 0; i < n; i++) {
			vset(t, ew, 2 * i, vel(&a, ew, base + i));
			vset(t, ew, 2 * i + 1, vel(&b, ew, base + i));
		}
		break;
	}
	case 524:
	case 588:
	case 652: { /* vsplt[bhw] VRT,VRB,UIM */
		unsigned ew = 1u << ((xo - 524) >> 6), n = 16 / ew;
		uint64_t x = vel(&b, ew, uim & (n - 1));
		for (unsigned i = 0; i < n; i++)
			vset(t, ew, i, x);
		break;
	}
	case 780:
	case 844:
	case 908: { /* vspltis[bhw] VRT,SIM */
		unsigned ew = 1u << ((xo - 780) >> 6);
		for (unsigned i = 0; i < 16 / ew; i++)
			vset(t, ew, i, (uint64_t)sim & vmask(ew));
		break;
	}
	case 452: vshift128(t, &a, b.b[15] & 7, true); break;
	case 708: vshift128(t, &a, b.b[15] & 7, false); break;
	case 1036: vshift128(t, &a, 8 * ((b.b[15] >> 3) & 15), true); break;
	case 1100: vshift128(t, &a, 8 * ((b.b[15] >> 3) & 15), false); break;
	case 1540: /* mfvscr */
		memset(t, 0, sizeof(*t));
		vset(t, 4, 3, c->vscr & 0xffffffffu);
		break;
	case 1604: /* mtvscr */
		c->vscr = vel(&b, 4, 3) & 0x00010001u;
		*write = false;
		break;
	case 1794:
	case 1858:
	case 1922:
	case 1986: /* vclz[bhwd] */
	case 1795:
	case 1859:
	case 1923:
	case 1987: { /* vpopcnt[bhwd] */
		unsigned ew = 1u << ((xo >> 6) & 3);
		for (unsigned i = 0; i < 16 / ew; i++) {
			uint64_t x = vel(&b, ew, i);
			unsigned r = (xo & 1) ? (unsigned)__builtin_popcountll(x) :
				     x        ? (unsigned)__builtin_clzll(x) - (64 - 8 * ew) :
						8 * ew;
			vset(t, ew, i, r);
		}
		break;
	}
	case 1292: /* vgbbd: transpose each 8x8 bit matrix */
		for (unsigned d = 0; d < 2; d++)
			for (unsigned i = 0; i < 8; i++) {
				uint8_t r = 0;
				for (unsigned j = 0; j < 8; j++)
					r |= (uint8_t)(((b.b[8 * d + j] >> (7 - i)) & 1)
						       << (7 - j));
				t->b[8 * d + i] = r;
			}
		break;
	case 1356: { /* vbpermq: 16 bits of VRA selected by the bytes of VRB */
		unsigned r = 0;
		for (unsigned i = 0; i < 16; i++) {
			unsigned k = b.b[i];
			if (k < 128 && ((a.b[k / 8] >> (7 - k % 8)) & 1))
				r |= 0x8000u >> i;
		}
		memset(t, 0, sizeof(*t));
		vset(t, 8, 0, r);
		break;
	}
	case 1538: { /* vclzlsbb (VRA field 0) / vctzlsbb (1): RT = count */
		unsigned n = 0;
		bool ctz = ppc_ra(insn) == 1;

		if (ppc_ra(insn) > 1) {
			ppc_vmx_1538(ppc_ra(insn), &b, t);
			return 0;
		}
		for (unsigned i = 0; i < 16; i++) {
			if (b.b[ctz ? 15 - i : i] & 1)
				break;
			n++;
		}
		*write = false;
		return n;
	}
	case 1549: /* vextublx RT,RA,VRB */
	case 1805: /* vextubrx */
		*write = false;
		return b.b[xo == 1549 ? (gpr & 15) : 15 - (gpr & 15)];
	default: *write = false; break;
	}
	return 0;
}

/*
 * ppc_helper_vmx(insn, form, gpr): form 0 VX, 1 VC (compare), 2 VA. Writes VRT
 * (and CR6 for a compare with Rc); returns the GPR result of vclzlsbb,
 * vctzlsbb and vextub[lr]x (gpr = RA's value for the latter).
 */
uint64_t ppc_helper_vmx(struct cpu *cpu, uint64_t insn_w, uint64_t form, uint64_t gpr, uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint32_t insn = (uint32_t)insn_w;
	struct ppc_vr t;
	uint64_t ret = 0;
	bool write = true;
	(void)u3;

	memset(&t, 0, sizeof(t));
	if (form == 2) {
		ppc_vmx_va(c, insn, &t);
	} else if (form == 1) {
		static const struct {
			uint16_t xo;
			uint8_t op, w;
		} cmp[] = {
			{ 6, V_CMPEQ, 1 },    { 70, V_CMPEQ, 2 },   { 134, V_CMPEQ, 4 },
			{ 199, V_CMPEQ, 8 },  { 518, V_CMPGTU, 1 }, { 582, V_CMPGTU, 2 },
			{ 646, V_CMPGTU, 4 }, { 711, V_CMPGTU, 8 }, { 774, V_CMPGTS, 1 },
			{ 838, V_CMPGTS, 2 }, { 902, V_CMPGTS, 4 }, { 967, V_CMPGTS, 8 },
			{ 7, V_CMPNE, 1 },    { 71, V_CMPNE, 2 },   { 135, V_CMPNE, 4 },
			{ 263, V_CMPNEZ, 1 }, { 327, V_CMPNEZ, 2 }, { 391, V_CMPNEZ, 4 },
		};
		struct ppc_vr a = vget(c, 32 + ppc_ra(insn)), b = vget(c, 32 + ppc_rb(insn));
		unsigned xo = insn & 0x3ff;
		for (size_t i = 0; i < SV_ARRAY_SIZE(cmp); i++) {
			if (cmp[i].xo != xo)
				continue;
			unsigned cr6 = velementwise(&t, &a, &b, (enum vop)cmp[i].op, cmp[i].w);
			if (insn & 0x400)
				c->crf[6] = cr6;
		}
	} else {
		ret = ppc_vmx_vx(c, insn, &t, &write, gpr);
	}
	if (write)
		vput(c, 32 + ppc_rt(insn), &t);
	return ret;
}

/* ------------------------------------------------------------ VSX (opcode 60) */

static unsigned xt(uint32_t i)
{
	return ppc_rt(i) | ((i & 1) << 5);
}
static unsigned xb(uint32_t i)
{
	return ppc_rb(i) | (((i >> 1) & 1) << 5);
}
static unsigned xa(uint32_t i)
{
	return ppc_ra(i) | (((i >> 2) & 1) << 5);
}

/* xvabssp 409, xvnabssp 425, xvnegsp 441, xvabsdp 473, xvnabsdp 489,
 * xvnegdp 505 (XX2, XO bits 21:29). */
static bool ppc_vsx_sign_op(unsigned x9)
{
	return x9 == 409 || x9 == 425 || x9 == 441 || x9 == 473 || x9 == 489 || x9 == 505;
}

uint64_t ppc_helper_vsx(struct cpu *cpu, uint64_t insn_w, uint64_t u1, uint64_t u2, uint64_t u3)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint32_t insn = (uint32_t)insn_w;
	struct ppc_vr a = vget(c, xa(insn)), b = vget(c, xb(insn)), t;
	unsigned x8 = (insn >> 3) & 0xff;
	(void)u1;
	(void)u2;
	(void)u3;

	memset(&t, 0, sizeof(t));
	if (x8 == 240 || x8 == 208) { /* xvcpsgndp / xvcpsgnsp: XB with XA's signs */
		unsigned w = x8 == 240 ? 8 : 4;
		for (unsigned i = 0; i < 16 / w; i++) {
			uint64_t sign = 1ull << (8 * w - 1);
			vset(&t, w, i, (vel(&b, w, i) & ~sign) | (vel(&a, w, i) & sign));
		}
	} else if (ppc_vsx_sign_op((insn >> 2) & 0x1ff)) {
		/* xv{abs,nabs,neg}{dp,sp}: the sign bit of each element */
		unsigned x9 = (insn >> 2) & 0x1ff, w = x9 >= 473 ? 8 : 4, op = (x9 - 409) % 64 / 16;
		for (unsigned i = 0; i < 16 / w; i++) {
			uint64_t sign = 1ull << (8 * w - 1), x = vel(&b, w, i);
			vset(&t, w, i, op == 0 ? x & ~sign : op == 1 ? x | sign : x ^ sign);
		}
	} else if (((insn >> 4) & 3) == 3) { /* xxsel XT,XA,XB,XC (XX4) */
		struct ppc_vr cc = vget(c, ((insn >> 6) & 31) | (((insn >> 3) & 1) << 5));
		for (unsigned i = 0; i < 16; i++)
			t.b[i] = (uint8_t)((a.b[i] & ~cc.b[i]) | (b.b[i] & cc.b[i]));
	} else if (((insn >> 2) & 0x1ff) == 164) { /* xxspltw XT,XB,UIM */
		uint64_t x = vel(&b, 4, (insn >> 16) & 3);
		for (unsigned i = 0; i < 4; i++)
			vset(&t, 4, i, x);
	} else if (((insn >> 1) & 0x3ff) == 360) { /* xxspltib XT,IMM8 */
		memset(t.b, (insn >> 11) & 0xff, 16);
	} else if (((insn >> 2) & 0x1ff) == 475) { /* xxbr[hwdq] */
		unsigned ew = ppc_ra(insn) == 7  ? 2 :
			      ppc_ra(insn) == 15 ? 4 :
			      ppc_ra(insn) == 23 ? 8 :
						   16;
		for (unsigned i = 0; i < 16; i += ew)
			for (unsigned k = 0; k < ew; k++)
				t.b[i + k] = b.b[i + ew - 1 - k];
	} else if ((x8 & 0x9f) == 0x0a) { /* xxpermdi DM */
		unsigned dm = (insn >> 8) & 3;
		memcpy(t.b, a.b + ((dm & 2) ? 8 : 0), 8);
		memcpy(t.b + 8, b.b + ((dm & 1) ? 8 : 0), 8);
	} else if ((x8 & 0x9f) == 0x02) { /* xxsldwi SHW */
		unsigned shw = (insn >> 8) & 3;
		for (unsigned i = 0; i < 16; i++) {
			unsigned k = i + 4 * shw;
			t.b[i] = k < 16 ? a.b[k] : b.b[k - 16];
		}
	} else if (x8 == 18 || x8 == 50) { /* xxmrghw / xxmrglw */
		unsigned base = x8 == 50 ? 2 : 0;
		for (unsigned i = 0; i < 2; i++) {
			vset(&t, 4, 2 * i, vel(&a, 4, base + i));
			vset(&t, 4, 2 * i + 1, vel(&b, 4, base + i));
		}
	} else { /* the logical XX3 ops */
		for (unsigned i = 0; i < 16; i++) {
			uint8_t x = a.b[i], y = b.b[i];
			switch (x8) {
			case 130: t.b[i] = x & y; break;
			case 138: t.b[i] = x & (uint8_t)~y; break;
			case 146: t.b[i] = x | y; break;
			case 154: t.b[i] = x ^ y; break;
			case 162: t.b[i] = (uint8_t) ~(x | y); break;
			case 170: t.b[i] = x | (uint8_t)~y; break;
			case 178: t.b[i] = (uint8_t) ~(x & y); break;
			default: t.b[i] = (uint8_t) ~(x ^ y); break;
			}
		}
	}
	vput(c, xt(insn), &t);
	return 0;
}

/*
 * lxvl / lxvll / stxvl / stxvll (v3.0 7.6.1.2): nb = RB[0:7] bytes (at most
 * 16) at EA = (RA|0). lxvl/stxvl use the quadword's byte order (reversed in
 * LE, like lxvx); the "ll" forms are left-justified in either order. The
 * bytes a load does not read are 0. kind: bit 0 store, bit 1 left-justified,
 * bit 2 MSR[LE]; xt in bits 8..13.
 */
uint64_t ppc_helper_lxvl(struct cpu *cpu, uint64_t ea, uint64_t rb, uint64_t kind_xt,
			 uint64_t mmu_idx)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	unsigned nb = (unsigned)(rb >> 56), xt = (kind_xt >> 8) & 63;
	bool st = kind_xt & 1, rev = (kind_xt & 4) && !(kind_xt & 2);
	struct ppc_vr v = vget(c, xt), t;

	if (nb > 16)
		nb = 16;
	memset(&t, 0, sizeof(t));
	for (unsigned i = 0; i < nb; i++) {
		unsigned k = rev ? 15 - i : i;
		uint64_t a = (c->msr & PPC_MSR_SF) ? ea + i : (uint32_t)(ea + i);
		if (st)
			cpu_st(cpu, a, IR_MO_8, (unsigned)mmu_idx, v.b[k]);
		else
			t.b[k] = (uint8_t)cpu_ld(cpu, a, IR_MO_8, (unsigned)mmu_idx);
	}
	if (!st)
		vput(c, xt, &t);
	return 0;
}
