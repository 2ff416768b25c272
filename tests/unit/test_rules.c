/*
 * test_rules.c - case-route's rule language: parsing, every operator,
 * numbers against text, first match wins, syntax errors with line and
 * column, the mediation clamp, printing and reading back.
 */
#include <string.h>

#include "rules.h"
#include "unit.h"

/* A record as "key=value" strings, for the matcher's callback. */
struct fake {
	const char *kv[16];
};

static const char *fake_get(const void *ctx, const char *field)
{
	const struct fake *f = ctx;
	size_t i, n = strlen(field);

	for (i = 0; f->kv[i] != NULL; i++)
		if (strncmp(f->kv[i], field, n) == 0 && f->kv[i][n] == '=')
			return f->kv[i] + n + 1;
	return NULL;
}

static char warned[1024];

static void on_warn(void *ctx, const char *msg)
{
	(void)ctx;
	snprintf(warned, sizeof warned, "%s", msg);
}

static const char *const known[] = { "type", "workers", "amount",
	"employer.name", "channel", NULL };
static const struct rules_opts opts = { known, on_warn, NULL };

static struct rules *parse(const char *text)
{
	struct err e;
	struct rules *rs = rules_parse("r.txt", text, strlen(text), &opts, &e);

	if (rs == NULL)
		fprintf(stderr, "unexpected: %s\n", e.msg);
	return rs;
}

/* The error message a text gives, or "" when it parses. */
static const char *error_of(const char *text)
{
	static struct err e;
	struct rules *rs = rules_parse("r.txt", text, strlen(text), &opts, &e);

	if (rs != NULL) {
		rules_free(rs);
		return "";
	}
	return e.msg;
}

/* Line of the rule a record matches, 0 for none. */
static unsigned long line_of(struct rules *rs, int section, struct fake *f)
{
	const struct rules_rule *r = rules_match(rs, section, fake_get, f);

	return r ? r->line : 0;
}

static void test_defaults(void)
{
	struct err e;
	struct rules *rs = rules_default(&opts, &e);
	struct fake cw = { { "type=construction-wage", "workers=1", NULL } };
	struct fake group = { { "type=wage-arrears", "workers=12", NULL } };
	struct fake si = { { "type=social-insurance", "workers=1", NULL } };
	struct fake other = { { "type=termination", NULL } };
	const struct rules_rule *r;

	CHECK(rs != NULL);
	if (rs == NULL)
		return;
	CHECK_INT(rules_count(rs, RULES_ROUTE), 4);
	CHECK_INT(rules_count(rs, RULES_ESCALATE), 3);
	r = rules_match(rs, RULES_ROUTE, fake_get, &cw);
	CHECK(r != NULL && r->track == RULES_JOINT_MEDIATION &&
	    r->priority == RULES_KEY && r->within == RULES_DAY);
	r = rules_match(rs, RULES_ROUTE, fake_get, &group);
	CHECK(r != NULL && r->track == RULES_JOINT_MEDIATION);
	r = rules_match(rs, RULES_ROUTE, fake_get, &si);
	CHECK(r != NULL && r->track == RULES_INSPECTION && r->within == 7 * RULES_DAY);
	CHECK_STR(r ? r->desk : NULL, "劳动监察");
	r = rules_match(rs, RULES_ROUTE, fake_get, &other);
	CHECK(r != NULL && r->track == RULES_MEDIATION && r->priority == RULES_GENERAL);
	r = rules_match(rs, RULES_ESCALATE, fake_get, &other);
	CHECK(r != NULL && r->track == RULES_ARBITRATION && r->within == 5 * RULES_DAY);
	rules_free(rs);
}

