/* conda.h - the conda backend's parts, exposed for tests and benchmarks.
 *
 * Everyone else goes through eco_find("conda") (eco.h). The pool uses
 * libsolv's rpm rules on versions encoded by condaver.h; each package is a
 * solvable named as in conda, of arch noarch, whose EVR is
 * "[EPOCH:]ENCODED-BUILDNUMBER" (so the newest version, then the highest
 * build number, wins), with its original version (conda_solvable_version),
 * build string (SOLVABLE_BUILDFLAVOR) and build number (SOLVABLE_BUILDVERSION).
 *
 * Approximations (conda's solver does better):
 *   - build-string matches ("python 3.9.* *_cpython") become a provide
 *     "NAME[build=GLOB]" on every package of NAME whose build string matches
 *     GLOB, added after all repositories of a load are read (or when a job
 *     first uses the match); a build glob in a constrains entry is ignored;
 *   - version globs with '*' inside ("1.*.3") and regexes match any version;
 *   - track_features only rank a build below the featureless builds of the
 *     same version (conda minimises features before versions);
 *   - plans solve on a pool pruned to the best builds of each name per
 *     dependency (prune.h) before the whole channel: when a pruned pool
 *     solves, its solution is taken, which may not be the one conda's
 *     objective (fewest changes, newest overall) would rank first;
 *   - timestamps are not used to break ties, nor are the versions of
 *     dependencies (conda prefers numpy's py312 build over its py311 twin
 *     of the same build number; libsolv takes either).
 */
#ifndef EXTDEPS_CONDA_H
#define EXTDEPS_CONDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/repo.h>

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"

extern const struct eco_ops eco_conda;

/* Refuse repodata larger than this (decompressed); conda-forge's largest
 * subdir is about a quarter of it. */
#define CONDA_REPODATA_MAX ((uint64_t)2 << 30)

/* The conda subdir of this machine ("linux-64", "linux-aarch64", "osx-arm64",
 * ...), or NULL when unknown. */
const char *conda_host_subdir(void);

/* Parse the repodata.json at PATH (plain, or compressed with a suffix
 * libsolv knows: .zst .gz .bz2 .xz) into a new repository NAME of POOL
 * (pool set up by the backend's pool_setup), reading both "packages" and
 * "packages.conda" (a .tar.bz2 record whose .conda twin is present is
 * dropped). Not internalized: call conda_finish_repos. MAX_BYTES (0:
 * CONDA_REPODATA_MAX) bounds the decompressed size. NULL with D filled
 * (ED_EXIT_ENV, PATH:LINE:COL from the parser) on unreadable, corrupt,
 * truncated or oversized input; the pool is then left as it was. *SKIPPED
 * (may be NULL) counts records dropped for an invalid version or spec. */
Repo *conda_load_repodata(Pool *pool, const char *path, const char *name, uint64_t max_bytes,
			  size_t *skipped, struct ed_diag *d);

/* Add the build-string provides (see above) to the N repositories REPOS,
 * for every build match any repository of POOL depends on, then internalize
 * them. */
void conda_finish_repos(Pool *pool, Repo **repos, size_t n);

/* Read PREFIX/conda-meta/ *.json (one installed package each) into REPO.
 * A prefix without conda-meta adds nothing. ED_EXIT_ENV on a corrupt file. */
int conda_load_prefix(Repo *repo, const char *prefix, struct ed_diag *d);

/* Add conda's virtual packages for SUBDIR to REPO: __unix or __win, __linux
 * (kernel release), __glibc (gnu_get_libc_version), __osx, __cuda (the
 * driver's CUDA version, from cuda.h), __archspec; when SUBDIR is not this
 * machine's, only those an override gives and the OS ones. Overrides, as
 * conda reads them: CONDA_OVERRIDE_CUDA, CONDA_OVERRIDE_GLIBC,
 * CONDA_OVERRIDE_LINUX, CONDA_OVERRIDE_OSX, CONDA_OVERRIDE_ARCHSPEC (an
 * empty value removes the package). Returns how many were added. */
size_t conda_add_virtual(Repo *repo, const char *subdir);

/* The libsolv dependency for match spec SPEC ("numpy >=1.20,<2",
 * "python 3.9.* *_cpython"): a relation on the encoded version, ranges as
 * REL_WITH, alternatives as REL_OR, a build match as REL_WITH of the build
 * provide. 0 with E filled when SPEC is malformed. */
Id conda_dep_from_spec(Pool *pool, const char *spec, struct ed_parse_err *e);

/* The requires (appended to REQ) and conflicts (to CON) a package depending
 * on SPEC gets: as conda installs one package per name, a range becomes
 * "requires NAME >= LO" and "conflicts NAME >= HI" (plain relations, which
 * libsolv hashes well), a build match "requires NAME[build=GLOB]";
 * expressions with '|' one dependency as conda_dep_from_spec. False when
 * SPEC is malformed. */
bool conda_spec_deps(Pool *pool, const char *spec, Queue *req, Queue *con);

/* The conflicts (a REL_OR when several) that express "constrains SPEC":
 * packages named as SPEC that do not match it. 0 when nothing is excluded
 * or SPEC is malformed (E says which, when E is given). */
Id conda_constrain_from_spec(Pool *pool, const char *spec, struct ed_parse_err *e);

/* The version of solvable P as conda writes it ("1.26.4"); its EVR when the
 * solvable has none stored. */
const char *conda_solvable_version(Pool *pool, Id p);

/* eco_ops.dep: "NAME OP VERSION" with VERSION a conda version. */
Id conda_dep(Pool *pool, const char *name, int rel, const char *version);

#endif
