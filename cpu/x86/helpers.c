/*
 * Helpers for complex x86 instructions, and the system-register semantics
 * (CR0/CR3/CR4/EFER writes, MSRs, segment loads, far transfers, IRET).
 *
 * Check order in every helper that can exit follows SDM 25.1.1: faults that
 * take priority over VM exits (CPL, CR4.TSD, invalid operands) first, then the
 * VM-exit condition, then the instruction's own behaviour and its remaining
 * faults. Memory operands are read (cpu_ld, which may fault) before any state
 * changes.
 */
#include "cpu/x86/helpers.h"
#include "cpu/ir.h"
#include "cpu/x86/vmcs.h"
#include "mmu/x86/walk.h"

static inline struct cpu_x86 *X(struct cpu *cpu)
{
	return cpu_x86_of(cpu);
}

static uint32_t x86_ctl(struct cpu_x86 *c)
{
	return (uint32_t)vmcs_get(&c->vmcs, CPU_BASED_VM_EXEC_CONTROL);
}

SV_NORETURN static void x86_gp0(struct cpu_x86 *c)
{
	cpu_x86_raise_exception(c, X86_EXC_GP, true, 0);
}

/* Write a GPR with the operand-size rules (32-bit zero-extends). */
void x86_write_gpr(struct cpu_x86 *c, unsigned r, unsigned sz, uint64_t v)
{
	if (sz >= 3)
		c->regs[r] = v;
	else if (sz == 2)
		c->regs[r] = (uint32_t)v;
	else
		c->regs[r] = (c->regs[r] & ~sv_mask(8u << sz)) | (v & sv_mask(8u << sz));
}

void x86_set_flags_cc(struct cpu_x86 *c, uint64_t arith)
{
	c->cc_op = X86_CC_OP(X86_CC_EFLAGS, 0);
	c->cc_src = arith & X86_FLAGS_ARITH;
}

/* ---- flags ------------------------------------------------------------------- */

uint64_t x86_helper_flags(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e)
{
	return cpu_x86_compute_flags(X(cpu));
}

uint64_t x86_helper_cond(struct cpu *cpu, uint64_t cc, uint64_t b, uint64_t c, uint64_t e)
{
	return cpu_x86_eval_cond(X(cpu), (unsigned)cc);
}

uint64_t x86_helper_get_rflags(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t e)
{
	return cpu_x86_get_rflags(X(cpu));
}

/* The flags POPF/IRET may change at privilege cpl (SDM POPF, table 4-15). */
static uint64_t x86_flags_writable(const struct cpu_x86 *c, unsigned cpl, unsigned size)
{
	uint64_t m = 0x247fd5ull; /* ID AC NT IOPL OF DF IF TF SF ZF AF PF CF */
	unsigned iopl = (c->rflags >> 12) & 3;
	if (cpl > 0)
		m &= ~(uint64_t)X86_FLAG_IOPL;
	if ((c->cr0 & X86_CR0_PE) && cpl > iopl)
		m &= ~(uint64_t)X86_FLAG_IF;
	if (size == 1)
		m &= 0xffff;
	return m;
}

uint64_t x86_helper_popf(struct cpu *cpu, uint64_t val, uint64_t size, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	uint64_t m = x86_flags_writable(c, c->cpl, (unsigned)size);
	uint64_t old = cpu_x86_get_rflags(c);
	cpu_x86_set_rflags(c, (old & ~m) | (val & m));
	return 0;
}

uint64_t x86_helper_sti(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	/* SDM STI: interrupts stay blocked until after the next instruction
	 * (only if IF was clear). */
	if (!(c->rflags & X86_FLAG_IF)) {
		c->intr_shadow = true;
		c->intr_shadow_icount = cpu_icount(cpu) + 2;
	}
	c->rflags |= X86_FLAG_IF;
	return 0;
}

/* ---- arithmetic -------------------------------------------------------------- */

uint64_t x86_helper_rot(struct cpu *cpu, uint64_t val, uint64_t count, uint64_t sz_op, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned sz = sz_op & 3, op = (unsigned)(sz_op >> 2) & 3, bits = 8u << sz;
	uint64_t m = sv_mask(bits), v = val & m, f = cpu_x86_compute_flags(c);
	uint64_t cf = f & 1, of;
	unsigned n = (unsigned)count;
	if (n == 0)
		return v; /* flags unaffected */
	switch (op) {
	case 0: /* ROL */
		n %= bits;
		if (n)
			v = ((v << n) | (v >> (bits - n))) & m;
		cf = v & 1;
		of = ((v >> (bits - 1)) & 1) ^ cf;
		break;
	case 1: /* ROR */
		n %= bits;
		if (n)
			v = ((v >> n) | (v << (bits - n))) & m;
		cf = (v >> (bits - 1)) & 1;
		of = cf ^ ((v >> (bits - 2)) & 1);
		break;
	case 2: /* RCL */
		n %= bits + 1;
		for (unsigned i = 0; i < n; i++) {
			uint64_t ncf = (v >> (bits - 1)) & 1;
			v = ((v << 1) | cf) & m;
			cf = ncf;
		}
		of = ((v >> (bits - 1)) & 1) ^ cf;
		break;
	default: /* RCR */
		n %= bits + 1;
		of = ((v >> (bits - 1)) & 1) ^ cf;
		for (unsigned i = 0; i < n; i++) {
			uint64_t ncf = v & 1;
			v = (v >> 1) | (cf << (bits - 1));
			cf = ncf;
		}
		break;
	}
	f = (f & ~(uint64_t)(X86_FLAG_CF | X86_FLAG_OF)) | cf | (of ? X86_FLAG_OF : 0);
	x86_set_flags_cc(c, f);
	return v;
}

uint64_t x86_helper_mul1(struct cpu *cpu, uint64_t val, uint64_t sz_signed, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned sz = sz_signed & 3, bits = 8u << sz;
	bool sgn = (sz_signed & 4) != 0;
	uint64_t m = sv_mask(bits), a = c->regs[X86_RAX] & m, b = val & m, lo, hi;
	bool of;
	if (sgn) {
		__int128 p =
			(__int128)(int64_t)sv_sext(a, bits) * (__int128)(int64_t)sv_sext(b, bits);
		lo = (uint64_t)p & m;
		hi = (uint64_t)(p >> bits) & m;
		of = p != (__int128)(int64_t)sv_sext(lo, bits);
	} else {
		unsigned __int128 p = (unsigned __int128)a * b;
		lo = (uint64_t)p & m;
		hi = (uint64_t)(p >> bits) & m;
		of = hi != 0;
	}
	if (sz == 0) {
		x86_write_gpr(c, X86_RAX, 1, lo | (hi << 8));
	} else {
		x86_write_gpr(c, X86_RAX, sz, lo);
		x86_write_gpr(c, X86_RDX, sz, hi);
	}
	c->cc_op = X86_CC_OP(X86_CC_MUL, sz);
	c->cc_dst = lo;
	c->cc_src = of;
	return 0;
}

/* SDM DIV/IDIV: #DE for a zero divisor or a quotient that does not fit. */
uint64_t x86_helper_div(struct cpu *cpu, uint64_t val, uint64_t sz_signed, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned sz = sz_signed & 3, bits = 8u << sz;
	bool sgn = (sz_signed & 4) != 0;
	uint64_t m = sv_mask(bits), d = val & m, q, r;
	if (d == 0)
		cpu_x86_raise_exception(c, X86_EXC_DE, false, 0);
	uint64_t lo = sz == 0 ? c->regs[X86_RAX] & 0xff : c->regs[X86_RAX] & m;
	uint64_t hi = sz == 0 ? (c->regs[X86_RAX] >> 8) & 0xff : c->regs[X86_RDX] & m;
	if (!sgn) {
		unsigned __int128 n = ((unsigned __int128)hi << bits) | lo;
		unsigned __int128 qq = n / d;
		if (qq > m)
			cpu_x86_raise_exception(c, X86_EXC_DE, false, 0);
		q = (uint64_t)qq;
		r = (uint64_t)(n % d);
	} else {
		__int128 n = (__int128)(((unsigned __int128)hi << bits) | lo);
		if (bits < 64)
			n = (n << (128 - 2 * bits)) >> (128 - 2 * bits); /* sign-extend 2*bits */
		__int128 sd = (int64_t)sv_sext(d, bits);
		__int128 min = -((__int128)1 << (bits - 1)), max = ((__int128)1 << (bits - 1)) - 1;
		__int128 qq, rr;
		if (sd == -1) {
			if (n > max + 1 || n < -max)
				cpu_x86_raise_exception(c, X86_EXC_DE, false, 0);
			qq = -n;
			rr = 0;
		} else {
			qq = n / sd;
			rr = n % sd;
		}
		if (qq > max || qq < min)
			cpu_x86_raise_exception(c, X86_EXC_DE, false, 0);
		q = (uint64_t)qq & m;
		r = (uint64_t)rr & m;
	}
	if (sz == 0) {
		x86_write_gpr(c, X86_RAX, 1, (q & 0xff) | ((r & 0xff) << 8));
	} else {
		x86_write_gpr(c, X86_RAX, sz, q);
		x86_write_gpr(c, X86_RDX, sz, r);
	}
	return 0;
}

