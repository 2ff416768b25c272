/*
 * report.c - from case records to figures: which events a case carries,
 * on which date, and into which group each one goes.  See report.h and
 * report_agg.h; man/report.1 defines the figures.
 *
 * A case is not one row of the report but up to eight dated events:
 * received (received_at), closed (closed_at), mediation concluded
 * (agreed or failed: the last history entry that says so), confirmed,
 * enforcement, escalated, and overdue (due_at).  Each event counts when
 * its own date lies in the window, and goes to the group its date names
 * (--by day ...), so that "cases per day" and "closures per day" are
 * both right.  The record is read field by field once; the history text
 * is scanned without building JSON, and only when the status says that
 * something happened after mediation started.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "law.h"
#include "money.h"
#include "report_agg.h"
#include "window.h"

const struct fig_info report_figs[NFIG] = {
	{ "cases",		"受理案件",		K_COUNT },
	{ "workers",		"涉及人数",		K_COUNT },
	{ "amount",		"涉及金额(元)",		K_MONEY },
	{ "online",		"线上受理",		K_COUNT },
	{ "offline",		"线下受理",		K_COUNT },
	{ "open",		"未结案件",		K_COUNT },
	{ "closed",		"结案",			K_COUNT },
	{ "status_new",		"状态:新收",		K_COUNT },
	{ "status_routed",	"状态:已分流",		K_COUNT },
	{ "status_mediating",	"状态:调解中",		K_COUNT },
	{ "status_agreed",	"状态:达成协议",	K_COUNT },
	{ "status_failed",	"状态:调解不成",	K_COUNT },
	{ "status_escalated",	"状态:转仲裁诉讼",	K_COUNT },
	{ "status_confirmed",	"状态:司法确认",	K_COUNT },
	{ "status_closed",	"状态:已结案",		K_COUNT },
	{ "status_other",	"状态:其他",		K_COUNT },
	{ "mediated",		"调解终结",		K_COUNT },
	{ "agreed",		"调解成功",		K_COUNT },
	{ "failed",		"调解不成功",		K_COUNT },
	{ "withdrawn",		"撤回结案",		K_COUNT },
	{ "success_rate",	"调解成功率(%)",	K_RATE },
	{ "confirmed",		"司法确认",		K_COUNT },
	{ "performed",		"履行结案",		K_COUNT },
	{ "escalated",		"转仲裁诉讼",		K_COUNT },
	{ "referred",		"移交结案",		K_COUNT },
	{ "enforcement",	"申请执行",		K_COUNT },
	{ "agreed_amount",	"协议金额(元)",		K_MONEY },
	{ "overdue",		"超期未结",		K_COUNT },
	{ "closed_in_time",	"按期办结",		K_COUNT },
	{ "closed_late",	"超期办结",		K_COUNT },
	{ "median_hours",	"办结用时中位数(小时)",	K_HOURS },
	{ "p90_hours",		"办结用时90%分位(小时)", K_HOURS },
	{ "warning",		"预警受理",		K_COUNT },
	{ "warning_workers",	"预警涉及人数",		K_COUNT },
	{ "mediation_in_limit",	"期限内调解成功",	K_COUNT },
	{ "mediation_after_limit", "超期调解成功",	K_COUNT },
	{ "mediation_past_limit", "超调解期限未结",	K_COUNT },
	{ "confirmation_in_window", "期限内申请司法确认", K_COUNT },
	{ "confirmation_missed", "错过司法确认期限",	K_COUNT },
};

const char *const report_by_words[] = {
	"day", "week", "month", "year", "channel", "type", "grid",
	"employer", "assignee", "track", "status", "priority", "desk", NULL
};

const char *const report_by_zh[NBY] = {
	"日期", "周", "月份", "年度", "渠道", "案由", "网格",
	"用人单位", "承办人", "处理方式", "状态", "优先级", "承办科室"
};

/* Statuses in the order of F_ST_*; anything else is status_other. */
static const char *const statuses[] = {
	"new", "routed", "mediating", "agreed", "failed", "escalated",
	"confirmed", "closed", NULL
};
enum { S_NEW, S_ROUTED, S_MEDIATING, S_AGREED, S_FAILED, S_ESCALATED,
	S_CONFIRMED, S_CLOSED, S_OTHER };

enum { EV_RECV, EV_CLOSE, EV_AGREED, EV_FAILED, EV_CONFIRM, EV_ENFORCE,
	EV_ESCALATE, EV_OVERDUE, EV_PAST_LIMIT, EV_CONF_MISSED, NEV };

/* The fields report reads, found in one pass over the record. */
struct cf {
	const char *id, *received_at, *closed_at, *due_at, *status;
	const char *resolution, *workers, *amount, *agr_amount, *agr_at;
	const char *conf_at, *conf_applied, *enf_at, *history;
	const char *attr[NBY];	/* values of the attribute --by keys */
};

/* What the history says happened, as raw "at" strings. */
struct facts {
	const char *outcome_at;	/* last entry to agreed or failed */
	size_t outcome_len;
	int outcome;		/* S_AGREED, S_FAILED, or -1 */
	const char *esc_at, *conf_at, *closed_at;	/* first, first, last */
	size_t esc_len, conf_len, closed_len;
};

