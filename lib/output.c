/*
 * output.c - the one writer of records (JSON-lines, CSV, CSV for
 * spreadsheets) and of reject files.  See output.h.
 *
 * Every output owns one buffer.  Records are appended to it and it goes
 * to write(2) (or gzwrite) whenever it holds OUT_BUFSZ bytes, so a
 * record costs a memcpy or one jsonio_record, never a system call.  The
 * first write error is kept ("sticky"): every later call and out_close
 * return it, so a command that only checks out_close still learns of an
 * ENOSPC that happened a million records earlier.
 *
 * Decisions (for the man pages):
 *  - A file is opened by fsafe_open_write: created with mode 0600 (case
 *    records hold names, id numbers and phone numbers), never through
 *    another user's symbolic link, never over another user's file or one
 *    group or others may write (see fsafe.h).  An existing file keeps
 *    its mode.
 *  - CSV quotes a cell that holds a comma, quote, CR or LF, or that
 *    begins or ends with a space or tab (so that no reader trims it).
 *  - CSV columns are --fields or rec_canonical; fields of a record that
 *    are not columns are left out (CSV is a view, the store is JSON-lines);
 *    out_dropped_field names the first one so a command can warn once.
 *  - Masking applies to every column whose key is "id_no" or "phone" or
 *    ends in ".id_no" or ".phone".
 *  - Excel: a cell that starts (after blanks) with = + - @ TAB CR or the
 *    full-width ＝ ＋ － ＠ gets a leading ' (OWASP "CSV injection"), except
 *    plain numbers (REC_NUM, or text like -?digits[.digits]) which stay
 *    numbers.  Text made only of digits that a spreadsheet would mangle
 *    (12 or more digits, or a leading 0) or that is an identifier (a
 *    column whose key ends in id_no, phone or credit_code, where 11-digit
 *    mobile numbers would otherwise become numbers) is written quoted
 *    with a leading TAB: Excel and
 *    LibreOffice then keep it as text, and onedoor's CSV reader, which
 *    trims blanks around every cell, reads back the digits unchanged.
 *    The TAB is safe here although OWASP lists it, because what follows
 *    it is only digits.  Times (keys ending in "_at" or ".at" whose value
 *    is RFC 3339) become "YYYY-MM-DD HH:MM" in the time's own offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

#include "fsafe.h"
#include "idcheck.h"
#include "jsonio.h"
#include "mem.h"
#include "output.h"
#include "timefmt.h"

#define OUT_BUFSZ	(64 * 1024)

enum { MASK_NONE, MASK_ID, MASK_PHONE };

struct col {
	const char *key;	/* points into fieldsdup or rec_canonical */
	const char *label;	/* header cell */
	int mask;		/* MASK_* */
	int digits_text;	/* excel: digits here are an identifier */
	int time;		/* excel: RFC 3339 -> minutes */
};

struct output {
	int fd;
	int ownfd;		/* close fd at the end (not stdout) */
	int isstdout;
	char *name;
	gzFile gz;
	struct buf b;		/* pending output */
	struct out_opts o;
	int failed;		/* err holds the first write error */
	struct err err;
	long long count;
	long long rebuilt;	/* records not written as they came (raw) */
	long long kill_after;	/* test hook, see out_test_kill_after */

	/* CSV */
	struct col *cols;
	size_t ncols;
	char *fieldsdup;
	int header_done;
	char *dropped;		/* first field left out, or NULL */
	unsigned char *used;	/* per field of the record: written */
	size_t usedcap;
	struct buf cell;	/* scratch for masked values */
};

/* ---- low level: buffer, write, errors ------------------------------ */

static int keep_error(struct output *out, struct err *e)
{
	out->failed = 1;
	if (e != NULL)
		*e = out->err;
	return -1;
}

static int sys_error(struct output *out, struct err *e, const char *what)
{
	err_sys(&out->err, "%s: %s", out->name, what);
	return keep_error(out, e);
}

