/*
 * test_jsonscan.c - jsonio_scan and jsonio_check: the JSON grammar as
 * jansson reads it, our own extra rules, flattening and messages.  Each
 * grammar case is also put to jansson, so that a case whose expectation
 * is wrong shows up here and not only under the fuzzer.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "input.h"
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

/* The 1 MiB limit on a string's decoded value (IN_MAX_FIELD), as on a
 * CSV cell. */
/* s = pre, n times fill (of length f), post; returns the length. */
static size_t build(char *s, const char *pre, const char *fill, size_t n,
    const char *post)
{
	size_t len = strlen(pre), f = strlen(fill), i;

	memcpy(s, pre, len);
	for (i = 0; i < n; i++, len += f)
		memcpy(s + len, fill, f);
	memcpy(s + len, post, strlen(post));
	return len + strlen(post);
}

/* The 1 MiB limit on a string's decoded value (IN_MAX_FIELD), as on a
 * CSV cell. */
static void test_long_strings(void)
{
	size_t lim = IN_MAX_FIELD, n;
	char *s = mem_alloc(lim * 4);
	struct err e;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	/* exactly the limit: fine */
	rec_clear(&r);
	n = build(s, "{\"summary\":\"", "a", lim, "\"}");
	CHECK_INT(jsonio_scan(s, n, &r, &e), 0);
	CHECK_INT(r.f[0].vlen, lim);
	/* one byte over: the field is named */
	rec_clear(&r);
	n = build(s, "{\"c\":{\"name\":\"", "a", lim + 1, "\"}}");
	CHECK_INT(jsonio_scan(s, n, &r, &e), -1);
	CHECK_STR(e.msg, "c.name: string longer than 1 MiB");
	/* over the limit in source, within it decoded (\n is one byte) */
	rec_clear(&r);
	n = build(s, "{\"s\":\"", "\\n", lim / 2 + 1, "\"}");
	CHECK_INT(jsonio_scan(s, n, &r, &e), 0);
	CHECK_INT(r.f[0].vlen, lim / 2 + 1);
	/* over decoded as well, with \u escapes of 1, 2 and 3 bytes */
	rec_clear(&r);
	n = build(s, "{\"s\":\"", "\\u0041\\u00e9\\u5f20\\ud83d\\ude00",
	    lim / 10 + 1, "\"}");
	CHECK_INT(jsonio_scan(s, n, &r, &e), -1);
	CHECK_STR(e.msg, "s: string longer than 1 MiB");
	rec_clear(&r);
	n = build(s, "{\"s\":\"", "\\u0041\\u00e9\\u5f20\\ud83d\\ude00",
	    lim / 10 - 1, "\"}");
	CHECK_INT(jsonio_scan(s, n, &r, &e), 0);
	CHECK_INT(r.f[0].vlen, (lim / 10 - 1) * 10);
	/* inside a raw value (history) too */
	rec_clear(&r);
	n = build(s, "{\"h\":[\"", "a", lim + 1, "\"]}");
	CHECK_INT(jsonio_scan(s, n, &r, &e), -1);
	CHECK_STR(e.msg, "h: string longer than 1 MiB");
	mem_free(s);
}

/* The word-at-a-time and CJK fast paths must see every byte the slow
 * path would: a bad byte at each offset of a long run, and many keys
 * with clashing filter bits still caught as duplicates. */
static void test_fast_paths(void)
{
	char s[200], k[40];
	struct buf b = BUF_INIT;
	struct err e;
	size_t at, base;
	int i;

	for (at = 0; at < 40; at++) {
		snprintf(s, sizeof s, "{\"a\":\"%s\"}",
		    "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH");
		s[6 + at] = '\x01';
		CHECK_INT(scan(s, &e), -1);
		s[6 + at] = '"';
		CHECK_INT(scan(s, &e), -1);	/* trailing characters */
		s[6 + at] = '\xe4';		/* a lead byte without its tail */
		CHECK_INT(scan(s, &e), -1);
	}
	CHECK_INT(scan("{\"a\":\"张三abcdefgh李四\xe4\xb8\"}", &e), -1);
	CHECK_STR(e.msg, "a: invalid UTF-8 at column 19");
	CHECK_INT(scan("{\"a\":\"\xed\xa0\x80" "abcdefgh\"}", &e), -1);
	CHECK_INT(scan("{\"a\":\"\xef\xbf\xbf\xe1\x80\x80" "abcdefghij\"}", &e), 0);
	/* 200 keys, then each one again: every duplicate is found */
	for (i = 0; i < 200; i++) {
		snprintf(k, sizeof k, "%s\"k%d\":%d", i ? "," : "{", i, i);
		buf_adds(&b, k);
	}
	base = b.len;
	buf_adds(&b, "}");
	CHECK_INT(scan(b.p, &e), 0);
	CHECK_INT(r.n, 200);
	for (i = 0; i < 200; i += 7) {
		b.len = base;
		snprintf(k, sizeof k, ",\"k%d\":0}", i);
		buf_adds(&b, k);
		CHECK_INT(scan(b.p, &e), -1);
		snprintf(k, sizeof k, "duplicate key \"k%d\"", i);
		CHECK_STR(e.msg, k);
	}
	buf_free(&b);
}

