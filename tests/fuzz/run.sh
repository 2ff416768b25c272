#!/bin/sh
# tests/fuzz/run.sh [SECONDS] - build every libFuzzer target
# tests/fuzz/fuzz_*.c with clang (-fsanitize=fuzzer,address,undefined)
# against all of lib/, and run each for SECONDS (default 60) on a copy of
# its seed corpus tests/fuzz/corpus/NAME/.  The input reader is built
# with a 4 KiB read size (IN_CHUNK) so that records cross its refills,
# and case-add's duplicate checks write their log out every 4 entries
# (DUPINDEX_BUF) so that they read it back.
# Any crash, leak, hang or sanitizer report fails the run; the input that
# caused it is left in build-fuzz/ to become a regression test.
set -eu
secs=${1:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/build-fuzz"
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DONEDOOR_VERSION=\"fuzz\"
 -DONEDOOR_DATADIR=\"$top/data\" -DIN_CHUNK=4096 -DDUPINDEX_BUF=4
 -I$top/include"
status=0
for src in "$top"/tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	short=${name#fuzz_}
	echo "== $name: building"
	# shellcheck disable=SC2086
	clang $flags -o "$out/$name" "$src" "$top"/lib/*.c -lcsv -ljansson -lz -lm
	corpus="$out/corpus-$short"
	rm -rf "$corpus"; mkdir -p "$corpus"
	if [ -d "$top/tests/fuzz/corpus/$short" ]; then
		cp -R "$top/tests/fuzz/corpus/$short"/. "$corpus"/
	fi
	echo "== $name: ${secs}s"
	if ! (cd "$out" && ./"$name" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=0 "$corpus" >"$out/$name.log" 2>&1); then
		echo "FAIL $name (see $out/$name.log)"; tail -30 "$out/$name.log"
		status=1
	else
		grep -E '^#[0-9]+.*DONE' "$out/$name.log" | tail -1 || true
	fi
done
exit $status
