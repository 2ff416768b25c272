/*
 * test_numtext.c - unit tests of lib/numtext.c: numbers written and read
 * without printf, and the quick time reader and writer, which must agree
 * with tf_parse and tf_format byte for byte -- over two centuries of
 * days, in Shanghai (with China's daylight saving of 1986-1991), New
 * York (two changes a year) and UTC.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "numtext.h"
#include "timefmt.h"
#include "unit.h"

static const char *put_u(unsigned long long v, int w)
{
	static char b[32];

	b[num_put_uint(b, v, w)] = '\0';
	return b;
}

static const char *put_i(long long v, int w)
{
	static char b[32];

	b[num_put_int(b, v, w)] = '\0';
	return b;
}

static void test_numtext(void)
{
	unsigned long long v;
	char want[32];
	long long i;
	int bad = 0;

	CHECK_STR(put_u(0, 0), "0");
	CHECK_STR(put_u(7, 1), "7");
	CHECK_STR(put_u(42, 6), "000042");
	CHECK_STR(put_u(2024, 4), "2024");
	CHECK_STR(put_u(1234567, 6), "1234567");
	CHECK_STR(put_u(ULLONG_MAX, 0), "18446744073709551615");
	CHECK_STR(put_i(-5, 0), "-5");
	CHECK_STR(put_i(LLONG_MIN, 0), "-9223372036854775808");
	CHECK_STR(put_i(LLONG_MAX, 0), "9223372036854775807");
	for (i = -100000; i <= 100000; i += 7) {
		snprintf(want, sizeof want, "%03lld", i);
		if (strcmp(put_i(i, 3), want) != 0 && i >= 0)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK(num_get_uint("2024", 4, &v) == 0 && v == 2024);
	CHECK(num_get_uint("000123", 6, &v) == 0 && v == 123);
	CHECK(num_get_uint("999999999999999999", 18, &v) == 0 &&
	    v == 999999999999999999ULL);
	CHECK(num_get_uint("1234567890123456789", 19, &v) < 0);
	CHECK(num_get_uint("", 0, &v) < 0);
	CHECK(num_get_uint("12a", 3, &v) < 0);
	CHECK(num_get_uint("-1", 2, &v) < 0);
	CHECK(num_get_uint(" 1", 2, &v) < 0);
}

/* Every day from 1900 to 2100 at a few times of day, in the quick
 * forms: num_parse_local either declines or gives what tf_parse gives,
 * and num_put_rfc3339 writes what tf_format writes. */
static void sweep(const char *tz)
{
	struct num_tzcache c;
	struct tf_time a, b;
	struct err e;
	char s[40], fa[40], fb[40];
	static const char *const times[] = {
		"", " 00:00", " 01:30", "T02:30:15", " 09:05", " 23:59:59"
	};
	long long day;
	int y, m, d, wrong = 0, quick = 0, fmt = 0;
	size_t i, n;

	setenv("TZ", tz, 1);
	tzset();
	memset(&c, 0, sizeof c);
	for (day = tf_days_from_civil(1900, 1, 1);
	    day <= tf_days_from_civil(2100, 12, 31); day++) {
		tf_civil_from_days(day, &y, &m, &d);
		for (i = 0; i < sizeof times / sizeof times[0]; i++) {
			n = (size_t)snprintf(s, sizeof s, "%04d-%02d-%02d%s",
			    y, m, d, times[i]);
			if (tf_parse(s, &a, &e) < 0) {
				wrong++;
				continue;
			}
			if (num_parse_local(s, n, &b, &c) == 0) {
				quick++;
				wrong += a.t != b.t || a.off != b.off;
			}
			tf_format(fa, sizeof fa, a);
			num_put_rfc3339(fb, a);
			fmt += strcmp(fa, fb) != 0;
		}
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(fmt, 0);
	CHECK(quick > 400000);	/* nearly every one was quick */
}

static void quick_forms(void)
{
	struct num_tzcache c;
	struct tf_time t;
	char f[40];

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	memset(&c, 0, sizeof c);
	CHECK(num_parse_local("2024-04-11 09:30", 16, &t, &c) == 0);
	num_put_rfc3339(f, t);
	CHECK_STR(f, "2024-04-11T09:30:00+08:00");
	CHECK(num_parse_local("2024/04/11", 10, &t, &c) == 0);
	num_put_rfc3339(f, t);
	CHECK_STR(f, "2024-04-11T00:00:00+08:00");
	CHECK(num_parse_local("2024-04-11t09:30:07", 19, &t, &c) == 0);
	num_put_rfc3339(f, t);
	CHECK_STR(f, "2024-04-11T09:30:07+08:00");
	/* left to tf_parse: other forms and invalid times */
	CHECK(num_parse_local("2024-4-11", 9, &t, &c) == 1);
	CHECK(num_parse_local("2024-04/11", 10, &t, &c) == 1);
	CHECK(num_parse_local("2023-02-29", 10, &t, &c) == 1);
	CHECK(num_parse_local("2024-04-11 24:00", 16, &t, &c) == 1);
	CHECK(num_parse_local("2024-04-11 09:60", 16, &t, &c) == 1);
	CHECK(num_parse_local("0000-01-01", 10, &t, &c) == 1);
	CHECK(num_parse_local("2024-04-11 9:30", 15, &t, &c) == 1);
	CHECK(num_parse_local("2024-04-11T09:30Z", 17, &t, &c) == 1);
	CHECK(num_parse_local("2024年4月11日", 16, &t, &c) == 1);
	CHECK(num_parse_local("2024-04-11+09:30", 16, &t, &c) == 1);
	/* a day next to a change of offset: tf_parse's rules apply */
	CHECK(num_parse_local("1988-04-17 02:30", 16, &t, &c) == 1);
	t.t = 0;
	t.off = 0;
	num_put_rfc3339(f, t);
	CHECK_STR(f, "1970-01-01T00:00:00Z");
	t.off = -(5 * 3600 + 30 * 60);
	num_put_rfc3339(f, t);
	CHECK_STR(f, "1969-12-31T18:30:00-05:30");
}

int main(void)
{
	test_numtext();
	quick_forms();
	sweep("Asia/Shanghai");
	sweep("America/New_York");
	sweep("UTC");
	return unit_done("numtext");
}
