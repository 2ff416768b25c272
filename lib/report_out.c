/*
 * report_out.c - putting the aggregate on paper: the figures per group
 * and in total, the overdue list and the employers at risk, as an
 * aligned table, CSV, one JSON object or JSON-lines.
 *
 * Every view is first laid out as a sheet (columns, then rows of cells
 * as text; NULL for "no value", e.g. a success rate without any
 * mediation) and then written by one writer per format, so that the
 * formats cannot disagree on a number.  All numbers are made from
 * integers here: money by money_format2, rates and hours as hundredths
 * rounded half up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonio.h"
#include "mem.h"
#include "money.h"
#include "report_agg.h"
#include "window.h"

#define MAXCOLS	(NBY + NFIG)
#define NOCELL	SIZE_MAX

struct col {
	const char *name, *zh;
	int num;		/* right-aligned; a JSON number */
};

struct sheet {
	struct col col[MAXCOLS];
	size_t ncols, nkeys;
	struct buf text;	/* the cells' text, NUL-terminated each */
	size_t *cell;		/* row-major offsets into text, or NOCELL */
	size_t ncells, cap;
	int totals;		/* the last row is the totals row */
};

int report_fix2(char *buf, size_t n, long long v)
{
	const char *sg = v < 0 ? "-" : "";
	unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	return snprintf(buf, n, "%s%llu.%02llu", sg, a / 100, a % 100);
}

long long report_pct(long long a, long long b)
{
	/* a * 10000 / b, rounded half up, without overflow for b < 4e14 */
	return (a * 20000 + b) / (2 * b);
}

long long report_hours(long long minutes)
{
	return (minutes * 100 * 2 + 60) / 120;
}

/* ---- sheets ---- */

static void add_col(struct sheet *sh, const char *name, const char *zh, int num)
{
	sh->col[sh->ncols].name = name;
	sh->col[sh->ncols].zh = zh;
	sh->col[sh->ncols].num = num;
	sh->ncols++;
}

/* Cells go in row by row; NULL is "no value". */
static int add_cell(struct sheet *sh, const char *s)
{
	size_t at = NOCELL;

	if (sh->ncells == sh->cap) {
		size_t n = sh->cap ? sh->cap * 2 : 256;
		size_t *c = mem_realloc(sh->cell, n * sizeof *c);

		if (c == NULL)
			return -1;
		sh->cell = c;
		sh->cap = n;
	}
	if (s != NULL) {
		at = sh->text.len;
		if (buf_add(&sh->text, s, strlen(s) + 1) < 0)
			return -1;
	}
	sh->cell[sh->ncells++] = at;
	return 0;
}

static size_t nrows(const struct sheet *sh)
{
	return sh->ncols ? sh->ncells / sh->ncols : 0;
}

static void sheet_free(struct sheet *sh)
{
	buf_free(&sh->text);
	mem_free(sh->cell);
}

static const char *cell(const struct sheet *sh, size_t r, size_t c)
{
	size_t at = sh->cell[r * sh->ncols + c];

	return at == NOCELL ? NULL : sh->text.p + at;
}

/* ---- writers ---- */

