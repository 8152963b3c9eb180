# shellcheck shell=bash
# Guest test cases, sourced by tests/guests/check.sh (see its header for the
# whole vocabulary).  One case is one line, followed by its assertions:
#
#     guest_test x86-hello 0 "$(x86_guest hello)"     # softvisor run --timeout=10 ...
#     expect_stdout '^Hello from x86$'
#     expect_no_stderr
#
# A POWER guest runs in both endiannesses:
#
#     for e in le be; do
#             guest_test "ppc-hello-$e" 0 "$(ppc_guest hello "$e")"
#             expect_stdout 'Hello'
#     done
#
# Exit status: 0 powered off, 1 usage or image error, 2 crashed, 3 reboot,
# 4 timeout.  Run a subset with: make check-guests SV_TESTS='malformed-*'

# ---------------------------------------------------------------- CLI

sv_test help 0 --help
expect_stdout 'run'

sv_test run-help 0 run --help
expect_stdout '--memory'

sv_test version 0 --version
expect_stdout '0\.1\.0'
expect_no_stderr

guest_test unknown-option 1 --no-such-option
expect_stderr 'no-such-option'
expect_no_stdout

sv_test unknown-command 1 no-such-command
expect_stderr '.'
expect_no_stdout

# ---------------------------------------------------------------- built-in demo

guest_test demo 0
expect_stdout 'Hello'

guest_test demo-x86_64 0 --arch=x86_64
expect_stdout 'Hello'

guest_test demo-ppc64 0 --arch=ppc64
expect_stdout 'Hello'

# ---------------------------------------------------------------- malformed images
# Each must be refused with exit status 1 and a message on stderr, before the
# guest prints anything.

: >"$SCRATCH/empty.bin"
guest_test malformed-empty 1 "$SCRATCH/empty.bin"
expect_stderr 'empty'
expect_no_stdout

printf 'This is a text file, not a kernel.\n' >"$SCRATCH/text.bin"
guest_test malformed-text 1 "$SCRATCH/text.bin"
expect_stderr 'not an ELF image'
expect_no_stdout

guest_test malformed-nonexistent 1 "$SCRATCH/no-such-file.bin"
expect_stderr 'no-such-file'
expect_no_stdout

sv_test inspect-nonexistent 1 inspect "$SCRATCH/no-such-file.bin"
expect_stderr 'no-such-file'

# The next two are cut from a real x86 guest image.
x86_sample=$(any_x86_guest)
if [ -n "$x86_sample" ]; then
	# The first 20 bytes: e_ident, e_type, e_machine, half of e_version.
	dd if="$x86_sample" of="$SCRATCH/truncated.bin" bs=20 count=1 2>/dev/null
	guest_test malformed-truncated-elf 1 "$SCRATCH/truncated.bin"
	expect_stderr 'truncated ELF header'
	expect_no_stdout

	# e_machine (offset 18, little-endian) = 40, EM_ARM.
	cp "$x86_sample" "$SCRATCH/arm.bin"
	printf '\050\000' | dd of="$SCRATCH/arm.bin" bs=1 seek=18 conv=notrunc 2>/dev/null
	guest_test malformed-wrong-machine 1 "$SCRATCH/arm.bin"
	expect_stderr 'unsupported ELF machine 40'
	expect_no_stdout

	# Program header 0 (at 64) is the PT_LOAD; 1 (at 120) the Xen note.
	# p_paddr = 0x40000000: beyond the guest's 512 MiB.
	cp "$x86_sample" "$SCRATCH/far.bin"
	printf '\000\000\000\100' | dd of="$SCRATCH/far.bin" bs=1 seek=88 conv=notrunc 2>/dev/null
	guest_test malformed-segment-outside-memory 1 "$SCRATCH/far.bin"
	expect_stderr 'lies outside the guest.s 512 MiB'
	expect_no_stdout

	# p_offset = 0x7fffffff: the segment's bytes are not in the file.
	cp "$x86_sample" "$SCRATCH/offset.bin"
	printf '\377\377\377\177' | dd of="$SCRATCH/offset.bin" bs=1 seek=72 conv=notrunc 2>/dev/null
	guest_test malformed-segment-past-eof 1 "$SCRATCH/offset.bin"
	expect_stderr 'extends past the end of the file'
	expect_no_stdout

	# The note segment made PT_NULL: no PVH entry point.
	cp "$x86_sample" "$SCRATCH/nonote.bin"
	printf '\000' | dd of="$SCRATCH/nonote.bin" bs=1 seek=120 conv=notrunc 2>/dev/null
	guest_test malformed-no-pvh-note 1 "$SCRATCH/nonote.bin"
	expect_stderr 'XEN_ELFNOTE_PHYS32_ENTRY'
	expect_no_stdout

	guest_test arch-mismatch 1 --arch=ppc64 "$x86_sample"
	expect_stderr 'the image is x86_64 but --arch=ppc64'
	expect_no_stdout
else
	skip_test malformed-truncated-elf "no x86 guest ELF built to cut it from"
	skip_test malformed-wrong-machine "no x86 guest ELF built to patch"
	skip_test malformed-segment-outside-memory "no x86 guest ELF built to patch"
	skip_test malformed-segment-past-eof "no x86 guest ELF built to patch"
	skip_test malformed-no-pvh-note "no x86 guest ELF built to patch"
	skip_test arch-mismatch "no x86 guest ELF built"
fi

# ---------------------------------------------------------------- x86-64 guests
# (tests/guests/x86/*.S; one case per guest, please)

guest_test x86-hello 0 --trace=exits,hypercalls "$(x86_guest hello)"
expect_stdout '^hello from x86-64 PVH guest$'
expect_stderr 'VMEXIT 10 CPUID rip=0x[0-9a-f]+ len=2 qual=0x0 leaf=0x40000000 subleaf=0x'
expect_stderr 'VMEXIT 32 MSR_WRITE rip=0x[0-9a-f]+ len=2 qual=0x0 msr=0x40000000 \(xen_hypercall_page\) val=0x104000$'
expect_stderr 'VMEXIT 18 VMCALL rip=0x[0-9a-f]+ len=3'
expect_stderr 'HYPERCALL 18 console_io'
expect_stderr 'HYPERCALL 29 sched_op'

guest_test x86-hello-quiet 0 "$(x86_guest hello)"
expect_stdout '^hello from x86-64 PVH guest$'
expect_no_stderr

guest_test x86-crash 2 "$(x86_guest crash)"
expect_stdout '^crashing on purpose$'
expect_stderr 'crash'

guest_test x86-reboot 3 "$(x86_guest reboot)"
expect_stdout '^rebooting on purpose$'
expect_stderr 'reboot'

guest_test x86-xenver 0 "$(x86_guest xenver)"
expect_stdout '^xen version 4\.17$'
expect_stdout '^raw 0x0000000000040011$'

guest_test x86-vmcall32 0 --trace=exits "$(x86_guest vmcall32)"
expect_stdout '^hello from 32-bit protected mode$'
expect_stdout '^hello from long mode$'
expect_stderr 'VMEXIT 18 VMCALL rip=0x100[0-9a-f]{3} len=3'

# PVH start -> 16-bit protected mode -> real mode (every 16-bit addressing
# form, INT and #DE through the IVT, a far call) -> protected -> long mode.
guest_test x86-realmode 0 "$(x86_guest realmode)"
expect_stdout '^realmode: all checks passed$'
expect_no_stderr

guest_test x86-triple 2 --trace=exits "$(x86_guest triple)"
expect_stdout '^faulting with no IDT$'
expect_not_stdout 'unexpected'
expect_stderr 'VMEXIT 2 TRIPLE_FAULT rip=0x'
expect_stderr 'triple fault'

guest_test x86-spin 4 --timeout=1 "$(x86_guest spin)"
expect_no_stdout
expect_stderr 'timeout'

for e in le be; do
	guest_test "ppc-fifo-$e" 0 --trace=evtchn "$(ppc_guest fifo "$e")"
	expect_stdout '^fifo events: 2 1$'
	expect_stderr 'EVTCHN init_control vcpu=0 gfn=0x[0-9a-f]+ offset=0x0$'
	expect_stderr 'EVTCHN set_priority port=2 priority=3$'
	expect_stderr 'EVTCHN pending d1 port=2 vcpu=0 priority=3$'
	expect_stderr 'EVTCHN pending d1 port=1 vcpu=0 priority=7$'
done

for e in le be; do
	guest_test "ppc-contin-$e" 0 --trace=hypercalls "$(ppc_guest contin "$e")"
	expect_stdout '^continuations: 5000 pages out and back in$'
	expect_stderr 'HYPERCALL 12 memory_op:populate_physmap\(0x6, 0x[0-9a-f]+\) = continuation\(0x40006, 0x[0-9a-f]+\)$'
	expect_stderr 'HYPERCALL 12 memory_op:populate_physmap\(0x40006, 0x[0-9a-f]+\) = 5000$'
