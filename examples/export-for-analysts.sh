#!/bin/sh
# examples/export-for-analysts.sh - a month's cases for the analysts.
#
#   export-for-analysts.sh STORE MONTH OUT.csv [CSV options ...]
#
# MONTH is YYYY-MM, or last-month / this-month (from NOW or the clock).
# Writes OUT.csv: one row per case received in MONTH (by received_at, in
# the station's local time as the store holds it), Excel-ready (UTF-8
# with a BOM, CRLF, formula-looking cells neutralised, times as
# YYYY-MM-DD HH:MM), stable columns, personal data masked:
#
#  - resident id numbers and phones are masked by the CSV writer
#    (440784********1087, 135****3729): region and last digits stay for
#    counting, the person is not identified;
#  - the claimant's name and the free-text columns (summary,
#    agreement.terms, enforcement.note) and history are left out: nothing
#    masks a name, and free text can hold anything.
#
# The columns are $FIELDS when set (a comma-separated field list, as
# --fields takes it), else the list below.  Options after OUT.csv go to
# the CSV writer, e.g. --lang zh for Chinese headers; --unmask is refused.
#
# How: there is no general record filter, and report gives figures, not
# cases.  Every onedoor command is a filter that writes untouched records
# out as they came, so
#   1. mediate --events /dev/null STORE     (no events: every case passes
#      through unchanged; it also reads a gzip store)
#   2. grep -F '"received_at":"YYYY-MM-'     (the store is compact
#      JSON-lines as onedoor writes it: the key appears once per line, and
#      a quote inside a string value is escaped, so nothing else matches)
#   3. mediate --events /dev/null --to csv --excel --fields ...
# Nothing is changed in the store; jq is not needed.  OUT.csv is written
# under a temporary name and renamed, and created mode 0600.
#
# Exit status: 0 written (an empty month gives the header only); 2 error
# (OUT.csv is then not touched).
#
# Example (on the 1st of each month, 06:00):
#   0 6 1 * * cd /srv/station && TZ=Asia/Shanghai sh export-for-analysts.sh cases.jsonl last-month exports/cases-last-month.csv
set -eu

prog=export-for-analysts
default_fields=id,source_id,received_at,channel,type,claimant.id_no,claimant.phone,\
workers,employer.name,employer.credit_code,grid,amount,status,track,desk,\
assignee,priority,due_at,agreement.amount,agreement.at,agreement.by,\
confirmation.court,confirmation.applied_at,confirmation.at,confirmation.late,\
enforcement.at,enforcement.court,resolution,closed_at,possible_duplicate_of

if [ $# -lt 3 ]; then
	echo "usage: $prog STORE MONTH OUT.csv [CSV options ...]" >&2
	exit 2
fi
store=$1 month=$2 out=$3
shift 3
for a in "$@"; do
	case $a in
	--unmask) echo "$prog: --unmask: this export is masked; use mediate --to csv --unmask yourself" >&2; exit 2 ;;
	esac
done
fields=${FIELDS:-$default_fields}

if [ "$month" = this-month ] || [ "$month" = last-month ]; then
	if [ -n "${NOW:-}" ]; then
		ym=$(printf '%s\n' "$NOW" | cut -c1-7)
	else
		ym=$(date +%Y-%m)
	fi
	case $ym in
	[0-9][0-9][0-9][0-9]-[0-1][0-9]) ;;
	*) echo "$prog: NOW must start with a date YYYY-MM-DD: $NOW" >&2; exit 2 ;;
	esac
	if [ "$month" = last-month ]; then
		y=$((1${ym%-*} - 10000)) m=$((1${ym#*-} - 100 - 1))
		if [ "$m" -eq 0 ]; then m=12 y=$((y - 1)); fi
		ym=$(printf '%04d-%02d' "$y" "$m")
	fi
	month=$ym
fi
case $month in
[0-9][0-9][0-9][0-9]-0[1-9] | [0-9][0-9][0-9][0-9]-1[0-2]) ;;
*) echo "$prog: MONTH must be YYYY-MM, last-month or this-month: $month" >&2; exit 2 ;;
esac
if [ ! -f "$store" ]; then
	echo "$prog: $store: no such store" >&2
	exit 2
fi

sel=$out.sel.$$ tmp=$out.tmp.$$ st=$out.st.$$
trap 'rm -f "$sel" "$tmp" "$st"' EXIT
trap 'exit 2' HUP INT TERM

# 1 and 2; POSIX sh has no pipefail, so the reader's status goes to a file.
rc=0
{ mediate -q --events /dev/null -- "$store" || echo $? >"$st"; } |
	grep -F -- "\"received_at\":\"$month-" >"$sel" || rc=$?
if [ -s "$st" ] || [ "$rc" -gt 1 ]; then
	echo "$prog: could not read $store; $out not written" >&2
	exit 2
fi
# 3
if ! mediate -q --events /dev/null --to csv --excel --fields "$fields" \
    "$@" -o "$tmp" -- "$sel"; then
	echo "$prog: $out not written" >&2
	exit 2
fi
mv -f "$tmp" "$out"
n=$(wc -l <"$sel")
echo "$prog: cases received in $month: $((n)), written to $out (id numbers and phones masked; names and free text left out)" >&2
