/*
 * test_output.c - the record writer: JSON-lines order, nesting and raw
 * pass-through; CSV quoting, columns, Chinese headers, masking; the
 * spreadsheet flavour; gzip; write errors; reject files; file modes.
 * Expected outputs too long to read inline are in tests/unit/data/output/.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "mem.h"
#include "output.h"
#include "unit.h"

#define DATA "tests/unit/data/output/"

static char dir[64];
static char path[128];

static const char *tmp(const char *name)
{
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

/* The whole file, NUL-terminated, in one of two static buffers used in
 * turn (so two files can be compared); *n its length. */
static const char *slurp(const char *file, size_t *n)
{
	static char bufs[2][1 << 20];
	static int turn;
	char *data = bufs[turn ^= 1];
	FILE *f = fopen(file, "rb");
	size_t len = 0;

	if (f != NULL) {
		len = fread(data, 1, sizeof bufs[0] - 1, f);
		fclose(f);
	}
	data[len] = '\0';
	if (n != NULL)
		*n = len;
	return f != NULL ? data : NULL;
}

/* The file is byte for byte the fixture; on a mismatch the output is
 * kept as /tmp/NAME.got for a look (and a fixture update). */
#define CHECK_FIXTURE(file, name) do { unit_checks++; \
	if (!same_as_fixture(file, name)) { unit_failed++; \
	fprintf(stderr, "%s:%d: %s differs from " DATA "%s, see /tmp/%s.got\n", \
	    __FILE__, __LINE__, file, name, name); } } while (0)

static int same_as_fixture(const char *file, const char *name)
{
	char fix[256], got[256], cmd[600];
	size_t n, m;
	const char *a = slurp(file, &n), *b;

	snprintf(fix, sizeof fix, DATA "%s", name);
	b = slurp(fix, &m);
	if (a != NULL && b != NULL && n == m && memcmp(a, b, n) == 0)
		return 1;
	snprintf(got, sizeof got, "/tmp/%s.got", name);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", file, got);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot copy %s\n", file);
	return 0;
}

/* Write the records with options o into file; returns out_close's result. */
static int write_recs(const char *file, const struct out_opts *o,
    struct rec *r, size_t n, struct err *e)
{
	struct output *out = out_open(file, o, e);
	size_t i;

