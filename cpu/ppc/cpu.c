/*
 * The POWER vcpu: state, reset, the arch hooks (cpu_ppc_ops), interrupt
 * delivery, exits to the hypervisor and their return, disassembly.
 *
 * Interrupt delivery to the guest kernel (Power ISA v3.0 Book III 7.3-7.5):
 *     SRR0 = the address given by the interrupt (the instruction, or the next one)
 *     SRR1 = MSR with bits 33:36 and 42:47 replaced by the interrupt's bits
 *     MSR  = SF=1, HV/ME/S unchanged, LE = LPCR[ILE], everything else 0;
 *            with LPCR[AIL] = 2/3 and IR=DR=1 before: IR=DR=1 kept and the
 *            vector moved to 0x18000 + v / 0xc000000000004000 + v (7.5, AIL)
 *     pc   = vector
 * Interrupts to the hypervisor (sc 1 and the H* vectors) go to ppc_enter_hv,
 * which exits to hv/ppc (see cpu_ppc.h).
 */
#include "cpu/ppc/translate.h"
#include "cpu/ppc/cpu_internal.h"
#include "cpu/gdb.h"
#include "cpu/tb.h"
#include "mmu/p2m.h"
#include "mmu/ppc/mmu_ppc.h"

#include <capstone/capstone.h>
#include <glib.h>

/* ------------------------------------------------------------ composite registers */

uint64_t cpu_ppc_get_cr(const struct cpu_ppc *c)
{
	uint64_t cr = 0;
	for (unsigned n = 0; n < 8; n++)
		cr |= (c->crf[n] & 0xf) << (28 - 4 * n);
	return cr;
}

void cpu_ppc_set_cr(struct cpu_ppc *c, uint64_t cr)
{
	for (unsigned n = 0; n < 8; n++)
		c->crf[n] = (cr >> (28 - 4 * n)) & 0xf;
}

/* XER (Book I 3.2.2): SO bit 32, OV 33, CA 34, OV32 44, CA32 45, count 57:63. */
uint64_t cpu_ppc_get_xer(const struct cpu_ppc *c)
{
	return (c->so << 31) | (c->ov << 30) | (c->ca << 29) | (c->ov32 << 19) | (c->ca32 << 18) |
	       (c->xer_bc & 0x7f);
}

void cpu_ppc_set_xer(struct cpu_ppc *c, uint64_t xer)
{
	c->so = (xer >> 31) & 1;
	c->ov = (xer >> 30) & 1;
	c->ca = (xer >> 29) & 1;
	c->ov32 = (xer >> 19) & 1;
	c->ca32 = (xer >> 18) & 1;
	c->xer_bc = xer & 0x7f;
}

uint64_t cpu_ppc_get_tb(const struct cpu_ppc *c)
{
	return cpu_icount(&c->cpu) + c->tb_offset;
}

void cpu_ppc_set_msr(struct cpu_ppc *c, uint64_t msr)
{
	/* The TLB is indexed by translation mode, so no flush is needed; the
	 * next TB lookup uses the new mode flags. */
	c->msr = msr;
}

/* DEC is 32 bits (LPCR[LD] = 0): reads sign-extend it. */
void cpu_ppc_set_dec(struct cpu_ppc *c, uint64_t v)
{
	c->dec_val = (uint32_t)v;
	c->dec_tb = cpu_ppc_get_tb(c);
	c->dec_armed = true;
}

uint64_t cpu_ppc_get_dec(const struct cpu_ppc *c)
{
	return sv_sext(c->dec_val - (cpu_ppc_get_tb(c) - c->dec_tb), 32);
}

uint64_t cpu_ppc_dec_deadline(const struct cpu_ppc *c)
{
	if (!c->dec_armed)
		return UINT64_MAX;
	if ((int32_t)c->dec_val < 0)
		return c->dec_tb - c->tb_offset; /* negative when written */
	/* DEC = dec_val - (TB - dec_tb) < 0 from TB = dec_tb + dec_val + 1. */
	return c->dec_tb + (uint32_t)c->dec_val + 1 - c->tb_offset;
}

void cpu_ppc_set_hdec(struct cpu_ppc *c, uint64_t v)
{
	c->hdec_val = (uint32_t)v;
	c->hdec_tb = cpu_ppc_get_tb(c);
	c->hdec_armed = true;
}