/* Columns a terminal gives s: East Asian wide characters take two. */
static size_t width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	unsigned long c;
	int n;

	while (*p != '\0') {
		if (*p < 0x80) {
			w++;
			p++;
			continue;
		}
		n = *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 : 1;
		c = *p++ & (0x3F >> n);
		while (n-- > 0 && (*p & 0xC0) == 0x80)
			c = c << 6 | (*p++ & 0x3F);
		w += (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
		    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
		    (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
		    (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD) ?
		    2 : 1;
	}
	return w;
}

static const char *label(const struct col *c, int lang)
{
	return lang == LANG_ZH ? c->zh : c->name;
}

static void pad(FILE *f, size_t n)
{
	while (n-- > 0)
		putc(' ', f);
}

static void table_row(FILE *f, const char *const *v, const size_t *w,
    const int *right, size_t n)
{
	size_t i, cw;

	for (i = 0; i < n; i++) {
		const char *s = v[i] && *v[i] ? v[i] : "-";

		cw = width(s);
		if (i > 0)
			fputs("  ", f);
		if (right[i])
			pad(f, w[i] - cw);
		fputs(s, f);
		if (!right[i] && i + 1 < n)
			pad(f, w[i] - cw);
	}
	putc('\n', f);
}

/* Aligned columns: text left, numbers right, "-" for no value. */
static int write_table(const struct sheet *sh, const struct report_opts *o)
{
	size_t w[MAXCOLS] = { 0 }, r, c, n = nrows(sh), cw;
	const char *v[MAXCOLS] = { NULL };
	int right[MAXCOLS] = { 0 };

	for (c = 0; c < sh->ncols; c++) {
		w[c] = width(label(&sh->col[c], o->lang));
		right[c] = sh->col[c].num;
		for (r = 0; r < n; r++) {
			const char *s = cell(sh, r, c);

			if ((cw = width(s && *s ? s : "-")) > w[c])
				w[c] = cw;
		}
	}
	for (c = 0; c < sh->ncols; c++)
		v[c] = label(&sh->col[c], o->lang);
	table_row(o->out, v, w, right, sh->ncols);
	for (r = 0; r < n; r++) {
		for (c = 0; c < sh->ncols; c++)
			v[c] = cell(sh, r, c);
		table_row(o->out, v, w, right, sh->ncols);
	}
	return 0;
}

/* The figures without --by, for people: one figure a line. */
static int write_vertical(const struct sheet *sh, const struct report_opts *o)
{
	size_t w = 0, vw = 0, c;
	const char *s;

	for (c = 0; c < sh->ncols; c++) {
		if (width(label(&sh->col[c], o->lang)) > w)
			w = width(label(&sh->col[c], o->lang));
		s = cell(sh, 0, c);
		if (width(s ? s : "-") > vw)
			vw = width(s ? s : "-");
	}
	for (c = 0; c < sh->ncols; c++) {
		const char *l = label(&sh->col[c], o->lang);

		s = cell(sh, 0, c);
		fputs(l, o->out);
		pad(o->out, w - width(l) + 2 + vw - width(s ? s : "-"));
		fprintf(o->out, "%s\n", s ? s : "-");
	}
	return 0;
}

/* A cell a spreadsheet would run as a formula gets a leading quote
 * (OWASP's advice for CSV injection). */
static int formula(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r';
}

static void csv_cell(FILE *f, const char *s, int num, int excel)
{
	const char *p;

	if (s == NULL)
		return;
	if (excel && !num && formula(s)) {
		putc('"', f);
		putc('\'', f);
	} else if (strpbrk(s, ",\"\r\n") == NULL && *s != ' ' &&
	    (*s == '\0' || s[strlen(s) - 1] != ' ')) {
		fputs(s, f);
		return;
	} else
		putc('"', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			putc('"', f);
		putc(*p, f);
	}
	putc('"', f);
}

static int write_csv(const struct sheet *sh, const struct report_opts *o)
{
	const char *eol = o->excel ? "\r\n" : "\n";
	size_t r, c, n = nrows(sh);

	if (o->excel)
		fputs("\xEF\xBB\xBF", o->out);
	for (c = 0; c < sh->ncols; c++) {
		if (c > 0)
			putc(',', o->out);
		csv_cell(o->out, label(&sh->col[c], o->lang), 0, o->excel);
	}
	fputs(eol, o->out);
	for (r = 0; r < n; r++) {
		for (c = 0; c < sh->ncols; c++) {
			if (c > 0)
				putc(',', o->out);
			csv_cell(o->out, cell(sh, r, c), sh->col[c].num, o->excel);
		}
		fputs(eol, o->out);
	}
	return 0;
}

static int json_value(struct buf *b, const char *s, int num)
{
	if (s == NULL)
		return buf_adds(b, "null");
	if (num)
		return buf_adds(b, s);
	return jsonio_string(b, s, strlen(s));
}

/* Row r as JSON members from column c0 on; keys null for the totals. */
static int json_members(struct buf *b, const struct sheet *sh, size_t r,
    size_t c0, int null_keys)
{
	size_t c;

	for (c = c0; c < sh->ncols; c++) {
		if ((c > c0 && buf_addc(b, ',') < 0) ||
		    jsonio_string(b, sh->col[c].name, strlen(sh->col[c].name)) < 0 ||
		    buf_addc(b, ':') < 0 ||
		    json_value(b, null_keys && c < sh->nkeys ? NULL : cell(sh, r, c),
		    sh->col[c].num) < 0)
			return -1;
	}
	return 0;
}

static int write_jsonl(const struct sheet *sh, FILE *f)
{
	struct buf b = BUF_INIT;
	size_t r, n = nrows(sh);

	for (r = 0; r < n; r++) {
		buf_reset(&b);
		if (buf_addc(&b, '{') < 0 ||
		    json_members(&b, sh, r, 0, sh->totals && r + 1 == n) < 0 ||
		    buf_adds(&b, "}\n") < 0) {
			buf_free(&b);
			return -1;
		}
		fwrite(b.p, 1, b.len, f);
	}
	buf_free(&b);
	return 0;
}

/* {head..., "name":[rows...]} with head already holding "{..." */
static int json_rows(struct buf *b, const struct sheet *sh, const char *name,
    size_t upto)
{
	size_t r;

	if (buf_printf(b, "\"%s\":[", name) < 0)
		return -1;
	for (r = 0; r < upto; r++)
		if ((r > 0 && buf_addc(b, ',') < 0) || buf_addc(b, '{') < 0 ||
		    json_members(b, sh, r, 0, 0) < 0 || buf_addc(b, '}') < 0)
			return -1;
	return buf_addc(b, ']');
}

static int json_time(struct buf *b, const char *name, int has, long long t)
{
	char s[40];
	struct tf_time tt;

	if (!has)
		return buf_printf(b, "\"%s\":null", name);
	tt.t = t;
	tt.off = win_offset(t);
	tf_format(s, sizeof s, tt);
	return buf_printf(b, "\"%s\":\"%s\"", name, s);
}

/* The figures as one object: the question, then totals and groups. */
static int figures_json(struct buf *b, const struct sheet *sh,
    const struct agg *a)
{
	size_t n = nrows(sh);
	int i;

	if (buf_adds(b, "{\"by\":[") < 0)
		return -1;
	for (i = 0; i < a->nby; i++)
		if (buf_printf(b, "%s\"%s\"", i ? "," : "",
		    report_by_words[a->by[i]]) < 0)
			return -1;
	if (buf_adds(b, "],") < 0 || json_time(b, "since", a->has_since, a->since) < 0 ||
	    buf_addc(b, ',') < 0 || json_time(b, "until", a->has_until, a->until) < 0 ||
	    buf_adds(b, ",\"totals\":{") < 0 ||
	    json_members(b, sh, n - 1, sh->nkeys, 0) < 0 ||
	    buf_adds(b, "},") < 0 || json_rows(b, sh, "groups", n - 1) < 0 ||
	    buf_adds(b, "}\n") < 0)
		return -1;
	return 0;
}

static int list_json(struct buf *b, const struct sheet *sh, const char *name,
    const struct agg *a)
{
	if (buf_addc(b, '{') < 0 || json_time(b, "now", 1, a->now) < 0 ||
	    buf_addc(b, ',') < 0 || json_rows(b, sh, name, nrows(sh)) < 0 ||
	    buf_adds(b, "}\n") < 0)
		return -1;
	return 0;
}

static int write_sheet(const struct sheet *sh, const struct report_opts *o,
    const struct agg *a, const char *listname, struct err *e)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	switch (o->to) {
	case FMT_TABLE:
		rc = listname == NULL && sh->nkeys == 0 ?
		    write_vertical(sh, o) : write_table(sh, o);
		break;
	case FMT_JSON:
		rc = listname ? list_json(&b, sh, listname, a) :
		    figures_json(&b, sh, a);
		if (rc == 0)
			fwrite(b.p, 1, b.len, o->out);
		break;
	case FMT_JSONL:
		rc = write_jsonl(sh, o->out);
		break;
	default:
		rc = write_csv(sh, o);
	}
	buf_free(&b);
	if (rc < 0)
		return err_nomem(e);
	if (fflush(o->out) == EOF || ferror(o->out))
		return err_sys(e, "writing the report");
	return 0;
}

