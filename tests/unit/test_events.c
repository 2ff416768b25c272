/*
 * test_events.c - events matched to cases: by id and by source_id in
 * file order, the time checks, unknown cases, a source_id on two cases,
 * refused events leaving the record untouched; the mediate and confirm
 * hooks on top; the day count of the 30-day window; a case's last change
 * and the order a new step must keep.
 */
#include <stdlib.h>
#include <string.h>

#include "confirm.h"
#include "events.h"
#include "filter.h"
#include "jsonio.h"
#include "mediate.h"
#include "unit.h"

static char said[8192];
static int nsaid;

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	strncat(said, msg, sizeof said - strlen(said) - 2);
	strcat(said, "\n");
	nsaid++;
}

static void reset_said(void)
{
	said[0] = '\0';
	nsaid = 0;
}

static struct tf_time at(const char *s)
{
	struct tf_time t = { 0, 0 };
	struct err e;

	if (tf_parse(s, &t, &e) < 0)
		fprintf(stderr, "bad time %s: %s\n", s, e.msg);
	return t;
}

/* A row from "key=value|key=value". */
static void row_of(struct rec *r, const char *spec)
{
	char buf[1024], *p, *kv, *eq;
	struct err e;

	rec_clear(r);
	snprintf(buf, sizeof buf, "%s", spec);
	for (p = buf; (kv = strsep(&p, "|")) != NULL;)
		if ((eq = strchr(kv, '=')) != NULL) {
			*eq = '\0';
			rec_sets(r, kv, eq + 1, &e);
		}
}

/* A case record read from JSON, as the reader would give it. */
static void case_of(struct rec *r, const char *json)
{
	struct err e;

	rec_clear(r);
	if (jsonio_scan(json, strlen(json), r, &e) < 0)
		fprintf(stderr, "bad json: %s\n", e.msg);
	buf_add(&r->raw, json, strlen(json));
	r->dirty = 0;
	r->file = "cases.jsonl";
	r->line = 1;
}

static struct ev_set *new_mediate(struct med_ctx *m, const char *now)
{
	struct ev_hooks h;
	struct tf_time t = at(now);
	struct err e;

	memset(&h, 0, sizeof h);
	med_hooks(&h, m);
	h.say = say;
	return ev_new(&h, &t, &e);
}

static int add(struct ev_set *s, const char *spec, unsigned long line)
{
	struct rec row;
	struct err e;
	int rc;

	rec_init(&row);
	row_of(&row, spec);
	rc = ev_add(s, &row, "ev.csv", line, &e);
	if (rc == 0)
		say(NULL, e.msg);
	rec_free(&row);
	return rc;
}

static void test_bool(void)
{
	CHECK_INT(ev_bool("true"), 1);
	CHECK_INT(ev_bool("YES"), 1);
	CHECK_INT(ev_bool("1"), 1);
	CHECK_INT(ev_bool("是"), 1);
	CHECK_INT(ev_bool("no"), 0);
	CHECK_INT(ev_bool("否"), 0);
	CHECK_INT(ev_bool("0"), 0);
	CHECK_INT(ev_bool("maybe"), -1);
	CHECK_INT(ev_bool(NULL), -1);
}

static void test_parse_refusals(void)
{
	struct med_ctx m = { NULL };
	struct ev_set *s = new_mediate(&m, "2024-06-01");

	reset_said();
	CHECK_INT(add(s, "at=2024-04-01|outcome=session", 2), 0);
	CHECK(strstr(said, "ev.csv:2: no id or source_id") != NULL);
	CHECK_INT(add(s, "id=A|outcome=session", 3), 0);
	CHECK(strstr(said, "ev.csv:3: at: missing") != NULL);
	CHECK_INT(add(s, "id=A|at=2023-02-30|outcome=session", 4), 0);
	CHECK(strstr(said, "ev.csv:4: at:") != NULL);
	CHECK_INT(add(s, "id=A|at=2024-04-01|outcome=agred", 5), 0);
	CHECK(strstr(said, "did you mean agreed?") != NULL);
	CHECK_INT(add(s, "id=A|at=2024-04-01|outcome=session|amount=5", 6), 0);
	CHECK(strstr(said, "ev.csv:6: amount: only an agreed") != NULL);
	CHECK_INT(add(s, "id=A|at=2024-04-01|outcome=agreed|amount=1.234", 7), 0);
	CHECK_INT(add(s, "id=A|at=2024-04-01|outcome=agreed|amount=-5", 8), 0);
	CHECK_INT(add(s, "id=A|at=2024-04-01|outcome=agreed|performed=perhaps", 9), 0);
	CHECK_INT(add(s, "id=A|at=2024-04-01|outcome=达成协议|amount=1.2万", 10), 1);
	CHECK_INT(nsaid, 8);
	CHECK_INT((long long)ev_count(s), 1);
	ev_free(s);
}

