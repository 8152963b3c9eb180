/*
 * The pseries device tree, built with libfdt's sequential writer.
 *
 * What the tree says (and what it deliberately leaves out until softvisor
 * implements it, since a kernel trusts every property):
 *   /                 device_type "chrp" (Linux's pseries probe), 2 address
 *                     and 2 size cells
 *   /chosen           bootargs, initrd range, stdout-path -> the vty
 *   /memory@0         all of the domain's RAM
 *   /chosen ibm,architecture-vec-5   what the client-architecture-support
 *                     negotiation would have settled (Linux reads it when it
 *                     enters without Open Firmware): the MMU (POWER8: hash
 *                     only; POWER9: radix only, with guest translation
 *                     shootdown, so the kernel's own tlbie works) and the
 *                     interrupt controller (XICS: "XIVE legacy mode")
 *   /cpus/PowerPC,POWERn@k   one node per vcpu (SMT off): PVR, time base and
 *                     clock frequencies (virtual time: 1 GHz), cache
 *                     geometry, SLB size, page sizes, interrupt server
 *                     numbers, ibm,pft-size (the HPT hv owns),
 *                     ibm,pa-features (the model's facilities, no TM);
 *                     POWER9 adds the radix page sizes and PID width
 *   /vdevice/vty@...  the hvterm1 console served by H_PUT/GET_TERM_CHAR; its
 *                     interrupt is XICS source PAPR_VTY_IRQ (edge)
 *   /vdevice/nvram@... the NVRAM RTAS nvram-fetch/nvram-store reach
 *   /rtas             the blob's address and size, one token per service,
 *                     ibm,hypertas-functions listing only the hcall sets
 *                     implemented ("hcall-pft", "hcall-splpar", ...)
 *   /interrupt-controller  the XICS presentation controllers (one server
 *                     per vcpu); the source controller is RTAS's
 * Not yet: NUMA, XIVE.
 */
#include "hv/ppc/pseries.h"
#include "cpu/ppc/cpu_ppc.h"
#include "hv/ppc/papr.h"
#include "hv/ppc/ppc.h"
#include "hv/ppc/rtas.h"

#include <errno.h>
#include <libfdt.h>

#define PSERIES_RTAS_SIZE 0x10000u
#define PSERIES_RMA_SIZE 0x10000000ull

uint64_t hv_ppc_pseries_rtas_base(uint64_t ram_bytes)
{
	uint64_t top = ram_bytes < PSERIES_RMA_SIZE ? ram_bytes : PSERIES_RMA_SIZE;
	return top - PSERIES_RTAS_SIZE;
}

static int fdt_u32s(void *fdt, const char *name, const uint32_t *v, unsigned n)
{
	uint32_t be[16];

	for (unsigned i = 0; i < n && i < 16; i++)
		be[i] = cpu_to_fdt32(v[i]);
	return fdt_property(fdt, name, be, (int)(n * 4));
}

static int fdt_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	uint64_t be[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };
	return fdt_property(fdt, name, be, sizeof(be));
}

static bool pseries_power9(const struct hv_pseries_config *cfg)
{
	return (cfg->pvr >> 16) >= PPC_PVR_VERSION_POWER9;
}

/*
 * Option vector 5 as /chosen/ibm,architecture-vec-5 carries it (byte 0 the
 * vector's length less one; byte n is LoPAPR's byte n; Linux's OV5_* names
 * the bits): byte 23 interrupt controller (0: XICS only), byte 24 MMU
 * (0x00 hash only, 0x40 radix only), byte 26 radix GTSE (0x40: the guest may
 * issue tlbie itself).
 */
#define PSERIES_OV5_LEN 27
#define PSERIES_OV5_MMU 24
#define PSERIES_OV5_MMU_RADIX 0x40
#define PSERIES_OV5_RADIX_EXT 26
#define PSERIES_OV5_RADIX_GTSE 0x40

