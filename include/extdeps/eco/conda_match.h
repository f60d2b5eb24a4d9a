/* conda_match.h - conda match specs as libsolv dependencies, on a pool set
 * up by the conda backend (conda.h: versions encoded by condaver.h).
 *
 * Ids returned live in the pool; strings from it are the pool's (copy them
 * before the pool changes).
 */
#ifndef EXTDEPS_CONDA_MATCH_H
#define EXTDEPS_CONDA_MATCH_H

#include <solv/pool.h>

#include "extdeps/util/diag.h"

/* The libsolv dependency for match spec SPEC ("numpy >=1.20,<2",
 * "python 3.9.* *_cpython"): a relation on the encoded version, ranges as
 * REL_WITH, alternatives as REL_OR, a build match as REL_WITH of the build
 * provide (given to the matching packages now when no repository asked for
 * it). 0 with E filled when SPEC is malformed. */
Id conda_dep_from_spec(Pool *pool, const char *spec, struct ed_parse_err *e);

/* The version of solvable P as conda writes it ("1.26.4"); its EVR when the
 * solvable has none stored. */
const char *conda_solvable_version(Pool *pool, Id p);

#endif
