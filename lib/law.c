/*
 * law.c - the law table (reading it, the built-in copy), each case's
 * deadlines by that table and the calendar, their wording in English and
 * Chinese, and the final-award threshold.  See law.h and onedoor-law(7).
 *
 * The table is small (a few dozen rules) and a record has some 30
 * fields, so everything is a linear scan; the history array is parsed
 * with jansson only when a rule runs from a history entry.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpmap.h"
#include "jsonio.h"
#include "law.h"
#include "mem.h"
#include "money.h"

#define LAW_MAX_FILE	(1L << 20)
#define LAW_MAX_TEXT	1000
#define LAW_MAX_WAGE	100000000000LL	/* fen: a billion yuan a month */

/* The built-in table: the statement lines of data/law-cn.txt (comment
 * and blank lines dropped), each quoted as a C string.  test_law.c
 * checks that both say the same. */
const char *const law_builtin[] = {
	"minimum-wage * 2300",
	"rule mediation-limit",
	"from      received_at",
	"status    routed mediating",
	"track     mediation joint-mediation",
	"length    15 days",
	"name      15-day mediation limit",
	"name.zh   15日调解期限",
	"source    Labour Dispute Mediation and Arbitration Law, art. 14",
	"source.zh 《劳动争议调解仲裁法》第十四条",
	"step      the parties may apply for arbitration",
	"step.zh   当事人可以依法申请仲裁",
	"rule payment-order",
	"from      agreement.due_at",
	"status    agreed",
	"type      wage-arrears construction-wage work-injury termination",
	"length    0 days",
	"name      agreed payment date",
	"name.zh   调解协议约定的履行期限",
	"source    Labour Dispute Mediation and Arbitration Law, art. 16",
	"source.zh 《劳动争议调解仲裁法》第十六条",
	"step      if the employer has not paid, the worker may apply to the people's court for a payment order on the mediation agreement",
	"step.zh   用人单位未按期履行的，劳动者可以持调解协议书依法向人民法院申请支付令",
	"rule arbitration-limitation",
	"from      received_at",
	"status    failed",
	"length    1 year",
	"name      one-year arbitration limitation period",
	"name.zh   一年仲裁时效",
	"source    Labour Dispute Mediation and Arbitration Law, art. 27",
	"source.zh 《劳动争议调解仲裁法》第二十七条",
	"step      an application for arbitration is out of time unless the period was interrupted or suspended",
	"step.zh   除时效中断、中止外，申请仲裁已超过仲裁时效",
	"rule arbitration-acceptance",
	"from      arbitration.applied_at history-last:escalated",
	"status    escalated",
	"track     arbitration",
	"length    5 days",
	"name      5-day acceptance period",
	"name.zh   5日受理期限",
	"source    Labour Dispute Mediation and Arbitration Law, art. 29",
	"source.zh 《劳动争议调解仲裁法》第二十九条",
	"step      if the arbitration committee has neither accepted nor refused the application, the claimant may sue in the people's court",
	"step.zh   仲裁委员会逾期未作出受理决定的，申请人可以就该劳动争议事项向人民法院提起诉讼",
	"rule arbitration-award",
	"from      arbitration.accepted_at arbitration.applied_at history-last:escalated",
	"status    escalated",
	"track     arbitration",
	"length    45 days",
	"name      45-day award period",
	"name.zh   45日仲裁审理期限",
	"source    Labour Dispute Mediation and Arbitration Law, art. 43",
	"source.zh 《劳动争议调解仲裁法》第四十三条",
	"step      unless the chairman approved an extension, the parties may sue in the people's court",
	"step.zh   未经仲裁委员会主任批准延期的，当事人可以就该劳动争议事项向人民法院提起诉讼",
	"rule award-extension",
	"from      arbitration.accepted_at arbitration.applied_at history-last:escalated",
	"status    escalated",
	"track     arbitration",
	"length    60 days",
	"name      extended award period (45 + 15 days)",
	"name.zh   延长后的仲裁审理期限（45日+15日）",
	"source    Labour Dispute Mediation and Arbitration Law, art. 43",
	"source.zh 《劳动争议调解仲裁法》第四十三条",
	"step      with no award, the parties may sue in the people's court",
	"step.zh   逾期未作出仲裁裁决的，当事人可以就该劳动争议事项向人民法院提起诉讼",
	"rule final-award-threshold",
	"length    12 months",
	"name      final award threshold (12 months of the local minimum wage)",
	"name.zh   终局裁决标准（当地月最低工资标准十二个月金额）",
	"source    Labour Dispute Mediation and Arbitration Law, art. 47",
	"source.zh 《劳动争议调解仲裁法》第四十七条",
	"step      the award is final for the employer; the worker may still sue within 15 days of receiving it (art. 48)",
	"step.zh   仲裁裁决为终局裁决；劳动者不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼（第四十八条）",
	"rule judicial-confirmation",
	"from      agreement.at",
	"status    agreed",
	"length    30 days",
	"name      30-day judicial confirmation window",
	"name.zh   30日司法确认申请期限",
	"source    People's Mediation Law, art. 33; Civil Procedure Law, art. 205",
	"source.zh 《人民调解法》第三十三条；《民事诉讼法》第二百零五条",
	"step      the joint application for judicial confirmation is closed; a party may sue on the agreement in the people's court",
	"step.zh   共同申请司法确认的期限已过，当事人可以就调解协议向人民法院提起诉讼",
	"rule arbitral-review",
	"from      agreement.at",
	"status    agreed",
	"length    15 days",
	"name      15-day arbitral review window",
	"name.zh   15日仲裁审查申请期限",
	"source    Rules for Handling Labour and Personnel Dispute Arbitration Cases, art. 74",
	"source.zh 《劳动人事争议仲裁办案规则》第七十四条",
	"step      the joint application to the arbitration committee for review of the agreement is closed; judicial confirmation may still be open",
	"step.zh   共同向仲裁委员会申请仲裁审查的期限已过，可在期限内申请司法确认",
	"rule inspection-acceptance",
	"from      received_at",
	"status    routed",
	"track     inspection",
	"length    5 working-days",
	"name      5-working-day complaint acceptance",
	"name.zh   5个工作日投诉受理期限",
	"source    Provisions on Implementing the Regulations on Labour Security Supervision, art. 15",
	"source.zh 《关于实施〈劳动保障监察条例〉若干规定》第十五条",
	"step      a complaint not accepted in time: the complainant may apply for administrative reconsideration or bring an administrative suit",
	"step.zh   逾期未受理的，投诉人可以依法申请行政复议或者提起行政诉讼",
	"rule inspection-investigation",
	"from      history:routed received_at",
	"status    routed",
	"track     inspection",
	"length    60 working-days",
	"name      60-working-day investigation period",
	"name.zh   60个工作日调查期限",
	"source    Regulations on Labour Security Supervision, art. 17",
	"source.zh 《劳动保障监察条例》第十七条",
	"step      the investigation should be complete; only an extension approved by the head of the department allows at most 30 more working days",
	"step.zh   调查应当完成；情况复杂的，经劳动保障行政部门负责人批准，可以延长30个工作日",
	"rule inspection-extension",
	"from      history:routed received_at",
	"status    routed",
	"track     inspection",
	"length    90 working-days",
	"name      extended investigation period (60 + 30 working days)",
	"name.zh   延长后的调查期限（60+30个工作日）",
	"source    Regulations on Labour Security Supervision, art. 17",
	"source.zh 《劳动保障监察条例》第十七条",
	"step      the complainant may apply for administrative reconsideration or bring an administrative suit",
	"step.zh   投诉人可以依法申请行政复议或者提起行政诉讼",
	"rule station-key",
	"from      due_at",
	"status    routed mediating",
	"priority  key",
	"length    0 days",
	"roll      none",
	"name      key-matter service limit",
	"name.zh   重点事项办理时限",
	"source    station practice (case-route rules), not law",
	"source.zh 服务站工作规范（case-route规则），非法定期限",
	"step      report the case to the station's coordinator",
	"step.zh   报服务站负责人督办",
	"rule station-general",
	"from      due_at",
	"status    routed mediating",
	"priority  general",
	"length    0 days",
	"roll      none",
	"name      general-matter service limit",
	"name.zh   一般事项办理时限",
	"source    station practice (case-route rules), not law",
	"source.zh 服务站工作规范（case-route规则），非法定期限",
	"step      report the case to the station's coordinator",
	"step.zh   报服务站负责人督办",
	NULL
};

