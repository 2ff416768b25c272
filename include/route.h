/*
 * route.h - what case-route does to each record: new cases are routed
 * (track, desk, priority, due_at, assignee; new -> routed), or with
 * escalate failed ones are escalated (failed -> escalated), by the first
 * matching rule (rules.h) and the roster (roster.h).  Everything else
 * passes through the filter (filter.h) untouched.
 *
 * due_at is the routing time (--at, by default --now) plus the rule's
 * time limit; on the mediation tracks it is never later than
 * received_at + 15 days.  A step dated before the case was received or
 * before its last recorded step is refused (events.h, ev_check_step).
 */
#ifndef ONEDOOR_ROUTE_H
#define ONEDOOR_ROUTE_H

#include <stddef.h>

#include "cli.h"
#include "err.h"
#include "filter.h"
#include "roster.h"
#include "rules.h"
#include "timefmt.h"

struct route_opts {
	struct rules *rules;
	struct roster *roster;	/* NULL: assignee left as it is */
	int escalate;		/* failed -> escalated instead of new -> routed */
	char **ids;		/* --id: only these cases (then a case in the
				   wrong state is rejected, not passed) */
	size_t nids;
	const char *by;		/* history "by", or NULL */
	struct tf_time now;	/* the run's: each entry's recorded_at */
	struct tf_time at;	/* when the step happened (--at; now) */
	/* Rejections and warnings, "file:line: id: why". */
	void (*say)(void *ctx, const char *msg);
	void *ctx;
};

struct route_stats {
	long long done;		/* routed or escalated */
	long long unassigned;	/* with a roster: nobody fitted */
	long long clamped;	/* due_at held to the 15-day limit */
	long long overdue;	/* of those, the limit passed already */
	long long missing;	/* --id cases not in the input (rejected) */
};

/* The rules from path, or the built-in ones when path is NULL; warnings
 * (a near-miss field name, a time limit clamped) go to warn. */
struct rules *route_rules(const char *path,
    void (*warn)(void *ctx, const char *msg), void *ctx, struct err *e);

/* Run the filter over files (or the store in c) with these options. */
int route_run(const struct cli *c, char **files, int nfiles,
    const struct route_opts *o, struct filter_stats *fst,
    struct route_stats *rst, struct err *e);

#endif
