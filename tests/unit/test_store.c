/*
 * test_store.c - the store is changed only whole: commit replaces it,
 * abort and a killed run leave it byte for byte, temporary files go away
 * (a killed run's at the next lock),
 * the lock file stays, modes are kept, no descriptor is left open, and
 * two processes appending under the lock lose nothing.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "store.h"
#include "unit.h"

static char dir[64];
static char path[128];

static const char *tmp(const char *name)
{
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static const char *slurp(const char *file)
{
	static char data[1 << 20];
	FILE *f = fopen(file, "rb");
	size_t len = 0;

	if (f == NULL)
		return NULL;
	len = fread(data, 1, sizeof data - 1, f);
	fclose(f);
	data[len] = '\0';
	return data;
}

/* Files in dir whose name contains ".tmp." */
static int temps(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		n += strstr(de->d_name, ".tmp.") != NULL;
	if (d != NULL)
		closedir(d);
	return n;
}

static int mode_of(const char *file)
{
	struct stat st;

	return stat(file, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* A record that goes out as its raw JSON text. */
static void raw_rec(struct rec *r, const char *line, size_t n)
{
	rec_clear(r);
	buf_add(&r->raw, line, n);
	r->rawfmt = FMT_JSONL;
	r->dirty = 0;
}

/* Replace the store with new records, ids first..first+n-1 (made, not
 * passed through, so the commit replaces the store); commit or not. */
static int put(const char *file, int first, int n, int commit, struct err *e)
{
	struct store *s = store_lock(file, e);
	struct output *out;
	struct rec r;
	char line[64];
	int i, rc = 0;

	if (s == NULL)
		return -1;
	rec_init(&r);
	if ((out = store_begin(s, NULL, e)) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		rec_clear(&r);
		snprintf(line, sizeof line, "C-%d", first + i);
		rc = rec_sets(&r, "id", line, e) < 0 ? -1 : out_rec(out, &r, e);
	}
	if (rc == 0 && commit)
		rc = store_commit(s, e);
	store_unlock(s);
	rec_free(&r);
	return rc;
}

static void test_commit_abort(void)
{
	char file[128];
	struct store *s;
	struct err e;
	char before[256];

	snprintf(file, sizeof file, "%s", tmp("cases.jsonl"));
	s = store_lock(file, &e);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(!store_exists(s));
	CHECK_STR(store_path(s), file);
	store_unlock(s);
	CHECK(mode_of(tmp("cases.jsonl.lock")) == 0600);

	CHECK(put(file, 1, 2, 1, &e) == 0);
	CHECK_STR(slurp(file), "{\"id\":\"C-1\"}\n{\"id\":\"C-2\"}\n");
	CHECK_INT(mode_of(file), 0600);
	CHECK_INT(temps(), 0);

	/* commit replaces */
	CHECK(put(file, 7, 1, 1, &e) == 0);
	CHECK_STR(slurp(file), "{\"id\":\"C-7\"}\n");
	snprintf(before, sizeof before, "%s", slurp(file));

	/* abort, and unlock without commit, leave it byte for byte */
	CHECK(put(file, 100, 3, 0, &e) == 0);
	CHECK_STR(slurp(file), before);
	CHECK_INT(temps(), 0);
	s = store_lock(file, &e);
	CHECK(s != NULL && store_exists(s));
	if (s != NULL) {
		CHECK(store_begin(s, NULL, &e) != NULL);
		store_abort(s);
		CHECK_INT(temps(), 0);
		CHECK(store_commit(s, &e) < 0);	/* nothing begun */
		store_unlock(s);
	}
	CHECK_STR(slurp(file), before);

	/* a replaced store keeps its permission bits */
	chmod(file, 0640);
	CHECK(put(file, 1, 1, 1, &e) == 0);
	CHECK_INT(mode_of(file), 0640);
	CHECK(mode_of(tmp("cases.jsonl.lock")) == 0600);
}

static long long inode_of(const char *file)
{
	struct stat st;

	return stat(file, &st) == 0 ? (long long)st.st_ino : -1;
}

/* Write the store back, its lines passed through as read, the one at
 * index change (if any) made anew; commit. */
static int pass_back(const char *file, int change, struct err *e)
{
	struct store *s = store_lock(file, e);
	struct output *out;
	struct rec r;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int i = 0, rc = 0;

	if (s == NULL)
		return -1;
	rec_init(&r);
	if ((out = store_begin(s, NULL, e)) == NULL || (f = fopen(file, "r")) == NULL)
		rc = -1;
	else {
		while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
			raw_rec(&r, line, (size_t)n - 1);
			if (i++ == change)
				rc = rec_sets(&r, "id", "changed", e);
			if (rc == 0)
				rc = out_rec(out, &r, e);
		}
		fclose(f);
	}
	if (rc == 0)
		rc = store_commit(s, e);
	store_unlock(s);
	rec_free(&r);
	free(line);
	return rc;
}

/* A store whose every record went out as read is not replaced. */
static void test_unchanged(void)
{
	char file[128];
	long long ino;
	struct err e;

	snprintf(file, sizeof file, "%s", tmp("same.jsonl"));
	CHECK(put(file, 1, 3, 1, &e) == 0);
	ino = inode_of(file);
	CHECK(pass_back(file, -1, &e) == 0);
	CHECK(inode_of(file) == ino);
	CHECK_INT(temps(), 0);
	CHECK(pass_back(file, 1, &e) == 0);
	CHECK(inode_of(file) != ino);
	CHECK_STR(slurp(file), "{\"id\":\"C-1\"}\n{\"id\":\"changed\"}\n{\"id\":\"C-3\"}\n");
}

/* The descriptors open.  The same after a store's run as before when
 * the run closed all it opened: a process that changes stores again and
 * again would otherwise run out. */
static int open_fds(void)
{
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) != -1;
	return n;
}

