/* mappings.c - `extdeps mappings list|show|which|validate|coverage|export`:
 * the registry itself, after the overlays. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <solv/pool.h>

#include "extdeps/map/registry.h"
#include "extdeps/render/report.h"
#include "extdeps/render/mappings_report.h"
#include "extdeps/util/json.h"
#include "extdeps/util/util.h"
#include "cli.h"
#include "cmd.h"

enum mappings_opt { MAPPINGS_OPT_ECOSYSTEM = 1, MAPPINGS_OPT_AGAINST_REPOS };

static const struct opt opts[] = {
	{ MAPPINGS_OPT_AGAINST_REPOS, "against-repos", 0, OPT_FLAG, NULL,
	  "validate: report the target's mapped package names its repositories lack", NULL },
	{ MAPPINGS_OPT_ECOSYSTEM, "ecosystem", 0, OPT_VALUE, "ID",
	  "list: only what ID maps; export: ID's mapping document", NULL },
	OPT_TABLE_END,
};

struct mappings_args {
	const char *ecosystem;
	bool against_repos;
};

static int handle_opt(void *args, int id, const char *value, struct ed_diag *d)
{
	struct mappings_args *a = args;

	if (id == MAPPINGS_OPT_ECOSYSTEM)
		a->ecosystem = value;
	else if (id == MAPPINGS_OPT_AGAINST_REPOS)
		a->against_repos = true;
	return 0;
}

static void print_specs(FILE *f, const struct reg_spec_list *l)
{
	if (!l->count)
		fputs("(none)", f);
	for (size_t k = 0; k < l->count; k++)
		for (size_t a = 0; a < l->items[k].nalts; a++) {
			const struct reg_spec *sp = &l->items[k];
			fprintf(f, "%s%s", a ? " | " : k ? ", " : "", sp->alts[a]);
			if (sp->fixed && sp->fixed[a])
				fprintf(f, " (%s)", sp->fixed[a]);
		}
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
	if (e->repository)
		fprintf(f, "%srepository: %s\n", indent, e->repository);
}

static int show_entry(const struct reg_entry *e, const struct reg_loc *loc, const char *what,
		      void *ud)
{
	FILE *f = ud;

	(void)loc;
	/* a release override with branches only says nothing of its own */
	if (*what && !e->has_specs && !e->unavailable && e->version == REG_VERSION_UNSET &&
	    !e->repository)
		return 0;
	if (*what)
		fprintf(f, "  %s:\n", what);
	print_entry(f, e, *what ? "    " : "  ");
	return 0;
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
		} else if (ctx->out.verbosity < 0) {
			/* -q: the ids alone, for scripts and completions */
			fprintf(ctx->out.out, "%s\n", def->id);
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

/* A DepURL without a definition, of a type ecosystems name by rule: each
 * ecosystem's rule (its own or inherited), templates as written. */
static int show_rule(struct ctx *ctx, const char *name, const char *type)
{
	FILE *f = ctx->out.out;

	fprintf(f, "%s%s%s\nno definition: packages named by each ecosystem's rule for dep:%s/\n",
		out_on(&ctx->out, OUT_BOLD), name, out_off(&ctx->out), type);
	for (size_t e = 0; e < registry_necosystems(ctx->reg); e++) {
		const struct reg_ecosystem *eco = registry_ecosystem_at(ctx->reg, e);
		const struct reg_target t = { eco, NULL, false };
		const struct reg_rule *rule = registry_find_rule(ctx->reg, &t, type);

		fprintf(f, "%s:\n", eco->id);
		if (!rule) {
			fputs("  no rule\n", f);
			continue;
		}
		print_entry(f, &rule->entry, "  ");
		if (rule->lower)
			fputs("  name: lower-cased\n", f);
		for (size_t i = 0; i + 1 < rule->nreplace; i += 2)
			fprintf(f, "  name: '%s' -> '%s'\n", rule->replace[i], rule->replace[i + 1]);
	}
	return 0;
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
	if (!r.def)
		return show_rule(ctx, name, r.rule_type);
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
		registry_each_entry(m, show_entry, f);
	}
	return 0;
}

/* The DepURLs behind NAME; 1 when nothing leads there. */
static int do_which(struct ctx *ctx, const char *name)
{
	struct reg_which w;
	struct ed_diag d;
	const char *near;
	int rc;

	ed_diag_clear(&d);
	if (registry_which(ctx->reg, name, &w, &d)) {
		out_diag(&ctx->out, &d);
		return d.status;
	}
	if (!strcmp(ctx->format, "json"))
		which_report_json(&ctx->out, ctx->reg, name, &w);
	else
		which_report_text(&ctx->out, ctx->reg, name, &w);
	if (!w.count) {
		/* nothing by name: a typo is all that is left */
		if ((near = registry_suggest(ctx->reg, name)))
			out_error(&ctx->out, "no DepURL is known by '%s'; did you mean '%s'?", name,
				  near);
		else
			out_error(&ctx->out, "no DepURL is known by '%s' (no id, alias, package, "
					     "executable, pkg-config module or file of the registry)",
				  name);
	}
	rc = w.count ? ED_EXIT_OK : ED_EXIT_UNMET;
	reg_which_fini(&w);
	return rc;
}

