/*
 * Softvisor's side of the POWER differential test.
 *
 *     svrun CASES QEMU_OUTPUT RESULTFILE
 *
 * Runs every case of CASES (written by gen.c) on a fresh softvisor vcpu in
 * little-endian problem-state-free 64-bit real mode -- instruction words at
 * 0x1000 followed by `sc 1` -- and compares r0..r31, CR and XER with the
 * state qemu-ppc64le dumped for the same case. Appends "pass NAME" /
 * "fail NAME" to RESULTFILE and prints each difference on stderr.
 * Exit status 0 if every case passed.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpu/backend.h"
#include "cpu/ppc/cpu_ppc.h"
#include "cpu/tb.h"
#include "mmu/machmem.h"
#include "mmu/p2m.h"

#define SVRUN_CODE 0x1000u

static bool rd(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n;
}

static const char *reg_name(unsigned i, char *buf)
{
	if (i < 32)
		snprintf(buf, 8, "r%u", i);
	else
		snprintf(buf, 8, "%s", i == 32 ? "cr" : "xer");
	return buf;
}

/* Run one case; fills out[34]. Returns false on an unexpected stop. */
static bool svrun_case(const uint32_t *w, uint32_t n, const uint64_t *init, uint64_t *out)
{
	struct machmem mem;
	struct p2m *p2m;
	struct tb_cache *tbc;
	struct cpu_ppc *c;
	bool ok = false;

	if (machmem_init(&mem, 1u << 20) < 0)
		return false;
	p2m = p2m_new(&mem, 1);
	p2m_populate_ram(p2m, 0, 16);
	tbc = tb_cache_new(p2m, &backend_threaded);
	c = cpu_ppc_new(p2m, tbc, 0, true);
	cpu_ppc_reset_kexec(c, SVRUN_CODE, 0, 0, 0, true);
	for (uint32_t i = 0; i <= n; i++) {
		uint8_t b[4];
		st32_le_p(b, i < n ? w[i] : 0x44000022u);
		p2m_copy_to(p2m, SVRUN_CODE + 4 * i, b, 4);
	}
	memcpy(c->gpr, init, 32 * 8);
	cpu_ppc_set_cr(c, init[32]);
	cpu_ppc_set_xer(c, init[33]);
	if (cpu_exec(&c->cpu, 1000) == CPU_STOP_EXIT && c->cpu.exit.reason == 0xc00 &&
	    c->cpu.exit.pc == SVRUN_CODE + 4 * n) {
		memcpy(out, c->gpr, 32 * 8);
		out[32] = cpu_ppc_get_cr(c);
		out[33] = cpu_ppc_get_xer(c);
		ok = true;
	}
	cpu_ppc_free(c);
	tb_cache_free(tbc);
	p2m_destroy(p2m);
	machmem_destroy(&mem);
	return ok;
}

int main(int argc, char **argv)
{
	FILE *cf, *qf, *res;
	unsigned n_pass = 0, n_fail = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: svrun CASES QEMU_OUTPUT RESULTFILE\n");
		return 2;
	}
	cf = fopen(argv[1], "rb");
	qf = fopen(argv[2], "rb");
	res = fopen(argv[3], "a");
	if (!cf || !qf || !res) {
		perror("svrun");
		return 2;
	}
	for (;;) {
		uint8_t b4[4], qb[34 * 8];
		char name[128];
		uint32_t len, n, w[64];
		uint64_t init[34], want[34], got[34] = { 0 };
		bool same = true;

		if (!rd(cf, b4, 4))
			break;
		len = (uint32_t)ld32_le_p(b4);
		if (len >= sizeof(name) || !rd(cf, name, len))
			return 2;
		name[len] = 0;
		if (!rd(cf, b4, 4) || (n = (uint32_t)ld32_le_p(b4)) > 64)
			return 2;
		for (uint32_t i = 0; i < n; i++) {
			if (!rd(cf, b4, 4))
				return 2;
			w[i] = (uint32_t)ld32_le_p(b4);
		}
		for (unsigned i = 0; i < 34; i++) {
			uint8_t b8[8];
			if (!rd(cf, b8, 8))
				return 2;
			init[i] = ld64_le_p(b8);
		}
		if (!rd(qf, qb, sizeof(qb))) {
			fprintf(stderr, "svrun: qemu output ends before case %s\n", name);
			fprintf(res, "fail ppc-diff-%s\n", name);
			n_fail++;
			break;
		}
		for (unsigned i = 0; i < 34; i++)
			want[i] = ld64_le_p(qb + 8 * i);
		/* CR is 32 bits. XER: only the architected bits (SO OV CA, OV32 CA32,
		 * the byte count) are compared -- qemu keeps the reserved bits an
		 * mtxer wrote, which is implementation-specific. A GPR read back from
		 * XER by mfxer has the same issue; the generator avoids mfxer after
		 * mtxer of a random value by construction (see gen.c). */
		want[32] &= 0xffffffffull;
		want[33] &= 0xe00c007full;
		got[33] &= 0xe00c007full;
		if (!svrun_case(w, n, init, got)) {
			fprintf(stderr, "FAIL %s: softvisor did not reach the final sc 1\n", name);
			same = false;
		} else {
			for (unsigned i = 0; i < 34; i++) {
				char rn[8];
				if (got[i] == want[i])
					continue;
				if (same) {
					fprintf(stderr, "FAIL %s:", name);
					for (uint32_t k = 0; k < n; k++)
						fprintf(stderr, " %08x", w[k]);
					fprintf(stderr, "\n");
				}
				same = false;
				fprintf(stderr,
					"    %-4s init %016llx qemu %016llx softvisor %016llx\n",
					reg_name(i, rn), (unsigned long long)init[i],
					(unsigned long long)want[i], (unsigned long long)got[i]);
			}
		}
		fprintf(res, "%s ppc-diff-%s\n", same ? "pass" : "fail", name);
		if (same)
			n_pass++;
		else
			n_fail++;
	}
	fprintf(stderr, "ppc diff: %u passed, %u failed\n", n_pass, n_fail);
	fclose(res);
	return n_fail ? 1 : 0;
}
