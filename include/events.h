/*
 * events.h - event files for mediate and confirm: read them, index them
 * by the case they name, and apply them to the matching records of one
 * pass over the cases; and the main() both commands share.
 *
 * An event is one row of a CSV or JSON-lines file (or one command line
 * in single mode).  It names its case by "id" or "source_id" (when both
 * are given, id chooses the case and source_id must agree with it), and
 * carries "at", the time it happened.  The rest is the command's: a
 * parse hook packs the row into the command's own data, an apply hook
 * checks it against a case and changes the case.
 *
 * Rules common to both commands, checked here before the apply hook:
 *  - events for one case apply in file order, and their times must not
 *    decrease along the file: an event dated before an earlier event for
 *    the same case is rejected ("out of order");
 *  - an event identical to a step the case's history holds already
 *    (the same command, the status it leads to, the same time and the
 *    same "by": a replayed events file) is "already recorded": counted,
 *    not applied again, not an error;
 *  - an event dated before the case was received, or before the case's
 *    last recorded step (the latest "at" in its history, or received_at
 *    when it has none), is rejected;
 *  - an event dated after the run's time (--now) is rejected;
 *  - an event matches one case only: a source_id found on a second case
 *    is reported there and not applied again;
 *  - events that matched no case are reported after the pass.
 * A rejected event changes nothing.
 *
 * Memory grows with the events, not with the cases, and is kept small:
 * every event is packed, with the command's data, into one arena (no
 * allocation per event), and an open-addressing table of 32-bit handles
 * finds the events of a case.  Each record costs two lookups (its id and
 * its source_id), mostly answered by a Bloom filter, and is not touched
 * unless an event names it.
 */
#ifndef ONEDOOR_EVENTS_H
#define ONEDOOR_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "cli.h"
#include "err.h"
#include "filter.h"
#include "input.h"
#include "law.h"
#include "record.h"
#include "timefmt.h"

enum { EV_PENDING, EV_APPLIED, EV_REJECTED, EV_RECORDED };

struct ev_set;

/* One event as the apply hook sees it; valid during the call only. */
struct ev {
	const char *file;	/* NULL in single mode (no file, no line) */
	unsigned long line;
	const char *id;		/* the case named, either or both */
	const char *source_id;
	struct tf_time at;
	const void *data;	/* the command's packed data (not aligned:
				   memcpy it out, ev_data) */
	const struct ev_set *set;
};

/* The command's data of one event while the parse hook builds it: a
 * fixed part (the command's struct, copied in by ev_pack_fixed) and the
 * strings it refers to by 32-bit references. */
struct ev_pack {
	struct buf b;
	size_t nfixed;
	struct ev_set *set;
};

struct ev_hooks {
	const char *cmd;	/* "mediate": history entries and messages */
	/* Pack the row into p: ev_pack_begin, then strings, then
	 * ev_pack_fixed.  at is the event's time (already parsed).  0, or -1
	 * with e saying why the event is refused (no file or line: the
	 * caller adds them); e->sys == ENOMEM is fatal. */
	int (*parse)(void *ctx, const struct rec *row, struct tf_time at,
	    struct ev_pack *p, struct err *e);
	/* Check the event against the case and change it: 1 applied,
	 * 0 refused (e says why; r must be unchanged), -1 fatal.  The hook
	 * may look up the law table (ev_law) and leave a warning (ev_warn),
	 * said only when the event applies. */
	int (*apply)(void *ctx, struct ev_set *s, struct rec *r,
	    const struct ev *ev, struct err *e);
	/* The history entry the event would write first: the status it
	 * leads to (*to) and who (*by, NULL for none); 0, or -1 when it
	 * cannot say.  NULL: replays are not looked for. */
	int (*step)(void *ctx, const struct ev *ev, const char **to,
	    const char **by);
	/* Where refusals and warnings go: one complete line
	 * "file:line: case: why". */
	void (*say)(void *sayctx, const char *msg);
	void *ctx, *sayctx;
	int quiet;	/* -q: no notices (an events file with no row) */
};

