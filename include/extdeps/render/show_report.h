/* show_report.h - `extdeps show`: a project's selected external
 * dependencies (VERDICT per dependency, select.h), written to O->out as
 * text (grouped under the [external] keys they came from) or JSON. */
#ifndef EXTDEPS_RENDER_SHOW_REPORT_H
#define EXTDEPS_RENDER_SHOW_REPORT_H

#include "extdeps/map/select.h"
#include "extdeps/read/project.h"
#include "extdeps/render/out.h"

#define SHOW_SCHEMA_VERSION 1

void show_report_text(const struct out *o, const struct project *p, const enum select_skip *verdict);

/* --format=json (schema SHOW_SCHEMA_VERSION, documented in extdeps-show(1)). */
void show_report_json(const struct out *o, const struct project *p, const enum select_skip *verdict);

#endif
