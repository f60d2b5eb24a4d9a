#include "extdeps/map/select.h"

#include <stdlib.h>
#include <string.h>

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
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	return 0;
}

int selection_add_group(struct selection *sel, const char *name, struct ed_diag *d)
{
	if (!util_strv_push(&sel->groups, &sel->ngroups, name))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	return 0;
}

/* Mark group G and everything it includes. */
static void mark_group(const struct project *p, const struct project_group *g, bool *on)
{
	size_t i = (size_t)(g - p->groups);

	if (on[i])
		return;
	on[i] = true;
	for (size_t k = 0; k < g->nincludes; k++)
		mark_group(p, project_find_group(p, g->includes[k]), on);
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

int selection_apply(const struct selection *sel, const struct project *p,
		    enum select_skip **verdict, struct ed_diag *d)
{
	enum select_skip *v = calloc(p->ndeps ? p->ndeps : 1, sizeof *v);
	bool *group_on = calloc(p->ngroups ? p->ngroups : 1, sizeof *group_on);
	char **extras = NULL, **group_names = NULL;
	size_t nextras = 0;
	int rc = 0;

	if (!v || !group_on) {
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < sel->nextras; i++) {
		char *norm = marker_normalize_name(sel->extras[i]);
		if (!norm || !project_has_extra(p, norm)) {
			free(norm);
			rc = unknown_name("extra", sel->extras[i], p->extras, p->nextras, p->path, d);
			goto out;
		}
		if (!util_strv_push(&extras, &nextras, norm)) {
			free(norm);
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
			goto out;
		}
		free(norm);
	}
	if (sel->all_extras)
		for (size_t i = 0; i < p->nextras; i++)
			if (!util_strv_push(&extras, &nextras, p->extras[i])) {
				rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
				goto out;
			}
	if (!(group_names = calloc(p->ngroups ? p->ngroups : 1, sizeof *group_names))) {
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < p->ngroups; i++)
		group_names[i] = p->groups[i].name;
	for (size_t i = 0; i < sel->ngroups; i++) {
		const struct project_group *g = project_find_group(p, sel->groups[i]);
		if (!g) {
			rc = unknown_name("dependency group", sel->groups[i], group_names, p->ngroups,
					  p->path, d);
			goto out;
		}
		mark_group(p, g, group_on);
	}
	for (size_t i = 0; i < p->ndeps; i++) {
		const struct project_dep *dep = &p->deps[i];
		bool extra_on = false;

		if (dep->group) {
			if (!group_on[project_find_group(p, dep->group) - p->groups]) {
				v[i] = SELECT_GROUP;
				continue;
			}
		} else if (!sel->stages[dep->stage]) {
			v[i] = SELECT_STAGE;
			continue;
		}
		if (dep->extra) {
			for (size_t k = 0; k < nextras; k++)
				if (!strcmp(extras[k], dep->extra))
					extra_on = true;
			if (!extra_on) {
				v[i] = SELECT_EXTRA;
				continue;
			}
		}
		/* the extra the dependency belongs to is the one markers see */
		if (dep->marker &&
		    !marker_eval(dep->marker, &sel->env, dep->extra ? (const char *const *)&dep->extra
								    : (const char *const *)extras,
				 dep->extra ? 1 : nextras)) {
			v[i] = SELECT_MARKER;
			continue;
		}
		v[i] = SELECT_IN;
	}
out:
	util_strv_free(extras, nextras);
	free(group_names);
	free(group_on);
	if (rc) {
		free(v);
		v = NULL;
	}
	*verdict = v;
	return rc;
}