done

for e in le be; do
	guest_test "ppc-vcpuop-$e" 0 --trace=hypercalls "$(ppc_guest vcpuop "$e")"
	expect_stdout '^vcpu_op: down on the last vcpu$'
	expect_not_stdout 'FAILED|after down'
	expect_stderr 'HYPERCALL 33 physdev_op:map_pirq\(0xd, 0x[0-9a-f]+\) = -38$'
	expect_stderr 'HYPERCALL 24 vcpu_op:down\(0x2, 0x0, 0x[0-9a-f]+\) = 0$'
done

# The local APIC (devices/x86/lapic.c, hv/x86/apic.c) and the ACPI tables
# (hv/x86/acpi.c): timers in virtual time to the instruction, IPIs, CR8, and
# power-off through the ACPI sleep control register. The periodic ticks come
# at exact instruction counts, 20000 apart (editing lapic.S moves them).
guest_test x86-lapic 0 --trace=irq "$(x86_guest lapic)"
expect_stdout '^madt: local APICs 1$'
expect_stdout '^fadt: hardware-reduced, S5 sleep type 5 at port 0x000000000000b004$'
expect_stdout '^xapic one-shot timer interrupt$'
expect_stdout '^xapic self IPI$'
expect_stdout '^x2apic periodic timer: 3 more ticks$'
expect_stdout '^x2apic tsc-deadline timer interrupt$'
expect_stdout '^cr8 held the IPI off until lowered$'
expect_stdout '^powering off through ACPI$'
expect_not_stdout 'FAILED|still running'
expect_stderr 'd1v0 APIC IPI vector=0x41 mode=0 shorthand=1 physical dest=0x0$'
# Periodic ticks while the guest halts between them: the first field counts
# instructions retired, which the halted time between ticks is not.
expect_stderr '^8164 d1v0 IRQ inject APIC vector=0x40$'
expect_stderr '^8183 d1v0 IRQ inject APIC vector=0x40$'

guest_test x86-lapic-madt-4 0 --vcpus=4 "$(x86_guest lapic)"
expect_stdout '^madt: local APICs 4$'
expect_stdout '^powering off through ACPI$'

# SMP: vcpu 1 started by INIT-SIPI-SIPI into a real-mode trampoline, then
# fixed (physical and logical), all-excluding-self and NMI IPIs.
guest_test x86-smp 0 --vcpus=2 --trace=irq "$(x86_guest smp)"
expect_stdout '^smp: vcpu 1 up through INIT-SIPI-SIPI, real mode to long mode$'
expect_stdout '^smp: fixed IPI, physical destination: taken by vcpu 1$'
expect_stdout '^smp: fixed IPI, logical destination: taken by vcpu 1$'
expect_stdout '^smp: all-excluding-self reached vcpu 1 only, which answered$'
expect_stdout '^smp: NMI taken by vcpu 1$'
expect_not_stdout 'FAILED'
expect_stderr 'd1v1 APIC INIT: wait for SIPI$'
expect_stderr 'd1v1 APIC SIPI vector=0x08: start at 0x800:0000$'
expect_stderr 'd1v0 APIC IPI vector=0x51 mode=0 shorthand=0 logical dest=0x2$'
expect_stderr 'd1v1 IRQ inject NMI$'

# Port I/O that exits to hv: unclaimed ports read all ones.
guest_test x86-ioport 0 --trace=exits "$(x86_guest ioport)"
expect_stdout '^0x00000000ffffffff$'
expect_stdout '^0xffffffffffffffff$'
expect_stdout '^0x0000000000000000$'
expect_stderr 'VMEXIT 30 IO_INSTRUCTION rip=0x[0-9a-f]+ len=1 qual=0xcf80003 port=0xcf8 out size=4$'
expect_stderr 'VMEXIT 30 IO_INSTRUCTION rip=0x[0-9a-f]+ len=1 qual=0xcf8000b port=0xcf8 in size=4$'
expect_stderr 'VMEXIT 30 IO_INSTRUCTION rip=0x[0-9a-f]+ len=1 qual=0xcf90008 port=0xcf9 in size=1$'

# VM exits hv resumes or emulates (hv/x86/exit.c): INVD and WBINVD, an NMI
# held until the NMI handler's IRET (the NMI window), then the same guest
# with the exits --intercept adds: each emulated instruction's result and
# each re-delivered exception is checked by the guest, the exit information
# here. Under MTF the guest exits after every instruction and runs the same.
guest_test x86-exits 0 --trace=exits "$(x86_guest exits)"
expect_stdout '^invd, wbinvd: resumed after them$'
expect_stdout '^invlpg, invpcid: no stale translation$'
expect_stdout '^exceptions: #UD, #BP, #PF with CR2 delivered$'
expect_stdout '^nmi: the second NMI waited for the first one.s IRET$'
expect_stdout '^cr: CR3, CR0 \(MOV, CLTS, LMSW\), CR4 written and read back, #GP for a reserved bit$'
expect_stdout '^exits: all checks passed$'
expect_stderr 'VMEXIT 13 INVD rip=0x[0-9a-f]+ len=2 qual=0x0$'
expect_stderr 'VMEXIT 54 WBINVD rip=0x[0-9a-f]+ len=2 qual=0x0$'
expect_stderr 'd1v0 VMEXIT 8 NMI_WINDOW rip=0x[0-9a-f]+ len=0 qual=0x0$'

guest_test x86-exits-intercept 0 --trace=exits \
	--intercept=rdtsc,invlpg,mov-dr,exceptions,preemption-timer,cr0,cr3,cr4 "$(x86_guest exits)"
expect_stdout '^cr: CR3, CR0 \(MOV, CLTS, LMSW\), CR4 written and read back, #GP for a reserved bit$'
expect_stdout '^exits: all checks passed$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x13 cr3 mov-from gpr=0$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x3 cr3 mov-to gpr=0$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x313 cr3 mov-from gpr=3$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x0 cr0 mov-to gpr=0$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=2 qual=0x20 cr0 clts$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x[0-9a-f]*[89a-f]0030 cr0 lmsw$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x4 cr4 mov-to gpr=0$'
expect_stderr 'VMEXIT 16 RDTSC rip=0x[0-9a-f]+ len=2 qual=0x0$'
expect_stderr 'VMEXIT 51 RDTSCP rip=0x[0-9a-f]+ len=3 qual=0x0$'
expect_stderr 'VMEXIT 14 INVLPG rip=0x[0-9a-f]+ len=3 qual=0x40080000$'
expect_stderr 'VMEXIT 58 INVPCID rip=0x[0-9a-f]+ len=9 qual=0x0$'
expect_stderr 'VMEXIT 29 DR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x0 dr0 mov-to gpr=0$'
expect_stderr 'VMEXIT 29 DR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x310 dr0 mov-from gpr=3$'
expect_stderr 'VMEXIT 29 DR_ACCESS rip=0x[0-9a-f]+ len=3 qual=0x16 dr6 mov-from gpr=0$'
expect_stderr 'VMEXIT 0 EXCEPTION_NMI rip=0x[0-9a-f]+ len=0 qual=0x0 vector=6 type=3$'
expect_stderr 'VMEXIT 0 EXCEPTION_NMI rip=0x[0-9a-f]+ len=1 qual=0x0 vector=3 type=6$'
expect_stderr 'VMEXIT 0 EXCEPTION_NMI rip=0x[0-9a-f]+ len=0 qual=0x40081000 vector=14 type=3 error=0x0$'
expect_stderr 'VMEXIT 52 PREEMPTION_TIMER rip=0x[0-9a-f]+ len=0 qual=0x0$'

guest_test x86-exits-mtf 0 --trace=exits --stats --intercept=mtf "$(x86_guest exits)"
expect_stdout '^exits: all checks passed$'
expect_stderr 'VMEXIT 37 MONITOR_TRAP_FLAG rip=0x[0-9a-f]+ len=0 qual=0x0$'
expect_stderr '^ +37 +MONITOR_TRAP_FLAG +[0-9]{4,5}$'

guest_test x86-intercept-unknown 1 --intercept=rdtsc,nonsense "$(x86_guest exits)"
expect_stderr "unknown intercept 'nonsense'"
expect_no_stdout

