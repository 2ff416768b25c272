/*
 * window.c - report windows from words, dates and offsets; calendar
 * buckets.  See window.h.
 *
 * Spans are computed on local calendar days: the start of a day is
 * found by tf_from_civil (local midnight, with the offset TZ gives it),
 * so a window is right across a daylight saving change, where "24 hours
 * before" would not be.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "window.h"

#define DAY	86400LL

/* Offsets are cached per quarter hour: every time zone change in the tz
 * database falls on a quarter-hour boundary of UTC. */
#define OFF_SLOTS	4096
#define OFF_STEP	900LL

static struct {
	long long q;		/* t / OFF_STEP, + 1 so that 0 means empty */
	int off;
} off_cache[OFF_SLOTS];

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a % b < 0) != (b < 0));
}

int win_offset(long long t)
{
	long long q = floor_div(t, OFF_STEP);
	size_t i = (size_t)(q & (OFF_SLOTS - 1));

	if (off_cache[i].q != q + 1) {
		off_cache[i].off = tf_local_offset(q * OFF_STEP);
		off_cache[i].q = q + 1;
	}
	return off_cache[i].off;
}

/* Local day number (days since 1970-01-01) of t. */
static long long local_day(long long t)
{
	return floor_div(t + win_offset(t), DAY);
}

/* Local midnight starting day number d. */
static int day_start(long long d, long long *t, struct err *e)
{
	struct tf_civil c;
	struct tf_time tt;

	memset(&c, 0, sizeof c);
	tf_civil_from_days(d, &c.year, &c.month, &c.day);
	if (tf_from_civil(&c, &tt, e) < 0)
		return -1;
	*t = tt.t;
	return 0;
}

int win_day_start(long long d, long long *t, struct err *e)
{
	return day_start(d, t, e);
}

static int days_span(long long d0, long long d1, long long *start,
    long long *end, struct err *e)
{
	if (day_start(d0, start, e) < 0 || day_start(d1, end, e) < 0)
		return -1;
	return 0;
}

static long long month_day(int y, int m)
{
	while (m > 12) {
		m -= 12;
		y++;
	}
	while (m < 1) {
		m += 12;
		y--;
	}
	return tf_days_from_civil(y, m, 1);
}

/* today, yesterday, this-week, ...: 1 if s is one, 0 if not, -1. */
static int word_span(const char *s, struct tf_time now, long long *start,
    long long *end, struct err *e)
{
	long long d = local_day(now.t), mon;
	int y, m, dd;

	tf_civil_from_days(d, &y, &m, &dd);
	mon = d - ((d + 3) % 7 + 7) % 7;	/* day 0 was a Thursday */
	if (strcmp(s, "today") == 0)
		return days_span(d, d + 1, start, end, e) < 0 ? -1 : 1;
	if (strcmp(s, "yesterday") == 0)
		return days_span(d - 1, d, start, end, e) < 0 ? -1 : 1;
	if (strcmp(s, "this-week") == 0)
		return days_span(mon, mon + 7, start, end, e) < 0 ? -1 : 1;
	if (strcmp(s, "last-week") == 0)
		return days_span(mon - 7, mon, start, end, e) < 0 ? -1 : 1;
	if (strcmp(s, "this-month") == 0)
		return days_span(month_day(y, m), month_day(y, m + 1), start, end,
		    e) < 0 ? -1 : 1;
	if (strcmp(s, "last-month") == 0)
		return days_span(month_day(y, m - 1), month_day(y, m), start, end,
		    e) < 0 ? -1 : 1;
	if (strcmp(s, "this-year") == 0)
		return days_span(month_day(y, 1), month_day(y + 1, 1), start, end,
		    e) < 0 ? -1 : 1;
	if (strcmp(s, "last-year") == 0)
		return days_span(month_day(y - 1, 1), month_day(y, 1), start, end,
		    e) < 0 ? -1 : 1;
	if (strcmp(s, "now") == 0) {
		*start = *end = now.t;
		return 1;
	}
	return 0;
}

/* -7d, -12h, -2w: the instant that long before now. */
static int ago_span(const char *s, struct tf_time now, long long *start,
    long long *end)
{
	char *p;
	long long n, unit;

	if (s[0] != '-' || !isdigit((unsigned char)s[1]))
		return 0;
	n = strtoll(s + 1, &p, 10);
	if (strcmp(p, "d") == 0)
		unit = DAY;
	else if (strcmp(p, "h") == 0)
		unit = 3600;
	else if (strcmp(p, "w") == 0)
		unit = 7 * DAY;
	else
		return 0;
	if (n > 100000LL * 366)		/* a hundred thousand years is plenty */
		return 0;
	*start = *end = now.t - n * unit;
	return 1;
}

/* 2024 and 2024-04: whole years and months. */
static int ym_span(const char *s, long long *start, long long *end,
    struct err *e)
{
	size_t n = strlen(s);
	int y, m;

	if ((n != 4 && n != 7) || strspn(s, "0123456789") != 4)
		return 0;
	y = atoi(s);
	if (n == 4)
		return days_span(month_day(y, 1), month_day(y + 1, 1), start,
		    end, e) < 0 ? -1 : 1;
	if (s[4] != '-' || strspn(s + 5, "0123456789") != 2)
		return 0;
	m = atoi(s + 5);
	if (y < 1 || m < 1 || m > 12)
		return 0;
	return days_span(month_day(y, m), month_day(y, m + 1), start, end,
	    e) < 0 ? -1 : 1;
}

