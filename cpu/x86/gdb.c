/*
 * x86-64 registers for gdb (see cpu/gdb.h).
 *
 * Features, as a stock gdb expects them for i386:x86-64:
 *   org.gnu.gdb.i386.core      rax rbx rcx rdx rsi rdi rbp rsp r8..r15 rip
 *                              eflags cs ss ds es fs gs, then st0..st7 fctrl
 *                              fstat ftag fiseg fioff foseg fooff fop (gdb
 *                              requires the x87 registers in this feature;
 *                              stN is ST(N), the register TOP + N)
 *   org.gnu.gdb.i386.sse       xmm0..xmm15 mxcsr
 *   org.gnu.gdb.i386.segments  fs_base gs_base
 *   org.softvisor.x86.sys      cr0 cr2 cr3 cr4 cr8 efer (our own feature:
 *                              gdb shows them with `info registers system`)
 * Segment selectors are read-only (writing one would need a descriptor
 * load); control registers and EFER are written through the same checked
 * setters as MOV to CR / WRMSR, so gdb cannot put the CPU in a state the
 * architecture forbids.
 */
#include "cpu/gdb.h"
#include "cpu/x86/cpu_x86.h"

enum {
	X86_GDB_CORE,
	X86_GDB_SSE,
	X86_GDB_SEGMENTS,
	X86_GDB_SYS,
};

/* RFLAGS bits by name (SDM 3.4.3) for gdb's display of eflags. */
static const char x86_gdb_eflags_type[] = "    <flags id=\"i386_eflags\" size=\"4\">\n"
					  "      <field name=\"CF\" start=\"0\" end=\"0\"/>\n"
					  "      <field name=\"\" start=\"1\" end=\"1\"/>\n"
					  "      <field name=\"PF\" start=\"2\" end=\"2\"/>\n"
					  "      <field name=\"AF\" start=\"4\" end=\"4\"/>\n"
					  "      <field name=\"ZF\" start=\"6\" end=\"6\"/>\n"
					  "      <field name=\"SF\" start=\"7\" end=\"7\"/>\n"
					  "      <field name=\"TF\" start=\"8\" end=\"8\"/>\n"
					  "      <field name=\"IF\" start=\"9\" end=\"9\"/>\n"
					  "      <field name=\"DF\" start=\"10\" end=\"10\"/>\n"
					  "      <field name=\"OF\" start=\"11\" end=\"11\"/>\n"
					  "      <field name=\"NT\" start=\"14\" end=\"14\"/>\n"
					  "      <field name=\"RF\" start=\"16\" end=\"16\"/>\n"
					  "      <field name=\"VM\" start=\"17\" end=\"17\"/>\n"
					  "      <field name=\"AC\" start=\"18\" end=\"18\"/>\n"
					  "      <field name=\"VIF\" start=\"19\" end=\"19\"/>\n"
					  "      <field name=\"VIP\" start=\"20\" end=\"20\"/>\n"
					  "      <field name=\"ID\" start=\"21\" end=\"21\"/>\n"
					  "    </flags>\n";

/* The 128-bit view gdb gives XMM registers, and MXCSR's bits (SDM 10.2.3). */
static const char x86_gdb_sse_types[] =
	"    <vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
	"    <vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
	"    <vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
	"    <vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
	"    <vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
	"    <vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
	"    <union id=\"vec128\">\n"
	"      <field name=\"v4_float\" type=\"v4f\"/>\n"
	"      <field name=\"v2_double\" type=\"v2d\"/>\n"
	"      <field name=\"v16_int8\" type=\"v16i8\"/>\n"
	"      <field name=\"v8_int16\" type=\"v8i16\"/>\n"
	"      <field name=\"v4_int32\" type=\"v4i32\"/>\n"
	"      <field name=\"v2_int64\" type=\"v2i64\"/>\n"
	"      <field name=\"uint128\" type=\"uint128\"/>\n"
	"    </union>\n"
	"    <flags id=\"i386_mxcsr\" size=\"4\">\n"
	"      <field name=\"IE\" start=\"0\" end=\"0\"/>\n"
	"      <field name=\"DE\" start=\"1\" end=\"1\"/>\n"
	"      <field name=\"ZE\" start=\"2\" end=\"2\"/>\n"
	"      <field name=\"OE\" start=\"3\" end=\"3\"/>\n"
	"      <field name=\"UE\" start=\"4\" end=\"4\"/>\n"
	"      <field name=\"PE\" start=\"5\" end=\"5\"/>\n"
	"      <field name=\"DAZ\" start=\"6\" end=\"6\"/>\n"
	"      <field name=\"IM\" start=\"7\" end=\"7\"/>\n"
	"      <field name=\"DM\" start=\"8\" end=\"8\"/>\n"
	"      <field name=\"ZM\" start=\"9\" end=\"9\"/>\n"
	"      <field name=\"OM\" start=\"10\" end=\"10\"/>\n"
	"      <field name=\"UM\" start=\"11\" end=\"11\"/>\n"
	"      <field name=\"PM\" start=\"12\" end=\"12\"/>\n"
	"      <field name=\"FZ\" start=\"15\" end=\"15\"/>\n"
	"    </flags>\n";

