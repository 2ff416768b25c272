/*
 * fuzz_csvrow.c - differential fuzzing of csvio's quick path against
 * libcsv itself.
 *
 * csvp_feed cuts a whole row that is plain RFC 4180 on one line by hand
 * (cells between commas, quoted cells with "" inside) and hands libcsv
 * every other row from its start.  For any line (no CR or LF inside, a
 * line end after it) csvp_feed must then answer exactly as libcsv with
 * the reader's settings (strict, spaces kept) does: the same cells, byte
 * for byte, when the row ends there; an error when libcsv errs; "row
 * goes on" when a quoted cell is still open at the line end.  Any
 * disagreement aborts.
 */
#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "err.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ref {
	char *cell[4096];
	size_t len[4096];
	size_t n;
	int rows;
};

static int keep_spaces(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_cell(void *s, size_t n, void *data)
{
	struct ref *r = data;

	if (r->n == sizeof r->cell / sizeof r->cell[0])
		abort();
	if ((r->cell[r->n] = malloc(n + 1)) == NULL)
		abort();
	if (n > 0)
		memcpy(r->cell[r->n], s, n);
	r->len[r->n++] = n;
}

static void on_row(int term, void *data)
{
	(void)term;
	((struct ref *)data)->rows++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ref r;
	struct csv_parser p;
	struct csvp *c;
	struct err e;
	char *row;
	size_t i, len, done;
	const char *cell;
	int want, got;

	/* a line of at least one byte, no line end inside; the last input
	 * byte picks the line end */
	if (size < 2 || size > 4096)
		return 0;
	size--;
	for (i = 0; i < size; i++)
		if (data[i] == '\r' || data[i] == '\n')
			return 0;
	if ((row = malloc(size + 1)) == NULL)
		return 0;
	memcpy(row, data, size);
	row[size] = data[size] & 1 ? '\r' : '\n';

	memset(&r, 0, sizeof r);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	csv_set_space_func(&p, keep_spaces);
	done = csv_parse(&p, row, size + 1, on_cell, on_row, &r);
	/* libcsv: -1 error, 1 a row ended, 0 it goes on */
	want = done != size + 1 ? -1 : r.rows == 1 ? 1 : 0;
	if (r.rows > 1)
		abort();
	csv_free(&p);

	if ((c = csvp_new(&e)) == NULL)
		abort();
	got = csvp_feed(c, row, size + 1, &e);
	if (got != want)
		abort();
	if (want == 1) {
		if (csvp_ncells(c) != r.n)
			abort();
		for (i = 0; i < r.n; i++) {
			cell = csvp_cell(c, i, &len);
			if (len != r.len[i] || memcmp(cell, r.cell[i], len) != 0 ||
			    cell[len] != '\0')
				abort();
		}
	}
	for (i = 0; i < r.n; i++)
		free(r.cell[i]);
	csvp_free(c);
	free(row);
	return 0;
}
