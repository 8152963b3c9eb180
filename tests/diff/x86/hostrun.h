/*
 * Run x86-64 machine code on the host CPU in a sandboxed child process, the
 * reference side of the x86 differential tests.
 *
 * The code runs at a fixed address (XD_CODE, or XD_CODE32 in compatibility
 * mode) with every general register,
 * RFLAGS' arithmetic flags, XMM0-15 and MXCSR taken from a struct xd_state,
 * next to a 4 KiB data window at a fixed address (XD_WIN, which also holds
 * the stack). It ends with a jump back to the harness, or with a fault: the
 * child catches SIGSEGV SIGBUS SIGILL SIGFPE SIGTRAP on an alternate stack
 * and records the registers the kernel reports at the faulting instruction.
 * Either way the final state (registers, fault class, the window) is written
 * back. A whole batch runs in one child; a child that dies or hangs (it has
 * an alarm) marks its case as XD_FAULT_CRASH and the batch goes on in a new
 * child.
 *
 *     struct xd_case cs[N];   ... code, len, in ...
 *     xd_host_run(cs, N);     ... cs[i].out is what the host did
 *
 * The same layout is what the emulator side maps (x86diff.c), so addresses
 * computed by the code agree between the two.
 */
#ifndef SV_TESTS_DIFF_X86_HOSTRUN_H
#define SV_TESTS_DIFF_X86_HOSTRUN_H

#include <stdbool.h>
#include <stdint.h>

#define XD_CODE 0x300000000000ull /* code page (user half, 47-bit) */
#define XD_WIN (XD_CODE + 0x1000) /* data window and stack */
#define XD_WIN_SIZE 4096u
#define XD_CODE_MAX 3072u /* room for the sequence; the exit jump follows */

/*
 * Compatibility mode (32-bit code, CS = the host's 32-bit user selector
 * 0x23): code and window below 4 GiB, and DS = ES = an LDT data segment
 * (modify_ldt) based at XD_WIN32 with a 64 KiB limit, so 16-bit addressing
 * (67 prefix) reaches the window. SS stays flat; ESP points into the window.
 */
#define XD_CODE32 0x70000000u
#define XD_WIN32 (XD_CODE32 + 0x1000u)
#define XD_LDT_SEL 0x7 /* LDT entry 0, RPL 3 */

/* Fault classes: what a host signal and an emulator exception map to. */
enum xd_fault {
	XD_FAULT_NONE,
	XD_FAULT_SEGV, /* #GP #SS #PF #NP */
	XD_FAULT_BUS,  /* #AC */
	XD_FAULT_ILL,  /* #UD */
	XD_FAULT_FPE,  /* #DE #XM #MF */
	XD_FAULT_TRAP, /* #DB #BP #OF */
	XD_FAULT_CRASH /* the host child died or hung */
};

struct xd_state {
	uint64_t gpr[16]; /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
	uint64_t rflags;
	uint64_t rip; /* at the end: offset from XD_CODE where execution stopped */
	uint32_t mxcsr;
	uint32_t fault; /* enum xd_fault */
	uint8_t xmm[16][16];
	uint8_t mem[XD_WIN_SIZE];
};

struct xd_case {
	uint8_t code[XD_CODE_MAX];
	uint32_t len;
	uint32_t compat; /* run in compatibility mode (see above) */
	struct xd_state in, out;
};

/* Run every case on the host; false if no child could be started or the
 * fixed pages could not be mapped (then the caller skips). */
bool xd_host_run(struct xd_case *cases, unsigned n);

#endif
