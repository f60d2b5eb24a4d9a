/* lockfile.c - atomic file replacement and cache locks. */
#include "extdeps/util/lockfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/tempclean.h"
#include "extdeps/util/util.h"

/* Fill D with "WHAT 'PATH': strerror(errno)" and keep errno, which the
 * header promises to callers that word their own message. */
static int sys_fail(struct ed_diag *d, const char *what, const char *path)
{
	int err = errno;

	ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "%s '%s': %s", what, path, strerror(err));
	errno = err;
	return ED_EXIT_ENV;
}

/* --- atomic files --- */

/* Free AF's names and mark it as holding nothing. */
static void forget(struct atomicfile *af)
{
	tempclean_forget(af->tmp);
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
	af->fd = -1;
	af->fp = NULL;
}

int atomicfile_open(struct atomicfile *af, const char *path, struct ed_diag *d)
{
	struct strbuf tmp = STRBUF_INIT;

	strbuf_addf(&tmp, "%s.XXXXXX", path);
	af->tmp = strbuf_detach(&tmp);
	af->path = util_strdup(path);
	af->fd = -1;
	af->fp = NULL;
	if (!af->tmp || !af->path) {
		forget(af);
		ed_diag_oom(d);
		errno = ENOMEM;
		return ED_EXIT_ENV;
	}
	/* an update stopped by Ctrl-C leaves no temporary behind */
	af->fd = tempclean_mkostemp(af->tmp, O_CLOEXEC);
	if (af->fd < 0) {
		sys_fail(d, "cannot create a file beside", path);
		forget(af);
		return ED_EXIT_ENV;
	}
	return 0;
}

FILE *atomicfile_fdopen(struct atomicfile *af, struct ed_diag *d)
{
	int err;

	if (!af->fp && !(af->fp = fdopen(af->fd, "w"))) {
		err = errno;
		ed_diag_oom(d);
		errno = err;
	}
	return af->fp;
}