uint64_t x86_helper_bsx(struct cpu *cpu, uint64_t src, uint64_t old, uint64_t sz_rev, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned sz = sz_rev & 3;
	uint64_t v = src & sv_mask(8u << sz);
	uint64_t f = cpu_x86_compute_flags(c) & ~(uint64_t)X86_FLAG_ZF;
	uint64_t r;
	if (v == 0) {
		f |= X86_FLAG_ZF;
		r = old;
	} else {
		r = (sz_rev & 4) ? 63u - (unsigned)__builtin_clzll(v) :
				   (unsigned)__builtin_ctzll(v);
		if (sz == 1)
			r |= old & ~0xffffull; /* 16-bit: merge */
	}
	x86_set_flags_cc(c, f);
	return r;
}

/* ---- exceptions and exits ----------------------------------------------------- */

uint64_t x86_helper_raise(struct cpu *cpu, uint64_t vec, uint64_t err, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	c->pending = (struct x86_event){
		.valid = true,
		.vector = (uint8_t)vec,
		.type = (uint8_t)((vec >> 8) & 7),
		.has_error = (vec >> 16) & 1,
		.error = (uint32_t)err,
		.rip_valid = true,
		.rip = rip,
		.insn_len = (uint32_t)len,
	};
	cpu_loop_exit_fault(cpu);
}

uint64_t x86_helper_cpuid(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	/* SDM 25.1.2: CPUID exits unconditionally. */
	cpu_x86_vmexit_now(X(cpu), VMX_EXIT_CPUID, 0, rip, (uint32_t)len);
}

uint64_t x86_helper_vmcall(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	cpu_x86_vmexit_now(X(cpu), VMX_EXIT_VMCALL, 0, rip, (uint32_t)len);
}

uint64_t x86_helper_hlt(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	if (x86_ctl(c) & CPU_BASED_HLT_EXITING)
		cpu_x86_vmexit_now(c, VMX_EXIT_HLT, 0, rip, (uint32_t)len);
	/* No exit: the CPU halts until an event; the run loop returns. */
	cpu->halted = true;
	return 0;
}

uint64_t cpu_x86_rdtsc(struct cpu_x86 *c)
{
	uint64_t tsc = cpu_icount(&c->cpu) + c->tsc_offset;
	if (x86_ctl(c) & CPU_BASED_USE_TSC_OFFSETTING)
		tsc += vmcs_get(&c->vmcs, TSC_OFFSET);
	return tsc;
}

uint64_t x86_helper_rdtsc(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	if ((c->cr4 & X86_CR4_TSD) && c->cpl > 0)
		x86_gp0(c); /* SDM 25.1.1: takes priority over the exit */
	if (x86_ctl(c) & CPU_BASED_RDTSC_EXITING)
		cpu_x86_vmexit_now(c, VMX_EXIT_RDTSC, 0, rip, (uint32_t)len);
	uint64_t t = cpu_x86_rdtsc(c);
	c->regs[X86_RAX] = (uint32_t)t;
	c->regs[X86_RDX] = t >> 32;
	return 0;
}

uint64_t x86_helper_rdmsr(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	uint32_t msr = (uint32_t)c->regs[X86_RCX];
	uint64_t v;
	if (vmcs_msr_exits(&c->vmcs, msr, false))
		cpu_x86_vmexit_now(c, VMX_EXIT_MSR_READ, 0, rip, (uint32_t)len);
	if (!cpu_x86_rdmsr(c, msr, &v))
		x86_gp0(c);
	c->regs[X86_RAX] = (uint32_t)v;
	c->regs[X86_RDX] = v >> 32;
	return 0;
}

uint64_t x86_helper_wrmsr(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	uint32_t msr = (uint32_t)c->regs[X86_RCX];
	uint64_t v = (uint32_t)c->regs[X86_RAX] | (c->regs[X86_RDX] << 32);
	if (vmcs_msr_exits(&c->vmcs, msr, true))
		cpu_x86_vmexit_now(c, VMX_EXIT_MSR_WRITE, 0, rip, (uint32_t)len);
	if (!cpu_x86_wrmsr(c, msr, v))
		x86_gp0(c);
	return 0;
}

uint64_t x86_helper_invlpg(struct cpu *cpu, uint64_t la, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	if (x86_ctl(c) & CPU_BASED_INVLPG_EXITING)
		cpu_x86_vmexit_now(c, VMX_EXIT_INVLPG, la, rip, (uint32_t)len);
	cpu_x86_tlb_invlpg(c, la);
	return 0;
}

/* SDM 27.2.1 table 27-3: CR-access qualification. */
static uint64_t x86_cr_qual(unsigned crn, unsigned type, unsigned gpr, unsigned lmsw_src)
{
	return crn | (type << 4) | ((uint64_t)gpr << 8) | ((uint64_t)lmsw_src << 16);
}

/* SDM 25.1.3: MOV to CR0/CR4 exits if a host-owned bit would change from
 * the read shadow; CR3 loads exit unless the value is a CR3 target. */
uint64_t x86_helper_mov_to_cr(struct cpu *cpu, uint64_t crn_gpr, uint64_t val, uint64_t rip,
			      uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned crn = crn_gpr & 0xff, gpr = (unsigned)(crn_gpr >> 8) & 15;
	uint64_t qual = x86_cr_qual(crn, 0, gpr, 0);
	bool ok = true;
	switch (crn) {
	case 0: {
		uint64_t mask = vmcs_get(&c->vmcs, CR0_GUEST_HOST_MASK);
		if ((val ^ vmcs_get(&c->vmcs, CR0_READ_SHADOW)) & mask)
			cpu_x86_vmexit_now(c, VMX_EXIT_CR_ACCESS, qual, rip, (uint32_t)len);
		ok = cpu_x86_set_cr0(c, (val & ~mask) | (c->cr0 & mask));
		break;
	}
	case 2: c->cr2 = val; break;
	case 3: {
		if (x86_ctl(c) & CPU_BASED_CR3_LOAD_EXITING) {
			unsigned n = (unsigned)vmcs_get(&c->vmcs, CR3_TARGET_COUNT);
			bool target = false;
			for (unsigned i = 0; i < n && i < 4; i++)
				target |= vmcs_get(&c->vmcs, CR3_TARGET_VALUE0 + 2 * i) == val;
			if (!target)
				cpu_x86_vmexit_now(c, VMX_EXIT_CR_ACCESS, qual, rip, (uint32_t)len);
		}
		ok = cpu_x86_set_cr3(c, val);
		break;
	}
	case 4: {
		uint64_t mask = vmcs_get(&c->vmcs, CR4_GUEST_HOST_MASK);
		if ((val ^ vmcs_get(&c->vmcs, CR4_READ_SHADOW)) & mask)
			cpu_x86_vmexit_now(c, VMX_EXIT_CR_ACCESS, qual, rip, (uint32_t)len);
		ok = cpu_x86_set_cr4(c, (val & ~mask) | (c->cr4 & mask));
		break;
	}
	case 8:
		if (val & ~0xfull)
			x86_gp0(c);
		if (x86_ctl(c) & CPU_BASED_CR8_LOAD_EXITING)
			cpu_x86_vmexit_now(c, VMX_EXIT_CR_ACCESS, qual, rip, (uint32_t)len);
		c->cr8 = val;
		break;
	default: ok = false; break;
	}
	if (!ok)
		x86_gp0(c);
	return 0;
}

