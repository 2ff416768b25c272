/*
 * fuzz_match.c - libFuzzer target for how mediate and confirm find the
 * cases their events name, against a plain model: events.c indexes the
 * events by id and by source_id behind a Bloom filter, in chains of
 * 32-bit handles, and claims each for the first case that takes it; the
 * model keeps the cases in a list and looks at every one.
 *
 * The input is a recipe.  Its bytes make cases (ids and source ids of
 * several shapes and lengths, some shared by two cases, some missing;
 * statuses a session may or may not move) and mediation sessions, in
 * time order, naming a case by id, by source_id, by both (agreeing or
 * not), or a case that does not exist.  Then, as a pass over the store
 * would, each case is shown to the events, and everything must be as
 * events.h says:
 *   - an event with an id goes to the first case with that id, and is
 *     refused there when its source_id differs from the case's;
 *   - an event without one goes to the first case with its source_id;
 *   - a further case with the same id or source_id refuses it again
 *     ("names more than one case") and does not take it;
 *   - an event no case has is refused at the end;
 *   - a session moves a routed or mediating case to mediating, with a
 *     history entry of its own, and is refused on any other status;
 *   - a case no event changed comes back untouched;
 * and the counts of applied and refused events add up to the model's,
 * with none left pending.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_match.c \
 *       lib/[a-z]*.c -lcsv -ljansson -lz -lm
 *   ./a.out tests/fuzz/corpus/match
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "events.h"
#include "filter.h"
#include "jsonio.h"
#include "mediate.h"
#include "record.h"
#include "recipe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CASES	400
#define MAX_EVENTS	1500
#define KEY_MAX		160

/* --- the cases and events the recipe makes --------------------------------- */

struct mcase {
	char id[KEY_MAX], sid[KEY_MAX];		/* "": none */
	const char *status;
	int applied, refused_here;		/* what the model expects */
};

struct mevent {
	char id[KEY_MAX], sid[KEY_MAX];
	int taken;				/* by a case, in the model */
};

static struct mcase cases[MAX_CASES];
static struct mevent events[MAX_EVENTS];
static int ncases, nevents;

/* Keys of several shapes: short, Chinese, and long enough to cross any
 * word-at-a-time hashing. */
static void key_text(char *out, char kind, unsigned n, unsigned shape)
{
	static const char *const heads[] = { "", "HS-", "案件-",
		"a-prefix-of-24-letters-",
		("a-prefix-for-an-id-that-goes-on-and-on-past-the-sixty-four-"
		"bytes-of-a-cache-line-") };

	snprintf(out, KEY_MAX, "%c%s%u", kind, heads[shape % 5], n);
}

static void make_case(struct recipe *r, int k)
{
	static const char *const statuses[] = { "routed", "routed",
		"mediating", "new", "closed", "agreed" };
	struct mcase *c = &cases[k];
	unsigned how = take(r), b = take(r);

	/* an id of its own, or an earlier case's, or none; the same for
	 * the source id */
	if (how % 8 < 6 || k == 0)
		key_text(c->id, 'C', (unsigned)k, b);
	else if (how % 8 == 6)
		strcpy(c->id, cases[b % (unsigned)k].id);
	else
		c->id[0] = '\0';
	if (how / 8 % 8 < 5 || k == 0)
		key_text(c->sid, 'S', (unsigned)k, b >> 2);
	else if (how / 8 % 8 < 7)
		strcpy(c->sid, cases[b % (unsigned)k].sid);
	else
		c->sid[0] = '\0';
	c->status = statuses[(how >> 6 ^ b) % 6];
	c->applied = c->refused_here = 0;
}

static void make_event(struct recipe *r, int i)
{
	struct mevent *v = &events[i];
	const struct mcase *c;
	unsigned how = take(r), b = take(r);

	c = &cases[b % (unsigned)ncases];
	v->id[0] = v->sid[0] = '\0';
	v->taken = 0;
	switch (how % 6) {
	case 0:		/* by id */
		strcpy(v->id, c->id);
		break;
	case 1:		/* by source_id */
		strcpy(v->sid, c->sid);
		break;
	case 2:		/* by both, agreeing */
		strcpy(v->id, c->id);
		strcpy(v->sid, c->sid);
		break;
	case 3:		/* by both, the source_id another case's */
		strcpy(v->id, c->id);
		strcpy(v->sid, cases[take(r) % (unsigned)ncases].sid);
		break;
	case 4:		/* an id no case has */
		key_text(v->id, 'C', 100000 + b, how >> 3);
		break;
	default:	/* a source_id no case has */
		key_text(v->sid, 'S', 100000 + b, how >> 3);
		break;
	}
	if (v->id[0] == '\0' && v->sid[0] == '\0')
		strcpy(v->id, "C-none");	/* the case had neither */
}

/* --- the model ----------------------------------------------------------- */

/*
 * Show case k to the events as the model sees it: which it takes (the
 * first case that names an event takes it), which it applies, and how
 * many it refuses, as refusals of its own or as another's.
 */
static void model_case(int k, long *refused)
{
	struct mcase *c = &cases[k];
	struct mevent *v;
	int i, names;

	for (i = 0; i < nevents; i++) {
		v = &events[i];
		names = v->id[0] ? c->id[0] && strcmp(v->id, c->id) == 0 :
		    c->sid[0] && strcmp(v->sid, c->sid) == 0;
		if (!names)
			continue;
		if (v->taken) {
			++*refused;	/* "names more than one case" */
			continue;
		}
		v->taken = 1;
		if ((v->id[0] && v->sid[0] && strcmp(v->sid, c->sid) != 0) ||
		    (strcmp(c->status, "routed") != 0 &&
		    strcmp(c->status, "mediating") != 0)) {
			c->refused_here++;
			++*refused;
		} else {
			c->applied++;
			c->status = "mediating";
		}
	}
}

