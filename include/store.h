/*
 * store.h - the case store: a JSON-lines file (gzip when named *.gz),
 * changed only whole.
 *
 * A run that changes a store locks PATH.lock (a separate, stable file:
 * rename replaces the store's inode, so the store itself cannot carry the
 * lock), reads the store, writes the new version to a temporary file in
 * the same directory (mode 0600), fsyncs it, renames it over the store and
 * fsyncs the directory.  Whatever happens before the rename leaves the
 * store as it was; a killed run leaves at most a stale PATH.tmp.XXXXXX
 * file, which the next store_lock removes.
 * PATH.lock is created 0600 and never removed; the lock is flock(2), so
 * the kernel releases it when a run dies.  Replacing a store keeps its
 * permission bits (not its owner); a new store is 0600.  A store named
 * through a symbolic link is the file it leads to (store_path); planted
 * files are refused by the rules of fsafe.h.  A store every record of
 * which went out as read is not replaced at all.
 *
 * Test hook: with ONEDOOR_TEST_KILL_AFTER=N in the environment, out_rec
 * on the output of store_begin flushes and raises SIGKILL once N records
 * are written, so a test can show the store is never half-written.
 *
 * Usage:
 *	s = store_lock(path, &e);          waits for other runs (store_open
 *	                                   for one that must exist)
 *	in = in_open(store_path(s), &store_in_opts, &e) if store_exists(s)
 *	every record of in, changed or not, to out, as below:
 *	out = store_begin(s, &oo, &e);     temp file, as an output
 *	out_rec(out, ...) ...
 *	store_commit(s, &e)  or  store_abort(s)
 *	store_unlock(s);
 */
#ifndef ONEDOOR_STORE_H
#define ONEDOOR_STORE_H

#include "err.h"
#include "input.h"
#include "output.h"

struct store;

/* How a store is read: JSON-lines and UTF-8 whatever the command's
 * --from and --encoding say (they are for its input files) and whatever
 * the first bytes look like, so that a line of a file that is not a store
 * is a bad line, which stops the run, never a CSV header. */
extern const struct in_opts store_in_opts;

/* Lock the store at path (followed when it is a symbolic link: see
 * store.c), which need not exist yet (case-add --append).  Refused, with
 * e naming the file: a lock that is a link, not a regular file or not
 * ours; a store not ours, writable by group or others, or read-only. */
struct store *store_lock(const char *path, struct err *e);
/* The same for a store that must exist (-i): "PATH: no such store",
 * without making PATH.lock, when it does not. */
struct store *store_open(const char *path, struct err *e);
int store_exists(const struct store *s);
const char *store_path(const struct store *s);
/* The output owned by the store: do not out_close it yourself.  Always
 * JSON-lines with sync set; gzip when the store's name ends in ".gz". */
struct output *store_begin(struct store *s, const struct out_opts *o,
    struct err *e);
/* Close, rename over the store, fsync the directory.  On failure before
 * the rename the temporary file is removed and the store is as it was.
 * When the store existed and every record went out as it was read
 * (out_rebuilt 0) nothing is renamed: the store is left as it is.  So
 * the caller must write every record of the store, as all do. */
int store_commit(struct store *s, struct err *e);
void store_abort(struct store *s);
void store_unlock(struct store *s);	/* aborts an uncommitted begin */

#endif
