/*
 * test_fpmap.c - unit tests of lib/fpmap.c (fingerprints without keys):
 * growth keeps every entry, a table sized ahead holds what it was sized
 * for without growing, equal fingerprints are all found by fpmap_next,
 * keys that differ a little get different fingerprints, fp_pack and
 * fpseq are exact (checked against a plain set of the ids themselves).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpmap.h"
#include "unit.h"

/* A map content with fingerprints, from the primitives: the value of
 * fp, created with value 0 when absent (*created says which); NULL when
 * memory ran out. */
static uint32_t *slot_of(struct fpmap *m, uint64_t fp, int *created)
{
	size_t i;

	*created = 0;
	if (m->cap != 0) {
		i = fpmap_home(m, fp);
		if (fpmap_next(m, fp, &i))
			return &m->slot[i].val;
	}
	if (fpmap_reserve(m) < 0)
		return NULL;
	i = fpmap_home(m, fp);
	(void)fpmap_next(m, fp, &i);
	fpmap_fill(m, i, fp, 0);
	*created = 1;
	return &m->slot[i].val;
}

/* The value of fp, or NULL. */
static const uint32_t *get_of(const struct fpmap *m, uint64_t fp)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	i = fpmap_home(m, fp);
	return fpmap_next(m, fp, &i) ? &m->slot[i].val : NULL;
}

static void test_map(void)
{
	struct fpmap m = FPMAP_INIT;
	uint32_t *v;
	const uint32_t *g;
	uint64_t i;
	int created, bad = 0;

	CHECK(get_of(&m, 5) == NULL);
	for (i = 1; i <= 100000; i++) {
		v = slot_of(&m, i * 7919, &created);
		if (v == NULL || !created) {
			bad++;
			continue;
		}
		*v = (uint32_t)i;
	}
	CHECK_INT(bad, 0);
	CHECK_INT((long long)m.n, 100000);
	CHECK(m.n * 4 <= m.cap * 3);
	for (i = 1; i <= 100000; i++)
		if ((g = get_of(&m, i * 7919)) == NULL || *g != i)
			bad++;
	CHECK_INT(bad, 0);
	CHECK(get_of(&m, 7919ULL * 100001) == NULL);
	/* an existing fingerprint: the same slot, not a new one */
	v = slot_of(&m, 7919, &created);
	CHECK(v != NULL && !created && *v == 1);
	CHECK_INT((long long)m.n, 100000);
	CHECK(fpmap_bytes(&m) == m.cap * 12);
	fpmap_free(&m);
	CHECK(m.cap == 0 && m.slot == NULL);
}

/* Sized ahead: 4n/3 slots (not the next power of two), no growth while
 * filling, every entry found; and sizing a full map again rehashes it
 * without losing any. */
static void test_reserve(void)
{
	struct fpmap m = FPMAP_INIT;
	struct fpset s = FPSET_INIT;
	size_t cap;
	uint64_t i;
	int created, bad = 0;

	CHECK(fp_cap_for(0) == 64);
	CHECK(fp_cap_for(3000) == 4000);
	CHECK(fp_cap_for(3001) == 4002);
	CHECK(fpmap_reserve_n(&m, 300000) == 0);
	cap = m.cap;
	CHECK(cap == fp_cap_for(300000));
	for (i = 1; i <= 300000; i++) {
		uint32_t *v = slot_of(&m, i * 0x9e3779b97f4a7c15ULL | 1, &created);

		if (v == NULL || !created)
			bad++;
		else
			*v = (uint32_t)i;
	}
	CHECK_INT(bad, 0);
	CHECK(m.cap == cap);		/* never grew */
	CHECK(fpmap_reserve_n(&m, 1000000) == 0);
	CHECK(m.cap == fp_cap_for(1000000));
	for (i = 1; i <= 300000; i++) {
		const uint32_t *g = get_of(&m, i * 0x9e3779b97f4a7c15ULL | 1);

		if (g == NULL || *g != i)
			bad++;
	}
	CHECK_INT(bad, 0);
	/* a reservation smaller than what is there changes nothing */
	CHECK(fpmap_reserve_n(&m, 10) == 0);
	CHECK(m.cap == fp_cap_for(1000000));
	fpmap_free(&m);

	CHECK(fpset_reserve_n(&s, 5000) == 0);
	cap = s.cap;
	for (i = 1; i <= 5000; i++)
		bad += fpset_add(&s, i) != 0;
	for (i = 1; i <= 5000; i++)
		bad += fpset_add(&s, i) != 1 || !fpset_has(&s, i);
	bad += fpset_has(&s, 5001);
	CHECK_INT(bad, 0);
	CHECK(s.cap == cap && s.n == 5000);
	CHECK(fpset_bytes(&s) == cap * 8);
	for (i = 5001; i <= 20000; i++)		/* grows by itself */
		bad += fpset_add(&s, i) != 0;
	for (i = 1; i <= 20000; i++)
		bad += !fpset_has(&s, i);
	CHECK_INT(bad, 0);
	CHECK(s.n * 4 <= s.cap * 3);
	fpset_free(&s);
}

