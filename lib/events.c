/*
 * events.c - event files for mediate and confirm: read, index by case,
 * apply during the one pass over the cases; and the main() both
 * commands share.  See events.h.
 *
 * Memory.  A station runs these commands on stores of millions of cases
 * with a day's or a month's events, so what an event costs is what the
 * command costs.  Events are packed one after another into an arena of
 * 1 MiB chunks: a 36-byte header, the id and source_id, then the
 * command's data (its fixed struct and inline strings); words that
 * repeat on most events (a court, a mediator) are kept once in a word
 * table and referred to.  No allocation per event, no pointers: an
 * event is a 32-bit handle (chunk, offset / 4, plus one so that 0 is
 * none), and the handles grow in file order, so they double as sequence
 * numbers.
 *
 * Index.  One open-addressing table of handles (load <= 3/4), keyed by
 * the hash of (how the event names its case, the key): a slot holds the
 * first event of the chain of events naming that key; events chain
 * through "next", newest first while loading, and each chain is turned
 * round once when the pass begins, so that no tail is kept.  For
 * each case the chains of its id and of its source_id are merged by
 * handle, so that an event file may mix both ways of naming a case and
 * still apply in file order.
 *
 * Most cases of a store are named by no event, and a lookup that misses
 * in a table of 100,000 keys is one or two cache misses.  A small Bloom
 * filter (two bits per key out of eight: 100 KiB for 100,000 events, in
 * cache) answers most of those misses first.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "events.h"
#include "filter.h"
#include "format.h"
#include "law.h"
#include "mem.h"
#include "strmap.h"

#define CHUNK_SHIFT	20			/* 1 MiB chunks */
#define CHUNK_SIZE	((size_t)1 << CHUNK_SHIFT)
#define UNIT_SHIFT	2			/* events start 4-aligned */
#define OFF_BITS	(CHUNK_SHIFT - UNIT_SHIFT)
#define MAX_CHUNKS	((size_t)1 << (32 - OFF_BITS))
#define NOFILE		0xffffu
#define MAX_KEY		1024			/* bytes of an id or source_id */
#define MAX_WORDS	65536			/* distinct words kept once */
#define WORD_REF	0x80000000u

enum { BY_ID = 0, BY_SRC = 1 };
#define F_BY_SRC	1	/* indexed by its source_id (it has no id) */

/* The header of a packed event (36 bytes); events start 4-aligned in
 * the arena. */
struct pev {
	uint32_t at_lo, at_hi;	/* at.t, in two halves: 4-aligned */
	int32_t off;
	uint32_t next;		/* handle of the next event naming the key:
				   the previous one while loading, the next
				   one in file order once sealed */
	uint32_t line;
	uint32_t claim;		/* 0 no case yet; 1 the case of its own id;
				   2 + offset of the case's id in labels */
	uint32_t size;		/* of the whole event, 4-aligned */
	uint16_t file;		/* index in files, NOFILE in single mode */
	uint16_t idlen, srclen;	/* 0: absent (a key is never empty) */
	uint8_t fate, flags;
	/* id, NUL, source_id, NUL (when present), the command's data */
};

struct chunk {
	char *p;
	size_t used, cap;
};

struct ev_set {
	struct ev_hooks h;
	struct tf_time now;
	struct chunk *chunks;
	size_t nchunks, capchunks;
	size_t n;			/* events */
	uint32_t *slot;			/* the index: chain heads */
	size_t cap, nkeys;
	char **files;			/* names of event files, owned */
	size_t nfiles;
	struct strmap words;		/* word -> index in wordv */
	const char **wordv;		/* the words, in the map's pool */
	size_t nwords, capwords;
	struct buf labels;		/* ids of cases claimed by source_id */
	struct ev_pack pack;		/* the event being parsed */
	unsigned char *bloom;		/* see above; built on first use */
	int sealed;			/* chains in file order, no more adds */
	long refused_here;		/* refusals on the present case */
	struct buf reasons;		/* and their reasons, for --rejects */
	int swallow;			/* filter.c is about to say them again */
	size_t bloom_mask;		/* bits - 1 */
	uint32_t *vec;			/* the events of one case, reused */
	size_t capvec;
	long applied, rejected, warned;
	long recorded;			/* replays: already in the history */
	char now_text[40];		/* --now: each entry's recorded_at */
	const struct cli *cli;		/* ev_run's: the clock, or NULL */
	struct rec before;		/* a case before an event changes it */
	char warning[sizeof ((struct err *)0)->msg];	/* ev_warn's */
	int has_warning;
	int own_state;			/* without a cli: 0, 1 loaded, -1 */
	struct err own_why;
	struct law own_law;
	struct cal own_cal;
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
	tf_format(s->now_text, sizeof s->now_text, *now);
	s->pack.set = s;
	return s;
}

void ev_free(struct ev_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nchunks; i++)
		mem_free(s->chunks[i].p);
	mem_free(s->chunks);
	mem_free(s->slot);
	for (i = 0; i < s->nfiles; i++)
		mem_free(s->files[i]);
	mem_free(s->files);
	strmap_free(&s->words);
	mem_free(s->wordv);
	buf_free(&s->labels);
	buf_free(&s->reasons);
	buf_free(&s->pack.b);
	rec_free(&s->before);
	mem_free(s->vec);
	mem_free(s->bloom);
	if (s->own_state > 0) {
		law_free(&s->own_law);
		cal_free(&s->own_cal);
	}
	mem_free(s);
}

/* --- the arena --- */

static struct pev *ev_at(const struct ev_set *s, uint32_t h)
{
	h--;
	return (struct pev *)(void *)(s->chunks[h >> OFF_BITS].p +
	    ((size_t)(h & ((1u << OFF_BITS) - 1)) << UNIT_SHIFT));
}

static const char *pev_id(const struct pev *p)
{
	return p->idlen ? (const char *)(p + 1) : NULL;
}

static const char *pev_src(const struct pev *p)
{
	return p->srclen ? (const char *)(p + 1) + (p->idlen ? p->idlen + 1u : 0) :
	    NULL;
}

