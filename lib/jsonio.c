/*
 * jsonio.c - the scanning half of jsonio.h: one JSON object per call,
 * flattened straight into a struct rec, and a validator for any value.
 *
 * It must accept exactly what jansson 2.14 accepts (json_loadb with
 * JSON_REJECT_DUPLICATES; tests/fuzz/fuzz_jsonscan.c checks it), so the
 * grammar follows jansson's src/load.c: whitespace is space, tab, CR and
 * LF; numbers follow RFC 8259, integers must fit in int64 and reals must
 * not overflow; strings must be valid UTF-8 without control characters,
 * lone surrogates or \u0000.  Our own extra rules: the top level must be
 * an object, keys that end up as record keys must not contain '.', and
 * nesting stops at JSONIO_MAX_DEPTH.  Any NUL byte is an error (jansson
 * silently skips one right after a number or literal: a quirk not worth
 * copying).
 *
 * Columns in messages count characters from 1, not bytes.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "input.h"
#include "jsonio.h"
#include "record.h"

struct scan {
	const char *s, *p, *end;
	struct rec *r;		/* NULL when only validating */
	struct err *e;
	int depth;
	int keyed;		/* the message already names its key */
	const char *pk;		/* the key whose value is being read (not */
	size_t pkn;		/* escaped; "" if so): an object's place */
};

/*
 * Scratch space reused by every call, so that scanning a record allocates
 * nothing once the buffers have grown: the dotted path of the object being
 * flattened, a decoded string, and the keys of the objects still open (for
 * duplicate checks).  lib is single-threaded.
 */
static struct buf path, str, keys;

/* Bytes a key can hold on the fast path of scan_key: printable ASCII
 * but '"', '\\' and '.'. */
static unsigned char keych[256];

static void init_tables(void)
{
	int c;

	if (keych['a'])
		return;
	for (c = 0x20; c < 0x7f; c++)
		keych[c] = c != '"' && c != '\\' && c != '.';
}

/* Column of at, in characters as a user counts them (every byte that is
 * not a UTF-8 continuation byte starts one): only ever computed for a
 * message, and everything before an error is valid UTF-8. */
static int col(const struct scan *sc, const char *at)
{
	const char *q;
	int c = 1;

	for (q = sc->s; q < at; q++)
		if (((unsigned char)*q & 0xc0) != 0x80)
			c++;
	return c;
}

static int unexpected(struct scan *sc, const char *at)
{
	unsigned char c;

	if (at >= sc->end)
		return err_set(sc->e, "unexpected end of input");
	c = (unsigned char)*at;
	if (c > 0x20 && c < 0x7f)
		return err_set(sc->e, "unexpected character '%c' at column %d",
		    c, col(sc, at));
	return err_set(sc->e, "unexpected byte 0x%02x at column %d", c,
	    col(sc, at));
}

