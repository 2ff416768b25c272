/*
 * fuzz_dupindex.c - case-add's duplicate index (lib/dupindex) held to a
 * model that remembers, for every key, the newest case that had it.
 *
 * The input is a recipe: how often the log goes out to its file (or
 * that no file can be had), then notes of cases whose keys come from two
 * pools of 256 (0 picks "no key"), bursts of up to 16,320 cases with
 * keys of their own (so that case numbers need more bits and the tags
 * shrink under the keys already in), reservations, and jumps of the
 * references.  Half of the id-number pool are pairs of keys that meet
 * in a table with equal tags, so that a matching tag must be confirmed
 * from the log; half of the name pool are such pairs too, but every
 * name key has check bits of its own: a name is then never taken for another, and
 * the model can ask for exact answers.  Checked for every note: whether
 * an earlier case is named and which (the newest with the id number,
 * else with the name), and at the end the number of keys held.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dupindex.h"
#include "fpmap.h"
#include "mem.h"
#include "recipe.h"

#define POOL 256
#define MAX_CASES 400000

static uint64_t pool[DUPINDEX_KEYS][POOL];

/* Mirrors dupindex.c's check bits (a name pool without two keys sharing
 * them keeps the model exact). */
static unsigned check16(uint64_t key)
{
	return (unsigned)(fp_mix(key ^ 0x6a09e667f3bcc909ULL) >> 48);
}

/*
 * Where two keys meet in a table: the 16 low bits of the hash (the tag
 * while case numbers take 16 bits, and the low bits of every shorter tag
 * after) and its top 8 bits (which decide the home slot in a small
 * table).  Keys equal in both are probed past each other with equal
 * tags.
 */
static uint32_t meet(uint64_t key)
{
	uint64_t h = fp_mix(key);

	return (uint32_t)(h & 0xffff) | (uint32_t)(h >> 56) << 16;
}

struct cand {
	uint32_t meet, i;
};

static int by_meet(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->meet < y->meet ? -1 : x->meet > y->meet;
}

#define NCAND 300000

/* Whether key may join pool k (first n taken): not there yet, and for
 * the name pool no check bits twice. */
static int may_join(int k, int n, uint64_t key)
{
	int j;

	for (j = 0; j < n; j++)
		if (pool[k][j] == key ||
		    (k == 1 && check16(pool[k][j]) == check16(key)))
			return 0;
	return 1;
}

/* Fill pool k from candidates make(i): half of it pairs that meet
 * (see meet), then others. */
static void fill_pool(int k, uint64_t (*make)(uint64_t))
{
	static struct cand c[NCAND];
	uint64_t i;
	int n = 0, j;

	for (j = 0; j < NCAND; j++) {
		c[j].i = (uint32_t)j + 1;
		c[j].meet = meet(make(c[j].i));
	}
	qsort(c, NCAND, sizeof *c, by_meet);
	for (j = 0; j + 1 < NCAND && n < POOL / 2; j++) {
		uint64_t a = make(c[j].i), b = make(c[j + 1].i);

		if (c[j].meet != c[j + 1].meet || !may_join(k, n, a) ||
		    !may_join(k, n, b) || (k == 1 && check16(a) == check16(b)))
			continue;
		pool[k][n++] = a;
		pool[k][n++] = b;
		j++;
	}
	for (i = 1; n < POOL && i < 2000000; i++)
		if (may_join(k, n, make(i)))
			pool[k][n++] = make(i);
	if (n < POOL)
		abort();
}

/* Id numbers packed as case-add packs them (bit 62), names hashed. */
static uint64_t make_idno(uint64_t i)
{
	return 1ULL << 62 | (110000000000000000ULL + i * 7919) * 11;
}

static uint64_t make_name(uint64_t i)
{
	return fp_of(&i, sizeof i);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	mem_setup();
	fill_pool(0, make_idno);
	fill_pool(1, make_name);
	return 0;
}

