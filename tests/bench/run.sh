#!/bin/sh
# make bench: softvisor against peers measured in the same run, on the same
# work. Prints, per benchmark, each runner's time and guest MIPS and the
# ratio softvisor/peer (< 1: softvisor is faster). Speed targets live here,
# never in unit tests.
#
# Environment (set by make): SOFTVISOR, SRCDIR, BUILDDIR. ITER overrides the
# iteration count.
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

echo "softvisor benchmarks (ITER=$ITER; times include start-up)"
bench_x86
bench_ppc