struct ev_set *ev_new(const struct ev_hooks *h, const struct tf_time *now,
    struct err *e);
void ev_free(struct ev_set *s);

/* Read every event of a file.  Refused rows are reported through say and
 * counted, and so is a file with no row (unless quiet); 0, or -1 when the
 * file cannot be read at all or its CSV header has no column naming the
 * case (e says why). */
int ev_load(struct ev_set *s, const char *path, const struct in_opts *o,
    struct err *e);
/* Add one event from a row: 1 added, 0 refused (e says why, prefixed
 * with file:line when file is not NULL), -1 fatal. */
int ev_add(struct ev_set *s, const struct rec *row, const char *file,
    unsigned long line, struct err *e);

/* filter_ops hooks; ctx is the set.  apply applies every event naming r
 * and returns FILTER_DONE when one applied, FILTER_REJECT when every one
 * was refused (e holds their reasons, "events.csv:4: confirm: ...", for
 * --rejects; each was said and counted here already), else FILTER_PASS.
 * finish
 * reports the events that matched no case and returns every refusal of
 * the run, load included. */
int ev_filter_apply(void *set, struct rec *r, struct err *e);
int ev_filter_finish(void *set, struct err *e);

/* filter_run (filter.h) over the cases of c's store or of files with
 * the hooks above; meter is the command's progress line (progress.h) or
 * NULL.  c also gives the law table and calendar (--law, --calendar)
 * and the language of the law's words (--lang).  0, or -1 (fatal; a
 * store is left untouched). */
int ev_run(struct ev_set *s, const struct cli *c, struct progress *meter,
    char **files, int nfiles, struct filter_stats *st, struct err *e);

size_t ev_count(const struct ev_set *s);
long ev_applied(const struct ev_set *s);
long ev_rejected(const struct ev_set *s);
long ev_warned(const struct ev_set *s);
/* Events already in their case's history (replays). */
long ev_already(const struct ev_set *s);
/* The run's --now as RFC 3339: every history entry's recorded_at. */
const char *ev_recorded_at(const struct ev_set *s);
/* Events still pending (neither applied nor refused): 0 after
 * ev_filter_finish (for tests). */
size_t ev_pending(const struct ev_set *s);
/* Bytes the set holds for its events (arena, index, words), for tests
 * and measurements. */
size_t ev_bytes(const struct ev_set *s);

/* Helpers for the parse hook. */

/* Start the data with a zeroed fixed part of size bytes. */
int ev_pack_begin(struct ev_pack *p, size_t size, struct err *e);
/* Add string s and set *ref to refer to it (0 when s is NULL): copied
 * with the event (ev_pack_str), or kept once for all events when it is
 * a word that repeats, a court or a mediator's name (ev_pack_word). */
int ev_pack_str(struct ev_pack *p, const char *s, uint32_t *ref,
    struct err *e);
int ev_pack_word(struct ev_pack *p, const char *s, uint32_t *ref,
    struct err *e);
/* Copy the fixed part in (size as given to ev_pack_begin). */
void ev_pack_fixed(struct ev_pack *p, const void *fixed, size_t size);

/* Helpers for the apply hook. */

/* Copy the fixed part of ev's data into out (size bytes). */
void ev_data(const struct ev *ev, void *out, size_t size);
/* The string ref refers to, or NULL. */
const char *ev_str(const struct ev *ev, uint32_t ref);
/* The law table and calendar (loaded on first use from the cli, or the
 * built-in ones without it): 0, or -1 fatal with e. */
int ev_law(struct ev_set *s, const struct law **law, const struct cal **cal,
    struct err *e);
/* LAW_EN or LAW_ZH, by --lang. */
int ev_lang(const struct ev_set *s);
/* Leave a warning for the event being applied; said as
 * "file:line: case: MSG" once the event has applied, and counted. */