static const char *pev_key(const struct pev *p, size_t *len)
{
	if (p->flags & F_BY_SRC) {
		*len = p->srclen;
		return pev_src(p);
	}
	*len = p->idlen;
	return pev_id(p);
}

static const void *pev_data(const struct pev *p)
{
	return (const char *)(p + 1) + (p->idlen ? p->idlen + 1u : 0) +
	    (p->srclen ? p->srclen + 1u : 0);
}

/* Room for size bytes (4-aligned) at the end of the arena; the handle. */
static void *arena_room(struct ev_set *s, size_t size, uint32_t *h,
    struct err *e)
{
	struct chunk *c = s->nchunks ? &s->chunks[s->nchunks - 1] : NULL;
	size_t at;

	if (c == NULL || c->cap - c->used < size) {
		size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;

		if (s->nchunks == MAX_CHUNKS) {
			err_set(e, "too many events (%zu bytes of them)",
			    s->nchunks * CHUNK_SIZE);
			return NULL;
		}
		if (s->chunks == NULL || s->nchunks == s->capchunks) {
			size_t n = s->capchunks ? s->capchunks * 2 : 16;
			struct chunk *v;

			if ((v = mem_realloc(s->chunks, n * sizeof *v)) == NULL) {
				err_nomem(e);
				return NULL;
			}
			s->chunks = v;
			s->capchunks = n;
		}
		c = &s->chunks[s->nchunks];
		if ((c->p = mem_alloc(cap)) == NULL) {
			err_nomem(e);
			return NULL;
		}
		c->used = 0;
		c->cap = cap;
		s->nchunks++;
	}
	at = c->used;
	c->used += size;
	*h = (uint32_t)((((s->nchunks - 1) << OFF_BITS) | (at >> UNIT_SHIFT)) + 1);
	return c->p + at;
}

/* The first event, and the one after h, in the order added; 0 at the end. */
static uint32_t ev_after(const struct ev_set *s, uint32_t h)
{
	size_t c, off;

	if (h == 0) {
		c = 0;
		off = 0;
	} else {
		h--;
		c = h >> OFF_BITS;
		off = ((size_t)(h & ((1u << OFF_BITS) - 1)) << UNIT_SHIFT) +
		    ev_at(s, h + 1)->size;
	}
	for (; c < s->nchunks; c++, off = 0)
		if (off < s->chunks[c].used)
			return (uint32_t)(((c << OFF_BITS) | (off >> UNIT_SHIFT)) + 1);
	return 0;
}

/* --- the index --- */

static uint64_t key_hash(int kind, const char *k, size_t n)
{
	uint64_t h = 14695981039346656037ull ^ (uint64_t)kind;

	while (n--)
		h = (h ^ (unsigned char)*k++) * 1099511628211ull;
	return h ^ (h >> 29);
}

static int key_is(const struct pev *p, int kind, const char *k, size_t n)
{
	size_t len;
	const char *key = pev_key(p, &len);

	return ((p->flags & F_BY_SRC) ? BY_SRC : BY_ID) == kind && len == n &&
	    memcmp(key, k, n) == 0;
}

/* The slot of the key: its chain head, or the empty slot to fill. */
static uint32_t *slot_of(const struct ev_set *s, int kind, const char *k,
    size_t n)
{
	size_t i = (size_t)key_hash(kind, k, n) & (s->cap - 1);

	for (; s->slot[i] != 0; i = (i + 1) & (s->cap - 1))
		if (key_is(ev_at(s, s->slot[i]), kind, k, n))
			break;
	return &s->slot[i];
}

static int index_grow(struct ev_set *s, struct err *e)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i, j, n;
	uint32_t *old = s->slot, *nw;
	const char *k;

	if ((nw = mem_calloc(cap, sizeof *nw)) == NULL)
		return err_nomem(e);
	for (i = 0; i < s->cap; i++) {
		const struct pev *p;

		if (old[i] == 0)
			continue;
		p = ev_at(s, old[i]);
		k = pev_key(p, &n);
		j = (size_t)key_hash((p->flags & F_BY_SRC) ? BY_SRC : BY_ID, k, n) &
		    (cap - 1);
		while (nw[j] != 0)
			j = (j + 1) & (cap - 1);
		nw[j] = old[i];
	}
	mem_free(old);
	s->slot = nw;
	s->cap = cap;
	return 0;
}

/* Put event h at the end of the chain of its key. */
static int index_ev(struct ev_set *s, uint32_t h, struct err *e)
{
	struct pev *p = ev_at(s, h);
	int kind = (p->flags & F_BY_SRC) ? BY_SRC : BY_ID;
	const char *k;
	uint32_t *slot;
	size_t n;

	/* load <= 3/4: the Bloom filter answers most misses before a probe */
	if (4 * (s->nkeys + 1) > 3 * s->cap && index_grow(s, e) < 0)
		return -1;
	k = pev_key(p, &n);
	slot = slot_of(s, kind, k, n);
	/* newest first while loading; seal() turns each chain round */
	if (*slot == 0)
		s->nkeys++;
	p->next = *slot;
	*slot = h;
	return 0;
}

/* Once every event is in: each chain in file order, and the Bloom
 * filter. */
static int bloom_build(struct ev_set *s, struct err *e);

static int seal(struct ev_set *s, struct err *e)
{
	uint32_t h, prev, next;
	size_t i;

	for (i = 0; i < s->cap; i++) {
		for (prev = 0, h = s->slot[i]; h != 0; prev = h, h = next) {
			next = ev_at(s, h)->next;
			ev_at(s, h)->next = prev;
		}
		s->slot[i] = prev;
	}
	s->sealed = 1;
	return bloom_build(s, e);
}

/* --- small helpers --- */

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

/* The latest "at" of a history, as law_history_walk gives the entries. */
struct latest {
	struct tf_time t;
	int found;
};

static void keep_latest(void *ctx, const char *at, size_t an,
    const char *to, size_t tn)
{
	struct latest *l = ctx;
	struct tf_time t;
	struct err e;
	char s[64];

	(void)to;
	(void)tn;
	if (at == NULL || an >= sizeof s)
		return;		/* too long to be a time */
	memcpy(s, at, an);
	s[an] = '\0';
	if (tf_parse(s, &t, &e) == 0 && (!l->found || t.t > l->t.t)) {
		l->t = t;
		l->found = 1;
	}
}

