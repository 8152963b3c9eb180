# spin: loop forever (softvisor --timeout=1 stops it: exit status 4).
	.text
	.globl	_start
_start:
	li	3, 0
1:	addi	3, 3, 1
	b	1b
