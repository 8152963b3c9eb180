/*
 * The meaning of each pure IR operation, in one place: the threaded backend
 * executes these, the optimizer folds constants with them, and native
 * backends are tested against them.
 */
#ifndef SV_CPU_IR_EVAL_H
#define SV_CPU_IR_EVAL_H

#include "cpu/ir.h"

static inline bool ir_cond_eval(unsigned c, uint64_t a, uint64_t b)
{
	switch (c) {
	case IR_EQ: return a == b;
	case IR_NE: return a != b;
	case IR_LT: return (int64_t)a < (int64_t)b;
	case IR_GE: return (int64_t)a >= (int64_t)b;
	case IR_LE: return (int64_t)a <= (int64_t)b;
	case IR_GT: return (int64_t)a > (int64_t)b;
	case IR_LTU: return a < b;
	case IR_GEU: return a >= b;
	case IR_LEU: return a <= b;
	case IR_GTU: return a > b;
	case IR_TSTEQ: return (a & b) == 0;
	case IR_TSTNE: return (a & b) != 0;
	default: return false;
	}
}

static inline uint64_t ir_rotl64(uint64_t a, unsigned n)
{
	n &= 63;
	return n ? (a << n) | (a >> (64 - n)) : a;
}

static inline uint64_t ir_rotl32(uint64_t a, unsigned n)
{
	uint32_t x = (uint32_t)a;
	n &= 31;
	return n ? (uint32_t)((x << n) | (x >> (32 - n))) : x;
}

static inline uint64_t ir_mulhu(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static inline uint64_t ir_mulhs(uint64_t a, uint64_t b)
{
	return (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
}

static inline uint64_t ir_divs(uint64_t a, uint64_t b)
{
	if (b == 0 || ((int64_t)a == INT64_MIN && (int64_t)b == -1))
		return 0;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t ir_rems(uint64_t a, uint64_t b)
{
	if (b == 0 || ((int64_t)a == INT64_MIN && (int64_t)b == -1))
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

/* Evaluate a pure unary or binary op (b ignored for unary). */
static inline bool ir_fold(unsigned op, uint64_t a, uint64_t b, uint64_t *out)
{
	uint64_t r;

	switch (op) {
	case IR_ADD: r = a + b; break;
	case IR_SUB: r = a - b; break;
	case IR_AND: r = a & b; break;
	case IR_OR: r = a | b; break;
	case IR_XOR: r = a ^ b; break;
	case IR_SHL: r = a << (b & 63); break;
	case IR_SHR: r = a >> (b & 63); break;
	case IR_SAR: r = (uint64_t)((int64_t)a >> (b & 63)); break;
	case IR_ROTL: r = ir_rotl64(a, (unsigned)b); break;
	case IR_ROTR: r = ir_rotl64(a, (unsigned)(64 - (b & 63))); break;
	case IR_ROTL32: r = ir_rotl32(a, (unsigned)b); break;
	case IR_MUL: r = a * b; break;
	case IR_MULHU: r = ir_mulhu(a, b); break;
	case IR_MULHS: r = ir_mulhs(a, b); break;
	case IR_DIVU: r = b ? a / b : 0; break;
	case IR_DIVS: r = ir_divs(a, b); break;
	case IR_REMU: r = b ? a % b : 0; break;
	case IR_REMS: r = ir_rems(a, b); break;
	case IR_NEG: r = -a; break;
	case IR_NOT: r = ~a; break;
	case IR_EXT8S: r = (uint64_t)(int64_t)(int8_t)a; break;
	case IR_EXT8U: r = (uint8_t)a; break;
	case IR_EXT16S: r = (uint64_t)(int64_t)(int16_t)a; break;
	case IR_EXT16U: r = (uint16_t)a; break;
	case IR_EXT32S: r = (uint64_t)(int64_t)(int32_t)a; break;
	case IR_EXT32U: r = (uint32_t)a; break;
	case IR_BSWAP16: r = sv_bswap16(a); break;
	case IR_BSWAP32: r = sv_bswap32(a); break;
	case IR_BSWAP64: r = sv_bswap64(a); break;
	case IR_CLZ: r = a ? (uint64_t)__builtin_clzll(a) : 64; break;
	case IR_CTZ: r = a ? (uint64_t)__builtin_ctzll(a) : 64; break;
	case IR_POPCNT: r = (uint64_t)__builtin_popcountll(a); break;
	default: return false;
	}
	*out = r;
	return true;
}

#endif