uint64_t x86_helper_mov_from_cr(struct cpu *cpu, uint64_t crn_gpr, uint64_t b, uint64_t rip,
				uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned crn = crn_gpr & 0xff, gpr = (unsigned)(crn_gpr >> 8) & 15;
	uint64_t qual = x86_cr_qual(crn, 1, gpr, 0);
	switch (crn) {
	case 0: {
		uint64_t mask = vmcs_get(&c->vmcs, CR0_GUEST_HOST_MASK);
		return (c->cr0 & ~mask) | (vmcs_get(&c->vmcs, CR0_READ_SHADOW) & mask);
	}
	case 2: return c->cr2;
	case 3:
		if (x86_ctl(c) & CPU_BASED_CR3_STORE_EXITING)
			cpu_x86_vmexit_now(c, VMX_EXIT_CR_ACCESS, qual, rip, (uint32_t)len);
		return c->cr3;
	case 4: {
		uint64_t mask = vmcs_get(&c->vmcs, CR4_GUEST_HOST_MASK);
		return (c->cr4 & ~mask) | (vmcs_get(&c->vmcs, CR4_READ_SHADOW) & mask);
	}
	case 8:
		if (x86_ctl(c) & CPU_BASED_CR8_STORE_EXITING)
			cpu_x86_vmexit_now(c, VMX_EXIT_CR_ACCESS, qual, rip, (uint32_t)len);
		return c->cr8;
	default: x86_gp0(c);
	}
}

uint64_t x86_helper_lmsw(struct cpu *cpu, uint64_t val, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	uint64_t mask = vmcs_get(&c->vmcs, CR0_GUEST_HOST_MASK) & 0xf;
	uint64_t shadow = vmcs_get(&c->vmcs, CR0_READ_SHADOW);
	/* SDM 25.1.3: LMSW exits if it would change a host-owned bit of 3:0 (PE
	 * can only be set). */
	if (((val ^ shadow) & mask & 0xe) || ((mask & 1) && (val & 1) && !(shadow & 1)))
		cpu_x86_vmexit_now(c, VMX_EXIT_CR_ACCESS,
				   x86_cr_qual(0, 3, 0, (unsigned)val & 0xffff), rip,
				   (uint32_t)len);
	uint64_t nv = (c->cr0 & ~0xeull) | (val & 0xe) | ((c->cr0 | val) & 1);
	nv = (nv & ~mask) | (c->cr0 & mask);
	if (!cpu_x86_set_cr0(c, nv))
		x86_gp0(c);
	return 0;
}

uint64_t x86_helper_clts(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	uint64_t mask = vmcs_get(&c->vmcs, CR0_GUEST_HOST_MASK);
	if ((mask & X86_CR0_TS) && (vmcs_get(&c->vmcs, CR0_READ_SHADOW) & X86_CR0_TS))
		cpu_x86_vmexit_now(c, VMX_EXIT_CR_ACCESS, x86_cr_qual(0, 2, 0, 0), rip,
				   (uint32_t)len);
	if (!(mask & X86_CR0_TS))
		c->cr0 &= ~X86_CR0_TS;
	return 0;
}

/* SDM 25.1.3 and 27.2.1 table 27-5: I/O instruction exits. Without an exit
 * there is no device: IN reads all ones, OUT is dropped. */
uint64_t x86_helper_io(struct cpu *cpu, uint64_t port, uint64_t info, uint64_t rip, uint64_t len)
{
	struct cpu_x86 *c = X(cpu);
	unsigned sz = info & 3, size = 1u << sz;
	if (vmcs_io_exits(&c->vmcs, (uint16_t)port, size)) {
		uint64_t q = (size - 1) | (info & 8) | (info & 0x30) | (info & 64) |
			     ((port & 0xffff) << 16);
		cpu_x86_vmexit_now(c, VMX_EXIT_IO_INSTRUCTION, q, rip, (uint32_t)len);
	}
	return sv_mask(8u * size);
}

/* ---- control registers and MSRs ---------------------------------------------- */

/* SDM MOV CR0 (and 2.5, 9.8.5): #GP conditions, then the mode change. */
bool cpu_x86_set_cr0(struct cpu_x86 *c, uint64_t v)
{
	if (v >> 32)
		return false;
	if ((v & X86_CR0_PG) && !(v & X86_CR0_PE))
		return false;
	if ((v & X86_CR0_NW) && !(v & X86_CR0_CD))
		return false;
	bool pg_on = (v & X86_CR0_PG) && !(c->cr0 & X86_CR0_PG);
	bool pg_off = !(v & X86_CR0_PG) && (c->cr0 & X86_CR0_PG);
	if (pg_on && (c->efer & X86_EFER_LME)) {
		/* SDM 9.8.5: entering IA-32e mode needs PAE and a non-L CS. */
		if (!(c->cr4 & X86_CR4_PAE) || (c->seg[X86_SEG_CS].attr & X86_SEG_ATTR_L))
			return false;
	}
	if (pg_off && (cpu_x86_code64(c) || (c->cr4 & X86_CR4_PCIDE)))
		return false;
	uint64_t old = c->cr0;
	c->cr0 = v | X86_CR0_ET;
	cpu_x86_update_mode(c);
	if ((old ^ c->cr0) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE))
		cpu_x86_tlb_flush_all(c);
	return true;
}

/*
 * MOV to CR3 (SDM 4.10.4.1): with CR4.PCIDE, bits 11:0 are the PCID and bit
 * 63 asks not to invalidate that PCID's entries; bit 63 is never stored.
 * The x86 TLB keeps other PCIDs' entries and the global ones (tlb.c).
 */
bool cpu_x86_set_cr3(struct cpu_x86 *c, uint64_t v)
{
	bool noflush = false;

	if (c->cr4 & X86_CR4_PCIDE) {
		noflush = v >> 63;
		v &= ~(1ull << 63);
	}
	if (cpu_x86_long_mode(c) && (v >> X86_MAXPHYADDR))
		return false;
	c->cr3 = v;
	cpu_x86_tlb_cr3_load(c, noflush);
	return true;
}

/* The CR4 bits the model implements (SDM 2.5; CPUID advertises the
 * matching features: PGE, PCID, XSAVE, SMEP, SMAP, UMIP). */
#define X86_CR4_ALLOWED                                                                            \
	(X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |        \
	 X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_UMIP | X86_CR4_LA57 |         \
	 X86_CR4_PCIDE | X86_CR4_OSXSAVE | X86_CR4_SMEP | X86_CR4_SMAP)

bool cpu_x86_set_cr4(struct cpu_x86 *c, uint64_t v)
{
	if (v & ~X86_CR4_ALLOWED)
		return false;
	if (cpu_x86_long_mode(c) && !(v & X86_CR4_PAE))
		return false;
	/* SDM MOV CR4: LA57 cannot change in IA-32e mode (#GP). */
	if (cpu_x86_long_mode(c) && ((v ^ c->cr4) & X86_CR4_LA57))
		return false;
	/* SDM MOV CR4: PCIDE can be set only in IA-32e mode with CR3[11:0] = 0. */
	if ((v & X86_CR4_PCIDE) && !(c->cr4 & X86_CR4_PCIDE) &&
	    (!cpu_x86_long_mode(c) || (c->cr3 & X86_CR4_PCIDE_MASK)))
		return false;
	uint64_t old = c->cr4;
	c->cr4 = v;
	if ((old ^ v) & (X86_CR4_PAE | X86_CR4_PSE | X86_CR4_PGE | X86_CR4_PCIDE | X86_CR4_SMEP |
			 X86_CR4_SMAP | X86_CR4_LA57))
		cpu_x86_tlb_flush_all(c);
	return true;
}

bool cpu_x86_set_efer(struct cpu_x86 *c, uint64_t v)
{
	const uint64_t allowed = X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
	if (v & ~allowed)
		return false;
	/* SDM 9.8.5: LME cannot change while paging is on. */
	if ((c->cr0 & X86_CR0_PG) && ((v ^ c->efer) & X86_EFER_LME))
		return false;
	uint64_t old = c->efer;
	c->efer = (v & ~X86_EFER_LMA) | (c->efer & X86_EFER_LMA);
	cpu_x86_update_mode(c);
	if ((old ^ c->efer) & X86_EFER_NXE)
		cpu_x86_tlb_flush_all(c);
	return true;
}

