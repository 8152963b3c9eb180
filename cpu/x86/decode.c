/*
 * x86 decoder: the opcode maps as data (SDM vol. 2 appendix A, tables A-2
 * and A-3 for the one- and two-byte maps, A-6 for the groups) and the byte
 * parser (SDM vol. 2 2.1: prefixes, REX, opcode, ModRM, SIB, displacement,
 * immediate). See decode.h for the row format.
 *
 * Entries missing from a table are zero: {X86_H_UD}, so every encoding not
 * implemented yet decodes to #UD.
 */
#include "cpu/x86/decode.h"
#include "cpu/x86/cpu_x86.h"
#include "cpu/x86/sse.h"

#define NOX VMX_EXIT_NONE
#define ROW(h, a, d, s, im, fl, ex, nm)                                                            \
	{                                                                                          \
		(h), (a), { (d), (s), OPD_NONE }, (im), (fl), (ex), (nm)                           \
	}
#define ROW3(h, a, d, s, x, im, fl, ex, nm)                                                        \
	{                                                                                          \
		(h), (a), { (d), (s), (x) }, (im), (fl), (ex), (nm)                                \
	}

/* The six classic ALU encodings of operation k (SDM table A-2 rows 0-3). */
#define ALU_BLOCK(k, nm)                                                                           \
	[(k)*8 + 0] =                                                                              \
		ROW(X86_H_ALU, k, OPD_E, OPD_G, IMM_NONE, XF_BYTE | XF_MODRM | XF_LOCK, NOX, nm),  \
		 [(k)*8 + 1] =                                                                     \
			 ROW(X86_H_ALU, k, OPD_E, OPD_G, IMM_NONE, XF_MODRM | XF_LOCK, NOX, nm),   \
		 [(k)*8 + 2] =                                                                     \
			 ROW(X86_H_ALU, k, OPD_G, OPD_E, IMM_NONE, XF_BYTE | XF_MODRM, NOX, nm),   \
		 [(k)*8 + 3] = ROW(X86_H_ALU, k, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, nm),       \
		 [(k)*8 + 4] = ROW(X86_H_ALU, k, OPD_AX, OPD_I, IMM_B, XF_BYTE, NOX, nm),          \
		 [(k)*8 + 5] = ROW(X86_H_ALU, k, OPD_AX, OPD_I, IMM_Z, 0, NOX, nm)

enum x86_group {
	GRP1_EB_IB,
	GRP1_EV_IZ,
	GRP1_EV_IB,
	GRP2_EB_IB,
	GRP2_EV_IB,
	GRP2_EB_1,
	GRP2_EV_1,
	GRP2_EB_CL,
	GRP2_EV_CL,
	GRP3_EB,
	GRP3_EV,
	GRP4,
	GRP5,
	GRP1A,
	GRP11_EB,
	GRP11_EV,
	GRP8,
	GRP6,
	GRP7,
	GRP15,
	GRP9,
	X86_NUM_GROUPS
};

#define GRP1(fl, im)                                                                               \
	{                                                                                          \
		ROW(X86_H_ALU, 0, OPD_E, OPD_I, im, (fl) | XF_MODRM | XF_LOCK, NOX, "add"),        \
			ROW(X86_H_ALU, 1, OPD_E, OPD_I, im, (fl) | XF_MODRM | XF_LOCK, NOX, "or"), \
			ROW(X86_H_ALU, 2, OPD_E, OPD_I, im, (fl) | XF_MODRM | XF_LOCK, NOX,        \
			    "adc"),                                                                \
			ROW(X86_H_ALU, 3, OPD_E, OPD_I, im, (fl) | XF_MODRM | XF_LOCK, NOX,        \
			    "sbb"),                                                                \
			ROW(X86_H_ALU, 4, OPD_E, OPD_I, im, (fl) | XF_MODRM | XF_LOCK, NOX,        \
			    "and"),                                                                \
			ROW(X86_H_ALU, 5, OPD_E, OPD_I, im, (fl) | XF_MODRM | XF_LOCK, NOX,        \
			    "sub"),                                                                \
			ROW(X86_H_ALU, 6, OPD_E, OPD_I, im, (fl) | XF_MODRM | XF_LOCK, NOX,        \
			    "xor"),                                                                \
			ROW(X86_H_ALU, 7, OPD_E, OPD_I, im, (fl) | XF_MODRM, NOX, "cmp")           \
	}

#define GRP2(fl, src, im)                                                                          \
	{                                                                                          \
		ROW(X86_H_SHIFT, 0, OPD_E, src, im, (fl) | XF_MODRM, NOX, "rol"),                  \
			ROW(X86_H_SHIFT, 1, OPD_E, src, im, (fl) | XF_MODRM, NOX, "ror"),          \
			ROW(X86_H_SHIFT, 2, OPD_E, src, im, (fl) | XF_MODRM, NOX, "rcl"),          \
			ROW(X86_H_SHIFT, 3, OPD_E, src, im, (fl) | XF_MODRM, NOX, "rcr"),          \
			ROW(X86_H_SHIFT, 4, OPD_E, src, im, (fl) | XF_MODRM, NOX, "shl"),          \
			ROW(X86_H_SHIFT, 5, OPD_E, src, im, (fl) | XF_MODRM, NOX, "shr"),          \
			ROW(X86_H_SHIFT, 6, OPD_E, src, im, (fl) | XF_MODRM, NOX, "sal"),          \
			ROW(X86_H_SHIFT, 7, OPD_E, src, im, (fl) | XF_MODRM, NOX, "sar")           \
	}

#define GRP3(fl, im)                                                                               \
	{                                                                                          \
		ROW(X86_H_TEST, 0, OPD_E, OPD_I, im, (fl) | XF_MODRM, NOX, "test"),                \
			ROW(X86_H_TEST, 0, OPD_E, OPD_I, im, (fl) | XF_MODRM, NOX, "test"),        \
			ROW(X86_H_NOT, 0, OPD_E, OPD_NONE, IMM_NONE, (fl) | XF_MODRM | XF_LOCK,    \
			    NOX, "not"),                                                           \
			ROW(X86_H_NEG, 0, OPD_E, OPD_NONE, IMM_NONE, (fl) | XF_MODRM | XF_LOCK,    \
			    NOX, "neg"),                                                           \
			ROW(X86_H_MUL1, 0, OPD_E, OPD_NONE, IMM_NONE, (fl) | XF_MODRM, NOX,        \
			    "mul"),                                                                \
			ROW(X86_H_MUL1, 1, OPD_E, OPD_NONE, IMM_NONE, (fl) | XF_MODRM, NOX,        \
			    "imul"),                                                               \
			ROW(X86_H_DIV, 0, OPD_E, OPD_NONE, IMM_NONE, (fl) | XF_MODRM, NOX, "div"), \
			ROW(X86_H_DIV, 1, OPD_E, OPD_NONE, IMM_NONE, (fl) | XF_MODRM, NOX, "idiv") \
	}

