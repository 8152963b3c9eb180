/*
 * Task switches (SDM vol. 3A 7.3) to a 32-bit TSS. In VMX non-root
 * operation every task switch is a VM exit (SDM 25.4.2, exit 9): the CPU
 * stops before any of it and hv performs it with cpu_x86_task_switch(), as
 * Xen's hvm_task_switch does. What reaches here:
 *
 *     IDT task gate (source 3)  an exception or interrupt whose gate is a
 *                               task gate, e.g. a double fault handled on its
 *                               own stack by a 32-bit kernel:
 *         IDT[8] = task gate -> TSS selector 0x28
 *         #DF: state saved into the current TSS, TR = 0x28 (busy), the new
 *         task's link = the old TR, EFLAGS.NT = 1, CR0.TS = 1, the error
 *         code pushed on the new task's stack
 *     CALL / JMP / IRET (sources 0, 2, 1): the same steps with the link, NT
 *         and busy bits as SDM 7.3 steps 5-10 say per source.
 *
 * A 16-bit TSS (types 1/3) is not supported: #TS. A fault while saving the
 * old state happens in the old task; one while loading the new segment
 * registers happens in the new task (SDM 7.3 step 12), as here.
 */
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/helpers.h"

/* 32-bit TSS layout (SDM 7.2.1 figure 7-2). */
enum {
	TSS_LINK = 0x00,
	TSS_CR3 = 0x1c,
	TSS_EIP = 0x20,
	TSS_EFLAGS = 0x24,
	TSS_EAX = 0x28, /* EAX ECX EDX EBX ESP EBP ESI EDI: 4 bytes each */
	TSS_ES = 0x48,  /* ES CS SS DS FS GS: 4 bytes each */
	TSS_LDT = 0x60,
	TSS32_MIN_LIMIT = 0x67,
};

static const enum x86_seg_reg tss_seg_order[6] = { X86_SEG_ES, X86_SEG_CS, X86_SEG_SS,
						   X86_SEG_DS, X86_SEG_FS, X86_SEG_GS };

static void task_fault(struct x86_event *f, unsigned vector, uint32_t error)
{
	*f = (struct x86_event){ .valid = true,
				 .vector = (uint8_t)vector,
				 .type = X86_EVENT_HW_EXC,
				 .has_error = true,
				 .error = error };
}

/* A failed linear access: the #PF the walk recorded, or -2 for an exit. */
static int task_access_failed(struct cpu_x86 *c, int r, struct x86_event *f)
{
	if (r == CPU_XLAT_EXIT)
		return -2;
	*f = c->pending;
	c->pending.valid = false;
	return -1;
}

/* Set or clear the busy bit (type bit 1) of the TSS descriptor of sel. */
static int task_set_busy(struct cpu_x86 *c, uint16_t sel, bool busy, struct x86_event *f)
{
	uint64_t la = c->gdtr.base + (sel & ~7u) + 5;
	uint8_t b;
	int r = cpu_x86_access_linear(c, la, &b, 1, MMU_READ, false);

	if (!r) {
		b = busy ? (uint8_t)(b | 2) : (uint8_t)(b & ~2);
		r = cpu_x86_access_linear(c, la, &b, 1, MMU_WRITE, false);
	}
	return r ? task_access_failed(c, r, f) : 0;
}

/* Load CS for the new task: a present code segment; CPL = its RPL. */
static int task_load_cs(struct cpu_x86 *c, uint16_t sel, struct x86_event *f)
{
	uint64_t d[2];
	struct x86_seg cs;
	int r;

	if ((sel & ~3u) == 0) {
		task_fault(f, X86_EXC_TS, 0);
		return -1;
	}
	r = x86_read_desc(c, sel, d, false);
	if (r == 1) {
		task_fault(f, X86_EXC_TS, sel & ~3u);
		return -1;
	}
	if (r)
		return task_access_failed(c, r, f);
	x86_desc_to_seg(d[0], 0, sel, &cs);
	if (!(cs.attr & X86_SEG_ATTR_S) || !(cs.attr & 8)) {
		task_fault(f, X86_EXC_TS, sel & ~3u);
		return -1;
	}
	if (!(cs.attr & X86_SEG_ATTR_P)) {
		task_fault(f, X86_EXC_NP, sel & ~3u);
		return -1;
	}
	c->seg[X86_SEG_CS] = cs;
	c->cpl = sel & 3;
	return 0;
}