bool cpu_x86_rdmsr(struct cpu_x86 *c, uint32_t msr, uint64_t *v)
{
	switch (msr) {
	case MSR_IA32_TSC: *v = cpu_x86_rdtsc(c); return true;
	case MSR_IA32_APIC_BASE: *v = c->apic_base; return true;
	case MSR_IA32_FEATURE_CONTROL: *v = 1; return true; /* locked, VMX off */
	case MSR_IA32_BIOS_SIGN_ID: *v = 0; return true;
	case MSR_IA32_MTRRCAP: *v = 0; return true;
	case MSR_IA32_SYSENTER_CS: *v = c->sysenter_cs; return true;
	case MSR_IA32_SYSENTER_ESP: *v = c->sysenter_esp; return true;
	case MSR_IA32_SYSENTER_EIP: *v = c->sysenter_eip; return true;
	case MSR_IA32_MCG_CAP: *v = 0; return true;
	case MSR_IA32_ARCH_CAPABILITIES: *v = X86_ARCH_CAPABILITIES; return true;
	case MSR_IA32_MCG_STATUS: *v = 0; return true;
	case MSR_IA32_MISC_ENABLE: *v = c->misc_enable; return true;
	case MSR_IA32_PAT: *v = c->pat; return true;
	case MSR_IA32_MTRR_DEF_TYPE: *v = c->mtrr_def_type; return true;
	case MSR_EFER: *v = c->efer; return true;
	case MSR_STAR: *v = c->star; return true;
	case MSR_LSTAR: *v = c->lstar; return true;
	case MSR_CSTAR: *v = c->cstar; return true;
	case MSR_SFMASK: *v = c->sfmask; return true;
	case MSR_FS_BASE: *v = c->seg[X86_SEG_FS].base; return true;
	case MSR_GS_BASE: *v = c->seg[X86_SEG_GS].base; return true;
	case MSR_KERNEL_GS_BASE: *v = c->kernel_gs_base; return true;
	case MSR_TSC_AUX: *v = c->tsc_aux; return true;
	case MSR_IA32_XSS: *v = c->xss; return true;
	default: return false;
	}
}

bool cpu_x86_wrmsr(struct cpu_x86 *c, uint32_t msr, uint64_t v)
{
	switch (msr) {
	case MSR_IA32_TSC: c->tsc_offset = v - cpu_icount(&c->cpu); return true;
	case MSR_IA32_APIC_BASE:
		if (v & 0x2ffull) /* reserved bits 7:0 and 9 */
			return false;
		c->apic_base = v;
		return true;
	case MSR_IA32_BIOS_SIGN_ID: return true;
	case MSR_IA32_SYSENTER_CS: c->sysenter_cs = v & 0xffff; return true;
	case MSR_IA32_SYSENTER_ESP: c->sysenter_esp = v; return cpu_x86_canonical_max(v);
	case MSR_IA32_SYSENTER_EIP: c->sysenter_eip = v; return cpu_x86_canonical_max(v);
	case MSR_IA32_MCG_STATUS: return v == 0;
	case MSR_IA32_MISC_ENABLE: c->misc_enable = v; return true;
	case MSR_IA32_PAT: c->pat = v; return true;
	case MSR_IA32_MTRR_DEF_TYPE: c->mtrr_def_type = v & 0xcff; return true;
	case MSR_EFER: return cpu_x86_set_efer(c, v);
	case MSR_STAR: c->star = v; return true;
	case MSR_LSTAR:
		if (!cpu_x86_canonical_max(v))
			return false;
		c->lstar = v;
		return true;
	case MSR_CSTAR:
		if (!cpu_x86_canonical_max(v))
			return false;
		c->cstar = v;
		return true;
	case MSR_SFMASK: c->sfmask = v & 0xffffffffull; return true;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
		if (!cpu_x86_canonical_max(v))
			return false;
		if (msr == MSR_KERNEL_GS_BASE)
			c->kernel_gs_base = v;
		else
			c->seg[msr == MSR_FS_BASE ? X86_SEG_FS : X86_SEG_GS].base = v;
		return true;
	case MSR_TSC_AUX: c->tsc_aux = v & 0xffffffffull; return true;
	case MSR_IA32_XSS:
		/* No supervisor state component is implemented (CPUID
		 * 0xD.1.ECX/EDX = 0): only 0 is valid. */
		if (v)
			return false;
		c->xss = v;
		return true;
	default: return false;
	}
}

/* ---- segments ----------------------------------------------------------------- */

/* Leave after a failed descriptor access: r = 1 (beyond the table limit,
 * fault vector(sel)), CPU_XLAT_FAULT (#PF recorded) or CPU_XLAT_EXIT. */
SV_NORETURN static void x86_desc_fail(struct cpu_x86 *c, int r, unsigned vector, uint16_t sel)
{
	if (r == CPU_XLAT_EXIT)
		cpu_loop_exit_exit(&c->cpu);
	if (r == 1 || r == 0)
		cpu_x86_set_exception(c, vector, true, sel & ~3u);
	cpu_loop_exit_fault(&c->cpu);
}

/* Set the accessed bit of a code/data descriptor (SDM 3.4.5.1). */
static int x86_desc_set_accessed(struct cpu_x86 *c, uint16_t sel, uint64_t d)
{
	if ((d >> 40) & 1)
		return 0;
	uint64_t base = (sel & 4) ? c->seg[X86_SEG_LDTR].base : c->gdtr.base;
	uint8_t b = (uint8_t)((d >> 40) | 1);
	return cpu_x86_access_linear(c, base + (sel & ~7u) + 5, &b, 1, MMU_WRITE, false);
}

/* SDM MOV/POP Sreg in protected mode. */
bool cpu_x86_load_seg(struct cpu_x86 *c, enum x86_seg_reg s, uint16_t sel)
{
	struct x86_seg *seg = &c->seg[s];
	if (!(c->cr0 & X86_CR0_PE)) {
		seg->sel = sel;
		seg->base = (uint64_t)sel << 4;
		return true;
	}
	unsigned rpl = sel & 3;
	if ((sel & ~3u) == 0) {
		if (s == X86_SEG_SS) {
			if (!(cpu_x86_code64(c) && c->cpl != 3 && rpl == c->cpl)) {
				cpu_x86_set_exception(c, X86_EXC_GP, true, 0);
				return false;
			}
			seg->sel = sel;
			seg->attr = X86_SEG_ATTR_UNUSABLE | (c->cpl << X86_SEG_ATTR_DPL_SHIFT);
			seg->base = 0;
			return true;
		}
		seg->sel = sel;
		seg->attr = X86_SEG_ATTR_UNUSABLE;
		seg->base = 0;
		return true;
	}
	uint64_t d[2];
	int r = x86_read_desc(c, sel, d, false);
	if (r == 1)
		cpu_x86_set_exception(c, X86_EXC_GP, true, sel & ~3u);
	if (r) {
		c->load_seg_err = r;
		return false;
	}
	struct x86_seg ns;
	x86_desc_to_seg(d[0], 0, sel, &ns);
	unsigned dpl = (ns.attr >> X86_SEG_ATTR_DPL_SHIFT) & 3, type = ns.attr & 15;
	bool code = type & 8, sys = !(ns.attr & X86_SEG_ATTR_S);
	if (s == X86_SEG_SS) {
		if (sys || code || !(type & 2) || rpl != c->cpl || dpl != c->cpl) {
			cpu_x86_set_exception(c, X86_EXC_GP, true, sel & ~3u);
			return false;
		}
		if (!(ns.attr & X86_SEG_ATTR_P)) {
			cpu_x86_set_exception(c, X86_EXC_SS, true, sel & ~3u);
			return false;
		}
	} else {
		bool conforming = code && (type & 4);
		if (sys || (code && !(type & 2)) || (!conforming && (rpl > dpl || c->cpl > dpl))) {
			cpu_x86_set_exception(c, X86_EXC_GP, true, sel & ~3u);
			return false;
		}
		if (!(ns.attr & X86_SEG_ATTR_P)) {
			cpu_x86_set_exception(c, X86_EXC_NP, true, sel & ~3u);
			return false;
		}
	}
	r = x86_desc_set_accessed(c, sel, d[0]);
	if (r < 0) {
		c->load_seg_err = r;
		return false;
	}
	ns.attr |= 1;
	*seg = ns;
	if (s == X86_SEG_SS)
		cpu_x86_update_mode(c);
	return true;
}

uint64_t x86_helper_load_seg(struct cpu *cpu, uint64_t seg, uint64_t sel, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	c->load_seg_err = 0;
	if (!cpu_x86_load_seg(c, (enum x86_seg_reg)seg, (uint16_t)sel)) {
		if (c->load_seg_err == CPU_XLAT_EXIT)
			cpu_loop_exit_exit(cpu);
		cpu_loop_exit_fault(cpu);
	}
	if (seg == X86_SEG_SS) {
		/* SDM MOV SS: blocks interrupts for one instruction. */
		c->intr_shadow = true;
		c->intr_shadow_icount = cpu_icount(cpu) + 2;
	}
	return 0;
}

