#include "extdeps/read/project.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extdeps/read/toml.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

/* The seven keys PEP 725 defines for [external]; anything else is an error,
 * since a silently ignored dependency would let a CI check pass wrongly. */
static const char *const external_keys[] = {
	"build-requires",          "host-requires",          "dependencies",
	"optional-build-requires", "optional-host-requires", "optional-dependencies",
	"dependency-groups",
};
#define NEXTERNAL_KEYS (sizeof external_keys / sizeof *external_keys)

static const enum ed_stage key_stage[] = {
	ED_STAGE_BUILD, ED_STAGE_HOST, ED_STAGE_RUN, ED_STAGE_BUILD, ED_STAGE_HOST, ED_STAGE_RUN,
	ED_STAGE_RUN,
};

static void dep_fini(struct project_dep *dep);

void project_free(struct project *p)
{
	if (!p)
		return;
	/* a merged project's deps belong to its members */
	for (size_t i = 0; i < p->nmembers; i++)
		project_free(p->members[i]);
	free(p->members);
	for (size_t i = 0; !p->nmembers && i < p->ndeps; i++)
		dep_fini(&p->deps[i]);
	free(p->deps);
	util_strv_free(p->extras, p->nextras);
	for (size_t i = 0; i < p->ngroups; i++) {
		struct project_group *g = &p->groups[i];
		free(g->name);
		util_strv_free(g->includes, g->nincludes);
		free(g->include_lines);
		free(g->include_cols);
	}
	free(p->groups);
	strindex_fini(&p->extra_index);
	strindex_fini(&p->group_index);
	free(p->path);
	free(p->name);
	free(p);
}

static struct project *project_new(const char *filename)
{
	struct project *p = calloc(1, sizeof *p);

	if (p && !(p->path = strdup(filename))) {
		free(p);
		p = NULL;
	}
	return p;
}

const struct project_group *project_find_group(const struct project *p, const char *name)
{
	char *norm = marker_normalize_name(name);
	size_t at;
	bool found = norm && strindex_get(&p->group_index, norm, &at);

	free(norm);
	return found ? &p->groups[at] : NULL;
}

bool project_has_extra(const struct project *p, const char *extra)
{
	char *norm = marker_normalize_name(extra);
	bool found = norm && strindex_get(&p->extra_index, norm, NULL);

	free(norm);
	return found;
}

/* PEP 508 names: letters and digits, with . _ - inside. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

/* Position of byte OFFSET of a string value: one character after the
 * opening quote(s). Exact for strings without escapes, which is what
 * specifiers are in practice. */
static void value_offset_pos(const struct toml_value *v, const char *s, size_t offset, int *line,
			     int *col)
{
	int l, c;

	ed_text_linecol(s, strlen(s), offset, &l, &c);
	*line = v->pos.line + l - 1;
	*col = (l == 1 ? v->pos.col : 0) + c;
}

/* Parse one external dependency specifier "DEPURL[; MARKER]" into DEP.
 * FILE, LINE, COL locate its first byte; POSFN maps offsets. */
struct spec_src {
	const char *file;
	const struct toml_value *value; /* NULL for Core Metadata */
	int line, col;                  /* of byte 0 when value is NULL */
};

static void src_pos(const struct spec_src *src, const char *s, size_t offset, int *line, int *col)
{
	if (src->value) {
		value_offset_pos(src->value, s, offset, line, col);
	} else {
		*line = src->line;
		*col = src->col + (int)offset;
	}
}

static int parse_specifier(const char *s, const struct spec_src *src, struct project_dep *dep,
			   struct ed_diag *d)
{
	size_t len = strlen(s), start = 0, end, url_end;
	const char *semi = memchr(s, ';', len);
	struct ed_parse_err perr = { 0 };
	int line, col;

