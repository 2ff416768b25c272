/*
 * test_report.c - report's arithmetic and parts that golden tests reach
 * only indirectly: window spans at month, year and daylight saving
 * boundaries, ISO week labels, rounding half up, exact duration
 * histograms, their merge and sort, partial group lines read by hand
 * and by jansson, the history scan over JSON written in
 * any spacing and key order, and the time-limit figures and --due list
 * through a partial aggregate and back.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "report_agg.h"
#include "window.h"
#include "unit.h"

static struct tf_time at(const char *s)
{
	struct tf_time t = { 0, 0 };
	struct err e;

	if (tf_parse(s, &t, &e) < 0)
		fprintf(stderr, "bad time %s: %s\n", s, e.msg);
	return t;
}

static void check_span(const char *now, const char *w, const char *start,
    const char *end)
{
	long long s, u;
	struct err e;

	CHECK(win_span(w, at(now), &s, &u, &e) == 0);
	CHECK_INT(s, at(start).t);
	CHECK_INT(u, at(end).t);
}

static void test_words(void)
{
	const char *now = "2024-04-30T12:00:00+08:00";	/* a Tuesday */
	long long s, u;
	struct err e;

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	check_span(now, "today", "2024-04-30", "2024-05-01");
	check_span(now, "yesterday", "2024-04-29", "2024-04-30");
	check_span(now, "this-week", "2024-04-29", "2024-05-06");
	check_span(now, "last-week", "2024-04-22", "2024-04-29");
	check_span(now, "this-month", "2024-04-01", "2024-05-01");
	check_span(now, "last-month", "2024-03-01", "2024-04-01");
	check_span(now, "this-year", "2024-01-01", "2025-01-01");
	check_span(now, "last-year", "2023-01-01", "2024-01-01");
	check_span(now, "2024-02", "2024-02-01", "2024-03-01");
	check_span(now, "2023", "2023-01-01", "2024-01-01");
	check_span(now, "2024年4月11日", "2024-04-11", "2024-04-12");
	check_span(now, "-7d", "2024-04-23T12:00:00+08:00", "2024-04-23T12:00:00+08:00");
	check_span(now, "-12h", "2024-04-30T00:00:00+08:00", "2024-04-30T00:00:00+08:00");
	check_span(now, "2024-04-11 09:30", "2024-04-11 09:30", "2024-04-11 09:30");
	/* January: last month is last year's December */
	check_span("2025-01-15T08:00:00+08:00", "last-month", "2024-12-01", "2025-01-01");
	/* Sunday belongs to the week that started on Monday before it */
	check_span("2024-05-05T23:59:00+08:00", "this-week", "2024-04-29", "2024-05-06");
	/* Monday 00:00 starts a new week */
	check_span("2024-05-06T00:00:00+08:00", "this-week", "2024-05-06", "2024-05-13");
	/* the local day, not the UTC one: 07:00 in Shanghai is the day before in UTC */
	check_span("2024-04-30T07:00:00+08:00", "today", "2024-04-30", "2024-05-01");
	CHECK(win_span("tomorrowish", at(now), &s, &u, &e) < 0);
	CHECK(win_span("-7x", at(now), &s, &u, &e) < 0);
	CHECK(win_span("2024-13", at(now), &s, &u, &e) < 0);

	/* a week across the end of daylight saving is 169 hours long */
	setenv("TZ", "America/New_York", 1);
	tzset();
	CHECK(win_span("this-week", at("2024-11-01T12:00:00-04:00"), &s, &u, &e) == 0);
	CHECK_INT(u - s, 169 * 3600);
	CHECK_INT(s, at("2024-10-28T00:00:00-04:00").t);
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
}

static void check_label(const char *t, int unit, const char *want)
{
	char b[32];

	win_label(at(t).t, unit, b, sizeof b);
	CHECK_STR(b, want);
}

