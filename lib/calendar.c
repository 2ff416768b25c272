/*
 * calendar.c - the public-holiday calendar: reading the calendar file,
 * telling working days from rest days, and counting periods in calendar
 * days, working days, months and years.  See calendar.h.
 *
 * A known year is a flat array of 366 day flags: the calendar is a few
 * years of a few dozen declared days, so lookups are an index, and
 * counting a period of 60 working days is a short walk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "fpmap.h"
#include "mem.h"
#include "timefmt.h"

#define CAL_MAX_FILE	(4L << 20)
#define CAL_MAX_N	100000L	/* longest period, in any unit: 270 years of days */
#define CAL_MIN_YEAR	1900
#define CAL_MAX_YEAR	9999
#define CAL_MAX_NAME	200

/* The built-in calendar: the statement lines of data/calendar-cn.txt
 * (comment and blank lines dropped), each quoted as a C string.
 * test_calendar.c checks that both say the same. */
const char *const cal_builtin[] = {
	"year 2023",
	"2023-01-01..2023-01-02 holiday 元旦",
	"2023-01-21..2023-01-27 holiday 春节",
	"2023-01-28 workday 春节调休",
	"2023-01-29 workday 春节调休",
	"2023-04-05 holiday 清明节",
	"2023-04-23 workday 劳动节调休",
	"2023-04-29..2023-05-03 holiday 劳动节",
	"2023-05-06 workday 劳动节调休",
	"2023-06-22..2023-06-24 holiday 端午节",
	"2023-06-25 workday 端午节调休",
	"2023-09-29..2023-10-06 holiday 中秋节、国庆节",
	"2023-10-07 workday 国庆节调休",
	"2023-10-08 workday 国庆节调休",
	"year 2024",
	"2024-01-01 holiday 元旦",
	"2024-02-04 workday 春节调休",
	"2024-02-10..2024-02-17 holiday 春节",
	"2024-02-18 workday 春节调休",
	"2024-04-04..2024-04-06 holiday 清明节",
	"2024-04-07 workday 清明节调休",
	"2024-04-28 workday 劳动节调休",
	"2024-05-01..2024-05-05 holiday 劳动节",
	"2024-05-11 workday 劳动节调休",
	"2024-06-10 holiday 端午节",
	"2024-09-14 workday 中秋节调休",
	"2024-09-15..2024-09-17 holiday 中秋节",
	"2024-09-29 workday 国庆节调休",
	"2024-10-01..2024-10-07 holiday 国庆节",
	"2024-10-12 workday 国庆节调休",
	"year 2025",
	"2025-01-01 holiday 元旦",
	"2025-01-26 workday 春节调休",
	"2025-01-28..2025-02-04 holiday 春节",
	"2025-02-08 workday 春节调休",
	"2025-04-04..2025-04-06 holiday 清明节",
	"2025-04-27 workday 劳动节调休",
	"2025-05-01..2025-05-05 holiday 劳动节",
	"2025-05-31..2025-06-02 holiday 端午节",
	"2025-09-28 workday 国庆节调休",
	"2025-10-01..2025-10-08 holiday 国庆节、中秋节",
	"2025-10-11 workday 国庆节调休",
	"year 2026",
	"2026-01-01..2026-01-03 holiday 元旦",
	"2026-01-04 workday 元旦调休",
	"2026-02-14 workday 春节调休",
	"2026-02-15..2026-02-23 holiday 春节",
	"2026-02-28 workday 春节调休",
	"2026-04-04..2026-04-06 holiday 清明节",
	"2026-05-01..2026-05-05 holiday 劳动节",
	"2026-05-09 workday 劳动节调休",
	"2026-06-19..2026-06-21 holiday 端午节",
	"2026-09-20 workday 国庆节调休",
	"2026-09-25..2026-09-27 holiday 中秋节",
	"2026-10-01..2026-10-07 holiday 国庆节",
	"2026-10-10 workday 国庆节调休",
	NULL
};

/* Calendars ever set up or changed, for struct cal's gen: two
 * calendars, or one before and after a change, never share a gen. */
static unsigned long cal_gens;

void cal_init(struct cal *c)
{
	memset(c, 0, sizeof *c);
	c->first = CAL_FIRST_NEXT;
	c->roll = CAL_ROLL_NEXT;
	c->gen = ++cal_gens;
	c->note = &c->note_store;
}

