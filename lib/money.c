/*
 * money.c - parsing and printing exact amounts of money.  See money.h.
 *
 * An amount is read with integer arithmetic only, digit by digit, into
 * fen.  Accepted, beyond plain "3803.5":
 *   - surrounding ASCII spaces and tabs;
 *   - one sign, '+' or '-', before or after the currency sign;
 *   - the currency sign "￥" (full width) or "¥", spaces may follow it;
 *   - ',' between digits of the whole part ("3,803.50"; grouping is not
 *     checked, "38,00" is 3800);
 *   - ".5" and "5." (a bare "." is not a number);
 *   - full-width digits ０-９, read as 0-9: Chinese input methods type
 *     them and Excel keeps them;
 *   - the suffixes "万" (times 10000), "元" and "万元", spaces before them;
 *   - decimals beyond the fen if they are zeros ("3803.500" is 3803.50).
 * Refused: exponents ("1e5"), anything else around the number, more
 * precision than the fen, magnitudes beyond MONEY_MAX.
 */
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "numtext.h"

/* Digits of the whole part we bother to accumulate; beyond this the
 * amount is too large whatever the suffix. */
#define WHOLE_CAP	100000000000000000ULL	/* 1e17 */

/* Longest piece of the input quoted back in a message. */
#define QUOTE_MAX	40

struct scan {
	const char *p, *end;
};

/* Consume the literal w if the input starts with it. */
static int eat(struct scan *sc, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, w, n) != 0)
		return 0;
	sc->p += n;
	return 1;
}

static void skip_blanks(struct scan *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t'))
		sc->p++;
}

/* One ASCII or full-width (U+FF10..U+FF19) digit: its value, or -1. */
static int digit(struct scan *sc)
{
	const unsigned char *u = (const unsigned char *)sc->p;

	if (sc->p < sc->end && u[0] >= '0' && u[0] <= '9') {
		sc->p++;
		return u[0] - '0';
	}
	if (sc->end - sc->p >= 3 && u[0] == 0xef && u[1] == 0xbc &&
	    u[2] >= 0x90 && u[2] <= 0x99) {
		sc->p += 3;
		return u[2] - 0x90;
	}
	return -1;
}

static int peek_digit(const struct scan *sc)
{
	struct scan t = *sc;

	return digit(&t) >= 0;
}

/* How much of s to quote: at most QUOTE_MAX bytes, cut on a UTF-8
 * character boundary so the message stays valid UTF-8. */
