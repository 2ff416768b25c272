/*
 * report_agg.c - the containers of report: groups by key, employers,
 * the overdue list, duration histograms; and the partial aggregates
 * that carry them between runs.  See report_agg.h.
 *
 * Partial aggregates are JSON-lines written and read with jansson, but
 * for the group lines (see group_line).  They hold the groups (small:
 * one line each, the durations as sparse minute counts) and only the
 * list of the view asked for (--overdue, --risk, --due), which is what
 * made them big: a store's whole overdue backlog in every figures
 * partial.  Each line stands alone, so shards
 * may be concatenated, sorted or shuffled (as Hadoop's shuffle does)
 * before --merge:
 *   {"onedoor":"report-partial","version":3,"view":"figures","by":[..],
 *    "now":T,"since":T|null,"until":T|null,"within":D,"rejected":N,
 *    "law":DIGEST,"calendar":DIGEST}
 *   {"g":["2024-04-11","online"],"c":{"cases":3,...},"d":[[min,n],...]}
 *   {"o":{"id":..,"received_at":..,...,"due":T,"late":S}}
 *   {"r":{"employer":..,"cases":N,...,"amount":FEN}}
 *   {"u":{"id":..,"status":..,"assignee":..,"rule":..,"due":DAY,"today":DAY}}
 * Times are seconds since the epoch, days are day numbers and money is
 * in fen: integers only, so that nothing is rounded on the way.  The
 * digests (16 hex digits, law_digest and cal_digest) name the law table
 * and calendar the deadlines were counted with, so that a merge refuses
 * shards that counted them differently.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "jsonio.h"
#include "mem.h"
#include "report_agg.h"

#define PARTIAL_VERSION	3

static const char *const view_words[] = {
	"figures", "overdue", "risk", "due", NULL
};

static unsigned hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Tables double once they hold as many entries as slots.  Two copies,
 * one per entry type, rather than one that casts between them. */
static int grow_groups(struct agg *a)
{
	struct group **nt, *g, *next;
	size_t i, n = a->ntab ? a->ntab * 2 : 64;

	if (a->ngroups < a->ntab)
		return 0;
	if ((nt = mem_calloc(n, sizeof *nt)) == NULL)
		return -1;
	for (i = 0; i < a->ntab; i++)
		for (g = a->tab[i]; g != NULL; g = next) {
			next = g->next;
			g->next = nt[g->hash & (n - 1)];
			nt[g->hash & (n - 1)] = g;
		}
	mem_free(a->tab);
	a->tab = nt;
	a->ntab = n;
	return 0;
}

static int grow_risk(struct agg *a)
{
	struct risk_item **nt, *r, *next;
	size_t i, n = a->nrtab ? a->nrtab * 2 : 64;

	if (a->nrisk < a->nrtab)
		return 0;
	if ((nt = mem_calloc(n, sizeof *nt)) == NULL)
		return -1;
	for (i = 0; i < a->nrtab; i++)
		for (r = a->rtab[i]; r != NULL; r = next) {
			next = r->next;
			r->next = nt[r->hash & (n - 1)];
			nt[r->hash & (n - 1)] = r;
		}
	mem_free(a->rtab);
	a->rtab = nt;
	a->nrtab = n;
	return 0;
}

struct group *agg_group(struct agg *a, const char *key, size_t klen)
{
	unsigned h = hash(key, klen);
	struct group *g;

	if (a->ntab > 0)
		for (g = a->tab[h & (a->ntab - 1)]; g != NULL; g = g->next)
			if (g->hash == h && g->klen == klen &&
			    memcmp(g->key, key, klen) == 0)
				return g;
	if (grow_groups(a) < 0 ||
	    (g = mem_calloc(1, sizeof *g)) == NULL)
		return NULL;
	if ((g->key = mem_alloc(klen + 1)) == NULL) {
		mem_free(g);
		return NULL;
	}
	memcpy(g->key, key, klen);
	g->key[klen] = '\0';
	g->klen = klen;
	g->hash = h;
	g->next = a->tab[h & (a->ntab - 1)];
	a->tab[h & (a->ntab - 1)] = g;
	a->ngroups++;
	return g;
}

struct risk_item *agg_risk(struct agg *a, const char *employer)
{
	size_t n = strlen(employer);
	unsigned h = hash(employer, n);
	struct risk_item *ri;

	if (a->nrtab > 0)
		for (ri = a->rtab[h & (a->nrtab - 1)]; ri != NULL; ri = ri->next)
			if (ri->hash == h && strcmp(ri->employer, employer) == 0)
				return ri;
	if (grow_risk(a) < 0 ||
	    (ri = mem_calloc(1, sizeof *ri)) == NULL)
		return NULL;
	if ((ri->employer = mem_strdup(employer)) == NULL) {
		mem_free(ri);
		return NULL;
	}
	ri->hash = h;
	ri->next = a->rtab[h & (a->nrtab - 1)];
	a->rtab[h & (a->nrtab - 1)] = ri;
	a->nrisk++;
	return ri;
}

