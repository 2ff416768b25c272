/*
 * confirm.c - judicial confirmation, performance and enforcement events:
 * parse a row, check it against the case and the 30-day window of the
 * People's Mediation Law, record it.  See confirm.h.
 *
 * As in mediate.c, every check comes before the first change to the
 * record, so a refused event leaves the case as it was.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "confirm.h"
#include "law.h"
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

/* An event's data, packed with it (events.h): no allocation per event. */
struct conf_ev {
	uint32_t court, ruling, by, note;	/* ev_str references */
	uint32_t applied;	/* applied_at as written (checked when read);
				   0: the event's at */
	unsigned char action;
};

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

static int conf_parse(void *ctx, const struct rec *row, struct tf_time at,
    struct ev_pack *p, struct err *e)
{
	const char *applied = ev_field(row, applied_names);
	struct tf_time t = at;
	struct conf_ev d;
	int action;

	(void)ctx;
	memset(&d, 0, sizeof d);
	if ((action = parse_action(ev_field(row, action_names), e)) < 0 ||
	    check_fields(row, action, e) < 0)
		return -1;
	d.action = (unsigned char)action;
	if (applied != NULL && tf_parse(applied, &t, e) < 0)
		return err_prefix(e, "applied_at");
	if (t.t > at.t)
		return err_set(e, "applied_at %s is after the confirmation "
		    "(at %s)", applied, ev_time(at));
	/* courts and clerks repeat on most events: kept once */
	if (ev_pack_begin(p, sizeof d, e) < 0 ||
	    ev_pack_str(p, applied, &d.applied, e) < 0 ||
	    ev_pack_word(p, ev_field(row, court_names), &d.court, e) < 0 ||
	    ev_pack_str(p, ev_field(row, ruling_names), &d.ruling, e) < 0 ||
	    ev_pack_word(p, ev_field(row, by_names), &d.by, e) < 0 ||
	    ev_pack_str(p, ev_field(row, note_names), &d.note, e) < 0)
		return -1;
	ev_pack_fixed(p, &d, sizeof d);
	return 0;
}

/*
 * A window whose last day is provisional (a year the calendar lacks,
 * law.h) never refuses: the application is recorded as in time, with a
 * warning that says so; past the provisional day it is not marked late
 * either, for the exact day may well be later (a holiday).
 */
static void prov_warning(struct ev_set *s, const struct law_deadline *d,
    const char *applied, int lang)
{
	char day[16];

	cal_fmt(d->due, day, sizeof day);
	if (lang == LAW_ZH)
		ev_warn(s, "confirm: 注意：%s的届满日%s为暂定（日历缺该年份，"
		    "仅按周末推算）；申请日期%s%s，照常记录", d->rule->name[lang],
		    day, applied, d->passed ? "已过暂定届满日，不标记为逾期" :
		    "在期限内");
	else
		ev_warn(s, "confirm: warning: the %s ends on %s, provisional "
		    "(its year is not in the calendar: counted by weekends "
		    "alone); applied on %s, %s", d->rule->name[lang], day,
		    applied, d->passed ? "after that day: recorded, not marked "
		    "late" : "within it: recorded");
}

/*
 * The judicial-confirmation window (People's Mediation Law art. 33), by
 * the law table's judicial-confirmation rule and the calendar: its
 * length, its first day and how a last day falling on a rest day moves
 * are the table's and the calendar's (onedoor-law(7)), so a station's
 * --law or --calendar changes it.  The application is late when its day
 * is after the window's last day.
 *
 * 0 in time (or no window: the station dropped the rule), 1 late and
 * allowed (--late-ok; *closed is the last day), -1 refused with e, -2
 * fatal (the table or calendar cannot be read, memory).
 */
static int check_window(struct ev_set *s, const struct conf_ctx *c,
    const struct rec *r, struct tf_time applied, long *day, char *closed,
    size_t nclosed, struct err *e)
{
	const char *at = rec_get_nonempty(r, "agreement.at");
	const struct law *law;
	const struct cal *cal;
	const struct law_rule *rule;
	struct law_deadline d;
	struct tf_time agreed;
	struct buf b = BUF_INIT;
	int lang = ev_lang(s), rc;
	char ag[16], ap[16];

	if (ev_law(s, &law, &cal, e) < 0)
		return -2;
	rule = law_rule(law, "judicial-confirmation");
	if (at == NULL)
		return err_set(e, "agreement.at missing: the judicial "
		    "confirmation window (People's Mediation Law art. 33) "
		    "cannot be counted");
	if (tf_parse(at, &agreed, e) < 0)
		return err_prefix(e, "agreement.at");
	*day = conf_day(agreed, applied);
	tf_format_date(ag, sizeof ag, agreed);
	tf_format_date(ap, sizeof ap, applied);
	if (*day < 0)
		return err_set(e, "applied_at %s is before the agreement (%s)",
		    ev_time(applied), ag);
	if (rule == NULL || rule->off || rule->from == NULL)
		return 0;
	if ((rc = law_deadline_of(rule, cal, r, applied, &d, e)) < 0)
		return err_prefix(e, "the %s cannot be counted",
		    rule->name[LAW_EN]);
	if (rc == 0)
		return err_set(e, "the %s cannot be counted: the case has no "
		    "%s", rule->name[LAW_EN], rule->from);
	cal_fmt(d.due, closed, nclosed);
	if (d.provisional) {
		prov_warning(s, &d, ap, lang);
		return 0;
	}
	if (!d.passed)
		return 0;
	if (c->late_ok)
		return 1;
	if (law_text(&d, lang, &b) < 0) {
		err_nomem(e);
		return -2;
	}
	if (lang == LAW_ZH)
		err_set(e, "申请日期%s为调解协议（%s）生效后第%ld日：%s：%s；"
		    "--late-ok 可仍予记录（标记为逾期）", ap, ag, *day,
		    rule->source[lang], b.p);
	else
		err_set(e, "applied on %s, day %ld after the agreement of %s: "
		    "%s: %s; --late-ok records it anyway", ap, *day, ag,
		    rule->source[lang], b.p);
	buf_free(&b);
	return -1;
}

