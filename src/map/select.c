#include "extdeps/map/select.h"

#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strindex.h"
#include "extdeps/util/util.h"

void selection_init(struct selection *sel, const struct marker_env *env)
{
	memset(sel, 0, sizeof *sel);
	for (int s = 0; s < ED_STAGE_COUNT; s++)
		sel->stages[s] = true;
	if (env)
		sel->env = *env;
}

void selection_fini(struct selection *sel)
{
	util_strv_free(sel->extras, sel->nextras);
	util_strv_free(sel->groups, sel->ngroups);
	sel->extras = sel->groups = NULL;
	sel->nextras = sel->ngroups = 0;
}

int selection_set_stages(struct selection *sel, const char *csv, struct ed_diag *d)
{
	const char *p = csv;
	bool want[ED_STAGE_COUNT] = { false };

	/* the first --stage replaces the default "all"; later ones add */
	if (sel->stages_given)
		memcpy(want, sel->stages, sizeof want);
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char name[16];
		int st;

		if (n == 0 || n >= sizeof name)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "invalid --stage '%s'; expected a comma-separated list of "
					   "build, host, run", csv);
		memcpy(name, p, n);
		name[n] = '\0';
		if ((st = ed_stage_parse(name)) < 0)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "unknown stage '%s'; expected build, host or run", name);
		want[st] = true;
		p += n + (comma ? 1 : 0);
		if (comma && !*p)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "invalid --stage '%s': trailing comma", csv);
	}
	memcpy(sel->stages, want, sizeof want);
	sel->stages_given = true;
	return 0;
}

int selection_add_extra(struct selection *sel, const char *name, struct ed_diag *d)
{
	if (!util_strv_push(&sel->extras, &sel->nextras, name))
		return ed_diag_oom(d);
	return 0;
}

int selection_add_group(struct selection *sel, const char *name, struct ed_diag *d)
{
	if (!util_strv_push(&sel->groups, &sel->ngroups, name))
		return ed_diag_oom(d);
	return 0;
}

/* Mark group G and everything it includes: a walk with a stack of its own
 * (STACK, room for every group), as a chain of includes may be as long as
 * the project has groups. */
static void mark_group(const struct project *p, const struct project_group *g, bool *on,
		       size_t *stack)
{
	size_t top = 0;

	if (on[g - p->groups])
		return;
	on[g - p->groups] = true;
	stack[top++] = (size_t)(g - p->groups);
	while (top) {
		const struct project_group *cur = &p->groups[stack[--top]];

		for (size_t k = 0; k < cur->nincludes; k++) {
			const struct project_group *inc = project_find_group(p, cur->includes[k]);
			size_t i;

			if (!inc || on[i = (size_t)(inc - p->groups)])
				continue;
			on[i] = true;
			stack[top++] = i;
		}
	}
}

static int unknown_name(const char *what, const char *name, char *const *known, size_t n,
			const char *file, struct ed_diag *d)
{
	const char *near = util_nearest(name, (const char *const *)known, n);

	if (near)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "%s '%s' is not declared in '%s'; did you mean '%s'?", what, name,
				   file, near);
	return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "%s '%s' is not declared in '%s'", what,
			   name, file);
}

/* The extras SEL asks for, normalised and checked against P, into *OUT. */
static int selected_extras(const struct selection *sel, const struct project *p, char ***out,
			   size_t *n, struct ed_diag *d)
{
	for (size_t i = 0; i < sel->nextras; i++) {
		char *norm = marker_normalize_name(sel->extras[i]);
		bool ok = norm && project_has_extra(p, norm);
		bool pushed = ok && util_strv_push(out, n, norm);
		free(norm);
		if (!ok && sel->undeclared_ok)
			continue;
		if (!ok)
			return unknown_name("extra", sel->extras[i], p->extras, p->nextras, p->path, d);
		if (!pushed)
			return ed_diag_oom(d);
	}
	for (size_t i = 0; sel->all_extras && i < p->nextras; i++)
		if (!util_strv_push(out, n, p->extras[i]))
			return ed_diag_oom(d);
	return 0;
}

