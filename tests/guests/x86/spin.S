# Loops forever: only --timeout stops it (status 4).
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
1:	jmp 1b
