/*
 * Numbers of Xen's public ABI (xen/include/public/xen.h, version.h,
 * sched.h, errno.h). Error values are Xen's own, not the host's errno: a macOS
 * host's ENOSYS is 78, Xen's is 38.
 */
#ifndef SV_HV_XEN_ABI_H
#define SV_HV_XEN_ABI_H

/* Hypercall numbers (public/xen.h). */
#define XEN_HYPERCALLS(X)                                                                          \
	X(set_trap_table, 0)                                                                       \
	X(mmu_update, 1)                                                                           \
	X(set_gdt, 2)                                                                              \
	X(stack_switch, 3)                                                                         \
	X(set_callbacks, 4)                                                                        \
	X(fpu_taskswitch, 5)                                                                       \
	X(sched_op_compat, 6)                                                                      \
	X(platform_op, 7)                                                                          \
	X(set_debugreg, 8)                                                                         \
	X(get_debugreg, 9)                                                                         \
	X(update_descriptor, 10)                                                                   \
	X(memory_op, 12)                                                                           \
	X(multicall, 13)                                                                           \
	X(update_va_mapping, 14)                                                                   \
	X(set_timer_op, 15)                                                                        \
	X(event_channel_op_compat, 16)                                                             \
	X(xen_version, 17)                                                                         \
	X(console_io, 18)                                                                          \
	X(physdev_op_compat, 19)                                                                   \
	X(grant_table_op, 20)                                                                      \
	X(vm_assist, 21)                                                                           \
	X(update_va_mapping_otherdomain, 22)                                                       \
	X(iret, 23)                                                                                \
	X(vcpu_op, 24)                                                                             \
	X(set_segment_base, 25)                                                                    \
	X(mmuext_op, 26)                                                                           \
	X(xsm_op, 27)                                                                              \
	X(nmi_op, 28)                                                                              \
	X(sched_op, 29)                                                                            \
	X(callback_op, 30)                                                                         \
	X(xenoprof_op, 31)                                                                         \
	X(event_channel_op, 32)                                                                    \
	X(physdev_op, 33)                                                                          \
	X(hvm_op, 34)                                                                              \
	X(sysctl, 35)                                                                              \
	X(domctl, 36)                                                                              \
	X(kexec_op, 37)                                                                            \
	X(tmem_op, 38)                                                                             \
	X(argo_op, 39)                                                                             \
	X(xenpmu_op, 40)                                                                           \
	X(dm_op, 41)                                                                               \
	X(hypfs_op, 42)

enum xen_hypercall_nr {
#define XEN_HC_ENUM(name, nr) __HYPERVISOR_##name = nr,
	XEN_HYPERCALLS(XEN_HC_ENUM)
#undef XEN_HC_ENUM
};

/* Xen error numbers (public/errno.h); hypercalls return their negation. */
#define XEN_EPERM 1
#define XEN_ENOENT 2
#define XEN_E2BIG 7
#define XEN_EAGAIN 11
#define XEN_ENOMEM 12
#define XEN_EFAULT 14
#define XEN_EBUSY 16
#define XEN_EEXIST 17
#define XEN_EINVAL 22
#define XEN_ENOSPC 28
#define XEN_ENOSYS 38
#define XEN_EOPNOTSUPP 95

/* console_io (public/xen.h). */
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

/* sched_op (public/sched.h). */
#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll 3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code 5
#define SCHEDOP_watchdog 6
#define SCHEDOP_pin_override 7

/* xen_version (public/version.h). */
#define XENVER_version 0
#define XENVER_extraversion 1
#define XENVER_compile_info 2
#define XENVER_capabilities 3
#define XENVER_changeset 4
#define XENVER_platform_parameters 5
#define XENVER_get_features 6
#define XENVER_pagesize 7
#define XENVER_guest_handle 8
#define XENVER_commandline 9
#define XENVER_build_id 10

/* The Xen version softvisor's ABI follows. */
#define SV_XEN_MAJOR 4
#define SV_XEN_MINOR 17

#endif
