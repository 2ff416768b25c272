/*
 * csvio.c - libcsv wrapped for the reader.  See csvio.h.
 *
 * libcsv needs three things set to be safe for case data: CSV_STRICT (a
 * quote inside an unquoted cell is an error) with CSV_STRICT_FINI (else an
 * unterminated quote silently swallows the rest of the file), a space
 * function that returns 0 (else it trims cells), and a realloc function
 * with a limit (else a cell can grow without bound).
 *
 * libcsv looks at every byte through a state machine; most rows of an
 * export have no quote at all, and for such a row, given whole with its
 * line end, the cells are just the text between commas.  csvp_feed cuts
 * those itself (memchr runs many times faster) and hands libcsv only the
 * rest, so the two can never disagree on a row: libcsv sees whole rows
 * or nothing of them.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvio.h"
#include "err.h"
#include "input.h"
#include "mem.h"

struct csvp {
	struct csv_parser p;
	int live;		/* p was initialised */
	struct buf bytes;	/* cells, each NUL-terminated */
	size_t *off, *len;
	size_t n, cap;
	int row_done;
	int too_big;		/* a cell passed IN_MAX_FIELD */
	int bare_quote;		/* the last error: a quote in an unquoted cell */
	int nomem;
	int pending;		/* libcsv holds part of a row */
	int quote_on;		/* '"' quotes (csvp_literal turns it off) */
	int was_too_big;	/* the last error: a cell over the limit */
};

#define BLK 4096

/* libcsv's realloc hook has no context: the limit lives here. */
static int limit_hit;

static void *limited_realloc(void *p, size_t n)
{
	if (n > IN_MAX_FIELD + BLK) {
		limit_hit = 1;
		return NULL;
	}
	return mem_realloc(p, n);
}

static int keep_spaces(unsigned char c)
{
	(void)c;
	return 0;
}

/* Append a cell; 0, or -1 when memory ran out (c->nomem set). */
static int add_cell(struct csvp *c, const void *s, size_t n)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		size_t *off = mem_realloc(c->off, cap * sizeof *off);

		if (off == NULL) {
			c->nomem = 1;
			return -1;
		}
		c->off = off;
		if ((off = mem_realloc(c->len, cap * sizeof *off)) == NULL) {
			c->nomem = 1;
			return -1;
		}
		c->len = off;
		c->cap = cap;
	}
	c->off[c->n] = c->bytes.len;
	c->len[c->n] = n;
	if (buf_reserve(&c->bytes, n + 1) < 0) {
		c->nomem = 1;
		return -1;
	}
	if (n > 0)
		memcpy(c->bytes.p + c->bytes.len, s, n);
	c->bytes.p[c->bytes.len + n] = '\0';
	c->bytes.len += n + 1;
	c->n++;
	return 0;
}

static void on_cell(void *s, size_t n, void *data)
{
	struct csvp *c = data;

	if (n > IN_MAX_FIELD) {
		c->too_big = 1;
		return;
	}
	(void)add_cell(c, s, n);
}

/*
 * A whole row without quotes, s[n-1] its line end: the cells between
 * the commas.  0 when done, 1 when it is not such a row (libcsv reads
 * it), -1 when memory ran out.
 */
static int quick_row(struct csvp *c, const char *s, size_t n)
{
	const char *end, *comma;

	if (c->pending || n == 0 || (s[n - 1] != '\n' && s[n - 1] != '\r') ||
	    n - 1 > IN_MAX_FIELD || memchr(s, '"', n) != NULL)
		return 1;
	end = s + n - 1;
	for (;;) {
		comma = memchr(s, ',', (size_t)(end - s));
		if (add_cell(c, s, (size_t)((comma != NULL ? comma : end) - s)) < 0)
			return -1;
		if (comma == NULL)
			return 0;
		s = comma + 1;
	}
}

static void on_row(int term, void *data)
{
	struct csvp *c = data;

	(void)term;
	c->row_done = 1;
}

