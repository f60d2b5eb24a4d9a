/* conda_repodata.h - a channel's repodata.json into a libsolv repository,
 * streamed (jsonstream.h): conda-forge's largest subdir is half a GiB of
 * JSON.
 *
 * Each record becomes a solvable as conda.h describes, with what libsolv's
 * own reader (repo_add_conda) sets: its depends as requires and its
 * constrains as SOLVABLE_CONSTRAINS, both match specs (conda_match.h),
 * build string, build number, timestamp, track_features. Records conda
 * would refuse (an invalid version or spec) are skipped and counted.
 */
#ifndef EXTDEPS_CONDA_REPODATA_H
#define EXTDEPS_CONDA_REPODATA_H

#include <stddef.h>
#include <stdint.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/util/diag.h"

/* Refuse repodata larger than this (decompressed, and as downloaded);
 * conda-forge's largest subdir is about half of it. */
#define CONDA_REPODATA_MAX ((uint64_t)1 << 30)
/* Refuse a compressed repodata.json.zst download larger than this. */
#define CONDA_REPODATA_ZST_MAX ((uint64_t)256 << 20)

/* Parse the repodata.json at PATH (plain, or compressed with a suffix
 * libsolv knows: .zst .gz .bz2 .xz) into a new repository NAME of POOL
 * (pool set up by the backend's pool_setup), reading both "packages" and
 * "packages.conda" (a .tar.bz2 record whose .conda twin is present is
 * dropped). Not internalized: call conda_finish_repos. MAX_BYTES (0:
 * CONDA_REPODATA_MAX) bounds the decompressed size. NULL with D filled
 * (ED_EXIT_ENV) on unreadable, corrupt, truncated or oversized input:
 * "invalid repository metadata: REASON" at PATH:LINE:COL, "repository
 * metadata larger than N bytes", "cannot read 'PATH': REASON"; the pool is
 * then left as it was. *SKIPPED (may be NULL) counts records dropped for an
 * invalid version or spec. */
Repo *conda_load_repodata(Pool *pool, const char *path, const char *name, uint64_t max_bytes,
			  size_t *skipped, struct ed_diag *d);

/* Whether the repodata at PATH, decompressed as the file name AS says (a
 * download PATH about to become AS), reads whole, within the limits above:
 * 0, or ED_EXIT_ENV with D saying why (conda_load_repodata's messages). */
int conda_check_repodata(const char *path, const char *as, struct ed_diag *d);

/* Internalize the N repositories REPOS, then give them the build-number
 * provides (conda_match.h) of every build_number condition any repository
 * of POOL depends on. */
void conda_finish_repos(Pool *pool, Repo **repos, size_t n);

#endif
