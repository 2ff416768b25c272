/*
 * store.c - the case store, changed only whole: lock, write a temporary
 * file beside it, fsync, rename over it, fsync the directory.  See
 * store.h.
 *
 * Decisions (for the man pages):
 *  - The lock is flock(LOCK_EX) on PATH.lock, created 0600 and never
 *    removed (removing it would let two runs lock two different files).
 *    A run waits for the lock; the kernel drops it when a run dies.
 *    PATH.lock is opened O_NOFOLLOW and must be a regular file of the
 *    user's own: a planted link or file is refused, naming it.
 *  - A store is changed only when it is the user's own and neither group
 *    nor others may write it (fsafe_ours): the new version would take
 *    the user as owner, and a file others may write may hold anything.
 *  - A store named through a symbolic link (the user's or root's, see
 *    fsafe.h) is the file it leads to: lock, temporary file and rename
 *    are in that file's directory, and the link stays a link.
 *  - A new store is created 0600.  Replacing a store keeps its permission
 *    bits (mode & 0666, set with fchmod on the temporary file); as a
 *    store others may write is refused, these never let others write,
 *    while a store the owner made readable (0640) stays so.
 *  - A store whose every record went out as read is not replaced: the
 *    run changed nothing, so the file keeps its bytes (CRLF, blank
 *    lines), inode and time.  A replaced store is JSON-lines with LF.
 *  - A store without its owner's write permission is refused.
 *  - -i of a missing store (store_open) makes no PATH.lock.
 *  - A killed run leaves its temporary file, as large as the store it was
 *    writing.  The next run that takes the lock removes every
 *    PATH.tmp.XXXXXX: a temporary file exists only while its run holds
 *    the lock, so one found by the holder is stale.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsafe.h"
#include "mem.h"
#include "store.h"

const struct in_opts store_in_opts = { FMT_JSONL, ENC_UTF8, 1 };

struct store {
	char *path;
	char *dir;		/* the directory holding path, for fsync */
	int lockfd;
	int exists;
	mode_t mode;		/* of the existing store */
	char *tmp;		/* temporary file, while begun */
	struct output *out;
};

static char *concat(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	char *s = mem_alloc(n + m + 1);

	if (s != NULL) {
		memcpy(s, a, n);
		memcpy(s + n, b, m + 1);
	}
	return s;
}

static void store_free(struct store *s)
{
	if (s->lockfd >= 0)
		close(s->lockfd);
	mem_free(s->tmp);
	mem_free(s->dir);
	mem_free(s->path);
	mem_free(s);
}

/* The directory holding path, for fsync after rename. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return mem_strdup(".");
	if (slash == path)
		return mem_strdup("/");
	return mem_strndup(path, (size_t)(slash - path));
}

static int look(struct store *s, struct err *e)
{
	struct stat st;

	if (stat(s->path, &st) < 0) {
		if (errno == ENOENT) {
			s->exists = 0;
			return 0;
		}
		return err_sys(e, "%s", s->path);
	}
	if (!S_ISREG(st.st_mode))
		return err_set(e, "%s: not a regular file", s->path);
	if (fsafe_ours(s->path, &st, e) < 0)
		return -1;
	/* the rename needs only the directory, but a store its owner made
	 * read-only is one not to be changed */
	if (!(st.st_mode & S_IWUSR))
		return err_set(e, "%s: read-only (mode %04o): not changed "
		    "(chmod u+w to change it)", s->path,
		    (unsigned)(st.st_mode & 0777));
	s->exists = 1;
	s->mode = st.st_mode & 0666;
	return 0;
}

