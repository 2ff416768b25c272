/*
 * test_roster.c - the roster: desk lists, capacity, counting load by id
 * or name, least-loaded assignment with ties by staff id, and reading a
 * roster file with Chinese headers.
 */
#include <stdio.h>
#include <string.h>

#include "roster.h"
#include "unit.h"

static void test_add(void)
{
	struct roster ro;
	struct err e;

	roster_init(&ro);
	CHECK(roster_add(&ro, "S01", "王芳", "mediator", "调解窗口; 联合调解室", "3", &e) == 0);
	CHECK(roster_add(&ro, "S02", "李强", "inspector", "劳动监察|调解窗口", "", &e) == 0);
	CHECK(roster_add(&ro, "S03", "张伟", "lead", "*", "0", &e) == 0);
	CHECK(roster_add(&ro, "S04", "王芳", "", "仲裁派出庭、法院", NULL, &e) == 0);
	CHECK_INT(ro.n, 4);
	CHECK_INT(ro.s[0].ndesks, 2);
	CHECK_STR(ro.s[0].desks[1], "联合调解室");
	CHECK_INT(ro.s[1].capacity, -1);
	CHECK_INT(ro.s[2].capacity, 0);
	CHECK(ro.s[2].any_desk);
	CHECK_INT(ro.s[3].ndesks, 2);
	CHECK(roster_at_desk(&ro, 3, "法院"));
	CHECK(!roster_at_desk(&ro, 0, "法院"));
	CHECK(roster_add(&ro, "S01", "x", "", "a", "1", &e) < 0);
	CHECK_STR(e.msg, "staff id S01 given twice");
	CHECK(roster_add(&ro, "S09", "x", "", "a", "two", &e) < 0);
	CHECK_STR(e.msg, "S09: capacity \"two\" is not a whole number");
	CHECK(roster_add(&ro, "S09", "x", "", " ; ", "1", &e) < 0);
	CHECK_STR(e.msg, "S09: no desks");
	CHECK(roster_add(&ro, "", "x", "", "a", "1", &e) < 0);
	CHECK_STR(e.msg, "no staff id");
	CHECK_INT(ro.n, 4);
	/* counting: by id, by a name only one person has */
	CHECK_INT(roster_count(&ro, "S02"), 1);
	CHECK_INT(roster_count(&ro, "李强"), 1);
	CHECK_INT(ro.s[1].load, 2);
	CHECK_INT(roster_count(&ro, "王芳"), -1);	/* two people */
	CHECK_INT(roster_count(&ro, "nobody"), -1);
	CHECK_INT(roster_count(&ro, ""), -1);
	roster_free(&ro);
}

static void test_pick(void)
{
	struct roster ro;
	struct err e;
	long i;

	roster_init(&ro);
	/* added out of id order: ties must still go to the smallest id */
	roster_add(&ro, "S03", "c", "", "调解窗口", "2", &e);
	roster_add(&ro, "S01", "a", "", "调解窗口", "2", &e);
	roster_add(&ro, "S02", "b", "", "调解窗口;劳动监察", "1", &e);
	roster_count(&ro, "S01");	/* S01 already has one open case */
	/* loads S03 0, S01 1, S02 0: S02 (tie with S03, smaller id) */
	CHECK_INT(i = roster_pick(&ro, "调解窗口"), 2);
	roster_take(&ro, (size_t)i);
	/* S03 0, S01 1, S02 1 (full) */
	CHECK_INT(i = roster_pick(&ro, "调解窗口"), 0);
	roster_take(&ro, (size_t)i);
	/* all at 1; S02 full: S01 */
	CHECK_INT(i = roster_pick(&ro, "调解窗口"), 1);
	roster_take(&ro, (size_t)i);
	CHECK_INT(i = roster_pick(&ro, "调解窗口"), 0);
	roster_take(&ro, (size_t)i);
	CHECK_INT(roster_pick(&ro, "调解窗口"), -1);	/* everyone full */
	CHECK_INT(roster_pick(&ro, "劳动监察"), -1);	/* S02 full */
	CHECK_INT(roster_pick(&ro, "法院"), -1);	/* nobody sits there */
	roster_free(&ro);
}

static void test_load(void)
{
	const char *path = "/tmp/onedoor-test-roster.csv";
	struct roster ro;
	struct err e;
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs("\xEF\xBB\xBF工号,姓名,岗位,科室,容量\r\n"
	    "S01,王芳,调解员,调解窗口;联合调解室,5\r\n"
	    ",,,,\r\n"
	    "S02,李强,监察员,\"劳动监察,调解窗口\",\r\n", f);
	fclose(f);
	roster_init(&ro);
	CHECK(roster_load(&ro, path, &e) == 0);
	CHECK_INT(ro.n, 2);
	CHECK_STR(ro.s[1].name, "李强");
	CHECK_INT(ro.s[1].ndesks, 2);
	CHECK_INT(ro.s[0].capacity, 5);
	roster_free(&ro);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs("id,name,desks,capacity\nS01,a,x,1\nS02,b,x,-3\n", f);
	fclose(f);
	roster_init(&ro);
	CHECK(roster_load(&ro, path, &e) < 0);
	CHECK_STR(e.msg, "/tmp/onedoor-test-roster.csv:3: S02: capacity \"-3\" is not a whole number");
	roster_free(&ro);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs("id,name,capacity\nS01,a,1\n", f);
	fclose(f);
	roster_init(&ro);
	CHECK(roster_load(&ro, path, &e) < 0);
	CHECK_STR(e.msg, "/tmp/onedoor-test-roster.csv: the header needs an id and a "
	    "desks column (id, name, role, desks, capacity)");
	roster_free(&ro);
	remove(path);
}

int main(void)
{
	test_add();
	test_pick();
	test_load();
	return unit_done("test_roster");
}
