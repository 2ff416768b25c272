/*
 * state.h - the case state machine, one table for every command.
 *
 *   new --case-route--> routed --mediate--> mediating --mediate--> agreed
 *   mediating --mediate--> failed --case-route --escalate--> escalated
 *   agreed --confirm--> confirmed
 *   agreed | confirmed | escalated --performed--> closed (resolution performed)
 *   any open case --withdrawn--> closed (resolution withdrawn)
 *
 * "open" is every status but closed.  The full table with the command
 * that makes each move is in man/onedoor.7.
 */
#ifndef ONEDOOR_STATE_H
#define ONEDOOR_STATE_H

#include "err.h"
#include "record.h"

enum case_status {
	ST_NEW, ST_ROUTED, ST_MEDIATING, ST_AGREED, ST_FAILED, ST_ESCALATED,
	ST_CONFIRMED, ST_CLOSED, ST_COUNT
};

extern const char *const state_names[];	/* NULL-terminated, by enum */

int state_parse(const char *s);		/* -1 when unknown or NULL */
const char *state_name(int st);
int state_is_open(int st);
/* The record's status; -1 (and e) when missing or not a known status. */
int state_of(const struct rec *r, struct err *e);

/* 0 when the table allows from -> to, else -1 with e->msg saying why in
 * words a coordinator understands ("status is closed; agreed needs
 * mediating or routed"). */
int state_allowed(int from, int to, struct err *e);

/* Check and make the move: set "status" and append the step to the
 * history (rec_history_add). */
int state_move(struct rec *r, int to, const struct rec_step *s,
    struct err *e);

#endif