int ev_case_last(const struct rec *r, struct tf_time *out)
{
	const char *h = rec_get(r, "history"), *at;
	struct latest l;
	struct tf_time t;
	struct err e;
	json_t *arr, *v;
	size_t i;

	l.found = 0;
	/* the latest, not the last: a hand-edited trail may be unsorted.
	 * The direct walk reads what onedoor writes; jansson the rest. */
	if (h != NULL && rec_type(r, "history") == REC_RAW &&
	    law_history_walk(h, keep_latest, &l) < 0) {
		l.found = 0;
		if ((arr = json_loads(h, 0, NULL)) != NULL) {
			json_array_foreach(arr, i, v) {
				at = json_string_value(json_object_get(v, "at"));
				if (at != NULL && tf_parse(at, &t, &e) == 0 &&
				    (!l.found || t.t > l.t.t)) {
					l.t = t;
					l.found = 1;
				}
			}
			json_decref(arr);
		}
	}
	if (!l.found && (at = rec_get_nonempty(r, "received_at")) != NULL &&
	    tf_parse(at, &t, &e) == 0) {
		l.t = t;
		l.found = 1;
	}
	if (l.found)
		*out = l.t;
	return l.found;
}

/* --- the command's data --- */

int ev_pack_begin(struct ev_pack *p, size_t size, struct err *e)
{
	if (size == 0)
		size = 1;	/* so that a string is never at offset 0 */
	buf_reset(&p->b);
	if (buf_reserve(&p->b, size) < 0)
		return err_nomem(e);
	memset(p->b.p, 0, size);
	p->b.len = size;
	p->nfixed = size;
	return 0;
}

int ev_pack_str(struct ev_pack *p, const char *s, uint32_t *ref,
    struct err *e)
{
	size_t n;

	*ref = 0;
	if (s == NULL)
		return 0;
	n = strlen(s);
	if (p->b.len + n + 1 >= WORD_REF)
		return err_set(e, "a field of more than 2 GB");
	*ref = (uint32_t)p->b.len;
	if (buf_add(&p->b, s, n + 1) < 0)
		return err_nomem(e);
	return 0;
}

int ev_pack_word(struct ev_pack *p, const char *s, uint32_t *ref,
    struct err *e)
{
	struct ev_set *set = p->set;
	struct strmap_slot *slot;
	size_t n;
	int created;

	*ref = 0;
	if (s == NULL)
		return 0;
	n = strlen(s);
	if ((slot = strmap_get(&set->words, s, n)) != NULL) {
		*ref = WORD_REF | (uint32_t)slot->val;
		return 0;
	}
	/* a column of words that do not repeat: keep them with the events */
	if (set->nwords == MAX_WORDS || n > 200)
		return ev_pack_str(p, s, ref, e);
	if (set->nwords == set->capwords) {
		size_t cap = set->capwords ? set->capwords * 2 : 64;
		const char **v = mem_realloc(set->wordv, cap * sizeof *v);

		if (v == NULL)
			return err_nomem(e);
		set->wordv = v;
		set->capwords = cap;
	}
	if ((slot = strmap_slot(&set->words, s, n, &created)) == NULL)
		return err_nomem(e);
	slot->val = (long)set->nwords;
	set->wordv[set->nwords] = slot->key;
	*ref = WORD_REF | (uint32_t)set->nwords++;
	return 0;
}

void ev_pack_fixed(struct ev_pack *p, const void *fixed, size_t size)
{
	memcpy(p->b.p, fixed, size < p->nfixed ? size : p->nfixed);
}

void ev_data(const struct ev *ev, void *out, size_t size)
{
	memcpy(out, ev->data, size);
}

const char *ev_str(const struct ev *ev, uint32_t ref)
{
	if (ref == 0)
		return NULL;
	if (ref & WORD_REF)
		return ev->set->wordv[ref & ~WORD_REF];
	return (const char *)ev->data + ref;
}

/* --- reading --- */

/* The index of a file name in s->files, adding it when new. */
static int file_index(struct ev_set *s, const char *file, uint16_t *idx,
    struct err *e)
{
	char **f;
	size_t i;

	if (file == NULL) {
		*idx = NOFILE;
		return 0;
	}
	for (i = 0; i < s->nfiles; i++)
		if (s->files[i] == file || strcmp(s->files[i], file) == 0) {
			*idx = (uint16_t)i;
			return 0;
		}
	/* -1 spelt out: *idx is written exactly when 0 is returned */
	if (s->nfiles == NOFILE) {
		err_set(e, "too many event files");
		return -1;
	}
	if ((f = mem_realloc(s->files, (s->nfiles + 1) * sizeof *f)) == NULL) {
		err_nomem(e);
		return -1;
	}
	s->files = f;
	if ((f[s->nfiles] = mem_strdup(file)) == NULL) {
		err_nomem(e);
		return -1;
	}
	*idx = (uint16_t)s->nfiles++;
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
	size_t idn = id ? strlen(id) : 0, srcn = src ? strlen(src) : 0, size;
	struct tf_time t;
	struct pev *p;
	uint16_t fi;
	uint32_t h;
	char *q;