uint64_t cpu_ppc_get_hdec(const struct cpu_ppc *c)
{
	return sv_sext(c->hdec_val - (cpu_ppc_get_tb(c) - c->hdec_tb), 32);
}

uint64_t cpu_ppc_hdec_deadline(const struct cpu_ppc *c)
{
	if (!c->hdec_armed)
		return UINT64_MAX;
	if ((int32_t)c->hdec_val < 0)
		return c->hdec_tb - c->tb_offset;
	return c->hdec_tb + (uint32_t)c->hdec_val + 1 - c->tb_offset;
}

void cpu_ppc_set_external_irq(struct cpu_ppc *c, bool level)
{
	c->ext_irq = level;
}

/* ------------------------------------------------------------ interrupts */

void cpu_ppc_deliver(struct cpu_ppc *c, uint32_t vector, uint64_t srr0, uint64_t srr1_bits)
{
	uint64_t msr = c->msr;
	uint64_t nmsr = (msr & (PPC_MSR_HV | PPC_MSR_ME | PPC_MSR_S)) | PPC_MSR_SF;
	uint64_t pc = vector;
	unsigned ail = (c->lpcr & PPC_LPCR_AIL) >> PPC_LPCR_AIL_SHIFT;

	c->srr0 = srr0;
	c->srr1 = (msr & ~PPC_SRR1_INTR_MASK) | srr1_bits;
	if (c->lpcr & PPC_LPCR_ILE)
		nmsr |= PPC_MSR_LE;
	/* Alternate interrupt location: not for system reset and machine check. */
	if (ail >= 2 && (msr & PPC_MSR_IR) && (msr & PPC_MSR_DR) &&
	    vector != PPC_VEC_SYSTEM_RESET && vector != PPC_VEC_MACHINE_CHECK) {
		nmsr |= PPC_MSR_IR | PPC_MSR_DR;
		pc = ail == 2 ? 0x18000ull + vector : 0xc000000000004000ull + vector;
	}
	cpu_ppc_set_msr(c, nmsr);
	c->pc = pc;
	c->cpu.halted = false;
}

void ppc_enter_hv(struct cpu_ppc *c, uint32_t vec, uint64_t pc, uint64_t qual)
{
	struct cpu_exit *e = &c->cpu.exit;

	/* New MSR for a hypervisor interrupt: HV=1, SF=1, ME kept, LE kept
	 * (the hypervisor is C code; its return restores the saved MSR). */
	cpu_ppc_set_msr(c, (c->msr & (PPC_MSR_ME | PPC_MSR_LE)) | PPC_MSR_SF | PPC_MSR_HV);
	c->pc = vec;
	c->hv_vector = vec;
	memset(e, 0, sizeof(*e));
	e->kind = CPU_EXIT_HV;
	e->reason = vec;
	e->pc = pc;
	e->qualification = qual;
}

/* An interrupt that uses HSRR0/1: save and exit. */
static void ppc_hv_interrupt(struct cpu_ppc *c, uint32_t vec, uint64_t hsrr0, uint64_t bits)
{
	c->hsrr0 = hsrr0;
	c->hsrr1 = (c->msr & ~PPC_SRR1_INTR_MASK) | bits;
	ppc_enter_hv(c, vec, hsrr0, c->hsrr1);
}

static bool ppc_raise_fault(struct cpu *cpu)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	struct ppc_pending p = c->pending;

	memset(&c->pending, 0, sizeof(c->pending));
	switch (p.vector) {
	case 0: return false;
	case PPC_VEC_DSI:
		c->dar = p.dar;
		c->dsisr = p.dsisr;
		cpu_ppc_deliver(c, p.vector, p.srr0, 0);
		return false;
	case PPC_VEC_DSEGI:
		/* Data segment (Book III 7.5.4): DAR = EA, DSISR left undefined. */
		c->dar = p.dar;
		cpu_ppc_deliver(c, p.vector, p.srr0, 0);
		return false;
	case PPC_VEC_HEA:
		/* HEIR holds the instruction image (Book III 7.5.19). */
		c->heir = p.insn;
		ppc_hv_interrupt(c, p.vector, p.srr0, 0);
		return true;
	case PPC_VEC_HFAC:
		/* HFSCR[IC] names the facility (set by the raiser). */
		ppc_hv_interrupt(c, p.vector, p.srr0, 0);
		return true;
	default: cpu_ppc_deliver(c, p.vector, p.srr0, p.srr1_bits); return false;
	}
}

