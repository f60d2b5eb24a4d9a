/* target.c - a target's backend and release, through inheritance. */
#include "extdeps/eco/backends.h"
#include "extdeps/map/target.h"

#include <string.h>

static const struct reg_ecosystem *parent(const struct registry *reg,
					  const struct reg_ecosystem *e)
{
	return e->inherits ? registry_find_ecosystem(reg, e->inherits) : NULL;
}

const struct eco_ops *target_backend(const struct registry *reg, const struct reg_target *t)
{
	for (const struct reg_ecosystem *e = t->eco; e; e = parent(reg, e)) {
		const struct eco_ops *ops = eco_for_ecosystem(e->id);
		if (ops)
			return ops;
	}
	return NULL;
}

const struct reg_release *target_release(const struct registry *reg, const struct reg_target *t)
{
	for (const struct reg_ecosystem *e = t->eco; e && t->release; e = parent(reg, e))
		for (size_t i = 0; i < e->nreleases; i++)
			if (!strcmp(e->releases[i].number, t->release))
				return &e->releases[i];
	return NULL;
}