	if (s->sealed)
		return err_set(e, "an event added after the pass began");
	if (id == NULL && src == NULL) {
		err_set(e, "no id or source_id: which case?");
		return refuse_row(file, line, e);
	}
	if (idn > MAX_KEY || srcn > MAX_KEY) {
		err_set(e, "%s: longer than %d bytes: not a case's number",
		    idn > MAX_KEY ? "id" : "source_id", MAX_KEY);
		return refuse_row(file, line, e);
	}
	if (at == NULL) {
		err_set(e, "at: missing: when did it happen?");
		return refuse_row(file, line, e);
	}
	if (tf_parse(at, &t, e) < 0) {
		err_prefix(e, "at");
		return refuse_row(file, line, e);
	}
	if (s->h.parse(s->h.ctx, row, t, &s->pack, e) < 0) {
		if (e->sys == ENOMEM)		/* not the row's fault */
			return -1;
		return refuse_row(file, line, e);
	}
	if (file_index(s, file, &fi, e) < 0)
		return -1;
	size = sizeof *p + (id ? idn + 1 : 0) + (src ? srcn + 1 : 0) +
	    s->pack.b.len;
	size = (size + 3) & ~(size_t)3;
	if (size > UINT32_MAX)
		return err_set(e, "an event of more than 4 GB");
	if ((p = arena_room(s, size, &h, e)) == NULL)
		return -1;
	memset(p, 0, sizeof *p);
	p->at_lo = (uint32_t)((unsigned long long)t.t & 0xffffffffu);
	p->at_hi = (uint32_t)((unsigned long long)t.t >> 32);
	p->off = t.off;
	p->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	p->size = (uint32_t)size;
	p->file = fi;
	p->idlen = (uint16_t)idn;
	p->srclen = (uint16_t)srcn;
	p->flags = id ? 0 : F_BY_SRC;
	q = (char *)(p + 1);
	if (id != NULL) {
		memcpy(q, id, idn + 1);
		q += idn + 1;
	}
	if (src != NULL) {
		memcpy(q, src, srcn + 1);
		q += srcn + 1;
	}
	memcpy(q, s->pack.b.p, s->pack.b.len);
	if (index_ev(s, h, e) < 0)
		return -1;	/* fatal: the half-added event is never read */
	s->n++;
	return 1;
}

/*
 * A CSV header with no column naming the case (id or source_id, under
 * any of their names) is an error naming its columns: every row would
 * be refused, and a header-only file would apply nothing without a word.
 */
static int check_header(const struct input *in, struct err *e)
{
	const char *const *h;
	char list[600] = "";
	size_t n = 0, i, j, len = 0;

	if ((h = in_header(in, &n)) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		for (j = 0; id_names[j] != NULL; j++)
			if (strcmp(h[i], id_names[j]) == 0)
				return 0;
		for (j = 0; src_names[j] != NULL; j++)
			if (strcmp(h[i], src_names[j]) == 0)
				return 0;
	}
	for (i = 0; i < n && len < sizeof list - 8; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
		    i ? ", " : "", h[i]);
	if (len >= sizeof list - 8)
		snprintf(list + sizeof list - 8, 8, ", ...");
	return err_set(e, "%s: no column names the case (id or source_id; "
	    "columns: %s)", in_name(in), list);
}

int ev_load(struct ev_set *s, const char *path, const struct in_opts *o,
    struct err *e)
{
	struct input *in;
	struct rec row;
	long rows = 0;
	int rc;

	if ((in = in_open(path, o, e)) == NULL)
		return -1;
	if (check_header(in, e) < 0) {
		in_close(in);
		return -1;
	}
	rec_init(&row);
	while ((rc = in_next(in, &row, e)) != IN_EOF) {
		if (rc == IN_FATAL)
			break;
		rows++;
		if (rc == IN_BAD ||
		    (rc = ev_add(s, &row, in_name(in), row.line, e)) == 0) {
			s->rejected++;
			s->h.say(s->h.sayctx, e->msg);
			continue;
		}
		if (rc < 0)
			break;
	}
	if (rc == IN_EOF && rows == 0 && !s->h.quiet) {
		char msg[sizeof e->msg];

		snprintf(msg, sizeof msg, "%s: no events", in_name(in));
		s->h.say(s->h.sayctx, msg);
	}
	rec_free(&row);
	in_close(in);
	return rc < 0 ? -1 : 0;
}

/* --- the pass over the cases --- */

static uint64_t bloom_hash(const char *k, size_t n)
{
	return key_hash(0, k, n);
}

static void bloom_set(struct ev_set *s, const char *k, size_t n)
{
	uint64_t h = bloom_hash(k, n);
	size_t a = (size_t)h & s->bloom_mask, b = (size_t)(h >> 32) & s->bloom_mask;

	s->bloom[a >> 3] |= (unsigned char)(1u << (a & 7));
	s->bloom[b >> 3] |= (unsigned char)(1u << (b & 7));
}

/* 0: no event names the key; 1: perhaps one does. */
static int bloom_maybe(const struct ev_set *s, const char *k, size_t n)
{
	uint64_t h = bloom_hash(k, n);
	size_t a = (size_t)h & s->bloom_mask, b = (size_t)(h >> 32) & s->bloom_mask;

	return (s->bloom[a >> 3] >> (a & 7) & 1) && (s->bloom[b >> 3] >> (b & 7) & 1);
}

static int bloom_build(struct ev_set *s, struct err *e)
{
	size_t bits = 1024, i, n;
	const char *k;

	while (bits < 8 * s->nkeys)
		bits *= 2;
	if ((s->bloom = mem_calloc(bits / 8, 1)) == NULL)
		return err_nomem(e);
	s->bloom_mask = bits - 1;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i] != 0) {
			k = pev_key(ev_at(s, s->slot[i]), &n);
			bloom_set(s, k, n);
		}
	return 0;
}

/* The chain head of the key, or 0. */
static uint32_t chain(const struct ev_set *s, int kind, const char *k)
{
	size_t n;

	if (k == NULL || s->nkeys == 0)
		return 0;
	n = strlen(k);
	if (!bloom_maybe(s, k, n))
		return 0;
	return *slot_of(s, kind, k, n);
}

/* Gather the events naming this case, by id and by source_id, merged
 * into file order in s->vec.  Returns their number, or -1. */
static long gather(struct ev_set *s, const char *id, const char *src,
    struct err *e)
{
	uint32_t x, y;
	size_t n = 0;

