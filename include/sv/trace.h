/*
 * Event tracing (--trace). One line per event, a stable format documented in
 * man/softvisor.1, e.g.
 *
 *   1234 d1v0 VMEXIT 18 VMCALL rip=0x100084 len=3 qual=0x0
 *   1234 d1v0 HYPERCALL 18 console_io(0x0, 0x1c, 0x100200) = 0
 *   5678 d1v0 HV 0xc00 HCALL pc=0x1018 srr1=0x8000000000001000
 *   3670 d1v0 EVTCHN bind_virq virq=0 vcpu=0 port=1            (--trace=evtchn)
 *   3645 d1v0 P2M add_to_physmap shared_info gfn=0x109 ...      (--trace=p2m)
 *   TB d1v0 pc=0x100000 phys=0x100000 flags=0x3 insns=5 bytes=17   (--trace=tb)
 *       0x100000: mov eax, 0x40000000                              (--trace=insn)
 *       ... the TB's optimized IR ...                               (--trace=ir)
 *
 * tb, insn and ir report translation (each TB once, when it is translated),
 * not execution.
 * The first field is the vcpu's instruction count (virtual time). A disabled
 * category costs one test of a mask.
 */
#ifndef SV_TRACE_H
#define SV_TRACE_H

#include <stdarg.h>
#include <stdio.h>

#include "sv/common.h"

#define TRACE_CATEGORIES(X)                                                                        \
	X(EXITS, "exits")                                                                          \
	X(HYPERCALLS, "hypercalls")                                                                \
	X(EVTCHN, "evtchn")                                                                        \
	X(P2M, "p2m")                                                                              \
	X(IRQ, "irq")                                                                              \
	X(TB, "tb")                                                                                \
	X(INSN, "insn")                                                                            \
	X(IR, "ir")

enum trace_bit {
#define TRACE_BIT(n, s) TRACE_BIT_##n,
	TRACE_CATEGORIES(TRACE_BIT)
#undef TRACE_BIT
	TRACE_NUM
};

enum {
#define TRACE_MASK(n, s) TRACE_##n = 1u << TRACE_BIT_##n,
	TRACE_CATEGORIES(TRACE_MASK)
#undef TRACE_MASK
};

struct trace {
	unsigned mask;
	FILE *out;
};

static inline bool trace_on(const struct trace *t, unsigned cat)
{
	return t && SV_UNLIKELY(t->mask & cat);
}

/* Parse "exits,hypercalls" into a mask; -1 and *bad = the unknown word
 * (frontend/trace.c: only the command line parses). */
int trace_parse(const char *list, unsigned *mask, char **bad);

static inline void trace_printf(struct trace *t, const char *fmt, ...) SV_PRINTF(2, 3);
static inline void trace_printf(struct trace *t, const char *fmt, ...)
{
	va_list ap;

	if (!t->out)
		return;
	va_start(ap, fmt);
	vfprintf(t->out, fmt, ap);
	va_end(ap);
}

#endif
