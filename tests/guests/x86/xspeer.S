# How domains find each other through xenstore (run as domain 2 next to
# any domain 1): XS_READ of our "peers" (the other guests' ids), of domain
# 1's "data" directory (readable by every guest, for a server's ring-ref
# and port) and of domain 1's "name" (its home is private: EACCES). Each
# reply is printed: the value, or "error: " and the error's name.
	.include "pvh.inc"
	.include "xen.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set HVMOP_get_param, 1
	.set HVM_PARAM_STORE_PFN, 1
	.set HVM_PARAM_STORE_EVTCHN, 2
	.set XS_READ, 2
	.set XS_ERROR, 16
	.set XS_RSP, 1024
	.set XS_REQ_PROD, 2052
	.set XS_RSP_CONS, 2056
	.set XS_RSP_PROD, 2060

	.code64
main:
	call hv_init
	# The store's ring sits below 4 GiB, outside RAM: map 3-4 GiB.
	lea pd_hi(%rip), %rax
	or $3, %rax
	mov %rax, pvh_pdpt + 24(%rip)
	xor %ecx, %ecx
1:	mov %rcx, %rax
	add $0x600, %rax
	shl $21, %rax
	or $0x83, %rax
	mov %rax, pd_hi(, %rcx, 8)
	inc %ecx
	cmp $512, %ecx
	jb 1b
	mov %cr3, %rax
	mov %rax, %cr3
	mov $HVM_PARAM_STORE_PFN, %edi
	call get_param
	shl $12, %rax
	mov %rax, xs_ring(%rip)
	mov $HVM_PARAM_STORE_EVTCHN, %edi
	call get_param
	mov %eax, xs_port(%rip)

	lea path_peers(%rip), %rdi
	mov $path_peers_len, %esi
	call xs_read_print
	lea path_data(%rip), %rdi
	mov $path_data_len, %esi
	call xs_read_print
	lea path_name(%rip), %rdi
	mov $path_name_len, %esi
	call xs_read_print
	SHUTDOWN SHUTDOWN_poweroff

fail:
	PRINT failmsg, failmsg_len
	SHUTDOWN SHUTDOWN_crash

get_param:
	mov %edi, hvmparam_index(%rip)
	mov $HVMOP_get_param, %edi
	lea hvmparam(%rip), %rsi
	HYPERCALL __HYPERVISOR_hvm_op
	test %rax, %rax
	jnz fail
	mov hvmparam_value(%rip), %rax
	ret

# xs_put(al): one byte at req_prod (r8d counts it), ring at rbx.
xs_put:
	mov %r8d, %edx
	and $1023, %edx
	mov %al, (%rbx, %rdx)
	inc %r8d
	ret

# xs_read_print(rdi = path with its NUL, esi = its length): print
# "PATH: VALUE" or "PATH: error: NAME". The backend answers inside the
# notify, so the reply is in the ring when EVTCHNOP_send returns.
xs_read_print:
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
	mov xs_port(%rip), %eax
	mov %eax, sendport(%rip)
	mov $EVTCHNOP_send, %edi
	lea sendport(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	# The reply: header, then its payload (at most 64 bytes kept).
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
	# PATH (without its NUL): ...
	mov $CONSOLEIO_write, %edi
	lea -1(%r13), %esi
	mov %r12, %rdx
	HYPERCALL __HYPERVISOR_console_io
	PRINT msg_colon, 2
	cmpl $XS_ERROR, rsp_hdr(%rip)
	jne 6f
	PRINT msg_error, msg_error_len
	decl reply_len(%rip)		# the error name's NUL
6:	mov $CONSOLEIO_write, %edi
	mov reply_len(%rip), %esi
	lea reply(%rip), %rdx
	HYPERCALL __HYPERVISOR_console_io
	NEWLINE
	pop %r13
	pop %r12
	ret

	.section .rodata
path_peers: .asciz "peers"
	.set path_peers_len, . - path_peers
path_data: .asciz "/local/domain/1/data"
	.set path_data_len, . - path_data
path_name: .asciz "/local/domain/1/name"
	.set path_name_len, . - path_name
msg_colon: .ascii ": "
msg_error: .ascii "error: "
	.set msg_error_len, . - msg_error
failmsg: .ascii "xspeer: FAILED\n"
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
xs_port: .long 0
	.balign 8
xs_ring: .quad 0
xs_hdr:	.long XS_READ, 1, 0
xs_hdr_len: .long 0
rsp_hdr: .fill 16, 1, 0
reply_len: .long 0
reply:	.fill 64, 1, 0
	.balign 4096
pd_hi:	.fill 4096, 1, 0
	.text