/* clang-format off */
static const struct x86_op_row x86_groups[X86_NUM_GROUPS][8] = {
	[GRP1_EB_IB] = GRP1(XF_BYTE, IMM_B),
	[GRP1_EV_IZ] = GRP1(0, IMM_Z),
	[GRP1_EV_IB] = GRP1(0, IMM_B),
	[GRP2_EB_IB] = GRP2(XF_BYTE, OPD_I, IMM_BU),
	[GRP2_EV_IB] = GRP2(0, OPD_I, IMM_BU),
	[GRP2_EB_1] = GRP2(XF_BYTE, OPD_ONE, IMM_NONE),
	[GRP2_EV_1] = GRP2(0, OPD_ONE, IMM_NONE),
	[GRP2_EB_CL] = GRP2(XF_BYTE, OPD_CL, IMM_NONE),
	[GRP2_EV_CL] = GRP2(0, OPD_CL, IMM_NONE),
	[GRP3_EB] = GRP3(XF_BYTE, IMM_B),
	[GRP3_EV] = GRP3(0, IMM_Z),
	[GRP4] = {
		ROW(X86_H_INCDEC, 0, OPD_E, OPD_NONE, IMM_NONE, XF_BYTE | XF_MODRM | XF_LOCK, NOX, "inc"),
		ROW(X86_H_INCDEC, 1, OPD_E, OPD_NONE, IMM_NONE, XF_BYTE | XF_MODRM | XF_LOCK, NOX, "dec"),
	},
	[GRP5] = {
		ROW(X86_H_INCDEC, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "inc"),
		ROW(X86_H_INCDEC, 1, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "dec"),
		ROW(X86_H_CALL, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_F64, NOX, "call"),
		ROW(X86_H_CALLF, 0, OPD_M, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "lcall"),
		ROW(X86_H_JMP, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_F64, NOX, "jmp"),
		ROW(X86_H_JMPF, 0, OPD_M, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "ljmp"),
		ROW(X86_H_PUSH, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_DEF64, NOX, "push"),
	},
	[GRP1A] = {
		ROW(X86_H_POP, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_DEF64, NOX, "pop"),
	},
	[GRP11_EB] = {
		ROW(X86_H_MOV, 0, OPD_E, OPD_I, IMM_B, XF_BYTE | XF_MODRM, NOX, "mov"),
	},
	[GRP11_EV] = {
		ROW(X86_H_MOV, 0, OPD_E, OPD_I, IMM_Z, XF_MODRM, NOX, "mov"),
	},
	[GRP8] = {
		[4] = ROW(X86_H_BT, 0, OPD_E, OPD_I, IMM_BU, XF_MODRM, NOX, "bt"),
		[5] = ROW(X86_H_BT, 1, OPD_E, OPD_I, IMM_BU, XF_MODRM | XF_LOCK, NOX, "bts"),
		[6] = ROW(X86_H_BT, 2, OPD_E, OPD_I, IMM_BU, XF_MODRM | XF_LOCK, NOX, "btr"),
		[7] = ROW(X86_H_BT, 3, OPD_E, OPD_I, IMM_BU, XF_MODRM | XF_LOCK, NOX, "btc"),
	},
	[GRP6] = {
		ROW(X86_H_GRP6, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "sldt"),
		ROW(X86_H_GRP6, 1, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "str"),
		ROW(X86_H_GRP6, 2, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_W16 | XF_PRIV, NOX, "lldt"),
		ROW(X86_H_GRP6, 3, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_W16 | XF_PRIV, NOX, "ltr"),
		ROW(X86_H_SEGCHK, 2, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_W16, NOX, "verr"),
		ROW(X86_H_SEGCHK, 3, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_W16, NOX, "verw"),
	},
	[GRP7] = {
		ROW(X86_H_GRP7, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "sgdt"),
		ROW(X86_H_GRP7, 1, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "sidt"),
		ROW(X86_H_GRP7, 2, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "lgdt"),
		ROW(X86_H_GRP7, 3, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "lidt"),
		ROW(X86_H_GRP7, 4, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "smsw"),
		ROW(X86_H_UD, 5, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "(bad)"),
		ROW(X86_H_GRP7, 6, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM | XF_W16, NOX, "lmsw"),
		ROW(X86_H_GRP7, 7, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, VMX_EXIT_INVLPG, "invlpg"),
	},
	/* 0F C7 (SDM table A-6 group 9): memory forms /1 /3 /4 /5, register forms /6 /7. */
	[GRP9] = {
		[1] = ROW(X86_H_GRP9, 1, OPD_M, OPD_NONE, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "cmpxchg8b"),
		[3] = ROW(X86_H_GRP9, 3, OPD_M, OPD_NONE, IMM_NONE, XF_MODRM, VMX_EXIT_XRSTORS, "xrstors"),
		[4] = ROW(X86_H_GRP9, 4, OPD_M, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "xsavec"),
		[5] = ROW(X86_H_GRP9, 5, OPD_M, OPD_NONE, IMM_NONE, XF_MODRM, VMX_EXIT_XSAVES, "xsaves"),
		[6] = ROW(X86_H_GRP9, 6, OPD_R, OPD_NONE, IMM_NONE, XF_MODRM, VMX_EXIT_RDRAND, "rdrand"),
		[7] = ROW(X86_H_GRP9, 7, OPD_R, OPD_NONE, IMM_NONE, XF_MODRM, VMX_EXIT_RDSEED, "rdseed"),
	},
	[GRP15] = {
		/* memory forms /0-/3: FXSAVE FXRSTOR LDMXCSR STMXCSR (translate_sse.c) */
		[0] = ROW(X86_H_FENCE, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "fxsave"),
		[1] = ROW(X86_H_FENCE, 1, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "fxrstor"),
		[2] = ROW(X86_H_FENCE, 2, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "ldmxcsr"),
		[3] = ROW(X86_H_FENCE, 3, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "stmxcsr"),
		[4] = ROW(X86_H_FENCE, 4, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "xsave"),
		[5] = ROW(X86_H_FENCE, 5, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "lfence"),
		[6] = ROW(X86_H_FENCE, 6, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "mfence"),
		[7] = ROW(X86_H_FENCE, 7, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "sfence"),
	},
};

#define GROUP(g, fl) ROW(X86_H_UD, g, OPD_NONE, OPD_NONE, IMM_NONE, (fl) | XF_GROUP | XF_MODRM, NOX, "grp")