int atomicfile_write(struct atomicfile *af, const void *data, size_t len, struct ed_diag *d)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(af->fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return sys_fail(d, "cannot write", af->tmp);
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* fsync the directory of PATH, so that a rename in it survives a crash.
 * Best effort: the file itself is on disk already. */
static void sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = util_strdup(".");
	else
		dir = util_strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Flush, sync and close the temporary, keeping its name; false with D
 * filled. */
static bool close_tmp(struct atomicfile *af, struct ed_diag *d)
{
	int err = 0;

	errno = 0;
	if (af->fp && (fflush(af->fp) != 0 || ferror(af->fp)))
		err = errno ? errno : EIO; /* an earlier stdio write failed */
	/* Whatever the umask and mkostemp's 0600, a cache file is readable
	 * like the others. Ignored on failure: some file systems have no
	 * modes, and the content is what matters. */
	(void)fchmod(af->fd, 0644);
	if (!err && fsync(af->fd) != 0)
		err = errno;
	if ((af->fp ? fclose(af->fp) : close(af->fd)) != 0 && !err)
		err = errno;
	af->fp = NULL;
	af->fd = -1;
	if (!err)
		return true;
	errno = err;
	sys_fail(d, "cannot write", af->tmp);
	return false;
}

int atomicfile_commit(struct atomicfile *af, struct ed_diag *d)
{
	int rc = ED_EXIT_ENV;

	if (close_tmp(af, d) && !(rc = atomicfile_rename(af->tmp, af->path, d))) {
		forget(af);
		return 0;
	}
	atomicfile_abort(af);
	return rc;
}

void atomicfile_abort(struct atomicfile *af)
{
	int err = errno;

	if (af->fp)
		fclose(af->fp);
	else if (af->fd >= 0)
		close(af->fd);
	if (af->tmp)
		unlink(af->tmp);
	forget(af);
	errno = err;
}

int atomicfile_rename(const char *from, const char *to, struct ed_diag *d)
{
	if (rename(from, to) != 0)
		return sys_fail(d, "cannot replace", to);
	sync_dir_of(to);
	return 0;
}

/* --- locks --- */

/* Sleep MS milliseconds, resumed after a signal. */
static void nap(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Who holds the lock file FD, from what its writer recorded: "process 1234
 * (extdeps update)" into WHO; false when nobody recorded (readers, or a
 * writer gone). */
static bool holder_of(int fd, char *who, size_t size)
{
	char buf[160];
	ssize_t got = pread(fd, buf, sizeof buf - 1, 0);
	char *end, *nl;
	long pid;

	if (got <= 0)
		return false;
	buf[got] = '\0';
	if ((nl = strchr(buf, '\n')))
		*nl = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno || pid <= 0 || end == buf || (*end && *end != ' ') ||
	    (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return false;
	/* what it is: printable characters only, it is shown on a terminal */
	for (char *p = end; *p; p++)
		if ((unsigned char)*p < ' ' || (unsigned char)*p >= 127)
			*p = '?';
	snprintf(who, size, "process %ld%s%s%s", pid, *end ? " (" : "", *end ? end + 1 : "",
		 *end ? ")" : "");
	return true;
}

/* flock FD (HOW: LOCK_EX or LOCK_SH), waiting up to TIMEOUT_MS (0: for
 * ever); O->waiting is told once when the wait begins. False with errno set;
 * EWOULDBLOCK when the time ran out. */
static bool lock_fd(int fd, int how, const char *path, const struct lockfile_opts *o,
		    long timeout_ms)
{
	double deadline = util_now_ms() + (double)timeout_ms;
	long pause_ms = 1;
	bool told = false;

	for (;;) {
		char who[200];

		if (flock(fd, how | LOCK_NB) == 0)
			return true;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			return false;
		if (!told && o && o->waiting) {
			o->waiting(path, holder_of(fd, who, sizeof who) ? who : NULL, o->waiting_ud);
			told = true;
		}
		if (timeout_ms && util_now_ms() >= deadline) {
			errno = EWOULDBLOCK;
			return false;
		}
		/* flock cannot wait with a limit: poll, backing off to 100 ms. */
		nap(pause_ms);
		if (pause_ms < 100)
			pause_ms *= 2;
	}
}

/* Open the lock file PATH (created when absent) for a lock of kind O, as
 * a regular file; *READ_ONLY when only reading was possible. -1 with errno
 * set, or -2 when a reader found neither a writable nor an existing lock
 * file (it reads without one). */
static int open_lock(const char *path, bool shared, bool *read_only)
{
	struct stat st;
	int fd = -1;

	*read_only = false;
	for (int tries = 0; tries < 2; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0644);
		if (fd < 0 && shared && (errno == EACCES || errno == EROFS || errno == EPERM)) {
			int err = errno;

			fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			if (fd < 0 && errno == ENOENT)
				return -2;
			if (fd < 0)
				errno = err;
			*read_only = fd >= 0;
		}
		if (fd < 0)
			return -1;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			return fd;
		/* a FIFO or a device in the lock's place: replaced by a file */
		close(fd);
		if (*read_only || unlink(path) != 0)
			break;
	}
	errno = EINVAL;
	return -1;
}

/* Record this process (and O's holder) in the lock file FD. Best effort: it
 * only names who waits for whom. */
static void record_holder(int fd, const struct lockfile_opts *o)
{
	char line[160];
	int n = snprintf(line, sizeof line, "%ld%s%s\n", (long)getpid(),
			 o && o->holder ? " " : "", o && o->holder ? o->holder : "");

	if (n > 0 && ftruncate(fd, 0) == 0)
		(void)!pwrite(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, 0);
}

int lockfile_lock(struct lockfile *lk, const char *path, const struct lockfile_opts *o,
		  struct ed_diag *d)
{
	long timeout_ms = o && o->timeout_ms > 0 ? o->timeout_ms : 0;
	bool shared = o && o->shared, read_only;
	int fd = open_lock(path, shared, &read_only), err;
	char who[200];

	lk->fd = -1;
	lk->exclusive = false;
	if (fd == -2)
		return 0;
	if (fd < 0) {
		if (errno == EINVAL)
			return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
					   "cannot open '%s': not a regular file", path);
		return sys_fail(d, "cannot open", path);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (!lock_fd(fd, shared ? LOCK_SH : LOCK_EX, path, o, timeout_ms)) {
		err = errno;
		if (err == EWOULDBLOCK)
			ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				    "'%s' is held by %s; gave up waiting after %ld s", path,
				    holder_of(fd, who, sizeof who) ? who : "another process",
				    (timeout_ms + 999) / 1000);
		else
			sys_fail(d, "cannot lock", path);
		close(fd);
		errno = err;
		return ED_EXIT_ENV;
	}
	lk->fd = fd;
	lk->exclusive = !shared && !read_only;
	if (lk->exclusive)
		record_holder(fd, o);
	return 0;
}

int lockfile_lock_dir(struct lockfile *lk, const char *dir, const struct lockfile_opts *o,
		      struct ed_diag *d)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/.lock", dir);

	if (n < 0 || (size_t)n >= sizeof path) {
		lk->fd = -1;
		lk->exclusive = false;
		errno = ENAMETOOLONG;
		return ed_diag_set(d, ED_EXIT_ENV, dir, 0, 0, "cache directory name too long");
	}
	return lockfile_lock(lk, path, o, d);
}

void lockfile_unlock(struct lockfile *lk)
{
	if (lk->fd < 0)
		return;
	/* nobody holds it now: a waiter must not name this process */
	if (lk->exclusive)
		(void)!ftruncate(lk->fd, 0);
	flock(lk->fd, LOCK_UN);
	close(lk->fd);
	lk->fd = -1;
	lk->exclusive = false;
}

/* NAME ends in ".XXXXXX", mkostemp's suffix, after a name of its own. */
static bool temporary_name(const char *name)
{
	size_t len = strlen(name);

	if (len < 8 || name[len - 7] != '.')
		return false;
	for (size_t i = len - 6; i < len; i++)
		if (!isalnum((unsigned char)name[i]))
			return false;
	return true;
}

size_t lockfile_sweep(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	size_t removed = 0;
	int dfd;

	if (!dh)
		return 0;
	dfd = dirfd(dh);
	while ((e = readdir(dh))) {
		struct stat st;

		if (e->d_name[0] == '.' || !temporary_name(e->d_name) ||
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 || st.st_uid != geteuid())
			continue;
		if (unlinkat(dfd, e->d_name, 0) == 0)
			removed++;
	}
	closedir(dh);
	return removed;
}
