/*
 * output.h - the one writer of records, and of reject files.
 *
 * JSON-lines: one compact object per line, keys in canonical order
 * (rec_sort).  A record read from JSON-lines and not changed since is
 * written byte for byte as it came (r->raw), so untouched records pass
 * through unchanged.
 *
 * CSV: a header row, RFC 4180 quoting, nested fields flattened with dots,
 * "history" as one JSON text column.  Columns are out_opts.fields when
 * given, else the canonical list (rec_canonical).  Resident id numbers and
 * phone numbers are masked unless unmask is set.  excel adds a UTF-8 BOM
 * and CRLF, neutralises cells a spreadsheet would run as formulas, keeps
 * long digit strings as text and writes times as "YYYY-MM-DD HH:MM".
 *
 * Output is buffered in one reused buffer; gzip when gzip is set or the
 * path ends in ".gz".  out_close reports any write error (ENOSPC, EPIPE in
 * e->sys) and frees the output.
 */
#ifndef ONEDOOR_OUTPUT_H
#define ONEDOOR_OUTPUT_H

#include "err.h"
#include "format.h"
#include "record.h"

struct out_opts {
	int format;		/* FMT_JSONL (default when 0/FMT_AUTO) or FMT_CSV */
	int gzip;
	int excel;
	int unmask;
	const char *fields;	/* "a,b,c" or NULL */
	int lang;		/* enum lang: CSV header labels */
	int sync;		/* fsync before close (store temp files) */
};

struct output;

/* path NULL or "-" writes stdout.  A file is created mode 0600 (less
 * under a stricter umask; an existing file keeps its mode) and
 * truncated, by the rules of fsafe.h: never through another user's
 * symbolic link, never over another user's file or one that group or
 * others may write.  A write error is kept and returned by every later call
 * and by out_close: "stdout: No space left on device", "FILE: write
 * error: ...", with errno in e->sys (EPIPE, ENOSPC). */
struct output *out_open(const char *path, const struct out_opts *o,
    struct err *e);
/* Write to an open descriptor (the store's temp file); out_close and
 * out_discard close it (not stdout named "stdout"), while on failure
 * the caller still owns it.  name is used in messages and gzips when it
 * ends in ".gz". */
struct output *out_fdopen(int fd, const char *name, const struct out_opts *o,
    struct err *e);
int out_rec(struct output *out, struct rec *r, struct err *e);
long long out_count(const struct output *out);
/* How many of them were not a JSON-lines record passed through as it
 * came (changed, made anew, or written as CSV): 0 means the output holds
 * exactly the records read, in order, if every one was written. */
long long out_rebuilt(const struct output *out);
/* CSV: the first field of a record that was not among the columns and
 * so was left out, or NULL; a command warns about it once. */
const char *out_dropped_field(const struct output *out);
/* Flush, fsync if sync, close; the first error of the output's life. */
int out_close(struct output *out, struct err *e);
/* Free without flushing what is still buffered (store_abort). */
void out_discard(struct output *out);
/* Test hook for store.c (see store.h): out_rec flushes and raises
 * SIGKILL once n records are written. */
void out_test_kill_after(struct output *out, long long n);

/*
 * Reject files (--rejects FILE): the rejected input fed back after a fix.
 * For CSV input: the input's header plus a "reject_reason" column, then
 * each rejected row as its original cells plus the reason.  For JSON-lines
 * input: the original object with a "reject_reason" key, or, when the line
 * was not an object, {"reject_reason":..., "raw": "the line"}.
 * The file is created (0600, empty) by rej_open, so it exists after the
 * run even when nothing was rejected.  The first reject decides the
 * file's format and, for CSV, its header; later rejects are written in
 * that format (CSV cells under the first header's names).
 */
struct rejects;
struct rejects *rej_open(const char *path, struct err *e);
/* How the CSV rejects of the input about to be read are to be written:
 * excel (--excel) gives a byte order mark, CRLF and cells made safe as
 * --excel output's are; bom (the input had one, or was GB18030) gives
 * the mark alone.  Decided by the first reject: the header is written
 * then.  Without a call: plain UTF-8, LF, cells as read. */
void rej_input(struct rejects *rj, int excel, int bom);
/* r as the reader gave it (untyped cells or parsed JSON) */
int rej_write(struct rejects *rj, const char *const *header, size_t nheader,
    const struct rec *r, const char *reason, struct err *e);
int rej_close(struct rejects *rj, struct err *e);

#endif