static void test_operators(void)
{
	struct rules *rs = parse(
	    "amount >= 50000 -> track legal-aid, desk A\n"		/* 1 */
	    "amount > 40000 -> track legal-aid, desk B\n"		/* 2 */
	    "amount = 30000 -> track legal-aid, desk C\n"		/* 3 */
	    "amount <= 100 -> track legal-aid, desk D\n"		/* 4 */
	    "amount < 1000 -> track legal-aid, desk E\n"		/* 5 */
	    "amount != 2000 -> track legal-aid, desk F\n"		/* 6 */
	    "* -> track mediation, desk G\n");				/* 7 */
	struct fake f = { { NULL, NULL } };

	if (rs == NULL)
		return;
	f.kv[0] = "amount=50000";	CHECK_INT(line_of(rs, 0, &f), 1);
	f.kv[0] = "amount=49999.99";	CHECK_INT(line_of(rs, 0, &f), 2);
	f.kv[0] = "amount=40000";	CHECK_INT(line_of(rs, 0, &f), 6);
	f.kv[0] = "amount=30000.00";	CHECK_INT(line_of(rs, 0, &f), 3);
	f.kv[0] = "amount=3万";		CHECK_INT(line_of(rs, 0, &f), 3);
	f.kv[0] = "amount=100";		CHECK_INT(line_of(rs, 0, &f), 4);
	f.kv[0] = "amount=100.01";	CHECK_INT(line_of(rs, 0, &f), 5);
	f.kv[0] = "amount=2000";	CHECK_INT(line_of(rs, 0, &f), 7);
	/* text where a number is wanted: only != holds */
	f.kv[0] = "amount=lots";	CHECK_INT(line_of(rs, 0, &f), 6);
	/* absent: the empty string, not a number */
	f.kv[0] = NULL;			CHECK_INT(line_of(rs, 0, &f), 6);
	rules_free(rs);
}

static void test_strings_and_in(void)
{
	struct rules *rs = parse(
	    "type in (wage-arrears, \"construction-wage\") and workers >= 10 "
	    "-> track joint-mediation, desk J\n"			/* 1 */
	    "employer.name = \"某某 建筑公司\" -> track inspection, desk I\n"	/* 2 */
	    "grid = \"\" -> track consultation, desk N\n"		/* 3 */
	    "channel < m -> track employment-help, desk H\n"		/* 4 */
	    "channel > \"10\" -> track litigation, desk L\n");		/* 5 */
	struct fake f = { { NULL } };

	if (rs == NULL)
		return;
	f.kv[0] = "type=wage-arrears"; f.kv[1] = "workers=10"; f.kv[2] = "grid=g1";
	CHECK_INT(line_of(rs, 0, &f), 1);
	f.kv[1] = "workers=9";
	f.kv[2] = "grid=g1"; f.kv[3] = "channel=online";
	CHECK_INT(line_of(rs, 0, &f), 5);	/* "online" > "10" bytewise */
	f.kv[3] = "channel=hotline";
	CHECK_INT(line_of(rs, 0, &f), 4);
	f.kv[2] = NULL;		/* absent grid = "" */
	CHECK_INT(line_of(rs, 0, &f), 3);
	f.kv[0] = "employer.name=某某 建筑公司";
	CHECK_INT(line_of(rs, 0, &f), 2);
	f.kv[0] = "type=other"; f.kv[1] = "grid=x"; f.kv[2] = "channel=online"; f.kv[3] = NULL;
	CHECK_INT(line_of(rs, 0, &f), 5);
	f.kv[2] = "channel=0";	/* "0" < "10" bytewise, > "m"? no */
	CHECK_INT(line_of(rs, 0, &f), 4);
	rules_free(rs);
}

static void test_sections(void)
{
	struct rules *rs = parse(
	    "# comment\n"
	    "\n"
	    "[escalate]\n"
	    "amount > 100000 -> track litigation, desk 法院, priority key # big\n"
	    "* -> track arbitration, desk 仲裁\n"
	    "[ route ]\n"
	    "* -> track mediation, desk 调解\n");
	struct fake f = { { "amount=200000", NULL } };
	const struct rules_rule *r;

	if (rs == NULL)
		return;
	CHECK_INT(line_of(rs, RULES_ESCALATE, &f), 4);
	CHECK_INT(line_of(rs, RULES_ROUTE, &f), 7);
	r = rules_match(rs, RULES_ESCALATE, fake_get, &f);
	CHECK(r != NULL && r->within == RULES_DAY);	/* key: 1 day */
	rules_free(rs);
}

