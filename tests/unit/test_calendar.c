/*
 * test_calendar.c - the holiday calendar: the shipped file against the
 * built-in table, working and rest days around the 2023-2026 holidays,
 * counting periods (first day, rolling off rest days, working days
 * across National Day and its make-up Saturday), unknown years, and the
 * file format's errors.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "mem.h"
#include "timefmt.h"
#include "unit.h"

static long long D(const char *s)
{
	long long d = 0;
	struct err e;

	if (cal_parse_date(s, strlen(s), &d, &e) < 0) {
		fprintf(stderr, "bad date in test: %s\n", s);
		exit(2);
	}
	return d;
}

static const char *F(long long d)
{
	static char b[4][16];
	static int i;

	i = (i + 1) % 4;
	return cal_fmt(d, b[i], sizeof b[i]);
}

/* The data file says exactly what the built-in table says. */
static void test_builtin_matches_file(void)
{
	struct cal f, b;
	struct err e;
	size_t i;
	int doy;
	const char *nf, *nb;

	cal_init(&f);
	cal_init(&b);
	CHECK(cal_load(&f, "data/calendar-cn.txt", &e) == 0);
	CHECK(cal_load_builtin(&b, &e) == 0);
	CHECK_INT(f.ny, b.ny);
	CHECK_INT(f.ny, 4);
	for (i = 0; i < f.ny && i < b.ny; i++) {
		CHECK_INT(f.y[i].year, b.y[i].year);
		CHECK(memcmp(f.y[i].flag, b.y[i].flag, sizeof f.y[i].flag) == 0);
		for (doy = 0; doy < 366; doy++) {
			long long d = tf_days_from_civil(f.y[i].year, 1, 1) + doy;

			nf = cal_holiday(&f, d);
			nb = cal_holiday(&b, d);
			if ((nf == NULL) != (nb == NULL) ||
			    (nf && strcmp(nf, nb) != 0)) {
				CHECK_STR(nb, nf ? nf : "(none)");
				break;
			}
		}
	}
	/* the digest sees what the calendar says, not its comments */
	CHECK(cal_digest(&f) == cal_digest(&b));
	{
		const char *t = "# one more holiday\n2024-03-08 holiday 妇女节\n";

		CHECK(cal_parse(&f, t, strlen(t), "t", &e) == 0);
		CHECK(cal_digest(&f) != cal_digest(&b));
	}
	cal_free(&f);
	cal_free(&b);
}

static int work(const struct cal *c, const char *s)
{
	struct err e;

	return cal_is_working_day(c, D(s), &e);
}

