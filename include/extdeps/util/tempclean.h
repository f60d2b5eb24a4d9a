/* tempclean.h - temporary files removed when a signal ends the process.
 *
 * As git's tempfile.c does: an update stopped with Ctrl-C, by a CI job's
 * timeout (SIGTERM) or by a closed pipe leaves no PATH.XXXXXX behind.
 * util/lockfile.h's atomic files register their temporaries here. On the
 * first registration, handlers are installed for SIGHUP, SIGINT, SIGQUIT,
 * SIGPIPE and SIGTERM, only where the disposition is still the default (a
 * signal ignored, or handled by whoever embeds the core, is left alone); a
 * handler removes the files the process registered, then the signal takes
 * its default course. SIGKILL cannot be caught: what it leaves,
 * lockfile_sweep removes when the directory is next written.
 *
 * At most TEMPCLEAN_MAX files are registered at once; further ones are left
 * to the sweep. One thread; a forked child's files are its own.
 */
#ifndef EXTDEPS_UTIL_TEMPCLEAN_H
#define EXTDEPS_UTIL_TEMPCLEAN_H

#define TEMPCLEAN_MAX 32

/* Remove PATH if a signal ends the process before tempclean_forget(PATH).
 * PATH is borrowed: it must stay valid until then. */
void tempclean_add(const char *path);

/* mkostemp(TMPL, FLAGS), the file registered as tempclean_add does, with
 * the signals above blocked in between so that none can leave it behind.
 * Returns the descriptor, or -1 with errno set (nothing registered). */
int tempclean_mkostemp(char *tmpl, int flags);

/* PATH is no longer removed (committed, or removed already). */
void tempclean_forget(const char *path);

/* How many files are registered now: for tests. */
int tempclean_count(void);

#endif
