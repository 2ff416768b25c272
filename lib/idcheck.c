/*
 * idcheck.c - validating and masking resident id numbers, unified social
 * credit codes and phone numbers.  See idcheck.h.
 *
 * The checks are strict about the characters (no spaces around an id
 * or a credit code, capitals only in a credit code; the caller trims)
 * so that what passes can be stored as it is.  Only the final 'x' of an
 * id number may be lower case, as many forms write it so.
 *
 * Phone numbers accepted (spaces, '-', '(' and ')' anywhere):
 *   - mobile: 1[3-9] and 9 more digits;
 *   - landline: 0, an area code of 2 or 3 digits and 7 or 8 digits,
 *     10 to 12 digits in all, optionally "-ext" or "转ext" (1 to 6 digits);
 *   - either after "+86", "0086" or "86" (a landline after +86 may drop
 *     its leading 0: "+86 10 1234 5678");
 *   - service numbers of 5 digits starting 1 or 95 (12345 government
 *     hotline, 12333 human resources, 12348 legal aid, 12351 unions,
 *     95xxx companies) and 400/800 numbers of 10 digits.
 * A local number without its area code is refused: the case may be
 * handled far from the caller's city.
 */
#include <stdlib.h>
#include <string.h>

#include "idcheck.h"
#include "timefmt.h"

#define PHONE_MAX	24	/* digits; no valid number comes close */

static const char credit_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* 1 + the place of a character in credit_chars, 0 for the others: a
 * look-up, where strchr per character cost more than the rest of the
 * check. */