uint64_t x86_helper_lgdt(struct cpu *cpu, uint64_t la, uint64_t which, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned idx = cpu_x86_mmu_idx(c);
	uint64_t limit = cpu_ld(cpu, la, IR_MO_16, idx);
	uint64_t base = (which & 2) ? cpu_ld(cpu, la + 2, IR_MO_64, idx) :
				      cpu_ld(cpu, (uint32_t)(la + 2), IR_MO_32, idx);
	if (!(which & 2) && !(which & 4))
		base &= 0xffffff;
	if ((which & 2) && !cpu_x86_canonical_max(base))
		x86_gp0(c);
	struct x86_dtr *t = (which & 1) ? &c->idtr : &c->gdtr;
	t->base = base;
	t->limit = (uint32_t)limit;
	return 0;
}

uint64_t x86_helper_sgdt(struct cpu *cpu, uint64_t la, uint64_t which, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned idx = cpu_x86_mmu_idx(c);
	const struct x86_dtr *t = (which & 1) ? &c->idtr : &c->gdtr;
	if (which & 2) {
		cpu_st(cpu, la + 2, IR_MO_64, idx, t->base);
	} else {
		cpu_st(cpu, (uint32_t)(la + 2), IR_MO_32, idx, t->base);
	}
	cpu_st(cpu, la, IR_MO_16, idx, t->limit);
	return 0;
}

/* LLDT / LTR (SDM): GDT-only system descriptors, 16 bytes in IA-32e mode. */
static void x86_load_sys_seg(struct cpu_x86 *c, uint16_t sel, bool tr)
{
	bool lm = cpu_x86_long_mode(c);
	struct x86_seg *seg = &c->seg[tr ? X86_SEG_TR : X86_SEG_LDTR];
	if ((sel & ~3u) == 0) {
		if (tr)
			x86_gp0(c);
		seg->sel = sel;
		seg->attr = X86_SEG_ATTR_UNUSABLE;
		return;
	}
	if (sel & 4)
		cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
	uint64_t d[2];
	int r = x86_read_desc(c, sel, d, lm);
	if (r) {
		x86_desc_fail(c, r, X86_EXC_GP, sel);
	}
	struct x86_seg ns;
	x86_desc_to_seg(d[0], lm ? d[1] : 0, sel, &ns);
	unsigned type = ns.attr & 15;
	bool ok =
		!(ns.attr & X86_SEG_ATTR_S) && (tr ? (type == 9 || (!lm && type == 1)) : type == 2);
	if (!ok)
		cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
	if (!(ns.attr & X86_SEG_ATTR_P))
		cpu_x86_raise_exception(c, X86_EXC_NP, true, sel & ~3u);
	if (tr) {
		/* Mark the TSS busy in the GDT. */
		uint8_t b = (uint8_t)((d[0] >> 40) | 2);
		int w = cpu_x86_access_linear(c, c->gdtr.base + (sel & ~7u) + 5, &b, 1, MMU_WRITE,
					      false);
		if (w < 0)
			x86_desc_fail(c, w, 0, 0);
		ns.attr |= 2;
	}
	*seg = ns;
}

uint64_t x86_helper_lldt(struct cpu *cpu, uint64_t sel, uint64_t b, uint64_t c_, uint64_t e)
{
	x86_load_sys_seg(X(cpu), (uint16_t)sel, false);
	return 0;
}

uint64_t x86_helper_ltr(struct cpu *cpu, uint64_t sel, uint64_t b, uint64_t c_, uint64_t e)
{
	x86_load_sys_seg(X(cpu), (uint16_t)sel, true);
	return 0;
}

/*
 * LAR, LSL, VERR, VERW (SDM vol. 2): is the segment sel names visible at
 * CPL and RPL, and of a type the instruction accepts? ZF = 1 and (LAR) the
 * access rights of the descriptor's high dword masked with 00F0FF00H or
 * (LSL) the limit, scaled by G; else ZF = 0 and the register is unchanged.
 * A null selector or one beyond the table limit is ZF = 0, not a fault; a
 * fault on the descriptor read itself (#PF) is raised.
 */
static bool x86_segchk_type_ok(unsigned op, bool lm, uint32_t attr)
{
	unsigned type = attr & 15;
	bool code = type & 8;
	if (attr & X86_SEG_ATTR_S) {
		if (op == 2) /* VERR: data, or readable code */
			return !code || (type & 2);
		if (op == 3) /* VERW: writable data */
			return !code && (type & 2);
		return true;
	}
	if (op >= 2)
		return false;
	/* System types: LDT and (busy) TSSs; LAR also gates. IA-32e mode
	 * has no 16-bit TSSs or gates and no task gate. */
	if (lm)
		return type == 2 || type == 9 || type == 0xb || (op == 0 && type == 0xc);
	if (type == 1 || type == 2 || type == 3 || type == 9 || type == 0xb)
		return true;
	return op == 0 && (type == 4 || type == 5 || type == 0xc);
}

uint64_t x86_helper_segchk(struct cpu *cpu, uint64_t sel, uint64_t info, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned op = info & 3, reg = (info >> 4) & 15, osz = (info >> 8) & 3;
	uint64_t fl = cpu_x86_compute_flags(c) & ~(uint64_t)X86_FLAG_ZF;
	uint16_t s = (uint16_t)sel;
	uint64_t d[2] = { 0, 0 };
	bool ok = (s & ~3u) != 0;
	if (ok) {
		int r = x86_read_desc(c, s, d, false);
		if (r == CPU_XLAT_EXIT)
			cpu_loop_exit_exit(cpu);
		if (r < 0)
			cpu_loop_exit_fault(cpu);
		ok = r == 0;
	}
	struct x86_seg seg;
	if (ok) {
		x86_desc_to_seg(d[0], 0, s, &seg);
		unsigned dpl = (seg.attr >> X86_SEG_ATTR_DPL_SHIFT) & 3, type = seg.attr & 15;
		bool conforming = (seg.attr & X86_SEG_ATTR_S) && (type & 0xc) == 0xc;
		ok = x86_segchk_type_ok(op, cpu_x86_long_mode(c), seg.attr) &&
		     (conforming || (dpl >= c->cpl && dpl >= (s & 3u)));
	}
	x86_set_flags_cc(c, fl | (ok ? X86_FLAG_ZF : 0));
	if (ok && op == 0)
		x86_write_gpr(c, reg, osz, (d[0] >> 32) & (osz == 1 ? 0xff00u : 0x00f0ff00u));
	else if (ok && op == 1)
		x86_write_gpr(c, reg, osz, seg.limit);
	return 0;
}

/* ARPL (SDM): raise the destination selector's RPL to the source's. */
uint64_t x86_helper_arpl(struct cpu *cpu, uint64_t dst, uint64_t src, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	uint64_t fl = cpu_x86_compute_flags(c) & ~(uint64_t)X86_FLAG_ZF;
	bool raise = (dst & 3) < (src & 3);
	x86_set_flags_cc(c, fl | (raise ? X86_FLAG_ZF : 0));
	return raise ? (dst & 0xfffc) | (src & 3) : dst & 0xffff;
}

uint64_t x86_helper_swapgs(struct cpu *cpu, uint64_t a, uint64_t b, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	uint64_t t = c->seg[X86_SEG_GS].base;
	c->seg[X86_SEG_GS].base = c->kernel_gs_base;
	c->kernel_gs_base = t;
	return 0;
}

/* ---- far transfers -------------------------------------------------------------- */

/*
 * Check and read the code segment of a far JMP/CALL/RET/IRET target (SDM JMP
 * "far jumps in protected mode", RET "return to other privilege level").
 * ret: return-type checks (RPL >= CPL, new CPL = RPL). Call gates are
 * x86_far_call_gate's, task switches x86_far_task_switch's.
 */
static void x86_target_cs(struct cpu_x86 *c, uint16_t sel, bool ret, struct x86_seg *cs,
			  unsigned *new_cpl)
{
	if ((sel & ~3u) == 0)
		x86_gp0(c);
	uint64_t d[2];
	int r = x86_read_desc(c, sel, d, false);
	if (r) {
		x86_desc_fail(c, r, X86_EXC_GP, sel);
	}
	x86_desc_to_seg(d[0], 0, sel, cs);
	unsigned dpl = (cs->attr >> X86_SEG_ATTR_DPL_SHIFT) & 3, rpl = sel & 3;
	bool code = (cs->attr & X86_SEG_ATTR_S) && (cs->attr & 8);
	bool conforming = code && (cs->attr & 4);
	if (!code)
		cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
	if (ret) {
		if (rpl < c->cpl || (conforming ? dpl > rpl : dpl != rpl))
			cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
		*new_cpl = rpl;
	} else {
		if (conforming ? dpl > c->cpl : (rpl > c->cpl || dpl != c->cpl))
			cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
		*new_cpl = c->cpl;
	}
	if (cpu_x86_long_mode(c) && (cs->attr & X86_SEG_ATTR_L) && (cs->attr & X86_SEG_ATTR_DB))
		cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
	if (!(cs->attr & X86_SEG_ATTR_P))
		cpu_x86_raise_exception(c, X86_EXC_NP, true, sel & ~3u);
	cs->sel = (uint16_t)((sel & ~3u) | *new_cpl);
	cs->attr |= 1;
}