static int quote_len(const char *s, size_t n)
{
	if (n <= QUOTE_MAX)
		return (int)n;
	n = QUOTE_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

static int fail(struct err *e, const struct scan *whole, const char *what)
{
	size_t n = (size_t)(whole->end - whole->p);
	int q = quote_len(whole->p, n);

	return err_set(e, "\"%.*s%s\" %s", q, whole->p,
	    (size_t)q < n ? "..." : "", what);
}

/* A sign if there is one: 1 for '-', 0 for '+' or none; *seen says
 * whether one was there. */
static int sign(struct scan *sc, int *seen)
{
	if (eat(sc, "-")) {
		*seen = 1;
		return 1;
	}
	if (eat(sc, "+"))
		*seen = 1;
	return 0;
}

/* The parts of a number as written, before the suffix is known. */
struct num {
	unsigned long long whole;	/* capped at WHOLE_CAP */
	int nwhole, big;
	unsigned long frac6;		/* first six decimals, zero-padded */
	int nfrac, lastnz;		/* decimals read; place of last non-zero */
};

static void read_whole(struct scan *sc, struct num *n)
{
	int d;

	for (;;) {
		if ((d = digit(sc)) >= 0) {
			if (n->whole >= WHOLE_CAP)
				n->big = 1;
			else
				n->whole = n->whole * 10 + (unsigned)d;
			n->nwhole++;
		} else if (n->nwhole > 0 && sc->p < sc->end &&
		    *sc->p == ',') {
			sc->p++;
			if (!peek_digit(sc)) {
				sc->p--;	/* a trailing comma is garbage */
				return;
			}
		} else
			return;
	}
}

static void read_frac(struct scan *sc, struct num *n)
{
	int d;

	while ((d = digit(sc)) >= 0) {
		n->nfrac++;
		if (n->nfrac <= 6)
			n->frac6 = n->frac6 * 10 + (unsigned)d;
		if (d != 0)
			n->lastnz = n->nfrac;
	}
	for (d = n->nfrac; d < 6; d++)
		n->frac6 *= 10;
}

/*
 * The form nearly every stored amount has ("1540", "1062.6", "3803.50"):
 * 1 to 15 digits, then optionally a point and one or two digits.  1 with
 * *out set, or 0 for anything else (the full parser then decides: signs,
 * blanks, commas, currency signs, 万, errors).  Within 15 digits the
 * amount cannot pass MONEY_MAX.
 */
static int plain_amount(const char *s, money_t *out)
{
	long long v = 0;
	int n = 0, f;

	for (; *s >= '0' && *s <= '9'; s++)
		if (++n > 15)
			return 0;	/* before v could overflow */
		else
			v = v * 10 + (*s - '0');
	if (n == 0)
		return 0;
	v *= 100;
	if (*s == '\0') {
		*out = v;
		return 1;
	}
	if (*s != '.' || s[1] < '0' || s[1] > '9')
		return 0;
	f = (s[1] - '0') * 10;
	if (s[2] >= '0' && s[2] <= '9') {
		f += s[2] - '0';
		s++;
	}
	if (s[2] != '\0')
		return 0;
	*out = v + f;
	return 1;
}

int money_parse(const char *s, money_t *out, struct err *e)
{
	struct scan sc, all;
	struct num n;
	int neg, seen = 0, wan;
	unsigned long long mult, fen;

	if (plain_amount(s, out))
		return 0;
	sc.p = s;
	sc.end = s + strlen(s);
	skip_blanks(&sc);
	while (sc.end > sc.p && (sc.end[-1] == ' ' || sc.end[-1] == '\t'))
		sc.end--;
	all = sc;
	if (sc.p == sc.end)
		return err_set(e, "amount is empty");

	neg = sign(&sc, &seen);
	if (eat(&sc, "\xef\xbf\xa5") || eat(&sc, "\xc2\xa5")) {	/* ￥ ¥ */
		skip_blanks(&sc);
		if (!seen)
			neg = sign(&sc, &seen);
	}
	memset(&n, 0, sizeof n);
	read_whole(&sc, &n);
	if (eat(&sc, "."))
		read_frac(&sc, &n);
	if (n.nwhole == 0 && n.nfrac == 0)
		return fail(e, &all, "is not an amount");
	skip_blanks(&sc);
	wan = eat(&sc, "\xe4\xb8\x87");			/* 万 */
	eat(&sc, "\xe5\x85\x83");			/* 元 */
	if (sc.p != sc.end)
		return fail(e, &all, "is not an amount");

	if (n.lastnz > (wan ? 6 : 2))
		return fail(e, &all, wan ?
		    "has more than two decimals in yuan" :
		    "has more than two decimals");
	/* 1 wan = 10000 yuan = 1e6 fen; the six decimals are then fen. */
	mult = wan ? 1000000 : 100;
	if (n.big || n.whole > (unsigned long long)MONEY_MAX / mult)
		return err_set(e, "amount too large");
	fen = n.whole * mult + (wan ? n.frac6 : n.frac6 / 10000);
	if (fen > (unsigned long long)MONEY_MAX)
		return err_set(e, "amount too large");
	*out = neg ? -(money_t)fen : (money_t)fen;
	return 0;
}

/* Split v into sign, yuan and fen without overflowing on LLONG_MIN. */
static void split(money_t v, const char **sg, unsigned long long *yuan,
    unsigned *fen)
{
	unsigned long long a;

	a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	*sg = v < 0 ? "-" : "";
	*yuan = a / 100;
	*fen = (unsigned)(a % 100);
}

/* sign, yuan, and fen in 0 (none), 1 or 2 decimals, into buf as
 * snprintf would (cut to n - 1 bytes, NUL-terminated), without its
 * format parsing: money_format runs once per record in case-add. */
static int put(char *buf, size_t n, money_t v, int always2)
{
	const char *sg;
	unsigned long long yuan;
	unsigned fen;
	char tmp[32], *p = tmp;
	size_t len;

	split(v, &sg, &yuan, &fen);
	if (*sg != '\0')
		*p++ = '-';
	p += num_put_uint(p, yuan, 0);
	if (always2 || fen != 0) {
		*p++ = '.';
		if (!always2 && fen % 10 == 0)
			p += num_put_uint(p, fen / 10, 0);
		else
			p += num_put_uint(p, fen, 2);
	}
	len = (size_t)(p - tmp);
	if (n > 0) {
		size_t k = len < n - 1 ? len : n - 1;

		memcpy(buf, tmp, k);
		buf[k] = '\0';
	}
	return (int)len;
}

int money_format(char *buf, size_t n, money_t v)
{
	return put(buf, n, v, 0);
}

int money_format2(char *buf, size_t n, money_t v)
{
	return put(buf, n, v, 1);
}