static int pseries_chosen(void *fdt, const struct hv_pseries_config *cfg, const char *vty_path)
{
	uint8_t ov5[PSERIES_OV5_LEN] = { PSERIES_OV5_LEN - 2 };
	int rc = fdt_begin_node(fdt, "chosen");

	if (pseries_power9(cfg)) {
		ov5[PSERIES_OV5_MMU] = PSERIES_OV5_MMU_RADIX;
		ov5[PSERIES_OV5_RADIX_EXT] = PSERIES_OV5_RADIX_GTSE;
	}
	if (!rc)
		rc = fdt_property(fdt, "ibm,architecture-vec-5", ov5, sizeof(ov5));

	if (!rc)
		rc = fdt_property_string(fdt, "bootargs", cfg->cmdline ? cfg->cmdline : "");
	if (!rc)
		rc = fdt_property_string(fdt, "stdout-path", vty_path);
	if (!rc)
		rc = fdt_property_string(fdt, "linux,stdout-path", vty_path);
	if (!rc && cfg->initrd_size) {
		rc = fdt_property_u64(fdt, "linux,initrd-start", cfg->initrd_start);
		if (!rc)
			rc = fdt_property_u64(fdt, "linux,initrd-end",
					      cfg->initrd_start + cfg->initrd_size);
	}
	return rc ? rc : fdt_end_node(fdt);
}

static int pseries_cpus(void *fdt, const struct domain *d, const struct hv_pseries_config *cfg)
{
	/* 4K, 64K and 16M base pages, each with one actual page size: (base
	 * shift, SLB encoding, count, (page shift, PTE encoding)...), LoPAPR. */
	static const uint32_t page_sizes[] = { 12, 0x0, 1,  12,    0x0, 16, 0x110, 1,
					       16, 0x1, 24, 0x100, 1,   24, 0x0 };
	/* The HPT hv keeps for the partition: 2^shift bytes (H_ENTER...). */
	const uint32_t pft_size[2] = { 0, d->papr ? d->papr->hpt_shift : 0 };
	/* 256M and 1T segments. */
	static const uint32_t seg_sizes[] = { 28, 40, 0xffffffff, 0xffffffff };
	/* Radix page sizes: AP (bits 0:2) || log2 size: 4K, 64K, 2M, 1G. */
	static const uint32_t radix_ap[] = { 0x0000000c, 0xa0000010, 0x20000015, 0x4000001e };
	/*
	 * ibm,pa-features (LoPAPR's processor attributes; Linux reads bytes
	 * 0, 1, 5, 22 and 40): byte 0 MMU, FPU, SLB, RUN (CTRL), DABR, NX;
	 * 1 CI large pages, SPRG3, ...; 5 true little-endian; 22 TM, left 0
	 * (no transactional memory); 40 the radix MMU (POWER9). Two header
	 * bytes: the attribute count and type 0.
	 */
	uint8_t pa[2 + 66] = { 0, 0, 0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80 };
	unsigned pa_len = pseries_power9(cfg) ? 66 : 24;
	int rc = fdt_begin_node(fdt, "cpus");

	pa[0] = (uint8_t)pa_len;
	/* Vector (16), VSX (18), vector AES/SHA (20); from v3.0 the bytes
	 * QEMU's POWER9 advertises for the v3.0 facilities, 40 radix. */
	pa[2 + 16] = pa[2 + 18] = pa[2 + 20] = 0x80;
	for (unsigned b = 24; b < pa_len && b < 62; b += 2)
		pa[2 + b] = 0x80;
	if (pa_len > 34)
		pa[2 + 34] = 0xc0;

	if (!rc)
		rc = fdt_property_u32(fdt, "#address-cells", 1);
	if (!rc)
		rc = fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned i = 0; !rc && i < d->n_vcpus; i++) {
		char name[32];
		uint32_t gservers[2] = { i, i };

		g_snprintf(name, sizeof(name), "PowerPC,POWER%u@%u", pseries_power9(cfg) ? 9 : 8,
			   i);
		rc = fdt_begin_node(fdt, name);
		if (!rc)
			rc = fdt_property_string(fdt, "device_type", "cpu");
		if (!rc)
			rc = fdt_property_u32(fdt, "reg", i);
		if (!rc)
			rc = fdt_property_u32(fdt, "cpu-version", cfg->pvr);
		if (!rc)
			rc = fdt_property_u32(fdt, "timebase-frequency",
					      (uint32_t)cfg->timebase_hz);
		if (!rc)
			rc = fdt_property_u32(fdt, "clock-frequency", 1000000000u);
		if (!rc)
			rc = fdt_property_u32(fdt, "ibm,ppc-interrupt-server#s", i);
		if (!rc)
			rc = fdt_u32s(fdt, "ibm,ppc-interrupt-gserver#s", gservers, 2);
		if (!rc && d->papr)
			rc = fdt_u32s(fdt, "ibm,pft-size", pft_size, 2);
		/* VMX and VSX (2): the kernel enables them for user space only
		 * when the tree says so. */
		if (!rc)
			rc = fdt_property_u32(fdt, "ibm,vmx", 2);
		if (!rc)
			rc = fdt_property_u32(fdt, "ibm,slb-size", 32);
		if (!rc)
			rc = fdt_property_u32(fdt, "slb-size", 32);
		if (!rc)
			rc = fdt_u32s(fdt, "ibm,segment-page-sizes", page_sizes,
				      G_N_ELEMENTS(page_sizes));
		if (!rc)
			rc = fdt_u32s(fdt, "ibm,processor-segment-sizes", seg_sizes,
				      G_N_ELEMENTS(seg_sizes));
		if (!rc)
			rc = fdt_property_u32(fdt, "i-cache-size", 0x8000);
		if (!rc)
			rc = fdt_property_u32(fdt, "d-cache-size", 0x8000);
		if (!rc)
			rc = fdt_property_u32(fdt, "i-cache-line-size", 128);
		if (!rc)
			rc = fdt_property_u32(fdt, "d-cache-line-size", 128);
		if (!rc)
			rc = fdt_property_u32(fdt, "i-cache-block-size", 128);
		if (!rc)
			rc = fdt_property_u32(fdt, "d-cache-block-size", 128);
		if (!rc)
			rc = fdt_property(fdt, "ibm,pa-features", pa, 2 + pa_len);
		if (!rc && pseries_power9(cfg))
			rc = fdt_u32s(fdt, "ibm,processor-radix-AP-encodings", radix_ap,
				      G_N_ELEMENTS(radix_ap));
		/* PIDR holds 20 bits from v3.0. */
		if (!rc && pseries_power9(cfg))
			rc = fdt_property_u32(fdt, "ibm,mmu-pid-bits", 20);
		if (!rc)
			rc = fdt_property(fdt, "64-bit", NULL, 0);
		if (!rc)
			rc = fdt_property_string(fdt, "status", "okay");
		if (!rc)
			rc = fdt_end_node(fdt);
	}
	return rc ? rc : fdt_end_node(fdt);
}

