# long: a long computation, for reverse execution across many in-memory
# snapshots (tests/gdb/run.sh). `mark` is called once at the start and once
# after 10,000,000 loop iterations (about 30 million instructions); then the
# guest prints the loop's result and powers off.
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	mov $1, %rbx
	call mark
	mov $10000000, %ecx
1:	imul $31, %rbx, %rbx
	add %rcx, %rbx
	dec %ecx
	jnz 1b
	call mark
	movzbl %bl, %eax
	PRINT msg, msg_len
	SHUTDOWN SHUTDOWN_poweroff

mark:
	nop
	ret

	.section .rodata
msg:	.ascii "long: done\n"
	.set msg_len, . - msg
