# The x86-64 CPU benchmark: the same xorshift table walk as ppc_loop.S (16
# instructions an iteration), then the sum in hex. Assembled twice:
#   guest (default): a PVH guest (tests/guests/x86/pvh.inc), output through
#                    console_io, then power off
#   --defsym SV_USER=1: a static x86-64 Linux program, run natively and under
#                    qemu-x86_64, so every runner does exactly the same work.
	.ifndef ITER
	.set ITER, 10000000
	.endif

	.ifdef SV_USER
	.text
	.globl	_start
_start:
	call	bench
	mov	%rbx, %rdi
	call	hex
	mov	$1, %eax		# write(1, out, 17)
	mov	$1, %edi
	lea	out(%rip), %rsi
	mov	$17, %edx
	syscall
	mov	$60, %eax		# exit(0)
	xor	%edi, %edi
	syscall
	.else
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main
	.code64
main:
	call	hv_init
	call	bench
	mov	%rbx, %rdi
	call	hex
	mov	$CONSOLEIO_write, %edi
	mov	$17, %esi
	lea	out(%rip), %rdx
	HYPERCALL __HYPERVISOR_console_io
	SHUTDOWN SHUTDOWN_poweroff
	.endif

	.text
	.code64
# rbx = the sum of the walk.
bench:
	mov	$ITER, %ecx
	mov	$1, %eax
	xor	%ebx, %ebx
	lea	table(%rip), %rdi
1:	mov	%rax, %rdx
	shl	$13, %rdx
	xor	%rdx, %rax
	mov	%rax, %rdx
	shr	$7, %rdx
	xor	%rdx, %rax
	mov	%rax, %rdx
	shl	$17, %rdx
	xor	%rdx, %rax
	mov	%eax, %edx
	and	$0x1ff8, %edx
	mov	(%rdi,%rdx), %rsi
	add	%rax, %rsi
	mov	%rsi, (%rdi,%rdx)
	add	%rsi, %rbx
	dec	%rcx
	jnz	1b
	ret

# out = 16 hex digits of rdi and a newline.
hex:
	lea	out+16(%rip), %rsi
	movb	$10, (%rsi)
	mov	$16, %ecx
1:	dec	%rsi
	mov	%edi, %eax
	and	$15, %eax
	cmp	$10, %eax
	jb	2f
	add	$'a' - '0' - 10, %eax
2:	add	$'0', %eax
	mov	%al, (%rsi)
	shr	$4, %rdi
	dec	%ecx
	jnz	1b
	ret

	.data
	.balign	8
out:	.space	24
	.balign	4096
table:	.space	8192
