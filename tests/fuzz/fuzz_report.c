/*
 * fuzz_report.c - libFuzzer target for report over arbitrary stores, and
 * for the promise of report(1): --merge of the partials of any shards
 * prints exactly, byte for byte, what one run over all the records
 * prints, in every view and format.
 *
 * The first two bytes pick the view, --by, the format, the language and
 * the window; the third where the store is cut into two shards (at a
 * line end); the fourth --excel, --fields and --min-cases; the rest is
 * the store.  One run over the whole store is
 * compared with the merge of the two shards' partials: both must fail,
 * or both print the same bytes with the same result bits.  Besides,
 * nothing may crash, leak or overflow (UBSan).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_report.c \
 *       lib/[a-z]*.c -lcsv -ljansson -lz -lm
 *   ./a.out tests/fuzz/corpus/report
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "law.h"
#include "report.h"
#include "scratch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const bys[8] = {
	NULL, "type,channel", "day", "week,status", "month,employer",
	"assignee,grid", "year,track,priority,desk", "channel"
};
static const int formats[5] = {
	FMT_CSV, FMT_JSON, FMT_JSONL, FMT_TABLE, FMT_HTML
};
static const char *const fieldsets[4] = {
	NULL, "cases,amount,median_hours,p90_hours", "success_rate,overdue",
	"mediation_in_limit,confirmation_in_window,warning_workers"
};
static const char *const windows[3][2] = {
	{ NULL, NULL }, { "2024-04-01", NULL }, { "last-month", "this-month" }
};

static struct law law;
static struct cal cal;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e;

	(void)argc;
	(void)argv;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	cal_init(&cal);
	law_init(&law);
	if (cal_load_builtin(&cal, &e) < 0 || law_load_builtin(&law, &e) < 0)
		abort();
	/* scratch[0], [1]: the two shards; [2], [3]: their partials */
	scratch_make("fuzz-report", 4);
	return 0;
}

/* One report_run; what it printed in *out (malloc'd), its result. */
static int run(struct report_opts *o, char **files, int nfiles, char **out,
    size_t *outlen)
{
	struct err e;
	int rc;

	o->files = files;
	o->nfiles = nfiles;
	if ((o->out = open_memstream(out, outlen)) == NULL)
		abort();
	rc = report_run(o, &e);
	if (fclose(o->out) != 0)
		abort();
	return rc;
}

/* A partial of one shard, written to file p. */
static int partial(struct report_opts o, char *shard, const char *p)
{
	struct err e;
	int rc;

	o.files = &shard;
	o.nfiles = 1;
	o.partial = 1;
	if ((o.out = fopen(p, "w")) == NULL)
		abort();
	rc = report_run(&o, &e);
	if (fclose(o.out) != 0)
		abort();
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_opts o, m;
	struct err e;
	char *one = NULL, *merged = NULL, *all[2] = { scratch[0], scratch[1] };
	char *parts[2] = { scratch[2], scratch[3] };
	size_t n1 = 0, n2 = 0, cut;
	const uint8_t *store;
	int r1, r2, ra, rb, w;

	if (size < 4)
		return 0;
	report_defaults(&o);
	o.say = say_why;
	o.law = &law;
	o.cal = &cal;
	o.view = data[0] & 3;
	o.by = bys[data[0] >> 2 & 7];
	o.lang = data[0] >> 5 & 1;
	o.to = formats[data[1] % 5];
	w = data[1] / 5 % 3;
	o.since = windows[w][0];
	o.until = windows[w][1];
	o.within = data[1] >= 128 ? 30 : 7;
	o.excel = data[3] & 1;
	o.fields = o.view == REPORT_FIGURES ? fieldsets[data[3] >> 1 & 3] : NULL;
	o.min_cases = 1 + (data[3] >> 3 & 3);
	if (tf_parse("2024-04-30T12:00:00+08:00", &o.now, &e) < 0)
		abort();
	store = data + 4;
	size -= 4;
	/* the cut: after a line end, as split(1) cuts */
	cut = size * data[2] / 255;
	while (cut < size && cut > 0 && store[cut - 1] != '\n')
		cut++;
	scratch_put(scratch[0], store, cut);
	scratch_put(scratch[1], store + cut, size - cut);

	r1 = run(&o, all, 2, &one, &n1);
	ra = partial(o, scratch[0], scratch[2]);
	rb = partial(o, scratch[1], scratch[3]);
	if ((r1 < 0) != (ra < 0 || rb < 0))
		abort();	/* a shard fails exactly when the whole does */
	if (r1 >= 0) {
		report_defaults(&m);
		m.say = say_why;
		m.law = &law;
		m.cal = &cal;
		m.merge = 1;
		m.to = o.to;
		m.lang = o.lang;
		m.view = o.view;
		m.excel = o.excel;
		m.fields = o.fields;
		m.min_cases = o.min_cases;
		r2 = run(&m, parts, 2, &merged, &n2);
		if (r2 != r1 || n1 != n2 || memcmp(one, merged, n1) != 0)
			abort();
	}
	free(one);
	free(merged);
	return 0;
}
