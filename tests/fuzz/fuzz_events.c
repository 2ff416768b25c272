/*
 * fuzz_events.c - arbitrary bytes as an events file for mediate or
 * confirm, applied to one case in every status: nothing may crash, leak
 * or loop; every event must end applied or refused, never pending; a
 * case no event changed must stay untouched (its raw text passes
 * through), and a changed one must have a known status and still write
 * as JSON.
 *
 * The first byte picks the command (mediate, confirm, confirm --late-ok)
 * and the reader's format; the rest is the events file, written to a
 * memfd so that the reader sees a real file.  The seed corpus names the
 * cases below (HS-1 .. HS-8, source ids S1 .. S8).
 *
 * Built and run by tests/fuzz/run.sh, which links every .c file of lib/:
 * clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE
 *   -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_events.c
 *   lib/[a-z]*.c -lcsv -ljansson -lz -lm
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "confirm.h"
#include "events.h"
#include "filter.h"
#include "jsonio.h"
#include "mediate.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define H "\"history\":[{\"at\":\"2024-04-01T10:00:00+08:00\"}]"

static const char *const cases[] = {
	"{\"id\":\"HS-1\",\"source_id\":\"S1\",\"status\":\"new\"," H "}",
	"{\"id\":\"HS-2\",\"source_id\":\"S2\",\"status\":\"routed\"," H "}",
	"{\"id\":\"HS-3\",\"source_id\":\"S3\",\"status\":\"mediating\"}",
	"{\"id\":\"HS-4\",\"source_id\":\"S4\",\"status\":\"agreed\","
	    "\"agreement\":{\"at\":\"2024-04-10T00:00:00+08:00\"}," H "}",
	"{\"id\":\"HS-5\",\"source_id\":\"S5\",\"status\":\"failed\"}",
	"{\"id\":\"HS-6\",\"source_id\":\"S6\",\"status\":\"confirmed\","
	    "\"confirmation\":{\"court\":\"C\"}}",
	"{\"id\":\"HS-7\",\"source_id\":\"S7\",\"status\":\"closed\"}",
	"{\"id\":\"HS-8\",\"source_id\":\"S1\",\"status\":\"escalated\"}",
	"{\"id\":\"HS-9\",\"status\":\"bogus\",\"history\":[1,{\"at\":5}]}",
};

static void say(void *ctx, const char *msg)
{
	(void)ctx;
	if (strlen(msg) == 0)
		abort();	/* every refusal says why */
}

static void check_case(struct ev_set *s, const char *json)
{
	struct rec r;
	struct buf b = BUF_INIT;
	struct err e;
	int rc;

	rec_init(&r);
	if (jsonio_scan(json, strlen(json), &r, &e) < 0)
		abort();
	buf_add(&r.raw, json, strlen(json));
	r.dirty = 0;
	rc = ev_filter_apply(s, &r, &e);
	if ((rc == FILTER_PASS || rc == FILTER_REJECT) && r.dirty)
		abort();	/* refused events must change nothing */
	if (rc == FILTER_DONE) {
		if (state_parse(rec_get(&r, "status")) < 0)
			abort();
		rec_sort(&r);
		if (jsonio_record(&b, &r) < 0 || jsonio_check(b.p, b.len, &e) < 0)
			abort();
	}
	if (rc != FILTER_PASS && rc != FILTER_DONE && rc != FILTER_REJECT &&
	    e.sys == 0)
		abort();	/* only running out of memory is fatal */
	buf_free(&b);
	rec_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fmts[] = { FMT_AUTO, FMT_JSONL, FMT_CSV };
	struct med_ctx m = { "fuzz" };
	struct conf_ctx c = { NULL, 0 };
	struct tf_time now = { 1719676800, 8 * 3600 };	/* 2024-06-30 */
	struct ev_hooks h;
	struct ev_set *s;
	struct in_opts o;
	struct err e;
	char path[64];
	size_t i;
	int fd;

	if (size < 1)
		return 0;
	if (getenv("TZ") == NULL)
		setenv("TZ", "Asia/Shanghai", 1);
	memset(&h, 0, sizeof h);
	if (data[0] % 3 == 0)
		med_hooks(&h, &m);
	else
		conf_hooks(&h, &c);
	c.late_ok = data[0] % 3 == 2;
	h.say = say;
	o.format = fmts[(data[0] / 3) % 3];
	o.encoding = ENC_AUTO;
	o.typed = 0;
	data++;
	size--;
	if ((fd = memfd_create("fuzz_events", 0)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if ((s = ev_new(&h, &now, &e)) == NULL)
		abort();
	if (ev_load(s, path, &o, &e) == 0) {
		for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
			check_case(s, cases[i]);
		if (ev_filter_finish(s, &e) < 0)
			abort();
		if (ev_pending(s) != 0)
			abort();
	}
	ev_free(s);
	close(fd);
	return 0;
}
