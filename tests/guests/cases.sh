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
expect_stderr '.'
expect_no_stdout

printf 'This is a text file, not a kernel.\n' >"$SCRATCH/text.bin"
guest_test malformed-text 1 "$SCRATCH/text.bin"
expect_stderr '.'
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
	expect_stderr '.'
	expect_no_stdout

	# e_machine (offset 18, little-endian) = 40, EM_ARM.
	cp "$x86_sample" "$SCRATCH/arm.bin"
	printf '\050\000' | dd of="$SCRATCH/arm.bin" bs=1 seek=18 conv=notrunc 2>/dev/null
	guest_test malformed-wrong-machine 1 "$SCRATCH/arm.bin"
	expect_stderr '.'
	expect_no_stdout
else
	skip_test malformed-truncated-elf "no x86 guest ELF built to cut it from"
	skip_test malformed-wrong-machine "no x86 guest ELF built to patch"
fi

# ---------------------------------------------------------------- x86-64 guests
# (tests/guests/x86/*.S; one case per guest, please)

guest_test x86-hello 0 --trace=exits,hypercalls "$(x86_guest hello)"
expect_stdout '^hello from x86-64 PVH guest$'
expect_stderr 'VMEXIT 10 CPUID rip=0x'
expect_stderr 'VMEXIT 32 MSR_WRITE rip=0x'
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

guest_test x86-triple 2 --trace=exits "$(x86_guest triple)"
expect_stdout '^faulting with no IDT$'
expect_not_stdout 'unexpected'
expect_stderr 'VMEXIT 2 TRIPLE_FAULT rip=0x'
expect_stderr 'triple fault'

guest_test x86-spin 4 --timeout=1 "$(x86_guest spin)"
expect_no_stdout
expect_stderr 'timeout'

guest_test demo-x86-text 0 --arch=x86_64
expect_stdout "^Hello from softvisor's built-in x86-64 guest!$"
expect_stdout '^  This text came through VMCALL -> console_io\.$'

# ---------------------------------------------------------------- POWER guests
# (tests/guests/ppc/*.S; each in both endiannesses)
# The Xen ABI on POWER is `sc 1` with r3 = hypercall number, which exits to
# hv as vector 0xc00 (HCALL).

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
done
