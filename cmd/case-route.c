/*
 * case-route - decide where each new case goes: track, desk, priority,
 * due date and assignee, by a rules file and a roster (new -> routed);
 * with --escalate, send failed mediations on to arbitration or
 * litigation (failed -> escalated).  Other records pass through.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "route.h"

enum { OPT_RULES = CLI_OWN, OPT_ROSTER, OPT_PRINT_RULES, OPT_ESCALATE,
	OPT_BY, OPT_ID, OPT_AT };

struct case_route_opts {
	struct cli cli;
	const char *rules, *roster, *by, *at;
	char **ids;
	size_t nids;
	int print_rules, escalate;
};

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: case-route [-qz] [-i STORE | -o FILE] [--rules FILE] [--roster FILE]\n"
	    "                  [--escalate] [--id ID ...] [--by NAME] [--at TIME]\n"
	    "                  [--now TIME]\n"
	    "                  [--rejects FILE] [--from csv|jsonl] [--to jsonl|csv]\n"
	    "                  [--encoding ENC] [--excel] [--fields LIST]\n"
	    "                  [--lang en|zh] [--unmask] [--calendar FILE]\n"
	    "                  [--law FILE] [FILE ...]\n"
	    "       case-route [--rules FILE] --print-rules\n"
	    "       case-route -h | -V\n");
}

static void help(void)
{
	usage(stdout);
	printf("\n"
	    "Route new cases: track, desk, priority, due date and assignee from the\n"
	    "first matching rule and the least-loaded person on the roster.\n"
	    "\n"
	    "  -i, --in-place STORE  route the cases in STORE (locked, replaced whole)\n"
	    "  -o, --output FILE     write to FILE instead of stdout\n"
	    "  --rules FILE          the rules (default: the built-in station rules)\n"
	    "  --roster FILE         staff CSV: id, name, role, desks, capacity\n"
	    "  --print-rules         print the rules in the file format and exit\n"
	    "  --escalate            failed cases -> escalated, by the [escalate] rules\n"
	    "  --id ID               only this case (repeatable); a case in the wrong\n"
	    "                        state is then rejected\n"
	    "  --by NAME             who routes, for the history\n"
	    "  --at TIME             when the cases were routed (default: --now); due\n"
	    "                        dates count from it\n"
	    "  --now TIME            the time of this run, recorded in the history\n"
	    "                        (default: the clock)\n"
	    "  --rejects FILE        write rejected records there, with reject_reason\n"
	    "  --calendar FILE       the public-holiday calendar (default: built in)\n"
	    "  --law FILE            the law table, read on top of the built-in one\n"
	    "                        (deadlines: onedoor-law(7))\n"
	    "  --from, --to, --encoding, -z, --excel, --fields, --lang, --unmask\n"
	    "                        formats, as in case-add(1)\n"
	    "  -q, --quiet           no summary line\n"
	    "  -h, --help            this help;  -V, --version  the version\n"
	    "\n"
	    "Examples:\n"
	    "  case-route --print-rules >rules.txt\n"
	    "  case-route -i cases.jsonl --rules rules.txt --roster staff.csv --by 前台\n"
	    "  case-route -i cases.jsonl --escalate --rules rules.txt\n"
	    "\n"
	    "Exit status: 0 all done, 1 some records rejected, 2 error.\n"
	    "See case-route(1) for the rule language, and onedoor(7).\n");
}

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	cmd_warn("%s", msg);
}

static int own_option(struct case_route_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'i': o->cli.store = arg; return 1;
	case OPT_RULES: o->rules = arg; return 1;
	case OPT_ROSTER: o->roster = arg; return 1;
	case OPT_PRINT_RULES: o->print_rules = 1; return 1;
	case OPT_ESCALATE: o->escalate = 1; return 1;
	case OPT_BY: o->by = arg; return 1;
	case OPT_AT: o->at = arg; return 1;
	case OPT_ID:
		if (*arg == '\0') {
			cmd_warn("--id needs a case id");
			return -1;
		}
		o->ids[o->nids++] = (char *)arg;
		return 1;
	}
	return 0;
}

static int parse_args(struct case_route_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{ "calendar",	required_argument, NULL, CLI_CALENDAR },
		{ "law",	required_argument, NULL, CLI_LAW },
		{ "in-place",	 required_argument, NULL, 'i' },
		{ "rules",	 required_argument, NULL, OPT_RULES },
		{ "roster",	 required_argument, NULL, OPT_ROSTER },
		{ "print-rules", no_argument,	    NULL, OPT_PRINT_RULES },
		{ "escalate",	 no_argument,	    NULL, OPT_ESCALATE },
		{ "by",		 required_argument, NULL, OPT_BY },
		{ "id",		 required_argument, NULL, OPT_ID },
		{ "at",		 required_argument, NULL, OPT_AT },
		{ NULL, 0, NULL, 0 }
	};
	struct err e;
	int ch, rc;

	cli_init(&o->cli, "case-route");
	o->cli.meter = cmd_meter();
	/* --id takes an argument, so there are fewer than argc of them */
	if ((o->ids = mem_calloc((size_t)argc + 1, sizeof *o->ids)) == NULL) {
		cmd_warn("out of memory");
		return -1;
	}
	opterr = 0;	/* our own words, the same whatever argv[0] is */
	while ((ch = getopt_long(argc, argv, ":" CLI_SHORTOPTS "i:", longopts,
	    NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			cmd_bad_option(ch, argv, longopts);
			usage(stderr);
			return -1;
		}
		if ((rc = own_option(o, ch, optarg)) == 0 &&
		    (rc = cli_option(&o->cli, ch, optarg, &e)) < 0)
			cmd_warn("%s", e.msg);
		if (rc <= 0) {
			usage(stderr);
			return -1;
		}
	}
	if (o->cli.help || o->cli.version || o->print_rules)
		return 0;
	if (o->cli.store != NULL && o->cli.output != NULL) {
		cmd_warn("-i and -o cannot be combined");
		return -1;
	}
	if (cli_finish(&o->cli, &e) < 0) {
		cmd_warn("%s", e.msg);
		return -1;
	}
	return 0;
}

