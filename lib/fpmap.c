/*
 * fpmap.c - fingerprints with a small value, no keys.  See fpmap.h.
 *
 * Why: case-add remembers three keys per case of the store; as strings
 * in a strmap that was some 200 bytes a case (a 32-byte slot at load
 * 1/2, the key copy, the case id) and two cache misses per probe (the
 * slot, then the key).  Here a slot is 12 bytes and one miss.
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

static uint64_t slot_fp(const struct fpmap_slot *s)
{
	return (uint64_t)s->hi << 32 | s->lo;
}

size_t fpmap_home(const struct fpmap *m, uint64_t fp)
{
	return (size_t)((fp * K1) >> m->shift);
}

int fpmap_next(const struct fpmap *m, uint64_t fp, size_t *i)
{
	size_t mask = m->cap - 1, j = *i & mask;

	for (;; j = (j + 1) & mask) {
		uint64_t f = slot_fp(&m->slot[j]);

		if (f == fp || f == 0) {
			*i = j;
			return f != 0;
		}
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

void fpmap_prefetch(const struct fpmap *m, uint64_t fp)
{
#ifdef __GNUC__
	if (m->cap != 0)
		__builtin_prefetch(&m->slot[fpmap_home(m, fp)], 1);
#else
	(void)m;
	(void)fp;
#endif
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
	if (cap > (size_t)-1 / sizeof *m->slot)
		return -1;
	if ((big.slot = mem_calloc(cap, sizeof *big.slot)) == NULL)
		return -1;
	advise_huge(big.slot, cap * sizeof *big.slot);
	big.cap = cap;
	big.n = m->n;
	big.shift = 64 - log2_of(cap);
	mask = cap - 1;
	for (i = 0; i < m->cap; i++) {
		uint64_t f = slot_fp(&m->slot[i]);

		if (f == 0)
			continue;
		/* every fingerprint is new to big: the first empty slot */
		for (j = fpmap_home(&big, f); slot_fp(&big.slot[j]) != 0;
		    j = (j + 1) & mask)
			;
		big.slot[j] = m->slot[i];
	}
	mem_free(m->slot);
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
	return &m->slot[i].val;
}

const uint32_t *fpmap_get(const struct fpmap *m, uint64_t fp)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	i = fpmap_home(m, fp);
	return fpmap_next(m, fp, &i) ? &m->slot[i].val : NULL;
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