static void test_errors(void)
{
	CHECK_STR(error_of("type = a -> track mediation, desk X\n"
	    "workers 10 -> track mediation, desk X\n"),
	    "r.txt:2:9: expected an operator (=, !=, <, <=, >, >=, in)");
	CHECK_STR(error_of("type = -> track mediation, desk X"),
	    "r.txt:1:8: expected a value");
	CHECK_STR(error_of("type = a track mediation"),
	    "r.txt:1:10: expected and or ->");
	CHECK_STR(error_of("type = a -> track mediaton, desk X"),
	    "r.txt:1:19: unknown track \"mediaton\" (did you mean mediation?)");
	CHECK_STR(error_of("type = a -> track mediation"),
	    "r.txt:1:1: the rule sets no desk");
	CHECK_STR(error_of("type = a -> desk X"),
	    "r.txt:1:1: the rule sets no track");
	CHECK_STR(error_of("* -> track mediation, desk X, track mediation"),
	    "r.txt:1:31: track given twice");
	CHECK_STR(error_of("* -> track mediation desk X"),
	    "r.txt:1:22: expected , or the end of the line");
	CHECK_STR(error_of("* -> track mediation, room X"),
	    "r.txt:1:23: expected an action (track, desk, priority, within)");
	CHECK_STR(error_of("* -> track mediation, desk X, within 3w"),
	    "r.txt:1:39: expected d (days), h (hours) or m (minutes)");
	CHECK_STR(error_of("* -> track mediation, desk X, within 0d"),
	    "r.txt:1:38: a time limit must be more than 0");
	CHECK_STR(error_of("* -> track mediation, desk X, within 9999d"),
	    "r.txt:1:38: time limit too long (at most 3650d)");
	CHECK_STR(error_of("* -> track mediation, desk X, priority urgent"),
	    "r.txt:1:40: unknown priority \"urgent\" (valid: general, key)");
	CHECK_STR(error_of("type in a, b -> track mediation, desk X"),
	    "r.txt:1:9: expected ( after in");
	CHECK_STR(error_of("type in (a b) -> track mediation, desk X"),
	    "r.txt:1:12: expected , or )");
	CHECK_STR(error_of("desk = \"调解 -> track mediation, desk X"),
	    "r.txt:1:8: unterminated string");
	CHECK_STR(error_of("desk = \"a\\n\" -> track mediation, desk X"),
	    "r.txt:1:10: unknown escape in a string (only \\\" and \\\\)");
	CHECK_STR(error_of("案由 = a -> track mediation, desk X"),
	    "r.txt:1:1: expected a field name or *");
	CHECK_STR(error_of("amount > 1.005 -> track mediation, desk X"),
	    "r.txt:1:10: \"1.005\" has more than two decimals");
	CHECK_STR(error_of("[escalate]\n* -> track mediation, desk X"),
	    "r.txt:2:12: an escalation goes to arbitration or litigation, not mediation");
	CHECK_STR(error_of("[appeal]"), "r.txt:1:2: unknown section (route or escalate)");
	CHECK_STR(error_of("[route"), "r.txt:1:7: expected ]");
	CHECK_STR(error_of("* -> track mediation, desk \"\""), "r.txt:1:28: empty desk");
	CHECK_STR(error_of("* -> track mediation, desk \xff"), "r.txt:1:28: not UTF-8");
	CHECK_STR(error_of("* -> track mediation,\x01 desk X"),
	    "r.txt:1:22: control character 0x01");
	CHECK_STR(error_of("*"), "r.txt:1:2: expected -> after *");
	/* columns count characters: 调解窗口 is four columns, not twelve */
	CHECK_STR(error_of("desk = 调解窗口 -> track mediaton, desk X"),
	    "r.txt:1:22: unknown track \"mediaton\" (did you mean mediation?)");
	CHECK_STR(error_of("\xEF\xBB\xBF* -> track mediation, desk X\r\n"), "");
	CHECK_STR(error_of(""), "");
}

