/*
 * err.c - filling struct err.  See err.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "mem.h"

static void vset(struct err *e, const char *fmt, va_list ap) ERR_PRINTF(2, 0);

static void vset(struct err *e, const char *fmt, va_list ap)
{
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

int err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	e->sys = 0;
	return -1;
}

int err_sys(struct err *e, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	size_t len;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	snprintf(e->msg + len, sizeof e->msg - len, ": %s", strerror(saved));
	e->sys = saved;
	errno = saved;
	return -1;
}

int err_nomem(struct err *e)
{
	if (e != NULL) {
		snprintf(e->msg, sizeof e->msg, "out of memory");
		e->sys = ENOMEM;
	}
	return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	char old[sizeof e->msg];
	va_list ap;
	size_t len;

	if (e == NULL)
		return -1;
	memcpy(old, e->msg, sizeof old);
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	snprintf(e->msg + len, sizeof e->msg - len, ": %s", old);
	return -1;
}

char *err_name(const char *path)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;
	unsigned char c;
	char *out, *o;

	for (i = 0; path[i] != '\0'; i++) {
		c = (unsigned char)path[i];
		n += c < 0x20 || c == 0x7f ? 4 : 1;
	}
	if ((out = o = mem_alloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; path[i] != '\0'; i++) {
		c = (unsigned char)path[i];
		if (c >= 0x20 && c != 0x7f) {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		if (c == '\n' || c == '\r' || c == '\t')
			*o++ = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		else {
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