void cal_free(struct cal *c)
{
	size_t i;

	for (i = 0; i < c->nnames; i++)
		mem_free(c->names[i]);
	mem_free(c->names);
	mem_free(c->y);
	mem_free(c->file);
	c->y = NULL;
	c->names = NULL;
	c->file = NULL;
	if (c->note != NULL)
		memset(c->note, 0, sizeof *c->note);
	c->ny = c->ycap = c->nnames = c->ncap = 0;
	c->gen = ++cal_gens;
}

const char *cal_fmt(long long day, char *buf, size_t n)
{
	int y, m, d;

	char tmp[TF_DATE_MAX], *end;
	size_t len;

	/* every deadline of every changed record comes through here */
	tf_civil_from_days(day, &y, &m, &d);
	end = tf_put_date(tmp, y, m, d);
	len = (size_t)(end - tmp);
	if (n > 0) {
		if (len >= n)
			len = n - 1;
		memcpy(buf, tmp, len);
		buf[len] = '\0';
	}
	return buf;
}

static int digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The number written by the four digits at s (the text need not end
 * there: a calendar is parsed in place, without a NUL after each word). */
static int four_digits(const char *s)
{
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0');
}

int cal_parse_date(const char *s, size_t n, long long *day, struct err *e)
{
	int y, m, d;

	if (n != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return err_set(e, "\"%.*s\": not a date (YYYY-MM-DD)",
		    (int)(n > 40 ? 40 : n), s);
	y = four_digits(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!tf_valid_date(y, m, d))
		return err_set(e, "%.10s: no such date", s);
	*day = tf_days_from_civil(y, m, d);
	return 0;
}

/* The known year y, or NULL. */
static struct cal_year *find_year(const struct cal *c, int y)
{
	size_t lo = 0, hi = c->ny, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->y[mid].year == y)
			return &c->y[mid];
		if (c->y[mid].year < y)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t cal_digest(const struct cal *c)
{
	uint64_t h = fp_more_num(FP_START, c->first);
	size_t i;
	int d;

	h = fp_more_num(h, c->roll);
	for (i = 0; i < c->ny; i++) {
		const struct cal_year *y = &c->y[i];

		h = fp_more_num(h, y->year);
		h = fp_more(h, y->flag, sizeof y->flag);
		for (d = 0; d < 366; d++)
			if (y->name[d] != 0) {
				h = fp_more_num(h, d);
				h = fp_more_str(h, c->names[y->name[d] - 1]);
			}
	}
	return h;
}

int cal_known(const struct cal *c, int y)
{
	return find_year(c, y) != NULL;
}

const char *cal_years(const struct cal *c, char *buf, size_t n)
{
	size_t i, j, len = 0;
	int w;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (c->ny == 0) {
		snprintf(buf, n, "none");
		return buf;
	}
	for (i = 0; i < c->ny; i = j + 1) {
		/* a run of consecutive years prints as a span */
		for (j = i; j + 1 < c->ny && c->y[j + 1].year == c->y[j].year + 1; j++)
			;
		if (j == i)
			w = snprintf(buf + len, n - len, "%s%d", i ? ", " : "",
			    c->y[i].year);
		else
			w = snprintf(buf + len, n - len, "%s%d-%d", i ? ", " : "",
			    c->y[i].year, c->y[j].year);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
	return buf;
}

static int add_year(struct cal *c, int y, struct err *e)
{
	struct cal_year *p;
	size_t i;

	if (c->ny == c->ycap) {
		size_t cap = c->ycap ? c->ycap * 2 : 8;

		if ((p = mem_realloc(c->y, cap * sizeof *p)) == NULL)
			return err_nomem(e);
		c->y = p;
		c->ycap = cap;
	}
	for (i = c->ny; i > 0 && c->y[i - 1].year > y; i--)
		;
	memmove(&c->y[i + 1], &c->y[i], (c->ny - i) * sizeof *c->y);
	memset(&c->y[i], 0, sizeof *c->y);
	c->y[i].year = y;
	c->ny++;
	return 0;
}

/* Index + 1 of the name in the table, added when new; 0 for "". */
static int name_index(struct cal *c, const char *s, size_t n,
    unsigned short *out, struct err *e)
{
	size_t i;
	char **p;

	*out = 0;
	if (n == 0)
		return 0;
	for (i = 0; i < c->nnames; i++)
		if (strlen(c->names[i]) == n && memcmp(c->names[i], s, n) == 0) {
			*out = (unsigned short)(i + 1);
			return 0;
		}
	if (c->nnames >= 65535)
		return err_set(e, "too many holiday names");
	if (c->nnames == c->ncap) {
		size_t cap = c->ncap ? c->ncap * 2 : 16;

		if ((p = mem_realloc(c->names, cap * sizeof *p)) == NULL)
			return err_nomem(e);
		c->names = p;
		c->ncap = cap;
	}
	if ((c->names[c->nnames] = mem_strndup(s, n)) == NULL)
		return err_nomem(e);
	c->nnames++;
	*out = (unsigned short)c->nnames;
	return 0;
}

/* 0 = Sunday; 1970-01-01 was a Thursday. */
static int weekday(long long day)
{
	long long w = (day + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/*
 * The year and day-of-year slot of day, or NULL when not known.  Deadline
 * counting asks for one day after another, nearly always in the year it
 * asked for last: that year's day range is remembered, and checked
 * against the calendar it came from (same array, same size, same year at
 * that index) before it is trusted, so a calendar that grew or was freed
 * and replaced is simply looked up again.
 */
static struct {
	const struct cal_year *y;
	size_t ny, idx;
	int year;
	long long first, last;	/* the year's days */
} last_year;

static struct cal_year *slot(const struct cal *c, long long day, int *doy)
{
	int y, m, d;
	struct cal_year *cy;

	if (c->y == last_year.y && c->ny == last_year.ny &&
	    last_year.idx < c->ny && c->y[last_year.idx].year == last_year.year &&
	    day >= last_year.first && day <= last_year.last) {
		*doy = (int)(day - last_year.first);
		return &c->y[last_year.idx];
	}
	tf_civil_from_days(day, &y, &m, &d);
	if ((cy = find_year(c, y)) == NULL)
		return NULL;
	last_year.y = c->y;
	last_year.ny = c->ny;
	last_year.idx = (size_t)(cy - c->y);
	last_year.year = y;
	last_year.first = tf_days_from_civil(y, 1, 1);
	last_year.last = tf_days_from_civil(y, 12, 31);
	*doy = (int)(day - last_year.first);
	return cy;
}

static int unknown(const struct cal *c, long long day, struct err *e)
{
	char d[16], years[128];

	return err_set(e, "%s is outside the calendar (it knows %s); "
	    "a calendar file with that year is needed",
	    cal_fmt(day, d, sizeof d), cal_years(c, years, sizeof years));
}

/* Note the year of day as lacked by a provisional count. */
static void note_year(const struct cal *c, long long day)
{
	struct cal_note *nt = c->note;
	int y, m, d;
	size_t i;

	if (nt == NULL)
		return;
	tf_civil_from_days(day, &y, &m, &d);
	for (i = 0; i < nt->n && nt->year[i] < y; i++)
		;
	if (i < nt->n && nt->year[i] == y)
		return;
	if (nt->n == CAL_NOTE_MAX) {
		nt->more = 1;
		return;
	}
	memmove(&nt->year[i + 1], &nt->year[i], (nt->n - i) * sizeof nt->year[0]);
	nt->year[i] = y;
	nt->n++;
}

/*
 * cal_kind, or with prov given the weekend's answer for a day of a year
 * the calendar lacks (*prov set, the year noted): a provisional count.
 */
static int kind_at(const struct cal *c, long long day, int *prov,
    struct err *e)
{
	struct cal_year *cy;
	int doy, w;

	if ((cy = slot(c, day, &doy)) == NULL) {
		if (prov == NULL)
			return unknown(c, day, e);
		*prov = 1;
		note_year(c, day);
		w = weekday(day);
		return w == 0 || w == 6 ? CAL_REST : CAL_WORK;
	}
	if (cy->flag[doy] & CAL_F_HOLIDAY)
		return CAL_REST;
	if (cy->flag[doy] & CAL_F_WORKDAY)
		return CAL_WORK;
	w = weekday(day);
	return w == 0 || w == 6 ? CAL_REST : CAL_WORK;
}

int cal_kind(const struct cal *c, long long day, struct err *e)
{
	return kind_at(c, day, NULL, e);
}

int cal_is_working_day(const struct cal *c, long long day, struct err *e)
{
	int k = cal_kind(c, day, e);

	return k < 0 ? -1 : k == CAL_WORK;
}

const char *cal_holiday(const struct cal *c, long long day)
{
	struct cal_year *cy;
	int doy;

	if ((cy = slot(c, day, &doy)) == NULL || cy->name[doy] == 0)
		return NULL;
	return c->names[cy->name[doy] - 1];
}

/* --- the file --- */

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* The next word of [*p, end): its start and length; *p moves past it. */
static size_t word(const char **p, const char *end, const char **w)
{
	const char *s = *p;

	while (s < end && is_space(*s))
		s++;
	*w = s;
	while (s < end && !is_space(*s))
		s++;
	*p = s;
	return (size_t)(s - *w);
}

static int parse_year(struct cal *c, const char *p, const char *end,
    struct err *e)
{
	const char *w;
	size_t n = word(&p, end, &w), rest;
	int y;

	if (n != 4 || !digits(w, 4))
		return err_set(e, "year: want a year such as 2024");
	y = four_digits(w);
	if (y < CAL_MIN_YEAR || y > CAL_MAX_YEAR)
		return err_set(e, "year %d: out of range", y);
	if ((rest = word(&p, end, &w)) != 0)
		return err_set(e, "year %d: unexpected \"%.*s\"", y,
		    (int)(rest > 40 ? 40 : rest), w);
	if (find_year(c, y))
		return err_set(e, "year %d: declared twice", y);
	return add_year(c, y, e);
}

static int parse_days(struct cal *c, const char *w, size_t n,
    const char *p, const char *end, struct err *e)
{
	long long a, b, d;
	const char *kw, *name;
	size_t kn, nn;
	unsigned char flag, other;
	unsigned short ni;
	struct cal_year *cy;
	int doy, wd;
	char ds[16];

	if (n == 22 && memcmp(w + 10, "..", 2) == 0) {
		if (cal_parse_date(w, 10, &a, e) < 0 ||
		    cal_parse_date(w + 12, 10, &b, e) < 0)
			return -1;
		if (b < a)
			return err_set(e, "%.22s: the range ends before it starts", w);
		if (b - a > 366)
			return err_set(e, "%.22s: a range of more than a year", w);
	} else {
		if (cal_parse_date(w, n, &a, e) < 0)
			return -1;
		b = a;
	}
	kn = word(&p, end, &kw);
	if (kn == 7 && memcmp(kw, "holiday", 7) == 0) {
		flag = CAL_F_HOLIDAY;
		other = CAL_F_WORKDAY;
	} else if (kn == 7 && memcmp(kw, "workday", 7) == 0) {
		flag = CAL_F_WORKDAY;
		other = CAL_F_HOLIDAY;
	} else
		return err_set(e, "%.*s: want \"holiday\" or \"workday\" after "
		    "the date", (int)(n > 40 ? 40 : n), w);
	/* the name: the rest of the line, trimmed */
	while (p < end && is_space(*p))
		p++;
	name = p;
	while (end > p && is_space(end[-1]))
		end--;
	nn = (size_t)(end - name);
	if (nn > CAL_MAX_NAME)
		return err_set(e, "holiday name longer than %d bytes", CAL_MAX_NAME);
	if (memchr(name, '\0', nn) != NULL)
		return err_set(e, "a NUL byte in the holiday name");
	if (name_index(c, name, nn, &ni, e) < 0)
		return -1;
	for (d = a; d <= b; d++) {
		cal_fmt(d, ds, sizeof ds);
		if ((cy = slot(c, d, &doy)) == NULL)
			return err_set(e, "%s: its year has no \"year\" line above",
			    ds);
		wd = weekday(d);
		if (flag == CAL_F_WORKDAY && wd != 0 && wd != 6)
			return err_set(e, "%s: a workday must be a Saturday or "
			    "Sunday (this is a weekday, worked anyway)", ds);
		if (cy->flag[doy] & other)
			return err_set(e, "%s: both holiday and workday", ds);
		cy->flag[doy] |= flag;
		if (ni != 0)
			cy->name[doy] = ni;
	}
	return 0;
}

static int parse_line(struct cal *c, const char *p, const char *end,
    struct err *e)
{
	const char *w;
	size_t n = word(&p, end, &w);

	if (n == 0 || w[0] == '#')
		return 0;
	if (n == 4 && memcmp(w, "year", 4) == 0)
		return parse_year(c, p, end, e);
	return parse_days(c, w, n, p, end, e);
}

int cal_parse(struct cal *c, const char *text, size_t n, const char *name,
    struct err *e)
{
	const char *p = text, *end = text + n, *nl, *le;
	unsigned long line = 0;

	c->gen = ++cal_gens;	/* even when it fails half-way */
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		le = nl;
		if (le > p && le[-1] == '\r')
			le--;
		if (parse_line(c, p, le, e) < 0)
			return err_prefix(e, "%s:%lu", name, line);
		p = nl < end ? nl + 1 : end;
	}
	return 0;
}

int cal_load(struct cal *c, const char *path, struct err *e)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t got;
	FILE *f;
	int rc = -1;

	if ((f = fopen(path, "rb")) == NULL)
		return err_sys(e, "calendar %s", path);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + got > (size_t)CAL_MAX_FILE) {
			err_set(e, "%s: too large for a calendar file", path);
			goto out;
		}
		if (buf_add(&b, chunk, got) < 0) {
			err_nomem(e);
			goto out;
		}
	}
	if (ferror(f)) {
		err_sys(e, "%s", path);
		goto out;
	}
	if ((rc = cal_parse(c, b.p ? b.p : "", b.len, path, e)) == 0) {
		/* named in the warning about provisional deadlines */
		mem_free(c->file);
		if ((c->file = mem_strdup(path)) == NULL)
			rc = err_nomem(e);
	}
out:
	fclose(f);
	buf_free(&b);
	return rc;
}

