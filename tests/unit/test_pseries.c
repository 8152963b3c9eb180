/*
 * The pseries platform: the device tree (read back with libfdt), the PAPR
 * console hcalls and RTAS, through a real POWER vcpu of a PAPR domain.
 */
#include <criterion/criterion.h>
#include <libfdt.h>

#include "cpu/ppc/cpu_ppc.h"
#include "hv/hypercall.h"
#include "hv/ppc/papr.h"
#include "hv/ppc/ppc.h"
#include "hv/ppc/pseries.h"
#include "hv/ppc/rtas.h"

#define RAM (64u << 20)

static struct hv hv;
static struct domain *d;
static struct vcpu *v;
static GString *console;

static void sink(void *opaque, struct domain *dom, const char *buf, size_t len)
{
	g_string_append_len(console, buf, (gssize)len);
}

static void setup(void)
{
	int err;

	cr_assert_eq(hv_init(&hv, 2 * RAM), 0);
	d = hv_domain_create(&hv, HV_ARCH_PPC64, HV_PERSONALITY_PAPR, RAM, &err);
	cr_assert_not_null(d);
	v = hv_ppc_vcpu_create(d, true);
	cr_assert_not_null(v);
	console = g_string_new(NULL);
	hv.console.write = sink;
}

static void teardown(void)
{
	hv_destroy(&hv);
	g_string_free(console, TRUE);
}

TestSuite(pseries, .init = setup, .fini = teardown);

static const struct hv_pseries_config cfg = {
	.entry = 0x10000,
	.load_addr = 0,
	.free_gpa = 0x3000000,
	.cmdline = "console=hvc0 quiet",
	.initrd_start = 0x2000000,
	.initrd_size = 0x1000,
	.pvr = PPC_PVR_POWER9,
	.timebase_hz = 1000000000,
};

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);
	cr_assert_geq(node, 0, "no node %s", path);
	const void *p = fdt_getprop(fdt, node, name, len);
	cr_assert_not_null(p, "no %s in %s", name, path);
	return p;
}

static uint32_t prop_u32(const void *fdt, const char *path, const char *name)
{
	int len;
	const void *p = prop(fdt, path, name, &len);
	cr_assert_eq(len, 4, "%s/%s is %d bytes", path, name, len);
	return fdt32_to_cpu(*(const fdt32_t *)p);
}

/* Is str one of the strings of the property value list (len bytes)? */
static bool in_list(const char *list, int len, const char *str)
{
	for (int off = 0; off < len; off += (int)strlen(list + off) + 1)
		if (!strcmp(list + off, str))
			return true;
	return false;
}

