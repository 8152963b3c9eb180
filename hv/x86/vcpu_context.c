/*
 * VCPUOP_initialise on x86: a vcpu's start state from struct vcpu_hvm_context
 * (public/hvm/hvm_vcpu.h), checked as Xen's arch_set_info_hvm_guest does.
 *
 *   struct vcpu_hvm_context { uint32_t mode; uint32_t pad; union {
 *     struct vcpu_hvm_x86_32 {                      (mode 0, 120 bytes)
 *       @0  uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags;
 *       @40 uint32_t cr0, cr3, cr4, pad1; @56 uint64_t efer;
 *       @64 uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
 *       @84 uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
 *       @104 uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar; @114 uint16_t pad2[3]; }
 *     struct vcpu_hvm_x86_64 {                      (mode 1, 112 bytes)
 *       @0  uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, rip, rflags;
 *       @80 uint64_t cr0, cr3, cr4, efer; }
 *   } cpu_regs @8; }                                (128 bytes)
 *
 * The 32-bit mode's access rights are Xen's 12-bit format (type 3:0, S 4,
 * DPL 6:5, P 7, AVL 8, L 9, D/B 10, G 11; bits 15:12 must be 0); 0 is a null
 * segment, allowed for DS and ES only. Present segments get their accessed
 * (TSS: busy) bit. The 64-bit mode implies flat segments: CS 0xa9b, data
 * 0xc93, TR a busy 64-bit TSS of limit 0x67. Selectors are 0, GDTR/IDTR
 * empty, FS/GS as after INIT. The vcpu stays down until VCPUOP_up.
 */
#include "hv/x86/x86.h"
#include "cpu/x86/cpu_x86.h"

#define XEN_VCPU_HVM_CONTEXT_SIZE 128
#define VCPU_HVM_MODE_32B 0
#define VCPU_HVM_MODE_64B 1
#define X86_EFLAGS_ALL 0x3f7fd5ull
#define HVM_EFER_VALID (X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE)

/* Xen's check_segment: the access rights a segment register may hold
 * (checked after the accessed / busy bit is set, as Xen does). */
static bool ctx_segment_ok(uint16_t ar, enum x86_seg_reg s)
{
	unsigned type;

	if (ar & 0xf000)
		return false;
	if (ar == 0)
		return s == X86_SEG_DS || s == X86_SEG_ES;
	if (ar & 0x80)
		ar |= s == X86_SEG_TR ? 0x2 : 0x1;
	type = ar & 0xf;
	if (s == X86_SEG_TR) {
		if ((ar & 0x10) || type != 0xb) /* a busy 32/64-bit TSS */
			return false;
	} else if (!(ar & 0x10)) {
		return false; /* a system segment for code or data */
	}
	if (!(ar & 0x80))
		return false;
	switch (s) {
	case X86_SEG_CS: return type & 0x8;
	case X86_SEG_SS: return !(type & 0x8) && (type & 0x2);
	case X86_SEG_DS:
	case X86_SEG_ES: return !((type & 0x8) && !(type & 0x2));
	default: return true;
	}
}

/* Xen's 12-bit access rights -> the VMCS format of struct x86_seg. */
static struct x86_seg ctx_segment(uint32_t base, uint32_t limit, uint16_t ar, enum x86_seg_reg s)
{
	struct x86_seg seg = { .sel = 0, .base = base, .limit = limit };

	if (ar == 0) {
		seg.attr = X86_SEG_ATTR_UNUSABLE;
		return seg;
	}
	if (ar & 0x80)
		ar |= s == X86_SEG_TR ? 0x2 : 0x1; /* busy / accessed */
	seg.attr = (ar & 0xffu) | ((uint32_t)(ar & 0xf00) << 4);
	return seg;
}

static unsigned ctx_dpl(uint16_t ar)
{
	return (ar >> 5) & 3;
}

