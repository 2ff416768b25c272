/*
 * filter.h - the loop every record-changing command runs: read records
 * from files, stdin or a store (-i), let the command look at or change
 * each one, write every record out in input order, and replace the store
 * only when all went well.
 *
 * Records the command does not touch are written byte for byte as they
 * came.  A change the command refuses (a transition the record's state
 * does not allow) leaves the record as it was and counts as rejected.
 * records in = records out, always; bad input lines (not a record at all)
 * are reported and counted as bad, and with -i they are fatal, because
 * writing the store back without them would lose them.  The store is
 * read as JSON-lines (store_in_opts), so a file that is not one (plain
 * text, a CSV) stops at its first line.  A CSV input without an "id"
 * column is not case records (most likely intake rows for case-add) and
 * is fatal too, naming the file.
 */
#ifndef ONEDOOR_FILTER_H
#define ONEDOOR_FILTER_H

#include "cli.h"
#include "err.h"
#include "record.h"

struct progress;

enum {
	FILTER_PASS = 0,	/* not touched */
	FILTER_DONE = 1,	/* changed */
	FILTER_REJECT = 2	/* change refused; e->msg says "id: why" */
};

struct filter_ops {
	void *ctx;
	/* Optional first pass over all records (e.g. counting open cases per
	 * person).  Standard input is then read twice: in place when it is
	 * a regular file, else copied to an unlinked temporary file in
	 * TMPDIR that replaces descriptor 0 (a killed run leaves nothing). */
	int (*scan)(void *ctx, const struct rec *r, struct err *e);
	/* Required: FILTER_* or -1 (fatal: the run stops, the store is kept). */
	int (*apply)(void *ctx, struct rec *r, struct err *e);
	/* Optional, after the last record: returns how many further rejects
	 * it reported through say (e.g. events for unknown cases), or -1. */
	int (*finish)(void *ctx, struct err *e);
	/* Required: the command's voice for a rejection ("file:line: ..."). */
	void (*say)(void *ctx, const char *msg);
	/* Optional: the command's progress line (progress.h), NULL = none.
	 * filter_run starts it with the size of all it will read (both
	 * passes; -1 when a pipe is read), enabled by c->progress, ticks it
	 * per record read, pauses it around say, and ends it. */
	struct progress *progress;
};

struct filter_stats {
	long long in, out, changed, rejected, bad;
};

/* files: input paths (none: stdin; must be none with c->store).  Returns
 * 0, or -1 on a fatal error (e says why; a store is left untouched). */
int filter_run(const struct cli *c, char **files, int nfiles,
    const struct filter_ops *ops, struct filter_stats *st, struct err *e);

#endif
