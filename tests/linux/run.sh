#!/bin/sh
# run.sh SOFTVISOR CACHEDIR RESULTFILE ARCH[:OPTION,...]: boot the real Debian
# kernel of ARCH (see prepare.sh) to its busybox init, which prints known
# lines and powers off: x86_64 as a Xen PVH guest, ppc64le as a pseries
# partition. The OPTIONs after the colon are extra `softvisor run` options
# (e.g. ppc64le:--cpu=power8 or x86_64:--vcpus=2); with --vcpus=N the init
# must also count N processors online and (x86_64) Linux must find the TSCs
# synchronised (no "TSC warp"). A plain ARCH also boots once without
# the initramfs: that must end in the kernel's panic (no root file system),
# reported as a crash (x86_64: SCHEDOP_shutdown, ppc64le: RTAS ibm,os-term),
# exit status 2, not a hang. Appends a pass/fail line per boot to
# RESULTFILE (skip if the guest files cannot be fetched); prints the guest's
# console and softvisor's statistics.
set -u
SV=$1
CACHE=$2
RES=$3
ARCH=${4%%:*}
OPTS=
[ "$4" = "$ARCH" ] || OPTS=$(echo "${4#*:}" | tr ',' ' ')
TIMEOUT=${SV_LINUX_TIMEOUT:-600}
# md5 of `seq 1 10000`, computed by the guest's busybox.
SUM=72d4ff27a28afbc066d5804999d5a504
name="linux-$ARCH-boot"
[ -z "$OPTS" ] || name="$name($(echo "$OPTS" | sed 's/--//g; s/ /,/g'))"
CPUS=$(echo " $OPTS " | sed -n 's/.* --vcpus=\([0-9]*\) .*/\1/p')

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
snap=$(mktemp)
trap 'rm -f "$out" "$err" "$snap" "$snap.out" "$snap.err"' EXIT INT TERM
# The plain boot also saves a snapshot half-way (frontend/snapshot.c),
# restored below.
SNAP_AT=500000000
SNAP_OPTS=
[ -n "$OPTS" ] || SNAP_OPTS="--snapshot-at=$SNAP_AT --snapshot-file=$snap"
start=$(date +%s)
# shellcheck disable=SC2086 # OPTS are separate words
"$SV" run --memory=$mem --timeout="$TIMEOUT" --stats --cmdline="console=hvc0" $OPTS $SNAP_OPTS \
	--initrd="$CACHE/initrd-$ARCH.cpio.gz" "$CACHE/kernel-$ARCH" </dev/null >"$out" 2>"$err"
status=$?
end=$(date +%s)
tail -n 12 "$out"
tail -n 25 "$err"
echo "linux $ARCH boot${OPTS:+ ($OPTS)}: exit status $status in $((end - start)) s"
cpus_ok=yes
if [ -n "$CPUS" ] && ! grep -Eq "softvisor-linux-test: cpus online $CPUS([^0-9]|\$)" "$out"; then
	cpus_ok=no
fi
# The guest's TSC must look like one clock from every vcpu: Linux's
# synchronisation check (check_tsc_sync_source) must find no warp.
if [ -n "$CPUS" ] && grep -Eq "TSC warp|Marking TSC unstable|TSC synchronization \[" "$out"; then
	grep -E "TSC warp|Marking TSC unstable|TSC synchronization \[" "$out"
	cpus_ok=no
fi
if [ $status -eq 0 ] && [ $cpus_ok = yes ] &&
	grep -q "softvisor-linux-test: checksum $SUM" "$out"; then
	echo "pass $name" >>"$RES"
else
	echo "fail $name (exit status $status${CPUS:+, want $CPUS cpus online and no TSC warp})" >>"$RES"
fi

if [ -z "$OPTS" ]; then
	# Restored from the half-way snapshot: the rest of the console output
	# and the same final state digest as the whole boot.
	start=$(date +%s)
	"$SV" run --memory=$mem --timeout="$TIMEOUT" --stats --cmdline="console=hvc0" \
		--restore="$snap" --initrd="$CACHE/initrd-$ARCH.cpio.gz" "$CACHE/kernel-$ARCH" \
		</dev/null >"$snap.out" 2>"$snap.err"
	rstatus=$?
	end=$(date +%s)
	want=$(grep -o 'state digest: [0-9a-f]*' "$err")
	got=$(grep -o 'state digest: [0-9a-f]*' "$snap.err")
	n=$(wc -c <"$snap.out")
	echo "linux $ARCH boot restored from a snapshot at $SNAP_AT instructions" \
		"($(wc -c <"$snap") bytes): exit status $rstatus in $((end - start)) s, $want / $got"
	if [ $status -eq 0 ] && [ $rstatus -eq 0 ] && [ -n "$want" ] && [ "$want" = "$got" ] &&
		[ "$n" -gt 0 ] && [ "$n" -lt "$(wc -c <"$out")" ] &&
		tail -c "$n" "$out" | cmp -s - "$snap.out" &&
		grep -q "softvisor-linux-test: checksum $SUM" "$snap.out"; then
		echo "pass linux-$ARCH-restore" >>"$RES"
	else
		tail -n 5 "$snap.err"
		echo "fail linux-$ARCH-restore (exit status $rstatus)" >>"$RES"
	fi

	start=$(date +%s)
	"$SV" run --memory=$mem --timeout="$TIMEOUT" --stats --cmdline="console=hvc0" \
		"$CACHE/kernel-$ARCH" >"$out" 2>"$err"
	status=$?
	end=$(date +%s)
	tail -n 5 "$out"
	tail -n 3 "$err"
	echo "linux $ARCH boot without its initramfs: exit status $status in $((end - start)) s"
	if [ $status -eq 2 ] && grep -q "Kernel panic - not syncing: VFS: Unable to mount root fs" "$out" &&
		grep -q "crash" "$err"; then
		echo "pass linux-$ARCH-panic" >>"$RES"
	else
		echo "fail linux-$ARCH-panic (exit status $status)" >>"$RES"
	fi
fi
