/* libFuzzer target: conda versions and match specs, as repodata.json carries
 * them, on libsolv's conda support. The input is "A\nB": A and B compared
 * with libsolv's conda order (antisymmetric), checked as versions, and A
 * read as a match spec (the bracket form included) on a pool holding one
 * package of version B, which the spec's dependency is matched against. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/repodata.h>

#include "extdeps/eco/conda_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = strndup((const char *)data, size), *b;
	Pool *pool;
	Repo *repo;
	Solvable *s;
	Id p, pp, dep;

	if (!a)
		return 0;
	b = strchr(a, '\n');
	if (b)
		*b++ = '\0';
	else
		b = a;
	pool = pool_create();
	pool_setdisttype(pool, DISTTYPE_CONDA);
	if (conda_version_valid(a) && conda_version_valid(b) &&
	    sign(pool_evrcmp_str(pool, a, b, EVRCMP_COMPARE)) !=
		    -sign(pool_evrcmp_str(pool, b, a, EVRCMP_COMPARE)))
		abort();
	repo = repo_create(pool, "fuzz");
	p = repo_add_solvable(repo);
	s = pool->solvables + p;
	s->name = pool_str2id(pool, "pkg", 1);
	s->evr = pool_str2id(pool, b, 1);
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	repodata_set_str(repo_add_repodata(repo, 0), p, SOLVABLE_BUILDVERSION, "0");
	repo_internalize(repo);
	pool_createwhatprovides(pool);
	if ((dep = conda_dep_from_spec(pool, a, NULL)))
		FOR_PROVIDES(p, pp, dep)
			;
	pool_free(pool);
	free(a);
	return 0;
}
