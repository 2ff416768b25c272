/*
 * mediate - record mediation sessions and outcomes on cases, from an
 * events file (batch) or from the command line (one event).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "events.h"
#include "progress.h"
#include "mediate.h"

enum {
	OPT_EVENTS = CLI_OWN, OPT_ID, OPT_SOURCE_ID, OPT_OUTCOME, OPT_AT,
	OPT_AMOUNT, OPT_PERFORMED, OPT_BY, OPT_NOTE, OPT_TERMS
};

#define MAX_EVENTS 16

struct mediate_opts {
	struct cli cli;
	const char *events[MAX_EVENTS];
	int nevents;
	/* single mode: the one event, as a row */
	const char *id, *source_id, *outcome, *at, *amount, *by, *note, *terms;
	int performed;
	int single;		/* an option of single mode was given */
};

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: mediate [-qz] [-i STORE | -o FILE] --events FILE [--by NAME]\n"
	    "               [common options] [FILE ...]\n"
	    "       mediate [-qz] [-i STORE | -o FILE] --id ID | --source-id SID\n"
	    "               --outcome session|agreed|failed|withdrawn [--at TIME]\n"
	    "               [--amount AMOUNT] [--performed] [--terms TEXT]\n"
	    "               [--by NAME] [--note TEXT] [common options] [FILE ...]\n"
	    "       mediate -h | -V\n");
}

static void help(void)
{
	usage(stdout);
	printf("\n"
	    "Record mediation sessions and outcomes on the cases read from FILEs,\n"
	    "stdin or a store; every case passes through, changed or not.\n"
	    "\n"
	    "  --events FILE     events, CSV or JSON-lines: id or source_id, at,\n"
	    "                    outcome, amount, performed, by, note, terms\n"
	    "  --id ID           the case of a single event (or --source-id SID)\n"
	    "  --outcome X       session, agreed, failed or withdrawn\n"
	    "  --at TIME         when (default: now)\n"
	    "  --amount AMOUNT   the agreed amount (agreed only)\n"
	    "  --performed       paid on the spot: the case closes (agreed only)\n"
	    "  --terms TEXT      the terms of the agreement (agreed only)\n"
	    "  --by NAME         who (history); the default for events without by\n"
	    "  --note TEXT       a note for the history entry\n"
	    "  -i, --in-place STORE  change the store (locked, replaced whole)\n"
	    "  -o, --output FILE write to FILE instead of stdout\n"
	    "  --now TIME        the time of this run (default: the clock)\n"
	    "  --encoding ENC    of the inputs: auto (default), utf-8, gb18030\n"
	    "  --calendar FILE   the public-holiday calendar (default: built in)\n"
	    "  --law FILE        the law table, read on top of the built-in one\n"
	    "                    (deadlines: onedoor-law(7))\n"
	    "  --from FMT, --to FMT, -z, --excel, --fields LIST, --lang zh,\n"
	    "  --unmask, --rejects FILE, --progress, --no-progress\n"
	    "                    as in onedoor(7)\n"
	    "  -q, --quiet       no summary line\n"
	    "  -h, --help        this help;  -V, --version  the version\n"
	    "\n"
	    "Example:\n"
	    "  mediate -i cases.jsonl --events sessions.csv --by 王调解员\n"
	    "\n"
	    "Exit status: 0 all applied, 1 some events rejected, 2 error.\n"
	    "See mediate(1) and onedoor(7).\n");
}

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	progress_pause(cmd_meter());	/* the message goes above the line */
	cmd_warn("%s", msg);
}

/* A single-mode option: remember it was given. */
static void single(struct mediate_opts *o, const char **dst, const char *arg)
{
	*dst = arg;
	o->single = 1;
}

static int own_option(struct mediate_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'i':
		o->cli.store = arg;
		return 1;
	case OPT_EVENTS:
		if (o->nevents == MAX_EVENTS) {
			cmd_warn("at most %d --events files", MAX_EVENTS);
			return -1;
		}
		o->events[o->nevents++] = arg;
		return 1;
	case OPT_BY: o->by = arg; return 1;
	case OPT_ID: single(o, &o->id, arg); return 1;
	case OPT_SOURCE_ID: single(o, &o->source_id, arg); return 1;
	case OPT_OUTCOME: single(o, &o->outcome, arg); return 1;
	case OPT_AT: single(o, &o->at, arg); return 1;
	case OPT_AMOUNT: single(o, &o->amount, arg); return 1;
	case OPT_NOTE: single(o, &o->note, arg); return 1;
	case OPT_TERMS: single(o, &o->terms, arg); return 1;
	case OPT_PERFORMED:
		o->performed = o->single = 1;
		return 1;
	}
	return 0;
}

/* The combinations that make sense; -1 after saying why not. */
static int check_mode(struct mediate_opts *o, int nfiles)
{
	int i;

	if (o->cli.store != NULL && o->cli.output != NULL) {
		cmd_warn("-i and -o cannot be combined");
		return -1;
	}
	if (o->nevents > 0 && o->single) {
		cmd_warn("--events and the options of a single event (--id, "
		    "--outcome, ...) cannot be combined");
		return -1;
	}
	if (o->nevents == 0 && o->id == NULL && o->source_id == NULL) {
		cmd_warn("nothing to record: give --events FILE or --id ID");
		return -1;
	}
	if (o->nevents == 0 && o->outcome == NULL) {
		cmd_warn("--outcome is needed with --id");
		return -1;
	}
	for (i = 0; i < o->nevents; i++)
		if (strcmp(o->events[i], "-") == 0 && o->cli.store == NULL &&
		    nfiles == 0) {
			cmd_warn("--events - reads stdin: give the cases as "
			    "FILE or -i STORE");
			return -1;
		}
	return 0;
}