Test(pseries, device_tree_describes_the_platform)
{
	static uint8_t fdt[65536];
	const char *s;
	const uint8_t *r;
	int len;

	cr_assert_eq(hv_ppc_pseries_build_fdt(d, &cfg, fdt, sizeof(fdt)), 0);
	cr_assert_eq(fdt_check_header(fdt), 0);
	cr_assert_str_eq(prop(fdt, "/", "device_type", &len), "chrp", "Linux's pseries probe");
	cr_assert_str_eq(prop(fdt, "/chosen", "bootargs", &len), "console=hvc0 quiet");
	s = prop(fdt, "/chosen", "stdout-path", &len);
	cr_assert_str_eq(prop(fdt, s, "compatible", &len), "hvterm1", "stdout is the vty");
	cr_assert_eq(prop_u32(fdt, s, "reg"), PAPR_VTERM_NO);
	r = prop(fdt, "/chosen", "linux,initrd-start", &len);
	cr_assert_eq(ld64_be_p(r), 0x2000000, "FDT cells are big-endian, maybe unaligned");
	r = prop(fdt, "/chosen", "linux,initrd-end", &len);
	cr_assert_eq(ld64_be_p(r), 0x2001000);
	r = prop(fdt, "/memory@0", "reg", &len);
	cr_assert_eq(len, 16);
	cr_assert_eq(ld64_be_p(r), 0);
	cr_assert_eq(ld64_be_p(r + 8), RAM);
	cr_assert_eq(prop_u32(fdt, "/cpus/PowerPC,POWER9@0", "cpu-version"), PPC_PVR_POWER9);
	cr_assert_eq(prop_u32(fdt, "/cpus/PowerPC,POWER9@0", "timebase-frequency"), 1000000000);
	cr_assert_eq(prop_u32(fdt, "/rtas", "power-off"), 0x2003);
	cr_assert_eq(prop_u32(fdt, "/rtas", "linux,rtas-entry"), hv_ppc_pseries_rtas_base(RAM));
	s = prop(fdt, "/rtas", "ibm,hypertas-functions", &len);
	cr_assert_str_eq(s, "hcall-pft", "only the hcall sets implemented, the HPT's first");
	cr_assert(in_list(s, len, "hcall-term"), "the console set");
	cr_assert(in_list(s, len, "hcall-splpar"));
	cr_assert(in_list(s, len, "hcall-interrupt"));
	cr_assert_not(in_list(s, len, "hcall-tce"), "no TCE set yet");
	{
		const fdt32_t *pft = prop(fdt, "/cpus/PowerPC,POWER9@0", "ibm,pft-size", &len);
		cr_assert_eq(len, 8);
		cr_assert_eq(fdt32_to_cpu(pft[1]), d->papr->hpt_shift, "the HPT hv allocated");
		cr_assert_eq(d->papr->hpt_shift, 19, "RAM/128 = 512 KiB");
	}
	cr_assert_str_eq(prop(fdt, "/interrupt-controller", "compatible", &len), "IBM,ppc-xicp");
	cr_assert_eq(prop_u32(fdt, "/rtas", "ibm,set-xive"), 0x200c);
	prop(fdt, "/rtas", "ibm,nmi-interlock", &len);
	prop(fdt, "/rtas", "ibm,extended-os-term", &len);
	cr_assert_eq(fdt_num_mem_rsv(fdt), 1, "RTAS is reserved");
}

/*
 * The MMU the tree offers per model (what Linux's early_check_vec5 and
 * scan_features read): POWER9 radix only with GTSE, the radix page sizes
 * and PID width, pa-features byte 40; POWER8 hash only, no radix bits. Both
 * say XICS (vec5 byte 23 = 0) and no TM (pa-features byte 22).
 */
Test(pseries, device_tree_mmu_per_model)
{
	static uint8_t fdt[65536];
	struct hv_pseries_config c8 = cfg;
	const uint8_t *ov5, *pa;
	const fdt32_t *ap;
	int len;

	cr_assert_eq(hv_ppc_pseries_build_fdt(d, &cfg, fdt, sizeof(fdt)), 0);
	ov5 = prop(fdt, "/chosen", "ibm,architecture-vec-5", &len);
	cr_assert_geq(len, 27);
	cr_assert_eq(ov5[0], len - 2, "the vector's length byte");
	cr_assert_eq(ov5[23], 0, "XICS");
	cr_assert_eq(ov5[24] & 0xc0, 0x40, "radix only");
	cr_assert_eq(ov5[26] & 0x40, 0x40, "GTSE");
	pa = prop(fdt, "/cpus/PowerPC,POWER9@0", "ibm,pa-features", &len);
	cr_assert_eq(len, 2 + pa[0]);
	cr_assert_eq(pa[1], 0, "descriptor type 0");
	cr_assert_gt(pa[0], 40);
	cr_assert_eq(pa[2 + 40] & 0x80, 0x80, "radix");
	cr_assert_eq(pa[2 + 22] & 0x80, 0, "no TM");
	cr_assert_eq(pa[2 + 5] & 0x80, 0x80, "true little-endian");
	ap = prop(fdt, "/cpus/PowerPC,POWER9@0", "ibm,processor-radix-AP-encodings", &len);
	cr_assert_eq(len, 16);
	cr_assert_eq(fdt32_to_cpu(ap[1]), 0xa0000010, "64K with AP 5");
	cr_assert_eq(prop_u32(fdt, "/cpus/PowerPC,POWER9@0", "ibm,mmu-pid-bits"), 20);

	c8.pvr = PPC_PVR_POWER8;
	cr_assert_eq(hv_ppc_pseries_build_fdt(d, &c8, fdt, sizeof(fdt)), 0);
	cr_assert_eq(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "cpu-version"), PPC_PVR_POWER8);
	ov5 = prop(fdt, "/chosen", "ibm,architecture-vec-5", &len);
	cr_assert_eq(ov5[24] & 0xc0, 0, "hash only");
	pa = prop(fdt, "/cpus/PowerPC,POWER8@0", "ibm,pa-features", &len);
	cr_assert_leq(pa[0], 40, "no radix byte");
	cr_assert_lt(fdt_path_offset(fdt, "/cpus/PowerPC,POWER9@0"), 0);
	cr_assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@0"),
				   "ibm,processor-radix-AP-encodings", &len));
}

