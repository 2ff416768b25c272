/*
 * strmap.c - string-keyed hash map (FNV-1a with a final mix, linear
 * probing, load <= 1/2).  Keys live in large pool blocks rather than one
 * allocation each: case-add keeps three maps with an entry per case of
 * the store, and a malloc per key cost more than the probing.
 */
#include <string.h>

#include "mem.h"
#include "strmap.h"

#define POOL_BLOCK 65536

struct block {
	struct block *next;
	/* key bytes follow */
};

static unsigned hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	/* FNV's low bits are weak and the table is indexed by them: mix the
	 * high bits down (murmur3's finaliser) */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static struct strmap_slot *find(const struct strmap *m, const char *key,
    size_t klen, unsigned h)
{
	size_t i = h & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct strmap_slot *s = &m->slot[i];

		if (s->key == NULL || (s->hash == h && s->klen == klen &&
		    memcmp(s->key, key, klen) == 0))
			return s;
	}
}

static int grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	struct strmap_slot *bigger, *s;
	struct strmap tmp;

	if ((bigger = mem_calloc(cap, sizeof *bigger)) == NULL)
		return -1;
	tmp.slot = bigger;
	tmp.cap = cap;
	for (i = 0; i < m->cap; i++)
		if (m->slot[i].key != NULL) {
			s = find(&tmp, m->slot[i].key, m->slot[i].klen, m->slot[i].hash);
			*s = m->slot[i];
		}
	mem_free(m->slot);
	m->slot = bigger;
	m->cap = cap;
	return 0;
}

/* A copy of the key in the pool, NUL-terminated. */
static char *pool_copy(struct strmap *m, const char *key, size_t klen)
{
	char *p;

	if (m->pool == NULL || m->pool_used + klen + 1 > m->pool_cap) {
		size_t size = klen + 1 > POOL_BLOCK ? klen + 1 : POOL_BLOCK;
		struct block *b = mem_alloc(sizeof *b + size);

		if (b == NULL)
			return NULL;
		b->next = m->blocks;
		m->blocks = b;
		m->pool = (char *)(b + 1);
		m->pool_used = 0;
		m->pool_cap = size;
	}
	p = m->pool + m->pool_used;
	memcpy(p, key, klen);
	p[klen] = '\0';
	m->pool_used += klen + 1;
	return p;
}

struct strmap_slot *strmap_slot(struct strmap *m, const char *key,
    size_t klen, int *created)
{
	unsigned h = hash(key, klen);
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return NULL;
	s = find(m, key, klen, h);
	*created = s->key == NULL;
	if (*created) {
		if ((s->key = pool_copy(m, key, klen)) == NULL)
			return NULL;
		s->klen = klen;
		s->hash = h;
		s->val = 0;
		m->n++;
	}
	return s;
}

int strmap_put(struct strmap *m, const char *key, size_t klen, long val)
{
	int created;
	struct strmap_slot *s = strmap_slot(m, key, klen, &created);

	if (s == NULL)
		return -1;
	s->val = val;
	return 0;
}

struct strmap_slot *strmap_get(const struct strmap *m, const char *key,
    size_t klen)
{
	struct strmap_slot *s;

	if (m->cap == 0)
		return NULL;
	s = find(m, key, klen, hash(key, klen));
	return s->key != NULL ? s : NULL;
}

void strmap_free(struct strmap *m)
{
	struct block *b = m->blocks, *next;

	for (; b != NULL; b = next) {
		next = b->next;
		mem_free(b);
	}
	mem_free(m->slot);
	memset(m, 0, sizeof *m);
}
