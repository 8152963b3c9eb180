#!/bin/sh
# prepare.sh CACHEDIR ARCH: fetch the real guests of the Linux boot tests
# from Debian's archive and build their initramfs. Nothing here is committed:
# the files land in CACHEDIR (reused on later runs).
#
#   ARCH x86_64:  CACHEDIR/kernel-x86_64   Debian 12's cloud kernel (bzImage,
#                                          LZ4, Xen PVH)
#   ARCH ppc64le: CACHEDIR/kernel-ppc64le  Debian 12's powerpc64le vmlinux
#                                          (pseries)
#   CACHEDIR/initrd-ARCH.cpio.gz           busybox-static of that architecture
#                                          and tests/linux/init
#
# The init script prints known lines, computes a checksum of a file it
# writes, and powers the guest off: the boot test compares its output.
# Foreign-architecture packages need that architecture in dpkg while they
# are looked up and downloaded (as root); it is removed again afterwards if
# it was not there before.
set -eu
CACHE=${1:?usage: prepare.sh CACHEDIR x86_64|ppc64le}
ARCH=${2:?usage: prepare.sh CACHEDIR x86_64|ppc64le}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

case $ARCH in
x86_64)
	deb_arch=amd64
	kernel_re='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$'
	;;
ppc64le)
	deb_arch=ppc64el
	kernel_re='^linux-image-6\.1\.0-[0-9]+-powerpc64le$'
	;;
*)
	echo "prepare.sh: unknown architecture $ARCH" >&2
	exit 2
	;;
esac
kernel="$CACHE/kernel-$ARCH"
initrd="$CACHE/initrd-$ARCH.cpio.gz"
# The PV disk's frontend is a module of the x86_64 kernel: it goes in the
# initramfs (/lib/modules), which init loads when a disk is present.
module=
if [ "$ARCH" = x86_64 ]; then
	module="$CACHE/xen-blkfront-$ARCH.ko"
fi
if [ -s "$kernel" ] && [ -s "$initrd" ] && [ ! "$HERE/init" -nt "$initrd" ] &&
	{ [ -z "$module" ] || [ -s "$module" ]; }; then
	exit 0
fi

added_arch=no
native=$(dpkg --print-architecture)
if [ "$deb_arch" != "$native" ] && ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
	dpkg --add-architecture "$deb_arch" && added_arch=yes
	apt-get update -q >/dev/null 2>&1 || true
fi
work=$(mktemp -d)
cleanup() {
	rm -rf "$work"
	if [ "$added_arch" = yes ]; then
		dpkg --remove-architecture "$deb_arch" 2>/dev/null || true
		apt-get update -q >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT INT TERM

if [ ! -s "$kernel" ] || { [ -n "$module" ] && [ ! -s "$module" ]; }; then
	if [ -s "$kernel" ] && [ -s "$kernel.package" ]; then
		pkg=$(cat "$kernel.package") # the module must match the cached kernel
	else
		pkg=$(apt-cache search --names-only "$kernel_re" | awk '{print $1}' | sort -V | tail -n 1)
	fi
	[ -n "$pkg" ] || { echo "prepare.sh: no $kernel_re package (apt-get update?)" >&2; exit 1; }
	(cd "$work" && apt-get download "$pkg:$deb_arch" >/dev/null 2>&1) ||
		{ echo "prepare.sh: apt-get download $pkg:$deb_arch failed" >&2; exit 1; }
	dpkg -x "$work"/linux-image*.deb "$work/k"
	if [ "$ARCH" = x86_64 ]; then
		cp "$work"/k/boot/vmlinuz-* "$kernel"
	else
		cp "$work"/k/boot/vmlinux-* "$kernel"
	fi
	if [ -n "$module" ]; then
		find "$work/k/lib/modules" -name xen-blkfront.ko -exec cp {} "$module" \;
		[ -s "$module" ] || { echo "prepare.sh: no xen-blkfront.ko in $pkg" >&2; exit 1; }
	fi
	echo "$pkg" >"$kernel.package"
fi

(cd "$work" && apt-get download "busybox-static:$deb_arch" >/dev/null 2>&1) ||
	{ echo "prepare.sh: apt-get download busybox-static:$deb_arch failed" >&2; exit 1; }
dpkg -x "$work"/busybox-static*.deb "$work/bb"
root="$work/root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp"
cp "$work/bb/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$HERE/init" "$root/init"
if [ -n "$module" ]; then
	mkdir -p "$root/lib/modules"
	cp "$module" "$root/lib/modules/xen-blkfront.ko"
fi
chmod 755 "$root/init"
(cd "$root" && find . | sort | cpio -o -H newc --quiet | gzip -9 >"$initrd")
echo "prepare.sh: $ARCH guest ready in $CACHE"
