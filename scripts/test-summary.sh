#!/bin/sh
# test-summary.sh DIR|FILE...: sum test result files and print the verdict.
#
# Each result file (FILE, or DIR/*.res) belongs to one suite, named after the file
# (unit.res -> "unit"), and holds one line per test:
#     pass NAME
#     fail NAME [reason...]
#     skip NAME [reason...]
# Other lines are ignored.  Prints a table per suite, the failed and skipped
# tests, and as its very last line
#     N passed, N failed
# (with ", N skipped" appended when some were skipped).  Exits 1 if any test
# failed, else 0.
set -eu

if [ $# -eq 0 ]; then
	echo "usage: test-summary.sh DIR|FILE..." >&2
	exit 2
fi

# The files in the order given (a directory adds its *.res files that were not
# named before it); missing ones are ignored.
files=
add_file() {
	[ -f "$1" ] || return 0
	case " $files " in
	*" $1 "*) ;;
	*) files="$files $1" ;;
	esac
}
for arg in "$@"; do
	if [ -d "$arg" ]; then
		for f in "${arg%/}"/*.res; do
			add_file "$f"
		done
	else
		add_file "$arg"
	fi
done

# shellcheck disable=SC2086 # the file list is split on purpose (no spaces in it)
awk '
	FNR == 1 {
		suite = FILENAME
		sub(/^.*\//, "", suite)
		sub(/\.res$/, "", suite)
		if (!(suite in seen)) {
			seen[suite] = 1
			order[nsuites++] = suite
		}
	}
	$1 == "pass" || $1 == "fail" || $1 == "skip" {
		count[suite, $1]++
		total[$1]++
		if ($1 != "pass") {
			line = $0
			sub(/^[a-z]+[ \t]+/, "", line)
			list[$1] = list[$1] "  " suite ": " line "\n"
		}
	}
	END {
		print ""
		print "=== summary"
		for (i = 0; i < nsuites; i++) {
			s = order[i]
			printf "  %-16s %4d passed, %4d failed, %4d skipped\n", s,
			       count[s, "pass"], count[s, "fail"], count[s, "skip"]
		}
		if (list["skip"] != "")
			printf "skipped:\n%s", list["skip"]
		if (list["fail"] != "")
			printf "FAILED:\n%s", list["fail"]
		line = sprintf("%d passed, %d failed", total["pass"], total["fail"])
		if (total["skip"] > 0)
			line = line sprintf(", %d skipped", total["skip"])
		print line
		exit total["fail"] > 0 ? 1 : 0
	}
' ${files:-/dev/null}