struct model {
	uint32_t *ref;			/* each case's reference */
	long newest[DUPINDEX_KEYS][POOL];
	size_t n;			/* cases noted */
	size_t keys[DUPINDEX_KEYS];	/* distinct keys held */
};

static void note(struct dupindex *d, struct model *m, const uint64_t key[2],
    const int idx[2], uint32_t ref)
{
	struct err e;
	uint32_t prev = 0;
	long want = -1;
	int k, rc;

	for (k = 0; k < DUPINDEX_KEYS && want < 0; k++)
		if (idx[k] >= 0)
			want = m->newest[k][idx[k]];
	if ((rc = dupindex_note(d, key, ref, &prev, &e)) < 0)
		fail("note: %s", e.msg);
	if (key[0] == 0 && key[1] == 0) {
		if (rc != 0)
			fail("a case without keys named %u", prev);
		return;
	}
	if (rc != (want >= 0))
		fail("case %zu: %s an earlier case (the model: %ld)", m->n,
		    rc ? "named" : "did not name", want);
	if (want >= 0 && prev != m->ref[want])
		fail("case %zu: named %u, the model case %ld (%u)", m->n, prev,
		    want, m->ref[want]);
	m->ref[m->n] = ref;
	for (k = 0; k < DUPINDEX_KEYS; k++) {
		if (idx[k] >= 0 && m->newest[k][idx[k]] < 0)
			m->keys[k]++;
		if (idx[k] >= 0)
			m->newest[k][idx[k]] = (long)m->n;
	}
	if (key[0] != 0 && idx[0] < 0)
		m->keys[0]++;		/* a burst's own key */
	m->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct recipe r = { data, data + size };
	static struct model m;
	struct dupindex d;
	struct err e;
	uint64_t key[2], fresh = 0;
	uint32_t next_ref = 1;
	unsigned first = take(&r), op, i, n;
	int idx[2], k;

	fail_target = "fuzz_dupindex";
	if (m.ref == NULL && (m.ref = malloc(MAX_CASES * sizeof *m.ref)) == NULL)
		abort();
	memset(m.newest, 0xff, sizeof m.newest);
	m.n = 0;
	m.keys[0] = m.keys[1] = 0;
	setenv("TMPDIR", first & 0x80 ? "/nonexistent/fuzz_dupindex" : "/tmp", 1);
	dupindex_init(&d);
	d.bufmax = 1 + (first & 7);
	while (r.p < r.end && m.n < MAX_CASES - 70000) {
		op = take(&r);
		if (op < 200) {
			for (k = 0; k < DUPINDEX_KEYS; k++) {
				unsigned b = take(&r);

				idx[k] = b == 0 ? -1 : (int)b - 1;
				key[k] = b == 0 ? 0 : pool[k][b - 1];
			}
			note(&d, &m, key, idx, next_ref++);
		} else if (op < 210) {
			/* the log out less often meanwhile: a write every few
			 * notes would make a burst take seconds */
			size_t bufmax = d.bufmax;

			n = 64 * take(&r);
			idx[0] = idx[1] = -1;
			key[1] = 0;
			d.bufmax = 1024;
			for (i = 0; i < n; i++) {
				key[0] = 1ULL << 63 | ++fresh;
				note(&d, &m, key, idx, next_ref++);
			}
			d.bufmax = bufmax;
		} else if (op < 230) {
			if (dupindex_reserve(&d, op & 1, 64 * (size_t)take(&r), &e) < 0)
				fail("reserve: %s", e.msg);
		} else {
			next_ref = take(&r) << 24 | take(&r) << 16 | take(&r);
		}
	}
	for (k = 0; k < DUPINDEX_KEYS; k++)
		if (dupindex_keys(&d, k) != m.keys[k])
			fail("%zu keys of kind %d held, the model %zu",
			    dupindex_keys(&d, k), k, m.keys[k]);
	dupindex_free(&d);
	return 0;
}
