/*
 * fuzz_route.c - libFuzzer target for case-route over arbitrary stores,
 * with the built-in rules, law table and calendar: the whole filter
 * (reader, rules, deadlines, writer) as a pipeline runs it.
 *
 * Whatever the input: the run must not fail (bad lines are reported and
 * counted, not fatal); records in = records out; every line written is
 * a JSON object jansson reads; and case-route run again over its own
 * output must read every record back, change nothing and write the same
 * bytes, as the next step of a pipeline or a second cron run would.
 * Besides, nothing may crash, leak or overflow (UBSan).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_route.c \
 *       lib/[a-z]*.c -lcsv -ljansson -lz -lm
 *   ./a.out tests/fuzz/corpus/route
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "filter.h"
#include "route.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cli cli;
static struct route_opts ro;
static char path[3][32] = {
	"fuzz-route-in.XXXXXX", "fuzz-route-out.XXXXXX", "fuzz-route-again.XXXXXX"
};

static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	if (msg == NULL || *msg == '\0')
		abort();	/* every refusal says why */
}

/* The files go when the fuzzer does. */
static void remove_files(void)
{
	int i;

	for (i = 0; i < 3; i++)
		unlink(path[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e;
	int i, fd;

	(void)argc;
	(void)argv;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	for (i = 0; i < 3; i++) {
		if ((fd = mkstemp(path[i])) < 0)
			abort();
		close(fd);
	}
	atexit(remove_files);
	cli_init(&cli, "case-route");
	cli.now_arg = "2024-04-30T12:00:00+08:00";
	cli.quiet = 1;
	cli.progress = 0;
	/* a store is JSON lines (sniffed, any other first byte means CSV,
	 * whose bad header is rightly fatal: no row can be read without it) */
	cli.in.format = FMT_JSONL;
	if (cli_finish(&cli, &e) < 0)
		abort();
	if ((ro.rules = route_rules(NULL, quiet, NULL, &e)) == NULL)
		abort();
	ro.now = cli.now;
	ro.say = quiet;
	return 0;
}

/* The whole file at p, malloc'd, its length in *n. */
static char *slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	char *s = NULL;
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (s = malloc((size_t)len + 1)) == NULL ||
	    fread(s, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	*n = (size_t)len;
	return s;
}

static void route(const char *in, const char *out, struct filter_stats *fs)
{
	struct route_stats rs;
	struct err e;
	char *files[1];

	files[0] = (char *)in;
	cli.output = out;
	memset(fs, 0, sizeof *fs);
	if (route_run(&cli, files, 1, &ro, fs, &rs, &e) < 0)
		abort();	/* nothing in the input may make it fatal */
	if (fs->in != fs->out)
		abort();
}

/* Each line a JSON object; returns how many. */
static long long objects(const char *s, size_t n)
{
	const char *end = s + n, *nl;
	long long k = 0;
	json_error_t je;
	json_t *o;

	for (; s < end; s = nl + 1, k++) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			abort();	/* every line is ended */
		o = json_loadb(s, (size_t)(nl - s), JSON_REJECT_DUPLICATES, &je);
		if (!json_is_object(o))
			abort();
		json_decref(o);
	}
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter_stats one, two;
	FILE *f;
	char *out, *again;
	size_t n, m;

	if ((f = fopen(path[0], "wb")) == NULL ||
	    (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
	route(path[0], path[1], &one);
	out = slurp(path[1], &n);
	if (objects(out, n) != one.out)
		abort();
	route(path[1], path[2], &two);
	again = slurp(path[2], &m);
	if (two.bad != 0 || two.changed != 0 || two.in != one.out ||
	    m != n || memcmp(out, again, n) != 0)
		abort();
	free(out);
	free(again);
	return 0;
}