int cal_load_builtin(struct cal *c, struct err *e)
{
	size_t i;

	for (i = 0; cal_builtin[i] != NULL; i++)
		if (cal_parse(c, cal_builtin[i], strlen(cal_builtin[i]),
		    "built-in calendar", e) < 0)
			return -1;
	return 0;
}

int cal_open(struct cal *c, const char *path, struct err *e)
{
	const char *dir;
	struct buf b = BUF_INIT;
	int rc;

	if (path != NULL)
		return cal_load(c, path, e);
	if ((dir = getenv("ONEDOOR_DATA")) != NULL && *dir != '\0') {
		if (buf_printf(&b, "%s/calendar-cn.txt", dir) < 0)
			return err_nomem(e);
		rc = cal_load(c, b.p, e);
		buf_free(&b);
		return rc;
	}
#ifdef ONEDOOR_DATADIR
	{
		FILE *f;

		if (buf_printf(&b, "%s/calendar-cn.txt", ONEDOOR_DATADIR) < 0)
			return err_nomem(e);
		/* the installed copy, when there is one, may know more years */
		if ((f = fopen(b.p, "rb")) != NULL) {
			fclose(f);
			rc = cal_load(c, b.p, e);
			buf_free(&b);
			return rc;
		}
		buf_free(&b);
	}
#endif
	return cal_load_builtin(c, e);
}

