/* solvext.h - libsolvext's readers, loaded when one is first needed.
 *
 * libsolvext brings librpm and, through it, Lua, SQLite and libgcrypt: some
 * 4 ms of start-up that commands reading no repository metadata (check,
 * show, map, a plan from .solv caches) should not pay. These are libsolvext's
 * functions under a solvext_ prefix. EXTDEPS_LIBSOLVEXT names another file.
 * Where the build links libsolv statically (built from source, meson.build's
 * EXTDEPS_SOLVEXT_LINKED), libsolvext is linked in: nothing is loaded and
 * EXTDEPS_LIBSOLVEXT is not read.
 *
 * When the library cannot be loaded, the repo_* readers return -1 with the
 * reason in pool_errstr(), and solvext_xfopen returns NULL with errno set
 * to ELIBACC; solvext_strerror() then gives the reason.
 */
#ifndef EXTDEPS_SOLVEXT_H
#define EXTDEPS_SOLVEXT_H

#include <stdio.h>

#include <solv/repo.h>

/* solv_xfopen for reading (MODE "r"): decompressed as PATH's suffix says.
 * Only a regular file is opened (never waiting on a FIFO); errno then is
 * util.h's UTIL_ENOTREG. zstd (.zst, .zstd) is decompressed here, with
 * libzstd: a stream cut inside a frame is a read error (EIO), where
 * libsolv's reader would read it forever. */
FILE *solvext_xfopen(const char *path, const char *mode);
/* The same, decompressed as the file name AS says (a temporary download,
 * PATH.XXXXXX, that will be AS). */
FILE *solvext_xfopen_as(const char *path, const char *as, const char *mode);
int solvext_repo_add_debpackages(Repo *repo, FILE *fp, int flags);
int solvext_repo_add_rpmmd(Repo *repo, FILE *fp, const char *language, int flags);
int solvext_repo_add_repomdxml(Repo *repo, FILE *fp, int flags);
int solvext_repo_add_rpmdb(Repo *repo, Repo *ref, int flags);
int solvext_repo_add_rpmdb_reffp(Repo *repo, FILE *reffp, int flags);
/* libsolv's pacman readers: a sync database's tar stream (decompressed) and
 * a local database directory. Neither reports a damaged stream: check
 * ferror() and what was added. */
int solvext_repo_add_arch_repo(Repo *repo, FILE *fp, int flags);
int solvext_repo_add_arch_local(Repo *repo, const char *dir, int flags);
/* An APKINDEX.tar.gz (FLAGS 0) or apk's installed database (FLAGS
 * APK_ADD_INSTALLED_DB, repo_apk.h's 1 << 8): libsolv reports neither a
 * truncated nor a corrupt stream, so callers check the file themselves. */
int solvext_repo_add_apk_repo(Repo *repo, FILE *fp, int flags);

/* strerror(ERR), or why libsolvext could not be loaded when ERR is the
 * ELIBACC a failed load left. */
const char *solvext_strerror(int err);

#endif