static void overdue_free(struct overdue_item *it)
{
	mem_free(it->id);
	mem_free(it->received_at);
	mem_free(it->type);
	mem_free(it->employer);
	mem_free(it->assignee);
	mem_free(it->due_at);
}

int agg_overdue_add(struct agg *a, const struct overdue_item *src)
{
	struct overdue_item *it;

	if (a->nod == a->odcap) {
		size_t n = a->odcap ? a->odcap * 2 : 16;

		if ((it = mem_realloc(a->od, n * sizeof *it)) == NULL)
			return -1;
		a->od = it;
		a->odcap = n;
	}
	it = &a->od[a->nod];
	it->id = mem_strdup(src->id);
	it->received_at = mem_strdup(src->received_at);
	it->type = mem_strdup(src->type);
	it->employer = mem_strdup(src->employer);
	it->assignee = mem_strdup(src->assignee);
	it->due_at = mem_strdup(src->due_at);
	it->due = src->due;
	it->late = src->late;
	if (!it->id || !it->received_at || !it->type || !it->employer ||
	    !it->assignee || !it->due_at) {
		overdue_free(it);
		return -1;
	}
	a->nod++;
	return 0;
}

static void due_free(struct due_item *it)
{
	mem_free(it->id);
	mem_free(it->status);
	mem_free(it->assignee);
	mem_free(it->rule);
}

int agg_due_add(struct agg *a, const struct due_item *src)
{
	struct due_item *it;

	if (a->ndu == a->ducap) {
		size_t n = a->ducap ? a->ducap * 2 : 16;

		if ((it = mem_realloc(a->du, n * sizeof *it)) == NULL)
			return -1;
		a->du = it;
		a->ducap = n;
	}
	it = &a->du[a->ndu];
	it->id = mem_strdup(src->id);
	it->status = mem_strdup(src->status);
	it->assignee = mem_strdup(src->assignee);
	it->rule = mem_strdup(src->rule);
	it->due = src->due;
	it->today = src->today;
	it->prov = src->prov;
	if (!it->id || !it->status || !it->assignee || !it->rule) {
		due_free(it);
		return -1;
	}
	a->ndu++;
	return 0;
}

/* The slot of minute (as minute + 1): found, or the empty one where it
 * goes.  Minute and count share a cache line: one miss a look-up. */
static long long *hist_slot(const struct hist *h, long long key)
{
	size_t i = (size_t)((unsigned long long)key * 0x9E3779B97F4A7C15ULL >>
	    20) & (h->cap - 1);

	while (h->slot[2 * i] != 0 && h->slot[2 * i] != key)
		i = (i + 1) & (h->cap - 1);
	return h->slot + 2 * i;
}

/* Room for want minutes in all (no more growing on the way there). */
static int hist_grow(struct hist *h, size_t want)
{
	struct hist nh;
	long long *s;
	size_t j;

	nh.cap = h->cap ? h->cap * 2 : 16;
	while (2 * want > nh.cap)
		nh.cap *= 2;
	nh.n = h->n;
	if ((nh.slot = mem_calloc(nh.cap, 2 * sizeof *nh.slot)) == NULL)
		return -1;
	for (j = 0; j < h->cap; j++)
		if (h->slot[2 * j] != 0) {
			s = hist_slot(&nh, h->slot[2 * j]);
			s[0] = h->slot[2 * j];
			s[1] = h->slot[2 * j + 1];
		}
	hist_free(h);
	*h = nh;
	return 0;
}

int hist_add(struct hist *h, long long minute, long long n)
{
	long long *s;

	if (minute < 0)
		minute = 0;
	if (2 * (h->n + 1) > h->cap && hist_grow(h, h->n + 1) < 0)
		return -1;
	s = hist_slot(h, minute + 1);
	if (s[0] == 0) {
		s[0] = minute + 1;
		h->n++;
	}
	s[1] += n;
	return 0;
}

int hist_merge(struct hist *dst, const struct hist *src)
{
	size_t i;

	for (i = 0; i < src->cap; i++)
		if (src->slot[2 * i] != 0 && hist_add(dst, src->slot[2 * i] - 1,
		    src->slot[2 * i + 1]) < 0)
			return -1;
	return 0;
}

/*
 * Pairs sorted by minute, least significant byte first, as many passes
 * as the largest minute has bytes: two for durations under 45 days.
 * qsort took most of a merge's time.  Minutes are never negative
 * (hist_add clamps them) and never repeat.
 */
static void sort_pairs(long long *p, long long *tmp, size_t n)
{
	unsigned long long max = 0;
	size_t i, cnt[256];
	int shift;
	long long *t;

	for (i = 0; i < n; i++)
		if ((unsigned long long)p[2 * i] > max)
			max = (unsigned long long)p[2 * i];
	for (shift = 0; shift < 64 && (max >> shift) != 0; shift += 8) {
		size_t sum = 0, c;

		memset(cnt, 0, sizeof cnt);
		for (i = 0; i < n; i++)
			cnt[(unsigned long long)p[2 * i] >> shift & 255]++;
		for (i = 0; i < 256; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			c = cnt[(unsigned long long)p[2 * i] >> shift & 255]++;
			tmp[2 * c] = p[2 * i];
			tmp[2 * c + 1] = p[2 * i + 1];
		}
		t = p;
		p = tmp;
		tmp = t;
	}
	if (shift / 8 % 2 == 1)		/* the result is in the other buffer */
		memcpy(tmp, p, n * 2 * sizeof *p);
}

