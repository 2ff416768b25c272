/*
 * fuzz_input.c - arbitrary bytes through the reader, in every format and
 * encoding: nothing may crash, leak or loop, every call must end in one of
 * the four documented results, and records must carry a line number that
 * never goes backwards.
 *
 * The first byte picks the options; the rest is the input, written to a
 * memfd so that the reader sees a real file descriptor.
 *
 * clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE
 *   -Iinclude tests/fuzz/fuzz_input.c lib/input.c lib/csvio.c
 *   lib/jsonio.c lib/jsonio_write.c lib/record.c lib/buf.c lib/err.c
 *   lib/mem.c lib/format.c -lcsv -ljansson -lz -lm
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "input.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fmts[] = { FMT_AUTO, FMT_JSONL, FMT_CSV };
	static const int encs[] = { ENC_AUTO, ENC_UTF8, ENC_GB18030 };
	struct in_opts o;
	struct input *in;
	struct rec r;
	struct err e;
	char path[64];
	unsigned long last = 0;
	long long calls = 0;
	int fd, rc;

	if (size < 1)
		return 0;
	o.format = fmts[data[0] % 3];
	o.encoding = encs[(data[0] / 3) % 3];
	o.typed = (data[0] / 9) & 1;
	data++;
	size--;
	if ((fd = memfd_create("fuzz_input", 0)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	rec_init(&r);
	if ((in = in_open(path, &o, &e)) != NULL) {
		while ((rc = in_next(in, &r, &e)) != IN_EOF && rc != IN_FATAL) {
			if (rc != IN_REC && rc != IN_BAD)
				abort();
			if (r.line < last || r.line == 0)
				abort();
			last = r.line;
			/* no progress: more records than bytes could make,
			 * gzip's 1032:1 at most included */
			if (++calls > (long long)size * 1032 + 2)
				abort();
		}
		in_close(in);
	}
	rec_free(&r);
	close(fd);
	return 0;
}