/* --- counting --- */

static int roll(const struct cal *c, long long *d, int *prov, struct err *e)
{
	int k;

	if (c->roll != CAL_ROLL_NEXT)
		return 0;
	while ((k = kind_at(c, *d, prov, e)) == CAL_REST)
		++*d;
	return k < 0 ? -1 : 0;
}

/* from + n months, on the corresponding day or the month's last. */
static long long add_months(long long from, long n)
{
	int y, m, d;
	long long mm;

	tf_civil_from_days(from, &y, &m, &d);
	mm = (long long)y * 12 + (m - 1) + n;
	y = (int)(mm / 12);
	m = (int)(mm % 12) + 1;
	while (d > 28 && !tf_valid_date(y, m, d))
		d--;
	return tf_days_from_civil(y, m, d);
}

/*
 * cal_add's answers, remembered: every case routed asks for the same few
 * periods from the day it came in, and cases come in date order, so the
 * same questions follow each other (a 60-working-day count is 60 day
 * look-ups).  An answer is taken only for the calendar it came from, by
 * gen (calendar contents) with first and roll (counting rules).
 */
#define CAL_MEMO 256

static struct cal_memo {
	unsigned long gen;	/* 0: empty */
	long long from, due;
	long n;
	int unit, first, roll;
	int prov;		/* a provisional answer: for cal_add_prov only */
} memo[CAL_MEMO];

