/* mappings.c - `extdeps mappings list|show|validate|coverage|export`: the
 * registry itself, after the overlays. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/cli.h"
#include "extdeps/cmd.h"
#include "extdeps/json.h"
#include "extdeps/registry.h"

const char *const cmd_mappings_formats[] = { "text", "json", "pep804", NULL };

#define MAPPINGS_SCHEMA_VERSION 1

enum mappings_opt { MAPPINGS_OPT_ECOSYSTEM = 1 };

const struct opt cmd_mappings_opts[] = {
	{ MAPPINGS_OPT_ECOSYSTEM, "ecosystem", 0, OPT_VALUE, "ID",
	  "list: only what ID maps; export: ID's mapping document", NULL },
	OPT_TABLE_END,
};

struct mappings_args {
	struct ctx *ctx;
	const char *ecosystem;
};

static int handle_opt(void *ud, int id, const char *value, struct ed_diag *d)
{
	struct mappings_args *a = ud;

	if (id == MAPPINGS_OPT_ECOSYSTEM) {
		a->ecosystem = value;
		return 0;
	}
	return cli_handle_opt(a->ctx, id, value, d);
}

static void print_specs(FILE *f, const struct reg_spec_list *l)
{
	if (!l->count)
		fputs("(none)", f);
	for (size_t k = 0; k < l->count; k++)
		for (size_t a = 0; a < l->items[k].nalts; a++)
			fprintf(f, "%s%s", a ? " | " : k ? ", " : "", l->items[k].alts[a]);
}

static void print_entry(FILE *f, const struct reg_entry *e, const char *indent)
{
	if (e->unavailable)
		fprintf(f, "%snot available: %s\n", indent, e->unavailable);
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		if (!e->has_stage[s])
			continue;
		fprintf(f, "%s%s: ", indent, ed_stage_name((enum ed_stage)s));
		print_specs(f, &e->stages[s]);
		fputc('\n', f);
	}
	if (e->version != REG_VERSION_UNSET)
		fprintf(f, "%sversion: %s\n", indent,
			e->version == REG_VERSION_UPSTREAM ? "upstream" : "none");
}

static int do_list(struct ctx *ctx, const char *ecosystem)
{
	struct reg_target t;
	bool json = !strcmp(ctx->format, "json");
	struct json j;

	if (ecosystem) {
		struct ed_diag d;
		ed_diag_clear(&d);
		if (registry_parse_target(ctx->reg, ecosystem, &t, &d)) {
			out_diag(&ctx->out, &d);
			return ED_EXIT_INPUT;
		}
	}
	if (json) {
		json_init(&j, ctx->out.out);
		json_object_begin(&j);
		json_key(&j, "schema_version");
		json_int(&j, MAPPINGS_SCHEMA_VERSION);
		json_key(&j, "definitions");
		json_array_begin(&j);
	}
	for (size_t i = 0; i < registry_ndefs(ctx->reg); i++) {
		const struct reg_def *def = registry_def_at(ctx->reg, i);
		struct reg_map m;
		struct depurl dep;
		memset(&dep, 0, sizeof dep);
		dep.id = def->id;
		memset(&m, 0, sizeof m);
		if (ecosystem) {
			struct ed_diag d;
			ed_diag_clear(&d);
			if (registry_map(ctx->reg, &t, &dep, ED_STAGE_HOST, &m, &d)) {
				out_diag(&ctx->out, &d);
				return d.status;
			}
			if (m.status != REG_MAPPED) {
				reg_map_fini(&m);
				continue;
			}
		}
		if (json) {
			json_object_begin(&j);
			json_key(&j, "id");
			json_string(&j, def->id);
			json_key(&j, "description");
			json_string(&j, def->description);
			if (ecosystem) {
				json_key(&j, "specs");
				json_array_begin(&j);
				for (size_t k = 0; k < m.npkgs; k++) {
					json_array_begin(&j);
					for (size_t a = 0; a < m.pkgs[k].nalts; a++)
						json_string(&j, m.pkgs[k].alts[a].name);
					json_array_end(&j);
				}
				json_array_end(&j);
			}
			json_object_end(&j);
		} else {
			fprintf(ctx->out.out, "%s  %s", def->id, def->description ? def->description : "");
			if (ecosystem) {
				fputs("  [", ctx->out.out);
				for (size_t k = 0; k < m.npkgs; k++)
					for (size_t a = 0; a < m.pkgs[k].nalts; a++)
						fprintf(ctx->out.out, "%s%s", a ? " | " : k ? ", " : "",
							m.pkgs[k].alts[a].name);
				fputc(']', ctx->out.out);
			}
			fputc('\n', ctx->out.out);
		}
		reg_map_fini(&m);
	}
	if (json) {
		json_array_end(&j);
		json_object_end(&j);
		json_end(&j);
	}
	return 0;
}

static void print_list(FILE *f, const char *label, char **items, size_t n)
{
	if (!n)
		return;
	fprintf(f, "%s:", label);
	for (size_t i = 0; i < n; i++)
		fprintf(f, " %s", items[i]);
	fputc('\n', f);
}

static int do_show(struct ctx *ctx, const char *name)
{
	struct reg_resolved r;
	struct ed_diag d;
	FILE *f = ctx->out.out;
	const struct reg_def *def;

	ed_diag_clear(&d);
	if (registry_resolve(ctx->reg, name, &r, &d)) {
		out_diag(&ctx->out, &d);
		return ED_EXIT_UNMET;
	}
	def = r.def;
	fprintf(f, "%s%s%s", out_on(&ctx->out, OUT_BOLD), def->id, out_off(&ctx->out));
	if (r.version)
		fprintf(f, " %s", r.version);
	fprintf(f, "\n%s\n", def->description ? def->description : "");
	if (def->versioning)
		fprintf(f, "versioning: %s\n", def->versioning);
	print_list(f, "provides", def->provides, def->nprovides);
	print_list(f, "aliases", def->aliases, def->naliases);
	print_list(f, "pkg-config", def->pkgconfig, def->npkgconfig);
	print_list(f, "executables", def->executables, def->nexecutables);
	print_list(f, "env", def->env, def->nenv);
	print_list(f, "files", def->files, def->nfiles);
	for (size_t e = 0; e < registry_necosystems(ctx->reg); e++) {
		const struct reg_ecosystem *eco = registry_ecosystem_at(ctx->reg, e);
		const struct reg_mapping *m = registry_find_mapping(eco, def->id);
		fprintf(f, "%s:\n", eco->id);
		if (!m) {
			fprintf(f, "  %s\n", eco->inherits ? "(inherited, or not mapped)" : "not mapped");
			continue;
		}
		if (m->specs_from)
			fprintf(f, "  specs from %s\n", m->specs_from);
		print_entry(f, &m->base, "  ");
		for (size_t k = 0; k < m->nreleases; k++) {
			fprintf(f, "  release %s:\n", m->releases[k].release);
			print_entry(f, &m->releases[k].entry, "    ");
		}
	}
	return 0;
}

static int do_validate(struct ctx *ctx)
{
	struct reg_warnings w = { 0 };
	struct ed_diag d;
	int rc;

	ed_diag_clear(&d);
	rc = registry_validate(ctx->reg, &w, &d);
	for (size_t i = 0; i < w.count; i++)
		out_warn(&ctx->out, "%s:%d:%d: %s", w.items[i].file, w.items[i].line,
			 w.items[i].col, w.items[i].msg);
	reg_warnings_fini(&w);
	if (rc) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	if (ctx->out.verbosity >= 0)
		fprintf(ctx->out.out, "%zu definitions, %zu ecosystems: valid\n",
			registry_ndefs(ctx->reg), registry_necosystems(ctx->reg));
	return 0;
}

static int do_coverage(struct ctx *ctx)
{
	static const char *const names[REG_COV_COUNT] = { "mapped", "unavailable", "missing" };
	static const char marks[REG_COV_COUNT] = { '+', '-', '.' };
	struct reg_coverage c;
	struct ed_diag d;
	FILE *f = ctx->out.out;

	ed_diag_clear(&d);
	if (registry_coverage(ctx->reg, &c, &d)) {
		out_diag(&ctx->out, &d);
		return d.status;
	}
	if (!strcmp(ctx->format, "json")) {
		struct json j;
		json_init(&j, f);
		json_object_begin(&j);
		json_key(&j, "schema_version");
		json_int(&j, MAPPINGS_SCHEMA_VERSION);
		json_key(&j, "ecosystems");
		json_object_begin(&j);
		for (size_t e = 0; e < c.necos; e++) {
			json_key(&j, c.eco_ids[e]);
			json_object_begin(&j);
			for (int k = 0; k < REG_COV_COUNT; k++) {
				json_key(&j, names[k]);
				json_int(&j, (int64_t)c.per_eco[e][k]);
			}
			json_object_end(&j);
		}
		json_object_end(&j);
		json_key(&j, "definitions");
		json_object_begin(&j);
		for (size_t i = 0; i < c.ndefs; i++) {
			json_key(&j, c.def_ids[i]);
			json_object_begin(&j);
			for (size_t e = 0; e < c.necos; e++) {
				json_key(&j, c.eco_ids[e]);
				json_string(&j, names[c.cells[i * c.necos + e]]);
			}
			json_object_end(&j);
		}
		json_object_end(&j);
		json_object_end(&j);
		json_end(&j);
	} else {
		for (size_t i = 0; i < c.ndefs; i++) {
			for (size_t e = 0; e < c.necos; e++)
				fputc(marks[c.cells[i * c.necos + e]], f);
			fprintf(f, "  %s\n", c.def_ids[i]);
		}
		fputs("(+ mapped, - not available, . missing; columns:", f);
		for (size_t e = 0; e < c.necos; e++)
			fprintf(f, " %s", c.eco_ids[e]);
		fputs(")\n", f);
		for (size_t e = 0; e < c.necos; e++)
			fprintf(f, "%-12s %4zu mapped %4zu not available %4zu missing\n", c.eco_ids[e],
				c.per_eco[e][REG_COV_MAPPED], c.per_eco[e][REG_COV_UNAVAILABLE],
				c.per_eco[e][REG_COV_MISSING]);
	}
	reg_coverage_fini(&c);
	return 0;
}

int cmd_mappings(struct ctx *ctx, int argc, char **argv)
{
	struct mappings_args a = { ctx, NULL };
	char **pos = NULL;
	int npos = 0, rc;
	const char *sub;

	if ((rc = cli_parse(ctx, argc, argv, handle_opt, &a, &pos, &npos)))
		return rc;
	sub = npos ? pos[0] : "list";
	if (strcmp(sub, "show") ? npos > 1 : npos != 2) {
		out_error(&ctx->out, strcmp(sub, "show") ? "'%s' takes no arguments"
							  : "'%s' takes one DEPURL", sub);
		rc = ED_EXIT_INPUT;
		goto out;
	}
	if (!strcmp(ctx->format, "pep804") && strcmp(sub, "export")) {
		out_error(&ctx->out, "--format=pep804 is for 'export'");
		rc = ED_EXIT_INPUT;
		goto out;
	}
	if ((rc = cli_load_registry(ctx)))
		goto out;
	if (!strcmp(sub, "list")) {
		rc = do_list(ctx, a.ecosystem);
	} else if (!strcmp(sub, "show")) {
		rc = do_show(ctx, pos[1]);
	} else if (!strcmp(sub, "validate")) {
		rc = do_validate(ctx);
	} else if (!strcmp(sub, "coverage")) {
		rc = do_coverage(ctx);
	} else if (!strcmp(sub, "export")) {
		struct ed_diag d;
		ed_diag_clear(&d);
		if ((rc = registry_export_pep804(ctx->reg, a.ecosystem, ctx->out.out, &d)))
			out_diag(&ctx->out, &d);
	} else {
		out_error(&ctx->out,
			  "'%s' is not a mappings command (list, show, validate, coverage, export)",
			  sub);
		rc = ED_EXIT_INPUT;
	}
out:
	free(pos);
	return rc;
}
