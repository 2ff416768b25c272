/*
 * mem.h - the one allocator of lib.
 *
 * Everything in lib allocates through these functions so that an
 * allocation failure is always handled (returned as an error, never a
 * crash) and can be provoked in tests: when the environment variable
 * ONEDOOR_FAIL_ALLOC=N is set, the N-th allocation and every later one
 * fail.  jansson and libcsv are pointed at these functions by mem_setup().
 */
#ifndef ONEDOOR_MEM_H
#define ONEDOOR_MEM_H

#include <stddef.h>

void mem_setup(void);			/* read ONEDOOR_FAIL_ALLOC, hook jansson */
void *mem_alloc(size_t n);		/* NULL on failure */
void *mem_calloc(size_t n, size_t size);
void *mem_realloc(void *p, size_t n);
void mem_free(void *p);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);

#endif