void ev_warn(struct ev_set *s, const char *fmt, ...) ERR_PRINTF(2, 3);

/* Helpers for both. */

/* The value of the first of names that the row holds non-empty (and
 * not JSON null), or NULL: names lists a column and its aliases ("id",
 * "案件编号"). */
const char *ev_field(const struct rec *row, const char *const *names);
/* true/1/yes/y/是 -> 1, false/0/no/n/否 -> 0, else -1. */
int ev_bool(const char *s);
/* The time of the case's last recorded step: the latest parsable "at" of
 * its history, else received_at.  1 found, 0 none. */
int ev_case_last(const struct rec *r, struct tf_time *out);
/* The order every step keeps, for a step at on case r in a run at now:
 * not before received_at, not before the case's last recorded step,
 * not after now.  0, or -1 with e ("out of order: at ... is before the
 * case was received (...)"). */
int ev_check_step(const struct rec *r, struct tf_time at, struct tf_time now,
    struct err *e);
/* 1 when the history of r holds an entry of cmd into status to, by by
 * (NULL: without "by"), at the same instant as at. */
int ev_history_has(const struct rec *r, struct tf_time at, const char *cmd,
    const char *to, const char *by);
/* Fill e with 'FIELD: "VAL" is not one of a, b, c (did you mean b?)'. */
int ev_bad_word(struct err *e, const char *field, const char *val,
    const char *const *words);
/* RFC 3339 of t, in a static buffer (for messages). */
const char *ev_time(struct tf_time t);

/*
 * The main() of an events command (mediate, confirm): options, single or
 * batch mode, the run and the summary line.  What differs is a table:
 * the command's single-mode options, each filling a column of the one
 * event row or set as a switch the command reads, and a setup function
 * that fills the hooks once the options are known.  The command keeps
 * its own usage and help text (mirroring its man page) and its voice
 * (ev_ui): lib prints nothing itself.
 */
#define EV_MAX_OPTS	24
#define EV_MAX_EVENTS	16
#define EV_EVENTS	(CLI_OWN - 1)	/* the code of --events FILE */

struct ev_opt {
	const char *name;	/* the long option, "outcome" */
	int has_arg;		/* required_argument or no_argument */
	int code;		/* 0: a single-mode option or a switch (below);
				   'i' (-i STORE), EV_EVENTS, or a cli code
				   handed to cli_option (CLI_CALENDAR, ...) */
	const char *column;	/* the event column it fills; NULL: a switch
				   (ev_arg gives "1" when it was given) */
	const char *value;	/* no_argument: the value it puts in column */
};

struct ev_args;

struct ev_cmd {
	const char *prog;
	const char *shortopts;		/* CLI_SHORTOPTS "i:" */
	const struct ev_opt *opts;	/* after CLI_LONGOPTS; ended by a NULL
					   name */
	const char *required;		/* single mode: this option must be
					   given ("outcome"), or NULL */
	/* Fill h's parse, apply and ctx from the options; the command's
	 * context must outlive the run (static). */
	void (*setup)(const struct ev_args *a, struct ev_hooks *h);
};

struct ev_ui {
	void (*warn)(const char *msg);		/* "prog: msg" on stderr */
	void (*bad_option)(int ch, char **argv, const struct option *longopts);
	void (*usage)(FILE *f);
	void (*help)(void);
	int (*version)(void);
	int (*exit)(int status);		/* checks stdout; the status */
	void (*say)(void *ctx, const char *msg);	/* refusals, warnings */
	struct progress *meter;
};

/* The value given for option name ("1" for a switch), or NULL. */
const char *ev_arg(const struct ev_args *a, const char *name);
/* --by NAME, or NULL. */
const char *ev_by(const struct ev_args *a);

/* Run the command; returns the exit status (0, 1 or 2). */
int ev_main(const struct ev_cmd *cmd, const struct ev_ui *ui, int argc,
    char **argv);

#endif
