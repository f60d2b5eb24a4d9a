/* pacman.h - the pacman backend's parts (Arch Linux), exposed for tests.
 *
 * Everyone else goes through eco_find("pacman") (eco.h). The target is
 * Arch Linux, a rolling release, on one architecture ("--distro=arch",
 * --arch). Its metadata is the sync databases core.db and extra.db (tar
 * archives, gzip'd or otherwise compressed, of one directory per package
 * holding a `desc` file: %NAME%, %VERSION%, %PROVIDES%, %DEPENDS% ...):
 * on an Arch machine those pacman keeps in /var/lib/pacman/sync for the
 * repositories /etc/pacman.conf names, otherwise those `extdeps update`
 * downloads into CACHE/pacman/arch-ARCH/ from --mirror, the Server the
 * host's pacman.conf (or the mirror list it includes) gives for each
 * repository, or Arch's geographic mirror. The installed set is pacman's
 * local database, /var/lib/pacman/local.
 *
 * Versions are ordered as pacman's vercmp orders them (epoch:version-rel,
 * and a letter right after a digit starts a pre-release: 1.0a < 1.0 <
 * 1.0.a < 1.0.1), which is libsolv's rpm order once such a letter is
 * preceded by '~' in the pool; versions are shown without it. '~' and
 * '^', separators to pacman but not to rpm, are stored as '.', and shown
 * so.
 */
#ifndef EXTDEPS_PACMAN_H
#define EXTDEPS_PACMAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"

extern const struct eco_ops eco_pacman;

/* VERSION (a pacman version, "1:2.0rc1-3") as the pool stores it, into OUT
 * (SIZE bytes; twice VERSION's length suffices): '~' before each letter
 * that follows a digit, and '~' and '^' (separators to pacman, special
 * to rpm's order) written '.'. False when it does not fit. */
bool pacman_evr_encode(const char *version, char *out, size_t size);

/* The pool's version EVR as pacman writes it (the '~' encode added taken
 * out), into OUT. */
void pacman_evr_decode(const char *evr, char *out, size_t size);

/* Load the sync database at PATH into a new repository LABEL of POOL,
 * reading at most MAX_BYTES of it decompressed (0: 256 MiB, five times
 * extra.db). NULL with D filled (ED_EXIT_ENV, naming PATH) when it cannot
 * be read, is not a compressed tar archive, does not decompress whole
 * (truncated or corrupt), is larger, has more than padding after its
 * archive, or lists no package. */
Repo *pacman_load_db(Pool *pool, const char *path, const char *label, uint64_t max_bytes,
		     struct ed_diag *d);

/* pacman's local database under ROOT (ROOT/var/lib/pacman/local) as a new
 * repository "@System" of POOL; empty where there is none. NULL with D
 * filled when it exists and cannot be read. */
Repo *pacman_load_local(Pool *pool, const char *root, struct ed_diag *d);

#define PACMAN_REPOS_MAX 16

/* The repositories pacman.conf enables, in its order, each with the first
 * Server it gives (directly or from an Include'd mirror list; "" when
 * none), with $repo and $arch as written. */
struct pacman_conf {
	size_t n;
	char repo[PACMAN_REPOS_MAX][64];
	char server[PACMAN_REPOS_MAX][1024];
};

/* Read ROOT/etc/pacman.conf (Include paths are read under ROOT too) into
 * C. False, C empty, when there is none; a repository section without a
 * name that can be a file name is left out. */
bool pacman_conf_read(const char *root, struct pacman_conf *c);

#endif
