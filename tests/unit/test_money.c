/*
 * test_money.c - unit tests of lib/money.c: the accepted ways of
 * writing an amount, the refused ones with their messages, exactness
 * of sums, and the two output forms.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "unit.h"

/* The value s parses to; LLONG_MIN if it does not parse. */
static money_t parse(const char *s)
{
	struct err e;
	money_t v;

	if (money_parse(s, &v, &e) < 0)
		return LLONG_MIN;
	return v;
}

/* The message s is refused with; "" if it parses. */
static const char *reason(const char *s)
{
	static struct err e;
	money_t v;

	if (money_parse(s, &v, &e) == 0)
		return "";
	return e.msg;
}

static const char *fmt(money_t v)
{
	static char b[32];

	money_format(b, sizeof b, v);
	return b;
}

static const char *fmt2(money_t v)
{
	static char b[32];

	money_format2(b, sizeof b, v);
	return b;
}

static void test_plain(void)
{
	CHECK_INT(parse("0"), 0);
	CHECK_INT(parse("3803.5"), 380350);
	CHECK_INT(parse("3803.50"), 380350);
	CHECK_INT(parse("3803"), 380300);
	CHECK_INT(parse("0.01"), 1);
	CHECK_INT(parse(".5"), 50);
	CHECK_INT(parse("5."), 500);
	CHECK_INT(parse("007"), 700);
	CHECK_INT(parse("-2.5"), -250);
	CHECK_INT(parse("+2.5"), 250);
	CHECK_INT(parse("-0"), 0);
	CHECK_INT(parse("  12  "), 1200);
	CHECK_INT(parse("\t12\t"), 1200);
	/* Zeros beyond the fen change nothing. */
	CHECK_INT(parse("3803.500"), 380350);
	CHECK_INT(parse("1.000000000"), 100);
}

/* The plain form (digits, a point, up to two decimals) has a quick way
 * in; around its edges the answer is the full parser's. */
static void test_plain_edges(void)
{
	static const char *const whole[] = {
		"0", "1", "9", "10", "00", "123456789012345", "1234567890123456",
		"999999999999999"
	};
	static const long long wv[] = {
		0, 1, 9, 10, 0, 123456789012345LL, 1234567890123456LL,
		999999999999999LL
	};
	static const char *const frac[] = { "", ".5", ".05", ".50", ".99", "." };
	static const int fv[] = { 0, 50, 5, 50, 99, 0 };
	char s[64];
	size_t i, j;

	for (i = 0; i < sizeof whole / sizeof whole[0]; i++)
		for (j = 0; j < sizeof frac / sizeof frac[0]; j++) {
			snprintf(s, sizeof s, "%s%s", whole[i], frac[j]);
			CHECK_INT(parse(s), wv[i] * 100 + fv[j]);
		}
	CHECK_STR(reason("1.555"), "\"1.555\" has more than two decimals");
	CHECK_INT(parse("1.550"), 155);
	CHECK_INT(parse("1.5万"), 1500000);
	CHECK_INT(parse("1.5 "), 150);
	CHECK_STR(reason("1.5x"), "\"1.5x\" is not an amount");
	CHECK_STR(reason("1x"), "\"1x\" is not an amount");
	/* too many digits for the quick way: the full parser says why */
	CHECK_STR(reason("1191350105194912310010"), "amount too large");
	CHECK_STR(reason("5555555555555555555555555555555555555555"),
	    "amount too large");
}

static void test_decorated(void)
{
	CHECK_INT(parse("3,803.50"), 380350);
	CHECK_INT(parse("38,000"), 3800000);
	CHECK_INT(parse("1,234,567.89"), 123456789);
	CHECK_INT(parse("3803.5元"), 380350);
	CHECK_INT(parse("3803.5 元"), 380350);
	CHECK_INT(parse("￥3803.5"), 380350);
	CHECK_INT(parse("¥3803.5"), 380350);
	CHECK_INT(parse("￥ 3,803.50 元"), 380350);
	CHECK_INT(parse("-￥5"), -500);
	CHECK_INT(parse("￥-5"), -500);
	CHECK_INT(parse("1.2万"), 1200000);
	CHECK_INT(parse("1.2万元"), 1200000);
	CHECK_INT(parse("12万"), 12000000);
	CHECK_INT(parse("1.23456万"), 1234560);
	CHECK_INT(parse("0.000001万"), 1);
	CHECK_INT(parse("-0.5万"), -500000);
	/* Full-width digits from Chinese input methods. */
	CHECK_INT(parse("１２３.４５"), 12345);
	CHECK_INT(parse("１万"), 1000000);
}

