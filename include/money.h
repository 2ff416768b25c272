/*
 * money.h - exact amounts of money.
 *
 * An amount is a whole number of fen (1 yuan = 100 fen) in a long long;
 * no binary floating point is used on the way in or out, so sums are exact
 * to the fen.  Inputs are the ways people and exports write yuan:
 * "3803.5", "3,803.50", "3803.5元", "￥3803.5", "1.2万", "1.2万元",
 * "38,000", JSON numbers without exponent.
 */
#ifndef ONEDOOR_MONEY_H
#define ONEDOOR_MONEY_H

#include <stddef.h>
#include "err.h"

typedef long long money_t;

#define MONEY_MAX 900000000000000000LL	/* 9e15 yuan: far beyond any case */

/* Parse s into *out (fen).  Errors: empty, not a number, more than two
 * decimals after conversion to yuan ("three decimals"), beyond MONEY_MAX.
 * A leading '-' is accepted (the caller decides whether it may be). */
int money_parse(const char *s, money_t *out, struct err *e);

/* Shortest exact form, for JSON: "12000", "3803.5", "0.01", "-2.5".
 * Returns the length; buf needs 32 bytes. */
int money_format(char *buf, size_t n, money_t v);

/* Always two decimals, for reports: "12000.00", "3803.50". */
int money_format2(char *buf, size_t n, money_t v);

#endif
