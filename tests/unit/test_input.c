/*
 * test_input.c - the reader: encodings, gzip, formats, line numbers and
 * the recovery from bad rows.  Fixtures live in tests/unit/data/input/;
 * small cases are written to a temporary file here.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "mem.h"
#include "record.h"
#include "unit.h"

#define DATA "tests/unit/data/input/"

static char tmp[] = "/tmp/test_input.XXXXXX";

static const char *write_tmp(const char *s, size_t n)
{
	FILE *f = fopen(tmp, "wb");

	if (f == NULL || fwrite(s, 1, n, f) != n || fclose(f) != 0) {
		perror(tmp);
		exit(2);
	}
	return tmp;
}

#define TMP(lit) write_tmp(lit, sizeof lit - 1)

static struct input *open_as(const char *path, int fmt, int enc, int typed)
{
	struct in_opts o = { fmt, enc, typed };
	struct err e;
	struct input *in = in_open(path, &o, &e);

	if (in == NULL)
		fprintf(stderr, "in_open: %s\n", e.msg);
	return in;
}

static void test_csv_basics(void)
{
	struct rec r;
	struct err e;
	struct input *in;
	const char *const *h;
	size_t nh;

	rec_init(&r);
	/* BOM, CRLF, spaces in the header, a quoted newline, a blank line */
	in = open_as(TMP("\xef\xbb\xbf" " a ,b,c\r\n1, x ,\"q\r\nr\"\r\n\r\n4,5,6\r\n"),
	    FMT_AUTO, ENC_AUTO, 0);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	CHECK_INT(in_format(in), FMT_CSV);
	CHECK_INT(in_encoding(in), ENC_UTF8);
	h = in_header(in, &nh);
	CHECK_INT(nh, 3);
	CHECK_STR(h[0], "a");
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 2);
	CHECK_INT(r.n, 3);
	CHECK_STR(rec_get(&r, "b"), " x ");
	CHECK_STR(rec_get(&r, "c"), "q\r\nr");
	CHECK_STR(r.raw.p, "1, x ,\"q\r\nr\"");
	CHECK_INT(r.rawfmt, FMT_CSV);
	CHECK_INT(r.dirty, 0);
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 5);
	CHECK_STR(rec_get(&r, "a"), "4");
	CHECK_INT(in_next(in, &r, &e), IN_EOF);
	in_close(in);

	/* empty and header-only files: no records */
	in = open_as(TMP(""), FMT_CSV, ENC_AUTO, 0);
	CHECK(in != NULL && in_next(in, &r, &e) == IN_EOF);
	in_close(in);
	in = open_as(TMP("a,b\n"), FMT_AUTO, ENC_AUTO, 0);
	CHECK(in != NULL && in_next(in, &r, &e) == IN_EOF);
	in_close(in);

	/* duplicate header names */
	{
		struct in_opts o = { FMT_CSV, ENC_AUTO, 0 };

		CHECK(in_open(TMP("a,b,a\n1,2,3\n"), &o, &e) == NULL);
		CHECK(strstr(e.msg, ":1: duplicate column a") != NULL);
	}
	rec_free(&r);
}

