/*
 * fuzz_csvrow.c - differential fuzzing of csvio's quick path against
 * libcsv itself.
 *
 * csvp_feed cuts a whole row without quotes at its commas by hand and
 * hands libcsv only rows that have quotes.  For any such row (no quote,
 * no CR or LF inside, a line end after it), the cells must be exactly the
 * ones libcsv gives with the reader's settings (strict, spaces kept).
 * Any disagreement aborts.
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
	size_t i, len;
	const char *cell;

	/* a row of at least one byte, none a quote or line end */
	if (size < 1 || size > 4096)
		return 0;
	for (i = 0; i < size; i++)
		if (data[i] == '"' || data[i] == '\r' || data[i] == '\n')
			return 0;
	if ((row = malloc(size + 1)) == NULL)
		return 0;
	memcpy(row, data, size);
	row[size] = '\n';

	memset(&r, 0, sizeof r);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	csv_set_space_func(&p, keep_spaces);
	if (csv_parse(&p, row, size + 1, on_cell, on_row, &r) != size + 1 ||
	    csv_fini(&p, on_cell, on_row, &r) != 0)
		abort();
	csv_free(&p);

	if ((c = csvp_new(&e)) == NULL)
		abort();
	if (csvp_feed(c, row, size + 1, &e) != 1 || r.rows != 1 ||
	    csvp_ncells(c) != r.n)
		abort();
	for (i = 0; i < r.n; i++) {
		cell = csvp_cell(c, i, &len);
		if (len != r.len[i] || memcmp(cell, r.cell[i], len) != 0 ||
		    cell[len] != '\0')
			abort();
		free(r.cell[i]);
	}
	csvp_free(c);
	free(row);
	return 0;
}