	if (!s->sealed && seal(s, e) < 0)
		return -1;
	x = chain(s, BY_ID, id);
	y = chain(s, BY_SRC, src);
	while (x != 0 || y != 0) {
		if (n == s->capvec) {
			size_t cap = s->capvec ? s->capvec * 2 : 16;
			uint32_t *v = mem_realloc(s->vec, cap * sizeof *v);

			if (v == NULL)
				return err_nomem(e);
			s->vec = v;
			s->capvec = cap;
		}
		if (y == 0 || (x != 0 && x < y)) {
			s->vec[n++] = x;
			x = ev_at(s, x)->next;
		} else {
			s->vec[n++] = y;
			y = ev_at(s, y)->next;
		}
	}
	return (long)n;
}

/* The view of event h for the hooks and messages. */
static void view(const struct ev_set *s, uint32_t h, struct ev *ev)
{
	const struct pev *p = ev_at(s, h);

	ev->file = p->file == NOFILE ? NULL : s->files[p->file];
	ev->line = p->line;
	ev->id = pev_id(p);
	ev->source_id = pev_src(p);
	ev->at.t = (long long)(((unsigned long long)p->at_hi << 32) | p->at_lo);
	ev->at.off = p->off;
	ev->data = pev_data(p);
	ev->set = s;
}

/* Say a message about ev on case label: "file:line: case: why". */
static void say_ev(struct ev_set *s, const struct ev *ev, const char *label,
    const char *why)
{
	char msg[sizeof ((struct err *)0)->msg + 512];

	if (ev->file != NULL)
		snprintf(msg, sizeof msg, "%s:%lu: %s: %s", ev->file, ev->line,
		    label, why);
	else
		snprintf(msg, sizeof msg, "%s: %s", label, why);
	s->h.say(s->h.sayctx, msg);
}

static void refuse(struct ev_set *s, const struct ev *ev, const char *label,
    const char *why)
{
	s->rejected++;
	say_ev(s, ev, label, why);
}

/* A refusal of an event by the case it names: also the case's reason for
 * --rejects. */
static void refuse_here(struct ev_set *s, const struct ev *ev,
    const char *label, const char *why)
{
	refuse(s, ev, label, why);
	s->refused_here++;
	/* the reason for --rejects: "events.csv:4: confirm: ..." (the case
	 * is the record itself); several are joined with "; " */
	if (s->reasons.len > 0)
		(void)buf_adds(&s->reasons, "; ");
	if (ev->file != NULL)
		(void)buf_printf(&s->reasons, "%s:%lu: ", ev->file, ev->line);
	(void)buf_adds(&s->reasons, why);
}

/* The order every step keeps: received_at <= at <= now, and at not
 * before the case's last recorded step (last, when has_last). */
static int check_time(const struct rec *r, struct tf_time at,
    const struct tf_time *last, int has_last, struct tf_time now,
    struct err *e)
{
	const char *v;
	struct tf_time recv;
	struct err ignore;
	char a[40];

	if ((!has_last || at.t >= last->t) && at.t <= now.t)
		return 0;	/* in order: the common case, nothing to say */
	tf_format(a, sizeof a, at);
	v = rec_get_nonempty(r, "received_at");
	if (has_last && at.t < last->t) {
		/* received_at <= every step: said so when it is the cause */
		if (v != NULL && tf_parse(v, &recv, &ignore) == 0 &&
		    at.t < recv.t)
			return err_set(e, "out of order: at %s is before the "
			    "case was received (%s)", a, ev_time(recv));
		return err_set(e, "out of order: at %s is before the case's "
		    "last recorded step (%s)", a, ev_time(*last));
	}
	if (at.t > now.t)
		return err_set(e, "at %s is in the future (now is %s)", a,
		    ev_time(now));
	return 0;
}

/*
 * 1 when every "at" in the raw history h is a time not after t: then no
 * step of the case is after t.  The text "at":" can only be a key with
 * a string value (a quote inside a JSON string is escaped), though
 * perhaps a nested one, which makes the answer only more careful; a
 * value that is not a plain time answers 0, and the caller then reads
 * the history exactly (ev_case_last).  About a third of the cost of
 * that, for case-route's every case.
 */
static int history_not_after(const char *h, long long t)
{
	static const char key[] = "\"at\":\"";
	const char *p = h, *q, *end;
	struct tf_time got;
	struct err ignore;
	char v[64];
	int any = 0;

	while ((q = strstr(p, key)) != NULL) {
		q += sizeof key - 1;
		if ((end = strchr(q, '"')) == NULL || (size_t)(end - q) >= sizeof v ||
		    memchr(q, '\\', (size_t)(end - q)) != NULL)
			return 0;
		memcpy(v, q, (size_t)(end - q));
		v[end - q] = '\0';
		if (tf_parse(v, &got, &ignore) < 0 || got.t > t)
			return 0;
		any = 1;
		p = end;
	}
	return any;
}

int ev_check_step(const struct rec *r, struct tf_time at, struct tf_time now,
    struct err *e)
{
	int i = rec_find(r, "history");
	struct tf_time last;
	int has_last;

	if (at.t <= now.t && i >= 0 && r->f[i].type == REC_RAW &&
	    history_not_after(r->arena + r->f[i].val, at.t))
		return 0;
	has_last = ev_case_last(r, &last);

	return check_time(r, at, &last, has_last, now, e);
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
	return check_time(r, ev->at, last, has_last, s->now, e);
}

/* Is the value of key in history entry v the string s (absent: s NULL)? */
static int entry_is(json_t *v, const char *key, const char *s)
{
	const char *got = json_string_value(json_object_get(v, key));

	if (s == NULL)
		return json_object_get(v, key) == NULL;
	return got != NULL && strcmp(got, s) == 0;
}

int ev_history_has(const struct rec *r, struct tf_time at, const char *cmd,
    const char *to, const char *by)
{
	const char *h = rec_get(r, "history"), *when;
	struct tf_time t;
	struct err ignore;
	json_t *arr, *v;
	size_t i;
	int found = 0;

	if (h == NULL || (arr = json_loads(h, 0, NULL)) == NULL)
		return 0;
	json_array_foreach(arr, i, v) {
		when = json_string_value(json_object_get(v, "at"));
		if (when != NULL && tf_parse(when, &t, &ignore) == 0 &&
		    t.t == at.t && entry_is(v, "cmd", cmd) &&
		    entry_is(v, "to", to) && entry_is(v, "by", by)) {
			found = 1;
			break;
		}
	}
	json_decref(arr);
	return found;
}

