/*
 * 64-bit POWER registers for gdb (see cpu/gdb.h).
 *
 * Features, for the architecture powerpc:common64:
 *   org.gnu.gdb.power.core    r0..r31, pc, msr, cr, lr, ctr, xer (the names
 *                             and widths gdb's power core feature defines:
 *                             cr and xer are 32 bits, the rest 64)
 *   org.gnu.gdb.power.fpu     f0..f31 (doubleword 0 of VSR 0..31), fpscr
 *                             (64 bits: ISA 2.05 and later); the VMX/VSX
 *                             features are not described yet
 *   org.softvisor.power.spr   the supervisor and hypervisor SPRs below
 *                             (`info registers system`)
 * Byte order: the guest's current one (MSR[LE]); a big-endian guest's
 * registers are big-endian to gdb. MSR is written as mtmsrd would
 * (cpu_ppc_set_msr); the time base, DEC, HDEC and the SPRs that translation
 * depends on (LPCR, LPIDR, HRMOR, PTCR, SDR1, PIDR, AMR) are read-only here.
 */
#include "cpu/gdb.h"
#include "cpu/ppc/cpu_ppc.h"

#include <stddef.h>

enum {
	PPC_GDB_CORE,
	PPC_GDB_FPU,
	PPC_GDB_SPR,
};

static const struct cpu_gdb_feature ppc_gdb_features[] = {
	[PPC_GDB_CORE] = { "org.gnu.gdb.power.core", NULL },
	[PPC_GDB_FPU] = { "org.gnu.gdb.power.fpu", NULL },
	[PPC_GDB_SPR] = { "org.softvisor.power.spr", NULL },
};

enum ppc_gdb_kind {
	PG_GPR, /* gpr[arg] */
	PG_PC,
	PG_MSR,
	PG_CR,
	PG_XER,
	PG_FIELD, /* a uint64_t at offset arg in struct cpu_ppc */
	PG_RO,    /* read-only uint64_t field at offset arg */
	PG_TB,
	PG_DEC,
	PG_HDEC,
	PG_FPR, /* vsr[arg][0] */
	PG_FPSCR,
};

#define GPR(n)                                                                                     \
	{                                                                                          \
		"r" #n, 64, "uint64", "general", PPC_GDB_CORE, PG_GPR, n                           \
	}
#define SPR(name, field)                                                                           \
	{                                                                                          \
		name, 64, "uint64", "system", PPC_GDB_SPR, PG_FIELD,                               \
			offsetof(struct cpu_ppc, field)                                            \
	}
#define SPR_RO(name, field)                                                                        \
	{                                                                                          \
		name, 64, "uint64", "system", PPC_GDB_SPR, PG_RO, offsetof(struct cpu_ppc, field)  \
	}

/* The gdb register order: the table index is the register number. */
static const struct cpu_gdb_reg ppc_gdb_regs[] = {
	GPR(0),
	GPR(1),
	GPR(2),
	GPR(3),
	GPR(4),
	GPR(5),
	GPR(6),
	GPR(7),
	GPR(8),
	GPR(9),
	GPR(10),
	GPR(11),
	GPR(12),
	GPR(13),
	GPR(14),
	GPR(15),
	GPR(16),
	GPR(17),
	GPR(18),
	GPR(19),
	GPR(20),
	GPR(21),
	GPR(22),
	GPR(23),
	GPR(24),
	GPR(25),
	GPR(26),
	GPR(27),
	GPR(28),
	GPR(29),
	GPR(30),
	GPR(31),
	{ "pc", 64, "code_ptr", "general", PPC_GDB_CORE, PG_PC, 0 },
	{ "msr", 64, "uint64", "general", PPC_GDB_CORE, PG_MSR, 0 },
	{ "cr", 32, "uint32", "general", PPC_GDB_CORE, PG_CR, 0 },
	{ "lr", 64, "code_ptr", "general", PPC_GDB_CORE, PG_FIELD, offsetof(struct cpu_ppc, lr) },
	{ "ctr", 64, "uint64", "general", PPC_GDB_CORE, PG_FIELD, offsetof(struct cpu_ppc, ctr) },
	{ "xer", 32, "uint32", "general", PPC_GDB_CORE, PG_XER, 0 },
	{ "f0", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 0 },
	{ "f1", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 1 },
	{ "f2", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 2 },
	{ "f3", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 3 },
	{ "f4", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 4 },
	{ "f5", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 5 },
	{ "f6", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 6 },
	{ "f7", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 7 },
	{ "f8", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 8 },
	{ "f9", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 9 },
	{ "f10", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 10 },
	{ "f11", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 11 },
	{ "f12", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 12 },
	{ "f13", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 13 },
	{ "f14", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 14 },
	{ "f15", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 15 },
	{ "f16", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 16 },
	{ "f17", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 17 },
	{ "f18", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 18 },
	{ "f19", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 19 },
	{ "f20", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 20 },
	{ "f21", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 21 },
	{ "f22", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 22 },
	{ "f23", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 23 },
	{ "f24", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 24 },
	{ "f25", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 25 },
	{ "f26", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 26 },
	{ "f27", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 27 },
	{ "f28", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 28 },
	{ "f29", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 29 },
	{ "f30", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 30 },
	{ "f31", 64, "ieee_double", "float", PPC_GDB_FPU, PG_FPR, 31 },
	{ "fpscr", 64, "uint64", "float", PPC_GDB_FPU, PG_FPSCR, 0 },
	SPR("srr0", srr0),
	SPR("srr1", srr1),
	SPR("dar", dar),
	SPR("dsisr", dsisr),
	SPR("sprg0", sprg[0]),
	SPR("sprg1", sprg[1]),
	SPR("sprg2", sprg[2]),
	SPR("sprg3", sprg[3]),
	SPR("cfar", cfar),
	SPR_RO("amr", amr),
	SPR_RO("pidr", pidr),
	SPR("tar", tar),
	SPR("hsrr0", hsrr0),
	SPR("hsrr1", hsrr1),
	SPR("hsprg0", hsprg[0]),
	SPR("hsprg1", hsprg[1]),
	SPR("hdar", hdar),
	SPR("hdsisr", hdsisr),
	SPR("asdr", asdr),
	SPR("heir", heir),
	SPR_RO("lpcr", lpcr),
	SPR_RO("lpidr", lpidr),
	SPR_RO("hrmor", hrmor),
	SPR_RO("ptcr", ptcr),
	SPR_RO("sdr1", sdr1),
	SPR_RO("pvr", pvr),
	SPR_RO("pir", pir),
	{ "tb", 64, "uint64", "system", PPC_GDB_SPR, PG_TB, 0 },
	{ "dec", 64, "uint64", "system", PPC_GDB_SPR, PG_DEC, 0 },
	{ "hdec", 64, "uint64", "system", PPC_GDB_SPR, PG_HDEC, 0 },
};

