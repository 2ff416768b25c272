/*
 * events.c - event files for mediate and confirm: read, index by case,
 * apply during the one pass over the cases.  See events.h.
 *
 * Two hash maps (strmap) send an id or a source_id to a chain of the
 * events naming it, kept in file order.  For each case the chains of its
 * id and of its source_id are merged by sequence number, so that an
 * event file may mix both ways of naming a case and still apply in file
 * order.  A case no event names costs two lookups and is not parsed
 * further: its record passes through as it came.
 *
 * Most cases of a store are named by no event, and a lookup that misses
 * in a hash map of 100,000 keys is two cache misses.  A small Bloom
 * filter (two bits per key out of eight: 100 KiB for 100,000 events, in
 * cache) answers most of those misses first.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "events.h"
#include "filter.h"
#include "mem.h"
#include "strmap.h"

struct chain {
	struct ev *head, *tail;
};

struct ev_set {
	struct ev_hooks h;
	struct tf_time now;
	struct ev *first, *last;
	unsigned long n;
	struct strmap by_id, by_src;	/* key -> index in chains */
	struct chain *chains;
	size_t nchains, capchains;
	char **files;			/* names of loaded files, owned */
	size_t nfiles;
	unsigned char *bloom;		/* see above; built on first use */
	size_t bloom_mask;		/* bits - 1 */
	struct ev **vec;		/* the events of one case, reused */
	size_t capvec;
	long applied, rejected;
	const struct cli *cli;		/* ev_run's: the clock, or NULL */
	struct rec before;		/* a case before an event changes it */
};

static const char *const id_names[] = { "id", "案件编号", "case_id", NULL };
static const char *const src_names[] = { "source_id", "来源编号", NULL };
static const char *const at_names[] = { "at", "时间", "日期", NULL };

struct ev_set *ev_new(const struct ev_hooks *h, const struct tf_time *now,
    struct err *e)
{
	struct ev_set *s;

	if ((s = mem_calloc(1, sizeof *s)) == NULL) {
		err_nomem(e);
		return NULL;
	}
	s->h = *h;
	s->now = *now;
	return s;
}

static void free_ev(struct ev_set *s, struct ev *ev)
{
	if (ev->data != NULL && s->h.free_data != NULL)
		s->h.free_data(ev->data);
	mem_free(ev->id);
	mem_free(ev->source_id);
	mem_free(ev->case_id);
	mem_free(ev);
}

void ev_free(struct ev_set *s)
{
	struct ev *ev, *next;
	size_t i;

	if (s == NULL)
		return;
	for (ev = s->first; ev != NULL; ev = next) {
		next = ev->next;
		free_ev(s, ev);
	}
	strmap_free(&s->by_id);
	strmap_free(&s->by_src);
	rec_free(&s->before);
	mem_free(s->chains);
	for (i = 0; i < s->nfiles; i++)
		mem_free(s->files[i]);
	mem_free(s->files);
	mem_free(s->vec);
	mem_free(s->bloom);
	mem_free(s);
}

const char *ev_field(const struct rec *row, const char *const *names)
{
	const char *v;

	for (; *names != NULL; names++)
		if ((v = rec_get_nonempty(row, *names)) != NULL &&
		    !(rec_type(row, *names) == REC_RAW && strcmp(v, "null") == 0))
			return v;
	return NULL;
}