static uint64_t x86_target_rip(const struct cpu_x86 *c, const struct x86_seg *cs, uint64_t off,
			       unsigned osz)
{
	bool to64 = cpu_x86_long_mode(c) && (cs->attr & X86_SEG_ATTR_L);
	if (osz == 1)
		return off & 0xffff;
	return to64 ? off : (uint32_t)off;
}

/*
 * A far JMP or CALL to a TSS or a task gate outside IA-32e mode (SDM JMP/
 * CALL "task switch", 7.3): DPL >= max(CPL, RPL) of the TSS descriptor or
 * the gate (#GP(sel)), a present gate (#NP); then the task switch, which
 * is a VM exit in VMX non-root operation (SDM 25.4.2: qualification = the
 * TSS selector and the source, 0 CALL / 2 JMP) that hv performs. Returns
 * if sel names a code segment.
 */
static void x86_far_task_switch(struct cpu_x86 *c, uint16_t sel, bool call, uint64_t next)
{
	uint64_t d[2];
	int r;

	if (cpu_x86_long_mode(c) || (sel & ~3u) == 0)
		return;
	r = x86_read_desc(c, sel, d, false);
	if (r)
		return; /* x86_target_cs reports it */
	unsigned type = (unsigned)(d[0] >> 40) & 0x1f, dpl = (unsigned)(d[0] >> 45) & 3;
	uint16_t tss = sel;
	if (type != 1 && type != 9 && type != 5)
		return;
	if (dpl < c->cpl || dpl < (sel & 3u))
		cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
	if (type == 5) {
		if (!((d[0] >> 47) & 1))
			cpu_x86_raise_exception(c, X86_EXC_NP, true, sel & ~3u);
		tss = (uint16_t)(d[0] >> 16);
	}
	uint64_t rip = (c->cpu.insn_pc - c->seg[X86_SEG_CS].base) & 0xffffffffull;
	cpu_x86_vmexit_now(c, VMX_EXIT_TASK_SWITCH, tss | ((call ? 0u : 2u) << 30), rip,
			   (uint32_t)((uint32_t)next - (uint32_t)rip));
}

static void x86_set_sp(struct cpu_x86 *c, uint64_t sp);

/* Leave after a failed linear access of a far transfer (the #PF is recorded,
 * or an EPT violation's exit). */
SV_NORETURN static void x86_access_fail(struct cpu_x86 *c, int r)
{
	if (r == CPU_XLAT_EXIT)
		cpu_loop_exit_exit(&c->cpu);
	cpu_loop_exit_fault(&c->cpu);
}

/*
 * The inner stack of a CALL through a call gate to privilege level cpl
 * (SDM 5.8.5, CALL "more privilege"): SS:ESP from the 32-bit or 16-bit TSS,
 * RSP from the 64-bit TSS with a null SS in IA-32e mode. #TS(TSS) if the
 * TSS is too short; #TS(SS) for a null, unreadable or unsuitable SS (RPL
 * and DPL = cpl, writable data); #SS(SS) if it is not present.
 */
static void x86_gate_stack(struct cpu_x86 *c, unsigned cpl, struct x86_seg *ss, uint64_t *sp)
{
	const struct x86_seg *tr = &c->seg[X86_SEG_TR];
	uint16_t tr_err = tr->sel & ~3u;
	uint8_t b[8];
	int r;
	if (cpu_x86_long_mode(c)) {
		if (4 + 8 * cpl + 7 > tr->limit)
			cpu_x86_raise_exception(c, X86_EXC_TS, true, tr_err);
		r = cpu_x86_access_linear(c, tr->base + 4 + 8 * cpl, b, 8, MMU_READ, false);
		if (r)
			x86_access_fail(c, r);
		*sp = ld64_le_p(b);
		*ss = (struct x86_seg){ (uint16_t)cpl, 0, 0,
					X86_SEG_ATTR_UNUSABLE | (cpl << X86_SEG_ATTR_DPL_SHIFT) };
		return;
	}
	bool tss32 = (tr->attr & 8) != 0;
	unsigned off = tss32 ? 4 + 8 * cpl : 2 + 4 * cpl, len = tss32 ? 6 : 4;
	if (off + len - 1 > tr->limit)
		cpu_x86_raise_exception(c, X86_EXC_TS, true, tr_err);
	r = cpu_x86_access_linear(c, tr->base + off, b, len, MMU_READ, false);
	if (r)
		x86_access_fail(c, r);
	*sp = tss32 ? ld32_le_p(b) : ld16_le_p(b);
	uint16_t sel = (uint16_t)ld16_le_p(b + len - 2);
	uint64_t d[2];
	if ((sel & ~3u) == 0)
		cpu_x86_raise_exception(c, X86_EXC_TS, true, 0);
	r = x86_read_desc(c, sel, d, false);
	if (r)
		x86_desc_fail(c, r, X86_EXC_TS, sel);
	x86_desc_to_seg(d[0], 0, sel, ss);
	unsigned dpl = (ss->attr >> X86_SEG_ATTR_DPL_SHIFT) & 3, type = ss->attr & 15;
	if ((sel & 3u) != cpl || dpl != cpl || !(ss->attr & X86_SEG_ATTR_S) || (type & 8) ||
	    !(type & 2))
		cpu_x86_raise_exception(c, X86_EXC_TS, true, sel & ~3u);
	if (!(ss->attr & X86_SEG_ATTR_P))
		cpu_x86_raise_exception(c, X86_EXC_SS, true, sel & ~3u);
	ss->attr |= 1;
}

/*
 * Write the n values v[0..n-1] of w bytes each below sp in segment ss, v[0]
 * highest (the order of pushes), as user accesses if user; mask: the stack
 * pointer's size (all ones: 64-bit, no limit). #SS(err) if they do not fit
 * in the segment.
 */
static void x86_gate_push(struct cpu_x86 *c, const struct x86_seg *ss, uint64_t sp, uint64_t mask,
			  const uint64_t *v, unsigned n, unsigned w, bool user, uint16_t err)
{
	uint8_t buf[40 * 4];
	uint64_t top = (sp - (uint64_t)n * w) & mask;
	if (mask != ~0ull && !cpu_x86_seg_in_limit(ss, top, n * w))
		cpu_x86_raise_exception(c, X86_EXC_SS, true, err);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = buf + (size_t)(n - 1 - i) * w;
		if (w == 8)
			st64_le_p(p, v[i]);
		else if (w == 4)
			st32_le_p(p, (uint32_t)v[i]);
		else
			st16_le_p(p, (uint16_t)v[i]);
	}
	uint64_t la = mask == ~0ull ? top : (uint32_t)(ss->base + top);
	int r = cpu_x86_access_linear(c, la, buf, (size_t)n * w, MMU_WRITE, user);
	if (r)
		x86_access_fail(c, r);
}

/*
 * A far JMP or CALL through a call gate (SDM 5.8.3-5.8.6; JMP and CALL,
 * "call gate"): 16- and 32-bit gates outside IA-32e mode, 64-bit gates
 * (16 bytes, a 64-bit code segment as target) in it. Checks in the SDM's
 * order: gate DPL >= CPL and RPL (#GP(gate)), gate present (#NP(gate)),
 * a non-null target selector (#GP(0)) naming a code segment with DPL <=
 * CPL (#GP(code)) - for JMP a conforming one or DPL = CPL - present
 * (#NP(code)). A CALL to a more privileged non-conforming segment switches
 * to the inner stack from the TSS (x86_gate_stack) and pushes the caller's
 * SS and SP, the gate's parameter count of words or dwords copied from the
 * caller's stack (none for 64-bit gates), CS and IP; otherwise CS and IP
 * go on the current stack. The pushes are the gate's size. Returns false
 * if sel does not name a call gate.
 */