Test(pseries, device_tree_too_big_for_the_buffer)
{
	uint8_t small[256];
	cr_assert_eq(hv_ppc_pseries_build_fdt(d, &cfg, small, sizeof(small)), -ENOSPC);
}

Test(pseries, boot_puts_tree_and_rtas_in_memory)
{
	uint8_t hdr[4], blob[4];
	uint64_t fdt_gpa;
	struct cpu_ppc *c = hv_ppc_cpu(v);

	cr_assert_eq(hv_ppc_pseries_boot(v, &cfg, &fdt_gpa), 0);
	cr_assert_eq(fdt_gpa, 0x3000000);
	cr_assert_eq(c->gpr[3], fdt_gpa, "r3 = the device tree");
	cr_assert_eq(c->gpr[5], 0, "r5 = 0: no Open Firmware");
	cr_assert_eq(c->pc, 0x10000);
	cr_assert_eq(c->sdr1, PAPR_HPT_GPA | (d->papr->hpt_shift - 18),
		     "SDR1 = the HPT after the reset");
	p2m_copy_from(d->p2m, hdr, fdt_gpa, 4);
	cr_assert_eq(ld32_be_p(hdr), FDT_MAGIC);
	p2m_copy_from(d->p2m, blob, hv_ppc_pseries_rtas_base(RAM) + 12, 4);
	cr_assert_eq(ld32_be_p(blob), 0x44000022, "the blob's sc 1, big-endian");
}

static long hcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };
	return hv_hypercall_dispatch(v, d->hypercalls, nr, args, false);
}

