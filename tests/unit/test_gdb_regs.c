/*
 * The gdb register maps and target descriptions (cpu/gdb.h, cpu/x86/gdb.c,
 * cpu/ppc/gdb.c): the register numbers gdb uses, their byte order, and the
 * XML that tells gdb so.
 */
#include <criterion/criterion.h>

#include <glib.h>

#include "cpu/gdb.h"
#include "cpu/ppc/cpu_ppc.h"
#include "cpu/x86/cpu_x86.h"

static int reg_index(const struct cpu_gdb_ops *ops, const char *name)
{
	for (unsigned i = 0; i < ops->n_regs; i++)
		if (!strcmp(ops->regs[i].name, name))
			return (int)i;
	return -1;
}

Test(gdb_regs, x86_numbering_follows_gdbs_core_feature)
{
	static const char *const core[] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
					    "rbp", "rsp", "r8",  "r9",  "r10", "r11",
					    "r12", "r13", "r14", "r15", "rip", "eflags",
					    "cs",  "ss",  "ds",  "es",  "fs",  "gs" };
	const struct cpu_gdb_ops *ops = &cpu_x86_gdb_ops;

	for (unsigned i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		cr_assert_str_eq(ops->regs[i].name, core[i], "register %u", i);
	cr_assert_eq(ops->pc_reg, 16);
	cr_assert_eq(ops->sp_reg, 7);
	cr_assert_eq(ops->regs[reg_index(ops, "st0")].bits, 80);
	cr_assert_geq(reg_index(ops, "fop"), 0);
	cr_assert_geq(reg_index(ops, "fs_base"), 0);
	cr_assert_geq(reg_index(ops, "efer"), 0);
	cr_assert_eq(cpu_x86_ops.gdb, ops);
}

Test(gdb_regs, x86_target_xml)
{
	char *xml = cpu_gdb_target_xml(&cpu_x86_gdb_ops);

	cr_assert(strstr(xml, "<architecture>i386:x86-64</architecture>"));
	cr_assert(strstr(xml, "<feature name=\"org.gnu.gdb.i386.core\">"));
	cr_assert(strstr(xml, "<feature name=\"org.gnu.gdb.i386.segments\">"));
	cr_assert(strstr(xml, "<feature name=\"org.gnu.gdb.i386.sse\">"));
	cr_assert(strstr(xml, "<reg name=\"xmm15\" bitsize=\"128\" type=\"vec128\""));
	cr_assert(strstr(xml, "<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\" regnum=\"16\""));
	cr_assert(strstr(xml, "<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\""));
	cr_assert(strstr(xml, "<flags id=\"i386_eflags\" size=\"4\">"));
	/* rax is described before rip, rip before fs_base. */
	cr_assert_lt(strstr(xml, "\"rax\""), strstr(xml, "\"rip\""));
	cr_assert_lt(strstr(xml, "\"rip\""), strstr(xml, "\"fs_base\""));
	g_free(xml);
}

Test(gdb_regs, x86_read_write_little_endian)
{
	struct cpu_x86 *c = cpu_x86_new(NULL, NULL, 0);
	const struct cpu_gdb_ops *ops = &cpu_x86_gdb_ops;
	uint8_t buf[CPU_GDB_MAX_REG_BYTES];
	static const uint8_t rbx_bytes[8] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };

	cr_assert_not_null(c);
	c->regs[X86_RBX] = 0x1122334455667788ull;
	cr_assert(ops->read_reg(&c->cpu, 1, buf));
	cr_assert_arr_eq(buf, rbx_bytes, 8);
	/* rip */
	cpu_gdb_put(buf, 8, 0x100010, false);
	cr_assert(ops->write_reg(&c->cpu, 16, buf));
	cr_assert_eq(c->rip, 0x100010);
	/* eflags: the lazy arithmetic flags are folded in. */
	cpu_gdb_put(buf, 4, X86_FLAG_ZF | X86_FLAG_CF | X86_FLAG_FIXED1, false);
	cr_assert(ops->write_reg(&c->cpu, 17, buf));
	cr_assert_eq(cpu_x86_get_rflags(c) & (X86_FLAG_ZF | X86_FLAG_CF),
		     X86_FLAG_ZF | X86_FLAG_CF);
	cr_assert(ops->read_reg(&c->cpu, 17, buf));
	cr_assert_eq(cpu_gdb_get(buf, 4, false) & X86_FLAGS_ARITH, X86_FLAG_ZF | X86_FLAG_CF);
	/* Selectors are read-only. */
	cr_assert_not(ops->write_reg(&c->cpu, (unsigned)reg_index(ops, "cs"), buf));
	/* st0 is ST(0): the physical register FSW.TOP names; i387_ext is the
	 * significand then sign/exponent, little-endian. */
	c->fpu.fsw = 3 << 11;
	c->fpu.st[3].mant = 0xc000000000000000ull;
	c->fpu.st[3].se = 0x3fff;
	cr_assert(ops->read_reg(&c->cpu, (unsigned)reg_index(ops, "st0"), buf));
	cr_assert_eq(cpu_gdb_get(buf, 8, false), 0xc000000000000000ull);
	cr_assert(buf[8] == 0xff && buf[9] == 0x3f);
	cr_assert(ops->write_reg(&c->cpu, (unsigned)reg_index(ops, "st1"), buf));
	cr_assert_eq(c->fpu.st[4].mant, 0xc000000000000000ull);
	c->fpu.fcw = X86_FCW_DEFAULT;
	cr_assert(ops->read_reg(&c->cpu, (unsigned)reg_index(ops, "fctrl"), buf));
	cr_assert_eq(cpu_gdb_get(buf, 4, false), X86_FCW_DEFAULT);
	/* xmm: 16 bytes as stored. */
	for (unsigned k = 0; k < 16; k++)
		buf[k] = (uint8_t)(k + 1);
	cr_assert(ops->write_reg(&c->cpu, (unsigned)reg_index(ops, "xmm5"), buf));
	cr_assert_eq(c->fpu.xmm[5].q[0], 0x0807060504030201ull);
	cr_assert_eq(ops->regs[reg_index(ops, "xmm5")].bits, 128);
	/* Out of range. */
	cr_assert_not(ops->read_reg(&c->cpu, ops->n_regs, buf));
	cpu_x86_free(c);
}

