/*
 * RTAS: the run-time services a pseries guest calls through a small blob of
 * code in its memory. softvisor's blob turns every call into the private
 * hypercall KVMPPC_H_RTAS with r4 = the guest-physical address of the
 * argument block, which is always big-endian (RTAS runs big-endian):
 *
 *     struct rtas_args { be32 token, nargs, nret; be32 args[nargs]; be32 rets[nret]; }
 *
 * Tokens are softvisor's own numbering; the device tree's /rtas node names
 * them, so the guest never guesses.
 */
#ifndef SV_HV_PPC_RTAS_H
#define SV_HV_PPC_RTAS_H

#include "hv/hv.h"

/* RTAS status values. */
#define RTAS_SUCCESS 0
#define RTAS_HARDWARE_ERROR (-1)
#define RTAS_BUSY (-2)
#define RTAS_PARAMETER_ERROR (-3)

/* X(name in the device tree, token, handler suffix) */
#define RTAS_SERVICES(X)                                                                           \
	X("display-character", 0x2000, display_character)                                          \
	X("get-time-of-day", 0x2001, get_time_of_day)                                              \
	X("set-time-of-day", 0x2002, unsupported)                                                  \
	X("power-off", 0x2003, power_off)                                                          \
	X("system-reboot", 0x2004, system_reboot)                                                  \
	X("event-scan", 0x2005, event_scan)                                                        \
	X("nvram-fetch", 0x2006, nvram_fetch)                                                      \
	X("nvram-store", 0x2007, nvram_store)                                                      \
	X("ibm,get-system-parameter", 0x2008, get_system_parameter)                                \
	X("ibm,nmi-register", 0x2009, nmi_register)                                                \
	X("ibm,os-term", 0x200a, os_term)                                                          \
	X("ibm,nmi-interlock", 0x200b, nmi_interlock)                                              \
	X("ibm,set-xive", 0x200c, set_xive)                                                        \
	X("ibm,get-xive", 0x200d, get_xive)                                                        \
	X("ibm,int-off", 0x200e, int_off)                                                          \
	X("ibm,int-on", 0x200f, int_on)                                                            \
	X("query-cpu-stopped-state", 0x2010, query_cpu_stopped_state)                              \
	X("start-cpu", 0x2011, start_cpu)                                                          \
	X("stop-self", 0x2012, stop_self)

/* The blob: 5 big-endian instruction words (mr r4,r3; lis/ori r3,0xf000;
 * sc 1; blr). */
#define RTAS_BLOB_WORDS 5
extern const uint32_t rtas_blob[RTAS_BLOB_WORDS];

struct rtas_service {
	const char *name;
	uint32_t token;
};
extern const struct rtas_service rtas_services[];
extern const unsigned rtas_n_services;

/* Serve the call whose argument block is at args_gpa (KVMPPC_H_RTAS). Returns
 * H_SUCCESS, or H_PARAMETER if the block is unreadable or malformed; the
 * service's own status goes to rets[0]. */
long hv_ppc_rtas_call(struct vcpu *v, uint64_t args_gpa);

#endif
