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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dupindex.h"
#include "fpmap.h"
#include "idcheck.h"
#include "input.h"
#include "intake.h"
#include "mem.h"
#include "money.h"
#include "numtext.h"
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
	{ "source_id",		{ "编号", "来源编号", "原编号", "登记编号", "source id" } },
	{ "received_at",	{ "受理时间", "受理日期", "登记时间", "登记日期",
				  "来电时间", "接警时间" } },
	{ "channel",		{ "来源", "渠道", "受理方式", "来源渠道" } },
	{ "type",		{ "案由", "纠纷类型", "类型" } },
	{ "claimant.name",	{ "申请人", "姓名", "申请人姓名", "name" } },
	{ "claimant.id_no",	{ "身份证号", "身份证号码", "身份证", "id_no" } },
	{ "claimant.phone",	{ "联系电话", "手机号", "手机号码", "电话", "phone" } },
	{ "workers",		{ "涉及人数", "人数" } },
	{ "employer.name",	{ "用人单位", "被申请人", "单位名称", "employer" } },
	{ "employer.credit_code", { "统一社会信用代码", "信用代码", "credit_code" } },
	{ "grid",		{ "网格", "所属网格" } },
	{ "amount",		{ "涉及金额", "金额", "诉求金额" } },
	{ "summary",		{ "诉求", "事由", "情况", "诉求内容" } },
};
#define NFIELDS (sizeof field_aliases / sizeof field_aliases[0])

/* Indexes into field_aliases, in its order. */
enum {
	F_SOURCE_ID, F_RECEIVED_AT, F_CHANNEL, F_TYPE, F_NAME, F_IDNO,
	F_PHONE, F_WORKERS, F_EMPLOYER, F_CREDIT, F_GRID, F_AMOUNT, F_SUMMARY
};

/* Enum values: canonical English first, then Chinese words that mean it.
 * A Chinese text is matched by containment, in table order, so the more
 * specific words (农民工工资) come before the general ones (工资). */
struct word_map {
	const char *value;
	const char *words[14];
};

static const struct word_map channels[] = {
	{ "online",	{ "线上", "网上", "小程序", "在线", "微信", "网络",
			  "安薪码", "扫码" } },
	{ "hotline",	{ "热线", "护薪专线", "电话", "12345", "12333" } },
	{ "warning",	{ "预警" } },
	{ "grid",	{ "网格", "排查" } },
	{ "referral",	{ "110", "非警务", "转办", "转交", "移送" } },
	{ "walk-in",	{ "窗口", "现场", "来访", "线下", "护薪工作站", "上门" } },
	{ NULL, { NULL } }
};

