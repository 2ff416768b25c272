/*
 * fuzz_append.c - libFuzzer target for case-add --append against a plain
 * model of what it must remember: the source ids that make a row
 * "already in store" (a false match drops a case without a word, a
 * missed one imports it twice) and the open cases a duplicate hint
 * names.  case-add keeps both in compact tables (bitmaps of ids numbered
 * in order, packed and hashed fingerprints, packed case ids); the model
 * keeps strings and compares them as strings.
 *
 * The input is a recipe, not a file: its bytes choose a store, plain or
 * gzip (case ids of every form case-add reads back, open and closed
 * cases, source ids), and intake rows whose source ids run on in
 * families numbered in order, jump far ahead, fall below a family's
 * start, come in more families than the bitmaps take, or are packed or
 * hashed, padded with spaces the reader trims, and whose claimants share
 * id numbers (an x in either case) and names and employers.  case-add then appends the
 * rows to the store twice, and each run must agree with the model: the
 * store's records kept as they were, each row added or known exactly
 * when the model says, the new ids next in their year, and every hint
 * the newest open case with the row's id number, else with its name and
 * employer.  The second run therefore adds only the rows without a
 * source id, after a byte-for-byte copy of the first run's store.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE \
 *       -D_POSIX_C_SOURCE=200809L -Iinclude tests/fuzz/fuzz_append.c \
 *       lib/[a-z]*.c -lcsv -ljansson -lz -lm
 *   ./a.out tests/fuzz/corpus/append
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "cli.h"
#include "intake.h"
#include "recipe.h"
#include "scratch.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STORE	64	/* store records a recipe makes */
#define MAX_ROWS	1200	/* intake rows */
#define MAX_CASES	(MAX_STORE + 2 * MAX_ROWS)
#define MAX_SIDS	(MAX_STORE + MAX_ROWS)
#define MAX_FAMILIES	1000	/* more than fpseq keeps (FPSEQ_FAMILIES) */
#define TEXT_MAX	(1 << 20)

static struct cli cli;
/* the store: scratch[0], or that name with .gz, which gzips it; and the
 * lock files case-add leaves beside them */
static char gz_path[48], lock_path[2][56];
static char where[2][160];		/* for fail: plain store, gzip store */

/* --- the pools the cases draw from --------------------------------------- */

static const char *const names[] = { "张伟", "李娜", "王芳", "赵磊" };
static const char *const employers[] = { "甲厂", "乙厂", "丙厂" };
/* id numbers: 17 digits of these, the check character computed here */
static const char *const areas[] = { "110105", "440524", "310101" };
static const char *const births[] = { "19491231", "19800101", "20000229",
	"19750615" };
static char idnos[12][19], idnos_lower[12][19];
/* what a store may hold that no row does: an x, and text that is no id
 * number at all */
static const char *const odd_idnos[] = { "11010519491231002x", "abc",
	"44052419800101001" };

