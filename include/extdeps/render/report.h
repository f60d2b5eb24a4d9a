/* report.h - the pieces several reports share, so that they read the same
 * across commands (plan, check, map, show, export, platform, install).
 *
 * JSON, each written into an open object of J:
 *   "project": {"name", "file"}
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
void report_json_databases(struct json *j, const char *key, const struct check_db_info *dbs,
			   size_t n);

/* Why dependency mapping M has no package for target T, in words: "not
 * available: REASON", "not mapped for ID yet", "unknown DepURL; did you
 * mean 'X'?" (nothing for a mapped one). */
void report_text_unmapped(FILE *f, const struct out *o, const struct reg_map *m,
			  const struct reg_target *t);

/* S as one POSIX shell word: single-quoted, ' written as '\''. */
void report_sh_quote(FILE *f, const char *s);

/* The same, quoted only when it must be, so a printed command reads as
 * typed and can be pasted into a shell. */
void report_sh_word(FILE *f, const char *s);

#endif