static void test_days(const struct cal *c)
{
	char years[64];

	CHECK_STR(cal_years(c, years, sizeof years), "2023-2026");
	/* National Day 2024: 9-29 (Sunday) and 10-12 (Saturday) worked */
	CHECK_INT(work(c, "2024-09-28"), 0);	/* Saturday */
	CHECK_INT(work(c, "2024-09-29"), 1);	/* Sunday, make-up */
	CHECK_INT(work(c, "2024-09-30"), 1);
	CHECK_INT(work(c, "2024-10-01"), 0);
	CHECK_INT(work(c, "2024-10-04"), 0);	/* Friday in the holiday */
	CHECK_INT(work(c, "2024-10-07"), 0);	/* Monday in the holiday */
	CHECK_INT(work(c, "2024-10-08"), 1);
	CHECK_INT(work(c, "2024-10-12"), 1);	/* Saturday, make-up */
	CHECK_INT(work(c, "2024-10-13"), 0);
	CHECK_STR(cal_holiday(c, D("2024-10-03")), "国庆节");
	CHECK_STR(cal_holiday(c, D("2024-10-12")), "国庆节调休");
	CHECK(cal_holiday(c, D("2024-10-13")) == NULL);
	/* 2023: New Year from Saturday 2022-12-31, Spring Festival */
	CHECK_INT(work(c, "2023-01-02"), 0);
	CHECK_INT(work(c, "2023-01-03"), 1);
	CHECK_INT(work(c, "2023-01-28"), 1);
	CHECK_INT(work(c, "2023-01-29"), 1);
	CHECK_INT(work(c, "2023-10-06"), 0);
	CHECK_INT(work(c, "2023-10-07"), 1);
	/* 2024: Spring Festival Eve was encouraged, not ordered, as rest */
	CHECK_INT(work(c, "2024-02-09"), 1);
	CHECK_INT(work(c, "2024-02-18"), 1);
	/* 2025: Spring Festival from the Eve, Labour Day to 5 May */
	CHECK_INT(work(c, "2025-01-26"), 1);
	CHECK_INT(work(c, "2025-01-28"), 0);
	CHECK_INT(work(c, "2025-02-04"), 0);
	CHECK_INT(work(c, "2025-02-05"), 1);
	CHECK_INT(work(c, "2025-02-08"), 1);
	CHECK_INT(work(c, "2025-05-05"), 0);
	CHECK_INT(work(c, "2025-05-06"), 1);
	CHECK_INT(work(c, "2025-10-08"), 0);
	CHECK_INT(work(c, "2025-10-11"), 1);
	/* 2026: nine days of Spring Festival */
	CHECK_INT(work(c, "2026-01-04"), 1);
	CHECK_INT(work(c, "2026-02-14"), 1);
	CHECK_INT(work(c, "2026-02-23"), 0);
	CHECK_INT(work(c, "2026-02-28"), 1);
	CHECK_INT(work(c, "2026-10-10"), 1);
	/* an ordinary week */
	CHECK_INT(work(c, "2024-04-12"), 1);	/* Friday */
	CHECK_INT(work(c, "2024-04-13"), 0);
	CHECK_INT(work(c, "2024-04-14"), 0);
}

static const char *add(struct cal *c, const char *from, long n, int unit)
{
	long long due = 0;
	struct err e;

	if (cal_add(c, D(from), n, unit, &due, &e) < 0)
		return "error";
	return F(due);
}

static void test_counting(struct cal *c)
{
	long n = 0;
	struct err e;

	/* day of the event not counted: day 15 of a period from 04-12 */
	CHECK_STR(add(c, "2024-04-12", 0, CAL_DAYS), "2024-04-12");
	/* 2024-04-27 was a Saturday at rest; Sunday 04-28 was worked for
	 * Labour Day */
	CHECK_INT(work(c, "2024-04-27"), 0);
	c->roll = CAL_ROLL_NONE;
	CHECK_STR(add(c, "2024-04-12", 15, CAL_DAYS), "2024-04-27");
	c->roll = CAL_ROLL_NEXT;
	/* with rolling, Saturday 04-27 moves to Sunday 04-28, a make-up day */
	CHECK_STR(add(c, "2024-04-12", 15, CAL_DAYS), "2024-04-28");
	/* a window closing in the National Day week moves past it */
	CHECK_STR(add(c, "2024-09-01", 30, CAL_DAYS), "2024-10-08");
	c->roll = CAL_ROLL_NONE;
	CHECK_STR(add(c, "2024-09-01", 30, CAL_DAYS), "2024-10-01");
	c->roll = CAL_ROLL_NEXT;
	/* the event day counted as day 1 */
	c->first = CAL_FIRST_SAME;
	CHECK_STR(add(c, "2024-04-12", 15, CAL_DAYS), "2024-04-26");
	CHECK_STR(add(c, "2024-09-27", 5, CAL_WORKING_DAYS), "2024-10-09");
	CHECK_STR(add(c, "2024-09-28", 1, CAL_WORKING_DAYS), "2024-09-29");
	c->first = CAL_FIRST_NEXT;

	/* working days across National Day 2024 and its make-up days:
	 * 09-29 Sun (1), 09-30 (2), 10-01..07 rest, 10-08 (3) ... */
	CHECK_STR(add(c, "2024-09-27", 1, CAL_WORKING_DAYS), "2024-09-29");
	CHECK_STR(add(c, "2024-09-27", 2, CAL_WORKING_DAYS), "2024-09-30");
	CHECK_STR(add(c, "2024-09-27", 3, CAL_WORKING_DAYS), "2024-10-08");
	CHECK_STR(add(c, "2024-09-27", 5, CAL_WORKING_DAYS), "2024-10-10");
	/* ... 10-11 Fri (6), 10-12 Sat make-up (7), 10-14 Mon (8) */
	CHECK_STR(add(c, "2024-09-27", 7, CAL_WORKING_DAYS), "2024-10-12");
	CHECK_STR(add(c, "2024-09-27", 8, CAL_WORKING_DAYS), "2024-10-14");
	CHECK(cal_working_between(c, D("2024-09-27"), D("2024-10-14"), &n, &e) == 0);
	CHECK_INT(n, 8);
	CHECK(cal_working_between(c, D("2024-10-14"), D("2024-09-27"), &n, &e) == 0);
	CHECK_INT(n, -8);
	/* 60 working days from 2024-08-01: 21 in August after the 1st, 21
	 * in September (09-14 and 09-29 worked, 09-16/17 off), the 18th of
	 * October (10-12 worked) is 10-30 */
	CHECK_STR(add(c, "2024-08-01", 60, CAL_WORKING_DAYS), "2024-10-30");
	CHECK(cal_working_between(c, D("2024-08-01"), D("2024-10-30"), &n, &e) == 0);
	CHECK_INT(n, 60);

	/* months and years: the corresponding day, else the month's end */
	CHECK_STR(add(c, "2024-01-31", 1, CAL_MONTHS), "2024-02-29");
	CHECK_STR(add(c, "2024-02-29", 1, CAL_YEARS), "2025-02-28");
	CHECK_STR(add(c, "2023-04-10", 1, CAL_YEARS), "2024-04-10");
	/* a year ending on Spring Festival 2025 rolls past it */
	CHECK_STR(add(c, "2024-01-29", 1, CAL_YEARS), "2025-02-05");
	{
		long long due;

		CHECK(cal_add(c, D("2024-01-01"), -1, CAL_DAYS, &due, &e) < 0);
	}
}

