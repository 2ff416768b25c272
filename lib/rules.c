/*
 * rules.c - case-route's rule language: parser, matcher, printer.  See
 * rules.h for the shape of the data and case-route(1) for the language.
 *
 * The parser works a line at a time with a cursor; every error names the
 * file, the line and the column (in characters, so that a column points
 * at the right place in a line holding Chinese).  Nothing here knows what
 * a record is: rules_match asks a callback for field values.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jsonio.h"
#include "mem.h"
#include "money.h"
#include "rules.h"

#define RULES_MAX_FILE	(4u << 20)	/* a rules file is a page, not a book */

const char *const rules_tracks[] = {
	"consultation", "legal-aid", "mediation", "joint-mediation",
	"inspection", "arbitration", "litigation", "employment-help", NULL
};
const char *const rules_priorities[] = { "general", "key", NULL };
const char *const rules_sections[] = { "route", "escalate", NULL };

static const char *const ops[] = { "=", "!=", "<", "<=", ">", ">=", "in" };

const char rules_default_text[] =
"# onedoor case-route: the built-in rules, following station practice.\n"
"# One rule a line, CONDITIONS -> ACTIONS; the first rule that matches wins.\n"
"# Key matters are deployed within 1 day, general ones closed within 7\n"
"# days; mediation never runs beyond the 15-day limit of the Labour Dispute\n"
"# Mediation and Arbitration Law, art. 14.  See case-route(1).\n"
"\n"
"[route]\n"
"# construction-site wage cases and group cases (10 or more workers) go to\n"
"# three-party joint mediation (HR bureau, union, court), key priority\n"
"type = construction-wage  -> track joint-mediation, desk 联合调解室, priority key, within 1d\n"
"workers >= 10             -> track joint-mediation, desk 联合调解室, priority key, within 1d\n"
"# social-insurance cases go to labour inspection\n"
"type = social-insurance   -> track inspection, desk 劳动监察, priority general, within 7d\n"
"# everything else: the mediation window\n"
"*                         -> track mediation, desk 调解窗口, priority general, within 7d\n"
"\n"
"[escalate]\n"
"# failed mediation (case-route --escalate) goes to the arbitration outpost;\n"
"# the committee decides on acceptance within 5 days (art. 29)\n"
"type = construction-wage  -> track arbitration, desk 仲裁派出庭, priority key, within 1d\n"
"workers >= 10             -> track arbitration, desk 仲裁派出庭, priority key, within 1d\n"
"*                         -> track arbitration, desk 仲裁派出庭, priority general, within 5d\n";

struct parser {
	const char *name;
	const char *line, *p, *end;	/* the current line and the cursor */
	unsigned long lineno;
	int section;
	struct rules *rs;
	const struct rules_opts *o;
	struct err *e;
	size_t capf, capt, capv, capr;
};

/* Column of at in the current line, counting characters not bytes. */
static unsigned long column(const struct parser *ps, const char *at)
{
	unsigned long col = 1;
	const char *q;

	for (q = ps->line; q < at; q++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			col++;
	return col;
}

static int fail(struct parser *ps, const char *at, const char *fmt, ...)
    ERR_PRINTF(3, 4);

static int fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(ps->e, "%s:%lu:%lu: %s", ps->name, ps->lineno,
	    column(ps, at), msg);
}

static void warn(struct parser *ps, const char *at, const char *fmt, ...)
    ERR_PRINTF(3, 4);

static void warn(struct parser *ps, const char *at, const char *fmt, ...)
{
	char msg[600], full[1024];
	va_list ap;

	if (ps->o == NULL || ps->o->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(full, sizeof full, "%s:%lu:%lu: %s", ps->name, ps->lineno,
	    column(ps, at), msg);
	ps->o->warn(ps->o->ctx, full);
}

/* Room for need elements in an array of size-byte elements. */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n;

	if (need <= *cap)
		return p;
	n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	if ((p = mem_realloc(p, n * size)) != NULL)
		*cap = n;
	return p;
}

/* --- lexical pieces --- */

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

