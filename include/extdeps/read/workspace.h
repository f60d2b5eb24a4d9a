/* workspace.h - the projects found under a directory, as rosdep's
 * --from-paths finds a workspace's packages: every pyproject.toml, every
 * wheel's METADATA (in a *.dist-info directory) and every unpacked sdist's
 * PKG-INFO (in a directory without a pyproject.toml, which would say the
 * same), skipping hidden directories, build output (build, dist,
 * __pycache__, node_modules, *.egg-info) and virtual environments (a
 * directory holding pyvenv.cfg).
 */
#ifndef EXTDEPS_READ_WORKSPACE_H
#define EXTDEPS_READ_WORKSPACE_H

#include <stddef.h>

#include "extdeps/util/diag.h"

/* Append to *PATHS (*N entries, util_strv_push) the project files under
 * DIR, sorted by path (byte order). ED_EXIT_INPUT with D filled when DIR is
 * no directory, a directory under it cannot be read, or none is found;
 * ED_EXIT_ENV when out of memory. What was appended stays on error. */
int workspace_find(const char *dir, char ***paths, size_t *n, struct ed_diag *d);

#endif