static const char *const unit_names[] = {
	"days", "working-days", "months", "years"
};

void law_init(struct law *l)
{
	memset(l, 0, sizeof *l);
}

static void words_free(struct law_words *lw)
{
	mem_free(lw->text);
	mem_free(lw->w);
	memset(lw, 0, sizeof *lw);
}

static void rule_free(struct law_rule *r)
{
	int i;

	words_free(&r->ev);
	for (i = 0; i < LAW_NCOND; i++)
		words_free(&r->cond[i]);
	mem_free(r->id);
	mem_free(r->from);
	mem_free(r->status);
	mem_free(r->track);
	mem_free(r->type);
	mem_free(r->priority);
	for (i = 0; i < 2; i++) {
		mem_free(r->name[i]);
		mem_free(r->source[i]);
		mem_free(r->step[i]);
	}
	memset(r, 0, sizeof *r);
}

void law_free(struct law *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		rule_free(&l->r[i]);
	for (i = 0; i < l->nw; i++)
		mem_free(l->w[i].grid);
	mem_free(l->w);
	memset(l, 0, sizeof *l);
}

const struct law_rule *law_rule(const struct law *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->r[i].id, id) == 0)
			return &l->r[i];
	return NULL;
}

uint64_t law_digest(const struct law *l)
{
	uint64_t h = fp_more_num(FP_START, (long long)l->n);
	size_t i;
	int k;

	for (i = 0; i < l->n; i++) {
		const struct law_rule *r = &l->r[i];

		h = fp_more_str(h, r->id);
		h = fp_more_str(h, r->from);
		h = fp_more_str(h, r->status);
		h = fp_more_str(h, r->track);
		h = fp_more_str(h, r->type);
		h = fp_more_str(h, r->priority);
		h = fp_more_num(h, r->length);
		h = fp_more_num(h, r->unit);
		h = fp_more_num(h, r->roll);
		h = fp_more_num(h, r->off);
		for (k = 0; k < 2; k++) {
			h = fp_more_str(h, r->name[k]);
			h = fp_more_str(h, r->source[k]);
			h = fp_more_str(h, r->step[k]);
		}
	}
	h = fp_more_num(h, (long long)l->nw);
	for (i = 0; i < l->nw; i++) {
		h = fp_more_str(h, l->w[i].grid);
		h = fp_more_num(h, l->w[i].fen);
	}
	return h;
}

/* --- reading --- */

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

static size_t word(const char **p, const char *end, const char **w)
{
	const char *s = *p;

	while (s < end && is_space(*s))
		s++;
	*w = s;
	while (s < end && !is_space(*s))
		s++;
	*p = s;
	return (size_t)(s - *w);
}