Test(pseries, put_term_char_and_unknown_hcalls)
{
	cr_assert_eq(hcall(H_PUT_TERM_CHAR, PAPR_VTERM_NO, 5, 0x68656c6c6f000000ull, 0), H_SUCCESS);
	cr_assert_eq(hcall(H_PUT_TERM_CHAR, PAPR_VTERM_NO, 9, 0x2c20776f726c6421ull,
			   0x0a00000000000000ull),
		     H_SUCCESS);
	hv_console_flush(d);
	cr_assert_str_eq(console->str, "hello, world!\n");
	cr_assert_eq(hcall(H_PUT_TERM_CHAR, PAPR_VTERM_NO, 17, 0, 0), H_PARAMETER);
	cr_assert_eq(hcall(H_PUT_TERM_CHAR, 0x1234, 1, 0, 0), H_PARAMETER, "no such vterm");
	cr_assert_eq(hcall(H_GET_TERM_CHAR, PAPR_VTERM_NO, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(hv_ppc_cpu(v)->gpr[4], 0, "no input: 0 characters");
	cr_assert_eq(hcall(0x1c, 0, 0, 0, 0), H_FUNCTION, "H_GET_TCE: not offered yet");
	cr_assert_eq(hcall(0x59, 0, 0, 0, 0), H_FUNCTION, "not a multiple of 4");
	cr_assert_eq(hcall(0xdead0, 0, 0, 0, 0), H_FUNCTION);
	cr_assert_eq(hcall(0xf004, 0, 0, 0, 0), H_FUNCTION, "private range, no handler");
}

/* An RTAS argument block at gpa: token, nargs, nret, args..., rets... */
static void put_rtas(uint64_t gpa, uint32_t token, uint32_t nargs, uint32_t nret,
		     const uint32_t *args)
{
	uint8_t b[4 * 40] = { 0 };

	st32_be_p(b, token);
	st32_be_p(b + 4, nargs);
	st32_be_p(b + 8, nret);
	for (uint32_t i = 0; args && i < nargs && i < 20; i++)
		st32_be_p(b + 12 + 4 * i, args[i]);
	cr_assert_eq(p2m_copy_to(d->p2m, gpa, b, sizeof(b)), 0);
}

static int32_t rtas_ret(uint64_t gpa, uint32_t nargs, unsigned i)
{
	uint8_t b[4];
	p2m_copy_from(d->p2m, b, gpa + 12 + 4 * (nargs + i), 4);
	return (int32_t)ld32_be_p(b);
}

Test(pseries, rtas_services)
{
	static const uint32_t ch[1] = { 'X' };
	static const uint32_t off[2] = { 0xffffffff, 0xffffffff };

	put_rtas(0x1000, 0x2000, 1, 1, ch);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 1, 0), RTAS_SUCCESS);
	hv_console_flush(d);
	cr_assert_str_eq(console->str, "X");

	put_rtas(0x1000, 0x2001, 0, 8, NULL);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 0, 0), RTAS_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 0, 1), 2024, "the deterministic epoch's year");
	cr_assert_eq(rtas_ret(0x1000, 0, 2), 1);
	cr_assert_eq(rtas_ret(0x1000, 0, 3), 1);

	put_rtas(0x1000, 0x7777, 0, 1, NULL);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 0, 0), RTAS_PARAMETER_ERROR, "unknown token");

	put_rtas(0x1000, 0x2003, 100, 1, NULL);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_PARAMETER, "hostile nargs");
	cr_assert_eq(hcall(KVMPPC_H_RTAS, RAM + 0x1000, 0, 0, 0), H_PARAMETER, "outside RAM");
	cr_assert_not(d->shut_down);

	put_rtas(0x1000, 0x2003, 2, 1, off);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert(d->shut_down);
	cr_assert_eq(d->shutdown_reason, HV_SHUTDOWN_POWEROFF);
}

/* Read back bytes the guest would see at gpa. */
static void get_mem(uint64_t gpa, void *buf, size_t len)
{
	cr_assert_eq(p2m_copy_from(d->p2m, buf, gpa, len), 0);
}

/*
 * The NVRAM: the tree gives its size; it starts as one free CHRP partition
 * over all of it with a valid header checksum (what Linux's
 * nvram_scan_partitions checks); nvram-store then nvram-fetch round-trip
 * bytes; an index or length past the end, or a buffer outside RAM, is a
 * parameter error with nothing transferred.
 */