int hist_sorted(const struct hist *h, long long **pairs, size_t *n)
{
	size_t i, k = 0;
	long long *tmp;

	*n = 0;
	if ((*pairs = mem_alloc((h->n + 1) * 2 * sizeof **pairs)) == NULL)
		return -1;
	if ((tmp = mem_alloc((h->n + 1) * 2 * sizeof *tmp)) == NULL) {
		mem_free(*pairs);
		*pairs = NULL;
		return -1;
	}
	for (i = 0; i < h->cap; i++)
		if (h->slot[2 * i] != 0) {
			(*pairs)[2 * k] = h->slot[2 * i] - 1;
			(*pairs)[2 * k + 1] = h->slot[2 * i + 1];
			k++;
		}
	sort_pairs(*pairs, tmp, k);
	mem_free(tmp);
	*n = k;
	return 0;
}

/* Nearest rank: the smallest value with at least ceil(p% of N) values
 * at or below it. */
long long hist_percentile(const long long *pairs, size_t n, int p)
{
	long long total = 0, rank, seen = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += pairs[2 * i + 1];
	if (total == 0)
		return -1;
	rank = (total * p + 99) / 100;
	if (rank < 1)
		rank = 1;
	for (i = 0; i < n; i++)
		if ((seen += pairs[2 * i + 1]) >= rank)
			return pairs[2 * i];
	return pairs[2 * (n - 1)];
}

void hist_free(struct hist *h)
{
	mem_free(h->slot);
	memset(h, 0, sizeof *h);
}

static long long fig_max(int f)
{
	return report_figs[f].kind == K_MONEY || f == F_WORKERS ||
	    f == F_WARNING_WORKERS ? AGG_SUM_MAX : AGG_COUNT_MAX;
}

static unsigned long long magnitude(long long v)
{
	return v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
}

/* 1 when agg_add(a, ., f, v) would succeed. */
static int agg_fits(const struct agg *a, int f, long long v)
{
	return magnitude(v) <= (unsigned long long)(fig_max(f) - a->mag[f]);
}

int agg_add(struct agg *a, long long *sum, int f, long long v, struct err *e)
{
	char t[32];

	if (!agg_fits(a, f, v)) {
		if (report_figs[f].kind == K_MONEY)
			report_fix2(t, sizeof t, fig_max(f));
		else
			snprintf(t, sizeof t, "%lld", fig_max(f));
		return err_set(e, "%s: the sum goes beyond %s, the most a "
		    "report adds up exactly", report_figs[f].name, t);
	}
	a->mag[f] += (long long)magnitude(v);
	*sum += v;
	return 0;
}

int agg_sum_within(long long *sum, long long v, long long max)
{
	if (v < 0 || *sum > max - v)
		return 0;
	*sum += v;
	return 1;
}

void agg_free(struct agg *a)
{
	struct group *g, *gn;
	struct risk_item *r, *rn;
	size_t i;

	for (i = 0; i < a->ntab; i++)
		for (g = a->tab[i]; g != NULL; g = gn) {
			gn = g->next;
			hist_free(&g->h);
			mem_free(g->key);
			mem_free(g);
		}
	for (i = 0; i < a->nrtab; i++)
		for (r = a->rtab[i]; r != NULL; r = rn) {
			rn = r->next;
			mem_free(r->employer);
			mem_free(r);
		}
	for (i = 0; i < a->nod; i++)
		overdue_free(&a->od[i]);
	for (i = 0; i < a->ndu; i++)
		due_free(&a->du[i]);
	mem_free(a->du);
	mem_free(a->tab);
	mem_free(a->rtab);
	mem_free(a->od);
	memset(a, 0, sizeof *a);
}

/* ---- writing partials ---- */

static json_t *time_or_null(int has, long long t)
{
	return has ? json_integer(t) : json_null();
}

static json_t *digest_json(uint64_t fp)
{
	char t[17];

	snprintf(t, sizeof t, "%016llx", (unsigned long long)fp);
	return json_string(t);
}

/*
 * Built member by member, every step checked: jansson's setters return
 * -1 when the value could not be made (no memory), and a partial that
 * silently lost a figure would merge into wrong numbers.
 */