/* The rest of the line, trimmed. */
static size_t rest(const char *p, const char *end, const char **w)
{
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	*w = p;
	return (size_t)(end - p);
}

static int is_word(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(w, s, n) == 0;
}

/* Bytes allowed in names, ids and field names. */
static int name_chars(const char *s, size_t n, const char *extra)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] != '\0' && strchr(extra, s[i]) != NULL)))
			return 0;
	return 1;
}

/* Text for people: no control bytes (the words go into CSV and JSON
 * output as they are). */
static int text_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int set_str(char **dst, const char *s, size_t n, struct err *e)
{
	char *p;

	if ((p = mem_strndup(s, n)) == NULL)
		return err_nomem(e);
	mem_free(*dst);
	*dst = p;
	return 0;
}

/* Events longer than this were never looked for (a field name is at
 * most 64 bytes): such a word is left out of the split list. */
#define LAW_MAX_EVENT	79

/* lw = the words of list (single spaces, as set_list leaves it); for
 * events their kind, and the status after "history:" and
 * "history-last:". */
static int split(struct law_words *lw, const char *list, int events,
    struct err *e)
{
	struct law_words nw;
	struct law_word *w;
	char *p, *sp;
	size_t n = 1, i;

	memset(&nw, 0, sizeof nw);
	for (p = strchr(list, ' '); p != NULL; p = strchr(p + 1, ' '))
		n++;
	if ((nw.text = mem_strndup(list, strlen(list))) == NULL ||
	    (nw.w = mem_calloc(n, sizeof *nw.w)) == NULL) {
		words_free(&nw);
		return err_nomem(e);
	}
	for (p = nw.text, i = 0; i < n; i++, p = sp + 1) {
		if ((sp = strchr(p, ' ')) == NULL)
			sp = p + strlen(p);
		*sp = '\0';
		w = &nw.w[nw.n];
		w->s = p;
		w->n = (size_t)(sp - p);
		w->kind = LAW_EV_FIELD;
		if (events && w->n > LAW_MAX_EVENT)
			continue;
		if (events && strncmp(p, "history:", 8) == 0) {
			w->kind = LAW_EV_FIRST;
			w->s += 8;
			w->n -= 8;
		} else if (events && strncmp(p, "history-last:", 13) == 0) {
			w->kind = LAW_EV_LAST;
			w->s += 13;
			w->n -= 13;
		}
		nw.n++;
	}
	words_free(lw);
	*lw = nw;
	return 0;
}

/* A space-separated list of names: normalised to single spaces. */
static int set_list(char **dst, const char *key, const char *p,
    const char *end, const char *extra, struct err *e)
{
	struct buf b = BUF_INIT;
	const char *w;
	size_t n;
	int rc;

	while ((n = word(&p, end, &w)) != 0) {
		if (!name_chars(w, n, extra)) {
			buf_free(&b);
			return err_set(e, "%s: \"%.*s\" is not a name", key,
			    (int)(n > 40 ? 40 : n), w);
		}
		if ((b.len && buf_addc(&b, ' ') < 0) || buf_add(&b, w, n) < 0) {
			buf_free(&b);
			return err_nomem(e);
		}
	}
	if (b.len == 0)
		return err_set(e, "%s: an empty list", key);
	rc = set_str(dst, b.p, b.len, e);
	buf_free(&b);
	return rc;
}

/* "history:STATUS", "history-last:STATUS" or a field name. */
static int event_ok(const char *w, size_t n)
{
	if (n > 8 && memcmp(w, "history:", 8) == 0)
		return name_chars(w + 8, n - 8, "-_");
	if (n > 13 && memcmp(w, "history-last:", 13) == 0)
		return name_chars(w + 13, n - 13, "-_");
	return n <= 64 && name_chars(w, n, "._");
}

static int set_from(struct law_rule *r, const char *p, const char *end,
    struct err *e)
{
	const char *q = p, *w;
	size_t n;

	while ((n = word(&q, end, &w)) != 0)
		if (!event_ok(w, n))
			return err_set(e, "from: \"%.*s\" is neither a field nor "
			    "history:STATUS", (int)(n > 40 ? 40 : n), w);
	if (set_list(&r->from, "from", p, end, "._:-", e) < 0)
		return -1;
	return split(&r->ev, r->from, 1, e);
}

/* status, track, type or priority (enum order). */
static int set_cond(struct law_rule *r, int which, const char *p,
    const char *end, struct err *e)
{
	static const char *const keys[LAW_NCOND] = {
		"status", "track", "type", "priority"
	};
	char **dst[LAW_NCOND];

	dst[LAW_STATUS] = &r->status;
	dst[LAW_TRACK] = &r->track;
	dst[LAW_TYPE] = &r->type;
	dst[LAW_PRIORITY] = &r->priority;
	if (set_list(dst[which], keys[which], p, end, "-", e) < 0)
		return -1;
	return split(&r->cond[which], *dst[which], 0, e);
}

static int set_length(struct law_rule *r, const char *p, const char *end,
    struct err *e)
{
	const char *w, *u;
	size_t n = word(&p, end, &w), un = word(&p, end, &u), i;
	long v = 0;