/* ISO 7064 MOD 11-2, as GB 11643 has it. */
static char resident_check(const char *s)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10,
		5, 8, 4, 2 };
	int i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (s[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

static void make_idnos(void)
{
	int i;

	for (i = 0; i < 12; i++) {
		snprintf(idnos[i], sizeof idnos[i], "%s%s%03d", areas[i % 3],
		    births[i % 4], 2 + 11 * i);
		idnos[i][17] = resident_check(idnos[i]);
		idnos[i][18] = '\0';
		memcpy(idnos_lower[i], idnos[i], sizeof idnos[i]);
		if (idnos[i][17] == 'X')
			idnos_lower[i][17] = 'x';
	}
}

/* --- source ids ---------------------------------------------------------- */

/* A family of ids numbered in order: a head, then the number in a fixed
 * count of digits ("WX20240001"). */
struct family {
	char head[8];
	int digits;
	unsigned long long start, last;
};

struct gen {
	struct family fam[MAX_FAMILIES];
	int nfam;
	char sid[MAX_SIDS][64];		/* every source id made so far */
	int nsid;
	int nburst;			/* families gen_burst made */
};

static const char head_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

static void gen_init(struct gen *g)
{
	static const struct family seed[] = {
		{ "WX", 8, 20240000ULL, 20240000ULL },
		{ "RX", 11, 20240000000ULL, 20240000000ULL },
		{ "", 8, 10000000ULL, 10000000ULL },
		{ "A-", 3, 100, 100 },
		{ "_", 1, 0, 0 },
		{ "ab", 18, 123456789012345678ULL, 123456789012345678ULL },
	};

	memcpy(g->fam, seed, sizeof seed);
	g->nfam = (int)(sizeof seed / sizeof seed[0]);
	g->nsid = 0;
	g->nburst = 0;
}

static unsigned long long ten_to(int n)
{
	unsigned long long v = 1;

	while (n-- > 0)
		v *= 10;
	return v;
}

static void family_id(const struct family *f, unsigned long long num,
    char *out)
{
	snprintf(out, 64, "%s%0*llu", f->head, f->digits,
	    num % ten_to(f->digits));
}

static struct family *new_family(struct gen *g, struct recipe *r)
{
	struct family *f;
	unsigned i, len;

	if (g->nfam == MAX_FAMILIES)
		return &g->fam[take(r) % MAX_FAMILIES];
	f = &g->fam[g->nfam++];
	len = take(r) % 8;
	for (i = 0; i < len; i++)
		f->head[i] = head_chars[take(r) % (sizeof head_chars - 1)];
	f->head[len] = '\0';
	f->digits = 1 + (int)(take(r) % 18);
	f->start = take(r);
	f->start = (f->start << 8 | take(r)) % ten_to(f->digits);
	f->last = f->start;
	return f;
}

/* The next source id the recipe asks for into out ("" for none): four
 * bytes of it (what, which, and two numbers), or more for a new
 * family. */
static void gen_sid(struct gen *g, struct recipe *r, char *out)
{
	unsigned op = take(r) % 10, b = take(r), c = take(r), d = take(r);
	struct family *f = &g->fam[b % (unsigned)g->nfam];

	out[0] = '\0';
	switch (op) {
	case 0:		/* none */
		return;
	case 1:		/* one seen before */
		if (g->nsid > 0)
			strcpy(out, g->sid[b % (unsigned)g->nsid]);
		return;
	case 2: case 3:	/* the next of a family */
		f->last = (f->last + 1 + b % 3) % ten_to(f->digits);
		family_id(f, f->last, out);
		break;
	case 4:		/* far ahead */
		f->last = (f->last + (1ULL << (c % 60))) %
		    ten_to(f->digits);
		family_id(f, f->last, out);
		break;
	case 5:		/* below the family's start */
		family_id(f, f->start > 1 + b % 7 ? f->start - 1 - b % 7 : 0,
		    out);
		break;
	case 6:		/* a new family */
		f = new_family(g, r);
		family_id(f, f->last, out);
		break;
	case 7:		/* packed: short, or a head and digits */
		switch (b % 4) {
		case 0:
			snprintf(out, 64, "HS-2024-%06u", c << 8 | d);
			break;
		case 1:
			snprintf(out, 64, "%u-%u", c, d);
			break;
		case 2:
			snprintf(out, 64, "Ab%02u", c % 100);
			break;
		default:
			snprintf(out, 64, "X1-%u", c);
			break;
		}
		break;
	default:	/* hashed: other characters, or too long to pack */
		switch (b % 4) {
		case 0:
			snprintf(out, 64, "案%u", c);
			break;
		case 1:
			snprintf(out, 64, "x.%u", c);
			break;
		case 2:
			snprintf(out, 64, "%019u", c);
			break;
		default:
			snprintf(out, 64, "LONG-SOURCE-ID-%u-%u", c, d);
			break;
		}
		break;
	}
	if (g->nsid < MAX_SIDS)
		strcpy(g->sid[g->nsid++], out);
}

/* --- the model ----------------------------------------------------------- */

struct mcase {
	char id[48];
	const char *idno, *name, *employer;	/* NULL: none */
};

#define SEEN_SLOTS 4096		/* > 2 * MAX_SIDS, a power of two */

struct model {
	char seen[2 * MAX_SIDS][64];	/* source ids known */
	int nseen;
	short slot[SEEN_SLOTS];		/* 1 + index into seen, 0: empty */
	struct mcase open[MAX_CASES];	/* open cases, oldest first */
	int nopen;
	long seq[2];			/* highest sequence of 2023, 2024 */
};

/* The slot of sid in the model's set of known ones: where it is, or the
 * empty one where it would go (a plain hash set: the fuzzer's own string
 * compares are slow, and a row asks it every time). */
static int seen_slot(const struct model *m, const char *sid)
{
	unsigned h = 2166136261u;
	const char *c;

	for (c = sid; *c != '\0'; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	for (h %= SEEN_SLOTS; m->slot[h] != 0; h = (h + 1) % SEEN_SLOTS)
		if (strcmp(m->seen[m->slot[h] - 1], sid) == 0)
			break;
	return (int)h;
}

static int model_knows(const struct model *m, const char *sid)
{
	return m->slot[seen_slot(m, sid)] != 0;
}

static void model_see(struct model *m, const char *sid)
{
	int h;

	if (*sid == '\0' || m->slot[h = seen_slot(m, sid)] != 0)
		return;
	if (m->nseen == 2 * MAX_SIDS)
		abort();
	strcpy(m->seen[m->nseen++], sid);
	m->slot[h] = (short)m->nseen;
}

/* Claimants and employers come from the pools, whose texts all differ:
 * the same text is the same pointer. */
static int same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static int same_key(const char *a, const char *b)
{
	return a != NULL && a == b;
}

/* The id the hint of a new case names, or NULL. */
static const char *model_hint(const struct model *m, const char *idno,
    const char *name, const char *employer)
{
	int i;

	for (i = m->nopen - 1; i >= 0; i--)
		if (same_key(idno, m->open[i].idno))
			return m->open[i].id;
	for (i = m->nopen - 1; i >= 0; i--)
		if (same_key(name, m->open[i].name) &&
		    same_key(employer, m->open[i].employer))
			return m->open[i].id;
	return NULL;
}

static void model_open(struct model *m, const char *id, const char *idno,
    const char *name, const char *employer)
{
	struct mcase *c;

	if (m->nopen == MAX_CASES)
		abort();
	c = &m->open[m->nopen++];
	snprintf(c->id, sizeof c->id, "%s", id);
	c->idno = idno;
	c->name = name;
	c->employer = employer;
}

/* --- text ---------------------------------------------------------------- */

struct text {
	char *p;
	size_t len;
};

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->p + t->len, TEXT_MAX - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= TEXT_MAX - t->len)
		abort();
	t->len += (size_t)n;
}

/* "," and the field as a JSON member, unless v is NULL. */
static void json_member(struct text *t, const char *k, const char *v)
{
	if (v != NULL)
		text_add(t, ",\"%s\":\"%s\"", k, v);
}

/* --- the store ----------------------------------------------------------- */

/*
 * One store record, and what the model learns from it: its source id is
 * known; its id, when of the form PREFIX-YYYY-N, raises the year's
 * sequence; and a case with an id and a status other than closed is
 * open (one without a status is not: it is no case case-add wrote).
 */
static void gen_store_record(struct gen *g, struct model *m,
    struct recipe *r, struct text *t)
{
	static const char *const statuses[] = { "new", "routed", "mediating",
		"closed", "closed", NULL };
	char id[48], sid[64];
	const char *status, *idno = NULL, *name = NULL, *employer = NULL;
	unsigned form = take(r) % 7, b = take(r), has = take(r);
	int year = 2023 + (int)(b & 1);
	long seq = -1;

	switch (form) {
	case 0:		/* as case-add writes them */
	case 1:
		seq = 1 + (long)(b % 200);
		snprintf(id, sizeof id, "CASE-%d-%06ld", year, seq);
		break;
	case 2:		/* a leading zero too many */
		seq = 40 + (long)(b % 20);
		snprintf(id, sizeof id, "CASE-%d-%07ld", year, seq);
		break;
	case 3:		/* around 2^22, where packing case ids stops */
		seq = 4194300 + (long)(b % 8);
		snprintf(id, sizeof id, "CASE-%d-%ld", year, seq);
		break;
	case 4:		/* near a seventh digit */
		seq = 999990 + (long)(b % 20);
		snprintf(id, sizeof id, "CASE-%d-%06ld", year, seq);
		break;
	case 5:		/* another system's */
		snprintf(id, sizeof id, "HS-2023-%06u", b);
		break;
	default:
		snprintf(id, sizeof id, "案件-%u", b);
		break;
	}
	gen_sid(g, r, sid);
	status = statuses[take(r) % 6];
	if (has & 1)
		idno = has & 2 ? odd_idnos[take(r) % 3] : idnos[take(r) % 12];
	if (has & 4)
		name = names[take(r) % 4];
	if (has & 8)
		employer = employers[take(r) % 3];

	text_add(t, "{\"type\":\"wage-arrears\"");
	if (!(has & 16))
		json_member(t, "id", id);
	json_member(t, "source_id", *sid ? sid : NULL);
	json_member(t, "status", status);
	if (idno != NULL || name != NULL) {
		text_add(t, ",\"claimant\":{\"role\":\"worker\"");
		json_member(t, "name", name);
		json_member(t, "id_no", idno);
		text_add(t, "}");
	}
	if (employer != NULL)
		text_add(t, ",\"employer\":{\"name\":\"%s\"}", employer);
	text_add(t, "}\n");

	model_see(m, sid);
	if (has & 16)
		return;
	if (seq > m->seq[year - 2023])
		m->seq[year - 2023] = seq;
	if (status != NULL && strcmp(status, "closed") != 0)
		model_open(m, id, idno, name, employer);
}

/* --- the rows ------------------------------------------------------------ */

struct row {
	char sid[64];
	const char *idno, *name, *employer;
	int year, month, day;
};

static const char csv_header[] =
    "source_id,name,id_no,employer,type,received_at,workers\n";

/* A row as a CSV line: the source id may be padded with blanks that the
 * reader trims, an id number's X written x, which the check upcases. */
static void put_row(struct text *csv, const struct row *w, unsigned pad,
    int lower_x)
{
	const char *idno = w->idno;
	int k;

	for (k = 0; lower_x && idno != NULL && k < 12; k++)
		if (idno == idnos[k])
			idno = idnos_lower[k];
	text_add(csv, "%s%s%s,%s,%s,%s,欠薪,%d-%02d-%02d,%s\n",
	    pad % 4 == 1 ? " " : "", w->sid, pad % 4 == 2 ? "\xe3\x80\x80" : "",
	    w->name ? w->name : "", idno ? idno : "", w->employer, w->year,
	    w->month, w->day, w->name ? "" : "2");
}

/* One intake row as the recipe says. */
static void gen_row(struct gen *g, struct recipe *r, struct row *w,
    struct text *csv)
{
	unsigned pad = take(r), who = take(r), when = take(r);
	unsigned k = take(r) % 16;

	gen_sid(g, r, w->sid);
	w->name = who % 5 < 4 ? names[who % 5] : NULL;
	w->employer = employers[(who / 5) % 3];
	w->idno = k < 12 ? idnos[k] : NULL;
	w->year = 2023 + (int)(when & 1);
	w->month = 1 + (int)((when >> 1) % 4);
	w->day = 1 + (int)((when >> 3) % 28);
	put_row(csv, w, pad, who & 128);
}

/*
 * A burst of rows, each the first of a family of its own: enough of
 * them in one recipe to pass the number of families the bitmaps keep,
 * after which every further family's ids are kept in the other tables.
 */
static int gen_burst(struct gen *g, struct recipe *r, struct row *rows,
    int room, struct text *csv)
{
	int i, n = 16 * (1 + (int)(take(r) % 8));
	unsigned c;
	struct row *w;

	for (i = 0; i < n && i < room; i++) {
		w = &rows[i];
		c = (unsigned)g->nburst++;
		snprintf(w->sid, sizeof w->sid, "%c%c%c%0*u",
		    head_chars[c % 54], head_chars[c / 54 % 54],
		    head_chars[c / 2916 % 54], 1 + (int)(c % 9), c % 7);
		w->name = names[c % 4];
		w->employer = employers[c % 3];
		w->idno = NULL;
		w->year = 2024;
		w->month = 1;
		w->day = 1 + (int)(c % 28);
		put_row(csv, w, 0, 0);
		if (g->nsid < MAX_SIDS)
			strcpy(g->sid[g->nsid++], w->sid);
	}
	return i;
}

/* What the model says of a row: NULL when it is known, else the new
 * case's id into id and its hint (or NULL) into *hint. */
static int model_row(struct model *m, const struct row *w, char *id,
    const char **hint)
{
	if (*w->sid != '\0' && model_knows(m, w->sid))
		return 0;
	model_see(m, w->sid);
	snprintf(id, 48, "CASE-%d-%06ld", w->year, ++m->seq[w->year - 2023]);
	*hint = model_hint(m, w->idno, w->name, w->employer);
	model_open(m, id, w->idno, w->name, w->employer);
	return 1;
}

/* --- the store file, plain or gzip --------------------------------------- */

static void store_put(const char *p, size_t n)
{
	gzFile z;

	if (cli.store != gz_path) {
		scratch_put(cli.store, p, n);
		return;
	}
	if ((z = gzopen(gz_path, "wb")) == NULL ||
	    (n > 0 && gzwrite(z, p, (unsigned)n) != (int)n) ||
	    gzclose(z) != Z_OK)
		abort();
}

/* The store's text, malloc'd, its length in *n. */
static char *store_get(size_t *n)
{
	char *p = NULL;
	size_t cap = 0;
	gzFile z;
	int got;

	if (cli.store != gz_path)
		return scratch_get(cli.store, n);
	if ((z = gzopen(gz_path, "rb")) == NULL)
		abort();
	*n = 0;
	do {
		if (cap - *n < 65536 &&
		    (p = realloc(p, cap = cap * 2 + 65536)) == NULL)
			abort();
		got = gzread(z, p + *n, 65536);
		if (got < 0)
			fail("the gzip store does not read back");
		*n += (size_t)got;
	} while (got > 0);
	if (gzclose(z) != Z_OK)
		fail("the gzip store does not read back");
	return p;
}

/* --- one run ------------------------------------------------------------- */

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Does the new case on line s[0, n) say what the model says? */
static int case_is(const char *s, size_t n, const char *id, const char *sid,
    const char *hint)
{
	json_error_t je;
	json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
	const char *dup;
	int ok;

	if (o == NULL)
		return 0;
	dup = str_of(o, "possible_duplicate_of");
	ok = same(str_of(o, "id"), id) && same(str_of(o, "status"), "new") &&
	    (*sid == '\0' ? json_object_get(o, "source_id") == NULL :
	    same(str_of(o, "source_id"), sid)) &&
	    (hint == NULL ? dup == NULL : same(dup, hint));
	json_decref(o);
	return ok;
}

static const char *next_line(const char *s, const char *end, size_t *n)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	if (nl == NULL)
		abort();	/* every line is ended */
	*n = (size_t)(nl - s);
	return nl + 1;
}