/* At the end of the line, or of what it holds before a comment. */
static int at_eol(struct parser *ps)
{
	skip_ws(ps);
	return ps->p == ps->end || *ps->p == '#';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A name: a letter or '_', then letters, digits, '_', '.' and '-'
 * (keywords and enum values use '-'; field names use '.'). */
static size_t name_len(const struct parser *ps)
{
	const char *q = ps->p;

	if (q == ps->end || !is_alpha((unsigned char)*q))
		return 0;
	while (q < ps->end && (is_alpha((unsigned char)*q) ||
	    is_digit((unsigned char)*q) || *q == '.' || *q == '-'))
		q++;
	return (size_t)(q - ps->p);
}

/* Consume the keyword w when it stands at the cursor as a whole word. */
static int keyword(struct parser *ps, const char *w)
{
	size_t n = strlen(w);

	if (name_len(ps) != n || memcmp(ps->p, w, n) != 0)
		return 0;
	ps->p += n;
	return 1;
}

static int is_arrow(const struct parser *ps, const char *q)
{
	return q + 1 < ps->end && q[0] == '-' && q[1] == '>';
}

/* Bytes a bare value cannot hold. */
static int bare_stop(int c)
{
	return c == ' ' || c == '\t' || c == ',' || c == '(' || c == ')' ||
	    c == '#' || c == '"';
}

/* A quoted string: \" and \\ are the only escapes. */
static int quoted(struct parser *ps, char **out)
{
	const char *open = ps->p++;
	char *s, *w;

	if ((s = mem_alloc((size_t)(ps->end - ps->p) + 1)) == NULL)
		return err_nomem(ps->e);
	for (w = s; ps->p < ps->end && *ps->p != '"'; ps->p++) {
		if (*ps->p == '\\') {
			if (ps->p + 1 == ps->end ||
			    (ps->p[1] != '"' && ps->p[1] != '\\')) {
				mem_free(s);
				return fail(ps, ps->p,
				    "unknown escape in a string (only \\\" and \\\\)");
			}
			ps->p++;
		}
		*w++ = *ps->p;
	}
	if (ps->p == ps->end) {
		mem_free(s);
		return fail(ps, open, "unterminated string");
	}
	ps->p++;
	*w = '\0';
	*out = s;
	return 0;
}

/* A value: quoted, or bare up to a blank, one of ,()#" or "->". *isq
 * tells which, so that "10" stays text while 10 is a number. */
static int value(struct parser *ps, char **out, int *isq)
{
	const char *start;

	skip_ws(ps);
	*isq = ps->p < ps->end && *ps->p == '"';
	if (*isq)
		return quoted(ps, out);
	start = ps->p;
	while (ps->p < ps->end && !bare_stop((unsigned char)*ps->p) &&
	    !is_arrow(ps, ps->p))
		ps->p++;
	if (ps->p == start)
		return fail(ps, start, "expected a value");
	if ((*out = mem_strndup(start, (size_t)(ps->p - start))) == NULL)
		return err_nomem(ps->e);
	return 0;
}

/* Written like a number ("-12", "3.141"): then it must be one. */
static int looks_numeric(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!is_digit((unsigned char)*s))
		return 0;
	while (is_digit((unsigned char)*s))
		s++;
	if (*s == '.')
		for (s++; is_digit((unsigned char)*s); s++)
			;
	return *s == '\0';
}

/* --- building the rule set --- */

static int add_field(struct parser *ps, const char *name, size_t n,
    size_t *idx)
{
	struct rules *rs = ps->rs;
	char **f;
	size_t i;

	for (i = 0; i < rs->nfields; i++)
		if (strlen(rs->fields[i]) == n && memcmp(rs->fields[i], name, n) == 0) {
			*idx = i;
			return 0;
		}
	if ((f = grow(rs->fields, &ps->capf, rs->nfields + 1, sizeof *f)) == NULL)
		return err_nomem(ps->e);
	rs->fields = f;
	if ((f[rs->nfields] = mem_strndup(name, n)) == NULL)
		return err_nomem(ps->e);
	*idx = rs->nfields++;
	return 0;
}

