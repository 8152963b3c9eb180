# VM exits hv handles by emulating or resuming, from a guest's side: INVD
# and WBINVD (always exit; nothing to do without caches), an NMI sent by the
# NMI handler itself (blocked until its IRET: hv waits for the NMI-window
# exit), and the events --intercept adds (RDTSC/RDTSCP, INVLPG/INVPCID, MOV
# DR, exceptions, MTF, the preemption timer, CR0/CR3/CR4 accesses), which
# hv must emulate exactly
# as the CPU would have run them: the guest checks each result, and cases.sh
# the exits' reasons, qualifications and lengths in the trace.
#
# The INVLPG check would fail on a stale TLB entry: VA 0x40080000 maps one
# page, is read (the TLB fills), is remapped to another, INVLPG'd and read
# again. The #PF check needs CR2 (which an intercepted #PF does not write:
# hv must) and a retry of the faulting load after the handler maps the page.
	.include "pvh.inc"
	.include "testpt.inc"
	.include "apic.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set VA, 0x40080000		# TLB slot 0x80: no code or data page shares it
	.set PTE, pt + 8 * ((VA >> 12) & 511)
	.set MSR_TSC_AUX, 0xc0000103
	.set ICR_SELF_NMI, (1 << 18) | (4 << 8)

	.code64
main:
	call hv_init
	call map_high
	SET_GATE 6, ud_isr
	SET_GATE 3, bp_isr
	SET_GATE 14, pf_isr
	SET_GATE 2, nmi_isr
	lidt idt_desc(%rip)

	mov $1, %r15d			# INVD, WBINVD: resumed after them
	invd
	wbinvd
	PRINT msg_cache, msg_cache_len

	mov $2, %r15d			# RDTSC < RDTSCP, which gives TSC_AUX
	mov $MSR_TSC_AUX, %ecx
	mov $0x1234, %eax
	xor %edx, %edx
	wrmsr
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, %r12
	rdtscp
	shl $32, %rdx
	or %rdx, %rax
	cmp %r12, %rax
	jbe fail
	cmp $0x1234, %ecx
	jne fail
	PRINT msg_tsc, msg_tsc_len

	mov $3, %r15d			# INVLPG drops the stale translation
	TEST_PT_LINK				# PDPT[1]: 1..2 GiB
	MAP PTE, page_a, 3
	mov %cr3, %rax
	mov %rax, %cr3
	movabs $VA, %rbx
	mov (%rbx), %rax
	cmp a_value(%rip), %rax
	jne fail
	MAP PTE, page_b, 3
	invlpg (%rbx)
	mov (%rbx), %rax
	cmp b_value(%rip), %rax
	jne fail
	mov $4, %r15d			# INVPCID type 2 (everything) too
	MAP PTE, page_a, 3
	mov $2, %eax
	invpcid invpcid_desc(%rip), %rax
	mov (%rbx), %rax
	cmp a_value(%rip), %rax
	jne fail
	PRINT msg_tlb, msg_tlb_len

	mov $5, %r15d			# debug registers
	mov $0x12345678, %eax
	mov %rax, %dr0
	mov %dr0, %rbx
	cmp %rax, %rbx
	jne fail
	mov %dr6, %rax
	mov $0xffff0ff0, %ecx
	cmp %rcx, %rax
	jne fail
	mov %dr7, %rax
	cmp $0x400, %rax
	jne fail
	PRINT msg_dr, msg_dr_len

	mov $6, %r15d			# #UD, #BP, #PF through the guest's IDT
	ud2
	int3
	movabs $VA + 0x1000, %rbx	# PT[1] not present yet: #PF, mapped, retried
	mov (%rbx), %rax
	cmp b_value(%rip), %rax
	jne fail
	cmpl $1, ud_count(%rip)
	jne fail
	cmpl $1, bp_count(%rip)
	jne fail
	cmpl $1, pf_count(%rip)
	jne fail
	cmp pf_cr2(%rip), %rbx
	jne fail
	PRINT msg_exc, msg_exc_len

	mov $7, %r15d			# an NMI from the NMI handler waits for IRET
	mov $APIC, %ebx
	movl $0x1ff, APIC_SVR(%rbx)
	movl $ICR_SELF_NMI, APIC_ICR_LO(%rbx)
	mov $100000, %ecx
1:	cmpl $2, nmi_count(%rip)
	je 2f
	dec %ecx
	jnz 1b
	jmp fail