static const unsigned char credit_place[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
	['F'] = 16, ['G'] = 17, ['H'] = 18, ['J'] = 19, ['K'] = 20,
	['L'] = 21, ['M'] = 22, ['N'] = 23, ['P'] = 24, ['Q'] = 25,
	['R'] = 26, ['T'] = 27, ['U'] = 28, ['W'] = 29, ['X'] = 30,
	['Y'] = 31
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Characters (not bytes) in a UTF-8 string, for messages. */
static size_t u8len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* "'m' (character 9)" for printable ASCII, "character 9" otherwise. */
static int bad_char(struct err *e, int c, size_t pos, const char *what)
{
	if (c > ' ' && c < 0x7f)
		return err_set(e, "'%c' (character %zu) %s", c, pos, what);
	return err_set(e, "character %zu %s", pos, what);
}

char idcheck_resident_check(const char *first17)
{
	static const int w[17] = {
		7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
	};
	int i, sum = 0;

	for (i = 0; i < 17; i++) {
		if (!is_digit(first17[i]))
			return '\0';
		sum += (first17[i] - '0') * w[i];
	}
	return "10X98765432"[sum % 11];
}

/*
 * The local date of now as YYYYMMDD.  Asking TZ for the offset (tzset
 * and localtime_r) cost more than all the rest of an id number's check,
 * and a run checks every id against one now: the last answer is kept,
 * for that now and that TZ.
 */
static long today_of(long long now)
{
	static long long last_now;
	static long last_today = -1;
	static char last_tz[64];
	static int last_set;
	const char *tz = getenv("TZ");
	struct tf_time t;
	struct tf_civil c;
	size_t n = tz != NULL ? strlen(tz) : 0;
	int cacheable = n < sizeof last_tz;

	if (cacheable && last_today >= 0 && last_now == now &&
	    last_set == (tz != NULL) && strcmp(last_tz, tz != NULL ? tz : "") == 0)
		return last_today;
	t.t = now;
	t.off = tf_local_offset(now);
	tf_to_civil(t, &c);
	if (!cacheable)
		return c.year * 10000L + c.month * 100 + c.day;
	last_now = now;
	last_today = c.year * 10000L + c.month * 100 + c.day;
	memcpy(last_tz, tz != NULL ? tz : "", n + 1);
	last_set = tz != NULL;
	return last_today;
}

/*
 * A date (YYYYMMDD) that is surely not after the local date of now in
 * any time zone: the UTC date of two days before now (offsets stay
 * within a day of UTC).  Birth dates up to it need no look at TZ at all
 * (today_of's getenv and string compare, per id number); only the few
 * of the last days do.  0 when now is out of the usual range.
 */
static long surely_past(long long now)
{
	static long long last_now;
	static long last = -1;
	struct tf_time t;
	struct tf_civil c;

	if (last >= 0 && last_now == now)
		return last;
	t.t = now - 2 * 86400LL;
	t.off = 0;
	tf_to_civil(t, &c);
	last_now = now;
	last = c.year > 1900 && c.year < 9999 ?
	    c.year * 10000L + c.month * 100 + c.day : 0;
	return last;
}

/* The birth date at characters 7-14 must exist and lie between
 * 1900-01-01 and the local date of now. */
static int check_birth(const char *s, long long now, struct err *e)
{
	int y, m, d;

	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 +
	    (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (!tf_valid_date(y, m, d))
		return err_set(e, "birth date %.8s does not exist", s + 6);
	if (y < 1900)
		return err_set(e, "birth date %.8s is before 1900", s + 6);
	if (y * 10000L + m * 100 + d > surely_past(now) &&
	    y * 10000L + m * 100 + d > today_of(now))
		return err_set(e, "birth date %.8s is in the future", s + 6);
	return 0;
}

int idcheck_resident(const char *s, long long now, struct err *e)
{
	size_t i, len = strlen(s);
	char want;

	if (len != 18)
		return err_set(e, "18 characters expected, got %zu",
		    u8len(s));
	for (i = 0; i < 17; i++)
		if (!is_digit(s[i]))
			return bad_char(e, (unsigned char)s[i], i + 1,
			    "is not a digit");
	if (!is_digit(s[17]) && s[17] != 'X' && s[17] != 'x')
		return bad_char(e, (unsigned char)s[17], 18,
		    "is not a digit or X");
	if (check_birth(s, now, e) < 0)
		return -1;
	want = idcheck_resident_check(s);
	if ((s[17] == 'x' ? 'X' : s[17]) != want)
		return err_set(e, "check character should be %c", want);
	return 0;
}

/* GB 32100-2015: weights 3^i mod 31, check = 31 - sum mod 31, 31 -> 0. */
char idcheck_credit_check(const char *first17)
{
	static const int w[17] = {
		1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
	};
	int i, k, sum = 0;

	for (i = 0; i < 17; i++) {
		if ((k = credit_place[(unsigned char)first17[i]]) == 0)
			return '\0';
		sum += (k - 1) * w[i];
	}
	return credit_chars[(31 - sum % 31) % 31];
}

int idcheck_credit_code(const char *s, struct err *e)
{
	size_t i, len = strlen(s);
	char want;

	if (len != 18)
		return err_set(e, "18 characters expected, got %zu",
		    u8len(s));
	for (i = 0; i < 18; i++)
		if (credit_place[(unsigned char)s[i]] == 0)
			return bad_char(e, (unsigned char)s[i], i + 1,
			    s[i] >= 'a' && s[i] <= 'z' ?
			    "is not allowed in a credit code (capitals only)" :
			    "is not allowed in a credit code");
	want = idcheck_credit_check(s);
	if (s[17] != want)
		return err_set(e, "check character should be %c", want);
	return 0;
}

/* A phone number taken apart: its digits, where each came from, how
 * many lead as a country code, and where an extension starts. */
struct phone {
	char dig[PHONE_MAX + 1];
	size_t pos[PHONE_MAX];
	size_t n;		/* digits in all */
	size_t cc;		/* leading country-code digits */
	size_t ext;		/* digits before the last '-' or 转 */
	int plus;
};

/* Collect the digits; -1 (with e) on a character that has no place. */
static int phone_scan(const char *s, struct phone *ph, struct err *e)
{
	size_t i, nch = 0;

	memset(ph, 0, sizeof *ph);
	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			nch++;
		if (is_digit(s[i])) {
			if (ph->n == PHONE_MAX)
				return err_set(e, "too many digits for a "
				    "phone number");
			ph->pos[ph->n] = i;
			ph->dig[ph->n++] = s[i];
		} else if (s[i] == '+' && ph->n == 0 && !ph->plus)
			ph->plus = 1;
		else if (s[i] == '-')
			ph->ext = ph->n;
		else if (strncmp(s + i, "\xe8\xbd\xac", 3) == 0) {	/* 转 */
			ph->ext = ph->n;
			i += 2;
		} else if (s[i] != ' ' && s[i] != '(' && s[i] != ')')
			return bad_char(e, (unsigned char)s[i], nch,
			    "is not allowed in a phone number");
	}
	return 0;
}

/* Digits of the country code in front, if any. */
static size_t country_digits(const struct phone *ph)
{
	if (ph->plus)
		return ph->n >= 2 ? 2 : 0;	/* idcheck_phone insists on 86 */
	if (ph->n >= 4 && strncmp(ph->dig, "0086", 4) == 0)
		return 4;
	if (ph->n == 13 && strncmp(ph->dig, "861", 3) == 0)
		return 2;
	return 0;
}

static int is_mobile(const char *d, size_t n)
{
	return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* 0, an area code of 2 or 3 digits, 7 or 8 digits. */
static int is_landline(const char *d, size_t n)
{
	return n >= 10 && n <= 12 && d[0] == '0' && d[1] != '0';
}

/* After +86 the 0 may be dropped: "+86 10 1234 5678".  Area codes
 * starting with 1 are only 10, so such a number is no mobile one. */
static int is_landline_nozero(const char *d, size_t n)
{
	if (d[0] == '0')
		return 0;
	if (d[0] == '1')
		return n == 10 && d[1] == '0';
	return n >= 9 && n <= 11;
}

static int is_service(const char *d, size_t n)
{
	if (n == 5)
		return d[0] == '1' || strncmp(d, "95", 2) == 0;
	return n == 10 && (strncmp(d, "400", 3) == 0 ||
	    strncmp(d, "800", 3) == 0);
}

/* Whether the national digits d[0..n) are a number; cc says a country
 * code came before them. */
static int national_ok(const char *d, size_t n, int cc)
{
	if (is_mobile(d, n) || is_landline(d, n))
		return 1;
	if (cc)
		return is_landline_nozero(d, n);
	return is_service(d, n);
}

/* Why the national digits are not a number, as helpfully as we can. */
static int phone_reason(const char *d, size_t n, struct err *e)
{
	if (n == 0)
		return err_set(e, "phone number has no digits");
	if (d[0] == '0')
		return err_set(e, "landline numbers have 10 to 12 digits "
		    "with the area code, got %zu", n);
	if (n == 7 || n == 8)
		return err_set(e, "area code missing");
	if (d[0] == '1' && n == 11)
		return err_set(e, "no mobile number starts with %.2s", d);
	if (d[0] == '1' && n > 8)
		return err_set(e, "mobile numbers have 11 digits, got %zu", n);
	return err_set(e, "not a phone number (%zu digits)", n);
}

int idcheck_phone(const char *s, struct err *e)
{
	struct phone ph;
	const char *d;
	size_t n, ext;

	if (phone_scan(s, &ph, e) < 0)
		return -1;
	ph.cc = country_digits(&ph);
	if (ph.plus && (ph.n < 2 || strncmp(ph.dig, "86", 2) != 0))
		return err_set(e, "only mainland numbers (+86) are accepted");
	d = ph.dig + ph.cc;
	n = ph.n - ph.cc;
	if (n > 0 && national_ok(d, n, ph.cc != 0))
		return 0;
	/* An extension after the last separator, on a landline only. */
	if (ph.ext > ph.cc) {
		ext = ph.n - ph.ext;
		n = ph.ext - ph.cc;
		if (ext >= 1 && ext <= 6 && (is_landline(d, n) ||
		    (ph.cc != 0 && is_landline_nozero(d, n))))
			return 0;
	}
	return phone_reason(d, ph.n - ph.cc, e);
}

/* Bounded output for the masks: never more than n - 1 bytes and a NUL. */
struct out {
	char *p;
	size_t left;
};

static void put(struct out *o, const char *s, size_t len)
{
	while (len-- > 0 && o->left > 1) {
		*o->p++ = *s++;
		o->left--;
	}
}

static size_t u8char(const char *s)
{
	size_t k = 1;

	while (s[k] != '\0' && ((unsigned char)s[k] & 0xc0) == 0x80)
		k++;
	return k;
}

/* Every character of s as one '*'. */
static void mask_whole(const char *s, struct out *o)
{
	for (; *s != '\0'; s += u8char(s))
		put(o, "*", 1);
}

void idcheck_mask_id(const char *s, char *out, size_t n)
{
	struct out o = { out, n };
	size_t i, nch = u8len(s), k;

	if (n == 0)
		return;
	if (nch <= 10)
		mask_whole(s, &o);
	else
		for (i = 0; *s != '\0'; i++, s += k) {
			k = u8char(s);
			if (i < 6 || i >= nch - 4)
				put(&o, s, k);
			else
				put(&o, "*", 1);
		}
	*o.p = '\0';
}

void idcheck_mask_phone(const char *s, char *out, size_t n)
{
	struct out o = { out, n };
	struct phone ph;
	size_t i, j, k, last;

	if (n == 0)
		return;
	if (phone_scan(s, &ph, NULL) < 0) {
		mask_whole(s, &o);	/* not a number: show nothing */
		*o.p = '\0';
		return;
	}
	ph.cc = country_digits(&ph);
	/* The national number ends at a valid extension, else at the end. */
	last = ph.n;
	if (ph.ext > ph.cc && idcheck_phone(s, NULL) == 0 &&
	    !national_ok(ph.dig + ph.cc, ph.n - ph.cc, ph.cc != 0))
		last = ph.ext;
	if (last - ph.cc <= 7) {
		mask_whole(s, &o);
		*o.p = '\0';
		return;
	}
	for (i = 0, j = 0; s[i] != '\0'; i += k) {
		k = u8char(s + i);
		if (j < ph.n && ph.pos[j] == i) {
			if (j >= ph.cc + 3 && j < last - 4)
				put(&o, "*", 1);
			else
				put(&o, s + i, 1);
			j++;
		} else
			put(&o, s + i, k);
	}
	*o.p = '\0';
}
