/*
 * fuzz_jsonscan.c - differential fuzzing of jsonio_scan and jsonio_check
 * against jansson, the reference they promise to agree with.
 *
 * For each input: whatever jansson (json_loadb, JSON_REJECT_DUPLICATES)
 * rejects, ours must reject.  What jansson accepts, ours must accept too
 * unless it falls under our documented extra rules (top level not an
 * object, a dotted key on the flattened path, nesting deeper than
 * JSONIO_MAX_DEPTH, any NUL byte), and then every flattened field must
 * hold the value jansson read.  Then the writer: jsonio_record of what was
 * scanned must scan back to the same fields, types and values, and write
 * the same text again (the writer's output is a fixed point).  Each line
 * of an input is checked too, after the lines before it (see below).
 * Any disagreement aborts.
 *
 * clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE
 *   -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_jsonscan.c
 *   lib/jsonio.c lib/jsonio_write.c lib/record.c lib/buf.c lib/err.c
 *   lib/mem.c
 *   -lcsv -ljansson -lz -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "err.h"
#include "jsonio.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	abort(); } while (0)

static int depth_of(const json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;
	int d, max = 0;

	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, k, v)
			if ((d = depth_of(v)) > max)
				max = d;
		return max + 1;
	}
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if ((d = depth_of(v)) > max)
				max = d;
		return max + 1;
	}
	return 0;
}

/* Keys along the flattened path (objects inside objects) without dots;
 * *leaves counts the fields flattening gives. */
static int flat_ok(const json_t *o, size_t *leaves)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v) {
		if (strchr(k, '.') != NULL)
			return 0;
		if (json_is_object(v) && json_object_size(v) > 0) {
			if (!flat_ok(v, leaves))
				return 0;
		} else
			(*leaves)++;
	}
	return 1;
}

static const json_t *lookup(const json_t *o, const char *key)
{
	char part[4096];
	const char *dot;
	size_t n;

	while ((dot = strchr(key, '.')) != NULL) {
		n = (size_t)(dot - key);
		if (n >= sizeof part)
			return NULL;
		memcpy(part, key, n);
		part[n] = '\0';
		if ((o = json_object_get(o, part)) == NULL)
			return NULL;
		key = dot + 1;
	}
	return json_object_get(o, key);
}

static void compare(const json_t *j, const struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const char *k = rec_key(r, i), *v = rec_val(r, i);
		size_t vlen = r->f[i].vlen;
		const json_t *jv = lookup(j, k);
		json_t *raw;

		if (jv == NULL)
			FAIL("key %s: not in jansson's object", k);
		switch (r->f[i].type) {
		case REC_STR:
			if (!json_is_string(jv) || json_string_length(jv) != vlen ||
			    memcmp(json_string_value(jv), v, vlen) != 0)
				FAIL("key %s: string differs", k);
			break;
		case REC_NUM:
			if (json_is_integer(jv)) {
				if (strtoll(v, NULL, 10) != json_integer_value(jv) ||
				    strpbrk(v, ".eE") != NULL)
					FAIL("key %s: integer differs", k);
			} else if (json_is_real(jv)) {
				if (strtod(v, NULL) != json_real_value(jv))
					FAIL("key %s: real differs", k);
			} else
				FAIL("key %s: number where jansson has none", k);
			break;
		default:
			raw = json_loadb(v, vlen, JSON_DECODE_ANY |
			    JSON_REJECT_DUPLICATES, NULL);
			if (raw == NULL || !json_equal(raw, jv))
				FAIL("key %s: raw value differs", k);
			json_decref(raw);
			break;
		}
	}
}

/* writer(scan(line)) scans back to the same record, and writing that
 * gives the same text. */
static void roundtrip(const struct rec *r)
{
	static struct rec back;
	static struct buf out, again;
	static int ready;
	struct err e;
	size_t i;

	if (!ready) {
		rec_init(&back);
		ready = 1;
	}
	buf_reset(&out);
	buf_reset(&again);
	if (jsonio_record(&out, r) < 0)
		FAIL("jsonio_record failed");
	rec_clear(&back);
	if (jsonio_scan(out.p, out.len, &back, &e) < 0)
		FAIL("written record does not scan: %s: %s", e.msg, out.p);
	if (back.n != r->n)
		FAIL("written record has %zu fields, not %zu", back.n, r->n);
	for (i = 0; i < r->n; i++)
		if (back.f[i].type != r->f[i].type ||
		    back.f[i].klen != r->f[i].klen ||
		    back.f[i].vlen != r->f[i].vlen ||
		    memcmp(rec_key(&back, i), rec_key(r, i), r->f[i].klen) != 0 ||
		    memcmp(rec_val(&back, i), rec_val(r, i), r->f[i].vlen) != 0)
			FAIL("field %zu (%s) differs after writing", i, rec_key(r, i));
	if (jsonio_record(&again, &back) < 0 || again.len != out.len ||
	    memcmp(again.p, out.p, out.len) != 0)
		FAIL("writing twice differs");
}

static void check_value(const uint8_t *data, size_t size, int has_nul)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY |
	    JSON_REJECT_DUPLICATES, NULL);
	struct err e;
	int rc = jsonio_check((const char *)data, size, &e);

	if (j == NULL && rc == 0)
		FAIL("jsonio_check accepts what jansson rejects");
	if (j != NULL && rc != 0 && !has_nul && depth_of(j) <= JSONIO_MAX_DEPTH)
		FAIL("jsonio_check rejects what jansson accepts: %s", e.msg);
	json_decref(j);
}

static void check_one(const uint8_t *data, size_t size)
{
	static struct rec r;
	static int ready;
	json_t *j;
	struct err e;
	size_t leaves = 0;
	int rc, has_nul = memchr(data, 0, size) != NULL;

	if (!ready) {
		rec_init(&r);
		ready = 1;
	}
	rec_clear(&r);
	rc = jsonio_scan((const char *)data, size, &r, &e);
	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (j == NULL && rc == 0)
		FAIL("jsonio_scan accepts what jansson rejects");
	if (j != NULL && json_is_object(j) && !has_nul &&
	    depth_of(j) <= JSONIO_MAX_DEPTH && flat_ok(j, &leaves)) {
		if (rc != 0)
			FAIL("jsonio_scan rejects what jansson accepts: %s", e.msg);
		if (leaves != r.n)
			FAIL("%zu fields, jansson flattens to %zu", r.n, leaves);
		compare(j, &r);
		/* fields in scan order: objects are adjacent, as the writer
		 * needs (rec_sort would also keep that) */
		roundtrip(&r);
	}
	json_decref(j);
	check_value(data, size, has_nul);
}

/*
 * The whole input, then each of its lines in turn: the scanner learns
 * the keys of the objects it meets (key templates, lib/jsonio.c), so a
 * line is also checked after the lines before it have taught it other
 * shapes.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *nl, *end = data + size;

	check_one(data, size);
	if (memchr(data, '\n', size) == NULL)
		return 0;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		check_one(p, (size_t)(nl - p));
		p = nl + 1;
	}
	return 0;
}
