#!/bin/sh
# cross-sysroot.sh DIR [TRIPLE]: put the criterion runtime of a foreign Debian
# architecture into DIR, for the cross build's unit tests.
#
# libcriterion-dev cannot be installed for two architectures at once on
# Debian, and installing libcriterion3:arm64 would remove the native one.  So
# the cross build compiles against the native headers and links this private
# copy of libcriterion.so.3 (plus libnanomsg.so.5, which only it needs), taken
# with `apt-get download` and unpacked with `dpkg -x`.  Its other dependencies
# (libgit2-1.5, libffi8) are ordinary multiarch packages: install-deps.sh
# installs them.
#
# Afterwards DIR/usr/lib/TRIPLE holds the libraries: link with
# DIR/usr/lib/TRIPLE/libcriterion.so.3, run with LD_LIBRARY_PATH pointing there.
# Does nothing when they are already present.  TRIPLE defaults to
# aarch64-linux-gnu.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: cross-sysroot.sh DIR [TRIPLE]" >&2
	exit 2
fi
dir=$1
triple=${2:-aarch64-linux-gnu}
case $triple in
aarch64-*) arch=arm64 ;;
x86_64-*) arch=amd64 ;;
powerpc64le-*) arch=ppc64el ;;
*)
	arch=$(dpkg-architecture -t"$triple" -qDEB_HOST_ARCH 2>/dev/null) || {
		echo "cross-sysroot.sh: unknown Debian architecture for $triple" >&2
		exit 1
	}
	;;
esac
libdir=$dir/usr/lib/$triple

if [ -f "$libdir/libcriterion.so.3" ] && [ -f "$libdir/libnanomsg.so.5" ]; then
	echo "cross-sysroot.sh: $libdir already has the criterion runtime"
	exit 0
fi

for tool in apt-get dpkg; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "cross-sysroot.sh: needs $tool (Debian or Ubuntu)" >&2
		exit 1
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-sysroot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
# As root, apt hands the download to its unprivileged _apt user, which must be
# able to write here.
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
	chown _apt "$tmp"
fi

echo "cross-sysroot.sh: downloading libcriterion3:$arch libnanomsg5:$arch"
(cd "$tmp" && apt-get download -q "libcriterion3:$arch" "libnanomsg5:$arch")
mkdir -p "$dir"
for deb in "$tmp"/*.deb; do
	dpkg -x "$deb" "$dir"
done

if [ ! -f "$libdir/libcriterion.so.3" ]; then
	echo "cross-sysroot.sh: $libdir/libcriterion.so.3 missing after unpacking" >&2
	exit 1
fi
echo "cross-sysroot.sh: criterion runtime for $triple in $libdir"