static void skip_space(struct scan *sc)
{
	const char *p = sc->p;

	while (p < sc->end && (*p == ' ' || *p == '\n' || *p == '\r' ||
	    *p == '\t'))
		p++;
	sc->p = p;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0.
 * The same rules as jansson's utf8_check_full: no overlongs, no
 * surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

size_t jsonio_utf8_len(const unsigned char *p, const unsigned char *end)
{
	return utf8_len(p, end);
}

static int hex4(const char *p)
{
	int i, v = 0, c;

	for (i = 0; i < 4; i++) {
		c = (unsigned char)p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Check one escape after the backslash at p; returns its length (from the
 * backslash) and the code point in *cp (-1 for a one-letter escape). */
static int check_escape(struct scan *sc, const char *p, long *cp)
{
	int v, v2;

	*cp = -1;
	if (p + 1 >= sc->end)
		return err_set(sc->e, "unterminated string");
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n':
	case 'r': case 't':
		return 2;
	case 'u':
		break;
	default:
		return err_set(sc->e, "invalid escape at column %d", col(sc, p));
	}
	if (sc->end - p < 6 || (v = hex4(p + 2)) < 0)
		return err_set(sc->e, "invalid \\u escape at column %d",
		    col(sc, p));
	if (v >= 0xdc00 && v <= 0xdfff)
		return err_set(sc->e, "lone surrogate \\u%04X at column %d", v,
		    col(sc, p));
	if (v >= 0xd800 && v <= 0xdbff) {
		if (sc->end - p < 12 || p[6] != '\\' || p[7] != 'u')
			return err_set(sc->e, "lone surrogate \\u%04X at column %d",
			    v, col(sc, p));
		if ((v2 = hex4(p + 8)) < 0)
			return err_set(sc->e, "invalid \\u escape at column %d",
			    col(sc, p + 6));
		if (v2 < 0xdc00 || v2 > 0xdfff)
			return err_set(sc->e, "lone surrogate \\u%04X at column %d",
			    v, col(sc, p));
		*cp = 0x10000 + ((long)(v - 0xd800) << 10) + (v2 - 0xdc00);
		return 12;
	}
	if (v == 0)
		return err_set(sc->e, "\\u0000 not allowed at column %d",
		    col(sc, p));
	*cp = v;
	return 6;
}

/* The longest decoded value of the escaped source s[0..n), computed only
 * for a source longer than the limit: escapes only ever shorten. */
static size_t decoded_len(const char *s, size_t n)
{
	size_t i = 0, len = 0;

	while (i < n) {
		if (s[i] != '\\') {
			i++;
			len++;
			continue;
		}
		if (s[i + 1] != 'u') {
			i += 2;
			len++;
		} else if (i + 12 <= n && s[i + 6] == '\\' && s[i + 7] == 'u' &&
		    (s[i + 2] | 0x20) == 'd' && s[i + 3] >= '8' && s[i + 3] <= 'b') {
			i += 12;	/* a checked surrogate pair */
			len += 4;
		} else {
			unsigned v = (unsigned)hex4(s + i + 2);

			i += 6;
			len += v < 0x80 ? 1 : v < 0x800 ? 2 : 3;
		}
	}
	return len;
}

/*
 * Words of 8 bytes at a time: for each byte of w that ends a plain run
 * (a control character, '"' or '\\'), its high bit.  The classic
 * has-zero-byte test: bits above the first flagged byte may be false (a
 * borrow), but the lowest flagged byte is exact, and only it is used.
 * Bytes >= 0x80 never trip it: UTF-8 is checked apart, see scan_string.
 */
#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#define HASZERO(v) (((v) - ONES) & ~(v) & HIGHS)

static uint64_t stop_mask(uint64_t w)
{
	return ((w - ONES * 0x20) & ~w & HIGHS) |
	    HASZERO(w ^ (ONES * '"')) | HASZERO(w ^ (ONES * '\\'));
}

/* Does c end a plain run of a string (the bytewise stop_mask)? */
static int stops(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/*
 * The first flagged byte of a non-zero stop_mask m of the word at w:
 * its index, and in *hi the high bits of the bytes before it (a byte
 * >= 0x80 means UTF-8 to check).
 */
static size_t first_stop(uint64_t m, uint64_t w, const unsigned char *at,
    uint64_t *hi)
{
	size_t k;

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)at;
	k = (size_t)__builtin_ctzll(m) >> 3;
	*hi |= w & HIGHS & (((uint64_t)1 << (8 * k)) - 1);
#else
	(void)m;
	for (k = 0; k < 7 && !stops(at[k]); k++)
		*hi |= at[k] & 0x80;
	(void)w;
#endif
	return k;
}

/*
 * The first byte of p[0..end) that does not start valid UTF-8, or NULL.
 * Three-byte sequences (CJK text) are checked inline, the rest by
 * utf8_len: the same rules as jansson's.
 */
static const unsigned char *utf8_bad(const unsigned char *p,
    const unsigned char *end)
{
	size_t len;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xe1 && *p <= 0xef && *p != 0xed && end - p >= 3 &&
		    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			p += 3;		/* U+1000..U+FFFF but the surrogates */
			continue;
		}
		if ((len = utf8_len(p, end)) == 0)
			return p;
		p += len;
	}
	return NULL;
}

/* The text of a string up to a problem at stop: any invalid UTF-8
 * before it is the first problem, and reported as such.  Returns -1
 * with e set when so, 0 when stop is the first problem. */
static int utf8_before(struct scan *sc, const unsigned char *a,
    const unsigned char *stop, uint64_t hi)
{
	const unsigned char *bad;

	if (hi == 0 || (bad = utf8_bad(a, stop)) == NULL)
		return 0;
	err_set(sc->e, "invalid UTF-8 at column %d", col(sc, (const char *)bad));
	return -1;
}

/*
 * Scan the string whose opening quote is at sc->p.  On return *a and *n
 * give its source text between the quotes and *esc tells whether it holds
 * escapes (then decode() gives the value; else the source is the value).
 * Plain runs go 8 bytes at a time up to the next quote, backslash or
 * control character, noting whether any byte >= 0x80 went by; only then
 * is the text checked as UTF-8 (escapes are ASCII, so the source can be
 * checked as a whole).  Errors come in the order of their position:
 * invalid UTF-8 before any other problem is the one reported.  This loop
 * is most of the time of a scan.
 */
