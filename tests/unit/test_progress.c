/*
 * test_progress.c - unit tests of lib/progress.c: the line's wording
 * (records, rate, percentage, time left) for fixed figures, and the
 * timing rules on a fake clock: silent for the first second, the clock
 * read only every PROGRESS_EVERY ticks, redraws at most every quarter
 * second, a pause and the end clear only a line that is shown, and a
 * disabled or absent progress never calls show.
 */
#include <string.h>

#include "progress.h"
#include "unit.h"

static const char *fmt(long long recs, long long done, long long total,
    double elapsed)
{
	static char b[128];

	progress_format(b, sizeof b, recs, done, total, elapsed);
	return b;
}

static double fake_now;
static int clock_reads;

static double fake_clock(void)
{
	clock_reads++;
	return fake_now;
}

struct shown {
	int lines, clears;
	char last[128];
};

static void show(const char *line, void *ctx)
{
	struct shown *s = ctx;

	if (line == NULL) {
		s->clears++;
		return;
	}
	s->lines++;
	snprintf(s->last, sizeof s->last, "%s", line);
}

/* n ticks, advancing records by one and bytes by 100 each */
static void ticks(struct progress *p, long long *recs, long long n)
{
	while (n-- > 0) {
		++*recs;
		progress_tick(p, *recs, *recs * 100);
	}
}

static void test_format(void)
{
	char small[8];

	CHECK_STR(fmt(120000, 0, -1, 0.48), "120000 records, 250000/s");
	CHECK_STR(fmt(120000, 45, 100, 0.48), "120000 records, 250000/s, 45%, 1s left");
	/* 45 % in 2.5 s: 55 % more takes 3.06 s, rounded up */
	CHECK_STR(fmt(120000, 450, 1000, 2.5), "120000 records, 48000/s, 45%, 4s left");
	CHECK_STR(fmt(120000, 450, 1000, 2.4), "120000 records, 50000/s, 45%, 3s left");
	CHECK_STR(fmt(1000000, 10, 1000, 1.2), "1000000 records, 833333/s, 1%, 1m59s left");
	/* 3996 s left */
	CHECK_STR(fmt(5000000, 1, 1000, 4), "5000000 records, 1250000/s, 0%, 1h06m left");
	/* never 100 % before the end, 100 % at it and beyond; no time left then */
	CHECK_STR(fmt(10, 999, 1000, 1), "10 records, 10/s, 99%, 1s left");
	CHECK_STR(fmt(10, 1000, 1000, 1), "10 records, 10/s, 100%");
	CHECK_STR(fmt(10, 1200, 1000, 1), "10 records, 10/s, 100%");
	/* nothing read yet: 0 %, no estimate; no elapsed time: rate 0 */
	CHECK_STR(fmt(0, 0, 1000, 0), "0 records, 0/s, 0%");
	CHECK_STR(fmt(7, 0, 0, 2), "7 records, 4/s");
	/* truncated to the buffer, always terminated */
	CHECK_INT((long long)progress_format(small, sizeof small, 120000, 1, 2, 1), 7);
	CHECK_STR(small, "120000 ");
	CHECK_INT((long long)progress_format(small, 0, 1, 1, 2, 1), 0);
}

static void test_timing(void)
{
	struct shown s;
	struct progress p;
	long long recs = 0;

	memset(&s, 0, sizeof s);
	memset(&p, 0, sizeof p);
	p.show = show;
	p.ctx = &s;
	p.clock = fake_clock;
	fake_now = 100;
	clock_reads = 0;
	progress_start(&p, 100LL * 4 * PROGRESS_EVERY * 10, 1);

	/* the clock is read once per PROGRESS_EVERY ticks */
	ticks(&p, &recs, PROGRESS_EVERY - 1);
	CHECK_INT(clock_reads, 1);		/* progress_start's */
	ticks(&p, &recs, 1);
	CHECK_INT(clock_reads, 2);

	/* nothing in the first second, however much is done */
	fake_now = 100.99;
	ticks(&p, &recs, 3 * PROGRESS_EVERY);
	CHECK_INT(s.lines, 0);
	progress_pause(&p);
	CHECK_INT(s.clears, 0);

	/* then a line; not again within a quarter second */
	fake_now = 101.0;
	ticks(&p, &recs, PROGRESS_EVERY);
	CHECK_INT(s.lines, 1);
	CHECK_STR(s.last, "20480 records, 20480/s, 12%, 7s left");
	fake_now = 101.2;
	ticks(&p, &recs, PROGRESS_EVERY);
	CHECK_INT(s.lines, 1);
	fake_now = 101.25;
	ticks(&p, &recs, PROGRESS_EVERY);
	CHECK_INT(s.lines, 2);

	/* a pause clears once; the line comes back at the next redraw */
	progress_pause(&p);
	progress_pause(&p);
	CHECK_INT(s.clears, 1);
	fake_now = 101.6;
	ticks(&p, &recs, PROGRESS_EVERY);
	CHECK_INT(s.lines, 3);

	/* the end clears, and nothing is shown after it */
	progress_end(&p);
	CHECK_INT(s.clears, 2);
	fake_now = 200;
	ticks(&p, &recs, 2 * PROGRESS_EVERY);
	progress_end(&p);
	CHECK_INT(s.lines, 3);
	CHECK_INT(s.clears, 2);
}

static void test_off(void)
{
	struct shown s;
	struct progress p, q;
	long long recs = 0;

	/* disabled (--no-progress, not a terminal): never shown, clock unread */
	memset(&s, 0, sizeof s);
	memset(&p, 0, sizeof p);
	p.show = show;
	p.ctx = &s;
	p.clock = fake_clock;
	clock_reads = 0;
	fake_now = 0;
	progress_start(&p, -1, 0);
	fake_now = 50;
	ticks(&p, &recs, 10 * PROGRESS_EVERY);
	progress_end(&p);
	CHECK_INT(s.lines + s.clears, 0);
	CHECK_INT(clock_reads, 0);

	/* a short run ends before the first second: nothing to clear */
	memset(&q, 0, sizeof q);
	q.show = show;
	q.ctx = &s;
	q.clock = fake_clock;
	fake_now = 0;
	progress_start(&q, -1, 1);
	ticks(&q, &recs, 100);
	progress_end(&q);
	CHECK_INT(s.lines + s.clears, 0);

	/* no show function, or no struct at all: nothing happens */
	memset(&q, 0, sizeof q);
	progress_start(&q, 10, 1);
	CHECK_INT(q.enabled, 0);
	progress_start(NULL, 10, 1);
	progress_tick(NULL, 1, 1);
	progress_pause(NULL);
	progress_end(NULL);
}

int main(void)
{
	test_format();
	test_timing();
	test_off();
	return unit_done("test_progress");
}
