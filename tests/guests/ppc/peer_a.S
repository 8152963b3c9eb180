# Two POWER guests talking through the Xen ABI (the server, domain 1; the
# client is peer_b.S in domain 2, see peer.inc and tests/guests/x86/peer_a.S
# for the same protocol on x86-64): allocate an unbound port for the client,
# grant it the ring page (the port in it) and a page for grant copies, serve
# NR_REQUESTS requests (response = request squared) woken by the client's
# events, print what the client copied in, then wait for the client to
# unmap and close: the port unbound again, the grant no longer in use, a
# send to nobody dropped.
	.include "ppc.inc"
	.include "peer.inc"

	.text
	.globl	_start
_start:
	bl	map_shared_info
	# The grant table's frame 0 at gnttab_page.
	LA	4, gnttab_page
	srdi	4, 4, 12
	LA	5, xatp_gpfn
	std	4, 0(5)
	HCALL	__HYPERVISOR_memory_op, XENMEM_add_to_physmap, xatp
	cmpdi	3, 0
	bne	fail

	HCALL	__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, unbound
	cmpdi	3, 0
	bne	fail
	LA	4, unbound_port
	lwz	20, 0(4)			# r20: our port
	mr	3, 20
	bl	port_status
	cmpwi	3, EVTCHNSTAT_unbound
	bne	fail

	# The port into the ring, then the grants: frame and domain before
	# the flags that make them valid.
	LA	4, ring
	stw	20, RING_PORT(4)
	LA	5, gnttab_page
	srdi	4, 4, 12
	stw	4, RING_REF * 8 + 4(5)
	li	6, CLIENT_DOMID
	sth	6, RING_REF * 8 + 2(5)
	LA	4, copypage
	srdi	4, 4, 12
	stw	4, COPY_REF * 8 + 4(5)
	sth	6, COPY_REF * 8 + 2(5)
	lwsync
	li	6, GTF_permit_access
	sth	6, COPY_REF * 8(5)
	sth	6, RING_REF * 8(5)
	PUTS	msg_ready, msg_ready_end
	mr	3, 20
	bl	print_num
	PUTS	newline, newline + 1

serve:
	mr	3, 20
	bl	wait_port
	LA	21, ring
	lwz	4, RING_REQ_PROD(21)
	lwz	5, RING_RSP_PROD(21)
	cmpw	4, 5
	beq	serve				# nothing new
	lwz	22, RING_REQ_VAL(21)
	cmpwi	22, 0
	beq	goodbye
	mullw	4, 22, 22
	stw	4, RING_RSP_VAL(21)
	PUTS	msg_req, msg_req_end
	mr	3, 22
	bl	print_num
	PUTS	newline, newline + 1
	bl	respond
	b	serve

goodbye:
	mr	3, 20
	bl	port_status
	cmpwi	3, EVTCHNSTAT_interdomain
	bne	fail
	PUTS	msg_copied, msg_copied_end
	LA	3, copypage + 64
	li	4, 32
	bl	print
	li	4, 0
	stw	4, RING_RSP_VAL(21)
	bl	respond

	# Wait (bounded) for the client to close its end.
	lis	23, 1				# 65536 tries
1:	mr	3, 20
	bl	port_status
	cmpwi	3, EVTCHNSTAT_unbound
	beq	2f
	bl	yield
	addic.	23, 23, -1
	bne	1b
	b	fail
2:	LA	5, gnttab_page
	lhz	4, RING_REF * 8(5)
	andi.	4, 4, GTF_reading | GTF_writing
	bne	fail				# still mapped
	li	4, 0
	sth	4, RING_REF * 8(5)		# end foreign access
	sth	4, COPY_REF * 8(5)
	mr	3, 20
	bl	notify				# to nobody: dropped
	cmpdi	3, 0
	bne	fail
	PUTS	msg_closed, msg_closed_end
	SHUTDOWN poweroff

# respond: publish the response, notify the client (LR kept in r24).
respond:
	mflr	24
	lwsync
	LA	21, ring
	lwz	4, RING_REQ_PROD(21)
	stw	4, RING_RSP_PROD(21)
	mr	3, 20
	bl	notify
	cmpdi	3, 0
	bne	fail
	mtlr	24
	blr

fail:	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
3:	b	3b

	.data
msg_ready: .ascii "server: ring granted as ref 8, waiting on port "
msg_ready_end:
msg_req: .ascii "server: request "
msg_req_end:
msg_copied: .ascii "server: the client copied in: "
msg_copied_end:
msg_closed: .ascii "server: client gone (port unbound, grant released)\n"
msg_closed_end:
failmsg: .ascii "server: FAILED\n"
failmsg_end:
	.balign	8
xatp:	.short	DOMID_SELF, 0
	.long	XENMAPSPACE_grant_table
	.quad	0				# frame 0
xatp_gpfn:
	.quad	0
unbound:
	.short	DOMID_SELF, CLIENT_DOMID
unbound_port:
	.long	0
	.balign	4096
shinfo:	.fill	4096, 1, 0
gnttab_page: .fill 4096, 1, 0
ring:	.fill	4096, 1, 0
copypage:
	.ascii	"a secret of the server, by copy\n"
	.fill	4096 - 32, 1, 0
