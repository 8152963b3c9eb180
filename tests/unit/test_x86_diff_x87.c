/*
 * Differential test of the x87 instructions against the host CPU. Each form
 * runs inside the same frame, natively and in the emulator:
 *     fninit; fldcw 0(%rdi); fldt 32(%rdi) (b); fldt 16(%rdi) (a)
 *     <the instruction; memory operands at 48(%rdi)>
 *     fxsave64 64(%rdi); pushfq; pop %rsi; fninit
 * over tables of 80-bit operands (zeros, denormals, extremes, infinities,
 * quiet/signalling NaNs, integer boundaries), memory values, all four
 * rounding modes and both values of the arithmetic flags. The FXSAVE images
 * (FCW, FSW with TOP and the condition codes and exception flags, the
 * abridged tag word, every non-empty register), the memory operand and the
 * arithmetic flags (FCOMI) must match. FOP/FIP/FDP are not compared (recent
 * Intel cores update them only on unmasked exceptions).
 *
 * To add a form: a SNIP line, an FX declaration and a table row. x86-64
 * hosts only (test_x86_sse.c has directed x87 tests for every host).
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_x86.h"

#if defined(__x86_64__)

#define SNIP(name, insn)                                                                           \
	".globl " #name "\n.hidden " #name "\n" #name ":\n"                                        \
	"fninit\n fldcw 0(%rdi)\n fldt 32(%rdi)\n fldt 16(%rdi)\n" insn "\n"                       \
	"fxsave64 64(%rdi)\n pushfq\n pop %rsi\n fninit\n"                                         \
	".globl " #name "_end\n.hidden " #name "_end\n" #name "_end:\nret\n"

/* clang-format off */
asm(".pushsection .text.x86diffx87,\"ax\"\n"
    SNIP(fx_d8_add, ".byte 0xd8,0xc1")
    SNIP(fx_d8_mul, ".byte 0xd8,0xc9")
    SNIP(fx_d8_com, ".byte 0xd8,0xd1")
    SNIP(fx_d8_comp, ".byte 0xd8,0xd9")
    SNIP(fx_d8_sub, ".byte 0xd8,0xe1")
    SNIP(fx_d8_subr, ".byte 0xd8,0xe9")
    SNIP(fx_d8_div, ".byte 0xd8,0xf1")
    SNIP(fx_d8_divr, ".byte 0xd8,0xf9")
    SNIP(fx_dc_add, ".byte 0xdc,0xc1")
    SNIP(fx_dc_mul, ".byte 0xdc,0xc9")
    SNIP(fx_dc_com, ".byte 0xdc,0xd1")
    SNIP(fx_dc_comp, ".byte 0xdc,0xd9")
    SNIP(fx_dc_sub, ".byte 0xdc,0xe1")
    SNIP(fx_dc_subr, ".byte 0xdc,0xe9")
    SNIP(fx_dc_div, ".byte 0xdc,0xf1")
    SNIP(fx_dc_divr, ".byte 0xdc,0xf9")
    SNIP(fx_de_add, ".byte 0xde,0xc1")
    SNIP(fx_de_mul, ".byte 0xde,0xc9")
    SNIP(fx_de_sub, ".byte 0xde,0xe1")
    SNIP(fx_de_subr, ".byte 0xde,0xe9")
    SNIP(fx_de_div, ".byte 0xde,0xf1")
    SNIP(fx_de_divr, ".byte 0xde,0xf9")
    SNIP(fx_fcompp, ".byte 0xde,0xd9")
    SNIP(fx_fucom, ".byte 0xdd,0xe1")
    SNIP(fx_fucomp, ".byte 0xdd,0xe9")
    SNIP(fx_fucompp, ".byte 0xda,0xe9")
    SNIP(fx_fcomi, ".byte 0xdb,0xf1")
    SNIP(fx_fucomi, ".byte 0xdb,0xe9")
    SNIP(fx_fcomip, ".byte 0xdf,0xf1")
    SNIP(fx_fucomip, ".byte 0xdf,0xe9")
    SNIP(fx_ftst, ".byte 0xd9,0xe4")
    SNIP(fx_fxam, ".byte 0xd9,0xe5")
    SNIP(fx_fchs, ".byte 0xd9,0xe0")
    SNIP(fx_fabs, ".byte 0xd9,0xe1")
    SNIP(fx_fsqrt, ".byte 0xd9,0xfa")
    SNIP(fx_frndint, ".byte 0xd9,0xfc")
    SNIP(fx_fscale, ".byte 0xd9,0xfd")
    SNIP(fx_fincstp, ".byte 0xd9,0xf7")
    SNIP(fx_fdecstp, ".byte 0xd9,0xf6")
    SNIP(fx_fld1, ".byte 0xd9,0xe8")
    SNIP(fx_fldl2t, ".byte 0xd9,0xe9")
    SNIP(fx_fldl2e, ".byte 0xd9,0xea")
    SNIP(fx_fldpi, ".byte 0xd9,0xeb")
    SNIP(fx_fldlg2, ".byte 0xd9,0xec")
    SNIP(fx_fldln2, ".byte 0xd9,0xed")
    SNIP(fx_fldz, ".byte 0xd9,0xee")
    SNIP(fx_fnop, ".byte 0xd9,0xd0")
    SNIP(fx_fprem, ".byte 0xd9,0xf8")
    SNIP(fx_fprem1, ".byte 0xd9,0xf5")
    SNIP(fx_fxtract, ".byte 0xd9,0xf4")
    SNIP(fx_fxch, ".byte 0xd9,0xc9")
    SNIP(fx_fld_st1, ".byte 0xd9,0xc1")
    SNIP(fx_fst_st1, ".byte 0xdd,0xd1")
    SNIP(fx_fstp_st1, ".byte 0xdd,0xd9")
    SNIP(fx_ffree_st1, ".byte 0xdd,0xc1")
    SNIP(fx_fstp_st0, ".byte 0xdd,0xd8")
    SNIP(fx_fcmovb, ".byte 0xda,0xc1")
    SNIP(fx_fcmovnb, ".byte 0xdb,0xc1")
    SNIP(fx_fcmove, ".byte 0xda,0xc9")
    SNIP(fx_fcmovne, ".byte 0xdb,0xc9")
    SNIP(fx_fcmovbe, ".byte 0xda,0xd1")
    SNIP(fx_fcmovnbe, ".byte 0xdb,0xd1")
    SNIP(fx_fcmovu, ".byte 0xda,0xd9")
    SNIP(fx_fcmovnu, ".byte 0xdb,0xd9")
    SNIP(fx_fadds, ".byte 0xd8,0x47,0x30")
    SNIP(fx_fmuls, ".byte 0xd8,0x4f,0x30")
    SNIP(fx_fcoms, ".byte 0xd8,0x57,0x30")
    SNIP(fx_fcomps, ".byte 0xd8,0x5f,0x30")
    SNIP(fx_fsubs, ".byte 0xd8,0x67,0x30")
    SNIP(fx_fsubrs, ".byte 0xd8,0x6f,0x30")
    SNIP(fx_fdivs, ".byte 0xd8,0x77,0x30")
    SNIP(fx_fdivrs, ".byte 0xd8,0x7f,0x30")
    SNIP(fx_faddl, ".byte 0xdc,0x47,0x30")
    SNIP(fx_fmull, ".byte 0xdc,0x4f,0x30")
    SNIP(fx_fcoml, ".byte 0xdc,0x57,0x30")
    SNIP(fx_fcompl, ".byte 0xdc,0x5f,0x30")
    SNIP(fx_fsubl, ".byte 0xdc,0x67,0x30")
    SNIP(fx_fsubrl, ".byte 0xdc,0x6f,0x30")
    SNIP(fx_fdivl, ".byte 0xdc,0x77,0x30")
    SNIP(fx_fdivrl, ".byte 0xdc,0x7f,0x30")
    SNIP(fx_fiaddl, ".byte 0xda,0x47,0x30")
    SNIP(fx_fimull, ".byte 0xda,0x4f,0x30")
    SNIP(fx_fisubl, ".byte 0xda,0x67,0x30")
    SNIP(fx_fisubrl, ".byte 0xda,0x6f,0x30")
    SNIP(fx_fidivl, ".byte 0xda,0x77,0x30")
    SNIP(fx_fidivrl, ".byte 0xda,0x7f,0x30")
    SNIP(fx_fiadds, ".byte 0xde,0x47,0x30")
    SNIP(fx_fimuls, ".byte 0xde,0x4f,0x30")
    SNIP(fx_fisubs, ".byte 0xde,0x67,0x30")
    SNIP(fx_fisubrs, ".byte 0xde,0x6f,0x30")
    SNIP(fx_fidivs, ".byte 0xde,0x77,0x30")
    SNIP(fx_fidivrs, ".byte 0xde,0x7f,0x30")
    SNIP(fx_flds, "flds 48(%rdi)")
    SNIP(fx_fldl, "fldl 48(%rdi)")
    SNIP(fx_fildl, "fildl 48(%rdi)")
    SNIP(fx_filds, "filds 48(%rdi)")
    SNIP(fx_fildll, "fildll 48(%rdi)")
    SNIP(fx_fsts, "fsts 48(%rdi)")
    SNIP(fx_fstl, "fstl 48(%rdi)")
    SNIP(fx_fstps, "fstps 48(%rdi)")
    SNIP(fx_fstpl, "fstpl 48(%rdi)")
    SNIP(fx_fstpt, "fstpt 48(%rdi)")
    SNIP(fx_fists, "fists 48(%rdi)")
    SNIP(fx_fistl, "fistl 48(%rdi)")
    SNIP(fx_fistps, "fistps 48(%rdi)")
    SNIP(fx_fistpl, "fistpl 48(%rdi)")
    SNIP(fx_fistpll, "fistpll 48(%rdi)")
    SNIP(fx_fnstsw, "fnstsw 48(%rdi)")
    SNIP(fx_fisttps, "fisttps 48(%rdi)")
    SNIP(fx_fisttpl, "fisttpl 48(%rdi)")
    SNIP(fx_fisttpll, "fisttpll 48(%rdi)")
    SNIP(fx_fnstcw, "fnstcw 48(%rdi)")
    SNIP(fx_fldt, "fldt 48(%rdi)")
    ".popsection\n");
