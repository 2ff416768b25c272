/*
 * timefmt.c - reading times as people write them, writing RFC 3339.
 * See timefmt.h.
 *
 * Calendar arithmetic is done here with Howard Hinnant's days_from_civil
 * and civil_from_days (proleptic Gregorian, exact for any year), not
 * with mktime, which normalises 2023-02-30 into March instead of
 * refusing it.  TZ is consulted only for the UTC offset of a moment.
 *
 * Accepted, beyond what timefmt.h lists:
 *   - date separators '-', '/' or '.' (the same one twice); month and
 *     day of one or two digits; years 0001 to 9999, four digits;
 *   - "日" or "号" after the day in 2024年4月11日;
 *   - 'T', 't' or spaces between date and time; no separator, or spaces,
 *     after 日;
 *   - H:MM, H:MM:SS, H:MM:SS.fff (the fraction, '.' or ',', is dropped);
 *     H时, H时MM分, H时MM分SS秒 ("点" for "时", the final 分/秒 optional);
 *   - an offset "Z", "+08:00", "+0800" or "+08" after any time form;
 *   - surrounding ASCII spaces and tabs.
 * Offsets are kept in whole minutes, as RFC 3339 can show no more: the
 * local mean time TZ gives before 1901 (+08:05:43 in Shanghai) is
 * rounded to the nearest minute.  A local time skipped by a daylight
 * saving change (China had DST 1986-1991) is taken with the offset in
 * force before the change; a repeated one is taken at its first
 * occurrence.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

#define DAY		86400LL
/* Days of 0001-01-01 and 9999-12-31: the range tf_to_civil keeps to,
 * so that no arithmetic on a hostile t can overflow. */
#define DAYS_MIN	(-719162LL)
#define DAYS_MAX	2932896LL
#define QUOTE_MAX	40

struct scan {
	const char *p, *end;
};

/* Fields as read; sec and off only if given. */
struct fields {
	int y, m, d, hh, mm, ss;
	int has_off, off, bad_off;
};

static int eat(struct scan *sc, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, w, n) != 0)
		return 0;
	sc->p += n;
	return 1;
}

static int skip_blanks(struct scan *sc)
{
	const char *start = sc->p;

	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t'))
		sc->p++;
	return sc->p != start;
}

/* Between min and max ASCII digits as a number, or -1 if fewer. */
static int num(struct scan *sc, int min, int max)
{
	int n = 0, v = 0;

	while (n < max && sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9') {
		v = v * 10 + (*sc->p++ - '0');
		n++;
	}
	return n >= min ? v : -1;
}