static void test_labels(void)
{
	check_label("2024-04-11T09:00:00+08:00", WIN_DAY, "2024-04-11");
	/* 23:30 UTC on the 10th is the 11th in Shanghai */
	check_label("2024-04-10T23:30:00Z", WIN_DAY, "2024-04-11");
	check_label("2024-04-11T09:00:00+08:00", WIN_WEEK, "2024-W15");
	check_label("2024-12-30T09:00:00+08:00", WIN_WEEK, "2025-W01");
	check_label("2021-01-03T09:00:00+08:00", WIN_WEEK, "2020-W53");
	check_label("2024-01-01T00:00:00+08:00", WIN_WEEK, "2024-W01");
	check_label("2024-04-11T09:00:00+08:00", WIN_MONTH, "2024-04");
	check_label("2024-12-31T23:59:59+08:00", WIN_YEAR, "2024");
	check_label("2024-12-31T16:00:00Z", WIN_YEAR, "2025");
}

static void test_time(void)
{
	long long t;
	struct err e;

	CHECK(win_time("2024-04-11T09:30:00+08:00", &t, &e) == 0);
	CHECK_INT(t, 1712799000);
	CHECK(win_time("2024-04-11T01:30:00Z", &t, &e) == 0);
	CHECK_INT(t, 1712799000);
	CHECK(win_time("2024-04-11T01:30:00.123Z", &t, &e) == 0);
	CHECK_INT(t, 1712799000);
	CHECK(win_time("2024-04-11 09:30", &t, &e) == 0);	/* slow path */
	CHECK_INT(t, 1712799000);
	CHECK(win_time("2023-02-30T00:00:00+08:00", &t, &e) < 0);
	CHECK(win_time("2024-04-11T24:00:00+08:00", &t, &e) < 0);
	CHECK(win_time("soon", &t, &e) < 0);
	/* dates are remembered: a known one with a bad time, the day
	 * before the epoch (day -1), and a date of the same slot */
	CHECK(win_time("2024-04-11T09:61:00+08:00", &t, &e) < 0);
	CHECK(win_time("1969-12-31T23:00:00Z", &t, &e) == 0);
	CHECK_INT(t, -3600);
	CHECK(win_time("1969-12-31T22:00:00Z", &t, &e) == 0);
	CHECK_INT(t, -7200);
	CHECK(win_time("2024-04-11T09:30:00+08:00", &t, &e) == 0);
	CHECK_INT(t, 1712799000);
	CHECK(win_time("2023-02-30T00:00:00+08:00", &t, &e) < 0);
}

static void test_rounding(void)
{
	char b[32];

	CHECK_INT(report_pct(7, 10), 7000);
	CHECK_INT(report_pct(2, 3), 6667);
	CHECK_INT(report_pct(1, 3), 3333);
	CHECK_INT(report_pct(5, 8), 6250);
	CHECK_INT(report_pct(1, 20000), 1);	/* 0.005 % rounds up */
	CHECK_INT(report_pct(1, 20001), 0);
	CHECK_INT(report_pct(2010, 2150), 9349);	/* 93.488.. */
	CHECK_INT(report_hours(1), 2);		/* 0.0166.. h -> 0.02 */
	CHECK_INT(report_hours(30), 50);
	CHECK_INT(report_hours(4320), 7200);
	report_fix2(b, sizeof b, 6667);
	CHECK_STR(b, "66.67");
	report_fix2(b, sizeof b, 5);
	CHECK_STR(b, "0.05");
	report_fix2(b, sizeof b, 0);
	CHECK_STR(b, "0.00");
}