/* One case, ready to count. */
struct kase {
	int status;
	long long workers, amount, agr_amount;
	long long t[NEV];
	int has[NEV];
	int resolution;		/* 0 none, 1 performed, 2 withdrawn,
				   3 escalated, 4 referred */
	const char *agr_s, *conf_s;	/* the times that dated EV_AGREED and
					   EV_CONFIRM, as written */
	size_t agr_n, conf_n;
	int limit;		/* agreed within the art. 14 limit: 1 yes,
				   2 after it, 0 not judged (rule off or not
				   for this track) */
	int conf_in;		/* confirmation applied within art. 33's window */
	const struct cf *f;
	const struct rec *r;
};

void report_defaults(struct report_opts *o)
{
	memset(o, 0, sizeof *o);
	o->in.format = FMT_AUTO;
	o->in.encoding = ENC_AUTO;
	o->in.typed = 1;
	o->out = stdout;
	o->to = FMT_CSV;
	o->min_cases = 3;
	o->within = 7;
}

static int by_index(const char *s, size_t n)
{
	int i;

	for (i = 0; report_by_words[i] != NULL; i++)
		if (strlen(report_by_words[i]) == n &&
		    memcmp(report_by_words[i], s, n) == 0)
			return i;
	return -1;
}

static int parse_by(struct agg *a, const char *s, struct err *e)
{
	const char *p = s, *comma;
	size_t n;
	int k, j;

	while (s != NULL && *p != '\0') {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if ((k = by_index(p, n)) < 0) {
			char word[64];

			snprintf(word, sizeof word, "%.*s", (int)(n < 60 ? n : 60), p);
			return err_set(e, "--by: unknown key \"%s\" (valid: day, week, "
			    "month, year, channel, type, grid, employer, assignee, "
			    "track, status, priority, desk)", word);
		}
		for (j = 0; j < a->nby; j++)
			if (a->by[j] == k)
				return err_set(e, "--by: %s given twice",
				    report_by_words[k]);
		if (a->nby == REPORT_MAXBY)
			return err_set(e, "--by: at most %d keys", REPORT_MAXBY);
		a->by[a->nby++] = k;
		p += n + (comma != NULL);
	}
	return 0;
}

int agg_init(struct agg *a, const struct report_opts *o, struct err *e)
{
	long long s, u;

	memset(a, 0, sizeof *a);
	a->now = o->now.t;
	a->nowt = o->now;
	a->view = o->view;
	a->within = o->within;
	a->law = o->law;
	a->cal = o->cal;
	a->law_fp = o->law != NULL ? law_digest(o->law) : 0;
	a->cal_fp = o->cal != NULL ? cal_digest(o->cal) : 0;
	{
		struct tf_civil c;

		tf_to_civil(o->now, &c);
		a->today = tf_days_from_civil(c.year, c.month, c.day);
	}
	if (a->law != NULL && a->cal != NULL) {
		a->r_limit = law_rule(a->law, "mediation-limit");
		a->r_conf = law_rule(a->law, "judicial-confirmation");
		if (a->r_limit != NULL && (a->r_limit->off || !a->r_limit->from))
			a->r_limit = NULL;
		if (a->r_conf != NULL && (a->r_conf->off || !a->r_conf->from))
			a->r_conf = NULL;
	} else
		a->law = NULL;
	if (parse_by(a, o->by, e) < 0)
		return -1;
	if (o->since != NULL) {
		if (win_span(o->since, o->now, &a->since, &u, e) < 0)
			return err_prefix(e, "--since");
		a->has_since = 1;
	}
	if (o->until != NULL) {
		if (win_span(o->until, o->now, &s, &a->until, e) < 0)
			return err_prefix(e, "--until");
		a->has_until = 1;
	}
	if (a->has_since && a->has_until && a->until < a->since)
		return err_set(e, "--until is before --since");
	return 0;
}

/* One pass over the fields.  The switch on the key's length leaves one
 * or two fixed-size compares a field, where rec_get per name would scan
 * the record twenty times and strcmp per name costs a tenth of a run. */
