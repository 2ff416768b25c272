/*
 * err.h - the error a lib function hands back to its command.
 *
 * lib never prints and never exits: a function that fails fills a
 * struct err and returns -1 (or another documented negative value); the
 * command decides how to report it.  msg is a complete sentence fragment
 * without the program name, e.g. "intake.csv:12: amount: three decimals".
 * sys keeps errno when a system call failed, so that a command can tell
 * EPIPE (exit quietly) from ENOSPC (exit 2 with a message).
 */
#ifndef ONEDOOR_ERR_H
#define ONEDOOR_ERR_H

#include <stdarg.h>

struct err {
	int sys;		/* errno of the failing call, or 0 */
	char msg[1024];
};

#ifdef __GNUC__
#define ERR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ERR_PRINTF(a, b)
#endif

/* Fill e (if not NULL) with a message; returns -1 so callers can
 * "return err_set(e, ...)". sys is set to 0. */
int err_set(struct err *e, const char *fmt, ...) ERR_PRINTF(2, 3);

/* Like err_set, appending ": strerror(errno)" and keeping errno in sys. */
int err_sys(struct err *e, const char *fmt, ...) ERR_PRINTF(2, 3);

/* The out-of-memory error; every allocation failure in lib uses it. */
int err_nomem(struct err *e);

/* Prefix an existing message: "PREFIX: old message". */
int err_prefix(struct err *e, const char *fmt, ...) ERR_PRINTF(2, 3);

/* A file name as messages show it: control characters escaped (\n, \r,
 * \t, else \xHH), so that a name holding a line end cannot split a
 * "file:line: why" message in two.  A new string (mem_free it), or NULL
 * when memory runs out. */
char *err_name(const char *path);

#endif