	while (start < len && isspace((unsigned char)s[start]))
		start++;
	end = len;
	while (end > start && isspace((unsigned char)s[end - 1]))
		end--;
	url_end = semi ? (size_t)(semi - s) : end;
	while (url_end > start && isspace((unsigned char)s[url_end - 1]))
		url_end--;
	src_pos(src, s, start, &dep->line, &dep->col);
	if (url_end == start) {
		return ed_diag_set(d, ED_EXIT_INPUT, src->file, dep->line, dep->col,
				   "expected a DepURL such as 'dep:generic/zlib'%s",
				   semi ? " before ';'" : "");
	}
	dep->url = depurl_parse(s + start, url_end - start, &perr);
	if (!dep->url) {
		src_pos(src, s, start + perr.offset, &line, &col);
		return ed_diag_set(d, ED_EXIT_INPUT, src->file, line, col, "invalid DepURL '%.*s': %s",
				   (int)(url_end - start), s + start, perr.msg);
	}
	if (semi) {
		size_t mstart = (size_t)(semi - s) + 1;
		while (mstart < end && isspace((unsigned char)s[mstart]))
			mstart++;
		if (mstart >= end) {
			src_pos(src, s, (size_t)(semi - s), &line, &col);
			return ed_diag_set(d, ED_EXIT_INPUT, src->file, line, col,
					   "expected an environment marker after ';'");
		}
		dep->marker = marker_parse(s + mstart, end - mstart, &perr);
		if (!dep->marker) {
			src_pos(src, s, mstart + perr.offset, &line, &col);
			return ed_diag_set(d, ED_EXIT_INPUT, src->file, line, col,
					   "invalid environment marker: %s", perr.msg);
		}
		if (!(dep->marker_text = marker_str(dep->marker)))
			return ed_diag_oom(d);
	}
	if (!(dep->text = util_strndup(s + start, end - start)))
		return ed_diag_oom(d);
	return 0;
}

/* After error RC (D) in one entry: with ALL, the error is kept there and
 * reading goes on with the next entry (true), so that one run reports every
 * bad entry of a file; without, or out of memory, the caller stops. */
static bool go_on(struct ed_diags *all, const struct ed_diag *d, int rc)
{
	if (!all || rc != ED_EXIT_INPUT)
		return false;
	ed_diags_add(all, d);
	return true;
}

static void dep_fini(struct project_dep *dep)
{
	depurl_free(dep->url);
	marker_free(dep->marker);
	free(dep->marker_text);
	free(dep->text);
	free(dep->extra);
	free(dep->group);
}

/* Forget the last dependency, which could not be read. */
static void drop_last_dep(struct project *p)
{
	dep_fini(&p->deps[--p->ndeps]);
}

static struct project_dep *push_dep(struct project *p, struct ed_diag *d)
{
	if (!ALLOC_GROW(p->deps, p->ndeps + 1, p->deps_cap)) {
		ed_diag_oom(d);
		return NULL;
	}
	memset(&p->deps[p->ndeps], 0, sizeof *p->deps);
	p->deps[p->ndeps].file = p->path;
	return &p->deps[p->ndeps++];
}

/* An array of specifier strings for STAGE, EXTRA or GROUP; with ALL,
 * every bad entry is reported there (go_on). */
static int read_spec_array(struct project *p, const char *file, const char *what,
			   const struct toml_value *v, enum ed_stage stage, const char *extra,
			   const char *group, struct ed_diag *d, struct ed_diags *all)
{
	if (v->type != TOML_ARRAY)
		return ed_diag_set(d, ED_EXIT_INPUT, file, v->pos.line, v->pos.col,
				   "%s: expected an array of strings, found %s", what,
				   toml_type_name(v->type));
	for (size_t i = 0; i < v->u.array->count; i++) {
		const struct toml_value *item = &v->u.array->items[i];
		struct spec_src src = { file, item, 0, 0 };
		struct project_dep *dep;
		int rc = 0;

		if (item->type == TOML_TABLE && group) {
			/* {include-group = "name"}, handled by the caller's second pass */
			continue;
		}
		if (item->type != TOML_STRING)
			rc = ed_diag_set(d, ED_EXIT_INPUT, file, item->pos.line, item->pos.col,
					 "%s: expected a string%s, found %s", what,
					 group ? " or {include-group = \"...\"}" : "",
					 toml_type_name(item->type));
		else if (strlen(item->u.str.ptr) != item->u.str.len)
			rc = ed_diag_set(d, ED_EXIT_INPUT, file, item->pos.line, item->pos.col,
					 "%s: a specifier cannot contain a NUL character", what);
		if (rc) {
			if (!go_on(all, d, rc))
				return rc;
			continue;
		}
		if (!(dep = push_dep(p, d)))
			return ED_EXIT_ENV;
		dep->stage = stage;
		if ((extra && !(dep->extra = strdup(extra))) || (group && !(dep->group = strdup(group))))
			return ed_diag_oom(d);
		if ((rc = parse_specifier(item->u.str.ptr, &src, dep, d))) {
			drop_last_dep(p);
			if (!go_on(all, d, rc))
				return rc;
		}
	}
	return 0;
}