static json_t *header_json(const struct agg *a)
{
	json_t *o = json_object(), *by = json_array();
	int i, bad = o == NULL || by == NULL;

	for (i = 0; i < a->nby && !bad; i++)
		bad = json_array_append_new(by,
		    json_string(report_by_words[a->by[i]])) < 0;
	if (bad || json_object_set_new(o, "onedoor",
	    json_string("report-partial")) < 0 ||
	    json_object_set_new(o, "version", json_integer(PARTIAL_VERSION)) < 0 ||
	    json_object_set_new(o, "view", json_string(view_words[a->view])) < 0 ||
	    json_object_set_new(o, "within", json_integer(a->within)) < 0 ||
	    json_object_set_new(o, "by", json_incref(by)) < 0 ||
	    json_object_set_new(o, "now", json_integer(a->now)) < 0 ||
	    json_object_set_new(o, "since", time_or_null(a->has_since, a->since)) < 0 ||
	    json_object_set_new(o, "until", time_or_null(a->has_until, a->until)) < 0 ||
	    json_object_set_new(o, "rejected", json_integer(a->rejected)) < 0 ||
	    json_object_set_new(o, "law", digest_json(a->law_fp)) < 0 ||
	    json_object_set_new(o, "calendar", digest_json(a->cal_fp)) < 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(by);
	return o;
}

static json_t *overdue_json(const struct overdue_item *it)
{
	return json_pack("{s:{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I}}", "o",
	    "id", it->id, "received_at", it->received_at, "type", it->type,
	    "employer", it->employer, "assignee", it->assignee,
	    "due_at", it->due_at, "due", (json_int_t)it->due,
	    "late", (json_int_t)it->late);
}

static json_t *due_json(const struct due_item *it)
{
	json_t *o = json_pack("{s:{s:s,s:s,s:s,s:s,s:I,s:I}}", "u",
	    "id", it->id, "status", it->status, "assignee", it->assignee,
	    "rule", it->rule, "due", (json_int_t)it->due,
	    "today", (json_int_t)it->today);

	/* only when so: an exact deadline's line stays as it always was */
	if (o != NULL && it->prov &&
	    json_object_set_new(json_object_get(o, "u"), "provisional",
	    json_true()) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *risk_json(const struct risk_item *r)
{
	return json_pack("{s:{s:s,s:I,s:I,s:I,s:I,s:I,s:I}}", "r",
	    "employer", r->employer, "cases", (json_int_t)r->cases,
	    "open", (json_int_t)r->open,
	    "construction_open", (json_int_t)r->construction_open,
	    "group_open", (json_int_t)r->group_open,
	    "workers", (json_int_t)r->workers, "amount", (json_int_t)r->amount);
}

/* Write one line and drop the object; NULL (no memory) is an error. */
static int put_line(json_t *o, FILE *f, struct err *e)
{
	int rc;

	if (o == NULL)
		return err_nomem(e);
	rc = json_dumpf(o, f, JSON_COMPACT);
	json_decref(o);
	if (rc < 0 || putc('\n', f) == EOF)
		return ferror(f) ? err_sys(e, "writing the partial") : err_nomem(e);
	return 0;
}

/*
 * Group lines are most of a partial and most of a merge's reading: a
 * thousand [minute,count] pairs each.  They are written by hand (what
 * jansson would write, in one buffer) and read back by hand when they
 * have exactly that shape; anything else, or anything wrong, goes
 * through jansson, which says what is wrong.
 */
static char *put_ll(char *o, long long v)
{
	char tmp[24];
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v :
	    (unsigned long long)v;
	size_t i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*o++ = '-';
	memcpy(o, tmp + i, sizeof tmp - i);
	return o + (sizeof tmp - i);
}

static int buf_ll(struct buf *b, long long v)
{
	if (buf_reserve(b, 24) < 0)
		return -1;
	b->len = (size_t)(put_ll(b->p + b->len, v) - b->p);
	b->p[b->len] = '\0';
	return 0;
}

static int group_line(const struct group *g, struct buf *b)
{
	long long *pairs;
	size_t i, n, off = 0;
	char *o;
	int f, first = 1, rc = 0;

	buf_reset(b);
	if (buf_add(b, "{\"g\":[", 6) < 0)
		return -1;
	for (i = 0; i <= g->klen && g->klen > 0; i++)
		if (i == g->klen || g->key[i] == '\0') {
			if ((off > 0 && buf_addc(b, ',') < 0) ||
			    jsonio_string(b, g->key + off, i - off) < 0)
				return -1;
			off = i + 1;
		}
	if (buf_add(b, "],\"c\":{", 7) < 0)
		return -1;
	for (f = 0; f < NFIG; f++) {
		if (g->c[f] == 0)
			continue;
		if ((!first && buf_addc(b, ',') < 0) || buf_addc(b, '"') < 0 ||
		    buf_adds(b, report_figs[f].name) < 0 ||
		    buf_add(b, "\":", 2) < 0 || buf_ll(b, g->c[f]) < 0)
			return -1;
		first = 0;
	}
	if (buf_add(b, "},\"d\":[", 7) < 0 ||
	    hist_sorted(&g->h, &pairs, &n) < 0)
		return -1;
	/* 48 bytes hold "[m,n]," of two 64-bit numbers */
	if (buf_reserve(b, n * 48 + 3) < 0)
		rc = -1;
	for (i = 0, o = b->p + b->len; i < n && rc == 0; i++) {
		if (i > 0)
			*o++ = ',';
		*o++ = '[';
		o = put_ll(o, pairs[2 * i]);
		*o++ = ',';
		o = put_ll(o, pairs[2 * i + 1]);
		*o++ = ']';
	}
	mem_free(pairs);
	if (rc < 0)
		return -1;
	memcpy(o, "]}\n", 4);
	b->len = (size_t)(o + 3 - b->p);
	return 0;
}

int agg_partial_write(const struct agg *a, FILE *f, struct err *e)
{
	const struct group *g;
	const struct risk_item *r;
	struct buf b = BUF_INIT;
	size_t i;

	if (put_line(header_json(a), f, e) < 0)
		return -1;
	for (i = 0; i < a->ntab; i++)
		for (g = a->tab[i]; g != NULL; g = g->next) {
			if (group_line(g, &b) < 0) {
				buf_free(&b);
				return err_nomem(e);
			}
			if (fwrite(b.p, 1, b.len, f) != b.len) {
				buf_free(&b);
				return err_sys(e, "writing the partial");
			}
		}
	buf_free(&b);
	for (i = 0; i < a->nod; i++)
		if (put_line(overdue_json(&a->od[i]), f, e) < 0)
			return -1;
	for (i = 0; i < a->nrtab; i++)
		for (r = a->rtab[i]; r != NULL; r = r->next)
			if (put_line(risk_json(r), f, e) < 0)
				return -1;
	for (i = 0; i < a->ndu; i++)
		if (put_line(due_json(&a->du[i]), f, e) < 0)
			return -1;
	return 0;
}

/* ---- reading partials ---- */

static int bad(struct err *e, const char *why)
{
	return err_set(e, "not a report partial: %s", why);
}

/* Times and day numbers of the years 0000 to 9999, those timefmt reads
 * (a day to spare either way for offsets): anything else in a partial
 * was not written by report, and would overflow on its way out. */
#define T_FIRST		(-62167219200LL - 86400)
#define T_LAST		(253402300799LL + 86400)
#define DAY_FIRST	(-719528LL - 1)
#define DAY_LAST	(2932896LL + 1)

/* 16 lowercase hex digits, as digest_json writes them. */
static int get_digest(json_t *v, uint64_t *fp)
{
	const char *s = json_string_value(v);
	int i;

	if (s == NULL || json_string_length(v) != 16)
		return -1;
	for (*fp = 0, i = 0; i < 16; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
		    s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		*fp = *fp << 4 | (uint64_t)d;
	}
	return 0;
}

static int get_time(json_t *v, int *has, long long *t)
{
	if (json_is_null(v)) {
		*has = 0;
		*t = 0;
		return 0;
	}
	if (!json_is_integer(v))
		return -1;
	*has = 1;
	*t = json_integer_value(v);
	return 0;
}

/* The first header sets by, now and the window; every later one must
 * agree, or the figures would mix different questions.  So must the law
 * table and calendar, which the deadlines were counted with; a --due
 * merge words the deadlines from its own table, so that must be theirs
 * too. */
static int read_header(struct agg *a, json_t *o, int *seen, struct err *e)
{
	struct agg h;
	json_t *by = json_object_get(o, "by"), *v;
	const char *view = json_string_value(json_object_get(o, "view"));
	size_t i;

	memset(&h, 0, sizeof h);
	if (json_integer_value(json_object_get(o, "version")) != PARTIAL_VERSION)
		return err_set(e, "a partial of another version of report "
		    "(format %lld; this one reads %d): make every shard's "
		    "partial with the same release",
		    (long long)json_integer_value(json_object_get(o, "version")),
		    PARTIAL_VERSION);
	for (h.view = 0; view != NULL && view_words[h.view] != NULL; h.view++)
		if (strcmp(view, view_words[h.view]) == 0)
			break;
	if (view == NULL || view_words[h.view] == NULL ||
	    !json_is_integer(json_object_get(o, "within")))
		return bad(e, "bad header");
	h.within = (long)json_integer_value(json_object_get(o, "within"));
	if (!json_is_array(by) || json_array_size(by) > REPORT_MAXBY ||
	    !json_is_integer(json_object_get(o, "now")) ||
	    get_time(json_object_get(o, "since"), &h.has_since, &h.since) < 0 ||
	    get_time(json_object_get(o, "until"), &h.has_until, &h.until) < 0 ||
	    get_digest(json_object_get(o, "law"), &h.part_law_fp) < 0 ||
	    get_digest(json_object_get(o, "calendar"), &h.part_cal_fp) < 0)
		return bad(e, "bad header");
	h.now = json_integer_value(json_object_get(o, "now"));
	if (h.now < T_FIRST || h.now > T_LAST ||
	    (h.has_since && (h.since < T_FIRST || h.since > T_LAST)) ||
	    (h.has_until && (h.until < T_FIRST || h.until > T_LAST)))
		return bad(e, "bad header");
	json_array_foreach(by, i, v) {
		int k;

		for (k = 0; k < NBY; k++)
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), report_by_words[k]) == 0)
				break;
		if (k == NBY)
			return bad(e, "bad --by key");
		h.by[h.nby++] = k;
	}
	if (h.view != a->view && (*seen || a->view != REPORT_FIGURES))
		return err_set(e, "partials made for %s%s, not for %s%s (give "
		    "the --partial runs the view you want)",
		    h.view ? "--" : "", h.view ? view_words[h.view] : "the figures",
		    a->view ? "--" : "", a->view ? view_words[a->view] : "the figures");
	if (!*seen) {
		a->view = h.view;
		a->within = h.within;
		memcpy(a->by, h.by, sizeof a->by);
		a->nby = h.nby;
		a->now = h.now;
		a->since = h.since;
		a->until = h.until;
		a->has_since = h.has_since;
		a->has_until = h.has_until;
		a->part_law_fp = h.part_law_fp;
		a->part_cal_fp = h.part_cal_fp;
		*seen = 1;
		if (a->view == REPORT_DUE && a->part_law_fp != a->law_fp)
			return err_set(e, "partials made with another law table "
			    "than this merge's (a --due merge words the deadlines "
			    "from its own: give it the --law the partials were "
			    "made with)");
	} else if (h.nby != a->nby || memcmp(h.by, a->by, sizeof h.by) != 0)
		return err_set(e, "partials made with different --by");
	else if (h.now != a->now)
		return err_set(e, "partials made with different --now "
		    "(give every shard the same --now)");
	else if (h.has_since != a->has_since || h.since != a->since ||
	    h.has_until != a->has_until || h.until != a->until)
		return err_set(e, "partials made with different --since or --until");
	else if (h.within != a->within)
		return err_set(e, "partials made with different --within");
	else if (h.part_law_fp != a->part_law_fp)
		return err_set(e, "partials made with different law tables "
		    "(give every shard the same --law)");
	else if (h.part_cal_fp != a->part_cal_fp)
		return err_set(e, "partials made with different calendars "
		    "(give every shard the same --calendar)");
	if (!agg_sum_within(&a->rejected,
	    json_integer_value(json_object_get(o, "rejected")), AGG_COUNT_MAX))
		return bad(e, "bad header");
	return 0;
}

