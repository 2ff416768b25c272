/*
 * report_agg.h - the inside of report: figures, groups, the exact
 * duration histograms, the overdue list and the employer tallies, shared
 * by lib/report*.c and the unit tests.  Not for commands.
 *
 * Every figure is a whole number (a count, or fen for money) or derived
 * from whole numbers at output (success_rate, median_hours, p90_hours),
 * so that any split of the records into shards sums back to the same
 * numbers: the totals row is the sum of the groups, computed the same
 * way in a single run and in a merge.
 */
#ifndef ONEDOOR_REPORT_AGG_H
#define ONEDOOR_REPORT_AGG_H

#include <stdio.h>

#include "err.h"
#include "law.h"
#include "record.h"
#include "report.h"

#define REPORT_MAXBY	8

enum fig {
	F_CASES, F_WORKERS, F_AMOUNT, F_ONLINE, F_OFFLINE, F_OPEN, F_CLOSED,
	F_ST_NEW, F_ST_ROUTED, F_ST_MEDIATING, F_ST_AGREED, F_ST_FAILED,
	F_ST_ESCALATED, F_ST_CONFIRMED, F_ST_CLOSED, F_ST_OTHER,
	F_MEDIATED, F_AGREED, F_FAILED, F_WITHDRAWN, F_SUCCESS_RATE,
	F_CONFIRMED, F_PERFORMED, F_ESCALATED, F_REFERRED, F_ENFORCEMENT,
	F_AGREED_AMOUNT, F_OVERDUE, F_IN_TIME, F_LATE, F_MEDIAN, F_P90,
	F_WARNING, F_WARNING_WORKERS,
	/* the legal clock (onedoor-law(7)): art. 14 and art. 33 */
	F_IN_LIMIT, F_AFTER_LIMIT, F_PAST_LIMIT, F_CONF_IN_WINDOW, F_CONF_MISSED,
	NFIG
};

enum fig_kind { K_COUNT, K_MONEY, K_RATE, K_HOURS };

struct fig_info {
	const char *name;	/* CSV column and JSON key */
	const char *zh;		/* --lang zh label */
	int kind;
};
extern const struct fig_info report_figs[NFIG];

/* --by keys */
enum bykey {
	BY_DAY, BY_WEEK, BY_MONTH, BY_YEAR, BY_CHANNEL, BY_TYPE, BY_GRID,
	BY_EMPLOYER, BY_ASSIGNEE, BY_TRACK, BY_STATUS, BY_PRIORITY, BY_DESK,
	NBY
};
extern const char *const report_by_zh[NBY];

/* Durations in whole minutes, as an open-addressing map minute ->
 * count: exact, and small (bounded by the distinct minutes). */
struct hist {
	long long *slot;	/* cap pairs: minute + 1 (0 marks an empty
				   slot), count */
	size_t n, cap;
};

struct group {
	struct group *next;
	unsigned hash;
	char *key;		/* components joined by NUL bytes */
	size_t klen;
	long long c[NFIG];
	struct hist h;
};

struct overdue_item {
	char *id, *received_at, *type, *employer, *assignee, *due_at;
	long long due, late;	/* due time; seconds past it at --now */
};

/* One deadline of one open case, for --due. */
struct due_item {
	char *id, *status, *assignee, *rule;	/* rule: its id in the table */
	long long due, today;	/* day numbers: the last day, --now's day */
	int prov;		/* due is provisional (law_deadline) */
};

struct risk_item {
	struct risk_item *next;
	unsigned hash;
	char *employer;
	long long cases, open, construction_open, group_open, workers, amount;
};

