/*
 * input.c - the one reader of records.  See input.h.
 *
 * Three layers, each pulling from the one below:
 *   source   read(2) on a file or stdin; gzip (by magic bytes) inflated
 *            with zlib directly, so that the sniffed bytes need no
 *            re-reading and a truncated stream is told from a complete one
 *   decoding UTF-8 passes through; GB18030 goes through iconv.  A byte
 *            that does not convert is passed on as it is, so that the
 *            record holding it fails the UTF-8 check and is rejected
 *            alone, naming its line
 *   records  a window of decoded text, cut into JSON lines or fed to
 *            libcsv piece by piece (csvio.h), counting physical lines
 *
 * A bad CSV row (stray or unterminated quote, cell over the limit) is
 * reported and reading resumes at the physical line after the one the
 * row started on: an unterminated quote then costs one row, not the rest
 * of the file.  The window therefore keeps the current row's text.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "buf.h"
#include "csvio.h"
#include "err.h"
#include "format.h"
#include "input.h"
#include "jsonio.h"
#include "mem.h"
#include "record.h"
#include "strmap.h"

/* Read size.  The fuzz targets build with a small one (-DIN_CHUNK=4096,
 * tests/fuzz/run.sh): lines and quoted cells then cross refills often,
 * and a run does not spend its time clearing big buffers. */
#ifndef IN_CHUNK
#define IN_CHUNK	(256u << 10)
#endif
#define CHUNK	((size_t)IN_CHUNK)
#define SNIFF	(64u << 10)	/* bytes looked at to guess the encoding */
#define NONE	((size_t)-1)

struct input {
	char *name;
	int fd, own_fd;
	int format, encoding, typed;
	int bom;		/* the text began with a UTF-8 BOM */
	int nrec;		/* a JSON line was read (not blank) */
	long long done, total;

	/* source: raw bytes from fd; z inflates them when gzip */
	char *raw;
	size_t rpos, rlen;
	int raw_eof;
	int gzip;
	z_stream z;
	int z_live, z_end;	/* inflater set up; at the end of a member */

	/* decoding: bytes waiting for iconv (or the sniffed prefix) */
	iconv_t cd;
	char *pend;
	size_t ppos, plen;
	int direct;		/* UTF-8: the source writes into the window */
	int src_eof;		/* the source has nothing more */

	/* records: the window of decoded text */
	char *w;
	size_t wpos, wlen, wcap;
	int eof;		/* nothing more will come into the window */
	const char *fatal;	/* a source error waiting to be reported */
	unsigned long line;	/* physical line at w[wpos] */
	long long wtotal;	/* decoded bytes put in the window so far:
				   w[i] is at offset wtotal - (wlen - i) */
	int after_cr;		/* the last line end seen was a CR */

	/* CSV */
	struct csvp *csv;
	size_t rowstart;	/* offset of the current row, or NONE */
	unsigned long rowline;
	char **hdr;
	size_t *hdrlen;
	size_t nhdr;
	int *coltype;		/* rec_type of each column, typed mode */
	int oversize;		/* the bad row passed IN_MAX_FIELD or
				   IN_MAX_LINE */
	struct buf cellkey;	/* scratch for a converted cell */
};

/* --- source --- */

static ssize_t read_fd(struct input *in, char *p, size_t n)
{
	ssize_t k;

	do
		k = read(in->fd, p, n);
	while (k < 0 && errno == EINTR);
	if (k > 0)
		in->done += k;
	return k;
}

static int refill_raw(struct input *in, struct err *e)
{
	ssize_t k;

	in->rpos = in->rlen = 0;
	if (in->raw_eof)
		return 0;
	if ((k = read_fd(in, in->raw, CHUNK)) < 0)
		return err_sys(e, "%s", in->name);
	if (k == 0)
		in->raw_eof = 1;
	in->rlen = (size_t)k;
	return 0;
}

/*
 * Inflate into p.  Members of a multi-member gzip follow one another; an
 * input that ends inside a member is truncated.  Returns the bytes made,
 * 0 at the end, -1 with in->fatal set.
 */
static ssize_t inflate_into(struct input *in, char *p, size_t n,
    struct err *e)
{
	int rc;

	in->z.next_out = (unsigned char *)p;
	in->z.avail_out = (unsigned)n;
	while (in->z.avail_out == n) {
		if (in->rpos == in->rlen && refill_raw(in, e) < 0)
			return -1;
		if (in->rpos == in->rlen) {
			if (!in->z_end)
				in->fatal = "truncated gzip input";
			break;
		}
		if (in->z_end) {
			if ((unsigned char)in->raw[in->rpos] != 0x1f) {
				in->fatal = "trailing garbage after gzip data";
				break;
			}
			inflateReset(&in->z);
			in->z_end = 0;
		}
		in->z.next_in = (unsigned char *)in->raw + in->rpos;
		in->z.avail_in = (unsigned)(in->rlen - in->rpos);
		rc = inflate(&in->z, Z_NO_FLUSH);
		in->rpos = in->rlen - in->z.avail_in;
		if (rc == Z_STREAM_END)
			in->z_end = 1;
		else if (rc == Z_MEM_ERROR)
			return err_nomem(e);
		else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			in->fatal = "corrupt gzip input";
			break;
		}
	}
	if (in->fatal != NULL && in->z.avail_out == n)
		return -1;
	return (ssize_t)(n - in->z.avail_out);
}


