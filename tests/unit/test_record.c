/*
 * test_record.c - the record: set/get/delete, canonical order, nesting
 * on output, the history trail.
 */
#include <string.h>

#include "jsonio.h"
#include "record.h"
#include "unit.h"

static const char *json(struct rec *r)
{
	static struct buf b;

	buf_reset(&b);
	rec_sort(r);
	if (jsonio_record(&b, r) < 0)
		return NULL;
	return b.p;
}

static void test_set_get(void)
{
	struct rec r;
	struct err e;

	rec_init(&r);
	CHECK(rec_get(&r, "id") == NULL);
	CHECK(rec_sets(&r, "id", "CASE-2024-000001", &e) == 0);
	CHECK_STR(rec_get(&r, "id"), "CASE-2024-000001");
	CHECK(rec_sets(&r, "id", "X", &e) == 0);	/* shorter: in place */
	CHECK_STR(rec_get(&r, "id"), "X");
	CHECK(rec_sets(&r, "id", "a much longer value than before", &e) == 0);
	CHECK_STR(rec_get(&r, "id"), "a much longer value than before");
	CHECK_INT(r.n, 1);
	CHECK(rec_setf(&r, "workers", REC_NUM, &e, "%d", 12) == 0);
	CHECK_INT(rec_type(&r, "workers"), REC_NUM);
	CHECK(rec_get_nonempty(&r, "nope") == NULL);
	rec_sets(&r, "empty", "", &e);
	CHECK(rec_get_nonempty(&r, "empty") == NULL);
	rec_del(&r, "id");
	CHECK(rec_get(&r, "id") == NULL);
	CHECK_INT(r.n, 2);
	rec_free(&r);
}

static void test_order_and_nesting(void)
{
	struct rec r;
	struct err e;

	rec_init(&r);
	rec_sets(&r, "zzz_custom", "1", &e);
	rec_set(&r, "history", REC_RAW, "[]", 2, &e);
	rec_sets(&r, "employer.name", "某建筑公司", &e);
	rec_sets(&r, "claimant.phone", "13800000000", &e);
	rec_sets(&r, "id", "C-1", &e);
	rec_sets(&r, "claimant.name", "张三", &e);
	rec_sets(&r, "agreement.note", "x", &e);	/* unknown key, known group */
	rec_sets(&r, "agreement.amount", "5", &e);
	rec_sets(&r, "status", "new", &e);
	rec_set(&r, "amount", REC_NUM, "3803.5", 6, &e);
	CHECK_STR(json(&r), "{\"id\":\"C-1\",\"claimant\":{\"name\":\"张三\","
	    "\"phone\":\"13800000000\"},\"employer\":{\"name\":\"某建筑公司\"},"
	    "\"amount\":3803.5,\"status\":\"new\",\"agreement\":{\"amount\":\"5\","
	    "\"note\":\"x\"},\"zzz_custom\":\"1\",\"history\":[]}");
	rec_del_group(&r, "agreement");
	rec_del_group(&r, "claimant");
	CHECK(rec_find(&r, "agreement.amount") < 0 && rec_find(&r, "claimant.name") < 0);
	CHECK(rec_find(&r, "amount") >= 0);
	rec_free(&r);
}

static void test_unknown_nested_kept_together(void)
{
	struct rec r;
	struct err e;

	rec_init(&r);
	rec_sets(&r, "x.a", "1", &e);
	rec_sets(&r, "x.b.c", "2", &e);
	rec_sets(&r, "y", "3", &e);
	CHECK_STR(json(&r), "{\"x\":{\"a\":\"1\",\"b\":{\"c\":\"2\"}},\"y\":\"3\"}");
	rec_free(&r);
}

static void test_escaping(void)
{
	struct buf b = BUF_INIT;

	jsonio_string(&b, "a\"b\\c\n\t\x01é", strlen("a\"b\\c\n\t\x01é"));
	CHECK_STR(b.p, "\"a\\\"b\\\\c\\n\\t\\u0001é\"");
	buf_free(&b);
}

static void test_history(void)
{
	struct rec_step add = { "2024-04-11T09:30:00+08:00",
	    "2024-04-15T09:00:00+08:00", "case-add", NULL, "in.csv:2" };
	struct rec_step route = { "2024-04-12T10:00:00+08:00", NULL,
	    "case-route", "王五", NULL };
	struct rec_step old = { "t", NULL, "mediate", NULL, NULL };
	struct rec r;
	struct err e;

	rec_init(&r);
	/* when it happened, then when it was recorded */
	CHECK(rec_history_add(&r, NULL, "new", &add, &e) == 0);
	CHECK_STR(rec_get(&r, "history"), "[{\"at\":\"2024-04-11T09:30:00+08:00\","
	    "\"recorded_at\":\"2024-04-15T09:00:00+08:00\","
	    "\"cmd\":\"case-add\",\"to\":\"new\",\"note\":\"in.csv:2\"}]");
	/* an entry without a recorded time has "at" alone, as old ones do */
	CHECK(rec_history_add(&r, "new", "routed", &route, &e) == 0);
	CHECK_STR(rec_get(&r, "history"), "[{\"at\":\"2024-04-11T09:30:00+08:00\","
	    "\"recorded_at\":\"2024-04-15T09:00:00+08:00\","
	    "\"cmd\":\"case-add\",\"to\":\"new\",\"note\":\"in.csv:2\"},"
	    "{\"at\":\"2024-04-12T10:00:00+08:00\",\"cmd\":\"case-route\","
	    "\"from\":\"new\",\"to\":\"routed\",\"by\":\"王五\"}]");
	/* an empty array read from a store */
	rec_set(&r, "history", REC_RAW, "[ ]", 3, &e);
	rec_history_add(&r, "a", "b", &old, &e);
	CHECK_STR(rec_get(&r, "history"), "[{\"at\":\"t\",\"cmd\":\"mediate\","
	    "\"from\":\"a\",\"to\":\"b\"}]");
	rec_free(&r);
}

int main(void)
{
	test_set_get();
	test_order_and_nesting();
	test_unknown_nested_kept_together();
	test_escaping();
	test_history();
	return unit_done("record");
}