/* One-byte opcode map (SDM table A-2). */
static const struct x86_op_row x86_map1[256] = {
	ALU_BLOCK(0, "add"), ALU_BLOCK(1, "or"), ALU_BLOCK(2, "adc"), ALU_BLOCK(3, "sbb"),
	ALU_BLOCK(4, "and"), ALU_BLOCK(5, "sub"), ALU_BLOCK(6, "xor"), ALU_BLOCK(7, "cmp"),
	[0x40 ... 0x47] = ROW(X86_H_INCDEC, 0, OPD_Z, OPD_NONE, IMM_NONE, XF_INV64, NOX, "inc"),
	[0x48 ... 0x4f] = ROW(X86_H_INCDEC, 1, OPD_Z, OPD_NONE, IMM_NONE, XF_INV64, NOX, "dec"),
	[0x50 ... 0x57] = ROW(X86_H_PUSH, 0, OPD_Z, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "push"),
	[0x58 ... 0x5f] = ROW(X86_H_POP, 0, OPD_Z, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "pop"),
	/* PUSH/POP of ES CS SS DS (SDM table A-2; POP CS does not exist). */
	[0x06] = ROW(X86_H_PUSH_SEG, X86_SEG_ES, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "push"),
	[0x07] = ROW(X86_H_POP_SEG, X86_SEG_ES, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "pop"),
	[0x0e] = ROW(X86_H_PUSH_SEG, X86_SEG_CS, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "push"),
	[0x16] = ROW(X86_H_PUSH_SEG, X86_SEG_SS, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "push"),
	[0x17] = ROW(X86_H_POP_SEG, X86_SEG_SS, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "pop"),
	[0x1e] = ROW(X86_H_PUSH_SEG, X86_SEG_DS, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "push"),
	[0x1f] = ROW(X86_H_POP_SEG, X86_SEG_DS, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "pop"),
	/* LES/LDS Gz, Mp (outside 64-bit mode; with ModRM.mod = 11B they are VEX). */
	[0xc4] = ROW(X86_H_LSEG, X86_SEG_ES, OPD_G, OPD_M, IMM_NONE, XF_MODRM | XF_INV64, NOX, "les"),
	[0xc5] = ROW(X86_H_LSEG, X86_SEG_DS, OPD_G, OPD_M, IMM_NONE, XF_MODRM | XF_INV64, NOX, "lds"),
	[0xce] = ROW(X86_H_INTO, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "into"),
	[0xd7] = ROW(X86_H_XLAT, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_BYTE, NOX, "xlat"),
	[0x27] = ROW(X86_H_BCD, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "daa"),
	[0x2f] = ROW(X86_H_BCD, 1, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "das"),
	[0x37] = ROW(X86_H_BCD, 2, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "aaa"),
	[0x3f] = ROW(X86_H_BCD, 3, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "aas"),
	[0x60] = ROW(X86_H_PUSHA, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "pusha"),
	[0x61] = ROW(X86_H_POPA, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_INV64, NOX, "popa"),
	[0x6c] = ROW(X86_H_INS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_BYTE | XF_STR, VMX_EXIT_IO_INSTRUCTION, "ins"),
	[0x6d] = ROW(X86_H_INS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_STR, VMX_EXIT_IO_INSTRUCTION, "ins"),
	[0x6e] = ROW(X86_H_OUTS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_BYTE | XF_STR, VMX_EXIT_IO_INSTRUCTION, "outs"),
	[0x6f] = ROW(X86_H_OUTS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_STR, VMX_EXIT_IO_INSTRUCTION, "outs"),
	[0xa6] = ROW(X86_H_CMPS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_BYTE | XF_STR, NOX, "cmps"),
	[0xa7] = ROW(X86_H_CMPS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_STR, NOX, "cmps"),
	[0xae] = ROW(X86_H_SCAS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_BYTE | XF_STR, NOX, "scas"),
	[0xaf] = ROW(X86_H_SCAS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_STR, NOX, "scas"),
	[0xc8] = ROW(X86_H_ENTER, 0, OPD_NONE, OPD_NONE, IMM_WB, XF_DEF64, NOX, "enter"),
	[0xd8 ... 0xdf] = ROW(X86_H_X87, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "x87"),
	[0xd4] = ROW(X86_H_BCD, 4, OPD_I, OPD_NONE, IMM_BU, XF_INV64, NOX, "aam"),
	[0xd5] = ROW(X86_H_BCD, 5, OPD_I, OPD_NONE, IMM_BU, XF_INV64, NOX, "aad"),
	[0x63] = ROW(X86_H_MOVSXD, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "movsxd"),
	[0x68] = ROW(X86_H_PUSH, 0, OPD_I, OPD_NONE, IMM_Z, XF_DEF64, NOX, "push"),
	[0x69] = ROW3(X86_H_IMUL, 0, OPD_G, OPD_E, OPD_I, IMM_Z, XF_MODRM, NOX, "imul"),
	[0x6a] = ROW(X86_H_PUSH, 0, OPD_I, OPD_NONE, IMM_B, XF_DEF64, NOX, "push"),
	[0x6b] = ROW3(X86_H_IMUL, 0, OPD_G, OPD_E, OPD_I, IMM_B, XF_MODRM, NOX, "imul"),
	[0x70 ... 0x7f] = ROW(X86_H_JCC, 0, OPD_J, OPD_NONE, IMM_B, XF_F64, NOX, "jcc"),
	[0x80] = GROUP(GRP1_EB_IB, XF_BYTE),
	[0x81] = GROUP(GRP1_EV_IZ, 0),
	[0x82] = GROUP(GRP1_EB_IB, XF_BYTE | XF_INV64),
	[0x83] = GROUP(GRP1_EV_IB, 0),
	[0x84] = ROW(X86_H_TEST, 0, OPD_E, OPD_G, IMM_NONE, XF_BYTE | XF_MODRM, NOX, "test"),
	[0x85] = ROW(X86_H_TEST, 0, OPD_E, OPD_G, IMM_NONE, XF_MODRM, NOX, "test"),
	[0x86] = ROW(X86_H_XCHG, 0, OPD_E, OPD_G, IMM_NONE, XF_BYTE | XF_MODRM | XF_LOCK, NOX, "xchg"),
	[0x87] = ROW(X86_H_XCHG, 0, OPD_E, OPD_G, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "xchg"),
	[0x88] = ROW(X86_H_MOV, 0, OPD_E, OPD_G, IMM_NONE, XF_BYTE | XF_MODRM, NOX, "mov"),
	[0x89] = ROW(X86_H_MOV, 0, OPD_E, OPD_G, IMM_NONE, XF_MODRM, NOX, "mov"),
	[0x8a] = ROW(X86_H_MOV, 0, OPD_G, OPD_E, IMM_NONE, XF_BYTE | XF_MODRM, NOX, "mov"),
	[0x8b] = ROW(X86_H_MOV, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "mov"),
	[0x8c] = ROW(X86_H_MOV_SEG, 0, OPD_E, OPD_S, IMM_NONE, XF_MODRM, NOX, "mov"),
	[0x8d] = ROW(X86_H_LEA, 0, OPD_G, OPD_M, IMM_NONE, XF_MODRM, NOX, "lea"),
	[0x8e] = ROW(X86_H_MOV_SEG, 1, OPD_S, OPD_E, IMM_NONE, XF_MODRM | XF_W16, NOX, "mov"),
	[0x8f] = GROUP(GRP1A, XF_DEF64),
	[0x90] = ROW(X86_H_NOP, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "nop"),
	[0x91 ... 0x97] = ROW(X86_H_XCHG, 0, OPD_Z, OPD_AX, IMM_NONE, 0, NOX, "xchg"),
	[0x98] = ROW(X86_H_CBW, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "cbw"),
	[0x99] = ROW(X86_H_CWD, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "cwd"),
	[0x9a] = ROW(X86_H_CALLF, 0, OPD_I, OPD_NONE, IMM_P, XF_INV64, NOX, "lcall"),
	[0x9b] = ROW(X86_H_X87, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "fwait"),
	[0x9c] = ROW(X86_H_PUSHF, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "pushf"),
	[0x9d] = ROW(X86_H_POPF, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "popf"),
	[0x9e] = ROW(X86_H_SAHF, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "sahf"),
	[0x9f] = ROW(X86_H_LAHF, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "lahf"),
	[0xa0] = ROW(X86_H_MOV, 0, OPD_AX, OPD_O, IMM_O, XF_BYTE, NOX, "mov"),
	[0xa1] = ROW(X86_H_MOV, 0, OPD_AX, OPD_O, IMM_O, 0, NOX, "mov"),
	[0xa2] = ROW(X86_H_MOV, 0, OPD_O, OPD_AX, IMM_O, XF_BYTE, NOX, "mov"),
	[0xa3] = ROW(X86_H_MOV, 0, OPD_O, OPD_AX, IMM_O, 0, NOX, "mov"),
	[0xa4] = ROW(X86_H_MOVS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_BYTE | XF_STR, NOX, "movs"),
	[0xa5] = ROW(X86_H_MOVS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_STR, NOX, "movs"),
	[0xa8] = ROW(X86_H_TEST, 0, OPD_AX, OPD_I, IMM_B, XF_BYTE, NOX, "test"),
	[0xa9] = ROW(X86_H_TEST, 0, OPD_AX, OPD_I, IMM_Z, 0, NOX, "test"),
	[0xaa] = ROW(X86_H_STOS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_BYTE | XF_STR, NOX, "stos"),
	[0xab] = ROW(X86_H_STOS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_STR, NOX, "stos"),
	[0xac] = ROW(X86_H_LODS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_BYTE | XF_STR, NOX, "lods"),
	[0xad] = ROW(X86_H_LODS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_STR, NOX, "lods"),
	[0xb0 ... 0xb7] = ROW(X86_H_MOV, 0, OPD_Z, OPD_I, IMM_B, XF_BYTE, NOX, "mov"),
	[0xb8 ... 0xbf] = ROW(X86_H_MOV, 0, OPD_Z, OPD_I, IMM_V, 0, NOX, "mov"),
	[0xc0] = GROUP(GRP2_EB_IB, XF_BYTE),
	[0xc1] = GROUP(GRP2_EV_IB, 0),
	[0xc2] = ROW(X86_H_RET, 0, OPD_I, OPD_NONE, IMM_W, XF_F64, NOX, "ret"),
	[0xc3] = ROW(X86_H_RET, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_F64, NOX, "ret"),
	[0xc6] = GROUP(GRP11_EB, XF_BYTE),
	[0xc7] = GROUP(GRP11_EV, 0),
	[0xc9] = ROW(X86_H_LEAVE, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "leave"),
	[0xca] = ROW(X86_H_RETF, 0, OPD_I, OPD_NONE, IMM_W, 0, NOX, "lret"),
	[0xcb] = ROW(X86_H_RETF, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "lret"),
	[0xcc] = ROW(X86_H_INT3, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, VMX_EXIT_EXCEPTION_NMI, "int3"),
	[0xcd] = ROW(X86_H_INT, 0, OPD_I, OPD_NONE, IMM_BU, 0, NOX, "int"),
	[0xcf] = ROW(X86_H_IRET, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "iret"),
	[0xd0] = GROUP(GRP2_EB_1, XF_BYTE),
	[0xd1] = GROUP(GRP2_EV_1, 0),
	[0xd2] = GROUP(GRP2_EB_CL, XF_BYTE),
	[0xd3] = GROUP(GRP2_EV_CL, 0),
	[0xe0] = ROW(X86_H_LOOP, 0, OPD_J, OPD_NONE, IMM_B, XF_F64, NOX, "loopne"),
	[0xe1] = ROW(X86_H_LOOP, 1, OPD_J, OPD_NONE, IMM_B, XF_F64, NOX, "loope"),
	[0xe2] = ROW(X86_H_LOOP, 2, OPD_J, OPD_NONE, IMM_B, XF_F64, NOX, "loop"),
	[0xe3] = ROW(X86_H_LOOP, 3, OPD_J, OPD_NONE, IMM_B, XF_F64, NOX, "jrcxz"),
	[0xe4] = ROW(X86_H_IN, 0, OPD_AX, OPD_I, IMM_BU, XF_BYTE, VMX_EXIT_IO_INSTRUCTION, "in"),
	[0xe5] = ROW(X86_H_IN, 0, OPD_AX, OPD_I, IMM_BU, 0, VMX_EXIT_IO_INSTRUCTION, "in"),
	[0xe6] = ROW(X86_H_OUT, 0, OPD_I, OPD_AX, IMM_BU, XF_BYTE, VMX_EXIT_IO_INSTRUCTION, "out"),
	[0xe7] = ROW(X86_H_OUT, 0, OPD_I, OPD_AX, IMM_BU, 0, VMX_EXIT_IO_INSTRUCTION, "out"),
	[0xe8] = ROW(X86_H_CALL, 0, OPD_J, OPD_NONE, IMM_Z, XF_F64, NOX, "call"),
	[0xe9] = ROW(X86_H_JMP, 0, OPD_J, OPD_NONE, IMM_Z, XF_F64, NOX, "jmp"),
	[0xea] = ROW(X86_H_JMPF, 0, OPD_I, OPD_NONE, IMM_P, XF_INV64, NOX, "ljmp"),
	[0xeb] = ROW(X86_H_JMP, 0, OPD_J, OPD_NONE, IMM_B, XF_F64, NOX, "jmp"),
	[0xec] = ROW(X86_H_IN, 1, OPD_AX, OPD_NONE, IMM_NONE, XF_BYTE, VMX_EXIT_IO_INSTRUCTION, "in"),
	[0xed] = ROW(X86_H_IN, 1, OPD_AX, OPD_NONE, IMM_NONE, 0, VMX_EXIT_IO_INSTRUCTION, "in"),
	[0xee] = ROW(X86_H_OUT, 1, OPD_NONE, OPD_AX, IMM_NONE, XF_BYTE, VMX_EXIT_IO_INSTRUCTION, "out"),
	[0xef] = ROW(X86_H_OUT, 1, OPD_NONE, OPD_AX, IMM_NONE, 0, VMX_EXIT_IO_INSTRUCTION, "out"),
	[0xf4] = ROW(X86_H_HLT, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_PRIV, VMX_EXIT_HLT, "hlt"),
	[0xf5] = ROW(X86_H_FLAGOP, 2, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "cmc"),
	[0xf6] = GROUP(GRP3_EB, XF_BYTE),
	[0xf7] = GROUP(GRP3_EV, 0),
	[0xf8] = ROW(X86_H_FLAGOP, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "clc"),
	[0xf9] = ROW(X86_H_FLAGOP, 1, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "stc"),
	[0xfa] = ROW(X86_H_CLI, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "cli"),
	[0xfb] = ROW(X86_H_STI, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "sti"),
	[0xfc] = ROW(X86_H_FLAGOP, 3, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "cld"),
	[0xfd] = ROW(X86_H_FLAGOP, 4, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "std"),
	[0xfe] = GROUP(GRP4, XF_BYTE),
	[0xff] = GROUP(GRP5, 0),
};

