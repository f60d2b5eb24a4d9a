/* project.h - the PEP 725 model: the external dependencies a project declares.
 *
 * Read from the [external] table of a pyproject.toml, or from the
 * Requires-External-Dep / Provides-External-Extra fields of Core Metadata
 * (METADATA, PKG-INFO). Every dependency remembers where it was written.
 */
#ifndef EXTDEPS_PROJECT_H
#define EXTDEPS_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/read/depurl.h"
#include "extdeps/read/marker.h"
#include "extdeps/read/stage.h"
#include "extdeps/util/diag.h"
#include "extdeps/util/strindex.h"

struct project_dep {
	struct depurl *url;   /* owned */
	struct marker *marker;/* owned; NULL when the specifier has none */
	char *marker_text;    /* normalised marker text, or NULL */
	char *text;           /* the specifier as written, trimmed */
	enum ed_stage stage;
	char *extra;          /* normalised extra name, or NULL */
	char *group;          /* normalised dependency-group name, or NULL */
	int line, col;        /* where the DepURL starts in the project file */
	const char *file;     /* that file: borrowed from the project that read it (its
			       * path), which a merged project keeps (project_merge) */
};

struct project_group {
	char *name;       /* normalised */
	int line, col;
	char **includes;  /* normalised names of {include-group = ...} entries */
	int *include_lines, *include_cols;
	size_t nincludes;
	size_t includes_cap; /* room in includes, include_lines and include_cols */
};

struct project {
	char *path;         /* the file read */
	char *name;         /* [project] name or Name:, or NULL */
	bool has_external;  /* an [external] table (or an external field) exists */
	struct project_dep *deps;
	size_t ndeps, deps_cap;
	char **extras;      /* declared extras, normalised, in order of appearance */
	size_t nextras;
	struct project_group *groups;
	size_t ngroups;
	/* name -> position in EXTRAS and in GROUPS, so that look-ups by name
	 * cost the same with a hundred thousand of them */
	struct strindex extra_index, group_index;
	/* A merged project (project_merge): the projects it was made of, owned,
	 * in order; its DEPS are theirs, one after another (the structs copied,
	 * what they point to owned by the members). NULL and 0 otherwise. */
	struct project **members;
	size_t nmembers;
};

/* Read the project at PATH: a pyproject.toml, a directory holding one, or a
 * METADATA / PKG-INFO file (recognised by name, or by a "Metadata-Version:"
 * first line). On error returns NULL with D filled: a missing or unreadable
 * file and every rule of PEP 725, PEP 735 and the Core Metadata format give
 * ED_EXIT_INPUT with file:line:col. */
struct project *project_load(const char *path, struct ed_diag *d);

/* The same, reporting every error of the file into ALL (D gets the first),
 * as a compiler does: the TOML reader goes on at the next statement
 * (toml_parse_all), and every bad entry - a DepURL, a marker, an extra or
 * group name, an unknown key of [external], a Core Metadata field - is
 * reported, not only the first. An unreadable file is one error. ALL may
 * be NULL: project_load. */
struct project *project_load_all(const char *path, struct ed_diag *d, struct ed_diags *all);

/* Parse pyproject.toml text. FILENAME is used for messages and stored. */
struct project *project_parse_toml(const char *text, size_t len, const char *filename,
				   struct ed_diag *d);

/* Parse Core Metadata text (RFC 822 headers). */
struct project *project_parse_metadata(const char *text, size_t len, const char *filename,
				       struct ed_diag *d);

void project_free(struct project *p);

/* One project made of the N projects PS (N >= 1), for commands that treat
 * several projects as one (a single plan, a single report): its deps are
 * theirs in order, each naming its own file (project_dep.file), its path
 * "N projects", its name NULL, has_external when one of them has; extras
 * and groups stay the members' (select each member before merging). On
 * success the merged project owns PS's projects (not the array); on error
 * (out of memory: ED_EXIT_ENV) returns NULL and they stay the caller's. */
struct project *project_merge(struct project *const *ps, size_t n, struct ed_diag *d);

/* The group named NAME (normalised or not), or NULL. */
const struct project_group *project_find_group(const struct project *p, const char *name);

/* True when EXTRA (normalised or not) is declared. */
bool project_has_extra(const struct project *p, const char *extra);

#endif
