/*
 * report - the station's figures over case records.  See report(1).
 *
 * Options go into struct report_opts, then one call into lib does the
 * work; this file only chooses the output, speaks for lib and turns the
 * result into an exit status: 0 all counted, 1 records not counted or
 * (--fail-on-overdue) cases overdue, 2 usage or fatal error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "fsafe.h"
#include "report.h"

enum {
	O_SINCE = CLI_OWN, O_UNTIL, O_BY, O_OVERDUE, O_FAIL_ON_OVERDUE,
	O_RISK, O_MIN_CASES, O_PARTIAL, O_MERGE, O_DUE, O_WITHIN
};

static const struct option longopts[] = {
	CLI_LONGOPTS,
	{ "since",		required_argument,	NULL, O_SINCE },
	{ "until",		required_argument,	NULL, O_UNTIL },
	{ "by",			required_argument,	NULL, O_BY },
	{ "overdue",		no_argument,		NULL, O_OVERDUE },
	{ "fail-on-overdue",	no_argument,		NULL, O_FAIL_ON_OVERDUE },
	{ "risk",		no_argument,		NULL, O_RISK },
	{ "min-cases",		required_argument,	NULL, O_MIN_CASES },
	{ "partial",		no_argument,		NULL, O_PARTIAL },
	{ "merge",		no_argument,		NULL, O_MERGE },
	{ "due",		no_argument,		NULL, O_DUE },
	{ "within",		required_argument,	NULL, O_WITHIN },
	{ "calendar",		required_argument,	NULL, CLI_CALENDAR },
	{ "law",		required_argument,	NULL, CLI_LAW },
	{ NULL, 0, NULL, 0 }
};

static const char *const to_words[] = {
	"table", "csv", "json", "jsonl", "html", NULL
};

static void usage(FILE *f)
{
	fputs("usage: report [-q] [-o file] [--to table|csv|json|jsonl|html]"
	    " [--lang en|zh]\n"
	    "              [--excel] [--fields list] [--now time]"
	    " [--since when]\n"
	    "              [--until when] [--by key[,key ...]]"
	    " [--overdue | --risk | --due]\n"
	    "              [--within days] [--fail-on-overdue] [--min-cases n]\n"
	    "              [--partial | --merge] [--calendar file] [--law file]\n"
	    "              [--from jsonl|csv] [--encoding enc]"
	    " [--progress | --no-progress]\n"
	    "              [file ...]\n"
	    "       report -h | -V\n", f);
}

static void help(void)
{
	usage(stdout);
	fputs("\nFigures of the cases in the files (or stdin): received,"
	    " workers, amounts,\nmediation, confirmation, time limits.  --by:"
	    " day week month year channel\ntype grid employer assignee track"
	    " status priority desk.  --since/--until:\na date, a time, today,"
	    " yesterday, this-week, last-week, this-month,\nlast-month,"
	    " this-year, last-year, 2024-04, -7d.\n"
	    "--overdue, --risk, --due: lists instead of figures (--due: legal"
	    " deadlines of\nopen cases, passed ones and those within --within"
	    " days, default 7d).\n\n"
	    "example: report --since last-month --until last-month --by type"
	    " store.jsonl\n"
	    "         report --due --within 3d --lang zh store.jsonl\n", stdout);
}

static void say(void *ctx, const char *msg)
{
	if (ctx == NULL)
		cmd_warn("%s", msg);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --to, else the -o suffix, else a table for a terminal and CSV for
 * pipes and cron mail. */
static int choose_format(int to, const char *output, FILE *out)
{
	if (to >= 0)
		return to;
	if (output != NULL) {
		if (ends_with(output, ".json"))
			return FMT_JSON;
		if (ends_with(output, ".jsonl"))
			return FMT_JSONL;
		if (ends_with(output, ".html"))
			return FMT_HTML;
		if (ends_with(output, ".txt"))
			return FMT_TABLE;
		return FMT_CSV;
	}
	return isatty(fileno(out)) ? FMT_TABLE : FMT_CSV;
}

static FILE *open_output(const char *path, struct err *e)
{
	int fd;
	FILE *f;

	if (path == NULL || strcmp(path, "-") == 0)
		return stdout;
	if ((fd = fsafe_open_write(path, e)) < 0)	/* the outputs' rules */
		return NULL;
	if ((f = fdopen(fd, "w")) == NULL) {
		err_sys(e, "%s", path);
		close(fd);
	}
	return f;
}

static void die(const struct err *e)
{
	exit(cmd_fail(e));
}

