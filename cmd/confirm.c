/*
 * confirm - record judicial confirmation of mediation agreements, their
 * performance and applications for enforcement, from an events file
 * (batch) or from the command line (one event).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "events.h"
#include "confirm.h"

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: confirm [-qz] [-i STORE | -o FILE] --events FILE [--late-ok]\n"
	    "               [--by NAME] [common options] [FILE ...]\n"
	    "       confirm [-qz] [-i STORE | -o FILE] --id ID | --source-id SID\n"
	    "               --court COURT --ruling NUMBER [--at DATE]\n"
	    "               [--applied DATE] [--late-ok] [--by NAME] [--note TEXT]\n"
	    "               [common options] [FILE ...]\n"
	    "       confirm [-qz] [-i STORE | -o FILE] --id ID | --source-id SID\n"
	    "               --performed | --enforcement [--court COURT] [--at DATE]\n"
	    "               [--by NAME] [--note TEXT] [common options] [FILE ...]\n"
	    "       confirm -h | -V\n");
}

static void help(void)
{
	usage(stdout);
	printf("\n"
	    "Record the judicial confirmation of mediation agreements, their\n"
	    "performance and applications for enforcement on the cases read from\n"
	    "FILEs, stdin or a store; every case passes through, changed or not.\n"
	    "\n"
	    "  --events FILE     events, CSV or JSON-lines: id or source_id, action\n"
	    "                    (confirm, performed, enforcement), court, ruling,\n"
	    "                    applied_at, at, by, note\n"
	    "  --id ID           the case of a single event (or --source-id SID)\n"
	    "  --court COURT     the confirming (or enforcing) court\n"
	    "  --ruling NUMBER   the number of the court's ruling\n"
	    "  --at DATE         the date of the ruling or event (default: now)\n"
	    "  --applied DATE    when the parties applied (default: --at)\n"
	    "  --late-ok         record applications after the window (marked late)\n"
	    "  --performed       the obligation was met: the case closes\n"
	    "  --enforcement     compulsory enforcement was applied for\n"
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
	    "The parties have 30 days from the agreement (agreement.at is day 0)\n"
	    "to apply (People's Mediation Law art. 33), a last day on a rest day\n"
	    "moving to the next working day; a later application is refused.\n"
	    "The window is the law table's (--law, --calendar; onedoor-law(7)).\n"
	    "\n"
	    "Example:\n"
	    "  confirm -i cases.jsonl --id HS-2024-000123 --court 海淀区人民法院 \\\n"
	    "      --ruling '(2024)京0108民特123号' --at 2024-04-20\n"
	    "\n"
	    "Exit status: 0 all applied, 1 some events rejected, 2 error.\n"
	    "See confirm(1) and onedoor(7).\n");
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
	{ "court",	required_argument, 0, "court", NULL },
	{ "ruling",	required_argument, 0, "ruling", NULL },
	{ "at",		required_argument, 0, "at", NULL },
	{ "applied",	required_argument, 0, "applied_at", NULL },
	{ "applied-at",	required_argument, 0, "applied_at", NULL },
	{ "performed",	no_argument,	   0, "action", "performed" },
	{ "enforcement", no_argument,	   0, "action", "enforcement" },
	{ "late-ok",	no_argument,	   0, NULL, NULL },
	{ "by",		required_argument, 0, "by", NULL },
	{ "note",	required_argument, 0, "note", NULL },
	{ NULL, 0, 0, NULL, NULL }
};

static void setup(const struct ev_args *a, struct ev_hooks *h)
{
	static struct conf_ctx c;

	c.by = ev_by(a);
	c.late_ok = ev_arg(a, "late-ok") != NULL;
	conf_hooks(h, &c);
}

static const struct ev_cmd confirm = {
	"confirm", CLI_SHORTOPTS "i:", opts, NULL, setup
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

	cmd_start("confirm");
	ui.meter = cmd_meter();
	return ev_main(&confirm, &ui, argc, argv);
}