static int gz_error(struct output *out, struct err *e)
{
	int zerr;
	const char *msg = gzerror(out->gz, &zerr);

	if (zerr == Z_ERRNO)
		return sys_error(out, e, "write error");
	err_set(&out->err, "%s: gzip: %s", out->name, msg);
	return keep_error(out, e);
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush(struct output *out, struct err *e)
{
	const char *p = out->b.p;
	size_t n = out->b.len;
	int w;

	if (out->failed)
		return keep_error(out, e);
	if (out->gz != NULL) {
		while (n > 0) {
			w = gzwrite(out->gz, p, n > OUT_BUFSZ ? OUT_BUFSZ : (unsigned)n);
			if (w <= 0)
				return gz_error(out, e);
			p += w;
			n -= (size_t)w;
		}
	} else if (write_all(out->fd, p, n) < 0)
		return sys_error(out, e, "write error");
	buf_reset(&out->b);
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* ---- CSV cells ----------------------------------------------------- */

static int is_plain_number(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d)
		return 0;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return i == n;
}

/* Digits a spreadsheet would turn into a float or strip of a leading 0,
 * or that are an identifier (idcol), not a quantity. */
static int is_fragile_digits(const char *s, size_t n, int idcol)
{
	size_t i;

	if (n == 0 || (!idcol && (n < 2 || (n < 12 && s[0] != '0'))))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int is_formula(const char *s, size_t n)
{
	static const char *const wide[] = {
		"\xef\xbc\x9d", "\xef\xbc\x8b", "\xef\xbc\x8d", "\xef\xbc\xa0",
	};	/* ＝ ＋ － ＠ */
	size_t i;

	while (n > 0 && *s == ' ')
		s++, n--;
	if (n == 0)
		return 0;
	if (strchr("=+-@\t\r", *s) != NULL)
		return 1;
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (n >= 3 && memcmp(s, wide[i], 3) == 0)
			return 1;
	return 0;
}

static int needs_quotes(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

/* Append one cell: prefix (may be "") then s, RFC 4180 quoted if needed. */
static int put_cell(struct buf *b, const char *prefix, const char *s,
    size_t n, int quote)
{
	const char *q;

	if (!quote && !needs_quotes(s, n))
		return (*prefix && buf_adds(b, prefix) < 0) || buf_add(b, s, n) < 0
		    ? -1 : 0;
	if (buf_reserve(b, n + strlen(prefix) + 8) < 0 || buf_addc(b, '"') < 0 ||
	    buf_adds(b, prefix) < 0)
		return -1;
	while ((q = memchr(s, '"', n)) != NULL) {
		if (buf_add(b, s, (size_t)(q - s) + 1) < 0 || buf_addc(b, '"') < 0)
			return -1;
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	return buf_add(b, s, n) < 0 || buf_addc(b, '"') < 0 ? -1 : 0;
}

static int looks_rfc3339(const char *s, size_t n)
{
	return n >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T';
}

static int csv_value(struct output *out, const struct col *c, int type,
    const char *v, size_t n)
{
	const char *prefix = "";
	char tbuf[32];
	struct tf_time t;
	struct err te;
	int quote = 0;

	if (c->mask != MASK_NONE && !out->o.unmask && n > 0) {
		buf_reset(&out->cell);
		if (buf_reserve(&out->cell, n) < 0)
			return -1;
		if (c->mask == MASK_ID)
			idcheck_mask_id(v, out->cell.p, n + 1);
		else
			idcheck_mask_phone(v, out->cell.p, n + 1);
		v = out->cell.p;
		n = strlen(v);
	}
	if (out->o.excel && type != REC_NUM) {
		if (c->time && type == REC_STR && looks_rfc3339(v, n) &&
		    tf_parse(v, &t, &te) == 0 &&
		    tf_format_minute(tbuf, sizeof tbuf, t) > 0) {
			v = tbuf;
			n = strlen(tbuf);
		}
		if (type == REC_STR && is_fragile_digits(v, n, c->digits_text)) {
			prefix = "\t";
			quote = 1;
		} else if (!is_plain_number(v, n) && is_formula(v, n))
			prefix = "'";
	}
	return put_cell(&out->b, prefix, v, n, quote);
}

/* ---- CSV columns and rows ------------------------------------------ */

static void col_init(struct col *c, const char *key, int lang)
{
	int i = rec_canonical_index(key);

	c->key = key;
	c->label = key;
	if (lang == LANG_ZH && i >= 0 && rec_canonical[i].zh != NULL)
		c->label = rec_canonical[i].zh;
	c->mask = MASK_NONE;
	if (strcmp(key, "id_no") == 0 || ends_with(key, ".id_no"))
		c->mask = MASK_ID;
	else if (strcmp(key, "phone") == 0 || ends_with(key, ".phone"))
		c->mask = MASK_PHONE;
	c->digits_text = c->mask != MASK_NONE ||
	    strcmp(key, "credit_code") == 0 || ends_with(key, ".credit_code");
	c->time = ends_with(key, "_at") || ends_with(key, ".at") ||
	    strcmp(key, "at") == 0;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

/* Columns from "a,b,c" (names trimmed; unknown names give empty cells). */
static int cols_from_fields(struct output *out, struct err *e)
{
	char *p, *comma, *name;
	size_t n = 1;

	if ((out->fieldsdup = mem_strdup(out->o.fields)) == NULL)
		return err_nomem(e);
	for (p = out->fieldsdup; *p; p++)
		n += *p == ',';
	if ((out->cols = mem_calloc(n, sizeof *out->cols)) == NULL)
		return err_nomem(e);
	for (p = out->fieldsdup; p != NULL; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		name = trim(p);
		if (*name == '\0')
			return err_set(e, "fields: empty field name in \"%s\"",
			    out->o.fields);
		col_init(&out->cols[out->ncols++], name, out->o.lang);
	}
	return 0;
}

/* --fields is checked before out_open creates (truncates) the file. */
static int check_fields(const struct out_opts *o, struct err *e)
{
	const char *p, *q;

	if (o == NULL || o->format != FMT_CSV || o->fields == NULL)
		return 0;
	for (p = o->fields;; p = q + 1) {
		q = p + strcspn(p, ",");
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		if (p == q)
			return err_set(e, "fields: empty field name in \"%s\"",
			    o->fields);
		if (*q == '\0')
			return 0;
	}
}

static int cols_setup(struct output *out, struct err *e)
{
	size_t i;

	if (out->o.fields != NULL)
		return cols_from_fields(out, e);
	if ((out->cols = mem_calloc(rec_ncanonical, sizeof *out->cols)) == NULL)
		return err_nomem(e);
	for (i = 0; i < rec_ncanonical; i++)
		col_init(&out->cols[i], rec_canonical[i].key, out->o.lang);
	out->ncols = i;
	return 0;
}

static const char *row_end(const struct output *out)
{
	return out->o.excel ? "\r\n" : "\n";
}

static int csv_header(struct output *out, struct err *e)
{
	size_t i;

	out->header_done = 1;
	if (out->o.excel && buf_add(&out->b, "\xef\xbb\xbf", 3) < 0)
		return err_nomem(e);
	for (i = 0; i < out->ncols; i++)
		if ((i > 0 && buf_addc(&out->b, ',') < 0) ||
		    put_cell(&out->b, "", out->cols[i].label,
		    strlen(out->cols[i].label), 0) < 0)
			return err_nomem(e);
	if (buf_adds(&out->b, row_end(out)) < 0)
		return err_nomem(e);
	return 0;
}

/* Remember the first field of r that no column took. */
static int note_dropped(struct output *out, const struct rec *r, struct err *e)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!out->used[i]) {
			if ((out->dropped = mem_strdup(rec_key(r, i))) == NULL)
				return err_nomem(e);
			break;
		}
	return 0;
}

static int csv_rec(struct output *out, const struct rec *r, struct err *e)
{
	size_t c, j = 0, mark;
	int i, track = out->dropped == NULL;

	if (!out->header_done && csv_header(out, e) < 0)
		return -1;
	mark = out->b.len;
	if (track && out->usedcap < r->n) {
		mem_free(out->used);
		out->usedcap = 0;
		if ((out->used = mem_alloc(r->n)) == NULL)
			return err_nomem(e);
		out->usedcap = r->n;
	}
	if (track && r->n > 0)
		memset(out->used, 0, r->n);
	for (c = 0; c < out->ncols; c++) {
		/* records are mostly in column order: try the next field
		 * before searching */
		if (j < r->n && strcmp(rec_key(r, j), out->cols[c].key) == 0)
			i = (int)j;
		else
			i = rec_find(r, out->cols[c].key);
		if (c > 0 && buf_addc(&out->b, ',') < 0)
			goto nomem;
		if (i < 0)
			continue;
		j = (size_t)i + 1;
		if (track)
			out->used[i] = 1;
		if (csv_value(out, &out->cols[c], r->f[i].type, rec_val(r, i),
		    r->f[i].vlen) < 0)
			goto nomem;
	}
	if (buf_adds(&out->b, row_end(out)) < 0)
		goto nomem;
	if (track && note_dropped(out, r, e) < 0)
		return -1;
	return 0;
nomem:
	out->b.len = mark;
	return err_nomem(e);
}

/* ---- JSON-lines ---------------------------------------------------- */

static int jsonl_rec(struct output *out, struct rec *r, struct err *e)
{
	size_t mark = out->b.len;

	/* the fast path: an untouched record goes out as it came in */
	if (r->rawfmt == FMT_JSONL && !r->dirty && r->raw.len > 0) {
		if (buf_reserve(&out->b, r->raw.len + 1) < 0)
			return err_nomem(e);
		memcpy(out->b.p + out->b.len, r->raw.p, r->raw.len);
		out->b.len += r->raw.len;
		out->b.p[out->b.len++] = '\n';
		out->b.p[out->b.len] = '\0';
		return 0;
	}
	rec_sort(r);
	if (jsonio_record(&out->b, r) < 0 || buf_addc(&out->b, '\n') < 0) {
		out->b.len = mark;
		return err_nomem(e);
	}
	out->rebuilt++;
	return 0;
}

/* ---- opening, writing, closing ------------------------------------- */

struct output *out_fdopen(int fd, const char *name, const struct out_opts *o,
    struct err *e)
{
	static const struct out_opts none;
	struct output *out;
	int gzfd;

	if ((out = mem_calloc(1, sizeof *out)) == NULL) {
		err_nomem(e);
		return NULL;
	}
	out->fd = fd;
	out->isstdout = fd == STDOUT_FILENO && strcmp(name, "stdout") == 0;
	out->ownfd = !out->isstdout;	/* out_close closes what it was given */
	out->o = o != NULL ? *o : none;
	if (out->o.format == FMT_AUTO)
		out->o.format = FMT_JSONL;
	if (out->o.format != FMT_JSONL && out->o.format != FMT_CSV) {
		err_set(e, "%s: records are written as jsonl or csv, not %s",
		    name, fmt_name(out->o.format));
		goto fail;
	}
	if ((out->name = mem_strdup(name)) == NULL ||
	    buf_reserve(&out->b, OUT_BUFSZ + 4096) < 0) {
		err_nomem(e);
		goto fail;
	}
	if (out->o.format == FMT_CSV && cols_setup(out, e) < 0)
		goto fail;
	out->o.fields = NULL;	/* borrowed; fieldsdup holds the names */
	if (out->o.gzip || ends_with(name, ".gz")) {
		/* gzip gets its own descriptor so that the trailer written
		 * by gzclose can still be fsynced through fd, and so that
		 * stdout stays open */
		if ((gzfd = dup(fd)) < 0) {
			err_sys(e, "%s: dup", name);
			goto fail;
		}
		if ((out->gz = gzdopen(gzfd, "wb")) == NULL) {
			close(gzfd);
			err_nomem(e);
			goto fail;
		}
		gzbuffer(out->gz, OUT_BUFSZ);
	}
	return out;
fail:
	out->ownfd = 0;		/* the caller still owns fd on failure */
	out_discard(out);
	return NULL;
}

struct output *out_open(const char *path, const struct out_opts *o,
    struct err *e)
{
	struct output *out;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		return out_fdopen(STDOUT_FILENO, "stdout", o, e);
	}
	if (check_fields(o, e) < 0)
		return NULL;
	if ((fd = fsafe_open_write(path, e)) < 0)
		return NULL;
	if ((out = out_fdopen(fd, path, o, e)) == NULL)
		close(fd);
	return out;
}

int out_rec(struct output *out, struct rec *r, struct err *e)
{
	int rc;

	if (out->failed)
		return keep_error(out, e);
	if (out->o.format == FMT_CSV) {
		rc = csv_rec(out, r, e);
		out->rebuilt++;
	} else
		rc = jsonl_rec(out, r, e);
	if (rc < 0)
		return -1;
	out->count++;
	if (out->b.len >= OUT_BUFSZ && flush(out, e) < 0)
		return -1;
	if (out->kill_after > 0 && out->count >= out->kill_after) {
		flush(out, e);
		if (out->gz != NULL)
			gzflush(out->gz, Z_SYNC_FLUSH);
		raise(SIGKILL);
	}
	return 0;
}

long long out_count(const struct output *out)
{
	return out->count;
}

long long out_rebuilt(const struct output *out)
{
	return out->rebuilt;
}

const char *out_dropped_field(const struct output *out)
{
	return out->dropped;
}

void out_test_kill_after(struct output *out, long long n)
{
	out->kill_after = n;
}

static void out_free(struct output *out)
{
	buf_free(&out->b);
	buf_free(&out->cell);
	mem_free(out->cols);
	mem_free(out->fieldsdup);
	mem_free(out->dropped);
	mem_free(out->used);
	mem_free(out->name);
	mem_free(out);
}

int out_close(struct output *out, struct err *e)
{
	int rc = 0;

	if (out == NULL)
		return 0;
	if (out->o.format == FMT_CSV && !out->header_done && !out->failed &&
	    csv_header(out, e) < 0)
		rc = -1;
	if (rc == 0 && flush(out, e) < 0)
		rc = -1;
	if (out->gz != NULL) {
		int zrc = gzclose(out->gz);

		out->gz = NULL;
		if (zrc != Z_OK && rc == 0) {
			if (zrc == Z_ERRNO)
				sys_error(out, e, "write error");
			else {
				err_set(&out->err, "%s: gzip: error %d", out->name,
				    zrc);
				keep_error(out, e);
			}
			rc = -1;
		}
	}
	if (out->o.sync && rc == 0 && fsync(out->fd) < 0 && errno != EINVAL) {
		sys_error(out, e, "fsync");
		rc = -1;
	}
	if (out->ownfd && close(out->fd) < 0 && rc == 0) {
		sys_error(out, e, "close");
		rc = -1;
	}
	out_free(out);
	return rc;
}

void out_discard(struct output *out)
{
	if (out == NULL)
		return;
	if (out->gz != NULL)
		gzclose(out->gz);
	if (out->ownfd)
		close(out->fd);
	out_free(out);
}

/* ---- reject files -------------------------------------------------- */

struct rejects {
	struct output *out;
	int kind;		/* 0 until the first write, FMT_CSV, FMT_JSONL */
	char **hdr;		/* the CSV header, as first written */
	size_t nhdr;
	struct rec tmp;
	char **cells;		/* cells of a CSV raw line, see split_csv */
	size_t ncells, cellcap;
	int nomem;
	int excel;		/* --excel: BOM, CRLF, cells made safe */
	int bom;		/* the input had a BOM or was GB18030 */
};

void rej_input(struct rejects *rj, int excel, int bom)
{
	if (rj == NULL)
		return;
	rj->excel = excel;
	rj->bom = bom;
}

struct rejects *rej_open(const char *path, struct err *e)
{
	struct out_opts o = { 0 };
	struct rejects *rj;

	o.format = FMT_JSONL;
	if ((rj = mem_calloc(1, sizeof *rj)) == NULL) {
		err_nomem(e);
		return NULL;
	}
	rec_init(&rj->tmp);
	/* created now, even if nothing is rejected, so that a script can
	 * rely on the file existing (and being empty) after the run */
	if ((rj->out = out_open(path, &o, e)) == NULL) {
		mem_free(rj);
		return NULL;
	}
	return rj;
}

static void free_cells(struct rejects *rj)
{
	size_t i;

	for (i = 0; i < rj->ncells; i++)
		mem_free(rj->cells[i]);
	rj->ncells = 0;
}

static void cell_cb(void *s, size_t n, void *data)
{
	struct rejects *rj = data;
	char **p;

	if (rj->nomem)
		return;
	if (rj->ncells == rj->cellcap) {
		size_t cap = rj->cellcap ? rj->cellcap * 2 : 32;

		if ((p = mem_realloc(rj->cells, cap * sizeof *p)) == NULL) {
			rj->nomem = 1;
			return;
		}
		rj->cells = p;
		rj->cellcap = cap;
	}
	if ((rj->cells[rj->ncells] = mem_strndup(s ? s : "", s ? n : 0)) == NULL)
		rj->nomem = 1;
	else
		rj->ncells++;
}

static void *csv_realloc(void *p, size_t n)
{
	return mem_realloc(p, n);
}

/* Spaces are data: libcsv would trim them from unquoted cells. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* The original cells of a CSV record from its raw text, spaces and tabs
 * kept as the reader (csvio.c) keeps them. */
static int split_csv(struct rejects *rj, const struct buf *raw)
{
	struct csv_parser p;
	size_t n = raw->len;
	int rc = 0;

	free_cells(rj);
	rj->nomem = 0;
	while (n > 0 && (raw->p[n - 1] == '\n' || raw->p[n - 1] == '\r'))
		n--;
	if (csv_init(&p, 0) != 0)
		return -1;
	csv_set_realloc_func(&p, csv_realloc);
	csv_set_free_func(&p, mem_free);
	csv_set_space_func(&p, no_space);
	if (csv_parse(&p, raw->p, n, cell_cb, NULL, rj) != n ||
	    csv_fini(&p, cell_cb, NULL, rj) != 0 || rj->nomem)
		rc = -1;
	csv_free(&p);
	return rc;
}

static void free_hdr(struct rejects *rj)
{
	size_t i;

	for (i = 0; i < rj->nhdr; i++)
		mem_free(rj->hdr[i]);
	mem_free(rj->hdr);
	rj->hdr = NULL;
	rj->nhdr = 0;
}

/*
 * One cell of a CSV reject: as it was read, or with --excel made safe as
 * --excel output cells are (a formula neutralised by a leading ', long
 * digits kept as text), so that the spreadsheet the rows are fixed in
 * shows what was read and runs nothing.
 */
static int rej_cell(const struct rejects *rj, struct buf *b, const char *v)
{
	size_t n = strlen(v);

	if (rj->excel && is_fragile_digits(v, n, 0))
		return put_cell(b, "\t", v, n, 1);
	if (rj->excel && !is_plain_number(v, n) && is_formula(v, n))
		return put_cell(b, "'", v, n, 0);
	return put_cell(b, "", v, n, 0);
}

/*
 * The header of a CSV reject file.  A byte order mark first when the
 * input had one or was GB18030 (its rows are UTF-8 now, which a
 * spreadsheet without the mark reads as the local code page) or with
 * --excel.
 */
static int rej_csv_header(struct rejects *rj, const char *const *header,
    size_t nheader, const struct rec *r)
{
	struct buf *b = &rj->out->b;
	size_t i, n = header != NULL ? nheader : r->n;

	if ((rj->hdr = mem_calloc(n ? n : 1, sizeof *rj->hdr)) == NULL)
		return -1;
	if ((rj->excel || rj->bom) && buf_add(b, "\xef\xbb\xbf", 3) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		const char *h = header != NULL ? header[i] : rec_key(r, i);

		if ((rj->hdr[i] = mem_strdup(h)) == NULL)
			goto fail;
		rj->nhdr++;
		if (rej_cell(rj, b, h) < 0 || buf_addc(b, ',') < 0)
			goto fail;
	}
	if (buf_adds(b, "reject_reason") == 0 &&
	    buf_adds(b, rj->excel ? "\r\n" : "\n") == 0)
		return 0;
fail:
	free_hdr(rj);	/* the next reject tries again */
	return -1;
}

/*
 * A CSV reject: the original cells parsed back from r->raw when there is
 * one (so whatever the reader made of them, typed or not, the row is
 * what the user wrote), else r's values under the header's names.  Rows
 * shorter than the header are padded so that the reason stays in its
 * column; longer ones keep every cell.
 */
static int rej_csv(struct rejects *rj, const char *const *header,
    size_t nheader, const struct rec *r, const char *reason)
{
	struct buf *b = &rj->out->b;
	size_t i, n;
	int k;

	if (rj->kind == 0 && rej_csv_header(rj, header, nheader, r) < 0)
		return -1;
	rj->kind = FMT_CSV;
	if (r->rawfmt == FMT_CSV && r->raw.len > 0 && split_csv(rj, &r->raw) == 0) {
		for (i = 0; i < rj->ncells; i++)
			if (rej_cell(rj, b, rj->cells[i]) < 0 ||
			    buf_addc(b, ',') < 0)
				return -1;
		n = rj->ncells;
	} else {
		for (i = 0; i < rj->nhdr; i++) {
			const char *v = "";

			if (i < r->n && strcmp(rec_key(r, i), rj->hdr[i]) == 0)
				v = rec_val(r, i);
			else if ((k = rec_find(r, rj->hdr[i])) >= 0)
				v = rec_val(r, k);
			else if (i == 0 && r->n == 0 && r->raw.len > 0)
				v = r->raw.p;
			if (rej_cell(rj, b, v) < 0 || buf_addc(b, ',') < 0)
				return -1;
		}
		n = rj->nhdr;
	}
	for (; n < rj->nhdr; n++)
		if (buf_addc(b, ',') < 0)
			return -1;
	return rej_cell(rj, b, reason) < 0 ||
	    buf_adds(b, rj->excel ? "\r\n" : "\n") < 0 ? -1 : 0;
}

/*
 * A JSON-lines reject: the object re-read from r->raw, or r itself when
 * it has no raw text (built in memory), with "reject_reason" set; a line that is not an object becomes
 * {"reject_reason":..., "raw":"the line"}.
 */
static int rej_jsonl(struct rejects *rj, const struct rec *r,
    const char *reason)
{
	struct buf *b = &rj->out->b;
	struct err e;
	int have = 0;

	rj->kind = rj->kind ? rj->kind : FMT_JSONL;
	rec_clear(&rj->tmp);
	/* the line as it came in is what is fixed and fed back, whatever
	 * the reader or the command made of it */
	if (r->rawfmt != FMT_CSV && r->raw.len > 0)
		have = jsonio_scan(r->raw.p, r->raw.len, &rj->tmp, &e) == 0;
	else if (r->n > 0) {
		if (rec_copy(&rj->tmp, r, &e) < 0)
			return -1;
		have = 1;
	}
	if (have) {
		if (rec_sets(&rj->tmp, "reject_reason", reason, &e) < 0)
			return -1;
		rec_sort(&rj->tmp);
		if (jsonio_record(b, &rj->tmp) < 0)
			return -1;
	} else if (buf_adds(b, "{\"reject_reason\":") < 0 ||
	    jsonio_string(b, reason, strlen(reason)) < 0 ||
	    buf_adds(b, ",\"raw\":") < 0 ||
	    jsonio_string(b, r->raw.len ? r->raw.p : "", r->raw.len) < 0 ||
	    buf_addc(b, '}') < 0)
		return -1;
	return buf_addc(b, '\n');
}

int rej_write(struct rejects *rj, const char *const *header, size_t nheader,
    const struct rec *r, const char *reason, struct err *e)
{
	struct output *out = rj->out;
	size_t mark = out->b.len;
	int csv;

	if (out->failed)
		return keep_error(out, e);
	/* the first reject decides the file's format; later ones of the
	 * other kind are written in it as well as they can be */
	csv = rj->kind ? rj->kind == FMT_CSV :
	    header != NULL || r->rawfmt == FMT_CSV;
	if ((csv ? rej_csv(rj, header, nheader, r, reason) :
	    rej_jsonl(rj, r, reason)) < 0) {
		out->b.len = mark;
		return err_nomem(e);
	}
	out->count++;
	if (out->b.len >= OUT_BUFSZ)
		return flush(out, e);
	return 0;
}

int rej_close(struct rejects *rj, struct err *e)
{
	int rc;

	if (rj == NULL)
		return 0;
	rc = out_close(rj->out, e);
	free_hdr(rj);
	free_cells(rj);
	mem_free(rj->cells);
	rec_free(&rj->tmp);
	mem_free(rj);
	return rc;
}
