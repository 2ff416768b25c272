/*
 * dupindex.c - the newest open case of each id number and of each name
 * with employer, for case-add's possible-duplicate hints.  See
 * dupindex.h.
 *
 * Why: a table of 64-bit fingerprints with a 32-bit case reference took
 * 16 bytes a key (12-byte slots, three quarters full), 32 bytes a case
 * for the two keys: 32 MB at a million cases, where the filters were
 * asked to stay under 16 MB.  Here memory keeps which case holds a key
 * (up to 31 bits) and the rest of a 32-bit slot as a tag; the keys
 * themselves are in the log.  Id numbers rarely repeat, so confirming a
 * matching tag from the log (a page-cache read of 16 bytes) costs
 * little; names with employers repeat on a third of the rows of a large
 * import, and a read each made the run half as slow again, so they are
 * confirmed by check bits in memory.  References are runs, not 4 bytes
 * a case: a run numbers its new cases one after another, and a store
 * lists its cases in order.
 *
 * Rebuilding a table (it grew) needs no old slot: it reads the log in
 * order and puts back each key whose newest case an entry is (the live
 * bits), so the old table is freed before the new one fills and the
 * peak is the larger of the two, not their sum.  A case number that
 * needs another bit takes it from the tags in place.
 *
 * A log entry is key 0 and key 1 (8 bytes each) in the machine's byte
 * order: the file lives and dies with the process.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dupindex.h"
#include "fpmap.h"
#include "mem.h"

#define ENTRY 16
#ifndef DUPINDEX_BUF
#define DUPINDEX_BUF 4096	/* entries: 64 KiB */
#endif
#define MIN_CAP 64
#define GROW 4			/* a full table grows by 1/GROW */
#define MIN_IBITS 16
#define MAX_IBITS 31		/* leaves a tag of at least one bit */
#define CHUNK 1024		/* entries read at a time by a rebuild */

void dupindex_init(struct dupindex *d)
{
	memset(d, 0, sizeof *d);
	d->ibits = MIN_IBITS;
	d->bufmax = DUPINDEX_BUF;
	d->fd = -1;
}

/* --- the log ------------------------------------------------------- */

static int open_file(struct dupindex *d)
{
	const char *dir = getenv("TMPDIR");
	static const char name[] = "/onedoor-dup.XXXXXX";
	char *path;
	size_t n;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	n = strlen(dir);
	if ((path = mem_alloc(n + sizeof name)) == NULL)
		return -1;
	memcpy(path, dir, n);
	memcpy(path + n, name, sizeof name);
	d->fd = mkstemp(path);
	/* unlinked at once: nothing is left behind, even by a kill */
	if (d->fd >= 0)
		(void)unlink(path);
	mem_free(path);
	return d->fd >= 0 ? 0 : -1;
}

/* Write the buffered entries to the file: 0, or -1 when they must stay
 * in memory (no file could be made, or writing failed: from then on
 * every entry stays). */