/* A duration as partials hold them: whole minutes, never negative (a
 * run clamps them), counted within the bound of counts. */
static int duration_fits(const struct agg *a, long long minute, long long n)
{
	return minute >= 0 && minute <= AGG_MINUTE_MAX && n >= 0 &&
	    n <= AGG_COUNT_MAX - a->hmag;
}

static int read_group(struct agg *a, json_t *o, struct err *e)
{
	json_t *key = json_object_get(o, "g"), *c = json_object_get(o, "c");
	json_t *d = json_object_get(o, "d"), *v;
	char kb[4096];
	size_t i, n = 0, l;
	const char *name;
	struct group *g;
	int f;

	if (!json_is_array(key) || !json_is_object(c) || !json_is_array(d))
		return bad(e, "bad group");
	json_array_foreach(key, i, v) {
		if (!json_is_string(v) ||
		    (l = json_string_length(v)) + 1 + n > sizeof kb)
			return bad(e, "bad group key");
		memcpy(kb + n, json_string_value(v), l);
		n += l;
		kb[n++] = '\0';
	}
	if ((g = agg_group(a, kb, n ? n - 1 : 0)) == NULL)
		return err_nomem(e);
	json_object_foreach(c, name, v) {
		for (f = 0; f < NFIG; f++)
			if (strcmp(name, report_figs[f].name) == 0)
				break;
		if (f == NFIG || !json_is_integer(v) ||
		    report_figs[f].kind == K_RATE || report_figs[f].kind == K_HOURS)
			return bad(e, "bad figure");
		if (agg_add(a, &g->c[f], f, json_integer_value(v), e) < 0)
			return err_prefix(e, "not a report partial");
	}
	json_array_foreach(d, i, v) {
		json_t *m = json_array_get(v, 0), *k = json_array_get(v, 1);

		if (!json_is_integer(m) || !json_is_integer(k) ||
		    !duration_fits(a, json_integer_value(m), json_integer_value(k)))
			return bad(e, "bad duration");
		a->hmag += json_integer_value(k);
		if (hist_add(&g->h, json_integer_value(m), json_integer_value(k)) < 0)
			return err_nomem(e);
	}
	return 0;
}

