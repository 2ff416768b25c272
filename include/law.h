/*
 * law.h - the legal clock: the statutory deadlines a case runs against,
 * and the next lawful step when one passes.
 *
 * The law table (data/law-cn.txt, built in; onedoor-law(7)) holds one
 * rule per deadline: what it runs from (a time field of the record or
 * a history entry), the statuses (and tracks, types, priorities) it
 * applies in, its length and unit, its source in English and Chinese,
 * and the step the parties may take once it has passed.  It also holds
 * the local monthly minimum wage per grid for the final-award threshold
 * (art. 47).  A station's file (--law FILE) is read on top of the
 * built-in table: it may change single keys of a rule, add rules, or
 * drop them with "off".
 *
 * Integration, for case-route, mediate, confirm and report:
 *
 *	struct cal cal; struct law law; struct err e;
 *	cal_init(&cal); law_init(&law);
 *	if (cal_open(&cal, opt_calendar, &e) < 0 ||	// --calendar FILE or NULL
 *	    law_open(&law, opt_law, &e) < 0)		// --law FILE or NULL
 *		fatal(e.msg);				// exit 2
 *	...for each record the command changes, after the change:
 *	if (law_update(&law, &cal, r, now, &e) < 0)
 *		reject(r, e.msg);			// e.g. a field not a time
 *	...
 *	if (cal_missing(&cal, years, sizeof years) > 0)
 *		warn(...);		// once: provisional dates, add the years
 *	law_free(&law); cal_free(&cal);
 *
 * law_update recomputes the record's "deadlines" object: the fields
 * deadlines.<id with '_' for '-'> = "YYYY-MM-DD" (the last day of each
 * period that applies in the case's present status); the object is
 * removed when none applies.  A period that needs a day of a year the
 * calendar lacks is counted provisionally (cal_add_prov: weekends alone
 * in that year); its date is still a plain date, and the object's last
 * field, deadlines.provisional, lists the keys of such dates
 * ("judicial_confirmation mediation_limit"), absent when there are none.  report --due calls law_deadlines for the
 * full picture (passed, days left, source, step) and law_text for the
 * words; mediate and confirm can look a rule up with law_rule and ask
 * law_deadline_of whether it has passed (e.g. judicial-confirmation on
 * day 31) to refuse or warn, naming rule->source.
 *
 * A deadline's due day is the last day of the period: it has passed
 * when the local date of --now is after it; on the due day itself 0
 * days are left.  Dates are local calendar dates, each time taken in the
 * offset it is written in (as confirm counts its window).
 */
#ifndef ONEDOOR_LAW_H
#define ONEDOOR_LAW_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "calendar.h"
#include "err.h"
#include "record.h"
#include "timefmt.h"

#define LAW_MAX_RULES	64
#define LAW_MAX_ID	40
/* The key of the deadlines object that lists the provisional ones; no
 * rule may take it for its id. */
#define LAW_PROVISIONAL	"provisional"

enum law_lang { LAW_EN, LAW_ZH };

/* A list of the table split into its words once, when it is read, so
 * that no record splits it again. */
enum law_event { LAW_EV_FIELD, LAW_EV_FIRST, LAW_EV_LAST };

struct law_word {
	const char *s;		/* NUL-terminated, in law_words.text; an
				   event's status without "history:" */
	size_t n;
	int kind;		/* enum law_event (events only) */
};

struct law_words {
	char *text;		/* the words, each ended by a NUL */
	struct law_word *w;
	size_t n;
};

enum { LAW_STATUS, LAW_TRACK, LAW_TYPE, LAW_PRIORITY, LAW_NCOND };

struct law_rule {
	char *id;		/* "mediation-limit" */
	char *from;		/* events, space-separated, the first present
				   counts; NULL: a threshold, not a deadline */
	char *status;		/* space-separated lists; NULL matches any */
	char *track, *type, *priority;
	struct law_words ev;	/* from, split */
	struct law_words cond[LAW_NCOND];	/* status ... priority, split */
	char key[16 + LAW_MAX_ID];	/* "deadlines.mediation_limit" */
	long length;
	int unit;		/* enum cal_unit */
	int roll;		/* 1: by the calendar's rule; 0: never roll */
	char *name[2];		/* by enum law_lang */
	char *source[2];
	char *step[2];
	int off;		/* dropped by a station's file */
	unsigned long line;	/* of its "rule" line in the last file naming it */
};

struct law_wage {
	char *grid;		/* "*" for every other grid */
	long long fen;
};

struct law {
	struct law_rule r[LAW_MAX_RULES];
	size_t n;
	struct law_wage *w;
	size_t nw, wcap;
};

/* One deadline of one case. */
struct law_deadline {
	const struct law_rule *rule;
	long long from;		/* day number of the event it runs from */
	long long due;		/* day number of the period's last day */
	long long today;	/* day number of --now */
	long left;		/* due - today in calendar days; < 0 passed */
	int passed;		/* today > due */
	int provisional;	/* due counted past the calendar's years
				   (cal_add_prov): not exact */
};

