#!/bin/sh
# run.sh SOFTVISOR CACHEDIR RESULTFILE ARCH: boot the real Debian kernel of
# ARCH (see prepare.sh) to its busybox init, which prints known lines and
# powers off: x86_64 as a Xen PVH guest, ppc64le as a pseries partition.
# Appends a pass/fail line to RESULTFILE (skip if the guest files cannot be
# fetched); prints the guest's console and softvisor's statistics.
set -u
SV=$1
CACHE=$2
RES=$3
ARCH=$4
TIMEOUT=${SV_LINUX_TIMEOUT:-600}
# md5 of `seq 1 10000`, computed by the guest's busybox.
SUM=72d4ff27a28afbc066d5804999d5a504
name="linux-$ARCH-boot"

if ! sh "$(dirname "$0")/prepare.sh" "$CACHE" "$ARCH"; then
	echo "skip $name (the guest files could not be fetched)" >>"$RES"
	exit 0
fi
case $ARCH in
x86_64) mem=512M ;;
*) mem=1G ;;
esac
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT INT TERM
start=$(date +%s)
"$SV" run --memory=$mem --timeout="$TIMEOUT" --stats --cmdline="console=hvc0" \
	--initrd="$CACHE/initrd-$ARCH.cpio.gz" "$CACHE/kernel-$ARCH" >"$out" 2>"$err"
status=$?
end=$(date +%s)
tail -n 12 "$out"
tail -n 25 "$err"
echo "linux $ARCH boot: exit status $status in $((end - start)) s"
if [ $status -eq 0 ] && grep -q "softvisor-linux-test: checksum $SUM" "$out"; then
	echo "pass $name" >>"$RES"
else
	echo "fail $name (exit status $status)" >>"$RES"
fi
