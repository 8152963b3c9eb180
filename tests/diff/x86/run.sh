#!/bin/sh
# run.sh BUILD_DIR RESULTFILE
#
# Random-sequence differential test of the x86-64 CPU model against the host
# CPU (x86diff.c; the host side runs in a sandboxed child, hostrun.c).
# SV_DIFF_SEED and SV_X86_DIFF_N (default 1 and 20000) pick the sequences; a
# failing case prints its case seed, and `x86diff -case SEED` reruns it
# alone. `make fuzz-cpu` runs many more. Appends "pass x86-diff-random" /
# "fail ..." to RESULTFILE, or a "skip" line on a host that is not x86-64
# Linux.
set -u
BUILD=$1
RES=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../../.." && pwd)
SEED=${SV_DIFF_SEED:-1}
N=${SV_X86_DIFF_N:-20000}
CC=${CC:-cc}

skip() {
	echo "skip x86-diff-random ($1)" >>"$RES"
	echo "x86 diff: skipped: $1" >&2
	exit 0
}

case $(uname -m) in x86_64) ;; *) skip "not an x86-64 host" ;; esac
[ "$(uname -s)" = Linux ] || skip "not a Linux host"
command -v pkg-config >/dev/null 2>&1 || skip "pkg-config not found"
[ -f "$BUILD/libsoftvisor.a" ] || skip "$BUILD/libsoftvisor.a not built"

W=$(mktemp -d "${TMPDIR:-/tmp}/sv-x86-diff.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT INT TERM

DEPS=$(pkg-config --cflags --libs glib-2.0 capstone 2>/dev/null)
XXH=$(pkg-config --libs libxxhash 2>/dev/null || echo -lxxhash)
# shellcheck disable=SC2086
"$CC" -std=gnu11 -O1 -I"$SRC/include" -I"$SRC" -I"$HERE" -o "$W/x86diff" "$HERE/x86diff.c" \
	"$HERE/hostrun.c" "$BUILD/libsoftvisor.a" $DEPS $XXH -lm ||
	{ echo "fail x86-diff-build" >>"$RES"; exit 1; }
timeout 300 "$W/x86diff" "$SEED" "$N" "$RES"
