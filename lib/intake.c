/*
 * intake.c - case-add's work: intake rows in, new case records out.
 * See intake.h.
 *
 * The header of each input is mapped once per row through a hash of
 * every alias, so a Chinese export and an English one cost the same.
 * Values are checked in a fixed order and the first problem rejects the
 * row: one clear reason is worth more than a list nobody reads.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idcheck.h"
#include "input.h"
#include "intake.h"
#include "mem.h"
#include "money.h"
#include "output.h"
#include "progress.h"
#include "record.h"
#include "store.h"
#include "strmap.h"
#include "timefmt.h"

/* The fields an intake row may carry, and what each is called in the
 * exports stations actually have.  rec_canonical's Chinese labels (what
 * --lang zh writes) are added to these at start-up. */
static const struct {
	const char *field;
	const char *aliases[8];
} field_aliases[] = {
	{ "source_id",		{ "编号", "来源编号", "原编号", "source id" } },
	{ "received_at",	{ "受理时间", "受理日期", "登记时间", "登记日期" } },
	{ "channel",		{ "来源", "渠道", "受理方式", "来源渠道" } },
	{ "type",		{ "案由", "纠纷类型", "类型" } },
	{ "claimant.name",	{ "申请人", "姓名", "申请人姓名", "name" } },
	{ "claimant.id_no",	{ "身份证号", "身份证号码", "身份证", "id_no" } },
	{ "claimant.phone",	{ "联系电话", "手机号", "手机号码", "电话", "phone" } },
	{ "workers",		{ "涉及人数", "人数" } },
	{ "employer.name",	{ "用人单位", "被申请人", "单位名称", "employer" } },
	{ "employer.credit_code", { "统一社会信用代码", "信用代码", "credit_code" } },
	{ "grid",		{ "网格" } },
	{ "amount",		{ "涉及金额", "金额", "诉求金额" } },
	{ "summary",		{ "诉求", "事由", "情况", "诉求内容" } },
};
#define NFIELDS (sizeof field_aliases / sizeof field_aliases[0])

/* Enum values: canonical English first, then Chinese words that mean it.
 * A Chinese text is matched by containment, in table order, so the more
 * specific words (农民工工资) come before the general ones (工资). */
struct word_map {
	const char *value;
	const char *words[10];
};

static const struct word_map channels[] = {
	{ "online",	{ "线上", "网上", "小程序", "在线", "微信", "网络" } },
	{ "hotline",	{ "热线", "护薪专线", "电话", "12345", "12333" } },
	{ "warning",	{ "预警" } },
	{ "grid",	{ "网格", "排查" } },
	{ "referral",	{ "110", "非警务", "转办", "转交", "移送" } },
	{ "walk-in",	{ "窗口", "现场", "来访", "线下" } },
	{ NULL, { NULL } }
};

static const struct word_map types[] = {
	{ "construction-wage",	{ "工程款", "建筑工地", "农民工工资", "工地", "建设工程" } },
	{ "social-insurance",	{ "社保", "社会保险", "养老保险", "医疗保险", "失业保险" } },
	{ "work-injury",	{ "工伤" } },
	{ "termination",	{ "解除", "辞退", "开除", "经济补偿", "赔偿金" } },
	{ "contract",		{ "劳动合同", "合同" } },
	{ "wage-arrears",	{ "欠薪", "拖欠工资", "工资", "欠发", "薪" } },
	{ "other",		{ "其他", "其它" } },
	{ NULL, { NULL } }
};

static const char *const channel_words[] = {
	"walk-in", "online", "hotline", "warning", "grid", "referral", NULL
};
static const char *const type_words[] = {
	"wage-arrears", "construction-wage", "social-insurance", "work-injury",
	"termination", "contract", "other", NULL
};

