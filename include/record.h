/*
 * record.h - one case record, the unit every command reads and writes.
 *
 * A record is a flat, ordered list of fields.  Nested JSON objects are
 * flattened to dotted keys ("claimant.name"); arrays and empty objects are
 * kept as raw JSON text (REC_RAW), so "history" is one raw array.  Keys
 * therefore never contain a dot of their own: the reader rejects such keys.
 *
 * Values are stored decoded and NUL-terminated in the record's arena:
 *   REC_STR  a UTF-8 string, unescaped ("张三", "a\"b" holds a real quote)
 *   REC_NUM  a JSON number exactly as written ("12", "3803.5")
 *   REC_RAW  JSON text written out verbatim (true, null, [..], {})
 *
 * The record owns its arena and field array; rec_free releases them.
 * Pointers returned by rec_get/rec_key are valid until the next change to
 * the record (rec_set, rec_add, rec_del, rec_clear).
 *
 * Field order on output is canonical (see rec_canonical below), then
 * fields onedoor does not know in their input order, then "history":
 * rec_sort puts a record in that order and the writers call it.
 */
#ifndef ONEDOOR_RECORD_H
#define ONEDOOR_RECORD_H

#include <stddef.h>
#include <string.h>
#include "buf.h"
#include "err.h"

enum rec_type { REC_STR, REC_NUM, REC_RAW };

struct rec_field {
	size_t key, val;	/* offsets into arena; both NUL-terminated */
	size_t klen, vlen;
	int type;		/* enum rec_type */
	int rank;		/* output position, see rec_sort */
};

struct rec {
	char *arena;
	size_t alen, acap;
	struct rec_field *f;
	size_t n, cap;
	const char *file;	/* borrowed: name of the input, for messages */
	unsigned long line;	/* first physical line of the record (1-based) */
	struct buf raw;		/* the input text of the record (UTF-8), for
				   verbatim pass-through and reject files;
				   empty when the record was built in memory */
	int rawfmt;		/* FMT_JSONL or FMT_CSV: what raw holds */
	int dirty;		/* set by every change: raw no longer matches */
};

/* The canonical fields, in output order, with their types.  "history" is
 * last.  The CSV writer's default columns are exactly this list. */
struct rec_schema {
	const char *key;
	int type;		/* enum rec_type a CSV cell of this column becomes */
	const char *zh;		/* Chinese column header (--lang zh); case-add
				   reads it back */
};
extern const struct rec_schema rec_canonical[];
extern const size_t rec_ncanonical;
/* Index in rec_canonical, or -1. */
int rec_canonical_index(const char *key);

void rec_init(struct rec *r);
void rec_clear(struct rec *r);		/* forget fields, keep memory */
void rec_free(struct rec *r);
int rec_copy(struct rec *dst, const struct rec *src, struct err *e);

/* Append a field without looking for an existing one (readers use it;
 * they check duplicates themselves).  0, or -1 on ENOMEM. */
int rec_add(struct rec *r, const char *key, size_t klen, int type,
    const char *val, size_t vlen, struct err *e);
/* Set a field, replacing it in place if present, else appending it. */
int rec_setn(struct rec *r, const char *key, size_t klen, int type,
    const char *val, size_t vlen, struct err *e);
static inline int rec_set(struct rec *r, const char *key, int type,
    const char *val, size_t vlen, struct err *e)
{
	return rec_setn(r, key, strlen(key), type, val, vlen, e);
}
int rec_sets(struct rec *r, const char *key, const char *s, struct err *e);
int rec_setf(struct rec *r, const char *key, int type, struct err *e,
    const char *fmt, ...) ERR_PRINTF(5, 6);
/* Remove a field; removing an absent one is not an error. */
void rec_del(struct rec *r, const char *key);
/* Remove every field whose key is PREFIX or starts with "PREFIX.". */
void rec_del_group(struct rec *r, const char *prefix);

/*
 * Index of the field, or -1.  Linear: records have some 30 fields.  The
 * lookups below are inline so that the length of a literal key (nearly
 * every caller's) is known when compiling, not counted on every call.
 */
int rec_findn(const struct rec *r, const char *key, size_t klen);
static inline int rec_find(const struct rec *r, const char *key)
{
	return rec_findn(r, key, strlen(key));
}
/* The value (NUL-terminated) or NULL when absent. */
static inline const char *rec_get(const struct rec *r, const char *key)
{
	int i = rec_find(r, key);

	return i < 0 ? NULL : r->arena + r->f[i].val;
}
/* The value when present and not empty, else NULL. */
static inline const char *rec_get_nonempty(const struct rec *r,
    const char *key)
{
	const char *v = rec_get(r, key);

	return v != NULL && *v != '\0' ? v : NULL;
}
static inline int rec_type(const struct rec *r, const char *key)
{
	int i = rec_find(r, key);	/* -1 when absent */

	return i < 0 ? -1 : r->f[i].type;
}
const char *rec_key(const struct rec *r, size_t i);
const char *rec_val(const struct rec *r, size_t i);

/* Put fields in output order (stable: unknown fields keep input order). */
void rec_sort(struct rec *r);

/* One step of a case, as its history entry keeps it: when it happened
 * (at) and when it was recorded (recorded: the run's --now), the
 * command, who (by) and a note.  recorded, by and note may be NULL (then
 * omitted; entries written before both times were kept have "at" only,
 * which is read as both). */
struct rec_step {
	const char *at, *recorded, *cmd, *by, *note;
};

/* Append {at, recorded_at, cmd, from, to, by, note} to the "history"
 * array; from may be NULL (then omitted).  The array is kept as raw
 * JSON and never rewritten, only extended. */
int rec_history_add(struct rec *r, const char *from, const char *to,
    const struct rec_step *s, struct err *e);

/* "file:line" of the record, for messages (static buffer). */
const char *rec_where(const struct rec *r);

#endif
