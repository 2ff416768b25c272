/*
 * jsonio_write.c - the JSON writer of the hot path: strings and whole
 * records into a reused buffer.  See jsonio.h.
 */
#include <stdint.h>
#include <string.h>

#include "jsonio.h"

/* Bytes that must be escaped inside a JSON string. */
static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* Does any of the 8 bytes in w need escaping?  The has-zero-byte test
 * (exact as to whether, not which); bytes >= 0x80 never trip it. */
#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#define HASZERO(v) (((v) - ONES) & ~(v) & HIGHS)

static int escape_in_word(uint64_t w)
{
	return ((w - ONES * 0x20) & ~w & HIGHS) != 0 ||
	    HASZERO(w ^ (ONES * '"')) != 0 || HASZERO(w ^ (ONES * '\\')) != 0;
}

int jsonio_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run = 0;
	uint64_t w;
	char *o;

	/* worst case every byte becomes \u00XX */
	if (buf_reserve(b, n * 6 + 2) < 0)
		return -1;
	o = b->p + b->len;
	*o++ = '"';
	for (;;) {
		/* most values need no escape at all: skip 8 bytes a step */
		while (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if (escape_in_word(w))
				break;
			i += 8;
		}
		while (i < n && !needs_escape((unsigned char)s[i]))
			if ((++i & 7) == 0 && n - i >= 8)
				break;
		if (i >= n)
			break;
		if (!needs_escape((unsigned char)s[i]))
			continue;
		memcpy(o, s + run, i - run);
		o += i - run;
		*o++ = '\\';
		switch (s[i]) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		default:
			*o++ = 'u'; *o++ = '0'; *o++ = '0';
			*o++ = hex[(unsigned char)s[i] >> 4];
			*o++ = hex[s[i] & 15];
		}
		run = ++i;
	}
	if (n > run)
		memcpy(o, s + run, n - run);
	o += n - run;
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->p);
	return 0;
}

/* Length of the first path segment of key (up to '.' or the end). */
static size_t segment(const char *key, size_t klen)
{
	const char *dot = memchr(key, '.', klen);

	return dot ? (size_t)(dot - key) : klen;
}

int jsonio_record(struct buf *b, const struct rec *r)
{
	/* the chain of objects now open: segments of the previous key */
	const char *open[JSONIO_MAX_DEPTH];
	size_t openlen[JSONIO_MAX_DEPTH];
	int depth = 0, first = 1;
	size_t i;

	if (buf_addc(b, '{') < 0)
		return -1;
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
			if (buf_addc(b, '}') < 0)
				return -1;
		/* open the objects this key needs */
		while ((s = segment(k, klen)) < klen && depth < JSONIO_MAX_DEPTH) {
			if ((!first && buf_addc(b, ',') < 0) ||
			    jsonio_string(b, k, s) < 0 || buf_add(b, ":{", 2) < 0)
				return -1;
			open[depth] = k;
			openlen[depth++] = s;
			k += s + 1;
			klen -= s + 1;
			first = 1;
		}
		if ((!first && buf_addc(b, ',') < 0) ||
		    jsonio_string(b, k, klen) < 0 || buf_addc(b, ':') < 0)
			return -1;
		first = 0;
		if (f->type == REC_STR) {
			if (jsonio_string(b, r->arena + f->val, f->vlen) < 0)
				return -1;
		} else if (buf_add(b, r->arena + f->val, f->vlen) < 0)
			return -1;
	}
	for (; depth > 0; depth--)
		if (buf_addc(b, '}') < 0)
			return -1;
	return buf_addc(b, '}');
}
