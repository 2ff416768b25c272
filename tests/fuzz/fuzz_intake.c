/*
 * fuzz_intake.c - libFuzzer target for case-add over arbitrary intake
 * files: the door every outside row comes in by.
 *
 * The first byte picks the input format (sniffed, CSV, JSON-lines); the
 * rest is the intake file.  Whatever it holds: JSON-lines never make the
 * run fail (rows stand alone), while CSV may fail only on its header;
 * every row is added, rejected or known (rows = added + rejected +
 * known); every line written is a JSON object that jansson and our own
 * scanner read (the next command's input); every case has its own id;
 * and a possible_duplicate_of names a case written before it.  Besides,
 * nothing may crash, leak or overflow (UBSan).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_intake.c \
 *       lib/[a-z]*.c -lcsv -ljansson -lz -lm
 *   ./a.out tests/fuzz/corpus/intake
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "intake.h"
#include "jsonio.h"
#include "record.h"
#include "scratch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cli cli;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e;

	(void)argc;
	(void)argv;
	scratch_make("fuzz-intake", 3);
	scratch_cli(&cli, "case-add");
	cli.output = scratch[1];
	cli.rejects = scratch[2];
	if (cli_finish(&cli, &e) < 0)
		abort();
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when id is among ids[0, n) (sorted). */
static int known_id(char **ids, size_t n, const char *id)
{
	return n > 0 && bsearch(&id, ids, n, sizeof *ids, by_str) != NULL;
}

/* The written cases: each a JSON object both readers take, ids unique,
 * hints naming a case written before; returns how many. */
static long long check_cases(const char *s, size_t n)
{
	const char *end = s + n, *nl, *id, *dup;
	char **ids = NULL;
	size_t k = 0, i;
	json_error_t je;
	json_t *o;
	struct rec r;
	struct err e;

	for (; s < end; s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			abort();	/* every line is ended */
		o = json_loadb(s, (size_t)(nl - s), JSON_REJECT_DUPLICATES, &je);
		rec_init(&r);
		if (!json_is_object(o) ||
		    jsonio_scan(s, (size_t)(nl - s), &r, &e) < 0)
			abort();
		rec_free(&r);
		id = json_string_value(json_object_get(o, "id"));
		dup = json_string_value(json_object_get(o, "possible_duplicate_of"));
		if (id == NULL)
			abort();
		/* ids[0, k) sorted: a hint names one of them, the id none */
		if ((dup != NULL && !known_id(ids, k, dup)) || known_id(ids, k, id))
			abort();
		if ((ids = realloc(ids, (k + 1) * sizeof *ids)) == NULL ||
		    (ids[k] = strdup(id)) == NULL)
			abort();
		k++;
		qsort(ids, k, sizeof *ids, by_str);
		json_decref(o);
	}
	for (i = 0; i < k; i++)
		free(ids[i]);
	free(ids);
	return (long long)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fmts[] = { FMT_AUTO, FMT_CSV, FMT_JSONL };
	struct intake_opts o;
	struct intake_stats st;
	struct err e;
	char *files[1] = { scratch[0] }, *out;
	size_t n;
	int rc;

	if (size < 1)
		return 0;
	cli.in.format = fmts[data[0] % 3];
	scratch_put(scratch[0], data + 1, size - 1);
	memset(&o, 0, sizeof o);
	memset(&st, 0, sizeof st);
	o.cli = &cli;
	o.prefix = "CASE";
	o.say = say_why;
	rc = intake_run(&o, files, 1, &st, &e);
	if (rc < 0) {
		if (e.msg[0] == '\0' ||
		    (cli.in.format == FMT_JSONL && !whole_file_refused(e.msg)))
			abort();
		return 0;	/* a CSV header it cannot read, or a whole file
				   refused by name */
	}
	if (st.rows != st.added + st.rejected + st.known)
		abort();
	out = scratch_get(scratch[1], &n);
	if (check_cases(out, n) != st.added)
		abort();
	free(out);
	return 0;
}
