/*
 * filter.c - the record loop shared by case-route, mediate and confirm.
 * See filter.h.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter.h"
#include "mem.h"
#include "output.h"
#include "progress.h"
#include "store.h"

struct run {
	const struct cli *c;
	const struct filter_ops *ops;
	struct filter_stats *st;
	struct output *out;
	struct store *store;	/* with -i: the locked store */
	struct rejects *rej;
	struct rec r;
	long long read, bytes;	/* records and bytes read, for progress */
	off_t stdin_at;		/* where each pass over stdin starts, or -1
				   when stdin is read once */
};

/*
 * Make standard input readable twice: *at is where the passes start.  A
 * regular file is read in place.  Anything else is copied to a
 * temporary file in TMPDIR that is unlinked as soon as it is made, so
 * that a copy of personal data never shows and never outlives the run,
 * even a killed one; the copy then becomes standard input.
 */
static int spool_stdin(off_t *at, struct err *e)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], chunk[65536];
	struct stat st;
	ssize_t got;
	int fd;

	if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    (*at = lseek(STDIN_FILENO, 0, SEEK_CUR)) >= 0)
		return 0;
	snprintf(path, sizeof path, "%s/onedoor-stdin.XXXXXX",
	    dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return err_sys(e, "%s", path);
	if (unlink(path) < 0) {
		err_sys(e, "%s", path);
		close(fd);
		return -1;
	}
	while ((got = read(STDIN_FILENO, chunk, sizeof chunk)) > 0)
		if (write(fd, chunk, (size_t)got) != got) {
			err_sys(e, "%s", path);
			goto fail;
		}
	if (got < 0) {
		err_sys(e, "stdin");
		goto fail;
	}
	if (dup2(fd, STDIN_FILENO) < 0) {
		err_sys(e, "stdin");
		goto fail;
	}
	close(fd);
	*at = 0;
	return 0;
fail:
	close(fd);
	return -1;
}

static void say(struct run *run, const char *msg)
{
	progress_pause(run->ops->progress);
	run->ops->say(run->ops->ctx, msg);
}

/* A line that is not a record: with a store fatal, else reported. */
static int bad_record(struct run *run, const struct input *in, struct err *e)
{
	const char *const *header;
	size_t nheader = 0;

	run->st->bad++;
	if (run->c->store != NULL)
		return err_prefix(e, "store not changed");
	say(run, e->msg);
	header = in_header(in, &nheader);
	if (run->rej != NULL &&
	    rej_write(run->rej, header, nheader, &run->r, e->msg, e) < 0)
		return -1;
	return 0;
}

/*
 * Case records as CSV carry their case number in an "id" column.  A CSV
 * without one is not case records at all, most likely the intake rows
 * case-add reads: passing them through as "records" would make a store
 * of them, so the run stops instead.
 */
static int check_columns(const struct input *in, struct err *e)
{
	const char *const *header;
	size_t i, n = 0;

	if (in_format(in) != FMT_CSV || (header = in_header(in, &n)) == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(header[i], "id") == 0)
			return 0;
	return err_set(e, "%s:1: not case records: no id column (rows for new "
	    "cases are added with case-add)", in_name(in));
}

/* One pass over one input; pass 1 scans, pass 2 applies and writes. */
static int pass_over(struct run *run, const char *path,
    const struct in_opts *io, int pass, struct err *e)
{
	struct input *in;
	int rc;

	if ((in = in_open(path, io, e)) == NULL)
		return -1;
	if (check_columns(in, e) < 0)
		goto fail;
	while ((rc = in_next(in, &run->r, e)) != IN_EOF) {
		if (rc == IN_FATAL)
			goto fail;
		progress_tick(run->ops->progress, ++run->read,
		    run->bytes + in_bytes_done(in));
		if (rc == IN_BAD) {
			if (pass == 2 && bad_record(run, in, e) < 0)
				goto fail;
			continue;
		}
		if (pass == 1) {
			if (run->ops->scan(run->ops->ctx, &run->r, e) < 0)
				goto fail;
			continue;
		}
		run->st->in++;
		switch (run->ops->apply(run->ops->ctx, &run->r, e)) {
		case FILTER_PASS:
			break;
		case FILTER_DONE:
			run->st->changed++;
			break;
		case FILTER_REJECT: {
			char msg[sizeof e->msg + 600];
			const char *const *header;
			size_t nheader = 0;

			run->st->rejected++;
			snprintf(msg, sizeof msg, "%s: %s", rec_where(&run->r), e->msg);
			say(run, msg);
			/* the record still goes on unchanged; the reject file
			 * gets a copy with the reason, to fix and feed back */
			header = in_header(in, &nheader);
			if (run->rej != NULL && rej_write(run->rej, header, nheader,
			    &run->r, msg, e) < 0)
				goto fail;
			break;
		}
		default:
			goto fail;
		}
		if (out_rec(run->out, &run->r, e) < 0)
			goto fail;
		run->st->out++;
	}
	run->bytes += in_bytes_done(in);
	in_close(in);
	return 0;
fail:
	in_close(in);
	return -1;
}

