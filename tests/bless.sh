#!/bin/sh
# tests/bless.sh DIR... - run golden tests and write what they print as
# their expected stdout/stderr/status.  For writing a new test only: read
# every blessed file before committing it; a test is a specification, not
# a recording.
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
for dir in "$@"; do
	dir=$(cd "$dir" && pwd)
	work=$(mktemp -d); cp -R "$dir"/. "$work"
	rm -f "$work/stdout" "$work/stderr" "$work/status"
	(cd "$work" && in=/dev/null && { [ -f stdin ] && in=stdin; }
	 TZ=Asia/Shanghai LC_ALL=C.UTF-8 PATH="$top/$BUILD/bin:$top/tests/bin:$PATH" TOP="$top" \
	 sh ./cmd <"$in" >.out 2>.err; echo $? >.status)
	# exit 77: the test cannot run here (tests/run.sh); keep what it had
	if [ "$(cat "$work/.status")" = 77 ]; then
		echo "SKIP $dir: $(tail -n 1 "$work/.err"), not blessed" >&2
		rm -rf "$work"; continue
	fi
	cp "$work/.out" "$dir/stdout"; cp "$work/.err" "$dir/stderr"
	cp "$work/.status" "$dir/status"
	[ -s "$dir/stdout" ] || rm -f "$dir/stdout"
	[ -s "$dir/stderr" ] || rm -f "$dir/stderr"
	[ "$(cat "$dir/status")" = 0 ] && rm -f "$dir/status"
	rm -rf "$work"
done