/* The phandle of the XICS node, the root's interrupt-parent. */
#define PSERIES_PHANDLE_XICS 1

static int pseries_vdevice(void *fdt, bool nvram, bool xics)
{
	/* The vty's interrupt: source PAPR_VTY_IRQ, sense 0 = edge (Linux's
	 * XICS reads bit 0 of the second cell as "level"). */
	const uint32_t vty_irq[2] = { PAPR_VTY_IRQ, 0 };
	char name[32];
	int rc = fdt_begin_node(fdt, "vdevice");

	g_snprintf(name, sizeof(name), "vty@%x", PAPR_VTERM_NO);
	if (!rc)
		rc = fdt_property_string(fdt, "device_type", "vdevice");
	if (!rc)
		rc = fdt_property_string(fdt, "compatible", "IBM,vdevice");
	if (!rc)
		rc = fdt_property_u32(fdt, "#address-cells", 1);
	if (!rc)
		rc = fdt_property_u32(fdt, "#size-cells", 0);
	if (!rc)
		rc = fdt_begin_node(fdt, name);
	if (!rc)
		rc = fdt_property_string(fdt, "device_type", "serial");
	if (!rc)
		rc = fdt_property_string(fdt, "compatible", "hvterm1");
	if (!rc)
		rc = fdt_property_u32(fdt, "reg", PAPR_VTERM_NO);
	if (!rc && xics)
		rc = fdt_u32s(fdt, "interrupts", vty_irq, 2);
	if (!rc)
		rc = fdt_end_node(fdt);
	/* The NVRAM behind nvram-fetch/nvram-store (hv/ppc/papr_nvram.c). */
	g_snprintf(name, sizeof(name), "nvram@%x", PAPR_NVRAM_REG);
	if (!rc && nvram)
		rc = fdt_begin_node(fdt, name);
	if (!rc && nvram)
		rc = fdt_property_string(fdt, "device_type", "nvram");
	if (!rc && nvram)
		rc = fdt_property_u32(fdt, "reg", PAPR_NVRAM_REG);
	if (!rc && nvram)
		rc = fdt_property_u32(fdt, "#bytes", PAPR_NVRAM_SIZE);
	if (!rc && nvram)
		rc = fdt_end_node(fdt);
	return rc ? rc : fdt_end_node(fdt);
}

