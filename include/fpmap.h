/*
 * fpmap.h - compact hash tables of 64-bit fingerprints, no keys: for the
 * source ids case-add remembers, which grow with the store (the
 * duplicate checks' keys are in dupindex.h).
 *
 * A fingerprint stands for a key (fp_of hashes one; fp_pack packs a
 * short id exactly); two hashed keys may share one, so a user that needs
 * exactness keeps its keys elsewhere and checks every slot holding the
 * fingerprint (fpmap_next), and a user that does not must be able to
 * live with a rare false match.  The fingerprint 0 marks an empty slot:
 * fp_of and fp_pack never return it, and callers that make their own
 * fingerprints must not either.
 *
 * struct fpmap gives each fingerprint a 32-bit value: a slot is 12 bytes
 * (the fingerprint in two halves, then the value, so that nothing pads
 * it).  struct fpset holds fingerprints alone, 8 bytes a slot.  Both use
 * linear probing at a load of at most 3/4, so a lookup usually reads one
 * cache line, value included.  The capacity is any number of slots (the
 * home slot is the fingerprint's hash scaled to it), so a table sized
 * ahead for n entries (fpmap_reserve_n) takes 4n/3 slots, not the next
 * power of two; without that it doubles as it fills.  Functions that
 * grow a table return -1 when memory ran out; slot indexes and value
 * pointers are valid until the next function that may grow it.
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
	size_t cap, n;		/* cap: slots, 0 before the first entry */
};

struct fpset {
	uint64_t *slot;		/* 0: empty */
	size_t cap, n;
};

#define FPMAP_INIT { NULL, 0, 0 }
#define FPSET_INIT { NULL, 0, 0 }

/* A 64-bit fingerprint of s[0, n), never 0. */
uint64_t fp_of(const void *s, size_t n);

/* The splitmix64 finaliser: every bit of h spread over the result, for
 * tables that take a home slot and a tag from a structured fingerprint
 * (fp_pack's, case-add's packed id numbers). */
uint64_t fp_mix(uint64_t h);

/* Zeroed memory for a table of cap slots of size bytes each, with
 * transparent huge pages asked for (its probes land anywhere); NULL
 * when it cannot be had.  mem_free frees it. */
void *fp_new_slots(size_t cap, size_t size);

/*
 * A running digest of content that is written down and compared later
 * (report's partials name the law table and calendar they were made
 * with): start from FP_START and feed it piece by piece.  Byte by byte
 * (FNV-1a), so the same on every machine, which fp_of (word by word, in
 * the machine's byte order) is not; for small content only.
 */
#define FP_START 0xcbf29ce484222325ULL
uint64_t fp_more(uint64_t h, const void *s, size_t n);
/* A field at a time: a string with its end (NULL differs from ""), a
 * number as its decimal text with its end. */
uint64_t fp_more_str(uint64_t h, const char *s);
uint64_t fp_more_num(uint64_t h, long long v);

/*
 * An exact fingerprint of a short id: 1 with *fp set when s[0, n) packs
 * (characters 0-9 A-Z a-z - _ only, and short enough: "WX20240001",
 * "RX20240000001", up to 10 characters of any of those, or letters and a
 * run of up to 16 digits at the end), 0 when it does not.  Two ids that
 * pack have equal fingerprints only if they are equal, so a set of
 * packed fingerprints is a set of the ids themselves.  Bit 63 is set in
 * every packed fingerprint, so it is never 0.
 */
int fp_pack(const char *s, size_t n, uint64_t *fp);

/* The number of slots fpmap_reserve_n and fpset_reserve_n give a table
 * sized for n entries (for the memory a run will take). */
size_t fp_cap_for(size_t n);

/* Room for one more entry without growing: 0 or -1 (ENOMEM). */
int fpmap_reserve(struct fpmap *m);
/* Room for n entries in all without growing (one rehash now instead of
 * one per doubling): 0 or -1 (ENOMEM, the map unchanged). */
int fpmap_reserve_n(struct fpmap *m, size_t n);
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

/* Bytes held, for tests and measurements. */
size_t fpmap_bytes(const struct fpmap *m);
void fpmap_free(struct fpmap *m);

/* The set: 1 when fp is in it, 0 when not. */
int fpset_has(const struct fpset *s, uint64_t fp);
/* Add fp: 1 when it was there already, 0 when added, -1 (ENOMEM). */
int fpset_add(struct fpset *s, uint64_t fp);
int fpset_reserve_n(struct fpset *s, size_t n);
void fpset_prefetch(const struct fpset *s, uint64_t fp);
size_t fpset_bytes(const struct fpset *s);
void fpset_free(struct fpset *s);

/*
 * struct fpseq: ids of the form HEAD DIGITS (a head of at most 7
 * characters of A-Z a-z - _, then 1 to 18 digits: "WX20240001") kept
 * exactly as bits, one bitmap per family (the head and the number of
 * digits) over the range of the numbers seen.  Source systems number
 * their cases in order, and exports list them so: such ids then take a
 * bit or so each instead of a slot, and neighbours share a cache line.
 * A number the bitmap does not cover well (below its start, or so far
 * beyond its end that the bitmap would hold fewer than one id per 64
 * bits) is not taken: the caller keeps it elsewhere, and the family
 * remembers the range of such numbers, so that fpseq_has can tell when
 * the other table must be asked.  At most FPSEQ_FAMILIES families; the
 * ids of any further family are left to the caller as well.
 */
#define FPSEQ_FAMILIES 768

struct fpseq_family;

struct fpseq {
	struct fpseq_family *fam;	/* open addressing, by code */
	size_t nfam, cap;
	int full;			/* a family was turned away */
	size_t bytes;			/* bitmaps and table */
};

#define FPSEQ_INIT { NULL, 0, 0, 0, 0 }

enum { FPSEQ_NO, FPSEQ_YES, FPSEQ_ASK };

/* An id's family (never 0) and number: 1 when it has the form, 0 when
 * not. */
int fpseq_key(const char *s, size_t n, uint64_t *code, uint64_t *num);
/* FPSEQ_YES: the id is in the set; FPSEQ_NO: it is not, and not kept
 * elsewhere either; FPSEQ_ASK: it may be kept elsewhere. */
int fpseq_has(const struct fpseq *q, uint64_t code, uint64_t num);
/* Add an id that is not there yet (fpseq_has, and the other table when
 * asked): 1 when taken, 0 when the caller must keep it elsewhere, -1
 * when memory ran out. */
int fpseq_add(struct fpseq *q, uint64_t code, uint64_t num);
/* Start loading the id's bits, when it has a bitmap. */
void fpseq_prefetch(const struct fpseq *q, uint64_t code, uint64_t num);
void fpseq_free(struct fpseq *q);

#endif
