/*
 * unit.h - the smallest unit-test harness: CHECK(cond) and friends count
 * and report failures with file and line; main() returns unit_done().
 * Each test binary prints "name: N checks, N failed" and exits non-zero
 * on any failure.
 */
#ifndef ONEDOOR_UNIT_H
#define ONEDOOR_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_checks, unit_failed;

#define CHECK(cond) do { unit_checks++; if (!(cond)) { unit_failed++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)

#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); unit_checks++; \
	if (g_ == NULL || strcmp(g_, w_) != 0) { unit_failed++; \
	fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
	    g_ ? g_ : "(null)", w_); } } while (0)

#define CHECK_INT(got, want) do { long long g_ = (got), w_ = (want); unit_checks++; \
	if (g_ != w_) { unit_failed++; \
	fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); } } while (0)

/* A malloc'd copy of text without the NUL after it, for parsers that take
 * (text, n): one reading past the n bytes shows under ASan and valgrind.
 * The caller frees it. */
static inline char *unit_exact_copy(const char *text, size_t *n)
{
	char *p;

	*n = strlen(text);
	if ((p = malloc(*n ? *n : 1)) == NULL)
		abort();
	memcpy(p, text, *n);
	return p;
}

static int unit_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, unit_checks, unit_failed);
	return unit_failed != 0;
}

#endif