static void test_unknown_year(struct cal *c)
{
	long long due = 0;
	struct err e;

	CHECK_INT(cal_is_working_day(c, D("2027-01-05"), &e), -1);
	CHECK(strstr(e.msg, "2027-01-05") != NULL);
	CHECK(strstr(e.msg, "2023-2026") != NULL);
	CHECK_INT(cal_is_working_day(c, D("2022-12-30"), &e), -1);
	CHECK(strstr(e.msg, "2022-12-30") != NULL);
	/* a period ending in an unknown year fails rather than guess */
	CHECK(cal_add(c, D("2026-12-20"), 15, CAL_DAYS, &due, &e) < 0);
	CHECK(strstr(e.msg, "2027-01-04") != NULL);
	/* ... even when the event day itself is known */
	CHECK(cal_add(c, D("2026-12-25"), 10, CAL_WORKING_DAYS, &due, &e) < 0);
	CHECK(strstr(e.msg, "2027-01-0") != NULL);
	/* without rolling no day needs the calendar */
	c->roll = CAL_ROLL_NONE;
	CHECK(cal_add(c, D("2026-12-20"), 15, CAL_DAYS, &due, &e) == 0);
	CHECK_STR(F(due), "2027-01-04");
	c->roll = CAL_ROLL_NEXT;
}

/* cal_add_prov: from n units, the day and whether it is provisional. */
static const char *prov(struct cal *c, const char *from, long n, int unit,
    int *p)
{
	static char buf[16];
	static struct err e;
	long long due;

	*p = -1;
	if (cal_add_prov(c, D(from), n, unit, &due, p, &e) < 0)
		return e.msg;
	return cal_fmt(due, buf, sizeof buf);
}

/*
 * Past the calendar's years a deadline is counted all the same, with
 * Saturday and Sunday the only rest days of the years it lacks, the
 * years it knows as ever, and the same counting and roll rules.
 */