/* The normalised name of the extra or group (WHAT) that KV's key names. */
static int read_name(const char *file, const struct toml_keyval *kv, const char *what,
		     char **norm, struct ed_diag *d)
{
	if (!valid_name(kv->key))
		return ed_diag_set(d, ED_EXIT_INPUT, file, kv->keypos.line, kv->keypos.col,
				   "invalid %s name '%s': expected letters, digits, '.', '_' or '-', "
				   "starting and ending with a letter or digit", what, kv->key);
	if (!(*norm = marker_normalize_name(kv->key)))
		return ed_diag_oom(d);
	return 0;
}

/* Declare the extra NORM unless it is already; false when out of memory. */
static bool add_extra(struct project *p, const char *norm)
{
	if (strindex_get(&p->extra_index, norm, NULL))
		return true;
	return util_strv_push(&p->extras, &p->nextras, norm) &&
	       strindex_put(&p->extra_index, p->extras[p->nextras - 1], p->nextras - 1);
}

static int read_optional(struct project *p, const char *file, const struct toml_keyval *kv,
			 enum ed_stage stage, struct ed_diag *d, struct ed_diags *all)
{
	const struct toml_value *v = &kv->value;

	if (v->type != TOML_TABLE)
		return ed_diag_set(d, ED_EXIT_INPUT, file, v->pos.line, v->pos.col,
				   "'external.%s': expected a table of extras, found %s", kv->key,
				   toml_type_name(v->type));
	for (size_t i = 0; i < v->u.table->count; i++) {
		const struct toml_keyval *e = &v->u.table->items[i];
		char what[256], *norm;
		int rc;

		if ((rc = read_name(file, e, "extra", &norm, d))) {
			if (go_on(all, d, rc))
				continue;
			return rc;
		}
		if (!add_extra(p, norm)) {
			free(norm);
			return ed_diag_oom(d);
		}
		snprintf(what, sizeof what, "'external.%s.%s'", kv->key, e->key);
		rc = read_spec_array(p, file, what, &e->value, stage, norm, NULL, d, all);
		free(norm);
		if (rc && !go_on(all, d, rc))
			return rc;
	}
	return 0;
}

/* The index of the group named NORM (normalised already), or NGROUPS when
 * there is none. Unlike project_find_group() it allocates nothing, so it
 * cannot fail. */
static size_t group_index(const struct project *p, const char *norm)
{
	size_t i;

	return strindex_get(&p->group_index, norm, &i) ? i : p->ngroups;
}

/* Room for one more include in G: its three arrays grow together. */
static bool grow_includes(struct project_group *g)
{
	size_t need = g->nincludes + 1, cap = g->includes_cap;

	if (!ALLOC_GROW(g->includes, need, cap))
		return false;
	cap = g->includes_cap;
	if (!ALLOC_GROW(g->include_lines, need, cap))
		return false;
	cap = g->includes_cap;
	if (!ALLOC_GROW(g->include_cols, need, cap))
		return false;
	g->includes_cap = cap;
	return true;
}

/* An entry ITEM of group G's array (WHAT in messages): the tables are
 * {include-group = "NAME"}; strings were read as specifiers already. */
