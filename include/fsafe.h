/*
 * fsafe.h - the rules for files onedoor writes over, so that a file or
 * link another user planted in a shared directory cannot take case data
 * (names, full id numbers) or make a run write where it should not.
 *
 *  - A symbolic link is followed only when it is yours or root's (so
 *    -o /dev/stdout works): one of another user's is refused, as Linux's
 *    fs.protected_symlinks does in sticky directories, here everywhere.
 *  - An existing regular file is written over (or, for a store, replaced)
 *    only when it is yours and neither group nor others may write it:
 *    another user's file would keep its owner (and its readers), and a
 *    file others may write may hold anything.  The messages say how to
 *    fix it.  Devices and FIFOs (/dev/null, a named pipe) are written
 *    as they are.
 *  - Files onedoor creates are 0600 (less under a stricter umask).
 */
#ifndef ONEDOOR_FSAFE_H
#define ONEDOOR_FSAFE_H

#include <sys/stat.h>

#include "err.h"

/* 1: path is a symbolic link that may be followed; 0: it is not a link
 * (or does not exist); -1: a link of another user's, or lstat failed
 * (e says which, naming path). */
int fsafe_link(const char *path, struct err *e);

/* 0 when the existing file st (of path) may be written over by this
 * user, else -1 and e ("PATH: owned by another user (uid N) ..."). */
int fsafe_ours(const char *path, const struct stat *st, struct err *e);

/* Open path for writing as the outputs do: created 0600 when missing,
 * through no link of another user's, refused as fsafe_ours refuses, and
 * truncated only once it passed.  A descriptor, or -1 and e. */
int fsafe_open_write(const char *path, struct err *e);

#endif
