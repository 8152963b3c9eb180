#!/bin/sh
# make bench: softvisor against peers measured in the same run, on the same
# work. Prints, per benchmark, each runner's time and guest MIPS and the
# ratio softvisor/peer (< 1: softvisor is faster). Speed targets live here,
# never in unit tests.
#
# Environment (set by make): SOFTVISOR, SRCDIR, BUILDDIR, LINUX_CACHE. ITER
# overrides the iteration count.
set -u
SV=${SOFTVISOR:-./softvisor}
SRC=${SRCDIR:-.}
ITER=${ITER:-20000000}
W=$(mktemp -d "${TMPDIR:-/tmp}/sv-bench.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT INT TERM

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

# bench_ppc: the xorshift table walk (tests/bench/ppc_loop.S), 12 insns/iter.
bench_ppc() {
	as=powerpc64le-linux-gnu-as
	ld=powerpc64le-linux-gnu-ld
	if ! command -v $as >/dev/null || ! command -v bc >/dev/null; then
		echo "ppc-loop: skipped (needs $as and bc)"
		return
	fi
	$as -a64 -mlittle -mpower9 --defsym ITER="$ITER" -o "$W/g.o" "$SRC/tests/bench/ppc_loop.S" &&
		$ld -EL -z max-page-size=0x1000 -T "$SRC/tests/guests/ppc/guest.ld" -o "$W/g.elf" "$W/g.o" &&
		$as -a64 -mlittle -mpower9 --defsym ITER="$ITER" --defsym SV_USER=1 \
			-o "$W/u.o" "$SRC/tests/bench/ppc_loop.S" &&
		$ld -EL -static -Ttext=0x10000000 -o "$W/u.elf" "$W/u.o" || {
		echo "ppc-loop: could not build"
		return
	}
	insns=$((ITER * 12))
	t0=$(now)
	out_sv=$("$SV" run --memory=64M "$W/g.elf" </dev/null)
	t1=$(now)
	sv_s=$(elapsed "$t0" "$t1")
	printf 'ppc-loop  softvisor     %6.2f s  %7.1f MIPS  (%s guest insns)\n' "$sv_s" \
		"$(echo "$insns / $sv_s / 1000000" | bc -l)" "$insns"
	if command -v qemu-ppc64le >/dev/null; then
		t0=$(now)
		out_q=$(qemu-ppc64le -cpu power9 "$W/u.elf")
		t1=$(now)
		q_s=$(elapsed "$t0" "$t1")
		printf 'ppc-loop  qemu-ppc64le  %6.2f s  %7.1f MIPS  (user-mode TCG)\n' "$q_s" \
			"$(echo "$insns / $q_s / 1000000" | bc -l)"
		if [ "$out_sv" != "$out_q" ]; then
			echo "ppc-loop  RESULTS DIFFER: softvisor $out_sv, qemu $out_q"
		fi
		printf 'ppc-loop  ratio softvisor/qemu-ppc64le time: %.2f\n' "$(echo "$sv_s / $q_s" | bc -l)"
	fi
}

# bench_x86: the same walk on x86-64 (tests/bench/x86_loop.S), 16 insns/iter,
# against qemu-x86_64 (user-mode TCG) and the host CPU when it is x86-64.
bench_x86() {
	if [ "$(uname -m)" = x86_64 ]; then as=as; ld=ld; else
		as=x86_64-linux-gnu-as; ld=x86_64-linux-gnu-ld; fi
	if ! command -v $as >/dev/null || ! command -v bc >/dev/null; then
		echo "x86-loop: skipped (needs $as and bc)"
		return
	fi
	$as --64 -I "$SRC/tests/guests/x86" --defsym ITER="$ITER" -o "$W/xg.o" \
		"$SRC/tests/bench/x86_loop.S" &&
		$ld -m elf_x86_64 -T "$SRC/tests/guests/x86/guest.ld" -nostdlib -o "$W/xg.elf" "$W/xg.o" &&
		$as --64 --defsym ITER="$ITER" --defsym SV_USER=1 -o "$W/xu.o" \
			"$SRC/tests/bench/x86_loop.S" &&
		$ld -m elf_x86_64 -static -o "$W/xu.elf" "$W/xu.o" || {
		echo "x86-loop: could not build"
		return
	}
	insns=$((ITER * 16))
	t0=$(now)
	out_sv=$("$SV" run --memory=64M "$W/xg.elf" </dev/null)
	t1=$(now)
	sv_s=$(elapsed "$t0" "$t1")
	printf 'x86-loop  softvisor     %6.2f s  %7.1f MIPS  (%s guest insns)\n' "$sv_s" \
		"$(echo "$insns / $sv_s / 1000000" | bc -l)" "$insns"
	for peer in qemu-x86_64 native; do
		if [ $peer = native ]; then
			[ "$(uname -m)" = x86_64 ] || continue
			cmd="$W/xu.elf"
		else
			command -v qemu-x86_64 >/dev/null || continue
			cmd="qemu-x86_64 $W/xu.elf"
		fi
		t0=$(now)
		out_p=$($cmd)
		t1=$(now)
		p_s=$(elapsed "$t0" "$t1")
		printf 'x86-loop  %-12s  %6.2f s  %7.1f MIPS\n' "$peer" "$p_s" \
			"$(echo "$insns / $p_s / 1000000" | bc -l)"
		[ "$out_sv" = "$out_p" ] || echo "x86-loop  RESULTS DIFFER: softvisor $out_sv, $peer $out_p"
		printf 'x86-loop  ratio softvisor/%s time: %.2f\n' "$peer" "$(echo "$sv_s / $p_s" | bc -l)"
	done
}

# Seconds with 2 decimals, or "-".
secs() { case $1 in -) echo - ;; *) printf '%.2f' "$1" ;; esac; }