/*
 * Strings are cut at quotes, backslashes and control characters first and
 * checked as UTF-8 after: the first problem by position must still be the
 * one reported, in a word or in the bytewise tail, around escapes.  Keys
 * have a bytewise fast path of their own (plain ASCII, no dot); keys off
 * it (escaped, dotted, non-ASCII) take the general one.
 */
static void test_string_order(void)
{
	char s[200];
	struct err e;
	size_t at;

	for (at = 0; at < 20; at++) {
		/* bad UTF-8 before a control character: UTF-8 is reported */
		snprintf(s, sizeof s, "{\"a\":\"%.*s\xff%s\x01z\"}", (int)at,
		    "abcdefghijklmnopqrstuvwxyz", "xy");
		CHECK_INT(scan(s, &e), -1);
		CHECK(strstr(e.msg, "invalid UTF-8") != NULL);
		/* a control character first: it is reported */
		snprintf(s, sizeof s, "{\"a\":\"%.*s\x01xy\xff\"}", (int)at,
		    "abcdefghijklmnopqrstuvwxyz");
		CHECK_INT(scan(s, &e), -1);
		CHECK(strstr(e.msg, "control character 0x01") != NULL);
		/* bad UTF-8 before a bad escape, and after a good one */
		snprintf(s, sizeof s, "{\"a\":\"%.*s\xe4\xb8\\q\"}", (int)at,
		    "abcdefghijklmnopqrstuvwxyz");
		CHECK_INT(scan(s, &e), -1);
		CHECK(strstr(e.msg, "invalid UTF-8") != NULL);
		snprintf(s, sizeof s, "{\"a\":\"\\n%.*s张\\t\xc3\"}", (int)at,
		    "abcdefghijklmnopqrstuvwxyz");
		CHECK_INT(scan(s, &e), -1);
		CHECK(strstr(e.msg, "invalid UTF-8") != NULL);
		snprintf(s, sizeof s, "{\"a\":\"\\n%.*s张\\t三\"}", (int)at,
		    "abcdefghijklmnopqrstuvwxyz");
		CHECK_INT(scan(s, &e), 0);
		CHECK_INT(r.f[0].vlen, 1 + at + 3 + 1 + 3);
		/* unterminated, with a cut sequence or without */
		snprintf(s, sizeof s, "{\"a\":\"%.*s\xe4\xb8", (int)at,
		    "abcdefghijklmnopqrstuvwxyz");
		CHECK_INT(scan(s, &e), -1);
		CHECK(strstr(e.msg, "invalid UTF-8") != NULL);
		snprintf(s, sizeof s, "{\"a\":\"%.*s张", (int)at,
		    "abcdefghijklmnopqrstuvwxyz");
		CHECK_INT(scan(s, &e), -1);
		CHECK(strstr(e.msg, "unterminated string") != NULL);
	}
	CHECK_INT(scan("{\"a\":\"ab\xff\x01\"}", &e), -1);
	CHECK_STR(e.msg, "a: invalid UTF-8 at column 9");
	CHECK_INT(scan("{\"a\":\"ab\x01\xff\"}", &e), -1);
	CHECK_STR(e.msg, "a: control character 0x01 in string at column 9");
	/* keys off the fast path */
	CHECK_INT(scan("{\"\\u0061b\":{\"c\\\"\":1},\"名\":\"x\",\"d\x7f\":2}", &e), 0);
	CHECK_INT(r.n, 3);
	CHECK_STR(rec_key(&r, 0), "ab.c\"");
	CHECK_STR(rec_key(&r, 1), "名");
	CHECK_STR(rec_key(&r, 2), "d\x7f");
	CHECK_INT(scan("{\"ab\":{\"cd\":{\"ef\":\"\\n\"}},\"g\":1}", &e), 0);
	CHECK_STR(rec_key(&r, 0), "ab.cd.ef");
	CHECK_STR(rec_key(&r, 1), "g");
	CHECK_INT(scan("{\"a.b\":1}", &e), -1);
	CHECK_STR(e.msg, "key \"a.b\" contains '.'");
	CHECK_INT(scan("{\"a\\u002eb\":1}", &e), -1);
	CHECK_STR(e.msg, "key \"a.b\" contains '.'");
	CHECK_INT(scan("{\"a\":[{\"x.y\":1}]}", &e), 0);
	CHECK_INT(scan("{\"ab\":{\"c\":1x}}", &e), -1);
	CHECK_STR(e.msg, "ab: unexpected character 'x' at column 13");
	CHECK_INT(scan("{\"ab\":\"\\u0000\"}", &e), -1);
	CHECK_STR(e.msg, "ab: \\u0000 not allowed at column 8");
	CHECK_INT(scan("{\"a\\nb\":\"\\x\"}", &e), -1);
	CHECK_STR(e.msg, "a\nb: invalid escape at column 10");
	CHECK_INT(scan("{\"k\xff\":1}", &e), -1);
	CHECK_STR(e.msg, "invalid UTF-8 at column 4");
}