/* Decompressed bytes into p: >0, 0 at the end, -1 (e, or in->fatal). */
static ssize_t source(struct input *in, char *p, size_t n, struct err *e)
{
	ssize_t k;

	if (in->fatal != NULL)
		return -1;
	if (in->gzip)
		return inflate_into(in, p, n, e);
	if (in->rpos < in->rlen) {	/* bytes read while looking for gzip */
		size_t m = in->rlen - in->rpos < n ? in->rlen - in->rpos : n;

		memcpy(p, in->raw + in->rpos, m);
		in->rpos += m;
		return (ssize_t)m;
	}
	if (in->raw_eof)
		return 0;
	if ((k = read_fd(in, p, n)) < 0)
		return err_sys(e, "%s", in->name);
	if (k == 0)
		in->raw_eof = 1;
	return k;
}

/* --- decoding --- */

/*
 * Offset of the first byte that is NUL or not valid UTF-8, or n.  Eight
 * ASCII bytes at a time while the text is plain.  With partial set, a
 * sequence cut off by the end counts as valid (the sniffed prefix).
 */
static size_t text_bad(const char *s, size_t n, int partial)
{
	const unsigned char *p = (const unsigned char *)s;
	const uint64_t hi = 0x8080808080808080ull, lo = 0x0101010101010101ull;
	size_t i = 0, k, need;
	uint64_t v;
	unsigned c, lo2, hi2;

	while (i < n) {
		if (n - i >= 8) {
			memcpy(&v, p + i, 8);
			if (((v | ((v - lo) & ~v)) & hi) == 0) {
				i += 8;
				continue;
			}
		}
		c = p[i];
		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		/* Chinese text: three-byte sequences led by E1-EC or EE-EF,
		 * whose second byte has the full 80-BF range */
		if (n - i >= 3 && c >= 0xe1 && c != 0xed && c <= 0xef &&
		    (p[i + 1] & 0xc0) == 0x80 && (p[i + 2] & 0xc0) == 0x80) {
			i += 3;
			continue;
		}
		lo2 = 0x80, hi2 = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			lo2 = c == 0xe0 ? 0xa0 : 0x80;
			hi2 = c == 0xed ? 0x9f : 0xbf;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			lo2 = c == 0xf0 ? 0x90 : 0x80;
			hi2 = c == 0xf4 ? 0x8f : 0xbf;
		} else
			return i;
		for (k = 1; k <= need; k++) {
			if (i + k >= n)
				return partial ? n : i;
			c = p[i + k];
			if (k == 1 ? c < lo2 || c > hi2 : c < 0x80 || c > 0xbf)
				return i;
		}
		i += need + 1;
	}
	return n;
}

/* Room for at least want more bytes at the window's end, dropping what
 * lies before the current row (or position). */
static int window_room(struct input *in, size_t want, struct err *e)
{
	size_t keep = in->rowstart != NONE && in->rowstart < in->wpos ?
	    in->rowstart : in->wpos;
	char *w;
	size_t cap;

	if (keep > 0) {
		memmove(in->w, in->w + keep, in->wlen - keep);
		in->wlen -= keep;
		in->wpos -= keep;
		if (in->rowstart != NONE)
			in->rowstart -= keep;
	}
	if (in->wcap - in->wlen >= want)
		return 0;
	cap = in->wcap ? in->wcap : CHUNK;
	while (cap - in->wlen < want)
		cap *= 2;
	if ((w = mem_realloc(in->w, cap)) == NULL)
		return err_nomem(e);
	in->w = w;
	in->wcap = cap;
	return 0;
}

static ssize_t decode_gb18030(struct input *in, char *out, size_t room,
    struct err *e)
{
	char *ip, *op;
	size_t il, ol;
	ssize_t k;

	for (;;) {
		if (in->ppos < in->plen) {
			ip = in->pend + in->ppos;
			il = in->plen - in->ppos;
			op = out;
			ol = room;
			if (iconv(in->cd, &ip, &il, &op, &ol) == (size_t)-1 &&
			    op == out) {
				if (errno == EILSEQ || (errno == EINVAL &&
				    in->src_eof)) {
					/* Passed on as it is: the record
					 * holding it fails the UTF-8 check. */
					*out = *ip;
					in->ppos++;
					return 1;
				}
				if (errno != EINVAL)
					return err_sys(e, "%s: iconv", in->name);
			}
			in->ppos = (size_t)(ip - in->pend);
			if (op > out)
				return op - out;
		}
		if (in->src_eof)
			return 0;
		memmove(in->pend, in->pend + in->ppos, in->plen - in->ppos);
		in->plen -= in->ppos;
		in->ppos = 0;
		if ((k = source(in, in->pend + in->plen, CHUNK, e)) < 0)
			return -1;
		if (k == 0)
			in->src_eof = 1;
		in->plen += (size_t)k;
	}
}

/*
 * More decoded text into the window: the bytes added, 0 at the end, -1
 * on error (e set, or in->fatal waiting to be reported with a line).
 */