/* clang-format on */

#define FX(n) extern const uint8_t fx_##n[], fx_##n##_end[]
FX(d8_add);
FX(d8_mul);
FX(d8_com);
FX(d8_comp);
FX(d8_sub);
FX(d8_subr);
FX(d8_div);
FX(d8_divr);
FX(dc_add);
FX(dc_mul);
FX(dc_com);
FX(dc_comp);
FX(dc_sub);
FX(dc_subr);
FX(dc_div);
FX(dc_divr);
FX(de_add);
FX(de_mul);
FX(de_sub);
FX(de_subr);
FX(de_div);
FX(de_divr);
FX(fcompp);
FX(fucom);
FX(fucomp);
FX(fucompp);
FX(fcomi);
FX(fucomi);
FX(fcomip);
FX(fucomip);
FX(ftst);
FX(fxam);
FX(fchs);
FX(fabs);
FX(fsqrt);
FX(frndint);
FX(fscale);
FX(fincstp);
FX(fdecstp);
FX(fld1);
FX(fldl2t);
FX(fldl2e);
FX(fldpi);
FX(fldlg2);
FX(fldln2);
FX(fldz);
FX(fnop);
FX(fprem);
FX(fprem1);
FX(fxtract);
FX(fxch);
FX(fld_st1);
FX(fst_st1);
FX(fstp_st1);
FX(ffree_st1);
FX(fstp_st0);
FX(fcmovb);
FX(fcmovnb);
FX(fcmove);
FX(fcmovne);
FX(fcmovbe);
FX(fcmovnbe);
FX(fcmovu);
FX(fcmovnu);
FX(fadds);
FX(fmuls);
FX(fcoms);
FX(fcomps);
FX(fsubs);
FX(fsubrs);
FX(fdivs);
FX(fdivrs);
FX(faddl);
FX(fmull);
FX(fcoml);
FX(fcompl);
FX(fsubl);
FX(fsubrl);
FX(fdivl);
FX(fdivrl);
FX(fiaddl);
FX(fimull);
FX(fisubl);
FX(fisubrl);
FX(fidivl);
FX(fidivrl);
FX(fiadds);
FX(fimuls);
FX(fisubs);
FX(fisubrs);
FX(fidivs);
FX(fidivrs);
FX(flds);
FX(fldl);
FX(fildl);
FX(filds);
FX(fildll);
FX(fsts);
FX(fstl);
FX(fstps);
FX(fstpl);
FX(fstpt);
FX(fists);
FX(fistl);
FX(fistps);
FX(fistpl);
FX(fistpll);
FX(fnstsw);
FX(fisttps);
FX(fisttpl);
FX(fisttpll);
FX(fnstcw);
FX(fldt);