/* Two-byte opcode map, 0F xx (SDM table A-3). */
static const struct x86_op_row x86_map2[256] = {
	[0x00] = GROUP(GRP6, 0),
	[0x01] = GROUP(GRP7, 0),
	[0x02] = ROW(X86_H_SEGCHK, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "lar"),
	[0x03] = ROW(X86_H_SEGCHK, 1, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "lsl"),
	[0x05] = ROW(X86_H_SYSCALL, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "syscall"),
	[0x07] = ROW(X86_H_SYSRET, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "sysret"),
	[0x21] = ROW(X86_H_MOV_DR, 0, OPD_R, OPD_D, IMM_NONE, XF_MODRM | XF_F64 | XF_PRIV,
		     VMX_EXIT_DR_ACCESS, "mov"),
	[0x23] = ROW(X86_H_MOV_DR, 1, OPD_D, OPD_R, IMM_NONE, XF_MODRM | XF_F64 | XF_PRIV,
		     VMX_EXIT_DR_ACCESS, "mov"),
	[0x34] = ROW(X86_H_SYSENTER, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "sysenter"),
	[0x35] = ROW(X86_H_SYSEXIT, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_PRIV, NOX, "sysexit"),
	[0xa4] = ROW3(X86_H_SHLD, 0, OPD_E, OPD_G, OPD_I, IMM_BU, XF_MODRM, NOX, "shld"),
	[0xa5] = ROW3(X86_H_SHLD, 0, OPD_E, OPD_G, OPD_CL, IMM_NONE, XF_MODRM, NOX, "shld"),
	[0xac] = ROW3(X86_H_SHLD, 1, OPD_E, OPD_G, OPD_I, IMM_BU, XF_MODRM, NOX, "shrd"),
	[0xad] = ROW3(X86_H_SHLD, 1, OPD_E, OPD_G, OPD_CL, IMM_NONE, XF_MODRM, NOX, "shrd"),
	[0xc7] = GROUP(GRP9, 0),
	[0x06] = ROW(X86_H_CLTS, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_PRIV, VMX_EXIT_CR_ACCESS, "clts"),
	[0x08] = ROW(X86_H_WBINVD, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_PRIV, VMX_EXIT_INVD, "invd"),
	[0x09] = ROW(X86_H_WBINVD, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_PRIV, NOX, "wbinvd"),
	[0x0b] = ROW(X86_H_UD2, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "ud2"),
	[0x0d] = ROW(X86_H_NOP, 0, OPD_M, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "prefetch"),
	[0x18 ... 0x1f] = ROW(X86_H_NOP, 0, OPD_E, OPD_NONE, IMM_NONE, XF_MODRM, NOX, "nop"),
	[0x20] = ROW(X86_H_MOV_CR, 0, OPD_R, OPD_C, IMM_NONE, XF_MODRM | XF_F64 | XF_PRIV,
		     VMX_EXIT_CR_ACCESS, "mov"),
	[0x22] = ROW(X86_H_MOV_CR, 1, OPD_C, OPD_R, IMM_NONE, XF_MODRM | XF_F64 | XF_PRIV,
		     VMX_EXIT_CR_ACCESS, "mov"),
	[0x30] = ROW(X86_H_WRMSR, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_PRIV, VMX_EXIT_MSR_WRITE, "wrmsr"),
	[0x31] = ROW(X86_H_RDTSC, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, VMX_EXIT_RDTSC, "rdtsc"),
	[0x32] = ROW(X86_H_RDMSR, 0, OPD_NONE, OPD_NONE, IMM_NONE, XF_PRIV, VMX_EXIT_MSR_READ, "rdmsr"),
	[0x40 ... 0x4f] = ROW(X86_H_CMOV, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "cmovcc"),
	[0x80 ... 0x8f] = ROW(X86_H_JCC, 0, OPD_J, OPD_NONE, IMM_Z, XF_F64, NOX, "jcc"),
	[0x90 ... 0x9f] = ROW(X86_H_SETCC, 0, OPD_E, OPD_NONE, IMM_NONE, XF_BYTE | XF_MODRM, NOX, "setcc"),
	[0xa0] = ROW(X86_H_PUSH_SEG, X86_SEG_FS, OPD_NONE, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "push"),
	[0xa1] = ROW(X86_H_POP_SEG, X86_SEG_FS, OPD_NONE, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "pop"),
	[0xa8] = ROW(X86_H_PUSH_SEG, X86_SEG_GS, OPD_NONE, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "push"),
	[0xa9] = ROW(X86_H_POP_SEG, X86_SEG_GS, OPD_NONE, OPD_NONE, IMM_NONE, XF_DEF64, NOX, "pop"),
	[0xb2] = ROW(X86_H_LSEG, X86_SEG_SS, OPD_G, OPD_M, IMM_NONE, XF_MODRM, NOX, "lss"),
	[0xb4] = ROW(X86_H_LSEG, X86_SEG_FS, OPD_G, OPD_M, IMM_NONE, XF_MODRM, NOX, "lfs"),
	[0xb5] = ROW(X86_H_LSEG, X86_SEG_GS, OPD_G, OPD_M, IMM_NONE, XF_MODRM, NOX, "lgs"),
	[0xa2] = ROW(X86_H_CPUID, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, VMX_EXIT_CPUID, "cpuid"),
	[0xa3] = ROW(X86_H_BT, 0, OPD_E, OPD_G, IMM_NONE, XF_MODRM, NOX, "bt"),
	[0xab] = ROW(X86_H_BT, 1, OPD_E, OPD_G, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "bts"),
	[0xae] = GROUP(GRP15, 0),
	[0xaf] = ROW(X86_H_IMUL, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "imul"),
	[0xb0] = ROW(X86_H_CMPXCHG, 0, OPD_E, OPD_G, IMM_NONE, XF_BYTE | XF_MODRM | XF_LOCK, NOX, "cmpxchg"),
	[0xb1] = ROW(X86_H_CMPXCHG, 0, OPD_E, OPD_G, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "cmpxchg"),
	[0xb3] = ROW(X86_H_BT, 2, OPD_E, OPD_G, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "btr"),
	[0xb6] = ROW(X86_H_MOVZX, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "movzb"),
	[0xb7] = ROW(X86_H_MOVZX, 1, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "movzw"),
	[0xba] = GROUP(GRP8, 0),
	[0xbb] = ROW(X86_H_BT, 3, OPD_E, OPD_G, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "btc"),
	[0xbc] = ROW(X86_H_BSF, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "bsf"),
	[0xbd] = ROW(X86_H_BSR, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "bsr"),
	[0xbe] = ROW(X86_H_MOVSX, 0, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "movsb"),
	[0xbf] = ROW(X86_H_MOVSX, 1, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "movsw"),
	[0xc0] = ROW(X86_H_XADD, 0, OPD_E, OPD_G, IMM_NONE, XF_BYTE | XF_MODRM | XF_LOCK, NOX, "xadd"),
	[0xc1] = ROW(X86_H_XADD, 0, OPD_E, OPD_G, IMM_NONE, XF_MODRM | XF_LOCK, NOX, "xadd"),
	[0xc8 ... 0xcf] = ROW(X86_H_BSWAP, 0, OPD_Z, OPD_NONE, IMM_NONE, 0, NOX, "bswap"),
};

