/* backends.h - the ecosystem backends (eco.h's struct eco_ops), found by
 * name, by the ecosystems they serve, and by their formats. */
#ifndef EXTDEPS_ECO_BACKENDS_H
#define EXTDEPS_ECO_BACKENDS_H

#include "extdeps/eco/eco.h"

/* Every backend, sorted by name, NULL-terminated: the one table a new
 * backend is added to (src/eco/backends.c). */
extern const struct eco_ops *const eco_backends[];

/* The commands of the package managers `platform` looks for on PATH
 * (those no backend solves yet too), NULL-terminated. */
extern const char *const eco_pm_commands[];

/* The backend called NAME ("apt"), or NULL when there is none. */
const struct eco_ops *eco_find(const char *name);

/* The backend whose shell_format is FORMAT, or NULL. */
const struct eco_ops *eco_for_shell_format(const char *format);

/* The backend serving registry ecosystem ECOSYSTEM ("ubuntu" -> apt), or
 * NULL when none does: a database-only backend (eco.h) serves none, its
 * ecosystem is mapped, not solved. */
const struct eco_ops *eco_for_ecosystem(const char *ecosystem);

#endif