static void test_descriptors(void)
{
	struct err e;
	int before = open_fds();

	CHECK(put(tmp("fd.jsonl"), 1, 2, 1, &e) == 0);		/* commit */
	CHECK_INT(open_fds(), before);
	CHECK(put(tmp("fd.jsonl"), 3, 2, 0, &e) == 0);		/* abort */
	CHECK_INT(open_fds(), before);
	CHECK(put(tmp("fd.jsonl.gz"), 1, 2, 1, &e) == 0);	/* gzip */
	CHECK_INT(open_fds(), before);
	CHECK(put(tmp("fd.jsonl.gz"), 3, 2, 0, &e) == 0);
	CHECK_INT(open_fds(), before);
}

static void test_gzip_store(void)
{
	char file[128];
	const char *s;
	struct err e;

	snprintf(file, sizeof file, "%s", tmp("cases.jsonl.gz"));
	CHECK(put(file, 1, 10, 1, &e) == 0);
	s = slurp(file);
	CHECK(s != NULL && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b);
}

static void test_errors(void)
{
	struct store *s;
	struct err e;

	CHECK(store_lock("/nonexistent/dir/cases.jsonl", &e) == NULL);
	CHECK_STR(e.msg, "/nonexistent/dir/cases.jsonl.lock: No such file or directory");
	/* the store is a directory */
	mkdir(tmp("adir"), 0700);
	CHECK(store_lock(tmp("adir"), &e) == NULL);
	CHECK(strstr(e.msg, "not a regular file") != NULL);
	/* directory not writable after the lock was taken: simulate by
	 * taking the lock, then removing the directory's write bit (root
	 * ignores it, so only checked when it bites) */
	mkdir(tmp("ro"), 0700);
	s = store_lock(tmp("ro/cases.jsonl"), &e);
	CHECK(s != NULL);
	chmod(tmp("ro"), 0500);
	if (s != NULL && store_begin(s, NULL, &e) == NULL)
		CHECK(strstr(e.msg, "cannot create a temporary file beside") != NULL);
	store_unlock(s);
	chmod(tmp("ro"), 0700);
}