static int quote_len(const char *s, size_t n)
{
	if (n <= QUOTE_MAX)
		return (int)n;
	n = QUOTE_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

static int not_a_time(struct err *e, const struct scan *all)
{
	size_t n = (size_t)(all->end - all->p);
	int q = quote_len(all->p, n);

	return err_set(e, "\"%.*s%s\" is not a time", q, all->p,
	    (size_t)q < n ? "..." : "");
}

/* 2024-04-11, 2024/4/11, 2024.4.11, 2024年4月11日; *cjk tells which. */
static int read_date(struct scan *sc, struct fields *f, int *cjk)
{
	char sep[2] = "";

	if ((f->y = num(sc, 4, 4)) < 0)
		return -1;
	*cjk = eat(sc, "\xe5\xb9\xb4");				/* 年 */
	if (!*cjk) {
		if (sc->p >= sc->end || strchr("-/.", *sc->p) == NULL)
			return -1;
		sep[0] = *sc->p++;
	}
	if ((f->m = num(sc, 1, 2)) < 0)
		return -1;
	if (*cjk ? !eat(sc, "\xe6\x9c\x88") : !eat(sc, sep))	/* 月 */
		return -1;
	if ((f->d = num(sc, 1, 2)) < 0)
		return -1;
	if (*cjk && !eat(sc, "\xe6\x97\xa5") && !eat(sc, "\xe5\x8f\xb7"))
		return -1;					/* 日 号 */
	return 0;
}

/* Seconds, optionally with a fraction that is dropped. */
static int read_seconds(struct scan *sc, struct fields *f)
{
	if ((f->ss = num(sc, 2, 2)) < 0)
		return -1;
	if (eat(sc, ".") || eat(sc, ",")) {
		if (num(sc, 1, 1) < 0)
			return -1;
		while (num(sc, 1, 1) >= 0)
			;
	}
	return 0;
}

/* 9时, 9时30分, 9时30分15秒 after the hour; 点 for 时. */
static int read_cjk_time(struct scan *sc, struct fields *f)
{
	if (!eat(sc, "\xe6\x97\xb6") && !eat(sc, "\xe7\x82\xb9"))
		return -1;					/* 时 点 */
	if ((f->mm = num(sc, 1, 2)) < 0) {
		f->mm = 0;
		return 0;
	}
	if (!eat(sc, "\xe5\x88\x86"))				/* 分 */
		return 0;
	if ((f->ss = num(sc, 1, 2)) < 0) {
		f->ss = 0;
		return 0;
	}
	eat(sc, "\xe7\xa7\x92");				/* 秒 */
	return 0;
}

static int read_time(struct scan *sc, struct fields *f)
{
	if ((f->hh = num(sc, 1, 2)) < 0)
		return -1;
	if (!eat(sc, ":"))
		return read_cjk_time(sc, f);
	if ((f->mm = num(sc, 2, 2)) < 0)
		return -1;
	if (eat(sc, ":"))
		return read_seconds(sc, f);
	return 0;
}

/* Z, ±HH:MM, ±HHMM, ±HH. */
static int read_offset(struct scan *sc, struct fields *f)
{
	int neg, h, m = 0;

	if (eat(sc, "Z") || eat(sc, "z")) {
		f->has_off = 1;
		return 0;
	}
	if (eat(sc, "+"))
		neg = 0;
	else if (eat(sc, "-"))
		neg = 1;
	else
		return -1;
	if ((h = num(sc, 2, 2)) < 0)
		return -1;
	if (eat(sc, ":")) {
		if ((m = num(sc, 2, 2)) < 0)
			return -1;
	} else if (sc->p < sc->end && (m = num(sc, 2, 2)) < 0)
		return -1;
	f->has_off = 1;
	f->bad_off = h > 23 || m > 59;
	f->off = (neg ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

/* Everything after the date: nothing, or a time and maybe an offset. */
static int read_rest(struct scan *sc, struct fields *f, int cjk)
{
	int blank;

	if (sc->p == sc->end)
		return 0;
	blank = skip_blanks(sc);
	if (!cjk && !blank && !eat(sc, "T") && !eat(sc, "t"))
		return -1;
	if (read_time(sc, f) < 0)
		return -1;
	if (sc->p < sc->end && read_offset(sc, f) < 0)
		return -1;
	return sc->p == sc->end ? 0 : -1;
}

static int check_fields(const struct fields *f, struct err *e)
{
	if (!tf_valid_date(f->y, f->m, f->d))
		return err_set(e, "date %04d-%02d-%02d does not exist",
		    f->y, f->m, f->d);
	if (f->hh > 23 || f->mm > 59 || f->ss > 59)
		return err_set(e, "time %02d:%02d:%02d does not exist",
		    f->hh, f->mm, f->ss);
	if (f->bad_off)
		return err_set(e, "UTC offset out of range");
	return 0;
}

static int fits(long long L, int off)
{
	return tf_local_offset(L - off) == off;
}

/* Local seconds since the epoch (as if local time were UTC) -> time.
 * The moment lies within a day of L, so the offsets a day before and a
 * day after are the candidates; see the top comment for gaps and
 * repeats.  Transitions are months apart, never two in two days. */
static void from_local(long long L, struct tf_time *out)
{
	int before, after, off;

	before = tf_local_offset(L - DAY);
	after = tf_local_offset(L + DAY);
	if (before == after)
		off = before;
	else if (fits(L, before) && fits(L, after))
		off = before > after ? before : after;	/* the first one */
	else if (fits(L, after))
		off = after;
	else
		off = before;			/* in a gap, or past both */
	out->t = L - off;
	out->off = off;
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Two ASCII digits at s, or -1. */
static int two(const char *s)
{
	return digit(s[0]) && digit(s[1]) ? (s[0] - '0') * 10 + (s[1] - '0') :
	    -1;
}

/*
 * The form onedoor itself writes, "2024-04-11T09:30:00+08:00" or "...Z"
 * and nothing around it (n bytes), read in one go: 1 with f filled exactly as the
 * scanner below would fill it, 0 for anything else (which the scanner
 * then reads).  Every record's times are of this form.
 */
static int read_rfc3339(const char *s, size_t n, struct fields *f)
{
	int y1, y2, h, m;

	if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || (y1 = two(s)) < 0 || (y2 = two(s + 2)) < 0 ||
	    (f->m = two(s + 5)) < 0 || (f->d = two(s + 8)) < 0 ||
	    (f->hh = two(s + 11)) < 0 || (f->mm = two(s + 14)) < 0 ||
	    (f->ss = two(s + 17)) < 0)
		return 0;
	f->y = y1 * 100 + y2;
	if (n == 20 && s[19] == 'Z') {
		f->has_off = 1;
		f->off = f->bad_off = 0;
		return 1;
	}
	if (n != 25 || (s[19] != '+' && s[19] != '-') || s[22] != ':' ||
	    (h = two(s + 20)) < 0 || (m = two(s + 23)) < 0)
		return 0;
	f->has_off = 1;
	f->bad_off = h > 23 || m > 59;
	f->off = (s[19] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 1;
}

/* The fields of s, checked: 0, or -1 with e. */
static int read_fields(const char *s, struct fields *f, struct err *e)
{
	struct scan sc, all;
	size_t n = strlen(s);
	int cjk;

	memset(f, 0, sizeof *f);
	if ((n == 20 || n == 25) && read_rfc3339(s, n, f))
		return check_fields(f, e);
	memset(f, 0, sizeof *f);
	sc.p = s;
	sc.end = s + n;
	skip_blanks(&sc);
	while (sc.end > sc.p && (sc.end[-1] == ' ' || sc.end[-1] == '\t'))
		sc.end--;
	all = sc;
	if (sc.p == sc.end)
		return err_set(e, "time is empty");
	if (read_date(&sc, f, &cjk) < 0 || read_rest(&sc, f, cjk) < 0)
		return not_a_time(e, &all);
	return check_fields(f, e);
}

int tf_parse_day(const char *s, long long *day, struct err *e)
{
	struct fields f;

	if (read_fields(s, &f, e) < 0)
		return -1;
	*day = tf_days_from_civil(f.y, f.m, f.d);
	return 0;
}

int tf_parse(const char *s, struct tf_time *out, struct err *e)
{
	struct fields f;
	long long L;

	if (read_fields(s, &f, e) < 0)
		return -1;
	L = tf_days_from_civil(f.y, f.m, f.d) * DAY + f.hh * 3600LL +
	    f.mm * 60LL + f.ss;
	if (f.has_off) {
		out->t = L - f.off;
		out->off = f.off;
	} else
		from_local(L, out);
	return 0;
}

int tf_now(const char *arg, struct tf_time *out, struct err *e)
{
	time_t now;

	if (arg != NULL)
		return tf_parse(arg, out, e);
	if ((now = time(NULL)) == (time_t)-1)
		return err_sys(e, "reading the clock");
	out->t = (long long)now;
	out->off = tf_local_offset(out->t);
	return 0;
}

/*
 * The writers below run for every record a command changes: digits are
 * put by hand rather than through snprintf, whose format parsing cost
 * more than the rest of a date.  Each builds the text in a small buffer
 * and then behaves exactly like snprintf (truncates to n, returns the
 * full length).
 */
static char *put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

char *tf_put_date(char *p, int y, int m, int d)
{
	if (y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99)
		return p + snprintf(p, TF_DATE_MAX, "%04d-%02d-%02d", y, m, d);
	p = put2(p, y / 100);
	p = put2(p, y % 100);
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	return put2(p, d);
}

/* "+08:00", or "Z" for UTC. */
static char *put_offset(char *p, int off)
{
	int a = off < 0 ? -off : off;

	if (off == 0) {
		*p++ = 'Z';
		return p;
	}
	*p++ = off < 0 ? '-' : '+';
	p = put2(p, a / 3600 % 100);
	*p++ = ':';
	return put2(p, a / 60 % 60);
}

static char *put_clock(char *p, int h, int min)
{
	p = put2(p, h);
	*p++ = ':';
	return put2(p, min);
}

/* snprintf's contract for text already built in t[0..len). */
static int give(char *buf, size_t n, const char *t, size_t len)
{
	if (n > 0) {
		size_t k = len < n ? len : n - 1;

		memcpy(buf, t, k);
		buf[k] = '\0';
	}
	return (int)len;
}

int tf_format(char *buf, size_t n, struct tf_time t)
{
	struct tf_civil c;
	char tmp[64], *p;

	tf_to_civil(t, &c);
	p = tf_put_date(tmp, c.year, c.month, c.day);
	*p++ = 'T';
	p = put_clock(p, c.hour, c.min);
	*p++ = ':';
	p = put2(p, c.sec);
	p = put_offset(p, t.off);
	return give(buf, n, tmp, (size_t)(p - tmp));
}

int tf_format_minute(char *buf, size_t n, struct tf_time t)
{
	struct tf_civil c;
	char tmp[64], *p;

	tf_to_civil(t, &c);
	p = tf_put_date(tmp, c.year, c.month, c.day);
	*p++ = ' ';
	p = put_clock(p, c.hour, c.min);
	return give(buf, n, tmp, (size_t)(p - tmp));
}

int tf_format_date(char *buf, size_t n, struct tf_time t)
{
	struct tf_civil c;
	char tmp[64], *p;

	tf_to_civil(t, &c);
	p = tf_put_date(tmp, c.year, c.month, c.day);
	return give(buf, n, tmp, (size_t)(p - tmp));
}

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a % b < 0) != (b < 0));
}

void tf_to_civil(struct tf_time t, struct tf_civil *c)
{
	long long days, secs;

	/* A time outside the years 0001-9999 is shown as the nearest end;
	 * days and seconds are kept apart so that nothing can overflow. */
	if (t.t < (DAYS_MIN - 2) * DAY)
		t.t = (DAYS_MIN - 2) * DAY;
	if (t.t > (DAYS_MAX + 2) * DAY)
		t.t = (DAYS_MAX + 2) * DAY;
	days = floor_div(t.t, DAY);
	secs = t.t - days * DAY + t.off % DAY;
	days += floor_div(secs, DAY);
	secs -= floor_div(secs, DAY) * DAY;
	if (days < DAYS_MIN) {
		days = DAYS_MIN;
		secs = 0;
	}
	if (days > DAYS_MAX) {
		days = DAYS_MAX;
		secs = DAY - 1;
	}
	tf_civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(secs / 3600);
	c->min = (int)(secs / 60 % 60);
	c->sec = (int)(secs % 60);
	c->wday = (int)((days % 7 + 11) % 7);	/* 1970-01-01 was a Thursday */
}

int tf_from_civil(const struct tf_civil *c, struct tf_time *out,
    struct err *e)
{
	struct fields f;

	memset(&f, 0, sizeof f);
	f.y = c->year;
	f.m = c->month;
	f.d = c->day;
	f.hh = c->hour;
	f.mm = c->min;
	f.ss = c->sec;
	if (f.hh < 0 || f.mm < 0 || f.ss < 0)
		return err_set(e, "time %02d:%02d:%02d does not exist",
		    f.hh, f.mm, f.ss);
	if (check_fields(&f, e) < 0)
		return -1;
	from_local(tf_days_from_civil(f.y, f.m, f.d) * DAY + f.hh * 3600LL +
	    f.mm * 60LL + f.ss, out);
	return 0;
}

/* Hinnant, "chrono-Compatible Low-Level Date Algorithms". */
long long tf_days_from_civil(int y, int m, int d)
{
	long long yy = (long long)y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned mp = (unsigned)(m > 2 ? m - 3 : m + 9);
	unsigned doy = (153 * mp + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, yy;
	unsigned doe, yoe, doy, mp;

	/* Keep within what int years hold; callers stay far inside. */
	if (z < -500000000000LL)
		z = -500000000000LL;
	if (z > 500000000000LL)
		z = 500000000000LL;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* Records come in date order and their times and deadlines fall on a
 * few days, so the day asked for last is kept (lib is single-threaded). */
void tf_civil_from_days(long long z, int *y, int *m, int *d)
{
	static struct {
		long long z;
		int y, m, d, set;
	} last;

	if (!last.set || z != last.z) {
		civil_from_days(z, &last.y, &last.m, &last.d);
		last.z = z;
		last.set = 1;
	}
	*y = last.y;
	*m = last.m;
	*d = last.d;
}

int tf_valid_date(int y, int m, int d)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

int tf_local_offset(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	long g;

	/* localtime_r need not notice a changed TZ by itself. */
	tzset();
	if ((long long)tt != t || localtime_r(&tt, &tm) == NULL)
		return 0;
	g = tm.tm_gmtoff;
	/* Whole minutes: see the top comment. */
	return (int)(g >= 0 ? (g + 30) / 60 * 60 : -((-g + 30) / 60 * 60));
}