/* Two entries under one fingerprint (what an exact user does when keys
 * collide): fpmap_next sees both, then the empty slot. */
static void test_same_fp(void)
{
	struct fpmap m = FPMAP_INIT;
	size_t i;
	int seen = 0;
	uint32_t sum = 0;

	CHECK(fpmap_reserve(&m) == 0);
	i = fpmap_home(&m, 42);
	CHECK(fpmap_next(&m, 42, &i) == 0);
	fpmap_fill(&m, i, 42, 1);
	CHECK(fpmap_reserve(&m) == 0);
	i = fpmap_home(&m, 42);
	while (fpmap_next(&m, 42, &i))
		i++;
	fpmap_fill(&m, i, 42, 2);
	for (i = fpmap_home(&m, 42); fpmap_next(&m, 42, &i); i++) {
		seen++;
		sum += fpmap_val(&m, i);
	}
	CHECK_INT(seen, 2);
	CHECK_INT(sum, 3);
	fpmap_free(&m);
}

/* Structured keys like those of case-add: no fingerprint twice among a
 * few hundred thousand (a collision here would be a broken hash: the
 * chance for a good one is about 1e-8), and never 0. */
static void test_fp(void)
{
	struct fpmap m = FPMAP_INIT;
	char k[64];
	long i;
	int n, created, dup = 0, zero = 0;
	uint64_t f;

	for (i = 0; i < 300000; i++) {
		n = snprintf(k, sizeof k, "WX2024%07ld", i);
		f = fp_of(k, (size_t)n);
		zero += f == 0;
		if (slot_of(&m, f, &created) == NULL || !created)
			dup++;
		n = snprintf(k, sizeof k, "张伟\037第%ld建筑劳务有限公司", i);
		f = fp_of(k, (size_t)n);
		zero += f == 0;
		if (slot_of(&m, f, &created) == NULL || !created)
			dup++;
	}
	CHECK_INT(dup, 0);
	CHECK_INT(zero, 0);
	/* length matters: "a" and "a\0" differ */
	CHECK(fp_of("a", 1) != fp_of("a\0", 2));
	CHECK(fp_of("", 0) != 0);
	CHECK(fp_of("12345678", 8) != fp_of("12345679", 8));
	fpmap_free(&m);
}

/* --- a plain set of strings, the reference for the exact tables --- */

struct strset {
	char **slot;
	size_t cap, n;
};

static uint64_t str_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* 1 when s[0, n) is in the set; with add, put it there. */
static int strset_has(struct strset *t, const char *s, size_t n, int add)
{
	size_t i;

	if (t->cap == 0 || (add && (t->n + 1) * 2 > t->cap)) {
		struct strset big = { NULL, t->cap ? t->cap * 2 : 1024, 0 };

		if ((big.slot = calloc(big.cap, sizeof *big.slot)) == NULL)
			abort();
		for (i = 0; i < t->cap; i++)
			if (t->slot[i] != NULL) {
				size_t j = str_hash(t->slot[i], strlen(t->slot[i])) % big.cap;

				while (big.slot[j] != NULL)
					j = (j + 1) % big.cap;
				big.slot[j] = t->slot[i];
				big.n++;
			}
		free(t->slot);
		*t = big;
	}
	for (i = str_hash(s, n) % t->cap; t->slot[i] != NULL; i = (i + 1) % t->cap)
		if (strlen(t->slot[i]) == n && memcmp(t->slot[i], s, n) == 0)
			return 1;
	if (add) {
		if ((t->slot[i] = malloc(n + 1)) == NULL)
			abort();
		memcpy(t->slot[i], s, n);
		t->slot[i][n] = '\0';
		t->n++;
	}
	return 0;
}

