/*
 * route.c - case-route's work on one record at a time, as filter hooks:
 * scan counts each person's open cases (the roster's load), apply routes
 * or escalates, finish reports --id cases that were not in the input.
 * See route.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "mem.h"
#include "record.h"
#include "route.h"
#include "state.h"
#include "strmap.h"

#define ROUTE_MAX_LISTED 20	/* cases without assignee named one by one */

struct route {
	const struct route_opts *o;
	struct route_stats *st;
	struct strmap ids;	/* --id -> times met */
	int from, to, section;
	char now[40];		/* --now: each entry's recorded_at */
	char at[40];		/* --at: when the step happened */
	struct buf note;
	struct buf *head;	/* per rule: its note up to the due date */
	size_t nhead;
	struct tf_time last_due;	/* the due date formatted last */
	char last_dues[40];
	const struct cli *cli;	/* --calendar, --law, the clock */
	struct rec before;	/* the record before the change */
};

struct rules *route_rules(const char *path,
    void (*warn)(void *ctx, const char *msg), void *ctx, struct err *e)
{
	const char **known;
	struct rules_opts ro;
	struct rules *rs;
	size_t i;

	/* the canonical fields: a condition on a near miss is a typo */
	if ((known = mem_calloc(rec_ncanonical + 1, sizeof *known)) == NULL) {
		err_nomem(e);
		return NULL;
	}
	for (i = 0; i < rec_ncanonical; i++)
		known[i] = rec_canonical[i].key;
	ro.known = known;
	ro.warn = warn;
	ro.ctx = ctx;
	rs = path ? rules_load(path, &ro, e) : rules_default(&ro, e);
	mem_free(known);
	return rs;
}

static const char *get_field(const void *ctx, const char *field)
{
	return rec_get(ctx, field);
}

static const char *id_of(const struct rec *r)
{
	const char *id = rec_get_nonempty(r, "id");

	return id ? id : "(no id)";
}

/* Is this a record the run changes (or, with --id, tries to)? */
static int selected(const struct route *rt, const struct rec *r)
{
	const char *s;

	if (rt->o->nids) {
		s = rec_get(r, "id");
		return s != NULL && strmap_get(&rt->ids, s, strlen(s)) != NULL;
	}
	s = rec_get(r, "status");
	return s != NULL && strcmp(s, state_name(rt->from)) == 0;
}

/* First pass: every open case someone on the roster already carries,
 * except the ones this run will route afresh. */
static int scan(void *ctx, const struct rec *r, struct err *e)
{
	struct route *rt = ctx;
	int st;

	(void)e;
	st = state_parse(rec_get(r, "status"));
	if (st < 0 || !state_is_open(st))
		return 0;
	if (selected(rt, r) && st == rt->from)
		return 0;
	roster_count(rt->o->roster, rec_get(r, "assignee"));
	return 0;
}

static void say(const struct route *rt, const struct rec *r, const char *fmt,
    ...) ERR_PRINTF(3, 4);