static const struct cpu_gdb_feature x86_gdb_features[] = {
	[X86_GDB_CORE] = { "org.gnu.gdb.i386.core", x86_gdb_eflags_type },
	[X86_GDB_SSE] = { "org.gnu.gdb.i386.sse", x86_gdb_sse_types },
	[X86_GDB_SEGMENTS] = { "org.gnu.gdb.i386.segments", NULL },
	[X86_GDB_SYS] = { "org.softvisor.x86.sys", NULL },
};

/* What each gdb register is in struct cpu_x86. */
/* The x87 control registers in gdb's order. */
enum x86_gdb_fpc {
	XF_FCTRL,
	XF_FSTAT,
	XF_FTAG,
	XF_FISEG,
	XF_FIOFF,
	XF_FOSEG,
	XF_FOOFF,
	XF_FOP,
};

enum x86_gdb_kind {
	XG_GPR,    /* regs[arg] */
	XG_RIP,    /* rip */
	XG_RFLAGS, /* cpu_x86_get_rflags / set_rflags */
	XG_SEL,    /* seg[arg].sel, read-only */
	XG_ST,     /* ST(arg) */
	XG_FPC,    /* x87 control register arg (enum x86_gdb_fpc) */
	XG_XMM,    /* fpu.xmm[arg] */
	XG_MXCSR,
	XG_BASE, /* seg[arg].base */
	XG_CR,   /* cr0/2/3/4/8 by arg */
	XG_EFER,
};

#define GPR(n, t, i)                                                                               \
	{                                                                                          \
		n, 64, t, "general", X86_GDB_CORE, XG_GPR, i                                       \
	}
#define SEL(n, s)                                                                                  \
	{                                                                                          \
		n, 32, "int32", "general", X86_GDB_CORE, XG_SEL, s                                 \
	}
#define ST(n, i)                                                                                   \
	{                                                                                          \
		n, 80, "i387_ext", "float", X86_GDB_CORE, XG_ST, i                                 \
	}
#define FPC(n, i)                                                                                  \
	{                                                                                          \
		n, 32, "int", "float", X86_GDB_CORE, XG_FPC, i                                     \
	}
#define CR(n, i)                                                                                   \
	{                                                                                          \
		n, 64, "int64", "system", X86_GDB_SYS, XG_CR, i                                    \
	}

