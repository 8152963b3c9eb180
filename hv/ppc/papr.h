/*
 * The PAPR personality: the hypercalls and RTAS services a pseries Linux
 * guest uses (LoPAPR; numbers as in Linux's arch/powerpc/include/asm/hvcall.h
 * and rtas.h, which follow it).
 *
 * Calling convention: `sc 1` with r3 = hcall number, r4.. = arguments; the
 * status comes back in r3 (H_SUCCESS = 0, negative errors) and outputs in
 * r4.. . The handlers live in hv/ppc (the personality is POWER-only) and write
 * their outputs straight into the caller's registers.
 */
#ifndef SV_HV_PPC_PAPR_H
#define SV_HV_PPC_PAPR_H

#include "hv/hypercall.h"

/* Status codes. */
#define H_SUCCESS 0
#define H_BUSY 1
#define H_HARDWARE (-1)
#define H_FUNCTION (-2)
#define H_PRIVILEGE (-3)
#define H_PARAMETER (-4)

/* Hypercall numbers: X(name, number). */
#define PAPR_HCALLS(X)                                                                             \
	X(H_REMOVE, 0x04)                                                                          \
	X(H_ENTER, 0x08)                                                                           \
	X(H_READ, 0x0c)                                                                            \
	X(H_CLEAR_MOD, 0x10)                                                                       \
	X(H_CLEAR_REF, 0x14)                                                                       \
	X(H_PROTECT, 0x18)                                                                         \
	X(H_SET_SPRG0, 0x24)                                                                       \
	X(H_SET_DABR, 0x28)                                                                        \
	X(H_PAGE_INIT, 0x2c)                                                                       \
	X(H_LOGICAL_CI_LOAD, 0x3c)                                                                 \
	X(H_LOGICAL_CI_STORE, 0x40)                                                                \
	X(H_GET_TERM_CHAR, 0x54)                                                                   \
	X(H_PUT_TERM_CHAR, 0x58)                                                                   \
	X(H_EOI, 0x64)                                                                             \
	X(H_CPPR, 0x68)                                                                            \
	X(H_IPI, 0x6c)                                                                             \
	X(H_IPOLL, 0x70)                                                                           \
	X(H_XIRR, 0x74)                                                                            \
	X(H_REGISTER_VPA, 0xdc)                                                                    \
	X(H_CEDE, 0xe0)                                                                            \
	X(H_CONFER, 0xe4)                                                                          \
	X(H_PROD, 0xe8)                                                                            \
	X(H_BULK_REMOVE, 0x124)                                                                    \
	X(H_GET_CPU_CHARACTERISTICS, 0x1c8)                                                        \
	X(H_HOME_NODE_ASSOCIATIVITY, 0x2ec)                                                        \
	X(H_XIRR_X, 0x2fc)                                                                         \
	X(H_RANDOM, 0x300)                                                                         \
	X(H_SET_MODE, 0x31c)                                                                       \
	X(H_REGISTER_PROC_TBL, 0x37c)                                                              \
	X(KVMPPC_H_RTAS, 0xf000)

enum papr_hcall_nr {
#define PAPR_HC_ENUM(name, nr) name = nr,
	PAPR_HCALLS(PAPR_HC_ENUM)
#undef PAPR_HC_ENUM
};

/* The table covers the architected range 0..PAPR_HCALL_MAX in steps of 4,
 * then the softvisor/KVM private range from 0xf000. */
#define PAPR_HCALL_MAX 0x460
#define PAPR_PRIVATE_BASE 0xf000
#define PAPR_PRIVATE_COUNT 16

extern const struct hv_hypercall_table papr_hypercall_table;
/* Table index of hcall nr, or -1 if it has none. */
long papr_hcall_index(uint64_t nr);

/* The console vterm the device tree describes (/vdevice/vty@...). */
#define PAPR_VTERM_NO 0x30000000u

long do_h_put_term_char(struct vcpu *v, const uint64_t a[6]);
long do_h_get_term_char(struct vcpu *v, const uint64_t a[6]);
long do_h_rtas(struct vcpu *v, const uint64_t a[6]);

#endif