/*
 * Partition-scoped fault (Book III 6.10.2 / 7.5.17-18): the guest real
 * address gpa is not mapped, or not with this access, in the p2m.
 *   HISI 0xE20: HSRR0 = the fetch address, HSRR1 bit 33 (not found) or 36
 *               (protection), ASDR = gpa.
 *   HDSI 0xE00: HSRR0 = the instruction, HDAR = EA, HDSISR bit 33/36,
 *               bit 38 for a store, bit 35 during a page-table walk,
 *               ASDR = gpa (page).
 */
static void ppc_stage2_fault(struct cpu *cpu, uint64_t va, uint64_t gpa, enum mmu_access acc,
			     bool in_walk)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	struct p2m_entry pe;
	uint64_t cause = p2m_lookup(cpu->p2m, gpa >> SV_PAGE_BITS, &pe) ? PPC_ISR_PROTECT :
									  PPC_ISR_NOT_FOUND;

	c->asdr = gpa & SV_PAGE_MASK;
	if (acc == MMU_FETCH && !in_walk) {
		ppc_hv_interrupt(c, PPC_VEC_HISI, va, cause);
	} else {
		c->hdar = va;
		c->hdsisr = cause | (acc == MMU_WRITE ? PPC_DSISR_STORE : 0) |
			    (in_walk ? PPC_DSISR_PTW : 0);
		ppc_hv_interrupt(c, PPC_VEC_HDSI, cpu->insn_pc, 0);
		cpu->exit.qualification = c->hdsisr;
	}
	cpu->exit.gla = va;
	cpu->exit.gpa = gpa;
}

/*
 * Pending asynchronous interrupts at a TB boundary, in priority order
 * (Book III 7.8): hypervisor decrementer and directed hypervisor doorbell
 * (exits: enabled by MSR[EE] in hypervisor state, always from a guest),
 * then with MSR[EE] = 1 external, decrementer, directed privileged doorbell.
 * Taking a doorbell interrupt clears its exception (doorbell.c).
 */
static bool ppc_check_interrupts(struct cpu *cpu)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	bool ee = c->msr & PPC_MSR_EE, hv = c->msr & PPC_MSR_HV;

	if (c->hdec_armed && (c->lpcr & PPC_LPCR_HDICE) && (!hv || ee) &&
	    (int64_t)cpu_ppc_get_hdec(c) < 0) {
		c->hdec_armed = false;
		cpu->halted = false;
		ppc_hv_interrupt(c, PPC_VEC_HDEC, c->pc, 0);
		return true;
	}
	if (c->hdbell && (!hv || ee)) {
		c->hdbell = false;
		cpu->halted = false;
		ppc_hv_interrupt(c, PPC_VEC_HDOORBELL, c->pc, 0);
		return true;
	}
	if (!ee)
		return false;
	if (c->ext_irq) {
		cpu_ppc_deliver(c, PPC_VEC_EXTERNAL, c->pc, 0);
		return false;
	}
	if (c->dec_armed && (int64_t)cpu_ppc_get_dec(c) < 0) {
		c->dec_armed = false;
		cpu_ppc_deliver(c, PPC_VEC_DECREMENTER, c->pc, 0);
		return false;
	}
	if (c->dpdes & 1) {
		c->dpdes &= ~1ull;
		cpu_ppc_deliver(c, PPC_VEC_DOORBELL, c->pc, 0);
	}
	return false;
}

/* ------------------------------------------------------------ returns */

/* Bits 33:36 and 42:47 are not written by rfid/hrfid. */
#define PPC_RFI_KEEP 0x783f0000ull

/* rfid (Book III 3.3.1): ME and HV change only in hypervisor state; PR=1
 * forces EE, IR, DR. */
