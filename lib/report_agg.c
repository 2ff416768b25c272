/*
 * report_agg.c - the containers of report: groups by key, employers,
 * the overdue list, duration histograms; and the partial aggregates
 * that carry them between runs.  See report_agg.h.
 *
 * Partial aggregates are JSON-lines written and read with jansson.  They
 * hold the groups (small: one line each, the durations as sparse
 * minute counts) and only the list of the view asked for (--overdue,
 * --risk, --due), which is what made them big: a store's whole overdue
 * backlog in every figures partial.  Each line stands alone, so shards
 * may be concatenated, sorted or shuffled (as Hadoop's shuffle does)
 * before --merge:
 *   {"onedoor":"report-partial","version":2,"view":"figures","by":[..],
 *    "now":T,"since":T|null,"until":T|null,"within":D,"rejected":N}
 *   {"g":["2024-04-11","online"],"c":{"cases":3,...},"d":[[min,n],...]}
 *   {"o":{"id":..,"received_at":..,...,"due":T,"late":S}}
 *   {"r":{"employer":..,"cases":N,...,"amount":FEN}}
 *   {"u":{"id":..,"status":..,"assignee":..,"rule":..,"due":DAY,"today":DAY}}
 * Times are seconds since the epoch, days are day numbers and money is
 * in fen: integers only, so that nothing is rounded on the way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mem.h"
#include "report_agg.h"

#define PARTIAL_VERSION	2

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
	if (!it->id || !it->status || !it->assignee || !it->rule) {
		due_free(it);
		return -1;
	}
	a->ndu++;
	return 0;
}

int hist_add(struct hist *h, long long minute, long long n)
{
	size_t i;

	if (minute < 0)
		minute = 0;
	if (2 * (h->n + 1) > h->cap) {
		struct hist nh;
		size_t j;

		nh.cap = h->cap ? h->cap * 2 : 16;
		nh.n = 0;
		nh.min = mem_calloc(nh.cap, sizeof *nh.min);
		nh.cnt = mem_calloc(nh.cap, sizeof *nh.cnt);
		if (nh.min == NULL || nh.cnt == NULL) {
			mem_free(nh.min);
			mem_free(nh.cnt);
			return -1;
		}
		for (j = 0; j < h->cap; j++)
			if (h->min[j] != 0 &&
			    hist_add(&nh, h->min[j] - 1, h->cnt[j]) < 0)
				return -1;	/* cannot happen: room enough */
		hist_free(h);
		*h = nh;
	}
	i = (size_t)((unsigned long long)minute * 0x9E3779B97F4A7C15ULL >> 20) &
	    (h->cap - 1);
	while (h->min[i] != 0 && h->min[i] != minute + 1)
		i = (i + 1) & (h->cap - 1);
	if (h->min[i] == 0) {
		h->min[i] = minute + 1;
		h->n++;
	}
	h->cnt[i] += n;
	return 0;
}

int hist_merge(struct hist *dst, const struct hist *src)
{
	size_t i;

	for (i = 0; i < src->cap; i++)
		if (src->min[i] != 0 && hist_add(dst, src->min[i] - 1, src->cnt[i]) < 0)
			return -1;
	return 0;
}

static int cmp_pair(const void *x, const void *y)
{
	const long long *a = x, *b = y;

	return (a[0] > b[0]) - (a[0] < b[0]);
}

int hist_sorted(const struct hist *h, long long **pairs, size_t *n)
{
	size_t i, k = 0;

	*n = 0;
	if ((*pairs = mem_alloc((h->n + 1) * 2 * sizeof **pairs)) == NULL)
		return -1;
	for (i = 0; i < h->cap; i++)
		if (h->min[i] != 0) {
			(*pairs)[2 * k] = h->min[i] - 1;
			(*pairs)[2 * k + 1] = h->cnt[i];
			k++;
		}
	if (k > 1)	/* qsort(NULL, 0) is undefined */
		qsort(*pairs, k, 2 * sizeof **pairs, cmp_pair);
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
	mem_free(h->min);
	mem_free(h->cnt);
	memset(h, 0, sizeof *h);
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
	    json_object_set_new(o, "rejected", json_integer(a->rejected)) < 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(by);
	return o;
}