/* A date without a time of day names the whole day. */
static int has_time_of_day(const char *s)
{
	return strchr(s, ':') != NULL || strstr(s, "时") != NULL ||
	    strstr(s, "点") != NULL || strchr(s, 'T') != NULL;
}

int win_span(const char *s, struct tf_time now, long long *start,
    long long *end, struct err *e)
{
	struct tf_time t;
	int rc;

	if ((rc = word_span(s, now, start, end, e)) != 0 ||
	    (rc = ym_span(s, start, end, e)) != 0)
		return rc < 0 ? -1 : 0;
	if (ago_span(s, now, start, end))
		return 0;
	if (tf_parse(s, &t, e) < 0)
		return err_set(e, "\"%s\" is not a date, a time or one of today, "
		    "yesterday, this-week, last-week, this-month, last-month, "
		    "this-year, last-year, -Nd, -Nh, -Nw", s);
	if (has_time_of_day(s)) {
		*start = *end = t.t;
		return 0;
	}
	return days_span(local_day(t.t), local_day(t.t) + 1, start, end, e);
}

static int label_of_day(long long d, int unit, char *buf, size_t n);

/* Events of one day come in runs (a store is mostly in time order), and
 * formatting is the dearest part of a bucket: remember the last label. */
int win_label(long long t, int unit, char *buf, size_t n)
{
	static long long last_day;
	static int last_unit = -1, last_len;
	static char last[32];
	long long d = local_day(t);

	if (d != last_day || unit != last_unit) {
		last_len = label_of_day(d, unit, last, sizeof last);
		last_day = d;
		last_unit = unit;
	}
	if (n == 0)
		return last_len;
	memcpy(buf, last, (size_t)last_len < n ? (size_t)last_len + 1 : n);
	buf[n - 1 < (size_t)last_len ? n - 1 : (size_t)last_len] = '\0';
	return last_len;
}

static int label_of_day(long long d, int unit, char *buf, size_t n)
{
	long long thu;
	int y, m, dd, wy, wm, wd;

	tf_civil_from_days(d, &y, &m, &dd);
	switch (unit) {
	case WIN_DAY:
		return snprintf(buf, n, "%04d-%02d-%02d", y, m, dd);
	case WIN_WEEK:
		/* ISO 8601: the week belongs to the year of its Thursday */
		thu = d - ((d + 3) % 7 + 7) % 7 + 3;
		tf_civil_from_days(thu, &wy, &wm, &wd);
		return snprintf(buf, n, "%04d-W%02d", wy,
		    (int)((thu - tf_days_from_civil(wy, 1, 1)) / 7 + 1));
	case WIN_MONTH:
		return snprintf(buf, n, "%04d-%02d", y, m);
	default:
		return snprintf(buf, n, "%04d", y);
	}
}

static int digits(const char *s, int n)
{
	int v = 0;

	while (n--) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* The day number of a date written YYYY-MM-DD into *dn: 0, or -1 when
 * it is not one.  Remembered by the text: a record's times fall on few
 * days, and a store is mostly in time order. */
static int fast_date(const char *s, long long *dn)
{
	static char seen[64][10];
	static long long day[64];
	size_t i = ((unsigned char)s[9] + (unsigned char)s[8] * 10u +
	    (unsigned char)s[6] * 31u + (unsigned char)s[3] * 7u) & 63;
	int y, mo, d;

	if (memcmp(seen[i], s, 10) == 0) {
		*dn = day[i];
		return 0;
	}
	if ((y = digits(s, 4)) < 1 || (mo = digits(s + 5, 2)) < 0 ||
	    (d = digits(s + 8, 2)) < 0 || !tf_valid_date(y, mo, d))
		return -1;
	memcpy(seen[i], s, 10);		/* never all NULs: s holds none */
	*dn = day[i] = tf_days_from_civil(y, mo, d);
	return 0;
}

/* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), nothing else. */
static int fast_time(const char *s, long long *t)
{
	int h, mi, se, oh, om, off;
	long long days;
	const char *p;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if ((h = digits(s + 11, 2)) < 0 || (mi = digits(s + 14, 2)) < 0 ||
	    (se = digits(s + 17, 2)) < 0 || h > 23 || mi > 59 || se > 59 ||
	    fast_date(s, &days) < 0)
		return -1;
	p = s + 19;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (p[0] == 'Z' && p[1] == '\0')
		off = 0;
	else if ((p[0] == '+' || p[0] == '-') && strlen(p) == 6 && p[3] == ':' &&
	    (oh = digits(p + 1, 2)) >= 0 && (om = digits(p + 4, 2)) >= 0 &&
	    oh < 24 && om < 60)
		off = (p[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	else
		return -1;
	*t = days * DAY + h * 3600LL + mi * 60LL + se - off;
	return 0;
}

int win_time(const char *s, long long *t, struct err *e)
{
	struct tf_time tt;

	if (fast_time(s, t) == 0)
		return 0;
	if (tf_parse(s, &tt, e) < 0)
		return -1;
	*t = tt.t;
	return 0;
}