/* Mark in ON the groups SEL asks for, checked against P, and what they include. */
static int selected_groups(const struct selection *sel, const struct project *p, bool *on,
			   struct ed_diag *d)
{
	char **names = calloc(p->ngroups ? p->ngroups : 1, sizeof *names);
	size_t *stack = calloc(p->ngroups ? p->ngroups : 1, sizeof *stack);
	int rc = 0;

	if (!names || !stack) {
		free(names);
		free(stack);
		return ed_diag_oom(d);
	}
	for (size_t i = 0; i < p->ngroups; i++)
		names[i] = p->groups[i].name;
	for (size_t i = 0; i < sel->ngroups && !rc; i++) {
		const struct project_group *g = project_find_group(p, sel->groups[i]);
		if (g)
			mark_group(p, g, on, stack);
		else if (!sel->undeclared_ok)
			rc = unknown_name("dependency group", sel->groups[i], names, p->ngroups,
					  p->path, d);
	}
	free(names);
	free(stack);
	return rc;
}

static enum select_skip verdict_of(const struct selection *sel, const struct project *p,
				   const struct project_dep *dep, const bool *group_on,
				   char *const *extras, size_t nextras, const struct strindex *extra_on)
{
	if (dep->group) {
		if (!group_on[project_find_group(p, dep->group) - p->groups])
			return SELECT_GROUP;
	} else if (!sel->stages[dep->stage]) {
		return SELECT_STAGE;
	}
	if (dep->extra && !strindex_get(extra_on, dep->extra, NULL))
		return SELECT_EXTRA;
	/* the extra the dependency belongs to is the one markers see */
	if (dep->marker &&
	    !(dep->extra ? marker_eval(dep->marker, &sel->env, (const char *const *)&dep->extra, 1)
			 : marker_eval_indexed(dep->marker, &sel->env, (const char *const *)extras,
					       nextras, extra_on)))
		return SELECT_MARKER;
	return SELECT_IN;
}

/* The N selected EXTRAS as an index, for a look-up per dependency. */
static int index_extras(char *const *extras, size_t n, struct strindex *ix, struct ed_diag *d)
{
	for (size_t i = 0; i < n; i++)
		if (!strindex_put(ix, extras[i], i))
			return ed_diag_oom(d);
	return 0;
}

int selection_declared(const struct selection *sel, struct project *const *ps, size_t n,
		       struct ed_diag *d)
{
	for (size_t i = 0; i < sel->nextras + sel->ngroups; i++) {
		bool extra = i < sel->nextras;
		const char *name = extra ? sel->extras[i] : sel->groups[i - sel->nextras];
		bool found = false;

		for (size_t k = 0; k < n && !found; k++)
			found = extra ? project_has_extra(ps[k], name) : !!project_find_group(ps[k], name);
		if (!found)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "%s '%s' is not declared in any of the %zu projects",
					   extra ? "extra" : "dependency group", name, n);
	}
	return 0;
}

int selection_apply(const struct selection *sel, const struct project *p,
		    enum select_skip **verdict, struct ed_diag *d)
{
	enum select_skip *v = calloc(p->ndeps ? p->ndeps : 1, sizeof *v);
	bool *group_on = calloc(p->ngroups ? p->ngroups : 1, sizeof *group_on);
	struct strindex extra_on = STRINDEX_INIT;
	char **extras = NULL;
	size_t nextras = 0;
	int rc;

	if (!v || !group_on)
		rc = ed_diag_oom(d);
	else if (!(rc = selected_extras(sel, p, &extras, &nextras, d)) &&
		 !(rc = index_extras(extras, nextras, &extra_on, d)) &&
		 !(rc = selected_groups(sel, p, group_on, d)))
		for (size_t i = 0; i < p->ndeps; i++)
			v[i] = verdict_of(sel, p, &p->deps[i], group_on, extras, nextras,
					  &extra_on);
	strindex_fini(&extra_on);
	util_strv_free(extras, nextras);
	free(group_on);
	if (rc) {
		free(v);
		v = NULL;
	}
	*verdict = v;
	return rc;
}