static void test_warnings(void)
{
	struct rules *rs;

	warned[0] = '\0';
	rs = parse("* -> track joint-mediation, desk X, within 20d");
	CHECK(rs != NULL && rs->rule[0].within == RULES_MEDIATION_LIMIT);
	CHECK_STR(warned, "r.txt:1:44: within 20d is beyond the 15-day mediation "
	    "limit (art. 14); using 15d");
	rules_free(rs);
	warned[0] = '\0';
	rs = parse("* -> track inspection, desk X, within 60d");
	CHECK(rs != NULL && rs->rule[0].within == 60 * RULES_DAY);
	CHECK_STR(warned, "");
	rules_free(rs);
	rs = parse("tpye = x -> track inspection, desk X");
	CHECK_STR(warned, "r.txt:1:1: unknown field \"tpye\" (did you mean type?)");
	rules_free(rs);
}

/* Limits in minutes, for a referral's first response, and added up. */
static void test_minutes(void)
{
	static const struct {
		const char *limit;
		long secs;
		const char *printed;
	} t[] = {
		{ "10m", 10 * 60, "10m" }, { "1m", 60, "1m" },
		{ "2h30m", 2 * RULES_HOUR + 30 * 60, "2h30m" },
		{ "90m", 90 * 60, "1h30m" }, { "1d1m", RULES_DAY + 60, "1d1m" },
		{ "1d12h", RULES_DAY + 12 * RULES_HOUR, "1d12h" },
	};
	char text[128];
	struct rules *rs;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		snprintf(text, sizeof text, "* -> track inspection, desk X, "
		    "within %s", t[i].limit);
		rs = parse(text);
		CHECK(rs != NULL && rs->rule[0].within == t[i].secs);
		buf_reset(&b);
		CHECK(rules_format_within(t[i].secs, &b) == 0);
		CHECK_STR(b.p, t[i].printed);
		rules_free(rs);
	}
	CHECK_STR(error_of("* -> track mediation, desk X, within 0m"),
	    "r.txt:1:38: a time limit must be more than 0");
	CHECK_STR(error_of("* -> track mediation, desk X, within 10s"),
	    "r.txt:1:40: expected d (days), h (hours) or m (minutes)");
	buf_free(&b);
}

static void test_format(void)
{
	const char *text =
	    "[escalate]\n"
	    "* -> track arbitration, desk 仲裁, within 1d12h\n"
	    "[route]\n"
	    "type in ( a ,\"b c\" ) and amount>=1.5 and grid = \"10\" and x != \"q\\\"\\\\\""
	    " -> track mediation, desk \"调解 窗口\", priority key\n";
	struct rules *rs = parse(text), *again;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct err e;

	if (rs == NULL)
		return;
	CHECK(rules_format(rs, &a) == 0);
	CHECK_STR(a.p,
	    "[route]\n"
	    "type in (a, \"b c\") and amount >= 1.5 and grid = \"10\" and "
	    "x != \"q\\\"\\\\\" -> track mediation, desk \"调解 窗口\", "
	    "priority key, within 1d\n"
	    "\n"
	    "[escalate]\n"
	    "* -> track arbitration, desk 仲裁, priority general, within 1d12h\n");
	again = rules_parse("again", a.p, a.len, NULL, &e);
	CHECK(again != NULL);
	if (again != NULL) {
		CHECK(rules_format(again, &b) == 0);
		CHECK_STR(b.p, a.p);
		rules_free(again);
	}
	buf_free(&a);
	buf_free(&b);
	rules_free(rs);
}

int main(void)
{
	test_defaults();
	test_operators();
	test_strings_and_in();
	test_sections();
	test_errors();
	test_minutes();
	test_warnings();
	test_format();
	return unit_done("test_rules");
}
