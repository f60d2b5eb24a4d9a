/* conda.h - the conda backend: conda-forge and other conda channels.
 *
 * Everyone else goes through eco_find("conda") (eco.h). Its parts, each
 * with its header, for tests and benchmarks:
 *   conda_match.h     match specs as libsolv dependencies
 *   conda_repodata.h  repodata.json (and conda-meta records) into a pool
 *   conda_virtual.h   the virtual packages of a subdir (__glibc, __cuda)
 *
 * The pool uses libsolv's rpm rules on versions encoded by condaver.h;
 * each package is a solvable named as in conda, of arch noarch, whose EVR
 * is "[EPOCH:]ENCODED-BUILDNUMBER" (so the newest version, then the highest
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

#include "extdeps/eco/eco.h"

extern const struct eco_ops eco_conda;

#endif
