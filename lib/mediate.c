/*
 * mediate.c - mediation events: parse a session or outcome row, check it
 * against the case's status and record it.  See mediate.h.
 *
 * Every check is made before the first change to the record, so that a
 * refused event leaves the case exactly as it was; what can fail after
 * that is only memory, which is fatal to the whole run.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "law.h"
#include "mediate.h"
#include "mem.h"
#include "money.h"
#include "state.h"

const char *const med_outcomes[] = {
	"session", "agreed", "failed", "withdrawn", NULL
};

/* Chinese words station staff write in the outcome column. */
static const struct {
	const char *word;
	int outcome;
} med_aliases[] = {
	{ "调解", MED_SESSION }, { "调解中", MED_SESSION },
	{ "开庭", MED_SESSION }, { "达成协议", MED_AGREED },
	{ "调解成功", MED_AGREED }, { "调解不成", MED_FAILED },
	{ "调解失败", MED_FAILED }, { "撤回", MED_WITHDRAWN },
	{ "撤回申请", MED_WITHDRAWN },
};

static const char *const outcome_names[] = { "outcome", "结果", NULL };
static const char *const amount_names[] = { "amount", "协议金额", "金额", NULL };
static const char *const performed_names[] = { "performed", "当场履行", NULL };
static const char *const by_names[] = { "by", "调解员", NULL };
static const char *const note_names[] = { "note", "备注", NULL };
static const char *const terms_names[] = { "terms", "协议内容", NULL };

/* An event's data, packed with it (events.h): no allocation per event. */
struct med_ev {
	money_t amount;
	uint32_t by, note, terms;	/* ev_str references */
	unsigned char outcome, has_amount, performed;
};

static int parse_outcome(const char *s, struct err *e)
{
	size_t i;

	if (s == NULL)
		return err_set(e, "outcome: missing (session, agreed, failed "
		    "or withdrawn)");
	for (i = 0; med_outcomes[i] != NULL; i++)
		if (strcasecmp(s, med_outcomes[i]) == 0)
			return (int)i;
	for (i = 0; i < sizeof med_aliases / sizeof med_aliases[0]; i++)
		if (strcmp(s, med_aliases[i].word) == 0)
			return med_aliases[i].outcome;
	return ev_bad_word(e, "outcome", s, med_outcomes);
}

/* The fields that only an agreement may carry. */
static int check_agreed_only(const struct rec *row, int outcome,
    struct err *e)
{
	if (outcome == MED_AGREED)
		return 0;
	if (ev_field(row, amount_names) != NULL)
		return err_set(e, "amount: only an agreed outcome has an amount");
	if (ev_field(row, terms_names) != NULL)
		return err_set(e, "terms: only an agreed outcome has terms");
	if (ev_bool(ev_field(row, performed_names)) == 1)
		return err_set(e, "performed: only an agreed outcome can be "
		    "performed on the spot");
	return 0;
}

static int med_parse(void *ctx, const struct rec *row, struct tf_time at,
    struct ev_pack *p, struct err *e)
{
	const char *amount = ev_field(row, amount_names);
	const char *perf = ev_field(row, performed_names);
	struct med_ev d;
	int outcome, b = 0;

	(void)ctx;
	(void)at;
	memset(&d, 0, sizeof d);
	if ((outcome = parse_outcome(ev_field(row, outcome_names), e)) < 0 ||
	    check_agreed_only(row, outcome, e) < 0)
		return -1;
	d.outcome = (unsigned char)outcome;
	if (amount != NULL) {
		if (money_parse(amount, &d.amount, e) < 0)
			return err_prefix(e, "amount");
		if (d.amount < 0)
			return err_set(e, "amount: %s is negative", amount);
		d.has_amount = 1;
	}
	if (perf != NULL && (b = ev_bool(perf)) < 0)
		return err_set(e, "performed: \"%s\" is not yes or no "
		    "(true/false, 1/0, yes/no, 是/否)", perf);
	d.performed = (unsigned char)b;
	/* mediators' names repeat on most events: kept once */
	if (ev_pack_begin(p, sizeof d, e) < 0 ||
	    ev_pack_word(p, ev_field(row, by_names), &d.by, e) < 0 ||
	    ev_pack_str(p, ev_field(row, note_names), &d.note, e) < 0 ||
	    ev_pack_str(p, ev_field(row, terms_names), &d.terms, e) < 0)
		return -1;
	ev_pack_fixed(p, &d, sizeof d);
	return 0;
}

static int concluded(int st)
{
	return st == ST_AGREED || st == ST_FAILED || st == ST_ESCALATED ||
	    st == ST_CONFIRMED || st == ST_CLOSED;
}

static const int target[] = {
	[MED_SESSION] = ST_MEDIATING, [MED_AGREED] = ST_AGREED,
	[MED_FAILED] = ST_FAILED, [MED_WITHDRAWN] = ST_CLOSED,
};

/* May the event move a case in status st?  0, or -1 with e why. */
static int med_allowed(int st, int outcome, struct err *e)
{
	if (st == ST_CLOSED)
		return err_set(e, "the case is already closed");
	if (outcome == MED_WITHDRAWN)
		return 0;
	if (concluded(st))
		return err_set(e, "the case is already concluded (status %s); "
		    "a second outcome is not recorded", state_name(st));
	if (st == ST_NEW)
		return err_set(e, "status is new; route the case first "
		    "(case-route)");
	return state_allowed(st, target[outcome], e);
}