/*
 * Rows selected by a mandatory prefix, the three-byte maps 0F 38 / 0F 3A and
 * the VEX maps (SDM vol. 2 tables; 2.3 for VEX). Looked up before
 * the dense maps; the first entry matching (vex, map, pfx, opcode) wins.
 */
struct x86_pfx_row {
	bool vex;
	uint8_t map, pfx, opcode;
	struct x86_op_row row;
};

#define VROW(h, a, d, s, x, im, nm) ROW3(h, a, d, s, x, im, XF_MODRM | XF_VEX, NOX, nm)

static const struct x86_pfx_row x86_pfx_rows[] = {
	{ false, 1, PFX_F3, 0xb8, ROW(X86_H_EXT, X86_EXT_POPCNT, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "popcnt") },
	{ false, 1, PFX_F3, 0xbc, ROW(X86_H_EXT, X86_EXT_TZCNT, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "tzcnt") },
	{ false, 1, PFX_F3, 0xbd, ROW(X86_H_EXT, X86_EXT_LZCNT, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "lzcnt") },
	{ false, 1, PFX_NONE, 0xc3, ROW(X86_H_MOV, 0, OPD_M, OPD_G, IMM_NONE, XF_MODRM, NOX, "movnti") },
	{ false, 2, PFX_NONE, 0xf0, ROW(X86_H_EXT, X86_EXT_MOVBE, OPD_G, OPD_M, IMM_NONE, XF_MODRM, NOX, "movbe") },
	{ false, 2, PFX_NONE, 0xf1, ROW(X86_H_EXT, X86_EXT_MOVBE, OPD_M, OPD_G, IMM_NONE, XF_MODRM, NOX, "movbe") },
	{ false, 2, PFX_66, 0xf0, ROW(X86_H_EXT, X86_EXT_MOVBE, OPD_G, OPD_M, IMM_NONE, XF_MODRM, NOX, "movbe") },
	{ false, 2, PFX_66, 0xf1, ROW(X86_H_EXT, X86_EXT_MOVBE, OPD_M, OPD_G, IMM_NONE, XF_MODRM, NOX, "movbe") },
	{ false, 2, PFX_66, 0xf6, ROW3(X86_H_EXT, X86_EXT_ADCX, OPD_G, OPD_G, OPD_E, IMM_NONE, XF_MODRM | XF_NO66, NOX, "adcx") },
	{ false, 2, PFX_F3, 0xf6, ROW3(X86_H_EXT, X86_EXT_ADOX, OPD_G, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "adox") },
	{ false, 2, PFX_F2, 0xf0, ROW3(X86_H_EXT, X86_EXT_CRC32, OPD_G, OPD_G, OPD_E, IMM_NONE, XF_MODRM | XF_BYTE, NOX, "crc32") },
	{ false, 2, PFX_F2, 0xf1, ROW3(X86_H_EXT, X86_EXT_CRC32, OPD_G, OPD_G, OPD_E, IMM_NONE, XF_MODRM, NOX, "crc32") },
	{ false, 2, PFX_66, 0x82, ROW(X86_H_INVPCID, 0, OPD_G, OPD_M, IMM_NONE, XF_MODRM | XF_F64 | XF_NO66 | XF_PRIV, VMX_EXIT_INVPCID, "invpcid") },
	/* VEX.LZ.0F38 (BMI1, BMI2). */
	{ true, 2, PFX_NONE, 0xf2, VROW(X86_H_EXT, X86_EXT_ANDN, OPD_G, OPD_V, OPD_E, IMM_NONE, "andn") },
	{ true, 2, PFX_NONE, 0xf7, VROW(X86_H_EXT, X86_EXT_BEXTR, OPD_G, OPD_E, OPD_V, IMM_NONE, "bextr") },
	{ true, 2, PFX_NONE, 0xf3, VROW(X86_H_EXT, X86_EXT_BLSR, OPD_V, OPD_E, OPD_NONE, IMM_NONE, "blsr") }, /* group 17: /1 BLSR /2 BLSMSK /3 BLSI */
	{ true, 2, PFX_NONE, 0xf5, VROW(X86_H_EXT, X86_EXT_BZHI, OPD_G, OPD_E, OPD_V, IMM_NONE, "bzhi") },
	{ true, 2, PFX_F2, 0xf5, VROW(X86_H_EXT, X86_EXT_PDEP, OPD_G, OPD_V, OPD_E, IMM_NONE, "pdep") },
	{ true, 2, PFX_F3, 0xf5, VROW(X86_H_EXT, X86_EXT_PEXT, OPD_G, OPD_V, OPD_E, IMM_NONE, "pext") },
	{ true, 2, PFX_F2, 0xf6, VROW(X86_H_MULX, 0, OPD_G, OPD_V, OPD_E, IMM_NONE, "mulx") },
	{ true, 2, PFX_F3, 0xf7, VROW(X86_H_EXT, X86_EXT_SARX, OPD_G, OPD_E, OPD_V, IMM_NONE, "sarx") },
	{ true, 2, PFX_66, 0xf7, VROW(X86_H_EXT, X86_EXT_SHLX, OPD_G, OPD_E, OPD_V, IMM_NONE, "shlx") },
	{ true, 2, PFX_F2, 0xf7, VROW(X86_H_EXT, X86_EXT_SHRX, OPD_G, OPD_E, OPD_V, IMM_NONE, "shrx") },
	{ true, 3, PFX_F2, 0xf0, VROW(X86_H_EXT, X86_EXT_RORX, OPD_G, OPD_E, OPD_I, IMM_BU, "rorx") },
};

