/*
 * The host side of the x86 differential tests: see hostrun.h.
 *
 * In the child, xd_host_enter (assembly below) saves the C callee-saved
 * registers, loads MXCSR, XMM0-15, RFLAGS and all sixteen general registers
 * (RSP last but one, RDI last) from the input state and jumps to XD_CODE.
 * The code ends with `jmp *0(%rip)` to xd_host_exit, which stores the
 * registers into xd_host_out with RIP-relative moves (they change no flag),
 * switches to a private stack, then reads RFLAGS, MXCSR and the XMMs. A
 * fault lands in xd_host_signal on the alternate signal stack, which copies
 * the state from the signal context and siglongjmps back.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/ldt.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "hostrun.h"

#if defined(__x86_64__) && defined(__linux__)

__attribute__((visibility("hidden"))) struct xd_state xd_host_out;
__attribute__((visibility("hidden"))) uint64_t xd_host_saved_rsp;
__attribute__((visibility("hidden"))) uint64_t xd_host_target;
/* m16:32 of the compatibility-mode entry: offset, selector 0x23. */
__attribute__((visibility("hidden"))) uint32_t xd_host_far[2];
static uint64_t xd_host_base;
__attribute__((visibility("hidden"))) uint8_t xd_host_stack[16384] __attribute__((aligned(64)));

void xd_host_enter(const struct xd_state *in);
void xd_host_enter32(const struct xd_state *in);
extern const uint8_t xd_host_exit[];

/* Offsets used by the assembly: gpr[] at 0, rflags 128, mxcsr 144, xmm 152. */
_Static_assert(offsetof(struct xd_state, rflags) == 128, "layout");
_Static_assert(offsetof(struct xd_state, mxcsr) == 144, "layout");
_Static_assert(offsetof(struct xd_state, xmm) == 152, "layout");