static ssize_t fill(struct input *in, struct err *e)
{
	ssize_t k;
	size_t m, want;

	if (in->eof)
		return 0;
	/* room for a read, or for what sniffing the encoding left in pend
	 * (up to SNIFF bytes, more than a small read size) */
	want = CHUNK;
	if (in->direct && in->plen - in->ppos > want)
		want = in->plen - in->ppos;
	if (window_room(in, want, e) < 0)
		return -1;
	if (in->ppos < in->plen && in->direct) {
		m = in->plen - in->ppos;
		memcpy(in->w + in->wlen, in->pend + in->ppos, m);
		in->ppos = in->plen;
		k = (ssize_t)m;
	} else if (in->direct) {
		if ((k = source(in, in->w + in->wlen, in->wcap - in->wlen,
		    e)) == 0)
			in->src_eof = 1;
	} else
		k = decode_gb18030(in, in->w + in->wlen, in->wcap - in->wlen, e);
	if (k < 0 || (k == 0 && in->fatal != NULL))
		return -1;
	if (k == 0)
		in->eof = 1;
	in->wlen += (size_t)k;
	in->wtotal += k;
	return k;
}

/* After fill failed: IN_FATAL with "file:line: why". */
static int fill_failed(struct input *in, struct err *e)
{
	if (in->fatal != NULL)
		err_set(e, "%s:%lu: %s", in->name, in->line, in->fatal);
	return IN_FATAL;
}

/* --- opening --- */

static int read_header(struct input *in, struct err *e);

static voidpf z_alloc(voidpf opaque, uInt n, uInt size)
{
	(void)opaque;
	return mem_calloc(n, size);
}

static void z_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	mem_free(p);
}

/* Read until the first two bytes are known, then set up gunzip if they
 * are gzip's magic. */
static int detect_gzip(struct input *in, struct err *e)
{
	ssize_t k;

	while (in->rlen < 2 && !in->raw_eof) {
		if ((k = read_fd(in, in->raw + in->rlen, CHUNK - in->rlen)) < 0)
			return err_sys(e, "%s", in->name);
		if (k == 0)
			in->raw_eof = 1;
		in->rlen += (size_t)k;
	}
	if (in->rlen < 2 || (unsigned char)in->raw[0] != 0x1f ||
	    (unsigned char)in->raw[1] != 0x8b)
		return 0;
	in->gzip = 1;
	in->z.zalloc = z_alloc;
	in->z.zfree = z_free;
	if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
		return err_nomem(e);
	in->z_live = 1;
	return 0;
}

/* Bytes of s that are not valid UTF-8 (NUL is valid text here), and in
 * *ok the number of valid multi-byte sequences. */
static size_t utf8_errors(const char *s, size_t n, int partial, size_t *ok)
{
	size_t i = 0, j, k, bad = 0;

	*ok = 0;
	while (i < n) {
		k = text_bad(s + i, n - i, partial);
		for (j = i; j < i + k; j++)
			*ok += (unsigned char)s[j] >= 0xc0;
		if (k == n - i)
			break;
		bad += s[i + k] != '\0';
		i += k + 1;
	}
	return bad;
}

/* Bytes of s that break the GB18030 byte structure: one byte 00-7F; two
 * bytes 81-FE 40-7E|80-FE; four bytes 81-FE 30-39 81-FE 30-39. */
static size_t gb18030_errors(const char *s, size_t n, int partial)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, bad = 0;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] == 0x80 || p[i] == 0xff) {
			bad++;
			i++;
			continue;
		}
		if (i + 1 >= n)
			return bad + !partial;
		if ((p[i + 1] >= 0x40 && p[i + 1] <= 0x7e) ||
		    (p[i + 1] >= 0x80 && p[i + 1] <= 0xfe)) {
			i += 2;
			continue;
		}
		if (p[i + 1] >= 0x30 && p[i + 1] <= 0x39) {
			if (i + 3 >= n)
				return bad + !partial;
			if (p[i + 2] >= 0x81 && p[i + 2] <= 0xfe &&
			    p[i + 3] >= 0x30 && p[i + 3] <= 0x39) {
				i += 4;
				continue;
			}
		}
		bad++;
		i++;
	}
	return bad;
}

/*
 * UTF-8 unless the sample is not valid UTF-8 and reads better as
 * GB18030: fewer GB18030 errors than UTF-8 errors, and fewer valid UTF-8
 * characters than invalid bytes.  A UTF-8 file with a few stray bytes
 * (or a NUL) stays UTF-8, so that the rows holding them are rejected
 * alone instead of every other row being decoded into nonsense.
 */
static int guess_encoding(const char *s, size_t n, int partial)
{
	size_t ok, u = utf8_errors(s, n, partial, &ok);

	return u > 0 && ok < u && gb18030_errors(s, n, partial) < u ?
	    ENC_GB18030 : ENC_UTF8;
}