struct fx_op {
	const char *name;
	const uint8_t *code, *end;
};

static const struct fx_op fx_ops[] = {
	{ "d8_add", fx_d8_add, fx_d8_add_end },
	{ "d8_mul", fx_d8_mul, fx_d8_mul_end },
	{ "d8_com", fx_d8_com, fx_d8_com_end },
	{ "d8_comp", fx_d8_comp, fx_d8_comp_end },
	{ "d8_sub", fx_d8_sub, fx_d8_sub_end },
	{ "d8_subr", fx_d8_subr, fx_d8_subr_end },
	{ "d8_div", fx_d8_div, fx_d8_div_end },
	{ "d8_divr", fx_d8_divr, fx_d8_divr_end },
	{ "dc_add", fx_dc_add, fx_dc_add_end },
	{ "dc_mul", fx_dc_mul, fx_dc_mul_end },
	{ "dc_com", fx_dc_com, fx_dc_com_end },
	{ "dc_comp", fx_dc_comp, fx_dc_comp_end },
	{ "dc_sub", fx_dc_sub, fx_dc_sub_end },
	{ "dc_subr", fx_dc_subr, fx_dc_subr_end },
	{ "dc_div", fx_dc_div, fx_dc_div_end },
	{ "dc_divr", fx_dc_divr, fx_dc_divr_end },
	{ "de_add", fx_de_add, fx_de_add_end },
	{ "de_mul", fx_de_mul, fx_de_mul_end },
	{ "de_sub", fx_de_sub, fx_de_sub_end },
	{ "de_subr", fx_de_subr, fx_de_subr_end },
	{ "de_div", fx_de_div, fx_de_div_end },
	{ "de_divr", fx_de_divr, fx_de_divr_end },
	{ "fcompp", fx_fcompp, fx_fcompp_end },
	{ "fucom", fx_fucom, fx_fucom_end },
	{ "fucomp", fx_fucomp, fx_fucomp_end },
	{ "fucompp", fx_fucompp, fx_fucompp_end },
	{ "fcomi", fx_fcomi, fx_fcomi_end },
	{ "fucomi", fx_fucomi, fx_fucomi_end },
	{ "fcomip", fx_fcomip, fx_fcomip_end },
	{ "fucomip", fx_fucomip, fx_fucomip_end },
	{ "ftst", fx_ftst, fx_ftst_end },
	{ "fxam", fx_fxam, fx_fxam_end },
	{ "fchs", fx_fchs, fx_fchs_end },
	{ "fabs", fx_fabs, fx_fabs_end },
	{ "fsqrt", fx_fsqrt, fx_fsqrt_end },
	{ "frndint", fx_frndint, fx_frndint_end },
	{ "fscale", fx_fscale, fx_fscale_end },
	{ "fincstp", fx_fincstp, fx_fincstp_end },
	{ "fdecstp", fx_fdecstp, fx_fdecstp_end },
	{ "fld1", fx_fld1, fx_fld1_end },
	{ "fldl2t", fx_fldl2t, fx_fldl2t_end },
	{ "fldl2e", fx_fldl2e, fx_fldl2e_end },
	{ "fldpi", fx_fldpi, fx_fldpi_end },
	{ "fldlg2", fx_fldlg2, fx_fldlg2_end },
	{ "fldln2", fx_fldln2, fx_fldln2_end },
	{ "fldz", fx_fldz, fx_fldz_end },
	{ "fnop", fx_fnop, fx_fnop_end },
	{ "fprem", fx_fprem, fx_fprem_end },
	{ "fprem1", fx_fprem1, fx_fprem1_end },
	{ "fxtract", fx_fxtract, fx_fxtract_end },
	{ "fxch", fx_fxch, fx_fxch_end },
	{ "fld_st1", fx_fld_st1, fx_fld_st1_end },
	{ "fst_st1", fx_fst_st1, fx_fst_st1_end },
	{ "fstp_st1", fx_fstp_st1, fx_fstp_st1_end },
	{ "ffree_st1", fx_ffree_st1, fx_ffree_st1_end },
	{ "fstp_st0", fx_fstp_st0, fx_fstp_st0_end },
	{ "fcmovb", fx_fcmovb, fx_fcmovb_end },
	{ "fcmovnb", fx_fcmovnb, fx_fcmovnb_end },
	{ "fcmove", fx_fcmove, fx_fcmove_end },
	{ "fcmovne", fx_fcmovne, fx_fcmovne_end },
	{ "fcmovbe", fx_fcmovbe, fx_fcmovbe_end },
	{ "fcmovnbe", fx_fcmovnbe, fx_fcmovnbe_end },
	{ "fcmovu", fx_fcmovu, fx_fcmovu_end },
	{ "fcmovnu", fx_fcmovnu, fx_fcmovnu_end },
	{ "fadds", fx_fadds, fx_fadds_end },
	{ "fmuls", fx_fmuls, fx_fmuls_end },
	{ "fcoms", fx_fcoms, fx_fcoms_end },
	{ "fcomps", fx_fcomps, fx_fcomps_end },
	{ "fsubs", fx_fsubs, fx_fsubs_end },
	{ "fsubrs", fx_fsubrs, fx_fsubrs_end },
	{ "fdivs", fx_fdivs, fx_fdivs_end },
	{ "fdivrs", fx_fdivrs, fx_fdivrs_end },
	{ "faddl", fx_faddl, fx_faddl_end },
	{ "fmull", fx_fmull, fx_fmull_end },
	{ "fcoml", fx_fcoml, fx_fcoml_end },
	{ "fcompl", fx_fcompl, fx_fcompl_end },
	{ "fsubl", fx_fsubl, fx_fsubl_end },
	{ "fsubrl", fx_fsubrl, fx_fsubrl_end },
	{ "fdivl", fx_fdivl, fx_fdivl_end },
	{ "fdivrl", fx_fdivrl, fx_fdivrl_end },
	{ "fiaddl", fx_fiaddl, fx_fiaddl_end },
	{ "fimull", fx_fimull, fx_fimull_end },
	{ "fisubl", fx_fisubl, fx_fisubl_end },
	{ "fisubrl", fx_fisubrl, fx_fisubrl_end },
	{ "fidivl", fx_fidivl, fx_fidivl_end },
	{ "fidivrl", fx_fidivrl, fx_fidivrl_end },
	{ "fiadds", fx_fiadds, fx_fiadds_end },
	{ "fimuls", fx_fimuls, fx_fimuls_end },
	{ "fisubs", fx_fisubs, fx_fisubs_end },
	{ "fisubrs", fx_fisubrs, fx_fisubrs_end },
	{ "fidivs", fx_fidivs, fx_fidivs_end },
	{ "fidivrs", fx_fidivrs, fx_fidivrs_end },
	{ "flds", fx_flds, fx_flds_end },
	{ "fldl", fx_fldl, fx_fldl_end },
	{ "fildl", fx_fildl, fx_fildl_end },
	{ "filds", fx_filds, fx_filds_end },
	{ "fildll", fx_fildll, fx_fildll_end },
	{ "fsts", fx_fsts, fx_fsts_end },
	{ "fstl", fx_fstl, fx_fstl_end },
	{ "fstps", fx_fstps, fx_fstps_end },
	{ "fstpl", fx_fstpl, fx_fstpl_end },
	{ "fstpt", fx_fstpt, fx_fstpt_end },
	{ "fists", fx_fists, fx_fists_end },
	{ "fistl", fx_fistl, fx_fistl_end },
	{ "fistps", fx_fistps, fx_fistps_end },
	{ "fistpl", fx_fistpl, fx_fistpl_end },
	{ "fistpll", fx_fistpll, fx_fistpll_end },
	{ "fnstsw", fx_fnstsw, fx_fnstsw_end },
	{ "fisttps", fx_fisttps, fx_fisttps_end },
	{ "fisttpl", fx_fisttpl, fx_fisttpl_end },
	{ "fisttpll", fx_fisttpll, fx_fisttpll_end },
	{ "fnstcw", fx_fnstcw, fx_fnstcw_end },
	{ "fldt", fx_fldt, fx_fldt_end },
};