static int read_include(struct project_group *g, const char *file, const char *what,
			const struct toml_value *item, struct ed_diag *d)
{
	const struct toml_table *t;
	const struct toml_value *inc;

	if (item->type != TOML_TABLE)
		return 0;
	t = item->u.table;
	inc = toml_table_get(t, "include-group");
	if (!inc || t->count != 1)
		return ed_diag_set(d, ED_EXIT_INPUT, file, item->pos.line, item->pos.col,
				   "%s: a table entry must be exactly {include-group = \"NAME\"}",
				   what);
	if (inc->type != TOML_STRING)
		return ed_diag_set(d, ED_EXIT_INPUT, file, inc->pos.line, inc->pos.col,
				   "%s: include-group: expected a string, found %s", what,
				   toml_type_name(inc->type));
	if (!grow_includes(g) ||
	    !(g->includes[g->nincludes] = marker_normalize_name(inc->u.str.ptr)))
		return ed_diag_oom(d);
	g->include_lines[g->nincludes] = inc->pos.line;
	g->include_cols[g->nincludes] = inc->pos.col;
	g->nincludes++;
	return 0;
}

/* The group that KV defines: its specifiers, then its includes. */
static int read_group(struct project *p, const char *file, const struct toml_keyval *kv,
		      struct ed_diag *d, struct ed_diags *all)
{
	struct project_group *g;
	char what[256], *norm;
	int rc;

	if ((rc = read_name(file, kv, "dependency group", &norm, d)))
		return rc;
	if (group_index(p, norm) < p->ngroups) {
		free(norm);
		return ed_diag_set(d, ED_EXIT_INPUT, file, kv->keypos.line, kv->keypos.col,
				   "dependency group '%s' is defined twice (names are compared "
				   "after normalisation, PEP 735)", kv->key);
	}
	g = &p->groups[p->ngroups];
	if (!strindex_put(&p->group_index, norm, p->ngroups)) {
		free(norm);
		return ed_diag_oom(d);
	}
	p->ngroups++;
	g->name = norm;
	g->line = kv->keypos.line;
	g->col = kv->keypos.col;
	snprintf(what, sizeof what, "'external.dependency-groups.%s'", kv->key);
	if ((rc = read_spec_array(p, file, what, &kv->value, ED_STAGE_RUN, NULL, norm, d, all)))
		return rc;
	for (size_t i = 0; i < kv->value.u.array->count; i++)
		if ((rc = read_include(g, file, what, &kv->value.u.array->items[i], d)) &&
		    !go_on(all, d, rc))
			return rc;
	return 0;
}

/* Every include names a group that exists. */
static int check_includes_exist(const struct project *p, const char *file, struct ed_diag *d)
{
	for (size_t i = 0; i < p->ngroups; i++) {
		const struct project_group *g = &p->groups[i];
		for (size_t j = 0; j < g->nincludes; j++)
			if (group_index(p, g->includes[j]) == p->ngroups)
				return ed_diag_set(d, ED_EXIT_INPUT, file, g->include_lines[j],
						   g->include_cols[j],
						   "dependency group '%s' includes unknown group '%s'",
						   g->name, g->includes[j]);
	}
	return 0;
}

/* No group includes itself, however indirectly: a depth-first walk without
 * recursion, colouring groups new (0), on the path (1) and done (2). */
static int check_no_cycles(const struct project *p, const char *file, struct ed_diag *d)
{
	size_t n = p->ngroups;
	unsigned char *state = calloc(n ? n : 1, 1);
	size_t *stack = calloc(n ? n : 1, sizeof *stack), *next = calloc(n ? n : 1, sizeof *next);
	int rc = 0;

	if (!state || !stack || !next) {
		rc = ed_diag_oom(d);
		goto out;
	}
	for (size_t root = 0; root < n && !rc; root++) {
		size_t top = 0;
		if (state[root])
			continue;
		stack[top++] = root;
		state[root] = 1;
		next[root] = 0;
		while (top && !rc) {
			size_t g = stack[top - 1];
			const struct project_group *pg = &p->groups[g];
			if (next[g] == pg->nincludes) {
				state[g] = 2;
				top--;
				continue;
			}
			size_t k = next[g]++;
			size_t t = group_index(p, pg->includes[k]);
			if (state[t] == 1)
				rc = ed_diag_set(d, ED_EXIT_INPUT, file, pg->include_lines[k],
						 pg->include_cols[k],
						 "dependency group '%s' includes '%s', which "
						 "leads back to '%s': cycles are not allowed",
						 pg->name, pg->includes[k], pg->name);
			else if (!state[t]) {
				state[t] = 1;
				next[t] = 0;
				stack[top++] = t;
			}
		}
	}
out:
	free(state);
	free(stack);
	free(next);
	return rc;
}

