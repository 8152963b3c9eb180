/*
 * Xen PVH boot: start_info and the vcpu's start state.
 */
#ifndef SV_HV_X86_PVH_H
#define SV_HV_X86_PVH_H

#include "hv/hv.h"

/* Write hvm_start_info after image_end and put v in the PVH start state at
 * entry. 0, -E2BIG (command line too long) or -ENOSPC (no room in RAM). */
int hv_x86_pvh_boot(struct vcpu *v, uint32_t entry, uint64_t image_end, const char *cmdline,
		    uint64_t *start_info_gpa);

#endif
