/* map_report.c - the selected dependencies mapped for a target, from the
 * registry alone: text and JSON. */
#include "extdeps/render/map_report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "extdeps/render/report.h"
#include "extdeps/util/json.h"
#include "extdeps/util/util.h"

/* One alternative as the ecosystem writes it: its constraints, or its name. */
static void write_alt(FILE *f, const struct reg_map_alt *alt)
{
	if (!alt->nconstraints) {
		fputs(alt->name, f);
		return;
	}
	for (size_t c = 0; c < alt->nconstraints; c++)
		fprintf(f, "%s%s", c ? ", " : "", alt->constraints[c]);
}

/* A mapped dependency's specs: alternatives joined by " | ", packages by ", ". */
static void text_specs(FILE *f, const struct reg_map *m)
{
	if (!m->npkgs)
		fputs("no package needed", f);
	for (size_t k = 0; k < m->npkgs; k++) {
		fputs(k ? ", " : "", f);
		for (size_t a = 0; a < m->pkgs[k].nalts; a++) {
			fputs(a ? " | " : "", f);
			write_alt(f, &m->pkgs[k].alts[a]);
		}
	}
}

void map_report_text(const struct out *o, const struct mapset *ms)
{
	FILE *f = o->out;
	const struct reg_target *t = &ms->target;
	const struct project *p = ms->project;
	const enum select_skip *verdict = ms->verdict;
	const struct reg_map *maps = ms->maps;
	const struct reg_spec_list *implied = ms->implied;
	const struct reg_pm *pm = registry_package_manager(ms->reg, t);

	/* quiet: only the dependencies without a package */
	bool quiet = o->verbosity < 0;

	if (!quiet) {
		fprintf(f, "%s%s%s%s%s", out_on(o, OUT_BOLD), t->eco->id, t->release ? " " : "",
			t->release ? t->release : "", out_off(o));
		if (pm)
			fprintf(f, " (%s)", pm->name);
		fputc('\n', f);
	}
	for (size_t i = 0; i < p->ndeps; i++) {
		const struct project_dep *dep = &p->deps[i];
		const struct reg_map *m = &maps[i];
		if (verdict[i] != SELECT_IN || (quiet && m->status == REG_MAPPED))
			continue;
		fprintf(f, "  %s%s%s [%s]: ", dep->url->id, dep->url->version ? " " : "",
			dep->url->version ? dep->url->version : "", ed_stage_name(dep->stage));
		switch (m->status) {
		case REG_MAPPED:
			text_specs(f, m);
			if (m->via)
				fprintf(f, "  %s(via %s)%s", out_on(o, OUT_DIM), m->via,
					out_off(o));
			/* a rule makes names the target may lack: say so */
			if (m->rule)
				fprintf(f, "  %s(named by %s's rule for dep:%s/)%s",
					out_on(o, OUT_DIM), m->ecosystem, m->rule->type, out_off(o));
			report_text_repository(f, o, m);
			report_text_version(f, o, dep, m, t, false);
			break;
		default:
			report_text_unmapped(f, o, m, t);
			break;
		}
		report_text_source(f, o, p, dep);
		fputc('\n', f);
	}
	if (implied && implied->count && !quiet) {
		fputs("implied by a compiler among the build requirements (PEP 725): ", f);
		for (size_t k = 0; k < implied->count; k++)
			for (size_t a = 0; a < implied->items[k].nalts; a++)
				fprintf(f, "%s%s", a ? " | " : k ? ", " : "", implied->items[k].alts[a]);
		fputc('\n', f);
	}
}

static void json_specs(struct json *j, const struct reg_map *m)
{
	json_array_begin(j);
	for (size_t k = 0; k < m->npkgs; k++) {
		json_array_begin(j);
		for (size_t a = 0; a < m->pkgs[k].nalts; a++)
			json_string(j, m->pkgs[k].alts[a].name);
		json_array_end(j);
	}
	json_array_end(j);
}

static void json_dependency(struct json *j, const struct mapset *ms, const struct project_dep *dep,
			    const struct reg_map *m)
{
	json_object_begin(j);
	report_json_dep(j, dep);
	json_kv_string(j, "status", reg_status_name(m->status));
	json_key(j, "specs");
	json_specs(j, m);
	json_key(j, "constraints");
	json_array_begin(j);
	for (size_t k = 0; k < m->npkgs; k++) {
		json_array_begin(j);
		for (size_t a = 0; a < m->pkgs[k].nalts; a++)
			for (size_t c = 0; c < m->pkgs[k].alts[a].nconstraints; c++)
				json_string(j, m->pkgs[k].alts[a].constraints[c]);
		json_array_end(j);
	}
	json_array_end(j);
	json_kv_string(j, "via", m->via);
	json_kv_string(j, "rule", m->rule ? m->rule->type : NULL);
	report_json_version(j, dep, m, false);
	report_json_repository(j, m, &ms->target);
	json_kv_string(j, "reason", m->reason);
	json_kv_string(j, "suggestion", m->suggestion);
	report_json_source(j, dep->file, dep->line, dep->col);
	/* where the registry decided: the mapping entry that applied */
	json_key(j, "mapping");
	if (m->source.file) {
		json_object_begin(j);
		json_kv_string(j, "file", m->source.file);
		json_kv_int(j, "line", m->source.line);
		json_kv_int(j, "column", m->source.col);
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_object_end(j);
}

/* The distinct first choices, in order: what a user names to install. */
static void json_packages(struct json *j, const struct mapset *ms)
{
	const struct project *p = ms->project;
	char **seen = NULL;
	size_t nseen = 0;

	json_key(j, "packages");
	json_array_begin(j);
	for (size_t i = 0; i < p->ndeps; i++) {
		if (ms->verdict[i] != SELECT_IN || ms->maps[i].status != REG_MAPPED)
			continue;
		for (size_t k = 0; k < ms->maps[i].npkgs; k++) {
			const char *name = ms->maps[i].pkgs[k].alts[0].name;
			bool dup = false;
			for (size_t s = 0; s < nseen && !dup; s++)
				dup = !strcmp(seen[s], name);
			if (!dup) {
				json_string(j, name);
				util_strv_push(&seen, &nseen, name);
			}
		}
	}
	for (size_t k = 0; ms->implied && k < ms->implied->count; k++)
		json_string(j, ms->implied->items[k].alts[0]);
	json_array_end(j);
	util_strv_free(seen, nseen);
}

void map_report_json(const struct out *o, const struct mapset *ms)
{
	const struct reg_pm *pm = registry_package_manager(ms->reg, &ms->target);
	struct json j;

	json_init(&j, o->out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", MAP_SCHEMA_VERSION);
	json_key(&j, "target");
	json_object_begin(&j);
	json_kv_string(&j, "ecosystem", ms->target.eco->id);
	json_kv_string(&j, "release", ms->target.release);
	json_kv_string(&j, "package_manager", pm ? pm->name : NULL);
	json_object_end(&j);
	json_key(&j, "dependencies");
	json_array_begin(&j);
	for (size_t i = 0; i < ms->project->ndeps; i++)
		if (ms->verdict[i] == SELECT_IN)
			json_dependency(&j, ms, &ms->project->deps[i], &ms->maps[i]);
	json_array_end(&j);
	json_key(&j, "implied");
	json_array_begin(&j);
	for (size_t k = 0; ms->implied && k < ms->implied->count; k++)
		json_string(&j, ms->implied->items[k].alts[0]);
	json_array_end(&j);
	json_packages(&j, ms);
	json_object_end(&j);
	json_end(&j);
}
