/*
 * physdev_op (public/physdev.h) for a PVH domU, as Xen's hvm_physdev_op
 * answers one: the PIRQ operations (map_pirq, unmap_pirq, eoi,
 * irq_status_query, get_free_pirq) exist only for domains with emulated PIRQs
 * (an HVM guest with XENFEAT_hvm_pirqs; a PVH domU has none), the PCI and
 * debug-port ones (pci_mmcfg_reserved, pci_device_add/remove, dbgp_op) only
 * for the hardware domain, and every other sub-op (the PV ones: set_iopl,
 * set_iobitmap, pirq_eoi_gmfn, ...) not at all for an HVM-type guest. So each
 * is -ENOSYS, which is what Linux expects and checks for (it then leaves
 * PIRQs and PCI device reporting alone). The row exists so that traces and
 * statistics name the hypercall and its sub-op.
 */
#include "hv/hypercall.h"

long do_physdev_op(struct vcpu *v, const uint64_t a[6])
{
	switch ((unsigned)a[0]) {
	case PHYSDEVOP_map_pirq:
	case PHYSDEVOP_unmap_pirq:
	case PHYSDEVOP_eoi:
	case PHYSDEVOP_irq_status_query:
	case PHYSDEVOP_get_free_pirq: return -XEN_ENOSYS; /* no emulated PIRQs */
	case PHYSDEVOP_pci_mmcfg_reserved:
	case PHYSDEVOP_pci_device_add:
	case PHYSDEVOP_pci_device_remove:
	case PHYSDEVOP_dbgp_op: return -XEN_ENOSYS; /* not the hardware domain */
	default: return -XEN_ENOSYS;                /* PV-only or unknown */
	}
}
