/*
 * The hypercall page: 128 stubs of 32 bytes, stub i = `mov $i, %eax;
 * vmcall; ret`, so a guest calls hypercall i as `call page + i * 32`
 * without knowing whether the CPU is Intel (vmcall) or AMD (vmmcall).
 * __HYPERVISOR_iret has no HVM meaning: its stub is ud2.
 */
#include "hv/x86/x86.h"
#include "hv/xen_abi.h"

int hv_x86_write_hypercall_page(struct domain *d, uint64_t gpa)
{
	uint8_t page[SV_PAGE_SIZE];

	memset(page, 0xcc, sizeof(page)); /* int3 between stubs */
	for (unsigned i = 0; i < SV_PAGE_SIZE / 32; i++) {
		uint8_t *p = page + i * 32;
		if (i == __HYPERVISOR_iret) {
			p[0] = 0x0f; /* ud2 */
			p[1] = 0x0b;
			continue;
		}
		p[0] = 0xb8; /* mov $i, %eax */
		st32_le_p(p + 1, i);
		p[5] = 0x0f; /* vmcall */
		p[6] = 0x01;
		p[7] = 0xc1;
		p[8] = 0xc3; /* ret */
	}
	return p2m_copy_to(d->p2m, gpa, page, sizeof(page));
}
