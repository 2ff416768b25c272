/*
 * fuzz_partial.c - libFuzzer target for report's partial aggregates
 * (report --merge).  Group lines in the shape agg_partial_write gives
 * them are read by a scanner of report_agg.c's own, which must agree
 * with jansson: every line is read into one aggregate as it is, and into
 * another after a leading space, which only jansson reads.  Both must
 * fail together, or come to the same groups, figures and durations.
 * Besides, nothing may crash or overflow (UBSan), whatever the numbers.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_partial.c \
 *       lib/[a-z]*.c -lcsv -ljansson -lz -lm
 *   ./a.out tests/fuzz/corpus/partial
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "report_agg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_hist(const struct hist *x, const struct hist *y)
{
	long long *p, *q;
	size_t n, m;

	if (hist_sorted(x, &p, &n) < 0 || hist_sorted(y, &q, &m) < 0)
		abort();	/* no memory: not what is fuzzed */
	if (n != m || (n > 0 && memcmp(p, q, 2 * n * sizeof *p) != 0))
		abort();
	mem_free(p);
	mem_free(q);
}

/* Every group of x is in y with the same figures and durations, and y
 * has no other. */
static void same_groups(struct agg *x, struct agg *y)
{
	const struct group *g;
	struct group *h;
	size_t i, n = y->ngroups;

	if (x->ngroups != y->ngroups)
		abort();
	for (i = 0; i < x->ntab; i++)
		for (g = x->tab[i]; g != NULL; g = g->next) {
			if ((h = agg_group(y, g->key, g->klen)) == NULL)
				abort();
			if (y->ngroups != n ||
			    memcmp(g->c, h->c, sizeof g->c) != 0)
				abort();
			same_hist(&g->h, &h->h);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct report_opts o;
	struct agg a, b;
	struct err e;
	char *spaced;
	size_t n;
	int sa = 0, sb = 0, ra = 0, rb;

	report_defaults(&o);
	if (agg_init(&a, &o, &e) < 0 || agg_init(&b, &o, &e) < 0)
		abort();
	if ((spaced = malloc(size + 1)) == NULL)
		abort();
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		spaced[0] = ' ';
		memcpy(spaced + 1, p, n);
		ra = agg_partial_line(&a, p, n, &sa, &e);
		rb = agg_partial_line(&b, spaced, n + 1, &sb, &e);
		if ((ra < 0) != (rb < 0))
			abort();
		if (ra < 0)	/* a merge stops at its first bad line */
			break;
		if (nl == end)
			break;
	}
	if (ra >= 0)
		same_groups(&a, &b);
	free(spaced);
	agg_free(&a);
	agg_free(&b);
	return 0;
}
