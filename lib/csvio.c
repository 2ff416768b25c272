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

static int cell_room(struct csvp *c);

/* Append a cell; 0, or -1 when memory ran out (c->nomem set). */
static int add_cell(struct csvp *c, const void *s, size_t n)
{
	if (cell_room(c) < 0)
		return -1;
	if (buf_reserve(&c->bytes, n + 1) < 0) {
		c->nomem = 1;
		return -1;
	}
	c->off[c->n] = c->bytes.len;
	c->len[c->n] = n;
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

/* Room for one more cell in off and len; 0 or -1 (c->nomem set). */
static int cell_room(struct csvp *c)
{
	size_t cap;
	size_t *off;

	if (c->n < c->cap)
		return 0;
	cap = c->cap ? c->cap * 2 : 32;
	if ((off = mem_realloc(c->off, cap * sizeof *off)) == NULL) {
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
	return 0;
}

/* Bytes after a row copied for quick_row, zeros: the scanners below read
 * whole blocks and may look up to SCAN_PAD - 1 bytes past the row. */
#define SCAN_PAD 16

#ifdef __SSE2__
#include <emmintrin.h>

/* The first byte of p[0, n) that is a or b, or n.  Cells are short: a
 * compare of sixteen bytes at once beats a call to memchr per cell. */
static size_t find2(const char *p, size_t n, char a, char b)
{
	const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
	size_t i;

	for (i = 0; i < n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));

		if (m != 0) {
			i += (size_t)__builtin_ctz(m);
			return i < n ? i : n;
		}
	}
	return n;
}
#else
static size_t find2(const char *p, size_t n, char a, char b)
{
	size_t i;

	for (i = 0; i < n && p[i] != a && p[i] != b; i++)
		;
	return i;
}
#endif

/*
 * A whole row, s[n-1] its line end, read here without libcsv when it is
 * plain RFC 4180 on this one line: cells between commas, a cell that
 * starts with a quote runs to the closing quote ("" inside is one
 * quote) and a comma or the line end comes right after it.  Anything
 * else -- a quote inside an unquoted cell, text after a closing quote, a
 * quoted cell still open at the line end (it goes on over the next
 * line) -- is left to libcsv, which reads the row from the start or
 * reports it; what was cut here is then forgotten.  So libcsv and this
 * never share a row and the cells are the same as libcsv's (fuzz_csvrow
 * checks it).
 *
 * The row is copied once into c->bytes and cut there in place: commas
 * and line end become NULs, quoted cells are moved down over their
 * quotes (the text only ever shrinks).  0 when done, 1 when libcsv must
 * read the row, -1 when memory ran out.
 */
static int quick_row(struct csvp *c, const char *s, size_t n)
{
	size_t base = c->bytes.len, n0 = c->n, k;
	char *b, *r, *w, *end, *cell;

	if (c->pending || n == 0 || (s[n - 1] != '\n' && s[n - 1] != '\r') ||
	    n - 1 > IN_MAX_FIELD)
		return 1;
	if (buf_reserve(&c->bytes, n + SCAN_PAD) < 0) {
		c->nomem = 1;
		return -1;
	}
	b = c->bytes.p + base;
	memcpy(b, s, n);
	memset(b + n, 0, SCAN_PAD);
	end = b + n - 1;
	r = w = b;
	for (;;) {
		if (cell_room(c) < 0)
			return -1;
		cell = w;
		if (r < end && *r == '"') {
			for (r++;;) {
				k = find2(r, (size_t)(end - r), '"', '"');
				if (r + k == end)
					goto libcsv;	/* open at the line end */
				if (w != r)
					memmove(w, r, k);
				w += k;
				r += k + 1;
				if (r < end && *r == '"') {
					*w++ = '"';
					r++;
					continue;
				}
				break;
			}
			if (r < end && *r != ',')
				goto libcsv;		/* text after the quote */
		} else {
			k = find2(r, (size_t)(end - r), ',', '"');
			if (r[k] == '"' && r + k < end)
				goto libcsv;		/* quote in the cell */
			if (w != r)
				memmove(w, r, k);
			w += k;
			r += k;
		}
		/* r is at the comma or the line end; w <= r */
		c->off[c->n] = base + (size_t)(cell - b);
		c->len[c->n] = (size_t)(w - cell);
		c->n++;
		*w++ = '\0';
		if (r == end)
			break;
		r++;
	}
	c->bytes.len = base + (size_t)(w - b);
	return 0;
libcsv:
	c->n = n0;
	c->bytes.p[base] = '\0';
	return 1;
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
