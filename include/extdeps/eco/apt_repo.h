/* apt_repo.h - a Debian or Ubuntu release other than this machine's, and
 * the repositories enabled beside a target (eco_opts.repos: another
 * vendor's): their metadata downloaded into the cache, verified, and read
 * back.
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

#include <stdbool.h>

#include <solv/pool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"

/* Another vendor's repository ID enabled beside the target has a directory
 * of its own, CACHE/apt/DISTRO-RELEASE-ARCH+ID, laid out the same way with
 * one suite: its InRelease at URL/dists/SUITE/InRelease, or for a flat
 * repository ("deb URL /") at URL/InRelease with the indexes it lists
 * (URL/Packages.xz), kept as flat.InRelease; it is verified with the
 * repository's keyring (eco_repo.keyring, under the root) unless
 * $EXTDEPS_KEYRING names one.
 *
 * The cache directory of O's target: CACHE/apt/DISTRO-RELEASE-ARCH (created).
 * *DIR is malloc'd. */
int apt_repo_dir(const struct eco_opts *o, char **dir, struct ed_diag *d);

/* Whether the cache holds O's target as an update left it (a verified
 * InRelease). */
bool apt_repo_cached(const struct eco_opts *o);

/* The mirror for O's target (see above), malloc'd, without a trailing '/'. */
int apt_repo_mirror(const struct eco_opts *o, char **mirror, struct ed_diag *d);

/* eco_ops.update for apt: download and verify the target's InRelease files
 * and indexes into the cache, under its lock (not when O->host: apt-get
 * update's business), then those of each repository enabled beside it that
 * is extdeps' to fetch (another vendor's, unless the target is this machine
 * and its apt sources have it). */
int apt_repo_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d);

struct apt_sources;

/* Whether this machine's apt sources HOST have R: another vendor's
 * repository at R's url or home_url and suite, or R's component. */
bool apt_repo_on_host(const struct apt_sources *host, const struct eco_repo *r);

/* The repositories enabled beside O's target (eco_opts.repos) into POOL,
 * after the target's: another vendor's from its cache, as apt_repo_load
 * reads the target's (updated first when the cache lacks it and O->offline
 * is false). HOST: this machine's apt sources when O->host, else NULL; a
 * repository they have is in the lists already (nothing added), and a
 * component they lack is ED_EXIT_ENV, naming its enable commands. A
 * component of another release is among its indexes already. ST (not
 * NULL) accumulates. */
int apt_repo_load_enabled(Pool *pool, const struct eco_opts *o, const struct apt_sources *host,
			  struct eco_load_stats *st, struct ed_diag *d);

/* eco_ops.load_available for a target other than the host: the cached
 * indexes as repositories (through the .solv cache, keyed on the indexes'
 * SHA256 from InRelease). Updates first when the cache lacks the target and
 * O->offline is false. */
int apt_repo_load(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
		 struct ed_diag *d);

#endif
