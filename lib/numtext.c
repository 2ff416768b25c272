/*
 * numtext.c - decimal text without printf.  See numtext.h.
 *
 * Two digits at a time from a table: the divisions by 100 are by a
 * constant, which the compiler turns into multiplications.
 */
#include <string.h>

#include "numtext.h"

static const char pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

size_t num_put_uint(char *p, unsigned long long v, int width)
{
	char tmp[24], *end = tmp + sizeof tmp, *q = end;
	size_t n;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		q -= 2;
		memcpy(q, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, pairs + 2 * v, 2);
	} else
		*--q = (char)('0' + v);
	while (end - q < width && q > tmp)
		*--q = '0';
	n = (size_t)(end - q);
	memcpy(p, q, n);
	return n;
}

size_t num_put_int(char *p, long long v, int width)
{
	if (v >= 0)
		return num_put_uint(p, (unsigned long long)v, width);
	*p = '-';
	/* -(v + 1) + 1: no overflow for LLONG_MIN */
	return 1 + num_put_uint(p + 1, (unsigned long long)-(v + 1) + 1,
	    width);
}

int num_get_uint(const char *s, size_t n, unsigned long long *v)
{
	unsigned long long x = 0;
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (unsigned long long)(s[i] - '0');
	}
	*v = x;
	return 0;
}
