/*
 * idcheck.h - validators and masks for the identifiers in a case.
 *
 * Resident identity card numbers (GB 11643: 18 characters, ISO 7064
 * MOD 11-2 check character, a birth date that exists and is plausible),
 * unified social credit codes (GB 32100: 18 characters, check character
 * mod 31), and mainland phone numbers (mobile 1[3-9]xxxxxxxxx, landline
 * with area code, optional +86, spaces and hyphens allowed).
 * Each check returns 0, or -1 with a reason in e ("check character should
 * be X", "birth date 1990-02-30 does not exist", ...).
 */
#ifndef ONEDOOR_IDCHECK_H
#define ONEDOOR_IDCHECK_H

#include <stddef.h>
#include "err.h"

/* now: seconds since the epoch; the birth date may not be after it and
 * not before 1900-01-01. */
int idcheck_resident(const char *s, long long now, struct err *e);
int idcheck_credit_code(const char *s, struct err *e);
int idcheck_phone(const char *s, struct err *e);

/* The check character an id number or credit code should have, for
 * generators and tests: s holds the first 17 characters. */
char idcheck_resident_check(const char *first17);
char idcheck_credit_check(const char *first17);

/* Masks for CSV and report lists: 440784********1234 (first 6, last 4),
 * 138****5678 (first 3, last 4 digits).  Anything shorter than what is
 * kept is masked whole.  out needs strlen(s) + 1 bytes. */
void idcheck_mask_id(const char *s, char *out, size_t n);
void idcheck_mask_phone(const char *s, char *out, size_t n);

#endif
