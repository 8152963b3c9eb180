/*
 * x86 instruction decoding: prefixes, opcode maps as data, ModRM/SIB,
 * displacement and immediates (SDM vol. 2 ch. 2, appendix A).
 *
 * Decode tables are data: one row per opcode (or per ModRM.reg in a group),
 * giving the handler, the operand kinds, the immediate kind, legality flags
 * and the VM exit the instruction can raise. Adding an instruction means
 * adding a row and, if it needs new semantics, a handler in translate.c.
 *
 * Example: 0x83 /0 ib is `add Ev, Ib`. The one-byte row for 0x83 is a group
 * row pointing at x86_grp1_ev_ib; after ModRM the decoder takes row reg=0,
 * {X86_H_ALU, arg ADD, OPD_E, OPD_I, IMM_B}, reads the sign-extended imm8,
 * and translate.c's ALU handler emits load/add/store plus the lazy flags.
 */
#ifndef SV_CPU_X86_DECODE_H
#define SV_CPU_X86_DECODE_H

#include "cpu/translator.h"

/* Operand kinds. */
enum x86_opd {
	OPD_NONE,
	OPD_E,   /* ModRM r/m: register or memory */
	OPD_G,   /* ModRM reg: general register */
	OPD_M,   /* ModRM r/m, memory only */
	OPD_R,   /* ModRM r/m, register only */
	OPD_I,   /* immediate */
	OPD_Z,   /* register in opcode bits 2:0 (+REX.B) */
	OPD_AX,  /* accumulator */
	OPD_ONE, /* constant 1 (shifts) */
	OPD_CL,  /* CL (shifts) */
	OPD_O,   /* moffs: memory at an absolute address */
	OPD_J,   /* relative branch target */
	OPD_S,   /* segment register in ModRM reg */
	OPD_C,   /* control register in ModRM reg */
	OPD_V,   /* VEX.vvvv general register (SDM 2.3.6) */
	OPD_D,   /* debug register in ModRM reg */
};

/* Immediate kinds. */
enum x86_imm {
	IMM_NONE,
	IMM_B,  /* 8-bit, sign-extended */
	IMM_BU, /* 8-bit, zero-extended */
	IMM_W,  /* 16-bit, zero-extended */
	IMM_Z,  /* 16 or 32 bits by operand size, sign-extended to 64 */
	IMM_V,  /* 16, 32 or 64 bits by operand size (MOV r, imm64) */
	IMM_O,  /* moffs: address-size bytes */
	IMM_P,  /* ptr16:16 / ptr16:32 (far JMP/CALL): offset then selector */
	IMM_WB, /* ENTER: imm16 then imm8 */
};

/* Row flags. */
enum {
	XF_BYTE = 1u << 0,  /* 8-bit operand size */
	XF_MODRM = 1u << 1, /* has a ModRM byte */
	XF_DEF64 = 1u << 2, /* 64-bit default operand size in 64-bit mode */
	XF_F64 = 1u << 3,   /* 64-bit operand size forced in 64-bit mode */
	XF_INV64 = 1u << 4, /* #UD in 64-bit mode */
	XF_PRIV = 1u << 5,  /* CPL 0 only, else #GP(0) */
	XF_LOCK = 1u << 6,  /* LOCK allowed (memory destination) */
	XF_GROUP = 1u << 7, /* arg selects a group table indexed by ModRM.reg */
	XF_W16 = 1u << 8,   /* operand size 16 regardless of prefixes (e.g. Ew) */
	XF_STR = 1u << 9,   /* string instruction (REP honoured) */
	XF_NOREX8 = 1u << 10,
	XF_VEX = 1u << 11,  /* VEX-encoded: size from VEX.W, VEX.L must be 0 */
	XF_NO66 = 1u << 12, /* the 66 prefix is mandatory here, not an operand size */
	XF_MMX = 1u << 13,  /* SSE-family op on MMX registers (no-prefix forms) */
};

/* Mandatory prefixes (SDM 2.1.2 / VEX.pp, SDM 2.3.5). */
enum x86_pfx {
	PFX_NONE,
	PFX_66,
	PFX_F3,
	PFX_F2
};

