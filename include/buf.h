/*
 * buf.h - a growable byte buffer.
 *
 * The buffer owns p; buf_free releases it.  p is always NUL-terminated
 * after a successful add (the NUL is not counted in len), so a buffer can
 * be handed to string functions.  Functions return 0, or -1 when memory
 * ran out (the buffer is then unchanged).
 */
#ifndef ONEDOOR_BUF_H
#define ONEDOOR_BUF_H

#include <stddef.h>
#include "err.h"

struct buf {
	char *p;
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }

int buf_reserve(struct buf *b, size_t extra);	/* room for extra more bytes + NUL */
int buf_add(struct buf *b, const void *s, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) ERR_PRINTF(2, 3);
void buf_reset(struct buf *b);			/* len = 0, keeps memory */
void buf_free(struct buf *b);

#endif