/* LDTR from the new TSS: null (unusable) or a present LDT descriptor. */
static int task_load_ldt(struct cpu_x86 *c, uint16_t sel, struct x86_event *f)
{
	uint64_t d[2];
	int r;

	if ((sel & ~3u) == 0) {
		c->seg[X86_SEG_LDTR] = (struct x86_seg){ sel, 0, 0, X86_SEG_ATTR_UNUSABLE };
		return 0;
	}
	if (sel & 4) {
		task_fault(f, X86_EXC_TS, sel & ~3u);
		return -1;
	}
	r = x86_read_desc(c, sel, d, false);
	if (r == 1) {
		task_fault(f, X86_EXC_TS, sel & ~3u);
		return -1;
	}
	if (r)
		return task_access_failed(c, r, f);
	x86_desc_to_seg(d[0], 0, sel, &c->seg[X86_SEG_LDTR]);
	if ((c->seg[X86_SEG_LDTR].attr & (X86_SEG_ATTR_S | 15)) != 2) {
		task_fault(f, X86_EXC_TS, sel & ~3u);
		return -1;
	}
	if (!(c->seg[X86_SEG_LDTR].attr & X86_SEG_ATTR_P)) {
		task_fault(f, X86_EXC_NP, sel & ~3u);
		return -1;
	}
	return 0;
}

