/*
 * csvio.h - RFC 4180 rows through libcsv, for the reader (input.c).
 *
 * The reader feeds bytes piece by piece, each piece ending at the first
 * CR or LF at most, so that at most one row ends per call and the reader
 * knows on which physical line every row starts and ends.  The parser is
 * strict (a stray quote is an error, not data: it is how rows get merged
 * silently), keeps spaces, and caps a cell at IN_MAX_FIELD bytes.  The
 * one exception, a quote inside a cell that does not start with one, is
 * read again as text by csvp_literal.
 */
#ifndef ONEDOOR_CSVIO_H
#define ONEDOOR_CSVIO_H

#include <stddef.h>
#include "err.h"

struct csvp;

struct csvp *csvp_new(struct err *e);
void csvp_free(struct csvp *c);
/* Start afresh after an error: a new libcsv parser, no cells. */
int csvp_reset(struct csvp *c, struct err *e);
/* 1 when a row ended within s (it then ends at s[n-1]), 0 when not, -1 on
 * a syntax error or a cell over the limit (e says which). */
int csvp_feed(struct csvp *c, const char *s, size_t n, struct err *e);
/* At end of input: 1 when a last row ended, 0 when nothing was pending,
 * -1 for an unterminated quoted field. */
int csvp_finish(struct csvp *c, struct err *e);
/* The cells of the row read so far (NUL-terminated); valid until the
 * next csvp_feed after csvp_clear. */
size_t csvp_ncells(const struct csvp *c);
const char *csvp_cell(const struct csvp *c, size_t i, size_t *len);
void csvp_clear(struct csvp *c);

/* Whether the last error was a cell over IN_MAX_FIELD. */
int csvp_too_big(const struct csvp *c);
/* Whether the last error was a quote inside an unquoted cell (37.8"N). */
int csvp_bare_quote(const struct csvp *c);
/* Parse the one line s[0..n) (no line end) with '"' as plain text, as
 * spreadsheets read such a line; its cells replace the row's.  0 or -1. */
int csvp_literal(struct csvp *c, const char *s, size_t n, struct err *e);

#endif
