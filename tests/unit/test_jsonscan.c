/*
 * test_jsonscan.c - jsonio_scan and jsonio_check: the JSON grammar as
 * jansson reads it, our own extra rules, flattening and messages.  Each
 * grammar case is also put to jansson, so that a case whose expectation
 * is wrong shows up here and not only under the fuzzer.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "jsonio.h"
#include "mem.h"
#include "record.h"
#include "unit.h"

static struct rec r;

static int scan(const char *s, struct err *e)
{
	rec_clear(&r);
	return jsonio_scan(s, strlen(s), &r, e);
}

/* Cases where we and jansson must agree: ok 1 = accepted by both. */
static const struct { const char *s; int ok; } grammar[] = {
	{ "{}", 1 }, { " \t\r\n{ } \n", 1 }, { "{\"a\":1}", 1 },
	{ "{\"\":1}", 1 }, { "{\"a\":-0}", 1 }, { "{\"a\":0.5e-3}", 1 },
	{ "{\"a\":1E+2}", 1 }, { "{\"a\":01}", 0 }, { "{\"a\":-}", 0 },
	{ "{\"a\":1.}", 0 }, { "{\"a\":.5}", 0 }, { "{\"a\":+1}", 0 },
	{ "{\"a\":1e}", 0 }, { "{\"a\":1e+}", 0 }, { "{\"a\":0x1}", 0 },
	{ "{\"a\":9223372036854775807}", 1 },
	{ "{\"a\":9223372036854775808}", 0 },
	{ "{\"a\":-9223372036854775808}", 1 },
	{ "{\"a\":-9223372036854775809}", 0 },
	{ "{\"a\":12345678901234567890123}", 0 },
	{ "{\"a\":12345678901234567890123.0}", 1 },
	{ "{\"a\":1e308}", 1 }, { "{\"a\":1e309}", 0 }, { "{\"a\":-1e999}", 0 },
	{ "{\"a\":1e-999}", 1 }, { "{\"a\":true}", 1 }, { "{\"a\":tru}", 0 },
	{ "{\"a\":truex}", 0 }, { "{\"a\":nul}", 0 }, { "{\"a\":True}", 0 },
	{ "{\"a\":[]}", 1 }, { "{\"a\":[1,]}", 0 }, { "{\"a\":[,1]}", 0 },
	{ "{\"a\":1,}", 0 }, { "{,\"a\":1}", 0 }, { "{\"a\" 1}", 0 },
	{ "{\"a\":1 \"b\":2}", 0 }, { "{'a':1}", 0 }, { "{a:1}", 0 },
	{ "{\"a\":1}x", 0 }, { "{\"a\":1}{}", 0 }, { "{\"a\":1", 0 },
	{ "{\"a\":\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\\"\\\\\"}", 1 },
	{ "{\"a\":\"\\ud83d\"}", 0 }, { "{\"a\":\"\\ude00\"}", 0 },
	{ "{\"a\":\"\\ud83d\\u0041\"}", 0 }, { "{\"a\":\"\\ud83dx\"}", 0 },
	{ "{\"a\":\"\\u0000\"}", 0 }, { "{\"\\u0000\":1}", 0 },
	{ "{\"a\":\"\\u12\"}", 0 }, { "{\"a\":\"\\u12G4\"}", 0 },
	{ "{\"a\":\"\\x\"}", 0 }, { "{\"a\":\"\\'\"}", 0 },
	{ "{\"a\":\"tab\there\"}", 0 }, { "{\"a\":\"nl\nhere\"}", 0 },
	{ "{\"a\":\"\x7f\"}", 1 }, { "{\"a\":\"\xc3\xa9\"}", 1 },
	{ "{\"a\":\"\xc3\"}", 0 }, { "{\"a\":\"\xc0\x80\"}", 0 },
	{ "{\"a\":\"\xed\xa0\x80\"}", 0 }, { "{\"a\":\"\xf4\x90\x80\x80\"}", 0 },
	{ "{\"a\":\"\xf0\x9f\x98\x80\"}", 1 }, { "{\"a\":\"\xe0\x80\xaf\"}", 0 },
	{ "{\"a\":\"\xff\"}", 0 }, { "{\"a\":1,\"a\":2}", 0 },
	{ "{\"a\":1,\"\\u0061\":2}", 0 }, { "{\"a\":{\"b\":1},\"a\":{\"c\":1}}", 0 },
	{ "{\"a\":[{\"x\":1,\"x\":1}]}", 0 }, { "{\"a\":{\"b\":1,\"b\":2}}", 0 },
	{ "{\"a\":{\"b\":1},\"b\":{\"b\":2}}", 1 },
	{ "{\"a\":\u00a01}", 0 }, { "{\"a\":\f1}", 0 },
};