/* A near miss of a known field is most likely a typo: say so. */
static void check_field(struct parser *ps, const char *at, const char *name)
{
	const char *near;
	size_t i;

	if (ps->o == NULL || ps->o->known == NULL)
		return;
	for (i = 0; ps->o->known[i] != NULL; i++)
		if (strcmp(ps->o->known[i], name) == 0)
			return;
	if ((near = cli_nearest(name, ps->o->known)) != NULL)
		warn(ps, at, "unknown field \"%s\" (did you mean %s?)", name, near);
}

static int add_value(struct parser *ps)
{
	struct rules *rs = ps->rs;
	struct rules_value *v;
	const char *at;
	struct err me;
	money_t num;
	int isq;

	if ((v = grow(rs->vals, &ps->capv, rs->nvals + 1, sizeof *v)) == NULL)
		return err_nomem(ps->e);
	rs->vals = v;
	v += rs->nvals;
	skip_ws(ps);
	at = ps->p;
	if (value(ps, &v->s, &isq) < 0)
		return -1;
	rs->nvals++;
	v->isnum = 0;
	v->num = 0;
	if (isq)
		return 0;
	if (money_parse(v->s, &num, &me) == 0) {
		v->isnum = 1;
		v->num = num;
	} else if (looks_numeric(v->s))
		return fail(ps, at, "%s", me.msg);
	return 0;
}

static int parse_op(struct parser *ps, int *op)
{
	static const struct { const char *w; int op; } tab[] = {
		{ "!=", RULES_NE }, { "<=", RULES_LE }, { ">=", RULES_GE },
		{ "==", RULES_EQ }, { "=", RULES_EQ }, { "<", RULES_LT },
		{ ">", RULES_GT }
	};
	size_t i, n;

	skip_ws(ps);
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		n = strlen(tab[i].w);
		if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, tab[i].w, n) == 0) {
			ps->p += n;
			*op = tab[i].op;
			return 0;
		}
	}
	if (keyword(ps, "in")) {
		*op = RULES_IN;
		return 0;
	}
	return fail(ps, ps->p, "expected an operator (=, !=, <, <=, >, >=, in)");
}

/* "(a, b, c)" after "in". */
static int value_list(struct parser *ps)
{
	skip_ws(ps);
	if (ps->p == ps->end || *ps->p != '(')
		return fail(ps, ps->p, "expected ( after in");
	ps->p++;
	for (;;) {
		if (add_value(ps) < 0)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ')') {
			ps->p++;
			return 0;
		}
		return fail(ps, ps->p, "expected , or )");
	}
}

static int parse_test(struct parser *ps)
{
	struct rules *rs = ps->rs;
	struct rules_test *t;
	const char *at;
	size_t n, field = 0, first;
	int op = RULES_EQ;

	skip_ws(ps);
	at = ps->p;
	if ((n = name_len(ps)) == 0 || memchr(at, '-', n) != NULL)
		return fail(ps, at, "expected a field name or *");
	if (add_field(ps, at, n, &field) < 0)
		return -1;
	check_field(ps, at, rs->fields[field]);
	ps->p += n;
	if (parse_op(ps, &op) < 0)
		return -1;
	first = rs->nvals;
	if ((op == RULES_IN ? value_list(ps) : add_value(ps)) < 0)
		return -1;
	if ((t = grow(rs->tests, &ps->capt, rs->ntests + 1, sizeof *t)) == NULL)
		return err_nomem(ps->e);
	rs->tests = t;
	t += rs->ntests++;
	t->field = field;
	t->op = op;
	t->val = first;
	t->nval = rs->nvals - first;
	return 0;
}

static int parse_cond(struct parser *ps, struct rules_rule *r)
{
	r->test = ps->rs->ntests;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '*') {
		ps->p++;
		skip_ws(ps);
		if (!is_arrow(ps, ps->p))
			return fail(ps, ps->p, "expected -> after *");
	} else {
		do {
			if (parse_test(ps) < 0)
				return -1;
			skip_ws(ps);
		} while (keyword(ps, "and"));
		if (!is_arrow(ps, ps->p))
			return fail(ps, ps->p, "expected and or ->");
	}
	ps->p += 2;
	r->ntest = ps->rs->ntests - r->test;
	return 0;
}

