/*
 * What the gdb remote stub (frontend/gdbstub.c) needs from an architecture:
 * its registers as gdb numbers them and the target description that tells a
 * stock gdb so.
 *
 * Each arch (cpu/x86/gdb.c, cpu/ppc/gdb.c) lists its registers in one table;
 * the table order *is* the register numbering of the remote protocol (the
 * `g` packet's layout and the numbers of `p`/`P`), and cpu_gdb_target_xml()
 * writes the target description from the same table, so the two cannot
 * disagree. Example (x86-64): register 16 is rip, 64 bits, in feature
 * org.gnu.gdb.i386.core; `p10` answers its 8 bytes little-endian.
 *
 * Values travel as bytes in the target's byte order (a big-endian POWER
 * guest's registers are big-endian to gdb). A register an arch describes but
 * cannot read (read_reg returns false) goes to gdb as unavailable (the stub
 * sends "xx" bytes).
 */
#ifndef SV_CPU_GDB_H
#define SV_CPU_GDB_H

#include "sv/common.h"

struct cpu;

/* The largest register in bytes (x87 st0..st7: 10). */
#define CPU_GDB_MAX_REG_BYTES 16

struct cpu_gdb_feature {
	const char *name;  /* "org.gnu.gdb.i386.core" */
	const char *types; /* XML type definitions (flags...), or NULL */
};

struct cpu_gdb_reg {
	const char *name;   /* as gdb expects it: "rip", "r3", "cr" */
	unsigned bits;      /* 32, 64, 80 */
	const char *type;   /* gdb type: "int64", "code_ptr", "i387_ext", ... */
	const char *group;  /* "general", "system", "float", or NULL */
	unsigned feature;   /* index in features[] */
	unsigned kind, arg; /* the arch's own: which state the register is */
};

struct cpu_gdb_ops {
	const char *architecture; /* "i386:x86-64", "powerpc:common64" */
	const struct cpu_gdb_feature *features;
	unsigned n_features;
	const struct cpu_gdb_reg *regs;
	unsigned n_regs;
	unsigned pc_reg, sp_reg; /* sent in stop replies */
	/* Byte order of the registers and of the guest's data right now. */
	bool (*big_endian)(struct cpu *cpu);
	/* Register i (< n_regs) into buf (bits / 8 bytes, target order).
	 * false: unavailable. */
	bool (*read_reg)(struct cpu *cpu, unsigned i, uint8_t *buf);
	/* Set register i from buf; false if it cannot be written (read-only,
	 * unavailable, or the value is refused, e.g. an invalid CR0). */
	bool (*write_reg)(struct cpu *cpu, unsigned i, const uint8_t *buf);
	/* Set the pc to pc, a TB-key pc (x86: linear address), after the run
	 * loop abandoned the instruction there (watchpoints). */
	void (*set_tb_pc)(struct cpu *cpu, uint64_t pc);
	/* gdb expects watchpoint stops after the access (x86: a debug trap)
	 * rather than before the instruction (POWER: DAWR). */
	bool watch_stops_after;
};

/* The target description (qXfer:features:read:target.xml); g_free it. */
char *cpu_gdb_target_xml(const struct cpu_gdb_ops *ops);
/* Size in bytes of register i. */
static inline unsigned cpu_gdb_reg_bytes(const struct cpu_gdb_ops *ops, unsigned i)
{
	return ops->regs[i].bits / 8;
}

/* Register values <-> bytes of size n (4 or 8) in the given byte order. */
void cpu_gdb_put(uint8_t *buf, unsigned n, uint64_t v, bool big_endian);
uint64_t cpu_gdb_get(const uint8_t *buf, unsigned n, bool big_endian);

extern const struct cpu_gdb_ops cpu_x86_gdb_ops;
extern const struct cpu_gdb_ops cpu_ppc_gdb_ops;

#endif
