/*
 * The generic half of the gdb register interface (see cpu/gdb.h): the target
 * description written from an arch's register table, and byte-order helpers.
 *
 * For x86-64 the description starts
 *
 *     <?xml version="1.0"?>
 *     <!DOCTYPE target SYSTEM "gdb-target.dtd">
 *     <target version="1.0">
 *       <architecture>i386:x86-64</architecture>
 *       <feature name="org.gnu.gdb.i386.core">
 *         <reg name="rax" bitsize="64" type="int64" regnum="0"/>
 *         ...
 */
#include "cpu/gdb.h"

#include <glib.h>

char *cpu_gdb_target_xml(const struct cpu_gdb_ops *ops)
{
	GString *s = g_string_new("<?xml version=\"1.0\"?>\n"
				  "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
				  "<target version=\"1.0\">\n");

	g_string_append_printf(s, "  <architecture>%s</architecture>\n", ops->architecture);
	for (unsigned f = 0; f < ops->n_features; f++) {
		g_string_append_printf(s, "  <feature name=\"%s\">\n", ops->features[f].name);
		if (ops->features[f].types)
			g_string_append(s, ops->features[f].types);
		for (unsigned i = 0; i < ops->n_regs; i++) {
			const struct cpu_gdb_reg *r = &ops->regs[i];

			if (r->feature != f)
				continue;
			g_string_append_printf(s,
					       "    <reg name=\"%s\" bitsize=\"%u\" type=\"%s\" "
					       "regnum=\"%u\"",
					       r->name, r->bits, r->type, i);
			if (r->group)
				g_string_append_printf(s, " group=\"%s\"", r->group);
			g_string_append(s, "/>\n");
		}
		g_string_append(s, "  </feature>\n");
	}
	g_string_append(s, "</target>\n");
	return g_string_free(s, FALSE);
}

void cpu_gdb_put(uint8_t *buf, unsigned n, uint64_t v, bool big_endian)
{
	for (unsigned k = 0; k < n; k++) {
		unsigned shift = 8 * (big_endian ? n - 1 - k : k);
		buf[k] = shift < 64 ? (uint8_t)(v >> shift) : 0;
	}
}

uint64_t cpu_gdb_get(const uint8_t *buf, unsigned n, bool big_endian)
{
	uint64_t v = 0;

	for (unsigned k = 0; k < n; k++) {
		unsigned shift = 8 * (big_endian ? n - 1 - k : k);
		if (shift < 64)
			v |= (uint64_t)buf[k] << shift;
	}
	return v;
}
