/*
 * scratch.h - what the fuzz targets that run whole commands share: the
 * commands read and write paths, so each input goes through scratch
 * files in the fuzzer's directory, made once and removed at exit; the
 * setting they run in (a quiet cli at a fixed --now, China's time zone);
 * and the voice the commands speak through, which must always say why.
 * Included by one target each (static functions, no object of its own).
 */
#ifndef ONEDOOR_FUZZ_SCRATCH_H
#define ONEDOOR_FUZZ_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define SCRATCH_MAX 4
/* Names as mkstemp made them; SCRATCH_MAX at most. */
static char scratch[SCRATCH_MAX][32];
static int nscratch;

static void scratch_remove(void)
{
	int i;

	for (i = 0; i < nscratch; i++)
		unlink(scratch[i]);
}

/* n scratch files, scratch[0, n), named after the target. */
static inline void scratch_make(const char *target, int n)
{
	int i, fd;

	for (i = 0; i < n && i < SCRATCH_MAX; i++) {
		snprintf(scratch[i], sizeof scratch[i], "%s-%d.XXXXXX", target, i);
		if ((fd = mkstemp(scratch[i])) < 0)
			abort();
		close(fd);
		nscratch = i + 1;
	}
	atexit(scratch_remove);
}

static inline void scratch_put(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || (n > 0 && fwrite(data, 1, n, f) != n) || fclose(f) != 0)
		abort();
}

/* The whole file, malloc'd (free it), its length in *n. */
static inline char *scratch_get(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (s = malloc((size_t)len + 1)) == NULL ||
	    fread(s, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	*n = (size_t)len;
	return s;
}

/* A quiet cli for prog at the --now the seeds were written for, in the
 * time zone of their local dates; the target sets its own fields, then
 * calls cli_finish. */
static inline void scratch_cli(struct cli *c, const char *prog)
{
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	cli_init(c, prog);
	c->now_arg = "2024-04-30T12:00:00+08:00";
	c->quiet = 1;
	c->progress = 0;
}

/* 1 when a fatal error is one of the refusals of a whole file that
 * input.h names (UTF-16 text; a JSON array where JSON-lines belong):
 * any other input must not stop a run. */
static inline int whole_file_refused(const char *msg)
{
	return strstr(msg, ": UTF-16 text (") != NULL ||
	    strstr(msg, ": a JSON array, not JSON-lines") != NULL;
}

/* The commands' say hook: every refusal or warning says why. */
static inline void say_why(void *ctx, const char *msg)
{
	(void)ctx;
	if (msg == NULL || *msg == '\0')
		abort();
}

#endif
