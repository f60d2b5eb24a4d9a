/* update_report.h - what `extdeps update` did (eco.h's eco_update_stats),
 * written to O->out. TARGET is the target as "debian:12". */
#ifndef EXTDEPS_RENDER_UPDATE_REPORT_H
#define EXTDEPS_RENDER_UPDATE_REPORT_H

#include <stdbool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/render/out.h"

#define UPDATE_SCHEMA_VERSION 1

/* "debian:13: 4 files, 1 downloaded, 3 unchanged, 8.7 MiB received". */
void update_report_text(const struct out *o, const char *target, const struct eco_update_stats *st);

/* The target is this machine, whose package manager keeps its lists:
 * REFRESH (NULL-terminated, or NULL) is the command that refreshes them. */
void update_report_host(const struct out *o, const char *target, const char *const *refresh);

/* "PROJECT: what its plans read is cached: 3 repositories, 6 packages":
 * the loads of `update PROJECT` (ST). */
void update_report_project(const struct out *o, const char *project,
			   const struct eco_load_stats *st);

/* --format=json (schema UPDATE_SCHEMA_VERSION, documented in
 * extdeps-update(1)); HOST_MANAGED: nothing was downloaded, the lists are
 * this machine's package manager's; PROJECT: the loads of `update
 * PROJECT`, or NULL. */
void update_report_json(const struct out *o, const char *target, const char *arch,
			bool host_managed, const struct eco_load_stats *project,
			const struct eco_update_stats *st);

#endif
