/* Unit tests of the pruned pool (src/solve/prune.c) and of plans on it
 * (plan_solve with a backend's prune_builds): what is reached and kept, the
 * installed packages, recommends, the widening when the best builds do not
 * solve, problems that stay problems, and the pool given back whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>
#include <solv/solver.h>
#include <solv/testcase.h>

#include "extdeps/eco/eco.h"
#include "extdeps/solve/plan.h"
#include "extdeps/solve/prune.h"

static Repo *add_repo(Pool *pool, const char *name, const char *tags)
{
	Repo *repo = repo_create(pool, name);
	FILE *f = fmemopen((void *)tags, strlen(tags), "r");

	assert_non_null(f);
	assert_int_equal(testcase_add_testtags(repo, f, 0), 0);
	fclose(f);
	return repo;
}

static Pool *make_pool(const char *avail, const char *inst)
{
	Pool *pool = pool_create();

	pool_setdisttype(pool, DISTTYPE_DEB);
	pool_setarch(pool, "amd64");
	add_repo(pool, "available", avail);
	if (inst)
		pool_set_installed(pool, add_repo(pool, "@System", inst));
	pool_createwhatprovides(pool);
	return pool;
}

static Id find(Pool *pool, const char *name, const char *evr)
{
	Id p;
	Solvable *s;

	FOR_POOL_SOLVABLES(p)
	{
		s = pool->solvables + p;
		if (!strcmp(pool_id2str(pool, s->name), name) &&
		    !strcmp(pool_id2str(pool, s->evr), evr))
			return p;
	}
	fail_msg("no %s %s in the pool", name, evr);
	return 0;
}

static const char *repo_builds = "=Pkg: app 1 1 amd64\n"
				 "=Req: lib\n"
				 "=Req: other\n"
				 "=Rec: extra\n"
				 "=Pkg: other 1 1 amd64\n"
				 "=Pkg: lib 3 1 amd64\n"
				 "=Pkg: lib 4 1 amd64\n"
				 "=Pkg: lib 5 1 amd64\n"
				 "=Pkg: lib 6 1 amd64\n"
				 "=Pkg: extra 1 1 amd64\n"
				 "=Pkg: tool 1 1 amd64\n"
				 "=Req: helper\n"
				 "=Pkg: helper 1 1 amd64\n"
				 "=Pkg: unrelated 1 1 amd64\n";

/* Keep of a job installing NAME, K builds a name. Returns the cut count. */
static int reach(Pool *pool, const char *name, int k, bool recommends, Map *keep)
{
	Queue job;
	int cut;

	queue_init(&job);
	queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_NAME, pool_str2id(pool, name, 0));
	cut = prune_reach(pool, &job, k, recommends, keep);
	queue_free(&job);
	return cut;
}

static void keeps_the_best_builds_reached(void **state)
{
	Pool *pool = make_pool(repo_builds, NULL);
	Map keep;

	(void)state;
	assert_int_equal(reach(pool, "app", 2, false, &keep), 1);
	assert_true(MAPTST(&keep, find(pool, "app", "1-1")));
	assert_true(MAPTST(&keep, find(pool, "other", "1-1")));
	assert_true(MAPTST(&keep, find(pool, "lib", "6-1")));
	assert_true(MAPTST(&keep, find(pool, "lib", "5-1")));
	assert_false(MAPTST(&keep, find(pool, "lib", "4-1")));
	assert_false(MAPTST(&keep, find(pool, "lib", "3-1")));
	/* not reached: recommends off, nothing requires them */
	assert_false(MAPTST(&keep, find(pool, "extra", "1-1")));
	assert_false(MAPTST(&keep, find(pool, "unrelated", "1-1")));
	assert_false(MAPTST(&keep, find(pool, "helper", "1-1")));
	map_free(&keep);

	/* wide enough: nothing cut, every build of lib kept */
	assert_int_equal(reach(pool, "app", 4, true, &keep), 0);
	assert_true(MAPTST(&keep, find(pool, "lib", "3-1")));
	assert_true(MAPTST(&keep, find(pool, "extra", "1-1")));
	map_free(&keep);
	pool_free(pool);
}

