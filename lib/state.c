/*
 * state.c - the case state machine.  See state.h.
 */
#include <string.h>

#include "state.h"

const char *const state_names[] = {
	"new", "routed", "mediating", "agreed", "failed", "escalated",
	"confirmed", "closed", NULL
};

#define B(s) (1u << (s))

/* allowed[to] = the set of states a case may come from */
static const unsigned allowed_from[ST_COUNT] = {
	[ST_NEW] = 0,
	[ST_ROUTED] = B(ST_NEW),
	[ST_MEDIATING] = B(ST_ROUTED) | B(ST_MEDIATING),
	[ST_AGREED] = B(ST_ROUTED) | B(ST_MEDIATING),
	[ST_FAILED] = B(ST_ROUTED) | B(ST_MEDIATING),
	[ST_ESCALATED] = B(ST_FAILED),
	[ST_CONFIRMED] = B(ST_AGREED),
	/* closing: performed from agreed/confirmed/escalated, withdrawn from
	 * any open state; the commands narrow it by resolution */
	[ST_CLOSED] = B(ST_NEW) | B(ST_ROUTED) | B(ST_MEDIATING) | B(ST_AGREED) |
	    B(ST_FAILED) | B(ST_ESCALATED) | B(ST_CONFIRMED),
};

int state_parse(const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < ST_COUNT; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

const char *state_name(int st)
{
	return st >= 0 && st < ST_COUNT ? state_names[st] : "?";
}

int state_is_open(int st)
{
	return st != ST_CLOSED;
}

int state_of(const struct rec *r, struct err *e)
{
	const char *s = rec_get(r, "status");
	int st = state_parse(s);

	if (s == NULL)
		return err_set(e, "no status");
	if (st < 0)
		return err_set(e, "unknown status \"%s\"", s);
	return st;
}

int state_allowed(int from, int to, struct err *e)
{
	char list[256] = "";
	int i;

	if (to < 0 || to >= ST_COUNT || from < 0 || from >= ST_COUNT)
		return err_set(e, "no such status");
	if (allowed_from[to] & B(from))
		return 0;
	for (i = 0; i < ST_COUNT; i++)
		if (allowed_from[to] & B(i)) {
			if (*list)
				strncat(list, " or ", sizeof list - strlen(list) - 1);
			strncat(list, state_names[i], sizeof list - strlen(list) - 1);
		}
	if (*list == '\0')
		return err_set(e, "status is %s; nothing leads to %s",
		    state_name(from), state_name(to));
	return err_set(e, "status is %s; %s needs %s", state_name(from),
	    state_name(to), list);
}

int state_move(struct rec *r, int to, const struct rec_step *s,
    struct err *e)
{
	int from = state_of(r, e);

	if (from < 0 || state_allowed(from, to, e) < 0)
		return -1;
	if (rec_sets(r, "status", state_name(to), e) < 0)
		return -1;
	return rec_history_add(r, state_name(from), state_name(to), s, e);
}