/*
 * Append the rows to the store and hold the result to the model: the
 * store as it was (before: its text, whose records must come back equal;
 * its copy must be the very bytes when case-add wrote it), then a new
 * case for each row the model does not know.
 */
static void run(struct model *m, const struct row *rows, int nrows,
    const char *before, size_t nbefore, int copy_exact)
{
	struct intake_opts o;
	struct intake_stats st;
	struct err e;
	char *files[1] = { scratch[1] }, *out, id[48];
	const char *s, *end, *b, *bend, *hint;
	json_t *want, *got;
	json_error_t je;
	long long added = 0, flagged = 0;
	size_t n, nb, len;
	int i;

	memset(&o, 0, sizeof o);
	memset(&st, 0, sizeof st);
	o.cli = &cli;
	o.prefix = "CASE";
	o.say = say_why;
	if (intake_run(&o, files, 1, &st, &e) < 0)
		fail("case-add failed: %s", e.msg);
	out = store_get(&len);
	if (copy_exact && (len < nbefore || memcmp(out, before, nbefore) != 0))
		fail("the store was not copied byte for byte");
	s = out;
	end = out + len;
	for (b = before, bend = before + nbefore; b < bend; ) {
		b = next_line(b, bend, &nb);
		if (s == end)
			fail("a store record lost");
		s = next_line(s, end, &n);
		want = json_loadb(b - nb - 1, nb, 0, &je);
		got = json_loadb(s - n - 1, n, 0, &je);
		if (want == NULL || !json_equal(want, got))
			fail("a store record changed: %.*s", (int)n, s - n - 1);
		json_decref(want);
		json_decref(got);
	}
	for (i = 0; i < nrows; i++) {
		if (!model_row(m, &rows[i], id, &hint))
			continue;
		added++;
		flagged += hint != NULL;
		if (s == end)
			fail("row %d (%s) taken as known", i + 1, rows[i].sid);
		s = next_line(s, end, &n);
		if (!case_is(s - n - 1, n, id, rows[i].sid, hint))
			fail("row %d: want id %s, source_id %s, hint %s; got %.*s",
			    i + 1, id, rows[i].sid, hint ? hint : "none",
			    (int)n, s - n - 1);
	}
	if (s != end) {
		next_line(s, end, &n);
		fail("more cases than rows the model does not know: %.*s",
		    (int)n, s);
	}
	if (st.rows != nrows || st.rejected != 0 || st.added != added ||
	    st.known != nrows - added || st.flagged != flagged)
		fail("counted %lld rows: %lld added, %lld rejected, %lld known, "
		    "%lld flagged; the model: %d, %lld, 0, %lld, %lld", st.rows,
		    st.added, st.rejected, st.known, st.flagged, nrows, added,
		    nrows - added, flagged);
	free(out);
}