	if (n == 0 || n > 6 || !name_chars(w, n, "") || w[0] < '0' ||
	    w[0] > '9')
		return err_set(e, "length: want a number and a unit (15 days)");
	for (i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return err_set(e, "length: \"%.*s\" is not a number",
			    (int)n, w);
		v = v * 10 + (w[i] - '0');
	}
	if (v > 100000)
		return err_set(e, "length: %ld is too long", v);
	if (is_word(u, un, "days") || is_word(u, un, "day"))
		r->unit = CAL_DAYS;
	else if (is_word(u, un, "working-days") || is_word(u, un, "working-day"))
		r->unit = CAL_WORKING_DAYS;
	else if (is_word(u, un, "months") || is_word(u, un, "month"))
		r->unit = CAL_MONTHS;
	else if (is_word(u, un, "years") || is_word(u, un, "year"))
		r->unit = CAL_YEARS;
	else
		return err_set(e, "length: the unit is days, working-days, "
		    "months or years");
	if (word(&p, end, &w) != 0)
		return err_set(e, "length: unexpected words after the unit");
	r->length = v;
	return 0;
}

static int parse_wage(struct law *l, const char *p, const char *end,
    struct err *e)
{
	const char *g, *a, *x;
	size_t gn = word(&p, end, &g), an = word(&p, end, &a), i;
	char amount[64];
	long long fen;
	struct law_wage *nw;

	if (gn == 0 || an == 0 || word(&p, end, &x) != 0)
		return err_set(e, "minimum-wage: want a grid (or *) and an "
		    "amount in yuan");
	if (an >= sizeof amount || !text_ok(g, gn))
		return err_set(e, "minimum-wage: bad grid or amount");
	memcpy(amount, a, an);
	amount[an] = '\0';
	if (money_parse(amount, &fen, e) < 0)
		return err_prefix(e, "minimum-wage %.*s", (int)gn, g);
	if (fen <= 0 || fen > LAW_MAX_WAGE)
		return err_set(e, "minimum-wage %.*s: %s is out of range",
		    (int)gn, g, amount);
	for (i = 0; i < l->nw; i++)
		if (strlen(l->w[i].grid) == gn && memcmp(l->w[i].grid, g, gn) == 0) {
			l->w[i].fen = fen;
			return 0;
		}
	if (l->nw == l->wcap) {
		size_t cap = l->wcap ? l->wcap * 2 : 8;

		if (cap > 100000)
			return err_set(e, "too many minimum-wage lines");
		if ((nw = mem_realloc(l->w, cap * sizeof *nw)) == NULL)
			return err_nomem(e);
		l->w = nw;
		l->wcap = cap;
	}
	if ((l->w[l->nw].grid = mem_strndup(g, gn)) == NULL)
		return err_nomem(e);
	l->w[l->nw++].fen = fen;
	return 0;
}

/* The rule's field in the record: "deadlines." and its id with '_'
 * for '-'. */
static void set_key(struct law_rule *r)
{
	char *p;

	memcpy(r->key, "deadlines.", 10);
	memcpy(r->key + 10, r->id, strlen(r->id) + 1);
	for (p = r->key + 10; *p; p++)
		if (*p == '-')
			*p = '_';
}

static int parse_rule(struct law *l, const char *p, const char *end,
    unsigned long line, struct law_rule **cur, struct err *e)
{
	const char *w, *x;
	size_t n = word(&p, end, &w);
	struct law_rule *r;
	size_t i;

	if (n == 0 || n > LAW_MAX_ID || !name_chars(w, n, "-") ||
	    word(&p, end, &x) != 0)
		return err_set(e, "rule: want one id of a-z, 0-9 and '-'");
	if (is_word(w, n, LAW_PROVISIONAL))
		return err_set(e, "rule: \"%s\" is the key that lists the "
		    "provisional deadlines, not a rule id", LAW_PROVISIONAL);
	for (i = 0; i < l->n; i++)
		if (is_word(w, n, l->r[i].id))
			break;
	if (i == l->n) {
		if (l->n == LAW_MAX_RULES)
			return err_set(e, "more than %d rules", LAW_MAX_RULES);
		r = &l->r[l->n];
		memset(r, 0, sizeof *r);
		r->length = -1;
		r->roll = 1;
		if ((r->id = mem_strndup(w, n)) == NULL)
			return err_nomem(e);
		set_key(r);
		l->n++;
	}
	r = &l->r[i];
	r->off = 0;
	r->line = line;
	*cur = r;
	return 0;
}

static int parse_key(struct law_rule *r, const char *k, size_t kn,
    const char *p, const char *end, struct err *e)
{
	const char *v;
	size_t vn = rest(p, end, &v);
	char **text = NULL;

	if (r == NULL)
		return err_set(e, "\"%.*s\" outside a rule (a \"rule ID\" line "
		    "comes first)", (int)(kn > 40 ? 40 : kn), k);
	if (is_word(k, kn, "from"))
		return set_from(r, p, end, e);
	if (is_word(k, kn, "status"))
		return set_cond(r, LAW_STATUS, p, end, e);
	if (is_word(k, kn, "track"))
		return set_cond(r, LAW_TRACK, p, end, e);
	if (is_word(k, kn, "type"))
		return set_cond(r, LAW_TYPE, p, end, e);
	if (is_word(k, kn, "priority"))
		return set_cond(r, LAW_PRIORITY, p, end, e);
	if (is_word(k, kn, "length"))
		return set_length(r, p, end, e);
	if (is_word(k, kn, "roll")) {
		if (is_word(v, vn, "law"))
			r->roll = 1;
		else if (is_word(v, vn, "none"))
			r->roll = 0;
		else
			return err_set(e, "roll: law or none");
		return 0;
	}
	if (is_word(k, kn, "off")) {
		if (vn != 0)
			return err_set(e, "off: takes nothing");
		r->off = 1;
		return 0;
	}
	if (is_word(k, kn, "name"))
		text = &r->name[LAW_EN];
	else if (is_word(k, kn, "name.zh"))
		text = &r->name[LAW_ZH];
	else if (is_word(k, kn, "source"))
		text = &r->source[LAW_EN];
	else if (is_word(k, kn, "source.zh"))
		text = &r->source[LAW_ZH];
	else if (is_word(k, kn, "step"))
		text = &r->step[LAW_EN];
	else if (is_word(k, kn, "step.zh"))
		text = &r->step[LAW_ZH];
	else
		return err_set(e, "\"%.*s\": not a key of a rule",
		    (int)(kn > 40 ? 40 : kn), k);
	if (vn == 0)
		return err_set(e, "%.*s: empty", (int)kn, k);
	if (vn > LAW_MAX_TEXT || !text_ok(v, vn))
		return err_set(e, "%.*s: longer than %d bytes or with control "
		    "characters", (int)kn, k, LAW_MAX_TEXT);
	return set_str(text, v, vn, e);
}