/* jsonio_string: each byte that needs it escaped, at every offset of a
 * long run (the word-at-a-time skip), and the result reads back. */
static void test_write_string(void)
{
	static const char special[] = "\"\\\n\r\t\b\f\x01\x1f";
	static const char *const want[] = { "\\\"", "\\\\", "\\n", "\\r",
	    "\\t", "\\b", "\\f", "\\u0001", "\\u001f" };
	char s[40], line[200];
	struct buf b = BUF_INIT;
	struct err e;
	size_t i, at;

	for (i = 0; i < sizeof special - 1; i++)
		for (at = 0; at < 27; at++) {
			if (at >= 8 && at < 14)
				continue;	/* not inside 张三 */
			memcpy(s, "abcdefgh张三ijklmnopqrstu", 27);
			s[at] = special[i];
			buf_reset(&b);
			CHECK_INT(jsonio_string(&b, s, 27), 0);
			CHECK(memcmp(b.p + 1 + at, want[i], strlen(want[i])) == 0);
			CHECK_INT(b.len, 27 + 2 + strlen(want[i]) - 1);
			snprintf(line, sizeof line, "{\"k\":%s}", b.p);
			CHECK_INT(scan(line, &e), 0);
			CHECK_INT(r.f[0].vlen, 27);
			CHECK(memcmp(rec_val(&r, 0), s, 27) == 0);
		}
	buf_reset(&b);
	CHECK_INT(jsonio_string(&b, NULL, 0), 0);
	CHECK_STR(b.p, "\"\"");
	buf_free(&b);
}

/*
 * jsonio_record reads the last bytes of a key or value as one word when
 * the arena goes on past them (the masked tail), jsonio_string never
 * reads past its string: both must write the same, for short values
 * with an escape at each offset or none, and keys likewise.
 */
