/* map.c - `extdeps map`: the selected DepURLs mapped to the target's package
 * specs, from the registry alone (no repositories). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/map/mapset.h"
#include "extdeps/map/registry.h"
#include "extdeps/render/json.h"
#include "extdeps/render/report.h"
#include "extdeps/util/util.h"
#include "cli.h"
#include "cmd.h"

#define MAP_SCHEMA_VERSION 1

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

static void print_text(struct ctx *ctx, const struct reg_target *t, const struct project *p,
		       const enum select_skip *verdict, const struct reg_map *maps,
		       const struct reg_spec_list *implied)
{
	FILE *f = ctx->out.out;
	const struct reg_pm *pm = registry_package_manager(ctx->reg, t);

	fprintf(f, "%s%s%s%s%s", out_on(&ctx->out, OUT_BOLD), t->eco->id, t->release ? " " : "",
		t->release ? t->release : "", out_off(&ctx->out));
	if (pm)
		fprintf(f, " (%s)", pm->name);
	fputc('\n', f);
	for (size_t i = 0; i < p->ndeps; i++) {
		const struct project_dep *dep = &p->deps[i];
		const struct reg_map *m = &maps[i];
		if (verdict[i] != SELECT_IN)
			continue;
		fprintf(f, "  %s%s%s [%s]: ", dep->url->id, dep->url->version ? " " : "",
			dep->url->version ? dep->url->version : "", ed_stage_name(dep->stage));
		switch (m->status) {
		case REG_MAPPED:
			if (!m->npkgs)
				fputs("no package needed", f);
			for (size_t k = 0; k < m->npkgs; k++) {
				fputs(k ? ", " : "", f);
				for (size_t a = 0; a < m->pkgs[k].nalts; a++) {
					fputs(a ? " | " : "", f);
					write_alt(f, &m->pkgs[k].alts[a]);
				}
			}
			if (m->via)
				fprintf(f, "  %s(via %s)%s", out_on(&ctx->out, OUT_DIM), m->via,
					out_off(&ctx->out));
			if (m->version_unexpressed)
				fprintf(f, "  %s(version %s checked by probes)%s",
					out_on(&ctx->out, OUT_DIM), dep->url->version,
					out_off(&ctx->out));
			break;
		case REG_UNAVAILABLE:
			fprintf(f, "%snot available%s: %s", out_on(&ctx->out, OUT_RED),
				out_off(&ctx->out), m->reason);
			break;
		case REG_UNMAPPED:
			fprintf(f, "%snot mapped%s for %s yet", out_on(&ctx->out, OUT_YELLOW),
				out_off(&ctx->out), t->eco->id);
			break;
		case REG_UNKNOWN:
			fprintf(f, "%sunknown DepURL%s", out_on(&ctx->out, OUT_RED), out_off(&ctx->out));
			if (m->suggestion)
				fprintf(f, "; did you mean '%s'?", m->suggestion);
			break;
		}
		fputc('\n', f);
	}
	if (implied && implied->count) {
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

static void print_json(struct ctx *ctx, const struct reg_target *t, const struct project *p,
		       const enum select_skip *verdict, const struct reg_map *maps,
		       const struct reg_spec_list *implied)
{
	const struct reg_pm *pm = registry_package_manager(ctx->reg, t);
	char **seen = NULL;
	size_t nseen = 0;
	struct json j;

	json_init(&j, ctx->out.out);
	json_object_begin(&j);
	json_key(&j, "schema_version");
	json_int(&j, MAP_SCHEMA_VERSION);
	json_key(&j, "target");
	json_object_begin(&j);
	json_key(&j, "ecosystem");
	json_string(&j, t->eco->id);
	json_key(&j, "release");
	json_string(&j, t->release);
	json_key(&j, "package_manager");
	json_string(&j, pm ? pm->name : NULL);
	json_object_end(&j);
	json_key(&j, "dependencies");
	json_array_begin(&j);
	for (size_t i = 0; i < p->ndeps; i++) {
		const struct project_dep *dep = &p->deps[i];
		const struct reg_map *m = &maps[i];
		if (verdict[i] != SELECT_IN)
			continue;
		json_object_begin(&j);
		report_json_dep(&j, dep);
		json_key(&j, "status");
		json_string(&j, reg_status_name(m->status));
		json_key(&j, "specs");
		json_specs(&j, m);
		json_key(&j, "constraints");
		json_array_begin(&j);
		for (size_t k = 0; k < m->npkgs; k++) {
			json_array_begin(&j);
			for (size_t a = 0; a < m->pkgs[k].nalts; a++)
				for (size_t c = 0; c < m->pkgs[k].alts[a].nconstraints; c++)
					json_string(&j, m->pkgs[k].alts[a].constraints[c]);
			json_array_end(&j);
		}
		json_array_end(&j);
		json_key(&j, "via");
		json_string(&j, m->via);
		json_key(&j, "reason");
		json_string(&j, m->reason);
		json_key(&j, "suggestion");
		json_string(&j, m->suggestion);
		report_json_source(&j, p->path, dep->line, dep->col);
		/* where the registry decided: the mapping entry that applied */
		json_key(&j, "mapping");
		if (m->source.file) {
			json_object_begin(&j);
			json_key(&j, "file");
			json_string(&j, m->source.file);
			json_key(&j, "line");
			json_int(&j, m->source.line);
			json_key(&j, "column");
			json_int(&j, m->source.col);
			json_object_end(&j);
		} else {
			json_null(&j);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "implied");
	json_array_begin(&j);
	for (size_t k = 0; implied && k < implied->count; k++)
		json_string(&j, implied->items[k].alts[0]);
	json_array_end(&j);
	/* the distinct first choices, in order: what a user names to install */
	json_key(&j, "packages");
	json_array_begin(&j);
	for (size_t i = 0; i < p->ndeps; i++) {
		if (verdict[i] != SELECT_IN || maps[i].status != REG_MAPPED)
			continue;
		for (size_t k = 0; k < maps[i].npkgs; k++) {
			const char *name = maps[i].pkgs[k].alts[0].name;
			bool dup = false;
			for (size_t s = 0; s < nseen && !dup; s++)
				dup = !strcmp(seen[s], name);
			if (!dup) {
				json_string(&j, name);
				util_strv_push(&seen, &nseen, name);
			}
		}
	}
	for (size_t k = 0; implied && k < implied->count; k++)
		json_string(&j, implied->items[k].alts[0]);
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
	util_strv_free(seen, nseen);
}

static int run(struct ctx *ctx)
{
	const struct mapset *ms = &ctx->maps;

	if (!strcmp(ctx->format, "json"))
		print_json(ctx, &ctx->target, ctx->project, ctx->verdict, ms->maps, ms->implied);
	else
		print_text(ctx, &ctx->target, ctx->project, ctx->verdict, ms->maps, ms->implied);
	return ms->nunmet ? ED_EXIT_UNMET : ED_EXIT_OK;
}

static const char *const formats[] = { "text", "json", NULL };

const struct cmd cmd_map = {
	.name = "map",
	.run = run,
	.summary = "map the selected dependencies to the target's package specs",
	.operands = "[PROJECT]",
	.max_operands = 1,
	.formats = formats,
	.flags = CMD_PROJECT | CMD_REGISTRY_TARGET | CMD_TARGET,
};