struct intake {
	const struct intake_opts *o;
	struct intake_stats *st;
	struct strmap columns;		/* header text -> field index */
	struct strmap source_ids;	/* source ids in the store or this run */
	struct strmap by_idno;		/* open case's id number -> case id */
	struct strmap by_name;		/* open case's "name\037employer" -> id */
	struct buf ids;			/* case ids, NUL-separated */
	long seq[400];			/* highest sequence, by year - 1900 */
	char now[40];			/* --now as RFC 3339 */
	struct rec in, out;
	struct output *outp;
	struct rejects *rej;
	const struct input *cur;	/* the input being read */
	long long read, bytes;		/* records and bytes read, for progress */
};

/* --- lookups ---------------------------------------------------------- */

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static const char *word_lookup(const struct word_map *m, const char *text)
{
	size_t i, j;

	for (i = 0; m[i].value != NULL; i++)
		if (strcmp(text, m[i].value) == 0)
			return m[i].value;
	for (i = 0; m[i].value != NULL; i++)
		for (j = 0; m[i].words[j] != NULL; j++)
			if (strstr(text, m[i].words[j]) != NULL)
				return m[i].value;
	return NULL;
}

const char *intake_channel_of(const char *text)
{
	return word_lookup(channels, text);
}

const char *intake_type_of(const char *text)
{
	const char *t = word_lookup(types, text);

	/* "otherwise other" holds for Chinese case causes; an English word
	 * that is not a type is a typo worth reporting instead. */
	return t != NULL ? t : is_ascii(text) ? NULL : "other";
}

const char *intake_field_of(const char *header)
{
	size_t i, j;

	for (i = 0; i < NFIELDS; i++) {
		int c = rec_canonical_index(field_aliases[i].field);

		if (strcmp(header, field_aliases[i].field) == 0 ||
		    (c >= 0 && strcmp(header, rec_canonical[c].zh) == 0))
			return field_aliases[i].field;
		for (j = 0; field_aliases[i].aliases[j] != NULL; j++)
			if (strcmp(header, field_aliases[i].aliases[j]) == 0)
				return field_aliases[i].field;
	}
	return NULL;
}

static int field_index(const char *field)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(field, field_aliases[i].field) == 0)
			return (int)i;
	return -1;
}

static int put_column(struct intake *in, const char *name, size_t i,
    struct err *e)
{
	if (strmap_put(&in->columns, name, strlen(name), (long)i) < 0)
		return err_nomem(e);
	return 0;
}

static int build_columns(struct intake *in, struct err *e)
{
	size_t i, j;
	int k, c;

	for (i = 0; i < NFIELDS; i++) {
		if (put_column(in, field_aliases[i].field, i, e) < 0)
			return -1;
		c = rec_canonical_index(field_aliases[i].field);
		if (c >= 0 && put_column(in, rec_canonical[c].zh, i, e) < 0)
			return -1;
		for (j = 0; field_aliases[i].aliases[j] != NULL; j++)
			if (put_column(in, field_aliases[i].aliases[j], i, e) < 0)
				return -1;
	}
	for (k = 0; k < in->o->nmaps; k++) {
		const char *m = in->o->maps[k], *eq = strchr(m, '=');
		char field[64];
		int f;

		if (eq == NULL || eq == m || eq[1] == '\0' ||
		    (size_t)(eq - m) >= sizeof field)
			return err_set(e, "--map %s: expected FIELD=COLUMN", m);
		memcpy(field, m, (size_t)(eq - m));
		field[eq - m] = '\0';
		if ((f = field_index(field)) < 0)
			return err_set(e, "--map %s: %s is not an intake field", m, field);
		if (put_column(in, eq + 1, (size_t)f, e) < 0)
			return -1;
	}
	return 0;
}

/* --- values ----------------------------------------------------------- */