static void test_hist(void)
{
	struct hist a, b;
	long long *pairs;
	size_t n;
	int i;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	CHECK(hist_sorted(&a, &pairs, &n) == 0);
	CHECK_INT(hist_percentile(pairs, n, 50), -1);
	mem_free(pairs);
	/* 1..10000 minutes, split over two histograms by parity */
	for (i = 1; i <= 10000; i++)
		CHECK(hist_add(i % 2 ? &a : &b, i, 1) == 0);
	CHECK(hist_merge(&a, &b) == 0);
	CHECK_INT(a.n, 10000);
	CHECK(hist_sorted(&a, &pairs, &n) == 0);
	CHECK_INT(n, 10000);
	CHECK_INT(pairs[0], 1);
	CHECK_INT(pairs[2 * 9999], 10000);
	CHECK_INT(hist_percentile(pairs, n, 50), 5000);
	CHECK_INT(hist_percentile(pairs, n, 90), 9000);
	CHECK_INT(hist_percentile(pairs, n, 100), 10000);
	mem_free(pairs);
	/* counts add up in one slot */
	hist_free(&b);
	CHECK(hist_add(&b, 7, 3) == 0);
	CHECK(hist_add(&b, 7, 4) == 0);
	CHECK(hist_add(&b, 1, 1) == 0);
	CHECK(hist_sorted(&b, &pairs, &n) == 0);
	CHECK_INT(n, 2);
	CHECK_INT(pairs[3], 7);
	CHECK_INT(hist_percentile(pairs, n, 10), 1);	/* rank ceil(0.8) = 1 */
	CHECK_INT(hist_percentile(pairs, n, 50), 7);	/* rank 4 */
	mem_free(pairs);
	hist_free(&a);
	hist_free(&b);
}

/* A case counted into an aggregate without --by: the one group. */
static struct group *count(struct agg *a, const char *status,
    const char *history, int want)
{
	struct rec r;
	struct err e;
	int rc;

	rec_init(&r);
	rec_sets(&r, "id", "T1", &e);
	rec_sets(&r, "received_at", "2024-04-01T09:00:00+08:00", &e);
	rec_sets(&r, "status", status, &e);
	if (history != NULL)
		rec_set(&r, "history", REC_RAW, history, strlen(history), &e);
	rc = agg_record(a, &r, &e);
	CHECK_INT(rc, want);
	if (rc != want)
		fprintf(stderr, "  %s\n", e.msg);
	rec_free(&r);
	return agg_group(a, "", 0);
}

static void test_history(void)
{
	struct report_opts o;
	struct agg a;
	struct err e;
	struct group *g;

	report_defaults(&o);
	o.now = at("2024-04-30T12:00:00+08:00");
	CHECK(agg_init(&a, &o, &e) == 0);
	/* spaced, keys in another order, a nested note, an escaped quote */
	g = count(&a, "confirmed", "[ {\"to\" : \"mediating\", \"at\" : "
	    "\"2024-04-02T09:00:00+08:00\"} , { \"note\": {\"to\":\"failed\"},"
	    " \"by\": \"a \\\"b\\\"\", \"to\": \"agreed\", \"at\": "
	    "\"2024-04-03T09:00:00+08:00\" }, {\"at\":\"2024-04-05T09:00:00Z\","
	    "\"to\":\"confirmed\"}]", 0);
	CHECK_INT(g->c[F_AGREED], 1);
	CHECK_INT(g->c[F_FAILED], 0);
	CHECK_INT(g->c[F_CONFIRMED], 1);
	CHECK_INT(g->c[F_ST_CONFIRMED], 1);
	/* the last outcome wins: failed, then agreed after re-mediation */
	g = count(&a, "agreed", "[{\"at\":\"2024-04-02T09:00:00+08:00\",\"to\":\"failed\"},"
	    "{\"at\":\"2024-04-04T09:00:00+08:00\",\"to\":\"agreed\"}]", 0);
	CHECK_INT(g->c[F_AGREED], 2);
	CHECK_INT(g->c[F_FAILED], 0);
	CHECK_INT(g->c[F_MEDIATED], 2);
	/* new cases: the history is not even looked at */
	g = count(&a, "new", "[{\"at\":\"x\",\"to\":\"agreed\"}]", 0);
	CHECK_INT(g->c[F_AGREED], 2);
	CHECK_INT(g->c[F_CASES], 3);
	/* a bad "at" in a history entry that counts: not counted */
	count(&a, "failed", "[{\"at\":\"soon\",\"to\":\"failed\"}]", 1);
	CHECK_INT(a.rejected, 1);
	/* an unknown status is status_other and open */
	g = count(&a, "paused", NULL, 0);
	CHECK_INT(g->c[F_ST_OTHER], 1);
	CHECK_INT(g->c[F_OPEN], 4);
	/* a note ending in an escaped backslash: its string ends at the
	 * quote after the pair, and the entry's "to" is still read */
	g = count(&a, "failed", "[{\"note\":\"a\\\\\",\"to\":\"failed\","
	    "\"at\":\"2024-04-06T09:00:00+08:00\"}]", 0);
	CHECK_INT(g->c[F_FAILED], 1);
	agg_free(&a);
}