void cpu_ppc_rfid(struct cpu_ppc *c)
{
	uint64_t msr = c->msr, s = c->srr1;
	uint64_t n = (s & ~PPC_RFI_KEEP) | (msr & PPC_RFI_KEEP);

	if (!(msr & PPC_MSR_HV)) {
		n = (n & ~PPC_MSR_ME) | (msr & PPC_MSR_ME);
		n &= ~PPC_MSR_HV;
	}
	if (n & PPC_MSR_PR)
		n |= PPC_MSR_EE | PPC_MSR_IR | PPC_MSR_DR;
	cpu_ppc_set_msr(c, n);
	c->pc = (n & PPC_MSR_SF) ? c->srr0 & ~3ull : (uint32_t)c->srr0 & ~3u;
}

void cpu_ppc_hrfid(struct cpu_ppc *c)
{
	uint64_t n = (c->hsrr1 & ~PPC_RFI_KEEP) | (c->msr & PPC_RFI_KEEP);

	if (n & PPC_MSR_PR)
		n |= PPC_MSR_EE | PPC_MSR_IR | PPC_MSR_DR;
	cpu_ppc_set_msr(c, n);
	c->pc = (n & PPC_MSR_SF) ? c->hsrr0 & ~3ull : (uint32_t)c->hsrr0 & ~3u;
}

void cpu_ppc_hv_return(struct cpu_ppc *c)
{
	if (c->hv_vector == PPC_VEC_SYSTEM_CALL)
		cpu_ppc_rfid(c);
	else
		cpu_ppc_hrfid(c);
	c->hv_vector = 0;
}

/* ------------------------------------------------------------ hooks */

static uint64_t ppc_tb_flags(const struct cpu_ppc *c)
{
	uint64_t m = c->msr, f = 0;
	if (m & PPC_MSR_LE)
		f |= PPC_TBF_LE;
	if (m & PPC_MSR_PR)
		f |= PPC_TBF_PR;
	if (m & PPC_MSR_HV)
		f |= PPC_TBF_HV;
	if (m & PPC_MSR_IR)
		f |= PPC_TBF_IR;
	if (m & PPC_MSR_DR)
		f |= PPC_TBF_DR;
	if (m & PPC_MSR_SF)
		f |= PPC_TBF_SF;
	if (m & PPC_MSR_FP)
		f |= PPC_TBF_FP;
	if (m & PPC_MSR_VEC)
		f |= PPC_TBF_VEC;
	if (m & PPC_MSR_VSX)
		f |= PPC_TBF_VSX;
	return f;
}

static void ppc_get_tb_key(struct cpu *cpu, uint64_t *pc, uint64_t *flags, unsigned *mmu_idx)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	uint64_t m = c->msr;

	*pc = c->pc;
	*flags = ppc_tb_flags(c);
	if (m & PPC_MSR_IR)
		*mmu_idx = (m & PPC_MSR_PR) ? PPC_MMU_VIRT_USER : PPC_MMU_VIRT;
	else
		*mmu_idx = (m & PPC_MSR_HV) ? PPC_MMU_HV_REAL : PPC_MMU_REAL;
}

unsigned cpu_ppc_data_mmu_idx(uint64_t m)
{
	if (m & PPC_MSR_DR)
		return (m & PPC_MSR_PR) ? PPC_MMU_VIRT_USER : PPC_MMU_VIRT;
	return (m & PPC_MSR_HV) ? PPC_MMU_HV_REAL : PPC_MMU_REAL;
}

static bool ppc_is_user_mode(struct cpu *cpu)
{
	return cpu_ppc_of(cpu)->msr & PPC_MSR_PR;
}

static uint64_t ppc_get_pc(struct cpu *cpu)
{
	return cpu_ppc_of(cpu)->pc;
}

static int ppc_disas(struct cpu *cpu, uint64_t pc, const uint8_t *code, size_t len, char *buf,
		     size_t bufsize)
{
	struct cpu_ppc *c = cpu_ppc_of(cpu);
	cs_mode mode =
		CS_MODE_64 | ((c->msr & PPC_MSR_LE) ? CS_MODE_LITTLE_ENDIAN : CS_MODE_BIG_ENDIAN);
	csh h;
	cs_insn *insn;
	size_t n;
	int ret = -1;

	if (len < 4 || cs_open(CS_ARCH_PPC, mode, &h) != CS_ERR_OK)
		return -1;
	n = cs_disasm(h, code, 4, pc, 1, &insn);
	if (n > 0) {
		snprintf(buf, bufsize, "%s %s", insn[0].mnemonic, insn[0].op_str);
		ret = 4;
		cs_free(insn, n);
	} else {
		uint32_t w = (c->msr & PPC_MSR_LE) ? (uint32_t)ld32_le_p(code) :
						     (uint32_t)ld32_be_p(code);
		snprintf(buf, bufsize, ".long 0x%08x", w);
		ret = 4;
	}
	cs_close(&h);
	return ret;
}

