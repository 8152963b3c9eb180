/*
 * Xen PVH start of day (Xen's public/arch-x86/hvm/start_info.h and
 * docs/misc/pvh.pandoc): the vcpu starts at the image's
 * XEN_ELFNOTE_PHYS32_ENTRY in 32-bit flat protected mode with paging off and
 * %ebx = guest-physical address of struct hvm_start_info.
 *
 * rsdp_paddr points at the ACPI tables (hv/x86/acpi.c) on a special page.
 *
 * Layout softvisor uses, in the first free page after the image and modules:
 *   +0     struct hvm_start_info (version 1, 56 bytes)
 *   +64    the memory map, struct hvm_memmap_table_entry[] (24 bytes each)
 *   +512   the module list, struct hvm_modlist_entry[] (paddr, size,
 *          cmdline_paddr, reserved: 32 bytes each; the initrd is module 0)
 *   +1024  the command line (NUL-terminated, at most 3071 bytes)
 */
#include "hv/x86/pvh.h"
#include "cpu/x86/cpu_x86.h"
#include "hv/x86/x86.h"

#include <errno.h>

#define HVM_START_MAGIC 0x336ec578u
#define HVM_MEMMAP_TYPE_RAM 1
#define HVM_MEMMAP_TYPE_RESERVED 2

#define PVH_MEMMAP_OFF 64
#define PVH_MODLIST_OFF 512
#define PVH_CMDLINE_OFF 1024
#define PVH_CMDLINE_MAX (SV_PAGE_SIZE - PVH_CMDLINE_OFF - 1)

uint64_t hv_x86_special_gfn(const struct domain *d, unsigned i)
{
	uint64_t ram_end = d->ram_bytes >> SV_PAGE_BITS;
	uint64_t base = ram_end <= HV_X86_SPECIAL_GFN_BASE ? HV_X86_SPECIAL_GFN_BASE : ram_end;

	return base + i;
}

int hv_x86_pvh_boot(struct vcpu *v, uint32_t entry, uint64_t free_gpa, const char *cmdline,
		    const struct hv_pvh_module *mods, unsigned n_mods, uint64_t *start_info_gpa)
{
	struct domain *d = v->d;
	uint8_t page[SV_PAGE_SIZE] = { 0 };
	uint64_t gpa = (free_gpa + SV_PAGE_SIZE - 1) & SV_PAGE_MASK;
	size_t cmdlen = cmdline ? strlen(cmdline) : 0;
	uint64_t rsdp;
	int rc;

	if (cmdlen > PVH_CMDLINE_MAX || n_mods > HV_PVH_MAX_MODULES)
		return -E2BIG;
	if (gpa + SV_PAGE_SIZE > d->ram_bytes || gpa + SV_PAGE_SIZE > 0x100000000ull)
		return -ENOSPC;
	rc = hv_x86_acpi_build(d, hv_x86_special_gfn(d, HV_X86_SPECIAL_ACPI), &rsdp);
	if (rc < 0)
		return rc;

	st32_le_p(page + 0, HVM_START_MAGIC);
	st32_le_p(page + 4, 1); /* version */
	st32_le_p(page + 8, 0); /* flags */
	st32_le_p(page + 12, n_mods);
	st64_le_p(page + 16, n_mods ? gpa + PVH_MODLIST_OFF : 0);
	st64_le_p(page + 24, cmdlen ? gpa + PVH_CMDLINE_OFF : 0);
	st64_le_p(page + 32, rsdp);
	st64_le_p(page + 40, gpa + PVH_MEMMAP_OFF);
	st32_le_p(page + 48, 2); /* memmap_entries */

	/* One RAM range, all of the domain's memory, then the special pages. */
	st64_le_p(page + PVH_MEMMAP_OFF + 0, 0);
	st64_le_p(page + PVH_MEMMAP_OFF + 8, d->ram_bytes);
	st32_le_p(page + PVH_MEMMAP_OFF + 16, HVM_MEMMAP_TYPE_RAM);
	st64_le_p(page + PVH_MEMMAP_OFF + 24, hv_x86_special_gfn(d, 0) << SV_PAGE_BITS);
	st64_le_p(page + PVH_MEMMAP_OFF + 32, (uint64_t)HV_X86_SPECIAL_PAGES << SV_PAGE_BITS);
	st32_le_p(page + PVH_MEMMAP_OFF + 40, HVM_MEMMAP_TYPE_RESERVED);

	for (unsigned i = 0; i < n_mods; i++) {
		st64_le_p(page + PVH_MODLIST_OFF + 32 * i + 0, mods[i].paddr);
		st64_le_p(page + PVH_MODLIST_OFF + 32 * i + 8, mods[i].size);
	}
	if (cmdlen)
		memcpy(page + PVH_CMDLINE_OFF, cmdline, cmdlen);
	rc = p2m_copy_to(d->p2m, gpa, page, sizeof(page));
	if (rc < 0)
		return rc;
	cpu_x86_reset_pvh(hv_x86_cpu(v), entry, (uint32_t)gpa);
	*start_info_gpa = gpa;
	return 0;
}
