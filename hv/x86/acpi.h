/*
 * ACPI for x86 domUs: the tables a Xen PVH guest finds through
 * hvm_start_info.rsdp_paddr, and the registers they name.
 */
#ifndef SV_HV_X86_ACPI_H
#define SV_HV_X86_ACPI_H

#include "hv/hv.h"

struct cpu_x86;

/*
 * The hardware-reduced ACPI registers (ACPI 6.4 sections 4.8.3.7, 4.8.3.6,
 * 4.8.3.6): one byte each in I/O space. Writing SLP_EN (bit 5) with
 * SLP_TYP (bits 4:2) = HV_X86_ACPI_SLP_TYP_S5 (the value \_S5 gives) to the
 * sleep control register powers the domain off; RESET_VALUE to the reset
 * register reboots it. The sleep status register reads 0 (never woken).
 */
#define HV_X86_ACPI_SLEEP_STATUS_PORT 0xb000
#define HV_X86_ACPI_SLEEP_CONTROL_PORT 0xb004
#define HV_X86_ACPI_RESET_PORT 0xcf9
#define HV_X86_ACPI_RESET_VALUE 0x06
#define HV_X86_ACPI_SLP_TYP_S5 5
#define HV_X86_ACPI_SLP_EN (1u << 5)

/* Write the tables (RSDP, XSDT, RSDT, FADT, MADT with one local APIC per
 * vcpu, DSDT) into a page mapped at gfn (outside RAM, reported reserved).
 * *rsdp: the RSDP's guest-physical address. 0 or -errno. */
int hv_x86_acpi_build(struct domain *d, uint64_t gfn, uint64_t *rsdp);

/* The I/O bitmap bits of the registers above (the vcpu's VMCS). */
void hv_x86_acpi_intercept_io(struct cpu_x86 *c);
/* IN/OUT of size bytes that exited at port. */
uint32_t hv_x86_acpi_io_read(struct vcpu *v, uint16_t port, unsigned size);
void hv_x86_acpi_io_write(struct vcpu *v, uint16_t port, unsigned size, uint32_t val);

#endif
