/*
 * The shared_info page and vcpu_info: the memory hv and a guest share.
 *
 * Layout (byte offsets) of Xen's struct shared_info, struct vcpu_info and
 * struct vcpu_time_info for a 64-bit guest, from xen/include/public/xen.h and
 * public/arch-x86/xen.h (xen_ulong_t = 64 bits, XEN_LEGACY_MAX_VCPUS = 32):
 *
 *   struct vcpu_info (64 bytes)
 *     +0   uint8_t  evtchn_upcall_pending
 *     +1   uint8_t  evtchn_upcall_mask
 *     +8   xen_ulong_t evtchn_pending_sel   (one bit per word of evtchn_pending)
 *     +16  struct arch_vcpu_info { cr2, pad }
 *     +32  struct vcpu_time_info (32 bytes, the pvclock)
 *            +0 version  +8 tsc_timestamp  +16 system_time
 *            +24 tsc_to_system_mul  +28 tsc_shift (int8)  +29 flags
 *   struct shared_info (one 4 KiB page)
 *     +0     vcpu_info[32]
 *     +2048  xen_ulong_t evtchn_pending[64]  (bit port % 64 of word port / 64)
 *     +2560  xen_ulong_t evtchn_mask[64]
 *     +3072  uint32_t wc_version, +3076 wc_sec, +3080 wc_nsec, +3084 wc_sec_hi
 *     +3088  struct arch_shared_info
 *
 * Every field is in the guest's byte order (a big-endian POWER guest's words
 * are big-endian): d->big_endian, fixed when the domain's vcpus are created.
 * softvisor's Xen personality on POWER uses this same 64-bit layout.
 *
 * Worked example: port 70 pending for vcpu 0 means bit 6 of
 * evtchn_pending[1] (offset 2048 + 8), bit 1 of vcpu_info[0].evtchn_pending_sel
 * (offset 8) and evtchn_upcall_pending = 1 (offset 0).
 */
#ifndef SV_HV_SHARED_INFO_H
#define SV_HV_SHARED_INFO_H

#include "hv/hv.h"

#define XEN_LEGACY_MAX_VCPUS 32

#define XEN_VCPU_INFO_SIZE 64
#define XEN_VCPU_INFO_ALIGN 8
#define XEN_VCPU_INFO_UPCALL_PENDING 0
#define XEN_VCPU_INFO_UPCALL_MASK 1
#define XEN_VCPU_INFO_PENDING_SEL 8
#define XEN_VCPU_INFO_ARCH 16
#define XEN_VCPU_INFO_TIME 32

#define XEN_VCPU_TIME_INFO_SIZE 32
#define XEN_VCPU_TIME_VERSION 0
#define XEN_VCPU_TIME_TSC_TIMESTAMP 8
#define XEN_VCPU_TIME_SYSTEM_TIME 16
#define XEN_VCPU_TIME_TSC_TO_SYSTEM_MUL 24
#define XEN_VCPU_TIME_TSC_SHIFT 28
#define XEN_VCPU_TIME_FLAGS 29
#define XEN_PVCLOCK_TSC_STABLE_BIT (1u << 0)

#define XEN_SHARED_INFO_EVTCHN_PENDING 2048
#define XEN_SHARED_INFO_EVTCHN_MASK 2560
#define XEN_SHARED_INFO_WC_VERSION 3072
#define XEN_SHARED_INFO_WC_SEC 3076
#define XEN_SHARED_INFO_WC_NSEC 3080
#define XEN_SHARED_INFO_WC_SEC_HI 3084
#define XEN_SHARED_INFO_ARCH 3088

/* Bits in one xen_ulong_t word of the 2-level bitmaps. */
#define XEN_BITS_PER_EVTCHN_WORD 64

/* Host view of the domain's shared_info page (an hv-owned frame). */
uint8_t *hv_shared_info(struct domain *d);
/* Host view of v's vcpu_info: the registered one, else shared_info's slot
 * (vcpus >= 32 have none until they register one: NULL). */
uint8_t *hv_vcpu_info(struct vcpu *v);

/* Guest-endian words of shared structures (d->big_endian). */
uint32_t hv_shared_u32(struct domain *d, const uint8_t *p);
void hv_shared_put_u32(struct domain *d, uint8_t *p, uint32_t x);
uint64_t hv_shared_u64(struct domain *d, const uint8_t *p);
void hv_shared_put_u64(struct domain *d, uint8_t *p, uint64_t x);

/* evtchn_upcall_pending / _mask of v (false without a vcpu_info). */
bool hv_vcpu_upcall_pending(struct vcpu *v);
bool hv_vcpu_upcall_masked(struct vcpu *v);
/* Set evtchn_upcall_pending; on a 0 -> 1 change, latch the upcall and wake
 * v (Xen's vcpu_mark_events_pending). */
void hv_vcpu_mark_events_pending(struct vcpu *v);

/* Allocate the shared_info frame of a new domain; free it. */
int hv_shared_info_init(struct domain *d);
void hv_shared_info_destroy(struct domain *d);

#endif
