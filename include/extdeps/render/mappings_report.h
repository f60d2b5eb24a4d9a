/* mappings_report.h - what `extdeps mappings` prints of the registry
 * (map/registry.h), written to O->out.
 *
 * `which NAME`: the DepURLs behind a name (registry_which), as text (one
 * block per DepURL, a line per name that leads there with the ecosystems,
 * releases and stages naming it) or JSON. `show DEPURL --format=json`: one
 * definition and every ecosystem's mapping of it. */
#ifndef EXTDEPS_RENDER_MAPPINGS_REPORT_H
#define EXTDEPS_RENDER_MAPPINGS_REPORT_H

#include "extdeps/map/registry.h"
#include "extdeps/render/out.h"

#define MAPPINGS_SCHEMA_VERSION 1

void which_report_text(const struct out *o, const struct registry *reg, const char *query,
		       const struct reg_which *w);

/* --format=json (schema MAPPINGS_SCHEMA_VERSION, documented in extdeps-mappings(1)). */
void which_report_json(const struct out *o, const struct registry *reg, const char *query,
		       const struct reg_which *w);

/* `show` in JSON: what R resolved (its definition, or none when only a
 * type rule covers the DepURL) and, per ecosystem, its own mapping's
 * entries (the mapping's fields, each release override, each branch). */
void show_report_registry_json(const struct out *o, const struct registry *reg,
			       const char *query, const struct reg_resolved *r);

#endif