/* An event the case's history holds already (a replayed events file):
 * only an event not after the last step can be one, so the history is
 * read for those alone. */
static int replayed(const struct ev_set *s, const struct rec *r,
    const struct ev *ev, const struct tf_time *last, int has_last)
{
	const char *to = NULL, *by = NULL;

	if (s->h.step == NULL || !has_last || ev->at.t > last->t ||
	    s->h.step(s->h.ctx, ev, &to, &by) < 0)
		return 0;
	return ev_history_has(r, ev->at, s->h.cmd, to, by);
}

/* The case an event went to, when another case claims it too. */
static const char *claimed_by(const struct ev_set *s, const struct pev *p)
{
	return p->claim == 1 ? pev_id(p) : s->labels.p + (p->claim - 2);
}

static int claim(struct ev_set *s, struct pev *p, const char *label,
    struct err *e)
{
	const char *id = pev_id(p);
	size_t at = s->labels.len;

	if (id != NULL && strcmp(id, label) == 0) {
		p->claim = 1;
		return 0;
	}
	if (at > UINT32_MAX - 2 - strlen(label))
		return err_set(e, "too many events matched by source_id");
	if (buf_add(&s->labels, label, strlen(label) + 1) < 0)
		return err_nomem(e);
	p->claim = (uint32_t)(at + 2);
	return 0;
}

/* Apply one event: 1 applied, 0 refused (said), 2 it went to another
 * case before (said), 3 already recorded (a replay), -1 fatal. */
static int apply_one(struct ev_set *s, struct rec *r, uint32_t h,
    const struct ev *prev, struct tf_time *last, int *has_last,
    const char *label, struct err *e)
{
	struct pev *p = ev_at(s, h);
	struct ev ev;
	int rc;

	view(s, h, &ev);
	if (p->claim != 0) {
		char why[600];

		/* by id when it has one: a store may hold an id twice */
		snprintf(why, sizeof why, "%s %s names more than one case; "
		    "the event went to %s only", ev.id ? "id" : "source_id",
		    ev.id ? ev.id : ev.source_id, claimed_by(s, p));
		refuse(s, &ev, label, why);
		return 2;
	}
	if (claim(s, p, label, e) < 0)
		return -1;
	if (replayed(s, r, &ev, last, *has_last)) {
		p->fate = EV_RECORDED;
		s->recorded++;
		return 3;
	}
	s->has_warning = 0;
	if (check_common(s, r, &ev, prev, last, *has_last, e) < 0)
		rc = 0;
	else if (rec_copy(&s->before, r, e) < 0 ||
	    (rc = s->h.apply(s->h.ctx, s, r, &ev, e)) < 0)
		return -1;
	else if (rc == 1 && (rc = cli_law_update(s->cli, r, e)) <= 0) {
		/* the case's deadlines (law.h) cannot be counted after this
		 * change (a field they run from is not a time): the event is
		 * refused and the case stays as it was */
		if (rc < 0)
			return -1;
		err_prefix(e, "%s: deadlines", s->h.cmd);
		if (rec_copy(r, &s->before, e) < 0)
			return -1;
	}
	if (rc == 0) {
		p->fate = EV_REJECTED;
		refuse_here(s, &ev, label, e->msg);
		return 0;
	}
	p->fate = EV_APPLIED;
	s->applied++;
	if (s->has_warning) {
		s->warned++;
		say_ev(s, &ev, label, s->warning);
	}
	if (!*has_last || ev.at.t > last->t)
		*last = ev.at;
	*has_last = 1;
	return 1;
}

int ev_filter_apply(void *set, struct rec *r, struct err *e)
{
	struct ev_set *s = set;
	const char *id = rec_get(r, "id"), *src = rec_get(r, "source_id");
	char label[512];
	struct tf_time last = { 0, 0 };
	struct ev prev;
	long n, i;
	int has_last, has_prev = 0, changed = 0, rc;

	if ((n = gather(s, id, src, e)) <= 0)
		return n < 0 ? -1 : FILTER_PASS;
	/* the strings of r move when it changes: keep the label */
	snprintf(label, sizeof label, "%s", id ? id : src);
	s->refused_here = 0;
	buf_reset(&s->reasons);
	has_last = ev_case_last(r, &last);
	for (i = 0; i < n; i++) {
		if ((rc = apply_one(s, r, s->vec[i], has_prev ? &prev : NULL,
		    &last, &has_last, label, e)) < 0)
			return -1;
		if (rc == 2)
			continue;	/* another case's: not this one's order */
		changed |= rc == 1;
		view(s, s->vec[i], &prev);
		has_prev = 1;
	}
	if (changed || s->refused_here == 0)
		return changed ? FILTER_DONE : FILTER_PASS;
	/* every event on the case refused: the case passes through as it
	 * came and, like any refused change, goes to --rejects with the
	 * reasons (filter.c); they have been said already, with the case */
	err_set(e, "%s", s->reasons.p ? s->reasons.p : "refused");
	s->swallow = 1;
	return FILTER_REJECT;
}

int ev_filter_finish(void *set, struct err *e)
{
	struct ev_set *s = set;
	struct ev ev;
	struct pev *p;
	uint32_t h;

	(void)e;
	for (h = ev_after(s, 0); h != 0; h = ev_after(s, h)) {
		p = ev_at(s, h);
		if (p->claim != 0)
			continue;
		p->fate = EV_REJECTED;
		view(s, h, &ev);
		refuse(s, &ev, ev.id ? ev.id : ev.source_id, ev.id ?
		    "no such case" : "no case with this source_id");
	}
	return s->rejected > (long)INT_MAX ? INT_MAX : (int)s->rejected;
}

static void run_say(void *set, const char *msg)
{
	struct ev_set *s = set;

	if (s->swallow) {	/* a FILTER_REJECT's, said already */
		s->swallow = 0;
		return;
	}
	s->h.say(s->h.sayctx, msg);
}