Test(pseries, nvram_fetch_and_store)
{
	static uint8_t fdt[65536];
	uint32_t a[3] = { 0, 0x3000, 16 };
	uint8_t h[16], sum;
	unsigned s;
	int len;

	cr_assert_eq(hv_ppc_pseries_build_fdt(d, &cfg, fdt, sizeof(fdt)), 0);
	cr_assert_eq(prop_u32(fdt, "/vdevice/nvram@30000001", "#bytes"), 0x10000);
	cr_assert_str_eq(prop(fdt, "/vdevice/nvram@30000001", "device_type", &len), "nvram");

	put_rtas(0x1000, 0x2006, 3, 2, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 3, 0), RTAS_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 3, 1), 16, "bytes transferred");
	get_mem(0x3000, h, 16);
	cr_assert_eq(h[0], 0x7f, "free space");
	cr_assert_eq(ld16_be_p(h + 2), 0x10000 / 16, "all of it, in 16-byte blocks");
	/* Linux's checksum: 16-bit one's complement sum, folded to a byte. */
	s = h[0] + ld16_be_p(h + 2);
	for (unsigned i = 4; i < 16; i += 2)
		s += ld16_le_p(h + i);
	s = (s & 0xffff) + (s >> 16);
	sum = (uint8_t)(((s + ((s >> 8) + (s << 8))) >> 8) & 0xff);
	cr_assert_eq(h[1], sum, "header checksum %#x, Linux computes %#x", h[1], sum);

	cr_assert_eq(p2m_copy_to(d->p2m, 0x3000, "softvisor", 9), 0);
	a[0] = 0x100;
	a[2] = 9;
	put_rtas(0x1000, 0x2007, 3, 2, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 3, 0), RTAS_SUCCESS);
	a[1] = 0x5000;
	put_rtas(0x1000, 0x2006, 3, 2, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	get_mem(0x5000, h, 9);
	cr_assert_eq(memcmp(h, "softvisor", 9), 0);

	a[0] = 0xfff8;
	put_rtas(0x1000, 0x2006, 3, 2, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 3, 0), RTAS_PARAMETER_ERROR, "past the end");
	cr_assert_eq(rtas_ret(0x1000, 3, 1), 0);
	a[0] = 0;
	a[1] = RAM - 4;
	put_rtas(0x1000, 0x2007, 3, 2, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 3, 0), RTAS_PARAMETER_ERROR, "buffer beyond RAM");
}

/*
 * ibm,get-system-parameter: the SPLPAR characteristics as a be16 length and
 * a "keyword=value" list (cut to the buffer's length); CMO (44) is not
 * supported (-3), so a kernel runs without it.
 */
Test(pseries, get_system_parameter)
{
	uint32_t a[3] = { 20, 0x3000, 256 };
	char buf[258] = { 0 };
	uint8_t b[4];

	put_rtas(0x1000, 0x2008, 3, 1, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 3, 0), RTAS_SUCCESS);
	get_mem(0x3000, buf, 256);
	cr_assert_eq(ld16_be_p(buf), strlen(buf + 2));
	cr_assert_not_null(strstr(buf + 2, "DesProcs=1"), "%s", buf + 2);
	cr_assert_not_null(strstr(buf + 2, "DesMem=64"), "%s", buf + 2);

	a[0] = 44;
	put_rtas(0x1000, 0x2008, 3, 1, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(rtas_ret(0x1000, 3, 0), -3, "CMO: not supported");

	cr_assert_eq(p2m_copy_to(d->p2m, 0x3000, "\xaa\xaa\xaa\xaa", 4), 0);
	a[0] = 20;
	a[2] = 3;
	put_rtas(0x1000, 0x2008, 3, 1, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	get_mem(0x3000, b, 4);
	cr_assert_eq(b[3], 0xaa, "no more than the buffer's length");
}

/* ibm,os-term: the partition crashed (exit status 2), with the kernel's
 * message in the report. */
Test(pseries, os_term_reports_the_panic)
{
	uint32_t a[1] = { 0x3000 };

	cr_assert_eq(p2m_copy_to(d->p2m, 0x3000, "Kernel panic - not syncing\n", 28), 0);
	put_rtas(0x1000, 0x200a, 1, 1, a);
	cr_assert_eq(hcall(KVMPPC_H_RTAS, 0x1000, 0, 0, 0), H_SUCCESS);
	cr_assert(d->shut_down);
	cr_assert_eq(d->shutdown_reason, HV_SHUTDOWN_CRASH);
	cr_assert_not_null(strstr(d->crash_msg, "Kernel panic - not syncing"), "%s", d->crash_msg);
}