static int parse_args(struct mediate_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{ "calendar",	required_argument, NULL, CLI_CALENDAR },
		{ "law",	required_argument, NULL, CLI_LAW },
		{ "in-place",	required_argument, NULL, 'i' },
		{ "events",	required_argument, NULL, OPT_EVENTS },
		{ "id",		required_argument, NULL, OPT_ID },
		{ "source-id",	required_argument, NULL, OPT_SOURCE_ID },
		{ "outcome",	required_argument, NULL, OPT_OUTCOME },
		{ "at",		required_argument, NULL, OPT_AT },
		{ "amount",	required_argument, NULL, OPT_AMOUNT },
		{ "performed",	no_argument,	   NULL, OPT_PERFORMED },
		{ "by",		required_argument, NULL, OPT_BY },
		{ "note",	required_argument, NULL, OPT_NOTE },
		{ "terms",	required_argument, NULL, OPT_TERMS },
		{ NULL, 0, NULL, 0 }
	};
	static char name[] = "mediate";
	struct err e;
	int ch, rc;

	/* getopt names argv[0] in its messages: the name, not a path */
	argv[0] = name;
	cli_init(&o->cli, "mediate");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, CLI_SHORTOPTS "i:", longopts,
	    NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			cmd_bad_option(ch, argv, longopts);
			usage(stderr);
			return -1;
		}
		if ((rc = own_option(o, ch, optarg)) < 0)
			return -1;
		if (rc > 0)
			continue;
		if ((rc = cli_option(&o->cli, ch, optarg, &e)) < 0)
			cmd_warn("%s", e.msg);
		if (rc <= 0) {
			usage(stderr);
			return -1;
		}
	}
	if (o->cli.help || o->cli.version)
		return 0;
	if (check_mode(o, argc - optind) < 0)
		return -1;
	if (cli_finish(&o->cli, &e) < 0) {
		cmd_warn("%s", e.msg);
		return -1;
	}
	return 0;
}

/* Single mode: the options as one event row. */
static int add_single(struct mediate_opts *o, struct ev_set *set,
    struct err *e)
{
	struct rec row;
	char now[40];
	int rc = -1;

	rec_init(&row);
	tf_format(now, sizeof now, o->cli.now);
	if ((o->id && rec_sets(&row, "id", o->id, e) < 0) ||
	    (o->source_id && rec_sets(&row, "source_id", o->source_id, e) < 0) ||
	    rec_sets(&row, "outcome", o->outcome, e) < 0 ||
	    rec_sets(&row, "at", o->at ? o->at : now, e) < 0 ||
	    (o->amount && rec_sets(&row, "amount", o->amount, e) < 0) ||
	    (o->performed && rec_sets(&row, "performed", "yes", e) < 0) ||
	    (o->by && rec_sets(&row, "by", o->by, e) < 0) ||
	    (o->note && rec_sets(&row, "note", o->note, e) < 0) ||
	    (o->terms && rec_sets(&row, "terms", o->terms, e) < 0))
		goto out;
	rc = ev_add(set, &row, NULL, 0, e) == 1 ? 0 : -1;
out:
	rec_free(&row);
	return rc;
}

static int load_events(struct mediate_opts *o, struct ev_set *set,
    struct err *e)
{
	struct in_opts io = o->cli.in;
	int i;

	if (o->nevents == 0)
		return add_single(o, set, e);
	io.format = FMT_AUTO;	/* --from is for the cases */
	io.typed = 0;		/* every cell a string; the hooks convert */
	for (i = 0; i < o->nevents; i++)
		if (ev_load(set, o->events[i], &io, e) < 0)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct mediate_opts o;
	struct med_ctx m;
	struct ev_hooks h;
	struct ev_set *set;
	struct filter_stats st;
	struct err e;
	int rc;

	cmd_start("mediate");
	memset(&o, 0, sizeof o);
	if (parse_args(&o, argc, argv) < 0)
		return 2;
	if (o.cli.help || o.cli.version) {
		cli_end(&o.cli);
		if (o.cli.version)
			return cmd_version();
		help();
		return cmd_exit(0);
	}
	memset(&h, 0, sizeof h);
	m.by = o.by;
	med_hooks(&h, &m);
	h.say = say;
	if ((set = ev_new(&h, &o.cli.now, &e)) == NULL) {
		cli_end(&o.cli);
		return cmd_exit(cmd_fail(&e));
	}
	if (load_events(&o, set, &e) < 0 ||
	    ev_run(set, &o.cli, cmd_meter(), argv + optind, argc - optind,
	    &st, &e) < 0) {
		ev_free(set);
		cli_end(&o.cli);
		return cmd_exit(cmd_fail(&e));
	}
	if (!o.cli.quiet) {
		fprintf(stderr, "mediate: %ld applied, %ld rejected",
		    ev_applied(set), ev_rejected(set));
		if (st.bad)
			fprintf(stderr, ", %lld bad input records", st.bad);
		fputc('\n', stderr);
	}
	rc = ev_rejected(set) || st.bad ? 1 : 0;
	ev_free(set);
	cli_end(&o.cli);
	return cmd_exit(rc);
}