# The same guest as the exits trace decodes them (hv/x86/exit_trace.c).
guest_test x86-lapic-exits 0 --trace=exits "$(x86_guest lapic)"
expect_stderr 'VMEXIT 31 MSR_READ rip=0x[0-9a-f]+ len=2 qual=0x0 msr=0x1b \(IA32_APIC_BASE\)$'
expect_stderr 'VMEXIT 32 MSR_WRITE rip=0x[0-9a-f]+ len=2 qual=0x0 msr=0x6e0 \(IA32_TSC_DEADLINE\) val=0x'
expect_stderr 'VMEXIT 30 IO_INSTRUCTION rip=0x[0-9a-f]+ len=1 qual=0xb0040000 port=0xb004 out size=1$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=4 qual=0x8 cr8 mov-to gpr=0$'
expect_stderr 'VMEXIT 28 CR_ACCESS rip=0x[0-9a-f]+ len=4 qual=0x18 cr8 mov-from gpr=0$'
expect_stderr 'VMEXIT 12 HLT rip=0x[0-9a-f]+ len=1 qual=0x0$'
expect_stderr 'VMEXIT 7 INTERRUPT_WINDOW rip=0x[0-9a-f]+ len=0 qual=0x0$'

# 5-level paging: a 57-bit address, a #PF where 48 bits would #GP, LA57 fixed
# in long mode.
guest_test x86-la57 0 "$(x86_guest la57)"
expect_stdout '^la57: 0xff00000000000000 reads and writes its page$'
expect_stdout '^la57: 0x0000800000000000 is canonical: #PF, not #GP$'
expect_stdout '^la57: clearing CR4.LA57 in long mode is #GP$'
expect_not_stdout 'FAILED'

# The TLB: PCID-tagged and global entries kept and dropped as the SDM says
# (CR3 bit 63, INVPCID types 0-3, INVLPG), seen through a PTE edited without
# invalidation.
guest_test x86-pcid 0 "$(x86_guest pcid)"
expect_stdout '^pcid: CR3 bit 63, INVPCID 0 and 1 keep and drop the right entries$'
expect_stdout '^pcid: global pages survive CR3 loads and INVPCID 3, not INVLPG or INVPCID 2$'
expect_not_stdout 'FAILED'

# 32-bit segmentation: STR/SLDT into r32, a 16-bit interrupt gate, a double
# fault through a task gate (exit 9, which hv performs) and IRET back.
guest_test x86-tasks 0 --trace=exits "$(x86_guest tasks)"
expect_stdout '^tasks: STR and SLDT zero-extend into 32-bit registers$'
expect_stdout '^tasks: a 16-bit interrupt gate pushed IP, CS, FLAGS as words$'
expect_stdout '^tasks: double fault through a task gate: new task, link, NT, TS, error code$'
expect_stdout '^tasks: IRET with NT returned to the old task$'
expect_stdout '^tasks: far JMP and CALL to a TSS switch tasks \(CALL nests\)$'
expect_not_stdout 'FAILED'
expect_stderr 'VMEXIT 9 TASK_SWITCH rip=0x[0-9a-f]+ len=0 qual=0xc0000020 tss=0x20 task-gate$'
expect_stderr 'VMEXIT 9 TASK_SWITCH rip=0x[0-9a-f]+ len=1 qual=0x40000018 tss=0x18 iret$'
expect_stderr 'VMEXIT 9 TASK_SWITCH rip=0x[0-9a-f]+ len=7 qual=0x80000020 tss=0x20 jmp$'
expect_stderr 'VMEXIT 9 TASK_SWITCH rip=0x[0-9a-f]+ len=7 qual=0x18 tss=0x18 call$'

# Protected-mode segment limit and type checks: #GP(0) / #SS(0) for accesses
# beyond limits (byte and page granular, expand-down B=1/B=0), writes to
# read-only data and code, reads of execute-only code, null selectors, string
# instructions and the stack.
guest_test x86-segs 0 "$(x86_guest segs)"
expect_stdout '^segs: byte and page limits, expand-down with B=1 and B=0$'
expect_stdout '^segs: read-only data, CS writes, execute-only reads, null selectors are #GP\(0\)$'
expect_stdout '^segs: string instructions stop at the limit$'
expect_stdout '^segs: POP, SS-based operands, PUSHAD, LRET and IRET beyond SS.s limit are #SS\(0\)$'
expect_stdout '^segs: segment loads: #NP, #SS, #GP with the selector$'
expect_stdout '^segs: SSE, far pointers, CMPXCHG8B and FXSAVE operands are checked too$'
expect_not_stdout 'FAILED'

# Call gates in 32-bit protected mode from CPL 3: the stack switch from the
# TSS with parameter copy, RET to the outer level (with the data-segment
# nulling rule), 16-bit gates, same-privilege gates, and the faults.
guest_test x86-callgate 0 "$(x86_guest callgate)"
expect_stdout '^callgate: CALL to CPL 0 through a 32-bit gate: TSS stack, SS ESP, 2 parameters, CS EIP$'
expect_stdout '^callgate: RET \$8 to CPL 3: both stacks popped, ES \(DPL 0\) made null, FS kept$'
expect_stdout '^callgate: #GP\(gate\) #NP\(gate\) #NP\(code\) #TS\(SS\) #GP\(code\)$'
expect_stdout '^callgate: a 16-bit gate pushes words$'
expect_stdout '^callgate: a gate to CPL 3 from CPL 3 keeps the stack$'
expect_not_stdout 'FAILED'

# 64-bit call gates in IA-32e mode: RSP0 and a null SS, quadword pushes,
# LRETQ to CPL 3, a gate to 32-bit code is #GP(code).
guest_test x86-callgate64 0 "$(x86_guest callgate64)"
expect_stdout '^callgate64: CALL through a 64-bit gate to CPL 0: RSP0, null SS, SS RSP CS RIP as quadwords$'
expect_stdout '^callgate64: LRETQ to CPL 3: SS:RSP popped, ES \(DPL 0\) made null, FS kept$'
expect_stdout '^callgate64: a gate to a 32-bit code segment is #GP\(code\)$'
expect_not_stdout 'FAILED'

guest_test x86-ept-violation 2 --memory=32M --trace=exits "$(x86_guest ept)"
expect_stdout '^reading guest-physical 0x30000000: no RAM there$'
expect_not_stdout 'unexpected'
expect_stderr 'VMEXIT 48 EPT_VIOLATION rip=0x[0-9a-f]+ len=0 qual=0x181 gpa=0x30000000 access=r-- allowed=--- gla=0x30000000$'
expect_stderr 'EPT violation: guest accessed gpa 0x30000000'


# Event channels, the pvclock and hostile arguments (hv/evtchn.c, hv/time.c,
# hv/memory.c, hv/vcpu_op.c, hv/hvm_op.c).
# Ports 1 and 2 are the console's and xenstore's (domain 0's backends), as in
# a domU Xen's toolstack built: the guest's first port is 3.
guest_test x86-evtchn 0 --trace=hypercalls,evtchn,p2m "$(x86_guest evtchn)"
expect_stdout '^timer event on port 3$'
expect_stdout '^running vcpu interrupted at its timer deadline$'
expect_stderr 'd1v0 P2M add_to_physmap shared_info gfn=0x[0-9a-f]+ mfn=0x[0-9a-f]+ \(was ram_rw'
expect_stderr 'HYPERCALL 12 memory_op:add_to_physmap\(0x7, 0x[0-9a-f]+\) = 0$'
expect_stderr 'HYPERCALL 24 vcpu_op:register_vcpu_info\(0xa, 0x0, 0x[0-9a-f]+\) = 0$'
expect_stderr 'EVTCHN callback_irq type=2 data=0xf3$'
expect_stderr 'EVTCHN bind_virq virq=0 vcpu=0 port=3$'
expect_stderr 'HYPERCALL 24 vcpu_op:set_singleshot_timer\(0x8, 0x0, 0x[0-9a-f]+\) = 0$'
expect_stderr 'EVTCHN pending d1 port=3 vcpu=0$'
expect_stderr 'EVTCHN upcall vector=0xf3$'

# Determinism (DESIGN.md §7): two runs of a guest with timers, IPIs and
# upcalls trace the same events at the same instruction counts.
for r in a b; do
	guest_test "x86-determinism-$r" 0 --trace=exits,hypercalls,evtchn,p2m,irq,tb \
		--trace-file="$SCRATCH/determinism-$r.txt" "$(x86_guest lapic)"
done
expect_file "$SCRATCH/determinism-b.txt" 'IRQ inject APIC vector=0x40$'
expect_same_file "$SCRATCH/determinism-a.txt" "$SCRATCH/determinism-b.txt"

guest_test x86-pvclock 0 "$(x86_guest pvclock)"
expect_stdout '^pvclock monotonic: advanced [0-9]+ ns; wallclock 1704067200$'
expect_stdout '^pvclock: continuous across TSC writes$'
expect_no_stderr

# One system time for the domain: vcpu 1's first pvclock read (vcpu_info[1],
# before it ever ran) and every hand-over between the two vcpus read no
# earlier than the other vcpu did (hv/sched.c, sched_catch_up).
guest_test x86-pvclock-smp 0 --vcpus=2 "$(x86_guest pvclock_smp)"
expect_stdout "^pvclock-smp: vcpu 1's pvclock continues vcpu 0's, first read and 127 hand-overs$"
expect_no_stderr