static void say(const struct route *rt, const struct rec *r, const char *fmt,
    ...)
{
	char msg[1024], full[1600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(full, sizeof full, "%s: %s: %s", rec_where(r), id_of(r), msg);
	rt->o->say(rt->o->ctx, full);
}

/* due_at: the routing time (--at) + the rule's limit; on mediation tracks no later than 15
 * days after received_at (Labour Dispute Mediation and Arbitration Law
 * art. 14).  *clamped: 1 held to that limit, 2 and the limit has passed
 * already (a backlog routed late: said in the note and the summary, not
 * once a case on stderr). */
static struct tf_time due_date(struct route *rt, const struct rec *r,
    const struct rules_rule *rule, int *clamped)
{
	struct tf_time due = rt->o->at, got;
	const char *recv = rec_get_nonempty(r, "received_at");
	struct err e;

	*clamped = 0;
	due.t += rule->within;
	if (!rules_is_mediation(rule->track) || recv == NULL ||
	    tf_parse(recv, &got, &e) < 0 ||
	    got.t + RULES_MEDIATION_LIMIT >= due.t)
		return due;
	due.t = got.t + RULES_MEDIATION_LIMIT;
	*clamped = due.t < rt->o->at.t ? 2 : 1;
	return due;
}

/* The roster's pick for the rule's desk; -1 (reported) when none. */
static long assign(struct route *rt, const struct rec *r, const char *desk)
{
	struct roster *ro = rt->o->roster;
	long i = roster_pick(ro, desk);
	size_t j;

	if (i >= 0) {
		roster_take(ro, (size_t)i);
		return i;
	}
	/* a run over a backlog could say this a million times: list the
	 * first few, the summary counts them all */
	if (rt->st->unassigned++ == ROUTE_MAX_LISTED) {
		rt->o->say(rt->o->ctx, "further cases without assignee are not "
		    "listed; the summary counts them");
		return -1;
	}
	if (rt->st->unassigned > ROUTE_MAX_LISTED)
		return -1;
	for (j = 0; j < ro->n; j++)
		if (roster_at_desk(ro, j, desk))
			break;
	if (j == ro->n)
		say(rt, r, "no assignee: nobody on the roster sits at desk %s", desk);
	else
		say(rt, r, "no assignee: everyone at desk %s is at capacity", desk);
	return -1;
}

/* Append the decimal digits of v. */
static int add_ulong(struct buf *b, unsigned long v)
{
	char d[24];
	size_t i = sizeof d;

	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return buf_add(b, d + i, sizeof d - i);
}

/* The note's words up to the due date, the same for every case the
 * rule routes: put together once per rule. */
static const struct buf *note_head(struct route *rt,
    const struct rules_rule *rule)
{
	struct buf *b = &rt->head[rule - rt->o->rules->rule];

	if (b->len != 0)
		return b;
	if (buf_adds(b, "rule ") < 0 || buf_adds(b, rt->o->rules->name) < 0 ||
	    buf_addc(b, ':') < 0 || add_ulong(b, rule->line) < 0 ||
	    buf_adds(b, ": track ") < 0 ||
	    buf_adds(b, rules_tracks[rule->track]) < 0 ||
	    buf_adds(b, ", desk ") < 0 || buf_adds(b, rule->desk) < 0 ||
	    buf_adds(b, ", priority ") < 0 ||
	    buf_adds(b, rules_priorities[rule->priority]) < 0 ||
	    buf_adds(b, ", due ") < 0) {
		buf_reset(b);
		return NULL;
	}
	return b;
}

/* The history note: which rule, and what it decided.  Every routed
 * record gets one, so it is put together piece by piece, not printed. */
static int make_note(struct route *rt, const struct rules_rule *rule,
    const char *due, const char *who, int clamped)
{
	const struct buf *h = note_head(rt, rule);
	struct buf *b = &rt->note;

	buf_reset(b);
	if (h == NULL || buf_add(b, h->p, h->len) < 0 || buf_adds(b, due) < 0 ||
	    (clamped == 1 && buf_adds(b, " (the 15-day mediation limit)") < 0) ||
	    (clamped == 2 && buf_adds(b, " (the 15-day mediation limit, "
	    "already passed)") < 0) ||
	    (who && (buf_adds(b, ", assignee ") < 0 || buf_adds(b, who) < 0)) ||
	    (rt->o->roster && !who && buf_adds(b, ", no assignee") < 0))
		return -1;
	return 0;
}

static int set_fields(struct route *rt, struct rec *r,
    const struct rules_rule *rule, const char *due, const char *who,
    struct err *e)
{
	if (rec_sets(r, "track", rules_tracks[rule->track], e) < 0 ||
	    rec_sets(r, "desk", rule->desk, e) < 0 ||
	    rec_sets(r, "priority", rules_priorities[rule->priority], e) < 0 ||
	    rec_sets(r, "due_at", due, e) < 0)
		return -1;
	if (rt->o->roster == NULL)
		return 0;
	if (who == NULL) {
		rec_del(r, "assignee");
		return 0;
	}
	return rec_sets(r, "assignee", who, e);
}

/* A record that is selected but may not move: the reason, or 0. */
static int refuse(struct route *rt, const struct rec *r, struct err *e)
{
	int st = state_of(r, e);

	if (st >= 0 && state_allowed(st, rt->to, e) == 0)
		return 0;
	return err_prefix(e, "%s", id_of(r));
}

static int apply(void *ctx, struct rec *r, struct err *e)
{
	struct route *rt = ctx;
	const struct rules_rule *rule;
	struct strmap_slot *sl;
	struct tf_time due;
	struct rec_step step;
	const char *who = NULL;
	const char *dues;
	int clamped, rc;
	long i;

	if (!selected(rt, r))
		return FILTER_PASS;
	if (rt->o->nids) {
		sl = strmap_get(&rt->ids, rec_get(r, "id"), strlen(rec_get(r, "id")));
		sl->val++;
		if (refuse(rt, r, e) < 0)
			return FILTER_REJECT;
	}
	/* the step keeps the case's order: received, then each step */
	if (ev_check_step(r, rt->o->at, rt->o->now, e) < 0) {
		err_prefix(e, "%s", id_of(r));
		return FILTER_REJECT;
	}
	if ((rule = rules_match(rt->o->rules, rt->section, get_field, r)) == NULL) {
		err_set(e, "%s: no rule matches (%s has no catch-all * rule)",
		    id_of(r), rt->o->rules->name);
		return FILTER_REJECT;
	}
	due = due_date(rt, r, rule, &clamped);
	/* the due date is --now plus one of a few limits, or a date the
	 * cases of a day share */
	if (due.t != rt->last_due.t || due.off != rt->last_due.off ||
	    rt->last_dues[0] == '\0') {
		tf_format(rt->last_dues, sizeof rt->last_dues, due);
		rt->last_due = due;
	}
	dues = rt->last_dues;
	if (rt->o->roster && (i = assign(rt, r, rule->desk)) >= 0)
		who = rt->o->roster->s[i].id;
	if (make_note(rt, rule, dues, who, clamped) < 0)
		return err_nomem(e);	/* make_note only fails to allocate */
	if (rec_copy(&rt->before, r, e) < 0)
		return -1;
	step.at = rt->at;
	step.recorded = rt->now;
	step.cmd = "case-route";
	step.by = rt->o->by;
	step.note = rt->note.p;
	if (set_fields(rt, r, rule, dues, who, e) < 0 ||
	    state_move(r, rt->to, &step, e) < 0)
		return -1;
	/* the deadlines of the case in its new status (law.h); a case whose
	 * deadlines cannot be counted (a field not a time) is not
	 * routed: it goes on as it came, rejected with the reason */
	if ((rc = cli_law_update(rt->cli, r, e)) <= 0) {
		if (rc < 0)
			return -1;
		err_prefix(e, "%s: deadlines", id_of(&rt->before));
		if (rec_copy(r, &rt->before, e) < 0)
			return -1;
		return FILTER_REJECT;
	}
	rt->st->done++;
	rt->st->clamped += clamped != 0;
	rt->st->overdue += clamped == 2;
	return FILTER_DONE;
}

/* --id cases the input did not hold. */
static int finish(void *ctx, struct err *e)
{
	struct route *rt = ctx;
	struct strmap_slot *sl;
	char msg[1200];
	int n = 0;
	size_t i;

	(void)e;
	for (i = 0; i < rt->o->nids; i++) {
		sl = strmap_get(&rt->ids, rt->o->ids[i], strlen(rt->o->ids[i]));
		if (sl->val == 0) {
			sl->val = -1;	/* named twice: reported once */
			snprintf(msg, sizeof msg, "%s: no such case", rt->o->ids[i]);
			rt->o->say(rt->o->ctx, msg);
			rt->st->missing++;
			n++;
		}
	}
	return n;
}

static void pass_say(void *ctx, const char *msg)
{
	const struct route *rt = ctx;

	rt->o->say(rt->o->ctx, msg);
}

static int setup(struct route *rt, const struct route_opts *o,
    struct route_stats *rst, struct err *e)
{
	size_t i;

	memset(rt, 0, sizeof *rt);
	memset(rst, 0, sizeof *rst);
	rt->o = o;
	rt->st = rst;
	rt->from = o->escalate ? ST_FAILED : ST_NEW;
	rt->to = o->escalate ? ST_ESCALATED : ST_ROUTED;
	rt->section = o->escalate ? RULES_ESCALATE : RULES_ROUTE;
	tf_format(rt->now, sizeof rt->now, o->now);
	tf_format(rt->at, sizeof rt->at, o->at);
	if ((rt->head = mem_calloc(o->rules->nrules + 1, sizeof *rt->head)) == NULL)
		return err_nomem(e);
	rt->nhead = o->rules->nrules;
	if (rules_count(o->rules, rt->section) == 0)
		return err_set(e, "%s: no [%s] rules%s", o->rules->name,
		    rules_sections[rt->section], o->escalate ? " for --escalate" : "");
	for (i = 0; i < o->nids; i++)
		if (strmap_put(&rt->ids, o->ids[i], strlen(o->ids[i]), 0) < 0)
			return err_nomem(e);
	return 0;
}

int route_run(const struct cli *c, char **files, int nfiles,
    const struct route_opts *o, struct filter_stats *fst,
    struct route_stats *rst, struct err *e)
{
	struct filter_ops ops;
	struct route rt;
	size_t i;
	int rc = -1;

	if (setup(&rt, o, rst, e) == 0) {
		rt.cli = c;
		memset(&ops, 0, sizeof ops);
		ops.ctx = &rt;
		ops.scan = o->roster ? scan : NULL;
		ops.apply = apply;
		ops.finish = o->nids ? finish : NULL;
		ops.say = pass_say;
		rc = filter_run(c, files, nfiles, &ops, fst, e);
	}
	strmap_free(&rt.ids);
	buf_free(&rt.note);
	for (i = 0; i < rt.nhead; i++)
		buf_free(&rt.head[i]);
	mem_free(rt.head);
	rec_free(&rt.before);
	return rc;
}
