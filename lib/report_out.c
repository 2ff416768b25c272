/*
 * report_out.c - putting the aggregate on paper: the figures per group
 * and in total, the overdue list and the employers at risk, as an
 * aligned table, CSV, one JSON object, JSON-lines or an HTML page.
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

static int page_html(const struct report_opts *o);
static int page_list(const struct sheet *sh, const struct report_opts *o,
    const struct agg *a, const char *listname);


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

	if (page_html(o))
		rc = listname ? page_list(sh, o, a, listname) : -1;
	else switch (o->to) {
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
		return err_sys(e, "%s: write error",
		    o->out_name ? o->out_name : "stdout");
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

/* Figures chosen by --fields, in its order; all by default.  Returns
 * how many (at least one), or -1: "--fields ''" would make a sheet
 * without columns, with no rows to write and no totals to read back. */
static int pick_figures(const char *fields, int *figs, struct err *e)
{
	const char *p = fields, *comma;
	size_t len;
	int f, n = 0;

	if (fields == NULL) {
		for (f = 0; f < NFIG; f++)
			figs[n++] = f;
		return n;
	}
	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		for (f = 0; f < NFIG; f++)
			if (strlen(report_figs[f].name) == len &&
			    memcmp(report_figs[f].name, p, len) == 0)
				break;
		/* err_set returns -1, but say so here: the analyzer sees
		 * only this file */
		if (f == NFIG) {
			err_set(e, "--fields: no figure \"%.*s\" (see report(1))",
			    (int)(len < 60 ? len : 60), p);
			return -1;
		}
		if (n == NFIG) {
			err_set(e, "--fields: too many");
			return -1;
		}
		figs[n++] = f;
		p += len + (comma != NULL);
	}
	if (n == 0) {
		err_set(e, "--fields: no figure named (see report(1))");
		return -1;
	}
	return n;
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
		const char *v;

		if (total != NULL)	/* the totals row has no key */
			v = k == 0 ? total : "";
		else {
			v = g->key + off;
			off += strlen(v) + 1;
		}
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

/* ---- the HTML page ---- */

/* One self-contained page: no scripts, no fetches, charts as inline SVG
 * with coordinates in whole pixels, so the page is the same bytes for
 * the same input. */

#define PAGE_W		1100	/* a chart's width in pixels */
#define MAXBARS		30	/* rows in a chart of categories */

static int page_html(const struct report_opts *o)
{
	return o->to == FMT_HTML;
}

static const char *tr(const struct report_opts *o, const char *en,
    const char *zh)
{
	return o->lang == LANG_ZH ? zh : en;
}

/* &, <, >, " and ' as entities: safe in text and in quoted attributes. */
static void esc(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: putc(*s, f);
		}
}

static void page_head(FILE *f, const struct report_opts *o, const char *title)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>", tr(o, "en", "zh"));
	esc(f, title);
	fputs("</title>\n<style>\n"
	    "body{font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"WenQuanYi Micro Hei\","
	    "\"Microsoft YaHei\",\"DejaVu Sans\",Arial,sans-serif;margin:24px;"
	    "color:#222;background:#fff}\n"
	    "h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}\n"
	    ".meta{color:#555;margin:0 0 16px}\n"
	    ".cards{display:flex;flex-wrap:wrap;gap:10px}\n"
	    ".card{border:1px solid #ccd;border-radius:6px;padding:8px 14px;"
	    "min-width:120px;background:#f6f8fc}\n"
	    ".card b{display:block;font-size:22px;color:#1a4c8b}"
	    ".card span{font-size:13px;color:#555}\n"
	    ".card.warn b{color:#b3261e}\n"
	    "svg{display:block;margin:4px 0 8px}svg text{font-size:12px;fill:#333}\n"
	    ".note{color:#555}\n.wide{overflow-x:auto}\n"
	    "table{border-collapse:collapse;font-size:12px}"
	    "th,td{border:1px solid #ccd;padding:3px 6px;white-space:nowrap}"
	    "th{background:#eef2f8}td.n{text-align:right}"
	    "tr.total td{font-weight:bold;background:#f6f8fc}\n"
	    "</style>\n</head>\n<body>\n<h1>", f);
	esc(f, title);
	fputs("</h1>\n", f);
}

static void page_time(FILE *f, long long t)
{
	char s[40];
	struct tf_time tt;

	tt.t = t;
	tt.off = win_offset(t);
	tf_format(s, sizeof s, tt);
	esc(f, s);
}

