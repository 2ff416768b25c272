/*
 * test_fpmap.c - unit tests of lib/fpmap.c (fingerprints without keys):
 * growth keeps every entry, equal fingerprints are all found by
 * fpmap_next, keys that differ a little get different fingerprints.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fpmap.h"
#include "unit.h"

static void test_map(void)
{
	struct fpmap m = FPMAP_INIT;
	uint32_t *v;
	const uint32_t *g;
	uint64_t i;
	int created, bad = 0;

	CHECK(fpmap_get(&m, 5) == NULL);
	for (i = 1; i <= 100000; i++) {
		v = fpmap_slot(&m, i * 7919, &created);
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
		if ((g = fpmap_get(&m, i * 7919)) == NULL || *g != i)
			bad++;
	CHECK_INT(bad, 0);
	CHECK(fpmap_get(&m, 7919ULL * 100001) == NULL);
	/* an existing fingerprint: the same slot, not a new one */
	v = fpmap_slot(&m, 7919, &created);
	CHECK(v != NULL && !created && *v == 1);
	CHECK_INT((long long)m.n, 100000);
	CHECK(fpmap_bytes(&m) == m.cap * 12);
	fpmap_free(&m);
	CHECK(m.cap == 0 && m.slot == NULL);
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
		if (fpmap_slot(&m, f, &created) == NULL || !created)
			dup++;
		n = snprintf(k, sizeof k, "张伟\037第%ld建筑劳务有限公司", i);
		f = fp_of(k, (size_t)n);
		zero += f == 0;
		if (fpmap_slot(&m, f, &created) == NULL || !created)
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

int main(void)
{
	test_map();
	test_same_fp();
	test_fp();
	return unit_done("fpmap");
}
