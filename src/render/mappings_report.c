/* mappings_report.c - the registry as `extdeps mappings` prints it: the
 * DepURLs behind a name (text, JSON), one definition (JSON). */
#include "extdeps/render/mappings_report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "extdeps/render/report.h"
#include "extdeps/util/json.h"

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether A and B name the same thing the same way (one text line). */
static bool same_line(const struct reg_which_match *a, const struct reg_which_match *b)
{
	return !strcmp(a->id, b->id) && a->kind == b->kind && !strcmp(a->name, b->name);
}

/* Whether A and B differ only in their stage (one place of a line). */
static bool same_place(const struct reg_which_match *a, const struct reg_which_match *b)
{
	return same_line(a, b) && same_str(a->ecosystem, b->ecosystem) &&
	       same_str(a->release, b->release) && same_str(a->branch, b->branch) &&
	       same_str(a->from, b->from);
}

/* "debian 13 versions >=12 (host, run; from debian)" for the matches
 * V[*I..] of one place; *I is left on its last. */
static void place(FILE *f, const struct reg_which_match *v, size_t n, size_t *i)
{
	const struct reg_which_match *m = &v[*i];

	fputs(m->ecosystem, f);
	if (m->release)
		fprintf(f, " %s", m->release);
	if (m->branch)
		fprintf(f, " versions %s", m->branch);
	fprintf(f, " (%s", ed_stage_name(m->stage));
	while (*i + 1 < n && same_place(m, &v[*i + 1]))
		fprintf(f, ", %s", ed_stage_name(v[++*i].stage));
	if (m->from)
		fprintf(f, "; from %s", m->from);
	fputc(')', f);
}

void which_report_text(const struct out *o, const struct registry *reg, const char *query,
		       const struct reg_which *w)
{
	FILE *f = o->out;

	if (w->stem[0] && o->verbosity >= 0)
		fprintf(f, "nothing is known by '%s' itself; by its file name's stem '%s':\n", query,
			w->stem);
	for (size_t i = 0; i < w->count; i++) {
		const struct reg_which_match *m = &w->items[i];
		const struct reg_def *def = registry_find(reg, m->id);

		if (!i || strcmp(m->id, w->items[i - 1].id))
			fprintf(f, "%s%s%s  %s\n", out_on(o, OUT_BOLD), m->id, out_off(o),
				def && def->description ? def->description : "");
		fprintf(f, "  %s %s", reg_which_kind_name(m->kind), m->name);
		if (m->ecosystem) {
			fputs(": ", f);
			for (bool first = true;; first = false) {
				fputs(first ? "" : ", ", f);
				place(f, w->items, w->count, &i);
				if (i + 1 >= w->count || !same_line(m, &w->items[i + 1]))
					break;
				i++;
			}
		}
		if (o->verbosity > 0)
			fprintf(f, "  %s(%s:%d:%d)%s", out_on(o, OUT_DIM), m->loc.file, m->loc.line,
				m->loc.col, out_off(o));
		fputc('\n', f);
	}
}