/* As of, window and groups: the question the page answers. */
static void page_meta(FILE *f, const struct report_opts *o,
    const struct agg *a)
{
	int i;

	fprintf(f, "<p class=\"meta\">%s ", tr(o, "As of", "截至"));
	page_time(f, a->now);
	if (a->has_since || a->has_until) {
		fprintf(f, " &middot; %s ", tr(o, "window", "统计期间"));
		if (a->has_since)
			page_time(f, a->since);
		fputs(" &ndash; ", f);
		if (a->has_until)
			page_time(f, a->until);
	}
	if (a->nby > 0) {
		fprintf(f, " &middot; %s ", tr(o, "grouped by", "分组"));
		for (i = 0; i < a->nby; i++) {
			if (i > 0)
				fputs(", ", f);
			esc(f, o->lang == LANG_ZH ? report_by_zh[a->by[i]] :
			    report_by_words[a->by[i]]);
		}
	}
	fputs("</p>\n", f);
}

/* The sheet as an HTML table; the totals row, if any, in bold. */
static void page_table(FILE *f, const struct sheet *sh, int lang)
{
	size_t r, c, n = nrows(sh);

	fputs("<div class=\"wide\"><table>\n<tr>", f);
	for (c = 0; c < sh->ncols; c++) {
		fputs("<th>", f);
		esc(f, label(&sh->col[c], lang));
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (r = 0; r < n; r++) {
		fputs(sh->totals && r + 1 == n ? "<tr class=\"total\">" : "<tr>", f);
		for (c = 0; c < sh->ncols; c++) {
			const char *s = cell(sh, r, c);

			fputs(sh->col[c].num ? "<td class=\"n\">" : "<td>", f);
			esc(f, s && *s ? s : "-");
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

/* The overdue list and the employers at risk: a heading and a table. */
static int page_list(const struct sheet *sh, const struct report_opts *o,
    const struct agg *a, const char *listname)
{
	FILE *f = o->out;
	int overdue = strcmp(listname, "overdue") == 0;
	int due = strcmp(listname, "due") == 0;

	page_head(f, o, overdue ? tr(o, "Overdue cases", "逾期案件") :
	    due ? tr(o, "Legal deadlines", "法定期限") :
	    tr(o, "Employers at risk", "重点关注用人单位"));
	page_meta(f, o, a);
	if (nrows(sh) == 0)
		fprintf(f, "<p class=\"note\">%s</p>\n", overdue ?
		    tr(o, "No case is overdue.", "没有逾期案件。") : due ?
		    tr(o, "No deadline has passed or is near.",
		    "没有已届满或即将届满的期限。") :
		    tr(o, "No employer is at risk.", "没有需要关注的用人单位。"));
	else
		page_table(f, sh, o->lang);
	fputs("</body>\n</html>\n", f);
	return 0;
}

/* One bar, point or category of a chart. */
struct slice {
	const char *key;	/* a component of the group keys */
	long long c[NFIG];
};

/* Component k of a group's key. */
static const char *key_part(const struct group *g, int k)
{
	const char *p = g->key;

	while (k-- > 0)
		p += strlen(p) + 1;
	return p;
}

static int cmp_slice_key(const void *x, const void *y)
{
	return strcmp(((const struct slice *)x)->key,
	    ((const struct slice *)y)->key);
}

/* The groups summed over every key but the k-th, in key order. */
static struct slice *marginal(struct group **gs, size_t n, int k, size_t *ns)
{
	struct slice *s = mem_calloc(n + 1, sizeof *s), *hit;
	size_t i, m = 0;
	int f;

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *v = key_part(gs[i], k);

		/* groups come sorted by their whole key, so with k == 0
		 * equal values are neighbours; else search */
		hit = NULL;
		if (m > 0 && strcmp(s[m - 1].key, v) == 0)
			hit = &s[m - 1];
		else if (k > 0) {
			size_t j;

			for (j = 0; j < m && hit == NULL; j++)
				if (strcmp(s[j].key, v) == 0)
					hit = &s[j];
		}
		if (hit == NULL) {
			hit = &s[m++];
			hit->key = v;
		}
		for (f = 0; f < NFIG; f++)
			hit->c[f] += gs[i]->c[f];
	}
	if (m > 1)	/* qsort(NULL, 0) is undefined */
		qsort(s, m, sizeof *s, cmp_slice_key);
	*ns = m;
	return s;
}

static int cmp_slice_cases;	/* the figure cmp_slice_value orders by */

static int cmp_slice_value(const void *x, const void *y)
{
	const struct slice *a = x, *b = y;
	long long va = a->c[cmp_slice_cases], vb = b->c[cmp_slice_cases];

	if (va != vb)
		return va > vb ? -1 : 1;
	return strcmp(a->key, b->key);
}

static const char *slice_label(const struct slice *s,
    const struct report_opts *o)
{
	return *s->key ? s->key : tr(o, "(none)", "(空)");
}

/* A success rate in hundredths of a percent, or -1 without outcomes. */
static long long slice_rate(const struct slice *s)
{
	long long d = s->c[F_AGREED] + s->c[F_FAILED];

	return d == 0 ? -1 : report_pct(s->c[F_AGREED], d);
}

static long long slice_value(const struct slice *s, int fig)
{
	return fig == F_SUCCESS_RATE ? slice_rate(s) : s->c[fig];
}

static void value_text(char *buf, size_t n, long long v, int fig)
{
	if (fig == F_SUCCESS_RATE)
		report_fix2(buf, n, v);
	else if (report_figs[fig].kind == K_MONEY)
		money_format2(buf, n, v);
	else
		snprintf(buf, n, "%lld", v);
}

static void chart_title(FILE *f, const char *title)
{
	fputs("<h2>", f);
	esc(f, title);
	fputs("</h2>\n", f);
}

/* Columns over time: one per date group, left to right; figure fig (a
 * count, or the success rate on a 0-100 scale; no column where a date
 * has no rate). */
static void chart_columns(FILE *f, const struct report_opts *o,
    const char *title, const struct slice *s, size_t n, int fig)
{
	const int left = 56, top = 18, ph = 220, pw = PAGE_W - left - 16;
	const int h = top + ph + 44;
	long long max = 1, v;
	size_t i, step = (n + 11) / 12;
	char t[48];
	int slot, bw;

	chart_title(f, title);
	for (i = 0; i < n; i++)
		if ((v = slice_value(&s[i], fig)) > max)
			max = v;
	if (fig == F_SUCCESS_RATE)
		max = 10000;
	else if (max < 2 || max % 2 != 0)	/* a whole number at half */
		max += max < 2 ? 2 - max : 1;
	slot = n ? pw / (int)n : pw;
	if (slot < 1)
		slot = 1;
	bw = slot > 3 ? slot - slot / 5 : slot;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	    PAGE_W, h, PAGE_W, h);
	esc(f, title);
	fputs("\">\n", f);
	/* axis: zero, half and the top */
	for (i = 0; i <= 2; i++) {
		int y = top + ph - (int)i * ph / 2;

		value_text(t, sizeof t, max * (long long)i / 2, fig);
		if (fig == F_SUCCESS_RATE)
			snprintf(t, sizeof t, "%d%%", (int)i * 50);
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"%s\"/>\n", left, y, left + pw, y,
		    i == 0 ? "#888" : "#ddd");
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
		    left - 6, y + 4, t);
	}
	for (i = 0; i < n; i++) {
		int x = left + (int)i * pw / (int)(n ? n : 1);
		int bh;

		if ((v = slice_value(&s[i], fig)) >= 0) {
			bh = (int)(v * ph / max);
			if (v > 0 && bh < 1)
				bh = 1;
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			    "fill=\"%s\"><title>", x, top + ph - bh, bw, bh,
			    fig == F_SUCCESS_RATE ? "#2e7d32" : "#1a4c8b");
			esc(f, s[i].key);
			value_text(t, sizeof t, v, fig);
			fprintf(f, ": %s%s</title></rect>\n", t,
			    fig == F_SUCCESS_RATE ? "%" : "");
			if (fig == F_SUCCESS_RATE)	/* whole percent */
				snprintf(t, sizeof t, "%lld", (v + 50) / 100);
			if (n <= 40 && slot >= 14)
				fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
				    "%s</text>\n", x + bw / 2, top + ph - bh - 4, t);
		}
		if (i % step == 0) {
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			    x + bw / 2, top + ph + 18);
			esc(f, slice_label(&s[i], o));
			fputs("</text>\n", f);
		}
	}
	fputs("</svg>\n", f);
}

