/*
 * mediate.c - mediation events: parse a session or outcome row, check it
 * against the case's status and record it.  See mediate.h.
 *
 * Every check is made before the first change to the record, so that a
 * refused event leaves the case exactly as it was; what can fail after
 * that is only memory, which is fatal to the whole run.
 */
#include <string.h>
#include <strings.h>

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

struct med_ev {
	int outcome;
	int has_amount;
	money_t amount;
	int performed;
	char *by, *note, *terms;
};

static void med_free(void *p)
{
	struct med_ev *d = p;

	mem_free(d->by);
	mem_free(d->note);
	mem_free(d->terms);
	mem_free(d);
}

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

/* Copy an optional string; 0 or -1 on ENOMEM. */
static int dup_opt(char **dst, const char *s, struct err *e)
{
	if (s != NULL && (*dst = mem_strdup(s)) == NULL)
		return err_nomem(e);
	return 0;
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

static int med_parse(void *ctx, const struct rec *row, struct ev *ev,
    struct err *e)
{
	const char *amount = ev_field(row, amount_names);
	const char *perf = ev_field(row, performed_names);
	struct med_ev *d;
	int outcome;

	(void)ctx;
	if ((outcome = parse_outcome(ev_field(row, outcome_names), e)) < 0 ||
	    check_agreed_only(row, outcome, e) < 0)
		return -1;
	if ((d = mem_calloc(1, sizeof *d)) == NULL)
		return err_nomem(e);
	ev->data = d;		/* freed with the event, even when refused */
	d->outcome = outcome;
	if (amount != NULL) {
		if (money_parse(amount, &d->amount, e) < 0)
			return err_prefix(e, "amount");
		if (d->amount < 0)
			return err_set(e, "amount: %s is negative", amount);
		d->has_amount = 1;
	}
	if (perf != NULL && (d->performed = ev_bool(perf)) < 0)
		return err_set(e, "performed: \"%s\" is not yes or no "
		    "(true/false, 1/0, yes/no, 是/否)", perf);
	if (dup_opt(&d->by, ev_field(row, by_names), e) < 0 ||
	    dup_opt(&d->note, ev_field(row, note_names), e) < 0 ||
	    dup_opt(&d->terms, ev_field(row, terms_names), e) < 0)
		return -1;
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
static int close_case(struct rec *r, const char *at, const char *by,
    const char *resolution, const char *note, struct err *e)
{
	if (state_move(r, ST_CLOSED, at, "mediate", by, note, e) < 0 ||
	    rec_sets(r, "resolution", resolution, e) < 0 ||
	    rec_sets(r, "closed_at", at, e) < 0)
		return -1;
	return 0;
}

static int record_agreement(struct rec *r, const struct med_ev *d,
    const char *at, const char *by, struct err *e)
{
	char amount[32];

	if (state_move(r, ST_AGREED, at, "mediate", by, d->note, e) < 0)
		return -1;
	rec_del_group(r, "agreement");
	if (d->has_amount) {
		money_format(amount, sizeof amount, d->amount);
		if (rec_set(r, "agreement.amount", REC_NUM, amount,
		    strlen(amount), e) < 0)
			return -1;
	}
	if (rec_sets(r, "agreement.at", at, e) < 0 ||
	    (by != NULL && rec_sets(r, "agreement.by", by, e) < 0) ||
	    (d->terms != NULL && rec_sets(r, "agreement.terms", d->terms, e) < 0))
		return -1;
	if (d->performed == 1)
		return close_case(r, at, by, "performed",
		    "performed on the spot", e);
	return 0;
}

static int med_apply(void *ctx, struct rec *r, const struct ev *ev,
    struct err *e)
{
	const struct med_ctx *m = ctx;
	const struct med_ev *d = ev->data;
	const char *by = d->by ? d->by : m->by;
	char at[40];
	int st, rc;

	if ((st = state_of(r, e)) < 0 || med_allowed(st, d->outcome, e) < 0) {
		err_prefix(e, "%s", med_outcomes[d->outcome]);
		return 0;
	}
	tf_format(at, sizeof at, ev->at);
	switch (d->outcome) {
	case MED_AGREED:
		rc = record_agreement(r, d, at, by, e);
		break;
	case MED_WITHDRAWN:
		rc = close_case(r, at, by, "withdrawn", d->note, e);
		break;
	default:
		rc = state_move(r, target[d->outcome], at, "mediate", by,
		    d->note, e);
	}
	return rc < 0 ? -1 : 1;
}

void med_hooks(struct ev_hooks *h, struct med_ctx *m)
{
	h->cmd = "mediate";
	h->parse = med_parse;
	h->apply = med_apply;
	h->free_data = med_free;
	h->ctx = m;
}