static int flush(struct dupindex *d)
{
	size_t n = (d->ncase - d->flushed) * ENTRY, done = 0;
	ssize_t w;

	if (d->nofile || (d->fd < 0 && open_file(d) < 0)) {
		d->nofile = 1;
		return -1;
	}
	while (done < n) {
		w = pwrite(d->fd, d->buf + done, n - done,
		    (off_t)(d->flushed * ENTRY + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			d->nofile = 1;
			return -1;
		}
		done += (size_t)w;
	}
	d->flushed = d->ncase;
	return 0;
}

/* Add entry ncase (the caller counts it). */
static int append(struct dupindex *d, const uint64_t key[DUPINDEX_KEYS],
    struct err *e)
{
	size_t n = d->ncase - d->flushed;
	unsigned char *p;

	if (n >= d->bufmax && flush(d) == 0)
		n = 0;
	if (n == d->bufcap) {
		size_t cap = d->bufcap == 0 ? 64 : d->bufcap * 2;

		if (cap > SIZE_MAX / ENTRY ||
		    (p = mem_realloc(d->buf, cap * ENTRY)) == NULL)
			return err_nomem(e);
		d->buf = p;
		d->bufcap = cap;
	}
	p = d->buf + n * ENTRY;
	memcpy(p, &key[0], 8);
	memcpy(p + 8, &key[1], 8);
	return 0;
}

/* Entries [j, j + n) into out (n entries of ENTRY bytes). */
static int read_entries(const struct dupindex *d, size_t j, size_t n,
    unsigned char *out, struct err *e)
{
	size_t from_file = j < d->flushed ? d->flushed - j : 0, done = 0;
	ssize_t r;

	if (from_file > n)
		from_file = n;
	from_file *= ENTRY;
	while (done < from_file) {
		r = pread(d->fd, out + done, from_file - done,
		    (off_t)(j * ENTRY + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_sys(e, "reading the duplicate checks' "
			    "temporary file");
		if (r == 0)
			return err_set(e, "the duplicate checks' temporary "
			    "file ended early");
		done += (size_t)r;
	}
	if (from_file < n * ENTRY)
		memcpy(out + from_file, d->buf + (j * ENTRY + from_file -
		    d->flushed * ENTRY), n * ENTRY - from_file);
	return 0;
}

static uint64_t entry_key(const unsigned char *p, int k)
{
	uint64_t v;

	memcpy(&v, p + 8 * k, 8);
	return v;
}

/* --- live bits ----------------------------------------------------- */

static int live(const struct dupindex *d, int k, size_t c)
{
	size_t b = 2 * c + (size_t)k;

	return (int)(d->live[b / 64] >> (b % 64) & 1);
}

static void set_live(struct dupindex *d, int k, size_t c, int on)
{
	size_t b = 2 * c + (size_t)k;
	uint64_t bit = (uint64_t)1 << (b % 64);

	if (on)
		d->live[b / 64] |= bit;
	else
		d->live[b / 64] &= ~bit;
}

/* Room for the live bits of case c. */
static int live_room(struct dupindex *d, size_t c, struct err *e)
{
	size_t need = (2 * c + 2 + 63) / 64, n;
	uint64_t *p;

	if (need <= d->nlive)
		return 0;
	n = d->nlive < 16 ? 16 : d->nlive * 2;
	if ((p = mem_realloc(d->live, n * sizeof *p)) == NULL)
		return err_nomem(e);
	memset(p + d->nlive, 0, (n - d->nlive) * sizeof *p);
	d->live = p;
	d->nlive = n;
	return 0;
}

/* --- references, check bits ---------------------------------------- */

/* Case c's reference: runs[i] gives cases from its c0 on (up to the next
 * run's) the references ref0, ref0 + 1, ... */
static uint32_t ref_at(const struct dupindex *d, size_t c)
{
	size_t lo = 0, hi = d->nruns, mid;

	while (hi - lo > 1) {		/* runs[lo].c0 <= c < runs[hi].c0 */
		mid = lo + (hi - lo) / 2;
		if (d->runs[mid].c0 <= c)
			lo = mid;
		else
			hi = mid;
	}
	return d->runs[lo].ref0 + (uint32_t)(c - d->runs[lo].c0);
}

/* Case ncase's reference: the last run goes on, or a new one starts. */
static int add_ref(struct dupindex *d, uint32_t ref, struct err *e)
{
	const struct dupindex_run *r = d->nruns ? &d->runs[d->nruns - 1] : NULL;
	struct dupindex_run *p;

	if (r != NULL && (uint64_t)r->ref0 + (d->ncase - r->c0) == ref)
		return 0;
	if (d->runs == NULL || d->nruns == d->runcap) {
		size_t cap = d->runcap ? d->runcap * 2 : 16;

		if ((p = mem_realloc(d->runs, cap * sizeof *p)) == NULL)
			return err_nomem(e);
		d->runs = p;
		d->runcap = cap;
	}
	d->runs[d->nruns].c0 = (uint32_t)d->ncase;
	d->runs[d->nruns++].ref0 = ref;
	return 0;
}

/* The check bits of key kind DUPINDEX_CHECKED: a hash of the key apart
 * from the one that gives its home and tag. */
static uint16_t check_of(uint64_t key)
{
	return (uint16_t)(fp_mix(key ^ 0x6a09e667f3bcc909ULL) >> 48);
}

static int add_check(struct dupindex *d, uint64_t key, struct err *e)
{
	uint16_t *p;

	if (d->ncase == d->checkcap) {
		size_t cap = d->checkcap ? d->checkcap * 2 : 1024;

		if ((p = mem_realloc(d->check, cap * sizeof *p)) == NULL)
			return err_nomem(e);
		d->check = p;
		d->checkcap = cap;
	}
	d->check[d->ncase] = check_of(key);
	return 0;
}

/* --- the tables ---------------------------------------------------- */

static size_t home(uint64_t h, size_t cap)
{
	return (size_t)(((h >> 32) * (uint64_t)cap) >> 32);
}

static uint32_t tag_of(uint64_t h, unsigned ibits)
{
	return (uint32_t)h & (((uint32_t)1 << (32 - ibits)) - 1);
}

/* At most 17/20 full: with 16 slots to a cache line, a probe still
 * reads one or two. */
static int fits(size_t n, size_t cap)
{
	return n <= cap / 20 * 17 + cap % 20 * 17 / 20;
}

static size_t cap_for(size_t n)
{
	size_t cap = n / 17 * 20 + (n % 17 * 20 + 16) / 17;	/* ceil */

	return cap < MIN_CAP ? MIN_CAP : cap;
}

/* Put key (new to the table) of case c in its first empty slot. */
static void place(struct dupindex_table *t, uint64_t key, size_t c,
    unsigned ibits)
{
	uint64_t h = fp_mix(key);
	size_t i = home(h, t->cap);

	while (t->slot[i] != 0)
		if (++i == t->cap)
			i = 0;
	t->slot[i] = tag_of(h, ibits) << ibits | (uint32_t)(c + 1);
	t->n++;
}

/*
 * Table k anew with cap slots, from the log and the live bits: 0, or 1
 * when the memory could not be had (the table as it was), or -1 when
 * reading the log failed (the table is then incomplete).
 */
static int rebuild(struct dupindex *d, int k, size_t cap, struct err *e)
{
	struct dupindex_table *t = &d->t[k];
	unsigned char chunk[CHUNK * ENTRY];
	uint32_t *slot;
	size_t j, i, n;

	if ((uint64_t)cap > UINT32_MAX ||
	    (slot = fp_new_slots(cap, sizeof *slot)) == NULL)
		return 1;
	mem_free(t->slot);
	t->slot = slot;
	t->cap = cap;
	t->n = 0;
	for (j = 0; j < d->ncase; j += n) {
		n = d->ncase - j < CHUNK ? d->ncase - j : CHUNK;
		if (read_entries(d, j, n, chunk, e) < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (live(d, k, j + i))
				place(t, entry_key(chunk + i * ENTRY, k), j + i,
				    d->ibits);
	}
	return 0;
}

/* Room in table k for one more key. */
static int table_room(struct dupindex *d, int k, struct err *e)
{
	const struct dupindex_table *t = &d->t[k];
	int rc;

	if (t->cap != 0 && fits(t->n + 1, t->cap))
		return 0;
	rc = rebuild(d, k, t->cap < MIN_CAP ? MIN_CAP : t->cap + t->cap / GROW, e);
	return rc > 0 ? err_nomem(e) : rc;
}

/* Room in a slot for case number c + 1: another bit when needed, taken
 * from the tag in place (a tag is the hash's low bits, so the shorter
 * one is the longer one's low bits; homes do not change). */
static int ibits_room(struct dupindex *d, size_t c, struct err *e)
{
	uint32_t idx = ((uint32_t)1 << d->ibits) - 1, tag;
	size_t i;
	int k;

	if (c + 1 < (size_t)1 << d->ibits)
		return 0;
	if (d->ibits == MAX_IBITS)
		return err_set(e, "more open cases than the duplicate checks "
		    "can hold (%zu)", c);
	d->ibits++;
	tag = ((uint32_t)1 << (32 - d->ibits)) - 1;
	for (k = 0; k < DUPINDEX_KEYS; k++)
		for (i = 0; i < d->t[k].cap; i++) {
			uint32_t *s = &d->t[k].slot[i];

			*s = (*s >> (d->ibits - 1) & tag) << d->ibits |
			    (*s & idx);
		}
	return 0;
}

/* Make case c the newest of key (of kind k): 1 with *prev set when an
 * earlier case had it (and *prev was not set yet: *found), else 0. */
static int claim(struct dupindex *d, int k, uint64_t key, size_t c,
    uint32_t *prev, int *found, struct err *e)
{
	struct dupindex_table *t = &d->t[k];
	unsigned char ent[ENTRY];
	uint64_t h = fp_mix(key);
	uint32_t tag = tag_of(h, d->ibits), s;
	uint32_t mask = ((uint32_t)1 << d->ibits) - 1;
	uint16_t check = k == DUPINDEX_CHECKED ? d->check[c] : 0;
	size_t i, j;
	int same;

	if (table_room(d, k, e) < 0)
		return -1;
	for (i = home(h, t->cap); (s = t->slot[i]) != 0;) {
		if (s >> d->ibits == tag) {
			j = (s & mask) - 1;
			if (k == DUPINDEX_CHECKED)
				same = d->check[j] == check;
			else if (read_entries(d, j, 1, ent, e) < 0)
				return -1;
			else
				same = entry_key(ent, k) == key;
			if (same) {
				if (!*found && prev != NULL)
					*prev = ref_at(d, j);
				*found = 1;
				t->slot[i] = tag << d->ibits | (uint32_t)(c + 1);
				set_live(d, k, j, 0);
				set_live(d, k, c, 1);
				return 0;
			}
		}
		if (++i == t->cap)
			i = 0;
	}
	t->slot[i] = tag << d->ibits | (uint32_t)(c + 1);
	t->n++;
	set_live(d, k, c, 1);
	return 0;
}

int dupindex_note(struct dupindex *d, const uint64_t key[DUPINDEX_KEYS],
    uint32_t ref, uint32_t *prev, struct err *e)
{
	size_t c = d->ncase;
	int k, found = 0;

	if (key[0] == 0 && key[1] == 0)
		return 0;
	if (ibits_room(d, c, e) < 0 || live_room(d, c, e) < 0 ||
	    add_ref(d, ref, e) < 0 || add_check(d, key[DUPINDEX_CHECKED], e) < 0 ||
	    append(d, key, e) < 0)
		return -1;
	d->ncase++;
	for (k = 0; k < DUPINDEX_KEYS; k++)
		if (key[k] != 0 && claim(d, k, key[k], c, prev, &found, e) < 0)
			return -1;
	return found;
}

void dupindex_prefetch(const struct dupindex *d, int k, uint64_t key)
{
#ifdef __GNUC__
	const struct dupindex_table *t = &d->t[k];

	if (t->cap != 0)
		__builtin_prefetch(&t->slot[home(fp_mix(key), t->cap)], 1);
#else
	(void)d;
	(void)k;
	(void)key;
#endif
}

size_t dupindex_keys(const struct dupindex *d, int k)
{
	return d->t[k].n;
}

int dupindex_reserve(struct dupindex *d, int k, size_t n, struct err *e)
{
	size_t cap = cap_for(n);

	if (cap <= d->t[k].cap)
		return 0;
	return rebuild(d, k, cap, e) < 0 ? -1 : 0;
}

size_t dupindex_bytes(const struct dupindex *d)
{
	size_t n = d->nlive * sizeof *d->live + d->bufcap * ENTRY +
	    d->runcap * sizeof *d->runs + d->checkcap * sizeof *d->check;
	int k;

	for (k = 0; k < DUPINDEX_KEYS; k++)
		n += d->t[k].cap * sizeof *d->t[k].slot;
	return n;
}

void dupindex_free(struct dupindex *d)
{
	int k;

	for (k = 0; k < DUPINDEX_KEYS; k++)
		mem_free(d->t[k].slot);
	mem_free(d->live);
	mem_free(d->runs);
	mem_free(d->check);
	mem_free(d->buf);
	if (d->fd >= 0)
		(void)close(d->fd);
	dupindex_init(d);
}
