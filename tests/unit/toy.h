/*
 * A toy architecture for testing the translator core without x86 or POWER:
 * 8-byte instructions, identity address translation, eight registers.
 *
 *   byte 0 opcode, byte 1 rd, byte 2 rs, bytes 4..7 imm32 (little-endian)
 *   01 LI  rd, imm        rd = sext(imm)
 *   02 ADDI rd, imm       rd += sext(imm)
 *   03 ADD rd, rs         rd += rs
 *   04 ST  rd, [imm]      64-bit store
 *   05 LD  rd, [imm]      64-bit load
 *   06 JMP imm            (chain slot 0)
 *   07 BNZ rd, imm        if rd != 0 goto imm (slot 0) else next (slot 1)
 *   08 EXIT imm           architected exit, reason imm
 *   09 DIV rd, rs         rd /= rs; rs == 0 raises a guest fault (to fault_vector)
 *   0a STB rd, [rs + imm] byte store
 *   other: exit with reason 0xdead
 */
#ifndef SV_TESTS_TOY_H
#define SV_TESTS_TOY_H

#include "cpu/backend.h"
#include "cpu/cpu.h"
#include "cpu/tb.h"
#include "mmu/p2m.h"

struct toy_cpu {
	struct cpu cpu;
	uint64_t r[8];
	uint64_t pc;
	uint64_t fault_vector;
	uint64_t faults;
	bool fault_pending;
	uint64_t fault_pc;
};

/* A machine: frames, a p2m with ram_pages of RAM at gfn 0, a TB cache, a CPU. */
struct toy_machine {
	struct machmem mem;
	struct p2m *p2m;
	struct tb_cache *tbc;
	struct toy_cpu *cpu;
};

void toy_machine_init(struct toy_machine *m, uint64_t ram_pages);
void toy_machine_destroy(struct toy_machine *m);
/* A toy CPU on an existing p2m and TB cache (cpu_destroy + free to end it). */
struct toy_cpu *toy_cpu_new(struct p2m *p2m, struct tb_cache *tbc, unsigned index);
/* Write instruction words at gpa. */
void toy_put(struct toy_machine *m, uint64_t gpa, uint8_t op, uint8_t rd, uint8_t rs, int32_t imm);

#endif