/* The XICS presentation controllers: one interrupt server per vcpu
 * (hv/ppc/papr_xics.c). */
static int pseries_xics(void *fdt, const struct domain *d)
{
	const uint32_t ranges[2] = { 0, d->n_vcpus };
	int rc = fdt_begin_node(fdt, "interrupt-controller");

	if (!rc)
		rc = fdt_property_string(fdt, "device_type",
					 "PowerPC-External-Interrupt-Presentation");
	if (!rc)
		rc = fdt_property_string(fdt, "compatible", "IBM,ppc-xicp");
	if (!rc)
		rc = fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (!rc)
		rc = fdt_property_u32(fdt, "#interrupt-cells", 2);
	if (!rc)
		rc = fdt_u32s(fdt, "ibm,interrupt-server-ranges", ranges, 2);
	if (!rc)
		rc = fdt_property_u32(fdt, "phandle", PSERIES_PHANDLE_XICS);
	if (!rc)
		rc = fdt_property_u32(fdt, "linux,phandle", PSERIES_PHANDLE_XICS);
	return rc ? rc : fdt_end_node(fdt);
}

static int pseries_rtas(void *fdt, uint64_t rtas_base)
{
	/* The hcall sets implemented in full (LoPAPR 14.5.3, Table 188). */
	static const char hypertas[] = "hcall-pft\0hcall-bulk\0hcall-term\0hcall-dabr\0"
				       "hcall-xdabr\0hcall-splpar\0hcall-sprg0\0hcall-set-mode\0"
				       "hcall-interrupt";
	int rc = fdt_begin_node(fdt, "rtas");

	if (!rc)
		rc = fdt_property_u32(fdt, "linux,rtas-base", (uint32_t)rtas_base);
	if (!rc)
		rc = fdt_property_u32(fdt, "linux,rtas-entry", (uint32_t)rtas_base);
	if (!rc)
		rc = fdt_property_u32(fdt, "rtas-size", PSERIES_RTAS_SIZE);
	if (!rc)
		rc = fdt_property_u32(fdt, "rtas-error-log-max", 2048);
	if (!rc)
		rc = fdt_property_u32(fdt, "rtas-event-scan-rate", 1);
	for (unsigned i = 0; !rc && i < rtas_n_services; i++)
		rc = fdt_property_u32(fdt, rtas_services[i].name, rtas_services[i].token);
	/* ibm,os-term comes back (hv stops the partition after the call), so
	 * a panicking kernel calls it rather than spinning. */
	if (!rc)
		rc = fdt_property(fdt, "ibm,extended-os-term", NULL, 0);
	if (!rc)
		rc = fdt_property(fdt, "ibm,hypertas-functions", hypertas, sizeof(hypertas));
	return rc ? rc : fdt_end_node(fdt);
}

