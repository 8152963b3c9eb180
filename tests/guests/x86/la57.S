# 5-level paging (CR4.LA57): CPUID advertises it (7.0.ECX[16], 57 linear
# address bits in 0x80000008), the guest turns it on before paging in
# 32-bit mode, and then
#   - reads and writes through 0xff00000000000000 (PML5 index 256), an
#     address that is non-canonical with 48 bits, aliasing a low page;
#   - touches 0x0000800000000000, canonical with 57 bits, unmapped: a #PF
#     with that CR2 (with 48 bits it would be a #GP);
#   - tries to clear CR4.LA57 in long mode: #GP.
	.include "pvh.inc"
	.include "apic.inc"
	PVH_ENTRY

	.set HIGH, 0xff00000000000000
	.set HOLE, 0x0000800000000000

	.code32
	xor %ecx, %ecx			# identity-map 1 GiB with 2 MiB pages
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, pvh_pd(, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jb 1b
	movl $pvh_pd + 3, pvh_pdpt
	movl $pvh_pdpt + 3, pvh_pml4
	movl $pvh_pml4 + 3, pml5		# PML5[0]: the low 256 TiB
	movl $hi_pml4 + 3, pml5 + 256 * 8	# PML5[256]: HIGH
	movl $hi_pdpt + 3, hi_pml4
	movl $hi_pd + 3, hi_pdpt
	movl $hi_pt + 3, hi_pd
	movl $page + 3, hi_pt
	mov %cr4, %eax
	or $0x1020, %eax		# CR4.PAE | CR4.LA57
	mov %eax, %cr4
	mov $pml5, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx
	rdmsr
	or $0x100, %eax			# EFER.LME
	wrmsr
	lgdt pvh_gdtr
	mov %cr0, %eax
	or $0x80000000, %eax
	mov %eax, %cr0
	ljmp $0x08, $2f
	.code64
2:	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov $pvh_stack_top, %rsp
	call main
3:	hlt
	jmp 3b

main:
	call hv_init
	SET_GATE 13, gp_isr
	SET_GATE 14, pf_isr
	lidt idt_desc(%rip)

	mov $1, %r15d			# CPUID
	mov $7, %eax
	xor %ecx, %ecx
	cpuid
	bt $16, %ecx
	jnc fail
	mov $0x80000008, %eax
	cpuid
	shr $8, %eax
	cmp $57, %al
	jne fail
	mov %cr4, %rax
	bt $12, %rax
	jnc fail
	PRINT msg_cpuid, msg_cpuid_len

	mov $2, %r15d			# through the 57-bit address
	movabs $HIGH, %rbx
	mov (%rbx), %rax
	cmp magic(%rip), %rax
	jne fail
	movq $0x5757, 8(%rbx)
	cmpq $0x5757, page + 8(%rip)
	jne fail
	PRINT msg_high, msg_high_len

	mov $3, %r15d			# canonical but unmapped: #PF, CR2 = HOLE
	movabs $HOLE, %rbx
	mov (%rbx), %rax		# 3 bytes, skipped by pf_isr
	cmpl $1, pf_count(%rip)
	jne fail
	cmp pf_cr2(%rip), %rbx
	jne fail
	cmpl $0, gp_count(%rip)
	jne fail
	PRINT msg_pf, msg_pf_len

	mov $4, %r15d			# LA57 is fixed in long mode
	mov %cr4, %rax
	btr $12, %rax
	mov %rax, %cr4			# 3 bytes, skipped by gp_isr
	cmpl $1, gp_count(%rip)
	jne fail
	mov %cr4, %rax
	bt $12, %rax
	jnc fail
	PRINT msg_gp, msg_gp_len
	SHUTDOWN SHUTDOWN_poweroff

	FAIL_STEP

gp_isr:
	incl gp_count(%rip)
	addq $3, 8(%rsp)
	add $8, %rsp
	iretq

pf_isr:
	push %rax
	incl pf_count(%rip)
	mov %cr2, %rax
	mov %rax, pf_cr2(%rip)
	pop %rax
	addq $3, 8(%rsp)
	add $8, %rsp
	iretq

	.section .rodata
nl:	.ascii "\n"
msg_cpuid:	.ascii "la57: advertised, 57 linear address bits, CR4.LA57 on\n"
	.set msg_cpuid_len, . - msg_cpuid
msg_high:	.ascii "la57: 0xff00000000000000 reads and writes its page\n"
	.set msg_high_len, . - msg_high
msg_pf:	.ascii "la57: 0x0000800000000000 is canonical: #PF, not #GP\n"
	.set msg_pf_len, . - msg_pf
msg_gp:	.ascii "la57: clearing CR4.LA57 in long mode is #GP\n"
	.set msg_gp_len, . - msg_gp
msg_fail:	.ascii "FAILED at check "
	.set msg_fail_len, . - msg_fail
	.balign 8
magic:	.quad 0x5ff5ff5ff5ff5ff5

	.data
	.balign 4096
pml5:	.fill 4096, 1, 0
hi_pml4:	.fill 4096, 1, 0
hi_pdpt:	.fill 4096, 1, 0
hi_pd:	.fill 4096, 1, 0
hi_pt:	.fill 4096, 1, 0
page:	.quad 0x5ff5ff5ff5ff5ff5
	.fill 4088, 1, 0
gp_count:	.long 0
pf_count:	.long 0
	.balign 8
pf_cr2:	.quad 0