# Continuations: big batches done in bounded pieces by re-executing the
# guest's VMCALL (hv/hypercall.h, hv/memory.c, hv/grant_table.c).
guest_test x86-contin 0 --trace=hypercalls "$(x86_guest contin)"
expect_stdout '^continuations: 5000 pages out and back in$'
expect_stdout '^continuations: 150 grant copies$'
expect_stderr 'HYPERCALL 12 memory_op:decrease_reservation\(0x1, 0x[0-9a-f]+\) = continuation\(0x40001, 0x[0-9a-f]+\)$'
expect_stderr 'HYPERCALL 12 memory_op:decrease_reservation\(0x40001, 0x[0-9a-f]+\) = 5000$'
expect_stderr 'HYPERCALL 12 memory_op:populate_physmap\(0x40006, 0x[0-9a-f]+\) = 5000$'
expect_stderr 'HYPERCALL 20 grant_table_op:copy\(0x5, 0x[0-9a-f]+, 0x96\) = continuation\(0x5, 0x[0-9a-f]+, 0x56\)$'
expect_stderr 'HYPERCALL 20 grant_table_op:copy\(0x5, 0x[0-9a-f]+, 0x16\) = 0$'

# FIFO event channels (hv/evtchn_fifo.c): queues by priority, READY and
# HEAD, masking and EVTCHNOP_unmask, from a guest's upcall handler.
guest_test x86-fifo 0 --trace=hypercalls,evtchn "$(x86_guest fifo)"
expect_stdout '^fifo: port 4 then port 3$'
expect_stdout '^fifo: masked port 4 delivered at unmask$'
expect_stderr 'EVTCHN init_control vcpu=0 gfn=0x[0-9a-f]+ offset=0x0$'
expect_stderr 'EVTCHN expand_array page=0 gfn=0x[0-9a-f]+ ports=1024$'
expect_stderr 'EVTCHN set_priority port=4 priority=3$'
expect_stderr 'EVTCHN pending d1 port=4 vcpu=0 priority=3$'
expect_stderr 'EVTCHN pending d1 port=3 vcpu=0 priority=7$'
expect_stderr 'EVTCHN pending d1 port=4 vcpu=0 priority=3 masked$'
expect_stderr 'EVTCHN unmask port=4$'

guest_test x86-hostile 0 --trace=hypercalls "$(x86_guest hostile)"
expect_stdout '^hostile: every call got the expected error$'
expect_not_stdout 'MISMATCH'
expect_stdout '^vcpu_info crossing a page = -6$'
expect_stdout '^bind_virq timer again = -17$'
expect_stdout '^singleshot in the past = -62$'
expect_stdout '^initialise vcpu 0 \(it has a state\) = -17$'
expect_stdout '^physdev map_pirq \(no PIRQs in PVH\) = -38$'
expect_stdout '^domctl = -1$'
expect_stderr 'HYPERCALL 32 event_channel_op:send\(0x4, 0xdead00000000\) = -14$'
expect_stderr 'HYPERCALL 60 unknown\(0x0, 0x0, 0x0, 0x0, 0x0, 0x0\) = -38$'

guest_test x86-gnttab 0 --trace=hypercalls,p2m "$(x86_guest gnttab)"
expect_stdout '^grant table: max frames 32$'
expect_stdout '^a secret shared through a grant$'
expect_stdout '^mapped: a secret shared through a grant$'
expect_stdout '^unmapped$'
expect_stderr 'P2M add_to_physmap grant_table idx=0 gfn=0x[0-9a-f]+ mfn=0x[0-9a-f]+ \(was ram_rw'
expect_stderr 'HYPERCALL 20 grant_table_op:copy\(0x5, 0x[0-9a-f]+, 0x1\) = 0$'
expect_stderr 'P2M grant_map d1 ref=1 gfn=0x[0-9a-f]+ mfn=0x[0-9a-f]+ rw handle=0$'
expect_stderr 'P2M grant_unmap d1 ref=1 gfn=0x[0-9a-f]+ handle=0$'

# VCPUOP_send_nmi (taken with IF=0) and SCHEDOP_watchdog: the watchdog
# shuts the blocked domain down one virtual second after its last ping.
guest_test x86-nmi-watchdog 2 --stats "$(x86_guest nmi)"
expect_stdout '^NMI taken with IF=0$'
expect_stdout '^send_nmi with an argument, to vcpu 5: -22, -2$'
expect_stdout '^watchdog armed, blocking$'
expect_stderr 'domain 1 shut down: watchdog$'
expect_stderr 'result: watchdog'

# Grant tables v2 (tests/guests/x86/gnttab2.S): status frames, full-page and
# sub-page entries, the switching rules.
guest_test x86-gnttab2 0 --trace=p2m "$(x86_guest gnttab2)"
expect_stdout '^grant table version 2$'
expect_stdout '^status frame 0 listed where it is mapped$'
expect_stdout '^mapped: v2 full page ok$'
expect_stdout '^status while mapped: 0x0000000000000018$'
expect_stdout '^sub-page copy: bytes 64\.\.95 of a sub-page grant$'
expect_stdout '^copy past the sub-page: -1$'
expect_stdout '^set_version 1 while mapped: -16, version 2$'
expect_stdout '^status after unmap: 0x0000000000000000$'
expect_stdout '^back to version 1$'
expect_stderr 'P2M add_to_physmap grant_table status idx=0 gfn=0x[0-9a-f]+ mfn='

# Domain 0's backends: a line through the console ring, two keys read through
# xenstore's ring (devices/xen_console.c, devices/xenstore.c).
guest_test x86-rings 0 --trace=evtchn "$(x86_guest rings)"
expect_stdout '^hello through the console ring$'
expect_stdout '^xenstore name: softvisor-guest$'
expect_stdout '^xenstore domid: 1$'
expect_not_stdout 'FAIL'
expect_stderr 'EVTCHN send port=1 -> d0 console$'
expect_stderr 'EVTCHN send port=2 -> d0 xenstore$'
expect_stderr 'XS READ /local/domain/1/name -> OK$'

# expect_peer_exchange: the requests, copies, unmaps and close of the
# peer_[ab] protocol (tests/guests/{x86,ppc}/peer.inc), the same in every
# pairing of the two guests.
expect_peer_exchange() {
	expect_stdout '^\[d1\] server: request 21$'
	expect_stdout '^\[d2\] client: response 441$'
	expect_stdout '^\[d2\] client: copied out: a secret of the server, by copy$'
	expect_stdout '^\[d1\] server: the client copied in: written by the client, by copy\.$'
	expect_stdout '^\[d2\] client: second unmap: -4$'
	expect_stdout '^\[d2\] client: send after close: -22$'
	expect_stdout '^\[d1\] server: client gone \(port unbound, grant released\)$'
	expect_not_stdout 'FAILED'
}

# Two guest domains in one machine (--domain): an interdomain event channel
# and a grant-shared ring between them, grant copies both ways, then unmap
# and close and the errors after (tests/guests/x86/peer_[ab].S). Each
# domain's console lines carry its id.
guest_test x86-two-domains 0 --trace=evtchn,p2m "$(x86_guest peer_a)" \
	--domain="$(x86_guest peer_b)"
expect_stdout '^\[d1\] server: ring granted as ref 8, waiting on port 3$'
expect_stdout '^\[d2\] client: ring mapped, bound to local port 3$'
expect_peer_exchange
expect_stderr 'EVTCHN send port=3 -> d1 port=3$'
expect_stderr 'P2M grant_map d1 ref=8 gfn=0x[0-9a-f]+ mfn=0x[0-9a-f]+ rw handle=0$'

# Domain teardown frees everything: the two-domain machines under valgrind
# (about 2 s each).
valgrind_test x86-two-domains-valgrind 0 "$(x86_guest peer_a)" --domain="$(x86_guest peer_b)"
expect_stdout '^\[d1\] server: client gone'
valgrind_test x86-physmap-valgrind 0 "$(x86_guest physmap)" \
	--domain="$(x86_guest physmap),target=1"
expect_stdout '^\[d2\] foreign mapping removed: 0$'
valgrind_test x86-ppc-two-domains-valgrind 0 "$(x86_guest peer_a)" \
	--domain="$(ppc_guest peer_b le)"
expect_stdout '^\[d1\] server: client gone'

# Each domain has its own xenstore home, console ring and console file.
guest_test x86-domain-xenstore 0 "$(x86_guest hello)" \
	--domain="$(x86_guest rings),name=second,console=file:$SCRATCH/d2.txt"
