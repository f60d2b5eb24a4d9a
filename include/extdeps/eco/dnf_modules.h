/* dnf_modules.h - EL's module streams (the "modules" data of an rpm-md
 * repository, modules.yaml): dnf offers a modular package only when its
 * stream is enabled, by default (a modulemd-defaults document names the
 * stream) or by 'dnf module enable'. Part of the dnf backend (dnf.h).
 */
#ifndef EXTDEPS_DNF_MODULES_H
#define EXTDEPS_DNF_MODULES_H

#include <stddef.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/rpmmd.h"
#include "extdeps/util/diag.h"

/* Read the modules.yaml at PATH (compressed or not) and add to POOL a
 * disabled repository LABEL (left out of every solve) holding the
 * packages of the streams not enabled by default, each with its
 * "MODULE:STREAM" as SOLVABLE_DISTRIBUTION; *NHIDDEN (may be NULL) gets
 * their number. When REPO is not NULL those packages are removed from it,
 * as dnf's modular filtering hides them. ED_EXIT_ENV when the file cannot
 * be read or is not YAML. */
int dnf_modules_load(Pool *pool, Repo *repo, const char *path, const char *label,
		     size_t *nhidden, struct ed_diag *d);

/* For plans: why package P of such a repository cannot be installed, and
 * the command that makes it installable, in POOL's temporary space; NULL
 * when P is not one. (eco_ops.hidden_why) */
const char *dnf_modules_why(Pool *pool, Id p);

/* The "modules" data of an rpm-md repository for rpmmd_load_dir and
 * rpmmd_update: read where repomd.xml names it, its hidden packages in a
 * disabled repository "LABEL:modules". */
extern const struct rpmmd_extra dnf_modules_data;

#endif