/* id and source_id events for one case apply in file order. */
static void test_match_order(void)
{
	static const char c1[] = "{\"id\":\"HS-1\",\"source_id\":\"S1\","
	    "\"status\":\"routed\",\"history\":[{\"at\":"
	    "\"2024-04-01T10:00:00+08:00\",\"to\":\"routed\"}]}";
	static const char c2[] = "{\"id\":\"HS-2\",\"status\":\"routed\"}";
	struct med_ctx m = { "desk" };
	struct ev_set *s = new_mediate(&m, "2024-06-01");
	struct rec r;
	struct err e;
	const char *h;

	reset_said();
	rec_init(&r);
	CHECK_INT(add(s, "id=HS-1|at=2024-04-02|outcome=session", 2), 1);
	CHECK_INT(add(s, "source_id=S1|at=2024-04-03|outcome=session|by=王", 3), 1);
	CHECK_INT(add(s, "id=HS-1|at=2024-04-04|outcome=agreed|amount=3,800.50|"
	    "performed=yes|terms=pay", 4), 1);
	CHECK_INT(add(s, "id=HS-9|at=2024-04-04|outcome=failed", 5), 1);
	CHECK_INT(add(s, "source_id=S9|at=2024-04-04|outcome=failed", 6), 1);
	case_of(&r, c1);
	CHECK_INT(ev_filter_apply(s, &r, &e), FILTER_DONE);
	CHECK_STR(rec_get(&r, "status"), "closed");
	CHECK_STR(rec_get(&r, "resolution"), "performed");
	CHECK_STR(rec_get(&r, "closed_at"), "2024-04-04T00:00:00+08:00");
	CHECK_STR(rec_get(&r, "agreement.amount"), "3800.5");
	CHECK_INT(rec_type(&r, "agreement.amount"), REC_NUM);
	CHECK_STR(rec_get(&r, "agreement.at"), "2024-04-04T00:00:00+08:00");
	CHECK_STR(rec_get(&r, "agreement.by"), "desk");
	CHECK_STR(rec_get(&r, "agreement.terms"), "pay");
	h = rec_get(&r, "history");
	CHECK(h != NULL && strstr(h, "\"from\":\"routed\",\"to\":\"mediating\","
	    "\"by\":\"desk\"") != NULL);
	CHECK(h != NULL && strstr(h, "\"from\":\"mediating\",\"to\":"
	    "\"mediating\",\"by\":\"王\"") != NULL);
	CHECK(h != NULL && strstr(h, "\"to\":\"agreed\"") != NULL);
	CHECK(h != NULL && strstr(h, "\"from\":\"agreed\",\"to\":\"closed\"")
	    != NULL);
	CHECK_INT(ev_applied(s), 3);
	/* a case no event names passes untouched */
	case_of(&r, c2);
	CHECK_INT(ev_filter_apply(s, &r, &e), FILTER_PASS);
	CHECK_INT(r.dirty, 0);
	CHECK_INT(nsaid, 0);
	CHECK_INT(ev_filter_finish(s, &e), 2);
	CHECK(strstr(said, "ev.csv:5: HS-9: no such case\n") != NULL);
	CHECK(strstr(said, "ev.csv:6: S9: no case with this source_id\n") != NULL);
	rec_free(&r);
	ev_free(s);
}

/* Refusals: out of order, before history, future, second outcome; the
 * record is left exactly as it was. */