/* Horizontal bars for categories, largest first, at most MAXBARS. */
static void chart_bars(FILE *f, const struct report_opts *o,
    const char *title, struct slice *s, size_t n, int fig)
{
	const int left = 220, rowh = 24, bwmax = PAGE_W - left - 120;
	long long max = 1;
	size_t i, shown = n < MAXBARS ? n : MAXBARS;
	char t[48];
	int h = (int)shown * rowh + 8;

	chart_title(f, title);
	cmp_slice_cases = fig;
	if (n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(s, n, sizeof *s, cmp_slice_value);
	for (i = 0; i < shown; i++)
		if (s[i].c[fig] > max)
			max = s[i].c[fig];
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
	    PAGE_W, h, PAGE_W, h);
	esc(f, title);
	fputs("\">\n", f);
	for (i = 0; i < shown; i++) {
		int y = 4 + (int)i * rowh;
		int bw = (int)(s[i].c[fig] * bwmax / max);

		if (s[i].c[fig] > 0 && bw < 1)
			bw = 1;
		value_text(t, sizeof t, s[i].c[fig], fig);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 8, y + 16);
		esc(f, slice_label(&s[i], o));
		fprintf(f, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"%s\"/>\n<text x=\"%d\" y=\"%d\">%s</text>\n",
		    left, y + 2, bw, rowh - 6,
		    fig == F_OVERDUE ? "#b3261e" : "#1a4c8b",
		    left + bw + 6, y + 16, t);
	}
	fputs("</svg>\n", f);
	if (n > shown)
		fprintf(f, "<p class=\"note\">%s %zu</p>\n",
		    tr(o, "Not shown, smaller:", "未显示(较小):"), n - shown);
}

