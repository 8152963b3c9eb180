#!/bin/sh
# Install every build and test dependency of softvisor.
#
# Debian/Ubuntu: everything through apt, including the cross binutils and gcc
# that build the POWER test guests, and an AArch64 cross toolchain with the
# arm64 development packages, so that `make check` can cross-build softvisor
# and run it under qemu-aarch64 (the portability proof).
#
# macOS: prints what to install with Homebrew.
set -eu

if [ "$(uname -s)" = Darwin ]; then
	cat <<'MSG'
softvisor on macOS: install the dependencies with Homebrew:
    brew install pkg-config glib capstone xxhash lz4 zlib xz zstd dtc criterion sdl2
    brew install powerpc64le-elf-binutils x86_64-elf-binutils   # test guests
    brew install gdb                                            # tests/gdb (set GDB=gdb)
MSG
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps.sh: no apt-get here; install by hand: a C11 compiler, make," >&2
	echo "  pkg-config, glib-2.0, capstone, libxxhash, criterion (see README.md)" >&2
	exit 1
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive

native="build-essential pkg-config libglib2.0-dev libcapstone-dev libxxhash-dev
	liblz4-dev zlib1g-dev liblzma-dev libzstd-dev libfdt-dev cpio lz4 zstd xz-utils e2fsprogs
	libcriterion-dev clang clang-format binutils-powerpc64le-linux-gnu binutils-powerpc64-linux-gnu
	gcc-powerpc64le-linux-gnu qemu-user gdb-multiarch"
cross="gcc-aarch64-linux-gnu libc6-dev:arm64 libglib2.0-dev:arm64 libcapstone-dev:arm64
	libxxhash-dev:arm64 libfdt1:arm64 liblz4-dev:arm64 zlib1g-dev:arm64 liblzma-dev:arm64 libzstd-dev:arm64
	libgit2-1.5:arm64 libffi8:arm64"

# libcriterion-dev is not co-installable across architectures, and installing
# libcriterion3:arm64 would remove the native libcriterion-dev: the cross
# build takes the (identical) native headers and links a private copy of the
# arm64 runtime, libcriterion.so.3, which scripts/cross-sysroot.sh extracts
# from the package (configure --host runs it); its other dependencies are the
# libgit2-1.5 and libffi8 above.  (Criterion re-executes its binary for each
# test, which under qemu-aarch64 needs binfmt_misc: scripts/qemu-run.sh sets up
# a private one on Linux 6.7+; on older kernels qemu-user-binfmt provides a
# system-wide one, else the arm64 unit tests are skipped.)
#
# The arm64 packages need the architecture enabled before the package lists
# are fetched.
if [ "$(dpkg --print-architecture)" != arm64 ] &&
	! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi

# A mirror caught mid-sync makes `apt-get update` fail for one index while
# the others are fine: go on, and let the installs below decide.
if ! $SUDO apt-get update -q; then
	echo "install-deps.sh: apt-get update reported errors; trying the installs anyway" >&2
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $native
if [ "${SOFTVISOR_NO_CROSS:-0}" != 1 ]; then
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $cross ||
		echo "install-deps.sh: the AArch64 cross packages did not install;" \
			"make check will skip the cross run" >&2
fi