static int read_overdue(struct agg *a, json_t *o, struct err *e)
{
	struct overdue_item it;
	const char *id, *rat, *type, *emp, *asg, *dat;
	json_int_t due, late;

	if (json_unpack(o, "{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I}",
	    "id", &id, "received_at", &rat, "type", &type, "employer", &emp,
	    "assignee", &asg, "due_at", &dat, "due", &due, "late", &late) < 0 ||
	    due < T_FIRST || due > T_LAST || late < 0 || late > T_LAST - T_FIRST)
		return bad(e, "bad overdue case");
	/* agg_overdue_add copies the strings */
	it.id = (char *)id;
	it.received_at = (char *)rat;
	it.type = (char *)type;
	it.employer = (char *)emp;
	it.assignee = (char *)asg;
	it.due_at = (char *)dat;
	it.due = due;
	it.late = late;
	return agg_overdue_add(a, &it) < 0 ? err_nomem(e) : 0;
}

static int read_due(struct agg *a, json_t *o, struct err *e)
{
	struct due_item it;
	const char *id, *st, *asg, *rule;
	json_int_t due, today;
	int prov = 0;

	if (json_unpack(o, "{s:s,s:s,s:s,s:s,s:I,s:I,s?b}", "id", &id,
	    "status", &st, "assignee", &asg, "rule", &rule, "due", &due,
	    "today", &today, "provisional", &prov) < 0 ||
	    due < DAY_FIRST || due > DAY_LAST ||
	    today < DAY_FIRST || today > DAY_LAST)
		return bad(e, "bad deadline");
	/* agg_due_add copies the strings */
	it.id = (char *)id;
	it.status = (char *)st;
	it.assignee = (char *)asg;
	it.rule = (char *)rule;
	it.due = due;
	it.today = today;
	it.prov = prov;
	return agg_due_add(a, &it) < 0 ? err_nomem(e) : 0;
}