static struct cal_memo *memo_slot(long long from, long n, int unit)
{
	unsigned long long h = (unsigned long long)from * 31 +
	    (unsigned long long)n * 7 + (unsigned long long)unit;

	return &memo[(h ^ h >> 8) % CAL_MEMO];
}

static int memo_hit(const struct cal_memo *m, const struct cal *c,
    long long from, long n, int unit)
{
	return c->gen != 0 && m->gen == c->gen && m->from == from &&
	    m->n == n && m->unit == unit && m->first == c->first &&
	    m->roll == c->roll;
}

static int count(const struct cal *c, long long from, long n, int unit,
    long long *due, int *prov, struct err *e);

int cal_add(const struct cal *c, long long from, long n, int unit,
    long long *due, struct err *e)
{
	return cal_add_prov(c, from, n, unit, due, NULL, e);
}

/* cal_add, or with prov a provisional count (calendar.h). */
int cal_add_prov(const struct cal *c, long long from, long n, int unit,
    long long *due, int *prov, struct err *e)
{
	struct cal_memo *m = memo_slot(from, n, unit);
	int p = 0;

	/* a provisional answer is no answer to a question that wants an
	 * exact one: cal_add then fails as it always has */
	if (memo_hit(m, c, from, n, unit) && (prov != NULL || !m->prov)) {
		*due = m->due;
		if (prov != NULL)
			*prov = m->prov;
		return 0;
	}
	if (count(c, from, n, unit, due, prov != NULL ? &p : NULL, e) < 0)
		return -1;
	if (prov != NULL)
		*prov = p;
	m->prov = p;
	m->gen = c->gen;
	m->from = from;
	m->n = n;
	m->unit = unit;
	m->first = c->first;
	m->roll = c->roll;
	m->due = *due;
	return 0;
}