/* 80-bit operands: significand, sign/exponent. */
static const struct {
	uint64_t m;
	uint16_t se;
} fx_vals[] = {
	{ 0, 0 },
	{ 0, 0x8000 },
	{ 0x8000000000000000ull, 0x3fff },
	{ 0x8000000000000000ull, 0xbfff },
	{ 0xc000000000000000ull, 0x3fff },
	{ 0xc000000000000000ull, 0x4000 },
	{ 0xc90fdaa22168c235ull, 0x4000 },
	{ 0xcccccccccccccccdull, 0x3ffb },
	{ 0xaaaaaaaaaaaaaaabull, 0x3ffd },
	{ 0xffffffffffffffffull, 0x7ffe },
	{ 0x8000000000000000ull, 0x0001 },
	{ 0x0000000000000001ull, 0x0000 },
	{ 0x8000000000000000ull, 0x7fff },
	{ 0x8000000000000000ull, 0xffff },
	{ 0xc000000000000001ull, 0x7fff },
	{ 0x8000000000000001ull, 0x7fff },
	{ 0x8000000000000000ull, 0x403e },
	{ 0x8000000000000000ull, 0xc03e },
	{ 0xa000000000000000ull, 0x4000 },
	{ 0xa000000000000000ull, 0xc000 },
	{ 0x9502f90000000000ull, 0x4020 },
	{ 0xffff000000000000ull, 0x400d },
	{ 0xfffffffffffffffeull, 0x403d },
	{ 0x8000000000000000ull, 0x3fbf },
};