static bool x86_far_call_gate(struct cpu_x86 *c, uint16_t sel, bool call, uint64_t ret_ip)
{
	bool lm = cpu_x86_long_mode(c);
	uint64_t d[2], cd[2];
	int r;

	if ((sel & ~3u) == 0 || x86_read_desc(c, sel, d, false))
		return false; /* x86_target_cs reports it */
	unsigned type = (unsigned)(d[0] >> 40) & 0x1f, gdpl = (unsigned)(d[0] >> 45) & 3;
	bool gate16 = !lm && type == 4;
	if (type != 0xc && !gate16)
		return false;
	if (gdpl < c->cpl || gdpl < (sel & 3u))
		cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
	if (!((d[0] >> 47) & 1))
		cpu_x86_raise_exception(c, X86_EXC_NP, true, sel & ~3u);
	uint64_t off = (d[0] & 0xffff) | (gate16 ? 0 : (d[0] >> 32) & 0xffff0000ull);
	if (lm) {
		/* The upper half's type field must be 0 (SDM 5.8.3.1). */
		r = x86_read_desc(c, sel, d, true);
		if (r)
			x86_desc_fail(c, r, X86_EXC_GP, sel);
		if ((d[1] >> 40) & 0x1f)
			cpu_x86_raise_exception(c, X86_EXC_GP, true, sel & ~3u);
		off |= (d[1] & 0xffffffffull) << 32;
	}
	uint16_t csel = (uint16_t)(d[0] >> 16);
	unsigned nparams = lm ? 0 : (unsigned)(d[0] >> 32) & 0x1f;

	if ((csel & ~3u) == 0)
		x86_gp0(c);
	r = x86_read_desc(c, csel, cd, false);
	if (r)
		x86_desc_fail(c, r, X86_EXC_GP, csel);
	struct x86_seg cs;
	x86_desc_to_seg(cd[0], 0, csel, &cs);
	unsigned dpl = (cs.attr >> X86_SEG_ATTR_DPL_SHIFT) & 3;
	bool code = (cs.attr & X86_SEG_ATTR_S) && (cs.attr & 8);
	bool conforming = code && (cs.attr & 4);
	if (!code || dpl > c->cpl || (!call && !conforming && dpl != c->cpl))
		cpu_x86_raise_exception(c, X86_EXC_GP, true, csel & ~3u);
	if (lm && (!(cs.attr & X86_SEG_ATTR_L) || (cs.attr & X86_SEG_ATTR_DB)))
		cpu_x86_raise_exception(c, X86_EXC_GP, true, csel & ~3u);
	if (!(cs.attr & X86_SEG_ATTR_P))
		cpu_x86_raise_exception(c, X86_EXC_NP, true, csel & ~3u);
	unsigned new_cpl = call && !conforming ? dpl : c->cpl;
	cs.sel = (uint16_t)((csel & ~3u) | new_cpl);
	cs.attr |= 1;
	if (!lm)
		off &= 0xffffffffull;

	if (call) {
		unsigned w = lm ? 8 : gate16 ? 2 : 4;
		uint64_t v[36], sp = c->regs[X86_RSP];
		unsigned n = 0;
		if (new_cpl < c->cpl) {
			struct x86_seg ss;
			uint64_t nsp;
			x86_gate_stack(c, new_cpl, &ss, &nsp);
			v[n++] = c->seg[X86_SEG_SS].sel;
			v[n++] = sp;
			/* The parameters, read through the caller's SS
			 * (#SS(0) beyond it) and with its privilege. */
			uint64_t spm = x86_sp_mask(c);
			if (nparams)
				cpu_x86_seg_check(c, X86_SEG_SS, sp & spm, nparams * w, false);
			for (unsigned i = nparams; i-- > 0;) {
				uint8_t b[4] = { 0 };
				r = cpu_x86_access_linear(c, x86_stack_la(c, sp + i * w), b, w,
							  MMU_READ, c->cpl == 3);
				if (r)
					x86_access_fail(c, r);
				v[n++] = ld32_le_p(b);
			}
			v[n++] = c->seg[X86_SEG_CS].sel;
			v[n++] = ret_ip;
			uint64_t mask = lm                          ? ~0ull :
					(ss.attr & X86_SEG_ATTR_DB) ? 0xffffffffull :
								      0xffffull;
			x86_gate_push(c, &ss, nsp, mask, v, n, w, new_cpl == 3, ss.sel & ~3u);
			c->seg[X86_SEG_SS] = ss;
			c->regs[X86_RSP] = (nsp - (uint64_t)n * w) & mask;
		} else {
			v[n++] = c->seg[X86_SEG_CS].sel;
			v[n++] = ret_ip;
			x86_gate_push(c, &c->seg[X86_SEG_SS], sp, x86_sp_mask(c), v, n, w,
				      c->cpl == 3, 0);
			x86_set_sp(c, sp - (uint64_t)n * w);
		}
	}
	c->seg[X86_SEG_CS] = cs;
	c->rip = off;
	cpu_x86_update_mode(c);
	return true;
}

uint64_t x86_helper_ljmp(struct cpu *cpu, uint64_t sel, uint64_t off, uint64_t osz, uint64_t next)
{
	struct cpu_x86 *c = X(cpu);
	if (c->cr0 & X86_CR0_PE) {
		x86_far_task_switch(c, (uint16_t)sel, false, next);
		if (x86_far_call_gate(c, (uint16_t)sel, false, 0))
			return 0;
	}
	if (!(c->cr0 & X86_CR0_PE)) {
		c->seg[X86_SEG_CS].sel = (uint16_t)sel;
		c->seg[X86_SEG_CS].base = (sel & 0xffff) << 4;
		c->rip = osz == 1 ? (off & 0xffff) : (uint32_t)off;
		return 0;
	}
	struct x86_seg cs;
	unsigned cpl;
	x86_target_cs(c, (uint16_t)sel, false, &cs, &cpl);
	c->seg[X86_SEG_CS] = cs;
	c->rip = x86_target_rip(c, &cs, off, (unsigned)osz);
	cpu_x86_update_mode(c);
	return 0;
}

uint64_t x86_sp_mask(const struct cpu_x86 *c)
{
	if (cpu_x86_code64(c))
		return ~0ull;
	return (c->seg[X86_SEG_SS].attr & X86_SEG_ATTR_DB) ? 0xffffffffull : 0xffffull;
}

uint64_t x86_stack_la(const struct cpu_x86 *c, uint64_t sp)
{
	if (cpu_x86_code64(c))
		return sp;
	return (uint32_t)(c->seg[X86_SEG_SS].base + (sp & x86_sp_mask(c)));
}

/* The segment checks (seg.c) of count stack slots of n bytes from sp up,
 * each wrapping with the stack pointer's size, before a far transfer
 * reads or writes them: #SS(0) beyond SS's limit. */
static void x86_stack_check(struct cpu_x86 *c, uint64_t sp, unsigned count, unsigned n, bool write)
{
	uint64_t m = x86_sp_mask(c);
	for (unsigned i = 0; i < count; i++)
		cpu_x86_seg_check(c, X86_SEG_SS, (sp + (uint64_t)i * n) & m, n, write);
}

static void x86_set_sp(struct cpu_x86 *c, uint64_t sp)
{
	uint64_t m = x86_sp_mask(c);
	c->regs[X86_RSP] = (c->regs[X86_RSP] & ~m) | (sp & m);
}

uint64_t x86_helper_lcall(struct cpu *cpu, uint64_t sel, uint64_t off, uint64_t osz, uint64_t rip)
{
	struct cpu_x86 *c = X(cpu);
	unsigned idx = cpu_x86_mmu_idx(c), n = 1u << osz;
	uint64_t sp = c->regs[X86_RSP];
	struct x86_seg cs;
	unsigned cpl;
	if (c->cr0 & X86_CR0_PE) {
		x86_far_task_switch(c, (uint16_t)sel, true, rip);
		if (x86_far_call_gate(c, (uint16_t)sel, true, rip))
			return 0;
		x86_target_cs(c, (uint16_t)sel, false, &cs, &cpl);
	}
	x86_stack_check(c, sp - 2 * n, 2, n, true);
	cpu_st(cpu, x86_stack_la(c, sp - n), (unsigned)osz, idx, c->seg[X86_SEG_CS].sel);
	cpu_st(cpu, x86_stack_la(c, sp - 2 * n), (unsigned)osz, idx, rip);
	x86_set_sp(c, sp - 2 * n);
	if (!(c->cr0 & X86_CR0_PE)) {
		c->seg[X86_SEG_CS].sel = (uint16_t)sel;
		c->seg[X86_SEG_CS].base = (sel & 0xffff) << 4;
		c->rip = off & (osz == 1 ? 0xffff : 0xffffffff);
		return 0;
	}
	c->seg[X86_SEG_CS] = cs;
	c->rip = x86_target_rip(c, &cs, off, (unsigned)osz);
	cpu_x86_update_mode(c);
	return 0;
}