static void test_provisional(void)
{
	struct cal c;
	struct err e;
	long long due;
	char years[64];
	int p;

	cal_init(&c);
	CHECK(cal_load_builtin(&c, &e) == 0);
	CHECK(cal_missing(&c, years, sizeof years) == 0);
	CHECK_STR(years, "");
	/* within the years known: exact */
	CHECK_STR(prov(&c, "2024-04-03", 15, CAL_DAYS, &p), "2024-04-18");
	CHECK_INT(p, 0);
	CHECK_STR(prov(&c, "2026-09-30", 1, CAL_WORKING_DAYS, &p), "2026-10-08");
	CHECK_INT(p, 0);
	CHECK(cal_missing(&c, years, sizeof years) == 0);
	/* day 15 is Monday 2027-01-04: a working day by weekends alone */
	CHECK_STR(prov(&c, "2026-12-20", 15, CAL_DAYS, &p), "2027-01-04");
	CHECK_INT(p, 1);
	/* day 30 is Saturday 2027-01-30: rolls to Monday */
	CHECK_STR(prov(&c, "2026-12-31", 30, CAL_DAYS, &p), "2027-02-01");
	CHECK_INT(p, 1);
	/* without roll: 2027-01-30 itself, needing no calendar: exact */
	c.roll = CAL_ROLL_NONE;
	CHECK_STR(prov(&c, "2026-12-31", 30, CAL_DAYS, &p), "2027-01-30");
	CHECK_INT(p, 0);
	c.roll = CAL_ROLL_NEXT;
	/* working days: 12-28..12-31 known, Friday 2027-01-01 a working day
	 * (no holiday is guessed), then 01-04..01-08 */
	CHECK_STR(prov(&c, "2026-12-25", 10, CAL_WORKING_DAYS, &p), "2027-01-08");
	CHECK_INT(p, 1);
	/* the same event day, counted from itself */
	c.first = CAL_FIRST_SAME;
	CHECK_STR(prov(&c, "2027-01-01", 1, CAL_WORKING_DAYS, &p), "2027-01-01");
	CHECK_INT(p, 1);
	CHECK_STR(prov(&c, "2027-01-02", 1, CAL_WORKING_DAYS, &p), "2027-01-04");
	CHECK_INT(p, 1);
	c.first = CAL_FIRST_NEXT;
	/* months and years: one year from 2026-02-06 is Saturday 2027-02-06 */
	CHECK_STR(prov(&c, "2026-02-06", 1, CAL_YEARS, &p), "2027-02-08");
	CHECK_INT(p, 1);
	CHECK_STR(prov(&c, "2026-11-07", 2, CAL_MONTHS, &p), "2027-01-07");
	CHECK_INT(p, 1);
	/* before the calendar too: Saturday 2022-12-31 a rest day, then the
	 * known New Year holiday of 2023 */
	CHECK_STR(prov(&c, "2022-12-30", 1, CAL_WORKING_DAYS, &p), "2023-01-03");
	CHECK_INT(p, 1);
	/* the exact question still fails, even asked again after the
	 * provisional answer was remembered */
	CHECK(cal_add(&c, D("2026-12-20"), 15, CAL_DAYS, &due, &e) < 0);
	CHECK(strstr(e.msg, "outside the calendar") != NULL);
	/* the years lacked, noted once each, in order */
	CHECK(cal_missing(&c, years, sizeof years) == 2);
	CHECK_STR(years, "2022, 2027");
	/* a remembered provisional answer is marked so again */
	CHECK_STR(prov(&c, "2026-12-20", 15, CAL_DAYS, &p), "2027-01-04");
	CHECK_INT(p, 1);
	/* a bad period is still an error */
	CHECK(cal_add_prov(&c, D("2026-12-20"), -1, CAL_DAYS, &due, &p, &e) < 0);
	/* freed: nothing noted any more */
	cal_free(&c);
	CHECK(cal_missing(&c, years, sizeof years) == 0);
	/* only the days a count looks at are noted: ten years from
	 * 2027-01-01 end on Friday 2037-01-01, a working day by weekends */
	cal_init(&c);
	CHECK(cal_load_builtin(&c, &e) == 0);
	CHECK_STR(prov(&c, "2027-01-01", 10, CAL_YEARS, &p), "2037-01-01");
	CHECK_INT(p, 1);
	CHECK(cal_missing(&c, years, sizeof years) == 1);
	CHECK_STR(years, "2037");
	cal_free(&c);
	/* more years than the note holds: the first ones and "..." (2,700
	 * working days walk through ten years and more) */
	cal_init(&c);
	CHECK(cal_load_builtin(&c, &e) == 0);
	CHECK(cal_add_prov(&c, D("2027-01-01"), 2700, CAL_WORKING_DAYS, &due,
	    &p, &e) == 0);
	CHECK_INT(p, 1);
	CHECK(cal_missing(&c, years, sizeof years) == CAL_NOTE_MAX);
	CHECK_STR(years, "2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, ...");
	cal_free(&c);
}

