#!/bin/sh
# run-unit-tests.sh [--wrapper "CMD..."] BINARY RESULTFILE
# Run the Criterion unit-test binary, keep its console output visible, and
# turn its TAP report into result lines for scripts/test-summary.sh:
#     ok - suite::name  (0.01s)     -> pass suite::name
#     ok - suite::name  # SKIP why  -> skip suite::name
#     not ok - suite::name  (0.01s) -> fail suite::name
#     not ok - suite::name unexpected signal after file.c:12 -> fail suite::name
# A run without a TAP report, with fewer results than its plan ("1..N"), or
# with a non-zero exit status but no failing test (a crash outside the tests)
# adds a line "fail unit-tests-run (why)".  Exits 1 if anything failed.
#
# Criterion's options work as usual through UNIT_ARGS, for example
#     make check-unit UNIT_ARGS='--filter=evtchn/*'
set -u

wrapper=
if [ "${1:-}" = --wrapper ]; then
	wrapper=$2
	shift 2
fi
if [ $# -ne 2 ]; then
	echo "usage: run-unit-tests.sh [--wrapper CMD] BINARY RESULTFILE" >&2
	exit 2
fi
bin=$1
res=$2
tap=$res.tap

case $bin in
*/*) ;;
*) bin=./$bin ;;
esac
rm -f "$tap"
# Under a user-mode emulator, run one test at a time: slower but far less
# memory and no contention between emulated workers.
jobs=
[ -n "$wrapper" ] && jobs=--jobs=1
# shellcheck disable=SC2086 # the wrapper and UNIT_ARGS are command words
$wrapper "$bin" $jobs --tap="$tap" ${UNIT_ARGS:-}
status=$?

awk '
	/^ok / || /^not ok / {
		# The test name is the first word after "ok N -".
		rest = $0
		sub(/^(not )?ok[ \t]+[0-9]*[ \t]*-?[ \t]*/, "", rest)
		skip = (rest ~ /#[ \t]*[Ss][Kk][Ii][Pp]/)
		name = rest
		sub(/[ \t#].*$/, "", name)
		if (name == "")
			name = "unnamed"
		if ($1 == "not")
			print "fail " name
		else if (skip)
			print "skip " name
		else
			print "pass " name
	}
' "$tap" >"$res" 2>/dev/null || : >"$res"

# The TAP plan ("1..N") says how many results to expect.
planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$tap" 2>/dev/null | head -n 1)
reported=$(wc -l <"$res" | tr -d ' ')
if [ -z "$planned" ]; then
	echo "unit-tests: no TAP report (exit status $status)" >&2
	echo "fail unit-tests-run (no TAP report, exit status $status)" >>"$res"
elif [ "$reported" -ne "$planned" ]; then
	echo "unit-tests: $reported results for $planned tests (exit status $status)" >&2
	echo "fail unit-tests-run ($reported of $planned tests reported)" >>"$res"
elif [ "$status" -ne 0 ] && ! grep -q '^fail ' "$res"; then
	echo "unit-tests: exited with status $status but reported no failing test" >&2
	echo "fail unit-tests-run (exit status $status)" >>"$res"
fi
! grep -q '^fail ' "$res"
