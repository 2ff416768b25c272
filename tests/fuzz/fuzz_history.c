/*
 * fuzz_history.c - differential fuzzing of law_history_scan, the direct
 * reader of a case's raw history that the deadlines use, against jansson.
 *
 * The scan may decline any text (-1: jansson reads it instead).  Whatever
 * it does answer must be what jansson reads: the same entry found or none,
 * with the same "at" text; and it must never answer for text jansson
 * rejects.  Any disagreement aborts.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* jansson's reading, as history_day reads a text the scan declines:
 * 1 found (at copied to out), 0 none, -2 not JSON. */
static int by_jansson(const char *h, const char *status, int last,
    char *out, size_t max)
{
	json_error_t je;
	json_t *a, *v;
	const char *to, *at = NULL;
	size_t i;
	int rc;

	if ((a = json_loads(h, JSON_DECODE_ANY, &je)) == NULL)
		return -2;
	if (json_is_array(a))
		json_array_foreach(a, i, v) {
			to = json_string_value(json_object_get(v, "to"));
			if (to == NULL || strcmp(to, status) != 0 ||
			    json_string_value(json_object_get(v, "at")) == NULL)
				continue;
			at = json_string_value(json_object_get(v, "at"));
			if (!last)
				break;
		}
	rc = at != NULL;
	if (at != NULL)
		snprintf(out, max, "%s", at);
	json_decref(a);
	return rc;
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
