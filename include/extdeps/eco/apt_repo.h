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
 * --mirror. InRelease is checked with gpgv against the distribution's
 * keyring (/usr/share/keyrings/DISTRO-archive-keyring.gpg) when it exists;
 * $EXTDEPS_KEYRING=FILE names another keyring, $EXTDEPS_KEYRING=none turns
 * the check off. Every index is checked against InRelease's SHA256 and size.
 *
 * Errors: ED_EXIT_ENV for the network, the cache and verification,
 * ED_EXIT_INPUT for a bad --mirror or a target the backend cannot name.
 */
#ifndef EXTDEPS_APT_REPO_H
#define EXTDEPS_APT_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <time.h>

#include <solv/pool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"

/* One line of InRelease's SHA256 section. */
struct apt_repo_file {
	char *path;      /* relative to dists/SUITE: "main/binary-amd64/Packages.xz" */
	uint64_t size;
	char sha256[65]; /* lower-case hex */
};

/* What extdeps needs of a Release file. */
struct apt_repo_release {
	char *suite;     /* Suite:, or NULL */
	char *codename;  /* Codename:, or NULL */
	char **components;
	size_t ncomponents;
	char **archs;    /* Architectures: */
	size_t narchs;
	bool all_in_arch_indexes; /* No-Support-for-Architecture-all: the
				   * binary-ARCH indexes hold the "all"
				   * packages too; binary-all is not needed */
	struct apt_repo_file *files;
	size_t nfiles, files_alloc; /* used, and allocated (ALLOC_GROW) */
	time_t valid_until; /* Valid-Until:, 0 when absent */
};

/* Parse the Release text TEXT (LEN bytes; the content of a clear-signed
 * InRelease, without its armour) named NAME in messages. ED_EXIT_ENV with
 * NAME:LINE:COL when a SHA256 line or the Valid-Until date is malformed,
 * when the SHA256 section or
 * the Components field is absent. */
int apt_repo_release_parse(const char *text, size_t len, const char *name,
			  struct apt_repo_release *r, struct ed_diag *d);
void apt_repo_release_fini(struct apt_repo_release *r);

/* The SHA256 entry of PATH, or NULL. */
const struct apt_repo_file *apt_repo_release_find(const struct apt_repo_release *r,
						const char *path);

/* The signed text of a clear-signed message TEXT (the lines between the
 * armour headers, dash-escaping undone) as a malloc'd string and its
 * length; TEXT itself (copied) when it is not clear-signed. NULL when out of
 * memory or the armour is broken. */
char *apt_repo_clearsigned_text(const char *text, size_t len, size_t *out_len);

/* The Packages index of COMPONENT and ARCH to download: of the
 * ".xz", ".gz" and plain files InRelease lists, the first in that order;
 * NULL when it lists none. */
const struct apt_repo_file *apt_repo_release_index(const struct apt_repo_release *r,
						 const char *component, const char *arch);

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