/* Every rule in use must be complete. */
static int check(const struct law *l, const char *name, struct err *e)
{
	const struct law_rule *r;
	const char *miss;
	size_t i;
	int k;

	for (i = 0; i < l->n; i++) {
		r = &l->r[i];
		if (r->off)
			continue;
		miss = NULL;
		for (k = 1; k >= 0; k--) {
			if (r->step[k] == NULL)
				miss = k ? "step.zh" : "step";
			if (r->source[k] == NULL)
				miss = k ? "source.zh" : "source";
			if (r->name[k] == NULL)
				miss = k ? "name.zh" : "name";
		}
		if (r->from != NULL && r->status == NULL)
			miss = "status";
		if (r->length < 0)
			miss = "length";
		if (miss != NULL)
			return err_set(e, "%s:%lu: rule %s: no %s", name, r->line,
			    r->id, miss);
	}
	return 0;
}

int law_parse(struct law *l, const char *text, size_t n, const char *name,
    struct err *e)
{
	const char *p = text, *end = text + n, *nl, *le, *q, *w;
	struct law_rule *cur = NULL;
	unsigned long line = 0;
	size_t wn;
	int rc;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		le = nl;
		if (le > p && le[-1] == '\r')
			le--;
		q = p;
		wn = word(&q, le, &w);
		if (wn == 0 || w[0] == '#')
			rc = 0;
		else if (is_word(w, wn, "rule"))
			rc = parse_rule(l, q, le, line, &cur, e);
		else if (is_word(w, wn, "minimum-wage"))
			rc = parse_wage(l, q, le, e);
		else
			rc = parse_key(cur, w, wn, q, le, e);
		if (rc < 0)
			return err_prefix(e, "%s:%lu", name, line);
		p = nl < end ? nl + 1 : end;
	}
	return check(l, name, e);
}

int law_load(struct law *l, const char *path, struct err *e)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t got;
	FILE *f;
	int rc = -1;

	if ((f = fopen(path, "rb")) == NULL)
		return err_sys(e, "law table %s", path);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + got > (size_t)LAW_MAX_FILE) {
			err_set(e, "%s: too large for a law table", path);
			goto out;
		}
		if (buf_add(&b, chunk, got) < 0) {
			err_nomem(e);
			goto out;
		}
	}
	if (ferror(f)) {
		err_sys(e, "%s", path);
		goto out;
	}
	rc = law_parse(l, b.p ? b.p : "", b.len, path, e);
out:
	fclose(f);
	buf_free(&b);
	return rc;
}

int law_load_builtin(struct law *l, struct err *e)
{
	struct buf b = BUF_INIT;
	size_t i;
	int rc;

	/* one text, so that a rule's keys follow its "rule" line */
	for (i = 0; law_builtin[i] != NULL; i++)
		if (buf_adds(&b, law_builtin[i]) < 0 || buf_addc(&b, '\n') < 0) {
			buf_free(&b);
			return err_nomem(e);
		}
	rc = law_parse(l, b.p ? b.p : "", b.len, "built-in law table", e);
	buf_free(&b);
	return rc;
}

int law_open(struct law *l, const char *path, struct err *e)
{
	const char *dir;
	struct buf b = BUF_INIT;
	int rc;

	if (law_load_builtin(l, e) < 0)
		return -1;
	if (path != NULL)
		return law_load(l, path, e);
	if ((dir = getenv("ONEDOOR_DATA")) != NULL && *dir != '\0') {
		if (buf_printf(&b, "%s/law-cn.txt", dir) < 0)
			return err_nomem(e);
		rc = law_load(l, b.p, e);
		buf_free(&b);
		return rc;
	}
#ifdef ONEDOOR_DATADIR
	{
		FILE *f;

		if (buf_printf(&b, "%s/law-cn.txt", ONEDOOR_DATADIR) < 0)
			return err_nomem(e);
		if ((f = fopen(b.p, "rb")) != NULL) {
			fclose(f);
			rc = law_load(l, b.p, e);
			buf_free(&b);
			return rc;
		}
		buf_free(&b);
	}
#endif
	return 0;
}

/* --- a case's deadlines --- */

/* The record's values law_applies looks at, fetched once; an absent
 * or empty value is "none". */
struct law_vals {
	const char *s[LAW_NCOND];
	size_t n[LAW_NCOND];
};

/* Which of the four keys k (klen bytes) is, or -1; the four have
 * different lengths. */
static int cond_key(const char *k, size_t klen)
{
	switch (klen) {
	case 6: return memcmp(k, "status", 6) == 0 ? LAW_STATUS : -1;
	case 5: return memcmp(k, "track", 5) == 0 ? LAW_TRACK : -1;
	case 4: return memcmp(k, "type", 4) == 0 ? LAW_TYPE : -1;
	case 8: return memcmp(k, "priority", 8) == 0 ? LAW_PRIORITY : -1;
	}
	return -1;
}