Test(gdb_regs, ppc_numbering_and_xml)
{
	const struct cpu_gdb_ops *ops = &cpu_ppc_gdb_ops;
	static const char *const after_gprs[] = { "pc", "msr", "cr", "lr", "ctr", "xer" };
	static const unsigned bits[] = { 64, 64, 32, 64, 64, 32 };
	char *xml = cpu_gdb_target_xml(ops);

	for (unsigned i = 0; i < 32; i++) {
		char name[8];
		snprintf(name, sizeof(name), "r%u", i);
		cr_assert_str_eq(ops->regs[i].name, name);
		cr_assert_eq(ops->regs[i].bits, 64);
	}
	for (unsigned i = 0; i < 6; i++) {
		cr_assert_str_eq(ops->regs[32 + i].name, after_gprs[i]);
		cr_assert_eq(ops->regs[32 + i].bits, bits[i]);
	}
	cr_assert(strstr(xml, "<architecture>powerpc:common64</architecture>"));
	cr_assert(strstr(xml, "<feature name=\"org.gnu.gdb.power.core\">"));
	cr_assert(strstr(xml, "<reg name=\"cr\" bitsize=\"32\""));
	cr_assert(strstr(xml, "<feature name=\"org.gnu.gdb.power.fpu\">"));
	cr_assert(strstr(xml, "<reg name=\"f31\" bitsize=\"64\" type=\"ieee_double\""));
	cr_assert_eq(cpu_ppc_ops.gdb, ops);
	g_free(xml);
}

static void ppc_byte_order(bool le)
{
	struct cpu_ppc *c = cpu_ppc_new(NULL, NULL, 0, le);
	const struct cpu_gdb_ops *ops = &cpu_ppc_gdb_ops;
	uint8_t buf[CPU_GDB_MAX_REG_BYTES];

	cr_assert_not_null(c);
	cpu_ppc_reset_kexec(c, 0x10000, 0, 0, 0, le);
	cr_assert_eq(ops->big_endian(&c->cpu), !le);
	cr_assert(ops->read_reg(&c->cpu, 32, buf));
	if (le)
		cr_assert(buf[0] == 0x00 && buf[1] == 0x00 && buf[2] == 0x01 && buf[7] == 0);
	else
		cr_assert(buf[7] == 0x00 && buf[6] == 0x00 && buf[5] == 0x01 && buf[0] == 0);
	/* cr is 32 bits: CR0 = EQ is 0x20000000. */
	c->crf[0] = 2;
	cr_assert(ops->read_reg(&c->cpu, 34, buf));
	cr_assert_eq(cpu_gdb_get(buf, 4, !le), 0x20000000u);
	cpu_gdb_put(buf, 8, 0xabcdef, !le);
	cr_assert(ops->write_reg(&c->cpu, 3, buf));
	cr_assert_eq(c->gpr[3], 0xabcdef);
	/* f1 is doubleword 0 of VSR 1, in the guest's byte order. */
	cpu_gdb_put(buf, 8, 0x3ff8000000000000ull, !le);
	cr_assert(ops->write_reg(&c->cpu, (unsigned)reg_index(ops, "f1"), buf));
	cr_assert_eq(c->vsr[1][0], 0x3ff8000000000000ull);
	/* pvr is read-only. */
	cr_assert_not(ops->write_reg(&c->cpu, (unsigned)reg_index(ops, "pvr"), buf));
	cpu_ppc_free(c);
}

Test(gdb_regs, ppc_registers_in_the_guests_byte_order)
{
	ppc_byte_order(true);
	ppc_byte_order(false);
}
