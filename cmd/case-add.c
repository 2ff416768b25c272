/*
 * case-add - take cases in: intake rows (CSV or JSON-lines) become new
 * case records, written to stdout or appended to a store.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "intake.h"

enum { OPT_APPEND = CLI_OWN, OPT_PREFIX, OPT_MAP, OPT_SET };

#define MAX_ARGS	64	/* of each repeatable option */

struct case_add_opts {
	struct cli cli;
	struct intake_opts intake;
	char *maps[MAX_ARGS];
	char *sets[MAX_ARGS];
};

static void usage(FILE *f)
{
	fprintf(f,
	    "usage: case-add [-qz] [--append STORE | -o FILE] [--prefix PREFIX]\n"
	    "                [--map FIELD=COLUMN ...] [--set FIELD=VALUE ...]\n"
	    "                [--rejects FILE] [--now TIME]\n"
	    "                [--from csv|jsonl] [--to jsonl|csv] [--encoding ENC]\n"
	    "                [--excel] [--fields LIST] [--lang en|zh] [--unmask]\n"
	    "                [--progress | --no-progress] [FILE ...]\n"
	    "       case-add -h | -V\n");
}

static void help(void)
{
	usage(stdout);
	printf("\n"
	    "Read intake rows (CSV with English or Chinese headers, or JSON-lines;\n"
	    "gzip, GB18030 and BOMs are recognised) and write new case records.\n"
	    "\n"
	    "  --append STORE    add the cases to STORE (locked; re-imports skip\n"
	    "                    rows whose source_id is already there)\n"
	    "  -o, --output FILE write to FILE instead of stdout (.csv, .gz noted)\n"
	    "  --prefix PREFIX   case id prefix (default CASE): PREFIX-YEAR-000001\n"
	    "  --map FIELD=COL   read FIELD (e.g. claimant.name) from column COL\n"
	    "  --set FIELD=VAL   FIELD is VAL in every row without a value of its\n"
	    "                    own (e.g. --set channel=hotline for a hotline log)\n"
	    "  --rejects FILE    write rejected rows there, with reject_reason\n"
	    "  --now TIME        the time of this run (default: the clock)\n"
	    "  --from FMT        input format: auto (default), csv, jsonl\n"
	    "  --encoding ENC    auto (default), utf-8, gb18030\n"
	    "  --to FMT          output format: jsonl (default), csv\n"
	    "  -z, --gzip        gzip the output\n"
	    "  --excel           CSV for spreadsheets (BOM, CRLF, safe cells)\n"
	    "  --fields LIST     CSV columns, comma-separated\n"
	    "  --lang zh         Chinese CSV headers\n"
	    "  --unmask          show id numbers and phones in full in CSV\n"
	    "  --progress, --no-progress  a progress line on stderr: always, never\n"
	    "                    (default: on a terminal, after a second)\n"
	    "  -q, --quiet       no summary line, no notices (unused columns, no rows)\n"
	    "  -h, --help        this help;  -V, --version  the version\n"
	    "\n"
	    "Example:\n"
	    "  case-add --append cases.jsonl --rejects bad.csv intake.csv\n"
	    "\n"
	    "Exit status: 0 all added, 1 some rows rejected, 2 error.\n"
	    "See case-add(1) and onedoor(7).\n");
}

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	cmd_warn("%s", msg);
}

/* A repeatable option's argument into list (MAX_ARGS long). */
static int add_arg(char **list, int *n, const char *name)
{
	if (*n == MAX_ARGS) {
		cmd_warn("too many %s options", name);
		return -1;
	}
	list[(*n)++] = optarg;
	return 0;
}

static int parse_args(struct case_add_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{ "append",	required_argument, NULL, OPT_APPEND },
		{ "prefix",	required_argument, NULL, OPT_PREFIX },
		{ "map",	required_argument, NULL, OPT_MAP },
		{ "set",	required_argument, NULL, OPT_SET },
		{ NULL, 0, NULL, 0 }
	};
	struct err e;
	int ch, rc;

	cli_init(&o->cli, "case-add");
	o->intake.prefix = "CASE";
	opterr = 0;
	while ((ch = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			cmd_bad_option(ch, argv, longopts);
			usage(stderr);
			return -1;
		}
		switch (ch) {
		case OPT_APPEND:
			o->cli.store = optarg;
			break;
		case OPT_PREFIX:
			o->intake.prefix = optarg;
			break;
		case OPT_MAP:
			if (add_arg(o->maps, &o->intake.nmaps, "--map") < 0)
				return -1;
			break;
		case OPT_SET:
			if (add_arg(o->sets, &o->intake.nsets, "--set") < 0)
				return -1;
			break;
		default:
			if ((rc = cli_option(&o->cli, ch, optarg, &e)) < 0) {
				cmd_warn("%s", e.msg);
				return -1;
			}
			if (rc == 0) {
				usage(stderr);
				return -1;
			}
		}
	}
	if (o->cli.help || o->cli.version)
		return 0;
	if (*o->intake.prefix == '\0' || strchr(o->intake.prefix, '/') != NULL) {
		cmd_warn("--prefix must be a non-empty word");
		return -1;
	}
	if (o->cli.store != NULL && o->cli.output != NULL) {
		cmd_warn("--append and -o cannot be combined");
		return -1;
	}
	if (cli_finish(&o->cli, &e) < 0) {
		cmd_warn("%s", e.msg);
		return -1;
	}
	o->intake.cli = &o->cli;
	o->intake.maps = o->maps;
	o->intake.sets = o->sets;
	o->intake.say = say;
	o->intake.progress = cmd_meter();
	return 0;
}

int main(int argc, char **argv)
{
	struct case_add_opts o;
	struct intake_stats st;
	struct err e;

	cmd_start("case-add");
	memset(&o, 0, sizeof o);
	if (parse_args(&o, argc, argv) < 0)
		return 2;
	if (o.cli.help) {
		help();
		return cmd_exit(0);
	}
	if (o.cli.version)
		return cmd_version();
	if (intake_run(&o.intake, argv + optind, argc - optind, &st, &e) < 0)
		return cmd_exit(cmd_fail(&e));
	if (!o.cli.quiet) {
		fprintf(stderr, "case-add: %lld added, %lld rejected, %lld already in store",
		    st.added, st.rejected, st.known);
		if (st.flagged)
			fprintf(stderr, ", %lld possible duplicates", st.flagged);
		fputc('\n', stderr);
	}
	return cmd_exit(st.rejected ? 1 : 0);
}