static const uint64_t fx_mem[] = {
	0,
	0x8000000000000000ull,
	0x3ff0000000000000ull,
	0x400921fb54442d18ull,
	0x7ff0000000000000ull,
	0x7ff8000000000001ull,
	0x7ff0000000000042ull,
	0x0000000000000001ull,
	0x3f8000007fc00000ull,
	0x00000000ffffffffull,
	0x000000007fffffffull,
	0x0000000080000000ull,
	0x0000000000007fffull,
	0x0000000000008000ull,
	0xfffffffffffffffdull,
	0x4202a05f20000000ull,
	0x0000000000000003ull,
	0xc00000003f800001ull,
	0x7f80000000800000ull,
	0xbff8000000000000ull,
	0x7fffffffffffffffull,
	0x3fe0000000000000ull,
	0x0000000000000000ull,
	0x4059000000000000ull,
};

static const uint16_t fx_cw[] = { 0x037f, 0x077f, 0x0b7f, 0x0f7f };

struct fx_frame {
	uint16_t cw;
	uint8_t pad0[14];
	uint8_t a[16], b[16], mem[16];
	uint8_t fxs[512];
} __attribute__((aligned(64)));

static void fx_host(const struct fx_op *op, struct fx_frame *f, uint64_t *flags)
{
	uint64_t fl = *flags | 0x202;
	asm volatile("sub $128, %%rsp\n\t"
		     "push %[fl]\n\t"
		     "popfq\n\t"
		     "call *%[fn]\n\t"
		     "mov %%rsi, %[fl]\n\t"
		     "add $128, %%rsp"
		     : [fl] "+r"(fl)
		     : "D"(f), [fn] "r"(op->code)
		     : "rsi", "memory", "cc");
	*flags = fl;
}

