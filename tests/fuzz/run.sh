#!/bin/sh
# tests/fuzz/run.sh [SECONDS [NAME...]] - build every libFuzzer target
# tests/fuzz/fuzz_*.c (or those NAMEd, e.g. fuzz_csvrow) with clang (-fsanitize=fuzzer,address,undefined)
# against lib/, and run each for SECONDS (default 60) on a copy of its
# seed corpus tests/fuzz/corpus/NAME/, JOBS at a time (default: the
# number of processors).  The input reader is built with a 4 KiB read
# size (IN_CHUNK) so that records cross its refills, and case-add's
# duplicate checks write their log out every 4 entries (DUPINDEX_BUF) so
# that they read it back.
# lib/ is built once, by make, into build-fuzz/libonedoor.a (instrumented
# for coverage and the sanitizers, rebuilt only where a file changed),
# and each target is linked against it.
# Any crash, leak, hang or sanitizer report fails the run; the input that
# caused it is left in build-fuzz/ to become a regression test.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/build-fuzz"

# One target, as xargs calls it: run.sh --one NAME SECONDS
if [ "${1:-}" = --one ]; then
	name=$2 secs=$3 short=${2#fuzz_}
	corpus="$out/corpus-$short"
	rm -rf "$corpus"; mkdir -p "$corpus"
	if [ -d "$top/tests/fuzz/corpus/$short" ]; then
		cp -R "$top/tests/fuzz/corpus/$short"/. "$corpus"/
	fi
	if (cd "$out" && ./"$name" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=0 "$corpus" >"$out/$name.log" 2>&1); then
		echo ok >"$out/$name.res"
	else
		echo fail >"$out/$name.res"
	fi
	exit 0
fi

secs=${1:-60}
[ $# -gt 0 ] && shift
only=" $* "
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
mkdir -p "$out"

echo "== lib: building"
${MAKE:-make} -s -C "$top" -j"$jobs" CC=clang BUILD=build-fuzz DATADIR="$top/data" \
	CFLAGS="-g -O1 -fsanitize=fuzzer-no-link $san" \
	CPPFLAGS="-DIN_CHUNK=4096 -DDUPINDEX_BUF=4" build-fuzz/libonedoor.a

names=
for src in "$top"/tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	[ $# = 0 ] || case $only in *" $name "*) ;; *) continue ;; esac
	echo "== $name: building"
	# shellcheck disable=SC2086
	clang -g -O1 -fsanitize=fuzzer $san -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
		-I"$top/include" -o "$out/$name" "$src" "$out/libonedoor.a" \
		-lcsv -ljansson -lz -lm
	names="$names $name"
	rm -f "$out/$name.res"
done

echo "== ${secs}s each, $jobs at a time"
for name in $names; do echo "$name $secs"; done |
	xargs -P "$jobs" -L 1 sh "$0" --one

status=0
for name in $names; do
	if [ "$(cat "$out/$name.res" 2>/dev/null)" = ok ]; then
		echo "== $name: $(grep -E '^#[0-9]+.*DONE' "$out/$name.log" | tail -1 || true)"
	else
		echo "FAIL $name (see $out/$name.log)"; tail -30 "$out/$name.log"
		status=1
	fi
done
exit $status
