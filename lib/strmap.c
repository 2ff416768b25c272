/*
 * strmap.c - string-keyed hash map (FNV-1a, linear probing, load <= 1/2).
 */
#include <string.h>

#include "mem.h"
#include "strmap.h"

static unsigned fnv(const char *s, size_t n)
{
	unsigned h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
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
	struct strmap_slot *old = m->slot, *s;
	struct strmap bigger = { NULL, cap, m->n };

	if ((bigger.slot = mem_calloc(cap, sizeof *bigger.slot)) == NULL)
		return -1;
	for (i = 0; i < m->cap; i++)
		if (old[i].key != NULL) {
			s = find(&bigger, old[i].key, old[i].klen, old[i].hash);
			*s = old[i];
		}
	mem_free(old);
	*m = bigger;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, size_t klen, long val)
{
	unsigned h = fnv(key, klen);
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	s = find(m, key, klen, h);
	if (s->key == NULL) {
		if ((s->key = mem_strndup(key, klen)) == NULL)
			return -1;
		s->klen = klen;
		s->hash = h;
		m->n++;
	}
	s->val = val;
	return 0;
}

struct strmap_slot *strmap_get(const struct strmap *m, const char *key,
    size_t klen)
{
	struct strmap_slot *s;

	if (m->cap == 0)
		return NULL;
	s = find(m, key, klen, fnv(key, klen));
	return s->key != NULL ? s : NULL;
}

void strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		mem_free(m->slot[i].key);
	mem_free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}