/* Parses text from a buffer that ends where the text does. */
static int parse(const char *text, struct err *e)
{
	size_t n;
	char *exact = unit_exact_copy(text, &n);
	struct cal c;
	int rc;

	cal_init(&c);
	rc = cal_parse(&c, exact, n, "t.txt", e);
	cal_free(&c);
	free(exact);
	return rc;
}

static void test_format(void)
{
	struct cal c;
	struct err e;
	const char *ok = "\xef\xbb\xbf# a newer year\r\nyear 2027\r\n"
	    "  2027-02-06..2027-02-12 holiday   春节  \r\n"
	    "2027-02-14 workday\r\n";
	char years[64];

	cal_init(&c);
	CHECK(cal_parse(&c, ok, strlen(ok), "t.txt", &e) == 0);
	CHECK_STR(cal_years(&c, years, sizeof years), "2027");
	CHECK_INT(cal_is_working_day(&c, D("2027-02-08"), &e), 0);
	CHECK_STR(cal_holiday(&c, D("2027-02-08")), "春节");
	CHECK_INT(cal_is_working_day(&c, D("2027-02-14"), &e), 1);
	CHECK(cal_holiday(&c, D("2027-02-14")) == NULL);
	cal_free(&c);

	CHECK(parse("2024-10-01 holiday x\n", &e) < 0);
	CHECK_STR(e.msg, "t.txt:1: 2024-10-01: its year has no \"year\" line above");
	CHECK(parse("year 2024\n\n2024-10-08 workday\n", &e) < 0);
	CHECK(strncmp(e.msg, "t.txt:3: 2024-10-08: a workday must be", 37) == 0);
	CHECK(parse("year 2024\n2024-10-12 workday\n2024-10-12 holiday\n", &e) < 0);
	CHECK_STR(e.msg, "t.txt:3: 2024-10-12: both holiday and workday");
	CHECK(parse("year 2024\n2024-10-07..2024-10-01 holiday\n", &e) < 0);
	CHECK(strstr(e.msg, "ends before it starts") != NULL);
	CHECK(parse("year 2024\n2024-02-30 holiday\n", &e) < 0);
	CHECK_STR(e.msg, "t.txt:2: 2024-02-30: no such date");
	CHECK(parse("year 2024\n2024-10-01 rest\n", &e) < 0);
	CHECK(strstr(e.msg, "want \"holiday\" or \"workday\"") != NULL);
	CHECK(parse("year 2024\nyear 2024\n", &e) < 0);
	CHECK_STR(e.msg, "t.txt:2: year 2024: declared twice");
	CHECK(parse("year 24\n", &e) < 0);
	CHECK(parse("year 2024 extra\n", &e) < 0);
	CHECK(parse("2024/10/01 holiday\n", &e) < 0);
	CHECK(parse("", &e) == 0);
	CHECK(parse("# only a comment", &e) == 0);
	/* the last line without its newline, ending the buffer */
	CHECK(parse("year 2024", &e) == 0);
	CHECK(parse("year 1557", &e) < 0);
	CHECK_STR(e.msg, "t.txt:1: year 1557: out of range");
	CHECK(parse("year 2024\n2024-10-01", &e) < 0);
	CHECK(parse("year 2024\n2024-10-01 holiday", &e) == 0);
}

