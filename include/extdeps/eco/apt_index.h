/* apt_index.h - Debian's package indexes read into libsolv repositories:
 * a Packages list (plain, .gz, .xz, .zst, .bz2 or .lz4), with the download
 * sizes libsolv's reader leaves out, and dpkg's status file as the
 * installed repository.
 */
#ifndef EXTDEPS_ECO_APT_INDEX_H
#define EXTDEPS_ECO_APT_INDEX_H

#include <stdio.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/util/diag.h"

/* Open PATH for reading, decompressing by suffix: .lz4 through liblz4's
 * frame API, the others through libsolv's solv_xfopen (.gz .xz .zst .bz2;
 * anything else as plain). A decompression error makes reads fail (ferror).
 * NULL with errno set when the file cannot be opened. */
FILE *apt_open_list(const char *path);

/* Parse the Packages list at PATH into a new repository LABEL of POOL,
 * setting SOLVABLE_DOWNLOADSIZE from each stanza's Size: field, and
 * internalize it. Returns the repository, or NULL with D filled
 * (ED_EXIT_ENV) when the file cannot be read or is corrupt; the pool is then
 * left as it was. */
Repo *apt_load_list(Pool *pool, const char *path, const char *label, struct ed_diag *d);

/* Read dpkg's status file at PATH into a new repository "@System" of POOL,
 * keeping only packages whose status is installed (or installed with
 * triggers pending): config-files, half-installed, unpacked and
 * not-installed stanzas are dropped. Does not call pool_set_installed. */
Repo *apt_load_status(Pool *pool, const char *path, struct ed_diag *d);

#endif