/* One case for the time-limit tests: fields as name, value pairs. */
static int add_case(struct agg *a, const char *const *kv, struct err *e)
{
	struct rec r;
	int rc;

	rec_init(&r);
	for (; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], "history") == 0)
			rec_set(&r, kv[0], REC_RAW, kv[1], strlen(kv[1]), e);
		else
			rec_sets(&r, kv[0], kv[1], e);
	rc = agg_record(a, &r, e);
	rec_free(&r);
	return rc;
}

/* The --due rows whose last day is provisional. */
static int prov_rows(const struct agg *a)
{
	size_t i;
	int n = 0;

	for (i = 0; i < a->ndu; i++)
		n += a->du[i].prov != 0;
	return n;
}

static void test_time_limits(void)
{
	static const char *const in_limit[] = {	/* agreed on day 15 */
		"id", "L1", "received_at", "2024-04-03T10:00:00+08:00",
		"status", "agreed", "track", "mediation",
		"agreement.at", "2024-04-18T23:00:00+08:00", NULL
	};
	static const char *const late[] = {	/* day 16, in UTC: 04-19 */
		"id", "L2", "received_at", "2024-04-03T10:00:00+08:00",
		"status", "agreed", "track", "mediation",
		"agreement.at", "2024-04-19T01:00:00Z", NULL
	};
	static const char *const open_past[] = {
		"id", "L3", "received_at", "2024-04-03T10:00:00+08:00",
		"status", "mediating", "track", "joint-mediation",
		"assignee", "王敏", NULL
	};
	static const char *const other_track[] = {	/* not judged */
		"id", "L4", "received_at", "2024-04-03T10:00:00+08:00",
		"status", "agreed", "track", "legal-aid",
		"agreement.at", "2024-04-30T10:00:00+08:00", NULL
	};
	static const char *const confirmed_late[] = {
		"id", "L5", "received_at", "2024-04-03T10:00:00+08:00",
		"status", "confirmed", "track", "mediation",
		"agreement.at", "2024-04-05T10:00:00+08:00",
		"confirmation.applied_at", "2024-05-07T10:00:00+08:00",
		"confirmation.at", "2024-05-08T10:00:00+08:00", NULL
	};
	/* counted all the same, its dates provisional: 2019 is not in the
	 * calendar */
	static const char *const too_old[] = {
		"id", "L6", "received_at", "2019-04-03T10:00:00+08:00",
		"status", "agreed", "track", "mediation",
		"agreement.at", "2019-04-05T10:00:00+08:00", NULL
	};
	struct report_opts o;
	struct agg a, m;
	struct law law;
	struct cal cal;
	struct group *g;
	struct err e;
	FILE *f = NULL;
	char path[] = "/tmp/test_report.XXXXXX";
	int fd, seen = 0;

	law_init(&law);
	cal_init(&cal);
	CHECK(law_load_builtin(&law, &e) == 0 && cal_load_builtin(&cal, &e) == 0);
	report_defaults(&o);
	o.now = at("2024-06-10T12:00:00+08:00");
	o.law = &law;
	o.cal = &cal;
	o.view = REPORT_DUE;
	o.within = 0;
	CHECK(agg_init(&a, &o, &e) == 0);
	CHECK_INT(add_case(&a, in_limit, &e), 0);
	CHECK_INT(add_case(&a, late, &e), 0);
	CHECK_INT(add_case(&a, open_past, &e), 0);
	CHECK_INT(add_case(&a, other_track, &e), 0);
	CHECK_INT(add_case(&a, confirmed_late, &e), 0);
	CHECK_INT(add_case(&a, too_old, &e), 0);
	CHECK(cal_missing(&cal, path, sizeof path) == 1 &&
	    strcmp(path, "2019") == 0);
	strcpy(path, "/tmp/test_report.XXXXXX");
	g = agg_group(&a, "", 0);
	CHECK_INT(g->c[F_AGREED], 5);
	CHECK_INT(g->c[F_IN_LIMIT], 3);	/* L1, L5, L6 */
	CHECK_INT(g->c[F_AFTER_LIMIT], 1);	/* L2 */
	CHECK_INT(g->c[F_PAST_LIMIT], 1);	/* L3 */
	CHECK_INT(g->c[F_CONFIRMED], 1);
	CHECK_INT(g->c[F_CONF_IN_WINDOW], 0);	/* day 32: window ended 05-06 */
	/* L1 (05-20), L2 (05-20), L4 (05-30), L6 (2019): windows gone
	 * without one */
	CHECK_INT(g->c[F_CONF_MISSED], 4);
	CHECK_INT(a.rejected, 0);
	/* --due lists L3's passed mediation limit, and the agreed cases'
	 * passed windows (L6's two provisional); nothing of the confirmed
	 * case */
	CHECK_INT(a.ndu, 9);
	CHECK_INT(prov_rows(&a), 2);
	/* through a partial and back: the same figures and list */
	CHECK((fd = mkstemp(path)) >= 0 && (f = fdopen(fd, "w")) != NULL);
	CHECK(agg_partial_write(&a, f, &e) == 0);
	CHECK(fclose(f) == 0);
	/* a merge: the view comes from the partial; a --due merge words the
	 * deadlines from its own law table, so it must be the partial's */
	o.view = REPORT_FIGURES;
	CHECK(agg_init(&m, &o, &e) == 0);
	CHECK(agg_partial_read(&m, path, &seen, &e) == 0);
	CHECK_INT(m.view, REPORT_DUE);
	CHECK_INT(m.within, 0);
	CHECK_INT(m.rejected, 0);
	CHECK_INT(m.ndu, 9);
	CHECK_INT(prov_rows(&m), 2);	/* the mark goes through a partial */
	g = agg_group(&m, "", 0);
	CHECK_INT(g->c[F_IN_LIMIT], 3);
	CHECK_INT(g->c[F_AFTER_LIMIT], 1);
	CHECK_INT(g->c[F_PAST_LIMIT], 1);
	CHECK_INT(g->c[F_CONF_MISSED], 4);
	/* a second partial made for another view is refused */
	m.view = REPORT_RISK;
	CHECK(agg_partial_read(&m, path, &seen, &e) < 0);
	CHECK(strstr(e.msg, "--due, not for --risk") != NULL);
	unlink(path);
	agg_free(&m);
	law_free(&law);
	cal_free(&cal);
	agg_free(&a);
}

