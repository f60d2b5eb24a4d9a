#include "extdeps/map/mapset.h"

#include <stdlib.h>
#include <string.h>

#define COMPILER_PREFIX "dep:virtual/compiler/"

bool mapset_selected(const struct mapset *ms, size_t i)
{
	return ms->verdict[i] == SELECT_IN;
}

bool mapset_is_compiler(const struct mapset *ms, size_t i)
{
	const struct project_dep *dep = &ms->project->deps[i];
	const char *id = ms->maps[i].id ? ms->maps[i].id : dep->url->id;

	return dep->stage == ED_STAGE_BUILD &&
	       !strncmp(id, COMPILER_PREFIX, sizeof COMPILER_PREFIX - 1);
}

bool mapset_has_path(const struct mapset *ms)
{
	for (size_t i = 0; i < ms->project->ndeps; i++)
		for (size_t k = 0; mapset_selected(ms, i) && k < ms->maps[i].npkgs; k++)
			for (size_t a = 0; a < ms->maps[i].pkgs[k].nalts; a++)
				if (ms->maps[i].pkgs[k].alts[a].name[0] == '/')
					return true;
	return false;
}

int mapset_build(struct mapset *ms, const struct registry *reg, const struct reg_target *target,
		 const struct project *p, const enum select_skip *verdict, const char *python,
		 struct ed_diag *d)
{
	memset(ms, 0, sizeof *ms);
	ms->reg = reg;
	ms->target = *target;
	ms->project = p;
	ms->verdict = verdict;
	ms->maps = calloc(p->ndeps ? p->ndeps : 1, sizeof *ms->maps);
	if (!ms->maps)
		return ed_diag_oom(d);
	for (size_t i = 0; i < p->ndeps; i++) {
		int rc;
		if (verdict[i] != SELECT_IN)
			continue;
		rc = registry_map(reg, target, p->deps[i].url, p->deps[i].stage, &ms->maps[i], d);
		if (rc) {
			mapset_fini(ms);
			return rc;
		}
		if (ms->maps[i].status != REG_MAPPED)
			ms->nunmet++;
		if (mapset_is_compiler(ms, i) && !ms->implied) {
			if (!registry_python_dev(reg, target, python, &ms->implied_specs)) {
				mapset_fini(ms);
				return ed_diag_oom(d);
			}
			if (ms->implied_specs.count)
				ms->implied = &ms->implied_specs;
		}
	}
	return 0;
}

void mapset_fini(struct mapset *ms)
{
	if (!ms)
		return;
	for (size_t i = 0; ms->maps && i < ms->project->ndeps; i++)
		reg_map_fini(&ms->maps[i]);
	free(ms->maps);
	ms->maps = NULL;
	ms->implied = NULL;
	reg_spec_list_fini(&ms->implied_specs);
	ms->nunmet = 0;
}
