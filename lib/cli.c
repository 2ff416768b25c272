/*
 * cli.c - the options every command shares.  See cli.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "cli.h"
#include "law.h"
#include "record.h"

struct cli_clock {
	int state;		/* 0 not loaded, 1 loaded, -1 failed */
	struct err why;		/* when failed */
	struct cal cal;
	struct law law;
};

static const char *const from_words[] = { "auto", "jsonl", "csv", NULL };
static const char *const to_words[] = { "jsonl", "csv", NULL };
static const char *const enc_words[] = { "auto", "utf-8", "gb18030", NULL };
static const char *const lang_words[] = { "en", "zh", NULL };

void cli_init(struct cli *c, const char *prog)
{
	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->in.format = FMT_AUTO;
	c->in.encoding = ENC_AUTO;
	c->in.typed = 1;
	c->out.format = FMT_JSONL;
	c->out.lang = LANG_EN;
	c->progress = -1;
}

static int parse_word(struct err *e, const char *opt, const char *arg,
    int (*parse)(const char *), const char *const *words, int *out)
{
	int v = parse(arg);
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (v >= 0 && parse(words[i]) == v)
			break;
	if (v < 0 || words[i] == NULL)
		return cli_bad_value(e, opt, arg, words);
	*out = v;
	return 1;
}

int cli_option(struct cli *c, int ch, const char *arg, struct err *e)
{
	switch (ch) {
	case 'h': c->help = 1; return 1;
	case 'V': c->version = 1; return 1;
	case 'o': c->output = arg; return 1;
	case 'z': c->out.gzip = 1; return 1;
	case 'q': c->quiet = 1; return 1;
	case CLI_FROM:
		return parse_word(e, "from", arg, fmt_parse, from_words, &c->in.format);
	case CLI_TO:
		return parse_word(e, "to", arg, fmt_parse, to_words, &c->out.format);
	case CLI_ENCODING:
		return parse_word(e, "encoding", arg, enc_parse, enc_words, &c->in.encoding);
	case CLI_LANG:
		return parse_word(e, "lang", arg, lang_parse, lang_words, &c->out.lang);
	case CLI_NOW: c->now_arg = arg; return 1;
	case CLI_REJECTS: c->rejects = arg; return 1;
	case CLI_EXCEL: c->out.excel = 1; return 1;
	case CLI_FIELDS: c->out.fields = arg; return 1;
	case CLI_UNMASK: c->out.unmask = 1; return 1;
	case CLI_PROGRESS: c->progress = 1; return 1;
	case CLI_NO_PROGRESS: c->progress = 0; return 1;
	case CLI_CALENDAR: c->calendar = arg; return 1;
	case CLI_LAW: c->law = arg; return 1;
	}
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cli_finish(struct cli *c, struct err *e)
{
	if (tf_now(c->now_arg, &c->now, e) < 0)
		return err_prefix(e, "--now");
	if (c->output != NULL && strcmp(c->output, "-") != 0) {
		if (ends_with(c->output, ".gz"))
			c->out.gzip = 1;
		if (ends_with(c->output, ".csv") || ends_with(c->output, ".csv.gz"))
			c->out.format = FMT_CSV;
	}
	if (c->out.excel || c->out.fields != NULL)
		c->out.format = FMT_CSV;
	if (c->progress < 0)
		c->progress = isatty(STDERR_FILENO) && !c->quiet;
	if (c->clock == NULL) {
		/* one per process, like the options themselves: static, so
		 * nothing to free and no allocation to fail */
		static struct cli_clock clock;

		c->clock = &clock;
	}
	return 0;
}

int cli_law(const struct cli *c, const struct law **law,
    const struct cal **cal, struct err *e)
{
	struct cli_clock *k = c->clock;

	if (k == NULL)
		return err_set(e, "no calendar or law table (cli_finish not run)");
	if (k->state == 0) {
		cal_init(&k->cal);
		law_init(&k->law);
		k->state = 1;
		if (cal_open(&k->cal, c->calendar, &k->why) < 0 ||
		    law_open(&k->law, c->law, &k->why) < 0)
			k->state = -1;
	}
	if (k->state < 0) {
		*e = k->why;
		return -1;
	}
	*law = &k->law;
	*cal = &k->cal;
	return 0;
}

int cli_law_update(const struct cli *c, struct rec *r, struct err *e)
{
	const struct law *law;
	const struct cal *cal;

	if (c == NULL || c->clock == NULL)
		return 1;
	if (cli_law(c, &law, &cal, e) < 0)
		return -1;
	return law_update(law, cal, r, c->now, e) < 0 ? 0 : 1;
}

int cli_calendar_note(const struct cli *c, char *msg, size_t n)
{
	const struct cal *cal;
	const char *dir = getenv("ONEDOOR_DATA");
	char missing[128], years[128], where[600], what[440];

	if (c == NULL || c->clock == NULL || c->clock->state != 1)
		return 0;
	cal = &c->clock->cal;
	if (cal_missing(cal, missing, sizeof missing) == 0)
		return 0;
	/* where cal_open looks when --calendar is not given */
	if (dir != NULL && *dir != '\0')
		snprintf(where, sizeof where, "%.500s/calendar-cn.txt "
		    "($ONEDOOR_DATA)", dir);
	else
#ifdef ONEDOOR_DATADIR
		snprintf(where, sizeof where, "%.500s/calendar-cn.txt (or "
		    "$ONEDOOR_DATA/calendar-cn.txt)", ONEDOOR_DATADIR);
#else
		snprintf(where, sizeof where, "$ONEDOOR_DATA/calendar-cn.txt");
#endif
	if (cal->file != NULL)
		snprintf(what, sizeof what, "the calendar %.400s", cal->file);
	else
		snprintf(what, sizeof what, "the built-in calendar");
	snprintf(msg, n, "%s lacks %s (it knows %s): deadlines counted across "
	    "a missing year are provisional, with Saturday and Sunday its only "
	    "rest days; add %s with --calendar FILE or in %s", what, missing,
	    cal_years(cal, years, sizeof years), missing, where);
	return 1;
}

void cli_end(struct cli *c)
{
	/* the holder is static (cli_finish): free what it holds only */
	if (c->clock != NULL && c->clock->state != 0) {
		law_free(&c->clock->law);
		cal_free(&c->clock->cal);
		c->clock->state = 0;
	}
	c->clock = NULL;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	return a < b ? (a < c ? a : c) : (b < c ? b : c);
}

/* Levenshtein distance over bytes, for short words only. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64], prev, tmp;

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = min3(row[j] + 1, row[j - 1] + 1,
			    prev + (a[i - 1] != b[j - 1]));
			prev = tmp;
		}
	}
	return row[lb];
}

const char *cli_nearest(const char *s, const char *const *words)
{
	const char *best = NULL;
	size_t i, d, bestd = 3;

	for (i = 0; words[i] != NULL; i++)
		if ((d = distance(s, words[i])) < bestd) {
			bestd = d;
			best = words[i];
		}
	return best;
}

int cli_bad_value(struct err *e, const char *opt, const char *val,
    const char *const *words)
{
	const char *near = cli_nearest(val, words);
	char list[512] = "";
	size_t i;

	for (i = 0; words[i] != NULL; i++) {
		if (i)
			strncat(list, ", ", sizeof list - strlen(list) - 1);
		strncat(list, words[i], sizeof list - strlen(list) - 1);
	}
	if (near != NULL)
		return err_set(e, "bad value \"%s\" for --%s (did you mean %s?)",
		    val, opt, near);
	return err_set(e, "bad value \"%s\" for --%s (valid: %s)", val, opt, list);
}