/* The headline figures as cards, from the totals. */
static int page_cards(FILE *f, const struct report_opts *o,
    const struct group *tot)
{
	static const int hl[] = {
		F_CASES, F_WORKERS, F_AMOUNT, F_ONLINE, F_OFFLINE, F_OPEN,
		F_CLOSED, F_SUCCESS_RATE, F_OVERDUE, F_MEDIAN, F_WARNING
	};
	const int nh = (int)(sizeof hl / sizeof hl[0]);
	struct sheet hs;
	int i;

	memset(&hs, 0, sizeof hs);
	for (i = 0; i < nh; i++)
		add_col(&hs, report_figs[hl[i]].name, report_figs[hl[i]].zh, 1);
	if (group_row(&hs, tot, hl, nh, NULL) < 0) {
		sheet_free(&hs);
		return -1;
	}
	fputs("<div class=\"cards\">\n", f);
	for (i = 0; i < nh; i++) {
		const char *v = cell(&hs, 0, (size_t)i);

		fprintf(f, "<div class=\"card%s\"><b>",
		    (hl[i] == F_OVERDUE || hl[i] == F_WARNING) &&
		    tot->c[hl[i]] > 0 ? " warn" : "");
		esc(f, v ? v : "-");
		fputs("</b><span>", f);
		esc(f, label(&hs.col[i], o->lang));
		fputs("</span></div>\n", f);
	}
	fputs("</div>\n", f);
	sheet_free(&hs);
	return 0;
}

static const char *const per_en[] = { "day", "week", "month", "year" };
static const char *const per_zh[] = { "每日", "每周", "每月", "每年" };

/* The page for the figures: cards, then a chart per --by key (over
 * time for the first date key, by category for the others), then the
 * sheet itself. */
static int page_figures(const struct sheet *sh, const struct report_opts *o,
    const struct agg *a, struct group **gs, size_t n, const struct group *tot)
{
	FILE *f = o->out;
	struct slice *s;
	size_t ns;
	char t[160];
	int k, dated = 0;

	page_head(f, o, tr(o, "Case report", "劳动争议案件统计"));
	page_meta(f, o, a);
	if (page_cards(f, o, tot) < 0)
		return -1;
	for (k = 0; k < a->nby; k++) {
		int key = a->by[k];

		if ((s = marginal(gs, n, k, &ns)) == NULL)
			return -1;
		if (key <= BY_YEAR && !dated) {
			dated = 1;
			snprintf(t, sizeof t, o->lang == LANG_ZH ?
			    "%s受理案件" : "Cases per %s", o->lang == LANG_ZH ?
			    per_zh[key] : per_en[key]);
			chart_columns(f, o, t, s, ns, F_CASES);
			snprintf(t, sizeof t, o->lang == LANG_ZH ?
			    "%s调解成功率(%%)" : "Success rate per %s (%%)",
			    o->lang == LANG_ZH ? per_zh[key] : per_en[key]);
			chart_columns(f, o, t, s, ns, F_SUCCESS_RATE);
		} else if (key > BY_YEAR) {
			snprintf(t, sizeof t, o->lang == LANG_ZH ?
			    "按%s受理案件" : "Cases by %s", o->lang == LANG_ZH ?
			    report_by_zh[key] : report_by_words[key]);
			chart_bars(f, o, t, s, ns, F_CASES);
			if (key == BY_ASSIGNEE)
				chart_bars(f, o, tr(o, "Overdue cases by assignee",
				    "按承办人逾期案件"), s, ns, F_OVERDUE);
		}
		mem_free(s);
	}
	if (a->nby == 0)
		fprintf(f, "<p class=\"note\">%s</p>\n", tr(o,
		    "For charts run with --by day (or week, month), and add "
		    "type, channel or assignee for the breakdowns.",
		    "如需图表，请加 --by day（或 week、month），分类图另加 "
		    "type、channel 或 assignee。"));
	if (a->nby > 0) {
		chart_title(f, tr(o, "Figures", "明细"));
		page_table(f, sh, o->lang);
	}
	fputs("</body>\n</html>\n", f);
	return 0;
}

