#!/bin/sh
# console.sh SOFTVISOR CACHEDIR RESULTFILE ARCH: an interactive session with
# the real Linux guest of run.sh through a pseudo-terminal (the user's view
# of console input, frontend/input.c): boot with busybox's shell as init,
# type commands, check their output, power off from the shell. The session
# is recorded (--record) and then replayed without a terminal (--replay):
# the replay must print the same console output and match every digest.
# Appends a pass/fail line to RESULTFILE (skip if the guest files cannot be
# fetched or python3 is missing).
set -u
SV=$1
CACHE=$2
RES=$3
ARCH=$4
TIMEOUT=${SV_LINUX_TIMEOUT:-600}
HERE=$(cd "$(dirname "$0")" && pwd)
name="linux-$ARCH-console"
# One session per architecture: not again for its CPU variants (ARCH:OPTS).
case $ARCH in
*:*) exit 0 ;;
esac

if ! command -v python3 >/dev/null 2>&1; then
	echo "skip $name (no python3)" >>"$RES"
	exit 0
fi
if ! sh "$HERE/prepare.sh" "$CACHE" "$ARCH"; then
	echo "skip $name (the guest files could not be fetched)" >>"$RES"
	exit 0
fi
case $ARCH in
x86_64) mem=512M ;;
*) mem=1G ;;
esac
# On pseries the typed input arrives by the vty's interrupt (an edge XICS
# source, 4096, raised through VIRQ_CONSOLE): /proc/interrupts must count
# some. (x86's hvc0 has its event channel's interrupt anyway.)
irq_re='hvc_console'
case $ARCH in
ppc64le) irq_re=' [1-9][0-9]* +XICS +4096 +Edge +hvc_console' ;;
esac
out=$(mktemp)
rlog=$(mktemp)
rout=$(mktemp)
trap 'rm -f "$out" "$rlog" "$rout"' EXIT INT TERM
start=$(date +%s)
# The shell's prompt is "/ # "; busybox applets are called through busybox
# (rdinit=/bin/sh skips the init script that installs the links).
python3 "$HERE/../guests/pty_session.py" \
	--step "$TIMEOUT" '/ # ' 'echo typed-$((6 * 7))\r' \
	--step 60 'typed-42' 'busybox uname -a\r' \
	--step 60 'Linux \(none\) .*GNU/Linux' \
	'busybox mount -t proc proc /proc; busybox grep hvc /proc/interrupts\r' \
	--step 60 "$irq_re" 'busybox poweroff -f\r' \
	-- "$SV" run --memory=$mem --timeout="$TIMEOUT" --record="$rlog" \
	--cmdline="console=hvc0 rdinit=/bin/sh" \
	--initrd="$CACHE/initrd-$ARCH.cpio.gz" "$CACHE/kernel-$ARCH" >"$out" 2>&1
status=$?
end=$(date +%s)
tail -n 8 "$out"
echo "linux $ARCH console: exit status $status in $((end - start)) s"
if [ $status -eq 0 ] && grep -q '^typed-42' "$out" && grep -q '^Linux (none) ' "$out" &&
	grep -Eq "$irq_re" "$out"; then
	echo "pass $name" >>"$RES"
else
	echo "fail $name (exit status $status)" >>"$RES"
fi

start=$(date +%s)
"$SV" run --memory=$mem --timeout="$TIMEOUT" --replay="$rlog" \
	--cmdline="console=hvc0 rdinit=/bin/sh" \
	--initrd="$CACHE/initrd-$ARCH.cpio.gz" "$CACHE/kernel-$ARCH" </dev/null >"$rout" 2>&1
rstatus=$?
end=$(date +%s)
echo "linux $ARCH console replay: exit status $rstatus in $((end - start)) s," \
	"log $(wc -c <"$rlog") bytes"
# The terminal turned the guest's \n into \r\n: compare without CRs.
tr -d '\r' <"$out" >"$out.nocr"
tr -d '\r' <"$rout" >"$rout.nocr"
if [ $status -eq 0 ] && [ $rstatus -eq 0 ] && cmp -s "$out.nocr" "$rout.nocr"; then
	echo "pass $name-replay" >>"$RES"
else
	tail -n 3 "$rout"
	echo "fail $name-replay (exit status $rstatus)" >>"$RES"
fi
rm -f "$out.nocr" "$rout.nocr"
