#!/bin/sh
# bench/run.sh - `make bench`: onedoor beside jq and Miller on generated
# labour-dispute cases.  Not a test: nothing here is part of `make check`.
#
# Environment (all optional):
#   BUILD            build directory with bin/ (default build)
#   BENCH_N          records for the onedoor runs (default 1000000)
#   BENCH_SMALL      the second size, for peak RSS at two sizes (100000)
#   BENCH_PEER_N     records for the jq and Miller runs (default BENCH_SMALL;
#                    jq and Miller take minutes per run at 1,000,000 here,
#                    so by default they run on the smaller store and every
#                    ratio compares the tools on the same file)
#   BENCH_RUNS       runs of each onedoor command, the median is quoted (5)
#   BENCH_PEER_RUNS  runs of each jq/Miller command (3)
#   BENCH_JOBS       which jobs, space separated (default: all of
#                    case-add case-route mediate confirm report)
#   BENCH_KEEP=1     keep the generated files and outputs in bench/out
#
# Everything goes to bench/out/ (gitignored).  The table is printed at the
# end and saved as bench/out/table.txt; every single run is in
# bench/out/runs.txt (job size tool seconds maxrss-KB exit-status).

BUILD=${BUILD:-build}
N=${BENCH_N:-1000000}
SMALL=${BENCH_SMALL:-100000}
PEER_N=${BENCH_PEER_N:-$SMALL}
RUNS=${BENCH_RUNS:-5}
PEER_RUNS=${BENCH_PEER_RUNS:-3}
JOBS=${BENCH_JOBS:-case-add case-route mediate confirm report}