static void pick(const struct rec *r, struct cf *f)
{
	size_t i;

	memset(f, 0, sizeof *f);
	for (i = 0; i < r->n; i++) {
		const char *k = r->arena + r->f[i].key;
		const char *v = r->arena + r->f[i].val;

#define IS(s) (memcmp(k, s, sizeof s - 1) == 0)
		switch (r->f[i].klen) {
		case 2:
			if (IS("id")) f->id = v;
			break;
		case 4:
			if (IS("type")) f->attr[BY_TYPE] = v;
			else if (IS("grid")) f->attr[BY_GRID] = v;
			else if (IS("desk")) f->attr[BY_DESK] = v;
			break;
		case 5:
			if (IS("track")) f->attr[BY_TRACK] = v;
			break;
		case 6:
			if (IS("status")) f->status = f->attr[BY_STATUS] = v;
			else if (IS("amount")) f->amount = v;
			else if (IS("due_at")) f->due_at = v;
			break;
		case 7:
			if (IS("channel")) f->attr[BY_CHANNEL] = v;
			else if (IS("history")) f->history = v;
			else if (IS("workers")) f->workers = v;
			break;
		case 8:
			if (IS("assignee")) f->attr[BY_ASSIGNEE] = v;
			else if (IS("priority")) f->attr[BY_PRIORITY] = v;
			break;
		case 9:
			if (IS("closed_at")) f->closed_at = v;
			break;
		case 10:
			if (IS("resolution")) f->resolution = v;
			break;
		case 11:
			if (IS("received_at")) f->received_at = v;
			break;
		case 12:
			if (IS("agreement.at")) f->agr_at = v;
			break;
		case 13:
			if (IS("employer.name")) f->attr[BY_EMPLOYER] = v;
			break;
		case 14:
			if (IS("enforcement.at")) f->enf_at = v;
			break;
		case 15:
			if (IS("confirmation.at")) f->conf_at = v;
			break;
		case 16:
			if (IS("agreement.amount")) f->agr_amount = v;
			break;
		case 23:
			if (IS("confirmation.applied_at")) f->conf_applied = v;
			break;
		}
#undef IS
	}
}

static int word_index(const char *s, const char *const *words, int none)
{
	int i;

	if (s == NULL)
		return none;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	return none;
}

static int eqn(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* The end of the JSON string starting after its opening quote: the
 * first quote not escaped, i.e. after an even run of backslashes.
 * strchr rather than a loop by byte: history strings are most of what
 * report itself reads. */
static const char *str_end(const char *p)
{
	const char *q = p, *x, *b;

	for (;;) {
		if ((x = strchr(q, '"')) == NULL)
			return q + strlen(q);
		for (b = x; b > p && b[-1] == '\\'; b--)
			;
		if ((x - b) % 2 == 0)
			return x;
		q = x + 1;
	}
}

static void entry_done(struct facts *fs, const char *at, size_t alen,
    const char *to, size_t tlen)
{
	if (at == NULL || to == NULL)
		return;
	if (eqn(to, tlen, "agreed") || eqn(to, tlen, "failed")) {
		fs->outcome = eqn(to, tlen, "agreed") ? S_AGREED : S_FAILED;
		fs->outcome_at = at;
		fs->outcome_len = alen;
	} else if (eqn(to, tlen, "escalated") && fs->esc_at == NULL) {
		fs->esc_at = at;
		fs->esc_len = alen;
	} else if (eqn(to, tlen, "confirmed") && fs->conf_at == NULL) {
		fs->conf_at = at;
		fs->conf_len = alen;
	} else if (eqn(to, tlen, "closed")) {
		fs->closed_at = at;
		fs->closed_len = alen;
	}
}

/*
 * The history array's entries, read for their "at" and "to" strings
 * only.  The reader has checked that the text is valid JSON, so a scan
 * that follows strings and nesting is enough; keys are looked at only
 * directly inside an entry (depth 2), whatever order or spacing the
 * writer used.
 */
static void scan_history(const char *p, struct facts *fs)
{
	const char *s, *at = NULL, *to = NULL, *key = NULL;
	size_t alen = 0, tlen = 0, klen = 0;
	int depth = 0, want_key = 0;

	memset(fs, 0, sizeof *fs);
	fs->outcome = -1;
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			s = p + 1;
			p = str_end(s);
			if (depth == 2 && want_key) {
				key = s;
				klen = (size_t)(p - s);
				want_key = 0;
			} else if (depth == 2 && key != NULL) {
				if (eqn(key, klen, "at")) {
					at = s;
					alen = (size_t)(p - s);
				} else if (eqn(key, klen, "to")) {
					to = s;
					tlen = (size_t)(p - s);
				}
			}
			if (*p == '\0')
				return;
			break;
		case '{':
		case '[':
			if (++depth == 2 && *p == '{') {
				at = to = key = NULL;
				want_key = 1;
			}
			break;
		case '}':
		case ']':
			if (depth == 2 && *p == '}')
				entry_done(fs, at, alen, to, tlen);
			depth--;
			break;
		case ',':
			if (depth == 2)
				want_key = 1;
			break;
		}
	}
}

/* A time given as n bytes of a JSON string. */
static int time_n(const char *s, size_t n, long long *t, struct err *e)
{
	char tmp[64];

	if (n >= sizeof tmp)
		return err_set(e, "history: \"at\" is not a time");
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return win_time(tmp, t, e);
}

static int field_time(const char *name, const char *s, long long *t,
    struct err *e)
{
	if (win_time(s, t, e) < 0)
		return err_prefix(e, "%s", name);
	return 0;
}

static int whole_number(const char *name, const char *s, long long *v,
    struct err *e)
{
	char *end;

	*v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || *v < 0 || *v > 100000000LL)
		return err_set(e, "%s: \"%.40s\" is not a number of people", name, s);
	return 0;
}

static int amount(const char *name, const char *s, long long *v,
    struct err *e)
{
	*v = 0;
	if (s == NULL || *s == '\0')
		return 0;
	if (money_parse(s, v, e) < 0)
		return err_prefix(e, "%s", name);
	if (*v < 0)
		return err_set(e, "%s: negative", name);
	return 0;
}