expect_stdout '^\[d1\] hello from x86-64'
expect_not_stdout 'd2'
expect_file "$SCRATCH/d2.txt" '^xenstore name: second$'
expect_file "$SCRATCH/d2.txt" '^xenstore domid: 2$'
expect_file "$SCRATCH/d2.txt" '^hello through the console ring$'

# Three domains: the second reads its "peers", domain 1's world-readable
# "data" and (refused) domain 1's private "name" (tests/guests/x86/xspeer.S).
guest_test x86-domain-peers 0 "$(x86_guest hello)" --domain="$(x86_guest xspeer)" \
	--domain="$(x86_guest hello)"
expect_stdout '^\[d2\] peers: 1 3$'
expect_stdout '^\[d2\] /local/domain/1/data: $'
expect_stdout '^\[d2\] /local/domain/1/name: error: EACCES$'
expect_stdout '^\[d3\] hello from x86-64'

# A domain that crashes makes the machine's status a crash, after the others
# have finished.
guest_test x86-domain-crash 2 "$(x86_guest hello)" --domain="$(x86_guest crash)"
expect_stdout '^\[d1\] hello from x86-64'
expect_stderr 'domain 2 (crashed|shut down: crash)'

# memory_op's physmap ops (tests/guests/x86/physmap.S): domain 1 moves its
# pages (gmfn, gmfn_range, a batch with a bad entry) and removes one; domain
# 2 serves it (target=1) and foreign-maps its page, talks through it, grants
# it (a copy from that grant is GNTST_bad_page) and removes the mapping.
guest_test x86-physmap 0 --trace=p2m "$(x86_guest physmap)" \
	--domain="$(x86_guest physmap),target=1"
expect_stdout '^\[d1\] gmfn: moved: the page at src$'
expect_stdout '^\[d1\] gmfn: pages released: 1$'
expect_stdout '^\[d1\] gmfn_range: range 0 range 1$'
expect_stdout '^\[d1\] batch errs: 0, -22$'
expect_stdout '^\[d1\] remove_from_physmap: 0, -2$'
expect_stdout '^\[d2\] foreign batch errs: 0, -22$'
expect_stdout '^\[d2\] device model reads: owner.s page$'
expect_stdout '^\[d1\] the device model wrote: reply from the device model!$'
expect_stdout '^\[d1\] copy from the foreign-mapped grant: -9$'
expect_stdout '^\[d2\] foreign mapping removed: 0$'
expect_stdout '^\[d2\] foreign map of no domain: -3$'
expect_stderr 'd2v0 P2M add_to_physmap gmfn_foreign d1 gfn=0x[0-9a-f]+ -> gfn=0x[0-9a-f]+ mfn='
expect_stderr 'd2v0 P2M remove_from_physmap gfn=0x[0-9a-f]+ \(was map_foreign mfn='

# Without target=1 the foreign map is refused (-EPERM); domain 1 then waits
# in vain for the reply and crashes on purpose.
guest_test x86-physmap-no-target 2 "$(x86_guest physmap)" --domain="$(x86_guest physmap)"
expect_stdout '^\[d2\] foreign batch errs: -1, -1$'
expect_stdout 'physmap: FAILED'

guest_test domain-bad-target 1 "$(x86_guest hello)" --domain="$(x86_guest hello),target=2"
expect_stderr 'target=2 is not another domain'

# SCHEDOP_remote_shutdown: only a domain's device model may (tests/guests/
# x86/remote.S); domain 1 spins until then.
guest_test x86-remote-shutdown 0 "$(x86_guest spin)" --domain="$(x86_guest remote),target=1"
expect_stdout '^\[d2\] remote_shutdown of domain 9: -3$'
expect_stdout '^\[d2\] remote_shutdown of domain 32752: -3$'
expect_stdout '^\[d2\] remote_shutdown of domain 2: -1$'
expect_stdout '^\[d2\] remote_shutdown of domain 1: 0$'
expect_no_stderr

guest_test x86-remote-shutdown-refused 4 --timeout=2 "$(x86_guest spin)" \
	--domain="$(x86_guest remote)"
expect_stdout '^\[d2\] remote_shutdown of domain 1: -1$'

guest_test domain-bad-option 1 "$(x86_guest hello)" --domain="$(x86_guest hello),memory=1K"
expect_stderr 'bad --domain option .memory=1K.'
expect_no_stdout

guest_test domain-with-gdb 1 --gdb=1234 "$(x86_guest hello)" --domain="$(x86_guest hello)"
expect_stderr '--domain cannot be combined'

guest_test x86-block 2 --trace=hypercalls "$(x86_guest block)"
expect_stdout '^poll timed out after 5 ms$'
expect_stdout '^poll woken by VIRQ_TIMER$'
expect_stdout '^blocking with every port masked$'
expect_not_stdout 'unexpected|FAILED'
expect_stderr 'HYPERCALL 29 sched_op:poll\(0x3, 0x[0-9a-f]+\) = 0$'
expect_stderr 'HYPERCALL 29 sched_op:block\(0x1, 0x0\) = 0$'
expect_stderr 'crashed: all vcpus halted with no event that could wake them'

guest_test demo-x86-text 0 --arch=x86_64
expect_stdout "^Hello from softvisor's built-in x86-64 guest!$"
expect_stdout '^  This text came through VMCALL -> console_io\.$'

# ---------------------------------------------------------------- console input
# frontend/input.c: host bytes reach the guest's Xen console ring at round
# starts. echo.S echoes lines and powers off on "quit".

printf 'hello\nsecond line\nquit\n' >"$SCRATCH/echo.in"
with_stdin "$SCRATCH/echo.in"
guest_test x86-echo-pipe 0 "$(x86_guest echo)"
expect_stdout '^echo: hello \(ticks [0-9]+\)$'
expect_stdout '^echo: second line \(ticks [0-9]+\)$'
expect_stdout '^echo: bye$'
expect_no_stderr

# Nothing on stdin and no timer could ever deliver any: the guest just ticks.
guest_test x86-echo-eof 4 --timeout=1 "$(x86_guest echo)"
expect_stdout '^echo: ready$'
expect_not_stdout 'bye|FAILED'

# A terminal: raw mode (the guest sees \r, no local echo), Ctrl-A Ctrl-A
# sends one Ctrl-A, the terminal is restored afterwards (pty_session.py
# fails with 99 otherwise).
with_pty --step 20 'echo: ready' 'typed\x01\x01\r' --step 20 'ticks [0-9]+\)' 'quit\r'
guest_test x86-echo-tty 0 "$(x86_guest echo)"
expect_stdout "$(printf 'echo: typed\001 ')"'\(ticks [0-9]+\)'
expect_stdout 'echo: bye'
expect_not_stdout 'typedtyped'

# POWER under the Xen personality polls CONSOLEIO_read.
for e in le be; do
	with_stdin "$SCRATCH/echo.in"
	guest_test "ppc-echo-$e" 0 "$(ppc_guest echo "$e")"
	expect_stdout '^> hello$'
	expect_stdout '^second line$'
	expect_stdout '^echo: bye$'
done

# Ctrl-A x quits like a timeout (status 4) and restores the terminal.
with_pty --step 20 'echo: ready' 'abc\r' --step 20 'ticks [0-9]+\)' '\x01x'
guest_test x86-echo-tty-quit 4 "$(x86_guest echo)"
expect_stdout 'echo: abc \(ticks'
expect_stdout 'stopped by the user \(Ctrl-A x\)'

# ---------------------------------------------------------------- snapshots
# frontend/snapshot.c: save a running machine between two rounds, restore it
# in a new process, and the restored run goes on exactly as the whole run:
# the rest of its console output and the same final state digest (--stats).
# x86: two vcpus exchanging IPIs (smp.S); the local APIC's timers in all
# modes (lapic.S). POWER pseries: decrementer wake-ups from H_CEDE between
# console lines (papr_ticks.S), both byte orders.
snap_digest() {
	grep -o 'state digest: [0-9a-f]*' "$1" 2>/dev/null || echo 'state digest: (none)'
}

snap_case() {
	local name=$1 at=$2
	shift 2
	guest_test "snap-$name" 0 --memory=32M --stats "$@"
	save_stdout "$SCRATCH/$name.out"
	save_stderr "$SCRATCH/$name.err"
	guest_test "snap-$name-save" 0 --memory=32M --stats --snapshot-at="$at" \
		--snapshot-file="$SCRATCH/$name.svs" "$@"
	expect_stdout_file "$SCRATCH/$name.out"
	expect_stderr "$(snap_digest "$SCRATCH/$name.err")"
	expect_same_digests "$SCRATCH/$name.err"
	guest_test "snap-$name-restore" 0 --memory=32M --stats --restore="$SCRATCH/$name.svs" "$@"
	expect_stdout_tail_of "$SCRATCH/$name.out"
	expect_stderr "$(snap_digest "$SCRATCH/$name.err")"
	expect_same_digests "$SCRATCH/$name.err"
}

