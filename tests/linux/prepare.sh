#!/bin/sh
# prepare.sh CACHEDIR: fetch the real guests of the Linux boot tests from
# Debian's archive and build their initramfs. Nothing here is committed: the
# files land in CACHEDIR (reused on later runs).
#
#   CACHEDIR/vmlinuz-x86_64      Debian 12's cloud kernel (bzImage, LZ4, Xen PVH)
#   CACHEDIR/initrd-x86_64.cpio.gz  busybox-static and tests/linux/init
#
# The init script prints known lines, computes a checksum of a file it
# writes, and powers the guest off: the boot test compares its output.
set -eu
CACHE=${1:?usage: prepare.sh CACHEDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

if [ ! -s "$CACHE/vmlinuz-x86_64" ]; then
	pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' |
		awk '{print $1}' | sort -V | tail -n 1)
	[ -n "$pkg" ] || { echo "prepare.sh: no linux-image-6.1.0-*-cloud-amd64 package (apt-get update?)" >&2; exit 1; }
	work=$(mktemp -d)
	(cd "$work" && apt-get download "$pkg" >/dev/null 2>&1) ||
		{ echo "prepare.sh: apt-get download $pkg failed" >&2; exit 1; }
	dpkg -x "$work"/*.deb "$work/x"
	cp "$work"/x/boot/vmlinuz-* "$CACHE/vmlinuz-x86_64"
	echo "$pkg" >"$CACHE/vmlinuz-x86_64.package"
	rm -rf "$work"
fi

if [ ! -s "$CACHE/initrd-x86_64.cpio.gz" ] || [ "$HERE/init" -nt "$CACHE/initrd-x86_64.cpio.gz" ]; then
	work=$(mktemp -d)
	(cd "$work" && apt-get download busybox-static:amd64 >/dev/null 2>&1) ||
		{ echo "prepare.sh: apt-get download busybox-static failed" >&2; exit 1; }
	dpkg -x "$work"/busybox-static*.deb "$work/x"
	root="$work/root"
	mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp"
	cp "$work/x/bin/busybox" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$HERE/init" "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | sort | cpio -o -H newc --quiet | gzip -9 >"$CACHE/initrd-x86_64.cpio.gz")
	rm -rf "$work"
fi
echo "prepare.sh: guests ready in $CACHE"
