/*
 * Helpers for the system instructions a Linux kernel uses early: the fast
 * system calls (SYSCALL/SYSRET, SYSENTER/SYSEXIT), MOV to/from DR0-DR7,
 * INVPCID, WBINVD/INVD and CLAC/STAC (XGETBV/XSETBV are in xsave.c).
 *
 * Check order (SDM 25.1.1): #UD and privilege #GP first, then the VM exit
 * the VMCS asks for, then the instruction's own faults and its effect.
 *
 * Example: Linux's entry_SYSCALL_64 path. With EFER.SCE = 1, STAR[47:32] =
 * 0x10 and LSTAR = entry, `syscall` at CPL 3 saves RIP in RCX and RFLAGS in
 * R11, masks RFLAGS with SFMASK, loads the flat CS 0x10 (64-bit) and SS
 * 0x18 and jumps to entry at CPL 0; `sysretq` with STAR[63:48] = 0x23 goes
 * back with CS 0x33 (64-bit) and SS 0x2b at CPL 3.
 */
#include "cpu/x86/helpers.h"
#include "cpu/ir.h"
#include "cpu/x86/vmcs.h"
#include "mmu/x86/walk.h"

static inline struct cpu_x86 *X(struct cpu *cpu)
{
	return cpu_x86_of(cpu);
}

SV_NORETURN static void x86_gp0(struct cpu_x86 *c)
{
	cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
}

SV_NORETURN static void x86_ud(struct cpu_x86 *c)
{
	cpu_x86_raise_exception(c, X86_EXC_UD, false, 0);
}

static uint32_t x86_ctl(struct cpu_x86 *c)
{
	return (uint32_t)vmcs_get(&c->vmcs, CPU_BASED_VM_EXEC_CONTROL);
}