/*
 * Return to another privilege level: load SS:RSP popped from the stack
 * (SDM RET/IRET). In 64-bit mode a null SS is allowed for CPL < 3.
 */
static void x86_return_stack(struct cpu_x86 *c, uint16_t ss_sel, uint64_t rsp, unsigned new_cpl,
			     bool to64)
{
	struct x86_seg ss;
	if ((ss_sel & ~3u) == 0) {
		if (!(to64 && new_cpl != 3 && (ss_sel & 3) == new_cpl))
			x86_gp0(c);
		ss = (struct x86_seg){
			ss_sel, 0, 0, X86_SEG_ATTR_UNUSABLE | (new_cpl << X86_SEG_ATTR_DPL_SHIFT)
		};
	} else {
		uint64_t d[2];
		int r = x86_read_desc(c, ss_sel, d, false);
		if (r) {
			x86_desc_fail(c, r, X86_EXC_GP, ss_sel);
		}
		x86_desc_to_seg(d[0], 0, ss_sel, &ss);
		unsigned dpl = (ss.attr >> X86_SEG_ATTR_DPL_SHIFT) & 3, type = ss.attr & 15;
		if (!(ss.attr & X86_SEG_ATTR_S) || (type & 8) || !(type & 2) ||
		    (ss_sel & 3) != new_cpl || dpl != new_cpl)
			cpu_x86_raise_exception(c, X86_EXC_GP, true, ss_sel & ~3u);
		if (!(ss.attr & X86_SEG_ATTR_P))
			cpu_x86_raise_exception(c, X86_EXC_SS, true, ss_sel & ~3u);
	}
	c->seg[X86_SEG_SS] = ss;
	c->regs[X86_RSP] = to64 ? rsp : (uint32_t)rsp;
}

/*
 * After a RET or IRET to an outer privilege level (SDM RET and IRET,
 * "return to outer privilege level"): each of ES, FS, GS and DS that holds
 * a data or non-conforming code segment the new CPL could not load (DPL <
 * CPL) is made null. The base stays (FS/GS bases in IA-32e mode).
 */
static void x86_null_inner_segs(struct cpu_x86 *c, unsigned cpl)
{
	static const unsigned segs[] = { X86_SEG_ES, X86_SEG_FS, X86_SEG_GS, X86_SEG_DS };
	for (unsigned i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		struct x86_seg *s = &c->seg[segs[i]];
		unsigned dpl = (s->attr >> X86_SEG_ATTR_DPL_SHIFT) & 3;
		bool conforming = (s->attr & X86_SEG_ATTR_S) && (s->attr & 0xc) == 0xc;
		if ((s->attr & X86_SEG_ATTR_UNUSABLE) || conforming || dpl >= cpl)
			continue;
		s->sel = 0;
		s->attr = X86_SEG_ATTR_UNUSABLE;
	}
}

uint64_t x86_helper_lret(struct cpu *cpu, uint64_t osz, uint64_t imm, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned idx = cpu_x86_mmu_idx(c), n = 1u << osz;
	uint64_t sp = c->regs[X86_RSP];
	x86_stack_check(c, sp, 2, n, false);
	uint64_t off = cpu_ld(cpu, x86_stack_la(c, sp), (unsigned)osz, idx);
	uint16_t sel = (uint16_t)cpu_ld(cpu, x86_stack_la(c, sp + n), IR_MO_16, idx);
	if (!(c->cr0 & X86_CR0_PE)) {
		c->seg[X86_SEG_CS].sel = sel;
		c->seg[X86_SEG_CS].base = (uint64_t)sel << 4;
		c->rip = off;
		x86_set_sp(c, sp + 2 * n + imm);
		return 0;
	}
	struct x86_seg cs;
	unsigned cpl;
	x86_target_cs(c, sel, true, &cs, &cpl);
	bool to64 = cpu_x86_long_mode(c) && (cs.attr & X86_SEG_ATTR_L);
	if (cpl > c->cpl) {
		uint64_t nsp = sp + 2 * n + imm;
		x86_stack_check(c, nsp, 2, n, false);
		uint64_t rsp = cpu_ld(cpu, x86_stack_la(c, nsp), (unsigned)osz, idx);
		uint16_t ss = (uint16_t)cpu_ld(cpu, x86_stack_la(c, nsp + n), IR_MO_16, idx);
		x86_return_stack(c, ss, rsp + imm, cpl, to64);
		x86_null_inner_segs(c, cpl);
	} else {
		x86_set_sp(c, sp + 2 * n + imm);
	}
	c->seg[X86_SEG_CS] = cs;
	c->rip = x86_target_rip(c, &cs, off, (unsigned)osz);
	cpu_x86_update_mode(c);
	return 0;
}

/* IRET/IRETD/IRETQ (SDM IRET): real mode, protected-mode return to the
 * same or an outer level, and IA-32e mode (64-bit mode always pops SS:RSP).
 * A task return (NT outside IA-32e mode) is a task switch to the TSS in the
 * current TSS's link field: a VM exit (SDM 25.4.2) that hv performs. */
uint64_t x86_helper_iret(struct cpu *cpu, uint64_t osz, uint64_t len, uint64_t c_, uint64_t e)
{
	struct cpu_x86 *c = X(cpu);
	unsigned idx = cpu_x86_mmu_idx(c), n = 1u << osz, sz = (unsigned)osz;
	uint64_t sp = c->regs[X86_RSP];
	uint64_t v[5];
	bool code64 = cpu_x86_code64(c);
	/* SDM 6.7.1: IRET ends blocking by NMI (even if it then faults). */
	c->nmi_blocked = false;
	if ((c->cr0 & X86_CR0_PE) && !cpu_x86_long_mode(c) && (c->rflags & X86_FLAG_NT)) {
		uint16_t link = (uint16_t)cpu_ld(cpu, c->seg[X86_SEG_TR].base, IR_MO_16, idx);
		uint64_t rip = (c->cpu.insn_pc - c->seg[X86_SEG_CS].base) & 0xffffffffull;
		cpu_x86_vmexit_now(c, VMX_EXIT_TASK_SWITCH, link | (1u << 30), rip, (uint32_t)len);
	}
	x86_stack_check(c, sp, 3, n, false);
	for (unsigned i = 0; i < 3; i++)
		v[i] = cpu_ld(cpu, x86_stack_la(c, sp + i * n), sz, idx);
	if (!(c->cr0 & X86_CR0_PE)) {
		c->seg[X86_SEG_CS].sel = (uint16_t)v[1];
		c->seg[X86_SEG_CS].base = (v[1] & 0xffff) << 4;
		c->rip = v[0];
		x86_set_sp(c, sp + 3 * n);
		uint64_t m = x86_flags_writable(c, 0, sz);
		cpu_x86_set_rflags(c, (cpu_x86_get_rflags(c) & ~m) | (v[2] & m));
		return 0;
	}
	struct x86_seg cs;
	unsigned cpl, old_cpl = c->cpl;
	x86_target_cs(c, (uint16_t)v[1], true, &cs, &cpl);
	bool to64 = cpu_x86_long_mode(c) && (cs.attr & X86_SEG_ATTR_L);
	if (code64 || cpl > old_cpl) {
		x86_stack_check(c, sp + 3 * n, 2, n, false);
		v[3] = cpu_ld(cpu, x86_stack_la(c, sp + 3 * n), sz, idx);
		v[4] = cpu_ld(cpu, x86_stack_la(c, sp + 4 * n), sz, idx);
		x86_return_stack(c, (uint16_t)v[4], v[3], cpl, to64);
		if (cpl > old_cpl)
			x86_null_inner_segs(c, cpl);
	} else {
		x86_set_sp(c, sp + 3 * n);
	}
	uint64_t m = x86_flags_writable(c, old_cpl, sz);
	if (old_cpl == 0)
		m |= X86_FLAG_VIF | X86_FLAG_VIP;
	cpu_x86_set_rflags(c, (cpu_x86_get_rflags(c) & ~m) | (v[2] & m));
	c->seg[X86_SEG_CS] = cs;
	c->rip = x86_target_rip(c, &cs, v[0], sz);
	cpu_x86_update_mode(c);
	return 0;
}
