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
#include "../unit/history_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