int csvp_reset(struct csvp *c, struct err *e)
{
	if (c->live)
		csv_free(&c->p);
	c->live = 0;
	csvp_clear(c);
	if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return err_nomem(e);
	c->live = 1;
	csv_set_space_func(&c->p, keep_spaces);
	csv_set_realloc_func(&c->p, limited_realloc);
	csv_set_free_func(&c->p, mem_free);
	csv_set_blk_size(&c->p, BLK);
	c->too_big = c->nomem = c->bare_quote = c->pending = 0;
	c->was_too_big = 0;
	c->quote_on = 1;
	return 0;
}

int csvp_too_big(const struct csvp *c)
{
	return c->was_too_big;
}

int csvp_bare_quote(const struct csvp *c)
{
	return c->bare_quote;
}

/*
 * One physical line with quoting switched off: NUL never reaches the
 * parser (the reader rejects it), so as the quote character it never
 * matches and every '"' is text.
 */
int csvp_literal(struct csvp *c, const char *s, size_t n, struct err *e)
{
	int rc;

	if (csvp_reset(c, e) < 0)
		return -1;
	csv_set_quote(&c->p, '\0');
	c->quote_on = 0;
	rc = csvp_feed(c, s, n, e);
	if (rc == 0)
		rc = csvp_finish(c, e);
	csv_set_quote(&c->p, CSV_QUOTE);
	c->quote_on = 1;
	return rc < 0 ? -1 : 0;
}

struct csvp *csvp_new(struct err *e)
{
	struct csvp *c = mem_calloc(1, sizeof *c);

	if (c == NULL) {
		err_nomem(e);
		return NULL;
	}
	if (csvp_reset(c, e) < 0) {
		mem_free(c);
		return NULL;
	}
	return c;
}

void csvp_free(struct csvp *c)
{
	if (c == NULL)
		return;
	if (c->live)
		csv_free(&c->p);
	buf_free(&c->bytes);
	mem_free(c->off);
	mem_free(c->len);
	mem_free(c);
}

static int failure(struct csvp *c, int at_end, struct err *e)
{
	c->was_too_big = 0;
	if (c->nomem)
		return err_nomem(e);
	if (c->too_big || limit_hit) {
		limit_hit = 0;
		c->was_too_big = 1;
		return err_set(e, "field longer than %u MiB", IN_MAX_FIELD >> 20);
	}
	if (csv_error(&c->p) == CSV_ENOMEM || csv_error(&c->p) == CSV_ETOOBIG)
		return err_nomem(e);
	if (at_end)
		return err_set(e, "unterminated quoted field");
	if (c->p.quoted)
		return err_set(e, "text after closing quote");
	c->bare_quote = 1;
	return err_set(e, "quote in unquoted field");
}

int csvp_feed(struct csvp *c, const char *s, size_t n, struct err *e)
{
	int rc;

	if (c->quote_on && (rc = quick_row(c, s, n)) <= 0)
		return rc < 0 ? err_nomem(e) : 1;
	limit_hit = 0;
	if (csv_parse(&c->p, s, n, on_cell, on_row, c) != n || c->too_big ||
	    c->nomem)
		return failure(c, 0, e);
	c->pending = 1;
	if (c->row_done) {
		c->row_done = 0;
		c->pending = 0;
		return 1;
	}
	return 0;
}

int csvp_finish(struct csvp *c, struct err *e)
{
	limit_hit = 0;
	if (csv_fini(&c->p, on_cell, on_row, c) != 0 || c->too_big ||
	    c->nomem)
		return failure(c, 1, e);
	if (c->row_done) {
		c->row_done = 0;
		return 1;
	}
	return 0;
}

size_t csvp_ncells(const struct csvp *c)
{
	return c->n;
}

const char *csvp_cell(const struct csvp *c, size_t i, size_t *len)
{
	*len = c->len[i];
	return c->bytes.p + c->off[i];
}

void csvp_clear(struct csvp *c)
{
	c->n = 0;
	c->pending = 0;
	buf_reset(&c->bytes);
	c->row_done = 0;
}
