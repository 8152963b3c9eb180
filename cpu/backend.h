/*
 * Backends turn a TB's IR into something that runs. `threaded` is the portable
 * reference (a direct-threaded interpreter of IR); native backends must pass the
 * same tests.
 *
 * exec() runs tb and follows chained successors; it returns the TB it left
 * and how: the slot number (0, 1) of a GOTO_TB whose destination was not
 * linked, or BACKEND_EXIT_NOCHAIN for EXIT_TB / a stop request.
 */
#ifndef SV_CPU_BACKEND_H
#define SV_CPU_BACKEND_H

#include "cpu/ir.h"

struct tb;

#define BACKEND_EXIT_NOCHAIN 2u

struct backend_exit {
	struct tb *last;
	unsigned slot;
};

struct backend_ops {
	const char *name;
	/* Compile f for tb (sets tb->code). 0 or -ENOMEM. */
	int (*compile)(struct tb *tb, const struct ir_func *f);
	void (*free_code)(struct tb *tb);
	struct backend_exit (*exec)(struct cpu *cpu, struct tb *tb);
};

extern const struct backend_ops backend_threaded;

#endif