static void strset_free(struct strset *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->slot[i]);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

static unsigned long long rnd_state = 88172645463325252ULL;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static const char id_chars[] = "0123456789ABCXYZabcxyz-_./ ";

/* An id of some shape case-add sees, or an odd one. */
static size_t some_id(char *k, size_t size, long i)
{
	static const char *const heads[] = {
		"RX", "WG", "wx", "A-", "B_", "", "Z", "ABCDEFG", "ABCDEFGH",
		"HS-2024-", "X.", "\xe4\xb8\xad"
	};
	unsigned long long r = rnd();
	int n, len, j;

	switch (r % 10) {
	case 0: case 1: case 2:
		n = snprintf(k, size, "RX2024%07ld", i);
		break;
	case 3:
		n = snprintf(k, size, "%s%llu", heads[rnd() % 12],
		    rnd() % 1000000000000000000ULL);
		break;
	case 4:
		n = snprintf(k, size, "%s%0*llu", heads[rnd() % 12],
		    (int)(rnd() % 21), rnd() % 1000);
		break;
	case 5:
		n = snprintf(k, size, "%llu", rnd());
		break;
	case 6:
		len = (int)(rnd() % 24);
		for (j = 0; j < len; j++)
			k[j] = id_chars[rnd() % (sizeof id_chars - 1)];
		k[len] = '\0';
		n = len;
		break;
	case 7:		/* many families of one id each */
		n = snprintf(k, size, "%c%c%c%llu", 'A' + (int)(rnd() % 26),
		    'a' + (int)(rnd() % 26), 'A' + (int)(rnd() % 26), rnd() % 100);
		break;
	case 8:		/* going down */
		n = snprintf(k, size, "WG2024%07ld", 900000 - i);
		break;
	default:	/* in order with gaps, small and large */
		n = snprintf(k, size, "WX%ld", 5000000 + i * (long)(1 + rnd() % 3) *
		    (rnd() % 50 == 0 ? 4096 : 1));
		break;
	}
	return (size_t)n;
}

/* fp_pack: an id that packs has the fingerprint of no other id (a set
 * of fingerprints is a set of ids), with bit 63 set; a few that must and
 * must not pack. */
static void test_pack(void)
{
	struct fpset s = FPSET_INIT;
	struct strset ref = { NULL, 0, 0 };
	char k[64];
	long i;
	size_t n;
	uint64_t f;
	int packed = 0, bad = 0, in_s, in_ref;

	CHECK(fp_pack("RX20240000001", 13, &f) && f >> 63);
	CHECK(fp_pack("WX20240001", 10, &f));
	CHECK(fp_pack("HS-2024-000123", 14, &f));
	CHECK(fp_pack("12345678901234567", 17, &f));
	CHECK(!fp_pack("123456789012345678", 18, &f));	/* 2^63 and more */
	CHECK(fp_pack("", 0, &f) && f != 0);
	CHECK(!fp_pack("ABCDEFGH1", 9, &f));		/* head too long */
	CHECK(!fp_pack("RX2024/01", 9, &f));		/* '/' */
	CHECK(!fp_pack("RX2024a01", 9, &f));		/* a letter in the tail */
	CHECK(!fp_pack("12345678901234567890", 20, &f));	/* too big */
	CHECK(fp_pack("007", 3, &f) && (fp_pack("07", 2, &f), 1));
	for (i = 0; i < 200000; i++) {
		n = some_id(k, sizeof k, i % 100000);
		if (!fp_pack(k, n, &f))
			continue;
		packed++;
		bad += f == 0 || !(f >> 63);
		in_ref = strset_has(&ref, k, n, 1);
		in_s = fpset_add(&s, f);
		if (in_s != in_ref) {
			fprintf(stderr, "fp_pack: %s: set says %d, ids say %d\n",
			    k, in_s, in_ref);
			bad++;
		}
	}
	CHECK(packed > 50000);
	CHECK_INT(bad, 0);
	CHECK(s.n == ref.n);
	fpset_free(&s);
	strset_free(&ref);
}