int hv_ppc_pseries_build_fdt(const struct domain *d, const struct hv_pseries_config *cfg, void *buf,
			     size_t size)
{
	uint64_t rtas_base = hv_ppc_pseries_rtas_base(d->ram_bytes);
	char vty_path[64];
	void *fdt = buf;
	int rc;

	rc = fdt_create(fdt, (int)size);
	if (!rc)
		rc = fdt_add_reservemap_entry(fdt, rtas_base, PSERIES_RTAS_SIZE);
	if (!rc)
		rc = fdt_finish_reservemap(fdt);
	if (!rc)
		rc = fdt_begin_node(fdt, "");
	if (!rc)
		rc = fdt_property_u32(fdt, "#address-cells", 2);
	if (!rc)
		rc = fdt_property_u32(fdt, "#size-cells", 2);
	if (!rc)
		rc = fdt_property_string(fdt, "device_type", "chrp");
	if (!rc)
		rc = fdt_property_string(fdt, "model", "softvisor pseries");
	if (!rc)
		rc = fdt_property_string(fdt, "compatible", "softvisor,pseries");
	/* Every device's interrupts are XICS sources. */
	if (!rc && d->papr)
		rc = fdt_property_u32(fdt, "interrupt-parent", PSERIES_PHANDLE_XICS);
	/* /chosen names the vty that pseries_vdevice lays out below. */
	g_snprintf(vty_path, sizeof(vty_path), "/vdevice/vty@%x", PAPR_VTERM_NO);
	if (!rc)
		rc = pseries_chosen(fdt, cfg, vty_path);
	if (!rc)
		rc = fdt_begin_node(fdt, "memory@0");
	if (!rc)
		rc = fdt_property_string(fdt, "device_type", "memory");
	if (!rc)
		rc = fdt_u64_pair(fdt, "reg", 0, d->ram_bytes);
	if (!rc)
		rc = fdt_end_node(fdt);
	if (!rc)
		rc = pseries_cpus(fdt, d, cfg);
	if (!rc)
		rc = pseries_vdevice(fdt, d->papr && d->papr->nvram, d->papr != NULL);
	if (!rc)
		rc = pseries_rtas(fdt, rtas_base);
	if (!rc && d->papr)
		rc = pseries_xics(fdt, d);
	if (!rc)
		rc = fdt_end_node(fdt);
	if (!rc)
		rc = fdt_finish(fdt);
	return rc ? -ENOSPC : 0;
}

int hv_ppc_pseries_boot(struct vcpu *v, const struct hv_pseries_config *cfg, uint64_t *fdt_gpa)
{
	struct domain *d = v->d;
	uint64_t rtas_base = hv_ppc_pseries_rtas_base(d->ram_bytes);
	uint64_t gpa = (cfg->free_gpa + SV_PAGE_SIZE - 1) & SV_PAGE_MASK;
	uint8_t blob[4 * RTAS_BLOB_WORDS];
	uint8_t *fdt = g_malloc(64 * 1024);
	struct cpu_ppc *c = hv_ppc_cpu(v);
	int rc;

	rc = hv_ppc_pseries_build_fdt(d, cfg, fdt, 64 * 1024);
	if (!rc && (gpa + fdt_totalsize(fdt) > rtas_base || cfg->free_gpa > rtas_base))
		rc = -ENOSPC;
	if (!rc)
		rc = p2m_copy_to(d->p2m, gpa, fdt, fdt_totalsize(fdt)) < 0 ? -ENOSPC : 0;
	for (unsigned i = 0; i < RTAS_BLOB_WORDS; i++)
		st32_be_p(blob + 4 * i, rtas_blob[i]); /* RTAS runs big-endian */
	if (!rc)
		rc = p2m_copy_to(d->p2m, rtas_base, blob, sizeof(blob)) < 0 ? -ENOSPC : 0;
	g_free(fdt);
	if (rc)
		return rc;
	cpu_ppc_reset_kexec(c, cfg->entry, gpa, cfg->load_addr, 0, (c->msr & PPC_MSR_LE) != 0);
	papr_vcpu_reset(v); /* the reset cleared SDR1 */
	if (v->id == 0 && d->papr)
		papr_stop_secondaries(d);
	*fdt_gpa = gpa;
	return 0;
}