/* Minutes of one, two, three and six bytes: the radix sort's passes,
 * even and odd in number. */
static void test_hist_sort(void)
{
	static const long long mins[] = {
		70000, 3, 1LL << 40, 255, 256, 0, 65535, 65536, 1
	};
	static const long long want[] = {
		0, 1, 3, 255, 256, 65535, 65536, 70000, 1LL << 40
	};
	struct hist h;
	long long *pairs;
	size_t i, n;

	memset(&h, 0, sizeof h);
	for (i = 0; i < sizeof mins / sizeof mins[0]; i++)
		CHECK(hist_add(&h, mins[i], (long long)i + 1) == 0);
	CHECK(hist_sorted(&h, &pairs, &n) == 0);
	CHECK_INT(n, sizeof want / sizeof want[0]);
	for (i = 0; i < n; i++)
		CHECK_INT(pairs[2 * i], want[i]);
	CHECK_INT(pairs[2 * 8 + 1], 3);		/* 1 << 40 came third */
	mem_free(pairs);
	hist_free(&h);
	CHECK(hist_add(&h, 9, 1) == 0);		/* one byte: one pass */
	CHECK(hist_add(&h, 2, 1) == 0);
	CHECK(hist_sorted(&h, &pairs, &n) == 0);
	CHECK_INT(n, 2);
	CHECK_INT(pairs[0], 2);
	CHECK_INT(pairs[2], 9);
	mem_free(pairs);
	hist_free(&h);
}