/* clang-format off */
asm(".text\n"
    ".globl xd_host_enter\n.hidden xd_host_enter\n"
    "xd_host_enter:\n"
    "	push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "	mov %rsp, xd_host_saved_rsp(%rip)\n"
    "	ldmxcsr 144(%rdi)\n"
    "	movdqu 152+0*16(%rdi), %xmm0\n movdqu 152+1*16(%rdi), %xmm1\n"
    "	movdqu 152+2*16(%rdi), %xmm2\n movdqu 152+3*16(%rdi), %xmm3\n"
    "	movdqu 152+4*16(%rdi), %xmm4\n movdqu 152+5*16(%rdi), %xmm5\n"
    "	movdqu 152+6*16(%rdi), %xmm6\n movdqu 152+7*16(%rdi), %xmm7\n"
    "	movdqu 152+8*16(%rdi), %xmm8\n movdqu 152+9*16(%rdi), %xmm9\n"
    "	movdqu 152+10*16(%rdi), %xmm10\n movdqu 152+11*16(%rdi), %xmm11\n"
    "	movdqu 152+12*16(%rdi), %xmm12\n movdqu 152+13*16(%rdi), %xmm13\n"
    "	movdqu 152+14*16(%rdi), %xmm14\n movdqu 152+15*16(%rdi), %xmm15\n"
    "	pushq 128(%rdi)\n popfq\n"
    "	mov 0*8(%rdi), %rax\n mov 1*8(%rdi), %rcx\n mov 2*8(%rdi), %rdx\n"
    "	mov 3*8(%rdi), %rbx\n mov 5*8(%rdi), %rbp\n mov 6*8(%rdi), %rsi\n"
    "	mov 8*8(%rdi), %r8\n mov 9*8(%rdi), %r9\n mov 10*8(%rdi), %r10\n"
    "	mov 11*8(%rdi), %r11\n mov 12*8(%rdi), %r12\n mov 13*8(%rdi), %r13\n"
    "	mov 14*8(%rdi), %r14\n mov 15*8(%rdi), %r15\n"
    "	mov 4*8(%rdi), %rsp\n mov 7*8(%rdi), %rdi\n"
    "	jmp *xd_host_target(%rip)\n"
    /* The same into compatibility mode: DS and ES get the LDT window
     * segment (its base applies once CS is 32-bit), then a far jump. */
    ".globl xd_host_enter32\n.hidden xd_host_enter32\n"
    "xd_host_enter32:\n"
    "	push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "	mov %rsp, xd_host_saved_rsp(%rip)\n"
    "	ldmxcsr 144(%rdi)\n"
    "	movdqu 152+0*16(%rdi), %xmm0\n movdqu 152+1*16(%rdi), %xmm1\n"
    "	movdqu 152+2*16(%rdi), %xmm2\n movdqu 152+3*16(%rdi), %xmm3\n"
    "	movdqu 152+4*16(%rdi), %xmm4\n movdqu 152+5*16(%rdi), %xmm5\n"
    "	movdqu 152+6*16(%rdi), %xmm6\n movdqu 152+7*16(%rdi), %xmm7\n"
    "	mov $7, %eax\n mov %eax, %ds\n mov %eax, %es\n"
    "	pushq 128(%rdi)\n popfq\n"
    "	mov 0*8(%rdi), %rax\n mov 1*8(%rdi), %rcx\n mov 2*8(%rdi), %rdx\n"
    "	mov 3*8(%rdi), %rbx\n mov 5*8(%rdi), %rbp\n mov 6*8(%rdi), %rsi\n"
    "	mov 4*8(%rdi), %rsp\n mov 7*8(%rdi), %rdi\n"
    "	ljmp *xd_host_far(%rip)\n"
    ".globl xd_host_exit\n.hidden xd_host_exit\n"
    "xd_host_exit:\n"
    "	mov %rax, xd_host_out+0*8(%rip)\n mov %rcx, xd_host_out+1*8(%rip)\n"
    "	mov %rdx, xd_host_out+2*8(%rip)\n mov %rbx, xd_host_out+3*8(%rip)\n"
    "	mov %rsp, xd_host_out+4*8(%rip)\n mov %rbp, xd_host_out+5*8(%rip)\n"
    "	mov %rsi, xd_host_out+6*8(%rip)\n mov %rdi, xd_host_out+7*8(%rip)\n"
    "	mov %r8, xd_host_out+8*8(%rip)\n mov %r9, xd_host_out+9*8(%rip)\n"
    "	mov %r10, xd_host_out+10*8(%rip)\n mov %r11, xd_host_out+11*8(%rip)\n"
    "	mov %r12, xd_host_out+12*8(%rip)\n mov %r13, xd_host_out+13*8(%rip)\n"
    "	mov %r14, xd_host_out+14*8(%rip)\n mov %r15, xd_host_out+15*8(%rip)\n"
    "	lea xd_host_stack+16384(%rip), %rsp\n"
    "	pushfq\n pop %rax\n mov %rax, xd_host_out+128(%rip)\n"
    "	stmxcsr xd_host_out+144(%rip)\n"
    "	lea xd_host_out+152(%rip), %rdi\n"
    "	movdqu %xmm0, 0*16(%rdi)\n movdqu %xmm1, 1*16(%rdi)\n"
    "	movdqu %xmm2, 2*16(%rdi)\n movdqu %xmm3, 3*16(%rdi)\n"
    "	movdqu %xmm4, 4*16(%rdi)\n movdqu %xmm5, 5*16(%rdi)\n"
    "	movdqu %xmm6, 6*16(%rdi)\n movdqu %xmm7, 7*16(%rdi)\n"
    "	movdqu %xmm8, 8*16(%rdi)\n movdqu %xmm9, 9*16(%rdi)\n"
    "	movdqu %xmm10, 10*16(%rdi)\n movdqu %xmm11, 11*16(%rdi)\n"
    "	movdqu %xmm12, 12*16(%rdi)\n movdqu %xmm13, 13*16(%rdi)\n"
    "	movdqu %xmm14, 14*16(%rdi)\n movdqu %xmm15, 15*16(%rdi)\n"
    "	cld\n"
    "	mov xd_host_saved_rsp(%rip), %rsp\n"
    "	pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
    "	ret\n");
/* clang-format on */

static sigjmp_buf xd_host_jmp;

static void xd_host_signal(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;
	mcontext_t *m = &uc->uc_mcontext;
	static const int map[16] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
				     REG_RSI, REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11,
				     REG_R12, REG_R13, REG_R14, REG_R15 };
	(void)si;
	for (unsigned i = 0; i < 16; i++)
		xd_host_out.gpr[i] = (uint64_t)m->gregs[map[i]];
	xd_host_out.rflags = (uint64_t)m->gregs[REG_EFL];
	xd_host_out.rip = (uint64_t)m->gregs[REG_RIP] - xd_host_base;
	if (m->fpregs) {
		xd_host_out.mxcsr = m->fpregs->mxcsr;
		memcpy(xd_host_out.xmm, m->fpregs->_xmm, sizeof(xd_host_out.xmm));
	}
	xd_host_out.fault = sig == SIGSEGV ? XD_FAULT_SEGV :
			    sig == SIGBUS  ? XD_FAULT_BUS :
			    sig == SIGILL  ? XD_FAULT_ILL :
			    sig == SIGFPE  ? XD_FAULT_FPE :
					     XD_FAULT_TRAP;
	siglongjmp(xd_host_jmp, 1);
}

