/* export.h - dependency lists for distribution packagers (extdeps-export(1)).
 *
 * A project's selected dependencies, mapped for one target (mapset.h), are
 * split the way a packaging format splits them: Debian's Build-Depends and
 * Depends, RPM's BuildRequires and Requires, a conda recipe's
 * build/host/run, nix's nativeBuildInputs/buildInputs/propagatedBuildInputs,
 * Homebrew's `depends_on ... => :build`, Arch's makedepends/depends,
 * cibuildwheel's before-all commands for a wheel-building image. The
 * lists are built once (struct export_doc) and written as the format's text
 * or, for all formats at once, as JSON.
 *
 * What a format leaves out is said, never dropped silently: packages its
 * build environment always has (build-essential, base-devel, stdenv's
 * compiler) and dependencies without a package (unknown, unmapped,
 * unavailable: "problems") become comment lines.
 */
#ifndef EXTDEPS_EXPORT_H
#define EXTDEPS_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "extdeps/map/mapset.h"
#include "extdeps/map/registry.h"
#include "extdeps/util/diag.h"

enum export_format {
	EXPORT_DEBIAN_CONTROL,
	EXPORT_RPM_SPEC,
	EXPORT_CONDA_RECIPE, /* recipe.yaml (rattler-build): ${{ compiler('c') }} */
	EXPORT_CONDA_META,   /* meta.yaml (conda-build): {{ compiler('c') }} */
	EXPORT_NIX,
	EXPORT_HOMEBREW,
	EXPORT_ARCH,
	EXPORT_CIBUILDWHEEL, /* pyproject.toml's [tool.cibuildwheel]: before-all per image */
	EXPORT_FORMAT_COUNT, /* the text formats end here */
};

#define EXPORT_SCHEMA_VERSION 1
#define EXPORT_MAX_FIELDS 3

/* "debian-control", "rpm-spec", ... */
const char *export_format_name(enum export_format fmt);

/* The format named NAME, or -1. */
int export_format_parse(const char *name);

/* The ecosystems a format is for: the K-th (from 0) of REG whose mapping
 * files list it in `export_formats` (extdeps-mappings(5)); those inheriting
 * from it fit too. Several list cibuildwheel, one per image family (el for
 * manylinux, alpine for musllinux). NULL when there is no K-th. */
const struct reg_ecosystem *export_format_ecosystem(enum export_format fmt,
						    const struct registry *reg, size_t k);

/* True when ECO or one it inherits from lists the format. */
bool export_format_fits(enum export_format fmt, const struct registry *reg,
			const struct reg_ecosystem *eco);

struct export_field {
	const char *name; /* "Build-Depends", "makedepends", "host" ... */
	char **items;     /* as the format writes one entry; distinct, in order */
	size_t nitems;
};

/* One project's lists in one format. Borrows the mapset; owns the rest. */
struct export_doc {
	enum export_format format;
	const struct mapset *ms;
	struct export_field fields[EXPORT_MAX_FIELDS];
	size_t nfields;
	char **omitted;  /* package names left out: the build environment has them */
	size_t nomitted;
	const char *omitted_why; /* "build-essential", "stdenv" ... */
	char **implied;  /* the Python development packages PEP 725 implies */
	size_t nimplied;
	char **notes;    /* comment lines, without "# " */
	size_t nnotes;
	size_t nproblems; /* selected dependencies without a package */
};

/* Build the lists of MS (mapped for FMT's ecosystem) in FMT. Returns 0 or
 * ED_EXIT_ENV (out of memory) with D filled; DOC may then be passed to
 * export_doc_fini(). */
int export_doc_build(struct export_doc *doc, enum export_format fmt, const struct mapset *ms,
		     struct ed_diag *d);

void export_doc_fini(struct export_doc *doc);

/* Write DOC in its format's syntax to F: a header comment naming the
 * project and target, the notes as comments, then the fields. */
void export_doc_write(const struct export_doc *doc, FILE *f);

struct json;

/* Write one JSON object for one project: schema_version, project, and an
 * "exports" array with one object per doc of DOCS (NDOCS, same project).
 * The caller ends the document (json_end), which may hold several. */
void export_json_write(struct json *j, const struct export_doc *docs, size_t ndocs);

#endif
