/*
 * strmap.h - a hash map from strings to a long, for sets of ids and small
 * lookup tables (open addressing, keys copied into the map).
 *
 * The map owns its keys; strmap_free releases them.  Functions that grow
 * the map return -1 when memory ran out.
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
};

#define STRMAP_INIT { NULL, 0, 0 }

/* Set key -> val (replacing).  0 or -1 (ENOMEM). */
int strmap_put(struct strmap *m, const char *key, size_t klen, long val);
/* The slot of key, or NULL. */
struct strmap_slot *strmap_get(const struct strmap *m, const char *key,
    size_t klen);
void strmap_free(struct strmap *m);

#endif