static int scan_string(struct scan *sc, const char **a, size_t *n, int *esc)
{
	const unsigned char *s = (const unsigned char *)sc->p + 1, *p = s;
	const unsigned char *end = (const unsigned char *)sc->end;
	uint64_t w, m, hi = 0;
	long cp;
	int k;

	*esc = 0;
	for (;;) {
		while (end - p >= 8) {
			memcpy(&w, p, 8);
			if ((m = stop_mask(w)) != 0) {
				p += first_stop(m, w, p, &hi);
				goto stop;
			}
			hi |= w & HIGHS;
			p += 8;
		}
		while (p < end && !stops(*p))
			hi |= *p++ & 0x80;
		if (p >= end) {
			if (utf8_before(sc, s, p, hi) == 0)
				err_set(sc->e, "unterminated string");
			return -1;
		}
stop:
		if (*p == '"')
			break;
		if (hi != 0 && utf8_before(sc, s, p, hi) < 0)
			return -1;
		if (*p == '\\') {
			if ((k = check_escape(sc, (const char *)p, &cp)) < 0)
				return -1;
			*esc = 1;
			p += k;
			/* what came before is valid UTF-8 now */
			s = p;
			hi = 0;
			continue;
		}
		err_set(sc->e, "control character 0x%02x in string "
		    "at column %d", *p, col(sc, (const char *)p));
		return -1;
	}
	if (hi != 0 && utf8_before(sc, s, p, hi) < 0)
		return -1;	/* hi == 0: plain ASCII, no call */
	*a = sc->p + 1;
	*n = (size_t)((const char *)p - *a);
	if (*n > IN_MAX_FIELD &&
	    (!*esc || decoded_len(*a, *n) > IN_MAX_FIELD)) {
		err_set(sc->e, "string longer than %u MiB", IN_MAX_FIELD >> 20);
		return -1;
	}
	sc->p = (const char *)p + 1;
	return 0;
}