static void test_csv_bad_rows(void)
{
	struct rec r;
	struct err e;
	struct input *in;

	rec_init(&r);
	in = open_as(TMP("a,b\n1,2,3\n4,\"5\nx\n6,7\n8,9\"z\n10,11\n12,\"un\n13,14\n"),
	    FMT_CSV, ENC_AUTO, 0);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	/* ragged: the cells are kept, the extra one under "" */
	CHECK_INT(in_next(in, &r, &e), IN_BAD);
	CHECK_STR(e.msg, strcat(strcpy((char[128]){0}, tmp), ":2: 3 fields, header has 2"));
	CHECK_INT(r.line, 2);
	CHECK_INT(r.n, 3);
	CHECK_STR(rec_key(&r, 2), "");
	CHECK_STR(r.raw.p, "1,2,3");
	/* a quote swallows lines up to a stray quote: one bad row, then the
	 * lines it swallowed are read again */
	CHECK_INT(in_next(in, &r, &e), IN_BAD);
	CHECK_INT(r.line, 3);
	CHECK(strstr(e.msg, ":3: text after closing quote") != NULL);
	CHECK_STR(r.raw.p, "4,\"5");
	CHECK_INT(in_next(in, &r, &e), IN_BAD);	/* "x": ragged */
	CHECK_INT(r.line, 4);
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 5);
	CHECK_STR(rec_get(&r, "b"), "7");
	/* a quote inside a cell that does not start with one is text */
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 6);
	CHECK_STR(rec_get(&r, "b"), "9\"z");
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 7);
	/* unterminated quote at the end: reported, later rows still read */
	CHECK_INT(in_next(in, &r, &e), IN_BAD);
	CHECK(strstr(e.msg, ":8: unterminated quoted field") != NULL);
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 9);
	CHECK_STR(rec_get(&r, "a"), "13");
	CHECK_INT(in_next(in, &r, &e), IN_EOF);
	in_close(in);
	rec_free(&r);
}

static void test_csv_limits(void)
{
	struct rec r;
	struct err e;
	struct input *in;
	size_t big = IN_MAX_FIELD + 10, n;
	char *s = malloc(big + 64);

	rec_init(&r);
	n = (size_t)sprintf(s, "a,b\n1,");
	memset(s + n, 'x', big);
	n += big;
	n += (size_t)sprintf(s + n, "\n2,3\n");
	in = open_as(write_tmp(s, n), FMT_CSV, ENC_AUTO, 0);
	CHECK(in != NULL);
	if (in != NULL) {
		CHECK_INT(in_next(in, &r, &e), IN_BAD);
		CHECK(strstr(e.msg, ":2: b (column 2): field longer than 1 MiB") != NULL);
		CHECK_INT(in_next(in, &r, &e), IN_REC);
		CHECK_INT(r.line, 3);
		CHECK_INT(in_next(in, &r, &e), IN_EOF);
		in_close(in);
	}
	/* invalid UTF-8 and NUL bytes spoil their row only; a forced
	 * UTF-8 encoding keeps the invalid row from switching to GB18030 */
	in = open_as(TMP("a,b\n1,\xff\n2,x\0y\n3,4\n"), FMT_CSV, ENC_UTF8, 0);
	CHECK(in != NULL);
	if (in != NULL) {
		CHECK_INT(in_next(in, &r, &e), IN_BAD);
		CHECK(strstr(e.msg, ":2: invalid UTF-8") != NULL);
		CHECK_INT(in_next(in, &r, &e), IN_BAD);
		CHECK(strstr(e.msg, ":3: NUL byte") != NULL);
		CHECK_INT(in_next(in, &r, &e), IN_REC);
		CHECK_STR(rec_get(&r, "a"), "3");
		in_close(in);
	}
	free(s);
	rec_free(&r);
}

static void test_csv_typed(void)
{
	struct rec r;
	struct err e;
	struct input *in;

	rec_init(&r);
	in = open_as(TMP("id,workers,amount,history,note\n"
	    "A,12,3803.5,\"[{\"\"at\"\":1}]\",\n"
	    "B,abc,,,\n"
	    "C,1,2,[1,\n"
	    "D,,,,hi\n"), FMT_AUTO, ENC_AUTO, 1);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.n, 4);		/* empty note left out */
	CHECK_INT(rec_type(&r, "workers"), REC_NUM);
	CHECK_INT(rec_type(&r, "amount"), REC_NUM);
	CHECK_INT(rec_type(&r, "history"), REC_RAW);
	CHECK_STR(rec_get(&r, "history"), "[{\"at\":1}]");
	CHECK_INT(in_next(in, &r, &e), IN_BAD);
	CHECK(strstr(e.msg, ":3: workers: \"abc\" is not a number") != NULL);
	CHECK_STR(rec_get(&r, "workers"), "abc");	/* the cells as read */
	CHECK_INT(in_next(in, &r, &e), IN_BAD);	/* "[1," then ragged */
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_STR(rec_get(&r, "note"), "hi");
	CHECK_INT(r.line, 5);
	in_close(in);

	in = open_as(TMP("id,history\nA,\"[1,\"\nB,\"{\"\"a\"\":1,\"\"a\"\":2}\"\n"),
	    FMT_AUTO, ENC_AUTO, 1);
	CHECK(in != NULL);
	if (in != NULL) {
		CHECK_INT(in_next(in, &r, &e), IN_BAD);
		CHECK(strstr(e.msg, ":2: history: not valid JSON") != NULL);
		CHECK_INT(in_next(in, &r, &e), IN_BAD);
		CHECK(strstr(e.msg, "duplicate key") != NULL);
		in_close(in);
	}
	rec_free(&r);
}

