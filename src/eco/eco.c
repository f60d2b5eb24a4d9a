/* eco.c - the table of ecosystem backends and helpers shared by them. */
#include "extdeps/eco.h"

#include <stdlib.h>
#include <string.h>

#include <solv/pool.h>
#include <solv/poolid.h>

#include "extdeps/apt.h"
#include "extdeps/brew.h"
#include "extdeps/conda.h"
#include "extdeps/dnf.h"
#include "extdeps/nix.h"

/* Sorted by name; one line per backend (src/eco/<name>.c). */
static const struct eco_ops *const backends[] = {
	&eco_apt,
	&eco_brew,
	&eco_conda,
	&eco_dnf,
	&eco_nix,
};

static const char *const backend_names[] = {
	"apt",
	"brew",
	"conda",
	"dnf",
	"nix",
	NULL,
};

const struct eco_ops *eco_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof backends / sizeof backends[0]; i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

const struct eco_ops *eco_for_ecosystem(const char *ecosystem)
{
	for (size_t i = 0; ecosystem && i < sizeof backends / sizeof backends[0]; i++)
		for (const char *const *e = backends[i]->ecosystems; e && *e; e++)
			if (!strcmp(*e, ecosystem))
				return backends[i];
	return NULL;
}

const char *const *eco_names(void)
{
	return backend_names;
}

void eco_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

const char *eco_root(const struct eco_opts *o)
{
	const char *env;

	if (o && o->root && *o->root)
		return o->root;
	env = getenv("EXTDEPS_ROOT");
	return env && *env ? env : "/";
}

size_t eco_pool_count_name(Pool *pool, const char *name)
{
	Id id, p, pp;
	size_t count = 0;

	/* create=0: a name no repository mentions has no id, hence no package */
	if (!name || !(id = pool_str2id(pool, name, 0)))
		return 0;
	if (!pool->whatprovides)
		pool_createwhatprovides(pool);
	FOR_PROVIDES(p, pp, id)
	{
		Solvable *s = pool->solvables + p;

		/* whatprovides also lists packages that only Provide the name */
		if (s->name == id && s->repo && s->repo != pool->installed)
			count++;
	}
	return count;
}

bool eco_pool_has_name(Pool *pool, const char *name)
{
	return eco_pool_count_name(pool, name) > 0;
}
