/* apk.h - the apk backend's parts, exposed for tests.
 *
 * Everyone else goes through eco_find("apk") (eco.h). The target is an
 * Alpine release and architecture ("--distro=alpine:3.21", "alpine:edge",
 * --arch in Alpine's spelling or any the architecture table knows: x86 is
 * i686, armv7 armv7l). Its repositories are main and community, each one
 * APKINDEX.tar.gz under MIRROR/vRELEASE/REPO/ARCH/ (MIRROR/edge/... for
 * edge), kept in CACHE/apk/alpine-RELEASE-ARCH/REPO/. MIRROR is --mirror,
 * else the one this machine's /etc/apk/repositories names, else Alpine's
 * CDN. This machine as the target reads the repositories that file lists.
 *
 * The index is read by libsolv's apk reader (repo_add_apk_repo), which
 * reports neither a truncated nor a corrupt gzip stream: apk_load_index
 * checks the streams first. The RSA signature apk checks against the keys
 * of /etc/apk/keys is not checked: the index is trusted as https delivers
 * it, as conda's and Homebrew's metadata are.
 */
#ifndef EXTDEPS_APK_H
#define EXTDEPS_APK_H

#include <stdbool.h>
#include <stddef.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"

extern const struct eco_ops eco_apk;

/* The most bytes an APKINDEX.tar.gz may hold, compressed and not: Alpine's
 * largest (edge's community) is some 3 MB compressed, 12 MB not. */
#define APK_INDEX_MAX ((unsigned long long)64 << 20)
#define APK_INDEX_UNPACKED_MAX ((unsigned long long)512 << 20)

/* The APKINDEX.tar.gz (or apk v3 index) at PATH as a new repository LABEL
 * of POOL, internalized. AS names the file for messages and for its
 * compression (PATH may be a temporary download). NULL with D filled
 * (ED_EXIT_ENV) when it cannot be read, is not an index, is truncated or
 * corrupt (a gzip stream cut short or failing its CRC), unpacks to more
 * than APK_INDEX_UNPACKED_MAX bytes or holds no package. */
Repo *apk_load_index(Pool *pool, const char *path, const char *as, const char *label,
		     struct ed_diag *d);

/* apk's installed database under ROOT (ROOT/lib/apk/db/installed) as a new
 * repository "@System" of POOL, empty when there is none. NULL with D
 * filled (ED_EXIT_ENV) when it exists and cannot be read. */
Repo *apk_load_installed_db(Pool *pool, const char *root, struct ed_diag *d);

/* The dependencies of the virtual package NAME (".extdeps-build") that
 * apk's installed database under ROOT records, as apk add takes them
 * ("zlib-dev", "openblas-dev>=0.3"), into *OUT (*N of them; free with
 * util_strv_free); none when it is not installed. False when out of
 * memory or the database cannot be read. */
bool apk_virtual_deps(const char *root, const char *name, char ***out, size_t *n);

/* Alpine's name of architecture ARCH, given in Alpine's spelling or any the
 * architecture table (arch.h) knows; NULL when Alpine builds none. */
const char *apk_arch(const char *arch);

#endif
