/*
 * numtext.h - numbers and times written as text without printf, for the
 * hot paths of case-add (an id, a count, a time per row): snprintf's
 * format parsing cost more than the rest of the row's formatting.
 */
#ifndef ONEDOOR_NUMTEXT_H
#define ONEDOOR_NUMTEXT_H

#include <stddef.h>

/* v in decimal, zero-padded to at least width digits (0 or 1: no
 * padding), not NUL-terminated; returns the length (at most 20 or
 * width).  p needs that much room. */
size_t num_put_uint(char *p, unsigned long long v, int width);
/* The same for a signed value ("-" then the digits of |v|). */
size_t num_put_int(char *p, long long v, int width);

/* The whole number at s[0, n): only ASCII digits, no sign, no leading
 * spaces, at most 18 digits.  0 with *v, or -1. */
int num_get_uint(const char *s, size_t n, unsigned long long *v);

#endif