/* received, closed, overdue: the plain dated fields. */
static int plain_events(struct agg *a, struct kase *k, struct err *e)
{
	const struct cf *f = k->f;

	if (f->received_at == NULL || *f->received_at == '\0')
		return err_set(e, "no received_at");
	if (field_time("received_at", f->received_at, &k->t[EV_RECV], e) < 0)
		return -1;
	k->has[EV_RECV] = 1;
	if (f->due_at != NULL && *f->due_at != '\0') {
		if (field_time("due_at", f->due_at, &k->t[EV_OVERDUE], e) < 0)
			return -1;
		k->has[EV_OVERDUE] = k->status != S_CLOSED &&
		    k->t[EV_OVERDUE] < a->now;
	}
	if (f->enf_at != NULL && *f->enf_at != '\0') {
		if (field_time("enforcement.at", f->enf_at, &k->t[EV_ENFORCE], e) < 0)
			return -1;
		k->has[EV_ENFORCE] = 1;
	}
	return 0;
}

/* An event dated by a field, else by the history, else refused when the
 * status claims it happened: a case that cannot be dated is not
 * counted rather than counted on a guessed day. */
static int dated(struct kase *k, int ev, const char *field, const char *name,
    const char *hat, size_t hlen, int claimed, struct err *e)
{
	static const char *const what[NEV] = {
		"", "closed_at or history entry", "agreement.at or history entry",
		"history entry", "confirmation.at or history entry", "", "", "",
		"", ""
	};

	if (field != NULL && *field != '\0') {
		if (field_time(name, field, &k->t[ev], e) < 0)
			return -1;
	} else if (hat != NULL) {
		if (time_n(hat, hlen, &k->t[ev], e) < 0)
			return err_prefix(e, "history");
	} else if (claimed)
		return err_set(e, "status %s but no %s to date it",
		    statuses[k->status], what[ev]);
	else
		return 0;
	k->has[ev] = 1;
	return 0;
}

static int history_events(struct kase *k, struct err *e)
{
	const struct cf *f = k->f;
	struct facts fs;
	int st = k->status;

	memset(&fs, 0, sizeof fs);
	fs.outcome = -1;
	/* New, routed and mediating cases have no outcome yet: skip the scan. */
	if (f->history != NULL && st != S_NEW && st != S_ROUTED &&
	    st != S_MEDIATING)
		scan_history(f->history, &fs);
	if (fs.outcome >= 0) {
		int ev = fs.outcome == S_AGREED ? EV_AGREED : EV_FAILED;

		if (time_n(fs.outcome_at, fs.outcome_len, &k->t[ev], e) < 0)
			return err_prefix(e, "history");
		k->has[ev] = 1;
		k->agr_s = fs.outcome_at;
		k->agr_n = fs.outcome_len;
	} else if (dated(k, EV_AGREED, f->agr_at, "agreement.at", NULL, 0,
	    st == S_AGREED || st == S_CONFIRMED, e) < 0 ||
	    dated(k, EV_FAILED, NULL, "history", NULL, 0, st == S_FAILED,
	    e) < 0)
		return -1;
	if (k->agr_s == NULL && k->has[EV_AGREED]) {
		k->agr_s = f->agr_at;
		k->agr_n = strlen(f->agr_at);
	}
	if (dated(k, EV_CONFIRM, f->conf_at, "confirmation.at", fs.conf_at,
	    fs.conf_len, st == S_CONFIRMED, e) < 0)
		return -1;
	if (f->conf_at != NULL && *f->conf_at != '\0') {
		k->conf_s = f->conf_at;
		k->conf_n = strlen(f->conf_at);
	} else {
		k->conf_s = fs.conf_at;
		k->conf_n = fs.conf_len;
	}
	if (st == S_CLOSED && dated(k, EV_CLOSE, f->closed_at, "closed_at",
	    fs.closed_at, fs.closed_len, 1, e) < 0)
		return -1;
	if (fs.esc_at != NULL) {
		if (time_n(fs.esc_at, fs.esc_len, &k->t[EV_ESCALATE], e) < 0)
			return err_prefix(e, "history");
		k->has[EV_ESCALATE] = 1;
	} else if (k->resolution == 3 && k->has[EV_CLOSE]) {
		k->t[EV_ESCALATE] = k->t[EV_CLOSE];
		k->has[EV_ESCALATE] = 1;
	} else if (st == S_ESCALATED)
		return err_set(e, "status escalated but no history entry to date it");
	return 0;
}

/* Whether list (space-separated words) holds value; NULL holds
 * anything, an absent or empty value is "none" (as in lib/law.c). */
static int in_list(const char *list, const char *value)
{
	size_t vn;
	const char *p = list;

	if (list == NULL)
		return 1;
	if (value == NULL || *value == '\0')
		value = "none";
	vn = strlen(value);
	while (*p != '\0') {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == vn && memcmp(p, value, n) == 0)
			return 1;
		p += n;
	}
	return 0;
}

/* The rule's conditions on the case, its status aside when status is 0:
 * an agreement is judged against the mediation limit whatever the case
 * went on to become. */