/* The first SNIFF decoded bytes into pend, then the encoding. */
static int sniff_encoding(struct input *in, struct err *e)
{
	ssize_t k;

	while (in->plen < SNIFF && !in->src_eof) {
		k = source(in, in->pend + in->plen, SNIFF - in->plen, e);
		if (k < 0 && in->fatal == NULL)
			return -1;
		if (k <= 0)
			in->src_eof = 1;
		else
			in->plen += (size_t)k;
	}
	if (in->plen >= 2 && (memcmp(in->pend, "\xff\xfe", 2) == 0 ||
	    memcmp(in->pend, "\xfe\xff", 2) == 0))
		return err_set(e, "%s: UTF-16 text (byte order mark %s): not "
		    "read; save it as UTF-8 or GB18030, e.g. iconv -f UTF-16 "
		    "-t UTF-8", in->name, in->pend[0] == '\xff' ? "FF FE" :
		    "FE FF");
	if (in->encoding == ENC_AUTO)
		in->encoding = guess_encoding(in->pend, in->plen,
		    !in->src_eof);
	if (in->encoding == ENC_UTF8) {
		in->direct = 1;
		return 0;
	}
	if ((in->cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		in->cd = NULL;
		return err_sys(e, "%s: iconv_open GB18030", in->name);
	}
	return 0;
}

/* Skip a BOM; choose the format from the first non-space byte. */
static int detect_format(struct input *in, struct err *e)
{
	size_t i;

	while (in->wlen < 3 && !in->eof)
		if (fill(in, e) < 0)
			return fill_failed(in, e);
	if (in->wlen >= 3 && memcmp(in->w, "\xef\xbb\xbf", 3) == 0)
		in->wpos = 3, in->bom = 1;
	if (in->format != FMT_AUTO)
		return 0;
	for (i = in->wpos;; i++) {
		if (i == in->wlen) {
			if (in->eof) {
				in->format = FMT_JSONL;	/* empty: no header */
				return 0;
			}
			if (fill(in, e) < 0)
				return fill_failed(in, e);
			i = in->wpos - 1;	/* window may have moved */
			continue;
		}
		if (!strchr(" \t\r\n", in->w[i]) || in->w[i] == '\0')
			break;
	}
	/* '[': a JSON array, which next_jsonl refuses by name */
	in->format = in->w[i] == '{' || in->w[i] == '[' ? FMT_JSONL : FMT_CSV;
	return 0;
}

/* Whether the name says JSON: .jsonl or .json, perhaps then .gz. */
static int named_json(const char *path)
{
	static const char *const ends[] = { ".jsonl", ".json", ".jsonl.gz",
	    ".json.gz", NULL };
	size_t i, n = strlen(path), k;

	for (i = 0; ends[i] != NULL; i++) {
		k = strlen(ends[i]);
		if (n > k && strcasecmp(path + n - k, ends[i]) == 0)
			return 1;
	}
	return 0;
}

struct input *in_open(const char *path, const struct in_opts *o,
    struct err *e)
{
	struct input *in;
	struct stat st;

	if ((in = mem_calloc(1, sizeof *in)) == NULL) {
		err_nomem(e);
		return NULL;
	}
	in->fd = -1;
	in->rowstart = NONE;
	in->line = 1;
	in->total = -1;
	in->format = o ? o->format : FMT_AUTO;
	in->encoding = o ? o->encoding : ENC_AUTO;
	in->typed = o ? o->typed : 0;
	if (path == NULL || strcmp(path, "-") == 0) {
		in->name = mem_strdup("stdin");
		in->fd = 0;
	} else {
		/* a file named JSON is read as JSON-lines whatever it holds,
		 * so that "[]" or a CSV in it is an error, not a header */
		if (in->format == FMT_AUTO && named_json(path))
			in->format = FMT_JSONL;
		if ((in->name = err_name(path)) == NULL) {
			err_nomem(e);
			goto fail;
		}
		if ((in->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			err_sys(e, "%s", in->name);
			goto fail;
		}
		in->own_fd = 1;
	}
	if (in->name == NULL || (in->raw = mem_alloc(CHUNK)) == NULL ||
	    (in->pend = mem_alloc(SNIFF + CHUNK)) == NULL) {
		err_nomem(e);
		goto fail;
	}
	if (detect_gzip(in, e) < 0 || sniff_encoding(in, e) < 0)
		goto fail;
	if (!in->gzip && fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode))
		in->total = (long long)st.st_size;
	if (detect_format(in, e) < 0)
		goto fail;
	if (in->format == FMT_CSV && ((in->csv = csvp_new(e)) == NULL ||
	    read_header(in, e) == IN_FATAL))
		goto fail;
	return in;
fail:
	in_close(in);
	return NULL;
}

void in_close(struct input *in)
{
	size_t i;

	if (in == NULL)
		return;
	if (in->own_fd)
		close(in->fd);
	if (in->z_live)
		inflateEnd(&in->z);
	if (in->cd != NULL)
		iconv_close(in->cd);
	csvp_free(in->csv);
	for (i = 0; i < in->nhdr; i++)
		mem_free(in->hdr[i]);
	mem_free(in->hdr);
	mem_free(in->hdrlen);
	mem_free(in->coltype);
	buf_free(&in->cellkey);
	mem_free(in->raw);
	mem_free(in->pend);
	mem_free(in->w);
	mem_free(in->name);
	mem_free(in);
}

/* --- JSON lines --- */

static int blank(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r')) {
		s++;
		n--;
	}
	return n == 0;
}

/* A line without its end in IN_MAX_LINE bytes: drop it up to the next
 * newline and report it. */