static int group_key_json(const struct group *g, json_t *key)
{
	size_t i, off = 0;

	for (i = 0; i <= g->klen && g->klen > 0; i++)
		if (i == g->klen || g->key[i] == '\0') {
			if (json_array_append_new(key,
			    json_stringn(g->key + off, i - off)) < 0)
				return -1;
			off = i + 1;
		}
	return 0;
}

static int group_figs_json(const struct group *g, json_t *c)
{
	int f;

	for (f = 0; f < NFIG; f++)
		if (g->c[f] != 0 && json_object_set_new(c, report_figs[f].name,
		    json_integer(g->c[f])) < 0)
			return -1;
	return 0;
}

static int group_hist_json(const struct group *g, json_t *d)
{
	long long *pairs;
	size_t i, n;
	int rc = 0;

	if (hist_sorted(&g->h, &pairs, &n) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		rc = json_array_append_new(d, json_pack("[II]",
		    (json_int_t)pairs[2 * i], (json_int_t)pairs[2 * i + 1]));
	mem_free(pairs);
	return rc;
}

static json_t *group_json(const struct group *g)
{
	json_t *key = json_array(), *c = json_object(), *d = json_array();
	json_t *o = NULL;

	if (key != NULL && c != NULL && d != NULL &&
	    group_key_json(g, key) == 0 && group_figs_json(g, c) == 0 &&
	    group_hist_json(g, d) == 0)
		o = json_pack("{s:O,s:O,s:O}", "g", key, "c", c, "d", d);
	json_decref(key);
	json_decref(c);
	json_decref(d);
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
	return json_pack("{s:{s:s,s:s,s:s,s:s,s:I,s:I}}", "u",
	    "id", it->id, "status", it->status, "assignee", it->assignee,
	    "rule", it->rule, "due", (json_int_t)it->due,
	    "today", (json_int_t)it->today);
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

int agg_partial_write(const struct agg *a, FILE *f, struct err *e)
{
	const struct group *g;
	const struct risk_item *r;
	size_t i;

	if (put_line(header_json(a), f, e) < 0)
		return -1;
	for (i = 0; i < a->ntab; i++)
		for (g = a->tab[i]; g != NULL; g = g->next)
			if (put_line(group_json(g), f, e) < 0)
				return -1;
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
 * agree, or the figures would mix different questions. */
static int read_header(struct agg *a, json_t *o, int *seen, struct err *e)
{
	struct agg h;
	json_t *by = json_object_get(o, "by"), *v;
	const char *view = json_string_value(json_object_get(o, "view"));
	size_t i;

	memset(&h, 0, sizeof h);
	if (json_integer_value(json_object_get(o, "version")) != PARTIAL_VERSION)
		return bad(e, "made by another version of report");
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
	    get_time(json_object_get(o, "until"), &h.has_until, &h.until) < 0)
		return bad(e, "bad header");
	h.now = json_integer_value(json_object_get(o, "now"));
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
		*seen = 1;
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
	a->rejected += json_integer_value(json_object_get(o, "rejected"));
	return 0;
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
		g->c[f] += json_integer_value(v);
	}
	json_array_foreach(d, i, v) {
		json_t *m = json_array_get(v, 0), *k = json_array_get(v, 1);

		if (!json_is_integer(m) || !json_is_integer(k))
			return bad(e, "bad duration");
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
	    "assignee", &asg, "due_at", &dat, "due", &due, "late", &late) < 0)
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

	if (json_unpack(o, "{s:s,s:s,s:s,s:s,s:I,s:I}", "id", &id,
	    "status", &st, "assignee", &asg, "rule", &rule, "due", &due,
	    "today", &today) < 0)
		return bad(e, "bad deadline");
	/* agg_due_add copies the strings */
	it.id = (char *)id;
	it.status = (char *)st;
	it.assignee = (char *)asg;
	it.rule = (char *)rule;
	it.due = due;
	it.today = today;
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
	r->cases += cases;
	r->open += open;
	r->construction_open += co;
	r->group_open += go;
	r->workers += workers;
	r->amount += amount;
	return 0;
}

static int read_line(struct agg *a, const char *line, size_t n, int *seen,
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
		if (read_line(a, line, (size_t)n, seen, e) < 0) {
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