static int rule_fits(const struct law_rule *ru, const struct cf *f,
    int status)
{
	return (!status || in_list(ru->status, f->status)) &&
	    in_list(ru->track, f->attr[BY_TRACK]) &&
	    in_list(ru->type, f->attr[BY_TYPE]) &&
	    in_list(ru->priority, f->attr[BY_PRIORITY]);
}

static int digits(const char *s, int n, int *v)
{
	*v = 0;
	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return 0;
		*v = *v * 10 + (*s++ - '0');
	}
	return 1;
}

/* The local date of a time written in n bytes, in its own offset (as
 * lib/law.c counts).  An RFC 3339 time's date is its first ten bytes:
 * read straight, as tf_parse costs a tenth of a run here. */
static int str_day(const char *what, const char *s, size_t n, long long *day,
    struct err *e)
{
	char tmp[64];
	struct tf_time t;
	struct tf_civil c;
	int y, m, d;

	if (n > 10 && (s[10] == 'T' || s[10] == ' ') && s[4] == '-' &&
	    s[7] == '-' && digits(s, 4, &y) && digits(s + 5, 2, &m) &&
	    digits(s + 8, 2, &d) && tf_valid_date(y, m, d)) {
		*day = tf_days_from_civil(y, m, d);
		return 0;
	}
	/* -1 spelt out on failure: the day is used only after a 0 */
	if (n >= sizeof tmp) {
		err_set(e, "%s: not a time", what);
		return -1;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (tf_parse(tmp, &t, e) < 0) {
		err_prefix(e, "%s", what);
		return -1;
	}
	tf_to_civil(t, &c);
	*day = tf_days_from_civil(c.year, c.month, c.day);
	return 0;
}

/*
 * The last day of rule ru for the case: 1, 0 when the case lacks the
 * event it runs from, -1 with e.  What lib/law.c's law_deadline_of
 * does, with the two fields these rules run from read from the picked
 * fields and the calendar's answer remembered per first day; any other
 * "from" goes to law_deadline_of.
 */
static int rule_due(struct agg *a, int which, const struct law_rule *ru,
    const struct kase *k, long long *due, struct err *e)
{
	const char *v;
	long long from;
	size_t slot;
	int rc;

	if (strcmp(ru->from, "received_at") == 0)
		v = k->f->received_at;
	else if (strcmp(ru->from, "agreement.at") == 0)
		v = k->f->agr_at;
	else {
		struct law_deadline d;

		if ((rc = law_deadline_of(ru, a->cal, k->r, a->nowt, &d, e)) == 1)
			*due = d.due;
		return rc;
	}
	if (v == NULL || *v == '\0')
		return 0;
	if (str_day(ru->from, v, strlen(v), &from, e) < 0)
		return -1;
	slot = (size_t)from & 511;
	if (a->dkey[which][slot] == from + 1) {
		*due = a->ddue[which][slot];
		return 1;
	}
	{
		struct cal cc = *a->cal;	/* as law_deadline_of: roll per rule */
		int prov;	/* the figures count a provisional day alike */

		if (!ru->roll)
			cc.roll = CAL_ROLL_NONE;
		if (cal_add_prov(&cc, from, ru->length, ru->unit, due, &prov,
		    e) < 0) {
			err_prefix(e, "%s", ru->id);
			return -1;
		}
	}
	a->dkey[which][slot] = from + 1;
	a->ddue[which][slot] = *due;
	return 1;
}

/* A deadline's last day as an event: its local midnight (remembered
 * per day: many cases share a last day, and TZ lookups cost a tenth of
 * a run here). */
static int last_day_event(struct agg *a, struct kase *k, int ev,
    long long due, struct err *e)
{
	size_t slot = (size_t)due & 511;

	if (a->mkey[slot] != due + 1) {
		if (win_day_start(due, &a->mval[slot], e) < 0)
			return -1;
		a->mkey[slot] = due + 1;
	}
	k->t[ev] = a->mval[slot];
	k->has[ev] = 1;
	return 0;
}

/*
 * The time-limit figures (report(1)): an agreement within or after the
 * art. 14 mediation limit, an open mediation past it; a judicial
 * confirmation applied for within art. 33's window, or the window gone
 * by without one.  The rules come from the law table, so a station's
 * --law changes them; a rule turned off leaves its figures at 0.  A day
 * outside the calendar is counted provisionally (cal_add_prov), by
 * weekends alone, as lib/law.c counts it.
 */
static int law_events(struct agg *a, struct kase *k, struct err *e)
{
	const struct cf *f = k->f;
	long long day, due;
	int rc, open_med;

	if (a->law == NULL)
		return 0;
	open_med = k->status != S_CLOSED && a->r_limit != NULL &&
	    rule_fits(a->r_limit, f, 1);
	if (a->r_limit != NULL && (k->has[EV_AGREED] || open_med) &&
	    rule_fits(a->r_limit, f, 0)) {
		if ((rc = rule_due(a, 0, a->r_limit, k, &due, e)) < 0)
			return -1;
		if (rc == 1 && k->has[EV_AGREED]) {
			if (str_day("agreement", k->agr_s, k->agr_n, &day, e) < 0)
				return -1;
			k->limit = day <= due ? 1 : 2;
		} else if (rc == 1 && open_med && a->today > due &&
		    last_day_event(a, k, EV_PAST_LIMIT, due, e) < 0)
			return -1;
	}
	if (a->r_conf != NULL && (k->has[EV_AGREED] || f->agr_at != NULL) &&
	    rule_fits(a->r_conf, f, 0)) {
		if ((rc = rule_due(a, 1, a->r_conf, k, &due, e)) < 0)
			return -1;
		if (rc == 1 && k->has[EV_CONFIRM]) {
			const char *s = f->conf_applied;
			size_t n = s != NULL ? strlen(s) : 0;

			if (n == 0) {
				s = k->conf_s;
				n = k->conf_n;
			}
			if (str_day("confirmation", s, n, &day, e) < 0)
				return -1;
			k->conf_in = day <= due;
		} else if (rc == 1 && !k->has[EV_CONFIRM] && a->today > due &&
		    last_day_event(a, k, EV_CONF_MISSED, due, e) < 0)
			return -1;
	}
	return 0;
}

static int read_case(struct agg *a, struct kase *k, const struct cf *f,
    const struct rec *r, struct err *e)
{
	static const char *const resolutions[] = {
		"-", "performed", "withdrawn", "escalated", "referred", NULL
	};

	memset(k, 0, sizeof *k);
	k->f = f;
	k->r = r;
	k->status = word_index(f->status, statuses, S_OTHER);
	k->resolution = word_index(f->resolution, resolutions, 0);
	k->workers = 1;
	if (f->workers != NULL && *f->workers != '\0' &&
	    whole_number("workers", f->workers, &k->workers, e) < 0)
		return -1;
	if (amount("amount", f->amount, &k->amount, e) < 0 ||
	    amount("agreement.amount", f->agr_amount, &k->agr_amount, e) < 0)
		return -1;
	if (plain_events(a, k, e) < 0 || history_events(k, e) < 0 ||
	    law_events(a, k, e) < 0)
		return -1;
	if (k->has[EV_CLOSE] && k->t[EV_CLOSE] < k->t[EV_RECV])
		return err_set(e, "closed before it was received");
	return 0;
}

static int count_received(struct agg *a, long long *c, const struct kase *k,
    struct err *e)
{
	const char *ch = k->f->attr[BY_CHANNEL];