static int skip_long_line(struct input *in, struct rec *r, struct err *e)
{
	char *lf;

	r->line = in->line;
	for (;;) {
		lf = memchr(in->w + in->wpos, '\n', in->wlen - in->wpos);
		if (lf != NULL) {
			in->wpos = (size_t)(lf - in->w) + 1;
			break;
		}
		in->wpos = in->wlen;
		if (in->eof)
			break;
		if (fill(in, e) < 0)
			return fill_failed(in, e);
	}
	in->line++;
	err_set(e, "%s:%lu: line longer than %u MiB", in->name, r->line,
	    IN_MAX_LINE >> 20);
	return IN_BAD;
}

/* The column a user sees: characters, not bytes, before s[at] (the text
 * before the bad byte is valid UTF-8, so every byte that is not a
 * continuation byte starts a character). */
static size_t char_column(const char *s, size_t at)
{
	size_t i, col = 1;

	for (i = 0; i < at; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static int bad_text(struct input *in, const char *s, size_t at,
    struct err *e)
{
	size_t col = char_column(s, at);

	if (s[at] == '\0')
		return err_set(e, "NUL byte at column %zu", col);
	if (in->encoding == ENC_GB18030)
		return err_set(e, "invalid GB18030 byte at column %zu", col);
	return err_set(e, "invalid UTF-8 at column %zu", col);
}

/*
 * Whether the first line of JSON-lines opens a JSON array ("[]", or "["
 * of one printed over lines), e then saying so: the whole input is one
 * value, not a record per line, and taken line by line it would be all
 * rejects or, as "[]", quietly nothing.
 */
static int json_array(const struct input *in, const char *s, size_t n,
    unsigned long line, struct err *e)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0 || *s != '[')
		return 0;
	err_set(e, "%s:%lu: a JSON array, not JSON-lines (one object per "
	    "line; jq -c '.[]' writes its elements so)", in->name, line);
	return 1;
}

