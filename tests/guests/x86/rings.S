# Domain 0's backends through their rings: find the console ring and
# xenstore's ring with HVMOP_get_param (HVM_PARAM_CONSOLE_PFN/_EVTCHN,
# HVM_PARAM_STORE_PFN/_EVTCHN), write a line into the console's out ring and
# notify its port, then XS_READ "name" and "domid" through the store's ring
# (public/io/xs_wire.h) and print what came back with console_io. The
# backends serve a notify synchronously, so a reply is in the ring when
# EVTCHNOP_send returns; a real guest would wait for the event.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set HVMOP_get_param, 1
	.set HVM_PARAM_STORE_PFN, 1
	.set HVM_PARAM_STORE_EVTCHN, 2
	.set HVM_PARAM_CONSOLE_PFN, 17
	.set HVM_PARAM_CONSOLE_EVTCHN, 18
	.set XS_READ, 2
	# struct xencons_interface and struct xenstore_domain_interface.
	.set CONS_OUT, 1024
	.set CONS_OUT_CONS, 3080
	.set CONS_OUT_PROD, 3084
	.set XS_RSP, 1024
	.set XS_REQ_PROD, 2052
	.set XS_RSP_CONS, 2056
	.set XS_RSP_PROD, 2060

	.code64
main:
	call hv_init
	# The rings sit outside RAM, below 4 GiB: identity-map 3-4 GiB too
	# (PDPT[3] -> pd_hi, 2 MiB pages).
	lea pd_hi(%rip), %rax
	or $3, %rax
	mov %rax, pvh_pdpt + 24(%rip)
	xor %ecx, %ecx
1:	mov %rcx, %rax
	add $0x600, %rax		# 3 GiB / 2 MiB: the first page's index
	shl $21, %rax
	or $0x83, %rax
	mov %rax, pd_hi(, %rcx, 8)
	inc %ecx
	cmp $512, %ecx
	jb 1b
	mov %cr3, %rax
	mov %rax, %cr3

	mov $HVM_PARAM_CONSOLE_PFN, %edi
	call get_param
	shl $12, %rax
	mov %rax, cons_ring(%rip)
	mov $HVM_PARAM_CONSOLE_EVTCHN, %edi
	call get_param
	mov %eax, cons_port(%rip)
	mov $HVM_PARAM_STORE_PFN, %edi
	call get_param
	shl $12, %rax
	mov %rax, xs_ring(%rip)
	mov $HVM_PARAM_STORE_EVTCHN, %edi
	call get_param
	mov %eax, xs_port(%rip)

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
	mov cons_ring(%rip), %rbx
	mov CONS_OUT_CONS(%rbx), %eax
	cmp CONS_OUT_PROD(%rbx), %eax
	jne fail			# not consumed

	lea path_name(%rip), %rdi
	mov $path_name_len, %esi
	call xs_read
	PRINT msg_name, msg_name_len
	call print_reply
	lea path_domid(%rip), %rdi
	mov $path_domid_len, %esi
	call xs_read
	PRINT msg_domid, msg_domid_len
	call print_reply
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

# get_param(edi = index) -> rax = the value (fail on error).
get_param:
	mov %edi, hvmparam_index(%rip)
	mov $HVMOP_get_param, %edi
	lea hvmparam(%rip), %rsi
	HYPERCALL __HYPERVISOR_hvm_op
	test %rax, %rax
	jnz fail
	mov hvmparam_value(%rip), %rax
	test %rax, %rax
	jz fail
	ret

# notify(edi = port): EVTCHNOP_send.
notify:
	mov %edi, sendport(%rip)
	mov $EVTCHNOP_send, %edi
	lea sendport(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	ret

# xs_put(al): one byte at req_prod (r8d counts it), ring at rbx.
xs_put:
	mov %r8d, %edx
	and $1023, %edx
	mov %al, (%rbx, %rdx)
	inc %r8d
	ret

# xs_read(rdi = path with its NUL, esi = its length): the request, the
# notify, the reply's payload in reply (its length in reply_len).
xs_read:
	push %r12
	push %r13
	mov %rdi, %r12
	mov %esi, %r13d
	mov %esi, xs_hdr_len(%rip)
	mov xs_ring(%rip), %rbx
	mov XS_REQ_PROD(%rbx), %r8d
	xor %ecx, %ecx
1:	movzbl xs_hdr(%rcx), %eax
	call xs_put
	inc %ecx
	cmp $16, %ecx
	jb 1b
	xor %ecx, %ecx
2:	movzbl (%r12, %rcx), %eax
	call xs_put
	inc %ecx
	cmp %r13d, %ecx
	jb 2b
	sfence
	mov %r8d, XS_REQ_PROD(%rbx)
	mov xs_port(%rip), %edi
	call notify
	# The reply: header, then payload (bounded by our buffer).
	mov xs_ring(%rip), %rbx
	mov XS_RSP_CONS(%rbx), %r8d
	mov XS_RSP_PROD(%rbx), %eax
	sub %r8d, %eax
	cmp $16, %eax
	jb fail
	xor %ecx, %ecx
3:	lea (%r8d, %ecx), %edx
	and $1023, %edx
	movzbl XS_RSP(%rbx, %rdx), %eax
	mov %al, rsp_hdr(%rcx)
	inc %ecx
	cmp $16, %ecx
	jb 3b
	cmpl $XS_READ, rsp_hdr(%rip)
	jne fail
	mov rsp_hdr + 12(%rip), %r9d
	cmp $64, %r9d
	ja fail
	mov %r9d, reply_len(%rip)
	add $16, %r8d
	xor %ecx, %ecx
	test %r9d, %r9d
	jz 5f
4:	lea (%r8d, %ecx), %edx
	and $1023, %edx
	movzbl XS_RSP(%rbx, %rdx), %eax
	mov %al, reply(%rcx)
	inc %ecx
	cmp %r9d, %ecx
	jb 4b
5:	add %r9d, %r8d
	mov %r8d, XS_RSP_CONS(%rbx)
	pop %r13
	pop %r12
	ret

print_reply:
	mov $CONSOLEIO_write, %edi
	mov reply_len(%rip), %esi
	lea reply(%rip), %rdx
	HYPERCALL __HYPERVISOR_console_io
	NEWLINE
	ret

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
hvmparam:
	.word DOMID_SELF, 0
hvmparam_index:
	.long 0
hvmparam_value:
	.quad 0
sendport: .long 0
cons_port: .long 0
xs_port: .long 0
	.balign 8
cons_ring: .quad 0
xs_ring: .quad 0
xs_hdr:	.long XS_READ, 1, 0		# type, req_id, tx_id
xs_hdr_len: .long 0
rsp_hdr: .fill 16, 1, 0
reply_len: .long 0
reply:	.fill 64, 1, 0
	.balign 4096
pd_hi:	.fill 4096, 1, 0
	.text