/* Close the case: status, resolution, closed_at, one history entry. */
static int close_case(struct rec *r, const struct rec_step *step,
    const char *resolution, struct err *e)
{
	if (state_move(r, ST_CLOSED, step, e) < 0 ||
	    rec_sets(r, "resolution", resolution, e) < 0 ||
	    rec_sets(r, "closed_at", step->at, e) < 0)
		return -1;
	return 0;
}

static int record_agreement(struct rec *r, const struct ev *ev,
    const struct med_ev *d, const struct rec_step *step, struct err *e)
{
	const char *terms = ev_str(ev, d->terms), *by = step->by;
	struct rec_step paid = *step;
	char amount[32];

	if (state_move(r, ST_AGREED, step, e) < 0)
		return -1;
	rec_del_group(r, "agreement");
	if (d->has_amount) {
		money_format(amount, sizeof amount, d->amount);
		if (rec_set(r, "agreement.amount", REC_NUM, amount,
		    strlen(amount), e) < 0)
			return -1;
	}
	if (rec_sets(r, "agreement.at", step->at, e) < 0 ||
	    (by != NULL && rec_sets(r, "agreement.by", by, e) < 0) ||
	    (terms != NULL && rec_sets(r, "agreement.terms", terms, e) < 0))
		return -1;
	paid.note = "performed on the spot";
	if (d->performed == 1)
		return close_case(r, &paid, "performed", e);
	return 0;
}

/*
 * Art. 14: an agreement reached after the 15-day mediation limit (the
 * mediation-limit rule of the law table, counted to the day of the
 * event) is still an agreement -- the law lets the parties agree
 * whenever they do -- but the station should know that either party
 * could have gone to arbitration: a warning, the agreement recorded.
 * Only where the rule applies to the case (its status and track).
 * 0, or -1 fatal (the law table or calendar cannot be read).
 */
static int limit_warning(struct ev_set *s, const struct rec *r,
    const struct ev *ev, struct err *e)
{
	const struct law *law;
	const struct cal *cal;
	const struct law_rule *rule;
	struct law_deadline d;
	struct buf b = BUF_INIT;
	struct err why;
	int lang = ev_lang(s), rc;

	if (ev_law(s, &law, &cal, e) < 0)
		return -1;
	rule = law_rule(law, "mediation-limit");
	if (rule == NULL || rule->off || !law_applies(rule, r))
		return 0;
	if ((rc = law_deadline_of(rule, cal, r, ev->at, &d, &why)) < 0) {
		ev_warn(s, lang == LAW_ZH ? "agreed: 注意：%s无法计算：%s" :
		    "agreed: warning: the %s cannot be counted: %s",
		    rule->name[lang], why.msg);
		return 0;
	}
	if (rc == 0 || !d.passed)
		return 0;
	if (law_text(&d, lang, &b) < 0)
		return err_nomem(e);
	if (lang == LAW_ZH)
		ev_warn(s, "agreed: 注意：%s：%s；调解协议照常记录",
		    rule->source[lang], b.p);
	else
		ev_warn(s, "agreed: warning: %s: %s; the agreement is "
		    "recorded all the same", rule->source[lang], b.p);
	buf_free(&b);
	return 0;
}

static int med_apply(void *ctx, struct ev_set *s, struct rec *r,
    const struct ev *ev, struct err *e)
{
	const struct med_ctx *m = ctx;
	struct med_ev d;
	struct rec_step step;
	char at[40];
	int st, rc;

	ev_data(ev, &d, sizeof d);
	step.by = ev_str(ev, d.by) ? ev_str(ev, d.by) : m->by;
	step.note = ev_str(ev, d.note);
	step.cmd = "mediate";
	step.at = at;
	step.recorded = ev_recorded_at(s);
	if ((st = state_of(r, e)) < 0 || med_allowed(st, d.outcome, e) < 0) {
		err_prefix(e, "%s", med_outcomes[d.outcome]);
		return 0;
	}
	if (d.outcome == MED_AGREED && limit_warning(s, r, ev, e) < 0)
		return -1;
	tf_format(at, sizeof at, ev->at);
	switch (d.outcome) {
	case MED_AGREED:
		rc = record_agreement(r, ev, &d, &step, e);
		break;
	case MED_WITHDRAWN:
		rc = close_case(r, &step, "withdrawn", e);
		break;
	default:
		rc = state_move(r, target[d.outcome], &step, e);
	}
	return rc < 0 ? -1 : 1;
}

static int med_step(void *ctx, const struct ev *ev, const char **to,
    const char **by)
{
	const struct med_ctx *m = ctx;
	struct med_ev d;

	ev_data(ev, &d, sizeof d);
	*to = state_name(target[d.outcome]);
	*by = ev_str(ev, d.by) ? ev_str(ev, d.by) : m->by;
	return 0;
}

void med_hooks(struct ev_hooks *h, struct med_ctx *m)
{
	h->step = med_step;
	h->cmd = "mediate";
	h->parse = med_parse;
	h->apply = med_apply;
	h->ctx = m;
}
