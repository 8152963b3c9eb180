/*
 * xen_version (public/version.h): who the guest is talking to.
 */
#include "hv/hypercall.h"
#include "hv/xen_abi.h"

#define XEN_ENODATA 61

static long xen_version_copy_string(struct vcpu *v, uint64_t arg, const char *s, size_t size)
{
	char buf[1024] = { 0 };

	g_strlcpy(buf, s, size);
	return hv_copy_to_guest(v, arg, buf, size) < 0 ? -XEN_EFAULT : 0;
}

long do_xen_version(struct vcpu *v, const uint64_t a[6])
{
	unsigned cmd = (unsigned)a[0];
	uint64_t arg = a[1];
	uint8_t buf[160] = { 0 };

	switch (cmd) {
	case XENVER_version: return (SV_XEN_MAJOR << 16) | SV_XEN_MINOR;
	case XENVER_extraversion: return xen_version_copy_string(v, arg, ".0-softvisor", 16);
	case XENVER_compile_info:
		/* struct xen_compile_info: compiler[64] compile_by[16]
		 * compile_domain[32] compile_date[32]. */
		g_strlcpy((char *)buf, "softvisor " SV_VERSION, 64);
		g_strlcpy((char *)buf + 64, "softvisor", 16);
		g_strlcpy((char *)buf + 80, "softvisor", 32);
		g_strlcpy((char *)buf + 112, "", 32);
		return hv_copy_to_guest(v, arg, buf, 144) < 0 ? -XEN_EFAULT : 0;
	case XENVER_capabilities:
		return xen_version_copy_string(
			v, arg, v->d->arch == HV_ARCH_X86_64 ? "hvm-3.0-x86_64" : "xen-3.0-ppc64",
			1024);
	case XENVER_changeset: return xen_version_copy_string(v, arg, "softvisor " SV_VERSION, 64);
	case XENVER_platform_parameters:
		/* struct xen_platform_parameters { xen_ulong_t virt_start; }: an
		 * HVM guest owns its whole address space. */
		return hv_copy_to_guest(v, arg, buf, 8) < 0 ? -XEN_EFAULT : 0;
	case XENVER_get_features: {
		/* struct xen_feature_info { uint32 submap_idx; uint32 submap; }.
		 * The bits honoured, as Xen reports them to a translated (HVM
		 * or PVH) guest: the guest's physmap is translated by hv; on
		 * x86 the upcall can be a callback vector (HVM_PARAM_CALLBACK_IRQ
		 * type 2) and the pvclock is safe to use. */
		uint32_t submap = 0;
		if (hv_copy_from_guest(v, buf, arg, 8) < 0)
			return -XEN_EFAULT;
		if (hv_guest_u32(v, buf) == 0) {
			submap = (1u << XENFEAT_writable_page_tables) |
				 (1u << XENFEAT_auto_translated_physmap);
			if (v->d->arch == HV_ARCH_X86_64)
				submap |= (1u << XENFEAT_hvm_callback_vector) |
					  (1u << XENFEAT_hvm_safe_pvclock);
		}
		hv_guest_put_u32(v, buf + 4, submap);
		return hv_copy_to_guest(v, arg, buf, 8) < 0 ? -XEN_EFAULT : 0;
	}
	case XENVER_pagesize: return SV_PAGE_SIZE;
	case XENVER_guest_handle:
		/* xen_domain_handle_t: the domain's UUID (all zero: none set). */
		return hv_copy_to_guest(v, arg, buf, 16) < 0 ? -XEN_EFAULT : 0;
	case XENVER_commandline: return xen_version_copy_string(v, arg, "", 1024);
	case XENVER_build_id: return -XEN_ENODATA;
	default: return -XEN_ENOSYS;
	}
}