static int next_jsonl(struct input *in, struct rec *r, struct err *e)
{
	char *s, *lf;
	size_t avail, n, bad;

	for (;;) {
		s = in->w + in->wpos;
		avail = in->wlen - in->wpos;
		lf = memchr(s, '\n', avail);
		if (lf == NULL && !in->eof) {
			if (avail > IN_MAX_LINE)
				return skip_long_line(in, r, e);
			if (fill(in, e) < 0)
				return fill_failed(in, e);
			continue;
		}
		if (lf == NULL && avail == 0)
			return IN_EOF;
		n = lf != NULL ? (size_t)(lf - s) : avail;
		if (n > IN_MAX_LINE)
			return skip_long_line(in, r, e);
		r->line = in->line++;
		in->wpos += n + (lf != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (!blank(s, n))
			break;
	}
	if (!in->nrec && json_array(in, s, n, r->line, e))
		return IN_FATAL;
	in->nrec = 1;
	r->rawfmt = FMT_JSONL;
	if (buf_add(&r->raw, s, n) < 0)
		return err_nomem(e), IN_FATAL;
	if (in->encoding == ENC_GB18030 &&
	    (bad = text_bad(s, n, 0)) < n) {
		bad_text(in, s, bad, e);
		goto bad;
	}
	if (jsonio_scan(s, n, r, e) < 0) {
		if (e != NULL && e->sys == ENOMEM)
			return IN_FATAL;
		goto bad;
	}
	r->dirty = 0;
	return IN_REC;
bad:
	err_prefix(e, "%s:%lu", in->name, r->line);
	r->dirty = 0;
	return IN_BAD;
}

/* --- CSV --- */

enum { ROW_EOF, ROW_OK, ROW_ERR };

/* Physical lines of CSV end in LF, CRLF or a lone CR (old spreadsheet
 * exports): count one line per end. */
static void count_eol(struct input *in, char c)
{
	if (c == '\r' || (c == '\n' && !in->after_cr))
		in->line++;
	in->after_cr = c == '\r';
}

/* The first CR or LF in s[0, n), or NULL. */
static const char *find_eol(const char *s, size_t n)
{
	const char *lf = memchr(s, '\n', n);
	const char *cr = memchr(s, '\r', lf != NULL ? (size_t)(lf - s) : n);

	return cr != NULL ? cr : lf;
}

/*
 * Feed libcsv up to the end of the next row, one piece per CR or LF.
 * ROW_OK leaves the row's text at w[rowstart, wpos); ROW_ERR has e set;
 * IN_FATAL when the source failed.
 */
static int csv_row(struct input *in, struct err *e)
{
	char *s, *lf, *cr;
	size_t avail, n;
	int rc;

	for (;;) {
		s = in->w + in->wpos;
		avail = in->wlen - in->wpos;
		lf = memchr(s, '\n', avail);
		if (lf == NULL && !in->eof && avail < CHUNK) {
			if (fill(in, e) < 0)
				return fill_failed(in, e);
			continue;
		}
		if (avail == 0) {
			if (in->rowstart == NONE)
				return ROW_EOF;
			rc = csvp_finish(in->csv, e);
			if (rc < 0) {
				in->oversize = csvp_too_big(in->csv);
				return ROW_ERR;
			}
			return rc ? ROW_OK : ROW_EOF;
		}
		n = lf != NULL ? (size_t)(lf - s) + 1 : avail;
		if ((cr = memchr(s, '\r', n)) != NULL)
			n = (size_t)(cr - s) + 1;
		if (in->rowstart == NONE) {
			if (n == 1 && (*s == '\n' || *s == '\r')) {
				in->wpos++;
				count_eol(in, *s);
				continue;
			}
			in->rowstart = in->wpos;
			in->rowline = in->line;
		}
		rc = csvp_feed(in->csv, s, n, e);
		in->wpos += n;
		count_eol(in, s[n - 1]);
		if (rc < 0) {
			in->oversize = csvp_too_big(in->csv);
			return ROW_ERR;
		}
		if (rc == 1)
			return ROW_OK;
		if (in->wpos - in->rowstart > IN_MAX_LINE) {
			err_set(e, "record longer than %u MiB", IN_MAX_LINE >> 20);
			in->oversize = 1;
			return ROW_ERR;
		}
	}
}

/* The row's text without its line end. */
static size_t row_len(const struct input *in)
{
	size_t n = in->wpos - in->rowstart;
	const char *s = in->w + in->rowstart;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n;
}

/*
 * After a bad row: forget the parser and go on at the physical line after
 * the one the row started on (the row may have swallowed good lines with
 * an unbalanced quote).  Returns 0 or IN_FATAL.
 */
static int csv_resume(struct input *in, struct err *e)
{
	const char *lf;
	size_t from = in->rowstart;

	in->wpos = from;
	in->rowstart = NONE;
	for (;;) {
		lf = find_eol(in->w + in->wpos, in->wlen - in->wpos);
		if (lf != NULL) {
			in->wpos = (size_t)(lf - in->w) + 1;
			in->after_cr = *lf == '\r';
			break;
		}
		in->wpos = in->wlen;
		if (in->eof)
			break;
		if (fill(in, e) < 0)
			return fill_failed(in, e);
	}
	in->line = in->rowline + 1;
	return csvp_reset(in->csv, e) < 0 ? IN_FATAL : 0;
}

/*
 * Read again from decoded offset off: possible for a plain UTF-8 file,
 * where decoded offsets are file offsets.  0, or -1 when the input
 * cannot be read again (stdin, gzip, GB18030).
 */
static int reread_from(struct input *in, long long off)
{
	if (!in->own_fd || in->gzip || !in->direct || off < 0 ||
	    lseek(in->fd, (off_t)off, SEEK_SET) != (off_t)off)
		return -1;
	in->rpos = in->rlen = 0;
	in->raw_eof = 0;
	in->ppos = in->plen = 0;
	in->src_eof = 0;
	in->wpos = in->wlen = 0;
	in->eof = 0;
	in->wtotal = off;
	in->done = off;
	return 0;
}

/* "name (column N)", or "column N" past the header, into buf. */
static const char *column_label(const struct input *in, size_t i,
    char *buf, size_t size)
{
	if (i < in->nhdr)
		snprintf(buf, size, "%.200s (column %zu)", in->hdr[i], i + 1);
	else
		snprintf(buf, size, "column %zu", i + 1);
	return buf;
}

/*
 * After a row went over a limit: skip to where the record really ends.
 * csv_resume's "go on at the next line" is right for a broken quote, but
 * a quoted cell that is merely huge and spans lines would then be read
 * from its middle, every line of it a ragged row.  So the record is
 * walked again from its start with RFC 4180's rules -- a quote opens a
 * cell only at its start, "" inside is a quote, the row ends at a line
 * end outside quotes -- without keeping it: it may be any size.  A stray
 * quote elsewhere is taken as text, as csvp_literal does.  With a record
 * that ends on its first line nothing changes; else e says which column
 * and which lines, and reading goes on after them.  A quote still open
 * at the end of the input was never a cell, but a broken quote that
 * swallowed the rows after it: a plain file is read again from the line
 * after the row's first, as csv_resume would; from stdin, gzip or
 * GB18030 the lines are gone, and the message names them.
 */
static int csv_skip(struct input *in, struct err *e)
{
	enum { START, PLAIN, QUOTED, CLOSED } st = START;
	size_t cell = 0, size = 0, big = NONE, from = in->rowstart;
	unsigned long first = in->rowline;
	long long second = -1;		/* offset of the row's second line */
	int end = 0, second_cr = 0;
	char c = 0, col[300];

	in->wpos = from;
	in->rowstart = NONE;
	in->line = first;
	in->after_cr = 0;
	while (!end) {
		if (in->wpos == in->wlen) {
			if (in->eof)
				break;
			if (fill(in, e) < 0)
				return fill_failed(in, e);
			continue;
		}
		c = in->w[in->wpos++];
		if (c == '\r' || c == '\n') {
			count_eol(in, c);
			if (second < 0) {
				second = in->wtotal - (long long)(in->wlen - in->wpos);
				second_cr = c == '\r';
			}
			if (st != QUOTED) {
				end = 1;
				break;
			}
		}
		switch (st) {
		case START:
			if (c == '"')
				st = QUOTED;
			else if (c == ',')
				cell++;
			else {
				st = PLAIN;
				size = 1;
			}
			continue;
		case QUOTED:
			if (c == '"')
				st = CLOSED;
			else
				size++;
			break;
		case CLOSED:
			if (c == ',') {
				st = START;
				cell++;
				size = 0;
				continue;
			}
			st = c == '"' ? QUOTED : PLAIN;	/* "" or stray text */
			size++;
			break;
		case PLAIN:
			if (c == ',') {
				st = START;
				cell++;
				size = 0;
				continue;
			}
			size++;
			break;
		}
		if (size > IN_MAX_FIELD && big == NONE)
			big = cell;
	}
	if (csvp_reset(in->csv, e) < 0)
		return IN_FATAL;
	/* the line count now stands after the record's last line end */
	if (end && in->line == first + 1) {
		if (big != NONE)	/* one line: e lacks the column */
			err_set(e, "%s:%lu: %s: field longer than %u MiB",
			    in->name, first, column_label(in, big, col,
			    sizeof col), IN_MAX_FIELD >> 20);
		return 0;
	}
	if (big == NONE && end)
		return err_set(e, "%s:%lu: record longer than %u MiB (lines "
		    "%lu-%lu, skipped)", in->name, first, IN_MAX_LINE >> 20,
		    first, in->line - 1), 0;
	if (big == NONE)
		big = cell;
	column_label(in, big, col, sizeof col);
	if (!end && second >= 0 && reread_from(in, second) == 0) {
		in->line = first + 1;
		in->after_cr = second_cr;
		return err_set(e, "%s:%lu: %s: quoted field never closed "
		    "(read on at line %lu)", in->name, first, col, first + 1), 0;
	}
	if (!end)
		return err_set(e, "%s:%lu: %s: quoted field longer than "
		    "%u MiB and never closed (lines %lu-%lu, the rest of the "
		    "input, skipped)", in->name, first, col,
		    IN_MAX_FIELD >> 20, first, in->line - (c == '\n' || c == '\r')), 0;
	return err_set(e, "%s:%lu: %s: field longer than %u MiB (a "
	    "quoted field over lines %lu-%lu; the record is skipped)",
	    in->name, first, col, IN_MAX_FIELD >> 20, first,
	    in->line - 1), 0;
}

static int add_cell(struct rec *r, const char *k, int type, const char *v,
    size_t n, struct err *e)
{
	return rec_add(r, k, strlen(k), type, v, n, e);
}

/* Every cell read as a string under its header name ("" past the end). */
static int put_untyped(struct input *in, struct rec *r, struct err *e)
{
	size_t i, n, len;
	const char *v;

	n = csvp_ncells(in->csv);
	for (i = 0; i < n; i++) {
		v = csvp_cell(in->csv, i, &len);
		if (rec_add(r, i < in->nhdr ? in->hdr[i] : "", i < in->nhdr ?
		    in->hdrlen[i] : 0, REC_STR, v, len, e) < 0)
			return -1;
	}
	return 0;
}

static int is_number(const char *v, size_t n)
{
	struct err e;

	return n > 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) &&
	    v[n - 1] >= '0' && v[n - 1] <= '9' && jsonio_check(v, n, &e) == 0;
}