/* A word out of a fixed list (track, priority). */
static int enum_value(struct parser *ps, const char *what,
    const char *const *words, int *out)
{
	const char *at, *near;
	char *s;
	int i, isq;

	skip_ws(ps);
	at = ps->p;
	if (value(ps, &s, &isq) < 0)
		return -1;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], s) == 0) {
			mem_free(s);
			*out = i;
			return 0;
		}
	near = cli_nearest(s, words);
	if (near != NULL)
		fail(ps, at, "unknown %s \"%s\" (did you mean %s?)", what, s, near);
	else {
		struct buf b = BUF_INIT;

		for (i = 0; words[i] != NULL; i++)
			if (buf_printf(&b, "%s%s", i ? ", " : "", words[i]) < 0)
				break;
		fail(ps, at, "unknown %s \"%s\" (valid: %s)", what, s,
		    b.p ? b.p : "");
		buf_free(&b);
	}
	mem_free(s);
	return -1;
}

/* "1d", "12h", "1d12h": a positive time limit in seconds. */
#define UNITS	"expected d (days), h (hours) or m (minutes)"

/* A time limit: numbers with units, added up ("1d12h", "2h30m", "10m"):
 * a referral's response is counted in minutes, mediation in days. */
static int duration(struct parser *ps, long *out)
{
	const char *at;
	long total = 0, n;

	skip_ws(ps);
	at = ps->p;
	do {
		if (ps->p == ps->end || !is_digit((unsigned char)*ps->p))
			return fail(ps, at, "expected a time limit like 1d or 12h");
		for (n = 0; ps->p < ps->end && is_digit((unsigned char)*ps->p); ps->p++)
			if ((n = n * 10 + (*ps->p - '0')) > 100000)
				return fail(ps, at, "time limit too long (at most 3650d)");
		if (ps->p < ps->end && *ps->p == 'd')
			total += n * RULES_DAY;
		else if (ps->p < ps->end && *ps->p == 'h')
			total += n * RULES_HOUR;
		else if (ps->p < ps->end && *ps->p == 'm')
			total += n * RULES_MINUTE;
		else
			return fail(ps, ps->p, UNITS);
		ps->p++;
	} while (ps->p < ps->end && is_digit((unsigned char)*ps->p));
	if (ps->p < ps->end && !bare_stop((unsigned char)*ps->p))
		return fail(ps, ps->p, UNITS);
	if (total == 0)
		return fail(ps, at, "a time limit must be more than 0");
	if (total > RULES_MAX_WITHIN)
		return fail(ps, at, "time limit too long (at most 3650d)");
	*out = total;
	return 0;
}

enum { A_TRACK = 1, A_DESK = 2, A_PRIORITY = 4, A_WITHIN = 8 };

/* One action; at[i] is set to where action i's value starts. */
static int parse_action(struct parser *ps, struct rules_rule *r, int *seen,
    const char **at)
{
	static const char *const names[] = { "track", "desk", "priority", "within" };
	const char *kw;
	int i, isq;

	skip_ws(ps);
	kw = ps->p;
	for (i = 0; i < 4; i++)
		if (keyword(ps, names[i]))
			break;
	if (i == 4)
		return fail(ps, kw, "expected an action (track, desk, priority, within)");
	if (*seen & (1 << i))
		return fail(ps, kw, "%s given twice", names[i]);
	*seen |= 1 << i;
	skip_ws(ps);
	at[i] = ps->p;
	switch (1 << i) {
	case A_TRACK:
		return enum_value(ps, "track", rules_tracks, &r->track);
	case A_DESK:
		if (value(ps, &r->desk, &isq) < 0)
			return -1;
		if (*r->desk == '\0')
			return fail(ps, at[i], "empty desk");
		return 0;
	case A_PRIORITY:
		return enum_value(ps, "priority", rules_priorities, &r->priority);
	default:
		return duration(ps, &r->within);
	}
}

