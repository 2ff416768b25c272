/*
 * confirm.h - judicial confirmation of mediation agreements, performance
 * and enforcement, as events (events.h).
 *
 * Actions:
 *   confirm      agreed -> confirmed, with the confirmation object
 *                {court, ruling, applied_at, at, late}.  The parties must
 *                apply within 30 days of the agreement taking effect
 *                (People's Mediation Law art. 33): the day after
 *                agreement.at is day 1, day 30 is the last allowed; a
 *                later application is refused unless late_ok, and then
 *                marked confirmation.late = true.
 *   performed    agreed | confirmed -> closed, resolution performed
 *   enforcement  on a confirmed case whose obligation was not met: the
 *                enforcement object {at, court, note}; the status stays
 *                confirmed (the case is open until it is performed)
 */
#ifndef ONEDOOR_CONFIRM_H
#define ONEDOOR_CONFIRM_H

#include "events.h"
#include "timefmt.h"

#define CONF_WINDOW_DAYS 30

enum conf_action { CONF_CONFIRM, CONF_PERFORMED, CONF_ENFORCEMENT };

extern const char *const conf_actions[];	/* by enum, NULL-terminated */

struct conf_ctx {
	const char *by;		/* --by: for events that name nobody */
	int late_ok;		/* --late-ok */
};

/* The day of applied counted from agreed: calendar dates, each in the
 * offset its time is shown in; the agreement's own day is day 0. */
long conf_day(struct tf_time agreed, struct tf_time applied);

void conf_hooks(struct ev_hooks *h, struct conf_ctx *c);

#endif
