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

/* Write hvm_start_info in the first free page at or after free_gpa and put v
 * in the PVH start state at entry. 0, -E2BIG (command line too long or too
 * many modules) or -ENOSPC (no room in RAM below 4 GiB). */
int hv_x86_pvh_boot(struct vcpu *v, uint32_t entry, uint64_t free_gpa, const char *cmdline,
		    const struct hv_pvh_module *mods, unsigned n_mods, uint64_t *start_info_gpa);

#endif
