/*
 * fpmap.c - fingerprints with a small value, or alone; no keys.  See
 * fpmap.h.
 *
 * Why: case-add remembers three keys per case of the store; as strings
 * in a strmap that was some 200 bytes a case (a 32-byte slot at load
 * 1/2, the key copy, the case id) and two cache misses per probe (the
 * slot, then the key).  Here a slot is 12 bytes (8 in a set) and one
 * miss.
 *
 * fp_of reads eight bytes at a time; each step (xor a word, multiply by
 * an odd constant, fold the high half down) is a bijection of the state,
 * so two keys of one length that differ in a single word never collide,
 * and the splitmix64 finaliser spreads every input bit over the result.
 * The home slot is Fibonacci hashing of the fingerprint (the high half
 * after a multiply), scaled to the capacity by a multiply and a shift
 * rather than masked: callers may use structured fingerprints (fp_pack,
 * case-add's packed id numbers) without clustering, and a capacity need
 * not be a power of two.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fpmap.h"
#include "mem.h"

#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xbf58476d1ce4e5b9ULL
#define K3 0x94d049bb133111ebULL
#define MIN_CAP 64
/* Homes are computed from 32 bits of hash times the capacity. */
#if SIZE_MAX > 0xffffffffu
#define MAX_CAP ((size_t)1 << 32)
#else
#define MAX_CAP (SIZE_MAX / 16)
#endif

uint64_t fp_mix(uint64_t h)
{
	h ^= h >> 30;
	h *= K2;
	h ^= h >> 27;
	h *= K3;
	h ^= h >> 31;
	return h;
}

uint64_t fp_of(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint64_t h = K1 ^ ((uint64_t)n * K3), w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * K2;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * K2;
		h ^= h >> 32;
	}
	h = fp_mix(h);
	return h != 0 ? h : 1;
}

uint64_t fp_more(uint64_t h, const void *s, size_t n)
{
	const unsigned char *p = s;

	while (n-- > 0)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

uint64_t fp_more_str(uint64_t h, const char *s)
{
	/* 0xff is no byte of UTF-8 text, so NULL is no string */
	return s == NULL ? fp_more(h, "\xff", 1) : fp_more(h, s, strlen(s) + 1);
}

uint64_t fp_more_num(uint64_t h, long long v)
{
	char t[24];
	int n = snprintf(t, sizeof t, "%lld", v);

	return fp_more(h, t, (size_t)n + 1);
}

/*
 * fp_pack: the id is cut into a head of at most 7 characters that are
 * not digits (A-Z a-z - _: 54 of them) and a tail of digits and '-'
 * starting at the first digit.  The tail is a number in bijective base
 * 11 (digits 1 to 11 stand for 0-9 and '-'), which writes every string
 * of the tail's alphabet, leading zeros and length included, as its own
 * number; the head is a number of base 54 with its length beside it:
 *     x = ((tail * 54^len + head) * 8 + len)
 * Everything is undone from x in turn (len, head, tail), so x decides
 * the id; x < 2^63, and the fingerprint is x with bit 63 set.
 */
#define HEAD_MAX 7

static int head_code(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return 26 + (c - 'a');
	if (c == '-')
		return 52;
	if (c == '_')
		return 53;
	return -1;
}

int fp_pack(const char *s, size_t n, uint64_t *fp)
{
	const uint64_t lim = (1ULL << 63) - 1;
	uint64_t head = 0, pw = 1, tail = 0, room;
	size_t i, len;
	int c;

	for (i = 0; i < n && (s[i] < '0' || s[i] > '9'); i++) {
		if (i == HEAD_MAX || (c = head_code((unsigned char)s[i])) < 0)
			return 0;
		head = head * 54 + (uint64_t)c;
		pw *= 54;
	}
	len = i;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			c = s[i] - '0' + 1;
		else if (s[i] == '-')
			c = 11;
		else
			return 0;
		if (tail > (lim - 11) / 11)
			return 0;
		tail = tail * 11 + (uint64_t)c;
	}
	/* (tail * pw + head) * 8 + len <= lim; head < pw <= 54^7 < lim / 8 */
	room = (lim - len) / 8;
	if (tail > (room - head) / pw)
		return 0;
	*fp = ((tail * pw + head) * 8 + len) | 1ULL << 63;
	return 1;
}