static int do_confirm(struct ev_set *s, const struct conf_ctx *c,
    struct rec *r, const struct ev *ev, const struct conf_ev *d,
    const struct rec_step *step, struct err *e)
{
	const char *court = ev_str(ev, d->court), *note = step->note;
	struct rec_step hstep = *step;
	struct tf_time ta;
	char applied[40], hbuf[1200], closed[16] = "";
	long day = 0;
	int late;

	ta = ev->at;
	if (d->applied != 0 && tf_parse(ev_str(ev, d->applied), &ta, e) < 0)
		return -1;	/* parsed when read: cannot fail here */
	if ((late = check_window(s, c, r, ta, &day, closed, sizeof closed,
	    e)) == -1)
		return 0;
	if (late < 0)
		return -1;
	if (late) {
		snprintf(hbuf, sizeof hbuf, "%s%sapplied late, on day %ld; the "
		    "window closed on %s (art. 33)", note ? note : "",
		    note ? "; " : "", day, closed);
		hstep.note = hbuf;
	}
	tf_format(applied, sizeof applied, ta);
	if (state_move(r, ST_CONFIRMED, &hstep, e) < 0)
		return -1;
	rec_del_group(r, "confirmation");
	if (rec_sets(r, "confirmation.court", court, e) < 0 ||
	    rec_sets(r, "confirmation.ruling", ev_str(ev, d->ruling), e) < 0 ||
	    rec_sets(r, "confirmation.applied_at", applied, e) < 0 ||
	    rec_sets(r, "confirmation.at", step->at, e) < 0 ||
	    (late && rec_set(r, "confirmation.late", REC_RAW, "true", 4, e) < 0))
		return -1;
	return 1;
}

static int do_performed(struct rec *r, const struct rec_step *step,
    struct err *e)
{
	if (state_move(r, ST_CLOSED, step, e) < 0 ||
	    rec_sets(r, "resolution", "performed", e) < 0 ||
	    rec_sets(r, "closed_at", step->at, e) < 0)
		return -1;
	return 1;
}

static int do_enforcement(struct rec *r, const char *dcourt,
    const struct rec_step *step, struct err *e)
{
	const char *dnote = step->note;
	struct rec_step hstep = *step;
	const char *court = dcourt ? dcourt :
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
	if (dnote != NULL)
		snprintf(note + n, sizeof note - (size_t)n, ": %s", dnote);
	/* the court string lives in r: write the history first, then copy */
	hstep.note = note;
	if (rec_history_add(r, "confirmed", "confirmed", &hstep, e) < 0)
		return -1;
	court = dcourt ? dcourt : rec_get_nonempty(r, "confirmation.court");
	if (rec_sets(r, "enforcement.at", step->at, e) < 0 ||
	    (court != NULL && rec_sets(r, "enforcement.court", court, e) < 0) ||
	    (dnote != NULL && rec_sets(r, "enforcement.note", dnote, e) < 0))
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
		/* an escalated case is performed on the arbitral award or
		 * the judgment (onedoor(7)) */
		if (st == ST_AGREED || st == ST_CONFIRMED || st == ST_ESCALATED)
			return 0;
		return err_set(e, "status is %s; performed needs agreed, "
		    "confirmed or escalated", state_name(st));
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

static int conf_apply(void *ctx, struct ev_set *s, struct rec *r,
    const struct ev *ev, struct err *e)
{
	const struct conf_ctx *c = ctx;
	struct conf_ev d;
	struct rec_step step;
	char at[40];
	int st, rc;

	ev_data(ev, &d, sizeof d);
	step.at = at;
	step.recorded = ev_recorded_at(s);
	step.cmd = "confirm";
	step.by = ev_str(ev, d.by) ? ev_str(ev, d.by) : c->by;
	step.note = ev_str(ev, d.note);
	if ((st = state_of(r, e)) < 0 || conf_allowed(r, st, d.action, e) < 0) {
		err_prefix(e, "%s", conf_actions[d.action]);
		return 0;
	}
	tf_format(at, sizeof at, ev->at);
	switch (d.action) {
	case CONF_CONFIRM:
		rc = do_confirm(s, c, r, ev, &d, &step, e);
		break;
	case CONF_PERFORMED:
		rc = do_performed(r, &step, e);
		break;
	default:
		rc = do_enforcement(r, ev_str(ev, d.court), &step, e);
	}
	if (rc == 0)
		err_prefix(e, "%s", conf_actions[d.action]);
	return rc;
}

static int conf_step(void *ctx, const struct ev *ev, const char **to,
    const char **by)
{
	const struct conf_ctx *c = ctx;
	struct conf_ev d;

	ev_data(ev, &d, sizeof d);
	*to = state_name(d.action == CONF_PERFORMED ? ST_CLOSED : ST_CONFIRMED);
	*by = ev_str(ev, d.by) ? ev_str(ev, d.by) : c->by;
	return 0;
}

void conf_hooks(struct ev_hooks *h, struct conf_ctx *c)
{
	h->step = conf_step;
	h->cmd = "confirm";
	h->parse = conf_parse;
	h->apply = conf_apply;
	h->ctx = c;
}