int ev_run(struct ev_set *s, const struct cli *c, struct progress *meter,
    char **files, int nfiles, struct filter_stats *st, struct err *e)
{
	struct filter_ops ops;

	s->cli = c;
	/* the last event parsed is in the arena now */
	buf_free(&s->pack.b);
	memset(&ops, 0, sizeof ops);
	ops.progress = meter;
	ops.ctx = s;
	ops.apply = ev_filter_apply;
	ops.finish = ev_filter_finish;
	ops.say = run_say;
	return filter_run(c, files, nfiles, &ops, st, e);
}

/* --- for the apply hooks --- */

int ev_law(struct ev_set *s, const struct law **law, const struct cal **cal,
    struct err *e)
{
	if (s->cli != NULL && s->cli->clock != NULL)
		return cli_law(s->cli, law, cal, e);
	if (s->own_state == 0) {
		law_init(&s->own_law);
		cal_init(&s->own_cal);
		s->own_state = 1;
		if (cal_load_builtin(&s->own_cal, &s->own_why) < 0 ||
		    law_load_builtin(&s->own_law, &s->own_why) < 0)
			s->own_state = -1;
	}
	if (s->own_state < 0) {
		*e = s->own_why;
		return -1;
	}
	*law = &s->own_law;
	*cal = &s->own_cal;
	return 0;
}

int ev_lang(const struct ev_set *s)
{
	return s->cli != NULL && s->cli->out.lang == LANG_ZH ? LAW_ZH : LAW_EN;
}

void ev_warn(struct ev_set *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->warning, sizeof s->warning, fmt, ap);
	va_end(ap);
	s->has_warning = 1;
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

long ev_warned(const struct ev_set *s)
{
	return s->warned;
}

long ev_already(const struct ev_set *s)
{
	return s->recorded;
}

const char *ev_recorded_at(const struct ev_set *s)
{
	return s->now_text;
}

size_t ev_pending(const struct ev_set *s)
{
	size_t n = 0;
	uint32_t h;

	for (h = ev_after(s, 0); h != 0; h = ev_after(s, h))
		n += ev_at(s, h)->fate == EV_PENDING;
	return n;
}

size_t ev_bytes(const struct ev_set *s)
{
	size_t n = s->cap * sizeof *s->slot + s->labels.cap + s->bloom_mask / 8 +
	    s->capwords * sizeof *s->wordv, i;

	for (i = 0; i < s->nchunks; i++)
		n += s->chunks[i].used;
	for (i = 0; i < s->nwords; i++)
		n += strlen(s->wordv[i]) + 1;
	return n;
}

/* --- the shared main() --- */

enum { OPT_FIRST = CLI_OWN };

struct ev_args {
	struct cli cli;
	const struct ev_cmd *cmd;
	const char *events[EV_MAX_EVENTS];
	int nevents;
	const char *by;
	const char *val[EV_MAX_OPTS];
	int single;		/* an option of single mode was given */
};

static int opt_index(const struct ev_cmd *cmd, const char *name)
{
	int i;

	for (i = 0; cmd->opts[i].name != NULL; i++)
		if (strcmp(cmd->opts[i].name, name) == 0)
			return i;
	return -1;
}

const char *ev_arg(const struct ev_args *a, const char *name)
{
	int i = opt_index(a->cmd, name);

	return i < 0 ? NULL : a->val[i];
}

const char *ev_by(const struct ev_args *a)
{
	return a->by;
}

/* The combinations that make sense; -1 after saying why not. */
static int check_mode(struct ev_args *a, const struct ev_ui *ui, int nfiles)
{
	const struct ev_opt *o = a->cmd->opts;
	const char *first = NULL;
	char msg[256];
	int i, j;

	if (a->cli.store != NULL && a->cli.output != NULL) {
		ui->warn("-i and -o cannot be combined");
		return -1;
	}
	for (i = 0; o[i].name != NULL && first == NULL; i++)
		if (o[i].column != NULL && strcmp(o[i].name, "id") != 0 &&
		    strcmp(o[i].name, "source-id") != 0)
			first = o[i].name;
	if (a->nevents > 0 && a->single) {
		snprintf(msg, sizeof msg, "--events and the options of a single "
		    "event (--id, --%s, ...) cannot be combined", first);
		ui->warn(msg);
		return -1;
	}
	if (a->nevents == 0 && ev_arg(a, "id") == NULL &&
	    ev_arg(a, "source-id") == NULL) {
		ui->warn("nothing to record: give --events FILE or --id ID");
		return -1;
	}
	if (a->nevents == 0 && a->cmd->required != NULL &&
	    ev_arg(a, a->cmd->required) == NULL) {
		snprintf(msg, sizeof msg, "--%s is needed with --id",
		    a->cmd->required);
		ui->warn(msg);
		return -1;
	}
	/* two flags that fill the same column */
	for (i = 0; o[i].name != NULL; i++)
		for (j = i + 1; o[j].name != NULL; j++)
			if (o[i].has_arg == no_argument && o[j].has_arg ==
			    no_argument && o[i].column && o[j].column &&
			    strcmp(o[i].column, o[j].column) == 0 && a->val[i] &&
			    a->val[j]) {
				snprintf(msg, sizeof msg, "--%s and --%s cannot "
				    "be combined", o[i].name, o[j].name);
				ui->warn(msg);
				return -1;
			}
	for (i = 0; i < a->nevents; i++)
		if (strcmp(a->events[i], "-") == 0 && a->cli.store == NULL &&
		    nfiles == 0) {
			ui->warn("--events - reads stdin: give the cases as FILE "
			    "or -i STORE");
			return -1;
		}
	return 0;
}

