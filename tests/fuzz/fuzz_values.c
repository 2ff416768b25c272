/*
 * fuzz_values.c - libFuzzer target for the value parsers: money_parse,
 * tf_parse and the idcheck functions.  Besides not crashing, what parses
 * must print and parse back to the same value, since commands write
 * what they read and read it again in the next step of the pipeline.
 * case-add's quick paths (numtext.h) must agree with the reference ones:
 * num_parse_local with tf_parse whenever it takes a text, and
 * num_put_rfc3339 with tf_format.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_values.c \
 *       lib/money.c lib/timefmt.c lib/idcheck.c lib/numtext.c lib/err.c lib/mem.c \
 *       lib/buf.c -ljansson
 *   ./a.out tests/fuzz/corpus/values
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idcheck.h"
#include "money.h"
#include "numtext.h"
#include "timefmt.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return 0;
}

static void money(const char *s)
{
	struct err e;
	money_t v, w;
	char b[32];

	if (money_parse(s, &v, &e) < 0)
		return;
	if (v > MONEY_MAX || v < -MONEY_MAX)
		abort();
	money_format(b, sizeof b, v);
	if (money_parse(b, &w, &e) < 0 || w != v)
		abort();
	money_format2(b, sizeof b, v);
	if (money_parse(b, &w, &e) < 0 || w != v)
		abort();
}

static void timefmt(const char *s)
{
	static struct num_tzcache cache;
	struct tf_time t, u;
	struct tf_civil c;
	struct err e;
	char b[32], q[32];
	int quick = num_parse_local(s, strlen(s), &u, &cache) == 0;

	if (tf_parse(s, &t, &e) < 0) {
		if (quick)
			abort();
		return;
	}
	if (quick && (u.t != t.t || u.off != t.off))
		abort();
	if (tf_format(b, sizeof b, t) >= (int)sizeof b)
		abort();
	num_put_rfc3339(q, t);
	if (strcmp(b, q) != 0)
		abort();
	if (tf_parse(b, &u, &e) < 0 || u.t != t.t || u.off != t.off)
		abort();
	tf_to_civil(t, &c);
	if (!tf_valid_date(c.year, c.month, c.day))
		abort();
	tf_format_minute(b, sizeof b, t);
	tf_format_date(b, sizeof b, t);
}

static void ids(const char *s, size_t len)
{
	struct err e;
	char *m;

	idcheck_resident(s, 1712808000LL, &e);
	idcheck_credit_code(s, &e);
	idcheck_phone(s, &e);
	if ((m = malloc(len + 1)) == NULL)
		return;
	idcheck_mask_id(s, m, len + 1);
	if (strlen(m) > len)
		abort();
	idcheck_mask_phone(s, m, len + 1);
	if (strlen(m) > len)
		abort();
	free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	money(s);
	timefmt(s);
	ids(s, strlen(s));
	free(s);
	return 0;
}