/* clang-format on */

static const struct x86_op_row x86_row_ud =
	ROW(X86_H_UD, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "(bad)");

/* ModRM with 16-bit addressing (SDM table 2-1). */
static void x86_modrm16(struct x86_insn *in)
{
	static const int8_t base16[8] = { X86_RBX, X86_RBX, X86_RBP, X86_RBP,
					  X86_RSI, X86_RDI, X86_RBP, X86_RBX };
	static const int8_t index16[8] = { X86_RSI, X86_RDI, X86_RSI, X86_RDI, -1, -1, -1, -1 };
	unsigned rm = in->modrm & 7;
	in->base = base16[rm];
	in->index = index16[rm];
	if (rm == 4 || rm == 5) {
		in->base = rm == 4 ? X86_RSI : X86_RDI;
		in->index = -1;
	}
	if (in->mod == 0 && rm == 6)
		in->base = -1;
	if (in->base == X86_RBP && !in->seg_override)
		in->seg = X86_SEG_SS;
}

static uint64_t x86_fetch(struct translator *tr, struct x86_insn *in, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)translator_ld8(tr, in->next++) << (8 * i);
	return v;
}

/* ModRM, SIB and displacement (SDM 2.1.5, 2.2.1). */
static void x86_decode_modrm(struct translator *tr, struct x86_insn *in, bool reg_only)
{
	uint8_t rex_r = (in->rex >> 2) & 1, rex_x = (in->rex >> 1) & 1, rex_b = in->rex & 1;
	in->has_modrm = true;
	in->modrm = (uint8_t)x86_fetch(tr, in, 1);
	in->mod = in->modrm >> 6;
	in->reg = (uint8_t)(((in->modrm >> 3) & 7) | (rex_r << 3));
	in->rm = (uint8_t)((in->modrm & 7) | (rex_b << 3));
	in->base = in->index = -1;
	in->scale = 0;
	in->disp = 0;
	if (reg_only)
		in->mod =
			3; /* MOV CR/DR: mod is ignored (SDM MOV-Move to/from Control Registers) */
	if (in->mod == 3)
		return;
	if (in->addr_size == 1) {
		x86_modrm16(in);
		if (in->mod == 1)
			in->disp = (int8_t)x86_fetch(tr, in, 1);
		else if (in->mod == 2 || (in->mod == 0 && (in->modrm & 7) == 6))
			in->disp = (int16_t)x86_fetch(tr, in, 2);
		return;
	}
	unsigned rm = in->modrm & 7;
	if (rm == 4) {
		uint8_t sib = (uint8_t)x86_fetch(tr, in, 1);
		in->scale = sib >> 6;
		int index = ((sib >> 3) & 7) | (rex_x << 3);
		in->index = index == 4 ? -1 : index;
		in->base = (sib & 7) | (rex_b << 3);
		if ((sib & 7) == 5 && in->mod == 0) {
			in->base = -1;
			in->disp = (int32_t)x86_fetch(tr, in, 4);
		}
	} else if (rm == 5 && in->mod == 0) {
		in->disp = (int32_t)x86_fetch(tr, in, 4);
		in->rip_rel = in->code64;
	} else {
		in->base = (int)rm | (rex_b << 3);
	}
	if (in->mod == 1)
		in->disp = (int8_t)x86_fetch(tr, in, 1);
	else if (in->mod == 2)
		in->disp = (int32_t)x86_fetch(tr, in, 4);
	if ((in->base == X86_RSP || in->base == X86_RBP) && !in->seg_override)
		in->seg = X86_SEG_SS;
}

