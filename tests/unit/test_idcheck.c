/*
 * test_idcheck.c - unit tests of lib/idcheck.c: resident id numbers,
 * unified social credit codes, phone numbers and the masks, with the
 * messages a rejected value gets.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idcheck.h"
#include "unit.h"

/* 2024-04-11T12:00:00+08:00: the "now" of every birth-date check. */
#define NOW	1712808000LL

static const char *id(const char *s)
{
	static struct err e;

	if (idcheck_resident(s, NOW, &e) == 0)
		return "ok";
	return e.msg;
}

static const char *credit(const char *s)
{
	static struct err e;

	if (idcheck_credit_code(s, &e) == 0)
		return "ok";
	return e.msg;
}

static const char *phone(const char *s)
{
	static struct err e;

	if (idcheck_phone(s, &e) == 0)
		return "ok";
	return e.msg;
}

static const char *mask_id(const char *s)
{
	static char b[128];

	idcheck_mask_id(s, b, sizeof b);
	return b;
}

static const char *mask_phone(const char *s)
{
	static char b[128];

	idcheck_mask_phone(s, b, sizeof b);
	return b;
}

static void test_resident(void)
{
	CHECK_STR(id("11010519491231002X"), "ok");
	CHECK_STR(id("11010519491231002x"), "ok");
	CHECK_STR(id("440784199001011237"), "ok");
	CHECK_STR(id("44078419900101004X"), "ok");
	CHECK_STR(id("44078420000229123X"), "ok");	/* a leap day */
	CHECK_STR(id("440784190001011236"), "ok");	/* the first day */
	CHECK_STR(id("440784202404111237"), "ok");	/* born today */
	CHECK_STR(id("440784199001010007"), "ok");	/* check 7 */

	CHECK_STR(id("440784199001011238"), "check character should be 7");
	CHECK_STR(id("44078419900101123X"), "check character should be 7");
	CHECK_STR(id("110105194912310020"), "check character should be X");
	CHECK_STR(id("440784199001010040"), "check character should be X");
	/* A swapped pair of digits is caught by the weights. */
	CHECK_STR(id("440784199001011327"), "check character should be 5");
	CHECK_STR(id("440784199002301236"), "birth date 19900230 does not exist");
	CHECK_STR(id("440784199013011236"), "birth date 19901301 does not exist");
	CHECK_STR(id("440784189912311231"), "birth date 18991231 is before 1900");
	CHECK_STR(id("440784202404121232"),
	    "birth date 20240412 is in the future");
	CHECK_STR(id("440784900101123"), "18 characters expected, got 15");
	CHECK_STR(id(""), "18 characters expected, got 0");
	CHECK_STR(id("4407841990010112370"), "18 characters expected, got 19");
	CHECK_STR(id(" 440784199001011237"), "18 characters expected, got 19");
	CHECK_STR(id("44078419900101123７"), "18 characters expected, got 18");
	CHECK_STR(id("4407841990O1011237"), "'O' (character 11) is not a digit");
	CHECK_STR(id("44078419900101123Y"),
	    "'Y' (character 18) is not a digit or X");
	CHECK_STR(id("44078419900101 237"), "character 15 is not a digit");
	CHECK_STR(id("X40784199001011237"), "'X' (character 1) is not a digit");

	CHECK(idcheck_resident_check("11010519491231002") == 'X');
	CHECK(idcheck_resident_check("44078419900101123") == '7');
	CHECK(idcheck_resident_check("4407841990010112") == '\0');
	CHECK(idcheck_resident_check("4407841990010112a") == '\0');
}

static void test_credit(void)
{
	CHECK_STR(credit("91350100M000100Y43"), "ok");
	CHECK_STR(credit("91110000802100433B"), "ok");
	CHECK_STR(credit("9144030071526726XG"), "ok");
	CHECK_STR(credit("12100000400000000W"), "ok");
	CHECK_STR(credit("Y1110000000000000Q"), "ok");
	/* sum mod 31 = 0: 31 - 0 = 31 is written 0. */
	CHECK_STR(credit("000000000000000000"), "ok");

	CHECK_STR(credit("91350100M000100Y44"), "check character should be 3");
	CHECK_STR(credit("91350100M000100Y4A"), "check character should be 3");
	CHECK_STR(credit("91350100M000100Y4"), "18 characters expected, got 17");
	CHECK_STR(credit("91350100M000100Y433"),
	    "18 characters expected, got 19");
	CHECK_STR(credit("91350100m000100Y43"),
	    "'m' (character 9) is not allowed in a credit code (capitals only)");
	CHECK_STR(credit("91350100I000100Y43"),
	    "'I' (character 9) is not allowed in a credit code");
	CHECK_STR(credit("91350100O000100Y43"),
	    "'O' (character 9) is not allowed in a credit code");
	CHECK_STR(credit("91350100S000100Y43"),
	    "'S' (character 9) is not allowed in a credit code");
	CHECK_STR(credit("91350100V000100Y43"),
	    "'V' (character 9) is not allowed in a credit code");
	CHECK_STR(credit("91350100Z000100Y43"),
	    "'Z' (character 9) is not allowed in a credit code");
	CHECK_STR(credit("91350100-000100Y43"),
	    "'-' (character 9) is not allowed in a credit code");
	CHECK_STR(credit("91350100 000100Y43"),
	    "character 9 is not allowed in a credit code");

	CHECK(idcheck_credit_check("91350100M000100Y4") == '3');
	CHECK(idcheck_credit_check("00000000000000000") == '0');
	CHECK(idcheck_credit_check("91350100M000100Y") == '\0');
	CHECK(idcheck_credit_check("91350100I000100Y4") == '\0');
}