snap_case x86-smp 300000 --vcpus=2 "$(x86_guest smp)"
snap_case x86-lapic 1 "$(x86_guest lapic)"
for e in le be; do
	snap_case "ppc-ticks-$e" 130 --platform=pseries "$(ppc_guest papr_ticks "$e")"
	expect_stdout '^ticks done [0-9a-f]{2}$'
done

# Several domains (--domain): every domain's memory, vcpus, event channels
# and grant table, the interdomain channel and the grant mapping between
# them (saved while the client has the server's ring mapped), and each
# domain's xenstore connection; each domain ends with its straight-run
# digest. x86 pair, then an x86-64 server with a POWER client.
snap_case x86-two-domains 2000 "$(x86_guest peer_a)" --domain="$(x86_guest peer_b)"
expect_not_stdout 'ring mapped'
expect_stdout '^\[d2\] client: response 441$'
expect_stdout '^\[d1\] server: client gone \(port unbound, grant released\)$'
snap_case x86-ppc-two-domains 4000 "$(x86_guest peer_a)" --domain="$(ppc_guest peer_b le)"
expect_not_stdout 'ring mapped'
expect_stdout '^\[d1\] server: client gone \(port unbound, grant released\)$'
# Its domains are part of what a snapshot must be restored with.
guest_test snap-domains-missing 1 --memory=32M --restore="$SCRATCH/x86-two-domains.svs" \
	"$(x86_guest peer_a)"
expect_stderr "saved with '.*domain=[0-9a-f]{16},memory=33554432,vcpus=1,name=,target=0'"
guest_test snap-domains-other 1 --memory=32M --restore="$SCRATCH/x86-two-domains.svs" \
	"$(x86_guest peer_a)" --domain="$(x86_guest hello)"
expect_stderr 'cannot restore .*saved with'

# A run recorded after a restore replays with the same --restore (a replay
# can start mid-run), and only with it.
guest_test snap-record 0 --memory=32M --platform=pseries --restore="$SCRATCH/ppc-ticks-le.svs" \
	--record="$SCRATCH/ticks.rr" "$(ppc_guest papr_ticks le)"
save_stdout "$SCRATCH/ticks.rr.out"
guest_test snap-replay 0 --memory=32M --platform=pseries --restore="$SCRATCH/ppc-ticks-le.svs" \
	--replay="$SCRATCH/ticks.rr" "$(ppc_guest papr_ticks le)"
expect_stdout_file "$SCRATCH/ticks.rr.out"
expect_no_stderr
guest_test snap-replay-no-restore 1 --memory=32M --platform=pseries --replay="$SCRATCH/ticks.rr" \
	"$(ppc_guest papr_ticks le)"
expect_stderr 'restore='

# A corrupt, truncated, foreign or mismatched snapshot is refused (exit
# status 1) with the reason, before the guest runs.
S=$SCRATCH/x86-smp.svs
if [ -s "$S" ]; then
	python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 0x10
open(sys.argv[2], "wb").write(b)' "$S" "$SCRATCH/flipped.svs"
	head -c "$(($(wc -c <"$S") / 2))" "$S" >"$SCRATCH/truncated.svs"
	head -c 30 "$S" >"$SCRATCH/header.svs"
fi
guest_test snap-flipped 1 --memory=32M --vcpus=2 --restore="$SCRATCH/flipped.svs" "$(x86_guest smp)"
expect_stderr 'cannot restore .*flipped.svs: section .hv. is corrupt \(checksum mismatch\)'
expect_no_stdout
guest_test snap-truncated 1 --memory=32M --vcpus=2 --restore="$SCRATCH/truncated.svs" \
	"$(x86_guest smp)"
expect_stderr 'cannot restore .*: .*truncated'
expect_no_stdout
guest_test snap-header-only 1 --memory=32M --vcpus=2 --restore="$SCRATCH/header.svs" \
	"$(x86_guest smp)"
expect_stderr 'cannot restore .*: truncated header'
guest_test snap-not-a-snapshot 1 --restore="$(x86_guest smp)" "$(x86_guest smp)"
expect_stderr 'not a softvisor snapshot'
guest_test snap-other-image 1 --memory=32M --vcpus=2 --restore="$S" "$(x86_guest lapic)"
expect_stderr 'saved from another kernel image'
guest_test snap-other-options 1 --memory=64M --vcpus=2 --restore="$S" "$(x86_guest smp)"
expect_stderr "saved with 'arch=x86_64 personality=xen memory=33554432 vcpus=2"
guest_test snap-other-arch 1 --memory=32M --platform=pseries --restore="$S" \
	"$(ppc_guest papr_ticks le)"
expect_stderr 'saved from another kernel image'
guest_test snap-not-reached 0 --snapshot-at=100000000 --snapshot-file="$SCRATCH/never.svs" \
	"$(x86_guest hello)"
expect_stderr 'before --snapshot-at=100000000: no snapshot saved'
guest_test snap-no-file 1 --snapshot-at=5 "$(x86_guest hello)"
expect_stderr 'needs --snapshot-file'

# ---------------------------------------------------------------- record/replay
# frontend/rr.c: record a run with console input typed at a terminal and a
# timer ticking (echo.S), replay it with nothing on stdin: the same output,
# every digest (one per 200000 instructions) and the final one equal.
RR=$SCRATCH/echo.rr
with_pty --step 20 'echo: ready' 'first\r' --step 20 'first \(ticks [0-9]+\)' 'second\r' \
	--step 20 'second \(ticks [0-9]+\)' 'quit\r'
guest_test rr-record 0 --memory=32M --record="$RR" --digest-interval=200000 "$(x86_guest echo)"
expect_stdout 'echo: second \(ticks [0-9]+\)'
expect_stdout 'echo: bye'
save_stdout "$SCRATCH/echo.rr.out"

guest_test rr-replay 0 --memory=32M --replay="$RR" "$(x86_guest echo)"
expect_stdout_file "$SCRATCH/echo.rr.out"
expect_no_stderr

# A run stopped from outside (--timeout) replays to the same round.
with_stdin "$SCRATCH/echo.in"
guest_test rr-record-timeout 4 --memory=32M --timeout=1 --record="$SCRATCH/spin.rr" \
	"$(ppc_guest spin le)"
guest_test rr-replay-timeout 4 --memory=32M --replay="$SCRATCH/spin.rr" "$(ppc_guest spin le)"
expect_stderr 'the recorded run was stopped here \(exit status 4\)'
expect_not_stderr 'diverged'

# POWER pseries: a decrementer and H_CEDE's idle jump, recorded and replayed.
guest_test rr-record-pseries 0 --platform=pseries --memory=32M --record="$SCRATCH/cede.rr" \
	--digest-interval=100000 "$(ppc_guest papr_cede le)"
expect_stdout '^cede ok$'
guest_test rr-replay-pseries 0 --platform=pseries --memory=32M --replay="$SCRATCH/cede.rr" \
	"$(ppc_guest papr_cede le)"
expect_stdout '^cede ok$'
expect_no_stderr

# A flipped byte, a cut-short file, another image or other options: refused
# before the guest starts (exit status 1), saying why.
if [ -s "$RR" ]; then
	python3 "$SRCDIR/tests/guests/rrlog.py" flip "$RR" "$SCRATCH/tampered.rr"
	head -c "$(($(wc -c <"$RR") - 40))" "$RR" >"$SCRATCH/truncated.rr"
	head -c 24 "$RR" >"$SCRATCH/header-only.rr"
	python3 "$SRCDIR/tests/guests/rrlog.py" edit-input "$RR" "$SCRATCH/edited.rr" first fixst
fi
guest_test rr-tampered 1 --memory=32M --replay="$SCRATCH/tampered.rr" "$(x86_guest echo)"
expect_stderr 'checksum mismatch \(the log is corrupt or was modified\)'
expect_no_stdout
guest_test rr-truncated 1 --memory=32M --replay="$SCRATCH/truncated.rr" "$(x86_guest echo)"
expect_stderr 'truncated'
expect_no_stdout
guest_test rr-header-only 1 --memory=32M --replay="$SCRATCH/header-only.rr" "$(x86_guest echo)"
expect_stderr 'truncated: no END record|no valid META'
guest_test rr-not-a-log 1 --replay="$(x86_guest echo)" "$(x86_guest echo)"
expect_stderr 'not a softvisor replay log'
guest_test rr-other-image 1 --memory=32M --replay="$RR" "$(x86_guest hello)"
expect_stderr 'recorded with another kernel image'
guest_test rr-other-options 1 --memory=64M --replay="$RR" "$(x86_guest echo)"
expect_stderr "recorded with 'arch=x86_64 personality=xen memory=33554432"
# Checksums recomputed after changing the typed input: only the guest's
# state can tell, and the next digest does (exit status 5).
guest_test rr-diverged 5 --memory=32M --replay="$SCRATCH/edited.rr" "$(x86_guest echo)"
expect_stderr 'replay diverged from .* at round [0-9]+ \(icount [0-9]+\): guest memory differs'
guest_test rr-both 1 --record=x --replay=y "$(x86_guest echo)"
expect_stderr 'cannot be used together'
guest_test rr-bad-interval 1 --record="$SCRATCH/x.rr" --digest-interval=0 "$(x86_guest echo)"
expect_stderr 'bad --digest-interval'