top=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in
/*) build=$BUILD ;;
*) build=$top/$BUILD ;;
esac
bin=$build/bin
out=$top/bench/out
gen=$build/bench/gen
results=$out/runs.txt
notes=$out/notes.txt
tmp=$out/tmp

NOW_INTAKE=2025-01-01		# case-add, case-route
NOW_LATER=2025-02-01		# mediate, confirm, report: after every event

LC_ALL=C.UTF-8 TZ=Asia/Shanghai
export LC_ALL TZ

say() { printf '%s\n' "$*" >&2; }

mkdir -p "$out" "$tmp" "$build/bench" || exit 2
: > "$results"
: > "$notes"

# ---- tools ---------------------------------------------------------------

need=
command -v jq >/dev/null 2>&1 || need="$need jq"
command -v mlr >/dev/null 2>&1 || need="$need miller"
/usr/bin/time -f %e true >/dev/null 2>&1 || need="$need time"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "bench: installing$need"
		apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null ||
		    say "bench: apt-get install$need failed; going on without"
	else
		say "bench: missing$need; install with: sudo apt-get install$need"
		say "bench: going on without them"
	fi
fi
have_jq=0; command -v jq >/dev/null 2>&1 && have_jq=1
have_mlr=0; command -v mlr >/dev/null 2>&1 && have_mlr=1
gnutime=0; /usr/bin/time -f %e true >/dev/null 2>&1 && gnutime=1

# ---- the machine -----------------------------------------------------------

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
{
	echo "machine: $(nproc) cpus, ${cpu:-unknown cpu}, ${mem:-? GB} RAM, $(uname -sr)"
	echo "tools:   $(cc --version 2>/dev/null | head -n 1);" \
	    "$( [ $have_jq = 1 ] && jq --version)" \
	    "$( [ $have_mlr = 1 ] && mlr --version)"
	echo "sizes:   onedoor at $N (and $SMALL) records, jq/Miller at $PEER_N;" \
	    "medians of $RUNS (onedoor) and $PEER_RUNS (jq/Miller) runs"
	echo "date:    $(date '+%Y-%m-%d %H:%M %z')"
} > "$out/machine.txt"
cat "$out/machine.txt"
echo

# ---- the generator -----------------------------------------------------------

cc -O2 -std=c11 -pedantic -Wall -Wextra -Werror -Wshadow \
    -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wwrite-strings \
    -Wformat=2 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
    -o "$gen" "$top/bench/gen.c" || { say "bench: cannot build bench/gen.c"; exit 2; }

# The sizes: every onedoor command runs at each, the peers at PEER_N.
sizes=$(printf '%s\n' "$SMALL" "$PEER_N" "$N" | sort -n -u)

# Seconds now, with nanoseconds (GNU date) for the generator's timing.
now_s() { date +%s.%N; }

# events CSV (gen writes no quotes and no commas inside values) -> one
# JSON object keyed by case id, for jq --slurpfile
ev2json='BEGIN { FS = ","; printf "{" }
NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i; next }
{
	printf "%s\"%s\":{", (NR > 2 ? ",\n" : ""), $1
	for (i = 1; i <= NF; i++) {
		v = $i
		if (h[i] == "amount") v = (v == "" ? "null" : v)
		else v = "\"" v "\""
		printf "%s\"%s\":%s", (i > 1 ? "," : ""), h[i], v
	}
	printf "}"
}
END { print "}" }'

gen_files() {		# SIZE
	d=$out/$1
	mkdir -p "$d"
	t0=$(now_s)
	"$gen" -n "$1" --store > "$d/store.jsonl" || return 1
	t1=$(now_s)
	"$gen" -n "$1" --store --all-new > "$d/store-new.jsonl" &&
	"$gen" -n "$1" --intake > "$d/intake.csv" &&
	"$gen" -n "$1" --mediate-events > "$d/mediate.csv" &&
	"$gen" -n "$1" --confirm-events > "$d/confirm.csv" || return 1
	bytes=$(wc -c < "$d/store.jsonl")
	awk -v n="$1" -v b="$bytes" -v t0="$t0" -v t1="$t1" 'BEGIN {
		t = t1 - t0; if (t <= 0) t = 0.001
		printf "generator: %d store records (%.0f MB, %.0f bytes each) in %.2f s: %.0f records/s, %.0f MB/s\n",
		    n, b / 1e6, b / n, t, n / t, b / 1e6 / t }' | tee -a "$out/machine.txt"
	# the peers' inputs: events as one JSON object keyed by case id (awk:
	# jq 1.6 takes minutes to build it from 100,000 CSV rows)
	for e in mediate confirm; do
		awk "$ev2json" "$d/$e.csv" > "$d/$e.json" || return 1
	done
	# two shards for the two-core report
	split -n l/2 -d "$d/store.jsonl" "$d/shard-" || return 1
}

for s in $sizes; do
	gen_files "$s" || { say "bench: generating $s records failed"; exit 2; }
done
echo

# ---- running and timing ----------------------------------------------------

# run_one JOB SIZE TOOL -- COMMAND...: one timed run, output to a file.
run_one() {
	job=$1 size=$2 tool=$3
	shift 4
	o=$out/$size/out.$job.$(echo "$tool" | tr ' /' '__')
	if [ $gnutime = 1 ]; then
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > "$o" 2> "$tmp/err"
		rc=$?
		set -- $(tail -n 1 "$tmp/time")
		secs=$1 rss=$2
	else
		t0=$(now_s)
		"$@" > "$o" 2> "$tmp/err"
		rc=$?
		secs=$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')
		rss=-
	fi
	echo "$job $size $(echo "$tool" | tr ' ' '_') $secs $rss $rc" >> "$results"
	last_rc=$rc
	last_out=$o
}

# note JOB SIZE TOOL TEXT
note() {
	echo "$1|$2|$(echo "$3" | tr ' ' '_')|$4" >> "$notes"
}

# Which onedoor commands exist, and do they take an option?
od() { [ -x "$bin/$1" ]; }
od_has() { "$bin/$1" --help 2>&1 | grep -q -e "$2"; }

# The commands of each job.  od_cmd JOB SIZE prints nothing when the
# command is not there (the reason goes to the notes).
od_args() {		# JOB SIZE -> sets $args (word list) or returns 1
	d=$out/$2
	case $1 in
	case-add)
		od case-add || return 1
		args="$bin/case-add"
		od_has case-add --now && args="$args --now $NOW_INTAKE"
		args="$args $d/intake.csv" ;;
	case-route)
		od case-route || return 1
		args="$bin/case-route"
		od_has case-route --now && args="$args --now $NOW_INTAKE"
		args="$args $d/store-new.jsonl" ;;
	mediate|confirm)
		od "$1" || return 1
		od_has "$1" --events || return 1
		args="$bin/$1"
		od_has "$1" --now && args="$args --now $NOW_LATER"
		args="$args --events $d/$1.csv $d/store.jsonl" ;;
	report)
		od report || return 1
		od_has report --by || return 1
		args="$bin/report"
		od_has report --now && args="$args --now $NOW_LATER"
		args="$args --by type,channel --to csv $d/store.jsonl" ;;
	esac
	return 0
}

jq_report='reduce inputs as $r ({};
	($r.type + "," + $r.channel) as $k
	| .[$k].count += 1 | .[$k].sum += $r.amount)
| "type,channel,count,sum",
  (to_entries[] | "\(.key),\(.value.count),\(.value.sum)")'

jq_mediate='($ev[0][.id]) as $e
| if $e == null then .
  else .status as $from
  | (if $e.outcome == "session" then
       (if $from == "routed" then "mediating" else $from end)
     elif $e.outcome == "agreed" then "agreed"
     elif $e.outcome == "failed" then "failed"
     else "closed" end) as $to
  | .status = $to
  | if $e.outcome == "agreed" then
      .agreement = {amount: $e.amount, at: $e.at, by: $e.by}
    elif $e.outcome == "withdrawn" then
      .resolution = "withdrawn" | .closed_at = $e.at
    else . end
  | .history += [{at: $e.at, cmd: "mediate", from: $from, to: $to, by: $e.by}]
  end'

jq_confirm='($ev[0][.id]) as $e
| if $e == null then .
  else .status as $from
  | .status = "confirmed"
  | .confirmation = {court: $e.court, ruling: $e.ruling, at: $e.at}
  | .history += [{at: $e.at, cmd: "confirm", from: $from, to: "confirmed"}]
  end'

# peer JOB SIZE TOOL -- runs it (tool: jq or mlr); returns 1 if no such peer
peer() {
	d=$out/$2
	case $1/$3 in
	case-add/mlr)	run_one "$1" "$2" mlr -- mlr --icsv --ojsonl cat "$d/intake.csv" ;;
	case-route/jq)	run_one "$1" "$2" jq -- jq -c '.status="routed"' "$d/store-new.jsonl" ;;
	case-route/mlr)	run_one "$1" "$2" mlr -- mlr --ijsonl --ojsonl put '$status="routed"' "$d/store-new.jsonl" ;;
	mediate/jq)	run_one "$1" "$2" jq -- jq -c --slurpfile ev "$d/mediate.json" "$jq_mediate" "$d/store.jsonl" ;;
	confirm/jq)	run_one "$1" "$2" jq -- jq -c --slurpfile ev "$d/confirm.json" "$jq_confirm" "$d/store.jsonl" ;;
	report/jq)	run_one "$1" "$2" jq -- jq -n -r "$jq_report" "$d/store.jsonl" ;;
	report/mlr)	run_one "$1" "$2" mlr -- mlr --ijsonl --ocsv stats1 -a count,sum -f amount -g type,channel "$d/store.jsonl" ;;
	*) return 1 ;;
	esac
}

input_of() {		# JOB SIZE -> the file whose size MB/s refers to
	case $1 in
	case-add) echo "$out/$2/intake.csv" ;;
	case-route) echo "$out/$2/store-new.jsonl" ;;
	*) echo "$out/$2/store.jsonl" ;;
	esac
}

# One onedoor run with a look at what came out (first run only).
od_run() {		# JOB SIZE RUN
	# shellcheck disable=SC2086
	run_one "$1" "$2" onedoor -- $args
	if [ "$3" = 1 ]; then
		lines=$(wc -l < "$last_out")
		if [ "$last_rc" -ge 2 ]; then
			note "$1" "$2" onedoor "exit $last_rc: $(head -n 1 "$tmp/err" | cut -c1-60)"
		elif [ "$last_rc" = 1 ]; then
			note "$1" "$2" onedoor "exit 1, $(wc -l < "$tmp/err") lines on stderr"
		fi
		case $1 in
		report) ;;
		*) [ "$lines" = "$2" ] || note "$1" "$2" onedoor "$lines records out of $2" ;;
		esac
	fi
}

for job in $JOBS; do
	for s in $sizes; do
		say "bench: $job, $s records"
		have_od=0
		if od_args "$job" "$s"; then
			have_od=1
		elif [ "$s" = "$N" ]; then
			if od "$job"; then
				note "$job" "$s" onedoor "skipped: $job --help lacks the options used here"
			else
				note "$job" "$s" onedoor "skipped: $BUILD/bin/$job not built yet"
			fi
		fi
		peers=
		if [ "$s" = "$PEER_N" ]; then
			[ $have_jq = 1 ] && peers="$peers jq"
			[ $have_mlr = 1 ] && peers="$peers mlr"
		fi
		r=1
		stop=0
		while [ $r -le $RUNS ] || { [ $r -le $PEER_RUNS ] && [ -n "$peers" ]; }; do
			if [ $have_od = 1 ] && [ $r -le $RUNS ] && [ $stop = 0 ]; then
				od_run "$job" "$s" "$r"
				[ "$last_rc" -ge 2 ] && stop=1
			fi
			if [ $r -le $PEER_RUNS ]; then
				for p in $peers; do
					peer "$job" "$s" "$p"
				done
			fi
			r=$((r + 1))
		done
		# report on two cores: --partial per shard in parallel, --merge
		if [ "$job" = report ] && [ $have_od = 1 ] &&
		    od_has report --partial && od_has report --merge; then
			d=$out/$s
			[ "$s" = "$N" ] && cp "$last_out" "$tmp/report.single"
			# --merge takes --by and --now from the partials
			part="$bin/report --partial --by type,channel"
			merge="$bin/report --merge --to csv"
			od_has report --now && part="$part --now $NOW_LATER"
			r=1
			while [ $r -le $RUNS ]; do
				run_one report "$s" "onedoor 2 shards" -- sh -c "
				    $part $d/shard-00 > $tmp/part-0 &
				    $part $d/shard-01 > $tmp/part-1 &
				    wait
				    $merge $tmp/part-0 $tmp/part-1"
				if [ $r = 1 ] && [ "$last_rc" -ne 0 ]; then
					note report "$s" "onedoor 2 shards" "exit $last_rc: $(head -n 1 "$tmp/err" | cut -c1-60)"
					[ "$last_rc" -ge 2 ] && break
				fi
				r=$((r + 1))
			done
			if [ "$s" = "$N" ]; then
				if cmp -s "$last_out" "$tmp/report.single"; then
					note report "$s" "onedoor 2 shards" "merged output = single run"
				else
					cp "$tmp/report.single" "$out/report-single.csv"
					cp "$last_out" "$out/report-merged.csv"
					note report "$s" "onedoor 2 shards" "merged output DIFFERS from single run (bench/out/report-*.csv)"
				fi
			fi
		elif [ "$job" = report ] && [ $have_od = 1 ] && [ "$s" = "$N" ]; then
			note report "$s" "onedoor 2 shards" "skipped: report lacks --partial/--merge"
		fi
		[ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$out/$s"/out.*
	done
done

# ---- the table ---------------------------------------------------------------

bytes_list=
for s in $sizes; do
	bytes_list="$bytes_list $s:intake=$(wc -c < "$out/$s/intake.csv")"
	bytes_list="$bytes_list $s:new=$(wc -c < "$out/$s/store-new.jsonl")"
	bytes_list="$bytes_list $s:store=$(wc -c < "$out/$s/store.jsonl")"
done

awk -v bytes="$bytes_list" -v jobs="$JOBS" -v sizes="$(echo $sizes)" \
    -v N="$N" -v SMALL="$SMALL" -v PEER_N="$PEER_N" -v notesfile="$notes" '
function median(key,    n, i, j, t, a) {
	n = cnt[key]
	if (n == 0) return -1
	for (i = 1; i <= n; i++) a[i] = v[key, i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function medrss(key,    n, i, j, t, a) {
	n = cnt[key]
	if (n == 0 || r[key, 1] == "-") return -1
	for (i = 1; i <= n; i++) a[i] = r[key, i] / 1024
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return a[int((n + 1) / 2)]
}
function inbytes(job, size) {
	if (job == "case-add") return B[size ":intake"]
	if (job == "case-route") return B[size ":new"]
	return B[size ":store"]
}
function target(job, what, want,    t, p, got, ok, txt) {
	t = median(job SUBSEP N SUBSEP "onedoor")
	if (what == "rate") {
		if (t <= 0) return
		got = N / t; ok = got >= want
		txt = sprintf("%s: %.0f records/s, target >= %d", job, got, want)
	} else if (what == "rss") {
		got = medrss(job SUBSEP N SUBSEP "onedoor")
		if (got < 0) return
		ok = got < want
		txt = sprintf("%s: peak RSS %.1f MB, target < %d MB", job, got, want)
	} else if (what == "shards") {
		p = median(job SUBSEP N SUBSEP "onedoor_2_shards")
		if (t <= 0 || p <= 0) return
		got = t / p; ok = got >= want
		txt = sprintf("%s on 2 shards: %.2fx the single run, target >= %.1fx", job, got, want)
	} else {
		t = median(job SUBSEP PEER_N SUBSEP "onedoor")
		p = median(job SUBSEP PEER_N SUBSEP what)
		if (t <= 0 || p <= 0) return
		got = p / t; ok = got >= want
		txt = sprintf("%s: %.1fx %s, target >= %gx", job, got, what, want)
	}
	printf "  %-7s %s\n", ok ? "met" : "NOT met", txt
}
function fmt(x, d) { return x < 0 ? "-" : sprintf("%." d "f", x) }
function ratio(od, pe) { return (od <= 0 || pe <= 0) ? "" : sprintf("%.1fx", pe / od) }
BEGIN {
	nb = split(bytes, bl, " ")
	for (i = 1; i <= nb; i++) { split(bl[i], kv, "="); B[kv[1]] = kv[2] }
	while ((getline line < notesfile) > 0) {
		split(line, f, "|")
		k = f[1] SUBSEP f[2] SUBSEP f[3]
		if (k in NOTE) old = NOTE[k] "; "; else old = ""
		NOTE[k] = old f[4]
	}
}
{
	key = $1 SUBSEP $2 SUBSEP $3
	n = ++cnt[key]; v[key, n] = $4; r[key, n] = $5
	if (!(key in seen)) { seen[key] = 1; order[++norder] = key }
	if ($6 >= 2) failed[key] = 1
}
END {
	hdr = sprintf("%-11s %-17s %9s %8s %11s %7s %7s %7s %7s  %s",
	    "job", "tool", "records", "median s", "records/s", "MB/s", "RSS MB", "vs jq", "vs mlr", "note")
	print hdr
	gsub(/./, "-", hdr); print hdr
	nj = split(jobs, J, " "); ns = split(sizes, S, " ")
	tools[1] = "onedoor"; tools[2] = "onedoor_2_shards"; tools[3] = "jq"; tools[4] = "mlr"
	for (a = 1; a <= nj; a++) for (b = 1; b <= ns; b++) for (c = 1; c <= 4; c++) {
		job = J[a]; size = S[b]; tool = tools[c]
		key = job SUBSEP size SUBSEP tool
		nt = (key in NOTE) ? NOTE[key] : ""
		if (!(key in seen) && nt == "") continue
		t = median(key); rs = medrss(key)
		vj = vm = ""
		if (tool ~ /^onedoor/ && t > 0 && !(key in failed)) {
			vj = ratio(t, median(job SUBSEP size SUBSEP "jq"))
			vm = ratio(t, median(job SUBSEP size SUBSEP "mlr"))
			if (tool == "onedoor_2_shards") {
				s1 = median(job SUBSEP size SUBSEP "onedoor")
				if (s1 > 0) nt = sprintf("%.2fx the single run", s1 / t) (nt == "" ? "" : "; " nt)
			}
		}
		name = tool; gsub(/_/, " ", name)
		printf "%-11s %-17s %9d %8s %11s %7s %7s %7s %7s  %s\n", job, name, size,
		    t < 0 ? "-" : sprintf("%.2f", t),
		    t <= 0 ? "-" : sprintf("%.0f", size / t),
		    t <= 0 ? "-" : sprintf("%.1f", inbytes(job, size) / 1e6 / t),
		    fmt(rs, 1), vj, vm, nt
	}
	print ""
	printf "peak RSS of onedoor (MB), median run:\n"
	printf "%-11s %-17s", "job", "tool"
	for (b = 1; b <= ns; b++) printf " %10s", S[b]
	printf "\n"
	for (a = 1; a <= nj; a++) for (c = 1; c <= 2; c++) {
		job = J[a]; tool = tools[c]; any = 0
		for (b = 1; b <= ns; b++) if ((job SUBSEP S[b] SUBSEP tool) in seen) any = 1
		if (!any) continue
		name = tool; gsub(/_/, " ", name)
		printf "%-11s %-17s", job, name
		for (b = 1; b <= ns; b++) printf " %10s", fmt(medrss(job SUBSEP S[b] SUBSEP tool), 1)
		printf "\n"
	}
	print ""
	print "targets of issue 5 (records/s and RSS at " N " records, ratios at " PEER_N "):"
	target("case-add", "rate", 400000); target("case-add", "mlr", 4)
	target("case-route", "rate", 300000); target("case-route", "jq", 2.5)
	target("mediate", "rate", 300000); target("mediate", "jq", 2.5)
	target("confirm", "rate", 300000); target("confirm", "jq", 2.5)
	target("report", "rate", 500000); target("report", "jq", 4); target("report", "mlr", 10)
	target("case-add", "rss", 16); target("case-route", "rss", 16)
	target("mediate", "rss", 16); target("confirm", "rss", 16)
	target("report", "shards", 1.7)
	print ""
	print "records/s = records / median wall time; MB/s = input file bytes / median wall time;"
	print "vs jq, vs mlr = peer median time / onedoor median time on the same file (>1: onedoor faster)."
}' "$results" > "$out/table.txt"

echo
cat "$out/machine.txt"
echo
cat "$out/table.txt"
[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$tmp"
exit 0