static void test_refusals(void)
{
	static const char c1[] = "{\"id\":\"HS-1\",\"status\":\"mediating\","
	    "\"history\":[{\"at\":\"2024-04-05T10:00:00+08:00\"}]}";
	static const char c3[] = "{\"id\":\"HS-3\",\"source_id\":\"S3\","
	    "\"status\":\"agreed\"}";
	struct med_ctx m = { NULL };
	struct ev_set *s = new_mediate(&m, "2024-06-01");
	struct rec r;
	struct err e;

	reset_said();
	rec_init(&r);
	add(s, "id=HS-1|at=2024-04-04|outcome=session", 2);	/* before history */
	add(s, "id=HS-1|at=2024-07-01|outcome=session", 3);	/* future */
	add(s, "id=HS-1|at=2024-04-06|outcome=session", 4);	/* before line 3 */
	add(s, "id=HS-3|at=2024-04-06|outcome=failed", 5);	/* concluded */
	add(s, "id=HS-3|source_id=S4|at=2024-04-07|outcome=withdrawn", 6);
	case_of(&r, c1);
	CHECK_INT(ev_filter_apply(s, &r, &e), FILTER_REJECT);
	CHECK_INT(r.dirty, 0);
	CHECK(strstr(said, "ev.csv:2: HS-1: out of order: at 2024-04-04T00:00:00"
	    "+08:00 is before the case's last recorded step") != NULL);
	CHECK(strstr(said, "ev.csv:3: HS-1: at 2024-07-01T00:00:00+08:00 is in "
	    "the future") != NULL);
	CHECK(strstr(said, "ev.csv:4: HS-1: out of order: at 2024-04-06T00:00:00"
	    "+08:00 is before the case's previous event (ev.csv:3") != NULL);
	case_of(&r, c3);
	CHECK_INT(ev_filter_apply(s, &r, &e), FILTER_REJECT);
	CHECK_STR(e.msg, "ev.csv:5: failed: the case is already concluded "
	    "(status agreed); a second outcome is not recorded; ev.csv:6: "
	    "source_id S4 does not match the case's (S3)");
	CHECK_INT(r.dirty, 0);
	CHECK(strstr(said, "ev.csv:5: HS-3: failed: the case is already "
	    "concluded (status agreed)") != NULL);
	CHECK(strstr(said, "ev.csv:6: HS-3: source_id S4 does not match the "
	    "case's (S3)") != NULL);
	CHECK_INT(ev_filter_finish(s, &e), 5);
	CHECK_INT(ev_applied(s), 0);
	rec_free(&r);
	ev_free(s);
}

/* A source_id on two cases: the first takes the event. */
static void test_duplicate_source(void)
{
	struct med_ctx m = { NULL };
	struct ev_set *s = new_mediate(&m, "2024-06-01");
	struct rec r;
	struct err e;

	reset_said();
	rec_init(&r);
	add(s, "source_id=S1|at=2024-04-06|outcome=withdrawn", 2);
	case_of(&r, "{\"id\":\"HS-1\",\"source_id\":\"S1\",\"status\":\"new\"}");
	CHECK_INT(ev_filter_apply(s, &r, &e), FILTER_DONE);
	CHECK_STR(rec_get(&r, "resolution"), "withdrawn");
	case_of(&r, "{\"id\":\"HS-2\",\"source_id\":\"S1\",\"status\":\"new\"}");
	CHECK_INT(ev_filter_apply(s, &r, &e), FILTER_PASS);
	CHECK(strstr(said, "ev.csv:2: HS-2: source_id S1 names more than one "
	    "case; the event went to HS-1 only") != NULL);
	CHECK_INT(ev_filter_finish(s, &e), 1);
	rec_free(&r);
	ev_free(s);
}

static void test_conf_day(void)
{
	struct tf_time a = at("2024-04-10T23:30:00+08:00");

	CHECK_INT(conf_day(a, at("2024-04-10")), 0);
	CHECK_INT(conf_day(a, at("2024-04-11")), 1);
	CHECK_INT(conf_day(a, at("2024-05-10")), 30);
	CHECK_INT(conf_day(a, at("2024-05-11T00:00:00+08:00")), 31);
	CHECK_INT(conf_day(a, at("2024-04-09")), -1);
	/* dates in each time's own offset: 15:30Z is 23:30 in +08:00 */
	CHECK_INT(conf_day(at("2024-04-10T15:30:00Z"), at("2024-04-10")), 0);
	/* across February of a leap year */
	CHECK_INT(conf_day(at("2024-02-01"), at("2024-03-02")), 30);
}