static void x86_decode_imm(struct translator *tr, struct x86_insn *in)
{
	unsigned osz = in->op_size;
	switch (in->row->imm) {
	case IMM_B: in->imm = (int8_t)x86_fetch(tr, in, 1); break;
	case IMM_BU: in->imm = (uint8_t)x86_fetch(tr, in, 1); break;
	case IMM_W: in->imm = (uint16_t)x86_fetch(tr, in, 2); break;
	case IMM_Z:
		in->imm = osz == 1 ? (int64_t)(int16_t)x86_fetch(tr, in, 2) :
				     (int64_t)(int32_t)x86_fetch(tr, in, 4);
		break;
	case IMM_V:
		in->imm = osz == 1 ? (int64_t)(uint16_t)x86_fetch(tr, in, 2) :
			  osz == 2 ? (int64_t)(uint32_t)x86_fetch(tr, in, 4) :
				     (int64_t)x86_fetch(tr, in, 8);
		break;
	case IMM_O: in->imm = (int64_t)x86_fetch(tr, in, 1u << in->addr_size); break;
	case IMM_P:
		in->imm = (int64_t)x86_fetch(tr, in, osz == 1 ? 2 : 4);
		in->imm2 = x86_fetch(tr, in, 2);
		break;
	case IMM_WB:
		in->imm = (int64_t)x86_fetch(tr, in, 2);
		in->imm2 = x86_fetch(tr, in, 1);
		break;
	default: break;
	}
}

/* The mandatory prefix in effect: F2/F3 take precedence over 66 (SDM 2.1.2). */
static unsigned x86_mandatory_pfx(const struct x86_insn *in)
{
	return in->repne ? PFX_F2 : in->rep ? PFX_F3 : in->p66 ? PFX_66 : PFX_NONE;
}

static const struct x86_op_row *x86_pfx_lookup(struct x86_insn *in)
{
	unsigned pfx = in->vex ? in->pfx : x86_mandatory_pfx(in);
	for (size_t i = 0; i < SV_ARRAY_SIZE(x86_pfx_rows); i++) {
		const struct x86_pfx_row *p = &x86_pfx_rows[i];
		if (p->vex == in->vex && p->map == in->map && p->opcode == in->opcode &&
		    p->pfx == pfx) {
			in->pfx = pfx;
			return &p->row;
		}
	}
	return NULL;
}

