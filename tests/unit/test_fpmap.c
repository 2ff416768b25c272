/*
 * test_fpmap.c - unit tests of lib/fpmap.c (fingerprints without keys)
 * and lib/numtext.c (decimal text without printf): growth keeps every
 * entry, equal fingerprints are all found by fpmap_next, keys that
 * differ a little get different fingerprints, and numbers are written
 * and read back exactly.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fpmap.h"
#include "numtext.h"
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
	CHECK(m.cap == 0 && m.fp == NULL);
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
		sum += m.val[i];
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

static const char *put_u(unsigned long long v, int w)
{
	static char b[32];

	b[num_put_uint(b, v, w)] = '\0';
	return b;
}

static const char *put_i(long long v, int w)
{
	static char b[32];

	b[num_put_int(b, v, w)] = '\0';
	return b;
}

static void test_numtext(void)
{
	unsigned long long v;
	char want[32];
	long long i;
	int bad = 0;

	CHECK_STR(put_u(0, 0), "0");
	CHECK_STR(put_u(7, 1), "7");
	CHECK_STR(put_u(42, 6), "000042");
	CHECK_STR(put_u(2024, 4), "2024");
	CHECK_STR(put_u(1234567, 6), "1234567");
	CHECK_STR(put_u(ULLONG_MAX, 0), "18446744073709551615");
	CHECK_STR(put_i(-5, 0), "-5");
	CHECK_STR(put_i(LLONG_MIN, 0), "-9223372036854775808");
	CHECK_STR(put_i(LLONG_MAX, 0), "9223372036854775807");
	for (i = -100000; i <= 100000; i += 7) {
		snprintf(want, sizeof want, "%03lld", i);
		if (strcmp(put_i(i, 3), want) != 0 && i >= 0)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK(num_get_uint("2024", 4, &v) == 0 && v == 2024);
	CHECK(num_get_uint("000123", 6, &v) == 0 && v == 123);
	CHECK(num_get_uint("999999999999999999", 18, &v) == 0 &&
	    v == 999999999999999999ULL);
	CHECK(num_get_uint("1234567890123456789", 19, &v) < 0);
	CHECK(num_get_uint("", 0, &v) < 0);
	CHECK(num_get_uint("12a", 3, &v) < 0);
	CHECK(num_get_uint("-1", 2, &v) < 0);
	CHECK(num_get_uint(" 1", 2, &v) < 0);
}

int main(void)
{
	test_map();
	test_same_fp();
	test_fp();
	test_numtext();
	return unit_done("fpmap");
}