/* fpseq with a set of what it leaves to the caller (as case-add keeps
 * them elsewhere) answers exactly as a set of the ids themselves. */
static void test_seq(void)
{
	struct fpseq q = FPSEQ_INIT;
	struct strset ref = { NULL, 0, 0 }, other = { NULL, 0, 0 };
	char k[64];
	long i;
	size_t n;
	uint64_t code, num, code2, num2;
	int bad = 0, has, known, rc, taken = 0, left = 0, seqs = 0;

	CHECK(fpseq_key("WX20240001", 10, &code, &num) && num == 20240001);
	CHECK(fpseq_key("WX020240001", 11, &code2, &num2) && num2 == 20240001 &&
	    code2 != code);
	CHECK(fpseq_key("20240001", 8, &code2, &num2) && code2 != code);
	CHECK(fpseq_key("wX20240001", 10, &code2, &num2) && code2 != code);
	CHECK(!fpseq_key("WX", 2, &code, &num));
	CHECK(!fpseq_key("WX2024-01", 9, &code, &num));
	CHECK(!fpseq_key("1234567890123456789", 19, &code, &num));
	CHECK(!fpseq_key("ABCDEFGH1", 9, &code, &num));
	CHECK(fpseq_has(&q, code, 5) == FPSEQ_NO);

	for (i = 0; i < 300000; i++) {
		n = some_id(k, sizeof k, i % 150000);
		known = strset_has(&ref, k, n, 0);
		if (!fpseq_key(k, n, &code, &num)) {
			strset_has(&ref, k, n, 1);
			continue;
		}
		seqs++;
		has = fpseq_has(&q, code, num);
		if (has == FPSEQ_ASK)
			has = strset_has(&other, k, n, 0) ? FPSEQ_YES : FPSEQ_NO;
		if ((has == FPSEQ_YES) != known) {
			fprintf(stderr, "fpseq: %s: says %d, ids say %d\n", k,
			    has, known);
			bad++;
		}
		if (known)
			continue;
		strset_has(&ref, k, n, 1);
		if ((rc = fpseq_add(&q, code, num)) < 0)
			abort();
		if (rc == 0) {
			strset_has(&other, k, n, 1);
			left++;
		} else
			taken++;
	}
	CHECK_INT(bad, 0);
	CHECK(seqs > 150000);
	CHECK(taken > 50000);			/* the ids in order */
	CHECK(left > 5000);			/* the scattered ones */
	CHECK(q.full);				/* past FPSEQ_FAMILIES */
	CHECK(q.nfam == FPSEQ_FAMILIES);
	/* about a bit per id in order: far below a slot's 8 bytes */
	CHECK(q.bytes < (size_t)taken * 2 + 100000);
	fpseq_free(&q);
	CHECK(q.fam == NULL);
	strset_free(&ref);
	strset_free(&other);
}

/* Digests written on one machine are compared on another: the published
 * FNV-1a values, whatever the byte order. */
static void test_digest(void)
{
	CHECK(fp_more(FP_START, "", 0) == 0xcbf29ce484222325ULL);
	CHECK(fp_more(FP_START, "a", 1) == 0xaf63dc4c8601ec8cULL);
	CHECK(fp_more(FP_START, "foobar", 6) == 0x85944171f73967e8ULL);
	CHECK(fp_more(fp_more(FP_START, "foo", 3), "bar", 3) ==
	    0x85944171f73967e8ULL);
	/* fields keep their bounds: "ab","c" is not "a","bc" */
	CHECK(fp_more_str(fp_more_str(FP_START, "ab"), "c") !=
	    fp_more_str(fp_more_str(FP_START, "a"), "bc"));
	CHECK(fp_more_str(FP_START, NULL) != fp_more_str(FP_START, ""));
	CHECK(fp_more_num(fp_more_num(FP_START, 12), 3) !=
	    fp_more_num(fp_more_num(FP_START, 1), 23));
	CHECK(fp_more_num(FP_START, -1) == fp_more_str(FP_START, "-1"));
}

int main(void)
{
	test_map();
	test_reserve();
	test_same_fp();
	test_fp();
	test_pack();
	test_seq();
	test_digest();
	return unit_done("fpmap");
}