# One boot of a Linux kernel + the tests/linux initramfs with COMMAND...: prints
# "SECONDS-TO-INIT SECONDS-TO-EXIT ok|FAILED" (host seconds, polled every
# 20 ms; "-" if the init never started; FAILED: no checksum line).
linux_boot_times() {
	out=$W/boot.out
	: >"$out"
	rm -f "$W/exited"
	t0=$(now)
	("$@" >"$out" 2>&1 </dev/null; echo $? >"$W/exited") &
	t_init=-
	while [ ! -e "$W/exited" ]; do
		if [ "$t_init" = - ] && grep -q "softvisor-linux-test: init started" "$out"; then
			t_init=$(elapsed "$t0" "$(now)")
		fi
		sleep 0.02
	done
	t_end=$(elapsed "$t0" "$(now)")
	wait
	ok=ok
	grep -q "softvisor-linux-test: checksum" "$out" || ok=FAILED
	echo "$t_init $t_end $ok"
}

# bench_linux_ppc: Debian's ppc64le kernel (tests/linux/prepare.sh, cached in
# BUILDDIR/linux-cache) to its busybox init and power-off: softvisor
# (POWER9 radix and POWER8 hash) and, when installed, qemu-system-ppc64's
# pseries with VOF firmware under TCG on the same kernel and initramfs.
bench_linux_ppc() {
	cache=${LINUX_CACHE:-${BUILDDIR:-.}/linux-cache}
	k=$cache/kernel-ppc64le
	i=$cache/initrd-ppc64le.cpio.gz
	if ! command -v bc >/dev/null || ! sh "$SRC/tests/linux/prepare.sh" "$cache" ppc64le; then
		echo "linux-ppc64le: skipped (needs bc and the guest files)"
		return
	fi
	for cpu in power9 power8; do
		# shellcheck disable=SC2046 # the three words of the answer
		set -- $(linux_boot_times "$SV" run --cpu=$cpu --memory=1G --cmdline=console=hvc0 \
			--initrd="$i" "$k")
		printf 'linux-ppc64le  softvisor %-6s  init %6s s  power-off %s s  %s\n' $cpu \
			"$(secs "$1")" "$(secs "$2")" "$3"
		[ $cpu = power9 ] && sv_init=$1
	done
	if ! command -v qemu-system-ppc64 >/dev/null; then
		echo "linux-ppc64le  qemu-system-ppc64: not installed"
		return
	fi
	# shellcheck disable=SC2046
	set -- $(linux_boot_times qemu-system-ppc64 -M pseries,x-vof=on -accel tcg -cpu POWER9 \
		-m 1G -nographic -vga none -no-reboot -kernel "$k" -initrd "$i" -append console=hvc0)
	printf 'linux-ppc64le  qemu-system-ppc64 POWER9 (TCG, VOF)  init %6s s  power-off %s s  %s\n' \
		"$(secs "$1")" "$(secs "$2")" "$3"
	if [ "$1" != - ] && [ "$sv_init" != - ]; then
		printf 'linux-ppc64le  ratio softvisor/qemu time to init: %.2f\n' \
			"$(echo "$sv_init / $1" | bc -l)"
	fi
}

