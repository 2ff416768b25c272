/*
 * progress.h - a progress line for long work, on a terminal only.
 *
 * lib never prints, so the command owns the line and lib owns the
 * counting: the command fills show/ctx (and takes `enabled` from
 * cli.progress, which cli_finish sets to "stderr is a terminal and not
 * --quiet" unless --progress/--no-progress was given), hands the struct
 * to lib (filter_ops.progress, intake_opts.progress), and lib calls
 *
 *   progress_start(p, total_bytes or -1, enabled)   once, before the work
 *   progress_tick(p, records, bytes_done)           once per record
 *   progress_end(p)                                 once, after it
 *
 * records and bytes_done are running totals.  progress_tick is cheap: it
 * counts calls and looks at the clock only every PROGRESS_EVERY calls.
 * Nothing is shown during the first second (short runs stay silent and
 * their output deterministic); after that the line is redrawn at most
 * every quarter second:
 *
 *   120000 records, 250000/s, 45%, 3s left
 *
 * with the percentage and the time left only when the total size is
 * known (regular files; not pipes).  progress_end clears a line that was
 * shown.  progress_pause clears it too, before a message is printed, and
 * the next redraw brings it back.
 *
 * The command's show() gets the text (without the program name) or NULL
 * for "clear the line"; it is the only thing that writes.  A command does,
 * for example:
 *
 *   static void show_progress(const char *line, void *ctx)
 *   {
 *           (void)ctx;
 *           if (line != NULL)
 *                   fprintf(stderr, "\r%s: %s\033[K", cmd_prog, line);
 *           else
 *                   fputs("\r\033[K", stderr);
 *   }
 *   ...
 *   struct progress prog = { show_progress, NULL };
 *   ops.progress = &prog;    (or intake_opts.progress)
 *
 * and lib calls progress_start(&prog, total, c->progress) itself.  A
 * NULL struct progress pointer, or show == NULL, means no progress.
 */
#ifndef ONEDOOR_PROGRESS_H
#define ONEDOOR_PROGRESS_H

#include <stddef.h>

#define PROGRESS_EVERY	4096	/* progress_tick looks at the clock this often */
#define PROGRESS_QUIET	1.0	/* seconds before the first line */
#define PROGRESS_STEP	0.25	/* seconds between redraws */

struct progress {
	/* The command's: */
	void (*show)(const char *line, void *ctx);
	void *ctx;
	/* For tests: seconds on a monotonic clock; NULL = CLOCK_MONOTONIC. */
	double (*clock)(void);
	/* lib's, set by progress_start: */
	int enabled;
	int visible;		/* a line is on the terminal */
	unsigned calls;		/* ticks since the clock was last read */
	long long total;	/* bytes, -1 unknown */
	long long records, bytes;	/* as last ticked */
	double t0, last;	/* start, last redraw */
};

void progress_start(struct progress *p, long long total_bytes, int enabled);
void progress_tick(struct progress *p, long long records, long long bytes_done);
/* Clear the line if it is shown (before a message); it comes back. */
void progress_pause(struct progress *p);
void progress_end(struct progress *p);

/* Bytes left to read in path (NULL or "-": stdin) when it is a regular
 * file, else -1: the total for progress_start.  progress_add_size sums
 * them, -1 once any is unknown. */
long long progress_size(const char *path);
long long progress_add_size(long long total, const char *path);

/* The line for these figures, into buf (always terminated):
 * "N records, R/s" and, when total > 0, ", P%, T left" with T as 7s,
 * 2m05s or 1h02m.  The rate is records/elapsed, the time left
 * elapsed * (total - done) / done, rounded up; the percentage is rounded
 * down and stays below 100 until done reaches total.  Returns the length. */
size_t progress_format(char *buf, size_t n, long long records,
    long long bytes_done, long long bytes_total, double elapsed);

#endif