/* Trim ASCII white space and the ideographic space U+3000 in place. */
static char *trim(char *s)
{
	char *end;

	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	end = s + strlen(s);
	for (;;) {
		if (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\r' || end[-1] == '\n'))
			end--;
		else if (end - s >= 3 && strncmp(end - 3, "\xe3\x80\x80", 3) == 0)
			end -= 3;
		else
			break;
	}
	*end = '\0';
	return s;
}

static void upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* workers: a whole number >= 1, "12" or "12人". */
static int parse_workers(const char *s, long *n, struct err *e)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return err_set(e, "\"%s\" is not a number of workers", s);
	v = strtol(s, &end, 10);
	if (strcmp(end, "人") == 0 || strcmp(end, "名") == 0)
		end += strlen(end);
	if (*end != '\0')
		return err_set(e, "\"%s\" is not a number of workers", s);
	if (v < 1 || v > 1000000)	/* strtol clamps: say what was written */
		return err_set(e, "%.*s is not a plausible number of workers",
		    (int)(end - s), s);
	*n = v;
	return 0;
}

static int enum_value(const char *field, const char *text,
    const char *(*lookup)(const char *), const char *const *words,
    const char **out, struct err *e)
{
	const char *near;

	if ((*out = lookup(text)) != NULL)
		return 0;
	near = cli_nearest(text, words);
	if (near != NULL)
		return err_set(e, "%s: unknown value \"%s\" (did you mean %s?)",
		    field, text, near);
	return err_set(e, "%s: unknown value \"%s\"", field, text);
}

/* --- one row ----------------------------------------------------------- */

/* The row's cells by intake field (NULL: absent or empty).  Cells point
 * into in->in's arena, trimmed in place.  1 (e says why) when a JSON row
 * gives a field something other than a text or a number -- an array,
 * true/false, an object ("amount":{"v":1}) -- which would otherwise be
 * dropped or read as text; a null is an absent field. */
static int gather(struct intake *in, char **cell, struct err *e)
{
	size_t i;

	memset(cell, 0, NFIELDS * sizeof *cell);
	for (i = 0; i < in->in.n; i++) {
		char key[256], *k, *dot;
		const struct strmap_slot *s;
		char *v;

		snprintf(key, sizeof key, "%s", rec_key(&in->in, i));
		k = trim(key);
		s = strmap_get(&in->columns, k, strlen(k));
		if (s == NULL) {
			if (in->in.rawfmt == FMT_JSONL &&
			    (dot = strchr(k, '.')) != NULL) {
				*dot = '\0';
				if (field_index(k) >= 0)
					return err_set(e, "%s: an object where a "
					    "text or number is expected", k), 1;
			}
			continue;
		}
		v = trim(in->in.arena + in->in.f[i].val);
		if (in->in.f[i].type == REC_RAW) {
			if (strcmp(v, "null") == 0)
				continue;
			return err_set(e, "%s: %.40s is not a text or number",
			    field_aliases[s->val].field, v), 1;
		}
		if (*v != '\0' && cell[s->val] == NULL)
			cell[s->val] = v;
	}
	return 0;
}

#define CELL(name) cell[field_index(name)]

static int set_str(struct intake *in, const char *field, const char *v,
    struct err *e)
{
	return v == NULL ? 0 : rec_sets(&in->out, field, v, e);
}

/* Fill in->out from the cells; 1 when the row is rejected (e says
 * "field: reason"), -1 on a fatal error. */
static int build(struct intake *in, char **cell, struct tf_time *when,
    struct err *e)
{
	const char *type, *channel = NULL, *v;
	char tmp[64];
	long workers = 0;
	money_t amount = 0;
	struct tf_time t;
	struct rec *r = &in->out;

