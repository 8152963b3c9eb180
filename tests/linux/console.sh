#!/bin/sh
# console.sh SOFTVISOR CACHEDIR RESULTFILE ARCH: an interactive session with
# the real Linux guest of run.sh through a pseudo-terminal (the user's view
# of console input, frontend/input.c): boot with busybox's shell as init,
# type commands, check their output, power off from the shell.
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
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
start=$(date +%s)
# The shell's prompt is "/ # "; busybox applets are called through busybox
# (rdinit=/bin/sh skips the init script that installs the links).
python3 "$HERE/../guests/pty_session.py" \
	--step "$TIMEOUT" '/ # ' 'echo typed-$((6 * 7))\r' \
	--step 60 'typed-42' 'busybox uname -a\r' \
	--step 60 'Linux \(none\) .*GNU/Linux' 'busybox poweroff -f\r' \
	-- "$SV" run --memory=$mem --timeout="$TIMEOUT" \
	--cmdline="console=hvc0 rdinit=/bin/sh" \
	--initrd="$CACHE/initrd-$ARCH.cpio.gz" "$CACHE/kernel-$ARCH" >"$out" 2>&1
status=$?
end=$(date +%s)
tail -n 8 "$out"
echo "linux $ARCH console: exit status $status in $((end - start)) s"
if [ $status -eq 0 ] && grep -q '^typed-42' "$out" && grep -q '^Linux (none) ' "$out"; then
	echo "pass $name" >>"$RES"
else
	echo "fail $name (exit status $status)" >>"$RES"
fi