#undef GPR
#undef SPR
#undef SPR_RO

#define PPC_GDB_NREGS (sizeof(ppc_gdb_regs) / sizeof(ppc_gdb_regs[0]))

static bool ppc_gdb_big_endian(struct cpu *cpu)
{
	return !(cpu_ppc_of(cpu)->msr & PPC_MSR_LE);
}

static uint64_t *ppc_gdb_field(struct cpu_ppc *c, size_t off)
{
	return (uint64_t *)((uint8_t *)c + off);
}

static bool ppc_gdb_read_reg(struct cpu *cpu, unsigned i, uint8_t *buf)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	const struct cpu_gdb_reg *g;
	uint64_t v;

	if (i >= PPC_GDB_NREGS)
		return false;
	g = &ppc_gdb_regs[i];
	switch (g->kind) {
	case PG_GPR: v = c->gpr[g->arg]; break;
	case PG_PC: v = c->pc; break;
	case PG_MSR: v = c->msr; break;
	case PG_CR: v = cpu_ppc_get_cr(c); break;
	case PG_XER: v = cpu_ppc_get_xer(c); break;
	case PG_FIELD:
	case PG_RO: v = *ppc_gdb_field(c, g->arg); break;
	case PG_TB: v = cpu_ppc_get_tb(c); break;
	case PG_DEC: v = cpu_ppc_get_dec(c); break;
	case PG_HDEC: v = cpu_ppc_get_hdec(c); break;
	case PG_FPR: v = c->vsr[g->arg][0]; break;
	case PG_FPSCR: v = c->fpscr; break;
	default: return false;
	}
	cpu_gdb_put(buf, g->bits / 8, v, ppc_gdb_big_endian(cpu));
	return true;
}

static bool ppc_gdb_write_reg(struct cpu *cpu, unsigned i, const uint8_t *buf)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	const struct cpu_gdb_reg *g;
	uint64_t v;

	if (i >= PPC_GDB_NREGS)
		return false;
	g = &ppc_gdb_regs[i];
	v = cpu_gdb_get(buf, g->bits / 8, ppc_gdb_big_endian(cpu));
	switch (g->kind) {
	case PG_GPR: c->gpr[g->arg] = v; return true;
	case PG_PC: c->pc = v & ~3ull; return true;
	case PG_MSR: cpu_ppc_set_msr(c, v); return true;
	case PG_CR: cpu_ppc_set_cr(c, v); return true;
	case PG_XER: cpu_ppc_set_xer(c, v); return true;
	case PG_FIELD: *ppc_gdb_field(c, g->arg) = v; return true;
	case PG_FPR: c->vsr[g->arg][0] = v; return true;
	case PG_FPSCR: c->fpscr = v; return true;
	default: return false;
	}
}

static void ppc_gdb_set_tb_pc(struct cpu *cpu, uint64_t pc)
{
	cpu_ppc_of(cpu)->pc = pc;
}

const struct cpu_gdb_ops cpu_ppc_gdb_ops = {
	.architecture = "powerpc:common64",
	.features = ppc_gdb_features,
	.n_features = sizeof(ppc_gdb_features) / sizeof(ppc_gdb_features[0]),
	.regs = ppc_gdb_regs,
	.n_regs = PPC_GDB_NREGS,
	.pc_reg = 32,
	.sp_reg = 1,
	.big_endian = ppc_gdb_big_endian,
	.read_reg = ppc_gdb_read_reg,
	.write_reg = ppc_gdb_write_reg,
	.set_tb_pc = ppc_gdb_set_tb_pc,
	.watch_stops_after = false,
};
