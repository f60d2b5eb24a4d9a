/* update_report.c - what `extdeps update` did, as text and JSON. */
#include "extdeps/render/update_report.h"

#include <stdint.h>
#include <stdio.h>

#include "extdeps/util/json.h"

/* Sizes of downloads as curl and apt print them (binary units). */
static void human(size_t v, char *out, size_t size)
{
	if (v >= 1024 * 1024)
		snprintf(out, size, "%.1f MiB", (double)v / (1024.0 * 1024.0));
	else if (v >= 1024)
		snprintf(out, size, "%.1f KiB", (double)v / 1024.0);
	else
		snprintf(out, size, "%zu bytes", v);
}

void update_report_text(const struct out *o, const char *target, const struct eco_update_stats *st)
{
	char size[32];

	human(st->bytes, size, sizeof size);
	fprintf(o->out, "%s: %zu files, %zu downloaded, %zu unchanged, %s received\n", target,
		st->files, st->downloaded, st->unchanged, size);
}

void update_report_host(const struct out *o, const char *target, const char *const *refresh)
{
	FILE *f = o->out;

	fprintf(f, "%s is this machine: its package lists are managed by its package manager", target);
	if (refresh) {
		fputs(" (", f);
		for (const char *const *a = refresh; *a; a++)
			fprintf(f, "%s%s", a == refresh ? "" : " ", *a);
		fputc(')', f);
	}
	fputs("; use --distro or --mirror to download\n", f);
}

void update_report_project(const struct out *o, const char *project,
			   const struct eco_load_stats *st)
{
	fprintf(o->out, "%s: what its plans read is cached: %zu repositor%s, %zu package%s\n",
		project, st->repos, st->repos == 1 ? "y" : "ies", st->solvables,
		st->solvables == 1 ? "" : "s");
}

void update_report_json(const struct out *o, const char *target, const char *arch,
			bool host_managed, const struct eco_load_stats *project,
			const struct eco_update_stats *st)
{
	struct json j;

	json_init(&j, o->out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", UPDATE_SCHEMA_VERSION);
	json_kv_string(&j, "target", target);
	json_kv_string(&j, "arch", arch);
	json_kv_bool(&j, "managed_by_host", host_managed);
	json_kv_int(&j, "files", (int64_t)st->files);
	json_kv_int(&j, "downloaded", (int64_t)st->downloaded);
	json_kv_int(&j, "unchanged", (int64_t)st->unchanged);
	json_kv_int(&j, "bytes", (int64_t)st->bytes);
	json_kv_int(&j, "unverified", (int64_t)st->unverified);
	if (project) {
		json_key(&j, "project");
		json_object_begin(&j);
		json_kv_int(&j, "repositories", (int64_t)project->repos);
		json_kv_int(&j, "packages", (int64_t)project->solvables);
		json_object_end(&j);
	}
	json_object_end(&j);
	json_end(&j);
}