/* `validate` in JSON: valid, the counts and the warnings. */
static void validate_json(struct ctx *ctx, const struct reg_warnings *w)
{
	struct json j;

	json_init(&j, ctx->out.out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", MAPPINGS_SCHEMA_VERSION);
	json_kv_bool(&j, "valid", true);
	json_kv_int(&j, "definitions", (int64_t)registry_ndefs(ctx->reg));
	json_kv_int(&j, "ecosystems", (int64_t)registry_necosystems(ctx->reg));
	json_key(&j, "warnings");
	json_array_begin(&j);
	for (size_t i = 0; i < w->count; i++) {
		json_object_begin(&j);
		report_json_source(&j, w->items[i].file, w->items[i].line, w->items[i].col);
		json_kv_string(&j, "message", w->items[i].msg);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

static int do_validate(struct ctx *ctx, bool against_repos)
{
	struct reg_warnings w = { 0 };
	struct ed_diag d;
	int rc;

	ed_diag_clear(&d);
	rc = registry_validate(ctx->reg, &w, &d);
	for (size_t i = 0; i < w.count && ctx->out.verbosity >= 0; i++)
		out_warn(&ctx->out, "%s:%d:%d: %s", w.items[i].file, w.items[i].line,
			 w.items[i].col, w.items[i].msg);
	if (rc)
		out_diag(&ctx->out, &d);
	/* with --against-repos, the report that follows is the output */
	else if (!against_repos && !strcmp(ctx->format, "json"))
		validate_json(ctx, &w);
	else if (!against_repos && ctx->out.verbosity >= 0)
		fprintf(ctx->out.out, "%zu definitions, %zu ecosystems: valid\n",
			registry_ndefs(ctx->reg), registry_necosystems(ctx->reg));
	reg_warnings_fini(&w);
	return rc;
}

/* --- validate --against-repos --- */

/* A mapped name the repositories lack. */
struct missing_name {
	const char *depurl;
	char name[256];
	const char *covered_by; /* an alternative of the same spec they have, or NULL */
	struct reg_loc loc;
};

struct repo_check {
	const struct registry *reg;
	struct reg_target target;
	const struct cli_enabled *enabled; /* --enable-repo: in the pool too */
	Pool *pool;
	struct missing_name *items;
	size_t n, cap;
	size_t checked;
	bool oom;
};

/* The package name of an alternative: the spec up to its first blank (a
 * version constraint may follow). */
static void spec_name(const char *alt, char *out, size_t size)
{
	size_t n = strcspn(alt, " \t");

	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), alt);
}

/* Whether the repositories have NAME: a package of that name or, as the
 * solver takes a virtual name, one that provides it. */
static bool pool_knows(Pool *pool, const char *name)
{
	Id id, p, pp;

	if (eco_pool_has_name(pool, name))
		return true;
	if (!(id = pool_str2id(pool, name, 0)))
		return false;
	FOR_PROVIDES(p, pp, id)
	{
		if (pool->solvables[p].repo != pool->installed)
			return true;
	}
	return false;
}

static bool seen(const struct repo_check *c, const char *depurl, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].depurl == depurl && !strcmp(c->items[i].name, name))
			return true;
	return false;
}

static void check_spec(struct repo_check *c, const struct reg_mapping *m, const struct reg_spec *spec)
{
	const char *cover = NULL;
	char name[256];

	for (size_t a = 0; a < spec->nalts && !cover; a++) {
		spec_name(spec->alts[a], name, sizeof name);
		if (pool_knows(c->pool, name))
			cover = spec->alts[a];
	}
	for (size_t a = 0; a < spec->nalts; a++) {
		struct missing_name *x;

		spec_name(spec->alts[a], name, sizeof name);
		c->checked++;
		if (pool_knows(c->pool, name) || seen(c, m->id, name))
			continue;
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16;
			struct missing_name *v = realloc(c->items, cap * sizeof *v);

			if (!v) {
				c->oom = true;
				return;
			}
			c->items = v;
			c->cap = cap;
		}
		x = &c->items[c->n++];
		x->depurl = m->id;
		snprintf(x->name, sizeof x->name, "%s", name);
		x->covered_by = cover;
		x->loc = m->loc;
	}
}

static bool enabled(const struct repo_check *c, const char *id)
{
	for (size_t i = 0; i < c->enabled->n; i++)
		if (!strcmp(c->enabled->v[i].id, id))
			return true;
	return false;
}

