/*
 * record.c - the case record: fields in an arena, canonical order,
 * the history trail.  See record.h.
 *
 * Every key and value is copied into one growing arena per record, NUL
 * terminated, and addressed by offset so the arena may move.  The reader
 * clears and refills the same record for every line, so after the first
 * few records no allocation happens at all.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsonio.h"
#include "mem.h"
#include "record.h"

const struct rec_schema rec_canonical[] = {
	{ "id",			REC_STR, "案件编号" },
	{ "source_id",		REC_STR, "来源编号" },
	{ "received_at",	REC_STR, "受理时间" },
	{ "channel",		REC_STR, "渠道" },
	{ "type",		REC_STR, "案由" },
	{ "claimant.name",	REC_STR, "申请人" },
	{ "claimant.id_no",	REC_STR, "身份证号" },
	{ "claimant.phone",	REC_STR, "联系电话" },
	{ "workers",		REC_NUM, "涉及人数" },
	{ "employer.name",	REC_STR, "用人单位" },
	{ "employer.credit_code", REC_STR, "统一社会信用代码" },
	{ "grid",		REC_STR, "网格" },
	{ "amount",		REC_NUM, "涉及金额" },
	{ "summary",		REC_STR, "诉求" },
	{ "status",		REC_STR, "状态" },
	{ "track",		REC_STR, "处理方式" },
	{ "desk",		REC_STR, "承办科室" },
	{ "assignee",		REC_STR, "承办人" },
	{ "priority",		REC_STR, "优先级" },
	{ "due_at",		REC_STR, "办结期限" },
	{ "agreement.amount",	REC_NUM, "协议金额" },
	{ "agreement.at",	REC_STR, "协议日期" },
	{ "agreement.by",	REC_STR, "调解员" },
	{ "agreement.terms",	REC_STR, "协议内容" },
	{ "confirmation.court",	REC_STR, "确认法院" },
	{ "confirmation.ruling", REC_STR, "裁定书号" },
	{ "confirmation.applied_at", REC_STR, "申请确认日期" },
	{ "confirmation.at",	REC_STR, "司法确认日期" },
	{ "confirmation.late",	REC_RAW, "逾期申请确认" },
	{ "enforcement.at",	REC_STR, "申请执行日期" },
	{ "enforcement.court",	REC_STR, "执行法院" },
	{ "enforcement.note",	REC_STR, "执行说明" },
	{ "resolution",		REC_STR, "结案方式" },
	{ "closed_at",		REC_STR, "结案时间" },
	{ "possible_duplicate_of", REC_STR, "疑似重复" },
	/* law.h: the last day of each deadline that applies, in the law
	 * table's order; a station's own rules sort after these */
	{ "deadlines.mediation_limit", REC_STR, "调解期限" },
	{ "deadlines.payment_order", REC_STR, "支付令申请期限" },
	{ "deadlines.arbitration_limitation", REC_STR, "仲裁时效" },
	{ "deadlines.arbitration_acceptance", REC_STR, "仲裁受理期限" },
	{ "deadlines.arbitration_award", REC_STR, "仲裁裁决期限" },
	{ "deadlines.award_extension", REC_STR, "裁决延长期限" },
	{ "deadlines.judicial_confirmation", REC_STR, "司法确认申请期限" },
	{ "deadlines.arbitral_review", REC_STR, "仲裁审查申请期限" },
	{ "deadlines.inspection_acceptance", REC_STR, "投诉受理期限" },
	{ "deadlines.inspection_investigation", REC_STR, "调查处理期限" },
	{ "deadlines.inspection_extension", REC_STR, "调查延长期限" },
	{ "deadlines.station_key", REC_STR, "重点事项办结时限" },
	{ "deadlines.station_general", REC_STR, "一般事项办结时限" },
	{ "history",		REC_RAW, "处理记录" },
};
const size_t rec_ncanonical = sizeof rec_canonical / sizeof rec_canonical[0];

/*
 * Rank lookup.  A small open-addressing hash over the canonical keys and
 * their group prefixes ("claimant"), built on first use: rec_sort runs on
 * every record written, so a linear strcmp scan would cost more than the
 * rest of the write.
 */
