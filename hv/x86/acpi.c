/*
 * ACPI tables for x86 domUs (ACPI 6.4 chapter 5), as a Xen PVH guest gets
 * them from its toolstack: a hardware-reduced platform (no PM1 blocks, no
 * SCI, no legacy PIC/PIT/RTC/i8042) whose only devices are the CPUs' local
 * APICs, plus what a guest needs to power itself off or reboot.
 *
 * One page, mapped outside RAM in the special-page area (reported as
 * reserved in the memory map):
 *   +0x000 RSDP  rev 2, RSDT and XSDT addresses
 *   +0x040 XSDT  FADT, MADT
 *   +0x080 RSDT  the same, 32-bit
 *   +0x100 FADT  rev 6, HW_REDUCED_ACPI, SLEEP_CONTROL/STATUS and RESET_REG
 *                in I/O space (hv/x86/acpi.h), IAPC_BOOT_ARCH: no VGA, no
 *                CMOS RTC, no 8042
 *   +0x240 MADT  local APIC address 0xfee00000, one Processor Local APIC
 *                entry per vcpu (ACPI processor UID = APIC ID = vcpu id: Linux
 *                takes the UID as the Xen vcpu id)
 *   +0x340 DSDT  \_S5 only
 *
 * Worked example (Linux's `poweroff`): acpi_sleep_init sees \_S5 and the
 * sleep registers and registers acpi_power_off; it writes SLP_TYP 5 << 2 |
 * SLP_EN to port 0xb004 -> I/O exit -> hv_x86_acpi_io_write ->
 * hv_domain_shutdown(POWEROFF) -> softvisor exits with status 0.
 */
#include "hv/x86/acpi.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/vmcs.h"
#include "devices/x86/lapic.h"

#include <errno.h>

#define ACPI_RSDP_OFF 0x000
#define ACPI_XSDT_OFF 0x040
#define ACPI_RSDT_OFF 0x080
#define ACPI_FADT_OFF 0x100
#define ACPI_MADT_OFF 0x240
#define ACPI_DSDT_OFF 0x340

#define ACPI_HEADER_LEN 36
#define ACPI_FADT_LEN 276 /* revision 6 */
#define ACPI_MADT_LAPIC_LEN 8

/* FADT flags (ACPI 6.4 table 5.10). */
#define FADT_WBINVD (1u << 0)
#define FADT_PWR_BUTTON (1u << 4) /* no fixed-feature power button */
#define FADT_SLP_BUTTON (1u << 5)
#define FADT_RESET_REG_SUP (1u << 10)
#define FADT_HW_REDUCED_ACPI (1u << 20)
/* IAPC_BOOT_ARCH (table 5.11): bit 1 8042 present (clear), 2 VGA not
 * present, 5 CMOS RTC not present. */
#define FADT_BOOT_NO_VGA (1u << 2)
#define FADT_BOOT_NO_CMOS_RTC (1u << 5)

/* Generic address structure (table 5.1): space 1 = system I/O. */
#define ACPI_GAS_SYSTEM_IO 1
#define ACPI_GAS_ACCESS_BYTE 1

static void acpi_checksum(uint8_t *t, size_t len, size_t at)
{
	uint8_t sum = 0;

	t[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += t[i];
	t[at] = (uint8_t)-sum;
}

/* The common table header (ACPI 6.4 table 5.4); the checksum comes last. */
static void acpi_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	st32_le_p(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "SFTVSR", 6);
	memcpy(t + 16, "SOFTVISR", 8);
	st32_le_p(t + 24, 1);      /* OEM revision */
	memcpy(t + 28, "SVSR", 4); /* creator ID */
	st32_le_p(t + 32, 1);      /* creator revision */
}

static void acpi_gas_io(uint8_t *g, uint16_t port)
{
	g[0] = ACPI_GAS_SYSTEM_IO;
	g[1] = 8; /* bit width */
	g[2] = 0; /* bit offset */
	g[3] = ACPI_GAS_ACCESS_BYTE;
	st64_le_p(g + 4, port);
}

