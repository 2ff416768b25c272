/*
 * timefmt.h - times as people write them in, RFC 3339 out.
 *
 * A time is seconds since the epoch plus the UTC offset it is shown in.
 * Inputs without an offset take the local offset from TZ at that moment
 * (Asia/Shanghai gives +08:00).  Accepted inputs:
 *   2024-04-11                       midnight local
 *   2024-04-11 09:30 / 09:30:15      local
 *   2024/4/11 9:30, 2024/4/11
 *   2024年4月11日, 2024年4月11日 9:30, 2024年4月11日9时30分
 *   2024-04-11T09:30:00+08:00, ...Z, with fractional seconds (dropped)
 * Dates that do not exist (2023-02-30, 24:00) are errors.
 */
#ifndef ONEDOOR_TIMEFMT_H
#define ONEDOOR_TIMEFMT_H

#include <stddef.h>
#include "err.h"

struct tf_time {
	long long t;		/* seconds since 1970-01-01T00:00:00Z */
	int off;		/* seconds east of UTC it is shown in */
};

/* Broken-down civil time in the time's own offset. */
struct tf_civil {
	int year, month, day, hour, min, sec;
	int wday;		/* 0 = Sunday */
};

int tf_parse(const char *s, struct tf_time *out, struct err *e);
/* The day number (tf_days_from_civil) of the date s is written on: the
 * local date of tf_parse's time in the offset it is shown in, without
 * working the time out; the same errors as tf_parse. */
int tf_parse_day(const char *s, long long *day, struct err *e);

/* The --now option: NULL means the clock; otherwise tf_parse. */
int tf_now(const char *arg, struct tf_time *out, struct err *e);

/* "2024-04-11T09:30:00+08:00" ("Z" for offset 0); returns the length,
 * buf needs 32 bytes. */
int tf_format(char *buf, size_t n, struct tf_time t);
/* "2024-04-11 09:30" (spreadsheets) and "2024-04-11" (day labels). */
int tf_format_minute(char *buf, size_t n, struct tf_time t);
int tf_format_date(char *buf, size_t n, struct tf_time t);
/* Put "YYYY-MM-DD" at p (no NUL) and return the end: the formatter
 * under the three above and cal_fmt, without snprintf.  p needs
 * TF_DATE_MAX bytes (a year outside 0-9999 takes more than 10). */
#define TF_DATE_MAX 40
char *tf_put_date(char *p, int y, int m, int d);

void tf_to_civil(struct tf_time t, struct tf_civil *c);
/* Local civil time -> time, with the offset TZ gives it. -1 if invalid. */
int tf_from_civil(const struct tf_civil *c, struct tf_time *out,
    struct err *e);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
long long tf_days_from_civil(int y, int m, int d);
void tf_civil_from_days(long long days, int *y, int *m, int *d);
int tf_valid_date(int y, int m, int d);

/* The local offset (seconds east of UTC) TZ gives at time t. */
int tf_local_offset(long long t);

#endif