static void check_entry(struct repo_check *c, const struct reg_mapping *m, const struct reg_entry *e)
{
	const struct reg_repository *r =
		e->repository ? registry_find_repository(c->reg, &c->target, e->repository) : NULL;

	/* another vendor's repository is not the target's, unless added */
	if (e->unavailable || (r && r->url && !enabled(c, r->id)))
		return;
	for (int st = 0; st < ED_STAGE_COUNT; st++)
		for (size_t i = 0; i < e->stages[st].count; i++)
			check_spec(c, m, &e->stages[st].items[i]);
}

/* Every mapping of T's ecosystem and of those it inherits from (the
 * nearest file's mapping of an id wins), for T's release. */
static void check_target(struct repo_check *c, const struct registry *reg, const struct reg_target *t)
{
	const struct reg_ecosystem *chain[8];
	size_t depth = 0;

	for (const struct reg_ecosystem *e = t->eco; e && depth < 8;
	     e = e->inherits ? registry_find_ecosystem(reg, e->inherits) : NULL)
		chain[depth++] = e;
	for (size_t k = 0; k < depth; k++) {
		for (size_t i = 0; i < chain[k]->nmappings; i++) {
			const struct reg_mapping *m = &chain[k]->mappings[i];
			bool shadowed = false;

			for (size_t j = 0; j < k && !shadowed; j++)
				shadowed = registry_find_mapping(chain[j], m->id) != NULL;
			if (shadowed)
				continue;
			check_entry(c, m, &m->base);
			for (size_t r = 0; t->release && r < m->nreleases; r++) {
				const struct reg_release_entry *o = &m->releases[r];
				if (strcmp(o->release, t->release))
					continue;
				check_entry(c, m, &o->entry);
				for (size_t v = 0; v < o->nversions; v++)
					check_entry(c, m, &o->versions[v].entry);
			}
			for (size_t v = 0; v < m->nversions; v++)
				check_entry(c, m, &m->versions[v].entry);
		}
	}
}