/* Handlers (translate.c), named after the instruction and form. */
enum x86_handler {
	X86_H_UD = 0,
	X86_H_ALU, /* arg: 0 ADD 1 OR 2 ADC 3 SBB 4 AND 5 SUB 6 XOR 7 CMP */
	X86_H_TEST,
	X86_H_INCDEC, /* arg: 0 INC, 1 DEC */
	X86_H_NOT,
	X86_H_NEG,
	X86_H_MUL1,  /* arg: 0 MUL, 1 IMUL (one operand) */
	X86_H_DIV,   /* arg: 0 DIV, 1 IDIV */
	X86_H_IMUL,  /* Gv, Ev[, imm] */
	X86_H_SHIFT, /* arg = ModRM.reg: ROL ROR RCL RCR SHL SHR SAL SAR */
	X86_H_MOV,
	X86_H_MOVZX,
	X86_H_MOVSX,
	X86_H_MOVSXD,
	X86_H_LEA,
	X86_H_XCHG,
	X86_H_PUSH,
	X86_H_POP,
	X86_H_CALL, /* near: rel (OPD_J) or indirect (OPD_E) */
	X86_H_JMP,
	X86_H_RET, /* near, optional imm16 */
	X86_H_JCC,
	X86_H_SETCC,
	X86_H_CMOV,
	X86_H_CBW, /* CBW/CWDE/CDQE */
	X86_H_CWD, /* CWD/CDQ/CQO */
	X86_H_BT,  /* arg: 0 BT 1 BTS 2 BTR 3 BTC */
	X86_H_BSF,
	X86_H_BSR,
	X86_H_BSWAP,
	X86_H_MOVS,
	X86_H_STOS,
	X86_H_LODS,
	X86_H_NOP,
	X86_H_PAUSE,
	X86_H_CLI,
	X86_H_STI,
	X86_H_PUSHF,
	X86_H_POPF,
	X86_H_FLAGOP, /* arg: 0 CLC 1 STC 2 CMC 3 CLD 4 STD */
	X86_H_SAHF,
	X86_H_LAHF,
	X86_H_GRP7,    /* 0F 01: SGDT SIDT LGDT LIDT SMSW LMSW INVLPG, VMCALL, SWAPGS... */
	X86_H_GRP6,    /* 0F 00: SLDT STR LLDT LTR */
	X86_H_MOV_CR,  /* arg: 0 to register (0F 20), 1 to CR (0F 22) */
	X86_H_MOV_SEG, /* arg: 0 Ew <- Sreg (8C), 1 Sreg <- Ew (8E) */
	X86_H_RDMSR,
	X86_H_WRMSR,
	X86_H_CPUID,
	X86_H_RDTSC,
	X86_H_HLT,
	X86_H_INT3,
	X86_H_INT,
	X86_H_UD2,
	X86_H_IRET,
	X86_H_JMPF,  /* ptr16:32 (EA) or m16:xx (FF /5) */
	X86_H_CALLF, /* ptr16:32 (9A) or m16:xx (FF /3) */
	X86_H_RETF,
	X86_H_LEAVE,
	X86_H_LOOP, /* arg: 0 LOOPNE 1 LOOPE 2 LOOP 3 JrCXZ */
	X86_H_CMPXCHG,
	X86_H_XADD,
	X86_H_IN,
	X86_H_OUT,
	X86_H_WBINVD,
	X86_H_CLTS,
	X86_H_FENCE, /* 0F AE: LFENCE/MFENCE/SFENCE; other forms #UD */
	X86_H_EXT,   /* arg: enum x86_ext_op; dst opd[0] = op(opd[1], opd[2]) via a helper */
	X86_H_CMPS,
	X86_H_SCAS,
	X86_H_INS,
	X86_H_OUTS,
	X86_H_SHLD, /* arg: 0 SHLD, 1 SHRD; count imm8 or CL */
	X86_H_GRP9, /* 0F C7: CMPXCHG8B/16B, RDRAND, RDSEED, RDPID */
	X86_H_ENTER,
	X86_H_PUSHA,
	X86_H_POPA,
	X86_H_BCD, /* arg: 0 DAA 1 DAS 2 AAA 3 AAS 4 AAM 5 AAD */
	X86_H_MULX,
	X86_H_SYSCALL,
	X86_H_SYSRET,
	X86_H_SYSENTER,
	X86_H_SYSEXIT,
	X86_H_MOV_DR, /* arg: 0 to register (0F 21), 1 to DR (0F 23) */
	X86_H_INVPCID,
	X86_H_PUSH_SEG, /* arg: enum x86_seg_reg */
	X86_H_POP_SEG,  /* arg: enum x86_seg_reg */
	X86_H_LSEG,     /* LES LDS LSS LFS LGS: arg = enum x86_seg_reg */
	X86_H_XLAT,
	X86_H_INTO,
	X86_H_SEGCHK, /* arg: 0 LAR 1 LSL 2 VERR 3 VERW */
	X86_H_SSE,    /* arg: enum x86_sse_op (sse.h) */
	X86_H_X87,    /* D8-DF escape opcodes */
	X86_NUM_HANDLERS
};