static void acpi_fadt(uint8_t *t, uint64_t dsdt)
{
	acpi_header(t, "FACP", ACPI_FADT_LEN, 6);
	st32_le_p(t + 40, (uint32_t)dsdt);                            /* DSDT */
	st16_le_p(t + 109, FADT_BOOT_NO_VGA | FADT_BOOT_NO_CMOS_RTC); /* IAPC_BOOT_ARCH */
	st32_le_p(t + 112, FADT_WBINVD | FADT_PWR_BUTTON | FADT_SLP_BUTTON | FADT_RESET_REG_SUP |
				   FADT_HW_REDUCED_ACPI);
	acpi_gas_io(t + 116, HV_X86_ACPI_RESET_PORT); /* RESET_REG */
	t[128] = HV_X86_ACPI_RESET_VALUE;
	t[131] = 0;                                           /* FADT minor version: 6.0 */
	st64_le_p(t + 140, dsdt);                             /* X_DSDT */
	acpi_gas_io(t + 244, HV_X86_ACPI_SLEEP_CONTROL_PORT); /* SLEEP_CONTROL_REG */
	acpi_gas_io(t + 256, HV_X86_ACPI_SLEEP_STATUS_PORT);  /* SLEEP_STATUS_REG */
	acpi_checksum(t, ACPI_FADT_LEN, 9);
}

/* MADT (ACPI 6.4 5.2.12): local APIC address, flags 0 (no 8259 pair), then
 * a Processor Local APIC structure (type 0, length 8: UID, APIC ID, flags
 * bit 0 enabled) per vcpu. */
static uint32_t acpi_madt(uint8_t *t, unsigned n_cpus)
{
	uint32_t len = ACPI_HEADER_LEN + 8 + ACPI_MADT_LAPIC_LEN * n_cpus;

	acpi_header(t, "APIC", len, 5);
	st32_le_p(t + 36, (uint32_t)LAPIC_DEFAULT_BASE);
	st32_le_p(t + 40, 0);
	for (unsigned i = 0; i < n_cpus; i++) {
		uint8_t *e = t + ACPI_HEADER_LEN + 8 + ACPI_MADT_LAPIC_LEN * i;

		e[0] = 0;
		e[1] = ACPI_MADT_LAPIC_LEN;
		e[2] = (uint8_t)i; /* ACPI processor UID */
		e[3] = (uint8_t)i; /* APIC ID */
		st32_le_p(e + 4, 1);
	}
	acpi_checksum(t, len, 9);
	return len;
}

/*
 * The DSDT's AML (ACPI 6.4 chapter 20): Name (_S5, Package () { 5, 5 }).
 *   08             NameOp
 *   5f 53 35 5f    NameSeg "_S5_"
 *   12             PackageOp
 *   06             PkgLength: 6 bytes from here to the package's end
 *   02             NumElements
 *   0a 05          BytePrefix 5: SLP_TYPa
 *   0a 05          BytePrefix 5: SLP_TYPb
 */
static const uint8_t acpi_dsdt_aml[] = {
	0x08, '_',
	'S',  '5',
	'_',  0x12,
	0x06, 0x02,
	0x0a, HV_X86_ACPI_SLP_TYP_S5,
	0x0a, HV_X86_ACPI_SLP_TYP_S5,
};

static uint32_t acpi_dsdt(uint8_t *t)
{
	uint32_t len = ACPI_HEADER_LEN + sizeof(acpi_dsdt_aml);

	acpi_header(t, "DSDT", len, 2);
	memcpy(t + ACPI_HEADER_LEN, acpi_dsdt_aml, sizeof(acpi_dsdt_aml));
	acpi_checksum(t, len, 9);
	return len;
}