static int read_risk(struct agg *a, json_t *o, struct err *e)
{
	const char *name;
	json_int_t cases, open, co, go, workers, amount;
	struct risk_item *r;

	if (json_unpack(o, "{s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "employer", &name,
	    "cases", &cases, "open", &open, "construction_open", &co,
	    "group_open", &go, "workers", &workers, "amount", &amount) < 0)
		return bad(e, "bad employer");
	if ((r = agg_risk(a, name)) == NULL)
		return err_nomem(e);
	/* each tally stays exact (checked one by one: the line is refused,
	 * and the merge fails, when any is out of range) */
	if (!agg_sum_within(&r->cases, cases, AGG_COUNT_MAX) ||
	    !agg_sum_within(&r->open, open, AGG_COUNT_MAX) ||
	    !agg_sum_within(&r->construction_open, co, AGG_COUNT_MAX) ||
	    !agg_sum_within(&r->group_open, go, AGG_COUNT_MAX) ||
	    !agg_sum_within(&r->workers, workers, AGG_SUM_MAX) ||
	    !agg_sum_within(&r->amount, amount, AGG_SUM_MAX))
		return bad(e, "employer's figures out of range");
	return 0;
}

/* A cursor over one line; fails (returns 0) on anything but the shape
 * group_line writes, and then jansson reads the line instead. */
struct gl {
	const char *p, *end;
};

