#!/bin/sh
# qemu-run.sh QEMU PREFIX LIBDIR [--can-exec | PROGRAM [ARG]...]
#
# Runs PROGRAM, built for another Linux architecture, on this machine under the
# user-mode emulator QEMU (e.g. qemu-aarch64), with PREFIX as the root of the
# target's libraries (qemu -L) and LIBDIR (may be empty) prepended to
# LD_LIBRARY_PATH.  A cross build's run-target script (written by configure)
# calls it; tests run their programs through run-target.
#
# Plain `qemu-aarch64 PROGRAM` cannot follow PROGRAM when it executes another
# foreign binary: the kernel refuses it.  Criterion re-executes the unit-test
# binary for every test, so the unit tests need the kernel to hand foreign
# binaries to qemu (binfmt_misc).  In order of preference:
#   1. binfmt_misc already has a handler for the target (qemu-user-binfmt):
#      run PROGRAM directly;
#   2. Linux 6.7 or later: a private binfmt_misc instance in a new user and
#      mount namespace, with a handler for this one run (nothing changes
#      outside that namespace, no root needed);
#   3. otherwise plain qemu: fine for programs that never exec foreign
#      binaries (softvisor itself).
# --can-exec exits 0 when 1 or 2 is available (the unit tests can run), 1 if
# not.  SV_QEMU_MODE=binfmt|userns|plain forces a mode.
set -eu

if [ $# -lt 4 ]; then
	echo "usage: qemu-run.sh QEMU PREFIX LIBDIR [--can-exec | PROGRAM [ARG]...]" >&2
	exit 2
fi
qemu=$1
prefix=$2
libdir=$3
shift 3

qemu_path=$(command -v "$qemu") || {
	echo "qemu-run.sh: $qemu not found (install qemu-user)" >&2
	exit 127
}

# The binfmt_misc magic and mask of the target's ELF executables: e_ident
# (class, data, version; OS/ABI ignored), e_type EXEC or DYN, e_machine.
case ${qemu##*/} in
qemu-aarch64)
	magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
	mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
	hexmagic=7f454c460201010000000000000000000200b700
	;;
*)
	magic=
	mask=
	hexmagic=
	;;
esac

# 1: is a handler registered system-wide?
have_binfmt() {
	[ -n "$hexmagic" ] || return 1
	for f in /proc/sys/fs/binfmt_misc/*; do
		[ -f "$f" ] || continue
		if grep -qx enabled "$f" 2>/dev/null && grep -q "^magic $hexmagic" "$f" 2>/dev/null; then
			return 0
		fi
	done
	return 1
}

# 2: the commands that set up a private binfmt_misc and then run "$@"; F
# opens the interpreter now, P keeps argv[0] (qemu reads AT_FLAGS for it).
# shellcheck disable=SC2016 # expanded by the inner shell
userns_script='
	mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc &&
	printf "%s" ":sv-target:M::$SV_MAGIC:$SV_MASK:$SV_QEMU:FP" >/proc/sys/fs/binfmt_misc/register &&
	exec "$@"'

in_userns() {
	SV_MAGIC=$magic SV_MASK=$mask SV_QEMU=$qemu_path \
		unshare --user --map-root-user --mount sh -c "$userns_script" sv-userns "$@"
}

have_userns() {
	[ -n "$magic" ] && command -v unshare >/dev/null 2>&1 && in_userns true 2>/dev/null
}

mode=${SV_QEMU_MODE:-}
if [ -z "$mode" ]; then
	if have_binfmt; then
		mode=binfmt
	elif have_userns; then
		mode=userns
	else
		mode=plain
	fi
fi

if [ "$1" = --can-exec ]; then
	[ "$mode" != plain ]
	exit
fi

if [ -n "$libdir" ]; then
	LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	export LD_LIBRARY_PATH
fi
QEMU_LD_PREFIX=$prefix
export QEMU_LD_PREFIX

case $mode in
binfmt) exec "$@" ;;
userns)
	SV_MAGIC=$magic SV_MASK=$mask SV_QEMU=$qemu_path \
		exec unshare --user --map-root-user --mount sh -c "$userns_script" sv-userns "$@"
	;;
plain) exec "$qemu_path" "$@" ;;
*)
	echo "qemu-run.sh: unknown SV_QEMU_MODE=$mode" >&2
	exit 2
	;;
esac