/* PEP 735: names are normalised, two names that normalise alike are an
 * error, includes must name existing groups, and cycles are errors. */
static int read_groups(struct project *p, const char *file, const struct toml_keyval *kv,
		       struct ed_diag *d, struct ed_diags *all)
{
	const struct toml_value *v = &kv->value;
	size_t errors = all ? ed_diags_count(all) : 0;
	int rc;

	if (v->type != TOML_TABLE)
		return ed_diag_set(d, ED_EXIT_INPUT, file, v->pos.line, v->pos.col,
				   "'external.dependency-groups': expected a table of groups, found %s",
				   toml_type_name(v->type));
	p->groups = calloc(v->u.table->count ? v->u.table->count : 1, sizeof *p->groups);
	if (!p->groups)
		return ed_diag_oom(d);
	for (size_t i = 0; i < v->u.table->count; i++)
		if ((rc = read_group(p, file, &v->u.table->items[i], d, all)) && !go_on(all, d, rc))
			return rc;
	/* a group that could not be read would be an unknown include */
	if (all && ed_diags_count(all) > errors)
		return 0;
	if ((rc = check_includes_exist(p, file, d)))
		return rc;
	return check_no_cycles(p, file, d);
}

/* One key KV of [external]: a PEP 725 key, or an error naming the nearest. */
static int read_external_key(struct project *p, const char *file, const struct toml_keyval *kv,
			     struct ed_diag *d, struct ed_diags *all)
{
	const char *near;
	char what[64];
	size_t k;

	for (k = 0; k < NEXTERNAL_KEYS; k++)
		if (!strcmp(kv->key, external_keys[k]))
			break;
	if (k < 3) {
		snprintf(what, sizeof what, "'external.%s'", kv->key);
		return read_spec_array(p, file, what, &kv->value, key_stage[k], NULL, NULL, d, all);
	}
	if (k < 6)
		return read_optional(p, file, kv, key_stage[k], d, all);
	if (k < NEXTERNAL_KEYS)
		return read_groups(p, file, kv, d, all);
	if ((near = util_nearest(kv->key, external_keys, NEXTERNAL_KEYS)))
		return ed_diag_set(d, ED_EXIT_INPUT, file, kv->keypos.line, kv->keypos.col,
				   "unknown key 'external.%s'; did you mean '%s'?", kv->key, near);
	return ed_diag_set(d, ED_EXIT_INPUT, file, kv->keypos.line, kv->keypos.col,
			   "unknown key 'external.%s'; PEP 725 defines build-requires, "
			   "host-requires, dependencies, optional-build-requires, "
			   "optional-host-requires, optional-dependencies and "
			   "dependency-groups", kv->key);
}

/* Whether errors were added to ALL since it counted BEFORE; then D is the
 * first of them (where it was kept). */
static bool failed_since(struct ed_diags *all, size_t before, struct ed_diag *d)
{
	if (!all || ed_diags_count(all) == before)
		return false;
	if (before < all->n)
		*d = all->v[before];
	return true;
}

static struct project *parse_toml(const char *text, size_t len, const char *filename,
				  struct ed_diag *d, struct ed_diags *all)
{
	size_t before = all ? ed_diags_count(all) : 0;
	struct toml_doc *doc = toml_parse_all(text, len, filename, d, all);
	struct project *p = NULL;
	const struct toml_table *root;
	const struct toml_keyval *ext;
	const struct toml_value *proj;

