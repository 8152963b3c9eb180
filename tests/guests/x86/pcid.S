# The TLB as the guest sees it (SDM vol. 3A 4.10): translations tagged by
# PCID and global ones. The guest edits a PTE without invalidating and
# checks which mapping each access uses, so every step fails both when an
# entry that must be gone is used (a stale entry) and when one the
# architecture keeps was dropped (a needed one flushed):
#   - a CR3 load with bit 63 keeps the target PCID's entries; without it,
#     they go; other PCIDs' entries stay either way;
#   - INVPCID type 0 drops one address of one PCID, type 1 one PCID,
#     type 3 all but global translations, type 2 everything;
#   - a global page survives CR3 loads (under every PCID) and INVPCID
#     type 3, not INVLPG.
# X = 0x40080000 and Y = 0x40081000 map page_a or page_b through one PT.
	.include "pvh.inc"
	.include "testpt.inc"
	PVH_ENTRY
	PVH_LONG_MODE main

	.set X, 0x40080000
	.set Y, 0x40081000
	.set PTE_X, pt + 8 * ((X >> 12) & 511)
	.set PTE_Y, pt + 8 * ((Y >> 12) & 511)
	.set CR4_PGE, 1 << 7
	.set CR4_PCIDE, 1 << 17

	# CR3 = pml4 | pcid (| bit 63 if noflush)
	.macro LOAD_CR3 pcid, noflush
	lea pvh_pml4(%rip), %rax
	or $\pcid, %rax
	.if \noflush
	bts $63, %rax
	.endif
	mov %rax, %cr3
	.endm

	# fail unless (addr) holds page's value
	.macro EXPECT step, addr, page
	mov $\step, %r15d
	mov $\addr, %ebx
	mov (%rbx), %rax
	cmp \page(%rip), %rax
	jne fail
	.endm

	.macro INV_PCID type, pcid, addr
	movq $\pcid, desc(%rip)
	movq $\addr, desc + 8(%rip)
	mov $\type, %eax
	invpcid desc(%rip), %rax
	.endm

	.code64
main:
	call hv_init
	mov $1, %eax
	cpuid
	mov $1, %r15d
	bt $17, %ecx			# CPUID.1:ECX.PCID
	jnc fail
	mov $7, %eax
	xor %ecx, %ecx
	cpuid
	bt $10, %ebx			# CPUID.7:EBX.INVPCID
	jnc fail

	TEST_PT_LINK				# PDPT[1]: 1..2 GiB
	MAP PTE_X, page_a, 3
	mov %cr3, %rax
	mov %rax, %cr3
	mov %cr4, %rax
	or $CR4_PGE | CR4_PCIDE, %rax
	mov %rax, %cr4

	LOAD_CR3 1, 0
	EXPECT 2, X, page_a		# PCID 1 caches X -> a
	MAP PTE_X, page_b, 3
	LOAD_CR3 2, 1
	EXPECT 3, X, page_b		# PCID 2 walks: b
	LOAD_CR3 1, 1
	EXPECT 4, X, page_a		# PCID 1's entry was kept
	INV_PCID 0, 1, X
	EXPECT 5, X, page_b		# dropped by address
	MAP PTE_X, page_a, 3
	LOAD_CR3 2, 1
	EXPECT 6, X, page_b		# PCID 2's entry was kept
	INV_PCID 1, 2, 0
	EXPECT 7, X, page_a		# dropped with its context
	MAP PTE_X, page_b, 3
	LOAD_CR3 1, 1
	EXPECT 8, X, page_b		# PCID 1 cached b at step 5
	LOAD_CR3 1, 0
	EXPECT 9, X, page_b		# (the walk gives b too: now edit)
	MAP PTE_X, page_a, 3
	EXPECT 10, X, page_b		# cached
	LOAD_CR3 1, 0
	EXPECT 11, X, page_a		# a CR3 load without bit 63 flushed PCID 1
	PRINT msg_pcid, msg_pcid_len

	MAP PTE_Y, page_a, 0x103	# global
	EXPECT 12, Y, page_a
	MAP PTE_Y, page_b, 0x103
	LOAD_CR3 1, 0
	EXPECT 13, Y, page_a		# global: kept by the flushing CR3 load
	LOAD_CR3 3, 1
	EXPECT 14, Y, page_a		# and seen under another PCID
	INV_PCID 3, 0, 0
	EXPECT 15, Y, page_a		# type 3 keeps global translations
	invlpg Y
	EXPECT 16, Y, page_b		# INVLPG drops them
	MAP PTE_Y, page_a, 0x103
	EXPECT 17, Y, page_b
	INV_PCID 2, 0, 0
	EXPECT 18, Y, page_a		# type 2 drops everything
	PRINT msg_global, msg_global_len
	SHUTDOWN SHUTDOWN_poweroff

	FAIL_STEP

	.section .rodata
nl:	.ascii "\n"
msg_pcid:	.ascii "pcid: CR3 bit 63, INVPCID 0 and 1 keep and drop the right entries\n"
	.set msg_pcid_len, . - msg_pcid
msg_global:	.ascii "pcid: global pages survive CR3 loads and INVPCID 3, not INVLPG or INVPCID 2\n"
	.set msg_global_len, . - msg_global
msg_fail:	.ascii "FAILED at check "
	.set msg_fail_len, . - msg_fail

	.data
	TEST_PT_PAGES
	.balign 16
desc:	.quad 0, 0
