/*
 * The x86-64 CPU: state lifecycle, the arch hooks (cpu_x86_ops), first-stage
 * translation for the softmmu, EPT violations, and event delivery through the
 * IDT with the VMX exception bitmap.
 *
 * TB flags (get_tb_key) hold everything translation depends on:
 *     bit 0 CR0.PE      bit 1 CR0.PG     bit 2 EFER.LMA
 *     bit 3 CS.L        bit 4 CS.D       bit 5 SS.B
 *     bits 7:6 CPL      bits 9:8 IOPL    bit 10 CR4.UMIP
 *     bit 11 the data mmu index is X86_MMU_KERNEL_AC (CR4.SMAP, RFLAGS.AC)
 *     bit 12 CR0.EM     bit 13 CR0.TS    bit 14 CR4.OSFXSR    bit 15 CR0.MP
 * The TB pc is the linear address CS.base + RIP.
 *
 * Example of a fault: `mov (%rax), %rbx` with %rax unmapped. The backend's
 * slow path calls translate(), which walks the page tables, records #PF
 * (error code, CR2 = va) in c->pending and returns -1; the run loop calls
 * raise_fault(), which checks the exception bitmap (SDM 25.2) and either
 * fills a VM exit 0 or delivers the fault through the IDT (SDM 6.14). A fault
 * during that delivery escalates to #DF, and one during #DF to a triple
 * fault, which is VM exit 2.
 */
#include <glib.h>
#include <capstone.h>

#include "cpu/x86/cpu_x86.h"
#include "cpu/gdb.h"
#include "cpu/tb.h"
#include "cpu/x86/helpers.h"
#include "mmu/p2m.h"
#include "mmu/x86/walk.h"

/* ---- state ---------------------------------------------------------------- */

unsigned cpu_x86_mmu_idx(const struct cpu_x86 *c)
{
	if (!(c->cr0 & X86_CR0_PG))
		return X86_MMU_PHYS;
	if (c->cpl == 3)
		return X86_MMU_USER;
	if ((c->cr4 & X86_CR4_SMAP) && (c->rflags & X86_FLAG_AC))
		return X86_MMU_KERNEL_AC;
	return X86_MMU_KERNEL;
}

void cpu_x86_update_mode(struct cpu_x86 *c)
{
	/* SDM 5.5: CPL is CS.RPL in protected mode (SS.DPL equals it). */
	if (!(c->cr0 & X86_CR0_PE))
		c->cpl = 0;
	else
		c->cpl = (c->seg[X86_SEG_SS].attr >> X86_SEG_ATTR_DPL_SHIFT) & 3;
	if ((c->cr0 & X86_CR0_PG) && (c->efer & X86_EFER_LME))
		c->efer |= X86_EFER_LMA;
	else
		c->efer &= ~X86_EFER_LMA;
}

uint64_t cpu_x86_get_rflags(struct cpu_x86 *c)
{
	return (c->rflags & ~(uint64_t)X86_FLAGS_ARITH) | cpu_x86_compute_flags(c) |
	       X86_FLAG_FIXED1;
}

void cpu_x86_set_rflags(struct cpu_x86 *c, uint64_t v)
{
	/* Reserved bits read as 0 (bit 1 as 1). */
	v &= 0x3f7fd5ull;
	c->rflags = (v & ~(uint64_t)X86_FLAGS_ARITH) | X86_FLAG_FIXED1;
	c->cc_op = X86_CC_OP(X86_CC_EFLAGS, 0);
	c->cc_src = v & X86_FLAGS_ARITH;
}

static void x86_seg_flat(struct x86_seg *s, uint16_t sel, uint32_t type, bool code64)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffffu;
	s->attr = type | X86_SEG_ATTR_S | X86_SEG_ATTR_P | X86_SEG_ATTR_G |
		  (code64 ? X86_SEG_ATTR_L : X86_SEG_ATTR_DB);
}

/*
 * INIT (SDM vol. 3 9.1.1 table 9-1, the INIT column): real mode at
 * F000:FFF0 with 64 KiB segments, paging and long mode off, EFER = 0, the
 * debug registers at their defaults. INIT leaves alone what the table marks
 * "unchanged": CR0.CD/NW, the x87/SSE state, MXCSR, XCR0, the TSC and the
 * MSRs (PAT, MTRRs, MISC_ENABLE, APIC base, SYSENTER, STAR/LSTAR...). The
 * local APIC is the device's business; after INIT a processor waits for a
 * SIPI (its scheduling is the caller's business too).
 */
void cpu_x86_reset_init(struct cpu_x86 *c)
{
	memset(c->regs, 0, sizeof(c->regs));
	c->regs[X86_RDX] = 0x000806c1; /* family/model/stepping as in CPUID 1 */
	c->rip = 0xfff0;
	cpu_x86_set_rflags(c, X86_FLAG_FIXED1);
	for (unsigned i = 0; i < X86_NUM_SEGS; i++) {
		c->seg[i].sel = 0;
		c->seg[i].base = 0;
		c->seg[i].limit = 0xffff;
		c->seg[i].attr = X86_SEG_ATTR_P | X86_SEG_ATTR_S | 3; /* data RW accessed */
	}
	c->seg[X86_SEG_CS].sel = 0xf000;
	c->seg[X86_SEG_CS].base = 0xffff0000ull;
	c->seg[X86_SEG_CS].attr = X86_SEG_ATTR_P | X86_SEG_ATTR_S | 0xb;
	c->seg[X86_SEG_LDTR].attr = X86_SEG_ATTR_P | 2;
	c->seg[X86_SEG_TR].attr = X86_SEG_ATTR_P | 0xb;
	c->gdtr = (struct x86_dtr){ 0, 0xffff };
	c->idtr = (struct x86_dtr){ 0, 0xffff };
	c->cr0 = (c->cr0 & (X86_CR0_CD | X86_CR0_NW)) | X86_CR0_ET;
	c->cr2 = c->cr3 = c->cr4 = c->cr8 = 0;
	c->efer = 0;
	memset(c->dr, 0, sizeof(c->dr));
	c->dr6 = 0xffff0ff0ull;
	c->dr7 = 0x400;
	c->intr_shadow = false;
	c->nmi_blocked = false;
	c->pending.valid = false;
	c->cpu.halted = false;
	cpu_x86_update_mode(c);
	cpu_x86_tlb_flush_all(c);
}

