/*
 * jsonio.h - the small, fast JSON used for case records.
 *
 * jansson is the reference and serves what is nested or rare (rule,
 * event and history handling); these functions serve the hot path: one
 * flat-ish object per line, scanned straight into a struct rec, and
 * written back through one reused buffer.  tests/fuzz/fuzz_jsonscan.c
 * checks jsonio_scan against jansson.
 */
#ifndef ONEDOOR_JSONIO_H
#define ONEDOOR_JSONIO_H

#include <stddef.h>
#include "buf.h"
#include "err.h"
#include "record.h"

#define JSONIO_MAX_DEPTH 64

/*
 * Scan one JSON object (one line, without its newline) into r, appending
 * fields: nested objects flatten to dotted keys, arrays and empty objects
 * stay raw.  Accepts exactly what jansson's json_loadb accepts with
 * JSON_REJECT_DUPLICATES for an object, except: keys containing '.',
 * nesting deeper than JSONIO_MAX_DEPTH, and a top level that is not an
 * object are errors.  On error returns -1 with e->msg naming the problem
 * and, where it helps, the key ("amount: ..."), without file and line.
 */
int jsonio_scan(const char *s, size_t n, struct rec *r, struct err *e);

/* 0 when s is one valid JSON value (jansson's rules), else -1 and e. */
int jsonio_check(const char *s, size_t n, struct err *e);

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80, p < end)
 * by jansson's rules (no overlongs, surrogates or code points above
 * U+10FFFF), or 0 when it is not one. */
size_t jsonio_utf8_len(const unsigned char *p, const unsigned char *end);

/* Append s as a quoted JSON string (UTF-8 kept, controls escaped). */
int jsonio_string(struct buf *b, const char *s, size_t n);

/* Append the record as one compact JSON object (no newline).  Dotted keys
 * become nested objects again; r must be in output order (rec_sort) so
 * that fields of one object are adjacent. */
int jsonio_record(struct buf *b, const struct rec *r);

#endif
