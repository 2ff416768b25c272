/*
 * window.h - report windows and calendar buckets.
 *
 * A --since or --until argument names a span of time [start, end),
 * resolved against --now in the local time zone (TZ):
 *   today, yesterday, this-week, last-week, this-month, last-month,
 *   this-year, last-year      whole local days, weeks (Monday first),
 *                             months and years
 *   2024, 2024-04             a whole year, a whole month
 *   2024-04-11 (any date form tf_parse reads)   that whole day
 *   -7d, -12h, -2w            the instant that long before --now
 *   now, or a date with a time                  that instant
 * --since takes a span's start, --until its end, so that
 * "--since last-month --until last-month" is exactly last month.
 *
 * Buckets for --by day, week, month and year label a moment by its local
 * date: "2024-04-11", ISO 8601 week "2024-W15", "2024-04", "2024".  The
 * labels sort bytewise in time order.
 */
#ifndef ONEDOOR_WINDOW_H
#define ONEDOOR_WINDOW_H

#include <stddef.h>
#include "err.h"
#include "timefmt.h"

enum win_unit { WIN_DAY, WIN_WEEK, WIN_MONTH, WIN_YEAR };

/* The span s names; 0, or -1 with e saying why. */
int win_span(const char *s, struct tf_time now, long long *start,
    long long *end, struct err *e);

/* The bucket label of t; returns its length; buf needs 16 bytes. */
int win_label(long long t, int unit, char *buf, size_t n);

/* An RFC 3339 time as the records carry it, read fast; other forms go
 * through tf_parse.  0, or -1 with e. */
int win_time(const char *s, long long *t, struct err *e);

/* Local midnight (TZ) starting day number d (days since 1970-01-01):
 * the moment a deadline's last day begins.  0, or -1 with e. */
int win_day_start(long long d, long long *t, struct err *e);

/* The local offset at t, cached: TZ lookups cost more than the rest of
 * a record's bucket. */
int win_offset(long long t);

#endif
