/*
 * mediate - record mediation sessions and outcomes on cases, from an
 * events file (batch) or from the command line (one event).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "events.h"
#include "mediate.h"

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
	    "  -q, --quiet       no summary line, no \"no events\" notice\n"
	    "  -h, --help        this help;  -V, --version  the version\n"
	    "\n"
	    "Example:\n"
	    "  mediate -i cases.jsonl --events sessions.csv --by 王调解员\n"
	    "\n"
	    "Exit status: 0 all applied, 1 some events rejected, 2 error.\n"
	    "See mediate(1) and onedoor(7).\n");
}

/* The options beyond CLI_LONGOPTS (cli.h); code 0 marks those of
 * single mode (filling a column of the one event row) and switches. */
static const struct ev_opt opts[] = {
	{ "calendar",	required_argument, CLI_CALENDAR, NULL, NULL },
	{ "law",	required_argument, CLI_LAW, NULL, NULL },
	{ "in-place",	required_argument, 'i', NULL, NULL },
	{ "events",	required_argument, EV_EVENTS, NULL, NULL },
	{ "id",		required_argument, 0, "id", NULL },
	{ "source-id",	required_argument, 0, "source_id", NULL },
	{ "outcome",	required_argument, 0, "outcome", NULL },
	{ "at",		required_argument, 0, "at", NULL },
	{ "amount",	required_argument, 0, "amount", NULL },
	{ "performed",	no_argument,	   0, "performed", "yes" },
	{ "by",		required_argument, 0, "by", NULL },
	{ "note",	required_argument, 0, "note", NULL },
	{ "terms",	required_argument, 0, "terms", NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static void setup(const struct ev_args *a, struct ev_hooks *h)
{
	static struct med_ctx m;

	m.by = ev_by(a);
	med_hooks(h, &m);
}

static const struct ev_cmd mediate = {
	"mediate", CLI_SHORTOPTS "i:", opts, "outcome", setup
};

static void warn(const char *msg)
{
	cmd_warn("%s", msg);
}

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	progress_pause(cmd_meter());	/* the message goes above the line */
	cmd_warn("%s", msg);
}

int main(int argc, char **argv)
{
	struct ev_ui ui = { warn, cmd_bad_option, usage, help, cmd_version,
	    cmd_exit, say, NULL };

	cmd_start("mediate");
	ui.meter = cmd_meter();
	return ev_main(&mediate, &ui, argc, argv);
}
