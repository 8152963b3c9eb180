# Console input through the Xen console ring (public/io/console.h), as
# Linux's hvc_xen reads it: the ring page and its event channel come from
# HVM_PARAM_CONSOLE_PFN / _EVTCHN; the guest waits with SCHEDOP_poll on that
# port with a 1 ms timeout (each timeout is a "tick": the run has timers),
# consumes in[in_cons & 1023] up to in_prod, and echoes each line as
# "echo: LINE (ticks N)". The line "quit" powers off; a line longer than
# 64 bytes or a bad ring crashes the guest.
	.include "pvh.inc"
	.include "xen.inc"
	.set HVMOP_get_param, 1
	.set HVM_PARAM_CONSOLE_PFN, 17
	.set HVM_PARAM_CONSOLE_EVTCHN, 18
	.set RING_IN_CONS, 3072
	.set RING_IN_PROD, 3076
	.set LINE_MAX, 64
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	# shared_info, for the pending bits and the pvclock.
	MAP_SHARED_INFO shinfo
	# The console ring's gfn and port.
	movl $HVM_PARAM_CONSOLE_PFN, hvmp_index(%rip)
	mov $HVMOP_get_param, %edi
	lea hvmp(%rip), %rsi
	HYPERCALL __HYPERVISOR_hvm_op
	test %rax, %rax
	jnz fail
	mov hvmp_value(%rip), %rax
	shl $12, %rax
	mov %rax, ring(%rip)
	movl $HVM_PARAM_CONSOLE_EVTCHN, hvmp_index(%rip)
	mov $HVMOP_get_param, %edi
	lea hvmp(%rip), %rsi
	HYPERCALL __HYPERVISOR_hvm_op
	test %rax, %rax
	jnz fail
	mov hvmp_value(%rip), %rax
	mov %eax, port(%rip)
	# The ring sits below 4 GiB, above the 1 GiB the boot code mapped:
	# PDPT[3] -> a PD mapping 3..4 GiB with 2 MiB pages.
	mov ring(%rip), %rax
	mov $0xc0000000, %rcx
	cmp %rcx, %rax
	jb fail
	lea pd3(%rip), %rdi
	xor %ecx, %ecx
	mov $0xc0000083, %edx		# 3 GiB | PS | RW | P
1:	mov %rcx, %rax
	shl $21, %rax
	add %rdx, %rax
	mov %rax, (%rdi, %rcx, 8)
	inc %ecx
	cmp $512, %ecx
	jb 1b
	lea pd3(%rip), %rax
	or $3, %rax
	mov %rax, pvh_pdpt + 24(%rip)
	mov %cr3, %rax
	mov %rax, %cr3
	PRINT ready, ready_len

wait:
	call now
	add $1000000, %rax
	mov %rax, poll_timeout(%rip)
	mov $SCHEDOP_poll, %edi
	lea poll(%rip), %rsi
	HYPERCALL __HYPERVISOR_sched_op
	test %rax, %rax
	jnz fail
	# Acknowledge the port, then drain the ring (a byte arriving after
	# the acknowledgement sets the port again).
	mov port(%rip), %ecx
	lea shinfo(%rip), %rbx
	lock btr %rcx, SI_EVTCHN_PENDING(%rbx)
	jc drain
	incq ticks(%rip)
drain:
	mov ring(%rip), %rbx
	mov RING_IN_CONS(%rbx), %r12d
	mov RING_IN_PROD(%rbx), %r13d
	mov %r13d, %eax
	sub %r12d, %eax
	cmp $1024, %eax
	ja fail				# the producer cannot be a ring ahead
next:
	cmp %r12d, %r13d
	je consumed
	mov %r12d, %eax
	and $1023, %eax
	movzbl (%rbx, %rax), %eax
	inc %r12d
	cmp $'\r', %al
	je eol
	cmp $'\n', %al
	je eol
	mov len(%rip), %rcx
	cmp $LINE_MAX, %rcx
	jae fail
	lea line(%rip), %rdx
	mov %al, (%rdx, %rcx)
	incq len(%rip)
	jmp next
eol:
	call echo_line
	jmp next
consumed:
	mov %r12d, RING_IN_CONS(%rbx)
	jmp wait

# echo_line: "echo: LINE (ticks N)\n", or power off for "quit".
echo_line:
	push %rbx
	mov len(%rip), %rcx
	cmp $4, %rcx
	jne 1f
	cmpl $0x74697571, line(%rip)	# "quit"
	jne 1f
	mov ring(%rip), %rbx
	mov %r12d, RING_IN_CONS(%rbx)
	PRINT bye, bye_len
	SHUTDOWN SHUTDOWN_poweroff
1:	PRINT echo, echo_len
	mov $CONSOLEIO_write, %edi
	mov len(%rip), %rsi
	lea line(%rip), %rdx
	HYPERCALL __HYPERVISOR_console_io
	PRINT ticksmsg, ticksmsg_len
	PRINT_DEC ticks(%rip)
	PRINT close, close_len
	movq $0, len(%rip)
	pop %rbx
	ret

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

now:
	lea shinfo + VI_TIME(%rip), %rdi
	jmp pvclock_read

	.section .rodata
ready:	.ascii "echo: ready\n"
	.set ready_len, . - ready
echo:	.ascii "echo: "
	.set echo_len, . - echo
ticksmsg: .ascii " (ticks "
	.set ticksmsg_len, . - ticksmsg
close:	.ascii ")\n"
	.set close_len, . - close
bye:	.ascii "echo: bye\n"
	.set bye_len, . - bye
failmsg: .ascii "echo: FAILED\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
hvmp:	.word DOMID_SELF, 0
hvmp_index:
	.long 0
hvmp_value:
	.quad 0
ring:	.quad 0
port:	.long 0, 0
ticks:	.quad 0
len:	.quad 0
line:	.fill LINE_MAX, 1, 0
	.balign 8
poll:	.quad port
	.long 1, 0
poll_timeout:
	.quad 0
	.balign 4096
pd3:	.fill 4096, 1, 0
shinfo:	.fill 4096, 1, 0
	.text