struct agg {
	int by[REPORT_MAXBY];
	int nby;
	long long since, until, now;
	int has_since, has_until;
	int view;		/* enum report_view: the list kept, if any */
	long within;		/* --due: days ahead of --now */
	struct group **tab;
	size_t ntab, ngroups;
	struct risk_item **rtab;
	size_t nrtab, nrisk;
	struct overdue_item *od;
	size_t nod, odcap;
	struct due_item *du;
	size_t ndu, ducap;
	/* the legal clock; NULL in a merge, which reads no records */
	const struct law *law;
	const struct cal *cal;
	const struct law_rule *r_limit, *r_conf;	/* NULL when off */
	/* digests of the law table and calendar: this run's (law_digest,
	 * cal_digest), then in a merge the partials' (from their header) */
	uint64_t law_fp, cal_fp, part_law_fp, part_cal_fp;
	struct tf_time nowt;
	long long today;	/* day number of --now, in its offset */
	/* last days by (rule, first day): cases come in on few days */
	long long dkey[2][512], ddue[2][512];
	/* local midnights by day number: TZ lookups are dear */
	long long mkey[512], mval[512];
	long long rejected;
	struct group *last;	/* the group the previous event went to */
	/* per figure, and for the durations' counts, the sum of the
	 * magnitudes of everything agg_add added: see AGG_SUM_MAX */
	long long mag[NFIG], hmag;
};

/*
 * Bounds that keep every sum exact.  A figure's sum in any group, in the
 * totals row or in any other sum of groups (a chart's bars by one key, a
 * merge) is at most the sum of the magnitudes of what was added to it,
 * which agg_add keeps under AGG_SUM_MAX for money and people and AGG_COUNT_MAX
 * for counts of cases (the bound under which percentages are computed
 * exactly).  A run's own counts grow by one a case and cannot get near
 * it; partials are read through these bounds, so that a damaged or
 * hostile one is refused instead of wrapping around.
 */
#define AGG_SUM_MAX	9000000000000000000LL	/* 9e16 yuan in fen */
#define AGG_COUNT_MAX	100000000000000LL	/* 1e14 cases */
#define AGG_MINUTE_MAX	6000000000LL	/* a duration of 11,000 years */

/* *sum += v for figure f, or -1 with e when that would take the figure
 * beyond its bound. */
int agg_add(struct agg *a, long long *sum, int f, long long v, struct err *e);
/* *sum += v when v >= 0 and the sum stays within max: 1, else 0 and
 * *sum unchanged (the employers' tallies of --risk, which no row sums). */
int agg_sum_within(long long *sum, long long v, long long max);

int agg_init(struct agg *a, const struct report_opts *o, struct err *e);
void agg_free(struct agg *a);
/* 0 counted; 1 not counted (e says why, without file and line); -1 fatal */
int agg_record(struct agg *a, const struct rec *r, struct err *e);
/* The group with this key, created when new; NULL when memory ran out. */
struct group *agg_group(struct agg *a, const char *key, size_t klen);
struct risk_item *agg_risk(struct agg *a, const char *employer);
int agg_overdue_add(struct agg *a, const struct overdue_item *it);
int agg_due_add(struct agg *a, const struct due_item *it);
/* 0/-1 (ENOMEM) */
int hist_add(struct hist *h, long long minute, long long n);
int hist_merge(struct hist *dst, const struct hist *src);
/* Sorted (minute, count) pairs; caller frees *pairs with mem_free. */
int hist_sorted(const struct hist *h, long long **pairs, size_t *n);
/* Nearest-rank percentile p (0 < p <= 100) in minutes; -1 when empty. */
long long hist_percentile(const long long *pairs, size_t n, int p);
void hist_free(struct hist *h);

/* Partial aggregates: write all of a; read one file (or "-") into a. */
int agg_partial_write(const struct agg *a, FILE *f, struct err *e);
int agg_partial_read(struct agg *a, const char *path, int *seen_header,
    struct err *e);
/* One line of a partial (n bytes, the line end optional) into a, as
 * agg_partial_read reads each: for the tests and the fuzzer.  Group
 * lines of agg_partial_write's own shape are read by a scanner of their
 * own, any other spelling by jansson; both must come to the same. */
int agg_partial_line(struct agg *a, const char *line, size_t n, int *seen,
    struct err *e);

/* Format fixed-point hundredths (1234 -> "12.34"); buf needs 32 bytes. */
int report_fix2(char *buf, size_t n, long long hundredths);
/* a / b as a percentage in hundredths, rounded half up; b > 0. */
long long report_pct(long long a, long long b);
/* minutes as hours in hundredths, rounded half up */
long long report_hours(long long minutes);

/* Write the view o asks for. */
int agg_render(struct agg *a, const struct report_opts *o, struct err *e);

#endif