	rec_clear(r);
	if (CELL("employer.name") == NULL)
		return err_set(e, "employer.name: missing"), 1;
	if ((v = CELL("workers")) != NULL && parse_workers(v, &workers, e) < 0)
		return err_prefix(e, "workers"), 1;
	if (CELL("claimant.name") == NULL && workers < 1)
		return err_set(e, "claimant.name: missing (give a claimant or workers >= 1)"), 1;
	if (workers == 0)
		workers = 1;
	if ((v = CELL("type")) == NULL)
		return err_set(e, "type: missing"), 1;
	if (enum_value("type", v, intake_type_of, type_words, &type, e) < 0)
		return 1;
	if ((v = CELL("channel")) != NULL &&
	    enum_value("channel", v, intake_channel_of, channel_words, &channel, e) < 0)
		return 1;
	if ((v = CELL("claimant.id_no")) != NULL) {
		upcase((char *)v);
		if (idcheck_resident(v, in->o->cli->now.t, e) < 0)
			return err_prefix(e, "claimant.id_no"), 1;
	}
	if ((v = CELL("claimant.phone")) != NULL && idcheck_phone(v, e) < 0)
		return err_prefix(e, "claimant.phone"), 1;
	if ((v = CELL("employer.credit_code")) != NULL) {
		upcase((char *)v);
		if (idcheck_credit_code(v, e) < 0)
			return err_prefix(e, "employer.credit_code"), 1;
	}
	if ((v = CELL("amount")) != NULL) {
		if (money_parse(v, &amount, e) < 0)
			return err_prefix(e, "amount"), 1;
		if (amount < 0)
			return err_set(e, "amount: %s is negative", v), 1;
	}
	*when = in->o->cli->now;
	if ((v = CELL("received_at")) != NULL) {
		if (tf_parse(v, &t, e) < 0)
			return err_prefix(e, "received_at"), 1;
		if (t.t > in->o->cli->now.t)
			return err_set(e, "received_at: %s is after --now", v), 1;
		*when = t;
	}

	/* all checked: the record, in canonical order */
	tf_format(tmp, sizeof tmp, *when);
	if (set_str(in, "source_id", CELL("source_id"), e) < 0 ||
	    rec_sets(r, "received_at", tmp, e) < 0 ||
	    set_str(in, "channel", channel, e) < 0 ||
	    rec_sets(r, "type", type, e) < 0 ||
	    set_str(in, "claimant.name", CELL("claimant.name"), e) < 0 ||
	    set_str(in, "claimant.id_no", CELL("claimant.id_no"), e) < 0 ||
	    set_str(in, "claimant.phone", CELL("claimant.phone"), e) < 0 ||
	    rec_setf(r, "workers", REC_NUM, e, "%ld", workers) < 0 ||
	    set_str(in, "employer.name", CELL("employer.name"), e) < 0 ||
	    set_str(in, "employer.credit_code", CELL("employer.credit_code"), e) < 0 ||
	    set_str(in, "grid", CELL("grid"), e) < 0)
		return -1;
	if (CELL("amount") != NULL) {
		money_format(tmp, sizeof tmp, amount);
		if (rec_set(r, "amount", REC_NUM, tmp, strlen(tmp), e) < 0)
			return -1;
	}
	if (set_str(in, "summary", CELL("summary"), e) < 0 ||
	    rec_sets(r, "status", "new", e) < 0)
		return -1;
	return 0;
}

/* --- what the store knows ------------------------------------------------ */

static int remember_id(struct intake *in, const char *id, long *off)
{
	*off = (long)in->ids.len;
	return buf_add(&in->ids, id, strlen(id) + 1);
}

/* "name\037employer", the key of a possible duplicate without id number */
static int name_key(const char *name, const char *employer, char *k, size_t n)
{
	if (name == NULL || employer == NULL)
		return 0;
	return snprintf(k, n, "%s\037%s", name, employer) < (int)n;
}

/* Note an open case (from the store or this run) for duplicate checks. */
static int remember_open(struct intake *in, const struct rec *r, struct err *e)
{
	const char *id = rec_get(r, "id"), *idno = rec_get_nonempty(r, "claimant.id_no");
	char k[1024];
	long off;

	if (id == NULL)
		return 0;
	if (remember_id(in, id, &off) < 0)
		return err_nomem(e);
	if (idno != NULL && strmap_put(&in->by_idno, idno, strlen(idno), off) < 0)
		return err_nomem(e);
	if (name_key(rec_get_nonempty(r, "claimant.name"),
	    rec_get_nonempty(r, "employer.name"), k, sizeof k) &&
	    strmap_put(&in->by_name, k, strlen(k), off) < 0)
		return err_nomem(e);
	return 0;
}