	c[F_CASES]++;
	/* sums stay exact or fail: no wrap-around on hostile amounts */
	if (agg_add(a, &c[F_WORKERS], F_WORKERS, k->workers, e) < 0 ||
	    agg_add(a, &c[F_AMOUNT], F_AMOUNT, k->amount, e) < 0)
		return -1;
	if (ch != NULL && strcmp(ch, "online") == 0)
		c[F_ONLINE]++;
	else
		c[F_OFFLINE]++;
	if (ch != NULL && strcmp(ch, "warning") == 0) {
		c[F_WARNING]++;
		c[F_WARNING_WORKERS] += k->workers;
	}
	if (k->status != S_CLOSED)
		c[F_OPEN]++;
	c[F_ST_NEW + k->status]++;
	return 0;
}

static int count_closed(struct group *g, const struct kase *k)
{
	static const int res_fig[] = {
		-1, F_PERFORMED, F_WITHDRAWN, -1, F_REFERRED
	};
	long long *c = g->c;

	c[F_CLOSED]++;
	if (res_fig[k->resolution] >= 0)
		c[res_fig[k->resolution]]++;
	if (k->f->due_at != NULL && *k->f->due_at != '\0') {
		if (k->t[EV_CLOSE] <= k->t[EV_OVERDUE])
			c[F_IN_TIME]++;
		else
			c[F_LATE]++;
	}
	return hist_add(&g->h, (k->t[EV_CLOSE] - k->t[EV_RECV]) / 60, 1);
}

static int count_event(struct agg *a, struct group *g, int ev,
    const struct kase *k, struct err *e)
{
	long long *c = g->c;

	switch (ev) {
	case EV_RECV:
		return count_received(a, c, k, e);
	case EV_CLOSE:
		if (count_closed(g, k) < 0)
			return err_nomem(e);
		return 0;
	case EV_AGREED:
		c[F_MEDIATED]++;
		c[F_AGREED]++;
		if (k->limit)
			c[k->limit == 1 ? F_IN_LIMIT : F_AFTER_LIMIT]++;
		return agg_add(a, &c[F_AGREED_AMOUNT], F_AGREED_AMOUNT,
		    k->agr_amount, e);
	case EV_FAILED:
		c[F_MEDIATED]++;
		c[F_FAILED]++;
		return 0;
	case EV_CONFIRM:
		c[F_CONFIRMED]++;
		c[F_CONF_IN_WINDOW] += k->conf_in;
		return 0;
	case EV_PAST_LIMIT:
		c[F_PAST_LIMIT]++;
		return 0;
	case EV_CONF_MISSED:
		c[F_CONF_MISSED]++;
		return 0;
	case EV_ENFORCE:
		c[F_ENFORCEMENT]++;
		return 0;
	case EV_ESCALATE:
		c[F_ESCALATED]++;
		return 0;
	case EV_OVERDUE:
		c[F_OVERDUE]++;
		return 0;
	}
	return 0;
}

/* The group key of an event: its bucket for date keys, the case's value
 * for the others, NUL between components. */
static int event_key(const struct agg *a, const struct kase *k, long long t,
    char *key, size_t cap, size_t *klen)
{
	size_t n = 0, l;
	char lab[32];
	const char *v;
	int i;

	for (i = 0; i < a->nby; i++) {
		int b = a->by[i];

		if (b <= BY_YEAR) {
			win_label(t, b - BY_DAY + WIN_DAY, lab, sizeof lab);
			v = lab;
		} else
			v = k->f->attr[b] ? k->f->attr[b] : "";
		l = strlen(v);
		if (n + l + 1 > cap)
			return -1;
		memcpy(key + n, v, l);
		n += l;
		key[n++] = '\0';
	}
	*klen = n ? n - 1 : 0;
	return 0;
}

static int in_window(const struct agg *a, long long t)
{
	return (!a->has_since || t >= a->since) && (!a->has_until || t < a->until);
}

static int risk_count(struct agg *a, const struct kase *k, struct err *e)
{
	const char *name = k->f->attr[BY_EMPLOYER];
	const char *type = k->f->attr[BY_TYPE];
	struct risk_item *ri;
	int open = k->status != S_CLOSED;

	if (name == NULL || *name == '\0')
		return 0;
	if ((ri = agg_risk(a, name)) == NULL)
		return err_nomem(e);
	ri->cases++;
	ri->workers += k->workers;
	if (!agg_sum_within(&ri->amount, k->amount, AGG_SUM_MAX)) {
		char t[32];

		report_fix2(t, sizeof t, AGG_SUM_MAX);
		return err_set(e, "amount: the employer's sum goes beyond %s, "
		    "the most a report adds up exactly", t);
	}
	ri->open += open;
	ri->construction_open += open && type != NULL &&
	    strcmp(type, "construction-wage") == 0;
	ri->group_open += open && k->workers >= 10;
	return 0;
}

static int overdue_list(struct agg *a, const struct kase *k, struct err *e)
{
	const struct cf *f = k->f;
	struct overdue_item it;

	it.id = (char *)(f->id ? f->id : "");
	it.received_at = (char *)f->received_at;
	it.type = (char *)(f->attr[BY_TYPE] ? f->attr[BY_TYPE] : "");
	it.employer = (char *)(f->attr[BY_EMPLOYER] ? f->attr[BY_EMPLOYER] : "");
	it.assignee = (char *)(f->attr[BY_ASSIGNEE] ? f->attr[BY_ASSIGNEE] : "");
	it.due_at = (char *)f->due_at;
	it.due = k->t[EV_OVERDUE];
	it.late = a->now - it.due;
	if (agg_overdue_add(a, &it) < 0)
		return err_nomem(e);
	return 0;
}

static int count_events(struct agg *a, const struct kase *k, struct err *e)
{
	char key[4096];
	size_t klen;
	int ev, i, dated = 0, keyed = 0;

	/* Without a date key every event of the case goes to one group:
	 * make its key once. */
	for (i = 0; i < a->nby; i++)
		dated |= a->by[i] <= BY_YEAR;
	for (ev = 0; ev < NEV; ev++) {
		if (!k->has[ev] || !in_window(a, k->t[ev]))
			continue;
		if (!keyed || dated) {
			if (event_key(a, k, k->t[ev], key, sizeof key, &klen) < 0)
				return err_set(e, "group key longer than %zu bytes",
				    sizeof key);
			if (a->last == NULL || a->last->klen != klen ||
			    memcmp(a->last->key, key, klen) != 0)
				if ((a->last = agg_group(a, key, klen)) == NULL)
					return err_nomem(e);
			keyed = 1;
		}
		if (count_event(a, a->last, ev, k, e) < 0)
			return -1;
		if (ev == EV_RECV && a->view == REPORT_RISK && risk_count(a, k, e) < 0)
			return -1;
		if (ev == EV_OVERDUE && a->view == REPORT_OVERDUE &&
		    overdue_list(a, k, e) < 0)
			return -1;
	}
	return 0;
}

/* --due: the deadlines of an open case that are in the list, into d
 * (LAW_MAX_RULES); *n of them.  -1 when the calendar cannot count them. */
static int due_pick(const struct agg *a, const struct kase *k,
    struct law_deadline *d, size_t *n, struct err *e)
{
	size_t i, m = 0;
	long long t;