# ---------------------------------------------------------------- POWER guests
# (tests/guests/ppc/*.S; each in both endiannesses)
# The Xen ABI on POWER is `sc 1` with r3 = hypercall number, which exits to
# hv as vector 0xc00 (HCALL).

for e in le be; do
	guest_test "ppc-evtchn-$e" 0 --trace=hypercalls,evtchn "$(ppc_guest evtchn "$e")"
	expect_stdout '^timer event on port 1$'
	expect_stderr 'HYPERCALL 12 memory_op:add_to_physmap\(0x7, 0x[0-9a-f]+\) = 0$'
	expect_stderr 'EVTCHN bind_virq virq=0 vcpu=0 port=1$'
	expect_stderr 'HYPERCALL 15 set_timer_op\(0x[0-9a-f]+\) = 0$'
	expect_stderr 'HYPERCALL 29 sched_op:block\(0x1, 0x[0-9a-f]+\) = 0$'
	expect_stderr 'EVTCHN pending d1 port=1 vcpu=0$'
	expect_stderr 'EVTCHN upcall external interrupt 0x500$'
done

# Grant tables v2 on POWER: entries and status words in either byte order.
for e in le be; do
	guest_test "ppc-gnttab2-$e" 0 --trace=p2m "$(ppc_guest gnttab2 "$e")"
	expect_stdout '^mapped: v2 full page ok$'
	expect_stdout '^status while mapped: reading\|writing$'
	expect_stdout '^sub-page copy: bytes 64\.\.95 of a sub-page grant$'
	expect_stdout '^set_version 1 while mapped: -16$'
	expect_stdout '^unmapped, back to version 1$'
	expect_stderr 'P2M grant table version 2$'
done

# memory_op's physmap ops on POWER, the structures in either byte order
# (tests/guests/ppc/physmap.S).
for e in le be; do
	guest_test "ppc-physmap-$e" 0 --trace=p2m "$(ppc_guest physmap "$e")"
	expect_stdout '^gmfn: moved: the page at src$'
	expect_stdout '^batch errs 0, -22; back at src: the page at src$'
	expect_stdout '^remove_from_physmap: 0, then -2$'
	expect_stderr 'P2M remove_from_physmap gfn=0x[0-9a-f]+ \(was ram_rw'
done

# Two Xen-personality POWER domains (tests/guests/ppc/peer_[ab].S): the
# client's VIRQ_TIMER, then an interdomain channel, a grant-shared ring and
# grant copies through the same hv modules as on x86, in both byte orders.
for e in le be; do
	guest_test "ppc-two-domains-$e" 0 --trace=evtchn,p2m "$(ppc_guest peer_a "$e")" \
		--domain="$(ppc_guest peer_b "$e")"
	expect_stdout '^\[d2\] client: timer event on port 1$'
	expect_stdout '^\[d1\] server: ring granted as ref 8, waiting on port 1$'
	expect_stdout '^\[d2\] client: ring mapped, bound to local port 2$'
	expect_peer_exchange
	expect_stderr 'EVTCHN send port=2 -> d1 port=1$'
	expect_stderr 'P2M grant_map d1 ref=8 gfn=0x[0-9a-f]+ mfn=0x[0-9a-f]+ rw handle=0$'
done

# One machine, two architectures: the x86-64 server and the little-endian
# POWER client share the ring's layout and byte order.
guest_test x86-ppc-two-domains 0 "$(x86_guest peer_a)" --domain="$(ppc_guest peer_b le)"
expect_stdout '^\[d2\] client: response 441$'
expect_stdout '^\[d1\] server: client gone \(port unbound, grant released\)$'
expect_not_stdout 'FAILED'

# Determinism with two domains: the same events at the same instruction
# counts in both runs.
for r in a b; do
	guest_test "two-domains-determinism-$r" 0 --trace=exits,hypercalls,evtchn,p2m \
		--trace-file="$SCRATCH/two-domains-$r.txt" "$(x86_guest peer_a)" \
		--domain="$(ppc_guest peer_b le)"
done
expect_file "$SCRATCH/two-domains-b.txt" 'd2v0 EVTCHN send port=2 -> d1 port=3$'
expect_same_file "$SCRATCH/two-domains-a.txt" "$SCRATCH/two-domains-b.txt"

for e in le be; do
	guest_test "ppc-hello-$e" 0 --trace=exits,hypercalls "$(ppc_guest hello "$e")"
	expect_stdout '^hello from ppc64 guest$'
	expect_stderr 'HV 0xc00 HCALL pc=0x'

	guest_test "ppc-crash-$e" 2 "$(ppc_guest crash "$e")"
	expect_stdout 'crashing on purpose'

	guest_test "ppc-xenver-$e" 0 "$(ppc_guest xenver "$e")"
	expect_stdout '^xen version [0-9]+\.[0-9]+$'

	guest_test "ppc-usercall-$e" 0 --trace=exits "$(ppc_guest usercall "$e")"
	expect_stdout '^privileged sc 1 trapped$'
	expect_not_stdout 'unexpected'
	expect_stderr 'HV 0xc00 HCALL pc=0x7'

	guest_test "ppc-spin-$e" 4 --timeout=1 "$(ppc_guest spin "$e")"
	expect_no_stdout

	# Time slices end with the hypervisor decrementer hv arms at each
	# turn: 0x980 after exactly 200,000 instructions, HSRR0 in the loop.
	guest_test "ppc-hdec-$e" 0 --trace=exits --stats "$(ppc_guest hdec "$e")"
	expect_stdout '^counted past a time slice$'
	expect_stderr '^200000 d1v0 HV 0x980 HDEC pc=0x10008 '
	expect_stderr '^ +0x980 +HDEC +1$'
	expect_stderr 'result: poweroff, 3276[0-9]{2} instructions retired'

	# A hypervisor SPR from the guest kernel: HEA with the instruction in
	# HEIR (decoded in the exits trace), reflected as an illegal
	# instruction; hcalls decoded with the personality's names.
	guest_test "ppc-hea-$e" 0 --trace=exits "$(ppc_guest hea "$e")"
	expect_stdout '^hypervisor SPR: illegal instruction$'
	expect_stderr '^[0-9]+ d1v0 HV 0xe40 HEA pc=0x1003c hsrr1=0x800000000000100[01] heir=0x7c764ba6 mtspr 0x136, r3 spr=HDEC$'
	expect_stderr ' HV 0xc00 HCALL pc=0x734 srr1=0x800000000000100[01] nr=18 console_io:write\(0x0, 0x24, 0x[0-9a-f]+\)$'

	# Doorbells: msgsndp/msgclrp and DPDES with hv's HFSCR[MSGP], the
	# privileged doorbell interrupt 0xA00 in the guest; msgsnd is the
	# hypervisor's (HEA, reflected as an illegal instruction).
	guest_test "ppc-doorbell-$e" 0 --trace=exits "$(ppc_guest doorbell "$e")"
	expect_stdout '^privileged doorbell taken at 0xa00$'
	expect_stdout '^msgsnd from the guest: illegal instruction$'
	expect_not_stdout 'unexpected'
	expect_stderr ' HV 0xe40 HEA pc=0xa40 hsrr1=0x[0-9a-f]+ heir=0x7c00499c .long 0x7c00499c \(msgsnd\)$'
	expect_not_stderr 'HFAC'
done

# ---------------------------------------------------------------- options
guest_test bad-memory 1 --memory=12Q
expect_stderr "bad --memory '12Q'"
guest_test too-little-memory 1 --memory=8M
expect_stderr 'between 16M and 64G'
guest_test bad-trace-category 1 --trace=exits,bogus
expect_stderr "unknown --trace category 'bogus'"
guest_test vcpus-xen-ppc64 1 --arch=ppc64 --vcpus=2
expect_stderr 'needs --platform=pseries'
guest_test bad-console 1 --console=serial
expect_stderr "bad --console 'serial'"
guest_test bad-gdb-port 1 --gdb=localhost:99999
expect_stderr "bad --gdb 'localhost:99999'"
guest_test bad-gdb-spec 1 --gdb=nonsense
expect_stderr "bad --gdb 'nonsense'"