#define RANK_SLOTS 256
#define RANK_STEP 64		/* room for unknown keys inside a group */

static struct {
	const char *key;
	size_t klen;
	int rank;
} rank_tab[RANK_SLOTS];
static int rank_ready;

/* The length and three bytes tell the canonical keys and groups apart
 * well enough (the table is a quarter full); hashing every byte cost more
 * than the probing it saves. */
static unsigned hash(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	return (unsigned)n * 97u + (unsigned char)s[0] * 31u +
	    (unsigned char)s[n - 1] * 7u + (unsigned char)s[n / 2] * 3u;
}

static void rank_put(const char *key, size_t klen, int rank)
{
	unsigned i = hash(key, klen) % RANK_SLOTS;

	while (rank_tab[i].key != NULL) {
		if (rank_tab[i].klen == klen && memcmp(rank_tab[i].key, key, klen) == 0) {
			/* a group: the rank of its last member + 1 */
			if (rank > rank_tab[i].rank)
				rank_tab[i].rank = rank;
			return;
		}
		i = (i + 1) % RANK_SLOTS;
	}
	rank_tab[i].key = key;
	rank_tab[i].klen = klen;
	rank_tab[i].rank = rank;
}

static int rank_get(const char *key, size_t klen)
{
	unsigned i = hash(key, klen) % RANK_SLOTS;

	while (rank_tab[i].key != NULL) {
		if (rank_tab[i].klen == klen && rank_tab[i].key[0] == key[0] &&
		    memcmp(rank_tab[i].key, key, klen) == 0)
			return rank_tab[i].rank;
		i = (i + 1) % RANK_SLOTS;
	}
	return -1;
}

static void rank_init(void)
{
	size_t i;
	const char *dot;

	for (i = 0; i < rec_ncanonical; i++) {
		const char *k = rec_canonical[i].key;
		int r = (int)i * RANK_STEP;

		rank_put(k, strlen(k), r);
		if ((dot = strchr(k, '.')) != NULL)
			rank_put(k, (size_t)(dot - k), r + 1);
	}
	rank_ready = 1;
}