/* 1 when name is base followed by ".tmp." and mkstemp's six characters. */
static int is_temp_of(const char *name, const char *base)
{
	size_t n = strlen(base), i;

	if (strncmp(name, base, n) != 0 || strncmp(name + n, ".tmp.", 5) != 0)
		return 0;
	name += n + 5;
	for (i = 0; i < 6; i++)
		if (!((name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9')))
			return 0;
	return name[6] == '\0';
}

/* Remove the temporary files of killed runs (see the top of the file).
 * Best effort: one that cannot be removed is only clutter, as before. */
static void sweep_stale(const struct store *s)
{
	const char *slash = strrchr(s->path, '/');
	const char *base = slash ? slash + 1 : s->path;
	struct dirent *de;
	DIR *d;
	char *p;

	if ((d = opendir(s->dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!is_temp_of(de->d_name, base))
			continue;
		/* PATH and the name's ".tmp.XXXXXX" */
		if ((p = concat(s->path, de->d_name + strlen(base))) == NULL)
			break;
		(void)unlink(p);
		mem_free(p);
	}
	closedir(d);
}

/*
 * The lock file, as planted files cannot abuse it: never through a
 * symbolic link (a link named STORE.lock would make the run create a
 * file where it points), and only a regular file of our own (another
 * user's would let its owner hold every run off, or take part in it).
 */
static int open_lock(const char *lock, struct err *e)
{
	struct stat st;
	int fd;

	fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == ELOOP)
			return err_set(e, "%s: a symbolic link: not followed "
			    "(remove it)", lock);
		return err_sys(e, "%s", lock);
	}
	if (fstat(fd, &st) < 0) {
		err_sys(e, "%s", lock);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		if (!S_ISREG(st.st_mode))
			err_set(e, "%s: not a regular file (remove it)", lock);
		else
			err_set(e, "%s: owned by another user (uid %lu): not "
			    "used (remove it)", lock, (unsigned long)st.st_uid);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The file the store's name stands for: the name itself, or where it
 * leads when it is a symbolic link (of the user's own or root's), so
 * that the lock, the temporary file and the rename are beside the file
 * itself, where a run naming it directly looks too, and the link stays.
 */
static char *follow(const char *path, struct err *e)
{
	char *real, *copy;
	int link;

	if ((link = fsafe_link(path, e)) < 0)
		return NULL;
	if (!link) {
		if ((copy = mem_strdup(path)) == NULL)
			err_nomem(e);
		return copy;
	}
	if ((real = realpath(path, NULL)) == NULL) {
		if (errno == ENOENT)
			err_set(e, "%s: a symbolic link to a missing file: no "
			    "such store", path);
		else
			err_sys(e, "%s", path);
		return NULL;
	}
	/* realpath's memory is malloc's; ours may be another allocator */
	if ((copy = mem_strdup(real)) == NULL)
		err_nomem(e);
	free(real);
	return copy;
}

static struct store *lock_store(const char *path, int must_exist,
    struct err *e)
{
	struct store *s;
	char *lock = NULL;

	if ((s = mem_calloc(1, sizeof *s)) == NULL) {
		err_nomem(e);
		return NULL;
	}
	s->lockfd = -1;
	if ((s->path = follow(path, e)) == NULL)
		goto fail;
	if ((s->dir = dir_of(s->path)) == NULL ||
	    (lock = concat(s->path, ".lock")) == NULL) {
		err_nomem(e);
		goto fail;
	}
	/* before the lock file is made, so that a refused or missing store
	 * leaves no STORE.lock behind; looked at again under the lock */
	if (look(s, e) < 0)
		goto fail;
	if (must_exist && !s->exists) {
		err_set(e, "%s: no such store", path);
		goto fail;
	}
	if ((s->lockfd = open_lock(lock, e)) < 0)
		goto fail;
	while (flock(s->lockfd, LOCK_EX) < 0)
		if (errno != EINTR) {
			err_sys(e, "%s: lock", lock);
			goto fail;
		}
	if (look(s, e) < 0)
		goto fail;
	sweep_stale(s);
	mem_free(lock);
	return s;
fail:
	mem_free(lock);
	store_free(s);
	return NULL;
}

struct store *store_lock(const char *path, struct err *e)
{
	return lock_store(path, 0, e);
}

struct store *store_open(const char *path, struct err *e)
{
	struct store *s = lock_store(path, 1, e);

	/* removed between the look and the lock */
	if (s != NULL && !s->exists) {
		err_set(e, "%s: no such store", path);
		store_unlock(s);
		return NULL;
	}
	return s;
}

int store_exists(const struct store *s)
{
	return s->exists;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

static void test_hook(struct output *out)
{
	const char *v = getenv("ONEDOOR_TEST_KILL_AFTER");

	if (v != NULL && *v != '\0')
		out_test_kill_after(out, atoll(v));
}

struct output *store_begin(struct store *s, const struct out_opts *o,
    struct err *e)
{
	struct out_opts oo = { 0 };
	int fd;

	if (s->out != NULL) {
		err_set(e, "%s: store_begin called twice", s->path);
		return NULL;
	}
	if (o != NULL)
		oo = *o;
	oo.format = FMT_JSONL;
	oo.sync = 1;
	if ((s->tmp = concat(s->path, ".tmp.XXXXXX")) == NULL) {
		err_nomem(e);
		return NULL;
	}
	/* mkstemp creates the file 0600 */
	if ((fd = mkstemp(s->tmp)) < 0) {
		err_sys(e, "cannot create a temporary file beside %s", s->path);
		goto fail;
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    (s->exists && fchmod(fd, s->mode) < 0)) {
		err_sys(e, "%s", s->tmp);
		close(fd);
		unlink(s->tmp);
		goto fail;
	}
	/* named after the store: messages speak of it, and ".gz" gzips */
	if ((s->out = out_fdopen(fd, s->path, &oo, e)) == NULL) {
		close(fd);
		unlink(s->tmp);
		goto fail;
	}
	test_hook(s->out);
	return s->out;
fail:
	mem_free(s->tmp);
	s->tmp = NULL;
	return NULL;
}

/* Allocates nothing: it runs after the rename, when a failure could no
 * longer leave the store as it was. */
static int sync_dir(const char *dir, struct err *e)
{
	int fd, rc = 0;

	if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) < 0)
		rc = err_sys(e, "%s", dir);
	else {
		/* some file systems cannot fsync a directory: nothing to do */
		if (fsync(fd) < 0 && errno != EINVAL && errno != EROFS)
			rc = err_sys(e, "%s: fsync", dir);
		close(fd);
	}
	return rc;
}

int store_commit(struct store *s, struct err *e)
{
	int rc;

	if (s->out == NULL)
		return err_set(e, "%s: nothing to commit", s->path);
	/* every record went out as it came: the store would be the same, so
	 * it is left alone (same bytes, inode and time) */
	if (s->exists && out_rebuilt(s->out) == 0) {
		store_abort(s);
		return 0;
	}
	rc = out_close(s->out, e);
	s->out = NULL;
	if (rc == 0 && rename(s->tmp, s->path) < 0)
		rc = err_sys(e, "%s: cannot replace", s->path);
	if (rc < 0) {
		unlink(s->tmp);
		mem_free(s->tmp);
		s->tmp = NULL;
		return -1;
	}
	mem_free(s->tmp);
	s->tmp = NULL;
	if (!s->exists)
		s->mode = 0600;
	s->exists = 1;
	return sync_dir(s->dir, e);
}

void store_abort(struct store *s)
{
	if (s->out == NULL)
		return;
	out_discard(s->out);
	s->out = NULL;
	unlink(s->tmp);
	mem_free(s->tmp);
	s->tmp = NULL;
}

void store_unlock(struct store *s)
{
	if (s == NULL)
		return;
	store_abort(s);
	store_free(s);
}
