/* pypi.h - the pypi backend: the wheels installed in the site-packages of
 * the Python that will build, the database `check` reads for the pypi
 * ecosystem (mappings/pypi.yaml).
 *
 * PyPI's index is not read: the backend solves nothing and only fills
 * eco_ops' database fields (eco.h), so that `map` names wheels and `check`
 * counts those installed, while `plan` and `install` refuse the target as
 * they refuse every ecosystem no backend solves.
 *
 * Everyone else goes through eco_find("pypi") and the check's databases;
 * the reader is exposed for tests.
 */
#ifndef EXTDEPS_ECO_PYPI_H
#define EXTDEPS_ECO_PYPI_H

#include <stddef.h>

#include "extdeps/eco/eco.h"
#include "extdeps/eco/installed.h"
#include "extdeps/util/diag.h"

extern const struct eco_ops eco_pypi;

/* NAME (its first LEN bytes) as PEP 503 normalises it: lower case, each run
 * of '-', '_' and '.' one '-' ("Nvidia_CUDNN.cu12" -> "nvidia-cudnn-cu12").
 * Into OUT (SIZE bytes, cut to fit); returns its length. */
size_t pypi_normalize(const char *name, size_t len, char *out, size_t size);

/* Read the wheels installed in the site-packages directories DIRS (N of
 * them, in Python's order) into a database of kind "pypi" whose source is
 * DIRS joined with ':'. Each NAME-VERSION.dist-info directory gives its
 * METADATA's Name (else the directory's NAME) normalised, and its Version;
 * a dist-info without METADATA gives the directory's NAME and VERSION. A
 * name found in an earlier directory shadows the later ones, as it does
 * for Python's imports. What cannot be read is skipped, never an error: a
 * directory that cannot be listed, a METADATA that is not a readable
 * regular file or has no Version. NULL, with D filled, only when out of
 * memory. */
struct installed *pypi_open_site(const char *const *dirs, size_t n, struct ed_diag *d);

#endif
