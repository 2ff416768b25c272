/*
 * recipe.h - what the model-based fuzz targets share (fuzz_append,
 * fuzz_match): their input is not a file but a recipe whose bytes choose
 * what to build, read a byte at a time; and when the code under test
 * and the model disagree they say how, then stop.  Included by one
 * target each (static functions, no object of its own).
 */
#ifndef ONEDOOR_FUZZ_RECIPE_H
#define ONEDOOR_FUZZ_RECIPE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "err.h"

struct recipe {
	const uint8_t *p, *end;
};

/* The next byte, 0 once the recipe is used up (so every recipe, however
 * short, means something). */
static inline unsigned take(struct recipe *r)
{
	return r->p < r->end ? *r->p++ : 0;
}

/* The target's name for messages, and where to look (its scratch files),
 * or NULL. */
static const char *fail_target = "fuzz", *fail_where;

/* Say how the code and the model differ, and abort. */
static void fail(const char *fmt, ...) ERR_PRINTF(1, 2);

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", fail_target);
	vfprintf(stderr, fmt, ap);
	if (fail_where != NULL)
		fprintf(stderr, " (%s)", fail_where);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

#endif
