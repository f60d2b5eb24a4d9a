/* platform_report.h - `extdeps platform`: what was detected about this
 * machine, written to O->out as text or JSON. */
#ifndef EXTDEPS_RENDER_PLATFORM_REPORT_H
#define EXTDEPS_RENDER_PLATFORM_REPORT_H

#include <stddef.h>

#include "extdeps/host/check.h"
#include "extdeps/host/cuda.h"
#include "extdeps/host/cuda_find.h"
#include "extdeps/host/host.h"
#include "extdeps/map/target.h"
#include "extdeps/read/marker.h"
#include "extdeps/render/out.h"

#define PLATFORM_SCHEMA_VERSION 1

struct platform_facts {
	struct host_info host;
	struct cuda_driver driver;        /* cuda_driver_detect() */
	struct cuda_nvml nvml;            /* cuda_nvml_detect() */
	struct cuda_installs installs;    /* cuda_find(); the caller finishes it */
	const struct check_db_info *dbs; /* the package databases read (borrowed) */
	size_t ndbs;
	char target[192];                /* "debian:12", or "" */
	const char *target_from;         /* "--distro" or "os-release" */
	const struct target_model *model; /* the target's facts (borrowed) */
	const char *target_why;          /* why there is no target, or NULL */
	const struct marker_env *markers; /* the marker environment (borrowed) */
};

void platform_report_text(const struct out *o, const struct platform_facts *fx);

/* --format=json (schema PLATFORM_SCHEMA_VERSION, documented in
 * extdeps-platform(1)). */
void platform_report_json(const struct out *o, const struct platform_facts *fx);

#endif
