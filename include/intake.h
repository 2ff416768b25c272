/*
 * intake.h - case-add's work: turn intake rows (CSV with English or
 * Chinese headers, or JSON-lines) into new case records.
 *
 * For each row: columns are mapped to canonical fields (aliases below and
 * --map), values are trimmed, Chinese enum values mapped to the canonical
 * ones, every field checked; a good row becomes a record with an id
 * PREFIX-YEAR-NNNNNN, status "new" and its first history entry; a bad row
 * is rejected with "file:line: field: reason".
 *
 * With a store (--append), the store is locked and read first: numbering
 * continues from the highest sequence of each year, rows whose source_id
 * the store already holds are skipped (idempotent re-import), and a row
 * that looks like an open case already there gets possible_duplicate_of.
 */
#ifndef ONEDOOR_INTAKE_H
#define ONEDOOR_INTAKE_H

#include "cli.h"
#include "err.h"

struct progress;

struct intake_opts {
	const struct cli *cli;	/* inputs, output, store, --now, --rejects */
	const char *prefix;	/* id prefix, "CASE" by default */
	char **maps;		/* "FIELD=COLUMN" from --map */
	int nmaps;
	char **sets;		/* "FIELD=VALUE" from --set: the value of
				   every row that has none of its own */
	int nsets;
	/* the command's voice for rejects and notices */
	void (*say)(void *ctx, const char *msg);
	void *ctx;
	/* Optional: the command's progress line (progress.h), NULL = none;
	 * started with the size of the store and the inputs, enabled by
	 * cli->progress, ticked per row and store record, paused around
	 * say, ended before intake_run returns. */
	struct progress *progress;
};

/* Every row read is added, rejected or known (already in the store):
 * rows = added + rejected + known.  flagged: added with a
 * possible_duplicate_of. */
struct intake_stats {
	long long rows, added, rejected, known, flagged;
};

/* Run the intake over files (none: stdin).  Returns 0 (rejected rows are
 * counted, not errors) or -1 on a fatal error: unreadable input, store
 * problems, a write error; the store is then untouched. */
int intake_run(const struct intake_opts *o, char **files, int nfiles,
    struct intake_stats *st, struct err *e);

/* The alias tables, for --help and the man page's tests: canonical field
 * of a header ("身份证号码" -> "claimant.id_no"), canonical enum value of
 * a channel or type text; NULL when unknown. */
const char *intake_field_of(const char *header);
const char *intake_channel_of(const char *text);
const char *intake_type_of(const char *text);

#endif