/* Operations of X86_H_EXT (cpu/x86/helpers_int.c x86_helper_ext). */
enum x86_ext_op {
	X86_EXT_POPCNT,
	X86_EXT_LZCNT,
	X86_EXT_TZCNT,
	X86_EXT_MOVBE,
	X86_EXT_ANDN,
	X86_EXT_BEXTR,
	X86_EXT_BLSI,
	X86_EXT_BLSMSK,
	X86_EXT_BLSR,
	X86_EXT_BZHI,
	X86_EXT_PDEP,
	X86_EXT_PEXT,
	X86_EXT_RORX,
	X86_EXT_SARX,
	X86_EXT_SHLX,
	X86_EXT_SHRX,
	X86_EXT_ADCX,
	X86_EXT_ADOX,
	X86_EXT_CRC32, /* arg of X86_H_EXT rows F2 0F 38 F0/F1 (source size in the helper) */
};

struct x86_op_row {
	uint8_t handler; /* enum x86_handler */
	uint8_t arg;     /* handler argument or group index */
	uint8_t opd[3];  /* enum x86_opd: destination, source, extra */
	uint8_t imm;     /* enum x86_imm */
	uint16_t flags;  /* XF_* */
	uint16_t exit;   /* VMX exit it can raise, or VMX_EXIT_NONE */
	const char *name;
};

/* The decoded instruction. */
struct x86_insn {
	uint64_t pc;   /* linear address of the first byte */
	uint64_t next; /* linear address after the instruction */
	unsigned len;
	bool code64;        /* 64-bit mode (CS.L in IA-32e mode) */
	unsigned op_size;   /* log2 bytes: 0..3 */
	unsigned addr_size; /* log2 bytes: 1..3 */
	int seg;            /* segment of the memory operand */
	bool seg_override;
	uint8_t rex; /* 0 if none */
	bool rep, repne, lock, p66;
	unsigned map;  /* 0: one-byte, 1: 0F, 2: 0F 38, 3: 0F 3A */
	unsigned pfx;  /* enum x86_pfx: the mandatory prefix that selected the row */
	bool vex;      /* VEX-encoded (C4/C5) */
	bool vex_w;    /* VEX.W */
	bool vex_l;    /* VEX.L */
	uint8_t vex_v; /* VEX.vvvv (un-inverted register number) */
	uint8_t opcode;
	bool has_modrm;
	uint8_t modrm, mod, reg, rm; /* reg and rm include REX.R / REX.B */
	/* Memory operand: base/index registers (-1 none), scale, disp. */
	int base, index;
	unsigned scale;
	int64_t disp;
	bool rip_rel;
	int64_t imm;
	uint64_t imm2; /* selector of IMM_P, byte of IMM_WB */
	const struct x86_op_row *row;
};

/* Decode one instruction at tr->pc_next (fetch faults longjmp through
 * translator_ld8). Returns false on an invalid/too long encoding (#UD or
 * #GP to be raised by the caller: *gp tells which). */
bool x86_decode(struct translator *tr, bool code64, bool def32, struct x86_insn *in, bool *gp);

#endif
