# Port I/O that exits to hv (hv/x86/acpi.c): a 4-byte access at the PCI
# address port 0xcf8 overlaps the ACPI reset register 0xcf9 in the I/O
# bitmap, so it exits; no device answers there and the read is all ones (a
# floating bus), in every width. The ACPI sleep status register reads 0.
# Ports outside the bitmap run in the guest without an exit.
	.include "pvh.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.code64
main:
	call hv_init
	mov $0x80000000, %eax
	mov $0xcf8, %dx
	outl %eax, %dx			# no device: the write goes nowhere
	xor %eax, %eax
	inl %dx, %eax
	mov %rax, %rdi
	call print_hex
	PRINT nl, 1
	mov $-1, %rax
	mov $0xcf9, %dx
	inb %dx, %al			# merges: the upper bytes of rax stay
	mov %rax, %rdi
	call print_hex
	PRINT nl, 1
	mov $0x1234567800000000, %rax
	mov $0xb000, %dx
	inl %dx, %eax			# 32-bit IN zero-extends into rax
	mov %rax, %rdi
	call print_hex
	PRINT nl, 1
	SHUTDOWN SHUTDOWN_poweroff

	.section .rodata
nl:	.ascii "\n"
