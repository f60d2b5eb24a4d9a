/* conda.h - the conda backend: conda-forge and other conda channels.
 *
 * Everyone else goes through eco_find("conda") (eco.h). Its parts, each
 * with its header, for tests and benchmarks:
 *   conda_match.h     match specs as libsolv dependencies
 *   conda_repodata.h  repodata.json (and conda-meta records) into a pool
 *   conda_virtual.h   the virtual packages of a subdir (__glibc, __cuda)
 *
 * The pool is libsolv's conda pool (DISTTYPE_CONDA), as mamba's: conda's
 * version order, match specs as REL_CONDA dependencies (globs, regexes,
 * build strings), constrains, and libsolv's conda policy among the builds
 * of a name (fewest track_features, then the highest version, channel
 * priority, build number). Each package is a solvable named as in conda,
 * of arch noarch (the subdir was chosen when loading), whose EVR is its
 * version as conda writes it.
 *
 * Plans solve on a pool pruned to the best builds of each name per
 * dependency (prune.h) before the whole channel: libsolv makes a conflict
 * rule for every pair of builds of a name a request reaches, which at
 * conda-forge's scale (thousands of builds of python) is more than a plan
 * can afford. A solution of a pruned pool is one of the whole channel.
 *
 * A load told the names a plan asks about (eco_opts.names; on this machine
 * with those installed in the active environment) keeps only the packages
 * those names reach through their depends: from a sharded
 * channel it reads no other shard, from repodata.json it narrows the whole
 * channel to that closure and caches it for the same names. The order of
 * the packages is the whole channel's either way: libsolv's choices
 * between equal solutions follow it.
 */
#ifndef EXTDEPS_CONDA_H
#define EXTDEPS_CONDA_H

#include "extdeps/eco/eco.h"

extern const struct eco_ops eco_conda;

#endif
