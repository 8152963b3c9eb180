#!/bin/sh
# disk.sh SOFTVISOR CACHEDIR RESULTFILE: boot the x86_64 Debian kernel (see
# prepare.sh) with two PV disks. xvda is an ext4 image the init writes a
# file to (seq 1 5000), syncs and unmounts; xvdb is a read-only ext4 image it
# mounts read-only and reads, and fails to write. The host then reads the
# file from the image with debugfs. Appends a pass/fail/skip line
# (linux-x86_64-disk) to RESULTFILE.
# A second boot (linux-x86_64-disk-crash) uses a 4-page ring and crashes the
# guest right after its sync, xvda still mounted: softvisor must exit with
# status 2, and after e2fsck replays the journal the file must be there.
set -u
SV=$1
CACHE=$2
RES=$3
ARCH=x86_64
TIMEOUT=${SV_LINUX_TIMEOUT:-600}
name="linux-$ARCH-disk"

PATH=$PATH:/sbin:/usr/sbin
if ! command -v mkfs.ext4 >/dev/null 2>&1 || ! command -v debugfs >/dev/null 2>&1; then
	echo "skip $name (no mkfs.ext4/debugfs: install e2fsprogs)" >>"$RES"
	exit 0
fi
if ! sh "$(dirname "$0")/prepare.sh" "$CACHE" "$ARCH"; then
	echo "skip $name (the guest files could not be fetched)" >>"$RES"
	exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
mkdir "$dir/ro"
echo "softvisor-readonly-ok" >"$dir/ro/ro.txt"
if ! mkfs.ext4 -q -F "$dir/rw.img" 8M || ! mkfs.ext4 -q -F -d "$dir/ro" "$dir/ro.img" 8M; then
	echo "fail $name (mkfs.ext4)" >>"$RES"
	exit 0
fi
ro_sum=$(md5sum <"$dir/ro.img")
# md5 of `seq 1 5000`, the file the guest writes.
WSUM=$(seq 1 5000 | md5sum | cut -d' ' -f1)
start=$(date +%s)
"$SV" run --memory=512M --timeout="$TIMEOUT" --stats --cmdline="console=hvc0" \
	--initrd="$CACHE/initrd-$ARCH.cpio.gz" --disk="$dir/rw.img" --disk="$dir/ro.img,ro" \
	"$CACHE/kernel-$ARCH" >"$dir/out" 2>"$dir/err"
status=$?
end=$(date +%s)
grep -E "softvisor-linux-test|blkfront|EXT4" "$dir/out"
tail -n 3 "$dir/err"
host_sum=$(debugfs -R 'cat /hello.txt' "$dir/rw.img" 2>/dev/null | md5sum | cut -d' ' -f1)
echo "linux $ARCH disk: exit status $status in $((end - start)) s; the host reads $host_sum"
if [ $status -eq 0 ] && [ "$host_sum" = "$WSUM" ] &&
	grep -q "softvisor-linux-test: xvda wrote $WSUM" "$dir/out" &&
	grep -q "softvisor-linux-test: xvdb read softvisor-readonly-ok ro=1" "$dir/out" &&
	grep -q "softvisor-linux-test: xvdb write refused" "$dir/out" &&
	grep -q "softvisor-linux-test: xvdb raw write refused" "$dir/out" &&
	! grep -q "op failed" "$dir/out" &&
	[ "$(md5sum <"$dir/ro.img")" = "$ro_sum" ]; then
	echo "pass $name" >>"$RES"
else
	echo "fail $name (exit status $status)" >>"$RES"
fi

name="linux-$ARCH-disk-crash"
if ! command -v e2fsck >/dev/null 2>&1; then
	echo "skip $name (no e2fsck: install e2fsprogs)" >>"$RES"
	exit 0
fi
if ! mkfs.ext4 -q -F "$dir/crash.img" 8M; then
	echo "fail $name (mkfs.ext4)" >>"$RES"
	exit 0
fi
start=$(date +%s)
"$SV" run --memory=512M --timeout="$TIMEOUT" --cmdline="console=hvc0 softvisor.disk=crash" \
	--trace=evtchn --trace-file="$dir/trace" --initrd="$CACHE/initrd-$ARCH.cpio.gz" \
	--disk="$dir/crash.img" "$CACHE/kernel-$ARCH" >"$dir/out" 2>"$dir/err"
status=$?
end=$(date +%s)
grep -E "softvisor-linux-test|Kernel panic" "$dir/out"
tail -n 3 "$dir/err"
grep "BLK xvda: connected" "$dir/trace"
e2fsck -fy "$dir/crash.img" >/dev/null 2>&1
fsck=$?
host_sum=$(debugfs -R 'cat /hello.txt' "$dir/crash.img" 2>/dev/null | md5sum | cut -d' ' -f1)
echo "linux $ARCH disk crash: exit status $status in $((end - start)) s; e2fsck $fsck;" \
	"the host reads $host_sum"
if [ $status -eq 2 ] && [ $fsck -le 1 ] && [ "$host_sum" = "$WSUM" ] &&
	grep -q "softvisor-linux-test: crashing with xvda mounted" "$dir/out" &&
	grep -q "BLK xvda: connected: 4 ring page(s)" "$dir/trace"; then
	echo "pass $name" >>"$RES"
else
	echo "fail $name (exit status $status, e2fsck $fsck)" >>"$RES"
fi
