/*
 * progress.c - the counting behind a command's progress line.  See
 * progress.h; this file never writes anywhere itself.
 */
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "progress.h"

static double mono_clock(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_of(const struct progress *p)
{
	return p->clock != NULL ? p->clock() : mono_clock();
}

/* "7s", "2m05s", "1h02m" */
static void fmt_left(char *buf, size_t n, long long s)
{
	if (s < 60)
		snprintf(buf, n, ", %llds left", s);
	else if (s < 3600)
		snprintf(buf, n, ", %lldm%02llds left", s / 60, s % 60);
	else
		snprintf(buf, n, ", %lldh%02lldm left", s / 3600, s % 3600 / 60);
}

size_t progress_format(char *buf, size_t n, long long records,
    long long bytes_done, long long bytes_total, double elapsed)
{
	long long rate = elapsed > 0 ? llround((double)records / elapsed) : 0;
	char pct[32] = "", left[64] = "";
	int k;

	if (n == 0)
		return 0;
	if (bytes_total > 0) {
		long long pc = 100;

		if (bytes_done < bytes_total) {
			pc = bytes_done <= 0 ? 0 :
			    (long long)((double)bytes_done * 100 / (double)bytes_total);
			if (pc > 99)
				pc = 99;
		}
		snprintf(pct, sizeof pct, ", %lld%%", pc);
		if (bytes_done > 0 && bytes_done < bytes_total && elapsed > 0)
			fmt_left(left, sizeof left, (long long)ceil(elapsed *
			    (double)(bytes_total - bytes_done) / (double)bytes_done));
	}
	k = snprintf(buf, n, "%lld records, %lld/s%s%s", records, rate, pct, left);
	if (k < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)k < n ? (size_t)k : n - 1;
}

long long progress_size(const char *path)
{
	struct stat st;

	if (path == NULL || (path[0] == '-' && path[1] == '\0')) {
		off_t at;

		if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
			return -1;
		if ((at = lseek(STDIN_FILENO, 0, SEEK_CUR)) < 0 || at > st.st_size)
			return -1;
		return (long long)(st.st_size - at);
	}
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	return (long long)st.st_size;
}

long long progress_add_size(long long total, const char *path)
{
	long long n;

	if (total < 0 || (n = progress_size(path)) < 0)
		return -1;
	return total + n;
}

void progress_start(struct progress *p, long long total_bytes, int enabled)
{
	if (p == NULL)
		return;
	p->enabled = enabled > 0 && p->show != NULL;
	p->visible = 0;
	p->calls = 0;
	p->total = total_bytes;
	p->records = p->bytes = 0;
	p->t0 = p->last = p->enabled ? now_of(p) : 0;
}

static void redraw(struct progress *p, double t)
{
	char line[128];

	progress_format(line, sizeof line, p->records, p->bytes, p->total,
	    t - p->t0);
	p->show(line, p->ctx);
	p->visible = 1;
	p->last = t;
}

void progress_tick(struct progress *p, long long records, long long bytes_done)
{
	double t;

	if (p == NULL || !p->enabled || ++p->calls < PROGRESS_EVERY)
		return;
	p->calls = 0;
	p->records = records;
	p->bytes = bytes_done;
	t = now_of(p);
	if (t - p->t0 < PROGRESS_QUIET)
		return;
	if (t - p->last < PROGRESS_STEP)	/* also after a pause */
		return;
	redraw(p, t);
}

void progress_pause(struct progress *p)
{
	if (p == NULL || !p->enabled || !p->visible)
		return;
	p->show(NULL, p->ctx);
	p->visible = 0;
}

void progress_end(struct progress *p)
{
	progress_pause(p);
	if (p != NULL)
		p->enabled = 0;
}
