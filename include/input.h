/*
 * input.h - the one reader of records, for every command.
 *
 * Reads a file or stdin, gzip or not (recognised by its magic bytes),
 * UTF-8 (a BOM is skipped) or GB18030 (converted with iconv; UTF-16 is
 * refused by its BOM), as JSON-lines or CSV (chosen by in_opts.format,
 * else by a name ending in .jsonl or .json, else detected from the first
 * bytes: '{' or '[' means JSON-lines; a first line opening a JSON array
 * is IN_FATAL).  CSV is RFC 4180 with quoted commas,
 * quotes and newlines, CRLF or LF; the first row is the header.
 *
 * Each record carries its file name (control characters escaped, see
 * err_name) and first physical line.  A CSV header of more than
 * IN_MAX_COLUMNS columns, or naming a column twice, fails in_open.
 *
 * CSV cells: untyped (in_opts.typed == 0, what case-add uses) gives one
 * REC_STR field per cell in column order, keys from the header, empty
 * cells included.  Typed (the other commands) leaves empty cells out and
 * gives canonical columns their schema type (rec_canonical): numbers must
 * be JSON numbers, raw columns (history) must be valid JSON.
 */
#ifndef ONEDOOR_INPUT_H
#define ONEDOOR_INPUT_H

#include <stddef.h>
#include "err.h"
#include "format.h"
#include "record.h"

#define IN_MAX_FIELD  (1u << 20)	/* longest CSV cell or JSON string */
#define IN_MAX_LINE   (4u << 20)	/* longest JSON line / CSV record */
#define IN_MAX_COLUMNS 10000u		/* widest CSV header */

struct in_opts {
	int format;		/* FMT_AUTO, FMT_JSONL, FMT_CSV */
	int encoding;		/* ENC_AUTO, ENC_UTF8, ENC_GB18030 */
	int typed;		/* see above */
};

enum {
	IN_REC = 1,		/* r holds the next record */
	IN_EOF = 0,		/* no more records */
	IN_FATAL = -1,		/* cannot go on (I/O, corrupt gzip, ...):
				   e->msg says "file:line: why" */
	IN_BAD = -2		/* this record is bad, the next call goes on:
				   e->msg says "file:line: why"; r->file,
				   r->line and r->raw are set and r holds
				   whatever cells could be read */
};

struct input;

/* path NULL or "-" reads stdin (named "stdin" in messages).  The input
 * and everything it returns are freed by in_close. */
struct input *in_open(const char *path, const struct in_opts *o,
    struct err *e);
int in_next(struct input *in, struct rec *r, struct err *e);
/* The CSV header as read (after BOM and trimming), or NULL for JSON. */
const char *const *in_header(const struct input *in, size_t *n);
int in_format(const struct input *in);		/* after detection */
/* Whether the text began with a UTF-8 byte order mark (skipped). */
int in_bom(const struct input *in);
/* Whether the input is a regular file, which can be opened again. */
int in_rereadable(const struct input *in);
int in_encoding(const struct input *in);	/* after detection */
const char *in_name(const struct input *in);
/* Bytes consumed so far and total size (-1 when unknown), for progress. */
long long in_bytes_done(const struct input *in);
long long in_bytes_total(const struct input *in);
void in_close(struct input *in);

#endif