	if (!doc)
		return NULL;
	if (!(p = project_new(filename))) {
		ed_diag_oom(d);
		goto fail;
	}
	root = toml_doc_root(doc);
	proj = toml_table_get(root, "project");
	if (proj && proj->type == TOML_TABLE) {
		const struct toml_value *name = toml_table_get(proj->u.table, "name");
		if (name && name->type == TOML_STRING && !(p->name = strdup(name->u.str.ptr))) {
			ed_diag_oom(d);
			goto fail;
		}
	}
	ext = toml_table_find(root, "external");
	if (!ext)
		goto done;
	if (ext->value.type != TOML_TABLE) {
		ed_diag_set(d, ED_EXIT_INPUT, filename, ext->value.pos.line, ext->value.pos.col,
			    "'external': expected a table, found %s", toml_type_name(ext->value.type));
		goto fail;
	}
	p->has_external = true;
	for (size_t i = 0; i < ext->value.u.table->count; i++) {
		int rc = read_external_key(p, filename, &ext->value.u.table->items[i], d, all);
		if (rc && !go_on(all, d, rc))
			goto fail;
	}
	if (failed_since(all, before, d))
		goto fail;
done:
	toml_doc_free(doc);
	return p;
fail:
	toml_doc_free(doc);
	project_free(p);
	return NULL;
}

struct project *project_parse_toml(const char *text, size_t len, const char *filename,
				   struct ed_diag *d)
{
	return parse_toml(text, len, filename, d, NULL);
}

/* Provides-External-Extra: VALUE, written at LINE:COL. */
static int read_metadata_extra(struct project *p, const char *value, int line, int col,
			       struct ed_diag *d)
{
	char *norm;

	if (!valid_name(value))
		return ed_diag_set(d, ED_EXIT_INPUT, p->path, line, col, "invalid extra name '%s'",
				   value);
	if (!(norm = marker_normalize_name(value)) || !add_extra(p, norm)) {
		free(norm);
		return ed_diag_oom(d);
	}
	free(norm);
	p->has_external = true;
	return 0;
}

/* Requires-External-Dep: VALUE (or the older Requires-External), written
 * at LINE:COL. */
static int read_metadata_dep(struct project *p, const char *value, int line, int col,
			     struct ed_diag *d)
{
	struct spec_src src = { p->path, NULL, line, col };
	struct project_dep *dep = push_dep(p, d);
	struct ed_parse_err perr;
	char *rest = NULL;
	int rc;

	if (!dep)
		return ED_EXIT_ENV;
	if ((rc = parse_specifier(value, &src, dep, d))) {
		drop_last_dep(p);
		return rc;
	}
	p->has_external = true;
	dep->stage = ED_STAGE_RUN;
	/* extras arrive as `extra == "name"` markers */
	if (!dep->marker || !(dep->extra = marker_split_extra(dep->marker, &rest)))
		return 0;
	free(dep->marker_text);
	dep->marker_text = rest;
	marker_free(dep->marker);
	dep->marker = NULL;
	if (rest && !(dep->marker = marker_parse(rest, strlen(rest), &perr)))
		return ed_diag_oom(d);
	return 0;
}

/* One header line LS (LL bytes), line LINE: the fields PEP 725 uses. */
static int read_metadata_field(struct project *p, const char *ls, size_t ll, int line,
			       struct ed_diag *d)
{
	const char *colon = memchr(ls, ':', ll);
	char field[64], *value;
	size_t flen, vstart;
	int rc = 0;

	if (!colon || colon == ls)
		return ed_diag_set(d, ED_EXIT_INPUT, p->path, line, 1,
				   "expected a 'Field: value' header line");
	flen = (size_t)(colon - ls);
	if (flen >= sizeof field)
		return 0;
	memcpy(field, ls, flen);
	field[flen] = '\0';
	vstart = flen + 1;
	while (vstart < ll && (ls[vstart] == ' ' || ls[vstart] == '\t'))
		vstart++;
	if (!(value = util_strndup(ls + vstart, ll - vstart)))
		return ed_diag_oom(d);
	if (!strcasecmp(field, "Name") && !p->name) {
		p->name = value;
		return 0;
	}
	if (!strcasecmp(field, "Provides-External-Extra"))
		rc = read_metadata_extra(p, value, line, (int)vstart + 1, d);
	else if (!strcasecmp(field, "Requires-External-Dep") ||
		 !strcasecmp(field, "Requires-External"))
		rc = read_metadata_dep(p, value, line, (int)vstart + 1, d);
	free(value);
	return rc;
}