/* --print-rules: the built-in text as it is (comments and all), or a
 * rules file as case-route understood it. */
static int print_rules(const struct rules *rs, int given)
{
	struct buf b = BUF_INIT;

	if (!given) {
		fputs(rules_default_text, stdout);
		return cmd_exit(0);
	}
	if (rules_format(rs, &b) < 0) {
		cmd_warn("out of memory");
		return 2;
	}
	fwrite(b.p ? b.p : "", 1, b.len, stdout);
	buf_free(&b);
	return cmd_exit(0);
}

static void summary(const struct case_route_opts *o,
    const struct filter_stats *fs, const struct route_stats *rs)
{
	long long passed = fs->in - fs->changed - (fs->rejected - rs->missing);

	fprintf(stderr, "case-route: %lld %s, %lld rejected, %lld passed through",
	    rs->done, o->escalate ? "escalated" : "routed", fs->rejected, passed);
	if (o->roster != NULL)
		fprintf(stderr, ", %lld without assignee", rs->unassigned);
	if (rs->clamped)
		fprintf(stderr, ", %lld due at the 15-day mediation limit",
		    rs->clamped);
	if (rs->overdue)
		fprintf(stderr, " (%lld of them passed already)", rs->overdue);
	if (fs->bad)
		fprintf(stderr, ", %lld bad input records", fs->bad);
	fputc('\n', stderr);
}

static int run(struct case_route_opts *o, int argc, char **argv)
{
	struct route_opts ro;
	struct route_stats rs;
	struct filter_stats fs;
	struct roster roster;
	struct err e;
	int rc = 2;

	memset(&ro, 0, sizeof ro);
	roster_init(&roster);
	if ((ro.rules = route_rules(o->rules, say, NULL, &e)) == NULL)
		goto fail;
	if (o->print_rules) {
		rc = print_rules(ro.rules, o->rules != NULL);
		goto out;
	}
	if (o->roster != NULL) {
		if (roster_load(&roster, o->roster, &e) < 0)
			goto fail;
		ro.roster = &roster;
	}
	ro.escalate = o->escalate;
	ro.ids = o->ids;
	ro.nids = o->nids;
	ro.by = o->by;
	ro.now = o->cli.now;
	ro.at = o->cli.now;
	if (o->at != NULL && tf_parse(o->at, &ro.at, &e) < 0) {
		err_prefix(&e, "--at");
		goto fail;
	}
	ro.say = say;
	if (route_run(&o->cli, argv, argc, &ro, &fs, &rs, &e) < 0)
		goto fail;
	if (!o->cli.quiet)
		summary(o, &fs, &rs);
	rc = cmd_exit(fs.rejected || fs.bad ? 1 : 0);
	goto out;
fail:
	rc = cmd_exit(cmd_fail(&e));
out:
	rules_free(ro.rules);
	roster_free(&roster);
	return rc;
}

int main(int argc, char **argv)
{
	struct case_route_opts o;
	int rc;

	cmd_start("case-route");
	memset(&o, 0, sizeof o);
	if (parse_args(&o, argc, argv) < 0) {
		mem_free(o.ids);
		return 2;
	}
	if (o.cli.help) {
		help();
		rc = cmd_exit(0);
	} else if (o.cli.version)
		rc = cmd_version();
	else
		rc = run(&o, argc - optind, argv + optind);
	mem_free(o.ids);
	if (rc != 2)
		cmd_calendar_note(&o.cli);
	cli_end(&o.cli);
	return rc;
}