void which_report_json(const struct out *o, const struct registry *reg, const char *query,
		       const struct reg_which *w)
{
	struct json j;

	json_init(&j, o->out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", MAPPINGS_SCHEMA_VERSION);
	json_kv_string(&j, "query", query);
	json_kv_nonempty(&j, "stem", w->stem);
	json_key(&j, "matches");
	json_array_begin(&j);
	for (size_t i = 0; i < w->count; i++) {
		const struct reg_which_match *m = &w->items[i];
		const struct reg_def *def = registry_find(reg, m->id);

		json_object_begin(&j);
		json_kv_string(&j, "depurl", m->id);
		json_kv_string(&j, "description", def ? def->description : NULL);
		json_kv_string(&j, "kind", reg_which_kind_name(m->kind));
		json_kv_string(&j, "name", m->name);
		json_kv_string(&j, "ecosystem", m->ecosystem);
		json_kv_string(&j, "from", m->from);
		json_kv_string(&j, "release", m->release);
		json_kv_string(&j, "versions", m->branch);
		json_kv_string(&j, "stage", m->ecosystem ? ed_stage_name(m->stage) : NULL);
		report_json_source(&j, m->loc.file, m->loc.line, m->loc.col);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

/* --- show --- */

static void json_strings(struct json *j, const char *key, char *const *v, size_t n)
{
	json_kv_strv(j, key, (const char *const *)v, n);
}

static void json_specs(struct json *j, const struct reg_spec_list *l)
{
	json_array_begin(j);
	for (size_t k = 0; k < l->count; k++) {
		json_array_begin(j);
		for (size_t a = 0; a < l->items[k].nalts; a++)
			json_string(j, l->items[k].alts[a]);
		json_array_end(j);
	}
	json_array_end(j);
}

static const char *version_mode(enum reg_version_mode v)
{
	return v == REG_VERSION_UPSTREAM ? "upstream" : v == REG_VERSION_NONE ? "none" : NULL;
}

static int json_entry(const struct reg_entry *e, const struct reg_loc *loc, const char *what,
		      void *ud)
{
	struct json *j = ud;

	json_object_begin(j);
	json_kv_nonempty(j, "scope", what);
	json_kv_string(j, "unavailable", e->unavailable);
	json_key(j, "specs");
	json_object_begin(j);
	for (int s = 0; s < ED_STAGE_COUNT; s++)
		if (e->has_stage[s]) {
			json_key(j, ed_stage_name((enum ed_stage)s));
			json_specs(j, &e->stages[s]);
		}
	json_object_end(j);
	json_kv_string(j, "version", version_mode(e->version));
	json_kv_string(j, "repository", e->repository);
	report_json_source(j, loc->file, loc->line, loc->col);
	json_object_end(j);
	return 0;
}

static void json_definition(struct json *j, const struct reg_def *def)
{
	json_kv_string(j, "description", def->description);
	json_kv_string(j, "versioning", def->versioning);
	json_strings(j, "provides", def->provides, def->nprovides);
	json_strings(j, "aliases", def->aliases, def->naliases);
	json_key(j, "probes");
	json_object_begin(j);
	json_strings(j, "pkg-config", def->pkgconfig, def->npkgconfig);
	json_strings(j, "executables", def->executables, def->nexecutables);
	json_strings(j, "env", def->env, def->nenv);
	json_strings(j, "files", def->files, def->nfiles);
	json_object_end(j);
	report_json_source(j, def->loc.file, def->loc.line, def->loc.col);
}

void show_report_registry_json(const struct out *o, const struct registry *reg,
			       const char *query, const struct reg_resolved *r)
{
	const char *id = r->def ? r->def->id : query;
	struct json j;

	json_init(&j, o->out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", MAPPINGS_SCHEMA_VERSION);
	json_kv_string(&j, "depurl", id);
	json_kv_string(&j, "version", r->version);
	json_kv_string(&j, "alias", r->alias);
	json_key(&j, "definition");
	if (r->def) {
		json_object_begin(&j);
		json_definition(&j, r->def);
		json_object_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "ecosystems");
	json_array_begin(&j);
	for (size_t e = 0; e < registry_necosystems(reg); e++) {
		const struct reg_ecosystem *eco = registry_ecosystem_at(reg, e);
		const struct reg_mapping *m = registry_find_mapping(eco, id);

		json_object_begin(&j);
		json_kv_string(&j, "id", eco->id);
		json_kv_string(&j, "inherits", eco->inherits);
		json_kv_bool(&j, "mapped", m != NULL);
		json_kv_string(&j, "specs_from", m ? m->specs_from : NULL);
		json_key(&j, "entries");
		json_array_begin(&j);
		if (m)
			registry_each_entry(m, json_entry, &j);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}