guest_test console-to-file 0 --console=file:"$SCRATCH/console.txt"
expect_no_stdout
expect_file "$SCRATCH/console.txt" 'Hello from softvisor'

guest_test console-none 0 --console=none
expect_no_stdout

guest_test stats 0 --stats
expect_stderr 'exits by reason'
expect_stderr '^ +18 +VMCALL +2$'
expect_stderr '^ +29 +sched_op +1$'
expect_stderr 'result: poweroff, [0-9]+ instructions retired'

guest_test trace-file 0 --trace=hypercalls --trace-file="$SCRATCH/trace.txt"
expect_no_stderr
expect_file "$SCRATCH/trace.txt" 'HYPERCALL 18 console_io:write\(0x0, '

# --trace=tb,insn,ir: each translated block, disassembled, and its IR.
if [ -n "$x86_sample" ]; then
	guest_test trace-tb-insn-ir-x86 0 --trace=tb,insn,ir "$(x86_guest hello)"
	expect_stderr '^TB d1v0 pc=0x100000 phys=0x100000 flags=0x[0-9a-f]+ insns=[0-9]+ bytes=[0-9]+$'
	expect_stderr '^    0x100000: [a-z]+'
	expect_stderr 'vmcall'
	expect_stderr '^  (QLD|QST|ST_ENV|CALL)'

	sv_test inspect-x86 0 inspect "$(x86_guest hello)"
	expect_stdout 'ELF64 x86-64 \(Xen PVH\)'
	expect_stdout 'entry: +0x100000 \(physical\), from XEN_ELFNOTE_PHYS32_ENTRY'
fi
if [ "${SV_HAVE_PPC_AS:-no}" = yes ]; then
	guest_test trace-tb-insn-ppc-be 0 --trace=tb,insn "$(ppc_guest hello be)"
	expect_stderr '^TB d1v0 pc=0x10000 '
	expect_stderr 'sc 1'

	sv_test inspect-ppc-be 0 inspect "$(ppc_guest hello be)"
	expect_stdout 'ELF64 ppc64 big-endian'
fi

# ---------------------------------------------------------------- bzImage kernels
# A minimal bzImage around an x86 guest ELF: one setup sector, "HdrS" boot
# protocol 2.15, and the compressed ELF as the payload at the start of the
# protected-mode part (file offset 1024). softvisor must extract and boot it.
le32() {
	printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $((($1 >> 8) & 255)))"
	printf "\\$(printf %03o $((($1 >> 16) & 255)))\\$(printf %03o $((($1 >> 24) & 255)))"
}
make_bzimage() { # make_bzimage OUT PAYLOAD
	dd if=/dev/zero of="$1" bs=1024 count=1 2>/dev/null
	printf '\001' | dd of="$1" bs=1 seek=$((0x1f1)) conv=notrunc 2>/dev/null
	printf 'HdrS\017\002' | dd of="$1" bs=1 seek=$((0x202)) conv=notrunc 2>/dev/null
	{ le32 0; le32 "$(wc -c <"$2")"; } | dd of="$1" bs=1 seek=$((0x248)) conv=notrunc 2>/dev/null
	cat "$2" >>"$1"
}
if [ -n "$x86_sample" ]; then
	for z in gzip xz zstd lz4; do
		case $z in
		gzip) command -v gzip >/dev/null && gzip -9 -c "$(x86_guest hello)" >"$SCRATCH/p.$z" ;;
		xz) command -v xz >/dev/null && xz -c --check=crc32 "$(x86_guest hello)" >"$SCRATCH/p.$z" ;;
		zstd) command -v zstd >/dev/null && zstd -q -c "$(x86_guest hello)" >"$SCRATCH/p.$z" ;;
		lz4) command -v lz4 >/dev/null && lz4 -q -l -c "$(x86_guest hello)" >"$SCRATCH/p.$z" ;;
		esac
		if [ ! -s "$SCRATCH/p.$z" ]; then
			skip_test "bzimage-$z" "no $z compressor"
			continue
		fi
		make_bzimage "$SCRATCH/bz.$z" "$SCRATCH/p.$z"
		guest_test "bzimage-$z" 0 "$SCRATCH/bz.$z"
		expect_stdout '^hello from x86-64 PVH guest$'
	done
	sv_test inspect-bzimage 0 inspect "$SCRATCH/bz.gzip"
	expect_stdout 'bzImage, gzip-compressed'
	expect_stdout 'ELF64 x86-64 \(Xen PVH\)'

	# A payload cut short, and one in a format softvisor does not read.
	head -c 200 "$SCRATCH/p.gzip" >"$SCRATCH/p.short"
	make_bzimage "$SCRATCH/bz.short" "$SCRATCH/p.short"
	guest_test malformed-bzimage-truncated 1 "$SCRATCH/bz.short"
	expect_stderr 'corrupt gzip payload'
	expect_no_stdout
	printf 'BZh91AY&SY not really bzip2' >"$SCRATCH/p.bz2"
	make_bzimage "$SCRATCH/bz.bz2" "$SCRATCH/p.bz2"
	guest_test malformed-bzimage-bzip2 1 "$SCRATCH/bz.bz2"
	expect_stderr 'compressed in a way softvisor does not read'
	# payload_length beyond the end of the file.
	cp "$SCRATCH/bz.gzip" "$SCRATCH/bz.long"
	le32 268435456 | dd of="$SCRATCH/bz.long" bs=1 seek=$((0x24c)) conv=notrunc 2>/dev/null
	guest_test malformed-bzimage-past-eof 1 "$SCRATCH/bz.long"
	expect_stderr 'lies outside the file'

	# --initrd: loaded as a module (the guest does not look at it; it must
	# fit and the boot must go on).
	head -c 100000 /dev/zero >"$SCRATCH/initrd.img"
	guest_test initrd-module 0 --initrd="$SCRATCH/initrd.img" "$(x86_guest hello)"
	expect_stdout 'hello from x86-64 PVH guest'
	guest_test initrd-missing 1 --initrd="$SCRATCH/no-such-initrd" "$(x86_guest hello)"
	expect_stderr 'cannot read --initrd'
	head -c 20000000 /dev/zero >"$SCRATCH/big.img"
	guest_test initrd-too-big 1 --memory=16M --initrd="$SCRATCH/big.img" "$(x86_guest hello)"
	expect_stderr 'does not fit in guest memory'
fi
# ---------------------------------------------------------------- pseries (PAPR)
# The same POWER CPU under the PAPR personality: r3 = a device tree,
# H_PUT_TERM_CHAR for the console, RTAS power-off.
if [ "${SV_HAVE_PPC_AS:-no}" = yes ]; then
	for e in le be; do
		guest_test "pseries-hello-$e" 0 --platform=pseries --trace=hypercalls \
			"$(ppc_guest papr_hello "$e")"
		expect_stdout '^hello from a pseries guest, through H_PUT_TERM_CHAR$'
		expect_stderr 'HYPERCALL 0x58 H_PUT_TERM_CHAR\(0x30000000, 0x10, 0x68656c6c6f206672, '
		expect_stderr 'HYPERCALL 0xf000 KVMPPC_H_RTAS\(0x[0-9a-f]+\) = 0$'
		# The HPT hv owns: H_ENTER, a translated store, H_READ, H_REMOVE.
		guest_test "pseries-hpt-$e" 0 --platform=pseries --trace=hypercalls \
			"$(ppc_guest papr_hpt "$e")"
		expect_stdout '^hpt ok$'
		expect_stderr 'HYPERCALL 0x8 H_ENTER\(0x0, 0x0, 0x1, 0x7fff00000002\) = -4$'
		expect_stderr 'HYPERCALL 0x4 H_REMOVE\(0x80000000, 0x0, 0x0\) = 0$'
		# H_CEDE blocks until the decrementer: virtual time jumps there
		# (1 ms), the instruction count does not (a few dozen).
		guest_test "pseries-cede-$e" 0 --platform=pseries --trace=hypercalls --stats \
			"$(ppc_guest papr_cede "$e")"
		expect_stdout '^cede ok$'
		expect_stderr 'HYPERCALL 0xe0 H_CEDE\(\) = 0$'
		expect_stderr 'vcpu 0: virtual time 10000[0-9][0-9] ns, 99[0-9]{4} ns of it idle$'
		expect_stderr 'result: poweroff, [1-9][0-9] instructions retired'
	done
	# Under the Xen personality the same hcall numbers mean nothing: the
	# guest gets -ENOSYS, gives up through RTAS (also unknown) and spins.
	guest_test pseries-guest-under-xen 4 --platform=xen --timeout=1 "$(ppc_guest papr_hello le)"
	expect_no_stdout
fi
guest_test pseries-on-x86 1 --platform=pseries
expect_stderr 'pseries is for ppc64 guests'
guest_test bad-platform 1 --platform=s390
expect_stderr "unknown --platform 's390'"