/* A run killed while writing leaves the store as it was. */
static void test_killed(void)
{
	char file[128];
	char before[256];
	struct store *s;
	struct err e;
	int status = 0;
	pid_t pid;

	snprintf(file, sizeof file, "%s", tmp("killed.jsonl"));
	CHECK(put(file, 1, 2, 1, &e) == 0);
	snprintf(before, sizeof before, "%s", slurp(file));
	fflush(NULL);
	if ((pid = fork()) == 0) {
		setenv("ONEDOOR_TEST_KILL_AFTER", "3", 1);
		put(file, 10, 100, 1, &e);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK_STR(slurp(file), before);
	CHECK_INT(temps(), 1);		/* the stale temp, 3 records long */
	/* the dead run's lock is gone, and the next holder removes its
	 * temp; another store's, or a name that only looks alike, stay */
	close(open(tmp("other.jsonl.tmp.AbC123"), O_CREAT | O_WRONLY, 0600));
	close(open(tmp("killed.jsonl.tmp.AbC12"), O_CREAT | O_WRONLY, 0600));
	close(open(tmp("killed.jsonl.tmp.AbC1234"), O_CREAT | O_WRONLY, 0600));
	s = store_lock(file, &e);
	CHECK(s != NULL);
	CHECK_INT(temps(), 3);
	CHECK_STR(slurp(file), before);
	store_unlock(s);
	unlink(tmp("other.jsonl.tmp.AbC123"));
	unlink(tmp("killed.jsonl.tmp.AbC12"));
	unlink(tmp("killed.jsonl.tmp.AbC1234"));
}

/* Each process: 100 times lock, read, append one line, commit. */
static void appender(const char *file, int who)
{
	struct store *s;
	struct output *out;
	struct rec r;
	struct err e;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int i;

	rec_init(&r);
	for (i = 0; i < 100; i++) {
		if ((s = store_lock(file, &e)) == NULL)
			_exit(1);
		if ((out = store_begin(s, NULL, &e)) == NULL)
			_exit(1);
		if (store_exists(s) && (f = fopen(file, "r")) != NULL) {
			while ((n = getline(&line, &cap, f)) > 0) {
				raw_rec(&r, line, (size_t)n - 1);
				if (out_rec(out, &r, &e) < 0)
					_exit(1);
			}
			fclose(f);
		}
		rec_clear(&r);
		rec_setf(&r, "id", REC_STR, &e, "P%d-%03d", who, i);
		if (out_rec(out, &r, &e) < 0 || store_commit(s, &e) < 0)
			_exit(1);
		store_unlock(s);
	}
	free(line);
	rec_free(&r);
	_exit(0);
}

static void test_concurrent(void)
{
	char file[128];
	char want[32];
	const char *s;
	pid_t pid[2];
	int i, who, status = 0, lines = 0, ok = 1;

	snprintf(file, sizeof file, "%s", tmp("shared.jsonl"));
	fflush(NULL);
	for (who = 0; who < 2; who++)
		if ((pid[who] = fork()) == 0)
			appender(file, who);
	for (who = 0; who < 2; who++) {
		CHECK(pid[who] > 0 && waitpid(pid[who], &status, 0) == pid[who]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	s = slurp(file);
	CHECK(s != NULL);
	for (; s != NULL && *s != '\0'; s++)
		lines += *s == '\n';
	CHECK_INT(lines, 200);
	s = slurp(file);
	for (who = 0; s != NULL && who < 2; who++)
		for (i = 0; i < 100; i++) {
			snprintf(want, sizeof want, "{\"id\":\"P%d-%03d\"}\n", who, i);
			if (strstr(s, want) == NULL)
				ok = 0;
		}
	CHECK(ok);
	CHECK_INT(temps(), 0);
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_store.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	unsetenv("ONEDOOR_TEST_KILL_AFTER");
	mem_setup();
	test_commit_abort();
	test_unchanged();
	test_gzip_store();
	test_descriptors();
	test_errors();
	test_killed();
	test_concurrent();
	cleanup();
	return unit_done("store");
}
