/* report.c - the JSON pieces every report shares. */
#include "extdeps/render/report.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void json_project_object(struct json *j, const struct project *p)
{
	json_object_begin(j);
	json_key(j, "name");
	json_string(j, p->name);
	json_key(j, "file");
	json_string(j, p->path);
	json_object_end(j);
}

void report_json_project(struct json *j, const struct project *p)
{
	json_key(j, "project");
	if (!p->nmembers) {
		json_project_object(j, p);
		return;
	}
	/* several projects: each dependency's source names its file */
	json_null(j);
	json_key(j, "projects");
	json_array_begin(j);
	for (size_t i = 0; i < p->nmembers; i++)
		json_project_object(j, p->members[i]);
	json_array_end(j);
}

void report_text_source(FILE *f, const struct out *o, const struct project *p,
			const struct project_dep *dep)
{
	if (p->nmembers)
		fprintf(f, "  %s(%s:%d:%d)%s", out_on(o, OUT_DIM), dep->file, dep->line, dep->col,
			out_off(o));
}

void report_json_dep(struct json *j, const struct project_dep *dep)
{
	json_key(j, "depurl");
	json_string(j, dep->url->id);
	json_key(j, "version");
	json_string(j, dep->url->version);
	json_key(j, "stage");
	json_string(j, ed_stage_name(dep->stage));
	json_key(j, "extra");
	json_string(j, dep->extra);
	json_key(j, "group");
	json_string(j, dep->group);
}

void report_json_source(struct json *j, const char *file, int line, int col)
{
	json_key(j, "source");
	json_object_begin(j);
	json_key(j, "file");
	json_string(j, file);
	json_key(j, "line");
	json_int(j, line);
	json_key(j, "column");
	json_int(j, col);
	json_object_end(j);
}