/* The four values in one pass over the fields (each the first field of
 * its key, as rec_get finds it). */
static void vals_of(const struct rec *rec, struct law_vals *v)
{
	const char *s;
	size_t i;
	int k;

	for (k = 0; k < LAW_NCOND; k++)
		v->s[k] = NULL;
	for (i = 0; i < rec->n && rec->arena != NULL; i++)
		if ((k = cond_key(rec->arena + rec->f[i].key,
		    rec->f[i].klen)) >= 0 && v->s[k] == NULL)
			v->s[k] = rec->arena + rec->f[i].val;
	for (k = 0; k < LAW_NCOND; k++) {
		s = v->s[k];
		if (s == NULL || *s == '\0')
			s = "none";
		v->s[k] = s;
		v->n[k] = strlen(s);
	}
}

/* Whether the list (its text and its split words) holds s; an absent
 * list holds everything. */
static int in_list(const char *list, const struct law_words *lw,
    const char *s, size_t n)
{
	size_t i;

	if (list == NULL)
		return 1;
	for (i = 0; i < lw->n; i++)
		if (lw->w[i].n == n && memcmp(lw->w[i].s, s, n) == 0)
			return 1;
	return 0;
}

static int applies_to(const struct law_rule *r, const struct law_vals *v)
{
	return in_list(r->status, &r->cond[LAW_STATUS], v->s[LAW_STATUS],
	    v->n[LAW_STATUS]) &&
	    in_list(r->track, &r->cond[LAW_TRACK], v->s[LAW_TRACK],
	    v->n[LAW_TRACK]) &&
	    in_list(r->type, &r->cond[LAW_TYPE], v->s[LAW_TYPE],
	    v->n[LAW_TYPE]) &&
	    in_list(r->priority, &r->cond[LAW_PRIORITY], v->s[LAW_PRIORITY],
	    v->n[LAW_PRIORITY]);
}

int law_applies(const struct law_rule *r, const struct rec *rec)
{
	struct law_vals v;

	vals_of(rec, &v);
	return applies_to(r, &v);
}

/* The local date of a time, in the offset it is written in. */
static long long day_of(struct tf_time t)
{
	struct tf_civil c;

	tf_to_civil(t, &c);
	return tf_days_from_civil(c.year, c.month, c.day);
}

static int time_day(const char *what, const char *s, long long *day,
    struct err *e)
{
	/* -1 spelt out rather than err_prefix's value: the analyzer cannot
	 * see across files that it is always -1, and callers rely on *day
	 * being written exactly when 0 is returned (as tf_parse_day does) */
	if (tf_parse_day(s, day, e) < 0) {
		err_prefix(e, "%s", what);
		return -1;
	}
	return 0;
}

/* JSON whitespace, as jansson reads it. */
static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* A JSON string whose opening quote is at p[-1]: its raw text is
 * [*s, *s + *n); *esc is set when it holds an escape (only the one-letter
 * kinds are taken).  The byte after the closing quote, or NULL when the
 * string is not of that simple kind. */
static const char *json_str(const char *p, const char **s, size_t *n,
    int *esc)
{
	size_t k;

	*s = p;
	*esc = 0;
	for (;;) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			break;
		if (c == '\\') {
			if (p[1] == '\0' || strchr("\"\\/bfnrt", p[1]) == NULL)
				return NULL;
			*esc = 1;
			p += 2;
		} else if (c < 0x20) {
			return NULL;	/* a control byte or the end */
		} else if ((k = c < 0x80 ? 1 : jsonio_utf8_len(
		    (const unsigned char *)p,
		    (const unsigned char *)p + strnlen(p, 4))) == 0) {
			return NULL;
		} else {
			p += k;
		}
	}
	*n = (size_t)(p - *s);
	return p + 1;
}

int law_history_walk(const char *h, law_history_fn fn, void *ctx)
{
	const char *p = json_ws(h), *k, *v, *to, *a;
	size_t kn, vn, tn = 0, an = 0;
	int esc;

	if (*p++ != '[')
		return -1;
	p = json_ws(p);
	if (*p == ']')
		return *json_ws(p + 1) == '\0' ? 0 : -1;
	for (;;) {
		if (*p++ != '{')
			return -1;
		to = a = NULL;
		p = json_ws(p);
		if (*p != '}')
			for (;;) {
				if (*p != '"' ||
				    (p = json_str(p + 1, &k, &kn, &esc)) == NULL ||
				    esc)
					return -1;
				p = json_ws(p);
				if (*p++ != ':')
					return -1;
				p = json_ws(p);
				if (*p != '"' ||
				    (p = json_str(p + 1, &v, &vn, &esc)) == NULL)
					return -1;
				if (kn == 2 && k[0] == 't' && k[1] == 'o') {
					if (to != NULL || esc)
						return -1;
					to = v;
					tn = vn;
				} else if (kn == 2 && k[0] == 'a' && k[1] == 't') {
					if (a != NULL || esc)
						return -1;
					a = v;
					an = vn;
				}
				p = json_ws(p);
				if (*p == ',') {
					p = json_ws(p + 1);
					continue;
				}
				if (*p != '}')
					return -1;
				break;
			}
		p = json_ws(p + 1);
		/* what the callback learnt counts only if the rest is simple
		 * too: the caller discards it on -1 */
		fn(ctx, a, an, to, tn);
		if (*p == ',') {
			p = json_ws(p + 1);
			continue;
		}
		if (*p != ']')
			return -1;
		break;
	}
	return *json_ws(p + 1) == '\0' ? 0 : -1;
}