/* ---- the views ---- */

static int cmp_group(const void *x, const void *y)
{
	const struct group *a = *(struct group *const *)x;
	const struct group *b = *(struct group *const *)y;
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int c = memcmp(a->key, b->key, n);

	if (c != 0)
		return c;
	return (a->klen > b->klen) - (a->klen < b->klen);
}

/* Figures chosen by --fields, in its order; all by default. */
static int pick_figures(const char *fields, int *figs, int *n, struct err *e)
{
	const char *p = fields, *comma;
	size_t len;
	int f;

	*n = 0;
	if (fields == NULL) {
		for (f = 0; f < NFIG; f++)
			figs[(*n)++] = f;
		return 0;
	}
	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		for (f = 0; f < NFIG; f++)
			if (strlen(report_figs[f].name) == len &&
			    memcmp(report_figs[f].name, p, len) == 0)
				break;
		if (f == NFIG)
			return err_set(e, "--fields: no figure \"%.*s\" (see report(1))",
			    (int)(len < 60 ? len : 60), p);
		if (*n == NFIG)
			return err_set(e, "--fields: too many");
		figs[(*n)++] = f;
		p += len + (comma != NULL);
	}
	return 0;
}

static int figure_cell(struct sheet *sh, int f, const long long *c,
    const long long *pairs, size_t np)
{
	char s[48];
	long long m;

	switch (report_figs[f].kind) {
	case K_MONEY:
		money_format2(s, sizeof s, c[f]);
		break;
	case K_RATE:
		if (c[F_AGREED] + c[F_FAILED] == 0)
			return add_cell(sh, NULL);
		report_fix2(s, sizeof s, report_pct(c[F_AGREED],
		    c[F_AGREED] + c[F_FAILED]));
		break;
	case K_HOURS:
		if ((m = hist_percentile(pairs, np, f == F_MEDIAN ? 50 : 90)) < 0)
			return add_cell(sh, NULL);
		report_fix2(s, sizeof s, report_hours(m));
		break;
	default:
		snprintf(s, sizeof s, "%lld", c[f]);
	}
	return add_cell(sh, s);
}