static void test_gb18030(void)
{
	struct rec r;
	struct err e;
	struct input *in;

	rec_init(&r);
	in = open_as(DATA "gb18030.csv", FMT_AUTO, ENC_AUTO, 0);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	CHECK_INT(in_encoding(in), ENC_GB18030);
	CHECK_STR(in_header(in, NULL)[0], "申请人");
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_STR(rec_get(&r, "申请人"), "张三");
	CHECK_STR(rec_get(&r, "涉及金额"), "1.2万元");
	CHECK_STR(r.raw.p, "张三,12,\"1.2万元\",欠薪");
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 3);
	CHECK_STR(rec_get(&r, "案由"), "工程款\r\n拖欠");
	CHECK_INT(in_next(in, &r, &e), IN_EOF);
	in_close(in);

	/* a byte that is not GB18030 spoils its row, named by line */
	in = open_as(TMP("a,b\n1,\xd5\xc5\n2,\xff\n3,x\n"), FMT_AUTO, ENC_GB18030, 0);
	CHECK(in != NULL);
	if (in != NULL) {
		CHECK_INT(in_next(in, &r, &e), IN_REC);
		CHECK_STR(rec_get(&r, "b"), "张");
		CHECK_INT(in_next(in, &r, &e), IN_BAD);
		CHECK(strstr(e.msg, ":3: invalid GB18030 byte") != NULL);
		CHECK_INT(in_next(in, &r, &e), IN_REC);
		CHECK_STR(rec_get(&r, "a"), "3");
		in_close(in);
	}
	rec_free(&r);
}

static void test_gzip(void)
{
	struct rec r;
	struct err e;
	struct input *in;
	int rc, fd, saved;
	long n = 0;
	char want[64];

	rec_init(&r);
	in = open_as(DATA "many.jsonl.gz", FMT_AUTO, ENC_AUTO, 0);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	CHECK_INT(in_bytes_total(in), -1);
	while ((rc = in_next(in, &r, &e)) == IN_REC)
		if (++n == 3000)
			CHECK_INT(r.line, 3000);
	CHECK_INT(rc, IN_EOF);
	CHECK_INT(n, 3000);
	in_close(in);

	/* gzip on stdin */
	saved = dup(0);
	fd = open(DATA "many.jsonl.gz", O_RDONLY);
	CHECK(fd >= 0 && dup2(fd, 0) == 0);
	close(fd);
	in = open_as("-", FMT_AUTO, ENC_AUTO, 0);
	CHECK(in != NULL);
	if (in != NULL) {
		CHECK_STR(in_name(in), "stdin");
		n = 0;
		while ((rc = in_next(in, &r, &e)) == IN_REC)
			n++;
		CHECK_INT(n, 3000);
		CHECK_STR(r.file, "stdin");
		in_close(in);
	}
	dup2(saved, 0);
	close(saved);

	/* truncated: the records before the break, then the line it broke */
	in = open_as(DATA "truncated.jsonl.gz", FMT_AUTO, ENC_AUTO, 0);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	n = 0;
	while ((rc = in_next(in, &r, &e)) == IN_REC)
		n++;
	CHECK_INT(rc, IN_FATAL);
	CHECK(n > 100);
	snprintf(want, sizeof want, ":%ld: truncated gzip input", n + 1);
	CHECK(strstr(e.msg, want) != NULL);
	in_close(in);
	rec_free(&r);
}

