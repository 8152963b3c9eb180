#!/usr/bin/env bash
# check.sh [--wrapper "CMD..."] SOFTVISOR GUESTBUILDDIR SRCDIR RESULTFILE
#
# Runs the guest test cases of tests/guests/cases.sh against a built
# softvisor (`make check-guests` calls it).  The cases are one line each:
#
#     guest_test NAME STATUS ARGS...    run: softvisor run --timeout=10 ARGS...
#     sv_test NAME STATUS ARGS...       run: softvisor ARGS...  (no "run")
#     valgrind_test NAME STATUS ARGS... guest_test under valgrind (leaks fail)
#
# and assertions about the case just run, checked when the next case starts:
#
#     expect_stdout 'ERE'      some line of stdout matches the regex (grep -E)
#     expect_stderr 'ERE'      some line of stderr matches
#     expect_no_stdout         stdout is empty
#     expect_no_stderr         stderr is empty
#     expect_not_stdout 'ERE'  no line of stdout matches
#     expect_not_stderr 'ERE'  no line of stderr matches
#     save_stdout FILE         keep stdout (without CRs) for a later case
#     expect_stdout_file FILE  stdout (without CRs) is exactly FILE
#     save_stderr FILE         keep stderr for a later case
#     expect_stdout_tail_of FILE  stdout is a non-empty proper end of FILE
#
# Console input: a case's standard input is /dev/null, unless the line
# before it says
#
#     with_stdin FILE           the next case reads FILE on stdin
#     with_pty STEP...          the next case runs on a pseudo-terminal,
#                               driven by tests/guests/pty_session.py:
#                               STEP = --step TIMEOUT EXPECT-ERE SEND
#                               (stdout and stderr both go to stdout)
#
# STATUS is the expected exit status (0 powered off, 1 usage/image error,
# 2 crashed, 3 reboot, 4 timeout: see man/softvisor.1).
#
# Paths to guest programs: "$(x86_guest NAME)" is GUESTBUILDDIR/x86/NAME.elf,
# "$(ppc_guest NAME le|be)" is GUESTBUILDDIR/ppc/NAME-le.elf or -be.elf.  A case
# with a *.elf argument that does not exist is skipped when that
# architecture's assembler is missing (SV_HAVE_X86_AS / SV_HAVE_PPC_AS = no)
# and fails otherwise (the guest did not assemble).  `skip_test NAME REASON`
# records a case as skipped without running it.
#
# Every case runs as
#     timeout $SV_TEST_TIMEOUT $WRAPPER $SOFTVISOR [run --timeout=10] ARGS...
# (SV_TEST_TIMEOUT defaults to 60 s, the safety net around softvisor's own
# --timeout) and prints "PASS name" or "FAIL name: reasons" with the tail of
# stderr; its result goes to RESULTFILE as "pass NAME" / "fail NAME" /
# "skip NAME (reason)" for scripts/test-summary.sh.  SV_TESTS='glob' runs only
# the cases whose name matches, e.g. make check-guests SV_TESTS='malformed-*'.
#
# Variables for cases.sh: $SOFTVISOR, $GUESTS (GUESTBUILDDIR), $SRCDIR,
# $SCRATCH (a temporary directory removed at the end), $WRAPPER.
set -u

usage() {
	echo "usage: check.sh [--wrapper CMD] SOFTVISOR GUESTBUILDDIR SRCDIR RESULTFILE" >&2
	exit 2
}

