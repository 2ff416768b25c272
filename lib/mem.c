/*
 * mem.c - the one allocator of lib, with failure injection for tests.
 *
 * ONEDOOR_FAIL_ALLOC=N makes the N-th allocation (counting from 1) and all
 * later ones fail, so a test can show that running out of memory ends in
 * a message and exit status 2, not a crash.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mem.h"

static unsigned long fail_at;		/* 0: never fail */
static unsigned long count;

static int must_fail(void)
{
	return fail_at != 0 && ++count >= fail_at;
}

void mem_setup(void)
{
	const char *s = getenv("ONEDOOR_FAIL_ALLOC");

	if (s != NULL && *s != '\0')
		fail_at = strtoul(s, NULL, 10);
	json_set_alloc_funcs(mem_alloc, mem_free);
}

void *mem_alloc(size_t n)
{
	if (must_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *mem_calloc(size_t n, size_t size)
{
	if (must_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *mem_realloc(void *p, size_t n)
{
	if (must_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void mem_free(void *p)
{
	free(p);
}

char *mem_strndup(const char *s, size_t n)
{
	char *p = mem_alloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *mem_strdup(const char *s)
{
	return mem_strndup(s, strlen(s));
}