/*
 * Start-up IPI (SDM vol. 3 10.4.4.1 / 8.4.4.1, "wait-for-SIPI"): on top of
 * the INIT state, execution starts in real mode at vector:0000, i.e. CS
 * selector vector << 8, CS base vector << 12, IP 0. The caller delivers it
 * only to a processor that is waiting for a SIPI after an INIT.
 */
void cpu_x86_sipi(struct cpu_x86 *c, uint8_t vector)
{
	c->seg[X86_SEG_CS].sel = (uint16_t)(vector << 8);
	c->seg[X86_SEG_CS].base = (uint64_t)vector << 12;
	c->seg[X86_SEG_CS].limit = 0xffff;
	c->seg[X86_SEG_CS].attr = X86_SEG_ATTR_P | X86_SEG_ATTR_S | 0xb;
	c->rip = 0;
	c->cpu.halted = false;
}

/* Power-on (SDM 9.1.1 table 9-1, the power-up column): INIT plus the state
 * INIT keeps (CD and NW set, x87 FNINIT state, MXCSR, XCR0, MSRs). */
void cpu_x86_reset(struct cpu_x86 *c)
{
	c->cr0 = X86_CR0_CD | X86_CR0_NW;
	c->kernel_gs_base = c->star = c->lstar = c->cstar = c->sfmask = 0;
	c->tsc_aux = c->tsc_offset = 0;
	c->apic_base = 0xfee00000ull | (1ull << 11) | (c->cpu.index == 0 ? (1ull << 8) : 0);
	c->pat = 0x0007040600070406ull;
	c->misc_enable = 1; /* fast strings */
	c->mtrr_def_type = 0;
	c->sysenter_cs = c->sysenter_esp = c->sysenter_eip = 0;
	c->spec_ctrl = 0;
	c->xcr0 = 1;
	c->xss = 0;
	cpu_x86_fpu_reset(c);
	cpu_x86_reset_init(c);
}

/*
 * The Xen PVH start state (docs/misc/pvh.pandoc, "x86/HVM direct boot
 * ABI"): 32-bit protected mode, paging off; CS a flat 32-bit execute/read code
 * segment, DS/ES/SS flat read/write data (FS/GS too, here); TR a busy 32-bit
 * TSS with base 0 and limit 0x67; CR0 = PE|ET, CR4 = 0, EFLAGS = 0x2 (IF, TF,
 * VM clear), EBX = start_info, EIP = entry, other GPRs 0. The ABI leaves the
 * selectors unspecified: we use 0x10 (code), 0x18 (data), 0x20 (TSS).
 */
void cpu_x86_reset_pvh(struct cpu_x86 *c, uint32_t entry, uint32_t start_info_gpa)
{
	cpu_x86_reset(c);
	c->regs[X86_RDX] = 0;
	c->regs[X86_RBX] = start_info_gpa;
	c->rip = entry;
	x86_seg_flat(&c->seg[X86_SEG_CS], 0x10, 0xb, false);
	for (unsigned s = 0; s < X86_NUM_SEGS; s++) {
		if (s == X86_SEG_ES || s == X86_SEG_SS || s == X86_SEG_DS || s == X86_SEG_FS ||
		    s == X86_SEG_GS)
			x86_seg_flat(&c->seg[s], 0x18, 0x3, false);
	}
	c->seg[X86_SEG_TR] = (struct x86_seg){ 0x20, 0, 0x67, X86_SEG_ATTR_P | 0xb };
	c->seg[X86_SEG_LDTR] = (struct x86_seg){ 0, 0, 0, X86_SEG_ATTR_UNUSABLE };
	c->gdtr = (struct x86_dtr){ 0, 0 };
	c->idtr = (struct x86_dtr){ 0, 0 };
	c->cr0 = X86_CR0_PE | X86_CR0_ET;
	cpu_x86_update_mode(c);
	cpu_x86_tlb_flush_all(c);
}

struct cpu_x86 *cpu_x86_new(struct p2m *p2m, struct tb_cache *tbc, unsigned index)
{
	struct cpu_x86 *c = g_malloc0(sizeof(*c));
	cpu_init(&c->cpu, &cpu_x86_ops, p2m, tbc, index);
	cpu_x86_seed_rng(c, 0);
	cpu_x86_reset(c);
	return c;
}

void cpu_x86_free(struct cpu_x86 *c)
{
	if (!c)
		return;
	cpu_destroy(&c->cpu);
	g_free(c);
}

/* ---- arch hooks: TB key, translation -------------------------------------- */

static uint64_t x86_tb_flags(const struct cpu_x86 *c, unsigned mmu_idx)
{
	uint64_t f = 0;
	uint32_t cs = c->seg[X86_SEG_CS].attr;
	f |= (c->cr0 & X86_CR0_PE) ? 1 : 0;
	f |= (c->cr0 & X86_CR0_PG) ? 2 : 0;
	f |= (c->efer & X86_EFER_LMA) ? 4 : 0;
	f |= (cpu_x86_long_mode(c) && (cs & X86_SEG_ATTR_L)) ? 8 : 0;
	f |= (cs & X86_SEG_ATTR_DB) ? 16 : 0;
	f |= (c->seg[X86_SEG_SS].attr & X86_SEG_ATTR_DB) ? 32 : 0;
	f |= (uint64_t)(c->cpl & 3) << 6;
	f |= ((c->rflags >> 12) & 3) << 8;
	f |= (c->cr4 & X86_CR4_UMIP) ? 1u << 10 : 0;
	f |= mmu_idx == X86_MMU_KERNEL_AC ? 1u << 11 : 0;
	f |= (c->cr0 & X86_CR0_EM) ? 1u << 12 : 0;
	f |= (c->cr0 & X86_CR0_TS) ? 1u << 13 : 0;
	f |= (c->cr4 & X86_CR4_OSFXSR) ? 1u << 14 : 0;
	f |= (c->cr0 & X86_CR0_MP) ? 1u << 15 : 0;
	/* Bits 16..21: segment register ES..GS is not flat, its accesses
	 * need limit and type checks (seg.c); never in 64-bit mode. */
	if (!(f & 8))
		for (unsigned s = X86_SEG_ES; s <= X86_SEG_GS; s++)
			f |= cpu_x86_seg_flat(c, s) ? 0 : 1u << (16 + s);
	return f;
}