/* One case in the child. */
static void xd_host_one(struct xd_case *cs, uint8_t *code, uint8_t *win, uint8_t *code32,
			uint8_t *win32)
{
	static const uint8_t jmp[6] = { 0xff, 0x25, 0, 0, 0, 0 }; /* jmp *0(%rip) */
	uint64_t exit_addr = (uint64_t)(uintptr_t)xd_host_exit;
	uint8_t *c = cs->compat ? code32 : code, *w = cs->compat ? win32 : win;
	unsigned n = cs->len;
	memcpy(c, cs->code, n);
	if (cs->compat) {
		/* ljmp $0x33, $(XD_CODE32 + n + 7): back to 64-bit code. */
		uint32_t off = XD_CODE32 + n + 7;
		c[n] = 0xea;
		memcpy(c + n + 1, &off, 4);
		c[n + 5] = 0x33;
		c[n + 6] = 0;
		n += 7;
	}
	memcpy(c + n, jmp, sizeof(jmp));
	memcpy(c + n + 6, &exit_addr, 8);
	__builtin___clear_cache((char *)c, (char *)c + n + 14);
	memcpy(w, cs->in.mem, XD_WIN_SIZE);
	memset(&xd_host_out, 0, sizeof(xd_host_out));
	xd_host_base = cs->compat ? XD_CODE32 : XD_CODE;
	xd_host_target = XD_CODE;
	xd_host_far[0] = XD_CODE32;
	xd_host_far[1] = 0x23;
	if (sigsetjmp(xd_host_jmp, 1) == 0) {
		if (cs->compat)
			xd_host_enter32(&cs->in);
		else
			xd_host_enter(&cs->in);
		xd_host_out.rip = cs->len;
		xd_host_out.fault = XD_FAULT_NONE;
	}
	asm volatile("mov %0, %%ds\n mov %0, %%es" : : "r"(0));
	memcpy(xd_host_out.mem, w, XD_WIN_SIZE);
	cs->out = xd_host_out;
}

/* The child: run cases [first, n), recording progress in *done. */
static void xd_host_child(struct xd_case *cases, unsigned first, unsigned n,
			  volatile unsigned *done)
{
	uint8_t *code = mmap((void *)XD_CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	uint8_t *win = mmap((void *)XD_WIN, XD_WIN_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	uint8_t *code32 =
		mmap((void *)(uintptr_t)XD_CODE32, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	uint8_t *win32 = mmap((void *)(uintptr_t)XD_WIN32, XD_WIN_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (code != (void *)XD_CODE || win != (void *)XD_WIN ||
	    code32 != (void *)(uintptr_t)XD_CODE32 || win32 != (void *)(uintptr_t)XD_WIN32)
		_exit(3);
	/* LDT entry 0: a 32-bit read/write data segment at XD_WIN32, 64 KiB. */
	struct user_desc ud = { .entry_number = 0,
				.base_addr = XD_WIN32,
				.limit = 0xffff,
				.seg_32bit = 1,
				.useable = 1 };
	if (syscall(SYS_modify_ldt, 1, &ud, sizeof(ud)) != 0)
		_exit(3);
	static uint8_t altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = xd_host_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	for (unsigned i = first; i < n; i++) {
		alarm(5);
		xd_host_one(&cases[i], code, win, code32, win32);
		*done = i + 1;
	}
	_exit(0);
}

bool xd_host_run(struct xd_case *cases, unsigned n)
{
	size_t bytes = (size_t)n * sizeof(*cases) + 4096;
	void *shm = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		return false;
	volatile unsigned *done = shm;
	struct xd_case *sc = (struct xd_case *)((uint8_t *)shm + 4096);
	memcpy(sc, cases, (size_t)n * sizeof(*cases));
	unsigned first = 0;
	bool ok = true;
	fflush(NULL);
	while (first < n) {
		*done = first;
		pid_t pid = fork();
		if (pid < 0) {
			ok = false;
			break;
		}
		if (pid == 0)
			xd_host_child(sc, first, n, done);
		int st;
		if (waitpid(pid, &st, 0) < 0) {
			ok = false;
			break;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
			ok = false; /* the fixed pages are taken */
			break;
		}
		if (*done >= n)
			break;
		/* The child died in case *done: mark it, go on after it. */
		sc[*done].out.fault = XD_FAULT_CRASH;
		first = *done + 1;
	}
	if (ok)
		for (unsigned i = 0; i < n; i++)
			cases[i].out = sc[i].out;
	munmap(shm, bytes);
	return ok;
}

#else

bool xd_host_run(struct xd_case *cases, unsigned n)
{
	(void)cases;
	(void)n;
	return false;
}

#endif
