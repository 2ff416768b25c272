/*
 * calendar.h - working days, rest days and counting periods by the
 * official public-holiday calendar.
 *
 * A day is a day number: days since 1970-01-01 (tf_days_from_civil).
 * A calendar knows some years completely: their public holidays (rest
 * days) and the weekend days that are worked instead (make-up working
 * days, 调休上班).  In a known year Saturday and Sunday are rest days
 * unless declared workdays, and declared holidays are rest days.  Any
 * question about a day outside every known year is an error naming the
 * day and the years known, never a guess: the make-up days of a year are
 * only known once its notice is out.  Only counting a deadline may go on
 * past them (cal_add_prov): its date is then provisional, the days of the
 * unknown years counted as if Saturday and Sunday were their only rest
 * days, and the calendar notes the years it lacked (cal_missing) so that
 * a command can say once, at the end of its run, how to add them.
 *
 * The calendar file (data/calendar-cn.txt; onedoor-law(7)):
 *   # comment
 *   year 2024
 *   2024-10-01..2024-10-07 holiday 国庆节
 *   2024-10-12 workday 国庆节调休
 * A "year" line comes before the days of that year.  A workday must fall
 * on a weekend; a day may not be both holiday and workday.
 *
 * Counting (settable on the calendar, the law's rules by default):
 *   first  CAL_FIRST_NEXT  the day of the event is not counted, day 1 is
 *                          the next day (Civil Code art. 201, Civil
 *                          Procedure Law art. 85)
 *          CAL_FIRST_SAME  the day of the event is day 1
 *   roll   CAL_ROLL_NEXT   a calendar-day, month or year period whose
 *                          last day is a rest day ends on the next working
 *                          day (Civil Code art. 203, Civil Procedure Law
 *                          art. 85)
 *          CAL_ROLL_NONE   it ends on that rest day
 * A working-day period always ends on a working day, so roll does not
 * apply to it.
 *
 * Functions return 0 (or the documented value), -1 with e on error.
 */
#ifndef ONEDOOR_CALENDAR_H
#define ONEDOOR_CALENDAR_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

enum cal_first { CAL_FIRST_NEXT, CAL_FIRST_SAME };
enum cal_roll { CAL_ROLL_NEXT, CAL_ROLL_NONE };
enum cal_kind { CAL_WORK, CAL_REST };
enum cal_unit { CAL_DAYS, CAL_WORKING_DAYS, CAL_MONTHS, CAL_YEARS };

/* Per day of a known year. */
#define CAL_F_HOLIDAY	1	/* declared holiday */
#define CAL_F_WORKDAY	2	/* declared make-up working day */

struct cal_year {
	int year;
	unsigned char flag[366];	/* CAL_F_*, by day of year (0-based) */
	unsigned short name[366];	/* index into names + 1, 0 = none */
};

/* The years a provisional count lacked, for the one warning of a run. */
#define CAL_NOTE_MAX	8

struct cal_note {
	int year[CAL_NOTE_MAX];	/* sorted; the first CAL_NOTE_MAX only */
	size_t n;
	int more;		/* 1: more years than CAL_NOTE_MAX */
};

struct cal {
	struct cal_year *y;	/* sorted by year */
	size_t ny, ycap;
	char **names;		/* holiday names as written ("国庆节") */
	size_t nnames, ncap;
	int first;		/* enum cal_first */
	int roll;		/* enum cal_roll */
	unsigned long gen;	/* new with every cal_init, cal_parse and
				   cal_free: cal_add's remembered answers
				   are only taken for the same gen */
	char *file;		/* the file read by cal_load; NULL: built in */
	/* what counting noted, reached through a pointer so that it is
	 * written with the calendar const (a reader's) and shared by the
	 * shallow copies law.c and report.c make to set roll per rule */
	struct cal_note *note;
	struct cal_note note_store;	/* where note points (cal_init) */
};