/* The highest sequence per year of ids "PREFIX-YYYY-NNNNNN". */
static void remember_seq(struct intake *in, const char *id)
{
	size_t plen = strlen(in->o->prefix);
	char *end;
	long year, seq;

	if (strncmp(id, in->o->prefix, plen) != 0 || id[plen] != '-')
		return;
	year = strtol(id + plen + 1, &end, 10);
	if (end != id + plen + 5 || *end != '-' || year < 1900 || year >= 2300)
		return;
	seq = strtol(end + 1, &end, 10);
	if (*end == '\0' && seq > in->seq[year - 1900])
		in->seq[year - 1900] = seq;
}

static int remember_source(struct intake *in, const char *sid, struct err *e)
{
	if (sid != NULL && strmap_put(&in->source_ids, sid, strlen(sid), 1) < 0)
		return err_nomem(e);
	return 0;
}

static int learn(struct intake *in, const struct rec *r, struct err *e)
{
	const char *id = rec_get(r, "id"), *status = rec_get(r, "status");

	if (id != NULL)
		remember_seq(in, id);
	if (remember_source(in, rec_get_nonempty(r, "source_id"), e) < 0)
		return -1;
	if (status != NULL && strcmp(status, "closed") != 0)
		return remember_open(in, r, e);
	return 0;
}

/* Copy the store into the new version while learning from it; a line of
 * the store that is not a record stops everything: writing the store
 * back without it would lose it. */
static int read_store(struct intake *in, const char *path, struct err *e)
{
	struct in_opts io = { FMT_JSONL, ENC_UTF8, 1 };
	struct input *src;
	int rc;

	if ((src = in_open(path, &io, e)) == NULL)
		return -1;
	while ((rc = in_next(src, &in->in, e)) == IN_REC) {
		progress_tick(in->o->progress, ++in->read,
		    in->bytes + in_bytes_done(src));
		if (learn(in, &in->in, e) < 0 || out_rec(in->outp, &in->in, e) < 0) {
			rc = IN_FATAL;
			break;
		}
	}
	in->bytes += in_bytes_done(src);
	in_close(src);
	if (rc == IN_BAD)
		return err_prefix(e, "store not changed");
	return rc == IN_EOF ? 0 : -1;
}

/* --- the run ------------------------------------------------------------ */

static void say(struct intake *in, const char *fmt, ...) ERR_PRINTF(2, 3);

static void say(struct intake *in, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	progress_pause(in->o->progress);
	in->o->say(in->o->ctx, msg);
}

static int reject(struct intake *in, const char *reason, struct err *e)
{
	const char *const *header;
	size_t nheader = 0;

	in->st->rejected++;
	say(in, "%s", reason);
	header = in_header(in->cur, &nheader);
	if (in->rej != NULL &&
	    rej_write(in->rej, header, nheader, &in->in, reason, e) < 0)
		return -1;
	return 0;
}

/*
 * Look the key up and make it point at the new case in one probe: the
 * case it pointed at before, if any, is what the new one may duplicate.
 */
static int claim(struct strmap *m, const char *key, long off,
    const char **prev, struct intake *in, struct err *e)
{
	struct strmap_slot *s;
	int created;

	if (key == NULL)
		return 0;
	if ((s = strmap_slot(m, key, strlen(key), &created)) == NULL)
		return err_nomem(e);
	if (!created && *prev == NULL)
		*prev = in->ids.p + s->val;	/* valid until the next remember_id */
	s->val = off;
	return 0;
}