static void x86_get_tb_key(struct cpu *cpu, uint64_t *pc, uint64_t *flags, unsigned *mmu_idx)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	unsigned idx = cpu_x86_mmu_idx(c);
	uint64_t f = x86_tb_flags(c, idx);
	uint64_t lin = c->seg[X86_SEG_CS].base + c->rip;
	*pc = (f & 8) ? lin : (lin & 0xffffffffull);
	/* Monitor trap flag (SDM 25.5.2): an exit after every instruction,
	 * so one instruction per TB and no chaining. */
	if (c->vmcs.mtf)
		f |= CPU_TB_FLAG_SSTEP;
	*flags = f;
	*mmu_idx = idx;
}

static struct x86_walk_mode x86_walk_mode(const struct cpu_x86 *c, bool probe, bool ac)
{
	return (struct x86_walk_mode){ c->cr0, c->cr3, c->cr4, c->efer, probe, ac };
}

/*
 * An EPT violation (SDM 28.3.3.2 for when, 27.2.1 table 27-7 for the
 * qualification). in_walk: the access was to a paging-structure entry (bit
 * 8 clear). The p2m's access rights give bits 5:3.
 */
static void x86_ept_violation(struct cpu_x86 *c, uint64_t va, bool gla_valid, uint64_t gpa,
			      enum mmu_access acc, bool in_walk, bool fetch)
{
	struct p2m_entry e;
	uint64_t q = 0;
	q |= acc == MMU_READ ? EPT_VIOLATION_READ : 0;
	q |= acc == MMU_WRITE ? EPT_VIOLATION_WRITE : 0;
	q |= acc == MMU_FETCH ? EPT_VIOLATION_FETCH : 0;
	if (p2m_lookup(c->cpu.p2m, gpa >> SV_PAGE_BITS, &e) && e.type != P2M_INVALID) {
		q |= (e.access & P2M_ACCESS_R) ? EPT_VIOLATION_READABLE : 0;
		q |= (e.access & P2M_ACCESS_W) ? EPT_VIOLATION_WRITABLE : 0;
		q |= (e.access & P2M_ACCESS_X) ? EPT_VIOLATION_EXECUTABLE : 0;
	}
	if (gla_valid) {
		q |= EPT_VIOLATION_GLA_VALID;
		if (!in_walk)
			q |= EPT_VIOLATION_GLA_TRANSLATED;
		vmcs_set(&c->vmcs, GUEST_LINEAR_ADDRESS, va);
	}
	vmcs_set(&c->vmcs, GUEST_PHYSICAL_ADDRESS, gpa);
	uint64_t rip = c->cpu.insn_pc - c->seg[X86_SEG_CS].base;
	if (fetch)
		rip = c->rip; /* fetch faults happen at TB boundaries */
	if (!cpu_x86_code64(c))
		rip &= 0xffffffffull;
	cpu_x86_vmexit(c, VMX_EXIT_EPT_VIOLATION, q, rip, 0);
	c->cpu.exit.gla = gla_valid ? va : 0;
}

static void x86_stage2_fault(struct cpu *cpu, uint64_t va, uint64_t gpa, enum mmu_access acc,
			     bool in_walk)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	bool paging = (c->cr0 & X86_CR0_PG) != 0;
	x86_ept_violation(c, va, paging || !in_walk, gpa, acc, in_walk, acc == MMU_FETCH);
}

/* Record #PF or #GP for raise_fault. */
void cpu_x86_set_exception(struct cpu_x86 *c, unsigned vector, bool has_error, uint32_t error)
{
	c->pending = (struct x86_event){
		.valid = true,
		.vector = (uint8_t)vector,
		.type = X86_EVENT_HW_EXC,
		.has_error = has_error,
		.error = error,
	};
}

void cpu_x86_raise_exception(struct cpu_x86 *c, unsigned vector, bool has_error, uint32_t error)
{
	cpu_x86_set_exception(c, vector, has_error, error);
	cpu_loop_exit_fault(&c->cpu);
}

/* Translate la for acc; 0, -1 (fault recorded in c->pending), -2 (exit). */
static int x86_translate_mode(struct cpu_x86 *c, uint64_t va, enum mmu_access acc, bool paging,
			      bool user, bool ac, bool probe, struct cpu_xlat *x)
{
	if (!paging) {
		x->gpa = cpu_x86_long_mode(c) ? va : (va & 0xffffffffull);
		x->prot = MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
		x->page_size = SV_PAGE_SIZE;
		return 0;
	}
	if (cpu_x86_long_mode(c) && !cpu_x86_canonical(c, va)) {
		if (probe)
			return CPU_XLAT_FAULT;
		cpu_x86_set_exception(c, X86_EXC_GP, true, 0);
		if (acc == MMU_FETCH) {
			c->pending.rip_valid = true;
			c->pending.rip = c->rip;
		}
		return -1;
	}
	/* The CPU's own accesses go through its TLB (cpu/x86/tlb.c); probes
	 * (hv's copies, the debugger) walk the tables as they are now. */
	unsigned idx = user ? X86_MMU_USER : ac ? X86_MMU_KERNEL_AC : X86_MMU_KERNEL;
	unsigned need = acc == MMU_WRITE ? MMU_PROT_WRITE :
			acc == MMU_FETCH ? MMU_PROT_EXEC :
					   MMU_PROT_READ;
	if (!probe && cpu_x86_tlb_lookup(c, va, idx, need, x))
		return 0;
	struct x86_walk_mode m = x86_walk_mode(c, probe, ac);
	struct x86_walk_result r;
	enum x86_walk_status st = x86_walk(&c->cpu, &m, va, acc, user, &r);
	if (st != X86_WALK_OK && probe)
		return CPU_XLAT_FAULT;
	switch (st) {
	case X86_WALK_OK:
		x->gpa = r.gpa;
		x->prot = r.prot;
		x->page_size = r.page_size;
		if (!probe)
			cpu_x86_tlb_insert(c, va, idx, r.gpa, r.prot, r.page_size, r.global);
		return 0;
	case X86_WALK_PF:
		cpu_x86_set_exception(c, X86_EXC_PF, true, r.pf_error);
		c->pending.cr2 = va;
		if (acc == MMU_FETCH) {
			c->pending.rip_valid = true;
			c->pending.rip = c->rip;
		}
		return -1;
	default:
		/* EPT violation on a paging-structure access (SDM 28.3.3.2). */
		x86_ept_violation(c, va, true, r.fault_gpa, r.fault_acc, true, acc == MMU_FETCH);
		c->pending.valid = false;
		return CPU_XLAT_EXIT;
	}
}