# report WHO SECONDS [NOTE]
report() {
	if [ "$2" = - ]; then
		echo "linux-x86 $1 no init marker seen"
	else
		printf 'linux-x86 %s %6.2f s to the init marker%s\n' "$1" "$2" "${3:-}"
	fi
}

# bench_linux_x86: seconds to the init marker of the Debian x86-64 kernel and
# initramfs of tests/linux (LINUX_CACHE, prepared by make check-linux):
# softvisor (Xen PVH, hvc0) and, when installed, qemu-system-x86_64 -accel
# tcg booting the same kernel's ELF payload through its PVH note (serial
# console).
bench_linux_x86() {
	cache=${LINUX_CACHE:-${BUILDDIR:-.}/linux-cache}
	k="$cache/kernel-x86_64"
	i="$cache/initrd-x86_64.cpio.gz"
	if [ ! -s "$k" ] || [ ! -s "$i" ] || ! command -v bc >/dev/null; then
		echo "linux-x86: skipped (no $k or $i: run make check-linux first; needs bc)"
		return
	fi
	# shellcheck disable=SC2046 # the three words of the answer
	set -- $(linux_boot_times "$SV" run --memory=512M --timeout=600 --cmdline="console=hvc0" \
		--initrd="$i" "$k")
	sv_s=$1
	report 'softvisor           ' "$sv_s"
	if ! command -v qemu-system-x86_64 >/dev/null || ! command -v lz4 >/dev/null; then
		echo "linux-x86 qemu-system-x86_64: skipped (needs qemu-system-x86_64 and lz4)"
		return
	fi
	# The bzImage's payload: the LZ4 legacy frame (magic 02 21 4c 18).
	off=$(grep -obUaP '\x02\x21\x4c\x18' "$k" | head -n 1 | cut -d: -f1)
	# lz4 may complain about the bytes after the frame; the output counts.
	[ -z "$off" ] || tail -c +$((off + 1)) "$k" | lz4 -dc >"$W/vmlinux" 2>/dev/null
	if [ ! -s "$W/vmlinux" ]; then
		echo "linux-x86 qemu-system-x86_64: skipped (could not extract the ELF payload)"
		return
	fi
	# shellcheck disable=SC2046
	set -- $(linux_boot_times timeout 600 qemu-system-x86_64 -accel tcg -m 512M -nographic \
		-no-reboot -kernel "$W/vmlinux" -initrd "$i" -append "console=ttyS0")
	q_s=$1
	report 'qemu-system-x86_64  ' "$q_s" ' (TCG, PVH boot)'
	if [ "$sv_s" != - ] && [ "$q_s" != - ]; then
		printf 'linux-x86 ratio softvisor/qemu time to init: %.2f\n' \
			"$(echo "$sv_s / $q_s" | bc -l)"
	fi
}

echo "softvisor benchmarks (ITER=$ITER; times include start-up)"
bench_x86
bench_ppc
bench_linux_x86
bench_linux_ppc