static int add_case(struct intake *in, const struct tf_time *when,
    struct err *e)
{
	struct tf_civil c;
	const char *dup_of = NULL, *sid, *id;
	char k[1024], note[600];
	long off;

	tf_to_civil(*when, &c);
	if (c.year < 1900 || c.year >= 2300)
		return err_set(e, "received_at: year %d out of range", c.year), 1;
	if (rec_setf(&in->out, "id", REC_STR, e, "%s-%04d-%06ld", in->o->prefix,
	    c.year, ++in->seq[c.year - 1900]) < 0)
		return -1;
	id = rec_get(&in->out, "id");
	if (remember_id(in, id, &off) < 0)
		return err_nomem(e);
	if (claim(&in->by_idno, rec_get_nonempty(&in->out, "claimant.id_no"), off,
	    &dup_of, in, e) < 0)
		return -1;
	if (name_key(rec_get_nonempty(&in->out, "claimant.name"),
	    rec_get_nonempty(&in->out, "employer.name"), k, sizeof k) &&
	    claim(&in->by_name, k, off, &dup_of, in, e) < 0)
		return -1;
	if (dup_of != NULL) {
		in->st->flagged++;
		if (rec_sets(&in->out, "possible_duplicate_of", dup_of, e) < 0)
			return -1;
	}
	snprintf(note, sizeof note, "%s", rec_where(&in->in));
	if (rec_history_add(&in->out, in->now, "case-add", NULL, "new", NULL,
	    note, e) < 0)
		return -1;
	sid = rec_get_nonempty(&in->out, "source_id");
	if (remember_source(in, sid, e) < 0)
		return -1;
	if (out_rec(in->outp, &in->out, e) < 0)
		return -1;
	in->st->added++;
	return 0;
}

static int one_row(struct intake *in, struct err *e)
{
	char *cell[NFIELDS];
	const char *sid;
	struct tf_time when;
	char reason[sizeof e->msg + 600];
	int rc;

	in->st->rows++;
	if (gather(in, cell, e) > 0) {
		snprintf(reason, sizeof reason, "%s: %s", rec_where(&in->in), e->msg);
		return reject(in, reason, e);
	}
	sid = CELL("source_id");
	if (sid != NULL && strmap_get(&in->source_ids, sid, strlen(sid)) != NULL) {
		in->st->known++;
		return 0;
	}
	rc = build(in, cell, &when, e);
	if (rc == 0)
		rc = add_case(in, &when, e);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		snprintf(reason, sizeof reason, "%s: %s", rec_where(&in->in), e->msg);
		return reject(in, reason, e);
	}
	return 0;
}

