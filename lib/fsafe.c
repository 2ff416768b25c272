/*
 * fsafe.c - the rules for files onedoor writes over.  See fsafe.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fsafe.h"

int fsafe_link(const char *path, struct err *e)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_sys(e, "%s", path);
	if (!S_ISLNK(st.st_mode))
		return 0;
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return err_set(e, "%s: a symbolic link of another user's "
		    "(uid %lu): not followed", path, (unsigned long)st.st_uid);
	return 1;
}

int fsafe_ours(const char *path, const struct stat *st, struct err *e)
{
	if (!S_ISREG(st->st_mode))
		return 0;
	if (st->st_uid != geteuid())
		return err_set(e, "%s: owned by another user (uid %lu): not "
		    "written over (remove it, or choose another name)", path,
		    (unsigned long)st->st_uid);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return err_set(e, "%s: writable by group or others (mode %04o): "
		    "not written over (chmod go-w to use it)", path,
		    (unsigned)(st->st_mode & 0777));
	return 0;
}

int fsafe_open_write(const char *path, struct err *e)
{
	struct stat st;
	int fd, link, flags = O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC;

	if ((link = fsafe_link(path, e)) < 0)
		return -1;
	/* no link was there: none may appear before the open */
	if (!link)
		flags |= O_NOFOLLOW;
	if ((fd = open(path, flags, 0600)) < 0) {
		if (errno == ELOOP && !link)
			err_set(e, "%s: became a symbolic link: not followed", path);
		else
			err_sys(e, "%s", path);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		err_sys(e, "%s", path);
		goto fail;
	}
	if (fsafe_ours(path, &st, e) < 0)
		goto fail;
	if (S_ISREG(st.st_mode) && ftruncate(fd, 0) < 0) {
		err_sys(e, "%s", path);
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}
