/*
 * fpmap.c - fingerprints with a small value, no keys.  See fpmap.h.
 *
 * Why: case-add remembers three keys per case of the store; as strings
 * in a strmap that was some 200 bytes a case (a 32-byte slot at load
 * 1/2, the key copy, the case id) and one cache miss per probe into a
 * table of pointers.  Here a slot is 12 bytes.
 *
 * fp_of reads eight bytes at a time; each step (xor a word, multiply by
 * an odd constant, fold the high half down) is a bijection of the state,
 * so two keys of one length that differ in a single word never collide,
 * and the splitmix64 finaliser spreads every input bit over the result.
 * The slot index is Fibonacci hashing of the fingerprint (its high bits
 * after a multiply), so callers may also use structured fingerprints
 * (fpmap.h) without clustering.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "fpmap.h"
#include "mem.h"

#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xbf58476d1ce4e5b9ULL
#define K3 0x94d049bb133111ebULL
#define MIN_CAP 64

static uint64_t finish(uint64_t h)
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
	h = finish(h);
	return h != 0 ? h : 1;
}

size_t fpmap_home(const struct fpmap *m, uint64_t fp)
{
	return (size_t)((fp * K1) >> m->shift);
}

int fpmap_next(const struct fpmap *m, uint64_t fp, size_t *i)
{
	size_t mask = m->cap - 1, j = *i & mask;

	for (;; j = (j + 1) & mask) {
		uint64_t f = m->fp[j];

		if (f == fp || f == 0) {
			*i = j;
			return f != 0;
		}
	}
}

void fpmap_fill(struct fpmap *m, size_t i, uint64_t fp, uint32_t val)
{
	m->fp[i] = fp;
	m->val[i] = val;
	m->n++;
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

static unsigned log2_of(size_t cap)
{
	unsigned k = 0;

	while (((size_t)1 << k) < cap)
		k++;
	return k;
}

int fpmap_reserve(struct fpmap *m)
{
	size_t cap, i, j, mask;
	struct fpmap big;

	if (m->cap != 0 && (m->n + 1) * 4 <= m->cap * 3)
		return 0;
	cap = m->cap ? m->cap * 2 : MIN_CAP;
	if (cap > (size_t)-1 / sizeof *m->fp)
		return -1;
	big.fp = mem_calloc(cap, sizeof *big.fp);
	big.val = mem_alloc(cap * sizeof *big.val);
	if (big.fp == NULL || big.val == NULL) {
		mem_free(big.fp);
		mem_free(big.val);
		return -1;
	}
	advise_huge(big.fp, cap * sizeof *big.fp);
	advise_huge(big.val, cap * sizeof *big.val);
	big.cap = cap;
	big.n = m->n;
	big.shift = 64 - log2_of(cap);
	mask = cap - 1;
	for (i = 0; i < m->cap; i++) {
		if (m->fp[i] == 0)
			continue;
		/* every fingerprint is new to big: the first empty slot */
		for (j = fpmap_home(&big, m->fp[i]); big.fp[j] != 0;
		    j = (j + 1) & mask)
			;
		big.fp[j] = m->fp[i];
		big.val[j] = m->val[i];
	}
	mem_free(m->fp);
	mem_free(m->val);
	*m = big;
	return 0;
}

uint32_t *fpmap_slot(struct fpmap *m, uint64_t fp, int *created)
{
	size_t i;

	if (fpmap_reserve(m) < 0)
		return NULL;
	i = fpmap_home(m, fp);
	*created = !fpmap_next(m, fp, &i);
	if (*created)
		fpmap_fill(m, i, fp, 0);
	return &m->val[i];
}

const uint32_t *fpmap_get(const struct fpmap *m, uint64_t fp)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	i = fpmap_home(m, fp);
	return fpmap_next(m, fp, &i) ? &m->val[i] : NULL;
}

size_t fpmap_bytes(const struct fpmap *m)
{
	return m->cap * (sizeof *m->fp + sizeof *m->val);
}

void fpmap_free(struct fpmap *m)
{
	mem_free(m->fp);
	mem_free(m->val);
	memset(m, 0, sizeof *m);
}
