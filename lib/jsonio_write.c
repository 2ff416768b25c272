/*
 * jsonio_write.c - the JSON writer of the hot path: strings and whole
 * records into a reused buffer.  See jsonio.h.
 *
 * A record is written with one buf_reserve for its worst case (every
 * byte of every key and string escaped as \u00XX) and then straight
 * through a pointer: no per-byte or per-field bounds checks.  Strings go
 * 8 bytes at a time, copied as they are tested; only bytes < 0x20, '"'
 * and '\\' are escaped.  Bytes >= 0x80 go out as they are: the reader
 * checks that strings are valid UTF-8, and the writer only ever copies
 * (it never validates, so neither does the fast path).
 */
#include <stdint.h>
#include <string.h>

#include "jsonio.h"

/* Bytes that must be escaped inside a JSON string. */
static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/*
 * For each of the 8 bytes of w that needs escaping, its high bit.  The
 * has-zero-byte test: bits above the first flagged byte may be false
 * (a borrow), but the lowest flagged byte is always exact, and that is
 * the only one used.  Bytes >= 0x80 never trip it.
 */
#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#define HASZERO(v) (((v) - ONES) & ~(v) & HIGHS)

static uint64_t escape_mask(uint64_t w)
{
	return ((w - ONES * 0x20) & ~w & HIGHS) |
	    HASZERO(w ^ (ONES * '"')) | HASZERO(w ^ (ONES * '\\'));
}

/* Index of the first flagged byte of a non-zero mask, in memory order. */
static size_t first_flagged(uint64_t m, const unsigned char *w)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)w;
	return (size_t)__builtin_ctzll(m) >> 3;
#else
	size_t i;

	(void)m;
	for (i = 0; i < 7 && !needs_escape(w[i]); i++)
		;
	return i;
#endif
}

