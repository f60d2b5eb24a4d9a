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
 * A lock (struct lockfile) is a flock on a file, DIR/.lock for a cache
 * directory: exclusive for a writer, shared for readers (several at once,
 * none beside a writer). flock locks belong to the open file: they are
 * released by lockfile_unlock, by the process exiting, and are not inherited
 * across exec (the descriptor is close-on-exec). A writer records its
 * process id (and what it is, LOCKFILE_OPTS.holder) in the lock file, so
 * that whoever waits can say who holds it; it empties the file when it lets
 * go. A wait has a limit (LOCKFILE_OPTS.timeout_ms), and a caller may be told
 * when one begins (LOCKFILE_OPTS.waiting).
 *
 * A temporary is removed when a signal the process may catch ends it
 * (util/tempclean.h). Temporaries left by a writer that was killed
 * (PATH.XXXXXX, still mode 0600: a commit makes a file 0644) are removed by
 * lockfile_sweep, which a writer runs on a directory once it holds its
 * lock.
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

#include <stdbool.h>
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
	bool exclusive;
};

#define LOCKFILE_INIT { -1, false }

struct lockfile_opts {
	/* How long to wait for another holder, in milliseconds; 0 waits as
	 * long as it takes. */
	long timeout_ms;
	/* A reader's lock: shared with other readers. A reader of a cache it
	 * cannot write (another user's, a read-only mount) opens the lock file
	 * read-only, and reads without a lock when there is no lock file to
	 * open: nobody writes such a cache through extdeps under this user. */
	bool shared;
	/* What the holder is ("extdeps update"), written after the process id
	 * by a writer; NULL: the process id alone. */
	const char *holder;
	/* Called once, before waiting, when another process holds the lock:
	 * PATH the lock file, WHO "process 1234 (extdeps update)", or NULL
	 * when the holder is not known (readers). NULL: not called. */
	void (*waiting)(const char *path, const char *who, void *ud);
	void *waiting_ud;
};

/* Take a lock on the file PATH, created (0644, empty) when absent, waiting
 * while another open file holds it (a second run waits, then finds the cache
 * fresh). O may be NULL: exclusive, waiting as long as it takes. LK must not
 * be held. A lock file that is not a regular file (a FIFO) is replaced.
 * Failure, with LK not held:
 *   "cannot open 'PATH': reason"
 *   "cannot lock 'PATH': reason"
 *   "'PATH' is held by WHO; gave up waiting after N s" (the timeout passed;
 *   errno is EWOULDBLOCK; WHO "process 1234 (extdeps update)", or "another
 *   process" when not known) */
int lockfile_lock(struct lockfile *lk, const char *path, const struct lockfile_opts *o,
		  struct ed_diag *d);

/* lockfile_lock on DIR/.lock, the lock of a cache directory; further
 * failure: "cache directory name too long" (D->file is DIR). */
int lockfile_lock_dir(struct lockfile *lk, const char *dir, const struct lockfile_opts *o,
		      struct ed_diag *d);

/* Release LK (closing its descriptor); nothing when not held. The lock file
 * stays, emptied by a writer: removing it would race with a process opening
 * it. */
void lockfile_unlock(struct lockfile *lk);

/* Remove from DIR the temporaries of atomic files whose writer was killed:
 * regular files named NAME.XXXXXX (mkostemp's six letters and digits) that
 * are still readable by their owner only. Call with DIR's lock held
 * exclusively by every writer of DIR, so that none of them is in use. Best
 * effort: errors are ignored. Returns how many were removed. */
size_t lockfile_sweep(const char *dir);

#endif
