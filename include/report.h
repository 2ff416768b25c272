/*
 * report.h - the station's figures over case records: counts, sums,
 * rates and durations per group, the overdue list, the employers at
 * risk; and partial aggregates that merge exactly, for runs over shards.
 *
 * The command fills struct report_opts from its options and calls
 * report_run once.  lib reads the inputs, writes the report to o->out
 * and hands problems with single records to o->say ("file:line: id:
 * why"); it never prints anything else and never exits.  man/report.1
 * defines every figure.
 */
#ifndef ONEDOOR_REPORT_H
#define ONEDOOR_REPORT_H

#include <stdio.h>

#include "err.h"
#include "format.h"
#include "input.h"
#include "progress.h"
#include "timefmt.h"

struct law;
struct cal;

enum report_view {
	REPORT_FIGURES,		/* the figures, per group and in total */
	REPORT_OVERDUE,		/* --overdue: the list of overdue cases */
	REPORT_RISK,		/* --risk: employers that need a visit */
	REPORT_DUE		/* --due: the legal deadlines of open cases */
};

/* Bits of report_run's result. */
enum {
	REPORT_REJECTED = 1,	/* some records could not be counted */
	REPORT_HAS_OVERDUE = 2	/* some open case is past due (in window),
				   or (--due) a listed deadline has passed */
};

struct report_opts {
	char **files;		/* inputs; none: stdin */
	int nfiles;
	struct in_opts in;	/* typed = 1 */
	FILE *out;
	const char *out_name;	/* for messages: "stdout" or the -o path */
	int to;			/* FMT_TABLE, FMT_CSV, FMT_JSON, FMT_JSONL,
				   FMT_HTML (one page) */
	int lang;		/* LANG_EN, LANG_ZH: table and CSV labels */
	int excel;		/* CSV for spreadsheets: BOM, CRLF, no formulas */
	const char *fields;	/* figures to show, "a,b,c"; NULL: all */
	struct tf_time now;
	const char *since;	/* window words or dates, or NULL */
	const char *until;
	const char *by;		/* "day,channel", or NULL */
	int view;		/* enum report_view */
	long long min_cases;	/* --risk: cases that make an employer a risk */
	long within;		/* --due: deadlines up to this many days
				   after --now's date (passed ones always) */
	const struct law *law;	/* the law table and calendar (cli_law); */
	const struct cal *cal;	/* NULL: the time-limit figures stay 0 */
	int partial;		/* write a partial aggregate instead */
	int merge;		/* the inputs are partial aggregates */
	void (*say)(void *ctx, const char *msg);
	void *ctx;
	struct progress *progress;	/* the command's line, or NULL */
	int progress_on;		/* cli.progress: show it at all */
};

/* The words --by takes, NULL-terminated (for usage and suggestions). */
extern const char *const report_by_words[];

/* Fills o with the defaults (min_cases 3, within 7, typed input,
 * stdout). */
void report_defaults(struct report_opts *o);

/* Returns REPORT_* bits (0: all counted, nothing overdue), or -1 when
 * the report could not be made (e says why; e->sys = EPIPE, ENOSPC...
 * when writing failed). */
int report_run(const struct report_opts *o, struct err *e);

#endif