static void test_phone(void)
{
	CHECK_STR(phone("13812345678"), "ok");
	CHECK_STR(phone("19912345678"), "ok");
	CHECK_STR(phone("138 1234 5678"), "ok");
	CHECK_STR(phone("138-1234-5678"), "ok");
	CHECK_STR(phone("+86 138 1234 5678"), "ok");
	CHECK_STR(phone("+8613812345678"), "ok");
	CHECK_STR(phone("8613812345678"), "ok");
	CHECK_STR(phone("008613812345678"), "ok");
	CHECK_STR(phone("010-12345678"), "ok");
	CHECK_STR(phone("(010)12345678"), "ok");
	CHECK_STR(phone("0755-1234567"), "ok");
	CHECK_STR(phone("0755-12345678"), "ok");
	CHECK_STR(phone("010-12345678-123"), "ok");
	CHECK_STR(phone("010-12345678转123"), "ok");
	CHECK_STR(phone("+86 10 1234 5678"), "ok");
	CHECK_STR(phone("+86 755 1234 5678"), "ok");
	CHECK_STR(phone("+86 010 1234 5678"), "ok");
	CHECK_STR(phone("+86 10 12345678-88"), "ok");
	CHECK_STR(phone("12345"), "ok");
	CHECK_STR(phone("12333"), "ok");
	CHECK_STR(phone("95588"), "ok");
	CHECK_STR(phone("400-123-4567"), "ok");
	CHECK_STR(phone("800 123 4567"), "ok");

	CHECK_STR(phone(""), "phone number has no digits");
	CHECK_STR(phone(" - "), "phone number has no digits");
	CHECK_STR(phone("1381234567"), "mobile numbers have 11 digits, got 10");
	CHECK_STR(phone("138123456789"),
	    "mobile numbers have 11 digits, got 12");
	CHECK_STR(phone("12812345678"), "no mobile number starts with 12");
	CHECK_STR(phone("010-1234567"), "ok");		/* 0 + 2 + 7 digits */
	CHECK_STR(phone("010-123456"),
	    "landline numbers have 10 to 12 digits with the area code, got 9");
	CHECK_STR(phone("12345678"), "area code missing");
	CHECK_STR(phone("1234567890"), "mobile numbers have 11 digits, got 10");
	CHECK_STR(phone("2345678"), "area code missing");
	CHECK_STR(phone("+1 415 555 0100"),
	    "only mainland numbers (+86) are accepted");
	CHECK_STR(phone("+"), "only mainland numbers (+86) are accepted");
	CHECK_STR(phone("138x1234x5678"),
	    "'x' (character 4) is not allowed in a phone number");
	CHECK_STR(phone("138.1234.5678"),
	    "'.' (character 4) is not allowed in a phone number");
	CHECK_STR(phone("138 1234 5678 +"),
	    "'+' (character 15) is not allowed in a phone number");
	CHECK_STR(phone("电话13812345678"),
	    "character 1 is not allowed in a phone number");
	CHECK_STR(phone("13812345678-12"),
	    "mobile numbers have 11 digits, got 13");
	CHECK_STR(phone("010-12345678-1234567"),
	    "landline numbers have 10 to 12 digits with the area code, got 18");
	CHECK_STR(phone("1234567890123456789012345"),
	    "too many digits for a phone number");
	CHECK_STR(phone("4001234567"), "ok");
	CHECK_STR(phone("40012345"), "area code missing");
	CHECK_STR(phone("123456"), "not a phone number (6 digits)");
	CHECK_STR(phone("23456"), "not a phone number (5 digits)");
}

static void test_masks(void)
{
	char small[8];

	CHECK_STR(mask_id("440784199001011234"), "440784********1234");
	CHECK_STR(mask_id("11010519491231002X"), "110105********002X");
	CHECK_STR(mask_id("91350100M000100Y43"), "913501********0Y43");
	CHECK_STR(mask_id("12345678901"), "123456*8901");
	CHECK_STR(mask_id("1234567890"), "**********");
	CHECK_STR(mask_id("123"), "***");
	CHECK_STR(mask_id(""), "");
	CHECK_STR(mask_id("张三李四王五赵六钱七孙八"), "张三李四王五**钱七孙八");
	CHECK_STR(mask_id("张三"), "**");
	idcheck_mask_id("440784199001011234", small, sizeof small);
	CHECK_STR(small, "440784*");

	CHECK_STR(mask_phone("13812345678"), "138****5678");
	CHECK_STR(mask_phone("138 1234 5678"), "138 **** 5678");
	CHECK_STR(mask_phone("+86 138-1234-5678"), "+86 138-****-5678");
	CHECK_STR(mask_phone("8613812345678"), "86138****5678");
	CHECK_STR(mask_phone("010-12345678"), "010-****5678");
	CHECK_STR(mask_phone("010-12345678-123"), "010-****5678-123");
	CHECK_STR(mask_phone("0755-1234567"), "075*-***4567");
	CHECK_STR(mask_phone("400-123-4567"), "400-***-4567");
	CHECK_STR(mask_phone("12345"), "*****");
	CHECK_STR(mask_phone("1234567"), "*******");
	CHECK_STR(mask_phone("12345678"), "123*5678");
	CHECK_STR(mask_phone("电话13812345678"), "*************");
	CHECK_STR(mask_phone(""), "");
	idcheck_mask_phone("13812345678", small, sizeof small);
	CHECK_STR(small, "138****");
	idcheck_mask_phone("13812345678", small, 1);
	CHECK_STR(small, "");
}

int main(void)
{
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	test_resident();
	test_credit();
	test_phone();
	test_masks();
	return unit_done("idcheck");
}
