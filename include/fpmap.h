/*
 * fpmap.h - a compact hash table of 64-bit fingerprints, each with a
 * 32-bit value, and no keys: for the per-case sets of case-add (source
 * ids, id numbers, name and employer), which grow with the store.
 *
 * A fingerprint stands for a key (fp_of hashes one); two keys may share
 * one, so a user that needs exactness keeps its keys elsewhere and checks
 * every slot holding the fingerprint (fpmap_next), and a user that does
 * not must be able to live with a rare false match.  The fingerprint 0
 * marks an empty slot: fp_of never returns it, and callers that make
 * their own fingerprints must not either.
 *
 * A slot is 12 bytes (the fingerprint in two halves, then the value, so
 * that nothing pads it), linear probing, load at most 3/4: a lookup
 * usually reads one cache line, value included.  Functions that grow
 * the map return -1 when memory ran out; slot indexes and value pointers
 * are valid until the next fpmap_reserve or fpmap_slot.
 */
#ifndef ONEDOOR_FPMAP_H
#define ONEDOOR_FPMAP_H

#include <stddef.h>
#include <stdint.h>

struct fpmap_slot {
	uint32_t lo, hi;	/* the fingerprint; 0 and 0: empty */
	uint32_t val;
};

struct fpmap {
	struct fpmap_slot *slot;
	size_t cap, n;		/* cap: a power of two, or 0 */
	unsigned shift;		/* 64 - log2(cap) */
};

#define FPMAP_INIT { NULL, 0, 0, 0 }

/* A 64-bit fingerprint of s[0, n), never 0. */
uint64_t fp_of(const void *s, size_t n);

/* Room for one more entry without growing: 0 or -1 (ENOMEM). */
int fpmap_reserve(struct fpmap *m);
/* Where the probe for fp starts. */
size_t fpmap_home(const struct fpmap *m, uint64_t fp);
/* From slot *i on (wrapping): 1 with *i at the next slot holding fp, or
 * 0 with *i at the empty slot where fp would go.  To see every slot of
 * fp, call again with *i + 1.  The map must not be empty of slots
 * (fpmap_reserve first). */
int fpmap_next(const struct fpmap *m, uint64_t fp, size_t *i);
/* Fill the empty slot i (from fpmap_next, after fpmap_reserve). */
void fpmap_fill(struct fpmap *m, size_t i, uint64_t fp, uint32_t val);
/* The value in slot i. */
uint32_t fpmap_val(const struct fpmap *m, size_t i);
/* Start loading fp's first slot into the cache, for a probe a little
 * later: the probe is a cache miss, and other work can hide it. */
void fpmap_prefetch(const struct fpmap *m, uint64_t fp);

/* For users content with fingerprints: the value of fp, created with
 * value 0 when absent (*created says which); NULL when memory ran out. */
uint32_t *fpmap_slot(struct fpmap *m, uint64_t fp, int *created);
/* The value of fp, or NULL. */
const uint32_t *fpmap_get(const struct fpmap *m, uint64_t fp);

/* Bytes held, for tests and measurements. */
size_t fpmap_bytes(const struct fpmap *m);
void fpmap_free(struct fpmap *m);

#endif