/* The escape of c (which needs one) at o; returns the end. */
static char *put_escape(char *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	*o++ = '\\';
	switch (c) {
	case '"': *o++ = '"'; break;
	case '\\': *o++ = '\\'; break;
	case '\n': *o++ = 'n'; break;
	case '\r': *o++ = 'r'; break;
	case '\t': *o++ = 't'; break;
	case '\b': *o++ = 'b'; break;
	case '\f': *o++ = 'f'; break;
	default:
		*o++ = 'u'; *o++ = '0'; *o++ = '0';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	return o;
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_TAIL 1
#else
#define WORD_TAIL 0
#endif

/*
 * s[0..n) quoted and escaped at o, which has room for 6 * n + 2 bytes
 * and 8 more; returns the end.  Whole words are stored before they are
 * tested: the room covers the 8 bytes even when some of them turn out to
 * be past an escape or past the end (they are written over after).
 * When the 8 bytes from s + i may be read even past n (lim: the end of
 * what may be read, at least s + n), the string's last bytes go as one
 * word too, its stray bytes masked off: no bytewise tail and its
 * unpredictable exit at the end of every short value.
 */
static char *put_string(char *o, const char *s, size_t n, const char *lim)
{
	size_t i;
	uint64_t w, m;

	*o++ = '"';
	for (;;) {
		for (i = 0; n - i >= 8; i += 8) {
			memcpy(&w, s + i, 8);
			memcpy(o + i, &w, 8);
			if ((m = escape_mask(w)) != 0) {
				i += first_flagged(m, (const unsigned char *)s + i);
				goto escape;
			}
		}
		if (WORD_TAIL && i < n && lim - (s + i) >= 8) {
			memcpy(&w, s + i, 8);
			memcpy(o + i, &w, 8);
			m = escape_mask(w) & (((uint64_t)1 << (8 * (n - i))) - 1);
			if (m != 0) {
				i += first_flagged(m, (const unsigned char *)s + i);
				goto escape;
			}
			i = n;
		}
		for (; i < n; i++) {
			if (needs_escape((unsigned char)s[i]))
				goto escape;
			o[i] = s[i];
		}
		o += n;
		break;
escape:
		o = put_escape(o + i, (unsigned char)s[i]);
		s += i + 1;
		n -= i + 1;
	}
	*o++ = '"';
	return o;
}

int jsonio_string(struct buf *b, const char *s, size_t n)
{
	char *o;

	/* worst case every byte becomes \u00XX */
	if (n > ((size_t)-1 - 16) / 6 || buf_reserve(b, n * 6 + 10) < 0)
		return -1;
	/* (s may be NULL when n is 0: no arithmetic on it then) */
	o = put_string(b->p + b->len, s, n, n > 0 ? s + n : s);
	*o = '\0';
	b->len = (size_t)(o - b->p);
	return 0;
}

/* Length of the first path segment of key (up to '.' or the end); keys
 * are short, so a loop beats a call to memchr. */
static size_t segment(const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < klen && key[i] != '.'; i++)
		;
	return i;
}

/*
 * The most jsonio_record can write for r, or 0 when that does not fit
 * in a size_t.  Per field: key and string value escaped in full (6 bytes
 * a byte, which also covers each dot becoming "\":{" and its closing
 * brace), two quotes each, the colon and the comma; raw values as they
 * are; then the record's own braces and the 8 bytes put_string may
 * store past the end.
 */
static size_t record_bound(const struct rec *r)
{
	size_t i, n = 12, k, lim = ((size_t)-1 - 16) / 6;

	for (i = 0; i < r->n; i++) {
		const struct rec_field *f = &r->f[i];

		if (f->klen > lim || f->vlen > lim)
			return 0;
		k = 6 * f->klen + 8 + (f->type == REC_STR ? 6 * f->vlen : f->vlen);
		if (n > (size_t)-1 - k)
			return 0;
		n += k;
	}
	return n;
}

int jsonio_record(struct buf *b, const struct rec *r)
{
	/* the chain of objects now open: segments of the previous key */
	const char *open[JSONIO_MAX_DEPTH];
	size_t openlen[JSONIO_MAX_DEPTH];
	int depth = 0, first = 1;
	size_t i, bound = record_bound(r);
	const char *lim = NULL;
	char *o;

	if (bound == 0 || buf_reserve(b, bound) < 0)
		return -1;
	/* keys and values may be read up to the end of the arena (which
	 * there is when there are fields) */
	if (r->n > 0)
		lim = r->arena + r->acap;
	o = b->p + b->len;
	*o++ = '{';
	for (i = 0; i < r->n; i++) {
		const struct rec_field *f = &r->f[i];
		const char *k = r->arena + f->key;
		size_t klen = f->klen, s;
		int d = 0;

		/* keep the open objects this key shares, close the rest */
		while (d < depth) {
			s = segment(k, klen);
			if (s == klen || s != openlen[d] || memcmp(k, open[d], s) != 0)
				break;
			k += s + 1;
			klen -= s + 1;
			d++;
		}
		for (; depth > d; depth--)
			*o++ = '}';
		/* open the objects this key needs */
		while ((s = segment(k, klen)) < klen && depth < JSONIO_MAX_DEPTH) {
			if (!first)
				*o++ = ',';
			o = put_string(o, k, s, lim);
			*o++ = ':';
			*o++ = '{';
			open[depth] = k;
			openlen[depth++] = s;
			k += s + 1;
			klen -= s + 1;
			first = 1;
		}
		if (!first)
			*o++ = ',';
		o = put_string(o, k, klen, lim);
		*o++ = ':';
		first = 0;
		if (f->type == REC_STR)
			o = put_string(o, r->arena + f->val, f->vlen, lim);
		else {
			memcpy(o, r->arena + f->val, f->vlen);
			o += f->vlen;
		}
	}
	for (; depth > 0; depth--)
		*o++ = '}';
	*o++ = '}';
	*o = '\0';
	b->len = (size_t)(o - b->p);
	return 0;
}