long hv_x86_vcpu_initialise(struct vcpu *caller, struct vcpu *v, uint64_t arg)
{
	uint8_t b[XEN_VCPU_HVM_CONTEXT_SIZE];
	const uint8_t *r = b + 8;
	struct cpu_x86 *c = hv_x86_cpu(v);
	uint64_t gpr[8], rip, rflags, cr0, cr3, cr4, efer;
	struct x86_seg seg[X86_NUM_SEGS];
	bool has_seg = false;
	uint64_t tsc_offset;
	static const unsigned order[8] = { X86_RAX, X86_RCX, X86_RDX, X86_RBX,
					   X86_RSP, X86_RBP, X86_RSI, X86_RDI };

	if (hv_copy_from_guest(caller, b, arg, sizeof(b)) < 0)
		return -XEN_EFAULT;
	if (ld32_le_p(b + 4) != 0)
		return -XEN_EINVAL;
	switch (ld32_le_p(b)) {
	case VCPU_HVM_MODE_32B: {
		static const enum x86_seg_reg segs[5] = { X86_SEG_CS, X86_SEG_DS, X86_SEG_SS,
							  X86_SEG_ES, X86_SEG_TR };
		uint16_t ar[5];
		uint64_t limit;

		if (ld32_le_p(r + 52) || ld16_le_p(r + 114) || ld16_le_p(r + 116) ||
		    ld16_le_p(r + 118))
			return -XEN_EINVAL;
		for (unsigned i = 0; i < 5; i++) {
			ar[i] = (uint16_t)ld16_le_p(r + 104 + 2 * i);
			if (!ctx_segment_ok(ar[i], segs[i]))
				return -XEN_EINVAL;
			seg[segs[i]] =
				ctx_segment((uint32_t)ld32_le_p(r + 64 + 4 * i),
					    (uint32_t)ld32_le_p(r + 84 + 4 * i), ar[i], segs[i]);
		}
		has_seg = true;
		for (unsigned i = 0; i < 8; i++)
			gpr[i] = (uint32_t)ld32_le_p(r + 4 * i);
		rip = (uint32_t)ld32_le_p(r + 32);
		rflags = (uint32_t)ld32_le_p(r + 36);
		cr0 = (uint32_t)ld32_le_p(r + 40);
		cr3 = (uint32_t)ld32_le_p(r + 44);
		cr4 = (uint32_t)ld32_le_p(r + 48);
		efer = ld64_le_p(r + 56);
		/* EIP within CS's limit (scaled by G), SS.DPL = CS.DPL, data
		 * segments no more privileged than CS, LMA only with LME. */
		limit = seg[X86_SEG_CS].limit;
		if (ar[0] & 0x800)
			limit = (limit << 12) | 0xfff;
		if (rip > limit || ctx_dpl(ar[2]) != ctx_dpl(ar[0]) ||
		    ((ar[1] & 0x80) && ctx_dpl(ar[1]) > ctx_dpl(ar[0])) ||
		    ((ar[3] & 0x80) && ctx_dpl(ar[3]) > ctx_dpl(ar[0])) ||
		    ((efer & X86_EFER_LMA) && !(efer & X86_EFER_LME)))
			return -XEN_EINVAL;
		break;
	}
	case VCPU_HVM_MODE_64B:
		for (unsigned i = 0; i < 8; i++)
			gpr[i] = ld64_le_p(r + 8 * i);
		rip = ld64_le_p(r + 64);
		rflags = ld64_le_p(r + 72);
		cr0 = ld64_le_p(r + 80);
		cr3 = ld64_le_p(r + 88);
		cr4 = ld64_le_p(r + 96);
		efer = ld64_le_p(r + 104);
		/* A canonical RIP, paging, PAE and LME. */
		if ((rip >> 47 != 0 && rip >> 47 != 0x1ffff) || !(cr0 & X86_CR0_PG) ||
		    !(cr4 & X86_CR4_PAE) || !(efer & X86_EFER_LME))
			return -XEN_EINVAL;
		break;
	default: return -XEN_EINVAL;
	}
	if (efer & ~HVM_EFER_VALID)
		return -XEN_EINVAL;

	/* The state, from INIT's (SDM 9.1.1) up; the TSC keeps counting. */
	tsc_offset = c->tsc_offset;
	cpu_x86_reset(c);
	c->tsc_offset = tsc_offset;
	for (unsigned i = 0; i < 8; i++)
		c->regs[order[i]] = gpr[i];
	c->rip = rip;
	cpu_x86_set_rflags(c, (rflags & X86_EFLAGS_ALL) | X86_FLAG_FIXED1);
	if (has_seg) {
		c->seg[X86_SEG_CS] = seg[X86_SEG_CS];
		c->seg[X86_SEG_DS] = seg[X86_SEG_DS];
		c->seg[X86_SEG_SS] = seg[X86_SEG_SS];
		c->seg[X86_SEG_ES] = seg[X86_SEG_ES];
		c->seg[X86_SEG_TR] = seg[X86_SEG_TR];
	} else {
		c->seg[X86_SEG_CS] = ctx_segment(0, ~0u, 0xa9b, X86_SEG_CS);
		c->seg[X86_SEG_DS] = ctx_segment(0, ~0u, 0xc93, X86_SEG_DS);
		c->seg[X86_SEG_SS] = ctx_segment(0, ~0u, 0xc93, X86_SEG_SS);
		c->seg[X86_SEG_ES] = ctx_segment(0, ~0u, 0xc93, X86_SEG_ES);
		c->seg[X86_SEG_TR] = ctx_segment(0, 0x67, 0x8b, X86_SEG_TR);
	}
	c->seg[X86_SEG_LDTR] = (struct x86_seg){ 0, 0, 0, X86_SEG_ATTR_UNUSABLE };
	c->gdtr = (struct x86_dtr){ 0, 0 };
	c->idtr = (struct x86_dtr){ 0, 0 };
	c->efer = efer;
	c->cr0 = cr0;
	c->cr3 = cr3;
	c->cr4 = 0;
	cpu_x86_update_mode(c); /* LMA from LME and PG; CPL from SS */
	/* CR4 through the CPU's own check: only the bits the model has. */
	if (!cpu_x86_set_cr4(c, cr4))
		return -XEN_EINVAL;
	cpu_x86_tlb_flush_all(c);
	return 0;
}