static int x86_translate(struct cpu *cpu, uint64_t va, enum mmu_access acc, unsigned mmu_idx,
			 bool probe, struct cpu_xlat *x)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	return x86_translate_mode(c, va, acc, mmu_idx != X86_MMU_PHYS, mmu_idx == X86_MMU_USER,
				  mmu_idx == X86_MMU_KERNEL_AC, probe, x);
}

int cpu_x86_access_linear(struct cpu_x86 *c, uint64_t la, void *buf, size_t len,
			  enum mmu_access acc, bool user)
{
	uint8_t *p = buf;
	bool paging = (c->cr0 & X86_CR0_PG) != 0;
	if (!cpu_x86_long_mode(c))
		la &= 0xffffffffull;
	while (len > 0) {
		size_t n = SV_PAGE_SIZE - (la & (SV_PAGE_SIZE - 1));
		if (n > len)
			n = len;
		struct cpu_xlat x;
		int r = x86_translate_mode(c, la, acc, paging, user, false, false, &x);
		if (r < 0)
			return r;
		int e = acc == MMU_WRITE ? cpu_phys_write(&c->cpu, x.gpa, p, n) :
					   cpu_phys_read(&c->cpu, x.gpa, p, n);
		if (e < 0) {
			x86_ept_violation(c, la, paging, x.gpa, acc, false, false);
			return CPU_XLAT_EXIT;
		}
		la += n;
		p += n;
		len -= n;
	}
	return 0;
}

/* ---- event delivery ------------------------------------------------------- */

/* SDM 6.15 table 6-4: exception classes for double-fault detection. */
static bool x86_contributory(unsigned v)
{
	return v == X86_EXC_DE || v == X86_EXC_TS || v == X86_EXC_NP || v == X86_EXC_SS ||
	       v == X86_EXC_GP;
}

/* SDM 25.2: does this exception cause a VM exit? #PF also consults the
 * error-code mask/match. Injected events never do. */
static bool x86_exception_exits(struct cpu_x86 *c, const struct x86_event *ev)
{
	if (ev->type != X86_EVENT_HW_EXC && ev->type != X86_EVENT_SW_EXC &&
	    ev->type != X86_EVENT_PRIV_SW_EXC)
		return false;
	if (ev->vector >= 32)
		return false;
	uint32_t bm = (uint32_t)vmcs_get(&c->vmcs, EXCEPTION_BITMAP);
	bool bit = (bm >> ev->vector) & 1;
	if (ev->vector == X86_EXC_PF) {
		uint32_t mask = (uint32_t)vmcs_get(&c->vmcs, PAGE_FAULT_ERROR_CODE_MASK);
		uint32_t match = (uint32_t)vmcs_get(&c->vmcs, PAGE_FAULT_ERROR_CODE_MATCH);
		return ((ev->error & mask) == match) ? bit : !bit;
	}
	return bit;
}

static uint32_t x86_intr_info(const struct x86_event *ev)
{
	return ev->vector | ((uint32_t)ev->type << INTR_INFO_TYPE_SHIFT) |
	       (ev->has_error ? INTR_INFO_DELIVER_CODE : 0) | INTR_INFO_VALID;
}

/* The RIP of the instruction an event belongs to. */
static uint64_t x86_event_insn_rip(const struct x86_event *ev)
{
	if (ev->type == X86_EVENT_SW_INTR || ev->type == X86_EVENT_SW_EXC ||
	    ev->type == X86_EVENT_PRIV_SW_EXC)
		return ev->rip - ev->insn_len;
	return ev->rip;
}

/* SDM 27.2.2: exit for an exception in the exception bitmap. */
static void x86_exception_vmexit(struct cpu_x86 *c, const struct x86_event *ev,
				 const struct x86_event *vectoring)
{
	vmcs_set(&c->vmcs, VM_EXIT_INTR_INFO, x86_intr_info(ev));
	vmcs_set(&c->vmcs, VM_EXIT_INTR_ERROR_CODE, ev->has_error ? ev->error : 0);
	vmcs_set(&c->vmcs, IDT_VECTORING_INFO_FIELD, vectoring ? x86_intr_info(vectoring) : 0);
	vmcs_set(&c->vmcs, IDT_VECTORING_ERROR_CODE, vectoring ? vectoring->error : 0);
	/* #PF: the qualification is the linear address; CR2 is not written. */
	uint64_t qual = ev->vector == X86_EXC_PF ? ev->cr2 : 0;
	bool sw = ev->type == X86_EVENT_SW_EXC || ev->type == X86_EVENT_PRIV_SW_EXC;
	cpu_x86_vmexit(c, VMX_EXIT_EXCEPTION_NMI, qual, x86_event_insn_rip(ev),
		       sw ? ev->insn_len : 0);
}

/* Read a descriptor (8 bytes, or 16 for long-mode system descriptors). */
int x86_read_desc(struct cpu_x86 *c, uint16_t sel, uint64_t d[2], bool wide)
{
	const struct x86_dtr *t;
	struct x86_dtr ldt;
	if (sel & 4) {
		if (c->seg[X86_SEG_LDTR].attr & X86_SEG_ATTR_UNUSABLE)
			return 1;
		ldt.base = c->seg[X86_SEG_LDTR].base;
		ldt.limit = c->seg[X86_SEG_LDTR].limit;
		t = &ldt;
	} else {
		t = &c->gdtr;
	}
	uint32_t off = sel & ~7u;
	if (off + (wide ? 15u : 7u) > t->limit)
		return 1;
	uint8_t buf[16];
	int r = cpu_x86_access_linear(c, t->base + off, buf, wide ? 16 : 8, MMU_READ, false);
	if (r < 0)
		return r;
	d[0] = ld64_le_p(buf);
	d[1] = wide ? ld64_le_p(buf + 8) : 0;
	return 0;
}

