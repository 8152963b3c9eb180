#!/bin/sh
# gdb expressions ($rsp, $f1...) are meant literally in single quotes.
# shellcheck disable=SC2016
# run.sh SOFTVISOR GUESTDIR SRCDIR RESULTFILE
#
# The gdb remote stub against a real debugger: for the x86-64 guest
# GUESTDIR/x86/hello.elf and the POWER guests GUESTDIR/ppc/hello-le.elf and
# hello-be.elf, start `softvisor run --gdb=127.0.0.1:0` (port 0: the system
# picks a free port, which softvisor prints in its "waiting for gdb" line),
# drive `gdb-multiarch -batch -nx` with a command file through it, and check
# what gdb printed:
#
#   entry     info registers: rip/pc is the ELF entry (0x100000 / 0x10000)
#   mem       x/4xb at the entry equals the ELF's bytes (read by gdb from the
#             file alone, without softvisor); a write + read back; an
#             unmapped address is an error, not a crash
#   break     break *ADDR a few instructions in + continue stops there
#   stepi     stepi advances by the instruction's length (from the ELF's
#             disassembly); a step over an exiting instruction (CPUID on x86,
#             sc 1 on POWER) completes, with hv's result in the registers
#   setreg    set $rax / $r3, read back
#   fp        x86: an SSE register written and read back, fctrl = 0x37f after
#             FNINIT; POWER: set $f1 = 1.5, read back (guest byte order)
#   exit      continue to the end: gdb sees the process exit with code 0,
#             softvisor prints the guest's hello line and exits 0
# and, with the spin guests (they never end), Ctrl-C (SIGINT to gdb -> 0x03)
# stops the guest, and kill ends softvisor with status 4; a detach lets the
# hello guest run to its end; a write watchpoint (x86: the return address a
# call pushes; POWER: the evtchn guest's copy of its handler to 0x500) stops
# after the store with the new value.
#
# Appends "pass NAME" / "fail NAME" lines to RESULTFILE, or "skip" lines when
# gdb-multiarch (override: GDB=...) or a guest is missing. Every process runs
# under a time limit and is killed at the end.
set -u
SOFTVISOR=$1
GUESTS=$2
SRCDIR=$3 # the common test-script interface; nothing from the source tree is needed
: "$SRCDIR"
RES=$4
GDB=${GDB:-gdb-multiarch}
LIMIT=${SV_GDB_TIMEOUT:-30}

if ! command -v "$GDB" >/dev/null 2>&1; then
	echo "skip gdb ($GDB not found)" | tee -a "$RES"
	exit 0