/* What all the passes will read, in bytes; -1 if unknown. */
static long long input_size(const struct run *run, char **files, int nfiles)
{
	long long total = 0;
	int i;

	if (run->c->store != NULL)
		total = progress_add_size(total, store_path(run->store));
	else if (nfiles == 0)
		total = progress_add_size(total, "-");
	else
		for (i = 0; i < nfiles; i++)
			total = progress_add_size(total, files[i]);
	return total < 0 || run->ops->scan == NULL ? total : 2 * total;
}

static int all_passes(struct run *run, char **files, int nfiles,
    struct err *e)
{
	int pass, i;

	if (run->ops->progress != NULL)
		progress_start(run->ops->progress,
		    input_size(run, files, nfiles), run->c->progress);
	for (pass = run->ops->scan ? 1 : 2; pass <= 2; pass++) {
		if (run->c->store != NULL) {
			if (pass_over(run, store_path(run->store), &store_in_opts,
			    pass, e) < 0)
				return -1;
		} else if (nfiles == 0) {
			if (run->stdin_at >= 0 &&
			    lseek(STDIN_FILENO, run->stdin_at, SEEK_SET) < 0)
				return err_sys(e, "stdin");
			if (pass_over(run, "-", &run->c->in, pass, e) < 0)
				return -1;
		} else {
			for (i = 0; i < nfiles; i++)
				if (pass_over(run, files[i], &run->c->in,
				    pass, e) < 0)
					return -1;
		}
	}
	if (run->ops->finish != NULL) {
		int n = run->ops->finish(run->ops->ctx, e);

		if (n < 0)
			return -1;
		run->st->rejected += n;
	}
	return 0;
}

static int run_on_store(struct run *run, struct err *e)
{
	struct out_opts oo = run->c->out;
	struct store *s;

	if ((s = run->store = store_open(run->c->store, e)) == NULL)
		return -1;
	oo.format = FMT_JSONL;	/* a store is always JSON-lines */
	if ((run->out = store_begin(s, &oo, e)) == NULL ||
	    all_passes(run, NULL, 0, e) < 0 || store_commit(s, e) < 0) {
		store_unlock(s);
		return -1;
	}
	store_unlock(s);
	return 0;
}

static int run_as_filter(struct run *run, char **files, int nfiles,
    struct err *e)
{
	int rc;

	if (nfiles == 0 && run->ops->scan != NULL &&
	    spool_stdin(&run->stdin_at, e) < 0)
		return -1;
	if ((run->out = out_open(run->c->output, &run->c->out, e)) == NULL) {
		rc = -1;
	} else {
		rc = all_passes(run, files, nfiles, e);
		if (rc < 0) {
			struct err ignore;

			out_close(run->out, &ignore);
		} else
			rc = out_close(run->out, e);
	}
	return rc;
}

int filter_run(const struct cli *c, char **files, int nfiles,
    const struct filter_ops *ops, struct filter_stats *st, struct err *e)
{
	struct run run;
	int rc;

	struct filter_ops with_meter;

	memset(st, 0, sizeof *st);
	memset(&run, 0, sizeof run);
	if (ops->progress == NULL && c->meter != NULL) {
		with_meter = *ops;
		with_meter.progress = c->meter;
		ops = &with_meter;
	}
	run.c = c;
	run.ops = ops;
	run.st = st;
	run.stdin_at = -1;
	rec_init(&run.r);
	if (c->store != NULL && nfiles > 0)
		return err_set(e, "input files and -i cannot be combined: -i reads the store");
	if (c->rejects != NULL && (run.rej = rej_open(c->rejects, e)) == NULL)
		return -1;
	rej_input(run.rej, c->out.excel, 0);
	rc = c->store ? run_on_store(&run, e) : run_as_filter(&run, files, nfiles, e);
	progress_end(ops->progress);
	if (run.rej != NULL) {
		struct err e2;

		if (rej_close(run.rej, rc < 0 ? &e2 : e) < 0)
			rc = -1;
	}
	rec_free(&run.r);
	return rc;
}
