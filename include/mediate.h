/*
 * mediate.h - mediation sessions and outcomes, as events (events.h).
 *
 * An event's outcome moves its case:
 *   session    routed -> mediating, mediating -> mediating
 *   agreed     routed | mediating -> agreed, with the agreement object
 *              {amount, at, by, terms}; with performed (paid on the
 *              spot) then -> closed, resolution performed, closed_at
 *   failed     routed | mediating -> failed
 *   withdrawn  any open status -> closed, resolution withdrawn, closed_at
 * A case already agreed, failed, escalated, confirmed or closed takes no
 * second outcome (withdrawn excepted, while it is open).
 *
 * An agreement reached after the law table's mediation-limit (Labour
 * Dispute Mediation and Arbitration Law art. 14: 15 days), counted to
 * the event's day, is recorded with a warning naming the article: the
 * parties may still agree, but either could have applied for arbitration.
 */
#ifndef ONEDOOR_MEDIATE_H
#define ONEDOOR_MEDIATE_H

#include "events.h"

enum med_outcome { MED_SESSION, MED_AGREED, MED_FAILED, MED_WITHDRAWN };

extern const char *const med_outcomes[];	/* by enum, NULL-terminated */

struct med_ctx {
	const char *by;		/* --by: for events that name nobody */
};

/* Fill the parse and apply hooks of h (cmd "mediate", ctx m);
 * the caller sets say and sayctx. */
void med_hooks(struct ev_hooks *h, struct med_ctx *m);

#endif
