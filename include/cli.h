/*
 * cli.h - the options every command shares, parsed one way everywhere
 * (git's builtins are the model): -h/--help, -V/--version, -o/--output,
 * --from, --to, --encoding, -z/--gzip, --now, -q/--quiet, --rejects,
 * --excel, --fields, --lang, --unmask, --progress/--no-progress; and,
 * for the commands that change cases (case-route, mediate, confirm),
 * --calendar FILE and --law FILE: those list them in their own getopt
 * table (codes CLI_CALENDAR and CLI_LAW) and hand them to cli_option.
 *
 * A command puts CLI_LONGOPTS into its getopt_long table and
 * CLI_SHORTOPTS into its short-option string, and hands every option it
 * does not handle itself to cli_option().  cli_finish() checks the
 * combination and resolves --now.  Nothing here prints: errors come back
 * in struct err; usage and version text are the command's.
 */
#ifndef ONEDOOR_CLI_H
#define ONEDOOR_CLI_H

#include <getopt.h>

#include "err.h"
#include "input.h"
#include "output.h"
#include "timefmt.h"

struct progress;
struct rec;
struct cal;
struct law;
struct cli_clock;

enum {
	CLI_FROM = 0x100, CLI_TO, CLI_ENCODING, CLI_NOW, CLI_REJECTS,
	CLI_EXCEL, CLI_FIELDS, CLI_LANG, CLI_UNMASK, CLI_PROGRESS,
	CLI_NO_PROGRESS, CLI_CALENDAR, CLI_LAW,
	CLI_OWN = 0x200		/* first code free for a command's own options */
};

#define CLI_SHORTOPTS "hVo:zq"
#define CLI_LONGOPTS \
	{ "help",	no_argument,		NULL, 'h' }, \
	{ "version",	no_argument,		NULL, 'V' }, \
	{ "output",	required_argument,	NULL, 'o' }, \
	{ "gzip",	no_argument,		NULL, 'z' }, \
	{ "quiet",	no_argument,		NULL, 'q' }, \
	{ "from",	required_argument,	NULL, CLI_FROM }, \
	{ "to",		required_argument,	NULL, CLI_TO }, \
	{ "encoding",	required_argument,	NULL, CLI_ENCODING }, \
	{ "now",	required_argument,	NULL, CLI_NOW }, \
	{ "rejects",	required_argument,	NULL, CLI_REJECTS }, \
	{ "excel",	no_argument,		NULL, CLI_EXCEL }, \
	{ "fields",	required_argument,	NULL, CLI_FIELDS }, \
	{ "lang",	required_argument,	NULL, CLI_LANG }, \
	{ "unmask",	no_argument,		NULL, CLI_UNMASK }, \
	{ "progress",	no_argument,		NULL, CLI_PROGRESS }, \
	{ "no-progress", no_argument,		NULL, CLI_NO_PROGRESS }

struct cli {
	const char *prog;
	struct in_opts in;
	struct out_opts out;
	const char *output;	/* -o FILE, NULL = stdout */
	const char *store;	/* -i STORE or --append STORE */
	const char *rejects;	/* --rejects FILE */
	const char *now_arg;	/* --now as given */
	struct tf_time now;	/* resolved by cli_finish */
	int quiet;
	int progress;		/* -1 auto (stderr is a terminal), 0, 1 */
	struct progress *meter;	/* the command's progress line (cmd.h), or
				   NULL; used when the job sets none */
	int help, version;
	const char *calendar;	/* --calendar FILE, NULL = the default */
	const char *law;	/* --law FILE, NULL = the default */
	struct cli_clock *clock; /* the calendar and law table, loaded on
				   first use (cli_law_update); cli_finish
				   makes it, cli_end frees it */
};

void cli_init(struct cli *c, const char *prog);
/* 1: the option was a common one and is recorded; 0: not a common
 * option (the command handles or rejects it); -1: bad value (e says why,
 * suggesting the nearest valid value). */
int cli_option(struct cli *c, int ch, const char *arg, struct err *e);
/* After getopt: resolve --now, -o FILE.csv/.gz implying --to csv / -z.
 * 0 or -1. */
int cli_finish(struct cli *c, struct err *e);

/* Recompute r's "deadlines" object (law_update) at c->now, loading the
 * calendar (--calendar) and law table (--law) on the first call, so that
 * a run that changes no case never reads them.  1 done; 0 the record
 * cannot be given its deadlines (e says why, e.g. a date outside the
 * calendar's years: the caller refuses the change); -1 fatal (the
 * calendar or law table cannot be loaded, or memory).  Without a clock
 * (cli_finish not run) it does nothing and returns 1. */
int cli_law_update(const struct cli *c, struct rec *r, struct err *e);
/* The loaded calendar and law table (loading them on first use): 0, or
 * -1 fatal with e. */
int cli_law(const struct cli *c, const struct law **law,
    const struct cal **cal, struct err *e);
/* The one warning of a run whose deadlines were counted past the
 * calendar's years (cal_missing): it names the calendar, the years it
 * lacks and where to add them.  1 with msg (n bytes) filled, 0 when every
 * deadline was exact (or none was counted).  For the end of the run. */
int cli_calendar_note(const struct cli *c, char *msg, size_t n);
/* Free the calendar and law table cli_law_update loaded. */
void cli_end(struct cli *c);

/* The valid word nearest to s (edit distance <= 2), or NULL: for
 * "did you mean ...?" on misspelt enum values and options. */
const char *cli_nearest(const char *s, const char *const *words);
/* Fill e with "bad VALUE for --OPT (did you mean X?; valid: a, b, c)". */
int cli_bad_value(struct err *e, const char *opt, const char *val,
    const char *const *words);

#endif