static int group_row(struct sheet *sh, const struct group *g, const int *figs,
    int nfigs, const char *total)
{
	long long *pairs;
	size_t np, off = 0, i;
	int k, rc = 0;

	for (k = 0; (size_t)k < sh->nkeys; k++) {
		const char *v = g->key + off;

		if (total != NULL)
			v = k == 0 ? total : "";
		else
			off += strlen(v) + 1;
		if (add_cell(sh, v) < 0)
			return -1;
	}
	if (hist_sorted(&g->h, &pairs, &np) < 0)
		return -1;
	for (i = 0; (int)i < nfigs && rc == 0; i++)
		rc = figure_cell(sh, figs[i], g->c, pairs, np);
	mem_free(pairs);
	return rc;
}

/* The totals are summed from the groups, the same way in a single run
 * and in a merge. */
static int sum_groups(struct group *tot, struct group **gs, size_t n)
{
	size_t i;
	int f;

	memset(tot, 0, sizeof *tot);
	for (i = 0; i < n; i++) {
		for (f = 0; f < NFIG; f++)
			tot->c[f] += gs[i]->c[f];
		if (hist_merge(&tot->h, &gs[i]->h) < 0)
			return -1;
	}
	return 0;
}

static int figures(struct agg *a, const struct report_opts *o, struct err *e)
{
	struct sheet sh;
	struct group **gs = NULL, tot, *g;
	int figs[NFIG], nfigs, k, rc = -1;
	size_t i, n = 0;

	memset(&sh, 0, sizeof sh);
	memset(&tot, 0, sizeof tot);
	if (pick_figures(o->fields, figs, &nfigs, e) < 0)
		return -1;
	for (k = 0; k < a->nby; k++)
		add_col(&sh, report_by_words[a->by[k]], report_by_zh[a->by[k]], 0);
	sh.nkeys = (size_t)a->nby;
	for (k = 0; k < nfigs; k++)
		add_col(&sh, report_figs[figs[k]].name, report_figs[figs[k]].zh, 1);
	sh.totals = 1;
	if ((gs = mem_calloc(a->ngroups + 1, sizeof *gs)) == NULL)
		goto nomem;
	for (i = 0; i < a->ntab; i++)
		for (g = a->tab[i]; g != NULL; g = g->next)
			gs[n++] = g;
	qsort(gs, n, sizeof *gs, cmp_group);
	if (sum_groups(&tot, gs, n) < 0)
		goto nomem;
	/* Without --by the one group is the totals: no row of its own. */
	for (i = 0; i < n && a->nby > 0; i++)
		if (group_row(&sh, gs[i], figs, nfigs, NULL) < 0)
			goto nomem;
	if (group_row(&sh, &tot, figs, nfigs,
	    o->lang == LANG_ZH ? "合计" : "total") < 0)
		goto nomem;
	rc = write_sheet(&sh, o, a, NULL, e);
	goto out;
nomem:
	err_nomem(e);
out:
	hist_free(&tot.h);
	mem_free(gs);
	sheet_free(&sh);
	return rc;
}

