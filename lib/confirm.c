/*
 * confirm.c - judicial confirmation, performance and enforcement events:
 * parse a row, check it against the case and the 30-day window of the
 * People's Mediation Law, record it.  See confirm.h.
 *
 * As in mediate.c, every check comes before the first change to the
 * record, so a refused event leaves the case as it was.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "confirm.h"
#include "mem.h"
#include "state.h"

const char *const conf_actions[] = {
	"confirm", "performed", "enforcement", NULL
};

static const struct {
	const char *word;
	int action;
} conf_aliases[] = {
	{ "司法确认", CONF_CONFIRM }, { "确认", CONF_CONFIRM },
	{ "履行", CONF_PERFORMED }, { "已履行", CONF_PERFORMED },
	{ "申请执行", CONF_ENFORCEMENT }, { "强制执行", CONF_ENFORCEMENT },
};

static const char *const action_names[] = { "action", "outcome", "操作", NULL };
static const char *const court_names[] = { "court", "法院", "确认法院", NULL };
static const char *const ruling_names[] = { "ruling", "裁定书号", NULL };
static const char *const applied_names[] = {
	"applied_at", "applied", "申请确认日期", "申请日期", NULL
};
static const char *const by_names[] = { "by", "经办人", NULL };
static const char *const note_names[] = { "note", "备注", NULL };

struct conf_ev {
	int action;
	struct tf_time applied;
	char *court, *ruling, *by, *note;
};

static void conf_free(void *p)
{
	struct conf_ev *d = p;

	mem_free(d->court);
	mem_free(d->ruling);
	mem_free(d->by);
	mem_free(d->note);
	mem_free(d);
}

long conf_day(struct tf_time agreed, struct tf_time applied)
{
	struct tf_civil a, b;

	tf_to_civil(agreed, &a);
	tf_to_civil(applied, &b);
	return (long)(tf_days_from_civil(b.year, b.month, b.day) -
	    tf_days_from_civil(a.year, a.month, a.day));
}

static int parse_action(const char *s, struct err *e)
{
	size_t i;

	if (s == NULL)
		return CONF_CONFIRM;
	for (i = 0; conf_actions[i] != NULL; i++)
		if (strcasecmp(s, conf_actions[i]) == 0)
			return (int)i;
	for (i = 0; i < sizeof conf_aliases / sizeof conf_aliases[0]; i++)
		if (strcmp(s, conf_aliases[i].word) == 0)
			return conf_aliases[i].action;
	return ev_bad_word(e, "action", s, conf_actions);
}

static int dup_opt(char **dst, const char *s, struct err *e)
{
	if (s != NULL && (*dst = mem_strdup(s)) == NULL)
		return err_nomem(e);
	return 0;
}

/* Which fields go with which action. */
static int check_fields(const struct rec *row, int action, struct err *e)
{
	if (action == CONF_CONFIRM) {
		if (ev_field(row, court_names) == NULL)
			return err_set(e, "court: missing: which court confirmed "
			    "the agreement?");
		if (ev_field(row, ruling_names) == NULL)
			return err_set(e, "ruling: missing: the number of the "
			    "court's ruling");
		return 0;
	}
	if (ev_field(row, ruling_names) != NULL)
		return err_set(e, "ruling: only a confirmation has a ruling");
	if (ev_field(row, applied_names) != NULL)
		return err_set(e, "applied_at: only a confirmation has an "
		    "application date");
	if (action == CONF_PERFORMED && ev_field(row, court_names) != NULL)
		return err_set(e, "court: performance takes no court");
	return 0;
}

static int conf_parse(void *ctx, const struct rec *row, struct ev *ev,
    struct err *e)
{
	const char *applied = ev_field(row, applied_names);
	struct conf_ev *d;
	int action;