/* Defaults, the escalation tracks and the 15-day mediation limit. */
static int check_rule(struct parser *ps, struct rules_rule *r, int seen,
    const char *const *at)
{
	char lim[32];
	struct buf b = BUF_INIT;

	if (!(seen & A_TRACK))
		return fail(ps, ps->line, "the rule sets no track");
	if (!(seen & A_DESK))
		return fail(ps, ps->line, "the rule sets no desk");
	if (ps->section == RULES_ESCALATE && r->track != RULES_ARBITRATION &&
	    r->track != RULES_LITIGATION)
		return fail(ps, at[0],
		    "an escalation goes to arbitration or litigation, not %s",
		    rules_tracks[r->track]);
	if (!(seen & A_WITHIN))
		r->within = r->priority == RULES_KEY ? RULES_DAY : 7 * RULES_DAY;
	if (rules_is_mediation(r->track) && r->within > RULES_MEDIATION_LIMIT) {
		if (rules_format_within(r->within, &b) < 0)
			return err_nomem(ps->e);
		snprintf(lim, sizeof lim, "%s", b.p);
		buf_free(&b);
		warn(ps, at[3], "within %s is beyond the 15-day mediation "
		    "limit (art. 14); using 15d", lim);
		r->within = RULES_MEDIATION_LIMIT;
	}
	return 0;
}

static int parse_rule(struct parser *ps)
{
	struct rules *rs = ps->rs;
	struct rules_rule *r;
	const char *at[4] = { NULL, NULL, NULL, NULL };
	int seen = 0;

	if ((r = grow(rs->rule, &ps->capr, rs->nrules + 1, sizeof *r)) == NULL)
		return err_nomem(ps->e);
	rs->rule = r;
	r += rs->nrules++;
	memset(r, 0, sizeof *r);
	r->section = ps->section;
	r->line = ps->lineno;
	r->priority = RULES_GENERAL;
	if (parse_cond(ps, r) < 0)
		return -1;
	for (;;) {
		if (parse_action(ps, r, &seen, at) < 0)
			return -1;
		if (at_eol(ps))
			break;
		if (*ps->p != ',')
			return fail(ps, ps->p, "expected , or the end of the line");
		ps->p++;
	}
	return check_rule(ps, r, seen, at);
}

static int parse_section(struct parser *ps)
{
	const char *at;
	int i;

	ps->p++;
	skip_ws(ps);
	at = ps->p;
	for (i = 0; rules_sections[i] != NULL; i++)
		if (keyword(ps, rules_sections[i]))
			break;
	if (rules_sections[i] == NULL)
		return fail(ps, at, "unknown section (route or escalate)");
	skip_ws(ps);
	if (ps->p == ps->end || *ps->p != ']')
		return fail(ps, ps->p, "expected ]");
	ps->p++;
	if (!at_eol(ps))
		return fail(ps, ps->p, "expected the end of the line");
	ps->section = i;
	return 0;
}

/* Text must be UTF-8 without control characters but tab. */
static int check_text(struct parser *ps)
{
	const unsigned char *s = (const unsigned char *)ps->line;
	size_t n = (size_t)(ps->end - ps->line), i = 0, k;

	while (i < n) {
		if (s[i] < 0x20 && s[i] != '\t')
			return fail(ps, ps->line + i, "control character 0x%02x", s[i]);
		if (s[i] == 0x7F)
			return fail(ps, ps->line + i, "control character 0x7f");
		if ((k = s[i] < 0x80 ? 1 : jsonio_utf8_len(s + i, s + n)) == 0)
			return fail(ps, ps->line + i, "not UTF-8");
		i += k;
	}
	return 0;
}

static int parse_line(struct parser *ps)
{
	if (check_text(ps) < 0)
		return -1;
	if (at_eol(ps))
		return 0;
	if (*ps->p == '[')
		return parse_section(ps);
	return parse_rule(ps);
}

struct rules *rules_parse(const char *name, const char *text, size_t len,
    const struct rules_opts *o, struct err *e)
{
	struct parser ps;
	const char *end = text + len, *nl;
	struct rules *rs;

	if ((rs = mem_calloc(1, sizeof *rs)) == NULL ||
	    (rs->name = mem_strdup(name)) == NULL) {
		mem_free(rs);
		err_nomem(e);
		return NULL;
	}
	memset(&ps, 0, sizeof ps);
	ps.name = name;
	ps.rs = rs;
	ps.o = o;
	ps.e = e;
	ps.section = RULES_ROUTE;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3;	/* a BOM, as editors on Windows write */
	while (text < end) {
		ps.lineno++;
		nl = memchr(text, '\n', (size_t)(end - text));
		ps.line = ps.p = text;
		ps.end = nl ? nl : end;
		if (ps.end > ps.line && ps.end[-1] == '\r')
			ps.end--;
		if (parse_line(&ps) < 0)
			goto fail;
		text = nl ? nl + 1 : end;
	}
	if (rs->nfields &&
	    (rs->slot = mem_calloc(rs->nfields, sizeof *rs->slot)) == NULL) {
		err_nomem(e);
		goto fail;
	}
	return rs;
fail:
	rules_free(rs);
	return NULL;
}

