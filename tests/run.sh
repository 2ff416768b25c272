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
# Usage: tests/run.sh [PATTERN]   (run only golden tests whose path
# contains PATTERN; unit tests are skipped when a pattern is given)

BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/$BUILD/bin"
pattern=${1:-}
pass=0
fail=0
skip=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/onedoor-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

TZ=Asia/Shanghai LC_ALL=C.UTF-8
export TZ LC_ALL
unset ONEDOOR_FAIL_ALLOC ONEDOOR_TEST_KILL_AFTER

vg=
if [ -n "${VALGRIND:-}" ]; then
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
fi

if [ -z "$pattern" ]; then
	for t in "$top/$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		(cd "$top" && $vg "$t"); rc=$?
		if [ $rc = 0 ]; then pass=$((pass + 1))
		elif [ $rc = 77 ]; then echo "SKIP unit $(basename "$t")"; skip=$((skip + 1))
		else echo "FAIL unit $(basename "$t")"; fail=$((fail + 1)); fi
	done
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

for dir in "$top"/tests/golden/*/*/; do
	[ -f "$dir/cmd" ] || continue
	name=${dir#"$top"/tests/golden/}; name=${name%/}
	case "$name" in *"$pattern"*) ;; *) continue ;; esac
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
		skip=$((skip + 1))
		continue
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
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