2:	cmpl $0, nmi_nested(%rip)
	jne fail
	PRINT msg_nmi, msg_nmi_len

	mov $8, %r15d			# MOV to/from CR3 (same value: paging goes on)
	mov %cr3, %rax
	mov %rax, %cr3
	mov %cr3, %rbx
	cmp %rax, %rbx
	jne fail
	cmpq $0, a_value(%rip)
	je fail
	mov $9, %r15d			# CR0: TS through MOV, CLTS and LMSW
	mov %cr0, %rax
	mov %rax, %r12
	or $8, %rax
	mov %rax, %cr0
	mov %cr0, %rbx
	cmp %rax, %rbx
	jne fail
	clts
	mov %cr0, %rbx
	cmp %r12, %rbx
	jne fail
	smsw %ax
	or $8, %ax
	lmsw %ax
	mov %cr0, %rbx
	bt $3, %rbx
	jnc fail
	clts
	mov %cr0, %rbx
	cmp %r12, %rbx
	jne fail
	mov $10, %r15d			# CR4: TSD on and off
	mov %cr4, %rax
	mov %rax, %r12
	or $4, %rax
	mov %rax, %cr4
	mov %cr4, %rbx
	cmp %rax, %rbx
	jne fail
	mov %r12, %cr4
	mov %cr4, %rbx
	cmp %r12, %rbx
	jne fail
	mov $11, %r15d			# an invalid CR4 bit: #GP(0), nothing changed
	lea 1f(%rip), %rax
	mov %rax, gp_resume(%rip)
	SET_GATE 13, gp_isr
	mov %r12, %rax
	bts $25, %rax			# reserved
	mov %rax, %cr4
	jmp fail
1:	mov %cr4, %rbx
	cmp %r12, %rbx
	jne fail
	PRINT msg_cr, msg_cr_len

	PRINT msg_ok, msg_ok_len
	SHUTDOWN SHUTDOWN_poweroff

	FAIL_STEP

gp_isr:					# #GP(0): go on at gp_resume
	cmpq $0, (%rsp)
	jne fail
	add $8, %rsp
	push %rax
	mov gp_resume(%rip), %rax
	mov %rax, 8(%rsp)
	pop %rax
	iretq

ud_isr:					# skip the ud2
	incl ud_count(%rip)
	addq $2, (%rsp)
	iretq

bp_isr:					# the saved RIP is past the int3
	incl bp_count(%rip)
	iretq

pf_isr:
	push %rax
	incl pf_count(%rip)
	mov %cr2, %rax
	mov %rax, pf_cr2(%rip)
	MAP PTE + 8, page_b, 3
	pop %rax
	add $8, %rsp			# the error code
	iretq

nmi_isr:
	incl nmi_count(%rip)
	cmpl $1, nmi_count(%rip)
	jne 3f
	push %rbx
	push %rcx
	mov $APIC, %ebx
	movl $ICR_SELF_NMI, APIC_ICR_LO(%rbx)
	mov $1000, %ecx			# time enough for it to come in (it must not)
1:	dec %ecx
	jnz 1b
	cmpl $1, nmi_count(%rip)
	je 2f
	movl $1, nmi_nested(%rip)
2:	pop %rcx
	pop %rbx
3:	iretq

	.section .rodata
nl:	.ascii "\n"
msg_cache:	.ascii "invd, wbinvd: resumed after them\n"
	.set msg_cache_len, . - msg_cache
msg_tsc:	.ascii "rdtsc, rdtscp: monotonic, TSC_AUX in ecx\n"
	.set msg_tsc_len, . - msg_tsc
msg_tlb:	.ascii "invlpg, invpcid: no stale translation\n"
	.set msg_tlb_len, . - msg_tlb
msg_dr:	.ascii "mov dr: written and read back\n"
	.set msg_dr_len, . - msg_dr
msg_exc:	.ascii "exceptions: #UD, #BP, #PF with CR2 delivered\n"
	.set msg_exc_len, . - msg_exc
msg_nmi:	.ascii "nmi: the second NMI waited for the first one's IRET\n"
	.set msg_nmi_len, . - msg_nmi
msg_cr:	.ascii "cr: CR3, CR0 (MOV, CLTS, LMSW), CR4 written and read back, #GP for a reserved bit\n"
	.set msg_cr_len, . - msg_cr
msg_ok:	.ascii "exits: all checks passed\n"
	.set msg_ok_len, . - msg_ok
msg_fail:	.ascii "FAILED at check "
	.set msg_fail_len, . - msg_fail
	.balign 8
a_value:	.quad 0xaaaaaaaa11111111
b_value:	.quad 0xbbbbbbbb22222222
invpcid_desc:	.quad 0, 0

	.data
	TEST_PT_PAGES
ud_count:	.long 0
bp_count:	.long 0
pf_count:	.long 0
nmi_count:	.long 0
nmi_nested:	.long 0
	.balign 8
pf_cr2:	.quad 0
gp_resume:	.quad 0