int cpu_x86_task_switch(struct cpu_x86 *c, uint16_t sel, enum x86_task_source src, bool has_error,
			uint32_t error, struct x86_event *f)
{
	struct x86_seg *tr = &c->seg[X86_SEG_TR];
	bool nest = src == X86_TASK_CALL || src == X86_TASK_GATE;
	uint8_t old[0x5c - TSS_EIP + 4], tss[TSS32_MIN_LIMIT + 1];
	struct x86_seg ntr;
	uint64_t d[2];
	int r;

	/* SDM 7.3 steps 1-4: the new TSS descriptor, in the GDT, available
	 * (busy for IRET), present, large enough. */
	if (sel & 4) {
		task_fault(f, X86_EXC_GP, sel & ~3u);
		return -1;
	}
	r = x86_read_desc(c, sel, d, false);
	if (r == 1) {
		task_fault(f, X86_EXC_GP, sel & ~3u);
		return -1;
	}
	if (r)
		return task_access_failed(c, r, f);
	x86_desc_to_seg(d[0], 0, sel, &ntr);
	unsigned type = ntr.attr & (X86_SEG_ATTR_S | 15);
	if (type != (src == X86_TASK_IRET ? 0xbu : 9u)) {
		task_fault(f, type == 1 || type == 3 ? X86_EXC_TS : X86_EXC_GP, sel & ~3u);
		return -1;
	}
	if (!(ntr.attr & X86_SEG_ATTR_P)) {
		task_fault(f, X86_EXC_NP, sel & ~3u);
		return -1;
	}
	if (ntr.limit < TSS32_MIN_LIMIT) {
		task_fault(f, X86_EXC_TS, sel & ~3u);
		return -1;
	}
	if (tr->limit < TSS32_MIN_LIMIT) {
		task_fault(f, X86_EXC_TS, tr->sel & ~3u);
		return -1;
	}
	r = cpu_x86_access_linear(c, ntr.base, tss, sizeof(tss), MMU_READ, false);
	if (r)
		return task_access_failed(c, r, f);

	/* Steps 5-8: the old task's busy bit, its state into its TSS (IRET and
	 * JMP leave the old task: busy and NT cleared). */
	uint64_t eflags = cpu_x86_get_rflags(c);
	if (src == X86_TASK_IRET)
		eflags &= ~(uint64_t)X86_FLAG_NT;
	if (src == X86_TASK_IRET || src == X86_TASK_JMP) {
		r = task_set_busy(c, tr->sel, false, f);
		if (r)
			return r;
	}
	st32_le_p(old, (uint32_t)c->rip);
	st32_le_p(old + 4, (uint32_t)eflags);
	for (unsigned i = 0; i < 8; i++)
		st32_le_p(old + 8 + 4 * i, (uint32_t)c->regs[i]);
	for (unsigned i = 0; i < 6; i++)
		st32_le_p(old + 0x28 + 4 * i, c->seg[tss_seg_order[i]].sel);
	r = cpu_x86_access_linear(c, tr->base + TSS_EIP, old, sizeof(old), MMU_WRITE, false);
	if (r)
		return task_access_failed(c, r, f);

	/* Step 9-10: link and busy bit of the new task. */
	if (nest) {
		uint8_t link[2];
		st16_le_p(link, tr->sel);
		r = cpu_x86_access_linear(c, ntr.base + TSS_LINK, link, 2, MMU_WRITE, false);
		if (r)
			return task_access_failed(c, r, f);
	}
	if (src != X86_TASK_IRET) {
		r = task_set_busy(c, sel, true, f);
		if (r)
			return r;
	}

	/* Step 11: TR, CR0.TS, CR3 and the new task's registers. From here a
	 * fault belongs to the new task. */
	*tr = ntr;
	tr->attr |= 2; /* busy */
	c->cr0 |= X86_CR0_TS;
	if (c->cr0 & X86_CR0_PG)
		cpu_x86_set_cr3(c, ld32_le_p(tss + TSS_CR3));
	c->rip = ld32_le_p(tss + TSS_EIP);
	uint64_t nflags = ld32_le_p(tss + TSS_EFLAGS);
	if (nest)
		nflags |= X86_FLAG_NT;
	cpu_x86_set_rflags(c, nflags);
	for (unsigned i = 0; i < 8; i++)
		c->regs[i] = ld32_le_p(tss + TSS_EAX + 4 * i);
	c->intr_shadow = false;

	/* Step 12: LDTR, then CS (which gives the CPL), then the data and
	 * stack segments, checked as loads with #TS for a bad selector. */
	r = task_load_ldt(c, (uint16_t)ld32_le_p(tss + TSS_LDT), f);
	if (!r)
		r = task_load_cs(c, (uint16_t)ld32_le_p(tss + TSS_ES + 4), f);
	for (unsigned i = 0; i < 6 && !r; i++) {
		enum x86_seg_reg s = tss_seg_order[i];
		uint16_t ssel = (uint16_t)ld32_le_p(tss + TSS_ES + 4 * i);

		if (s == X86_SEG_CS)
			continue;
		if (!cpu_x86_load_seg(c, s, ssel)) {
			if (c->pending.valid) {
				*f = c->pending;
				c->pending.valid = false;
				if (f->vector == X86_EXC_GP)
					f->vector = X86_EXC_TS;
				r = -1;
			} else {
				r = task_access_failed(c, c->load_seg_err, f);
			}
		}
	}
	cpu_x86_update_mode(c);
	if (r)
		return r;

	/* An exception's error code goes on the new task's stack. */
	if (has_error) {
		struct x86_seg *ss = &c->seg[X86_SEG_SS];
		uint64_t mask = (ss->attr & X86_SEG_ATTR_DB) ? 0xffffffffull : 0xffffull;
		uint64_t sp = (c->regs[X86_RSP] - 4) & mask;
		uint8_t e[4];

		st32_le_p(e, error);
		r = cpu_x86_access_linear(c, ss->base + sp, e, 4, MMU_WRITE, c->cpl == 3);
		if (r)
			return task_access_failed(c, r, f);
		c->regs[X86_RSP] = (c->regs[X86_RSP] & ~mask) | sp;
	}
	return 0;
}