/* Say once per input which columns case-add does not use. */
static void unused_columns(struct intake *in)
{
	const char *const *h;
	size_t n = 0, i;
	char list[1024] = "";

	if ((h = in_header(in->cur, &n)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		char key[256], *k;

		snprintf(key, sizeof key, "%s", h[i]);
		k = trim(key);
		if (strmap_get(&in->columns, k, strlen(k)) != NULL)
			continue;
		if (*list)
			strncat(list, ", ", sizeof list - strlen(list) - 1);
		strncat(list, *k ? k : "(empty)", sizeof list - strlen(list) - 1);
	}
	if (*list)
		say(in, "%s: columns not used: %s (see --map)", in_name(in->cur), list);
}

static int read_input(struct intake *in, const char *path, struct err *e)
{
	struct in_opts io = in->o->cli->in;
	struct input *src;
	int rc, first = 1;

	io.typed = 0;
	if ((src = in_open(path, &io, e)) == NULL)
		return -1;
	in->cur = src;
	while ((rc = in_next(src, &in->in, e)) != IN_EOF) {
		if (first && !in->o->cli->quiet)
			unused_columns(in);
		first = 0;
		if (rc == IN_FATAL)
			break;
		progress_tick(in->o->progress, ++in->read,
		    in->bytes + in_bytes_done(src));
		if ((rc == IN_BAD ? reject(in, e->msg, e) : one_row(in, e)) < 0) {
			rc = IN_FATAL;
			break;
		}
	}
	in->bytes += in_bytes_done(src);
	in_close(src);
	in->cur = NULL;
	return rc == IN_EOF ? 0 : -1;
}

static int read_inputs(struct intake *in, char **files, int nfiles,
    struct err *e)
{
	int i;

	if (nfiles == 0)
		return read_input(in, "-", e);
	for (i = 0; i < nfiles; i++)
		if (read_input(in, files[i], e) < 0)
			return -1;
	return 0;
}

static int run_store(struct intake *in, char **files, int nfiles,
    struct err *e)
{
	const struct cli *c = in->o->cli;
	struct out_opts oo = c->out;
	struct store *s;
	int rc = -1;

	oo.format = FMT_JSONL;	/* a store is JSON-lines whatever --to says */
	if ((s = store_lock(c->store, e)) == NULL)
		return -1;
	if ((in->outp = store_begin(s, &oo, e)) != NULL &&
	    (!store_exists(s) || read_store(in, c->store, e) == 0) &&
	    read_inputs(in, files, nfiles, e) == 0) {
		/* the rejects are complete before the store changes */
		struct rejects *rj = in->rej;

		in->rej = NULL;
		if ((rj == NULL || rej_close(rj, e) == 0) && store_commit(s, e) == 0)
			rc = 0;
	}
	store_unlock(s);		/* on failure intake_run closes in->rej */
	return rc;
}

static int run_filter(struct intake *in, char **files, int nfiles,
    struct err *e)
{
	struct err ignore;

	if ((in->outp = out_open(in->o->cli->output, &in->o->cli->out, e)) == NULL)
		return -1;
	if (read_inputs(in, files, nfiles, e) < 0) {
		out_close(in->outp, &ignore);
		return -1;
	}
	return out_close(in->outp, e);
}

/* The bytes of the store and the inputs, for progress; -1 if unknown. */
static long long input_size(const struct intake_opts *o, char **files,
    int nfiles)
{
	long long total = 0;
	int i;

	if (o->cli->store != NULL && access(o->cli->store, F_OK) == 0)
		total = progress_add_size(total, o->cli->store);
	if (nfiles == 0)
		return progress_add_size(total, "-");
	for (i = 0; i < nfiles; i++)
		total = progress_add_size(total, files[i]);
	return total;
}

static void intake_free(struct intake *in)
{
	strmap_free(&in->columns);
	strmap_free(&in->source_ids);
	strmap_free(&in->by_idno);
	strmap_free(&in->by_name);
	buf_free(&in->ids);
	rec_free(&in->in);
	rec_free(&in->out);
}

int intake_run(const struct intake_opts *o, char **files, int nfiles,
    struct intake_stats *st, struct err *e)
{
	struct intake in;
	struct err e2;
	int rc;

	memset(&in, 0, sizeof in);
	memset(st, 0, sizeof *st);
	in.o = o;
	in.st = st;
	rec_init(&in.in);
	rec_init(&in.out);
	tf_format(in.now, sizeof in.now, o->cli->now);
	if (build_columns(&in, e) < 0) {
		intake_free(&in);
		return -1;
	}
	if (o->cli->rejects != NULL && (in.rej = rej_open(o->cli->rejects, e)) == NULL) {
		intake_free(&in);
		return -1;
	}
	if (o->progress != NULL)
		progress_start(o->progress, input_size(o, files, nfiles),
		    o->cli->progress);
	rc = o->cli->store ? run_store(&in, files, nfiles, e) :
	    run_filter(&in, files, nfiles, e);
	progress_end(o->progress);
	if (in.rej != NULL && rej_close(in.rej, rc < 0 ? &e2 : e) < 0)
		rc = -1;
	intake_free(&in);
	return rc;
}