static void fx_inputs(struct fx_frame *f, size_t i, size_t j, size_t k)
{
	size_t n = SV_ARRAY_SIZE(fx_vals);
	memset(f, 0, sizeof(*f));
	f->cw = fx_cw[k];
	memcpy(f->a, &fx_vals[i].m, 8);
	memcpy(f->a + 8, &fx_vals[i].se, 2);
	memcpy(f->b, &fx_vals[j].m, 8);
	memcpy(f->b + 8, &fx_vals[j].se, 2);
	memcpy(f->mem, &fx_mem[(i + j + k) % n], 8);
	memcpy(f->mem + 8, &fx_vals[(i * 3 + j) % n].se, 2); /* m80 loads: an exponent */
}

/* Compare what the SDM defines: FCW FSW FTW(abridged), the registers the
 * tag marks valid, the memory operand, and the arithmetic flags. */
static bool fx_same(const struct fx_op *op, const struct fx_frame *a, const struct fx_frame *b,
		    uint64_t fa, uint64_t fb)
{
	if (memcmp(a->fxs, b->fxs, 5) != 0 || memcmp(a->mem, b->mem, 16) != 0)
		return false;
	/* FPREM/FPREM1 partial remainders (C2 = 1) depend on the SDM's
	 * "implementation-dependent N": only the status is compared. */
	if (!strncmp(op->name, "fprem", 5) && (a->fxs[3] & 0x04))
		return ((fa ^ fb) & 0x8d5) == 0;
	unsigned top = (a->fxs[3] >> 3) & 7, tags = a->fxs[4];
	for (unsigned i = 0; i < 8; i++)
		if (((tags >> ((top + i) & 7)) & 1) &&
		    memcmp(a->fxs + 32 + 16 * i, b->fxs + 32 + 16 * i, 10))
			return false;
	return ((fa ^ fb) & 0x8d5) == 0;
}