static void test_confirm_window(void)
{
	static const char agreed[] = "{\"id\":\"HS-1\",\"status\":\"agreed\","
	    "\"agreement\":{\"at\":\"2024-04-10T00:00:00+08:00\"}}";
	struct conf_ctx c = { NULL, 0 };
	struct ev_hooks h;
	struct tf_time now = at("2024-06-30");
	struct ev_set *s;
	struct rec r, row;
	struct err e;

	memset(&h, 0, sizeof h);
	conf_hooks(&h, &c);
	h.say = say;
	rec_init(&r);
	rec_init(&row);
	reset_said();
	s = ev_new(&h, &now, &e);
	add(s, "id=HS-1|at=2024-05-20|applied_at=2024-05-11|court=C|ruling=R", 2);
	case_of(&r, agreed);
	CHECK_INT(ev_filter_apply(s, &r, &e), FILTER_REJECT);
	CHECK(strncmp(e.msg, "ev.csv:2: confirm: applied on 2024-05-11", 40) == 0);
	CHECK(strstr(said, "ev.csv:2: HS-1: confirm: applied on 2024-05-11, "
	    "day 31 after the agreement of 2024-04-10: People's Mediation "
	    "Law, art. 33; Civil Procedure Law, art. 205: 30-day judicial "
	    "confirmation window passed on 2024-05-10: ") != NULL);
	ev_free(s);

	c.late_ok = 1;
	s = ev_new(&h, &now, &e);
	add(s, "id=HS-1|at=2024-05-20|applied_at=2024-05-11|court=C|ruling=R", 2);
	add(s, "id=HS-1|at=2024-05-25|action=enforcement|note=not paid", 3);
	add(s, "id=HS-1|at=2024-05-26|action=enforcement", 4);
	add(s, "id=HS-1|at=2024-06-01|action=performed", 5);
	case_of(&r, agreed);
	CHECK_INT(ev_filter_apply(s, &r, &e), FILTER_DONE);
	CHECK_STR(rec_get(&r, "confirmation.late"), "true");
	CHECK_STR(rec_get(&r, "confirmation.applied_at"),
	    "2024-05-11T00:00:00+08:00");
	CHECK_STR(rec_get(&r, "enforcement.court"), "C");
	CHECK_STR(rec_get(&r, "enforcement.note"), "not paid");
	CHECK(strstr(said, "ev.csv:4: HS-1: enforcement: enforcement already "
	    "applied for on 2024-05-25") != NULL);
	CHECK_STR(rec_get(&r, "status"), "closed");
	CHECK_STR(rec_get(&r, "resolution"), "performed");
	CHECK_INT(ev_applied(s), 3);
	ev_free(s);
	rec_free(&r);
	rec_free(&row);
}

/*
 * A case's last change: the latest "at" of its history (not the last
 * entry: a hand-edited trail may be unsorted), else received_at.  The
 * direct walk and jansson (for anything the walk declines: an escape in
 * "at", a number among the values) must give the same answer.
 */
static void test_case_last(void)
{
	static const struct {
		const char *json, *want;
	} t[] = {
		{ "{\"history\":[{\"at\":\"2024-03-01T10:00:00+08:00\",\"to\":\"new\"},"
		  "{\"at\":\"2024-03-05T09:00:00+08:00\",\"to\":\"routed\"},"
		  "{\"at\":\"2024-03-02T09:00:00+08:00\",\"to\":\"mediating\"}]}",
		  "2024-03-05T09:00:00+08:00" },
		/* escaped solidus in one "at": jansson reads it */
		{ "{\"history\":[{\"at\":\"2024-03-01T10:00:00+08:00\"},"
		  "{\"at\":\"2024-03-07T09:00:00+08:00\",\"n\":1},"
		  "{\"at\":\"2024-03-02T09:00:00+08:00\",\"note\":\"a\\/b\"}]}",
		  "2024-03-07T09:00:00+08:00" },
		{ "{\"history\":[{\"at\":\"2024-03-0\\u0031T10:00:00+08:00\"}]}",
		  "2024-03-01T10:00:00+08:00" },
		/* an "at" that is not a time is passed over */
		{ "{\"history\":[{\"at\":\"soon\"},{\"at\":\"2024-01-09\"}],"
		  "\"received_at\":\"2024-01-01\"}", "2024-01-09T00:00:00+08:00" },
		{ "{\"history\":[{\"at\":\"soon\"}],\"received_at\":\"2024-01-02\"}",
		  "2024-01-02T00:00:00+08:00" },
		{ "{\"history\":[],\"received_at\":\"2024-01-03\"}",
		  "2024-01-03T00:00:00+08:00" },
		{ "{\"id\":\"A\"}", NULL },
	};
	struct rec r;
	struct tf_time last;
	size_t i;
	char got[64];

	rec_init(&r);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		case_of(&r, t[i].json);
		memset(&last, 0, sizeof last);
		if (t[i].want == NULL) {
			CHECK_INT(ev_case_last(&r, &last), 0);
			continue;
		}
		CHECK_INT(ev_case_last(&r, &last), 1);
		CHECK_INT(last.t, at(t[i].want).t);
		tf_format(got, sizeof got, last);
		CHECK_STR(got, t[i].want);
	}
	rec_free(&r);
}

