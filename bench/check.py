#!/usr/bin/env python3
"""check.py - validate what bench/gen writes, independently of gen.c.

    python3 bench/check.py STORE.jsonl [INTAKE.csv [MEDIATE.csv [CONFIRM.csv]]]

Checks every resident id number (area code shape, birth date 1960-2004
that exists, ISO 7064 MOD 11-2), every unified social credit code (GB 32100
mod 31 check, character set), every mobile number, the key order of store
records, amounts with at most two decimals, that intake row k is store
record k, and that each event names a store case in a state the event
suits.  Prints a summary; exits 1 on the first few problems.  Not part of
`make bench`: run it by hand after changing gen.c.
"""
import csv
import datetime
import json
import re
import sys
from collections import Counter
from decimal import Decimal

USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
KEYS = ["id", "source_id", "received_at", "channel", "type", "claimant",
        "workers", "employer", "grid", "amount", "summary", "status",
        "track", "desk", "assignee", "priority", "due_at", "agreement",
        "confirmation", "resolution", "closed_at", "history"]
CHANNELS = {"walk-in", "online", "hotline", "warning", "grid", "referral"}
TYPES = {"wage-arrears", "construction-wage", "social-insurance",
         "work-injury", "termination", "contract", "other"}
RFC3339 = re.compile(r"^2024-\d\d-\d\dT\d\d:\d\d:00\+08:00$|^2025-0[1-2]-\d\dT\d\d:\d\d:00\+08:00$")

errors = 0


def bad(msg):
    global errors
    errors += 1
    print("check:", msg, file=sys.stderr)
    if errors > 20:
        sys.exit(1)


def uscc_ok(s):
    if len(s) != 18 or any(c not in USCC for c in s):
        return False
    c = 31 - sum(USCC.index(ch) * w for ch, w in zip(s, USCC_W)) % 31
    return USCC[0 if c == 31 else c] == s[17]


def id_ok(s):
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    try:
        d = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not 1960 <= d.year <= 2004:
        return False
    return "10X98765432"[sum(int(c) * w for c, w in zip(s, ID_W)) % 11] == s[17]


def phone_ok(s):
    return re.fullmatch(r"1[3-9]\d{9}", s) is not None


def amount_ok(v):
    d = Decimal(str(v))
    return d > 0 and d == d.quantize(Decimal("0.01"))


def check_store(path):
    recs = {}
    order = []
    st = Counter()
    nbytes = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            nbytes += len(line.encode())
            r = json.loads(line, parse_float=Decimal)
            ks = list(r)
            if ks != [k for k in KEYS if k in r]:
                bad(f"{path}:{n}: key order {ks}")
            if not id_ok(r["claimant"]["id_no"]):
                bad(f"{path}:{n}: id_no {r['claimant']['id_no']}")
            if not uscc_ok(r["employer"]["credit_code"]):
                bad(f"{path}:{n}: credit_code {r['employer']['credit_code']}")
            if not phone_ok(r["claimant"]["phone"]):
                bad(f"{path}:{n}: phone {r['claimant']['phone']}")
            if not amount_ok(r["amount"]) or not 800 <= r["amount"] <= 500000:
                bad(f"{path}:{n}: amount {r['amount']}")
            if r["channel"] not in CHANNELS or r["type"] not in TYPES:
                bad(f"{path}:{n}: channel/type")
            if not isinstance(r["workers"], int) or not 1 <= r["workers"] <= 60:
                bad(f"{path}:{n}: workers")
            for h in r["history"]:
                if not RFC3339.match(h["at"]):
                    bad(f"{path}:{n}: history time {h['at']}")
            ats = [h["at"] for h in r["history"]]
            if ats != sorted(ats) or ats[0] != r["received_at"]:
                bad(f"{path}:{n}: history out of order")
            if r["history"][-1]["to"] != r["status"]:
                bad(f"{path}:{n}: last history entry is not the status")
            if "agreement" in r and not amount_ok(r["agreement"]["amount"]):
                bad(f"{path}:{n}: agreement amount")
            st[r["status"]] += 1
            recs[r["id"]] = r
            order.append(r)
    print(f"store: {len(order)} records, {nbytes} bytes, "
          f"{nbytes / max(len(order), 1):.0f} bytes/record; "
          f"{len({r['employer']['name'] for r in order})} employers, "
          f"{len({r['employer']['credit_code'] for r in order})} codes, "
          f"{len({r['grid'] for r in order})} grids")
    print("  status:", dict(st))
    print("  channel:", dict(Counter(r["channel"] for r in order)))
    print("  type:", dict(Counter(r["type"] for r in order)))
    g = sum(1 for r in order if r["workers"] >= 10)
    print(f"  group cases (10+ workers): {g}; max amount "
          f"{max(r['amount'] for r in order)}, min {min(r['amount'] for r in order)}")
    return recs, order