struct rules *rules_load(const char *path, const struct rules_opts *o,
    struct err *e)
{
	struct buf b = BUF_INIT;
	struct rules *rs = NULL;
	char chunk[8192];
	size_t got;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		err_sys(e, "%s", path);
		return NULL;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + got > RULES_MAX_FILE) {
			err_set(e, "%s: too large for a rules file", path);
			goto out;
		}
		if (buf_add(&b, chunk, got) < 0) {
			err_nomem(e);
			goto out;
		}
	}
	if (ferror(f)) {
		err_sys(e, "%s", path);
		goto out;
	}
	rs = rules_parse(path, b.p ? b.p : "", b.len, o, e);
out:
	fclose(f);
	buf_free(&b);
	return rs;
}

struct rules *rules_default(const struct rules_opts *o, struct err *e)
{
	return rules_parse("default", rules_default_text,
	    sizeof rules_default_text - 1, o, e);
}

void rules_free(struct rules *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nfields; i++)
		mem_free(rs->fields[i]);
	for (i = 0; i < rs->nvals; i++)
		mem_free(rs->vals[i].s);
	for (i = 0; i < rs->nrules; i++)
		mem_free(rs->rule[i].desk);
	mem_free(rs->fields);
	mem_free(rs->tests);
	mem_free(rs->vals);
	mem_free(rs->rule);
	mem_free(rs->slot);
	mem_free(rs->name);
	mem_free(rs);
}

size_t rules_count(const struct rules *rs, int section)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nrules; i++)
		n += rs->rule[i].section == section;
	return n;
}

int rules_is_mediation(int track)
{
	return track == RULES_MEDIATION || track == RULES_JOINT_MEDIATION;
}

/* --- matching --- */

/* The field's value, fetched once per record. */
static struct rules_slot *slot(struct rules *rs, size_t field,
    rules_get_fn get, const void *ctx)
{
	struct rules_slot *sl = &rs->slot[field];

	if (sl->state == 0) {
		sl->s = get(ctx, rs->fields[field]);
		if (sl->s == NULL)
			sl->s = "";
		sl->state = 1;
	}
	return sl;
}

/* Whether the field is a number, parsed once per record. */
static int slot_num(struct rules_slot *sl)
{
	struct err e;
	money_t v;

	if (sl->state == 1) {
		sl->state = 3;
		if (*sl->s != '\0' && money_parse(sl->s, &v, &e) == 0) {
			sl->num = v;
			sl->state = 2;
		}
	}
	return sl->state == 2;
}

/* -1, 0, 1; or 2 when a number meets text (then only != holds). */
static int compare(struct rules_slot *sl, const struct rules_value *v)
{
	int c;

	if (v->isnum) {
		if (!slot_num(sl))
			return 2;
		return (sl->num > v->num) - (sl->num < v->num);
	}
	c = strcmp(sl->s, v->s);
	return (c > 0) - (c < 0);
}

static int test_holds(struct rules *rs, const struct rules_test *t,
    rules_get_fn get, const void *ctx)
{
	struct rules_slot *sl = slot(rs, t->field, get, ctx);
	size_t i;
	int c;

	if (t->op == RULES_IN) {
		for (i = 0; i < t->nval; i++)
			if (compare(sl, &rs->vals[t->val + i]) == 0)
				return 1;
		return 0;
	}
	c = compare(sl, &rs->vals[t->val]);
	switch (t->op) {
	case RULES_EQ: return c == 0;
	case RULES_NE: return c != 0;
	case RULES_LT: return c == -1;
	case RULES_LE: return c == -1 || c == 0;
	case RULES_GT: return c == 1;
	default: return c == 1 || c == 0;
	}
}