/* The built-in table: data/law-cn.txt's lines without comments; a unit
 * test keeps the two equal. */
extern const char *const law_builtin[];

void law_init(struct law *l);		/* an empty table */
void law_free(struct law *l);

/* Read statements onto the table (n bytes, any bytes; name for
 * messages, "law.txt:12: ...").  The table is then checked: every rule
 * that is not off must be complete. */
int law_parse(struct law *l, const char *text, size_t n, const char *name,
    struct err *e);
int law_load(struct law *l, const char *path, struct err *e);
int law_load_builtin(struct law *l, struct err *e);
/* The table a command uses: the built-in one, then on top of it path
 * (--law FILE) when given, else $ONEDOOR_DATA/law-cn.txt when
 * ONEDOOR_DATA is set (it must exist), else ONEDOOR_DATADIR/law-cn.txt
 * when it exists. */
int law_open(struct law *l, const char *path, struct err *e);

/* The rule with that id (off or not), or NULL. */
const struct law_rule *law_rule(const struct law *l, const char *id);

/* A digest of the table as read: its rules and wages, not the comments,
 * layout or files they came from.  Equal digests count every deadline
 * alike (report's partials carry it); the same on every machine. */
uint64_t law_digest(const struct law *l);

/* 1 when the rule applies to the record as it is: its status, track,
 * type and priority are in the rule's lists (whether or not the rule is
 * off). */
int law_applies(const struct law_rule *r, const struct rec *rec);

/* Called for each entry of a raw history, in order: its "at" and "to"
 * raw texts (at[0..an), to[0..tn)), either NULL when the entry has none.
 * The texts point into h and hold no escapes. */
typedef void (*law_history_fn)(void *ctx, const char *at, size_t an,
    const char *to, size_t tn);

/* Walk the raw history array h (NUL-terminated JSON text), calling fn for
 * each entry: 0 done, -1 when h is not of the simple kind described at
 * law_history_scan; then whatever fn saw must be thrown away and jansson
 * read h instead.  A direct scan: several times faster than jansson. */
int law_history_walk(const char *h, law_history_fn fn, void *ctx);

/* The entry of a raw history array (JSON text h) into status, the first
 * or (last != 0) the last one with a string "at": 1 with *at, *atlen its
 * raw text (no escapes in it), 0 when there is none, -1 when h is not of
 * the simple kind this scan reads (an array of objects whose values are
 * all strings, "to" and "at" unescaped and once each, only one-letter
 * escapes elsewhere, valid UTF-8): then jansson must read it. */
int law_history_scan(const char *h, const char *status, int last,
    const char **at, size_t *atlen);

/* The deadlines of record r at now: one for each rule (not off, with a
 * "from") whose conditions the record meets and whose event it carries,
 * most urgent (earliest due) first.  out holds max entries (LAW_MAX_RULES
 * is always enough); *n is set to the count.  -1 with e when a field
 * the rule needs is not a time; a day the count needs outside the
 * calendar makes that deadline provisional, never an error. */
int law_deadlines(const struct law *l, const struct cal *c,
    const struct rec *r, struct tf_time now, struct law_deadline *out,
    size_t max, size_t *n, struct err *e);
/* The one deadline of rule on r, whether or not the record's status is
 * one the rule applies in (so that confirm can judge an application on
 * an agreed case): 1 found, 0 the record lacks the event, -1 error. */
int law_deadline_of(const struct law_rule *rule, const struct cal *c,
    const struct rec *r, struct tf_time now, struct law_deadline *d,
    struct err *e);

/* The deadline in plain words, appended to b:
 *   "15-day mediation limit passed on 2024-04-27: the parties may apply
 *    for arbitration"
 *   "15日调解期限已于2024-04-27届满：当事人可以依法申请仲裁"
 * and, before it passes, "... ends on 2024-04-27 (3 days left); after
 * that, ..." / "...将于2024-04-27届满（剩余3天）；届满后，...".  A
 * provisional date is marked: "(provisional; 3 days left)", "passed on
 * 2027-01-04 (provisional):", "（暂定；剩余3天）", "届满（暂定）：".
 * 0, or -1 when memory ran out. */
int law_text(const struct law_deadline *d, int lang, struct buf *b);

/* Replace the record's deadlines.* fields with these. */
int law_set_deadlines(struct rec *r, const struct law_deadline *d,
    size_t n, struct err *e);
/* law_deadlines + law_set_deadlines. */
int law_update(const struct law *l, const struct cal *c, struct rec *r,
    struct tf_time now, struct err *e);

/* The monthly minimum wage of grid (NULL or "" for the default), fen;
 * -1 with e when the table has none for it. */
int law_minimum_wage(const struct law *l, const char *grid,
    long long *fen, struct err *e);
/* Art. 47: 1 when a claim of amount_fen is within the final-award
 * threshold (not above 12 months, the final-award-threshold rule's
 * length, of the grid's minimum wage), 0 when above, -1 with e when the
 * table lacks the rule or the wage. */
int law_final_award(const struct law *l, long long amount_fen,
    const char *grid, struct err *e);

#endif
