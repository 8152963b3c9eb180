/*
 * Segment limit and type checks of memory accesses outside 64-bit mode
 * (SDM vol. 3 5.3 "Limit checking", 5.4 "Type checking", 3.4.5.1; each
 * instruction's "Protected Mode Exceptions" and "Real-Address Mode
 * Exceptions").
 *
 * An access of n bytes at offset off through segment s faults when
 *   - s is unusable (a null selector in DS/ES/FS/GS),            #GP(0)
 *   - it writes a code segment or a read-only data segment,      #GP(0)
 *   - it reads an execute-only code segment,                      #GP(0)
 *   - off .. off+n-1 is not inside the segment: above the limit for an
 *     expand-up segment; at or below the limit, or above 0xffff (B = 0) or
 *     0xffffffff (B = 1), for an expand-down data segment,
 *                                                   #SS(0) for SS, else #GP(0).
 * Real mode checks only the limit and delivers no error code. 64-bit mode
 * checks none of this (only canonical addresses, in the MMU).
 *
 * Cost: most segments are "flat" (expand-up writable data, 4 GiB limit);
 * no access through them can fail a check. x86_tb_flags (cpu.c) gives each
 * TB one bit per data segment register that is not flat, and the
 * translator emits x86_helper_seg_check only for accesses through those;
 * a 64-bit TB has none. Segment loads end the TB outside 64-bit mode, so
 * the bits are always those of the segments the code runs with.
 *
 * Example: with DS an expand-up read/write segment of limit 0x0fff,
 * `movl %eax, 0xffe` calls the check with off 0xffe, 4 bytes, write, and
 * raises #GP(0) (0x1001 > 0xfff) before the store.
 */
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/helpers.h"

#define X86_TYPE_CODE 8u  /* type bit 3: code */
#define X86_TYPE_EXPDN 4u /* data: expand-down */
#define X86_TYPE_RW 2u    /* data: writable; code: readable */

bool cpu_x86_seg_flat(const struct cpu_x86 *c, unsigned s)
{
	const struct x86_seg *seg = &c->seg[s];
	if (seg->limit != 0xffffffffu)
		return false;
	if (!(c->cr0 & X86_CR0_PE))
		return !(seg->attr & X86_SEG_ATTR_S) || (seg->attr & X86_TYPE_CODE) ||
		       !(seg->attr & X86_TYPE_EXPDN);
	if (seg->attr & X86_SEG_ATTR_UNUSABLE)
		return false;
	return (seg->attr & X86_SEG_ATTR_S) &&
	       (seg->attr & (X86_TYPE_CODE | X86_TYPE_EXPDN | X86_TYPE_RW)) == X86_TYPE_RW;
}

bool cpu_x86_seg_in_limit(const struct x86_seg *seg, uint64_t off, unsigned bytes)
{
	uint64_t last = off + bytes - 1;
	/* SDM 5.3: an expand-down data segment covers limit+1 .. its top,
	 * 0xffff or 0xffffffff by the B flag. */
	if ((seg->attr & X86_SEG_ATTR_S) && !(seg->attr & X86_TYPE_CODE) &&
	    (seg->attr & X86_TYPE_EXPDN))
		return off > seg->limit &&
		       last <= ((seg->attr & X86_SEG_ATTR_DB) ? 0xffffffffull : 0xffffull);
	return last <= seg->limit;
}

void cpu_x86_seg_check(struct cpu_x86 *c, unsigned s, uint64_t off, unsigned bytes, bool write)
{
	const struct x86_seg *seg = &c->seg[s];
	unsigned vec = s == X86_SEG_SS ? X86_EXC_SS : X86_EXC_GP;
	if (cpu_x86_code64(c))
		return;
	if (!(c->cr0 & X86_CR0_PE)) {
		/* Real mode (SDM 20.1.4): no error code. */
		if (!cpu_x86_seg_in_limit(seg, off, bytes))
			cpu_x86_raise_exception(c, vec, false, 0);
		return;
	}
	/* SDM 5.4.1: the null selector check comes first. */
	if (seg->attr & X86_SEG_ATTR_UNUSABLE)
		cpu_x86_raise_exception(c, vec, true, 0);
	if (seg->attr & X86_SEG_ATTR_S) {
		bool code = seg->attr & X86_TYPE_CODE, rw = seg->attr & X86_TYPE_RW;
		if (write ? code || !rw : code && !rw)
			cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
	}
	if (!cpu_x86_seg_in_limit(seg, off, bytes))
		cpu_x86_raise_exception(c, vec, true, 0);
}

uint64_t x86_helper_seg_check(struct cpu *cpu, uint64_t off, uint64_t info, uint64_t c_, uint64_t e)
{
	cpu_x86_seg_check(cpu_x86_of(cpu), info & 7, off, (unsigned)(info >> 8),
			  (info & X86_SEG_CHECK_WRITE) != 0);
	return 0;
}
