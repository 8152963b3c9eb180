# Two POWER guests talking through the Xen ABI (the client, domain 2; see
# peer_a.S and peer.inc): first a VIRQ_TIMER event (bind_virq, set_timer_op
# 1 ms past the pvclock, SCHEDOP_poll), then map the server's ring grant
# (retrying until it exists), bind to the port written in it, send
# NR_REQUESTS requests and wait for each response's event, GNTTABOP_copy the
# server's second grant in and our text out to it, say goodbye, unmap and
# close; after that a second unmap of the handle is GNTST_bad_handle (-4) and
# a send on the closed port -EINVAL (-22).
	.include "ppc.inc"
	.include "peer.inc"

	.text
	.globl	_start
_start:
	bl	map_shared_info

	# VIRQ_TIMER: bind, arm 1 ms ahead, wait for its event.
	HCALL	__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, bindvirq
	cmpdi	3, 0
	bne	fail
	bl	now
	lis	5, 0xf
	ori	5, 5, 0x4240			# 1000000 ns
	add	4, 3, 5
	li	3, __HYPERVISOR_set_timer_op
	sc	1
	cmpdi	3, 0
	bne	fail
	LA	4, bindvirq_port
	lwz	3, 0(4)
	bl	wait_port
	PUTS	msg_timer, msg_timer_end
	LA	4, bindvirq_port
	lwz	3, 0(4)
	bl	print_num
	PUTS	newline, newline + 1

	# map_grant_ref {ring, host_map, RING_REF, SERVER_DOMID} until the
	# server has granted it.
	LA	4, ring
	LA	5, map_addr
	std	4, 0(5)
	LA	5, unmap_addr
	std	4, 0(5)
	lis	23, 1				# 65536 tries
1:	GNTTAB_OP GNTTABOP_map_grant_ref, mapop
	cmpdi	3, 0
	bne	fail
	LA	4, map_status
	lha	3, 0(4)
	cmpwi	3, 0
	beq	2f
	cmpwi	3, GNTST_general_error
	bne	fail
	bl	yield
	addic.	23, 23, -1
	bne	1b
	b	fail
2:	LA	4, map_handle
	lwz	3, 0(4)
	LA	4, unmap_handle
	stw	3, 0(4)

	# bind_interdomain {SERVER_DOMID, the port in the ring} -> r20
	LA	4, ring
	lwz	3, RING_PORT(4)
	LA	4, bind_remote_port
	stw	3, 0(4)
	HCALL	__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, bind
	cmpdi	3, 0
	bne	fail
	LA	4, bind_local_port
	lwz	20, 0(4)
	PUTS	msg_bound, msg_bound_end
	mr	3, 20
	bl	print_num
	PUTS	newline, newline + 1

	li	22, 1				# requests 1..NR_REQUESTS, then 0
request:
	LA	21, ring
	mulli	4, 22, 7
	stw	4, RING_REQ_VAL(21)
	lwsync
	lwz	4, RING_REQ_PROD(21)
	addi	4, 4, 1
	stw	4, RING_REQ_PROD(21)
	mr	3, 20
	bl	notify
	cmpdi	3, 0
	bne	fail
3:	mr	3, 20
	bl	wait_port
	LA	21, ring
	lwz	4, RING_RSP_PROD(21)
	lwz	5, RING_REQ_PROD(21)
	cmpw	4, 5
	bne	3b				# not answered yet
	cmpwi	22, 0
	beq	closing
	PUTS	msg_rsp, msg_rsp_end
	LA	21, ring
	lwz	3, RING_RSP_VAL(21)
	bl	print_num
	PUTS	newline, newline + 1
	addi	22, 22, 1
	cmpwi	22, NR_REQUESTS
	ble	request

	# Grant copies: the server's page in, our text out to its offset 64.
	LA	4, copybuf
	srdi	4, 4, 12
	LA	5, cin_dest
	std	4, 0(5)
	LA	5, cout_src
	std	4, 0(5)
	GNTTAB_OP GNTTABOP_copy, copyops, 2
	cmpdi	3, 0
	bne	fail
	LA	4, cin_status
	lha	3, 0(4)
	cmpwi	3, 0
	bne	fail
	LA	4, cout_status
	lha	3, 0(4)
	cmpwi	3, 0
	bne	fail
	PUTS	msg_copy, msg_copy_end
	LA	3, copybuf + 64
	li	4, 32
	bl	print
	li	22, 0				# goodbye
	b	request

closing:
	GNTTAB_OP GNTTABOP_unmap_grant_ref, unmapop
	cmpdi	3, 0
	bne	fail
	LA	4, unmap_status
	lha	3, 0(4)
	cmpwi	3, 0
	bne	fail
	GNTTAB_OP GNTTABOP_unmap_grant_ref, unmapop
	cmpdi	3, 0
	bne	fail
	PUTS	msg_unmap2, msg_unmap2_end
	LA	4, unmap_status
	lha	3, 0(4)
	bl	print_num
	PUTS	newline, newline + 1
	mr	3, 20
	bl	close_port
	cmpdi	3, 0
	bne	fail
	mr	3, 20
	bl	notify
	mr	22, 3
	PUTS	msg_send, msg_send_end
	mr	3, 22
	bl	print_num
	PUTS	newline, newline + 1
	SHUTDOWN poweroff

fail:	PUTS	failmsg, failmsg_end
	SHUTDOWN crash
4:	b	4b

	.include "pvclock.inc"

	.data
msg_timer: .ascii "client: timer event on port "
msg_timer_end:
msg_bound: .ascii "client: ring mapped, bound to local port "
msg_bound_end:
msg_rsp: .ascii "client: response "
msg_rsp_end:
msg_copy: .ascii "client: copied out: "
msg_copy_end:
msg_unmap2: .ascii "client: second unmap: "
msg_unmap2_end:
msg_send: .ascii "client: send after close: "
msg_send_end:
failmsg: .ascii "client: FAILED\n"
failmsg_end:
	.balign	8
bindvirq:
	.long	VIRQ_TIMER, 0
bindvirq_port:
	.long	0
	.balign	8
	GNTTAB_MAP_OPS RING_REF, SERVER_DOMID
bind:	.short	SERVER_DOMID, 0
bind_remote_port:
	.long	0
bind_local_port:
	.long	0
	.balign	8
copyops:
	.quad	COPY_REF			# in: source gref
	.short	SERVER_DOMID, 0
	.long	0
cin_dest:
	.quad	0
	.short	DOMID_SELF, 64
	.long	0
	.short	32, GNTCOPY_source_gref
cin_status:
	.short	0x7777, 0
cout_src:					# out: dest gref
	.quad	0
	.short	DOMID_SELF, 0
	.long	0
	.quad	COPY_REF
	.short	SERVER_DOMID, 64
	.long	0
	.short	32, GNTCOPY_dest_gref
cout_status:
	.short	0x7777, 0
	.balign	4096
shinfo:	.fill	4096, 1, 0
ring:	.fill	4096, 1, 0
copybuf:
	.ascii	"written by the client, by copy.\n"
	.fill	4096 - 32, 1, 0
