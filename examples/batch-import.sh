#!/bin/sh
# examples/batch-import.sh - import every CSV in a drop folder into a store.
#
#   batch-import.sh DROP STORE [case-add options ...]
#
# For each DROP/*.csv (also *.CSV and *.csv.gz), in name order:
#
#   case-add --append STORE --rejects ... FILE
#
# and then, by case-add's exit status:
#
#   0  all rows added (or already in the store)  -> DROP/done/FILE
#   1  some rows rejected, the rest added        -> DROP/done/FILE, and its
#      rejected rows, each with a reject_reason, beside it as
#      DROP/done/NAME.rejects.csv: fix them and drop that file back in
#   2  the file could not be imported at all     -> DROP/failed/FILE, with
#      case-add's messages in DROP/failed/NAME.errors.txt; the store is
#      untouched (case-add's promise)
#
# A name already taken in done/ or failed/ gets a number: NAME.2.csv.
# Options after STORE go to case-add (e.g. --prefix HS, --map ...); NOW in
# the environment is passed as --now (for tests and replays).
#
# Safe to rerun, from cron every few minutes if you like:
#  - only files directly in DROP are read; done/ and failed/ never are;
#  - an import is idempotent by source_id: a file imported again (dropped
#    twice, or the run was killed between the import and the move) adds
#    nothing for rows that carry a source_id.  Rows without one would be
#    added again (case-add then marks them possible_duplicate_of), so give
#    every row a source_id;
#  - two runs on one folder do not overlap: the second finds the lock
#    DROP/.batch-import.lock and exits 0 (a lock left by a dead run is
#    taken over);
#  - a file still being copied in could be read half-written: let the
#    uploader write NAME.csv.part (or any other name) and rename it to
#    NAME.csv when complete.
#
# File names may hold spaces and Chinese; only a newline in a name is
# refused (it would garble the messages).  POSIX sh.
#
# Exit status: 0 every file imported in full (or nothing to do); 1 some
# rows rejected; 2 some file failed, or a usage error.
#
# Example crontab line (every 10 minutes):
#   */10 * * * * cd /srv/station && TZ=Asia/Shanghai sh batch-import.sh drop cases.jsonl
set -eu

prog=batch-import
if [ $# -lt 2 ]; then
	echo "usage: $prog DROP STORE [case-add options ...]" >&2
	exit 2
fi
drop=$1 store=$2
shift 2
if [ -n "${NOW:-}" ]; then
	set -- --now "$NOW" "$@"
fi
if [ ! -d "$drop" ]; then
	echo "$prog: $drop: no such folder" >&2
	exit 2
fi
done_dir=$drop/done failed_dir=$drop/failed
mkdir -p "$done_dir" "$failed_dir"

# One run at a time per drop folder (mkdir is atomic).
lock=$drop/.batch-import.lock
if ! mkdir "$lock" 2>/dev/null; then
	pid=$(cat "$lock/pid" 2>/dev/null || echo)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		echo "$prog: $drop: another run (pid $pid) is at work; nothing done" >&2
		exit 0
	fi
	echo "$prog: $drop: taking over the lock of a run that is gone" >&2
	rm -rf "$lock"
	if ! mkdir "$lock" 2>/dev/null; then
		echo "$prog: $drop: another run took the lock; nothing done" >&2
		exit 0
	fi
fi
echo $$ >"$lock/pid"
tmp_rej=$lock/rejects.csv
tmp_err=$lock/errors.txt
trap 'rm -rf "$lock"' EXIT
trap 'exit 2' HUP INT TERM

# first_free DIR STEM EXT: the first of STEM.EXT, STEM.2.EXT, ... such that
# neither it nor its STEM[.N].rejects.csv / .errors.txt exists in DIR.
first_free() {
	n=1 sfx=
	while [ -e "$1/$2$sfx$3" ] || [ -e "$1/$2$sfx.rejects.csv" ] ||
	    [ -e "$1/$2$sfx.errors.txt" ]; do
		n=$((n + 1)) sfx=.$n
	done
	printf '%s' "$2$sfx"
}

nl='
'
files=0 clean=0 partly=0 failed=0
for f in "$drop"/*.csv "$drop"/*.CSV "$drop"/*.csv.gz; do
	[ -f "$f" ] || continue		# an unmatched pattern, or not a file
	name=${f##*/}
	case $name in
	*"$nl"*) echo "$prog: a file name with a newline is skipped" >&2; continue ;;
	*.csv.gz) stem=${name%.csv.gz} ext=.csv.gz ;;
	*.CSV) stem=${name%.CSV} ext=.CSV ;;
	*) stem=${name%.csv} ext=.csv ;;
	esac
	files=$((files + 1))
	rm -f "$tmp_rej" "$tmp_err"
	rc=0
	case-add --append "$store" --rejects "$tmp_rej" "$@" -- "$f" 2>"$tmp_err" || rc=$?
	cat "$tmp_err" >&2
	case $rc in
	0)
		dest=$(first_free "$done_dir" "$stem" "$ext")
		mv -- "$f" "$done_dir/$dest$ext"
		clean=$((clean + 1))
		echo "$prog: $name -> done/$dest$ext" >&2
		;;
	1)
		dest=$(first_free "$done_dir" "$stem" "$ext")
		# the rejects first: a run killed in between re-imports the
		# file, which adds nothing again, and writes them once more
		if [ -s "$tmp_rej" ]; then
			mv -- "$tmp_rej" "$done_dir/$dest.rejects.csv"
		fi
		mv -- "$f" "$done_dir/$dest$ext"
		partly=$((partly + 1))
		echo "$prog: $name -> done/$dest$ext, rejected rows in done/$dest.rejects.csv" >&2
		;;
	*)
		dest=$(first_free "$failed_dir" "$stem" "$ext")
		mv -- "$tmp_err" "$failed_dir/$dest.errors.txt"
		mv -- "$f" "$failed_dir/$dest$ext"
		failed=$((failed + 1))
		echo "$prog: $name -> failed/$dest$ext (case-add exit $rc; see failed/$dest.errors.txt)" >&2
		;;
	esac
done

if [ "$files" -gt 0 ]; then
	what=files; [ "$files" -ne 1 ] || what='file'
	echo "$prog: $files $what: $clean imported, $partly with rejected rows, $failed failed" >&2
fi
[ "$failed" -eq 0 ] || exit 2
[ "$partly" -eq 0 ] || exit 1
exit 0