const struct rules_rule *rules_match(struct rules *rs, int section,
    rules_get_fn get, const void *ctx)
{
	const struct rules_rule *r;
	size_t i, j;

	for (i = 0; i < rs->nfields; i++)
		rs->slot[i].state = 0;
	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rule[i];
		if (r->section != section)
			continue;
		for (j = 0; j < r->ntest; j++)
			if (!test_holds(rs, &rs->tests[r->test + j], get, ctx))
				break;
		if (j == r->ntest)
			return r;
	}
	return NULL;
}

/* --- printing --- */

int rules_format_within(long secs, struct buf *b)
{
	long d = secs / RULES_DAY, h = secs % RULES_DAY / RULES_HOUR;
	long m = secs % RULES_HOUR / RULES_MINUTE;

	if ((d && buf_printf(b, "%ldd", d) < 0) ||
	    (h && buf_printf(b, "%ldh", h) < 0) ||
	    (m && buf_printf(b, "%ldm", m) < 0))
		return -1;
	return 0;
}

/* Bare when it reads back as the same text, else quoted. */
static int put_string(struct buf *b, const char *s)
{
	const char *q;
	struct err e;
	money_t v;
	int bare = *s != '\0' && !looks_numeric(s) && money_parse(s, &v, &e) < 0;

	for (q = s; bare && *q; q++)
		if (bare_stop((unsigned char)*q) || (q[0] == '-' && q[1] == '>'))
			bare = 0;
	if (bare)
		return buf_adds(b, s);
	if (buf_addc(b, '"') < 0)
		return -1;
	for (q = s; *q; q++)
		if (((*q == '"' || *q == '\\') && buf_addc(b, '\\') < 0) ||
		    buf_addc(b, *q) < 0)
			return -1;
	return buf_addc(b, '"');
}

static int put_value(struct buf *b, const struct rules_value *v)
{
	return v->isnum ? buf_adds(b, v->s) : put_string(b, v->s);
}

static int put_test(const struct rules *rs, const struct rules_test *t,
    struct buf *b)
{
	size_t i;

	if (buf_printf(b, "%s %s ", rs->fields[t->field], ops[t->op]) < 0)
		return -1;
	if (t->op != RULES_IN)
		return put_value(b, &rs->vals[t->val]);
	if (buf_addc(b, '(') < 0)
		return -1;
	for (i = 0; i < t->nval; i++)
		if ((i && buf_adds(b, ", ") < 0) ||
		    put_value(b, &rs->vals[t->val + i]) < 0)
			return -1;
	return buf_addc(b, ')');
}

int rules_format_actions(const struct rules_rule *r, struct buf *b)
{
	if (buf_printf(b, "track %s, desk ", rules_tracks[r->track]) < 0 ||
	    put_string(b, r->desk) < 0 ||
	    buf_printf(b, ", priority %s, within ", rules_priorities[r->priority]) < 0)
		return -1;
	return rules_format_within(r->within, b);
}

static int put_rule(const struct rules *rs, const struct rules_rule *r,
    struct buf *b)
{
	size_t j;

	if (r->ntest == 0 && buf_addc(b, '*') < 0)
		return -1;
	for (j = 0; j < r->ntest; j++)
		if ((j && buf_adds(b, " and ") < 0) ||
		    put_test(rs, &rs->tests[r->test + j], b) < 0)
			return -1;
	if (buf_adds(b, " -> ") < 0 || rules_format_actions(r, b) < 0)
		return -1;
	return buf_addc(b, '\n');
}

int rules_format(const struct rules *rs, struct buf *b)
{
	size_t i;
	int s;

	for (s = 0; s < RULES_NSECTIONS; s++) {
		if (rules_count(rs, s) == 0)
			continue;
		if (buf_printf(b, "%s[%s]\n", b->len ? "\n" : "", rules_sections[s]) < 0)
			return -1;
		for (i = 0; i < rs->nrules; i++)
			if (rs->rule[i].section == s && put_rule(rs, &rs->rule[i], b) < 0)
				return -1;
	}
	return 0;
}
