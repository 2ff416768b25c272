/*
 * test_dupindex.c - unit tests of lib/dupindex.c, case-add's index of the
 * newest open case by id number and by name with employer: held to a
 * model that remembers every key, over many cases whose keys repeat,
 * with the log written out every few entries (so that most checks read
 * it back from the temporary file), with no temporary file to be had,
 * with a file that stops taking entries, and sized ahead; the
 * references come back whether they run on or jump; and the file
 * leaves nothing behind.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "dupindex.h"
#include "unit.h"

#define NCASES 200000

/* The model: for each key kind, key -> newest reference, by looking at
 * every case noted so far from the newest back. */
struct model {
	uint64_t (*key)[DUPINDEX_KEYS];
	uint32_t *ref;
	size_t n;
	/* the newest case of each key value, for keys drawn from a pool */
	long *newest[DUPINDEX_KEYS];
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Keys from pools small enough to repeat often (the id numbers less than
 * the names), sometimes absent; references mostly running on, sometimes
 * jumping, as a store's and a run's ids do. */
static void draw(uint64_t *s, size_t pool[DUPINDEX_KEYS],
    uint64_t key[DUPINDEX_KEYS], uint32_t *ref, uint32_t *next_ref)
{
	int k;

	for (k = 0; k < DUPINDEX_KEYS; k++) {
		uint64_t r = rnd(s);

		pool[k] = (size_t)(r % (k == 0 ? 150000 : 40000));
		/* structured keys, as case-add's packed id numbers are */
		key[k] = r % 10 == 0 ? 0 : (k == 0 ? 1ULL << 62 | pool[k] * 11 :
		    (pool[k] + 1) * 0x9e3779b97f4a7c15ULL);
	}
	if (rnd(s) % 50 == 0)
		*next_ref = (uint32_t)rnd(s);
	*ref = (*next_ref)++;
}

/* Note NCASES cases in d and check each answer against the model. */
static long run_model(struct dupindex *d, uint64_t seed)
{
	long *newest[DUPINDEX_KEYS];
	uint32_t *refs = calloc(NCASES, sizeof *refs), next_ref = 7, ref, prev;
	uint64_t key[DUPINDEX_KEYS], s = seed;
	size_t pool[DUPINDEX_KEYS], i;
	long bad = 0, want;
	int k, rc, want_rc;

	newest[0] = malloc(150000 * sizeof(long));
	newest[1] = malloc(40000 * sizeof(long));
	if (refs == NULL || newest[0] == NULL || newest[1] == NULL)
		abort();
	memset(newest[0], 0xff, 150000 * sizeof(long));
	memset(newest[1], 0xff, 40000 * sizeof(long));
	for (i = 0; i < NCASES; i++) {
		struct err e;

		draw(&s, pool, key, &ref, &next_ref);
		refs[i] = ref;
		want = -1;
		for (k = 0; k < DUPINDEX_KEYS && want < 0; k++)
			if (key[k] != 0)
				want = newest[k][pool[k]];
		want_rc = want >= 0;
		prev = 0;
		rc = dupindex_note(d, key, ref, &prev, &e);
		if (rc != want_rc || (want_rc && prev != refs[want])) {
			if (bad++ < 5)
				fprintf(stderr, "case %zu: got %d (%u), want %d "
				    "(%u)\n", i, rc, prev, want_rc,
				    want_rc ? refs[want] : 0);
		}
		for (k = 0; k < DUPINDEX_KEYS; k++)
			if (key[k] != 0)
				newest[k][pool[k]] = (long)i;
	}
	free(newest[0]);
	free(newest[1]);
	free(refs);
	return bad;
}

/* The log mostly in the temporary file: every answer the model's, and
 * about five bytes a key of memory. */
static void test_file(void)
{
	struct dupindex d;

	dupindex_init(&d);
	d.bufmax = 5;
	CHECK_INT(run_model(&d, 88172645463325252ULL), 0);
	CHECK(d.fd >= 0 && !d.nofile);
	/* a case in a hundred has neither key and is not noted */
	CHECK(d.ncase > NCASES * 98 / 100 && d.ncase < NCASES);
	CHECK(d.flushed + 5 >= d.ncase);
	/* one slot per distinct key: the pools less the values whose key
	 * is drawn as 0 (r % 10 == 0 also fixes the pool's residue) */
	CHECK(dupindex_keys(&d, 0) > 95000 && dupindex_keys(&d, 0) <= 135000);
	CHECK(dupindex_keys(&d, 1) > 35000 && dupindex_keys(&d, 1) <= 36000);
	/* tables, 2 check bytes a case, live bits, a few runs */
	CHECK(dupindex_bytes(&d) < (dupindex_keys(&d, 0) +
	    dupindex_keys(&d, 1)) * 4 * 3 / 2 + NCASES * 3);
	dupindex_free(&d);
	CHECK(d.fd == -1 && d.ncase == 0);
}

/* No file to be had: the same answers from memory. */
static void test_nofile(void)
{
	struct dupindex d;
	char *old = getenv("TMPDIR");

	old = old != NULL ? strdup(old) : NULL;
	setenv("TMPDIR", "/nonexistent/onedoor-test", 1);
	dupindex_init(&d);
	d.bufmax = 5;
	CHECK_INT(run_model(&d, 1234567), 0);
	CHECK(d.fd < 0 && d.nofile);
	dupindex_free(&d);
	if (old != NULL) {
		setenv("TMPDIR", old, 1);
		free(old);
	} else
		unsetenv("TMPDIR");
}

/* The file stops taking entries (here: a file size limit of 4 KiB, as a
 * full disk would): the entries written stay in the file, the rest in
 * memory, and the answers are still the model's. */
static void test_write_fails(void)
{
	struct rlimit old, lim;
	struct dupindex d;

	if (getrlimit(RLIMIT_FSIZE, &old) != 0)
		abort();
	lim = old;
	lim.rlim_cur = 4096;
	(void)signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
		abort();
	dupindex_init(&d);
	d.bufmax = 5;
	CHECK_INT(run_model(&d, 777), 0);
	CHECK(d.fd >= 0 && d.nofile);
	CHECK(d.flushed > 0 && d.flushed * 16 <= 4096);
	dupindex_free(&d);
	if (setrlimit(RLIMIT_FSIZE, &old) != 0)
		abort();
	(void)signal(SIGXFSZ, SIG_DFL);
}

/* Sized ahead: no growth while filling, and the answers still right. */
static void test_reserve(void)
{
	struct dupindex d;
	struct err e;
	size_t cap;

	dupindex_init(&d);
	CHECK_INT(dupindex_reserve(&d, 0, 150000, &e), 0);
	CHECK_INT(dupindex_reserve(&d, 1, 40000, &e), 0);
	cap = d.t[0].cap;
	CHECK(cap >= 150000 && cap < 150000 * 5 / 4);
	CHECK_INT(run_model(&d, 42), 0);
	CHECK(d.t[0].cap == cap);
	dupindex_free(&d);
}

/* Cases without keys are not noted; a key seen again names the newest
 * earlier case; the id number's case wins over the name's. */
static void test_small(void)
{
	struct dupindex d;
	struct err e;
	uint64_t none[2] = { 0, 0 }, a[2] = { 11, 21 }, b[2] = { 12, 21 };
	uint64_t c[2] = { 11, 22 }, n[2] = { 0, 22 };
	uint32_t prev = 99;

	dupindex_init(&d);
	CHECK_INT(dupindex_note(&d, none, 1, &prev, &e), 0);
	CHECK_INT((long long)d.ncase, 0);
	CHECK_INT(dupindex_note(&d, a, 100, &prev, &e), 0);
	CHECK_INT(dupindex_note(&d, b, 101, &prev, &e), 1);	/* name of a */
	CHECK_INT(prev, 100);
	CHECK_INT(dupindex_note(&d, c, 102, &prev, &e), 1);	/* id of a */
	CHECK_INT(prev, 100);
	CHECK_INT(dupindex_note(&d, n, 500, &prev, &e), 1);	/* name of c */
	CHECK_INT(prev, 102);
	CHECK_INT(dupindex_note(&d, b, 7, &prev, &e), 1);	/* b itself */
	CHECK_INT(prev, 101);
	CHECK_INT(dupindex_note(&d, a, 8, &prev, &e), 1);	/* c's id */
	CHECK_INT(prev, 102);
	/* without prev: still noted (the next one names it) */
	CHECK_INT(dupindex_note(&d, b, 9, NULL, &e), 1);
	CHECK_INT(dupindex_note(&d, b, 10, &prev, &e), 1);
	CHECK_INT(prev, 9);
	dupindex_free(&d);
}

/* The temporary file is unlinked as soon as it is made. */
static void test_no_leftover(void)
{
	char dir[] = "/tmp/onedoor-dupindex-XXXXXX";
	char *old = getenv("TMPDIR");
	struct dupindex d;
	struct dirent *ent;
	DIR *dp;
	int files = 0;

	if (mkdtemp(dir) == NULL)
		abort();
	old = old != NULL ? strdup(old) : NULL;
	setenv("TMPDIR", dir, 1);
	dupindex_init(&d);
	d.bufmax = 3;
	CHECK_INT(run_model(&d, 99), 0);
	CHECK(d.fd >= 0);
	if ((dp = opendir(dir)) == NULL)
		abort();
	while ((ent = readdir(dp)) != NULL)
		files += ent->d_name[0] != '.';
	closedir(dp);
	CHECK_INT(files, 0);
	dupindex_free(&d);
	CHECK(rmdir(dir) == 0);
	if (old != NULL) {
		setenv("TMPDIR", old, 1);
		free(old);
	} else
		unsetenv("TMPDIR");
}

int main(void)
{
	test_small();
	test_file();
	test_nofile();
	test_write_fails();
	test_reserve();
	test_no_leftover();
	return unit_done("dupindex");
}