static void test_grammar(void)
{
	struct err e;
	size_t i;
	json_t *j;
	int ok;

	for (i = 0; i < sizeof grammar / sizeof grammar[0]; i++) {
		const char *s = grammar[i].s;

		ok = scan(s, &e) == 0;
		if (ok != grammar[i].ok)
			fprintf(stderr, "case %zu %s: %s\n", i, s, ok ? "accepted" : e.msg);
		CHECK_INT(ok, grammar[i].ok);
		j = json_loadb(s, strlen(s), JSON_REJECT_DUPLICATES, NULL);
		if ((j != NULL) != grammar[i].ok)
			fprintf(stderr, "case %zu %s: jansson disagrees\n", i, s);
		CHECK_INT(j != NULL, grammar[i].ok);
		json_decref(j);
	}
}

/* Accepted by jansson, refused by us on purpose. */
static void test_our_rules(void)
{
	struct err e;
	char deep[256];
	int i;

	CHECK_INT(scan("[1]", &e), -1);
	CHECK_STR(e.msg, "not a JSON object");
	CHECK_INT(scan("\"s\"", &e), -1);
	CHECK_INT(scan("", &e), -1);
	CHECK_INT(scan("{\"a.b\":1}", &e), -1);
	CHECK_STR(e.msg, "key \"a.b\" contains '.'");
	CHECK_INT(scan("{\"x\":{\"a.b\":1}}", &e), -1);
	CHECK_STR(e.msg, "x: key \"a.b\" contains '.'");
	CHECK_INT(scan("{\"h\":[{\"a.b\":1}]}", &e), 0);	/* raw: fine */
	for (i = 0; i < 64; i++)
		deep[i] = '[';
	memcpy(deep + 64, "]]", 3);
	{
		char s[300];

		snprintf(s, sizeof s, "{\"a\":%.63s%.63s}", deep,
		    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
		CHECK_INT(scan(s, &e), 0);	/* depth 64 */
		snprintf(s, sizeof s, "{\"a\":%.64s%.64s}", deep,
		    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
		CHECK_INT(scan(s, &e), -1);
		CHECK_STR(e.msg, "a: nested deeper than 64");
	}
	/* one NUL after a number: jansson skips it, we do not */
	CHECK_INT(jsonio_scan("{\"a\":1\0}", 8, &r, &e), -1);
}

static void test_flatten(void)
{
	struct err e;

	CHECK_INT(scan("{\"id\":\"A\",\"claimant\":{\"name\":\"\\u5f20\\u4e09\","
	    "\"x\":{\"y\":null}},\"workers\":12,\"amount\":3803.50,"
	    "\"history\":[ {\"at\":1} ],\"e\":{ },\"t\":true}", &e), 0);
	CHECK_INT(r.n, 8);
	CHECK_STR(rec_key(&r, 1), "claimant.name");
	CHECK_STR(rec_val(&r, 1), "张三");
	CHECK_INT(r.f[1].type, REC_STR);
	CHECK_STR(rec_get(&r, "claimant.x.y"), "null");
	CHECK_INT(rec_type(&r, "claimant.x.y"), REC_RAW);
	CHECK_STR(rec_get(&r, "amount"), "3803.50");
	CHECK_INT(rec_type(&r, "workers"), REC_NUM);
	CHECK_STR(rec_get(&r, "history"), "[ {\"at\":1} ]");
	CHECK_INT(rec_type(&r, "history"), REC_RAW);
	CHECK_STR(rec_get(&r, "e"), "{ }");
	CHECK_STR(rec_get(&r, "t"), "true");
	CHECK_INT(scan("{\"s\":\"a\\\"b\\\\c\\n\"}", &e), 0);
	CHECK_STR(rec_get(&r, "s"), "a\"b\\c\n");
}

static void test_messages(void)
{
	struct err e;

	scan("{\"amount\":12x}", &e);
	CHECK_STR(e.msg, "unexpected character 'x' at column 13");
	scan("{\"amount\":1.}", &e);
	CHECK_STR(e.msg, "amount: invalid number");
	scan("{\"id\":1,\"id\":2}", &e);
	CHECK_STR(e.msg, "duplicate key \"id\"");
	scan("{\"a\":{\"b\":\"\xff\"}}", &e);
	CHECK_STR(e.msg, "a.b: invalid UTF-8 at column 12");
	scan("{\"n\":99999999999999999999}", &e);
	CHECK_STR(e.msg, "n: integer too big");
	scan("{\"a\":1} x", &e);
	CHECK_STR(e.msg, "trailing characters at column 9");
}

static void test_check(void)
{
	struct err e;

	CHECK_INT(jsonio_check("[1,{\"a\":[]}]", 12, &e), 0);
	CHECK_INT(jsonio_check(" 12 ", 4, &e), 0);
	CHECK_INT(jsonio_check("\"x\"", 3, &e), 0);
	CHECK_INT(jsonio_check("null", 4, &e), 0);
	CHECK_INT(jsonio_check("", 0, &e), -1);
	CHECK_INT(jsonio_check("[1,", 3, &e), -1);
	CHECK_INT(jsonio_check("[{\"a\":1,\"a\":1}]", 15, &e), -1);
	CHECK_INT(jsonio_check("1 2", 3, &e), -1);
}

int main(void)
{
	mem_setup();
	rec_init(&r);
	test_grammar();
	test_our_rules();
	test_flatten();
	test_messages();
	test_check();
	rec_free(&r);
	return unit_done("jsonscan");
}
