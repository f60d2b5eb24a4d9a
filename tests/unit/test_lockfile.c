/* Atomic files and cache locks, against a scratch directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extdeps/util/diag.h"
#include "extdeps/util/lockfile.h"
#include "extdeps/util/util.h"

struct fixture {
	char dir[64];
	char target[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/extdeps-lockfile-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->target, sizeof f->target, "%s/Packages", f->dir);
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	chmod(path, 0700);
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	chmod(f->dir, 0700);
	nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* The file's content (static buffer), or NULL when it cannot be read. */
static const char *get(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* The number of entries in DIR, "." and ".." aside. */
static int entries(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(dh);
	while ((e = readdir(dh)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(dh);
	return n;
}

static void assert_holds_nothing(const struct atomicfile *af)
{
	assert_null(af->path);
	assert_null(af->tmp);
	assert_int_equal(af->fd, -1);
	assert_null(af->fp);
}

static void test_commit_replaces(void **state)
{
	struct fixture *f = *state;
	struct atomicfile af = ATOMICFILE_INIT;
	struct ed_diag d;
	struct stat before, after;

	put(f->target, "old\n");
	assert_int_equal(stat(f->target, &before), 0);
	assert_int_equal(atomicfile_open(&af, f->target, &d), 0);
	assert_non_null(af.tmp);
	assert_int_equal(strncmp(af.tmp, f->target, strlen(f->target)), 0);
	assert_int_equal(atomicfile_write(&af, "new content\n", 12, &d), 0);
	/* Until the commit the target is the old file, the temporary beside it. */
	assert_string_equal(get(f->target), "old\n");
	assert_int_equal(entries(f->dir), 2);
	assert_int_equal(atomicfile_commit(&af, &d), 0);
	assert_holds_nothing(&af);
	assert_string_equal(get(f->target), "new content\n");
	assert_int_equal(entries(f->dir), 1);
	/* Replaced by a rename, not rewritten in place: a reader holding the
	 * old file keeps reading the old content. */
	assert_int_equal(stat(f->target, &after), 0);
	assert_int_not_equal(before.st_ino, after.st_ino);
	/* Committing again, to an absent target this time, and the struct reused. */
	assert_int_equal(unlink(f->target), 0);
	assert_int_equal(atomicfile_open(&af, f->target, &d), 0);
	assert_int_equal(atomicfile_commit(&af, &d), 0);
	assert_string_equal(get(f->target), "");
}

static void test_stream_and_mode(void **state)
{
	struct fixture *f = *state;
	struct atomicfile af = ATOMICFILE_INIT;
	struct ed_diag d;
	struct stat st;
	mode_t old = umask(077);
	FILE *fp;

	assert_int_equal(atomicfile_open(&af, f->target, &d), 0);
	fp = atomicfile_fdopen(&af, &d);
	assert_non_null(fp);
	assert_ptr_equal(atomicfile_fdopen(&af, &d), fp);
	fprintf(fp, "etag: %s\n", "\"abc\"");
	assert_int_equal(atomicfile_commit(&af, &d), 0);
	umask(old);
	assert_holds_nothing(&af);
	assert_string_equal(get(f->target), "etag: \"abc\"\n");
	/* Readable like every cache file, whatever the umask. */
	assert_int_equal(stat(f->target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void test_abort_keeps_previous(void **state)
{
	struct fixture *f = *state;
	struct atomicfile af = ATOMICFILE_INIT;
	struct ed_diag d;

	/* Nothing held: a no-op, so cleanup paths call it unconditionally. */
	atomicfile_abort(&af);
	put(f->target, "good\n");
	assert_int_equal(atomicfile_open(&af, f->target, &d), 0);
	assert_int_equal(atomicfile_write(&af, "half", 4, &d), 0);
	assert_non_null(atomicfile_fdopen(&af, &d));
	errno = ERANGE;
	atomicfile_abort(&af);
	assert_int_equal(errno, ERANGE);
	assert_holds_nothing(&af);
	assert_string_equal(get(f->target), "good\n");
	assert_int_equal(entries(f->dir), 1);
	atomicfile_abort(&af);
}

static void test_open_in_missing_dir(void **state)
{
	struct fixture *f = *state;
	struct atomicfile af = ATOMICFILE_INIT;
	char path[256], want[512];
	struct ed_diag d;

	snprintf(path, sizeof path, "%s/absent/Packages", f->dir);
	assert_int_equal(atomicfile_open(&af, path, &d), ED_EXIT_ENV);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_string_equal(d.file, path);
	snprintf(want, sizeof want, "cannot create a file beside '%s': %s", path,
		 strerror(ENOENT));
	assert_string_equal(d.msg, want);
	assert_holds_nothing(&af);
	assert_int_equal(entries(f->dir), 0);
	atomicfile_abort(&af);
	/* Without a diagnostic wanted, the same failure. */
	assert_int_equal(atomicfile_open(&af, path, NULL), ED_EXIT_ENV);
}

/* Whether creating TARGET's temporary in its read-only directory DIR fails
 * as documented, leaving nothing: 0, or the number of the check that did
 * not hold (no cmocka asserts: this may run in a child). */
static int read_only_fails(const char *dir, const char *target)
{
	struct atomicfile af = ATOMICFILE_INIT;
	struct ed_diag d;
	const char *text;

	if (atomicfile_open(&af, target, &d) != ED_EXIT_ENV)
		return 1;
	if (errno != EACCES || strcmp(d.file, target) || !strstr(d.msg, "cannot create a file beside") ||
	    !strstr(d.msg, strerror(EACCES)))
		return 2;
	if (af.tmp || af.path || af.fd != -1)
		return 3;
	if (!(text = get(target)) || strcmp(text, "good\n") || entries(dir) != 1)
		return 4;
	return 0;
}

static void test_open_in_read_only_dir(void **state)
{
	struct fixture *f = *state;
	int status;
	pid_t pid;

	put(f->target, "good\n");
	assert_int_equal(chmod(f->target, 0644), 0);
	assert_int_equal(chmod(f->dir, 0555), 0);
	if (geteuid() != 0) {
		assert_int_equal(read_only_fails(f->dir, f->target), 0);
		return;
	}
	/* Root writes into a 0555 directory: the check runs as nobody. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(77);
		_exit(read_only_fails(f->dir, f->target));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip(); /* cannot drop root here */
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_commit_failure_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct atomicfile af = ATOMICFILE_INIT;
	char inside[256], want[512];
	struct ed_diag d;

	/* A directory in the target's place: the rename fails, as a read-only
	 * directory's would, but for root too. */
	assert_int_equal(mkdir(f->target, 0755), 0);
	snprintf(inside, sizeof inside, "%s/keep", f->target);
	put(inside, "x");
	assert_int_equal(atomicfile_open(&af, f->target, &d), 0);
	assert_int_equal(atomicfile_write(&af, "new", 3, &d), 0);
	assert_int_equal(atomicfile_commit(&af, &d), ED_EXIT_ENV);
	assert_int_equal(errno, EISDIR);
	assert_string_equal(d.file, f->target);
	snprintf(want, sizeof want, "cannot replace '%s': %s", f->target, strerror(EISDIR));
	assert_string_equal(d.msg, want);
	assert_holds_nothing(&af);
	assert_int_equal(entries(f->dir), 1);
	assert_string_equal(get(inside), "x");
}

static void test_rename(void **state)
{
	struct fixture *f = *state;
	char next[256];
	struct ed_diag d;

	snprintf(next, sizeof next, "%s.next", f->target);
	put(f->target, "old");
	put(next, "new");
	assert_int_equal(atomicfile_rename(next, f->target, &d), 0);
	assert_string_equal(get(f->target), "new");
	assert_int_equal(access(next, F_OK), -1);
	assert_int_equal(atomicfile_rename(next, f->target, &d), ED_EXIT_ENV);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(d.file, f->target);
	assert_non_null(strstr(d.msg, "cannot replace '"));
	assert_string_equal(get(f->target), "new");
}

/* In a child process: whether a non-blocking flock of PATH succeeds. */
static bool child_can_lock(const char *path)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(path, O_RDWR | O_CLOEXEC);

		_exit(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status) == 0;
}

static void test_lock_excludes(void **state)
{
	struct fixture *f = *state;
	struct lockfile lk = LOCKFILE_INIT, other = LOCKFILE_INIT;
	struct lockfile_opts briefly = { .timeout_ms = 60 };
	char path[256], want[512];
	struct ed_diag d;
	struct stat st;
	double t0;
	int fd;

	snprintf(path, sizeof path, "%s/.lock", f->dir);
	assert_int_equal(lockfile_lock_dir(&lk, f->dir, NULL, &d), 0);
	assert_true(lk.fd >= 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* Held against another process, and against another open file of
	 * this one. */
	assert_false(child_can_lock(path));
	fd = open(path, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	close(fd);
	/* With a timeout, a second holder gives up. */
	t0 = util_now_ms();
	assert_int_equal(lockfile_lock(&other, path, &briefly, &d), ED_EXIT_ENV);
	assert_int_equal(errno, EWOULDBLOCK);
	assert_true(util_now_ms() - t0 >= 50);
	assert_int_equal(other.fd, -1);
	assert_string_equal(d.file, path);
	/* the holder recorded its process id */
	snprintf(want, sizeof want, "'%s' is held by process %ld; gave up waiting after 1 s", path,
		 (long)getpid());
	assert_string_equal(d.msg, want);
	lockfile_unlock(&other);

	lockfile_unlock(&lk);
	assert_int_equal(lk.fd, -1);
	lockfile_unlock(&lk);
	assert_true(child_can_lock(path));
	assert_int_equal(lockfile_lock(&other, path, &briefly, &d), 0);
	lockfile_unlock(&other);
}

static void test_lock_waits(void **state)
{
	struct fixture *f = *state;
	struct lockfile lk = LOCKFILE_INIT;
	struct ed_diag d;
	int pipefd[2], status;
	double t0;
	pid_t pid;
	char c;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct lockfile held = LOCKFILE_INIT;

		close(pipefd[0]);
		if (lockfile_lock_dir(&held, f->dir, NULL, NULL) || write(pipefd[1], "x", 1) != 1)
			_exit(1);
		usleep(200 * 1000);
		lockfile_unlock(&held);
		_exit(0);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	/* Without a timeout: waits for the child to let go. */
	t0 = util_now_ms();
	assert_int_equal(lockfile_lock_dir(&lk, f->dir, NULL, &d), 0);
	assert_true(util_now_ms() - t0 >= 100);
	lockfile_unlock(&lk);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_lock_errors(void **state)
{
	struct fixture *f = *state;
	struct lockfile lk = LOCKFILE_INIT;
	char dir[256], want[512], *long_dir;
	struct ed_diag d;

	snprintf(dir, sizeof dir, "%s/absent", f->dir);
	assert_int_equal(lockfile_lock_dir(&lk, dir, NULL, &d), ED_EXIT_ENV);
	assert_int_equal(lk.fd, -1);
	snprintf(want, sizeof want, "cannot open '%s/.lock': %s", dir, strerror(ENOENT));
	assert_string_equal(d.msg, want);
	assert_int_equal(entries(f->dir), 0);

	long_dir = malloc(PATH_MAX + 1);
	assert_non_null(long_dir);
	memset(long_dir, 'a', PATH_MAX);
	long_dir[PATH_MAX] = '\0';
	assert_int_equal(lockfile_lock_dir(&lk, long_dir, NULL, &d), ED_EXIT_ENV);
	assert_string_equal(d.msg, "cache directory name too long");
	assert_int_equal(strncmp(d.file, long_dir, 64), 0); /* cut to fit */
	free(long_dir);
	lockfile_unlock(&lk);
}

/* Run FN(F) as nobody in a child (root writes anywhere); its result, or
 * skip when the privileges cannot be dropped. */
static int as_nobody(int (*fn)(struct fixture *f), struct fixture *f)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		return fn(f);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(77);
		_exit(fn(f));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip(); /* cannot drop root here */
	return WEXITSTATUS(status);
}

static int seen_waits;
static char seen_who[256];

static void on_wait(const char *path, const char *who, void *ud)
{
	(void)path;
	(void)ud;
	seen_waits++;
	snprintf(seen_who, sizeof seen_who, "%s", who ? who : "(unknown)");
}

/* Readers share a lock; a writer excludes them and names itself to whoever
 * waits; the lock file is emptied when the writer lets go. */
static void test_lock_shared_and_holder(void **state)
{
	struct fixture *f = *state;
	struct lockfile r1 = LOCKFILE_INIT, r2 = LOCKFILE_INIT, w = LOCKFILE_INIT;
	struct lockfile_opts reader = { .shared = true, .timeout_ms = 60 };
	struct lockfile_opts writer = { .timeout_ms = 60, .holder = "extdeps update",
					.waiting = on_wait };
	char path[256], want[512];
	struct ed_diag d;

	snprintf(path, sizeof path, "%s/.lock", f->dir);
	assert_int_equal(lockfile_lock_dir(&r1, f->dir, &reader, &d), 0);
	assert_int_equal(lockfile_lock_dir(&r2, f->dir, &reader, &d), 0);
	seen_waits = 0;
	assert_int_equal(lockfile_lock_dir(&w, f->dir, &writer, &d), ED_EXIT_ENV);
	assert_int_equal(seen_waits, 1);
	assert_string_equal(seen_who, "(unknown)");
	lockfile_unlock(&r1);
	lockfile_unlock(&r2);
	assert_int_equal(lockfile_lock_dir(&w, f->dir, &writer, &d), 0);
	snprintf(want, sizeof want, "%ld extdeps update\n", (long)getpid());
	assert_string_equal(get(path), want);
	seen_waits = 0;
	reader.waiting = on_wait;
	assert_int_equal(lockfile_lock_dir(&r1, f->dir, &reader, &d), ED_EXIT_ENV);
	assert_int_equal(seen_waits, 1);
	snprintf(want, sizeof want, "process %ld (extdeps update)", (long)getpid());
	assert_string_equal(seen_who, want);
	snprintf(want, sizeof want,
		 "'%s' is held by process %ld (extdeps update); gave up waiting after 1 s", path,
		 (long)getpid());
	assert_string_equal(d.msg, want);
	lockfile_unlock(&w);
	assert_string_equal(get(path), "");
	assert_int_equal(lockfile_lock_dir(&r1, f->dir, &reader, &d), 0);
	lockfile_unlock(&r1);
}

/* As nobody: a reader of a read-only cache directory gets its lock through
 * a read-only open of the lock file, or none when there is no lock file; a
 * writer fails. */
static int read_only_readers(struct fixture *f)
{
	struct lockfile lk = LOCKFILE_INIT;
	struct lockfile_opts reader = { .shared = true };
	struct ed_diag d;
	char sub[128];

	if (lockfile_lock_dir(&lk, f->dir, &reader, &d) || lk.fd < 0)
		return 1;
	lockfile_unlock(&lk);
	if (lockfile_lock_dir(&lk, f->dir, NULL, &d) != ED_EXIT_ENV || lk.fd != -1 ||
	    !strstr(d.msg, "cannot open"))
		return 2;
	snprintf(sub, sizeof sub, "%s/sub", f->dir);
	if (lockfile_lock_dir(&lk, sub, &reader, &d) || lk.fd != -1)
		return 3;
	return 0;
}

static void test_lock_read_only_cache(void **state)
{
	struct fixture *f = *state;
	struct lockfile lk = LOCKFILE_INIT;
	char sub[128];

	assert_int_equal(lockfile_lock_dir(&lk, f->dir, NULL, NULL), 0);
	lockfile_unlock(&lk);
	snprintf(sub, sizeof sub, "%s/sub", f->dir);
	assert_int_equal(mkdir(sub, 0555), 0);
	assert_int_equal(chmod(f->dir, 0555), 0);
	assert_int_equal(as_nobody(read_only_readers, f), 0);
}

/* A FIFO in the lock file's place is replaced, not opened (which would
 * block a reader for ever). */
static void test_lock_fifo(void **state)
{
	struct fixture *f = *state;
	struct lockfile lk = LOCKFILE_INIT;
	struct ed_diag d;
	char path[256];
	struct stat st;

	snprintf(path, sizeof path, "%s/.lock", f->dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_int_equal(lockfile_lock_dir(&lk, f->dir, &(struct lockfile_opts){ .shared = true },
					   &d), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	lockfile_unlock(&lk);
}

/* The temporaries of killed writers go; committed files and other names
 * stay. */
static void test_sweep(void **state)
{
	struct fixture *f = *state;
	struct atomicfile af = ATOMICFILE_INIT;
	char path[256], left[256];
	struct ed_diag d;

	assert_int_equal(atomicfile_open(&af, f->target, &d), 0);
	snprintf(left, sizeof left, "%s", af.tmp);
	close(af.fd); /* the writer dies: nothing aborts it */
	free(af.tmp);
	free(af.path);
	put(f->target, "good\n");
	assert_int_equal(chmod(f->target, 0644), 0);
	snprintf(path, sizeof path, "%s/Packages.abc123", f->dir);
	put(path, "committed\n"); /* a name like a temporary, mode 0644 */
	assert_int_equal(chmod(path, 0644), 0);
	snprintf(path, sizeof path, "%s/notes.txt", f->dir);
	put(path, "x\n");
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(entries(f->dir), 4);
	assert_int_equal(lockfile_sweep(f->dir), 1);
	assert_int_equal(access(left, F_OK), -1);
	assert_int_equal(entries(f->dir), 3);
	assert_string_equal(get(f->target), "good\n");
	assert_int_equal(lockfile_sweep(f->dir), 0);
	snprintf(path, sizeof path, "%s/absent", f->dir);
	assert_int_equal(lockfile_sweep(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_and_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_keeps_previous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_in_missing_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_in_read_only_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_failure_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_excludes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_shared_and_holder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_read_only_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