size_t fp_cap_for(size_t n)
{
	size_t cap;

	if (n > MAX_CAP / 4 * 3)
		return MAX_CAP;
	cap = n / 3 * 4 + (n % 3 * 4 + 2) / 3;	/* ceil(4n / 3) */
	return cap < MIN_CAP ? MIN_CAP : cap;
}

/* The slot a fingerprint's probe starts at, in a table of cap slots. */
static size_t home(uint64_t fp, size_t cap)
{
	return (size_t)((((fp * K1) >> 32) * (uint64_t)cap) >> 32);
}

/* Whether a table of cap slots has room for n entries. */
static int fits(size_t n, size_t cap)
{
	return n <= cap / 4 * 3 + cap % 4 * 3 / 4;	/* n <= 3cap/4 */
}

/* The capacity to grow to when a table of cap slots is full. */
static size_t grown(size_t cap)
{
	if (cap == 0)
		return MIN_CAP;
	return cap > MAX_CAP / 2 ? MAX_CAP : cap * 2;
}

/*
 * Ask for transparent huge pages under a big array: its probes land
 * anywhere, and with 4 KiB pages nearly every one was also a TLB miss
 * (and every page a fault while the array filled).  Only advice: where
 * the kernel says no, nothing changes.
 */
static void advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t b = ((uintptr_t)p + n) & ~(huge - 1);

	if (b > a)
		(void)madvise((void *)a, (size_t)(b - a), MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

void *fp_new_slots(size_t cap, size_t size)
{
	void *p;

	if (cap > MAX_CAP || (p = mem_calloc(cap, size)) == NULL)
		return NULL;
	advise_huge(p, cap * size);
	return p;
}

/* --- fpmap ---------------------------------------------------------- */

static uint64_t slot_fp(const struct fpmap_slot *s)
{
	return (uint64_t)s->hi << 32 | s->lo;
}

size_t fpmap_home(const struct fpmap *m, uint64_t fp)
{
	return home(fp, m->cap);
}

int fpmap_next(const struct fpmap *m, uint64_t fp, size_t *i)
{
	size_t j = *i < m->cap ? *i : 0;

	for (;;) {
		uint64_t f = slot_fp(&m->slot[j]);

		if (f == fp || f == 0) {
			*i = j;
			return f != 0;
		}
		if (++j == m->cap)
			j = 0;
	}
}

void fpmap_fill(struct fpmap *m, size_t i, uint64_t fp, uint32_t val)
{
	m->slot[i].lo = (uint32_t)fp;
	m->slot[i].hi = (uint32_t)(fp >> 32);
	m->slot[i].val = val;
	m->n++;
}

uint32_t fpmap_val(const struct fpmap *m, size_t i)
{
	return m->slot[i].val;
}

/* Ask for the cache line of a slot about to be written: a hint, which
 * compilers without the builtin go without. */
static void prefetch_slot(const void *p)
{
#ifdef __GNUC__
	__builtin_prefetch(p, 1);
#else
	(void)p;
#endif
}

void fpmap_prefetch(const struct fpmap *m, uint64_t fp)
{
	if (m->cap != 0)
		prefetch_slot(&m->slot[home(fp, m->cap)]);
}

/* Move every entry into a new table of cap slots. */
static int fpmap_rehash(struct fpmap *m, size_t cap)
{
	struct fpmap_slot *big;
	size_t i, j;

	if ((big = fp_new_slots(cap, sizeof *big)) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		uint64_t f = slot_fp(&m->slot[i]);

		if (f == 0)
			continue;
		/* every fingerprint is new to big: the first empty slot */
		for (j = home(f, cap); slot_fp(&big[j]) != 0;)
			if (++j == cap)
				j = 0;
		big[j] = m->slot[i];
	}
	mem_free(m->slot);
	m->slot = big;
	m->cap = cap;
	return 0;
}

int fpmap_reserve(struct fpmap *m)
{
	if (m->cap != 0 && fits(m->n + 1, m->cap))
		return 0;
	if (m->cap >= MAX_CAP)
		return -1;
	return fpmap_rehash(m, grown(m->cap));
}

int fpmap_reserve_n(struct fpmap *m, size_t n)
{
	if (m->cap != 0 && fits(n, m->cap))
		return 0;
	if (!fits(n, fp_cap_for(n)))
		return -1;
	return fpmap_rehash(m, fp_cap_for(n));
}

size_t fpmap_bytes(const struct fpmap *m)
{
	return m->cap * sizeof *m->slot;
}

void fpmap_free(struct fpmap *m)
{
	mem_free(m->slot);
	memset(m, 0, sizeof *m);
}

/* --- fpset ---------------------------------------------------------- */

/* 1 with *i at fp's slot, or 0 with *i at the empty slot for it. */
static int set_find(const struct fpset *s, uint64_t fp, size_t *i)
{
	size_t j = home(fp, s->cap);

	for (;;) {
		uint64_t f = s->slot[j];

		if (f == fp || f == 0) {
			*i = j;
			return f != 0;
		}
		if (++j == s->cap)
			j = 0;
	}
}

static int fpset_rehash(struct fpset *s, size_t cap)
{
	uint64_t *big;
	size_t i, j;

	if ((big = fp_new_slots(cap, sizeof *big)) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		uint64_t f = s->slot[i];

		if (f == 0)
			continue;
		for (j = home(f, cap); big[j] != 0;)
			if (++j == cap)
				j = 0;
		big[j] = f;
	}
	mem_free(s->slot);
	s->slot = big;
	s->cap = cap;
	return 0;
}

int fpset_has(const struct fpset *s, uint64_t fp)
{
	size_t i;

	return s->cap != 0 && set_find(s, fp, &i);
}

int fpset_add(struct fpset *s, uint64_t fp)
{
	size_t i;

	if (s->cap != 0 && set_find(s, fp, &i))
		return 1;
	if (s->cap == 0 || !fits(s->n + 1, s->cap)) {
		if (s->cap >= MAX_CAP ||
		    fpset_rehash(s, grown(s->cap)) < 0)
			return -1;
	}
	if (set_find(s, fp, &i))
		return 1;
	s->slot[i] = fp;
	s->n++;
	return 0;
}

int fpset_reserve_n(struct fpset *s, size_t n)
{
	if (s->cap != 0 && fits(n, s->cap))
		return 0;
	if (!fits(n, fp_cap_for(n)))
		return -1;
	return fpset_rehash(s, fp_cap_for(n));
}

void fpset_prefetch(const struct fpset *s, uint64_t fp)
{
	if (s->cap != 0)
		prefetch_slot(&s->slot[home(fp, s->cap)]);
}

size_t fpset_bytes(const struct fpset *s)
{
	return s->cap * sizeof *s->slot;
}

void fpset_free(struct fpset *s)
{
	mem_free(s->slot);
	memset(s, 0, sizeof *s);
}

/* --- fpseq ---------------------------------------------------------- */

struct fpseq_family {
	uint64_t code;		/* 0: an empty slot */
	uint64_t base;		/* the number of bit 0, a multiple of 64 */
	uint64_t *bits;
	size_t words;		/* 64 numbers each */
	size_t count;		/* ids in bits */
	uint64_t lo, hi;	/* numbers kept elsewhere: within [lo, hi],
				   none when lo > hi */
};

#define FPSEQ_SLOTS 1024	/* > FPSEQ_FAMILIES * 4 / 3 */
/* A bitmap may take up to one word (64 numbers) per id it holds, plus
 * this many: sparser numbers are left to the caller. */
#define FPSEQ_SLACK 64

int fpseq_key(const char *s, size_t n, uint64_t *code, uint64_t *num)
{
	uint64_t head = 0, v = 0;
	size_t i, len;
	int c;

	for (i = 0; i < n && (s[i] < '0' || s[i] > '9'); i++) {
		if (i == HEAD_MAX || (c = head_code((unsigned char)s[i])) < 0)
			return 0;
		head = head * 54 + (uint64_t)c;
	}
	len = i;
	if (n - len < 1 || n - len > 18)
		return 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	/* head < 54^7 < 2^41, len < 8, digits < 32 */
	*code = ((head * 8 + len) * 32 + (n - len)) + 1;
	*num = v;
	return 1;
}

static size_t fam_home(uint64_t code)
{
	return (size_t)(((code * K1) >> 32) * FPSEQ_SLOTS >> 32);
}

static const struct fpseq_family *fam_find(const struct fpseq *q,
    uint64_t code)
{
	size_t i;

	if (q->fam == NULL)
		return NULL;
	for (i = fam_home(code); q->fam[i].code != 0;
	    i = (i + 1) % FPSEQ_SLOTS)
		if (q->fam[i].code == code)
			return &q->fam[i];
	return NULL;
}

int fpseq_has(const struct fpseq *q, uint64_t code, uint64_t num)
{
	const struct fpseq_family *f = fam_find(q, code);
	uint64_t k;

	if (f == NULL)
		return q->full ? FPSEQ_ASK : FPSEQ_NO;
	if (num >= f->base && (k = num - f->base) / 64 < f->words &&
	    (f->bits[k / 64] >> (k % 64) & 1))
		return FPSEQ_YES;
	return f->lo <= num && num <= f->hi ? FPSEQ_ASK : FPSEQ_NO;
}

void fpseq_prefetch(const struct fpseq *q, uint64_t code, uint64_t num)
{
#ifdef __GNUC__
	const struct fpseq_family *f = fam_find(q, code);
	uint64_t k;

	if (f != NULL && num >= f->base && (k = num - f->base) / 64 < f->words)
		__builtin_prefetch(&f->bits[k / 64], 1);
#else
	(void)q;
	(void)code;
	(void)num;
#endif
}

/* Give the caller the number, within the family's range of them. */
static int elsewhere(struct fpseq_family *f, uint64_t num)
{
	if (f->lo > f->hi)
		f->lo = f->hi = num;
	else if (num < f->lo)
		f->lo = num;
	else if (num > f->hi)
		f->hi = num;
	return 0;
}

int fpseq_add(struct fpseq *q, uint64_t code, uint64_t num)
{
	struct fpseq_family *f;
	uint64_t k, need, words;
	uint64_t *bits;
	size_t i;

	if (q->fam == NULL) {
		if ((q->fam = mem_calloc(FPSEQ_SLOTS, sizeof *q->fam)) == NULL)
			return -1;
		q->cap = FPSEQ_SLOTS;
		q->bytes += FPSEQ_SLOTS * sizeof *q->fam;
	}
	for (i = fam_home(code); q->fam[i].code != 0 && q->fam[i].code != code;)
		i = (i + 1) % FPSEQ_SLOTS;
	f = &q->fam[i];
	if (f->code == 0) {
		if (q->nfam == FPSEQ_FAMILIES) {
			q->full = 1;
			return 0;
		}
		if ((f->bits = mem_calloc(1, sizeof *f->bits)) == NULL)
			return -1;
		f->code = code;
		f->base = num - num % 64;
		f->words = 1;
		f->lo = 1;
		f->hi = 0;
		q->nfam++;
		q->bytes += sizeof *f->bits;
	}
	if (num < f->base)
		return elsewhere(f, num);
	k = num - f->base;
	if (k / 64 >= f->words) {
		need = k / 64 + 1;
		if (need > f->count + FPSEQ_SLACK)
			return elsewhere(f, num);
		words = f->words * 2 > need ? f->words * 2 : need;
		if (words > f->count + FPSEQ_SLACK)
			words = need;
		if (words > (uint64_t)((size_t)-1 / sizeof *bits) ||
		    (bits = mem_realloc(f->bits, (size_t)words * sizeof *bits)) == NULL)
			return -1;
		memset(bits + f->words, 0, (size_t)(words - f->words) * sizeof *bits);
		q->bytes += (size_t)(words - f->words) * sizeof *bits;
		f->bits = bits;
		f->words = (size_t)words;
	}
	f->bits[k / 64] |= 1ULL << (k % 64);
	f->count++;
	return 1;
}

void fpseq_free(struct fpseq *q)
{
	size_t i;

	if (q->fam != NULL)
		for (i = 0; i < FPSEQ_SLOTS; i++)
			mem_free(q->fam[i].bits);
	mem_free(q->fam);
	memset(q, 0, sizeof *q);
}
