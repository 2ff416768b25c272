#!/bin/sh
# examples/daily.sh - the station's daily cron job.
#
#   daily.sh STORE OUTDIR [report options ...]
#
# Writes into OUTDIR (created if need be), for DAY = yesterday and TODAY =
# the day of the run, in the local time zone (TZ):
#
#   report-DAY.csv     yesterday's figures, Excel-ready:
#                      report --since yesterday --until yesterday --to csv --excel
#                      (--until names the last day included: report(1)
#                      takes a span's end, so "--until today" would also
#                      count this morning)
#   report-DAY.html    the same as a page to look at, when this report
#                      has --to html (checked with report --help);
#                      otherwise skipped with a note
#   overdue-TODAY.csv  every open case past its due time, most overdue
#                      first: report --overdue --fail-on-overdue
#   deadlines-TODAY.csv  the legal and station deadlines of open cases that
#                      have passed or end within the next 7 days, passed
#                      first, each with its source and next lawful step:
#                      report --due --within 7d
#
# and prints yesterday's figures, the overdue list and the deadlines as
# tables on standard output, which cron mails.  Each file is written under a
# temporary name and renamed, so a reader never sees half a file.
# Options after OUTDIR go to the figure reports (csv, html, table), e.g.
# --lang zh or --by channel; of them, --lang also goes to the two lists.  NOW in the environment is passed to every
# report as --now (for tests and for re-running a missed day:
# NOW=2024-04-16T07:00 daily.sh ...).
#
# Exit status: 0 nothing overdue; 1 cases are overdue (or some records
# could not be counted: see the messages); 2 an error (nothing half-written
# is left in OUTDIR).
#
# Crontab line (07:00 every day; cron mails the output to MAILTO, and a
# non-zero exit marks the mail as an alert for most mail filters):
#   MAILTO=station-head@example.org
#   0 7 * * * cd /srv/station && TZ=Asia/Shanghai sh examples/daily.sh cases.jsonl reports/daily
set -eu

prog=daily
if [ $# -lt 2 ]; then
	echo "usage: $prog STORE OUTDIR [report options ...]" >&2
	exit 2
fi
store=$1 outdir=$2
shift 2
if [ ! -f "$store" ]; then
	echo "$prog: $store: no such store" >&2
	exit 2
fi
now=
if [ -n "${NOW:-}" ]; then
	now="--now=$NOW"
fi

# TODAY from NOW (it starts with the date) or the clock; DAY one before.
if [ -n "${NOW:-}" ]; then
	today=$(printf '%s\n' "$NOW" | cut -c1-10)
else
	today=$(date +%Y-%m-%d)
fi
case $today in
[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]) ;;
*) echo "$prog: NOW must start with a date YYYY-MM-DD: $NOW" >&2; exit 2 ;;
esac
yesterday() {	# YYYY-MM-DD -> the day before
	y=${1%%-*} m=${1#*-} d=${1##*-}
	m=${m%-*}
	y=$((1$y - 10000)) m=$((1$m - 100)) d=$((1$d - 100))	# no octal
	d=$((d - 1))
	if [ "$d" -eq 0 ]; then
		m=$((m - 1))
		if [ "$m" -eq 0 ]; then m=12 y=$((y - 1)); fi
		case $m in
		4|6|9|11) d=30 ;;
		2) if [ $((y % 4)) -eq 0 ] && { [ $((y % 100)) -ne 0 ] || [ $((y % 400)) -eq 0 ]; }
		   then d=29; else d=28; fi ;;
		*) d=31 ;;
		esac
	fi
	printf '%04d-%02d-%02d\n' "$y" "$m" "$d"
}
day=$(yesterday "$today")

# --lang among the options, for the lists (which take no --by).
lang= prev=
for a in "$@"; do
	case $prev in --lang) lang="--lang=$a" ;; esac
	case $a in --lang=*) lang=$a ;; esac
	prev=$a
done

mkdir -p "$outdir"
tmp=$outdir/.daily.$$
trap 'rm -f "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
status=0

# gen FILE report-args...: write FILE atomically; remembers the worst exit.
gen() {
	f=$1
	shift
	rc=0
	report ${now:+"$now"} -o "$tmp" "$@" "$store" || rc=$?
	if [ "$rc" -ge 2 ]; then
		echo "$prog: $f not written (report exit $rc)" >&2
		status=2
		return 0
	fi
	mv -f "$tmp" "$outdir/$f"
	written=$f
	echo "$prog: wrote $outdir/$f" >&2
	[ "$rc" -eq 0 ] || [ "$status" -eq 2 ] || status=1
}

window="--since yesterday --until yesterday"
# shellcheck disable=SC2086
gen "report-$day.csv" $window --to csv --excel "$@"
if report --help 2>&1 | grep -q html; then
	# shellcheck disable=SC2086
	gen "report-$day.html" $window --to html "$@"
else
	echo "$prog: this report has no --to html; report-$day.html skipped" >&2
fi
written=
gen "overdue-$today.csv" ${lang:+"$lang"} --overdue --fail-on-overdue --to csv --excel
overdue=$written
written=
gen "deadlines-$today.csv" ${lang:+"$lang"} --due --within 7d --to csv --excel
deadlines=$written

# The mail: yesterday's figures, then the overdue list.
echo "Figures of $day"
rc=0
# shellcheck disable=SC2086
report ${now:+"$now"} $window --to table "$@" "$store" || rc=$?
[ "$rc" -lt 2 ] || status=2
echo
# list TITLE FILE report-args...: how many rows FILE has, then the table.
list() {
	title=$1 f=$2
	shift 2
	if [ -z "$f" ]; then
		echo "$title: unknown, the report failed"
	elif n=$(($(wc -l <"$outdir/$f") - 1)) && [ "$n" -gt 0 ]; then
		echo "$title: $n"
		rc=0
		report ${now:+"$now"} ${lang:+"$lang"} "$@" --to table "$store" || rc=$?
		[ "$rc" -lt 2 ] || status=2
	else
		echo "$title: none"
	fi
}
list "Overdue cases on $today" "$overdue" --overdue
echo
list "Deadlines passed or within 7 days on $today" "$deadlines" --due --within 7d
exit "$status"