static int page_done(const struct report_opts *o, int rc, struct err *e)
{
	if (rc < 0)
		return err_nomem(e);
	if (fflush(o->out) == EOF || ferror(o->out))
		return err_sys(e, "%s: write error",
		    o->out_name ? o->out_name : "stdout");
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
	if ((nfigs = pick_figures(o->fields, figs, e)) < 1)
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
	if (n > 1)	/* qsort(NULL, 0) is undefined */
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
	if (page_html(o))
		rc = page_done(o, page_figures(&sh, o, a, gs, n, &tot), e);
	else
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
	if (a->nod > 1)	/* qsort(NULL, 0) is undefined */
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
	if (n > 1)	/* qsort(NULL, 0) is undefined */
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

/* Passed first, the oldest first, then the soonest; ties by case, then
 * by rule id, so that a merge orders them as a single run does. */
static int cmp_due(const void *x, const void *y)
{
	const struct due_item *a = x, *b = y;
	int c;

	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if ((c = strcmp(a->id, b->id)) != 0)
		return c;
	return strcmp(a->rule, b->rule);
}

static int due_row(struct sheet *sh, const struct due_item *it,
    const struct report_opts *o, const struct law *law, struct buf *text,
    struct err *e)
{
	struct law_deadline d;
	char date[16], left[24];
	int lang = o->lang == LANG_ZH ? LAW_ZH : LAW_EN;

	memset(&d, 0, sizeof d);
	if ((d.rule = law_rule(law, it->rule)) == NULL)
		return err_set(e, "--due: rule %s is not in the law table (give "
		    "--merge the --law the partials were made with)", it->rule);
	d.due = it->due;
	d.today = it->today;
	d.left = (long)(it->due - it->today);
	d.passed = it->today > it->due;
	d.provisional = it->prov;
	buf_reset(text);
	cal_fmt(it->due, date, sizeof date);
	snprintf(left, sizeof left, "%ld", d.left);
	if (law_text(&d, lang, text) < 0 || buf_addc(text, '\0') < 0 ||
	    add_cell(sh, it->id) < 0 || add_cell(sh, it->status) < 0 ||
	    add_cell(sh, it->assignee) < 0 || add_cell(sh, it->rule) < 0 ||
	    add_cell(sh, date) < 0 || add_cell(sh, left) < 0 ||
	    add_cell(sh, d.rule->source[lang]) < 0 || add_cell(sh, text->p) < 0)
		return err_nomem(e);
	return 0;
}

static int due_view(struct agg *a, const struct report_opts *o,
    struct err *e)
{
	struct sheet sh;
	struct buf text = BUF_INIT;
	size_t i;
	int rc = 0;

	memset(&sh, 0, sizeof sh);
	add_col(&sh, "id", "案件编号", 0);
	add_col(&sh, "status", "状态", 0);
	add_col(&sh, "assignee", "承办人", 0);
	add_col(&sh, "deadline", "期限", 0);
	add_col(&sh, "due", "届满日期", 0);
	add_col(&sh, "days_left", "剩余天数", 1);
	add_col(&sh, "source", "法律依据", 0);
	add_col(&sh, "next_step", "届满后可采取的措施", 0);
	if (a->ndu > 0 && o->law == NULL)
		rc = err_set(e, "--due: no law table");
	if (a->ndu > 1)	/* qsort(NULL, 0) is undefined */
		qsort(a->du, a->ndu, sizeof *a->du, cmp_due);
	for (i = 0; i < a->ndu && rc == 0; i++)
		rc = due_row(&sh, &a->du[i], o, o->law, &text, e);
	if (rc == 0)
		rc = write_sheet(&sh, o, a, "due", e);
	buf_free(&text);
	sheet_free(&sh);
	return rc;
}

int agg_render(struct agg *a, const struct report_opts *o, struct err *e)
{
	switch (o->view) {
	case REPORT_DUE:
		return due_view(a, o, e);
	case REPORT_OVERDUE:
		return overdue_view(a, o, e);
	case REPORT_RISK:
		return risk_view(a, o, e);
	default:
		return figures(a, o, e);
	}
}
