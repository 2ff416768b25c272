/*
 * confirm.h - judicial confirmation of mediation agreements, performance
 * and enforcement, as events (events.h).
 *
 * Actions:
 *   confirm      agreed -> confirmed, with the confirmation object
 *                {court, ruling, applied_at, at, late}.  The parties must
 *                apply within the judicial-confirmation window of the
 *                law table (People's Mediation Law art. 33: 30 days from
 *                the agreement taking effect, agreement.at; the day after
 *                is day 1, and a last day falling on a rest day moves to
 *                the next working day by the calendar); a later
 *                application is refused unless late_ok, and then marked
 *                confirmation.late = true.
 *   performed    agreed | confirmed -> closed, resolution performed
 *   enforcement  on a confirmed case whose obligation was not met: the
 *                enforcement object {at, court, note}; the status stays
 *                confirmed (the case is open until it is performed)
 */
#ifndef ONEDOOR_CONFIRM_H
#define ONEDOOR_CONFIRM_H

#include "events.h"
#include "timefmt.h"

enum conf_action { CONF_CONFIRM, CONF_PERFORMED, CONF_ENFORCEMENT };

extern const char *const conf_actions[];	/* by enum, NULL-terminated */

struct conf_ctx {
	const char *by;		/* --by: for events that name nobody */
	int late_ok;		/* --late-ok */
};

/* The day of applied counted from agreed: calendar dates, each in the
 * offset its time is shown in; the agreement's own day is day 0 (for
 * messages: "day 38"; the window itself is the law table's). */
long conf_day(struct tf_time agreed, struct tf_time applied);

void conf_hooks(struct ev_hooks *h, struct conf_ctx *c);

#endif
