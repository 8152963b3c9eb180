#!/bin/sh
# run.sh BUILD_DIR RESULTFILE
#
# Differential test of the POWER user-level instructions (fixed-point,
# floating-point, VMX, VSX, and loads/stores of every kind against a data
# buffer that is compared too):
# softvisor against qemu-ppc64le (-cpu power9). gen.c emits directed and
# seeded-random cases into a static ppc64le Linux program, qemu runs it and
# dumps r0..r31, CR, XER, f0..f31 and FPSCR after each case; svrun.c runs the
# same instruction words on softvisor (linked with BUILD_DIR/libsoftvisor.a)
# and compares (the FPSCR bits where qemu 7.2 departs from the ISA are listed
# in svrun.c). The same cases run big-endian against qemu-ppc64 when it is
# installed. Appends "pass NAME" / "fail NAME" lines to RESULTFILE (one per
# case), or one "skip" line when a tool is missing. SV_DIFF_SEED and
# SV_DIFF_N (default 1 and 1000) pick the random cases (N fixed-point and N
# floating-point ones); a run takes about two seconds.
set -u
BUILD=$1
RES=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../../.." && pwd)
SEED=${SV_DIFF_SEED:-1}
N=${SV_DIFF_N:-1000}
CC=${CC:-cc}
PPC_AS=${PPC_AS:-powerpc64le-linux-gnu-as}
PPC_LD=${PPC_LD:-powerpc64le-linux-gnu-ld}
QEMU=${QEMU_PPC64LE:-qemu-ppc64le}
QEMU_BE=${QEMU_PPC64:-qemu-ppc64}

skip() {
	echo "skip ppc-diff ($1)" >>"$RES"
	echo "ppc diff: skipped: $1" >&2
	exit 0
}

for t in "$PPC_AS" "$PPC_LD" "$QEMU" "$CC" pkg-config; do
	command -v "$t" >/dev/null 2>&1 || skip "$t not found"
done
[ -f "$BUILD/libsoftvisor.a" ] || skip "$BUILD/libsoftvisor.a not built"

W=$(mktemp -d "${TMPDIR:-/tmp}/sv-ppc-diff.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT INT TERM

DEPS=$(pkg-config --cflags --libs glib-2.0 capstone 2>/dev/null)
XXH=$(pkg-config --libs libxxhash 2>/dev/null || echo -lxxhash)

"$CC" -O1 -o "$W/gen" "$HERE/gen.c" || { echo "fail ppc-diff-build-gen" >>"$RES"; exit 1; }
# shellcheck disable=SC2086
"$CC" -std=gnu11 -O1 -I"$SRC/include" -I"$SRC" -o "$W/svrun" "$HERE/svrun.c" \
	"$BUILD/libsoftvisor.a" $DEPS $XXH -lm ||
	{ echo "fail ppc-diff-build-svrun" >>"$RES"; exit 1; }
"$W/gen" "$SEED" "$N" "$W/t.S" "$W/t.cases" &&
	"$PPC_AS" -a64 -mlittle -mpower9 -o "$W/t.o" "$W/t.S" &&
	"$PPC_LD" -EL -static -Ttext=0x10000000 --section-start=.svmem=0x20000000 -o "$W/t.elf" "$W/t.o" ||
	{ echo "fail ppc-diff-build-cases" >>"$RES"; exit 1; }
timeout 30 "$QEMU" -cpu power9 "$W/t.elf" >"$W/t.qemu" ||
	{ echo "fail ppc-diff-qemu" >>"$RES"; exit 1; }
timeout 30 "$W/svrun" "$W/t.cases" "$W/t.qemu" "$RES"
rc=$?

# The same cases big-endian, against qemu-ppc64 (when installed).
if ! command -v "$QEMU_BE" >/dev/null 2>&1; then
	echo "skip ppc-diff-be ($QEMU_BE not found)" >>"$RES"
	exit $rc
fi
"$PPC_AS" -a64 -mbig -mpower9 -o "$W/tbe.o" "$W/t.S" &&
	"$PPC_LD" -EB -m elf64ppc -static -Ttext=0x10000000 --section-start=.svmem=0x20000000 -o "$W/tbe.elf" "$W/tbe.o" ||
	{ echo "fail ppc-diff-be-build-cases" >>"$RES"; exit 1; }
timeout 30 "$QEMU_BE" -cpu power9 "$W/tbe.elf" >"$W/tbe.qemu" ||
	{ echo "fail ppc-diff-be-qemu" >>"$RES"; exit 1; }
timeout 30 "$W/svrun" "$W/t.cases" "$W/tbe.qemu" "$RES" be || rc=1
exit $rc