/* --- the target ---------------------------------------------------------- */

static void remove_lock(void)
{
	unlink(gz_path);
	unlink(lock_path[0]);
	unlink(lock_path[1]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e;

	(void)argc;
	(void)argv;
	make_idnos();
	scratch_make("fuzz-append", 2);
	snprintf(gz_path, sizeof gz_path, "%s.gz", scratch[0]);
	snprintf(lock_path[0], sizeof lock_path[0], "%s.lock", scratch[0]);
	snprintf(lock_path[1], sizeof lock_path[1], "%s.lock", gz_path);
	snprintf(where[0], sizeof where[0], "store %s, rows %s", scratch[0],
	    scratch[1]);
	snprintf(where[1], sizeof where[1], "store %s, rows %s", gz_path,
	    scratch[1]);
	fail_target = "fuzz_append";
	atexit(remove_lock);
	scratch_cli(&cli, "case-add");
	cli.in.format = FMT_CSV;
	if (cli_finish(&cli, &e) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gen g;
	static struct model m;
	static struct row rows[MAX_ROWS];
	static char store_buf[TEXT_MAX], csv_buf[TEXT_MAX];
	struct recipe r = { data, data + size };
	struct text store = { store_buf, 0 }, csv = { csv_buf, 0 };
	char *first;
	size_t nfirst;
	unsigned first_byte = take(&r);
	int i, nstore = (int)((first_byte & 127) % (MAX_STORE + 1)), nrows = 0;

	cli.store = first_byte & 128 ? gz_path : scratch[0];
	fail_where = where[first_byte >> 7 & 1];
	gen_init(&g);
	memset(&m, 0, sizeof m);
	for (i = 0; i < nstore; i++)
		gen_store_record(&g, &m, &r, &store);
	text_add(&csv, "%s", csv_header);
	while (r.p < r.end && nrows < MAX_ROWS) {
		if (*r.p == 0xff && take(&r))
			nrows += gen_burst(&g, &r, rows + nrows,
			    MAX_ROWS - nrows, &csv);
		else
			gen_row(&g, &r, &rows[nrows++], &csv);
	}
	store_put(store.p, store.len);
	scratch_put(scratch[1], csv.p, csv.len);

	run(&m, rows, nrows, store.p, store.len, 0);
	first = store_get(&nfirst);
	run(&m, rows, nrows, first, nfirst, 1);
	free(first);
	return 0;
}
