/* report.h - the JSON pieces every report shares, so that their fields stay
 * the same across commands (plan, check, map, show, export):
 *   "project": {"name", "file"}
 *   a dependency's "depurl", "version", "stage", "extra", "group"
 *   "source": {"file", "line", "column"}
 * Each writes into an open JSON object of J.
 */
#ifndef EXTDEPS_RENDER_REPORT_H
#define EXTDEPS_RENDER_REPORT_H

#include "extdeps/read/project.h"
#include "extdeps/util/json.h"

void report_json_project(struct json *j, const struct project *p);
void report_json_dep(struct json *j, const struct project_dep *dep);
void report_json_source(struct json *j, const char *file, int line, int col);

#endif