/* -1 usage error (said), 0 parsed. */
static int parse_args(struct ev_args *a, const struct ev_ui *ui, int argc,
    char **argv)
{
	static const struct option common[] = { CLI_LONGOPTS };
	enum { NCOMMON = sizeof common / sizeof common[0] };
	static char name[32];
	struct option longopts[NCOMMON + EV_MAX_OPTS + 1];
	const struct ev_opt *o = a->cmd->opts;
	struct err e;
	int ch, rc, i;

	memcpy(longopts, common, sizeof common);
	for (i = 0; i < EV_MAX_OPTS && o[i].name != NULL; i++) {
		longopts[NCOMMON + i].name = o[i].name;
		longopts[NCOMMON + i].has_arg = o[i].has_arg;
		longopts[NCOMMON + i].flag = NULL;
		longopts[NCOMMON + i].val = o[i].code ? o[i].code : OPT_FIRST + i;
	}
	memset(&longopts[NCOMMON + i], 0, sizeof longopts[0]);
	/* getopt names argv[0] in its messages: the name, not a path */
	snprintf(name, sizeof name, "%s", a->cmd->prog);
	argv[0] = name;
	cli_init(&a->cli, a->cmd->prog);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, a->cmd->shortopts, longopts,
	    NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			ui->bad_option(ch, argv, longopts);
			ui->usage(stderr);
			return -1;
		}
		if (ch == 'i') {
			a->cli.store = optarg;
			continue;
		}
		if (ch == EV_EVENTS) {
			if (a->nevents == EV_MAX_EVENTS) {
				char msg[64];

				snprintf(msg, sizeof msg, "at most %d --events "
				    "files", EV_MAX_EVENTS);
				ui->warn(msg);
				return -1;
			}
			a->events[a->nevents++] = optarg;
			continue;
		}
		if (ch >= OPT_FIRST && ch < OPT_FIRST + EV_MAX_OPTS) {
			i = ch - OPT_FIRST;
			a->val[i] = o[i].has_arg == no_argument ? "1" : optarg;
			if (strcmp(o[i].name, "by") == 0)
				a->by = optarg;
			else if (o[i].column != NULL)
				a->single = 1;
			continue;
		}
		if ((rc = cli_option(&a->cli, ch, optarg, &e)) < 0)
			ui->warn(e.msg);
		if (rc <= 0) {
			ui->usage(stderr);
			return -1;
		}
	}
	if (a->cli.help || a->cli.version)
		return 0;
	if (check_mode(a, ui, argc - optind) < 0)
		return -1;
	if (cli_finish(&a->cli, &e) < 0) {
		ui->warn(e.msg);
		return -1;
	}
	return 0;
}

/* Single mode: the options as one event row. */
static int add_single(struct ev_args *a, struct ev_set *set, struct err *e)
{
	const struct ev_opt *o = a->cmd->opts;
	struct rec row;
	char now[40];
	int rc = -1, i;

	rec_init(&row);
	tf_format(now, sizeof now, a->cli.now);
	for (i = 0; o[i].name != NULL; i++) {
		const char *v = a->val[i];

		if (v == NULL || o[i].column == NULL)
			continue;
		if (o[i].has_arg == no_argument)
			v = o[i].value;
		if (rec_sets(&row, o[i].column, v, e) < 0)
			goto out;
	}
	if (ev_field(&row, at_names) == NULL &&
	    rec_sets(&row, "at", now, e) < 0)
		goto out;
	rc = ev_add(set, &row, NULL, 0, e) == 1 ? 0 : -1;
out:
	rec_free(&row);
	return rc;
}

static int load_events(struct ev_args *a, struct ev_set *set, struct err *e)
{
	struct in_opts io = a->cli.in;
	int i;

	if (a->nevents == 0)
		return add_single(a, set, e);
	io.format = FMT_AUTO;	/* --from is for the cases */
	io.typed = 0;		/* every cell a string; the hooks convert */
	for (i = 0; i < a->nevents; i++)
		if (ev_load(set, a->events[i], &io, e) < 0)
			return -1;
	return 0;
}

static int fail(const struct ev_ui *ui, const struct err *e)
{
	if (e->sys != EPIPE)
		ui->warn(e->msg);
	return ui->exit(2);
}

int ev_main(const struct ev_cmd *cmd, const struct ev_ui *ui, int argc,
    char **argv)
{
	static struct ev_args a;	/* the options point into it: static */
	struct ev_hooks h;
	struct ev_set *set;
	struct filter_stats st;
	struct err e;
	char msg[160], note[1600];
	int n, rc;

	memset(&a, 0, sizeof a);
	a.cmd = cmd;
	if (parse_args(&a, ui, argc, argv) < 0)
		return 2;
	if (a.cli.help || a.cli.version) {
		cli_end(&a.cli);
		if (a.cli.version)
			return ui->version();
		ui->help();
		return ui->exit(0);
	}
	memset(&h, 0, sizeof h);
	cmd->setup(&a, &h);
	h.say = ui->say;
	h.quiet = a.cli.quiet;
	if ((set = ev_new(&h, &a.cli.now, &e)) == NULL) {
		cli_end(&a.cli);
		return fail(ui, &e);
	}
	if (load_events(&a, set, &e) < 0 ||
	    ev_run(set, &a.cli, ui->meter, argv + optind, argc - optind, &st,
	    &e) < 0) {
		ev_free(set);
		cli_end(&a.cli);
		return fail(ui, &e);
	}
	if (!a.cli.quiet) {
		n = snprintf(msg, sizeof msg, "%ld applied, %ld rejected",
		    ev_applied(set), ev_rejected(set));
		/* warned events are applied too: counted apart so that a
		 * cron mail's one line shows them */
		if (ev_warned(set))
			n += snprintf(msg + n, sizeof msg - (size_t)n,
			    ", %ld with %s", ev_warned(set),
			    ev_warned(set) == 1 ? "a warning" : "warnings");
		/* replays change nothing and are no error: said when there
		 * are any, as case-add says "already in store" */
		if (ev_already(set))
			n += snprintf(msg + n, sizeof msg - (size_t)n,
			    ", %ld already recorded", ev_already(set));
		if (st.bad)
			snprintf(msg + n, sizeof msg - (size_t)n,
			    ", %lld bad input records", st.bad);
		ui->warn(msg);
	}
	if (cli_calendar_note(&a.cli, note, sizeof note))
		ui->warn(note);	/* once a run: provisional deadlines */
	rc = ev_rejected(set) || st.bad ? 1 : 0;
	ev_free(set);
	cli_end(&a.cli);
	return ui->exit(rc);
}