static void test_open(void)
{
	struct cal c;
	struct err e;

	cal_init(&c);
	CHECK(cal_open(&c, "tests/unit/data/no-such-calendar.txt", &e) < 0);
	CHECK(strstr(e.msg, "no-such-calendar.txt") != NULL);
	cal_free(&c);
	cal_init(&c);
	setenv("ONEDOOR_DATA", "data", 1);
	CHECK(cal_open(&c, NULL, &e) == 0);
	CHECK(cal_known(&c, 2024));
	unsetenv("ONEDOOR_DATA");
	cal_free(&c);
}

/*
 * cal_add remembers its answers: an answer is only taken again for the
 * same calendar, unchanged, with the same counting rules.  Here the same
 * questions are asked of a calendar before and after a holiday is added
 * to it, of a second calendar in the memory the first one had, and with
 * the other rules; a fresh count (a calendar copy with gen 0, which is
 * never remembered) must agree every time.
 */
static long long fresh(const struct cal *c, long long from, long n, int unit)
{
	struct cal cc = *c;
	struct err e;
	long long due = -1;

	cc.gen = 0;
	if (cal_add(&cc, from, n, unit, &due, &e) < 0)
		return -1;
	return due;
}

static void ask_all(const struct cal *c)
{
	static const int units[] = {
		CAL_DAYS, CAL_WORKING_DAYS, CAL_MONTHS, CAL_YEARS
	};
	static const long ns[] = { 0, 1, 5, 15, 60 };
	long long from, due;
	struct err e;
	size_t u, k;
	int rc;

	for (from = D("2027-01-20"); from < D("2027-03-01"); from += 3)
		for (u = 0; u < 4; u++)
			for (k = 0; k < 5; k++) {
				if (units[u] == CAL_YEARS && ns[k] > 0)
					continue;	/* beyond the year known */
				due = -1;
				rc = cal_add(c, from, ns[k], units[u], &due, &e);
				CHECK_INT(rc < 0 ? -1 : due,
				    fresh(c, from, ns[k], units[u]));
			}
}

static void test_memo(void)
{
	const char *y = "year 2027\n";
	const char *more = "2027-02-08..2027-02-12 holiday 春节\n";
	struct cal c;
	struct err e;
	long long due = 0;

	cal_init(&c);
	CHECK(cal_parse(&c, y, strlen(y), "t.txt", &e) == 0);
	ask_all(&c);
	CHECK(cal_add(&c, D("2027-02-05"), 5, CAL_WORKING_DAYS, &due, &e) == 0);
	CHECK_STR(F(due), "2027-02-12");
	CHECK(cal_parse(&c, more, strlen(more), "t.txt", &e) == 0);
	CHECK(cal_add(&c, D("2027-02-05"), 5, CAL_WORKING_DAYS, &due, &e) == 0);
	CHECK_STR(F(due), "2027-02-19");
	ask_all(&c);
	c.first = CAL_FIRST_SAME;
	ask_all(&c);
	c.roll = CAL_ROLL_NONE;
	ask_all(&c);
	cal_free(&c);
	/* a second calendar, likely in the first one's memory */
	cal_init(&c);
	CHECK(cal_parse(&c, y, strlen(y), "t.txt", &e) == 0);
	CHECK(cal_add(&c, D("2027-02-05"), 5, CAL_WORKING_DAYS, &due, &e) == 0);
	CHECK_STR(F(due), "2027-02-12");
	ask_all(&c);
	cal_free(&c);
}

int main(void)
{
	struct cal c;
	struct err e;

	mem_setup();
	test_builtin_matches_file();
	cal_init(&c);
	if (cal_load_builtin(&c, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	test_days(&c);
	test_counting(&c);
	test_unknown_year(&c);
	cal_free(&c);
	test_provisional();
	test_format();
	test_open();
	test_memo();
	return unit_done("calendar");
}