int hv_x86_acpi_build(struct domain *d, uint64_t gfn, uint64_t *rsdp)
{
	uint8_t page[SV_PAGE_SIZE] = { 0 };
	uint64_t base = gfn << SV_PAGE_BITS;
	int64_t mfn;
	int rc;

	if (d->n_vcpus >
	    (ACPI_DSDT_OFF - ACPI_MADT_OFF - ACPI_HEADER_LEN - 8) / ACPI_MADT_LAPIC_LEN)
		return -E2BIG;
	acpi_fadt(page + ACPI_FADT_OFF, base + ACPI_DSDT_OFF);
	acpi_madt(page + ACPI_MADT_OFF, d->n_vcpus);
	acpi_dsdt(page + ACPI_DSDT_OFF);

	/* XSDT and RSDT: FADT, MADT. */
	acpi_header(page + ACPI_XSDT_OFF, "XSDT", ACPI_HEADER_LEN + 16, 1);
	st64_le_p(page + ACPI_XSDT_OFF + 36, base + ACPI_FADT_OFF);
	st64_le_p(page + ACPI_XSDT_OFF + 44, base + ACPI_MADT_OFF);
	acpi_checksum(page + ACPI_XSDT_OFF, ACPI_HEADER_LEN + 16, 9);
	acpi_header(page + ACPI_RSDT_OFF, "RSDT", ACPI_HEADER_LEN + 8, 1);
	st32_le_p(page + ACPI_RSDT_OFF + 36, (uint32_t)(base + ACPI_FADT_OFF));
	st32_le_p(page + ACPI_RSDT_OFF + 40, (uint32_t)(base + ACPI_MADT_OFF));
	acpi_checksum(page + ACPI_RSDT_OFF, ACPI_HEADER_LEN + 8, 9);

	/* RSDP (ACPI 6.4 5.2.5.3): signature, checksum of the first 20
	 * bytes, OEM ID, revision 2, RSDT address, length 36, XSDT address,
	 * extended checksum of all 36. */
	uint8_t *r = page + ACPI_RSDP_OFF;
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "SFTVSR", 6);
	r[15] = 2;
	st32_le_p(r + 16, (uint32_t)(base + ACPI_RSDT_OFF));
	st32_le_p(r + 20, 36);
	st64_le_p(r + 24, base + ACPI_XSDT_OFF);
	acpi_checksum(r, 20, 8);
	acpi_checksum(r, 36, 32);

	mfn = machmem_alloc(&d->hv->mem, 0);
	if (mfn < 0)
		return (int)mfn;
	memcpy(machmem_ptr(&d->hv->mem, (uint64_t)mfn), page, sizeof(page));
	/* The p2m holds its own reference from here on. */
	rc = p2m_set(d->p2m, gfn, (uint64_t)mfn, P2M_RAM_RW, P2M_ACCESS_RW);
	machmem_put(&d->hv->mem, (uint64_t)mfn);
	if (rc < 0)
		return rc;
	*rsdp = base + ACPI_RSDP_OFF;
	return 0;
}

void hv_x86_acpi_intercept_io(struct cpu_x86 *c)
{
	vmcs_io_intercept(&c->vmcs, HV_X86_ACPI_SLEEP_STATUS_PORT, true);
	vmcs_io_intercept(&c->vmcs, HV_X86_ACPI_SLEEP_CONTROL_PORT, true);
	vmcs_io_intercept(&c->vmcs, HV_X86_ACPI_RESET_PORT, true);
}

uint32_t hv_x86_acpi_io_read(struct vcpu *v, uint16_t port, unsigned size)
{
	/* Sleep status: WAK_STS (bit 7) clear. Any other port that exits
	 * (a wide access overlapping the reset register, e.g. a 4-byte read of
	 * the PCI address port 0xcf8) has no device behind it and reads as a
	 * floating bus: all ones, as Xen answers unclaimed ports. */
	if (port == HV_X86_ACPI_SLEEP_STATUS_PORT)
		return 0;
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

void hv_x86_acpi_io_write(struct vcpu *v, uint16_t port, unsigned size, uint32_t val)
{
	switch (port) {
	case HV_X86_ACPI_SLEEP_CONTROL_PORT:
		if ((val & HV_X86_ACPI_SLP_EN) && ((val >> 2) & 7) == HV_X86_ACPI_SLP_TYP_S5) {
			hv_trace(v, TRACE_EXITS, "ACPI sleep control 0x%02x: S5, power off", val);
			hv_domain_shutdown(v->d, HV_SHUTDOWN_POWEROFF);
		}
		break;
	case HV_X86_ACPI_RESET_PORT:
		if ((val & 0xff) == HV_X86_ACPI_RESET_VALUE) {
			hv_trace(v, TRACE_EXITS, "ACPI reset register: reboot");
			hv_domain_shutdown(v->d, HV_SHUTDOWN_REBOOT);
		}
		break;
	default: break;
	}
}
