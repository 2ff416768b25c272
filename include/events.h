/*
 * events.h - event files for mediate and confirm: read them, index them
 * by the case they name, and apply them to the matching records of one
 * pass over the cases.
 *
 * An event is one row of a CSV or JSON-lines file (or one command line
 * in single mode).  It names its case by "id" or "source_id" (when both
 * are given, id chooses the case and source_id must agree with it), and
 * carries "at", the time it happened.  The rest is the command's: a
 * parse hook turns the row into the command's own data, an apply hook
 * checks it against a case and changes the case.
 *
 * Rules common to both commands, checked here before the apply hook:
 *  - events for one case apply in file order, and their times must not
 *    decrease along the file: an event dated before an earlier event for
 *    the same case is rejected ("out of order");
 *  - an event dated before the case's last recorded step (the latest
 *    "at" in its history, or received_at when it has none) is rejected;
 *  - an event dated after the run's time (--now) is rejected;
 *  - an event matches one case only: a source_id found on a second case
 *    is reported there and not applied again;
 *  - events that matched no case are reported after the pass.
 * A rejected event changes nothing.
 *
 * Memory grows with the events, not with the cases: each record costs
 * two hash lookups (its id and its source_id) and is not touched unless
 * an event names it.
 */
#ifndef ONEDOOR_EVENTS_H
#define ONEDOOR_EVENTS_H

#include <stddef.h>

#include "cli.h"
#include "err.h"
#include "filter.h"
#include "input.h"
#include "record.h"
#include "timefmt.h"

enum { EV_PENDING, EV_APPLIED, EV_REJECTED };

struct ev {
	const char *file;	/* NULL in single mode (no file, no line) */
	unsigned long line;
	unsigned long seq;	/* order in which the events were added */
	char *id;		/* the case named, either or both */
	char *source_id;
	struct tf_time at;
	void *data;		/* the command's, from the parse hook */
	struct ev *next_key;	/* next event naming the same id/source_id */
	struct ev *next;	/* next event added */
	char *case_id;		/* the case it was matched to, or NULL */
	int fate;		/* EV_* */
};

struct ev_hooks {
	const char *cmd;	/* "mediate": history entries and messages */
	/* Fill ev->data from the row.  0, or -1 with e saying why the event
	 * is refused (no file or line: the caller adds them). */
	int (*parse)(void *ctx, const struct rec *row, struct ev *ev,
	    struct err *e);
	/* Check the event against the case and change it: 1 applied,
	 * 0 refused (e says why; r must be unchanged), -1 fatal. */
	int (*apply)(void *ctx, struct rec *r, const struct ev *ev,
	    struct err *e);
	void (*free_data)(void *data);
	/* Where refusals go: one complete line "file:line: case: why". */
	void (*say)(void *sayctx, const char *msg);
	void *ctx, *sayctx;
};

struct ev_set;

struct ev_set *ev_new(const struct ev_hooks *h, const struct tf_time *now,
    struct err *e);
void ev_free(struct ev_set *s);

/* Read every event of a file.  Refused rows are reported through say and
 * counted; 0, or -1 when the file cannot be read at all (e says why). */
int ev_load(struct ev_set *s, const char *path, const struct in_opts *o,
    struct err *e);
/* Add one event from a row: 1 added, 0 refused (e says why, prefixed
 * with file:line when file is not NULL), -1 fatal. */
int ev_add(struct ev_set *s, const struct rec *row, const char *file,
    unsigned long line, struct err *e);

/* filter_ops hooks; ctx is the set.  apply applies every event naming r
 * and returns FILTER_DONE when one applied, else FILTER_PASS (refusals
 * are said and counted here, never returned as FILTER_REJECT).  finish
 * reports the events that matched no case and returns every refusal of
 * the run, load included. */
int ev_filter_apply(void *set, struct rec *r, struct err *e);
int ev_filter_finish(void *set, struct err *e);

/* filter_run (filter.h) over the cases of c's store or of files with
 * the hooks above; meter is the command's progress line (progress.h) or
 * NULL.  0, or -1 (fatal; a store is left untouched). */
int ev_run(struct ev_set *s, const struct cli *c, struct progress *meter,
    char **files, int nfiles, struct filter_stats *st, struct err *e);

size_t ev_count(const struct ev_set *s);
long ev_applied(const struct ev_set *s);
long ev_rejected(const struct ev_set *s);
/* The events in the order added (for tests). */
const struct ev *ev_first(const struct ev_set *s);

/* Helpers for the hooks. */

/* The value of the first of names that the row holds non-empty (and
 * not JSON null), or NULL: names lists a column and its aliases ("id",
 * "案件编号"). */
const char *ev_field(const struct rec *row, const char *const *names);
/* true/1/yes/y/是 -> 1, false/0/no/n/否 -> 0, else -1. */
int ev_bool(const char *s);
/* The time of the case's last recorded step: the latest parsable "at" of
 * its history, else received_at.  1 found, 0 none. */
int ev_case_last(const struct rec *r, struct tf_time *out);
/* Fill e with 'FIELD: "VAL" is not one of a, b, c (did you mean b?)'. */
int ev_bad_word(struct err *e, const char *field, const char *val,
    const char *const *words);
/* RFC 3339 of t, in a static buffer (for messages). */
const char *ev_time(struct tf_time t);

#endif