static void put_utf8(char *t, size_t *i, long cp)
{
	if (cp < 0x80)
		t[(*i)++] = (char)cp;
	else if (cp < 0x800) {
		t[(*i)++] = (char)(0xc0 | cp >> 6);
		t[(*i)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		t[(*i)++] = (char)(0xe0 | cp >> 12);
		t[(*i)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[(*i)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		t[(*i)++] = (char)(0xf0 | cp >> 18);
		t[(*i)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		t[(*i)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[(*i)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* Append the decoded value of an already checked string to b.  The value
 * is never longer than its source, so one reserve suffices. */
static int decode(struct scan *sc, struct buf *b, const char *s, size_t n)
{
	size_t i = 0, o;
	long cp;
	char *t;
	int k;

	if (buf_reserve(b, n) < 0)
		return err_nomem(sc->e);
	t = b->p + b->len;
	o = 0;
	while (i < n) {
		if (s[i] != '\\') {
			t[o++] = s[i++];
			continue;
		}
		k = check_escape(sc, s + i, &cp);
		if (cp >= 0)
			put_utf8(t, &o, cp);
		else
			switch (s[i + 1]) {
			case 'b': t[o++] = '\b'; break;
			case 'f': t[o++] = '\f'; break;
			case 'n': t[o++] = '\n'; break;
			case 'r': t[o++] = '\r'; break;
			case 't': t[o++] = '\t'; break;
			default: t[o++] = s[i + 1]; break;
			}
		i += (size_t)k;
	}
	b->len += o;
	b->p[b->len] = '\0';
	return 0;
}

/* "-"? int frac? exp? as jansson's lexer reads it; then the int64 and
 * overflow checks jansson makes with strtoll and strtod. */
static int scan_number(struct scan *sc)
{
	const char *p = sc->p, *end = sc->end, *digits;
	int neg = 0, real = 0;
	size_t nd;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	digits = p;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	else
		return err_set(sc->e, "invalid number");
	nd = (size_t)(p - digits);
	if (p < end && *p >= '0' && *p <= '9')
		return err_set(sc->e, "invalid number (leading zero)");
	if (p < end && *p == '.') {
		real = 1;
		if (++p >= end || *p < '0' || *p > '9')
			return err_set(sc->e, "invalid number");
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = 2;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return err_set(sc->e, "invalid number");
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (!real) {
		const char *lim = neg ? "9223372036854775808" :
		    "9223372036854775807";

		if (nd > 19 || (nd == 19 && memcmp(digits, lim, 19) > 0))
			return err_set(sc->e, "integer too big");
	} else if (real == 2 || nd > 300) {
		/* Only an exponent or a huge integer part can overflow. */
		char dp = *localeconv()->decimal_point;
		size_t i, n = (size_t)(p - sc->p);
		double d;

		buf_reset(&str);
		if (buf_add(&str, sc->p, n) < 0)
			return err_nomem(sc->e);
		for (i = 0; i < n; i++)
			if (str.p[i] == '.')
				str.p[i] = dp;
		errno = 0;
		d = strtod(str.p, NULL);
		if ((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE)
			return err_set(sc->e, "number too big");
	}
	sc->p = p;
	return 0;
}

static int scan_literal(struct scan *sc)
{
	static const char *const lit[] = { "true", "false", "null" };
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(lit[i]);
		if ((size_t)(sc->end - sc->p) >= n &&
		    memcmp(sc->p, lit[i], n) == 0) {
			sc->p += n;
			/* jansson reads a whole identifier: "truex" is one
			 * bad token, and so it is here. */
			if (sc->p < sc->end && ((*sc->p | 0x20) >= 'a' &&
			    (*sc->p | 0x20) <= 'z'))
				return unexpected(sc, sc->p);
			return 0;
		}
	}
	return unexpected(sc, sc->p);
}

/*
 * Keys.  An object's keys must be checked against its earlier keys for
 * duplicates, and they are most of the scanning work: a record has some
 * 35 of them, each to find the end of, hash and compare.  But records
 * come in few shapes: the objects at one place (the record itself, its
 * "claimant", its history entries) mostly have the keys the previous one
 * there had, in the same order.  So each place keeps a template, the
 * keys of the last object seen there; a key that is the one the template
 * predicts next costs one comparison, and a bit per template key says
 * which have been seen in this object, so a repeat is caught without a
 * search.  Other keys take the full way, and are looked up in the
 * template: a key found there moves the prediction on from it (an
 * optional key missing); a key not there (an "extra") is checked against
 * this object's other extras with the filter and stack below.  At the
 * object's end its extras join the template where they came, so that
 * after a few records the template of a place is the union of the
 * shapes seen there, in their order, and stops changing.
 *
 * Template keys are distinct (they passed this check) and plain: printable
 * ASCII without '"', '\\' or '.', at most TMPL_KEYLEN bytes.  Extras of
 * any other kind, or too many of them, leave the template as it was.
 */
#define TMPL_KEYS   64
#define TMPL_KEYLEN 255
#define TMPL_SLOTS  32		/* places remembered */

struct tmpl {
	struct buf text;	/* the keys' bytes, then 16 zero bytes so that
				   two words can always be read at a key */
	unsigned n;		/* keys */
	uint32_t off[TMPL_KEYS];
	uint8_t len[TMPL_KEYS];
	uint8_t idx[256];	/* key hash -> index + 1, open addressing */
	int busy;		/* an open object uses it: not rebuilt */
};

static struct tmpl tmpls[TMPL_SLOTS], no_tmpl;
static struct buf tmpl_scratch;

/* An open object's view of its keys. */
struct obj {
	struct tmpl *t;
	unsigned i;		/* the template key expected next */
	uint64_t hit;		/* template keys seen in this object */
	size_t from;		/* its extras on the key stack */
	unsigned extras;
	int worthy;		/* its extras may join the template */
	const char *pk;		/* the enclosing key, restored at the end */
	size_t pkn;
};

/*
 * The key stack: the extras of the open objects.  An entry points at the
 * key's text: in the source line when the key holds no escape (it
 * outlives the object), else in kesc, where decoded keys are kept until
 * the next record (by offset: kesc may move as it grows).
 */
struct kent {
	const char *p;		/* the text, or NULL: it is at kesc.p + off */
	size_t off, n;
	unsigned anchor;	/* it came just before template key anchor */
};

static struct buf kesc;

static const char *kent_text(const struct kent *t)
{
	return t->p != NULL ? t->p : kesc.p + t->off;
}

static unsigned key_hash(const char *k, size_t n)
{
	return n == 0 ? 0 : ((unsigned char)k[0] * 31u +
	    (unsigned char)k[n - 1] * 7u + (unsigned char)k[n / 2] +
	    (unsigned)n * 131u) & 255u;
}

/* Is an extra equal to k[0..n) already on the stack from from? */
static int key_seen(size_t from, const char *k, size_t n)
{
	const struct kent *t = (const struct kent *)(void *)(keys.p + from);
	const struct kent *end = (const struct kent *)(void *)(keys.p + keys.len);
	const char *q;

	for (; t < end; t++) {
		if (t->n != n)
			continue;
		q = kent_text(t);
		if (n == 0 || (q[0] == k[0] && q[n - 1] == k[n - 1] &&
		    memcmp(q, k, n) == 0))
			return 1;
	}
	return 0;
}

/*
 * Before walking the stack, a 256-bit filter per open object of a cheap
 * hash of its extras: a new one whose bit is clear is new, so the walk
 * (quadratic in the number of extras) is rare.
 */
static uint64_t seen[JSONIO_MAX_DEPTH + 2][4];

/* Push extra k[0..n), which outlives the object when src is 1. */
static int key_push(struct scan *sc, const char *k, size_t n, int src,
    unsigned anchor)
{
	struct kent *t;

	/* the common case, room already there, without a call */
	if (keys.len + sizeof *t > keys.cap &&
	    buf_reserve(&keys, sizeof *t) < 0)
		return err_nomem(sc->e);
	t = (struct kent *)(void *)(keys.p + keys.len);
	t->p = k;
	t->off = 0;
	t->n = n;
	t->anchor = anchor;
	if (src == 0) {
		t->p = NULL;
		t->off = kesc.len;
		if (buf_add(&kesc, k, n) < 0)
			return err_nomem(sc->e);
	}
	keys.len += sizeof *t;
	return 0;
}

static const char *tmpl_key(const struct tmpl *t, unsigned i)
{
	return t->text.p + t->off[i];
}

/* The index of k[0..n) in t, or -1. */
static int tmpl_find(const struct tmpl *t, const char *k, size_t n)
{
	unsigned h = key_hash(k, n), j;

	if (n > TMPL_KEYLEN)
		return -1;
	for (; (j = t->idx[h]) != 0; h = (h + 1) & 255u)
		if (t->len[j - 1] == n && memcmp(tmpl_key(t, j - 1), k, n) == 0)
			return (int)j - 1;
	return -1;
}

/* The object's place: its depth and the key it is the value of. */
static struct tmpl *tmpl_of(const struct scan *sc)
{
	unsigned h = (unsigned)sc->depth * 7u + key_hash(sc->pk, sc->pkn);
	struct tmpl *t = &tmpls[h % TMPL_SLOTS];

	if (t->busy)
		return &no_tmpl;	/* a nested object of the same place */
	t->busy = 1;
	return t;
}

/* Key k[0..n) as key *at of the template being built in tmpl_scratch. */
static int tmpl_put(const char *k, size_t n, uint32_t *off, uint8_t *len,
    unsigned *at)
{
	off[*at] = (uint32_t)tmpl_scratch.len;
	len[*at] = (uint8_t)n;
	++*at;
	return buf_add(&tmpl_scratch, k, n);
}

/* The template with the object's extras (on the stack from from) put in
 * where they came: each before the template key it preceded. */
static int tmpl_merge(struct tmpl *t, size_t from, unsigned extras)
{
	const struct kent *k = (const struct kent *)(void *)(keys.p + from);
	uint32_t off[TMPL_KEYS];
	uint8_t len[TMPL_KEYS];
	unsigned i, x, n = 0, h;

	tmpl_scratch.len = 0;
	for (i = 0; i <= t->n; i++) {
		for (x = 0; x < extras; x++)
			if (k[x].anchor == i &&
			    tmpl_put(kent_text(&k[x]), k[x].n, off, len, &n) < 0)
				return -1;
		if (i < t->n &&
		    tmpl_put(tmpl_key(t, i), t->len[i], off, len, &n) < 0)
			return -1;
	}
	if (buf_reserve(&tmpl_scratch, 16) < 0)
		return -1;
	memset(tmpl_scratch.p + tmpl_scratch.len, 0, 16);
	{
		struct buf b = t->text;	/* the old keys: scratch next time */

		t->text = tmpl_scratch;
		tmpl_scratch = b;
	}
	t->n = n;
	memcpy(t->off, off, n * sizeof off[0]);
	memcpy(t->len, len, n);
	memset(t->idx, 0, sizeof t->idx);
	for (i = 0; i < n; i++) {
		for (h = key_hash(tmpl_key(t, i), t->len[i]); t->idx[h] != 0;
		    h = (h + 1) & 255u)
			;
		t->idx[h] = (uint8_t)(i + 1);
	}
	return 0;
}

static void obj_begin(struct scan *sc, struct obj *o)
{
	o->t = tmpl_of(sc);
	o->i = 0;
	o->hit = 0;
	o->from = keys.len;
	o->extras = 0;
	o->worthy = 1;
	o->pk = sc->pk;
	o->pkn = sc->pkn;
	memset(seen[sc->depth], 0, sizeof seen[sc->depth]);
}

static int obj_end(struct scan *sc, struct obj *o)
{
	int rc = 0;

	if (o->extras > 0 && o->worthy && o->t->n + o->extras <= TMPL_KEYS &&
	    o->t != &no_tmpl && tmpl_merge(o->t, o->from, o->extras) < 0)
		rc = err_nomem(sc->e);
	o->t->busy = 0;
	keys.len = o->from;
	sc->pk = o->pk;
	sc->pkn = o->pkn;
	return rc;
}

/* Does the source at q hold the n-byte template key k and its closing
 * quote?  k can be read 16 bytes on. */
static int is_key(const unsigned char *q, const unsigned char *end,
    const char *k, size_t n)
{
	uint64_t a, b, m;

	if ((size_t)(end - q) <= n || q[n] != '"')
		return 0;
	if (n > 16 || end - q < 16)
		return memcmp(q, k, n) == 0;
	if (n > 8) {
		memcpy(&a, q, 8);
		memcpy(&b, k, 8);
		if (a != b)
			return 0;
		q += 8;
		k += 8;
		n -= 8;
	}
	memcpy(&a, q, 8);
	memcpy(&b, k, 8);
	m = n == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * n)) - 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	m = n == 8 ? m : ~(~(uint64_t)0 >> (8 * n));
#endif
	return ((a ^ b) & m) == 0;
}

static int duplicate(struct scan *sc, const char *k, size_t n)
{
	return err_set(sc->e, "duplicate key \"%.*s\"", (int)n, k);
}

/* A key off the template's prediction, read in full: a template key
 * elsewhere, or an extra. */
static int key_other(struct scan *sc, struct obj *o, const char *k, size_t n,
    int src)
{
	unsigned h;
	uint64_t bit, *word;
	int j;

	if ((j = tmpl_find(o->t, k, n)) >= 0) {
		if (o->hit & ((uint64_t)1 << j))
			return duplicate(sc, k, n);
		o->hit |= (uint64_t)1 << j;
		o->i = (unsigned)j + 1;
		return 0;
	}
	h = key_hash(k, n);
	bit = (uint64_t)1 << (h & 63);
	word = &seen[sc->depth][h >> 6];
	if ((*word & bit) != 0 && key_seen(o->from, k, n))
		return duplicate(sc, k, n);
	*word |= bit;
	o->extras++;
	return key_push(sc, k, n, src, o->i);
}

/*
 * Read a key and its colon; the decoded key is left in *k, *kn: the
 * source or a template when it holds no escape (*esc 0), else str (*esc
 * 1).  *dot is 0 when the key surely holds no '.'.  Keys are short and
 * plain ASCII nearly always: those are read byte by byte here, anything
 * else by scan_string.
 */
static int scan_key(struct scan *sc, struct obj *o, const char **k,
    size_t *kn, int *esc, int *dot)
{
	const unsigned char *q = (const unsigned char *)sc->p + 1;
	const unsigned char *end = (const unsigned char *)sc->end;
	const struct tmpl *t = o->t;
	const char *a = "";
	size_t n = 0;

	/* set on every path: clang's analyzer cannot tell that err_set
	 * returns -1, so it takes the error returns for successes */
	*k = "";
	*kn = 0;
	*esc = *dot = 0;
	if (sc->p >= sc->end || *sc->p != '"') {
		if (sc->p < sc->end && *sc->p != '}')
			return err_set(sc->e, "key expected at column %d",
			    col(sc, sc->p));
		return unexpected(sc, sc->p);
	}
	if (o->i < t->n && is_key(q, end, tmpl_key(t, o->i), t->len[o->i])) {
		uint64_t bit = (uint64_t)1 << o->i;

		a = sc->p + 1;
		n = t->len[o->i];
		if (o->hit & bit)
			return duplicate(sc, a, n);
		o->hit |= bit;
		o->i++;
		sc->p = a + n + 1;
		*esc = *dot = 0;
		goto colon;
	}
	while (q < end && keych[*q])
		q++;
	if (q < end && *q == '"' && (size_t)(q - (const unsigned char *)sc->p) <=
	    IN_MAX_FIELD) {
		a = sc->p + 1;
		n = (size_t)((const char *)q - a);
		sc->p = (const char *)q + 1;
		*esc = *dot = 0;
		if (n > TMPL_KEYLEN)
			o->worthy = 0;
	} else {
		if (scan_string(sc, &a, &n, esc) < 0)
			return -1;
		if (*esc) {
			buf_reset(&str);
			if (decode(sc, &str, a, n) < 0)
				return -1;
			a = str.p;
			n = str.len;
		}
		*dot = 1;
		o->worthy = 0;
	}
	if (key_other(sc, o, a, n, !*esc) < 0)
		return -1;
colon:
	*k = a;
	*kn = n;
	if (sc->p < sc->end && *sc->p == ':') {
		sc->p++;
	} else {
		skip_space(sc);
		if (sc->p >= sc->end || *sc->p != ':')
			return unexpected(sc, sc->p);
		sc->p++;
	}
	skip_space(sc);
	return 0;
}

static int check_value(struct scan *sc);

static int check_array(struct scan *sc)
{
	if (++sc->depth > JSONIO_MAX_DEPTH)
		return err_set(sc->e, "nested deeper than %d", JSONIO_MAX_DEPTH);
	sc->p++;
	skip_space(sc);
	if (sc->p < sc->end && *sc->p == ']') {
		sc->p++;
		sc->depth--;
		return 0;
	}
	for (;;) {
		if (check_value(sc) < 0)
			return -1;
		skip_space(sc);
		if (sc->p < sc->end && *sc->p == ',') {
			sc->p++;
			skip_space(sc);
			continue;
		}
		if (sc->p < sc->end && *sc->p == ']')
			break;
		return unexpected(sc, sc->p);
	}
	sc->p++;
	sc->depth--;
	return 0;
}

/* An object inside something raw: checked, keys may hold dots. */
static int check_object(struct scan *sc)
{
	struct obj o;

	if (++sc->depth > JSONIO_MAX_DEPTH)
		return err_set(sc->e, "nested deeper than %d", JSONIO_MAX_DEPTH);
	sc->p++;
	skip_space(sc);
	if (sc->p < sc->end && *sc->p == '}') {
		sc->p++;
		sc->depth--;
		return 0;
	}
	obj_begin(sc, &o);
	for (;;) {
		const char *k;
		size_t kn;
		int esc, dot;

		if (scan_key(sc, &o, &k, &kn, &esc, &dot) < 0)
			return -1;
		sc->pk = esc ? "" : k;
		sc->pkn = esc ? 0 : kn;
		if (check_value(sc) < 0)
			return -1;
		skip_space(sc);
		if (sc->p < sc->end && *sc->p == ',') {
			sc->p++;
			skip_space(sc);
			continue;
		}
		if (sc->p < sc->end && *sc->p == '}')
			break;
		return unexpected(sc, sc->p);
	}
	sc->p++;
	sc->depth--;
	return obj_end(sc, &o);
}

static int check_value(struct scan *sc)
{
	const char *a;
	size_t n;
	int esc;

	if (sc->p >= sc->end)
		return unexpected(sc, sc->p);
	switch (*sc->p) {
	case '{':
		return check_object(sc);
	case '[':
		return check_array(sc);
	case '"':
		return scan_string(sc, &a, &n, &esc);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return scan_number(sc);
	default:
		return scan_literal(sc);
	}
}

static int add(struct scan *sc, const char *k, size_t kn, int type,
    const char *v, size_t vn)
{
	return rec_add(sc->r, k, kn, type, v, vn, sc->e);
}

/* Name the key in a value's error message, once, at the deepest level. */
static int keyed_error(struct scan *sc, const char *k, size_t kn)
{
	if (!sc->keyed) {
		sc->keyed = 1;
		err_prefix(sc->e, "%.*s", (int)kn, k);
	}
	return -1;
}

static int flatten_object(struct scan *sc);

/* The value of the full key key[0..kn): scan it into the record.  key
 * is path.p, or a top-level key still in the source (str holds scratch,
 * so never a key). */
static int flatten_value(struct scan *sc, const char *key, size_t kn)
{
	const char *v0 = sc->p, *a;
	size_t n;
	int esc, type;

	if (sc->p >= sc->end)
		return unexpected(sc, sc->p);
	switch (*sc->p) {
	case '"':
		if (scan_string(sc, &a, &n, &esc) < 0)
			return -1;
		if (!esc)
			return add(sc, key, kn, REC_STR, a, n);
		buf_reset(&str);
		if (decode(sc, &str, a, n) < 0)
			return -1;
		return add(sc, key, kn, REC_STR, str.p, str.len);
	case '{':
		sc->p++;
		skip_space(sc);
		if (sc->p < sc->end && *sc->p == '}') {
			sc->p++;
			return add(sc, key, kn, REC_RAW, v0,
			    (size_t)(sc->p - v0));
		}
		sc->p = v0;
		if (key != path.p) {
			path.len = 0;
			if (buf_add(&path, key, kn) < 0)
				return err_nomem(sc->e);
		}
		if (buf_addc(&path, '.') < 0)
			return err_nomem(sc->e);
		return flatten_object(sc);
	case '[':
		if (check_array(sc) < 0)
			return -1;
		type = REC_RAW;
		break;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if (scan_number(sc) < 0)
			return -1;
		type = REC_NUM;
		break;
	default:
		if (scan_literal(sc) < 0)
			return -1;
		type = REC_RAW;
		break;
	}
	return add(sc, key, kn, type, v0, (size_t)(sc->p - v0));
}

/* An object whose members become fields "path.key"; path.len is the
 * length of the prefix (0 at the top, else ending in '.'). */
static int flatten_object(struct scan *sc)
{
	size_t plen = path.len, kn;
	struct obj o;

	if (++sc->depth > JSONIO_MAX_DEPTH)
		return err_set(sc->e, "nested deeper than %d", JSONIO_MAX_DEPTH);
	sc->p++;
	skip_space(sc);
	if (sc->p < sc->end && *sc->p == '}') {
		sc->p++;
		sc->depth--;
		return 0;	/* only at the top: flatten_value keeps {} */
	}
	obj_begin(sc, &o);
	for (;;) {
		const char *k, *key;
		size_t n;
		int esc, dot;

		if (scan_key(sc, &o, &k, &n, &esc, &dot) < 0)
			return -1;
		sc->pk = esc ? "" : k;
		sc->pkn = esc ? 0 : n;
		if (dot && memchr(k, '.', n) != NULL)
			return err_set(sc->e, "key \"%.*s\" contains '.'", (int)n, k);
		if (plen == 0 && !esc) {
			/* a top-level key: straight from the source */
			key = k;
			kn = n;
		} else {
			path.len = plen;
			if (buf_add(&path, k, n) < 0)
				return err_nomem(sc->e);
			key = path.p;
			kn = path.len;
		}
		if (flatten_value(sc, key, kn) < 0)
			return keyed_error(sc, key, kn);
		skip_space(sc);
		if (sc->p < sc->end && *sc->p == ',') {
			sc->p++;
			skip_space(sc);
			continue;
		}
		if (sc->p < sc->end && *sc->p == '}')
			break;
		return unexpected(sc, sc->p);
	}
	sc->p++;
	sc->depth--;
	path.len = plen;
	if (path.p)
		path.p[plen] = '\0';
	return obj_end(sc, &o);
}

static void start(struct scan *sc, const char *s, size_t n, struct rec *r,
    struct err *e)
{
	size_t i;

	init_tables();
	sc->s = sc->p = s;
	sc->end = s + n;
	sc->r = r;
	sc->e = e;
	sc->depth = 0;
	sc->keyed = 0;
	sc->pk = "";
	sc->pkn = 0;
	buf_reset(&path);
	keys.len = 0;
	kesc.len = 0;
	/* an error leaves its objects open */
	for (i = 0; i < TMPL_SLOTS; i++)
		tmpls[i].busy = 0;
}

/* Nothing but whitespace may follow the value. */
static int finish(struct scan *sc)
{
	skip_space(sc);
	if (sc->p < sc->end) {
		if (*sc->p == '\0')
			return err_set(sc->e, "NUL byte at column %d",
			    col(sc, sc->p));
		return err_set(sc->e, "trailing characters at column %d",
		    col(sc, sc->p));
	}
	return 0;
}

int jsonio_scan(const char *s, size_t n, struct rec *r, struct err *e)
{
	struct scan sc;

	start(&sc, s, n, r, e);
	skip_space(&sc);
	if (sc.p >= sc.end || *sc.p != '{')
		return err_set(e, "not a JSON object");
	if (flatten_object(&sc) < 0)
		return -1;
	return finish(&sc);
}

int jsonio_check(const char *s, size_t n, struct err *e)
{
	struct scan sc;

	start(&sc, s, n, NULL, e);
	skip_space(&sc);
	if (check_value(&sc) < 0)
		return -1;
	return finish(&sc);
}