/* Typed: empty cells left out, canonical columns given their type. */
static int put_typed(struct input *in, struct rec *r, struct err *e)
{
	size_t i, len;
	const char *v;
	struct err je;

	for (i = 0; i < in->nhdr; i++) {
		v = csvp_cell(in->csv, i, &len);
		if (len == 0)
			continue;
		if (in->coltype[i] == REC_NUM && !is_number(v, len))
			return err_set(e, "%s: \"%.40s\" is not a number",
			    in->hdr[i], v), IN_BAD;
		if (in->coltype[i] == REC_RAW && jsonio_check(v, len, &je) < 0)
			return err_set(e, "%s: not valid JSON: %s", in->hdr[i],
			    je.msg), IN_BAD;
		if (add_cell(r, in->hdr[i], in->coltype[i], v, len, e) < 0)
			return IN_FATAL;
	}
	return IN_REC;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
}

/* The header's names, trimmed, into in->hdr; a name given twice is an
 * error (a hash set, so that a wide header costs linear time). */
static int header_names(struct input *in, struct err *e)
{
	struct strmap seen = STRMAP_INIT;
	size_t i, n = csvp_ncells(in->csv), len;
	int k, created, rc = IN_REC;

	if ((in->hdr = mem_calloc(n, sizeof *in->hdr)) == NULL ||
	    (in->hdrlen = mem_calloc(n, sizeof *in->hdrlen)) == NULL ||
	    (in->coltype = mem_calloc(n, sizeof *in->coltype)) == NULL)
		return err_nomem(e), IN_FATAL;
	for (i = 0; i < n && rc == IN_REC; i++) {
		const char *v = csvp_cell(in->csv, i, &len);

		if ((in->hdr[i] = mem_strndup(v, len)) == NULL)
			break;
		in->nhdr++;
		trim(in->hdr[i]);
		in->hdrlen[i] = strlen(in->hdr[i]);
		if (strmap_slot(&seen, in->hdr[i], in->hdrlen[i], &created) ==
		    NULL)
			break;
		if (!created)
			rc = err_set(e, "%s:%lu: duplicate column %s", in->name,
			    in->rowline, in->hdr[i]);
		k = rec_canonical_index(in->hdr[i]);
		in->coltype[i] = k < 0 ? REC_STR : rec_canonical[k].type;
	}
	if (i < n && rc == IN_REC)
		rc = err_nomem(e);
	strmap_free(&seen);
	return rc;
}

