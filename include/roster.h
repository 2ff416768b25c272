/*
 * roster.h - the station's staff for case-route's assignment: who sits at
 * which desks and how many open cases each may carry.
 *
 * The roster file is CSV (read with the project's reader, so UTF-8 or
 * GB18030, BOM, CRLF and gzip are all fine) with a header naming the
 * columns, in any order, in English or Chinese:
 *   id        staff id (id, staff_id, 工号, 编号)             required
 *   name      name (name, 姓名)
 *   role      role (role, 岗位, 角色, 职务), for people reading the file
 *   desks     desks (desks, desk, 科室, 窗口, 承办科室): a list separated
 *             by ';', '|', ',' or the full-width ；，、 ("*" = every desk)
 *                                                         required
 *   capacity  the most open cases at once (capacity, 容量, 上限);
 *             empty or absent: no limit; 0: takes no new cases
 *
 * Assignment: the least-loaded eligible person, ties broken by the
 * smallest staff id (bytewise), never above capacity.  Load is the number
 * of open cases assigned to a person (by id, or by name when that name is
 * one person's), counted by the caller through roster_count.
 */
#ifndef ONEDOOR_ROSTER_H
#define ONEDOOR_ROSTER_H

#include <stddef.h>

#include "err.h"
#include "strmap.h"

struct roster_staff {
	char *id, *name, *role;
	char **desks;
	size_t ndesks;
	int any_desk;		/* desks holds "*" */
	long capacity;		/* -1: no limit */
	long load;		/* open cases assigned now */
};

struct roster {
	struct roster_staff *s;
	size_t n, cap;
	struct strmap byid;	/* id -> index */
	struct strmap byname;	/* name -> index, or -1 when names repeat */
};

void roster_init(struct roster *ro);
void roster_free(struct roster *ro);

/* Add one person; desks and capacity as written in the file (capacity
 * NULL or "" for no limit).  -1 with e saying what is wrong with the row
 * ("capacity \"x\" is not a whole number"), without a file:line prefix. */
int roster_add(struct roster *ro, const char *id, const char *name,
    const char *role, const char *desks, const char *capacity,
    struct err *e);

/* Read a roster file; e says "file:line: ..." on any bad row. */
int roster_load(struct roster *ro, const char *path, struct err *e);

/* An open case is assigned to who (staff id or name): add it to that
 * person's load.  The person's index, or -1 when who is nobody here. */
long roster_count(struct roster *ro, const char *who);

/* Whether person i sits at desk. */
int roster_at_desk(const struct roster *ro, size_t i, const char *desk);

/* The person to give a case at desk: least loaded, below capacity, ties
 * by staff id; -1 when nobody fits. */
long roster_pick(const struct roster *ro, const char *desk);

/* Person i takes one more case. */
void roster_take(struct roster *ro, size_t i);

#endif
