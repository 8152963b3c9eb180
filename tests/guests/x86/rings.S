# Domain 0's backends through their rings: find the console ring and
# xenstore's ring with HVMOP_get_param (HVM_PARAM_CONSOLE_PFN/_EVTCHN,
# HVM_PARAM_STORE_PFN/_EVTCHN), write a line into the console's out ring and
# notify its port, then XS_READ "name" and "domid" through the store's ring
# (public/io/xs_wire.h) and print what came back with console_io. The
# backends serve a notify synchronously, so a reply is in the ring when
# EVTCHNOP_send returns; a real guest would wait for the event.
	.include "pvh.inc"
	.include "xen.inc"
	.include "xenstore.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set HVM_PARAM_CONSOLE_PFN, 17
	.set HVM_PARAM_CONSOLE_EVTCHN, 18
	# struct xencons_interface.
	.set CONS_OUT, 1024
	.set CONS_OUT_CONS, 3080
	.set CONS_OUT_PROD, 3084

	.code64
main:
	call hv_init
	call map_3_4gib
	mov $HVM_PARAM_CONSOLE_PFN, %edi
	call get_param
	shl $12, %rax
	mov %rax, cons_ring(%rip)
	mov $HVM_PARAM_CONSOLE_EVTCHN, %edi
	call get_param
	mov %eax, cons_port(%rip)
	call xs_connect

	# The console: msg at out_prod, then out_prod += len, then notify.
	mov cons_ring(%rip), %rbx
	mov CONS_OUT_PROD(%rbx), %r8d
	xor %ecx, %ecx
2:	movzbl conmsg(%rcx), %eax
	lea (%r8d, %ecx), %edx
	and $2047, %edx
	mov %al, CONS_OUT(%rbx, %rdx)
	inc %ecx
	cmp $conmsg_len, %ecx
	jb 2b
	add $conmsg_len, %r8d
	sfence				# the bytes before the index
	mov %r8d, CONS_OUT_PROD(%rbx)
	mov cons_port(%rip), %edi
	call notify
	test %rax, %rax
	jnz fail
	mov cons_ring(%rip), %rbx
	mov CONS_OUT_CONS(%rbx), %eax
	cmp CONS_OUT_PROD(%rbx), %eax
	jne fail			# not consumed

	lea path_name(%rip), %rdi
	mov $path_name_len, %esi
	call xs_read
	cmpl $XS_READ, xs_rsp_hdr(%rip)
	jne fail
	PRINT msg_name, msg_name_len
	call xs_print_reply
	lea path_domid(%rip), %rdi
	mov $path_domid_len, %esi
	call xs_read
	cmpl $XS_READ, xs_rsp_hdr(%rip)
	jne fail
	PRINT msg_domid, msg_domid_len
	call xs_print_reply
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

	.section .rodata
conmsg:	.ascii "hello through the console ring\n"
	.set conmsg_len, . - conmsg
path_name: .asciz "name"
	.set path_name_len, . - path_name
path_domid: .asciz "domid"
	.set path_domid_len, . - path_domid
msg_name: .ascii "xenstore name: "
	.set msg_name_len, . - msg_name
msg_domid: .ascii "xenstore domid: "
	.set msg_domid_len, . - msg_domid
failmsg: .ascii "rings: FAIL\n"
	.set failmsg_len, . - failmsg

	.data
	.balign 8
cons_ring: .quad 0
cons_port: .long 0
	.text