static int read_header(struct input *in, struct err *e)
{
	size_t len;
	int rc;

	rc = csv_row(in, e);
	if (rc == IN_FATAL || rc == ROW_EOF)
		return rc == IN_FATAL ? IN_FATAL : IN_EOF;
	if (rc == ROW_ERR)
		return err_prefix(e, "%s:%lu: header", in->name, in->rowline),
		    IN_FATAL;
	if ((len = text_bad(in->w + in->rowstart, row_len(in), 0)) <
	    row_len(in)) {
		bad_text(in, in->w + in->rowstart, len, e);
		return err_prefix(e, "%s:%lu: header", in->name, in->rowline),
		    IN_FATAL;
	}
	if (csvp_ncells(in->csv) > IN_MAX_COLUMNS)
		return err_set(e, "%s:%lu: header of %zu columns: more than "
		    "%u is not a table of cases", in->name, in->rowline,
		    csvp_ncells(in->csv), IN_MAX_COLUMNS), IN_FATAL;
	if ((rc = header_names(in, e)) != IN_REC)
		return rc;
	in->rowstart = NONE;
	csvp_clear(in->csv);
	return IN_REC;
}

static int next_csv(struct input *in, struct rec *r, struct err *e)
{
	size_t n, bad, cells;
	const char *row;
	int rc;

	rc = csv_row(in, e);
	if (rc == IN_FATAL)
		return IN_FATAL;
	if (rc == ROW_EOF)
		return IN_EOF;
	r->line = in->rowline;
	r->rawfmt = FMT_CSV;
	if (rc == ROW_ERR) {
		const char *s = in->w + in->rowstart;
		const char *lf = find_eol(s, in->wlen - in->rowstart);
		size_t line_end = lf != NULL ? (size_t)(lf - s) + 1 : in->wlen - in->rowstart;

		n = lf != NULL ? (size_t)(lf - s) : in->wlen - in->rowstart;
		if (lf != NULL && *lf == '\r' && line_end < in->wlen - in->rowstart &&
		    s[line_end] == '\n')
			line_end++;
		/* 37°36'37.8"N: a bare quote on the row's first line is text */
		if (csvp_bare_quote(in->csv) && in->wpos - in->rowstart <= line_end &&
		    csvp_literal(in->csv, s, n, e) == 0) {
			in->wpos = in->rowstart + line_end;
			in->line = in->rowline + 1;
			in->after_cr = s[line_end - 1] == '\r';
			goto row_read;
		}
		err_prefix(e, "%s:%lu", in->name, in->rowline);
		if (buf_add(&r->raw, s, n) < 0 || put_untyped(in, r, e) < 0)
			return err_nomem(e), IN_FATAL;
		if (in->oversize) {
			in->oversize = 0;
			if (csv_skip(in, e) < 0)
				return IN_FATAL;
		} else if (csv_resume(in, e) < 0)
			return IN_FATAL;
		r->dirty = 0;
		return IN_BAD;
	}
row_read:
	n = row_len(in);
	row = in->w + in->rowstart;
	in->rowstart = NONE;
	cells = csvp_ncells(in->csv);
	if ((bad = text_bad(row, n, 0)) < n) {
		bad_text(in, row, bad, e);
		rc = put_untyped(in, r, e) < 0 ? IN_FATAL : IN_BAD;
	} else if (cells != in->nhdr) {
		err_set(e, "%zu fields, header has %zu", cells, in->nhdr);
		rc = put_untyped(in, r, e) < 0 ? IN_FATAL : IN_BAD;
	} else if (!in->typed)
		rc = put_untyped(in, r, e) < 0 ? IN_FATAL : IN_REC;
	else if ((rc = put_typed(in, r, e)) == IN_BAD) {
		/* r holds the cells as read, not half of them typed */
		rec_clear(r);
		r->line = in->rowline;
		r->rawfmt = FMT_CSV;
		if (put_untyped(in, r, e) < 0)
			rc = IN_FATAL;
	}
	if (rc == IN_BAD)
		err_prefix(e, "%s:%lu", in->name, in->rowline);
	if (rc != IN_FATAL && buf_add(&r->raw, row, n) < 0) {
		err_nomem(e);
		rc = IN_FATAL;
	}
	csvp_clear(in->csv);
	r->dirty = 0;
	return rc;
}

int in_next(struct input *in, struct rec *r, struct err *e)
{
	rec_clear(r);
	r->file = in->name;
	if (in->format == FMT_CSV)
		return next_csv(in, r, e);
	return next_jsonl(in, r, e);
}

const char *const *in_header(const struct input *in, size_t *n)
{
	if (in->format != FMT_CSV) {
		if (n != NULL)
			*n = 0;
		return NULL;
	}
	if (n != NULL)
		*n = in->nhdr;
	return (const char *const *)in->hdr;
}

int in_bom(const struct input *in)
{
	return in->bom;
}

int in_rereadable(const struct input *in)
{
	struct stat st;

	return in->own_fd && fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode);
}

int in_format(const struct input *in)
{
	return in->format;
}

int in_encoding(const struct input *in)
{
	return in->encoding;
}

const char *in_name(const struct input *in)
{
	return in->name;
}

long long in_bytes_done(const struct input *in)
{
	return in->done;
}

long long in_bytes_total(const struct input *in)
{
	return in->total;
}
