/*
 * fuzz_calendar.c - libFuzzer target for the two data files of the legal
 * clock: the bytes are read as a calendar file and as a law table (on
 * their own and on top of the built-in table).  Besides not crashing or
 * leaking, what parses must count sensibly: a working-day period ends on
 * a working day and holds exactly its count, a rolled period never ends
 * on a rest day, and no period ends before it starts; a provisional count
 * (past the calendar's years) agrees with the exact one where that one
 * has an answer and is marked where it has none; a law table that
 * parses must compute deadlines for records of several shapes.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_calendar.c \
 *       lib/calendar.c lib/law.c lib/record.c lib/jsonio.c \
 *       lib/jsonio_write.c lib/money.c lib/timefmt.c lib/err.c lib/mem.c \
 *       lib/buf.c -ljansson
 *   ./a.out tests/fuzz/corpus/calendar
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "law.h"
#include "mem.h"
#include "record.h"
#include "timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const records[][12] = {
	{ "status", "mediating", "track", "mediation", "received_at",
	  "2024-04-12T16:00:00+08:00", "priority", "key", "due_at",
	  "2024-04-13T16:00:00+08:00", NULL, NULL },
	{ "status", "agreed", "type", "wage-arrears", "agreement.at",
	  "2024-09-01T15:00:00+08:00", "agreement.due_at", "2024-09-20",
	  "received_at", "2024-08-20", NULL, NULL },
	{ "status", "escalated", "track", "arbitration", "received_at",
	  "2025-12-01", "history",
	  "[{\"at\":\"2025-12-10T09:00:00+08:00\",\"to\":\"escalated\"},1,{\"to\":\"escalated\"}]",
	  "arbitration.accepted_at", "bad", NULL, NULL },
	{ "status", "routed", "track", "inspection", "received_at",
	  "2026-12-30", "history", "not json", NULL, NULL, NULL, NULL },
};

static void check(int ok)
{
	if (!ok)
		abort();
}

/* A provisional count agrees with the exact one wherever that one has an
 * answer, and has an answer (marked provisional) wherever it has none. */
static void provisional(const struct cal *c, long long from, long n,
    int unit)
{
	long long exact = -1, due = -1;
	int ok, p = -1;
	struct err e;

	ok = cal_add(c, from, n, unit, &exact, &e) == 0;
	check(cal_add_prov(c, from, n, unit, &due, &p, &e) == 0);
	check(ok ? p == 0 && due == exact : p == 1);
	check(due >= from);
}

static void counting(struct cal *c)
{
	static const long ns[] = { 0, 1, 5, 15, 60, 400 };
	long long from, due;
	long k;
	size_t i, j;
	int w;
	struct err e;

	for (i = 0; i < c->ny && i < 4; i++) {
		from = tf_days_from_civil(c->y[i].year, 1, 1) + 100;
		for (j = 0; j < sizeof ns / sizeof ns[0]; j++) {
			c->first = CAL_FIRST_NEXT;
			c->roll = CAL_ROLL_NEXT;
			provisional(c, from, ns[j], CAL_WORKING_DAYS);
			provisional(c, from, ns[j], CAL_DAYS);
			provisional(c, from, ns[j], CAL_MONTHS);
			if (cal_add(c, from, ns[j], CAL_WORKING_DAYS, &due, &e) == 0) {
				check(due >= from);
				if (ns[j] > 0)
					check(cal_is_working_day(c, due, &e) == 1);
				check(cal_working_between(c, from, due, &k, &e) == 0);
				check(k == ns[j]);
			}
			if (cal_add(c, from, ns[j], CAL_DAYS, &due, &e) == 0) {
				check(due >= from + ns[j]);
				check(cal_is_working_day(c, due, &e) == 1);
			}
			if (cal_add(c, from, ns[j], CAL_YEARS, &due, &e) == 0)
				check(due >= from);
			c->first = CAL_FIRST_SAME;
			c->roll = CAL_ROLL_NONE;
			if (cal_add(c, from, ns[j], CAL_DAYS, &due, &e) == 0)
				check(due == from + (ns[j] ? ns[j] - 1 : 0));
			if ((w = cal_kind(c, from, &e)) >= 0)
				check(w == CAL_WORK || w == CAL_REST);
		}
	}
}

static void deadlines(const struct law *l, const struct cal *c)
{
	struct law_deadline d[LAW_MAX_RULES];
	struct buf b = BUF_INIT;
	struct tf_time now;
	struct rec r;
	struct err e;
	size_t i, j, n;

	if (tf_parse("2024-10-09T12:00", &now, &e) < 0)
		abort();
	for (i = 0; i < sizeof records / sizeof records[0]; i++) {
		rec_init(&r);
		for (j = 0; j < 12 && records[i][j] != NULL; j += 2)
			rec_set(&r, records[i][j],
			    strcmp(records[i][j], "history") ? REC_STR : REC_RAW,
			    records[i][j + 1], strlen(records[i][j + 1]), &e);
		if (law_deadlines(l, c, &r, now, d, LAW_MAX_RULES, &n, &e) == 0) {
			for (j = 0; j < n; j++) {
				check(j == 0 || d[j - 1].due <= d[j].due);
				buf_reset(&b);
				law_text(&d[j], LAW_EN, &b);
				law_text(&d[j], LAW_ZH, &b);
			}
			law_set_deadlines(&r, d, n, &e);
		}
		rec_free(&r);
	}
	law_final_award(l, 2760000, "东区网格", &e);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cal builtin;
	static int ready;
	const char *text = (const char *)data;
	struct cal c;
	struct law l;
	struct err e;

	if (!ready) {
		mem_setup();
		setenv("TZ", "Asia/Shanghai", 1);
		cal_init(&builtin);
		if (cal_load_builtin(&builtin, &e) < 0)
			abort();
		ready = 1;
	}
	cal_init(&c);
	if (cal_parse(&c, text, size, "fuzz", &e) == 0)
		counting(&c);
	cal_free(&c);

	law_init(&l);
	if (law_parse(&l, text, size, "fuzz", &e) == 0)
		deadlines(&l, &builtin);
	law_free(&l);
	law_init(&l);
	if (law_load_builtin(&l, &e) < 0)
		abort();
	if (law_parse(&l, text, size, "fuzz", &e) == 0)
		deadlines(&l, &builtin);
	law_free(&l);
	return 0;
}
