/*
 * unit.h - the smallest unit-test harness: CHECK(cond) and friends count
 * and report failures with file and line; main() returns unit_done().
 * Each test binary prints "name: N checks, N failed" and exits non-zero
 * on any failure.
 */
#ifndef ONEDOOR_UNIT_H
#define ONEDOOR_UNIT_H

#include <stdio.h>
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

static int unit_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, unit_checks, unit_failed);
	return unit_failed != 0;
}

#endif