/* --- the library --------------------------------------------------------- */

static void json_member(struct buf *b, const char *k, const char *v)
{
	if (*v != '\0' && buf_printf(b, ",\"%s\":\"%s\"", k, v) < 0)
		abort();
}

static void add_event(struct ev_set *s, int i)
{
	struct buf b = BUF_INIT;
	struct rec row;
	struct err e;

	/* a minute apart, in file order, after every case's last step */
	if (buf_printf(&b, "{\"outcome\":\"session\",\"at\":\"2024-02-%02dT%02d:%02d:00+08:00\"",
	    1 + i / 1440, i / 60 % 24, i % 60) < 0)
		abort();
	json_member(&b, "id", events[i].id);
	json_member(&b, "source_id", events[i].sid);
	if (buf_adds(&b, "}") < 0)
		abort();
	rec_init(&row);
	if (jsonio_scan(b.p, b.len, &row, &e) < 0)
		fail("event %d does not scan: %s", i + 1, e.msg);
	if (ev_add(s, &row, "events.jsonl", (unsigned long)i + 1, &e) != 1)
		fail("event %d refused on loading: %s", i + 1, e.msg);
	rec_free(&row);
	buf_free(&b);
}

/* Case k as the store holds it, through the events; held to the model. */
static void show_case(struct ev_set *s, int k, const char *status_before)
{
	const struct mcase *c = &cases[k];
	struct buf b = BUF_INIT, out = BUF_INIT;
	struct rec r;
	struct err e;
	json_error_t je;
	json_t *o;
	int rc, want;

	if (buf_adds(&b, "{\"type\":\"wage-arrears\"") < 0)
		abort();
	json_member(&b, "id", c->id);
	json_member(&b, "source_id", c->sid);
	json_member(&b, "status", status_before);
	if (buf_adds(&b, ",\"received_at\":\"2024-01-01T09:00:00+08:00\","
	    "\"history\":[{\"at\":\"2024-01-01T09:00:00+08:00\","
	    "\"cmd\":\"case-add\",\"to\":\"new\"}]}") < 0)
		abort();
	rec_init(&r);
	if (jsonio_scan(b.p, b.len, &r, &e) < 0)
		abort();
	if (buf_add(&r.raw, b.p, b.len) < 0)
		abort();
	r.dirty = 0;
	rc = ev_filter_apply(s, &r, &e);
	want = c->applied ? FILTER_DONE : c->refused_here ? FILTER_REJECT :
	    FILTER_PASS;
	if (rc != want)
		fail("case %d (%s/%s): apply gave %d, the model %d (%d applied, "
		    "%d refused)", k + 1, c->id, c->sid, rc, want, c->applied,
		    c->refused_here);
	if (rc != FILTER_DONE) {
		if (r.dirty)
			fail("case %d changed, though no event applied", k + 1);
	} else {
		rec_sort(&r);
		if (jsonio_record(&out, &r) < 0)
			abort();
		o = json_loadb(out.p, out.len, JSON_REJECT_DUPLICATES, &je);
		if (o == NULL ||
		    strcmp(json_string_value(json_object_get(o, "status")) ?
		    json_string_value(json_object_get(o, "status")) : "",
		    "mediating") != 0 ||
		    json_array_size(json_object_get(o, "history")) !=
		    1 + (size_t)c->applied)
			fail("case %d: %d sessions should make it mediating with "
			    "%d history entries: %.*s", k + 1, c->applied,
			    1 + c->applied, (int)out.len, out.p);
		json_decref(o);
	}
	rec_free(&r);
	buf_free(&b);
	buf_free(&out);
}

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	if (msg == NULL || *msg == '\0')
		abort();	/* every refusal says why */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *before[MAX_CASES];
	struct recipe r = { data, data + size };
	struct med_ctx m = { "fuzz" };
	struct tf_time now = { 1719676800, 8 * 3600 };	/* 2024-06-30 */
	struct ev_hooks h;
	struct ev_set *s;
	struct err e;
	long applied = 0, refused = 0;
	int k, i;

	fail_target = "fuzz_match";
	ncases = 1 + (int)(take(&r) % MAX_CASES);
	for (k = 0; k < ncases; k++) {
		make_case(&r, k);
		before[k] = cases[k].status;
	}
	for (nevents = 0; r.p < r.end && nevents < MAX_EVENTS; nevents++)
		make_event(&r, nevents);

	memset(&h, 0, sizeof h);
	med_hooks(&h, &m);
	h.say = say;
	if ((s = ev_new(&h, &now, &e)) == NULL)
		abort();
	for (i = 0; i < nevents; i++)
		add_event(s, i);
	for (k = 0; k < ncases; k++) {
		model_case(k, &refused);
		applied += cases[k].applied;
		show_case(s, k, before[k]);
	}
	for (i = 0; i < nevents; i++)
		refused += !events[i].taken;	/* "no such case" */
	if (ev_filter_finish(s, &e) < 0)
		abort();
	if (ev_applied(s) != applied || ev_rejected(s) != refused ||
	    ev_pending(s) != 0)
		fail("%ld applied, %ld refused, %zu pending; the model: %ld, "
		    "%ld, 0", ev_applied(s), ev_rejected(s), ev_pending(s),
		    applied, refused);
	ev_free(s);
	return 0;
}
