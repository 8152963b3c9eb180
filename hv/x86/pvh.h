/*
 * Xen PVH boot: start_info and the vcpu's start state.
 */
#ifndef SV_HV_X86_PVH_H
#define SV_HV_X86_PVH_H

#include "hv/hv.h"

/* A boot module (the initrd), already in guest memory. */
struct hv_pvh_module {
	uint64_t paddr, size;
};

#define HV_PVH_MAX_MODULES 8

/*
 * The special pages hv maps for its backends (0: xenstore ring, 1: console
 * ring) and the ACPI tables (2), outside RAM: where Xen puts an HVM guest's special pages, the 64 KiB
 * below 0xff000000, or right above RAM if RAM reaches that far. The PVH
 * memory map reports them as reserved (E820 type 2).
 */
#define HV_X86_SPECIAL_GFN_BASE 0xfeff0ull
#define HV_X86_SPECIAL_PAGES 16u
#define HV_X86_SPECIAL_XENSTORE 0u
#define HV_X86_SPECIAL_CONSOLE 1u
#define HV_X86_SPECIAL_ACPI 2u
uint64_t hv_x86_special_gfn(const struct domain *d, unsigned i);

/* Write hvm_start_info in the first free page at or after free_gpa, the
 * ACPI tables for all of the domain's vcpus (create them first), and put v
 * in the PVH start state at entry. 0, -E2BIG (command line too long or too
 * many modules) or -ENOSPC (no room in RAM below 4 GiB). */
int hv_x86_pvh_boot(struct vcpu *v, uint32_t entry, uint64_t free_gpa, const char *cmdline,
		    const struct hv_pvh_module *mods, unsigned n_mods, uint64_t *start_info_gpa);

#endif
