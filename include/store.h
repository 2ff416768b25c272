/*
 * store.h - the case store: a JSON-lines file (gzip when named *.gz),
 * changed only whole.
 *
 * A run that changes a store locks PATH.lock (a separate, stable file:
 * rename replaces the store's inode, so the store itself cannot carry the
 * lock), reads the store, writes the new version to a temporary file in
 * the same directory (mode 0600), fsyncs it, renames it over the store and
 * fsyncs the directory.  Whatever happens before the rename leaves the
 * store as it was; a killed run leaves at most a stale PATH.tmp.* file.
 *
 * Usage:
 *	s = store_lock(path, &e);          waits for other runs
 *	in = in_open(path) if store_exists(s) ...
 *	out = store_begin(s, &oo, &e);     temp file, as an output
 *	out_rec(out, ...) ...
 *	store_commit(s, &e)  or  store_abort(s)
 *	store_unlock(s);
 */
#ifndef ONEDOOR_STORE_H
#define ONEDOOR_STORE_H

#include "err.h"
#include "output.h"

struct store;

struct store *store_lock(const char *path, struct err *e);
int store_exists(const struct store *s);
const char *store_path(const struct store *s);
/* The output owned by the store: do not out_close it yourself. */
struct output *store_begin(struct store *s, const struct out_opts *o,
    struct err *e);
int store_commit(struct store *s, struct err *e);
void store_abort(struct store *s);
void store_unlock(struct store *s);	/* aborts an uncommitted begin */

#endif