int ev_bool(const char *s)
{
	static const char *const yes[] = { "true", "1", "yes", "y", "是", NULL };
	static const char *const no[] = { "false", "0", "no", "n", "否", NULL };
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; yes[i] != NULL; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (i = 0; no[i] != NULL; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

int ev_bad_word(struct err *e, const char *field, const char *val,
    const char *const *words)
{
	const char *near = cli_nearest(val, words);
	char list[256] = "";
	size_t i;

	for (i = 0; words[i] != NULL; i++) {
		if (i)
			strncat(list, ", ", sizeof list - strlen(list) - 1);
		strncat(list, words[i], sizeof list - strlen(list) - 1);
	}
	if (near != NULL)
		return err_set(e, "%s: \"%s\" is not one of %s (did you mean "
		    "%s?)", field, val, list, near);
	return err_set(e, "%s: \"%s\" is not one of %s", field, val, list);
}

const char *ev_time(struct tf_time t)
{
	static char buf[40];

	tf_format(buf, sizeof buf, t);
	return buf;
}

int ev_case_last(const struct rec *r, struct tf_time *out)
{
	const char *h = rec_get(r, "history"), *at;
	struct tf_time t;
	struct err e;
	json_t *arr, *v;
	size_t i;
	int found = 0;

	if (h != NULL && rec_type(r, "history") == REC_RAW &&
	    (arr = json_loads(h, 0, NULL)) != NULL) {
		/* the latest, not the last: a hand-edited trail may be unsorted */
		json_array_foreach(arr, i, v) {
			at = json_string_value(json_object_get(v, "at"));
			if (at != NULL && tf_parse(at, &t, &e) == 0 &&
			    (!found || t.t > out->t)) {
				*out = t;
				found = 1;
			}
		}
		json_decref(arr);
	}
	if (!found && (at = rec_get_nonempty(r, "received_at")) != NULL &&
	    tf_parse(at, &t, &e) == 0) {
		*out = t;
		found = 1;
	}
	return found;
}

/* Put ev at the end of the chain of key in map m. */
static int index_ev(struct ev_set *s, struct strmap *m, const char *key,
    struct ev *ev, struct err *e)
{
	size_t klen = strlen(key);
	struct strmap_slot *slot = strmap_get(m, key, klen);
	struct chain *c;

	if (slot == NULL) {
		if (s->nchains == s->capchains) {
			size_t cap = s->capchains ? s->capchains * 2 : 64;

			if ((c = mem_realloc(s->chains, cap * sizeof *c)) == NULL)
				return err_nomem(e);
			s->chains = c;
			s->capchains = cap;
		}
		if (strmap_put(m, key, klen, (long)s->nchains) < 0)
			return err_nomem(e);
		c = &s->chains[s->nchains++];
		c->head = c->tail = ev;
		return 0;
	}
	c = &s->chains[slot->val];
	c->tail->next_key = ev;
	c->tail = ev;
	return 0;
}

/* A refusal while reading: "file:line: why". */
static int refuse_row(const char *file, unsigned long line, struct err *e)
{
	if (file != NULL)
		err_prefix(e, "%s:%lu", file, line);
	return 0;
}

int ev_add(struct ev_set *s, const struct rec *row, const char *file,
    unsigned long line, struct err *e)
{
	const char *id = ev_field(row, id_names);
	const char *src = ev_field(row, src_names);
	const char *at = ev_field(row, at_names);
	struct ev *ev;

	if (id == NULL && src == NULL) {
		err_set(e, "no id or source_id: which case?");
		return refuse_row(file, line, e);
	}
	if ((ev = mem_calloc(1, sizeof *ev)) == NULL)
		return err_nomem(e);
	ev->file = file;
	ev->line = line;
	ev->seq = s->n;
	if ((id != NULL && (ev->id = mem_strdup(id)) == NULL) ||
	    (src != NULL && (ev->source_id = mem_strdup(src)) == NULL)) {
		free_ev(s, ev);
		return err_nomem(e);
	}
	if (at == NULL) {
		err_set(e, "at: missing: when did it happen?");
		goto refuse;
	}
	if (tf_parse(at, &ev->at, e) < 0) {
		err_prefix(e, "at");
		goto refuse;
	}
	if (s->h.parse(s->h.ctx, row, ev, e) < 0) {
		if (e->sys == ENOMEM) {		/* not the row's fault */
			free_ev(s, ev);
			return -1;
		}
		goto refuse;
	}
	if (index_ev(s, id ? &s->by_id : &s->by_src, id ? id : src, ev, e) < 0) {
		free_ev(s, ev);
		return -1;
	}
	if (s->last != NULL)
		s->last->next = ev;
	else
		s->first = ev;
	s->last = ev;
	s->n++;
	return 1;
refuse:
	free_ev(s, ev);
	return refuse_row(file, line, e);
}

static int keep_name(struct ev_set *s, const char *path, const char **name,
    struct err *e)
{
	char **f;

	if ((f = mem_realloc(s->files, (s->nfiles + 1) * sizeof *f)) == NULL)
		return err_nomem(e);
	s->files = f;
	if ((f[s->nfiles] = mem_strdup(path)) == NULL)
		return err_nomem(e);
	*name = f[s->nfiles++];
	return 0;
}

int ev_load(struct ev_set *s, const char *path, const struct in_opts *o,
    struct err *e)
{
	struct input *in;
	struct rec row;
	const char *name = NULL;
	int rc;

	if ((in = in_open(path, o, e)) == NULL)
		return -1;
	if (keep_name(s, in_name(in), &name, e) < 0) {
		in_close(in);
		return -1;
	}
	rec_init(&row);
	while ((rc = in_next(in, &row, e)) != IN_EOF) {
		if (rc == IN_FATAL)
			break;
		if (rc == IN_BAD ||
		    (rc = ev_add(s, &row, name, row.line, e)) == 0) {
			s->rejected++;
			s->h.say(s->h.sayctx, e->msg);
			continue;
		}
		if (rc < 0)
			break;
	}
	rec_free(&row);
	in_close(in);
	return rc < 0 ? -1 : 0;
}

static unsigned long long bloom_hash(const char *k, size_t n)
{
	unsigned long long h = 14695981039346656037ull;

	while (n--)
		h = (h ^ (unsigned char)*k++) * 1099511628211ull;
	return h ^ (h >> 29);
}

static void bloom_set(struct ev_set *s, const char *k, size_t n)
{
	unsigned long long h = bloom_hash(k, n);
	size_t a = (size_t)h & s->bloom_mask, b = (size_t)(h >> 32) & s->bloom_mask;

	s->bloom[a >> 3] |= (unsigned char)(1u << (a & 7));
	s->bloom[b >> 3] |= (unsigned char)(1u << (b & 7));
}

/* 0: no event names the key; 1: perhaps one does. */
static int bloom_maybe(const struct ev_set *s, const char *k)
{
	unsigned long long h = bloom_hash(k, strlen(k));
	size_t a = (size_t)h & s->bloom_mask, b = (size_t)(h >> 32) & s->bloom_mask;

	return (s->bloom[a >> 3] >> (a & 7) & 1) && (s->bloom[b >> 3] >> (b & 7) & 1);
}

static int bloom_build(struct ev_set *s, struct err *e)
{
	const struct strmap *maps[2] = { &s->by_id, &s->by_src };
	size_t bits = 1024, i, j;

	while (bits < 8 * (s->by_id.n + s->by_src.n))
		bits *= 2;
	if ((s->bloom = mem_calloc(bits / 8, 1)) == NULL)
		return err_nomem(e);
	s->bloom_mask = bits - 1;
	for (j = 0; j < 2; j++)
		for (i = 0; i < maps[j]->cap; i++)
			if (maps[j]->slot[i].key != NULL)
				bloom_set(s, maps[j]->slot[i].key,
				    maps[j]->slot[i].klen);
	return 0;
}

/* Gather the events naming this case, by id and by source_id, merged
 * into file order in s->vec.  Returns their number, or -1. */
static long gather(struct ev_set *s, const char *id, const char *src,
    struct err *e)
{
	struct strmap_slot *a = NULL, *b = NULL;
	struct ev *x, *y;
	size_t n = 0;

	if (s->bloom == NULL && bloom_build(s, e) < 0)
		return -1;
	if ((id == NULL || !bloom_maybe(s, id)) &&
	    (src == NULL || !bloom_maybe(s, src)))
		return 0;
	if (id != NULL && s->by_id.n > 0)
		a = strmap_get(&s->by_id, id, strlen(id));
	if (src != NULL && s->by_src.n > 0)
		b = strmap_get(&s->by_src, src, strlen(src));
	x = a ? s->chains[a->val].head : NULL;
	y = b ? s->chains[b->val].head : NULL;
	while (x != NULL || y != NULL) {
		if (n == s->capvec) {
			size_t cap = s->capvec ? s->capvec * 2 : 16;
			struct ev **v = mem_realloc(s->vec, cap * sizeof *v);

			if (v == NULL)
				return err_nomem(e);
			s->vec = v;
			s->capvec = cap;
		}
		if (y == NULL || (x != NULL && x->seq < y->seq)) {
			s->vec[n++] = x;
			x = x->next_key;
		} else {
			s->vec[n++] = y;
			y = y->next_key;
		}
	}
	return (long)n;
}

/* Say a refusal of ev on case label: "file:line: case: why". */
static void refuse(struct ev_set *s, const struct ev *ev, const char *label,
    const char *why)
{
	char msg[sizeof ((struct err *)0)->msg + 512];

	if (ev->file != NULL)
		snprintf(msg, sizeof msg, "%s:%lu: %s: %s", ev->file, ev->line,
		    label, why);
	else
		snprintf(msg, sizeof msg, "%s: %s", label, why);
	s->rejected++;
	s->h.say(s->h.sayctx, msg);
}

/* The checks every event passes before the command sees it. 0 or -1. */
static int check_common(struct ev_set *s, const struct rec *r,
    const struct ev *ev, const struct ev *prev, const struct tf_time *last,
    int has_last, struct err *e)
{
	const char *src = rec_get(r, "source_id");
	char a[40];

	if (ev->id != NULL && ev->source_id != NULL &&
	    (src == NULL || strcmp(src, ev->source_id) != 0))
		return err_set(e, "source_id %s does not match the case's (%s)",
		    ev->source_id, src ? src : "none");
	tf_format(a, sizeof a, ev->at);
	if (prev != NULL && ev->at.t < prev->at.t) {
		if (prev->file != NULL)
			return err_set(e, "out of order: at %s is before the "
			    "case's previous event (%s:%lu, %s); events for one "
			    "case must be in time order", a, prev->file,
			    prev->line, ev_time(prev->at));
		return err_set(e, "out of order: at %s is before the case's "
		    "previous event (%s)", a, ev_time(prev->at));
	}
	if (has_last && ev->at.t < last->t)
		return err_set(e, "out of order: at %s is before the case's "
		    "last recorded step (%s)", a, ev_time(*last));
	if (ev->at.t > s->now.t)
		return err_set(e, "at %s is in the future (now is %s)", a,
		    ev_time(s->now));
	return 0;
}

/* Apply one event: 1 applied, 0 refused (said), -1 fatal. */
static int apply_one(struct ev_set *s, struct rec *r, struct ev *ev,
    const struct ev *prev, struct tf_time *last, int *has_last,
    const char *label, struct err *e)
{
	int rc;

	if (ev->case_id != NULL) {
		char why[600];

		snprintf(why, sizeof why, "source_id %s names more than one "
		    "case; the event went to %s only", ev->source_id,
		    ev->case_id);
		refuse(s, ev, label, why);
		return 0;
	}
	if ((ev->case_id = mem_strdup(label)) == NULL)
		return err_nomem(e);
	if (check_common(s, r, ev, prev, last, *has_last, e) < 0)
		rc = 0;
	else if (rec_copy(&s->before, r, e) < 0 ||
	    (rc = s->h.apply(s->h.ctx, r, ev, e)) < 0)
		return -1;
	else if (rc == 1 && (rc = cli_law_update(s->cli, r, e)) <= 0) {
		/* the case's deadlines (law.h) cannot be counted after this
		 * change (a date outside the calendar): the event is refused
		 * and the case stays as it was */
		if (rc < 0)
			return -1;
		err_prefix(e, "%s: deadlines", s->h.cmd);
		if (rec_copy(r, &s->before, e) < 0)
			return -1;
	}
	if (rc == 0) {
		ev->fate = EV_REJECTED;
		refuse(s, ev, label, e->msg);
		return 0;
	}
	ev->fate = EV_APPLIED;
	s->applied++;
	if (!*has_last || ev->at.t > last->t)
		*last = ev->at;
	*has_last = 1;
	return 1;
}

int ev_filter_apply(void *set, struct rec *r, struct err *e)
{
	struct ev_set *s = set;
	const char *id = rec_get(r, "id"), *src = rec_get(r, "source_id");
	char label[512];
	struct tf_time last = { 0, 0 };
	const struct ev *prev = NULL;
	long n, i;
	int has_last, changed = 0, rc;

	if ((n = gather(s, id, src, e)) <= 0)
		return n < 0 ? -1 : FILTER_PASS;
	/* the strings of r move when it changes: keep the label */
	snprintf(label, sizeof label, "%s", id ? id : src);
	has_last = ev_case_last(r, &last);
	for (i = 0; i < n; i++) {
		struct ev *ev = s->vec[i];

		if ((rc = apply_one(s, r, ev, prev, &last, &has_last, label,
		    e)) < 0)
			return -1;
		changed |= rc;
		if (ev->case_id != NULL && strcmp(ev->case_id, label) == 0)
			prev = ev;
	}
	return changed ? FILTER_DONE : FILTER_PASS;
}

int ev_filter_finish(void *set, struct err *e)
{
	struct ev_set *s = set;
	struct ev *ev;
	char why[600];

	(void)e;
	for (ev = s->first; ev != NULL; ev = ev->next) {
		if (ev->case_id != NULL)
			continue;
		ev->fate = EV_REJECTED;
		if (ev->id != NULL)
			snprintf(why, sizeof why, "no such case");
		else
			snprintf(why, sizeof why, "no case with this source_id");
		refuse(s, ev, ev->id ? ev->id : ev->source_id, why);
	}
	return s->rejected > (long)INT_MAX ? INT_MAX : (int)s->rejected;
}

static void run_say(void *set, const char *msg)
{
	struct ev_set *s = set;

	s->h.say(s->h.sayctx, msg);
}

int ev_run(struct ev_set *s, const struct cli *c, struct progress *meter,
    char **files, int nfiles, struct filter_stats *st, struct err *e)
{
	struct filter_ops ops;

	s->cli = c;
	memset(&ops, 0, sizeof ops);
	ops.progress = meter;
	ops.ctx = s;
	ops.apply = ev_filter_apply;
	ops.finish = ev_filter_finish;
	ops.say = run_say;
	return filter_run(c, files, nfiles, &ops, st, e);
}

size_t ev_count(const struct ev_set *s)
{
	return s->n;
}

long ev_applied(const struct ev_set *s)
{
	return s->applied;
}

long ev_rejected(const struct ev_set *s)
{
	return s->rejected;
}

const struct ev *ev_first(const struct ev_set *s)
{
	return s->first;
}