/*
 * ev_check_step answers most cases from a quick scan of the history and
 * the rest from ev_case_last: whichever answers, a step is refused
 * exactly when it is before the case's last recorded step or after now,
 * one second either side of every history below.
 */
static void test_check_step(void)
{
	static const char *const cases[] = {
		/* unsorted: the latest is in the middle */
		"{\"received_at\":\"2024-03-01T10:00:00+08:00\",\"history\":["
		"{\"at\":\"2024-03-01T10:00:00+08:00\",\"to\":\"new\"},"
		"{\"at\":\"2024-03-05T09:00:00+08:00\",\"to\":\"routed\"},"
		"{\"at\":\"2024-03-02T09:00:00+08:00\",\"to\":\"mediating\"}]}",
		/* a later "at" nested in an entry is not a step */
		"{\"received_at\":\"2024-03-01T10:00:00+08:00\",\"history\":["
		"{\"at\":\"2024-03-01T10:00:00+08:00\",\"x\":{\"at\":"
		"\"2024-09-01T00:00:00+08:00\"}}]}",
		/* an escaped time, and a note that quotes an "at" */
		"{\"received_at\":\"2024-03-01T10:00:00+08:00\",\"history\":["
		"{\"at\":\"2024-03-0\\u0034T10:00:00+08:00\",\"note\":"
		"\"\\\"at\\\":\\\"2024-12-01\\\"\"}]}",
		/* old and new entries side by side */
		"{\"received_at\":\"2024-03-01T10:00:00+08:00\",\"history\":["
		"{\"at\":\"2024-03-01T10:00:00+08:00\"},{\"at\":"
		"\"2024-03-03T10:00:00+08:00\",\"recorded_at\":"
		"\"2024-04-01T09:00:00+08:00\"}]}",
		/* no history: received_at is the last step */
		"{\"received_at\":\"2024-03-06T10:00:00+08:00\"}",
	};
	struct tf_time now = at("2024-04-01T09:00:00+08:00"), last, step;
	struct rec r;
	struct err e;
	size_t i;
	int d, want;

	rec_init(&r);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		case_of(&r, cases[i]);
		CHECK_INT(ev_case_last(&r, &last), 1);
		for (d = -1; d <= 1; d++) {
			step = last;
			step.t += d;
			want = step.t < last.t ? -1 : 0;
			CHECK_INT(ev_check_step(&r, step, now, &e), want);
		}
		step = now;
		step.t++;
		CHECK_INT(ev_check_step(&r, step, now, &e), -1);
		CHECK(strstr(e.msg, "in the future") != NULL);
	}
	/* before receipt, said so */
	case_of(&r, cases[4]);
	CHECK_INT(ev_check_step(&r, at("2024-03-06T09:00:00+08:00"), now, &e),
	    -1);
	CHECK_STR(e.msg, "out of order: at 2024-03-06T09:00:00+08:00 is before "
	    "the case was received (2024-03-06T10:00:00+08:00)");
	case_of(&r, cases[0]);
	CHECK_INT(ev_check_step(&r, at("2024-03-04T09:00:00+08:00"), now, &e),
	    -1);
	CHECK_STR(e.msg, "out of order: at 2024-03-04T09:00:00+08:00 is before "
	    "the case's last recorded step (2024-03-05T09:00:00+08:00)");
	rec_free(&r);
}

int main(void)
{
	setenv("TZ", "Asia/Shanghai", 1);	/* the times below are local */
	test_bool();
	test_parse_refusals();
	test_match_order();
	test_refusals();
	test_duplicate_source();
	test_conf_day();
	test_confirm_window();
	test_case_last();
	test_check_step();
	return unit_done("test_events");
}