WRAPPER=
if [ "${1:-}" = --wrapper ]; then
	[ $# -ge 2 ] || usage
	WRAPPER=$2
	shift 2
fi
[ $# -eq 4 ] || usage
SOFTVISOR=$1
GUESTS=$2
SRCDIR=$3
RESULTFILE=$4
: "${SV_TEST_TIMEOUT:=60}"
: "${SV_HAVE_X86_AS:=yes}"
: "${SV_HAVE_PPC_AS:=yes}"
: "${SV_TESTS:=*}"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/sv-guests.XXXXXX") || exit 1
trap 'rm -rf "$SCRATCH"' EXIT

n_pass=0
n_fail=0
n_skip=0

# State of the case being checked.
case_name=
case_cmd=
case_skip=
case_ran=no
case_fails=()
case_out=$SCRATCH/stdout
case_err=$SCRATCH/stderr
case_stdin=/dev/null
case_pty=()

with_stdin() {
	case_stdin=$1
}

with_pty() {
	case_pty=(python3 "$SRCDIR/tests/guests/pty_session.py" "$@" --)
}

x86_guest() {
	printf '%s/x86/%s.elf' "$GUESTS" "$1"
}

ppc_guest() {
	printf '%s/ppc/%s-%s.elf' "$GUESTS" "$1" "${2:-le}"
}

# The first x86 guest that was built, for the malformed-image cases; empty if
# there is none.
any_x86_guest() {
	local f
	for f in "$GUESTS"/x86/*.elf; do
		if [ -f "$f" ]; then
			printf '%s' "$f"
			return
		fi
	done
}

# Print the verdict of the pending case and record it.
finish_case() {
	[ -n "$case_name" ] || return 0
	if [ -n "$case_skip" ]; then
		echo "SKIP $case_name ($case_skip)"
		echo "skip $case_name ($case_skip)" >>"$RESULTFILE"
		n_skip=$((n_skip + 1))
	elif [ ${#case_fails[@]} -eq 0 ]; then
		echo "PASS $case_name"
		echo "pass $case_name" >>"$RESULTFILE"
		n_pass=$((n_pass + 1))
	else
		local reasons
		reasons=$(printf '%s; ' "${case_fails[@]}")
		echo "FAIL $case_name: ${reasons%; }"
		echo "     command: $case_cmd"
		if [ -s "$case_err" ]; then
			echo "     stderr (last 10 lines):"
			tail -n 10 "$case_err" | sed 's/^/     | /'
		fi
		if [ -s "$case_out" ]; then
			echo "     stdout (last 5 lines):"
			tail -n 5 "$case_out" | sed 's/^/     | /'
		fi
		echo "fail $case_name" >>"$RESULTFILE"
		n_fail=$((n_fail + 1))
	fi
	case_name=
}

# A guest image the case needs is missing: skip if its assembler is absent,
# else fail.
missing_guest() {
	case $1 in
	*/x86/*) [ "$SV_HAVE_X86_AS" = yes ] || case_skip="no x86-64 assembler" ;;
	*/ppc/*) [ "$SV_HAVE_PPC_AS" = yes ] || case_skip="no POWER assembler" ;;
	esac
	[ -n "$case_skip" ] || case_fails+=("guest image $1 missing (did it assemble?)")
}

# sv_test NAME STATUS ARGS...: run softvisor ARGS... and expect exit STATUS.
sv_test() {
	finish_case
	local name=$1 want=$2 arg status stdin=$case_stdin
	local -a pty=("${case_pty[@]}")
	shift 2
	case_stdin=/dev/null
	case_pty=()
	case_name=
	# shellcheck disable=SC2053 # SV_TESTS is a glob on purpose
	[[ $name == $SV_TESTS ]] || return 0
	case_name=$name
	case_skip=
	case_ran=no
	case_fails=()
	: >"$case_out"
	: >"$case_err"
	case_cmd="$WRAPPER $SOFTVISOR $*"
	for arg in "$@"; do
		case $arg in
		*.elf) [ -e "${arg#--*=}" ] || missing_guest "${arg#--*=}" ;;
		esac
	done
	[ -z "$case_skip" ] && [ ${#case_fails[@]} -eq 0 ] || return 0
	if [ ! -x "$SOFTVISOR" ]; then
		case_fails+=("$SOFTVISOR not built")
		return 0
	fi
	# shellcheck disable=SC2086 # the wrapper is a command with arguments
	timeout "$SV_TEST_TIMEOUT" "${pty[@]}" $WRAPPER "$SOFTVISOR" "$@" \
		<"$stdin" >"$case_out" 2>"$case_err"
	status=$?
	case_ran=yes
	if [ "$status" -eq 124 ]; then
		case_fails+=("hung: killed after ${SV_TEST_TIMEOUT}s")
	elif [ "$status" -ne "$want" ]; then
		case_fails+=("exit status $status, expected $want")
	fi
}

# guest_test NAME STATUS ARGS...: softvisor run --timeout=10 ARGS...
guest_test() {
	local name=$1 want=$2
	shift 2
	sv_test "$name" "$want" run --timeout=10 "$@"
}

# Assertions are no-ops for a case that was skipped or could not run.
case_ran() {
	[ -n "$case_name" ] && [ "$case_ran" = yes ] && [ -z "$case_skip" ]
}

expect_stdout() {
	case_ran || return 0
	grep -Eq -- "$1" "$case_out" || case_fails+=("stdout does not match /$1/")
}

expect_not_stdout() {
	case_ran || return 0
	! grep -Eq -- "$1" "$case_out" || case_fails+=("stdout matches /$1/")
}

expect_not_stderr() {
	case_ran || return 0
	! grep -Eq -- "$1" "$case_err" || case_fails+=("stderr matches /$1/")
}

expect_stderr() {
	case_ran || return 0
	grep -Eq -- "$1" "$case_err" || case_fails+=("stderr does not match /$1/")
}

# expect_file PATH REGEX: a file the run wrote matches (e.g. --console=file:).
expect_file() {
	case_ran || return 0
	grep -Eq -- "$2" "$1" 2>/dev/null || case_fails+=("$1 does not match /$2/")
}

# expect_same_file A B: two files the runs wrote are identical.
expect_same_file() {
	case_ran || return 0
	cmp -s -- "$1" "$2" || case_fails+=("$1 and $2 differ: $(cmp -- "$1" "$2" 2>&1 | head -1)")
}

save_stdout() {
	case_ran || return 0
	tr -d '\r' <"$case_out" >"$1"
}

expect_stdout_file() {
	case_ran || return 0
	tr -d '\r' <"$case_out" | cmp -s - "$1" || case_fails+=("stdout differs from $1")
}

save_stderr() {
	case_ran || return 0
	cp "$case_err" "$1"
}

# expect_same_digests FILE: the run's final state digests (--stats, one per
# domain) are FILE's, in the same order.
expect_same_digests() {
	case_ran || return 0
	cmp -s <(grep -o 'state digest: [0-9a-f]*' "$case_err") \
		<(grep -o 'state digest: [0-9a-f]*' "$1") ||
		case_fails+=("the state digests are not those of $1")
}

# expect_stdout_tail_of FILE: stdout (without CRs) is a non-empty proper
# suffix of FILE (a run restored from a snapshot shows what the whole run
# showed after the snapshot).
expect_stdout_tail_of() {
	case_ran || return 0
	local n full
	n=$(tr -d '\r' <"$case_out" | wc -c)
	full=$(wc -c <"$1")
	if [ "$n" -eq 0 ] || [ "$n" -ge "$full" ]; then
		case_fails+=("stdout ($n bytes) is not a proper part of $1 ($full bytes)")
	elif ! tail -c "$n" "$1" | cmp -s - <(tr -d '\r' <"$case_out"); then
		case_fails+=("stdout is not the end of $1")
	fi
}

expect_no_stdout() {
	case_ran || return 0
	[ ! -s "$case_out" ] || case_fails+=("stdout not empty")
}

expect_no_stderr() {
	case_ran || return 0
	[ ! -s "$case_err" ] || case_fails+=("stderr not empty")
}

# valgrind_test NAME STATUS ARGS...: guest_test under valgrind's memcheck;
# a memory error or a definite or indirect leak at exit fails the case
# (exit status 99). Skipped without valgrind, under a --wrapper, and for a
# sanitizer build (its LeakSanitizer checks every case already).
valgrind_test() {
	local saved=$WRAPPER
	if ! command -v valgrind >/dev/null 2>&1; then
		skip_test "$1" "no valgrind"
		return 0
	fi
	if [ -n "$WRAPPER" ] || { command -v ldd >/dev/null 2>&1 && ldd "$SOFTVISOR" 2>/dev/null | grep -q libasan; }; then
		skip_test "$1" "under a wrapper or sanitizers"
		return 0
	fi
	WRAPPER="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
	guest_test "$@"
	WRAPPER=$saved
}

# skip_test NAME REASON: record NAME as skipped without running anything.
skip_test() {
	finish_case
	# shellcheck disable=SC2053 # SV_TESTS is a glob on purpose
	[[ $1 == $SV_TESTS ]] || return 0
	case_name=$1
	case_skip=$2
	case_ran=no
	case_fails=()
	finish_case
}

mkdir -p "$(dirname "$RESULTFILE")"
[ -x "$SOFTVISOR" ] || echo "*** $SOFTVISOR is not built: every case that runs it fails"
[ "$SV_HAVE_X86_AS" = yes ] || echo "*** no x86-64 assembler: x86 guest cases are SKIPPED"
[ "$SV_HAVE_PPC_AS" = yes ] || echo "*** no POWER assembler: POWER guest cases are SKIPPED"
[ -z "$WRAPPER" ] || echo "(running softvisor under: $WRAPPER)"

# shellcheck source=tests/guests/cases.sh
. "$SRCDIR/tests/guests/cases.sh"
finish_case

echo "guest tests: $n_pass passed, $n_fail failed, $n_skip skipped"
[ "$n_fail" -eq 0 ]
