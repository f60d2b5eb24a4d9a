/* lockfile.c - atomic file replacement and cache locks. */
#include "extdeps/util/lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extdeps/util/strbuf.h"
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
	af->fd = mkostemp(af->tmp, O_CLOEXEC);
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

/* flock FD exclusively, waiting up to TIMEOUT_MS (0: for ever). False with
 * errno set; EWOULDBLOCK when the time ran out. */
static bool lock_fd(int fd, long timeout_ms)
{
	double deadline = util_now_ms() + (double)timeout_ms;
	long pause_ms = 1;

	for (;;) {
		if (flock(fd, timeout_ms ? LOCK_EX | LOCK_NB : LOCK_EX) == 0)
			return true;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK || util_now_ms() >= deadline)
			return false;
		/* flock cannot wait with a limit: poll, backing off to 50 ms. */
		nap(pause_ms);
		if (pause_ms < 50)
			pause_ms *= 2;
	}
}

int lockfile_lock(struct lockfile *lk, const char *path, const struct lockfile_opts *o,
		  struct ed_diag *d)
{
	long timeout_ms = o && o->timeout_ms > 0 ? o->timeout_ms : 0;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	lk->fd = -1;
	if (fd < 0)
		return sys_fail(d, "cannot open", path);
	if (!lock_fd(fd, timeout_ms)) {
		int err = errno;

		if (err == EWOULDBLOCK)
			ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "'%s' is held by another process",
				    path);
		else
			sys_fail(d, "cannot lock", path);
		close(fd);
		errno = err;
		return ED_EXIT_ENV;
	}
	lk->fd = fd;
	return 0;
}

int lockfile_lock_dir(struct lockfile *lk, const char *dir, const struct lockfile_opts *o,
		      struct ed_diag *d)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/.lock", dir);

	if (n < 0 || (size_t)n >= sizeof path) {
		lk->fd = -1;
		errno = ENAMETOOLONG;
		return ed_diag_set(d, ED_EXIT_ENV, dir, 0, 0, "cache directory name too long");
	}
	return lockfile_lock(lk, path, o, d);
}

void lockfile_unlock(struct lockfile *lk)
{
	if (lk->fd < 0)
		return;
	flock(lk->fd, LOCK_UN);
	close(lk->fd);
	lk->fd = -1;
}
