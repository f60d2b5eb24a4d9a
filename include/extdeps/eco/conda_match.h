/* conda_match.h - conda versions and match specs, on libsolv's own conda
 * support (DISTTYPE_CONDA: conda's version order; REL_CONDA: match specs,
 * as mamba uses it).
 *
 * Ids returned live in the pool; strings from it are the pool's (copy them
 * before the pool changes).
 */
#ifndef EXTDEPS_CONDA_MATCH_H
#define EXTDEPS_CONDA_MATCH_H

#include <stdbool.h>

#include <solv/pool.h>

#include "extdeps/util/diag.h"

/* The longest version or match spec read. */
#define CONDA_SPEC_MAX 1024

/* True when V is a version conda accepts (conda.models.version): an
 * optional integer epoch before '!', a local part after one '+', components
 * separated by '.', '_' or '-', none empty, in [0-9A-Za-z]. */
bool conda_version_valid(const char *v);

/* The dependency for match spec SPEC, as pool_conda_matchspec() makes it:
 * "numpy >=1.20,<2", "python 3.9.* *_cpython", "numpy=1.26=py312*",
 * "conda-forge::numpy", globs and regexes in versions and builds, and the
 * bracket form "numpy[version='>=1.20,<2', build='py312*',
 * build_number='>=1']" (channel and subdir keys are ignored, as libsolv
 * ignores channels). A build_number condition becomes a provide
 * "NAME[build_number=COND]" given to the packages of NAME that meet it
 * (now for the packages already in POOL; conda_finish_repos for those
 * loaded after). 0 with E filled when SPEC is malformed or one of its
 * versions is not conda's. */
Id conda_dep_from_spec(Pool *pool, const char *spec, struct ed_parse_err *e);

#endif
