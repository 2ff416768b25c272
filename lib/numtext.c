/*
 * numtext.c - decimal text without printf.  See numtext.h.
 *
 * Two digits at a time from a table: the divisions by 100 are by a
 * constant, which the compiler turns into multiplications.
 *
 * Times: tf_parse and tf_format (timefmt.c) stay the reference; what is
 * here covers their commonest cases only and falls back otherwise.  The
 * costly part of reading a local time is asking TZ for its offset
 * (tzset and localtime_r, twice per time in from_local); local times of
 * one day share their offset unless a change is near, so it is asked
 * once a day.  tf_parse takes the offsets one day before and one day
 * after L (local seconds) and, when they agree, uses that one; for every
 * L of local day D those moments lie in [(D-1) days, (D+2) days), so
 * when the offsets at both ends of that span agree -- no change in
 * between, as changes are months apart -- every time of day D gets it.
 */
#include <string.h>

#include "numtext.h"

static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

size_t num_put_uint(char *p, unsigned long long v, int width)
{
	char tmp[24], *end = tmp + sizeof tmp, *q = end;
	size_t n;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		q -= 2;
		memcpy(q, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, pairs + 2 * v, 2);
	} else
		*--q = (char)('0' + v);
	while (end - q < width && q > tmp)
		*--q = '0';
	n = (size_t)(end - q);
	memcpy(p, q, n);
	return n;
}

size_t num_put_int(char *p, long long v, int width)
{
	if (v >= 0)
		return num_put_uint(p, (unsigned long long)v, width);
	*p = '-';
	/* -(v + 1) + 1: no overflow for LLONG_MIN */
	return 1 + num_put_uint(p + 1, (unsigned long long)-(v + 1) + 1,
	    width);
}

size_t num_put_rfc3339(char *p, struct tf_time t)
{
	struct tf_civil c;
	char *q = p;
	int a = t.off < 0 ? -t.off : t.off;

	tf_to_civil(t, &c);
	q += num_put_uint(q, (unsigned long long)c.year, 4);
	*q++ = '-';
	q += num_put_uint(q, (unsigned long long)c.month, 2);
	*q++ = '-';
	q += num_put_uint(q, (unsigned long long)c.day, 2);
	*q++ = 'T';
	q += num_put_uint(q, (unsigned long long)c.hour, 2);
	*q++ = ':';
	q += num_put_uint(q, (unsigned long long)c.min, 2);
	*q++ = ':';
	q += num_put_uint(q, (unsigned long long)c.sec, 2);
	if (t.off == 0)
		*q++ = 'Z';
	else {
		*q++ = t.off < 0 ? '-' : '+';
		q += num_put_uint(q, (unsigned long long)(a / 3600 % 100), 2);
		*q++ = ':';
		q += num_put_uint(q, (unsigned long long)(a / 60 % 60), 2);
	}
	*q = '\0';
	return (size_t)(q - p);
}

#define DAY 86400LL

static int two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The offset of every local time of day d, or -1 when a change is near
 * (in seconds east of UTC, never -1: whole minutes). */
static int day_offset(struct num_tzcache *c, long long d, int *off)
{
	size_t k = (size_t)(d & (NUM_TZDAYS - 1));
	int a, b;

	if (c->state[k] == 0 || c->day[k] != d) {
		a = tf_local_offset((d - 1) * DAY);
		b = tf_local_offset((d + 2) * DAY - 1);
		c->day[k] = d;
		c->off[k] = a;
		c->state[k] = a == b ? 1 : 2;
	}
	*off = c->off[k];
	return c->state[k] == 1 ? 0 : -1;
}

int num_parse_local(const char *s, size_t n, struct tf_time *out,
    struct num_tzcache *c)
{
	int y, m, d, hh = 0, mm = 0, ss = 0, a, b, off;
	long long days, L;

	if (n != 10 && n != 16 && n != 19)
		return 1;
	if ((a = two(s)) < 0 || (b = two(s + 2)) < 0)
		return 1;
	y = a * 100 + b;
	if ((s[4] != '-' && s[4] != '/') || s[7] != s[4])
		return 1;
	if ((m = two(s + 5)) < 0 || (d = two(s + 8)) < 0)
		return 1;
	if (n > 10) {
		if (s[10] != ' ' && s[10] != 'T' && s[10] != 't')
			return 1;
		if ((hh = two(s + 11)) < 0 || s[13] != ':' ||
		    (mm = two(s + 14)) < 0)
			return 1;
		if (n == 19 && (s[16] != ':' || (ss = two(s + 17)) < 0))
			return 1;
	}
	if (!tf_valid_date(y, m, d) || hh > 23 || mm > 59 || ss > 59)
		return 1;
	days = tf_days_from_civil(y, m, d);
	if (day_offset(c, days, &off) < 0)
		return 1;
	L = days * DAY + hh * 3600LL + mm * 60LL + ss;
	out->t = L - off;
	out->off = off;
	return 0;
}

int num_get_uint(const char *s, size_t n, unsigned long long *v)
{
	unsigned long long x = 0;
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (unsigned long long)(s[i] - '0');
	}
	*v = x;
	return 0;
}