int cpu_ppc_disas_word(uint32_t insn, uint64_t pc, char *buf, size_t bufsize)
{
	uint8_t b[4];
	csh h;
	cs_insn *ci;
	size_t n;

	st32_be_p(b, insn);
	if (cs_open(CS_ARCH_PPC, CS_MODE_64 | CS_MODE_BIG_ENDIAN, &h) != CS_ERR_OK)
		return -1;
	n = cs_disasm(h, b, 4, pc, 1, &ci);
	if (n > 0) {
		snprintf(buf, bufsize, "%s%s%s", ci[0].mnemonic, ci[0].op_str[0] ? " " : "",
			 ci[0].op_str);
		cs_free(ci, n);
	} else {
		/* Newer than capstone (msgsnd, ...): our decoder's mnemonic. */
		const struct ppc_opcode *op = ppc_decode(insn);

		if (op)
			snprintf(buf, bufsize, ".long 0x%08x (%s)", insn, op->name);
		else
			snprintf(buf, bufsize, ".long 0x%08x", insn);
	}
	cs_close(&h);
	return 0;
}

const struct cpu_arch_ops cpu_ppc_ops = {
	.name = "ppc64",
	.n_mmu_idx = PPC_MMU_NUM_IDX,
	.get_tb_key = ppc_get_tb_key,
	.translate_insn = ppc_translate_insn,
	.tb_stop = ppc_tb_stop,
	.translate = ppc_mmu_translate,
	.raise_fault = ppc_raise_fault,
	.stage2_fault = ppc_stage2_fault,
	.check_interrupts = ppc_check_interrupts,
	.is_user_mode = ppc_is_user_mode,
	.get_pc = ppc_get_pc,
	.disas = ppc_disas,
	.gdb = &cpu_ppc_gdb_ops,
	.save = cpu_ppc_save,
	.load = cpu_ppc_load,
};

int cpu_ppc_set_hpt(struct cpu_ppc *c, uint64_t gpa_base, unsigned size_log2)
{
	if (size_log2 < 18 || size_log2 > 46 || (gpa_base & ((1ull << size_log2) - 1)) ||
	    (gpa_base >> 60))
		return -EINVAL;
	c->sdr1 = gpa_base | (size_log2 - 18);
	cpu_tlb_flush(&c->cpu);
	return 0;
}

/* ------------------------------------------------------------ lifecycle */

static void ppc_reset_regs(struct cpu_ppc *c, bool le)
{
	struct cpu saved = c->cpu;
	/* The model and the hypervisor's hook are not registers a reset clears. */
	uint64_t pvr = c->pvr;
	void (*broadcast)(struct cpu_ppc *) = c->tlbie_broadcast;
	void (*doorbell)(struct cpu_ppc *, uint32_t) = c->doorbell_send;

	memset((char *)c + sizeof(struct cpu), 0, sizeof(*c) - sizeof(struct cpu));
	c->cpu = saved;
	c->tlbie_broadcast = broadcast;
	c->doorbell_send = doorbell;
	c->msr = PPC_MSR_SF | PPC_MSR_ME | (le ? PPC_MSR_LE : 0);
	c->lpcr = le ? PPC_LPCR_ILE : 0;
	c->pvr = pvr ? pvr : PPC_PVR_POWER9;
	c->pir = c->cpu.index;
	c->reserve_addr = ~0ull;
	c->dec_val = 0x7fffffff;
}

struct cpu_ppc *cpu_ppc_new(struct p2m *p2m, struct tb_cache *tbc, unsigned index,
			    bool little_endian)
{
	struct cpu_ppc *c = g_try_new0(struct cpu_ppc, 1);

	if (!c)
		return NULL;
	cpu_init(&c->cpu, &cpu_ppc_ops, p2m, tbc, index);
	ppc_reset_regs(c, little_endian);
	return c;
}

