/* lockfile.h - atomic file replacement and cache locks (after git's
 * tempfile.h and lockfile.h).
 *
 * Every writer of a cache file goes through here, so that a reader never
 * sees a half-written file under its name and concurrent runs never write
 * the same directory at once.
 *
 * An atomic file (struct atomicfile) is a temporary file beside its target,
 * PATH.XXXXXX in the same directory (a rename across file systems would not
 * be atomic). It is written through its descriptor or a FILE, then either
 * committed (flushed, fsync'ed, made 0644, renamed over the target, the
 * directory fsync'ed) or aborted (closed and unlinked). Until the commit the
 * target keeps its previous content, or stays absent.
 *
 *	struct atomicfile af = ATOMICFILE_INIT;
 *
 *	if ((rc = atomicfile_open(&af, path, d)) ||
 *	    (rc = atomicfile_write(&af, data, len, d)))
 *		goto out;
 *	rc = atomicfile_commit(&af, d);
 *   out:
 *	atomicfile_abort(&af);
 *
 * A lock (struct lockfile) is an exclusive flock on a file, DIR/.lock for a
 * cache directory. flock locks belong to the open file: they are released
 * by lockfile_unlock, by the process exiting, and are not inherited across
 * exec (the descriptor is close-on-exec).
 *
 * Ownership: both structs are embedded by the caller and start from their
 * _INIT value; the module owns what they point to. Fields are for reading.
 * atomicfile_abort and lockfile_unlock accept a struct that holds nothing,
 * so a cleanup path calls them unconditionally.
 *
 * Errors: functions returning int return 0 or ED_EXIT_ENV with D filled
 * (the path concerned as D->file and in the message, with strerror's
 * reason), and leave errno set to the cause, for a caller that words the
 * message itself. D may be NULL where the reason is not wanted (a cache
 * that cannot be written only costs speed). They never print.
 */
#ifndef EXTDEPS_UTIL_LOCKFILE_H
#define EXTDEPS_UTIL_LOCKFILE_H

#include <stddef.h>
#include <stdio.h>

#include "extdeps/util/diag.h"

struct atomicfile {
	char *path; /* the target; NULL when none is open */
	char *tmp;  /* the temporary beside it; NULL when none is open */
	int fd;     /* the temporary's descriptor; -1 when none is open */
	FILE *fp;   /* from atomicfile_fdopen, over FD; NULL until then */
};

#define ATOMICFILE_INIT { NULL, NULL, -1, NULL }

/* Create the temporary for PATH (mode 0600 until the commit, O_CLOEXEC). AF
 * must hold nothing. On failure AF holds nothing and no file was created:
 * "cannot create a file beside 'PATH': reason" (a missing or read-only
 * directory), or "out of memory". */
int atomicfile_open(struct atomicfile *af, const char *path, struct ed_diag *d);

/* A stdio stream over the temporary, made on the first call and owned by AF
 * (atomicfile_commit flushes and closes it; do not fclose it). Write either
 * through it or through AF->fd, not both. NULL with D filled when out of
 * memory. */
FILE *atomicfile_fdopen(struct atomicfile *af, struct ed_diag *d);

/* Write LEN bytes of DATA to the temporary's descriptor, whole (retried on
 * EINTR and short writes). Failure: "cannot write 'TMP': reason", D->file
 * is the temporary; AF stays open for the caller to abort. */
int atomicfile_write(struct atomicfile *af, const void *data, size_t len, struct ed_diag *d);

/* Replace the target by the temporary: flush, fsync, close, chmod 0644,
 * rename, fsync the directory. AF holds nothing afterwards, success or not;
 * on failure the temporary is removed and the target is as it was:
 *   "cannot write 'TMP': reason"      flushing, syncing or closing failed
 *   "cannot replace 'PATH': reason"   the rename failed */
int atomicfile_commit(struct atomicfile *af, struct ed_diag *d);

/* Drop the temporary: close and unlink it; the target is untouched. Does
 * nothing when AF holds nothing (after a commit, a failed open, or never
 * opened). Preserves errno. */
void atomicfile_abort(struct atomicfile *af);

/* Move the complete file FROM over TO (both in one directory), then fsync
 * the directory: for a file downloaded under a name of its own and put in
 * place once the files it names have been fetched. On failure FROM stays:
 * "cannot replace 'TO': reason". */
int atomicfile_rename(const char *from, const char *to, struct ed_diag *d);

struct lockfile {
	int fd; /* the locked file's descriptor; -1 when not held */
};

#define LOCKFILE_INIT { -1 }

struct lockfile_opts {
	/* How long to wait for another holder, in milliseconds; 0 waits as
	 * long as it takes. */
	long timeout_ms;
};

/* Take an exclusive lock on the file PATH, created (0644, empty) when
 * absent, waiting while another open file holds it (a second run waits,
 * then finds the cache fresh). O may be NULL: wait. LK must not be held.
 * Failure, with LK not held:
 *   "cannot open 'PATH': reason"
 *   "cannot lock 'PATH': reason"
 *   "'PATH' is held by another process" (the timeout passed; errno is
 *   EWOULDBLOCK) */
int lockfile_lock(struct lockfile *lk, const char *path, const struct lockfile_opts *o,
		  struct ed_diag *d);

/* lockfile_lock on DIR/.lock, the lock of a cache directory; further
 * failure: "cache directory name too long" (D->file is DIR). */
int lockfile_lock_dir(struct lockfile *lk, const char *dir, const struct lockfile_opts *o,
		      struct ed_diag *d);

/* Release LK (closing its descriptor); nothing when not held. The lock file
 * stays, empty: removing it would race with a process opening it. */
void lockfile_unlock(struct lockfile *lk);

#endif