/* --within: whole days or weeks, "7d", "2w" ("7" is days too). */
static int parse_within(const char *arg, long *days, struct err *e)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (end == arg || n < 0 || n > 3660 || arg[0] == '-' || arg[0] == '+' ||
	    (*end != '\0' && strcmp(end, "d") != 0 && strcmp(end, "w") != 0))
		return err_set(e, "--within: \"%s\" is not a number of days "
		    "(7d) or weeks (2w), up to 10 years", arg);
	*days = *end == 'w' ? n * 7 : n;
	if (*days > 3660)
		return err_set(e, "--within: \"%s\" is more than 10 years", arg);
	return 1;
}

static int own_option(struct report_opts *o, int ch, const char *arg,
    int *to, int *fail, struct err *e)
{
	char *end;
	int v;

	switch (ch) {
	case CLI_TO:
		if ((v = fmt_parse(arg)) < 0 || v == FMT_AUTO)
			return cli_bad_value(e, "to", arg, to_words);
		*to = v;
		return 1;
	case O_SINCE: o->since = arg; return 1;
	case O_UNTIL: o->until = arg; return 1;
	case O_BY: o->by = arg; return 1;
	case O_OVERDUE: o->view = REPORT_OVERDUE; return 1;
	case O_RISK: o->view = REPORT_RISK; return 1;
	case O_DUE: o->view = REPORT_DUE; return 1;
	case O_WITHIN:
		return parse_within(arg, &o->within, e);
	case O_FAIL_ON_OVERDUE: *fail = 1; return 1;
	case O_PARTIAL: o->partial = 1; return 1;
	case O_MERGE: o->merge = 1; return 1;
	case O_MIN_CASES:
		o->min_cases = strtoll(arg, &end, 10);
		if (end == arg || *end != '\0' || o->min_cases < 1)
			return err_set(e, "--min-cases: \"%s\" is not a number >= 1", arg);
		return 1;
	}
	return 0;
}

/* Combinations that cannot mean anything. */
static int check(const struct cli *c, const struct report_opts *o, int views,
    int within, struct err *e)
{
	if (views > 1)
		return err_set(e, "--overdue, --risk and --due are different "
		    "reports: run once for each");
	if (views > 0 && c->out.fields != NULL)
		return err_set(e, "--fields chooses figures: the --overdue, "
		    "--risk and --due lists have columns of their own");
	if (within && o->view != REPORT_DUE && !o->merge)
		return err_set(e, "--within goes with --due");
	if (o->partial && o->merge)
		return err_set(e, "--partial and --merge: choose one");
	if (o->merge && (o->since || o->until || o->by || c->now_arg || within))
		return err_set(e, "--merge takes --by, --since, --until, --within "
		    "and --now from the partials; give them to the --partial runs");
	if (c->out.gzip || c->rejects != NULL)
		return err_set(e, "-z and --rejects are for commands that write records");
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c;
	struct report_opts o;
	struct err e;
	int ch, rc, to = -1, fail = 0, views = 0, within = 0;

	cmd_start("report");
	cli_init(&c, "report");
	report_defaults(&o);
	memset(&e, 0, sizeof e);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			cmd_bad_option(ch, argv, longopts);
			usage(stderr);
			return 2;
		}
		views += ch == O_OVERDUE || ch == O_RISK || ch == O_DUE;
		within |= ch == O_WITHIN;
		if ((rc = own_option(&o, ch, optarg, &to, &fail, &e)) == 0)
			rc = cli_option(&c, ch, optarg, &e);
		if (rc < 0)
			die(&e);
		if (rc == 0) {
			usage(stderr);
			return 2;
		}
	}
	if (c.help) {
		help();
		return cmd_exit(0);
	}
	if (c.version)
		return cmd_version();
	if (check(&c, &o, views, within, &e) < 0 || cli_finish(&c, &e) < 0 ||
	    cli_law(&c, &o.law, &o.cal, &e) < 0)
		die(&e);
	o.files = argv + optind;
	o.nfiles = argc - optind;
	o.in = c.in;
	o.in.typed = 1;
	o.lang = c.out.lang;
	o.excel = c.out.excel;
	o.fields = c.out.fields;
	o.now = c.now;
	o.say = say;
	o.ctx = c.quiet ? &c : NULL;
	o.progress = cmd_meter();
	o.progress_on = c.progress;
	if ((o.out = open_output(c.output, &e)) == NULL)
		die(&e);
	o.out_name = o.out == stdout ? "stdout" : c.output;
	o.to = o.excel ? FMT_CSV : choose_format(to, c.output, o.out);
	rc = report_run(&o, &e);
	if (rc >= 0)
		cmd_calendar_note(&c);
	cli_end(&c);
	if (rc >= 0 && o.out != stdout && fclose(o.out) == EOF) {
		err_sys(&e, "%s: write error", c.output);
		rc = -1;
	}
	if (rc < 0)
		return cmd_fail(&e);
	return cmd_exit((rc & REPORT_REJECTED) ||
	    (fail && (rc & REPORT_HAS_OVERDUE)));
}