/* Most overdue first; the id settles ties so the order is stable. */
static int cmp_overdue(const void *x, const void *y)
{
	const struct overdue_item *a = x, *b = y;

	if (a->late != b->late)
		return a->late > b->late ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Spreadsheets read "2024-04-11 09:30" as a date; RFC 3339 they do not. */
static const char *excel_time(char *buf, size_t n, const char *s, int excel)
{
	struct tf_time t;
	struct err e;

	if (!excel || win_time(s, &t.t, &e) < 0)
		return s;
	t.off = win_offset(t.t);
	tf_format_minute(buf, n, t);
	return buf;
}

static int overdue_view(struct agg *a, const struct report_opts *o,
    struct err *e)
{
	struct sheet sh;
	size_t i;
	char s[48];
	int rc;

	memset(&sh, 0, sizeof sh);
	add_col(&sh, "id", "案件编号", 0);
	add_col(&sh, "received_at", "受理时间", 0);
	add_col(&sh, "type", "案由", 0);
	add_col(&sh, "employer", "用人单位", 0);
	add_col(&sh, "assignee", "承办人", 0);
	add_col(&sh, "due_at", "办结期限", 0);
	add_col(&sh, "late_hours", "逾期(小时)", 1);
	qsort(a->od, a->nod, sizeof *a->od, cmp_overdue);
	for (i = 0; i < a->nod; i++) {
		const struct overdue_item *it = &a->od[i];
		char rb[40], db[40];
		const char *rat = excel_time(rb, sizeof rb, it->received_at, o->excel);
		const char *due = excel_time(db, sizeof db, it->due_at, o->excel);

		/* hours in hundredths from seconds, rounded half up */
		report_fix2(s, sizeof s, (it->late * 200 + 3600) / 7200);
		if (add_cell(&sh, it->id) < 0 || add_cell(&sh, rat) < 0 ||
		    add_cell(&sh, it->type) < 0 || add_cell(&sh, it->employer) < 0 ||
		    add_cell(&sh, it->assignee) < 0 || add_cell(&sh, due) < 0 ||
		    add_cell(&sh, s) < 0) {
			sheet_free(&sh);
			return err_nomem(e);
		}
	}
	rc = write_sheet(&sh, o, a, "overdue", e);
	sheet_free(&sh);
	return rc;
}

static int cmp_risk(const void *x, const void *y)
{
	const struct risk_item *a = *(struct risk_item *const *)x;
	const struct risk_item *b = *(struct risk_item *const *)y;

	if (a->cases != b->cases)
		return a->cases > b->cases ? -1 : 1;
	if (a->amount != b->amount)
		return a->amount > b->amount ? -1 : 1;
	return strcmp(a->employer, b->employer);
}

static int risk_row(struct sheet *sh, const struct risk_item *r)
{
	char s[6][48];

	snprintf(s[0], sizeof s[0], "%lld", r->cases);
	snprintf(s[1], sizeof s[1], "%lld", r->open);
	snprintf(s[2], sizeof s[2], "%lld", r->construction_open);
	snprintf(s[3], sizeof s[3], "%lld", r->group_open);
	snprintf(s[4], sizeof s[4], "%lld", r->workers);
	money_format2(s[5], sizeof s[5], r->amount);
	return add_cell(sh, r->employer) < 0 || add_cell(sh, s[0]) < 0 ||
	    add_cell(sh, s[1]) < 0 || add_cell(sh, s[2]) < 0 ||
	    add_cell(sh, s[3]) < 0 || add_cell(sh, s[4]) < 0 ||
	    add_cell(sh, s[5]) < 0 ? -1 : 0;
}

static int risk_view(struct agg *a, const struct report_opts *o,
    struct err *e)
{
	struct sheet sh;
	struct risk_item **rs, *r;
	size_t i, n = 0;
	int rc = -1;

	memset(&sh, 0, sizeof sh);
	add_col(&sh, "employer", "用人单位", 0);
	add_col(&sh, "cases", "受理案件", 1);
	add_col(&sh, "open", "未结案件", 1);
	add_col(&sh, "construction_open", "未结工程款案件", 1);
	add_col(&sh, "group_open", "未结群体案件", 1);
	add_col(&sh, "workers", "涉及人数", 1);
	add_col(&sh, "amount", "涉及金额(元)", 1);
	if ((rs = mem_calloc(a->nrisk + 1, sizeof *rs)) == NULL)
		return err_nomem(e);
	for (i = 0; i < a->nrtab; i++)
		for (r = a->rtab[i]; r != NULL; r = r->next)
			if (r->cases >= o->min_cases || r->construction_open > 0 ||
			    r->group_open > 0)
				rs[n++] = r;
	qsort(rs, n, sizeof *rs, cmp_risk);
	for (i = 0; i < n; i++)
		if (risk_row(&sh, rs[i]) < 0)
			break;
	if (i < n)
		err_nomem(e);
	else
		rc = write_sheet(&sh, o, a, "risk", e);
	mem_free(rs);
	sheet_free(&sh);
	return rc;
}

int agg_render(struct agg *a, const struct report_opts *o, struct err *e)
{
	switch (o->view) {
	case REPORT_OVERDUE:
		return overdue_view(a, o, e);
	case REPORT_RISK:
		return risk_view(a, o, e);
	default:
		return figures(a, o, e);
	}
}