void x86_desc_to_seg(uint64_t d, uint64_t d_hi, uint16_t sel, struct x86_seg *s)
{
	s->sel = sel;
	s->base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
	if (!((d >> 44) & 1))
		s->base |= d_hi << 32; /* system descriptor in long mode */
	uint32_t limit = (uint32_t)((d & 0xffff) | ((d >> 32) & 0xf0000));
	s->attr = (uint32_t)(((d >> 40) & 0xff) | (((d >> 52) & 0xf) << 12));
	if (s->attr & X86_SEG_ATTR_G)
		limit = (limit << 12) | 0xfff;
	s->limit = limit;
}

/*
 * Outcome of one delivery attempt: 0 done, 1 a nested exception (in *nested),
 * -2 an exit (stage 2).
 */
static int x86_nested(struct cpu_x86 *c, int r, unsigned vector, uint32_t err,
		      struct x86_event *nested)
{
	if (r == -2)
		return -2;
	if (r == -1) {
		*nested = c->pending;
		c->pending.valid = false;
		return 1;
	}
	*nested = (struct x86_event){ .valid = true,
				      .vector = (uint8_t)vector,
				      .type = X86_EVENT_HW_EXC,
				      .has_error = true,
				      .error = err };
	return 1;
}

/* Load the handler's CS for vector delivery / far transfers (SDM 6.12.1.1). */
static int x86_handler_cs(struct cpu_x86 *c, uint16_t sel, uint32_t ext, struct x86_seg *cs,
			  struct x86_event *nested)
{
	uint64_t d[2];
	if ((sel & ~3u) == 0)
		return x86_nested(c, 0, X86_EXC_GP, ext, nested);
	int r = x86_read_desc(c, sel, d, false);
	if (r)
		return x86_nested(c, r, X86_EXC_GP, (sel & ~3u) | ext, nested);
	x86_desc_to_seg(d[0], 0, sel, cs);
	bool code = (cs->attr & X86_SEG_ATTR_S) && (cs->attr & 8);
	unsigned dpl = (cs->attr >> X86_SEG_ATTR_DPL_SHIFT) & 3;
	if (!code || dpl > c->cpl)
		return x86_nested(c, 0, X86_EXC_GP, (sel & ~3u) | ext, nested);
	if (!(cs->attr & X86_SEG_ATTR_P))
		return x86_nested(c, 0, X86_EXC_NP, (sel & ~3u) | ext, nested);
	if (cpu_x86_long_mode(c) && (!(cs->attr & X86_SEG_ATTR_L) || (cs->attr & X86_SEG_ATTR_DB)))
		return x86_nested(c, 0, X86_EXC_GP, (sel & ~3u) | ext, nested);
	return 0;
}

/*
 * Real-address mode (SDM vol. 3 20.1.4, and INT n "REAL-ADDRESS-MODE"): the
 * IDT is the interrupt vector table of 4-byte IP:CS pairs at IDTR.base.
 * Push FLAGS, CS and IP (16 bits each; no error code), clear IF, TF and AC,
 * continue at the vector. A vector beyond IDTR.limit is #GP (which becomes
 * #DF, then shutdown, through the usual escalation).
 */
static int x86_ivt_deliver(struct cpu_x86 *c, const struct x86_event *ev, struct x86_event *nested)
{
	uint8_t ent[4], frame[6];
	int r;
	if (ev->vector * 4u + 3 > c->idtr.limit)
		return x86_nested(c, 0, X86_EXC_GP, 0, nested);
	r = cpu_x86_access_linear(c, c->idtr.base + ev->vector * 4u, ent, 4, MMU_READ, false);
	if (r)
		return x86_nested(c, r, 0, 0, nested);
	struct x86_seg *ss = &c->seg[X86_SEG_SS];
	uint64_t mask = (ss->attr & X86_SEG_ATTR_DB) ? 0xffffffffull : 0xffffull;
	uint64_t sp = c->regs[X86_RSP];
	st16_le_p(frame, (uint16_t)ev->rip);
	st16_le_p(frame + 2, c->seg[X86_SEG_CS].sel);
	st16_le_p(frame + 4, (uint16_t)cpu_x86_get_rflags(c));
	/* Three 2-byte pushes, each at SP - 2 within the stack size. */
	for (unsigned i = 0; i < 3; i++) {
		sp = (sp & ~mask) | ((sp - 2) & mask);
		r = cpu_x86_access_linear(c, ss->base + (sp & mask), frame + 4 - 2 * i, 2,
					  MMU_WRITE, false);
		if (r)
			return x86_nested(c, r, 0, 0, nested);
	}
	uint16_t sel = (uint16_t)ld16_le_p(ent + 2);
	c->regs[X86_RSP] = sp;
	c->seg[X86_SEG_CS].sel = sel;
	c->seg[X86_SEG_CS].base = (uint64_t)sel << 4;
	c->rip = ld16_le_p(ent);
	c->rflags &= ~(uint64_t)(X86_FLAG_IF | X86_FLAG_TF | X86_FLAG_AC | X86_FLAG_RF);
	c->cpu.halted = false;
	return 0;
}

