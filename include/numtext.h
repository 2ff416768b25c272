/*
 * numtext.h - numbers and times written as text without printf, for the
 * hot paths of case-add (an id, a count, a time per row): snprintf's
 * format parsing cost more than the rest of the row's formatting.
 */
#ifndef ONEDOOR_NUMTEXT_H
#define ONEDOOR_NUMTEXT_H

#include <stddef.h>
#include "timefmt.h"

/* v in decimal, zero-padded to at least width digits (0 or 1: no
 * padding), not NUL-terminated; returns the length (at most 20 or
 * width).  p needs that much room. */
size_t num_put_uint(char *p, unsigned long long v, int width);
/* The same for a signed value ("-" then the digits of |v|). */
size_t num_put_int(char *p, long long v, int width);

/* The whole number at s[0, n): only ASCII digits, no sign, no leading
 * spaces, at most 18 digits.  0 with *v, or -1. */
int num_get_uint(const char *s, size_t n, unsigned long long *v);

/* t as RFC 3339, byte for byte what tf_format writes
 * ("2024-04-11T09:30:00+08:00", "Z" for offset 0), NUL-terminated;
 * returns the length.  p needs 32 bytes. */
size_t num_put_rfc3339(char *p, struct tf_time t);

/* The UTC offsets of local days already seen, for num_parse_local. */
#define NUM_TZDAYS 64
struct num_tzcache {
	long long day[NUM_TZDAYS];
	int off[NUM_TZDAYS];
	unsigned char state[NUM_TZDAYS];	/* 0 unknown, 1 off holds,
						   2 a transition is near */
};

/*
 * The usual forms of a local time in exports: "YYYY-MM-DD",
 * "YYYY-MM-DD HH:MM" and "YYYY-MM-DD HH:MM:SS" ('/' for '-', 'T' for
 * the space).  0 with *out exactly as tf_parse gives it; 1 when s is in
 * another form or is not a valid time: then tf_parse must read it (and
 * say what is wrong).  The offset of a local day is looked up with TZ
 * once and kept in c (zeroed to start); a day within a day of a UTC
 * offset change is always left to tf_parse.
 */
int num_parse_local(const char *s, size_t n, struct tf_time *out,
    struct num_tzcache *c);

#endif
