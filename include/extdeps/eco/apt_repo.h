/* apt_repo.h - a Debian or Ubuntu release other than this machine's: its
 * metadata downloaded from a mirror into the cache, verified, and read back.
 *
 * Layout of the cache directory of a target (apt_repo_dir):
 *   SUITE.InRelease        the verified InRelease of SUITE ("trixie",
 *                          "trixie-updates"), written last by an update, so
 *                          it only ever names index files that are present
 *   SUITE.InRelease.fetch  the downloaded copy (and its .meta: ETag,
 *                          Last-Modified) that conditional requests revalidate
 *   data/SHA256.EXT        the Packages indexes, named by their content: an
 *                          update never overwrites a file an InRelease names,
 *                          so a failed update leaves the previous good set
 *
 * The mirror is eco_opts.mirror, else the URI of the host's apt sources
 * when the host runs the target's distribution, else an error asking for
 * --mirror. InRelease is checked with gpgv (apt_verify.h: which keyring,
 * $EXTDEPS_KEYRING) and read with apt_release.h; every index is checked
 * against its SHA256 and size.
 *
 * Errors: ED_EXIT_ENV for the network, the cache and verification,
 * ED_EXIT_INPUT for a bad --mirror or a target the backend cannot name.
 */
#ifndef EXTDEPS_ECO_APT_REPO_H
#define EXTDEPS_ECO_APT_REPO_H

#include <solv/pool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"

/* The cache directory of O's target: CACHE/apt/DISTRO-RELEASE-ARCH (created).
 * *DIR is malloc'd. */
int apt_repo_dir(const struct eco_opts *o, char **dir, struct ed_diag *d);

/* The mirror for O's target (see above), malloc'd, without a trailing '/'. */
int apt_repo_mirror(const struct eco_opts *o, char **mirror, struct ed_diag *d);

/* eco_ops.update for apt: download and verify the target's InRelease files
 * and indexes into the cache, under its lock. */
int apt_repo_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d);

/* eco_ops.load_available for a target other than the host: the cached
 * indexes as repositories (through the .solv cache, keyed on the indexes'
 * SHA256 from InRelease). Updates first when the cache lacks the target and
 * O->offline is false. */
int apt_repo_load(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
		 struct ed_diag *d);

#endif