	*n = 0;
	if (a->view != REPORT_DUE || a->law == NULL || k->status == S_CLOSED)
		return 0;
	if (law_deadlines(a->law, a->cal, k->r, a->nowt, d, LAW_MAX_RULES, n,
	    e) < 0)
		return -1;
	for (i = 0; i < *n; i++) {
		if (d[i].due - d[i].today > a->within)
			continue;
		if ((a->has_since || a->has_until) &&
		    (win_day_start(d[i].due, &t, e) < 0 || !in_window(a, t)))
			continue;
		d[m++] = d[i];
	}
	*n = m;
	return 0;
}

static int due_list(struct agg *a, const struct kase *k,
    const struct law_deadline *d, size_t n, struct err *e)
{
	const struct cf *f = k->f;
	struct due_item it;
	size_t i;

	for (i = 0; i < n; i++) {
		it.id = (char *)(f->id ? f->id : "");
		it.status = (char *)(f->status ? f->status : "");
		it.assignee = (char *)(f->attr[BY_ASSIGNEE] ?
		    f->attr[BY_ASSIGNEE] : "");
		it.rule = d[i].rule->id;
		it.due = d[i].due;
		it.today = d[i].today;
		it.prov = d[i].provisional;
		if (agg_due_add(a, &it) < 0)
			return err_nomem(e);
	}
	return 0;
}

int agg_record(struct agg *a, const struct rec *r, struct err *e)
{
	struct cf f;
	struct kase k;
	struct law_deadline d[LAW_MAX_RULES];
	size_t nd = 0;

	pick(r, &f);
	if (read_case(a, &k, &f, r, e) < 0 || due_pick(a, &k, d, &nd, e) < 0) {
		a->rejected++;
		if (f.id != NULL)
			err_prefix(e, "%s", f.id);
		return 1;
	}
	/* A failure here is memory or an absurd sum: the figures would be
	 * wrong, so the run stops. */
	if (count_events(a, &k, e) < 0 || due_list(a, &k, d, nd, e) < 0)
		return -1;
	return 0;
}

/* A message about one record, with the progress line out of its way. */
static void say(const struct report_opts *o, const char *msg)
{
	if (o->progress != NULL)
		progress_pause(o->progress);
	o->say(o->ctx, msg);
}

/* Records from one input into a; bad ones are said and counted.  done
 * carries the records and bytes of earlier inputs, for progress. */
static int read_records(struct agg *a, const struct report_opts *o,
    const char *path, long long *done, struct err *e)
{
	struct input *in;
	struct rec r;
	char msg[sizeof e->msg + 64];
	int rc;

	if ((in = in_open(path, &o->in, e)) == NULL)
		return -1;
	rec_init(&r);
	while ((rc = in_next(in, &r, e)) != IN_EOF) {
		if (o->progress != NULL)
			progress_tick(o->progress, ++done[0],
			    done[1] + in_bytes_done(in));
		if (rc == IN_FATAL)
			break;
		if (rc == IN_BAD) {
			a->rejected++;
			say(o, e->msg);
			continue;
		}
		if ((rc = agg_record(a, &r, e)) < 0) {
			err_prefix(e, "%s", rec_where(&r));
			break;
		}
		if (rc == 1) {
			snprintf(msg, sizeof msg, "%s: %s", rec_where(&r), e->msg);
			say(o, msg);
		}
	}
	done[1] += in_bytes_done(in);
	rec_free(&r);
	in_close(in);
	return rc == IN_EOF ? 0 : -1;
}

static int read_all(struct agg *a, const struct report_opts *o, struct err *e)
{
	long long done[2] = { 0, 0 }, total = 0;
	int i, header = 0, rc = 0;

	if (o->progress != NULL && !o->merge) {
		for (i = 0; i < o->nfiles; i++)
			total = progress_add_size(total, o->files[i]);
		progress_start(o->progress, o->nfiles ? total :
		    progress_size("-"), o->progress_on);
	}
	if (o->nfiles == 0 && (o->merge ? agg_partial_read(a, "-", &header, e) :
	    read_records(a, o, "-", done, e)) < 0)
		rc = -1;
	for (i = 0; i < o->nfiles && rc == 0; i++)
		if ((o->merge ? agg_partial_read(a, o->files[i], &header, e) :
		    read_records(a, o, o->files[i], done, e)) < 0)
			rc = -1;
	if (o->progress != NULL && !o->merge)
		progress_end(o->progress);
	if (rc < 0)
		return -1;
	/* Without a header the question (window, --by, --now) is unknown. */
	if (o->merge && !header)
		return err_set(e, "--merge: no partial aggregate in the input");
	return 0;
}

static void say_nothing(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int report_run(const struct report_opts *o0, struct err *e)
{
	struct report_opts o = *o0;
	struct agg a;
	int rc = -1;

	if (o.say == NULL)
		o.say = say_nothing;
	if (agg_init(&a, &o, e) < 0)
		goto out;
	if (read_all(&a, &o, e) < 0)
		goto out;
	/* a merge takes the view from the partials (checked there) */
	if (o.merge)
		o.view = a.view;
	if (o.partial)
		rc = agg_partial_write(&a, o.out, e);
	else
		rc = agg_render(&a, &o, e);
	if (rc == 0 && !o.partial) {
		size_t i;
		long long overdue = 0;
		struct group *g;

		for (i = 0; i < a.ntab; i++)
			for (g = a.tab[i]; g != NULL; g = g->next)
				overdue += g->c[F_OVERDUE];
		for (i = 0; i < a.ndu; i++)
			overdue += o.view == REPORT_DUE &&
			    a.du[i].due < a.du[i].today;
		rc = (a.rejected ? REPORT_REJECTED : 0) |
		    (overdue ? REPORT_HAS_OVERDUE : 0);
	}
out:
	agg_free(&a);
	return rc;
}