static int lit(struct gl *s, const char *w, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

/* An integer as jansson reads one, of at most 18 digits (so no
 * overflow to think about). */
static int gl_int(struct gl *s, long long *v)
{
	const char *p = s->p;
	int neg = 0, nd = 0;

	if (p < s->end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p >= s->end || *p < '0' || *p > '9' ||
	    (*p == '0' && p + 1 < s->end && p[1] >= '0' && p[1] <= '9'))
		return 0;
	for (*v = 0; p < s->end && *p >= '0' && *p <= '9'; p++) {
		if (++nd > 18)	/* before the sum can overflow */
			return 0;
		*v = *v * 10 + (*p - '0');
	}
	if (p < s->end && (*p == '.' || *p == 'e' || *p == 'E'))
		return 0;
	if (neg)
		*v = -*v;
	s->p = p;
	return 1;
}

/* A string without escapes or control characters, valid UTF-8: its
 * text in *v, *n. */
static int gl_str(struct gl *s, const char **v, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s->p + 1;
	const unsigned char *end = (const unsigned char *)s->end;
	size_t k;

	if (s->p >= s->end || *s->p != '"')
		return 0;
	while (p < end && *p != '"') {
		if (*p < 0x20 || *p == '\\')
			return 0;
		if (*p < 0x80)
			p++;
		else if ((k = jsonio_utf8_len(p, end)) == 0)
			return 0;
		else
			p += k;
	}
	if (p >= end)
		return 0;
	*v = s->p + 1;
	*n = (size_t)((const char *)p - *v);
	s->p = (const char *)p + 1;
	return 1;
}

static int gl_key(struct gl *s, char *kb, size_t cap, size_t *klen)
{
	const char *v;
	size_t n = 0, l;

	if (!lit(s, "{\"g\":[", 6))
		return 0;
	if (lit(s, "]", 1)) {
		*klen = 0;
		return 1;
	}
	do {
		if (!gl_str(s, &v, &l) || l + 1 + n > cap)
			return 0;
		memcpy(kb + n, v, l);
		n += l;
		kb[n++] = '\0';
	} while (lit(s, ",", 1));
	*klen = n - 1;
	return lit(s, "]", 1);
}

static int gl_figs(struct gl *s, long long *c)
{
	unsigned long long seen = 0;
	const char *name;
	size_t n;
	long long v;
	int f;

	if (!lit(s, ",\"c\":{", 6))
		return 0;
	if (lit(s, "}", 1))
		return 1;
	do {
		if (!gl_str(s, &name, &n) || !lit(s, ":", 1) || !gl_int(s, &v))
			return 0;
		for (f = 0; f < NFIG; f++)
			if (strlen(report_figs[f].name) == n &&
			    memcmp(report_figs[f].name, name, n) == 0)
				break;
		if (f == NFIG || report_figs[f].kind == K_RATE ||
		    report_figs[f].kind == K_HOURS || (seen >> f & 1))
			return 0;
		seen |= 1ull << f;
		c[f] = v;
	} while (lit(s, ",", 1));
	return lit(s, "}", 1);
}

/* The durations: checked, counted into *np and their counts summed
 * into *sum when h is NULL, else added to h. */
static int gl_pairs(struct gl *s, struct hist *h, size_t *np,
    long long *sum, int *nomem)
{
	long long m, k;

	if (!lit(s, ",\"d\":[", 6))
		return 0;
	if (lit(s, "]", 1))
		return 1;
	do {
		if (!lit(s, "[", 1) || !gl_int(s, &m) || !lit(s, ",", 1) ||
		    !gl_int(s, &k) || !lit(s, "]", 1))
			return 0;
		if (h == NULL) {
			/* gl_int's 18 digits: the sum cannot overflow */
			if (m < 0 || m > AGG_MINUTE_MAX || k < 0 ||
			    (*sum += k) > AGG_COUNT_MAX)
				return 0;
			++*np;
		} else if (hist_add(h, m, k) < 0) {
			*nomem = 1;
			return 0;
		}
	} while (lit(s, ",", 1));
	return lit(s, "]", 1);
}

/*
 * A group line of group_line's shape: 1 read into a, 0 not of that
 * shape (a untouched: jansson reads it), -1 no memory.  The whole line
 * is checked before anything is added.
 */
static int fast_group(struct agg *a, const char *line, size_t n,
    struct err *e)
{
	struct gl s = { line, line + n }, d;
	char kb[4096];
	long long c[NFIG], hsum = 0;
	size_t klen, np = 0;
	struct group *g;
	int f, nomem = 0;

	memset(c, 0, sizeof c);
	if (!gl_key(&s, kb, sizeof kb, &klen) || !gl_figs(&s, c))
		return 0;
	d = s;
	if (!gl_pairs(&s, NULL, &np, &hsum, &nomem) || !lit(&s, "}", 1) ||
	    s.p != s.end || hsum > AGG_COUNT_MAX - a->hmag)
		return 0;
	/* out of range: jansson reads it again and says what is wrong */
	for (f = 0; f < NFIG; f++)
		if (!agg_fits(a, f, c[f]))
			return 0;
	if ((g = agg_group(a, kb, klen)) == NULL ||
	    (2 * (g->h.n + np) > g->h.cap && hist_grow(&g->h, g->h.n + np) < 0))
		return err_nomem(e);
	for (f = 0; f < NFIG; f++)
		if (agg_add(a, &g->c[f], f, c[f], e) < 0)
			return -1;	/* agg_fits said it would */
	a->hmag += hsum;
	if (!gl_pairs(&d, &g->h, &np, &hsum, &nomem) && nomem)
		return err_nomem(e);
	return 1;
}

int agg_partial_line(struct agg *a, const char *line, size_t n, int *seen,
    struct err *e)
{
	json_error_t je;
	json_t *o, *v;
	int rc;

	/* Hadoop Streaming may hand lines back with a tab and an empty
	 * value: trailing blanks are not part of the JSON. */
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
	    line[n - 1] == '\t' || line[n - 1] == ' '))
		n--;
	if (n == 0)
		return 0;
	if (n > 6 && memcmp(line, "{\"g\":[", 6) == 0 &&
	    (rc = fast_group(a, line, n, e)) != 0)
		return rc < 0 ? -1 : 0;
	if ((o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je)) == NULL ||
	    !json_is_object(o)) {
		json_decref(o);
		return bad(e, "not a JSON object");
	}
	if (json_object_get(o, "onedoor") != NULL)
		rc = read_header(a, o, seen, e);
	else if (json_object_get(o, "g") != NULL)
		rc = read_group(a, o, e);
	else if ((v = json_object_get(o, "o")) != NULL)
		rc = read_overdue(a, v, e);
	else if ((v = json_object_get(o, "r")) != NULL)
		rc = read_risk(a, v, e);
	else if ((v = json_object_get(o, "u")) != NULL)
		rc = read_due(a, v, e);
	else
		rc = bad(e, "unknown line");
	json_decref(o);
	return rc;
}

int agg_partial_read(struct agg *a, const char *path, int *seen,
    struct err *e)
{
	FILE *f = stdin;
	const char *name = "stdin";
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int rc = 0;

	if (strcmp(path, "-") != 0) {
		name = path;
		if ((f = fopen(path, "r")) == NULL)
			return err_sys(e, "%s", path);
	}
	errno = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (agg_partial_line(a, line, (size_t)n, seen, e) < 0) {
			err_prefix(e, "%s:%lu", name, lineno);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f))
		rc = err_sys(e, "%s", name);
	free(line);		/* getline's own allocation */
	if (f != stdin)
		fclose(f);
	return rc;
}