fi
if ! command -v timeout >/dev/null 2>&1; then
	echo "skip gdb (no timeout command)" | tee -a "$RES"
	exit 0
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/sv-gdb.XXXXXX") || exit 1
SVPID=
cleanup() {
	[ -n "$SVPID" ] && kill "$SVPID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

NPASS=0
NFAIL=0
result() { # NAME OK(0/1) [WHY]
	if [ "$2" = 0 ]; then
		echo "pass $1" >>"$RES"
		NPASS=$((NPASS + 1))
	else
		echo "fail $1" >>"$RES"
		echo "FAIL $1: ${3:-}" >&2
		NFAIL=$((NFAIL + 1))
	fi
}

# check NAME ERE FILE: some line of FILE matches.
check() {
	if grep -Eq "$2" "$3"; then
		result "$1" 0
	else
		result "$1" 1 "no line matching '$2' in $(basename "$3")"
	fi
}

# start_sv ELF [ARGS...]: softvisor in the background, waiting for gdb;
# sets SVPID, PORT and CONNECT (the head of a command file: no pager, no
# questions, attach to it).
start_sv() {
	elf=$1
	shift
	: >"$W/sv.err"
	timeout "$LIMIT" "$SOFTVISOR" run --gdb=127.0.0.1:0 "$@" "$elf" >"$W/sv.out" 2>"$W/sv.err" &
	SVPID=$!
	PORT=
	n=0
	while [ $n -lt 100 ]; do
		PORT=$(sed -n 's/^softvisor: waiting for gdb on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' \
			"$W/sv.err")
		if [ -n "$PORT" ]; then
			CONNECT="set pagination off
set confirm off
target remote 127.0.0.1:$PORT"
			return 0
		fi
		kill -0 "$SVPID" 2>/dev/null || break
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# attach NAME ELF [ARGS...]: start_sv, or NAME fails (status 1).
attach() {
	name_=$1
	shift
	start_sv "$@" && return 0
	result "$name_" 1 "softvisor did not wait for gdb"
	return 1
}

# wait_sv: softvisor's exit status (SVSTATUS).
wait_sv() {
	wait "$SVPID"
	SVSTATUS=$?
	SVPID=
}

run_gdb() { # ELF OUT CMDFILE [CMDFILE2]: an error ends its file, not the next one
	elf=$1 out=$2
	shift 2
	if [ $# -ge 2 ]; then
		timeout "$LIMIT" "$GDB" -batch -nx -x "$1" -x "$2" "$elf" >"$out" 2>&1 </dev/null
	else
		timeout "$LIMIT" "$GDB" -batch -nx -x "$1" "$elf" >"$out" 2>&1 </dev/null
	fi
}

# File-only gdb (no target): bytes and disassembly straight from the ELF.
elf_gdb() { # ELF COMMAND...
	elf=$1
	shift
	timeout "$LIMIT" "$GDB" -batch -nx -ex "$*" "$elf" 2>/dev/null
}

# The address of the Nth instruction (1-based) at SYMBOL+0, from the ELF.
insn_addr() { # ELF SYMBOL N
	elf_gdb "$1" "x/$3i $2" | sed -n "$3s/^[ =>]*\(0x[0-9a-f]*\).*/\1/p"
}

# One debugging session over a hello guest.
#   ARCH NAME ELF ENTRY PCREG BREAK_SYM BREAK_N SCRATCH STEP2_ERE MSG_ERE SETREG
session() {
	name=$2 elf=$3 entry=$4 pcreg=$5 break_sym=$6 break_n=$7 acc=$8 step2_re=$9
	shift 9
	msg=$1 setreg=$2
	t="gdb-$name"
	if [ ! -f "$elf" ]; then
		echo "skip $t (no $elf: assembler missing?)" | tee -a "$RES"
		return
	fi
	bp=$(insn_addr "$elf" "$break_sym" "$break_n")
	next=$(insn_addr "$elf" "$break_sym" $((break_n + 1)))
	after=$(insn_addr "$elf" "$break_sym" $((break_n + 3)))
	bytes=$(elf_gdb "$elf" "x/4xb $entry" | sed 's/^[^:]*:[[:space:]]*//')
	if [ -z "$bp" ] || [ -z "$next" ] || [ -z "$after" ] || [ -z "$bytes" ]; then
		result "$t-elf" 1 "could not read $elf with $GDB"
		return
	fi
	if ! start_sv "$elf"; then
		result "$t-listen" 1 "softvisor did not wait for gdb: $(cat "$W/sv.err")"
		[ -n "$SVPID" ] && kill "$SVPID" 2>/dev/null
		SVPID=
		return
	fi
	cat >"$W/cmd" <<EOF
$CONNECT
echo @entry\\n
info registers $pcreg
echo @mem\\n
x/4xb $entry
set {unsigned int}$acc = 0x5a17c0de
x/xw $acc
echo @unmapped\\n
x/xb 0x7ffffff00000
EOF
	cat >"$W/cmd2" <<EOF
echo @break\\n
break *$bp
continue
info registers $pcreg
echo @stepi\\n
stepi
info registers $pcreg
echo @stepexit\\n
stepi 2
info registers $pcreg
info registers
echo @setreg\\n
set \$save = \$$setreg
set \$$setreg = 0x1122334455667788
p/x \$$setreg
set \$$setreg = \$save
echo @fp\\n
$FPCMD
echo @threads\\n
info threads
echo @cont\\n
delete
continue
echo @exitcode\\n
p \$_exitcode
EOF
	# The first file ends with an error (the unmapped read): the second
	# one still runs.
	run_gdb "$elf" "$W/gdb.out" "$W/cmd" "$W/cmd2"
	wait_sv
	out=$W/gdb.out
	hexpc() { printf '0x%x' "$1"; }
	check "$t-entry" "^$pcreg +$(hexpc "$entry") " "$out"
	check "$t-mem" "^$(hexpc "$entry") <[^>]*>:[[:space:]]*$(echo "$bytes" | sed 's/[[:space:]][[:space:]]*/[[:space:]]+/g')\$" "$out"
	check "$t-mem-write" ":[[:space:]]+0x5a17c0de\$" "$out"
	check "$t-mem-unmapped" "Cannot access memory at address 0x7ffffff00000" "$out"
	check "$t-break" "^$pcreg +$bp " "$out"
	check "$t-stepi" "^$pcreg +$next " "$out"
	check "$t-step-exit" "^$pcreg +$after " "$out"
	check "$t-step-exit-result" "$step2_re" "$out"
	check "$t-setreg" "^\\\$[0-9]+ = 0x1122334455667788\$" "$out"
	check "$t-fp" "$FPRE" "$out"
	[ -n "$FPRE2" ] && check "$t-fp2" "$FPRE2" "$out"
	check "$t-threads" "Thread 1 \\(vcpu 0" "$out"
	check "$t-exit" "exited normally" "$out"
	check "$t-exitcode" "^\\\$[0-9]+ = 0\$" "$out"
	check "$t-console" "$msg" "$W/sv.out"
	if [ "$SVSTATUS" = 0 ]; then result "$t-status" 0; else
		result "$t-status" 1 "softvisor exited $SVSTATUS: $(tail -3 "$W/sv.err")"
	fi
	if [ "$NFAIL" != 0 ] && [ -n "${SV_GDB_VERBOSE:-}" ]; then
		cat "$out" >&2
	fi
}

# Ctrl-C and kill over a guest that never ends; detach over one that does.
interrupt_kill() { # NAME SPIN_ELF PCREG
	t="gdb-$1"
	if [ ! -f "$2" ]; then
		echo "skip $t-ctrlc (no $2)" | tee -a "$RES"
		return
	fi
	attach "$t-ctrlc" "$2" || return
	# gdb forwards a SIGINT as Ctrl-C (0x03) while `continue` waits.
	cat >"$W/cmd" <<EOF
set confirm off
target remote 127.0.0.1:$PORT
shell (sleep 1; kill -INT \$PPID) &
continue
info registers $3
kill
EOF
	run_gdb "$2" "$W/gdb.out" "$W/cmd"
	wait_sv
	check "$t-ctrlc" "received signal SIGINT" "$W/gdb.out"
	if [ "$SVSTATUS" = 4 ]; then result "$t-kill" 0; else
		result "$t-kill" 1 "softvisor exited $SVSTATUS after kill (want 4)"
	fi
}

detach() { # NAME HELLO_ELF MSG
	t="gdb-$1"
	[ -f "$2" ] || return
	attach "$t-detach" "$2" || return
	printf 'target remote 127.0.0.1:%s\ndetach\n' "$PORT" >"$W/cmd"
	run_gdb "$2" "$W/gdb.out" "$W/cmd"
	wait_sv
	if [ "$SVSTATUS" = 0 ] && grep -Eq "$3" "$W/sv.out"; then result "$t-detach" 0; else
		result "$t-detach" 1 "after detach: status $SVSTATUS, stdout $(cat "$W/sv.out")"
	fi
}

# A write watchpoint (Z2): gdb reports the new value with the pc after the
# store (x86: the stub steps the store first; POWER: gdb steps it).
#   NAME ELF PCREG SETUP WATCH_EXPR NEW_VALUE_ERE PC_AFTER
watch_test() {
	t="gdb-$1"
	[ -f "$2" ] || return
	attach "$t-watch" "$2" || return
	cat >"$W/cmd" <<EOF
set confirm off
target remote 127.0.0.1:$PORT
$4
watch $5
continue
info registers $3
delete
continue
EOF
	run_gdb "$2" "$W/gdb.out" "$W/cmd"
	wait_sv
	check "$t-watch" "^New value = $6\$" "$W/gdb.out"
	check "$t-watch-pc" "^$3 +$7 " "$W/gdb.out"
	check "$t-watch-exit" "exited normally" "$W/gdb.out"
}

X86=$GUESTS/x86
PPC=$GUESTS/ppc
SCRATCH_X86=0x200000 # RAM the x86 guest does not use (identity-mapped)
SCRATCH_PPC=0x80000  # RAM the POWER guest does not use (real mode)

FPCMD='set $xmm1.v2_int64[0] = 0x1234
p/x $xmm1.v2_int64
info registers fctrl'
FPRE='^\$[0-9]+ = \{0x1234, 0x0\}$'
FPRE2='^fctrl +0x37f '
# x86: break at hv_init's first instruction (mov $0x40000000,%eax), step it,
# then step over CPUID (a VM exit hv handles) and the next instruction:
# %ebx holds "XenV" from hv's CPUID leaf.
session x86 x86 "$X86/hello.elf" 0x100000 rip hv_init 1 $SCRATCH_X86 \
	'^rbx +0x566e6558 ' '^hello from x86-64' rax
FPRE2=
FPCMD='set $f1 = 1.5
p $f1'
FPRE='^\$[0-9]+ = 1\.5$'
# POWER (_start: li r3,18; li r4,0; li r5,len; lis r6; ori r6; sc 1; ...):
# break at the fourth instruction, step it, then step over ori and `sc 1`
# (console_io: an exit to hv, which returns 0 in r3).
for e in le be; do
	session ppc "ppc-$e" "$PPC/hello-$e.elf" 0x10000 pc _start 4 $SCRATCH_PPC \
		'^r3 +0x0 ' '^hello from ppc64' r3
done

# x86: the return address `call hv_init` pushes (main+5 = 1048723).
[ -f "$X86/hello.elf" ] && watch_test x86 "$X86/hello.elf" rip \
	"break *main
continue" '-l *(long *)($rsp - 8)' 1048723 "$(insn_addr "$X86/hello.elf" hv_init 1)"
# POWER: evtchn copies its interrupt handler to 0x500 (lwz; stw; addi...):
# the first stw writes the handler's first word.
for e in le be; do
	elf=$PPC/evtchn-$e.elf
	[ -f "$elf" ] || continue
	watch_test "ppc-$e" "$elf" pc "" '*(int *)0x500' \
		"$(elf_gdb "$elf" 'p *(int *)handler' | sed -n 's/^\$[0-9]* = //p')" \
		"$(insn_addr "$elf" _start 8)"
done

# x86: a breakpoint on the first byte of a hypercall-page stub (console_io,
# hypercall_page + 18 * 32), set before hv writes the page: continue stops
# there, stepi lands on the stub's VMCALL (mov $18,%eax is 5 bytes), the
# next stepi after it (a VM exit). Breaking on a byte that holds int3 when
# the breakpoint is set makes gdb take it for a "permanent breakpoint" and
# step over it by moving the PC one byte, so this fails if the guest's
# placeholder page is int3 (as it was: pvh.inc now fills it with ud2).
stepi_stub_x86() {
	t=gdb-x86-stepi-stub
	elf=$X86/hello.elf
	[ -f "$elf" ] || return
	stub=$(elf_gdb "$elf" 'p/x (long)&hypercall_page + 18 * 32' | sed -n 's/^\$[0-9]* = //p')
	if [ -z "$stub" ]; then
		result "$t" 1 "no hypercall_page in $elf"
		return
	fi
	attach "$t" "$elf" || return
	cat >"$W/cmd" <<EOF
$CONNECT
break *$stub
continue
info registers rip
stepi
info registers rip
stepi
info registers rip
delete
continue
EOF
	run_gdb "$elf" "$W/gdb.out" "$W/cmd"
	wait_sv
	check "$t-break" "^rip +$stub " "$W/gdb.out"
	check "$t" "^rip +$(printf '0x%x' $((stub + 5))) " "$W/gdb.out"
	check "$t-vmcall" "^rip +$(printf '0x%x' $((stub + 8))) " "$W/gdb.out"
	check "$t-exit" "exited normally" "$W/gdb.out"
}
stepi_stub_x86

# Reverse execution (bs/bc; frontend/reverse.c). x86: block.S calls `now`
# three times across SCHEDOP_poll time jumps and VIRQ_TIMER; at the third
# call reverse-continue must find the second and first calls (their return
# addresses), then the start of the history; forward again to the second,
# reverse-stepi back onto its `call`, stepi forward into `now`.
reverse_x86() {
	t=gdb-x86-reverse
	elf=$X86/block.elf
	[ -f "$elf" ] || return
	attach "$t" "$elf" || return
	cat >"$W/cmd" <<EOF
$CONNECT
break now
continue
p/x *(long *)\$rsp
continue
p/x *(long *)\$rsp
continue
p/x *(long *)\$rsp
reverse-continue
p/x *(long *)\$rsp
reverse-continue
p/x *(long *)\$rsp
reverse-continue
info registers rip
continue
continue
p/x *(long *)\$rsp
reverse-stepi
p/x \$rip
stepi
info registers rip
delete
continue
EOF
	run_gdb "$elf" "$W/gdb.out" "$W/cmd"
	wait_sv
	out=$W/gdb.out
	v1=$(sed -n 's/^\$1 = \(0x[0-9a-f]*\)$/\1/p' "$out")
	v2=$(sed -n 's/^\$2 = \(0x[0-9a-f]*\)$/\1/p' "$out")
	v4=$(sed -n 's/^\$4 = \(0x[0-9a-f]*\)$/\1/p' "$out")
	v5=$(sed -n 's/^\$5 = \(0x[0-9a-f]*\)$/\1/p' "$out")
	v6=$(sed -n 's/^\$6 = \(0x[0-9a-f]*\)$/\1/p' "$out")
	if [ -n "$v1" ] && [ -n "$v2" ] && [ "$v1" != "$v2" ] && [ "$v4" = "$v2" ] &&
		[ "$v5" = "$v1" ] && [ "$v6" = "$v2" ]; then
		result "$t-continue" 0
	else
		result "$t-continue" 1 "return addresses at the calls $v1 $v2, back: $v4 $v5, again: $v6"
	fi
	check "$t-history-begin" "No more reverse-execution history" "$out"
	check "$t-begin-rip" "^rip +0x100000 " "$out"
	if [ -n "$v6" ]; then
		check "$t-stepi" "^\\\$7 = $(printf '0x%x' $((v6 - 5)))\$" "$out"
	else
		result "$t-stepi" 1 "no second call seen"
	fi
	check "$t-stepi-forward" "^rip +0x[0-9a-f]+ +0x[0-9a-f]+ <now>" "$out"
	if [ "$SVSTATUS" = 2 ]; then result "$t-status" 0; else
		result "$t-status" 1 "softvisor exited $SVSTATUS (want 2: block.S deadlocks)"
	fi
	if [ "$NFAIL" != 0 ] && [ -n "${SV_GDB_VERBOSE:-}" ]; then
		cat "$out" >&2
	fi
}

# POWER: break at _start's fourth instruction, step over ori and `sc 1`
# (r3 = 0 after console_io); reverse-stepi onto the sc (r3 = 18 again: the
# hypercall undone), reverse-continue to the breakpoint, then to the start;
# forward to the end.
reverse_ppc() { # NAME ELF
	t="gdb-$1-reverse"
	elf=$2
	[ -f "$elf" ] || return
	bp=$(insn_addr "$elf" _start 4)
	sc=$(insn_addr "$elf" _start 6)
	attach "$t" "$elf" || return
	cat >"$W/cmd" <<EOF
$CONNECT
break *$bp
continue
stepi 3
info registers r3
reverse-stepi
info registers pc
info registers r3
reverse-continue
info registers pc
reverse-continue
info registers pc
delete
continue
EOF
	run_gdb "$elf" "$W/gdb.out" "$W/cmd"
	wait_sv
	out=$W/gdb.out
	check "$t-step-r3" "^r3 +0x0 " "$out"
	check "$t-stepi-pc" "^pc +$sc " "$out"
	check "$t-stepi-r3" "^r3 +0x12 " "$out"
	check "$t-continue" "^pc +$bp " "$out"
	check "$t-history-begin" "No more reverse-execution history" "$out"
	check "$t-begin-pc" "^pc +0x10000 " "$out"
	check "$t-exit" "exited normally" "$out"
	if [ "$NFAIL" != 0 ] && [ -n "${SV_GDB_VERBOSE:-}" ]; then
		cat "$out" >&2
	fi
}

reverse_x86
for e in le be; do
	reverse_ppc "ppc-$e" "$PPC/hello-$e.elf"
done

# pseries: the decrementer interrupt after H_CEDE's idle jump. From the
# handler, reverse-continue finds the same breakpoint hit again (the only
# one), reverse-stepi goes back to before the interrupt (after_cede), and
# again onto the `sc 1` of H_CEDE.
reverse_pseries() {
	t=gdb-pseries-reverse
	elf=$PPC/papr_cede-le.elf
	[ -f "$elf" ] || return
	attach "$t" "$elf" --platform=pseries || return
	cat >"$W/cmd" <<EOF
$CONNECT
break dec_handler
continue
stepi 3
reverse-continue
info registers pc
reverse-stepi
info registers pc
reverse-stepi
info registers pc
delete
continue
EOF
	run_gdb "$elf" "$W/gdb.out" "$W/cmd"
	wait_sv
	out=$W/gdb.out
	check "$t-continue" "^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <dec_handler>" "$out"
	check "$t-before-interrupt" "^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <after_cede>" "$out"
	ac=$(insn_addr "$elf" after_cede 1)
	check "$t-cede" "^pc +$(printf '0x%x' $((${ac:-4} - 4))) " "$out"
	check "$t-exit" "exited normally" "$out"
	check "$t-console" "^cede ok" "$W/sv.out"
}

reverse_pseries

# POWER time slices: hdec.S counts 327,680 instructions, so the hypervisor
# decrementer ends its first turn inside the loop (an exit hv handles, one
# step of the reverse position). From the breakpoint after the loop,
# reverse-stepi re-executes through that exit and must land exactly on the
# loop's last bdnz (CTR = 1); back to the start, and forward again to the
# same breakpoint through the same exit.
reverse_hdec() {
	t=gdb-ppc-hdec-reverse
	elf=$PPC/hdec-le.elf
	[ -f "$elf" ] || return
	attach "$t" "$elf" || return
	cat >"$W/cmd" <<EOF
$CONNECT
break *counted
continue
info registers ctr
reverse-stepi
info registers pc
info registers ctr
reverse-continue
info registers pc
continue
info registers pc
delete
continue
EOF
	run_gdb "$elf" "$W/gdb.out" "$W/cmd"
	wait_sv
	out=$W/gdb.out
	loop=$(insn_addr "$elf" _start 3)
	check "$t-continue" "^ctr +0x0 " "$out"
	check "$t-stepi-pc" "^pc +${loop:-none} " "$out"
	check "$t-stepi-ctr" "^ctr +0x1 " "$out"
	check "$t-history-begin" "No more reverse-execution history" "$out"
	check "$t-again" "^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <counted>" "$out"
	check "$t-exit" "exited normally" "$out"
	check "$t-console" "^counted past a time slice" "$W/sv.out"
}

reverse_hdec

# Reverse execution across in-memory snapshots (frontend/reverse.h): long.S
# runs 40 M instructions between its two calls of `mark`. With a snapshot
# every 2 M instructions (the default) and with none (--reverse-interval=0:
# re-execution from the start), gdb must see the same: reverse-stepi from
# after the second call's `ret` back onto it, reverse-continue to the second
# call and then, searching back across every snapshot, to the first, then
# the start of the history. The session's time is printed for each.
reverse_long() { # NAME [OPTION]
	name=$1
	t="gdb-x86-reverse-long-$name"
	elf=$X86/long.elf
	[ -f "$elf" ] || return
	shift
	attach "$t" "$elf" "$@" || return
	cat >"$W/cmd" <<EOF
$CONNECT
break mark
continue
p/x *(long *)\$rsp
continue
p/x *(long *)\$rsp
stepi 2
p/x \$rip
reverse-stepi
p/x \$rip
reverse-continue
p/x *(long *)\$rsp
reverse-continue
p/x *(long *)\$rsp
reverse-continue
info registers rip
delete
continue
EOF
	t0=$(date +%s%N)
	run_gdb "$elf" "$W/gdb.out" "$W/cmd"
	wait_sv
	t1=$(date +%s%N)
	echo "$t: gdb session $(((t1 - t0) / 1000000)) ms"
	out=$W/gdb.out
	for i in 1 2 3 4 5 6; do
		eval "v$i=\$(sed -n 's/^\\\$$i = \\(0x[0-9a-f]*\\)\$/\\1/p' \"\$out\")"
	done
	mark=$(elf_gdb "$elf" 'p/x &mark' | sed -n 's/^\$[0-9]* = \(0x[0-9a-f]*\).*/\1/p')
	if [ -n "$v1" ] && [ "$v1" != "$v2" ] && [ "$v3" = "$v2" ] && [ -n "$mark" ] &&
		[ "$v4" = "$(printf '0x%x' $((mark + 1)))" ] && [ "$v5" = "$v2" ] && [ "$v6" = "$v1" ]; then
		result "$t" 0
	else
		result "$t" 1 "calls return to $v1 $v2; after stepi $v3, back $v4 (mark $mark); reverse-continue: $v5 $v6"
	fi
	check "$t-history-begin" "No more reverse-execution history" "$out"
	check "$t-exit" "exited normally" "$out"
	grep -v '^\[Inferior\|^Remote debugging\|^Breakpoint [0-9]*, \|^0x' "$out" >"$W/long-$name.out"
}

reverse_long snapshots
reverse_long from-start --reverse-interval=0
if [ -f "$W/long-snapshots.out" ] && [ -f "$W/long-from-start.out" ]; then
	if cmp -s "$W/long-snapshots.out" "$W/long-from-start.out"; then
		result gdb-x86-reverse-long-same 0
	else
		result gdb-x86-reverse-long-same 1 "gdb saw different things with and without snapshots"
	fi
fi

# Monitor commands (frontend/monitor.c) with the x86 grant-table guest
# stopped while it has a grant mapped: help, domains, vcpus, the VMCS (the
# last exit was the map's VMCALL), the event channel table (console and
# xenstore backends), the grant table (its entry 1 and the mapping), the p2m
# entry of the mapped page, a POWER-only command and an unknown one.
monitor_x86() {
	t=gdb-x86-monitor
	elf=$X86/gnttab.elf
	[ -f "$elf" ] || return
	page=$(elf_gdb "$elf" 'p/x &mapped_page' | sed -n 's/^\$[0-9]* = \(0x[0-9a-f]*\).*/\1/p')
	gfn=$(printf '0x%x' $((${page:-0} >> 12)))
	attach "$t" "$elf" || return
	cat >"$W/cmd" <<EOF
$CONNECT
break mapped
continue
monitor help
monitor info domains
monitor info vcpus
monitor info vmcs
monitor info evtchn
monitor info gnttab
monitor p2m $gfn
monitor info hvspr
monitor no-such-command
delete
continue
EOF
	run_gdb "$elf" "$W/gdb.out" "$W/cmd"
	wait_sv
	out=$W/gdb.out
	check "$t-help" "^  info vmcs \[VCPU\] +x86: the software VMCS" "$out"
	check "$t-domains" "^d1: x86_64 xen, 1 vcpu\(s\), 512 MiB" "$out"
	check "$t-vcpus" "^thread 1: vcpu 0 \(d1v0\) pc=0x[0-9a-f]+ icount=[0-9]+ exits=[1-9]" "$out"
	check "$t-vmcs" "^  VM_EXIT_REASON +\(0x4402\) 0x12$" "$out"
	check "$t-vmcs-rip" "^  GUEST_RIP +\(0x681e\) 0x10[0-9a-f]+$" "$out"
	check "$t-evtchn" "^  port 1: interdomain d0 \(backend console\) vcpu 0 pending [01] masked [01]" "$out"
	check "$t-gnttab" "^    ref 1: flags 0x[0-9a-f]{4} to d1 frame 0x[0-9a-f]+$" "$out"
	check "$t-gnttab-mapped" "^  mapped: d1 ref 1 at gfn $gfn$" "$out"
	check "$t-p2m" "^gfn $gfn: grant_map_rw mfn 0x[0-9a-f]+ rw- \(frame owner d1, [0-9]+ refs\)" "$out"
	check "$t-wrong-arch" "^info hvspr is for ppc64 guests" "$out"
	check "$t-unknown" "^unknown command 'no-such-command'" "$out"
	check "$t-exit" "exited normally" "$out"
}

# POWER pseries: the hypervisor SPRs at the decrementer handler, then
# `monitor savevm` mid-run: the snapshot is written when the guest runs on,
# and a run restored from it prints the rest of the run's output.
monitor_ppc() {
	t=gdb-ppc-monitor
	elf=$PPC/papr_ticks-le.elf
	[ -f "$elf" ] || return
	attach "$t" "$elf" --platform=pseries --memory=32M || return
	cat >"$W/cmd" <<EOF
$CONNECT
break dec_handler
continue
continue
continue
monitor info hvspr
monitor info vmcs
monitor savevm $W/ticks.svs
delete
continue
EOF
	run_gdb "$elf" "$W/gdb.out" "$W/cmd"
	wait_sv
	out=$W/gdb.out
	check "$t-hvspr" "^  MSR +0x[0-9a-f]{16}  LPCR +0x[0-9a-f]{16}" "$out"
	check "$t-hvspr-vector" "^  last HV interrupt vector 0x[0-9a-f]+$" "$out"
	check "$t-wrong-arch" "^info vmcs is for x86_64 guests" "$out"
	check "$t-savevm" "will be saved to .*ticks.svs when the guest runs on" "$out"
	check "$t-saved" "saved the machine to .*ticks.svs at round" "$W/sv.err"
	timeout "$LIMIT" "$SOFTVISOR" run --platform=pseries --memory=32M --restore="$W/ticks.svs" \
		"$elf" >"$W/restored.out" 2>"$W/restored.err"
	n=$(wc -c <"$W/restored.out")
	if [ "$n" -gt 0 ] && [ "$n" -lt "$(wc -c <"$W/sv.out")" ] &&
		tail -c "$n" "$W/sv.out" | cmp -s - "$W/restored.out"; then
		result "$t-restore" 0
	else
		result "$t-restore" 1 "restored output ($n bytes) is not the end of the run's"
	fi
}

monitor_x86
monitor_ppc

interrupt_kill x86 "$X86/spin.elf" rip
interrupt_kill ppc-be "$PPC/spin-be.elf" pc
detach x86 "$X86/hello.elf" '^hello from x86-64'
detach ppc-le "$PPC/hello-le.elf" '^hello from ppc64'

echo "gdb tests: $NPASS passed, $NFAIL failed"
[ "$NFAIL" = 0 ]
