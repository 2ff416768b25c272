/*
 * roster.c - the station's staff and who gets the next case.  See
 * roster.h for the file format and the assignment rule.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "input.h"
#include "mem.h"
#include "roster.h"

#define ROSTER_MAX_CAPACITY 1000000L

enum { COL_ID, COL_NAME, COL_ROLE, COL_DESKS, COL_CAPACITY, NCOLS };

/* Header names each column is known by; the first is canonical. */
static const char *const aliases[NCOLS][6] = {
	{ "id", "staff_id", "staff id", "工号", "编号", NULL },
	{ "name", "姓名", "staff_name", NULL },
	{ "role", "岗位", "角色", "职务", NULL },
	{ "desks", "desk", "科室", "窗口", "承办科室", NULL },
	{ "capacity", "容量", "上限", "max_cases", NULL },
};

void roster_init(struct roster *ro)
{
	memset(ro, 0, sizeof *ro);
}

static void staff_free(struct roster_staff *s)
{
	size_t i;

	for (i = 0; i < s->ndesks; i++)
		mem_free(s->desks[i]);
	mem_free(s->desks);
	mem_free(s->id);
	mem_free(s->name);
	mem_free(s->role);
}

void roster_free(struct roster *ro)
{
	size_t i;

	for (i = 0; i < ro->n; i++)
		staff_free(&ro->s[i]);
	mem_free(ro->s);
	strmap_free(&ro->byid);
	strmap_free(&ro->byname);
	roster_init(ro);
}

/* Length of a list separator at p, 0 if none: ; | , and ；，、. */
static size_t separator(const char *p)
{
	if (*p == ';' || *p == '|' || *p == ',')
		return 1;
	if (strncmp(p, "\xEF\xBC\x9B", 3) == 0 || strncmp(p, "\xEF\xBC\x8C", 3) == 0 ||
	    strncmp(p, "\xE3\x80\x81", 3) == 0)
		return 3;
	return 0;
}

static int add_desk(struct roster_staff *s, const char *p, size_t n,
    struct err *e)
{
	char **d;

	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n == 0)
		return 0;
	if (n == 1 && *p == '*') {
		s->any_desk = 1;
		return 0;
	}
	if ((d = mem_realloc(s->desks, (s->ndesks + 1) * sizeof *d)) == NULL)
		return err_nomem(e);
	s->desks = d;
	if ((d[s->ndesks] = mem_strndup(p, n)) == NULL)
		return err_nomem(e);
	s->ndesks++;
	return 0;
}

static int split_desks(struct roster_staff *s, const char *list, struct err *e)
{
	const char *p = list, *start = list;
	size_t k;

	for (;;) {
		k = *p ? separator(p) : 1;
		if (k) {
			if (add_desk(s, start, (size_t)(p - start), e) < 0)
				return -1;
			if (*p == '\0')
				break;
			p += k;
			start = p;
		} else
			p++;
	}
	if (s->ndesks == 0 && !s->any_desk)
		return err_set(e, "no desks");
	return 0;
}

static int parse_capacity(const char *s, long *out, struct err *e)
{
	const char *p = s;
	long v = 0;

	while (*p == ' ')
		p++;
	if (*p == '\0') {
		*out = -1;
		return 0;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > ROSTER_MAX_CAPACITY)
			return err_set(e, "capacity \"%s\" is too large", s);
	while (*p == ' ')
		p++;
	if (*p != '\0' || !(s[0] >= '0' && s[0] <= '9'))
		return err_set(e, "capacity \"%s\" is not a whole number", s);
	*out = v;
	return 0;
}

