/*
 * The pseries platform's start of day: the flattened device tree a PAPR
 * guest boots with (no Open Firmware: Linux enters as after kexec, r3 = the
 * tree), and the RTAS blob it calls.
 */
#ifndef SV_HV_PPC_PSERIES_H
#define SV_HV_PPC_PSERIES_H

#include "hv/hv.h"

struct hv_pseries_config {
	uint64_t entry;                     /* kernel entry (guest-physical) */
	uint64_t load_addr;                 /* where the kernel image starts (r4) */
	uint64_t free_gpa;                  /* first byte after the kernel and initrd */
	const char *cmdline;                /* /chosen/bootargs, may be NULL */
	uint64_t initrd_start, initrd_size; /* size 0: none */
	uint32_t pvr;                       /* the CPU model's processor version */
	uint64_t timebase_hz;               /* the time base frequency */
};

/* Where the RTAS blob goes: the top 64 KiB of the first 256 MiB (the real
 * mode area Linux calls RTAS in), or of RAM if smaller. */
uint64_t hv_ppc_pseries_rtas_base(uint64_t ram_bytes);

/* Build the device tree into buf (size bytes). 0 or -ENOSPC. */
int hv_ppc_pseries_build_fdt(const struct domain *d, const struct hv_pseries_config *cfg, void *buf,
			     size_t size);

/* Write the tree and the RTAS blob into guest memory and start v as after
 * kexec with r3 = the tree. 0, or -ENOSPC if they do not fit. */
int hv_ppc_pseries_boot(struct vcpu *v, const struct hv_pseries_config *cfg, uint64_t *fdt_gpa);

#endif