struct into_status {
	const char *status;
	size_t sn;
	int last, found;
	const char *at;
	size_t atlen;
};

static void into_status(void *ctx, const char *at, size_t an,
    const char *to, size_t tn)
{
	struct into_status *q = ctx;

	if (to != NULL && at != NULL && tn == q->sn &&
	    memcmp(to, q->status, tn) == 0 && (q->last || !q->found)) {
		q->at = at;
		q->atlen = an;
		q->found = 1;
	}
}

int law_history_scan(const char *h, const char *status, int last,
    const char **at, size_t *atlen)
{
	struct into_status q;

	q.status = status;
	q.sn = strlen(status);
	q.last = last;
	q.found = 0;
	q.at = NULL;
	q.atlen = 0;
	if (law_history_walk(h, into_status, &q) < 0)
		return -1;
	if (q.found) {
		*at = q.at;
		*atlen = q.atlen;
	}
	return q.found;
}

/* The history entry into status (first or last): 1 found, 0 not, -1.
 * The raw text is scanned directly when it is of the simple kind
 * (law_history_scan); jansson reads anything else. */
static int history_day(const struct rec *rec, const char *status, int last,
    long long *day, struct err *e)
{
	int hi = rec_find(rec, "history");
	const char *h, *at = NULL, *to;
	char t[64];
	size_t tn = 0;
	json_error_t je;
	json_t *a, *v;
	size_t i;
	int rc = 0;

	if (hi < 0 || rec->f[hi].type != REC_RAW)
		return 0;
	h = rec->arena + rec->f[hi].val;
	rc = law_history_scan(h, status, last, &at, &tn);
	if (rc == 0)
		return 0;
	if (rc == 1 && tn < sizeof t) {
		memcpy(t, at, tn);
		t[tn] = '\0';
		return time_day("history: at", t, day, e) < 0 ? -1 : 1;
	}
	at = NULL;
	rc = 0;
	if ((a = json_loads(h, JSON_DECODE_ANY, &je)) == NULL) {
		err_set(e, "history: %s", je.text);
		return -1;
	}
	if (json_is_array(a))
		json_array_foreach(a, i, v) {
			to = json_string_value(json_object_get(v, "to"));
			if (to == NULL || strcmp(to, status) != 0)
				continue;
			if (json_string_value(json_object_get(v, "at")) == NULL)
				continue;
			at = json_string_value(json_object_get(v, "at"));
			if (!last)
				break;
		}
	if (at != NULL) {
		rc = time_day("history: at", at, day, e) < 0 ? -1 : 1;
	}
	json_decref(a);
	return rc;
}

