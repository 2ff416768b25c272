#!/bin/sh
# examples/demo.sh - one week at a small labour-relations service station,
# intake to closure, on a scratch copy of the files in examples/.
#
#   intake-week.csv    the walk-in/hotline register (GB18030, CRLF, Chinese headers)
#   intake-online.csv  the online platform's export (UTF-8 with a BOM)
#   roster.csv         the staff: id, name, role, desks, capacity
#   sessions.csv       mediation sessions and outcomes of the week
#   rulings.csv        judicial confirmations and performance
#
# `make demo` runs it with the freshly built commands first on PATH.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/onedoor-demo.XXXXXX")}
cp "$here"/intake-week.csv "$here"/intake-online.csv "$here"/roster.csv \
   "$here"/sessions.csv "$here"/rulings.csv "$work"/
cd "$work"
TZ=Asia/Shanghai
export TZ
step() { printf '\n== %s\n$ %s\n' "$1" "$2"; }

step "Monday: take in the week's register and the online platform's cases" \
     "case-add --append cases.jsonl intake-week.csv intake-online.csv"
case-add --now 2024-04-15T09:00 --append cases.jsonl intake-week.csv intake-online.csv

step "An accidental second import adds nothing" \
     "case-add --append cases.jsonl intake-week.csv intake-online.csv"
case-add --now 2024-04-15T09:05 --append cases.jsonl intake-week.csv intake-online.csv

step "Route every new case: track, desk, priority, assignee, due time" \
     "case-route -i cases.jsonl --roster roster.csv"
case-route --now 2024-04-15T10:00 -i cases.jsonl --roster roster.csv || true

step "Tuesday to Thursday: mediation sessions and outcomes" \
     "mediate -i cases.jsonl --events sessions.csv"
mediate --now 2024-04-18T18:00 -i cases.jsonl --events sessions.csv || true

step "Failed mediations go on to the arbitration outpost" \
     "case-route -i cases.jsonl --escalate"
case-route --now 2024-04-19T09:00 -i cases.jsonl --escalate --roster roster.csv || true

step "The court confirms agreements; one is paid in full" \
     "confirm -i cases.jsonl --events rulings.csv"
confirm --now 2024-04-28T18:00 -i cases.jsonl --events rulings.csv || true

figures=cases,workers,amount,open,closed,agreed,failed,success_rate,confirmed,overdue
step "Where every case stands" "report --by status --fields $figures cases.jsonl"
report --now 2024-04-30T12:00 --to table --by status --fields "$figures" cases.jsonl

step "The week's intake by channel, in Chinese" "report --since 2024-04-08 --until 2024-04-15 --by channel --lang zh cases.jsonl"
report --now 2024-04-30T12:00 --to table --since 2024-04-08 --until 2024-04-15 --by channel --lang zh \
    --fields cases,workers,amount,online,offline cases.jsonl

step "One case's audit trail" "grep WX20240002 cases.jsonl"
grep -m1 WX20240002 cases.jsonl | sed 's/.*"history":/history: /' | sed 's/},{/},\n  {/g'

printf '\nThe store is %s/cases.jsonl\n' "$work"