/* The gdb register order: the table index is the register number. */
static const struct cpu_gdb_reg x86_gdb_regs[] = {
	GPR("rax", "int64", X86_RAX),
	GPR("rbx", "int64", X86_RBX),
	GPR("rcx", "int64", X86_RCX),
	GPR("rdx", "int64", X86_RDX),
	GPR("rsi", "int64", X86_RSI),
	GPR("rdi", "int64", X86_RDI),
	GPR("rbp", "data_ptr", X86_RBP),
	GPR("rsp", "data_ptr", X86_RSP),
	GPR("r8", "int64", X86_R8),
	GPR("r9", "int64", X86_R9),
	GPR("r10", "int64", X86_R10),
	GPR("r11", "int64", X86_R11),
	GPR("r12", "int64", X86_R12),
	GPR("r13", "int64", X86_R13),
	GPR("r14", "int64", X86_R14),
	GPR("r15", "int64", X86_R15),
	{ "rip", 64, "code_ptr", "general", X86_GDB_CORE, XG_RIP, 0 },
	{ "eflags", 32, "i386_eflags", "general", X86_GDB_CORE, XG_RFLAGS, 0 },
	SEL("cs", X86_SEG_CS),
	SEL("ss", X86_SEG_SS),
	SEL("ds", X86_SEG_DS),
	SEL("es", X86_SEG_ES),
	SEL("fs", X86_SEG_FS),
	SEL("gs", X86_SEG_GS),
	ST("st0", 0),
	ST("st1", 1),
	ST("st2", 2),
	ST("st3", 3),
	ST("st4", 4),
	ST("st5", 5),
	ST("st6", 6),
	ST("st7", 7),
	FPC("fctrl", 0),
	FPC("fstat", 1),
	FPC("ftag", 2),
	FPC("fiseg", 3),
	FPC("fioff", 4),
	FPC("foseg", 5),
	FPC("fooff", 6),
	FPC("fop", 7),
	{ "xmm0", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 0 },
	{ "xmm1", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 1 },
	{ "xmm2", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 2 },
	{ "xmm3", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 3 },
	{ "xmm4", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 4 },
	{ "xmm5", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 5 },
	{ "xmm6", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 6 },
	{ "xmm7", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 7 },
	{ "xmm8", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 8 },
	{ "xmm9", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 9 },
	{ "xmm10", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 10 },
	{ "xmm11", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 11 },
	{ "xmm12", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 12 },
	{ "xmm13", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 13 },
	{ "xmm14", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 14 },
	{ "xmm15", 128, "vec128", "sse", X86_GDB_SSE, XG_XMM, 15 },
	{ "mxcsr", 32, "i386_mxcsr", "vector", X86_GDB_SSE, XG_MXCSR, 0 },
	{ "fs_base", 64, "int", "system", X86_GDB_SEGMENTS, XG_BASE, X86_SEG_FS },
	{ "gs_base", 64, "int", "system", X86_GDB_SEGMENTS, XG_BASE, X86_SEG_GS },
	CR("cr0", 0),
	CR("cr2", 2),
	CR("cr3", 3),
	CR("cr4", 4),
	CR("cr8", 8),
	{ "efer", 64, "int64", "system", X86_GDB_SYS, XG_EFER, 0 },
};

#undef GPR
#undef SEL
#undef ST
#undef FPC
#undef CR

#define X86_GDB_NREGS (sizeof(x86_gdb_regs) / sizeof(x86_gdb_regs[0]))

static uint64_t *x86_gdb_cr(struct cpu_x86 *c, unsigned n)
{
	switch (n) {
	case 0: return &c->cr0;
	case 2: return &c->cr2;
	case 3: return &c->cr3;
	case 4: return &c->cr4;
	default: return &c->cr8;
	}
}

/* ST(i) is physical register (TOP + i) mod 8, TOP = FSW bits 13:11. */
static unsigned x86_gdb_st_phys(const struct cpu_x86 *c, unsigned i)
{
	return (((c->fpu.fsw >> 11) & 7) + i) & 7;
}

/* fiseg/fioff and foseg/fooff split the 64-bit FPU instruction and data
 * pointers as the 64-bit FXSAVE image does (offset 32 bits, then 16). */
static uint64_t x86_gdb_fpc(const struct cpu_x86 *c, unsigned which)
{
	switch (which) {
	case XF_FCTRL: return c->fpu.fcw;
	case XF_FSTAT: return c->fpu.fsw;
	case XF_FTAG: return c->fpu.ftw;
	case XF_FISEG: return (c->fpu.fip >> 32) & 0xffff;
	case XF_FIOFF: return (uint32_t)c->fpu.fip;
	case XF_FOSEG: return (c->fpu.fdp >> 32) & 0xffff;
	case XF_FOOFF: return (uint32_t)c->fpu.fdp;
	default: return c->fpu.fop;
	}
}

static void x86_gdb_set_fpc(struct cpu_x86 *c, unsigned which, uint64_t v)
{
	switch (which) {
	case XF_FCTRL: c->fpu.fcw = (uint16_t)v; break;
	case XF_FSTAT: c->fpu.fsw = (uint16_t)v; break;
	case XF_FTAG: c->fpu.ftw = (uint16_t)v; break;
	case XF_FISEG: c->fpu.fip = (c->fpu.fip & 0xffffffffull) | (v & 0xffff) << 32; break;
	case XF_FIOFF: c->fpu.fip = (c->fpu.fip & ~0xffffffffull) | (uint32_t)v; break;
	case XF_FOSEG: c->fpu.fdp = (c->fpu.fdp & 0xffffffffull) | (v & 0xffff) << 32; break;
	case XF_FOOFF: c->fpu.fdp = (c->fpu.fdp & ~0xffffffffull) | (uint32_t)v; break;
	default: c->fpu.fop = (uint16_t)(v & 0x7ff); break;
	}
}