	if (out == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (out_rec(out, &r[i], e) < 0) {
			out_close(out, NULL);
			return -1;
		}
	return out_close(out, e);
}

static void full_case(struct rec *r)
{
	struct err e;

	rec_init(r);
	/* deliberately out of canonical order */
	rec_set(r, "amount", REC_NUM, "12000.5", 7, &e);
	rec_sets(r, "claimant.phone", "13812345678", &e);
	rec_sets(r, "x_note", "unknown field", &e);
	rec_set(r, "history", REC_RAW, "[]", 2, &e);
	rec_sets(r, "id", "HS-2024-000001", &e);
	rec_sets(r, "claimant.name", "张三", &e);
	rec_sets(r, "claimant.id_no", "440784199001011234", &e);
	rec_set(r, "workers", REC_NUM, "3", 1, &e);
	rec_sets(r, "employer.name", "某某建筑有限公司", &e);
	rec_sets(r, "received_at", "2024-04-11T09:30:00+08:00", &e);
}

static void test_jsonl(void)
{
	struct out_opts o = { 0 };
	struct rec r[2];
	struct err e;
	static const char raw[] = "{ \"id\" : \"A\",  \"amount\":1.50, \"z\":\"\\u5f20\" }";

	full_case(&r[0]);
	rec_init(&r[1]);
	buf_adds(&r[1].raw, raw);
	r[1].rawfmt = FMT_JSONL;
	rec_sets(&r[1], "id", "A", &e);
	r[1].dirty = 0;		/* as the reader leaves it */
	CHECK(write_recs(tmp("a.jsonl"), &o, r, 2, &e) == 0);
	CHECK_STR(slurp(tmp("a.jsonl"), NULL),
	    "{\"id\":\"HS-2024-000001\",\"received_at\":\"2024-04-11T09:30:00+08:00\","
	    "\"claimant\":{\"name\":\"张三\",\"id_no\":\"440784199001011234\","
	    "\"phone\":\"13812345678\"},\"workers\":3,"
	    "\"employer\":{\"name\":\"某某建筑有限公司\"},\"amount\":12000.5,"
	    "\"x_note\":\"unknown field\",\"history\":[]}\n"
	    "{ \"id\" : \"A\",  \"amount\":1.50, \"z\":\"\\u5f20\" }\n");

	/* a changed record is written from its fields */
	rec_sets(&r[1], "status", "new", &e);
	CHECK(write_recs(tmp("b.jsonl"), &o, &r[1], 1, &e) == 0);
	CHECK_STR(slurp(tmp("b.jsonl"), NULL),
	    "{\"id\":\"A\",\"status\":\"new\"}\n");
	rec_free(&r[0]);
	rec_free(&r[1]);
}

static void test_csv_quoting(void)
{
	struct out_opts o = { 0 };
	struct rec r;
	struct err e;

	o.format = FMT_CSV;
	o.fields = "id,summary,amount";
	rec_init(&r);
	rec_sets(&r, "id", "A", &e);
	rec_sets(&r, "summary", "a,b \"q\"\r\nnext", &e);
	rec_set(&r, "amount", REC_NUM, "-5", 2, &e);
	CHECK(write_recs(tmp("q.csv"), &o, &r, 1, &e) == 0);
	CHECK_STR(slurp(tmp("q.csv"), NULL),
	    "id,summary,amount\nA,\"a,b \"\"q\"\"\r\nnext\",-5\n");

	rec_sets(&r, "summary", " padded", &e);
	rec_sets(&r, "id", "trail\t", &e);
	CHECK(write_recs(tmp("q.csv"), &o, &r, 1, &e) == 0);
	CHECK_STR(slurp(tmp("q.csv"), NULL),
	    "id,summary,amount\n\"trail\t\",\" padded\",-5\n");
	rec_free(&r);
}

static void test_csv_columns(void)
{
	struct out_opts o = { 0 };
	struct output *out;
	struct rec r;
	struct err e;

	o.format = FMT_CSV;
	/* no records: still the header, the canonical columns */
	CHECK(write_recs(tmp("h.csv"), &o, NULL, 0, &e) == 0);
	CHECK_FIXTURE(tmp("h.csv"), "header.csv");

	/* all canonical columns; history as one JSON column; masked */
	full_case(&r);
	rec_set(&r, "history", REC_RAW, "[{\"at\":\"x\",\"cmd\":\"case-add\"}]", 29, &e);
	CHECK(write_recs(tmp("f.csv"), &o, &r, 1, &e) == 0);
	CHECK_FIXTURE(tmp("f.csv"), "full.csv");

	/* subset, order, unknown names, blanks around names */
	o.fields = "amount, id ,nosuch,claimant.phone";
	out = out_open(tmp("s.csv"), &o, &e);
	CHECK(out != NULL);
	if (out != NULL) {
		CHECK(out_dropped_field(out) == NULL);
		CHECK(out_rec(out, &r, &e) == 0);
		CHECK_STR(out_dropped_field(out), "x_note");
		CHECK_INT(out_count(out), 1);
		CHECK(out_close(out, &e) == 0);
	}
	CHECK_STR(slurp(tmp("s.csv"), NULL),
	    "amount,id,nosuch,claimant.phone\n12000.5,HS-2024-000001,,138****5678\n");

	/* unmask */
	o.unmask = 1;
	CHECK(write_recs(tmp("s.csv"), &o, &r, 1, &e) == 0);
	CHECK_STR(slurp(tmp("s.csv"), NULL),
	    "amount,id,nosuch,claimant.phone\n12000.5,HS-2024-000001,,13812345678\n");

	/* masking follows the key's last part, whatever the group */
	o.unmask = 0;
	o.fields = "id_no,agent.phone,claimant.id_no";
	CHECK(write_recs(tmp("s.csv"), &o, &r, 1, &e) == 0);
	CHECK_STR(slurp(tmp("s.csv"), NULL),
	    "id_no,agent.phone,claimant.id_no\n,,440784********1234\n");

	/* Chinese labels; unknown names keep their key */
	o.fields = "id,claimant.name,nosuch";
	o.lang = LANG_ZH;
	CHECK(write_recs(tmp("z.csv"), &o, &r, 1, &e) == 0);
	CHECK_STR(slurp(tmp("z.csv"), NULL),
	    "案件编号,申请人,nosuch\nHS-2024-000001,张三,\n");

	o.fields = "id,,amount";
	CHECK(out_open(tmp("bad.csv"), &o, &e) == NULL);
	CHECK(strstr(e.msg, "empty field name") != NULL);
	CHECK(access(tmp("bad.csv"), F_OK) < 0);	/* not created */
	o.fields = "id, ";
	CHECK(out_open(tmp("bad.csv"), &o, &e) == NULL);
	o.fields = ",id";
	CHECK(out_open(tmp("bad.csv"), &o, &e) == NULL);
	CHECK(access(tmp("bad.csv"), F_OK) < 0);
	rec_free(&r);
}

static void test_excel(void)
{
	struct out_opts o = { 0 };
	struct rec r[2];
	struct err e;

	o.format = FMT_CSV;
	o.excel = 1;
	o.unmask = 1;
	o.fields = "id,summary,amount,workers,claimant.id_no,claimant.phone,"
	    "grid,received_at,agreement.at,x";
	rec_init(&r[0]);
	rec_sets(&r[0], "id", "=1+1", &e);
	rec_sets(&r[0], "summary", "@SUM(A1:A9)", &e);
	rec_set(&r[0], "amount", REC_NUM, "-5", 2, &e);
	rec_sets(&r[0], "workers", "-5", &e);		/* text, but a number */
	rec_sets(&r[0], "claimant.id_no", "440784199001011234", &e);
	rec_sets(&r[0], "claimant.phone", "+86 138 1234 5678", &e);
	rec_sets(&r[0], "grid", "0755", &e);
	rec_sets(&r[0], "received_at", "2024-04-11T09:30:15+08:00", &e);
	rec_sets(&r[0], "agreement.at", "2024-04-12", &e);
	rec_sets(&r[0], "x", "\xef\xbc\x9d" "1+1", &e);	/* ＝1+1 */
	rec_init(&r[1]);
	rec_sets(&r[1], "id", "-x", &e);
	rec_sets(&r[1], "summary", "\tcmd|' /C calc'!A0", &e);
	rec_set(&r[1], "amount", REC_NUM, "1234567890123", 13, &e);
	rec_sets(&r[1], "claimant.id_no", "44078419900101123X", &e);
	rec_sets(&r[1], "claimant.phone", "13812345678", &e);
	rec_sets(&r[1], "received_at", "2024-04-11T01:30:00Z", &e);
	rec_sets(&r[1], "x", "  +SUM(1)", &e);
	CHECK(write_recs(tmp("x.csv"), &o, r, 2, &e) == 0);
	CHECK_FIXTURE(tmp("x.csv"), "excel.csv");

	/* an empty spreadsheet still has BOM and header */
	CHECK(write_recs(tmp("x.csv"), &o, NULL, 0, &e) == 0);
	CHECK_STR(slurp(tmp("x.csv"), NULL), "\xef\xbb\xbfid,summary,amount,"
	    "workers,claimant.id_no,claimant.phone,grid,received_at,"
	    "agreement.at,x\r\n");
	rec_free(&r[0]);
	rec_free(&r[1]);
}

static void test_gzip(void)
{
	struct out_opts o = { 0 };
	struct output *out;
	struct rec r;
	struct err e;
	gzFile gz;
	char line[256];
	const char *s;
	int i, ok = 1;
	size_t n;

	rec_init(&r);
	out = out_open(tmp("g.jsonl.gz"), &o, &e);
	CHECK(out != NULL);
	if (out == NULL) {
		rec_free(&r);
		return;
	}
	for (i = 0; i < 5000; i++) {
		rec_setf(&r, "id", REC_STR, &e, "HS-2024-%06d", i);
		if (out_rec(out, &r, &e) < 0)
			ok = 0;
	}
	CHECK(ok);
	CHECK(out_close(out, &e) == 0);
	s = slurp(tmp("g.jsonl.gz"), &n);
	CHECK(n > 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b);
	gz = gzopen(tmp("g.jsonl.gz"), "rb");
	CHECK(gz != NULL);
	for (i = 0; gz != NULL && gzgets(gz, line, sizeof line) != NULL; i++) {
		char want[64];

		snprintf(want, sizeof want, "{\"id\":\"HS-2024-%06d\"}\n", i);
		if (strcmp(line, want) != 0)
			ok = 0;
	}
	CHECK(ok);
	CHECK_INT(i, 5000);
	if (gz != NULL)
		gzclose(gz);

	/* gzip by option, whatever the name */
	o.gzip = 1;
	CHECK(write_recs(tmp("g.out"), &o, &r, 1, &e) == 0);
	s = slurp(tmp("g.out"), &n);
	CHECK(n > 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b);
	rec_free(&r);
}

static void test_write_errors(void)
{
	struct out_opts o = { 0 };
	struct output *out;
	struct rec r;
	struct err e;
	int saved, fd;

	rec_init(&r);
	rec_sets(&r, "id", "A", &e);
	/* buffered: the error shows at the latest in out_close */
	e.sys = 0;
	CHECK(write_recs("/dev/full", &o, &r, 1, &e) < 0);
	CHECK_INT(e.sys, ENOSPC);
	CHECK_STR(e.msg, "/dev/full: write error: No space left on device");

	o.gzip = 1;
	e.sys = 0;
	CHECK(write_recs("/dev/full", &o, &r, 1, &e) < 0);
	CHECK_INT(e.sys, ENOSPC);
	o.gzip = 0;

	/* more than a buffer: out_rec itself fails, and keeps failing */
	out = out_open("/dev/full", &o, &e);
	CHECK(out != NULL);
	if (out == NULL) {
		rec_free(&r);
		return;
	}
	rec_sets(&r, "summary", "................................................"
	    "................................................................", &e);
	{
		int i, first = -1;

		for (i = 0; i < 2000 && first < 0; i++)
			if (out_rec(out, &r, &e) < 0)
				first = i;
		CHECK(first > 0);
		CHECK_INT(e.sys, ENOSPC);
		e.sys = 0;
		CHECK(out_rec(out, &r, &e) < 0);
		CHECK_INT(e.sys, ENOSPC);
	}
	e.sys = 0;
	CHECK(out_close(out, &e) < 0);
	CHECK_INT(e.sys, ENOSPC);

	/* stdout */
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open("/dev/full", O_WRONLY);
	CHECK(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	e.sys = 0;
	CHECK(write_recs("-", &o, &r, 1, &e) < 0);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	CHECK_INT(e.sys, ENOSPC);
	CHECK_STR(e.msg, "stdout: write error: No space left on device");

	/* not a record format */
	o.format = FMT_TABLE;
	CHECK(out_open("-", &o, &e) == NULL);
	CHECK_STR(e.msg, "stdout: records are written as jsonl or csv, not table");
	o.format = FMT_JSONL;

	/* a file that cannot be created */
	CHECK(out_open("/nonexistent/dir/x.jsonl", &o, &e) == NULL);
	CHECK_STR(e.msg, "/nonexistent/dir/x.jsonl: No such file or directory");
	rec_free(&r);
}

static void test_rejects_csv(void)
{
	static const char *const hdr[] = { "申请人", "涉及金额", "备注" };
	struct rejects *rj;
	struct rec r;
	struct err e;

	rec_init(&r);
	rj = rej_open(tmp("rej.csv"), &e);
	CHECK(rj != NULL);
	if (rj == NULL) {
		rec_free(&r);
		return;
	}
	CHECK_STR(slurp(tmp("rej.csv"), NULL), "");	/* exists at once */

	/* untyped reader: raw text and one cell per column */
	buf_adds(&r.raw, "张三,\"1,2万\",\"say \"\"hi\"\"\"\r\n");
	r.rawfmt = FMT_CSV;
	rec_sets(&r, "申请人", "张三", &e);
	rec_sets(&r, "涉及金额", "1,2万", &e);
	rec_sets(&r, "备注", "say \"hi\"", &e);
	CHECK(rej_write(rj, hdr, 3, &r, "amount: not a number", &e) == 0);

	/* a short row: padded so the reason stays in its column */
	rec_clear(&r);
	buf_adds(&r.raw, "李四");
	r.rawfmt = FMT_CSV;
	rec_sets(&r, "申请人", "李四", &e);
	CHECK(rej_write(rj, hdr, 3, &r, "too few cells", &e) == 0);

	/* no raw text: the fields under the header's names */
	rec_clear(&r);
	r.rawfmt = FMT_CSV;
	rec_sets(&r, "备注", "x", &e);
	rec_sets(&r, "申请人", "王五", &e);
	CHECK(rej_write(rj, hdr, 3, &r, "why, \"really\"", &e) == 0);
	CHECK(rej_close(rj, &e) == 0);
	CHECK_STR(slurp(tmp("rej.csv"), NULL),
	    "申请人,涉及金额,备注,reject_reason\n"
	    "张三,\"1,2万\",\"say \"\"hi\"\"\",amount: not a number\n"
	    "李四,,,too few cells\n"
	    "王五,,x,\"why, \"\"really\"\"\"\n");
	rec_free(&r);
}

static void test_rejects_jsonl(void)
{
	struct rejects *rj;
	struct rec r;
	struct err e;

	rec_init(&r);
	rj = rej_open(tmp("rej.jsonl"), &e);
	CHECK(rj != NULL);
	if (rj == NULL) {
		rec_free(&r);
		return;
	}
	buf_adds(&r.raw, "{\"amount\":\"x\",\"claimant\":{\"name\":\"张三\"},\"id\":\"A\"}");
	r.rawfmt = FMT_JSONL;
	rec_sets(&r, "amount", "x", &e);	/* partial: the reader gave up */
	CHECK(rej_write(rj, NULL, 0, &r, "amount: not a number", &e) == 0);

	rec_clear(&r);
	buf_adds(&r.raw, "not json at all");
	r.rawfmt = FMT_JSONL;
	CHECK(rej_write(rj, NULL, 0, &r, "not an object", &e) == 0);

	/* built in memory: the fields; the caller's record is not changed */
	rec_clear(&r);
	rec_sets(&r, "id", "B", &e);
	rec_sets(&r, "status", "closed", &e);
	CHECK(rej_write(rj, NULL, 0, &r, "closed: cannot route", &e) == 0);
	CHECK(rec_get(&r, "reject_reason") == NULL);
	CHECK(rej_close(rj, &e) == 0);
	CHECK_STR(slurp(tmp("rej.jsonl"), NULL),
	    "{\"id\":\"A\",\"claimant\":{\"name\":\"张三\"},\"amount\":\"x\","
	    "\"reject_reason\":\"amount: not a number\"}\n"
	    "{\"reject_reason\":\"not an object\",\"raw\":\"not json at all\"}\n"
	    "{\"id\":\"B\",\"status\":\"closed\",\"reject_reason\":\"closed: cannot route\"}\n");
	rec_free(&r);
}

static int mode_of(const char *file)
{
	struct stat st;

	return stat(file, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void test_modes(void)
{
	struct out_opts o = { 0 };
	struct rejects *rj;
	struct err e;
	mode_t old = umask(022);

	CHECK(write_recs(tmp("m1"), &o, NULL, 0, &e) == 0);
	CHECK_INT(mode_of(tmp("m1")), 0600);
	umask(077);
	CHECK(write_recs(tmp("m2"), &o, NULL, 0, &e) == 0);
	CHECK_INT(mode_of(tmp("m2")), 0600);
	umask(0277);
	CHECK(write_recs(tmp("m3"), &o, NULL, 0, &e) == 0);
	CHECK_INT(mode_of(tmp("m3")), 0400);
	umask(022);
	rj = rej_open(tmp("m4"), &e);
	CHECK(rj != NULL && rej_close(rj, &e) == 0);
	CHECK_INT(mode_of(tmp("m4")), 0600);
	/* an existing file keeps its mode */
	chmod(tmp("m1"), 0644);
	CHECK(write_recs(tmp("m1"), &o, NULL, 0, &e) == 0);
	CHECK_INT(mode_of(tmp("m1")), 0644);
	umask(old);
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_output.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	mem_setup();
	test_jsonl();
	test_csv_quoting();
	test_csv_columns();
	test_excel();
	test_gzip();
	test_write_errors();
	test_rejects_csv();
	test_rejects_jsonl();
	test_modes();
	cleanup();
	return unit_done("output");
}