int rec_canonical_index(const char *key)
{
	size_t i;

	for (i = 0; i < rec_ncanonical; i++)
		if (strcmp(rec_canonical[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* Known key: its place.  Unknown key of a known group ("agreement.note"):
 * right after the group's known members.  Anything else: after all known
 * fields but before history, in input order (the sort is stable). */
static int rank_of(const char *key, size_t klen)
{
	const char *dot;
	int r;

	if (!rank_ready)
		rank_init();
	if ((r = rank_get(key, klen)) >= 0)
		return r;
	dot = memchr(key, '.', klen);
	if (dot != NULL && (r = rank_get(key, (size_t)(dot - key))) >= 0)
		return r;
	return (int)(rec_ncanonical - 1) * RANK_STEP - 1;
}

void rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
}

void rec_clear(struct rec *r)
{
	r->alen = 0;
	r->n = 0;
	r->line = 0;
	r->dirty = 0;
	r->rawfmt = 0;
	buf_reset(&r->raw);
}

void rec_free(struct rec *r)
{
	mem_free(r->arena);
	mem_free(r->f);
	buf_free(&r->raw);
	rec_init(r);
}

/* Room for need bytes in the arena. */
static int arena_grow(struct rec *r, size_t need)
{
	size_t cap = r->acap ? r->acap : 1024;
	char *p;

	while (cap < need)
		cap *= 2;
	if ((p = mem_realloc(r->arena, cap)) == NULL)
		return -1;
	r->arena = p;
	r->acap = cap;
	return 0;
}

/* Copy s (n bytes) plus a NUL into the arena; its offset in *off. */
static int arena_put(struct rec *r, const char *s, size_t n, size_t *off)
{
	size_t need = r->alen + n + 1;

	if ((r->arena == NULL || need > r->acap) && arena_grow(r, need) < 0)
		return -1;
	if (n)
		memcpy(r->arena + r->alen, s, n);
	r->arena[r->alen + n] = '\0';
	*off = r->alen;
	r->alen = need;
	return 0;
}

int rec_add(struct rec *r, const char *key, size_t klen, int type,
    const char *val, size_t vlen, struct err *e)
{
	struct rec_field *f;
	size_t need = r->alen + klen + vlen + 2;
	char *a;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;

		if ((f = mem_realloc(r->f, cap * sizeof *f)) == NULL)
			return err_nomem(e);
		r->f = f;
		r->cap = cap;
	}
	/* the reader calls this for every field: one check for room for
	 * both strings, then two copies */
	if ((r->arena == NULL || need > r->acap) && arena_grow(r, need) < 0)
		return err_nomem(e);
	f = &r->f[r->n];
	a = r->arena + r->alen;
	if (klen)
		memcpy(a, key, klen);
	a[klen] = '\0';
	if (vlen)
		memcpy(a + klen + 1, val, vlen);
	a[klen + 1 + vlen] = '\0';
	f->key = r->alen;
	f->val = r->alen + klen + 1;
	r->alen = need;
	f->klen = klen;
	f->vlen = vlen;
	f->type = type;
	f->rank = -1;
	r->n++;
	r->dirty = 1;
	return 0;
}

int rec_findn(const struct rec *r, const char *key, size_t klen)
{
	const struct rec_field *f = r->f;
	size_t i;

	if (r->arena == NULL)
		return -1;	/* no arena, no fields (rec_init) */
	/* length and first byte settle almost every miss without a call */
	for (i = 0; i < r->n; i++)
		if (f[i].klen == klen && (klen == 0 ||
		    (r->arena[f[i].key] == key[0] &&
		    memcmp(r->arena + f[i].key, key, klen) == 0)))
			return (int)i;
	return -1;
}

/* Give field i a new value: in place when it fits, else at the end of
 * the arena. */
static int set_at(struct rec *r, size_t i, int type, const char *val,
    size_t vlen, struct err *e)
{
	struct rec_field *f = &r->f[i];
	size_t off;

	if (vlen <= f->vlen) {
		/* fits where the old value was: no arena growth (and an empty
		 * value may come as NULL: nothing to move then) */
		if (vlen > 0)
			memmove(r->arena + f->val, val, vlen);
		r->arena[f->val + vlen] = '\0';
	} else {
		if (arena_put(r, val, vlen, &off) < 0)
			return err_nomem(e);
		f = &r->f[i];
		f->val = off;
	}
	f->vlen = vlen;
	f->type = type;
	r->dirty = 1;
	return 0;
}

int rec_setn(struct rec *r, const char *key, size_t klen, int type,
    const char *val, size_t vlen, struct err *e)
{
	int i = rec_findn(r, key, klen);

	if (i < 0)
		return rec_add(r, key, klen, type, val, vlen, e);
	return set_at(r, (size_t)i, type, val, vlen, e);
}

int rec_sets(struct rec *r, const char *key, const char *s, struct err *e)
{
	return rec_set(r, key, REC_STR, s, strlen(s), e);
}

int rec_setf(struct rec *r, const char *key, int type, struct err *e,
    const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n, rc;
	char *big;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err_set(e, "%s: cannot format value", key);
	if ((size_t)n < sizeof small)
		return rec_set(r, key, type, small, (size_t)n, e);
	if ((big = mem_alloc((size_t)n + 1)) == NULL)
		return err_nomem(e);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = rec_set(r, key, type, big, (size_t)n, e);
	mem_free(big);
	return rc;
}

static void remove_at(struct rec *r, size_t i)
{
	memmove(&r->f[i], &r->f[i + 1], (r->n - i - 1) * sizeof r->f[0]);
	r->n--;
	r->dirty = 1;
}

void rec_del(struct rec *r, const char *key)
{
	int i = rec_find(r, key);

	if (i >= 0)
		remove_at(r, (size_t)i);
}

void rec_del_group(struct rec *r, const char *prefix)
{
	size_t i = 0, plen = strlen(prefix);

	while (i < r->n) {
		const char *k = r->arena + r->f[i].key;
		size_t klen = r->f[i].klen;

		if (klen >= plen && (klen == plen || k[plen] == '.') &&
		    memcmp(k, prefix, plen) == 0)
			remove_at(r, i);
		else
			i++;
	}
}

const char *rec_key(const struct rec *r, size_t i)
{
	return r->arena + r->f[i].key;
}

const char *rec_val(const struct rec *r, size_t i)
{
	return r->arena + r->f[i].val;
}

/* The arena and the field array as they are, in two copies: offsets
 * stay valid, and case-route keeps a copy of every record it routes. */
int rec_copy(struct rec *dst, const struct rec *src, struct err *e)
{
	rec_clear(dst);
	if (src->n > dst->cap) {
		struct rec_field *f = mem_realloc(dst->f, src->n * sizeof *f);

		if (f == NULL)
			return err_nomem(e);
		dst->f = f;
		dst->cap = src->n;
	}
	if ((dst->arena == NULL || src->alen > dst->acap) &&
	    arena_grow(dst, src->alen) < 0)
		return err_nomem(e);
	if (src->n)
		memcpy(dst->f, src->f, src->n * sizeof *src->f);
	if (src->alen)
		memcpy(dst->arena, src->arena, src->alen);
	dst->n = src->n;
	dst->alen = src->alen;
	if (src->raw.len && buf_add(&dst->raw, src->raw.p, src->raw.len) < 0)
		return err_nomem(e);
	dst->file = src->file;
	dst->line = src->line;
	dst->rawfmt = src->rawfmt;
	dst->dirty = src->dirty;
	return 0;
}

/* Stable insertion sort by rank: records read from a store are already
 * in order, so this is one pass. */
void rec_sort(struct rec *r)
{
	size_t i, j;

	for (i = 0; i < r->n; i++)
		if (r->f[i].rank < 0)
			r->f[i].rank = rank_of(r->arena + r->f[i].key, r->f[i].klen);
	for (i = 1; i < r->n; i++) {
		struct rec_field t = r->f[i];

		for (j = i; j > 0 && r->f[j - 1].rank > t.rank; j--)
			r->f[j] = r->f[j - 1];
		r->f[j] = t;
	}
}

static int add_member(struct buf *b, const char *key, const char *val)
{
	if (val == NULL)
		return 0;
	return buf_addc(b, ',') < 0 || jsonio_string(b, key, strlen(key)) < 0 ||
	    buf_addc(b, ':') < 0 || jsonio_string(b, val, strlen(val)) < 0 ? -1 : 0;
}

int rec_history_add(struct rec *r, const char *from, const char *to,
    const struct rec_step *s, struct err *e)
{
	/* scratch for the new array, reused (lib is single-threaded): every
	 * changed record gets an entry */
	static struct buf b;
	int i = rec_find(r, "history");
	const char *old = NULL;
	size_t olen = 0;

	buf_reset(&b);
	if (i >= 0 && r->f[i].type == REC_RAW) {
		old = r->arena + r->f[i].val;
		olen = r->f[i].vlen;
	}
	/* the old array minus its closing bracket, then the new entry */
	if (old != NULL && olen >= 2 && old[0] == '[') {
		while (olen > 1 && old[olen - 1] != ']')
			olen--;
		olen--;		/* drop ']' */
		while (olen > 1 && (old[olen - 1] == ' ' || old[olen - 1] == '\n'))
			olen--;
		if (buf_add(&b, old, olen) < 0 ||
		    (olen > 1 && buf_addc(&b, ',') < 0))
			return err_nomem(e);
	} else if (buf_addc(&b, '[') < 0)
		return err_nomem(e);
	if (buf_adds(&b, "{\"at\":") < 0 ||
	    jsonio_string(&b, s->at, strlen(s->at)) < 0 ||
	    add_member(&b, "recorded_at", s->recorded) < 0 ||
	    add_member(&b, "cmd", s->cmd) < 0 || add_member(&b, "from", from) < 0 ||
	    add_member(&b, "to", to) < 0 || add_member(&b, "by", s->by) < 0 ||
	    add_member(&b, "note", s->note) < 0 || buf_adds(&b, "}]") < 0)
		return err_nomem(e);
	if (i < 0)
		return rec_add(r, "history", 7, REC_RAW, b.p, b.len, e);
	return set_at(r, (size_t)i, REC_RAW, b.p, b.len, e);
}

const char *rec_where(const struct rec *r)
{
	static char where[512];

	snprintf(where, sizeof where, "%s:%lu", r->file ? r->file : "-", r->line);
	return where;
}