/* The built-in calendar text, the same statements as data/calendar-cn.txt
 * without its comments; a unit test keeps the two equal. */
extern const char *const cal_builtin[];

void cal_init(struct cal *c);		/* empty, the law's counting rules */
void cal_free(struct cal *c);

/* Add the statements of text (n bytes, any bytes) to c; name is the file
 * name for messages ("calendar-cn.txt:12: ...").  On error c keeps what
 * was read before the bad line; cal_free it. */
int cal_parse(struct cal *c, const char *text, size_t n, const char *name,
    struct err *e);
/* Read a calendar file into c. */
int cal_load(struct cal *c, const char *path, struct err *e);
/* The built-in calendar into c. */
int cal_load_builtin(struct cal *c, struct err *e);
/* The calendar a command uses: path when given (the --calendar option);
 * else $ONEDOOR_DATA/calendar-cn.txt when ONEDOOR_DATA is set (it must
 * exist); else ONEDOOR_DATADIR/calendar-cn.txt (the installed copy, which
 * a station may extend) when it exists; else the built-in calendar. */
int cal_open(struct cal *c, const char *path, struct err *e);

/* A digest of the calendar as read: its years, days, holiday names and
 * counting rules, not the comments or files they came from; the same on
 * every machine (report's partials carry it). */
uint64_t cal_digest(const struct cal *c);

/* 1 when year y is known. */
int cal_known(const struct cal *c, int y);
/* "2023-2026" or "2023, 2025" or "none"; returns buf. */
const char *cal_years(const struct cal *c, char *buf, size_t n);

/* CAL_WORK or CAL_REST; -1 when the day is outside every known year. */
int cal_kind(const struct cal *c, long long day, struct err *e);
/* 1 working day, 0 rest day, -1 unknown year. */
int cal_is_working_day(const struct cal *c, long long day, struct err *e);
/* The declared holiday's name, or NULL (weekends and unknown days). */
const char *cal_holiday(const struct cal *c, long long day);

/* The last day of a period of n units from the event on day from, by
 * c->first and c->roll.  n >= 0; n = 0 gives the event day itself
 * (rolled for CAL_DAYS).  Working days: with CAL_FIRST_NEXT the n-th
 * working day after from; with CAL_FIRST_SAME from counts when it is a
 * working day.  Months and years end on the corresponding day, or the
 * month's last day when there is none (Civil Code art. 202). */
int cal_add(const struct cal *c, long long from, long n, int unit,
    long long *due, struct err *e);
int cal_add_days(const struct cal *c, long long from, long n,
    long long *due, struct err *e);
int cal_add_working_days(const struct cal *c, long long from, long n,
    long long *due, struct err *e);
/* cal_add for a deadline that must not stop at the calendar's edge: a
 * day in a year the calendar lacks is a rest day when it is a Saturday or
 * Sunday and a working day otherwise (no holidays, no make-up days), the
 * counting and roll rules as ever.  *prov is 1 when any day was counted
 * so (the year is then noted, cal_missing), else 0; the days of the
 * years known count exactly as cal_add does.  -1 only for a bad period. */
int cal_add_prov(const struct cal *c, long long from, long n, int unit,
    long long *due, int *prov, struct err *e);
/* The years noted by cal_add_prov since cal_init ("2027" or "2019,
 * 2027"), into buf; returns how many (0: every count was exact). */
size_t cal_missing(const struct cal *c, char *buf, size_t n);

/* Working days in (a, b]: the days after a up to b; negative when b < a.
 * Every day in between must be known. */
int cal_working_between(const struct cal *c, long long a, long long b,
    long *count, struct err *e);

/* "2024-10-12" (11 bytes); returns buf. */
const char *cal_fmt(long long day, char *buf, size_t n);
/* "2024-10-12" -> day number; -1 with e when not a valid date. */
int cal_parse_date(const char *s, size_t n, long long *day, struct err *e);

#endif