static bool x86_gdb_big_endian(struct cpu *cpu)
{
	return false;
}

static bool x86_gdb_read_reg(struct cpu *cpu, unsigned i, uint8_t *buf)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	const struct cpu_gdb_reg *g;
	uint64_t v;

	if (i >= X86_GDB_NREGS)
		return false;
	g = &x86_gdb_regs[i];
	switch (g->kind) {
	case XG_GPR: v = c->regs[g->arg]; break;
	case XG_RIP: v = c->rip; break;
	case XG_RFLAGS: v = cpu_x86_get_rflags(c); break;
	case XG_SEL: v = c->seg[g->arg].sel; break;
	case XG_BASE: v = c->seg[g->arg].base; break;
	case XG_CR: v = *x86_gdb_cr(c, g->arg); break;
	case XG_EFER: v = c->efer; break;
	case XG_FPC: v = x86_gdb_fpc(c, g->arg); break;
	case XG_MXCSR: v = c->fpu.mxcsr; break;
	case XG_ST: {
		const struct x86_f80 *f = &c->fpu.st[x86_gdb_st_phys(c, g->arg)];
		/* i387_ext: the 64-bit significand, then sign and exponent. */
		cpu_gdb_put(buf, 8, f->mant, false);
		cpu_gdb_put(buf + 8, 2, f->se, false);
		return true;
	}
	case XG_XMM: memcpy(buf, c->fpu.xmm[g->arg].b, 16); return true;
	default: return false;
	}
	cpu_gdb_put(buf, g->bits / 8, v, false);
	return true;
}

static bool x86_gdb_write_reg(struct cpu *cpu, unsigned i, const uint8_t *buf)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	const struct cpu_gdb_reg *g;
	uint64_t v;

	if (i >= X86_GDB_NREGS)
		return false;
	g = &x86_gdb_regs[i];
	v = cpu_gdb_get(buf, g->bits / 8, false);
	switch (g->kind) {
	case XG_GPR: c->regs[g->arg] = v; return true;
	case XG_RIP: c->rip = v; return true;
	case XG_RFLAGS: cpu_x86_set_rflags(c, (c->rflags & ~0xffffffffull) | v); return true;
	case XG_BASE: c->seg[g->arg].base = v; return true;
	case XG_CR:
		switch (g->arg) {
		case 0: return cpu_x86_set_cr0(c, v);
		case 3: return cpu_x86_set_cr3(c, v);
		case 4: return cpu_x86_set_cr4(c, v);
		case 2: c->cr2 = v; return true;
		default: c->cr8 = v & 0xf; return true;
		}
	case XG_EFER: return cpu_x86_set_efer(c, v);
	case XG_FPC: x86_gdb_set_fpc(c, g->arg, v); return true;
	case XG_MXCSR:
		/* Reserved bits set would #GP on LDMXCSR (SDM 10.2.3.1). */
		if (v & ~0xffffull)
			return false;
		c->fpu.mxcsr = (uint32_t)v;
		return true;
	case XG_ST: {
		struct x86_f80 *f = &c->fpu.st[x86_gdb_st_phys(c, g->arg)];
		f->mant = cpu_gdb_get(buf, 8, false);
		f->se = (uint16_t)cpu_gdb_get(buf + 8, 2, false);
		return true;
	}
	case XG_XMM: memcpy(c->fpu.xmm[g->arg].b, buf, 16); return true;
	default: return false;
	}
}

static void x86_gdb_set_tb_pc(struct cpu *cpu, uint64_t pc)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	uint64_t rip = pc - c->seg[X86_SEG_CS].base;

	c->rip = cpu_x86_code64(c) ? rip : (rip & 0xffffffffull);
}

const struct cpu_gdb_ops cpu_x86_gdb_ops = {
	.architecture = "i386:x86-64",
	.features = x86_gdb_features,
	.n_features = sizeof(x86_gdb_features) / sizeof(x86_gdb_features[0]),
	.regs = x86_gdb_regs,
	.n_regs = X86_GDB_NREGS,
	.pc_reg = 16,
	.sp_reg = 7,
	.big_endian = x86_gdb_big_endian,
	.read_reg = x86_gdb_read_reg,
	.write_reg = x86_gdb_write_reg,
	.set_tb_pc = x86_gdb_set_tb_pc,
	.watch_stops_after = true,
};