/* Index names: a name two people share leads to neither. */
static int index_staff(struct roster *ro, size_t i, struct err *e)
{
	const struct roster_staff *s = &ro->s[i];
	struct strmap_slot *sl;

	if (strmap_get(&ro->byid, s->id, strlen(s->id)) != NULL)
		return err_set(e, "staff id %s given twice", s->id);
	if (strmap_put(&ro->byid, s->id, strlen(s->id), (long)i) < 0)
		return err_nomem(e);
	if (*s->name == '\0')
		return 0;
	if ((sl = strmap_get(&ro->byname, s->name, strlen(s->name))) != NULL) {
		sl->val = -1;
		return 0;
	}
	if (strmap_put(&ro->byname, s->name, strlen(s->name), (long)i) < 0)
		return err_nomem(e);
	return 0;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

int roster_add(struct roster *ro, const char *id, const char *name,
    const char *role, const char *desks, const char *capacity,
    struct err *e)
{
	struct roster_staff *s;

	if (id == NULL || *id == '\0')
		return err_set(e, "no staff id");
	if (ro->n == ro->cap) {
		size_t cap = ro->cap ? ro->cap * 2 : 16;

		if ((s = mem_realloc(ro->s, cap * sizeof *s)) == NULL)
			return err_nomem(e);
		ro->s = s;
		ro->cap = cap;
	}
	s = &ro->s[ro->n];
	memset(s, 0, sizeof *s);
	if ((s->id = mem_strdup(id)) == NULL ||
	    (s->name = mem_strdup(or_empty(name))) == NULL ||
	    (s->role = mem_strdup(or_empty(role))) == NULL) {
		staff_free(s);
		return err_nomem(e);
	}
	if (split_desks(s, or_empty(desks), e) < 0 ||
	    parse_capacity(or_empty(capacity), &s->capacity, e) < 0) {
		staff_free(s);
		return err_prefix(e, "%s", id);
	}
	ro->n++;
	if (index_staff(ro, ro->n - 1, e) < 0) {
		staff_free(&ro->s[--ro->n]);
		return -1;
	}
	return 0;
}

/* Which header name each column has in this file, or NULL. */
static void find_columns(const char *const *hdr, size_t n,
    const char *col[NCOLS])
{
	size_t c, a, i;

	for (c = 0; c < NCOLS; c++) {
		col[c] = NULL;
		for (a = 0; aliases[c][a] != NULL && col[c] == NULL; a++)
			for (i = 0; i < n; i++)
				if (strcasecmp(hdr[i], aliases[c][a]) == 0) {
					col[c] = hdr[i];
					break;
				}
	}
}

static const char *cell(const struct rec *r, const char *col)
{
	return col ? rec_get(r, col) : NULL;
}

static int blank_row(const struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strspn(rec_val(r, i), " \t") != strlen(rec_val(r, i)))
			return 0;
	return 1;
}

static int load_rows(struct roster *ro, struct input *in, const char *path,
    struct err *e)
{
	const char *col[NCOLS] = { NULL, NULL, NULL, NULL, NULL };
	const char *const *hdr;
	struct rec r;
	size_t nhdr = 0;
	int rc, found = 0;

	rec_init(&r);
	while ((rc = in_next(in, &r, e)) == IN_REC) {
		if (!found && (hdr = in_header(in, &nhdr)) != NULL)
			find_columns(hdr, nhdr, col);
		if (!found++ && (col[COL_ID] == NULL || col[COL_DESKS] == NULL)) {
			rc = err_set(e, "%s: the header needs an id and a desks column "
			    "(id, name, role, desks, capacity)", path);
			break;
		}
		if (blank_row(&r))
			continue;
		if (roster_add(ro, cell(&r, col[COL_ID]), cell(&r, col[COL_NAME]),
		    cell(&r, col[COL_ROLE]), cell(&r, col[COL_DESKS]),
		    cell(&r, col[COL_CAPACITY]), e) < 0) {
			rc = err_prefix(e, "%s", rec_where(&r));
			break;
		}
	}
	rec_free(&r);
	if (rc == IN_EOF && ro->n == 0)
		return err_set(e, "%s: nobody in the roster", path);
	return rc == IN_EOF ? 0 : -1;
}

int roster_load(struct roster *ro, const char *path, struct err *e)
{
	struct in_opts o = { FMT_CSV, ENC_AUTO, 0 };
	struct input *in;
	int rc;

	if ((in = in_open(path, &o, e)) == NULL)
		return -1;
	rc = load_rows(ro, in, path, e);
	in_close(in);
	return rc;
}

long roster_count(struct roster *ro, const char *who)
{
	struct strmap_slot *sl;
	size_t n;

	if (who == NULL || *who == '\0')
		return -1;
	n = strlen(who);
	if ((sl = strmap_get(&ro->byid, who, n)) == NULL &&
	    (sl = strmap_get(&ro->byname, who, n)) == NULL)
		return -1;
	if (sl->val < 0)
		return -1;
	ro->s[sl->val].load++;
	return sl->val;
}

int roster_at_desk(const struct roster *ro, size_t i, const char *desk)
{
	const struct roster_staff *s = &ro->s[i];
	size_t j;

	if (s->any_desk)
		return 1;
	for (j = 0; j < s->ndesks; j++)
		if (strcmp(s->desks[j], desk) == 0)
			return 1;
	return 0;
}

long roster_pick(const struct roster *ro, const char *desk)
{
	const struct roster_staff *s, *b;
	long best = -1;
	size_t i;

	for (i = 0; i < ro->n; i++) {
		s = &ro->s[i];
		if ((s->capacity >= 0 && s->load >= s->capacity) ||
		    !roster_at_desk(ro, i, desk))
			continue;
		if (best >= 0) {
			b = &ro->s[best];
			if (s->load > b->load ||
			    (s->load == b->load && strcmp(s->id, b->id) > 0))
				continue;
		}
		best = (long)i;
	}
	return best;
}

void roster_take(struct roster *ro, size_t i)
{
	ro->s[i].load++;
}