void report_json_errors(const struct out *o, const char *command, int status,
			const struct ed_diags *errs)
{
	struct json j;

	json_init(&j, o->out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", REPORT_ERRORS_SCHEMA_VERSION);
	json_kv_string(&j, "command", command);
	json_kv_int(&j, "exit_status", status);
	json_key(&j, "errors");
	json_array_begin(&j);
	for (size_t i = 0; i < errs->n; i++) {
		const struct ed_diag *d = &errs->v[i];

		json_object_begin(&j);
		json_kv_nonempty(&j, "file", d->file);
		json_key(&j, "line");
		d->line > 0 ? json_int(&j, d->line) : json_null(&j);
		json_key(&j, "column");
		d->col > 0 ? json_int(&j, d->col) : json_null(&j);
		json_kv_string(&j, "message", d->msg);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_kv_int(&j, "errors_not_shown", (int64_t)errs->more);
	json_object_end(&j);
	json_end(&j);
}

void report_json_databases(struct json *j, const char *key, const struct check_db_info *dbs,
			   size_t n)
{
	json_key(j, key);
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(j);
		json_kv_nonempty(j, "kind", dbs[i].kind);
		json_kv_nonempty(j, "path", dbs[i].path);
		json_kv_nonempty(j, "ecosystem", dbs[i].ecosystem);
		json_kv_int(j, "entries", (int64_t)dbs[i].count);
		json_object_end(j);
	}
	json_array_end(j);
}

void report_text_unmapped(FILE *f, const struct out *o, const struct reg_map *m,
			  const struct reg_target *t)
{
	switch (m->status) {
	case REG_UNAVAILABLE:
		fprintf(f, "%snot available%s: %s", out_on(o, OUT_RED), out_off(o), m->reason);
		break;
	case REG_UNMAPPED:
		fprintf(f, "%snot mapped%s for %s yet", out_on(o, OUT_YELLOW), out_off(o), t->eco->id);
		break;
	case REG_UNKNOWN:
		fprintf(f, "%sunknown DepURL%s", out_on(o, OUT_RED), out_off(o));
		if (m->suggestion)
			fprintf(f, "; did you mean '%s'?", m->suggestion);
		break;
	case REG_MAPPED:
		break;
	}
}

enum report_version report_version_of(const struct project_dep *dep, const struct reg_map *m,
				      bool planned)
{
	if (!dep->url->spec || m->status != REG_MAPPED)
		return REPORT_VERSION_NONE;
	if (!m->version_unexpressed)
		return REPORT_VERSION_PACKAGES;
	if (m->version != REG_VERSION_UPSTREAM)
		return REPORT_VERSION_UNCHECKED;
	return planned ? REPORT_VERSION_CANDIDATES : REPORT_VERSION_UNEXPRESSED;
}

void report_text_version(FILE *f, const struct out *o, const struct project_dep *dep,
			 const struct reg_map *m, const struct reg_target *t, bool planned)
{
	switch (report_version_of(dep, m, planned)) {
	case REPORT_VERSION_UNCHECKED:
		fprintf(f, "  %s(version %s not checked: %s's package versions are not the upstream's)%s",
			out_on(o, OUT_YELLOW), dep->url->version, t->eco->id, out_off(o));
		break;
	case REPORT_VERSION_UNEXPRESSED:
		fprintf(f, "  %s(version %s: %s takes no constraint; 'extdeps plan' checks it)%s",
			out_on(o, OUT_DIM), dep->url->version, t->eco->id, out_off(o));
		break;
	default:
		break;
	}
}

void report_json_version(struct json *j, const struct project_dep *dep, const struct reg_map *m,
			 bool planned)
{
	static const char *const names[] = { NULL, "packages", "candidates", "not-expressed",
					     "not-checked" };

	json_kv_string(j, "version_check", names[report_version_of(dep, m, planned)]);
	json_kv_string(j, "version_branch", m->branch);
}

void report_text_repository(FILE *f, const struct out *o, const struct reg_map *m)
{
	if (m->status == REG_MAPPED && m->repository)
		fprintf(f, "  %s(in %s)%s", out_on(o, OUT_DIM), m->repository->name, out_off(o));
}

/* Each word of R's enable commands, with T's release filled in, to FN. */
static void each_enable_word(const struct reg_repository *r, const struct reg_target *t,
			     void (*fn)(size_t cmd, size_t word, const char *s, void *ud), void *ud)
{
	for (size_t c = 0; c < r->nenable; c++)
		for (size_t w = 0; r->enable[c][w]; w++) {
			char *s = registry_expand(r->enable[c][w], t);
			fn(c, w, s ? s : r->enable[c][w], ud);
			free(s);
		}
}

static void json_word(size_t cmd, size_t word, const char *s, void *ud)
{
	struct json *j = ud;

	if (word == 0) {
		if (cmd)
			json_array_end(j);
		json_array_begin(j);
	}
	json_string(j, s);
}

void report_json_repository(struct json *j, const struct reg_map *m, const struct reg_target *t)
{
	const struct reg_repository *r = m->status == REG_MAPPED ? m->repository : NULL;
	char *url;

	json_key(j, "repository");
	if (!r) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_string(j, "id", r->id);
	json_kv_string(j, "name", r->name);
	json_kv_string(j, "component", r->component);
	url = r->url ? registry_expand(r->url, t) : NULL;
	json_kv_string(j, "url", url ? url : r->url);
	free(url);
	json_key(j, "enable");
	json_array_begin(j);
	each_enable_word(r, t, json_word, j);
	if (r->nenable)
		json_array_end(j);
	json_array_end(j);
	json_object_end(j);
}

static void text_word(size_t cmd, size_t word, const char *s, void *ud)
{
	FILE *f = ud;

	if (word == 0)
		fputs(cmd ? "\n    " : "    ", f);
	else
		fputc(' ', f);
	report_sh_word(f, s);
}

void report_text_enable(FILE *f, const struct out *o, const struct reg_repository *r,
			const struct reg_target *t, const char *who)
{
	fprintf(f, "%sto enable %s%s (for %s), as root:\n", out_on(o, OUT_BOLD), r->name,
		out_off(o), who);
	each_enable_word(r, t, text_word, f);
	fputc('\n', f);
}

struct lines {
	char **v;
	size_t n;
	struct strbuf b;
	bool oom;
};

static void line_word(size_t cmd, size_t word, const char *s, void *ud)
{
	struct lines *l = ud;
	char *q = NULL;
	size_t len = 0;
	FILE *f;

	if (word == 0 && cmd) {
		l->oom |= !util_strv_push(&l->v, &l->n, strbuf_str(&l->b)) || l->b.oom;
		strbuf_reset(&l->b);
	}
	if (!(f = open_memstream(&q, &len))) {
		l->oom = true;
		return;
	}
	report_sh_word(f, s);
	fclose(f);
	strbuf_addstr(&l->b, word ? " " : "");
	strbuf_addstr(&l->b, q ? q : "");
	l->oom |= !q;
	free(q);
}

char **report_enable_lines(const struct reg_repository *r, const struct reg_target *t, size_t *n)
{
	struct lines l = { .b = STRBUF_INIT };

	each_enable_word(r, t, line_word, &l);
	if (r->nenable)
		l.oom |= !util_strv_push(&l.v, &l.n, strbuf_str(&l.b)) || l.b.oom;
	strbuf_release(&l.b);
	if (l.oom) {
		util_strv_free(l.v, l.n);
		return NULL;
	}
	*n = l.n;
	return l.v ? l.v : calloc(1, sizeof *l.v);
}

void report_sh_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

void report_sh_word(FILE *f, const char *s)
{
	if (util_sh_plain(s))
		fputs(s, f);
	else
		report_sh_quote(f, s);
}
