/* map_report.h - `extdeps map`: the selected dependencies of a project
 * mapped for one target (mapset.h), from the registry alone, written to
 * O->out as text or JSON. */
#ifndef EXTDEPS_RENDER_MAP_REPORT_H
#define EXTDEPS_RENDER_MAP_REPORT_H

#include "extdeps/map/mapset.h"
#include "extdeps/render/out.h"

#define MAP_SCHEMA_VERSION 1

void map_report_text(const struct out *o, const struct mapset *ms);

/* --format=json (schema MAP_SCHEMA_VERSION, documented in extdeps-map(1)). */
void map_report_json(const struct out *o, const struct mapset *ms);

#endif
