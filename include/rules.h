/*
 * rules.h - case-route's rule language: which track, desk, priority and
 * time limit a case gets.  The language is specified in case-route(1);
 * in short, one rule a line, first match wins:
 *
 *   [route]
 *   type = construction-wage -> track joint-mediation, desk 联合调解室, priority key, within 1d
 *   workers >= 10 and amount > 50000 -> track joint-mediation, desk "联合 调解室"
 *   type in (social-insurance, work-injury) -> track inspection, desk 劳动监察
 *   * -> track mediation, desk 调解窗口, priority general, within 7d
 *   [escalate]
 *   * -> track arbitration, desk 仲裁派出庭, within 5d
 *
 * A rule set is parsed once into arrays (fields, tests, values, rules);
 * matching a record fetches each field the rules name at most once,
 * through a callback, so this module knows nothing of records and can be
 * fuzzed and tested alone.
 */
#ifndef ONEDOOR_RULES_H
#define ONEDOOR_RULES_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

enum rules_section { RULES_ROUTE, RULES_ESCALATE, RULES_NSECTIONS };

enum rules_track {
	RULES_CONSULTATION, RULES_LEGAL_AID, RULES_MEDIATION,
	RULES_JOINT_MEDIATION, RULES_INSPECTION, RULES_ARBITRATION,
	RULES_LITIGATION, RULES_EMPLOYMENT_HELP, RULES_NTRACKS
};

enum rules_priority { RULES_GENERAL, RULES_KEY };

enum rules_op { RULES_EQ, RULES_NE, RULES_LT, RULES_LE, RULES_GT, RULES_GE,
	RULES_IN };

#define RULES_MINUTE	60L
#define RULES_HOUR	3600L
#define RULES_DAY	(24 * RULES_HOUR)
/* Labour Dispute Mediation and Arbitration Law art. 14: mediation ends
 * within 15 days of the application. */
#define RULES_MEDIATION_LIMIT	(15 * RULES_DAY)
#define RULES_MAX_WITHIN	(3650 * RULES_DAY)

extern const char *const rules_tracks[];	/* by enum, NULL-terminated */
extern const char *const rules_priorities[];	/* "general", "key", NULL */
extern const char *const rules_sections[];	/* "route", "escalate", NULL */
/* The built-in rules (station practice), in the file format. */
extern const char rules_default_text[];

struct rules_value {
	char *s;		/* as written (unquoted), NUL-terminated */
	int isnum;		/* a bare number: compared numerically */
	long long num;		/* in hundredths (fen), when isnum */
};

struct rules_test {
	size_t field;		/* index in rules.fields */
	int op;			/* enum rules_op */
	size_t val, nval;	/* slice of rules.vals */
};

struct rules_rule {
	int section;		/* enum rules_section */
	size_t test, ntest;	/* slice of rules.tests; none: "*" */
	int track;		/* enum rules_track */
	char *desk;
	int priority;		/* enum rules_priority */
	long within;		/* seconds, after the mediation clamp */
	unsigned long line;	/* where it was written */
};

/* The fields a record is asked for while matching, cached per record. */
struct rules_slot {
	const char *s;
	long long num;
	int state;		/* 0 not fetched; 1 fetched; 2 and a number */
};

struct rules {
	char *name;		/* file name for messages, "default" built in */
	char **fields;
	size_t nfields;
	struct rules_test *tests;
	size_t ntests;
	struct rules_value *vals;
	size_t nvals;
	struct rules_rule *rule;
	size_t nrules;
	struct rules_slot *slot;	/* nfields of them, for rules_match */
};

struct rules_opts {
	/* Field names a record usually has: a condition on a near miss
	 * ("tpye") gets a warning.  NULL-terminated, or NULL. */
	const char *const *known;
	/* Warnings ("rules.txt:4:70: within 20d is beyond ..."), or NULL. */
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
};

/* Parse text (len bytes, need not be NUL-terminated) named name.  NULL
 * and e = "name:line:column: what was expected" on a syntax error. */
struct rules *rules_parse(const char *name, const char *text, size_t len,
    const struct rules_opts *o, struct err *e);
/* Read and parse a file. */
struct rules *rules_load(const char *path, const struct rules_opts *o,
    struct err *e);
/* Parse rules_default_text (named "default"). */
struct rules *rules_default(const struct rules_opts *o, struct err *e);
void rules_free(struct rules *rs);

/* How many rules the section has. */
size_t rules_count(const struct rules *rs, int section);

/* The value of a field of the record being matched, or NULL when absent
 * (an absent field compares as the empty string). */
typedef const char *(*rules_get_fn)(const void *ctx, const char *field);

/* The first rule of section that the record matches, or NULL. */
const struct rules_rule *rules_match(struct rules *rs, int section,
    rules_get_fn get, const void *ctx);

/* The rule set in the file format, one rule a line, sections marked:
 * what --print-rules shows for a rules file.  0 or -1 (ENOMEM). */
int rules_format(const struct rules *rs, struct buf *b);
/* One rule's actions: "track mediation, desk 调解窗口, priority general,
 * within 7d". */
int rules_format_actions(const struct rules_rule *r, struct buf *b);
/* "1d", "12h", "1d12h", "2h30m", "10m". */
int rules_format_within(long secs, struct buf *b);

/* Mediation tracks are bound by the 15-day limit. */
int rules_is_mediation(int track);

#endif