static void test_jsonl(void)
{
	struct rec r;
	struct err e;
	struct input *in;
	size_t n;
	char *s;

	rec_init(&r);
	in = open_as(TMP("\n  {\"a\":1,\"b\":{\"c\":\"x\"}}\r\n\n \t\n{\"a\":2}\n"
	    "[1]\n{\"a\":1,\"a\":2}\n{\"d\":\"\xff\"}\n{\"e\":\"x\\u0000\"}\n{\"z\":0}"),
	    FMT_AUTO, ENC_UTF8, 0);
	CHECK(in != NULL);
	if (in == NULL)
		return;
	CHECK_INT(in_format(in), FMT_JSONL);
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 2);
	CHECK_STR(r.raw.p, "  {\"a\":1,\"b\":{\"c\":\"x\"}}");
	CHECK_STR(rec_get(&r, "b.c"), "x");
	CHECK_INT(r.dirty, 0);
	CHECK_INT(r.rawfmt, FMT_JSONL);
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.line, 5);
	CHECK_INT(in_next(in, &r, &e), IN_BAD);
	CHECK(strstr(e.msg, ":6: not a JSON object") != NULL);
	CHECK_STR(r.raw.p, "[1]");
	CHECK_INT(in_next(in, &r, &e), IN_BAD);
	CHECK(strstr(e.msg, ":7: duplicate key \"a\"") != NULL);
	CHECK_INT(in_next(in, &r, &e), IN_BAD);
	CHECK(strstr(e.msg, ":8: d: invalid UTF-8") != NULL);
	CHECK_INT(in_next(in, &r, &e), IN_BAD);
	CHECK(strstr(e.msg, ":9: e: \\u0000") != NULL);
	CHECK_INT(in_next(in, &r, &e), IN_REC);	/* no final newline */
	CHECK_INT(r.line, 10);
	CHECK_INT(in_next(in, &r, &e), IN_EOF);
	in_close(in);

	/* a line over the limit is dropped up to its newline */
	s = malloc(IN_MAX_LINE + 100);
	n = (size_t)sprintf(s, "{\"a\":1}\n{\"s\":\"");
	memset(s + n, 'y', IN_MAX_LINE);
	n += IN_MAX_LINE;
	n += (size_t)sprintf(s + n, "\"}\n{\"a\":3}\n");
	in = open_as(write_tmp(s, n), FMT_AUTO, ENC_AUTO, 0);
	CHECK(in != NULL);
	if (in != NULL) {
		CHECK_INT(in_bytes_total(in), (long long)n);
		CHECK_INT(in_next(in, &r, &e), IN_REC);
		CHECK_INT(in_next(in, &r, &e), IN_BAD);
		CHECK(strstr(e.msg, ":2: line longer than 4 MiB") != NULL);
		CHECK_INT(in_next(in, &r, &e), IN_REC);
		CHECK_INT(r.line, 3);
		CHECK_STR(rec_get(&r, "a"), "3");
		CHECK_INT(in_next(in, &r, &e), IN_EOF);
		CHECK_INT(in_bytes_done(in), (long long)n);
		in_close(in);
	}
	free(s);

	/* forced CSV on '{' data, and a missing file */
	in = open_as(TMP("{a}\n1\n"), FMT_CSV, ENC_AUTO, 0);
	CHECK(in != NULL && in_format(in) == FMT_CSV);
	in_close(in);
	{
		struct in_opts o = { 0, 0, 0 };

		CHECK(in_open(DATA "no-such-file", &o, &e) == NULL);
		CHECK(strstr(e.msg, "no-such-file: No such file") != NULL);
	}
	rec_free(&r);
}

int main(void)
{
	int fd;

	mem_setup();
	if ((fd = mkstemp(tmp)) < 0) {
		perror("mkstemp");
		return 2;
	}
	close(fd);
	test_csv_basics();
	test_csv_bad_rows();
	test_csv_limits();
	test_csv_typed();
	test_gb18030();
	test_gzip();
	test_jsonl();
	unlink(tmp);
	return unit_done("input");
}