	(void)ctx;
	if ((action = parse_action(ev_field(row, action_names), e)) < 0 ||
	    check_fields(row, action, e) < 0)
		return -1;
	if ((d = mem_calloc(1, sizeof *d)) == NULL)
		return err_nomem(e);
	ev->data = d;		/* freed with the event, even when refused */
	d->action = action;
	d->applied = ev->at;
	if (applied != NULL && tf_parse(applied, &d->applied, e) < 0)
		return err_prefix(e, "applied_at");
	if (d->applied.t > ev->at.t)
		return err_set(e, "applied_at %s is after the confirmation "
		    "(at %s)", applied, ev_time(ev->at));
	if (dup_opt(&d->court, ev_field(row, court_names), e) < 0 ||
	    dup_opt(&d->ruling, ev_field(row, ruling_names), e) < 0 ||
	    dup_opt(&d->by, ev_field(row, by_names), e) < 0 ||
	    dup_opt(&d->note, ev_field(row, note_names), e) < 0)
		return -1;
	return 0;
}

/* "2024-05-01", the last day of the window opened by agreed. */
static void last_day(char *buf, size_t n, struct tf_time agreed)
{
	struct tf_civil c;
	int y, m, d;

	tf_to_civil(agreed, &c);
	tf_civil_from_days(tf_days_from_civil(c.year, c.month, c.day) +
	    CONF_WINDOW_DAYS, &y, &m, &d);
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

/* The 30-day window: 0 in time, 1 late (allowed), -1 refused. */
static int check_window(const struct conf_ctx *c, const struct rec *r,
    const struct conf_ev *d, long *day, struct err *e)
{
	const char *s = rec_get_nonempty(r, "agreement.at");
	struct tf_time agreed;
	char last[16], ag[16];

	if (s == NULL)
		return err_set(e, "agreement.at missing: the 30-day window of "
		    "People's Mediation Law art. 33 cannot be counted");
	if (tf_parse(s, &agreed, e) < 0)
		return err_prefix(e, "agreement.at");
	*day = conf_day(agreed, d->applied);
	tf_format_date(ag, sizeof ag, agreed);
	if (*day < 0)
		return err_set(e, "applied_at %s is before the agreement (%s)",
		    ev_time(d->applied), ag);
	if (*day <= CONF_WINDOW_DAYS)
		return 0;
	last_day(last, sizeof last, agreed);
	if (!c->late_ok)
		return err_set(e, "applied on day %ld after the agreement of %s: "
		    "People's Mediation Law art. 33 allows %d days (last day %s); "
		    "--late-ok records it anyway", *day, ag, CONF_WINDOW_DAYS, last);
	return 1;
}

static int do_confirm(const struct conf_ctx *c, struct rec *r,
    const struct conf_ev *d, const char *at, const char *by, struct err *e)
{
	char applied[40], note[1200];
	const char *hnote = d->note;
	long day = 0;
	int late;

	if ((late = check_window(c, r, d, &day, e)) < 0)
		return 0;
	if (late) {
		snprintf(note, sizeof note, "%s%sapplied late, on day %ld "
		    "(art. 33)", d->note ? d->note : "", d->note ? "; " : "",
		    day);
		hnote = note;
	}
	tf_format(applied, sizeof applied, d->applied);
	if (state_move(r, ST_CONFIRMED, at, "confirm", by, hnote, e) < 0)
		return -1;
	rec_del_group(r, "confirmation");
	if (rec_sets(r, "confirmation.court", d->court, e) < 0 ||
	    rec_sets(r, "confirmation.ruling", d->ruling, e) < 0 ||
	    rec_sets(r, "confirmation.applied_at", applied, e) < 0 ||
	    rec_sets(r, "confirmation.at", at, e) < 0 ||
	    (late && rec_set(r, "confirmation.late", REC_RAW, "true", 4, e) < 0))
		return -1;
	return 1;
}

static int do_performed(struct rec *r, const struct conf_ev *d,
    const char *at, const char *by, struct err *e)
{
	if (state_move(r, ST_CLOSED, at, "confirm", by, d->note, e) < 0 ||
	    rec_sets(r, "resolution", "performed", e) < 0 ||
	    rec_sets(r, "closed_at", at, e) < 0)
		return -1;
	return 1;
}

static int do_enforcement(struct rec *r, const struct conf_ev *d,
    const char *at, const char *by, struct err *e)
{
	const char *court = d->court ? d->court :
	    rec_get_nonempty(r, "confirmation.court");
	const char *done = rec_get_nonempty(r, "enforcement.at");
	char note[1200];
	int n;

	if (done != NULL) {
		err_set(e, "enforcement already applied for on %s", done);
		return 0;
	}
	n = snprintf(note, sizeof note, "enforcement applied for");
	if (court != NULL)
		n += snprintf(note + n, sizeof note - (size_t)n, " at %s", court);
	if (d->note != NULL)
		snprintf(note + n, sizeof note - (size_t)n, ": %s", d->note);
	/* the court string lives in r: write the history first, then copy */
	if (rec_history_add(r, at, "confirm", "confirmed", "confirmed", by,
	    note, e) < 0)
		return -1;
	court = d->court ? d->court : rec_get_nonempty(r, "confirmation.court");
	if (rec_sets(r, "enforcement.at", at, e) < 0 ||
	    (court != NULL && rec_sets(r, "enforcement.court", court, e) < 0) ||
	    (d->note != NULL && rec_sets(r, "enforcement.note", d->note, e) < 0))
		return -1;
	return 1;
}

/* May the action apply to a case in status st?  0, or -1 with e why. */
static int conf_allowed(const struct rec *r, int st, int action,
    struct err *e)
{
	const char *ruling;

	if (st == ST_CLOSED)
		return err_set(e, "the case is already closed");
	switch (action) {
	case CONF_CONFIRM:
		if (st == ST_CONFIRMED) {
			ruling = rec_get_nonempty(r, "confirmation.ruling");
			return err_set(e, "the agreement is already confirmed "
			    "(ruling %s)", ruling ? ruling : "unknown");
		}
		return state_allowed(st, ST_CONFIRMED, e);
	case CONF_PERFORMED:
		if (st == ST_AGREED || st == ST_CONFIRMED)
			return 0;
		return err_set(e, "status is %s; performed needs agreed or "
		    "confirmed", state_name(st));
	default:
		if (st == ST_CONFIRMED)
			return 0;
		if (st == ST_AGREED)
			return err_set(e, "status is agreed; enforcement needs "
			    "a judicially confirmed agreement (confirm first)");
		return err_set(e, "status is %s; enforcement needs confirmed",
		    state_name(st));
	}
}

static int conf_apply(void *ctx, struct rec *r, const struct ev *ev,
    struct err *e)
{
	const struct conf_ctx *c = ctx;
	const struct conf_ev *d = ev->data;
	const char *by = d->by ? d->by : c->by;
	char at[40];
	int st, rc;

	if ((st = state_of(r, e)) < 0 || conf_allowed(r, st, d->action, e) < 0) {
		err_prefix(e, "%s", conf_actions[d->action]);
		return 0;
	}
	tf_format(at, sizeof at, ev->at);
	switch (d->action) {
	case CONF_CONFIRM:
		rc = do_confirm(c, r, d, at, by, e);
		break;
	case CONF_PERFORMED:
		rc = do_performed(r, d, at, by, e);
		break;
	default:
		rc = do_enforcement(r, d, at, by, e);
	}
	if (rc == 0)
		err_prefix(e, "%s", conf_actions[d->action]);
	return rc;
}

void conf_hooks(struct ev_hooks *h, struct conf_ctx *c)
{
	h->cmd = "confirm";
	h->parse = conf_parse;
	h->apply = conf_apply;
	h->free_data = conf_free;
	h->ctx = c;
}
