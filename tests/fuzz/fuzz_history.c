/*
 * fuzz_history.c - differential fuzzing of law_history_scan, the direct
 * reader of a case's raw history that the deadlines use, against jansson.
 *
 * The scan may decline any text (-1: jansson reads it instead).  Whatever
 * it does answer must be what jansson reads: the same entry found or none,
 * with the same "at" text; and it must never answer for text jansson
 * rejects.  Any disagreement aborts.
 *
 * law_history_walk, under it, is checked the same way: when it answers,
 * it must have given every entry in order, with the "at" and "to" texts
 * jansson reads (absent when jansson has no string there).
 *
 * Input: the first byte picks the status looked for and first/last; the
 * rest is the history text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "law.h"
#include "../unit/history_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The entries as the walk gave them. */
struct seen {
	size_t n;
	const char *at[64], *to[64];
	size_t an[64], tn[64];
};

static void note(void *ctx, const char *at, size_t an, const char *to,
    size_t tn)
{
	struct seen *s = ctx;

	if (s->n < 64) {
		s->at[s->n] = at;
		s->an[s->n] = an;
		s->to[s->n] = to;
		s->tn[s->n] = tn;
	}
	s->n++;
}

/* Does text t[0..n) (NULL: absent) say what jansson's j holds? */
static int same(const char *t, size_t n, json_t *j)
{
	const char *v = json_string_value(j);

	if (t == NULL || v == NULL)
		return t == NULL && v == NULL;
	return strlen(v) == n && memcmp(v, t, n) == 0;
}

static void check_walk(const char *h)
{
	struct seen s;
	json_t *a, *v;
	size_t i;

	s.n = 0;
	if (law_history_walk(h, note, &s) < 0)
		return;
	if ((a = json_loads(h, JSON_DECODE_ANY, NULL)) == NULL ||
	    !json_is_array(a) || json_array_size(a) != s.n)
		abort();
	json_array_foreach(a, i, v) {
		if (i < 64 && (!same(s.at[i], s.an[i], json_object_get(v, "at")) ||
		    !same(s.to[i], s.tn[i], json_object_get(v, "to"))))
			abort();
	}
	json_decref(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const statuses[] = { "routed", "agreed", "a", "" };
	const char *status, *at = NULL;
	char ref[4096], *h;
	size_t atlen = 0;
	int last, rc, jr;

	if (size < 1 || size > 65536)
		return 0;
	status = statuses[data[0] & 3];
	last = (data[0] >> 2) & 1;
	if ((h = malloc(size)) == NULL)
		return 0;
	memcpy(h, data + 1, size - 1);
	h[size - 1] = '\0';
	if (memchr(h, '\0', size - 1) != NULL) {	/* the store has no NULs */
		free(h);
		return 0;
	}
	check_walk(h);
	rc = law_history_scan(h, status, last, &at, &atlen);
	if (rc != -1) {
		jr = by_jansson(h, status, last, ref, sizeof ref);
		if (jr != rc)
			abort();
		if (rc == 1 && atlen < sizeof ref &&
		    (strlen(ref) != atlen || memcmp(ref, at, atlen) != 0))
			abort();
	}
	free(h);
	return 0;
}
