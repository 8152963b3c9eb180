#!/bin/sh
# run.sh SOFTVISOR CACHEDIR RESULTFILE: boot the real Debian kernel (see
# prepare.sh) as a Xen PVH guest to its busybox init, which prints known
# lines and powers off. Appends pass/fail lines to RESULTFILE; prints the
# guest's console and softvisor's statistics (instructions, exits) to stdout.
set -u
SV=$1
CACHE=$2
RES=$3
TIMEOUT=${SV_LINUX_TIMEOUT:-600}
# md5 of `seq 1 10000`, computed by the guest's busybox.
SUM=72d4ff27a28afbc066d5804999d5a504

if ! sh "$(dirname "$0")/prepare.sh" "$CACHE"; then
	echo "skip linux-x86_64-boot (guest files could not be fetched)" >>"$RES"
	exit 0
fi
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT INT TERM
start=$(date +%s)
"$SV" run --memory=512M --timeout="$TIMEOUT" --stats --cmdline="console=hvc0" \
	--initrd="$CACHE/initrd-x86_64.cpio.gz" "$CACHE/vmlinuz-x86_64" >"$out" 2>"$err"
status=$?
end=$(date +%s)
cat "$out"
tail -n 30 "$err"
echo "linux boot: exit status $status in $((end - start)) s"
if [ $status -eq 0 ] && grep -q "softvisor-linux-test: checksum $SUM" "$out"; then
	echo "pass linux-x86_64-boot" >>"$RES"
else
	echo "fail linux-x86_64-boot" >>"$RES"
fi
