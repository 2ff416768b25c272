/*
 * dupindex.h - case-add's possible-duplicate index: for each of two keys
 * of a case (key 0, its claimant's id number; key 1, the claimant's name
 * with the employer), the newest open case that had the key, in about
 * five bytes of memory a key.
 *
 * Keys are 64-bit fingerprints (0: the case has no such key).  Each case
 * noted (dupindex_note) gets the next number (0, 1, 2, ...), an entry in
 * a log (its two keys) and its reference (the caller's 32-bit name for
 * the case, kept as runs: references that go up by one take nothing).
 * Memory holds one 32-bit slot per key: the number of the newest case
 * with it, and in the other bits a few bits of the key's hash (a tag).
 * A slot whose tag matches is confirmed:
 *   - for key 0, by reading that case's entry from the log, so key 0
 *     answers exactly as a table of the fingerprints would;
 *   - for key 1 (DUPINDEX_CHECKED), which repeats far more often, by 16
 *     check bits of each case's key kept in memory (2 bytes a case):
 *     tag and check bits are 28 bits of the hash up to 2^20 cases, one
 *     fewer each time the cases double beyond, so two keys are taken for
 *     one with a chance of about 1 in 10^8 a lookup at a million cases.
 *
 * The log's recent entries are in memory; older ones go to an unlinked
 * temporary file in $TMPDIR (or /tmp), read back one entry at a time
 * (16 bytes a case: gone when the process ends, even when it is
 * killed).  When no file can be made or written there, the entries stay
 * in memory instead, and the index keeps working with 16 bytes more a
 * case.
 *
 * The struct is the caller's; dupindex_init before use, dupindex_free
 * after (it closes the file).  Errors (memory, or reading the file back)
 * fill e and return -1; the index is then only fit for dupindex_free.
 */
#ifndef ONEDOOR_DUPINDEX_H
#define ONEDOOR_DUPINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define DUPINDEX_KEYS 2
#define DUPINDEX_CHECKED 1	/* the key confirmed by check bits */

struct dupindex_table {
	uint32_t *slot;		/* tag << ibits | case number + 1; 0: empty */
	size_t cap, n;		/* slots; keys held */
};

struct dupindex_run {
	uint32_t c0, ref0;	/* cases from c0 on: ref0, ref0 + 1, ... */
};

struct dupindex {
	struct dupindex_table t[DUPINDEX_KEYS];
	struct dupindex_run *runs;	/* the references, as runs */
	size_t nruns, runcap;
	uint16_t *check;	/* each case's check bits of key 1 */
	size_t checkcap;
	unsigned ibits;		/* a slot's low bits, for case number + 1 */
	uint64_t *live;		/* bit 2c + k: case c is key k's newest */
	size_t nlive;		/* words of live */
	size_t ncase;		/* cases noted */
	size_t flushed;		/* entries [0, flushed) are in the file */
	unsigned char *buf;	/* entries [flushed, ncase) */
	size_t bufcap;		/* entries buf has room for */
	size_t bufmax;		/* entries kept before writing them out (a
				   field so that tests can lower it) */
	int fd;			/* the file, or -1 before it is needed */
	int nofile;		/* none could be made or written: memory */
};

/* An empty index. */
void dupindex_init(struct dupindex *d);

/*
 * Note a new case with keys key[0] and key[1] (either may be 0) and the
 * reference ref.  It becomes the newest case of each of its keys.  1
 * with *prev set to the reference of the newest earlier case that had
 * key[0], else of the one that had key[1]; 0 when neither key was seen
 * before (or both are 0: nothing is noted); -1 on error.  prev may be
 * NULL when only the noting matters (finding a reference among many
 * runs costs a binary search).
 */
int dupindex_note(struct dupindex *d, const uint64_t key[DUPINDEX_KEYS],
    uint32_t ref, uint32_t *prev, struct err *e);

/* Start loading the slot where key k's probe begins. */
void dupindex_prefetch(const struct dupindex *d, int k, uint64_t key);

/* The keys of kind k held (for sizing the table ahead). */
size_t dupindex_keys(const struct dupindex *d, int k);

/*
 * Room for n keys of kind k without growing: one rebuild now instead of
 * one per growth step.  Only a hint: 0 also when the memory could not be
 * had (the table is left as it was, and grows later by itself); -1 when
 * reading the log back failed.
 */
int dupindex_reserve(struct dupindex *d, int k, size_t n, struct err *e);

/* Bytes of memory held (tables, live bits, log buffer). */
size_t dupindex_bytes(const struct dupindex *d);

void dupindex_free(struct dupindex *d);

#endif