static int validate_against_repos(struct ctx *ctx)
{
	struct repo_check c = { 0 };
	struct cli_repos repos;
	struct reg_target t;
	char target[192];
	int rc;

	if ((rc = cli_target(ctx, ctx->distro, &t)) || (rc = cli_repos_open(ctx, &t, false, &repos)))
		return rc;
	snprintf(target, sizeof target, "%s%s%s", t.eco->id, t.release ? ":" : "",
		 t.release ? t.release : "");
	c.pool = repos.pool;
	c.reg = ctx->reg;
	c.target = t;
	c.enabled = &ctx->enabled;
	check_target(&c, ctx->reg, &t);
	if (c.oom) {
		out_error(&ctx->out, "out of memory");
		rc = ED_EXIT_ENV;
		goto out;
	}
	if (!strcmp(ctx->format, "json")) {
		struct json j;

		json_init(&j, ctx->out.out);
		json_object_begin(&j);
		json_key(&j, "schema_version");
		json_int(&j, MAPPINGS_SCHEMA_VERSION);
		json_key(&j, "target");
		json_string(&j, target);
		json_key(&j, "backend");
		json_string(&j, repos.eco->name);
		json_key(&j, "checked");
		json_int(&j, (int64_t)c.checked);
		json_key(&j, "missing");
		json_array_begin(&j);
		for (size_t i = 0; i < c.n; i++) {
			json_object_begin(&j);
			json_key(&j, "depurl");
			json_string(&j, c.items[i].depurl);
			json_key(&j, "name");
			json_string(&j, c.items[i].name);
			json_key(&j, "covered_by");
			json_string(&j, c.items[i].covered_by);
			report_json_source(&j, c.items[i].loc.file, c.items[i].loc.line,
					c.items[i].loc.col);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
		json_end(&j);
	} else {
		for (size_t i = 0; i < c.n; i++) {
			const struct missing_name *x = &c.items[i];

			fprintf(ctx->out.out, "%s:%d:%d: %s: '%s' is not in the repositories", x->loc.file,
				x->loc.line, x->loc.col, x->depurl, x->name);
			if (x->covered_by)
				fprintf(ctx->out.out, " ('%s' covers the spec)\n", x->covered_by);
			else
				fputs(" (no alternative is)\n", ctx->out.out);
		}
		if (ctx->out.verbosity >= 0)
			fprintf(ctx->out.out, "%s: %zu of %zu mapped names missing from the repositories\n",
				target, c.n, c.checked);
	}
	rc = c.n ? ED_EXIT_UNMET : 0;
out:
	free(c.items);
	cli_repos_close(&repos);
	return rc;
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

static int do_validate_all(struct ctx *ctx, const char *arg)
{
	const struct mappings_args *a = ctx->args;
	int rc = do_validate(ctx, a->against_repos);

	(void)arg;
	if (!rc && a->against_repos)
		rc = validate_against_repos(ctx);
	return rc;
}

static int do_export(struct ctx *ctx, const char *arg)
{
	const struct mappings_args *a = ctx->args;
	struct ed_diag d;
	int rc;

	(void)arg;
	ed_diag_clear(&d);
	if ((rc = registry_export_pep804(ctx->reg, a->ecosystem, ctx->out.out, &d)))
		out_diag(&ctx->out, &d);
	return rc;
}

/* `show`: text, or JSON (the whole entry, for scripts). */
static int do_show_any(struct ctx *ctx, const char *name)
{
	struct reg_resolved r;
	struct ed_diag d;

	if (strcmp(ctx->format, "json"))
		return do_show(ctx, name);
	ed_diag_clear(&d);
	if (registry_resolve(ctx->reg, name, &r, &d)) {
		out_diag(&ctx->out, &d);
		return ED_EXIT_UNMET;
	}
	show_report_registry_json(&ctx->out, ctx->reg, name, &r);
	return 0;
}

static int do_list_all(struct ctx *ctx, const char *arg)
{
	const struct mappings_args *a = ctx->args;

	(void)arg;
	return do_list(ctx, a->ecosystem);
}

static int do_coverage_all(struct ctx *ctx, const char *arg)
{
	(void)arg;
	return do_coverage(ctx);
}

/* The subcommands: their names (which completions offer too), the operand
 * each takes (NULL: none) and what runs. */
enum { SUB_LIST, SUB_SHOW, SUB_WHICH, SUB_VALIDATE, SUB_COVERAGE, SUB_EXPORT, NSUBS };

static const char *const sub_names[NSUBS + 1] = {
	[SUB_LIST] = "list",         [SUB_SHOW] = "show",         [SUB_WHICH] = "which",
	[SUB_VALIDATE] = "validate", [SUB_COVERAGE] = "coverage", [SUB_EXPORT] = "export",
};

static const struct mappings_sub {
	const char *operand;
	int (*run)(struct ctx *ctx, const char *arg);
} subs[NSUBS] = {
	[SUB_LIST] = { NULL, do_list_all },
	[SUB_SHOW] = { "DEPURL", do_show_any },
	[SUB_WHICH] = { "NAME", do_which },
	[SUB_VALIDATE] = { NULL, do_validate_all },
	[SUB_COVERAGE] = { NULL, do_coverage_all },
	[SUB_EXPORT] = { NULL, do_export },
};

/* The index of subcommand NAME, or -1 after saying so. */
static int find_sub(struct ctx *ctx, const char *name)
{
	const char *near;

	for (int i = 0; i < NSUBS; i++)
		if (!strcmp(sub_names[i], name))
			return i;
	if ((near = util_nearest(name, sub_names, NSUBS)))
		out_error(&ctx->out, "'%s' is not a mappings command; did you mean '%s'?", name, near);
	else
		out_error(&ctx->out, "'%s' is not a mappings command (list, show, which, validate, "
				     "coverage, export)", name);
	return -1;
}

static int run(struct ctx *ctx)
{
	const struct mappings_args *a = ctx->args;
	int which = find_sub(ctx, ctx->noperands ? ctx->operands[0] : "list");
	const struct mappings_sub *sub = which < 0 ? NULL : &subs[which];

	if (!sub)
		return ED_EXIT_INPUT;
	if (ctx->noperands > (sub->operand ? 2 : 1) || (sub->operand && ctx->noperands < 2)) {
		if (sub->operand)
			out_error(&ctx->out, "'%s' takes one %s", sub_names[which], sub->operand);
		else
			out_error(&ctx->out, "'%s' takes no arguments", sub_names[which]);
		return ED_EXIT_INPUT;
	}
	if (!strcmp(ctx->format, "pep804") && which != SUB_EXPORT) {
		out_error(&ctx->out, "--format=pep804 is for 'export'");
		return ED_EXIT_INPUT;
	}
	if (a->against_repos && which != SUB_VALIDATE) {
		out_error(&ctx->out, "--against-repos is for 'validate'");
		return ED_EXIT_INPUT;
	}
	return sub->run(ctx, sub->operand ? ctx->operands[1] : NULL);
}

static const char *const formats[] = { "text", "json", "pep804", NULL };

const struct cmd cmd_mappings = {
	.name = "mappings",
	.run = run,
	.summary = "list, show, look up, validate, export and measure the mapping registry",
	.operands = "list|show DEPURL|which NAME|validate|coverage|export",
	.subcommands = sub_names,
	.max_operands = -1,
	.opts = opts,
	.opt = handle_opt,
	.args_size = sizeof(struct mappings_args),
	.formats = formats,
	.flags = CMD_REGISTRY | CMD_NETWORK,
};