static void test_refused(void)
{
	CHECK_STR(reason(""), "amount is empty");
	CHECK_STR(reason("   "), "amount is empty");
	CHECK_STR(reason("abc"), "\"abc\" is not an amount");
	CHECK_STR(reason(" abc "), "\"abc\" is not an amount");
	CHECK_STR(reason("12.345"), "\"12.345\" has more than two decimals");
	CHECK_STR(reason("0.001"), "\"0.001\" has more than two decimals");
	CHECK_STR(reason("1.2345678万"),
	    "\"1.2345678万\" has more than two decimals in yuan");
	CHECK_STR(reason("1e5"), "\"1e5\" is not an amount");
	CHECK_STR(reason("1E5"), "\"1E5\" is not an amount");
	CHECK_STR(reason("."), "\".\" is not an amount");
	CHECK_STR(reason("1.2.3"), "\"1.2.3\" is not an amount");
	CHECK_STR(reason("-"), "\"-\" is not an amount");
	CHECK_STR(reason("+-5"), "\"+-5\" is not an amount");
	CHECK_STR(reason("--5"), "\"--5\" is not an amount");
	CHECK_STR(reason("-￥-5"), "\"-￥-5\" is not an amount");
	CHECK_STR(reason("￥"), "\"￥\" is not an amount");
	CHECK_STR(reason("元"), "\"元\" is not an amount");
	CHECK_STR(reason("万元"), "\"万元\" is not an amount");
	CHECK_STR(reason("5元万"), "\"5元万\" is not an amount");
	CHECK_STR(reason("5万万"), "\"5万万\" is not an amount");
	CHECK_STR(reason(",5"), "\",5\" is not an amount");
	CHECK_STR(reason("5,"), "\"5,\" is not an amount");
	CHECK_STR(reason("5,.5"), "\"5,.5\" is not an amount");
	CHECK_STR(reason("1.5,0"), "\"1.5,0\" is not an amount");
	CHECK_STR(reason("1 000"), "\"1 000\" is not an amount");
	CHECK_STR(reason("0x10"), "\"0x10\" is not an amount");
	CHECK_STR(reason("NaN"), "\"NaN\" is not an amount");
	CHECK_STR(reason("inf"), "\"inf\" is not an amount");
	CHECK_STR(reason("12\n"), "\"12\n\" is not an amount");
	CHECK_STR(reason("$5"), "\"$5\" is not an amount");
	/* Long input is quoted short, cut on a character boundary. */
	CHECK_STR(reason("一二三四五六七八九十一二三四五六七八九十"),
	    "\"一二三四五六七八九十一二三...\" is not an amount");
}

static void test_limits(void)
{
	CHECK_INT(parse("9000000000000000"), MONEY_MAX);
	CHECK_INT(parse("-9000000000000000"), -MONEY_MAX);
	CHECK_INT(parse("9000000000000000.00"), MONEY_MAX);
	CHECK_INT(parse("900000000000万"), MONEY_MAX);
	CHECK_STR(reason("9000000000000000.01"), "amount too large");
	CHECK_STR(reason("900000000000.000001万"), "amount too large");
	CHECK_STR(reason("9000000000001万"), "amount too large");
	CHECK_STR(reason("99999999999999999999999999999"), "amount too large");
	CHECK_STR(reason("-99999999999999999999999999999.5"),
	    "amount too large");
	/* Syntax is judged before size. */
	CHECK_STR(reason("99999999999999999999999x"),
	    "\"99999999999999999999999x\" is not an amount");
}

static void test_format(void)
{
	char b[32];

	CHECK_STR(fmt(0), "0");
	CHECK_STR(fmt(1), "0.01");
	CHECK_STR(fmt(10), "0.1");
	CHECK_STR(fmt(1200000), "12000");
	CHECK_STR(fmt(380350), "3803.5");
	CHECK_STR(fmt(380351), "3803.51");
	CHECK_STR(fmt(-250), "-2.5");
	CHECK_STR(fmt(-1), "-0.01");
	CHECK_STR(fmt(MONEY_MAX), "9000000000000000");
	CHECK_STR(fmt(LLONG_MIN), "-92233720368547758.08");
	CHECK_STR(fmt(LLONG_MAX), "92233720368547758.07");
	CHECK_STR(fmt2(0), "0.00");
	CHECK_STR(fmt2(1200000), "12000.00");
	CHECK_STR(fmt2(380350), "3803.50");
	CHECK_STR(fmt2(-5), "-0.05");
	CHECK_STR(fmt2(-250), "-2.50");
	CHECK_INT(money_format(b, sizeof b, 380350), 6);
	CHECK_INT(money_format2(b, sizeof b, 380350), 7);
	/* A short buffer is cut, never overrun. */
	CHECK_INT(money_format(b, 4, 380350), 6);
	CHECK_STR(b, "380");
}

/* Every formatted value reads back as itself. */
static void test_round_trip(void)
{
	static const money_t vals[] = {
		0, 1, -1, 9, 10, 99, 100, 101, 380350, -380350, 123456789,
		MONEY_MAX, -MONEY_MAX, MONEY_MAX - 1
	};
	size_t i;
	char b[32];

	for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		money_format(b, sizeof b, vals[i]);
		CHECK_INT(parse(b), vals[i]);
		money_format2(b, sizeof b, vals[i]);
		CHECK_INT(parse(b), vals[i]);
	}
}

/* The point of fen: 100000 times 0.01 is exactly 1000.00. */
static void test_exact_sum(void)
{
	money_t cent = parse("0.01"), sum = 0, third;
	long i;

	for (i = 0; i < 100000; i++)
		sum += cent;
	CHECK_STR(fmt2(sum), "1000.00");
	CHECK_INT(sum, parse("1000"));
	sum = 0;
	for (i = 0; i < 10; i++)
		sum += parse("0.1");
	CHECK_INT(sum, parse("1"));
	third = parse("3803.5") + parse("1.2万") + parse("3,803.50元");
	CHECK_STR(fmt(third), "19607");
}

int main(void)
{
	test_plain();
	test_plain_edges();
	test_decorated();
	test_refused();
	test_limits();
	test_format();
	test_round_trip();
	test_exact_sum();
	return unit_done("money");
}
