# How domains find each other through xenstore (run as domain 2 next to
# any domain 1): XS_READ of our "peers" (the other guests' ids), of domain
# 1's "data" directory (readable by every guest, for a server's ring-ref
# and port) and of domain 1's "name" (its home is private: EACCES). Each
# reply is printed: the value, or "error: " and the error's name.
	.include "pvh.inc"
	.include "xen.inc"
	.include "xenstore.inc"
	PVH_ENTRY
	PVH_LONG_MODE main


	.code64
main:
	call hv_init
	call map_3_4gib
	call xs_connect

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

# xs_read_print(rdi = path with its NUL, esi = its length): print
# "PATH: VALUE" or "PATH: error: NAME".
xs_read_print:
	push %r12
	push %r13
	mov %rdi, %r12
	mov %esi, %r13d
	call xs_read
	# PATH (without its NUL): ...
	mov $CONSOLEIO_write, %edi
	lea -1(%r13), %esi
	mov %r12, %rdx
	HYPERCALL __HYPERVISOR_console_io
	PRINT msg_colon, 2
	cmpl $XS_ERROR, xs_rsp_hdr(%rip)
	jne 1f
	PRINT msg_error, msg_error_len
	decl xs_reply_len(%rip)		# the error name's NUL
1:	call xs_print_reply
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