/* One attempt at delivering ev through the IDT (SDM 6.12 / 6.14). */
static int x86_idt_deliver(struct cpu_x86 *c, const struct x86_event *ev, struct x86_event *nested)
{
	bool lm = cpu_x86_long_mode(c);
	uint32_t ext = ev->type == X86_EVENT_SW_INTR ? 0 : 1;
	uint32_t idt_err = ev->vector * 8u + 2 + ext;
	unsigned esz = lm ? 16 : 8;
	int r;

	if (!(c->cr0 & X86_CR0_PE))
		return x86_ivt_deliver(c, ev, nested);
	if ((uint32_t)ev->vector * esz + esz - 1 > c->idtr.limit)
		return x86_nested(c, 0, X86_EXC_GP, idt_err, nested);
	uint8_t gate[16];
	r = cpu_x86_access_linear(c, c->idtr.base + ev->vector * esz, gate, esz, MMU_READ, false);
	if (r)
		return x86_nested(c, r, 0, 0, nested);
	uint64_t g0 = ld64_le_p(gate), g1 = lm ? ld64_le_p(gate + 8) : 0;
	unsigned type = (g0 >> 40) & 0x1f, gdpl = (g0 >> 45) & 3;
	bool present = (g0 >> 47) & 1;
	/* Step 1: gate type: interrupt (0xE) and trap (0xF) gates; outside
	 * IA-32e mode also 16-bit ones (6, 7) and task gates (5). Step 2: DPL
	 * for software interrupts, step 3: P. */
	bool gate16 = !lm && (type == 6 || type == 7);
	bool task = !lm && type == 5;
	if (type != 0xe && type != 0xf && !gate16 && !task)
		return x86_nested(c, 0, X86_EXC_GP, idt_err, nested);
	if (ev->type == X86_EVENT_SW_INTR || ev->type == X86_EVENT_SW_EXC) {
		if (gdpl < c->cpl)
			return x86_nested(c, 0, X86_EXC_GP, ev->vector * 8u + 2, nested);
	}
	if (!present)
		return x86_nested(c, 0, X86_EXC_NP, idt_err, nested);
	if (task) {
		/* SDM 25.4.2: a task switch in VMX non-root operation is a VM
		 * exit before any of it happens (qualification: the TSS
		 * selector, source 3 = IDT task gate, SDM 27.2.1 table 27-2);
		 * hv performs it (cpu_x86_task_switch) with the event from the
		 * IDT-vectoring information. */
		bool sw = ev->type == X86_EVENT_SW_INTR || ev->type == X86_EVENT_SW_EXC ||
			  ev->type == X86_EVENT_PRIV_SW_EXC;
		vmcs_set(&c->vmcs, IDT_VECTORING_INFO_FIELD, x86_intr_info(ev));
		vmcs_set(&c->vmcs, IDT_VECTORING_ERROR_CODE, ev->has_error ? ev->error : 0);
		cpu_x86_vmexit(c, VMX_EXIT_TASK_SWITCH, ((g0 >> 16) & 0xffff) | (3u << 30),
			       x86_event_insn_rip(ev), sw ? ev->insn_len : 0);
		return -2;
	}
	uint16_t sel = (uint16_t)(g0 >> 16);
	uint64_t target = (g0 & 0xffff) | ((g0 >> 32) & 0xffff0000ull) | (g1 << 32);
	if (gate16)
		target &= 0xffff;
	unsigned ist = lm ? (g0 >> 32) & 7 : 0;

	struct x86_seg cs;
	r = x86_handler_cs(c, sel, ext, &cs, nested);
	if (r)
		return r;
	unsigned dpl = (cs.attr >> X86_SEG_ATTR_DPL_SHIFT) & 3;
	unsigned new_cpl = (cs.attr & 4) ? c->cpl : dpl; /* conforming keeps CPL */
	cs.sel = (uint16_t)((sel & ~3u) | new_cpl);

	uint64_t rflags = cpu_x86_get_rflags(c);
	uint64_t old_rsp = c->regs[X86_RSP];
	struct x86_seg old_ss = c->seg[X86_SEG_SS];
	struct x86_seg new_ss = old_ss;
	uint64_t rsp = old_rsp;
	bool switch_stack = new_cpl < c->cpl;
	uint8_t tss[8];

	if (lm) {
		/* SDM 6.14.4/6.14.5: RSPn from the 64-bit TSS, or IST. */
		if (switch_stack || ist) {
			uint64_t off = ist ? 0x24 + 8 * (ist - 1) : 4 + 8 * new_cpl;
			if (off + 7 > c->seg[X86_SEG_TR].limit)
				return x86_nested(c, 0, X86_EXC_TS, c->seg[X86_SEG_TR].sel & ~3u,
						  nested);
			r = cpu_x86_access_linear(c, c->seg[X86_SEG_TR].base + off, tss, 8,
						  MMU_READ, false);
			if (r)
				return x86_nested(c, r, 0, 0, nested);
			rsp = ld64_le_p(tss);
		}
		if (switch_stack) {
			new_ss.sel = (uint16_t)new_cpl;
			new_ss.base = 0;
			new_ss.limit = 0;
			new_ss.attr = X86_SEG_ATTR_UNUSABLE | (new_cpl << X86_SEG_ATTR_DPL_SHIFT);
		}
		rsp &= ~0xfull;
		uint64_t frame[6];
		unsigned n = 0;
		if (ev->has_error)
			frame[n++] = ev->error;
		frame[n++] = ev->rip;
		frame[n++] = c->seg[X86_SEG_CS].sel;
		frame[n++] = rflags;
		frame[n++] = old_rsp;
		frame[n++] = old_ss.sel;
		uint8_t buf[48];
		for (unsigned i = 0; i < n; i++)
			st64_le_p(buf + 8 * i, frame[i]);
		rsp -= 8 * n;
		r = cpu_x86_access_linear(c, rsp, buf, 8 * n, MMU_WRITE, new_cpl == 3);
		if (r)
			return x86_nested(c, r, 0, 0, nested);
	} else {
		/* SDM 6.12.1: 32-bit gate; SS0:ESP0 from the 32-bit TSS. */
		if (switch_stack) {
			r = cpu_x86_access_linear(c, c->seg[X86_SEG_TR].base + 4 + 8 * new_cpl, tss,
						  8, MMU_READ, false);
			if (r)
				return x86_nested(c, r, 0, 0, nested);
			rsp = ld32_le_p(tss);
			uint16_t ss_sel = (uint16_t)ld16_le_p(tss + 4);
			uint64_t d[2];
			r = x86_read_desc(c, ss_sel, d, false);
			if (r)
				return x86_nested(c, r, X86_EXC_TS, ss_sel & ~3u, nested);
			x86_desc_to_seg(d[0], 0, ss_sel, &new_ss);
		}
		/* A 16-bit gate pushes 16-bit values (SDM 6.12.1, figure 6-4
		 * for the 32-bit frame). */
		unsigned w = gate16 ? 2 : 4;
		uint32_t frame[7];
		unsigned n = 0;
		if (ev->has_error)
			frame[n++] = ev->error;
		frame[n++] = (uint32_t)ev->rip;
		frame[n++] = c->seg[X86_SEG_CS].sel;
		frame[n++] = (uint32_t)rflags;
		if (switch_stack) {
			frame[n++] = (uint32_t)old_rsp;
			frame[n++] = old_ss.sel;
		}
		uint8_t buf[28];
		for (unsigned i = 0; i < n; i++) {
			if (gate16)
				st16_le_p(buf + 2 * i, (uint16_t)frame[i]);
			else
				st32_le_p(buf + 4 * i, frame[i]);
		}
		uint64_t mask = (new_ss.attr & X86_SEG_ATTR_DB) ? 0xffffffffull : 0xffffull;
		uint64_t sp = (rsp - w * n) & mask;
		r = cpu_x86_access_linear(c, new_ss.base + sp, buf, w * n, MMU_WRITE, new_cpl == 3);
		if (r)
			return x86_nested(c, r, 0, 0, nested);
		rsp = (rsp & ~mask) | sp;
	}

	/* Commit (nothing above changed the state). */
	c->seg[X86_SEG_CS] = cs;
	c->seg[X86_SEG_SS] = new_ss;
	c->seg[X86_SEG_SS].attr = (new_ss.attr & ~(3u << X86_SEG_ATTR_DPL_SHIFT)) |
				  (new_cpl << X86_SEG_ATTR_DPL_SHIFT);
	c->regs[X86_RSP] = rsp;
	c->rip = lm ? target : (uint32_t)target;
	c->rflags &= ~(uint64_t)(X86_FLAG_TF | X86_FLAG_NT | X86_FLAG_RF | X86_FLAG_VM);
	if (type == 0xe || type == 6)
		c->rflags &= ~(uint64_t)X86_FLAG_IF;
	if (ev->vector == X86_EXC_PF && ev->type == X86_EVENT_HW_EXC)
		c->cr2 = ev->cr2;
	cpu_x86_update_mode(c);
	c->cpu.halted = false;
	return 0;
}

