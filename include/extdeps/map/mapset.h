/* mapset.h - the selected dependencies of one project mapped for one target,
 * from the registry alone: what `map` prints and `export` turns into packager
 * formats.
 *
 * A struct mapset borrows the registry, the project and the verdicts (they
 * must outlive it) and owns its reg_map array: mapset_fini().
 */
#ifndef EXTDEPS_MAPSET_H
#define EXTDEPS_MAPSET_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/map/registry.h"
#include "extdeps/map/select.h"
#include "extdeps/read/project.h"
#include "extdeps/util/diag.h"

struct mapset {
	const struct registry *reg;
	struct reg_target target;
	const struct project *project;
	const enum select_skip *verdict; /* per project dep */
	struct reg_map *maps;            /* per project dep; zeroed where not selected */
	/* The Python development specs PEP 725 implies (a compiler is among the
	 * build requirements) for the Python that will build, or NULL; points
	 * to IMPLIED_SPECS, owned. */
	const struct reg_spec_list *implied;
	struct reg_spec_list implied_specs;
	size_t nunmet;                   /* selected deps whose status is not REG_MAPPED */
};

/* Map every selected dependency of P for TARGET at its own stage, for the
 * Python X.Y PYTHON that will build (NULL: the release's own). Returns 0
 * or ED_EXIT_ENV (out of memory) with D filled; MS is then empty but may be
 * passed to mapset_fini(). */
int mapset_build(struct mapset *ms, const struct registry *reg, const struct reg_target *target,
		 const struct project *p, const enum select_skip *verdict, const char *python,
		 struct ed_diag *d);

void mapset_fini(struct mapset *ms);

/* True when dependency I is selected. */
bool mapset_selected(const struct mapset *ms, size_t i);

/* True when dependency I is a compiler among the build requirements (it is
 * what implies the Python development files). */
bool mapset_is_compiler(const struct mapset *ms, size_t i);

/* True when a selected dependency is mapped to a file path ("/usr/bin/x"):
 * its solver then needs every package's file list. */
bool mapset_has_path(const struct mapset *ms);

#endif