/* Core Metadata: "Name: value" headers up to the first empty line; a line
 * starting with white space continues the previous value. */
static struct project *parse_metadata(const char *text, size_t len, const char *filename,
				      struct ed_diag *d, struct ed_diags *all)
{
	size_t before = all ? ed_diags_count(all) : 0;
	struct project *p = project_new(filename);
	size_t pos = 0;
	int line = 0;

	if (!p) {
		ed_diag_oom(d);
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		ed_diag_set(d, ED_EXIT_INPUT, filename, 0, 0, "not a text file: it contains NUL bytes");
		goto fail;
	}
	while (pos < len) {
		const char *ls = text + pos, *nl = memchr(ls, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - ls) : len - pos;

		line++;
		pos += ll + (nl ? 1 : 0);
		if (ll && ls[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			break; /* the body (long description) follows */
		if (ls[0] == ' ' || ls[0] == '\t')
			continue; /* continuation of a field we do not read */
		int rc = read_metadata_field(p, ls, ll, line, d);
		if (rc && !go_on(all, d, rc))
			goto fail;
	}
	/* an extra used in a marker must be declared (Core Metadata rule) */
	for (size_t i = 0; i < p->ndeps; i++) {
		if (p->deps[i].extra && !project_has_extra(p, p->deps[i].extra)) {
			int rc = ed_diag_set(d, ED_EXIT_INPUT, filename, p->deps[i].line,
					     p->deps[i].col, "extra '%s' is not declared by a "
					     "Provides-External-Extra field", p->deps[i].extra);
			if (!go_on(all, d, rc))
				goto fail;
		}
	}
	if (failed_since(all, before, d))
		goto fail;
	return p;
fail:
	project_free(p);
	return NULL;
}

struct project *project_parse_metadata(const char *text, size_t len, const char *filename,
				       struct ed_diag *d)
{
	return parse_metadata(text, len, filename, d, NULL);
}

struct project *project_merge(struct project *const *ps, size_t n, struct ed_diag *d)
{
	struct project *m = calloc(1, sizeof *m);
	size_t total = 0, k = 0;
	char label[64];

	for (size_t i = 0; i < n; i++)
		total += ps[i]->ndeps;
	snprintf(label, sizeof label, "%zu projects", n);
	if (!m || !(m->path = strdup(label)) || !(m->members = malloc(n * sizeof *m->members)) ||
	    !(m->deps = malloc((total ? total : 1) * sizeof *m->deps))) {
		if (m) {
			free(m->path);
			free(m->members);
		}
		free(m);
		ed_diag_oom(d);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		m->members[i] = ps[i];
		m->has_external |= ps[i]->has_external;
		for (size_t j = 0; j < ps[i]->ndeps; j++)
			m->deps[k++] = ps[i]->deps[j];
	}
	m->nmembers = n;
	m->ndeps = m->deps_cap = total;
	return m;
}

static bool looks_like_metadata(const char *path, const char *text)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!strcmp(base, "METADATA") || !strcmp(base, "PKG-INFO"))
		return true;
	return !strncasecmp(text, "Metadata-Version:", 17);
}

struct project *project_load(const char *path, struct ed_diag *d)
{
	return project_load_all(path, d, NULL);
}

struct project *project_load_all(const char *path, struct ed_diag *d, struct ed_diags *all)
{
	struct stat st;
	char *file = NULL, *text;
	size_t len;
	struct project *p;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		struct strbuf b = STRBUF_INIT;

		if (!strcmp(path, "."))
			strbuf_addstr(&b, "pyproject.toml");
		else
			strbuf_addf(&b, "%s%spyproject.toml", path,
				    path[strlen(path) - 1] == '/' ? "" : "/");
		if (!(file = strbuf_detach(&b))) {
			ed_diag_oom(d);
			return NULL;
		}
		path = file;
	}
	text = util_read_file(path, &len, d);
	if (!text) {
		if (all)
			ed_diags_add(all, d);
		free(file);
		return NULL;
	}
	if (looks_like_metadata(path, text))
		p = parse_metadata(text, len, path, d, all);
	else
		p = parse_toml(text, len, path, d, all);
	free(text);
	free(file);
	return p;
}