static const struct word_map types[] = {
	{ "construction-wage",	{ "工程款", "建筑工地", "农民工工资", "工地", "建设工程" } },
	{ "social-insurance",	{ "社保", "社会保险", "养老保险", "医疗保险", "失业保险" } },
	{ "work-injury",	{ "工伤" } },
	{ "termination",	{ "解除", "辞退", "开除", "经济补偿", "赔偿金" } },
	{ "contract",		{ "劳动合同", "合同" } },
	{ "wage-arrears",	{ "欠薪", "拖欠工资", "工资", "欠发", "薪", "加班费",
				  "劳务费", "绩效", "奖金", "年终奖", "提成" } },
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

/* A source id as sid_key sees it (see there). */
struct sidkey {
	const char *s;
	size_t n;
	int seq;		/* fpseq_key's form: code and num */
	uint64_t code, num;
	int state;		/* fpseq_has's answer (FPSEQ_ASK: ask the
				   other tables) */
	int has_fp;		/* fp and packed are set */
	int packed;		/* fp is fp_pack's */
	uint64_t fp;
};

/* The fields of a new record, in output order (out_keys below). */
enum {
	O_ID, O_SOURCE_ID, O_RECEIVED_AT, O_CHANNEL, O_TYPE, O_NAME, O_IDNO,
	O_PHONE, O_WORKERS, O_EMPLOYER, O_CREDIT, O_GRID, O_AMOUNT,
	O_SUMMARY, O_STATUS, O_DUP, O_HISTORY, NOUT
};

/* The duplicate checks' keys (dupindex): the hint names the newest open
 * case with the row's id number, else with its name and employer. */
enum { K_IDNO, K_NAME };

struct intake {
	const struct intake_opts *o;
	struct intake_stats *st;
	struct strmap columns;		/* header text -> field index */
	int *colfield;			/* the current CSV input's column ->
					   field index or -1 */
	size_t ncol;
	size_t clen[NFIELDS];		/* lengths of gather's cells */
	struct strmap enum_cache[2];	/* channel, type text -> index */
	struct num_tzcache tzc;		/* local offsets by day */
	uint64_t fp_idno, fp_name;	/* the row's fingerprints */
	struct buf note;		/* "file:line" of the row */
	int rank[NOUT];			/* rec_sort's rank of each out_keys */
	struct buf hist;		/* history after "at" up to the line
					   (history()) */
	struct buf hrow;		/* a row's history */
	char recv[40];			/* the row's received_at */
	char *setv[NFIELDS];		/* --set values, owned, or NULL */
	size_t setlen[NFIELDS];
	char *hist_file;		/* the name of the input hist was made
					   for, owned: a name is freed with its
					   input, and the next one's may take
					   its address */
	int hist_ok;			/* hist can be used */
	struct fpseq sid_seq;		/* source ids of the store and this run
					   numbered in order (sid_known) */
	struct fpset sid_packed;	/* others that fp_pack packs */
	struct fpmap source_ids;	/* the other source ids -> offset in
					   sid_keys */
	struct buf sid_keys;		/* those ids, NUL-terminated */
	struct sidkey sid;		/* the row's source id */
	struct dupindex dup;		/* open cases' id numbers (key K_IDNO)
					   and names with employers (K_NAME) */
	struct buf other_ids;		/* case ids refs cannot pack */
	char *idtext;			/* a case id being written */
	size_t plen;			/* strlen(prefix) */
	long seq[400];			/* highest sequence, by year - 1900 */
	int year;			/* the new case's year and sequence */
	long cseq;
	char now[40];			/* --now as RFC 3339 */
	struct rec in, out;
	struct output *outp;
	struct rejects *rej;
	const struct input *cur;	/* the input being read */
	long long read, bytes;		/* records and bytes read, for progress */
	struct strmap unused;		/* names of the input not used */
	struct buf unused_list;		/* the first of them, ", "-separated */
	long unused_more;		/* and how many more */
	struct input **pre;		/* inputs opened ahead (see precheck) */
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

/* The field of a --map or --set: its name, or a header that names it
 * ("channel", "来源"); -1 when neither. */
static int field_named(const char *name)
{
	const char *f = intake_field_of(name);

	return field_index(f != NULL ? f : name);
}

/* --set FIELD=VALUE: a value for every row that has none (a hotline log
 * has no channel column).  Channel and type are checked here, once; the
 * other fields row by row, as any value is. */
static int read_sets(struct intake *in, struct err *e)
{
	char field[64];
	const char *s, *eq;
	int k, f;

	for (k = 0; k < in->o->nsets; k++) {
		s = in->o->sets[k];
		if ((eq = strchr(s, '=')) == NULL || eq == s || eq[1] == '\0' ||
		    (size_t)(eq - s) >= sizeof field)
			return err_set(e, "--set %s: expected FIELD=VALUE", s);
		memcpy(field, s, (size_t)(eq - s));
		field[eq - s] = '\0';
		if ((f = field_named(field)) < 0)
			return err_set(e, "--set %s: %s is not an intake field",
			    s, field);
		if ((f == F_CHANNEL && intake_channel_of(eq + 1) == NULL) ||
		    (f == F_TYPE && intake_type_of(eq + 1) == NULL))
			return err_set(e, "--set %s: \"%s\" is not a %s", s,
			    eq + 1, field_aliases[f].field);
		mem_free(in->setv[f]);
		if ((in->setv[f] = mem_strdup(eq + 1)) == NULL)
			return err_nomem(e);
		in->setlen[f] = strlen(in->setv[f]);
	}
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
	if (read_sets(in, e) < 0)
		return -1;
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

static int is_blank(const char *s, size_t n)
{
	return n >= 1 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n');
}

static int is_ideo_space(const char *s, size_t n)
{
	return n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0;
}

/* Trim ASCII white space and the ideographic space U+3000 off s[0, *n)
 * in place: the start, with *n the new length and a NUL after it. */
static char *trim_n(char *s, size_t *n)
{
	size_t len = *n;

	for (;;) {
		if (is_blank(s, len))
			s++, len--;
		else if (is_ideo_space(s, len))
			s += 3, len -= 3;
		else
			break;
	}
	for (;;) {
		if (len > 0 && is_blank(s + len - 1, 1))
			len--;
		else if (len >= 3 && is_ideo_space(s + len - 3, 3))
			len -= 3;
		else
			break;
	}
	s[len] = '\0';
	*n = len;
	return s;
}

static char *trim(char *s)
{
	size_t n = strlen(s);

	return trim_n(s, &n);
}

/* ASCII only: toupper in the C locale, which is all lib runs in. */
static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
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

/*
 * The canonical value of a channel (is_type 0) or type (1) text.  What
 * was found before is remembered by text: exports repeat a handful of
 * Chinese words, and word_lookup's containment tests cost more than a
 * hash.  The cache is bounded, so odd input cannot grow it without end,
 * and a failed insertion only costs the next lookup.
 */
#define ENUM_CACHE_MAX 4096

static int enum_value(struct intake *in, int is_type, const char *text,
    const char **out, struct err *e)
{
	struct strmap *c = &in->enum_cache[is_type];
	const char *const *words = is_type ? type_words : channel_words;
	const char *field = is_type ? "type" : "channel", *near;
	size_t n = strlen(text);
	const struct strmap_slot *s = strmap_get(c, text, n);
	long i;

	if (s != NULL) {
		*out = words[s->val];
		return 0;
	}
	*out = is_type ? intake_type_of(text) : intake_channel_of(text);
	if (*out != NULL) {
		for (i = 0; words[i] != NULL && strcmp(words[i], *out) != 0; i++)
			;
		if (words[i] != NULL && c->n < ENUM_CACHE_MAX)
			(void)strmap_put(c, text, n, i);
		return 0;
	}
	near = cli_nearest(text, words);
	if (near != NULL)
		return err_set(e, "%s: unknown value \"%s\" (did you mean %s?)",
		    field, text, near);
	return err_set(e, "%s: unknown value \"%s\"", field, text);
}

/* --- one row ----------------------------------------------------------- */

/* The intake field of a column name (trimmed, as gather sees it), or
 * -1. */
static int column_field(const struct intake *in, const char *name)
{
	char key[256], *k;
	size_t n = strlen(name);
	const struct strmap_slot *s;

	if (n >= sizeof key)
		n = sizeof key - 1;
	memcpy(key, name, n);
	key[n] = '\0';
	k = trim_n(key, &n);
	s = strmap_get(&in->columns, k, n);
	return s != NULL ? (int)s->val : -1;
}

/*
 * Remember a column or key that maps to no field, for the one "not used"
 * line of the input (say_unused).  The list keeps the first names, in
 * the order met, up to a line's worth; the rest are counted.  A hostile
 * input with a new key on every line stops being remembered at
 * UNUSED_MAX names (and out of memory, at once): it only shortens the
 * notice.
 */
#define UNUSED_MAX	10000
#define UNUSED_LIST	800

static void note_unused(struct intake *in, const char *name)
{
	size_t n = strlen(name);
	int created;

	if (in->unused.n >= UNUSED_MAX ||
	    strmap_slot(&in->unused, name, n, &created) == NULL || !created)
		return;
	if (in->unused_list.len + n + 2 > UNUSED_LIST ||
	    (in->unused_list.len > 0 && buf_adds(&in->unused_list, ", ") < 0) ||
	    buf_adds(&in->unused_list, *name ? name : "(empty)") < 0)
		in->unused_more++;
}

static void unused_reset(struct intake *in)
{
	strmap_free(&in->unused);
	buf_reset(&in->unused_list);
	in->unused_more = 0;
}

/* The row's cells by intake field (NULL: absent or empty), with their
 * lengths in in->clen.  Cells point into in->in's arena, trimmed in
 * place.  1 (e says why) when a JSON row gives a field something other
 * than a text or a number -- an array, true/false, an object
 * ("amount":{"v":1}) -- which would otherwise be dropped or read as
 * text; a null is an absent field.  A CSV row has the header's columns
 * in order, so their fields were looked up once per input (colfield). */
static int gather(struct intake *in, char **cell, struct err *e)
{
	const struct rec *r = &in->in;
	size_t i, n;
	int f, csv = r->rawfmt == FMT_CSV && in->colfield != NULL &&
	    r->n == in->ncol;

	memset(cell, 0, NFIELDS * sizeof *cell);
	for (i = 0; i < r->n; i++) {
		char *v, *dot;

		f = csv ? in->colfield[i] : column_field(in, rec_key(r, i));
		if (f < 0) {
			char key[256], *k;

			if (r->rawfmt != FMT_JSONL)
				continue;
			snprintf(key, sizeof key, "%s", rec_key(r, i));
			k = trim(key);
			if ((dot = strchr(k, '.')) != NULL) {
				*dot = '\0';
				if (field_index(k) >= 0)
					return err_set(e, "%s: an object where a "
					    "text or number is expected", k), 1;
				*dot = '.';
			}
			note_unused(in, k);
			continue;
		}
		n = r->f[i].vlen;
		v = trim_n(r->arena + r->f[i].val, &n);
		if (r->f[i].type == REC_RAW) {
			if (strcmp(v, "null") == 0)
				continue;
			return err_set(e, "%s: %.40s is not a text or number",
			    field_aliases[f].field, v), 1;
		}
		if (n > 0 && cell[f] == NULL) {
			cell[f] = v;
			in->clen[f] = n;
		}
	}
	for (f = 0; f < (int)NFIELDS; f++)
		if (cell[f] == NULL && in->setv[f] != NULL) {
			cell[f] = in->setv[f];
			in->clen[f] = in->setlen[f];
		}
	return 0;
}

/*
 * The fields of a new record.  Writing a record sorts its fields into
 * output order by a rank rec_sort looks up from each key (rec_sort);
 * these keys are always the same, so their ranks are looked up once
 * (learn_ranks) and given to every field as it is added, and rec_sort
 * only checks the order.
 */
#define OUT_KEY(k) { k, sizeof k - 1 }
static const struct {
	const char *key;
	size_t klen;
} out_keys[NOUT] = {
	OUT_KEY("id"), OUT_KEY("source_id"), OUT_KEY("received_at"),
	OUT_KEY("channel"), OUT_KEY("type"), OUT_KEY("claimant.name"),
	OUT_KEY("claimant.id_no"), OUT_KEY("claimant.phone"),
	OUT_KEY("workers"), OUT_KEY("employer.name"),
	OUT_KEY("employer.credit_code"), OUT_KEY("grid"), OUT_KEY("amount"),
	OUT_KEY("summary"), OUT_KEY("status"),
	OUT_KEY("possible_duplicate_of"), OUT_KEY("history")
};

/* Each out_keys' rank, as rec_sort gives it (-1: rec_sort looks). */
static int learn_ranks(struct intake *in, struct err *e)
{
	struct rec r;
	size_t i, k;
	int rc = 0;

	rec_init(&r);
	for (k = 0; k < NOUT; k++) {
		in->rank[k] = -1;
		if (rec_add(&r, out_keys[k].key, out_keys[k].klen, REC_STR, "",
		    0, e) < 0)
			rc = -1;
	}
	if (rc == 0) {
		rec_sort(&r);
		for (i = 0; i < r.n; i++)
			for (k = 0; k < NOUT; k++)
				if (strcmp(rec_key(&r, i), out_keys[k].key) == 0)
					in->rank[k] = r.f[i].rank;
	}
	rec_free(&r);
	return rc;
}

/* Add field k of the new record. */
static int put(struct intake *in, int k, int type, const char *v, size_t n,
    struct err *e)
{
	struct rec *r = &in->out;

	if (rec_add(r, out_keys[k].key, out_keys[k].klen, type, v, n, e) < 0)
		return -1;
	r->f[r->n - 1].rank = in->rank[k];
	return 0;
}

/* Add the cell of field f as field k, if there is one. */
static int put_cell(struct intake *in, char **cell, int f, int k,
    struct err *e)
{
	if (cell[f] == NULL)
		return 0;
	return put(in, k, REC_STR, cell[f], in->clen[f], e);
}

static size_t id_format(char *buf, const char *prefix, size_t plen, int year,
    long seq);

/* What check makes of a row's cells for fill. */
struct row {
	const char *type, *channel;
	long workers;
	money_t amount;
	struct tf_time when;
	int year;
};

/* Check the cells; 1 when the row is rejected (e says "field:
 * reason").  Nothing changes but the cells (trimmed, id number and
 * credit code upcased), so a row found already in the store after its
 * check is dropped as if it had not been looked at. */
static int check(struct intake *in, char **cell, struct row *w,
    struct err *e)
{
	const char *v;
	struct tf_time t;
	struct tf_civil civil;

	w->channel = NULL;
	w->workers = 0;
	w->amount = 0;
	if (cell[F_EMPLOYER] == NULL)
		return err_set(e, "employer.name: missing"), 1;
	if ((v = cell[F_WORKERS]) != NULL && parse_workers(v, &w->workers, e) < 0)
		return err_prefix(e, "workers"), 1;
	if (cell[F_NAME] == NULL && w->workers < 1)
		return err_set(e, "claimant.name: missing (give a claimant or workers >= 1)"), 1;
	if (w->workers == 0)
		w->workers = 1;
	if ((v = cell[F_TYPE]) == NULL)
		return err_set(e, "type: missing"), 1;
	if (enum_value(in, 1, v, &w->type, e) < 0)
		return 1;
	if ((v = cell[F_CHANNEL]) != NULL &&
	    enum_value(in, 0, v, &w->channel, e) < 0)
		return 1;
	if ((v = cell[F_IDNO]) != NULL) {
		upcase((char *)v);
		if (idcheck_resident(v, in->o->cli->now.t, e) < 0)
			return err_prefix(e, "claimant.id_no"), 1;
	}
	if ((v = cell[F_PHONE]) != NULL && idcheck_phone(v, e) < 0)
		return err_prefix(e, "claimant.phone"), 1;
	if ((v = cell[F_CREDIT]) != NULL) {
		upcase((char *)v);
		if (idcheck_credit_code(v, e) < 0)
			return err_prefix(e, "employer.credit_code"), 1;
	}
	if ((v = cell[F_AMOUNT]) != NULL) {
		if (money_parse(v, &w->amount, e) < 0)
			return err_prefix(e, "amount"), 1;
		if (w->amount < 0)
			return err_set(e, "amount: %s is negative", v), 1;
	}
	w->when = in->o->cli->now;
	if ((v = cell[F_RECEIVED_AT]) != NULL) {
		if (num_parse_local(v, in->clen[F_RECEIVED_AT], &t, &in->tzc) != 0 &&
		    tf_parse(v, &t, e) < 0)
			return err_prefix(e, "received_at"), 1;
		if (t.t > in->o->cli->now.t)
			return err_set(e, "received_at: %s is after --now", v), 1;
		w->when = t;
	}
	/* the case's number comes from the year it came in */
	tf_to_civil(w->when, &civil);
	if (civil.year < 1900 || civil.year >= 2300)
		return err_set(e, "received_at: year %d out of range",
		    civil.year), 1;
	w->year = civil.year;
	return 0;
}

/* Fill in->out from a checked row, in canonical order (so that rec_sort
 * has nothing to move), with the next id of its year; -1 on a fatal
 * error. */
static int fill(struct intake *in, char **cell, const struct row *w,
    struct err *e)
{
	char tmp[64];
	size_t n;

	rec_clear(&in->out);
	in->year = w->year;
	in->cseq = ++in->seq[w->year - 1900];
	n = id_format(in->idtext, in->o->prefix, in->plen, in->year, in->cseq);
	if (put(in, O_ID, REC_STR, in->idtext, n, e) < 0)
		return -1;
	n = num_put_rfc3339(tmp, w->when);
	memcpy(in->recv, tmp, n);	/* the history entry's "at" */
	in->recv[n] = '\0';
	if (put_cell(in, cell, F_SOURCE_ID, O_SOURCE_ID, e) < 0 ||
	    put(in, O_RECEIVED_AT, REC_STR, tmp, n, e) < 0 ||
	    (w->channel != NULL &&
	     put(in, O_CHANNEL, REC_STR, w->channel, strlen(w->channel), e) < 0) ||
	    put(in, O_TYPE, REC_STR, w->type, strlen(w->type), e) < 0 ||
	    put_cell(in, cell, F_NAME, O_NAME, e) < 0 ||
	    put_cell(in, cell, F_IDNO, O_IDNO, e) < 0 ||
	    put_cell(in, cell, F_PHONE, O_PHONE, e) < 0)
		return -1;
	n = num_put_uint(tmp, (unsigned long long)w->workers, 0);
	if (put(in, O_WORKERS, REC_NUM, tmp, n, e) < 0 ||
	    put_cell(in, cell, F_EMPLOYER, O_EMPLOYER, e) < 0 ||
	    put_cell(in, cell, F_CREDIT, O_CREDIT, e) < 0 ||
	    put_cell(in, cell, F_GRID, O_GRID, e) < 0)
		return -1;
	if (cell[F_AMOUNT] != NULL) {
		n = (size_t)money_format(tmp, sizeof tmp, w->amount);
		if (put(in, O_AMOUNT, REC_NUM, tmp, n, e) < 0)
			return -1;
	}
	if (put_cell(in, cell, F_SUMMARY, O_SUMMARY, e) < 0 ||
	    put(in, O_STATUS, REC_STR, "new", 3, e) < 0)
		return -1;
	return 0;
}

/* --- what the store knows ------------------------------------------------ */

/*
 * Case ids are kept as 32-bit references: PREFIX-YYYY-NNNNNN of this
 * run's prefix with a sequence below 2^22 is packed as its year and
 * sequence (what every id case-add makes looks like), any other id is
 * copied into other_ids and the reference holds its offset.
 */
#define REF_OTHER	0x80000000u
#define REF_SEQ_BITS	22
#define REF_SEQ_MAX	((1L << REF_SEQ_BITS) - 1)

static uint32_t ref_pack(int year, long seq)
{
	return (uint32_t)(year - 1900) << REF_SEQ_BITS | (uint32_t)seq;
}

/* "PREFIX-YYYY-" then the sequence in at least six digits, the way
 * add_case writes ids; returns the length. */
static size_t id_format(char *buf, const char *prefix, size_t plen, int year,
    long seq)
{
	char *p = buf;

	memcpy(p, prefix, plen);
	p += plen;
	*p++ = '-';
	p += num_put_uint(p, (unsigned long long)year, 4);
	*p++ = '-';
	p += num_put_uint(p, (unsigned long long)seq, 6);
	*p = '\0';
	return (size_t)(p - buf);
}

/* The reference of a store record's id: packed when writing it back
 * from year and sequence gives exactly the same text. */
static int ref_of_id(struct intake *in, const char *id, uint32_t *ref,
    struct err *e)
{
	size_t plen = in->plen, n = strlen(id), i;
	long year = 0, seq = 0;

	if (n >= plen + 12 && n <= plen + 13 &&
	    memcmp(id, in->o->prefix, plen) == 0 && id[plen] == '-' &&
	    id[plen + 5] == '-' && (n == plen + 12 || id[plen + 6] != '0')) {
		for (i = plen + 1; i < n; i++) {
			if (i == plen + 5)
				continue;
			if (id[i] < '0' || id[i] > '9')
				break;
			if (i < plen + 5)
				year = year * 10 + (id[i] - '0');
			else
				seq = seq * 10 + (id[i] - '0');
		}
		if (i == n && year >= 1900 && year < 2300 && seq <= REF_SEQ_MAX) {
			*ref = ref_pack((int)year, seq);
			return 0;
		}
	}
	if (in->other_ids.len > REF_OTHER - 1 - n)
		return err_set(e, "more case ids than case-add can remember");
	*ref = REF_OTHER | (uint32_t)in->other_ids.len;
	if (buf_add(&in->other_ids, id, n + 1) < 0)
		return err_nomem(e);
	return 0;
}

/* The text of a reference; valid until the next ref_text or ref_of_id. */
static const char *ref_text(struct intake *in, uint32_t ref)
{
	if (ref & REF_OTHER)
		return in->other_ids.p + (ref & ~REF_OTHER);
	id_format(in->idtext, in->o->prefix, in->plen,
	    (int)(ref >> REF_SEQ_BITS) + 1900, (long)(ref & REF_SEQ_MAX));
	return in->idtext;
}

/*
 * The fingerprint of an id number.  The usual 17 digits and a check
 * character are packed exactly (bit 62 set); anything else is hashed
 * (bit 63 set), so that a fingerprint collision needs two odd values.
 */
static uint64_t idno_fp(const char *s)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return fp_of(s, strlen(s)) | 1ULL << 63;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if ((s[17] < '0' || s[17] > '9') && s[17] != 'X')
		return fp_of(s, strlen(s)) | 1ULL << 63;
	if (s[18] != '\0')
		return fp_of(s, strlen(s)) | 1ULL << 63;
	return 1ULL << 62 | (v * 11 + (uint64_t)(s[17] == 'X' ? 10 : s[17] - '0'));
}

/* The fingerprint of "name\037employer", or 0 when either is missing or
 * the pair is 1 KiB or longer (as before fingerprints: not worth a
 * duplicate check). */
static uint64_t name_fp(const char *name, const char *employer)
{
	char k[1024];
	size_t a, b;

	if (name == NULL || employer == NULL)
		return 0;
	a = strlen(name);
	b = strlen(employer);
	if (a + 1 + b >= sizeof k)
		return 0;
	memcpy(k, name, a);
	k[a] = '\037';
	memcpy(k + a + 1, employer, b);
	return fp_of(k, a + 1 + b);
}

/* Note an open case of the store for duplicate checks. */
static int remember_open(struct intake *in, const struct rec *r, struct err *e)
{
	const char *id = rec_get(r, "id"), *idno = rec_get_nonempty(r, "claimant.id_no");
	uint64_t key[DUPINDEX_KEYS];
	uint32_t ref = 0;

	if (id == NULL)
		return 0;
	if (ref_of_id(in, id, &ref, e) < 0)
		return -1;
	key[K_IDNO] = idno != NULL ? idno_fp(idno) : 0;
	key[K_NAME] = name_fp(rec_get_nonempty(r, "claimant.name"),
	    rec_get_nonempty(r, "employer.name"));
	return dupindex_note(&in->dup, key, ref, NULL, e) < 0 ? -1 : 0;
}

/* The highest sequence per year of ids "PREFIX-YYYY-NNNNNN". */
static void remember_seq(struct intake *in, const char *id)
{
	size_t plen = in->plen;
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

/*
 * Source ids are matched exactly: a false "already in store" would drop
 * a case without a word.  Three tables hold them, and an id's text
 * alone says which may hold it:
 *   - ids numbered in order ("WX20240001", fpseq_key) are bits in a
 *     bitmap of their family, when it covers their number well;
 *   - other ids that fp_pack packs (and those the bitmaps turn away)
 *     are their own exact fingerprint in a set of those;
 *   - any other id is hashed: that map holds fingerprints and the
 *     offset of each id in sid_keys, and a fingerprint that matches is
 *     confirmed by comparing the ids.
 * fpseq_has says when a bitmap's family may have left an id to the
 * other two.
 */

static void sid_fp(struct sidkey *k)
{
	if (!k->has_fp) {
		if ((k->packed = fp_pack(k->s, k->n, &k->fp)) == 0)
			k->fp = fp_of(k->s, k->n);
		k->has_fp = 1;
	}
}

/* Look at a source id: where it may be, and for the other tables its
 * fingerprint, whose probe is started (one_row checks the row before it
 * needs the answer). */
static void sid_key(struct intake *in, struct sidkey *k, const char *s,
    size_t n)
{
	k->s = s;
	k->n = n;
	k->has_fp = 0;
	k->seq = fpseq_key(s, n, &k->code, &k->num);
	k->state = k->seq ? fpseq_has(&in->sid_seq, k->code, k->num) :
	    FPSEQ_ASK;
	if (k->state != FPSEQ_ASK)
		return;
	sid_fp(k);
	if (k->packed)
		fpset_prefetch(&in->sid_packed, k->fp);
	else
		fpmap_prefetch(&in->source_ids, k->fp);
}

/* The packed set and the hashed map: 1 when the id is there, 0 when not
 * (and, with add, now remembered), -1 on error. */
static int other_seen(struct intake *in, struct sidkey *k, int add,
    struct err *e)
{
	struct fpmap *m = &in->source_ids;
	size_t i;
	int rc;

	sid_fp(k);
	if (k->packed) {
		if (!add)
			return fpset_has(&in->sid_packed, k->fp);
		if ((rc = fpset_add(&in->sid_packed, k->fp)) < 0)
			return err_nomem(e);
		return rc;
	}
	if (add && fpmap_reserve(m) < 0)
		return err_nomem(e);
	if (m->cap == 0)
		return 0;
	for (i = fpmap_home(m, k->fp); fpmap_next(m, k->fp, &i); i++)
		if (strcmp(in->sid_keys.p + fpmap_val(m, i), k->s) == 0)
			return 1;
	if (!add)
		return 0;
	if (in->sid_keys.len > UINT32_MAX - k->n - 1)
		return err_set(e, "more source ids than case-add can remember");
	if (buf_add(&in->sid_keys, k->s, k->n + 1) < 0)
		return err_nomem(e);
	fpmap_fill(m, i, k->fp, (uint32_t)(in->sid_keys.len - k->n - 1));
	return 0;
}

/* 1 when the id is known (from the store or this run), else 0. */
static int sid_known(struct intake *in, struct sidkey *k)
{
	if (k->state != FPSEQ_ASK)
		return k->state == FPSEQ_YES;
	return other_seen(in, k, 0, NULL) > 0;
}

/* Remember an id sid_known did not know: 0, or -1 on error. */
static int sid_add(struct intake *in, struct sidkey *k, struct err *e)
{
	int rc;

	if (k->seq) {
		if ((rc = fpseq_add(&in->sid_seq, k->code, k->num)) < 0)
			return err_nomem(e);
		if (rc > 0)
			return 0;
	}
	return other_seen(in, k, 1, e) < 0 ? -1 : 0;
}

static int learn(struct intake *in, const struct rec *r, struct err *e)
{
	const char *id = rec_get(r, "id"), *status = rec_get(r, "status");
	const char *sid = rec_get_nonempty(r, "source_id");
	struct sidkey k;

	if (id != NULL)
		remember_seq(in, id);
	if (sid != NULL) {
		sid_key(in, &k, sid, strlen(sid));
		if (!sid_known(in, &k) && sid_add(in, &k, e) < 0)
			return -1;
	}
	if (status != NULL && strcmp(status, "closed") != 0)
		return remember_open(in, r, e);
	return 0;
}

/*
 * Sizing the tables ahead.  Growing a table by doubling moves every
 * entry each time, and faults in twice the memory it ends with.  When an
 * input is a plain file its size is known (in_bytes_total), so after its
 * first PLAN_ROWS rows (or records of the store) the rows still to come
 * are estimated from their average length, and each table is given room
 * at once for what it gained per row so far times those rows, plus a
 * tenth.  This is only a hint: a table keeps growing by itself when the
 * estimate was short (rows that grow longer, GB18030 that decodes into
 * more bytes than the file holds), and one that cannot be had now is
 * left to grow later.  stdin and gzip inputs have no size and grow as
 * they go.
 */
#define PLAN_ROWS 1000

enum { T_SID_PACKED, T_SID_HASHED, T_IDNO, T_NAME, NTABLES };

struct plan {
	long long rows, bytes;		/* read so far, up to PLAN_ROWS */
	size_t n0[NTABLES];		/* the tables' entries before them */
};

static size_t table_n(const struct intake *in, int t)
{
	switch (t) {
	case T_SID_PACKED:
		return in->sid_packed.n;
	case T_SID_HASHED:
		return in->source_ids.n;
	case T_IDNO:
		return dupindex_keys(&in->dup, K_IDNO);
	default:
		return dupindex_keys(&in->dup, K_NAME);
	}
}

static void plan_start(const struct intake *in, struct plan *p)
{
	int t;

	p->rows = p->bytes = 0;
	for (t = 0; t < NTABLES; t++)
		p->n0[t] = table_n(in, t);
}

/* After each row (or store record) of src: at the PLAN_ROWS-th, size the
 * tables for the rest of src.  -1 only when the duplicate checks could
 * not read their log back. */
static int plan_row(struct intake *in, struct plan *p,
    const struct input *src, struct err *e)
{
	long long total;
	double left, want;
	size_t now;
	int t;

	if (p->rows >= PLAN_ROWS)
		return 0;
	p->bytes += (long long)in->in.raw.len + 1;	/* and its line end */
	if (++p->rows < PLAN_ROWS || (total = in_bytes_total(src)) <= 0)
		return 0;
	left = (double)total * (double)p->rows / (double)p->bytes -
	    (double)p->rows;
	for (t = 0; t < NTABLES && left >= 1; t++) {
		now = table_n(in, t);
		want = (double)now + (double)(now - p->n0[t]) * left /
		    (double)p->rows * 1.1;
		if (want < (double)now + 1 || want > (double)(SIZE_MAX / 2))
			continue;
		/* a table that cannot be had now grows as it fills */
		if (t == T_SID_PACKED)
			(void)fpset_reserve_n(&in->sid_packed, (size_t)want);
		else if (t == T_SID_HASHED)
			(void)fpmap_reserve_n(&in->source_ids, (size_t)want);
		else if (t == T_IDNO &&
		    dupindex_reserve(&in->dup, K_IDNO, (size_t)want, e) < 0)
			return -1;
	}
	return 0;
}

/* Copy the store into the new version while learning from it; a line of
 * the store that is not a record stops everything: writing the store
 * back without it would lose it. */
static int read_store(struct intake *in, const char *path, struct err *e)
{
	struct in_opts io = store_in_opts;
	struct input *src;
	struct plan plan;
	int rc;

	if ((src = in_open(path, &io, e)) == NULL)
		return -1;
	plan_start(in, &plan);
	while ((rc = in_next(src, &in->in, e)) == IN_REC) {
		progress_tick(in->o->progress, ++in->read,
		    in->bytes + in_bytes_done(src));
		if (learn(in, &in->in, e) < 0 ||
		    out_rec(in->outp, &in->in, e) < 0 ||
		    plan_row(in, &plan, src, e) < 0) {
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

/* The record's "file:line" into note, as rec_where writes it (at most
 * 511 bytes), without its printf. */
static int where_of(const struct rec *r, struct buf *note, struct err *e)
{
	char num[24];
	size_t n = num_put_uint(num, r->line, 0);

	buf_reset(note);
	if (buf_adds(note, r->file != NULL ? r->file : "-") < 0 ||
	    buf_addc(note, ':') < 0 || buf_add(note, num, n) < 0)
		return err_nomem(e);
	if (note->len > 511) {
		note->len = 511;
		note->p[511] = '\0';
	}
	return 0;
}

static int where(struct intake *in, struct err *e)
{
	return where_of(&in->in, &in->note, e);
}

/* The name of the input being read, as its history notes give it. */
static const char *name_of(const struct intake *in)
{
	return in->in.file != NULL ? in->in.file : "-";
}

/* The entry case-add writes: the case happened when it was received
 * and was recorded by this run (--now). */
static struct rec_step intake_step(const struct intake *in)
{
	struct rec_step s;

	s.at = in->recv;
	s.recorded = in->now;
	s.cmd = "case-add";
	s.by = NULL;
	s.note = in->note.p;
	return s;
}

/*
 * The new record's history: one entry, {at: received_at, recorded_at:
 * --now, cmd: case-add, to: new, note: "file:line"}, as rec_history_add
 * writes it.  Only received_at and the line change from row to row, so
 * rec_history_add writes the entry once per input, with an empty "at"
 * and line 1, and the text between them is kept: a row's history is
 * '[{"at":"', its received_at, that text, its line and '"}]'.  Neither
 * an RFC 3339 time nor digits are ever escaped in JSON, so this is what
 * rec_history_add would write.  A name so long that where() cuts the
 * note short goes the slow way.
 */
#define HIST_HEAD	"[{\"at\":\""

static int history_template(struct intake *in, struct err *e)
{
	struct rec_step step;
	struct rec r;
	const char *h;
	size_t n, head = sizeof HIST_HEAD - 1;
	int rc;

	mem_free(in->hist_file);
	if ((in->hist_file = mem_strdup(name_of(in))) == NULL)
		return err_nomem(e);
	in->hist_ok = 0;
	buf_reset(&in->hist);
	if (strlen(name_of(in)) > 400)
		return 0;
	rec_init(&r);
	r.file = in->in.file;
	r.line = 1;
	rc = where_of(&r, &in->note, e);
	step = intake_step(in);
	step.at = "";
	if (rc == 0)
		rc = rec_history_add(&r, NULL, "new", &step, e);
	h = rc == 0 ? rec_get(&r, "history") : NULL;
	n = h != NULL ? strlen(h) : 0;
	if (n > head + 4 && memcmp(h, HIST_HEAD, head) == 0 &&
	    memcmp(h + n - 4, "1\"}]", 4) == 0) {
		if (buf_add(&in->hist, h + head, n - 4 - head) < 0)
			rc = err_nomem(e);
		else
			in->hist_ok = 1;
	}
	rec_free(&r);
	return rc;
}

static int history(struct intake *in, struct err *e)
{
	struct buf *b = &in->hrow;
	struct rec_step step;

	if ((in->hist_file == NULL || strcmp(in->hist_file, name_of(in)) != 0) &&
	    history_template(in, e) < 0)
		return -1;
	if (!in->hist_ok) {
		if (where(in, e) < 0)
			return -1;
		step = intake_step(in);
		return rec_history_add(&in->out, NULL, "new", &step, e);
	}
	buf_reset(b);
	if (buf_reserve(b, sizeof HIST_HEAD + sizeof in->recv + in->hist.len +
	    24 + 3) < 0)
		return err_nomem(e);
	(void)buf_adds(b, HIST_HEAD);
	(void)buf_adds(b, in->recv);
	(void)buf_add(b, in->hist.p, in->hist.len);
	b->len += num_put_uint(b->p + b->len, in->in.line, 0);
	(void)buf_add(b, "\"}]", 3);
	return put(in, O_HISTORY, REC_RAW, b->p, b->len, e);
}

static int add_case(struct intake *in, char **cell, struct err *e)
{
	uint64_t key[DUPINDEX_KEYS];
	uint32_t ref = 0, prev = 0;
	int had;

	if (in->cseq <= REF_SEQ_MAX)
		ref = ref_pack(in->year, in->cseq);
	else if (ref_of_id(in, in->idtext, &ref, e) < 0)
		return -1;
	/* one_row's fingerprint holds unless it was hashed: the id number
	 * may have had a lower-case x, upcased since */
	key[K_IDNO] = cell[F_IDNO] == NULL ? 0 : in->fp_idno >> 63 ?
	    idno_fp(cell[F_IDNO]) : in->fp_idno;
	key[K_NAME] = in->fp_name;
	if ((had = dupindex_note(&in->dup, key, ref, &prev, e)) < 0)
		return -1;
	if (had) {
		in->st->flagged++;
		const char *dup = ref_text(in, prev);

		if (put(in, O_DUP, REC_STR, dup, strlen(dup), e) < 0)
			return -1;
	}
	if (history(in, e) < 0)
		return -1;
	if (cell[F_SOURCE_ID] != NULL && sid_add(in, &in->sid, e) < 0)
		return -1;
	if (out_rec(in->outp, &in->out, e) < 0)
		return -1;
	in->st->added++;
	return 0;
}

static int one_row(struct intake *in, struct err *e)
{
	char *cell[NFIELDS];
	struct row w;
	char reason[sizeof e->msg + 600];
	int rc;

	if (gather(in, cell, e) > 0) {
		snprintf(reason, sizeof reason, "%s: %s", rec_where(&in->in), e->msg);
		return reject(in, reason, e);
	}
	/*
	 * The three probes of the row are cache (and TLB) misses: start them
	 * together, so that they overlap each other, and check the row
	 * before the first probe needs its answer.  Checking a row that
	 * turns out to be in the store already changes nothing: it is
	 * counted as known, whatever the check said, as it always was.  (An
	 * id number with a lower-case x is upcased by the check and probed
	 * again.)
	 */
	if (cell[F_IDNO] != NULL)
		in->fp_idno = idno_fp(cell[F_IDNO]);
	in->fp_name = name_fp(cell[F_NAME], cell[F_EMPLOYER]);
	if (cell[F_SOURCE_ID] != NULL)
		sid_key(in, &in->sid, cell[F_SOURCE_ID], in->clen[F_SOURCE_ID]);
	if (cell[F_IDNO] != NULL)
		dupindex_prefetch(&in->dup, K_IDNO, in->fp_idno);
	if (in->fp_name != 0)
		dupindex_prefetch(&in->dup, K_NAME, in->fp_name);
	rc = check(in, cell, &w, e);
	if (cell[F_SOURCE_ID] != NULL && sid_known(in, &in->sid)) {
		in->st->known++;
		return 0;
	}
	if (rc == 0 && (rc = fill(in, cell, &w, e)) == 0)
		rc = add_case(in, cell, e);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		snprintf(reason, sizeof reason, "%s: %s", rec_where(&in->in), e->msg);
		return reject(in, reason, e);
	}
	return 0;
}

/* " and N more" when the list of unused names is cut short, else "". */
static const char *unused_more(const struct intake *in, char *buf,
    size_t size)
{
	*buf = '\0';
	if (in->unused_more > 0)
		snprintf(buf, size, "%s%ld more", in->unused_list.len ?
		    " and " : "", in->unused_more);
	return buf;
}

/* Say once per input which columns (CSV) or keys (JSON-lines) case-add
 * does not use. */
static void say_unused(struct intake *in)
{
	char more[64];

	if (in->unused_list.len == 0 && in->unused_more == 0)
		return;
	say(in, "%s: %s not used: %s%s (see --map)", in_name(in->cur),
	    in_header(in->cur, NULL) != NULL ? "columns" : "keys",
	    in->unused_list.len ? in->unused_list.p : "",
	    unused_more(in, more, sizeof more));
}

/*
 * The field of each column of a CSV input (none for JSON), and its
 * unused columns noted.  A header none of whose columns is an intake
 * field is an error: every row would be rejected for want of a name and
 * an employer, or a header-only file would add nothing without a word;
 * most likely the file is not an intake table, or --map is missing.
 */
static int map_columns(struct intake *in, const struct input *src,
    struct err *e)
{
	const char *const *h;
	size_t n = 0, i, used = 0;
	char more[64];

	mem_free(in->colfield);
	in->colfield = NULL;
	in->ncol = 0;
	unused_reset(in);
	if ((h = in_header(src, &n)) == NULL || n == 0)
		return 0;
	if ((in->colfield = mem_calloc(n, sizeof *in->colfield)) == NULL)
		return err_nomem(e);
	for (i = 0; i < n; i++) {
		char key[256], *k;

		if ((in->colfield[i] = column_field(in, h[i])) >= 0) {
			used++;
			continue;
		}
		snprintf(key, sizeof key, "%s", h[i]);
		k = trim(key);
		note_unused(in, k);
	}
	in->ncol = n;
	if (used == 0)
		return err_set(e, "%s: no column is an intake field (columns: "
		    "%s%s; see --map)", in_name(src), in->unused_list.p ?
		    in->unused_list.p : "", unused_more(in, more, sizeof more));
	return 0;
}

/* Open an input and check its header.  NULL with e on error. */
static struct input *open_input(struct intake *in, const char *path,
    struct err *e)
{
	struct in_opts io = in->o->cli->in;
	struct input *src;

	io.typed = 0;
	if ((src = in_open(path, &io, e)) == NULL)
		return NULL;
	if (map_columns(in, src, e) < 0) {
		in_close(src);
		return NULL;
	}
	return src;
}

static int read_input(struct intake *in, const char *path,
    struct input *src, struct err *e)
{
	struct plan plan;
	long long rows = 0;
	int rc;

	if (src == NULL ? (src = open_input(in, path, e)) == NULL :
	    map_columns(in, src, e) < 0) {
		in_close(src);
		return -1;
	}
	in->cur = src;
	rej_input(in->rej, in->o->cli->out.excel,
	    in_encoding(src) == ENC_GB18030 || in_bom(src));
	plan_start(in, &plan);
	while ((rc = in_next(src, &in->in, e)) != IN_EOF) {
		/* a CSV's columns are known from its header: said before its
		 * rows' rejects; a JSON input's keys after its last line */
		if (rows == 0 && in_header(src, NULL) != NULL &&
		    !in->o->cli->quiet)
			say_unused(in);
		if (rc == IN_FATAL)
			break;
		progress_tick(in->o->progress, ++in->read,
		    in->bytes + in_bytes_done(src));
		in->st->rows++;		/* a bad one too: it is rejected */
		rows++;
		if ((rc == IN_BAD ? reject(in, e->msg, e) : one_row(in, e)) < 0 ||
		    plan_row(in, &plan, src, e) < 0) {
			rc = IN_FATAL;
			break;
		}
	}
	if (rc == IN_EOF && in_header(src, NULL) == NULL && !in->o->cli->quiet)
		say_unused(in);
	if (rc == IN_EOF && rows == 0 && !in->o->cli->quiet)
		say(in, "%s: no rows", in_name(src));
	in->bytes += in_bytes_done(src);
	in_close(src);
	in->cur = NULL;
	return rc == IN_EOF ? 0 : -1;
}

/*
 * Before the store is locked, or anything is written: open every input
 * and check its header (in_open: duplicate or too many columns, UTF-16,
 * ...; map_columns: no intake field), so that a bad input costs neither
 * a wait on the lock nor a half-written output.  A regular file is
 * closed again and reopened in its turn; what cannot be read twice
 * (standard input, a pipe) is kept open in in->pre.
 */
static int precheck(struct intake *in, char **files, int nfiles,
    struct err *e)
{
	char stdin_name[] = "-", *dash[1];
	char *const *f = nfiles == 0 ? dash : files;
	int i, n = nfiles == 0 ? 1 : nfiles, stdin_seen = 0;
	struct input *src;

	dash[0] = stdin_name;
	if ((in->pre = mem_calloc((size_t)n, sizeof *in->pre)) == NULL)
		return err_nomem(e);
	for (i = 0; i < n; i++) {
		/* standard input named again is read in its turn, as its
		 * rest: opened ahead, it would take bytes from the first */
		if (strcmp(f[i], "-") == 0 && stdin_seen++)
			continue;
		if ((src = open_input(in, f[i], e)) == NULL)
			return -1;
		if (in_rereadable(src))
			in_close(src);
		else
			in->pre[i] = src;
	}
	return 0;
}

static int read_inputs(struct intake *in, char **files, int nfiles,
    struct err *e)
{
	int i, rc = 0;

	if (nfiles == 0) {
		rc = read_input(in, "-", in->pre[0], e);
		in->pre[0] = NULL;
		return rc;
	}
	for (i = 0; i < nfiles; i++) {
		struct input *src = in->pre[i];

		in->pre[i] = NULL;	/* read_input closes it */
		if (rc == 0 && read_input(in, files[i], src, e) < 0)
			rc = -1;
		else if (rc < 0)
			in_close(src);
	}
	return rc;
}

static int run_store(struct intake *in, char **files, int nfiles,
    struct err *e)
{
	const struct cli *c = in->o->cli;
	struct out_opts oo = c->out;
	struct store *s;
	int rc = -1;

	oo.format = FMT_JSONL;	/* a store is JSON-lines whatever --to says */
	if (precheck(in, files, nfiles, e) < 0 ||
	    (s = store_lock(c->store, e)) == NULL)
		return -1;
	if ((in->outp = store_begin(s, &oo, e)) != NULL &&
	    (!store_exists(s) || read_store(in, store_path(s), e) == 0) &&
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

	if (precheck(in, files, nfiles, e) < 0 ||
	    (in->outp = out_open(in->o->cli->output, &in->o->cli->out, e)) == NULL)
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

static void intake_free(struct intake *in, int nfiles)
{
	size_t f;
	int i;

	for (i = 0; in->pre != NULL && i < (nfiles ? nfiles : 1); i++)
		in_close(in->pre[i]);
	mem_free(in->pre);
	strmap_free(&in->unused);
	buf_free(&in->unused_list);
	strmap_free(&in->columns);
	strmap_free(&in->enum_cache[0]);
	strmap_free(&in->enum_cache[1]);
	mem_free(in->colfield);
	fpseq_free(&in->sid_seq);
	fpset_free(&in->sid_packed);
	fpmap_free(&in->source_ids);
	dupindex_free(&in->dup);
	buf_free(&in->sid_keys);
	buf_free(&in->other_ids);
	buf_free(&in->note);
	buf_free(&in->hist);
	buf_free(&in->hrow);
	mem_free(in->hist_file);
	for (f = 0; f < NFIELDS; f++)
		mem_free(in->setv[f]);
	mem_free(in->idtext);
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
	dupindex_init(&in.dup);
	tf_format(in.now, sizeof in.now, o->cli->now);
	in.plen = strlen(o->prefix);
	if ((in.idtext = mem_alloc(in.plen + 32)) == NULL) {
		intake_free(&in, nfiles);
		return err_nomem(e);
	}
	if (build_columns(&in, e) < 0 || learn_ranks(&in, e) < 0) {
		intake_free(&in, nfiles);
		return -1;
	}
	if (o->cli->rejects != NULL && (in.rej = rej_open(o->cli->rejects, e)) == NULL) {
		intake_free(&in, nfiles);
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
	intake_free(&in, nfiles);
	return rc;
}