void cpu_ppc_set_pvr(struct cpu_ppc *c, uint32_t pvr)
{
	c->pvr = pvr;
}

void cpu_ppc_free(struct cpu_ppc *c)
{
	if (!c)
		return;
	cpu_destroy(&c->cpu);
	g_free(c);
}

void cpu_ppc_reset_kexec(struct cpu_ppc *c, uint64_t entry, uint64_t r3, uint64_t r4, uint64_t r5,
			 bool le)
{
	ppc_reset_regs(c, le);
	c->pc = entry;
	c->gpr[3] = r3;
	c->gpr[4] = r4;
	c->gpr[5] = r5;
	c->cpu.halted = false;
	cpu_tlb_flush(&c->cpu);
}

/* ------------------------------------------------------------ names */

#define PPC_VECTOR_NAMES(X)                                                                        \
	X(PPC_VEC_SYSTEM_RESET, "SRESET", false)                                                   \
	X(PPC_VEC_MACHINE_CHECK, "MCHECK", false)                                                  \
	X(PPC_VEC_DSI, "DSI", false)                                                               \
	X(PPC_VEC_DSEGI, "DSEGI", false)                                                           \
	X(PPC_VEC_ISI, "ISI", false)                                                               \
	X(PPC_VEC_ISEGI, "ISEGI", false)                                                           \
	X(PPC_VEC_EXTERNAL, "EXTERNAL", false)                                                     \
	X(PPC_VEC_ALIGNMENT, "ALIGNMENT", false)                                                   \
	X(PPC_VEC_PROGRAM, "PROGRAM", false)                                                       \
	X(PPC_VEC_FP_UNAVAIL, "FPU", false)                                                        \
	X(PPC_VEC_DECREMENTER, "DEC", false)                                                       \
	X(PPC_VEC_HDEC, "HDEC", true)                                                              \
	X(PPC_VEC_DOORBELL, "DOORBELL", false)                                                     \
	X(PPC_VEC_SYSTEM_CALL, "HCALL", true)                                                      \
	X(PPC_VEC_TRACE, "TRACE", false)                                                           \
	X(PPC_VEC_HDSI, "HDSI", true)                                                              \
	X(PPC_VEC_HISI, "HISI", true)                                                              \
	X(PPC_VEC_HEA, "HEA", true)                                                                \
	X(PPC_VEC_HMI, "HMI", true)                                                                \
	X(PPC_VEC_HDOORBELL, "HDOORBELL", true)                                                    \
	X(PPC_VEC_HVIRT, "HVIRT", true)                                                            \
	X(PPC_VEC_PERF_MON, "PERFMON", false)                                                      \
	X(PPC_VEC_VEC_UNAVAIL, "VEC_UNAVAIL", false)                                               \
	X(PPC_VEC_VSX_UNAVAIL, "VSX_UNAVAIL", false)                                               \
	X(PPC_VEC_FAC_UNAVAIL, "FAC_UNAVAIL", false)                                               \
	X(PPC_VEC_HFAC, "HFAC", true)

struct ppc_vector_name {
	uint32_t vec;
	const char *name;
	bool hv;
};

static const struct ppc_vector_name ppc_vector_names[] = {
#define PPC_VN(v, n, h) { v, n, h },
	PPC_VECTOR_NAMES(PPC_VN)
#undef PPC_VN
};

const char *ppc_hv_vector_name(uint32_t vec)
{
	for (size_t i = 0; i < SV_ARRAY_SIZE(ppc_vector_names); i++)
		if (ppc_vector_names[i].vec == vec && ppc_vector_names[i].hv)
			return ppc_vector_names[i].name;
	return NULL;
}

const char *ppc_vector_name(uint32_t vec)
{
	if (vec == PPC_VEC_SYSTEM_CALL)
		return "SYSCALL";
	for (size_t i = 0; i < SV_ARRAY_SIZE(ppc_vector_names); i++)
		if (ppc_vector_names[i].vec == vec)
			return ppc_vector_names[i].name;
	return NULL;
}