static void installed_are_kept_and_walked(void **state)
{
	Pool *pool = make_pool(repo_builds, "=Pkg: tool 0.9 1 amd64\n=Req: helper\n");
	Map keep;

	(void)state;
	assert_int_equal(reach(pool, "other", 1, false, &keep), 0);
	assert_true(MAPTST(&keep, find(pool, "tool", "0.9-1")));
	assert_true(MAPTST(&keep, find(pool, "helper", "1-1")));
	assert_false(MAPTST(&keep, find(pool, "lib", "6-1")));
	map_free(&keep);
	pool_free(pool);
}

static const struct eco_ops pruning = { .name = "test", .prune_builds = 1 };

static const char *plan_app(Pool *pool, const struct eco_ops *eco, size_t *nproblems)
{
	static char lib[64];
	const char *alts[] = { "app" };
	struct reg_spec spec = { (char **)alts, 1, NULL };
	struct reg_spec_list list = { &spec, 1 };
	struct plan *pl = plan_new(pool, eco);
	const struct plan_result *r;
	struct ed_diag d;

	assert_non_null(pl);
	assert_true(plan_add_specs(pl, "dep:generic/app", &list, NULL) >= 0);
	ed_diag_clear(&d);
	assert_int_equal(plan_solve(pl, 0, &d), 0);
	r = plan_result(pl);
	*nproblems = r->nproblems;
	lib[0] = '\0';
	for (size_t i = 0; i < r->nsteps; i++)
		if (!strcmp(r->steps[i].name, "lib"))
			snprintf(lib, sizeof lib, "%s", r->steps[i].version);
	if (!r->nproblems)
		assert_true(r->nsteps >= 3); /* app, other, lib */
	plan_free(pl);
	/* the pool is whole again */
	assert_null(pool->considered);
	if (!pool->whatprovides)
		pool_createwhatprovides(pool);
	return lib;
}

/* Plan app on a pool of AVAIL, pruned and whole: the same lib version LIB
 * ("": none) and the same number of problems NPROBLEMS either way. */
static void check_app(const char *avail, const char *lib, size_t nproblems)
{
	Pool *pool = make_pool(avail, NULL);
	size_t problems;

	assert_string_equal(plan_app(pool, &pruning, &problems), lib);
	assert_int_equal(problems, nproblems);
	assert_string_equal(plan_app(pool, NULL, &problems), lib);
	assert_int_equal(problems, nproblems);
	pool_free(pool);
}

static void widens_until_solved(void **state)
{
	(void)state;
	/* the newest lib conflicts with other: one build a name does not solve */
	check_app("=Pkg: app 1 1 amd64\n=Req: lib\n=Req: other\n"
		  "=Pkg: other 1 1 amd64\n=Con: lib >= 5\n"
		  "=Pkg: lib 4 1 amd64\n=Pkg: lib 5 1 amd64\n=Pkg: lib 6 1 amd64\n",
		  "4-1", 0);
}

static void best_builds_solve_at_once(void **state)
{
	(void)state;
	check_app(repo_builds, "6-1", 0);
}

static void problems_stay_problems(void **state)
{
	(void)state;
	check_app("=Pkg: app 1 1 amd64\n=Req: lib\n=Req: other\n"
		  "=Pkg: other 1 1 amd64\n=Con: lib\n"
		  "=Pkg: lib 4 1 amd64\n=Pkg: lib 5 1 amd64\n",
		  "", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keeps_the_best_builds_reached),
		cmocka_unit_test(installed_are_kept_and_walked),
		cmocka_unit_test(widens_until_solved),
		cmocka_unit_test(best_builds_solve_at_once),
		cmocka_unit_test(problems_stay_problems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
