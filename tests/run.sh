#!/bin/sh
# tests/run.sh - the whole suite: every unit-test binary, then every golden
# test.  Ends with "N passed, N failed, N skipped" and exits non-zero on
# any failure.
#
# A golden test is a directory tests/golden/CMD/NAME/ holding:
#   cmd     the shell line to run (the commands under test are on PATH)
#   stdin   optional: fed to the command
#   stdout, stderr, status   what must come out (status: the exit code;
#           a missing stdout/stderr file means "must be empty")
#   any fixtures the command reads
# The test runs in a scratch copy of its directory, with TZ=Asia/Shanghai
# and LC_ALL=C.UTF-8, so it never depends on the machine or the clock.
#
# A test that cannot run here (a tool it needs is missing) exits 77, as
# automake's tests do, with the reason as the last line of its stderr:
# it is counted as skipped, never as passed, and its outputs are not
# compared.  A golden test whose status file says 77 is compared as
# usual.  A unit-test binary may exit 77 likewise.
#
# Tests run JOBS at a time (default: the number of processors), each in
# its own scratch directory; what each reports is printed when all are
# done, in the order of a one-at-a-time run, so the output is the same
# whatever JOBS is.
#
# VALGRIND=1 runs the tests under valgrind's memcheck: every unit test,
# every golden test in faults/ and bad/ (the ones that exercise failing
# allocations, killed runs and broken input) and a fixed one in
# VALGRIND_SAMPLE (default 4) of the others, chosen by the checksum of
# the test's name, so the same ones each time; VALGRIND_SAMPLE=1 runs
# them all.
#
# Usage: tests/run.sh [PATTERN]   (run only golden tests whose path
# contains PATTERN; unit tests are left out when a pattern is given)

BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)

TZ=Asia/Shanghai LC_ALL=C.UTF-8
export TZ LC_ALL
unset ONEDOOR_FAIL_ALLOC ONEDOOR_TEST_KILL_AFTER

# run_unit T OUT: one unit-test binary; its verdict in OUT.res
run_unit() {
	(cd "$top" && $vg "$1"); rc=$?
	if [ $rc = 0 ]; then echo pass >"$2.res"
	elif [ $rc = 77 ]; then echo "SKIP unit $(basename "$1")"; echo skip >"$2.res"
	else echo "FAIL unit $(basename "$1")"; echo fail >"$2.res"; fi
}

# run_golden NAME OUT: one golden test; its verdict in OUT.res
run_golden() {
	name=$1 dir="$top/tests/golden/$1"
	work="$scratch/$(echo "$name" | tr / _)"
	rm -rf "$work"; cp -R "$dir" "$work"
	rm -f "$work/stdout" "$work/stderr" "$work/status"
	(
		cd "$work" || exit 1
		in=/dev/null; [ -f stdin ] && in=stdin
		PATH="$bin:$top/tests/bin:$PATH" TOP="$top" sh ./cmd <"$in" >.out 2>.err
		echo $? >.status
	)
	if [ "$(cat "$work/.status")" = 77 ] && ! grep -qx 77 "$dir/status" 2>/dev/null; then
		echo "SKIP $name: $(tail -n 1 "$work/.err")"
		echo skip >"$2.res"
		return
	fi
	ok=1
	for f in stdout stderr status; do
		got=".out"; [ $f = stderr ] && got=".err"; [ $f = status ] && got=".status"
		want="$dir/$f"
		if [ ! -f "$want" ]; then
			if [ $f = status ]; then want_tmp="$work/.want0"; echo 0 >"$want_tmp"; want=$want_tmp
			else want=/dev/null; fi
		fi
		if ! cmp -s "$want" "$work/$got"; then
			[ $ok = 1 ] && echo "FAIL $name"
			ok=0
			diff -u "$want" "$work/$got" | sed 's/^/    /' | head -40
		fi
	done
	if [ $ok = 1 ]; then echo pass >"$2.res"; else echo fail >"$2.res"; fi
	rm -rf "$work"
}

# One test, as xargs calls it: tests/run.sh --one INDEX KIND PATH, with
# the scratch directory, the commands' directory and valgrind exported.
if [ "${1:-}" = --one ]; then
	out="$scratch/r/$2"
	case $3 in
	unit) run_unit "$4" "$out" >"$out.log" 2>&1 ;;
	*) run_golden "$4" "$out" >"$out.log" 2>&1 ;;
	esac
	exit 0
fi

pattern=${1:-}
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/onedoor-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir "$scratch/r"
bin="$top/$BUILD/bin"

vg=
sample=1
if [ -n "${VALGRIND:-}" ]; then
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
	sample=${VALGRIND_SAMPLE:-4}
	echo "valgrind: unit tests, golden faults/ and bad/, and 1 in $sample of the other golden tests"
fi

# Valgrind wraps each onedoor command through a shim directory on PATH.
if [ -n "$vg" ]; then
	shim="$scratch/.shim"; mkdir -p "$shim"
	for c in "$bin"/*; do
		n=$(basename "$c")
		# the bare name, found on PATH, keeps argv[0] as users see it
		printf '#!/bin/sh\nPATH=%s:$PATH exec %s %s "$@"\n' "$(dirname "$c")" "$vg" "$n" >"$shim/$n"
		chmod +x "$shim/$n"
	done
	bin="$shim"
fi

# The list of tests, numbered in the order their reports are printed.
i=10000
{
	if [ -z "$pattern" ]; then
		for t in "$top/$BUILD"/tests/test_*; do
			[ -x "$t" ] || continue
			i=$((i + 1)); echo "$i unit $t"
		done
	fi
	for dir in "$top"/tests/golden/*/*/; do
		[ -f "$dir/cmd" ] || continue
		name=${dir#"$top"/tests/golden/}; name=${name%/}
		case "$name" in *"$pattern"*) ;; *) continue ;; esac
		case "$name" in
		faults/* | bad/*) ;;
		*) [ $(($(printf %s "$name" | cksum | cut -d' ' -f1) % sample)) = 0 ] || continue ;;
		esac
		i=$((i + 1)); echo "$i golden $name"
	done
} >"$scratch/list"

export scratch bin vg top BUILD
xargs -P "$jobs" -L 1 sh "$0" --one <"$scratch/list"

pass=0 fail=0 skip=0
while read -r i kind name; do
	out="$scratch/r/$i"
	[ -f "$out.log" ] && cat "$out.log"
	case $(cat "$out.res" 2>/dev/null) in
	pass) pass=$((pass + 1)) ;;
	skip) skip=$((skip + 1)) ;;
	fail) fail=$((fail + 1)) ;;
	*) echo "FAIL $kind ${name#"$top"/}: no verdict"; fail=$((fail + 1)) ;;
	esac
done <"$scratch/list"

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