static uint32_t x86_ctl2(struct cpu_x86 *c)
{
	if (!(x86_ctl(c) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		return 0;
	return (uint32_t)vmcs_get(&c->vmcs, SECONDARY_VM_EXEC_CONTROL);
}

/* The flat segments the fast system calls load (SDM SYSCALL/SYSENTER:
 * base 0, limit 4 GiB, accessed, the given type, DPL and size). */
static void x86_flat_seg(struct x86_seg *s, uint16_t sel, unsigned type, unsigned dpl, bool l)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffffu;
	s->attr = type | X86_SEG_ATTR_S | (dpl << X86_SEG_ATTR_DPL_SHIFT) | X86_SEG_ATTR_P |
		  X86_SEG_ATTR_G | (l ? X86_SEG_ATTR_L : X86_SEG_ATTR_DB);
}

/* ---- SYSCALL / SYSRET (SDM vol. 2 SYSCALL, SYSRET; vol. 3 5.8.8) ---------- */

/*
 * SYSCALL: #UD unless 64-bit mode and EFER.SCE (Intel: SYSCALL in
 * compatibility mode is #UD too, so CSTAR is stored but never used).
 */
uint64_t x86_helper_syscall(struct cpu *cpu, uint64_t next, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	if (!cpu_x86_code64(c) || !(c->efer & X86_EFER_SCE))
		x86_ud(c);
	uint64_t fl = cpu_x86_get_rflags(c);
	uint16_t sel = (uint16_t)(c->star >> 32);
	c->regs[X86_RCX] = next;
	c->regs[X86_R11] = fl & ~(uint64_t)X86_FLAG_RF;
	cpu_x86_set_rflags(c, (fl & ~c->sfmask) & ~(uint64_t)X86_FLAG_RF);
	x86_flat_seg(&c->seg[X86_SEG_CS], sel & 0xfffc, 0xb, 0, true);
	x86_flat_seg(&c->seg[X86_SEG_SS], (uint16_t)(sel + 8), 0x3, 0, false);
	c->rip = c->lstar;
	cpu_x86_update_mode(c);
	return 0;
}

/*
 * SYSRET: #UD unless 64-bit mode and EFER.SCE; #GP(0) at CPL > 0 or (REX.W)
 * for a non-canonical RCX. REX.W returns to 64-bit mode with CS =
 * STAR[63:48] + 16, otherwise to compatibility mode with CS = STAR[63:48];
 * SS = STAR[63:48] + 8 either way; RPL 3. RFLAGS = R11 (RF, VM cleared).
 */
uint64_t x86_helper_sysret(struct cpu *cpu, uint64_t rex_w, uint64_t b, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	if (!cpu_x86_code64(c) || !(c->efer & X86_EFER_SCE))
		x86_ud(c);
	if (c->cpl != 0)
		x86_gp0(c);
	if (rex_w && !cpu_x86_canonical(c, c->regs[X86_RCX]))
		x86_gp0(c);
	uint16_t sel = (uint16_t)(c->star >> 48);
	if (rex_w) {
		c->rip = c->regs[X86_RCX];
		x86_flat_seg(&c->seg[X86_SEG_CS], (uint16_t)((sel + 16) | 3), 0xb, 3, true);
	} else {
		c->rip = (uint32_t)c->regs[X86_RCX];
		x86_flat_seg(&c->seg[X86_SEG_CS], (uint16_t)(sel | 3), 0xb, 3, false);
	}
	/* SDM SYSRET: SS.sel = STAR[63:48] + 8 with RPL 3; the descriptor
	 * cache is loaded flat (DPL 3, writable, B = 1). */
	x86_flat_seg(&c->seg[X86_SEG_SS], (uint16_t)((sel + 8) | 3), 0x3, 3, false);
	cpu_x86_set_rflags(c, (c->regs[X86_R11] & 0x3c7fd7ull) | X86_FLAG_FIXED1);
	cpu_x86_update_mode(c);
	return 0;
}

/* ---- SYSENTER / SYSEXIT (SDM vol. 2 SYSENTER, SYSEXIT) -------------------- */

uint64_t x86_helper_sysenter(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	uint16_t cs = (uint16_t)c->sysenter_cs;
	if (!(c->cr0 & X86_CR0_PE) || (cs & 0xfffc) == 0)
		x86_gp0(c);
	bool lm = cpu_x86_long_mode(c);
	uint64_t fl = cpu_x86_get_rflags(c);
	cpu_x86_set_rflags(c, fl & ~(uint64_t)(X86_FLAG_VM | X86_FLAG_IF | X86_FLAG_RF));
	x86_flat_seg(&c->seg[X86_SEG_CS], cs & 0xfffc, 0xb, 0, lm);
	x86_flat_seg(&c->seg[X86_SEG_SS], (uint16_t)((cs & 0xfffc) + 8), 0x3, 0, false);
	c->regs[X86_RSP] = lm ? c->sysenter_esp : (uint32_t)c->sysenter_esp;
	c->rip = lm ? c->sysenter_eip : (uint32_t)c->sysenter_eip;
	cpu_x86_update_mode(c);
	return 0;
}

/* SYSEXIT: CPL 0 only (the decode row); REX.W returns to 64-bit mode with
 * CS = SYSENTER_CS + 32, else to 32-bit code with CS = SYSENTER_CS + 16;
 * SS = CS + 8; RSP = rCX, RIP = rDX. */
uint64_t x86_helper_sysexit(struct cpu *cpu, uint64_t rex_w, uint64_t b, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	uint16_t base = (uint16_t)c->sysenter_cs;
	if (!(c->cr0 & X86_CR0_PE) || (base & 0xfffc) == 0)
		x86_gp0(c);
	if (rex_w && !cpu_x86_canonical(c, c->regs[X86_RDX]))
		x86_gp0(c);
	uint16_t cs = (uint16_t)((base + (rex_w ? 32 : 16)) | 3);
	x86_flat_seg(&c->seg[X86_SEG_CS], cs, 0xb, 3, rex_w != 0);
	x86_flat_seg(&c->seg[X86_SEG_SS], (uint16_t)(cs + 8), 0x3, 3, false);
	c->regs[X86_RSP] = rex_w ? c->regs[X86_RCX] : (uint32_t)c->regs[X86_RCX];
	c->rip = rex_w ? c->regs[X86_RDX] : (uint32_t)c->regs[X86_RDX];
	cpu_x86_update_mode(c);
	return 0;
}

/* ---- MOV DR (SDM vol. 2 MOV-Move to/from Debug Registers; vol. 3 17.2) ---- */

/* SDM 27.2.1 table 27-4: DR number 2:0, direction 4 (1 = MOV from DR),
 * register 11:8. */
static uint64_t x86_dr_qual(unsigned drn, bool from, unsigned gpr)
{
	return drn | (from ? 16u : 0) | ((uint64_t)gpr << 8);
}

/* CR4.DE makes DR4/DR5 #UD, otherwise they alias DR6/DR7. */
static unsigned x86_dr_index(struct cpu_x86 *c, unsigned drn)
{
	if (drn == 4 || drn == 5) {
		if (c->cr4 & X86_CR4_DE)
			x86_ud(c);
		return drn + 2;
	}
	return drn;
}

uint64_t x86_helper_mov_to_dr(struct cpu *cpu, uint64_t drn_gpr, uint64_t val, uint64_t rip,
			      uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned drn = drn_gpr & 7, gpr = (unsigned)(drn_gpr >> 8) & 15;
	unsigned i = x86_dr_index(c, drn);
	if (x86_ctl(c) & CPU_BASED_MOV_DR_EXITING)
		cpu_x86_vmexit_now(c, VMX_EXIT_DR_ACCESS, x86_dr_qual(drn, false, gpr), rip,
				   (uint32_t)len);
	if (i < 4) {
		c->dr[i] = val;
	} else {
		/* DR6/DR7: bits 63:32 must be 0 (#GP). */
		if (val >> 32)
			x86_gp0(c);
		if (i == 6)
			c->dr6 = (val & 0xe00full) | 0xffff0ff0ull; /* SDM 17.2.3 */
		else
			c->dr7 = (val & 0xffff23ffull) | 0x400; /* SDM 17.2.4 */
	}
	return 0;
}

uint64_t x86_helper_mov_from_dr(struct cpu *cpu, uint64_t drn_gpr, uint64_t b, uint64_t rip,
				uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned drn = drn_gpr & 7, gpr = (unsigned)(drn_gpr >> 8) & 15;
	unsigned i = x86_dr_index(c, drn);
	if (x86_ctl(c) & CPU_BASED_MOV_DR_EXITING)
		cpu_x86_vmexit_now(c, VMX_EXIT_DR_ACCESS, x86_dr_qual(drn, true, gpr), rip,
				   (uint32_t)len);
	return i < 4 ? c->dr[i] : i == 6 ? c->dr6 : c->dr7;
}

/* ---- INVPCID (SDM vol. 2 INVPCID) ------------------------------------------ */

/*
 * #UD unless "enable INVPCID" (SDM 25.3); exit if also "INVLPG exiting"
 * (SDM 25.1.3). The 128-bit descriptor: PCID 11:0, reserved 63:12, linear
 * address 127:64. Each type drops what the SDM says from the x86 TLB
 * (cpu/x86/tlb.c).
 */
uint64_t x86_helper_invpcid(struct cpu *cpu, uint64_t type, uint64_t la, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	uint32_t ctl2 = x86_ctl2(c);
	if (!(ctl2 & SECONDARY_EXEC_ENABLE_INVPCID))
		x86_ud(c);
	if (x86_ctl(c) & CPU_BASED_INVLPG_EXITING)
		cpu_x86_vmexit_now(c, VMX_EXIT_INVPCID, 0, rip, (uint32_t)len);
	unsigned idx = cpu_x86_mmu_idx(c);
	uint64_t d0 = cpu_ld(cpu, la, IR_MO_64, idx);
	uint64_t la_hi = cpu_x86_long_mode(c) ? la + 8 : (uint32_t)(la + 8);
	uint64_t addr = cpu_ld(cpu, la_hi, IR_MO_64, idx);
	if (type > 3 || (d0 >> 12))
		x86_gp0(c);
	if (type == 0 && !cpu_x86_canonical_max(addr))
		x86_gp0(c);
	if (type <= 1 && !(c->cr4 & X86_CR4_PCIDE) && (d0 & 0xfff))
		x86_gp0(c);
	cpu_x86_tlb_invpcid(c, (unsigned)type, (uint16_t)(d0 & 0xfff), addr);
	return 0;
}

/* ---- WBINVD / INVD, CLAC / STAC -------------------------------------------- */

/* INVD exits unconditionally (SDM 25.1.2), WBINVD if "WBINVD exiting";
 * otherwise both are no-ops (there are no caches). CPL 0 is checked by the
 * decode row. */
uint64_t x86_helper_wbinvd(struct cpu *cpu, uint64_t which, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	if (which == 1)
		cpu_x86_vmexit_now(c, VMX_EXIT_INVD, 0, rip, (uint32_t)len);
	if (x86_ctl2(c) & SECONDARY_EXEC_WBINVD_EXITING)
		cpu_x86_vmexit_now(c, VMX_EXIT_WBINVD, 0, rip, (uint32_t)len);
	return 0;
}

uint64_t x86_helper_stac(struct cpu *cpu, uint64_t set, uint64_t b, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	if (set)
		c->rflags |= X86_FLAG_AC;
	else
		c->rflags &= ~(uint64_t)X86_FLAG_AC;
	return 0;
}
