/*
 * fuzz_rules.c - libFuzzer target for case-route's rule language.
 * Besides not crashing, a rule set that parses must print (rules_format)
 * to text that parses again to the same print, since --print-rules output
 * is what stations start their own files from; and matching must not
 * misbehave on records of any shape.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_rules.c \
 *       lib/rules.c lib/money.c lib/cli.c lib/timefmt.c lib/format.c \
 *       lib/err.c lib/mem.c lib/buf.c -ljansson
 *   ./a.out tests/fuzz/corpus/rules
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const records[][6] = {
	{ "type", "construction-wage", "workers", "12", "amount", "50000" },
	{ "type", "", "workers", "x", "amount", "1.2万" },
	{ "type", "social-insurance", "workers", "-1", "amount", "3,803.50" },
};

static const char *get(const void *ctx, const char *field)
{
	const char *const *kv = ctx;
	int i;

	for (i = 0; i < 6; i += 2)
		if (strcmp(kv[i], field) == 0)
			return kv[i + 1];
	return NULL;
}

static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const known[] = { "type", "workers", "amount", NULL };
	const struct rules_opts o = { known, quiet, NULL };
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct rules *rs, *again;
	struct err e;
	size_t i;
	int s;

	if ((rs = rules_parse("fuzz", (const char *)data, size, &o, &e)) == NULL)
		return 0;
	for (i = 0; i < sizeof records / sizeof records[0]; i++)
		for (s = 0; s < RULES_NSECTIONS; s++) {
			const struct rules_rule *r = rules_match(rs, s, get, records[i]);

			if (r != NULL && (r->section != s || r->desk == NULL ||
			    r->within <= 0 || r->within > RULES_MAX_WITHIN ||
			    (rules_is_mediation(r->track) &&
			    r->within > RULES_MEDIATION_LIMIT)))
				abort();
		}
	if (rules_format(rs, &a) < 0)
		abort();
	if ((again = rules_parse("again", a.p ? a.p : "", a.len, NULL, &e)) == NULL)
		abort();
	if (rules_format(again, &b) < 0 || a.len != b.len ||
	    (a.len && memcmp(a.p, b.p, a.len) != 0))
		abort();
	rules_free(again);
	rules_free(rs);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