def yuan(s):
    s = s.replace(",", "")
    if s.endswith("万"):
        return Decimal(s[:-1]) * 10000
    return Decimal(s)


def check_intake(path, order):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    want = "编号,申请人,身份证号,联系电话,用人单位,统一社会信用代码,涉及人数,涉及金额,案由,来源,受理时间,网格,诉求".split(",")
    if head != want:
        bad(f"{path}: header {head}")
    if len(rows) - 1 != len(order):
        bad(f"{path}: {len(rows) - 1} rows for {len(order)} store records")
    wan = grouped = 0
    for n, (row, r) in enumerate(zip(rows[1:], order), 2):
        if len(row) != 13:
            bad(f"{path}:{n}: {len(row)} fields")
            continue
        if row[0] != r["source_id"] or row[1] != r["claimant"]["name"] \
                or row[2] != r["claimant"]["id_no"] \
                or row[5] != r["employer"]["credit_code"] \
                or int(row[6]) != r["workers"] or row[12] != r["summary"]:
            bad(f"{path}:{n}: differs from store record {r['id']}")
        if yuan(row[7]) != r["amount"]:
            bad(f"{path}:{n}: amount {row[7]} vs {r['amount']}")
        wan += row[7].endswith("万")
        grouped += "," in row[7]
        if row[10].replace(" ", "T") + ":00+08:00" != r["received_at"]:
            bad(f"{path}:{n}: time {row[10]} vs {r['received_at']}")
    print(f"intake: {len(rows) - 1} rows match the store; {wan} amounts in 万, "
          f"{grouped} with thousands separators")


def check_events(path, recs, kind):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    seen = set()
    out = Counter()
    for n, e in enumerate(rows, 2):
        r = recs.get(e["id"])
        if r is None or e["id"] in seen:
            bad(f"{path}:{n}: unknown or repeated id {e['id']}")
            continue
        seen.add(e["id"])
        if not RFC3339.match(e["at"]) or e["at"] <= r["history"][-1]["at"]:
            bad(f"{path}:{n}: event time {e['at']}")
        if kind == "mediate":
            ok = (r["status"] == "routed" and e["outcome"] == "session") or \
                 (r["status"] == "mediating" and e["outcome"] in
                  ("session", "agreed", "failed", "withdrawn"))
            if e["outcome"] == "agreed" and not amount_ok(Decimal(e["amount"])):
                ok = False
            out[e["outcome"]] += 1
        else:
            ok = r["status"] == "agreed" and \
                (datetime.datetime.fromisoformat(e["at"]) -
                 datetime.datetime.fromisoformat(r["agreement"]["at"])).days < 30
            out[r["status"]] += 1
        if not ok:
            bad(f"{path}:{n}: event does not suit {r['id']} ({r['status']})")
    print(f"{kind} events: {len(rows)} ({100 * len(rows) / len(recs):.1f} % "
          f"of cases) {dict(out)}")


def main():
    a = sys.argv[1:]
    if not a:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    recs, order = check_store(a[0])
    if len(a) > 1:
        check_intake(a[1], order)
    if len(a) > 2:
        check_events(a[2], recs, "mediate")
    if len(a) > 3:
        check_events(a[3], recs, "confirm")
    if errors:
        print(f"check: {errors} problems", file=sys.stderr)
        sys.exit(1)
    print("check: all good")


if __name__ == "__main__":
    main()
