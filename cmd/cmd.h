/*
 * cmd.h - what every command does the same way at its edges: messages
 * prefixed with the program name, the exit status, and checking stdout
 * before exit.  Included by each cmd/NAME.c (commands only; lib never
 * prints).
 *
 * Exit status: 0 all done; 1 some records rejected; 2 usage or fatal
 * error (a store is then untouched).
 */
#ifndef ONEDOOR_CMD_H
#define ONEDOOR_CMD_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include "cli.h"
#include "err.h"
#include "mem.h"
#include "progress.h"

static const char *cmd_prog = "onedoor";

/* Start of every main(): name, allocator hooks, default SIGPIPE so that
 * "cmd | head" ends quietly even when the parent ignored the signal, and
 * SIGXFSZ ignored so that a write past the file-size limit (ulimit -f)
 * fails with EFBIG and is reported like a full disk, instead of killing
 * the run without a word. */
static inline void cmd_start(const char *prog)
{
	cmd_prog = prog;
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_IGN);
	mem_setup();
}

static inline void cmd_warn(const char *fmt, ...) ERR_PRINTF(1, 2);

static inline void cmd_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cmd_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * getopt's '?' or ':' (with opterr = 0, so that the words are ours and
 * name the command, not argv[0]): "unknown option --apend (did you mean
 * --append?)" or "missing argument for --now".
 */
static inline void cmd_bad_option(int ch, char **argv,
    const struct option *longopts)
{
	const char *arg = argv[optind - 1], *near;
	const char *names[128];
	char name[64];
	size_t i, n = 0, len;

	if (strncmp(arg, "--", 2) != 0) {
		if (ch == ':')
			cmd_warn("missing argument for -%c", optopt);
		else
			cmd_warn("unknown option -%c", optopt ? optopt : '?');
		return;
	}
	len = strcspn(arg + 2, "=");
	snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), arg + 2);
	for (i = 0; longopts[i].name != NULL && n + 1 < sizeof names / sizeof names[0]; i++) {
		if (strcmp(longopts[i].name, name) == 0) {
			/* a known option: getopt said '?' about its value */
			if (longopts[i].has_arg == no_argument)
				cmd_warn("--%s takes no value", name);
			else
				cmd_warn("missing argument for --%s", name);
			return;
		}
		names[n++] = longopts[i].name;
	}
	if (ch == ':') {
		cmd_warn("missing argument for --%s", name);
		return;
	}
	names[n] = NULL;
	if ((near = cli_nearest(name, names)) != NULL)
		cmd_warn("unknown option --%s (did you mean --%s?)", name, near);
	else
		cmd_warn("unknown option --%s", name);
}

/* A fatal error from lib: quiet on a broken pipe, else the message; 2. */
static inline int cmd_fail(const struct err *e)
{
	if (e->sys != EPIPE)
		cmd_warn("%s", e->msg);
	return 2;
}

/* Before returning from main: stdout must have been written in full. */
static inline int cmd_exit(int status)
{
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF) {
		if (errno == EPIPE)
			return 2;
		cmd_warn("stdout: write error: %s", errno ? strerror(errno) : "unknown");
		return 2;
	}
	return status;
}

/* The progress line on stderr (lib decides when; see progress.h). */
static inline void cmd_show_progress(const char *line, void *ctx)
{
	(void)ctx;
	if (line != NULL)
		fprintf(stderr, "\r%s: %s\033[K", cmd_prog, line);
	else
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

static inline struct progress *cmd_meter(void)
{
	static struct progress meter = { cmd_show_progress, NULL, NULL,
	    0, 0, 0, 0, 0, 0, 0, 0 };

	return &meter;
}

/* The run's one warning about deadlines counted past the calendar's
 * years (cli_calendar_note), once, at the end of a run that completed. */
static inline void cmd_calendar_note(const struct cli *c)
{
	char msg[1600];

	if (cli_calendar_note(c, msg, sizeof msg))
		cmd_warn("%s", msg);
}

static inline int cmd_version(void)
{
	printf("%s (onedoor) %s\n", cmd_prog, ONEDOOR_VERSION);
	return cmd_exit(0);
}

#endif