bool cpu_x86_deliver_event(struct cpu_x86 *c, const struct x86_event *ev, bool injected)
{
	struct x86_event cur = *ev;
	const struct x86_event *vectoring = NULL;
	struct x86_event first = *ev;

	/* SDM 25.2: exceptions in the bitmap exit instead of being delivered. */
	if (!injected && x86_exception_exits(c, &cur)) {
		x86_exception_vmexit(c, &cur, NULL);
		return true;
	}
	for (unsigned attempt = 0; attempt < 4; attempt++) {
		struct x86_event nested;
		int r = x86_idt_deliver(c, &cur, &nested);
		if (r == 0) {
			/* SDM 6.7.1: an NMI blocks further NMIs until IRET. */
			if (cur.type == X86_EVENT_NMI)
				c->nmi_blocked = true;
			c->event_delivered = true;
			return false;
		}
		if (r == -2)
			return true;
		/* SDM 6.15 table 6-5: a fault while delivering #DF shuts down
		 * (a triple fault, VM exit 2 - SDM 25.2). */
		if (cur.vector == X86_EXC_DF && cur.type == X86_EVENT_HW_EXC)
			break;
		bool cur_pf = cur.vector == X86_EXC_PF && cur.type == X86_EVENT_HW_EXC;
		bool cur_contrib = x86_contributory(cur.vector) && cur.type == X86_EVENT_HW_EXC;
		bool new_pf = nested.vector == X86_EXC_PF;
		bool new_contrib = x86_contributory(nested.vector);
		nested.rip = first.type == X86_EVENT_HW_EXC || first.type == X86_EVENT_EXT_INTR ?
				     first.rip :
				     x86_event_insn_rip(&first);
		nested.rip_valid = true;
		nested.type = X86_EVENT_HW_EXC;
		if ((cur_contrib && new_contrib) || (cur_pf && (new_contrib || new_pf))) {
			cur = (struct x86_event){ .valid = true,
						  .vector = X86_EXC_DF,
						  .type = X86_EVENT_HW_EXC,
						  .has_error = true,
						  .error = 0,
						  .rip = nested.rip,
						  .rip_valid = true };
		} else {
			cur = nested;
		}
		vectoring = &first;
		if (x86_exception_exits(c, &cur)) {
			x86_exception_vmexit(c, &cur, vectoring);
			return true;
		}
	}
	vmcs_set(&c->vmcs, IDT_VECTORING_INFO_FIELD, 0);
	cpu_x86_vmexit(c, VMX_EXIT_TRIPLE_FAULT, 0, x86_event_insn_rip(&first), 0);
	return true;
}

static uint64_t x86_fault_rip(struct cpu_x86 *c)
{
	uint64_t rip = c->cpu.insn_pc - c->seg[X86_SEG_CS].base;
	return cpu_x86_code64(c) ? rip : (rip & 0xffffffffull);
}

static bool x86_raise_fault(struct cpu *cpu)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	if (!c->pending.valid)
		return false;
	struct x86_event ev = c->pending;
	c->pending.valid = false;
	if (!ev.rip_valid) {
		ev.rip = x86_fault_rip(c);
		ev.rip_valid = true;
	}
	return cpu_x86_deliver_event(c, &ev, false);
}

/*
 * VM entry (the first TB boundary after an exit): the trap-like controls
 * start counting. The VMX-preemption timer is loaded from its VMCS field
 * (SDM 26.7.4); "save VMX-preemption timer value" makes exits write the
 * rest back there (cpu_x86_vmexit), otherwise each entry reloads it.
 */
static void x86_vm_entry(struct cpu_x86 *c)
{
	uint64_t value = vmcs_get(&c->vmcs, VMX_PREEMPTION_TIMER_VALUE);

	c->vm_entered = true;
	c->event_delivered = false;
	c->entry_icount = c->cpu.icount;
	c->preempt_deadline = c->cpu.icount + (value << VMX_PREEMPTION_TIMER_RATE);
}

/*
 * The VM exits that come between instructions, in the priority order of
 * SDM 6.9 with the VMX additions of 26.7.2-26.7.6 and 25.2: MTF (after an
 * instruction retired or an event was delivered since the entry), the
 * VMX-preemption timer, NMI window (no blocking by NMI or MOV SS),
 * interrupt window (RFLAGS.IF and no STI / MOV SS shadow).
 */