/* The day of the first event of the list the record carries. */
static int event_day(const struct law_rule *r, const struct rec *rec,
    long long *day, struct err *e)
{
	const struct law_word *w;
	const char *v;
	size_t i;
	int rc;

	for (i = 0; i < r->ev.n; i++) {
		w = &r->ev.w[i];
		if (w->kind != LAW_EV_FIELD)
			rc = history_day(rec, w->s, w->kind == LAW_EV_LAST, day, e);
		else if ((v = rec_get_nonempty(rec, w->s)) == NULL)
			rc = 0;
		else
			rc = time_day(w->s, v, day, e) < 0 ? -1 : 1;
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* law_deadline_of with today, the day number of now, worked out. */
static int deadline_of(const struct law_rule *rule, const struct cal *c,
    const struct rec *r, long long today, struct law_deadline *d,
    struct err *e)
{
	struct cal cc = *c;	/* a shallow copy, to set roll per rule */
	long long from;
	int rc;

	if (rule == NULL)
		return err_set(e, "no such rule in the law table");
	if (rule->from == NULL)
		return 0;
	if ((rc = event_day(rule, r, &from, e)) <= 0)
		return rc;
	if (!rule->roll)
		cc.roll = CAL_ROLL_NONE;
	memset(d, 0, sizeof *d);
	d->rule = rule;
	d->from = from;
	/* past the calendar's years the date is provisional, never a
	 * refusal: the step it follows has happened all the same */
	if (cal_add_prov(&cc, from, rule->length, rule->unit, &d->due,
	    &d->provisional, e) < 0)
		return err_prefix(e, "%s", rule->id);
	d->today = today;
	d->left = (long)(d->due - d->today);
	d->passed = d->today > d->due;
	return 1;
}

int law_deadline_of(const struct law_rule *rule, const struct cal *c,
    const struct rec *r, struct tf_time now, struct law_deadline *d,
    struct err *e)
{
	return deadline_of(rule, c, r, day_of(now), d, e);
}

int law_deadlines(const struct law *l, const struct cal *c,
    const struct rec *r, struct tf_time now, struct law_deadline *out,
    size_t max, size_t *n, struct err *e)
{
	/* --now is the same for every record of a run */
	static struct tf_time last_now;
	static long long last_today;
	static int known;
	struct law_deadline d;
	struct law_vals v;
	long long today;
	size_t i, j;
	int rc;

	if (!known || now.t != last_now.t || now.off != last_now.off) {
		last_today = day_of(now);
		last_now = now;
		known = 1;
	}
	today = last_today;
	*n = 0;
	vals_of(r, &v);
	for (i = 0; i < l->n; i++) {
		if (l->r[i].off || l->r[i].from == NULL || !applies_to(&l->r[i], &v))
			continue;
		if ((rc = deadline_of(&l->r[i], c, r, today, &d, e)) < 0)
			return -1;
		if (rc == 0)
			continue;
		if (*n == max)
			return err_set(e, "more deadlines than room for them");
		/* keep out sorted by due day, table order among equals */
		for (j = *n; j > 0 && out[j - 1].due > d.due; j--)
			out[j] = out[j - 1];
		out[j] = d;
		++*n;
	}
	return 0;
}

int law_text(const struct law_deadline *d, int lang, struct buf *b)
{
	const struct law_rule *r = d->rule;
	int k = lang == LAW_ZH ? LAW_ZH : LAW_EN;
	const char *p = d->provisional ? "provisional" : NULL;
	char date[16];

	/* a provisional date carries its mark wherever its words go */
	cal_fmt(d->due, date, sizeof date);
	if (k == LAW_ZH) {
		if (d->passed)
			return buf_printf(b, "%s已于%s届满%s：%s", r->name[k], date,
			    p ? "（暂定）" : "", r->step[k]);
		if (d->left == 0)
			return buf_printf(b, "%s于今日（%s%s）届满；届满后，%s",
			    r->name[k], date, p ? "，暂定" : "", r->step[k]);
		return buf_printf(b, "%s将于%s届满（%s剩余%ld天）；届满后，%s",
		    r->name[k], date, p ? "暂定；" : "", d->left, r->step[k]);
	}
	if (d->passed)
		return buf_printf(b, "%s passed on %s%s: %s", r->name[k], date,
		    p ? " (provisional)" : "", r->step[k]);
	if (d->left == 0)
		return buf_printf(b, "%s ends today, %s%s; after that, %s",
		    r->name[k], date, p ? " (provisional)" : "", r->step[k]);
	return buf_printf(b, "%s ends on %s (%s%ld day%s left); after that, %s",
	    r->name[k], date, p ? "provisional; " : "", d->left,
	    d->left == 1 ? "" : "s", r->step[k]);
}

/* Whether rec_del_group(r, "deadlines") has anything to remove (the
 * same test, with the first byte settling nearly every field): most
 * records have no deadlines yet. */
static int has_deadlines(const struct rec *r)
{
	const char *k;
	size_t i;

	for (i = 0; i < r->n && r->arena != NULL; i++) {
		k = r->arena + r->f[i].key;
		if (k[0] == 'd' && strncmp(k, "deadlines", 9) == 0 &&
		    (k[9] == '\0' || k[9] == '.'))
			return 1;
	}
	return 0;
}

/* deadlines.provisional: the keys (without "deadlines.") of the
 * provisional ones among d, space-separated, after the dates. */
static int set_provisional(struct rec *r, const struct law_deadline *d,
    size_t n, struct err *e)
{
	static const char key[] = "deadlines." LAW_PROVISIONAL;
	char list[LAW_MAX_RULES * (LAW_MAX_ID + 1)];
	size_t i, len = 0, k;

	for (i = 0; i < n; i++) {
		if (!d[i].provisional)
			continue;
		k = strlen(d[i].rule->key + 10);
		if (len > 0)
			list[len++] = ' ';
		memcpy(list + len, d[i].rule->key + 10, k);
		len += k;
	}
	if (len == 0)
		return 0;
	return rec_add(r, key, sizeof key - 1, REC_STR, list, len, e);
}

int law_set_deadlines(struct rec *r, const struct law_deadline *d,
    size_t n, struct err *e)
{
	char date[16];
	size_t i;
	int prov = 0;

	if (has_deadlines(r))
		rec_del_group(r, "deadlines");
	/* none of the keys is left now, and each rule has its own: added
	 * without looking for them (rec_set would look in vain) */
	for (i = 0; i < n; i++) {
		cal_fmt(d[i].due, date, sizeof date);
		if (rec_add(r, d[i].rule->key, strlen(d[i].rule->key), REC_STR,
		    date, strlen(date), e) < 0)
			return -1;
		prov |= d[i].provisional;
	}
	return prov ? set_provisional(r, d, n, e) : 0;
}

int law_update(const struct law *l, const struct cal *c, struct rec *r,
    struct tf_time now, struct err *e)
{
	struct law_deadline d[LAW_MAX_RULES];
	size_t n;

	if (law_deadlines(l, c, r, now, d, LAW_MAX_RULES, &n, e) < 0)
		return -1;
	return law_set_deadlines(r, d, n, e);
}

/* --- art. 47 --- */

int law_minimum_wage(const struct law *l, const char *grid,
    long long *fen, struct err *e)
{
	size_t i;
	long long def = -1;

	for (i = 0; i < l->nw; i++) {
		if (grid != NULL && *grid != '\0' && strcmp(l->w[i].grid, grid) == 0) {
			*fen = l->w[i].fen;
			return 0;
		}
		if (strcmp(l->w[i].grid, "*") == 0)
			def = l->w[i].fen;
	}
	if (def < 0) {
		/* -1 spelt out: *fen is written exactly when 0 is returned */
		err_set(e, "no minimum wage for grid %s in the law table "
		    "(a \"minimum-wage %s YUAN\" or \"minimum-wage * YUAN\" line)",
		    grid && *grid ? grid : "(none)", grid && *grid ? grid : "GRID");
		return -1;
	}
	*fen = def;
	return 0;
}

int law_final_award(const struct law *l, long long amount_fen,
    const char *grid, struct err *e)
{
	const struct law_rule *r = law_rule(l, "final-award-threshold");
	long long wage;

	if (r == NULL || r->off)
		return err_set(e, "the law table has no final-award-threshold rule");
	if (r->unit != CAL_MONTHS)
		return err_set(e, "final-award-threshold: the length must be "
		    "in months (of the minimum wage), not %s", unit_names[r->unit]);
	if (law_minimum_wage(l, grid, &wage, e) < 0)
		return -1;
	return amount_fen <= wage * r->length;
}
