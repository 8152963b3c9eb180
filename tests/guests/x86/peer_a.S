# Two guests talking (the server, domain 1; its client is peer_b.S in
# domain 2, see peer.inc): allocate an unbound port for the client, grant it
# the ring page (the port written in it) and a second page for grant copies,
# then serve NR_REQUESTS requests (response = request squared), each woken
# by the client's event and answered with one; at the goodbye, print what
# the client wrote into our page with GNTTABOP_copy. Then wait until the
# client has unmapped and closed: our port is unbound again, the grant
# entry no longer reading/writing, a send to the closed peer is dropped (0).
	.include "pvh.inc"
	.include "xen.inc"
	.include "peer.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	MAP_SHARED_INFO shinfo
	# The grant table's frame 0 at gnttab_page.
	STORE_GFN gnttab_page, xatp_gpfn
	ADD_TO_PHYSMAP xatp

	# alloc_unbound {DOMID_SELF, CLIENT_DOMID} -> port
	mov $EVTCHNOP_alloc_unbound, %edi
	lea unbound(%rip), %rsi
	HYPERCALL __HYPERVISOR_event_channel_op
	test %rax, %rax
	jnz fail
	mov unbound_port(%rip), %edi
	call port_status
	cmp $EVTCHNSTAT_unbound, %eax
	jne fail

	# The port into the ring, then the grants (frame and domain before
	# the flags that make them valid).
	mov unbound_port(%rip), %eax
	mov %eax, ring + RING_PORT(%rip)
	lea gnttab_page(%rip), %rbx
	lea ring(%rip), %rax
	shr $12, %rax
	mov %eax, RING_REF * 8 + 4(%rbx)
	movw $CLIENT_DOMID, RING_REF * 8 + 2(%rbx)
	lea copypage(%rip), %rax
	shr $12, %rax
	mov %eax, COPY_REF * 8 + 4(%rbx)
	movw $CLIENT_DOMID, COPY_REF * 8 + 2(%rbx)
	sfence
	movw $GTF_permit_access, COPY_REF * 8(%rbx)
	movw $GTF_permit_access, RING_REF * 8(%rbx)
	PRINT msg_ready, msg_ready_len
	mov unbound_port(%rip), %edi
	call print_dec
	NEWLINE

	# Serve: each event, answer what is new in the ring.
serve:
	mov unbound_port(%rip), %edi
	call wait_port
	mov ring + RING_REQ_PROD(%rip), %eax
	cmp ring + RING_RSP_PROD(%rip), %eax
	je serve			# nothing new: a spurious event
	mov ring + RING_REQ_VAL(%rip), %ecx
	test %ecx, %ecx
	jz goodbye
	mov %ecx, %eax
	imul %eax, %eax
	mov %eax, ring + RING_RSP_VAL(%rip)
	push %rcx
	PRINT msg_req, msg_req_len
	pop %rdi
	call print_dec
	NEWLINE
	call respond
	jmp serve

goodbye:
	mov unbound_port(%rip), %edi
	call port_status
	cmp $EVTCHNSTAT_interdomain, %eax
	jne fail
	# The client wrote into copypage + 64 with GNTTABOP_copy.
	PRINT msg_copied, msg_copied_len
	lea copypage + 64(%rip), %rdx
	mov $CONSOLEIO_write, %edi
	mov $32, %esi
	HYPERCALL __HYPERVISOR_console_io
	movl $0, ring + RING_RSP_VAL(%rip)
	call respond

	# Wait (bounded) for the client to close its end.
	mov $100000, %r12d
1:	mov unbound_port(%rip), %edi
	call port_status
	cmp $EVTCHNSTAT_unbound, %eax
	je 2f
	call yield
	dec %r12d
	jnz 1b
	jmp fail
2:	lea gnttab_page(%rip), %rbx
	testw $GTF_reading | GTF_writing, RING_REF * 8(%rbx)
	jnz fail			# still mapped
	movw $0, RING_REF * 8(%rbx)	# end foreign access
	movw $0, COPY_REF * 8(%rbx)
	mov unbound_port(%rip), %edi
	call notify			# to nobody: dropped
	test %rax, %rax
	jnz fail
	PRINT msg_closed, msg_closed_len
	SHUTDOWN SHUTDOWN_poweroff

# respond: publish the response and notify the client.
respond:
	sfence
	mov ring + RING_REQ_PROD(%rip), %eax
	mov %eax, ring + RING_RSP_PROD(%rip)
	mov unbound_port(%rip), %edi
	call notify
	test %rax, %rax
	jnz fail
	ret

	FAIL_RAX

	.section .rodata
msg_ready: .ascii "server: ring granted as ref 8, waiting on port "
	.set msg_ready_len, . - msg_ready
msg_req: .ascii "server: request "
	.set msg_req_len, . - msg_req
msg_copied: .ascii "server: the client copied in: "
	.set msg_copied_len, . - msg_copied
msg_closed: .ascii "server: client gone (port unbound, grant released)\n"
	.set msg_closed_len, . - msg_closed
failmsg: .ascii "server: FAILED "
	.set failmsg_len, . - failmsg

	.data
	.balign 8
xatp:	.word DOMID_SELF, 0
	.long XENMAPSPACE_grant_table
	.quad 0				# idx: frame 0
xatp_gpfn:
	.quad 0
unbound:
	.word DOMID_SELF, CLIENT_DOMID
unbound_port:
	.long 0
	.balign 4096
shinfo:	.fill 4096, 1, 0
gnttab_page: .fill 4096, 1, 0
ring:	.fill 4096, 1, 0
copypage:
	.ascii "a secret of the server, by copy\n"
	.fill 4096 - 32, 1, 0
	.text