static bool x86_window_exits(struct cpu_x86 *c)
{
	uint32_t ctl = (uint32_t)vmcs_get(&c->vmcs, CPU_BASED_VM_EXEC_CONTROL);
	uint32_t pin = (uint32_t)vmcs_get(&c->vmcs, PIN_BASED_VM_EXEC_CONTROL);

	if ((ctl & CPU_BASED_MONITOR_TRAP_FLAG) &&
	    (c->cpu.icount != c->entry_icount || c->event_delivered)) {
		cpu_x86_vmexit(c, VMX_EXIT_MONITOR_TRAP_FLAG, 0, c->rip, 0);
		return true;
	}
	if (pin & PIN_BASED_VMX_PREEMPTION_TIMER) {
		if (c->cpu.icount >= c->preempt_deadline) {
			cpu_x86_vmexit(c, VMX_EXIT_PREEMPTION_TIMER, 0, c->rip, 0);
			return true;
		}
		/* Stop the TB chain exactly there (as at icount_deadline). */
		if (c->preempt_deadline < c->cpu.icount_limit)
			c->cpu.icount_limit = c->preempt_deadline;
	}
	if ((ctl & CPU_BASED_NMI_WINDOW_EXITING) && !c->nmi_blocked && !c->intr_shadow) {
		cpu_x86_vmexit(c, VMX_EXIT_NMI_WINDOW, 0, c->rip, 0);
		return true;
	}
	if ((ctl & CPU_BASED_INTR_WINDOW_EXITING) && (c->rflags & X86_FLAG_IF) && !c->intr_shadow) {
		cpu_x86_vmexit(c, VMX_EXIT_INTERRUPT_WINDOW, 0, c->rip, 0);
		return true;
	}
	/* The window opens when the shadow ends (SDM 25.2: the exit comes
	 * right after the instruction in the shadow): stop there, not at a
	 * later TB boundary whose place depends on how TBs were chained (so a
	 * run restored from a snapshot, with a fresh TB cache, exits at the
	 * same instruction). */
	if ((ctl & (CPU_BASED_INTR_WINDOW_EXITING | CPU_BASED_NMI_WINDOW_EXITING)) &&
	    c->intr_shadow && c->intr_shadow_icount < c->cpu.icount_limit)
		c->cpu.icount_limit = c->intr_shadow_icount;
	return false;
}

/*
 * At a TB boundary (SDM 26.6 for event injection at VM entry, 25.2 / 6.9
 * for priorities): first a VM-entry injected event, then the exits that
 * come between instructions.
 */
static bool x86_check_interrupts(struct cpu *cpu)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	uint32_t info = (uint32_t)vmcs_get(&c->vmcs, VM_ENTRY_INTR_INFO_FIELD);
	if (!c->vm_entered)
		x86_vm_entry(c);
	if (info & INTR_INFO_VALID) {
		vmcs_set(&c->vmcs, VM_ENTRY_INTR_INFO_FIELD, info & ~INTR_INFO_VALID);
		struct x86_event ev = {
			.valid = true,
			.vector = (uint8_t)(info & INTR_INFO_VECTOR_MASK),
			.type = (uint8_t)((info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT),
			.has_error = (info & INTR_INFO_DELIVER_CODE) != 0,
			.error = (uint32_t)vmcs_get(&c->vmcs, VM_ENTRY_EXCEPTION_ERROR_CODE),
			.rip_valid = true,
			.insn_len = (uint32_t)vmcs_get(&c->vmcs, VM_ENTRY_INSTRUCTION_LEN),
		};
		ev.rip = c->rip;
		if (ev.type == X86_EVENT_SW_INTR || ev.type == X86_EVENT_SW_EXC ||
		    ev.type == X86_EVENT_PRIV_SW_EXC)
			ev.rip += ev.insn_len;
		/* An injected #PF does not load CR2: the hypervisor sets CR2
		 * before the entry (SDM 26.6.1.1 delivers the event as
		 * "vectored through the IDT", without the fault's CR2 write). */
		ev.cr2 = c->cr2;
		c->intr_shadow = false;
		if (cpu_x86_deliver_event(c, &ev, true))
			return true;
	}
	if (c->intr_shadow && c->cpu.icount >= c->intr_shadow_icount)
		c->intr_shadow = false;
	return x86_window_exits(c);
}

static bool x86_is_user_mode(struct cpu *cpu)
{
	return cpu_x86_of(cpu)->cpl == 3;
}

static uint64_t x86_get_pc(struct cpu *cpu)
{
	return cpu_x86_of(cpu)->rip;
}

static int x86_disas(struct cpu *cpu, uint64_t pc, const uint8_t *code, size_t len, char *buf,
		     size_t bufsize)
{
	struct cpu_x86 *c = cpu_x86_of(cpu);
	cs_mode mode = cpu_x86_code64(c)                           ? CS_MODE_64 :
		       (c->seg[X86_SEG_CS].attr & X86_SEG_ATTR_DB) ? CS_MODE_32 :
								     CS_MODE_16;
	csh h;
	cs_insn *insn;
	int n = 0;
	if (cs_open(CS_ARCH_X86, mode, &h) != CS_ERR_OK)
		return 0;
	size_t count = cs_disasm(h, code, len, pc, 1, &insn);
	if (count > 0) {
		snprintf(buf, bufsize, "%s %s", insn[0].mnemonic, insn[0].op_str);
		n = (int)insn[0].size;
		cs_free(insn, count);
	} else {
		snprintf(buf, bufsize, "(bad)");
	}
	cs_close(&h);
	return n;
}

void cpu_x86_translate_insn(struct translator *tr);
void cpu_x86_tb_stop(struct translator *tr);

const struct cpu_arch_ops cpu_x86_ops = {
	.name = "x86_64",
	.n_mmu_idx = X86_NUM_MMU_IDX,
	.get_tb_key = x86_get_tb_key,
	.translate_insn = cpu_x86_translate_insn,
	.tb_stop = cpu_x86_tb_stop,
	.translate = x86_translate,
	.raise_fault = x86_raise_fault,
	.stage2_fault = x86_stage2_fault,
	.check_interrupts = x86_check_interrupts,
	.is_user_mode = x86_is_user_mode,
	.get_pc = x86_get_pc,
	.disas = x86_disas,
	.gdb = &cpu_x86_gdb_ops,
	.save = cpu_x86_save,
	.load = cpu_x86_load,
};