/* Read partial lines from text; 0 or -1 as agg_partial_read. */
static int read_text(struct agg *a, const char *text, int *seen,
    struct err *e)
{
	char path[] = "/tmp/test_report.XXXXXX";
	int fd, rc;
	FILE *f;

	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fputs(text, f);
	fclose(f);
	rc = agg_partial_read(a, path, seen, e);
	unlink(path);
	return rc;
}

/*
 * Group lines of the writer's own shape are read by hand, any other
 * spelling by jansson: both must come to the same group, and a line
 * that is not JSON (a duplicate key) must fail either way.
 */
static void test_partial_lines(void)
{
	static const char head[] = "{\"onedoor\":\"report-partial\","
	    "\"version\":3,\"view\":\"figures\",\"within\":7,"
	    "\"by\":[\"type\",\"channel\"],\"now\":0,\"since\":null,"
	    "\"until\":null,\"rejected\":0,\"law\":\"0000000000000000\","
	    "\"calendar\":\"0000000000000000\"}\n";
	struct report_opts o;
	struct agg a;
	struct group *g;
	struct err e;
	long long *pairs;
	size_t n;
	int seen = 0;
	char text[1024];

	report_defaults(&o);
	CHECK(agg_init(&a, &o, &e) == 0);
	snprintf(text, sizeof text, "%s%s%s%s%s", head,
	    "{\"g\":[\"合同\",\"online\"],\"c\":{\"cases\":2,\"closed\":2},"
	    "\"d\":[[5,1],[70000,1]]}\n",
	    "{\"g\": [\"合同\", \"online\"], \"c\": {\"cases\": 3}, "
	    "\"d\": [[5, 2]]}\n",
	    "{\"g\":[\"a\\\"b\",\"\"],\"c\":{\"cases\":-1},\"d\":[]}\n",
	    "{\"g\":[],\"c\":{},\"d\":[]}\n");
	CHECK(read_text(&a, text, &seen, &e) == 0);
	CHECK_INT(a.ngroups, 3);
	g = agg_group(&a, "合同\0online", strlen("合同") + 7);
	CHECK_INT(g->c[F_CASES], 5);
	CHECK_INT(g->c[F_CLOSED], 2);
	CHECK(hist_sorted(&g->h, &pairs, &n) == 0);
	CHECK_INT(n, 2);
	CHECK_INT(pairs[0], 5);
	CHECK_INT(pairs[1], 3);
	CHECK_INT(pairs[2], 70000);
	mem_free(pairs);
	g = agg_group(&a, "a\"b", 4);
	CHECK_INT(g->c[F_CASES], -1);
	CHECK_INT(a.ngroups, 3);
	/* a duplicate figure, a rate, a real number: jansson's word */
	CHECK(read_text(&a, "{\"g\":[\"x\",\"y\"],\"c\":{\"cases\":1,"
	    "\"cases\":2},\"d\":[]}\n", &seen, &e) < 0);
	CHECK(strstr(e.msg, "not a JSON object") != NULL);
	CHECK(read_text(&a, "{\"g\":[\"x\",\"y\"],\"c\":{\"success_rate\":1},"
	    "\"d\":[]}\n", &seen, &e) < 0);
	CHECK(strstr(e.msg, "bad figure") != NULL);
	CHECK(read_text(&a, "{\"g\":[\"x\",\"y\"],\"c\":{},"
	    "\"d\":[[1.5,1]]}\n", &seen, &e) < 0);
	CHECK(strstr(e.msg, "bad duration") != NULL);
	agg_free(&a);
}

int main(void)
{
	mem_setup();
	test_words();
	test_labels();
	test_time();
	test_rounding();
	test_hist();
	test_hist_sort();
	test_partial_lines();
	test_history();
	test_time_limits();
	return unit_done("test_report");
}