static bool x86_decode_ud(struct x86_insn *in)
{
	static const struct x86_op_row ud =
		ROW(X86_H_UD, 0, OPD_NONE, OPD_NONE, IMM_NONE, 0, NOX, "(bad)");
	in->row = &ud;
	in->len = (unsigned)(in->next - in->pc);
	return false;
}

/*
 * The opcode bytes: one-byte, 0F xx, 0F 38 xx, 0F 3A xx, or a VEX prefix
 * (SDM 2.3.5: C5 = two-byte VEX, C4 = three-byte VEX; outside 64-bit mode
 * they are LES/LDS unless ModRM.mod = 11B). false: #UD (VEX after a 66, F2,
 * F3, LOCK or REX prefix, SDM 2.3.2, or a reserved VEX map).
 */
static bool x86_decode_opcode(struct translator *tr, struct x86_insn *in, bool code64)
{
	uint8_t b = (uint8_t)x86_fetch(tr, in, 1);
	if ((b == 0xc4 || b == 0xc5) && (code64 || (translator_ld8(tr, in->next) >> 6) == 3)) {
		uint8_t v1 = (uint8_t)x86_fetch(tr, in, 1), v2 = v1;
		if (in->p66 || in->rep || in->repne || in->lock || in->rex)
			return false;
		in->vex = true;
		unsigned rxb = 0, map = 1;
		if (b == 0xc4) {
			rxb = (~v1 >> 5) & 7;
			map = v1 & 0x1f;
			v2 = (uint8_t)x86_fetch(tr, in, 1);
			in->vex_w = v2 >> 7;
		} else {
			rxb = ((~v1 >> 7) & 1) << 2;
		}
		if (map < 1 || map > 3)
			return false;
		if (!code64)
			rxb = 0; /* VEX.R/X/B are ignored outside 64-bit mode */
		in->rex = (uint8_t)(0x40 | (in->vex_w ? 8 : 0) | rxb);
		in->vex_v = (uint8_t)((~v2 >> 3) & (code64 ? 15 : 7));
		in->vex_l = (v2 >> 2) & 1;
		in->pfx = v2 & 3; /* pp: none, 66, F3, F2 as enum x86_pfx */
		in->map = map;
		in->opcode = (uint8_t)x86_fetch(tr, in, 1);
		return true;
	}
	in->opcode = b;
	if (b == 0x0f) {
		in->map = 1;
		in->opcode = (uint8_t)x86_fetch(tr, in, 1);
		if (in->opcode == 0x38 || in->opcode == 0x3a) {
			in->map = in->opcode == 0x38 ? 2 : 3;
			in->opcode = (uint8_t)x86_fetch(tr, in, 1);
		}
	}
	return true;
}

bool x86_decode(struct translator *tr, bool code64, bool def32, struct x86_insn *in, bool *gp)
{
	bool p67 = false;
	memset(in, 0, sizeof(*in));
	in->pc = in->next = tr->pc_next;
	in->code64 = code64;
	in->seg = X86_SEG_DS;
	*gp = false;

	/* Legacy prefixes and REX (SDM 2.1.1, 2.2.1: REX must come last). */
	for (;;) {
		uint8_t b = translator_ld8(tr, in->next);
		if (in->next - in->pc >= 15) {
			*gp = true;
			return false;
		}
		if (code64 && (b & 0xf0) == 0x40) {
			in->rex = b;
			in->next++;
			continue;
		}
		bool prefix = true;
		switch (b) {
		case 0x66: in->p66 = true; break;
		case 0x67: p67 = true; break;
		case 0xf0: in->lock = true; break;
		case 0xf2:
			in->repne = true;
			in->rep = false;
			break;
		case 0xf3:
			in->rep = true;
			in->repne = false;
			break;
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e:
			if (!code64) {
				in->seg = b == 0x26 ? X86_SEG_ES :
					  b == 0x2e ? X86_SEG_CS :
					  b == 0x36 ? X86_SEG_SS :
						      X86_SEG_DS;
				in->seg_override = true;
			}
			break;
		case 0x64:
			in->seg = X86_SEG_FS;
			in->seg_override = true;
			break;
		case 0x65:
			in->seg = X86_SEG_GS;
			in->seg_override = true;
			break;
		default: prefix = false; break;
		}
		if (!prefix)
			break;
		in->rex = 0; /* a legacy prefix after REX cancels it */
		in->next++;
	}

	in->addr_size = code64 ? (p67 ? 2 : 3) : ((def32 != p67) ? 2 : 1);
	if (!x86_decode_opcode(tr, in, code64))
		return x86_decode_ud(in);
	const struct x86_op_row *row = x86_pfx_lookup(in);
	if (!row && !in->vex && in->map >= 1)
		row = x86_sse_lookup(tr, in);
	if (!row && (in->vex || in->map >= 2))
		return x86_decode_ud(in);
	if (!row)
		row = in->map ? &x86_map2[in->opcode] : &x86_map1[in->opcode];
	else if (row->flags & XF_NO66)
		in->p66 = false; /* a mandatory 66 is no operand-size prefix */
	/* 0x40-0x4f are REX in 64-bit mode and never reach here; elsewhere
	 * rows marked INV64 are #UD in 64-bit mode (SDM A.2.5). */
	if ((row->flags & XF_INV64) && code64)
		row = &x86_row_ud;
	if (row->flags & XF_MODRM)
		x86_decode_modrm(tr, in, row->opd[0] == OPD_R || row->opd[1] == OPD_R);
	if (row->flags & XF_GROUP) {
		row = &x86_groups[row->arg][(in->modrm >> 3) & 7];
		if (!(row->flags & XF_MODRM))
			row = &x86_row_ud;
	}
	in->row = row;

	/* Operand size (SDM 2.2.1.2, table 2-4). */
	if (row->flags & XF_BYTE)
		in->op_size = 0;
	else if (row->flags & XF_W16)
		in->op_size = 1;
	else if (row->flags & XF_VEX)
		in->op_size = code64 && in->vex_w ? 3 : 2;
	else if (code64 && (row->flags & XF_F64))
		in->op_size = 3;
	else if (code64 && (in->rex & 8))
		in->op_size = 3;
	else if (code64 && (row->flags & XF_DEF64))
		in->op_size = in->p66 ? 1 : 3;
	else
		in->op_size = (def32 != in->p66) ? 2 : 1;

	x86_decode_imm(tr, in);
	in->len = (unsigned)(in->next - in->pc);
	if (in->len > 15) {
		*gp = true;
		return false;
	}
	return row->handler != X86_H_UD;
}
