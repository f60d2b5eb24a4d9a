/* report.h - the pieces several reports share, so that they read the same
 * across commands (plan, check, map, show, export, platform, install).
 *
 * JSON, each written into an open object of J:
 *   "project": {"name", "file"}; for a merged project (project_merge)
 *     "project": null and "projects": [{"name", "file"}...], its members
 *   a dependency's "depurl", "version", "stage", "extra", "group"
 *   "source": {"file", "line", "column"}
 *   KEY: [{"kind", "path", "ecosystem", "entries"}], package databases
 */
#ifndef EXTDEPS_RENDER_REPORT_H
#define EXTDEPS_RENDER_REPORT_H

#include <stdio.h>

#include "extdeps/host/check.h"
#include "extdeps/map/registry.h"
#include "extdeps/read/project.h"
#include "extdeps/render/out.h"
#include "extdeps/util/json.h"

void report_json_project(struct json *j, const struct project *p);
void report_json_dep(struct json *j, const struct project_dep *dep);
void report_json_source(struct json *j, const char *file, int line, int col);
/* The errors that stopped COMMAND with exit status STATUS, as the one JSON
 * document on O's output (extdeps(1), ERRORS):
 *   {"schema_version", "command", "exit_status",
 *    "errors": [{"file", "line", "column", "message"}], "errors_not_shown"}
 * file, line and column are null where unknown. */
#define REPORT_ERRORS_SCHEMA_VERSION 1
void report_json_errors(const struct out *o, const char *command, int status,
			const struct ed_diags *errs);

void report_json_databases(struct json *j, const char *key, const struct check_db_info *dbs,
			   size_t n);

/* "  (FILE:LINE:COL)", dimmed, where DEP of P was written, when P merges
 * several projects (a line must say which file it came from); nothing
 * otherwise. */
void report_text_source(FILE *f, const struct out *o, const struct project *p,
			const struct project_dep *dep);

/* Why dependency mapping M has no package for target T, in words: "not
 * available: REASON", "not mapped for ID yet", "unknown DepURL; did you
 * mean 'X'?" (nothing for a mapped one). */
void report_text_unmapped(FILE *f, const struct out *o, const struct reg_map *m,
			  const struct reg_target *t);

/* What became of DEP's version under mapping M, so that no constraint is
 * dropped unsaid. PLANNED: in a plan, which checks candidates' upstream
 * versions itself where the package manager takes no constraint. */
enum report_version {
	REPORT_VERSION_NONE,       /* no version asked, or nothing mapped */
	REPORT_VERSION_PACKAGES,   /* the constraint reaches the packages */
	REPORT_VERSION_CANDIDATES, /* the plan keeps the candidates that meet it */
	REPORT_VERSION_UNEXPRESSED,/* the package manager takes none; a plan checks */
	REPORT_VERSION_UNCHECKED,  /* package versions are not upstream's: nothing checks */
};
enum report_version report_version_of(const struct project_dep *dep, const struct reg_map *m,
				      bool planned);

/* The words for the last two, "  (version V not checked: ...)"; nothing for
 * the others. */
void report_text_version(FILE *f, const struct out *o, const struct project_dep *dep,
			 const struct reg_map *m, const struct reg_target *t, bool planned);

/* The same in JSON, into an open object: "version_check": "packages",
 * "candidates", "not-expressed", "not-checked" or null, and
 * "version_branch": the mapping's `versions` range that applied, or null. */
void report_json_version(struct json *j, const struct project_dep *dep, const struct reg_map *m,
			 bool planned);

/* "  (in NAME)" for a mapping whose packages come from a repository other
 * than the target's default archive; nothing otherwise. */
void report_text_repository(FILE *f, const struct out *o, const struct reg_map *m);

/* "repository": null, or {"id", "name", "component", "url", "enable":
 * [[argv]...]} with the target's release filled in, into an open object. */
void report_json_repository(struct json *j, const struct reg_map *m, const struct reg_target *t);

/* How to enable repository R on a machine of target T: "to enable NAME
 * (for WHO):" then each command, indented, as a shell would read it. */
void report_text_enable(FILE *f, const struct out *o, const struct reg_repository *r,
			const struct reg_target *t, const char *who);

/* R's enable commands for target T, each as one shell command line
 * (words quoted where they must be), into a new vector of *N strings
 * (util_strv_free); NULL when out of memory. */
char **report_enable_lines(const struct reg_repository *r, const struct reg_target *t, size_t *n);

/* S as one POSIX shell word: single-quoted, ' written as '\''. */
void report_sh_quote(FILE *f, const char *s);

/* The same, quoted only when it must be, so a printed command reads as
 * typed and can be pasted into a shell. */
void report_sh_word(FILE *f, const char *s);

#endif
