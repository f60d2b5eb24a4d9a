/* registry_coverage.c - every definition mapped for every ecosystem, as
 * registry_map() decides, for `extdeps mappings coverage`. */
#include <stdlib.h>
#include <string.h>

#include "registry_int.h"

int registry_coverage(const struct registry *reg, struct reg_coverage *out, struct ed_diag *d)
{
	memset(out, 0, sizeof *out);
	out->ndefs = reg->ndefs;
	out->necos = reg->necos;
	out->def_ids = calloc(reg->ndefs + 1, sizeof *out->def_ids);
	out->eco_ids = calloc(reg->necos + 1, sizeof *out->eco_ids);
	out->cells = calloc(reg->ndefs * reg->necos + 1, sizeof *out->cells);
	out->per_eco = calloc(reg->necos + 1, sizeof *out->per_eco);
	if (!out->def_ids || !out->eco_ids || !out->cells || !out->per_eco) {
		reg_coverage_fini(out);
		return ed_diag_oom(d);
	}
	for (size_t e = 0; e < reg->necos; e++)
		out->eco_ids[e] = reg->ecos[e].id;
	for (size_t i = 0; i < reg->ndefs; i++) {
		struct depurl dep;
		out->def_ids[i] = reg->defs[i].id;
		memset(&dep, 0, sizeof dep);
		dep.id = reg->defs[i].id;
		for (size_t e = 0; e < reg->necos; e++) {
			struct reg_target t;
			struct reg_map m;
			enum reg_cov cell;
			registry_parse_target(reg, reg->ecos[e].id, &t, NULL);
			if (registry_map(reg, &t, &dep, ED_STAGE_HOST, &m, d)) {
				reg_coverage_fini(out);
				return d ? d->status : ED_EXIT_ENV;
			}
			cell = m.status == REG_MAPPED	   ? REG_COV_MAPPED
			       : m.status == REG_UNAVAILABLE ? REG_COV_UNAVAILABLE
							     : REG_COV_MISSING;
			reg_map_fini(&m);
			out->cells[i * reg->necos + e] = cell;
			out->per_eco[e][cell]++;
			out->totals[cell]++;
		}
	}
	return 0;
}

void reg_coverage_fini(struct reg_coverage *c)
{
	if (!c)
		return;
	free(c->def_ids);
	free(c->eco_ids);
	free(c->cells);
	free(c->per_eco);
	memset(c, 0, sizeof *c);
}