static void test_write_tail(void)
{
	static const char special[] = "\"\\\n\x01" "a";
	char v[24], k[24];
	struct buf b = BUF_INIT, want = BUF_INIT;
	struct rec t;
	struct err e;
	size_t i, len, at;

	rec_init(&t);
	for (i = 0; i < sizeof special - 1; i++)
		for (len = 1; len < 20; len++)
			for (at = 0; at < len; at++) {
				memcpy(v, "abcdefghijklmnopqrstuvwxyz", len);
				v[at] = special[i];
				memcpy(k, v, len);
				k[len] = '\0';
				rec_clear(&t);
				CHECK_INT(rec_add(&t, k, len, REC_STR, v, len, &e), 0);
				CHECK_INT(rec_add(&t, "z", 1, REC_STR, v, len, &e), 0);
				buf_reset(&want);
				buf_addc(&want, '{');
				jsonio_string(&want, k, len);
				buf_addc(&want, ':');
				jsonio_string(&want, v, len);
				buf_adds(&want, ",\"z\":");
				jsonio_string(&want, v, len);
				buf_addc(&want, '}');
				buf_reset(&b);
				CHECK_INT(jsonio_record(&b, &t), 0);
				CHECK_INT(b.len, want.len);
				CHECK_STR(b.p, want.p);
			}
	rec_free(&t);
	buf_free(&b);
	buf_free(&want);
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

/*
 * Key templates: the scanner predicts each object's keys from the last
 * object at the same place.  Whatever it has learnt, a repeated key is
 * still a duplicate and a new shape still reads in full: the same key
 * twice when predicted, when off the prediction (a key skipped, keys
 * reordered), an extra twice, an escaped spelling of a predicted key,
 * and one nested object at the place of its parent's key.
 */
static void test_key_templates(void)
{
	static const char *const teach[] = {
		"{\"a\":1,\"b\":2,\"c\":{\"x\":1,\"y\":2},\"h\":[{\"at\":1,\"to\":2},{\"at\":3,\"to\":4}],"
		"\"received_at\":1,\"a_key_of_twenty_byte\":2}",
		"{\"a\":1,\"c\":{\"y\":2},\"d\":3,\"h\":[{\"at\":1,\"from\":0,\"to\":2}]}",
	};
	static const struct {
		const char *json, *err;
	} t[] = {
		{ "{\"a\":1,\"a\":2}", "duplicate key \"a\"" },
		{ "{\"a\":1,\"b\":2,\"b\":3}", "duplicate key \"b\"" },
		{ "{\"b\":1,\"a\":2,\"b\":3}", "duplicate key \"b\"" },
		{ "{\"c\":{},\"a\":2,\"b\":3,\"c\":4}", "duplicate key \"c\"" },
		{ "{\"a\":1,\"d\":2,\"b\":3,\"d\":4}", "duplicate key \"d\"" },
		{ "{\"z\":1,\"a\":2,\"z\":3}", "duplicate key \"z\"" },
		{ "{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\"" },
		{ "{\"\\u0062\":1,\"a\":2,\"b\":3}", "duplicate key \"b\"" },
		{ "{\"c\":{\"x\":1,\"y\":2,\"x\":3}}", "c: duplicate key \"x\"" },
		{ "{\"c\":{\"c\":{\"c\":1,\"c\":2}}}", "c.c: duplicate key \"c\"" },
		{ "{\"h\":[{\"at\":1,\"to\":2},{\"at\":1,\"at\":2}]}",
		  "h: duplicate key \"at\"" },
		{ "{\"h\":[{\"to\":1,\"from\":2,\"at\":3,\"from\":4}]}",
		  "h: duplicate key \"from\"" },
		{ "{\"a\":1,\"b\":2,\"c\":{\"x\":1},\"d\":3,\"e\":4,\"h\":[]}", NULL },
		{ "{\"e\":1,\"d\":2,\"c\":3,\"b\":4,\"a\":5}", NULL },
		{ "{\"a.b\":1}", "key \"a.b\" contains '.'" },
		/* keys of 9 to 16 bytes and longer are compared otherwise */
		{ "{\"received_at\":1,\"received_at\":2}", "duplicate key \"received_at\"" },
		{ "{\"received_as\":1,\"received_at\":2}", NULL },
		{ "{\"a_key_of_twenty_byte\":1,\"a_key_of_twenty_byte\":2}",
		  "duplicate key \"a_key_of_twenty_byte\"" },
		{ "{\"a_key_of_twenty_bytf\":1,\"a_key_of_twenty_byte\":2}", NULL },
	};
	struct err e;
	size_t i, round;

	for (round = 0; round < 3; round++)
		for (i = 0; i < sizeof t / sizeof t[0]; i++) {
			/* taught one shape or another before each */
			CHECK_INT(scan(teach[(i + round) % 2], &e), 0);
			if (t[i].err == NULL) {
				CHECK_INT(scan(t[i].json, &e), 0);
				continue;
			}
			CHECK_INT(scan(t[i].json, &e), -1);
			CHECK_STR(e.msg, t[i].err);
		}
	/* a key that differs from the predicted one in its last byte */
	CHECK_INT(scan(teach[0], &e), 0);
	CHECK_INT(scan("{\"a\":1,\"b\":2,\"c\":{},\"h\":[],\"received_as\":1,"
	    "\"a_key_of_twenty_bytf\":2}", &e), 0);
	CHECK_STR(rec_key(&r, 4), "received_as");
	CHECK_STR(rec_key(&r, 5), "a_key_of_twenty_bytf");
	CHECK_INT(scan("{\"a\":1,\"b\":2,\"c\":{},\"h\":[],\"received_at\":1,"
	    "\"a_key_of_twenty_byte\":2,\"received_at\":3}", &e), -1);
	CHECK_STR(e.msg, "duplicate key \"received_at\"");
	/* what was learnt reads back field for field */
	CHECK_INT(scan(teach[1], &e), 0);
	CHECK_INT(scan("{\"d\":3,\"c\":{\"y\":2},\"a\":1}", &e), 0);
	CHECK_INT(r.n, 3);
	CHECK_STR(rec_key(&r, 0), "d");
	CHECK_STR(rec_key(&r, 1), "c.y");
	CHECK_STR(rec_val(&r, 2), "1");
}

int main(void)
{
	mem_setup();
	rec_init(&r);
	test_grammar();
	test_our_rules();
	test_flatten();
	test_messages();
	test_long_strings();
	test_fast_paths();
	test_key_templates();
	test_string_order();
	test_write_string();
	test_write_tail();
	test_check();
	rec_free(&r);
	return unit_done("jsonscan");
}
