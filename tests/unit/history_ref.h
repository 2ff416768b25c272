/*
 * history_ref.h - the reference that law_history_scan is checked against
 * (test_law.c and tests/fuzz/fuzz_history.c): a raw history read with
 * jansson the way history_day reads any text the scan declines.
 * Needs <jansson.h>, <stdio.h> and <string.h>.
 */
#ifndef ONEDOOR_HISTORY_REF_H
#define ONEDOOR_HISTORY_REF_H

/* 1 found (its "at" copied to out), 0 none, -2 not JSON. */
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

#endif
