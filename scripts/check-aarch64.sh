#!/bin/sh
# check-aarch64.sh SRCDIR BUILDDIR ENABLE_TESTS: the AArch64 portability run
# of `make check` (target check-aarch64).
#
# Configures BUILDDIR/build-aarch64 with --host=aarch64-linux-gnu (once; its
# Makefile regenerates itself afterwards), builds softvisor and the unit tests
# there, and runs its check-unit and check-guests, whose programs start under
# qemu-aarch64.  Their results are copied to
# BUILDDIR/test-results/aarch64-unit.res and aarch64-guests.res.  Without
# aarch64-linux-gnu-gcc or qemu-aarch64 it records one skipped test.
# $MAKE is the make to use (the Makefile passes its own).
set -u

if [ $# -ne 3 ]; then
	echo "usage: check-aarch64.sh SRCDIR BUILDDIR ENABLE_TESTS" >&2
	exit 2
fi
srcdir=$(cd "$1" && pwd)
builddir=$2
enable_tests=$3
results=$builddir/test-results
triple=aarch64-linux-gnu
dir=$builddir/build-aarch64
: "${MAKE:=make}"
mkdir -p "$results"

record() {
	echo "$1" >>"$results/aarch64.res"
}

for tool in "$triple-gcc" qemu-aarch64; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "*** SKIPPED: no $tool, so no AArch64 portability run" \
			"(install gcc-$triple and qemu-user, or run scripts/install-deps.sh)"
		record "skip aarch64 (no $tool)"
		exit 0
	fi
done

# The cross build must not inherit the native build's compiler and flags:
# neither from the environment nor from make's command line (MAKEFLAGS carries
# "VAR=value" overrides after " -- ").
unset CC CFLAGS CPPFLAGS LDFLAGS LIBS AR PKG_CONFIG_LIBDIR PKG_CONFIG_PATH
case ${MAKEFLAGS:-} in
"-- "*) MAKEFLAGS= ;;
*" -- "*) MAKEFLAGS=${MAKEFLAGS%% -- *} ;;
esac
export MAKEFLAGS
unset MAKEOVERRIDES

mkdir -p "$dir" || exit 1
cd "$dir" || exit 1
if [ ! -f Makefile ]; then
	opts=--host=$triple
	[ "$enable_tests" = yes ] || opts="$opts --disable-tests"
	echo "configuring $dir: $srcdir/configure $opts"
	# shellcheck disable=SC2086 # $opts holds separate options
	if ! "$srcdir/configure" $opts >configure.out 2>&1; then
		cat configure.out
		echo "*** AArch64 configure failed (log: $dir/config.log)"
		record "fail aarch64-configure"
		exit 1
	fi
	tail -n 16 configure.out
fi

targets=softvisor
[ "$enable_tests" = yes ] && targets="$targets unit-tests"
# shellcheck disable=SC2086 # $targets is a list of make targets
if ! $MAKE --no-print-directory $targets; then
	echo "*** AArch64 build failed"
	record "fail aarch64-build"
	exit 1
fi
file softvisor 2>/dev/null | sed 's/^/built: /'

status=0
$MAKE --no-print-directory check-unit || status=1
$MAKE --no-print-directory check-guests || status=1
for suite in unit guests; do
	if [ -f "test-results/$suite.res" ]; then
		cp "test-results/$suite.res" "$results/aarch64-$suite.res"
	else
		record "fail aarch64-$suite (no results)"
		status=1
	fi
done
exit $status