Test(x86_diff, x87_matches_the_host_cpu)
{
	static const uint8_t tail[] = { 0x0f, 0x01, 0xc1 }; /* vmcall */
	static struct fx_frame in, host;
	struct x86_vm vm;
	unsigned failures = 0, runs = 0, op_fail;
	size_t n = SV_ARRAY_SIZE(fx_vals);
	const uint64_t frame = 0x20000;

	x86_vm_diff_init(&vm);
	for (size_t k = 0; k < SV_ARRAY_SIZE(fx_ops); k++) {
		const struct fx_op *op = &fx_ops[k];
		uint64_t at = x86_vm_diff_put(&vm, k, 64, op->code, op->end, tail, sizeof(tail));
		op_fail = 0;
		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < n; j++) {
				for (size_t m = 0; m < SV_ARRAY_SIZE(fx_cw); m++) {
					uint64_t fin = (i + j + m) & 1 ? 0x8d5 : 0, fhost = fin;
					fx_inputs(&in, i, j, m);
					host = in;
					fx_host(op, &host, &fhost);
					struct cpu_x86 *c = vm.c;
					x86_vm_put(&vm, frame, &in, sizeof(in));
					c->regs[X86_RDI] = frame;
					x86_vm_diff_run(&vm, at, fin, op->name);
					runs++;
					struct fx_frame emu;
					cr_assert_eq(
						p2m_copy_from(vm.p2m, &emu, frame, sizeof(emu)), 0);
					bool bad =
						!fx_same(op, &host, &emu, fhost, c->regs[X86_RSI]);
					failures += bad;
					if (bad && op_fail++ < 2) {
						fprintf(stderr,
							"%s a=%04x:%016llx b=%04x:%016llx mem=%016llx cw=%x: "
							"emu fsw=%04x tag=%02x st0=%04x:%016llx mem=%016llx "
							"fl=%llx; host fsw=%04x tag=%02x st0=%04x:%016llx "
							"mem=%016llx fl=%llx\n",
							op->name, fx_vals[i].se,
							(unsigned long long)fx_vals[i].m,
							fx_vals[j].se,
							(unsigned long long)fx_vals[j].m,
							(unsigned long long)ld64_le_p(in.mem),
							in.cw, (unsigned)ld16_le_p(emu.fxs + 2),
							emu.fxs[4],
							(unsigned)ld16_le_p(emu.fxs + 40),
							(unsigned long long)ld64_le_p(emu.fxs + 32),
							(unsigned long long)ld64_le_p(emu.mem),
							(unsigned long long)(c->regs[X86_RSI] &
									     0x8d5),
							(unsigned)ld16_le_p(host.fxs + 2),
							host.fxs[4],
							(unsigned)ld16_le_p(host.fxs + 40),
							(unsigned long long)ld64_le_p(host.fxs +
										      32),
							(unsigned long long)ld64_le_p(host.mem),
							(unsigned long long)(fhost & 0x8d5));
					}
				}
			}
		}
	}
	x86_vm_destroy(&vm);
	cr_assert_eq(failures, 0, "%u of %u runs differ from the host", failures, runs);
}

#else

Test(x86_diff, x87_matches_the_host_cpu)
{
	cr_skip_test("the differential test needs an x86-64 host");
}

#endif
