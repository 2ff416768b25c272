/*
 * strmap.h - a hash map from strings to a long, for sets of ids and small
 * lookup tables (open addressing, keys copied into the map's own pool).
 *
 * The map owns its keys; strmap_free releases them.  Functions that grow
 * the map return -1 / NULL when memory ran out.  A slot pointer is valid
 * until the next insertion.
 */
#ifndef ONEDOOR_STRMAP_H
#define ONEDOOR_STRMAP_H

#include <stddef.h>

struct strmap_slot {
	char *key;
	size_t klen;
	unsigned hash;
	long val;
};

struct strmap {
	struct strmap_slot *slot;
	size_t cap, n;
	char *pool;		/* current block of key storage */
	size_t pool_used, pool_cap;
	void *blocks;		/* every block, to free them */
};

#define STRMAP_INIT { NULL, 0, 0, NULL, 0, 0, NULL }

/* Set key -> val (replacing).  0 or -1 (ENOMEM). */
int strmap_put(struct strmap *m, const char *key, size_t klen, long val);
/* The slot of key, or NULL. */
struct strmap_slot *strmap_get(const struct strmap *m, const char *key,
    size_t klen);
/* The slot of key, created with val 0 when absent (*created says which):
 * one probe for "look up, then remember".  NULL when memory ran out. */
struct strmap_slot *strmap_slot(struct strmap *m, const char *key,
    size_t klen, int *created);
void strmap_free(struct strmap *m);

#endif
