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

#include <jansson.h>

#include "cli.h"
#include "filter.h"
#include "route.h"
#include "scratch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cli cli;
static struct route_opts ro;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e;

	(void)argc;
	(void)argv;
	scratch_make("fuzz-route", 3);
	scratch_cli(&cli, "case-route");
	/* a store is JSON lines (sniffed, any other first byte means CSV,
	 * whose bad header is rightly fatal: no row can be read without it) */
	cli.in.format = FMT_JSONL;
	if (cli_finish(&cli, &e) < 0)
		abort();
	if ((ro.rules = route_rules(NULL, say_why, NULL, &e)) == NULL)
		abort();
	ro.now = cli.now;
	ro.say = say_why;
	return 0;
}

/* 1 routed, 0 the whole file refused as input.h allows. */
static int route(const char *in, const char *out, struct filter_stats *fs)
{
	struct route_stats rs;
	struct err e;
	char *files[1];

	files[0] = (char *)in;
	cli.output = out;
	memset(fs, 0, sizeof *fs);
	/* nothing in the input may make it fatal but a whole file's refusal */
	if (route_run(&cli, files, 1, &ro, fs, &rs, &e) < 0) {
		if (whole_file_refused(e.msg))
			return 0;
		abort();
	}
	if (fs->in != fs->out)
		abort();
	return 1;
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
	char *out, *again;
	size_t n, m;

	scratch_put(scratch[0], data, size);
	if (!route(scratch[0], scratch[1], &one))
		return 0;
	out = scratch_get(scratch[1], &n);
	if (objects(out, n) != one.out)
		abort();
	if (!route(scratch[1], scratch[2], &two))
		abort();	/* its own output is never refused */
	again = scratch_get(scratch[2], &m);
	if (two.bad != 0 || two.changed != 0 || two.in != one.out ||
	    m != n || memcmp(out, again, n) != 0)
		abort();
	free(out);
	free(again);
	return 0;
}