/* cal_add, counted. */
static int count(const struct cal *c, long long from, long n, int unit,
    long long *due, int *prov, struct err *e)
{
	long long d = from;
	long k = 0;
	int w;

	if (n < 0 || n > CAL_MAX_N)
		return err_set(e, "a period of %ld: out of range", n);
	switch (unit) {
	case CAL_DAYS:
		d = from + n;
		if (c->first == CAL_FIRST_SAME && n > 0)
			d--;
		break;
	case CAL_MONTHS:
	case CAL_YEARS:
		if (unit == CAL_YEARS && n > CAL_MAX_N / 12)
			return err_set(e, "a period of %ld years: out of range", n);
		d = add_months(from, unit == CAL_YEARS ? n * 12 : n);
		if (c->first == CAL_FIRST_SAME && n > 0)
			d--;
		break;
	case CAL_WORKING_DAYS:
		if (n == 0) {
			*due = from;
			return 0;
		}
		if (c->first == CAL_FIRST_SAME) {
			if ((w = kind_at(c, from, prov, e)) < 0)
				return -1;
			k = w == CAL_WORK;
		}
		while (k < n) {
			d++;
			if ((w = kind_at(c, d, prov, e)) < 0)
				return -1;
			k += w == CAL_WORK;
		}
		*due = d;
		return 0;
	default:
		return err_set(e, "unknown unit %d", unit);
	}
	if (roll(c, &d, prov, e) < 0)
		return -1;
	*due = d;
	return 0;
}

int cal_add_days(const struct cal *c, long long from, long n,
    long long *due, struct err *e)
{
	return cal_add(c, from, n, CAL_DAYS, due, e);
}

int cal_add_working_days(const struct cal *c, long long from, long n,
    long long *due, struct err *e)
{
	return cal_add(c, from, n, CAL_WORKING_DAYS, due, e);
}

int cal_working_between(const struct cal *c, long long a, long long b,
    long *count, struct err *e)
{
	long long lo = a < b ? a : b, hi = a < b ? b : a, d;
	long k = 0;
	int w;

	if (hi - lo > CAL_MAX_N)
		return err_set(e, "a span of %lld days: out of range", hi - lo);
	for (d = lo + 1; d <= hi; d++) {
		if ((w = cal_is_working_day(c, d, e)) < 0)
			return -1;
		k += w;
	}
	*count = b < a ? -k : k;
	return 0;
}

size_t cal_missing(const struct cal *c, char *buf, size_t n)
{
	const struct cal_note *nt = c->note;
	size_t i, len = 0;
	int w;

	if (n > 0)
		buf[0] = '\0';
	if (nt == NULL)
		return 0;
	for (i = 0; i < nt->n; i++) {
		w = snprintf(buf + len, n - len, "%s%d", i ? ", " : "",
		    nt->year[i]);
		if (w < 0 || (size_t)w >= n - len)
			return nt->n;
		len += (size_t)w;
	}
	if (nt->more)
		snprintf(buf + len, n - len, ", ...");
	return nt->n;
}
