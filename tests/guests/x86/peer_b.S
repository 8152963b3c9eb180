# Two guests talking (the client, domain 2; see peer_a.S and peer.inc): map
# the server's ring grant (retrying until it exists), bind to the port the
# server wrote in it, send NR_REQUESTS requests and wait for each response's
# event; GNTTABOP_copy the server's second grant into our memory and our
# own text into it; say goodbye; then unmap and close, and check the errors
# after: a second unmap of the handle is GNTST_bad_handle, a send on the
# closed port -EINVAL.
	.include "pvh.inc"
	.include "xen.inc"
	.include "peer.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	MAP_SHARED_INFO shinfo

	# map_grant_ref {ring, host_map, RING_REF, SERVER_DOMID} until the
	# server has granted it (GNTST_general_error before).
	lea ring(%rip), %rax
	mov %rax, map_addr(%rip)
	mov %rax, unmap_addr(%rip)
	mov $100000, %r12d
1:	GNTTAB_OP GNTTABOP_map_grant_ref, mapop
	test %rax, %rax
	jnz fail
	movswq map_status(%rip), %rax
	test %rax, %rax
	jz 2f
	cmp $GNTST_general_error, %rax
	jne fail
	call yield
	dec %r12d
	jnz 1b
	jmp fail
2:	mov map_handle(%rip), %eax
	mov %eax, unmap_handle(%rip)

	# bind_interdomain {SERVER_DOMID, the port in the ring} -> our port
	mov ring + RING_PORT(%rip), %eax
	mov %eax, bind_remote_port(%rip)
	mov $EVTCHNOP_bind_interdomain, %edi
	lea bind(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	PRINT msg_bound, msg_bound_len
	mov bind_local_port(%rip), %edi
	call print_dec
	NEWLINE

	mov $1, %r13d			# requests 1..NR_REQUESTS, then 0
request:
	mov %r13d, %ecx
	imul $7, %ecx
	mov %ecx, ring + RING_REQ_VAL(%rip)
	sfence
	incl ring + RING_REQ_PROD(%rip)
	mov bind_local_port(%rip), %edi
	call notify
	test %rax, %rax
	jnz fail
3:	mov bind_local_port(%rip), %edi
	call wait_port
	mov ring + RING_RSP_PROD(%rip), %eax
	cmp ring + RING_REQ_PROD(%rip), %eax
	jne 3b				# not answered yet
	test %r13d, %r13d
	jz closing
	PRINT msg_rsp, msg_rsp_len
	mov ring + RING_RSP_VAL(%rip), %edi
	call print_dec
	NEWLINE
	inc %r13d
	cmp $NR_REQUESTS, %r13d
	jbe request

	# Grant copies: the server's page in, our text out to its offset 64.
	STORE_GFN copybuf, cin_dst
	mov %rax, cout_src(%rip)
	GNTTAB_OP_OK GNTTABOP_copy, copyops, cin_status, 2
	cmpw $0, cout_status(%rip)
	jne fail
	PRINT msg_copy, msg_copy_len
	PRINT copybuf + 64, 32
	xor %r13d, %r13d		# goodbye
	jmp request

closing:
	# Unmap the ring, and once more with the same handle.
	GNTTAB_OP_OK GNTTABOP_unmap_grant_ref, unmapop, unmap_status
	GNTTAB_OP GNTTABOP_unmap_grant_ref, unmapop
	test %rax, %rax
	jnz fail
	PRINT msg_unmap2, msg_unmap2_len
	movswq unmap_status(%rip), %rdi
	call print_signed
	NEWLINE
	# Close our port; a send on it now is -EINVAL.
	mov bind_local_port(%rip), %eax
	mov %eax, close_port(%rip)
	mov $EVTCHNOP_close, %edi
	lea close_port(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	mov bind_local_port(%rip), %edi
	call notify
	mov %rax, %r13
	PRINT msg_send, msg_send_len
	mov %r13, %rdi
	call print_signed
	NEWLINE
	SHUTDOWN SHUTDOWN_poweroff

	FAIL_RAX

	.section .rodata
msg_bound: .ascii "client: ring mapped, bound to local port "
	.set msg_bound_len, . - msg_bound
msg_rsp: .ascii "client: response "
	.set msg_rsp_len, . - msg_rsp
msg_copy: .ascii "client: copied out: "
	.set msg_copy_len, . - msg_copy
msg_unmap2: .ascii "client: second unmap: "
	.set msg_unmap2_len, . - msg_unmap2
msg_send: .ascii "client: send after close: "
	.set msg_send_len, . - msg_send
failmsg: .ascii "client: FAILED "
	.set failmsg_len, . - failmsg

	.data
	.balign 8
	GNTTAB_MAP_OPS RING_REF, SERVER_DOMID
bind:	.word SERVER_DOMID, 0
bind_remote_port:
	.long 0
bind_local_port:
	.long 0
close_port: .long 0
	.balign 8
copyops:
	# in: the server's COPY_REF page, 32 bytes at 0 -> copybuf + 64
	GNTCOPY cin, COPY_REF, SERVER_DOMID, 0, 0, DOMID_SELF, 64, 32, GNTCOPY_source_gref
	# out: our 32 bytes at copybuf -> the server's page at 64
	GNTCOPY cout, 0, DOMID_SELF, 0, COPY_REF, SERVER_DOMID, 64, 32, GNTCOPY_dest_gref
	.balign 4096
shinfo:	.fill 4096, 1, 0
ring:	.fill 4096, 1, 0
copybuf:
	.ascii "written by the client, by copy.\n"
	.fill 4096 - 32, 1, 0
	.text
